//! Writes of messages: message types, threads with their participants, messages
//! with their attachment lists, read marks, notices sent, hand-overs and email
//! preferences.

use send_domain::{Message, MessageType, Thread, ThreadId, UserId};
use send_store::{StoreError, StoreResult, THREAD_CHANGED};
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use super::{refused, write_error};
use crate::convert::{number_to_db, time_to_text};

/// Adds or replaces a message type (by id).
pub(super) async fn save_message_type(
    conn: &mut SqliteConnection,
    message_type: &MessageType,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "INSERT INTO message_types (id, name, active) VALUES ($1, $2, $3) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, active = excluded.active",
    )
    .bind(message_type.id.to_string())
    .bind(message_type.name.as_str())
    .bind(i64::from(message_type.active))
    .execute(conn)
    .await
    .map_err(write_error)?;
    Ok(done.rows_affected())
}

/// A new thread with its participants.
pub(super) async fn insert_thread(
    conn: &mut SqliteConnection,
    thread: &Thread,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "INSERT INTO message_threads \
         (id, child_id, message_type, subject, started_by, started_at, assigned_to, \
          last_message_at, waiting_since, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
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
    .bind(number_to_db(thread.version)?)
    .execute(&mut *conn)
    .await
    .map_err(write_error)?;
    write_participants(conn, thread).await?;
    Ok(done.rows_affected())
}

/// Writes the holder, last message time, waiting time and participants if the
/// stored version is `expected_version`, and moves the version on.
pub(super) async fn update_thread(
    conn: &mut SqliteConnection,
    thread: &Thread,
    expected_version: u32,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "UPDATE message_threads SET assigned_to = $1, last_message_at = $2, \
         waiting_since = $3, version = $5 + 1 \
         WHERE id = $4 AND version = $5",
    )
    .bind(thread.assigned_to.map(|id| id.to_string()))
    .bind(time_to_text(thread.last_message_at))
    .bind(thread.waiting_since.map(time_to_text))
    .bind(thread.id.to_string())
    .bind(number_to_db(expected_version)?)
    .execute(&mut *conn)
    .await
    .map_err(write_error)?;
    if done.rows_affected() == 0 {
        return Err(refused(
            conn,
            "SELECT 1 FROM message_threads WHERE id = $1",
            thread.id.to_string(),
            THREAD_CHANGED,
        )
        .await);
    }
    write_participants(conn, thread).await?;
    Ok(done.rows_affected())
}

/// Replaces the thread's participants with `thread.participants`.
async fn write_participants(conn: &mut SqliteConnection, thread: &Thread) -> StoreResult<()> {
    sqlx::query("DELETE FROM thread_participants WHERE thread_id = $1")
        .bind(thread.id.to_string())
        .execute(&mut *conn)
        .await
        .map_err(write_error)?;
    for account in &thread.participants {
        sqlx::query(
            "INSERT INTO thread_participants (thread_id, account_id) VALUES ($1, $2) \
             ON CONFLICT DO NOTHING",
        )
        .bind(thread.id.to_string())
        .bind(account.to_string())
        .execute(&mut *conn)
        .await
        .map_err(write_error)?;
    }
    Ok(())
}

/// A message and its attachment rows (the documents are already written).
/// `NotFound` if its thread does not exist.
pub(super) async fn insert_message(
    conn: &mut SqliteConnection,
    message: &Message,
) -> StoreResult<u64> {
    let thread = sqlx::query("SELECT 1 FROM message_threads WHERE id = $1")
        .bind(message.thread_id.to_string())
        .fetch_optional(&mut *conn)
        .await
        .map_err(write_error)?;
    if thread.is_none() {
        return Err(StoreError::NotFound);
    }
    let done = sqlx::query(
        "INSERT INTO messages (id, thread_id, author, from_council, body, sent_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(message.id.to_string())
    .bind(message.thread_id.to_string())
    .bind(message.author.to_string())
    .bind(i64::from(message.from_council))
    .bind(message.body.as_str())
    .bind(time_to_text(message.sent_at))
    .execute(&mut *conn)
    .await
    .map_err(write_error)?;
    for (position, document) in (0_i64..).zip(&message.attachments) {
        sqlx::query(
            "INSERT INTO message_attachments (message_id, document_id, position) \
             VALUES ($1, $2, $3)",
        )
        .bind(message.id.to_string())
        .bind(document.to_string())
        .bind(position)
        .execute(&mut *conn)
        .await
        .map_err(write_error)?;
    }
    Ok(done.rows_affected())
}

/// Moves `account`'s read mark on `thread` forward to `at` (never back: 0 rows
/// if it is already there or later).
pub(super) async fn mark_read(
    conn: &mut SqliteConnection,
    thread: ThreadId,
    account: UserId,
    at: OffsetDateTime,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "INSERT INTO thread_reads (thread_id, account_id, read_up_to) VALUES ($1, $2, $3) \
         ON CONFLICT (thread_id, account_id) DO UPDATE SET read_up_to = excluded.read_up_to \
         WHERE excluded.read_up_to > thread_reads.read_up_to",
    )
    .bind(thread.to_string())
    .bind(account.to_string())
    .bind(time_to_text(at))
    .execute(conn)
    .await
    .map_err(write_error)?;
    Ok(done.rows_affected())
}

/// Records when `account` was last emailed about new messages in `thread`.
pub(super) async fn record_message_notice(
    conn: &mut SqliteConnection,
    thread: ThreadId,
    account: UserId,
    at: OffsetDateTime,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "INSERT INTO message_notices (thread_id, account_id, sent_at) VALUES ($1, $2, $3) \
         ON CONFLICT (thread_id, account_id) DO UPDATE SET sent_at = excluded.sent_at",
    )
    .bind(thread.to_string())
    .bind(account.to_string())
    .bind(time_to_text(at))
    .execute(conn)
    .await
    .map_err(write_error)?;
    Ok(done.rows_affected())
}

/// Gives every thread held by `from` to `to`, moving each one's version on.
pub(super) async fn hand_over_threads(
    conn: &mut SqliteConnection,
    from: UserId,
    to: UserId,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "UPDATE message_threads SET assigned_to = $1, version = version + 1 \
         WHERE assigned_to = $2",
    )
    .bind(to.to_string())
    .bind(from.to_string())
    .execute(conn)
    .await
    .map_err(write_error)?;
    Ok(done.rows_affected())
}

pub(super) async fn set_message_emails(
    conn: &mut SqliteConnection,
    account: UserId,
    on: bool,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "INSERT INTO message_preferences (account_id, emails) VALUES ($1, $2) \
         ON CONFLICT (account_id) DO UPDATE SET emails = excluded.emails",
    )
    .bind(account.to_string())
    .bind(i64::from(on))
    .execute(conn)
    .await
    .map_err(write_error)?;
    Ok(done.rows_affected())
}
