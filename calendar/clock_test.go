package calendar

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func mustClock(tb testing.TB, start string, n int, u Unit, entries ...Entry) *Clock {
	tb.Helper()
	c, err := NewClock(d(start), n, u)
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range entries {
		if _, err := c.Append(e); err != nil {
			tb.Fatal(err)
		}
	}
	return c
}

func mustDue(tb testing.TB, c *Clock) Date {
	tb.Helper()
	due, ok := c.Due()
	if !ok {
		tb.Fatalf("Due() reports no due date:\n%s", c.Explain())
	}
	return due
}

func TestClockDue(t *testing.T) {
	const ecf = "court order ECF 123"
	tests := []struct {
		name    string
		start   string
		n       int
		unit    Unit
		entries []Entry
		want    string // "" when no due date is known
	}{
		{"T-1 in calendar days", "2018-11-15", 30, CalendarDays, nil, "2018-12-15"},
		{"T-1 in business days", "2018-11-15", 30, BusinessDays, nil, "2018-12-31"},
		{"T-5 in months", "2019-04-25", 6, Months, nil, "2019-10-25"},
		{"T-15 in years", "2023-12-11", 2, Years, nil, "2025-12-11"},
		{"month clock clamps", "2019-08-31", 6, Months, nil, "2020-02-29"},
		{"a ten-day hold moves a calendar clock ten days",
			"2018-11-15", 30, CalendarDays,
			[]Entry{Hold{From: d("2018-11-20"), To: d("2018-11-29"), Authority: ecf}}, "2018-12-25"},
		{"a week's hold over Thanksgiving holds four business days",
			"2018-11-15", 30, BusinessDays,
			[]Entry{Hold{From: d("2018-11-19"), To: d("2018-11-25"), Authority: ecf}}, "2019-01-07"},
		{"a hold before the start does nothing",
			"2018-11-15", 30, CalendarDays,
			[]Entry{Hold{From: d("2018-11-01"), To: d("2018-11-15"), Authority: ecf}}, "2018-12-15"},
		{"a hold after the due date does nothing",
			"2018-11-15", 30, CalendarDays,
			[]Entry{Hold{From: d("2018-12-16"), Authority: ecf}}, "2018-12-15"},
		{"a hold on the due date itself moves it",
			"2018-11-15", 30, CalendarDays,
			[]Entry{Hold{From: d("2018-12-15"), To: d("2018-12-15"), Authority: ecf}}, "2018-12-16"},
		{"overlapping holds count once",
			"2018-11-15", 30, CalendarDays,
			[]Entry{
				Hold{From: d("2018-11-20"), To: d("2018-11-29"), Authority: ecf},
				Hold{From: d("2018-11-25"), To: d("2018-12-04"), Authority: "H-1"},
			}, "2018-12-30"},
		{"an open hold leaves no due date",
			"2018-11-15", 30, CalendarDays,
			[]Entry{Hold{From: d("2018-11-20"), Authority: ecf}}, ""},
		{"a lifted hold runs to its lift",
			"2018-11-15", 30, CalendarDays,
			[]Entry{
				Hold{From: d("2018-11-20"), Authority: ecf},
				Lift{Entry: 1, To: d("2018-11-29"), Authority: "ECF 130"},
			}, "2018-12-25"},
		{"a revoked lift opens the hold again",
			"2018-11-15", 30, CalendarDays,
			[]Entry{
				Hold{From: d("2018-11-20"), Authority: ecf},
				Lift{Entry: 1, To: d("2018-11-29"), Authority: "ECF 130"},
				Revocation{Entry: 2, Authority: "ECF 131"},
			}, ""},
		{"an extension in business days",
			"2018-11-15", 30, BusinessDays,
			[]Entry{Extension{On: d("2018-12-20"), Days: 2, Authority: ecf}}, "2019-01-03"},
		{"an extension of six months on a year clock",
			"2023-12-11", 2, Years,
			[]Entry{Extension{On: d("2025-06-01"), Months: 6, Authority: "2025 order"}}, "2026-06-11"},
		{"two month extensions add up before clamping",
			"2019-01-31", 1, Months,
			[]Entry{
				Extension{On: d("2019-02-01"), Months: 1, Authority: ecf},
				Extension{On: d("2019-02-02"), Months: 1, Authority: ecf},
			}, "2019-04-30"},
		{"a new due date replaces the count",
			"2018-11-15", 30, CalendarDays,
			[]Entry{
				Hold{From: d("2018-11-20"), To: d("2018-11-29"), Authority: ecf},
				Extension{On: d("2018-12-01"), Until: d("2019-01-15"), Authority: "ECF 140"},
			}, "2019-01-15"},
		{"a new due date stands over the holds entered before it",
			"2018-11-15", 30, CalendarDays,
			[]Entry{
				Hold{From: d("2018-12-20"), To: d("2018-12-25"), Authority: ecf},
				Extension{On: d("2018-12-01"), Until: d("2019-01-15"), Authority: "ECF 140"},
			}, "2019-01-15"},
		{"a new due date on a Saturday stands",
			"2018-11-15", 30, BusinessDays,
			[]Entry{Extension{On: d("2018-12-01"), Until: d("2019-01-12"), Authority: "ECF 140"}}, "2019-01-12"},
		{"a hold after a new due date moves it",
			"2018-11-15", 30, CalendarDays,
			[]Entry{
				Extension{On: d("2018-12-01"), Until: d("2019-01-15"), Authority: "ECF 140"},
				Hold{From: d("2019-01-01"), To: d("2019-01-05"), Authority: ecf},
			}, "2019-01-20"},
		{"a hold of days before the new due date was granted does not move it",
			"2018-11-15", 30, CalendarDays,
			[]Entry{
				Extension{On: d("2018-12-01"), Until: d("2019-01-15"), Authority: "ECF 140"},
				Hold{From: d("2018-11-20"), To: d("2018-11-29"), Authority: ecf},
			}, "2019-01-15"},
		{"days extended after a new due date count from it",
			"2018-11-15", 30, CalendarDays,
			[]Entry{
				Extension{On: d("2018-12-01"), Days: 100, Authority: "ECF 139"},
				Extension{On: d("2018-12-02"), Until: d("2019-01-15"), Authority: "ECF 140"},
				Extension{On: d("2019-01-02"), Days: 3, Authority: "ECF 141"},
			}, "2019-01-18"},
		{"a revoked new due date gives back the count",
			"2018-11-15", 30, CalendarDays,
			[]Entry{
				Extension{On: d("2018-12-01"), Days: 5, Authority: "ECF 139"},
				Extension{On: d("2018-12-02"), Until: d("2019-01-15"), Authority: "ECF 140"},
				Revocation{Entry: 2, Authority: "ECF 141"},
			}, "2018-12-20"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustClock(t, tt.start, tt.n, tt.unit, tt.entries...)
			due, ok := c.Due()
			switch {
			case tt.want == "" && ok:
				t.Errorf("Due() = %v, want no due date", due)
			case tt.want != "" && (!ok || due != d(tt.want)):
				t.Errorf("Due() = %v, %v, want %s\n%s", due, ok, tt.want, c.Explain())
			}
		})
	}
}

