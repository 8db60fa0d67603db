package rules

import (
	"bufio"
	"fmt"
	"html/template"
	"io"
	"strings"

	"rescreen"
)

// WriteExplanation writes a Result as text for lawyers and officers: the
// outcome first, then the family rules, the missing facts, and for each
// person the state, the hold and its lift condition, coverage under each
// rule set, remedies, elections and deadlines, every criterion with its
// test, status, the facts that decided it and its sources.
func WriteExplanation(w io.Writer, r *Result) error {
	if r == nil {
		return fmt.Errorf("rules: no result to explain")
	}
	b := bufio.NewWriter(w)
	p := func(parts ...string) {
		for _, s := range parts {
			b.WriteString(s)
		}
		b.WriteByte('\n')
	}
	fam := string(r.Family)
	if fam == "" {
		fam = "(no family record)"
	}
	if r.FamilyID != "" {
		fam += " (id " + r.FamilyID + ")"
	}
	p("Family ", fam, " as of ", r.AsOf.String())
	p("Outcome: ", string(r.Outcome), " — ", outcomeSentence(r.Outcome))
	p("Rule book version: ", r.Version)
	p()
	p("Family rules")
	writeCriteria(b, "  ", r.Criteria)
	if len(r.Missing) > 0 {
		p()
		p("Missing facts (each one keeps the family from REMOVAL_MAY_PROCEED)")
		for _, m := range r.Missing {
			p("  - ", m)
		}
	}
	for i := range r.Persons {
		pr := &r.Persons[i]
		p()
		p("Person ", string(pr.Person), " (", string(pr.Role), "), location ", pr.Location)
		p("  State: ", string(pr.State))
		if pr.Hold.Held {
			p("  Hold: HELD under ", pr.Hold.Rule, ": ", pr.Hold.Reason)
			p("    Lifted when: ", pr.Hold.LiftCondition)
		} else {
			p("  Hold: not held (", pr.Hold.Rule, "): ", pr.Hold.Reason)
		}
		if len(pr.StateCriteria) > 0 {
			p("  How the state was decided")
			writeCriteria(b, "    ", pr.StateCriteria)
		}
		p("  Coverage")
		for _, c := range pr.Coverage {
			p("    ", c.RuleSet, ": ", string(c.Status))
			writeCriteria(b, "      ", c.Criteria)
		}
		p("  Remedies")
		for _, rm := range pr.Remedies {
			p("    ", string(rm.Kind), ": ", rm.State)
			writeCriteria(b, "      ", rm.Criteria)
		}
		if len(pr.Elections) > 0 {
			p("  Elections")
			for _, e := range pr.Elections {
				p("    ", string(e.Election), " ", e.Choice, ": ", e.Validity)
				writeCriteria(b, "      ", e.Criteria)
			}
		}
		if len(pr.Deadlines) > 0 {
			p("  Deadlines")
			for _, d := range pr.Deadlines {
				line := "    " + d.ID + " " + d.Title + ": " + d.Status
				if !d.Due.IsZero() {
					line += ", due " + d.Due.String()
				}
				if !d.Start.IsZero() {
					line += " (day 0 " + d.Start.String() + ", " + fmt.Sprint(d.Length) + " " + strings.ToLower(strings.ReplaceAll(d.DayType, "_", " ")) + ")"
				}
				p(line)
				if d.Detail != "" {
					p("      ", d.Detail)
				}
			}
		}
	}
	return b.Flush()
}

func writeCriteria(b *bufio.Writer, indent string, cs []Criterion) {
	for _, c := range cs {
		b.WriteString(indent)
		b.WriteString("[" + string(c.Status) + "] " + c.Rule + ": " + c.Test + "\n")
		if c.Detail != "" {
			b.WriteString(indent + "    " + c.Detail + "\n")
		}
		if len(c.Missing) > 0 {
			b.WriteString(indent + "    Missing: " + strings.Join(c.Missing, ", ") + "\n")
		}
		if len(c.Citations) > 0 {
			b.WriteString(indent + "    Sources: " + strings.Join(c.Citations, "; ") + "\n")
		}
	}
}

func outcomeSentence(o Outcome) string {
	switch o {
	case OutcomeRemovalMay:
		return "the settlement's bar on removal is lifted; removal still follows ordinary law and any other stay (F-7)."
	case OutcomeStays:
		return "the family remains in the U.S. while a member's claim is pursued (F-1)."
	case OutcomePending:
		return "a member has not finished; every covered member in the U.S. stays held (F-6, H-2)."
	case OutcomeManualReview:
		return "a person must review the family; every covered member in the U.S. stays held."
	case OutcomeNeedsInfo:
		return "facts are missing; every covered member in the U.S. stays held until they are recorded."
	case OutcomeNotCovered:
		return "nobody in the family is covered by a rule set in force that holds members."
	}
	return ""
}

// WriteBook writes the rule book in force as "markdown" or "html" (a
// self-contained page): every rule with its text, sources, status, dates
// and parameters, and every parameter with its default, description,
// source and the value in force.
func (e *Engine) WriteBook(w io.Writer, format string) error {
	switch format {
	case "markdown", "md":
		return e.writeMarkdown(w)
	case "html":
		return bookTemplate.Execute(w, e.bookData())
	}
	return fmt.Errorf("rules: book format %q is not known; use markdown or html", format)
}

type bookParam struct {
	Param
	Value string
}

type bookView struct {
	Version string
	Rules   []Rule
	Params  []bookParam
}

