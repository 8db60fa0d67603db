package linkage

import (
	"fmt"
	"strings"
)

// A DateLayout says how the dates of a column are written: a sequence of
// year, month and day fields and the literal characters between them.
type DateLayout struct {
	text  string
	parts []layoutPart
}

type partKind uint8

const (
	litPart partKind = iota
	yearPart
	year2Part
	monthPart
	monthNamePart
	dayPart
)

type layoutPart struct {
	kind  partKind
	width int    // digits when fixed (YYYY 4, MM and DD 2); 0 for M and D
	lit   string // litPart: the characters
}

// goLayoutTokens translates Go reference layouts (2006-01-02) into
// DateLayout tokens, longest first.
var goLayoutTokens = []struct{ goTok, tok string }{
	{"January", "MMM"}, {"2006", "YYYY"}, {"Jan", "MMM"}, {"01", "MM"}, {"02", "DD"},
	{"06", "YY"}, {"_2", "D"}, {"1", "M"}, {"2", "D"},
}

// ParseDateLayout parses a date layout written with the tokens YYYY (four-
// digit year), YY (two-digit year: 00 to 29 are 2000 to 2029, 30 to 99 are
// 1930 to 1999), MM and M (month, with or without a leading zero), MMM
// (month name or its first three letters, in English or Spanish), DD and D
// (day), with any other characters between them taken literally:
// YYYYMMDD, YYYY-MM-DD, DD/MM/YYYY, D MMM YYYY. A layout containing a digit
// is read as a Go reference layout instead (20060102, 02/01/2006,
// 2-Jan-2006). A layout needs a year; a day needs a month.
func ParseDateLayout(s string) (*DateLayout, error) {
	src := strings.TrimSpace(s)
	if strings.ContainsAny(src, "0123456789") {
		src = translateGoLayout(src)
	}
	l := &DateLayout{text: src}
	var have [6]int
	for i := 0; i < len(src); {
		var p layoutPart
		switch {
		case strings.HasPrefix(src[i:], "YYYY"):
			p = layoutPart{kind: yearPart, width: 4}
		case strings.HasPrefix(src[i:], "YY"):
			p = layoutPart{kind: year2Part, width: 2}
		case strings.HasPrefix(src[i:], "MMM"):
			p = layoutPart{kind: monthNamePart}
		case strings.HasPrefix(src[i:], "MM"):
			p = layoutPart{kind: monthPart, width: 2}
		case strings.HasPrefix(src[i:], "M"):
			p = layoutPart{kind: monthPart}
		case strings.HasPrefix(src[i:], "DD"):
			p = layoutPart{kind: dayPart, width: 2}
		case strings.HasPrefix(src[i:], "D"):
			p = layoutPart{kind: dayPart}
		default:
			c := src[i]
			if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' {
				return nil, fmt.Errorf("date layout %q: unknown token at %q (use YYYY, YY, MM, M, MMM, DD, D)", s, src[i:])
			}
			if n := len(l.parts); n > 0 && l.parts[n-1].kind == litPart {
				l.parts[n-1].lit += string(c)
			} else {
				l.parts = append(l.parts, layoutPart{kind: litPart, lit: string(c)})
			}
			i++
			continue
		}
		switch p.kind {
		case yearPart, year2Part:
			i += p.width
		case monthNamePart:
			i += 3
		default:
			if p.width == 2 {
				i += 2
			} else {
				i++
			}
		}
		have[p.kind]++
		if n := len(l.parts); n > 0 && l.parts[n-1].kind != litPart && (p.width == 0 || l.parts[n-1].width == 0) && p.kind != monthNamePart && l.parts[n-1].kind != monthNamePart {
			return nil, fmt.Errorf("date layout %q: a field of variable width (M, D) needs a separator next to it", s)
		}
		l.parts = append(l.parts, p)
	}
	years := have[yearPart] + have[year2Part]
	months := have[monthPart] + have[monthNamePart]
	switch {
	case years != 1:
		return nil, fmt.Errorf("date layout %q: needs exactly one year (YYYY or YY)", s)
	case months > 1 || have[dayPart] > 1:
		return nil, fmt.Errorf("date layout %q: a month or day appears twice", s)
	case have[dayPart] == 1 && months == 0:
		return nil, fmt.Errorf("date layout %q: a day needs a month", s)
	}
	return l, nil
}

