package web

import (
	"net/http"
	"strings"

	"rescreen"
)

// ruleSetView is one rule set of the rule book and its rules, in the
// book's order.
type ruleSetView struct {
	ID    string
	Rules []rescreen.Rule
}

// paramView is one parameter with the value in force and the rules it
// governs, linked when the book holds them.
type paramView struct {
	rescreen.RuleParam
	Value   string
	Changed bool // the value in force is not the default
	Allowed string
	Governs []ruleLink
}

// ruleLink names a rule, with an anchor on the page if the book has it.
type ruleLink struct {
	ID     string
	Anchor bool
}

// rulesView is the data of the rule book page.
type rulesView struct {
	Version        string
	Total, Encoded int
	Sets           []ruleSetView
	Params         []paramView
}

// uiRules answers GET /rules: every rule with its status, sources, dates
// of effect and whether it is encoded, and every parameter with its value
// in force and the values allowed, from the rule book the service holds.
func (s *Server) uiRules(w http.ResponseWriter, r *http.Request) {
	book, err := s.rules.RuleBook(r.Context())
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	c := s.cats[language(r)]
	v := rulesView{Version: book.Version, Total: len(book.Rules)}
	at := map[string]int{}
	known := map[string]bool{}
	for _, rule := range book.Rules {
		known[rule.ID] = true
		if rule.Encoded {
			v.Encoded++
		}
		i, ok := at[rule.RuleSet]
		if !ok {
			i = len(v.Sets)
			at[rule.RuleSet] = i
			v.Sets = append(v.Sets, ruleSetView{ID: rule.RuleSet})
		}
		v.Sets[i].Rules = append(v.Sets[i].Rules, rule)
	}
	for _, p := range book.Params {
		pv := paramView{RuleParam: p, Value: p.Default}
		if val, ok := book.Values[p.Name]; ok {
			pv.Value = val
		}
		pv.Changed = pv.Value != p.Default
		switch {
		case len(p.Values) > 0:
			pv.Allowed = strings.Join(p.Values, ", ")
		case p.Kind == "BOOL":
			pv.Allowed = "true, false"
		case p.Kind == "DATE":
			pv.Allowed = c.text("rules.anyDate")
		case p.Kind == "INT":
			pv.Allowed = c.text("rules.anyNumber")
		default:
			pv.Allowed = "–"
		}
		for _, id := range p.Rules {
			pv.Governs = append(pv.Governs, ruleLink{ID: id, Anchor: known[id]})
		}
		v.Params = append(v.Params, pv)
	}
	s.render(w, r, http.StatusOK, "rules.html", v, "rules.title")
}
