package synth

import (
	"fmt"
	"strconv"
	"strings"

	"rescreen"
)

// planReturns decides which removed parents have a return request, and how
// it went (D-6, D-7, D-8): about 4% of them through class counsel, in the
// proportions of the 21 applications of June 2019 (11 ordered returned, 7
// refused), and about 1% who came back by themselves, most with the group
// that crossed on 2019-03-02. With about 470 removed parents that makes
// about 20 requests.
func (g *generator) planReturns() {
	for i := range g.adults() {
		a := &g.m[i]
		if a.fate != fateRemoved || a.role() != rescreen.RoleParent {
			continue
		}
		switch u := g.u(); {
		case u < 0.008:
			a.rrState, a.rrChannel = rescreen.ReturnState("RETURNED"), rescreen.ReturnChannel("SELF_PRESENTED")
			if g.chance(0.6) {
				a.returned = dSelfPresented
			} else {
				a.returned = g.within(mkday(2019, 1, 15), mkday(2019, 12, 31))
			}
			continue
		case u >= 0.048:
			continue
		}
		if g.chance(0.85) {
			a.rrSubmitted = g.within(dFinalApproval+1, dT1)
		} else {
			a.rrSubmitted = g.within(dT1+1, mkday(2019, 1, 31)) // late under T-1 (SC-11)
		}
		a.rrChannel = rescreen.ReturnChannel("SETTLEMENT")
		switch u := g.u(); {
		case u < 0.05:
			a.rrState, a.rrSubmitted = rescreen.ReturnState("DRAFT"), 0
		case u < 0.13:
			a.rrState = rescreen.ReturnState("SUBMITTED")
		case u < 0.18:
			a.rrState = rescreen.ReturnState("WITHDRAWN")
		case u < 0.30:
			a.rrState = rescreen.ReturnState("GOV_DENIED")
			a.rrDecision = g.after(a.rrSubmitted, 20, 120)
		case u < 0.35:
			a.rrState = rescreen.ReturnState("GOV_APPROVED")
			a.rrDecision = g.after(a.rrSubmitted, 20, 120)
		case u < 0.40:
			a.rrState, a.rrChannel = rescreen.ReturnState("COURT_PENDING"), rescreen.ReturnChannel("COURT")
			a.rrDecision = g.after(a.rrSubmitted, 20, 120)
		case u < 0.55:
			a.rrState, a.rrChannel, a.rrCourt = rescreen.ReturnState("COURT_ORDERED_RETURN"), rescreen.ReturnChannel("COURT"), true
			a.rrDecision = g.after(a.rrSubmitted, 20, 120)
		case u < 0.80:
			a.rrState, a.rrChannel, a.rrCourt = rescreen.ReturnState("COURT_DENIED"), rescreen.ReturnChannel("COURT"), true
			a.rrDecision = g.after(a.rrSubmitted, 20, 120)
		default:
			a.rrState, a.rrChannel, a.rrCourt = rescreen.ReturnState("RETURNED"), rescreen.ReturnChannel("COURT"), true
			a.rrDecision = g.after(a.rrSubmitted, 20, 120)
			a.rrTravel = g.within(mkday(2019, 10, 1), mkday(2020, 1, 31))
			a.returned = g.after(a.rrTravel, 0, 2)
		}
	}
}

// planClassAndClaims dates the family's identification as class members
// (COV-21) and its Task Force claim (COV-24), and marks the Dora
// plaintiffs (COV-15).
func (g *generator) planClassAndClaims() {
	childReleasedBefore := false
	for _, c := range g.children() {
		if c.fate == fateReleased && c.fateDay < dClassOrder {
			childReleasedBefore = true
		}
	}
	switch {
	case g.sep > dClassOrder:
		g.identifiedOn = g.after(g.sep, 5, 60)
		g.identifiedBy = "Government report of post-injunction separations"
	case g.sep < dZeroTolerance-30 && childReleasedBefore:
		g.identifiedOn = g.within(dIdentifyFrom, dIdentifyTo)
		g.identifiedBy = "HHS review of ORR case files (ECF 386)"
	default:
		g.identifiedOn = g.within(mkday(2018, 7, 5), mkday(2018, 7, 31))
		g.identifiedBy = "Government class list (ECF 82)"
	}
	// The 29 Dora plaintiffs were parents screened while separated and
	// still in the U.S.: about 1% of such parents here.
	for i := range g.adults() {
		a := &g.m[i]
		a.dora = a.role() == rescreen.RoleParent && a.inUS && a.screened && a.negative && g.chance(0.01)
	}
	// About 7% of the families claim through the Task Force portal, from
	// its opening in 2021 to the end of 2024.
	if g.chance(0.07) {
		g.tfClaim = g.within(mkday(2021, 3, 1), mkday(2024, 12, 31))
		switch u := g.u(); {
		case u < 0.80:
			g.tfDecision, g.tfDecidedOn = tfAccepted, g.after(g.tfClaim, 20, 300)
		case u < 0.87:
			g.tfDecision, g.tfDecidedOn = tfDenied, g.after(g.tfClaim, 20, 300)
		default:
			g.tfDecision = tfPending
		}
	}
}

func meta(src rescreen.Source, sid string) rescreen.Meta {
	return rescreen.Meta{Source: src, SourceID: sid}
}

func (g *generator) writeFamily() {
	g.ds.Families = append(g.ds.Families, rescreen.Family{Meta: meta(rescreen.SourceCBP, g.famSID)})
}

