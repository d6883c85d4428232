//! Effects (audit events and emails) written with a change, or on their own.

use async_trait::async_trait;
use send_store::{Effects, EffectsStore, StoreResult};
use sqlx::sqlite::SqliteConnection;

use crate::convert::from_sqlx;
use crate::{SqliteStore, audit, outbox};

/// Writes every audit event and email of `effects` on `conn` (inside the caller's
/// transaction).
pub(crate) async fn write(conn: &mut SqliteConnection, effects: &Effects) -> StoreResult<()> {
    for event in &effects.audit {
        audit::insert(conn, event).await?;
    }
    for email in &effects.emails {
        outbox::insert(conn, email).await?;
    }
    Ok(())
}

#[async_trait]
impl EffectsStore for SqliteStore {
    async fn record_effects(&self, effects: &Effects) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }
}
