//! The test harness: the real application on a fresh database, an in-process client
//! with cookies, and a real headless browser with axe-core.

pub mod browser;
pub mod client;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use send_app::{App, Settings};
use send_domain::{Clock, CouncilName, FixedClock};
use send_store_conformance::testdb::TestDb;
use time::OffsetDateTime;
use time::macros::datetime;
use url::Url;

pub use client::{TestClient, TestResponse};

/// The council name every test installation uses.
pub const COUNCIL: &str = "Testshire County Council";

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
        let clock = FixedClock::new(self.now);
        let app = App::new(
            db.store(),
            Arc::new(clock.clone()) as Arc<dyn Clock>,
            Settings {
                council_name: CouncilName::parse(COUNCIL).unwrap_or_else(|e| panic!("{e}")),
                base_url: Url::parse(&self.base_url).unwrap_or_else(|e| panic!("{e}")),
                demo: self.demo,
                password_policy: send_domain::PasswordPolicy::seed(),
                session_timeouts: send_domain::SessionTimeouts::default(),
                trusted_proxies: Vec::new(),
                invitation_lifetime: send_domain::portal_access::DEFAULT_LINK_LIFETIME,
                send_team_contact: None,
            },
        );
        let router = send_web::router_with(app.clone(), self.extra);
        Some(TestApp {
            app,
            router,
            clock,
            engine: self.engine,
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
        let service = self
            .router
            .clone()
            .into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, service).await;
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
