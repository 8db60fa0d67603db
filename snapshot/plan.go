package snapshot

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"strings"
	"time"
	"unsafe"

	"rescreen"
)

// codec names the encoding rules themselves. It is hashed into the layout,
// so a change to how a field is written (not only to which fields exist)
// must change this string.
const codec = "rescreen/snapshot 1: uvarint, zigzag ints, string table, dates as deltas of year<<9|month<<5|day from 2018-01-01, enums by position"

// opcode says how one field is written.
type opcode uint8

const (
	opString  opcode = iota // any type whose underlying type is string
	opEnum                  // a string type that is a rescreen.Enum
	opStrings               // a slice of any string type
	opBool
	opBoolPtr // *bool: nil, false or true
	opInt64   // signed integers by size, zigzag varints
	opInt32
	opInt16
	opInt8
	opUint64 // unsigned integers by size, varints
	opUint32
	opUint16
	opUint8
	opDate // rescreen.Date, see date.go
)

// wire names each opcode's encoding in the layout text. Integers of every
// size share one encoding, and the size of int differs between platforms,
// so they are named by signedness only: a snapshot written on a 64-bit
// machine then decodes on a 32-bit one when its values fit.
var wire = [...]string{
	opString: "string", opEnum: "enum", opStrings: "strings", opBool: "bool", opBoolPtr: "*bool",
	opInt64: "int", opInt32: "int", opInt16: "int", opInt8: "int",
	opUint64: "uint", opUint32: "uint", opUint16: "uint", opUint8: "uint",
	opDate: "date",
}

// op is one field of a record: how to write it and where it is, as an
// offset from the start of the record.
type op struct {
	code opcode
	off  uintptr
	vals []string // for opEnum, the list (held here to save the decoder a load)
	enum *enum    // for opEnum
}

// enum is the controlled list of an Enum type. Its values are written as
// their position in the list, and decoded to the list's own strings: these
// are static, so a reused Dataset often already holds the very string and
// needs no write, and a decoded value keeps no snapshot alive.
type enum struct {
	vals []string
	idx  map[string]uint64 // value -> position
}

var (
	enumType = reflect.TypeFor[rescreen.Enum]()
	enums    = map[reflect.Type]*enum{}
)

// enumOf returns the list of the Enum type t.
func enumOf(t reflect.Type) *enum {
	if e, ok := enums[t]; ok {
		return e
	}
	vals := reflect.Zero(t).Interface().(rescreen.Enum).Values()
	e := &enum{vals: append([]string(nil), vals...), idx: make(map[string]uint64, len(vals))}
	for i, v := range e.vals {
		if _, dup := e.idx[v]; !dup && v != "" {
			e.idx[v] = uint64(i)
		}
	}
	enums[t] = e
	return e
}

// kind is the codec of one kind of record: its flattened fields, and
// functions that walk the Dataset's slice of that kind without reflection.
type kind struct {
	name string       // the Dataset field
	typ  reflect.Type // the record type
	ops  []op
	at   func(d *rescreen.Dataset) unsafe.Pointer
	enc  func(e *encoder, d *rescreen.Dataset, ops []op)
	dec  func(r *decoder, d *rescreen.Dataset, ops []op)
	zero func(d *rescreen.Dataset)
}

// kindOf returns the codec of the records held in the Dataset slice that
// field returns. The generic functions give typed access to the slice (its
// length, growth and element addresses); the fields within an element are
// reached through the plan.
func kindOf[T any](field func(d *rescreen.Dataset) *[]T) kind {
	return kind{
		typ: reflect.TypeFor[T](),
		at:  func(d *rescreen.Dataset) unsafe.Pointer { return unsafe.Pointer(field(d)) },
		enc: func(e *encoder, d *rescreen.Dataset, ops []op) {
			s := *field(d)
			e.uvarint(uint64(len(s)))
			for i := range s {
				e.record(unsafe.Pointer(&s[i]), ops)
			}
		},
		dec: func(r *decoder, d *rescreen.Dataset, ops []op) {
			p := field(d)
			n := r.count(len(ops))
			s := *p
			switch {
			case len(s) == n:
				// Writing the slice back would cost a write barrier.
			case cap(s) >= n:
				s = s[:n]
				*p = s
			default:
				s = make([]T, n)
				*p = s
			}
			for i := range s {
				if r.err != nil {
					return
				}
				r.record(unsafe.Pointer(&s[i]), ops)
			}
		},
		zero: func(d *rescreen.Dataset) {
			p := field(d)
			*p = (*p)[:0]
		},
	}
}

