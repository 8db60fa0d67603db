package rules

import (
	"rescreen"
)

// Indexes of the rule sets in pstate.cov.
const (
	ix18June = iota
	ix18S
	ix19
	ix23
)

// coverage evaluates membership of every person under every rule set as of
// the as-of date (V-1). The June 2018 elements of every adult come first,
// because the child classes of 2018 and 2019 turn on the adults'.
func (ev *evaluator) coverage() {
	for i := range ev.ps {
		ev.ps[i].cov[ix18June] = ev.cov18June(i)
	}
	for i := range ev.ps {
		ev.ps[i].cov[ix18S] = ev.cov18S(i)
	}
	for i := range ev.ps {
		if ev.ps[i].adult {
			ev.ps[i].cov[ix19] = ev.cov19(i)
		}
	}
	for i := range ev.ps {
		if !ev.ps[i].adult {
			ev.ps[i].cov[ix19] = ev.cov19(i)
		}
	}
	for i := range ev.ps {
		ev.ps[i].cov[ix23] = ev.cov23(i)
	}
	for i := range ev.ps {
		ev.procedures(i)
	}
}

// notInForce reports a rule set not yet in force on the as-of date (V-1).
// The criterion is the same in every result, so it is one shared slice.
func (ev *evaluator) notInForce(set string, t *tpl, from rescreen.Date) covOut {
	switch set {
	case RS2018June:
		return covOut{set: set, status: NotInForce, shared: notInForce18June}
	case RS2019:
		return covOut{set: set, status: NotInForce, shared: notInForce19}
	case RS2023:
		return covOut{set: set, status: NotInForce, shared: notInForce23}
	}
	g := ev.grp()
	ev.open(t)
	ev.s("Not yet in force on the as-of date; in force from ")
	ev.date(from)
	ev.s(" (cfg.cov2018s.in_force_from).")
	ev.close(eExcl)
	return covOut{set: set, status: NotInForce, cr: ev.grpEnd(g)}
}

// Criteria that are the same in every result, shared read-only.
var (
	notInForce18June = fixed(tInForce18June, NotMet, "Not yet in force on the as-of date; in force from 2018-06-26.")
	notInForce19     = fixed(tInForce19, NotMet, "Not yet in force on the as-of date; in force from 2019-03-08.")
	notInForce23     = fixed(tInForce23, NotMet, "Not yet in force on the as-of date; in force from 2023-12-11.")
	childNot18June   = fixed(tRole18, NotMet, "A child: the June 2018 class is a class of parents; a child is covered through the Child Settlement Class (COV-14).")
)

func fixed(t *tpl, st Status, detail string) []Criterion {
	c := []Criterion{{Rule: t.rule, Test: t.test, Status: st, Detail: detail, Citations: t.cites}}
	fixedSets = append(fixedSets, c)
	return c
}

// fixedSets holds every shared criterion slice, so that a compact result
// in binary form can name one by its index.
var fixedSets [][]Criterion

var proc19Sentence = map[string]string{
	"MANUAL_REVIEW": "cfg.cov2019.gets_2018_procedures=MANUAL_REVIEW: the 2018 procedures for members only in the expanded class go to manual review.",
	"APPLY":         "cfg.cov2019.gets_2018_procedures=APPLY: the 2018 procedures apply to members of the expanded class.",
	"NONE":          "cfg.cov2019.gets_2018_procedures=NONE: members only in the expanded class do not get the 2018 procedures.",
}

var roleSentence = map[rescreen.Role]string{
	rescreen.RoleParent:   "A parent.",
	rescreen.RoleGuardian: "A legal guardian.",
	rescreen.RoleChild:    "A child.",
}

func statusOf(e eff) CoverageStatus {
	switch e {
	case eExcl:
		return NotCovered
	case eManual:
		return ManualReview
	case eUnk:
		return CoverageUnk
	}
	return Covered
}

// roleUnknown is the one criterion of a person whose role is not recorded.
func (ev *evaluator) roleUnknown(set string, pi int) covOut {
	g := ev.grp()
	ev.open(tStRole)
	if ev.ps[pi].p.Role != "" {
		ev.s("The recorded role ")
		ev.v(string(ev.ps[pi].p.Role))
		ev.s(" is not one of the controlled list, so no class can be tested (a contradiction; see the family criteria).")
		ev.close(eManual)
		return covOut{set: set, status: ManualReview, cr: ev.grpEnd(g)}
	}
	ev.s("No role is recorded for ")
	ev.pk(pi)
	ev.s(", so no class can be tested.")
	ev.close(eUnk)
	ev.missPerson(pi, "role")
	return covOut{set: set, status: CoverageUnk, cr: ev.grpEnd(g)}
}

// flag writes a criterion on a yes/no fact where true excludes. An
// unrecorded flag is a missing fact, never false.
func (ev *evaluator) flag(t *tpl, pi int, v *bool, field, yes, no string, onTrue eff) eff {
	ev.open(t)
	var e eff
	switch {
	case v == nil:
		ev.s("Not recorded for ")
		ev.pk(pi)
		ev.s(".")
		e = eUnk
	case *v:
		ev.lit(yes)
		e = onTrue
	default:
		ev.lit(no)
		e = eMet
	}
	ev.close(e)
	if e == eUnk {
		ev.missPerson(pi, field)
	}
	return e
}

// notApplied writes a criterion for an exclusion a parameter turns off.
func (ev *evaluator) notApplied(t *tpl, sentence string) { ev.one(t, eMet, sentence) }

// adultSeps calls fn for each separation on record as of the as-of date in
// which pi is the adult and the child is a person of the family.
func (ev *evaluator) adultSeps(pi int, fn func(i int, s *rescreen.Separation, child int)) {
	for i := range ev.d.Separations {
		s := &ev.d.Separations[i]
		if ev.sepAdult[i] == int32(pi) && ev.sepChild[i] >= 0 && ev.seen(s.On) {
			fn(i, s, int(ev.sepChild[i]))
		}
	}
}

// familySeps calls fn for each separation on record of any child of the
// family from any adult of it.
func (ev *evaluator) familySeps(fn func(i int, s *rescreen.Separation, child int)) {
	for i := range ev.d.Separations {
		s := &ev.d.Separations[i]
		if ev.sepAdult[i] >= 0 && ev.sepChild[i] >= 0 && ev.seen(s.On) {
			fn(i, s, int(ev.sepChild[i]))
		}
	}
}

func (ev *evaluator) childSeps(pi int, fn func(i int, s *rescreen.Separation, adult int)) {
	for i := range ev.d.Separations {
		s := &ev.d.Separations[i]
		if ev.sepChild[i] == int32(pi) && ev.sepAdult[i] >= 0 && ev.seen(s.On) {
			fn(i, s, int(ev.sepAdult[i]))
		}
	}
}

func inCustodyKind(k rescreen.CustodyKind) bool { return k.InCustody() }

