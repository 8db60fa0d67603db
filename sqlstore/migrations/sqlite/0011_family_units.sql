-- The units each family's records name, for access control (package
-- access): "office:ZLA" for an asylum office of a screening,
-- "facility:..." for a DHS facility and "shelter:..." for an ORR shelter
-- of a custody episode, "org:..." for a counsel's organisation, and
-- "user:NAME" for the officer of a screening or the maker of a contact
-- attempt. A family of a unit of linked families carries the units of the
-- whole unit. Written by the derivation, in the transaction of every
-- change (the only writer); a user whose role has the UNIT or OWN scope
-- reaches the families listed under the user's units, so the check of one
-- family and the filter of a list each cost an indexed read.
CREATE TABLE family_units (
    unit      TEXT NOT NULL,
    family_id TEXT NOT NULL,
    PRIMARY KEY (unit, family_id)
) WITHOUT ROWID;
CREATE INDEX family_units_family ON family_units (family_id);

-- Every family is derived again at the next start, which fills the table.
UPDATE families SET dirty = 1;
