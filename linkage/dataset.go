package linkage

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
)

// A Field is one thing the model compares between two records: the given
// names, the surnames, a full name, a date, an identifier, a place or a
// text. Its values are prepared once per record when the Dataset is built.
type Field struct {
	// Name is the field's name in the output: the first mapped column's
	// header.
	Name string
	// Kind says how the field is compared; see Levels.
	Kind Kind
	// Levels names the comparison levels, from 0 (no agreement) to the
	// exact level, the last.
	Levels []string

	persons []PersonName // KindGiven and KindSurname: the dataset's names
	names   []Name       // KindFullName
	dates   []Date       // KindDate
	strs    []string     // KindIdentifier, KindANumber, KindPlace, KindText: normalised
	// val holds the interned value of each record (0: missing); freq[v]
	// is the share of records whose value is v, for the term-frequency
	// adjustment of exact agreement.
	val     []uint32
	freq    []float64
	present int // records with a value
	index   int // the field's place in Dataset.Fields
	// For a FullName: the tables whose full names were built from given
	// names and surnames, and each record's table. Two such full names
	// are not compared: the given-name and surname fields already did.
	synthOf []bool
	src     []uint16
}

// Exact returns the field's exact level.
func (f *Field) Exact() int { return len(f.Levels) - 1 }

// Value returns record r's value of the field as it is compared: folded
// words for names (given names and surnames separated by " / "), a date as
// YYYY-MM-DD with 00 for an unknown part, an identifier without spaces or
// punctuation. A missing value is "".
func (f *Field) Value(r int) string {
	switch f.Kind {
	case KindGiven:
		return f.persons[r].Given.Text
	case KindSurname:
		p := &f.persons[r]
		if p.Surname2.IsEmpty() {
			return p.Surname1.Text
		}
		return p.Surname1.Text + " / " + p.Surname2.Text
	case KindFullName:
		return f.names[r].Text
	case KindDate:
		d := f.dates[r]
		if d.IsZero() {
			return ""
		}
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
	}
	return f.strs[r]
}

// compare returns the level at which records i and j agree on the field,
// or -1 if either value is missing. c may be nil.
func (f *Field) compare(i, j int, c *nameCache) int8 {
	switch f.Kind {
	case KindGiven:
		if c == nil {
			return int8(CompareGivenNames(&f.persons[i], &f.persons[j]))
		}
		return int8(compareGivenNamesWith(&f.persons[i], &f.persons[j], c.names))
	case KindSurname:
		if c == nil {
			return int8(CompareSurnames(&f.persons[i], &f.persons[j]))
		}
		return int8(compareSurnamesWith(&f.persons[i], &f.persons[j], c.surname))
	case KindFullName:
		if f.synthOf != nil && f.synthOf[f.src[i]] && f.synthOf[f.src[j]] {
			return -1
		}
		return int8(c.fullNames(&f.names[i], &f.names[j]))
	case KindDate:
		return int8(CompareDates(f.dates[i], f.dates[j]))
	case KindIdentifier:
		return int8(CompareIDs(f.strs[i], f.strs[j]))
	case KindANumber:
		return int8(CompareANumbers(f.strs[i], f.strs[j]))
	}
	return int8(c.strings(f.index, f, i, j))
}

// levelNames returns the names of the levels of a kind's comparator.
func levelNames(k Kind) []string {
	switch k {
	case KindGiven:
		return nameLevelNames[:]
	case KindFullName:
		return fullNameLevelNames[:]
	case KindSurname:
		return surnameLevelNames[:]
	case KindDate:
		return dateLevelNames[:]
	case KindIdentifier:
		return idLevelNames[:]
	case KindANumber:
		return aNumberLevelNames[:]
	}
	return stringLevelNames[:]
}

