package web

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"rescreen"
)

// fakeFamilies is an in-memory FamilyService. It keeps to the contract's
// error codes (ENOTFOUND, ECONFLICT, EINVALID with problems) so the handlers
// are tested against the behaviour the real service promises.
type fakeFamilies struct {
	mu       sync.Mutex
	dossiers map[rescreen.FamilyID]*rescreen.Dossier
	next     int
	now      time.Time

	// fail, if set, is returned by every method; panic makes every method
	// panic. Both let tests reach the error paths.
	fail  error
	panic bool

	lastFilter  rescreen.Filter
	lastVersion int64
	lastChanges []rescreen.Change

	// applyFail, if set, is returned by ApplyChanges alone, as the real
	// service refuses a change whose records it finds invalid.
	applyFail error

	sched fakeSchedule // fake_schedule_test.go
}

func newFakeFamilies() *fakeFamilies {
	return &fakeFamilies{
		dossiers: map[rescreen.FamilyID]*rescreen.Dossier{},
		now:      time.Date(2018, 6, 21, 14, 30, 0, 0, time.UTC),
	}
}

func (f *fakeFamilies) check() error {
	if f.panic {
		panic("fake: deliberate panic")
	}
	return f.fail
}

func (f *fakeFamilies) sortedIDs() []rescreen.FamilyID {
	ids := make([]rescreen.FamilyID, 0, len(f.dossiers))
	for id := range f.dossiers {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func matchName(p *rescreen.Person, name string) bool {
	if name == "" {
		return true
	}
	for _, tok := range strings.Fields(strings.ToLower(p.FullName())) {
		if strings.HasPrefix(tok, strings.ToLower(name)) {
			return true
		}
	}
	return false
}

func (f *fakeFamilies) ListFamilies(ctx context.Context, flt rescreen.Filter) (rescreen.Page[rescreen.FamilySummary], error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.check(); err != nil {
		return rescreen.Page[rescreen.FamilySummary]{}, err
	}
	f.lastFilter = flt
	var page rescreen.Page[rescreen.FamilySummary]
	for _, id := range f.sortedIDs() {
		if flt.After != "" && string(id) <= flt.After {
			continue
		}
		d := f.dossiers[id]
		if flt.Stage != "" && d.Stage != flt.Stage {
			continue
		}
		sum := rescreen.FamilySummary{ID: id, Stage: d.Stage, UpdatedAt: d.UpdatedAt}
		if len(d.Records.Families) > 0 {
			sum.Source, sum.SourceID = d.Records.Families[0].Source, d.Records.Families[0].SourceID
		}
		match := flt.Name == ""
		for i := range d.Records.Persons {
			p := &d.Records.Persons[i]
			sum.Names = append(sum.Names, p.FullName())
			if p.Role.IsAdult() {
				sum.Parents++
			} else {
				sum.Children++
			}
			if p.Country != "" && !slices.Contains(sum.Countries, p.Country) {
				sum.Countries = append(sum.Countries, p.Country)
			}
			match = match || matchName(p, flt.Name)
		}
		if !match {
			continue
		}
		if len(page.Items) == flt.Limit {
			page.Next = string(page.Items[len(page.Items)-1].ID)
			break
		}
		page.Items = append(page.Items, sum)
	}
	return page, nil
}

func (f *fakeFamilies) ListPersons(ctx context.Context, flt rescreen.Filter) (rescreen.Page[rescreen.PersonSummary], error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.check(); err != nil {
		return rescreen.Page[rescreen.PersonSummary]{}, err
	}
	f.lastFilter = flt
	var all []rescreen.PersonSummary
	for _, id := range f.sortedIDs() {
		d := f.dossiers[id]
		for i := range d.Records.Persons {
			p := &d.Records.Persons[i]
			if !matchName(p, flt.Name) || (flt.Role != "" && p.Role != flt.Role) {
				continue
			}
			all = append(all, rescreen.PersonSummary{ID: rescreen.PersonID(p.ID), FamilyID: id, Role: p.Role, Name: p.FullName(), BirthDate: p.BirthDate, Country: p.Country})
		}
	}
	slices.SortFunc(all, func(a, b rescreen.PersonSummary) int { return strings.Compare(string(a.ID), string(b.ID)) })
	var page rescreen.Page[rescreen.PersonSummary]
	for _, p := range all {
		if flt.After != "" && string(p.ID) <= flt.After {
			continue
		}
		if len(page.Items) == flt.Limit {
			page.Next = string(page.Items[len(page.Items)-1].ID)
			break
		}
		page.Items = append(page.Items, p)
	}
	return page, nil
}

func (f *fakeFamilies) GetFamily(ctx context.Context, id rescreen.FamilyID) (*rescreen.Dossier, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.check(); err != nil {
		return nil, err
	}
	d, ok := f.dossiers[id]
	if !ok {
		return nil, rescreen.Errorf(rescreen.ENOTFOUND, "No family has the id %s.", id)
	}
	cp := *d
	return &cp, nil
}

func (f *fakeFamilies) GetPerson(ctx context.Context, id rescreen.PersonID) (*rescreen.Person, rescreen.FamilyID, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.check(); err != nil {
		return nil, "", err
	}
	for fid, d := range f.dossiers {
		for i := range d.Records.Persons {
			if d.Records.Persons[i].ID == string(id) {
				p := d.Records.Persons[i]
				return &p, fid, nil
			}
		}
	}
	return nil, "", rescreen.Errorf(rescreen.ENOTFOUND, "No person has the id %s.", id)
}

// validate normalizes and validates every record the way the real service
// does, so that EINVALID carries real problems.
func validate(d *rescreen.Dataset) error {
	var ve rescreen.ValidationError
	_ = d.EachRecord(func(k rescreen.Kind, r rescreen.Record) error {
		rescreen.Normalize(k, r)
		for _, p := range rescreen.Validate(k, r) {
			p.File = string(k)
			ve.Problems = append(ve.Problems, p)
		}
		return nil
	})
	if len(d.Families) != 1 {
		ve.Problems = append(ve.Problems, rescreen.FieldError{Field: "families", Msg: "exactly one family is required"})
	}
	if len(ve.Problems) > 0 {
		return ve.AsError("fake.CreateFamily")
	}
	return nil
}

func (f *fakeFamilies) CreateFamily(ctx context.Context, d *rescreen.Dataset) (*rescreen.Dossier, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.check(); err != nil {
		return nil, err
	}
	if err := validate(d); err != nil {
		return nil, err
	}
	key := d.Families[0].Key()
	for _, x := range f.dossiers {
		if x.Records.Families[0].Key() == key {
			return nil, rescreen.Errorf(rescreen.ECONFLICT, "The family %s is already on record.", key)
		}
	}
	f.next++
	id := rescreen.FamilyID(fmt.Sprintf("F%05d", f.next))
	n := 0
	_ = d.EachRecord(func(k rescreen.Kind, r rescreen.Record) error {
		if r.Header().ID == "" {
			n++
			r.Header().ID = fmt.Sprintf("%s-%s-%d", id, k, n)
		}
		return nil
	})
	dos := &rescreen.Dossier{FamilyID: id, Stage: rescreen.StageOf(d), Version: 1, UpdatedAt: f.now, Records: *d}
	f.dossiers[id] = dos
	cp := *dos
	return &cp, nil
}

func (f *fakeFamilies) ApplyChanges(ctx context.Context, id rescreen.FamilyID, version int64, changes []rescreen.Change) (*rescreen.Dossier, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.check(); err != nil {
		return nil, err
	}
	f.lastVersion, f.lastChanges = version, changes
	if f.applyFail != nil {
		return nil, f.applyFail
	}
	d, ok := f.dossiers[id]
	if !ok {
		return nil, rescreen.Errorf(rescreen.ENOTFOUND, "No family has the id %s.", id)
	}
	if version != 0 && version != d.Version {
		return nil, rescreen.Errorf(rescreen.ECONFLICT, "The family changed since version %d; it is now at version %d.", version, d.Version)
	}
	for _, c := range changes {
		d.Records.Add(c.Record)
	}
	d.Version++
	d.Stage = rescreen.StageOf(&d.Records)
	cp := *d
	return &cp, nil
}

// fakeAudit is an in-memory AuditService whose chain is always whole; a
// wanted head other than its own is reported as missing.
type fakeAudit struct {
	seq  int64
	hash string
	fail error
}

func (a *fakeAudit) AuditHead(ctx context.Context) (int64, string, error) {
	return a.seq, a.hash, a.fail
}

func (a *fakeAudit) VerifyAudit(ctx context.Context, wantHead string) (rescreen.ChainReport, error) {
	if a.fail != nil {
		return rescreen.ChainReport{}, a.fail
	}
	r := rescreen.ChainReport{Events: a.seq, Head: a.hash, HeadSeq: a.seq}
	if wantHead != "" && wantHead != a.hash {
		r.Problem = &rescreen.ChainProblem{Seq: a.seq + 1, Reason: "the chain does not contain the kept head"}
	}
	return r, nil
}

var errDatabaseDown = errors.New("dial tcp 10.0.0.5:5432: connection refused")

// sampleDataset returns one family from the border agency: a parent and a
// child with identifiers, a separation, custody, a screening and elections.
func sampleDataset(sid, given, surname string) *rescreen.Dataset {
	yes := true
	src := rescreen.SourceCBP
	meta := func(id string) rescreen.Meta { return rescreen.Meta{Source: src, SourceID: sid + "-" + id} }
	ref := func(id string) rescreen.Ref { return rescreen.NewRef(src, sid+"-"+id) }
	d := &rescreen.Dataset{}
	d.Families = []rescreen.Family{{Meta: rescreen.Meta{Source: src, SourceID: sid}}}
	d.Persons = []rescreen.Person{
		{Meta: meta("P1"), Family: rescreen.NewRef(src, sid), Role: rescreen.RoleParent, GivenNames: given, FirstSurname: surname,
			Sex: "FEMALE", BirthDate: rescreen.MustDate("1990-03-04"), Country: "GT", Languages: []string{"es", "mam"}},
		{Meta: meta("P2"), Family: rescreen.NewRef(src, sid), Role: rescreen.RoleChild, GivenNames: "Ana", FirstSurname: surname,
			BirthDate: rescreen.MustDate("2012-01-15"), Country: "GT"},
	}
	d.Identifiers = []rescreen.Identifier{{Meta: meta("I1"), Person: ref("P1"), Kind: rescreen.IDANumber, Value: "A012345678"}}
	d.Separations = []rescreen.Separation{{Meta: meta("S1"), Family: rescreen.NewRef(src, sid), Parent: ref("P1"), Child: ref("P2"),
		On: rescreen.MustDate("2018-06-21"), Place: "El Paso", Agency: "CBP", Reason: "PROSECUTION_REFERRAL", ChildCustody: rescreen.CustodyORRShelter}}
	d.Custody = []rescreen.Custody{
		{Meta: meta("C1"), Person: ref("P1"), Kind: rescreen.CustodyICE, Start: rescreen.MustDate("2018-06-22"), End: rescreen.MustDate("2018-07-30"), Facility: "Otero"},
		{Meta: meta("C2"), Person: ref("P2"), Kind: rescreen.CustodyORRShelter, Start: rescreen.MustDate("2018-06-23")},
	}
	d.Screenings = []rescreen.Screening{{Meta: meta("SC1"), Person: ref("P1"), Kind: "CREDIBLE_FEAR", Occasion: rescreen.OccasionInitial,
		On: rescreen.MustDate("2018-07-02"), Result: rescreen.ResultNegative, Final: &yes, WhileSeparated: &yes}}
	d.Elections = []rescreen.Election{{Meta: meta("E1"), Person: ref("P1"), Choice: rescreen.ChoiceRemain, SignerRole: "SELF", SignedOn: rescreen.MustDate("2018-09-10")}}
	return d
}

// fakeRules serves a one-rule book and the decisions of known families.
type fakeRules struct {
	fam *fakeFamilies
}

func (f *fakeRules) RuleBook(ctx context.Context) (*rescreen.RuleBook, error) {
	return &rescreen.RuleBook{Version: "v-test",
		Rules:  []rescreen.Rule{{ID: "F-1", RuleSet: "COV-2018-S", Title: "Any positive member keeps the family", Status: "CONFIRMED", Citations: []string{"002_15b8f1cfedaf05c2.txt"}, Encoded: true}},
		Params: []rescreen.RuleParam{{Name: "cfg.partial_waiver", Default: "MANUAL_REVIEW", Values: []string{"MANUAL_REVIEW", "HOLD_ALL"}, Kind: "ENUM", Rules: []string{"F-9"}}},
		Values: map[string]string{"cfg.partial_waiver": "MANUAL_REVIEW"}}, nil
}

func (f *fakeRules) Decisions(ctx context.Context, id rescreen.FamilyID) ([]rescreen.Decision, error) {
	if _, err := f.fam.GetFamily(ctx, id); err != nil {
		return nil, err
	}
	return []rescreen.Decision{{Actor: "test", Cause: "import", Version: "v-test", AsOf: "2018-11-20", Outcome: rescreen.OutcomePending}}, nil
}
