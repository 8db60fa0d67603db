package app

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"rescreen"
	"rescreen/access"
	"rescreen/sqlstore"
)

// The service is the registry's FamilyService and AuditService.
var (
	_ rescreen.FamilyService = (*Service)(nil)
	_ rescreen.AuditService  = (*Service)(nil)
)

const (
	defaultLimit = 50
	maxLimit     = 500
)

func (s *Service) query(ctx context.Context, f rescreen.Filter) (sqlstore.Query, error) {
	r, err := reach(ctx, access.Need{Group: access.Identity, Level: access.Read})
	if err != nil {
		return sqlstore.Query{}, err
	}
	q := sqlstore.Query{Reach: r, NameTokens: rescreen.NameTokens(f.Name), Country: f.Country, Custody: string(f.Custody),
		Stage: string(f.Stage), Role: string(f.Role), After: f.After, Limit: f.Limit}
	if f.ANumber != "" {
		a, err := rescreen.NormalizeANumber(f.ANumber)
		if err != nil {
			return q, &rescreen.Error{Code: rescreen.EINVALID, Message: "a_number: " + err.Error()}
		}
		q.ANumber = a
	}
	switch {
	case q.Limit == 0:
		q.Limit = defaultLimit
	case q.Limit < 0 || q.Limit > maxLimit:
		return q, rescreen.Errorf(rescreen.EINVALID, "limit: must be between 1 and %d", maxLimit)
	}
	if len(q.NameTokens) > 8 {
		return q, rescreen.Errorf(rescreen.EINVALID, "name: at most 8 words")
	}
	return q, nil
}

// fetchPage runs a keyset-paged query: it asks for one row more than the
// page holds, to know whether a next page exists, and returns the page's
// rows and the cursor of the next page ("" on the last).
func fetchPage[T any](ctx context.Context, s *Service, f rescreen.Filter, fetch func(context.Context, sqlstore.Query) ([]T, error), id func(T) string) ([]T, string, error) {
	q, err := s.query(ctx, f)
	if err != nil {
		return nil, "", err
	}
	limit := q.Limit
	q.Limit++
	rows, err := fetch(ctx, q)
	if err != nil || len(rows) <= limit {
		return rows, "", err
	}
	rows = rows[:limit]
	return rows, id(rows[limit-1]), nil
}

// ListFamilies returns a page of families matching f.
func (s *Service) ListFamilies(ctx context.Context, f rescreen.Filter) (rescreen.Page[rescreen.FamilySummary], error) {
	var page rescreen.Page[rescreen.FamilySummary]
	fams, next, err := fetchPage(ctx, s, f, s.DB.FamilyIDs, func(r sqlstore.FamilyRow) string { return string(r.ID) })
	if err != nil {
		return page, err
	}
	page.Next = next
	ids := make([]rescreen.FamilyID, len(fams))
	for i, fr := range fams {
		ids[i] = fr.ID
	}
	persons, err := s.DB.FamilyPersons(ctx, ids)
	if err != nil {
		return page, err
	}
	byFam := map[rescreen.FamilyID][]sqlstore.PersonRow{}
	for _, p := range persons {
		byFam[p.FamilyID] = append(byFam[p.FamilyID], p)
	}
	lvs, err := s.levelsOf(ctx, ids)
	if err != nil {
		return page, err
	}
	today := rescreen.DateOf(s.Now().UTC())
	page.Items = make([]rescreen.FamilySummary, 0, len(fams))
	for _, fr := range fams {
		fs := rescreen.FamilySummary{ID: fr.ID, Source: fr.Source, SourceID: fr.SourceID, Stage: fr.Stage, UpdatedAt: fr.UpdatedAt, Names: []string{}}
		countries := map[string]bool{}
		for _, p := range byFam[fr.ID] {
			if p.Role.IsAdult() {
				fs.Parents++
			} else if p.Role == rescreen.RoleChild {
				fs.Children++
			}
			name := p.Name
			if bd, _ := rescreen.ParseDate(p.BirthDate); identityHidden(lvs[fr.ID], p.Role, bd, today) {
				name = Initials(name)
			}
			fs.Names = append(fs.Names, name)
			if p.Country != "" && !countries[p.Country] {
				countries[p.Country] = true
				fs.Countries = append(fs.Countries, p.Country)
			}
		}
		sort.Strings(fs.Countries)
		page.Items = append(page.Items, fs)
	}
	return page, nil
}