// A Dataset is the records of one or more Tables with every field's
// features computed: names normalised with their phonetic keys and
// nickname entries, dates parsed, identifiers and places normalised, and
// exact values interned with their frequencies. Records are numbered from
// 0 across the tables, in order.
type Dataset struct {
	Tables []*Table
	// Fields are the compared fields. The n-th field of a kind draws on
	// the n-th column of that kind of each table's mapping; Given and
	// Surname draw on all the Given and Surname columns.
	Fields []Field
	// Warnings describe values that could not be read, such as dates not
	// in the layout; such values count as missing.
	Warnings []string

	src     []uint16 // the table of each record
	start   []int    // the first record of each table
	persons []PersonName
	// rel holds the family and parent columns; nil when there are none.
	rel *relations
	// firstDate is the index of the first Date field, or -1.
	firstDate int
}

// Len returns the number of records.
func (d *Dataset) Len() int { return len(d.src) }

// Source returns the index of the table that record r comes from.
func (d *Dataset) Source(r int) int { return int(d.src[r]) }

// ID returns record r's id in its table.
func (d *Dataset) ID(r int) string {
	t := d.src[r]
	return d.Tables[t].IDs[r-d.start[t]]
}

// describe names record r for messages: its id and file.
func (d *Dataset) describe(r int) string {
	return d.ID(r) + " (" + d.Tables[d.src[r]].Name + ")"
}

// Line returns the line of its file on which record r starts.
func (d *Dataset) Line(r int) int {
	t := d.src[r]
	return int(d.Tables[t].Lines[r-d.start[t]])
}

// Find returns the records whose id is id, in any table.
func (d *Dataset) Find(id string) []int {
	var out []int
	for t, tb := range d.Tables {
		for k, x := range tb.IDs {
			if x == id {
				out = append(out, d.start[t]+k)
			}
		}
	}
	return out
}

// fieldSource says where a field's values come from in one table: the
// mapping's column indices (several for names), or none.
type fieldSource struct {
	cols []int
	// synth: a FullName built from the table's given names and surnames.
	synth bool
}

