package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"rescreen"
	"rescreen/access"
	"rescreen/calendar"
	"rescreen/report"
	"rescreen/sqlstore"
)

// The court's record (rescreen.CourtService): the cases, the courts'
// approvals of the settlement, the class members' objections, and
// deadlines entered from court orders with their ledgers. Every change is
// validated in full before anything is written (each problem a field
// error), checked against the caller's access (COURT, and the family a
// deadline or an objector belongs to), and written with its audit event
// in one transaction. The due dates come from package calendar's Clock,
// rebuilt from the stored ledger on every read, so the rules of holds,
// extensions and revocations live in one place.

var _ rescreen.CourtService = (*Service)(nil)

// Longest run of a court-order deadline, per unit: ten years.
var maxDeadlineLength = map[rescreen.DeadlineUnit]int{
	rescreen.UnitCalendarDays: 3660, rescreen.UnitBusinessDays: 2610, rescreen.UnitMonths: 120, rescreen.UnitYears: 10,
}

// maxExtension bounds one extension's days or months.
const maxExtension = 3660

// mayCourt refuses, with EFORBIDDEN, a caller who may not use the court's
// record at the level; the process's own calls may.
func mayCourt(ctx context.Context, level access.Level) error {
	p, ok := access.FromContext(ctx)
	if !ok {
		return nil
	}
	if d := access.Decide(p, access.Need{Group: access.Court, Level: level}, nil); !d.Allow {
		verb := "read"
		if level == access.Write {
			verb = "change"
		}
		return rescreen.Errorf(rescreen.EFORBIDDEN, "You may not %s the court's record: %s.", verb, d.Reason)
	}
	return nil
}

// problems collects field errors.
type problems []rescreen.FieldError

