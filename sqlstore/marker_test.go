package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"rescreen"
	"rescreen/sqlstore"
)

// TestChangeMarker: the marker follows the audit events that record
// changes and ignores the access log's, and a rolled-back change leaves
// it where it was.
func TestChangeMarker(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t)
	marker := func() int64 {
		t.Helper()
		m, err := db.ChangeMarker(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	if m := marker(); m != 0 {
		t.Fatalf("a new store's marker is %d, want 0", m)
	}
	at := time.Date(2019, 6, 3, 9, 0, 0, 0, time.UTC)
	appendEvent := func(action string) int64 {
		t.Helper()
		var seq int64
		mustTx(t, db, func(tx *sqlstore.Tx) error {
			e := &rescreen.AuditEvent{At: at, Actor: "test", Action: action, Subject: "s"}
			if err := tx.AppendAudit(ctx, e); err != nil {
				return err
			}
			seq = e.Seq
			return nil
		})
		return seq
	}
	change := appendEvent("family.create")
	if m := marker(); m != change {
		t.Fatalf("after a change the marker is %d, want %d", m, change)
	}
	for _, a := range []string{"access.view", "access.api", "access.denied"} {
		appendEvent(a)
	}
	if m := marker(); m != change {
		t.Errorf("reads moved the marker to %d from %d", m, change)
	}
	again := appendEvent("records.change")
	if m := marker(); m != again || again <= change {
		t.Errorf("after a second change the marker is %d, want %d", m, again)
	}
	err := db.WithTx(ctx, func(tx *sqlstore.Tx) error {
		if err := tx.AppendAudit(ctx, &rescreen.AuditEvent{At: at, Actor: "test", Action: "records.change"}); err != nil {
			return err
		}
		return rescreen.Errorf(rescreen.EINVALID, "refused")
	})
	if err == nil {
		t.Fatal("the refused change committed")
	}
	if m := marker(); m != again {
		t.Errorf("a rolled-back change moved the marker to %d", m)
	}
}
