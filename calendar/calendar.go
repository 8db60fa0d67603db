// Package calendar does date arithmetic for the settlement's clocks
// (settlement.md section 5): calendar days, business days with the U.S.
// federal holidays and their observed dates, and month and year steps that
// clamp to the end of a shorter month.
//
// The package is pure: it takes dates as arguments, never reads the clock,
// and imports nothing of the project's, so that rules, notices and reports
// can all count days the same way. A Date has the same fields as
// rescreen.Date, so the two convert into each other with a plain type
// conversion.
//
// Dates are counted as day numbers (days since 1970-01-01) with the civil
// calendar algorithms of H. Hinnant, which are exact for the proleptic
// Gregorian calendar and need no time zone; that keeps day counting free of
// the daylight-saving traps of time.Time arithmetic and cheap enough for the
// rules engine's hot path.
package calendar

import (
	"sync"
	"time"
)

// Date is a calendar day. The zero Date is not a day; callers check for it
// before doing arithmetic, because an unknown date has no successor.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date y-m-d.
func NewDate(y int, m time.Month, d int) Date { return Date{y, m, d} }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Valid reports whether d names a day that exists (2018-02-30 does not).
func (d Date) Valid() bool {
	return d.Month >= time.January && d.Month <= time.December && d.Day >= 1 && d.Day <= DaysIn(d.Year, d.Month)
}

// String returns the date as 2006-01-02.
func (d Date) String() string {
	return string(AppendDate(make([]byte, 0, 10), d))
}

// AppendDate appends d in the form 2006-01-02 to b; it exists so that callers
// building long explanations avoid fmt.
func AppendDate(b []byte, d Date) []byte {
	y := d.Year
	if y < 0 {
		b = append(b, '-')
		y = -y
	}
	b = append(b, byte('0'+y/1000%10), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-')
	m := int(d.Month)
	b = append(b, byte('0'+m/10%10), byte('0'+m%10), '-')
	return append(b, byte('0'+d.Day/10%10), byte('0'+d.Day%10))
}

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmp(d.Year, e.Year)
	case d.Month != e.Month:
		return cmp(int(d.Month), int(e.Month))
	}
	return cmp(d.Day, e.Day)
}

