package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"rescreen"
	"rescreen/rules"
	"rescreen/synth"
)

// poppler returns the path of one of poppler-utils' programs. Without it
// the test is skipped on a developer's machine, but fails when CI is set:
// CI installs poppler-utils, and a check that silently skips there proves
// nothing.
func poppler(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("%s is not installed (Debian: poppler-utils); CI runs this test", name)
		}
		t.Fatalf("%s is not installed, and CI is set: %v", name, err)
	}
	return p
}

// pageText extracts the text of the PDF with pdftotext, of the pages
// first to last (0 for the whole document), each run of white space
// collapsed to one space.
func pageText(t testing.TB, pdf []byte, first, last int) string {
	t.Helper()
	bin := poppler(t, "pdftotext")
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-layout", "-enc", "UTF-8"}
	if first > 0 {
		args = append(args, "-f", fmt.Sprint(first), "-l", fmt.Sprint(last))
	}
	out, err := exec.Command(bin, append(args, path, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// layoutText is the whole document's text as pdftotext -layout lays it
// out, a table's row on one line.
func layoutText(t testing.TB, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(poppler(t, "pdftotext"), "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// firstPagePNG rasters page 1 with pdftoppm at 50 dpi and decodes it.
func firstPagePNG(t testing.TB, pdf []byte) image.Image {
	t.Helper()
	bin := poppler(t, "pdftoppm")
	dir := t.TempDir()
	in, out := filepath.Join(dir, "report.pdf"), filepath.Join(dir, "page")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command(bin, "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", in, out).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, msg)
	}
	raw, err := os.ReadFile(out + ".png")
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("page 1 is not a PNG: %v", err)
	}
	return img
}

// inked is the share of the image's pixels that are not near white.
func inked(img image.Image) float64 {
	b := img.Bounds()
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r+g+bl < 3*0xE000 {
				n++
			}
		}
	}
	return float64(n) / float64(b.Dx()*b.Dy())
}

var testSnapshot = Snapshot{
	AuditSeq:  48213,
	AuditHash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
	At:        time.Date(2019, 6, 1, 17, 4, 5, 0, time.UTC),
}

