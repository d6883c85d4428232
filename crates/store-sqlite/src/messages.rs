//! Messages on SQLite: message types, threads with their participants, messages
//! with their attachments, read marks and email preferences. Every write is one
//! transaction on the single writer connection, with the documents attached,
//! the chronology entry and the effects; every read is one read transaction, so
//! a thread is never seen with half its participants nor a message with half
//! its attachments.
//!
//! A thread's participants read back in the order of their account ids (as
//! text), each once; a message's attachments in the order they were given.

use std::collections::HashMap;

use async_trait::async_trait;
use send_domain::{
    ChildId, Document, DocumentId, Message, MessageBody, MessageId, MessageType, MessageTypeId,
    ShortText, TeamId, Thread, ThreadId, UserId,
};
use send_store::{ChronologyEntry, Effects, MessageStore, StoreError, StoreResult};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};
use time::OffsetDateTime;

use crate::SqliteStore;
use crate::cases::{id_from_row, insert_entry, optional_id};
use crate::convert::{corrupt, from_sqlx, time_from_text, time_to_text};
use crate::documents::{IDS_PER_QUERY, insert_document, rows_for_ids};
use crate::effects;

/// SQLite names a unique violation by its columns (`UNIQUE constraint failed:
/// message_types.name`); the trait promises the constraint's name, as
/// PostgreSQL gives it.
fn write_error(err: sqlx::Error) -> StoreError {
    match from_sqlx(err) {
        StoreError::Conflict { constraint } if constraint.ends_with(": message_types.name") => {
            StoreError::Conflict {
                constraint: "message_types_name".to_owned(),
            }
        }
        other => other,
    }
}

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

fn text(row: &SqliteRow, name: &str) -> StoreResult<String> {
    row.try_get(name).map_err(from_sqlx)
}

fn time(row: &SqliteRow, name: &str) -> StoreResult<OffsetDateTime> {
    time_from_text(&text(row, name)?)
}

fn optional_time(row: &SqliteRow, name: &str) -> StoreResult<Option<OffsetDateTime>> {
    row.try_get::<Option<String>, _>(name)
        .map_err(from_sqlx)?
        .map(|t| time_from_text(&t))
        .transpose()
}

fn flag(row: &SqliteRow, name: &str) -> StoreResult<bool> {
    Ok(row.try_get::<i64, _>(name).map_err(from_sqlx)? != 0)
}

fn message_type_from_row(row: &SqliteRow) -> StoreResult<MessageType> {
    Ok(MessageType {
        id: MessageTypeId::from_uuid(id_from_row(row, "id")?),
        name: ShortText::from_stored(text(row, "name")?),
        active: flag(row, "active")?,
    })
}

/// A thread from its row, without its participants (see [`read_threads`]).
fn thread_from_row(row: &SqliteRow) -> StoreResult<Thread> {
    Ok(Thread {
        id: ThreadId::from_uuid(id_from_row(row, "id")?),
        child_id: ChildId::from_uuid(id_from_row(row, "child_id")?),
        message_type: MessageTypeId::from_uuid(id_from_row(row, "message_type")?),
        subject: ShortText::from_stored(text(row, "subject")?),
        started_by: UserId::from_uuid(id_from_row(row, "started_by")?),
        started_at: time(row, "started_at")?,
        participants: Vec::new(),
        assigned_to: optional_id(row, "assigned_to")?.map(UserId::from_uuid),
        last_message_at: time(row, "last_message_at")?,
        waiting_since: optional_time(row, "waiting_since")?,
    })
}

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
            let id = ThreadId::from_uuid(id_from_row(row, "thread_id")?);
            let i = *index
                .get(&id)
                .ok_or_else(|| corrupt(format_args!("participants of thread {id}")))?;
            threads[i]
                .participants
                .push(UserId::from_uuid(id_from_row(row, "account_id")?));
        }
    }
    Ok(threads)
}

/// Replaces the thread's participants with `thread.participants`.
async fn write_participants(conn: &mut SqliteConnection, thread: &Thread) -> StoreResult<()> {
    sqlx::query("DELETE FROM thread_participants WHERE thread_id = ?")
        .bind(thread.id.to_string())
        .execute(&mut *conn)
        .await
        .map_err(from_sqlx)?;
    for account in &thread.participants {
        sqlx::query(
            "INSERT INTO thread_participants (thread_id, account_id) VALUES (?, ?) \
             ON CONFLICT DO NOTHING",
        )
        .bind(thread.id.to_string())
        .bind(account.to_string())
        .execute(&mut *conn)
        .await
        .map_err(from_sqlx)?;
    }
    Ok(())
}