func (p *problems) add(field, format string, args ...any) {
	*p = append(*p, rescreen.FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
}

func (p problems) err(op string) error {
	if len(p) == 0 {
		return nil
	}
	return (&rescreen.ValidationError{Problems: p}).AsError(op)
}

// text checks a text field and returns it trimmed; required text must not
// be empty.
func (p *problems) text(field, v string, long, required bool) string {
	v = strings.TrimSpace(v)
	switch {
	case v == "" && required:
		p.add(field, "is required")
	case v != "":
		if msg := rescreen.CheckText(v, long); msg != "" {
			p.add(field, "%s", msg)
		}
	}
	return v
}

// date checks a date: required if asked, within 1900-2100 and, unless
// future is allowed, not after today.
func (p *problems) date(field string, d rescreen.Date, today rescreen.Date, required, future bool) {
	switch {
	case d.IsZero():
		if required {
			p.add(field, "is required")
		}
	case !calendar.Date(d).Valid():
		p.add(field, "%s is not a valid date", d)
	case d.Year < 1900 || d.Year > 2100:
		p.add(field, "%s is outside 1900-2100", d)
	case !future && d.After(today):
		p.add(field, "%s is in the future (today is %s)", d, today)
	}
}

// notBefore reports a later date that comes before an earlier one.
func (p *problems) notBefore(field string, later, earlier rescreen.Date, what string) {
	if !later.IsZero() && !earlier.IsZero() && later.Before(earlier) {
		p.add(field, "%s is before %s (%s)", later, what, earlier)
	}
}

func (s *Service) today() rescreen.Date { return rescreen.DateOf(s.Now().UTC()) }

// courtAudit appends the audit event of a change to the court's record.
func courtAudit(ctx context.Context, tx *sqlstore.Tx, now time.Time, action string, fam rescreen.FamilyID, subject string, before, after any) error {
	enc := func(v any) json.RawMessage {
		if v == nil {
			return nil
		}
		b, _ := json.Marshal(v)
		return b
	}
	return tx.AppendAudit(ctx, &rescreen.AuditEvent{At: now, Actor: rescreen.ActorFrom(ctx), Action: action, FamilyID: fam,
		Subject: subject, Before: enc(before), After: enc(after)})
}

// --- Cases and approvals ---

// CourtCases returns the cases with their approvals in force (preliminary
// first) and the entries later ones corrected.
func (s *Service) CourtCases(ctx context.Context) ([]rescreen.CourtCase, error) {
	if err := mayCourt(ctx, access.Read); err != nil {
		return nil, err
	}
	cases, err := s.DB.CourtCases(ctx)
	if err != nil {
		return nil, err
	}
	approvals, err := s.DB.Approvals(ctx)
	if err != nil {
		return nil, err
	}
	at := map[string]int{}
	for i := range cases {
		at[cases[i].ID] = i
		cases[i].Approvals = []rescreen.Approval{}
	}
	for _, a := range approvals {
		i, ok := at[a.Case]
		if !ok {
			continue
		}
		if a.CorrectedBy == "" {
			cases[i].Approvals = append(cases[i].Approvals, a)
		} else {
			cases[i].Corrected = append(cases[i].Corrected, a)
		}
	}
	for i := range cases {
		slices.SortStableFunc(cases[i].Approvals, func(a, b rescreen.Approval) int {
			return slices.Index(rescreen.ApprovalKind("").Values(), string(a.Kind)) - slices.Index(rescreen.ApprovalKind("").Values(), string(b.Kind))
		})
	}
	return cases, nil
}

// RecordApproval records a court's approval of the settlement in a case.
// The date may not be in the future, a final approval may not precede the
// case's preliminary one (nor a preliminary follow the final), and an
// approval of a kind already on record corrects it: the reason is then
// required, and the earlier entry is kept.
func (s *Service) RecordApproval(ctx context.Context, in rescreen.ApprovalInput) (*rescreen.Approval, error) {
	if err := mayCourt(ctx, access.Write); err != nil {
		return nil, err
	}
	today := s.today()
	var probs problems
	in.Case = strings.TrimSpace(in.Case)
	if in.Case == "" {
		probs.add("case", "is required")
	}
	in.Kind = rescreen.ApprovalKind(strings.ToUpper(strings.TrimSpace(string(in.Kind))))
	switch {
	case in.Kind == "":
		probs.add("kind", "is required")
	case !slices.Contains(in.Kind.Values(), string(in.Kind)):
		probs.add("kind", "%q is not PRELIMINARY or FINAL", in.Kind)
	}
	probs.date("on", in.On, today, true, false)
	in.Order = probs.text("order", in.Order, false, true)
	in.Correction = probs.text("correction", in.Correction, true, false)
	if err := probs.err("record approval"); err != nil {
		return nil, err
	}
	now := s.Now().UTC()
	a := &rescreen.Approval{ID: s.NewID("CA"), Case: in.Case, Kind: in.Kind, On: in.On, Order: in.Order,
		EnteredBy: rescreen.ActorFrom(ctx), EnteredAt: now, Correction: in.Correction}
	err := s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
		var probs problems
		if ok, err := tx.CourtCaseExists(ctx, in.Case); err != nil {
			return err
		} else if !ok {
			probs.add("case", "%q is not a case of the settlement", in.Case)
			return probs.err("record approval")
		}
		prior, corrects, err := tx.ApprovalInForce(ctx, in.Case, in.Kind)
		if err != nil {
			return err
		}
		switch {
		case corrects && in.Correction == "":
			probs.add("correction", "the case already has a %s approval on record (%s, %s); to correct it, say why", strings.ToLower(string(in.Kind)), prior.On, prior.Order)
		case corrects && prior.On == in.On && prior.Order == in.Order:
			probs.add("on", "is the approval already on record (%s, %s)", prior.On, prior.Order)
		case !corrects && in.Correction != "":
			probs.add("correction", "there is no %s approval on record to correct", strings.ToLower(string(in.Kind)))
		}
		other := rescreen.ApprovalFinal
		if in.Kind == rescreen.ApprovalFinal {
			other = rescreen.ApprovalPreliminary
		}
		o, ok, err := tx.ApprovalInForce(ctx, in.Case, other)
		if err != nil {
			return err
		}
		switch {
		case ok && in.Kind == rescreen.ApprovalFinal && in.On.Before(o.On):
			probs.add("on", "%s is before the case's preliminary approval (%s)", in.On, o.On)
		case ok && in.Kind == rescreen.ApprovalPreliminary && in.On.After(o.On):
			probs.add("on", "%s is after the case's final approval (%s)", in.On, o.On)
		}
		if err := probs.err("record approval"); err != nil {
			return err
		}
		var before any
		if corrects {
			a.Corrects = prior.ID
			before = prior
		}
		if err := tx.InsertApproval(ctx, a); err != nil {
			return err
		}
		return courtAudit(ctx, tx, now, "court.approval", "", "case:"+in.Case, before, a)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// --- Objections ---

// Objections returns the objections, the latest received first, with the
// objector masked where the caller may not know who objected (see
// maskObjections).
func (s *Service) Objections(ctx context.Context) ([]rescreen.Objection, error) {
	if err := mayCourt(ctx, access.Read); err != nil {
		return nil, err
	}
	os, err := s.DB.Objections(ctx)
	if err != nil {
		return nil, err
	}
	if os == nil {
		os = []rescreen.Objection{}
	}
	return os, s.fillObjectors(ctx, os)
}

// Objection returns one objection, masked as Objections masks it.
func (s *Service) Objection(ctx context.Context, id string) (*rescreen.Objection, error) {
	if err := mayCourt(ctx, access.Read); err != nil {
		return nil, err
	}
	o, ok, err := s.DB.Objection(ctx, id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, rescreen.Errorf(rescreen.ENOTFOUND, "objection %s not found", id)
	}
	os := []rescreen.Objection{o}
	if err := s.fillObjectors(ctx, os); err != nil {
		return nil, err
	}
	return &os[0], nil
}

// fillObjectors names each objector by their person record and masks
// what the caller may not read. Who objected is personal data: an
// objector on record as a person is shown to whoever may read that
// person's identity in the person's family (IDENTITY, and MINORS for a
// minor); one known only by a name as written belongs to no family and
// is shown to a caller who keeps the objections (COURT write) and reads
// identities (IDENTITY). Anyone else sees initials, and no summary,
// which is the objector's own words.
func (s *Service) fillObjectors(ctx context.Context, os []rescreen.Objection) error {
	persons := map[rescreen.PersonID]*rescreen.Person{}
	var fams []rescreen.FamilyID
	for _, o := range os {
		if o.Person == "" || persons[o.Person] != nil {
			continue
		}
		row, ok, err := s.DB.Record(ctx, string(o.Person))
		if err != nil {
			return err
		}
		p := &rescreen.Person{}
		if ok && row.Kind == rescreen.KindPersons {
			if err := json.Unmarshal(row.Data, p); err != nil {
				return rescreen.WrapError(rescreen.EINTERNAL, "objections", err, "")
			}
		}
		persons[o.Person] = p
		fams = append(fams, o.Family)
	}
	for i := range os {
		if p := persons[os[i].Person]; p != nil {
			os[i].PersonName = p.FullName()
		}
	}
	pr, ok := access.FromContext(ctx)
	if !ok {
		return nil
	}
	lvs, err := s.levelsOf(ctx, fams)
	if err != nil {
		return err
	}
	keeper := access.Decide(pr, access.Need{Group: access.Court, Level: access.Write}, nil).Allow && pr.Reach(access.Need{Group: access.Identity, Level: access.Read}).Any
	today := s.today()
	for i := range os {
		o := &os[i]
		visible := keeper
		if o.Person != "" {
			p := persons[o.Person]
			visible = !identityHidden(lvs[o.Family], p.Role, p.BirthDate, today)
		}
		if !visible {
			o.Masked = true
			o.Name, o.PersonName, o.Summary = Initials(o.Name), Initials(o.PersonName), ""
			o.Person, o.PersonKey, o.Family = "", "", ""
		}
	}
	return nil
}

// personRecord finds a person record by its id (P-…) or its source key
// (SOURCE:SOURCE_ID, as the family page shows it).
func personRecord(ctx context.Context, tx *sqlstore.Tx, ref string) (sqlstore.RecordRow, bool, error) {
	var row sqlstore.RecordRow
	var ok bool
	var err error
	if src, sid := rescreen.Ref(ref).Split(); src != "" {
		row, ok, err = tx.RecordByKey(ctx, rescreen.KindPersons, src, sid)
	} else {
		row, ok, err = tx.RecordByID(ctx, ref)
	}
	if err != nil || !ok || row.Kind != rescreen.KindPersons {
		return row, false, err
	}
	return row, true, nil
}

// objector resolves an objector's person record, by id or source key: its
// id and family, if the caller may read the person's identity there. A
// record that is not a person's, or that the caller may not read, is
// reported as not on record, so that a form cannot probe for persons out
// of reach.
func (s *Service) objector(ctx context.Context, tx *sqlstore.Tx, ref string) (rescreen.PersonID, rescreen.FamilyID, bool, error) {
	row, ok, err := personRecord(ctx, tx, ref)
	if err != nil || !ok {
		return "", "", false, err
	}
	id, fam := rescreen.PersonID(row.ID), row.FamilyID
	if _, ok := access.FromContext(ctx); !ok {
		return id, fam, true, nil
	}
	var p rescreen.Person
	if err := json.Unmarshal(row.Data, &p); err != nil {
		return "", "", false, rescreen.WrapError(rescreen.EINTERNAL, "objection", err, "")
	}
	units, _, err := tx.FamilyUnitsOf(ctx, fam)
	if err != nil {
		return "", "", false, err
	}
	if identityHidden(s.levelsFor(ctx, fam, units), p.Role, p.BirthDate, s.today()) {
		return "", "", false, nil
	}
	return id, fam, true, nil
}

// checkRuling checks the forwarding and the ruling of an objection
// received on received.
func checkRuling(probs *problems, received, forwarded rescreen.Date, ruling *rescreen.Ruling, rulingOn rescreen.Date, order *string, today rescreen.Date) {
	probs.date("forwarded_on", forwarded, today, false, false)
	probs.notBefore("forwarded_on", forwarded, received, "the day it was received")
	*ruling = rescreen.Ruling(strings.ToUpper(strings.TrimSpace(string(*ruling))))
	if *ruling != "" && !slices.Contains(ruling.Values(), string(*ruling)) {
		probs.add("ruling", "%q is not one of %s", *ruling, strings.Join(ruling.Values(), ", "))
	}
	probs.date("ruling_on", rulingOn, today, false, false)
	switch {
	case *ruling != "" && rulingOn.IsZero():
		probs.add("ruling_on", "is required with a ruling")
	case *ruling == "" && !rulingOn.IsZero():
		probs.add("ruling", "is required with a ruling date")
	}
	probs.notBefore("ruling_on", rulingOn, received, "the day it was received")
	probs.notBefore("ruling_on", rulingOn, forwarded, "the day it was forwarded")
	*order = probs.text("ruling_order", *order, false, false)
	if *order != "" && *ruling == "" {
		probs.add("ruling_order", "is given without a ruling")
	}
}

// RecordObjection records a class member's objection: the objector by
// person record (which must be on record and readable by the caller) or by
// name as written, the day it was received (not in the future), how it
// came, its language, a summary, the objector's counsel, and optionally
// the forwarding and the ruling (neither before the day received, the
// ruling not before the forwarding).
func (s *Service) RecordObjection(ctx context.Context, in rescreen.ObjectionInput) (*rescreen.Objection, error) {
	if err := mayCourt(ctx, access.Write); err != nil {
		return nil, err
	}
	today := s.today()
	var probs problems
	in.Case = strings.TrimSpace(in.Case)
	if in.Case == "" {
		probs.add("case", "is required")
	}
	in.Person = strings.TrimSpace(in.Person)
	in.Name = probs.text("name", in.Name, false, false)
	if in.Person == "" && in.Name == "" && !slices.ContainsFunc(probs, func(f rescreen.FieldError) bool { return f.Field == "name" }) {
		probs.add("name", "the objector's name as written, or their person record, is required")
	}
	probs.date("received_on", in.ReceivedOn, today, true, false)
	in.Channel = rescreen.ObjectionChannel(strings.ToUpper(strings.TrimSpace(string(in.Channel))))
	switch {
	case in.Channel == "":
		probs.add("channel", "is required")
	case !slices.Contains(in.Channel.Values(), string(in.Channel)):
		probs.add("channel", "%q is not one of %s", in.Channel, strings.Join(in.Channel.Values(), ", "))
	}
	in.Language = strings.ToLower(probs.text("language", in.Language, false, false))
	if in.Language != "" && !rescreen.IsLanguage(in.Language) {
		probs.add("language", "%q is not an ISO 639 language code", in.Language)
	}
	in.Summary = probs.text("summary", in.Summary, true, true)
	in.Counsel = probs.text("counsel", in.Counsel, false, false)
	checkRuling(&probs, in.ReceivedOn, in.ForwardedOn, &in.Ruling, in.RulingOn, &in.RulingOrder, today)
	if err := probs.err("record objection"); err != nil {
		return nil, err
	}
	now := s.Now().UTC()
	o := &rescreen.Objection{ID: s.NewID("OB"), Case: in.Case, Name: in.Name, ReceivedOn: in.ReceivedOn,
		Channel: in.Channel, Language: in.Language, Summary: in.Summary, Counsel: in.Counsel, ForwardedOn: in.ForwardedOn,
		Ruling: in.Ruling, RulingOn: in.RulingOn, RulingOrder: in.RulingOrder,
		EnteredBy: rescreen.ActorFrom(ctx), EnteredAt: now, UpdatedAt: now, Version: 1}
	err := s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
		var probs problems
		if ok, err := tx.CourtCaseExists(ctx, in.Case); err != nil {
			return err
		} else if !ok {
			probs.add("case", "%q is not a case of the settlement", in.Case)
		}
		if in.Person != "" {
			id, fam, ok, err := s.objector(ctx, tx, in.Person)
			if err != nil {
				return err
			}
			if !ok {
				probs.add("person", "person %s is not on record", in.Person)
			}
			o.Person, o.Family = id, fam
		}
		if err := probs.err("record objection"); err != nil {
			return err
		}
		if err := tx.InsertObjection(ctx, o); err != nil {
			return err
		}
		return courtAudit(ctx, tx, now, "court.objection.add", o.Family, "objection:"+o.ID, nil, o)
	})
	if err != nil {
		return nil, err
	}
	return s.Objection(ctx, o.ID)
}