// NewDataset prepares the records of the tables for linkage, using up to
// workers goroutines (0 means one per CPU).
func NewDataset(tables []*Table, workers int) (*Dataset, error) {
	if len(tables) == 0 {
		return nil, fmt.Errorf("no table to link")
	}
	if len(tables) > 1<<16 {
		return nil, fmt.Errorf("%d tables: at most 65,536", len(tables))
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	d := &Dataset{Tables: tables, firstDate: -1}
	n := 0
	for t, tb := range tables {
		d.start = append(d.start, n)
		n += tb.Len()
		if n >= 1<<31 {
			return nil, fmt.Errorf("too many records: at most 2,147,483,647")
		}
		for range tb.Len() {
			d.src = append(d.src, uint16(t))
		}
	}

	// The fields: names first, then every other kind by its ordinal.
	type spec struct {
		kind Kind
		from []fieldSource // per table
	}
	var specs []spec
	colsOf := func(tb *Table, k Kind) []int {
		var out []int
		for i, c := range tb.Mapping {
			if c.Kind == k && c.person() {
				out = append(out, i)
			}
		}
		return out
	}
	hasNames := func(tb *Table) bool {
		return len(colsOf(tb, KindGiven))+len(colsOf(tb, KindSurname)) > 0
	}
	for _, k := range []Kind{KindGiven, KindSurname} {
		s := spec{kind: k, from: make([]fieldSource, len(tables))}
		any := false
		for t, tb := range tables {
			s.from[t].cols = colsOf(tb, k)
			any = any || len(s.from[t].cols) > 0
		}
		if any {
			specs = append(specs, s)
		}
	}
	for _, k := range []Kind{KindFullName, KindDate, KindIdentifier, KindANumber, KindPlace, KindText} {
		most := 0
		for _, tb := range tables {
			most = max(most, len(colsOf(tb, k)))
		}
		for ord := 0; ord < most; ord++ {
			s := spec{kind: k, from: make([]fieldSource, len(tables))}
			for t, tb := range tables {
				cols := colsOf(tb, k)
				switch {
				case ord < len(cols):
					s.from[t].cols = cols[ord : ord+1]
				case k == KindFullName && ord == 0 && hasNames(tb):
					s.from[t].synth = true
				}
			}
			specs = append(specs, s)
		}
	}
	if len(specs) == 0 {
		return nil, fmt.Errorf("the mappings name no field to compare")
	}
	if len(specs) > maxFields {
		return nil, fmt.Errorf("the mappings name %d fields to compare; at most %d", len(specs), maxFields)
	}
	for _, s := range specs {
		f := Field{Kind: s.kind, Levels: levelNames(s.kind)}
		for t, fs := range s.from {
			if len(fs.cols) > 0 {
				f.Name = tables[t].Mapping[fs.cols[0]].Name
				break
			}
		}
		if f.Name == "" {
			f.Name = s.kind.String()
		}
		f.index = len(d.Fields)
		for t, fs := range s.from {
			if fs.synth {
				if f.synthOf == nil {
					f.synthOf = make([]bool, len(tables))
				}
				f.synthOf[t] = true
				f.src = d.src
			}
		}
		if s.kind == KindDate && d.firstDate < 0 {
			d.firstDate = len(d.Fields)
		}
		d.Fields = append(d.Fields, f)
	}
	// Field names must be distinct: they head the output's columns.
	used := map[string]int{}
	for i := range d.Fields {
		name := d.Fields[i].Name
		if used[name] > 0 {
			d.Fields[i].Name = fmt.Sprintf("%s_%d", name, used[name]+1)
		}
		used[name]++
	}

	// Allocate the columns.
	needPersons := false
	for i := range d.Fields {
		f := &d.Fields[i]
		switch f.Kind {
		case KindGiven, KindSurname:
			needPersons = true
		case KindFullName:
			f.names = make([]Name, n)
		case KindDate:
			f.dates = make([]Date, n)
		default:
			f.strs = make([]string, n)
		}
	}
	if needPersons {
		d.persons = make([]PersonName, n)
		for i := range d.Fields {
			if k := d.Fields[i].Kind; k == KindGiven || k == KindSurname {
				d.Fields[i].persons = d.persons
			}
		}
	}

	gcols := make([][]int, len(tables))
	scols := make([][]int, len(tables))
	for t, tb := range tables {
		gcols[t], scols[t] = colsOf(tb, KindGiven), colsOf(tb, KindSurname)
	}

	// Compute the features, in parallel over ranges of records.
	badDates := make([][]dateProblem, workers)
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, min(n, (w+1)*chunk)
		if lo >= hi {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			var parts []string
			for r := lo; r < hi; r++ {
				t := int(d.src[r])
				tb := tables[t]
				k := r - d.start[t]
				if needPersons {
					var given, s1, s2 string
					parts = parts[:0]
					for _, c := range gcols[t] {
						if v := tb.Values[c][k]; !isNull(v) {
							parts = append(parts, v)
						}
					}
					given = strings.Join(parts, " ")
					sc := scols[t]
					if len(sc) > 0 {
						s1 = nullToEmpty(tb.Values[sc[0]][k])
					}
					if len(sc) > 1 {
						parts = parts[:0]
						for _, c := range sc[1:] {
							if v := tb.Values[c][k]; !isNull(v) {
								parts = append(parts, v)
							}
						}
						s2 = strings.Join(parts, " ")
					}
					d.persons[r] = NewPersonName(given, s1, s2)
				}
				for fi, s := range specs {
					f := &d.Fields[fi]
					fs := s.from[t]
					if fs.synth {
						p := &d.persons[r]
						f.names[r] = NewName(p.Given.Text + " " + p.Surnames.Text)
						continue
					}
					if len(fs.cols) == 0 {
						continue
					}
					c := fs.cols[0]
					v := tb.Values[c][k]
					if isNull(v) {
						continue
					}
					switch f.Kind {
					case KindFullName:
						f.names[r] = NewName(v)
					case KindDate:
						dt, ok := tb.Mapping[c].Layout.Parse(v)
						if !ok {
							badDates[w] = append(badDates[w], dateProblem{t, c, k})
						}
						f.dates[r] = dt
					case KindIdentifier:
						f.strs[r] = normalizeIdentifier(v)
					case KindANumber:
						f.strs[r] = NormalizeANumber(v)
					case KindPlace, KindText:
						f.strs[r] = Fold(v)
					}
				}
			}
		}()
	}
	wg.Wait()
	d.reportDates(badDates)
	d.rel = newRelations(tables, d.start, n)

	// Intern exact values, one field per goroutine, and number the names
	// for the comparison caches.
	wg.Add(1)
	go func() {
		defer wg.Done()
		d.numberNames()
	}()
	for i := range d.Fields {
		wg.Add(1)
		go func(f *Field) {
			defer wg.Done()
			f.intern()
		}(&d.Fields[i])
	}
	wg.Wait()
	return d, nil
}

