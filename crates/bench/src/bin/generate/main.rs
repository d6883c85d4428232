//! Fills a database with a generated council (`send_bench::council`), for
//! looking at the portal, and load-testing it, at a council's scale: `la` is a
//! large county (25,000 children), `national` every EHC plan in England
//! (640,000). The same seed gives the same council. BENCHMARKS.md ("Generated
//! council") has the command, the accounts it makes and the figures.
//!
//! ```text
//! cargo run --release -p send-bench --bin generate -- --preset la --sqlite-file data/send-portal.db
//! ```

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Parser, ValueEnum};
use send_bench::council::{
    self, AUTHENTICATOR_KEY, Counts, Options, PASSWORD, caseworker_email, parent_email,
    professional_email,
};
use send_store::Store;
use send_store_postgres::PgStore;
use send_store_sqlite::SqliteStore;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Preset {
    /// 200 children: a quick look.
    Small,
    /// 25,000 children: a large county.
    La,
    /// 640,000 children: every EHC plan in England.
    National,
}

impl Preset {
    fn children(self) -> usize {
        match self {
            Self::Small => 200,
            Self::La => 25_000,
            Self::National => 640_000,
        }
    }
}

#[derive(Debug, Parser)]
#[command(about = "Fills a new database with a generated council, the same for the same seed")]
struct Args {
    #[arg(long, value_enum, default_value = "la")]
    preset: Preset,
    /// How many children, instead of the preset's.
    #[arg(long)]
    children: Option<usize>,
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// A SQLite database file to create (an existing one is replaced).
    #[arg(long, conflicts_with = "postgres_url")]
    sqlite_file: Option<PathBuf>,
    /// A PostgreSQL database to fill instead (it must hold no portal data).
    #[arg(long)]
    postgres_url: Option<String>,
    /// With `--postgres-url`: a schema of its own (replaced), as the benchmarks use.
    #[arg(long, requires = "postgres_url")]
    schema: Option<String>,
    /// About this many children (whole families) to a transaction.
    #[arg(long, default_value_t = 1_000)]
    batch: usize,
    /// The portal's file folder (`SEND_PORTAL_FILES`), for the real files.
    #[arg(long)]
    files: Option<PathBuf>,
    /// How many documents (the first) are real files in `--files`.
    #[arg(long, default_value_t = 50)]
    real_files: usize,
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let store: Arc<dyn Store> = if let Some(path) = &args.sqlite_file {
        for suffix in ["", "-wal", "-shm"] {
            let mut file = path.clone().into_os_string();
            file.push(suffix);
            let _ = std::fs::remove_file(file);
        }
        let store = SqliteStore::open(path).await?;
        store.migrate().await?;
        Arc::new(store)
    } else if let Some(url) = &args.postgres_url {
        if let Some(schema) = &args.schema {
            PgStore::drop_schema(url, schema).await?;
        }
        let store = PgStore::connect_in_schema(url, args.schema.as_deref())
            .await
            .context("connect to PostgreSQL (--postgres-url)")?;
        store.migrate().await?;
        Arc::new(store)
    } else {
        bail!("say where: --sqlite-file PATH or --postgres-url URL");
    };
    let options = Options {
        seed: args.seed,
        children: args.children.unwrap_or_else(|| args.preset.children()),
        batch: args.batch,
        files: args.files.clone(),
        real_files: args.real_files,
        // PostgreSQL's round trips overlap; SQLite has one writer.
        in_flight: if args.postgres_url.is_some() { 3 } else { 1 },
    };
    let started = Instant::now();
    let total = options.children;
    let counts = council::generate(&store, &options, |counts| {
        let seconds = started.elapsed().as_secs_f64();
        eprint!(
            "\r  {:>7} of {total} children, {:>9} rows, {seconds:>6.1} s",
            counts.children,
            counts.rows()
        );
        let _ = std::io::stderr().flush();
    })
    .await?;
    eprintln!();
    if let Some(url) = &args.postgres_url {
        analyze(url, args.schema.as_deref()).await?;
    }
    report(&counts, started.elapsed().as_secs_f64());
    if let Some(path) = &args.sqlite_file {
        let size = std::fs::metadata(path).map_or(0, |m| m.len());
        println!(
            "database file {} ({} MiB)",
            path.display(),
            size / (1024 * 1024)
        );
    }
    Ok(())
}

/// Gathers PostgreSQL's statistics of the new tables, as autovacuum would soon
/// after on a council's server: without them the planner guesses, and at this
/// size guesses parallel scans that cost milliseconds for a few rows. (The
/// test server on this machine runs with autovacuum off.)
async fn analyze(url: &str, schema: Option<&str>) -> Result<()> {
    let pool = sqlx::PgPool::connect(url).await?;
    let schema = schema.unwrap_or("public");
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT tablename FROM pg_tables WHERE schemaname = $1")
            .bind(schema)
            .fetch_all(&pool)
            .await?;
    for table in tables {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "ANALYZE \"{schema}\".\"{table}\""
        )))
        .execute(&pool)
        .await?;
    }
    pool.close().await;
    Ok(())
}

fn report(counts: &Counts, seconds: f64) {
    println!(
        "generated {} rows in {seconds:.1} s ({:.0} rows a second)",
        counts.rows(),
        rate(counts.rows(), seconds)
    );
    let lines = [
        ("children", counts.children),
        ("family contacts", counts.contacts),
        ("caseworkers", counts.caseworkers),
        ("family accounts", counts.parents),
        ("professionals", counts.professionals),
        ("active portal links", counts.links),
        ("involvements", counts.involvements),
        ("  with an exception", counts.exceptions),
        ("conversations", counts.threads),
        ("messages", counts.messages),
        ("read marks", counts.read_marks),
        ("documents", counts.documents),
        ("  real files", counts.real_files),
        ("chronology entries", counts.chronology),
        ("audit events", counts.audit_events),
        ("  views", counts.views),
    ];
    for (what, count) in lines {
        println!("  {what:<22} {count:>9}");
    }
    println!(
        "accounts: {} to {}, {} to {}, {} to {}; password {PASSWORD}; \
         caseworkers' authenticator key {AUTHENTICATOR_KEY}",
        parent_email(1),
        parent_email(counts.parents),
        professional_email(1),
        professional_email(counts.professionals),
        caseworker_email(1),
        caseworker_email(counts.caseworkers),
    );
}

#[expect(
    clippy::cast_precision_loss,
    reason = "counts far below 2^52, shown as rates"
)]
fn rate(count: usize, seconds: f64) -> f64 {
    count as f64 / seconds.max(1e-9)
}
