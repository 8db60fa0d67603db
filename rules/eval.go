package rules

import (
	"cmp"
	"slices"
	"strconv"

	"rescreen"
	"rescreen/calendar"
)

// span is a range of the evaluator's text buffer, or of one of its lists.
type span struct{ a, b int32 }

func (s span) empty() bool { return s.a == s.b }

// eff is what a criterion does to the status it feeds: met, unknown (a
// missing fact), manual review, or exclusion. The order is the precedence
// when criteria combine: an exclusion settles a coverage question, a manual
// review outranks a missing fact, and a missing fact outranks a met test.
type eff uint8

const (
	eMet eff = iota
	eUnk
	eManual
	eExcl
)

func (e eff) status() Status {
	switch e {
	case eMet:
		return Met
	case eUnk:
		return Unknown
	}
	return NotMet
}

// cst is a criterion's status in the compact form.
type cst uint8

const (
	stMet cst = iota
	stUnknown
	stNotMet
)

var stNames = [...]Status{Met, Unknown, NotMet}

func (e eff) st() cst {
	switch e {
	case eMet:
		return stMet
	case eUnk:
		return stUnknown
	}
	return stNotMet
}

// ccrit is one criterion in the compact form: its template, its status,
// its fixed detail (1-based index of the result's fixed sentences, 0 for
// none), the span of its detail in the text, and its range of missing
// facts. It holds no pointer, so the collector never scans it.
type ccrit struct {
	d, m span
	lit  uint32
	t    uint16
	st   cst
}

func worse(a, b eff) eff {
	if b > a {
		return b
	}
	return a
}

// Locations.
const (
	locUS uint8 = iota
	locRemoved
	locUnknown
)

var locNames = [...]string{"IN_US", "REMOVED", "UNKNOWN"}

type covOut struct {
	set    string
	status CoverageStatus
	cr     span
	shared []Criterion // criteria shared by every result, used instead of cr
}

type remOut struct {
	kind  RemedyKind
	state string
	cr    span
}

type holdOut struct {
	held         bool
	rule         string
	reason, lift span
	rl, ll       string // fixed reason and lift condition, used instead of the spans
	shared       span   // a lift condition written once for several members
	useShared    bool
}

type elcOut struct {
	el       int
	validity string
	cr       span
	key      span
}

type dlOut struct {
	d      Deadline
	detail span
}

// pstate is everything the evaluation learns about one person.
type pstate struct {
	p        *rescreen.Person
	key      span
	roleOK   bool // a known role
	adult    bool // PARENT or LEGAL_GUARDIAN
	child    bool
	unitRole bool // PARENT, LEGAL_GUARDIAN or CHILD, or an unknown role

	loc       uint8
	removedOn rescreen.Date
	returned  bool
	locWhy    uint8 // for an unknown location: 1 undated removal, 2 unknown episode kind, 3 no custody on record, 4 undated return
	locEp     int

	linked bool // a visible separation with a resolved counterpart

	// June 2018 elements for adults.
	adultPart, famScope18, famScope19, personal eff

	cov    [4]covOut
	proc   CoverageStatus // whether the 2018 procedures apply
	famCov eff            // whether the person's family is within the 2018 classes (for removed members)
	pre    bool           // the 2018 settlement is not yet in force; the family is held by the stay (H-1)

	// Elections.
	elc                                  span // range in ev.elcs
	waived, waiverUnk, waiverMan, change bool
	invalidMan, anyForm, choiceA         bool
	govEl                                int
	electedOn                            rescreen.Date

	// Determination.
	det       int // governing determination screening, or -1
	posInit   int
	negInit   int
	in240     int // an open section 240 proceeding, or -1
	detFinal  bool
	nonCompl  bool
	detUnk    bool
	interview rescreen.Date
	preReturn bool // a returned parent's determinations all predate the removal (D-7)
	strayMan  bool // a positive screening the procedures do not read, older than the governing record

	intr   MemberState // state from the member's own records
	state  MemberState // state reported, after the family rules
	stCr   [2]span
	inUnit bool
	unitUk bool
	f2, f3 bool

	hold holdOut
	rem  [4]remOut
	nrem int
	dl   span
}

