-- The families awaiting derivation, in id order. DeriveDirty takes them
-- 1,000 at a time; the index on dirty alone gave SQLite every dirty
-- family to sort for each chunk, so that deriving a freshly imported
-- registry of a million families sorted a million rows a thousand times.
-- Indexed by id, the next chunk after the last one is a range of the
-- index.
DROP INDEX families_dirty;
CREATE INDEX families_dirty ON families (id) WHERE dirty = 1;
