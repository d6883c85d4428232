-- Portal users and children's cases (DESIGN LNK-1 to LNK-5): invitations for
-- family contacts, the per-child links every portal request is checked against,
-- and professionals' requests waiting for the SEND team.
-- Roles, stages, statuses, outcomes and how identity was checked are the codes
-- of their send_domain enums; hashes are SHA-256 as lowercase hex. Dates are
-- 'YYYY-MM-DD' text; times and ids as in 0001.
-- Who did something (created_by, verified_by, accepted_by, decided_by,
-- status_by) is not a foreign key, as in the audit log and the chronology: the
-- record outlives the account.

-- An invitation with each of its steps in columns of their own (NULL until
-- taken). `stage` is send_domain::Invitation::stage of the row, written with
-- every change, so a step is guarded on it and the SEND team's list found by it.
-- `contact_id` is not a foreign key: a family contact can be removed, and the
-- invitation sent to them is kept.
CREATE TABLE portal_invitations (
    id               TEXT PRIMARY KEY NOT NULL,
    child_id         TEXT NOT NULL REFERENCES children (id),
    contact_id       TEXT,
    name             TEXT NOT NULL,
    email            TEXT NOT NULL,
    role             TEXT NOT NULL,
    reference_hash   TEXT NOT NULL,
    failed_checks    INTEGER NOT NULL,
    created_by       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    stage            TEXT NOT NULL,
    verified_by      TEXT,
    verified_at      TEXT,
    verified_how     TEXT,
    link_hash        TEXT,
    link_sent_at     TEXT,
    link_expires_at  TEXT,
    accepted_by      TEXT,
    accepted_at      TEXT,
    decision_outcome TEXT,
    decided_by       TEXT,
    decided_at       TEXT,
    decision_reason  TEXT,
    CONSTRAINT portal_invitations_failed_checks CHECK (failed_checks >= 0),
    CONSTRAINT portal_invitations_link_hash UNIQUE (link_hash),
    CONSTRAINT portal_invitations_verification CHECK (
        (verified_by IS NULL) = (verified_at IS NULL)
        AND (verified_at IS NULL) = (verified_how IS NULL)),
    CONSTRAINT portal_invitations_link CHECK (
        (link_hash IS NULL) = (link_sent_at IS NULL)
        AND (link_sent_at IS NULL) = (link_expires_at IS NULL)),
    CONSTRAINT portal_invitations_acceptance CHECK ((accepted_by IS NULL) = (accepted_at IS NULL)),
    CONSTRAINT portal_invitations_decision CHECK (
        (decision_outcome IS NULL) = (decided_by IS NULL)
        AND (decided_by IS NULL) = (decided_at IS NULL)
        AND (decided_at IS NOT NULL OR decision_reason IS NULL))
) STRICT;

CREATE INDEX portal_invitations_by_child ON portal_invitations (child_id);
CREATE INDEX portal_invitations_by_stage ON portal_invitations (stage, accepted_at);

-- What a professional typed to find a child they work with, and how the SEND
-- team decided (`decided_at` NULL: still waiting; `matched_child` NULL once
-- decided: declined). Identifiers are stored as their parsers normalise them.
CREATE TABLE child_link_requests (
    id              TEXT PRIMARY KEY NOT NULL,
    account_id      TEXT NOT NULL REFERENCES accounts (id),
    first_name      TEXT NOT NULL,
    last_name       TEXT NOT NULL,
    date_of_birth   TEXT NOT NULL,
    setting         TEXT,
    upn             TEXT,
    uln             TEXT,
    nhs_number      TEXT,
    postcode        TEXT,
    relationship    TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    matched_child   TEXT REFERENCES children (id),
    decided_by      TEXT,
    decided_at      TEXT,
    decision_reason TEXT,
    CONSTRAINT child_link_requests_decision CHECK (
        (decided_by IS NULL) = (decided_at IS NULL)
        AND (decided_at IS NOT NULL OR (matched_child IS NULL AND decision_reason IS NULL)))
) STRICT;

CREATE INDEX child_link_requests_waiting ON child_link_requests (created_at)
    WHERE decided_at IS NULL;
CREATE INDEX child_link_requests_by_account ON child_link_requests (account_id, created_at);

-- A portal user's link to one child's case, at most one per person and child.
-- `status_by` is NULL while the person's own request waits.
CREATE TABLE portal_links (
    id            TEXT PRIMARY KEY NOT NULL,
    child_id      TEXT NOT NULL REFERENCES children (id),
    account_id    TEXT NOT NULL REFERENCES accounts (id),
    role          TEXT NOT NULL,
    status        TEXT NOT NULL,
    status_since  TEXT NOT NULL,
    status_by     TEXT,
    invitation_id TEXT REFERENCES portal_invitations (id),
    request_id    TEXT REFERENCES child_link_requests (id),
    created_at    TEXT NOT NULL,
    CONSTRAINT portal_links_child_account UNIQUE (child_id, account_id)
) STRICT;

CREATE INDEX portal_links_by_account ON portal_links (account_id);
