//! Messages on PostgreSQL: message types, threads with their participants,
//! messages with their attachments, read marks and email preferences. Every
//! write is one transaction, with the documents attached, the chronology entry
//! and the effects; every read is one transaction, so a thread is never seen
//! with half its participants nor a message with half its attachments. A taken
//! type name is reported by its constraint, `message_types_name`.
//!
//! A thread's participants read back in the order of their account ids (a
//! `uuid` sorts as its text does), each once; a message's attachments in the
//! order they were given.

use std::collections::HashMap;

use async_trait::async_trait;
use send_domain::{
    ChildId, Document, DocumentId, Message, MessageBody, MessageId, MessageType, MessageTypeId,
    ShortText, TeamId, Thread, ThreadId, UserId,
};
use send_store::{ChronologyEntry, Effects, MessageStore, StoreError, StoreResult};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Postgres, QueryBuilder, Row};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::PgStore;
use crate::cases::{insert_entry, optional_uuid, uuid};
use crate::convert::{corrupt, from_sqlx};
use crate::documents::insert_document;
use crate::effects;

/// A message written to a thread other than the one given with it.
fn wrong_thread(message: &Message, thread: &Thread) -> StoreError {
    StoreError::Other(
        format!(
            "message {} is for thread {}, not {}",
            message.id, message.thread_id, thread.id
        )
        .into(),
    )
}

fn text(row: &PgRow, name: &str) -> StoreResult<String> {
    row.try_get(name).map_err(from_sqlx)
}

fn time(row: &PgRow, name: &str) -> StoreResult<OffsetDateTime> {
    row.try_get(name).map_err(from_sqlx)
}

fn flag(row: &PgRow, name: &str) -> StoreResult<bool> {
    row.try_get(name).map_err(from_sqlx)
}

fn message_type_from_row(row: &PgRow) -> StoreResult<MessageType> {
    Ok(MessageType {
        id: MessageTypeId::from_uuid(uuid(row, "id")?),
        name: ShortText::from_stored(text(row, "name")?),
        active: flag(row, "active")?,
    })
}

/// A thread from its row, without its participants (see [`read_threads`]).
fn thread_from_row(row: &PgRow) -> StoreResult<Thread> {
    Ok(Thread {
        id: ThreadId::from_uuid(uuid(row, "id")?),
        child_id: ChildId::from_uuid(uuid(row, "child_id")?),
        message_type: MessageTypeId::from_uuid(uuid(row, "message_type")?),
        subject: ShortText::from_stored(text(row, "subject")?),
        started_by: UserId::from_uuid(uuid(row, "started_by")?),
        started_at: time(row, "started_at")?,
        participants: Vec::new(),
        assigned_to: optional_uuid(row, "assigned_to")?.map(UserId::from_uuid),
        last_message_at: time(row, "last_message_at")?,
        waiting_since: row.try_get("waiting_since").map_err(from_sqlx)?,
    })
}

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

/// Replaces the thread's participants with `thread.participants`.
async fn write_participants(conn: &mut PgConnection, thread: &Thread) -> StoreResult<()> {
    sqlx::query("DELETE FROM thread_participants WHERE thread_id = $1")
        .bind(thread.id.as_uuid())
        .execute(&mut *conn)
        .await
        .map_err(from_sqlx)?;
    for account in &thread.participants {
        sqlx::query(
            "INSERT INTO thread_participants (thread_id, account_id) VALUES ($1, $2) \
             ON CONFLICT DO NOTHING",
        )
        .bind(thread.id.as_uuid())
        .bind(account.as_uuid())
        .execute(&mut *conn)
        .await
        .map_err(from_sqlx)?;
    }
    Ok(())
}

