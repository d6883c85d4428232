-- The back office: teams, permission groups and staff membership; children, their
-- family contacts and their chronology (DESIGN ACC-8, CASE-1).
-- The `created_at` of teams and groups and the `updated_at` of staff members are
-- the time of the change as its audit event records it (NULL when it had none):
-- the store never reads a clock of its own.
-- Dates are 'YYYY-MM-DD' text; times and ids as in 0001.

CREATE TABLE teams (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    created_at TEXT
) STRICT;

CREATE UNIQUE INDEX teams_name ON teams (name);

-- The team every installation starts with (send_domain::DEFAULT_TEAM).
INSERT INTO teams (id, name, created_at)
VALUES ('00000000-0000-4000-8000-000000000101', 'SEND team', '2026-01-01T00:00:00.000000Z');

CREATE TABLE permission_groups (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    created_at TEXT
) STRICT;

CREATE UNIQUE INDEX permission_groups_name ON permission_groups (name);

-- Permission codes as in send_domain::Permission.
CREATE TABLE permission_group_permissions (
    group_id   TEXT NOT NULL REFERENCES permission_groups (id),
    permission TEXT NOT NULL,
    PRIMARY KEY (group_id, permission)
) STRICT;

-- The groups every installation starts with (send_domain::DEFAULT_GROUPS), each
-- granting default_permissions of its role.
INSERT INTO permission_groups (id, name, created_at) VALUES
    ('00000000-0000-4000-8000-000000000001', 'Caseworkers', '2026-01-01T00:00:00.000000Z'),
    ('00000000-0000-4000-8000-000000000002', 'Team managers', '2026-01-01T00:00:00.000000Z'),
    ('00000000-0000-4000-8000-000000000003', 'Portal administrators', '2026-01-01T00:00:00.000000Z');

INSERT INTO permission_group_permissions (group_id, permission) VALUES
    ('00000000-0000-4000-8000-000000000001', 'view_cases'),
    ('00000000-0000-4000-8000-000000000001', 'edit_cases'),
    ('00000000-0000-4000-8000-000000000001', 'process_forms'),
    ('00000000-0000-4000-8000-000000000001', 'manage_portal_users'),
    ('00000000-0000-4000-8000-000000000002', 'view_cases'),
    ('00000000-0000-4000-8000-000000000002', 'edit_cases'),
    ('00000000-0000-4000-8000-000000000002', 'process_forms'),
    ('00000000-0000-4000-8000-000000000002', 'manage_portal_users'),
    ('00000000-0000-4000-8000-000000000002', 'view_reports'),
    ('00000000-0000-4000-8000-000000000003', 'view_cases'),
    ('00000000-0000-4000-8000-000000000003', 'manage_portal_users'),
    ('00000000-0000-4000-8000-000000000003', 'manage_staff'),
    ('00000000-0000-4000-8000-000000000003', 'publish_forms'),
    ('00000000-0000-4000-8000-000000000003', 'view_reports'),
    ('00000000-0000-4000-8000-000000000003', 'view_audit'),
    ('00000000-0000-4000-8000-000000000003', 'all_teams');

-- A member of staff's team (none yet: NULL) and groups.
CREATE TABLE staff_members (
    account_id TEXT PRIMARY KEY NOT NULL REFERENCES accounts (id),
    team_id    TEXT REFERENCES teams (id),
    updated_at TEXT
) STRICT;

CREATE TABLE staff_group_memberships (
    account_id TEXT NOT NULL REFERENCES staff_members (account_id),
    group_id   TEXT NOT NULL REFERENCES permission_groups (id),
    PRIMARY KEY (account_id, group_id)
) STRICT;

-- What a set-up link makes its new member of staff: the team and groups they join.
ALTER TABLE staff_setup_links ADD COLUMN team_id TEXT REFERENCES teams (id);

CREATE TABLE staff_setup_link_groups (
    link_id  TEXT NOT NULL REFERENCES staff_setup_links (id),
    group_id TEXT NOT NULL REFERENCES permission_groups (id),
    PRIMARY KEY (link_id, group_id)
) STRICT;

-- Identifiers are stored as their parsers normalise them (capitals, no spaces),
-- so searches compare them exactly.
CREATE TABLE children (
    id               TEXT PRIMARY KEY NOT NULL,
    team_id          TEXT NOT NULL REFERENCES teams (id),
    legal_first_name TEXT NOT NULL,
    legal_last_name  TEXT NOT NULL,
    preferred_name   TEXT,
    date_of_birth    TEXT NOT NULL,
    sex              TEXT NOT NULL,
    ethnicity        TEXT,
    upn              TEXT,
    uln              TEXT,
    nhs_number       TEXT,
    address_line_1   TEXT,
    address_line_2   TEXT,
    town             TEXT,
    postcode         TEXT,
    setting          TEXT,
    primary_need     TEXT,
    secondary_need   TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;

CREATE INDEX children_by_upn ON children (upn);
CREATE INDEX children_by_uln ON children (uln);
CREATE INDEX children_by_nhs_number ON children (nhs_number);
CREATE INDEX children_by_postcode ON children (postcode);
CREATE INDEX children_by_date_of_birth ON children (date_of_birth);
CREATE INDEX children_by_team ON children (team_id);

CREATE TABLE family_contacts (
    id                      TEXT PRIMARY KEY NOT NULL,
    child_id                TEXT NOT NULL REFERENCES children (id),
    name                    TEXT NOT NULL,
    relationship            TEXT NOT NULL,
    email                   TEXT,
    phone                   TEXT,
    parental_responsibility INTEGER NOT NULL CHECK (parental_responsibility IN (0, 1))
) STRICT;

CREATE INDEX family_contacts_by_child ON family_contacts (child_id);

-- `actor_id` is not a foreign key, as in the audit log: the record of who did
-- something outlives their account.
CREATE TABLE chronology_entries (
    id          TEXT PRIMARY KEY NOT NULL,
    child_id    TEXT NOT NULL REFERENCES children (id),
    occurred_at TEXT NOT NULL,
    actor_id    TEXT,
    kind        TEXT NOT NULL,
    summary     TEXT NOT NULL,
    note        TEXT
) STRICT;

CREATE INDEX chronology_entries_by_child ON chronology_entries (child_id, occurred_at);
