//! Group commit of audit events on SQLite. Every view of a child's record is
//! audited, and SQLite has one writer: one transaction per event would make
//! every page view wait its turn for the writer and its own commit. Instead a
//! request puts its event in the queue and asks for the writer; whoever gets
//! it writes every event then waiting in one transaction and tells each
//! request how its own event went. A request returns only once its event is
//! committed (or has failed), so a view is never served without its audit row.
//!
//! If a batch fails, each of its events is written again on its own, so one bad
//! event fails only the request that brought it; a database that is down fails
//! them all.

use std::sync::{Mutex, PoisonError};

use send_domain::AuditEvent;
use send_store::StoreResult;
use sqlx::{Connection, SqliteConnection, SqlitePool};
use tokio::sync::oneshot;

use crate::audit::insert;
use crate::convert::{from_sqlx, other};

/// An event waiting for the writer, and whom to tell when it is written.
type Waiting = (AuditEvent, oneshot::Sender<StoreResult<()>>);

/// The events waiting for the writer.
#[derive(Debug, Default)]
pub(crate) struct AuditQueue(Mutex<Vec<Waiting>>);

impl AuditQueue {
    fn push(&self, waiting: Waiting) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(waiting);
    }

    fn take(&self) -> Vec<Waiting> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Writes `event` with whatever else is waiting, returning once it is
    /// committed.
    pub(crate) async fn record(&self, writer: &SqlitePool, event: &AuditEvent) -> StoreResult<()> {
        let (tell, mut told) = oneshot::channel();
        self.push((event.clone(), tell));
        loop {
            tokio::select! {
                biased;
                result = &mut told => {
                    return result.unwrap_or_else(|_| {
                        Err(other(std::io::Error::other(
                            "the audit batch holding this event was abandoned",
                        )))
                    });
                }
                conn = writer.acquire() => {
                    let mut conn = conn.map_err(from_sqlx)?;
                    // Ours is in this batch, or in one another request has
                    // written meanwhile: either way `told` answers next.
                    write_batch(&mut conn, self.take()).await;
                }
            }
        }
    }
}

/// Writes `batch` in one transaction and tells each request; if that fails,
/// writes each event on its own and tells each request its own outcome.
async fn write_batch(conn: &mut SqliteConnection, batch: Vec<Waiting>) {
    if batch.is_empty() {
        return;
    }
    let together = async {
        let mut tx = conn.begin().await.map_err(from_sqlx)?;
        for (event, _) in &batch {
            insert(&mut tx, event).await?;
        }
        tx.commit().await.map_err(from_sqlx)
    }
    .await;
    match together {
        Ok(()) => {
            for (_, tell) in batch {
                // A request that has gone away needs no answer.
                let _ = tell.send(Ok(()));
            }
        }
        Err(err) if batch.len() == 1 => {
            if let Some((_, tell)) = batch.into_iter().next() {
                let _ = tell.send(Err(err));
            }
        }
        Err(_) => {
            for (event, tell) in batch {
                let _ = tell.send(insert(conn, &event).await);
            }
        }
    }
}
