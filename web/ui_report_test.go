package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rescreen"
	"rescreen/access"
	"rescreen/app"
	"rescreen/exchange"
	"rescreen/rules"
	"rescreen/sqlstore"
	"rescreen/synth"
	"rescreen/web"
)

// reportWorld is a store holding a synthetic class, the report service
// over it, a server, and a monitor signed in.
type reportWorld struct {
	svc     *app.Service
	reports *app.Reports
	srv     *web.Server
	cookie  *http.Cookie
}

func newReportWorld(t *testing.T, families int) *reportWorld {
	t.Helper()
	ctx := rescreen.WithActor(context.Background(), "test")
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := app.New(db)
	s.Now = func() time.Time { return time.Date(2019, 6, 3, 9, 0, 0, 0, time.UTC) }
	s.NewID = app.CounterIDs()
	s.HashParams = access.HashParams{Memory: 64, Time: 1, Threads: 1}
	if s.Rules, err = rules.NewEngine(rules.Params{}); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "class")
	cw, err := exchange.NewCSVWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := synth.DefaultConfig()
	cfg.Families = families
	if err := synth.Generate(cfg, cw.WriteDataset); err != nil {
		t.Fatal(err)
	}
	if err := cw.Close(); err != nil {
		t.Fatal(err)
	}
	inputs, err := exchange.Inputs([]string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, inputs, app.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddUser(ctx, "monitor", "", worldPassword, []access.Assignment{{Role: access.Monitor, Scope: access.All}}); err != nil {
		t.Fatal(err)
	}
	sess, err := s.SignIn(ctx, "monitor", worldPassword, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	w := &reportWorld{svc: s, reports: app.NewReports(s), cookie: &http.Cookie{Name: "rescreen_session", Value: sess.Token}}
	if w.srv, err = web.NewServer(web.Config{Families: s, Audit: s, Rules: s, Links: s, Auth: s, Access: s, Reports: w.reports, Now: s.Now}); err != nil {
		t.Fatal(err)
	}
	return w
}

// get requests the path as the monitor, in the language.
func (w *reportWorld) get(t *testing.T, path, lang string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.AddCookie(w.cookie)
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	rec := httptest.NewRecorder()
	w.srv.ServeHTTP(rec, req)
	return rec
}

// report is the service's report as of the date (today if zero).
func (w *reportWorld) report(t *testing.T, asOf rescreen.Date) *rescreen.StatusReport {
	t.Helper()
	rep, err := w.reports.StatusReport(context.Background(), asOf)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestReportPages(t *testing.T) {
	w := newReportWorld(t, 120)
	rep := w.report(t, rescreen.Date{})
	if rep.AsOf != rescreen.MustDate("2019-06-03") {
		t.Fatalf("today's report is as of %s", rep.AsOf)
	}
	value := func(id, group string) int64 {
		t.Helper()
		v, ok := rep.Get(id, group)
		if !ok {
			t.Fatalf("the report has no row %s [%s]", id, group)
		}
		return v
	}
	// row is how the dashboard shows a number: its definition's id,
	// linked to its section of /report, its label and its value.
	row := func(id, label string, v int64) string {
		return fmt.Sprintf(`<th scope="row"><a href="/report#%s">%s</a></th><td>%s</td><td class="num">%d</td>`, id, id, html.EscapeString(label), v)
	}

	t.Run("the dashboard shows the report's numbers", func(t *testing.T) {
		rec := w.get(t, "/dashboard", "en")
		body := rec.Body.String()
		if rec.Code != http.StatusOK {
			t.Fatalf("%d\n%s", rec.Code, body)
		}
		want := []string{
			"Court status report (as of today, 2019-06-03)",
			"Computed at 2019-06-03 09:00 UTC in ",
			fmt.Sprintf("from the registry at audit event %d.", rep.Snapshot.AuditSeq),
			`<a href="/report">The full report, its definitions and its files</a>`,
			row("SR-2", "Families with a class member", value("SR-2", "")),
			row("SR-3", "Class members", value("SR-3", "")),
			row("SR-3", "Class members: parents", value("SR-3", "parents")),
			row("SR-3", "Class members: children", value("SR-3", "children")),
			row("SR-4", "Parents in the U.S.", value("SR-4", "parents IN_US")),
			row("SR-4", "Children in the U.S.", value("SR-4", "children IN_US")),
			row("SR-5", "Children under five", value("SR-5", "")),
			row("SR-7", "Election forms received", value("SR-7", "")),
			row("SR-8", "Valid waivers (Option B)", value("SR-8", "")),
			row("SR-9", "Parents' settlement reviews held", value("SR-9", "SETTLEMENT_REVIEW")),
			row("SR-9", "Children's own interviews held", value("SR-9", "CHILD_INTERVIEW")),
			row("SR-11", "Days from election to interview: median", value("SR-11", "done median")),
			row("SR-11", "Days from election to interview: 90th percentile", value("SR-11", "done p90")),
			row("SR-11", "Days from election to interview: longest", value("SR-11", "done max")),
			row("SR-11", "Option A elections still waiting for an interview", value("SR-11", "waiting count")),
			row("SR-12", "Families: Remains together in the U.S.", value("SR-12", "STAYS")),
			row("SR-12", "Families: Removal may proceed", value("SR-12", "REMOVAL_MAY_PROCEED")),
			row("SR-13", "Families with a removal hold in force", value("SR-13", "families")),
			row("SR-13", "Class members held", value("SR-13", "members")),
			row("SR-15", "Missed deadlines", value("SR-15", "")),
		}
		if v, ok := rep.Get("SR-4", "parents REMOVED"); ok {
			want = append(want, row("SR-4", "Parents removed", v))
		}
		for _, s := range want {
			if !strings.Contains(body, s) {
				t.Errorf("the dashboard lacks %q", s)
			}
		}
		// Every outcome the report counts is on the dashboard.
		for _, x := range rep.Rows {
			if x.ID == "SR-12" && !strings.Contains(body, fmt.Sprintf(`<td class="num">%d</td>`, x.Value)) {
				t.Errorf("the dashboard lacks SR-12 %s = %d", x.Group, x.Value)
			}
		}

		es := w.get(t, "/dashboard", "es").Body.String()
		for _, s := range []string{"Informe de situación para el tribunal (al día de hoy, 2019-06-03)",
			row("SR-3", "Miembros del grupo: padres", value("SR-3", "parents")),
			row("SR-4", "Padres en EE. UU.", value("SR-4", "parents IN_US")),
			row("SR-12", "Familias: Permanece unida en EE. UU.", value("SR-12", "STAYS"))} {
			if !strings.Contains(es, s) {
				t.Errorf("the Spanish dashboard lacks %q", s)
			}
		}
	})

	t.Run("the report page shows every row with its definition", func(t *testing.T) {
		rec := w.get(t, "/report", "en")
		body := rec.Body.String()
		if rec.Code != http.StatusOK {
			t.Fatalf("%d\n%s", rec.Code, body)
		}
		for _, s := range []string{
			"<h1>Court status report</h1>",
			`value="2019-06-03"`,
			"2019-06-03 (today)",
			"<code>" + rep.Snapshot.AuditHash + "</code>",
			"<code>" + rep.RuleSet + "</code>",
			rep.Definitions,
			"rescreen audit verify --head " + rep.Snapshot.AuditHash,
			`<a href="/report/status-report-2019-06-03.pdf" download="status-report-2019-06-03.pdf">PDF for the court (English)</a>`,
			`<a href="/report/status-report-2019-06-03.es.pdf"`,
			`<a href="/report/status-report-2019-06-03.csv"`,
			`<a href="/report/status-report-2019-06-03.json"`,
			`<svg role="img" aria-labelledby="chart-sr-12-title chart-sr-12-desc"`,
			`<svg role="img" aria-labelledby="chart-sr-6-title chart-sr-6-desc"`,
		} {
			if !strings.Contains(body, s) {
				t.Errorf("the report page lacks %q", s)
			}
		}
		for _, m := range rep.Meanings {
			sec := fmt.Sprintf(`<section id="%s" aria-labelledby="%s-title">`+"\n"+`<h2 id="%s-title">%s · %s</h2>`, m.ID, m.ID, m.ID, m.ID, html.EscapeString(m.Metric["en"]))
			if text := m.Text["en"]; text != "" {
				sec += "\n<p>" + html.EscapeString(text) + "</p>"
			}
			if !strings.Contains(body, sec) {
				t.Errorf("the report page lacks the section %s with its definition:\n%s", m.ID, sec)
			}
		}
		// Each row in its definition's section.
		for _, x := range rep.Rows {
			group := x.Group
			if group == "" {
				group = "total"
			}
			start := strings.Index(body, `<section id="`+x.ID+`"`)
			end := strings.Index(body[max(start, 0):], "</section>")
			if start < 0 || end < 0 {
				t.Fatalf("no section %s", x.ID)
			}
			if cell := fmt.Sprintf(`<tr><th scope="row">%s</th><td class="num">%d</td></tr>`, html.EscapeString(group), x.Value); !strings.Contains(body[start:start+end], cell) {
				t.Errorf("section %s lacks the row %s", x.ID, cell)
			}
		}

		es := w.get(t, "/report", "es").Body.String()
		for _, s := range []string{"<h1>Informe de situación para el tribunal</h1>", "SR-1 · familias en el registro", "2019-06-03 (hoy)", "PDF en español"} {
			if !strings.Contains(es, s) {
				t.Errorf("the Spanish report page lacks %q", s)
			}
		}
	})

	t.Run("another date", func(t *testing.T) {
		earlier := w.report(t, rescreen.MustDate("2019-01-15"))
		body := w.get(t, "/report?as_of=2019-01-15", "en").Body.String()
		if !strings.Contains(body, `value="2019-01-15"`) || !strings.Contains(body, "/report/status-report-2019-01-15.csv") || strings.Contains(body, "(today)") {
			t.Error("the report of 2019-01-15 does not name its date")
		}
		v, _ := earlier.Get("SR-7", "")
		if !strings.Contains(body, fmt.Sprintf(`<tr><th scope="row">total</th><td class="num">%d</td></tr>`, v)) {
			t.Errorf("the report of 2019-01-15 lacks its SR-7 total %d", v)
		}
	})

	t.Run("a wrong date is shown next to the field, and no report", func(t *testing.T) {
		for _, tt := range []struct{ asOf, msg string }{
			{"2019-02-30", "Enter a date that exists"},
			{"2030-01-01", "The date cannot be after today (2019-06-03)."},
			{"1850-01-01", "The year must be between 1900 and 2100."},
			{"<script>alert(1)</script>", "Enter a date that exists"},
		} {
			rec := w.get(t, "/report?as_of="+strings.ReplaceAll(tt.asOf, "<", "%3C"), "en")
			body := rec.Body.String()
			if rec.Code != http.StatusBadRequest {
				t.Errorf("%q: %d, want 400", tt.asOf, rec.Code)
			}
			if !strings.Contains(body, `<span class="field-msg" id="as_of-error">`+html.EscapeString(tt.msg)) || !strings.Contains(body, `aria-invalid="true"`) {
				t.Errorf("%q: the problem is not next to the field:\n%s", tt.asOf, body)
			}
			if strings.Contains(body, "<script>alert") || strings.Contains(body, "status-report-") {
				t.Errorf("%q: the page shows the input live, or a report", tt.asOf)
			}
		}
	})

	t.Run("the files", func(t *testing.T) {
		for _, f := range rescreen.ReportFormats {
			name := f.FileName(rescreen.MustDate("2019-06-01"))
			rec := w.get(t, "/report/"+name, "")
			if rec.Code != http.StatusOK {
				t.Fatalf("%s: %d\n%s", name, rec.Code, rec.Body)
			}
			want, err := w.reports.StatusReportFile(context.Background(), rescreen.MustDate("2019-06-01"), f)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(rec.Body.Bytes(), want.Body) {
				t.Errorf("%s: the download differs from the service's file", name)
			}
			sum := sha256.Sum256(rec.Body.Bytes())
			h := rec.Header()
			if h.Get("Content-Type") != f.ContentType() || h.Get("Content-Disposition") != `attachment; filename="`+name+`"` ||
				h.Get("Repr-Digest") != "sha-256=:"+base64.StdEncoding.EncodeToString(sum[:])+":" {
				t.Errorf("%s: headers %v", name, h)
			}
		}
		for _, tt := range []struct {
			name string
			code int
		}{
			{"status-report-2019-06-01.exe", http.StatusNotFound},
			{"report.pdf", http.StatusNotFound},
			{"status-report-2019-02-30.csv", http.StatusNotFound},
			{"status-report-2030-01-01.csv", http.StatusBadRequest},
		} {
			if rec := w.get(t, "/report/"+tt.name, ""); rec.Code != tt.code {
				t.Errorf("%s: %d, want %d", tt.name, rec.Code, tt.code)
			}
		}
	})

	t.Run("a file's date is checked as the form's", func(t *testing.T) {
		for _, asOf := range []string{"0001-01-01", "1899-12-31", "2019-06-04", "2101-01-01", "9999-12-31"} {
			for _, f := range rescreen.ReportFormats {
				name := "status-report-" + asOf + "." + string(f)
				rec := w.get(t, "/report/"+name, "en")
				if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "The report cannot be made as of "+asOf) {
					t.Errorf("%s: %d, want 400 naming the date\n%.300s", name, rec.Code, rec.Body)
				}
			}
		}
		if rec := w.get(t, "/report/status-report-1900-01-01.csv", ""); rec.Code != http.StatusOK {
			t.Errorf("status-report-1900-01-01.csv: %d, want 200", rec.Code)
		}
	})

	t.Run("without a report service", func(t *testing.T) {
		srv, err := web.NewServer(web.Config{Families: w.svc, Audit: w.svc, Rules: w.svc, Links: w.svc, Auth: w.svc, Access: w.svc, Now: w.svc.Now})
		if err != nil {
			t.Fatal(err)
		}
		for path, code := range map[string]int{"/dashboard": http.StatusOK, "/report": http.StatusNotFound, "/report/status-report-2019-06-01.csv": http.StatusNotFound} {
			req := httptest.NewRequest("GET", path, nil)
			req.AddCookie(w.cookie)
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != code || strings.Contains(rec.Body.String(), "Court status report (as of") {
				t.Errorf("%s without reports: %d, want %d", path, rec.Code, code)
			}
		}
	})
}
