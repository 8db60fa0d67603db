package snapshot

import (
	"encoding/binary"
	"sync"
	"unsafe"

	"rescreen"
)

var encoders = sync.Pool{New: func() any { return &encoder{tab: make(map[string]uint32)} }}

// encoder holds the state of one Append: the body, written before the
// header's counts are known, and the string table.
type encoder struct {
	b     []byte
	tab   map[string]uint32 // string -> table index
	next  uint32            // the next table index
	prev  int               // the previous valid date, packed
	bools int
	elems int
}

func (e *encoder) uvarint(v uint64) {
	if v < 0x80 {
		e.b = append(e.b, byte(v))
		return
	}
	e.b = binary.AppendUvarint(e.b, v)
}

func (e *encoder) int(v int64) { e.uvarint(uint64(v<<1) ^ uint64(v>>63)) }

func (e *encoder) str(s string) {
	if s == "" {
		e.b = append(e.b, 0)
		return
	}
	e.strAbove(s, 0)
}

// strAbove writes the tag of the non-empty string s plus base, then its
// bytes if it is new.
func (e *encoder) strAbove(s string, base uint64) {
	if i, ok := e.tab[s]; ok {
		e.uvarint(uint64(i+1)<<1 + base)
		return
	}
	e.tab[s] = e.next
	e.next++
	e.uvarint(uint64(len(s))<<1 | 1 + base)
	e.b = append(e.b, s...)
}

// enum writes a value of a controlled list as its position plus one, and a
// value not on the list (which validation would reject, but a snapshot
// must keep) as a string whose tag follows the list's positions.
func (e *encoder) enum(s string, l *enum) {
	if s == "" {
		e.b = append(e.b, 0)
		return
	}
	if i, ok := l.idx[s]; ok {
		e.uvarint(i + 1)
		return
	}
	e.strAbove(s, uint64(len(l.vals)))
}

func (e *encoder) date(d rescreen.Date) {
	if d.IsZero() {
		e.b = append(e.b, 0)
		return
	}
	if v, ok := packDate(d); ok {
		delta := int64(v - e.prev)
		e.prev = v
		e.uvarint((uint64(delta<<1)^uint64(delta>>63))<<1 | 1)
		return
	}
	e.b = append(e.b, 2)
	e.int(int64(d.Year))
	e.int(int64(d.Month))
	e.int(int64(d.Day))
}

// record writes the fields of the record at base. The unsafe accesses are
// sound because every op's offset and type come from reflection over the
// record's own type (plan.go).
func (e *encoder) record(base unsafe.Pointer, ops []op) {
	for _, o := range ops {
		p := unsafe.Add(base, o.off)
		switch o.code {
		case opString:
			e.str(*(*string)(p))
		case opEnum:
			e.enum(*(*string)(p), o.enum)
		case opStrings:
			s := *(*[]string)(p)
			if s == nil {
				e.b = append(e.b, 0)
				continue
			}
			e.uvarint(uint64(len(s)) + 1)
			e.elems += len(s)
			for _, x := range s {
				e.str(x)
			}
		case opBool:
			var c byte
			if *(*bool)(p) {
				c = 1
			}
			e.b = append(e.b, c)
		case opBoolPtr:
			switch v := *(**bool)(p); {
			case v == nil:
				e.b = append(e.b, 0)
			case *v:
				e.b = append(e.b, 2)
				e.bools++
			default:
				e.b = append(e.b, 1)
				e.bools++
			}
		case opInt64:
			e.int(*(*int64)(p))
		case opInt32:
			e.int(int64(*(*int32)(p)))
		case opInt16:
			e.int(int64(*(*int16)(p)))
		case opInt8:
			e.int(int64(*(*int8)(p)))
		case opUint64:
			e.uvarint(*(*uint64)(p))
		case opUint32:
			e.uvarint(uint64(*(*uint32)(p)))
		case opUint16:
			e.uvarint(uint64(*(*uint16)(p)))
		case opUint8:
			e.uvarint(uint64(*(*uint8)(p)))
		case opDate:
			e.date(*(*rescreen.Date)(p))
		}
	}
}
