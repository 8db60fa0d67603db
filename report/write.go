package report

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
)

// WriteJSON writes the report as indented JSON. The rows are in a fixed
// order, so the same report gives the same bytes.
func (r *Report) WriteJSON(w io.Writer) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// csvHeader is the CSV form's header: every row names the report it
// belongs to (date, snapshot, rule set, definitions), so that a row copied
// elsewhere still says where it came from.
var csvHeader = []string{"as_of", "audit_seq", "audit_hash", "rule_set_version", "definitions_version", "id", "metric", "group", "value"}

// WriteCSV writes the report as CSV (RFC 4180), one row per number, in
// the same order as the JSON form.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	seq := strconv.FormatInt(r.Snapshot.AuditSeq, 10)
	for _, x := range r.Rows {
		if err := cw.Write([]string{r.AsOf.String(), seq, r.Snapshot.AuditHash, r.RuleSet, r.Definitions,
			x.ID, x.Metric, x.Group, strconv.FormatInt(x.Value, 10)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
