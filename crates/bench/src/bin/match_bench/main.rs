//! The incoming-forms matcher at council scale: generates children (640,000 by
//! default) from a seed, loads them through the store's unit of work, then times
//! `App::match_candidates` for each of 10,000 submissions, one after another, on
//! SQLite, PostgreSQL or both. Prints the load time, submissions matched per
//! second, the latency of one match (p50, p95, p99, max) and how well the
//! matcher did. A benchmark run by hand, never in CI; BENCHMARKS.md has the
//! command and the figures.
//!
//! ```text
//! cargo run --release -p send-bench --bin match_bench -- --db both
//! ```

mod submissions;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::{Parser, ValueEnum};
use send_app::incoming_forms::Candidate;
use send_app::{App, Settings};
use send_domain::matching::Thresholds;
use send_domain::{
    ChildId, Clock, CouncilName, FixedClock, PasswordPolicy, SessionTimeouts, Verdict,
};
use send_store::{Changes, Store, Write};
use send_store_postgres::PgStore;
use send_store_sqlite::SqliteStore;

use send_bench::stats::percentile;
use send_bench::world::{ADDED, Generator, World};

use crate::submissions::{Kind, Submission};

/// The PostgreSQL schema the benchmark loads into (replaced on every run).
const SCHEMA: &str = "send_bench_match";
/// The statistics the planner needs after a bulk load; autovacuum would take them
/// a minute later on a live database.
const ANALYZE: &str = "ANALYZE send_bench_match.children, send_bench_match.family_contacts";
/// Candidates asked for per submission, as the processing area shows.
const SHOWN: usize = 5;
/// Submissions matched before timing starts (their own, not the timed ones).
const WARM_UP: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Db {
    Sqlite,
    Postgres,
    Both,
}

#[derive(Debug, Parser)]
#[command(about = "Times the incoming-forms matcher against a council's worth of children")]
struct Args {
    /// How many children to generate and load.
    #[arg(long, default_value_t = 640_000)]
    children: usize,
    /// How many submissions to match (timed, one after another).
    #[arg(long, default_value_t = 10_000)]
    submissions: usize,
    #[arg(long, value_enum, default_value = "both")]
    db: Db,
    /// The seed of the generated children and submissions.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// Children per unit of work while loading (each with its family contacts).
    #[arg(long, default_value_t = 5_000)]
    batch: usize,
    /// The PostgreSQL server; the benchmark works in a schema of its own.
    #[arg(
        long,
        env = "SEND_PORTAL_TEST_POSTGRES_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/send_portal_test"
    )]
    postgres_url: String,
    /// Load SQLite into this file (replaced) and keep it; otherwise a temporary
    /// folder is used and removed.
    #[arg(long)]
    sqlite_file: Option<PathBuf>,
    /// Leave the PostgreSQL schema `send_bench_match` in place afterwards.
    #[arg(long)]
    keep_schema: bool,
    /// Match against the children an earlier run kept (`--sqlite-file`,
    /// `--keep-schema`) with the same `--children` and `--seed`, without loading.
    #[arg(long)]
    reuse: bool,
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let started = Instant::now();
    let mut generator = Generator::new(args.seed, args.children)?;
    let world = generator.world(args.children)?;
    let timed = submissions::submissions(&mut generator, &world, args.submissions)?;
    let warm = submissions::submissions(&mut generator, &world, WARM_UP)?;
    let per_day = per_date_of_birth(&world);
    println!(
        "generated {} children ({} family contacts, {} pairs of twins, {} surnames, \
         {:.0} children per date of birth on average, at most {}) and {} submissions in {:.1} s",
        world.children.len(),
        world.contacts_count(),
        world.twins.len() / 2,
        distinct_surnames(&world),
        per_day.0,
        per_day.1,
        timed.len(),
        started.elapsed().as_secs_f64()
    );
    if matches!(args.db, Db::Sqlite | Db::Both) {
        sqlite(&args, &world, &warm, &timed).await?;
    }
    if matches!(args.db, Db::Postgres | Db::Both) {
        postgres(&args, &world, &warm, &timed).await?;
    }
    Ok(())
}

