-- Indexes for three lookups that read a whole table each time, found by
-- the query-plan check (package sqlstore/plancheck), which asks SQLite how
-- it runs every statement the tests run:
--
-- * the A-numbers of a list of persons (the person search page, and the
--   linkage, which asks for every person's in chunks of 500: in a
--   registry of a million families it read 3.4 million identifier rows
--   4,300 times, and the linkage did not finish in 36 minutes);
-- * the identifier rows of one identifier record, which a change of the
--   record replaces;
-- * the deadlines page, in the order of due date, family, person and
--   clock: it read and sorted every deadline (4.7 million, 19 s, at a
--   million families) for each page.
CREATE INDEX identifiers_person ON identifiers (person_id, kind, value);
CREATE INDEX identifiers_record ON identifiers (record_id);
CREATE INDEX work_deadlines_due ON work_deadlines (due, family_id, person, clock);
