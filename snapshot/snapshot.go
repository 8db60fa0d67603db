// Package snapshot is a compact binary encoding of one family's records, a
// *rescreen.Dataset, stored beside the family so that a what-if evaluation
// of every stored family under other rule parameters can read the facts of
// a million families in seconds instead of decoding their JSON documents.
// It is not an exchange format: a snapshot is only ever read by a binary
// with the same record layout, and the records remain the source of truth.
//
// # Format
//
// A snapshot is
//
//	header   8 bytes: the first 8 bytes of the SHA-256 of the layout
//	bools    uvarint: how many *bool fields are set (not nil)
//	elems    uvarint: how many elements all slice fields hold together
//	kinds    for each Dataset field, in the Dataset's order:
//	           uvarint count, then count records
//
// and a record is its fields, flattened (the embedded Meta first, as in the
// struct), each written by its type. Every field starts with a uvarint,
// and most fields are that one byte:
//
//	string types   0 is ""; odd v is a new string of v>>1 bytes, which
//	               follow and are appended to the snapshot's string
//	               table; even v is table entry v>>1 - 1. References and
//	               places repeat within a family, so most strings after
//	               their first cost one byte.
//	rescreen.Enum  string types with a controlled list: 0 is "", 1 to n
//	               are the list's values by position (n the list's
//	               length), and v > n is a value off the list, written
//	               as a string with tag v-n.
//	[]string types 0 is nil, otherwise v-1 strings follow as above.
//	bool           0 or 1.
//	*bool          0 nil, 1 false, 2 true.
//	integers       the value, zigzag-encoded for signed types.
//	Date           0 is the zero Date; odd v is a valid date (month 1-12,
//	               day 1-31, year 0-9999) packed as year<<9|month<<5|day
//	               and written as the zigzag difference v>>1 from the
//	               previous valid date in the snapshot (the first from
//	               2018-01-01); 2 is any other Date, followed by its
//	               year, month and day as zigzag varints.
//
// The layout whose hash is the header is a text naming the encoding rules
// and every kind's flattened fields with their Go types (and, for
// controlled lists, their values), built by reflection when the package
// is initialised (see Version). The same plan gives each field's offset in
// its record, and encoding and decoding reach the fields through those
// offsets with package unsafe, since reflection per field would cost more
// than the rest of the decoding. A field added to a record type is thus
// encoded, decoded and hashed without a change here. A field of a type the
// codec does not know (a float, a *Date) panics at initialisation, so it
// cannot be dropped silently.
//
// Decode checks every count and length against the bytes that remain, so
// corrupt or truncated input gives an error wrapping ErrCorrupt, never a
// panic, and never makes it allocate more than a small multiple of the
// input's size (records take at least one byte per field). A snapshot of
// another layout gives an error wrapping ErrLayout, and the caller should
// read the records instead.
package snapshot

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"rescreen"
)

// ErrLayout is wrapped by Decode's error when the snapshot was written with
// another record layout or encoding; the records must be read instead.
var ErrLayout = errors.New("snapshot: written with another layout")

// ErrCorrupt is wrapped by Decode's error when the snapshot is truncated or
// malformed.
var ErrCorrupt = errors.New("snapshot: corrupt")

// Append appends the snapshot of d, which must not be nil, to dst and
// returns the extended slice. The encoding of a Dataset is deterministic.
// Append is safe to call from several goroutines at once, as is Decode.
func Append(dst []byte, d *rescreen.Dataset) []byte {
	e := encoders.Get().(*encoder)
	e.b, e.prev, e.next, e.bools, e.elems = e.b[:0], dateBase, 0, 0, 0
	for i := range kinds {
		kinds[i].enc(e, d, kinds[i].ops)
	}
	dst = append(dst, header[:]...)
	dst = binary.AppendUvarint(dst, uint64(e.bools))
	dst = binary.AppendUvarint(dst, uint64(e.elems))
	dst = append(dst, e.b...)
	// A family with thousands of records would make every later clear of
	// the table as slow as that family; drop such buffers instead.
	if len(e.tab) > 4096 || cap(e.b) > 1<<20 {
		e.tab, e.b = make(map[string]uint32), nil
	} else {
		clear(e.tab)
	}
	encoders.Put(e)
	return dst
}

// Decode replaces the records of d, which must not be nil, with those of
// the snapshot b. It reuses the capacity of d's slices, so a caller that
// decodes many families into one Dataset allocates little; records decoded
// earlier into d are overwritten, so a caller that keeps a record must copy
// it. The decoded strings are substrings of one copy of b (controlled-list
// values are the rescreen lists' own strings), so b may be reused as soon
// as Decode returns, and one retained string keeps that copy alive.
//
// An error wraps ErrLayout if b was written with another layout (see
// Version), or ErrCorrupt if it is truncated or malformed; d then holds no
// records.
func Decode(b []byte, d *rescreen.Dataset) error {
	err := checkHeader(b)
	if err == nil {
		err = decode(string(b[len(header):]), d)
	}
	return reset(d, err)
}

// DecodeString is Decode for a snapshot held in a string, such as a
// database column scanned into a string. A string cannot change, so the
// decoded strings are substrings of s itself and DecodeString copies
// nothing: a scan that reads its snapshots as strings (database/sql scans a
// BLOB into a *string with the one copy it makes anyway) saves the copy
// and the garbage collection that Decode's copy costs, about a third of
// Decode's time in the package's benchmarks.
func DecodeString(s string, d *rescreen.Dataset) error {
	err := checkHeader(s)
	if err == nil {
		err = decode(s[len(header):], d)
	}
	return reset(d, err)
}

func checkHeader[T string | []byte](b T) error {
	switch {
	case len(b) < len(header):
		return fmt.Errorf("%w: %d bytes is shorter than the header", ErrCorrupt, len(b))
	case string(b[:len(header)]) != string(header[:]):
		return fmt.Errorf("%w: layout %x, this binary's is %s", ErrLayout, b[:len(header)], Version())
	case uint64(len(b)) > math.MaxUint32:
		return fmt.Errorf("%w: %d bytes is more than a snapshot can hold", ErrCorrupt, len(b))
	}
	return nil
}

// reset empties d if err is set, so that no partly decoded family is used.
func reset(d *rescreen.Dataset, err error) error {
	if err != nil {
		for i := range kinds {
			kinds[i].zero(d)
		}
	}
	return err
}

// decode decodes the body s, the snapshot after its header, into d.
func decode(s string, d *rescreen.Dataset) error {
	r := decoders.Get().(*decoder)
	r.start(s)
	err := r.decode(d)
	r.release()
	return err
}

func (r *decoder) decode(d *rescreen.Dataset) error {
	if n := r.count(1); n > 0 {
		r.bools = make([]bool, n)
	}
	if n := r.count(1); n > 0 {
		r.elems = make([]string, n)
	}
	for i := range kinds {
		kinds[i].dec(r, d, kinds[i].ops)
	}
	switch {
	case r.err != nil:
		return r.err
	case r.p != len(r.s):
		r.fail("trailing bytes")
	case r.nbools != len(r.bools) || r.nelems != len(r.elems):
		r.fail("counts of pointers or slice elements do not match the header")
	}
	return r.err
}
