-- The email outbox (DESIGN NTF-4). An email is written here in the same transaction
-- as the action that causes it; a worker leases due emails by moving
-- next_attempt_at to the end of its lease, then records each one sent or failed.
-- Times are UTC text as in 0001; ids are UUID text.

CREATE TABLE outbox_emails (
    id              TEXT PRIMARY KEY NOT NULL,
    recipient       TEXT NOT NULL,
    recipient_name  TEXT,
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    sent_at         TEXT
) STRICT;

-- The workers' question: which unsent emails are due?
CREATE INDEX outbox_emails_due ON outbox_emails (next_attempt_at) WHERE sent_at IS NULL;
-- The demo page: the newest emails.
CREATE INDEX outbox_emails_by_time ON outbox_emails (created_at);
