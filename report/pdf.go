package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"rescreen"
	"rescreen/pdfdoc"
)

// The report as a document for the court. The first page names what the
// numbers were computed from (the date, the snapshot, the rule set and the
// definitions' version) and gives the key numbers; then every definition
// the report holds has its section: the definition in one line, a chart
// where a picture reads better than a list, and a table of its rows (id,
// metric, group, value) exactly as the CSV and JSON forms give them. The
// sections follow the rows, so a definition added to the report gets its
// section without a change here.
//
// The bytes depend on the report and the language only (pdfdoc renders
// deterministically, and the document's date is the snapshot's time), so
// the same report gives the same PDF, whose SHA-256 can be filed with it.

// pdfText holds the document's own wording in each language.
type pdfText struct {
	title, lead, intro, verify, about, head           string
	asOf, snapshot, ruleSet, defsVersion, snapValue   string
	keyNumbers, keyNote, byDefinition                 string
	colID, colMetric, colGroup, colValue, colNumber   string
	total, other, days, footer, page, subject, noRows string
	chartTitle                                        map[string]string
}

var pdfTexts = map[string]pdfText{
	"en": {
		title:        "Status Report to the Court",
		lead:         "Ms. L. v. ICE: the re-screening of separated parents and children under the settlement.",
		intro:        "Every number in this report has a fixed, written definition, named by its id (SR-1, SR-2, ...) and set out in the definitions document of the version named on the first page. The numbers were computed from the registry as of the report's date: every family evaluated by the rules in force on that date, and the court's own record (objections, approvals) as it stood then. The same snapshot, date and rule set give the same report, byte for byte, in PDF, CSV and JSON.",
		verify:       "To check that the registry still holds this snapshot: rescreen audit verify --head %s",
		asOf:         "As of",
		snapshot:     "Snapshot",
		ruleSet:      "Rule set version",
		defsVersion:  "Definitions version",
		snapValue:    "audit event %s (%s)",
		head:         "Audit chain head",
		about:        "About these numbers",
		keyNumbers:   "Key numbers",
		keyNote:      "Each definition's total and the groups most asked about; every group follows, by definition.",
		byDefinition: "The numbers by definition",
		colID:        "Id",
		colMetric:    "Metric",
		colGroup:     "Group",
		colValue:     "Value",
		colNumber:    "Number",
		total:        "total",
		other:        "other countries (%d)",
		days:         "%s days",
		footer:       "Status report as of %s · audit event %s · %s",
		page:         "Page {page} of {pages}",
		subject:      "Ms. L. v. ICE: court status report as of %s",
		noRows:       "This report holds no numbers.",
		chartTitle: map[string]string{
			"SR-4":  "Class members by place",
			"SR-6":  "Class members by country (the %d most frequent)",
			"SR-11": "Days from an Option A election to the interview",
			"SR-12": "Families by outcome",
		},
	},
	"es": {
		title:        "Informe de Situación para el Tribunal",
		lead:         "Ms. L. v. ICE: la nueva evaluación de padres e hijos separados conforme al acuerdo.",
		intro:        "Cada número de este informe tiene una definición fija y escrita, identificada por su código (SR-1, SR-2, ...) y recogida en el documento de definiciones de la versión indicada en la primera página. Los números se calcularon a partir del registro en la fecha del informe: cada familia evaluada por las reglas vigentes en esa fecha, y el registro del propio tribunal (objeciones, aprobaciones) tal como estaba entonces. La misma instantánea, fecha y conjunto de reglas dan el mismo informe, byte a byte, en PDF, CSV y JSON. Los nombres de grupos y códigos se dan tal como figuran en el registro.",
		verify:       "Para comprobar que el registro aún contiene esta instantánea: rescreen audit verify --head %s",
		asOf:         "Fecha del informe",
		snapshot:     "Instantánea",
		ruleSet:      "Versión de las reglas",
		defsVersion:  "Versión de las definiciones",
		snapValue:    "evento de auditoría %s (%s)",
		head:         "Cabeza de la cadena de auditoría",
		about:        "Sobre estos números",
		keyNumbers:   "Números principales",
		keyNote:      "El total de cada definición y los grupos más consultados; todos los grupos siguen, por definición.",
		byDefinition: "Los números por definición",
		colID:        "Código",
		colMetric:    "Medida",
		colGroup:     "Grupo",
		colValue:     "Valor",
		colNumber:    "Número",
		total:        "total",
		other:        "otros países (%d)",
		days:         "%s días",
		footer:       "Informe de situación al %s · evento de auditoría %s · %s",
		page:         "Página {page} de {pages}",
		subject:      "Ms. L. v. ICE: informe de situación para el tribunal al %s",
		noRows:       "Este informe no contiene números.",
		chartTitle: map[string]string{
			"SR-4":  "Miembros del grupo por lugar",
			"SR-6":  "Miembros del grupo por país (los %d más frecuentes)",
			"SR-11": "Días desde una elección de la Opción A hasta la entrevista",
			"SR-12": "Familias por resultado",
		},
	},
}

