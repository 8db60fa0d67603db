package linkage

import "testing"

// benchPairs are realistic pairs of folded names met in blocking: variants
// of one name, and names of different people that share a block.
var benchPairs = [][2]string{
	{"hernandez", "hernandes"},
	{"jimenez", "ximenez"},
	{"gonzalez", "gomez"},
	{"guadalupe", "lupe"},
	{"quiej", "kiej"},
	{"martinez", "ramirez"},
	{"xiloj", "xuc"},
	{"maria guadalupe", "guadalupe maria"},
	{"mitchell", "michael"},
	{"lopez", "lozano"},
	{"ajanel", "ajanell"},
	{"rodriguez", "rodrigues"},
}

var sinkF float64
var sinkI int

func BenchmarkJaroWinkler(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := &benchPairs[i%len(benchPairs)]
		sinkF += JaroWinkler(p[0], p[1])
	}
}

func BenchmarkJaroWinklerRunes(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkF += JaroWinkler("gómez núñez", "gomez nuñez")
	}
}

func BenchmarkOSA(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := &benchPairs[i%len(benchPairs)]
		sinkI += OSA(p[0], p[1])
	}
}

func BenchmarkOSAMax1(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := &benchPairs[i%len(benchPairs)]
		sinkI += OSAMax(p[0], p[1], 1)
	}
}

func BenchmarkDamerauLevenshtein(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := &benchPairs[i%len(benchPairs)]
		sinkI += DamerauLevenshtein(p[0], p[1])
	}
}

func BenchmarkLevenshtein(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := &benchPairs[i%len(benchPairs)]
		sinkI += Levenshtein(p[0], p[1])
	}
}

func BenchmarkAppendPhonetic(b *testing.B) {
	b.ReportAllocs()
	buf := make([]byte, 0, 64)
	for i := 0; b.Loop(); i++ {
		buf = AppendPhonetic(buf[:0], benchPairs[i%len(benchPairs)][i%2])
	}
	sinkI += len(buf)
}

var sinkS string

func BenchmarkPhonetic(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		sinkS = Phonetic(benchPairs[i%len(benchPairs)][i%2])
	}
}

func BenchmarkFold(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkS = Fold("María de los Ángeles Q'anjob'al")
	}
}

func BenchmarkNewPersonName(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		p := NewPersonName("María Guadalupe", "De la Cruz Xiloj", "")
		sinkI += len(p.Given.Words)
	}
}

// benchPeople are prepared once, as the model will prepare each record.
var benchPeople = func() []PersonName {
	names := [][3]string{
		{"María Guadalupe", "Jiménez López", ""}, {"Lupe", "Ximénez", "López"},
		{"José Luis", "Hernández", "Xuc"}, {"Pepe", "Ernandes", "Shuc"},
		{"Juan", "Quiej", "Tzul"}, {"Juan Carlos", "Kiej", ""},
		{"Mitchell", "Green", ""}, {"Michael", "Greene", ""},
		{"Ana", "De la Cruz", "Pérez"}, {"Ana María", "Delacruz", ""},
	}
	out := make([]PersonName, len(names))
	for i, n := range names {
		out[i] = NewPersonName(n[0], n[1], n[2])
	}
	return out
}()

func BenchmarkCompareGivenNames(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		x, y := &benchPeople[i%len(benchPeople)], &benchPeople[(i/len(benchPeople)+i)%len(benchPeople)]
		sinkI += int(CompareGivenNames(x, y))
	}
}

func BenchmarkCompareSurnames(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		x, y := &benchPeople[i%len(benchPeople)], &benchPeople[(i/len(benchPeople)+i)%len(benchPeople)]
		sinkI += int(CompareSurnames(x, y))
	}
}

func BenchmarkCompareDates(b *testing.B) {
	b.ReportAllocs()
	dates := []Date{NewDate(2010, 3, 4), NewDate(2010, 4, 3), NewDate(1987, 5, 10), NewDate(1978, 5, 10), NewDate(2010, 0, 0)}
	for i := 0; b.Loop(); i++ {
		sinkI += int(CompareDates(dates[i%len(dates)], dates[(i/len(dates)+i)%len(dates)]))
	}
}

func BenchmarkCompareIDs(b *testing.B) {
	b.ReportAllocs()
	ids := []string{"012345678", "012354678", "012345978", "987654321"}
	for i := 0; b.Loop(); i++ {
		sinkI += int(CompareIDs(ids[i%len(ids)], ids[(i/len(ids)+i)%len(ids)]))
	}
}
