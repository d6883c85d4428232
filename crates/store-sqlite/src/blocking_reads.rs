//! Reads on rusqlite (BENCHMARKS.md, "The SQLite driver"): a whole read runs on
//! the thread of one of a few read-only connections, its statements cached;
//! sqlx hands each statement and each row to the thread that holds its
//! connection, which cost the caseload most of its time. The store's reads move
//! here one by one; the rest still use the sqlx pools.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, Transaction};
use send_store::StoreResult;
use tokio::sync::oneshot;

use crate::convert::{corrupt, other};

/// Statements each connection keeps prepared.
const CACHED_STATEMENTS: usize = 64;

/// A read waiting for a connection: run on the connection's thread.
type Job = Box<dyn FnOnce(&mut Connection) + Send>;

/// A few read-only rusqlite connections, each on a thread of its own that
/// runs one read at a time, taking the next waiting read when it is free.
///
/// A thread of its own, not tokio's pool of blocking threads: that pool makes
/// and ends threads as reads come and go, and each new thread's allocations
/// started a heap of their own in the Rust allocator, so the server's memory
/// grew with the threads it had had (BENCHMARKS.md, "Memory of the reads").
#[derive(Debug)]
pub(crate) struct BlockingReaders {
    jobs: Sender<Job>,
}

impl BlockingReaders {
    /// Opens `count` read-only connections to the database file at `path`
    /// (which the writer has created, in WAL mode), each on its own thread.
    pub(crate) fn open(path: &Path, count: usize) -> StoreResult<Self> {
        let (jobs, waiting) = mpsc::channel::<Job>();
        let waiting = Arc::new(Mutex::new(waiting));
        for n in 0..count {
            let mut conn = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX
                    | OpenFlags::SQLITE_OPEN_URI,
            )
            .map_err(other)?;
            conn.busy_timeout(Duration::from_secs(10)).map_err(other)?;
            // A statement is planned once, whatever is bound to it: otherwise
            // SQLite marks a statement whose plan looked at a bound value (a
            // `LIMIT $3`, say) to be prepared again at every new binding, and
            // the cached statement was parsed and planned again at every read
            // (BENCHMARKS.md, "Statements prepared again").
            conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)
                .map_err(other)?;
            conn.set_prepared_statement_cache_capacity(CACHED_STATEMENTS);
            let waiting = Arc::clone(&waiting);
            std::thread::Builder::new()
                .name(format!("sqlite-reader-{n}"))
                .spawn(move || serve(&mut conn, &waiting))
                .map_err(other)?;
        }
        Ok(Self { jobs })
    }

    /// Runs `read` in one deferred read transaction (its snapshot starts at
    /// its first statement, so everything it reads is of one moment) on the
    /// first connection free. A read whose caller gave up (a request whose
    /// client went away) still runs to its end, holding its connection.
    pub(crate) async fn read<T, F>(self: &Arc<Self>, read: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> StoreResult<T> + Send + 'static,
    {
        let (tell, told) = oneshot::channel();
        let job: Job = Box::new(move |conn| {
            let value = (|| {
                let tx = conn.transaction().map_err(other)?;
                let value = read(&tx)?;
                tx.commit().map_err(other)?;
                Ok(value)
            })();
            // A caller that has gone needs no answer.
            let _ = tell.send(value);
        });
        self.jobs
            .send(job)
            .map_err(|_| corrupt("the SQLite readers have stopped"))?;
        told.await
            .map_err(|_| corrupt("a SQLite read ended without an answer (it panicked)"))?
    }
}

/// A reader's thread: runs each read given to it until the store is dropped.
/// A read that panics is given no answer (its caller gets an error) and the
/// thread goes on with the next.
fn serve(conn: &mut Connection, waiting: &Mutex<Receiver<Job>>) {
    loop {
        let job = waiting
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .recv();
        let Ok(job) = job else {
            return;
        };
        let _ = catch_unwind(AssertUnwindSafe(|| job(conn)));
        if !conn.is_autocommit() {
            // A read that panicked mid-transaction: end it, so the next read
            // starts a snapshot of its own.
            let _ = conn.execute_batch("ROLLBACK");
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

    /// A read that panics is an error for its caller, and its connection's
    /// thread goes on to serve the next read.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_read_that_panics_fails_alone() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let readers = readers(&dir, 1);
        let failed = readers
            .read(|tx| -> StoreResult<i64> {
                tx.query_row("SELECT count(*) FROM t", [], |row| row.get::<_, i64>(0))
                    .map_err(other)?;
                panic!("a read that panics mid-transaction")
            })
            .await;
        assert!(failed.is_err(), "the panicking read's caller had an error");
        let next = readers.read(|tx| {
            tx.query_row("SELECT count(*) FROM t", [], |row| row.get::<_, i64>(0))
                .map_err(other)
        });
        let next = tokio::time::timeout(Duration::from_secs(5), next).await;
        assert_eq!(
            next.ok().and_then(Result::ok),
            Some(0),
            "the thread went on"
        );
    }

    /// A cached statement whose limit is bound is run again with another
    /// limit without being prepared again.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_bound_limit_does_not_prepare_the_statement_again() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let readers = readers(&dir, 1);
        let count = |limit: i64| {
            readers.read(move |tx| {
                let mut statement = tx
                    .prepare_cached("SELECT n FROM t ORDER BY n LIMIT $1")
                    .map_err(other)?;
                statement
                    .query([limit])
                    .map_err(other)?
                    .next()
                    .map_err(other)?;
                Ok(statement.get_status(rusqlite::StatementStatus::RePrepare))
            })
        };
        let first = count(1).await.unwrap_or_else(|e| panic!("{e}"));
        let later = count(2).await.unwrap_or_else(|e| panic!("{e}"));
        let last = count(3).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((first, later, last), (0, 0, 0), "times prepared again");
    }

    /// The SQLite the store runs is compiled as `.cargo/config.toml` asks:
    /// without the process-wide lock on every page cache, and without
    /// counting allocations under another, for which the readers queued.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite_is_built_without_its_shared_locks() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let readers = readers(&dir, 1);
        let options = readers
            .read(|tx| {
                let mut statement = tx.prepare("PRAGMA compile_options").map_err(other)?;
                let options = statement
                    .query_map([], |row| row.get::<_, String>(0))
                    .map_err(other)?
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(other)?;
                Ok(options)
            })
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            options.iter().any(|o| o == "THREADSAFE=1"),
            "the options were read: {options:?}"
        );
        assert!(
            !options.iter().any(|o| o == "ENABLE_MEMORY_MANAGEMENT"),
            "{options:?}"
        );
        assert!(
            options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"),
            "{options:?}"
        );
    }
}
