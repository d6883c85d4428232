-- Per-account sending limits: how many messages one person sent recently is
-- read by author and time.
CREATE INDEX messages_by_author ON messages (author, sent_at);
