-- The scheduling queue by unit (issue 7). A principal whose scope is a
-- list of units (an asylum office, a facility, an organisation) sees the
-- queue of the families those units reach. Filtering the queue's order by
-- family_units made SQLite gather every queue row of the reach and sort
-- them: 130 ms a page for one asylum office reaching two thirds of 100,000
-- families. This table holds each queue row once for each unit of its
-- family, booked or not, in the queue's order, so a unit's page is a range
-- of its primary key (two, booked and not, for the whole queue); the store
-- merges the ranges of a principal's units. It is written with
-- schedule_queue by sqlstore.Tx.PutQueue, in the transaction that derives
-- the family, from the family_units the same transaction wrote, and has no
-- other index, so that each entry costs one B-tree's write: a queue row
-- keeps the units it was entered under (units, one per line), which give
-- the keys of its entries when it is replaced.
ALTER TABLE schedule_queue ADD COLUMN units TEXT NOT NULL DEFAULT '';

CREATE TABLE schedule_queue_units (
    unit      TEXT NOT NULL,
    booked    INTEGER NOT NULL, -- 1 when an appointment is SCHEDULED
    wait_key  TEXT NOT NULL,
    family_id TEXT NOT NULL,
    person    TEXT NOT NULL,
    remedy    TEXT NOT NULL,
    PRIMARY KEY (unit, booked, wait_key, family_id, person, remedy)
) WITHOUT ROWID;

-- The rows already queued get their entries on their family's next
-- derivation: mark them.
UPDATE families SET dirty = 1 WHERE id IN (SELECT DISTINCT family_id FROM schedule_queue);
