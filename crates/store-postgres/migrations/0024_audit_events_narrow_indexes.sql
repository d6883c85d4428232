-- The audit log's indexes, each kept to the events its reads look for (issue
-- 17). Every view of a child's record writes an event, and every index entry at
-- a random place in a large b-tree is a page read, changed and written again:
-- in a batch of 10,000 page views' events on a generated council's SQLite file,
-- the four indexes replaced here were nearly two-thirds of each event's cost.
-- Most events are the family's own views of the SEND Dashboard, which none of
-- these reads look for.
--
-- "Who has looked at this record": staff openings of a child's record.
DROP INDEX audit_events_by_child_action;
CREATE INDEX audit_events_staff_openings ON audit_events (child_id, occurred_at)
    WHERE action = 'child.viewed';
-- The linked professionals' openings of the child's dashboard are found by
-- each professional's own events (`audit_events_by_actor`): a professional's
-- events are few, a child's dashboard views are many.
DROP INDEX audit_events_by_child_actor;
-- My Account's recent sign-ins and the staff list's last sign-in.
DROP INDEX audit_events_by_actor_action;
CREATE INDEX audit_events_sign_ins ON audit_events (actor_id, occurred_at)
    WHERE action = 'sign_in.completed';
-- The audit log's search for a person: events about their account. Other
-- subjects (a child, a conversation, a form) are found by their own columns.
DROP INDEX audit_events_by_subject;
CREATE INDEX audit_events_about_accounts ON audit_events (subject, occurred_at)
    WHERE subject LIKE 'account:%';
