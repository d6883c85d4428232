//! Messages on SQLite: message types, threads with their participants, messages
//! with their attachments, read marks and email preferences (reads; the writes
//! are in `writes::messages`). Every read is one read transaction, so a thread
//! is never seen with half its participants nor a message with half its
//! attachments.
//!
//! A thread's participants read back in the order of their account ids (as
//! text), each once; a message's attachments in the order they were given.

use std::collections::HashMap;

use async_trait::async_trait;
use send_domain::{
    ChildId, DocumentId, Message, MessageId, MessageType, TeamId, Thread, ThreadId, UserId,
};
use send_store::{MessageStore, StoreResult, ThreadActivity};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use time::OffsetDateTime;

use rusqlite::Transaction;

use crate::SqliteStore;
use crate::columns::{count, numbered};
use crate::convert::{corrupt, from_sqlx};
use crate::documents::{IDS_PER_QUERY, rows_for_ids};
use crate::rows::{
    flag, message_from_row, message_type_from_row, optional_time, thread_from_row, time, uuid,
};

/// The threads of a child (`$1`) an account (`$2`) is a participant in, most
/// recent message first.
const WITH_PARTICIPANT: &str = "SELECT t.* FROM message_threads t \
     JOIN thread_participants p ON p.thread_id = t.id AND p.account_id = $2 \
     WHERE t.child_id = $1 \
     ORDER BY t.last_message_at DESC, t.id DESC";

/// The threads of `rows` with their participants.
async fn read_threads(conn: &mut SqliteConnection, rows: &[SqliteRow]) -> StoreResult<Vec<Thread>> {
    let mut threads = rows
        .iter()
        .map(thread_from_row)
        .collect::<StoreResult<Vec<_>>>()?;
    let index: HashMap<ThreadId, usize> = threads
        .iter()
        .enumerate()
        .map(|(i, thread)| (thread.id, i))
        .collect();
    let ids: Vec<String> = threads.iter().map(|t| t.id.to_string()).collect();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let rows = rows_for_ids(
            conn,
            "thread_participants",
            "thread_id",
            chunk,
            "thread_id, account_id",
        )
        .await?;
        for row in &rows {
            let id = ThreadId::from_uuid(uuid(row, "thread_id")?);
            let i = *index
                .get(&id)
                .ok_or_else(|| corrupt(format_args!("participants of thread {id}")))?;
            threads[i]
                .participants
                .push(UserId::from_uuid(uuid(row, "account_id")?));
        }
    }
    Ok(threads)
}

/// The messages of `rows` with their attachments.
async fn read_messages(
    conn: &mut SqliteConnection,
    rows: &[SqliteRow],
) -> StoreResult<Vec<Message>> {
    let mut messages = rows
        .iter()
        .map(message_from_row)
        .collect::<StoreResult<Vec<_>>>()?;
    let index: HashMap<MessageId, usize> = messages
        .iter()
        .enumerate()
        .map(|(i, message)| (message.id, i))
        .collect();
    let ids: Vec<String> = messages.iter().map(|m| m.id.to_string()).collect();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let rows = rows_for_ids(
            conn,
            "message_attachments",
            "message_id",
            chunk,
            "message_id, position",
        )
        .await?;
        for row in &rows {
            let id = MessageId::from_uuid(uuid(row, "message_id")?);
            let i = *index
                .get(&id)
                .ok_or_else(|| corrupt(format_args!("attachments of message {id}")))?;
            messages[i]
                .attachments
                .push(DocumentId::from_uuid(uuid(row, "document_id")?));
        }
    }
    Ok(messages)
}

