//! Messages on PostgreSQL: message types, threads with their participants,
//! messages with their attachments, read marks and email preferences (reads;
//! the writes are in `writes::messages`). Every read is one transaction, so a
//! thread is never seen with half its participants nor a message with half its
//! attachments.
//!
//! A thread's participants read back in the order of their account ids (a
//! `uuid` sorts as its text does), each once; a message's attachments in the
//! order they were given.

use std::collections::HashMap;

use async_trait::async_trait;
use send_domain::{
    ChildId, DocumentId, Message, MessageId, MessageType, TeamId, Thread, ThreadId, UserId,
};
use send_store::{MessageStore, StoreResult, ThreadActivity};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Postgres, QueryBuilder};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::PgStore;
use crate::convert::{corrupt, from_sqlx};
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
async fn read_threads(conn: &mut PgConnection, rows: &[PgRow]) -> StoreResult<Vec<Thread>> {
    let mut threads = rows
        .iter()
        .map(thread_from_row)
        .collect::<StoreResult<Vec<_>>>()?;
    let index: HashMap<ThreadId, usize> = threads
        .iter()
        .enumerate()
        .map(|(i, thread)| (thread.id, i))
        .collect();
    let ids: Vec<Uuid> = threads.iter().map(|t| t.id.as_uuid()).collect();
    let rows = sqlx::query(
        "SELECT * FROM thread_participants WHERE thread_id = ANY($1) \
         ORDER BY thread_id, account_id",
    )
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await
    .map_err(from_sqlx)?;
    for row in &rows {
        let id = ThreadId::from_uuid(uuid(row, "thread_id")?);
        let i = *index
            .get(&id)
            .ok_or_else(|| corrupt(format_args!("participants of thread {id}")))?;
        threads[i]
            .participants
            .push(UserId::from_uuid(uuid(row, "account_id")?));
    }
    Ok(threads)
}

/// The messages of `rows` with their attachments.
async fn read_messages(conn: &mut PgConnection, rows: &[PgRow]) -> StoreResult<Vec<Message>> {
    let mut messages = rows
        .iter()
        .map(message_from_row)
        .collect::<StoreResult<Vec<_>>>()?;
    let index: HashMap<MessageId, usize> = messages
        .iter()
        .enumerate()
        .map(|(i, message)| (message.id, i))
        .collect();
    let ids: Vec<Uuid> = messages.iter().map(|m| m.id.as_uuid()).collect();
    let rows = sqlx::query(
        "SELECT * FROM message_attachments WHERE message_id = ANY($1) \
         ORDER BY message_id, position",
    )
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await
    .map_err(from_sqlx)?;
    for row in &rows {
        let id = MessageId::from_uuid(uuid(row, "message_id")?);
        let i = *index
            .get(&id)
            .ok_or_else(|| corrupt(format_args!("attachments of message {id}")))?;
        messages[i]
            .attachments
            .push(DocumentId::from_uuid(uuid(row, "document_id")?));
    }
    Ok(messages)
}

/// The threads `query` finds (`$1` bound to `first`, `$2` to `second` if
/// given), with their participants, in one transaction.
async fn threads_where(
    store: &PgStore,
    query: &'static str,
    first: Uuid,
    second: Option<Uuid>,
) -> StoreResult<Vec<Thread>> {
    let mut tx = store.pool.begin().await.map_err(from_sqlx)?;
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
pub(crate) async fn unread_about_child(
    conn: &mut PgConnection,
    child: ChildId,
    account: UserId,
) -> StoreResult<u64> {
    let count: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM message_threads t \
         JOIN thread_participants p ON p.thread_id = t.id AND p.account_id = $2 \
         JOIN messages m ON m.thread_id = t.id AND m.author <> $2 \
         LEFT JOIN thread_reads r ON r.thread_id = t.id AND r.account_id = $2 \
         WHERE t.child_id = $1 AND (r.read_up_to IS NULL OR m.sent_at > r.read_up_to)",
    )
    .bind(child.as_uuid())
    .bind(account.as_uuid())
    .fetch_one(conn)
    .await
    .map_err(from_sqlx)?;
    Ok(u64::try_from(count).unwrap_or_default())
}

