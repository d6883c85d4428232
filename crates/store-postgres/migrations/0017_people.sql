-- People (issue 19): whether an account may sign in. An administrator
-- deactivates a member of staff or disables a portal account ('disabled'); the
-- reason and time of the last change are kept beside it (the audit log keeps
-- every change). A staff set-up link an administrator withdrew works no more.
ALTER TABLE accounts ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
    CONSTRAINT accounts_status CHECK (status IN ('active', 'disabled'));
ALTER TABLE accounts ADD COLUMN status_reason TEXT;
ALTER TABLE accounts ADD COLUMN status_changed_at TIMESTAMPTZ;

ALTER TABLE staff_setup_links ADD COLUMN withdrawn_at TIMESTAMPTZ;

-- The people lists: each kind of account by name.
CREATE INDEX accounts_by_kind_name ON accounts (kind, name);
