package notice

import "testing"

func BenchmarkRenderElectionForm(b *testing.B) {
	if err := Check(); err != nil {
		b.Fatal(err)
	}
	d := fullData()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Render(ElectionForm, "es", 1, d); err != nil {
			b.Fatal(err)
		}
	}
}
