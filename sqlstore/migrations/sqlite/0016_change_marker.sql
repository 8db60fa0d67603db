-- The change marker: the sequence number of the newest audit event that
-- records a change (every event but the access log's, access.*). Every
-- change to the registry appends such an event in its own transaction, so
-- the marker moves with every change and with nothing else: reads, which
-- the access log records too, leave it alone. A cache of what is computed
-- from the whole registry (the court status report) is keyed by it, and
-- reading it is one row, however long the chain.
CREATE TABLE change_marker (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    audit_seq INTEGER NOT NULL
);

-- The chain's head as the starting point: at worst one report too many is
-- computed, never one too few.
INSERT INTO change_marker (id, audit_seq) SELECT 1, COALESCE(MAX(seq), 0) FROM audit_events;

CREATE TRIGGER change_marker_audit AFTER INSERT ON audit_events
WHEN NEW.action NOT LIKE 'access.%'
BEGIN
    UPDATE change_marker SET audit_seq = NEW.seq WHERE id = 1;
END;
