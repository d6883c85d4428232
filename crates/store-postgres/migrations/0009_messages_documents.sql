-- Messages about a child's case and the child's documents (DESIGN MSG-1 to
-- MSG-3, DOC-1): the council's message types, threads with their messages,
-- attachments, participants and who has read what, notification preferences,
-- and documents with whom each is shared.
-- Document kinds and file kinds are the codes of their send_domain enums;
-- SHA-256 is lowercase hex. Constraints are named as the store reports a
-- conflict.
-- Who did something (uploaded_by, started_by, author) is not a foreign key, as
-- in the audit log and the chronology: the record outlives the account. Nor is
-- `assigned_to`: a thread stays with whoever held it.

-- The kinds of message the council accepts. A retired type (`active` false)
-- stays on its threads but is not offered for new ones.
CREATE TABLE message_types (
    id     UUID PRIMARY KEY,
    name   TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    CONSTRAINT message_types_name UNIQUE (name)
);

-- The types every installation starts with (same ids on both databases).
INSERT INTO message_types (id, name, active) VALUES
    ('00000000-0000-4000-8000-000000000201', 'General enquiry', TRUE),
    ('00000000-0000-4000-8000-000000000202', 'Change of details', TRUE),
    ('00000000-0000-4000-8000-000000000203', 'Assessment question', TRUE),
    ('00000000-0000-4000-8000-000000000204', 'Complaint', TRUE);

-- A document of a child: the stored file's details (the bytes are in the file
-- store under `file_key`) and whom it is shared with. send_domain::Sharing is
-- `shared_with_all` true for everyone linked; else the people named in
-- document_shares, nobody when there are none. `shared_at` is when the sharing
-- last changed.
CREATE TABLE documents (
    id              UUID PRIMARY KEY,
    child_id        UUID NOT NULL REFERENCES children (id),
    kind            TEXT NOT NULL,
    description     TEXT NOT NULL,
    file_key        TEXT NOT NULL,
    file_name       TEXT NOT NULL,
    file_kind       TEXT NOT NULL,
    file_size       BIGINT NOT NULL,
    file_sha256     TEXT NOT NULL,
    uploaded_by     UUID NOT NULL,
    uploaded_at     TIMESTAMPTZ NOT NULL,
    shared_with_all BOOLEAN NOT NULL,
    shared_at       TIMESTAMPTZ,
    CONSTRAINT documents_file_key UNIQUE (file_key),
    CONSTRAINT documents_file_size CHECK (file_size >= 0)
);

CREATE INDEX documents_by_child ON documents (child_id, uploaded_at);

-- The portal users a document is shared with by name.
CREATE TABLE document_shares (
    document_id UUID NOT NULL REFERENCES documents (id),
    account_id  UUID NOT NULL REFERENCES accounts (id),
    PRIMARY KEY (document_id, account_id)
);

CREATE INDEX document_shares_by_account ON document_shares (account_id);

-- A conversation about one child's case. `waiting_since` is when the oldest
-- message from a portal user that the council has not answered was sent (NULL
-- when the council spoke last); the SEND team's inbox is found by it.
CREATE TABLE message_threads (
    id              UUID PRIMARY KEY,
    child_id        UUID NOT NULL REFERENCES children (id),
    message_type    UUID NOT NULL REFERENCES message_types (id),
    subject         TEXT NOT NULL,
    started_by      UUID NOT NULL,
    started_at      TIMESTAMPTZ NOT NULL,
    assigned_to     UUID,
    last_message_at TIMESTAMPTZ NOT NULL,
    waiting_since   TIMESTAMPTZ
);

CREATE INDEX message_threads_by_child ON message_threads (child_id, last_message_at);
CREATE INDEX message_threads_waiting ON message_threads (waiting_since)
    WHERE waiting_since IS NOT NULL;
CREATE INDEX message_threads_by_assignee ON message_threads (assigned_to);

-- The portal users in a thread.
CREATE TABLE thread_participants (
    thread_id  UUID NOT NULL REFERENCES message_threads (id),
    account_id UUID NOT NULL REFERENCES accounts (id),
    PRIMARY KEY (thread_id, account_id)
);

CREATE INDEX thread_participants_by_account ON thread_participants (account_id);

-- `from_council` is true when a member of staff wrote the message.
CREATE TABLE messages (
    id           UUID PRIMARY KEY,
    thread_id    UUID NOT NULL REFERENCES message_threads (id),
    author       UUID NOT NULL,
    from_council BOOLEAN NOT NULL,
    body         TEXT NOT NULL,
    sent_at      TIMESTAMPTZ NOT NULL
);

CREATE INDEX messages_by_thread ON messages (thread_id, sent_at);

-- The documents attached to a message, in the order given (`position` from 0).
CREATE TABLE message_attachments (
    message_id  UUID NOT NULL REFERENCES messages (id),
    document_id UUID NOT NULL REFERENCES documents (id),
    position    INTEGER NOT NULL,
    PRIMARY KEY (message_id, document_id)
);

-- Up to when each person has read each thread (never moves back).
CREATE TABLE thread_reads (
    thread_id  UUID NOT NULL REFERENCES message_threads (id),
    account_id UUID NOT NULL REFERENCES accounts (id),
    read_up_to TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (thread_id, account_id)
);

-- Whether someone wants an email when a message arrives; no row means yes.
CREATE TABLE message_preferences (
    account_id UUID PRIMARY KEY REFERENCES accounts (id),
    emails     BOOLEAN NOT NULL
);
