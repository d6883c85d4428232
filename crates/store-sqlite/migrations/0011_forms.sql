-- Forms (DESIGN FRM-1 to FRM-4): the council's forms with their working copy,
-- their published versions, forms given to a child's portal users (actions
-- when they have a due date), saved answers (save and return) and submissions.
-- Definitions and answers are send_domain's serde JSON, kept as the text
-- written: the store never looks inside them. Portal roles are the codes of
-- send_domain::PortalRole. Dates are 'YYYY-MM-DD' text; times and ids as in
-- 0001. Constraints are named as the store reports a conflict.
-- Who did something (created_by, approval_requested_by, published_by,
-- assigned_by, author, submitted_by) is not a foreign key, as in the audit log
-- and the chronology: the record outlives the account.

-- A form: its working copy (`draft`, with its `title` copied out for ordering)
-- and the number of its live version (NULL until first published). `version`
-- moves on with every change, as in 0010. `builtin` is the code of the
-- built-in form it is, at most one form per code.
CREATE TABLE forms (
    id                    TEXT PRIMARY KEY NOT NULL,
    title                 TEXT NOT NULL,
    draft                 TEXT NOT NULL,
    version               INTEGER NOT NULL,
    live_version          INTEGER,
    approval_requested_by TEXT,
    approval_requested_at TEXT,
    retired_at            TEXT,
    builtin               TEXT,
    created_by            TEXT NOT NULL,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    CONSTRAINT forms_approval_requested CHECK (
        (approval_requested_by IS NULL) = (approval_requested_at IS NULL))
) STRICT;

CREATE UNIQUE INDEX forms_builtin ON forms (builtin);

-- A published version: a numbered copy of the working copy, never changed.
CREATE TABLE form_versions (
    form_id      TEXT NOT NULL REFERENCES forms (id),
    number       INTEGER NOT NULL,
    definition   TEXT NOT NULL,
    published_by TEXT NOT NULL,
    published_at TEXT NOT NULL,
    CONSTRAINT form_versions_number PRIMARY KEY (form_id, number)
) STRICT;

-- A form given to a child's portal users. send_domain::AssignedTo is `to_kind`
-- ('everyone_linked', 'role' or 'person', its serde tags) with the role or the
-- person it names. `completed_by` is the submission that completed it (the
-- first one).
CREATE TABLE form_assignments (
    id           TEXT PRIMARY KEY NOT NULL,
    form_id      TEXT NOT NULL REFERENCES forms (id),
    child_id     TEXT NOT NULL REFERENCES children (id),
    to_kind      TEXT NOT NULL,
    to_role      TEXT,
    to_user      TEXT REFERENCES accounts (id),
    due          TEXT,
    assigned_by  TEXT NOT NULL,
    assigned_at  TEXT NOT NULL,
    completed_by TEXT REFERENCES submissions (id),
    withdrawn_at TEXT,
    CONSTRAINT form_assignments_to CHECK (
        (to_kind = 'everyone_linked' AND to_role IS NULL AND to_user IS NULL)
        OR (to_kind = 'role' AND to_role IS NOT NULL AND to_user IS NULL)
        OR (to_kind = 'person' AND to_role IS NULL AND to_user IS NOT NULL))
) STRICT;

CREATE INDEX form_assignments_by_child ON form_assignments (child_id, assigned_at);

-- A submitted form, pinned to the version answered. `title` is the form's
-- title in that version; `reference` is given to the person.
CREATE TABLE submissions (
    id             TEXT PRIMARY KEY NOT NULL,
    reference      TEXT NOT NULL,
    form_id        TEXT NOT NULL,
    version_number INTEGER NOT NULL,
    title          TEXT NOT NULL,
    child_id       TEXT REFERENCES children (id),
    assignment_id  TEXT REFERENCES form_assignments (id),
    submitted_by   TEXT NOT NULL,
    answers        TEXT NOT NULL,
    submitted_at   TEXT NOT NULL,
    FOREIGN KEY (form_id, version_number) REFERENCES form_versions (form_id, number)
) STRICT;

CREATE UNIQUE INDEX submissions_reference ON submissions (reference);
CREATE INDEX submissions_by_child ON submissions (child_id, submitted_at);
CREATE INDEX submissions_by_form ON submissions (form_id, submitted_at);
CREATE INDEX submissions_by_submitter ON submissions (submitted_by, submitted_at);
CREATE INDEX submissions_by_time ON submissions (submitted_at);

-- One person's saved answers to one form, for one child or (`child_id` NULL)
-- none: one row each, so the unique index counts no child as one value.
CREATE TABLE form_drafts (
    form_id        TEXT NOT NULL,
    child_id       TEXT REFERENCES children (id),
    author         TEXT NOT NULL,
    version_number INTEGER NOT NULL,
    answers        TEXT NOT NULL,
    assignment_id  TEXT REFERENCES form_assignments (id),
    started_at     TEXT NOT NULL,
    saved_at       TEXT NOT NULL,
    FOREIGN KEY (form_id, version_number) REFERENCES form_versions (form_id, number)
) STRICT;

CREATE UNIQUE INDEX form_drafts_one_each
    ON form_drafts (form_id, COALESCE(child_id, ''), author);
CREATE INDEX form_drafts_by_author ON form_drafts (author, saved_at);
CREATE INDEX form_drafts_by_child ON form_drafts (child_id);

-- Building forms is a permission of its own (publishing them stays
-- `publish_forms`); the default administrators' group grants it, as
-- send_domain::default_permissions does.
INSERT INTO permission_group_permissions (group_id, permission) VALUES
    ('00000000-0000-4000-8000-000000000003', 'build_forms');
