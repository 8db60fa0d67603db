-- Report facts: each family's contribution to the court status report
-- (package report's Contribution) as of the day it was last evaluated,
-- written in the transaction that stores its determination, so that a
-- report as of that day sums these rows instead of evaluating every family
-- again. A row counts only for its key: its date, its rule-set version and
-- its definitions version (report_keys, a few rows, so that a report tells
-- a matching row by one integer). A family of a unit (joined to others by
-- links) has a row with no body: the report evaluates its unit.
--
-- When a family is marked dirty its row loses its key (0, no key) until
-- the family is derived again, so a row never outlives the records it was
-- made from. Rows are kept, not deleted: every family derived once has
-- one, and a report finds the families it must evaluate by the index on
-- the key, without a look-up per family.
CREATE TABLE report_keys (
    id           INTEGER PRIMARY KEY,
    as_of        TEXT NOT NULL,
    rule_version TEXT NOT NULL,
    definitions  TEXT NOT NULL,
    UNIQUE (as_of, rule_version, definitions)
);

CREATE TABLE report_facts (
    family_id TEXT PRIMARY KEY REFERENCES families (id),
    key_id    INTEGER NOT NULL,
    body      BLOB
);
CREATE INDEX report_facts_key ON report_facts (key_id);
CREATE INDEX report_facts_units ON report_facts (key_id, family_id) WHERE body IS NULL;

CREATE TRIGGER report_facts_dirty AFTER UPDATE OF dirty ON families WHEN NEW.dirty = 1
BEGIN
    UPDATE report_facts SET key_id = 0 WHERE family_id = NEW.id;
END;
