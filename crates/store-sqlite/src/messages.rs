//! Messages on SQLite: message types, threads with their participants, messages
//! with their attachments, read marks and email preferences (reads; the writes
//! are in `writes::messages`). Every read is one read transaction, so a thread
//! is never seen with half its participants nor a message with half its
//! attachments.
//!
//! A thread's participants read back in the order of their account ids (as
//! text), each once; a message's attachments in the order they were given.

use async_trait::async_trait;
use rusqlite::Transaction;
use send_domain::{
    ChildId, DocumentId, Message, MessageId, MessageType, TeamId, Thread, ThreadId, UserId,
};
use send_store::{MessageStore, StoreResult, ThreadActivity};
use time::OffsetDateTime;

use crate::SqliteStore;
use crate::columns::{Columns, count, fill_owners, id_list, numbered, query_first, query_rows};
use crate::convert::time_to_text;
use crate::rows::{
    flag, message_from_row, message_type_from_row, optional_time, thread_from_row, time, uuid,
};

/// The threads of a child (`$1`) an account (`$2`) is a participant in, most
/// recent message first.
const WITH_PARTICIPANT: &str = "SELECT t.* FROM message_threads t \
     JOIN thread_participants p ON p.thread_id = t.id AND p.account_id = $2 \
     WHERE t.child_id = $1 \
     ORDER BY t.last_message_at DESC, t.id DESC";

/// Fills in the participants of `threads` (read with `thread_from_row`), one
/// statement for them all, in the caller's read.
fn with_participants(tx: &Transaction<'_>, mut threads: Vec<Thread>) -> StoreResult<Vec<Thread>> {
    fill_owners(
        tx,
        &mut threads,
        |thread| thread.id,
        "SELECT thread_id, account_id FROM thread_participants \
         WHERE thread_id IN (SELECT value FROM json_each($1)) ORDER BY thread_id, account_id",
        "participants",
        |row| Ok(ThreadId::from_uuid(uuid(row, "thread_id")?)),
        |thread, row| {
            thread
                .participants
                .push(UserId::from_uuid(uuid(row, "account_id")?));
            Ok(())
        },
    )?;
    Ok(threads)
}

/// Fills in the attachments of `messages` (read with `message_from_row`), one
/// statement for them all, in the caller's read.
fn with_attachments(tx: &Transaction<'_>, mut messages: Vec<Message>) -> StoreResult<Vec<Message>> {
    fill_owners(
        tx,
        &mut messages,
        |message| message.id,
        "SELECT message_id, document_id FROM message_attachments \
         WHERE message_id IN (SELECT value FROM json_each($1)) ORDER BY message_id, position",
        "attachments",
        |row| Ok(MessageId::from_uuid(uuid(row, "message_id")?)),
        |message, row| {
            message
                .attachments
                .push(DocumentId::from_uuid(uuid(row, "document_id")?));
            Ok(())
        },
    )?;
    Ok(messages)
}

/// The threads `sql` finds with `params`, with their participants, in the
/// caller's read.
fn threads_in(
    tx: &Transaction<'_>,
    sql: &str,
    params: &[&dyn rusqlite::ToSql],
) -> StoreResult<Vec<Thread>> {
    let threads = query_rows(tx, sql, numbered(params).as_slice(), |row| {
        thread_from_row(row)
    })?;
    with_participants(tx, threads)
}

/// The threads `sql` finds (`$1` bound to `first`, `$2` to `second` if
/// given), with their participants, in one read.
async fn threads_where(
    store: &SqliteStore,
    sql: &'static str,
    first: String,
    second: Option<String>,
) -> StoreResult<Vec<Thread>> {
    store
        .blocking
        .read(move |tx| match &second {
            Some(second) => threads_in(tx, sql, &[&first, second]),
            None => threads_in(tx, sql, &[&first]),
        })
        .await
}

/// How many messages about `child` `account` has not read (see
/// [`MessageStore::unread_messages`]), on an open connection so that a page's
/// read can count them in its own transaction.
pub(crate) fn unread_about_child(
    tx: &Transaction<'_>,
    child: ChildId,
    account: UserId,
) -> StoreResult<u64> {
    count(
        tx,
        "SELECT count(*) AS n FROM message_threads t \
         JOIN thread_participants p ON p.thread_id = t.id AND p.account_id = $2 \
         JOIN messages m ON m.thread_id = t.id AND m.author <> $2 \
         LEFT JOIN thread_reads r ON r.thread_id = t.id AND r.account_id = $2 \
         WHERE t.child_id = $1 AND (r.read_up_to IS NULL OR m.sent_at > r.read_up_to)",
        numbered(&[&child.to_string(), &account.to_string()]).as_slice(),
    )
}

