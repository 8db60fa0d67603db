// Package app is the one place where the registry changes. Every change,
// whether it comes from an import, the API or the CLI, passes through a
// Service method that validates it, writes it and its audit event in one
// transaction, and re-derives what depends on the family.
package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"log/slog"
	"runtime"
	"sort"
	"sync"
	"time"

	"rescreen"
	"rescreen/access"
	"rescreen/exchange"
	"rescreen/snapshot"
	"rescreen/sqlstore"
)

// Service carries out every change to the registry.
type Service struct {
	DB    *sqlstore.DB
	Now   func() time.Time           // the clock; fixed in tests
	NewID func(prefix string) string // id generator; a counter in tests
	Log   *slog.Logger
	// Rules evaluates each family after every change; nil evaluates
	// nothing (the stage is still derived).
	Rules Evaluator
	// HashParams are the cost of password hashes; zero means
	// access.DefaultHashParams (tests lower it).
	HashParams access.HashParams
	// ClassCounsel is named on notices when a family's records name no
	// class counsel with a telephone number (notices.go).
	ClassCounsel ClassCounsel

	accessLog accessBatch // group commit of access events (accesslog.go)
}

// New returns a service on db with the real clock and random ids.
func New(db *sqlstore.DB) *Service {
	return &Service{DB: db, Now: time.Now, NewID: RandomIDs(), Log: slog.New(slog.DiscardHandler)}
}

var idEncoding = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

// RandomIDs returns an id generator. Each id is prefix followed by 23
// characters of Crockford's base32 alphabet, such as
// F-01JD3M9QXT2ABCDEFGHJKMN: 48 bits of the time in milliseconds, then 63
// random bits. Within one generator the random part of ids made in the same
// millisecond counts up, so its ids never repeat and sort in the order they
// were made. Ids carry no personal data, so they may appear in URLs and
// logs. The time prefix makes consecutive ids sort together, so the
// primary-key indexes grow at their end instead of at random pages, which on
// a store of a million records is much faster.
func RandomIDs() func(prefix string) string {
	var (
		mu       sync.Mutex
		lastMS   uint64
		lastRand uint64
	)
	return func(prefix string) string {
		mu.Lock()
		ms := uint64(time.Now().UnixMilli())
		if ms <= lastMS {
			ms = lastMS
			lastRand++
		} else {
			var r [8]byte
			if _, err := rand.Read(r[:]); err != nil {
				panic(err)
			}
			lastRand = binary.BigEndian.Uint64(r[:]) >> 1 // room to count up
		}
		lastMS = ms
		var b [14]byte
		binary.BigEndian.PutUint64(b[6:], lastRand)
		mu.Unlock()
		for i := 5; i >= 0; i-- {
			b[i] = byte(ms)
			ms >>= 8
		}
		return prefix + "-" + idEncoding.EncodeToString(b[:])
	}
}

// CounterIDs returns an id generator that counts from 1, for tests and
// reproducible runs.
func CounterIDs() func(prefix string) string {
	n := 0
	return func(prefix string) string {
		n++
		return fmt.Sprintf("%s-%016d", prefix, n)
	}
}

func idPrefix(k rescreen.Kind) string {
	switch k {
	case rescreen.KindFamilies:
		return "F"
	case rescreen.KindPersons:
		return "P"
	}
	return "R"
}

// derivedKinds are the kinds StageOf reads besides persons: a change to one
// of them makes the family's stage stale.
var derivedKinds = map[rescreen.Kind]bool{
	rescreen.KindElections: true, rescreen.KindScreenings: true, rescreen.KindContacts: true,
}

// keyInfo is what is known of a record by its natural key.
type keyInfo struct {
	id     string
	family rescreen.FamilyID
	person rescreen.PersonID
}

// resolver finds records by natural key: first among those written or
// checked in this operation, then in the store.
type resolver struct {
	known map[string]keyInfo
	empty bool // the store held no records when the operation began
	// custody holds each person's latest custody episode written in this
	// operation; when the store began empty it is the whole truth and
	// saves a query per custody record.
	custody map[rescreen.PersonID]rescreen.Custody
	// fresh holds the families created in this operation that have no
	// record yet that StageOf reads besides persons: adding a person to one
	// of them cannot move its stage from IDENTIFIED, so it needs no
	// derivation.
	fresh map[rescreen.FamilyID]bool
}

