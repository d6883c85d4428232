-- The council's own texts (ADM-1): the wording it saved in place of a shipped
-- default, one row per text. The key is a dotted code of
-- send_domain::council_texts ("email.<kind>.subject",
-- "stage.<code>.extra_information", "accessibility.<part>",
-- "contact.<field>"); the value is checked by the domain when saved (only the
-- placeholders its text allows). A key without a row has its shipped default;
-- restoring the default deletes the row. Who saved it is not a foreign key,
-- as in 0011.
--
-- Message types need no new column: 0009's `active` is false for a retired
-- type, which stays on old conversations but is not offered for new ones.
CREATE TABLE council_texts (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_by UUID NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
