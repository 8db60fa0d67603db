package report

import (
	"cmp"
	"slices"

	"rescreen"
)

// The court's own record in the report: the class members' objections
// (SR-17) and the courts' final approvals of the settlement (SR-18), as
// of the report's date. They come from the court's record, not from the
// families, so they are counted here from plain values the service hands
// in, not on a Tally.

// CourtCase is a case of the settlement as SR-18 counts it.
type CourtCase struct {
	Title string // Ms. L. v. ICE
	Court string // S.D. Cal.
	// FinalApproval is the date of the final approval in force (a
	// corrected entry gives way to its correction); zero if none.
	FinalApproval rescreen.Date
}

// CourtObjection is an objection as SR-17 counts it.
type CourtObjection struct {
	ReceivedOn  rescreen.Date
	ForwardedOn rescreen.Date
	Ruling      string // "" while none is on record
	RulingOn    rescreen.Date
}

// onOrBefore reports whether a known date is on or before asOf; a missing
// date never is.
func onOrBefore(d, asOf rescreen.Date) bool { return !d.IsZero() && !d.After(asOf) }

// CourtRows counts, as of asOf, the objections received (SR-17: the total,
// those forwarded to the court, and each ruling, or pending) and the final
// approvals (SR-18: the cases approved, and each case with its date or
// not approved). Every group shows, at zero too, so that two reports
// have the same rows; within a definition the rows are in byte order of
// their group, as the report's other rows.
func CourtRows(asOf rescreen.Date, cases []CourtCase, objections []CourtObjection) []Row {
	obj := map[string]int64{"": 0, "forwarded": 0, "ruling pending": 0}
	for _, r := range rescreen.Ruling("").Values() {
		obj["ruling "+r] = 0
	}
	for _, o := range objections {
		if !onOrBefore(o.ReceivedOn, asOf) {
			continue
		}
		obj[""]++
		if onOrBefore(o.ForwardedOn, asOf) {
			obj["forwarded"]++
		}
		if o.Ruling != "" && onOrBefore(o.RulingOn, asOf) {
			obj["ruling "+o.Ruling]++
		} else {
			obj["ruling pending"]++
		}
	}
	app := map[string]int64{"": 0}
	for _, c := range cases {
		name := c.Title
		if c.Court != "" {
			name += " (" + c.Court + ")"
		}
		if onOrBefore(c.FinalApproval, asOf) {
			app[""]++
			app[name+": approved "+c.FinalApproval.String()] = 1
		} else {
			app[name+": not approved"] = 0
		}
	}
	var rows []Row
	for _, def := range []struct {
		id string
		n  map[string]int64
	}{{"SR-17", obj}, {"SR-18", app}} {
		start := len(rows)
		for g, v := range def.n {
			rows = append(rows, Row{ID: def.id, Metric: metricOf(def.id), Group: g, Value: v})
		}
		slices.SortFunc(rows[start:], func(a, b Row) int { return cmp.Compare(a.Group, b.Group) })
	}
	return rows
}

// metricOf names a definition's number.
func metricOf(id string) string {
	for _, m := range metrics {
		if m.id == id {
			return m.metric
		}
	}
	return ""
}

// AddCourt adds the court's rows (CourtRows, as of the report's date) to
// the report, each in its definition's place.
func (r *Report) AddCourt(cases []CourtCase, objections []CourtObjection) {
	r.Rows = append(r.Rows, CourtRows(r.AsOf, cases, objections)...)
	order := func(id string) int {
		if i := slices.IndexFunc(metrics, func(m struct{ id, metric string }) bool { return m.id == id }); i >= 0 {
			return i
		}
		return len(metrics)
	}
	slices.SortStableFunc(r.Rows, func(a, b Row) int { return cmp.Compare(order(a.ID), order(b.ID)) })
}