/// The threads `query` finds (`$1` bound to `first`, `$2` to `second` if
/// given), with their participants, in one read transaction.
async fn threads_where(
    store: &SqliteStore,
    query: &'static str,
    first: String,
    second: Option<String>,
) -> StoreResult<Vec<Thread>> {
    let mut tx = store.reader.begin().await.map_err(from_sqlx)?;
    let mut select = sqlx::query(query).bind(first);
    if let Some(second) = second {
        select = select.bind(second);
    }
    let rows = select.fetch_all(&mut *tx).await.map_err(from_sqlx)?;
    let threads = read_threads(&mut tx, &rows).await?;
    tx.commit().await.map_err(from_sqlx)?;
    Ok(threads)
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

/// The [`ThreadActivity`] of one chunk of threads (at most [`IDS_PER_QUERY`]).
async fn activity_of(
    conn: &mut SqliteConnection,
    reader: &str,
    threads: &[String],
) -> StoreResult<Vec<ThreadActivity>> {
    let mut sql: QueryBuilder<Sqlite> =
        QueryBuilder::new("SELECT m.thread_id, sum(CASE WHEN m.author <> ");
    sql.push_bind(reader)
        .push(
            " AND (r.read_up_to IS NULL OR m.sent_at > r.read_up_to) THEN 1 ELSE 0 END) AS unread, \
             max(CASE WHEN m.author <> ",
        )
        .push_bind(reader)
        .push(" THEN m.sent_at END) AS last_received, max(CASE WHEN m.author = ")
        .push_bind(reader)
        .push(
            " THEN m.sent_at END) AS last_sent FROM messages m \
             LEFT JOIN thread_reads r ON r.thread_id = m.thread_id AND r.account_id = ",
        )
        .push_bind(reader)
        .push(" WHERE m.thread_id IN (");
    let mut list = sql.separated(", ");
    for id in threads {
        list.push_bind(id.as_str());
    }
    sql.push(") GROUP BY m.thread_id");
    let rows = sql.build().fetch_all(conn).await.map_err(from_sqlx)?;
    rows.iter()
        .map(|row| {
            let unread: i64 = sqlx::Row::try_get(row, "unread").map_err(from_sqlx)?;
            Ok(ThreadActivity {
                thread: ThreadId::from_uuid(uuid(row, "thread_id")?),
                unread: u64::try_from(unread).unwrap_or_default(),
                last_received: optional_time(row, "last_received")?,
                last_sent: optional_time(row, "last_sent")?,
            })
        })
        .collect()
}

#[async_trait]
impl MessageStore for SqliteStore {
    #[tracing::instrument(level = "debug", name = "store.message_types", skip_all)]
    async fn message_types(&self) -> StoreResult<Vec<MessageType>> {
        let rows = sqlx::query("SELECT * FROM message_types ORDER BY name, id")
            .fetch_all(&self.reader)
            .await
            .map_err(from_sqlx)?;
        rows.iter().map(message_type_from_row).collect()
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
        let mut tx = self.reader.begin().await.map_err(from_sqlx)?;
        let rows = sqlx::query("SELECT * FROM messages WHERE thread_id = $1 ORDER BY sent_at, id")
            .bind(thread.to_string())
            .fetch_all(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        let messages = read_messages(&mut tx, &rows).await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(messages)
    }

    #[tracing::instrument(level = "debug", name = "store.messages_sent_since", skip_all)]
    async fn messages_sent_since(&self, author: UserId, since: OffsetDateTime) -> StoreResult<u64> {
        let count: i64 =
            sqlx::query_scalar("SELECT count(*) FROM messages WHERE author = $1 AND sent_at >= $2")
                .bind(author.to_string())
                .bind(crate::convert::time_to_text(since))
                .fetch_one(&self.reader)
                .await
                .map_err(from_sqlx)?;
        Ok(u64::try_from(count).unwrap_or_default())
    }

    #[tracing::instrument(level = "debug", name = "store.read_up_to", skip_all)]
    async fn read_up_to(
        &self,
        thread: ThreadId,
        account: UserId,
    ) -> StoreResult<Option<OffsetDateTime>> {
        let row = sqlx::query(
            "SELECT read_up_to FROM thread_reads WHERE thread_id = $1 AND account_id = $2",
        )
        .bind(thread.to_string())
        .bind(account.to_string())
        .fetch_optional(&self.reader)
        .await
        .map_err(from_sqlx)?;
        row.map(|row| time(&row, "read_up_to")).transpose()
    }

    #[tracing::instrument(level = "debug", name = "store.last_message_notice", skip_all)]
    async fn last_message_notice(
        &self,
        thread: ThreadId,
        account: UserId,
    ) -> StoreResult<Option<OffsetDateTime>> {
        let row = sqlx::query(
            "SELECT sent_at FROM message_notices WHERE thread_id = $1 AND account_id = $2",
        )
        .bind(thread.to_string())
        .bind(account.to_string())
        .fetch_optional(&self.reader)
        .await
        .map_err(from_sqlx)?;
        row.map(|row| time(&row, "sent_at")).transpose()
    }

    #[tracing::instrument(level = "debug", name = "store.thread_activity", skip_all)]
    async fn thread_activity(
        &self,
        reader: UserId,
        threads: &[ThreadId],
    ) -> StoreResult<Vec<ThreadActivity>> {
        let reader = reader.to_string();
        let ids: Vec<String> = threads.iter().map(ToString::to_string).collect();
        let mut found = Vec::with_capacity(ids.len());
        let mut conn = self.reader.acquire().await.map_err(from_sqlx)?;
        for chunk in ids.chunks(IDS_PER_QUERY) {
            found.extend(activity_of(&mut conn, &reader, chunk).await?);
        }
        Ok(found)
    }

    #[tracing::instrument(level = "debug", name = "store.mailbox", skip_all)]
    async fn mailbox(
        &self,
        child: ChildId,
        reader: UserId,
    ) -> StoreResult<Vec<(Thread, ThreadActivity)>> {
        let reader = reader.to_string();
        let mut tx = self.reader.begin().await.map_err(from_sqlx)?;
        let rows = sqlx::query(WITH_PARTICIPANT)
            .bind(child.to_string())
            .bind(&reader)
            .fetch_all(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        let threads = read_threads(&mut tx, &rows).await?;
        let ids: Vec<String> = threads.iter().map(|t| t.id.to_string()).collect();
        let mut activity = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(IDS_PER_QUERY) {
            for found in activity_of(&mut tx, &reader, chunk).await? {
                activity.insert(found.thread, found);
            }
        }
        tx.commit().await.map_err(from_sqlx)?;
        Ok(threads
            .into_iter()
            .map(|thread| {
                let found = activity
                    .remove(&thread.id)
                    .unwrap_or_else(|| ThreadActivity::none(thread.id));
                (thread, found)
            })
            .collect())
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
        let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new(
            "SELECT t.* FROM message_threads t JOIN children c ON c.id = t.child_id \
             WHERE t.waiting_since IS NOT NULL",
        );
        if let Some(teams) = teams {
            sql.push(" AND c.team_id IN (");
            let mut list = sql.separated(", ");
            for team in teams {
                list.push_bind(team.to_string());
            }
            sql.push(")");
        }
        sql.push(" ORDER BY t.waiting_since, t.id LIMIT ")
            .push_bind(i64::from(limit));
        let mut tx = self.reader.begin().await.map_err(from_sqlx)?;
        let rows = sql.build().fetch_all(&mut *tx).await.map_err(from_sqlx)?;
        let threads = read_threads(&mut tx, &rows).await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(threads)
    }

    #[tracing::instrument(level = "debug", name = "store.wants_message_emails", skip_all)]
    async fn wants_message_emails(&self, account: UserId) -> StoreResult<bool> {
        let row = sqlx::query("SELECT emails FROM message_preferences WHERE account_id = $1")
            .bind(account.to_string())
            .fetch_optional(&self.reader)
            .await
            .map_err(from_sqlx)?;
        row.map_or(Ok(true), |row| flag(&row, "emails"))
    }
}
