package notice

import (
	"bytes"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestSpanishElectionFormFirstPage is issue 7's check of a rendered page:
// the first page of a Spanish election form is rastered to PNG with
// pdftoppm, and the text of that same page, read with pdftotext, holds the
// form's title, the member's particulars, both options and the page label,
// with their accents. (TestFirstPageRastersToPNG and
// TestRenderEveryKindAndLanguage check the raster and the whole text of
// every kind apart; this holds the two to one page.)
func TestSpanishElectionFormFirstPage(t *testing.T) {
	ppm, txt := tool(t, "pdftoppm"), tool(t, "pdftotext")
	pdf, _, err := Render(ElectionForm, "es", 1, fullData())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "form.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command(ppm, "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", in, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, msg)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "page.png"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("page 1 is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 425 || b.Dy() != 550 {
		t.Errorf("page 1 is %v, want Letter at 50 dpi, 425x550", b)
	}
	if ink := inkShare(img); ink < 0.03 {
		t.Errorf("only %.3f of page 1 is inked", ink)
	}
	out, err := exec.Command(txt, "-enc", "UTF-8", "-f", "1", "-l", "1", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	page := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"Formulario de Elección", "José Ñúñez", "A012345678", "4 de marzo de 1985",
		"Opción A: Permanecer y solicitar protección.", "Opción B: Regresar sin una nueva evaluación.",
		"No devolver el formulario nunca equivale a elegir la Opción B", "Página 1 de 2"} {
		if !strings.Contains(page, want) {
			t.Errorf("page 1 of the Spanish election form lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "Página 2 de 2") {
		t.Error("pdftotext read past page 1")
	}
}
