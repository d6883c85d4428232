-- Where each session signed in from, for My Account's list of devices: the
-- browser and operating system named from the User-Agent at sign-in ("Firefox
-- on Windows") and the client's address as the portal determined it (behind
-- trusted proxies, the forwarded one). NULL before sign-in, or when unknown.
ALTER TABLE sessions ADD COLUMN device TEXT;
ALTER TABLE sessions ADD COLUMN address TEXT;

-- When each person was last emailed that a conversation has new messages, so
-- that several messages in a short time send one notice: another is sent only
-- once the window has passed or the person has opened the conversation since.
CREATE TABLE message_notices (
    thread_id  TEXT NOT NULL REFERENCES message_threads (id),
    account_id TEXT NOT NULL REFERENCES accounts (id),
    sent_at    TEXT NOT NULL,
    PRIMARY KEY (thread_id, account_id)
) STRICT;