// writePersons writes the persons, their name variants and identifiers.
func (g *generator) writePersons() {
	ci := 0
	for i := 0; i < g.n; i++ {
		m := &g.m[i]
		p := rescreen.Person{
			Meta:              meta(rescreen.SourceCBP, m.sid),
			Family:            g.famRef,
			Role:              m.role(),
			GivenNames:        m.given,
			FirstSurname:      m.s1,
			SecondSurname:     m.s2,
			Sex:               male,
			BirthDate:         m.birth.date(),
			Country:           g.country,
			Languages:         m.langs,
			EntryDate:         g.entry.date(),
			EntryKind:         g.entryKind,
			EntryPlace:        g.sector.place,
			ClassIdentifiedOn: g.identifiedOn.date(),
			ClassIdentifiedBy: g.identifiedBy,
		}
		if m.female {
			p.Sex = female
		}
		if g.chance(0.04) {
			p.BirthEstimate = ptr(true) // no documents; age as declared
		}
		if m.adult() {
			switch m.reason {
			case rescreen.ReasonCriminal:
				p.CriminalHistory = ptr(true)
			case rescreen.ReasonFitness:
				p.UnfitOrDanger = ptr(true)
			case rescreen.ReasonWarrant:
				p.ActiveWarrant = ptr(true)
			case rescreen.ReasonMedical:
				if g.chance(0.5) {
					p.CommunicableDisease = ptr(true)
				}
			}
			if m.reunified {
				// Reunification required the background checks to come back clean.
				p.CriminalHistory, p.UnfitOrDanger = ptr(false), ptr(false)
			}
			if m.dora {
				p.DoraPlaintiff = ptr(true)
			}
			// ICE's intake records the checks the class definitions read
			// (COV-3 to COV-5) as clean for most parents; about one in twenty
			// has them unrecorded, the gaps the rules must treat as unknown.
			// The choice is derived from the family index, not drawn, so
			// that the rest of the family's random stream is unchanged.
			if (g.idx*7+i)%20 != 0 {
				for _, f := range []**bool{&p.UnfitOrDanger, &p.CriminalHistory, &p.CommunicableDisease, &p.SubjectToEO13841} {
					if *f == nil {
						*f = ptr(false)
					}
				}
			}
		} else if m.age >= 14 && (g.idx+i)%10 != 0 {
			p.LacksCapacity = ptr(false) // capacity to sign one's own form (W4), recorded by counsel
		}
		if g.tfClaim != 0 {
			p.TaskForceClaimOn, p.TaskForceDecision, p.TaskForceDecisionOn = g.tfClaim.date(), g.tfDecision, g.tfDecidedOn.dateOr()
		}
		g.ds.Persons = append(g.ds.Persons, p)

		g.writeNameVariant(m)

		// A-numbers are issued at processing and are nine digits after the
		// A; the family index makes them unique across any run. About 2% of
		// the persons were issued a second one (R-SYS-4).
		base := g.idx*6 + i
		g.ds.Identifiers = append(g.ds.Identifiers, rescreen.Identifier{
			Meta: meta(rescreen.SourceCBP, m.sid+"-AN"), Person: rescreen.Ref(m.ref),
			Kind: rescreen.IDANumber, Value: "A" + strconv.Itoa(202_000_000+base), Status: idActive,
		})
		if g.chance(0.02) {
			g.ds.Identifiers = append(g.ds.Identifiers, rescreen.Identifier{
				Meta: meta(rescreen.SourceICE, m.sid+"-AN2"), Person: rescreen.Ref(m.ref),
				Kind: rescreen.IDANumber, Value: "A" + strconv.Itoa(700_000_000+base), Status: idDuplicate,
			})
		}
		if m.kin == kinChild {
			g.ds.Identifiers = append(g.ds.Identifiers, rescreen.Identifier{
				Meta: meta(rescreen.SourceORR, m.sid+"-UAC"), Person: rescreen.Ref(m.ref),
				Kind: idORR, Value: strconv.Itoa(10_000_000 + g.idx*3 + ci), Status: idActive,
			})
			ci++
		}
		if g.tfClaim != 0 {
			g.ds.Identifiers = append(g.ds.Identifiers, rescreen.Identifier{
				Meta: meta(rescreen.SourceTaskForc, m.sid+"-TF"), Person: rescreen.Ref(m.ref),
				Kind: idTaskForce, Value: "TF-" + m.sid[1:], Status: idActive,
			})
		}
	}
}

// writeNameVariant gives about one person in eight the name another agency
// recorded: the names without accents or apostrophes, or the first surname
// taken for a middle name by a system that knows one family name only.
func (g *generator) writeNameVariant(m *member) {
	if !g.chance(0.125) {
		return
	}
	src := rescreen.SourceICE
	if m.kin == kinChild {
		src = rescreen.SourceORR
	}
	v := rescreen.NameVariant{Meta: meta(src, m.sid+"-N1"), Person: rescreen.Ref(m.ref)}
	given, s1, s2 := fold(m.given), fold(m.s1), fold(m.s2)
	if (given != m.given || s1 != m.s1 || s2 != m.s2) && g.chance(0.6) {
		v.Kind, v.GivenNames, v.FirstSurname, v.SecondSurname = nameSpelling, given, s1, s2
	} else {
		v.Kind, v.GivenNames, v.FirstSurname = nameAsRecorded, m.given+" "+m.s1, m.s2
	}
	g.ds.Names = append(g.ds.Names, v)
}

// fold drops accents and apostrophes, as English-only systems did.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] == '\'' {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch r {
		case 'á', 'à', 'â', 'ã':
			r = 'a'
		case 'é', 'ê':
			r = 'e'
		case 'í':
			r = 'i'
		case 'ó', 'ô', 'õ':
			r = 'o'
		case 'ú', 'ü':
			r = 'u'
		case 'ñ':
			r = 'n'
		case 'ç':
			r = 'c'
		case 'Á':
			r = 'A'
		case 'É':
			r = 'E'
		case 'Í':
			r = 'I'
		case 'Ó':
			r = 'O'
		case 'Ú':
			r = 'U'
		case 'Ñ':
			r = 'N'
		case '\'':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// writeRelationships records each adult's tie to each child as CBP recorded