// objectionProgress is what the audit log keeps of a change to an
// objection after it was received.
type objectionProgress struct {
	Version     int64           `json:"version"`
	ForwardedOn rescreen.Date   `json:"forwarded_on,omitzero"`
	Ruling      rescreen.Ruling `json:"ruling,omitempty"`
	RulingOn    rescreen.Date   `json:"ruling_on,omitzero"`
	RulingOrder string          `json:"ruling_order,omitempty"`
}

func progressOf(o *rescreen.Objection) objectionProgress {
	return objectionProgress{Version: o.Version, ForwardedOn: o.ForwardedOn, Ruling: o.Ruling, RulingOn: o.RulingOn, RulingOrder: o.RulingOrder}
}

// UpdateObjection records the day an objection was forwarded to the court
// and the court's ruling, replacing what was on record (a correction is a
// change like any other, audited with the values before). in.Version
// must be the objection's version; a stale one is ECONFLICT and changes
// nothing, and so is a change that changes nothing.
func (s *Service) UpdateObjection(ctx context.Context, id string, in rescreen.ObjectionUpdate) (*rescreen.Objection, error) {
	if err := mayCourt(ctx, access.Write); err != nil {
		return nil, err
	}
	var probs problems
	if in.Version < 1 {
		probs.add("version", "the objection's version is required")
	}
	today := s.today()
	now := s.Now().UTC()
	var out rescreen.Objection
	err := s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
		o, ok, err := tx.Objection(ctx, id)
		if err != nil {
			return err
		}
		if !ok {
			return rescreen.Errorf(rescreen.ENOTFOUND, "objection %s not found", id)
		}
		checkRuling(&probs, o.ReceivedOn, in.ForwardedOn, &in.Ruling, in.RulingOn, &in.RulingOrder, today)
		if err := probs.err("update objection"); err != nil {
			return err
		}
		if o.Version != in.Version {
			return rescreen.Errorf(rescreen.ECONFLICT, "The objection changed since you opened it (version %d, now %d).", in.Version, o.Version)
		}
		before := progressOf(&o)
		o.ForwardedOn, o.Ruling, o.RulingOn, o.RulingOrder, o.UpdatedAt = in.ForwardedOn, in.Ruling, in.RulingOn, in.RulingOrder, now
		after := progressOf(&o)
		after.Version = before.Version + 1
		if before.ForwardedOn == after.ForwardedOn && before.Ruling == after.Ruling && before.RulingOn == after.RulingOn && before.RulingOrder == after.RulingOrder {
			return rescreen.Errorf(rescreen.ECONFLICT, "Nothing to record: the objection already says so.")
		}
		if err := tx.UpdateObjection(ctx, &o); err != nil {
			return err
		}
		out = o
		return courtAudit(ctx, tx, now, "court.objection.update", o.Family, "objection:"+o.ID, before, after)
	})
	if err != nil {
		return nil, err
	}
	os := []rescreen.Objection{out}
	if err := s.fillObjectors(ctx, os); err != nil {
		return nil, err
	}
	return &os[0], nil
}

