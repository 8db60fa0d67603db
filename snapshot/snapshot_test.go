package snapshot

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"rescreen"
	"rescreen/synth"
)

// fill sets every field of v to a non-zero value that depends on seed, by
// reflection, so that a field added to a record is covered without a
// change here. Dates alternate between valid dates and dates the packed
// form cannot hold; *bool fields alternate between true and false.
func fill(t testing.TB, v reflect.Value, seed *int) {
	t.Helper()
	*seed++
	n := *seed
	switch {
	case v.Type() == dateType:
		if n%2 == 0 {
			v.Set(reflect.ValueOf(rescreen.NewDate(1990+n%40, time.Month(1+n%12), 1+n%31)))
		} else {
			v.Set(reflect.ValueOf(rescreen.NewDate(-n*1000, time.Month(13+n), -n)))
		}
		return
	}
	switch v.Kind() {
	case reflect.String:
		// A controlled list's values are written by position, and any
		// other value as a string; repeat some values so both new strings
		// and table entries occur.
		if e, ok := v.Interface().(rescreen.Enum); ok && n%3 != 0 {
			vals := e.Values()
			v.SetString(vals[n%len(vals)])
			return
		}
		v.SetString(fmt.Sprintf("%s-%d-ñ", v.Type().Name(), n%7+n/50*7))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Int16, reflect.Int8:
		x := int64(-n) << 40
		if v.OverflowInt(x) {
			x = int64(-n % 100)
		}
		v.SetInt(x)
	case reflect.Uint, reflect.Uint64, reflect.Uint32, reflect.Uint16, reflect.Uint8, reflect.Uintptr:
		x := uint64(n) << 40
		if v.OverflowUint(x) {
			x = uint64(n % 100)
		}
		v.SetUint(x)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(t, p.Elem(), seed)
		if p.Elem().Kind() == reflect.Bool {
			p.Elem().SetBool(n%2 == 0)
		}
		v.Set(p)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2+n%2, 2+n%2)
		for i := range s.Len() {
			fill(t, s.Index(i), seed)
		}
		v.Set(s)
	case reflect.Struct:
		for i := range v.NumField() {
			fill(t, v.Field(i), seed)
		}
	default:
		t.Fatalf("fill: no rule for %s", v.Type())
	}
}

// full returns a Dataset with per records of every kind, every field set.
func full(t testing.TB, per, seed int) *rescreen.Dataset {
	d := &rescreen.Dataset{}
	dv := reflect.ValueOf(d).Elem()
	for i := range dv.NumField() {
		s := reflect.MakeSlice(dv.Field(i).Type(), per, per)
		for j := range per {
			fill(t, s.Index(j), &seed)
		}
		dv.Field(i).Set(s)
	}
	return d
}

// zeroFields reports the path of a zero field within v, or "".
func zeroFields(v reflect.Value, path string) string {
	if v.Kind() == reflect.Struct && v.Type() != dateType {
		for i := range v.NumField() {
			if p := zeroFields(v.Field(i), path+"."+v.Type().Field(i).Name); p != "" {
				return p
			}
		}
		return ""
	}
	if v.IsZero() {
		return path
	}
	return ""
}

// normalize makes empty top-level slices nil: Decode keeps d's capacity, so
// an empty kind may come back as an empty slice where a nil one went in.
// Slices within records round-trip exactly, nil or empty.
func normalize(d *rescreen.Dataset) {
	dv := reflect.ValueOf(d).Elem()
	for i := range dv.NumField() {
		if f := dv.Field(i); f.Len() == 0 {
			f.SetZero()
		}
	}
}

func roundTrip(t testing.TB, in *rescreen.Dataset, into *rescreen.Dataset) []byte {
	t.Helper()
	b := Append(nil, in)
	if err := Decode(b, into); err != nil {
		t.Fatalf("Decode: %v", err)
	}
	want := *in
	normalize(&want)
	normalize(into)
	if !reflect.DeepEqual(&want, into) {
		t.Fatalf("round trip differs:\n in  %+v\n out %+v", want, *into)
	}
	return b
}

