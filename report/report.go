// Package report computes the court status report: counts with fixed,
// written definitions (docs/report-definitions.md), over every family of
// the registry evaluated as of one date. It is pure: the service feeds it
// each family's records and the rules' determination as of the report's
// date, in any order and on any number of workers (tallies merge), and it
// gives the same report, byte for byte, for the same input.
//
// Every number carries the id of its definition (SR-1, SR-2, ...). A
// change to what a number counts is a change to the definitions document
// and to its version, DefinitionsVersion, which the report names.
package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"rescreen"
	"rescreen/calendar"
)

// DefinitionsVersion names the version of docs/report-definitions.md the
// counts follow.
const DefinitionsVersion = "SR-2026-11-23"

// Snapshot names the state of the registry a report was made from: the
// audit chain's head when the report read it. The same snapshot, date and
// rule set give the same report.
type Snapshot struct {
	AuditSeq  int64     `json:"audit_seq"`
	AuditHash string    `json:"audit_hash"`
	At        time.Time `json:"at"` // the time of the chain's last event
}

// Report is the status report.
type Report struct {
	Title       string        `json:"title"`
	AsOf        rescreen.Date `json:"as_of"`
	Snapshot    Snapshot      `json:"snapshot"`
	RuleSet     string        `json:"rule_set_version"`
	Definitions string        `json:"definitions_version"`
	Rows        []Row         `json:"rows"`
}

// Row is one number of the report: the definition it follows, what it
// counts, the group within it ("" for the total) and the value.
type Row struct {
	ID     string `json:"id"`
	Metric string `json:"metric"`
	Group  string `json:"group"`
	Value  int64  `json:"value"`
}

// Get returns the value of a row, and whether the report has it.
func (r *Report) Get(id, group string) (int64, bool) {
	for _, x := range r.Rows {
		if x.ID == id && x.Group == group {
			return x.Value, true
		}
	}
	return 0, false
}

// Tally accumulates the report's counts.
type Tally struct {
	asOf rescreen.Date
	n    map[key]int64
	// waits are the days from an Option A election's receipt to the
	// member's interview (done), and to the as-of date (still waiting).
	waitDone, waitOpen []int
	// seen holds the units already counted (by their members' keys): a
	// unit is evaluated once per family of it, its members counted once.
	seen map[rescreen.Ref]bool

	// Counts added from contributions, by their encoded key (see
	// AddContribution), folded into n by Merge and Report.
	enc     map[string]int
	encKeys []key
	encN    []int64
	scratch []contribCount
}

type key struct {
	id, group string
}

// NewTally starts a tally as of the report's date.
func NewTally(asOf rescreen.Date) *Tally {
	return &Tally{asOf: asOf, n: map[key]int64{}, seen: map[rescreen.Ref]bool{}, enc: map[string]int{}}
}

func (t *Tally) inc(id, group string) { t.n[key{id, group}]++ }

// Merge adds the counts of o to t. Units (see AddUnit) must all have been
// added to one of the two.
func (t *Tally) Merge(o *Tally) {
	o.foldContributions()
	for k, v := range o.n {
		t.n[k] += v
	}
	t.waitDone = append(t.waitDone, o.waitDone...)
	t.waitOpen = append(t.waitOpen, o.waitOpen...)
	for k := range o.seen {
		t.seen[k] = true
	}
}

// Add counts one family evaluated alone: its records and the rules'
// determination as of the tally's date.
func (t *Tally) Add(d *rescreen.Dataset, r *rescreen.Determination) {
	if t.family(r) {
		t.persons(d, r)
	}
}

// AddUnit counts one family of a unit, which links join to other families
// and which the rules evaluate as one: the family's own counts, and the
// unit's members once, with the first of its families added. All the
// families of units must be added to one tally, one at a time.
func (t *Tally) AddUnit(d *rescreen.Dataset, r *rescreen.Determination) {
	if !t.family(r) {
		return
	}
	var b strings.Builder
	for _, p := range r.Persons {
		b.WriteString(string(p.Person))
		b.WriteByte(0)
	}
	if k := rescreen.Ref(b.String()); !t.seen[k] {
		t.seen[k] = true
		t.persons(d, r)
	}
}

// family counts a family's own numbers; it reports whether the family was
// evaluated.
func (t *Tally) family(r *rescreen.Determination) bool {
	t.inc("SR-1", "")
	if r == nil {
		t.inc("SR-12", "NOT_EVALUATED")
		return false
	}
	covered, held := false, false
	for _, p := range r.Persons {
		covered = covered || isCovered(p)
		held = held || p.Hold.Held
	}
	if covered {
		t.inc("SR-2", "")
	}
	t.inc("SR-12", string(r.Outcome))
	if held {
		t.inc("SR-13", "families")
	}
	return true
}

