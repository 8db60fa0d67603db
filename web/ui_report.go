package web

import (
	"cmp"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"rescreen"
)

// The court status report on the pages: a section of the dashboard with
// the numbers the court asks about at every hearing, each under its
// definition's id and linked to /report, and /report itself, the whole
// report as of a date (today unless another is asked for): the snapshot it
// names, every definition with its statement and its rows, charts where a
// picture reads better, and the report's files. The numbers are the
// service's, computed by package report; this file only lays them out.
// Group names are the record's codes, as in the CSV and JSON files, so that
// a number on the page can be found in the file filed with the court.

// reportKey is one number the dashboard shows: a row of the report and the
// catalogue key of its label (with the group's parts as arguments for the
// rows of a place or an outcome).
type reportKey struct {
	id, group, label string
}

// dashboardNumbers are the report's numbers on the dashboard, in this
// order; a row the report lacks (no waits yet) is left out. The places
// (SR-4) and outcomes (SR-12) are every group the report has.
var dashboardNumbers = []reportKey{
	{"SR-2", "", "report.key.families"},
	{"SR-3", "", "report.key.members"},
	{"SR-3", "parents", "report.key.parents"},
	{"SR-3", "children", "report.key.children"},
	{"SR-4", "*", ""},
	{"SR-5", "", "report.key.underFive"},
	{"SR-7", "", "report.key.elections"},
	{"SR-8", "", "report.key.waivers"},
	{"SR-9", "SETTLEMENT_REVIEW", "report.key.reviews"},
	{"SR-9", "CHILD_INTERVIEW", "report.key.childInterviews"},
	{"SR-11", "done median", "report.key.waitMedian"},
	{"SR-11", "done p90", "report.key.waitP90"},
	{"SR-11", "done max", "report.key.waitMax"},
	{"SR-11", "waiting count", "report.key.stillWaiting"},
	{"SR-11", "waiting max", "report.key.stillWaitingMax"},
	{"SR-12", "*", ""},
	{"SR-13", "families", "report.key.heldFamilies"},
	{"SR-13", "members", "report.key.heldMembers"},
	{"SR-15", "", "report.key.missed"},
}

// reportNumber is one number of the dashboard's section.
type reportNumber struct {
	ID, Label string
	Value     int64
}

// reportSummary is the dashboard's section: the key numbers, or why the
// report could not be made.
type reportSummary struct {
	Report  *rescreen.StatusReport
	Elapsed string
	Numbers []reportNumber
	Err     string
}

// dashboardReport makes the dashboard's section from the report of today.
// A report that cannot be made leaves the rest of the dashboard standing,
// with the reason in the section.
func (s *Server) dashboardReport(r *http.Request, c catalog) *reportSummary {
	rep, err := s.reports.StatusReport(r.Context(), rescreen.Date{})
	if err != nil {
		_, d := s.describe(r, err)
		return &reportSummary{Err: d.Message}
	}
	v := &reportSummary{Report: rep, Elapsed: elapsed(rep.Elapsed)}
	for _, k := range dashboardNumbers {
		if k.group != "*" {
			if n, ok := rep.Get(k.id, k.group); ok {
				v.Numbers = append(v.Numbers, reportNumber{ID: k.id, Label: c.text(k.label), Value: n})
			}
			continue
		}
		for _, x := range rep.Rows {
			if x.ID == k.id {
				v.Numbers = append(v.Numbers, reportNumber{ID: x.ID, Label: groupLabel(c, x.ID, x.Group), Value: x.Value})
			}
		}
	}
	return v
}

// groupLabel names a group of the places (SR-4: "parents IN_US") or the
// outcomes (SR-12) in the page's language; any other group is shown as
// the report writes it.
func groupLabel(c catalog, id, group string) string {
	switch id {
	case "SR-4":
		role, place, ok := strings.Cut(group, " ")
		if rk, pk := "report.role."+role, "report.place."+place; ok && c[rk] != "" && c[pk] != "" {
			return c.text("report.key.place", c.text(rk), c.text(pk))
		}
	case "SR-12":
		if _, ok := c["enum.outcome."+group]; ok || group == "NOT_EVALUATED" {
			label := c.text("dashboard.notEvaluated")
			if ok {
				label = c.enumLabel("outcome", group)
			}
			return c.text("report.key.outcome", label)
		}
	}
	return group
}

