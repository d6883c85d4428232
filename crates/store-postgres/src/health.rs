use async_trait::async_trait;
use send_store::{HealthStore, StoreResult};

use crate::PgStore;
use crate::convert::from_sqlx;

#[async_trait]
impl HealthStore for PgStore {
    #[tracing::instrument(level = "debug", name = "store.ping", skip_all)]
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(from_sqlx)?;
        Ok(())
    }

    fn engine(&self) -> &'static str {
        "postgres"
    }
}
