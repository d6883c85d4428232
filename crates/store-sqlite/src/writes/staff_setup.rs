//! Writes of links to set up back-office accounts.

use send_domain::{StaffSetupLink, StaffSetupLinkId};
use send_store::{STAFF_SETUP_LINK_CHANGED, StoreResult};
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use super::{refused, write_error};
use crate::convert::time_to_text;

/// A new link with the groups it will give.
pub(super) async fn insert_staff_setup_link(
    conn: &mut SqliteConnection,
    link: &StaffSetupLink,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "INSERT INTO staff_setup_links \
         (id, email, name, role, team_id, token_hash, created_at, expires_at, used_at, \
         withdrawn_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(link.id.to_string())
    .bind(link.email.as_str())
    .bind(link.name.as_str())
    .bind(link.role.code())
    .bind(link.team_id.map(|id| id.to_string()))
    .bind(link.token_hash.as_hex())
    .bind(time_to_text(link.created_at))
    .bind(time_to_text(link.expires_at))
    .bind(link.used_at.map(time_to_text))
    .bind(link.withdrawn_at.map(time_to_text))
    .execute(&mut *conn)
    .await
    .map_err(write_error)?;
    for group in &link.groups {
        sqlx::query("INSERT INTO staff_setup_link_groups (link_id, group_id) VALUES ($1, $2)")
            .bind(link.id.to_string())
            .bind(group.to_string())
            .execute(&mut *conn)
            .await
            .map_err(write_error)?;
    }
    Ok(done.rows_affected())
}

/// Withdraws a link neither used nor withdrawn.
pub(super) async fn withdraw_staff_setup_link(
    conn: &mut SqliteConnection,
    id: StaffSetupLinkId,
    at: OffsetDateTime,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "UPDATE staff_setup_links SET withdrawn_at = $1 \
         WHERE id = $2 AND used_at IS NULL AND withdrawn_at IS NULL",
    )
    .bind(time_to_text(at))
    .bind(id.to_string())
    .execute(&mut *conn)
    .await
    .map_err(write_error)?;
    if done.rows_affected() == 0 {
        return Err(refused(
            conn,
            "SELECT 1 FROM staff_setup_links WHERE id = $1",
            id.to_string(),
            STAFF_SETUP_LINK_CHANGED,
        )
        .await);
    }
    Ok(done.rows_affected())
}