/// Stores the documents attached to a message, then the message and its
/// attachment rows.
async fn insert_message(
    conn: &mut SqliteConnection,
    message: &Message,
    attachments: &[Document],
) -> StoreResult<()> {
    for document in attachments {
        insert_document(conn, document).await?;
    }
    sqlx::query(
        "INSERT INTO messages (id, thread_id, author, from_council, body, sent_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(message.id.to_string())
    .bind(message.thread_id.to_string())
    .bind(message.author.to_string())
    .bind(i64::from(message.from_council))
    .bind(message.body.as_str())
    .bind(time_to_text(message.sent_at))
    .execute(&mut *conn)
    .await
    .map_err(from_sqlx)?;
    for (position, document) in (0_i64..).zip(&message.attachments) {
        sqlx::query(
            "INSERT INTO message_attachments (message_id, document_id, position) \
             VALUES (?, ?, ?)",
        )
        .bind(message.id.to_string())
        .bind(document.to_string())
        .bind(position)
        .execute(&mut *conn)
        .await
        .map_err(from_sqlx)?;
    }
    Ok(())
}

/// The messages of `rows` with their attachments.
async fn read_messages(
    conn: &mut SqliteConnection,
    rows: &[SqliteRow],
) -> StoreResult<Vec<Message>> {
    let mut messages = rows
        .iter()
        .map(|row| {
            Ok(Message {
                id: MessageId::from_uuid(id_from_row(row, "id")?),
                thread_id: ThreadId::from_uuid(id_from_row(row, "thread_id")?),
                author: UserId::from_uuid(id_from_row(row, "author")?),
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
            let id = MessageId::from_uuid(id_from_row(row, "message_id")?);
            let i = *index
                .get(&id)
                .ok_or_else(|| corrupt(format_args!("attachments of message {id}")))?;
            messages[i]
                .attachments
                .push(DocumentId::from_uuid(id_from_row(row, "document_id")?));
        }
    }
    Ok(messages)
}

/// The threads `query` finds (`?1` bound to `first`, `?2` to `second` if
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

#[async_trait]
impl MessageStore for SqliteStore {
    async fn message_types(&self) -> StoreResult<Vec<MessageType>> {
        let rows = sqlx::query("SELECT * FROM message_types ORDER BY name, id")
            .fetch_all(&self.reader)
            .await
            .map_err(from_sqlx)?;
        rows.iter().map(message_type_from_row).collect()
    }

    async fn save_message_type(
        &self,
        message_type: &MessageType,
        effects: &Effects,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        sqlx::query(
            "INSERT INTO message_types (id, name, active) VALUES (?, ?, ?) \
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, active = excluded.active",
        )
        .bind(message_type.id.to_string())
        .bind(message_type.name.as_str())
        .bind(i64::from(message_type.active))
        .execute(&mut *tx)
        .await
        .map_err(write_error)?;
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
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        sqlx::query(
            "INSERT INTO message_threads \
             (id, child_id, message_type, subject, started_by, started_at, assigned_to, \
              last_message_at, waiting_since) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(thread.id.to_string())
        .bind(thread.child_id.to_string())
        .bind(thread.message_type.to_string())
        .bind(thread.subject.as_str())
        .bind(thread.started_by.to_string())
        .bind(time_to_text(thread.started_at))
        .bind(thread.assigned_to.map(|id| id.to_string()))
        .bind(time_to_text(thread.last_message_at))
        .bind(thread.waiting_since.map(time_to_text))
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
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        let done = sqlx::query(
            "UPDATE message_threads SET last_message_at = ?, waiting_since = ? WHERE id = ?",
        )
        .bind(time_to_text(thread.last_message_at))
        .bind(thread.waiting_since.map(time_to_text))
        .bind(thread.id.to_string())
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
            "SELECT * FROM message_threads WHERE id = ?1",
            id.to_string(),
            None,
        )
        .await?;
        Ok(found.into_iter().next())
    }

    async fn threads_of_child(&self, child: ChildId) -> StoreResult<Vec<Thread>> {
        threads_where(
            self,
            "SELECT * FROM message_threads WHERE child_id = ?1 \
             ORDER BY last_message_at DESC, id DESC",
            child.to_string(),
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
             JOIN thread_participants p ON p.thread_id = t.id AND p.account_id = ?2 \
             WHERE t.child_id = ?1 \
             ORDER BY t.last_message_at DESC, t.id DESC",
            child.to_string(),
            Some(account.to_string()),
        )
        .await
    }

    async fn messages(&self, thread: ThreadId) -> StoreResult<Vec<Message>> {
        let mut tx = self.reader.begin().await.map_err(from_sqlx)?;
        let rows = sqlx::query("SELECT * FROM messages WHERE thread_id = ? ORDER BY sent_at, id")
            .bind(thread.to_string())
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
            "INSERT INTO thread_reads (thread_id, account_id, read_up_to) VALUES (?, ?, ?) \
             ON CONFLICT (thread_id, account_id) DO UPDATE SET read_up_to = excluded.read_up_to \
             WHERE excluded.read_up_to > thread_reads.read_up_to",
        )
        .bind(thread.to_string())
        .bind(account.to_string())
        .bind(time_to_text(at))
        .execute(&self.writer)
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
            "SELECT read_up_to FROM thread_reads WHERE thread_id = ? AND account_id = ?",
        )
        .bind(thread.to_string())
        .bind(account.to_string())
        .fetch_optional(&self.reader)
        .await
        .map_err(from_sqlx)?;
        row.map(|row| time(&row, "read_up_to")).transpose()
    }

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

    async fn assign_thread(
        &self,
        thread: ThreadId,
        to: Option<UserId>,
        effects: &Effects,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        let done = sqlx::query("UPDATE message_threads SET assigned_to = ? WHERE id = ?")
            .bind(to.map(|id| id.to_string()))
            .bind(thread.to_string())
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
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        let done = sqlx::query("UPDATE message_threads SET assigned_to = ? WHERE assigned_to = ?")
            .bind(to.to_string())
            .bind(from.to_string())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(done.rows_affected())
    }

    async fn wants_message_emails(&self, account: UserId) -> StoreResult<bool> {
        let row = sqlx::query("SELECT emails FROM message_preferences WHERE account_id = ?")
            .bind(account.to_string())
            .fetch_optional(&self.reader)
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
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        sqlx::query(
            "INSERT INTO message_preferences (account_id, emails) VALUES (?, ?) \
             ON CONFLICT (account_id) DO UPDATE SET emails = excluded.emails",
        )
        .bind(account.to_string())
        .bind(i64::from(on))
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }
}
