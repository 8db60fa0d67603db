-- The scheduling queue (issue 7): one row for each person the settlement
-- owes a review, a child's interview or a re-interview who has not had it,
-- projected from the family's current determination and records by the
-- transaction that stores them (app putQueue, through
-- sqlstore.Tx.PutQueue, its only writer), so that the queue page reads a
-- range of an index instead of expanding every family's result.
--
-- A row belongs to the family whose record stands for the person (in a
-- unit of linked families, the family of the person record the rules
-- kept), so that a member of a unit is listed once and the row's family
-- is the one the scheduling form opens.
CREATE TABLE schedule_queue (
    family_id    TEXT NOT NULL REFERENCES families (id),
    person       TEXT NOT NULL, -- the person's reference as the rules name it (SOURCE:SOURCE_ID)
    remedy       TEXT NOT NULL, -- PARENT_REVIEW_AND_INTERVIEW or CHILD_INTERVIEW
    person_id    TEXT NOT NULL, -- the person record's id, for the name and the links
    state        TEXT NOT NULL, -- the remedy's state, such as OWED or NONCOMPLIANT
    occasion     TEXT NOT NULL, -- the screening owed: SETTLEMENT_REVIEW or CHILD_INTERVIEW
    reinterview  INTEGER NOT NULL, -- 1 when an earlier decision did not stand
    -- The order of the queue: the day the first Option A election was
    -- received (YYYY-MM-DD), or '~' (after every date) when none was.
    wait_key     TEXT NOT NULL,
    interview_on TEXT NOT NULL, -- a pending screening's day; the row leaves the queue after it ('' none)
    booked       INTEGER NOT NULL, -- 1 when an appointment is SCHEDULED
    appt_id      TEXT NOT NULL, -- the earliest SCHEDULED appointment ('' none)
    appt_on      TEXT NOT NULL,
    appt_time    TEXT NOT NULL,
    appt_mode    TEXT NOT NULL,
    language     TEXT NOT NULL, -- the person's first language
    location     TEXT NOT NULL, -- IN_US, REMOVED or UNKNOWN (the rules')
    custody      TEXT NOT NULL, -- the latest custody episode's kind
    facility     TEXT NOT NULL,
    detained     INTEGER NOT NULL, -- that episode is DHS detention still open
    counsel      TEXT NOT NULL, -- counsel of record, "name (organisation)"; several joined by "; "
    PRIMARY KEY (family_id, person, remedy)
) WITHOUT ROWID;

-- The queue's order, the longest wait first; the primary key's columns
-- make each entry unique and serve as the keyset cursor.
CREATE INDEX schedule_queue_wait ON schedule_queue (wait_key, family_id, person, remedy);
-- The same order among those with, or without, an appointment booked.
CREATE INDEX schedule_queue_booked ON schedule_queue (booked, wait_key, family_id, person, remedy);

-- Families evaluated before this migration get their queue rows on their
-- next derivation: mark them.
UPDATE families SET dirty = 1 WHERE id IN (SELECT family_id FROM determinations);