func isCovered(p rescreen.PersonDetermination) bool {
	for _, c := range p.Coverage {
		if c.Status == rescreen.Covered {
			return true
		}
	}
	return false
}

// isOpen reports whether a person's membership is not settled: covered
// under no rule set, and open (needing information or a person's review)
// under at least one.
func isOpen(p rescreen.PersonDetermination) bool {
	for _, c := range p.Coverage {
		if c.Status == rescreen.CoverageNeedsInfo || c.Status == rescreen.CoverageManualReview {
			return true
		}
	}
	return false
}

// persons counts the members of a family (or unit) once.
func (t *Tally) persons(d *rescreen.Dataset, r *rescreen.Determination) {
	recs := map[rescreen.Ref]*rescreen.Person{}
	for i := range d.Persons {
		recs[d.Persons[i].Key()] = &d.Persons[i]
	}
	covered := map[rescreen.Ref]bool{}
	for _, p := range r.Persons {
		if !isCovered(p) {
			if isOpen(p) {
				t.inc("SR-3", "membership unsettled")
			}
			continue
		}
		covered[p.Person] = true
		rec := recs[p.Person]
		group := "other"
		switch {
		case p.Role == rescreen.RoleChild:
			group = "children"
		case p.Role.IsAdult():
			group = "parents"
		}
		t.inc("SR-3", "")
		t.inc("SR-3", group)
		loc := p.Location
		if loc == "" {
			loc = "UNKNOWN"
		}
		t.inc("SR-4", group+" "+loc)
		if rec != nil && p.Role == rescreen.RoleChild && !rec.BirthDate.IsZero() &&
			calendar.AddYears(calendar.Date(rec.BirthDate), 5).Compare(calendar.Date(t.asOf)) > 0 {
			t.inc("SR-5", "")
		}
		country := ""
		if rec != nil {
			country = rec.Country
		}
		if country == "" {
			country = "unknown"
		}
		t.inc("SR-6", country)
		if p.Hold.Held {
			t.inc("SR-13", "members")
		}
		for _, e := range p.Elections {
			if e.Validity == "VALID" && e.Choice == string(rescreen.ChoiceReturn) {
				t.inc("SR-8", "")
			}
		}
		for _, dl := range p.Deadlines {
			if dl.Status == "MISSED" {
				t.inc("SR-15", dl.ID+" "+dl.Title)
				t.inc("SR-15", "")
			}
		}
	}
	at := func(d rescreen.Date) bool { return !d.IsZero() && !d.After(t.asOf) }
	// Elections, screenings and return requests are counted for covered
	// members: the settlement's process is theirs.
	interview := map[rescreen.Ref]rescreen.Date{} // the member's first settlement interview
	for i := range d.Screenings {
		s := &d.Screenings[i]
		if !covered[s.Person] || !at(s.On) {
			continue
		}
		switch s.Occasion {
		case rescreen.OccasionSettlement, rescreen.OccasionChildOwn:
		default:
			continue
		}
		t.inc("SR-9", string(s.Occasion))
		if at(s.DecidedOn) {
			switch s.Result {
			case rescreen.ResultPositive, rescreen.ResultNegative, rescreen.ResultNoClaim:
				t.inc("SR-10", string(s.Occasion)+" "+string(s.Result))
			}
		}
		if f, ok := interview[s.Person]; !ok || s.On.Before(f) {
			interview[s.Person] = s.On
		}
	}
	for i := range d.Elections {
		e := &d.Elections[i]
		if !covered[e.Person] {
			continue
		}
		if !at(e.ReceivedOn) {
			if e.ReceivedOn.IsZero() && at(e.SignedOn) {
				t.inc("SR-7", "receipt not recorded")
			}
			continue
		}
		t.inc("SR-7", "")
		t.inc("SR-7", string(e.Choice))
		if e.Choice != rescreen.ChoiceRemain {
			continue
		}
		if on, ok := interview[e.Person]; ok && !on.Before(e.ReceivedOn) {
			t.waitDone = append(t.waitDone, calendar.DaysBetween(calendar.Date(e.ReceivedOn), calendar.Date(on)))
		} else if !ok {
			t.waitOpen = append(t.waitOpen, calendar.DaysBetween(calendar.Date(e.ReceivedOn), calendar.Date(t.asOf)))
		}
	}
	for i := range d.ReturnRequests {
		x := &d.ReturnRequests[i]
		if !covered[x.Parent] || !at(x.SubmittedOn) {
			continue
		}
		t.inc("SR-14", "")
		t.inc("SR-14", string(x.State))
	}
	// Reconciliation: each source list's person records, and how many
	// stand for a member counted here or were merged into one.
	for i := range d.Persons {
		p := &d.Persons[i]
		t.inc("SR-16", string(p.Source)+" records")
		if covered[p.Key()] {
			t.inc("SR-16", string(p.Source)+" counted")
		}
	}
	for i := range d.Names {
		v := &d.Names[i]
		if strings.HasSuffix(v.SourceID, "#linked-name") && covered[v.Person] {
			t.inc("SR-16", string(v.Source)+" records")
			t.inc("SR-16", string(v.Source)+" merged")
		}
	}
}