fn per_date_of_birth(world: &World) -> (f64, usize) {
    let mut days: BTreeMap<time::Date, usize> = BTreeMap::new();
    for child in &world.children {
        *days.entry(child.date_of_birth).or_default() += 1;
    }
    let max = days.values().copied().max().unwrap_or(0);
    (ratio(world.children.len(), days.len().max(1)), max)
}

fn distinct_surnames(world: &World) -> usize {
    let surnames: std::collections::HashSet<&str> = world
        .children
        .iter()
        .map(|c| c.legal_last_name.as_str())
        .collect();
    surnames.len()
}

#[expect(
    clippy::cast_precision_loss,
    reason = "counts far below 2^52, shown as rates"
)]
fn ratio(a: usize, b: usize) -> f64 {
    a as f64 / b as f64
}

async fn sqlite(
    args: &Args,
    world: &World,
    warm: &[Submission],
    timed: &[Submission],
) -> Result<()> {
    let folder = tempfile::tempdir()?;
    let path = args
        .sqlite_file
        .clone()
        .unwrap_or_else(|| folder.path().join("portal.db"));
    let reuse = args.reuse && args.sqlite_file.is_some() && path.exists();
    if !reuse {
        for suffix in ["", "-wal", "-shm"] {
            let mut file = path.clone().into_os_string();
            file.push(suffix);
            let _ = std::fs::remove_file(file);
        }
    }
    let store = SqliteStore::open(&path).await?;
    store.migrate().await?;
    let store: Arc<dyn Store> = Arc::new(store);
    println!("\n== SQLite ({}) ==", path.display());
    if reuse {
        println!("matching against the children loaded by an earlier run");
    } else {
        load(&store, world, args.batch).await?;
    }
    let size = std::fs::metadata(&path).map_or(0, |m| m.len());
    println!("database file {} MiB", size / (1024 * 1024));
    bench(store, warm, timed).await
}

async fn postgres(
    args: &Args,
    world: &World,
    warm: &[Submission],
    timed: &[Submission],
) -> Result<()> {
    if !args.reuse {
        PgStore::drop_schema(&args.postgres_url, SCHEMA).await?;
    }
    let store = PgStore::connect_in_schema(&args.postgres_url, Some(SCHEMA))
        .await
        .context("connect to PostgreSQL (--postgres-url)")?;
    store.migrate().await?;
    println!("\n== PostgreSQL (schema {SCHEMA}) ==");
    let shared: Arc<dyn Store> = Arc::new(store.clone());
    if args.reuse {
        println!("matching against the children loaded by an earlier run");
    } else {
        load(&shared, world, args.batch).await?;
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .connect(&args.postgres_url)
            .await?;
        let analysed = Instant::now();
        sqlx::query(ANALYZE).execute(&pool).await?;
        pool.close().await;
        println!("analysed in {:.1} s", analysed.elapsed().as_secs_f64());
    }
    bench(shared, warm, timed).await?;
    store.close().await;
    if !args.keep_schema {
        PgStore::drop_schema(&args.postgres_url, SCHEMA).await?;
    }
    Ok(())
}