// evaluator holds one evaluation's working state. Evaluators are pooled, so
// the slices keep their capacity from one family to the next.
type evaluator struct {
	e    *Engine
	c    *config
	asOf rescreen.Date
	d    *rescreen.Dataset
	fam  *rescreen.Family

	famKey span
	text   []byte
	crits  []ccrit
	lits   []string // fixed details, named by ccrit.lit (1-based)
	miss   []span
	vals   []span // the values written into text, in order (see v)

	ps []pstate

	sepAdult, sepChild []int32
	custOwner          []int32
	procOwner          []int32
	scrOwner           []int32
	elOwner            []int32
	prefOwner          []int32
	retOwner           []int32
	benOwner           []int32
	evOwner            []int32

	contras []span // contradictions, explained
	orphans []span // missing references, as missing-fact names
	undated []span // records without the date the rules need, as missing-fact names
	elcs    []elcOut
	dls     []dlOut

	famCr     span
	outcome   Outcome
	blocker   span    // who the family waits for, for lift conditions
	liftShare [5]span // lift conditions shared by members, by kind

	quiet   bool // keep the outcome only: write no text
	holdAll bool // contradictions: hold everyone in the U.S.
	bar2023 bool // the 2023 class kept a release from happening
}

func newEvaluator() *evaluator {
	return &evaluator{text: make([]byte, 0, 8192), crits: make([]ccrit, 0, 256)}
}

func (ev *evaluator) release() {
	ev.d, ev.fam, ev.e, ev.c = nil, nil, nil, nil
	ev.quiet = false
	for i := range ev.ps {
		ev.ps[i] = pstate{}
	}
	clear(ev.lits)
}

func (ev *evaluator) reset(e *Engine, d *rescreen.Dataset, asOf rescreen.Date) {
	ev.e, ev.c, ev.d, ev.asOf = e, e.cfg, d, asOf
	ev.fam = nil
	ev.text = ev.text[:0]
	ev.crits = ev.crits[:0]
	ev.lits = ev.lits[:0]
	ev.miss = ev.miss[:0]
	ev.vals = ev.vals[:0]
	ev.ps = ev.ps[:0]
	ev.contras = ev.contras[:0]
	ev.orphans = ev.orphans[:0]
	ev.undated = ev.undated[:0]
	ev.elcs = ev.elcs[:0]
	ev.dls = ev.dls[:0]
	ev.famKey, ev.famCr, ev.blocker = span{}, span{}, span{}
	ev.liftShare = [5]span{}
	ev.outcome = ""
	ev.holdAll, ev.bar2023 = false, false
}

// Text building. Everything an explanation says is appended to one buffer;
// spans of it become strings when the result is built.

func (ev *evaluator) mark() int32        { return int32(len(ev.text)) }
func (ev *evaluator) since(a int32) span { return span{a, int32(len(ev.text))} }

// An evaluation that keeps only the outcome (quiet) writes no text: no
// rule reads the text, so the outcome is the same.

func (ev *evaluator) s(x string) {
	if !ev.quiet {
		ev.text = append(ev.text, x...)
	}
}

// Values. What s writes is a fixed phrase of the rules; what v, num, date
// and mkey write is a value taken from the records (a date, a record's
// key, a name, a number, a code). The values' spans are kept in order, so
// that a translation can tell the phrases, which it translates, from the
// values, which it keeps.

func (ev *evaluator) v(x string) {
	if !ev.quiet && x != "" {
		a := ev.mark()
		ev.text = append(ev.text, x...)
		ev.vals = append(ev.vals, ev.since(a))
	}
}

func (ev *evaluator) num(n int) {
	if !ev.quiet {
		a := ev.mark()
		ev.text = strconv.AppendInt(ev.text, int64(n), 10)
		ev.vals = append(ev.vals, ev.since(a))
	}
}

