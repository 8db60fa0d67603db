package report

import (
	"io"

	"rescreen"
)

// WriteFormat writes the report in one of rescreen.ReportFormats: JSON,
// CSV, or the PDF document in English or Spanish. The command line and
// the server both write through it, so a file is the same bytes whichever
// made it.
func (r *Report) WriteFormat(w io.Writer, f rescreen.ReportFormat) error {
	switch f {
	case rescreen.ReportJSON:
		return r.WriteJSON(w)
	case rescreen.ReportCSV:
		return r.WriteCSV(w)
	case rescreen.ReportPDF:
		return r.WritePDF(w, "en")
	case rescreen.ReportPDFSpanish:
		return r.WritePDF(w, "es")
	}
	return rescreen.Errorf(rescreen.EINVALID, "The report has no format %q; it is written as pdf, es.pdf, csv or json.", string(f))
}
