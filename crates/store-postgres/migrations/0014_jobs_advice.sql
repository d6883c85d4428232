-- Jobs (DESIGN NTF-4) and requests for advice with their reminders (NTF-1, NTF-2).
-- Codes are those of their send_domain enums.

-- Work done later. A job is written with the change that causes it; a worker
-- claims due jobs (status 'running', a fresh claim and a lease), then marks one
-- done in the same transaction as its work, only while it still holds the claim.
CREATE TABLE jobs (
    id          UUID PRIMARY KEY,
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL,
    job_key     TEXT NOT NULL,
    subject     TEXT NOT NULL,
    run_at      TIMESTAMPTZ NOT NULL,
    status      TEXT NOT NULL
                CHECK (status IN ('queued', 'running', 'done', 'dead', 'cancelled')),
    attempts    INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    claim       UUID,
    lease_until TIMESTAMPTZ,
    last_error  TEXT,
    created_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ
);

-- The same reminder is scheduled once.
CREATE UNIQUE INDEX jobs_key ON jobs (job_key);
-- The workers' questions: which queued jobs are due, whose lease has ended.
CREATE INDEX jobs_due ON jobs (run_at) WHERE status = 'queued';
CREATE INDEX jobs_leased ON jobs (lease_until) WHERE status = 'running';
-- Cancelling every job of a subject (advice received stops its reminders).
CREATE INDEX jobs_by_subject ON jobs (subject);
-- The operators' list.
CREATE INDEX jobs_by_status ON jobs (status, run_at);

-- A request for advice on an involvement (reg 6 and 8). A request to someone
-- without a portal account carries a single-use link (its SHA-256 hash only),
-- which links the account that opens it to this request alone.
CREATE TABLE advice_requests (
    id               UUID PRIMARY KEY,
    child_id         UUID NOT NULL REFERENCES children (id),
    involvement_id   UUID NOT NULL REFERENCES involvements (id),
    kind             TEXT NOT NULL,
    recipient        TEXT NOT NULL,
    email            TEXT,
    professional_id  UUID REFERENCES accounts (id),
    answer_by        TEXT NOT NULL CHECK (answer_by IN ('form', 'upload')),
    form_id          UUID REFERENCES forms (id),
    sent_on          DATE NOT NULL,
    due_on           DATE NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('awaited', 'received', 'withdrawn')),
    received_on      DATE,
    submission_id    UUID REFERENCES submissions (id),
    document_id      UUID REFERENCES documents (id),
    withdrawn_on     DATE,
    withdrawn_reason TEXT,
    link_hash        TEXT,
    link_expires_at  TIMESTAMPTZ,
    link_used_at     TIMESTAMPTZ,
    requested_by     UUID NOT NULL REFERENCES accounts (id),
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1
);

CREATE INDEX advice_requests_by_involvement ON advice_requests (involvement_id, sent_on);
CREATE INDEX advice_requests_by_child ON advice_requests (child_id, sent_on);
-- "Advice requested from you": a professional's awaited requests by due date.
CREATE INDEX advice_requests_by_professional ON advice_requests (professional_id, due_on);
-- The overdue view: awaited requests by due date.
-- A single-use link sent to someone without an account is found by its hash.
CREATE UNIQUE INDEX advice_requests_link_hash ON advice_requests (link_hash);
CREATE INDEX advice_requests_awaited ON advice_requests (due_on) WHERE status = 'awaited';

-- The council's reminder schedule per kind of advice; a kind without a row uses
-- the default (2 weeks before the due date, on the day, 1 week after).
-- before_days and after_days are comma-separated days ('14', '7,14', '').
CREATE TABLE advice_reminder_schedules (
    kind        TEXT PRIMARY KEY,
    before_days TEXT NOT NULL,
    on_the_day  BOOLEAN NOT NULL,
    after_days  TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
