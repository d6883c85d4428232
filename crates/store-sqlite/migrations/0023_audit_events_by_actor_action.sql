-- My Account's recent sign-ins (issue 17): an account's events of one action,
-- newest first. Without it the sign-ins were found through every account's
-- sign-ins by time, each looked up for its account: a read that grows with
-- the whole council's sign-ins since the account's tenth-last one.
CREATE INDEX audit_events_by_actor_action ON audit_events (actor_id, action, occurred_at);