// metrics names each definition's number, in the report's order.
var metrics = []struct{ id, metric string }{
	{"SR-1", "families in the registry"},
	{"SR-2", "families with a class member"},
	{"SR-3", "class members"},
	{"SR-4", "class members by place"},
	{"SR-5", "children under five"},
	{"SR-6", "class members by country"},
	{"SR-7", "elections received"},
	{"SR-8", "valid waivers (Option B)"},
	{"SR-9", "reviews and interviews held"},
	{"SR-10", "results decided"},
	{"SR-11", "days from an Option A election to the interview"},
	{"SR-12", "families by outcome"},
	{"SR-13", "removal holds in force"},
	{"SR-14", "return requests"},
	{"SR-15", "missed deadlines"},
	{"SR-16", "reconciliation of the source lists"},
	{"SR-17", "objections to the settlement"},
	{"SR-18", "final approvals of the settlement"},
}

// Report finishes the tally: every row in definition order, groups in
// byte order, and the waiting times' statistics.
func (t *Tally) Report(title string, snap Snapshot, ruleSet string) *Report {
	t.foldContributions()
	rep := &Report{Title: title, AsOf: t.asOf, Snapshot: snap, RuleSet: ruleSet, Definitions: DefinitionsVersion}
	byID := map[string][]Row{}
	for k, v := range t.n {
		byID[k.id] = append(byID[k.id], Row{ID: k.id, Group: k.group, Value: v})
	}
	// Totals that must show even at zero.
	for _, id := range []string{"SR-1", "SR-2", "SR-3", "SR-5", "SR-7", "SR-8", "SR-14", "SR-15"} {
		if !slices.ContainsFunc(byID[id], func(r Row) bool { return r.Group == "" }) {
			byID[id] = append(byID[id], Row{ID: id})
		}
	}
	for _, o := range []string{string(rescreen.OutcomePending), string(rescreen.OutcomeStays), string(rescreen.OutcomeRemovalMay),
		string(rescreen.OutcomeManualReview), string(rescreen.OutcomeNeedsInfo), string(rescreen.OutcomeNotCovered)} {
		if !slices.ContainsFunc(byID["SR-12"], func(r Row) bool { return r.Group == o }) {
			byID["SR-12"] = append(byID["SR-12"], Row{ID: "SR-12", Group: o})
		}
	}
	for _, g := range []string{"families", "members"} {
		if !slices.ContainsFunc(byID["SR-13"], func(r Row) bool { return r.Group == g }) {
			byID["SR-13"] = append(byID["SR-13"], Row{ID: "SR-13", Group: g})
		}
	}
	byID["SR-11"] = append(waitRows("done", t.waitDone), waitRows("waiting", t.waitOpen)...)
	for _, m := range metrics {
		rows := byID[m.id]
		if m.id != "SR-11" {
			slices.SortFunc(rows, func(a, b Row) int { return cmp.Compare(a.Group, b.Group) })
		}
		for _, r := range rows {
			r.ID, r.Metric = m.id, m.metric
			rep.Rows = append(rep.Rows, r)
		}
	}
	return rep
}

// waitRows gives the count, median, 90th percentile and maximum of a list
// of waits in days, by the nearest-rank method (the value at rank
// ceil(p × n) of the sorted list), so every statistic is a wait that
// happened.
func waitRows(group string, days []int) []Row {
	s := slices.Clone(days)
	slices.Sort(s)
	rows := []Row{{ID: "SR-11", Group: group + " count", Value: int64(len(s))}}
	if len(s) == 0 {
		return rows
	}
	rank := func(p int) int64 { // p in percent
		k := (p*len(s) + 99) / 100
		return int64(s[max(k, 1)-1])
	}
	return append(rows,
		Row{ID: "SR-11", Group: group + " median", Value: rank(50)},
		Row{ID: "SR-11", Group: group + " p90", Value: rank(90)},
		Row{ID: "SR-11", Group: group + " max", Value: int64(s[len(s)-1])})
}

// String formats a row for logs and errors.
func (r Row) String() string {
	if r.Group == "" {
		return fmt.Sprintf("%s %s: %d", r.ID, r.Metric, r.Value)
	}
	return fmt.Sprintf("%s %s [%s]: %d", r.ID, r.Metric, r.Group, r.Value)
}
