package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
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
	var files [2][2][]byte
	for i := range 2 {
		out := filepath.Join(dir, "out"+strconv.Itoa(i))
		stdout, stderr, err := runCmd(t, env, "report", "status", "--as-of", "2019-06-01", "--out", out)
		if err != nil {
			t.Fatal(err, stderr)
		}
		if !strings.Contains(stdout, "status-report-2019-06-01.json") || !strings.Contains(stdout, "snapshot: audit event") {
			t.Fatalf("report status printed %q", stdout)
		}
		for j, ext := range []string{".json", ".csv"} {
			if files[i][j], err = os.ReadFile(filepath.Join(out, "status-report-2019-06-01"+ext)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if string(files[0][0]) != string(files[1][0]) || string(files[0][1]) != string(files[1][1]) {
		t.Fatal("two reports of the same store and date differ")
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
}