// maxFields is the most fields a model compares: a comparison vector
// packs each field's level into four bits of a uint64.
const maxFields = 16

type dateProblem struct{ table, col, rec int }

// reportDates turns the dates that did not follow their layout into one
// warning per column, with the first example.
func (d *Dataset) reportDates(probs [][]dateProblem) {
	type tc struct{ t, c int }
	count := map[tc]int{}
	first := map[tc]dateProblem{}
	var order []tc
	for _, ps := range probs {
		for _, p := range ps {
			key := tc{p.table, p.col}
			if count[key] == 0 {
				order = append(order, key)
				first[key] = p
			} else if p.rec < first[key].rec {
				first[key] = p
			}
			count[key]++
		}
	}
	for _, key := range order {
		tb := d.Tables[key.t]
		p := first[key]
		col := tb.Mapping[key.c]
		d.Warnings = append(d.Warnings, fmt.Sprintf("%s:%d: %s: %d value(s) not in the layout %s and taken as missing, the first %q",
			tb.Name, tb.Lines[p.rec], col.Name, count[key], col.Layout, tb.Values[key.c][p.rec]))
	}
}

// intern assigns each distinct exact value of the field an id, and
// computes each value's share of the records.
func (f *Field) intern() {
	n := max(len(f.persons), len(f.names), len(f.dates), len(f.strs))
	f.val = make([]uint32, n)
	counts := []float64{0}
	ids := map[string]uint32{}
	var buf [4]byte
	for r := 0; r < n; r++ {
		var key string
		switch f.Kind {
		case KindGiven:
			key = f.persons[r].Given.Glued
		case KindSurname:
			key = f.persons[r].Surnames.Glued
		case KindFullName:
			key = f.names[r].Glued
		case KindDate:
			dt := f.dates[r]
			if dt.IsZero() {
				continue
			}
			buf = [4]byte{byte(dt.Year >> 8), byte(dt.Year), byte(dt.Month), byte(dt.Day)}
			key = string(buf[:])
		default:
			key = f.strs[r]
		}
		if key == "" {
			continue
		}
		id, ok := ids[key]
		if !ok {
			id = uint32(len(counts))
			ids[key] = id
			counts = append(counts, 0)
		}
		f.val[r] = id
		counts[id]++
		f.present++
	}
	for i := range counts {
		counts[i] /= float64(n)
	}
	f.freq = counts
}

// nullValues are the values agencies write for "not known"; they count as
// missing. FNU and LNU ("first name unknown", "last name unknown") are
// what U.S. immigration systems enter.
var nullValues = []string{"na", "n a", "nan", "null", "none", "nil", "unknown", "unk", "desconocido",
	"desconocida", "sin dato", "sin datos", "s d", "nd", "n d", "fnu", "lnu", "nfn", "nmn", "xxx", "xx"}

// isNull reports whether a raw value is empty or stands for a missing one.
func isNull(v string) bool {
	if v == "" {
		return true
	}
	if len(v) > 12 {
		return false
	}
	var buf [48]byte
	f := AppendFold(buf[:0], v)
	if len(f) == 0 {
		return true
	}
	for _, n := range nullValues {
		if string(f) == n {
			return true
		}
	}
	return false
}

func nullToEmpty(v string) string {
	if isNull(v) {
		return ""
	}
	return v
}

// normalizeIdentifier keeps the letters and digits of an identifier, folded:
// "123-45-6789", "123 45 6789" and "123456789" are one value.
func normalizeIdentifier(s string) string {
	f := Fold(s)
	if !strings.Contains(f, " ") {
		return f
	}
	return strings.ReplaceAll(f, " ", "")
}
