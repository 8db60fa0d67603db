package notice

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"rescreen"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// tool returns the path of an external program. Without it the test is
// skipped on a developer's machine, but fails in CI, which installs
// poppler-utils.
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

// pdfText extracts the text with pdftotext, white space collapsed.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin := tool(t, "pdftotext")
	path := filepath.Join(t.TempDir(), "notice.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

func ptr[T any](v T) *T { return &v }

// fullData fills every field, so that every kind can render from it.
func fullData() Data {
	return Data{
		Name: "José Ñúñez", ANumber: "A012345678", DateOfBirth: rescreen.MustDate("1985-03-04"),
		IssuedOn: rescreen.MustDate("2018-11-20"), Reference: "N-000123",
		CounselName: "ACLU Immigrants' Rights Project", CounselPhone: "+1 212 555 0100",
		CounselEmail: "forms@example.org", CounselAddress: "125 Broad Street, New York, NY 10004",
		RespondBy: rescreen.MustDate("2018-12-20"), ReturnRequestsBy: rescreen.MustDate("2018-12-15"),
		Choice: rescreen.ChoiceRemain, SignerRole: rescreen.SignerSelf, Signer: "José Ñúñez",
		SignedOn: rescreen.MustDate("2018-11-22"), ReadLanguage: "mam", ReadAloud: ptr(true), Interpreter: "Ana Pérez",
		InterviewDate: rescreen.MustDate("2018-12-03"), InterviewTime: "14:30",
		InterviewPlace: "USCIS Asylum Office, San Diego, California", InterviewPhone: "+1 619 555 0199",
		InterpreterLanguage: "mam", CounselNotified: ptr(true), RescheduleContact: "+1 619 555 0123",
		Result: rescreen.ResultNegative, DecidedOn: rescreen.MustDate("2018-12-10"),
	}
}

func TestEveryKindIsWrittenInEnglishAndSpanish(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	if got, want := Kinds(), []Kind{ClassNotice, DeterminationNotice, ElectionForm, InterviewScheduling}; !slices.Equal(got, want) {
		t.Fatalf("Kinds() = %v, want %v", got, want)
	}
	for _, k := range Kinds() {
		if got := Languages(k); !slices.Equal(got, []string{"en", "es"}) {
			t.Errorf("Languages(%s) = %v, want [en es]", k, got)
		}
		for _, lang := range []string{"en", "es"} {
			if v, ok := Latest(k, lang); !ok || v != 1 {
				t.Errorf("Latest(%s, %s) = %d, %v; want 1, true", k, lang, v, ok)
			}
		}
	}
	if _, ok := Latest(ElectionForm, "mam"); ok {
		t.Error("Latest reports a written Mam election form")
	}
}

// TestRenderEveryKindAndLanguage renders each text, checks what a reader
// must find in it, and compares the hashes with testdata/render.golden, so
// that any change to a delivered text is deliberate (go test -update).
func TestRenderEveryKindAndLanguage(t *testing.T) {
	var golden strings.Builder
	for _, k := range Kinds() {
		for _, lang := range Languages(k) {
			v, _ := Latest(k, lang)
			pdf, sum, err := Render(k, lang, v, fullData())
			if err != nil {
				t.Fatalf("%s %s: %v", k, lang, err)
			}
			if want := sha256.Sum256(pdf); sum != hex.EncodeToString(want[:]) {
				t.Errorf("%s %s: hash %s is not the SHA-256 of the bytes", k, lang, sum)
			}
			fmt.Fprintf(&golden, "%s %s v%d %s\n", k, lang, v, sum)
			text := pdfText(t, pdf)
			for _, want := range append(mustSay[k][lang], "José Ñúñez", fmt.Sprintf("%s %s v%d · N-000123", k, lang, v)) {
				if !strings.Contains(text, want) {
					t.Errorf("%s %s lacks %q", k, lang, want)
				}
			}
		}
	}
	path := filepath.Join("testdata", "render.golden")
	if *update {
		if err := os.WriteFile(path, []byte(golden.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if golden.String() != string(want) {
		t.Errorf("rendered notices changed; if that is intended, run go test -update\ngot:\n%swant:\n%s", golden.String(), want)
	}
}

// mustSay lists, per kind and language, phrases the rendered text must hold.
var mustSay = map[Kind]map[string][]string{
	ClassNotice: {
		"en": {"Notice to Separated Parents and Children", "class counsel", "Option A", "Option B",
			"Not returning the form is never a choice of Option B", "December 20, 2018", "December 15, 2018",
			"+1 212 555 0100", "Page 1 of"},
		"es": {"Aviso a Padres e Hijos Separados", "abogados del grupo", "Opción A", "Opción B",
			"No devolver el formulario nunca equivale a elegir la Opción B", "20 de diciembre de 2018",
			"15 de diciembre de 2018", "+1 212 555 0100", "Página 1 de"},
	},
	ElectionForm: {
		"en": {"Election Form", "Option A: Stay and seek relief.", "Option B: Return without a new screening.",
			"Signature of the member", "Date of birth", "March 4, 1985", "A012345678", "Mam", "Ana Pérez",
			"under 14 years of age", "Not returning the form is never a choice of Option B", "Page 1 of 2"},
		"es": {"Formulario de Elección", "Opción A: Permanecer y solicitar protección.",
			"Opción B: Regresar sin una nueva evaluación.", "firma", "Firma del miembro", "Fecha de nacimiento",
			"4 de marzo de 1985", "A012345678", "mam", "Ana Pérez", "menor de 14 años",
			"No devolver el formulario nunca equivale a elegir la Opción B", "Página 1 de 2"},
	},
	InterviewScheduling: {
		"en": {"Notice of Your New Interview", "December 3, 2018", "2:30 p.m.", "USCIS Asylum Office, San Diego",
			"An interpreter in Mam", "in person or by telephone", "What to bring", "+1 619 555 0123"},
		"es": {"Aviso de su Nueva Entrevista", "3 de diciembre de 2018", "2:30 p. m.", "USCIS Asylum Office, San Diego",
			"Un intérprete de mam", "en persona o por teléfono", "Qué debe traer", "+1 619 555 0123"},
	},
	DeterminationNotice: {
		"en": {"Notice of Decision After the New Interview", "Negative", "December 10, 2018",
			"does not mean that your family will be removed now", "until every member has finished", "Your review rights"},
		"es": {"Aviso de Decisión tras la Nueva Entrevista", "Negativo", "10 de diciembre de 2018",
			"no significa que su familia vaya a ser deportada ahora", "hasta que todos sus miembros hayan concluido",
			"Su derecho a una revisión"},
	},
}

func TestRenderIsDeterministic(t *testing.T) {
	a, sumA, err := Render(ElectionForm, "es", 1, fullData())
	if err != nil {
		t.Fatal(err)
	}
	b, sumB, err := Render(ElectionForm, "es", 1, fullData())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) || sumA != sumB {
		t.Fatal("two renders of the same notice differ")
	}
	d := fullData()
	d.Name = "José Núñez"
	_, sumC, err := Render(ElectionForm, "es", 1, d)
	if err != nil {
		t.Fatal(err)
	}
	if sumC == sumA {
		t.Error("a different name gave the same hash")
	}
}

func TestConcurrentRendersAgree(t *testing.T) {
	_, want, err := Render(ClassNotice, "en", 1, fullData())
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	sums := make([]string, 8)
	for i := range sums {
		wg.Go(func() {
			_, sums[i], _ = Render(ClassNotice, "en", 1, fullData())
		})
	}
	wg.Wait()
	for i, s := range sums {
		if s != want {
			t.Errorf("render %d: hash %s, want %s", i, s, want)
		}
	}
}

func TestFirstPageRastersToPNG(t *testing.T) {
	bin := tool(t, "pdftoppm")
	for _, lang := range []string{"en", "es"} {
		pdf, _, err := Render(ElectionForm, lang, 1, fullData())
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		in, out := filepath.Join(dir, "form.pdf"), filepath.Join(dir, "page")
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
		if len(raw) < 10_000 {
			t.Errorf("%s: page 1 is a PNG of only %d bytes", lang, len(raw))
		}
		img, err := png.Decode(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != 425 || b.Dy() != 550 {
			t.Errorf("%s: page is %v, want Letter at 50 dpi, 425x550", lang, b)
		}
		if ink := inkShare(img); ink < 0.03 {
			t.Errorf("%s: only %.3f of page 1 is inked", lang, ink)
		}
	}
}

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

func TestMissingFieldsAreNamed(t *testing.T) {
	tests := []struct {
		kind Kind
		want []string
	}{
		{ClassNotice, []string{"issued_on", "counsel_name", "counsel_phone"}},
		{ElectionForm, []string{"name", "a_number", "date_of_birth"}},
		{InterviewScheduling, []string{"name", "a_number", "interview_date", "interview_time", "interview_place", "interpreter_language"}},
		{DeterminationNotice, []string{"name", "a_number", "result", "decided_on"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			_, _, err := Render(tt.kind, "en", 1, Data{})
			if rescreen.ErrorCode(err) != rescreen.EINVALID {
				t.Fatalf("error %v, want EINVALID", err)
			}
			var ve *rescreen.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error %v carries no ValidationError", err)
			}
			var got []string
			for _, p := range ve.Problems {
				got = append(got, p.Field)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("fields named %v, want %v", got, tt.want)
			}
			if !strings.Contains(rescreen.ErrorMessage(err), tt.want[0]) {
				t.Errorf("message %q does not name %s", rescreen.ErrorMessage(err), tt.want[0])
			}
		})
	}
}

func TestMalformedValuesAreNamed(t *testing.T) {
	tests := []struct {
		name  string
		kind  Kind
		edit  func(d *Data)
		field string
	}{
		{"unknown choice", ElectionForm, func(d *Data) { d.Choice = "C_MAYBE" }, "choice"},
		{"unknown signer role", ElectionForm, func(d *Data) { d.SignerRole = "UNCLE" }, "signer_role"},
		{"language name, not code", ElectionForm, func(d *Data) { d.ReadLanguage = "Spanish" }, "read_language"},
		{"impossible date", ElectionForm, func(d *Data) { d.DateOfBirth = rescreen.Date{Year: 2018, Month: 2, Day: 30} }, "date_of_birth"},
		{"hour 25", InterviewScheduling, func(d *Data) { d.InterviewTime = "25:00" }, "interview_time"},
		{"time without minutes", InterviewScheduling, func(d *Data) { d.InterviewTime = "9am" }, "interview_time"},
		{"neither place nor phone", InterviewScheduling, func(d *Data) { d.InterviewPlace, d.InterviewPhone = "", "" }, "interview_place"},
		{"a pending result", DeterminationNotice, func(d *Data) { d.Result = rescreen.ResultPending }, "result"},
		{"an unknown result", DeterminationNotice, func(d *Data) { d.Result = "MAYBE" }, "result"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := fullData()
			tt.edit(&d)
			_, _, err := Render(tt.kind, "es", 1, d)
			var ve *rescreen.ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Field != tt.field {
				t.Fatalf("error %v, want one problem with %s", err, tt.field)
			}
		})
	}
}

func TestPhoneInterviewNeedsNoPlace(t *testing.T) {
	d := fullData()
	d.InterviewPlace = ""
	pdf, _, err := Render(InterviewScheduling, "en", 1, d)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	if !strings.Contains(text, "The interview will take place by telephone") || !strings.Contains(text, "+1 619 555 0199") {
		t.Errorf("a telephone interview does not say so:\n%s", text)
	}
}

func TestLanguageWithoutWrittenText(t *testing.T) {
	for _, lang := range []string{"mam", "quc", "pt"} {
		_, _, err := Render(ElectionForm, lang, 1, fullData())
		if !errors.Is(err, ErrNoWrittenTemplate) {
			t.Errorf("%s: error %v does not wrap ErrNoWrittenTemplate", lang, err)
		}
		if rescreen.ErrorCode(err) != rescreen.ENOTFOUND {
			t.Errorf("%s: code %s, want ENOTFOUND", lang, rescreen.ErrorCode(err))
		}
	}
	_, _, err := Render(ElectionForm, "es", 99, fullData())
	if rescreen.ErrorCode(err) != rescreen.ENOTFOUND || errors.Is(err, ErrNoWrittenTemplate) {
		t.Errorf("missing version: error %v, want ENOTFOUND without ErrNoWrittenTemplate", err)
	}
	_, _, err = Render("EVICTION_NOTICE", "en", 1, fullData())
	if rescreen.ErrorCode(err) != rescreen.EINVALID {
		t.Errorf("unknown kind: error %v, want EINVALID", err)
	}
}

// TestHostileValuesRenderInert puts markup, PDF syntax and a very long value
// into the data: they must print as written, wrapped, and change nothing
// else in the notice.
func TestHostileValuesRenderInert(t *testing.T) {
	d := fullData()
	d.Name = "**{a_number}** @title Fake\n@heading Injected {{name}} (x) Tj ET"
	d.Interpreter = strings.Repeat("Ñandú", 2000)
	d.CounselAddress = "<</Type /Catalog>> endobj %%EOF"
	pdf, _, err := Render(ElectionForm, "es", 1, d)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	for _, want := range []string{
		"**{a_number}** @title Fake @heading Injected {{name}} (x) Tj ET",
		"<</Type /Catalog>> endobj %%EOF",
		"ÑandúÑandúÑandú",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q as written", want)
		}
	}
	if strings.Count(text, "A012345678") != 1 {
		t.Errorf("the A-number appears %d times; a value's {a_number} was expanded", strings.Count(text, "A012345678"))
	}
	if strings.Count(text, "ÑandúÑandú") < 5 {
		t.Error("the long value was not wrapped over several lines")
	}
}

func TestElectionFormBoxesFollowTheRecord(t *testing.T) {
	l, err := load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func(d *Data)
		want []string // the conditions of the ticked boxes
	}{
		{"blank form", func(d *Data) { *d = Data{Name: "x", ANumber: "A1", DateOfBirth: rescreen.MustDate("2010-01-01")} }, nil},
		{"Option A by the member", func(d *Data) {}, []string{"choice=A_REMAIN", "signer_role=SELF", "read_aloud=yes"}},
		{"Option B by a parent, read by the signer", func(d *Data) {
			d.Choice, d.SignerRole, d.ReadAloud = rescreen.ChoiceReturn, rescreen.SignerParent, ptr(false)
		}, []string{"choice=B_RETURN", "signer_role=PARENT", "read_aloud=no"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := fullData()
			tt.edit(&d)
			for _, lang := range []string{"en", "es"} {
				tm := l.templates[ElectionForm][lang][1]
				v, probs := d.read(l.terms[lang])
				if len(probs) > 0 {
					t.Fatal(probs)
				}
				var got []string
				walk(tm.body, func(n node) {
					if n.kind == nodeBox && n.cond.test(v) {
						got = append(got, n.cond.key+"="+n.cond.val)
					}
				})
				if !slices.Equal(got, tt.want) {
					t.Errorf("%s: ticked %v, want %v", lang, got, tt.want)
				}
			}
		})
	}
}

