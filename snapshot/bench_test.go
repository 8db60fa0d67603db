package snapshot

import (
	"encoding/base32"
	"encoding/binary"
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	"rescreen"
	"rescreen/synth"
)

// benchFamilies is the number of distinct synthetic families a benchmark
// cycles through, enough that their snapshots do not all stay in cache.
const benchFamilies = 2000

// idEncoding is Crockford's base32, as in the store's ids.
var idEncoding = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

// benchData holds copies of synthetic families. With ids, every record gets
// an id of the form the store assigns (app.RandomIDs: a prefix, 48 bits of
// milliseconds and a counter that rises within the family), since stored
// families carry them and synth leaves them empty.
func benchData(b *testing.B, ids bool) []*rescreen.Dataset {
	b.Helper()
	cfg := synth.DefaultConfig()
	cfg.Families = benchFamilies
	var out []*rescreen.Dataset
	err := synth.Generate(cfg, func(d *rescreen.Dataset) error {
		// Generate reuses d, so keep a deep copy.
		j, err := json.Marshal(d)
		if err != nil {
			return err
		}
		c := &rescreen.Dataset{}
		if err := json.Unmarshal(j, c); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if ids {
		for i, d := range out {
			var raw [14]byte
			binary.BigEndian.PutUint64(raw[6:], uint64(i)*0x9e3779b97f4a7c15>>1)
			ms := 1_764_000_000_000 + uint64(i)/8
			for j := 5; j >= 0; j-- {
				raw[j] = byte(ms)
				ms >>= 8
			}
			_ = d.EachRecord(func(k rescreen.Kind, r rescreen.Record) error {
				r.Header().ID = strings.ToUpper(string(k[:1])) + "-" + idEncoding.EncodeToString(raw[:])
				binary.BigEndian.PutUint64(raw[6:], binary.BigEndian.Uint64(raw[6:])+1)
				return nil
			})
		}
	}
	return out
}

func sizes(b *testing.B, fams []*rescreen.Dataset) (snap, js float64) {
	for _, d := range fams {
		snap += float64(len(Append(nil, d)))
		j, err := json.Marshal(d)
		if err != nil {
			b.Fatal(err)
		}
		js += float64(len(j))
	}
	return snap / float64(len(fams)), js / float64(len(fams))
}

var benchCases = []struct {
	name string
	ids  bool
}{{"ids=none", false}, {"ids=store", true}}

func BenchmarkAppend(b *testing.B) {
	for _, bc := range benchCases {
		b.Run(bc.name, func(b *testing.B) {
			fams := benchData(b, bc.ids)
			snap, js := sizes(b, fams)
			var buf []byte
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				buf = Append(buf[:0], fams[i%len(fams)])
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/family")
			b.ReportMetric(snap, "B/family")
			b.ReportMetric(js, "json-B/family")
		})
	}
}

func BenchmarkDecode(b *testing.B) {
	benchDecode(b, func(s []byte) []byte { return s }, Decode)
}

// BenchmarkDecodeString decodes snapshots held in strings, as a scan that
// reads them from the store into strings would, without Decode's copy.
func BenchmarkDecodeString(b *testing.B) {
	benchDecode(b, func(s []byte) string { return string(s) }, DecodeString)
}

func benchDecode[S any](b *testing.B, conv func([]byte) S, decode func(S, *rescreen.Dataset) error) {
	for _, bc := range benchCases {
		b.Run(bc.name, func(b *testing.B) {
			snaps := make([]S, 0, benchFamilies)
			total := 0
			for _, d := range benchData(b, bc.ids) {
				s := Append(nil, d)
				snaps = append(snaps, conv(s))
				total += len(s)
			}
			// Only the snapshots stay live, as in a scan that reads them
			// from the store, so the garbage collector's work is the
			// decoder's own and not the fixture's.
			runtime.GC()
			var d rescreen.Dataset
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				if err := decode(snaps[i%len(snaps)], &d); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/family")
			b.ReportMetric(float64(total)/float64(len(snaps)), "B/family")
		})
	}
}

// BenchmarkDecodeJSON decodes the same families from their JSON, the
// alternative a snapshot replaces.
func BenchmarkDecodeJSON(b *testing.B) {
	for _, bc := range benchCases {
		b.Run(bc.name, func(b *testing.B) {
			fams := benchData(b, bc.ids)
			docs := make([][]byte, len(fams))
			total := 0
			for i, d := range fams {
				j, err := json.Marshal(d)
				if err != nil {
					b.Fatal(err)
				}
				docs[i] = j
				total += len(j)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				var d rescreen.Dataset
				if err := json.Unmarshal(docs[i%len(docs)], &d); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/family")
			b.ReportMetric(float64(total)/float64(len(docs)), "B/family")
		})
	}
}
