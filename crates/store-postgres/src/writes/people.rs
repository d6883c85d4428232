//! Writes of the people pages: whether an account may sign in, and ending an
//! account's sessions.

use send_domain::{AccountStatus, UserId};
use send_store::{StoreResult, WhichSessions};
use sqlx::PgConnection;
use time::OffsetDateTime;

use super::{found, write_error};

/// Sets whether an account may sign in and ends all its sessions.
pub(super) async fn set_account_status(
    conn: &mut PgConnection,
    account: UserId,
    status: AccountStatus,
    reason: Option<&str>,
    at: OffsetDateTime,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "UPDATE accounts SET status = $1, status_reason = $2, status_changed_at = $3 \
         WHERE id = $4",
    )
    .bind(status.code())
    .bind(reason)
    .bind(at)
    .bind(account.as_uuid())
    .execute(&mut *conn)
    .await
    .map_err(write_error)?;
    let rows = found(done.rows_affected())?;
    end_sessions(conn, account).await?;
    Ok(rows)
}

/// Ends every session of an account; how many there were.
pub(super) async fn end_sessions(conn: &mut PgConnection, account: UserId) -> StoreResult<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE account_id = $1")
        .bind(account.as_uuid())
        .execute(conn)
        .await
        .map_err(write_error)?;
    Ok(done.rows_affected())
}

/// Ends the account's sessions that `which` names; how many there were.
pub(super) async fn end_sessions_of_account(
    conn: &mut PgConnection,
    account: UserId,
    which: &WhichSessions,
) -> StoreResult<u64> {
    let (sql, id_hash) = match which {
        WhichSessions::Only(hash) => (
            "DELETE FROM sessions WHERE account_id = $1 AND id_hash = $2",
            hash,
        ),
        WhichSessions::AllBut(hash) => (
            "DELETE FROM sessions WHERE account_id = $1 AND id_hash <> $2",
            hash,
        ),
    };
    let done = sqlx::query(sql)
        .bind(account.as_uuid())
        .bind(id_hash.as_hex())
        .execute(conn)
        .await
        .map_err(write_error)?;
    Ok(done.rows_affected())
}
