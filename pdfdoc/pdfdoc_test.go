package pdfdoc

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
	"strings"
	"testing"
	"time"
)

// tool returns the path of an external program. Without it the test is
// skipped on a developer's machine, but fails in CI, which installs
// poppler-utils: a silent skip there would hide a broken PDF.
func tool(t testing.TB, name string) string {
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

// pdfText extracts the text of a PDF with pdftotext, with every run of
// white space made one space, so that a phrase wrapped across lines is
// still found.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin := tool(t, "pdftotext")
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// sample builds a document with one block of every kind.
func sample() *Document {
	d := New(Options{Footer: "Aviso · CLASS_NOTICE es v1", PageLabel: "Página {page} de {pages}", Created: time.Date(2018, 11, 20, 0, 0, 0, 0, time.UTC)})
	d.Title("Formulario de Elección")
	d.Small("Ms. L. v. ICE, M.M.M. v. Sessions, Dora v. Sessions")
	d.Fields(Field{Label: "Nombre", Value: "José Ñúñez"}, Field{Label: "Número A", Value: "A012345678"}, Field{Label: "Fecha de nacimiento"})
	d.Heading("¿Qué es este formulario?")
	d.Paragraph("¡Lea con atención! Este formulario debe leérsele en un idioma que usted entienda: á é í ó ú ñ ü Á É Í Ó Ú Ñ Ü ¿ ¡.")
	d.RichParagraph(Span{Text: "Opción A:", Bold: true}, Span{Text: " permanecer y solicitar protección."})
	d.Bullet(Span{Text: "Documento de identidad"})
	d.Bullet(Span{Text: "Pruebas", Bold: true}, Span{Text: " de su temor"})
	d.Checkbox(true, Span{Text: "Opción A", Bold: true})
	d.Checkbox(false, Span{Text: "Opción B", Bold: true})
	d.Table(Table{
		Columns: []Column{{Header: "Etapa", Width: 3}, {Header: "Personas", Width: 1, Align: AlignRight}},
		Rows:    [][]string{{"Identificadas", "2,654"}, {"Entrevistadas", "62"}, {"Sin dato"}},
	})
	d.BarChart(Chart{Title: "Por país", Bars: []Bar{{Label: "Guatemala", Value: 500}, {Label: "Honduras", Value: 300}, {Label: "El Salvador", Value: 0, Text: "ninguno"}}})
	d.Signature("Firma del miembro", "Fecha")
	d.PageBreak()
	d.Paragraph("Segunda página.")
	return d
}

func TestRenderIsDeterministic(t *testing.T) {
	a, sumA, err := sample().Render()
	if err != nil {
		t.Fatal(err)
	}
	b, sumB, err := sample().Render()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two renders of the same document differ")
	}
	want := sha256.Sum256(a)
	if sumA != hex.EncodeToString(want[:]) || sumA != sumB {
		t.Fatalf("hash %s, %s; want the SHA-256 of the bytes, %x", sumA, sumB, want)
	}
	if !bytes.HasPrefix(a, []byte("%PDF-")) || !bytes.Contains(a[len(a)-32:], []byte("%%EOF")) {
		t.Fatal("output is not a complete PDF")
	}
	// The creation date is the one passed in, and no other date is written.
	if !bytes.Contains(a, []byte("/CreationDate(D:20181120000000+00'00')")) {
		t.Error("the creation date passed in is missing")
	}
	if bytes.Contains(a, []byte("ModDate")) {
		t.Error("a modification date was written")
	}
}

func TestNoCreationDateUnlessGiven(t *testing.T) {
	d := New(Options{})
	d.Paragraph("x")
	pdf, _, err := d.Render()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(pdf, []byte("CreationDate")) {
		t.Error("a creation date was written though none was given")
	}
}

