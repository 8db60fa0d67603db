-- Re-scoring of person links. A person record whose links were not scored
-- against its current data is marked in link_stale; so is the person an
-- identifier record belongs to, since identifiers carry the A-numbers the
-- model compares. Triggers mark them, so every write path (import, a new
-- family, a change) is covered without the service layer remembering to.
--
-- marks counts the writes since the record was last scored. A scoring run
-- reads the marks before it reads the records and clears a mark only if its
-- count is still the one it read: a record written while the run works
-- stays marked, even if it was marked already.
CREATE TABLE link_stale (
    record_id TEXT PRIMARY KEY, -- a person record
    marks     INTEGER NOT NULL DEFAULT 1
);

CREATE TRIGGER link_stale_person_insert AFTER INSERT ON records
WHEN NEW.kind = 'persons'
BEGIN
    INSERT INTO link_stale (record_id) VALUES (NEW.id)
        ON CONFLICT (record_id) DO UPDATE SET marks = marks + 1;
END;

CREATE TRIGGER link_stale_person_update AFTER UPDATE ON records
WHEN NEW.kind = 'persons' AND (NEW.data IS NOT OLD.data)
BEGIN
    INSERT INTO link_stale (record_id) VALUES (NEW.id)
        ON CONFLICT (record_id) DO UPDATE SET marks = marks + 1;
END;

CREATE TRIGGER link_stale_identifier_insert AFTER INSERT ON records
WHEN NEW.kind = 'identifiers' AND NEW.person_id IS NOT NULL
BEGIN
    INSERT INTO link_stale (record_id) VALUES (NEW.person_id)
        ON CONFLICT (record_id) DO UPDATE SET marks = marks + 1;
END;

-- An identifier moved to another person changes both persons' A-numbers.
CREATE TRIGGER link_stale_identifier_update AFTER UPDATE ON records
WHEN NEW.kind = 'identifiers' AND (NEW.data IS NOT OLD.data OR NEW.person_id IS NOT OLD.person_id)
BEGIN
    INSERT INTO link_stale (record_id) SELECT NEW.person_id WHERE NEW.person_id IS NOT NULL
        ON CONFLICT (record_id) DO UPDATE SET marks = marks + 1;
    INSERT INTO link_stale (record_id) SELECT OLD.person_id WHERE OLD.person_id IS NOT NULL AND OLD.person_id IS NOT NEW.person_id
        ON CONFLICT (record_id) DO UPDATE SET marks = marks + 1;
END;

-- The model the last full linkage trained, as JSON (linkage.Model), so that
-- re-scoring a few records weighs them as the rest were weighed.
CREATE TABLE link_models (
    id         TEXT PRIMARY KEY, -- the model's version, as in link_candidates.model
    created_at TEXT NOT NULL,
    model      TEXT NOT NULL
);
