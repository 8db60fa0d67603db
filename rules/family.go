package rules

import (
	"strings"

	"rescreen"
)

// familyCounts are the member states of the unit the F rules combine.
type familyCounts struct {
	pos, man, pend, unk, waived, neg, noClaim, removed, unitUnknown int
	covered                                                         bool
}

func (fc *familyCounts) unfinished() int { return fc.pos + fc.man + fc.pend + fc.unk + fc.unitUnknown }

// familyOutcome combines the member states into the family outcome
// (settlement.md 4.3, "any number of members"), extended so that it can
// never release a family on incomplete or contradictory records:
//
//  1. Contradictory records: MANUAL_REVIEW.
//  2. Any member POSITIVE or IN_240: STAYS (F-1).
//  3. Any member needing manual review (coverage, a changed election, a
//     reversal, a removed member under cfg.removed_member_counts_as):
//     MANUAL_REVIEW.
//  4. Any member PENDING: PENDING (F-6).
//  5. Any member whose state or unit membership is unknown:
//     NEEDS_INFORMATION.
//  6. Nobody covered: NOT_COVERED.
//  7. Every member WAIVED: REMOVAL_MAY_PROCEED (F-5); a mix with NEGATIVE
//     or NO_CLAIM: REMOVAL_MAY_PROCEED under cfg.f8_mixed_fail_waive (F-8);
//     every member NEGATIVE or NO_CLAIM: REMOVAL_MAY_PROCEED (F-4, R-C5).
//
// A REMOVAL_MAY_PROCEED or NOT_COVERED that steps 6 and 7 reach then
// becomes NEEDS_INFORMATION if any fact anywhere in the evaluation is
// missing (H-2), and MANUAL_REVIEW if a member is in the 2023 class
// (cfg.cov2023.removal_bar).
func (ev *evaluator) familyOutcome() {
	c := ev.c
	ev.sharedIdentifiers()
	var fc familyCounts
	for i := range ev.ps {
		ps := &ev.ps[i]
		switch {
		case !ps.unitRole, ps.intr == StateOutside:
			ps.inUnit = false
		case ps.intr == StateRemoved:
			// Under OUTSIDE_UNIT a removed member is outside the unit,
			// unless the return was approved or ordered: the member is
			// coming back to a screening (D-6, D-7), so the unit has not
			// finished.
			ps.inUnit = !c.removedOutside || ev.returnGranted(i) >= 0
		default:
			ps.inUnit = true
		}
		if !ps.inUnit {
			continue
		}
		switch ps.intr {
		case StatePositive, StateIn240:
			fc.pos++
			// A positive keeps the family only if the family is covered;
			// an open coverage counts, so that it can never release one.
			if ps.proc == Covered || ps.proc == ManualReview || ps.proc == CoverageUnk || ps.pre {
				fc.covered = true
			}
		case StateManual:
			fc.man++
			fc.covered = true
		case StateRemoved:
			fc.removed++
			fc.covered = true
		case StatePending:
			fc.pend++
			fc.covered = true
		case StateUnknown:
			fc.unk++
			fc.covered = true
		case StateWaived:
			fc.waived++
			fc.covered = true
		case StateNegative:
			fc.neg++
			fc.covered = true
		case StateNoClaim:
			fc.noClaim++
			fc.covered = true
		}
		if ps.unitUk {
			fc.unitUnknown++
		}
	}
	missing := len(ev.miss) > 0 || len(ev.orphans) > 0 || len(ev.undated) > 0 || ev.fam == nil
	// Backstop: an unknown criterion always names its missing facts, but
	// should one ever fail to, it still blocks a release.
	for i := range ev.crits {
		if ev.crits[i].st == stUnknown {
			missing = true
			break
		}
	}
	in2023 := false
	for i := range ev.ps {
		ps := &ev.ps[i]
		if ps.loc == locRemoved || !ps.unitRole {
			continue
		}
		if s := ps.cov[ix23].status; s == Covered || s == ManualReview || s == CoverageUnk {
			in2023 = true
		}
	}
	pre := false
	for i := range ev.ps {
		if ev.ps[i].inUnit && ev.ps[i].pre && ev.ps[i].intr == StatePending {
			pre = true
		}
	}

	out := OutcomeNotCovered
	release := false // a REMOVAL_MAY_PROCEED or NOT_COVERED still to be checked
	switch {
	case len(ev.contras) > 0:
		out = OutcomeManualReview
		ev.holdAll = true
	case !fc.covered:
		release = true
	case fc.pos > 0:
		out = OutcomeStays
	case fc.man > 0 || fc.removed > 0:
		out = OutcomeManualReview
	case fc.pend > 0:
		out = OutcomePending
	case fc.unk > 0 || fc.unitUnknown > 0:
		out = OutcomeNeedsInfo
	default:
		counted := fc.neg + fc.waived
		if !c.noClaimExclude {
			counted += fc.noClaim
		}
		switch {
		case counted == 0:
			// Every member claims no fear and NO_CLAIM is left out of the
			// unit: nobody is left to decide, so a person reviews it.
			out = OutcomeManualReview
		case fc.waived > 0 && fc.waived < counted && c.f8Manual:
			out = OutcomeManualReview
		default:
			out = OutcomeRemovalMay
			release = true
		}
	}
	if release {
		switch {
		case missing:
			out = OutcomeNeedsInfo
		case in2023 && c.cov2023Bar:
			out = OutcomeManualReview
			ev.bar2023 = true
		}
	}
	ev.outcome = out

	// Derived states: partial waivers (F-9), F-2 parents whose child's case
	// concluded (F-12), and members a positive does not keep
	// (cfg.any_positive_keeps_all=false).
	partial := out != OutcomeRemovalMay && fc.waived > 0 && (fc.unfinished() > 0 || fc.removed > 0)
	for i := range ev.ps {
		ps := &ev.ps[i]
		ps.state = ps.intr
		if ps.intr == StateWaived && ps.inUnit && partial && c.partialWaiver == "MANUAL_REVIEW" {
			ps.state = StateManual
		}
	}
	if out == OutcomeStays {
		for i := range ev.ps {
			ps := &ev.ps[i]
			if !ps.inUnit {
				continue
			}
			switch {
			case ps.adult && ps.intr == StateNegative:
				ev.adultSeps(i, func(_ int, _ *rescreen.Separation, ch int) {
					if ev.ps[ch].inUnit && isPositive(ev.ps[ch].intr) {
						ps.f2 = true
					}
				})
				if ps.f2 && ev.f2Concluded(i) {
					ps.state = StateManual
				}
			case ps.child && (ps.intr == StateNegative || ps.intr == StateNoClaim):
				ev.childSeps(i, func(_ int, _ *rescreen.Separation, a int) {
					if ev.ps[a].inUnit && isPositive(ev.ps[a].intr) {
						ps.f3 = true
					}
				})
			}
			if !c.anyPositiveKeepsAll && !isPositive(ps.intr) && !ps.f2 && !ps.f3 && ps.state != StateManual {
				ps.state = StateManual
			}
		}
	}

	ev.blockers(&fc)
	ev.familyCriteria(&fc, missing, in2023, pre, partial)
	for i := range ev.ps {
		ev.derivedCriteria(i, partial)
	}
	for i := range ev.ps {
		ev.hold(i, partial)
	}
}

