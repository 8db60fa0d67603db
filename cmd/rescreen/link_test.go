package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const linkData = "../../../shared/data/linkage"

func readCSVFile(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// The command on FEBRL3 with the detected mapping: the pairs file has the
// columns linkeval.py reads, and its pairs at 0.5 are nearly all true.
func TestLinkFEBRL3(t *testing.T) {
	data := filepath.Join(linkData, "dataset3.csv")
	if _, err := os.Stat(data); err != nil {
		t.Fatalf("the benchmark data is needed beside the repository: %v", err)
	}
	dir := t.TempDir()
	pairs, clusters := filepath.Join(dir, "pairs.csv"), filepath.Join(dir, "clusters.csv")
	_, stderr, err := runCmd(t, nil, "link", data, "--pairs", pairs, "--clusters", clusters)
	if err != nil {
		t.Fatal(err, stderr)
	}
	if !strings.Contains(stderr, "; mapping (detected) rec_id=id,given_name=given,surname=surname") {
		t.Errorf("the detected mapping is not reported:\n%s", stderr)
	}
	tp, fp := 0, 0
	for _, p := range readCSVFile(t, pairs) {
		prob, err := strconv.ParseFloat(p["match_probability"], 64)
		if err != nil || p["weight_given_name"] == "" || p["level_soc_sec_id"] == "" || p["match_weight"] == "" {
			t.Fatalf("bad row %v", p)
		}
		if prob < 0.5 {
			continue
		}
		if strings.Split(p["left_id"], "-")[1] == strings.Split(p["right_id"], "-")[1] {
			tp++
		} else {
			fp++
		}
	}
	// 6,538 true pairs (see the data's README).
	recall, precision := float64(tp)/6538, float64(tp)/float64(tp+fp)
	if f1 := 2 * recall * precision / (recall + precision); f1 < 0.995 {
		t.Errorf("F1 %.4f (tp %d, fp %d)", f1, tp, fp)
	}
	cl := readCSVFile(t, clusters)
	if len(cl) != 5000 {
		t.Fatalf("%d cluster rows, want one per record", len(cl))
	}
	byID := map[string]string{}
	for _, r := range cl {
		byID[r["id"]] = r["cluster_id"]
	}
	if byID["rec-552-dup-3"] != byID["rec-552-org"] {
		t.Errorf("rec-552-dup-3 and rec-552-org are in clusters %s and %s", byID["rec-552-dup-3"], byID["rec-552-org"])
	}

	// A saved model scores the file again without training.
	model := filepath.Join(dir, "model.json")
	if _, stderr, err := runCmd(t, nil, "link", "-q", data, "--pairs", pairs, "--clusters", "none", "--save-model", model); err != nil {
		t.Fatal(err, stderr)
	}
	_, stderr, err = runCmd(t, nil, "link", data, "--pairs", pairs, "--clusters", "none", "--model", model)
	if err != nil || strings.Contains(stderr, "train ") || !strings.Contains(stderr, "6538 linked") {
		t.Errorf("with a saved model: %v\n%s", err, stderr)
	}
	_, _, err = runCmd(t, nil, "link", data, "--mapping", "rec_id=id,given_name=given,surname=surname", "--model", model)
	if err == nil || !strings.Contains(err.Error(), "model.json: the model has 10 fields, the data 2") {
		t.Errorf("a model of other fields: %v", err)
	}

	out, _, err := runCmd(t, nil, "link", "-q", "--explain", "rec-552-dup-3", "rec-552-org", data)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"given_name", "soc_sec_id", "match probability", "(prior)", "compared under the blocking rules"} {
		if !strings.Contains(out, want) {
			t.Errorf("explanation lacks %q:\n%s", want, out)
		}
	}
}

