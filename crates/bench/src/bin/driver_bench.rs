//! The SQLite driver comparison (issue 17, item 4; DESIGN.md): the reads one
//! SEND Dashboard view makes, run against a generated council's database at
//! each concurrency, by three readers:
//!
//! - `store (sqlx)`: the portal's own store, through its traits, as the server
//!   calls it (the access check's `portal_link` and `child`, then `dashboard`):
//!   the driver and the turning of rows into the domain's types;
//! - `sqlx, rows only`: the same statements on sqlx's SQLite driver, each
//!   row kept as sqlx returns it, nothing turned into the domain's types;
//! - `rusqlite, rows only`: the same statements on rusqlite, each connection
//!   used by one blocking thread for a whole read, statements cached, each
//!   value copied out of the row.
//!
//! Both "rows only" readers use as many connections as the store's reader pool
//! and run the dashboard's statements in one deferred read transaction, as the
//! store does. The statements are those of `store-sqlite/src/dashboard.rs` and
//! the modules it calls, at the commit that added this file. BENCHMARKS.md
//! ("Load", the driver comparison) has the command and the figures.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use clap::Parser;
use rusqlite::OpenFlags;
use rusqlite::types::Value;
use send_app::SystemClock;
use send_app::audit::OPENINGS_DAYS;
use send_bench::stats::{per_second, percentile_ms};
use send_domain::Clock;
use send_domain::{ChildId, UserId};
use send_store::{DashboardQuery, PortalAccessStore};
use send_store_sqlite::SqliteStore;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::{Row, SqlitePool};
use tokio::sync::Semaphore;

#[derive(Debug, Parser)]
#[command(about = "Times the SEND Dashboard's reads on sqlx and on rusqlite")]
struct Args {
    /// A generated council's database (`generate --sqlite-file`).
    #[arg(long)]
    sqlite_file: PathBuf,
    /// Concurrencies to run, one after another.
    #[arg(long, value_delimiter = ',', default_value = "16,64,256")]
    concurrency: Vec<usize>,
    /// Seconds for each reader at each concurrency.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Connections each reader has (the store's reader pool has 4).
    #[arg(long, default_value_t = 4)]
    connections: usize,
    /// Families (with their child) to read the dashboards of, in turn.
    #[arg(long, default_value_t = 256)]
    families: usize,
    /// Commits a second by another connection while the readers run (into a
    /// table of the benchmark's own, dropped at the end), as the portal's
    /// audit events commit while pages are read: in WAL mode a commit empties
    /// every other connection's page cache. 0 for none.
    #[arg(long, default_value_t = 200)]
    commits_per_second: u32,
}

/// A table of the benchmark's own in the council's database, for `--commits-per-second`.
const COMMITS_TABLE: &str = "driver_bench_commits";

/// Commits `per_second` times a second on a connection of its own until `stop`.
fn committer(
    path: &Path,
    per_second: u32,
    stop: Arc<std::sync::atomic::AtomicBool>,
) -> Result<std::thread::JoinHandle<Result<u64>>> {
    let conn = rusqlite::Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.execute_batch(&format!(
        "CREATE TABLE IF NOT EXISTS {COMMITS_TABLE} (at INTEGER NOT NULL)"
    ))?;
    Ok(std::thread::spawn(move || {
        let mut commits = 0;
        if per_second == 0 {
            return Ok(commits);
        }
        let every = Duration::from_secs(1) / per_second;
        while !stop.load(std::sync::atomic::Ordering::Relaxed) {
            conn.execute(
                &format!("INSERT INTO {COMMITS_TABLE} (at) VALUES (?1)"),
                [i64::try_from(commits)?],
            )?;
            commits += 1;
            std::thread::sleep(every);
        }
        conn.execute_batch(&format!("DROP TABLE {COMMITS_TABLE}"))?;
        Ok(commits)
    }))
}

/// What a statement is given, in order.
#[derive(Debug, Clone, Copy)]
enum Arg {
    Child,
    Account,
    Since,
    Limit,
}

/// The access check's reads, each on its own (no transaction), as the store
/// makes them before the dashboard's read.
const ACCESS_CHECK: &[(&str, &[Arg])] = &[
    (
        "SELECT * FROM portal_links WHERE child_id = ?1 AND account_id = ?2",
        &[Arg::Child, Arg::Account],
    ),
    ("SELECT * FROM children WHERE id = ?1", &[Arg::Child]),
];