// kinds lists the codec of every Dataset field, in the Dataset's order,
// which is also the order of the encoding. init checks the list against
// the Dataset type, so a kind added to Dataset and not here stops every
// program and test that imports this package.
var kinds = []kind{
	kindOf(func(d *rescreen.Dataset) *[]rescreen.Family { return &d.Families }),
	kindOf(func(d *rescreen.Dataset) *[]rescreen.Person { return &d.Persons }),
	kindOf(func(d *rescreen.Dataset) *[]rescreen.NameVariant { return &d.Names }),
	kindOf(func(d *rescreen.Dataset) *[]rescreen.Identifier { return &d.Identifiers }),
	kindOf(func(d *rescreen.Dataset) *[]rescreen.Relationship { return &d.Relationships }),
	kindOf(func(d *rescreen.Dataset) *[]rescreen.Separation { return &d.Separations }),
	kindOf(func(d *rescreen.Dataset) *[]rescreen.Custody { return &d.Custody }),
	kindOf(func(d *rescreen.Dataset) *[]rescreen.Proceeding { return &d.Proceedings }),
	kindOf(func(d *rescreen.Dataset) *[]rescreen.Screening { return &d.Screenings }),
	kindOf(func(d *rescreen.Dataset) *[]rescreen.EvidenceItem { return &d.Evidence }),
	kindOf(func(d *rescreen.Dataset) *[]rescreen.Election { return &d.Elections }),
	kindOf(func(d *rescreen.Dataset) *[]rescreen.Counsel { return &d.Counsel }),
	kindOf(func(d *rescreen.Dataset) *[]rescreen.ContactAttempt { return &d.Contacts }),
	kindOf(func(d *rescreen.Dataset) *[]rescreen.Preference { return &d.Preferences }),
	kindOf(func(d *rescreen.Dataset) *[]rescreen.ReturnRequest { return &d.ReturnRequests }),
	kindOf(func(d *rescreen.Dataset) *[]rescreen.Benefit { return &d.Benefits }),
	kindOf(func(d *rescreen.Dataset) *[]rescreen.Appointment { return &d.Appointments }),
	kindOf(func(d *rescreen.Dataset) *[]rescreen.Notice { return &d.Notices }),
}

// layout is the text the Version hash is taken of: the codec, then every
// kind with every flattened field's path, Go type and opcode, in encoding
// order. header is the first eight bytes of its SHA-256.
var (
	layout string
	header [8]byte
)

func init() {
	var b strings.Builder
	b.WriteString(codec + "\n")
	ds := reflect.TypeFor[rescreen.Dataset]()
	if ds.NumField() != len(kinds) {
		panic(fmt.Sprintf("snapshot: rescreen.Dataset has %d fields and snapshot knows %d kinds; add the new kind to kinds in snapshot/plan.go", ds.NumField(), len(kinds)))
	}
	var probe rescreen.Dataset
	for i := range kinds {
		k := &kinds[i]
		f := ds.Field(i)
		got := uintptr(k.at(&probe)) - uintptr(unsafe.Pointer(&probe))
		if f.Type.Kind() != reflect.Slice || f.Type.Elem() != k.typ || got != f.Offset {
			panic(fmt.Sprintf("snapshot: kinds[%d] does not match rescreen.Dataset.%s; keep kinds in snapshot/plan.go in the order of the Dataset's fields", i, f.Name))
		}
		k.name = f.Name
		fmt.Fprintf(&b, "%s []%s\n", f.Name, k.typ)
		k.ops = plan(&b, k.typ, 0, k.typ.Name())
	}
	layout = b.String()
	sum := sha256.Sum256([]byte(layout))
	copy(header[:], sum[:])
}

