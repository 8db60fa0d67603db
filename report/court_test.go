package report_test

import (
	"bytes"
	"strings"
	"testing"

	"rescreen"
	"rescreen/report"
)

func d(s string) rescreen.Date { return rescreen.MustDate(s) }

// courtFixture: three cases, Ms. L. and M.M.M. finally approved on
// 2018-11-15 and Dora not; six objections, one received after the
// report's date and one without a date received.
func courtFixture() ([]report.CourtCase, []report.CourtObjection) {
	cases := []report.CourtCase{
		{Title: "Ms. L. v. ICE", Court: "S.D. Cal.", FinalApproval: d("2018-11-15")},
		{Title: "M.M.M. v. Sessions", Court: "S.D. Cal.", FinalApproval: d("2018-11-15")},
		{Title: "Dora v. Sessions", Court: "D.D.C."},
	}
	objections := []report.CourtObjection{
		// Forwarded and overruled before the date.
		{ReceivedOn: d("2018-11-02"), ForwardedOn: d("2018-11-05"), Ruling: "OVERRULED", RulingOn: d("2018-11-15")},
		// Filed with the court, overruled the same day as the first.
		{ReceivedOn: d("2018-11-05"), Ruling: "OVERRULED", RulingOn: d("2018-11-15")},
		// Forwarded; withdrawn by the objector.
		{ReceivedOn: d("2018-11-06"), ForwardedOn: d("2018-11-07"), Ruling: "WITHDRAWN", RulingOn: d("2018-11-09")},
		// Forwarded after the date, ruled after it: pending, not forwarded.
		{ReceivedOn: d("2018-11-07"), ForwardedOn: d("2018-11-21"), Ruling: "SUSTAINED_IN_PART", RulingOn: d("2018-12-01")},
		// Received after the date: not counted at all.
		{ReceivedOn: d("2018-11-25"), ForwardedOn: d("2018-11-26")},
		// No date received: never counted.
		{ForwardedOn: d("2018-11-06")},
	}
	return cases, objections
}

func TestCourtRows(t *testing.T) {
	cases, objections := courtFixture()
	rows := report.CourtRows(d("2018-11-20"), cases, objections)
	var got []string
	for _, r := range rows {
		got = append(got, r.String())
	}
	want := []string{
		"SR-17 objections to the settlement: 4",
		"SR-17 objections to the settlement [forwarded]: 2",
		"SR-17 objections to the settlement [ruling MOOT]: 0",
		"SR-17 objections to the settlement [ruling OVERRULED]: 2",
		"SR-17 objections to the settlement [ruling SUSTAINED]: 0",
		"SR-17 objections to the settlement [ruling SUSTAINED_IN_PART]: 0",
		"SR-17 objections to the settlement [ruling WITHDRAWN]: 1",
		"SR-17 objections to the settlement [ruling pending]: 1",
		"SR-18 final approvals of the settlement: 2",
		"SR-18 final approvals of the settlement [Dora v. Sessions (D.D.C.): not approved]: 0",
		"SR-18 final approvals of the settlement [M.M.M. v. Sessions (S.D. Cal.): approved 2018-11-15]: 1",
		"SR-18 final approvals of the settlement [Ms. L. v. ICE (S.D. Cal.): approved 2018-11-15]: 1",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The day before the final approval nothing is approved, and the
	// rulings of 2018-11-15 are still pending.
	rows = report.CourtRows(d("2018-11-14"), cases, objections)
	for _, tt := range []struct {
		id, group string
		want      int64
	}{
		{"SR-17", "", 4}, {"SR-17", "forwarded", 2}, {"SR-17", "ruling OVERRULED", 0}, {"SR-17", "ruling WITHDRAWN", 1},
		{"SR-17", "ruling pending", 3}, {"SR-18", "", 0},
		{"SR-18", "Ms. L. v. ICE (S.D. Cal.): not approved", 0},
	} {
		found := false
		for _, r := range rows {
			if r.ID == tt.id && r.Group == tt.group {
				found = true
				if r.Value != tt.want {
					t.Errorf("as of 2018-11-14, %s [%s] = %d, want %d", tt.id, tt.group, r.Value, tt.want)
				}
			}
		}
		if !found {
			t.Errorf("as of 2018-11-14, no row %s [%s]", tt.id, tt.group)
		}
	}
	// Before anything: every row, at zero.
	rows = report.CourtRows(d("2018-01-01"), nil, nil)
	if len(rows) != 9 {
		t.Errorf("an empty record gives %d rows, want 9 (8 of SR-17, the total of SR-18)", len(rows))
	}
}

// TestAddCourt: the court's rows follow SR-16 in a report, the bytes are
// the same whatever order the objections come in.
func TestAddCourt(t *testing.T) {
	cases, objections := courtFixture()
	write := func(objs []report.CourtObjection, cs []report.CourtCase) []byte {
		tl := report.NewTally(d("2018-11-20"))
		rep := tl.Report("r", report.Snapshot{}, "v")
		rep.AddCourt(cs, objs)
		var b bytes.Buffer
		if err := rep.WriteCSV(&b); err != nil {
			t.Fatal(err)
		}
		var j bytes.Buffer
		if err := rep.WriteJSON(&j); err != nil {
			t.Fatal(err)
		}
		return append(b.Bytes(), j.Bytes()...)
	}
	a := write(objections, cases)
	rev := func(x []report.CourtObjection) []report.CourtObjection {
		out := make([]report.CourtObjection, len(x))
		for i := range x {
			out[len(x)-1-i] = x[i]
		}
		return out
	}
	cs := []report.CourtCase{cases[2], cases[0], cases[1]}
	if b := write(rev(objections), cs); !bytes.Equal(a, b) {
		t.Errorf("the order of the input changed the report:\n%s\n%s", a, b)
	}
	tl := report.NewTally(d("2018-11-20"))
	rep := tl.Report("r", report.Snapshot{}, "v")
	rep.AddCourt(cases, objections)
	last := ""
	for i, r := range rep.Rows {
		if r.ID == "SR-17" && last != "SR-17" && last != "SR-16" && last != "SR-15" && i > 0 {
			t.Errorf("SR-17 follows %s", last)
		}
		last = r.ID
	}
	if v, ok := rep.Get("SR-18", ""); !ok || v != 2 {
		t.Errorf("SR-18 = %d %v", v, ok)
	}
	if rep.Rows[len(rep.Rows)-1].ID != "SR-18" {
		t.Errorf("the last row is %v", rep.Rows[len(rep.Rows)-1])
	}
}
