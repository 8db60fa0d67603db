package synth

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strconv"

	"rescreen"
)

// Values of the controlled lists that the root package names only as strings.
const (
	female = rescreen.Sex("FEMALE")
	male   = rescreen.Sex("MALE")

	nameAsRecorded = rescreen.NameKind("AS_RECORDED")
	nameSpelling   = rescreen.NameKind("SPELLING_VARIANT")

	idORR       = rescreen.IdentifierKind("ORR_UAC_ID")
	idTaskForce = rescreen.IdentifierKind("TASK_FORCE_ID")
	idActive    = rescreen.IdentifierStatus("ACTIVE")
	idDuplicate = rescreen.IdentifierStatus("DUPLICATE_ISSUED")

	evDeclared = rescreen.Evidence("DECLARED")
	evDocument = rescreen.Evidence("DOCUMENT")
	evDNA      = rescreen.Evidence("DNA")
	evNone     = rescreen.Evidence("NONE")

	dnaMatch        = rescreen.DNAStatus("MATCH")
	dnaPending      = rescreen.DNAStatus("PENDING")
	dnaInconclusive = rescreen.DNAStatus("INCONCLUSIVE")

	agencyCBP = rescreen.Agency("CBP")
	agencyICE = rescreen.Agency("ICE")
	agencyORR = rescreen.Agency("ORR")

	procActive     = rescreen.ProceedingStatus("ACTIVE")
	procSuperseded = rescreen.ProceedingStatus("SUPERSEDED_BY_NTA")
	procVacated    = rescreen.ProceedingStatus("VACATED")
	procConcluded  = rescreen.ProceedingStatus("CONCLUDED")
	procExecuted   = rescreen.ProceedingStatus("EXECUTED")

	counselNone     = rescreen.CounselPresence("NONE")
	counselInPerson = rescreen.CounselPresence("IN_PERSON")
	counselPhone    = rescreen.CounselPresence("PHONE")
	counselVideo    = rescreen.CounselPresence("VIDEO")

	modeInPerson = rescreen.InterviewMode("IN_PERSON")
	modePhone    = rescreen.InterviewMode("PHONE")
	modeVideo    = rescreen.InterviewMode("VIDEO")

	chMail      = rescreen.Channel("MAIL")
	chEmail     = rescreen.Channel("EMAIL")
	chInPerson  = rescreen.Channel("IN_PERSON")
	chPhone     = rescreen.Channel("PHONE")
	chFax       = rescreen.Channel("FAX")
	chMessaging = rescreen.Channel("MESSAGING_APP")
	chHomeVisit = rescreen.Channel("HOME_VISIT")
	chNGOSearch = rescreen.Channel("NGO_SEARCH")

	tfPending  = rescreen.TaskForceDecision("PENDING")
	tfAccepted = rescreen.TaskForceDecision("ACCEPTED")
	tfDenied   = rescreen.TaskForceDecision("DENIED")
)

// kin is a member's place in the family, finer than Role: it decides the
// member's sex, age and surnames.
type kin uint8

const (
	kinFather kin = iota
	kinMother
	kinGrandmotherMaternal
	kinGrandmotherPaternal
	kinAunt  // the mother's sister
	kinUncle // the father's brother
	kinChild
)

// fate is how an adult's or a child's time in custody ended.
type fate uint8

const (
	fateHeld       fate = iota // still in custody
	fateRemoved                // removed from the U.S. without the children (adults) or repatriated later (children)
	fateReunified              // reunified in custody, then as the family's after-path says
	fateReleased               // released: an adult on parole or bond, a child to a sponsor
	fateRemovedFam             // removed together with the family after an Option B election
)

