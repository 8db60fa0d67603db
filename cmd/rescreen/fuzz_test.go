package main

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"rescreen"
	"rescreen/exchange"
	"rescreen/rules"
)

// FuzzRulesEval reads arbitrary bytes as the case file of `rescreen rules
// eval FILE` and evaluates what it holds as the command does, as of a day
// from 2018 to 2028. Nothing may panic, and:
//   - an error or a problem of the input names the file, with a line for a
//     problem, and says what is wrong;
//   - a family read without problems is evaluated to completion: the engine
//     turns a panic of its own into MANUAL_REVIEW with rule H-1 ("the
//     evaluation completed" not met), which a case file must never reach;
//   - the evaluation is the same on its three paths (the Result, the compact
//     form and the outcome alone), survives the compact form's binary
//     encoding, and never lets removal proceed with a member held or a fact
//     missing;
//   - the explanation (--explain) and the JSON are written without error.
func FuzzRulesEval(f *testing.F) {
	eng, err := rules.NewEngine(nil)
	if err != nil {
		f.Fatal(err)
	}
	path := filepath.Join(f.TempDir(), "case.json")
	base := rescreen.MustDate("2018-01-01")
	f.Add([]byte(`{"format":"rescreen-exchange","version":1,"families":[{"source":"CBP_E3","source_id":"F1"}],"persons":[{"source":"CBP_E3","source_id":"P1","family":"CBP_E3:F1","role":"PARENT","given_names":"Ana"}]}`), uint16(200))
	f.Fuzz(func(t *testing.T, body []byte, days uint16) {
		if err := os.WriteFile(path, body, 0o600); err != nil {
			t.Fatal(err)
		}
		asOf := base.AddDays(int(days) % 4000)
		inputs, err := exchange.Inputs([]string{path}, nil)
		if err != nil {
			t.Fatal(err)
		}
		d, problems, err := readDataset(inputs)
		if err != nil {
			var fe rescreen.FieldError
			if !errors.As(err, &fe) || fe.File != path || fe.Msg == "" {
				t.Fatalf("%T %q does not name the case file", err, err)
			}
			return
		}
		for _, p := range problems {
			if p.File != path || p.Line < 1 || p.Msg == "" {
				t.Fatalf("problem %+v does not name the case file, its line and what is wrong", p)
			}
		}
		if len(problems) > 0 {
			return // the command evaluates nothing
		}
		var reused rules.Compact
		for _, fam := range rules.SplitFamilies(d) {
			r := eng.Evaluate(fam, asOf)
			checkEvaluation(t, eng, fam, asOf, r, &reused)
		}
	})
}

// checkEvaluation checks one family's result r against the other paths of
// the engine and the safety invariant.
func checkEvaluation(t *testing.T, eng *rules.Engine, fam *rescreen.Dataset, asOf rescreen.Date, r *rules.Result, reused *rules.Compact) {
	t.Helper()
	key := fam.Families[0].Key()
	for _, c := range r.Criteria {
		if c.Rule == "H-1" {
			t.Fatalf("%s: the evaluation stopped on an internal error (rule H-1)", key)
		}
	}
	eng.EvaluateInto(fam, asOf, reused)
	if got := reused.Expand(); !reflect.DeepEqual(got, r) {
		t.Fatalf("%s: the compact result expands to another result than Evaluate's", key)
	}
	if o := eng.Outcome(fam, asOf); o != r.Outcome {
		t.Fatalf("%s: Outcome %s, Evaluate %s", key, o, r.Outcome)
	}
	bin, err := reused.MarshalBinary()
	if err != nil {
		t.Fatalf("%s: the compact result cannot be encoded: %v", key, err)
	}
	back, err := eng.DecodeCompact(bin)
	if err != nil {
		t.Fatalf("%s: the compact result's encoding does not decode: %v", key, err)
	}
	if got := back.Expand(); !reflect.DeepEqual(got, r) {
		t.Fatalf("%s: the decoded compact result expands to another result", key)
	}
	if r.Outcome == rescreen.OutcomeRemovalMay {
		if len(r.Missing) > 0 {
			t.Fatalf("%s: removal may proceed with missing facts %v", key, r.Missing)
		}
		for _, p := range r.Persons {
			if p.Hold.Held {
				t.Fatalf("%s: removal may proceed with %s held (%s)", key, p.Person, p.Hold.Rule)
			}
		}
	}
	for _, p := range r.Persons {
		if p.Hold.Held && p.Hold.LiftCondition == "" {
			t.Fatalf("%s: %s is held with no lift condition", key, p.Person)
		}
	}
	if err := rules.WriteExplanation(io.Discard, r); err != nil {
		t.Fatalf("%s: explanation: %v", key, err)
	}
	if _, err := json.Marshal(r); err != nil {
		t.Fatalf("%s: JSON: %v", key, err)
	}
}

// FuzzReadParams reads arbitrary bytes as a parameters file (--params, or
// params.json in the data directory) and builds the engine from it, as
// every command that evaluates does. A file that is not a JSON object of
// strings is refused naming the file; an engine refuses an unknown name or
// a bad value with an error naming the parameter; an engine it builds
// reports back the values it was given (the default for an empty one), and
// building it again from them gives the same rule-set version.
func FuzzReadParams(f *testing.F) {
	path := filepath.Join(f.TempDir(), "params.json")
	std, err := rules.NewEngine(nil)
	if err != nil {
		f.Fatal(err)
	}
	defaults := std.Values()
	f.Add([]byte(`{"cfg.child_no_claim_as":"NEGATIVE"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if err := os.WriteFile(path, body, 0o600); err != nil {
			t.Fatal(err)
		}
		p, err := readParams(path)
		if err != nil {
			var fe rescreen.FieldError
			if !errors.As(err, &fe) || fe.File != path || fe.Msg == "" {
				t.Fatalf("%T %q does not name the parameters file", err, err)
			}
			return
		}
		eng, err := rules.NewEngine(p)
		if err != nil {
			for name := range p {
				if strings.Contains(err.Error(), strconv.Quote(name)) || strings.Contains(err.Error(), "parameter "+name+":") {
					return
				}
			}
			t.Fatalf("%v names none of the parameters %v", err, p)
		}
		values := eng.Values()
		for name, v := range p {
			if v == "" {
				v = defaults[name] // an empty value leaves the default
			}
			if values[name] != v {
				t.Fatalf("%s = %q was given, the engine holds %q", name, p[name], values[name])
			}
		}
		again, err := rules.NewEngine(values)
		if err != nil {
			t.Fatalf("the engine's own values %v are refused: %v", values, err)
		}
		if again.Version() != eng.Version() {
			t.Fatalf("the same values give versions %s and %s", eng.Version(), again.Version())
		}
	})
}
