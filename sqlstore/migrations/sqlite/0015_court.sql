-- The court's record (issue 7): the cases the settlement resolves, the
-- courts' approvals of it, the class members' objections, and deadlines
-- entered by hand from court orders with their ledgers. Dates are
-- YYYY-MM-DD, times RFC 3339 in UTC. Nothing here is ever deleted: an
-- approval is corrected by a new entry, a ledger entry is undone by a
-- revocation, and the triggers below hold the program to it.

-- The cases. Their approval dates are not here: they are entered, with the
-- order that gave them, into court_approvals.
CREATE TABLE court_cases (
    id       TEXT PRIMARY KEY,           -- MS_L, MMM, DORA
    title    TEXT NOT NULL,
    court    TEXT NOT NULL,
    docket   TEXT NOT NULL,
    position INTEGER NOT NULL UNIQUE     -- the order of the pages
);
INSERT INTO court_cases (id, title, court, docket, position) VALUES
    ('MS_L', 'Ms. L. v. ICE', 'S.D. Cal.', '3:18-cv-00428-DMS-MDD', 1),
    ('MMM', 'M.M.M. v. Sessions', 'S.D. Cal.', '3:18-cv-01832', 2),
    ('DORA', 'Dora v. Sessions', 'D.D.C.', '1:18-cv-01938', 3);

CREATE TRIGGER court_cases_no_delete BEFORE DELETE ON court_cases
BEGIN
    SELECT RAISE(ABORT, 'court_cases are never deleted');
END;

-- Approvals, append-only. The entry in force for a case and kind is the
-- one no later entry corrects.
CREATE TABLE court_approvals (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES court_cases (id),
    kind        TEXT NOT NULL CHECK (kind IN ('PRELIMINARY', 'FINAL')),
    approved_on TEXT NOT NULL,
    order_ref   TEXT NOT NULL CHECK (order_ref <> ''),
    entered_by  TEXT NOT NULL,
    entered_at  TEXT NOT NULL,
    corrects    TEXT UNIQUE REFERENCES court_approvals (id),
    correction  TEXT NOT NULL DEFAULT '',
    CHECK (corrects IS NULL OR correction <> '')
);
CREATE INDEX court_approvals_case ON court_approvals (case_id, kind);

CREATE TRIGGER court_approvals_no_update BEFORE UPDATE ON court_approvals
BEGIN
    SELECT RAISE(ABORT, 'court_approvals is append-only');
END;
CREATE TRIGGER court_approvals_no_delete BEFORE DELETE ON court_approvals
BEGIN
    SELECT RAISE(ABORT, 'court_approvals is append-only');
END;

-- Objections. The forwarding and the ruling are recorded later, so a row
-- changes (each change audited, its version counted up); it is never
-- deleted.
CREATE TABLE court_objections (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES court_cases (id),
    person_id    TEXT,                   -- the objector's person record, when known
    family_id    TEXT REFERENCES families (id), -- that record's family
    name         TEXT NOT NULL DEFAULT '', -- the name as the objection writes it
    received_on  TEXT NOT NULL,
    channel      TEXT NOT NULL,
    language     TEXT NOT NULL DEFAULT '',
    summary      TEXT NOT NULL,
    counsel      TEXT NOT NULL DEFAULT '',
    forwarded_on TEXT,
    ruling       TEXT,
    ruling_on    TEXT,
    ruling_order TEXT NOT NULL DEFAULT '',
    entered_by   TEXT NOT NULL,
    entered_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    CHECK (person_id IS NOT NULL OR name <> ''),
    CHECK ((ruling IS NULL) = (ruling_on IS NULL))
);
CREATE INDEX court_objections_received ON court_objections (received_on DESC, id DESC);

CREATE TRIGGER court_objections_no_delete BEFORE DELETE ON court_objections
BEGIN
    SELECT RAISE(ABORT, 'court_objections are never deleted');
