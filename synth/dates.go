package synth

import (
	"time"

	"rescreen"
)

// day is a calendar day counted from 1970-01-01. The generator does all its
// date arithmetic on days, because a family's timeline is a chain of "so
// many days later" steps and integer days make that chain cheap and exact;
// it converts to rescreen.Date only when it writes a record.
type day int32

// mkday returns the day of the civil date y-m-d (proleptic Gregorian), by
// Howard Hinnant's days_from_civil algorithm.
func mkday(y int, m time.Month, d int) day {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (int(m) + 9) % 12 // March = 0
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return day(era*146097 + doe - 719468)
}

// civil returns the year, month and day of n, by Hinnant's civil_from_days.
func (n day) civil() (int, time.Month, int) {
	z := int(n) + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, time.Month(m), d
}

// date returns n as a rescreen.Date.
func (n day) date() rescreen.Date {
	y, m, d := n.civil()
	return rescreen.NewDate(y, m, d)
}

// dateOr returns n as a date, or the zero (unknown) date when n is 0, the
// generator's "no such day".
func (n day) dateOr() rescreen.Date {
	if n == 0 {
		return rescreen.Date{}
	}
	return n.date()
}

// addYears returns the same calendar day y years later (earlier when y is
// negative); 29 February becomes 28 February in a common year.
func (n day) addYears(y int) day {
	yy, m, d := n.civil()
	yy += y
	if m == time.February && d == 29 && !leap(yy) {
		d = 28
	}
	return mkday(yy, m, d)
}

// addMonths returns the same calendar day months later, or the last day of
// the month when it is shorter (2024-01-31 plus one month is 2024-02-29).
func (n day) addMonths(months int) day {
	y, m, d := n.civil()
	t := int(m) - 1 + months
	y += t / 12
	m = time.Month(t%12 + 1)
	if last := daysIn(y, m); d > last {
		d = last
	}
	return mkday(y, m, d)
}

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if leap(y) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

func leap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// Fixed days of the settlement's history (settlement.md section 6).
var (
	dExpandedFrom   = mkday(2017, 7, 1)   // COV-18: entries on or after this day
	dZeroTolerance  = mkday(2018, 5, 1)   // zero tolerance separations ramp up (announced 05-07)
	dEO13841        = mkday(2018, 6, 20)  // Executive Order 13841
	dClassOrder     = mkday(2018, 6, 26)  // ECF 82, 83
	dTenderDeadline = mkday(2018, 7, 10)  // reunification deadline for children under five
	dReunifDeadline = mkday(2018, 7, 26)  // reunification deadline for the others
	dLateSepEnd     = mkday(2018, 11, 7)  // last post-injunction separation the OIG counted
	dPrelimApproval = mkday(2018, 10, 9)  // election forms went out
	dElectionsEnd   = mkday(2018, 11, 30) // last election form in the synthetic class
	dFinalApproval  = mkday(2018, 11, 15)
	dT1             = mkday(2018, 12, 15) // 30 calendar days after final approval (T-1)
	dCourtReturns   = mkday(2019, 9, 4)   // ECF 456: 11 returns ordered, 7 refused
	dSelfPresented  = mkday(2019, 3, 2)   // 29 parents crossed together
	dIdentifyFrom   = mkday(2019, 4, 25)  // COV-21 six-month identification window
	dIdentifyTo     = mkday(2019, 10, 25)
	dSettlement2023 = mkday(2023, 12, 11) // 2023 settlement effective
)