// elapsed shows how long a computation took, in seconds to a hundredth.
func elapsed(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 2, 64)
}

// reportView is the data of /report.
type reportView struct {
	Form     *form
	Report   *rescreen.StatusReport
	Elapsed  string
	Files    []reportLink
	Sections []reportSection
	Today    bool
}

// reportLink is one of the report's files.
type reportLink struct {
	Href, Name, Label string
}

// reportSection is one definition: its statement, a chart if it suits,
// and its rows.
type reportSection struct {
	ID, Metric, Text string
	Chart            *chart
	Rows             []reportRowView
}

// reportRowView is one row of a definition's table.
type reportRowView struct {
	Group string
	Value int64
}

// reportFileLabels are the catalogue keys of the files' links.
var reportFileLabels = map[rescreen.ReportFormat]string{
	rescreen.ReportPDF:        "report.file.pdf",
	rescreen.ReportPDFSpanish: "report.file.es.pdf",
	rescreen.ReportCSV:        "report.file.csv",
	rescreen.ReportJSON:       "report.file.json",
}

// reportCharts are the definitions drawn as a chart, and the catalogue
// key of the chart's title.
var reportCharts = map[string]string{
	"SR-4":  "report.chart.places",
	"SR-6":  "report.chart.countries",
	"SR-11": "report.chart.waits",
	"SR-12": "report.chart.outcomes",
}

// uiReport answers GET /report: the report as of the date of the form
// (today if none), which must be a real date no later than today. A
// wrong date shows the form again with the problem next to the field, and
// no report.
func (s *Server) uiReport(w http.ResponseWriter, r *http.Request) {
	if s.reports == nil {
		s.uiError(w, r, rescreen.Errorf(rescreen.ENOTFOUND, "The court status report is not available on this server."))
		return
	}
	lang := language(r)
	c := s.cats[lang]
	f := newForm(c, r.URL.Query(), fieldDef{"as_of", "report.asOf"})
	asOf := f.date("as_of", s.today(), false)
	v := reportView{Form: f}
	if f.HasErrors() {
		s.render(w, r, http.StatusBadRequest, "report.html", v, "report.title")
		return
	}
	rep, err := s.reports.StatusReport(r.Context(), asOf)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	v.Report, v.Elapsed, v.Today = rep, elapsed(rep.Elapsed), rep.AsOf == s.today()
	if f.raw("as_of") == "" {
		f.F["as_of"].Value = rep.AsOf.String()
	}
	for _, ft := range rescreen.ReportFormats {
		v.Files = append(v.Files, reportLink{Href: "/report/" + ft.FileName(rep.AsOf), Name: ft.FileName(rep.AsOf), Label: c.text(reportFileLabels[ft])})
	}
	meanings := map[string]rescreen.ReportDefinition{}
	for _, m := range rep.Meanings {
		meanings[m.ID] = m
	}
	var ids []string
	for _, x := range rep.Rows {
		if !slices.Contains(ids, x.ID) {
			ids = append(ids, x.ID)
		}
	}
	for _, id := range ids {
		m := meanings[id]
		sec := reportSection{ID: id, Metric: inLanguage(m.Metric, lang), Text: inLanguage(m.Text, lang)}
		if sec.Metric == "" {
			i := slices.IndexFunc(rep.Rows, func(x rescreen.ReportRow) bool { return x.ID == id })
			sec.Metric = rep.Rows[i].Metric
		}
		var rows []rescreen.ReportRow
		for _, x := range rep.Rows {
			if x.ID == id {
				rows = append(rows, x)
				g := x.Group
				if g == "" {
					g = c.text("report.total")
				}
				sec.Rows = append(sec.Rows, reportRowView{Group: g, Value: x.Value})
			}
		}
		if key, ok := reportCharts[id]; ok {
			sec.Chart = reportChart(c, id, c.text(key), rows)
		}
		v.Sections = append(v.Sections, sec)
	}
	s.render(w, r, http.StatusOK, "report.html", v, "report.title")
}