// Two files with their own column names, linked through one mapping each,
// with the one-to-one option: a border agency's file in Spanish columns
// and a shelter's in English ones, with accents lost, nicknames, the
// second surname missing, typos, and A-numbers missing or transposed.
func TestLinkTwoFiles(t *testing.T) {
	dir := t.TempDir()
	given := []string{"María Guadalupe", "José Luis", "Ana", "Juan Carlos", "Francisco", "Rosa", "Jesús", "Marta", "Pedro", "Lucía", "Manuel", "Elena"}
	nick := map[string]string{"María Guadalupe": "Lupe", "José Luis": "Pepe", "Francisco": "Paco", "Jesús": "Chuy"}
	surnames := []string{"Jiménez", "López", "Hernández", "Xuc", "De la Cruz", "Pérez", "Tzul", "García", "Ajanel", "Quiej", "Martínez", "Chávez", "Morales", "Vásquez"}
	var a, b strings.Builder
	a.WriteString("num,nombre,apellidos,fecha_nac,anum\n")
	b.WriteString("id;first;last1;last2;dob;alien\n")
	fold := strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u")
	for i := 0; i < 80; i++ {
		g := given[i%len(given)]
		s1, s2 := surnames[(i*7)%len(surnames)], surnames[(i*3+1)%len(surnames)]
		y, m, d := 1960+i%45, 1+i%12, 1+(i*5)%28
		anum := strconv.Itoa(100000000 + i*7919)
		a.WriteString(strings.Join([]string{"b" + strconv.Itoa(i), g, s1 + " " + s2, strconv.Itoa(d) + "/" + strconv.Itoa(m) + "/" + strconv.Itoa(y), "A-" + anum}, ",") + "\n")
		if i%8 == 7 {
			continue // not at the shelter
		}
		sg, ss1, ss2, sa := g, s1, s2, anum
		switch i % 6 {
		case 0:
			sg, ss1, ss2 = fold.Replace(g), fold.Replace(s1), fold.Replace(s2)
		case 1:
			if n, ok := nick[g]; ok {
				sg = n
			}
			sa = ""
		case 2:
			ss2 = ""
		case 3:
			sa = anum[:4] + anum[5:6] + anum[4:5] + anum[6:]
		case 4:
			ss1 = ss1[:2] + ss1[3:]
		}
		b.WriteString(strings.Join([]string{"s" + strconv.Itoa(i), sg, ss1, ss2, fmt.Sprintf("%d-%02d-%02d", y, m, d), sa}, ";") + "\n")
	}
	for i := 0; i < 10; i++ { // at the shelter only
		b.WriteString(fmt.Sprintf("x%d;%s;%s;;%d-06-15;\n", i, given[(i+5)%len(given)], surnames[(i+2)%len(surnames)], 1990+i))
	}
	pa, pb := filepath.Join(dir, "border.csv"), filepath.Join(dir, "shelter.csv")
	os.WriteFile(pa, []byte(a.String()), 0o644)
	os.WriteFile(pb, []byte(b.String()), 0o644)
	pairs := filepath.Join(dir, "pairs.csv")
	args := []string{"link", pa, pb,
		"--mapping", "num=id,nombre=given,apellidos=surname,fecha_nac=date:D/M/YYYY,anum=anumber",
		"--mapping", "id=id,first=given,last1=surname,last2=surname,dob=date:2006-01-02,alien=anumber",
		"--pairs", pairs, "--clusters", "none", "--one-to-one"}
	// The second file uses semicolons: one --delimiter serves all files,
	// so this run must fail on the second file with its name and line.
	_, stderr, err := runCmd(t, nil, args...)
	if err == nil || !strings.Contains(err.Error(), `shelter.csv:1: id: the mapping names column "id", which is not in the header (columns: id;first;last1;last2;dob;alien)`) {
		t.Fatalf("want an error naming shelter.csv, got %v\n%s", err, stderr)
	}
	os.WriteFile(pb, []byte(strings.ReplaceAll(b.String(), ";", ",")), 0o644)
	if _, stderr, err = runCmd(t, nil, args...); err != nil {
		t.Fatal(err, stderr)
	}
	tp, fp, perRecord := 0, 0, map[string]int{}
	for _, p := range readCSVFile(t, pairs) {
		if p["left_file"] == p["right_file"] {
			t.Errorf("a pair within one file: %v", p)
		}
		if p["linked"] != "true" {
			continue
		}
		perRecord[p["left_id"]]++
		perRecord[p["right_id"]]++
		if p["left_id"][1:] == p["right_id"][1:] {
			tp++
		} else {
			fp++
		}
	}
	for id, n := range perRecord {
		if n > 1 {
			t.Errorf("%s is linked %d times despite --one-to-one", id, n)
		}
	}
	// 70 people are in both files.
	if tp < 66 || fp > 2 {
		t.Errorf("%d true and %d false links of 70 true pairs\n%s", tp, fp, stderr)
	}
}