func walk(ns []node, f func(n node)) {
	for _, n := range ns {
		f(n)
		walk(n.then, f)
		walk(n.orElse, f)
	}
}

// TestTranslationsMatch checks that each language's text of a kind has the
// same structure as the English one: the same directives, conditions and
// fields in the same order. A translation that drops a paragraph, a box or
// a condition fails here.
func TestTranslationsMatch(t *testing.T) {
	l, err := load()
	if err != nil {
		t.Fatal(err)
	}
	shape := func(tm *tmpl) []string {
		var out []string
		var rec func(ns []node)
		rec = func(ns []node) {
			for _, n := range ns {
				s := fmt.Sprintf("%d", n.kind)
				if n.kind == nodeIf || n.kind == nodeBox {
					s += fmt.Sprintf(" %+v", n.cond)
				}
				for _, p := range append(append([]piece{}, n.label...), n.text...) {
					if p.key != "" {
						s += " {" + p.key + "}"
					}
				}
				out = append(out, s)
				if n.kind == nodeIf || n.kind == nodeKeep {
					rec(n.then)
					out = append(out, "else")
					rec(n.orElse)
					out = append(out, "end")
				}
			}
		}
		rec(tm.body)
		return out
	}
	for kind, byLang := range l.templates {
		for lang, versions := range byLang {
			for v, tm := range versions {
				en := byLang["en"][v]
				if en == nil || lang == "en" {
					continue
				}
				if a, b := shape(en), shape(tm); !slices.Equal(a, b) {
					t.Errorf("%s v%d: %s differs from en:\nen: %q\n%s: %q", kind, v, lang, a, lang, b)
				}
			}
		}
	}
}

