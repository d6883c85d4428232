//! An internal failure keeps its cause, so the line logged for it says why.

use std::error::Error;
use std::sync::Arc;

use send_app::error::ErrorChain;
use send_app::{App, AppError, Settings, SystemClock};
use send_domain::{Clock, CouncilName, Email};
use send_store_conformance::testdb::TestDb;
use url::Url;

#[tokio::test]
async fn a_failing_library_call_keeps_its_error_as_the_cause() {
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
    let email = Email::parse("someone@example.com").unwrap();
    // A secret that is not base32: the authenticator library refuses it.
    let err = app
        .authenticator_setup("not base32 at all!", &email)
        .unwrap_err();
    assert!(matches!(err, AppError::Internal { .. }), "{err:?}");
    assert!(err.source().is_some(), "the library's error is kept");
    let line = ErrorChain(&err).to_string();
    assert_eq!(
        line, "authenticator secret: Could not decode base32 secret.",
        "the logged line names the step and the library's reason"
    );
    assert!(!line.contains("someone@example.com"), "{line}");
}