// it, the DNA tests ORR ran for the under-fives and for unverified
// parentage (R-SYS-2), and the siblings. About 2% of the adult-child ties
// were never recorded, as the OIG found.
func (g *generator) writeRelationships() {
	n := 0
	next := func() string {
		n++
		return g.famSID + "-R" + strconv.Itoa(n)
	}
	adults, children := g.adults(), g.children()
	for i := range adults {
		a := &adults[i]
		for j := range children {
			c := &children[j]
			parent := a.role() == rescreen.RoleParent
			kind := rescreen.RelParentOf
			if !parent {
				kind = rescreen.RelGuardianOf
			}
			if g.chance(0.98) {
				r := rescreen.Relationship{Meta: meta(rescreen.SourceCBP, next()), From: rescreen.Ref(a.ref), To: rescreen.Ref(c.ref), Kind: kind}
				switch {
				case a.reason == rescreen.ReasonParentage:
					r.Evidence = evNone
				case g.chance(0.43) || !parent:
					r.Evidence, r.VerifiedBy, r.VerifiedOn = evDocument, "CBP", g.sep.date()
				default:
					r.Evidence = evDeclared
				}
				g.ds.Relationships = append(g.ds.Relationships, r)
			} else {
				n++ // keep the numbering stable whether or not a tie was recorded
			}
			if parent && (c.age < 5 || a.reason == rescreen.ReasonParentage) {
				r := rescreen.Relationship{Meta: meta(rescreen.SourceORR, next()), From: rescreen.Ref(a.ref), To: rescreen.Ref(c.ref), Kind: kind, Evidence: evDNA}
				switch u := g.u(); {
				case u < 0.93:
					r.DNAStatus, r.VerifiedBy = dnaMatch, "ORR DNA testing contractor"
					hi := g.after(g.sep, 10, 40)
					if c.reunified {
						hi = min(hi, g.reunif-1)
					}
					r.VerifiedOn = g.within(g.sep+3, hi).date()
				case u < 0.96:
					r.DNAStatus = dnaPending
				default:
					r.DNAStatus = dnaInconclusive
				}
				g.ds.Relationships = append(g.ds.Relationships, r)
			}
		}
	}
	for j := 1; j < len(children); j++ {
		g.ds.Relationships = append(g.ds.Relationships, rescreen.Relationship{
			Meta: meta(rescreen.SourceCBP, next()), From: rescreen.Ref(children[j-1].ref), To: rescreen.Ref(children[j].ref),
			Kind: rescreen.RelSiblingOf, Evidence: evDeclared,
		})
	}
}

// legalBasis is the basis recorded for each separation reason (R-SYS-3).
var legalBasis = map[rescreen.SeparationReason]string{
	rescreen.ReasonProsecution:  "Referral for prosecution under 8 U.S.C. 1325(a) (zero tolerance)",
	rescreen.ReasonCriminal:     "Criminal history found in records checks",
	rescreen.ReasonFitness:      "Concern for the child's safety in the parent's care",
	rescreen.ReasonMedical:      "Medical condition requiring isolation or hospital care",
	rescreen.ReasonWarrant:      "Outstanding warrant",
	rescreen.ReasonParentage:    "Parentage could not be verified",
	rescreen.ReasonOtherSeparat: "Other (see narrative)",
}

var otherNarratives = []string{
	"Parent transferred to a county jail on a state charge; child placed with ORR.",
	"Parent hospitalised after apprehension; child transferred to ORR as unaccompanied.",
	"Family unit record split in e3 when the parent was processed as a single adult.",
	"Parent and child held in different stations after apprehension; reason not recorded.",
}

func (g *generator) writeSeparations() {
	n := 0
	decider := "Border Patrol agent"
	if g.entryKind == rescreen.EntryAtPort {
		decider = "CBP Office of Field Operations officer"
	}
	apprehension := "E3-" + g.famSID
	adults, children := g.adults(), g.children()
	for i := range adults {
		a := &adults[i]
		for j := range children {
			c := &children[j]
			n++
			s := rescreen.Separation{
				Meta:          meta(rescreen.SourceCBP, g.famSID+"-S"+strconv.Itoa(n)),
				Family:        g.famRef,
				Parent:        rescreen.Ref(a.ref),
				Child:         rescreen.Ref(c.ref),
				On:            g.sep.date(),
				Place:         g.sector.place,
				PlaceKind:     g.entryKind,
				Agency:        agencyCBP,
				Reason:        a.reason,
				LegalBasis:    legalBasis[a.reason],
				DecisionMaker: decider,
				ChildCustody:  rescreen.CustodyORRShelter,
				Apprehension:  apprehension,
			}
			if c.foster {
				s.ChildCustody = rescreen.CustodyORRFoster
			}
			if a.reason == rescreen.ReasonOtherSeparat {
				s.Narrative = pick(g, otherNarratives)
			}
			g.ds.Separations = append(g.ds.Separations, s)
		}
	}
}

// custodyWriter numbers one person's custody episodes.
type custodyWriter struct {
	g   *generator
	m   *member
	ref rescreen.Ref
	n   int
}

func (w *custodyWriter) add(src rescreen.Source, kind rescreen.CustodyKind, start, end day, at place, agency rescreen.Agency) {
	w.n++
	w.g.ds.Custody = append(w.g.ds.Custody, rescreen.Custody{
		Meta:     meta(src, w.m.sid+"-K"+strconv.Itoa(w.n)),
		Person:   w.ref,
		Kind:     kind,
		Start:    start.date(),
		End:      end.dateOr(),
		Facility: at.name,
		State:    at.state,
		Agency:   agency,
	})
}

// writeCustody writes every member's custody timeline. Holding by CBP
// starts at apprehension, before the separation; every later episode starts
// on or after the separation, and each starts when the one before ends.
func (g *generator) writeCustody() {
	home := place{removalCity[g.country], g.country}
	for i := 0; i < g.n; i++ {
		m := &g.m[i]
		w := custodyWriter{g: g, m: m, ref: rescreen.Ref(m.ref)}
		w.add(rescreen.SourceCBP, rescreen.CustodyCBP, g.entry, m.cbpEnd, g.sector.holding, agencyCBP)
		end := m.fateDay
		if m.fate == fateHeld {
			end = 0
		}
		if m.adult() {
			w.add(rescreen.SourceICE, rescreen.CustodyICE, m.cbpEnd, end, m.custody, agencyICE)
		} else {
			kind := rescreen.CustodyORRShelter
			if m.foster {
				kind = rescreen.CustodyORRFoster
			}
			w.add(rescreen.SourceORR, kind, m.cbpEnd, end, m.custody, agencyORR)
		}
		switch m.fate {
		case fateRemoved:
			w.add(rescreen.SourceICE, rescreen.CustodyRemoved, m.fateDay, 0, home, agencyICE)
			if m.returned != 0 {
				port := pick(g, ports).v.holding
				w.add(rescreen.SourceCBP, rescreen.CustodyCBP, m.returned, m.returned+1, port, agencyCBP)
				w.add(rescreen.SourceICE, rescreen.CustodyReleased, m.returned+1, 0, pick(g, sponsorTowns), agencyICE)
			}
		case fateReleased:
			src, agency := rescreen.SourceICE, agencyICE
			if !m.adult() {
				src, agency = rescreen.SourceORR, agencyORR
			}
			w.add(src, rescreen.CustodyReleased, m.fateDay, 0, m.sponsor, agency)
		case fateReunified, fateRemovedFam:
			src, agency := rescreen.SourceICE, agencyICE
			if !m.adult() {
				src, agency = rescreen.SourceORR, agencyORR
			}
			w.add(src, rescreen.CustodyReunified, m.fateDay, 0, g.reunifiedAt, agency)
			if g.famDetention {
				w.add(rescreen.SourceICE, rescreen.CustodyFamily, m.fateDay, g.famEnd, g.famPlace, agencyICE)
				if m.fate == fateRemovedFam {
					w.add(rescreen.SourceICE, rescreen.CustodyRemoved, g.famEnd, 0, home, agencyICE)
				} else {
					w.add(rescreen.SourceICE, rescreen.CustodyReleased, g.famEnd, 0, g.famTown, agencyICE)
				}
			}
		}
	}
}

