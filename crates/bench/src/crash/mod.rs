//! The crash consistency harness (issue 18): starts the real `send-portal serve`
//! on a small generated council, drives concurrent writes through its pages
//! (caseworkers' replies, stage moves and their corrections, document uploads),
//! kills it with SIGKILL (`kill -9`) at a random moment, starts it again and
//! checks that:
//!
//! - every write the server acknowledged (answered with its redirect) is there
//!   and whole: the reply's text once, the document's bytes, the stage as moved;
//!   a write still in flight at the kill may be there or not, but whole and once;
//! - SQLite's `PRAGMA integrity_check` says `ok` (the harness holds no connection
//!   to the file at the kill, so the server recovers the WAL alone, as after a
//!   real crash);
//! - at the end, every email of the outbox reached the SMTP server, matched by
//!   its `Message-ID`; an email sent again because the server died between the
//!   SMTP server accepting it and recording it sent is counted as a repeat.
//!
//! Shared by the integration test `crash_consistency` (a few kills on each
//! database) and the `crash_soak` binary (the long run; BENCHMARKS.md).

mod checks;
mod server;
mod writers;

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use send_store::Store;
use send_store_postgres::PgStore;
use send_store_sqlite::SqliteStore;

use crate::council;

pub use writers::WriteKind;

/// Which database the server runs on.
#[derive(Debug, Clone)]
pub enum Database {
    /// A new SQLite file in the run's data folder.
    Sqlite,
    /// An empty PostgreSQL database the caller made (and drops).
    Postgres { url: String },
}

impl Database {
    pub fn name(&self) -> &'static str {
        match self {
            Self::Sqlite => "SQLite",
            Self::Postgres { .. } => "PostgreSQL",
        }
    }
}

/// Where the server sends its email, and where that SMTP server keeps it.
#[derive(Debug, Clone)]
pub struct Mail {
    /// `SEND_PORTAL_MAIL`, such as `smtp://127.0.0.1:2525`.
    pub setting: String,
    /// The SMTP server's maildir (each message a file in its `new` folder).
    pub maildir: PathBuf,
}

/// What to run.
#[derive(Debug, Clone)]
pub struct Options {
    /// The `send-portal` binary.
    pub server: PathBuf,
    pub database: Database,
    pub mail: Mail,
    /// How many times the server is killed (and started again).
    pub kills: usize,
    /// Writers working at once (each on a case of its own).
    pub writers: usize,
    /// The longest a round of writing lasts before its kill (each is random,
    /// from a tenth of it up to it).
    pub longest_round: Duration,
    pub seed: u64,
}

impl Options {
    /// A run of `kills` kills with the defaults the test and the soak share.
    pub fn new(server: PathBuf, database: Database, mail: Mail, kills: usize) -> Self {
        Self {
            server,
            database,
            mail,
            kills,
            writers: 6,
            longest_round: Duration::from_millis(1500),
            seed: 18,
        }
    }
}

/// What a run found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub database: &'static str,
    /// Kills (each followed by a start and the checks).
    pub kills: usize,
    /// Writes the server acknowledged, by kind.
    pub acknowledged: BTreeMap<WriteKind, usize>,
    /// Acknowledged writes missing or not whole after a restart, each described.
    pub lost: Vec<String>,
    /// Writes in flight at a kill (no answer): they may or may not be there.
    pub in_flight: usize,
    /// Of those, how many were there after the restart.
    pub in_flight_applied: usize,
    /// Writes the server refused (neither acknowledged nor in flight).
    pub refused: usize,
    /// `PRAGMA integrity_check` runs that said `ok` (SQLite only).
    pub integrity_ok: usize,
    /// What `PRAGMA integrity_check` said when it did not say `ok`.
    pub integrity_problems: Vec<String>,
    /// Emails in the outbox at the end.
    pub emails: usize,
    /// Of those, how many reached the SMTP server.
    pub emails_delivered: usize,
    /// Emails of the outbox the SMTP server never received, or never sent.
    pub emails_lost: Vec<String>,
    /// Emails received more than once (the same `Message-ID`), and how often.
    pub emails_repeated: BTreeMap<String, usize>,
}

impl Report {
    pub fn acknowledged_total(&self) -> usize {
        self.acknowledged.values().sum()
    }