func TestClockStatus(t *testing.T) {
	hold := Hold{From: d("2018-11-20"), To: d("2018-11-29"), Authority: "ECF 123"}
	open := Hold{From: d("2018-11-20"), Authority: "ECF 123"}
	tests := []struct {
		name      string
		clock     *Clock
		completed string
		asOf      string
		want      Status
	}{
		{"open on the start", mustClock(t, "2018-11-15", 30, CalendarDays), "", "2018-11-15",
			Status{StateOpen, d("2018-12-15"), 30}},
		{"before the start, the whole run is left",
			mustClock(t, "2018-11-15", 30, CalendarDays, Hold{From: d("2018-11-01"), To: d("2018-11-20"), Authority: "H-1"}), "", "2018-11-10",
			Status{StateOpen, d("2018-12-20"), 30}},
		{"open on the due date", mustClock(t, "2018-11-15", 30, CalendarDays), "", "2018-12-15",
			Status{StateOpen, d("2018-12-15"), 0}},
		{"missed the day after", mustClock(t, "2018-11-15", 30, CalendarDays), "", "2018-12-16",
			Status{StateMissed, d("2018-12-15"), -1}},
		{"business days overdue count the due date", mustClock(t, "2018-11-15", 30, BusinessDays), "", "2019-01-02",
			Status{StateMissed, d("2018-12-31"), -1}},
		{"paused in a hold, held days not left", mustClock(t, "2018-11-15", 30, CalendarDays, hold), "", "2018-11-22",
			Status{StatePaused, d("2018-12-25"), 26}},
		{"open after the hold", mustClock(t, "2018-11-15", 30, CalendarDays, hold), "", "2018-12-01",
			Status{StateOpen, d("2018-12-25"), 24}},
		{"paused by an open hold: due if lifted tonight", mustClock(t, "2018-11-15", 30, CalendarDays, open), "", "2018-11-22",
			Status{StatePaused, d("2018-12-18"), 26}},
		{"open before an open hold begins", mustClock(t, "2018-11-15", 30, CalendarDays, open), "", "2018-11-18",
			Status{StateOpen, d("2018-12-15"), 27}},
		{"met on time", mustClock(t, "2018-11-15", 30, CalendarDays), "2018-12-10", "2019-03-01",
			Status{StateMet, d("2018-12-15"), 5}},
		{"met on the due date", mustClock(t, "2018-11-15", 30, CalendarDays), "2018-12-15", "2018-12-15",
			Status{StateMet, d("2018-12-15"), 0}},
		{"completed late is missed", mustClock(t, "2018-11-15", 30, CalendarDays), "2018-12-18", "2019-03-01",
			Status{StateMissed, d("2018-12-15"), -3}},
		{"a completion after the day asked about is not yet known", mustClock(t, "2018-11-15", 30, CalendarDays), "2018-12-10", "2018-12-01",
			Status{StateOpen, d("2018-12-15"), 14}},
		{"a hold begun after the due date does not pause a missed clock",
			mustClock(t, "2018-11-15", 30, CalendarDays, Hold{From: d("2018-12-20"), Authority: "H-1"}), "", "2018-12-22",
			Status{StateMissed, d("2018-12-15"), -7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.completed != "" {
				if err := tt.clock.Complete(d(tt.completed)); err != nil {
					t.Fatal(err)
				}
			}
			if got := tt.clock.Status(d(tt.asOf)); got != tt.want {
				t.Errorf("Status(%s) = %+v, want %+v", tt.asOf, got, tt.want)
			}
		})
	}
}

