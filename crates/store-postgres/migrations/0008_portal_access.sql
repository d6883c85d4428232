-- Portal users and children's cases (DESIGN LNK-1 to LNK-5): invitations for
-- family contacts, the per-child links every portal request is checked against,
-- and professionals' requests waiting for the SEND team.
-- Roles, stages, statuses, outcomes and how identity was checked are the codes
-- of their send_domain enums; hashes are SHA-256 as lowercase hex. Constraints
-- are named as the store reports a conflict.
-- Who did something (created_by, verified_by, accepted_by, decided_by,
-- status_by) is not a foreign key, as in the audit log and the chronology: the
-- record outlives the account.

-- An invitation with each of its steps in columns of their own (NULL until
-- taken). `stage` is send_domain::Invitation::stage of the row, written with
-- every change, so a step is guarded on it and the SEND team's list found by it.
-- `contact_id` is not a foreign key: a family contact can be removed, and the
-- invitation sent to them is kept.
CREATE TABLE portal_invitations (
    id               UUID PRIMARY KEY,
    child_id         UUID NOT NULL REFERENCES children (id),
    contact_id       UUID,
    name             TEXT NOT NULL,
    email            TEXT NOT NULL,
    role             TEXT NOT NULL,
    reference_hash   TEXT NOT NULL,
    failed_checks    INTEGER NOT NULL,
    created_by       UUID NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    stage            TEXT NOT NULL,
    verified_by      UUID,
    verified_at      TIMESTAMPTZ,
    verified_how     TEXT,
    link_hash        TEXT,
    link_sent_at     TIMESTAMPTZ,
    link_expires_at  TIMESTAMPTZ,
    accepted_by      UUID,
    accepted_at      TIMESTAMPTZ,
    decision_outcome TEXT,
    decided_by       UUID,
    decided_at       TIMESTAMPTZ,
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
);

CREATE INDEX portal_invitations_by_child ON portal_invitations (child_id);
CREATE INDEX portal_invitations_by_stage ON portal_invitations (stage, accepted_at);

-- What a professional typed to find a child they work with, and how the SEND
-- team decided (`decided_at` NULL: still waiting; `matched_child` NULL once
-- decided: declined). Identifiers are stored as their parsers normalise them.
CREATE TABLE child_link_requests (
    id              UUID PRIMARY KEY,
    account_id      UUID NOT NULL REFERENCES accounts (id),
    first_name      TEXT NOT NULL,
    last_name       TEXT NOT NULL,
    date_of_birth   DATE NOT NULL,
    setting         TEXT,
    upn             TEXT,
    uln             TEXT,
    nhs_number      TEXT,
    postcode        TEXT,
    relationship    TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    matched_child   UUID REFERENCES children (id),
    decided_by      UUID,
    decided_at      TIMESTAMPTZ,
    decision_reason TEXT,
    CONSTRAINT child_link_requests_decision CHECK (
        (decided_by IS NULL) = (decided_at IS NULL)
        AND (decided_at IS NOT NULL OR (matched_child IS NULL AND decision_reason IS NULL)))
);

CREATE INDEX child_link_requests_waiting ON child_link_requests (created_at)
    WHERE decided_at IS NULL;
CREATE INDEX child_link_requests_by_account ON child_link_requests (account_id, created_at);

-- A portal user's link to one child's case, at most one per person and child.
-- `status_by` is NULL while the person's own request waits.
CREATE TABLE portal_links (
    id            UUID PRIMARY KEY,
    child_id      UUID NOT NULL REFERENCES children (id),
    account_id    UUID NOT NULL REFERENCES accounts (id),
    role          TEXT NOT NULL,
    status        TEXT NOT NULL,
    status_since  TIMESTAMPTZ NOT NULL,
    status_by     UUID,
    invitation_id UUID REFERENCES portal_invitations (id),
    request_id    UUID REFERENCES child_link_requests (id),
    created_at    TIMESTAMPTZ NOT NULL,
    CONSTRAINT portal_links_child_account UNIQUE (child_id, account_id)
);

CREATE INDEX portal_links_by_account ON portal_links (account_id);
