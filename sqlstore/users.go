package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"rescreen"
	"rescreen/access"
)

// UserRow is a user as stored.
type UserRow struct {
	ID          string
	Name        string
	Display     string
	Hash        string
	CreatedAt   time.Time
	DisabledAt  time.Time // zero while the user may sign in
	Failed      int       // failed sign-ins since the last success
	LockedUntil time.Time // zero when not locked
}

const userSelect = `SELECT id, name, display, hash, created_at, COALESCE(disabled_at, ''), failed, COALESCE(locked_until, '') FROM users`

func scanUser(row rowScanner) (UserRow, bool, error) {
	var u UserRow
	var created, disabled, locked string
	err := row.Scan(&u.ID, &u.Name, &u.Display, &u.Hash, &created, &disabled, &u.Failed, &locked)
	if errors.Is(err, sql.ErrNoRows) {
		return u, false, nil
	}
	if err != nil {
		return u, false, translate("user", err)
	}
	u.CreatedAt = parseTime(created)
	if disabled != "" {
		u.DisabledAt = parseTime(disabled)
	}
	if locked != "" {
		u.LockedUntil = parseTime(locked)
	}
	return u, true, nil
}

// InsertUser adds a user; a name already taken is ECONFLICT.
func (tx *Tx) InsertUser(ctx context.Context, u UserRow) error {
	if taken, err := tx.exists(ctx, `SELECT 1 FROM users WHERE name = ?`, u.Name); err != nil {
		return err
	} else if taken {
		return rescreen.Errorf(rescreen.ECONFLICT, "the user name %q is taken", u.Name)
	}
	_, err := tx.exec(ctx, `INSERT INTO users (id, name, display, hash, created_at) VALUES (?, ?, ?, ?, ?)`,
		u.ID, u.Name, u.Display, u.Hash, formatTime(u.CreatedAt))
	return translate("insert user", err)
}

// UserByName returns the user with the sign-in name.
func (tx *Tx) UserByName(ctx context.Context, name string) (UserRow, bool, error) {
	return scanUser(tx.queryRow(ctx, userSelect+` WHERE name = ?`, name))
}

// UserByID returns the user with the id.
func (tx *Tx) UserByID(ctx context.Context, id string) (UserRow, bool, error) {
	return scanUser(tx.queryRow(ctx, userSelect+` WHERE id = ?`, id))
}

// UserByName returns the user with the sign-in name.
func (db *DB) UserByName(ctx context.Context, name string) (UserRow, bool, error) {
	return scanUser(db.read.QueryRowContext(ctx, userSelect+` WHERE name = ?`, name))
}

// UserByID returns the user with the id.
func (db *DB) UserByID(ctx context.Context, id string) (UserRow, bool, error) {
	return scanUser(db.read.QueryRowContext(ctx, userSelect+` WHERE id = ?`, id))
}