// ListPersons returns a page of persons matching f.
func (s *Service) ListPersons(ctx context.Context, f rescreen.Filter) (rescreen.Page[rescreen.PersonSummary], error) {
	var page rescreen.Page[rescreen.PersonSummary]
	rows, next, err := fetchPage(ctx, s, f, s.DB.Persons, func(r sqlstore.PersonRow) string { return string(r.ID) })
	if err != nil {
		return page, err
	}
	page.Next = next
	ids := make([]rescreen.PersonID, len(rows))
	for i, p := range rows {
		ids[i] = p.ID
	}
	anums, err := s.DB.ANumbers(ctx, ids)
	if err != nil {
		return page, err
	}
	fams := make([]rescreen.FamilyID, len(rows))
	for i, p := range rows {
		fams[i] = p.FamilyID
	}
	lvs, err := s.levelsOf(ctx, fams)
	if err != nil {
		return page, err
	}
	today := rescreen.DateOf(s.Now().UTC())
	page.Items = make([]rescreen.PersonSummary, 0, len(rows))
	for _, p := range rows {
		bd, _ := rescreen.ParseDate(p.BirthDate)
		ps := rescreen.PersonSummary{ID: p.ID, FamilyID: p.FamilyID, Role: p.Role, Name: p.Name,
			BirthDate: bd, Country: p.Country, ANumbers: anums[p.ID], Custody: rescreen.CustodyKind(p.Custody)}
		lv := lvs[p.FamilyID]
		if identityHidden(lv, p.Role, bd, today) {
			ps.Name, ps.BirthDate = Initials(ps.Name), rescreen.Date{}
			for i, a := range ps.ANumbers {
				ps.ANumbers[i] = MaskANumber(a)
			}
		}
		if !canRead(lv, access.Custody) {
			ps.Custody = ""
		}
		page.Items = append(page.Items, ps)
	}
	return page, nil
}