// member is the plan for one person of the family: who they are, and what
// happened to them. It is filled in before any record is written, because
// later events (an Option B election) change earlier ones (the end of a
// detention).
type member struct {
	sid, ref      string
	kin           kin
	given, s1, s2 string
	birth         day
	age           int // whole years on the separation day
	female        bool
	langs         []string
	spanish       bool // understands Spanish, for W3
	mayanGiven    bool

	// custody
	cbpEnd    day
	custody   place // ICE facility for adults, ORR placement for children
	foster    bool
	fate      fate
	fateDay   day   // removal, release or reunification day
	sponsor   place // release town
	inUS      bool  // in the U.S. when the election forms went out
	reunified bool

	// adults
	reason    rescreen.SeparationReason
	screened  bool
	rf        bool // reasonable fear after a reinstated order
	negative  bool
	screenOn  day
	decidedOn day

	// the settlement
	election  rescreen.Choice
	signedOn  day
	review    rescreen.ScreeningResult // "" when there was no settlement review
	reviewOn  day
	reviewDec day
	interview rescreen.ScreeningResult // children's own interviews
	intOn     day
	intDec    day
	dora      bool

	// removed parents (D rules)
	rrState     rescreen.ReturnState // "" when there is no return request
	rrChannel   rescreen.ReturnChannel
	rrSubmitted day
	rrDecision  day
	rrCourt     bool
	rrTravel    day
	returned    day // arrival after a return, 0 if none
}

func (m *member) adult() bool { return m.kin != kinChild }

// isFemale reports the sex an adult's kin implies; children draw theirs.
func (m *member) isFemale() bool {
	switch m.kin {
	case kinMother, kinGrandmotherMaternal, kinGrandmotherPaternal, kinAunt:
		return true
	}
	return false
}

func (m *member) role() rescreen.Role {
	switch m.kin {
	case kinFather, kinMother:
		return rescreen.RoleParent
	case kinChild:
		return rescreen.RoleChild
	}
	return rescreen.RoleGuardian
}

func (m *member) fullName() string {
	return m.given + " " + m.s1 + " " + m.s2
}

// generator holds the random stream and the reusable buffers of one run.
// It is not safe for concurrent use; concurrent runs use one each.
type generator struct {
	cfg       Config
	pcg       rand.PCG
	r         *rand.Rand
	countries table[string]
	ages      table[int]
	mayan     table[mayanLanguage]
	sectors   table[sector]
	ports     table[sector]

	ds rescreen.Dataset

	// per family
	idx        int
	famSID     string
	famRef     rescreen.Ref
	country    string
	portuguese bool
	mayanLang  *mayanLanguage
	sector     sector
	entryKind  rescreen.EntryKind
	entry      day
	sep        day
	m          [6]member
	n, na      int // members, adults (adults come first)

	reunif       day   // reunification in custody, 0 if none
	reunifiedAt  place // where the reunified members met again
	famDetention bool  // reunified members went on to family detention
	famPlace     place // the family residential center
	famEnd       day   // release or removal from family detention
	famTown      place // where the family went on release
	identifiedOn day   // class identification (COV-21)
	identifiedBy string
	counselOrg   *organisation // the family's counsel, if any
	tfClaim      day           // Task Force claim, 0 if none (COV-24)
	tfDecision   rescreen.TaskForceDecision
	tfDecidedOn  day
}

func newGenerator(cfg Config) *generator {
	g := &generator{cfg: cfg}
	g.r = rand.New(&g.pcg)
	cs := make([]weighted[string], len(cfg.Countries))
	for i, c := range cfg.Countries {
		cs[i] = weighted[string]{c.Country, c.Share}
	}
	g.countries = newTable(cs)
	g.ages = newTable(childAgeWeights)
	g.mayan = newTable(mayanLanguages)
	g.sectors = newTable(sectors)
	g.ports = newTable(ports)
	return g
}

// Random helpers. Each names the distribution it draws from, so that the
// shares in the family plan read as they are meant.

func (g *generator) u() float64            { return g.r.Float64() }
func (g *generator) chance(p float64) bool { return g.r.Float64() < p }
func (g *generator) intn(n int) int        { return g.r.IntN(n) }

// within returns a day drawn uniformly from [a, b]; a when b is before a.
func (g *generator) within(a, b day) day {
	if b <= a {
		return a
	}
	return a + day(g.r.IntN(int(b-a)+1))
}

// after returns a day lo to hi days after d.
func (g *generator) after(d day, lo, hi int) day { return d + day(lo+g.r.IntN(hi-lo+1)) }

