package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"rescreen"
)

// The dashboard's charts are horizontal bar charts drawn on the server as
// inline SVG: no script, no web font, and nothing the content security
// policy would block (the geometry is in presentation attributes, not
// style). Each chart is an image with a title and a description that
// reads out every bar, and the same numbers follow in a captioned table,
// which is what a screen reader or a narrow screen is best served by.
//
// A chart is 340 units wide and drawn at that size, so that it fits a
// 360-pixel screen without scaling its text down.
const (
	chartWidth  = 340
	chartBarMax = 270 // the longest bar; the rest of the row holds its number
	chartRow    = 36  // a row: the label's line, then the bar
	chartTop    = 4
	// chartCountries is how many countries get a bar of their own; the
	// rest share one.
	chartCountries = 10
)

// chart is one bar chart, laid out.
type chart struct {
	ID     string // unique on the page, for the ids of its title and description
	Title  string
	Desc   string
	Height int
	Bars   []chartBar
}

// chartBar is one bar with its label, its number and where they go.
type chartBar struct {
	Label  string
	Value  int
	Href   string // a list of what the bar counts, if there is one
	LabelY int    // the label's baseline
	BarY   int    // the bar's top
	Width  int
	TextX  int // the number's start, just after the bar
	TextY  int
}

// newChart lays the bars out, scaled to the largest. A bar of a non-zero
// count is at least two units long, so that it shows.
func newChart(id, title string, bars []chartBar) chart {
	most := 0
	for _, b := range bars {
		most = max(most, b.Value)
	}
	c := chart{ID: id, Title: title, Height: chartTop + len(bars)*chartRow + 4}
	desc := make([]string, 0, len(bars))
	for i, b := range bars {
		top := chartTop + i*chartRow
		b.LabelY = top + 13
		b.BarY = top + 18
		if most > 0 && b.Value > 0 {
			b.Width = max(2, b.Value*chartBarMax/most)
		}
		b.TextX = b.Width + 6
		b.TextY = b.BarY + 11
		c.Bars = append(c.Bars, b)
		desc = append(desc, fmt.Sprintf("%s: %d", b.Label, b.Value))
	}
	c.Desc = strings.Join(desc, "; ")
	return c
}

// dashboardView is the data of the dashboard.
type dashboardView struct {
	Stats     rescreen.Stats
	Stages    chart
	Outcomes  chart
	Countries chart
	// CountryRows are the countries' table rows: every country, not only
	// those with a bar.
	CountryRows []countryRow
	// Report is the court status report's section (ui_report.go); nil
	// when the server makes no report.
	Report *reportSummary
}

// countryRow is one country of the table, its label resolved.
type countryRow struct {
	rescreen.CountryCount
	Label string
	Href  string
}

// uiDashboard answers GET /dashboard: the counts of the registry as of
// today, from one call to the service.
func (s *Server) uiDashboard(w http.ResponseWriter, r *http.Request) {
	st, err := s.families.Stats(r.Context())
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	c := s.cats[language(r)]
	v := dashboardView{Stats: st}

	stages := make([]chartBar, 0, len(st.Stages))
	for _, x := range st.Stages {
		stages = append(stages, chartBar{Label: c.enumLabel("stage", x.Value), Value: x.N, Href: "/?" + url.Values{"stage": {x.Value}}.Encode()})
	}
	v.Stages = newChart("stages", c.text("dashboard.stages"), stages)

	outcomes := make([]chartBar, 0, len(st.Outcomes)+1)
	for _, x := range st.Outcomes {
		outcomes = append(outcomes, chartBar{Label: c.enumLabel("outcome", x.Value), Value: x.N})
	}
	outcomes = append(outcomes, chartBar{Label: c.text("dashboard.notEvaluated"), Value: st.NotEvaluated})
	v.Outcomes = newChart("outcomes", c.text("dashboard.outcomes"), outcomes)

	var countries []chartBar
	other := 0
	for i, x := range st.Countries {
		row := countryRow{CountryCount: x, Label: x.Country}
		if x.Country == "" {
			row.Label = c.text("dashboard.noCountry")
		} else {
			row.Href = "/?" + url.Values{"country": {x.Country}}.Encode()
		}
		v.CountryRows = append(v.CountryRows, row)
		if i < chartCountries {
			countries = append(countries, chartBar{Label: row.Label, Value: x.Persons, Href: row.Href})
		} else {
			other += x.Persons
		}
	}
	if other > 0 {
		countries = append(countries, chartBar{Label: c.text("dashboard.otherCountries"), Value: other})
	}
	v.Countries = newChart("countries", c.text("dashboard.countries"), countries)
	if s.reports != nil {
		v.Report = s.dashboardReport(r, c)
	}
	s.render(w, r, http.StatusOK, "dashboard.html", v, "dashboard.title")
}