func isPositive(s MemberState) bool { return s == StatePositive || s == StateIn240 }

// personalID reports whether an identifier kind names one person only
// (R-SYS-4); receipts, court cases and Task Force ids may be shared by a
// family.
func personalID(k rescreen.IdentifierKind) bool {
	switch k {
	case rescreen.IDANumber, "EID_SUBJECT_ID", "ORR_UAC_ID", "FBI_NUMBER", "PASSPORT", "NATIONAL_ID":
		return true
	}
	return false
}

// sharedIdentifiers records as a contradiction two person records of the
// family that carry the same personal identifier: one person recorded
// twice (R-SYS-4), whose records are split between the two, so that a
// positive or a pending case recorded on one, in a role outside the unit,
// could go unseen. An identifier marked ERRONEOUS is no evidence.
func (ev *evaluator) sharedIdentifiers() {
	ids := ev.d.Identifiers
	var seen [][2]int32
	for i := range ids {
		x := &ids[i]
		a := ev.person(x.Person, x.Source)
		if a < 0 || x.Status == "ERRONEOUS" || !personalID(x.Kind) || strings.TrimSpace(x.Value) == "" {
			continue
		}
	next:
		for j := i + 1; j < len(ids); j++ {
			y := &ids[j]
			b := ev.person(y.Person, y.Source)
			if b < 0 || b == a || y.Status == "ERRONEOUS" || y.Kind != x.Kind || !strings.EqualFold(strings.TrimSpace(y.Value), strings.TrimSpace(x.Value)) {
				continue
			}
			for _, p := range seen {
				if p == [2]int32{a, b} || p == [2]int32{b, a} {
					continue next
				}
			}
			seen = append(seen, [2]int32{a, b})
			m := ev.mark()
			ev.s("persons[")
			ev.pk(int(a))
			ev.s("] and persons[")
			ev.pk(int(b))
			ev.s("] carry the same ")
			ev.v(string(x.Kind))
			ev.s(" ")
			ev.v(strings.TrimSpace(x.Value))
			ev.s(" (identifiers[")
			ev.mkey(&x.Meta)
			ev.s("] and identifiers[")
			ev.mkey(&y.Meta)
			ev.s("]): one person recorded twice (R-SYS-4), whose records cannot be attributed to one member.")
			ev.contraEnd(m)
		}
	}
}

