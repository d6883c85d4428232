//! Opens the store the configuration names and brings its schema up to date.

use std::sync::Arc;

use anyhow::Context;
use send_store::Store;
use send_store_postgres::PgStore;
use send_store_sqlite::SqliteStore;

use crate::config::DatabaseUrl;

/// Opens the database, creating a SQLite file's folder if needed.
pub async fn open(url: &DatabaseUrl) -> anyhow::Result<Arc<dyn Store>> {
    open_in_schema(url, None).await
}

/// As [`open`], with PostgreSQL connections confined to `schema` (the demo's own).
pub async fn open_in_schema(
    url: &DatabaseUrl,
    schema: Option<&str>,
) -> anyhow::Result<Arc<dyn Store>> {
    match url {
        DatabaseUrl::Sqlite(raw) => {
            let path = url.sqlite_path().unwrap_or_default();
            if let Some(parent) = path.parent()
                && !parent.as_os_str().is_empty()
            {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("while creating the folder {}", parent.display()))?;
            }
            let store = SqliteStore::open_url(raw)
                .await
                .with_context(|| format!("while opening the SQLite database {url}"))?;
            store
                .migrate()
                .await
                .context("while migrating the SQLite database")?;
            Ok(Arc::new(store))
        }
        DatabaseUrl::Postgres(raw) => {
            let store = PgStore::connect_in_schema(raw, schema)
                .await
                .with_context(|| format!("while connecting to PostgreSQL at {url}"))?;
            store
                .migrate()
                .await
                .context("while migrating the PostgreSQL database")?;
            Ok(Arc::new(store))
        }
    }
}
