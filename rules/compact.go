package rules

import (
	"cmp"
	"slices"
	"sort"

	"rescreen"
)

// Compact is one family's determination in the engine's own form: the
// whole explanation, every criterion of every rule with its status, its
// detail and its missing facts, held as template ids and spans of one
// text. It carries the same information as the Result that Expand builds
// from it, in a fraction of the memory and with almost nothing for the
// garbage collector to scan, which is what lets the engine evaluate a
// class of a million families in seconds.
type Compact struct {
	version string
	values  Params
	asOf    rescreen.Date
	outcome Outcome
	hasFam  bool
	famKey  span
	famID   string
	famCr   span
	text    []byte
	crits   []ccrit
	lits    []string // fixed sentences, named by ccrit.lit (1-based)
	miss    []span
	vals    []span // the values in text, in order (evaluator.vals)
	persons []cperson
	elcs    []celc
	dls     []cdl
}

// cperson is one person's part of a Compact.
type cperson struct {
	key      span
	id       string
	role     rescreen.Role
	loc      uint8
	nrem     uint8
	held     bool
	cov      [4]covOut
	rem      [4]remOut
	state    MemberState
	stCr     [2]span
	holdRule string
	reason   span
	lift     span
	rl, ll   string // fixed reason and lift condition, used instead of the spans
	elc      span   // range in elcs
	dl       span   // range in dls
}

// celc is one election check of a Compact.
type celc struct {
	key      span
	choice   string
	validity string
	cr       span
}

// cdl is one deadline of a Compact; its detail is a span of the text.
type cdl struct {
	d      Deadline
	detail span
}

// Outcome returns the family outcome.
func (c *Compact) Outcome() Outcome { return c.outcome }

// AsOf returns the date the family was evaluated as of.
func (c *Compact) AsOf() rescreen.Date { return c.asOf }

// SetAsOf changes the date the result says it was evaluated as of. A
// stored result keeps its date apart, so that its bytes, and their hash,
// identify it by content.
func (c *Compact) SetAsOf(d rescreen.Date) { c.asOf = d }

// Version returns the rule-set version the family was evaluated under.
func (c *Compact) Version() string { return c.version }

// FamilyID returns the family's rescreen id, "" when the records gave none.
func (c *Compact) FamilyID() string { return c.famID }

// MemberSummary is one member's state and hold, as the decision log keeps
// them.
type MemberSummary struct {
	Person   rescreen.Ref
	State    MemberState
	Held     bool
	HoldRule string
}

// Members returns each member's state and hold, in the order of the
// family's person records.
func (c *Compact) Members() []MemberSummary {
	out := make([]MemberSummary, len(c.persons))
	for i := range c.persons {
		p := &c.persons[i]
		out[i] = MemberSummary{Person: rescreen.Ref(c.str(p.key)), State: p.state, Held: p.held, HoldRule: p.holdRule}
	}
	return out
}

// MissingCount returns the number of distinct missing facts.
func (c *Compact) MissingCount() int { return len(c.missing()) }

func (c *Compact) str(s span) string { return string(c.text[s.a:s.b]) }

// missing returns the distinct missing facts, sorted.
func (c *Compact) missing() []string {
	if len(c.miss) == 0 {
		return nil
	}
	m := make([]string, len(c.miss))
	for i, s := range c.miss {
		m[i] = c.str(s)
	}
	sort.Strings(m)
	k := 0
	for i, s := range m {
		if i == 0 || s != m[k-1] {
			m[k] = s
			k++
		}
	}
	return m[:k:k]
}

// compact copies the evaluation's working state into c, reusing c's
// memory: the evaluator is pooled and its buffers are reused.
func (ev *evaluator) compact(c *Compact) {
	*c = Compact{version: ev.e.version, values: ev.e.values, asOf: ev.asOf, outcome: ev.outcome,
		famKey: ev.famKey, famCr: ev.famCr, text: append(c.text[:0], ev.text...),
		crits: append(c.crits[:0], ev.crits...), lits: append(c.lits[:0], ev.lits...),
		miss: append(c.miss[:0], ev.miss...), vals: append(c.vals[:0], ev.vals...), persons: c.persons[:0], elcs: c.elcs[:0], dls: c.dls[:0]}
	if ev.fam != nil {
		c.hasFam, c.famID = true, ev.fam.ID
	}
	for i := range ev.ps {
		ps := &ev.ps[i]
		h := &ps.hold
		c.persons = append(c.persons, cperson{key: ps.key, id: ps.p.ID, role: ps.p.Role, loc: ps.loc, nrem: uint8(ps.nrem), held: h.held,
			cov: ps.cov, rem: ps.rem, state: ps.state, stCr: ps.stCr, holdRule: h.rule, reason: h.reason, lift: h.lift,
			rl: h.rl, ll: h.ll, elc: ps.elc, dl: ps.dl})
	}
	for _, x := range ev.elcs {
		c.elcs = append(c.elcs, celc{key: x.key, choice: string(ev.d.Elections[x.el].Choice), validity: x.validity, cr: x.cr})
	}
	for _, x := range ev.dls {
		c.dls = append(c.dls, cdl(x))
		c.dls[len(c.dls)-1].d.Detail = ""
	}
}

