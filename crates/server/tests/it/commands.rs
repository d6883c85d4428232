//! The `send-portal` binary's commands, run as an operator would run them.

use std::process::Command;

pub fn send_portal() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_send-portal"));
    // Start from a clean environment for SEND_PORTAL_* settings.
    for (key, _) in std::env::vars() {
        if key.starts_with("SEND_PORTAL_") {
            command.env_remove(key);
        }
    }
    command
}

#[test]
fn an_unsupported_database_url_stops_start_up_naming_the_supported_schemes() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let output = send_portal()
        .arg("serve")
        .env("SEND_PORTAL_DATABASE_URL", "mysql://x")
        .env("SEND_PORTAL_COUNCIL_NAME", "Testshire County Council")
        .env("SEND_PORTAL_DATA_DIR", data.path())
        .current_dir(data.path())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("\"mysql\"")
            && stderr.contains("sqlite://")
            && stderr.contains("postgres://"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_dir(data.path()).map_or(0, Iterator::count),
        0,
        "nothing was created"
    );
}

#[test]
fn serve_refuses_to_start_without_a_council_name() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let output = send_portal()
        .arg("serve")
        .env("SEND_PORTAL_DATA_DIR", data.path())
        .current_dir(data.path())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("SEND_PORTAL_COUNCIL_NAME"));
}

#[test]
fn serve_refuses_to_start_without_a_virus_scanner_unless_told_exactly() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let output = send_portal()
        .arg("serve")
        .env("SEND_PORTAL_COUNCIL_NAME", "Testshire County Council")
        .env("SEND_PORTAL_DATA_DIR", data.path())
        .current_dir(data.path())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("SEND_PORTAL_CLAMAV") && stderr.contains("SEND_PORTAL_UNSCANNED_UPLOADS"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_dir(data.path()).map_or(0, Iterator::count),
        0,
        "nothing was created"
    );
}

#[test]
fn serve_refuses_to_start_without_the_send_teams_contact_details() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let output = send_portal()
        .arg("serve")
        .env("SEND_PORTAL_COUNCIL_NAME", "Testshire County Council")
        .env(
            "SEND_PORTAL_UNSCANNED_UPLOADS",
            "accept-the-risk-of-unscanned-uploads",
        )
        .env("SEND_PORTAL_DATA_DIR", data.path())
        .current_dir(data.path())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("SEND_PORTAL_SEND_TEAM_PHONE")
            && stderr.contains("SEND_PORTAL_SEND_TEAM_EMAIL"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_dir(data.path()).map_or(0, Iterator::count),
        0,
        "nothing was created"
    );
}

#[test]
fn every_command_has_help() {
    for command in [
        &["--help"][..],
        &["serve", "--help"],
        &["migrate", "--help"],
        &["demo", "--help"],
        &["create-admin", "--help"],
        &["email-status", "--help"],
        &["jobs", "--help"],
        &["backup", "--help"],
        &["restore", "--help"],
        &["config", "--help"],
        &["config", "export", "--help"],
        &["config", "import", "--help"],
    ] {
        let output = send_portal()
            .args(command)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(output.status.success(), "{command:?}");
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("Usage:"),
            "{command:?}"
        );
    }
}

#[test]
fn create_admin_prints_a_single_use_link_on_the_base_url_and_migrate_is_repeatable() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let env = [
        (
            "SEND_PORTAL_DATA_DIR",
            data.path().to_string_lossy().into_owned(),
        ),
        (
            "SEND_PORTAL_COUNCIL_NAME",
            "Testshire County Council".to_owned(),
        ),
        (
            "SEND_PORTAL_BASE_URL",
            "https://send.testshire.gov.uk".to_owned(),
        ),
    ];
    for _ in 0..2 {
        let migrate = send_portal()
            .arg("migrate")
            .envs(env.clone())
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            migrate.status.success(),
            "{}",
            String::from_utf8_lossy(&migrate.stderr)
        );
    }
    let output = send_portal()
        .args([
            "create-admin",
            "--email",
            "Ada.Admin@Testshire.gov.uk",
            "--name",
            "Ada Admin",
        ])
        .envs(env.clone())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let link = stdout
        .split_whitespace()
        .find(|w| w.starts_with("https://send.testshire.gov.uk/staff/setup/"))
        .unwrap_or_else(|| panic!("no link in {stdout}"));
    let token = link.rsplit('/').next().unwrap_or_default();
    assert_eq!(token.len(), 64);
    assert!(stdout.contains("ada.admin@testshire.gov.uk"));
    assert!(data.path().join("send-portal.db").exists());

    let bad = send_portal()
        .args(["create-admin", "--email", "not-an-email", "--name", "Ada"])
        .envs(env)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--email"));
}

