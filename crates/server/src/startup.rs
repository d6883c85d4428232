//! Builds the application from its configuration; `main` and the tests both use it.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use send_app::files::Files;
use send_app::{App, Settings, SystemClock};
use send_domain::{Clock, CouncilName};
use send_store::Store;
use tokio::net::TcpListener;

use crate::config::{Config, FilesSetting};

/// A built portal, bound to its address and ready to serve.
#[derive(Debug)]
pub struct Application {
    listener: TcpListener,
    router: Router,
    app: App,
}

impl Application {
    /// Builds the application on an already opened store.
    pub async fn build(
        config: &Config,
        store: Arc<dyn Store>,
        council_name: CouncilName,
        demo: bool,
    ) -> anyhow::Result<Self> {
        let app = App::new(
            store,
            Arc::new(SystemClock) as Arc<dyn Clock>,
            Settings {
                council_name,
                base_url: config.base_url.clone(),
                demo,
                password_policy: config.password_policy,
                session_timeouts: config.session_timeouts,
                trusted_proxies: config.trusted_proxies.clone(),
                invitation_lifetime: config.invitation_lifetime,
                send_team_contact: config.send_team_contact.clone(),
            },
        )
        .with_files(files_for(config).await?);
        let listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("while listening on {}", config.listen))?;
        let router = send_web::router(app.clone());
        Ok(Self {
            listener,
            router,
            app,
        })
    }

    pub fn local_addr(&self) -> anyhow::Result<SocketAddr> {
        Ok(self.listener.local_addr()?)
    }

    pub fn app(&self) -> &App {
        &self.app
    }

    /// Serves until the process is told to stop (Ctrl-C or SIGTERM), then finishes
    /// the requests in flight.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("while serving")
    }
}

/// Where uploads are kept and how they are scanned, from `SEND_PORTAL_FILES`,
/// `SEND_PORTAL_CLAMAV` and `SEND_PORTAL_MAX_UPLOAD_MB`.
pub async fn files_for(config: &Config) -> anyhow::Result<Files> {
    let max_bytes = config.max_upload_bytes;
    let files = match &config.files {
        FilesSetting::Folder(folder) => Files::local(folder, max_bytes),
        FilesSetting::Url(url) => Files::from_setting(Some(url), &config.data_dir, max_bytes),
    }
    .context("while setting up the file store (SEND_PORTAL_FILES)")?;
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
