-- Server-side sessions. Only a hash of the session id is kept.
CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY NOT NULL,
    account_id   TEXT,
    data         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
) STRICT;

CREATE INDEX sessions_by_account ON sessions (account_id);
CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);
