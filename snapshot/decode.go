package snapshot

import (
	"encoding/binary"
	"fmt"
	"math"
	"sync"
	"time"
	"unsafe"

	"rescreen"
)

// decoders keeps decoders and their string tables between calls: a decoder
// escapes through the kinds' function values, so a fresh one would cost an
// allocation per Decode.
var decoders = sync.Pool{New: func() any { return new(decoder) }}

// span locates a string of the table within the body. The table holds
// offsets rather than strings because writing a string (a pointer) into
// heap memory costs a write barrier while the garbage collector runs, and a
// decode adds an entry for every distinct string.
type span struct{ off, n uint32 }

// decoder holds the state of one Decode. After the first error, err is set
// and p is at the end, so every later read fails at once.
type decoder struct {
	s      string // the body; every decoded string is a substring of it
	p      int
	err    error
	tab    []span // the string table, len(tab) entries available
	ntab   int    // entries in use
	prev   int    // the previous valid date, packed
	bools  []bool // the targets of every *bool, allocated once
	nbools int
	elems  []string // the elements of every slice field, allocated once
	nelems int
}

// start prepares the decoder for body s.
func (r *decoder) start(s string) {
	r.s, r.p, r.prev = s, 0, dateBase
	r.tab = r.tab[:cap(r.tab)]
}

// growTab returns the table with room for more entries. Every new string
// takes at least two bytes of input (a new empty string is rejected), so
// the table never holds more entries than half the input's length.
func growTab(tab []span) []span {
	t := make([]span, max(64, 2*len(tab)))
	copy(t, tab)
	return t
}

// release pools the decoder without references to the decoded data, so a
// pooled decoder keeps no family alive.
func (r *decoder) release() {
	tab := r.tab
	if cap(tab) > 1<<16 {
		tab = nil
	}
	*r = decoder{tab: tab}
	decoders.Put(r)
}

func (r *decoder) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s at byte %d", ErrCorrupt, what, r.p+len(header))
	}
	r.p = len(r.s)
}

func (r *decoder) uvarint() uint64 {
	if r.p < len(r.s) {
		if c := r.s[r.p]; c < 0x80 {
			r.p++
			return uint64(c)
		}
	}
	return r.uvarintSlow()
}

func (r *decoder) uvarintSlow() uint64 {
	var x uint64
	for i, shift := 0, uint(0); i < binary.MaxVarintLen64; i, shift = i+1, shift+7 {
		if r.p >= len(r.s) {
			r.fail("truncated")
			return 0
		}
		c := r.s[r.p]
		r.p++
		if c < 0x80 {
			if i == binary.MaxVarintLen64-1 && c > 1 {
				break
			}
			return x | uint64(c)<<shift
		}
		x |= uint64(c&0x7f) << shift
	}
	r.fail("varint overflows 64 bits")
	return 0
}

func unzigzag(u uint64) int64 { return int64(u>>1) ^ -int64(u&1) }

// count reads a count of items that take at least min bytes each, and
// rejects one the remaining input cannot hold: this bounds every
// allocation by the input's size.
func (r *decoder) count(min int) int {
	v := r.uvarint()
	if v > uint64((len(r.s)-r.p)/max(min, 1)) {
		r.fail("count exceeds the remaining input")
		return 0
	}
	return int(v)
}

// str returns the string whose tag u was just read; see record.
func (r *decoder) str(u uint64) string {
	switch {
	case u == 0:
		return ""
	case u&1 == 1:
		n := u >> 1
		if n == 0 || n > uint64(len(r.s)-r.p) {
			r.fail("new string is empty or runs past the end")
			return ""
		}
		off := r.p
		r.p += int(n)
		if r.ntab == len(r.tab) {
			r.tab = growTab(r.tab)
		}
		r.tab[r.ntab] = span{uint32(off), uint32(n)}
		r.ntab++
		return r.s[off:r.p]
	}
	if i := u>>1 - 1; i < uint64(r.ntab) {
		e := r.tab[i]
		return r.s[e.off : e.off+e.n]
	}
	r.fail("string table index out of range")
	return ""
}

// emptyStrings is a non-nil empty slice, so that an empty slice field stays
// distinct from a nil one. Its capacity is 0, so appending to it copies.
var emptyStrings = []string{}

// strs returns the slice whose tag n was just read.
func (r *decoder) strs(n uint64) []string {
	switch {
	case n == 0:
		return nil
	case n == 1:
		return emptyStrings
	case n-1 > uint64(len(r.elems)-r.nelems):
		r.fail("more slice elements than the header counts")
		return nil
	}
	i, j := r.nelems, r.nelems+int(n-1)
	r.nelems = j
	s := r.elems[i:j:j]
	for k := range s {
		s[k] = r.str(r.uvarint())
	}
	return s
}

// dateFields reads a Date written field by field (tag 2).
func (r *decoder) dateFields() rescreen.Date {
	y, m, d := unzigzag(r.uvarint()), unzigzag(r.uvarint()), unzigzag(r.uvarint())
	if !fitsInt(y) || !fitsInt(m) || !fitsInt(d) {
		r.fail("date field overflows int")
		return rescreen.Date{}
	}
	return rescreen.NewDate(int(y), time.Month(m), int(d))
}

