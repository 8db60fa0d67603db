package rules

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	"rescreen"
)

// The binary form of a Compact, for storing a determination: a magic
// string, the rule-set version, then the fields in order as unsigned
// varints and length-prefixed strings. Templates and shared criteria are
// named by their index, which is only meaningful to an engine of the same
// rule-set version (the version covers the templates), so decoding
// refuses any other version with ErrStale: the family is then evaluated
// again from its records.

// The magic names the format: RSC2 added the spans of the values in the
// text. A result in an older format is stale, not corrupt: the family is
// evaluated again.
const compactMagic = "RSC2"

var olderMagic = []string{"RSC1"}

// ErrStale is returned by DecodeCompact for a result made under another
// rule-set version than the engine's.
var ErrStale = errors.New("rules: the result was made under another rule-set version")

// ErrCorrupt is returned by DecodeCompact for bytes that are not a result.
var ErrCorrupt = errors.New("rules: not a stored result")

// AppendBinary appends the binary form of c to b.
func (c *Compact) AppendBinary(b []byte) ([]byte, error) {
	w := cw{b: append(b, compactMagic...)}
	w.str(c.version)
	w.date(c.asOf)
	w.str(string(c.outcome))
	w.bool(c.hasFam)
	w.span(c.famKey)
	w.str(c.famID)
	w.span(c.famCr)
	w.bytes(c.text)
	w.u(len(c.crits))
	for i := range c.crits {
		k := &c.crits[i]
		w.u(int(k.t))
		w.u(int(k.st))
		w.u(int(k.lit))
		if k.lit > 0 {
			// A fixed detail replaces the text span, which may not
			// even have been closed.
			w.span(span{})
		} else {
			w.span(k.d)
		}
		w.span(k.m)
	}
	w.u(len(c.lits))
	for _, l := range c.lits {
		w.str(l)
	}
	w.u(len(c.miss))
	for _, m := range c.miss {
		w.span(m)
	}
	w.u(len(c.vals))
	for _, v := range c.vals {
		w.span(v)
	}
	w.u(len(c.persons))
	for i := range c.persons {
		p := &c.persons[i]
		w.span(p.key)
		w.str(p.id)
		w.str(string(p.role))
		w.u(int(p.loc))
		w.u(int(p.nrem))
		w.bool(p.held)
		for k := range p.cov {
			v := &p.cov[k]
			w.str(v.set)
			w.str(string(v.status))
			w.span(v.cr)
			shared := 0
			if v.shared != nil {
				shared = fixedIndex(v.shared) + 1
				if shared == 0 {
					return nil, fmt.Errorf("rules: a shared criterion that is not registered")
				}
			}
			w.u(shared)
		}
		for k := range p.rem {
			v := &p.rem[k]
			w.str(string(v.kind))
			w.str(v.state)
			w.span(v.cr)
		}
		w.str(string(p.state))
		w.span(p.stCr[0])
		w.span(p.stCr[1])
		w.str(p.holdRule)
		w.span(p.reason)
		w.span(p.lift)
		w.str(p.rl)
		w.str(p.ll)
		w.span(p.elc)
		w.span(p.dl)
	}
	w.u(len(c.elcs))
	for i := range c.elcs {
		x := &c.elcs[i]
		w.span(x.key)
		w.str(x.choice)
		w.str(x.validity)
		w.span(x.cr)
	}
	w.u(len(c.dls))
	for i := range c.dls {
		x := &c.dls[i]
		w.str(x.d.ID)
		w.str(x.d.Rule)
		w.str(x.d.Title)
		w.date(x.d.Start)
		w.date(x.d.Due)
		w.str(x.d.DayType)
		w.b = binary.AppendVarint(w.b, int64(x.d.Length))
		w.str(x.d.Status)
		w.span(x.detail)
	}
	return w.b, nil
}

// MarshalBinary returns the binary form of c.
func (c *Compact) MarshalBinary() ([]byte, error) { return c.AppendBinary(nil) }

func fixedIndex(s []Criterion) int {
	for i, f := range fixedSets {
		if &f[0] == &s[0] {
			return i
		}
	}
	return -1
}