func TestClockExplain(t *testing.T) {
	tests := []struct {
		name    string
		start   string
		n       int
		unit    Unit
		entries []Entry
		want    string
	}{
		{"no entries", "2018-11-15", 30, CalendarDays, nil,
			"30 calendar days from 2018-11-15: base due date 2018-12-15. Due date 2018-12-15."},
		{"a hold, an extension and a revoked hold", "2018-11-15", 30, BusinessDays, []Entry{
			Hold{From: d("2018-11-19"), To: d("2018-11-25"), Reason: "stay pending appeal", Authority: "court order ECF 123"},
			Hold{From: d("2018-12-03"), To: d("2018-12-04"), Reason: "office closed", Authority: "H-1"},
			Extension{On: d("2018-12-20"), Days: 2, Reason: "unopposed motion", Authority: "court order ECF 130"},
			Revocation{Entry: 2, Reason: "entered in error", Authority: "ECF 131"},
		}, "30 business days from 2018-11-15: base due date 2018-12-31." +
			" Entry 1, hold from 2018-11-19 to 2018-11-25: stay pending appeal (court order ECF 123)." +
			" Entry 2, hold from 2018-12-03 to 2018-12-04 (revoked by entry 4): office closed (H-1)." +
			" Entry 3, extension of 2 business days granted 2018-12-20: unopposed motion (court order ECF 130)." +
			" Entry 4, revocation of entry 2: entered in error (ECF 131)." +
			" Held: 4 business days. Due date 2019-01-09."},
		{"an open hold", "2018-11-15", 1, CalendarDays, []Entry{
			Hold{From: d("2018-11-16"), Authority: "H-1"},
		}, "1 calendar day from 2018-11-15: base due date 2018-11-16." +
			" Entry 1, hold from 2018-11-16, until lifted (H-1)." +
			" A hold with no end stops the clock: no due date until it is lifted."},
		{"a lifted hold", "2018-11-15", 30, CalendarDays, []Entry{
			Hold{From: d("2018-11-20"), Reason: "removal hold", Authority: "H-1"},
			Lift{Entry: 1, To: d("2018-11-29"), Reason: "all members decided", Authority: "H-2"},
		}, "30 calendar days from 2018-11-15: base due date 2018-12-15." +
			" Entry 1, hold from 2018-11-20 to 2018-11-29 (lifted by entry 2): removal hold (H-1)." +
			" Entry 2, lift of the hold of entry 1 after 2018-11-29: all members decided (H-2)." +
			" Held: 10 calendar days. Due date 2018-12-25."},
		{"a new due date and a later hold", "2023-12-11", 2, Years, []Entry{
			Extension{On: d("2025-05-01"), Months: 12, Reason: "breaches found", Authority: "2025 order"},
			Extension{On: d("2025-06-01"), Until: d("2026-12-11"), Authority: "ECF 800"},
			Hold{From: d("2026-12-01"), To: d("2026-12-03"), Authority: "ECF 801"},
		}, "2 years from 2023-12-11: base due date 2025-12-11." +
			" Entry 1, extension of 12 months granted 2025-05-01: breaches found (2025 order)." +
			" Entry 2, extension to 2026-12-11 granted 2025-06-01 (ECF 800)." +
			" Entry 3, hold from 2026-12-01 to 2026-12-03 (ECF 801)." +
			" Entry 2 set the due date; only later entries move it." +
			" Held: 3 calendar days. Due date 2026-12-14."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustClock(t, tt.start, tt.n, tt.unit, tt.entries...)
			if got := c.Explain(); got != tt.want {
				t.Errorf("Explain() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestClockRefuses(t *testing.T) {
	base := []Entry{
		Hold{From: d("2018-11-20"), Authority: "H-1"},
		Hold{From: d("2018-11-20"), To: d("2018-11-22"), Authority: "H-1"},
		Extension{On: d("2018-12-01"), Days: 5, Authority: "ECF 130"},
		Revocation{Entry: 3, Authority: "ECF 131"},
	}
	tests := []struct {
		name  string
		unit  Unit
		entry Entry
		field string
		want  string
	}{
		{"extension without authority", CalendarDays, Extension{On: d("2018-12-01"), Days: 5},
			"authority", "ledger entry 5 (extension): authority is required"},
		{"hold without authority", CalendarDays, Hold{From: d("2018-12-01")},
			"authority", "ledger entry 5 (hold): authority is required"},
		{"revocation without authority", CalendarDays, Revocation{Entry: 2},
			"authority", "ledger entry 5 (revocation): authority is required"},
		{"lift without authority", CalendarDays, Lift{Entry: 1, To: d("2018-11-30")},
			"authority", "ledger entry 5 (lift): authority is required"},
		{"hold without a start", CalendarDays, Hold{Authority: "H-1"},
			"from", "ledger entry 5 (hold): from is required"},
		{"hold on a day that does not exist", CalendarDays, Hold{From: Date{2019, 2, 29}, Authority: "H-1"},
			"from", "ledger entry 5 (hold): from 2019-02-29 is not a valid date"},
		{"hold that ends before it begins", CalendarDays, Hold{From: d("2018-12-02"), To: d("2018-12-01"), Authority: "H-1"},
			"to", "ledger entry 5 (hold): to 2018-12-01 is before from 2018-12-02"},
		{"extension without a date granted", CalendarDays, Extension{Days: 5, Authority: "ECF 1"},
			"on", "ledger entry 5 (extension): on is required"},
		{"extension of nothing", CalendarDays, Extension{On: d("2018-12-01"), Authority: "ECF 1"},
			"days", "ledger entry 5 (extension): days, months or until is required"},
		{"extension of days and a date", CalendarDays, Extension{On: d("2018-12-01"), Days: 3, Until: d("2019-01-01"), Authority: "ECF 1"},
			"days", "ledger entry 5 (extension): days, months and until are exclusive; set one"},
		{"extension of negative days", CalendarDays, Extension{On: d("2018-12-01"), Days: -3, Authority: "ECF 1"},
			"days", "ledger entry 5 (extension): days must be positive, not -3"},
		{"extension in months of a day clock", BusinessDays, Extension{On: d("2018-12-01"), Months: 6, Authority: "ECF 1"},
			"months", "ledger entry 5 (extension): months apply only to a clock counted in months or years, not in business days"},
		{"new due date before the start", CalendarDays, Extension{On: d("2018-12-01"), Until: d("2018-11-01"), Authority: "ECF 1"},
			"until", "ledger entry 5 (extension): until 2018-11-01 is before the clock's start 2018-11-15"},
		{"revocation of an entry that does not exist", CalendarDays, Revocation{Entry: 9, Authority: "ECF 1"},
			"entry", "ledger entry 5 (revocation): entry 9 does not exist"},
		{"revocation of entry 0", CalendarDays, Revocation{Entry: 0, Authority: "ECF 1"},
			"entry", "ledger entry 5 (revocation): entry 0 does not exist"},
		{"second revocation", CalendarDays, Revocation{Entry: 3, Authority: "ECF 1"},
			"entry", "ledger entry 5 (revocation): entry 3 is already revoked by entry 4"},
		{"revocation of a revocation", CalendarDays, Revocation{Entry: 4, Authority: "ECF 1"},
			"entry", "ledger entry 5 (revocation): entry 4 is a revocation, which cannot be revoked; append the entry again"},
		{"lift of an extension", CalendarDays, Lift{Entry: 3, To: d("2018-12-01"), Authority: "ECF 1"},
			"entry", "ledger entry 5 (lift): entry 3 is already revoked by entry 4"},
		{"lift of a revocation", CalendarDays, Lift{Entry: 4, To: d("2018-12-01"), Authority: "ECF 1"},
			"entry", "ledger entry 5 (lift): entry 4 is a revocation, not a hold"},
		{"lift of a hold with an end", CalendarDays, Lift{Entry: 2, To: d("2018-12-01"), Authority: "ECF 1"},
			"entry", "ledger entry 5 (lift): the hold of entry 2 already ends on 2018-11-22; revoke it and append another"},
		{"lift before the hold", CalendarDays, Lift{Entry: 1, To: d("2018-11-19"), Authority: "ECF 1"},
			"to", "ledger entry 5 (lift): to 2018-11-19 is before the hold's start 2018-11-20"},
		{"lift without an end", CalendarDays, Lift{Entry: 1, Authority: "ECF 1"},
			"to", "ledger entry 5 (lift): to is required"},
		{"no entry", CalendarDays, nil,
			"entry", "ledger entry 5 (none): entry is missing"},
		{"a nil pointer", CalendarDays, (*Hold)(nil),
			"entry", "ledger entry 5 (none): entry is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustClock(t, "2018-11-15", 30, tt.unit, base...)
			before, explain := c.Entries(), c.Explain()
			n, err := c.Append(tt.entry)
			var le *LedgerError
			if !errors.As(err, &le) {
				t.Fatalf("Append = %d, %v; want a *LedgerError", n, err)
			}
			if err.Error() != tt.want || le.Field != tt.field || le.Entry != 5 {
				t.Errorf("Append error = %q (field %q, entry %d), want %q (field %q, entry 5)", err, le.Field, le.Entry, tt.want, tt.field)
			}
			if !reflect.DeepEqual(c.Entries(), before) || c.Explain() != explain {
				t.Errorf("a refused entry changed the ledger:\n%s", c.Explain())
			}
		})
	}
}

func TestClockAcceptsPointersAndCopiesThem(t *testing.T) {
	c := mustClock(t, "2018-11-15", 30, CalendarDays)
	h := &Hold{From: d("2018-11-20"), To: d("2018-11-29"), Authority: "H-1"}
	if n, err := c.Append(h); err != nil || n != 1 {
		t.Fatalf("Append(&Hold) = %d, %v", n, err)
	}
	h.To = d("2019-06-01") // the ledger keeps what was appended
	if got := mustDue(t, c); got != d("2018-12-25") {
		t.Errorf("Due() = %v after the caller changed its hold, want 2018-12-25", got)
	}
	if _, ok := c.Entries()[0].(Hold); !ok {
		t.Errorf("Entries()[0] is %T, want Hold", c.Entries()[0])
	}
}

func TestNewClockRefuses(t *testing.T) {
	for _, tt := range []struct {
		start string
		n     int
		unit  Unit
		want  string
	}{
		{"2018-11-15", -1, CalendarDays, "calendar: clock length -1 is negative"},
		{"2018-11-15", 1, 0, "calendar: clock unit 0 is not a unit"},
		{"", 1, CalendarDays, "calendar: clock start 0000-00-00 is not a valid date"},
	} {
		var start Date
		if tt.start != "" {
			start = d(tt.start)
		}
		if _, err := NewClock(start, tt.n, tt.unit); err == nil || err.Error() != tt.want {
			t.Errorf("NewClock(%v, %d, %v) = %v, want %q", start, tt.n, tt.unit, err, tt.want)
		}
	}
}

func TestOverdueAndDueSoon(t *testing.T) {
	ds := []Deadline{
		{"a", d("2018-12-10"), StateOpen},
		{"b", d("2018-12-01"), StateMissed},
		{"c", d("2018-12-10"), StateMissed},
		{"d", d("2018-12-14"), StateOpen}, // due today
		{"e", d("2018-12-03"), StateMet},
		{"f", d("2018-12-05"), StatePaused},
		{"g", d("2018-12-21"), StateOpen}, // fifth business day after Friday 12-14
		{"h", d("2018-12-22"), StateOpen}, // Saturday after it
		{"i", d("2018-12-17"), StateOpen},
		{"j", d("2018-12-17"), StatePaused},
	}
	ids := func(ds []Deadline) string {
		var s []string
		for _, d := range ds {
			s = append(s, d.ID)
		}
		return strings.Join(s, ",")
	}
	if got := ids(Overdue(ds, d("2018-12-14"))); got != "b,a,c" {
		t.Errorf("Overdue = %s, want b,a,c", got)
	}
	if got := ids(DueSoon(ds, d("2018-12-14"), 5)); got != "d,i,g" {
		t.Errorf("DueSoon(5) = %s, want d,i,g", got)
	}
	if got := ids(DueSoon(ds, d("2018-12-14"), 0)); got != "d" {
		t.Errorf("DueSoon(0) = %s, want d", got)
	}
	// Christmas Day 2018 is a holiday, so seven business days from
	// 2018-12-14 reach 2018-12-26.
	soon := DueSoon([]Deadline{{"x", d("2018-12-26"), StateOpen}, {"y", d("2018-12-27"), StateOpen}}, d("2018-12-14"), 7)
	if got := ids(soon); got != "x" {
		t.Errorf("DueSoon over Christmas = %s, want x", got)
	}
	if ds[0].ID != "a" || ds[1].ID != "b" {
		t.Error("Overdue or DueSoon reordered its argument")
	}
}

// gen makes random clocks and ledgers for the property tests.
type gen struct{ r *rand.Rand }

func (g gen) date() Date { return FromDays(d("2017-01-01").Days() + g.r.IntN(12*365)) }

func (g gen) clock(units ...Unit) *Clock {
	c, err := NewClock(g.date(), g.r.IntN(90), units[g.r.IntN(len(units))])
	if err != nil {
		panic(err)
	}
	return c
}

// entry returns a random hold or extension for c (no lifts, no
// revocations), around the clock's run.
func (g gen) entry(c *Clock, withUntil bool) Entry {
	near := func() Date { return AddDays(c.Start(), g.r.IntN(150)-10) }
	switch k := g.r.IntN(10); {
	case k < 5:
		h := Hold{From: near(), Authority: "H-1"}
		if g.r.IntN(6) > 0 {
			h.To = AddDays(h.From, g.r.IntN(30))
		}
		return h
	case k < 7 || !withUntil:
		x := Extension{On: near(), Authority: "ECF 1"}
		if (c.Unit() == Months || c.Unit() == Years) && g.r.IntN(2) == 0 {
			x.Months = 1 + g.r.IntN(12)
		} else {
			x.Days = 1 + g.r.IntN(20)
		}
		return x
	default:
		return Extension{On: near(), Until: AddDays(c.Start(), g.r.IntN(200)), Authority: "ECF 2"}
	}
}

// ledger appends k random entries to c, lifting some of the open holds.
func (g gen) ledger(c *Clock, k int, withUntil bool) {
	for range k {
		n, err := c.Append(g.entry(c, withUntil))
		if err != nil {
			panic(err)
		}
		if h, ok := c.Entries()[n-1].(Hold); ok && h.To.IsZero() && g.r.IntN(2) == 0 {
			if _, err := c.Append(Lift{Entry: n, To: AddDays(h.From, g.r.IntN(20)), Authority: "H-2"}); err != nil {
				panic(err)
			}
		}
	}
}

// naiveDue counts a day clock's due date one day at a time: the day on
// which the clock has counted its length plus its day extensions, skipping
// held days and, for business days, weekends and holidays.
func naiveDue(c *Clock) (Date, bool) {
	need := c.Length()
	var held []span
	for i, e := range c.Entries() {
		if c.RevokedBy(i+1) != 0 {
			continue
		}
		switch v := e.(type) {
		case Extension:
			need += v.Days
		case Hold:
			s := span{v.From.Days(), openEnd}
			if !v.To.IsZero() {
				s.to = v.To.Days()
			}
			for j, f := range c.Entries() {
				if l, ok := f.(Lift); ok && l.Entry == i+1 && c.RevokedBy(j+1) == 0 {
					s.to = l.To.Days()
				}
			}
			held = append(held, s)
		}
	}
	day := c.Start().Days()
	for need > 0 {
		day++
		isHeld := false
		for _, s := range held {
			if s.from <= day && day <= s.to {
				if s.to == openEnd {
					return Date{}, false
				}
				isHeld = true
			}
		}
		if !isHeld && (c.Unit() != BusinessDays || IsBusinessDay(FromDays(day))) {
			need--
		}
	}
	return FromDays(day), true
}

func TestPropertyDueMatchesDayByDayCount(t *testing.T) {
	g := gen{rand.New(rand.NewPCG(1, 1))}
	for i := 0; i < 5000; i++ {
		c := g.clock(CalendarDays, BusinessDays)
		g.ledger(c, g.r.IntN(6), false)
		got, ok := c.Due()
		want, wantOK := naiveDue(c)
		if got != want || ok != wantOK {
			t.Fatalf("Due() = %v, %v; counted day by day: %v, %v\n%s", got, ok, want, wantOK, c.Explain())
		}
	}
}

func TestPropertyBusinessDaysRoundTrip(t *testing.T) {
	g := gen{rand.New(rand.NewPCG(2, 1))}
	for i := 0; i < 5000; i++ {
		start, n := g.date(), g.r.IntN(300)
		c := mustClock(t, start.String(), n, BusinessDays)
		due := mustDue(t, c)
		if due != AddBusinessDays(start, n) || BusinessDaysBetween(start, due) != n {
			t.Fatalf("%d business days from %v: Due() = %v, BusinessDaysBetween = %d", n, start, due, BusinessDaysBetween(start, due))
		}
	}
}

func TestPropertyHoldMovesDueByItsLength(t *testing.T) {
	g := gen{rand.New(rand.NewPCG(3, 1))}
	for i := 0; i < 5000; i++ {
		c := g.clock(CalendarDays, BusinessDays)
		if c.Length() == 0 {
			continue
		}
		if g.r.IntN(2) == 0 {
			if _, err := c.Append(Extension{On: c.Start(), Days: 1 + g.r.IntN(10), Authority: "ECF 1"}); err != nil {
				t.Fatal(err)
			}
		}
		due0 := mustDue(t, c)
		// A hold that begins on a counted day in (start, due] and holds
		// exactly k counted days; for business days it may run on over
		// the weekend or holidays that follow its last business day.
		from := AddDays(c.Start(), 1+g.r.IntN(DaysBetween(c.Start(), due0)))
		k := 1 + g.r.IntN(40)
		var to Date
		if c.Unit() == BusinessDays {
			from = RollForward(from)
			if from.Compare(due0) > 0 {
				continue
			}
			to = AddBusinessDays(from, k-1)
			to = AddDays(to, g.r.IntN(DaysBetween(to, AddBusinessDays(to, 1))))
		} else {
			to = AddDays(from, k-1)
		}
		if _, err := c.Append(Hold{From: from, To: to, Authority: "H-1"}); err != nil {
			t.Fatal(err)
		}
		due1 := mustDue(t, c)
		moved := DaysBetween(due0, due1)
		if c.Unit() == BusinessDays {
			moved = BusinessDaysBetween(due0, due1)
		}
		if moved != k {
			t.Fatalf("a hold of %d %v from %v to %v moved %v to %v, by %d\n%s", k, c.Unit(), from, to, due0, due1, moved, c.Explain())
		}
	}
}

func TestPropertyOverlappingHoldsCountOnce(t *testing.T) {
	g := gen{rand.New(rand.NewPCG(4, 1))}
	for i := 0; i < 5000; i++ {
		c := g.clock(CalendarDays, BusinessDays, Months, Years)
		g.ledger(c, g.r.IntN(3), true)
		one := mustClock(t, c.Start().String(), c.Length(), c.Unit(), c.Entries()...)
		// One hold, then the same days as two or three holds that overlap
		// or touch, appended in any order: [from, mid] and [x, to] with x
		// in [from, mid], and [from, to] again as a duplicate.
		from := AddDays(c.Start(), g.r.IntN(100))
		to := AddDays(from, g.r.IntN(40))
		if _, err := one.Append(Hold{From: from, To: to, Authority: "H-1"}); err != nil {
			t.Fatal(err)
		}
		mid := AddDays(from, g.r.IntN(DaysBetween(from, to)+1))
		pieces := []Hold{
			{From: from, To: mid, Authority: "H-1"},
			{From: AddDays(from, g.r.IntN(DaysBetween(from, mid)+1)), To: to, Authority: "H-1"},
			{From: from, To: to, Authority: "H-1"},
		}
		g.r.Shuffle(len(pieces), func(a, b int) { pieces[a], pieces[b] = pieces[b], pieces[a] })
		many := mustClock(t, c.Start().String(), c.Length(), c.Unit(), c.Entries()...)
		for _, h := range pieces[:2+g.r.IntN(2)] {
			if _, err := many.Append(h); err != nil {
				t.Fatal(err)
			}
		}
		due1, ok1 := one.Due()
		due2, ok2 := many.Due()
		asOf := AddDays(c.Start(), g.r.IntN(200))
		if due1 != due2 || ok1 != ok2 || one.Status(asOf) != many.Status(asOf) {
			t.Fatalf("one hold: %v %v %+v; the same days in pieces: %v %v %+v\n%s\n%s",
				due1, ok1, one.Status(asOf), due2, ok2, many.Status(asOf), one.Explain(), many.Explain())
		}
	}
}

func TestPropertyRevocationGivesBackTheDueDate(t *testing.T) {
	g := gen{rand.New(rand.NewPCG(5, 1))}
	for i := 0; i < 5000; i++ {
		c := g.clock(CalendarDays, BusinessDays, Months, Years)
		g.ledger(c, 1+g.r.IntN(6), true)
		entries := c.Entries()
		// Revoke some holds, lifts and extensions, in a random order.
		var revoked []int
		for n := range entries {
			if g.r.IntN(3) == 0 {
				revoked = append(revoked, n+1)
			}
		}
		g.r.Shuffle(len(revoked), func(a, b int) { revoked[a], revoked[b] = revoked[b], revoked[a] })
		gone := map[int]bool{}
		for _, n := range revoked {
			if _, err := c.Append(Revocation{Entry: n, Reason: "entered in error", Authority: "ECF 9"}); err != nil {
				t.Fatal(err)
			}
			gone[n] = true
		}
		// The same ledger as if the revoked entries had never been made.
		without := mustClock(t, c.Start().String(), c.Length(), c.Unit())
		renumber := map[int]int{}
		for i, e := range entries {
			if gone[i+1] {
				continue
			}
			if l, ok := e.(Lift); ok {
				if gone[l.Entry] {
					continue
				}
				l.Entry = renumber[l.Entry]
				e = l
			}
			n, err := without.Append(e)
			if err != nil {
				t.Fatal(err)
			}
			renumber[i+1] = n
		}
		due1, ok1 := c.Due()
		due2, ok2 := without.Due()
		asOf := AddDays(c.Start(), g.r.IntN(200))
		if due1 != due2 || ok1 != ok2 || c.Status(asOf) != without.Status(asOf) {
			t.Fatalf("with revocations: %v %v %+v; without the entries: %v %v %+v\n%s\n%s",
				due1, ok1, c.Status(asOf), due2, ok2, without.Status(asOf), c.Explain(), without.Explain())
		}
	}
}

// TestPropertyNewDueDateStands checks that an extension to a new due date
// gives exactly that date, whatever the ledger held before it.
func TestPropertyNewDueDateStands(t *testing.T) {
	g := gen{rand.New(rand.NewPCG(9, 1))}
	for i := 0; i < 3000; i++ {
		c := g.clock(CalendarDays, BusinessDays, Months, Years)
		g.ledger(c, g.r.IntN(6), true)
		until := AddDays(c.Start(), g.r.IntN(200))
		if _, err := c.Append(Extension{On: g.date(), Until: until, Authority: "ECF 3"}); err != nil {
			t.Fatal(err)
		}
		if due, ok := c.Due(); !ok || due != until {
			t.Fatalf("Due() = %v, %v after an extension to %v\n%s", due, ok, until, c.Explain())
		}
	}
}

func TestPropertyRefusedExtensionLeavesLedger(t *testing.T) {
	g := gen{rand.New(rand.NewPCG(6, 1))}
	for i := 0; i < 3000; i++ {
		c := g.clock(CalendarDays, BusinessDays, Months, Years)
		g.ledger(c, g.r.IntN(5), true)
		entries, explain := c.Entries(), c.Explain()
		due, ok := c.Due()
		x := g.entry(c, true)
		e, isExt := x.(Extension)
		if !isExt {
			continue
		}
		e.Authority = ""
		n, err := c.Append(e)
		var le *LedgerError
		if !errors.As(err, &le) || le.Field != "authority" || n != 0 {
			t.Fatalf("Append(extension without authority) = %d, %v", n, err)
		}
		due2, ok2 := c.Due()
		if !reflect.DeepEqual(c.Entries(), entries) || c.Explain() != explain || due != due2 || ok != ok2 {
			t.Fatalf("a refused extension changed the clock:\n%s\n%s", explain, c.Explain())
		}
	}
}

func TestPropertyDueNeverBeforeStartAndOnBusinessDays(t *testing.T) {
	g := gen{rand.New(rand.NewPCG(7, 1))}
	for i := 0; i < 5000; i++ {
		c := g.clock(CalendarDays, BusinessDays, Months, Years)
		withUntil := g.r.IntN(2) == 0
		g.ledger(c, g.r.IntN(6), withUntil)
		asOf := AddDays(c.Start(), g.r.IntN(200)-20)
		st := c.Status(asOf)
		due, ok := c.Due()
		if ok && due.Compare(c.Start()) < 0 || st.Due.Compare(c.Start()) < 0 {
			t.Fatalf("due %v (status %+v) precedes the start %v\n%s", due, st, c.Start(), c.Explain())
		}
		if ok && !hasOpenHold(c) && st.Due != due {
			t.Fatalf("Status(%v).Due = %v, Due() = %v with no open hold\n%s", asOf, st.Due, due, c.Explain())
		}
		// With something to count and no date set by an order, the clock
		// ends on a day it counted: a business day.
		if c.Unit() == BusinessDays && !withUntil && c.Length()+c.days > 0 {
			if ok && !IsBusinessDay(due) {
				t.Fatalf("Due() = %v is not a business day\n%s", due, c.Explain())
			}
			if !IsBusinessDay(st.Due) {
				t.Fatalf("Status(%v).Due = %v is not a business day\n%s", asOf, st.Due, c.Explain())
			}
		}
	}
}

func hasOpenHold(c *Clock) bool {
	for _, s := range c.all {
		if s.to == openEnd {
			return true
		}
	}
	return false
}

func TestPropertyStatusAgreesWithDue(t *testing.T) {
	g := gen{rand.New(rand.NewPCG(8, 1))}
	for i := 0; i < 5000; i++ {
		c := g.clock(CalendarDays, BusinessDays)
		// Without a date set by an order, so that the due date is a day
		// the clock counted.
		g.ledger(c, g.r.IntN(4), false)
		asOf := AddDays(c.Start(), g.r.IntN(200))
		st := c.Status(asOf)
		switch {
		case st.State == StateMissed && (st.Remaining >= 0 || asOf.Compare(st.Due) <= 0):
			t.Fatalf("MISSED on %v with due %v and %d remaining", asOf, st.Due, st.Remaining)
		case st.State != StateMissed && (st.Remaining < 0 || asOf.Compare(st.Due) > 0):
			t.Fatalf("%s on %v with due %v and %d remaining", st.State, asOf, st.Due, st.Remaining)
		}
		// The days remaining, counted on from asOf as a fresh clock with
		// the same holds, reach the same due date.
		if st.State == StateOpen && st.Remaining > 0 {
			fresh := mustClock(t, asOf.String(), st.Remaining, c.Unit())
			for _, s := range c.all {
				h := Hold{From: FromDays(s.from), Authority: "H-1"}
				if s.to != openEnd {
					h.To = FromDays(s.to)
				} else {
					h.To = asOf // Status ends open holds on asOf
				}
				if h.To.Compare(h.From) < 0 {
					continue
				}
				if _, err := fresh.Append(h); err != nil {
					t.Fatal(err)
				}
			}
			if got := mustDue(t, fresh); got != st.Due {
				t.Fatalf("%d %v from %v = %v, Status says due %v\n%s", st.Remaining, c.Unit(), asOf, got, st.Due, c.Explain())
			}
		}
	}
}

func BenchmarkClockDue(b *testing.B) {
	c := mustClock(b, "2018-11-15", 30, BusinessDays,
		Hold{From: d("2018-11-19"), To: d("2018-11-25"), Authority: "court order ECF 123"},
		Hold{From: d("2018-11-23"), To: d("2018-12-04"), Authority: "H-1"},
		Extension{On: d("2018-12-20"), Days: 5, Authority: "court order ECF 130"},
		Revocation{Entry: 2, Authority: "ECF 131"},
	)
	b.ReportAllocs()
	for b.Loop() {
		sinkDate, sinkBool = c.Due()
	}
}

func BenchmarkClockStatus(b *testing.B) {
	c := mustClock(b, "2018-11-15", 30, BusinessDays,
		Hold{From: d("2018-11-19"), Authority: "H-1"},
		Lift{Entry: 1, To: d("2018-11-25"), Authority: "H-2"},
		Extension{On: d("2018-12-20"), Days: 5, Authority: "court order ECF 130"},
	)
	asOf := d("2018-12-03")
	b.ReportAllocs()
	for b.Loop() {
		sinkInt = c.Status(asOf).Remaining
	}
}
