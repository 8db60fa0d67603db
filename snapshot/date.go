package snapshot

import (
	"time"

	"rescreen"
)

// A valid date (month 1 to 12, day 1 to 31, year 0 to 9999) is packed as
// year<<9 | month<<5 | day. Packing keeps month and day apart without a
// calendar, so a date that does not exist, such as 2018-02-30, still
// round-trips; neighbouring dates differ by small numbers; and unpacking
// is three shifts. Other Dates are written field by field.
const (
	maxYear  = 9999
	dateSpan = (maxYear + 1) << 9
	// dateBase is 2018-01-01, the year of the separations: the first date of
	// a snapshot is written as its distance from it.
	dateBase = 2018<<9 | 1<<5 | 1
)

func packDate(d rescreen.Date) (int, bool) {
	if d.Year < 0 || d.Year > maxYear || d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Day > 31 {
		return 0, false
	}
	return d.Year<<9 | int(d.Month)<<5 | d.Day, true
}

// unpackDate returns the date packed in v, which must be in [0, dateSpan),
// and whether it is valid.
func unpackDate(v int) (rescreen.Date, bool) {
	m, d := v>>5&15, v&31
	return rescreen.NewDate(v>>9, time.Month(m), d), m >= 1 && m <= 12 && d >= 1
}
