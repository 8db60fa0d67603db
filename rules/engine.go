package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
	"sync"

	"rescreen"
)

// Rule is one rule of the rule book. It is the root package's rescreen.Rule,
// so that the service layer stores and serves the book without converting.
type Rule = rescreen.Rule

// Param is an interpretation made a named parameter: every reading that
// settlement.md marks UNCONFIRMED, and the readings this package had to add
// where the specification is silent. It is the root package's
// rescreen.RuleParam.
type Param = rescreen.RuleParam

// Params are parameter values by name; a missing name, or an empty value,
// takes its default.
type Params map[string]string

// Engine evaluates families under one rule book and one set of parameter
// values. It is safe for concurrent use.
type Engine struct {
	cfg     *config
	values  Params
	rules   []Rule
	version string
	pool    sync.Pool
}

// NewEngine checks every parameter name and value and returns an engine
// with them in force. The error names the parameter and what it allows.
func NewEngine(p Params) (*Engine, error) {
	vals, err := checkParams(p)
	if err != nil {
		return nil, err
	}
	e := &Engine{cfg: parseConfig(vals), values: vals}
	e.rules = buildRules(e.cfg)
	e.version = bookHash(e.rules, vals)
	e.pool.New = func() any { return newEvaluator() }
	return e, nil
}

// logicRevision names the revision of the evaluation logic. The rule book
// and the parameters do not describe everything the engine does; a change
// to how it reads the records (a fix, a new check) must change the version
// too, so that every stored determination is evaluated again (the server
// does so at start). Bump it with every such change.
const logicRevision = "2026-11-22 values marked in explanations (RSC2); no negative waits (T-2, W9)"

// bookHash is the SHA-256 of every rule's id, set, text, status, sources and
// dates, of every criterion's template, of the logic revision and of every
// parameter value in force, length-prefixed so that no two books hash
// alike by shifting text between fields.
func bookHash(rs []Rule, vals Params) string {
	h := sha256.New()
	put := func(s string) {
		var n [8]byte
		l := len(s)
		for i := 0; i < 8; i++ {
			n[i] = byte(l >> (8 * i))
		}
		h.Write(n[:])
		h.Write([]byte(s))
	}
	put("rescreen rules book v1")
	put(logicRevision)
	for _, tp := range templates {
		put(tp.rule)
		put(tp.test)
		put(strings.Join(tp.cites, "\x1f"))
	}
	for _, r := range rs {
		put(r.ID)
		put(r.RuleSet)
		put(r.Title)
		put(r.Text)
		put(r.Status)
		put(strings.Join(r.Citations, "\x1f"))
		put(r.From.String())
		put(r.Until.String())
		put(strings.Join(r.Params, "\x1f"))
		put(r.NotEncodedReason)
	}
	names := make([]string, 0, len(vals))
	for k := range vals {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		put(k)
		put(vals[k])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Version returns the hex SHA-256 of the rule book and the parameter values
// in force. It is the same in every run with the same values, and changes
// when a rule's text, status, sources or dates or a value changes (V-2).
func (e *Engine) Version() string { return e.version }

// Rules returns the rule book: every rule id of settlement.md sections 3 to
// 5 and the four rule sets, in the specification's order.
func (e *Engine) Rules() []Rule {
	out := make([]Rule, len(e.rules))
	copy(out, e.rules)
	return out
}

// ParamDefs returns every parameter with its default and allowed values.
func (e *Engine) ParamDefs() []Param {
	out := make([]Param, len(paramDefs))
	copy(out, paramDefs)
	return out
}

// Values returns the value in force of every parameter; an unset date or
// number is "".
func (e *Engine) Values() Params {
	out := make(Params, len(e.values))
	for k, v := range e.values {
		out[k] = v
	}
	return out
}

// Evaluate applies the rules to d, which holds the records of one family
// (d.Families[0]), as of asOf. It never panics: incomplete records give
// NEEDS_INFORMATION and contradictory ones MANUAL_REVIEW, each explained.
func (e *Engine) Evaluate(d *rescreen.Dataset, asOf rescreen.Date) *Result {
	return e.EvaluateCompact(d, asOf).Expand()
}

// EvaluateCompact is Evaluate with the result in its compact form, which
// holds the same explanation; Expand turns it into the Result.
func (e *Engine) EvaluateCompact(d *rescreen.Dataset, asOf rescreen.Date) *Compact {
	c := &Compact{}
	e.EvaluateInto(d, asOf, c)
	return c
}

// EvaluateInto is EvaluateCompact writing the result into c, whose memory it
// reuses: a caller that evaluates many families one after the other and
// keeps none of the results beyond the next call allocates nothing.
func (e *Engine) EvaluateInto(d *rescreen.Dataset, asOf rescreen.Date, c *Compact) {
	ev := e.pool.Get().(*evaluator)
	defer func() {
		if p := recover(); p != nil {
			// A panic here is a bug; the family must still never be released.
			*c = *e.failed(d, asOf)
		}
		ev.release()
		e.pool.Put(ev)
	}()
	ev.run(e, d, asOf)
	ev.compact(c)
}

// Outcome evaluates the family like Evaluate and returns only the family
// outcome, without building a result: the rules and the criteria are the
// same, so the outcome is the same as Evaluate's, at a fraction of the
// cost. What-if comparisons of a whole class use it.
func (e *Engine) Outcome(d *rescreen.Dataset, asOf rescreen.Date) (out Outcome) {
	ev := e.pool.Get().(*evaluator)
	defer func() {
		if p := recover(); p != nil {
			out = OutcomeManualReview
		}
		ev.release()
		e.pool.Put(ev)
	}()
	ev.quiet = true
	ev.run(e, d, asOf)
	return ev.outcome
}

// tCompleted is the criterion of an evaluation that stopped on a bug.
var tCompleted = t("H-1", "The evaluation completed.")

const (
	failedReason = "The evaluation stopped on an internal error; the family is held until a person reviews it."
	failedLift   = "a person reviews the family's records and the evaluation completes"
)

// failed is the result of an evaluation that hit a bug: MANUAL_REVIEW with
// every person held.
func (e *Engine) failed(d *rescreen.Dataset, asOf rescreen.Date) *Compact {
	c := &Compact{version: e.version, values: e.values, asOf: asOf, outcome: OutcomeManualReview,
		famCr: span{0, 1}, crits: []ccrit{{t: tCompleted.id, st: stNotMet, lit: 1}}, lits: []string{failedReason}}
	if d == nil {
		return c
	}
	var text []byte
	key := func(m *rescreen.Meta) span {
		a := int32(len(text))
		text = append(append(append(text, m.Source...), ':'), m.SourceID...)
		return span{a, int32(len(text))}
	}
	if len(d.Families) > 0 {
		c.hasFam, c.famKey, c.famID = true, key(&d.Families[0].Meta), d.Families[0].ID
	}
	for i := range d.Persons {
		p := &d.Persons[i]
		c.persons = append(c.persons, cperson{key: key(&p.Meta), id: p.ID, role: p.Role, loc: locUnknown,
			state: StateManual, held: true, holdRule: "H-1", rl: failedReason, ll: failedLift})
	}
	c.text = text
	return c
}