// Users returns every user, by name.
func (db *DB) Users(ctx context.Context) ([]UserRow, error) {
	rows, err := db.read.QueryContext(ctx, userSelect+` ORDER BY name`)
	if err != nil {
		return nil, translate("users", err)
	}
	defer rows.Close()
	var out []UserRow
	for rows.Next() {
		u, _, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, translate("users", rows.Err())
}

// SetSignInState stores a user's count of failed sign-ins and the time
// the account is locked until (zero: not locked).
func (tx *Tx) SetSignInState(ctx context.Context, id string, failed int, lockedUntil time.Time) error {
	var locked any
	if !lockedUntil.IsZero() {
		locked = formatTime(lockedUntil)
	}
	_, err := tx.exec(ctx, `UPDATE users SET failed = ?, locked_until = ? WHERE id = ?`, failed, locked, id)
	return translate("sign-in state", err)
}

// SetUserHash replaces a user's password hash.
func (tx *Tx) SetUserHash(ctx context.Context, id, hash string) error {
	_, err := tx.exec(ctx, `UPDATE users SET hash = ? WHERE id = ?`, hash, id)
	return translate("user hash", err)
}

// DisableUser marks the user disabled from the time given.
func (tx *Tx) DisableUser(ctx context.Context, id string, at time.Time) error {
	_, err := tx.exec(ctx, `UPDATE users SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL`, formatTime(at), id)
	return translate("disable user", err)
}

// SetRoles replaces the user's roles.
func (tx *Tx) SetRoles(ctx context.Context, userID string, roles []access.Assignment) error {
	if _, err := tx.exec(ctx, `DELETE FROM user_roles WHERE user_id = ?`, userID); err != nil {
		return translate("set roles", err)
	}
	for _, a := range roles {
		units, err := json.Marshal(append([]string{}, a.Units...))
		if err != nil {
			return rescreen.WrapError(rescreen.EINTERNAL, "set roles", err, "")
		}
		if _, err := tx.exec(ctx, `INSERT INTO user_roles (user_id, role, scope, units) VALUES (?, ?, ?, ?)`, userID, a.Role, a.Scope, string(units)); err != nil {
			return translate("set roles", err)
		}
	}
	return nil
}

func roles(ctx context.Context, q querier, userID string) ([]access.Assignment, error) {
	rows, err := q.QueryContext(ctx, `SELECT role, scope, units FROM user_roles WHERE user_id = ? ORDER BY role`, userID)
	if err != nil {
		return nil, translate("roles", err)
	}
	defer rows.Close()
	var out []access.Assignment
	for rows.Next() {
		var r roleCols
		if err := rows.Scan(&r.role, &r.scope, &r.units); err != nil {
			return nil, translate("roles", err)
		}
		a, err := r.assignment()
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, translate("roles", rows.Err())
}

// roleCols are a user_roles row's columns as scanned.
type roleCols struct{ role, scope, units string }

func (r roleCols) assignment() (access.Assignment, error) {
	a := access.Assignment{Role: access.Role(r.role), Scope: access.Scope(r.scope)}
	if err := json.Unmarshal([]byte(r.units), &a.Units); err != nil {
		return a, rescreen.WrapError(rescreen.EINTERNAL, "roles", err, "")
	}
	return a, nil
}

// UserWithRoles returns the user with the id and the user's roles, in one
// query: every request signed in by a token or a session asks for both.
func (db *DB) UserWithRoles(ctx context.Context, id string) (UserRow, []access.Assignment, bool, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT u.id, u.name, u.display, u.hash, u.created_at, COALESCE(u.disabled_at, ''), u.failed, COALESCE(u.locked_until, ''),
		COALESCE(r.role, ''), COALESCE(r.scope, ''), COALESCE(r.units, '')
		FROM users u LEFT JOIN user_roles r ON r.user_id = u.id WHERE u.id = ? ORDER BY r.role`, id)
	if err != nil {
		return UserRow{}, nil, false, translate("user", err)
	}
	defer rows.Close()
	var u UserRow
	var out []access.Assignment
	found := false
	for rows.Next() {
		var r roleCols
		if u, _, err = scanUser(withRole{rows, &r}); err != nil {
			return UserRow{}, nil, false, err
		}
		found = true
		if r.role == "" { // the user has no role: the join's one row
			continue
		}
		a, err := r.assignment()
		if err != nil {
			return UserRow{}, nil, false, err
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return UserRow{}, nil, false, translate("user", err)
	}
	return u, out, found, nil
}

// withRole scans a user's columns followed by a role's.
type withRole struct {
	rows *sql.Rows
	r    *roleCols
}

func (w withRole) Scan(dest ...any) error {
	return w.rows.Scan(append(dest, &w.r.role, &w.r.scope, &w.r.units)...)
}

// Roles returns the user's roles.
func (tx *Tx) Roles(ctx context.Context, userID string) ([]access.Assignment, error) {
	return roles(ctx, txQuerier{tx}, userID)
}

// Roles returns the user's roles.
func (db *DB) Roles(ctx context.Context, userID string) ([]access.Assignment, error) {
	return roles(ctx, db.read, userID)
}

// SessionRow is a session as stored: the hash of its id, never the id.
type SessionRow struct {
	IDHash    string
	UserID    string
	CSRF      string
	CreatedAt time.Time
	SeenAt    time.Time
	ExpiresAt time.Time
	EndedAt   time.Time
}

// InsertSession stores a new session.
func (tx *Tx) InsertSession(ctx context.Context, s SessionRow) error {
	_, err := tx.exec(ctx, `INSERT INTO sessions (id_hash, user_id, csrf, created_at, seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		s.IDHash, s.UserID, s.CSRF, formatTime(s.CreatedAt), formatTime(s.SeenAt), formatTime(s.ExpiresAt))
	return translate("insert session", err)
}

// Session returns the session whose id hashes to idHash.
func (db *DB) Session(ctx context.Context, idHash string) (SessionRow, bool, error) {
	var s SessionRow
	var created, seen, expires, ended string
	err := db.read.QueryRowContext(ctx, `SELECT id_hash, user_id, csrf, created_at, seen_at, expires_at, COALESCE(ended_at, '') FROM sessions WHERE id_hash = ?`, idHash).
		Scan(&s.IDHash, &s.UserID, &s.CSRF, &created, &seen, &expires, &ended)
	if errors.Is(err, sql.ErrNoRows) {
		return s, false, nil
	}
	if err != nil {
		return s, false, translate("session", err)
	}
	s.CreatedAt, s.SeenAt, s.ExpiresAt = parseTime(created), parseTime(seen), parseTime(expires)
	if ended != "" {
		s.EndedAt = parseTime(ended)
	}
	return s, true, nil
}

// TouchSession records that the session was used.
func (tx *Tx) TouchSession(ctx context.Context, idHash string, at time.Time) error {
	_, err := tx.exec(ctx, `UPDATE sessions SET seen_at = ? WHERE id_hash = ?`, formatTime(at), idHash)
	return translate("touch session", err)
}

// EndSession ends the session; ending one already ended changes nothing.
func (tx *Tx) EndSession(ctx context.Context, idHash string, at time.Time) error {
	_, err := tx.exec(ctx, `UPDATE sessions SET ended_at = ? WHERE id_hash = ? AND ended_at IS NULL`, formatTime(at), idHash)
	return translate("end session", err)
}

// EndUserSessions ends every open session of the user (a disabled user, a
// changed password).
func (tx *Tx) EndUserSessions(ctx context.Context, userID string, at time.Time) error {
	_, err := tx.exec(ctx, `UPDATE sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL`, formatTime(at), userID)
	return translate("end sessions", err)
}

// TokenRow is an API token as stored: the hash of the token, never the
// token.
type TokenRow struct {
	ID        string
	UserID    string
	Hash      string
	Groups    []access.Need
	CreatedAt time.Time
	ExpiresAt time.Time // zero: no expiry
	RevokedAt time.Time
}

// InsertToken stores a new API token.
func (tx *Tx) InsertToken(ctx context.Context, t TokenRow) error {
	groups, err := json.Marshal(t.Groups)
	if err != nil {
		return rescreen.WrapError(rescreen.EINTERNAL, "insert token", err, "")
	}
	var expires any
	if !t.ExpiresAt.IsZero() {
		expires = formatTime(t.ExpiresAt)
	}
	_, err = tx.exec(ctx, `INSERT INTO api_tokens (id, user_id, hash, groups, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		t.ID, t.UserID, t.Hash, string(groups), formatTime(t.CreatedAt), expires)
	return translate("insert token", err)
}

const tokenSelect = `SELECT id, user_id, hash, groups, created_at, COALESCE(expires_at, ''), COALESCE(revoked_at, '') FROM api_tokens`

func scanToken(row rowScanner) (TokenRow, bool, error) {
	var t TokenRow
	var groups, created, expires, revoked string
	err := row.Scan(&t.ID, &t.UserID, &t.Hash, &groups, &created, &expires, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return t, false, nil
	}
	if err != nil {
		return t, false, translate("token", err)
	}
	if err := json.Unmarshal([]byte(groups), &t.Groups); err != nil {
		return t, false, rescreen.WrapError(rescreen.EINTERNAL, "token", err, "")
	}
	t.CreatedAt = parseTime(created)
	if expires != "" {
		t.ExpiresAt = parseTime(expires)
	}
	if revoked != "" {
		t.RevokedAt = parseTime(revoked)
	}
	return t, true, nil
}

// TokenByHash returns the token whose hash is given.
func (db *DB) TokenByHash(ctx context.Context, hash string) (TokenRow, bool, error) {
	return scanToken(db.read.QueryRowContext(ctx, tokenSelect+` WHERE hash = ?`, hash))
}

// TokenByID returns the token with the id.
func (tx *Tx) TokenByID(ctx context.Context, id string) (TokenRow, bool, error) {
	return scanToken(tx.queryRow(ctx, tokenSelect+` WHERE id = ?`, id))
}

// RevokeToken marks the token revoked from the time given.
func (tx *Tx) RevokeToken(ctx context.Context, id string, at time.Time) error {
	_, err := tx.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, formatTime(at), id)
	return translate("revoke token", err)
}