// --- Court-order deadlines ---

var calendarUnit = map[rescreen.DeadlineUnit]calendar.Unit{
	rescreen.UnitCalendarDays: calendar.CalendarDays, rescreen.UnitBusinessDays: calendar.BusinessDays,
	rescreen.UnitMonths: calendar.Months, rescreen.UnitYears: calendar.Years,
}

// ledgerEntry is a stored entry as the calendar's clock takes it.
func ledgerEntry(e *rescreen.LedgerEntry) calendar.Entry {
	switch e.Kind {
	case rescreen.LedgerHold:
		return calendar.Hold{From: calendar.Date(e.From), To: calendar.Date(e.To), Reason: e.Reason, Authority: e.Authority}
	case rescreen.LedgerLift:
		return calendar.Lift{Entry: e.Entry, To: calendar.Date(e.To), Reason: e.Reason, Authority: e.Authority}
	case rescreen.LedgerExtension:
		return calendar.Extension{On: calendar.Date(e.On), Days: e.Days, Months: e.Months, Until: calendar.Date(e.Until), Reason: e.Reason, Authority: e.Authority}
	case rescreen.LedgerRevocation:
		return calendar.Revocation{Entry: e.Entry, Reason: e.Reason, Authority: e.Authority}
	}
	return nil
}

