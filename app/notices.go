package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"rescreen"
	"rescreen/access"
	"rescreen/notice"
	"rescreen/sqlstore"
)

// This file issues notices (package notice renders them): it fills a
// notice's data from the family's records, renders it, stores the bytes
// (content-addressed, write-once) and records the delivery as a Notice
// record through the one writer, in the transaction of the change. See
// docs/design.md, "Notices and outreach".

// The service is the server's NoticeService.
var _ rescreen.NoticeService = (*Service)(nil)

// ClassCounsel is the class counsel a deployment names on its notices
// when a family's records name none: the lawyers the court appointed,
// whom members call and send their election forms to (W6).
type ClassCounsel struct {
	Name, Phone, Email, Address string
}

// pdfType is the media type of a rendered notice.
const pdfType = "application/pdf"

// NoticeLanguages returns the languages each kind of notice is written in.
func (s *Service) NoticeLanguages(ctx context.Context) map[rescreen.NoticeKind][]string {
	out := map[rescreen.NoticeKind][]string{}
	for _, k := range rescreen.NoticeKind("").Values() {
		out[rescreen.NoticeKind(k)] = notice.Languages(notice.Kind(k))
	}
	return out
}

// mayChange refuses, with EFORBIDDEN, a change of the kinds of records in
// the family by a principal who may not make it (ENOTFOUND for a family
// that does not exist); the process's own calls may change anything.
func (s *Service) mayChange(ctx context.Context, id rescreen.FamilyID, kinds ...rescreen.Kind) error {
	if _, ok := access.FromContext(ctx); !ok {
		return nil
	}
	res, err := s.Resource(ctx, id)
	if err != nil {
		return err
	}
	return mayWrite(ctx, res, kinds)
}