// procWriter numbers one person's proceedings.
type procWriter struct {
	g *generator
	m *member
	n int
}

func (w *procWriter) add(p rescreen.Proceeding) {
	w.n++
	p.Meta.SourceID = w.m.sid + "-O" + strconv.Itoa(w.n)
	p.Person = rescreen.Ref(w.m.ref)
	w.g.ds.Proceedings = append(w.g.ds.Proceedings, p)
}

// writeProceedings writes the removal orders and proceedings: an expedited
// removal order (or a reinstated prior order) for every adult, executed on
// removal, superseded by a Notice to Appear after a positive screening
// (R-P7, whose effect on the order is unknown and so varies), and section
// 240 proceedings and asylum applications before EOIR.
func (g *generator) writeProceedings() {
	for i := 0; i < g.n; i++ {
		m := &g.m[i]
		w := procWriter{g: g, m: m}
		var nta day
		if m.adult() {
			order := rescreen.Proceeding{
				Meta:        rescreen.Meta{Source: rescreen.SourceICE},
				Kind:        rescreen.ProcExpedited,
				Opened:      g.within(g.entry, m.cbpEnd).date(),
				Status:      procActive,
				DocumentRef: "I-860",
			}
			if m.rf {
				order.Kind, order.DocumentRef = rescreen.ProcReinstated, "I-871"
			}
			positive := m.screened && !m.negative
			switch {
			case positive:
				nta = g.after(m.decidedOn, 7, 45)
			case m.review == rescreen.ResultPositive:
				nta = g.after(m.reviewDec, 10, 60)
			}
			switch {
			case m.fate == fateRemoved || (m.fate == fateRemovedFam && nta == 0):
				removal := m.fateDay
				if m.fate == fateRemovedFam {
					removal = g.famEnd
				}
				order.Status, order.Outcome = procExecuted, "removal executed"
				decided := order.Opened
				if m.screened {
					decided = min(g.after(m.decidedOn, 2, 6), removal).date()
				}
				order.DecidedOn = decided
			case nta != 0:
				switch u := g.u(); {
				case u < 0.7:
					order.Status = procSuperseded
				case u < 0.8:
					order.Status = procVacated
				}
			case m.screened && g.chance(0.7):
				// An immigration judge concurred in the negative determination.
				order.DecidedOn = g.after(m.decidedOn, 3, 14).date()
			}
			w.add(order)
		} else if m.interview == rescreen.ResultPositive {
			nta = g.after(m.intDec, 15, 60)
		}
		if nta == 0 {
			continue
		}
		p240 := rescreen.Proceeding{
			Meta:        rescreen.Meta{Source: rescreen.SourceEOIR},
			Kind:        rescreen.ProcSection240,
			Opened:      nta.date(),
			Status:      procActive,
			DocumentRef: "I-862",
		}
		if m.rf {
			p240.Outcome = "withholding-only proceedings"
		}
		granted := false
		switch {
		case m.fate == fateRemovedFam:
			p240.Status, p240.DecidedOn, p240.Outcome = procConcluded, g.famEnd.date(), "terminated after an Option B election"
		case g.chance(0.2):
			p240.Status, p240.DecidedOn = procConcluded, g.within(mkday(2020, 1, 1), mkday(2023, 12, 31)).date()
			if g.chance(0.55) {
				p240.Outcome, granted = "asylum granted", true
			} else {
				p240.Outcome = "proceedings terminated"
			}
		}
		w.add(p240)
		if m.fate != fateRemovedFam && (granted || g.chance(0.4)) {
			asylum := rescreen.Proceeding{
				Meta:   rescreen.Meta{Source: rescreen.SourceEOIR},
				Kind:   rescreen.ProcAsylumAppl,
				Opened: g.after(nta, 60, 400).date(),
				Status: procActive,
			}
			if granted {
				if p240.DecidedOn.Before(asylum.Opened) {
					asylum.Opened = p240.Opened // filed with the Notice to Appear
				}
				asylum.Status, asylum.DecidedOn, asylum.Outcome = procConcluded, p240.DecidedOn, "granted"
			}
			w.add(asylum)
		}
	}
}

// pickOrg returns a random organisation of the list.
func pickOrg(g *generator, orgs []organisation) *organisation {
	return &orgs[g.intn(len(orgs))]
}

