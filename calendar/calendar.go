// Package calendar does date arithmetic for the settlement's clocks
// (settlement.md section 5): calendar days, business days with the U.S.
// federal holidays and their observed dates, and month and year steps that
// clamp to the end of a shorter month. A Clock runs one deadline with a
// ledger of holds, extensions and revocations, and Overdue and DueSoon
// order deadlines for the work queues.
//
// The holiday dates come from github.com/rickar/cal/v2 (see federal) and
// are copied into a table at start-up, so the hot paths never call it.
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
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/us"
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

// federal lists the holidays of 5 U.S.C. 6103(a) in the statute's order.
// The dates and the weekend rule come from github.com/rickar/cal/v2/us, a
// maintained library, so that a change in the law reaches us as a library
// update rather than as code of our own to get right; the hand-written
// table of OPM's published dates in the tests pins every date from 2018 on,
// so an update that moves one fails the build instead of a deadline.
//
// Three corrections are ours, because the library describes today's law
// only: the statute's names (which OPM and court orders use), King's
// Birthday from 1986 (Pub. L. 98-144), and Veterans Day on the fourth
// Monday of October from 1971 to 1977 (Pub. L. 90-363, undone by Pub. L.
// 94-97). Juneteenth's first year, 2021 (Pub. L. 117-17), is set here as
// well as in the library, so a change there cannot move it. The older
// fixed dates of Washington's Birthday, Memorial Day and Columbus Day
// before 1971 are not modelled; no clock of the settlement reaches back
// that far.
//
// Inauguration Day is left out on purpose. 5 U.S.C. 6103(c) makes it a
// holiday only for employees in the District of Columbia and the nearby
// counties, so it closes no court and no agency office elsewhere, and a
// nationwide count of business days must not skip it. Closures by executive
// order (such as 2018-12-05 and 2018-12-24) are left out for the same
// reason: they are one-off, not holidays in law.
var federal = []*cal.Holiday{
	us.NewYear.Clone(&cal.Holiday{Name: "New Year's Day"}),
	us.MlkDay.Clone(&cal.Holiday{Name: "Birthday of Martin Luther King, Jr.", StartYear: 1986}),
	us.PresidentsDay.Clone(&cal.Holiday{Name: "Washington's Birthday"}),
	us.MemorialDay.Clone(&cal.Holiday{Name: "Memorial Day"}),
	us.Juneteenth.Clone(&cal.Holiday{Name: "Juneteenth National Independence Day", StartYear: 2021}),
	us.IndependenceDay.Clone(&cal.Holiday{Name: "Independence Day"}),
	us.LaborDay.Clone(&cal.Holiday{Name: "Labor Day"}),
	us.ColumbusDay.Clone(&cal.Holiday{Name: "Columbus Day"}),
	us.VeteransDay.Clone(&cal.Holiday{Name: "Veterans Day", Except: []int{1971, 1972, 1973, 1974, 1975, 1976, 1977}}),
	{Name: "Veterans Day", Type: cal.ObservancePublic, StartYear: 1971, EndYear: 1977,
		Month: time.October, Weekday: time.Monday, Offset: 4, Func: cal.CalcWeekdayOffset},
	us.ThanksgivingDay.Clone(&cal.Holiday{Name: "Thanksgiving Day"}),
	us.ChristmasDay.Clone(&cal.Holiday{Name: "Christmas Day"}),
}

// Holidays returns the federal holidays whose legal date falls in year y,
// in the order of 5 U.S.C. 6103(a): New Year's Day, Birthday of Martin
// Luther King, Jr. (from 1986), Washington's Birthday, Memorial Day,
// Juneteenth National Independence Day (from 2021), Independence Day,
// Labor Day, Columbus Day, Veterans Day, Thanksgiving Day and Christmas
// Day. See federal for the source of the dates and for what is left out.
func Holidays(y int) []Holiday {
	hs := make([]Holiday, 0, 11)
	for _, h := range federal {
		actual, obs := h.Calc(y)
		if actual.IsZero() {
			continue // not a holiday in year y
		}
		hs = append(hs, Holiday{Name: h.Name, Date: dateOf(actual), Observed: dateOf(obs)})
	}
	return hs
}

// dateOf reads the civil date of a library time. The library builds its
// times in its own location (time.Local by default); the date is read in
// that same location, so the zone never shifts the day.
func dateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// The observed holidays of 1900-2199 are kept as a bit set over day numbers,
// filled from the library once at start-up (a few thousand dates, well under
// a millisecond), so that counting business days costs a shift and a mask
// per day and never calls the library or allocates.
const (
	tableFirstYear = 1900
	tableLastYear  = 2199
)

var (
	tableStart = daysFromCivil(tableFirstYear, 1, 1)
	tableEnd   = daysFromCivil(tableLastYear+1, 1, 1)
	tableBits  []uint64
	tableNames map[int]string
)

func init() {
	// The library builds each date as midnight in cal.DefaultLoc, which is
	// time.Local unless set. Where a zone's clocks jump at midnight (91 zones
	// of the tz database do in some year of the table, America/Santiago and
	// America/Sao_Paulo among them) that midnight is moved into the day
	// before, and the library then reports the wrong day and applies the
	// weekend rule to the wrong weekday. A holiday has no zone, so the
	// library is made to work in UTC. This package is the library's only
	// user; any later one gets the same dates, as UTC times.
	cal.DefaultLoc = time.UTC
	tableBits = make([]uint64, (tableEnd-tableStart+63)/64)
	tableNames = make(map[int]string, (tableLastYear-tableFirstYear+1)*11)
	// The year after the table is read too: its New Year's Day may be
	// observed on the table's last day.
	for y := tableFirstYear; y <= tableLastYear+1; y++ {
		for _, h := range Holidays(y) {
			n := h.Observed.Days()
			if n < tableStart || n >= tableEnd {
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
	if n >= tableStart && n < tableEnd {
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
func IsHoliday(d Date) bool { return isHolidayDays(d.Days()) }

func isHolidayDays(n int) bool {
	if n >= tableStart && n < tableEnd {
		i := n - tableStart
		return tableBits[i/64]&(1<<(i%64)) != 0
	}
	_, ok := HolidayOn(FromDays(n))
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
	return !isHolidayDays(n)
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
