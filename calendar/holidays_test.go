package calendar

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"testing"

	// The zone database is built in, so that the zones the test switches to
	// exist on any machine.
	_ "time/tzdata"
)

// opm is the federal holiday list OPM publishes each year
// (opm.gov/policy-data-oversight/pay-leave/federal-holidays), typed in by
// hand: the legal date and the day observed, in the statute's order. The
// holidays come from a library; this table is what keeps a library update
// from moving a date without anyone noticing. Inauguration Day, which OPM
// lists for the Washington area only (2021-01-20, 2025-01-20), is not a
// nationwide holiday and is not here.
var opm = map[int][]struct{ name, date, observed string }{
	2018: {
		{"New Year's Day", "2018-01-01", "2018-01-01"},
		{"Birthday of Martin Luther King, Jr.", "2018-01-15", "2018-01-15"},
		{"Washington's Birthday", "2018-02-19", "2018-02-19"},
		{"Memorial Day", "2018-05-28", "2018-05-28"},
		{"Independence Day", "2018-07-04", "2018-07-04"},
		{"Labor Day", "2018-09-03", "2018-09-03"},
		{"Columbus Day", "2018-10-08", "2018-10-08"},
		{"Veterans Day", "2018-11-11", "2018-11-12"},
		{"Thanksgiving Day", "2018-11-22", "2018-11-22"},
		{"Christmas Day", "2018-12-25", "2018-12-25"},
	},
	2019: {
		{"New Year's Day", "2019-01-01", "2019-01-01"},
		{"Birthday of Martin Luther King, Jr.", "2019-01-21", "2019-01-21"},
		{"Washington's Birthday", "2019-02-18", "2019-02-18"},
		{"Memorial Day", "2019-05-27", "2019-05-27"},
		{"Independence Day", "2019-07-04", "2019-07-04"},
		{"Labor Day", "2019-09-02", "2019-09-02"},
		{"Columbus Day", "2019-10-14", "2019-10-14"},
		{"Veterans Day", "2019-11-11", "2019-11-11"},
		{"Thanksgiving Day", "2019-11-28", "2019-11-28"},
		{"Christmas Day", "2019-12-25", "2019-12-25"},
	},
	2020: {
		{"New Year's Day", "2020-01-01", "2020-01-01"},
		{"Birthday of Martin Luther King, Jr.", "2020-01-20", "2020-01-20"},
		{"Washington's Birthday", "2020-02-17", "2020-02-17"},
		{"Memorial Day", "2020-05-25", "2020-05-25"},
		{"Independence Day", "2020-07-04", "2020-07-03"},
		{"Labor Day", "2020-09-07", "2020-09-07"},
		{"Columbus Day", "2020-10-12", "2020-10-12"},
		{"Veterans Day", "2020-11-11", "2020-11-11"},
		{"Thanksgiving Day", "2020-11-26", "2020-11-26"},
		{"Christmas Day", "2020-12-25", "2020-12-25"},
	},
	2021: {
		{"New Year's Day", "2021-01-01", "2021-01-01"},
		{"Birthday of Martin Luther King, Jr.", "2021-01-18", "2021-01-18"},
		{"Washington's Birthday", "2021-02-15", "2021-02-15"},
		{"Memorial Day", "2021-05-31", "2021-05-31"},
		{"Juneteenth National Independence Day", "2021-06-19", "2021-06-18"},
		{"Independence Day", "2021-07-04", "2021-07-05"},
		{"Labor Day", "2021-09-06", "2021-09-06"},
		{"Columbus Day", "2021-10-11", "2021-10-11"},
		{"Veterans Day", "2021-11-11", "2021-11-11"},
		{"Thanksgiving Day", "2021-11-25", "2021-11-25"},
		{"Christmas Day", "2021-12-25", "2021-12-24"},
	},
	2022: {
		{"New Year's Day", "2022-01-01", "2021-12-31"},
		{"Birthday of Martin Luther King, Jr.", "2022-01-17", "2022-01-17"},
		{"Washington's Birthday", "2022-02-21", "2022-02-21"},
		{"Memorial Day", "2022-05-30", "2022-05-30"},
		{"Juneteenth National Independence Day", "2022-06-19", "2022-06-20"},
		{"Independence Day", "2022-07-04", "2022-07-04"},
		{"Labor Day", "2022-09-05", "2022-09-05"},
		{"Columbus Day", "2022-10-10", "2022-10-10"},
		{"Veterans Day", "2022-11-11", "2022-11-11"},
		{"Thanksgiving Day", "2022-11-24", "2022-11-24"},
		{"Christmas Day", "2022-12-25", "2022-12-26"},
	},
	2023: {
		{"New Year's Day", "2023-01-01", "2023-01-02"},
		{"Birthday of Martin Luther King, Jr.", "2023-01-16", "2023-01-16"},
		{"Washington's Birthday", "2023-02-20", "2023-02-20"},
		{"Memorial Day", "2023-05-29", "2023-05-29"},
		{"Juneteenth National Independence Day", "2023-06-19", "2023-06-19"},
		{"Independence Day", "2023-07-04", "2023-07-04"},
		{"Labor Day", "2023-09-04", "2023-09-04"},
		{"Columbus Day", "2023-10-09", "2023-10-09"},
		{"Veterans Day", "2023-11-11", "2023-11-10"},
		{"Thanksgiving Day", "2023-11-23", "2023-11-23"},
		{"Christmas Day", "2023-12-25", "2023-12-25"},
	},
	2024: {
		{"New Year's Day", "2024-01-01", "2024-01-01"},
		{"Birthday of Martin Luther King, Jr.", "2024-01-15", "2024-01-15"},
		{"Washington's Birthday", "2024-02-19", "2024-02-19"},
		{"Memorial Day", "2024-05-27", "2024-05-27"},
		{"Juneteenth National Independence Day", "2024-06-19", "2024-06-19"},
		{"Independence Day", "2024-07-04", "2024-07-04"},
		{"Labor Day", "2024-09-02", "2024-09-02"},
		{"Columbus Day", "2024-10-14", "2024-10-14"},
		{"Veterans Day", "2024-11-11", "2024-11-11"},
		{"Thanksgiving Day", "2024-11-28", "2024-11-28"},
		{"Christmas Day", "2024-12-25", "2024-12-25"},
	},
	2025: {
		{"New Year's Day", "2025-01-01", "2025-01-01"},
		{"Birthday of Martin Luther King, Jr.", "2025-01-20", "2025-01-20"},
		{"Washington's Birthday", "2025-02-17", "2025-02-17"},
		{"Memorial Day", "2025-05-26", "2025-05-26"},
		{"Juneteenth National Independence Day", "2025-06-19", "2025-06-19"},
		{"Independence Day", "2025-07-04", "2025-07-04"},
		{"Labor Day", "2025-09-01", "2025-09-01"},
		{"Columbus Day", "2025-10-13", "2025-10-13"},
		{"Veterans Day", "2025-11-11", "2025-11-11"},
		{"Thanksgiving Day", "2025-11-27", "2025-11-27"},
		{"Christmas Day", "2025-12-25", "2025-12-25"},
	},
	2026: {
		{"New Year's Day", "2026-01-01", "2026-01-01"},
		{"Birthday of Martin Luther King, Jr.", "2026-01-19", "2026-01-19"},
		{"Washington's Birthday", "2026-02-16", "2026-02-16"},
		{"Memorial Day", "2026-05-25", "2026-05-25"},
		{"Juneteenth National Independence Day", "2026-06-19", "2026-06-19"},
		{"Independence Day", "2026-07-04", "2026-07-03"},
		{"Labor Day", "2026-09-07", "2026-09-07"},
		{"Columbus Day", "2026-10-12", "2026-10-12"},
		{"Veterans Day", "2026-11-11", "2026-11-11"},
		{"Thanksgiving Day", "2026-11-26", "2026-11-26"},
		{"Christmas Day", "2026-12-25", "2026-12-25"},
	},
	2027: {
		{"New Year's Day", "2027-01-01", "2027-01-01"},
		{"Birthday of Martin Luther King, Jr.", "2027-01-18", "2027-01-18"},
		{"Washington's Birthday", "2027-02-15", "2027-02-15"},
		{"Memorial Day", "2027-05-31", "2027-05-31"},
		{"Juneteenth National Independence Day", "2027-06-19", "2027-06-18"},
		{"Independence Day", "2027-07-04", "2027-07-05"},
		{"Labor Day", "2027-09-06", "2027-09-06"},
		{"Columbus Day", "2027-10-11", "2027-10-11"},
		{"Veterans Day", "2027-11-11", "2027-11-11"},
		{"Thanksgiving Day", "2027-11-25", "2027-11-25"},
		{"Christmas Day", "2027-12-25", "2027-12-24"},
	},
	// Only the first holiday of 2028 matters here: it is observed on
	// 2027-12-31, inside the years checked day by day below.
	2028: {
		{"New Year's Day", "2028-01-01", "2027-12-31"},
	},
}

