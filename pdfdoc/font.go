package pdfdoc

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"unicode"

	"github.com/signintech/gopdf"
	"github.com/signintech/gopdf/fontmaker/core"
)

// The fonts travel inside the binary, so a notice renders the same accents
// (á é í ó ú ñ ü ¿ ¡) on a server without fonts installed. DejaVu Sans covers
// Latin, including the letters of Mayan orthographies, and is under the
// Bitstream Vera licence (fonts/LICENSE).
var (
	//go:embed fonts/DejaVuSans.ttf
	regularTTF []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	boldTTF []byte
)

// fontID picks one of the two embedded faces.
type fontID int

const (
	regular fontID = iota
	bold
)

// face holds the metrics the layout needs, read once from the font file.
type face struct {
	family string  // gopdf family name
	upm    float64 // units per em
	widths []uint  // advance per glyph, in font units
	chars  map[int]uint
}

// advance returns the width of r at size 1, or false if the face lacks r.
func (f *face) advance(r rune) (float64, bool) {
	g, ok := f.chars[int(r)]
	if !ok || (g == 0 && r != 0) {
		return 0, false
	}
	// Glyphs past the last horizontal metric share its advance (TrueType hmtx).
	if int(g) >= len(f.widths) {
		g = uint(len(f.widths) - 1)
	}
	return float64(f.widths[g]) / f.upm, true
}

// fontSet is parsed once per process: parsing DejaVu takes milliseconds,
// which would dominate the rendering of a one-page form.
var fontSet struct {
	once      sync.Once
	err       error
	faces     [2]*face
	container *gopdf.FontContainer
	// replacement stands for a character neither face can draw.
	replacement rune
}

func loadFonts() error {
	fontSet.once.Do(func() {
		fontSet.container = new(gopdf.FontContainer)
		for i, src := range []struct {
			family string
			data   []byte
		}{{"DejaVuSans", regularTTF}, {"DejaVuSans-Bold", boldTTF}} {
			var p core.TTFParser
			if err := p.ParseFontData(src.data); err != nil {
				fontSet.err = fmt.Errorf("pdfdoc: parse %s: %w", src.family, err)
				return
			}
			fontSet.faces[i] = &face{family: src.family, upm: float64(p.UnitsPerEm()), widths: p.Widths(), chars: p.Chars()}
			if err := fontSet.container.AddTTFFontData(src.family, src.data); err != nil {
				fontSet.err = fmt.Errorf("pdfdoc: load %s: %w", src.family, err)
				return
			}
		}
		fontSet.replacement = '?'
		if drawable('\uFFFD') {
			fontSet.replacement = '\uFFFD'
		}
	})
	return fontSet.err
}

// drawable reports whether both faces have a glyph for r, so that a value
// looks the same in a label (bold) and in a paragraph (regular).
func drawable(r rune) bool {
	for _, f := range fontSet.faces {
		if _, ok := f.advance(r); !ok {
			return false
		}
	}
	return true
}

// width returns the width of s in points.
func width(f fontID, size float64, s string) float64 {
	fc := fontSet.faces[f]
	w := 0.0
	for _, r := range s {
		a, _ := fc.advance(r)
		w += a
	}
	return w * size
}

// clean makes text safe to lay out. Invalid UTF-8, control and formatting
// characters (bidirectional overrides, zero-width joiners) are dropped or
// replaced, and characters the fonts lack become a visible replacement mark
// instead of a silent gap. Newlines survive only if keepNewlines is set;
// otherwise they become spaces, so a value cannot start a new line of its own.
func clean(s string, keepNewlines bool) string {
	var b strings.Builder
	b.Grow(len(s))
	s = strings.ReplaceAll(s, "\r\n", "\n")
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			if keepNewlines {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		case r == '\t' || (unicode.Is(unicode.Zs, r) && r != '\u00A0'):
			b.WriteByte(' ')
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			// dropped: invisible, and some reorder the text around them
		case drawable(r):
			b.WriteRune(r)
		default:
			b.WriteRune(fontSet.replacement)
		}
	}
	return b.String()
}