// cov18June evaluates the Ms. L. class (COV-1 to COV-7) for a person. For an
// adult it also keeps the family-scope elements (entry, detention,
// separation, interior, time scope) apart from the personal exclusions
// (COV-3 to COV-5), because a child's coverage treats them differently
// (SC-13 against SC-15).
func (ev *evaluator) cov18June(pi int) covOut {
	ps := &ev.ps[pi]
	if ev.asOf.Before(dateClassOrder) {
		ps.famScope18, ps.famScope19, ps.personal, ps.adultPart = eExcl, eExcl, eExcl, eExcl
		return ev.notInForce(RS2018June, tInForce18June, dateClassOrder)
	}
	p := ps.p
	if !ps.roleOK {
		ps.famScope18, ps.famScope19, ps.personal, ps.adultPart = eUnk, eUnk, eUnk, eUnk
		return ev.roleUnknown(RS2018June, pi)
	}
	if ps.child {
		return covOut{set: RS2018June, status: NotCovered, shared: childNot18June}
	}
	g := ev.grp()
	if !ps.adult {
		ev.open(tRole18)
		ev.s("The role of ")
		ev.pk(pi)
		ev.s(" is ")
		ev.v(string(p.Role))
		if ps.child {
			ev.s("; a child is covered through the Child Settlement Class (COV-14), not this parent class.")
		} else {
			ev.s("; the class is a class of parents.")
		}
		ev.close(eExcl)
		return covOut{set: RS2018June, status: NotCovered, cr: ev.grpEnd(g)}
	}
	var status eff

	// COV-1: an adult parent.
	ev.open(tRole18)
	var adult eff
	switch {
	case p.Role == rescreen.RoleGuardian:
		ev.s("A legal guardian, not a parent; guardians are governed by COV-16 under the settlement.")
		adult = eExcl
		status = eExcl
		ps.adultPart = eMet
	case p.BirthDate.IsZero():
		ev.s("A parent whose date of birth is not recorded, so adulthood cannot be checked.")
		adult = eUnk
	default:
		on := ev.firstSeparation(pi)
		if on.IsZero() {
			on = ev.asOf
		}
		age := p.BirthDate.AgeOn(on)
		ev.s("A parent born ")
		ev.date(p.BirthDate)
		ev.s(", aged ")
		ev.num(age)
		ev.s(" on ")
		ev.date(on)
		if age >= 18 {
			ev.s(".")
			adult = eMet
		} else {
			ev.s(": not an adult.")
			adult = eExcl
		}
	}
	ev.close(adult)
	if adult == eUnk {
		ev.missPerson(pi, "birth_date")
	}
	if p.Role == rescreen.RoleParent {
		ps.adultPart = adult
		status = worse(status, adult)
	}

	// COV-2: entry.
	entry := ev.entryCriterion(tEntry18, pi)
	// COV-1: detention.
	detained := ev.detainedCriterion(pi)
	// COV-1: a minor child separated and held.
	held := ev.childHeldCriterion(pi)

	// COV-3 to COV-5: personal exclusions.
	personal := ev.flag(tUnfit18, pi, p.UnfitOrDanger, "unfit_or_danger",
		"Found unfit or a danger to the child: not a class member (COV-3).", "Not found unfit or a danger to the child.", eExcl)
	personal = worse(personal, ev.flag(tEO18, pi, p.SubjectToEO13841, "subject_to_eo13841",
		"Subject to Executive Order 13841: excluded (COV-4).", "Not subject to Executive Order 13841.", eExcl))
	if ev.c.excludeCriminal {
		personal = worse(personal, ev.flag(tCriminal18, pi, p.CriminalHistory, "criminal_history",
			"Has a criminal history: excluded (COV-5, cfg.cov2018.exclude_criminal=true).", "No criminal history recorded as true.", eExcl))
	} else {
		ev.notApplied(tCriminal18, "Not applied: cfg.cov2018.exclude_criminal=false.")
	}
	if ev.c.excludeDisease {
		personal = worse(personal, ev.flag(tDisease18, pi, p.CommunicableDisease, "communicable_disease",
			"Has a communicable disease: excluded (COV-5, cfg.cov2018.exclude_disease=true).", "No communicable disease.", eExcl))
	} else {
		ev.notApplied(tDisease18, "Not applied: cfg.cov2018.exclude_disease=false.")
	}
	interior := eMet
	if ev.c.excludeInterior {
		ev.open(tInterior18)
		switch p.EntryKind {
		case rescreen.EntryInterior:
			ev.lit("Apprehended in the interior: excluded (COV-5, cfg.cov2018.exclude_interior=true).")
			interior = eExcl
		case rescreen.EntryAtPort:
			ev.lit("Entered at a port of entry, not an interior apprehension.")
		case rescreen.EntryBetweenPorts:
			ev.lit("Entered between ports, not an interior apprehension.")
		default:
			ev.lit("The kind of entry is not recorded.")
			interior = eUnk
		}
		ev.close(interior)
		if interior == eUnk {
			ev.missPerson(pi, "entry_kind")
		}
	} else {
		ev.notApplied(tInterior18, "Not applied: cfg.cov2018.exclude_interior=false.")
	}

	// COV-6: informational.
	ev.open(tReunW18)
	if w := ev.reunificationWaiver(pi); w >= 0 {
		ev.s("Waived reunification on ")
		ev.date(ev.d.Preferences[w].DeclaredOn)
		ev.s(" (preferences[")
		ev.mkey(&ev.d.Preferences[w].Meta)
		ev.s("]); membership is unaffected (COV-6, W8).")
	} else {
		ev.lit("No reunification waiver on record.")
	}
	ev.close(eMet)

	// COV-7: time scope.
	scope := ev.custodyScopeCriterion(pi)

	// COV-5's interior exclusion is personal to the parent, like the rest
	// of COV-5: the July 2018 practice it reports concerned the parent.
	ps.personal = worse(personal, interior)
	ps.famScope18 = worse(worse(entry, detained), worse(held, scope))
	ps.famScope19 = worse(worse(entry, detained), held)
	status = worse(status, worse(ps.famScope18, ps.personal))
	return covOut{set: RS2018June, status: statusOf(status), cr: ev.grpEnd(g)}
}

func (ev *evaluator) firstSeparation(pi int) rescreen.Date {
	var first rescreen.Date
	f := func(_ int, s *rescreen.Separation, _ int) {
		if !s.On.IsZero() && (first.IsZero() || s.On.Before(first)) {
			first = s.On
		}
	}
	ev.adultSeps(pi, f)
	ev.childSeps(pi, f)
	return first
}

func (ev *evaluator) reunificationWaiver(pi int) int {
	for i := range ev.d.Preferences {
		x := &ev.d.Preferences[i]
		if ev.prefOwner[i] == int32(pi) && x.Kind == rescreen.PrefReunificationWvr && ev.seen(x.DeclaredOn) {
			return i
		}
	}
	return -1
}

