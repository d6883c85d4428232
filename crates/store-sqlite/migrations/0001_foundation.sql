-- The audit log and the staff set-up links.
-- Times are stored as UTC text, 'YYYY-MM-DDTHH:MM:SS.ffffffZ', so they sort as text.
-- Ids are UUIDs as lower-case hyphenated text.

CREATE TABLE audit_events (
    id          TEXT PRIMARY KEY NOT NULL,
    occurred_at TEXT NOT NULL,
    actor_kind  TEXT NOT NULL,
    actor_id    TEXT,
    action      TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    child_id    TEXT,
    subject     TEXT,
    detail      TEXT,
    source      TEXT
) STRICT;

CREATE INDEX audit_events_by_time ON audit_events (occurred_at);
CREATE INDEX audit_events_by_child ON audit_events (child_id, occurred_at);
CREATE INDEX audit_events_by_actor ON audit_events (actor_id, occurred_at);

-- The audit log is append-only.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;

CREATE TABLE staff_setup_links (
    id          TEXT PRIMARY KEY NOT NULL,
    email       TEXT NOT NULL,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
) STRICT;