// writeCounsel writes the family's counsel, if it has one: about 45% of
// the families the settlement reached (a form, a review or a child's
// interview); child advocates for about 30% of the interviewed children
// under 12; and class counsel for the removed parents with a return request.
func (g *generator) writeCounsel() {
	reached := false
	for i := 0; i < g.n; i++ {
		m := &g.m[i]
		if m.election != "" || m.review != "" || m.interview != "" {
			reached = true
		}
	}
	n := 0
	add := func(org *organisation, person string, from day) {
		n++
		c := rescreen.Counsel{
			Meta:         meta(rescreen.SourceCounsel, g.famSID+"-L"+strconv.Itoa(n)),
			Family:       g.famRef,
			Person:       rescreen.Ref(person),
			Role:         org.role,
			Organization: org.name,
			From:         from.date(),
		}
		if g.chance(0.5) {
			c.Name = pick(g, englishGiven) + " " + pick(g, englishSurnames)
		} else if g.chance(0.6) {
			c.Name = pick(g, spanishFemaleAdult) + " " + pick(g, spanishSurnames)
		} else {
			c.Name = pick(g, spanishMaleAdult) + " " + pick(g, spanishSurnames)
		}
		if org.name == "" {
			c.Organization = "Law Office of " + c.Name
		}
		num := strconv.Itoa(100 + g.intn(900))
		c.Email = "attorney" + num + "@" + org.domain
		c.Phone = "+1 " + org.area + " 555 01" + num[1:]
		if g.chance(0.2) {
			c.To = g.after(from, 100, 700).date()
		}
		g.ds.Counsel = append(g.ds.Counsel, c)
	}
	if reached && g.chance(0.45) {
		var org *organisation
		switch u := g.u(); {
		case u < 0.75:
			org = pickOrg(g, legalServices)
		case u < 0.90:
			org = pickOrg(g, classCounsel)
		default:
			org = pickOrg(g, privateAttorneys)
		}
		g.counselOrg = org
		add(org, "", g.within(max(g.sep+5, mkday(2018, 7, 1)), mkday(2018, 11, 30)))
	}
	for _, c := range g.children() {
		if c.interview != "" && c.age < 12 && g.chance(0.3) {
			add(pickOrg(g, childAdvocates), c.ref, g.within(max(g.sep+5, mkday(2018, 7, 1)), c.intOn))
		}
	}
	for _, a := range g.adults() {
		if a.rrState != "" && a.rrChannel != rescreen.ReturnChannel("SELF_PRESENTED") {
			add(&classCounsel[0], a.ref, dFinalApproval)
		}
	}
}

var (
	interviewModes = newTable([]weighted[rescreen.InterviewMode]{{modeInPerson, 0.35}, {modePhone, 0.5}, {modeVideo, 0.15}})
	reviewCounsel  = newTable([]weighted[rescreen.CounselPresence]{{counselInPerson, 0.30}, {counselPhone, 0.40}, {counselNone, 0.25}, {counselVideo, 0.05}})
	initialCounsel = newTable([]weighted[rescreen.CounselPresence]{{counselNone, 0.90}, {counselPhone, 0.07}, {counselInPerson, 0.03}})
	evidenceKinds  = newTable([]weighted[rescreen.EvidenceKind]{
		{"DECLARATION", 0.35}, {"PSYCHOLOGICAL_EVALUATION", 0.20}, {"COUNTRY_CONDITIONS", 0.20},
		{"DOCUMENT", 0.15}, {"MEDICAL_REPORT", 0.07}, {"TESTIMONY", 0.03},
	})
)

var evidenceDescriptions = map[rescreen.EvidenceKind]string{
	"DECLARATION":              "Declaration of the parent on the threats that made the family flee",
	"PSYCHOLOGICAL_EVALUATION": "Evaluation of the parent's state after the separation, for the first interview",
	"COUNTRY_CONDITIONS":       "Country conditions report on gang violence and state protection",
	"DOCUMENT":                 "Police complaint filed in the home country",
	"MEDICAL_REPORT":           "Medical record of injuries from an assault",
	"TESTIMONY":                "Testimony of a relative by telephone",
}

// interpreterFor returns the language of the interpreter a member got: the
// Mayan language for some Mayan speakers, Spanish for the rest of them (the
// recurring failure W3 guards against), else the member's first language.
func (g *generator) interpreterFor(m *member, pMayan float64) string {
	if g.mayanLang != nil && m.langs[0] == g.mayanLang.code && !g.chance(pMayan) {
		return "es"
	}
	return m.langs[0]
}

// officer returns the badge of a synthetic asylum officer.
func (g *generator) officer() string { return "AO-" + strconv.Itoa(1000+g.intn(9000)) }

