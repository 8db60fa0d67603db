package rules

import (
	"rescreen"
	"rescreen/calendar"
)

// Deadline statuses and day types.
const (
	dlOpen   = "OPEN"
	dlMet    = "MET"
	dlMissed = "MISSED"
	dlEnded  = "ENDED"
	dlNeeds  = "NEEDS_INFORMATION"

	dtCalendar = "CALENDAR_DAYS"
	dtBusiness = "BUSINESS_DAYS"
	dtMonths   = "MONTHS"
	dtYears    = "YEARS"
)

// The 2023 settlement's fixed dates (T-15 to T-17).
var (
	dateT15Extended = rescreen.NewDate(2026, 12, 11)
	dateT16Term     = rescreen.NewDate(2029, 12, 11)
	dateT16Extended = rescreen.NewDate(2030, 12, 11)
	dateT16Limits   = rescreen.NewDate(2031, 12, 11)
)

func addMonths(d rescreen.Date, n int) rescreen.Date {
	return rescreen.Date(calendar.AddMonths(calendar.Date(d), n))
}

// addDays counts n days from start as cfg.day_type and cfg.weekend_roll
// say; no source says whether the settlement's day counts are calendar or
// business days (settlement.md section 5).
func (ev *evaluator) addDays(start rescreen.Date, n int) (rescreen.Date, string) {
	cd := calendar.Date(start)
	var due calendar.Date
	dt := dtCalendar
	if ev.c.businessDays {
		due, dt = calendar.AddBusinessDays(cd, n), dtBusiness
	} else {
		due = calendar.AddDays(cd, n)
	}
	switch ev.c.weekendRoll {
	case "FORWARD":
		due = calendar.RollForward(due)
	case "BACKWARD":
		due = calendar.RollBackward(due)
	}
	return rescreen.Date(due), dt
}

// t1Due is the end of class counsel's 30 days to choose deported parents'
// cases (T-1, D-4).
func (ev *evaluator) t1Due() (rescreen.Date, string) {
	due, dt := ev.addDays(ev.c.t1Anchor, 30)
	if ev.c.weekendRoll != "NONE" {
		dt += ", rolled " + ev.c.weekendRoll
	}
	return due, dt
}

// daysBetween counts days as cfg.day_type says.
func (ev *evaluator) daysBetween(a, b rescreen.Date) int {
	if ev.c.businessDays {
		return calendar.BusinessDaysBetween(calendar.Date(a), calendar.Date(b))
	}
	return calendar.DaysBetween(calendar.Date(a), calendar.Date(b))
}

// t17InForce reports whether the 2025 extensions apply on the as-of date.
func (ev *evaluator) t17InForce() bool {
	return !ev.c.t17Order.IsZero() && !ev.asOf.Before(ev.c.t17Order)
}

func (ev *evaluator) addDL(d Deadline, detail span) {
	ev.dls = append(ev.dls, dlOut{d: d, detail: detail})
}

func (ev *evaluator) deadlines() {
	for pi := range ev.ps {
		a := int32(len(ev.dls))
		ev.personDeadlines(pi)
		ev.ps[pi].dl = span{a, int32(len(ev.dls))}
	}
}

func (ev *evaluator) personDeadlines(pi int) {
	ps := &ev.ps[pi]
	for k := 0; k < ps.nrem; k++ {
		if ps.rem[k].kind == RemedyReturnRequest {
			ev.deadlineT1(pi)
		}
	}
	if ps.proc == Covered && !ps.pre && ps.loc != locRemoved {
		ev.deadlineT2W9(pi)
	}
	if ps.cov[ix19].status == Covered && ps.cov[ix18June].status != Covered && ps.cov[ix18S].status != Covered {
		ev.deadlineT5(pi)
	}
	if s := ps.cov[ix23].status; s == Covered || s == ManualReview {
		ev.deadlines2023(pi)
	}
	ev.benefitDeadlines(pi)
}

