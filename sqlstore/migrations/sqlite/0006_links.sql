-- Links between person records: every scored pair the registry keeps, and
-- the append-only history of its state. A link never edits a record: the
-- records keep the family and person their source gave them, and a link
-- (or a split, which rejects it) only changes how they are joined.
CREATE TABLE link_candidates (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,     -- SAME_PERSON or PARENT_CHILD
    left_record  TEXT NOT NULL REFERENCES records (id),
    right_record TEXT NOT NULL REFERENCES records (id),
    left_family  TEXT NOT NULL REFERENCES families (id),
    right_family TEXT NOT NULL REFERENCES families (id),
    probability  REAL NOT NULL,
    weight       REAL NOT NULL,
    fields       TEXT NOT NULL,     -- JSON: each field's values, level and weight
    model        TEXT NOT NULL,     -- the linkage model's version
    state        TEXT NOT NULL,     -- REVIEW, LINKED, CONFIRMED, REJECTED, DROPPED
    decided_by   TEXT,
    decided_at   TEXT,
    reason       TEXT,
    updated_at   TEXT NOT NULL,
    UNIQUE (kind, left_record, right_record)
);
CREATE INDEX link_candidates_state ON link_candidates (state, probability DESC, id);
CREATE INDEX link_candidates_left_family ON link_candidates (left_family);
CREATE INDEX link_candidates_right_family ON link_candidates (right_family);

CREATE TABLE link_decisions (
    seq       INTEGER PRIMARY KEY,
    candidate TEXT NOT NULL REFERENCES link_candidates (id),
    state     TEXT NOT NULL,
    previous  TEXT,
    actor     TEXT NOT NULL,
    at        TEXT NOT NULL,
    reason    TEXT
);
CREATE INDEX link_decisions_candidate ON link_decisions (candidate, seq);

CREATE TRIGGER link_decisions_no_update BEFORE UPDATE ON link_decisions
BEGIN
    SELECT RAISE(ABORT, 'link_decisions is append-only');
END;
CREATE TRIGGER link_decisions_no_delete BEFORE DELETE ON link_decisions
BEGIN
    SELECT RAISE(ABORT, 'link_decisions is append-only');
END;
