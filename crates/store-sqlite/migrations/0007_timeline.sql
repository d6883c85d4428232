-- What a council adds to the statutory timeline: its own milestones, and
-- one-off bank holidays announced after release.
-- Kinds, start events and units are the codes of their send_domain enums. Dates
-- are 'YYYY-MM-DD' text.

-- A council's own milestones. The code is `local_`, the kind and a slug of the
-- title, so one title is taken once per kind.
CREATE TABLE local_milestones (
    code        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    start_event TEXT NOT NULL,
    unit        TEXT NOT NULL,
    amount      INTEGER NOT NULL,
    explanation TEXT NOT NULL,
    CONSTRAINT local_milestones_code PRIMARY KEY (code)
) STRICT;

-- One-off bank holidays, at most one a day.
CREATE TABLE extra_holidays (
    date TEXT NOT NULL,
    name TEXT NOT NULL,
    CONSTRAINT extra_holidays_date PRIMARY KEY (date)
) STRICT;
