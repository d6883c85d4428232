//! Automatic notifications on SQLite: the council's settings per event and each
//! person's opt-outs (reads; the writes are in `writes::notifications`).

use async_trait::async_trait;
use send_domain::UserId;
use send_domain::notifications::{
    Audiences, NotificationEvent, NotificationSetting, NotificationText,
};
use send_store::{NotificationStore, StoreResult};
use sqlx::sqlite::SqliteRow;

use crate::SqliteStore;
use crate::convert::from_sqlx;
use crate::rows::{code, flag, text};

fn setting_from_row(row: &SqliteRow) -> StoreResult<NotificationSetting> {
    Ok(NotificationSetting {
        event: code(row, "event")?,
        audiences: Audiences {
            families: flag(row, "families")?,
            professionals: flag(row, "professionals")?,
        },
        text: NotificationText::from_stored(text(row, "subject")?, text(row, "body")?),
    })
}

#[async_trait]
impl NotificationStore for SqliteStore {
    #[tracing::instrument(level = "debug", name = "store.notification_settings", skip_all)]
    async fn notification_settings(&self) -> StoreResult<Vec<NotificationSetting>> {
        let rows = sqlx::query(
            "SELECT event, families, professionals, subject, body \
             FROM notification_settings ORDER BY event",
        )
        .fetch_all(&self.reader)
        .await
        .map_err(from_sqlx)?;
        rows.iter().map(setting_from_row).collect()
    }

    #[tracing::instrument(level = "debug", name = "store.notification_opt_outs", skip_all)]
    async fn notification_opt_outs(&self, account: UserId) -> StoreResult<Vec<NotificationEvent>> {
        let rows = sqlx::query(
            "SELECT event FROM notification_opt_outs WHERE account_id = $1 ORDER BY event",
        )
        .bind(account.to_string())
        .fetch_all(&self.reader)
        .await
        .map_err(from_sqlx)?;
        rows.iter().map(|row| code(row, "event")).collect()
    }
}