END;
CREATE TRIGGER court_objections_fixed BEFORE UPDATE OF id, case_id, person_id, family_id, name, received_on, channel, language, summary, counsel, entered_by, entered_at ON court_objections
BEGIN
    SELECT RAISE(ABORT, 'an objection as received is never changed');
END;

-- Deadlines entered from court orders. Only the completion (a fact that
-- may be corrected) ever changes; the rest is fixed when entered, and the
-- ledger is the only way to move the due date.
CREATE TABLE court_deadlines (
    id           TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    case_id      TEXT NOT NULL REFERENCES court_cases (id),
    order_ref    TEXT NOT NULL CHECK (order_ref <> ''),
    order_on     TEXT NOT NULL,
    family_id    TEXT REFERENCES families (id),
    person_id    TEXT,
    start_on     TEXT NOT NULL,
    length       INTEGER NOT NULL CHECK (length >= 0),
    unit         TEXT NOT NULL CHECK (unit IN ('CALENDAR_DAYS', 'BUSINESS_DAYS', 'MONTHS', 'YEARS')),
    completed_on TEXT,
    entered_by   TEXT NOT NULL,
    entered_at   TEXT NOT NULL,
    CHECK (person_id IS NULL OR family_id IS NOT NULL)
);
CREATE INDEX court_deadlines_family ON court_deadlines (family_id) WHERE family_id IS NOT NULL;

CREATE TRIGGER court_deadlines_no_delete BEFORE DELETE ON court_deadlines
BEGIN
    SELECT RAISE(ABORT, 'court_deadlines are never deleted');
END;
CREATE TRIGGER court_deadlines_fixed BEFORE UPDATE OF id, title, case_id, order_ref, order_on, family_id, person_id, start_on, length, unit, entered_by, entered_at ON court_deadlines
BEGIN
    SELECT RAISE(ABORT, 'a court-order deadline is changed only through its ledger');
END;

-- A deadline's ledger: numbered from 1 without gaps, append-only.
CREATE TABLE court_deadline_entries (
    deadline_id TEXT NOT NULL REFERENCES court_deadlines (id),
    n           INTEGER NOT NULL CHECK (n >= 1),
    kind        TEXT NOT NULL CHECK (kind IN ('HOLD', 'LIFT', 'EXTENSION', 'REVOCATION')),
    from_on     TEXT,                    -- HOLD
    to_on       TEXT,                    -- HOLD (NULL: until lifted), LIFT
    entry       INTEGER,                 -- LIFT, REVOCATION: the entry acted on
    granted_on  TEXT,                    -- EXTENSION
    days        INTEGER NOT NULL DEFAULT 0,
    months      INTEGER NOT NULL DEFAULT 0,
    until_on    TEXT,                    -- EXTENSION to a new due date
    reason      TEXT NOT NULL DEFAULT '',
    authority   TEXT NOT NULL CHECK (authority <> ''),
    entered_by  TEXT NOT NULL,
    entered_at  TEXT NOT NULL,
    PRIMARY KEY (deadline_id, n),
    CHECK (entry IS NULL OR (entry >= 1 AND entry < n))
) WITHOUT ROWID;

CREATE TRIGGER court_deadline_entries_in_order BEFORE INSERT ON court_deadline_entries
WHEN NEW.n <> (SELECT COALESCE(MAX(n), 0) + 1 FROM court_deadline_entries WHERE deadline_id = NEW.deadline_id)
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are numbered in order, without gaps');
END;
CREATE TRIGGER court_deadline_entries_no_update BEFORE UPDATE ON court_deadline_entries
BEGIN
    SELECT RAISE(ABORT, 'court_deadline_entries is append-only');
END;
CREATE TRIGGER court_deadline_entries_no_delete BEFORE DELETE ON court_deadline_entries
BEGIN
    SELECT RAISE(ABORT, 'court_deadline_entries is append-only');
END;