/// Every child with its family contacts, `batch` children to a unit of work.
async fn load(store: &Arc<dyn Store>, world: &World, batch: usize) -> Result<()> {
    let started = Instant::now();
    let count = world.children.len();
    let step = (count / 10).max(1);
    let mut next_report = step;
    for first in (0..count).step_by(batch.max(1)) {
        let last = (first + batch.max(1)).min(count);
        let mut changes = Changes::new();
        for i in first..last {
            changes.push(Write::InsertChild(world.children[i].clone()));
            for contact in &world.contacts[i] {
                changes.push(Write::SaveContact(contact.clone()));
            }
        }
        store.commit(&changes).await?;
        if last >= next_report && last < count {
            eprintln!(
                "  loaded {last} children in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            next_report += step;
        }
    }
    let took = started.elapsed();
    println!(
        "loaded {count} children and {} family contacts in {:.1} s ({:.0} children a second)",
        world.contacts_count(),
        took.as_secs_f64(),
        ratio(count, 1) / took.as_secs_f64().max(1e-9)
    );
    Ok(())
}

fn settings() -> Result<Settings> {
    Ok(Settings {
        council_name: CouncilName::parse("Benchshire County Council")?,
        base_url: url::Url::parse("http://localhost:8080")?,
        demo: false,
        password_policy: PasswordPolicy::seed(),
        session_timeouts: SessionTimeouts::default(),
        trusted_proxies: Vec::new(),
        invitation_lifetime: send_domain::portal_access::DEFAULT_LINK_LIFETIME,
        send_team_contact: None,
        match_thresholds: Thresholds::default(),
        job_lease: send_domain::jobs::DEFAULT_LEASE,
        email_lease: send_app::outbox::LEASE,
    })
}

/// What the matcher made of one submission.
#[derive(Debug)]
struct Outcome {
    kind: Kind,
    child: Option<ChildId>,
    /// The first candidate and its verdict.
    first: Option<(ChildId, Verdict)>,
    /// Whether the child was among the candidates at all (any rank).
    found: bool,
    /// When another child was proposed: what was submitted, whom and why.
    wrong: Option<String>,
}

async fn bench(store: Arc<dyn Store>, warm: &[Submission], timed: &[Submission]) -> Result<()> {
    let clock: Arc<dyn Clock> = Arc::new(FixedClock::new(ADDED));
    let app = App::new(store, clock, settings()?);
    for submission in warm {
        app.match_candidates(&submission.details, SHOWN).await?;
    }
    let mut latencies = Vec::with_capacity(timed.len());
    let mut outcomes = Vec::with_capacity(timed.len());
    let started = Instant::now();
    for submission in timed {
        let began = Instant::now();
        let found = app.match_candidates(&submission.details, SHOWN).await?;
        latencies.push(began.elapsed());
        let first = found.first().map(|c| (c.child.id, c.result.verdict));
        let wrong = found
            .first()
            .filter(|c| Some(c.child.id) != submission.child && proposed(c.result.verdict))
            .map(|c| describe(submission, c));
        let found = submission
            .child
            .is_some_and(|id| found.iter().any(|c| c.child.id == id));
        outcomes.push(Outcome {
            kind: submission.kind,
            child: submission.child,
            first,
            found,
            wrong,
        });
    }
    let took = started.elapsed();
    // Whether a child that was not shown was found at all (untimed).
    for (outcome, submission) in outcomes.iter_mut().zip(timed) {
        if let Some(id) = outcome.child
            && !outcome.found
        {
            let all = app
                .match_candidates(&submission.details, usize::MAX)
                .await?;
            outcome.found = all.iter().any(|c| c.child.id == id);
        }
    }
    // How many children each lookup brings to be scored (untimed, a sample).
    let mut scored = Vec::new();
    for submission in timed.iter().take(1000) {
        let all = app
            .match_candidates(&submission.details, usize::MAX)
            .await?;
        scored.push(all.len());
    }
    latencies.sort_unstable();
    let at = |q: f64| percentile(&latencies, q);
    println!(
        "matched {} submissions in {:.1} s: {:.0} submissions a second",
        timed.len(),
        took.as_secs_f64(),
        ratio(timed.len(), 1) / took.as_secs_f64().max(1e-9)
    );
    println!(
        "per match: p50 {} ms, p95 {} ms, p99 {} ms, max {} ms",
        ms(at(0.50)),
        ms(at(0.95)),
        ms(at(0.99)),
        ms(latencies.last().copied().unwrap_or_default())
    );
    println!(
        "children scored per match (those scoring above 0, first {} submissions): mean {:.0}, max {}",
        scored.len(),
        ratio(scored.iter().sum(), scored.len().max(1)),
        scored.iter().max().copied().unwrap_or(0)
    );
    quality(&outcomes);
    Ok(())
}

/// A submission and the child proposed for it, for a person to see why.
fn describe(submission: &Submission, candidate: &Candidate) -> String {
    let d = &submission.details;
    let c = &candidate.child;
    format!(
        "{} ({}): submitted {} {}, born {}, {} / proposed {} {}{}, born {}, {}: {:?} {}: {}",
        submission.kind.label(),
        if submission.child.is_some() {
            "another child"
        } else {
            "no record"
        },
        d.first_name.as_deref().unwrap_or("-"),
        d.last_name.as_deref().unwrap_or("-"),
        d.date_of_birth
            .map_or_else(|| "-".to_owned(), |x| x.to_string()),
        d.postcode.as_ref().map_or("-", |p| p.as_str()),
        c.legal_first_name,
        c.legal_last_name,
        c.preferred_name
            .as_ref()
            .map_or_else(String::new, |p| format!(" (\"{p}\")")),
        c.date_of_birth,
        c.address.postcode.as_ref().map_or("-", |p| p.as_str()),
        candidate.result.verdict,
        candidate.result.score,
        candidate.result.summary()
    )
}

fn ms(duration: Duration) -> String {
    format!("{:.2}", duration.as_secs_f64() * 1000.0)
}

fn proposed(verdict: Verdict) -> bool {
    matches!(verdict, Verdict::Certain | Verdict::Likely)
}

impl Outcome {
    /// The child was the first candidate.
    fn first(&self) -> bool {
        self.child.is_some() && self.first.map(|(id, _)| id) == self.child
    }

    /// The child was the first candidate, likely or certain: proposed for one click.
    fn proposed(&self) -> bool {
        self.first() && self.first.is_some_and(|(_, v)| proposed(v))
    }

    /// Another child (any child, if there is no record) was proposed.
    fn another_proposed(&self) -> bool {
        self.first
            .is_some_and(|(id, v)| Some(id) != self.child && proposed(v))
    }

    fn conflict(&self) -> bool {
        self.first.is_some_and(|(_, v)| v == Verdict::Conflict)
    }
}

fn percent(part: usize, whole: usize) -> String {
    format!("{:.1}%", 100.0 * ratio(part, whole.max(1)))
}

fn count(outcomes: &[&Outcome], test: impl Fn(&Outcome) -> bool) -> usize {
    outcomes.iter().filter(|o| test(o)).count()
}

/// How often the child was first, proposed, found at all; how often another
/// child (or any child, for children with no record) was proposed.
fn quality(outcomes: &[Outcome]) {
    let known: Vec<&Outcome> = outcomes.iter().filter(|o| o.child.is_some()).collect();
    let strangers: Vec<&Outcome> = outcomes.iter().filter(|o| o.child.is_none()).collect();
    let top = count(&known, Outcome::first);
    println!(
        "quality: the child was the first candidate for {top} of {} submissions for known \
         children ({}), proposed (likely or certain) for {}; another child was proposed for {}; \
         {} of {} children with no record got a likely or certain proposal",
        known.len(),
        percent(top, known.len()),
        count(&known, Outcome::proposed),
        count(&known, Outcome::another_proposed),
        count(&strangers, Outcome::another_proposed),
        strangers.len()
    );
    for wrong in outcomes.iter().filter_map(|o| o.wrong.as_ref()).take(20) {
        println!("  {wrong}");
    }
    println!();
    println!("| Submission | n | first | proposed | found at all | another proposed | conflict |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for kind in Kind::ALL {
        let of_kind: Vec<&Outcome> = outcomes.iter().filter(|o| o.kind == kind).collect();
        let n = of_kind.len();
        if n == 0 {
            continue;
        }
        let share = |test: fn(&Outcome) -> bool| percent(count(&of_kind, test), n);
        if kind == Kind::NotKnown {
            println!(
                "| {} | {n} | – | – | – | {} | {} |",
                kind.label(),
                share(Outcome::another_proposed),
                share(Outcome::conflict)
            );
        } else {
            println!(
                "| {} | {n} | {} | {} | {} | {} | {} |",
                kind.label(),
                share(Outcome::first),
                share(Outcome::proposed),
                share(|o| o.found),
                share(Outcome::another_proposed),
                share(Outcome::conflict)
            );
        }
    }
}
