//! How many store calls a page's use case makes, counted from the `store.…`
//! spans every store method runs in. The SEND Dashboard is one read (the
//! access check's link and child with the page) and the audit event, however
//! many messages the child has; the
//! figures are in BENCHMARKS.md ("Round trips per page").

use std::sync::{Arc, Mutex, PoisonError};

use send_app::audit::Source;
use send_app::messages::Draft;
use send_app::{App, Settings, SystemClock};
use send_domain::{ChildId, Clock, CouncilName, Email, MessageBody, ShortText, UserId};
use send_store_conformance::testdb::TestDb;
use tracing::Subscriber;
use tracing::span::{Attributes, Id};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use url::Url;

/// The names of the store spans opened, in order.
#[derive(Clone, Default)]
struct StoreCalls(Arc<Mutex<Vec<String>>>);

impl StoreCalls {
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl<S: Subscriber> Layer<S> for StoreCalls {
    fn on_new_span(&self, attrs: &Attributes<'_>, _: &Id, _: Context<'_, S>) {
        let name = attrs.metadata().name();
        if name.starts_with("store.") {
            self.0
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(name.to_owned());
        }
    }
}

fn app(db: &TestDb) -> App {
    App::new(
        db.store(),
        Arc::new(SystemClock) as Arc<dyn Clock>,
        Settings {
            council_name: CouncilName::parse("Testshire County Council")
                .unwrap_or_else(|e| panic!("{e}")),
            base_url: Url::parse("http://localhost:8080").unwrap_or_else(|e| panic!("{e}")),
            demo: true,
            password_policy: send_domain::PasswordPolicy::seed(),
            session_timeouts: send_domain::SessionTimeouts::default(),
            trusted_proxies: Vec::new(),
            invitation_lifetime: send_domain::portal_access::DEFAULT_LINK_LIFETIME,
            send_team_contact: None,
            match_thresholds: send_domain::matching::Thresholds::default(),
            job_lease: send_domain::jobs::DEFAULT_LEASE,
            email_lease: send_app::outbox::LEASE,
        },
    )
}

/// The demo's parent and their child (Amira).
async fn demo_parent(app: &App, db: &TestDb) -> (UserId, ChildId) {
    app.load_demo_data().await.unwrap_or_else(|e| panic!("{e}"));
    let store = db.store();
    let email = Email::parse(send_app::demo::DEMO_ACCOUNTS[0].0).unwrap_or_else(|e| panic!("{e}"));
    let parent = store
        .account_by_email(&email)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the demo parent"))
        .id;
    let links = store
        .portal_links_for_account(parent)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    (parent, links[0].child_id)
}

/// The parent writes `count` new threads to the SEND team.
async fn write(app: &App, parent: UserId, child: ChildId, count: usize) {
    let kind = app
        .active_message_types()
        .await
        .unwrap_or_else(|e| panic!("{e}"))[0]
        .id;
    for n in 0..count {
        let draft = Draft {
            body: MessageBody::parse(&format!("Question {n}")).unwrap_or_else(|e| panic!("{e}")),
            attachments: Vec::new(),
        };
        let subject =
            ShortText::parse("Transport", "the subject").unwrap_or_else(|e| panic!("{e}"));
        app.start_thread(parent, child, kind, subject, draft, &Source::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|e| panic!("{e}"));
    }
}

/// The dashboard's one read (the access check's link and child with the
/// page), then the audit event: two store calls with one message or with many.
async fn the_dashboard_is_two_store_calls(db: TestDb) {
    let calls = StoreCalls::default();
    let subscriber = tracing_subscriber::registry().with(calls.clone());
    let _guard = tracing::subscriber::set_default(subscriber);
    let app = app(&db);
    let (parent, child) = demo_parent(&app, &db).await;
    let expected = ["store.dashboard", "store.record_audit_event"];

    calls.take();
    let dashboard = app
        .dashboard(parent, child, &Source::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(calls.take(), expected);
    let before = dashboard.unread_messages;

    write(&app, parent, child, 3).await;
    calls.take();
    let dashboard = app
        .dashboard(parent, child, &Source::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(calls.take(), expected, "the same with more threads");
    assert_eq!(
        dashboard.unread_messages, before,
        "their own are not unread"
    );
}

#[tokio::test]
async fn the_dashboard_is_two_store_calls_on_sqlite() {
    the_dashboard_is_two_store_calls(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn the_dashboard_is_two_store_calls_on_postgres() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    the_dashboard_is_two_store_calls(db).await;
}
