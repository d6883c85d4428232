//! Helpers for tests that need a private PostgreSQL schema, or a database of
//! their own for real server processes.
//!
//! Each test gets a schema named `sp_test_<unix seconds>_<random>` (or a database
//! named `sp_testdb_<unix seconds>_<random>`); schemas and databases left behind
//! by earlier runs (older than two hours) are dropped the next time one is made,
//! so a developer's server does not fill up.

use send_store::StoreResult;
use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, PgConnection, Row};

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

const DATABASE_PREFIX: &str = "sp_testdb_";

/// Creates a new, empty database of its own on the server at `server_url`, for
/// tests that start real server processes (which connect by a plain URL, so a
/// private schema will not do). Returns its name; put it in the URL's path and
/// drop it with [`drop_database`]. Databases left behind by earlier runs (older
/// than two hours) are dropped first.
pub async fn fresh_database(server_url: &str, now_unix: i64, random: u64) -> StoreResult<String> {
    let pool = admin_pool(server_url).await?;
    let rows = sqlx::query(
        "SELECT datname::text AS name FROM pg_database WHERE datname LIKE 'sp\\_testdb\\_%'",
    )
    .fetch_all(&pool)
    .await
    .map_err(from_sqlx)?;
    for row in rows {
        let name: String = row.try_get("name").map_err(from_sqlx)?;
        let stamp = name
            .strip_prefix(DATABASE_PREFIX)
            .and_then(|rest| rest.split('_').next())
            .and_then(|s| s.parse::<i64>().ok());
        if crate::check_schema_name(&name).is_ok()
            && stamp.is_some_and(|s| s < now_unix - 2 * 60 * 60)
        {
            // Another test run may drop it at the same moment: ignore failures.
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
            )))
            .execute(&pool)
            .await;
        }
    }
    let name = format!("{DATABASE_PREFIX}{now_unix}_{random:016x}");
    // The name is letters, digits and underscores only.
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&pool)
        .await
        .map_err(from_sqlx)?;
    pool.close().await;
    Ok(name)
}

/// Drops a database [`fresh_database`] made, ending any sessions still in it.
pub async fn drop_database(server_url: &str, name: &str) -> StoreResult<()> {
    crate::check_schema_name(name)?;
    let pool = admin_pool(server_url).await?;
    // The name was checked above to be letters, digits and underscores only.
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
    )))
    .execute(&pool)
    .await
    .map_err(from_sqlx)?;
    pool.close().await;
    Ok(())
}

async fn admin_pool(url: &str) -> StoreResult<sqlx::PgPool> {
    PgPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .map_err(from_sqlx)
}

/// A test's hold on the outbox: `LOCK TABLE outbox_emails IN SHARE MODE` in an
/// open transaction. Reads and updates of other tables go on, but a transaction
/// that inserts an email (a job's finishing commit) waits until the lock is
/// released, so a test can stop a server between claiming a job and finishing it.
/// Dropping it without [`OutboxLock::release`] closes the connection, which also
/// releases the lock.
#[derive(Debug)]
pub struct OutboxLock {
    conn: PgConnection,
}

impl OutboxLock {
    /// Takes the lock on the database at `url`.
    pub async fn take(url: &str) -> StoreResult<Self> {
        let mut conn = PgConnection::connect(url).await.map_err(from_sqlx)?;
        sqlx::query("BEGIN")
            .execute(&mut conn)
            .await
            .map_err(from_sqlx)?;
        sqlx::query("LOCK TABLE outbox_emails IN SHARE MODE")
            .execute(&mut conn)
            .await
            .map_err(from_sqlx)?;
        Ok(Self { conn })
    }

    /// How many other sessions are waiting for a lock on the outbox.
    pub async fn waiting(&mut self) -> StoreResult<i64> {
        sqlx::query_scalar(
            "SELECT count(*) FROM pg_locks \
             WHERE relation = 'outbox_emails'::regclass AND NOT granted",
        )
        .fetch_one(&mut self.conn)
        .await
        .map_err(from_sqlx)
    }

    /// Rolls the transaction back, releasing the lock, and disconnects.
    pub async fn release(mut self) -> StoreResult<()> {
        sqlx::query("ROLLBACK")
            .execute(&mut self.conn)
            .await
            .map_err(from_sqlx)?;
        self.conn.close().await.map_err(from_sqlx)
    }
}

/// How many client sessions other than this one are inside a transaction in the
/// database at `url` (so a test can wait until the work of a killed server has
/// ended).
pub async fn transactions_in_progress(url: &str) -> StoreResult<i64> {
    let mut conn = PgConnection::connect(url).await.map_err(from_sqlx)?;
    let count = sqlx::query_scalar(
        "SELECT count(*) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid() \
         AND backend_type = 'client backend' AND xact_start IS NOT NULL",
    )
    .fetch_one(&mut conn)
    .await
    .map_err(from_sqlx)?;
    conn.close().await.map_err(from_sqlx)?;
    Ok(count)
}