// returnGranted finds a return request of removed member pi that the
// government approved or a court ordered, on record as of the as-of date
// (a decision dated later was not yet made; an undated one counts), or
// returns -1.
func (ev *evaluator) returnGranted(pi int) int {
	for i := range ev.d.ReturnRequests {
		r := &ev.d.ReturnRequests[i]
		if ev.retOwner[i] != int32(pi) || !ev.seen(r.SubmittedOn) {
			continue
		}
		switch {
		case r.State == "GOV_APPROVED" && ev.seen(r.DecisionOn), r.State == "COURT_ORDERED_RETURN" && ev.seen(r.CourtOn):
			return i
		}
	}
	return -1
}

// caseConcluded reports whether every asylum case (section 240 or an
// asylum application) of a person has concluded as cfg.case_concluded_at
// says, and the day the last one did. A person with no case on record has
// not concluded one.
func (ev *evaluator) caseConcluded(pi int) (bool, rescreen.Date) {
	n := 0
	var last rescreen.Date
	for i := range ev.d.Proceedings {
		p := &ev.d.Proceedings[i]
		if ev.procOwner[i] != int32(pi) || (p.Kind != rescreen.ProcSection240 && p.Kind != rescreen.ProcAsylumAppl) || !ev.seen(p.Opened) {
			continue
		}
		n++
		d := p.DecidedOn
		if ev.c.concludedAtAppeals {
			d = p.AppealsExhausted
		}
		if d.IsZero() || d.After(ev.asOf) {
			return false, rescreen.Date{}
		}
		if d.After(last) {
			last = d
		}
	}
	return n > 0, last
}

// f2Concluded reports whether the asylum cases of every positive child an
// F-2 parent stays for have concluded (F-12).
func (ev *evaluator) f2Concluded(pi int) bool {
	all, any := true, false
	ev.adultSeps(pi, func(_ int, _ *rescreen.Separation, ch int) {
		if ev.ps[ch].inUnit && isPositive(ev.ps[ch].intr) {
			any = true
			if ok, _ := ev.caseConcluded(ch); !ok {
				all = false
			}
		}
	})
	return any && all
}

// blockers writes who the family waits for, once, for the lift conditions.
func (ev *evaluator) blockers(fc *familyCounts) {
	a := ev.mark()
	n := 0
	for i := range ev.ps {
		ps := &ev.ps[i]
		if !ps.inUnit {
			continue
		}
		finished := ps.intr == StateNegative || ps.intr == StateNoClaim || ps.intr == StateWaived
		if finished && !ps.unitUk {
			continue
		}
		if n > 0 {
			ev.s(", ")
		}
		n++
		ev.pk(i)
		ev.s(" (")
		ev.v(string(ps.intr))
		if ps.unitUk {
			ev.s(", unit membership unknown")
		}
		ev.s(")")
	}
	if len(ev.miss) > 0 || len(ev.orphans) > 0 || len(ev.undated) > 0 {
		if n > 0 {
			ev.s(", and ")
		}
		n++
		ev.s("the missing facts listed in the result")
	}
	if n == 0 {
		ev.s("no member")
	}
	ev.blocker = ev.since(a)
}

