-- Incoming forms (FRM-5): where each submission stands in the SEND team's
-- processing area, and a folded surname on each child so the matcher finds
-- candidates by index, never by reading every child.
--
-- `processing_status` is a code of send_domain::ProcessingStatus. Submissions
-- from before processing existed are 'new'. `processing_child_id` is the child
-- proposed, chosen or imported to; `match_result` the matcher's result as
-- send_domain's serde JSON; `processing_version` moves on with every change,
-- as in 0010. Who decided is not a foreign key, as in 0011.
ALTER TABLE submissions ADD COLUMN processing_status TEXT NOT NULL DEFAULT 'new';
ALTER TABLE submissions ADD COLUMN processing_child_id UUID REFERENCES children (id);
ALTER TABLE submissions ADD COLUMN match_result TEXT;
ALTER TABLE submissions ADD COLUMN processing_confirmed BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE submissions ADD COLUMN processing_decided_by UUID;
ALTER TABLE submissions ADD COLUMN processing_decided_at TIMESTAMPTZ;
ALTER TABLE submissions ADD COLUMN rejection_message TEXT;
ALTER TABLE submissions ADD COLUMN involvement_id UUID REFERENCES involvements (id);
ALTER TABLE submissions ADD COLUMN processing_version integer NOT NULL DEFAULT 1;

CREATE INDEX submissions_by_processing ON submissions (processing_status, submitted_at);

-- send_domain::matching::normalise_name of the legal last name, written with
-- every child; NULL for children added before this migration until the portal
-- indexes them at start-up. Indexed with the date of birth: a surname thousands
-- of children share is looked up by the dates and birth window it is asked for,
-- reading only the rows it returns.
ALTER TABLE children ADD COLUMN match_surname TEXT;

CREATE INDEX children_by_match_surname ON children (match_surname, date_of_birth);