// DecodeCompact reads a result in binary form made by an engine of the
// same rule-set version. Any other version gives ErrStale; bytes that are
// not a result give an error wrapping ErrCorrupt. It never panics.
func (e *Engine) DecodeCompact(b []byte) (*Compact, error) {
	if len(b) >= len(compactMagic) && slices.Contains(olderMagic, string(b[:len(compactMagic)])) {
		return nil, ErrStale
	}
	if len(b) < len(compactMagic) || string(b[:len(compactMagic)]) != compactMagic {
		return nil, fmt.Errorf("%w: no header", ErrCorrupt)
	}
	r := cr{b: b, i: len(compactMagic)}
	c := &Compact{values: e.values}
	c.version = r.str()
	if r.err == nil && c.version != e.version {
		return nil, ErrStale
	}
	c.asOf = r.date()
	c.outcome = Outcome(r.str())
	c.hasFam = r.bool()
	c.famKey = r.span()
	c.famID = r.str()
	c.famCr = r.span()
	c.text = []byte(r.str())
	n := r.count(6)
	c.crits = make([]ccrit, 0, n)
	for range n {
		k := ccrit{t: uint16(r.u()), st: cst(r.u()), lit: uint32(r.u()), d: r.span(), m: r.span()}
		c.crits = append(c.crits, k)
	}
	n = r.count(1)
	for range n {
		c.lits = append(c.lits, r.str())
	}
	n = r.count(2)
	for range n {
		c.miss = append(c.miss, r.span())
	}
	n = r.count(2)
	c.vals = make([]span, 0, n)
	for range n {
		c.vals = append(c.vals, r.span())
	}
	n = r.count(40)
	c.persons = make([]cperson, n)
	for i := range c.persons {
		p := &c.persons[i]
		p.key = r.span()
		p.id = r.str()
		p.role = rescreen.Role(r.str())
		p.loc = uint8(r.u())
		p.nrem = uint8(r.u())
		p.held = r.bool()
		for k := range p.cov {
			v := &p.cov[k]
			v.set = r.str()
			v.status = CoverageStatus(r.str())
			v.cr = r.span()
			if sh := r.u(); sh > 0 {
				if sh > len(fixedSets) {
					r.fail("shared criterion")
				} else {
					v.shared = fixedSets[sh-1]
				}
			}
		}
		for k := range p.rem {
			v := &p.rem[k]
			v.kind = RemedyKind(r.str())
			v.state = r.str()
			v.cr = r.span()
		}
		p.state = MemberState(r.str())
		p.stCr[0] = r.span()
		p.stCr[1] = r.span()
		p.holdRule = r.str()
		p.reason = r.span()
		p.lift = r.span()
		p.rl = r.str()
		p.ll = r.str()
		p.elc = r.span()
		p.dl = r.span()
	}
	n = r.count(4)
	for range n {
		c.elcs = append(c.elcs, celc{key: r.span(), choice: r.str(), validity: r.str(), cr: r.span()})
	}
	n = r.count(10)
	for range n {
		var x cdl
		x.d.ID, x.d.Rule, x.d.Title = r.str(), r.str(), r.str()
		x.d.Start, x.d.Due = r.date(), r.date()
		x.d.DayType = r.str()
		x.d.Length = r.signed()
		x.d.Status = r.str()
		x.detail = r.span()
		c.dls = append(c.dls, x)
	}
	if r.err == nil && r.i != len(b) {
		r.fail("trailing bytes")
	}
	if r.err != nil {
		return nil, r.err
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	return c, nil
}

// check verifies that every index and span of a decoded result is in
// range, so that Expand cannot fail on it.
func (c *Compact) check() error {
	text := int32(len(c.text))
	okText := func(s span) bool { return s.a >= 0 && s.a <= s.b && s.b <= text }
	in := func(s span, n int) bool { return s.a >= 0 && s.a <= s.b && int(s.b) <= n }
	bad := func(what string) error { return fmt.Errorf("%w: %s out of range", ErrCorrupt, what) }
	if !okText(c.famKey) {
		return bad("family key")
	}
	if !in(c.famCr, len(c.crits)) {
		return bad("family criteria")
	}
	for i := range c.crits {
		k := &c.crits[i]
		if int(k.t) >= len(templates) || int(k.st) >= len(stNames) || int(k.lit) > len(c.lits) || !okText(k.d) || !in(k.m, len(c.miss)) {
			return bad("criterion")
		}
	}
	for _, m := range c.miss {
		if !okText(m) {
			return bad("missing fact")
		}
	}
	for i, v := range c.vals {
		if !okText(v) || i > 0 && v.a < c.vals[i-1].a {
			return bad("value")
		}
	}
	for i := range c.persons {
		p := &c.persons[i]
		if !okText(p.key) || int(p.loc) >= len(locNames) || int(p.nrem) > len(p.rem) || !in(p.stCr[0], len(c.crits)) || !in(p.stCr[1], len(c.crits)) ||
			!okText(p.reason) || !okText(p.lift) || !in(p.elc, len(c.elcs)) || !in(p.dl, len(c.dls)) {
			return bad("person")
		}
		for k := range p.cov {
			if !in(p.cov[k].cr, len(c.crits)) {
				return bad("coverage")
			}
		}
		for k := range p.rem {
			if !in(p.rem[k].cr, len(c.crits)) {
				return bad("remedy")
			}
		}
	}
	for i := range c.elcs {
		if !okText(c.elcs[i].key) || !in(c.elcs[i].cr, len(c.crits)) {
			return bad("election")
		}
	}
	for i := range c.dls {
		if !okText(c.dls[i].detail) {
			return bad("deadline")
		}
	}
	return nil
}

// cw writes the binary form.
type cw struct{ b []byte }

func (w *cw) u(n int)        { w.b = binary.AppendUvarint(w.b, uint64(n)) }
func (w *cw) str(s string)   { w.u(len(s)); w.b = append(w.b, s...) }
func (w *cw) bytes(s []byte) { w.u(len(s)); w.b = append(w.b, s...) }
func (w *cw) span(s span)    { w.u(int(s.a)); w.u(int(s.b - s.a)) }
func (w *cw) bool(v bool) {
	if v {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}
func (w *cw) date(d rescreen.Date) { w.u(d.Year); w.u(int(d.Month)); w.u(d.Day) }

// cr reads it; the first error sticks and every later read returns zero.
type cr struct {
	b   []byte
	i   int
	err error
}

func (r *cr) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: bad %s at byte %d", ErrCorrupt, what, r.i)
	}
}

