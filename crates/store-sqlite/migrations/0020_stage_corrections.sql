-- A stage moved by mistake can be corrected: the involvement keeps the stage it
-- was at before its last move, and since when, until the move is corrected or
-- something else is recorded on its timeline (a review, an amended plan). Both
-- NULL when there is nothing to correct. The correction itself is on the child's
-- chronology and in the audit log, like the move.
ALTER TABLE involvements ADD COLUMN previous_stage TEXT;
ALTER TABLE involvements ADD COLUMN previous_stage_since TEXT;
