//! The SQLite store: the embedded default, one file in the data folder.
//!
//! Shape: one writer connection and a small pool of readers, WAL journal, foreign
//! keys on, a busy timeout so a reader never fails while the writer works. The
//! store is moving from sqlx to rusqlite (BENCHMARKS.md, "The SQLite driver"):
//! the reads of every page the load benchmark visits run on rusqlite readers
//! of their own (`blocking_reads`), the rest and the writer on sqlx's pools.
//!
//! Durability: WAL with `synchronous = NORMAL`. A commit is in the WAL file (in
//! the operating system's cache) before it is acknowledged, so it survives the
//! process being killed (`kill -9`, a panic, an out-of-memory kill): SECURITY.md's
//! "Crash consistency" has the harness's figures. On power loss or an operating
//! system crash the database stays consistent, but the last transactions since
//! the WAL was last synced may be rolled back; `FULL` would sync the WAL on every
//! commit to keep them too.

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use send_store::StoreResult;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};

mod accounts;
mod advice;
mod audit;
mod audit_queue;
mod backups;
mod blocking_reads;
mod cases;
mod columns;
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
mod timeline;
mod writes;

pub use backups::CopyCheck;

/// Read-only connections in sqlx's reader pool (the reads not yet moved).
const READERS: usize = 4;

/// Read-only rusqlite connections (`blocking_reads`): more than the cores, as
/// a read holds its connection while its thread is woken and while it waits
/// on the operating system for a page; with 4 the caseload made 15 to 20%
/// fewer pages a second than with 8 (BENCHMARKS.md, "The SQLite driver").
const BLOCKING_READERS: usize = 8;

/// The SQLite implementation of every store trait.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    writer: SqlitePool,
    reader: SqlitePool,
    /// The reads moved to rusqlite (`blocking_reads`), on connections of their own.
    blocking: Arc<blocking_reads::BlockingReaders>,
    /// Audit events waiting to be written together (`audit_queue`).
    audit_queue: Arc<audit_queue::AuditQueue>,
}

impl SqliteStore {
    /// Opens (creating if missing) the database file at `path`.
    pub async fn open(path: &Path) -> StoreResult<Self> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true);
        Self::open_with(options).await
    }

    /// Opens a database from a `sqlite:` URL, such as `sqlite://data/portal.db`.
    pub async fn open_url(url: &str) -> StoreResult<Self> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(convert::other)?
            .create_if_missing(true);
        Self::open_with(options).await
    }

    async fn open_with(options: SqliteConnectOptions) -> StoreResult<Self> {
        let options = options
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await
            .map_err(convert::other)?;
        let blocking = Arc::new(blocking_reads::BlockingReaders::open(
            options.get_filename(),
            BLOCKING_READERS,
        )?);
        let reader = SqlitePoolOptions::new()
            .max_connections(u32::try_from(READERS).map_err(convert::other)?)
            .connect_with(options.read_only(true))
            .await
            .map_err(convert::other)?;
        Ok(Self {
            writer,
            reader,
            blocking,
            audit_queue: Arc::default(),
        })
    }

    /// Brings the schema up to date. Migrations are append-only.
    pub async fn migrate(&self) -> StoreResult<()> {
        sqlx::migrate!("./migrations")
            .run(&self.writer)
            .await
            .map_err(convert::other)
    }

    /// Every table (but sqlx's own) and its columns, for the schema parity test.
    pub async fn describe_schema(&self) -> StoreResult<BTreeMap<String, Vec<String>>> {
        let rows = sqlx::query(
            "SELECT m.name AS table_name, p.name AS column_name \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations' \
             ORDER BY m.name, p.cid",
        )
        .fetch_all(&self.reader)
        .await
        .map_err(convert::other)?;
        let mut tables: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for row in rows {
            let table: String = row.try_get("table_name").map_err(convert::other)?;
            let column: String = row.try_get("column_name").map_err(convert::other)?;
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
            .into_iter()
            .map(|(table, columns)| {
                let row = columns
                    .iter()
                    .map(|c| format!("quote(\"{c}\")"))
                    .collect::<Vec<_>>()
                    .join(" || ',' || ");
                format!(
                    "SELECT '{table}', (SELECT coalesce(group_concat(r, char(10)), '') \
                     FROM (SELECT {row} AS r FROM \"{table}\" ORDER BY 1))"
                )
            })
            .collect();
        let rows: Vec<(String, String)> =
            sqlx::query_as(sqlx::AssertSqlSafe(selects.join(" UNION ALL ")))
                .fetch_all(&self.writer)
                .await
                .map_err(convert::other)?;
        Ok(rows.into_iter().collect())
    }

    /// Every table's rows (but sqlx's own), each row as SQLite quotes its values,
    /// in order: [`Self::table_rows`] by line, for tests that report which rows
    /// a request changed.
    pub async fn table_contents(&self) -> StoreResult<BTreeMap<String, Vec<String>>> {
        Ok(self
            .table_rows()
            .await?
            .into_iter()
            .map(|(table, rows)| (table, rows.lines().map(str::to_owned).collect()))
            .collect())
    }

    /// Closes both pools, waiting for connections to finish.
    pub async fn close(&self) {
        self.reader.close().await;
        self.writer.close().await;
    }
}
