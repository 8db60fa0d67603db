package pdfdoc

// run is text in one face, placed at x from the start of its line.
type run struct {
	font fontID
	text string
	x    float64
}

// textLine is one laid-out line: its runs and its width.
type textLine struct {
	runs []run
	w    float64
}

// frag is part of a word in one face ("**A**:" is two frags, one word).
type frag struct {
	font fontID
	text []byte
}

// word is the unit of line breaking: it is never split unless it is wider
// than the whole line.
type word struct {
	frags []frag
	space bool // a space precedes it
	brk   int  // newlines precede it
}

func (w word) width(size float64) float64 {
	t := 0.0
	for _, f := range w.frags {
		t += width(f.font, size, string(f.text))
	}
	return t
}

func (w *word) add(f fontID, r rune) {
	n := len(w.frags)
	if n == 0 || w.frags[n-1].font != f {
		w.frags = append(w.frags, frag{font: f})
		n++
	}
	w.frags[n-1].text = append(w.frags[n-1].text, string(r)...)
}

// words splits spans into words. Runs of spaces count as one; newlines are
// kept as hard breaks.
func words(spans []Span) []word {
	var out []word
	var cur word
	space, brk := false, 0
	flush := func() {
		if len(cur.frags) > 0 {
			out = append(out, cur)
			cur = word{}
		}
	}
	for _, sp := range spans {
		f := regular
		if sp.Bold {
			f = bold
		}
		for _, r := range clean(sp.Text, true) {
			switch r {
			case '\n':
				flush()
				brk++
				space = false
			case ' ':
				flush()
				space = true
			default:
				if len(cur.frags) == 0 {
					cur.space, cur.brk = space && brk == 0, brk
					space, brk = false, 0
				}
				cur.add(f, r)
			}
		}
	}
	flush()
	return out
}

// place appends w to the line, sp points after the line's end.
func (ln *textLine) place(w word, sp, size float64) {
	x := ln.w + sp
	for i, fr := range w.frags {
		n := len(ln.runs)
		if n > 0 && ln.runs[n-1].font == fr.font {
			// Join same-face text into one run so that text extraction and
			// search see whole phrases; the space is then a real glyph.
			if i == 0 && sp > 0 {
				ln.runs[n-1].text += " "
			}
			ln.runs[n-1].text += string(fr.text)
		} else {
			ln.runs = append(ln.runs, run{font: fr.font, text: string(fr.text), x: x})
		}
		x += width(fr.font, size, string(fr.text))
	}
	ln.w = x
}

// split breaks a word wider than maxW into pieces that each fit, at any
// character: a long A-number list or a hostile value must stay on the page.
func split(w word, size, maxW float64) []word {
	var pieces []word
	var cur word
	cw := 0.0
	for _, fr := range w.frags {
		for _, r := range string(fr.text) {
			rw := width(fr.font, size, string(r))
			if cw+rw > maxW && len(cur.frags) > 0 {
				pieces = append(pieces, cur)
				cur, cw = word{}, 0
			}
			cur.add(fr.font, r)
			cw += rw
		}
	}
	if len(cur.frags) > 0 {
		pieces = append(pieces, cur)
	}
	return pieces
}

// wrap breaks spans into lines no wider than maxW, greedily: the first line
// takes as many words as fit, and so on. Blank lines inside the text are
// kept; leading and trailing ones are not.
func wrap(spans []Span, size, maxW float64) []textLine {
	var lines []textLine
	var ln textLine
	started := false
	push := func() {
		lines = append(lines, ln)
		ln = textLine{}
	}
	for _, w := range words(spans) {
		if started && w.brk > 0 {
			for range w.brk {
				push()
			}
		}
		started = true
		ww := w.width(size)
		sp := 0.0
		if w.space && len(ln.runs) > 0 {
			sp = width(w.frags[0].font, size, " ")
		}
		if len(ln.runs) > 0 && ln.w+sp+ww > maxW {
			push()
			sp = 0
		}
		if ww <= maxW {
			ln.place(w, sp, size)
			continue
		}
		for i, p := range split(w, size, maxW) {
			if i > 0 {
				push()
			}
			ln.place(p, 0, size)
		}
	}
	if started {
		push()
	}
	return lines
}
