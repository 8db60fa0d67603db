package app_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"rescreen"
	"rescreen/access"
	"rescreen/app"
	"rescreen/report"
	"rescreen/rules"
)

// reportService imports a synthetic class of n families into a service
// with the default rules and a clock that moves on by a millisecond on
// every reading (from 2019-06-03 09:00 UTC), so that each computation of
// a report has its own time.
func reportService(t *testing.T, n int) *app.Service {
	t.Helper()
	s := mustService(t)
	var ticks atomic.Int64
	base := time.Date(2019, 6, 3, 9, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return base.Add(time.Duration(ticks.Add(1)) * time.Millisecond) }
	var err error
	if s.Rules, err = rules.NewEngine(nil); err != nil {
		t.Fatal(err)
	}
	importSyntheticClass(t, s, n)
	return s
}

// direct makes the report without the cache, as the command line does.
func direct(t *testing.T, s *app.Service, asOf rescreen.Date) *report.Report {
	t.Helper()
	rep, err := s.StatusReport(context.Background(), s.Rules, asOf, 2)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func sameRows(t *testing.T, what string, got *rescreen.StatusReport, want *report.Report) {
	t.Helper()
	if got.AsOf != want.AsOf || got.Snapshot.AuditSeq != want.Snapshot.AuditSeq || got.Snapshot.AuditHash != want.Snapshot.AuditHash ||
		!got.Snapshot.At.Equal(want.Snapshot.At) || got.RuleSet != want.RuleSet || got.Definitions != want.Definitions {
		t.Errorf("%s: the report names %s %d %s %s, want %s %d %s %s", what, got.AsOf, got.Snapshot.AuditSeq, got.Snapshot.AuditHash, got.RuleSet,
			want.AsOf, want.Snapshot.AuditSeq, want.Snapshot.AuditHash, want.RuleSet)
	}
	if len(got.Rows) != len(want.Rows) {
		t.Fatalf("%s: %d rows, want %d", what, len(got.Rows), len(want.Rows))
	}
	for i, x := range want.Rows {
		if g := got.Rows[i]; g.ID != x.ID || g.Metric != x.Metric || g.Group != x.Group || g.Value != x.Value {
			t.Errorf("%s: row %d is %+v, want %+v", what, i, g, x)
		}
	}
}

// TestReportsKeepAReportUntilTheRegistryChanges: the service's report of
// today is the report the command line makes; it is handed out again,
// not computed again, while only reads happen (which move the audit
// chain's head); a change to a family computes it again, with the change
// counted; another date is a report of its own, and both are kept.
func TestReportsKeepAReportUntilTheRegistryChanges(t *testing.T) {
	s := reportService(t, 60)
	ctx := rescreen.WithActor(context.Background(), "test")
	reports := app.NewReports(s)
	today := rescreen.MustDate("2019-06-03")

	first, err := reports.StatusReport(ctx, rescreen.Date{})
	if err != nil {
		t.Fatal(err)
	}
	if first.AsOf != today {
		t.Fatalf("the report of the zero date is as of %s, want today %s", first.AsOf, today)
	}
	if first.ComputedAt.IsZero() || first.ComputedAt.Before(time.Date(2019, 6, 3, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("computed at %s, not by the service's clock", first.ComputedAt)
	}
	sameRows(t, "first", first, direct(t, s, today))
	if v, ok := first.Get("SR-1", ""); !ok || v != 60 {
		t.Fatalf("SR-1 = %d, %v; want 60", v, ok)
	}
	// Its definitions, in the rows' order, in both languages.
	if len(first.Meanings) < 16 || first.Meanings[0].ID != "SR-1" || first.Meanings[0].Metric["es"] != "familias en el registro" ||
		first.Meanings[0].Text["en"] != report.DefinitionText("SR-1", "en") {
		t.Errorf("the definitions: %+v", first.Meanings[:1])
	}

	// Reads are audited, and move the chain's head, not the report.
	for range 3 {
		if err := s.LogAccess(ctx, rescreen.AccessEvent{Method: "GET", Route: "/dashboard", Status: 200}); err != nil {
			t.Fatal(err)
		}
	}
	again, err := reports.StatusReport(ctx, today)
	if err != nil {
		t.Fatal(err)
	}
	if !again.ComputedAt.Equal(first.ComputedAt) {
		t.Errorf("reads made the report be computed again (at %s, first at %s)", again.ComputedAt, first.ComputedAt)
	}
	again.Rows[0].Value = -1 // a caller's copy: the kept report is not changed
	if kept, _ := reports.StatusReport(ctx, today); kept.Rows[0].Value == -1 {
		t.Error("a caller changed the kept report")
	}

	// A change: a new family of one parent.
	d := &rescreen.Dataset{
		Families: []rescreen.Family{{Meta: rescreen.Meta{Source: "MANUAL", SourceID: "NEW"}}},
		Persons: []rescreen.Person{{Meta: rescreen.Meta{Source: "MANUAL", SourceID: "NEW-P"}, Family: "MANUAL:NEW", Role: rescreen.RoleParent,
			GivenNames: "Ana", FirstSurname: "Nueva", BirthDate: rescreen.MustDate("1980-01-01"), Country: "HN"}},
	}
	if _, err := s.CreateFamily(ctx, d); err != nil {
		t.Fatal(err)
	}
	changed, err := reports.StatusReport(ctx, today)
	if err != nil {
		t.Fatal(err)
	}
	if changed.ComputedAt.Equal(first.ComputedAt) {
		t.Fatal("the report was not computed again after a change")
	}
	if v, _ := changed.Get("SR-1", ""); v != 61 {
		t.Errorf("after a new family SR-1 = %d, want 61", v)
	}
	sameRows(t, "after the change", changed, direct(t, s, today))

	// Another date is another report; today's is kept meanwhile.
	earlier := rescreen.MustDate("2019-01-15")
	old, err := reports.StatusReport(ctx, earlier)
	if err != nil {
		t.Fatal(err)
	}
	if old.AsOf != earlier || old.ComputedAt.Equal(changed.ComputedAt) {
		t.Errorf("the report of %s: as of %s, computed at %s", earlier, old.AsOf, old.ComputedAt)
	}
	sameRows(t, "earlier", old, direct(t, s, earlier))
	if kept, _ := reports.StatusReport(ctx, today); !kept.ComputedAt.Equal(changed.ComputedAt) {
		t.Error("today's report was dropped for another date's")
	}
}

// TestReportsComputeOnceForManyCallers: callers who ask together share one
// computation.
func TestReportsComputeOnceForManyCallers(t *testing.T) {
	s := reportService(t, 40)
	reports := app.NewReports(s)
	ctx := context.Background()
	var wg sync.WaitGroup
	got := make([]*rescreen.StatusReport, 8)
	errs := make([]error, len(got))
	for i := range got {
		wg.Go(func() { got[i], errs[i] = reports.StatusReport(ctx, rescreen.Date{}) })
	}
	wg.Wait()
	for i := range got {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if !got[i].ComputedAt.Equal(got[0].ComputedAt) {
			t.Errorf("caller %d got a report computed at %s, caller 0 one at %s", i, got[i].ComputedAt, got[0].ComputedAt)
		}
	}
}

// TestReportsFiles: each file is the report written by package report,
// byte for byte what the command line writes for the same store and date,
// with its SHA-256 and name; a format that does not exist is refused.
func TestReportsFiles(t *testing.T) {
	s := reportService(t, 30)
	reports := app.NewReports(s)
	ctx := context.Background()
	asOf := rescreen.MustDate("2019-06-01")
	want := direct(t, s, asOf)
	for _, f := range rescreen.ReportFormats {
		file, err := reports.StatusReportFile(ctx, asOf, f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var buf bytes.Buffer
		if err := want.WriteFormat(&buf, f); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(buf.Bytes())
		if !bytes.Equal(file.Body, buf.Bytes()) || file.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: the file differs from the report's own (%d and %d bytes)", f, len(file.Body), buf.Len())
		}
		if file.Name != "status-report-2019-06-01."+string(f) || file.ContentType != f.ContentType() {
			t.Errorf("%s: named %q, %q", f, file.Name, file.ContentType)
		}
		again, err := reports.StatusReportFile(ctx, asOf, f)
		if err != nil || again != file {
			t.Errorf("%s: written again (%v)", f, err)
		}
	}
	if _, err := reports.StatusReportFile(ctx, asOf, "exe"); rescreen.ErrorCode(err) != rescreen.EINVALID {
		t.Errorf("an unknown format: %v, want EINVALID", err)
	}
}

// TestReportsRefuse: a caller who may not read counts gets EFORBIDDEN,
// a service without rules EINVALID, and a caller who gives up an error
// without spoiling the report for the next.
func TestReportsRefuse(t *testing.T) {
	s := reportService(t, 20)
	reports := app.NewReports(s)
	token := access.NewContext(context.Background(), access.Principal{User: "tool",
		Roles: []access.Assignment{{Role: access.ClassCounsel, Scope: access.All}},
		Limit: []access.Need{{Group: access.Identity, Level: access.Read}}})
	if _, err := reports.StatusReport(token, rescreen.Date{}); rescreen.ErrorCode(err) != rescreen.EFORBIDDEN {
		t.Errorf("a token without counts: %v, want EFORBIDDEN", err)
	}
	if _, err := reports.StatusReportFile(token, rescreen.Date{}, rescreen.ReportCSV); rescreen.ErrorCode(err) != rescreen.EFORBIDDEN {
		t.Errorf("a token without counts, a file: %v, want EFORBIDDEN", err)
	}
	// The report counts the whole registry whoever asks first: a counsel
	// of an organisation no family names sees the same numbers.
	narrow := access.NewContext(context.Background(), access.Principal{User: "counsel",
		Roles: []access.Assignment{{Role: access.ClassCounsel, Scope: access.Unit, Units: []string{"org:NOBODY"}}}})
	if rep, err := reports.StatusReport(narrow, rescreen.Date{}); err != nil {
		t.Errorf("a counsel of one organisation: %v", err)
	} else if v, _ := rep.Get("SR-1", ""); v != 20 {
		t.Errorf("a counsel of one organisation is told of %d families, not the registry's 20", v)
	}
	monitor := access.NewContext(context.Background(), access.Principal{User: "monitor", Roles: []access.Assignment{{Role: access.Monitor, Scope: access.All}}})
	if _, err := reports.StatusReport(monitor, rescreen.Date{}); err != nil {
		t.Errorf("the monitor: %v", err)
	}

	gone, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := reports.StatusReport(gone, rescreen.MustDate("2019-02-01")); err == nil {
		t.Error("a caller who gave up got a report")
	}
	if _, err := reports.StatusReport(context.Background(), rescreen.MustDate("2019-02-01")); err != nil {
		t.Errorf("after a caller gave up: %v", err)
	}

	s.Rules = nil
	if _, err := app.NewReports(s).StatusReport(context.Background(), rescreen.Date{}); rescreen.ErrorCode(err) != rescreen.EINVALID {
		t.Errorf("without rules: %v, want EINVALID", err)
	}
}

// TestReportsFollowTheCourtsRecord: an objection entered on the court's
// record changes no family, and still makes the report be computed again:
// the change marker follows every change the audit chain records.
func TestReportsFollowTheCourtsRecord(t *testing.T) {
	s := reportService(t, 20)
	reports := app.NewReports(s)
	ctx := rescreen.WithActor(context.Background(), "user:cc-1")
	before, err := reports.StatusReport(ctx, rescreen.Date{})
	if err != nil {
		t.Fatal(err)
	}
	n, ok := before.Get("SR-17", "")
	if !ok {
		t.Fatal("the report has no SR-17 total")
	}
	if _, err := s.RecordObjection(ctx, rescreen.ObjectionInput{Case: "MS_L", Name: "Juana Pérez Xol", ReceivedOn: rescreen.MustDate("2019-05-02"),
		Channel: "MAIL", Summary: "The settlement does nothing for parents deported without their children."}); err != nil {
		t.Fatal(err)
	}
	after, err := reports.StatusReport(ctx, rescreen.Date{})
	if err != nil {
		t.Fatal(err)
	}
	if after.ComputedAt.Equal(before.ComputedAt) {
		t.Fatal("the report was not computed again after an objection was entered")
	}
	if m, _ := after.Get("SR-17", ""); m != n+1 {
		t.Errorf("SR-17 = %d after an objection, was %d", m, n)
	}
}

// TestReportsRefuseDatesOutOfRange: a report is made as of a day of a
// year from 1900 to 2100 and not after today; any other date is EINVALID
// naming it, for the report and its files alike, and is refused before
// anything is computed (even for a caller who has already given up).
func TestReportsRefuseDatesOutOfRange(t *testing.T) {
	s := reportService(t, 5)
	reports := app.NewReports(s)
	ctx := context.Background()
	gone, cancel := context.WithCancel(ctx)
	cancel()
	for _, bad := range []string{"0001-01-01", "1899-12-31", "2019-06-04", "2101-01-01", "9999-12-31"} {
		asOf := rescreen.MustDate(bad)
		if err := app.CheckReportDate(asOf, rescreen.MustDate("2019-06-03")); rescreen.ErrorCode(err) != rescreen.EINVALID || !strings.Contains(err.Error(), bad) {
			t.Errorf("CheckReportDate(%s): %v, want EINVALID naming the date", bad, err)
		}
		if _, err := reports.StatusReport(ctx, asOf); rescreen.ErrorCode(err) != rescreen.EINVALID || !strings.Contains(err.Error(), bad) {
			t.Errorf("the report as of %s: %v, want EINVALID naming the date", bad, err)
		}
		for _, f := range rescreen.ReportFormats {
			if _, err := reports.StatusReportFile(ctx, asOf, f); rescreen.ErrorCode(err) != rescreen.EINVALID || !strings.Contains(err.Error(), bad) {
				t.Errorf("the %s file as of %s: %v, want EINVALID naming the date", f, bad, err)
			}
		}
		if _, err := reports.StatusReport(gone, asOf); rescreen.ErrorCode(err) != rescreen.EINVALID {
			t.Errorf("the report as of %s for a caller who gave up: %v, want EINVALID before any computation", bad, err)
		}
	}
	for _, good := range []string{"1900-01-01", "2019-06-03"} {
		if err := app.CheckReportDate(rescreen.MustDate(good), rescreen.MustDate("2019-06-03")); err != nil {
			t.Errorf("CheckReportDate(%s): %v", good, err)
		}
	}
	rep, err := reports.StatusReport(ctx, rescreen.MustDate("1900-01-01"))
	if err != nil {
		t.Fatalf("the report as of 1900-01-01: %v", err)
	}
	if v, _ := rep.Get("SR-1", ""); v != 5 {
		t.Errorf("the report as of 1900-01-01 counts %d families, want 5", v)
	}
}