func pick[T any](g *generator, xs []T) T { return xs[g.r.IntN(len(xs))] }

func ptr(b bool) *bool { return &b }

// family draws the plan of family idx and writes its records into g.ds.
func (g *generator) family(idx int) {
	g.pcg.Seed(streamSeeds(g.cfg.Seed, idx))
	g.resetDataset()
	g.idx = idx
	var buf [24]byte
	g.famSID = string(appendFamilySID(buf[:0], idx))
	g.famRef = rescreen.NewRef(rescreen.SourceCBP, g.famSID)
	g.famDetention, g.famEnd, g.counselOrg, g.tfClaim, g.tfDecision, g.tfDecidedOn = false, 0, nil, 0, "", 0

	g.planFamily()
	g.planAdults()
	g.planCustody()
	g.planElections()
	g.planInterviews()
	g.planReturns()
	g.planClassAndClaims()

	g.writeFamily()
	g.writePersons()
	g.writeRelationships()
	g.writeSeparations()
	g.writeCustody()
	g.writeProceedings()
	g.writeCounsel()
	g.writeScreenings()
	g.writeElections()
	g.writeRemovedParents()
	g.writeBenefits()
	g.writeAppointments()
	g.writeNotices()
}

func (g *generator) resetDataset() {
	d := &g.ds
	d.Families = d.Families[:0]
	d.Persons = d.Persons[:0]
	d.Names = d.Names[:0]
	d.Identifiers = d.Identifiers[:0]
	d.Relationships = d.Relationships[:0]
	d.Separations = d.Separations[:0]
	d.Custody = d.Custody[:0]
	d.Proceedings = d.Proceedings[:0]
	d.Screenings = d.Screenings[:0]
	d.Evidence = d.Evidence[:0]
	d.Elections = d.Elections[:0]
	d.Counsel = d.Counsel[:0]
	d.Contacts = d.Contacts[:0]
	d.Preferences = d.Preferences[:0]
	d.ReturnRequests = d.ReturnRequests[:0]
	d.Benefits = d.Benefits[:0]
	d.Appointments = d.Appointments[:0]
	d.Notices = d.Notices[:0]
}

// adults and children return the members of each group; they share the
// generator's array, so they are valid until the next family.
func (g *generator) adults() []member   { return g.m[:g.na] }
func (g *generator) children() []member { return g.m[g.na:g.n] }