// entryCriterion is COV-2: entries at and between ports qualify; an
// interior apprehension is taken as an entry between ports, which COV-5
// may exclude.
func (ev *evaluator) entryCriterion(tp *tpl, pi int) eff {
	p := ev.ps[pi].p
	ev.open(tp)
	e := eMet
	switch p.EntryKind {
	case rescreen.EntryAtPort:
		ev.s("Entered at a port of entry")
	case rescreen.EntryBetweenPorts:
		ev.s("Entered between ports")
	case rescreen.EntryInterior:
		ev.s("Apprehended in the interior, taken as an entry between ports (COV-5 decides on interior apprehensions)")
	default:
		ev.s("The kind of entry (at a port, between ports or in the interior) is not recorded")
		e = eUnk
	}
	if !p.EntryDate.IsZero() {
		ev.s(" on ")
		ev.date(p.EntryDate)
	}
	if p.EntryPlace != "" {
		ev.s(" (")
		ev.v(p.EntryPlace)
		ev.s(")")
	}
	ev.s(".")
	ev.close(e)
	if e == eUnk {
		ev.missPerson(pi, "entry_kind")
	}
	return e
}

// detainedCriterion is COV-1's detention element. Detention cannot be ruled
// out from records ("has been, is or will be"), so it is met or unknown.
func (ev *evaluator) detainedCriterion(pi int) eff {
	ev.open(tDetained18)
	for i := range ev.d.Custody {
		c := &ev.d.Custody[i]
		if ev.custOwner[i] != int32(pi) || !ev.seen(c.Start) {
			continue
		}
		if c.Kind == rescreen.CustodyCBP || c.Kind == rescreen.CustodyICE || c.Kind == rescreen.CustodyFamily {
			ev.s("In ")
			ev.v(string(c.Kind))
			ev.s(" from ")
			ev.date(c.Start)
			ev.s(" (custody[")
			ev.mkey(&c.Meta)
			ev.s("]).")
			ev.close(eMet)
			return eMet
		}
	}
	ev.s("No DHS detention episode (CBP_HOLDING, ICE_DETENTION or FAMILY_RESIDENTIAL) is on record.")
	ev.close(eUnk)
	ev.missAbout("custody", "person", pi)
	return eUnk
}

// minorAt reports whether child c was under 18 on day.
func (ev *evaluator) minorAt(c int, day rescreen.Date) eff {
	b := ev.ps[c].p.BirthDate
	if b.IsZero() || day.IsZero() {
		return eUnk
	}
	if b.AgeOn(day) < 18 {
		return eMet
	}
	return eExcl
}

// childHeldCriterion is COV-1's element that DHS separated a minor child
// and held the child in ORR or DHS custody.
func (ev *evaluator) childHeldCriterion(pi int) eff {
	ev.open(tChildHeld18)
	best := eExcl
	n := 0
	var missAge, missOn, missCustody []int
	ev.adultSeps(pi, func(i int, s *rescreen.Separation, c int) {
		n++
		minor := ev.minorAt(c, s.On)
		held := eUnk
		if inCustodyKind(s.ChildCustody) {
			held = eMet
		} else {
			for j := range ev.d.Custody {
				x := &ev.d.Custody[j]
				if ev.custOwner[j] == int32(c) && inCustodyKind(x.Kind) && ev.seen(x.Start) {
					held = eMet
					break
				}
			}
		}
		e := worse(minor, held)
		if e < best {
			best = e
		}
		if n > 1 {
			ev.s("; separated from ")
		} else {
			ev.s("Separated from ")
		}
		ev.pk(c)
		ev.s(" on ")
		ev.date(s.On)
		switch minor {
		case eMet:
			ev.s(", a minor (born ")
			ev.date(ev.ps[c].p.BirthDate)
			ev.s(")")
		case eExcl:
			ev.s(", who was not a minor (born ")
			ev.date(ev.ps[c].p.BirthDate)
			ev.s(")")
		default:
			if ev.ps[c].p.BirthDate.IsZero() {
				ev.s(", whose date of birth is not recorded")
				missAge = append(missAge, c)
			} else {
				ev.s(", on an unrecorded date")
				missOn = append(missOn, i)
			}
		}
		if held == eMet {
			ev.s(", held in ")
			if s.ChildCustody != "" && inCustodyKind(s.ChildCustody) {
				ev.v(string(s.ChildCustody))
			} else {
				ev.s("ORR or DHS custody per the child's custody timeline")
			}
		} else {
			ev.s("; no ORR or DHS custody of the child is recorded")
			missCustody = append(missCustody, i)
		}
	})
	if n == 0 {
		ev.s("No separation of a child from ")
		ev.pk(pi)
		ev.s(" is on record.")
		ev.close(eUnk)
		ev.missAbout("separations", "parent", pi)
		return eUnk
	}
	ev.s(".")
	ev.close(best)
	if best == eUnk {
		for _, c := range missAge {
			ev.missPerson(c, "birth_date")
		}
		for _, i := range missOn {
			ev.miss1("separations", &ev.d.Separations[i].Meta, "on")
		}
		for _, i := range missCustody {
			ev.miss1("separations", &ev.d.Separations[i].Meta, "child_custody")
		}
	}
	return best
}

// inCustodyOnOrAfter reports whether child c was in ORR or DHS custody on
// or after day, from the custody timeline: an episode with no end lasts
// until the next episode starts, or is still open.
func (ev *evaluator) inCustodyOnOrAfter(c int, day rescreen.Date) (eff, int) {
	sawCustody, undated := false, -1
	for j := range ev.d.Custody {
		x := &ev.d.Custody[j]
		if ev.custOwner[j] != int32(c) || !inCustodyKind(x.Kind) || !ev.seen(x.Start) {
			continue
		}
		if x.Start.IsZero() {
			undated = j
			continue
		}
		sawCustody = true
		end := x.End
		if end.IsZero() {
			for k := range ev.d.Custody {
				y := &ev.d.Custody[k]
				if k != j && ev.custOwner[k] == int32(c) && y.Start.After(x.Start) && ev.seen(y.Start) && (end.IsZero() || y.Start.Before(end)) {
					end = y.Start
				}
			}
		}
		if end.IsZero() || !end.Before(day) {
			return eMet, j
		}
	}
	switch {
	case undated >= 0:
		return eUnk, undated
	case sawCustody:
		return eExcl, -1
	}
	return eUnk, -1
}

