//! Reads on rusqlite (BENCHMARKS.md, "The SQLite driver"): a whole read runs on
//! one blocking thread, on one of a few read-only connections, its statements
//! cached; sqlx hands each statement and each row to the thread that holds its
//! connection, which cost the caseload most of its time. The store's reads move
//! here one by one (the caseload first); the rest still use the sqlx pools.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction};
use send_store::StoreResult;
use tokio::sync::Semaphore;

use crate::convert::{corrupt, other};

/// Statements each connection keeps prepared.
const CACHED_STATEMENTS: usize = 64;

/// A few read-only rusqlite connections, one read on each at a time.
#[derive(Debug)]
pub(crate) struct BlockingReaders {
    connections: Mutex<Vec<Connection>>,
    /// One turn for each connection: a read waits here, not on a thread. The
    /// turn goes with the read onto its thread, so a read whose caller gave
    /// up (a request whose client went away) holds it until it ends.
    turns: Arc<Semaphore>,
}

impl BlockingReaders {
    /// Opens `count` read-only connections to the database file at `path`
    /// (which the writer has created, in WAL mode).
    pub(crate) fn open(path: &Path, count: usize) -> StoreResult<Self> {
        let mut connections = Vec::with_capacity(count);
        for _ in 0..count {
            let conn = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX
                    | OpenFlags::SQLITE_OPEN_URI,
            )
            .map_err(other)?;
            conn.busy_timeout(Duration::from_secs(10)).map_err(other)?;
            conn.set_prepared_statement_cache_capacity(CACHED_STATEMENTS);
            connections.push(conn);
        }
        Ok(Self {
            connections: Mutex::new(connections),
            turns: Arc::new(Semaphore::new(count)),
        })
    }

    /// Runs `read` in one deferred read transaction (its snapshot starts at
    /// its first statement, so everything it reads is of one moment) on a
    /// blocking thread, waiting for a free connection first.
    pub(crate) async fn read<T, F>(self: &Arc<Self>, read: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> StoreResult<T> + Send + 'static,
    {
        let turn = Arc::clone(&self.turns)
            .acquire_owned()
            .await
            .map_err(other)?;
        let readers = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            let mut lease = Lease::take(readers)?;
            let tx = lease.conn_mut()?.transaction().map_err(other)?;
            let value = read(&tx)?;
            tx.commit().map_err(other)?;
            Ok(value)
        })
        .await
        .map_err(other)?
    }
}

/// A connection taken from the pool, given back when dropped (a read that
/// fails or panics included).
struct Lease {
    readers: Arc<BlockingReaders>,
    conn: Option<Connection>,
}

impl Lease {
    fn take(readers: Arc<BlockingReaders>) -> StoreResult<Self> {
        let conn = readers
            .connections
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
            .ok_or_else(|| corrupt("no free SQLite reader for a turn that was given"))?;
        Ok(Self {
            readers,
            conn: Some(conn),
        })
    }

    fn conn_mut(&mut self) -> StoreResult<&mut Connection> {
        self.conn
            .as_mut()
            .ok_or_else(|| corrupt("a lease holds its connection until dropped"))
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            self.readers
                .connections
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(conn);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readers(dir: &tempfile::TempDir, count: usize) -> Arc<BlockingReaders> {
        let path = dir.path().join("portal.db");
        let writer = Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
        writer
            .execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (n INTEGER);")
            .unwrap_or_else(|e| panic!("{e}"));
        Arc::new(BlockingReaders::open(&path, count).unwrap_or_else(|e| panic!("{e}")))
    }

    /// A read whose caller gave up keeps its turn until it ends, so the next
    /// read waits for the connection instead of finding none free.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_read_given_up_holds_its_connection_until_it_ends() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let readers = readers(&dir, 1);
        let slow = readers.read(|_| {
            std::thread::sleep(Duration::from_millis(300));
            Ok(())
        });
        let given_up = tokio::time::timeout(Duration::from_millis(20), slow).await;
        assert!(given_up.is_err(), "the slow read was still running");
        let next = readers
            .read(|tx| {
                tx.query_row("SELECT count(*) FROM t", [], |row| row.get::<_, i64>(0))
                    .map_err(other)
            })
            .await;
        assert_eq!(next.ok(), Some(0));
    }
}