/// The involvements of the child: the first statement of the dashboard's read;
/// their events, completions and exceptions follow by id.
const INVOLVEMENTS: &str = "SELECT i.id AS i_id, i.child_id AS i_child_id, i.kind AS i_kind, \
     i.stage AS i_stage, i.stage_since AS i_stage_since, i.caseworker_id AS i_caseworker_id, \
     i.requested_by AS i_requested_by, i.request_outcome AS i_request_outcome, \
     i.assessment_outcome AS i_assessment_outcome, i.plan_start AS i_plan_start, \
     i.cease_reason AS i_cease_reason, i.opened_at AS i_opened_at, \
     i.updated_at AS i_updated_at, i.version AS i_version, \
     i.previous_stage AS i_previous_stage, i.previous_stage_since AS i_previous_stage_since \
     FROM involvements i WHERE i.child_id = ?1 ORDER BY i.opened_at DESC, i.id DESC";

/// Read for the involvements' ids: table and order.
const DETAILS: &[(&str, &str)] = &[
    ("involvement_events", "involvement_id"),
    ("involvement_completions", "involvement_id"),
    ("involvement_exceptions", "involvement_id, position"),
];

/// The rest of the dashboard's read, in the store's order.
const DASHBOARD: &[(&str, &[Arg])] = &[
    (
        "SELECT DISTINCT a.id, a.name FROM involvements i \
         JOIN accounts a ON a.id = i.caseworker_id \
         WHERE i.child_id = ?1 ORDER BY a.id",
        &[Arg::Child],
    ),
    (
        "SELECT * FROM advice_requests WHERE child_id = ?1 ORDER BY sent_on, created_at, id",
        &[Arg::Child],
    ),
    (
        "SELECT * FROM local_milestones ORDER BY kind, title, code",
        &[],
    ),
    ("SELECT date, name FROM extra_holidays ORDER BY date", &[]),
    (
        "SELECT count(*) FROM message_threads t \
         JOIN thread_participants p ON p.thread_id = t.id AND p.account_id = ?2 \
         JOIN messages m ON m.thread_id = t.id AND m.author <> ?2 \
         LEFT JOIN thread_reads r ON r.thread_id = t.id AND r.account_id = ?2 \
         WHERE t.child_id = ?1 AND (r.read_up_to IS NULL OR m.sent_at > r.read_up_to)",
        &[Arg::Child, Arg::Account],
    ),
    (
        "SELECT count(*) FROM documents d \
         WHERE d.child_id = ?1 AND d.kind <> 'attachment' AND (d.shared_with_all = 1 \
         OR EXISTS (SELECT 1 FROM document_shares s \
                    WHERE s.document_id = d.id AND s.account_id = ?2))",
        &[Arg::Child, Arg::Account],
    ),
    (
        "SELECT * FROM form_assignments WHERE child_id = ?1 ORDER BY assigned_at DESC, id DESC",
        &[Arg::Child],
    ),
    (
        "SELECT * FROM form_drafts WHERE author = ?2 AND child_id = ?1 \
         ORDER BY saved_at DESC, form_id",
        &[Arg::Child, Arg::Account],
    ),
    (
        "SELECT v.* FROM form_versions v \
         JOIN forms f ON f.id = v.form_id AND f.live_version = v.number \
         WHERE f.retired_at IS NULL \
         AND f.id IN (SELECT form_id FROM form_assignments WHERE child_id = ?1) \
         ORDER BY f.title, f.id",
        &[Arg::Child],
    ),
    (
        "SELECT e.occurred_at, a.kind, a.staff_role, a.job_role, a.organisation, \
         t.name AS team_name \
         FROM ( \
           SELECT * FROM ( \
             SELECT v.id, v.occurred_at, v.actor_id FROM audit_events v \
             JOIN accounts k ON k.id = v.actor_id AND k.kind = 'staff' \
             WHERE v.child_id = ?1 AND v.action = 'child.viewed' AND v.occurred_at >= ?3 \
             AND v.outcome = 'succeeded' \
             ORDER BY v.occurred_at DESC, v.id DESC LIMIT ?4) staff_views \
           UNION ALL \
           SELECT v.id, v.occurred_at, v.actor_id FROM portal_links l \
           CROSS JOIN accounts k CROSS JOIN audit_events v \
           WHERE l.child_id = ?1 AND k.id = l.account_id AND k.kind = 'professional' \
           AND v.child_id = l.child_id AND v.actor_id = l.account_id \
           AND v.action = 'dashboard.viewed' AND v.occurred_at >= ?3 \
           AND v.outcome = 'succeeded') e \
         JOIN accounts a ON a.id = e.actor_id \
         LEFT JOIN staff_members s ON s.account_id = a.id \
         LEFT JOIN teams t ON t.id = s.team_id \
         ORDER BY e.occurred_at DESC, e.id DESC LIMIT ?4",
        &[Arg::Child, Arg::Account, Arg::Since, Arg::Limit],
    ),
];