func (ev *evaluator) familyCriteria(fc *familyCounts, missing, in2023, pre, partial bool) {
	c := ev.c
	g := ev.grp()
	if ev.fam == nil {
		ev.one(tFFamily, eUnk, "No family record is in the dataset.")
		a := ev.mark()
		ev.s("families")
		ev.addMiss(a)
	}
	// V-1: rule sets in force.
	ev.open(tFInForce)
	ev.s("As of ")
	ev.date(ev.asOf)
	ev.s(": ")
	sets := [4]struct {
		id   string
		from rescreen.Date
	}{{RS2018June, dateClassOrder}, {RS2018S, c.inForce}, {RS2019, dateExpansion}, {RS2023, date2023Effective}}
	for k, s := range sets {
		if k > 0 {
			ev.s("; ")
		}
		ev.v(s.id)
		if ev.asOf.Before(s.from) {
			ev.s(" not yet in force (from ")
		} else {
			ev.s(" in force (from ")
		}
		ev.date(s.from)
		ev.s(")")
	}
	ev.s(".")
	ev.close(eMet)
	// R-SYS-5: contradictions and references.
	if len(ev.contras) == 0 {
		ev.one(tFContra, eMet, "No contradictions found among the records.")
	}
	for _, x := range ev.contras {
		ev.open(tFContra)
		ev.sp(x)
		ev.close(eExcl)
	}
	if len(ev.orphans) > 0 {
		ev.open(tFOrphan)
		ev.num(len(ev.orphans))
		ev.s(" record(s) do not name the person they are about.")
		ev.close(eUnk)
		for _, o := range ev.orphans {
			ev.miss = append(ev.miss, o)
			ev.crits[len(ev.crits)-1].m.b = int32(len(ev.miss))
		}
	}
	if len(ev.undated) > 0 {
		ev.open(tFDates)
		ev.num(len(ev.undated))
		ev.s(" record(s) lack the date the rules need.")
		ev.close(eUnk)
		for _, o := range ev.undated {
			ev.miss = append(ev.miss, o)
			ev.crits[len(ev.crits)-1].m.b = int32(len(ev.miss))
		}
	}
	// Coverage.
	ev.open(tFCovered)
	if fc.covered {
		ev.lit("Yes: the unit has covered members (or members whose coverage is open).")
		ev.close(eMet)
	} else {
		ev.lit("No member of the family is covered by a rule set in force that holds members or gives the 2018 procedures.")
		ev.close(eExcl)
	}
	// F-10: the unit.
	ev.open(tFUnit)
	n := 0
	for i := range ev.ps {
		ps := &ev.ps[i]
		if !ps.inUnit {
			continue
		}
		if n > 0 {
			ev.s(", ")
		}
		n++
		ev.pk(i)
		ev.s(" (")
		ev.v(string(ps.p.Role))
		ev.s(", ")
		ev.v(string(ps.intr))
		ev.s(")")
	}
	if n == 0 {
		ev.s("Nobody is in the unit.")
	} else {
		ev.s(".")
	}
	if fc.unitUnknown > 0 {
		ev.s(" The membership of ")
		ev.num(fc.unitUnknown)
		ev.s(" person(s) is unknown: no separation event links them.")
		ev.close(eUnk)
		for i := range ev.ps {
			if ev.ps[i].inUnit && ev.ps[i].unitUk {
				ev.missAbout("separations", "person", i)
			}
		}
	} else {
		ev.close(eMet)
	}
	// D-1: removed members.
	ev.open(tFRemoved)
	nr := 0
	for i := range ev.ps {
		if ev.ps[i].intr != StateRemoved {
			continue
		}
		if nr > 0 {
			ev.s("; ")
		}
		nr++
		ev.pk(i)
		ev.s(" was removed on ")
		ev.date(ev.ps[i].removedOn)
	}
	switch {
	case nr == 0:
		ev.lit("No member of the unit was removed.")
		ev.close(eMet)
	case c.removedOutside && fc.removed > 0:
		ev.s(": outside the U.S. (cfg.removed_member_counts_as=OUTSIDE_UNIT), but the return of ")
		ev.num(fc.removed)
		ev.s(" of them was approved or ordered, so the member is coming back to a screening (D-6, D-7) and the family goes to manual review.")
		ev.close(eManual)
	case c.removedOutside:
		ev.s(": outside the U.S. and outside the unit (cfg.removed_member_counts_as=OUTSIDE_UNIT).")
		ev.close(eMet)
	default:
		ev.s(": the member never finished, and returns are case by case (D-2), so the family goes to manual review (cfg.removed_member_counts_as=MANUAL_REVIEW).")
		ev.close(eManual)
	}
	// F-1.
	ev.open(tFPositive)
	if fc.pos > 0 {
		ev.num(fc.pos)
		ev.s(" member(s) positive or in section 240 proceedings: the family stays.")
		ev.close(eMet)
	} else {
		ev.lit("No member is positive or in section 240 proceedings.")
		ev.close(eExcl)
	}
	// Manual review.
	ev.open(tFManual)
	if fc.man > 0 {
		ev.num(fc.man)
		ev.s(" member(s) need manual review.")
		ev.close(eManual)
	} else {
		ev.lit("No member needs manual review on the member's own records.")
		ev.close(eMet)
	}
	// F-6.
	ev.open(tFPending)
	if fc.pend > 0 {
		ev.num(fc.pend)
		ev.s(" member(s) have not finished: the family is held until every member has.")
		ev.close(eMet)
	} else {
		ev.lit("No member is pending.")
		ev.close(eExcl)
	}
	// H-2: every fact on record.
	ev.open(tFFacts)
	if missing || fc.unk > 0 || fc.unitUnknown > 0 {
		ev.lit("Facts the decision needs are missing (see missing); a missing fact never permits removal.")
		ev.close(eUnk)
		last := len(ev.crits) - 1
		for i := int(g); i < last; i++ {
			ev.missCopy(i)
		}
		if ev.crits[last].m.b == ev.crits[last].m.a {
			// Missing facts of persons and remedies are already listed
			// there; name them here too.
			for j := int32(0); j < ev.crits[last].m.a; j++ {
				ev.miss = append(ev.miss, ev.miss[j])
			}
			ev.crits[last].m.b = int32(len(ev.miss))
		}
	} else {
		ev.lit("Every fact the rules need is on record.")
		ev.close(eMet)
	}
	// F-5, F-4, F-8.
	finishedAll := fc.unfinished() == 0 && fc.removed == 0 && fc.covered
	ev.open(tFWaived)
	counted := fc.neg + fc.waived
	if !c.noClaimExclude {
		counted += fc.noClaim
	}
	if finishedAll && fc.waived > 0 && fc.waived == counted {
		ev.s("Every member of the unit validly waived: a family waiver.")
		ev.close(eMet)
	} else {
		ev.num(fc.waived)
		ev.s(" member(s) validly waived.")
		ev.close(eExcl)
	}
	ev.open(tFFinished)
	switch {
	case !finishedAll:
		ev.lit("Not every member has finished.")
		ev.close(eExcl)
	case counted == 0:
		ev.s("Every member claims no fear and cfg.child_no_claim_as=EXCLUDE leaves them out of the unit: nobody is left to decide, so a person reviews the family.")
		ev.close(eManual)
	case fc.waived > 0 && fc.waived < counted && c.f8Manual:
		ev.s("A mix of waivers and negative determinations: manual review (cfg.f8_mixed_fail_waive=MANUAL_REVIEW).")
		ev.close(eManual)
	default:
		ev.num(fc.neg)
		ev.s(" NEGATIVE, ")
		ev.num(fc.noClaim)
		ev.s(" NO_CLAIM (cfg.child_no_claim_as=")
		if c.noClaimExclude {
			ev.s("EXCLUDE")
		} else {
			ev.s("NEGATIVE")
		}
		ev.s("), ")
		ev.num(fc.waived)
		ev.s(" WAIVED: every member has finished.")
		ev.close(eMet)
	}
	if fc.waived > 0 {
		ev.open(tFPartial)
		if partial {
			ev.s("A partial waiver: the others keep process and hold; the waiving member(s) per cfg.partial_waiver=")
			ev.v(c.partialWaiver)
			ev.s(".")
			ev.close(eExcl)
		} else {
			ev.s("Not a partial waiver.")
			ev.close(eMet)
		}
	}
	// COV-22: the 2023 class.
	ev.open(tF2023)
	switch {
	case !in2023:
		ev.lit("No member in the U.S. is in the 2023 class (or it is not in force).")
		ev.close(eMet)
	case c.cov2023Bar:
		ev.lit("A member in the U.S. is in the 2023 class or under review for it: a release by the 2018 procedures goes to manual review (cfg.cov2023.removal_bar=MANUAL_REVIEW).")
		ev.close(eManual)
	default:
		ev.lit("A member is in the 2023 class; it brings benefits and deadlines only (cfg.cov2023.removal_bar=NONE).")
		ev.close(eMet)
	}
	if pre {
		ev.open(tFPre)
		ev.s("Not in force until ")
		ev.date(c.inForce)
		ev.s(" (cfg.cov2018s.in_force_from); the family is held by the stay until then.")
		ev.close(eExcl)
	}
	// H-2 and F-7.
	ev.open(tFH2)
	if ev.outcome == OutcomeRemovalMay {
		ev.lit("REMOVAL_MAY_PROCEED: the holds are lifted.")
		ev.close(eMet)
		ev.one(tFF7, eMet, "Removal still follows ordinary law and any other stay; only the settlement's bar is lifted.")
	} else {
		ev.s("The outcome is ")
		ev.v(string(ev.outcome))
		ev.s(": the holds stay.")
		ev.close(eExcl)
	}
	ev.famCr = ev.grpEnd(g)
}

