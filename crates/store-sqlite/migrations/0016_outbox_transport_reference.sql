-- The mail transport's own reference for a sent email, when it keeps one to ask
-- about later: GOV.UK Notify's notification id, with which an operator reads the
-- email's delivery status back (`send-portal email-status`). NULL for files and SMTP.
ALTER TABLE outbox_emails ADD COLUMN transport_reference TEXT;
