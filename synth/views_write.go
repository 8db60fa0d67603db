package synth

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"rescreen"
)

// Truth files WriteViews writes beside the views.
const (
	// TruthRecordsFile has a row per view record: its source and id, its
	// true person and family, whom its parent and sponsor names refer to,
	// whether it is a person's second record in the source, and the errors
	// put into it.
	TruthRecordsFile = "truth_records.csv"
	// TruthPersonsFile has a row per true person, with the values the
	// views corrupt.
	TruthPersonsFile = "truth_persons.csv"
	// TruthParentChildFile has a row per true pair of an adult and a child
	// in the adult's care.
	TruthParentChildFile = "truth_parent_child.csv"
)

// Headers of the truth files.
var (
	truthRecordsHeader     = []string{"source", "record_id", "person_id", "family_id", "named_parent_id", "named_sponsor_id", "duplicate", "errors"}
	truthPersonsHeader     = []string{"person_id", "family_id", "role", "sex", "given_names", "first_surname", "second_surname", "birth_date", "country", "a_number", "second_a_number"}
	truthParentChildHeader = []string{"parent_id", "child_id", "kind", "family_id"}
)

// shuffleWindow is the number of families whose rows WriteViews shuffles
// together, so that a family's records do not sit next to each other in a
// view while memory stays bounded.
const shuffleWindow = 1024

// ViewStats counts what the views hold.
type ViewStats struct {
	Families    int
	Persons     int
	ParentChild int
	Records     map[rescreen.Source]int
	Duplicates  map[rescreen.Source]int // second records of a person in a source
	WithErrors  map[rescreen.Source]int // records with at least one error
}

// Add counts the views of one family.
func (s *ViewStats) Add(v *FamilyViews) {
	if s.Records == nil {
		s.Records = map[rescreen.Source]int{}
		s.Duplicates = map[rescreen.Source]int{}
		s.WithErrors = map[rescreen.Source]int{}
	}
	s.Families++
	s.Persons += len(v.Persons)
	s.ParentChild += len(v.ParentChild)
	for i := range v.Records {
		r := &v.Records[i]
		s.Records[r.Source]++
		if r.Duplicate {
			s.Duplicates[r.Source]++
		}
		if r.Errors != 0 {
			s.WithErrors[r.Source]++
		}
	}
}

// String reports the counts as a table.
func (s *ViewStats) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d families, %d persons, %d parent-child pairs\n", s.Families, s.Persons, s.ParentChild)
	total := 0
	for _, src := range ViewSources {
		n := s.Records[src]
		total += n
		fmt.Fprintf(&b, "%-14s %9d records  %6d second records  %5.1f%% with errors\n", src, n, s.Duplicates[src], 100*ratio(s.WithErrors[src], n))
	}
	fmt.Fprintf(&b, "%-14s %9d records\n", "all", total)
	return b.String()
}