// writeScreenings writes the initial screenings of the adults, the
// settlement's reviews with their compliance facts (R-P3 to R-P5) and
// evidence (R-P4), the children's own interviews (R-C2) with a removed
// parent's testimony (R-C3), and the screening of parents who came back.
func (g *generator) writeScreenings() {
	anyRemoved := ""
	for _, a := range g.adults() {
		if a.fate == fateRemoved {
			anyRemoved = a.ref
		}
	}
	for i := 0; i < g.n; i++ {
		m := &g.m[i]
		n := 0
		add := func(s rescreen.Screening) rescreen.Ref {
			n++
			s.Meta = meta(rescreen.SourceUSCIS, m.sid+"-Q"+strconv.Itoa(n))
			s.Person = rescreen.Ref(m.ref)
			s.Officer = g.officer()
			s.Mode = interviewModes.pick(g.u())
			g.ds.Screenings = append(g.ds.Screenings, s)
			return rescreen.NewRef(s.Meta.Source, s.Meta.SourceID)
		}
		office := asylumOffice[m.custody.state]
		if office == "" {
			office = "Houston Asylum Office"
		}
		kind := rescreen.CredibleFear
		if m.rf {
			kind = rescreen.ReasonableFear
		}
		if m.screened {
			result := rescreen.ResultPositive
			if m.negative {
				result = rescreen.ResultNegative
			}
			add(rescreen.Screening{
				Kind: kind, Occasion: rescreen.OccasionInitial, On: m.screenOn.date(), Result: result,
				Final: ptr(true), DecidedOn: m.decidedOn.date(), WhileSeparated: ptr(true), Office: office,
				Counsel: initialCounsel.pick(g.u()), Interpreter: g.interpreterFor(m, 0.55),
			})
		}
		if m.review != "" {
			s := rescreen.Screening{
				Kind: kind, Occasion: rescreen.OccasionSettlement, On: m.reviewOn.date(), Result: m.review,
				DecidedOn: m.reviewDec.dateOr(), WhileSeparated: ptr(!m.reunified || m.reviewOn < g.reunif),
				Office: office, Counsel: reviewCounsel.pick(g.u()), Interpreter: g.interpreterFor(m, 0.7),
			}
			switch m.review {
			case rescreen.ResultNegative:
				s.Final = ptr(true)
				if g.chance(0.45) {
					// SC-19 and SC-20: a quarter of the decisions that rely on
					// inconsistencies did not consider the parent's state.
					s.ReliesOnInconsistency, s.PsychStateConsidered = ptr(true), ptr(g.chance(0.75))
				} else {
					s.ReliesOnInconsistency = ptr(false)
					if g.chance(0.4) {
						s.PsychStateConsidered = ptr(false)
					}
				}
			case rescreen.ResultPositive:
				s.Final, s.ReliesOnInconsistency = ptr(true), ptr(false)
				if g.chance(0.5) {
					s.PsychStateConsidered = ptr(true)
				}
			}
			ref := add(s)
			submitter := "the parent"
			if g.counselOrg != nil && g.counselOrg.name != "" {
				submitter = g.counselOrg.name
			}
			items := 0
			switch u := g.u(); {
			case u < 0.10:
				items = 3
			case u < 0.30:
				items = 2
			case u < 0.60:
				items = 1
			}
			for k := 1; k <= items; k++ {
				ek := evidenceKinds.pick(g.u())
				lang := "es"
				if ek == "COUNTRY_CONDITIONS" || ek == "PSYCHOLOGICAL_EVALUATION" || g.portuguese {
					lang = "en"
				}
				g.ds.Evidence = append(g.ds.Evidence, rescreen.EvidenceItem{
					Meta:        meta(rescreen.SourceCounsel, m.sid+"-E"+strconv.Itoa(k)),
					Person:      rescreen.Ref(m.ref),
					Screening:   ref,
					Kind:        ek,
					SubmittedOn: max(g.sep+10, m.reviewOn-day(g.intn(15))).date(),
					Language:    lang,
					Submitter:   submitter,
					Description: evidenceDescriptions[ek],
				})
			}
		}
		if m.interview != "" {
			s := rescreen.Screening{
				Kind: rescreen.CredibleFear, Occasion: rescreen.OccasionChildOwn, On: m.intOn.date(), Result: m.interview,
				DecidedOn: m.intDec.dateOr(), WhileSeparated: ptr(!m.reunified),
				Office: office, Counsel: reviewCounsel.pick(g.u()), Interpreter: g.interpreterFor(m, 0.7),
			}
			if m.interview != rescreen.ResultPending {
				s.Final = ptr(true)
			}
			ref := add(s)
			if anyRemoved != "" && g.chance(0.5) {
				var parent *member
				for j := range g.adults() {
					if g.m[j].ref == anyRemoved {
						parent = &g.m[j]
					}
				}
				g.ds.Evidence = append(g.ds.Evidence, rescreen.EvidenceItem{
					Meta:        meta(rescreen.SourceCounsel, m.sid+"-E1"),
					Person:      rescreen.Ref(m.ref),
					Screening:   ref,
					Kind:        "TESTIMONY",
					SubmittedOn: max(m.intOn-day(g.intn(10)), parent.fateDay+1).date(),
					Language:    parent.langs[0],
					Submitter:   parent.fullName(),
					Description: "Testimony of the child's parent by telephone from " + removalCity[g.country],
				})
			}
		}
		if m.returned != 0 {
			s := rescreen.Screening{
				Kind: rescreen.CredibleFear, Occasion: rescreen.OccasionReturnBorder, On: g.after(m.returned, 3, 20).date(),
				Result: rescreen.ResultPending, WhileSeparated: ptr(false), Office: "Los Angeles Asylum Office",
				Counsel: reviewCounsel.pick(g.u()), Interpreter: g.interpreterFor(m, 0.7),
			}
			if g.chance(0.7) {
				s.Result, s.Final, s.DecidedOn = rescreen.ResultPositive, ptr(true), s.On
			}
			add(s)
		}
	}
}

var (
	formChannels = newTable([]weighted[rescreen.Channel]{{chEmail, 0.55}, {chMail, 0.30}, {chFax, 0.08}, {chInPerson, 0.07}})
)

// writeElections writes the election forms, one per member in the U.S. of
// the families that returned them, with the defects the rules must catch:
// unsigned forms (W2, W7), children under 14 signing for themselves (W4,
// SC-07), forms read in Spanish to members who understand none (W3, SC-09),
// and one sheet for the whole family (W5, SC-08).
func (g *generator) writeElections() {
	sharedSheet := g.chance(0.02)
	var signerAdult *member
	for i := range g.adults() {
		if g.m[i].election != "" && signerAdult == nil {
			signerAdult = &g.m[i]
		}
	}
	recipient := classCounsel[0].name
	if g.chance(0.3) {
		recipient = pickOrg(g, classCounsel[1:]).name
	}
	for i := 0; i < g.n; i++ {
		m := &g.m[i]
		if m.election == "" {
			continue
		}
		e := rescreen.Election{
			Meta:        meta(rescreen.SourceCounsel, m.sid+"-EL"),
			Person:      rescreen.Ref(m.ref),
			Choice:      m.election,
			SignerRole:  rescreen.SignerSelf,
			Signer:      m.fullName(),
			SignedOn:    m.signedOn.date(),
			Language:    m.langs[0],
			Recipient:   recipient,
			FormVersion: "2018-10 Formulario de Elección",
			FormRef:     m.sid + "-FORM",
		}
		if sharedSheet {
			e.FormRef = g.famSID + "-FORM"
		}
		switch {
		case g.chance(0.025):
			e.SignerRole, e.Signer, e.SignedOn = rescreen.SignerNone, "", rescreen.Date{}
		case m.kin == kinChild && m.signedOn < m.birth.addYears(14) && !g.chance(0.04):
			// Under 14 on the signing day, a parent or a representative
			// signs (W4); in 4% of the cases the child signed herself (SC-07).
			switch {
			case signerAdult != nil && signerAdult.role() == rescreen.RoleParent:
				e.SignerRole, e.Signer = rescreen.SignerParent, signerAdult.fullName()
			case signerAdult != nil:
				e.SignerRole, e.Signer = rescreen.SignerLegalRep, signerAdult.fullName()
			default:
				e.SignerRole = rescreen.SignerLegalRep
				e.Signer = pick(g, englishGiven) + " " + pick(g, englishSurnames)
			}
		}
		if g.mayanLang != nil && m.langs[0] == g.mayanLang.code {
			if g.chance(0.6) {
				e.Interpreter = g.mayanLang.name + " interpreter, " + pick(g, steeringCommittee)
			} else {
				e.Language = "es"
			}
		} else if g.portuguese && m.spanish && g.chance(0.2) {
			e.Language = "es"
		}
		if g.chance(0.85) {
			e.ReadAloud = ptr(true)
		}
		e.Channel = formChannels.pick(g.u())
		sent := g.after(m.signedOn, 0, 4)
		e.SentOn = sent.date()
		if g.chance(0.95) {
			if e.Channel == chMail {
				e.ReceivedOn = g.after(sent, 3, 12).date()
			} else {
				e.ReceivedOn = g.after(sent, 0, 2).date()
			}
		}
		g.ds.Elections = append(g.ds.Elections, e)
	}
}