// planFamily draws who travelled, where from, where and when they crossed,
// and when they were separated.
func (g *generator) planFamily() {
	g.country = g.countries.pick(g.u())
	g.portuguese = g.country == "BR"
	g.mayanLang = nil
	if g.country == "GT" && g.chance(0.38) {
		ml := g.mayan.pick(g.u())
		g.mayanLang = &ml
	}

	// Composition. Two separated parents in 11% of the families and a
	// guardian instead of a parent in 1.2% give about 2,800 adults for
	// 2,550 families; 4.3% with two children and 0.8% with three give about
	// 2,700 children (settlement.md section 7).
	var adults [2]kin
	na := 1
	switch u := g.u(); {
	case u < 0.012:
		switch v := g.u(); {
		case v < 0.35:
			adults[0] = kinGrandmotherMaternal
		case v < 0.70:
			adults[0] = kinGrandmotherPaternal
		case v < 0.90:
			adults[0] = kinAunt
		default:
			adults[0] = kinUncle
		}
	case u < 0.012+0.11:
		adults[0], adults[1] = kinFather, kinMother
		na = 2
	default:
		adults[0] = kinFather // the sex of a lone parent is drawn below
	}
	nc := 1
	switch u := g.u(); {
	case u < 0.008:
		nc = 3
	case u < 0.051:
		nc = 2
	}
	g.na, g.n = na, na+nc

	// Dates. Most separations fall in the zero-tolerance weeks, their
	// number rising towards mid-June; about one in ten comes from the
	// expanded class (July 2017 to April 2018, COV-18) and about 1.2% after
	// the injunction, up to the last one the OIG counted.
	switch u := g.u(); {
	case u < 0.10:
		g.sep = g.within(dExpandedFrom, dZeroTolerance-1)
	case u < 0.10+0.83:
		a, b := dZeroTolerance, dEO13841
		if g.chance(0.5) {
			a += day(g.intn(int(b-a) + 1)) // a later half, for the mid-June peak
		}
		g.sep = g.within(a, b)
	case u < 0.988:
		g.sep = g.within(dEO13841+1, dClassOrder)
	default:
		g.sep = g.within(dClassOrder+1, dLateSepEnd)
	}
	portShare := 0.18
	if g.country == "MX" || g.country == "BR" {
		portShare = 0.35 // families who could reach a port more often asked there
	}
	if g.chance(portShare) {
		g.entryKind = rescreen.EntryAtPort
		g.sector = g.ports.pick(g.u())
	} else {
		g.entryKind = rescreen.EntryBetweenPorts
		g.sector = g.sectors.pick(g.u())
	}
	// Separation came at or within days of apprehension.
	switch u := g.u(); {
	case u < 0.30:
		g.entry = g.sep
	case u < 0.70:
		g.entry = g.sep - 1
	case u < 0.90:
		g.entry = g.sep - 2
	default:
		g.entry = g.sep - day(3+g.intn(3))
	}

	// Children first: the parents' ages and the lone parent's sex depend on them.
	children := g.m[na : na+nc]
	youngest := 99
	twins := nc > 1 && g.chance(0.03)
	for i := range children {
		c := &children[i]
		*c = member{kin: kinChild}
		if twins && i > 0 {
			c.age, c.birth = children[0].age, children[0].birth
		} else {
			c.age = g.ages.pick(g.u())
			for try := 0; try < 4 && i > 0 && sameAge(children[:i], c.age); try++ {
				c.age = g.ages.pick(g.u())
			}
			c.birth = g.birthAt(c.age)
		}
		youngest = min(youngest, c.age)
	}
	// Agencies list siblings oldest first.
	slices.SortStableFunc(children, func(a, b member) int { return cmp.Compare(a.birth, b.birth) })
	if na == 1 && adults[0] == kinFather {
		pMother := 0.42
		if youngest < 5 {
			pMother = 0.65 // tender-age children travelled mostly with their mothers
		}
		if g.chance(pMother) {
			adults[0] = kinMother
		}
	}
	oldest := 0
	for i := range children {
		oldest = max(oldest, children[i].age)
	}
	for i := 0; i < na; i++ {
		a := &g.m[i]
		*a = member{kin: adults[i]}
		a.age = g.adultAge(a.kin, oldest)
		a.birth = g.birthAt(a.age)
	}
	g.planNames()
	g.planLanguages()
	for i := 0; i < g.n; i++ {
		m := &g.m[i]
		m.sid = g.famSID + "-M" + strconv.Itoa(i+1)
		m.ref = string(rescreen.NewRef(rescreen.SourceCBP, m.sid))
	}
}

func sameAge(ms []member, age int) bool {
	for i := range ms {
		if ms[i].age == age {
			return true
		}
	}
	return false
}

// birthAt returns a birth day that makes the person age whole years old on
// the separation day, and no later than the day of entry: a baby separated
// days after crossing was born before the crossing.
func (g *generator) birthAt(age int) day {
	lo := g.sep.addYears(-(age + 1)) + 1
	hi := g.sep.addYears(-age)
	if g.entry != 0 && hi > g.entry {
		hi = g.entry
	}
	if lo > hi {
		lo = hi
	}
	return g.within(lo, hi)
}

// adultAge returns an adult's age on the separation day, given the age of
// the oldest separated child. Mothers had their first child at 17 to 28
// (a few later), fathers two years or so older; parents are 18 to 55.
func (g *generator) adultAge(k kin, oldest int) int {
	var age int
	switch k {
	case kinMother:
		age = oldest + 17 + (g.intn(12)+g.intn(12))/2
		if g.chance(0.12) {
			age += g.intn(12)
		}
	case kinFather:
		age = oldest + 18 + (g.intn(14)+g.intn(14))/2
		if g.chance(0.15) {
			age += g.intn(14)
		}
	case kinGrandmotherMaternal, kinGrandmotherPaternal:
		return oldest + 36 + g.intn(19) // guardians are not held to the parents' 55
	default:
		return 18 + g.intn(30)
	}
	return min(max(age, 18), 55)
}

