-- Facts: each family's records in the compact binary form of package
-- snapshot, kept beside the records as derived state (like the stage and
-- the determination), written in the transaction that derives the family.
-- A what-if comparison of the whole class reads these instead of decoding
-- every record's JSON. The layout names the encoding; a row written by
-- another layout is ignored and the family's records are read instead.
CREATE TABLE family_facts (
    family_id TEXT PRIMARY KEY REFERENCES families (id),
    layout    TEXT NOT NULL,
    data      BLOB NOT NULL
);

-- Families derived before this table existed get their facts on their
-- next derivation: mark them all.
UPDATE families SET dirty = 1;
