package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"rescreen"
)

// Page sizes. The default suits a screen; the maximum keeps one request
// from reading a whole registry.
const (
	defaultLimit = 50
	maxLimit     = 500
	maxQueryText = 200 // longer than any name, A-number or cursor
)

// filterParams are the query parameters of the family and person lists, in
// the order the OpenAPI document lists them.
var filterParams = []string{"country", "custody", "stage", "role", "limit", "after"}

// addressless are the filters whose values are names or A-numbers: they
// are never taken from an address, where browsers' histories and
// proxies' logs would keep them, but from the JSON body of POST
// .../query.
var addressless = []string{"name", "a_number"}

// listQuery is the body of POST /api/v1/families/query and
// /api/v1/persons/query: the list's filters, names and A-numbers among
// them.
type listQuery struct {
	Name    string `json:"name,omitempty"`
	ANumber string `json:"a_number,omitempty"`
	Country string `json:"country,omitempty"`
	Custody string `json:"custody,omitempty"`
	Stage   string `json:"stage,omitempty"`
	Role    string `json:"role,omitempty"`
	Limit   int    `json:"limit,omitempty"`
	After   string `json:"after,omitempty"`
}

// listFilter reads a list's filter: from the query of a GET, which may
// not carry a name or an A-number, or from the JSON body of a POST.
func listFilter(w http.ResponseWriter, r *http.Request) (rescreen.Filter, error) {
	if r.Method == http.MethodGet {
		q := r.URL.Query()
		var p problems
		for _, name := range addressless {
			if q.Has(name) {
				p.add(name, "a name or an A-number is never sent in an address: POST the filter as JSON to %s/query", r.URL.Path)
			}
		}
		if err := p.invalid("web.listFilter"); err != nil {
			return rescreen.Filter{}, err
		}
		return parseFilter(q, true)
	}
	var b listQuery
	if err := decodeJSON(w, r, &b); err != nil {
		return rescreen.Filter{}, err
	}
	q := url.Values{}
	for k, v := range map[string]string{"country": b.Country, "custody": b.Custody, "stage": b.Stage, "role": b.Role, "after": b.After} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if b.Limit != 0 {
		q.Set("limit", strconv.Itoa(b.Limit))
	}
	f, err := parseFilter(q, true)
	var p problems
	if ve := (*rescreen.ValidationError)(nil); errors.As(err, &ve) {
		p = append(p, ve.Problems...)
	} else if err != nil {
		return f, err
	}
	f.Name = strings.TrimSpace(b.Name)
	if !utf8.ValidString(f.Name) || utf8.RuneCountInString(f.Name) > maxQueryText {
		p.add("name", "must be valid text of at most %d characters", maxQueryText)
	}
	if a := strings.TrimSpace(b.ANumber); a != "" {
		n, err := rescreen.NormalizeANumber(a)
		if err != nil {
			p.add("a_number", "is not an A-number (A followed by 8 or 9 digits)")
		}
		f.ANumber = n
	}
	return f, p.invalid("web.listFilter")
}

// parseFilter reads a list's query. Empty values count as absent, because
// an HTML form submits every field. Unknown parameters are refused on the
// API, where a misspelt filter would otherwise silently return everything;
// the UI passes strict=false and ignores them.
func parseFilter(q url.Values, strict bool) (rescreen.Filter, error) {
	var p problems
	get := func(name string) string {
		vs := q[name]
		if len(vs) > 1 {
			p.add(name, "is given more than once")
		}
		if len(vs) == 0 {
			return ""
		}
		v := strings.TrimSpace(vs[0])
		if !utf8.ValidString(v) || utf8.RuneCountInString(v) > maxQueryText {
			p.add(name, "must be valid text of at most %d characters", maxQueryText)
			return ""
		}
		return v
	}
	enum := func(name string, values []string) string {
		v := strings.ToUpper(get(name))
		if v != "" && !slices.Contains(values, v) {
			p.add(name, "%q is not one of %s", v, strings.Join(values, ", "))
			return ""
		}
		return v
	}
	if strict {
		var unknown []string
		for name := range q {
			if !slices.Contains(filterParams, name) {
				unknown = append(unknown, name)
			}
		}
		slices.Sort(unknown)
		for _, name := range unknown {
			p.add(name, "is not a known query parameter")
		}
	}
	f := rescreen.Filter{
		Country: strings.ToUpper(get("country")),
		Custody: rescreen.CustodyKind(enum("custody", rescreen.CustodyKind("").Values())),
		Stage:   rescreen.Stage(enum("stage", rescreen.Stage("").Values())),
		Role:    rescreen.Role(enum("role", rescreen.Role("").Values())),
		After:   get("after"),
		Limit:   defaultLimit,
	}
	if f.Country != "" && !rescreen.IsCountry(f.Country) {
		p.add("country", "%q is not an ISO 3166-1 alpha-2 country code", f.Country)
	}
	if l := get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > maxLimit {
			p.add("limit", "must be a whole number from 1 to %d", maxLimit)
		} else {
			f.Limit = n
		}
	}
	return f, p.invalid("web.parseFilter")
}
