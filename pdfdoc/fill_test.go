package pdfdoc

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestFillsKeepTheirColour: text in PDF sets the same colour as a filled
// shape's, so every header cell of a table and every bar of a chart must
// set its own fill. Rendered and rastered, three header cells cover as
// much header grey as one cell of the same width, and three equal bars
// three times the blue of one.
func TestFillsKeepTheirColour(t *testing.T) {
	bin := tool(t, "pdftoppm")
	raster := func(d *Document) image.Image {
		t.Helper()
		pdf, _, err := d.Render()
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		in, out := filepath.Join(dir, "doc.pdf"), filepath.Join(dir, "page")
		if err := os.WriteFile(in, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		if msg, err := exec.Command(bin, "-png", "-r", "72", "-f", "1", "-l", "1", "-singlefile", in, out).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v: %s", err, msg)
		}
		raw, err := os.ReadFile(out + ".png")
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	count := func(img image.Image, c rgb) int {
		n := 0
		b := img.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				r, g, bl, _ := img.At(x, y).RGBA()
				near := func(v uint32, want uint8) bool { d := int(v>>8) - int(want); return d > -8 && d < 8 }
				if near(r, c[0]) && near(g, c[1]) && near(bl, c[2]) {
					n++
				}
			}
		}
		return n
	}
	table := func(cols int) *Document {
		d := New(Options{})
		t := Table{}
		row := []string{}
		for range cols {
			t.Columns = append(t.Columns, Column{Header: "H"})
			row = append(row, "v")
		}
		t.Rows = [][]string{row}
		d.Table(t)
		return d
	}
	one, three := count(raster(table(1)), headFill), count(raster(table(3)), headFill)
	if one == 0 || three < one*9/10 {
		t.Errorf("header grey: %d pixels with three columns, %d with one", three, one)
	}
	chart := func(bars int) *Document {
		d := New(Options{})
		c := Chart{Title: "Bars"}
		for range bars {
			c.Bars = append(c.Bars, Bar{Label: "x", Value: 5})
		}
		d.BarChart(c)
		return d
	}
	one, three = count(raster(chart(1)), barColour), count(raster(chart(3)), barColour)
	if one == 0 || three < one*27/10 || three > one*33/10 {
		t.Errorf("bar blue: %d pixels with three bars, %d with one", three, one)
	}
}
