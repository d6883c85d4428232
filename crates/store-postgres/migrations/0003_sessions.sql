-- Server-side sessions. Only a hash of the session id is kept.
CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    account_id   UUID,
    data         TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX sessions_by_account ON sessions (account_id);
CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);
