package notice

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"

	"rescreen"
)

// terms are one language's words for what the templates print from data:
// the date and time formats, month names, yes and no, the names of the
// controlled values and of languages. They live in templates/terms.LANG.txt
// as "key = text" lines.
type terms map[string]string

// requiredTerms must be in every terms file, so that no value prints as a
// raw code.
func requiredTerms() []string {
	keys := []string{"date", "time", "am", "pm", "yes", "no"}
	for m := 1; m <= 12; m++ {
		keys = append(keys, "month."+strconv.Itoa(m))
	}
	for _, f := range fieldSpecs {
		if f.kind == kindEnum {
			for _, v := range f.enum {
				keys = append(keys, f.key+"."+v)
			}
		}
	}
	return keys
}

func parseTerms(name, src string) (terms, error) {
	t := terms{}
	sc := bufio.NewScanner(strings.NewReader(src))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" || v == "" {
			return nil, fmt.Errorf("%s:%d: want key = text", name, n)
		}
		if _, dup := t[k]; dup {
			return nil, fmt.Errorf("%s:%d: %s given twice", name, n, k)
		}
		t[k] = v
	}
	for _, k := range requiredTerms() {
		if _, ok := t[k]; !ok {
			return nil, fmt.Errorf("%s: missing %s", name, k)
		}
	}
	return t, nil
}

func (t terms) get(key string) string {
	if s, ok := t[key]; ok {
		return s
	}
	return key
}

// date prints an ISO date (2018-06-21) in the language's long form.
func (t terms) date(iso string) (string, bool) {
	d, err := rescreen.ParseDate(iso)
	if err != nil || d.IsZero() {
		return "", false
	}
	return strings.NewReplacer(
		"{day}", strconv.Itoa(d.Day),
		"{month}", t.get("month."+strconv.Itoa(int(d.Month))),
		"{year}", strconv.Itoa(d.Year),
	).Replace(t["date"]), true
}

// time prints a 24-hour time in the language's form.
func (t terms) time(s string) (string, bool) {
	h, m, ok := parseClock(s)
	if !ok {
		return "", false
	}
	h12, ampm := h%12, t["am"]
	if h12 == 0 {
		h12 = 12
	}
	if h >= 12 {
		ampm = t["pm"]
	}
	return strings.NewReplacer(
		"{h12}", strconv.Itoa(h12),
		"{h24}", fmt.Sprintf("%02d", h),
		"{mm}", fmt.Sprintf("%02d", m),
		"{ampm}", ampm,
	).Replace(t["time"]), true
}

// language names an ISO 639 code; a code without a name prints as itself.
func (t terms) language(code string) string {
	if s, ok := t["lang."+code]; ok {
		return s
	}
	return code
}
