//! Use cases run in tracing spans that carry ids and never personal data.

use std::io::Write;
use std::sync::{Arc, Mutex};

use send_app::audit::Source;
use send_app::{App, Settings, SystemClock};
use send_domain::{ChildId, Clock, CouncilName, UserId};
use send_store_conformance::testdb::TestDb;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;
use url::Url;
use uuid::Uuid;

/// Log output, kept for the test to read.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Self;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn use_case_spans_carry_ids_and_time_and_nothing_personal() {
    // The only test in this binary: the subscriber is the process's global one,
    // set before anything else runs, so what every thread logs reaches it.
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_ansi(false)
        .with_span_events(FmtSpan::CLOSE)
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();
    let db = TestDb::sqlite().await;
    let app = App::new(
        db.store(),
        Arc::new(SystemClock) as Arc<dyn Clock>,
        Settings {
            council_name: CouncilName::parse("Testshire County Council").unwrap(),
            base_url: Url::parse("http://localhost:8080").unwrap(),
            demo: false,
            password_policy: send_domain::PasswordPolicy::seed(),
            session_timeouts: send_domain::SessionTimeouts::default(),
            trusted_proxies: Vec::new(),
            invitation_lifetime: send_domain::portal_access::DEFAULT_LINK_LIFETIME,
            send_team_contact: None,
            match_thresholds: send_domain::matching::Thresholds::default(),
            job_lease: send_domain::jobs::DEFAULT_LEASE,
            email_lease: send_app::outbox::LEASE,
        },
    );

    let email = "someone.private@example.com";
    let password = "Not-Anyones-Password-7";
    app.sign_in_password(email, password, &Source(Some("203.0.113.9".to_owned())))
        .await
        .unwrap();
    let account = UserId::from_uuid(Uuid::from_u128(0x1111));
    let child = ChildId::from_uuid(Uuid::from_u128(0x2222));
    app.unread_messages(account, child).await.unwrap();

    // A span closes when its last handle is dropped, and the database driver's
    // worker thread may still hold one for a moment after answering: wait (a
    // bounded while) for both closing lines rather than read the log too early.
    let expected = format!("unread_messages{{account_id={account} child_id={child}}}");
    let read = || String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for _ in 0..100 {
        let log = read();
        if log.contains(&expected) && log.contains("sign_in_password: ") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let log = read();
    // Each span's closing line says how long it took.
    assert!(log.contains("sign_in_password: "), "{log}");
    assert!(log.contains("time.busy"), "{log}");
    assert!(log.contains(&expected), "{log}");
    for personal in [email, password, "203.0.113.9"] {
        assert!(!log.contains(personal), "{personal} in {log}");
    }
}
