package notice

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// piece is a part of a line of template text: literal text, or a field to
// print (key), in regular or bold type.
type piece struct {
	lit  string
	key  string
	bold bool
}

type nodeKind int

const (
	nodeTitle nodeKind = iota
	nodeHeading
	nodeParagraph
	nodeSmall
	nodeBullet
	nodeBox
	nodeField
	nodeSign
	nodeSpace
	nodePageBreak
	nodeIf
	nodeKeep
)

// node is one parsed template element.
type node struct {
	kind   nodeKind
	text   []piece // the text; a field's value; a signature line's label
	label  []piece // a field's label; a signature line's date label
	cond   cond    // @box, @if
	then   []node  // @if; the content of @keep
	orElse []node  // @if ... @else
	space  float64 // @space
	line   int     // for messages
}

// cond is a test on a field: "key" (not empty), "!key" (empty),
// "key=VALUE" or "key!=VALUE" on the field's raw value.
type cond struct {
	key, val string
	neg, eq  bool
}

func (c cond) test(v values) bool {
	raw := v.raw[c.key]
	ok := raw != ""
	if c.eq {
		ok = raw == c.val
	}
	return ok != c.neg
}

// tmpl is a parsed template file.
type tmpl struct {
	kind      Kind
	lang      string
	version   int
	pageLabel string
	footer    []piece
	subject   []piece
	body      []node
}

// parseTemplate reads the markup described in the package comment.
func parseTemplate(name, src string) (*tmpl, error) {
	p := &parser{name: name, t: &tmpl{}}
	stack := [][]node{nil} // open bodies: the template, then each @if or @keep
	var ifs []*node        // the open @if and @keep nodes
	var open *node         // the element plain lines continue
	inElse := []bool{}
	add := func(n node) *node {
		top := len(stack) - 1
		stack[top] = append(stack[top], n)
		return &stack[top][len(stack[top])-1]
	}
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	for i, raw := range lines {
		p.line = i + 1
		line := strings.TrimRight(raw, " \t")
		trimmed := strings.TrimLeft(line, " \t")
		switch {
		case strings.HasPrefix(trimmed, "#"):
			continue
		case trimmed == "":
			open = nil
			continue
		case !strings.HasPrefix(trimmed, "@"):
			pieces, err := p.inline(trimmed)
			if err != nil {
				return nil, err
			}
			if open == nil {
				open = add(node{kind: nodeParagraph, line: p.line})
			} else {
				pieces = append([]piece{{lit: " "}}, pieces...)
			}
			open.text = append(open.text, pieces...)
			continue
		}
		open = nil
		dir, arg, _ := strings.Cut(trimmed[1:], " ")
		arg = strings.TrimSpace(arg)
		var err error
		switch dir {
		case "pagelabel":
			if !strings.Contains(arg, "{page}") || !strings.Contains(arg, "{pages}") {
				return nil, p.errorf("@pagelabel needs {page} and {pages}")
			}
			p.t.pageLabel = arg
		case "footer":
			p.t.footer, err = p.inline(arg)
		case "subject":
			p.t.subject, err = p.inline(arg)
		case "title", "heading", "small", "bullet", "paragraph":
			kind := map[string]nodeKind{"title": nodeTitle, "heading": nodeHeading, "small": nodeSmall, "bullet": nodeBullet, "paragraph": nodeParagraph}[dir]
			var text []piece
			if text, err = p.inline(arg); err == nil {
				n := add(node{kind: kind, text: text, line: p.line})
				if kind != nodeTitle && kind != nodeHeading {
					open = n
				}
			}
		case "box":
			c, label, found := strings.Cut(arg, "|")
			if !found {
				return nil, p.errorf("@box needs a condition, a | and a label")
			}
			n := node{kind: nodeBox, line: p.line}
			if strings.TrimSpace(c) != "" {
				if n.cond, err = p.cond(strings.TrimSpace(c)); err != nil {
					return nil, err
				}
			}
			// With no condition, n.cond tests the empty key, which is never
			// set: the box is printed empty, to be ticked by hand.
			if n.text, err = p.inline(strings.TrimSpace(label)); err == nil {
				open = add(n)
			}
		case "field", "sign":
			a, b, found := strings.Cut(arg, "|")
			if !found {
				return nil, p.errorf("@%s needs two parts separated by |", dir)
			}
			n := node{kind: nodeField, line: p.line}
			first, second := &n.label, &n.text
			if dir == "sign" {
				n.kind, first, second = nodeSign, &n.text, &n.label
			}
			if *first, err = p.inline(strings.TrimSpace(a)); err == nil {
				if *second, err = p.inline(strings.TrimSpace(b)); err == nil {
					add(n)
				}
			}
		case "space":
			f, perr := strconv.ParseFloat(arg, 64)
			if perr != nil || f < 0 || f > 200 {
				return nil, p.errorf("@space needs points between 0 and 200")
			}
			add(node{kind: nodeSpace, space: f, line: p.line})
		case "pagebreak":
			add(node{kind: nodePageBreak, line: p.line})
		case "if":
			n := node{kind: nodeIf, line: p.line}
			if n.cond, err = p.cond(arg); err == nil {
				ifs = append(ifs, &n)
				stack = append(stack, nil)
				inElse = append(inElse, false)
			}
		case "keep":
			if arg != "" {
				return nil, p.errorf("@keep takes no argument")
			}
			ifs = append(ifs, &node{kind: nodeKeep, line: p.line})
			stack = append(stack, nil)
			inElse = append(inElse, false)
		case "endkeep":
			if len(ifs) == 0 || ifs[len(ifs)-1].kind != nodeKeep {
				return nil, p.errorf("@endkeep without @keep")
			}
			n := ifs[len(ifs)-1]
			n.then = stack[len(stack)-1]
			ifs, stack, inElse = ifs[:len(ifs)-1], stack[:len(stack)-1], inElse[:len(inElse)-1]
			add(*n)
		case "else":
			if len(ifs) == 0 || ifs[len(ifs)-1].kind != nodeIf || inElse[len(inElse)-1] {
				return nil, p.errorf("@else without @if")
			}
			ifs[len(ifs)-1].then = stack[len(stack)-1]
			stack[len(stack)-1] = nil
			inElse[len(inElse)-1] = true
		case "end":
			if len(ifs) == 0 || ifs[len(ifs)-1].kind != nodeIf {
				return nil, p.errorf("@end without @if")
			}
			n := ifs[len(ifs)-1]
			if inElse[len(inElse)-1] {
				n.orElse = stack[len(stack)-1]
			} else {
				n.then = stack[len(stack)-1]
			}
			ifs, stack, inElse = ifs[:len(ifs)-1], stack[:len(stack)-1], inElse[:len(inElse)-1]
			add(*n)
		default:
			return nil, p.errorf("unknown directive @%s", dir)
		}
		if err != nil {
			return nil, err
		}
	}
	if len(ifs) > 0 {
		n := ifs[len(ifs)-1]
		if n.kind == nodeKeep {
			return nil, fmt.Errorf("%s:%d: @keep without @endkeep", name, n.line)
		}
		return nil, fmt.Errorf("%s:%d: @if without @end", name, n.line)
	}
	if p.t.pageLabel == "" {
		return nil, fmt.Errorf("%s: no @pagelabel", name)
	}
	p.t.body = stack[0]
	if !slices.ContainsFunc(p.t.body, func(n node) bool { return n.kind == nodeTitle }) {
		return nil, fmt.Errorf("%s: no @title", name)
	}
	return p.t, nil
}