func newResolver() *resolver {
	return &resolver{known: map[string]keyInfo{}, custody: map[rescreen.PersonID]rescreen.Custody{}, fresh: map[rescreen.FamilyID]bool{}}
}

func cacheKey(kind rescreen.Kind, ref rescreen.Ref) string { return string(kind) + "|" + string(ref) }

// change is one record written, for the audit event.
type change struct {
	kind   rescreen.Kind
	before []byte
	after  []byte
}

// txWriter writes records inside one transaction and collects, per family,
// the changes that its audit event will carry.
type txWriter struct {
	s      *Service
	ctx    context.Context
	tx     *sqlstore.Tx
	res    *resolver
	now    time.Time
	actor  string
	action string
	batch  string

	newFamilies map[rescreen.FamilyID]bool
	order       []rescreen.FamilyID
	changes     map[rescreen.FamilyID][]change
	dirty       map[rescreen.FamilyID]bool
	inScope     map[rescreen.FamilyID]bool // by outOfScope
	// custodyDue are the current custody kinds of persons, found by an
	// import into an empty store, that flush writes to their projections:
	// one update per person instead of one per custody record.
	custodyDue map[rescreen.PersonID]string

	created, updated, unchanged int
}

func (s *Service) newWriter(ctx context.Context, tx *sqlstore.Tx, res *resolver, action, batch string) *txWriter {
	return &txWriter{
		s: s, ctx: ctx, tx: tx, res: res, now: s.Now().UTC(), actor: rescreen.ActorFrom(ctx),
		action: action, batch: batch,
		newFamilies: map[rescreen.FamilyID]bool{}, changes: map[rescreen.FamilyID][]change{},
		dirty: map[rescreen.FamilyID]bool{}, inScope: map[rescreen.FamilyID]bool{},
	}
}

// outOfScope reports whether a family that a record the request gave
// refers to, or whose key it reuses, is out of the principal's scope: no
// role of theirs grants anything of it (access.Principal.Level). Such a
// record is answered as one not on record, and its family is not named,
// so that a change cannot probe for persons and the families they belong
// to. The process's own calls, and the families this operation created,
// are in scope.
func (w *txWriter) outOfScope(fam rescreen.FamilyID) (bool, error) {
	p, ok := access.FromContext(w.ctx)
	if !ok || fam == "" || w.newFamilies[fam] {
		return false, nil
	}
	if in, known := w.inScope[fam]; known {
		return !in, nil
	}
	units, found, err := w.tx.FamilyUnitsOf(w.ctx, fam)
	if err != nil {
		return false, err
	}
	in := false
	if found {
		res := &access.Resource{Family: string(fam), Units: units}
		for _, g := range access.Groups {
			if p.Level(g, res) > access.None {
				in = true
				break
			}
		}
	}
	w.inScope[fam] = in
	return !in, nil
}

// lookup resolves a reference to a record of the kind.
func (w *txWriter) lookup(kind rescreen.Kind, ref rescreen.Ref) (keyInfo, bool, error) {
	if ki, ok := w.res.known[cacheKey(kind, ref)]; ok {
		return ki, true, nil
	}
	if w.res.empty {
		return keyInfo{}, false, nil
	}
	src, sid := ref.Split()
	row, ok, err := w.tx.RecordByKey(w.ctx, kind, src, sid)
	if err != nil || !ok {
		return keyInfo{}, false, err
	}
	ki := keyInfo{id: row.ID, family: row.FamilyID, person: row.PersonID}
	if referable[kind] {
		w.res.known[cacheKey(kind, ref)] = ki
	}
	return ki, true, nil
}