// WriteViews generates the class cfg describes and writes its agency views
// into dir, which it creates if needed: for each view its CSV file (named
// in ViewSchemas) and beside it the schema with its suggested kinds and
// scopes (the file name with .mapping.json for .csv) and the suggested
// mapping for the linkage command (.mapping, see LinkMapping); and the
// truth files TruthRecordsFile,
// TruthPersonsFile and TruthParentChildFile. Existing files of those names
// are replaced. Rows of a view are shuffled within windows of families, so
// that row order says nothing of the truth.
func WriteViews(dir string, cfg Config, vcfg ViewConfig) (ViewStats, error) {
	var stats ViewStats
	noise, err := vcfg.prepare()
	if err != nil {
		return stats, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return stats, err
	}
	var files []*viewFile
	closeAll := func() error {
		var first error
		for _, f := range files {
			if err := f.close(); err != nil && first == nil {
				first = err
			}
		}
		return first
	}
	open := func(name string, header []string) (*viewFile, error) {
		f, err := createViewFile(filepath.Join(dir, name), header)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
		return f, nil
	}
	var views [len(viewSpecs)]*viewFile
	for i, n := range noise {
		if n == nil {
			continue
		}
		spec := viewSpecs[i]
		base := filepath.Join(dir, strings.TrimSuffix(spec.File, ".csv"))
		if err := os.WriteFile(base+".mapping.json", spec.Mapping(), 0o644); err != nil {
			closeAll()
			return stats, err
		}
		if err := os.WriteFile(base+".mapping", []byte(spec.LinkMapping()), 0o644); err != nil {
			closeAll()
			return stats, err
		}
		if views[i], err = open(spec.File, spec.Header()); err != nil {
			closeAll()
			return stats, err
		}
	}
	truthRecords, err := open(TruthRecordsFile, truthRecordsHeader)
	if err != nil {
		closeAll()
		return stats, err
	}
	truthPersons, err := open(TruthPersonsFile, truthPersonsHeader)
	if err != nil {
		closeAll()
		return stats, err
	}
	truthPairs, err := open(TruthParentChildFile, truthParentChildHeader)
	if err != nil {
		closeAll()
		return stats, err
	}

	seed := vcfg.Seed
	if seed == 0 {
		seed = cfg.Seed
	}
	var pending [len(viewSpecs)][][]string
	window := 0
	flush := func() error {
		shuffle := rand.New(rand.NewPCG(seed, splitmix64(uint64(window)^0x73687566666c65)))
		window++
		for i, rows := range pending {
			shuffle.Shuffle(len(rows), func(a, b int) { rows[a], rows[b] = rows[b], rows[a] })
			for _, row := range rows {
				if err := views[i].write(row); err != nil {
					return err
				}
			}
			pending[i] = rows[:0]
		}
		return nil
	}
	inWindow := 0
	err = GenerateViews(cfg, vcfg, func(v *FamilyViews) error {
		stats.Add(v)
		for i := range v.Records {
			r := &v.Records[i]
			pending[viewIndex(r.Source)] = append(pending[viewIndex(r.Source)], r.Row)
			dup := ""
			if r.Duplicate {
				dup = "1"
			}
			if err := truthRecords.write([]string{string(r.Source), r.ID(), r.PersonID, v.FamilyID, r.NamedParent, r.NamedSponsor, dup, r.Errors.String()}); err != nil {
				return err
			}
		}
		for i := range v.Persons {
			p := &v.Persons[i]
			birth := ""
			if !p.BirthDate.IsZero() {
				birth = p.BirthDate.String()
			}
			if err := truthPersons.write([]string{p.ID, p.FamilyID, string(p.Role), string(p.Sex), p.GivenNames, p.FirstSurname, p.SecondSurname, birth, p.Country, p.ANumber, p.SecondANumber}); err != nil {
				return err
			}
		}
		for _, pc := range v.ParentChild {
			if err := truthPairs.write([]string{pc.Parent, pc.Child, string(pc.Kind), v.FamilyID}); err != nil {
				return err
			}
		}
		if inWindow++; inWindow == shuffleWindow {
			inWindow = 0
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if cerr := closeAll(); err == nil {
		err = cerr
	}
	return stats, err
}

// viewFile is a CSV file being written.
type viewFile struct {
	path string
	f    *os.File
	bw   *bufio.Writer
	w    *csv.Writer
}

func createViewFile(path string, header []string) (*viewFile, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	vf := &viewFile{path: path, f: f, bw: bw, w: csv.NewWriter(bw)}
	if err := vf.write(header); err != nil {
		f.Close()
		return nil, err
	}
	return vf, nil
}

func (vf *viewFile) write(row []string) error {
	if err := vf.w.Write(row); err != nil {
		return fmt.Errorf("synth: writing %s: %w", vf.path, err)
	}
	return nil
}

func (vf *viewFile) close() error {
	vf.w.Flush()
	err := vf.w.Error()
	if err == nil {
		err = vf.bw.Flush()
	}
	if cerr := vf.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("synth: writing %s: %w", vf.path, err)
	}
	return nil
}
