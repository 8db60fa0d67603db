package report

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"
	"strings"

	"rescreen"
)

// A contribution is one family's part of the report as of one date: the
// counts Tally.Add makes for it and its waits, in a compact byte form. The
// store keeps a family's contribution beside its determination, written in
// the transaction that stores it, so that a report as of that date is a sum
// of contributions (AddContribution) and evaluates again only the families
// whose contribution is missing or of another date.
//
// The form: a format byte; the number of counts; for each, in byte order of
// its key (the definition id, a zero byte, the group), the key's length,
// the key and the count; then the number of done waits and each wait, then
// the number of open waits and each wait; all numbers as uvarints.
const contributionFormat = 1

// ErrContribution reports a contribution that is not in the form this
// version writes.
var ErrContribution = errors.New("report: malformed contribution")

// Contribution returns what Tally.Add(d, r) would count for a family
// evaluated alone as of asOf, in the compact form.
func Contribution(d *rescreen.Dataset, r *rescreen.Determination, asOf rescreen.Date) []byte {
	t := NewTally(asOf)
	t.Add(d, r)
	return t.appendContribution(nil)
}

func (t *Tally) appendContribution(b []byte) []byte {
	keys := make([]string, 0, len(t.n))
	counts := make(map[string]int64, len(t.n))
	for k, v := range t.n {
		s := k.id + "\x00" + k.group
		keys = append(keys, s)
		counts[s] = v
	}
	slices.Sort(keys)
	b = append(b, contributionFormat)
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
		b = binary.AppendUvarint(b, uint64(counts[k]))
	}
	for _, ws := range [][]int{t.waitDone, t.waitOpen} {
		b = binary.AppendUvarint(b, uint64(len(ws)))
		for _, w := range ws {
			b = binary.AppendUvarint(b, uint64(max(w, 0)))
		}
	}
	return b
}

// AddContribution adds a family's contribution, made by Contribution as of
// the tally's date, to the tally. A malformed contribution adds nothing and
// returns ErrContribution.
func (t *Tally) AddContribution(b []byte) error {
	if len(b) == 0 || b[0] != contributionFormat {
		return ErrContribution
	}
	// Decode everything first, so that a malformed one adds nothing.
	p := 1
	next := func() (uint64, bool) {
		v, n := binary.Uvarint(b[p:])
		if n <= 0 {
			return 0, false
		}
		p += n
		return v, true
	}
	nk, ok := next()
	if !ok || nk > uint64(len(b)) {
		return ErrContribution
	}
	kvs := t.scratch[:0]
	for range nk {
		l, ok := next()
		if !ok || l > uint64(len(b)-p) {
			return ErrContribution
		}
		k := b[p : p+int(l)]
		p += int(l)
		if bytes.IndexByte(k, 0) < 1 {
			return ErrContribution
		}
		v, ok := next()
		if !ok || v > 1<<40 {
			return ErrContribution
		}
		kvs = append(kvs, contribCount{k, int64(v)})
	}
	var waits [2][]int
	for i := range waits {
		n, ok := next()
		if !ok || n > uint64(len(b)) {
			return ErrContribution
		}
		for range n {
			w, ok := next()
			if !ok || w > 1<<31 {
				return ErrContribution
			}
			waits[i] = append(waits[i], int(w))
		}
	}
	if p != len(b) {
		return ErrContribution
	}
	for _, x := range kvs {
		i, ok := t.enc[string(x.k)]
		if !ok {
			id, group, _ := strings.Cut(string(x.k), "\x00")
			i = len(t.encKeys)
			t.enc[string(x.k)] = i
			t.encKeys = append(t.encKeys, key{id, group})
			t.encN = append(t.encN, 0)
		}
		t.encN[i] += x.v
	}
	t.waitDone = append(t.waitDone, waits[0]...)
	t.waitOpen = append(t.waitOpen, waits[1]...)
	t.scratch = kvs[:0]
	return nil
}

// contribCount is one decoded count of a contribution.
type contribCount struct {
	k []byte
	v int64
}

// foldContributions moves the counts added by AddContribution into the
// tally's map.
func (t *Tally) foldContributions() {
	for i, k := range t.encKeys {
		if t.encN[i] != 0 {
			t.n[k] += t.encN[i]
			t.encN[i] = 0
		}
	}
}
