package sqlstore

import (
	"strings"
	"testing"
)

// TestShapeOf: a held insert is a single-row INSERT of placeholders, plain
// or ON CONFLICT DO NOTHING; an upsert, which cannot take a row twice in
// one statement, and anything else are refused.
func TestShapeOf(t *testing.T) {
	s, err := shapeOf(`INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT DO NOTHING`)
	if err != nil {
		t.Fatal(err)
	}
	if s.args != 2 {
		t.Errorf("args %d, want 2", s.args)
	}
	if got, want := s.multi[4], `INSERT INTO t (a, b) VALUES (?, ?), (?, ?), (?, ?), (?, ?) ON CONFLICT DO NOTHING`; got != want {
		t.Errorf("four rows:\n%s\nwant\n%s", got, want)
	}
	if n := strings.Count(s.multi[256], "?"); n != 512 {
		t.Errorf("256 rows have %d placeholders", n)
	}
	for _, q := range []string{
		`INSERT INTO t (a) VALUES (?) ON CONFLICT (a) DO UPDATE SET a = excluded.a`,
		`UPDATE t SET a = ?`,
		`INSERT INTO t (a) SELECT ?`,
		`INSERT INTO t (a, b) VALUES (?, 'x')`,
		`INSERT INTO t (a) VALUES (1)`,
	} {
		if _, err := shapeOf(q); err == nil {
			t.Errorf("%s: taken", q)
		}
	}
}