var dateType = reflect.TypeFor[rescreen.Date]()

// plan returns the ops of the fields of struct t, which starts at off
// within the record, flattening embedded and nested structs, and writes
// each field to the layout text. A field of a type the codec cannot write panics: init
// runs this, so such a field fails every test at once instead of being
// silently dropped.
func plan(b *strings.Builder, t reflect.Type, off uintptr, path string) []op {
	var ops []op
	for i := range t.NumField() {
		f := t.Field(i)
		name := path + "." + f.Name
		at := off + f.Offset
		code, ok := opFor(f.Type)
		switch {
		case ok:
			o := op{code: code, off: at}
			fmt.Fprintf(b, "\t%s %s %s", name, f.Type, wire[code])
			if code == opEnum {
				o.enum = enumOf(f.Type)
				o.vals = o.enum.vals
				fmt.Fprintf(b, " %q", o.enum.vals)
			}
			b.WriteByte('\n')
			ops = append(ops, o)
		case f.Type.Kind() == reflect.Struct:
			ops = append(ops, plan(b, f.Type, at, name)...)
		default:
			panic(fmt.Sprintf("snapshot: %s has type %s, which the snapshot codec cannot write; teach opFor in snapshot/plan.go", name, f.Type))
		}
	}
	return ops
}

// opFor returns the opcode of a field of type t, if t is a leaf the codec
// writes directly.
func opFor(t reflect.Type) (opcode, bool) {
	if t == dateType {
		checkDate()
		return opDate, true
	}
	switch t.Kind() {
	case reflect.String:
		if t.Implements(enumType) {
			return opEnum, true
		}
		return opString, true
	case reflect.Bool:
		return opBool, true
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Int16, reflect.Int8:
		return [...]opcode{1: opInt8, 2: opInt16, 4: opInt32, 8: opInt64}[t.Size()], true
	case reflect.Uint, reflect.Uint64, reflect.Uint32, reflect.Uint16, reflect.Uint8, reflect.Uintptr:
		return [...]opcode{1: opUint8, 2: opUint16, 4: opUint32, 8: opUint64}[t.Size()], true
	case reflect.Pointer:
		if t.Elem().Kind() == reflect.Bool {
			return opBoolPtr, true
		}
	case reflect.Slice:
		// Every string type has the layout of string, so one decoder
		// fills []string, []rescreen.Ref and the like.
		if t.Elem().Kind() == reflect.String {
			return opStrings, true
		}
	}
	return 0, false
}

// checkDate makes sure rescreen.Date still has the fields the date opcode
// writes, since it writes them by name rather than through the plan.
func checkDate() {
	want := []struct {
		name string
		typ  reflect.Type
	}{{"Year", reflect.TypeFor[int]()}, {"Month", reflect.TypeFor[time.Month]()}, {"Day", reflect.TypeFor[int]()}}
	ok := dateType.NumField() == len(want)
	for i := 0; ok && i < len(want); i++ {
		f := dateType.Field(i)
		ok = f.Name == want[i].name && f.Type == want[i].typ
	}
	if !ok {
		panic("snapshot: rescreen.Date no longer is {Year int; Month time.Month; Day int}; update the date opcode in snapshot")
	}
}

// Version returns the layout hash that starts every snapshot, in hex. It
// changes whenever a record type gains, loses, renames, reorders or retypes
// a field, and whenever the encoding rules change, so a stored snapshot can
// be checked against the running binary without decoding it.
func Version() string { return hex.EncodeToString(header[:]) }