// custodyScopeCriterion is COV-7: a separated child in ORR or DHS custody on
// or after the cutoff. The test runs over every separated child of the
// family, not only the parent's own: the time scope places the family's
// separation in or out of the class, and a separation record missing
// between this parent and one of the children must not move the family
// out of it.
func (ev *evaluator) custodyScopeCriterion(pi int) eff {
	day := ev.c.custodyOnOrAfter
	ev.open(tCustody18)
	best := eExcl
	n := 0
	type gap struct{ c, ep int }
	var gaps []gap
	seen := make([]bool, len(ev.ps))
	timeline := func(c int) {
		e, ep := ev.inCustodyOnOrAfter(c, day)
		switch e {
		case eMet:
			x := &ev.d.Custody[ep]
			ev.s(" was in ")
			ev.v(string(x.Kind))
			ev.s(" from ")
			ev.date(x.Start)
			if x.End.IsZero() {
				ev.s(" with no end recorded before a later episode")
			} else {
				ev.s(" to ")
				ev.date(x.End)
			}
			ev.s(", on or after ")
			ev.date(day)
		case eExcl:
			ev.s(" left ORR and DHS custody before ")
			ev.date(day)
			ev.s(" per the custody timeline")
		default:
			if ep >= 0 {
				ev.s(" has a custody episode with no start date")
			} else {
				ev.s(" has no ORR or DHS custody on record")
			}
			gaps = append(gaps, gap{c, ep})
		}
		if e < best {
			best = e
		}
	}
	ev.familySeps(func(i int, s *rescreen.Separation, c int) {
		if seen[c] && (s.On.IsZero() || s.On.Before(day)) {
			return
		}
		seen[c] = true
		n++
		if n > 1 {
			ev.s("; ")
		}
		ev.pk(c)
		if !s.On.IsZero() && !s.On.Before(day) && inCustodyKind(s.ChildCustody) {
			ev.s(" was separated on ")
			ev.date(s.On)
			ev.s(", on or after ")
			ev.date(day)
			ev.s(", into ")
			ev.v(string(s.ChildCustody))
			best = eMet
			return
		}
		timeline(c)
	})
	if ev.c.unitAllMembers && n > 0 {
		// cfg.family_unit_scope=ALL_MEMBERS: every child of the family is
		// in the unit, so a child with no separation record places the
		// family in the time scope by the child's own custody timeline;
		// a missing separation record must not move the family out.
		for c := range ev.ps {
			if !ev.ps[c].child || seen[c] {
				continue
			}
			seen[c] = true
			n++
			ev.s("; ")
			ev.pk(c)
			ev.s(" (no separation record; in the unit under cfg.family_unit_scope=ALL_MEMBERS)")
			timeline(c)
		}
	}
	if n == 0 {
		ev.s("No separation of a child of the family is on record.")
		ev.close(eUnk)
		ev.missAbout("separations", "parent", pi)
		return eUnk
	}
	ev.s(".")
	ev.close(best)
	if best == eUnk {
		for _, x := range gaps {
			if x.ep >= 0 {
				ev.miss1("custody", &ev.d.Custody[x.ep].Meta, "start")
			} else {
				ev.missAbout("custody", "person", x.c)
			}
		}
	}
	return best
}

// Screening facts used by the class definitions.

// scrView returns how a screening stands as of the as-of date: whether it
// is on record, its result then, and its date. A decision dated after the
// as-of date leaves the screening pending.
func (ev *evaluator) scrView(s *rescreen.Screening) (bool, rescreen.ScreeningResult, rescreen.Date) {
	if !s.On.IsZero() && s.On.After(ev.asOf) {
		return false, "", rescreen.Date{}
	}
	if !s.DecidedOn.IsZero() && s.DecidedOn.After(ev.asOf) {
		if s.On.IsZero() {
			return false, "", rescreen.Date{}
		}
		return true, rescreen.ResultPending, s.On
	}
	return true, s.Result, scrDate(s)
}

// initialScreens finds the latest negative and positive first screenings
// (occasion INITIAL) of a person.
func (ev *evaluator) initialScreens(pi int) (neg, pos, pend int) {
	neg, pos, pend = -1, -1, -1
	var dn, dp rescreen.Date
	for i := range ev.d.Screenings {
		if ev.scrOwner[i] != int32(pi) {
			continue
		}
		s := &ev.d.Screenings[i]
		if s.Occasion != rescreen.OccasionInitial {
			continue
		}
		ok, res, dt := ev.scrView(s)
		if !ok {
			continue
		}
		switch res {
		case rescreen.ResultNegative:
			if neg < 0 || dt.After(dn) {
				neg, dn = i, dt
			}
		case rescreen.ResultPositive:
			if pos < 0 || dt.After(dp) {
				pos, dp = i, dt
			}
		case rescreen.ResultPending:
			pend = i
		}
	}
	return neg, pos, pend
}

func (ev *evaluator) removalOrder(pi int) int {
	for i := range ev.d.Proceedings {
		p := &ev.d.Proceedings[i]
		if ev.procOwner[i] == int32(pi) && p.Kind.IsRemovalOrder() && ev.seen(p.Opened) {
			return i
		}
	}
	return -1
}

// cov18S evaluates the 2018 settlement classes (COV-8 to COV-17).
func (ev *evaluator) cov18S(pi int) covOut {
	ps := &ev.ps[pi]
	if ev.asOf.Before(ev.c.inForce) {
		return ev.notInForce(RS2018S, tInForce18S, ev.c.inForce)
	}
	if !ps.roleOK {
		return ev.roleUnknown(RS2018S, pi)
	}
	if ps.adult {
		return ev.cov18SAdult(pi)
	}
	if ps.child {
		return ev.cov18SChild(pi, RS2018S)
	}
	g := ev.grp()
	ev.open(tRoleS)
	ev.s("The role of ")
	ev.pk(pi)
	ev.s(" is ")
	ev.v(string(ps.p.Role))
	ev.s(": not a class member; the Task Force may consider additional family members (COV-25).")
	ev.close(eExcl)
	return covOut{set: RS2018S, status: NotCovered, cr: ev.grpEnd(g)}
}

