//! The harness's own view of the database (never open at a kill, for SQLite),
//! SQLite's integrity check, and the outbox against what the SMTP server got.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use send_domain::DeliveryState;
use send_store::Store;
use send_store_sqlite::SqliteStore;

use super::Report;
use super::server::EMAIL_LEASE_SECONDS;

/// The store the checks read, opened when needed.
pub struct Stores {
    url: String,
    open: Option<(Arc<dyn Store>, Option<SqliteStore>)>,
}

impl Stores {
    /// Opens the database at `url` and brings its schema up to date.
    pub async fn open(url: &str) -> Result<Self> {
        Ok(Self {
            url: url.to_owned(),
            open: Some(super::open_store(url).await?),
        })
    }

    pub async fn store(&mut self) -> Result<Arc<dyn Store>> {
        let (store, _) = match &self.open {
            Some(open) => open,
            None => self.open.insert(super::open_store(&self.url).await?),
        };
        Ok(Arc::clone(store))
    }

    /// Closes a SQLite file, so the harness holds no connection to it when the
    /// server is killed (PostgreSQL's connections stay).
    pub async fn release(&mut self) {
        if let Some((_, Some(sqlite))) = &self.open {
            sqlite.close().await;
            self.open = None;
        }
    }

    /// Runs `PRAGMA integrity_check` on a SQLite file (nothing for PostgreSQL).
    pub async fn integrity(&mut self, report: &mut Report) -> Result<()> {
        self.store().await?;
        if let Some((_, Some(sqlite))) = &self.open {
            let said = sqlite.integrity_check().await?.join("\n");
            if said == "ok" {
                report.integrity_ok += 1;
            } else {
                report.integrity_problems.push(said);
            }
        }
        Ok(())
    }
}

/// Waits until the outbox has sent everything (an email leased by a killed
/// server is due again after the lease; a server sends at most 20 emails every
/// 2 seconds), giving up when a minute passes with none sent, then matches
/// each email with the messages the SMTP server kept, by `Message-ID`.
pub async fn emails(store: &Arc<dyn Store>, maildir: &Path, report: &mut Report) -> Result<()> {
    let patience = Duration::from_secs(EMAIL_LEASE_SECONDS + 60);
    let mut last_sent_at = (Instant::now(), usize::MAX);
    let entries = loop {
        let entries = store.outbox_emails(1_000_000).await?;
        let pending = entries
            .iter()
            .filter(|e| matches!(e.state, DeliveryState::Pending { .. }))
            .count();
        if pending < last_sent_at.1 {
            last_sent_at = (Instant::now(), pending);
        }
        if pending == 0 || last_sent_at.0.elapsed() > patience {
            break entries;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    let received = received(maildir)?;
    report.emails = entries.len();
    for entry in entries {
        let id = entry.email.id.to_string();
        match (entry.state, received.get(&id)) {
            (DeliveryState::Sent { .. }, Some(&times)) => {
                report.emails_delivered += 1;
                if times > 1 {
                    report.emails_repeated.insert(id, times);
                }
            }
            (DeliveryState::Sent { .. }, None) => report
                .emails_lost
                .push(format!("email {id} was recorded sent but never received")),
            (DeliveryState::Pending { attempts, .. }, _) => report.emails_lost.push(format!(
                "email {id} was still not sent at the end ({attempts} failed attempts)"
            )),
        }
    }
    Ok(())
}

/// How many times the SMTP server received each outbox email, by the id in its
/// `Message-ID: <id@domain>`.
fn received(maildir: &Path) -> Result<BTreeMap<String, usize>> {
    let mut counts = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(maildir.join("new")) else {
        return Ok(counts);
    };
    for entry in entries {
        let raw = std::fs::read_to_string(entry?.path())?;
        let id = raw
            .lines()
            .take_while(|line| !line.trim_end().is_empty())
            .find_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.eq_ignore_ascii_case("message-id").then(|| {
                    value
                        .trim()
                        .trim_start_matches('<')
                        .split('@')
                        .next()
                        .unwrap_or_default()
                        .to_owned()
                })
            });
        if let Some(id) = id {
            *counts.entry(id).or_default() += 1;
        }
    }
    Ok(counts)
}
