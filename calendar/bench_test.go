package calendar

import "testing"

// The benchmarks measure the calls the rules engine makes for every
// deadline it evaluates; the starts spread over two years so that the
// holiday table, not one cached day, is what gets read.

var sinkDate Date
var sinkInt int
var sinkBool bool

func benchStarts() []Date {
	ds := make([]Date, 64)
	for i := range ds {
		ds[i] = AddDays(NewDate(2018, 11, 15), i*11)
	}
	return ds
}

func BenchmarkAddBusinessDays30(b *testing.B) {
	ds := benchStarts()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		sinkDate = AddBusinessDays(ds[i%len(ds)], 30)
	}
}

func BenchmarkBusinessDaysBetween(b *testing.B) {
	ds := benchStarts()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		d := ds[i%len(ds)]
		sinkInt = BusinessDaysBetween(d, AddDays(d, 42))
	}
}

func BenchmarkIsBusinessDay(b *testing.B) {
	ds := benchStarts()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		sinkBool = IsBusinessDay(ds[i%len(ds)])
	}
}

func BenchmarkHolidayOn(b *testing.B) {
	ds := benchStarts()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_, sinkBool = HolidayOn(ds[i%len(ds)])
	}
}

func BenchmarkRollForward(b *testing.B) {
	ds := benchStarts()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		sinkDate = RollForward(ds[i%len(ds)])
	}
}

func BenchmarkAddMonths(b *testing.B) {
	ds := benchStarts()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		sinkDate = AddMonths(ds[i%len(ds)], 6)
	}
}