// sp copies a span of text written before, with the values inside it.
func (ev *evaluator) sp(x span) {
	if ev.quiet {
		return
	}
	shift := ev.mark() - x.a
	ev.text = append(ev.text, ev.text[x.a:x.b]...)
	i, _ := slices.BinarySearchFunc(ev.vals, x.a, func(v span, a int32) int { return cmp.Compare(v.a, a) })
	for n := len(ev.vals); i < n && ev.vals[i].b <= x.b; i++ {
		ev.vals = append(ev.vals, span{ev.vals[i].a + shift, ev.vals[i].b + shift})
	}
}

func (ev *evaluator) pk(i int) { ev.sp(ev.ps[i].key) }

func (ev *evaluator) date(d rescreen.Date) {
	if ev.quiet {
		return
	}
	if d.IsZero() {
		ev.s("an unrecorded date")
		return
	}
	a := ev.mark()
	ev.text = calendar.AppendDate(ev.text, calendar.Date(d))
	ev.vals = append(ev.vals, ev.since(a))
}

// mkey writes a record's key, SOURCE:ID, as one value.
func (ev *evaluator) mkey(m *rescreen.Meta) {
	if ev.quiet {
		return
	}
	a := ev.mark()
	ev.text = append(append(append(ev.text, m.Source...), ':'), m.SourceID...)
	ev.vals = append(ev.vals, ev.since(a))
}

// Criteria. A criterion is opened, its detail written, then closed with its
// effect; missing facts are added after it is closed.

func (ev *evaluator) open(t *tpl) {
	ev.crits = append(ev.crits, ccrit{t: t.id, d: span{ev.mark(), 0}})
}

func (ev *evaluator) close(e eff) {
	i := len(ev.crits) - 1
	c := &ev.crits[i]
	c.st = e.st()
	c.d.b = ev.mark()
	n := int32(len(ev.miss))
	c.m = span{n, n}
}

// one writes a criterion whose detail is a fixed sentence, kept as it is
// rather than copied into the text buffer.
func (ev *evaluator) one(t *tpl, e eff, detail string) {
	ev.open(t)
	ev.close(e)
	ev.lit(detail)
}

func (ev *evaluator) addMiss(a int32) {
	ev.miss = append(ev.miss, ev.since(a))
	ev.crits[len(ev.crits)-1].m.b = int32(len(ev.miss))
}

// lit gives the open criterion a fixed detail; nothing else may be written
// for it. The sentence is shared, not copied.
func (ev *evaluator) lit(x string) {
	ev.lits = append(ev.lits, x)
	ev.crits[len(ev.crits)-1].lit = uint32(len(ev.lits))
}

// miss names a missing field of a record: kind[SOURCE:ID].field.
func (ev *evaluator) miss1(kind string, m *rescreen.Meta, field string) {
	a := ev.mark()
	ev.v(kind)
	ev.s("[")
	ev.mkey(m)
	ev.s("]")
	if field != "" {
		ev.s(".")
		ev.v(field)
	}
	ev.addMiss(a)
}

// missAbout names a missing record about a person: kind[rel=SOURCE:ID].
func (ev *evaluator) missAbout(kind, rel string, pi int) {
	a := ev.mark()
	ev.v(kind)
	ev.s("[")
	ev.v(rel)
	ev.s("=")
	ev.pk(pi)
	ev.s("]")
	ev.addMiss(a)
}

func (ev *evaluator) missPerson(pi int, field string) {
	ev.miss1("persons", &ev.ps[pi].p.Meta, field)
}

// missCopy repeats the missing facts of criterion i on the last one.
func (ev *evaluator) missCopy(i int) {
	m := ev.crits[i].m
	for j := m.a; j < m.b; j++ {
		ev.miss = append(ev.miss, ev.miss[j])
	}
	ev.crits[len(ev.crits)-1].m.b = int32(len(ev.miss))
}

func (ev *evaluator) grp() int32          { return int32(len(ev.crits)) }
func (ev *evaluator) grpEnd(a int32) span { return span{a, int32(len(ev.crits))} }

// contra records a contradiction; the caller writes its explanation.
func (ev *evaluator) contraEnd(a int32) { ev.contras = append(ev.contras, ev.since(a)) }

// Dates as of the evaluation.

