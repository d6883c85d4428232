-- The back office: teams, permission groups and staff membership; children, their
-- family contacts and their chronology (DESIGN ACC-8, CASE-1).
-- The `created_at` of teams and groups and the `updated_at` of staff members are
-- the time of the change as its audit event records it (NULL when it had none):
-- the store never reads a clock of its own.

CREATE TABLE teams (
    id         UUID PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at TIMESTAMPTZ
);

CREATE UNIQUE INDEX teams_name ON teams (name);

-- The team every installation starts with (send_domain::DEFAULT_TEAM).
INSERT INTO teams (id, name, created_at)
VALUES ('00000000-0000-4000-8000-000000000101', 'SEND team', '2026-01-01 00:00:00+00');

CREATE TABLE permission_groups (
    id         UUID PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at TIMESTAMPTZ
);

CREATE UNIQUE INDEX permission_groups_name ON permission_groups (name);

-- Permission codes as in send_domain::Permission.
CREATE TABLE permission_group_permissions (
    group_id   UUID NOT NULL REFERENCES permission_groups (id),
    permission TEXT NOT NULL,
    PRIMARY KEY (group_id, permission)
);

-- The groups every installation starts with (send_domain::DEFAULT_GROUPS), each
-- granting default_permissions of its role.
INSERT INTO permission_groups (id, name, created_at) VALUES
    ('00000000-0000-4000-8000-000000000001', 'Caseworkers', '2026-01-01 00:00:00+00'),
    ('00000000-0000-4000-8000-000000000002', 'Team managers', '2026-01-01 00:00:00+00'),
    ('00000000-0000-4000-8000-000000000003', 'Portal administrators', '2026-01-01 00:00:00+00');

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
    account_id UUID PRIMARY KEY REFERENCES accounts (id),
    team_id    UUID REFERENCES teams (id),
    updated_at TIMESTAMPTZ
);

CREATE TABLE staff_group_memberships (
    account_id UUID NOT NULL REFERENCES staff_members (account_id),
    group_id   UUID NOT NULL REFERENCES permission_groups (id),
    PRIMARY KEY (account_id, group_id)
);

-- What a set-up link makes its new member of staff: the team and groups they join.
ALTER TABLE staff_setup_links ADD COLUMN team_id UUID REFERENCES teams (id);

CREATE TABLE staff_setup_link_groups (
    link_id  UUID NOT NULL REFERENCES staff_setup_links (id),
    group_id UUID NOT NULL REFERENCES permission_groups (id),
    PRIMARY KEY (link_id, group_id)
);

-- Identifiers are stored as their parsers normalise them (capitals, no spaces),
-- so searches compare them exactly.
CREATE TABLE children (
    id               UUID PRIMARY KEY,
    team_id          UUID NOT NULL REFERENCES teams (id),
    legal_first_name TEXT NOT NULL,
    legal_last_name  TEXT NOT NULL,
    preferred_name   TEXT,
    date_of_birth    DATE NOT NULL,
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
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);

CREATE INDEX children_by_upn ON children (upn);
CREATE INDEX children_by_uln ON children (uln);
CREATE INDEX children_by_nhs_number ON children (nhs_number);
CREATE INDEX children_by_postcode ON children (postcode);
CREATE INDEX children_by_date_of_birth ON children (date_of_birth);
CREATE INDEX children_by_team ON children (team_id);

CREATE TABLE family_contacts (
    id                      UUID PRIMARY KEY,
    child_id                UUID NOT NULL REFERENCES children (id),
    name                    TEXT NOT NULL,
    relationship            TEXT NOT NULL,
    email                   TEXT,
    phone                   TEXT,
    parental_responsibility BOOLEAN NOT NULL
);

CREATE INDEX family_contacts_by_child ON family_contacts (child_id);

-- `actor_id` is not a foreign key, as in the audit log: the record of who did
-- something outlives their account.
CREATE TABLE chronology_entries (
    id          UUID PRIMARY KEY,
    child_id    UUID NOT NULL REFERENCES children (id),
    occurred_at TIMESTAMPTZ NOT NULL,
    actor_id    UUID,
    kind        TEXT NOT NULL,
    summary     TEXT NOT NULL,
    note        TEXT
);

CREATE INDEX chronology_entries_by_child ON chronology_entries (child_id, occurred_at);
