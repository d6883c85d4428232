//! The test harness: the real application on a fresh database, an in-process client
//! with cookies, and a real headless browser with axe-core.
//!
//! The application is built by `send_portal::Application::build`, as `serve` and
//! `demo` build it, from the built-in configuration with a few settings changed
//! (the council's name, the base URL, demo or not) and a few parts handed in: the
//! test's own database, a clock it sets, a mail sink and in-memory files.
//!
//! `processes` runs what a few tests need as real processes: `send-portal serve`,
//! an SMTP server, and a PostgreSQL database of the test's own that they reach by
//! URL.

pub mod browser;
pub mod client;
pub mod mail;
pub mod processes;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use send_app::App;
use send_app::files::Files;
use send_domain::council_texts::SendTeamContact;
use send_domain::{Clock, CouncilName, FixedClock};
use send_portal::{Application, Config, Overrides};
use send_store_conformance::testdb::TestDb;
use time::OffsetDateTime;
use time::macros::datetime;
use url::Url;

pub use client::{TestClient, TestResponse};
pub use mail::MailSink;

/// The council name every test installation uses.
pub const COUNCIL: &str = "Testshire County Council";

/// The SEND team's contact details every test installation uses.
pub const SEND_TEAM_PHONE: &str = "01632 960 123";
pub const SEND_TEAM_EMAIL: &str = "send.team@testshire.example";

/// [`SEND_TEAM_PHONE`] and [`SEND_TEAM_EMAIL`] as the settings give them.
pub fn send_team_contact() -> SendTeamContact {
    SendTeamContact::parse(SEND_TEAM_PHONE, SEND_TEAM_EMAIL, None, None)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Which database a test app runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Builds a [`TestApp`]: `TestApp::builder().on(Engine::Postgres).at(time).build()`.
#[derive(Debug)]
pub struct TestAppBuilder {
    engine: Engine,
    now: OffsetDateTime,
    base_url: String,
    extra: Router<App>,
    demo: bool,
}

impl TestAppBuilder {
    /// Builds a demonstration instance (`send-portal demo`), or not (the default).
    pub fn demo(mut self, demo: bool) -> Self {
        self.demo = demo;
        self
    }

    pub fn on(mut self, engine: Engine) -> Self {
        self.engine = engine;
        self
    }

    #[expect(dead_code, reason = "harness API for the features that come next")]
    pub fn at(mut self, now: OffsetDateTime) -> Self {
        self.now = now;
        self
    }

    pub fn base_url(mut self, url: &str) -> Self {
        url.clone_into(&mut self.base_url);
        self
    }

    /// Adds routes (for example ones that fail on purpose) under the real layers.
    pub fn with_routes(mut self, routes: Router<App>) -> Self {
        self.extra = routes;
        self
    }

    /// The app, or `None` when its database is not available to this test run
    /// (PostgreSQL without `SEND_PORTAL_TEST_POSTGRES_URL`; see `testdb`).
    pub async fn build(self) -> Option<TestApp> {
        let db = match self.engine {
            Engine::Sqlite => TestDb::sqlite().await,
            Engine::Postgres => TestDb::postgres().await?,
        };
        let mut config = Config::defaults();
        config.council_name = Some(CouncilName::parse(COUNCIL).unwrap_or_else(|e| panic!("{e}")));
        config.base_url = Url::parse(&self.base_url).unwrap_or_else(|e| panic!("{e}"));
        config.send_team_contact = Some(send_team_contact());
        config.demo = self.demo;
        let clock = FixedClock::new(self.now);
        let mail = Arc::new(MailSink::default());
        let application = Application::build(
            &config,
            Overrides {
                store: Some(db.store()),
                clock: Some(Arc::new(clock.clone()) as Arc<dyn Clock>),
                mailer: Some(mail.clone()),
                files: Some(Files::in_memory(config.max_upload_bytes)),
                routes: Some(self.extra),
            },
        )
        .await
        .unwrap_or_else(|e| panic!("building the application: {e:#}"));
        Some(TestApp {
            app: application.app().clone(),
            router: application.router(),
            clock,
            engine: self.engine,
            mail,
            application,
            db,
        })
    }
}

/// The real application on a fresh database, with a clock the test controls.
#[derive(Debug)]
pub struct TestApp {
    pub app: App,
    pub router: Router,
    pub clock: FixedClock,
    pub engine: Engine,
    /// What the application's mailer was handed (by its mail worker, or by
    /// [`TestApp::deliver_emails`]).
    pub mail: Arc<MailSink>,
    pub application: Application,
    db: TestDb,
}

impl TestApp {
    pub fn builder() -> TestAppBuilder {
        TestAppBuilder {
            engine: Engine::Sqlite,
            now: datetime!(2026-11-23 10:00 UTC),
            base_url: "http://localhost:8080".to_owned(),
            extra: Router::new(),
            demo: false,
        }
    }

    /// The default app on SQLite.
    pub async fn new() -> Self {
        Self::builder()
            .build()
            .await
            .unwrap_or_else(|| unreachable!("SQLite is always available"))
    }

    /// Closes the database under the running app, to test what happens when it is
    /// unreachable.
    pub async fn close_database(&self) {
        match &self.db {
            TestDb::Sqlite { store, .. } => store.close().await,
            TestDb::Postgres { store, .. } => store.close().await,
        }
    }

    /// Every row of every table, each as text: compared before and after a
    /// request to show it wrote nothing.
    pub async fn table_rows(&self) -> std::collections::BTreeMap<String, String> {
        self.db.table_rows().await
    }

    /// Every table's rows (see `SqliteStore::table_contents`), to check that a
    /// request wrote nothing. SQLite only.
    pub async fn table_contents(&self) -> std::collections::BTreeMap<String, Vec<String>> {
        match &self.db {
            TestDb::Sqlite { store, .. } => store
                .table_contents()
                .await
                .unwrap_or_else(|e| panic!("reading the tables: {e}")),
            TestDb::Postgres { .. } => panic!("table_contents reads SQLite only"),
        }
    }

    /// Runs the mail worker's delivery job once, through the application's mailer
    /// (the sink): every email due now goes to [`TestApp::mail`].
    pub async fn deliver_emails(&self) -> usize {
        send_app::outbox::deliver_due_emails(&self.app, self.application.mailer().as_ref())
            .await
            .unwrap_or_else(|e| panic!("delivering the outbox: {e}"))
    }

    /// An in-process client with its own cookie jar.
    pub fn client(&self) -> TestClient {
        TestClient::new(self.router.clone())
    }

    /// Serves the app over TCP on a free loopback port (for the browser) until the
    /// test ends; returns the address.
    pub async fn serve(&self) -> SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("bind: {e}"));
        let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
        let router = self.router.clone();
        tokio::spawn(async move {
            let _ = send_portal::startup::serve(listener, router, std::future::pending()).await;
        });
        addr
    }
}

/// A fresh id for a record a test writes straight to the store.
#[expect(
    clippy::disallowed_methods,
    reason = "test records need unique, ordered ids; the time inside them is not asserted on"
)]
pub fn new_uuid() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}

/// Runs `test` once on SQLite and once on PostgreSQL (when PostgreSQL is available
/// to this run; required in CI).
pub async fn on_both_databases<F>(test: F)
where
    F: AsyncFn(TestApp),
{
    for engine in [Engine::Sqlite, Engine::Postgres] {
        if let Some(app) = TestApp::builder().on(engine).build().await {
            test(app).await;
        }
    }
}