func (ev *evaluator) deadlineT1(pi int) {
	due, dt := ev.t1Due()
	d := Deadline{ID: "T-1", Rule: "D-4", Title: "Class counsel chooses the deported parent's case", Start: ev.c.t1Anchor, Due: due, DayType: dtCalendar, Length: 30}
	if ev.c.businessDays {
		d.DayType = dtBusiness
	}
	a := ev.mark()
	req := -1
	for i := range ev.d.ReturnRequests {
		r := &ev.d.ReturnRequests[i]
		if ev.retOwner[i] == int32(pi) && ev.seen(r.SubmittedOn) && (req < 0 || r.SubmittedOn.After(ev.d.ReturnRequests[req].SubmittedOn)) {
			req = i
		}
	}
	switch {
	case req >= 0 && ev.d.ReturnRequests[req].SubmittedOn.IsZero():
		d.Status = dlNeeds
		ev.s("A return request with no submission date.")
	case req >= 0:
		sub := ev.d.ReturnRequests[req].SubmittedOn
		ev.s("Request submitted ")
		ev.date(sub)
		if sub.After(due) {
			d.Status = dlMissed
			ev.s(", after the window (LATE).")
		} else {
			d.Status = dlMet
			ev.s(", within the window.")
		}
	case ev.asOf.After(due):
		d.Status = dlMissed
		ev.s("No request within the window.")
	default:
		d.Status = dlOpen
		ev.s("No request yet.")
	}
	ev.s(" Day 0 is ")
	ev.date(ev.c.t1Anchor)
	ev.s(" (cfg.t1_anchor); ")
	ev.v(dt)
	ev.s(" (cfg.day_type, cfg.weekend_roll); the day type is not in the sources.")
	ev.addDL(d, ev.since(a))
}

// deadlineT2W9 reports the wait from an Option A election to the interview
// (T-2, R-P9) and to the decision (W9).
func (ev *evaluator) deadlineT2W9(pi int) {
	ps := &ev.ps[pi]
	if !ps.choiceA || ps.electedOn.IsZero() {
		return
	}
	start := ps.electedOn
	var interview, decided rescreen.Date
	if ps.det >= 0 {
		s := &ev.d.Screenings[ps.det]
		if !s.On.IsZero() && ev.seen(s.On) {
			interview = s.On
		}
		if ok, res, dt := ev.scrView(s); ok && decided2(res) {
			decided = dt
		}
	}
	// T-2.
	d := Deadline{ID: "T-2", Rule: "R-P9", Title: "Orientation and interview begin after the election", Start: start, DayType: dtCalendar}
	if ev.c.businessDays {
		d.DayType = dtBusiness
	}
	a := ev.mark()
	if ev.c.t2Set {
		d.Due, _ = ev.addDays(start, ev.c.t2Days)
		d.Length = ev.c.t2Days
		switch {
		case !interview.IsZero() && !interview.After(d.Due):
			d.Status = dlMet
			ev.s("Interviewed ")
			ev.date(interview)
			ev.s(", within cfg.t2_days.")
		case !interview.IsZero():
			d.Status = dlMissed
			ev.s("Interviewed ")
			ev.date(interview)
			ev.s(", after the due date.")
		case ev.asOf.After(d.Due):
			d.Status = dlMissed
			ev.s("No interview by the due date.")
		default:
			d.Status = dlOpen
			ev.s("No interview yet.")
		}
	} else if !interview.IsZero() && interview.Before(start) {
		// A form received after the interview (signed again, or
		// recorded late): there was no wait to report.
		d.Status = dlMet
		ev.s("Interviewed on ")
		ev.date(interview)
		ev.s(", before the election was received; no wait to report.")
	} else {
		end := ev.asOf
		if !interview.IsZero() {
			end = interview
			d.Status = dlMet
		} else {
			d.Status = dlOpen
		}
		d.Length = ev.daysBetween(start, end)
		ev.num(d.Length)
		if !interview.IsZero() {
			ev.s(" days from the election to the interview on ")
			ev.date(interview)
		} else {
			ev.s(" days since the election, with no interview yet")
		}
		ev.s("; \"within days\" has no number (cfg.t2_days unset), so only the elapsed time is reported.")
	}
	ev.addDL(d, ev.since(a))
	// W9.
	w := Deadline{ID: "W9", Rule: "W9", Title: "Wait from the election to the decision", Start: start, DayType: dtCalendar}
	a = ev.mark()
	end := ev.asOf
	if !decided.IsZero() {
		end = decided
		w.Due = decided
		w.Status = dlMet
	} else {
		w.Status = dlOpen
	}
	w.Length = calendar.DaysBetween(calendar.Date(start), calendar.Date(end))
	if w.Length < 0 {
		// Decided before the election was received: no wait.
		w.Length = 0
		ev.s("Decided on ")
		ev.date(decided)
		ev.s(", before the election was received; no wait to report.")
		ev.addDL(w, ev.since(a))
		return
	}
	ev.num(w.Length)
	if decided.IsZero() {
		ev.s(" calendar days waited so far without a decision.")
	} else {
		ev.s(" calendar days from the election to the decision.")
	}
	ev.addDL(w, ev.since(a))
}