func (ev *evaluator) cov18SAdult(pi int) covOut {
	ps := &ev.ps[pi]
	p := ps.p
	g := ev.grp()
	var st eff

	// COV-8: the family is covered by the June 2018 ruling.
	ev.open(tCov8)
	c8 := eMet
	if p.Role == rescreen.RoleGuardian {
		c8 = worse(ps.famScope18, ps.personal)
		ev.s("As a legal guardian, the June 2018 elements other than parenthood are ")
	} else {
		c8 = worse(worse(ps.famScope18, ps.personal), ps.adultPart)
		ev.s("The June 2018 class evaluation of ")
		ev.pk(pi)
		ev.s(" is ")
	}
	switch c8 {
	case eMet:
		ev.s("met.")
	case eUnk:
		ev.s("incomplete (see COV-2018-06).")
	default:
		ev.s("not met (see COV-2018-06).")
	}
	ev.close(c8)
	if c8 == eUnk {
		ev.missCopyGroup(ps.cov[ix18June].cr)
	}
	st = worse(st, c8)

	// COV-9: the legible part of the Parent Settlement Class.
	ev.open(tCov9)
	c9 := ps.famScope19
	switch c9 {
	case eMet:
		ev.lit("Entry, DHS detention and the separation and custody of the child are met (see COV-2018-06).")
	case eUnk:
		ev.lit("Entry, DHS detention or the separation and custody of the child is not on record (see COV-2018-06).")
	default:
		ev.lit("Entry, DHS detention or the separation and custody of the child is not met (see COV-2018-06).")
	}
	ev.close(c9)
	if c9 == eUnk {
		ev.missCopyGroup(ps.cov[ix18June].cr)
	}
	st = worse(st, c9)

	// COV-9a: presence in the U.S.
	if ev.c.requireInUS {
		st = worse(st, ev.locCriterion(tCov9aUS, pi, eExcl))
	} else {
		ev.notApplied(tCov9aUS, "Not applied: cfg.cov2018s.require_in_us=false.")
	}

	neg, pos, pend := ev.initialScreens(pi)
	ps.negInit, ps.posInit = neg, pos
	order := ev.removalOrder(pi)

	// COV-9a: a negative determination or a removal order.
	if ev.c.requireNegOrOrder {
		ev.open(tCov9aNeg)
		e := eMet
		switch {
		case neg >= 0:
			s := &ev.d.Screenings[neg]
			ev.s("Negative ")
			ev.v(string(s.Kind))
			ev.s(" determination on ")
			ev.date(scrDate(s))
			ev.s(" (screenings[")
			ev.mkey(&s.Meta)
			ev.s("])")
			if order >= 0 {
				ev.s(" and a removal order")
			}
			ev.s(".")
		case order >= 0:
			ev.s("A removal order (")
			ev.v(string(ev.d.Proceedings[order].Kind))
			ev.s(", ")
			ev.date(ev.d.Proceedings[order].Opened)
			ev.s(") and no negative determination.")
		case pos >= 0:
			ev.s("A positive determination and no removal order: the parent is unaffected (COV-12).")
			e = eExcl
		default:
			ev.s("Neither a negative credible or reasonable fear determination nor a removal order is on record.")
			e = eUnk
		}
		ev.close(e)
		if e == eUnk {
			ev.missAbout("screenings", "person", pi)
			ev.missAbout("proceedings", "person", pi)
		}
		st = worse(st, e)
	} else {
		ev.notApplied(tCov9aNeg, "Not applied: cfg.cov2018s.require_negative_or_order=false.")
	}

	// COV-10: screened while separated.
	ev.open(tCov10)
	if neg >= 0 {
		s := &ev.d.Screenings[neg]
		switch {
		case s.WhileSeparated == nil:
			ev.s("Whether the negative of ")
			ev.date(scrDate(s))
			ev.s(" was made while separated is not recorded.")
			ev.close(eUnk)
			ev.miss1("screenings", &s.Meta, "while_separated")
			st = worse(st, eUnk)
		case *s.WhileSeparated:
			ev.s("The negative of ")
			ev.date(scrDate(s))
			ev.s(" was made while separated.")
			ev.close(eMet)
		default:
			ev.s("The negative of ")
			ev.date(scrDate(s))
			ev.s(" was not made while separated (cfg.cov2018s.negative_not_while_separated=")
			e := paramEff(ev.c.notWhileSeparated)
			ev.v(paramName(ev.c.notWhileSeparated))
			ev.s(").")
			ev.close(e)
			st = worse(st, e)
		}
	} else {
		ev.lit("No negative first screening on record; COV-17 decides for a parent with only a removal order.")
		ev.close(eMet)
	}

	// COV-11: informational.
	ev.open(tCov11)
	if neg >= 0 && ev.d.Screenings[neg].Kind == rescreen.ReasonableFear {
		ev.lit("The negative is a reasonable fear determination (reinstated order); it counts as a negative credible fear determination.")
	} else {
		ev.lit("No negative reasonable fear determination to equate.")
	}
	ev.close(eMet)

	// COV-12: an earlier positive.
	ev.open(tCov12)
	if pos >= 0 {
		s := &ev.d.Screenings[pos]
		ev.s("Positive ")
		ev.v(string(s.Kind))
		ev.s(" determination on ")
		ev.date(scrDate(s))
		ev.s(": unaffected by the settlement, stays in proceedings and counts as positive for the family.")
		ev.close(eExcl)
		st = worse(st, eExcl)
	} else {
		ev.lit("No earlier positive determination on record.")
		ev.close(eMet)
	}

	// COV-13: informational; the D rules decide a removed parent's remedy.
	ev.open(tCov13)
	switch ps.loc {
	case locRemoved:
		ev.s("Removed on ")
		ev.date(ps.removedOn)
		ev.s(": no credible fear review; only the D rules apply.")
	case locUnknown:
		ev.lit("Whether the person was removed is not known (see the person's location).")
	default:
		ev.lit("In the U.S.")
	}
	ev.close(eMet)

	// COV-15: informational.
	ev.open(tCov15)
	switch {
	case isTrue(p.DoraPlaintiff):
		ev.lit("A named Dora plaintiff; the claims were added to Ms. L.")
	case isFalse(p.DoraPlaintiff):
		ev.lit("Not a named Dora plaintiff; membership rests on COV-9.")
	default:
		ev.lit("Not recorded as a named Dora plaintiff; membership rests on COV-9.")
	}
	ev.close(eMet)

	// COV-16: guardians.
	ev.open(tCov16)
	if p.Role == rescreen.RoleGuardian {
		e := paramEff(ev.c.guardians)
		ev.s("A non-parent legal guardian: cfg.cov2018s.guardians=")
		ev.v(paramName(ev.c.guardians))
		ev.s(".")
		ev.close(e)
		st = worse(st, e)
	} else {
		ev.lit("A parent.")
		ev.close(eMet)
	}

	// COV-17: a removal order without a prior interview.
	ev.open(tCov17)
	switch {
	case neg >= 0 || pos >= 0:
		ev.lit("A first credible or reasonable fear determination is on record.")
		ev.close(eMet)
	case order >= 0:
		e := paramEff(ev.c.noPriorInterview)
		ev.s("A removal order but no completed first screening")
		if pend >= 0 {
			ev.s(" (a first screening is pending)")
		}
		ev.s(": cfg.cov2018s.no_prior_interview=")
		ev.v(paramName(ev.c.noPriorInterview))
		ev.s(".")
		ev.close(e)
		st = worse(st, e)
	default:
		ev.lit("Neither a first screening nor a removal order is on record (see COV-9a).")
		ev.close(eMet)
	}
	return covOut{set: RS2018S, status: statusOf(st), cr: ev.grpEnd(g)}
}

func paramEff(p covEffectParam) eff {
	switch p {
	case peCovered:
		return eMet
	case peNotCovered:
		return eExcl
	}
	return eManual
}

func paramName(p covEffectParam) string {
	switch p {
	case peCovered:
		return "COVERED"
	case peNotCovered:
		return "NOT_COVERED"
	}
	return "MANUAL_REVIEW"
}

// missCopyGroup repeats on the last criterion the missing facts of every
// criterion in the group.
func (ev *evaluator) missCopyGroup(g span) {
	for i := g.a; i < g.b; i++ {
		ev.missCopy(int(i))
	}
}

// locCriterion writes whether the person is in the U.S.; removal has the
// effect given.
func (ev *evaluator) locCriterion(tp *tpl, pi int, removed eff) eff {
	ps := &ev.ps[pi]
	ev.open(tp)
	var e eff
	switch ps.loc {
	case locRemoved:
		ev.s("Removed from the U.S. on ")
		ev.date(ps.removedOn)
		ev.s(", with no return on record.")
		e = removed
	case locUnknown:
		switch ps.locWhy {
		case 1:
			ev.lit("A removal is recorded without its date, so whether the person is in the U.S. on the as-of date is not known.")
		case 2:
			ev.lit("A custody episode of an unrecorded or unknown kind could be a removal.")
		case 4:
			ev.s("Removed on ")
			ev.date(ps.removedOn)
			ev.s("; a return is recorded without an arrival date, so it cannot be placed after the removal.")
		default:
			ev.lit("No custody episode of the person is on record, so presence in the U.S. is not established.")
		}
		e = eUnk
	default:
		if ps.returned {
			ev.s("Returned to the U.S. after the removal of ")
			ev.date(ps.removedOn)
			ev.s(".")
		} else {
			ev.lit("In the U.S.: no removal on record.")
		}
		e = eMet
	}
	ev.close(e)
	if e == eUnk {
		switch ps.locWhy {
		case 1:
			ev.miss1("custody", &ev.d.Custody[ps.locEp].Meta, "start")
		case 2:
			ev.miss1("custody", &ev.d.Custody[ps.locEp].Meta, "kind")
		case 4:
			ev.miss1("return_requests", &ev.d.ReturnRequests[ps.locEp].Meta, "arrived_on")
		default:
			ev.missAbout("custody", "person", pi)
		}
	}
	return e
}