// syntheticReport evaluates a synthetic class of n families with the
// default rules as of asOf and counts it, as the service does for a store
// holding the class.
func syntheticReport(tb testing.TB, n int) *Report {
	tb.Helper()
	eng, err := rules.NewEngine(nil)
	if err != nil {
		tb.Fatal(err)
	}
	t := NewTally(asOf)
	err = synth.Generate(synth.Config{Families: n, Seed: synth.DefaultSeed}, func(d *rescreen.Dataset) error {
		t.Add(d, eng.Evaluate(d, asOf))
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return t.Report("Status report", testSnapshot, eng.Version())
}

// TestPDFOfASyntheticClass renders the report of a small synthetic class,
// rasters its first page with pdftoppm and reads its text with pdftotext:
// the first page names the report (title, date, snapshot, rule set,
// definitions) and gives the key numbers, equal to the report's own; the
// document has a section for every definition with every group's value.
func TestPDFOfASyntheticClass(t *testing.T) {
	rep := syntheticReport(t, 300)
	pdf, err := rep.PDF("en")
	if err != nil {
		t.Fatal(err)
	}
	img := firstPagePNG(t, pdf)
	if b := img.Bounds(); b.Dx() != 425 || b.Dy() != 550 {
		t.Errorf("page 1 is %v, want Letter at 50 dpi, 425x550", b)
	}
	if ink := inked(img); ink < 0.03 {
		t.Errorf("only %.3f of page 1 is inked", ink)
	}

	page1 := pageText(t, pdf, 1, 1)
	get := func(id, group string) int64 {
		v, ok := rep.Get(id, group)
		if !ok {
			t.Fatalf("the report has no row %s [%s]", id, group)
		}
		return v
	}
	families, members := get("SR-1", ""), get("SR-3", "")
	if families != 300 || members < 300 {
		t.Fatalf("the class counts %d families and %d members", families, members)
	}
	for _, want := range []string{
		"Status Report to the Court",
		"As of 2019-06-01",
		"Snapshot audit event 48,213 (2019-06-01 17:04:05 UTC)",
		"Audit chain head: " + testSnapshot.AuditHash,
		"Rule set version: " + rep.RuleSet,
		"Definitions version " + DefinitionsVersion,
		"Key numbers",
		"SR-1 families in the registry 300",
		fmt.Sprintf("SR-3 class members %s", formatCount(members)),
		fmt.Sprintf("SR-3 class members: parents %s", formatCount(get("SR-3", "parents"))),
		fmt.Sprintf("SR-3 class members: children %s", formatCount(get("SR-3", "children"))),
		fmt.Sprintf("SR-12 families by outcome: STAYS %d", get("SR-12", "STAYS")),
		fmt.Sprintf("SR-13 removal holds in force: members %s", formatCount(get("SR-13", "members"))),
		fmt.Sprintf("SR-15 missed deadlines %s", formatCount(get("SR-15", ""))),
		"Page 1 of",
	} {
		if !strings.Contains(page1, want) {
			t.Errorf("page 1 lacks %q:\n%s", want, page1)
		}
	}
	// The footer names the report on every page, so a loose page says
	// which report it belongs to.
	pages := regexp.MustCompile(`Page 1 of (\d+)`).FindStringSubmatch(page1)
	if pages == nil || pages[1] == "1" {
		t.Fatalf("page 1 does not say how many pages follow: %q", page1)
	}
	var n int
	fmt.Sscan(pages[1], &n)
	for p := 1; p <= n; p++ {
		if text := pageText(t, pdf, p, p); !strings.Contains(text, "Status report as of 2019-06-01 · audit event 48,213 · "+testSnapshot.AuditHash[:12]) ||
			!strings.Contains(text, fmt.Sprintf("Page %d of %d", p, n)) {
			t.Errorf("page %d lacks the footer:\n%s", p, text)
		}
	}

	all := pageText(t, pdf, 0, 0)
	if !strings.Contains(all, "rescreen audit verify --head "+testSnapshot.AuditHash) {
		t.Error("the report does not say how to check its snapshot")
	}
	for _, id := range rep.IDs() {
		head := id + " · " + rep.Metric(id, "en")
		if !strings.Contains(all, head) {
			t.Errorf("no section %q", head)
		}
		if d := DefinitionText(id, "en"); d == "" || !strings.Contains(all, strings.Join(strings.Fields(d), " ")) {
			t.Errorf("section %s lacks its definition %q", id, d)
		}
	}
	// Every row is in its table: a line of the laid-out text starts with
	// the id, holds the metric's and the group's first words (longer
	// cells wrap onto the next lines) and ends with the value.
	lines := strings.Split(layoutText(t, pdf), "\n")
	for _, x := range rep.Rows {
		group := groupLabel(x.Group, pdfTexts["en"])
		found := false
		for _, l := range lines {
			f := strings.Fields(l)
			if len(f) >= 4 && f[0] == x.ID && f[len(f)-1] == formatCount(x.Value) &&
				f[1] == strings.Fields(x.Metric)[0] && strings.Contains(l, strings.Fields(group)[0]) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("the PDF lacks the row %s [%s] %d", x.ID, x.Group, x.Value)
		}
	}
	for _, chart := range []string{"Class members by place", "Class members by country (the 12 most frequent)", "Families by outcome",
		"Days from an Option A election to the interview"} {
		if !strings.Contains(all, chart) {
			t.Errorf("no chart %q", chart)
		}
	}
	if v, ok := rep.Get("SR-11", "done median"); ok && !strings.Contains(all, "done median "+formatCount(v)+" days") {
		t.Errorf("the waits' chart lacks the median of %d days", v)
	}
}

// TestPDFInSpanish: the Spanish document has its own wording, the
// definitions in Spanish, and the same numbers.
func TestPDFInSpanish(t *testing.T) {
	rep := syntheticReport(t, 60)
	pdf, err := rep.PDF("es")
	if err != nil {
		t.Fatal(err)
	}
	page1 := pageText(t, pdf, 1, 1)
	for _, want := range []string{"Informe de Situación para el Tribunal", "Fecha del informe 2019-06-01", "evento de auditoría 48,213",
		"Números principales", "SR-1 familias en el registro 60", "Página 1 de"} {
		if !strings.Contains(page1, want) {
			t.Errorf("page 1 lacks %q:\n%s", want, page1)
		}
	}
	all := pageText(t, pdf, 0, 0)
	for _, want := range []string{"SR-12 · familias por resultado", DefinitionText("SR-5", "es"), "Familias por resultado", "Días desde una elección"} {
		if !strings.Contains(all, want) {
			t.Errorf("the Spanish PDF lacks %q", want)
		}
	}
	if strings.Contains(all, "Status Report to the Court") {
		t.Error("the Spanish PDF has the English title")
	}
}

// TestPDFIsDeterministic: the same report gives the same bytes, in any
// number of concurrent renders; a report that differs in one number, or
// in its snapshot, gives other bytes.
func TestPDFIsDeterministic(t *testing.T) {
	rep := syntheticReport(t, 80)
	want, err := rep.PDF("en")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	got := make([][]byte, 4)
	for i := range got {
		wg.Go(func() { got[i], _ = syntheticReport(t, 80).PDF("en") })
	}
	wg.Wait()
	for i, g := range got {
		if !bytes.Equal(g, want) {
			t.Errorf("render %d differs from the first", i)
		}
	}
	var buf bytes.Buffer
	if err := rep.WritePDF(&buf, "en"); err != nil || !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("WritePDF wrote other bytes than PDF (%v)", err)
	}
	changed := *rep
	changed.Rows = append([]Row(nil), rep.Rows...)
	changed.Rows[0].Value++
	if b, _ := changed.PDF("en"); bytes.Equal(b, want) {
		t.Error("a report with another number gives the same PDF")
	}
	other := *rep
	other.Snapshot.AuditHash = strings.Repeat("0", 64)
	if b, _ := other.PDF("en"); bytes.Equal(b, want) {
		t.Error("a report of another snapshot gives the same PDF")
	}
	sum := sha256.Sum256(want)
	t.Logf("%d bytes, SHA-256 %s", len(want), hex.EncodeToString(sum[:]))
}

// TestPDFShowsEveryDefinition: a definition this package has no wording
// for (one added later) still gets its section, named by its rows'
// metric; a report without rows says so; values that look like markup
// or PDF syntax are drawn as text.
func TestPDFShowsEveryDefinition(t *testing.T) {
	rep := &Report{Title: "Status report", AsOf: asOf, Snapshot: testSnapshot, RuleSet: "v1", Definitions: DefinitionsVersion, Rows: []Row{
		{ID: "SR-1", Metric: "families in the registry", Value: 1234567},
		{ID: "SR-99", Metric: "objections received", Value: 7},
		{ID: "SR-99", Metric: "objections received", Group: "<b>BY MAIL</b> ) Tj ET", Value: 3},
	}}
	pdf, err := rep.PDF("en")
	if err != nil {
		t.Fatal(err)
	}
	all := pageText(t, pdf, 0, 0)
	for _, want := range []string{"SR-1 families in the registry 1,234,567", "SR-99 · objections received", "SR-99 objections received total 7",
		"SR-99 objections received <b>BY MAIL</b> ) Tj ET 3"} {
		if !strings.Contains(all, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, all)
		}
	}
	es, err := rep.PDF("es")
	if err != nil {
		t.Fatal(err)
	}
	if text := pageText(t, es, 0, 0); !strings.Contains(text, "SR-99 · objections received") || !strings.Contains(text, "SR-1 · familias en el registro") {
		t.Errorf("the Spanish PDF names the definitions wrongly:\n%s", text)
	}

	empty := &Report{AsOf: asOf, Snapshot: testSnapshot}
	pdf, err = empty.PDF("en")
	if err != nil {
		t.Fatal(err)
	}
	if text := pageText(t, pdf, 0, 0); !strings.Contains(text, "This report holds no numbers.") {
		t.Errorf("an empty report:\n%s", text)
	}
}

