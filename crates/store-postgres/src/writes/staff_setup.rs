//! Writes of links to set up back-office accounts.

use send_domain::{StaffSetupLink, StaffSetupLinkId};
use send_store::{STAFF_SETUP_LINK_CHANGED, StoreResult};
use sqlx::PgConnection;
use time::OffsetDateTime;

use super::{refused, write_error};

/// A new link with the groups it will give.
pub(super) async fn insert_staff_setup_link(
    conn: &mut PgConnection,
    link: &StaffSetupLink,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "INSERT INTO staff_setup_links \
         (id, email, name, role, team_id, token_hash, created_at, expires_at, used_at, \
         withdrawn_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(link.id.as_uuid())
    .bind(link.email.as_str())
    .bind(link.name.as_str())
    .bind(link.role.code())
    .bind(link.team_id.map(|id| id.as_uuid()))
    .bind(link.token_hash.as_hex())
    .bind(link.created_at)
    .bind(link.expires_at)
    .bind(link.used_at)
    .bind(link.withdrawn_at)
    .execute(&mut *conn)
    .await
    .map_err(write_error)?;
    for group in &link.groups {
        sqlx::query("INSERT INTO staff_setup_link_groups (link_id, group_id) VALUES ($1, $2)")
            .bind(link.id.as_uuid())
            .bind(group.as_uuid())
            .execute(&mut *conn)
            .await
            .map_err(write_error)?;
    }
    Ok(done.rows_affected())
}

/// Withdraws a link neither used nor withdrawn.
pub(super) async fn withdraw_staff_setup_link(
    conn: &mut PgConnection,
    id: StaffSetupLinkId,
    at: OffsetDateTime,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "UPDATE staff_setup_links SET withdrawn_at = $1 \
         WHERE id = $2 AND used_at IS NULL AND withdrawn_at IS NULL",
    )
    .bind(at)
    .bind(id.as_uuid())
    .execute(&mut *conn)
    .await
    .map_err(write_error)?;
    if done.rows_affected() == 0 {
        return Err(refused(
            conn,
            "SELECT 1 FROM staff_setup_links WHERE id = $1",
            id.as_uuid(),
            STAFF_SETUP_LINK_CHANGED,
        )
        .await);
    }
    Ok(done.rows_affected())
}
