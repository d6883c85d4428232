//! The set-up link printed by `create-admin` and the page it leads to.

use http::StatusCode;
use send_domain::{Actor, AuditAction, AuditOutcome, AuditQuery, Email, PersonName};
use time::Duration;

use crate::support::{TestApp, on_both_databases};

async fn issue(app: &TestApp) -> String {
    let issued = app
        .app
        .issue_admin_setup_link(
            Email::parse("ada.admin@testshire.gov.uk").unwrap_or_else(|e| panic!("{e}")),
            PersonName::parse("Ada Admin").unwrap_or_else(|e| panic!("{e}")),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let path = issued
        .url
        .strip_prefix("http://localhost:8080")
        .unwrap_or_else(|| panic!("link is on the base URL: {}", issued.url));
    path.to_owned()
}

#[tokio::test]
async fn a_setup_link_opens_for_its_person_and_is_audited() {
    on_both_databases(async |app: TestApp| {
        let path = issue(&app).await;
        assert!(path.starts_with("/staff/setup/"));
        app.clock.advance(Duration::minutes(5));
        let page = app.client().get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{:?}", app.engine);
        assert_eq!(page.h1(), "Set up your back-office account");
        assert!(page.body.contains("Hello Ada Admin"));

        let log = app
            .app
            .store
            .search_audit_events(&AuditQuery::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        // The portal's own start-up (installing the built-in forms) aside.
        let actions: Vec<_> = log
            .iter()
            .filter(|e| e.action != AuditAction::FormPublished)
            .map(|e| (e.action, e.outcome, e.actor))
            .collect();
        assert_eq!(
            actions,
            vec![
                (
                    AuditAction::StaffSetupLinkOpened,
                    AuditOutcome::Succeeded,
                    Actor::Anonymous
                ),
                (
                    AuditAction::StaffSetupLinkIssued,
                    AuditOutcome::Succeeded,
                    Actor::Operator
                ),
            ],
            "{:?}",
            app.engine
        );
        let token = path.trim_start_matches("/staff/setup/");
        for event in &log {
            let text = format!("{event:?}");
            assert!(!text.contains(token), "the token is never in the audit log");
        }
    })
    .await;
}

#[tokio::test]
async fn an_unknown_or_expired_link_is_refused_with_a_clear_page() {
    on_both_databases(async |app: TestApp| {
        let path = issue(&app).await;
        let mut client = app.client();

        // Shaped like a token, but not one that was issued.
        let unknown = client
            .get(&format!("/staff/setup/{}", "0".repeat(64)))
            .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{:?}", app.engine);
        assert_eq!(unknown.h1(), "This link is not recognised");

        app.clock.advance(Duration::hours(24));
        let expired = client.get(&path).await;
        assert_eq!(expired.status, StatusCode::GONE, "{:?}", app.engine);
        assert_eq!(expired.h1(), "This link has expired");

        let failures = app
            .app
            .store
            .search_audit_events(&AuditQuery {
                action: Some(AuditAction::StaffSetupLinkOpened),
                ..AuditQuery::default()
            })
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(failures.len(), 2);
        assert!(failures.iter().all(|e| e.outcome == AuditOutcome::Failed));
        assert_eq!(failures[0].detail.as_deref(), Some("expired"));
        assert_eq!(failures[1].detail.as_deref(), Some("unknown"));
    })
    .await;
}

#[tokio::test]
async fn guessing_set_up_links_cannot_flood_the_audit_log() {
    on_both_databases(async |app: TestApp| {
        let mut client = app.client();
        let opened = async || {
            app.app
                .store
                .search_audit_events(&AuditQuery {
                    child_id: None,
                    user_id: None,
                    action: Some(AuditAction::StaffSetupLinkOpened),
                    limit: 1000,
                    ..AuditQuery::default()
                })
                .await
                .unwrap()
        };
        for n in 0..30 {
            let response = client.get(&format!("/staff/setup/{n:064x}")).await;
            assert_eq!(response.status, StatusCode::NOT_FOUND);
        }
        let events = opened().await;
        assert_eq!(
            events.len(),
            20,
            "19 failures, then one refusal, then nothing"
        );
        assert_eq!(
            events
                .iter()
                .filter(|e| e.outcome == AuditOutcome::Refused)
                .count(),
            1
        );
        // A real link still opens and is audited.
        let path = issue(&app).await;
        assert_eq!(client.get(&path).await.status, StatusCode::OK);
        assert_eq!(opened().await.len(), 21);
        // After 15 minutes guesses are recorded again.
        app.clock.advance(Duration::minutes(16));
        client.get(&format!("/staff/setup/{:064x}", 99)).await;
        assert_eq!(opened().await.len(), 22);
    })
    .await;
}