func TestHolidaysMatchOPM(t *testing.T) {
	for y := 2018; y <= 2027; y++ {
		want := opm[y]
		got := Holidays(y)
		if len(got) != len(want) {
			t.Errorf("Holidays(%d) has %d holidays, OPM lists %d: %v", y, len(got), len(want), got)
			continue
		}
		for i, w := range want {
			g := got[i]
			if g.Name != w.name || g.Date != d(w.date) || g.Observed != d(w.observed) {
				t.Errorf("Holidays(%d)[%d] = %s %v observed %v, OPM: %s %s observed %s",
					y, i, g.Name, g.Date, g.Observed, w.name, w.date, w.observed)
			}
		}
	}
	if got := Holidays(2028)[0]; got.Observed != d("2027-12-31") {
		t.Errorf("New Year's Day 2028 observed %v, OPM: 2027-12-31", got.Observed)
	}
}

// TestHolidayTableMatchesOPM walks every day of 2018-2027 through the
// precomputed table: a day is a holiday exactly when OPM observes one on
// it, and it carries that holiday's name.
func TestHolidayTableMatchesOPM(t *testing.T) {
	names := map[Date]string{}
	for _, hs := range opm {
		for _, h := range hs {
			names[d(h.observed)] = h.name
		}
	}
	for day := d("2018-01-01"); day.Year <= 2027; day = AddDays(day, 1) {
		want, wantOK := names[day]
		got, ok := HolidayOn(day)
		if ok != wantOK || got != want {
			t.Errorf("HolidayOn(%v) = %q, %v; OPM: %q, %v", day, got, ok, want, wantOK)
		}
		if IsHoliday(day) != wantOK {
			t.Errorf("IsHoliday(%v) = %v, OPM: %v", day, !wantOK, wantOK)
		}
		if want := !wantOK && !IsWeekend(day); IsBusinessDay(day) != want {
			t.Errorf("IsBusinessDay(%v) = %v, want %v", day, !want, want)
		}
	}
}

