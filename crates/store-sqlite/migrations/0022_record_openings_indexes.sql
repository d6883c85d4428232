-- "Who has looked at this record" on the SEND Dashboard (issue 17): staff
-- openings of a child's record by action, and a professional's openings of
-- the child's dashboard by account, so the query never reads the family's own
-- views of the dashboard, which grow with every visit.
CREATE INDEX audit_events_by_child_action ON audit_events (child_id, action, occurred_at);
CREATE INDEX audit_events_by_child_actor ON audit_events (child_id, actor_id, action, occurred_at);