#[test]
fn jobs_lists_what_needs_attention_and_retries_only_a_dead_job() {
    use send_domain::jobs::{AfterFailure, Job, JobClaim, JobPayload};
    use send_domain::{AdviceRequestId, JobId};
    use send_store::{Changes, Write};

    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let env = [
        (
            "SEND_PORTAL_DATA_DIR",
            data.path().to_string_lossy().into_owned(),
        ),
        (
            "SEND_PORTAL_COUNCIL_NAME",
            "Testshire County Council".to_owned(),
        ),
    ];
    let run = |args: &[&str]| {
        send_portal()
            .args(args)
            .envs(env.clone())
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    assert!(run(&["migrate"]).status.success());
    let id = JobId::from_uuid(crate::support::new_uuid());
    let runtime = tokio::runtime::Runtime::new().unwrap_or_else(|e| panic!("{e}"));
    runtime.block_on(async {
        let store = send_store_sqlite::SqliteStore::open(&data.path().join("send-portal.db"))
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let at = time::macros::datetime!(2026-11-23 09:00 UTC);
        let job = Job::new(
            id,
            JobPayload::AdviceOverdue {
                request: AdviceRequestId::from_uuid(crate::support::new_uuid()),
            },
            at,
            at,
        );
        send_store::UnitOfWorkStore::commit(&store, &Changes::new().with(Write::InsertJob(job)))
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let claim = JobClaim::from_uuid(crate::support::new_uuid());
        send_store::JobStore::claim_due_jobs(&store, at, 1, time::Duration::minutes(5), claim)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        send_store::JobStore::record_job_failure(
            &store,
            id,
            claim,
            AfterFailure::Dead,
            "the request for advice was not found",
            at,
        )
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    });

    let listed = run(&["jobs"]);
    let text = String::from_utf8_lossy(&listed.stdout);
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    assert!(text.contains("1 dead"), "{text}");
    assert!(
        text.contains(&id.to_string()) && text.contains("the request for advice was not found"),
        "{text}"
    );
    let retried = run(&["jobs", "--retry", &id.to_string()]);
    assert!(
        retried.status.success(),
        "{}",
        String::from_utf8_lossy(&retried.stderr)
    );
    let text = String::from_utf8_lossy(&run(&["jobs"]).stdout).into_owned();
    assert!(
        text.contains("1 queued") && text.contains("0 dead"),
        "{text}"
    );
    let again = run(&["jobs", "--retry", &id.to_string()]);
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("only a dead job can be retried"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let junk = run(&["jobs", "--retry", "not-an-id"]);
    assert!(!junk.status.success());
}

#[test]
fn notify_mail_with_a_bad_key_stops_start_up_without_showing_the_key() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let secret = "3d844edf-8d35-48ac-975b-e847b4f122b0";
    let good_key = format!("send-portal-live-26785a09-ab16-4eb0-8407-a37497a57506-{secret}");
    for (key, template, names) in [
        (None, None, "SEND_PORTAL_NOTIFY_API_KEY is not set"),
        (
            Some(format!("live-26785a09-ab16-4eb0-8407-{secret}")),
            Some("f33517ff-2a88-4f6e-b855-c550268ce08a"),
            "SEND_PORTAL_NOTIFY_API_KEY is not usable",
        ),
        (
            Some(good_key.clone()),
            Some("the welcome template"),
            "SEND_PORTAL_NOTIFY_TEMPLATE_ID must be a template id",
        ),
    ] {
        let mut command = send_portal();
        command
            .arg("serve")
            .env("SEND_PORTAL_MAIL", "notify")
            .env("SEND_PORTAL_COUNCIL_NAME", "Testshire County Council")
            .env(
                "SEND_PORTAL_UNSCANNED_UPLOADS",
                "accept-the-risk-of-unscanned-uploads",
            )
            .env("SEND_PORTAL_DATA_DIR", data.path())
            .current_dir(data.path());
        if let Some(key) = &key {
            command.env("SEND_PORTAL_NOTIFY_API_KEY", key);
        }
        if let Some(template) = template {
            command.env("SEND_PORTAL_NOTIFY_TEMPLATE_ID", template);
        }
        let output = command.output().unwrap_or_else(|e| panic!("{e}"));
        assert!(!output.status.success(), "{names}");
        let shown = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(shown.contains(names), "{shown}");
        assert!(!shown.contains(secret), "the key is never shown: {shown}");
        assert_eq!(
            std::fs::read_dir(data.path()).map_or(0, Iterator::count),
            0,
            "nothing was created"
        );
    }
}

#[test]
fn email_status_on_an_empty_outbox_says_so() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let env = [
        (
            "SEND_PORTAL_DATA_DIR",
            data.path().to_string_lossy().into_owned(),
        ),
        (
            "SEND_PORTAL_COUNCIL_NAME",
            "Testshire County Council".to_owned(),
        ),
    ];
    let output = send_portal()
        .args(["email-status", "--last", "5"])
        .envs(env)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout), "No emails yet.\n");
}
