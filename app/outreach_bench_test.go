package app_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"rescreen/access"
	"rescreen/app"
	"rescreen/sqlstore"
)

// outreachStore returns a service on a store of n families whose
// projections are written directly: a person each, units spread over 20
// organisations, and one family in five on the outreach queue with a
// date spread over a year. It measures the queue's reads, not the
// derivation that writes the rows (which runs with every change).
func outreachStore(b *testing.B, n int) *app.Service {
	b.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(b.TempDir(), "o.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	seq := fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < %d) `, n-1)
	start := time.Now()
	err = db.WithTx(ctx, func(tx *sqlstore.Tx) error {
		for _, q := range []string{
			seq + `INSERT INTO families (id, source, source_id, stage, version, created_at, updated_at)
				SELECT printf('F-%08d', i), 'MANUAL', printf('F%08d', i), 'IDENTIFIED', 1, '2018-01-01', '2018-01-01' FROM n`,
			seq + `INSERT INTO records (id, kind, source, source_id, family_id, person_id, batch, data)
				SELECT printf('P-%08d', i), 'persons', 'MANUAL', printf('P%08d', i), printf('F-%08d', i), printf('P-%08d', i), 'b', '{}' FROM n`,
			seq + `INSERT INTO persons (id, family_id, role, name, birth_date, country, custody)
				SELECT printf('P-%08d', i), printf('F-%08d', i), 'PARENT', 'Nombre Apellido ' || i, '1985-01-01', 'GT', 'REMOVED' FROM n`,
			seq + `INSERT INTO family_units (unit, family_id) SELECT 'org:ORG' || (i % 20), printf('F-%08d', i) FROM n`,
			seq + `INSERT INTO outreach (family_id, person, person_id, reasons, since, language, attempts, last_on, last_channel, last_outcome, notice_id, notice_kind, notice_outcome)
				SELECT printf('F-%08d', i), printf('MANUAL:P%08d', i), printf('P-%08d', i), 'REMOVED', date('2018-06-01', '+' || (i % 365) || ' days'),
				'es', i % 4, '', '', '', '', '', '' FROM n WHERE i % 5 = 0`,
		} {
			if err := tx.Exec(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("wrote %d families in %s", n, time.Since(start).Round(time.Millisecond))
	s := app.New(db)
	s.Now = func() time.Time { return time.Date(2019, 6, 3, 9, 0, 0, 0, time.UTC) }
	return s
}

// BenchmarkOutreachPage measures one view of the outreach queue (a page of
// 50, the total and the masking) on RESCREEN_BENCH_FAMILIES families
// (default 100,000), 20,000 of them on the queue: for counsel who reaches
// every family, for counsel of one organisation (a twentieth of them),
// and a page deep in the queue.
func BenchmarkOutreachPage(b *testing.B) {
	n := benchFamilies()
	s := outreachStore(b, n)
	all := access.NewContext(context.Background(), access.Principal{User: "c", Roles: []access.Assignment{{Role: access.ClassCounsel, Scope: access.All}}})
	unit := access.NewContext(context.Background(), access.Principal{User: "c", Roles: []access.Assignment{{Role: access.ClassCounsel, Scope: access.Unit, Units: []string{"org:ORG5"}}}})
	mid, err := s.Outreach(all, "", 500)
	if err != nil || len(mid.Items) != 500 || mid.Total != (n+4)/5 {
		b.Fatalf("first page: %d items of %d, %v", len(mid.Items), mid.Total, err)
	}
	for _, c := range []struct {
		name  string
		ctx   context.Context
		after string
	}{{"all", all, ""}, {"one-organisation", unit, ""}, {"deep-page", all, mid.Next}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				p, err := s.Outreach(c.ctx, c.after, 0)
				if err != nil || len(p.Items) != 50 {
					b.Fatalf("%d items: %v", len(p.Items), err)
				}
			}
		})
	}
}