func TestPDFLanguages(t *testing.T) {
	rep := &Report{AsOf: asOf}
	for _, lang := range Languages {
		if _, err := rep.PDF(lang); err != nil {
			t.Errorf("%s: %v", lang, err)
		}
	}
	_, err := rep.PDF("mam")
	if rescreen.ErrorCode(err) != rescreen.EINVALID || !strings.Contains(err.Error(), `"mam"`) {
		t.Errorf("an unwritten language: %v, want EINVALID naming it", err)
	}
	for id := range definitions {
		for _, lang := range Languages {
			if definitions[id].metric[lang] == "" || definitions[id].text[lang] == "" {
				t.Errorf("%s has no wording in %s", id, lang)
			}
		}
	}
}

// TestDefinitionsFollowTheRows: every definition the report counts has
// its wording here, and its English name is the name the report's rows
// carry, so the PDF and the CSV agree; there is no wording for a
// definition the report does not count.
func TestDefinitionsFollowTheRows(t *testing.T) {
	counted := map[string]bool{}
	for _, m := range metrics {
		counted[m.id] = true
		if got := definitions[m.id].metric["en"]; got != m.metric {
			t.Errorf("%s: the PDF names it %q, the rows %q", m.id, got, m.metric)
		}
	}
	for id := range definitions {
		if !counted[id] {
			t.Errorf("%s has wording but the report does not count it", id)
		}
	}
	rep := syntheticReport(t, 40)
	for _, x := range rep.Rows {
		if m := definitions[x.ID].metric["en"]; m != x.Metric {
			t.Errorf("%s: the PDF names it %q, the rows %q", x.ID, m, x.Metric)
		}
	}
}

func TestFormatCount(t *testing.T) {
	for _, tt := range []struct {
		v    int64
		want string
	}{{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {48213, "48,213"}, {1234567, "1,234,567"}, {-1234, "-1,234"}} {
		if got := formatCount(tt.v); got != tt.want {
			t.Errorf("formatCount(%d) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

// BenchmarkWritePDF renders the report of the default synthetic class
// (the demo's), in English.
func BenchmarkWritePDF(b *testing.B) {
	rep := syntheticReport(b, synth.DefaultConfig().Families)
	b.ReportAllocs()
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := rep.WritePDF(&buf, "en"); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size), "bytes/pdf")
	b.ReportMetric(float64(len(rep.Rows)), "rows")
}