func TestRoundTripEveryField(t *testing.T) {
	in := full(t, 3, 0)
	for i, k := range kinds {
		s := reflect.ValueOf(in).Elem().Field(i)
		if p := zeroFields(s.Index(0), k.name); p != "" {
			t.Fatalf("fill left %s zero", p)
		}
	}
	// Decoding over other records must overwrite every field of them.
	roundTrip(t, in, full(t, 5, 1000))
	// A fresh Dataset too, and the encoding is deterministic.
	if a, b := Append(nil, in), roundTrip(t, in, &rescreen.Dataset{}); !bytes.Equal(a, b) {
		t.Fatal("two encodings of the same Dataset differ")
	}
}

func TestRoundTripZero(t *testing.T) {
	into := full(t, 2, 0)
	roundTrip(t, &rescreen.Dataset{}, into)
	if into.Len() != 0 {
		t.Fatalf("decoding the empty Dataset left %d records", into.Len())
	}

	// One record of every kind with every field zero.
	zero := &rescreen.Dataset{}
	dv := reflect.ValueOf(zero).Elem()
	for i := range dv.NumField() {
		dv.Field(i).Set(reflect.MakeSlice(dv.Field(i).Type(), 1, 1))
	}
	roundTrip(t, zero, full(t, 3, 7))
}

func TestNilAndEmptySlicesDiffer(t *testing.T) {
	in := &rescreen.Dataset{Persons: []rescreen.Person{
		{Languages: nil},
		{Languages: []string{}},
		{Languages: []string{"es", "", "quc", "es"}},
		{Languages: []string{"mam"}},
	}}
	out := &rescreen.Dataset{}
	roundTrip(t, in, out)
	if out.Persons[0].Languages != nil || out.Persons[1].Languages == nil {
		t.Fatalf("nil and empty Languages: got %#v and %#v", out.Persons[0].Languages, out.Persons[1].Languages)
	}
	// The slices share one array; appending to one must not write into the
	// next one's elements.
	_ = append(out.Persons[2].Languages, "x")
	_ = append(out.Persons[1].Languages, "y")
	if got := out.Persons[3].Languages; len(got) != 1 || got[0] != "mam" {
		t.Fatalf("appending to a decoded slice changed the next one: %q", got)
	}
}

func TestPlanCoversEveryField(t *testing.T) {
	var leaves func(t reflect.Type) int
	leaves = func(t reflect.Type) int {
		if t.Kind() != reflect.Struct || t == dateType {
			return 1
		}
		n := 0
		for i := range t.NumField() {
			n += leaves(t.Field(i).Type)
		}
		return n
	}
	for _, k := range kinds {
		if got, want := len(k.ops), leaves(k.typ); got != want {
			t.Errorf("%s: the plan has %d fields, the type %d", k.name, got, want)
		}
		if !strings.Contains(layout, "\t"+k.typ.Name()+".Meta.SourceID string string\n") {
			t.Errorf("%s: the layout does not list Meta.SourceID:\n%s", k.name, layout)
		}
	}
}

func TestLayoutHashFollowsTheTypes(t *testing.T) {
	type a struct{ X, Y string }
	type b struct {
		X, Y string
		Z    *bool
	}
	type c struct{ Y, X string }
	type d struct {
		X string
		Y rescreen.Ref
	}
	seen := map[string]string{}
	for _, typ := range []reflect.Type{reflect.TypeFor[a](), reflect.TypeFor[b](), reflect.TypeFor[c](), reflect.TypeFor[d]()} {
		var sb strings.Builder
		plan(&sb, typ, 0, "R")
		if other, ok := seen[sb.String()]; ok {
			t.Errorf("%s and %s have the same layout text %q", typ, other, sb.String())
		}
		seen[sb.String()] = typ.String()
	}
}

