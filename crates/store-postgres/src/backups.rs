//! What `send-portal backup` and `restore` ask of a PostgreSQL database (the
//! copy itself is `pg_dump` and `pg_restore`'s work).

use send_store::StoreResult;

use crate::PgStore;
use crate::convert;

impl PgStore {
    /// The newest migration applied, or `None` for a database never migrated.
    pub async fn schema_version(&self) -> StoreResult<Option<i64>> {
        let known: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations')",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(convert::from_sqlx)?;
        if !known {
            return Ok(None);
        }
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(&self.pool)
            .await
            .map_err(convert::from_sqlx)
    }

    /// Whether the current schema holds any table: a restore goes only into a
    /// database that holds none, unless told to replace it.
    pub async fn holds_tables(&self) -> StoreResult<bool> {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM information_schema.tables \
             WHERE table_schema = current_schema())",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(convert::from_sqlx)
    }
}
