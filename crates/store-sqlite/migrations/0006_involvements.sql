-- Involvements (DESIGN CASE-2): an EHC needs assessment, an EHC plan or a
-- re-assessment on a child's case, with the dates its timeline counts from, the
-- deadlines it met and the exceptions recorded against them.
-- Kinds, stages, requesters, outcomes, cease reasons, events and exception kinds
-- are the codes of their send_domain enums. Dates are 'YYYY-MM-DD' text; times
-- and ids as in 0001.

CREATE TABLE involvements (
    id                 TEXT PRIMARY KEY NOT NULL,
    child_id           TEXT NOT NULL REFERENCES children (id),
    kind               TEXT NOT NULL,
    stage              TEXT NOT NULL,
    stage_since        TEXT NOT NULL,
    caseworker_id      TEXT REFERENCES accounts (id),
    requested_by       TEXT,
    request_outcome    TEXT,
    assessment_outcome TEXT,
    plan_start         TEXT,
    cease_reason       TEXT,
    opened_at          TEXT NOT NULL,
    updated_at         TEXT NOT NULL
) STRICT;

CREATE INDEX involvements_by_child ON involvements (child_id);
CREATE INDEX involvements_by_caseworker ON involvements (caseworker_id);
CREATE INDEX involvements_by_stage ON involvements (stage);

-- The dates the timeline counts from, one per event.
CREATE TABLE involvement_events (
    involvement_id TEXT NOT NULL REFERENCES involvements (id),
    event          TEXT NOT NULL,
    occurred_on    TEXT NOT NULL,
    PRIMARY KEY (involvement_id, event)
) STRICT;

-- When each deadline was met, by its rule code.
CREATE TABLE involvement_completions (
    involvement_id TEXT NOT NULL REFERENCES involvements (id),
    rule_code      TEXT NOT NULL,
    met_on         TEXT NOT NULL,
    PRIMARY KEY (involvement_id, rule_code)
) STRICT;

-- Exceptions in the order they were recorded (`position` from 0).
CREATE TABLE involvement_exceptions (
    involvement_id TEXT NOT NULL REFERENCES involvements (id),
    position       INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    rule_code      TEXT NOT NULL,
    reason         TEXT NOT NULL,
    recorded_on    TEXT NOT NULL,
    PRIMARY KEY (involvement_id, position)
) STRICT;
