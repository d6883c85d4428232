//! Effects (audit events and emails), written in the transaction of the change
//! that causes them.

use send_store::{Effects, StoreResult};
use sqlx::sqlite::SqliteConnection;

use crate::{audit, outbox};

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