// put writes one normalized, validated record: it resolves the record's
// family and person, keeps its id if it is already on record, and stores it
// unless nothing changed. The problems it returns concern the record's
// references and ids; it returns an error only for failures of the store.
func (w *txWriter) put(kind rescreen.Kind, rec rescreen.Record) ([]rescreen.FieldError, error) {
	m := rec.Header()
	key := m.Key()
	var fam rescreen.FamilyID
	var person rescreen.PersonID
	var probs []rescreen.FieldError
	for _, f := range rescreen.Fields(kind) {
		for _, ref := range f.Refs(rec) {
			ki, ok, err := w.lookup(f.RefKind, ref)
			if err != nil {
				return nil, err
			}
			if ok {
				hidden, err := w.outOfScope(ki.family)
				if err != nil {
					return nil, err
				}
				ok = !hidden
			}
			if !ok {
				probs = append(probs, rescreen.FieldError{Field: f.Name, Msg: fmt.Sprintf("%s %s is not on record", singular(f.RefKind), ref)})
				continue
			}
			switch {
			case f.RefKind == rescreen.KindFamilies && fam == "":
				fam = ki.family
			case f.RefKind == rescreen.KindPersons && person == "" && f.Type == rescreen.TypeRef:
				person = rescreen.PersonID(ki.id)
				if fam == "" {
					fam = ki.family
				}
			}
		}
	}
	if len(probs) > 0 {
		return probs, nil
	}
	existing, exists, err := w.existing(kind, key)
	if err != nil {
		return nil, err
	}
	switch {
	case exists && m.ID != "" && m.ID != existing.ID:
		return []rescreen.FieldError{{Field: "id", Msg: fmt.Sprintf("%s is on record with id %s, not %s", key, existing.ID, m.ID)}}, nil
	case exists:
		m.ID = existing.ID
	case m.ID == "":
		m.ID = w.s.NewID(idPrefix(kind))
	case !w.res.empty:
		if row, taken, err := w.tx.RecordByID(w.ctx, m.ID); err != nil {
			return nil, err
		} else if taken {
			return []rescreen.FieldError{{Field: "id", Msg: fmt.Sprintf("id %s already belongs to %s %s", m.ID, row.Kind, rescreen.NewRef(row.Source, row.SourceID))}}, nil
		}
	}
	switch kind {
	case rescreen.KindFamilies:
		fam = rescreen.FamilyID(m.ID)
	case rescreen.KindPersons:
		person = rescreen.PersonID(m.ID)
	}
	if exists && existing.FamilyID != fam {
		where := "family " + string(existing.FamilyID)
		if hidden, err := w.outOfScope(existing.FamilyID); err != nil {
			return nil, err
		} else if hidden {
			where = "another family"
		}
		return []rescreen.FieldError{{Field: "family", Msg: fmt.Sprintf("%s is on record in %s; moving a record to another family is a split or merge, not an update", key, where)}}, nil
	}
	data, err := exchange.MarshalRecord(rec)
	if err != nil {
		return nil, err
	}
	if referable[kind] {
		w.res.known[cacheKey(kind, key)] = keyInfo{id: m.ID, family: fam, person: person}
	}
	if exists && bytes.Equal(existing.Data, data) {
		w.unchanged++
		return nil, nil
	}
	row := sqlstore.RecordRow{ID: m.ID, Kind: kind, Source: m.Source, SourceID: m.SourceID, FamilyID: fam, PersonID: person, Batch: w.batch, Data: data}
	if kind == rescreen.KindFamilies && !exists {
		err := w.tx.InsertFamily(w.ctx, sqlstore.FamilyRow{ID: fam, Source: m.Source, SourceID: m.SourceID,
			Stage: rescreen.StageIdentified, Version: 1, CreatedAt: w.now, UpdatedAt: w.now})
		if err != nil {
			return nil, err
		}
		w.newFamilies[fam] = true
		w.res.fresh[fam] = true
	}
	var rowid int64
	if exists {
		rowid, err = w.tx.UpdateRecord(w.ctx, row)
		w.updated++
	} else {
		rowid, err = w.tx.InsertRecord(w.ctx, row)
		w.created++
	}
	if err != nil {
		return nil, err
	}
	if err := w.project(rec, row, rowid, exists); err != nil {
		return nil, err
	}
	if _, seen := w.changes[fam]; !seen {
		w.order = append(w.order, fam)
	}
	c := change{kind: kind, after: data}
	if exists {
		c.before = existing.Data
	}
	w.changes[fam] = append(w.changes[fam], c)
	switch {
	case derivedKinds[kind] || outreachKinds[kind] || w.s.Rules != nil:
		// With rules, every fact may change the determination.
		w.dirty[fam] = true
		delete(w.res.fresh, fam)
	case kind == rescreen.KindPersons && !w.res.fresh[fam]:
		w.dirty[fam] = true
	}
	return nil, nil
}