func TestTextExtractsWithAccentsAndPageLabels(t *testing.T) {
	pdf, _, err := sample().Render()
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	for _, want := range []string{
		"Formulario de Elección", "José Ñúñez", "¿Qué es este formulario?",
		"á é í ó ú ñ ü Á É Í Ó Ú Ñ Ü ¿ ¡", "Opción A: permanecer", "2,654",
		"Guatemala", "500", "ninguno", "Firma del miembro", "Página 1 de 2", "Página 2 de 2",
		"Aviso · CLASS_NOTICE es v1",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
}

func TestFirstPageRastersToPNG(t *testing.T) {
	bin := tool(t, "pdftoppm")
	pdf, _, err := sample().Render()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "doc.pdf"), pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "page")
	if msg, err := exec.Command(bin, "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", filepath.Join(dir, "doc.pdf"), out).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, msg)
	}
	f, err := os.Open(out + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	// Letter at 50 dpi is 425 x 550 pixels.
	if b := img.Bounds(); b.Dx() != 425 || b.Dy() != 550 {
		t.Fatalf("page is %v, want 425x550", b)
	}
	if ink := inkShare(img); ink < 0.02 {
		t.Errorf("only %.3f of the page is inked: the page looks blank", ink)
	}
}

func TestLayoutStaysInsideTheMargins(t *testing.T) {
	if err := loadFonts(); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("Ñ", 3000)
	d := New(Options{})
	d.Title(long)
	d.Heading(long)
	d.Paragraph("Antes " + long + " después")
	d.Fields(Field{Label: long, Value: long}, Field{Label: "Vacío"})
	d.Checkbox(true, Span{Text: long})
	d.Bullet(Span{Text: long, Bold: true})
	d.Table(Table{Columns: []Column{{Header: "A"}, {Header: "B"}}, Rows: [][]string{{long, "x"}, {"y", long}}})
	d.BarChart(Chart{Title: long, Bars: []Bar{{Label: long, Value: 1, Text: long}, {Label: "b", Value: 2}}})
	d.Signature(long, long)
	pages, err := d.layout()
	if err != nil {
		t.Fatal(err)
	}
	const left, right, top, bottom = 54.0, PageWidth - 54, 54.0, PageHeight - 54
	const eps = 0.01
	for pi, p := range pages {
		for _, o := range p.ops {
			var x1, x2, y1, y2 float64
			switch o.kind {
			case opText:
				x1, x2 = o.x, o.x+width(o.font, o.size, o.text)
				y1, y2 = o.y-o.size, o.y
			case opLine:
				x1, x2, y1, y2 = min(o.x, o.x2), max(o.x, o.x2), min(o.y, o.y2), max(o.y, o.y2)
			case opRect:
				x1, x2, y1, y2 = o.x, o.x+o.x2, o.y, o.y+o.y2
			}
			if x1 < left-eps || x2 > right+eps || y1 < top-eps || y2 > bottom+eps {
				t.Fatalf("page %d: %v op at x %.1f..%.1f, y %.1f..%.1f is outside the text area", pi+1, o.kind, x1, x2, y1, y2)
			}
		}
	}
	if len(pages) < 10 {
		t.Errorf("%d pages for eleven 3000-letter values: text was lost", len(pages))
	}
}

func TestHostileTextIsInert(t *testing.T) {
	hostile := "(x) Tj ET BT /F1 99 Tf endstream endobj %%EOF \\) <</Type /Catalog>> **bold** {name}"
	d := New(Options{Footer: hostile, PageLabel: "{page}/{pages} " + hostile})
	d.Title(hostile)
	d.Paragraph("A\x00B\x1bC\u202eD\u200bE\xffF 🙂 G\tH\r\nI")
	d.Table(Table{Columns: []Column{{Header: hostile}}, Rows: [][]string{{hostile}}})
	pdf, _, err := d.Render()
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	if !strings.Contains(text, "(x) Tj ET BT /F1 99 Tf") || !strings.Contains(text, "**bold** {name}") {
		t.Errorf("the hostile text is not printed as written:\n%s", text)
	}
	// Controls and bidirectional overrides vanish; what the fonts cannot
	// draw becomes a visible mark; tabs and a CR LF become white space.
	if !strings.Contains(text, "ABCDE�F � G H I") {
		t.Errorf("control characters were not cleaned as expected:\n%s", text)
	}
}

