//! Fresh databases for tests: a SQLite file in a temporary folder, or a private
//! schema on the PostgreSQL server named by `SEND_PORTAL_TEST_POSTGRES_URL`.
//!
//! When that variable is not set the PostgreSQL tests print that they did not run.
//! They fail instead when `SEND_PORTAL_TEST_REQUIRE` names `postgres` or `CI` is
//! set, which is how the project's test command and CI run them: a CI run can
//! never pass without having tested PostgreSQL.

use std::sync::Arc;

use send_store::Store;
use send_store_postgres::PgStore;
use send_store_sqlite::SqliteStore;
use tempfile::TempDir;

/// The environment variable naming the PostgreSQL server for tests.
pub const POSTGRES_URL_VAR: &str = "SEND_PORTAL_TEST_POSTGRES_URL";

/// Whether the named part of the test suite must run (so may not be skipped).
pub fn required(part: &str) -> bool {
    let listed = std::env::var("SEND_PORTAL_TEST_REQUIRE")
        .is_ok_and(|v| v.split(',').any(|p| p.trim() == part || p.trim() == "all"));
    listed || std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false")
}

/// The PostgreSQL test server's URL, or `None` (with a note on stderr) when it is
/// not configured. Panics when PostgreSQL tests are required.
pub fn postgres_url() -> Option<String> {
    match std::env::var(POSTGRES_URL_VAR) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                !required("postgres"),
                "{POSTGRES_URL_VAR} is not set but PostgreSQL tests are required; \
                 run the test command in the README"
            );
            eprintln!("NOT RUN: PostgreSQL test ({POSTGRES_URL_VAR} is not set)");
            None
        }
    }
}

/// A test database that lives as long as this value.
#[derive(Debug)]
pub enum TestDb {
    Sqlite {
        store: Arc<SqliteStore>,
        _dir: TempDir,
    },
    Postgres {
        store: Arc<PgStore>,
        schema: String,
    },
}

impl TestDb {
    /// A migrated SQLite database in a new temporary folder.
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary folder: {e}"));
        let store = SqliteStore::open(&dir.path().join("portal.db"))
            .await
            .unwrap_or_else(|e| panic!("open SQLite: {e}"));
        store
            .migrate()
            .await
            .unwrap_or_else(|e| panic!("migrate SQLite: {e}"));
        Self::Sqlite {
            store: Arc::new(store),
            _dir: dir,
        }
    }

    /// A migrated PostgreSQL schema of its own, or `None` when PostgreSQL is not
    /// configured for tests (see the module docs).
    #[expect(
        clippy::disallowed_methods,
        reason = "names a test schema uniquely across runs; no rule of the portal reads this time"
    )]
    pub async fn postgres() -> Option<Self> {
        let url = postgres_url()?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        let (store, schema) = send_store_postgres::testing::fresh_schema(&url, now, rand::random())
            .await
            .unwrap_or_else(|e| panic!("connect to PostgreSQL at {POSTGRES_URL_VAR}: {e}"));
        store
            .migrate()
            .await
            .unwrap_or_else(|e| panic!("migrate PostgreSQL: {e}"));
        Some(Self::Postgres {
            store: Arc::new(store),
            schema,
        })
    }

    /// Always some SQLite database; for symmetry with [`TestDb::postgres`] in macros.
    pub async fn sqlite_some() -> Option<Self> {
        Some(Self::sqlite().await)
    }

    pub fn store(&self) -> Arc<dyn Store> {
        match self {
            Self::Sqlite { store, .. } => store.clone(),
            Self::Postgres { store, .. } => store.clone(),
        }
    }

    /// Every row of every table as text, by table (see `SqliteStore::table_rows`).
    pub async fn table_rows(&self) -> std::collections::BTreeMap<String, String> {
        let rows = match self {
            Self::Sqlite { store, .. } => store.table_rows().await,
            Self::Postgres { store, .. } => store.table_rows().await,
        };
        rows.unwrap_or_else(|e| panic!("reading every table: {e}"))
    }

    pub fn engine(&self) -> &'static str {
        match self {
            Self::Sqlite { .. } => "sqlite",
            Self::Postgres { .. } => "postgres",
        }
    }
}