func (w *txWriter) existing(kind rescreen.Kind, key rescreen.Ref) (sqlstore.RecordRow, bool, error) {
	if w.res.empty {
		return sqlstore.RecordRow{}, false, nil
	}
	src, sid := key.Split()
	return w.tx.RecordByKey(w.ctx, kind, src, sid)
}

// referable are the kinds other records point at, whose keys the writer
// remembers within a run.
var referable = map[rescreen.Kind]bool{
	rescreen.KindFamilies: true, rescreen.KindPersons: true, rescreen.KindScreenings: true, rescreen.KindAppointments: true,
}

func singular(k rescreen.Kind) string {
	switch k {
	case rescreen.KindFamilies:
		return "family"
	case rescreen.KindPersons:
		return "person"
	case rescreen.KindScreenings:
		return "screening"
	case rescreen.KindAppointments:
		return "appointment"
	}
	return string(k)
}

// project keeps the search projections of a record in step with it.
func (w *txWriter) project(rec rescreen.Record, row sqlstore.RecordRow, rowid int64, replace bool) error {
	switch v := rec.(type) {
	case *rescreen.Person:
		custody := ""
		if replace {
			var err error
			if custody, err = w.currentCustody(row.PersonID); err != nil {
				return err
			}
		}
		err := w.tx.PutPerson(w.ctx, sqlstore.PersonRow{
			ID: row.PersonID, FamilyID: row.FamilyID, Role: v.Role, Name: v.FullName(),
			BirthDate: v.BirthDate.String(), Country: v.Country, Custody: custody,
		}, replace)
		if err != nil {
			return err
		}
		return w.putNames(rowid, row.PersonID, replace, v.GivenNames, v.FirstSurname, v.SecondSurname)
	case *rescreen.NameVariant:
		return w.putNames(rowid, row.PersonID, replace, v.GivenNames, v.FirstSurname, v.SecondSurname)
	case *rescreen.Identifier:
		return w.tx.PutIdentifier(w.ctx, row.ID, row.PersonID, v.Kind, v.Value, replace)
	case *rescreen.Custody:
		if w.res.empty && !replace {
			best, seen := w.res.custody[row.PersonID]
			if seen && !laterCustody(v, &best) {
				return nil
			}
			w.res.custody[row.PersonID] = *v
			if w.custodyDue == nil {
				w.custodyDue = map[rescreen.PersonID]string{}
			}
			w.custodyDue[row.PersonID] = string(v.Kind)
			return nil
		}
		custody, err := w.currentCustody(row.PersonID)
		if err != nil {
			return err
		}
		return w.tx.SetCustody(w.ctx, row.PersonID, custody)
	}
	return nil
}

// currentCustody returns the kind of the person's latest custody episode:
// the one that started last, and among those one still open.
func (w *txWriter) currentCustody(id rescreen.PersonID) (string, error) {
	rows, err := w.tx.PersonRecords(w.ctx, id, rescreen.KindCustody)
	if err != nil {
		return "", err
	}
	var best *rescreen.Custody
	for _, r := range rows {
		var c rescreen.Custody
		if err := json.Unmarshal(r.Data, &c); err != nil {
			return "", err
		}
		if best == nil || laterCustody(&c, best) {
			cc := c
			best = &cc
		}
	}
	if best == nil {
		return "", nil
	}
	return string(best.Kind), nil
}

// laterCustody reports whether episode c supersedes best as the current one:
// it started later, or on the same day and is still open, with the source id
// as the last, arbitrary but stable, tie-break.
func laterCustody(c, best *rescreen.Custody) bool {
	return c.Start.After(best.Start) || (c.Start == best.Start && c.End.IsZero() && !best.End.IsZero()) ||
		(c.Start == best.Start && c.End == best.End && c.SourceID > best.SourceID)
}