// Bad input gives an error naming the file, the line and the column, and
// exit code 1 or 2, never a panic.
func TestLinkBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o644)
		return p
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"ragged", []string{write("ragged.csv", "id,given_name,surname\n1,Ana,Pérez\n2,Juan\n")}, "ragged.csv:3"},
		{"empty", []string{write("empty.csv", "")}, "empty.csv: empty file"},
		{"header only", []string{write("header.csv", "id,given_name\n")}, "header.csv:1: no records"},
		{"latin-1", []string{write("latin.csv", "id,given_name,surname\n1,Jos\xe9,P\xe9rez\n")}, "latin.csv:2: given_name: not valid UTF-8"},
		{"missing column", []string{write("ok.csv", "id,given_name,surname\n1,Ana,Pérez\n"), "--mapping", "id=id,nombre=given"}, `ok.csv:1: nombre: the mapping names column "nombre"`},
		{"bad layout", []string{filepath.Join(dir, "ok.csv"), "--mapping", "id=id,given_name=given,surname=date:QQQQ"}, "date layout"},
		{"bad kind", []string{filepath.Join(dir, "ok.csv"), "--mapping", "id=id,given_name=nombre"}, `unknown kind "nombre"`},
		{"repeated id", []string{write("dup.csv", "id,given_name\n1,Ana\n1,Juan\n")}, `dup.csv:3: id: id "1" is repeated (first on line 2)`},
		{"unknown columns", []string{write("unknown.csv", "a,b\n1,2\n")}, "unknown.csv:1: no column has a name this program recognises"},
		{"no such file", []string{filepath.Join(dir, "nope.csv")}, "nope.csv"},
		{"explain unknown id", []string{filepath.Join(dir, "ok.csv"), "--explain", "1,9"}, `no record has the id "9"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := runCmd(t, nil, append([]string{"link", "-q", "--pairs", filepath.Join(dir, "p.csv"), "--clusters", "none"}, c.args...)...)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error containing %q", err, c.want)
			}
		})
	}
	// With the right encoding named, the Windows-1252 file reads.
	out, _, err := runCmd(t, nil, "link", "-q", "--encoding", "windows-1252", filepath.Join(dir, "latin.csv"), "--pairs", "-", "--clusters", "none")
	if err != nil || !strings.HasPrefix(out, "left_id,right_id,match_probability") {
		t.Fatalf("windows-1252: %v %q", err, out)
	}
}

const defaultViewsFamilies = 2550

var (
	viewsFamilies = flag.Int("views.families", defaultViewsFamilies, "families of the synthetic class TestLinkAgencyViews links")
	viewsSeed     = flag.Uint64("views.seed", 20180626, "seed of that class")
)

// The five agency views of a synthetic class (rescreen synth --format
// views), each read through the mapping synth suggests (with the family
// and parent columns), linked and deduplicated at once, parents and
// children found: pairs of records of the same person, and pairs of
// records of a parent and a child, scored against the truth synth writes
// beside them.
//
// The size and seed are flags, to measure at the 10,000 families:
//
//	go test ./cmd/rescreen -run TestLinkAgencyViews -v -views.families 10000 [-views.seed N]
//
// Every size must meet the goals (same person 0.99, parent and child 0.98);
// the default size must also meet the F1 last measured at it, so that a
// change that loses accuracy fails.
func TestLinkAgencyViews(t *testing.T) {
	dir := t.TempDir()
	views := filepath.Join(dir, "views")
	if _, stderr, err := runCmd(t, nil, "synth", "--families", strconv.Itoa(*viewsFamilies), "--seed", strconv.FormatUint(*viewsSeed, 10),
		"--format", "views", "--out", views); err != nil {
		t.Fatal(err, stderr)
	}
	args := []string{"link", "-q", "--dedupe", "--pairs", filepath.Join(dir, "pairs.csv"), "--clusters", "none",
		"--parent-child", filepath.Join(dir, "parents.csv")}
	for _, v := range []string{"cbp_e3", "eoir", "ice_earm", "orr_ucportal", "uscis_global"} {
		args = append(args, filepath.Join(views, v+".csv"), "--mapping", "@"+filepath.Join(views, v+".mapping"))
	}
	if _, stderr, err := runCmd(t, nil, args...); err != nil {
		t.Fatal(err, stderr)
	}
	person := map[string]string{}
	byPerson := map[string]int{}
	for _, r := range readCSVFile(t, filepath.Join(views, "truth_records.csv")) {
		person[r["record_id"]] = r["person_id"]
		byPerson[r["person_id"]]++
	}
	f1 := func(what string, truePairs int, rows []map[string]string, prob string, left, right string, match func(a, b string) bool) float64 {
		tp, fp := 0, 0
		for _, p := range rows {
			if pr, err := strconv.ParseFloat(p[prob], 64); err != nil || pr < 0.5 {
				continue
			}
			if match(person[p[left]], person[p[right]]) {
				tp++
			} else {
				fp++
			}
		}
		precision, recall := float64(tp)/float64(tp+fp), float64(tp)/float64(truePairs)
		f1 := 2 * precision * recall / (precision + recall)
		t.Logf("%s: true pairs %d, tp %d, fp %d: precision %.4f, recall %.4f, F1 %.4f", what, truePairs, tp, fp, precision, recall, f1)
		return f1
	}

	// Pairwise, as linkeval counts: every pair of records of one person.
	truePairs := 0
	for _, n := range byPerson {
		truePairs += n * (n - 1) / 2
	}
	same := f1("same person", truePairs, readCSVFile(t, filepath.Join(dir, "pairs.csv")), "match_probability", "left_id", "right_id",
		func(a, b string) bool { return a == b })
	if same < 0.99 || (*viewsFamilies == defaultViewsFamilies && same < 0.993) { // measured 0.9963 at the default size
		t.Errorf("same-person F1 %.4f", same)
	}

	// A pair of records is right when their persons are a true parent and
	// child; the true pairs of records are every record of the parent with
	// every record of the child.
	parentOf := map[[2]string]bool{}
	truePairs = 0
	for _, r := range readCSVFile(t, filepath.Join(views, "truth_parent_child.csv")) {
		parentOf[[2]string{r["parent_id"], r["child_id"]}] = true
		truePairs += byPerson[r["parent_id"]] * byPerson[r["child_id"]]
	}
	rows := readCSVFile(t, filepath.Join(dir, "parents.csv"))
	if len(rows) == 0 || rows[0]["weight_age_gap"] == "" || rows[0]["level_named_parent"] == "" {
		t.Fatalf("parent-child rows without the fields' levels and weights: %v", rows[:min(1, len(rows))])
	}
	pc := f1("parent and child", truePairs, rows, "probability", "parent_id", "child_id",
		func(a, b string) bool { return parentOf[[2]string{a, b}] })
	if pc < 0.98 || (*viewsFamilies == defaultViewsFamilies && pc < 0.992) { // measured 0.9945 at the default size
		t.Errorf("parent-child F1 %.4f", pc)
	}
}