func decided2(r rescreen.ScreeningResult) bool {
	return r == rescreen.ResultPositive || r == rescreen.ResultNegative || r == rescreen.ResultNoClaim
}

func (ev *evaluator) deadlineT5(pi int) {
	p := ev.ps[pi].p
	due := addMonths(dateT5Start, 6)
	d := Deadline{ID: "T-5", Rule: "COV-21", Title: "Government identifies the expanded-class member", Start: dateT5Start, Due: due, DayType: dtMonths, Length: 6}
	a := ev.mark()
	id := p.ClassIdentifiedOn
	switch {
	case !id.IsZero() && ev.seen(id) && !id.After(due):
		d.Status = dlMet
		ev.s("Identified ")
		ev.date(id)
		ev.s(".")
	case !id.IsZero() && ev.seen(id):
		d.Status = dlMissed
		ev.s("Identified ")
		ev.date(id)
		ev.s(", after the deadline.")
	case !ev.asOf.After(due):
		d.Status = dlOpen
		ev.s("Not yet identified.")
	default:
		d.Status = dlNeeds
		ev.s("No identification date recorded.")
	}
	ev.addDL(d, ev.since(a))
}

// deadlines2023 reports the asylum window (T-15), the settlement's term
// (T-16) and the 2025 extension (T-17). With the order date unset, the
// extended dates are reported and a status that turns on them is
// NEEDS_INFORMATION, never MISSED: a filing that may be on time is never
// called late.
func (ev *evaluator) deadlines2023(pi int) {
	ps := &ev.ps[pi]
	p := ps.p
	c := ev.c
	ext := ev.t17InForce()
	// T-15: the anchor.
	start := date2023Effective
	late := !p.TaskForceClaimOn.IsZero() && p.TaskForceClaimOn.After(date2023Effective) && ev.seen(p.TaskForceClaimOn)
	d := Deadline{ID: "T-15", Rule: "T-15", Title: "2023 asylum filing window", DayType: dtYears, Length: 2}
	a := ev.mark()
	anchorKnown := true
	if late {
		switch c.t15Late {
		case "EFFECTIVE_DATE":
			ev.s("Claimed after the effective date; anchored on 2023-12-11 (cfg.t15_anchor_late_members=EFFECTIVE_DATE). ")
		case "CLAIM_DATE":
			start = p.TaskForceClaimOn
			ev.s("Claimed after the effective date; anchored on the claim date (cfg.t15_anchor_late_members=CLAIM_DATE). ")
		default:
			anchorKnown = false
			ev.s("Claimed on ")
			ev.date(p.TaskForceClaimOn)
			ev.s(", after the effective date: the anchor for later members is unknown (cfg.t15_anchor_late_members=MANUAL_REVIEW).")
		}
	}
	d.Start = start
	base := addMonths(start, 24)
	extended := addMonths(start, 36)
	filed := rescreen.Date{}
	for i := range ev.d.Proceedings {
		x := &ev.d.Proceedings[i]
		if ev.procOwner[i] == int32(pi) && x.Kind == rescreen.ProcAsylumAppl && !x.Opened.IsZero() && ev.seen(x.Opened) {
			if filed.IsZero() || x.Opened.Before(filed) {
				filed = x.Opened
			}
		}
	}
	if !anchorKnown {
		d.Status = dlNeeds
	} else {
		d.Due = base
		if ext {
			d.Due = extended
		}
		switch {
		case !filed.IsZero() && !filed.After(d.Due):
			d.Status = dlMet
			ev.s("Asylum application filed ")
			ev.date(filed)
			ev.s(", on time.")
		case !filed.IsZero() && (ext || c.t17Order.IsZero() && filed.After(extended)):
			d.Status = dlMissed
			ev.s("Asylum application filed ")
			ev.date(filed)
			ev.s(", after the deadline.")
		case !filed.IsZero() && c.t17Order.IsZero():
			d.Status = dlNeeds
			ev.s("Asylum application filed ")
			ev.date(filed)
			ev.s(": late against the base deadline ")
			ev.date(base)
			ev.s(", on time against the T-17 extended deadline ")
			ev.date(extended)
			ev.s(", which applies once the 2025 order's date is set (cfg.t17_order_date).")
		case !filed.IsZero():
			d.Status = dlMissed
			ev.s("Asylum application filed ")
			ev.date(filed)
			ev.s(", after the base deadline; the 2025 extension is not in force until ")
			ev.date(c.t17Order)
			ev.s(".")
		case !ev.asOf.After(d.Due):
			d.Status = dlOpen
			ev.s("No asylum application on record; the window is open.")
			if c.t17Order.IsZero() {
				ev.s(" Under the 2025 extension it runs to ")
				ev.date(extended)
				ev.s(" (cfg.t17_order_date unset).")
			}
		case c.t17Order.IsZero() && !ev.asOf.After(extended):
			d.Status = dlNeeds
			ev.s("No asylum application on record; past the base deadline ")
			ev.date(base)
			ev.s(" but within the T-17 extension to ")
			ev.date(extended)
			ev.s(", which applies once the 2025 order's date is set (cfg.t17_order_date).")
		default:
			d.Status = dlMissed
			ev.s("No asylum application on record by the deadline.")
		}
		if ext {
			ev.s(" Extended by one year under T-17 (order of ")
			ev.date(c.t17Order)
			ev.s(").")
		}
	}
	ev.addDL(d, ev.since(a))
	// T-16: the term, and the limits on separations.
	term := dateT16Term
	if ext {
		term = dateT16Extended
	}
	t := Deadline{ID: "T-16", Rule: "T-16", Title: "2023 settlement term", Start: date2023Effective, Due: term, DayType: dtYears, Length: 6}
	a = ev.mark()
	if ev.asOf.After(term) {
		t.Status = dlEnded
	} else {
		t.Status = dlOpen
	}
	ev.s("Derived date (UNCONFIRMED)")
	if ext {
		ev.s(", extended by one year under T-17")
	}
	ev.s(".")
	ev.addDL(t, ev.since(a))
	l := Deadline{ID: "T-16", Rule: "T-16", Title: "2023 settlement limits on separations", Start: date2023Effective, Due: dateT16Limits, DayType: dtYears, Length: 8}
	a = ev.mark()
	if ev.asOf.After(dateT16Limits) {
		l.Status = dlEnded
	} else {
		l.Status = dlOpen
	}
	ev.s("Derived date (UNCONFIRMED).")
	ev.addDL(l, ev.since(a))
	// T-17: the extension itself.
	x := Deadline{ID: "T-17", Rule: "T-17", Title: "2025 extension of the asylum filing deadline (+1 year)", Start: c.t17Order, Due: dateT15Extended, DayType: dtYears, Length: 1}
	a = ev.mark()
	switch {
	case c.t17Order.IsZero():
		x.Status = dlNeeds
		ev.s("The 2025 order's date is not in the sources (cfg.t17_order_date unset): the extended deadline ")
		ev.date(dateT15Extended)
		ev.s(" and termination ")
		ev.date(dateT16Extended)
		ev.s(" are reported, and a status that turns on them needs the date.")
	case ext:
		x.Status = dlOpen
		if ev.asOf.After(dateT15Extended) {
			x.Status = dlEnded
		}
		ev.s("In force from ")
		ev.date(c.t17Order)
		ev.s(".")
	default:
		x.Status = dlOpen
		ev.s("Not yet in force; the order takes effect on ")
		ev.date(c.t17Order)
		ev.s(".")
	}
	ev.addDL(x, ev.since(a))
}