/// The [`ThreadActivity`] of `threads` for `reader`, one statement for them
/// all, in the caller's read.
fn activity_of(
    tx: &Transaction<'_>,
    reader: UserId,
    threads: &[ThreadId],
) -> StoreResult<Vec<ThreadActivity>> {
    query_rows(
        tx,
        "SELECT m.thread_id, \
         sum(CASE WHEN m.author <> $1 AND (r.read_up_to IS NULL OR m.sent_at > r.read_up_to) \
             THEN 1 ELSE 0 END) AS unread, \
         max(CASE WHEN m.author <> $1 THEN m.sent_at END) AS last_received, \
         max(CASE WHEN m.author = $1 THEN m.sent_at END) AS last_sent \
         FROM messages m \
         LEFT JOIN thread_reads r ON r.thread_id = m.thread_id AND r.account_id = $1 \
         WHERE m.thread_id IN (SELECT value FROM json_each($2)) GROUP BY m.thread_id",
        numbered(&[&reader.to_string(), &id_list(threads)]).as_slice(),
        |row| {
            let unread = row.integer("unread")?;
            Ok(ThreadActivity {
                thread: ThreadId::from_uuid(uuid(row, "thread_id")?),
                unread: u64::try_from(unread).unwrap_or_default(),
                last_received: optional_time(row, "last_received")?,
                last_sent: optional_time(row, "last_sent")?,
            })
        },
    )
}

#[async_trait]
impl MessageStore for SqliteStore {
    #[tracing::instrument(level = "debug", name = "store.message_types", skip_all)]
    async fn message_types(&self) -> StoreResult<Vec<MessageType>> {
        self.blocking
            .read(|tx| {
                query_rows(
                    tx,
                    "SELECT * FROM message_types ORDER BY name, id",
                    [],
                    |row| message_type_from_row(row),
                )
            })
            .await
    }

    #[tracing::instrument(level = "debug", name = "store.thread", skip_all)]
    async fn thread(&self, id: ThreadId) -> StoreResult<Option<Thread>> {
        let found = threads_where(
            self,
            "SELECT * FROM message_threads WHERE id = $1",
            id.to_string(),
            None,
        )
        .await?;
        Ok(found.into_iter().next())
    }

    #[tracing::instrument(level = "debug", name = "store.threads_of_child", skip_all)]
    async fn threads_of_child(&self, child: ChildId) -> StoreResult<Vec<Thread>> {
        threads_where(
            self,
            "SELECT * FROM message_threads WHERE child_id = $1 \
             ORDER BY last_message_at DESC, id DESC",
            child.to_string(),
            None,
        )
        .await
    }

    #[tracing::instrument(level = "debug", name = "store.threads_held_by", skip_all)]
    async fn threads_held_by(&self, account: UserId) -> StoreResult<Vec<Thread>> {
        threads_where(
            self,
            "SELECT * FROM message_threads WHERE assigned_to = $1 \
             ORDER BY last_message_at DESC, id DESC",
            account.to_string(),
            None,
        )
        .await
    }

    #[tracing::instrument(level = "debug", name = "store.threads_with_participant", skip_all)]
    async fn threads_with_participant(
        &self,
        child: ChildId,
        account: UserId,
    ) -> StoreResult<Vec<Thread>> {
        threads_where(
            self,
            WITH_PARTICIPANT,
            child.to_string(),
            Some(account.to_string()),
        )
        .await
    }

    #[tracing::instrument(level = "debug", name = "store.messages", skip_all)]
    async fn messages(&self, thread: ThreadId) -> StoreResult<Vec<Message>> {
        let thread = thread.to_string();
        self.blocking
            .read(move |tx| {
                let messages = query_rows(
                    tx,
                    "SELECT * FROM messages WHERE thread_id = $1 ORDER BY sent_at, id",
                    numbered(&[&thread]).as_slice(),
                    |row| message_from_row(row),
                )?;
                with_attachments(tx, messages)
            })
            .await
    }