// seen reports whether a fact dated d is on record as of the as-of date; an
// undated fact is on record (its date is then a missing fact where it
// matters).
func (ev *evaluator) seen(d rescreen.Date) bool { return d.IsZero() || !d.After(ev.asOf) }

// References.

var knownSources = rescreen.Source("").Values()

func hasSourcePrefix(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == ':' {
			p := s[:i]
			for _, k := range knownSources {
				if p == k {
					return true
				}
			}
			return false
		}
	}
	return false
}

// refIs reports whether r, written in a record from src, names the record
// with header m. It accepts both the full SOURCE:SOURCE_ID form and the
// short form that leaves out the referring record's own source.
func refIs(r rescreen.Ref, src rescreen.Source, m *rescreen.Meta) bool {
	s := string(r)
	n := len(m.Source)
	if len(s) == n+1+len(m.SourceID) && s[n] == ':' && s[:n] == string(m.Source) && s[n+1:] == m.SourceID {
		return true
	}
	return src == m.Source && s == m.SourceID && !hasSourcePrefix(s)
}

// person returns the index of the person r names: -1 for an empty
// reference, -2 for a person not in the family.
func (ev *evaluator) person(r rescreen.Ref, src rescreen.Source) int32 {
	if r == "" {
		return -1
	}
	for i := range ev.ps {
		if refIs(r, src, &ev.ps[i].p.Meta) {
			return int32(i)
		}
	}
	return -2
}

func grow(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	return s[:n]
}

// run evaluates one family.
func (ev *evaluator) run(e *Engine, d *rescreen.Dataset, asOf rescreen.Date) {
	if d == nil {
		d = &rescreen.Dataset{}
	}
	ev.reset(e, d, asOf)
	if len(d.Families) > 0 {
		ev.fam = &d.Families[0]
		a := ev.mark()
		ev.mkey(&ev.fam.Meta)
		ev.famKey = ev.since(a)
	}
	if len(d.Families) > 1 {
		a := ev.mark()
		ev.s("The records hold ")
		ev.num(len(d.Families))
		ev.s(" family records; one evaluation covers one family (see SplitFamilies), so the others' records cannot be told apart.")
		ev.contraEnd(a)
	}
	ev.indexPersons()
	ev.indexRecords()
	ev.checkDates()
	for i := range ev.ps {
		ev.locate(i)
	}
	ev.coverage()
	ev.electionChecks()
	ev.states()
	// Remedies come before the family outcome because their criteria may
	// name missing facts, and a missing fact must be able to stop
	// REMOVAL_MAY_PROCEED.
	ev.remedies()
	ev.familyOutcome()
	ev.deadlines()
}

func (ev *evaluator) indexPersons() {
	d := ev.d
	for i := range d.Persons {
		p := &d.Persons[i]
		a := ev.mark()
		ev.mkey(&p.Meta)
		ps := pstate{p: p, key: ev.since(a), det: -1, posInit: -1, negInit: -1, in240: -1, govEl: -1, famCov: eUnk}
		switch p.Role {
		case rescreen.RoleParent, rescreen.RoleGuardian:
			ps.roleOK, ps.adult, ps.unitRole = true, true, true
		case rescreen.RoleChild:
			ps.roleOK, ps.child, ps.unitRole = true, true, true
		case rescreen.RoleSibling, rescreen.RoleOther:
			ps.roleOK = true
		case "":
			ps.unitRole = true
		default:
			ps.unitRole = true
			a := ev.mark()
			ev.s("persons[")
			ev.sp(ps.key)
			ev.s("].role is ")
			ev.v(string(p.Role))
			ev.s(", which is not a role of the controlled list.")
			ev.contraEnd(a)
		}
		ev.ps = append(ev.ps, ps)
	}
	for i := range ev.ps {
		for j := 0; j < i; j++ {
			if ev.ps[i].p.Source == ev.ps[j].p.Source && ev.ps[i].p.SourceID == ev.ps[j].p.SourceID {
				a := ev.mark()
				ev.s("Two person records share the key ")
				ev.pk(i)
				ev.s("; the records about that person cannot be attributed.")
				ev.contraEnd(a)
				break
			}
		}
		p := ev.ps[i].p
		if ev.fam != nil && p.Family != "" && !refIs(p.Family, p.Source, &ev.fam.Meta) {
			a := ev.mark()
			ev.s("persons[")
			ev.pk(i)
			ev.s("].family names ")
			ev.v(string(p.Family))
			ev.s(", not this family ")
			ev.sp(ev.famKey)
			ev.s(".")
			ev.contraEnd(a)
		}
	}
}

