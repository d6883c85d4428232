-- The audit log's search page (ADM-3): by kind of event, and by the person an
-- event was about (its subject, `account:<id>`), each newest first. The log stays
-- append-only (the triggers of 0001).
CREATE INDEX audit_events_by_action ON audit_events (action, occurred_at);
CREATE INDEX audit_events_by_subject ON audit_events (subject, occurred_at);