// childAdultTest is the element of the child classes that turns on the
// adult the child was separated from. An adult outside the class for
// reasons of the family's scope leaves the child outside; an adult
// excluded for personal reasons, or a guardian, sends the child to manual
// review (SC-13, SC-28); the best adult decides when there are several.
func (ev *evaluator) childAdultTest(tp *tpl, pi int, set string) eff {
	ev.open(tp)
	best := eExcl
	rank := func(e eff) int {
		switch e {
		case eMet:
			return 0
		case eUnk:
			return 1
		case eManual:
			return 2
		}
		return 3
	}
	n := 0
	var unk []int
	ev.childSeps(pi, func(_ int, _ *rescreen.Separation, a int) {
		n++
		if n > 1 {
			ev.s("; ")
		}
		ap := &ev.ps[a]
		scope := ap.famScope18
		if set == RS2019 {
			scope = ap.famScope19
			// COV-18: the expanded class turns on the entry date too; the
			// child entered with the parent, so the child's own entry
			// date is the family's.
			scope = worse(scope, ev.entry2019(pi))
		}
		var e eff
		ev.pk(a)
		switch {
		case !ap.roleOK:
			ev.s(" has no recorded role")
			e = eUnk
		case scope == eExcl:
			ev.s(" is outside the class's scope (entry, detention, separation or time scope)")
			e = eExcl
		case scope == eUnk:
			ev.s(" has class elements that are not on record")
			e = eUnk
		case ev.c.childTestAnyAdult:
			ev.s(" is within the class's scope (cfg.cov2018s.child_test=SEPARATED_IN_US)")
			e = eMet
		case ap.p.Role == rescreen.RoleGuardian && set == RS2019:
			ev.s(" is a legal guardian; the expanded class adds parents")
			e = eExcl
		case ap.p.Role == rescreen.RoleGuardian:
			e = paramEff(ev.c.guardians)
			ev.s(" is a legal guardian (cfg.cov2018s.guardians=")
			ev.v(paramName(ev.c.guardians))
			ev.s(")")
		case ap.adultPart == eExcl || ap.personal == eExcl:
			ev.s(" is excluded for personal reasons (COV-1 adulthood, COV-3 to COV-5); the child's own membership is unresolved")
			e = eManual
		case ap.adultPart == eUnk || ap.personal == eUnk:
			ev.s(" has personal exclusions that are not on record")
			e = eUnk
		default:
			ev.s(" is a class member")
			e = eMet
		}
		if e == eUnk {
			unk = append(unk, a)
		}
		if rank(e) < rank(best) {
			best = e
		}
	})
	childEntryUnknown := set == RS2019 && ev.entry2019(pi) == eUnk
	if n == 0 && ev.c.unitAllMembers {
		// cfg.family_unit_scope=ALL_MEMBERS: a child of the family with no
		// separation record is tested against the family's adults.
		ev.s("No separation record; under cfg.family_unit_scope=ALL_MEMBERS the family's adults count: ")
		for a := range ev.ps {
			if !ev.ps[a].adult {
				continue
			}
			e := eExcl
			switch {
			case ev.ps[a].famScope18 == eMet && ev.ps[a].personal == eMet && ev.ps[a].adultPart == eMet:
				e = eMet
			case ev.ps[a].famScope18 == eExcl:
			case ev.ps[a].famScope18 == eUnk || ev.ps[a].personal == eUnk:
				e = eUnk
				unk = append(unk, a)
			default:
				e = eManual
			}
			if n > 0 {
				ev.s("; ")
			}
			n++
			ev.pk(a)
			ev.s(" ")
			ev.v(string(e.status()))
			if rank(e) < rank(best) {
				best = e
			}
		}
	}
	if n == 0 {
		ev.s("No separation of ")
		ev.pk(pi)
		ev.s(" from an adult of the family is on record.")
		ev.close(eUnk)
		ev.missAbout("separations", "child", pi)
		return eUnk
	}
	ev.s(".")
	ev.close(best)
	if best == eUnk {
		if childEntryUnknown {
			ev.missPerson(pi, "entry_date")
		}
		for _, a := range unk {
			ev.missCopyGroup(ev.ps[a].cov[ix18June].cr)
			if set == RS2019 {
				ev.missCopyGroup(ev.ps[a].cov[ix19].cr)
			}
			if !ev.ps[a].roleOK {
				ev.missPerson(a, "role")
			}
		}
	}
	return best
}

// cov18SChild evaluates the Child Settlement Class (COV-14), or for
// set = COV-2019-03 the children of the expanded class.
func (ev *evaluator) cov18SChild(pi int, set string) covOut {
	g := ev.grp()
	tSep, tAdult, tMinor, tUS := tCov14Sep, tCov14Adult, tCov14Minor, tCov14US
	if set == RS2019 {
		tSep, tAdult, tMinor, tUS = tChildSep19, tChildAdult19, tChildMinor19, tChildUS19
	}
	var st eff
	// A separation event.
	ev.open(tSep)
	n := 0
	var first rescreen.Date
	firstSep := -1
	ev.childSeps(pi, func(i int, s *rescreen.Separation, a int) {
		n++
		if n > 1 {
			ev.s("; separated from ")
		} else {
			ev.s("Separated from ")
		}
		ev.pk(a)
		ev.s(" on ")
		ev.date(s.On)
		if s.Agency != "" {
			ev.s(" by ")
			ev.v(string(s.Agency))
		}
		if firstSep < 0 || (!s.On.IsZero() && (first.IsZero() || s.On.Before(first))) {
			first, firstSep = s.On, i
		}
	})
	switch {
	case n == 0 && ev.c.unitAllMembers:
		ev.s("No separation of ")
		ev.pk(pi)
		ev.s(" is on record; the child is in the family, which is the unit under cfg.family_unit_scope=ALL_MEMBERS.")
		ev.close(eMet)
	case n == 0:
		ev.s("No separation of ")
		ev.pk(pi)
		ev.s(" is on record.")
		ev.close(eUnk)
		ev.missAbout("separations", "child", pi)
		st = eUnk
	default:
		ev.s(".")
		ev.close(eMet)
	}
	if firstSep < 0 && ev.c.unitAllMembers {
		// With no separation the child's age is taken on entry.
		first = ev.ps[pi].p.EntryDate
	}
	// The adult's membership.
	fc := ev.childAdultTest(tAdult, pi, set)
	if set == RS2018S {
		ev.ps[pi].famCov = fc
	}
	st = worse(st, fc)
	// A minor when separated.
	ev.open(tMinor)
	b := ev.ps[pi].p.BirthDate
	var e eff
	switch {
	case b.IsZero():
		ev.s("The child's date of birth is not recorded.")
		e = eUnk
	case firstSep < 0 && first.IsZero():
		ev.s("No separation date (or, with no separation, entry date) to take the age on.")
		e = eUnk
	case first.IsZero():
		ev.s("The separation date is not recorded.")
		e = eUnk
	default:
		age := b.AgeOn(first)
		ev.s("Born ")
		ev.date(b)
		ev.s(", aged ")
		ev.num(age)
		ev.s(" when separated on ")
		ev.date(first)
		if age < 18 {
			ev.s(".")
			e = eMet
		} else {
			ev.s(": not a minor.")
			e = eExcl
		}
	}
	ev.close(e)
	if e == eUnk {
		switch {
		case b.IsZero():
			ev.missPerson(pi, "birth_date")
		case firstSep >= 0:
			ev.miss1("separations", &ev.d.Separations[firstSep].Meta, "on")
		case ev.c.unitAllMembers:
			ev.missPerson(pi, "entry_date")
		default:
			ev.missAbout("separations", "child", pi)
		}
	}
	st = worse(st, e)
	// In the U.S.
	st = worse(st, ev.locCriterion(tUS, pi, eExcl))
	if set == RS2019 {
		ev.ident19(pi)
	}
	return covOut{set: set, status: statusOf(st), cr: ev.grpEnd(g)}
}

