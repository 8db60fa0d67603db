package rules

import (
	"testing"

	"rescreen"
)

// The builder writes families the way agency files would: persons from the
// border agency, custody from ICE and ORR, screenings from USCIS, elections
// from class counsel, each fact complete unless a test takes it away.

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

func day(s string) rescreen.Date {
	if s == "" {
		return rescreen.Date{}
	}
	return rescreen.MustDate(s)
}

type fb struct {
	d rescreen.Dataset
}

func ref(src rescreen.Source, id string) rescreen.Ref { return rescreen.NewRef(src, id) }

func pref(id string) rescreen.Ref { return ref(rescreen.SourceCBP, id) }

const famID = "F-1"

func newFamily() *fb {
	f := &fb{}
	f.d.Families = append(f.d.Families, rescreen.Family{Meta: rescreen.Meta{ID: "F-0001", Source: rescreen.SourceManual, SourceID: famID}})
	return f
}

func (f *fb) famRef() rescreen.Ref { return ref(rescreen.SourceManual, famID) }

// person adds a person with every flag recorded false, Spanish, with
// capacity, entered between ports the day given.
func (f *fb) person(id string, role rescreen.Role, born, entered string) *fb {
	f.d.Persons = append(f.d.Persons, rescreen.Person{
		Meta: rescreen.Meta{ID: "P-" + id, Source: rescreen.SourceCBP, SourceID: id}, Family: f.famRef(), Role: role,
		GivenNames: "Given " + id, FirstSurname: "Surname", BirthDate: day(born), Country: "GT", Languages: []string{"es"},
		EntryDate: day(entered), EntryKind: rescreen.EntryBetweenPorts,
		UnfitOrDanger: no(), CriminalHistory: no(), CommunicableDisease: no(), ActiveWarrant: no(), SubjectToEO13841: no(),
		LacksCapacity: no(), DoraPlaintiff: no(),
	})
	return f
}

func (f *fb) p(id string) *rescreen.Person {
	for i := range f.d.Persons {
		if f.d.Persons[i].SourceID == id {
			return &f.d.Persons[i]
		}
	}
	panic("no person " + id)
}

func (f *fb) separate(id, parent, child, on string, reason rescreen.SeparationReason) *fb {
	f.d.Separations = append(f.d.Separations, rescreen.Separation{
		Meta: rescreen.Meta{Source: rescreen.SourceCBP, SourceID: id}, Family: f.famRef(), Parent: pref(parent), Child: pref(child),
		On: day(on), PlaceKind: rescreen.EntryBetweenPorts, Agency: "CBP", Reason: reason, ChildCustody: rescreen.CustodyORRShelter,
	})
	return f
}

func (f *fb) sep(id string) *rescreen.Separation {
	for i := range f.d.Separations {
		if f.d.Separations[i].SourceID == id {
			return &f.d.Separations[i]
		}
	}
	panic("no separation " + id)
}

func (f *fb) custody(id, person string, kind rescreen.CustodyKind, start, end string) *fb {
	src := rescreen.SourceICE
	if kind == rescreen.CustodyORRShelter || kind == rescreen.CustodyORRFoster {
		src = rescreen.SourceORR
	}
	f.d.Custody = append(f.d.Custody, rescreen.Custody{Meta: rescreen.Meta{Source: src, SourceID: id}, Person: pref(person), Kind: kind, Start: day(start), End: day(end)})
	return f
}

func (f *fb) proceeding(id, person string, kind rescreen.ProceedingKind, opened string, status rescreen.ProceedingStatus) *fb {
	f.d.Proceedings = append(f.d.Proceedings, rescreen.Proceeding{Meta: rescreen.Meta{Source: rescreen.SourceICE, SourceID: id}, Person: pref(person), Kind: kind, Opened: day(opened), Status: status})
	return f
}

func (f *fb) proc(id string) *rescreen.Proceeding {
	for i := range f.d.Proceedings {
		if f.d.Proceedings[i].SourceID == id {
			return &f.d.Proceedings[i]
		}
	}
	panic("no proceeding " + id)
}

// screen adds a final screening; a settlement review is compliant (it does
// not rely on inconsistencies) with counsel in person.
func (f *fb) screen(id, person string, occ rescreen.Occasion, res rescreen.ScreeningResult, on, decided string) *fb {
	s := rescreen.Screening{Meta: rescreen.Meta{Source: rescreen.SourceUSCIS, SourceID: id}, Person: pref(person), Kind: rescreen.CredibleFear,
		Occasion: occ, On: day(on), DecidedOn: day(decided), Result: res, Final: yes(), WhileSeparated: yes()}
	if occ == rescreen.OccasionSettlement {
		s.WhileSeparated = no()
		s.ReliesOnInconsistency = no()
		s.Counsel = "IN_PERSON"
		s.Mode = "IN_PERSON"
	}
	if occ == rescreen.OccasionChildOwn {
		s.WhileSeparated = no()
	}
	if res == rescreen.ResultPending {
		s.Final = no()
		s.DecidedOn = rescreen.Date{}
	}
	f.d.Screenings = append(f.d.Screenings, s)
	return f
}

