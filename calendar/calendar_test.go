package calendar

import (
	"math/rand/v2"
	"testing"
	"time"
)

func d(s string) Date {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return Date{t.Year(), t.Month(), t.Day()}
}

func TestDaysRoundTripAgainstTime(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		n := r.IntN(200*365) - 100*365
		tm := time.Unix(int64(n)*86400, 0).UTC()
		want := Date{tm.Year(), tm.Month(), tm.Day()}
		if got := FromDays(n); got != want {
			t.Fatalf("FromDays(%d) = %v, want %v", n, got, want)
		}
		if got := want.Days(); got != n {
			t.Fatalf("%v.Days() = %d, want %d", want, got, n)
		}
		if got := want.Weekday(); got != tm.Weekday() {
			t.Fatalf("%v.Weekday() = %v, want %v", want, got, tm.Weekday())
		}
	}
}

func TestHolidays(t *testing.T) {
	tests := []struct {
		name string
		day  string
		want bool
	}{
		{"Thanksgiving 2018", "2018-11-22", true},
		{"Christmas 2018", "2018-12-25", true},
		{"Veterans Day 2018 observed Monday", "2018-11-12", true},
		{"Veterans Day 2018 itself a Sunday", "2018-11-11", false},
		{"Columbus Day 2018", "2018-10-08", true},
		{"Independence Day 2020 observed Friday", "2020-07-03", true},
		{"New Year 2022 observed Friday 2021-12-31", "2021-12-31", true},
		{"New Year 2022 itself a Saturday", "2022-01-01", false},
		{"Juneteenth 2021 observed Friday", "2021-06-18", true},
		{"Juneteenth not a holiday before 2021", "2020-06-19", false},
		{"MLK 2019", "2019-01-21", true},
		{"Presidents Day 2019", "2019-02-18", true},
		{"Memorial Day 2019", "2019-05-27", true},
		{"Labor Day 2019", "2019-09-02", true},
		{"Christmas 2022 observed Monday", "2022-12-26", true},
		{"ordinary Tuesday", "2018-11-20", false},
		{"Veterans Day 1975 fourth Monday of October", "1975-10-27", true},
		{"outside the table: Thanksgiving 2250", "2250-11-28", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsHoliday(d(tt.day)); got != tt.want {
				t.Errorf("IsHoliday(%s) = %v, want %v", tt.day, got, tt.want)
			}
		})
	}
	if n := len(Holidays(2018)); n != 10 {
		t.Errorf("2018 has %d federal holidays, want 10 (no Juneteenth yet)", n)
	}
	if n := len(Holidays(2024)); n != 11 {
		t.Errorf("2024 has %d federal holidays, want 11", n)
	}
}

func TestAddBusinessDays(t *testing.T) {
	tests := []struct {
		name  string
		start string
		n     int
		want  string
	}{
		{"within a week", "2018-09-10", 5, "2018-09-17"},
		{"skips Columbus Day", "2018-10-05", 1, "2018-10-09"},
		{"T-1 as 30 business days from final approval", "2018-11-15", 30, "2018-12-31"},
		{"over Thanksgiving", "2018-11-21", 1, "2018-11-23"},
		{"backwards over a weekend", "2018-11-19", -1, "2018-11-16"},
		{"zero is the day itself", "2018-11-17", 0, "2018-11-17"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := tt.start
			if got := AddBusinessDays(d(start), tt.n); got != d(tt.want) {
				t.Errorf("AddBusinessDays(%s, %d) = %v, want %s", start, tt.n, got, tt.want)
			}
		})
	}
}

// TestBusinessDaysProperty checks that counting back the business days added
// gives the number added, in both directions, and that the result of a
// non-zero step is always a business day.
func TestBusinessDaysProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for i := 0; i < 5000; i++ {
		start := FromDays(r.IntN(60*365) + 10*365)
		n := r.IntN(401) - 200
		end := AddBusinessDays(start, n)
		if got := BusinessDaysBetween(start, end); got != n {
			t.Fatalf("BusinessDaysBetween(%v, AddBusinessDays(%v, %d) = %v) = %d", start, start, n, end, got)
		}
		if n != 0 && !IsBusinessDay(end) {
			t.Fatalf("AddBusinessDays(%v, %d) = %v is not a business day", start, n, end)
		}
		if got := DaysBetween(start, AddDays(start, n)); got != n {
			t.Fatalf("DaysBetween after AddDays(%d) = %d", n, got)
		}
	}
}

func TestAddMonthsClamps(t *testing.T) {
	tests := []struct {
		start  string
		months int
		want   string
	}{
		{"2019-04-25", 6, "2019-10-25"},
		{"2019-01-31", 1, "2019-02-28"},
		{"2020-01-31", 1, "2020-02-29"},
		{"2019-08-31", 6, "2020-02-29"},
		{"2018-03-31", -1, "2018-02-28"},
		{"2023-12-11", 24, "2025-12-11"},
		{"2023-12-11", -13, "2022-11-11"},
	}
	for _, tt := range tests {
		if got := AddMonths(d(tt.start), tt.months); got != d(tt.want) {
			t.Errorf("AddMonths(%s, %d) = %v, want %s", tt.start, tt.months, got, tt.want)
		}
	}
	if got := AddYears(d("2024-02-29"), 1); got != d("2025-02-28") {
		t.Errorf("AddYears(2024-02-29, 1) = %v", got)
	}
	if got := AddYears(d("2023-12-11"), 6); got != d("2029-12-11") {
		t.Errorf("AddYears(2023-12-11, 6) = %v", got)
	}
}

func TestRoll(t *testing.T) {
	if got := RollForward(d("2018-12-15")); got != d("2018-12-17") {
		t.Errorf("RollForward(Sat 2018-12-15) = %v", got)
	}
	if got := RollBackward(d("2018-12-15")); got != d("2018-12-14") {
		t.Errorf("RollBackward(Sat 2018-12-15) = %v", got)
	}
	if got := RollForward(d("2018-12-25")); got != d("2018-12-26") {
		t.Errorf("RollForward(Christmas 2018) = %v", got)
	}
}

func TestStringAndValid(t *testing.T) {
	if s := d("2018-06-26").String(); s != "2018-06-26" {
		t.Errorf("String = %q", s)
	}
	if (Date{2018, 2, 30}).Valid() {
		t.Error("2018-02-30 is valid")
	}
	if !(Date{2020, 2, 29}).Valid() {
		t.Error("2020-02-29 is not valid")
	}
}
