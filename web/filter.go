package web

import (
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
var filterParams = []string{"name", "a_number", "country", "custody", "stage", "role", "limit", "after"}

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
		Name:    get("name"),
		Country: strings.ToUpper(get("country")),
		Custody: rescreen.CustodyKind(enum("custody", rescreen.CustodyKind("").Values())),
		Stage:   rescreen.Stage(enum("stage", rescreen.Stage("").Values())),
		Role:    rescreen.Role(enum("role", rescreen.Role("").Values())),
		After:   get("after"),
		Limit:   defaultLimit,
	}
	if a := get("a_number"); a != "" {
		n, err := rescreen.NormalizeANumber(a)
		if err != nil {
			p.add("a_number", "is not an A-number (A followed by 8 or 9 digits)")
		}
		f.ANumber = n
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