// clockOf rebuilds a deadline's clock from its definition and ledger; the
// clock checks every entry again.
func clockOf(d *rescreen.CourtDeadline) (*calendar.Clock, error) {
	c, err := calendar.NewClock(calendar.Date(d.Start), d.Length, calendarUnit[d.Unit])
	if err != nil {
		return nil, err
	}
	for i := range d.Ledger {
		if _, err := c.Append(ledgerEntry(&d.Ledger[i])); err != nil {
			return nil, err
		}
	}
	if err := c.Complete(calendar.Date(d.CompletedOn)); err != nil {
		return nil, err
	}
	return c, nil
}

// compute fills in a deadline's due date and state as of the day, and who
// revoked or lifted each entry.
func compute(d *rescreen.CourtDeadline, asOf rescreen.Date) error {
	c, err := clockOf(d)
	if err != nil {
		return rescreen.WrapError(rescreen.EINTERNAL, "court deadline", fmt.Errorf("deadline %s: %w", d.ID, err), "")
	}
	base, _ := calendar.NewClock(calendar.Date(d.Start), d.Length, calendarUnit[d.Unit])
	bd, _ := base.Due()
	st := c.Status(calendar.Date(asOf))
	d.AsOf, d.BaseDue, d.State, d.Remaining = asOf, rescreen.Date(bd), string(st.State), st.Remaining
	if due, ok := c.Due(); ok {
		d.Due, d.DueKnown = rescreen.Date(due), true
	} else {
		d.Due, d.DueKnown = rescreen.Date(st.Due), false
	}
	for i := range d.Ledger {
		e := &d.Ledger[i]
		e.RevokedBy, e.LiftedBy = c.RevokedBy(e.N), 0
	}
	for i := range d.Ledger {
		e := &d.Ledger[i]
		if e.Kind == rescreen.LedgerLift && e.RevokedBy == 0 && e.Entry >= 1 && e.Entry <= len(d.Ledger) {
			d.Ledger[e.Entry-1].LiftedBy = e.N
		}
	}
	d.Explanation = c.Explain()
	return nil
}

// statusReach is how far the caller sees deadlines about families: those
// of the families whose STATUS the caller reads. ok is false when the
// caller reads no family's status; the process's own calls see all.
func statusReach(ctx context.Context) (sqlstore.Reach, bool) {
	r, err := reach(ctx, access.Need{Group: access.Status, Level: access.Read})
	return r, err == nil
}

// reachesFamily reports whether the family is on record and the caller
// reads its STATUS, which is what a deadline about it is part of. In a
// change, tx reads what the change sees; nil reads the store.
func (s *Service) reachesFamily(ctx context.Context, tx *sqlstore.Tx, id rescreen.FamilyID) (bool, error) {
	var res *access.Resource
	if tx != nil {
		units, ok, err := tx.FamilyUnitsOf(ctx, id)
		if err != nil || !ok {
			return false, err
		}
		res = &access.Resource{Family: string(id), Units: units}
	} else {
		var err error
		res, err = s.Resource(ctx, id)
		if rescreen.ErrorCode(err) == rescreen.ENOTFOUND {
			return false, nil
		}
		if err != nil {
			return false, err
		}
	}
	p, ok := access.FromContext(ctx)
	if !ok {
		return true, nil
	}
	return access.Decide(p, access.Need{Group: access.Status, Level: access.Read}, res).Allow, nil
}

