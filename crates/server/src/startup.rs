//! Builds the application from its configuration. `serve` and `demo`
//! (`commands.rs`) and the integration tests all build it with
//! [`Application::build`]: the tests hand in their own database, clock, mail sink
//! and in-memory files as [`Overrides`], and everything else (the settings, the
//! routes and their layers, the mail transport's place) is wired here once.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use send_app::files::Files;
use send_app::mail::Mailer;
use send_app::{App, Settings, SystemClock};
use send_domain::Clock;
use send_store::Store;
use tokio::net::TcpListener;

use crate::config::{Config, FilesSetting};
use crate::database;
use crate::worker::{self, MailWorker};

/// What a caller puts in place of what the configuration names. `serve` hands in
/// nothing; `demo` its freshly made database; the tests their own database, a
/// clock they set, a mail sink, in-memory files and routes that fail on purpose.
#[derive(Debug, Default)]
pub struct Overrides {
    /// An opened and migrated database, instead of opening
    /// `SEND_PORTAL_DATABASE_URL`.
    pub store: Option<Arc<dyn Store>>,
    /// The clock, instead of the system's.
    pub clock: Option<Arc<dyn Clock>>,
    /// Where the mail worker hands emails, instead of `SEND_PORTAL_MAIL`.
    pub mailer: Option<Arc<dyn Mailer>>,
    /// Where uploads are kept, instead of `SEND_PORTAL_FILES` and
    /// `SEND_PORTAL_CLAMAV`.
    pub files: Option<Files>,
    /// Extra routes, merged in under the real layers.
    pub routes: Option<Router<App>>,
}

/// A built portal: the application, its routes and its mail transport, ready to
/// serve.
#[derive(Debug)]
pub struct Application {
    app: App,
    router: Router,
    mailer: Arc<dyn Mailer>,
}

impl Application {
    /// Builds the portal the configuration describes, with `overrides` in place of
    /// the parts they name. Opens (and migrates) the database unless one is handed
    /// in.
    pub async fn build(config: &Config, overrides: Overrides) -> anyhow::Result<Self> {
        let settings = settings_for(config)?;
        let store = if let Some(store) = overrides.store {
            store
        } else {
            tracing::info!(database = %config.database_url, "opening the database");
            database::open(&config.database_url).await?
        };
        let clock = overrides
            .clock
            .unwrap_or_else(|| Arc::new(SystemClock) as Arc<dyn Clock>);
        let files = match overrides.files {
            Some(files) => files,
            None => files_for(config).await?,
        };
        let app = App::new(store, clock, settings).with_files(files);
        app.reload_texts()
            .await
            .context("while reading the council's texts")?;
        app.install_builtin_forms()
            .await
            .context("while installing the built-in forms")?;
        app.index_children_for_matching()
            .await
            .context("while indexing children's names for matching")?;
        let mailer = match overrides.mailer {
            Some(mailer) => mailer,
            None => worker::mailer_for(&config.mail, &app)?,
        };
        let router = send_web::router_with(app.clone(), overrides.routes.unwrap_or_default());
        Ok(Self {
            app,
            router,
            mailer,
        })
    }

    /// The application the routes use.
    pub fn app(&self) -> &App {
        &self.app
    }

    /// The portal's routes with all their layers.
    pub fn router(&self) -> Router {
        self.router.clone()
    }

    /// Where the mail worker hands emails.
    pub fn mailer(&self) -> Arc<dyn Mailer> {
        Arc::clone(&self.mailer)
    }

    /// Starts delivering the outbox through this portal's mailer, every `every`.
    pub fn start_mail_worker(&self, every: Duration) -> MailWorker {
        MailWorker::start(self.app.clone(), self.mailer(), every)
    }

    /// Serves on `listener`, with the mail worker running, until the process is
    /// told to stop (Ctrl-C or SIGTERM); then finishes the requests in flight and
    /// stops the worker.
    pub async fn run_until_stopped(self, listener: TcpListener) -> anyhow::Result<()> {
        let mail_worker = self.start_mail_worker(worker::POLL_EVERY);
        let served = serve(listener, self.router, shutdown_signal()).await;
        mail_worker.stop().await;
        served
    }
}

/// The installation's settings, as the use cases see them.
pub fn settings_for(config: &Config) -> anyhow::Result<Settings> {
    Ok(Settings {
        council_name: config.require_council_name()?,
        base_url: config.base_url.clone(),
        demo: config.demo,
        password_policy: config.password_policy,
        session_timeouts: config.session_timeouts,
        trusted_proxies: config.trusted_proxies.clone(),
        invitation_lifetime: config.invitation_lifetime,
        send_team_contact: config.send_team_contact.clone(),
        match_thresholds: config.match_thresholds,
        job_lease: config.job_lease,
        email_lease: config.email_lease,
    })
}

/// Listens on `address` (`SEND_PORTAL_LISTEN`).
pub async fn bind(address: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(address)
        .await
        .with_context(|| format!("while listening on {address}"))
}

/// Serves `router` on `listener` until `shutdown` completes, giving handlers each
/// connection's address (the client's address, unless a trusted proxy says
/// otherwise).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .context("while serving")
}

/// Where uploads are kept and how they are scanned, from `SEND_PORTAL_FILES`,
/// `SEND_PORTAL_CLAMAV` and `SEND_PORTAL_MAX_UPLOAD_MB`.
pub async fn files_for(config: &Config) -> anyhow::Result<Files> {
    let max_bytes = config.max_upload_bytes;
    let files = file_store_for(config)?;
    tracing::info!(files = %files, max_upload_bytes = max_bytes, "uploaded files are kept here");
    let Some(scanner) = config.clamav.clone() else {
        tracing::warn!(
            "uploads are not virus-scanned: set SEND_PORTAL_CLAMAV to clamd's address \
             (tcp://host:3310 or a unix socket path)"
        );
        return Ok(files);
    };
    // A clamd that is down at start is not fatal (it may start later), but
    // until it answers every upload is refused.
    match scanner.ping().await {
        Ok(()) => tracing::info!(clamav = %scanner.address(), "uploads are virus-scanned"),
        Err(error) => tracing::warn!(
            clamav = %scanner.address(),
            %error,
            "clamd does not answer: uploads are refused until it does"
        ),
    }
    Ok(files.with_scanner(scanner))
}

/// Where uploads are kept (`SEND_PORTAL_FILES`), without a scanner: what the
/// backup and restore commands read and write.
pub fn file_store_for(config: &Config) -> anyhow::Result<Files> {
    let max_bytes = config.max_upload_bytes;
    match &config.files {
        FilesSetting::Folder(folder) => Files::local(folder, max_bytes),
        FilesSetting::Url(url) => Files::from_setting(Some(url), &config.data_dir, max_bytes),
    }
    .context("while setting up the file store (SEND_PORTAL_FILES)")
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("stopping: finishing requests in flight");
}
