//! Removing ended sessions.

use std::sync::Arc;

use send_app::{App, Settings};
use send_domain::{Clock, CouncilName, FixedClock, SessionRecord, SessionTimeouts, TokenHash};
use send_store_conformance::testdb::TestDb;
use time::Duration;
use time::macros::datetime;
use url::Url;

fn record(byte: u8, created: time::OffsetDateTime, seen: time::OffsetDateTime) -> SessionRecord {
    SessionRecord {
        id_hash: TokenHash::from_hex(&format!("{byte:02x}").repeat(32))
            .unwrap_or_else(|e| panic!("{e}")),
        account_id: None,
        data: "{}".to_owned(),
        created_at: created,
        last_seen_at: seen,
        signed_in_from: send_domain::SignedInFrom::default(),
    }
}

#[tokio::test]
async fn ended_sessions_are_removed_and_live_ones_kept() {
    let now = datetime!(2026-11-23 12:00 UTC);
    for db in [Some(TestDb::sqlite().await), TestDb::postgres().await]
        .into_iter()
        .flatten()
    {
        let app = App::new(
            db.store(),
            Arc::new(FixedClock::new(now)) as Arc<dyn Clock>,
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
        let idle = record(1, now - Duration::hours(1), now - Duration::minutes(31));
        let too_old = record(
            2,
            now - Duration::hours(12) - Duration::minutes(1),
            now - Duration::minutes(1),
        );
        let live = record(3, now - Duration::hours(11), now - Duration::minutes(29));
        for r in [&idle, &too_old, &live] {
            app.store.insert_session(r).await.unwrap();
        }
        let removed = app
            .remove_ended_sessions(SessionTimeouts::default())
            .await
            .unwrap();
        assert_eq!(removed, 2, "{}", db.engine());
        assert_eq!(
            app.store.load_session(&live.id_hash).await.unwrap(),
            Some(live),
            "{}",
            db.engine()
        );
        assert_eq!(
            app.store.load_session(&idle.id_hash).await.unwrap(),
            None,
            "{}",
            db.engine()
        );
    }
}
