//! The PostgreSQL store, for councils that outgrow one machine: several portal
//! instances share one database.

use std::collections::BTreeMap;
use std::str::FromStr;
use std::time::Duration;

use send_store::StoreResult;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Row};

mod accounts;
mod advice;
mod audit;
mod backups;
mod cases;
mod convert;
mod council_texts;
mod dashboard;
mod documents;
mod effects;
mod forms;
mod health;
mod incoming_forms;
mod involvements;
mod jobs;
mod messages;
mod notifications;
mod outbox;
mod people;
mod portal_access;
mod rows;
mod sessions;
mod staff_setup;
pub mod testing;
mod timeline;
mod writes;

/// Schema names are put into SQL text, so only letters, digits and underscores
/// are allowed.
fn check_schema_name(schema: &str) -> StoreResult<()> {
    if schema
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        Ok(())
    } else {
        Err(convert::corrupt(format_args!("schema name {schema}")))
    }
}

/// The PostgreSQL implementation of every store trait.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://…`).
    pub async fn connect(url: &str) -> StoreResult<Self> {
        Self::connect_in_schema(url, None).await
    }

    /// Connects with every connection's `search_path` set to `schema`, creating the
    /// schema if needed. Used to give each test, and the demo, a schema of its own.
    pub async fn connect_in_schema(url: &str, schema: Option<&str>) -> StoreResult<Self> {
        let mut options = PgConnectOptions::from_str(url).map_err(convert::other)?;
        if let Some(schema) = schema {
            check_schema_name(schema)?;
            let admin = PgPoolOptions::new()
                .max_connections(1)
                .connect_with(options.clone())
                .await
                .map_err(convert::from_sqlx)?;
            // The name was checked above to be letters, digits and underscores only.
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "CREATE SCHEMA IF NOT EXISTS \"{schema}\""
            )))
            .execute(&admin)
            .await
            .map_err(convert::from_sqlx)?;
            admin.close().await;
            options = options.options([("search_path", schema)]);
        }
        let pool = PgPoolOptions::new()
            .max_connections(10)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(convert::from_sqlx)?;
        Ok(Self { pool })
    }

    /// Brings the schema up to date. Migrations are append-only.
    pub async fn migrate(&self) -> StoreResult<()> {
        sqlx::migrate!("./migrations")
            .run(&self.pool)
            .await
            .map_err(convert::other)
    }

    /// Every table (but sqlx's own) and its columns, for the schema parity test.
    pub async fn describe_schema(&self) -> StoreResult<BTreeMap<String, Vec<String>>> {
        let rows = sqlx::query(
            "SELECT table_name::text AS table_name, column_name::text AS column_name \
             FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations' \
             ORDER BY table_name, ordinal_position",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(convert::from_sqlx)?;
        let mut tables: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for row in rows {
            let table: String = row.try_get("table_name").map_err(convert::from_sqlx)?;
            let column: String = row.try_get("column_name").map_err(convert::from_sqlx)?;
            tables.entry(table).or_default().push(column);
        }
        Ok(tables)
    }

    /// Every row of every table (but sqlx's own) as text, one table's rows in
    /// order: what a test compares before and after a request to prove it wrote
    /// nothing. One query, so a test may ask after every request.
    pub async fn table_rows(&self) -> StoreResult<BTreeMap<String, String>> {
        let selects: Vec<String> = self
            .describe_schema()
            .await?
            .into_keys()
            .map(|table| {
                format!(
                    "SELECT '{table}'::text, (SELECT coalesce(string_agg(t::text, E'\\n' \
                     ORDER BY t::text), '') FROM \"{table}\" t)"
                )
            })
            .collect();
        let rows: Vec<(String, String)> =
            sqlx::query_as(sqlx::AssertSqlSafe(selects.join(" UNION ALL ")))
                .fetch_all(&self.pool)
                .await
                .map_err(convert::from_sqlx)?;
        Ok(rows.into_iter().collect())
    }

    /// Drops `schema` and everything in it: the demo's own schema before a fresh
    /// start. Nothing outside that schema is touched.
    pub async fn drop_schema(url: &str, schema: &str) -> StoreResult<()> {
        check_schema_name(schema)?;
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect(url)
            .await
            .map_err(convert::from_sqlx)?;
        // The name was checked above to be letters, digits and underscores only.
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"
        )))
        .execute(&pool)
        .await
        .map_err(convert::from_sqlx)?;
        pool.close().await;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}