// flush appends one audit event per changed family, bumps the version of
// families that existed before this transaction, and marks stale derived
// state. It must run before the transaction commits.
func (w *txWriter) flush() error {
	if err := w.tx.SetCustodies(w.ctx, w.custodyDue); err != nil {
		return err
	}
	clear(w.custodyDue)
	// The families first, then their events: the store holds inserts
	// back and sends them together before its next other statement, so
	// the events go in one statement instead of one between each update.
	type touch struct{ bump, dirty bool }
	touches := map[touch][]rescreen.FamilyID{}
	for _, fam := range w.order {
		// A family created in this transaction is at version 1 already.
		if !w.newFamilies[fam] || w.dirty[fam] {
			k := touch{!w.newFamilies[fam], w.dirty[fam]}
			touches[k] = append(touches[k], fam)
		}
	}
	for _, k := range []touch{{false, true}, {true, false}, {true, true}} {
		if err := w.tx.TouchFamilies(w.ctx, touches[k], w.now, k.bump, k.dirty); err != nil {
			return err
		}
	}
	for _, fam := range w.order {
		cs := w.changes[fam]
		var before, after bytes.Buffer
		before.WriteByte('[')
		after.WriteByte('[')
		nb := 0
		for i, c := range cs {
			if i > 0 {
				after.WriteByte(',')
			}
			fmt.Fprintf(&after, `{"kind":%q,"record":%s}`, c.kind, c.after)
			if c.before != nil {
				if nb > 0 {
					before.WriteByte(',')
				}
				fmt.Fprintf(&before, `{"kind":%q,"record":%s}`, c.kind, c.before)
				nb++
			}
		}
		before.WriteByte(']')
		after.WriteByte(']')
		e := &rescreen.AuditEvent{At: w.now, Actor: w.actor, Action: w.action, FamilyID: fam, Subject: w.batch, After: after.Bytes()}
		if nb > 0 {
			e.Before = before.Bytes()
		}
		if err := w.tx.AppendAudit(w.ctx, e); err != nil {
			return err
		}
	}
	w.order = w.order[:0]
	clear(w.changes)
	clear(w.dirty)
	clear(w.newFamilies)
	return nil
}

// datasetOf decodes stored records into a dataset in canonical order.
func datasetOf(rows []sqlstore.RecordRow) (*rescreen.Dataset, error) {
	d := &rescreen.Dataset{}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Kind != rows[j].Kind {
			return rows[i].Kind < rows[j].Kind
		}
		if rows[i].Source != rows[j].Source {
			return rows[i].Source < rows[j].Source
		}
		return rows[i].SourceID < rows[j].SourceID
	})
	for _, r := range rows {
		rec := rescreen.NewRecord(r.Kind)
		if err := json.Unmarshal(r.Data, rec); err != nil {
			return nil, rescreen.WrapError(rescreen.EINTERNAL, "decode record", err, "")
		}
		d.Add(rec)
	}
	return d, nil
}

// derive recomputes the family's derived state inside the transaction:
// its stage, and its determination under the rules; and those of the
// other families of its unit, whose records it shares (see unit).
func (s *Service) derive(ctx context.Context, tx *sqlstore.Tx, id rescreen.FamilyID, cause string) error {
	_, err := s.deriveUnit(ctx, tx, id, cause)
	return err
}

// derivation is a family's derived state, computed from its records as of
// one version of the family.
type derivation struct {
	id      rescreen.FamilyID
	version int64
	stage   rescreen.Stage
	eval    *evaluation
	facts   []byte   // the records in the compact form of package snapshot
	units   []string // the units the records name, for access control
	// outreach are the family's rows of the outreach queue, from its own
	// records (outreach.go).
	outreach []sqlstore.OutreachRow
}

func (s *Service) derivation(id rescreen.FamilyID, version int64, rows []sqlstore.RecordRow) (derivation, error) {
	d, err := datasetOf(rows)
	if err != nil {
		return derivation{}, err
	}
	ev, err := s.compute(id, rows, d)
	return derivation{id: id, version: version, stage: rescreen.StageOf(d), eval: ev, facts: snapshotOf(d), units: familyUnits(d), outreach: outreachOf(d)}, err
}

// snapshotOf returns the records evaluated in the compact form of package
// snapshot, which what-if reads.
func snapshotOf(d *rescreen.Dataset) []byte { return snapshot.Append(nil, d) }

