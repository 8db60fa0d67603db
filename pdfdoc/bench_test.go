package pdfdoc

import (
	"fmt"
	"testing"
)

// report builds a court-report-like document: a chart and a table of
// rowCount rows, which fills about ten pages at 300 rows.
func report(rowCount int) *Document {
	d := New(Options{Footer: "Status report · snapshot 2019-02-01", PageLabel: "Page {page} of {pages}"})
	d.Title("Status Report to the Court")
	d.Paragraph("Counts by stage and by country, computed from the dated snapshot named in the footer.")
	bars := []Bar{}
	for i, c := range []string{"Guatemala", "Honduras", "El Salvador", "Mexico", "Brazil", "Other"} {
		bars = append(bars, Bar{Label: c, Value: float64(1200 - 190*i)})
	}
	d.BarChart(Chart{Title: "Parents by country", Bars: bars})
	rows := make([][]string, rowCount)
	for i := range rows {
		rows[i] = []string{fmt.Sprintf("F-%06d", i+1), "INTERVIEW_SCHEDULED", "Guatemala", fmt.Sprintf("%d", i%7), "2018-11-15"}
	}
	d.Table(Table{Columns: []Column{
		{Header: "Family", Width: 2}, {Header: "Stage", Width: 3}, {Header: "Country", Width: 2},
		{Header: "Days waiting", Width: 1.5, Align: AlignRight}, {Header: "Elected on", Width: 2},
	}, Rows: rows})
	return d
}

func BenchmarkRenderTenPageReport(b *testing.B) {
	if err := loadFonts(); err != nil {
		b.Fatal(err)
	}
	pages, err := report(300).layout()
	if err != nil {
		b.Fatal(err)
	}
	if len(pages) != 10 {
		b.Fatalf("the report has %d pages, want 10", len(pages))
	}
	b.ReportAllocs()
	var size int
	for b.Loop() {
		pdf, _, err := report(300).Render()
		if err != nil {
			b.Fatal(err)
		}
		size = len(pdf)
	}
	b.ReportMetric(float64(size), "bytes/pdf")
}
