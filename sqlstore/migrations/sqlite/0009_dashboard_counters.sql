-- Counters for the dashboard. Counting the holds and the overdue deadlines
-- by scanning work_holds and work_deadlines took 240 ms of the dashboard's
-- 445 ms on a store of 100,000 families (465,000 deadline rows), and it
-- grows with the store. The transaction that writes a family's work rows
-- (sqlstore.Tx.PutWork, the only writer of those tables) now also keeps
-- these counts, from the difference between the family's old rows and its
-- new ones:
--
--   held_families ''               families with a member held
--   held_members  ''               members held, a member of a unit once
--   due           'YYYY-MM-DD|T-2' open or missed deadlines by due date and
--                                  clock, a member's deadline once
--   first_due     'YYYY-MM-DD'     families by their earliest such deadline
--
-- so that the dashboard reads the overdue ones as a range of a primary key
-- (due dates before today), however large the store. Triggers would keep
-- them too, but each trigger statement costs microseconds per row in the
-- pure-Go SQLite, which the writes of a bulk import would pay.
CREATE TABLE stat_counts (
    dim   TEXT NOT NULL,
    value TEXT NOT NULL,
    n     INTEGER NOT NULL,
    PRIMARY KEY (dim, value)
) WITHOUT ROWID;

-- The title of each deadline clock, for the dashboard's table.
CREATE TABLE work_clocks (
    clock TEXT PRIMARY KEY,
    title TEXT NOT NULL
) WITHOUT ROWID;

-- Whether a member is held, or has a deadline, in another family of a unit.
CREATE INDEX work_holds_person ON work_holds (person);
CREATE INDEX work_deadlines_person ON work_deadlines (person, clock, due);
-- Counting the children under five is a range of this index: the persons
-- born in the last five years, not the whole table.
CREATE INDEX persons_birth ON persons (birth_date);
DROP INDEX work_deadlines_due;

INSERT INTO stat_counts (dim, value, n)
SELECT 'held_families', '', COUNT(DISTINCT family_id) FROM work_holds;
INSERT INTO stat_counts (dim, value, n)
SELECT 'held_members', '', COUNT(DISTINCT person) FROM work_holds;
INSERT INTO stat_counts (dim, value, n)
SELECT 'due', due || '|' || clock, COUNT(*) FROM (SELECT DISTINCT person, clock, due FROM work_deadlines) GROUP BY due, clock;
INSERT INTO stat_counts (dim, value, n)
SELECT 'first_due', d, COUNT(*) FROM (SELECT MIN(due) AS d FROM work_deadlines GROUP BY family_id) GROUP BY d;
INSERT INTO work_clocks (clock, title)
SELECT clock, MIN(title) FROM work_deadlines GROUP BY clock;