/// How many "who has looked" openings the dashboard reads at most (the app's).
const OPENINGS_LIMIT: u32 = 500;

/// One family's dashboard to read.
#[derive(Debug, Clone)]
struct Family {
    child: String,
    account: String,
    /// "Who has looked at this record" since then (as far back as the app
    /// reads), as the store keeps times and as a time.
    since: String,
    since_at: time::OffsetDateTime,
}

impl Family {
    fn arg(&self, arg: Arg) -> Bound {
        match arg {
            Arg::Child => Bound::Text(self.child.clone()),
            Arg::Account => Bound::Text(self.account.clone()),
            Arg::Since => Bound::Text(self.since.clone()),
            Arg::Limit => Bound::Int(i64::from(OPENINGS_LIMIT)),
        }
    }
}

#[derive(Debug, Clone)]
enum Bound {
    Text(String),
    Int(i64),
}

/// The `IN (…)` statement of one detail table for `count` ids.
fn details_sql(table: &str, order: &str, count: usize) -> String {
    let marks = vec!["?"; count].join(", ");
    format!("SELECT * FROM {table} WHERE involvement_id IN ({marks}) ORDER BY {order}")
}

/// A reader of a family's dashboard: the values it read, counted.
trait Reader: Send + Sync {
    fn read(&self, family: &Family) -> impl Future<Output = Result<usize>> + Send;
}

/// The portal's store, through its traits.
struct StoreReader(SqliteStore);

impl Reader for StoreReader {
    async fn read(&self, family: &Family) -> Result<usize> {
        let child = ChildId::from_uuid(family.child.parse()?);
        let account = UserId::from_uuid(family.account.parse()?);
        // The access check's link and child are in the same read.
        let dashboard = self
            .0
            .dashboard(&DashboardQuery {
                child,
                account,
                openings_since: Some(family.since_at),
                openings_limit: OPENINGS_LIMIT,
            })
            .await?;
        let read = dashboard.read.unwrap_or_default();
        Ok(usize::from(dashboard.case.link.is_some())
            + usize::from(dashboard.case.child.is_some())
            + read.involvements.len()
            + read.openings.len())
    }
}

/// sqlx's SQLite driver, rows as it returns them.
struct SqlxReader(SqlitePool);

fn bind_sqlx(
    mut query: sqlx::query::Query<'_, sqlx::Sqlite, sqlx::sqlite::SqliteArguments>,
    args: impl IntoIterator<Item = Bound>,
) -> sqlx::query::Query<'_, sqlx::Sqlite, sqlx::sqlite::SqliteArguments> {
    for arg in args {
        query = match arg {
            Bound::Text(text) => query.bind(text),
            Bound::Int(int) => query.bind(int),
        };
    }
    query
}