    /// No acknowledged write lost, the SQLite file sound, every email delivered.
    pub fn is_consistent(&self) -> bool {
        self.lost.is_empty() && self.integrity_problems.is_empty() && self.emails_lost.is_empty()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kinds: Vec<String> = self
            .acknowledged
            .iter()
            .map(|(kind, n)| format!("{n} {kind}"))
            .collect();
        writeln!(
            f,
            "{}: {} kills; {} writes acknowledged ({}); {} lost; {} in flight at a kill \
             ({} there after the restart); {} refused",
            self.database,
            self.kills,
            self.acknowledged_total(),
            kinds.join(", "),
            self.lost.len(),
            self.in_flight,
            self.in_flight_applied,
            self.refused,
        )?;
        if self.database == "SQLite" {
            writeln!(
                f,
                "  integrity_check: ok {} times, problems {}",
                self.integrity_ok,
                self.integrity_problems.len()
            )?;
        }
        writeln!(
            f,
            "  emails: {} in the outbox, {} delivered, {} lost, {} delivered more than once",
            self.emails,
            self.emails_delivered,
            self.emails_lost.len(),
            self.emails_repeated.len()
        )?;
        for problem in self
            .lost
            .iter()
            .chain(&self.integrity_problems)
            .chain(&self.emails_lost)
        {
            writeln!(f, "  PROBLEM: {problem}")?;
        }
        for (id, times) in &self.emails_repeated {
            writeln!(f, "  repeat: email {id} received {times} times")?;
        }
        Ok(())
    }
}

/// Children in the generated council: enough cases for the writers.
const CHILDREN: usize = 60;

/// Runs the harness: `options.kills` kills, checking after each restart, then
/// the outbox. `progress` is told of each kill as it is checked.
pub async fn run(options: &Options, mut progress: impl FnMut(&str)) -> Result<Report> {
    let work = tempfile::tempdir().context("while making the run's folder")?;
    let data = work.path().join("data");
    std::fs::create_dir_all(&data)?;
    let database_url = match &options.database {
        Database::Sqlite => format!("sqlite://{}", data.join("send-portal.db").display()),
        Database::Postgres { url } => url.clone(),
    };
    let mut stores = checks::Stores::open(&database_url).await?;
    council::generate(
        &stores.store().await?,
        &council::Options {
            seed: options.seed,
            children: CHILDREN,
            batch: CHILDREN,
            files: None,
            real_files: 0,
            in_flight: 1,
        },
        |_| {},
    )
    .await
    .context("while generating the council")?;
    let mut writers = writers::Writer::for_cases(&stores.store().await?, options.writers).await?;
    stores.release().await;

    let settings = server::Settings {
        binary: options.server.clone(),
        database_url: database_url.clone(),
        mail: options.mail.setting.clone(),
        data: data.clone(),
    };
    let mut portal = server::Server::start(&settings, 0).await?;
    let mut sessions = Vec::new();
    for n in 1..=2 {
        sessions.push(Arc::new(
            crate::http::sign_in_caseworker(&portal.base, n)
                .await
                .with_context(|| format!("while signing in caseworker {n}"))?,
        ));
    }

    let mut report = Report {
        database: options.database.name(),
        ..Report::default()
    };
    let mut rng = StdRng::seed_from_u64(options.seed);
    for kill in 1..=options.kills {
        let longest = options.longest_round.as_millis().max(10);
        let round = Duration::from_millis(
            u64::try_from(rng.random_range(longest / 10..=longest)).unwrap_or(1000),
        );
        writers = writers::round(writers, &sessions, &mut portal, kill, round).await?;
        portal = server::Server::start(&settings, kill)
            .await
            .with_context(|| format!("while starting the server after kill {kill}"))?;
        let client = crate::http::Client::new(&portal.base)?;
        let store = stores.store().await?;
        for (writer, session) in writers.iter_mut().zip(sessions.iter().cycle()) {
            writer
                .check(&store, &client.with_cookie(&session.cookie), &mut report)
                .await?;
        }
        stores.integrity(&mut report).await?;
        stores.release().await;
        report.kills = kill;
        progress(&format!(
            "kill {kill}: {} acknowledged, {} lost so far",
            report.acknowledged_total(),
            report.lost.len()
        ));
    }
    let store = stores.store().await?;
    checks::emails(&store, &options.mail.maildir, &mut report).await?;
    portal.kill();
    stores.release().await;
    Ok(report)
}

/// Opens the store at `url` and brings its schema up to date.
async fn open_store(url: &str) -> Result<(Arc<dyn Store>, Option<SqliteStore>)> {
    if url.starts_with("sqlite:") {
        let store = SqliteStore::open_url(url).await?;
        store.migrate().await?;
        Ok((Arc::new(store.clone()), Some(store)))
    } else {
        let store = PgStore::connect(url).await?;
        store.migrate().await?;
        Ok((Arc::new(store), None))
    }
}