// surname draws a surname for a family of the generator's country.
func (g *generator) surname() string {
	switch {
	case g.portuguese:
		return pick(g, portugueseSurnames)
	case g.mayanLang != nil && g.chance(0.6):
		return pick(g, g.mayanLang.surnames)
	}
	if extra := countrySurnames[g.country]; extra != nil && g.chance(0.25) {
		return pick(g, extra)
	}
	return pick(g, spanishSurnames)
}

// givenName draws a given name for a person of the sex and generation.
func (g *generator) givenName(female, child bool) (name string, mayan bool) {
	if g.portuguese {
		sex := 0
		pool := portugueseMale
		if female {
			sex, pool = 1, portugueseFemale
		}
		if g.chance(0.3) {
			return pick(g, portugueseCompound[sex]), false
		}
		return pick(g, pool), false
	}
	if g.mayanLang != nil {
		p := 0.08
		if child {
			p = 0.25
		}
		if g.chance(p) {
			if female {
				return pick(g, mayanFemale), true
			}
			return pick(g, mayanMale), true
		}
	}
	if g.chance(0.30) {
		if female {
			return pick(g, spanishFemaleCompound), false
		}
		return pick(g, spanishMaleCompound), false
	}
	switch {
	case female && child:
		return pick(g, spanishFemaleChild), false
	case female:
		return pick(g, spanishFemaleAdult), false
	case child:
		return pick(g, spanishMaleChild), false
	}
	return pick(g, spanishMaleAdult), false
}

// planNames gives every member given names and two surnames by the naming
// convention of the country (see the package doc).
func (g *generator) planNames() {
	// The father's and the mother's surnames exist whether or not they
	// travelled: the children carry them.
	f1, f2 := g.surname(), g.surname()
	m1, m2 := g.surname(), g.surname()
	for try := 0; try < 3 && m1 == f1; try++ {
		m1 = g.surname()
	}
	motherOnly := g.na == 1 && g.m[0].kin == kinMother
	childrenMothers := motherOnly && g.chance(0.15)
	for i := 0; i < g.n; i++ {
		m := &g.m[i]
		switch m.kin {
		case kinFather, kinUncle:
			m.s1, m.s2 = f1, f2
		case kinMother, kinAunt:
			m.s1, m.s2 = m1, m2
		case kinGrandmotherMaternal: // the mother's mother: her first surname is the mother's second
			m.s1, m.s2 = m2, g.surname()
			if g.portuguese {
				m.s1, m.s2 = g.surname(), m1
			}
		case kinGrandmotherPaternal:
			m.s1, m.s2 = f2, g.surname()
			if g.portuguese {
				m.s1, m.s2 = g.surname(), f1
			}
		case kinChild:
			switch {
			case childrenMothers:
				m.s1, m.s2 = m1, m2
			case g.portuguese: // mother's last surname, then the father's last
				m.s1, m.s2 = m2, f2
			default:
				m.s1, m.s2 = f1, m1
			}
		}
		if m.kin == kinChild {
			m.female = !g.chance(0.57) // boys were a majority of the separated children
		} else {
			m.female = m.isFemale()
		}
		m.given, m.mayanGiven = g.givenName(m.female, m.kin == kinChild)
	}
}

// planLanguages lists the languages each member understands, preferred
// first. In Mayan-speaking families the Mayan language comes first; about a
// third of the adults and some children understand no Spanish, which is
// what makes a form read in Spanish a W3 problem.
func (g *generator) planLanguages() {
	for i := 0; i < g.n; i++ {
		m := &g.m[i]
		switch {
		case g.mayanLang != nil:
			pNoSpanish := 0.32
			if m.kin == kinChild {
				pNoSpanish = 0.15
			}
			if g.chance(pNoSpanish) {
				m.langs = []string{g.mayanLang.code}
			} else {
				m.langs = []string{g.mayanLang.code, "es"}
				m.spanish = true
			}
		case g.portuguese:
			if g.chance(0.25) {
				m.langs = []string{"pt", "es"}
				m.spanish = true
			} else {
				m.langs = []string{"pt"}
			}
		default:
			m.langs = []string{"es"}
			m.spanish = true
		}
	}
}

