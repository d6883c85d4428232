-- The email outbox (DESIGN NTF-4). An email is written here in the same transaction
-- as the action that causes it; a worker leases due emails (FOR UPDATE SKIP LOCKED,
-- so several portal instances share the work) by moving next_attempt_at to the end
-- of its lease, then records each one sent or failed.

CREATE TABLE outbox_emails (
    id              UUID PRIMARY KEY,
    recipient       TEXT NOT NULL,
    recipient_name  TEXT,
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TIMESTAMPTZ NOT NULL,
    last_error      TEXT,
    sent_at         TIMESTAMPTZ
);

-- The workers' question: which unsent emails are due?
CREATE INDEX outbox_emails_due ON outbox_emails (next_attempt_at) WHERE sent_at IS NULL;
-- The demo page: the newest emails.
CREATE INDEX outbox_emails_by_time ON outbox_emails (created_at);
