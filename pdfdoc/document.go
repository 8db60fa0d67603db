// Package pdfdoc writes small, plain PDF documents (notices, forms and court
// reports) on US Letter paper: a title, headings, wrapped paragraphs,
// label:value fields, tables, checkboxes, signature lines and horizontal bar
// charts, with "Page N of M" in every footer.
//
// A Document is a list of blocks; Render lays them out and writes the PDF.
// Rendering is deterministic: the same blocks and options give the same
// bytes, because nothing is read from the clock or a random source, the fonts
// are embedded in the binary, and every position is computed here rather than
// by the PDF library. That lets the service store a notice's SHA-256 as proof
// of exactly what was delivered, and lets tests compare renders.
//
// Text is never interpreted: a value that looks like markup or PDF syntax is
// drawn as the characters it holds. Long words are broken to fit the column,
// and tables and paragraphs continue on the next page, so no input overflows
// the page or breaks the file.
package pdfdoc

import (
	"time"
)

// Letter paper, in points.
const (
	PageWidth  = 612.0
	PageHeight = 792.0
)

// Options are the settings of a whole document.
type Options struct {
	// Title goes into the document information dictionary. If empty, the
	// text of the first Title block is used.
	Title string
	// Subject goes into the document information dictionary.
	Subject string
	// PageLabel is printed at the right of every footer, with {page} and
	// {pages} replaced by the page number and the page count, so each
	// language passes its own wording ("Página {page} de {pages}"). Empty
	// means "Page {page} of {pages}".
	PageLabel string
	// Footer is printed at the left of every footer, cut to one line.
	Footer string
	// Margins in points; the zero value means 0.75 inch on every side.
	Margins Margins
	// Created is recorded as the creation date if it is not zero. It is an
	// input, never the clock, so that the output stays reproducible.
	Created time.Time
}

// Margins are page margins in points.
type Margins struct {
	Top, Right, Bottom, Left float64
}

// Span is a run of text in one weight.
type Span struct {
	Text string
	Bold bool
}

// Field is one line of a label:value list.
type Field struct {
	Label string
	// Value is printed after the label; if it is empty, a line is drawn
	// instead, for the value to be written by hand.
	Value string
}

// Align is the horizontal alignment of a table column.
type Align int

// Alignments.
const (
	AlignLeft Align = iota
	AlignRight
)

// Column describes one table column.
type Column struct {
	Header string
	// Width is the column's share of the table width, relative to the other
	// columns; if every width is zero, the columns are equal.
	Width float64
	Align Align
}

// Table is a grid of wrapped text. Rows may be taller than a page: they
// continue on the next page under a repeated header row.
type Table struct {
	Columns []Column
	Rows    [][]string // a row may have fewer cells than columns, not more
}

// Bar is one bar of a chart.
type Bar struct {
	Label string
	Value float64 // zero or more
	// Text is printed after the bar; if empty, the value is printed.
	Text string
}

// Chart is a horizontal bar chart, scaled to its largest value.
type Chart struct {
	Title string
	Bars  []Bar
}

// Document is a PDF under construction. Its methods append blocks in reading
// order; none of them fails, and Render reports any problem.
type Document struct {
	opts   Options
	blocks []block
}

// block is one element of the document's flow.
type block struct {
	kind    blockKind
	spans   []Span
	checked bool
	fields  []Field
	table   Table
	chart   Chart
	labels  [2]string
	space   float64
}

type blockKind int

const (
	blockTitle blockKind = iota
	blockHeading
	blockParagraph
	blockSmall
	blockBullet
	blockCheckbox
	blockFields
	blockTable
	blockSignature
	blockChart
	blockSpace
	blockPageBreak
	blockKeepStart
	blockKeepEnd
)

// New returns an empty document.
func New(opts Options) *Document {
	return &Document{opts: opts}
}

func (d *Document) add(b block) { d.blocks = append(d.blocks, b) }

// Title adds the document's title, in large bold type over a rule.
func (d *Document) Title(text string) {
	d.add(block{kind: blockTitle, spans: []Span{{Text: text, Bold: true}}})
}

// Heading adds a section heading. A heading is never the last line of a page.
func (d *Document) Heading(text string) {
	d.add(block{kind: blockHeading, spans: []Span{{Text: text, Bold: true}}})
}

// Paragraph adds plain text, wrapped at the page width. A newline starts a
// new line.
func (d *Document) Paragraph(text string) {
	d.add(block{kind: blockParagraph, spans: []Span{{Text: text}}})
}

// RichParagraph adds a paragraph of mixed regular and bold text.
func (d *Document) RichParagraph(spans ...Span) {
	d.add(block{kind: blockParagraph, spans: spans})
}

// Small adds a paragraph in small grey type, for references and fine print.
func (d *Document) Small(text string) {
	d.add(block{kind: blockSmall, spans: []Span{{Text: text}}})
}

// Bullet adds one item of a bulleted list.
func (d *Document) Bullet(spans ...Span) {
	d.add(block{kind: blockBullet, spans: spans})
}

// Checkbox adds a box followed by its label. The box and its cross are drawn
// as lines, not as the characters ☐ and ☒, which many fonts lack.
func (d *Document) Checkbox(checked bool, label ...Span) {
	d.add(block{kind: blockCheckbox, checked: checked, spans: label})
}

// Fields adds a label:value list in two columns.
func (d *Document) Fields(fields ...Field) {
	d.add(block{kind: blockFields, fields: fields})
}

// Table adds a table.
func (d *Document) Table(t Table) {
	d.add(block{kind: blockTable, table: t})
}

// Signature adds a signature line and a date line side by side, each with
// its label underneath, and room above them to sign.
func (d *Document) Signature(label, dateLabel string) {
	d.add(block{kind: blockSignature, labels: [2]string{label, dateLabel}})
}

// BarChart adds a horizontal bar chart.
func (d *Document) BarChart(c Chart) {
	d.add(block{kind: blockChart, chart: c})
}

// Space adds vertical space, in points.
func (d *Document) Space(points float64) {
	d.add(block{kind: blockSpace, space: points})
}

// PageBreak starts a new page, unless the current page is still empty.
func (d *Document) PageBreak() {
	d.add(block{kind: blockPageBreak})
}

// Keep keeps the blocks that f adds on one page: if they do not fit below
// the current position but fit on a page, they start on the next page. A
// group taller than a page flows as usual. A form uses it so that a choice
// and its signature lines are not split between two sheets.
func (d *Document) Keep(f func()) {
	d.add(block{kind: blockKeepStart})
	f()
	d.add(block{kind: blockKeepEnd})
}