func TestWrapNeverExceedsTheWidth(t *testing.T) {
	if err := loadFonts(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		text  string
		width float64
		lines int
	}{
		{"fits", "Opción A", 200, 1},
		{"two lines", "uno dos tres cuatro cinco seis siete ocho nueve diez once doce", 120, 0},
		{"long word broken", strings.Repeat("a", 400), 100, 0},
		{"hard break kept", "uno\ndos", 500, 2},
		{"blank line kept", "uno\n\ndos", 500, 3},
		{"leading and trailing breaks dropped", "\nuno\n", 500, 1},
		{"one letter wider than the column", "WW", 5, 2},
		{"empty", "", 100, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := wrap([]Span{{Text: tt.text}}, bodySize, tt.width)
			var got []string
			for _, ln := range lines {
				if len(ln.runs) > 1 && ln.w > tt.width+1e-9 {
					t.Errorf("line %v is %.1f wide, more than %.1f", ln.runs, ln.w, tt.width)
				}
				for _, r := range ln.runs {
					got = append(got, r.text)
				}
			}
			if tt.lines > 0 && len(lines) != tt.lines {
				t.Errorf("%d lines, want %d", len(lines), tt.lines)
			}
			// Nothing is lost: the words come out in order.
			if strings.Join(strings.Fields(strings.Join(got, "")), "") != strings.Join(strings.Fields(tt.text), "") {
				t.Errorf("wrapped text %q does not match %q", got, tt.text)
			}
		})
	}
}

func TestTableRepeatsItsHeaderOnEveryPage(t *testing.T) {
	if err := loadFonts(); err != nil {
		t.Fatal(err)
	}
	d := New(Options{})
	rows := make([][]string, 120)
	for i := range rows {
		rows[i] = []string{fmt.Sprintf("fila %d", i+1), "texto que ocupa dos líneas en una columna estrecha"}
	}
	d.Table(Table{Columns: []Column{{Header: "Encabezado", Width: 3}, {Header: "Texto", Width: 1}}, Rows: rows})
	pages, err := d.layout()
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) < 3 {
		t.Fatalf("%d pages, want the table to run over several", len(pages))
	}
	seen := 0
	for i, p := range pages {
		headers := 0
		for _, o := range p.ops {
			if o.kind == opText && o.text == "Encabezado" {
				headers++
			}
			if o.kind == opText && strings.HasPrefix(o.text, "fila ") {
				seen++
			}
		}
		if headers != 1 {
			t.Errorf("page %d has %d header rows, want 1", i+1, headers)
		}
	}
	if seen != len(rows) {
		t.Errorf("%d rows drawn, want %d", seen, len(rows))
	}
}

func TestCheckboxIsDrawnNotTyped(t *testing.T) {
	if err := loadFonts(); err != nil {
		t.Fatal(err)
	}
	for _, checked := range []bool{false, true} {
		d := New(Options{})
		d.Checkbox(checked, Span{Text: "Opción A"})
		pages, err := d.layout()
		if err != nil {
			t.Fatal(err)
		}
		rects, lines := 0, 0
		for _, o := range pages[0].ops {
			switch {
			case o.kind == opRect:
				rects++
			case o.kind == opLine:
				lines++
			case o.kind == opText && strings.ContainsAny(o.text, "☐☒☑"):
				t.Errorf("box typed as a glyph: %q", o.text)
			}
		}
		if want := map[bool]int{false: 0, true: 2}[checked]; rects != 1 || lines != want {
			t.Errorf("checked=%v: %d boxes and %d lines, want 1 box and %d lines of a cross", checked, rects, lines, want)
		}
	}
}

