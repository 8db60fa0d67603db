package app

import (
	"context"
	"encoding/json"
	"strings"

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
	return s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error { return tx.AppendAudit(ctx, ev) })
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