// CourtDeadlines returns the court-order deadlines the caller may see
// (those about no family, and those about a family whose status the
// caller reads), as of the day: the overdue queue (calendar.Overdue), the
// due-soon queue of the next Within business days (calendar.DueSoon), and
// the others by due date. A deadline recorded as met is in neither queue,
// even if it was met late (its state is then MISSED).
func (s *Service) CourtDeadlines(ctx context.Context, f rescreen.CourtDeadlineFilter) (*rescreen.CourtDeadlineQueues, error) {
	if err := mayCourt(ctx, access.Read); err != nil {
		return nil, err
	}
	if f.Within == 0 {
		f.Within = 14
	}
	if f.Within < 1 || f.Within > 366 {
		return nil, problems{{Field: "within", Msg: "must be from 1 to 366 business days"}}.err("court deadlines")
	}
	if f.Today.IsZero() {
		f.Today = s.today()
	}
	r, families := statusReach(ctx)
	ds, err := s.DB.CourtDeadlines(ctx, sqlstore.CourtDeadlineQuery{Families: families, Reach: r})
	if err != nil {
		return nil, err
	}
	q := &rescreen.CourtDeadlineQueues{AsOf: f.Today, Within: f.Within,
		Until:   rescreen.Date(calendar.AddBusinessDays(calendar.Date(f.Today), f.Within)),
		Overdue: []rescreen.CourtDeadline{}, DueSoon: []rescreen.CourtDeadline{}, Other: []rescreen.CourtDeadline{}}
	byID := map[string]*rescreen.CourtDeadline{}
	var cds []calendar.Deadline
	for i := range ds {
		d := &ds[i]
		if err := compute(d, f.Today); err != nil {
			return nil, err
		}
		byID[d.ID] = d
		// A deadline met, even late, is no longer work: it stays among
		// the others, MISSED if it was met late.
		if !d.CompletedOn.IsZero() && !d.CompletedOn.After(f.Today) {
			continue
		}
		cds = append(cds, calendar.Deadline{ID: d.ID, Due: calendar.Date(d.Due), State: calendar.State(d.State)})
	}
	queued := map[string]bool{}
	for _, c := range calendar.Overdue(cds, calendar.Date(f.Today)) {
		q.Overdue = append(q.Overdue, *byID[c.ID])
		queued[c.ID] = true
	}
	for _, c := range calendar.DueSoon(cds, calendar.Date(f.Today), f.Within) {
		q.DueSoon = append(q.DueSoon, *byID[c.ID])
		queued[c.ID] = true
	}
	for i := range ds {
		if !queued[ds[i].ID] {
			q.Other = append(q.Other, ds[i])
		}
	}
	slices.SortStableFunc(q.Other, func(a, b rescreen.CourtDeadline) int {
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return q, nil
}

// CourtDeadline returns one deadline as of the day (zero: today), or
// ENOTFOUND, also for a deadline about a family whose status the caller
// does not read.
func (s *Service) CourtDeadline(ctx context.Context, id string, asOf rescreen.Date) (*rescreen.CourtDeadline, error) {
	if err := mayCourt(ctx, access.Read); err != nil {
		return nil, err
	}
	d, ok, err := s.DB.CourtDeadline(ctx, id)
	if err != nil {
		return nil, err
	}
	if ok && d.Family != "" {
		if ok, err = s.reachesFamily(ctx, nil, d.Family); err != nil {
			return nil, err
		}
	}
	if !ok {
		return nil, rescreen.Errorf(rescreen.ENOTFOUND, "court-order deadline %s not found", id)
	}
	if asOf.IsZero() {
		asOf = s.today()
	}
	if err := compute(&d, asOf); err != nil {
		return nil, err
	}
	return &d, nil
}

// deadlineAudit is what the audit log keeps of a deadline's definition.
type deadlineAudit struct {
	Title   string                `json:"title"`
	Case    string                `json:"case"`
	Order   string                `json:"order"`
	OrderOn rescreen.Date         `json:"order_on"`
	Family  rescreen.FamilyID     `json:"family_id,omitempty"`
	Person  rescreen.PersonID     `json:"person,omitempty"`
	Start   rescreen.Date         `json:"start"`
	Length  int                   `json:"length"`
	Unit    rescreen.DeadlineUnit `json:"unit"`
	Due     rescreen.Date         `json:"due,omitzero"`
}

// CreateCourtDeadline enters a deadline from a court order: a title, the
// case, the order's reference and date (not in the future), optionally
// the family and the member it is about (the member must be of the
// family, and the caller must read the family's status), its start, and
// its length in a unit (up to ten years). A person or a family out of the
// caller's reach is answered as one not on record, naming the field, as
// an objector is.
func (s *Service) CreateCourtDeadline(ctx context.Context, in rescreen.CourtDeadlineInput) (*rescreen.CourtDeadline, error) {
	if err := mayCourt(ctx, access.Write); err != nil {
		return nil, err
	}
	today := s.today()
	var probs problems
	in.Title = probs.text("title", in.Title, false, true)
	in.Case = strings.TrimSpace(in.Case)
	if in.Case == "" {
		probs.add("case", "is required")
	}
	in.Order = probs.text("order", in.Order, false, true)
	probs.date("order_on", in.OrderOn, today, true, false)
	in.Family = rescreen.FamilyID(strings.TrimSpace(string(in.Family)))
	in.Person = strings.TrimSpace(in.Person)
	probs.date("start", in.Start, today, true, true)
	in.Unit = rescreen.DeadlineUnit(strings.ToUpper(strings.TrimSpace(string(in.Unit))))
	switch max, ok := maxDeadlineLength[in.Unit]; {
	case in.Unit == "":
		probs.add("unit", "is required")
	case !ok:
		probs.add("unit", "%q is not one of %s", in.Unit, strings.Join(in.Unit.Values(), ", "))
	case in.Length < 0 || in.Length > max:
		probs.add("length", "must be from 0 to %d %s", max, strings.ToLower(strings.ReplaceAll(string(in.Unit), "_", " ")))
	}
	if err := probs.err("enter court deadline"); err != nil {
		return nil, err
	}
	now := s.Now().UTC()
	d := &rescreen.CourtDeadline{ID: s.NewID("CD"), Title: in.Title, Case: in.Case, Order: in.Order, OrderOn: in.OrderOn,
		Family: in.Family, Start: in.Start, Length: in.Length, Unit: in.Unit,
		EnteredBy: rescreen.ActorFrom(ctx), EnteredAt: now, Ledger: []rescreen.LedgerEntry{}}
	err := s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
		var probs problems
		if ok, err := tx.CourtCaseExists(ctx, in.Case); err != nil {
			return err
		} else if !ok {
			probs.add("case", "%q is not a case of the settlement", in.Case)
		}
		// A person or a family out of the caller's reach is not on
		// record for them, whatever the store holds, so that the form
		// cannot probe for persons and the families they belong to.
		familyOK := true
		if in.Family != "" {
			var err error
			if familyOK, err = s.reachesFamily(ctx, tx, in.Family); err != nil {
				return err
			}
			if !familyOK {
				probs.add("family_id", "family %s is not on record", in.Family)
			}
		}
		if in.Person != "" {
			row, ok, err := personRecord(ctx, tx, in.Person)
			if err != nil {
				return err
			}
			if ok {
				if ok, err = s.reachesFamily(ctx, tx, row.FamilyID); err != nil {
					return err
				}
			}
			switch {
			case !ok:
				probs.add("person", "person %s is not on record", in.Person)
			case in.Family == "":
				d.Family = row.FamilyID
			case familyOK && row.FamilyID != in.Family:
				probs.add("person", "person %s is not a member of family %s", in.Person, in.Family)
			}
			if ok {
				d.Person, d.PersonKey = rescreen.PersonID(row.ID), rescreen.NewRef(row.Source, row.SourceID)
			}
		}
		if err := probs.err("enter court deadline"); err != nil {
			return err
		}
		if err := tx.InsertCourtDeadline(ctx, d); err != nil {
			return err
		}
		if err := compute(d, today); err != nil {
			return err
		}
		return courtAudit(ctx, tx, now, "court.deadline.add", d.Family, "deadline:"+d.ID, nil, auditOfDeadline(d))
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

func auditOfDeadline(d *rescreen.CourtDeadline) deadlineAudit {
	a := deadlineAudit{Title: d.Title, Case: d.Case, Order: d.Order, OrderOn: d.OrderOn, Family: d.Family, Person: d.Person,
		Start: d.Start, Length: d.Length, Unit: d.Unit}
	if d.DueKnown {
		a.Due = d.Due
	}
	return a
}

// ledgerUses names the fields each kind of entry takes; a field another
// kind uses is refused rather than silently dropped.
var ledgerUses = map[rescreen.LedgerKind][]string{
	rescreen.LedgerHold:       {"from", "to"},
	rescreen.LedgerLift:       {"entry", "to"},
	rescreen.LedgerExtension:  {"on", "days", "months", "until"},
	rescreen.LedgerRevocation: {"entry"},
}

// checkLedgerInput checks what an entry says on its own; the ledger's
// own rules (a lift of an open hold, a revocation of an entry in force,
// months on a month clock) are the clock's to check.
func checkLedgerInput(in *rescreen.LedgerInput, today rescreen.Date) problems {
	var probs problems
	in.Kind = rescreen.LedgerKind(strings.ToUpper(strings.TrimSpace(string(in.Kind))))
	uses, ok := ledgerUses[in.Kind]
	switch {
	case in.Kind == "":
		probs.add("kind", "is required")
	case !ok:
		probs.add("kind", "%q is not one of %s", in.Kind, strings.Join(in.Kind.Values(), ", "))
	}
	set := map[string]bool{"from": !in.From.IsZero(), "to": !in.To.IsZero(), "entry": in.Entry != 0, "on": !in.On.IsZero(),
		"days": in.Days != 0, "months": in.Months != 0, "until": !in.Until.IsZero()}
	if ok {
		for _, f := range []string{"from", "to", "entry", "on", "days", "months", "until"} {
			if set[f] && !slices.Contains(uses, f) {
				probs.add(f, "is not part of a %s entry", strings.ToLower(string(in.Kind)))
			}
		}
	}
	probs.date("from", in.From, today, in.Kind == rescreen.LedgerHold, true)
	probs.date("to", in.To, today, in.Kind == rescreen.LedgerLift, true)
	probs.date("until", in.Until, today, false, true)
	// An extension is granted by an order already made.
	probs.date("on", in.On, today, in.Kind == rescreen.LedgerExtension, false)
	if (in.Kind == rescreen.LedgerLift || in.Kind == rescreen.LedgerRevocation) && in.Entry == 0 {
		probs.add("entry", "is required")
	}
	if in.Entry < 0 {
		probs.add("entry", "must be the number of an entry of the ledger")
	}
	for _, f := range []struct {
		name string
		n    int
	}{{"days", in.Days}, {"months", in.Months}} {
		if f.n < 0 || f.n > maxExtension {
			probs.add(f.name, "must be from 1 to %d", maxExtension)
		}
	}
	if in.Kind == rescreen.LedgerExtension && !set["days"] && !set["months"] && !set["until"] {
		probs.add("days", "days, months or a new due date is required")
	}
	in.Reason = probs.text("reason", in.Reason, true, false)
	in.Authority = probs.text("authority", in.Authority, false, true)
	return probs
}

// AppendLedgerEntry appends an entry to a deadline's ledger: a hold
// (from, and to or until lifted), a lift of an open hold, an extension
// (by days or months, or to a new due date, granted on a day not in the
// future) or a revocation of an earlier entry, each with its authority
// (the order, stipulation or rule) and a reason. The deadline's clock is
// rebuilt from the stored ledger and takes the entry: anything it refuses
// (a revocation of an entry that does not exist or is already revoked, a
// lift of a hold that has an end, months on a clock of days) is a field
// error, and nothing is written. The ledger is append-only: the store
// refuses to change or delete an entry.
func (s *Service) AppendLedgerEntry(ctx context.Context, id string, in rescreen.LedgerInput) (*rescreen.CourtDeadline, error) {
	if err := mayCourt(ctx, access.Write); err != nil {
		return nil, err
	}
	today := s.today()
	if err := checkLedgerInput(&in, today).err("ledger entry"); err != nil {
		return nil, err
	}
	now := s.Now().UTC()
	var out *rescreen.CourtDeadline
	err := s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
		d, err := s.deadlineForChange(ctx, tx, id)
		if err != nil {
			return err
		}
		c, err := clockOf(&d)
		if err != nil {
			return rescreen.WrapError(rescreen.EINTERNAL, "ledger entry", err, "")
		}
		before, _ := c.Due()
		e := rescreen.LedgerEntry{N: len(d.Ledger) + 1, Kind: in.Kind, From: in.From, To: in.To, Entry: in.Entry, On: in.On,
			Days: in.Days, Months: in.Months, Until: in.Until, Reason: in.Reason, Authority: in.Authority,
			EnteredBy: rescreen.ActorFrom(ctx), EnteredAt: now}
		if _, err := c.Append(ledgerEntry(&e)); err != nil {
			var le *calendar.LedgerError
			if !errors.As(err, &le) {
				return rescreen.WrapError(rescreen.EINTERNAL, "ledger entry", err, "")
			}
			return problems{{Field: le.Field, Msg: le.Message}}.err("ledger entry")
		}
		if err := tx.AppendLedgerEntry(ctx, d.ID, &e); err != nil {
			return err
		}
		d.Ledger = append(d.Ledger, e)
		if err := compute(&d, today); err != nil {
			return err
		}
		type dueAudit struct {
			Due   rescreen.Date         `json:"due,omitzero"`
			Entry *rescreen.LedgerEntry `json:"entry,omitempty"`
		}
		after := dueAudit{Entry: &e}
		if d.DueKnown {
			after.Due = d.Due
		}
		out = &d
		return courtAudit(ctx, tx, now, "court.deadline.entry", d.Family, "deadline:"+d.ID, dueAudit{Due: rescreen.Date(before)}, after)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// deadlineForChange reads a deadline in the transaction: ENOTFOUND if
// there is none or it is about a family whose status the caller does not
// read.
func (s *Service) deadlineForChange(ctx context.Context, tx *sqlstore.Tx, id string) (rescreen.CourtDeadline, error) {
	d, ok, err := tx.CourtDeadline(ctx, id)
	if err != nil {
		return d, err
	}
	if ok && d.Family != "" {
		if ok, err = s.reachesFamily(ctx, tx, d.Family); err != nil {
			return d, err
		}
	}
	if !ok {
		return d, rescreen.Errorf(rescreen.ENOTFOUND, "court-order deadline %s not found", id)
	}
	if d.Ledger == nil {
		d.Ledger = []rescreen.LedgerEntry{}
	}
	return d, nil
}

// CompleteCourtDeadline records the day a deadline was met (not in the
// future, not before the order that set it), or clears it with the zero
// date: a completion is a fact about what was done, not a ledger entry,
// so it may be corrected, each change audited with the value before.
func (s *Service) CompleteCourtDeadline(ctx context.Context, id string, on rescreen.Date) (*rescreen.CourtDeadline, error) {
	if err := mayCourt(ctx, access.Write); err != nil {
		return nil, err
	}
	today := s.today()
	var probs problems
	probs.date("completed_on", on, today, false, false)
	if err := probs.err("complete court deadline"); err != nil {
		return nil, err
	}
	now := s.Now().UTC()
	var out *rescreen.CourtDeadline
	err := s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
		d, err := s.deadlineForChange(ctx, tx, id)
		if err != nil {
			return err
		}
		var probs problems
		probs.notBefore("completed_on", on, d.OrderOn, "the order that set the deadline")
		if err := probs.err("complete court deadline"); err != nil {
			return err
		}
		if d.CompletedOn == on {
			if on.IsZero() {
				return rescreen.Errorf(rescreen.ECONFLICT, "The deadline is not recorded as met.")
			}
			return rescreen.Errorf(rescreen.ECONFLICT, "The deadline is already recorded as met on %s.", on)
		}
		type completion struct {
			CompletedOn rescreen.Date `json:"completed_on,omitzero"`
		}
		before := completion{d.CompletedOn}
		if err := tx.SetCourtDeadlineCompleted(ctx, d.ID, on); err != nil {
			return err
		}
		d.CompletedOn = on
		if err := compute(&d, today); err != nil {
			return err
		}
		out = &d
		return courtAudit(ctx, tx, now, "court.deadline.complete", d.Family, "deadline:"+d.ID, before, completion{on})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// addCourtRows adds the court's numbers to a status report (SR-17, the
// objections; SR-18, the final approvals), from every objection and the
// approvals in force, as of the report's date. They are counts, read as
// the process's own call like the rest of the report.
func (s *Service) addCourtRows(ctx context.Context, rep *report.Report) error {
	cases, err := s.DB.CourtCases(ctx)
	if err != nil {
		return err
	}
	approvals, err := s.DB.Approvals(ctx)
	if err != nil {
		return err
	}
	final := map[string]rescreen.Date{}
	for _, a := range approvals {
		if a.Kind == rescreen.ApprovalFinal && a.CorrectedBy == "" {
			final[a.Case] = a.On
		}
	}
	rc := make([]report.CourtCase, len(cases))
	for i, c := range cases {
		rc[i] = report.CourtCase{Title: c.Title, Court: c.Court, FinalApproval: final[c.ID]}
	}
	os, err := s.DB.Objections(ctx)
	if err != nil {
		return err
	}
	ro := make([]report.CourtObjection, len(os))
	for i, o := range os {
		ro[i] = report.CourtObjection{ReceivedOn: o.ReceivedOn, ForwardedOn: o.ForwardedOn, Ruling: string(o.Ruling), RulingOn: o.RulingOn}
	}
	rep.AddCourt(rc, ro)
	return nil
}
