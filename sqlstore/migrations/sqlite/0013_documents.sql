-- Notices and outreach (issue 7).
--
-- Documents: the rendered notices and forms, keyed by the SHA-256 of their
-- bytes. A notice record (kind "notices") names its document by that hash,
-- so the record in the audit chain and the bytes given to the person can
-- always be matched. The table is content-addressed and write-once: the
-- same bytes are stored once however often they are issued, and the
-- triggers stop the program itself from ever changing or removing a
-- document a notice names.
CREATE TABLE documents (
    sha256     TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    media_type TEXT NOT NULL,
    size       INTEGER NOT NULL,
    bytes      BLOB NOT NULL,
    created_at TEXT NOT NULL,
    CHECK (size = length(bytes))
);
CREATE TRIGGER documents_no_update BEFORE UPDATE ON documents
BEGIN
    SELECT RAISE(ABORT, 'documents are write-once');
END;
CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents
BEGIN
    SELECT RAISE(ABORT, 'documents are write-once');
END;

-- The outreach queue: the people who must be reached and are not (a
-- removed parent with no contact attempt that reached him or her since the
-- removal; anyone whose latest notice came back returned, not reached or
-- refused), one row per person, projected from the family's own records by
-- the transaction that derives the family. The queue page reads these rows
-- in the order of "since" (the longest unreached first) instead of reading
-- every family's records on each view.
CREATE TABLE outreach (
    family_id      TEXT NOT NULL REFERENCES families (id),
    person         TEXT NOT NULL, -- the person's key, SOURCE:SOURCE_ID
    person_id      TEXT NOT NULL, -- the person record's id (persons.id)
    reasons        TEXT NOT NULL, -- REMOVED, NOTICE_FAILED, or both separated by a comma
    since          TEXT NOT NULL, -- YYYY-MM-DD: unreached since
    language       TEXT NOT NULL, -- the person's preferred language; '' if none on record
    attempts       INTEGER NOT NULL,
    last_on        TEXT NOT NULL, -- the last contact attempt; '' if none
    last_channel   TEXT NOT NULL,
    last_outcome   TEXT NOT NULL,
    notice_id      TEXT NOT NULL, -- the failed notice; '' if none
    notice_kind    TEXT NOT NULL,
    notice_outcome TEXT NOT NULL,
    PRIMARY KEY (family_id, person)
) WITHOUT ROWID;
CREATE INDEX outreach_since ON outreach (since, family_id, person);

-- Every family is derived again at the next start, which fills the queue.
UPDATE families SET dirty = 1;