// keyGroups are the groups the summary shows besides each definition's
// total: those the court asks about at every hearing.
var keyGroups = map[string][]string{
	"SR-3":  {"parents", "children"},
	"SR-9":  {"SETTLEMENT_REVIEW", "CHILD_INTERVIEW"},
	"SR-11": {"done count", "done median", "done p90", "done max", "waiting count", "waiting max"},
	"SR-12": {"STAYS", "REMOVAL_MAY_PROCEED", "PENDING"},
	"SR-13": {"families", "members"},
}

// countryBars is how many countries get a bar of their own in SR-6's
// chart; the others share one. The table lists every country.
const countryBars = 12

// WritePDF writes the report as a PDF document in the language ("en" or
// "es"; see Languages). The definitions' names and statements are given
// in the language; the groups are the record's codes, as in CSV and JSON.
func (r *Report) WritePDF(w io.Writer, lang string) error {
	b, err := r.PDF(lang)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// PDF returns the report as a PDF document in the language; see WritePDF.
func (r *Report) PDF(lang string) ([]byte, error) {
	tx, ok := pdfTexts[lang]
	if !ok {
		return nil, rescreen.Errorf(rescreen.EINVALID, "The report is not written in %q; it is written in %s.", lang, strings.Join(Languages, ", "))
	}
	short := r.Snapshot.AuditHash
	if len(short) > 12 {
		short = short[:12]
	}
	seq := formatCount(r.Snapshot.AuditSeq)
	doc := pdfdoc.New(pdfdoc.Options{
		Title:     tx.title + " · " + r.AsOf.String(),
		Subject:   fmt.Sprintf(tx.subject, r.AsOf),
		PageLabel: tx.page,
		Footer:    fmt.Sprintf(tx.footer, r.AsOf, seq, short),
		Created:   r.Snapshot.At,
	})
	doc.Title(tx.title)
	doc.Paragraph(tx.lead)
	snapTime := "–"
	if !r.Snapshot.At.IsZero() {
		snapTime = r.Snapshot.At.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	doc.Fields(
		pdfdoc.Field{Label: tx.asOf, Value: r.AsOf.String()},
		pdfdoc.Field{Label: tx.snapshot, Value: fmt.Sprintf(tx.snapValue, seq, snapTime)},
		pdfdoc.Field{Label: tx.defsVersion, Value: dash(r.Definitions)},
	)
	// The hashes are longer than a field's column: each gets a line of
	// its own, whole, so that it can be copied.
	doc.Small(tx.head + ": " + dash(r.Snapshot.AuditHash))
	doc.Small(tx.ruleSet + ": " + dash(r.RuleSet))

	ids := r.IDs()
	if len(ids) == 0 {
		doc.Paragraph(tx.noRows)
		pdf, _, err := doc.Render()
		return pdf, err
	}
	doc.Heading(tx.keyNumbers)
	doc.Small(tx.keyNote)
	doc.Table(pdfdoc.Table{
		Columns: []pdfdoc.Column{{Header: tx.colID, Width: 1}, {Header: tx.colNumber, Width: 6}, {Header: tx.colValue, Width: 1.5, Align: pdfdoc.AlignRight}},
		Rows:    r.keyRows(ids, lang, tx),
	})

	doc.PageBreak()
	doc.Heading(tx.byDefinition)
	for _, id := range ids {
		rows := r.rowsOf(id)
		metric := r.Metric(id, lang)
		chart, hasChart := r.chart(id, rows, tx)
		cells := make([][]string, len(rows))
		for i, x := range rows {
			cells[i] = []string{x.ID, metric, groupLabel(x.Group, tx), formatCount(x.Value)}
		}
		// A section stays on one page unless it is longer than a page.
		doc.Keep(func() {
			doc.Heading(id + " · " + metric)
			if t := DefinitionText(id, lang); t != "" {
				doc.Small(t)
			}
			if hasChart {
				doc.BarChart(chart)
			}
			doc.Table(pdfdoc.Table{
				Columns: []pdfdoc.Column{{Header: tx.colID, Width: 0.9}, {Header: tx.colMetric, Width: 4.4}, {Header: tx.colGroup, Width: 3.6}, {Header: tx.colValue, Width: 1.1, Align: pdfdoc.AlignRight}},
				Rows:    cells,
			})
		})
		doc.Space(6)
	}
	doc.Heading(tx.about)
	doc.Paragraph(tx.intro)
	doc.Paragraph(fmt.Sprintf(tx.verify, dash(r.Snapshot.AuditHash)))
	pdf, _, err := doc.Render()
	if err != nil {
		return nil, rescreen.WrapError(rescreen.EINTERNAL, "report.PDF", err, "")
	}
	return pdf, nil
}

// keyRows are the summary's rows: each definition's total, then its key
// groups, in the report's order; a group the report lacks is left out.
func (r *Report) keyRows(ids []string, lang string, tx pdfText) [][]string {
	var out [][]string
	for _, id := range ids {
		metric := r.Metric(id, lang)
		if v, ok := r.Get(id, ""); ok {
			out = append(out, []string{id, metric, formatCount(v)})
		}
		for _, g := range keyGroups[id] {
			if v, ok := r.Get(id, g); ok {
				out = append(out, []string{id, metric + ": " + g, formatCount(v)})
			}
		}
	}
	return out
}

// rowsOf returns the rows of one definition, in the report's order.
func (r *Report) rowsOf(id string) []Row {
	var out []Row
	for _, x := range r.Rows {
		if x.ID == id {
			out = append(out, x)
		}
	}
	return out
}

// chart draws the definitions that read better as a picture: places,
// countries (the most frequent, the rest in one bar), outcomes and
// waiting times (in days, without the counts of forms).
func (r *Report) chart(id string, rows []Row, tx pdfText) (pdfdoc.Chart, bool) {
	title, ok := tx.chartTitle[id]
	if !ok || len(rows) == 0 {
		return pdfdoc.Chart{}, false
	}
	var bars []pdfdoc.Bar
	switch id {
	case "SR-6":
		title = fmt.Sprintf(title, countryBars)
		byCount := slices.Clone(rows)
		// The largest first; ties in the report's (byte) order, so the
		// chart is the same for the same report.
		slices.SortStableFunc(byCount, func(a, b Row) int { return cmp.Compare(b.Value, a.Value) })
		var other int64
		for i, x := range byCount {
			if i < countryBars {
				bars = append(bars, pdfdoc.Bar{Label: x.Group, Value: float64(x.Value), Text: formatCount(x.Value)})
			} else {
				other += x.Value
			}
		}
		if n := len(byCount) - countryBars; n > 0 {
			bars = append(bars, pdfdoc.Bar{Label: fmt.Sprintf(tx.other, n), Value: float64(other), Text: formatCount(other)})
		}
	case "SR-11":
		for _, x := range rows {
			if strings.HasSuffix(x.Group, " count") {
				continue
			}
			bars = append(bars, pdfdoc.Bar{Label: x.Group, Value: float64(x.Value), Text: fmt.Sprintf(tx.days, formatCount(x.Value))})
		}
		if len(bars) == 0 {
			return pdfdoc.Chart{}, false
		}
	default:
		for _, x := range rows {
			bars = append(bars, pdfdoc.Bar{Label: groupLabel(x.Group, tx), Value: float64(x.Value), Text: formatCount(x.Value)})
		}
	}
	return pdfdoc.Chart{Title: title, Bars: bars}, true
}

// groupLabel shows a row's group; the total has none.
func groupLabel(g string, tx pdfText) string {
	if g == "" {
		return tx.total
	}
	return g
}

func dash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// formatCount writes a count with a comma between thousands (1,234), as
// both the English and the Central American Spanish of the readers write
// it.
func formatCount(v int64) string {
	s := strconv.FormatInt(v, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