type parser struct {
	name string
	line int
	t    *tmpl
}

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", p.name, p.line, fmt.Sprintf(format, args...))
}

// inline reads text with **bold** spans and {field} references; {{ is a
// literal brace. Only the template is read this way, never a field's value.
func (p *parser) inline(s string) ([]piece, error) {
	var out []piece
	var lit strings.Builder
	bold := false
	flush := func() {
		if lit.Len() > 0 {
			out = append(out, piece{lit: lit.String(), bold: bold})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "**"):
			flush()
			bold = !bold
			i += 2
		case strings.HasPrefix(s[i:], "{{"):
			lit.WriteByte('{')
			i += 2
		case s[i] == '{':
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				return nil, p.errorf("unclosed {")
			}
			key := s[i+1 : i+end]
			if specByKey[key] == nil {
				return nil, p.errorf("unknown field {%s}", key)
			}
			flush()
			out = append(out, piece{key: key, bold: bold})
			i += end + 1
		default:
			lit.WriteByte(s[i])
			i++
		}
	}
	if bold {
		return nil, p.errorf("unclosed **")
	}
	flush()
	return out, nil
}

// cond reads a condition and checks that its field and value exist.
func (p *parser) cond(s string) (cond, error) {
	var c cond
	switch {
	case strings.Contains(s, "!="):
		c.key, c.val, _ = strings.Cut(s, "!=")
		c.eq, c.neg = true, true
	case strings.Contains(s, "="):
		c.key, c.val, _ = strings.Cut(s, "=")
		c.eq = true
	case strings.HasPrefix(s, "!"):
		c.key, c.neg = s[1:], true
	default:
		c.key = s
	}
	c.key, c.val = strings.TrimSpace(c.key), strings.TrimSpace(c.val)
	f := specByKey[c.key]
	if f == nil {
		return cond{}, p.errorf("unknown field %q in condition", c.key)
	}
	if c.eq {
		switch f.kind {
		case kindEnum:
			if !slices.Contains(f.enum, c.val) {
				return cond{}, p.errorf("%s has no value %q", c.key, c.val)
			}
		case kindBool:
			if c.val != "yes" && c.val != "no" {
				return cond{}, p.errorf("%s is yes or no, not %q", c.key, c.val)
			}
		default:
			return cond{}, p.errorf("only controlled fields and yes/no fields compare to a value, not %s", c.key)
		}
	}
	return c, nil
}