impl Reader for SqlxReader {
    async fn read(&self, family: &Family) -> Result<usize> {
        let mut values = 0;
        for (sql, args) in ACCESS_CHECK {
            let rows = bind_sqlx(sqlx::query(*sql), args.iter().map(|a| family.arg(*a)))
                .fetch_all(&self.0)
                .await?;
            values += rows.iter().map(Row::len).sum::<usize>();
        }
        let mut tx = self.0.begin().await?;
        let rows = bind_sqlx(sqlx::query(INVOLVEMENTS), [family.arg(Arg::Child)])
            .fetch_all(&mut *tx)
            .await?;
        values += rows.iter().map(Row::len).sum::<usize>();
        let ids: Vec<String> = rows
            .iter()
            .map(|r| r.try_get::<String, _>("i_id"))
            .collect::<Result<_, _>>()?;
        if !ids.is_empty() {
            for (table, order) in DETAILS {
                let sql = details_sql(table, order, ids.len());
                let query = sqlx::query(sqlx::AssertSqlSafe(sql));
                let rows = bind_sqlx(query, ids.iter().cloned().map(Bound::Text))
                    .fetch_all(&mut *tx)
                    .await?;
                values += rows.iter().map(Row::len).sum::<usize>();
            }
        }
        for (sql, args) in DASHBOARD {
            let rows = bind_sqlx(sqlx::query(*sql), args.iter().map(|a| family.arg(*a)))
                .fetch_all(&mut *tx)
                .await?;
            values += rows.iter().map(Row::len).sum::<usize>();
        }
        tx.commit().await?;
        Ok(values)
    }
}

/// rusqlite: a whole read on one blocking thread, on one of a few connections.
struct RusqliteReader {
    connections: Arc<Mutex<Vec<rusqlite::Connection>>>,
    turns: Semaphore,
}

impl RusqliteReader {
    fn open(path: &Path, count: usize) -> Result<Self> {
        let mut connections = Vec::new();
        for _ in 0..count {
            let conn = rusqlite::Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            conn.busy_timeout(Duration::from_secs(10))?;
            conn.set_prepared_statement_cache_capacity(64);
            connections.push(conn);
        }
        Ok(Self {
            connections: Arc::new(Mutex::new(connections)),
            turns: Semaphore::new(count),
        })
    }
}

/// Runs one statement, copying every value out; the values, and the first
/// column of each row as text.
fn rusqlite_rows(
    conn: &rusqlite::Connection,
    sql: &str,
    args: Vec<Bound>,
) -> Result<(usize, Vec<String>)> {
    let mut statement = conn.prepare_cached(sql)?;
    let columns = statement.column_count();
    let params = args.into_iter().map(|arg| match arg {
        Bound::Text(text) => Value::Text(text),
        Bound::Int(int) => Value::Integer(int),
    });
    let mut rows = statement.query(rusqlite::params_from_iter(params))?;
    let (mut values, mut firsts) = (0, Vec::new());
    while let Some(row) = rows.next()? {
        let row: Vec<Value> = (0..columns)
            .map(|i| row.get::<_, Value>(i))
            .collect::<Result<_, _>>()?;
        values += row.len();
        if let Some(Value::Text(first)) = row.into_iter().next() {
            firsts.push(first);
        }
    }
    Ok((values, firsts))
}

fn rusqlite_read(conn: &mut rusqlite::Connection, family: &Family) -> Result<usize> {
    let mut values = 0;
    for (sql, args) in ACCESS_CHECK {
        values += rusqlite_rows(conn, sql, args.iter().map(|a| family.arg(*a)).collect())?.0;
    }
    let tx = conn.transaction()?;
    let (count, ids) = rusqlite_rows(&tx, INVOLVEMENTS, vec![family.arg(Arg::Child)])?;
    values += count;
    if !ids.is_empty() {
        for (table, order) in DETAILS {
            let sql = details_sql(table, order, ids.len());
            let args = ids.iter().cloned().map(Bound::Text).collect();
            values += rusqlite_rows(&tx, &sql, args)?.0;
        }
    }
    for (sql, args) in DASHBOARD {
        values += rusqlite_rows(&tx, sql, args.iter().map(|a| family.arg(*a)).collect())?.0;
    }
    tx.commit()?;
    Ok(values)
}

impl Reader for RusqliteReader {
    async fn read(&self, family: &Family) -> Result<usize> {
        let _turn = self.turns.acquire().await?;
        let connections = self.connections.clone();
        let family = family.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = connections
                .lock()
                .map_err(|_| anyhow!("a reader panicked"))?
                .pop()
                .context("no connection free")?;
            let read = rusqlite_read(&mut conn, &family);
            connections
                .lock()
                .map_err(|_| anyhow!("a reader panicked"))?
                .push(conn);
            read
        })
        .await?
    }
}

