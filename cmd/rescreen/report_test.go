package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestStatusReport imports a synthetic class and makes the status report
// twice: the files are byte-identical, name the audit chain's head, and
// their counts agree with each other (every family has one outcome) and
// with the class (every family counted).
func TestStatusReport(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"RESCREEN_DATA_DIR": filepath.Join(dir, "data")}
	class := filepath.Join(dir, "class.json")
	if _, stderr, err := runCmd(t, env, "synth", "--families", "200", "--out", class); err != nil {
		t.Fatal(err, stderr)
	}
	if _, stderr, err := runCmd(t, env, "import", class); err != nil {
		t.Fatal(err, stderr)
	}
	var files [2][3][]byte
	for i := range 2 {
		out := filepath.Join(dir, "out"+strconv.Itoa(i))
		stdout, stderr, err := runCmd(t, env, "report", "status", "--as-of", "2019-06-01", "--out", out)
		if err != nil {
			t.Fatal(err, stderr)
		}
		if !strings.Contains(stdout, "status-report-2019-06-01.json") || !strings.Contains(stdout, "snapshot: audit event") {
			t.Fatalf("report status printed %q", stdout)
		}
		for j, ext := range []string{".json", ".csv", ".pdf"} {
			if files[i][j], err = os.ReadFile(filepath.Join(out, "status-report-2019-06-01"+ext)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if string(files[0][0]) != string(files[1][0]) || string(files[0][1]) != string(files[1][1]) || string(files[0][2]) != string(files[1][2]) {
		t.Fatal("two reports of the same store and date differ")
	}
	if !strings.HasPrefix(string(files[0][2]), "%PDF-") {
		t.Fatalf("status-report-2019-06-01.pdf is not a PDF: %.20q", files[0][2])
	}
	var rep struct {
		AsOf     string `json:"as_of"`
		Snapshot struct {
			AuditSeq  int64  `json:"audit_seq"`
			AuditHash string `json:"audit_hash"`
		} `json:"snapshot"`
		Rows []struct {
			ID    string `json:"id"`
			Group string `json:"group"`
			Value int64  `json:"value"`
		} `json:"rows"`
	}
	if err := json.Unmarshal(files[0][0], &rep); err != nil {
		t.Fatal(err)
	}
	if rep.AsOf != "2019-06-01" || rep.Snapshot.AuditSeq == 0 || len(rep.Snapshot.AuditHash) != 64 {
		t.Fatalf("the report's date and snapshot: %+v", rep)
	}
	get := func(id, group string) int64 {
		for _, r := range rep.Rows {
			if r.ID == id && r.Group == group {
				return r.Value
			}
		}
		t.Fatalf("no row %s [%s]", id, group)
		return 0
	}
	families := get("SR-1", "")
	if families < 150 { // 200 synthetic families, some joined by the importer's links
		t.Errorf("SR-1 = %d families", families)
	}
	var outcomes int64
	for _, r := range rep.Rows {
		if r.ID == "SR-12" {
			outcomes += r.Value
		}
	}
	if outcomes != families {
		t.Errorf("the outcomes add up to %d, the families to %d", outcomes, families)
	}
	if m, p, c := get("SR-3", ""), get("SR-3", "parents"), get("SR-3", "children"); m == 0 || p+c > m {
		t.Errorf("class members %d, parents %d, children %d", m, p, c)
	}
	if get("SR-2", "") > families || get("SR-13", "families") > families {
		t.Error("a family count exceeds the families")
	}
	rows, err := csv.NewReader(strings.NewReader(string(files[0][1]))).ReadAll()
	if err != nil || len(rows) != len(rep.Rows)+1 {
		t.Fatalf("the CSV has %d rows for %d numbers: %v", len(rows), len(rep.Rows), err)
	}
	if _, stderr, err := runCmd(t, env, "report", "status", "--format", "pdf-please"); exitCode(err) != 2 || !strings.Contains(err.Error()+stderr, "unknown format") {
		t.Errorf("a bad format: %v %s", err, stderr)
	}
	if _, stderr, err := runCmd(t, env, "report", "status", "--format", "pdf", "--lang", "fr"); exitCode(err) != 2 || !strings.Contains(err.Error()+stderr, "unknown language") {
		t.Errorf("a bad language: %v %s", err, stderr)
	}

	// Each form printed to standard output is the file's bytes.
	for j, format := range []string{"json", "csv", "pdf"} {
		stdout, stderr, err := runCmd(t, env, "report", "status", "--as-of", "2019-06-01", "--format", format)
		if err != nil {
			t.Fatal(err, stderr)
		}
		if stdout != string(files[0][j]) {
			t.Errorf("--format %s printed other bytes than the file of --out", format)
		}
	}
	// The PDF in Spanish, beside the others.
	es := filepath.Join(dir, "es")
	stdout, stderr, err := runCmd(t, env, "report", "status", "--as-of", "2019-06-01", "--lang", "es", "--out", es)
	if err != nil || !strings.Contains(stdout, "status-report-2019-06-01.es.pdf") {
		t.Fatalf("--lang es: %v %s %s", err, stdout, stderr)
	}
	spanish, err := os.ReadFile(filepath.Join(es, "status-report-2019-06-01.es.pdf"))
	if err != nil || !strings.HasPrefix(string(spanish), "%PDF-") || string(spanish) == string(files[0][2]) {
		t.Fatalf("the Spanish PDF: %v", err)
	}

	// The PDF's first page names the report and gives its numbers, as the
	// JSON does.
	text := pdfPageText(t, files[0][2], 1)
	for _, want := range []string{"Status Report to the Court", "As of 2019-06-01", "Audit chain head: " + rep.Snapshot.AuditHash,
		fmt.Sprintf("SR-1 families in the registry %d", families), fmt.Sprintf("SR-3 class members: children %d", get("SR-3", "children"))} {
		if !strings.Contains(text, want) {
			t.Errorf("page 1 of the PDF lacks %q:\n%s", want, text)
		}
	}
}

// pdfPageText is the text of one page of a PDF as pdftotext gives it, each
// run of white space one space. Without poppler-utils the test is skipped,
// unless CI is set: CI installs it.
func pdfPageText(t *testing.T, pdf []byte, page int) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("pdftotext is not installed (Debian: poppler-utils); CI runs this test")
		}
		t.Fatalf("pdftotext is not installed, and CI is set: %v", err)
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	p := strconv.Itoa(page)
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", "-f", p, "-l", p, path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// TestStatusReportRefusesDates: the command refuses, as the pages do, a
// date after today or of a year outside 1900-2100, with exit status 2 and
// an error naming the date, before it opens (or creates) the store.
func TestStatusReportRefusesDates(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	env := map[string]string{"RESCREEN_DATA_DIR": data}
	later := time.Now().UTC().AddDate(0, 0, 2).Format("2006-01-02")
	for _, asOf := range []string{"0001-01-01", "1899-12-31", "2101-01-01", later} {
		_, _, err := runCmd(t, env, "report", "status", "--as-of", asOf, "--format", "json")
		if err == nil || exitCode(err) != 2 || !strings.Contains(err.Error(), "--as-of") || !strings.Contains(err.Error(), asOf) {
			t.Errorf("--as-of %s: %v (exit status %d), want exit status 2 and an error naming the date", asOf, err, exitCode(err))
		}
	}
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Errorf("a refused report touched the data directory: %v", err)
	}
}
