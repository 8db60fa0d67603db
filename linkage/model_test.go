package linkage

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// A model saved as JSON scores another run of the same files alike, and
// one that does not fit the data is refused.
func TestModelJSON(t *testing.T) {
	tb := openTable(t, "dataset1.csv", nil)
	res, err := Link([]*Table{tb}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(res.Model)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"Kind":"given"`) {
		t.Errorf("kinds are not written by name: %.200s", b)
	}
	var m Model
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	again, err := Link([]*Table{tb}, Options{Model: &m})
	if err != nil {
		t.Fatal(err)
	}
	// Every pair alike, weights included: the weight tables and the
	// term-frequency adjustment are rebuilt from the exported parameters
	// and the data.
	if !slices.Equal(again.Pairs, res.Pairs) {
		t.Errorf("%d and %d pairs, or their weights differ", len(res.Pairs), len(again.Pairs))
	}
	m.Fields = m.Fields[1:]
	if _, err := Link([]*Table{tb}, Options{Model: &m}); err == nil || !strings.Contains(err.Error(), "the model has 9 fields, the data 10") {
		t.Errorf("a model without a field: %v", err)
	}
}
