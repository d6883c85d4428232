//! Helpers for tests that need a private PostgreSQL schema.
//!
//! Each test gets a schema named `sp_test_<unix seconds>_<random>`; schemas left
//! behind by earlier runs (older than two hours) are dropped the next time one is
//! made, so a developer's database does not fill up.

use send_store::StoreResult;
use sqlx::Row;
use sqlx::postgres::PgPoolOptions;

use crate::PgStore;
use crate::convert::from_sqlx;

const PREFIX: &str = "sp_test_";

/// Connects to `url` in a new, empty schema of its own.
pub async fn fresh_schema(url: &str, now_unix: i64, random: u64) -> StoreResult<(PgStore, String)> {
    drop_stale_schemas(url, now_unix - 2 * 60 * 60).await?;
    let schema = format!("{PREFIX}{now_unix}_{random:016x}");
    let store = PgStore::connect_in_schema(url, Some(&schema)).await?;
    Ok((store, schema))
}

async fn drop_stale_schemas(url: &str, older_than_unix: i64) -> StoreResult<()> {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .map_err(from_sqlx)?;
    let rows = sqlx::query(
        "SELECT nspname::text AS name FROM pg_namespace WHERE nspname LIKE 'sp\\_test\\_%'",
    )
    .fetch_all(&pool)
    .await
    .map_err(from_sqlx)?;
    for row in rows {
        let name: String = row.try_get("name").map_err(from_sqlx)?;
        let stamp = name
            .strip_prefix(PREFIX)
            .and_then(|rest| rest.split('_').next())
            .and_then(|s| s.parse::<i64>().ok());
        if crate::check_schema_name(&name).is_ok() && stamp.is_some_and(|s| s < older_than_unix) {
            // Another test run may drop it at the same moment: ignore failures.
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP SCHEMA IF EXISTS \"{name}\" CASCADE"
            )))
            .execute(&pool)
            .await;
        }
    }
    pool.close().await;
    Ok(())
}
