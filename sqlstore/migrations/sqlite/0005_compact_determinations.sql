-- A determination's result is stored either as JSON (format 'json', every
-- row written before this migration) or in the rules' binary compact form
-- (format 'compact'), about a fifth of the size, which the service expands
-- on read with an engine of the same rule-set version.
ALTER TABLE determinations ADD COLUMN format TEXT NOT NULL DEFAULT 'json';
