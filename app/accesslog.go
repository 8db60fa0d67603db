package app

import (
	"context"
	"encoding/json"
	"strings"
	"sync"

	"rescreen"
	"rescreen/access"
	"rescreen/sqlstore"
)

// The service is the server's AuthService and AccessService.
var (
	_ rescreen.AuthService   = (*Service)(nil)
	_ rescreen.AccessService = (*Service)(nil)
)

// PersonFamily returns the family of a person record.
func (s *Service) PersonFamily(ctx context.Context, id rescreen.PersonID) (rescreen.FamilyID, error) {
	row, ok, err := s.DB.Record(ctx, string(id))
	if err != nil {
		return "", err
	}
	if !ok || row.Kind != rescreen.KindPersons {
		return "", rescreen.Errorf(rescreen.ENOTFOUND, "person %s not found", id)
	}
	return row.FamilyID, nil
}

// LinkFamilies returns the families of a link candidate's two records.
func (s *Service) LinkFamilies(ctx context.Context, id string) ([]rescreen.FamilyID, error) {
	c, ok, err := s.DB.LinkCandidate(ctx, id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, rescreen.Errorf(rescreen.ENOTFOUND, "link candidate %s not found", id)
	}
	return []rescreen.FamilyID{c.Left.FamilyID, c.Right.FamilyID}, nil
}

// accessAudit is what the audit chain keeps of an access: the route, not
// the path or the query, so no name or A-number a URL might carry.
type accessAudit struct {
	Method string `json:"method"`
	Route  string `json:"route"`
	Status int    `json:"status,omitempty"`
	Token  string `json:"token,omitempty"`
	Denied string `json:"denied,omitempty"`
}

// LogAccess appends an access to the audit chain: "access.view" for a
// read of a family, "access.api" for a call of the API, "access.denied"
// for a request the policy refused. The actor is the request's.
func (s *Service) LogAccess(ctx context.Context, e rescreen.AccessEvent) error {
	action := "access.view"
	switch {
	case e.Denied != "":
		action = "access.denied"
	case e.Token != "" || strings.HasPrefix(e.Route, "/api/"):
		action = "access.api"
	}
	after, err := json.Marshal(accessAudit{Method: e.Method, Route: e.Route, Status: e.Status, Token: e.Token, Denied: e.Denied})
	if err != nil {
		return rescreen.WrapError(rescreen.EINTERNAL, "log access", err, "")
	}
	ev := &rescreen.AuditEvent{At: s.Now().UTC(), Actor: rescreen.ActorFrom(ctx), Action: action, FamilyID: e.Family, Subject: e.Route, After: after}
	return s.accessLog.append(context.WithoutCancel(ctx), s.DB, ev)
}

// maxAccessBatch bounds the access events one transaction appends.
const maxAccessBatch = 512

// accessBatch appends access events to the audit chain by group commit.
// Every read of a family appends one, and the chain takes one writer at a
// time, so a transaction per read would cap reads at the rate of commits.
// Instead the first caller to find no writer at work becomes the writer
// and appends, in one transaction, its own event and those of every caller
// that queued meanwhile, up to maxAccessBatch; then it hands over to the
// next queued caller, if any. Every caller returns only once its own event
// is committed (or has failed), so a request whose access is not in the
// chain is not answered as if it were: nothing is held in memory
// uncommitted, and a crash loses only requests not yet answered. Alone,
// a caller commits at once, with no wait for company.
type accessBatch struct {
	mu      sync.Mutex
	queue   []*accessWait
	writing bool
}

type accessWait struct {
	ev     *rescreen.AuditEvent
	done   chan error
	leader chan struct{} // closed when this caller is to write the next batch
}

func (b *accessBatch) append(ctx context.Context, db *sqlstore.DB, ev *rescreen.AuditEvent) error {
	w := &accessWait{ev: ev, done: make(chan error, 1), leader: make(chan struct{})}
	b.mu.Lock()
	b.queue = append(b.queue, w)
	if b.writing {
		b.mu.Unlock()
		select {
		case err := <-w.done:
			return err
		case <-w.leader:
		}
	} else {
		b.writing = true
		b.mu.Unlock()
	}
	// This caller writes: take the queue (its own event is in it, since a
	// caller is made leader only while queued), commit, answer everyone.
	b.mu.Lock()
	n := min(len(b.queue), maxAccessBatch)
	batch := b.queue[:n:n]
	b.queue = b.queue[n:]
	b.mu.Unlock()
	err := db.WithTx(ctx, func(tx *sqlstore.Tx) error {
		for _, q := range batch {
			if err := tx.AppendAudit(ctx, q.ev); err != nil {
				return err
			}
		}
		return nil
	})
	for _, q := range batch {
		q.done <- err
	}
	b.mu.Lock()
	if len(b.queue) > 0 {
		close(b.queue[0].leader)
	} else {
		b.writing = false
	}
	b.mu.Unlock()
	return <-w.done
}

// AuditLog returns the family's audit events, newest first.
func (s *Service) AuditLog(ctx context.Context, id rescreen.FamilyID, before int64, limit int) ([]rescreen.AuditEvent, error) {
	switch {
	case limit == 0:
		limit = 200
	case limit < 0 || limit > 1000:
		return nil, rescreen.Errorf(rescreen.EINVALID, "limit: must be between 1 and 1000")
	}
	if _, err := s.DB.FamilyRow(ctx, id); err != nil {
		return nil, err
	}
	evs, err := s.DB.FamilyAudit(ctx, id, before, limit)
	if err != nil {
		return nil, err
	}
	lvs, err := s.levelsOf(ctx, []rescreen.FamilyID{id})
	if err != nil || lvs == nil {
		return evs, err
	}
	// The records an event changed are shown only to a principal who may
	// read every group of the family; another sees who did what, when.
	for _, g := range []access.Group{access.Identity, access.Minors, access.Custody, access.Screenings, access.ScreeningNotes, access.Elections, access.Contact, access.Returns} {
		if !canRead(lvs[id], g) {
			for i := range evs {
				evs[i].Before, evs[i].After = nil, nil
			}
			break
		}
	}
	return evs, nil
}