func TestUnknownFieldTypePanics(t *testing.T) {
	type r struct {
		rescreen.Meta
		Score float64
	}
	defer func() {
		msg := fmt.Sprint(recover())
		if !strings.Contains(msg, "R.Score has type float64") {
			t.Fatalf("panic %q does not name the field", msg)
		}
	}()
	plan(&strings.Builder{}, reflect.TypeFor[r](), 0, "R")
}

func TestLayoutMismatch(t *testing.T) {
	if v := Version(); len(v) != 16 || !strings.HasPrefix(fmt.Sprintf("%x", Append(nil, &rescreen.Dataset{})), v) {
		t.Fatalf("Version %q is not the header of a snapshot", v)
	}
	b := Append(nil, full(t, 1, 0))
	for i := range header {
		old := bytes.Clone(b)
		old[i] ^= 0x40
		d := full(t, 1, 0)
		if err := Decode(old, d); !errors.Is(err, ErrLayout) {
			t.Fatalf("header byte %d changed: got %v, want ErrLayout", i, err)
		}
		if d.Len() != 0 {
			t.Fatal("a failed Decode left records in the Dataset")
		}
		if err := DecodeString(string(old), d); !errors.Is(err, ErrLayout) {
			t.Fatalf("header byte %d changed: DecodeString gave %v, want ErrLayout", i, err)
		}
	}
}

