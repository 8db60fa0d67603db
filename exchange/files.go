package exchange

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"rescreen"
)

// Input is one file to read: a JSON exchange document, or a CSV file of one
// kind with an optional mapping.
type Input struct {
	Path    string
	Kind    rescreen.Kind // for CSV
	Mapping *Mapping      // for CSV; nil when the header uses the exchange names
	Size    int64
}

// IsJSON reports whether the input is a JSON document.
func (in Input) IsJSON() bool { return in.Kind == "" }

// Inputs expands paths into the files to read, in the order that lets every
// record's references be resolved: JSON documents first, then CSV files in
// the kinds' dependency order. A directory contributes its .json and .csv
// files. A CSV file's kind comes from its mapping or its name; a mapping
// applies to the CSV files of its kind.
func Inputs(paths []string, mappings []*Mapping) ([]Input, error) {
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, rescreen.FieldError{File: p, Msg: "cannot be read: " + errText(err)}
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, rescreen.FieldError{File: p, Msg: "cannot be read: " + errText(err)}
		}
		n := 0
		for _, e := range entries {
			ext := strings.ToLower(filepath.Ext(e.Name()))
			if !e.IsDir() && (ext == ".csv" || ext == ".json") {
				files = append(files, filepath.Join(p, e.Name()))
				n++
			}
		}
		if n == 0 {
			return nil, rescreen.FieldError{File: p, Msg: "the directory holds no .json or .csv files"}
		}
	}
	byKind := map[rescreen.Kind]*Mapping{}
	for _, m := range mappings {
		if byKind[m.Kind] != nil {
			return nil, rescreen.FieldError{File: m.file, Field: "kind", Msg: fmt.Sprintf("another mapping is already given for %s", m.Kind)}
		}
		byKind[m.Kind] = m
	}
	var out []Input
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			return nil, rescreen.FieldError{File: f, Msg: "cannot be read: " + errText(err)}
		}
		in := Input{Path: f, Size: st.Size()}
		switch strings.ToLower(filepath.Ext(f)) {
		case ".json":
		case ".csv":
			k, ok := KindFromFileName(f)
			if !ok && len(mappings) == 1 {
				k, ok = mappings[0].Kind, true
			}
			if !ok {
				return nil, rescreen.FieldError{File: f, Msg: "cannot tell which kind of record the file holds: name it after the kind (persons.csv) or give a mapping"}
			}
			in.Kind, in.Mapping = k, byKind[k]
		default:
			return nil, rescreen.FieldError{File: f, Msg: "is neither .json nor .csv"}
		}
		out = append(out, in)
	}
	rank := map[rescreen.Kind]int{}
	for i, k := range rescreen.Kinds {
		rank[k] = i + 1
	}
	sort.SliceStable(out, func(i, j int) bool { return rank[out[i].Kind] < rank[out[j].Kind] })
	return out, nil
}

// Read reads one input, calling fn for each record and bad for each problem.
// wrap, if not nil, wraps the file's reader (to count progress).
func (in Input) Read(wrap func(io.Reader) io.Reader, fn func(Item) error, bad Problems) error {
	f, err := os.Open(in.Path)
	if err != nil {
		return rescreen.FieldError{File: in.Path, Msg: "cannot be read: " + errText(err)}
	}
	defer f.Close()
	var r io.Reader = f
	if wrap != nil {
		r = wrap(f)
	}
	if in.IsJSON() {
		return ReadJSON(r, in.Path, fn, bad)
	}
	return ReadCSV(r, in.Path, in.Kind, in.Mapping, fn, bad)
}

func errText(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}
