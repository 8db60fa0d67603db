-- Users, their roles, sessions and API tokens (the access issue). A
-- password is kept only as its Argon2id hash; a session id and an API
-- token only as their SHA-256, so that a copy of the database signs no one
-- in. Nothing here is ever deleted: a user is disabled, a token revoked,
-- a session ended, each with its time, so that the audit log's actors
-- always name a row.
CREATE TABLE users (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,   -- the sign-in name, lower case
    display      TEXT NOT NULL DEFAULT '',
    hash         TEXT NOT NULL,          -- Argon2id, PHC string form
    created_at   TEXT NOT NULL,
    disabled_at  TEXT,
    failed       INTEGER NOT NULL DEFAULT 0, -- failed sign-ins since the last success
    locked_until TEXT
);

CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users (id),
    role    TEXT NOT NULL,
    scope   TEXT NOT NULL,               -- OWN, UNIT or ALL
    units   TEXT NOT NULL DEFAULT '[]',  -- JSON array of KIND:ID
    PRIMARY KEY (user_id, role)
) WITHOUT ROWID;

CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,         -- SHA-256 of the cookie's value
    user_id    TEXT NOT NULL REFERENCES users (id),
    csrf       TEXT NOT NULL,            -- the token every form of the session carries
    created_at TEXT NOT NULL,
    seen_at    TEXT NOT NULL,
    expires_at TEXT NOT NULL,            -- absolute expiry
    ended_at   TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    hash       TEXT NOT NULL UNIQUE,     -- SHA-256 of the token
    groups     TEXT NOT NULL,            -- JSON array of access groups the token may use, each with its level
    created_at TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