// derivedCriteria explains the states the family rules gave a member.
func (ev *evaluator) derivedCriteria(pi int, partial bool) {
	ps := &ev.ps[pi]
	c := ev.c
	g := ev.grp()
	if ps.intr == StateWaived && ps.inUnit && partial {
		ev.open(tStF9)
		ev.s("A partial waiver: cfg.partial_waiver=")
		ev.v(c.partialWaiver)
		switch c.partialWaiver {
		case "MANUAL_REVIEW":
			ev.s(": the waiving member goes to manual review and stays held.")
		case "REMOVE_WAIVER_ONLY":
			ev.s(": this member's own hold is lifted; the others keep process and hold.")
		default:
			ev.s(": the member stays WAIVED and held with the others.")
		}
		ev.close(eExcl)
	}
	if ps.f2 {
		ev.open(tStF12)
		if ev.f2Concluded(pi) {
			ev.s("The positive child's asylum case has concluded: the parent goes to manual review (F-12).")
			ev.close(eManual)
		} else {
			ev.s("A NEGATIVE parent of a positive child stays until the child's asylum case concludes (F-2, H-4).")
			ev.close(eMet)
		}
	}
	if ev.outcome == OutcomeStays && ps.inUnit && !isPositive(ps.intr) {
		ev.open(tStKeepAll)
		switch {
		case ps.f2 || ps.f3:
			ev.s("Linked by a separation event to a positive member.")
			ev.close(eMet)
		case c.anyPositiveKeepsAll:
			ev.s("Kept by a positive member of the unit (cfg.any_positive_keeps_all=true).")
			ev.close(eMet)
		default:
			ev.s("Not linked to a positive member and cfg.any_positive_keeps_all=false: manual review decides whether the member is kept.")
			ev.close(eManual)
		}
	}
	if ps.intr == StateRemoved || (ps.loc == locRemoved && ps.unitRole) {
		ev.open(tStRemoved)
		ev.s("Removed on ")
		ev.date(ps.removedOn)
		switch {
		case ps.intr != StateRemoved:
			ev.s("; not a member of a covered family, so outside the unit.")
			ev.close(eMet)
		case c.removedOutside && ps.inUnit:
			r := &ev.d.ReturnRequests[ev.returnGranted(pi)]
			ev.s("; the return was ")
			ev.v(string(r.State))
			ev.s(" (return_requests[")
			ev.mkey(&r.Meta)
			ev.s("]), so the member is coming back to a screening (D-6, D-7) and stays in the unit: the family goes to manual review even under cfg.removed_member_counts_as=OUTSIDE_UNIT.")
			ev.close(eManual)
		case c.removedOutside:
			ev.s("; outside the U.S. and outside the unit (cfg.removed_member_counts_as=OUTSIDE_UNIT).")
			ev.close(eMet)
		default:
			ev.s("; never finished the process, so the family goes to manual review (cfg.removed_member_counts_as=MANUAL_REVIEW).")
			ev.close(eManual)
		}
	}
	ps.stCr[1] = ev.grpEnd(g)
}

