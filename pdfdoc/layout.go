package pdfdoc

import (
	"errors"
	"fmt"
	"math"
	"strconv"
)

// Type sizes in points, and the line height as a multiple of the size.
const (
	titleSize   = 17.0
	headingSize = 12.0
	bodySize    = 10.5
	smallSize   = 8.5
	cellSize    = 9.5
	fieldSize   = 10.0
	footerSize  = 8.0
	leading     = 1.38
)

type rgb [3]uint8

var (
	black     = rgb{0, 0, 0}
	grey      = rgb{85, 85, 85}
	ruleGrey  = rgb{150, 150, 150}
	border    = rgb{165, 165, 165}
	headFill  = rgb{232, 232, 232}
	barColour = rgb{47, 84, 150}
)

type opKind int

const (
	opText opKind = iota
	opLine
	opRect
)

// op is one drawing operation, in points from the page's top-left corner.
type op struct {
	kind   opKind
	font   fontID
	size   float64
	x, y   float64 // text: start of the baseline; line: start; rect: top-left corner
	x2, y2 float64 // line: end; rect: width and height
	text   string
	color  rgb
	width  float64 // line width
	fill   bool    // rect: filled, not stroked
}

type page struct{ ops []op }

// layout places blocks on pages. It only computes positions; render draws.
type layout struct {
	left, right, top, bottom float64
	pages                    []*page
	y                        float64 // top of the next thing to place
}

func (l *layout) width() float64 { return l.right - l.left }
func (l *layout) room() float64  { return l.bottom - l.y }
func (l *layout) atTop() bool    { return l.y == l.top }

func (l *layout) newPage() {
	l.pages = append(l.pages, &page{})
	l.y = l.top
}

// need starts a new page unless h points fit below the cursor. A block
// taller than a whole page starts at the top of one and is split by its own
// code.
func (l *layout) need(h float64) {
	if h > l.room()+1e-9 && !l.atTop() {
		l.newPage()
	}
}

func (l *layout) emit(o op) {
	p := l.pages[len(l.pages)-1]
	p.ops = append(p.ops, o)
}

func (l *layout) line(x1, y1, x2, y2, w float64, c rgb) {
	l.emit(op{kind: opLine, x: x1, y: y1, x2: x2, y2: y2, width: w, color: c})
}

func (l *layout) rect(x, y, w, h float64, fill bool, c rgb) {
	l.emit(op{kind: opRect, x: x, y: y, x2: w, y2: h, fill: fill, color: c, width: 0.5})
}

// baseline returns the baseline of text of the given size centred in a line
// box of height lh whose top is top (cap height of DejaVu Sans: 0.73 em).
func baseline(top, lh, size float64) float64 { return top + lh/2 + 0.365*size }

// drawLine draws a laid-out line with its left end at x.
func (l *layout) drawLine(ln textLine, x, top, lh, size float64, c rgb) {
	b := baseline(top, lh, size)
	for _, r := range ln.runs {
		l.emit(op{kind: opText, font: r.font, size: size, x: x + r.x, y: b, text: r.text, color: c})
	}
}

// flow places lines one under the other, breaking pages between them. The
// first two lines stay together, so a paragraph never leaves one line alone
// at the foot of a page; first, if set, draws a marker beside line one.
func (l *layout) flow(lines []textLine, x, size float64, c rgb, first func(top, lh float64)) {
	lh := size * leading
	for i, ln := range lines {
		if i == 0 {
			l.need(float64(min(len(lines), 2)) * lh)
			if first != nil {
				first(l.y, lh)
			}
		} else {
			l.need(lh)
		}
		l.drawLine(ln, x, l.y, lh, size, c)
		l.y += lh
	}
}

// gap adds vertical space, dropped at the top of a page.
func (l *layout) gap(h float64) {
	if l.atTop() {
		return
	}
	l.y += h
	if l.y > l.bottom {
		l.newPage()
	}
}

func (d *Document) layout() ([]*page, error) {
	m := d.opts.Margins
	if m == (Margins{}) {
		m = Margins{Top: 54, Right: 54, Bottom: 54, Left: 54}
	}
	for _, v := range []float64{m.Top, m.Right, m.Bottom, m.Left} {
		if !(v >= 18) || v > 200 {
			return nil, fmt.Errorf("pdfdoc: margins must be between 18 and 200 points, not %v", v)
		}
	}
	l := &layout{left: m.Left, right: PageWidth - m.Right, top: m.Top, bottom: PageHeight - m.Bottom}
	l.newPage()
	if err := l.run(d.blocks); err != nil {
		return nil, fmt.Errorf("pdfdoc: %w", err)
	}
	return l.pages, nil
}