// owner resolves a record's person reference, recording a missing or
// foreign reference.
func (ev *evaluator) owner(kind string, m *rescreen.Meta, field string, r rescreen.Ref) int32 {
	i := ev.person(r, m.Source)
	switch i {
	case -1:
		a := ev.mark()
		ev.v(kind)
		ev.s("[")
		ev.mkey(m)
		ev.s("].")
		ev.v(field)
		ev.orphans = append(ev.orphans, ev.since(a))
	case -2:
		a := ev.mark()
		ev.v(kind)
		ev.s("[")
		ev.mkey(m)
		ev.s("].")
		ev.v(field)
		ev.s(" names ")
		ev.v(string(r))
		ev.s(", who is not a person of this family.")
		ev.contraEnd(a)
	}
	return i
}

func (ev *evaluator) indexRecords() {
	d := ev.d
	ev.sepAdult = grow(ev.sepAdult, len(d.Separations))
	ev.sepChild = grow(ev.sepChild, len(d.Separations))
	for i := range d.Separations {
		s := &d.Separations[i]
		ev.sepAdult[i] = ev.owner("separations", &s.Meta, "parent", s.Parent)
		ev.sepChild[i] = ev.owner("separations", &s.Meta, "child", s.Child)
		if ev.fam != nil && s.Family != "" && !refIs(s.Family, s.Source, &ev.fam.Meta) {
			a := ev.mark()
			ev.s("separations[")
			ev.mkey(&s.Meta)
			ev.s("].family names ")
			ev.v(string(s.Family))
			ev.s(", not this family.")
			ev.contraEnd(a)
		}
		pa, ch := ev.sepAdult[i], ev.sepChild[i]
		if pa >= 0 && ch >= 0 {
			switch {
			case pa == ch:
				a := ev.mark()
				ev.s("separations[")
				ev.mkey(&s.Meta)
				ev.s("] separates ")
				ev.pk(int(pa))
				ev.s(" from themselves.")
				ev.contraEnd(a)
			case (ev.ps[pa].roleOK && !ev.ps[pa].adult) || (ev.ps[ch].roleOK && !ev.ps[ch].child):
				a := ev.mark()
				ev.s("separations[")
				ev.mkey(&s.Meta)
				ev.s("] names ")
				ev.pk(int(pa))
				ev.s(" (")
				ev.v(string(ev.ps[pa].p.Role))
				ev.s(") as the adult and ")
				ev.pk(int(ch))
				ev.s(" (")
				ev.v(string(ev.ps[ch].p.Role))
				ev.s(") as the child.")
				ev.contraEnd(a)
			}
			if ev.seen(s.On) {
				ev.ps[pa].linked = true
				ev.ps[ch].linked = true
			}
		}
	}
	ev.custOwner = grow(ev.custOwner, len(d.Custody))
	for i := range d.Custody {
		c := &d.Custody[i]
		ev.custOwner[i] = ev.owner("custody", &c.Meta, "person", c.Person)
	}
	ev.procOwner = grow(ev.procOwner, len(d.Proceedings))
	for i := range d.Proceedings {
		p := &d.Proceedings[i]
		ev.procOwner[i] = ev.owner("proceedings", &p.Meta, "person", p.Person)
	}
	ev.scrOwner = grow(ev.scrOwner, len(d.Screenings))
	for i := range d.Screenings {
		s := &d.Screenings[i]
		ev.scrOwner[i] = ev.owner("screenings", &s.Meta, "person", s.Person)
	}
	ev.evOwner = grow(ev.evOwner, len(d.Evidence))
	for i := range d.Evidence {
		x := &d.Evidence[i]
		ev.evOwner[i] = ev.owner("evidence", &x.Meta, "person", x.Person)
	}
	ev.elOwner = grow(ev.elOwner, len(d.Elections))
	for i := range d.Elections {
		x := &d.Elections[i]
		ev.elOwner[i] = ev.owner("elections", &x.Meta, "person", x.Person)
	}
	ev.prefOwner = grow(ev.prefOwner, len(d.Preferences))
	for i := range d.Preferences {
		x := &d.Preferences[i]
		ev.prefOwner[i] = ev.owner("preferences", &x.Meta, "person", x.Person)
	}
	ev.retOwner = grow(ev.retOwner, len(d.ReturnRequests))
	for i := range d.ReturnRequests {
		x := &d.ReturnRequests[i]
		ev.retOwner[i] = ev.owner("return_requests", &x.Meta, "parent", x.Parent)
		for _, c := range x.Children {
			if ev.person(c, x.Source) == -2 {
				a := ev.mark()
				ev.s("return_requests[")
				ev.mkey(&x.Meta)
				ev.s("].children names ")
				ev.v(string(c))
				ev.s(", who is not a person of this family.")
				ev.contraEnd(a)
			}
		}
	}
	ev.benOwner = grow(ev.benOwner, len(d.Benefits))
	for i := range d.Benefits {
		x := &d.Benefits[i]
		ev.benOwner[i] = ev.owner("benefits", &x.Meta, "person", x.Person)
	}
	// Records that only describe a person still must be about this family.
	for i := range d.Relationships {
		x := &d.Relationships[i]
		ev.owner("relationships", &x.Meta, "from", x.From)
		ev.owner("relationships", &x.Meta, "to", x.To)
	}
	for i := range d.Names {
		x := &d.Names[i]
		ev.owner("names", &x.Meta, "person", x.Person)
	}
	for i := range d.Identifiers {
		x := &d.Identifiers[i]
		ev.owner("identifiers", &x.Meta, "person", x.Person)
	}
	for i := range d.Contacts {
		x := &d.Contacts[i]
		ev.owner("contacts", &x.Meta, "person", x.Person)
	}
	for i := range d.Counsel {
		x := &d.Counsel[i]
		if x.Person != "" {
			ev.owner("counsel", &x.Meta, "person", x.Person)
		}
	}
}