// entry2019 is the COV-18 entry date test of an adult, without a criterion.
func (ev *evaluator) entry2019(pi int) eff {
	d := ev.ps[pi].p.EntryDate
	switch {
	case d.IsZero():
		return eUnk
	case d.Before(dateExpansionEntry):
		return eExcl
	}
	return eMet
}

// cov19 evaluates the expanded class of March 2019 (COV-18 to COV-21).
func (ev *evaluator) cov19(pi int) covOut {
	ps := &ev.ps[pi]
	if ev.asOf.Before(dateExpansion) {
		return ev.notInForce(RS2019, tInForce19, dateExpansion)
	}
	if !ps.roleOK {
		return ev.roleUnknown(RS2019, pi)
	}
	if ps.child {
		return ev.cov18SChild(pi, RS2019)
	}
	g := ev.grp()
	p := ps.p
	if !ps.adult || p.Role == rescreen.RoleGuardian {
		ev.open(tRole19)
		ev.s("The role of ")
		ev.pk(pi)
		ev.s(" is ")
		ev.v(string(p.Role))
		ev.s("; the expanded class adds parents.")
		ev.close(eExcl)
		return covOut{set: RS2019, status: NotCovered, cr: ev.grpEnd(g)}
	}
	var st eff
	ev.one(tRole19, eMet, "A parent.")
	// COV-18: entry on or after 2017-07-01.
	ev.open(tEntry19)
	e := ev.entry2019(pi)
	switch e {
	case eUnk:
		ev.s("The entry date is not recorded.")
	case eExcl:
		ev.s("Entered on ")
		ev.date(p.EntryDate)
		ev.s(", before 2017-07-01.")
	default:
		ev.s("Entered on ")
		ev.date(p.EntryDate)
		ev.s(", on or after 2017-07-01.")
	}
	ev.close(e)
	if e == eUnk {
		ev.missPerson(pi, "entry_date")
	}
	st = worse(st, e)
	ev.one(tNoLimit19, eMet, "The custody date of COV-7 is not tested for the expanded class.")
	// COV-19: the other elements.
	ev.open(tOther19)
	o := worse(worse(ps.famScope19, ps.personal), ps.adultPart)
	switch o {
	case eMet:
		ev.lit("Adulthood, entry, DHS detention, the separation and custody of the child, and COV-3 to COV-5 are met (see COV-2018-06).")
	case eUnk:
		ev.lit("Some of the COV-1 elements or COV-3 to COV-5 are not on record (see COV-2018-06).")
	default:
		ev.lit("A COV-1 element or an exclusion of COV-3 to COV-5 is not met (see COV-2018-06).")
	}
	ev.close(o)
	if o == eUnk {
		ev.missCopyGroup(ps.cov[ix18June].cr)
	}
	st = worse(st, o)
	// COV-20: informational; the procedures are decided in procedures().
	ev.one(tProc19, eMet, proc19Sentence[ev.c.gets2018])
	ev.ident19(pi)
	return covOut{set: RS2019, status: statusOf(st), cr: ev.grpEnd(g)}
}

// ident19 is COV-21: informational, because identification is the
// government's task with its own deadline (T-5), not a condition of
// membership.
func (ev *evaluator) ident19(pi int) {
	p := ev.ps[pi].p
	ev.open(tIdent19)
	switch {
	case !p.ClassIdentifiedOn.IsZero() && ev.seen(p.ClassIdentifiedOn):
		ev.s("Identified on ")
		ev.date(p.ClassIdentifiedOn)
		if p.ClassIdentifiedBy != "" {
			ev.s(" by ")
			ev.v(p.ClassIdentifiedBy)
		}
		ev.s(".")
	default:
		ev.s("No identification recorded as of ")
		ev.date(ev.asOf)
		ev.s("; the government's deadline under T-5 was 2019-10-25.")
	}
	ev.close(eMet)
}