// separationReasons are the reasons given for separations, before and after
// the injunction of 2018-06-26. Before it, nearly all were referrals for
// prosecution under zero tolerance; after it, the 118 or so separations the
// HHS OIG counted cited criminal history, fitness, health and warrants
// (settlement.md section 7, COV-23).
var (
	reasonsBefore = newTable([]weighted[rescreen.SeparationReason]{
		{rescreen.ReasonProsecution, 0.80}, {rescreen.ReasonCriminal, 0.06},
		{rescreen.ReasonParentage, 0.05}, {rescreen.ReasonFitness, 0.03},
		{rescreen.ReasonMedical, 0.02}, {rescreen.ReasonWarrant, 0.02},
		{rescreen.ReasonOtherSeparat, 0.02},
	})
	reasonsAfter = newTable([]weighted[rescreen.SeparationReason]{
		{rescreen.ReasonProsecution, 0.10}, {rescreen.ReasonCriminal, 0.35},
		{rescreen.ReasonFitness, 0.15}, {rescreen.ReasonMedical, 0.15},
		{rescreen.ReasonWarrant, 0.15}, {rescreen.ReasonParentage, 0.10},
	})
)

// planAdults draws each adult's separation reason, initial screening and
// whether they were removed without the children.
func (g *generator) planAdults() {
	adults := g.adults()
	for i := range adults {
		a := &adults[i]
		if g.sep > dClassOrder {
			a.reason = reasonsAfter.pick(g.u())
		} else {
			a.reason = reasonsBefore.pick(g.u())
		}
		a.cbpEnd = g.after(g.sep, 0, 2)
		a.custody = pick(g, g.sector.icePlace)
		if a.female {
			// Women went to the few facilities that held women.
			a.custody = womenICE[g.sector.icePlace[0].state]
		}
		// Four in five were screened while separated; 8% of those had an
		// earlier removal order reinstated and a reasonable-fear interview.
		a.screened = g.chance(0.80)
		if a.screened {
			a.rf = g.chance(0.08)
			a.negative = g.chance(g.cfg.NegativeCFShare)
			a.screenOn = g.after(a.cbpEnd, 3, 28)
			a.decidedOn = g.after(a.screenOn, 0, 7)
		}
		// Removal without the children: 36% of the negatives and 30% of
		// the never-screened, which with the default negative share gives
		// about 17% of the parents, the 463 to 471 of section 7.
		var pRemoved float64
		switch {
		case a.screened && a.negative:
			pRemoved = 0.36
		case !a.screened:
			pRemoved = 0.30
		}
		if g.chance(pRemoved) {
			a.fate = fateRemoved
			if a.screened {
				a.fateDay = g.after(a.decidedOn, 7, 40)
			} else {
				a.fateDay = g.after(a.cbpEnd, 10, 45)
			}
		}
	}
}

