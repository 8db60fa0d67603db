package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sort"

	"rescreen"
	"rescreen/exchange"
	"rescreen/sqlstore"
)

// ImportOptions control an import.
type ImportOptions struct {
	// SkipInvalid imports the valid records and reports the invalid ones
	// in the summary instead of importing nothing.
	SkipInvalid bool
	// Progress, if set, is called as input bytes are read: done of total,
	// over both passes (total is twice the input size).
	Progress func(done, total int64)
	// ChunkRecords is the number of records written per transaction.
	ChunkRecords int
	// Link runs linkage over the store's person records when the import
	// has written (LinkPersons), with these thresholds; nil skips it.
	Link *rescreen.LinkThresholds
}

// ImportSummary tells what an import did.
type ImportSummary struct {
	Batch     string                `json:"batch"`
	Files     []FileInfo            `json:"files"`
	Read      int                   `json:"read"`
	Created   int                   `json:"created"`
	Updated   int                   `json:"updated"`
	Unchanged int                   `json:"unchanged"`
	Rejected  int                   `json:"rejected"`
	Problems  []rescreen.FieldError `json:"problems,omitempty"`
	Derived   int                   `json:"derived"`
	Links     *LinkSummary          `json:"links,omitempty"`
}

// FileInfo identifies one imported file by its content.
type FileInfo struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// maxProblems bounds the problems kept in memory for one import; the count
// of rejected records stays exact beyond it.
const maxProblems = 100000

// location names a record of the input by file and line.
type location struct {
	file string
	line int
}