// checkDates finds dates that contradict each other (R-SYS-5): they are
// kept side by side and the family goes to manual review.
func (ev *evaluator) checkDates() {
	d := ev.d
	order := func(kind string, m *rescreen.Meta, fa string, a rescreen.Date, fb string, b rescreen.Date) {
		if a.IsZero() || b.IsZero() || !b.Before(a) {
			return
		}
		x := ev.mark()
		ev.v(kind)
		ev.s("[")
		ev.mkey(m)
		ev.s("]: ")
		ev.v(fb)
		ev.s(" ")
		ev.date(b)
		ev.s(" is before ")
		ev.v(fa)
		ev.s(" ")
		ev.date(a)
		ev.s(".")
		ev.contraEnd(x)
	}
	for i := range ev.ps {
		p := ev.ps[i].p
		order("persons", &p.Meta, "birth_date", p.BirthDate, "entry_date", p.EntryDate)
		order("persons", &p.Meta, "task_force_claim_on", p.TaskForceClaimOn, "task_force_decision_on", p.TaskForceDecisionOn)
	}
	for i := range d.Custody {
		c := &d.Custody[i]
		order("custody", &c.Meta, "start", c.Start, "end", c.End)
	}
	for i := range d.Proceedings {
		p := &d.Proceedings[i]
		order("proceedings", &p.Meta, "opened", p.Opened, "decided_on", p.DecidedOn)
		order("proceedings", &p.Meta, "decided_on", p.DecidedOn, "appeals_exhausted_on", p.AppealsExhausted)
	}
	for i := range d.Screenings {
		s := &d.Screenings[i]
		order("screenings", &s.Meta, "on", s.On, "decided_on", s.DecidedOn)
	}
	for i := range d.Elections {
		x := &d.Elections[i]
		order("elections", &x.Meta, "signed_on", x.SignedOn, "received_on", x.ReceivedOn)
		order("elections", &x.Meta, "signed_on", x.SignedOn, "sent_on", x.SentOn)
	}
	for i := range d.Separations {
		s := &d.Separations[i]
		if c := ev.sepChild[i]; c >= 0 {
			order("separations", &s.Meta, "the child's birth_date", ev.ps[c].p.BirthDate, "on", s.On)
		}
	}
	// Records without the date the rules need: an undated record may
	// postdate the as-of date, so it is a missing fact (a record dated
	// after the as-of date is not yet on record at all).
	undated := func(kind string, m *rescreen.Meta, field string) {
		a := ev.mark()
		ev.v(kind)
		ev.s("[")
		ev.mkey(m)
		ev.s("].")
		ev.v(field)
		ev.undated = append(ev.undated, ev.since(a))
	}
	for i := range d.Separations {
		if x := &d.Separations[i]; x.On.IsZero() && (ev.sepAdult[i] >= 0 || ev.sepChild[i] >= 0) {
			undated("separations", &x.Meta, "on")
		}
	}
	for i := range d.Custody {
		if x := &d.Custody[i]; x.Start.IsZero() && ev.custOwner[i] >= 0 {
			undated("custody", &x.Meta, "start")
		}
	}
	for i := range d.Proceedings {
		if x := &d.Proceedings[i]; x.Opened.IsZero() && ev.procOwner[i] >= 0 {
			undated("proceedings", &x.Meta, "opened")
		}
	}
	for i := range d.Screenings {
		if x := &d.Screenings[i]; x.On.IsZero() && x.DecidedOn.IsZero() && ev.scrOwner[i] >= 0 {
			undated("screenings", &x.Meta, "decided_on")
		}
	}
	for i := range d.Elections {
		if x := &d.Elections[i]; x.SignedOn.IsZero() && ev.elOwner[i] >= 0 {
			undated("elections", &x.Meta, "signed_on")
		}
	}
	for i := range d.ReturnRequests {
		if x := &d.ReturnRequests[i]; x.SubmittedOn.IsZero() && x.State != "DRAFT" && ev.retOwner[i] >= 0 {
			undated("return_requests", &x.Meta, "submitted_on")
		}
	}
	for i := range ev.ps {
		p := ev.ps[i].p
		if !ev.asOf.Before(date2023Effective) && (p.TaskForceDecision == "ACCEPTED" || p.TaskForceDecision == "DENIED") && p.TaskForceDecisionOn.IsZero() {
			undated("persons", &p.Meta, "task_force_decision_on")
		}
	}
	// Two final determinations of one person on one day with opposite
	// results cannot both stand.
	for i := range d.Screenings {
		a := &d.Screenings[i]
		if ev.scrOwner[i] < 0 || !isTrue(a.Final) {
			continue
		}
		da := scrDate(a)
		if da.IsZero() {
			continue
		}
		for j := i + 1; j < len(d.Screenings); j++ {
			b := &d.Screenings[j]
			if ev.scrOwner[j] != ev.scrOwner[i] || !isTrue(b.Final) || scrDate(b) != da {
				continue
			}
			if positive(a.Result) != positive(b.Result) && decided(a.Result) && decided(b.Result) {
				x := ev.mark()
				ev.s("screenings[")
				ev.mkey(&a.Meta)
				ev.s("] (")
				ev.v(string(a.Result))
				ev.s(") and screenings[")
				ev.mkey(&b.Meta)
				ev.s("] (")
				ev.v(string(b.Result))
				ev.s(") are both final for ")
				ev.pk(int(ev.scrOwner[i]))
				ev.s(" on ")
				ev.date(da)
				ev.s(" with opposite results.")
				ev.contraEnd(x)
			}
		}
	}
}