func translateGoLayout(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		matched := false
		for _, t := range goLayoutTokens {
			if strings.HasPrefix(s[i:], t.goTok) {
				b.WriteString(t.tok)
				i += len(t.goTok)
				matched = true
				break
			}
		}
		if !matched {
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String()
}

// String returns the layout in tokens (YYYY-MM-DD); nil gives "".
func (l *DateLayout) String() string {
	if l == nil {
		return ""
	}
	return l.text
}

// monthNames are the first three letters of the months in English and
// Spanish, folded.
var monthNames = [...][2]string{
	{"jan", "ene"}, {"feb", "feb"}, {"mar", "mar"}, {"apr", "abr"}, {"may", "may"}, {"jun", "jun"},
	{"jul", "jul"}, {"aug", "ago"}, {"sep", "set"}, {"oct", "oct"}, {"nov", "nov"}, {"dec", "dic"},
}

// Parse reads s in the layout. Spaces around s are ignored, and so is a
// time of day after the date ("1971-06-24 00:00:00", "1971-06-24T10:00").
// It reports false if s does not follow the layout; a month or day out of
// range is kept as unknown (see NewDate), so "19561309" in YYYYMMDD gives
// 1956 with the day 9 and no month.
func (l *DateLayout) Parse(s string) (Date, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, false
	}
	year, month, day := 0, 0, 0
	i := 0
	for k, p := range l.parts {
		switch p.kind {
		case litPart:
			if !strings.HasPrefix(s[i:], p.lit) {
				return Date{}, false
			}
			i += len(p.lit)
			continue
		case monthNamePart:
			j := i
			for j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z') {
				j++
			}
			if j-i < 3 {
				return Date{}, false
			}
			name := strings.ToLower(s[i : i+3])
			month = 0
			for m, n := range monthNames {
				if n[0] == name || n[1] == name {
					month = m + 1
				}
			}
			if month == 0 {
				return Date{}, false
			}
			i = j
			continue
		}
		// A fixed-width field next to another field (YYYYMMDD) must have
		// all its digits; one between separators may drop leading zeros
		// (2010-3-4 in YYYY-MM-DD).
		maxDigits, minDigits := p.width, 1
		if maxDigits == 0 {
			maxDigits = 2
		}
		nextField := k+1 < len(l.parts) && l.parts[k+1].kind != litPart
		prevField := k > 0 && l.parts[k-1].kind != litPart
		if p.width > 0 && (nextField || prevField) {
			minDigits = p.width
		}
		v, n := 0, 0
		for i+n < len(s) && s[i+n] >= '0' && s[i+n] <= '9' && n < maxDigits {
			v = v*10 + int(s[i+n]-'0')
			n++
		}
		if n < minDigits {
			return Date{}, false
		}
		i += n
		switch p.kind {
		case yearPart:
			if n < 4 {
				return Date{}, false
			}
			year = v
		case year2Part:
			if n != 2 {
				return Date{}, false
			}
			year = 1900 + v
			if v < 30 {
				year = 2000 + v
			}
		case monthPart:
			month = v
		case dayPart:
			day = v
		}
	}
	if i < len(s) && s[i] != ' ' && s[i] != 'T' {
		return Date{}, false
	}
	if year < 1 || year > 9999 {
		return Date{}, false
	}
	return NewDate(year, month, day), true
}

// candidateLayouts are the layouts DetectDateLayout tries, in order of
// preference when several read the values equally well: the U.S. order
// before the day-first order, as the agencies of the 2018 separations
// wrote it.
var candidateLayouts = []string{
	"YYYY-MM-DD", "YYYYMMDD", "YYYY/MM/DD", "MM/DD/YYYY", "DD/MM/YYYY", "MM-DD-YYYY", "DD-MM-YYYY",
	"DD.MM.YYYY", "D MMM YYYY", "DD-MMM-YYYY", "MMM D, YYYY", "MM/DD/YY", "DD/MM/YY", "YYYY-MM", "YYYY",
}

// DetectDateLayout returns the layout among the common ones (YYYY-MM-DD,
// YYYYMMDD, MM/DD/YYYY, DD/MM/YYYY, D MMM YYYY…) that reads the most of the
// given values as complete, valid dates. Between MM/DD and DD/MM it
// chooses the one under which no day exceeds 31 and no month 12. With no
// values, or none readable, it returns YYYY-MM-DD.
func DetectDateLayout(values []string) *DateLayout {
	best, bestScore := candidateLayouts[0], 0
	for _, c := range candidateLayouts {
		l, err := ParseDateLayout(c)
		if err != nil {
			panic(err) // the candidates are constants
		}
		score := 0
		for _, v := range values {
			d, ok := l.Parse(v)
			if !ok {
				continue
			}
			score++
			if d.complete() {
				score++ // prefer the layouts that read whole dates
			}
		}
		if score > bestScore {
			best, bestScore = c, score
		}
	}
	l, _ := ParseDateLayout(best)
	return l
}