    #[tracing::instrument(level = "debug", name = "store.messages_sent_since", skip_all)]
    async fn messages_sent_since(&self, author: UserId, since: OffsetDateTime) -> StoreResult<u64> {
        let (author, since) = (author.to_string(), time_to_text(since));
        self.blocking
            .read(move |tx| {
                count(
                    tx,
                    "SELECT count(*) AS n FROM messages WHERE author = $1 AND sent_at >= $2",
                    numbered(&[&author, &since]).as_slice(),
                )
            })
            .await
    }

    #[tracing::instrument(level = "debug", name = "store.read_up_to", skip_all)]
    async fn read_up_to(
        &self,
        thread: ThreadId,
        account: UserId,
    ) -> StoreResult<Option<OffsetDateTime>> {
        let (thread, account) = (thread.to_string(), account.to_string());
        self.blocking
            .read(move |tx| {
                query_first(
                    tx,
                    "SELECT read_up_to FROM thread_reads WHERE thread_id = $1 AND account_id = $2",
                    numbered(&[&thread, &account]).as_slice(),
                    |row| time(row, "read_up_to"),
                )
            })
            .await
    }

    #[tracing::instrument(level = "debug", name = "store.last_message_notice", skip_all)]
    async fn last_message_notice(
        &self,
        thread: ThreadId,
        account: UserId,
    ) -> StoreResult<Option<OffsetDateTime>> {
        let (thread, account) = (thread.to_string(), account.to_string());
        self.blocking
            .read(move |tx| {
                query_first(
                    tx,
                    "SELECT sent_at FROM message_notices WHERE thread_id = $1 AND account_id = $2",
                    numbered(&[&thread, &account]).as_slice(),
                    |row| time(row, "sent_at"),
                )
            })
            .await
    }

    #[tracing::instrument(level = "debug", name = "store.thread_activity", skip_all)]
    async fn thread_activity(
        &self,
        reader: UserId,
        threads: &[ThreadId],
    ) -> StoreResult<Vec<ThreadActivity>> {
        let threads = threads.to_vec();
        self.blocking
            .read(move |tx| activity_of(tx, reader, &threads))
            .await
    }

    #[tracing::instrument(level = "debug", name = "store.mailbox", skip_all)]
    async fn mailbox(
        &self,
        child: ChildId,
        reader: UserId,
    ) -> StoreResult<Vec<(Thread, ThreadActivity)>> {
        self.blocking
            .read(move |tx| {
                let threads = threads_in(
                    tx,
                    WITH_PARTICIPANT,
                    &[&child.to_string(), &reader.to_string()],
                )?;
                let ids: Vec<ThreadId> = threads.iter().map(|t| t.id).collect();
                let activity = activity_of(tx, reader, &ids)?;
                Ok(ThreadActivity::pair(threads, activity))
            })
            .await
    }

    #[tracing::instrument(level = "debug", name = "store.unread_messages", skip_all)]
    async fn unread_messages(&self, child: ChildId, account: UserId) -> StoreResult<u64> {
        self.blocking
            .read(move |tx| unread_about_child(tx, child, account))
            .await
    }

    #[tracing::instrument(level = "debug", name = "store.team_inbox", skip_all)]
    async fn team_inbox(&self, teams: Option<&[TeamId]>, limit: u32) -> StoreResult<Vec<Thread>> {
        if teams.is_some_and(<[TeamId]>::is_empty) {
            return Ok(Vec::new());
        }
        // Every team when `$1` is NULL; else the teams in its list.
        let teams = teams.map(id_list);
        self.blocking
            .read(move |tx| {
                threads_in(
                    tx,
                    "SELECT t.* FROM message_threads t JOIN children c ON c.id = t.child_id \
                     WHERE t.waiting_since IS NOT NULL \
                     AND ($1 IS NULL OR c.team_id IN (SELECT value FROM json_each($1))) \
                     ORDER BY t.waiting_since, t.id LIMIT $2",
                    &[&teams, &i64::from(limit)],
                )
            })
            .await
    }

    #[tracing::instrument(level = "debug", name = "store.wants_message_emails", skip_all)]
    async fn wants_message_emails(&self, account: UserId) -> StoreResult<bool> {
        let account = account.to_string();
        let wants = self
            .blocking
            .read(move |tx| {
                query_first(
                    tx,
                    "SELECT emails FROM message_preferences WHERE account_id = $1",
                    numbered(&[&account]).as_slice(),
                    |row| flag(row, "emails"),
                )
            })
            .await?;
        Ok(wants.unwrap_or(true))
    }
}