// inLanguage picks the text in the language, else in English.
func inLanguage(m map[string]string, lang string) string {
	if t := m[lang]; t != "" {
		return t
	}
	return m["en"]
}

// reportChart draws a definition's rows: the countries most counted (the
// others in one bar), the waits in days (without the counts of forms), or
// every group.
func reportChart(c catalog, id, title string, rows []rescreen.ReportRow) *chart {
	var bars []chartBar
	switch id {
	case "SR-6":
		byCount := slices.Clone(rows)
		slices.SortStableFunc(byCount, func(a, b rescreen.ReportRow) int { return cmp.Compare(b.Value, a.Value) })
		other := 0
		for i, x := range byCount {
			if i < chartCountries {
				bars = append(bars, chartBar{Label: x.Group, Value: int(x.Value)})
			} else {
				other += int(x.Value)
			}
		}
		if len(byCount) > chartCountries {
			bars = append(bars, chartBar{Label: c.text("dashboard.otherCountries"), Value: other})
		}
	case "SR-11":
		for _, x := range rows {
			if !strings.HasSuffix(x.Group, " count") {
				bars = append(bars, chartBar{Label: c.text("report.chart.days", x.Group), Value: int(x.Value)})
			}
		}
	default:
		for _, x := range rows {
			bars = append(bars, chartBar{Label: groupLabel(c, id, x.Group), Value: int(x.Value)})
		}
	}
	if len(bars) == 0 {
		return nil
	}
	ch := newChart(strings.ToLower(id), title, bars)
	return &ch
}

// reportFileRE matches the names of the report's files.
var reportFileRE = regexp.MustCompile(`^status-report-([0-9]{4}-[0-9]{2}-[0-9]{2})\.(pdf|es\.pdf|csv|json)$`)

// uiReportFile answers GET /report/{file}: the report as of the date in
// the file's name, written in the format its extension names; the same
// bytes `rescreen report status` writes for the same store and date. A
// date the report cannot be made as of (after today, or of a year outside
// 1900-2100) is a 400 naming it.
func (s *Server) uiReportFile(w http.ResponseWriter, r *http.Request) {
	if s.reports == nil {
		s.uiError(w, r, rescreen.Errorf(rescreen.ENOTFOUND, "The court status report is not available on this server."))
		return
	}
	m := reportFileRE.FindStringSubmatch(r.PathValue("file"))
	if m == nil {
		s.uiError(w, r, rescreen.Errorf(rescreen.ENOTFOUND, "The report has no such file; its files are named status-report-DATE.pdf, .es.pdf, .csv or .json."))
		return
	}
	asOf, err := rescreen.ParseDate(m[1])
	if err != nil {
		s.uiError(w, r, rescreen.Errorf(rescreen.ENOTFOUND, "The report has no such file: %s is not a date.", m[1]))
		return
	}
	// The service refuses a date after today or of a year outside
	// 1900-2100 (EINVALID, 400), before anything is read.
	file, err := s.reports.StatusReportFile(r.Context(), asOf, rescreen.ReportFormat(m[2]))
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	sum, err := hex.DecodeString(file.SHA256)
	if err != nil {
		s.uiError(w, r, rescreen.WrapError(rescreen.EINTERNAL, "web.uiReportFile", err, ""))
		return
	}
	h := w.Header()
	h.Set("Content-Type", file.ContentType)
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", file.Name))
	h.Set("Content-Length", strconv.Itoa(len(file.Body)))
	h.Set("Repr-Digest", "sha-256=:"+base64.StdEncoding.EncodeToString(sum)+":")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(file.Body)
}
