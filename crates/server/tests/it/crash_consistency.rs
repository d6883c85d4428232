//! Crash consistency (issue 18), the short run: the harness of
//! `send_bench::crash` kills the real server (SIGKILL) a few times on each
//! database while caseworkers reply, move and correct stages and upload
//! documents, and checks after every restart that each write the server
//! acknowledged is there and whole, that SQLite's `PRAGMA integrity_check` says
//! `ok`, and at the end that every email of the outbox reached the SMTP server.
//! The long run (100 kills each) is `crash_soak` (BENCHMARKS.md).

use std::path::PathBuf;

use send_bench::crash::{self, Database, Mail, Options, Report, WriteKind};

use crate::support::processes::{OwnDatabase, SmtpServer};

/// Kills on each database in this short run.
const KILLS: usize = 5;

async fn run(database: Database, smtp: &SmtpServer) -> Report {
    let options = Options::new(
        PathBuf::from(env!("CARGO_BIN_EXE_send-portal")),
        database,
        Mail {
            setting: smtp.mail_setting(),
            maildir: smtp.maildir(),
        },
        KILLS,
    );
    let report = crash::run(&options, |line| eprintln!("{line}"))
        .await
        .unwrap_or_else(|e| panic!("the crash harness could not run: {e:#}"));
    eprintln!("{report}");
    assert_eq!(report.kills, KILLS, "{report}");
    for kind in [WriteKind::Reply, WriteKind::StageMove, WriteKind::Upload] {
        assert!(
            report.acknowledged.get(&kind).copied().unwrap_or_default() > 0,
            "no {kind} were acknowledged: {report}"
        );
    }
    assert!(
        report.in_flight > 0,
        "no write was in flight at a kill: {report}"
    );
    assert!(report.lost.is_empty(), "{report}");
    assert!(report.emails > 0, "{report}");
    assert!(report.emails_lost.is_empty(), "{report}");
    assert_eq!(report.emails_delivered, report.emails, "{report}");
    report
}

#[tokio::test(flavor = "multi_thread")]
async fn killing_the_server_on_sqlite_loses_no_acknowledged_write_and_no_email() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let report = run(Database::Sqlite, &smtp).await;
    assert_eq!(report.integrity_ok, KILLS, "{report}");
    assert!(report.integrity_problems.is_empty(), "{report}");
}

#[tokio::test(flavor = "multi_thread")]
async fn killing_the_server_on_postgres_loses_no_acknowledged_write_and_no_email() {
    let Some(db) = OwnDatabase::create().await else {
        return;
    };
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    run(
        Database::Postgres {
            url: db.url.clone(),
        },
        &smtp,
    )
    .await;
}