// Expand builds the Result: every criterion in full, with its rule, its
// test, its citations, its detail and its missing facts. The criteria are
// cut from one slab and the strings from one text.
func (c *Compact) Expand() *Result {
	text := string(c.text)
	str := func(s span) string { return text[s.a:s.b] }
	vslab := make(rescreen.TextValues, 0, 2*len(c.vals))
	vals := func(s span) rescreen.TextValues {
		i, _ := slices.BinarySearchFunc(c.vals, s.a, func(v span, a int32) int { return cmp.Compare(v.a, a) })
		from := len(vslab)
		for ; i < len(c.vals) && c.vals[i].b <= s.b; i++ {
			vslab = append(vslab, c.vals[i].a-s.a, c.vals[i].b-s.a)
		}
		if len(vslab) == from {
			return nil
		}
		return vslab[from:len(vslab):len(vslab)]
	}
	slab := make([]Criterion, len(c.crits))
	for i := range c.crits {
		k := &c.crits[i]
		tp := templates[k.t]
		x := &slab[i]
		x.Rule, x.Test, x.Citations, x.Status = tp.rule, tp.test, tp.cites, stNames[k.st]
		if k.lit > 0 {
			x.Detail = c.lits[k.lit-1]
		} else {
			x.Detail, x.DetailValues = str(k.d), vals(k.d)
		}
	}
	var allMiss []string
	if len(c.miss) > 0 {
		allMiss = make([]string, len(c.miss))
		for i, m := range c.miss {
			allMiss[i] = str(m)
		}
		for i := range c.crits {
			if m := c.crits[i].m; m.b > m.a {
				slab[i].Missing = allMiss[m.a:m.b:m.b]
			}
		}
	}
	group := func(g span) []Criterion { return slab[g.a:g.b:g.b] }
	r := &Result{AsOf: c.asOf, Version: c.version, Outcome: c.outcome, Params: c.values}
	if c.hasFam {
		r.Family = rescreen.Ref(str(c.famKey))
		r.FamilyID = c.famID
	}
	r.Criteria = group(c.famCr)
	r.Missing = c.missing()
	n := len(c.persons)
	r.Persons = make([]PersonResult, n)
	covs := make([]Coverage, 4*n)
	nrem := 0
	for i := range c.persons {
		nrem += int(c.persons[i].nrem)
	}
	rems := make([]Remedy, nrem)
	var els []ElectionCheck
	if len(c.elcs) > 0 {
		els = make([]ElectionCheck, len(c.elcs))
		for i := range c.elcs {
			x := &c.elcs[i]
			els[i] = ElectionCheck{Election: rescreen.Ref(str(x.key)), Choice: x.choice, Validity: x.validity, Criteria: group(x.cr)}
		}
	}
	var dls []Deadline
	if len(c.dls) > 0 {
		dls = make([]Deadline, len(c.dls))
		for i := range c.dls {
			dls[i] = c.dls[i].d
			dls[i].Detail, dls[i].DetailValues = str(c.dls[i].detail), vals(c.dls[i].detail)
		}
	}
	ri := 0
	for i := range c.persons {
		ps := &c.persons[i]
		pr := &r.Persons[i]
		pr.Person = rescreen.Ref(str(ps.key))
		pr.PersonID = ps.id
		pr.Role = ps.role
		pr.Location = locNames[ps.loc]
		if ps.cov[0].set != "" { // an evaluation that stopped on a bug has none
			cv := covs[4*i : 4*i+4 : 4*i+4]
			for k := range cv {
				cv[k] = Coverage{RuleSet: ps.cov[k].set, Status: ps.cov[k].status, Criteria: group(ps.cov[k].cr)}
				if ps.cov[k].shared != nil {
					cv[k].Criteria = ps.cov[k].shared
				}
			}
			pr.Coverage = cv
		}
		rm := rems[ri : ri+int(ps.nrem) : ri+int(ps.nrem)]
		for k := range rm {
			rm[k] = Remedy{Kind: ps.rem[k].kind, State: ps.rem[k].state, Criteria: group(ps.rem[k].cr)}
		}
		ri += int(ps.nrem)
		pr.Remedies = rm
		pr.State = ps.state
		pr.StateCriteria = group(ps.stCr[0])
		if !ps.stCr[1].empty() {
			// The family rules' criteria come after the member's own; the
			// two runs are apart in the slab, so join them in a copy.
			sc := make([]Criterion, 0, int(ps.stCr[0].b-ps.stCr[0].a+ps.stCr[1].b-ps.stCr[1].a))
			sc = append(append(sc, group(ps.stCr[0])...), group(ps.stCr[1])...)
			pr.StateCriteria = sc
		}
		pr.Hold = Hold{Held: ps.held, Rule: ps.holdRule, Reason: ps.rl, LiftCondition: ps.ll}
		if ps.rl == "" {
			pr.Hold.Reason, pr.Hold.ReasonValues = str(ps.reason), vals(ps.reason)
		}
		if ps.ll == "" && ps.held {
			pr.Hold.LiftCondition, pr.Hold.LiftValues = str(ps.lift), vals(ps.lift)
		}
		if !ps.elc.empty() {
			pr.Elections = els[ps.elc.a:ps.elc.b:ps.elc.b]
		}
		if !ps.dl.empty() {
			pr.Deadlines = dls[ps.dl.a:ps.dl.b:ps.dl.b]
		}
	}
	return r
}
