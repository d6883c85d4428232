-- Automatic notifications (DESIGN NTF-3).
--
-- `notification_settings`: the council's choice for one event (a code of
-- send_domain::notifications::NotificationEvent): whether linked families and
-- linked professionals are emailed, and the text (subject and body with
-- ((placeholders)), checked by the domain when saved). An event without a row
-- has the defaults the domain gives it. Who saved it is not a foreign key, as
-- in 0011.
CREATE TABLE notification_settings (
    event         TEXT PRIMARY KEY NOT NULL,
    families      INTEGER NOT NULL CHECK (families IN (0, 1)),
    professionals INTEGER NOT NULL CHECK (professionals IN (0, 1)),
    subject       TEXT NOT NULL,
    body          TEXT NOT NULL,
    updated_by    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

-- The optional notifications a person turned off in My Account.
CREATE TABLE notification_opt_outs (
    account_id TEXT NOT NULL REFERENCES accounts (id),
    event      TEXT NOT NULL,
    PRIMARY KEY (account_id, event)
) STRICT;

-- Portal users who had turned off the emails about new messages (0009's
-- message_preferences, which also stopped the emails about shared documents
-- and forms sent to them) keep that choice: those three notifications are off
-- for them. Staff keep message_preferences for the notices of families'
-- messages.
INSERT INTO notification_opt_outs (account_id, event)
SELECT p.account_id, e.event
FROM message_preferences p
JOIN accounts a ON a.id = p.account_id
CROSS JOIN (
    SELECT 'message_received' AS event
    UNION ALL SELECT 'document_shared'
    UNION ALL SELECT 'action_sent'
) e
WHERE p.emails = 0 AND a.kind <> 'staff';