// benefitDeadlines reports the 2023 benefit periods (T-10 to T-14) and
// Task Force parole (T-18), with the 2025 six-month extension (T-17).
func (ev *evaluator) benefitDeadlines(pi int) {
	c := ev.c
	ext := ev.t17InForce()
	for i := range ev.d.Benefits {
		if ev.benOwner[i] != int32(pi) {
			continue
		}
		b := &ev.d.Benefits[i]
		if !ev.seen(b.GrantedOn) || !ev.seen(b.StartsOn) {
			continue
		}
		var d Deadline
		anchor := b.GrantedOn
		anchorName := "granted_on"
		months := 0
		switch b.Kind {
		case "PAROLE":
			if !b.GrantedOn.IsZero() && b.GrantedOn.Before(date2023Effective) {
				d = Deadline{ID: "T-18", Rule: "T-18", Title: "Task Force parole (at least three years from arrival)"}
				anchor, anchorName = b.StartsOn, "starts_on"
			} else {
				d = Deadline{ID: "T-10", Rule: "T-10", Title: "2023 parole"}
			}
			months = 36
		case "WORK_AUTHORIZATION":
			d = Deadline{ID: "T-11", Rule: "T-11", Title: "2023 work authorization"}
			months = 36
		case "HOUSING":
			d = Deadline{ID: "T-12", Rule: "T-12", Title: "2023 housing assistance"}
			anchor, anchorName, months = b.StartsOn, "starts_on", 12
		case "MEDICAL":
			d = Deadline{ID: "T-13", Rule: "T-13", Title: "2023 medical assistance"}
			anchor, anchorName, months = b.StartsOn, "starts_on", 12
		case "BEHAVIORAL_HEALTH":
			d = Deadline{ID: "T-14", Rule: "T-14", Title: "2023 behavioral health services"}
			anchor, anchorName, months = b.StartsOn, "starts_on", 36
		default:
			continue
		}
		d.DayType = dtMonths
		d.Length = months
		d.Start = anchor
		a := ev.mark()
		ev.s("benefits[")
		ev.mkey(&b.Meta)
		ev.s("]")
		if anchor.IsZero() {
			d.Status = dlNeeds
			ev.s(": ")
			ev.v(anchorName)
			ev.s(" is not recorded (the anchor is UNCONFIRMED).")
			ev.addDL(d, ev.since(a))
			continue
		}
		due := addMonths(anchor, months)
		if ext && d.ID != "T-18" && (!c.t17Unexpired || !due.Before(c.t17Order)) {
			due = addMonths(due, 6)
			ev.s(": extended by six months under T-17 (cfg.t17_six_month_scope=")
			if c.t17Unexpired {
				ev.s("UNEXPIRED_AT_ORDER")
			} else {
				ev.s("PER_PERSON_EXPIRY")
			}
			ev.s(")")
		} else if ext && d.ID != "T-18" {
			ev.s(": expired before the 2025 order, so not extended (cfg.t17_six_month_scope=UNEXPIRED_AT_ORDER)")
		}
		d.Due = due
		if ev.asOf.After(due) {
			d.Status = dlEnded
		} else {
			d.Status = dlOpen
		}
		if !b.EndsOn.IsZero() && b.EndsOn != due {
			ev.s("; the record's own end date is ")
			ev.date(b.EndsOn)
		}
		ev.s(".")
		ev.addDL(d, ev.since(a))
	}
}