// GetFamily returns everything on record about the family.
func (s *Service) GetFamily(ctx context.Context, id rescreen.FamilyID) (*rescreen.Dossier, error) {
	fr, rows, err := s.DB.Family(ctx, id)
	if err != nil {
		return nil, err
	}
	d, err := datasetOf(rows)
	if err != nil {
		return nil, err
	}
	dos := &rescreen.Dossier{FamilyID: fr.ID, Stage: fr.Stage, Version: fr.Version, UpdatedAt: fr.UpdatedAt, Records: *d}
	u, err := unitOf(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if !u.single() {
		dos.Unit = u.families
	}
	// The records evaluated, should the stored result need evaluating
	// again: the unit's when the family is one of a unit.
	evaluated := func() (*rescreen.Dataset, error) {
		if u.single() {
			return d, nil
		}
		by, all, err := unitRecords(ctx, s.DB, u)
		if err != nil {
			return nil, err
		}
		_, ud, err := s.unitDerivation(id, fr.Version, u, by, all)
		return ud, err
	}
	det, found, err := s.DB.Determination(ctx, id)
	if err != nil {
		return nil, err
	}
	if found {
		if dos.Determination, err = s.determination(id, det, evaluated); err != nil {
			return nil, err
		}
	}
	// The W9 clock, measured on the records the rules evaluate, so that
	// an interview recorded in another family of the unit counts.
	waits := d
	if !u.single() {
		_, all, err := unitRecords(ctx, s.DB, u)
		if err == nil {
			waits, err = unitDataset(u, all, false)
		}
		if err != nil {
			return nil, err
		}
	}
	dos.Waits = electionWaits(waits, rescreen.DateOf(s.Now().UTC()))
	if err := s.mask(ctx, dos); err != nil {
		return nil, err
	}
	return dos, nil
}

// mask removes or masks what the request's principal may not read of the
// dossier (see maskDossier); nothing for the process's own calls.
func (s *Service) mask(ctx context.Context, dos *rescreen.Dossier) error {
	lvs, err := s.levelsOf(ctx, []rescreen.FamilyID{dos.FamilyID})
	if err != nil || lvs == nil {
		return err
	}
	maskDossier(dos, lvs[dos.FamilyID], rescreen.DateOf(s.Now().UTC()))
	return nil
}

// GetPerson returns the person's record and family.
func (s *Service) GetPerson(ctx context.Context, id rescreen.PersonID) (*rescreen.Person, rescreen.FamilyID, error) {
	row, ok, err := s.DB.Record(ctx, string(id))
	if err != nil {
		return nil, "", err
	}
	if !ok || row.Kind != rescreen.KindPersons {
		return nil, "", rescreen.Errorf(rescreen.ENOTFOUND, "person %s not found", id)
	}
	var p rescreen.Person
	if err := json.Unmarshal(row.Data, &p); err != nil {
		return nil, "", rescreen.WrapError(rescreen.EINTERNAL, "get person", err, "")
	}
	dos := &rescreen.Dossier{FamilyID: row.FamilyID, Records: rescreen.Dataset{Persons: []rescreen.Person{p}}}
	if err := s.mask(ctx, dos); err != nil {
		return nil, "", err
	}
	return &dos.Records.Persons[0], row.FamilyID, nil
}

// prepare fills in the keys of a record entered by hand, normalizes and
// validates it. A record without a source is a MANUAL one; a MANUAL record
// without a source id gets its new id as source id.
func (s *Service) prepare(kind rescreen.Kind, rec rescreen.Record, path string) []rescreen.FieldError {
	m := rec.Header()
	if m.Source == "" {
		m.Source = rescreen.SourceManual
	}
	if m.Source == rescreen.SourceManual && m.SourceID == "" {
		if m.ID == "" {
			m.ID = s.NewID(idPrefix(kind))
		}
		m.SourceID = m.ID
	}
	rescreen.Normalize(kind, rec)
	probs := rescreen.Validate(kind, rec)
	for i := range probs {
		probs[i].Field = path + probs[i].Field
	}
	return probs
}

// CreateFamily stores a new family with its records.
func (s *Service) CreateFamily(ctx context.Context, d *rescreen.Dataset) (*rescreen.Dossier, error) {
	if len(d.Families) != 1 {
		return nil, rescreen.Errorf(rescreen.EINVALID, "families: exactly one family is required, got %d", len(d.Families))
	}
	var probs []rescreen.FieldError
	counts := map[rescreen.Kind]int{}
	_ = d.EachRecord(func(k rescreen.Kind, r rescreen.Record) error {
		probs = append(probs, s.prepare(k, r, fmt.Sprintf("%s[%d].", k, counts[k]))...)
		counts[k]++
		return nil
	})
	if len(probs) > 0 {
		return nil, (&rescreen.ValidationError{Problems: probs}).AsError("create family")
	}
	var kinds []rescreen.Kind
	for k, n := range counts {
		if n > 0 {
			kinds = append(kinds, k)
		}
	}
	if err := mayWrite(ctx, &access.Resource{Family: "new", Units: familyUnits(d)}, kinds); err != nil {
		return nil, err
	}
	fam := &d.Families[0]
	var id rescreen.FamilyID
	err := s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
		if _, exists, err := tx.FamilyByKey(ctx, fam.Source, fam.SourceID); err != nil {
			return err
		} else if exists {
			return rescreen.Errorf(rescreen.ECONFLICT, "family %s is already on record", fam.Key())
		}
		w := s.newWriter(ctx, tx, newResolver(), "family.create", s.NewID("C"))
		counts := map[rescreen.Kind]int{}
		var probs []rescreen.FieldError
		err := d.EachRecord(func(k rescreen.Kind, r rescreen.Record) error {
			p, err := w.put(k, r)
			for _, fe := range p {
				fe.Field = fmt.Sprintf("%s[%d].%s", k, counts[k], fe.Field)
				probs = append(probs, fe)
			}
			counts[k]++
			return err
		})
		if err != nil {
			return err
		}
		id = rescreen.FamilyID(fam.ID)
		probs = append(probs, otherFamilies(w, id)...)
		if len(probs) > 0 {
			return (&rescreen.ValidationError{Problems: probs}).AsError("create family")
		}
		if err := w.flush(); err != nil {
			return err
		}
		return s.derive(ctx, tx, id, w.batch)
	})
	if err != nil {
		return nil, err
	}
	return s.GetFamily(ctx, id)
}

