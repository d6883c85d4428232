use async_trait::async_trait;
use send_store::{HealthStore, StoreResult};

use crate::SqliteStore;
use crate::convert::from_sqlx;

#[async_trait]
impl HealthStore for SqliteStore {
    #[tracing::instrument(level = "debug", name = "store.ping", skip_all)]
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1")
            .execute(&self.reader)
            .await
            .map_err(from_sqlx)?;
        Ok(())
    }

    fn engine(&self) -> &'static str {
        "sqlite"
    }
}