var (
	phoneOutcomes = newTable([]weighted[rescreen.ContactOutcome]{{"NO_ANSWER", 0.35}, {"MESSAGE_LEFT", 0.2}, {"DISCONNECTED", 0.25}, {"WRONG_NUMBER", 0.17}, {"REFUSED", 0.03}})
	contactChans  = newTable([]weighted[rescreen.Channel]{{chPhone, 0.45}, {chMessaging, 0.25}, {chNGOSearch, 0.15}, {chHomeVisit, 0.10}, {chMail, 0.05}})
	preferences   = newTable([]weighted[rescreen.PreferenceKind]{{rescreen.PrefReunifyHome, 0.45}, {rescreen.PrefChildStays, 0.35}, {rescreen.PrefSeekReturn, 0.20}})
)

// writeRemovedParents writes, for each removed adult, the outreach attempts
// (R-SYS-10: about half are never reached), the preferences declared
// (R-SYS-7: an ICE reunification waiver for most of those removed after
// ICE began recording choices on 2018-07-12, W8), and the return request.
func (g *generator) writeRemovedParents() {
	recordedFrom := mkday(2018, 7, 12)
	searchEnd := mkday(2021, 6, 30)
	for i := range g.adults() {
		a := &g.m[i]
		if a.fate != fateRemoved {
			continue
		}
		interp := ""
		if g.mayanLang != nil && a.langs[0] == g.mayanLang.code {
			interp = g.mayanLang.name + " interpreter"
		}
		np := 0
		pref := func(kind rescreen.PreferenceKind, on day, src rescreen.Source, version, recipient string) {
			np++
			p := rescreen.Preference{
				Meta: meta(src, a.sid+"-W"+strconv.Itoa(np)), Person: rescreen.Ref(a.ref), Kind: kind,
				DeclaredOn: on.date(), Signer: a.fullName(), Language: a.langs[0], Interpreter: interp,
				FormVersion: version, Recipient: recipient,
			}
			if src == rescreen.SourceICE && interp != "" && g.chance(0.5) {
				p.Language, p.Interpreter = "es", "" // the ICE form was in Spanish
			}
			g.ds.Preferences = append(g.ds.Preferences, p)
		}
		if a.fateDay > recordedFrom && g.chance(0.7) {
			pref(rescreen.PrefReunificationWvr, g.within(max(a.cbpEnd+1, recordedFrom), a.fateDay), rescreen.SourceICE,
				"ICE separated parent's removal form (2018-07)", "ICE Enforcement and Removal Operations")
		}

		attempts := 1 + g.intn(4)
		reached := g.chance(0.5)
		on := g.after(a.fateDay, 20, 120)
		for k := 1; k <= attempts; k++ {
			ch := contactChans.pick(g.u())
			var out rescreen.ContactOutcome
			last := k == attempts
			switch {
			case last && reached:
				out = "REACHED"
			case ch == chHomeVisit || ch == chNGOSearch:
				out = "NOT_FOUND"
			case ch == chMail:
				out = "RETURNED_MAIL"
			default:
				out = phoneOutcomes.pick(g.u())
			}
			c := rescreen.ContactAttempt{
				Meta: meta(rescreen.SourceNGO, a.sid+"-T"+strconv.Itoa(k)), Person: rescreen.Ref(a.ref),
				On: min(on, searchEnd).date(), Channel: ch, Language: a.langs[0], Interpreter: interp,
				Outcome: out, By: pick(g, steeringCommittee),
			}
			switch out {
			case "DISCONNECTED", "WRONG_NUMBER", "RETURNED_MAIL":
				c.Stale = ptr(true)
			}
			g.ds.Contacts = append(g.ds.Contacts, c)
			if last && reached && g.chance(0.6) {
				pref(preferences.pick(g.u()), min(on, searchEnd), rescreen.SourceNGO, "Steering committee declaration (2018-10)", "Steering committee")
			}
			on = g.after(on, 15, 200)
		}

		if a.rrState == "" {
			continue
		}
		rr := rescreen.ReturnRequest{
			Meta:        meta(rescreen.SourceCounsel, a.sid+"-RR"),
			Parent:      rescreen.Ref(a.ref),
			State:       a.rrState,
			Channel:     a.rrChannel,
			SubmittedOn: a.rrSubmitted.dateOr(),
			DecisionOn:  a.rrDecision.dateOr(),
			TravelOn:    a.rrTravel.dateOr(),
			ArrivedOn:   a.returned.dateOr(),
		}
		for _, c := range g.children() {
			if c.inUS {
				rr.Children = append(rr.Children, rescreen.Ref(c.ref))
			}
		}
		if a.rrChannel != rescreen.ReturnChannel("SELF_PRESENTED") {
			rr.Counsel = classCounsel[0].name
		}
		if a.rrDecision != 0 {
			switch a.rrState {
			case rescreen.ReturnState("GOV_APPROVED"):
				rr.Basis = "Rare and unusual circumstances shown"
			default:
				rr.Basis = "No rare and unusual circumstances shown"
			}
		}
		if a.rrCourt {
			rr.CourtOrder, rr.CourtOn = "ECF 456", dCourtReturns.date()
			if a.rrState != rescreen.ReturnState("COURT_DENIED") {
				rr.Basis = "Waiver of rights obtained by coercion or misinformation (ECF 456)"
			}
		}
		g.ds.ReturnRequests = append(g.ds.ReturnRequests, rr)
	}
}