// Import reads the inputs and writes their records. It reads every input
// twice: the first pass normalizes and validates every record and checks
// every reference, without writing; unless SkipInvalid is set, any problem
// stops the import there and nothing is written. The second pass writes
// the records, a chunk per transaction, each chunk with its audit events.
// Importing the same inputs again changes nothing, and an import cut off by
// a crash is completed by running it again.
func (s *Service) Import(ctx context.Context, inputs []exchange.Input, opt ImportOptions) (*ImportSummary, error) {
	if opt.ChunkRecords <= 0 {
		opt.ChunkRecords = 5000
	}
	sum := &ImportSummary{Batch: s.NewID("B")}
	var total int64
	for _, in := range inputs {
		total += 2 * in.Size
	}
	var done int64
	wrap := func(r io.Reader) io.Reader {
		if opt.Progress == nil {
			return r
		}
		return &progressReader{r: r, fn: func(n int) {
			done += int64(n)
			opt.Progress(done, total)
		}}
	}
	empty, err := s.DB.Empty(ctx)
	if err != nil {
		return nil, err
	}

	// Pass 1: validate everything, index natural keys, check references.
	type seenKey struct {
		loc location
		id  string
	}
	keys := map[string]seenKey{}
	ids := map[string]location{}
	bad := map[location]bool{}
	report := func(fe rescreen.FieldError) error {
		loc := location{fe.File, fe.Line}
		if !bad[loc] {
			sum.Rejected++
		}
		bad[loc] = true
		if len(sum.Problems) < maxProblems {
			sum.Problems = append(sum.Problems, fe)
		}
		return ctx.Err()
	}
	refExists := map[string]bool{}
	exists := func(kind rescreen.Kind, ref rescreen.Ref) (bool, error) {
		ck := cacheKey(kind, ref)
		if _, ok := keys[ck]; ok {
			return true, nil
		}
		if empty {
			return false, nil
		}
		if v, ok := refExists[ck]; ok {
			return v, nil
		}
		src, sid := ref.Split()
		_, ok, err := s.DB.RecordByKey(ctx, kind, src, sid)
		if err != nil {
			return false, err
		}
		refExists[ck] = ok
		return ok, nil
	}
	for _, in := range inputs {
		h := sha256.New()
		hashing := func(r io.Reader) io.Reader { return wrap(io.TeeReader(r, h)) }
		err := in.Read(hashing, func(it exchange.Item) error {
			sum.Read++
			loc := location{it.File, it.Line}
			rescreen.Normalize(it.Kind, it.Record)
			probs := rescreen.Validate(it.Kind, it.Record)
			m := it.Record.Header()
			ck := cacheKey(it.Kind, m.Key())
			if prev, dup := keys[ck]; dup && len(probs) == 0 {
				probs = append(probs, rescreen.FieldError{Field: "source_id", Msg: fmt.Sprintf("%s %s appears twice (also at %s:%d)", singular(it.Kind), m.Key(), prev.loc.file, prev.loc.line)})
			}
			if m.ID != "" {
				if prev, dup := ids[m.ID]; dup {
					probs = append(probs, rescreen.FieldError{Field: "id", Msg: fmt.Sprintf("id %s appears twice (also at %s:%d)", m.ID, prev.file, prev.line)})
				}
			}
			for _, f := range rescreen.Fields(it.Kind) {
				if f.Type != rescreen.TypeRef && f.Type != rescreen.TypeRefList {
					continue
				}
				for _, ref := range f.Refs(it.Record) {
					if src, sid := ref.Split(); src == "" || sid == "" {
						continue // Validate reported it
					}
					ok, err := exists(f.RefKind, ref)
					if err != nil {
						return err
					}
					if !ok {
						probs = append(probs, rescreen.FieldError{Field: f.Name, Msg: fmt.Sprintf("%s %s is neither in the input (before this record) nor on record", singular(f.RefKind), ref)})
					}
				}
			}
			for _, fe := range probs {
				fe.File, fe.Line = it.File, it.Line
				if err := report(fe); err != nil {
					return err
				}
			}
			if len(probs) == 0 {
				keys[ck] = seenKey{loc: loc, id: m.ID}
				if m.ID != "" {
					ids[m.ID] = loc
				}
			}
			return ctx.Err()
		}, report)
		if err != nil {
			return sum, err
		}
		sum.Files = append(sum.Files, FileInfo{Path: in.Path, Size: in.Size, SHA256: hex.EncodeToString(h.Sum(nil))})
	}
	sortProblems(sum.Problems)
	if sum.Rejected > 0 && !opt.SkipInvalid {
		return sum, (&rescreen.ValidationError{Problems: sum.Problems}).AsError("import")
	}
	keys, ids = nil, nil

	// Pass 2: write, a chunk of records per transaction.
	res := newResolver()
	res.empty = empty
	err = s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
		return tx.StartBatch(ctx, sum.Batch, rescreen.ActorFrom(ctx), s.Now(), sum.Files)
	})
	if err != nil {
		return sum, err
	}
	var pending []exchange.Item
	writeChunk := func() error {
		if len(pending) == 0 {
			return nil
		}
		err := s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
			w := s.newWriter(ctx, tx, res, "import", sum.Batch)
			for _, it := range pending {
				probs, err := w.put(it.Kind, it.Record)
				if err != nil {
					return err
				}
				if len(probs) > 0 {
					// Pass 1 checked these; a record can fail here only if
					// the store changed between the passes.
					for i := range probs {
						probs[i].File, probs[i].Line = it.File, it.Line
					}
					return (&rescreen.ValidationError{Problems: probs}).AsError("import")
				}
			}
			if err := w.flush(); err != nil {
				return err
			}
			sum.Created += w.created
			sum.Updated += w.updated
			sum.Unchanged += w.unchanged
			return nil
		})
		pending = pending[:0]
		return err
	}
	for _, in := range inputs {
		err := in.Read(wrap, func(it exchange.Item) error {
			if bad[location{it.File, it.Line}] {
				return nil
			}
			rescreen.Normalize(it.Kind, it.Record)
			pending = append(pending, it)
			if len(pending) >= opt.ChunkRecords {
				return writeChunk()
			}
			return ctx.Err()
		}, func(rescreen.FieldError) error { return nil })
		if err != nil {
			return sum, err
		}
	}
	if err := writeChunk(); err != nil {
		return sum, err
	}
	n, err := s.DeriveDirty(ctx, "import "+sum.Batch)
	sum.Derived = n
	if err != nil {
		return sum, err
	}
	if opt.Link != nil {
		// The linkage runs when this import wrote, and also when person
		// records still wait to be scored: an earlier import cut off
		// after its last chunk (a crash, a kill) or run without linkage
		// left them marked, and running the import again must complete it.
		link := sum.Created+sum.Updated > 0
		if !link {
			var err error
			if link, err = s.DB.HasStaleLinks(ctx); err != nil {
				return sum, err
			}
		}
		if link {
			ls, err := s.LinkPersons(ctx, *opt.Link)
			if err != nil {
				return sum, err
			}
			sum.Links = &ls
		}
	}
	err = s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
		return tx.FinishBatch(ctx, sum.Batch, map[string]int{"read": sum.Read, "created": sum.Created, "updated": sum.Updated, "unchanged": sum.Unchanged, "rejected": sum.Rejected})
	})
	return sum, err
}

func sortProblems(p []rescreen.FieldError) {
	sort.SliceStable(p, func(i, j int) bool {
		if p[i].File != p[j].File {
			return p[i].File < p[j].File
		}
		return p[i].Line < p[j].Line
	})
}

type progressReader struct {
	r  io.Reader
	fn func(int)
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		p.fn(n)
	}
	return n, err
}

// WriteRejects writes the problems of an import, one per line, as
// file:line: field: what is wrong.
func WriteRejects(path string, problems []rescreen.FieldError) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Fprintln(f, p.Error())
	}
	return f.Close()
}
