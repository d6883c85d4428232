//! Writes of the council's own texts: save one (an upsert by key) or restore
//! its default (delete the row).

use send_domain::UserId;
use send_store::StoreResult;
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use super::write_error;
use crate::convert::time_to_text;

pub(super) async fn save_council_text(
    conn: &mut SqliteConnection,
    key: &str,
    value: &str,
    by: UserId,
    at: OffsetDateTime,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "INSERT INTO council_texts (key, value, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, \
         updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(key)
    .bind(value)
    .bind(by.to_string())
    .bind(time_to_text(at))
    .execute(conn)
    .await
    .map_err(write_error)?;
    Ok(done.rows_affected())
}

pub(super) async fn restore_council_text(
    conn: &mut SqliteConnection,
    key: &str,
) -> StoreResult<u64> {
    let done = sqlx::query("DELETE FROM council_texts WHERE key = $1")
        .bind(key)
        .execute(conn)
        .await
        .map_err(write_error)?;
    Ok(done.rows_affected())
}