func (e *Engine) bookData() bookView {
	v := bookView{Version: e.version, Rules: e.Rules()}
	for _, p := range paramDefs {
		v.Params = append(v.Params, bookParam{Param: p, Value: e.values[p.Name]})
	}
	return v
}

func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func (e *Engine) writeMarkdown(w io.Writer) error {
	b := bufio.NewWriter(w)
	v := e.bookData()
	fmt.Fprintf(b, "# Rule book of the family-separation settlement\n\n")
	fmt.Fprintf(b, "Version `%s`: the SHA-256 of every rule (id, text, status, sources, dates) and every parameter value below.\n\n", v.Version)
	fmt.Fprintf(b, "Status: CONFIRMED (read in the cited source), REPORTED (secondary reporting only) or INTERPRETATION (settlement.md's UNCONFIRMED, and design rules; each interpretation the engine makes is a parameter).\n\n")
	fmt.Fprintf(b, "## Rules\n\n")
	for _, r := range v.Rules {
		fmt.Fprintf(b, "### %s: %s\n\n", r.ID, r.Title)
		fmt.Fprintf(b, "%s\n\n", r.Text)
		fmt.Fprintf(b, "- Rule set: %s\n", r.RuleSet)
		fmt.Fprintf(b, "- Status: %s\n", r.Status)
		fmt.Fprintf(b, "- In force from: %s\n", orDash(r.From.String()))
		if !r.Until.IsZero() {
			fmt.Fprintf(b, "- In force until: %s\n", r.Until)
		}
		fmt.Fprintf(b, "- Sources: %s\n", strings.Join(r.Citations, "; "))
		if len(r.Params) > 0 {
			fmt.Fprintf(b, "- Parameters: %s\n", strings.Join(r.Params, ", "))
		}
		if r.Encoded {
			fmt.Fprintf(b, "- Encoded: yes\n\n")
		} else {
			fmt.Fprintf(b, "- Encoded: no. %s\n\n", r.NotEncodedReason)
		}
	}
	fmt.Fprintf(b, "## Parameters\n\n")
	fmt.Fprintf(b, "| Parameter | Default | Value in force | Allowed | Rules | Source | Description |\n|---|---|---|---|---|---|---|\n")
	for _, p := range v.Params {
		allowed := strings.Join(p.Values, ", ")
		if allowed == "" {
			allowed = strings.ToLower(p.Kind)
		}
		fmt.Fprintf(b, "| `%s` | %s | %s | %s | %s | %s | %s |\n", p.Name, mdEscape(orDash(p.Default)), mdEscape(orDash(p.Value)),
			mdEscape(allowed), strings.Join(p.Rules, ", "), mdEscape(p.Source), mdEscape(p.Description))
	}
	return b.Flush()
}

var bookTemplate = template.Must(template.New("book").Funcs(template.FuncMap{
	"join": strings.Join,
	"date": func(d rescreen.Date) string { return orDash(d.String()) },
	"dash": orDash,
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Rule book {{.Version}}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#1b1b1b}
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:1px solid #ccc}
.rule{border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem;margin:1rem 0}
.rule h3{margin:.2rem 0;font-size:1.1rem}
.tag{display:inline-block;font-size:.75rem;padding:.1rem .4rem;border-radius:4px;background:#eee;margin-right:.3rem}
.CONFIRMED{background:#d8f0d8}.REPORTED{background:#fff1c2}.INTERPRETATION{background:#f9d9d9}
dl{display:grid;grid-template-columns:10rem 1fr;gap:.2rem .8rem;margin:.5rem 0}dt{font-weight:600}dd{margin:0}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}
code{font-size:.9em}
</style>
</head>
<body>
<h1>Rule book of the family-separation settlement</h1>
<p>Version <code>{{.Version}}</code>: the SHA-256 of every rule (id, text, status, sources, dates) and every parameter value below.</p>
<h2>Rules</h2>
{{range .Rules}}<section class="rule" id="{{.ID}}">
<h3>{{.ID}}: {{.Title}}</h3>
<span class="tag {{.Status}}">{{.Status}}</span><span class="tag">{{.RuleSet}}</span>{{if not .Encoded}}<span class="tag">not encoded</span>{{end}}
<p>{{.Text}}</p>
<dl>
<dt>In force from</dt><dd>{{date .From}}</dd>
{{if not .Until.IsZero}}<dt>In force until</dt><dd>{{date .Until}}</dd>{{end}}
<dt>Sources</dt><dd>{{join .Citations "; "}}</dd>
{{if .Params}}<dt>Parameters</dt><dd>{{range $i, $p := .Params}}{{if $i}}, {{end}}<a href="#{{$p}}"><code>{{$p}}</code></a>{{end}}</dd>{{end}}
{{if not .Encoded}}<dt>Why not encoded</dt><dd>{{.NotEncodedReason}}</dd>{{end}}
</dl>
</section>
{{end}}
<h2>Parameters</h2>
<table>
<thead><tr><th>Parameter</th><th>Default</th><th>Value in force</th><th>Allowed</th><th>Rules</th><th>Source</th><th>Description</th></tr></thead>
<tbody>
{{range .Params}}<tr id="{{.Name}}"><td><code>{{.Name}}</code></td><td>{{dash .Default}}</td><td>{{dash .Value}}</td><td>{{if .Values}}{{join .Values ", "}}{{else}}{{.Kind}}{{end}}</td><td>{{join .Rules ", "}}</td><td>{{.Source}}</td><td>{{.Description}}</td></tr>
{{end}}</tbody>
</table>
</body>
</html>
`))