/// The [`ThreadActivity`] of `threads` as `reader` sees them, on an open
/// connection: one query.
async fn activity_of(
    conn: &mut PgConnection,
    reader: UserId,
    threads: &[ThreadId],
) -> StoreResult<Vec<ThreadActivity>> {
    let ids: Vec<Uuid> = threads.iter().map(ThreadId::as_uuid).collect();
    let rows = sqlx::query(
        "SELECT m.thread_id, \
         sum(CASE WHEN m.author <> $1 AND (r.read_up_to IS NULL OR m.sent_at > r.read_up_to) \
             THEN 1 ELSE 0 END) AS unread, \
         max(CASE WHEN m.author <> $1 THEN m.sent_at END) AS last_received, \
         max(CASE WHEN m.author = $1 THEN m.sent_at END) AS last_sent \
         FROM messages m \
         LEFT JOIN thread_reads r ON r.thread_id = m.thread_id AND r.account_id = $1 \
         WHERE m.thread_id = ANY($2) GROUP BY m.thread_id",
    )
    .bind(reader.as_uuid())
    .bind(&ids)
    .fetch_all(conn)
    .await
    .map_err(from_sqlx)?;
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
impl MessageStore for PgStore {
    #[tracing::instrument(level = "debug", name = "store.message_types", skip_all)]
    async fn message_types(&self) -> StoreResult<Vec<MessageType>> {
        let rows = sqlx::query("SELECT * FROM message_types ORDER BY name, id")
            .fetch_all(&self.pool)
            .await
            .map_err(from_sqlx)?;
        rows.iter().map(message_type_from_row).collect()
    }

    #[tracing::instrument(level = "debug", name = "store.thread", skip_all)]
    async fn thread(&self, id: ThreadId) -> StoreResult<Option<Thread>> {
        let found = threads_where(
            self,
            "SELECT * FROM message_threads WHERE id = $1",
            id.as_uuid(),
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
            child.as_uuid(),
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
            account.as_uuid(),
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
            child.as_uuid(),
            Some(account.as_uuid()),
        )
        .await
    }

    #[tracing::instrument(level = "debug", name = "store.messages", skip_all)]
    async fn messages(&self, thread: ThreadId) -> StoreResult<Vec<Message>> {
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        let rows = sqlx::query("SELECT * FROM messages WHERE thread_id = $1 ORDER BY sent_at, id")
            .bind(thread.as_uuid())
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
                .bind(author.as_uuid())
                .bind(since)
                .fetch_one(&self.pool)
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
        .bind(thread.as_uuid())
        .bind(account.as_uuid())
        .fetch_optional(&self.pool)
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
        .bind(thread.as_uuid())
        .bind(account.as_uuid())
        .fetch_optional(&self.pool)
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
        let mut conn = self.pool.acquire().await.map_err(from_sqlx)?;
        activity_of(&mut conn, reader, threads).await
    }

    #[tracing::instrument(level = "debug", name = "store.mailbox", skip_all)]
    async fn mailbox(
        &self,
        child: ChildId,
        reader: UserId,
    ) -> StoreResult<Vec<(Thread, ThreadActivity)>> {
        let mut tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await
            .map_err(from_sqlx)?;
        let rows = sqlx::query(WITH_PARTICIPANT)
            .bind(child.as_uuid())
            .bind(reader.as_uuid())
            .fetch_all(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        let threads = read_threads(&mut tx, &rows).await?;
        let ids: Vec<ThreadId> = threads.iter().map(|t| t.id).collect();
        let activity = activity_of(&mut tx, reader, &ids).await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(ThreadActivity::pair(threads, activity))
    }

    #[tracing::instrument(level = "debug", name = "store.unread_messages", skip_all)]
    async fn unread_messages(&self, child: ChildId, account: UserId) -> StoreResult<u64> {
        let mut conn = self.pool.acquire().await.map_err(from_sqlx)?;
        unread_about_child(&mut conn, child, account).await
    }

    #[tracing::instrument(level = "debug", name = "store.team_inbox", skip_all)]
    async fn team_inbox(&self, teams: Option<&[TeamId]>, limit: u32) -> StoreResult<Vec<Thread>> {
        if teams.is_some_and(<[TeamId]>::is_empty) {
            return Ok(Vec::new());
        }
        let mut sql: QueryBuilder<Postgres> = QueryBuilder::new(
            "SELECT t.* FROM message_threads t JOIN children c ON c.id = t.child_id \
             WHERE t.waiting_since IS NOT NULL",
        );
        if let Some(teams) = teams {
            let ids: Vec<Uuid> = teams.iter().map(TeamId::as_uuid).collect();
            sql.push(" AND c.team_id = ANY(").push_bind(ids).push(")");
        }
        sql.push(" ORDER BY t.waiting_since, t.id LIMIT ")
            .push_bind(i64::from(limit));
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        let rows = sql.build().fetch_all(&mut *tx).await.map_err(from_sqlx)?;
        let threads = read_threads(&mut tx, &rows).await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(threads)
    }

    #[tracing::instrument(level = "debug", name = "store.wants_message_emails", skip_all)]
    async fn wants_message_emails(&self, account: UserId) -> StoreResult<bool> {
        let row = sqlx::query("SELECT emails FROM message_preferences WHERE account_id = $1")
            .bind(account.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(from_sqlx)?;
        row.map_or(Ok(true), |row| flag(&row, "emails"))
    }
}