func isTrue(b *bool) bool  { return b != nil && *b }
func isFalse(b *bool) bool { return b != nil && !*b }

func positive(r rescreen.ScreeningResult) bool { return r == rescreen.ResultPositive }
func decided(r rescreen.ScreeningResult) bool {
	return r == rescreen.ResultPositive || r == rescreen.ResultNegative || r == rescreen.ResultNoClaim
}

func scrDate(s *rescreen.Screening) rescreen.Date {
	if !s.DecidedOn.IsZero() {
		return s.DecidedOn
	}
	return s.On
}

// locate finds where a person is as of the as-of date from the custody
// timeline. A removal followed by a recorded return (a return request that
// arrived, or a screening on return) puts the person back in the U.S.; a
// later custody episode in the U.S. with no return on record contradicts
// the removal.
func (ev *evaluator) locate(pi int) {
	ps := &ev.ps[pi]
	d := ev.d
	var lastRemoval rescreen.Date
	undatedRemoval, unknownKind, any := -1, -1, false
	for i := range d.Custody {
		if ev.custOwner[i] != int32(pi) {
			continue
		}
		c := &d.Custody[i]
		if !ev.seen(c.Start) {
			continue
		}
		any = true
		switch c.Kind {
		case rescreen.CustodyRemoved:
			if c.Start.IsZero() {
				undatedRemoval = i
			} else if c.Start.After(lastRemoval) {
				lastRemoval = c.Start
			}
		case rescreen.CustodyCBP, rescreen.CustodyICE, rescreen.CustodyORRShelter, rescreen.CustodyORRFoster,
			rescreen.CustodyFamily, rescreen.CustodyReleased, rescreen.CustodyReunified:
		default:
			unknownKind = i
		}
	}
	ps.loc = locUS
	switch {
	case !lastRemoval.IsZero():
		returned, undatedReturn := false, -1
		for i := range d.ReturnRequests {
			r := &d.ReturnRequests[i]
			if ev.retOwner[i] != int32(pi) {
				continue
			}
			if !r.ArrivedOn.IsZero() && !r.ArrivedOn.Before(lastRemoval) && !r.ArrivedOn.After(ev.asOf) {
				returned = true
			}
			// A return with no arrival date cannot be placed after the
			// removal, so where the person is stays unknown.
			if r.ArrivedOn.IsZero() && r.State == "RETURNED" && ev.seen(r.SubmittedOn) {
				undatedReturn = i
			}
		}
		for i := range d.Screenings {
			s := &d.Screenings[i]
			if ev.scrOwner[i] == int32(pi) && s.Occasion == rescreen.OccasionReturnBorder {
				if dt := scrDate(s); !dt.IsZero() && !dt.Before(lastRemoval) && !dt.After(ev.asOf) {
					returned = true
				}
			}
		}
		later := -1
		for i := range d.Custody {
			c := &d.Custody[i]
			if ev.custOwner[i] == int32(pi) && c.Kind != rescreen.CustodyRemoved && c.Start.After(lastRemoval) && !c.Start.After(ev.asOf) {
				later = i
			}
		}
		switch {
		case returned:
			ps.returned = true
		case undatedReturn >= 0:
			ps.loc, ps.locWhy, ps.locEp = locUnknown, 4, undatedReturn
		case later >= 0:
			a := ev.mark()
			ev.pk(pi)
			ev.s(" was removed on ")
			ev.date(lastRemoval)
			ev.s(" but is in ")
			ev.v(string(d.Custody[later].Kind))
			ev.s(" in the U.S. from ")
			ev.date(d.Custody[later].Start)
			ev.s(" (custody[")
			ev.mkey(&d.Custody[later].Meta)
			ev.s("]), with no return on record.")
			ev.contraEnd(a)
		default:
			ps.loc = locRemoved
		}
		ps.removedOn = lastRemoval
		if ps.loc == locUS && unknownKind >= 0 {
			ps.loc, ps.locWhy, ps.locEp = locUnknown, 2, unknownKind
		}
	case undatedRemoval >= 0:
		ps.loc, ps.locWhy, ps.locEp = locUnknown, 1, undatedRemoval
	case unknownKind >= 0:
		ps.loc, ps.locWhy, ps.locEp = locUnknown, 2, unknownKind
	case !any:
		ps.loc, ps.locWhy = locUnknown, 3
	}
}
