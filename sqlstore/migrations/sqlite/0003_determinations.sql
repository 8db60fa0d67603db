-- Determinations: the rules' current result for each family, and the
-- decision log of every evaluation that changed it (V-2, H-6, R-SYS-8).

-- The rule-set versions evaluations were made under: the hash names the
-- rule book and the parameter values, kept here in full.
CREATE TABLE rule_versions (
    version    TEXT PRIMARY KEY,
    params     TEXT NOT NULL, -- JSON: every parameter's value in force
    first_used TEXT NOT NULL
);

CREATE TABLE determinations (
    family_id   TEXT PRIMARY KEY REFERENCES families (id),
    version     TEXT NOT NULL REFERENCES rule_versions (version),
    as_of       TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    result_hash TEXT NOT NULL, -- SHA-256 of the result without its as-of date
    result      TEXT NOT NULL  -- JSON
);
CREATE INDEX determinations_outcome ON determinations (outcome, family_id);

-- Each row is one evaluation that changed a family's stored result. The
-- inputs are named, not copied: inputs_hash is the SHA-256 of the family's
-- records as evaluated, and audit_seq the newest audit event at that time,
-- from which the records can be read back.
CREATE TABLE decisions (
    seq         INTEGER PRIMARY KEY,
    family_id   TEXT NOT NULL REFERENCES families (id),
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    cause       TEXT NOT NULL, -- the change that caused the evaluation
    version     TEXT NOT NULL REFERENCES rule_versions (version),
    as_of       TEXT NOT NULL,
    audit_seq   INTEGER NOT NULL,
    inputs_hash TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    previous    TEXT,          -- the outcome before
    result      TEXT NOT NULL  -- JSON
);
CREATE INDEX decisions_family ON decisions (family_id, seq);

CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN
    SELECT RAISE(ABORT, 'decisions is append-only');
END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN
    SELECT RAISE(ABORT, 'decisions is append-only');
END;
