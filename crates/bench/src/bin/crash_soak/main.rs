//! The crash consistency soak (issue 18): runs the harness of
//! `send_bench::crash` with many kills on SQLite, PostgreSQL or both, against
//! the real `send-portal` binary, sending email to a real SMTP server
//! (Debian's aiosmtpd) on loopback. Prints each database's figures and fails
//! if any acknowledged write or email was lost or the SQLite file is unsound.
//! BENCHMARKS.md ("Crash consistency") has the command; SECURITY.md the figures.

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::{Parser, ValueEnum};
use send_app::SystemClock;
use send_bench::crash::{self, Database, Mail, Options, Report};
use send_domain::Clock;
use send_store_postgres::testing::{drop_database, fresh_database};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Which {
    Sqlite,
    Postgres,
    Both,
}

#[derive(Debug, Parser)]
#[command(
    about = "Kills a real portal again and again while it writes, and checks nothing \
                   it acknowledged was lost"
)]
struct Args {
    /// The databases to run on.
    #[arg(long, value_enum, default_value = "both")]
    db: Which,
    /// Kills on each database.
    #[arg(long, default_value_t = 100)]
    kills: usize,
    /// Writers working at once.
    #[arg(long, default_value_t = 6)]
    writers: usize,
    /// The PostgreSQL server, on which a database of the run's own is made and
    /// dropped (default: `SEND_PORTAL_TEST_POSTGRES_URL`).
    #[arg(long, env = "SEND_PORTAL_TEST_POSTGRES_URL")]
    postgres: Option<String>,
    /// The `send-portal` binary (default: the one beside this program, built by
    /// the same `cargo build`).
    #[arg(long)]
    server: Option<PathBuf>,
    #[arg(long, default_value_t = 18)]
    seed: u64,
}

/// aiosmtpd on a free loopback port, keeping what it receives in a maildir.
struct SmtpServer {
    child: Child,
    port: u16,
    maildir: tempfile::TempDir,
}

impl SmtpServer {
    fn start() -> Result<Self> {
        let port = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))?
            .local_addr()?
            .port();
        let maildir = tempfile::tempdir()?;
        let mut child = Command::new("/usr/bin/python3")
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir.path().join("box"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("while starting aiosmtpd (Debian's python3-aiosmtpd)")?;
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            if child.try_wait()?.is_some() || Instant::now() > deadline {
                let _ = child.kill();
                bail!("aiosmtpd did not start listening (is python3-aiosmtpd installed?)");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(Self {
            child,
            port,
            maildir,
        })
    }

    fn mail(&self) -> Mail {
        Mail {
            setting: format!("smtp://127.0.0.1:{}", self.port),
            maildir: self.maildir.path().join("box"),
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn run_on(args: &Args, server: &Path, database: Database) -> Result<Report> {
    let smtp = SmtpServer::start()?;
    let mut options = Options::new(server.to_path_buf(), database, smtp.mail(), args.kills);
    options.writers = args.writers;
    options.seed = args.seed;
    let started = Instant::now();
    let name = options.database.name();
    let report = crash::run(&options, |line| eprintln!("{name} {line}")).await?;
    eprintln!(
        "{name}: {} kills in {:.0} s",
        report.kills,
        started.elapsed().as_secs_f64()
    );
    Ok(report)
}

async fn postgres(args: &Args, server: &Path) -> Result<Report> {
    let server_url = args
        .postgres
        .clone()
        .context("give --postgres or set SEND_PORTAL_TEST_POSTGRES_URL")?;
    let now = SystemClock.now();
    let name = fresh_database(
        &server_url,
        now.unix_timestamp(),
        u64::from(now.nanosecond()) ^ args.seed,
    )
    .await?;
    let mut url = url::Url::parse(&server_url)?;
    url.set_path(&format!("/{name}"));
    let report = run_on(
        args,
        server,
        Database::Postgres {
            url: url.to_string(),
        },
    )
    .await;
    drop_database(&server_url, &name).await?;
    report
}

#[tokio::main]
async fn main() -> Result<ExitCode> {
    let args = Args::parse();
    let server = match &args.server {
        Some(path) => path.clone(),
        None => std::env::current_exe()?
            .parent()
            .context("this program's folder")?
            .join("send-portal"),
    };
    if !server.exists() {
        bail!(
            "no send-portal binary at {} (build it, or give --server)",
            server.display()
        );
    }
    let mut reports = Vec::new();
    if matches!(args.db, Which::Sqlite | Which::Both) {
        reports.push(run_on(&args, &server, Database::Sqlite).await?);
    }
    if matches!(args.db, Which::Postgres | Which::Both) {
        reports.push(postgres(&args, &server).await?);
    }
    println!();
    for report in &reports {
        print!("{report}");
    }
    println!(
        "\n| Database | Kills | Writes acknowledged | Lost | In flight at a kill (there after) | Emails (delivered, lost, repeated) |"
    );
    println!("|---|---:|---:|---:|---:|---|");
    for report in &reports {
        println!(
            "| {} | {} | {} | {} | {} ({}) | {} ({}, {}, {}) |",
            report.database,
            report.kills,
            report.acknowledged_total(),
            report.lost.len(),
            report.in_flight,
            report.in_flight_applied,
            report.emails,
            report.emails_delivered,
            report.emails_lost.len(),
            report.emails_repeated.len()
        );
    }
    Ok(if reports.iter().all(Report::is_consistent) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