func TestChartScalesBarsToTheLargestValue(t *testing.T) {
	if err := loadFonts(); err != nil {
		t.Fatal(err)
	}
	d := New(Options{})
	d.BarChart(Chart{Bars: []Bar{{Label: "a", Value: 50}, {Label: "b", Value: 100}, {Label: "c", Value: 0}}})
	pages, err := d.layout()
	if err != nil {
		t.Fatal(err)
	}
	var widths []float64
	for _, o := range pages[0].ops {
		if o.kind == opRect && o.fill {
			widths = append(widths, o.x2)
		}
	}
	if len(widths) != 2 || widths[1] <= 0 || widths[0]*2-widths[1] > 1e-9 || widths[1]-widths[0]*2 > 1e-9 {
		t.Errorf("bar widths %v, want two bars, the second twice the first (the zero bar is not drawn)", widths)
	}
}

func TestRenderRejectsBadInput(t *testing.T) {
	tests := []struct {
		name string
		add  func(d *Document)
	}{
		{"table without columns", func(d *Document) { d.Table(Table{}) }},
		{"row wider than the table", func(d *Document) {
			d.Table(Table{Columns: []Column{{Header: "a"}}, Rows: [][]string{{"1", "2"}}})
		}},
		{"negative column width", func(d *Document) { d.Table(Table{Columns: []Column{{Header: "a", Width: -1}}}) }},
		{"negative bar", func(d *Document) { d.BarChart(Chart{Bars: []Bar{{Label: "a", Value: -1}}}) }},
		{"NaN bar", func(d *Document) { d.BarChart(Chart{Bars: []Bar{{Label: "a", Value: nan()}}}) }},
		{"negative space", func(d *Document) { d.Space(-5) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := New(Options{})
			tt.add(d)
			if _, _, err := d.Render(); err == nil {
				t.Error("no error")
			}
		})
	}
	if _, _, err := New(Options{Margins: Margins{Top: 1, Right: 1, Bottom: 1, Left: 1}}).Render(); err == nil {
		t.Error("margins of 1 point accepted")
	}
}

func nan() float64 {
	zero := 0.0
	return zero / zero
}

// inkShare returns the share of pixels that are not near white.
func inkShare(img image.Image) float64 {
	b := img.Bounds()
	ink := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r+g+bl < 3*0xE000 {
				ink++
			}
		}
	}
	return float64(ink) / float64(b.Dx()*b.Dy())
}

func TestKeepMovesAGroupThatFitsOnAPage(t *testing.T) {
	if err := loadFonts(); err != nil {
		t.Fatal(err)
	}
	build := func(keep bool) []*page {
		d := New(Options{})
		for range 30 {
			d.Paragraph("filler")
		}
		group := func() {
			d.Heading("Group heading")
			d.Checkbox(false, Span{Text: "one"})
			d.Checkbox(false, Span{Text: "two"})
			d.Signature("Signature", "Date")
		}
		if keep {
			d.Keep(group)
		} else {
			group()
		}
		pages, err := d.layout()
		if err != nil {
			t.Fatal(err)
		}
		return pages
	}
	pageOf := func(pages []*page, text string) int {
		for i, p := range pages {
			for _, o := range p.ops {
				if o.kind == opText && o.text == text {
					return i + 1
				}
			}
		}
		return 0
	}
	loose := build(false)
	if pageOf(loose, "Group heading") != 1 || pageOf(loose, "Signature") != 2 {
		t.Fatalf("without Keep the group should be split: heading on page %d, signature on page %d",
			pageOf(loose, "Group heading"), pageOf(loose, "Signature"))
	}
	kept := build(true)
	if pageOf(kept, "Group heading") != 2 || pageOf(kept, "Signature") != 2 {
		t.Errorf("with Keep: heading on page %d, signature on page %d; want both on page 2",
			pageOf(kept, "Group heading"), pageOf(kept, "Signature"))
	}

	// A group taller than a page flows from where it is.
	d := New(Options{})
	d.Paragraph("first")
	d.Keep(func() {
		for range 80 {
			d.Paragraph("kept")
		}
	})
	pages, err := d.layout()
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 3 || pageOf(pages, "kept") != 1 {
		t.Errorf("a group taller than a page: %d pages, first kept line on page %d; want 3 and 1", len(pages), pageOf(pages, "kept"))
	}
}
