//! Outgoing email in the running portal: the background worker delivers the
//! outbox, and the demo lists the emails at `/demo/emails` (and nowhere else).

use std::time::Duration as StdDuration;

use http::StatusCode;
use send_app::mail::{FileMailer, Letterhead};
use send_domain::{Email, EmailSubject, OutgoingEmail, PersonName};
use send_portal::config::MailSetting;
use send_portal::worker::{MailWorker, mailer_for};
use time::Duration;

use crate::support::browser::{Browser, JavaScript};
use crate::support::{COUNCIL, Engine, TestApp};

async fn write_email(app: &TestApp, to: &str, name: Option<&str>, code: &str) -> OutgoingEmail {
    let email = app.app.compose_email(
        Email::parse(to).unwrap_or_else(|e| panic!("{e}")),
        name.map(|n| PersonName::parse(n).unwrap_or_else(|e| panic!("{e}"))),
        EmailSubject::parse("Your code to finish signing in").unwrap_or_else(|e| panic!("{e}")),
        &[
            format!("Your code is {code}."),
            "It expires in 15 minutes.".to_owned(),
        ],
    );
    app.app
        .queue_email(&email)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    email
}

#[tokio::test]
async fn the_demo_lists_its_emails_newest_first() {
    for engine in [Engine::Sqlite, Engine::Postgres] {
        let Some(app) = TestApp::builder().on(engine).demo(true).build().await else {
            continue;
        };
        let empty = app.client().get("/demo/emails").await;
        assert_eq!(empty.status, StatusCode::OK, "{engine:?}");
        assert!(empty.body.contains("No emails have been written yet"));

        write_email(&app, "jo.bloggs@example.org", Some("Jo <Bloggs>"), "111111").await;
        app.clock.advance(Duration::minutes(1));
        write_email(&app, "sam@example.org", None, "222222").await;

        let page = app.client().get("/demo/emails").await;
        assert_eq!(page.status, StatusCode::OK, "{engine:?}");
        assert_eq!(page.h1(), "Emails written by the demo");
        assert!(page.body.contains("Demo only"), "{}", page.body);
        assert!(page.body.contains("govuk-warning-text"));
        let newest = page.body.find("Your code is 222222.");
        let oldest = page.body.find("Your code is 111111.");
        assert!(
            newest.is_some() && oldest.is_some() && newest < oldest,
            "newest first: {}",
            page.body
        );
        assert!(
            page.body
                .contains("Jo &lt;Bloggs&gt; &lt;jo.bloggs@example.org&gt;")
        );
        assert!(page.body.contains("sam@example.org"));
        assert!(page.body.contains("Waiting"));
        assert!(
            page.body.contains("23 November 2026 at 10:00am"),
            "UK time, as elsewhere"
        );
        assert!(
            page.body
                .contains(&format!("From the SEND team<br>{COUNCIL}"))
        );
    }
}

#[tokio::test]
async fn there_is_no_email_page_outside_a_demo() {
    let app = TestApp::new().await;
    write_email(&app, "jo.bloggs@example.org", None, "333333").await;
    let page = app.client().get("/demo/emails").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(page.h1(), "Page not found");
    assert!(!page.body.contains("333333"));
}

#[tokio::test]
async fn the_demo_email_page_passes_axe() {
    let app = TestApp::builder()
        .demo(true)
        .build()
        .await
        .unwrap_or_else(|| unreachable!("SQLite is always available"));
    write_email(&app, "jo.bloggs@example.org", Some("Jo Bloggs"), "444444").await;
    let addr = app.serve().await;
    let Some(mut browser) = Browser::start(addr, JavaScript::Off).await else {
        return;
    };
    browser.visit("/demo/emails").await;
    assert_eq!(
        browser.text_of(".govuk-summary-card__title").await,
        "Your code to finish signing in"
    );
    browser.close().await;
}

#[tokio::test]
async fn the_worker_delivers_the_outbox_until_stopped() {
    let app = TestApp::new().await;
    let folder = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mail = folder.path().join("mail");
    let mailer =
        mailer_for(&MailSetting::File(mail.clone()), &app.app).unwrap_or_else(|e| panic!("{e}"));
    let worker = MailWorker::start(app.app.clone(), mailer, StdDuration::from_millis(20));

    let email = write_email(&app, "jo.bloggs@example.org", None, "555555").await;
    let letterhead = Letterhead::new(&app.app.settings.council_name, &app.app.settings.base_url);
    let path = FileMailer::new(&mail, letterhead).path_for(&email);
    let mut waited = 0;
    while !path.exists() {
        assert!(waited < 250, "the worker did not deliver the email");
        tokio::time::sleep(StdDuration::from_millis(20)).await;
        waited += 1;
    }
    worker.stop().await;
    let written = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    assert!(written.contains("Your code is 555555."), "{written}");
    assert_eq!(std::fs::read_dir(&mail).map(Iterator::count).ok(), Some(1));
}

#[tokio::test]
async fn the_applications_own_mail_worker_hands_the_outbox_to_its_mailer() {
    let app = TestApp::new().await;
    let worker = app
        .application
        .start_mail_worker(StdDuration::from_millis(20));
    let email = write_email(&app, "jo.bloggs@example.org", None, "666666").await;
    let mut delivered = Vec::new();
    let mut waited = 0;
    while delivered.is_empty() {
        assert!(waited < 250, "the worker did not deliver the email");
        tokio::time::sleep(StdDuration::from_millis(20)).await;
        delivered.extend(app.mail.take());
        waited += 1;
    }
    worker.stop().await;
    assert_eq!(delivered, [email], "the mail sink got the email as written");
}
