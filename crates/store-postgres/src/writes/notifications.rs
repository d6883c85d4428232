//! Writes of automatic notifications: the council's setting per event and a
//! person's opt-outs.

use send_domain::UserId;
use send_domain::notifications::{NotificationEvent, NotificationSetting};
use send_store::StoreResult;
use sqlx::PgConnection;
use time::OffsetDateTime;

use super::write_error;

pub(super) async fn save_notification_setting(
    conn: &mut PgConnection,
    setting: &NotificationSetting,
    by: UserId,
    at: OffsetDateTime,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "INSERT INTO notification_settings \
         (event, families, professionals, subject, body, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (event) DO UPDATE SET families = excluded.families, \
         professionals = excluded.professionals, subject = excluded.subject, \
         body = excluded.body, updated_by = excluded.updated_by, \
         updated_at = excluded.updated_at",
    )
    .bind(setting.event.code())
    .bind(setting.audiences.families)
    .bind(setting.audiences.professionals)
    .bind(setting.text.subject())
    .bind(setting.text.body())
    .bind(by.as_uuid())
    .bind(at)
    .execute(conn)
    .await
    .map_err(write_error)?;
    Ok(done.rows_affected())
}

pub(super) async fn set_notification_opt_out(
    conn: &mut PgConnection,
    account: UserId,
    event: NotificationEvent,
    off: bool,
) -> StoreResult<u64> {
    let sql = if off {
        "INSERT INTO notification_opt_outs (account_id, event) VALUES ($1, $2) \
         ON CONFLICT (account_id, event) DO NOTHING"
    } else {
        "DELETE FROM notification_opt_outs WHERE account_id = $1 AND event = $2"
    };
    let done = sqlx::query(sql)
        .bind(account.as_uuid())
        .bind(event.code())
        .execute(conn)
        .await
        .map_err(write_error)?;
    Ok(done.rows_affected())
}