func TestNotFederalHolidays(t *testing.T) {
	tests := []struct {
		name string
		day  string
	}{
		{"Inauguration Day 2021, a holiday in the Washington area only", "2021-01-20"},
		{"Inauguration Day 2017, a holiday in the Washington area only", "2017-01-20"},
		{"closure by executive order: National Day of Mourning", "2018-12-05"},
		{"closure by executive order: Christmas Eve 2018", "2018-12-24"},
		{"closure by executive order: Christmas Eve 2019", "2019-12-24"},
		{"Day After Thanksgiving, in the library but not in the statute", "2018-11-23"},
		{"Juneteenth 2020, before the law of 2021", "2020-06-19"},
		{"King's Birthday 1985, before the holiday's first year", "1985-01-21"},
		{"Veterans Day 1975 on November 11, when it was in October", "1975-11-11"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if name, ok := HolidayOn(d(tt.day)); ok {
				t.Errorf("HolidayOn(%s) = %q, want no holiday", tt.day, name)
			}
			if !IsBusinessDay(d(tt.day)) {
				t.Errorf("IsBusinessDay(%s) = false, want true", tt.day)
			}
		})
	}
}

// TestTableAgreesOutsideIt checks that the days around the table's edges
// and beyond it answer the same whether read from the table or computed.
func TestTableAgreesOutsideIt(t *testing.T) {
	tests := []struct {
		day  string
		want bool
	}{
		{"1899-12-25", true},
		{"1900-01-01", true},
		{"2199-12-25", true},
		{"2200-01-01", true},
		{"2250-11-28", true},
		{"2250-11-29", false},
		{"2199-12-31", false},
	}
	for _, tt := range tests {
		if got := IsHoliday(d(tt.day)); got != tt.want {
			t.Errorf("IsHoliday(%s) = %v, want %v", tt.day, got, tt.want)
		}
	}
}

// holidayDump lists every holiday of the years the table covers, and a few
// beyond, one per line.
func holidayDump() string {
	var b []byte
	for y := tableFirstYear - 1; y <= tableLastYear+60; y++ {
		for _, h := range Holidays(y) {
			b = AppendDate(b, h.Date)
			b = append(b, ' ')
			b = AppendDate(b, h.Observed)
			b = append(b, ' ')
			b = append(b, h.Name...)
			b = append(b, '\n')
		}
	}
	return string(b)
}

// TestHolidaysIgnoreLocalZone runs this test binary again in time zones
// whose clocks jump at midnight, where a library working in local time
// reports the day before, and checks that every holiday comes out as it
// does here.
func TestHolidaysIgnoreLocalZone(t *testing.T) {
	if want := os.Getenv("CALENDAR_WANT_SHA256"); want != "" {
		sum := sha256.Sum256([]byte(holidayDump()))
		if got := hex.EncodeToString(sum[:]); got != want {
			t.Fatalf("holidays in TZ=%s differ from those in the parent process", os.Getenv("TZ"))
		}
		return
	}
	sum := sha256.Sum256([]byte(holidayDump()))
	for _, tz := range []string{"America/Santiago", "America/Sao_Paulo", "Pacific/Apia", "America/Havana"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHolidaysIgnoreLocalZone$", "-test.count=1")
		cmd.Env = append(os.Environ(), "TZ="+tz, "CALENDAR_WANT_SHA256="+hex.EncodeToString(sum[:]))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("TZ=%s: %v\n%s", tz, err, out)
		}
	}
}