// hold decides the removal hold on one person (H-1 to H-5).
func (ev *evaluator) hold(pi int, partial bool) {
	ps := &ev.ps[pi]
	c := ev.c
	h := &ps.hold
	set := func(held bool, rule string) {
		h.held, h.rule = held, rule
	}
	reason := func() { h.reason.a = ev.mark() }
	lift := func() { h.reason.b = ev.mark(); h.lift.a = ev.mark() }
	done := func() {
		switch {
		case h.useShared:
			h.lift = h.shared
		case h.held:
			h.lift.b = ev.mark()
		default:
			h.reason.b = ev.mark()
			h.lift = span{}
		}
	}
	reason()
	defer done()
	switch {
	case ps.roleOK && !ps.unitRole:
		set(false, "F-10")
		ev.s("A ")
		ev.v(string(ps.p.Role))
		ev.s(", not a parent, guardian or child of the unit: the settlement holds no one in that role.")
		return
	case ps.loc == locRemoved:
		set(false, "D-1")
		ev.s("Removed from the U.S. on ")
		ev.date(ps.removedOn)
		ev.s(": outside the U.S., where no hold applies (H-1 holds members in the U.S.).")
		return
	case ev.outcome == OutcomeRemovalMay && !ps.inUnit:
		set(false, "H-2")
		h.rl = "Not counted in the unit for the F rules (see the member's state); the family outcome is REMOVAL_MAY_PROCEED, so the settlement holds no one (F-7: ordinary law and any other stay still apply)."
		return
	case ev.outcome == OutcomeRemovalMay:
		set(false, "H-2")
		h.rl = "The family outcome is REMOVAL_MAY_PROCEED: every member of the unit finished, so the settlement's hold is lifted (F-7: ordinary law and any other stay still apply)."
		return
	case ev.holdAll:
		set(true, "R-SYS-5")
		h.rl = "The records contradict each other (see the family criteria); contradictory records never permit removal."
		lift()
		h.ll = "the contradictions are resolved by manual review, and then every member of the unit finishes so that the family outcome is REMOVAL_MAY_PROCEED (H-2)"
		return
	case ev.outcome == OutcomeNotCovered:
		set(false, "V-1")
		h.rl = "Nobody in the family is covered by a rule set in force that holds members."
		return
	case !ps.inUnit && ps.cov[ix23].status != NotCovered && ps.cov[ix23].status != NotInForce:
		// The family is not released, and the person is in the 2023 class
		// or under review for it: held, so that no reader takes the person
		// as removable while a person reviews the family.
		set(true, "COV-22")
		ev.s("In the 2023 class, or under review for it (")
		ev.v(string(ps.cov[ix23].status))
		ev.s("); its parole and asylum window are not encoded as a removal bar, so a person reviews removal (cfg.cov2023.removal_bar).")
		lift()
		h.ll = "manual review of the person's 2023 class membership and protections decides, or the 2023 settlement's term ends (T-16)"
		return
	case !ps.inUnit && (ps.proc == ManualReview || ps.proc == CoverageUnk):
		set(true, "V-1")
		h.rl = "The person's coverage is open (see coverage), so the person is held until it is decided."
		lift()
		h.ll = "the person's coverage is decided; then the person is held or released with the family (H-2)"
		return
	case !ps.inUnit:
		set(false, "V-1")
		ev.s("Not a member of the unit the settlement holds: ")
		switch {
		case ps.pre:
			ev.s("outside the June 2018 class.")
		case ps.proc == NotInForce:
			ev.s("no rule set with procedures is in force yet.")
		default:
			ev.s("not covered (see coverage).")
		}
		return
	}
	// A member of the unit, in the U.S. (or of unknown location), in a
	// family that is not released.
	in2023 := ps.cov[ix23].status == Covered || ps.cov[ix23].status == ManualReview || ps.cov[ix23].status == CoverageUnk
	switch {
	case ps.intr == StateWaived && partial && c.partialWaiver == "REMOVE_WAIVER_ONLY" && in2023 && c.cov2023Bar:
		// The 2018 form waives the 2018 settlement's rights only; the 2023
		// class's protections are not encoded as a removal bar, so a
		// person reviews them (cfg.cov2023.removal_bar) before any hold of
		// a member of that class is lifted.
		set(true, "COV-22")
		ev.s("A valid Option B in a partial waiver (cfg.partial_waiver=REMOVE_WAIVER_ONLY), but the member is in the 2023 class or under review for it (")
		ev.v(string(ps.cov[ix23].status))
		ev.s("): a 2018 election waives no 2023 protection, and the 2023 parole and asylum window are not encoded as a removal bar (cfg.cov2023.removal_bar).")
		lift()
		h.ll = "manual review of the member's 2023 class membership and protections decides, or the 2023 settlement's term ends (T-16)"
	case ps.intr == StateWaived && partial && c.partialWaiver == "REMOVE_WAIVER_ONLY":
		set(false, "F-9")
		h.rl = "A valid Option B in a partial waiver; cfg.partial_waiver=REMOVE_WAIVER_ONLY lifts this member's own hold while the others keep theirs."
		return
	case ps.pre:
		set(true, "H-1")
		h.rl = "The family is within the June 2018 class; until the 2018 settlement's procedures are in force, removals of covered families are halted (injunction of 2018-06-26, stay of July 2018)."
		lift()
		ev.s("the 2018 settlement's procedures come into force on ")
		ev.date(c.inForce)
		ev.s(" (cfg.cov2018s.in_force_from), and then every member of the unit finishes so that the family outcome is REMOVAL_MAY_PROCEED (H-2)")
	case ps.intr == StateIn240:
		set(true, "H-3")
		h.rl = "In section 240 proceedings: the settlement's hold is replaced by the proceedings, under which the member is not removable until they end; the whole family stays (F-1)."
		lift()
		h.ll = "the section 240 proceedings end with a final order; ordinary law then governs (H-3)"
	case ps.intr == StatePositive:
		set(true, "F-1")
		h.rl = "Positive: the whole family stays while the claim is pursued (F-1)."
		lift()
		h.ll = "the member's claim is no longer pursued (a final decision in the section 240 proceedings that follow the Notice to Appear, R-P7); until then the hold is not lifted"
	case ps.f2 && ps.state == StateManual:
		set(true, "F-12")
		h.rl = "A NEGATIVE parent of a positive child whose asylum case has concluded: the parent goes to manual review (F-12)."
		lift()
		h.ll = "manual review of the parent decides (F-12)"
	case ps.f2:
		set(true, "H-4")
		h.rl = "A NEGATIVE parent of a positive child: the parent stays until the child's asylum case concludes (F-2)."
		lift()
		ev.s("lifted when the asylum case of ")
		k := 0
		ev.adultSeps(pi, func(_ int, _ *rescreen.Separation, ch int) {
			if ev.ps[ch].inUnit && isPositive(ev.ps[ch].intr) {
				if k > 0 {
					ev.s(" and of ")
				}
				k++
				ev.pk(ch)
			}
		})
		if c.concludedAtAppeals {
			ev.s(" concludes (appeals exhausted, cfg.case_concluded_at)")
		} else {
			ev.s(" concludes (final administrative decision, cfg.case_concluded_at)")
		}
		ev.s(", and then only after manual review of the parent (F-12)")
	case ps.f3:
		set(true, "F-3")
		h.rl = "A child of a positive parent stays with the parent (F-3; the child is held during the parent's case, UNCONFIRMED)."
		lift()
		h.ll = "lifted when the asylum case of the positive parent concludes (cfg.case_concluded_at) and no other member of the unit is positive or unfinished (F-1, H-2)"
	case ev.outcome == OutcomeStays && ps.state == StateManual && !c.anyPositiveKeepsAll:
		set(true, "F-10")
		h.rl = "Not linked to the positive member; cfg.any_positive_keeps_all=false sends the member to manual review."
		lift()
		h.ll = "manual review decides whether the positive member keeps this member (F-10); otherwise lifted only when no member is positive and every member has finished (H-2)"
	case ev.outcome == OutcomeStays:
		set(true, "F-1")
		h.rl = "Kept in the U.S. by a positive member of the unit (F-1, F-10)."
		lift()
		h.ll = "lifted only when no member of the unit is positive or in section 240 proceedings and every member has finished, so that the family outcome is REMOVAL_MAY_PROCEED (H-2)"
	case ps.intr == StateWaived && partial:
		set(true, "F-9")
		ev.s("A valid Option B, but not every member waived: a partial waiver is not a family waiver (F-9, cfg.partial_waiver=")
		ev.v(c.partialWaiver)
		ev.s(").")
		lift()
		if c.partialWaiver == "MANUAL_REVIEW" {
			ev.s("manual review of the partial waiver decides; otherwise lifted with the rest of the family when every member has finished and the outcome is REMOVAL_MAY_PROCEED (H-2); waiting for: ")
		} else {
			ev.s("lifted when every member of the unit has finished and the family outcome is REMOVAL_MAY_PROCEED (H-2); waiting for: ")
		}
		ev.sp(ev.blocker)
	default:
		rule := "H-2"
		if ps.intr == StatePending && !ps.waived && !ps.choiceA && ps.det < 0 {
			rule = "H-5"
		}
		set(true, rule)
		switch ps.intr {
		case StatePending:
			ev.s("Has not finished")
			if rule == "H-5" {
				ev.s(": no valid election form and no determination; a missing or invalid form never lifts a hold, outreach follows (H-5, W2)")
			} else {
				ev.s(": awaiting the review, interview or decision")
			}
			ev.s(".")
		case StateUnknown:
			ev.s("The member's state cannot be decided: facts are missing (see missing).")
		case StateManual:
			ev.s("The member needs manual review (see the member's state criteria).")
		case StateRemoved:
			ev.s("Removed.")
		default:
			ev.s("Finished (")
			ev.v(string(ps.intr))
			switch {
			case ev.bar2023:
				ev.s("), but a member is in the 2023 class, whose parole and asylum window are not encoded as a removal bar: a person reviews removal (cfg.cov2023.removal_bar).")
			case ev.outcome == OutcomeNeedsInfo:
				ev.s("), but facts the decision needs are missing (see missing); a missing fact never permits removal (H-2).")
			case ev.outcome == OutcomeManualReview:
				ev.s("), but the family needs manual review (see the family criteria).")
			default:
				ev.s("), but the unit stays until every member has finished (F-6).")
			}
		}
		if ps.unitUk {
			ev.s(" Whether the person belongs to the unit is not known; the person is held until it is.")
		}
		lift()
		// The lift conditions of the members who wait for the same others
		// are the same sentence: write each once per family and share it.
		var k int
		var prefix string
		switch {
		case ev.bar2023:
			h.ll = "manual review of the family's 2023 class membership and protections decides (cfg.cov2023.removal_bar), or the 2023 settlement's term ends (T-16)"
		case ps.intr == StateManual:
			k, prefix = 1, "manual review resolves the member's case, and then every member of the unit finishes so that the family outcome is REMOVAL_MAY_PROCEED (H-2); waiting for: "
		case ps.intr == StateUnknown:
			k, prefix = 2, "the missing facts are recorded, and then every member of the unit has finished so that the family outcome is REMOVAL_MAY_PROCEED (H-2); waiting for: "
		case ev.outcome == OutcomeManualReview && (ps.intr == StateNegative || ps.intr == StateNoClaim || ps.intr == StateWaived):
			k, prefix = 3, "manual review resolves what the family criteria name, and every member of the unit has finished so that the family outcome is REMOVAL_MAY_PROCEED (H-2); waiting for: "
		default:
			k, prefix = 4, "lifted when every member of the unit has finished (a final, compliant NEGATIVE, NO_CLAIM or a valid Option B) and the family outcome is REMOVAL_MAY_PROCEED (H-2); waiting for: "
		}
		if prefix != "" {
			if sh := ev.liftShare[k]; !sh.empty() && !(ps.unitUk && h.held) {
				h.shared, h.useShared = sh, true
			} else {
				a := ev.mark()
				ev.s(prefix)
				ev.sp(ev.blocker)
				ev.liftShare[k] = ev.since(a)
			}
		}
	}
	if h.held && ps.unitUk && ps.intr != StatePending && ps.intr != StateUnknown && ps.intr != StateManual {
		if h.ll != "" {
			ev.s(h.ll)
			h.ll = ""
		}
		ev.s("; and a separation record settles whether the person belongs to the unit")
	}
}
