-- The dashboard and the search (issue 5).
--
-- Work: the removal holds in force and the deadlines that are or may become
-- overdue, projected from each family's current determination by the
-- transaction that stores it. The determination itself is stored in the
-- rules' compact binary form, which only Go can read; counting holds and
-- overdue deadlines from it would mean expanding every family's result on
-- every view of the dashboard. These rows let SQL count them instead.
CREATE TABLE work_holds (
    family_id TEXT NOT NULL REFERENCES families (id),
    person    TEXT NOT NULL, -- the member's reference as the rules name it (SOURCE:SOURCE_ID)
    PRIMARY KEY (family_id, person)
) WITHOUT ROWID;

-- Only deadlines that are OPEN (due, or not yet due, when the family was
-- last evaluated) or MISSED are kept: a met, ended or inapplicable deadline
-- is never overdue work.
CREATE TABLE work_deadlines (
    family_id TEXT NOT NULL REFERENCES families (id),
    person    TEXT NOT NULL,
    clock     TEXT NOT NULL, -- the rules' clock id, such as T-2
    title     TEXT NOT NULL,
    due       TEXT NOT NULL, -- YYYY-MM-DD
    status    TEXT NOT NULL  -- OPEN or MISSED
);
CREATE INDEX work_deadlines_family ON work_deadlines (family_id);
CREATE INDEX work_deadlines_due ON work_deadlines (due, status);

-- The vocabulary of name words: every folded word name_search holds, with
-- its phonetic key (linkage.Phonetic) and its length. Phonetic search looks
-- a query word's key up here, and fuzzy search compares the query word
-- with the words of about its length; both then find the persons through
-- name_search by the words they found. A word is never removed: one no
-- longer on record finds nobody.
CREATE TABLE name_words (
    word TEXT PRIMARY KEY,
    key  TEXT NOT NULL, -- '' until the service computes it (words of a store made before this migration)
    len  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX name_words_key ON name_words (key);
CREATE INDEX name_words_len ON name_words (len, word);

-- The words already indexed for search, their keys left for the service to
-- compute (SQL cannot).
WITH RECURSIVE split (word, rest) AS (
    SELECT '', words || ' ' FROM name_search
    UNION ALL
    SELECT substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1) FROM split WHERE rest <> ''
)
INSERT OR IGNORE INTO name_words (word, key, len)
SELECT word, '', length(word) FROM split WHERE word <> '';

-- Families evaluated before this migration get their work rows on their
-- next derivation: mark them.
UPDATE families SET dirty = 1 WHERE id IN (SELECT family_id FROM determinations);