// planCustody decides reunification, release and removal dates for every
// member, and the children's placements.
func (g *generator) planCustody() {
	adults, children := g.adults(), g.children()
	youngest := 99
	for i := range children {
		youngest = min(youngest, children[i].age)
	}

	// The court ordered reunification of the parents whose children were in
	// custody on 2018-06-26: under-fives by 07-10, the others by 07-26, a
	// tenth later still. Guardians were not reunified (COV-16), nor parents
	// found ineligible for criminal history, fitness or a warrant.
	var reunif day
	if g.sep >= dZeroTolerance-30 && g.sep <= dClassOrder {
		switch {
		case g.chance(0.10):
			reunif = g.within(dReunifDeadline+1, mkday(2018, 12, 15))
		case youngest < 5:
			reunif = g.within(dTenderDeadline, dTenderDeadline+4)
		default:
			reunif = g.within(dTenderDeadline+5, dReunifDeadline)
		}
	}
	g.reunif = 0
	var reunifiedWith *member
	for i := range adults {
		a := &adults[i]
		if a.fate == fateRemoved {
			continue
		}
		eligible := reunif != 0 && a.role() == rescreen.RoleParent
		switch a.reason {
		case rescreen.ReasonCriminal, rescreen.ReasonFitness, rescreen.ReasonWarrant:
			eligible = false
		}
		switch {
		case eligible:
			a.fate, a.fateDay, a.reunified = fateReunified, reunif, true
			// The screening took place while separated.
			if a.screened && a.decidedOn >= reunif {
				a.decidedOn = reunif - 1
				a.screenOn = min(a.screenOn, a.decidedOn)
			}
			if reunifiedWith == nil {
				reunifiedWith = a
				g.reunif, g.reunifiedAt = reunif, a.custody
			}
		case a.screened && !a.negative:
			a.fate, a.fateDay = fateReleased, g.after(a.decidedOn, 5, 60)
		case g.chance(0.9):
			a.fate, a.fateDay = fateReleased, g.after(a.cbpEnd, 40, 200)
		default:
			a.fate = fateHeld // serving a sentence or still detained when the records were drawn
		}
		if a.fate == fateReleased {
			a.sponsor = pick(g, sponsorTowns)
		}
	}

	// About 45% of the reunified families went on to family detention;
	// a third of those were still held when the election forms went out.
	g.famTown = pick(g, sponsorTowns)
	if reunifiedWith != nil && g.chance(0.45) {
		g.famDetention = true
		g.famPlace = pick(g, familyResidential)
		if g.chance(0.35) {
			g.famEnd = 0 // still held: decided with the elections
		} else {
			g.famEnd = g.after(reunif, 3, 60)
		}
	}

	// Children: CBP holding, then ORR, then the parent, a sponsor, or home.
	allRemoved := true
	var released *member
	for i := range adults {
		switch adults[i].fate {
		case fateRemoved:
		case fateReleased:
			allRemoved = false
			if released == nil || adults[i].fateDay < released.fateDay {
				released = &adults[i]
			}
		default:
			allRemoved = false
		}
	}
	for i := range children {
		c := &children[i]
		c.cbpEnd = g.after(g.sep, 0, 3)
		switch {
		case c.age < 5 && g.chance(0.7):
			c.foster, c.custody = true, pick(g, orrFoster)
		case c.age < 5:
			c.custody = pick(g, orrTenderAge)
		case c.age < 12 && g.chance(0.35):
			c.foster, c.custody = true, pick(g, orrFoster)
		default:
			c.custody = pick(g, orrShelters)
		}
		switch {
		case reunifiedWith != nil:
			c.fate, c.fateDay, c.reunified = fateReunified, reunif, true
		case g.sep < dZeroTolerance-30:
			// Expanded class: released to a sponsor, usually before the
			// injunction, which is why the 2018 class missed them.
			c.fate, c.fateDay = fateReleased, g.after(c.cbpEnd, 20, 150)
			c.sponsor = pick(g, sponsorTowns)
		case released != nil:
			c.fate, c.fateDay = fateReleased, max(g.after(released.fateDay, 3, 40), g.after(c.cbpEnd, 20, 40))
			c.sponsor = released.sponsor
		case allRemoved:
			last := day(0)
			for j := range adults {
				last = max(last, adults[j].fateDay)
			}
			switch u := g.u(); {
			case u < 0.55:
				c.fate, c.fateDay = fateReleased, g.after(last, 20, 200)
				c.sponsor = pick(g, sponsorTowns)
			case u < 0.92:
				c.fate, c.fateDay = fateRemoved, g.after(last, 25, 150)
			default:
				c.fate = fateHeld
			}
		default:
			c.fate, c.fateDay = fateReleased, g.after(c.cbpEnd, 30, 200)
			c.sponsor = pick(g, sponsorTowns)
		}
		if c.fate == fateReleased && c.fateDay <= c.cbpEnd {
			c.fateDay = c.cbpEnd + 1
		}
	}
	for i := 0; i < g.n; i++ {
		g.m[i].inUS = g.m[i].fate != fateRemoved
	}
}

