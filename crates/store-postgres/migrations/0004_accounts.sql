-- Accounts and what keeps signing in safe: password history, one-time codes,
-- reset links, recovery codes and throttles. Secrets are stored only as hashes
-- (Argon2id for passwords, SHA-256 for codes and tokens).

CREATE TABLE accounts (
    id                UUID PRIMARY KEY,
    kind              TEXT NOT NULL CHECK (kind IN ('citizen', 'professional', 'staff')),
    email             TEXT NOT NULL,
    name              TEXT NOT NULL,
    phone             TEXT,
    organisation      TEXT,
    job_role          TEXT,
    work_phone        TEXT,
    staff_role        TEXT,
    password_hash     TEXT NOT NULL,
    second_factor     TEXT NOT NULL,
    totp_secret       TEXT,
    totp_last_step    BIGINT,
    email_verified_at TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    CONSTRAINT accounts_professional CHECK ((kind = 'professional') = (organisation IS NOT NULL)),
    CONSTRAINT accounts_staff CHECK ((kind = 'staff') = (staff_role IS NOT NULL))
);

CREATE UNIQUE INDEX accounts_email ON accounts (email);

-- Earlier passwords, for the rule "different from your previous 8 passwords".
CREATE TABLE password_history (
    account_id    UUID NOT NULL REFERENCES accounts (id),
    password_hash TEXT NOT NULL,
    replaced_at   TIMESTAMPTZ NOT NULL
);

CREATE INDEX password_history_by_account ON password_history (account_id, replaced_at);

CREATE TABLE one_time_codes (
    id             UUID PRIMARY KEY,
    account_id     UUID NOT NULL REFERENCES accounts (id),
    purpose        TEXT NOT NULL,
    code_hash      TEXT NOT NULL,
    attempt_hash   TEXT NOT NULL,
    new_email      TEXT,
    created_at     TIMESTAMPTZ NOT NULL,
    expires_at     TIMESTAMPTZ NOT NULL,
    wrong_attempts INTEGER NOT NULL DEFAULT 0,
    used_at        TIMESTAMPTZ
);

CREATE INDEX one_time_codes_by_account ON one_time_codes (account_id, purpose, created_at);

CREATE TABLE password_reset_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    account_id UUID NOT NULL REFERENCES accounts (id),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);

CREATE INDEX password_reset_tokens_by_account ON password_reset_tokens (account_id, created_at);

CREATE TABLE recovery_codes (
    account_id UUID NOT NULL REFERENCES accounts (id),
    code_hash  TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    PRIMARY KEY (account_id, code_hash)
);

-- Failed sign-in attempts per key ('email:<sha-256>' or 'address:<ip>').
CREATE TABLE sign_in_throttles (
    key             TEXT PRIMARY KEY NOT NULL,
    failures        INTEGER NOT NULL,
    last_failure_at TIMESTAMPTZ NOT NULL
);