func cmp(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Days returns the number of days from 1970-01-01 to d (negative before it).
func (d Date) Days() int { return daysFromCivil(d.Year, int(d.Month), d.Day) }

// FromDays returns the date n days after 1970-01-01.
func FromDays(n int) Date {
	y, m, d := civilFromDays(n)
	return Date{y, time.Month(m), d}
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	// 1970-01-01 was a Thursday.
	w := (d.Days() + 4) % 7
	if w < 0 {
		w += 7
	}
	return time.Weekday(w)
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func civilFromDays(z int) (y, m, d int) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// IsLeap reports whether y is a leap year.
func IsLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// DaysIn returns the number of days in month m of year y.
func DaysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if IsLeap(y) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// AddDays returns the date n calendar days after d (before it for n < 0).
func AddDays(d Date, n int) Date { return FromDays(d.Days() + n) }

// DaysBetween returns the number of calendar days from a to b.
func DaysBetween(a, b Date) int { return b.Days() - a.Days() }

// AddMonths returns the same day n months later. A day that the target
// month lacks is clamped to its last day (2019-01-31 plus one month is
// 2019-02-28), the usual reading of "six months" in a court order: a clock
// never runs into the month after the one it names.
func AddMonths(d Date, n int) Date {
	m := int(d.Month) - 1 + n
	y := d.Year + floorDiv(m, 12)
	m = m - floorDiv(m, 12)*12 + 1
	day := d.Day
	if last := DaysIn(y, time.Month(m)); day > last {
		day = last
	}
	return Date{y, time.Month(m), day}
}

// AddYears returns the same day n years later; February 29 becomes
// February 28 in a year that has none.
func AddYears(d Date, n int) Date { return AddMonths(d, 12*n) }

// IsWeekend reports whether d falls on a Saturday or Sunday.
func IsWeekend(d Date) bool {
	w := d.Weekday()
	return w == time.Saturday || w == time.Sunday
}

// Holiday is one federal holiday of a year: the day fixed by law and the day
// federal offices observe it (5 U.S.C. 6103(b): a Saturday holiday is
// observed the Friday before, a Sunday holiday the Monday after).
type Holiday struct {
	Name     string
	Date     Date // the legal date
	Observed Date // the day offices close; may fall in the previous year
}

// Holidays returns the federal holidays whose legal date falls in year y,
// computed from 5 U.S.C. 6103: New Year's Day, Birthday of Martin Luther
// King Jr. (from 1986), Washington's Birthday, Memorial Day, Juneteenth
// (from 2021), Independence Day, Labor Day, Columbus Day, Veterans Day
// (the fourth Monday of October from 1971 to 1977), Thanksgiving and
// Christmas. One-off closures by executive order (such as 2018-12-05 and
// 2018-12-24) are not holidays and are not included.
func Holidays(y int) []Holiday {
	hs := make([]Holiday, 0, 11)
	add := func(name string, d Date) {
		hs = append(hs, Holiday{Name: name, Date: d, Observed: observed(d)})
	}
	add("New Year's Day", Date{y, time.January, 1})
	if y >= 1986 {
		add("Birthday of Martin Luther King, Jr.", nthWeekday(y, time.January, time.Monday, 3))
	}
	add("Washington's Birthday", nthWeekday(y, time.February, time.Monday, 3))
	add("Memorial Day", lastWeekday(y, time.May, time.Monday))
	if y >= 2021 {
		add("Juneteenth National Independence Day", Date{y, time.June, 19})
	}
	add("Independence Day", Date{y, time.July, 4})
	add("Labor Day", nthWeekday(y, time.September, time.Monday, 1))
	add("Columbus Day", nthWeekday(y, time.October, time.Monday, 2))
	if y >= 1971 && y <= 1977 {
		add("Veterans Day", nthWeekday(y, time.October, time.Monday, 4))
	} else {
		add("Veterans Day", Date{y, time.November, 11})
	}
	add("Thanksgiving Day", nthWeekday(y, time.November, time.Thursday, 4))
	add("Christmas Day", Date{y, time.December, 25})
	return hs
}

func observed(d Date) Date {
	switch d.Weekday() {
	case time.Saturday:
		return AddDays(d, -1)
	case time.Sunday:
		return AddDays(d, 1)
	}
	return d
}

// nthWeekday returns the n-th weekday w of month m (n counts from 1).
func nthWeekday(y int, m time.Month, w time.Weekday, n int) Date {
	first := Date{y, m, 1}
	off := (int(w) - int(first.Weekday()) + 7) % 7
	return Date{y, m, 1 + off + 7*(n-1)}
}

// lastWeekday returns the last weekday w of month m.
func lastWeekday(y int, m time.Month, w time.Weekday) Date {
	last := Date{y, m, DaysIn(y, m)}
	off := (int(last.Weekday()) - int(w) + 7) % 7
	return Date{y, m, last.Day - off}
}

// The observed holidays of 1900-2199 are kept as a bit set over day numbers,
// built once, so that counting business days costs a shift and a mask per
// day.
const (
	tableFirstYear = 1900
	tableLastYear  = 2199
)

var (
	tableOnce  sync.Once
	tableStart int
	tableBits  []uint64
	tableNames map[int]string
)

func buildTable() {
	tableStart = daysFromCivil(tableFirstYear, 1, 1)
	end := daysFromCivil(tableLastYear+1, 1, 1)
	tableBits = make([]uint64, (end-tableStart+63)/64)
	tableNames = make(map[int]string, (tableLastYear-tableFirstYear+1)*11)
	for y := tableFirstYear; y <= tableLastYear+1; y++ {
		for _, h := range Holidays(y) {
			n := h.Observed.Days()
			if n < tableStart || n >= end {
				continue
			}
			i := n - tableStart
			tableBits[i/64] |= 1 << (i % 64)
			tableNames[n] = h.Name
		}
	}
}

// HolidayOn returns the name of the federal holiday observed on d, if any.
func HolidayOn(d Date) (string, bool) {
	n := d.Days()
	if d.Year >= tableFirstYear && d.Year <= tableLastYear {
		tableOnce.Do(buildTable)
		name, ok := tableNames[n]
		return name, ok
	}
	for _, y := range [2]int{d.Year, d.Year + 1} {
		for _, h := range Holidays(y) {
			if h.Observed == d {
				return h.Name, true
			}
		}
	}
	return "", false
}

// IsHoliday reports whether a federal holiday is observed on d.
func IsHoliday(d Date) bool { return isHolidayDays(d.Days(), d) }

func isHolidayDays(n int, d Date) bool {
	if d.Year >= tableFirstYear && d.Year <= tableLastYear {
		tableOnce.Do(buildTable)
		i := n - tableStart
		return tableBits[i/64]&(1<<(i%64)) != 0
	}
	_, ok := HolidayOn(d)
	return ok
}

// IsBusinessDay reports whether d is a weekday on which no federal holiday
// is observed.
func IsBusinessDay(d Date) bool {
	n := d.Days()
	return isBusinessDays(n)
}

func isBusinessDays(n int) bool {
	w := (n + 4) % 7
	if w < 0 {
		w += 7
	}
	if w == int(time.Saturday) || w == int(time.Sunday) {
		return false
	}
	return !isHolidayDays(n, FromDays(n))
}

// AddBusinessDays returns the n-th business day after d (before it when n
// is negative). Day 0 is d itself and is not counted, so one business day
// after a Friday is the next Monday, or Tuesday after a Monday holiday.
func AddBusinessDays(d Date, n int) Date {
	day := d.Days()
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		day += step
		if isBusinessDays(day) {
			n--
		}
	}
	return FromDays(day)
}

// BusinessDaysBetween counts the business days from a to b: those in
// (a, b] when b is not before a, and minus those in [b, a) otherwise. The
// two halves are chosen so that BusinessDaysBetween(d, AddBusinessDays(d,
// n)) is n for every d and n.
func BusinessDaysBetween(a, b Date) int {
	x, y := a.Days(), b.Days()
	n := 0
	if x <= y {
		for day := x + 1; day <= y; day++ {
			if isBusinessDays(day) {
				n++
			}
		}
		return n
	}
	for day := y; day < x; day++ {
		if isBusinessDays(day) {
			n--
		}
	}
	return n
}

// RollForward returns d if it is a business day, else the next one.
func RollForward(d Date) Date {
	n := d.Days()
	for !isBusinessDays(n) {
		n++
	}
	return FromDays(n)
}

// RollBackward returns d if it is a business day, else the previous one.
func RollBackward(d Date) Date {
	n := d.Days()
	for !isBusinessDays(n) {
		n--
	}
	return FromDays(n)
}