// IssueNotice renders the notice the request asks for, stores its document
// and records its delivery, with the audit event and the family's
// derivation, in one transaction. A bad request changes nothing.
func (s *Service) IssueNotice(ctx context.Context, id rescreen.FamilyID, version int64, req rescreen.NoticeRequest) (*rescreen.Notice, error) {
	const op = "issue notice"
	if err := s.mayChange(ctx, id, rescreen.KindNotices); err != nil {
		return nil, err
	}
	var out *rescreen.Notice
	err := s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
		if err := familyAt(ctx, tx, id, version); err != nil {
			return err
		}
		w := s.newWriter(ctx, tx, newResolver(), "notice.issue", s.NewID("C"))
		n, probs, err := s.issueNoticeInTx(w, id, req)
		if err != nil {
			return err
		}
		if len(probs) > 0 {
			return (&rescreen.ValidationError{Problems: probs}).AsError(op)
		}
		if err := w.flush(); err != nil {
			return err
		}
		out = n
		return s.derive(ctx, tx, id, w.batch)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// familyAt checks, inside the transaction, that the family exists and, if
// version is not 0, that it is still at that version.
func familyAt(ctx context.Context, tx *sqlstore.Tx, id rescreen.FamilyID, version int64) error {
	fr, ok, err := tx.FamilyByID(ctx, id)
	switch {
	case err != nil:
		return err
	case !ok:
		return rescreen.Errorf(rescreen.ENOTFOUND, "family %s not found", id)
	case version != 0 && fr.Version != version:
		return rescreen.Errorf(rescreen.ECONFLICT, "family %s has changed (version %d, not %d); reload it and try again", id, fr.Version, version)
	}
	return nil
}

// issueNoticeInTx issues a notice inside the caller's transaction, through
// the caller's writer: it checks the request against the family's records
// (as the transaction sees them, so a record the caller wrote before in
// the same transaction, such as the appointment a scheduling notice is
// about, counts), fills the notice's data from them, renders the written
// text in the language asked for, stores the document, and puts the
// Notice record through w. A language with no written text must be
// delivered READ_ALOUD by a named interpreter, and is recorded without a
// document.
//
// Service code that issues a notice as part of a change of its own (an
// interview scheduled, which notifies counsel) calls it with its own
// writer; the caller then flushes the writer, so that the notice is part
// of the family's one audit event of the change, and derives the family.
// Problems with the request are returned as field problems named after
// the request's fields (person, kind, language, mode, interpreter, on,
// appointment, screening, ...); on any problem or error the caller must
// not commit: a document stored for a refused request would otherwise be
// left behind.
func (s *Service) issueNoticeInTx(w *txWriter, id rescreen.FamilyID, req rescreen.NoticeRequest) (*rescreen.Notice, []rescreen.FieldError, error) {
	ctx, tx := w.ctx, w.tx
	rows, err := tx.FamilyRecords(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	d, err := datasetOf(rows)
	if err != nil {
		return nil, nil, err
	}
	nid := s.NewID(idPrefix(rescreen.KindNotices))
	n := &rescreen.Notice{
		Meta:   rescreen.Meta{ID: nid, Source: rescreen.SourceManual, SourceID: nid},
		Person: req.Person, Kind: req.Kind, Language: req.Language, Mode: req.Mode, Recipient: req.Recipient,
		Interpreter: req.Interpreter, Signer: req.Signer, On: req.On, Outcome: req.Outcome,
		Appointment: req.Appointment, Screening: req.Screening, Notes: req.Notes,
		By: byWhom(ctx, w.actor),
	}
	if n.Outcome == "" {
		n.Outcome = rescreen.DeliveryPending
	}
	rescreen.Normalize(rescreen.KindNotices, n)
	probs := rescreen.Validate(rescreen.KindNotices, n)
	probs = append(probs, checkNoticeFacts(d, n, rescreen.DateOf(w.now))...)
	if len(probs) > 0 {
		return nil, firstPerField(probs), nil
	}
	version, written := notice.Latest(notice.Kind(n.Kind), n.Language)
	if !written {
		if n.Mode != rescreen.DeliveryReadAloud {
			return nil, []rescreen.FieldError{{Field: "mode", Msg: fmt.Sprintf(
				"the %s is not written in %q (it is written in %s): it must be read aloud by an interpreter (READ_ALOUD)",
				n.Kind, n.Language, strings.Join(notice.Languages(notice.Kind(n.Kind)), ", "))}}, nil
		}
	} else {
		data := s.noticeData(d, n)
		pdf, sum, err := notice.Render(notice.Kind(n.Kind), n.Language, version, data)
		if err != nil {
			var ve *rescreen.ValidationError
			if rescreen.ErrorCode(err) == rescreen.EINVALID && errors.As(err, &ve) {
				return nil, renderProblems(n.Kind, ve.Problems), nil
			}
			return nil, nil, rescreen.WrapError(rescreen.EINTERNAL, "issue notice", err, "")
		}
		key, err := tx.PutDocument(ctx, pdfType, pdf, w.now)
		if err != nil {
			return nil, nil, err
		}
		if key != sum {
			return nil, nil, rescreen.Errorf(rescreen.EINTERNAL, "the stored document's hash %s is not the rendered one's %s", key, sum)
		}
		n.Document, n.Version = sum, strconv.Itoa(version)
	}
	p, err := w.put(rescreen.KindNotices, n)
	if err != nil || len(p) > 0 {
		return nil, p, err
	}
	return n, nil, nil
}

// byWhom names who gives a notice: the signed-in user, else the actor of
// the change (the command line's, a job's).
func byWhom(ctx context.Context, actor string) string {
	if p, ok := access.FromContext(ctx); ok && p.User != "" {
		return p.User
	}
	return strings.TrimPrefix(actor, "user:")
}

// firstPerField keeps the first problem of each field, the one that
// usually causes the others.
func firstPerField(probs []rescreen.FieldError) []rescreen.FieldError {
	seen := map[string]bool{}
	out := probs[:0:0]
	for _, p := range probs {
		if p.Field != "" && seen[p.Field] {
			continue
		}
		seen[p.Field] = true
		out = append(out, p)
	}
	return out
}

// checkNoticeFacts checks a notice against the family's records: the
// person is a member, the date is not in the future, and the appointment
// or screening a kind needs is the person's and fit for it.
func checkNoticeFacts(d *rescreen.Dataset, n *rescreen.Notice, today rescreen.Date) []rescreen.FieldError {
	var probs []rescreen.FieldError
	bad := func(field, format string, args ...any) {
		probs = append(probs, rescreen.FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	member := personOf(d, n.Person) != nil
	if n.Person != "" && !member {
		bad("person", "%s is not a member of this family", n.Person)
	}
	if !n.On.IsZero() && n.On.After(today) {
		bad("on", "%s is after today (%s): record a notice when it is delivered, sent or attempted", n.On, today)
	}
	switch n.Kind {
	case rescreen.NoticeScheduling:
		if n.Appointment == "" {
			bad("appointment", "is required for an INTERVIEW_SCHEDULING notice: the appointment it gives notice of")
			break
		}
		a := appointmentOf(d, n.Appointment)
		switch {
		case a == nil:
			bad("appointment", "%s is not an appointment of this family", n.Appointment)
		case member && a.Person != n.Person:
			bad("appointment", "%s is an appointment of %s, not of %s", n.Appointment, a.Person, n.Person)
		case a.State == rescreen.AppointmentCancelled:
			bad("appointment", "%s was cancelled; a cancelled appointment is not given notice of", n.Appointment)
		}
	case rescreen.NoticeDetermination:
		if n.Screening == "" {
			bad("screening", "is required for a DETERMINATION_NOTICE: the screening whose result it gives")
			break
		}
		sc := screeningOf(d, n.Screening)
		switch {
		case sc == nil:
			bad("screening", "%s is not a screening of this family", n.Screening)
		case member && sc.Person != n.Person:
			bad("screening", "%s is a screening of %s, not of %s", n.Screening, sc.Person, n.Person)
		case sc.Occasion == rescreen.OccasionInitial:
			bad("screening", "%s is the first screening at the border; a determination notice gives the result of a screening under the settlement", n.Screening)
		case sc.Result == "" || sc.Result == rescreen.ResultPending || sc.DecidedOn.IsZero():
			bad("screening", "%s is not decided yet: a determination notice needs its result and the date of the decision", n.Screening)
		}
	}
	if n.Kind != rescreen.NoticeScheduling && n.Appointment != "" {
		bad("appointment", "only an INTERVIEW_SCHEDULING notice names an appointment")
	}
	if n.Kind != rescreen.NoticeDetermination && n.Screening != "" {
		bad("screening", "only a DETERMINATION_NOTICE names a screening")
	}
	return probs
}

func personOf(d *rescreen.Dataset, ref rescreen.Ref) *rescreen.Person {
	for i := range d.Persons {
		if d.Persons[i].Key() == ref {
			return &d.Persons[i]
		}
	}
	return nil
}

func appointmentOf(d *rescreen.Dataset, ref rescreen.Ref) *rescreen.Appointment {
	for i := range d.Appointments {
		if d.Appointments[i].Key() == ref {
			return &d.Appointments[i]
		}
	}
	return nil
}

func screeningOf(d *rescreen.Dataset, ref rescreen.Ref) *rescreen.Screening {
	for i := range d.Screenings {
		if d.Screenings[i].Key() == ref {
			return &d.Screenings[i]
		}
	}
	return nil
}

// noticeData fills what the notice prints from the family's records. What
// a kind needs and the records lack is left empty; notice.Render names it,
// and renderProblems says which record to complete.
func (s *Service) noticeData(d *rescreen.Dataset, n *rescreen.Notice) notice.Data {
	data := notice.Data{IssuedOn: n.On, Reference: n.ID}
	if p := personOf(d, n.Person); p != nil {
		data.Name, data.DateOfBirth = p.FullName(), p.BirthDate
		data.ANumber = aNumberOf(d, p.Key())
	}
	c := s.classCounsel(d, n.Person, n.On)
	data.CounselName, data.CounselPhone, data.CounselEmail, data.CounselAddress = c.Name, c.Phone, c.Email, c.Address
	switch n.Kind {
	case rescreen.NoticeScheduling:
		if a := appointmentOf(d, n.Appointment); a != nil {
			data.InterviewDate, data.InterviewTime = a.On, a.Time
			data.InterviewPlace, data.InterviewPhone = a.Place, a.Phone
			data.InterpreterLanguage = a.Interpreter
			notified := !a.CounselNotifiedOn.IsZero() && !a.CounselNotifiedOn.After(n.On)
			data.CounselNotified = &notified
		}
	case rescreen.NoticeDetermination:
		if sc := screeningOf(d, n.Screening); sc != nil {
			data.Result, data.DecidedOn = sc.Result, sc.DecidedOn
		}
	}
	return data
}

// aNumberOf returns the person's A-number for a notice: one in use (ACTIVE,
// or of no recorded status), never one issued in error, as a duplicate or
// retired; the first by key when several are.
func aNumberOf(d *rescreen.Dataset, person rescreen.Ref) string {
	best, bestRank := "", 9
	for i := range d.Identifiers {
		id := &d.Identifiers[i]
		if id.Person != person || id.Kind != rescreen.IDANumber {
			continue
		}
		rank := 9
		switch id.Status {
		case "ACTIVE":
			rank = 0
		case "":
			rank = 1
		}
		if rank < bestRank {
			best, bestRank = id.Value, rank
		}
	}
	return best
}

// classCounsel returns the class counsel a notice names: a class counsel
// of the family's records in force on the day (the member's own before
// the whole family's) with a telephone number, else the deployment's,
// else one of the records without a number (a class notice then names the
// missing number).
func (s *Service) classCounsel(d *rescreen.Dataset, person rescreen.Ref, on rescreen.Date) ClassCounsel {
	var withPhone, without *rescreen.Counsel
	for _, own := range []bool{true, false} {
		for i := range d.Counsel {
			c := &d.Counsel[i]
			if c.Role != "CLASS_COUNSEL" || (own && c.Person != person) || (!own && c.Person != "") ||
				(!c.From.IsZero() && c.From.After(on)) || (!c.To.IsZero() && c.To.Before(on)) {
				continue
			}
			if c.Phone != "" && withPhone == nil {
				withPhone = c
			}
			if without == nil {
				without = c
			}
		}
	}
	name := func(c *rescreen.Counsel) string {
		if c.Organization != "" && c.Organization != c.Name {
			return c.Name + ", " + c.Organization
		}
		return c.Name
	}
	switch {
	case withPhone != nil:
		return ClassCounsel{Name: name(withPhone), Phone: withPhone.Phone, Email: withPhone.Email}
	case s.ClassCounsel.Name != "" && s.ClassCounsel.Phone != "":
		return s.ClassCounsel
	case without != nil:
		return ClassCounsel{Name: name(without), Email: without.Email}
	}
	return s.ClassCounsel
}

// renderProblems turns what notice.Render found missing in the data into
// problems with the request: what record the family lacks.
func renderProblems(kind rescreen.NoticeKind, probs []rescreen.FieldError) []rescreen.FieldError {
	var out []rescreen.FieldError
	add := func(field, format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		for _, p := range out {
			if p.Field == field && p.Msg == msg {
				return
			}
		}
		out = append(out, rescreen.FieldError{Field: field, Msg: msg})
	}
	for _, p := range probs {
		switch p.Field {
		case "name":
			add("person", "the person's name is not on record, and the %s needs it", kind)
		case "a_number":
			add("person", "no A-number in use is on record for the person, and the %s needs one", kind)
		case "date_of_birth":
			add("person", "the person's date of birth is not on record, and the %s needs it", kind)
		case "counsel_name", "counsel_phone", "counsel_email", "counsel_address":
			add("", "the %s needs class counsel's name and telephone number: none is on record for this family (a counsel of role CLASS_COUNSEL with a phone number) and none is configured for this server", kind)
		case "interview_date", "interview_time", "interview_place", "interview_phone", "interpreter_language", "counsel_notified":
			add("appointment", "the appointment lacks what the notice gives (%s: %s); complete the appointment first", p.Field, p.Msg)
		case "result", "decided_on":
			add("screening", "the screening lacks what the notice gives (%s: %s)", p.Field, p.Msg)
		case "issued_on":
			add("on", "%s", p.Msg)
		default:
			add("", "%s: %s", p.Field, p.Msg)
		}
	}
	return out
}

// RecordDelivery changes what came of a notice's delivery: its outcome,
// and its signer and notes when given (notes are added to those on
// record). It is a change of the Notice record through the one writer,
// with its audit event and the family's derivation.
func (s *Service) RecordDelivery(ctx context.Context, id rescreen.FamilyID, version int64, u rescreen.DeliveryUpdate) (*rescreen.Notice, error) {
	const op = "record delivery"
	if err := s.mayChange(ctx, id, rescreen.KindNotices); err != nil {
		return nil, err
	}
	var out *rescreen.Notice
	err := s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
		if err := familyAt(ctx, tx, id, version); err != nil {
			return err
		}
		row, ok, err := tx.RecordByID(ctx, u.Notice)
		if err != nil {
			return err
		}
		if !ok || row.Kind != rescreen.KindNotices || row.FamilyID != id {
			return (&rescreen.ValidationError{Problems: []rescreen.FieldError{{Field: "notice", Msg: fmt.Sprintf("%q is not a notice of this family", u.Notice)}}}).AsError(op)
		}
		var n rescreen.Notice
		if err := json.Unmarshal(row.Data, &n); err != nil {
			return rescreen.WrapError(rescreen.EINTERNAL, op, err, "")
		}
		n.Outcome = u.Outcome
		if s := strings.TrimSpace(u.Signer); s != "" {
			n.Signer = s
		}
		if s := strings.TrimSpace(u.Notes); s != "" {
			if n.Notes != "" {
				s = n.Notes + "\n" + s
			}
			n.Notes = s
		}
		rescreen.Normalize(rescreen.KindNotices, &n)
		if probs := rescreen.Validate(rescreen.KindNotices, &n); len(probs) > 0 {
			return (&rescreen.ValidationError{Problems: firstPerField(probs)}).AsError(op)
		}
		w := s.newWriter(ctx, tx, newResolver(), "notice.delivery", s.NewID("C"))
		probs, err := w.put(rescreen.KindNotices, &n)
		if err != nil {
			return err
		}
		if len(probs) > 0 {
			return (&rescreen.ValidationError{Problems: probs}).AsError(op)
		}
		if err := w.flush(); err != nil {
			return err
		}
		out = &n
		return s.derive(ctx, tx, id, w.batch)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// issuedNoticeProblems refuses a change, made otherwise than by issuing or
// recording a delivery, that would give a notice a document the service
// did not render for it, or change the document, person, kind, language,
// template version or date of a notice that has one: the delivery log
// must always match the bytes given to the person. A correction is a new
// notice.
func issuedNoticeProblems(w *txWriter, rec rescreen.Record) ([]rescreen.FieldError, error) {
	n, ok := rec.(*rescreen.Notice)
	if !ok {
		return nil, nil
	}
	old, exists, err := w.existing(rescreen.KindNotices, n.Key())
	if err != nil {
		return nil, err
	}
	var o rescreen.Notice
	if exists {
		if err := json.Unmarshal(old.Data, &o); err != nil {
			return nil, rescreen.WrapError(rescreen.EINTERNAL, "notice", err, "")
		}
	}
	if n.Document != o.Document {
		return []rescreen.FieldError{{Field: "document_sha256", Msg: "is set only when the service issues the notice; it cannot be given or changed"}}, nil
	}
	if o.Document == "" {
		return nil, nil
	}
	var probs []rescreen.FieldError
	fixed := func(field string, same bool) {
		if !same {
			probs = append(probs, rescreen.FieldError{Field: field, Msg: "cannot change on a notice issued with a document; record a new notice"})
		}
	}
	fixed("person", n.Person == o.Person)
	fixed("kind", n.Kind == o.Kind)
	fixed("language", n.Language == o.Language)
	fixed("template_version", n.Version == o.Version)
	fixed("on", n.On == o.On)
	return probs, nil
}

// NoticeDocument returns the document with the hash if a Notice record of
// the family names it and the caller may read the family's CONTACT group.
func (s *Service) NoticeDocument(ctx context.Context, id rescreen.FamilyID, sha string) (*rescreen.Document, error) {
	notFound := rescreen.Errorf(rescreen.ENOTFOUND, "no document %s among the notices of family %s", sha, id)
	var lv levels
	if p, ok := access.FromContext(ctx); ok {
		res, err := s.Resource(ctx, id)
		if err != nil {
			return nil, err
		}
		if d := access.Decide(p, access.Need{Group: access.Contact, Level: access.Read}, res); !d.Allow {
			return nil, rescreen.Errorf(rescreen.EFORBIDDEN, "You may not read the notices of this family: %s.", d.Reason)
		}
		lv = func(g access.Group) access.Level { return p.Level(g, res) }
	}
	if !isSHA256(sha) {
		return nil, notFound
	}
	_, rows, err := s.DB.Family(ctx, id)
	if err != nil {
		return nil, err
	}
	d, err := datasetOf(rows)
	if err != nil {
		return nil, err
	}
	var named *rescreen.Notice
	for i := range d.Notices {
		if d.Notices[i].Document == sha {
			named = &d.Notices[i]
			break
		}
	}
	if named == nil {
		return nil, notFound
	}
	// The document prints the person's name, A-number and birth date,
	// which a page would mask for a caller who may not read them.
	if p := personOf(d, named.Person); p != nil && identityHidden(lv, p.Role, p.BirthDate, rescreen.DateOf(s.Now().UTC())) {
		return nil, rescreen.Errorf(rescreen.EFORBIDDEN, "The document shows the name and A-number of %s, which you may not read.", Initials(p.FullName()))
	}
	doc, err := s.DB.Document(ctx, sha)
	if err != nil {
		if rescreen.ErrorCode(err) == rescreen.ENOTFOUND {
			return nil, notFound
		}
		return nil, err
	}
	return &rescreen.Document{
		SHA256: doc.SHA256, MediaType: doc.MediaType, Bytes: doc.Bytes, CreatedAt: doc.CreatedAt,
		Name: fmt.Sprintf("%s-%s-%s.pdf", strings.ToLower(strings.ReplaceAll(string(named.Kind), "_", "-")), named.Language, named.ID),
	}, nil
}

func isSHA256(s string) bool {
	return len(s) == 64 && !slices.ContainsFunc([]byte(s), func(c byte) bool {
		return (c < '0' || c > '9') && (c < 'a' || c > 'f')
	})
}
