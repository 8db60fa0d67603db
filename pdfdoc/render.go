package pdfdoc

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/signintech/gopdf"
)

// Render lays the document out and writes it as PDF. It returns the file and
// the hex SHA-256 of its bytes.
func (d *Document) Render() (pdf []byte, sha256hex string, err error) {
	if err := loadFonts(); err != nil {
		return nil, "", err
	}
	pages, err := d.layout()
	if err != nil {
		return nil, "", err
	}
	w, err := d.write(pages)
	if err != nil {
		return nil, "", fmt.Errorf("pdfdoc: %w", err)
	}
	sum := sha256.Sum256(w)
	return w, hex.EncodeToString(sum[:]), nil
}

// write draws the laid-out pages. Only here is the page count known, so the
// footers are drawn here too.
func (d *Document) write(pages []*page) ([]byte, error) {
	var gp gopdf.GoPdf
	gp.Start(gopdf.Config{PageSize: *gopdf.PageSizeLetter, Unit: gopdf.UnitPT})
	for _, f := range fontSet.faces {
		if err := gp.AddTTFFontFromFontContainer(f.family, fontSet.container); err != nil {
			return nil, err
		}
	}
	gp.SetInfo(gopdf.PdfInfo{
		Title:        clean(d.title(), false),
		Subject:      clean(d.opts.Subject, false),
		Producer:     "rescreen pdfdoc",
		CreationDate: d.opts.Created,
	})
	s := &stroker{gp: &gp}
	for i, p := range pages {
		gp.AddPage()
		s.reset()
		for _, o := range p.ops {
			if err := s.draw(o); err != nil {
				return nil, err
			}
		}
		for _, o := range d.footer(i+1, len(pages)) {
			if err := s.draw(o); err != nil {
				return nil, err
			}
		}
	}
	var buf bytes.Buffer
	if _, err := gp.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (d *Document) title() string {
	if d.opts.Title != "" {
		return d.opts.Title
	}
	for _, b := range d.blocks {
		if b.kind == blockTitle {
			return b.spans[0].Text
		}
	}
	return ""
}

// footer returns the ops of page n's footer: a rule, the footer text at the
// left and the page label at the right.
func (d *Document) footer(n, total int) []op {
	m := d.opts.Margins
	if m == (Margins{}) {
		m = Margins{Top: 54, Right: 54, Bottom: 54, Left: 54}
	}
	label := d.opts.PageLabel
	if label == "" {
		label = "Page {page} of {pages}"
	}
	label = strings.NewReplacer("{page}", strconv.Itoa(n), "{pages}", strconv.Itoa(total)).Replace(label)
	left, right := m.Left, PageWidth-m.Right
	label = fit(regular, footerSize, clean(label, false), (right-left)/2)
	lw := width(regular, footerSize, label)
	text := fit(regular, footerSize, clean(d.opts.Footer, false), right-left-lw-12)
	ruleY := PageHeight - m.Bottom + 0.3*m.Bottom
	base := PageHeight - m.Bottom + 0.58*m.Bottom
	ops := []op{
		{kind: opLine, x: left, y: ruleY, x2: right, y2: ruleY, width: 0.5, color: ruleGrey},
		{kind: opText, font: regular, size: footerSize, x: right - lw, y: base, text: label, color: grey},
	}
	if text != "" {
		ops = append(ops, op{kind: opText, font: regular, size: footerSize, x: left, y: base, text: text, color: grey})
	}
	return ops
}

// fit cuts s, which must be clean, to at most maxW points, marking the cut
// with an ellipsis.
func fit(f fontID, size float64, s string, maxW float64) string {
	if width(f, size, s) <= maxW {
		return s
	}
	const ell = "…"
	room := maxW - width(f, size, ell)
	w := 0.0
	for i, r := range s {
		w += width(f, size, string(r))
		if w > room {
			return strings.TrimRight(s[:i], " ") + ell
		}
	}
	return s
}

// stroker draws ops through gopdf and skips state changes that would
// repeat the current state, which keeps the content streams short.
type stroker struct {
	gp       *gopdf.GoPdf
	font     fontID
	size     float64
	text     rgb
	stroke   rgb
	fill     rgb
	lw       float64
	hasState bool // font, size and text colour are set
	hasLine  bool // line width and stroke colour are set
	hasFill  bool // fill colour is set
}

// reset forgets the state: each page's content stream starts afresh.
func (s *stroker) reset() { s.hasState, s.hasLine, s.hasFill = false, false, false }

func (s *stroker) draw(o op) error {
	gp := s.gp
	switch o.kind {
	case opText:
		if !s.hasState || s.font != o.font || s.size != o.size {
			if err := gp.SetFont(fontSet.faces[o.font].family, "", o.size); err != nil {
				return err
			}
			s.font, s.size = o.font, o.size
		}
		if !s.hasState || s.text != o.color {
			gp.SetTextColor(o.color[0], o.color[1], o.color[2])
			s.text = o.color
		}
		s.hasState = true
		gp.SetXY(o.x, o.y)
		// gopdf sets the text's colour with rg, which is also the fill
		// colour of shapes: the next filled rectangle must set its own
		// (else a table's header cells and a chart's bars after the first
		// are filled in the text's black).
		s.hasFill = false
		return gp.Text(o.text)
	case opLine:
		s.strokeState(o)
		gp.Line(o.x, o.y, o.x2, o.y2)
	case opRect:
		if o.fill {
			if !s.hasFill || s.fill != o.color {
				gp.SetFillColor(o.color[0], o.color[1], o.color[2])
				s.fill, s.hasFill = o.color, true
			}
			gp.RectFromUpperLeftWithStyle(o.x, o.y, o.x2, o.y2, "F")
		} else {
			s.strokeState(o)
			gp.RectFromUpperLeftWithStyle(o.x, o.y, o.x2, o.y2, "D")
		}
	}
	return nil
}

func (s *stroker) strokeState(o op) {
	if s.hasLine && s.lw == o.width && s.stroke == o.color {
		return
	}
	s.gp.SetLineWidth(o.width)
	s.gp.SetStrokeColor(o.color[0], o.color[1], o.color[2])
	s.lw, s.stroke, s.hasLine = o.width, o.color, true
}