/// Each read's time and the reads that failed, at one concurrency.
async fn drive<R: Reader + 'static>(
    reader: Arc<R>,
    families: &Arc<Vec<Family>>,
    concurrency: usize,
    seconds: u64,
) -> (Vec<Duration>, usize) {
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let (reader, families) = (reader.clone(), families.clone());
        tasks.push(tokio::spawn(async move {
            let (mut times, mut errors) = (Vec::new(), 0);
            let mut next = worker;
            while Instant::now() < until {
                let family = &families[next % families.len()];
                next += concurrency;
                let began = Instant::now();
                match reader.read(family).await {
                    Ok(values) if values > 0 => times.push(began.elapsed()),
                    Ok(_) => errors += 1,
                    Err(e) => {
                        errors += 1;
                        eprintln!("a read failed: {e:#}");
                    }
                }
            }
            (times, errors)
        }));
    }
    let (mut times, mut errors) = (Vec::new(), 0);
    for task in tasks {
        match task.await {
            Ok((mut some, failed)) => {
                times.append(&mut some);
                errors += failed;
            }
            Err(e) => eprintln!("a worker failed: {e}"),
        }
    }
    times.sort_unstable();
    (times, errors)
}

fn report(name: &str, (times, errors): &(Vec<Duration>, usize), seconds: u64) {
    println!(
        "| {name} | {:.0} | {:.2} | {:.2} | {:.2} | {errors} |",
        per_second(times.len(), seconds),
        percentile_ms(times, 0.50),
        percentile_ms(times, 0.95),
        percentile_ms(times, 0.99),
    );
}

/// Families with an active link as a parent, each with their child, in a
/// stable order.
async fn families(pool: &SqlitePool, count: usize) -> Result<Vec<Family>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT child_id, account_id FROM portal_links \
         WHERE status = 'active' AND role = 'parent' ORDER BY id LIMIT ?1",
    )
    .bind(i64::try_from(count)?)
    .fetch_all(pool)
    .await?;
    let since_at = SystemClock.now() - time::Duration::days(OPENINGS_DAYS);
    let since = since_at.format(&time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z"
    ))?;
    let families: Vec<Family> = rows
        .into_iter()
        .map(|(child, account)| Family {
            child,
            account,
            since: since.clone(),
            since_at,
        })
        .collect();
    if families.is_empty() {
        return Err(anyhow!(
            "no active parent links: is this a generated council?"
        ));
    }
    Ok(families)
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let options = SqliteConnectOptions::new()
        .filename(&args.sqlite_file)
        .journal_mode(SqliteJournalMode::Wal)
        .busy_timeout(Duration::from_secs(10))
        .read_only(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(u32::try_from(args.connections)?)
        .connect_with(options)
        .await?;
    let families = Arc::new(families(&pool, args.families).await?);
    let store = Arc::new(StoreReader(SqliteStore::open(&args.sqlite_file).await?));
    let sqlx_rows = Arc::new(SqlxReader(pool));
    let rusqlite_rows = Arc::new(RusqliteReader::open(&args.sqlite_file, args.connections)?);
    println!(
        "{} families' dashboards, {} connections a reader, {} s each, {} commits a second beside",
        families.len(),
        args.connections,
        args.seconds,
        args.commits_per_second
    );
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let commits = committer(&args.sqlite_file, args.commits_per_second, stop.clone())?;
    for &concurrency in &args.concurrency {
        println!("\n== {concurrency} at once ==\n");
        println!("| reader | reads a second | p50 ms | p95 ms | p99 ms | errors |");
        println!("|---|---:|---:|---:|---:|---:|");
        let seconds = args.seconds;
        report(
            "store (sqlx)",
            &drive(store.clone(), &families, concurrency, seconds).await,
            seconds,
        );
        report(
            "sqlx, rows only",
            &drive(sqlx_rows.clone(), &families, concurrency, seconds).await,
            seconds,
        );
        report(
            "rusqlite, rows only",
            &drive(rusqlite_rows.clone(), &families, concurrency, seconds).await,
            seconds,
        );
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let commits = commits
        .join()
        .map_err(|_| anyhow!("the committer panicked"))??;
    println!("\n{commits} commits beside the reads");
    Ok(())
}