/// Stores the documents attached to a message, then the message and its
/// attachment rows.
async fn insert_message(
    conn: &mut PgConnection,
    message: &Message,
    attachments: &[Document],
) -> StoreResult<()> {
    for document in attachments {
        insert_document(conn, document).await?;
    }
    sqlx::query(
        "INSERT INTO messages (id, thread_id, author, from_council, body, sent_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(message.id.as_uuid())
    .bind(message.thread_id.as_uuid())
    .bind(message.author.as_uuid())
    .bind(message.from_council)
    .bind(message.body.as_str())
    .bind(message.sent_at)
    .execute(&mut *conn)
    .await
    .map_err(from_sqlx)?;
    for (position, document) in (0_i32..).zip(&message.attachments) {
        sqlx::query(
            "INSERT INTO message_attachments (message_id, document_id, position) \
             VALUES ($1, $2, $3)",
        )
        .bind(message.id.as_uuid())
        .bind(document.as_uuid())
        .bind(position)
        .execute(&mut *conn)
        .await
        .map_err(from_sqlx)?;
    }
    Ok(())
}

/// The messages of `rows` with their attachments.
async fn read_messages(conn: &mut PgConnection, rows: &[PgRow]) -> StoreResult<Vec<Message>> {
    let mut messages = rows
        .iter()
        .map(|row| {
            Ok(Message {
                id: MessageId::from_uuid(uuid(row, "id")?),
                thread_id: ThreadId::from_uuid(uuid(row, "thread_id")?),
                author: UserId::from_uuid(uuid(row, "author")?),
                from_council: flag(row, "from_council")?,
                body: MessageBody::from_stored(text(row, "body")?),
                sent_at: time(row, "sent_at")?,
                attachments: Vec::new(),
            })
        })
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

#[async_trait]
impl MessageStore for PgStore {
    async fn message_types(&self) -> StoreResult<Vec<MessageType>> {
        let rows = sqlx::query("SELECT * FROM message_types ORDER BY name, id")
            .fetch_all(&self.pool)
            .await
            .map_err(from_sqlx)?;
        rows.iter().map(message_type_from_row).collect()
    }

    async fn save_message_type(
        &self,
        message_type: &MessageType,
        effects: &Effects,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        sqlx::query(
            "INSERT INTO message_types (id, name, active) VALUES ($1, $2, $3) \
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, active = excluded.active",
        )
        .bind(message_type.id.as_uuid())
        .bind(message_type.name.as_str())
        .bind(message_type.active)
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    async fn insert_thread(
        &self,
        thread: &Thread,
        first: &Message,
        attachments: &[Document],
        entry: &ChronologyEntry,
        effects: &Effects,
    ) -> StoreResult<()> {
        if first.thread_id != thread.id {
            return Err(wrong_thread(first, thread));
        }
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        sqlx::query(
            "INSERT INTO message_threads \
             (id, child_id, message_type, subject, started_by, started_at, assigned_to, \
              last_message_at, waiting_since) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(thread.id.as_uuid())
        .bind(thread.child_id.as_uuid())
        .bind(thread.message_type.as_uuid())
        .bind(thread.subject.as_str())
        .bind(thread.started_by.as_uuid())
        .bind(thread.started_at)
        .bind(thread.assigned_to.map(|id| id.as_uuid()))
        .bind(thread.last_message_at)
        .bind(thread.waiting_since)
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        write_participants(&mut tx, thread).await?;
        insert_message(&mut tx, first, attachments).await?;
        insert_entry(&mut tx, entry).await?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    async fn add_message(
        &self,
        thread: &Thread,
        message: &Message,
        attachments: &[Document],
        effects: &Effects,
    ) -> StoreResult<()> {
        if message.thread_id != thread.id {
            return Err(wrong_thread(message, thread));
        }
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        let done = sqlx::query(
            "UPDATE message_threads SET last_message_at = $1, waiting_since = $2 WHERE id = $3",
        )
        .bind(thread.last_message_at)
        .bind(thread.waiting_since)
        .bind(thread.id.as_uuid())
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        write_participants(&mut tx, thread).await?;
        insert_message(&mut tx, message, attachments).await?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

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

    async fn threads_with_participant(
        &self,
        child: ChildId,
        account: UserId,
    ) -> StoreResult<Vec<Thread>> {
        threads_where(
            self,
            "SELECT t.* FROM message_threads t \
             JOIN thread_participants p ON p.thread_id = t.id AND p.account_id = $2 \
             WHERE t.child_id = $1 \
             ORDER BY t.last_message_at DESC, t.id DESC",
            child.as_uuid(),
            Some(account.as_uuid()),
        )
        .await
    }

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

    async fn mark_read(
        &self,
        thread: ThreadId,
        account: UserId,
        at: OffsetDateTime,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO thread_reads (thread_id, account_id, read_up_to) VALUES ($1, $2, $3) \
             ON CONFLICT (thread_id, account_id) DO UPDATE SET read_up_to = excluded.read_up_to \
             WHERE excluded.read_up_to > thread_reads.read_up_to",
        )
        .bind(thread.as_uuid())
        .bind(account.as_uuid())
        .bind(at)
        .execute(&self.pool)
        .await
        .map_err(from_sqlx)?;
        Ok(())
    }

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

    async fn assign_thread(
        &self,
        thread: ThreadId,
        to: Option<UserId>,
        effects: &Effects,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        let done = sqlx::query("UPDATE message_threads SET assigned_to = $1 WHERE id = $2")
            .bind(to.map(|id| id.as_uuid()))
            .bind(thread.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    async fn hand_over_threads(
        &self,
        from: UserId,
        to: UserId,
        effects: &Effects,
    ) -> StoreResult<u64> {
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        let done =
            sqlx::query("UPDATE message_threads SET assigned_to = $1 WHERE assigned_to = $2")
                .bind(to.as_uuid())
                .bind(from.as_uuid())
                .execute(&mut *tx)
                .await
                .map_err(from_sqlx)?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(done.rows_affected())
    }

    async fn wants_message_emails(&self, account: UserId) -> StoreResult<bool> {
        let row = sqlx::query("SELECT emails FROM message_preferences WHERE account_id = $1")
            .bind(account.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(from_sqlx)?;
        row.map_or(Ok(true), |row| flag(&row, "emails"))
    }

    async fn set_message_emails(
        &self,
        account: UserId,
        on: bool,
        effects: &Effects,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        sqlx::query(
            "INSERT INTO message_preferences (account_id, emails) VALUES ($1, $2) \
             ON CONFLICT (account_id) DO UPDATE SET emails = excluded.emails",
        )
        .bind(account.as_uuid())
        .bind(on)
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }
}