func (r *cr) u() int {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b[r.i:])
	if n <= 0 || v > 1<<31-1 {
		r.fail("number")
		return 0
	}
	r.i += n
	return int(v)
}

func (r *cr) signed() int {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b[r.i:])
	if n <= 0 || v > 1<<31-1 || v < -(1<<31) {
		r.fail("number")
		return 0
	}
	r.i += n
	return int(v)
}

// count reads a count of items that take at least min bytes each, so that
// a corrupt count cannot make the reader allocate more than the input.
func (r *cr) count(min int) int {
	n := r.u()
	if n*min > len(r.b)-r.i {
		r.fail("count")
		return 0
	}
	return n
}

func (r *cr) str() string {
	n := r.u()
	if r.err != nil {
		return ""
	}
	if n > len(r.b)-r.i {
		r.fail("length")
		return ""
	}
	s := string(r.b[r.i : r.i+n])
	r.i += n
	return s
}

func (r *cr) span() span {
	a := r.u()
	n := r.u()
	if a+n > 1<<31-1 {
		r.fail("span")
		return span{}
	}
	return span{int32(a), int32(a + n)}
}

func (r *cr) bool() bool {
	if r.err != nil {
		return false
	}
	if r.i >= len(r.b) || r.b[r.i] > 1 {
		r.fail("flag")
		return false
	}
	r.i++
	return r.b[r.i-1] == 1
}

func (r *cr) date() rescreen.Date {
	y, m, d := r.u(), r.u(), r.u()
	if m > 12 || d > 31 {
		r.fail("date")
		return rescreen.Date{}
	}
	return rescreen.Date{Year: y, Month: time.Month(m), Day: d}
}
