package sqlstore

import (
	"strings"
	"testing"
)

// TestShapeOf: a held insert is a single-row INSERT of placeholders, plain,
// ON CONFLICT DO NOTHING, or an upsert that replaces every column but its
// key (whose second row for a key takes the first one's place); another
// upsert, which cannot take a row twice in one statement, and anything
// else are refused.
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
	up, err := shapeOf("INSERT INTO t (k, a, b) VALUES (?, ?, ?)\n\t\tON CONFLICT (k) DO UPDATE SET a = excluded.a,\n\t\tb = excluded.b")
	if err != nil || !up.replace {
		t.Errorf("an upsert that replaces every column but its key: %v, replace %v", err, up != nil && up.replace)
	}
	for _, q := range []string{
		`INSERT INTO t (a) VALUES (?) ON CONFLICT (a) DO UPDATE SET a = excluded.a`,
		`INSERT INTO t (k, a, b) VALUES (?, ?, ?) ON CONFLICT (k) DO UPDATE SET a = excluded.a`,
		`INSERT INTO t (k, a, b) VALUES (?, ?, ?) ON CONFLICT (k) DO UPDATE SET a = t.a + excluded.a, b = excluded.b`,
		`INSERT INTO t (k, a, b) VALUES (?, ?, ?) ON CONFLICT (a) DO UPDATE SET k = excluded.k, b = excluded.b`,
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