func (f *fb) scr(id string) *rescreen.Screening {
	for i := range f.d.Screenings {
		if f.d.Screenings[i].SourceID == id {
			return &f.d.Screenings[i]
		}
	}
	panic("no screening " + id)
}

// elect adds a form read aloud in Spanish, emailed to class counsel and
// received two days after signing, on a sheet of its own. A parent's
// signature is in the name of the parent the child was separated from.
func (f *fb) elect(id, person string, choice rescreen.Choice, signer rescreen.SignerRole, signed string) *fb {
	s := day(signed)
	name := "Signer of " + person
	if signer == rescreen.SignerParent {
		for i := range f.d.Separations {
			if f.d.Separations[i].Child == pref(person) {
				_, sid := f.d.Separations[i].Parent.Split()
				name = f.p(sid).FullName()
				break
			}
		}
	}
	f.d.Elections = append(f.d.Elections, rescreen.Election{
		Meta: rescreen.Meta{Source: rescreen.SourceCounsel, SourceID: id}, Person: pref(person), Choice: choice, SignerRole: signer,
		Signer: name, SignedOn: s, Language: "es", ReadAloud: yes(), Interpreter: "", Channel: "EMAIL",
		SentOn: s, Recipient: "ACLU class counsel", ReceivedOn: s.AddDays(2), FormVersion: "2018-11", FormRef: "SHEET-" + id,
	})
	return f
}

func (f *fb) el(id string) *rescreen.Election {
	for i := range f.d.Elections {
		if f.d.Elections[i].SourceID == id {
			return &f.d.Elections[i]
		}
	}
	panic("no election " + id)
}

func (f *fb) claim(person, on, decision, decidedOn string) *fb {
	p := f.p(person)
	p.TaskForceClaimOn = day(on)
	p.TaskForceDecision = rescreen.TaskForceDecision(decision)
	p.TaskForceDecisionOn = day(decidedOn)
	return f
}

func (f *fb) dataset() *rescreen.Dataset {
	d := f.d
	return &d
}

// baseFamily is settlement.md section 9's default: a parent in the U.S.,
// separated in June 2018 from one child (10), negative credible fear while
// separated, an expedited removal order; both in custody after the cutoff
// and reunified in July 2018.
func baseFamily() *fb {
	f := newFamily()
	f.person("P-1", rescreen.RoleParent, "1985-04-12", "2018-06-02")
	f.person("P-2", rescreen.RoleChild, "2008-05-10", "2018-06-02")
	f.separate("S-1", "P-1", "P-2", "2018-06-03", rescreen.ReasonProsecution)
	f.custody("C-1", "P-1", rescreen.CustodyCBP, "2018-06-02", "2018-06-04")
	f.custody("C-2", "P-1", rescreen.CustodyICE, "2018-06-04", "2018-07-20")
	f.custody("C-3", "P-1", rescreen.CustodyFamily, "2018-07-20", "")
	f.custody("C-4", "P-2", rescreen.CustodyCBP, "2018-06-02", "2018-06-03")
	f.custody("C-5", "P-2", rescreen.CustodyORRShelter, "2018-06-04", "2018-07-20")
	f.custody("C-6", "P-2", rescreen.CustodyFamily, "2018-07-20", "")
	f.proceeding("O-1", "P-1", rescreen.ProcExpedited, "2018-06-20", "ACTIVE")
	f.screen("CF-1", "P-1", rescreen.OccasionInitial, rescreen.ResultNegative, "2018-06-15", "2018-06-18")
	return f
}

// addChild adds another child (born, separated from P-1 the same day) with
// the same custody timeline.
func (f *fb) addChild(id, born string) *fb {
	f.person(id, rescreen.RoleChild, born, "2018-06-02")
	f.separate("S-"+id, "P-1", id, "2018-06-03", rescreen.ReasonProsecution)
	f.custody("C-"+id+"a", id, rescreen.CustodyORRShelter, "2018-06-04", "2018-07-20")
	f.custody("C-"+id+"b", id, rescreen.CustodyFamily, "2018-07-20", "")
	return f
}

// parentNegative records a final, compliant negative re-determination.
func (f *fb) parentNegative(id, person, decided string) *fb {
	d := day(decided)
	return f.screen(id, person, rescreen.OccasionSettlement, rescreen.ResultNegative, d.AddDays(-3).String(), decided)
}

func (f *fb) childResult(id, person string, res rescreen.ScreeningResult, decided string) *fb {
	d := day(decided)
	return f.screen(id, person, rescreen.OccasionChildOwn, res, d.AddDays(-2).String(), decided)
}

func mustEngine(tb testing.TB, p Params) *Engine {
	tb.Helper()
	e, err := NewEngine(p)
	if err != nil {
		tb.Fatal(err)
	}
	return e
}