// otherFamilies reports records written by w that landed in a family other
// than id: a change to one family may not reach into another.
func otherFamilies(w *txWriter, id rescreen.FamilyID) []rescreen.FieldError {
	var probs []rescreen.FieldError
	for _, fam := range w.order {
		if fam != id {
			probs = append(probs, rescreen.FieldError{Msg: fmt.Sprintf("a record refers to family %s; a change may only touch family %s", fam, id)})
		}
	}
	return probs
}

// ApplyChanges adds or replaces records of an existing family.
func (s *Service) ApplyChanges(ctx context.Context, id rescreen.FamilyID, version int64, changes []rescreen.Change) (*rescreen.Dossier, error) {
	if len(changes) == 0 {
		return nil, rescreen.Errorf(rescreen.EINVALID, "changes: at least one change is required")
	}
	var probs []rescreen.FieldError
	for i, c := range changes {
		if c.Kind == rescreen.KindFamilies {
			probs = append(probs, rescreen.FieldError{Field: fmt.Sprintf("changes[%d].kind", i), Msg: "a family's own record cannot be changed this way"})
			continue
		}
		if c.Record == nil || rescreen.KindOf(c.Record) != c.Kind {
			probs = append(probs, rescreen.FieldError{Field: fmt.Sprintf("changes[%d].record", i), Msg: "is missing or not of the kind given"})
			continue
		}
		probs = append(probs, s.prepare(c.Kind, c.Record, fmt.Sprintf("changes[%d].record.", i))...)
	}
	if len(probs) > 0 {
		return nil, (&rescreen.ValidationError{Problems: probs}).AsError("apply changes")
	}
	if _, ok := access.FromContext(ctx); ok {
		res, err := s.Resource(ctx, id)
		if err != nil {
			return nil, err
		}
		kinds := make([]rescreen.Kind, len(changes))
		for i, c := range changes {
			kinds[i] = c.Kind
		}
		if err := mayWrite(ctx, res, kinds); err != nil {
			return nil, err
		}
	}
	err := s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
		fr, ok, err := tx.FamilyByID(ctx, id)
		if err != nil {
			return err
		}
		if !ok {
			return rescreen.Errorf(rescreen.ENOTFOUND, "family %s not found", id)
		}
		if version != 0 && fr.Version != version {
			return rescreen.Errorf(rescreen.ECONFLICT, "family %s has changed (version %d, not %d); reload it and try again", id, fr.Version, version)
		}
		w := s.newWriter(ctx, tx, newResolver(), "family.change", s.NewID("C"))
		var probs []rescreen.FieldError
		for i, c := range changes {
			p, err := issuedNoticeProblems(w, c.Record)
			if err == nil && len(p) == 0 {
				p, err = w.put(c.Kind, c.Record)
			}
			if err != nil {
				return err
			}
			for _, fe := range p {
				fe.Field = fmt.Sprintf("changes[%d].record.%s", i, fe.Field)
				probs = append(probs, fe)
			}
		}
		probs = append(probs, otherFamilies(w, id)...)
		if len(probs) > 0 {
			return (&rescreen.ValidationError{Problems: probs}).AsError("apply changes")
		}
		if err := w.flush(); err != nil {
			return err
		}
		return s.derive(ctx, tx, id, w.batch)
	})
	if err != nil {
		return nil, err
	}
	return s.GetFamily(ctx, id)
}

