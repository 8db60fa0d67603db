package rescreen

import (
	"encoding/json"
	"testing"
)

func TestDateJSON(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Date
		ok   bool
	}{
		{`"2018-06-21"`, NewDate(2018, 6, 21), true},
		{`"2020-02-29"`, NewDate(2020, 2, 29), true},
		{`null`, Date{}, true},
		{`"2018-02-30"`, Date{}, false},
		{`"2019-02-29"`, Date{}, false},
		{`"2018-13-01"`, Date{}, false},
		{`"2018-00-10"`, Date{}, false},
		{`"2018-1-01x"`, Date{}, false},
		{`"06/21/2018"`, Date{}, false},
		{`20180621`, Date{}, false},
	} {
		var d Date
		err := json.Unmarshal([]byte(tt.in), &d)
		if (err == nil) != tt.ok || (tt.ok && d != tt.want) {
			t.Errorf("%s: got %v, %v; want %v (ok %v)", tt.in, d, err, tt.want, tt.ok)
		}
		if tt.ok {
			b, _ := json.Marshal(d)
			if string(b) != tt.in {
				t.Errorf("%s round-trips as %s", tt.in, b)
			}
		}
	}
}