func TestTemplateErrors(t *testing.T) {
	const head = "@pagelabel P {page}/{pages}\n@title T\n"
	tests := []struct {
		name, src, want string
	}{
		{"unknown field", head + "Hello {nombre}", "unknown field {nombre}"},
		{"unclosed bold", head + "**Hello", "unclosed **"},
		{"unclosed brace", head + "Hello {name", "unclosed {"},
		{"unknown directive", head + "@tittle X", "unknown directive @tittle"},
		{"else without if", head + "@else", "@else without @if"},
		{"end without if", head + "@end", "@end without @if"},
		{"if without end", head + "@if name\nx", "@if without @end"},
		{"bad enum value", head + "@if choice=C", "choice has no value"},
		{"keep without end", head + "@keep\nx", "@keep without @endkeep"},
		{"endkeep without keep", head + "@endkeep", "@endkeep without @keep"},
		{"end closes a keep", head + "@keep\n@end", "@end without @if"},
		{"compare a text field", head + "@if name=José", "only controlled fields"},
		{"box without bar", head + "@box choice=A_REMAIN Option A", "needs a condition"},
		{"no page label", "@title T", "no @pagelabel"},
		{"page label without count", "@pagelabel Page {page}\n@title T", "{pages}"},
		{"no title", "@pagelabel P {page}/{pages}\nText", "no @title"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseTemplate("x.en.v1.txt", tt.src)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestTermsCoverEveryControlledValue(t *testing.T) {
	l, err := load()
	if err != nil {
		t.Fatal(err)
	}
	for lang, tr := range l.terms {
		for _, k := range requiredTerms() {
			if tr[k] == "" {
				t.Errorf("terms.%s.txt lacks %s", lang, k)
			}
		}
		if got, _ := tr.time("00:05"); got != "12:05 "+tr["am"] {
			t.Errorf("%s: 00:05 prints as %q", lang, got)
		}
		if got, _ := tr.time("12:00"); got != "12:00 "+tr["pm"] {
			t.Errorf("%s: 12:00 prints as %q", lang, got)
		}
	}
	if _, err := parseTerms("terms.xx.txt", "date = {day}\n"); err == nil {
		t.Error("an incomplete terms file was accepted")
	}
}
