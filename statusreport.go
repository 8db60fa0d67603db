package rescreen

import (
	"context"
	"time"
)

// StatusReport is the court status report as the service hands it to the
// pages: the numbers of package report, each with the id of its written
// definition (docs/report-definitions.md), the snapshot they were computed
// from, and when this copy was computed. It mirrors report.Report, so that
// the web layer needs only this package.
type StatusReport struct {
	Title       string         `json:"title"`
	AsOf        Date           `json:"as_of"`
	Snapshot    ReportSnapshot `json:"snapshot"`
	RuleSet     string         `json:"rule_set_version"`
	Definitions string         `json:"definitions_version"`
	Rows        []ReportRow    `json:"rows"`
	// Meanings are the definitions the rows follow, in the rows' order,
	// with their names and one-line statements in each language the
	// report is written in.
	Meanings []ReportDefinition `json:"definitions"`
	// ComputedAt is when the numbers were computed, by the service's
	// clock, and Elapsed how long it took: a report is kept and handed
	// out again while nothing in the registry changes.
	ComputedAt time.Time     `json:"computed_at"`
	Elapsed    time.Duration `json:"elapsed"`
}

// ReportSnapshot names the state of the registry a report was made from:
// the audit chain's head when the report read it.
type ReportSnapshot struct {
	AuditSeq  int64     `json:"audit_seq"`
	AuditHash string    `json:"audit_hash"`
	At        time.Time `json:"at"`
}

// ReportRow is one number of the report: the definition it follows, what
// it counts, the group within it ("" for the total) and the value.
type ReportRow struct {
	ID     string `json:"id"`
	Metric string `json:"metric"`
	Group  string `json:"group"`
	Value  int64  `json:"value"`
}

// ReportDefinition is one definition of the report: its id, and its name
// and one-line statement by language ("en" always; a language without
// them falls back to English).
type ReportDefinition struct {
	ID     string            `json:"id"`
	Metric map[string]string `json:"metric"`
	Text   map[string]string `json:"text"`
}

// Get returns the value of a row, and whether the report has it.
func (r *StatusReport) Get(id, group string) (int64, bool) {
	for _, x := range r.Rows {
		if x.ID == id && x.Group == group {
			return x.Value, true
		}
	}
	return 0, false
}

// ReportFormat is a form of the report's file.
type ReportFormat string

// The report's files: the same numbers as JSON, CSV, and a PDF document
// for the court in English or Spanish.
const (
	ReportJSON       ReportFormat = "json"
	ReportCSV        ReportFormat = "csv"
	ReportPDF        ReportFormat = "pdf"
	ReportPDFSpanish ReportFormat = "es.pdf"
)

// ReportFormats lists the formats, in the order they are offered.
var ReportFormats = []ReportFormat{ReportPDF, ReportPDFSpanish, ReportCSV, ReportJSON}

// FileName is the name of the report's file as of a date in this format,
// the same for the command line and the web: status-report-2019-06-01.csv.
func (f ReportFormat) FileName(asOf Date) string {
	return "status-report-" + asOf.String() + "." + string(f)
}

// ContentType is the media type of the format.
func (f ReportFormat) ContentType() string {
	switch f {
	case ReportJSON:
		return "application/json"
	case ReportCSV:
		return "text/csv; charset=utf-8"
	case ReportPDF, ReportPDFSpanish:
		return "application/pdf"
	}
	return "application/octet-stream"
}

// ReportFile is the report written in one format.
type ReportFile struct {
	Name        string // the file's name, see ReportFormat.FileName
	ContentType string
	Body        []byte
	SHA256      string // hex, of Body
}

// ReportService makes the court status report.
type ReportService interface {
	// StatusReport returns the report as of asOf; the zero date means
	// today by the service's clock. The numbers are computed again only
	// when the registry has changed since the last report of that date.
	// It returns EFORBIDDEN to a caller who may not read counts, and
	// EINVALID when no rules are configured or for a date after today or
	// of a year outside 1900-2100, which no report is made as of.
	StatusReport(ctx context.Context, asOf Date) (*StatusReport, error)
	// StatusReportFile returns the same report (the same snapshot)
	// written in a format: the bytes `rescreen report status` writes for
	// the same store and date. An unknown format is EINVALID.
	StatusReportFile(ctx context.Context, asOf Date, format ReportFormat) (*ReportFile, error)
}