// target reports whether the family is one the 2018 settlement was about:
// an adult still in the U.S. whose fear claim failed, or who has a removal
// order without any interview (COV-9a, COV-17).
func (g *generator) target() bool {
	adults := g.adults()
	for i := range adults {
		a := &adults[i]
		if a.inUS && (!a.screened || a.negative) {
			return true
		}
	}
	return false
}

// planElections decides which families returned election forms, what they
// chose, and what Option B meant for those still detained: removal together.
func (g *generator) planElections() {
	if !g.target() || !g.chance(0.65) {
		if g.famDetention && g.famEnd == 0 {
			g.famEnd = g.after(g.reunif, 60, 200)
		}
		return
	}
	// Option B was chosen mostly by families still detained (">40 detained
	// families chose removal rather than wait", Courthouse News Oct 2018).
	pB := 0.03
	detained := g.famDetention && g.famEnd == 0
	if detained {
		pB = 0.30
	}
	choice := rescreen.ChoiceRemain
	if g.chance(pB) {
		choice = rescreen.ChoiceReturn
	}
	partial := choice == rescreen.ChoiceRemain && g.chance(0.02) // SC-05: the parent B, the children A
	signed := g.within(dPrelimApproval, dElectionsEnd)
	for i := 0; i < g.n; i++ {
		m := &g.m[i]
		if !m.inUS {
			continue
		}
		m.election, m.signedOn = choice, g.within(signed, signed+3)
		if partial && m.adult() {
			m.election = rescreen.ChoiceReturn
		}
	}
	if detained {
		if choice == rescreen.ChoiceReturn {
			g.famEnd = g.after(signed, 15, 60)
			for i := 0; i < g.n; i++ {
				if m := &g.m[i]; m.reunified {
					m.fate = fateRemovedFam
				}
			}
		} else {
			g.famEnd = g.after(signed, 5, 40)
		}
		// A late reunification (the tenth after the deadline) can fall after
		// the forms were signed; detention still follows reunification.
		g.famEnd = max(g.famEnd, g.reunif+3)
	}
}

// planInterviews decides the settlement's review interviews of parents
// (R-P1, R-P2) and the children's own interviews (R-C2), with their results.
func (g *generator) planInterviews() {
	target := g.target()
	anyRemoved := false
	for i := range g.adults() {
		if g.m[i].fate == fateRemoved {
			anyRemoved = true
		}
	}
	for i := 0; i < g.n; i++ {
		m := &g.m[i]
		if !m.inUS || m.election == rescreen.ChoiceReturn || m.fate == fateRemovedFam {
			continue
		}
		if m.adult() {
			p := 0.0
			switch {
			case m.screened && m.negative:
				p = 0.75
			case !m.screened:
				p = 0.40 // COV-17: in the U.S. with an order and no prior interview
			}
			if !g.chance(p) {
				continue
			}
			if m.signedOn != 0 {
				m.reviewOn = g.after(m.signedOn, 5, 60)
			} else {
				m.reviewOn = g.within(mkday(2018, 10, 20), mkday(2019, 3, 31))
			}
			switch u := g.u(); {
			case u < 0.45:
				m.review = rescreen.ResultPositive
			case u < 0.80:
				m.review = rescreen.ResultNegative
			default:
				m.review = rescreen.ResultPending
			}
			if m.review != rescreen.ResultPending {
				m.reviewDec = g.after(m.reviewOn, 0, 21)
			}
			continue
		}
		if m.fate == fateRemoved || m.age < 5 || !(target || anyRemoved) || !g.chance(0.45) {
			continue
		}
		m.intOn = g.within(mkday(2018, 11, 5), mkday(2019, 6, 30))
		switch u := g.u(); {
		case u < 0.35:
			m.interview = rescreen.ResultPositive
		case u < 0.55:
			m.interview = rescreen.ResultNegative
		case u < 0.70:
			m.interview = rescreen.ResultNoClaim
		default:
			m.interview = rescreen.ResultPending
		}
		if m.interview != rescreen.ResultPending {
			m.intDec = g.after(m.intOn, 0, 30)
		}
	}
}