// cov23 evaluates the 2023 settlement class (COV-22 to COV-25).
func (ev *evaluator) cov23(pi int) covOut {
	ps := &ev.ps[pi]
	if ev.asOf.Before(date2023Effective) {
		return ev.notInForce(RS2023, tInForce23, date2023Effective)
	}
	if !ps.roleOK {
		return ev.roleUnknown(RS2023, pi)
	}
	g := ev.grp()
	p := ps.p
	if !ps.unitRole {
		ev.open(tRole23)
		ev.s("The role of ")
		ev.pk(pi)
		ev.s(" is ")
		ev.v(string(p.Role))
		ev.s(": not a class member; the Task Force may consider reuniting additional family members such as siblings (COV-25, EO 14011).")
		ev.close(eExcl)
		return covOut{set: RS2023, status: NotCovered, cr: ev.grpEnd(g)}
	}
	var st eff
	ev.one(tRole23, eMet, roleSentence[p.Role])
	// COV-22: separated at the border within the window.
	ev.open(tWindow23)
	w := eExcl
	n := 0
	var unk []int
	var unkField []string
	check := func(i int, s *rescreen.Separation) {
		n++
		if n > 1 {
			ev.s("; ")
		}
		ev.s("Separation ")
		ev.mkey(&s.Meta)
		ev.s(" on ")
		ev.date(s.On)
		e := eMet
		switch {
		case s.On.IsZero():
			e = eUnk
			unk, unkField = append(unk, i), append(unkField, "on")
		case s.On.Before(date2023WindowStart) || s.On.After(date2023WindowEnd) || (!ev.c.windowInclusive && s.On == date2023WindowEnd):
			ev.s(", outside the window")
			e = eExcl
		}
		switch s.PlaceKind {
		case rescreen.EntryAtPort, rescreen.EntryBetweenPorts:
			ev.s(" at the border (")
			ev.v(string(s.PlaceKind))
			ev.s(")")
		case rescreen.EntryInterior:
			ev.s(" in the interior, not at the border")
			e = eExcl
		default:
			ev.s(", place kind not recorded")
			if e == eMet {
				e = eUnk
				unk, unkField = append(unk, i), append(unkField, "place_kind")
			}
		}
		if e < w {
			w = e
		}
	}
	ev.adultSeps(pi, func(i int, s *rescreen.Separation, _ int) { check(i, s) })
	ev.childSeps(pi, func(i int, s *rescreen.Separation, _ int) { check(i, s) })
	if n == 0 {
		ev.s("No separation of ")
		ev.pk(pi)
		ev.s(" is on record.")
		ev.close(eUnk)
		ev.missAbout("separations", "person", pi)
		w = eUnk
	} else {
		ev.s(".")
		ev.close(w)
		if w == eUnk {
			for k, i := range unk {
				ev.miss1("separations", &ev.d.Separations[i].Meta, unkField[k])
			}
		}
	}
	st = worse(st, w)
	// COV-23(a): criminal history (parents).
	if ps.adult {
		st = worse(st, ev.flag(tCriminal23, pi, p.CriminalHistory, "criminal_history",
			"Criminal history recorded: presumptively excluded; rebuttal review (COV-23(a)).", "No criminal history recorded as true.", eManual))
	}
	// COV-23(b): separation reasons after 2018-06-26.
	ev.open(tReason23)
	r := eMet
	n = 0
	var unkR []int
	var unkRF []string
	reason := func(i int, s *rescreen.Separation) {
		n++
		if n > 1 {
			ev.s("; ")
		}
		ev.s("Separated on ")
		ev.date(s.On)
		ev.s(" for ")
		if s.Reason == "" {
			ev.s("an unrecorded reason")
			r = worse(r, eUnk)
			unkR, unkRF = append(unkR, i), append(unkRF, "reason")
			return
		}
		ev.v(string(s.Reason))
		switch s.Reason {
		case rescreen.ReasonMedical, rescreen.ReasonFitness, rescreen.ReasonWarrant:
			switch {
			case s.On.IsZero():
				r = worse(r, eUnk)
				unkR, unkRF = append(unkR, i), append(unkRF, "on")
			case s.On.After(date2023ExclusionCut):
				ev.s(", after 2018-06-26: presumptively excluded; rebuttal review")
				r = worse(r, eManual)
			}
		}
	}
	ev.adultSeps(pi, func(i int, s *rescreen.Separation, _ int) { reason(i, s) })
	ev.childSeps(pi, func(i int, s *rescreen.Separation, _ int) { reason(i, s) })
	if n == 0 {
		ev.s("No separation on record.")
		r = eUnk
		ev.close(r)
		ev.missAbout("separations", "person", pi)
	} else {
		ev.s(".")
		ev.close(r)
		if r == eUnk {
			for k, i := range unkR {
				ev.miss1("separations", &ev.d.Separations[i].Meta, unkRF[k])
			}
		}
	}
	st = worse(st, r)
	// COV-24: the claim.
	ev.open(tClaim23)
	c := eMet
	switch {
	case p.TaskForceClaimOn.IsZero() || !ev.seen(p.TaskForceClaimOn):
		ev.s("No Task Force claim on record as of ")
		ev.date(ev.asOf)
		if ev.c.unclaimedNotCovered {
			ev.s("; not a member until claimed (cfg.cov2023.unclaimed=NOT_COVERED).")
			c = eExcl
		} else {
			ev.s("; the person may still claim (cfg.cov2023.unclaimed=MANUAL_REVIEW).")
			c = eManual
		}
	default:
		ev.s("Claimed on ")
		ev.date(p.TaskForceClaimOn)
		decided := p.TaskForceDecision != "" && p.TaskForceDecision != "PENDING" && !p.TaskForceDecisionOn.IsZero() && ev.seen(p.TaskForceDecisionOn)
		switch {
		case decided && p.TaskForceDecision == "DENIED":
			ev.s("; denied on ")
			ev.date(p.TaskForceDecisionOn)
			ev.s(".")
			c = eExcl
		case decided && p.TaskForceDecision == "ACCEPTED":
			ev.s("; accepted on ")
			ev.date(p.TaskForceDecisionOn)
			ev.s(".")
		default:
			ev.s("; no decision on record yet.")
		}
	}
	ev.close(c)
	st = worse(st, c)
	return covOut{set: RS2023, status: statusOf(st), cr: ev.grpEnd(g)}
}

// procedures decides whether the 2018 procedures apply to a person: covered
// under the 2018 settlement, or under the 2019 expansion as
// cfg.cov2019.gets_2018_procedures says. Before the settlement is in force,
// a person of a covered June 2018 family is held by the stay (H-1).
func (ev *evaluator) procedures(pi int) {
	ps := &ev.ps[pi]
	s18 := ps.cov[ix18S].status
	s19 := ps.cov[ix19].status
	if s19 == Covered {
		switch ev.c.gets2018 {
		case "MANUAL_REVIEW":
			s19 = ManualReview
		case "NONE":
			s19 = NotCovered
		}
	}
	rank := func(s CoverageStatus) int {
		switch s {
		case Covered:
			return 0
		case ManualReview:
			return 1
		case CoverageUnk:
			return 2
		case NotCovered:
			return 3
		}
		return 4
	}
	best := s18
	if rank(s19) < rank(best) {
		best = s19
	}
	if s18 == NotInForce && !ev.asOf.Before(dateClassOrder) {
		ps.pre = true
		if ps.adult || !ps.roleOK {
			best = ps.cov[ix18June].status
		} else {
			best = NotCovered
			ev.childSeps(pi, func(_ int, _ *rescreen.Separation, a int) {
				if s := ev.ps[a].cov[ix18June].status; rank(s) < rank(best) {
					best = s
				}
			})
		}
	}
	ps.proc = best
	switch {
	case !ps.roleOK:
		ps.famCov = effOf(ps.cov[ix18June].status)
	case ps.p.Role == rescreen.RoleGuardian:
		ps.famCov = worse(ps.famScope18, ps.personal)
		if ps.famCov == eMet {
			ps.famCov = paramEff(ev.c.guardians)
		}
	case ps.adult:
		ps.famCov = effOf(ps.cov[ix18June].status)
	case ps.child && s18 == NotInForce:
		ps.famCov = eExcl
		ev.childSeps(pi, func(_ int, _ *rescreen.Separation, a int) {
			if e := effOf(ev.ps[a].cov[ix18June].status); e < ps.famCov {
				ps.famCov = e
			}
		})
	}
}

func effOf(s CoverageStatus) eff {
	switch s {
	case Covered:
		return eMet
	case ManualReview:
		return eManual
	case CoverageUnk:
		return eUnk
	}
	return eExcl
}