// writeBenefits writes the 2023 settlement's benefits (T-10 to T-14) for the
// members of families whose Task Force claim was accepted and who are in
// the U.S.: parole and work authorization for three years, and some
// housing, behavioral health and legal services.
func (g *generator) writeBenefits() {
	if g.tfDecision != tfAccepted {
		return
	}
	for i := 0; i < g.n; i++ {
		m := &g.m[i]
		if (m.fate == fateRemoved && m.returned == 0) || m.fate == fateRemovedFam {
			continue
		}
		n := 0
		add := func(kind rescreen.BenefitKind, granted day, years, months int, ref string) {
			n++
			b := rescreen.Benefit{
				Meta: meta(rescreen.SourceTaskForc, m.sid+"-B"+strconv.Itoa(n)), Person: rescreen.Ref(m.ref),
				Kind: kind, GrantedOn: granted.date(), StartsOn: granted.date(), Reference: ref,
			}
			if years > 0 || months > 0 {
				b.EndsOn = (granted.addMonths(12*years+months) - 1).date()
			}
			g.ds.Benefits = append(g.ds.Benefits, b)
		}
		parole := g.after(max(g.tfDecidedOn, dSettlement2023), 0, 200)
		add("PAROLE", parole, 3, 0, "I-94")
		if m.adult() {
			add("WORK_AUTHORIZATION", g.after(parole, 30, 120), 3, 0, "I-766")
			if g.chance(0.2) {
				add("HOUSING", g.after(parole, 0, 60), 0, 12, "")
			}
			if g.chance(0.3) {
				add("LEGAL_SERVICES", g.after(parole, 0, 90), 0, 0, "")
			}
		}
		if g.chance(0.3) {
			add("BEHAVIORAL_HEALTH", g.after(parole, 0, 90), 3, 0, "")
		}
	}
}

// writeAppointments writes the appointment behind each settlement review
// and child's interview: made one to three weeks before, counsel told
// three to ten days before, held with the screening's officer, mode and
// interpreter; one in twenty was first set for an earlier day and the
// person did not come.
func (g *generator) writeAppointments() {
	for i := 0; i < g.n; i++ {
		m := &g.m[i]
		n := 0
		for _, x := range []struct {
			occ rescreen.Occasion
			on  day
		}{{rescreen.OccasionSettlement, m.reviewOn}, {rescreen.OccasionChildOwn, m.intOn}} {
			var s *rescreen.Screening
			for j := range g.ds.Screenings {
				if sc := &g.ds.Screenings[j]; sc.Person == rescreen.Ref(m.ref) && sc.Occasion == x.occ {
					s = sc
				}
			}
			if s == nil || s.On.IsZero() {
				continue
			}
			add := func(on day, state rescreen.AppointmentState, screening rescreen.Ref) {
				n++
				a := rescreen.Appointment{
					Meta:   meta(rescreen.SourceUSCIS, m.sid+"-AP"+strconv.Itoa(n)),
					Person: rescreen.Ref(m.ref), Occasion: x.occ, On: on.date(),
					Time:    fmt.Sprintf("%02d:%02d", 8+g.intn(8), 15*g.intn(4)),
					Officer: s.Officer, Office: s.Office, Mode: s.Mode,
					Interpreter: s.Interpreter, State: state, Screening: screening,
					ScheduledOn: (on - day(7+g.intn(15))).date(), ScheduledBy: "USCIS scheduling unit",
					CounselNotifiedOn: (on - day(3+g.intn(8))).date(),
				}
				if a.Mode == rescreen.InterviewMode(modeInPerson) {
					a.Place = s.Office + ", interview room " + strconv.Itoa(1+g.intn(12))
				} else {
					a.Phone = "+1 202 555 01" + fmt.Sprintf("%02d", g.intn(100))
				}
				g.ds.Appointments = append(g.ds.Appointments, a)
			}
			if g.chance(0.05) {
				add(x.on-day(7+g.intn(14)), rescreen.AppointmentNoShow, "")
			}
			add(x.on, rescreen.AppointmentHeld, s.Key())
		}
	}
}

// writeNotices writes the notices given to each member: the election form
// before it was signed (read aloud by the interpreter in a language with no
// written form), the scheduling notice sent to counsel for each
// appointment, and the determination notice of each decided settlement
// screening. Agency records carry no documents, so Document is empty.
func (g *generator) writeNotices() {
	written := func(lang string) bool { return lang == "en" || lang == "es" }
	for i := 0; i < g.n; i++ {
		m := &g.m[i]
		n := 0
		add := func(src rescreen.Source, x rescreen.Notice) {
			n++
			x.Meta = meta(src, m.sid+"-N"+strconv.Itoa(n))
			x.Person = rescreen.Ref(m.ref)
			if x.Outcome == "" {
				x.Outcome = rescreen.DeliveryDelivered
			}
			g.ds.Notices = append(g.ds.Notices, x)
		}
		for _, e := range g.ds.Elections {
			if e.Person != rescreen.Ref(m.ref) || e.SignedOn.IsZero() {
				continue
			}
			x := rescreen.Notice{Kind: rescreen.NoticeElectionForm, Language: e.Language, Mode: rescreen.DeliveryInPerson,
				On: (m.signedOn - day(g.intn(3))).date(), Signer: e.Signer, By: e.Recipient}
			if written(e.Language) {
				x.Version = "1"
			} else {
				x.Mode, x.Interpreter = rescreen.DeliveryReadAloud, e.Interpreter
				if x.Interpreter == "" {
					x.Interpreter = "contract interpreter (" + e.Language + ")"
				}
			}
			add(rescreen.SourceCounsel, x)
		}
		for _, a := range g.ds.Appointments {
			if a.Person != rescreen.Ref(m.ref) || a.CounselNotifiedOn.IsZero() {
				continue
			}
			add(rescreen.SourceUSCIS, rescreen.Notice{Kind: rescreen.NoticeScheduling, Language: "en", Version: "1",
				Recipient: "counsel of record", Mode: rescreen.DeliveryEmail, On: a.CounselNotifiedOn, Appointment: a.Key(),
				By: a.ScheduledBy})
		}
		for _, s := range g.ds.Screenings {
			if s.Person != rescreen.Ref(m.ref) || s.DecidedOn.IsZero() ||
				(s.Occasion != rescreen.OccasionSettlement && s.Occasion != rescreen.OccasionChildOwn) {
				continue
			}
			x := rescreen.Notice{Kind: rescreen.NoticeDetermination, Language: m.langs[0], Mode: rescreen.DeliveryInPerson,
				On: s.DecidedOn, Screening: s.Key(), By: s.Officer}
			if written(x.Language) {
				x.Version = "1"
			} else {
				x.Mode, x.Interpreter = rescreen.DeliveryReadAloud, "USCIS contract interpreter ("+x.Language+")"
			}
			add(rescreen.SourceUSCIS, x)
		}
	}
}
