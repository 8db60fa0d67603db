package web

import (
	"net/http"
	"testing"

	"rescreen"
)

func TestAPILinks(t *testing.T) {
	env := newEnv(t)
	// The queue: the review state by default, states by name.
	w := env.do(t, "GET", "/api/v1/links", "")
	var cs []rescreen.LinkCandidate
	decode(t, w, &cs)
	if w.Code != http.StatusOK || len(cs) != 1 || cs[0].ID != "L-1" || cs[0].Fields[0].Left != "<b>López</b>" {
		t.Fatalf("queue: %d %+v", w.Code, cs)
	}
	w = env.do(t, "GET", "/api/v1/links?state=review,linked&state=CONFIRMED&family=F-1&limit=10", "")
	if w.Code != http.StatusOK {
		t.Fatalf("filtered queue: %d %s", w.Code, w.Body)
	}
	if f := env.links.lastFilter; len(f.States) != 3 || f.Family != "F-1" || f.Limit != 10 {
		t.Fatalf("filter %+v", f)
	}
	for _, q := range []string{"state=MAYBE", "limit=0", "limit=x", "colour=red", "family=a&family=b"} {
		apiErr(t, env.do(t, "GET", "/api/v1/links?"+q, ""), http.StatusBadRequest, rescreen.EINVALID)
	}
	// One candidate with its history.
	w = env.do(t, "GET", "/api/v1/links/L-1", "")
	var one linkResponse
	decode(t, w, &one)
	if one.Candidate == nil || one.Candidate.ID != "L-1" || len(one.History) != 1 {
		t.Fatalf("candidate: %+v", one)
	}
	apiErr(t, env.do(t, "GET", "/api/v1/links/L-404", ""), http.StatusNotFound, rescreen.ENOTFOUND)
	// Decisions: a rejection needs a reason; unknown fields are refused.
	apiErr(t, env.do(t, "POST", "/api/v1/links/L-1/decision", `{"decision":"reject"}`), http.StatusBadRequest, rescreen.EINVALID)
	apiErr(t, env.do(t, "POST", "/api/v1/links/L-1/decision", `{"decision":"CONFIRM","why":"x"}`), http.StatusBadRequest, rescreen.EINVALID)
	w = env.do(t, "POST", "/api/v1/links/L-1/decision", `{"decision":"reject","reason":"different mothers"}`)
	var c rescreen.LinkCandidate
	decode(t, w, &c)
	if w.Code != http.StatusOK || c.State != rescreen.LinkRejected || c.Reason != "different mothers" {
		t.Fatalf("reject: %d %+v", w.Code, c)
	}
	apiErr(t, env.do(t, "POST", "/api/v1/links/L-1/decision", `{"decision":"reject","reason":"again"}`), http.StatusConflict, rescreen.ECONFLICT)
	apiErr(t, env.do(t, "POST", "/api/v1/links/L-9/decision", `{"decision":"confirm"}`), http.StatusNotFound, rescreen.ENOTFOUND)
}

func TestAPISplit(t *testing.T) {
	for _, path := range []string{"/api/v1/families/F-2/split", "/api/v1/persons/R-2/split"} {
		env := newEnv(t)
		env.links.candidates["L-1"].State = rescreen.LinkLinked
		apiErr(t, env.do(t, "POST", path, `{}`), http.StatusBadRequest, rescreen.EINVALID)
		apiErr(t, env.do(t, "POST", path, `{"reason":"x","why":"y"}`), http.StatusBadRequest, rescreen.EINVALID)
		w := env.do(t, "POST", path, `{"reason":"another mother"}`)
		var cs []rescreen.LinkCandidate
		decode(t, w, &cs)
		if w.Code != http.StatusOK || len(cs) != 1 || cs[0].ID != "L-1" || cs[0].State != rescreen.LinkRejected {
			t.Fatalf("%s: %d %+v", path, w.Code, cs)
		}
		apiErr(t, env.do(t, "POST", path, `{"reason":"again"}`), http.StatusConflict, rescreen.ECONFLICT)
	}
}