// run places blocks in order.
func (l *layout) run(blocks []block) error {
	prev := blockKind(-1)
	for i := 0; i < len(blocks); i++ {
		b := blocks[i]
		switch b.kind {
		case blockKeepStart:
			if h, ok := l.measure(blocks[i+1 : keepEnd(blocks, i)]); ok {
				// The heading gap is dropped at the top of a page but not
				// here, so allow for it.
				l.need(h + 8)
			}
			continue
		case blockKeepEnd:
			continue
		}
		// A list is set off from what follows by more than the space
		// between its own items.
		if b.kind != prev {
			switch prev {
			case blockBullet:
				l.gap(4)
			case blockCheckbox:
				l.gap(2)
			}
		}
		prev = b.kind
		if err := l.block(b); err != nil {
			return fmt.Errorf("block %d: %w", i+1, err)
		}
	}
	return nil
}

// keepEnd returns the index of the end of the group that starts at i.
func keepEnd(blocks []block, i int) int {
	depth := 0
	for j := i; j < len(blocks); j++ {
		switch blocks[j].kind {
		case blockKeepStart:
			depth++
		case blockKeepEnd:
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return len(blocks)
}

// measure lays blocks out on a scratch page and returns their height, or
// false if they do not fit on one page.
func (l *layout) measure(blocks []block) (float64, bool) {
	s := &layout{left: l.left, right: l.right, top: l.top, bottom: l.bottom}
	s.newPage()
	if err := s.run(blocks); err != nil || len(s.pages) > 1 {
		return 0, false
	}
	return s.y - s.top, true
}

func (l *layout) block(b block) error {
	W := l.width()
	switch b.kind {
	case blockTitle:
		lines := wrap(b.spans, titleSize, W)
		l.need(float64(len(lines))*titleSize*leading + 16)
		l.flow(lines, l.left, titleSize, black, nil)
		l.y += 3
		l.line(l.left, l.y, l.right, l.y, 0.8, ruleGrey)
		l.y += 12
	case blockHeading:
		lines := wrap(b.spans, headingSize, W)
		l.gap(8)
		// Keep the heading with at least two lines of what follows.
		l.need(float64(len(lines))*headingSize*leading + 2*bodySize*leading)
		l.flow(lines, l.left, headingSize, black, nil)
		l.y += 3
	case blockParagraph:
		l.flow(wrap(b.spans, bodySize, W), l.left, bodySize, black, nil)
		l.gap(6)
	case blockSmall:
		l.flow(wrap(b.spans, smallSize, W), l.left, smallSize, grey, nil)
		l.gap(4)
	case blockBullet:
		const indent = 14.0
		l.flow(wrap(b.spans, bodySize, W-indent), l.left+indent, bodySize, black, func(top, lh float64) {
			l.emit(op{kind: opText, font: regular, size: bodySize, x: l.left + 3, y: baseline(top, lh, bodySize), text: "•", color: black})
		})
		l.gap(2)
	case blockCheckbox:
		const indent, box = 20.0, 10.0
		l.flow(wrap(b.spans, bodySize, W-indent), l.left+indent, bodySize, black, func(top, lh float64) {
			x, y := l.left+1, top+(lh-box)/2
			l.rect(x, y, box, box, false, black)
			if b.checked {
				const in = 2.0
				l.line(x+in, y+in, x+box-in, y+box-in, 1.3, black)
				l.line(x+in, y+box-in, x+box-in, y+in, 1.3, black)
			}
		})
		l.gap(5)
	case blockFields:
		l.fields(b.fields)
		l.gap(6)
	case blockTable:
		if err := l.table(b.table); err != nil {
			return err
		}
		l.gap(8)
	case blockSignature:
		l.signature(b.labels)
	case blockChart:
		if err := l.chart(b.chart); err != nil {
			return err
		}
		l.gap(8)
	case blockSpace:
		if !(b.space >= 0) {
			return errors.New("space must not be negative")
		}
		l.gap(b.space)
	case blockPageBreak:
		if !l.atTop() {
			l.newPage()
		}
	}
	return nil
}

// signature draws the signature and date lines with their labels.
func (l *layout) signature(labels [2]string) {
	W := l.width()
	sigW, dateX := 0.58*W, l.left+0.64*W
	lh := smallSize * leading
	sig := wrap([]Span{{Text: labels[0]}}, smallSize, sigW)
	date := wrap([]Span{{Text: labels[1]}}, smallSize, l.right-dateX)
	n := max(len(sig), len(date))
	const room = 30.0 // space to write a signature
	l.need(room + 2 + float64(min(n, 3))*lh)
	l.y += room
	l.line(l.left, l.y, l.left+sigW, l.y, 0.7, black)
	l.line(dateX, l.y, l.right, l.y, 0.7, black)
	l.y += 2
	for i := range n {
		// Only a label longer than a page gets here with no room left.
		if lh > l.room() {
			l.newPage()
		}
		if i < len(sig) {
			l.drawLine(sig[i], l.left, l.y, lh, smallSize, grey)
		}
		if i < len(date) {
			l.drawLine(date[i], dateX, l.y, lh, smallSize, grey)
		}
		l.y += lh
	}
	l.gap(10)
}

// grid is the common shape of tables, field lists and charts: columns of
// wrapped text, rows that continue across pages.
type grid struct {
	x       float64 // left edge of the first column
	cols    []float64
	align   []Align
	size    float64
	padX    float64
	padY    float64
	header  [][]textLine // nil: no header row
	borders bool
	// decorate draws what is not text (a bar, a line to write on) in the
	// first page segment of row i, whose top is top and height h.
	decorate func(i int, top, h float64)
}

func (g *grid) lh() float64 { return g.size * leading }

func maxLines(cells [][]textLine) int {
	n := 0
	for _, c := range cells {
		n = max(n, len(c))
	}
	return n
}

// segment draws lines [from, from+n) of a row's cells as one band.
func (l *layout) segment(g *grid, cells [][]textLine, from, n int, header bool) {
	lh := g.lh()
	h := 2*g.padY + float64(n)*lh
	x := g.x
	for ci, w := range g.cols {
		if header {
			l.rect(x, l.y, w, h, true, headFill)
		}
		if g.borders {
			l.rect(x, l.y, w, h, false, border)
		}
		if ci < len(cells) {
			for k := from; k < from+n && k < len(cells[ci]); k++ {
				ln := cells[ci][k]
				lx := x + g.padX
				if ci < len(g.align) && g.align[ci] == AlignRight {
					lx = x + w - g.padX - ln.w
				}
				l.drawLine(ln, lx, l.y+g.padY+float64(k-from)*lh, lh, g.size, black)
			}
		}
		x += w
	}
	l.y += h
}

// rows places the rows of a grid. A row that fits on a fresh page is never
// split; a taller one is split between lines, and every page a table
// continues on repeats its header.
func (l *layout) rows(g *grid, rows [][][]textLine) error {
	lh := g.lh()
	headN, headH := 0, 0.0
	if g.header != nil {
		headN = maxLines(g.header)
		headH = 2*g.padY + float64(headN)*lh
	}
	head := func() {
		if g.header != nil {
			l.segment(g, g.header, 0, headN, true)
		}
	}
	fresh := int(math.Floor((l.bottom - l.top - headH - 2*g.padY + 1e-9) / lh))
	if fresh < 1 {
		return errors.New("table header leaves no room for a row")
	}
	for ri, cells := range rows {
		total := max(1, maxLines(cells))
		if ri == 0 {
			l.need(headH + 2*g.padY + float64(min(total, fresh))*lh)
			head()
		}
		for start := 0; start < total; {
			avail := int(math.Floor((l.room() - 2*g.padY + 1e-9) / lh))
			rem := total - start
			if avail < 1 || (start == 0 && avail < rem && rem <= fresh) {
				l.newPage()
				head()
				continue
			}
			n := min(avail, rem)
			top := l.y
			l.segment(g, cells, start, n, false)
			if start == 0 && g.decorate != nil {
				g.decorate(ri, top, l.y-top)
			}
			start += n
			if start < total {
				l.newPage()
				head()
			}
		}
	}
	if len(rows) == 0 && g.header != nil {
		l.need(headH)
		head()
	}
	return nil
}

func (l *layout) table(t Table) error {
	if len(t.Columns) == 0 {
		return errors.New("table has no columns")
	}
	total := 0.0
	for _, c := range t.Columns {
		if !(c.Width >= 0) || math.IsInf(c.Width, 0) {
			return fmt.Errorf("column %q: width must be a finite number, zero or more", c.Header)
		}
		total += c.Width
	}
	g := &grid{x: l.left, size: cellSize, padX: 4, padY: 3, borders: true}
	for _, c := range t.Columns {
		w := l.width() / float64(len(t.Columns))
		if total > 0 {
			w = l.width() * c.Width / total
		}
		if w < 12 {
			return fmt.Errorf("column %q is too narrow", c.Header)
		}
		g.cols = append(g.cols, w)
		g.align = append(g.align, c.Align)
	}
	g.header = make([][]textLine, len(g.cols))
	for i, c := range t.Columns {
		g.header[i] = wrap([]Span{{Text: c.Header, Bold: true}}, cellSize, g.cols[i]-2*g.padX)
	}
	rows := make([][][]textLine, len(t.Rows))
	for ri, r := range t.Rows {
		if len(r) > len(g.cols) {
			return fmt.Errorf("table row %d has %d cells for %d columns", ri+1, len(r), len(g.cols))
		}
		rows[ri] = make([][]textLine, len(g.cols))
		for ci, s := range r {
			rows[ri][ci] = wrap([]Span{{Text: s}}, cellSize, g.cols[ci]-2*g.padX)
		}
	}
	return l.rows(g, rows)
}

func (l *layout) fields(fs []Field) {
	const padX = 4.0
	labelW := 0.36 * l.width()
	// The first column starts padX left of the margin, so labels line up
	// with the paragraphs around the list.
	g := &grid{x: l.left - padX, cols: []float64{labelW + padX, l.width() - labelW + padX}, size: fieldSize, padX: padX, padY: 2.5}
	rows := make([][][]textLine, len(fs))
	for i, f := range fs {
		rows[i] = [][]textLine{
			wrap([]Span{{Text: f.Label, Bold: true}}, fieldSize, labelW-padX),
			wrap([]Span{{Text: f.Value}}, fieldSize, l.width()-labelW-padX),
		}
	}
	g.decorate = func(i int, top, _ float64) {
		if len(rows[i][1]) == 0 {
			y := baseline(top+g.padY, g.lh(), fieldSize) + 2
			l.line(l.left+labelW+padX, y, l.right, y, 0.6, black)
		}
	}
	_ = l.rows(g, rows) // cannot fail: there is no header
}

func (l *layout) chart(c Chart) error {
	maxV := 0.0
	for _, b := range c.Bars {
		if !(b.Value >= 0) || math.IsInf(b.Value, 0) {
			return fmt.Errorf("bar %q: value must be a finite number, zero or more", b.Label)
		}
		maxV = max(maxV, b.Value)
	}
	const padX, barH = 4.0, 9.0
	labelW := 0.3 * l.width()
	texts := make([]string, len(c.Bars))
	textW := 0.0
	for i, b := range c.Bars {
		texts[i] = clean(b.Text, false)
		if b.Text == "" {
			texts[i] = strconv.FormatFloat(b.Value, 'f', -1, 64)
			if len(texts[i]) > 12 {
				texts[i] = strconv.FormatFloat(b.Value, 'g', 6, 64)
			}
		}
	}
	barX := l.left + labelW + padX
	// The bars keep at least a third of their room; a longer value text is
	// cut to fit rather than run off the page.
	textMax := (l.right - barX) * 2 / 3
	for i := range texts {
		texts[i] = fit(regular, cellSize, texts[i], textMax)
		textW = max(textW, width(regular, cellSize, texts[i]))
	}
	barMax := l.right - barX - textW - 6
	g := &grid{x: l.left - padX, cols: []float64{labelW + padX, l.right - l.left - labelW}, size: cellSize, padX: padX, padY: 3}
	rows := make([][][]textLine, len(c.Bars))
	for i, b := range c.Bars {
		rows[i] = [][]textLine{wrap([]Span{{Text: b.Label}}, cellSize, labelW-padX)}
	}
	g.decorate = func(i int, top, h float64) {
		w := 0.0
		if maxV > 0 {
			w = barMax * c.Bars[i].Value / maxV
		}
		lh := g.lh()
		l.line(barX, top, barX, top+h, 0.6, ruleGrey)
		if w > 0 {
			l.rect(barX, top+g.padY+(lh-barH)/2, w, barH, true, barColour)
		}
		l.emit(op{kind: opText, font: regular, size: cellSize, x: barX + w + 4, y: baseline(top+g.padY, lh, cellSize), text: texts[i], color: black})
	}
	if c.Title != "" {
		title := wrap([]Span{{Text: c.Title, Bold: true}}, bodySize, l.width())
		lh := bodySize * leading
		l.need(float64(len(title))*lh + 4 + 2*g.padY + g.lh())
		l.flow(title, l.left, bodySize, black, nil)
		l.y += 4
	}
	return l.rows(g, rows)
}