func TestTruncatedAndCorrupt(t *testing.T) {
	var inputs [][]byte
	inputs = append(inputs, Append(nil, full(t, 2, 0)), Append(nil, &rescreen.Dataset{}))
	cfg := synth.DefaultConfig()
	cfg.Families = 20
	if err := synth.Generate(cfg, func(d *rescreen.Dataset) error {
		inputs = append(inputs, Append(nil, d))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var d rescreen.Dataset
	for _, b := range inputs {
		for i := range len(b) {
			err := Decode(b[:i], &d)
			if err == nil {
				t.Fatalf("a snapshot of %d bytes cut to %d decoded without error", len(b), i)
			}
			if i >= len(header) && !errors.Is(err, ErrCorrupt) {
				t.Fatalf("cut to %d: %v does not wrap ErrCorrupt", i, err)
			}
			if d.Len() != 0 {
				t.Fatal("a failed Decode left records in the Dataset")
			}
			if err := DecodeString(string(b[:i]), &d); err == nil {
				t.Fatalf("DecodeString of a snapshot of %d bytes cut to %d gave no error", len(b), i)
			}
		}
		if err := Decode(append(bytes.Clone(b), 0), &d); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("trailing byte: got %v", err)
		}
		// Changed bytes may decode to other records, but must not panic.
		for i := len(header); i < len(b); i++ {
			for _, x := range []byte{0x01, 0x80, 0xff} {
				c := bytes.Clone(b)
				c[i] ^= x
				_ = Decode(c, &d)
			}
		}
	}
}

func TestHugeCountsAreRejected(t *testing.T) {
	for _, body := range [][]byte{
		{0xff, 0xff, 0xff, 0xff, 0x0f},                                           // bools
		{0, 0xff, 0xff, 0xff, 0xff, 0x0f},                                        // elems
		{0, 0, 0, 0xff, 0xff, 0xff, 0xff, 7},                                     // persons
		{0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, // overflow
	} {
		var d rescreen.Dataset
		if err := Decode(append(header[:], body...), &d); !errors.Is(err, ErrCorrupt) {
			t.Errorf("% x: got %v, want ErrCorrupt", body, err)
		}
	}
}

func TestSynthRoundTrip(t *testing.T) {
	cfg := synth.DefaultConfig()
	cfg.Families = 2000
	var out rescreen.Dataset // reused, as a what-if scan would
	var buf []byte
	n := 0
	err := synth.Generate(cfg, func(d *rescreen.Dataset) error {
		buf = Append(buf[:0], d)
		decode := Decode
		if n%2 == 1 {
			decode = func(b []byte, d *rescreen.Dataset) error { return DecodeString(string(b), d) }
		}
		if err := decode(buf, &out); err != nil {
			return fmt.Errorf("family %d: %w", n, err)
		}
		in := *d
		normalize(&in)
		normalize(&out)
		if !reflect.DeepEqual(&in, &out) {
			return fmt.Errorf("family %d differs after the round trip", n)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != cfg.Families {
		t.Fatalf("checked %d families", n)
	}
}

func TestDecodeAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	cfg := synth.DefaultConfig()
	cfg.Families = 50
	all, err := synth.Collect(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b := Append(nil, all)
	var d rescreen.Dataset
	if err := Decode(b, &d); err != nil {
		t.Fatal(err)
	}
	// One copy of the input for the strings, one array for the *bool
	// targets and one for the slice elements.
	allocs := testing.AllocsPerRun(20, func() {
		if err := Decode(b, &d); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 3 {
		t.Errorf("Decode of 50 families into a used Dataset: %v allocations, want at most 3", allocs)
	}
	s := string(b)
	if allocs := testing.AllocsPerRun(20, func() { _ = DecodeString(s, &d) }); allocs > 2 {
		t.Errorf("DecodeString of 50 families into a used Dataset: %v allocations, want at most 2", allocs)
	}
	small := Append(nil, full(t, 1, 0))
	if err := Decode(small, &d); err != nil {
		t.Fatal(err)
	}
	if allocs := testing.AllocsPerRun(20, func() { _ = Decode(small, &d) }); allocs > 3 {
		t.Errorf("Decode of one record per kind into a used Dataset: %v allocations, want at most 3", allocs)
	}
}

// FuzzDecode feeds Decode both the input as it is and the input behind a
// valid header: most mutations of a whole snapshot break its header, so
// the second form is what explores the body's decoding.
func FuzzDecode(f *testing.F) {
	body := func(d *rescreen.Dataset) []byte { return Append(nil, d)[len(header):] }
	f.Add(body(&rescreen.Dataset{}))
	f.Add(body(full(f, 1, 0)))
	cfg := synth.DefaultConfig()
	cfg.Families = 3
	if err := synth.Generate(cfg, func(d *rescreen.Dataset) error {
		f.Add(body(d))
		return nil
	}); err != nil {
		f.Fatal(err)
	}
	f.Add([]byte("not a snapshot"))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		var d rescreen.Dataset
		_ = Decode(b, &d)
		_ = DecodeString(string(b), &d)
		if err := Decode(append(header[:], b...), &d); err != nil {
			if d.Len() != 0 {
				t.Fatal("a failed Decode left records in the Dataset")
			}
			return
		}
		// Whatever decodes must survive its own round trip.
		var again rescreen.Dataset
		if err := Decode(Append(nil, &d), &again); err != nil {
			t.Fatalf("re-encoding a decoded snapshot: %v", err)
		}
		normalize(&d)
		normalize(&again)
		if !reflect.DeepEqual(&d, &again) {
			t.Fatal("a decoded snapshot changed in its round trip")
		}
	})
}

// TestConcurrent runs Append and Decode from several goroutines at once, for
// the race detector: both share pooled state.
func TestConcurrent(t *testing.T) {
	cfg := synth.DefaultConfig()
	cfg.Families = 200
	all, err := synth.Collect(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			var d rescreen.Dataset
			var buf []byte
			for i := g; i < len(all.Persons); i += 4 {
				j := i % len(all.Custody)
				in := &rescreen.Dataset{Persons: all.Persons[i : i+1], Custody: all.Custody[j : j+1]}
				buf = Append(buf[:0], in)
				if err := Decode(buf, &d); err != nil {
					t.Error(err)
					return
				}
				if !reflect.DeepEqual(in.Persons, d.Persons) || !reflect.DeepEqual(in.Custody, d.Custody) {
					t.Errorf("person %d differs after a concurrent round trip", i)
					return
				}
			}
		})
	}
	wg.Wait()
}