// VerifyAudit recomputes the audit chain.
func (s *Service) VerifyAudit(ctx context.Context, wantHead string) (rescreen.ChainReport, error) {
	v := rescreen.NewChainVerifier(wantHead)
	err := s.DB.EachAuditEvent(ctx, func(e *rescreen.AuditEvent) error {
		if !v.Add(e) {
			return errStop
		}
		return nil
	})
	if err != nil && err != errStop {
		return rescreen.ChainReport{}, err
	}
	return v.Finish(), nil
}

var errStop = fmt.Errorf("stop")

// AuditHead returns the newest audit event's sequence number and hash.
func (s *Service) AuditHead(ctx context.Context) (int64, string, error) {
	return s.DB.AuditHead(ctx)
}

// Export writes every record, kind by kind in canonical order, to w.
func (s *Service) Export(ctx context.Context, w interface {
	Write(rescreen.Kind, rescreen.Record) error
}) error {
	var m *exportMask
	if p, ok := access.FromContext(ctx); ok {
		units, err := s.DB.AllFamilyUnits(ctx)
		if err != nil {
			return err
		}
		m = &exportMask{p: p, units: units, lv: map[rescreen.FamilyID]levels{}, hidden: map[rescreen.Ref]bool{}, today: rescreen.DateOf(s.Now().UTC())}
	}
	for _, k := range rescreen.Kinds {
		err := s.DB.EachRecord(ctx, k, func(r sqlstore.RecordRow) error {
			rec := rescreen.NewRecord(k)
			if err := json.Unmarshal(r.Data, rec); err != nil {
				return rescreen.WrapError(rescreen.EINTERNAL, "export", err, "")
			}
			if m != nil {
				if rec = m.record(r.FamilyID, k, rec); rec == nil {
					return nil
				}
			}
			return w.Write(k, rec)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// exportMask is what an export made for a principal leaves out and masks:
// the families it may not read, and within the others what maskDossier
// masks. Kinds come in dependency order, so a person is seen, and known
// to be masked, before the records that name it.
type exportMask struct {
	p      access.Principal
	units  map[rescreen.FamilyID][]string
	lv     map[rescreen.FamilyID]levels
	hidden map[rescreen.Ref]bool
	today  rescreen.Date
}

// record returns the record as the principal may see it, or nil.
func (m *exportMask) record(fam rescreen.FamilyID, k rescreen.Kind, rec rescreen.Record) rescreen.Record {
	lv, ok := m.lv[fam]
	if !ok {
		res := &access.Resource{Family: string(fam), Units: m.units[fam]}
		lv = func(g access.Group) access.Level { return m.p.Level(g, res) }
		m.lv[fam] = lv
	}
	if !canRead(lv, access.Identity) {
		return nil // a family out of reach
	}
	if v, ok := rec.(*rescreen.Person); ok && identityHidden(lv, v.Role, v.BirthDate, m.today) {
		m.hidden[v.Key()] = true
	}
	dos := &rescreen.Dossier{FamilyID: fam}
	dos.Records.Add(rec)
	maskDossier(dos, lv, m.today)
	var out rescreen.Record
	_ = dos.Records.Each(k, func(r rescreen.Record) error { out = r; return nil })
	if out == nil {
		return nil
	}
	switch v := out.(type) {
	case *rescreen.NameVariant:
		if m.hidden[v.Person] {
			return nil
		}
	case *rescreen.Identifier:
		if m.hidden[v.Person] {
			v.Value = MaskANumber(v.Value)
		}
	case *rescreen.Election:
		if m.hidden[v.Person] {
			v.Signer = Initials(v.Signer)
		}
	case *rescreen.Notice:
		if m.hidden[v.Person] {
			v.Signer = Initials(v.Signer)
		}
	}
	return out
}
