-- Involvements (DESIGN CASE-2): an EHC needs assessment, an EHC plan or a
-- re-assessment on a child's case, with the dates its timeline counts from, the
-- deadlines it met and the exceptions recorded against them.
-- Kinds, stages, requesters, outcomes, cease reasons, events and exception kinds
-- are the codes of their send_domain enums.

CREATE TABLE involvements (
    id                 UUID PRIMARY KEY,
    child_id           UUID NOT NULL REFERENCES children (id),
    kind               TEXT NOT NULL,
    stage              TEXT NOT NULL,
    stage_since        DATE NOT NULL,
    caseworker_id      UUID REFERENCES accounts (id),
    requested_by       TEXT,
    request_outcome    TEXT,
    assessment_outcome TEXT,
    plan_start         DATE,
    cease_reason       TEXT,
    opened_at          TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);

CREATE INDEX involvements_by_child ON involvements (child_id);
CREATE INDEX involvements_by_caseworker ON involvements (caseworker_id);
CREATE INDEX involvements_by_stage ON involvements (stage);

-- The dates the timeline counts from, one per event.
CREATE TABLE involvement_events (
    involvement_id UUID NOT NULL REFERENCES involvements (id),
    event          TEXT NOT NULL,
    occurred_on    DATE NOT NULL,
    PRIMARY KEY (involvement_id, event)
);

-- When each deadline was met, by its rule code.
CREATE TABLE involvement_completions (
    involvement_id UUID NOT NULL REFERENCES involvements (id),
    rule_code      TEXT NOT NULL,
    met_on         DATE NOT NULL,
    PRIMARY KEY (involvement_id, rule_code)
);

-- Exceptions in the order they were recorded (`position` from 0).
CREATE TABLE involvement_exceptions (
    involvement_id UUID NOT NULL REFERENCES involvements (id),
    position       INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    rule_code      TEXT NOT NULL,
    reason         TEXT NOT NULL,
    recorded_on    DATE NOT NULL,
    PRIMARY KEY (involvement_id, position)
);
