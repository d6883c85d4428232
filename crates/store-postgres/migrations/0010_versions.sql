-- Optimistic concurrency: records that more than one person edits carry a
-- version. An update names the version it read and moves it on by one; a
-- stale version writes nothing (the unit of work fails with a conflict).
ALTER TABLE children ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE involvements ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE message_threads ADD COLUMN version integer NOT NULL DEFAULT 1;