func fitsInt(v int64) bool { return int64(int(v)) == v }

// record reads the fields of the record at base; see encoder.record for
// why the unsafe accesses are sound. It is the decoder's hot loop: the
// position and the table stay in local variables, one-byte varints are
// read inline, and an empty string, a nil *bool or a controlled-list value
// that the field already holds is not written again. A pointer write costs
// a write barrier while the collector runs, and a reused Dataset mostly
// holds, slot for slot, the same empty fields and list values as the next
// family.
func (r *decoder) record(base unsafe.Pointer, ops []op) {
	s, p, tab, ntab := r.s, r.p, r.tab, r.ntab
	for i := range ops {
		o := &ops[i] // not a copy: the loop is register-starved as it is
		f := unsafe.Add(base, o.off)
		var u uint64
		if p < len(s) && s[p] < 0x80 {
			u = uint64(s[p])
			p++
		} else {
			r.p = p
			u = r.uvarintSlow()
			if r.err != nil {
				return
			}
			p = r.p
		}
		switch o.code {
		case opEnum:
			if n := uint64(len(o.vals)); u <= n {
				var v string
				if u > 0 {
					v = o.vals[u-1]
				}
				if old := *(*string)(f); unsafe.StringData(old) != unsafe.StringData(v) || len(old) != len(v) {
					*(*string)(f) = v
				}
				continue
			} else {
				u -= n
			}
			fallthrough
		case opString:
			switch {
			case u == 0:
				if len(*(*string)(f)) != 0 {
					*(*string)(f) = ""
				}
			case u&1 == 1:
				if u == 1 || u>>1 > uint64(len(s)-p) {
					r.p = p
					r.fail("new string is empty or runs past the end")
					return
				}
				n := int(u >> 1)
				if ntab == len(tab) {
					tab = growTab(tab)
				}
				tab[ntab] = span{uint32(p), uint32(n)}
				ntab++
				*(*string)(f) = s[p : p+n]
				p += n
			default:
				i := u>>1 - 1
				if i >= uint64(ntab) {
					r.p = p
					r.fail("string table index out of range")
					return
				}
				e := tab[i]
				*(*string)(f) = s[e.off : e.off+e.n]
			}
		case opDate:
			var d rescreen.Date
			switch {
			case u == 0:
			case u&1 == 1:
				v := int64(r.prev) + unzigzag(u>>1)
				ok := v >= 0 && v < dateSpan
				if ok {
					d, ok = unpackDate(int(v))
				}
				if !ok {
					r.p = p
					r.fail("invalid packed date")
					return
				}
				r.prev = int(v)
			case u == 2:
				r.p = p
				d = r.dateFields()
				p = r.p
			default:
				r.p = p
				r.fail("invalid date tag")
				return
			}
			*(*rescreen.Date)(f) = d
		case opBoolPtr:
			switch {
			case u == 0:
				if *(**bool)(f) != nil {
					*(**bool)(f) = nil
				}
			case u > 2:
				r.p = p
				r.fail("invalid *bool")
				return
			case r.nbools == len(r.bools):
				r.p = p
				r.fail("more *bool fields than the header counts")
				return
			default:
				b := &r.bools[r.nbools]
				r.nbools++
				*b = u == 2
				*(**bool)(f) = b
			}
		case opStrings:
			r.p, r.tab, r.ntab = p, tab, ntab
			*(*[]string)(f) = r.strs(u)
			p, tab, ntab = r.p, r.tab, r.ntab
		case opBool:
			if u > 1 {
				r.p = p
				r.fail("invalid bool")
				return
			}
			*(*bool)(f) = u == 1
		case opInt64:
			*(*int64)(f) = unzigzag(u)
		case opInt32:
			v := unzigzag(u)
			if v < math.MinInt32 || v > math.MaxInt32 {
				r.p = p
				r.fail("integer overflows int32")
				return
			}
			*(*int32)(f) = int32(v)
		case opInt16:
			v := unzigzag(u)
			if v < math.MinInt16 || v > math.MaxInt16 {
				r.p = p
				r.fail("integer overflows int16")
				return
			}
			*(*int16)(f) = int16(v)
		case opInt8:
			v := unzigzag(u)
			if v < math.MinInt8 || v > math.MaxInt8 {
				r.p = p
				r.fail("integer overflows int8")
				return
			}
			*(*int8)(f) = int8(v)
		case opUint64:
			*(*uint64)(f) = u
		case opUint32:
			if u > math.MaxUint32 {
				r.p = p
				r.fail("integer overflows uint32")
				return
			}
			*(*uint32)(f) = uint32(u)
		case opUint16:
			if u > math.MaxUint16 {
				r.p = p
				r.fail("integer overflows uint16")
				return
			}
			*(*uint16)(f) = uint16(u)
		case opUint8:
			if u > math.MaxUint8 {
				r.p = p
				r.fail("integer overflows uint8")
				return
			}
			*(*uint8)(f) = uint8(u)
		}
		if r.err != nil {
			return
		}
	}
	r.p, r.tab, r.ntab = p, tab, ntab
}
