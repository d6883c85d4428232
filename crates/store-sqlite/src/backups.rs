//! What `send-portal backup` and `restore` ask of a SQLite database: a
//! consistent copy taken while the portal may be writing, and checks of a copy.

use std::path::Path;

use send_store::StoreResult;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, Row, Sqlite, SqliteConnection};

use crate::SqliteStore;
use crate::convert;

/// What [`SqliteStore::check_copy`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyCheck {
    /// `PRAGMA integrity_check`'s answer: `["ok"]`, or the problems found.
    pub integrity: Vec<String>,
    /// The newest migration applied, or `None` for a database never migrated.
    pub schema_version: Option<i64>,
}

impl SqliteStore {
    /// Writes a copy of the whole database to the new file `path` with `VACUUM
    /// INTO`, on a reader connection: the copy is one read transaction's
    /// snapshot (everything committed before it began, nothing after), and the
    /// writer is never held up. The file must not exist yet.
    pub async fn backup_into(&self, path: &Path) -> StoreResult<()> {
        let path = path
            .to_str()
            .ok_or_else(|| convert::corrupt(format_args!("a backup path that is not UTF-8")))?;
        sqlx::query("VACUUM INTO $1")
            .bind(path)
            .execute(&self.reader)
            .await
            .map_err(convert::other)?;
        Ok(())
    }

    /// Checks a database file (a backup's copy) on one read-only connection,
    /// which changes nothing in it: not its journal mode, and no `-wal` file is
    /// left beside it.
    pub async fn check_copy(path: &Path) -> StoreResult<CopyCheck> {
        let options = SqliteConnectOptions::new().filename(path).read_only(true);
        let mut connection = SqliteConnection::connect_with(&options)
            .await
            .map_err(convert::other)?;
        let integrity = integrity_check(&mut connection).await;
        let schema_version = schema_version(&mut connection).await;
        connection.close().await.map_err(convert::other)?;
        Ok(CopyCheck {
            integrity: integrity?,
            schema_version: schema_version?,
        })
    }

    /// `PRAGMA integrity_check`: `ok`, or the problems SQLite found.
    pub async fn integrity_check(&self) -> StoreResult<Vec<String>> {
        integrity_check(&self.reader).await
    }

    /// The newest migration applied, or `None` for a database never migrated.
    pub async fn schema_version(&self) -> StoreResult<Option<i64>> {
        let mut connection = self.reader.acquire().await.map_err(convert::other)?;
        schema_version(&mut connection).await
    }
}

async fn integrity_check<'e, E>(executor: E) -> StoreResult<Vec<String>>
where
    E: sqlx::Executor<'e, Database = Sqlite>,
{
    let rows = sqlx::query("PRAGMA integrity_check")
        .fetch_all(executor)
        .await
        .map_err(convert::other)?;
    rows.iter()
        .map(|row| row.try_get::<String, _>(0).map_err(convert::other))
        .collect()
}

async fn schema_version(connection: &mut SqliteConnection) -> StoreResult<Option<i64>> {
    let known: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master \
         WHERE type = 'table' AND name = '_sqlx_migrations')",
    )
    .fetch_one(&mut *connection)
    .await
    .map_err(convert::other)?;
    if !known {
        return Ok(None);
    }
    sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
        .fetch_one(&mut *connection)
        .await
        .map_err(convert::other)
}