func (s *Service) storeDerivation(ctx context.Context, tx *sqlstore.Tx, dv derivation, cause string) error {
	if err := tx.SetDerived(ctx, dv.id, dv.stage); err != nil {
		return err
	}
	if err := tx.PutFamilyUnits(ctx, dv.id, dv.units); err != nil {
		return err
	}
	if err := tx.PutFacts(ctx, dv.id, snapshot.Version(), dv.facts); err != nil {
		return err
	}
	if err := tx.PutOutreach(ctx, dv.id, dv.outreach); err != nil {
		return err
	}
	if err := s.store(ctx, tx, dv.id, dv.eval, cause); err != nil {
		return err
	}
	if err := s.putReportFacts(ctx, tx, dv.id, dv.eval); err != nil {
		return err
	}
	return s.putWork(ctx, tx, dv.id, dv.eval) // the dashboard's counts (stats.go)
}

// MarkOutdated marks for derivation every family whose determination was
// made under another rule-set version than the one in force (the rules or
// the parameters changed since), or that has none, and every family whose
// stored facts are of another layout. The server calls it at start, before
// DeriveDirty, so that the stored outcomes, and the decision log, follow a
// change of parameters, and the facts a change of the record kinds.
func (s *Service) MarkOutdated(ctx context.Context) (int, error) {
	if s.Rules == nil {
		return 0, nil
	}
	var n int64
	err := s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
		var err error
		if n, err = tx.MarkOutdated(ctx, s.Rules.Version()); err != nil {
			return err
		}
		// Facts of another layout (a kind of record or a field was added
		// since they were written) are written again by the derivation,
		// or what-if and the report would read every family's records.
		m, err := tx.MarkFactsOutdated(ctx, snapshot.Version())
		n += m
		return err
	})
	return int(n), err
}

// DeriveDirty recomputes the derived state of every family marked stale.
// Import calls it when it is done, and the server at start, so that a crash
// between a write and its derivation leaves nothing stale for long. The
// families are read and evaluated on every core from a consistent snapshot
// each; one transaction per chunk then stores the results of the families
// whose version is still the one evaluated, and derives again, inside the
// transaction, any family that changed in between.
func (s *Service) DeriveDirty(ctx context.Context, cause string) (int, error) {
	total := 0
	workers := runtime.GOMAXPROCS(0)
	// The chunks go through the dirty families in id order; a pass that
	// finds none after the last chunk starts again from the first, for the
	// families a change made dirty behind it, and the work is done when a
	// pass from the first finds none.
	var after rescreen.FamilyID
	for {
		ids, err := s.DB.DirtyFamilyIDs(ctx, after, 1000)
		if err != nil {
			return total, err
		}
		if len(ids) == 0 {
			if after == "" {
				return total, nil
			}
			after = ""
			continue
		}
		after = ids[len(ids)-1]
		// The chunk's families, records and links are read in a few
		// queries for all of them; the evaluations run in parallel.
		frs, recs, err := s.DB.FamiliesRecords(ctx, ids)
		if err != nil {
			return total, err
		}
		linked, err := s.DB.FamiliesWithLinksInForce(ctx, ids)
		if err != nil {
			return total, err
		}
		dvs := make([]derivation, len(ids))
		errs := make([]error, len(ids))
		unitFam := make([]bool, len(ids))
		var wg sync.WaitGroup
		next := make(chan int)
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					fr, ok := frs[ids[i]]
					switch {
					case !ok:
						errs[i] = rescreen.Errorf(rescreen.ENOTFOUND, "family %s not found", ids[i])
					case linked[ids[i]]:
						// One of a unit: derived with the unit's records,
						// inside the transaction below.
						dvs[i], unitFam[i] = derivation{id: ids[i], version: fr.Version}, true
					default:
						dvs[i], errs[i] = s.derivation(ids[i], fr.Version, recs[ids[i]])
					}
				}
			}()
		}
		for i := range ids {
			next <- i
		}
		close(next)
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return total, err
			}
		}
		err = s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
			if err := tx.Prefetch(ctx, ids); err != nil {
				return err
			}
			for i, dv := range dvs {
				fr, ok, err := tx.FamilyByID(ctx, dv.id)
				switch {
				case err != nil:
					return err
				case !ok || !fr.Dirty:
					continue // derived meanwhile by the change that touched it
				case fr.Version != dv.version || unitFam[i]:
					err = s.derive(ctx, tx, dv.id, cause)
				default:
					err = s.storeDerivation(ctx, tx, dv, cause)
				}
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return total, err
		}
		total += len(ids)
	}
}
