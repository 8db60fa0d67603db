-- The registry. Facts are kept as canonical JSON documents in records, one
-- row per agency record, keyed by kind, source and source id; the tables
-- persons, name_tokens and identifiers are search projections of those
-- documents, rewritten in the same transaction as the record.

CREATE TABLE families (
    id         TEXT PRIMARY KEY,
    source     TEXT NOT NULL,
    source_id  TEXT NOT NULL,
    stage      TEXT NOT NULL,
    version    INTEGER NOT NULL,
    dirty      INTEGER NOT NULL DEFAULT 0, -- derived state (stage) awaits recomputation
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (source, source_id)
);
CREATE INDEX families_stage ON families (stage, id);
CREATE INDEX families_dirty ON families (dirty) WHERE dirty = 1;

CREATE TABLE records (
    id        TEXT PRIMARY KEY,
    kind      TEXT NOT NULL,
    source    TEXT NOT NULL,
    source_id TEXT NOT NULL,
    family_id TEXT NOT NULL REFERENCES families (id),
    person_id TEXT,          -- the person the record is about, if any
    batch     TEXT NOT NULL, -- the import batch or change that wrote this version
    data      TEXT NOT NULL, -- canonical JSON of the record
    UNIQUE (kind, source, source_id)
);
CREATE INDEX records_family ON records (family_id);
CREATE INDEX records_person ON records (person_id) WHERE person_id IS NOT NULL;

CREATE TABLE persons (
    id         TEXT PRIMARY KEY REFERENCES records (id),
    family_id  TEXT NOT NULL REFERENCES families (id),
    role       TEXT NOT NULL,
    name       TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    country    TEXT NOT NULL,
    custody    TEXT NOT NULL
);
CREATE INDEX persons_family ON persons (family_id);
CREATE INDEX persons_country ON persons (country, id);

CREATE TABLE name_tokens (
    token     TEXT NOT NULL, -- lower case, accents removed
    person_id TEXT NOT NULL REFERENCES persons (id),
    PRIMARY KEY (token, person_id)
) WITHOUT ROWID;

CREATE TABLE identifiers (
    value     TEXT NOT NULL,
    kind      TEXT NOT NULL,
    record_id TEXT NOT NULL REFERENCES records (id),
    person_id TEXT NOT NULL,
    PRIMARY KEY (value, record_id)
) WITHOUT ROWID;

CREATE TABLE audit_events (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    family_id TEXT NOT NULL,
    subject   TEXT NOT NULL,
    before    BLOB,
    after     BLOB,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_family ON audit_events (family_id, seq);

CREATE TABLE import_batches (
    id         TEXT PRIMARY KEY,
    actor      TEXT NOT NULL,
    started_at TEXT NOT NULL,
    files      TEXT NOT NULL, -- JSON: path, size and SHA-256 of each file
    summary    TEXT          -- JSON counts, written when the batch finishes
);

-- The audit log is append-only. The hash chain detects tampering by anyone
-- with write access to the file; these triggers stop the program itself
-- from ever changing history by mistake.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
