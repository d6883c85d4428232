//! The operator commands. Each returns when its work is done (or, for `serve` and
//! `demo`, when the server is stopped).

use std::path::PathBuf;

use anyhow::Context;
use send_domain::{CouncilName, Email, PersonName};

use crate::config::{Config, DatabaseUrl, FilesSetting, LogFormat};
use crate::{Application, database, telemetry, worker};

/// The council name a demo shows when none is configured.
pub const DEMO_COUNCIL_NAME: &str = "Exampleshire Council";

/// The PostgreSQL schema `demo` uses, so a demo never touches real data.
pub const DEMO_POSTGRES_SCHEMA: &str = "send_portal_demo";

/// The folder (in the data folder) where `demo` writes its emails, whatever
/// `SEND_PORTAL_MAIL` says: a demonstration never sends real email.
pub const DEMO_MAIL_FOLDER: &str = "demo-mail";

/// The folder (in the data folder) where `demo` keeps uploaded files, whatever
/// `SEND_PORTAL_FILES` says, emptied at each start: a demonstration never
/// touches real files.
pub const DEMO_FILES_FOLDER: &str = "demo-files";

/// `send-portal serve`: migrate, then serve.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    telemetry::init(
        config.log_format.unwrap_or(LogFormat::Json),
        &config.log_filter,
    );
    let council = config.require_council_name()?;
    tracing::info!(database = %config.database_url, "opening the database");
    let store = database::open(&config.database_url).await?;
    let application = Application::build(&config, store, council, false).await?;
    let mailer = worker::mailer_for(&config.mail, application.app())?;
    let mail_worker =
        worker::MailWorker::start(application.app().clone(), mailer, worker::POLL_EVERY);
    tracing::info!(address = %application.local_addr()?, "serving the SEND Portal");
    let served = application.run_until_stopped().await;
    mail_worker.stop().await;
    served
}

/// `send-portal migrate`: bring the database schema up to date and stop.
pub async fn migrate(config: Config) -> anyhow::Result<()> {
    telemetry::init(
        config.log_format.unwrap_or(LogFormat::Pretty),
        &config.log_filter,
    );
    database::open(&config.database_url).await?;
    tracing::info!(database = %config.database_url, "the database is up to date");
    Ok(())
}

/// `send-portal demo`: serve a fresh demonstration data set.
///
/// With SQLite the demo has its own file (`demo.db` in the data folder), removed
/// and made again at each start. With PostgreSQL it has its own schema,
/// `send_portal_demo`, dropped and made again; nothing outside it is touched.
pub async fn demo(mut config: Config) -> anyhow::Result<()> {
    telemetry::init(
        config.log_format.unwrap_or(LogFormat::Pretty),
        &config.log_filter,
    );
    let council = match config.council_name.clone() {
        Some(name) => name,
        None => CouncilName::parse(DEMO_COUNCIL_NAME)?,
    };
    let store = match &config.database_url {
        DatabaseUrl::Sqlite(_) => {
            let path: PathBuf = config.data_dir.join("demo.db");
            for suffix in ["", "-wal", "-shm"] {
                let file = PathBuf::from(format!("{}{suffix}", path.display()));
                if file.exists() {
                    std::fs::remove_file(&file).with_context(|| {
                        format!("while removing the old demo database {}", file.display())
                    })?;
                }
            }
            config.database_url = DatabaseUrl::Sqlite(format!("sqlite://{}", path.display()));
            database::open(&config.database_url).await?
        }
        DatabaseUrl::Postgres(url) => {
            send_store_postgres::PgStore::drop_schema(url, DEMO_POSTGRES_SCHEMA)
                .await
                .context("while clearing the demo schema")?;
            database::open_in_schema(&config.database_url, Some(DEMO_POSTGRES_SCHEMA)).await?
        }
    };
    let demo_files = config.data_dir.join(DEMO_FILES_FOLDER);
    if demo_files.exists() {
        std::fs::remove_dir_all(&demo_files).with_context(|| {
            format!("while removing the old demo files {}", demo_files.display())
        })?;
    }
    config.files = FilesSetting::Folder(demo_files);
    let application = Application::build(&config, store, council, true).await?;
    application
        .app()
        .load_demo_data()
        .await
        .context("while loading the demo data")?;
    let address = application.local_addr()?;
    tracing::info!(database = %config.database_url, "demo data loaded");
    println!(
        "\nThe SEND Portal demo is running at {}\n(database: {}; stop it with Ctrl-C)\n",
        config.base_url, config.database_url
    );
    println!(
        "Demo accounts (password {}):",
        send_app::demo::DEMO_PASSWORD
    );
    for ((email, name, professional), child) in send_app::demo::DEMO_ACCOUNTS
        .iter()
        .zip(["Amira Khan", "Oliver Brown"])
    {
        let kind = if *professional {
            "professional"
        } else {
            "parent"
        };
        println!("  {email}  {name} ({kind}; sees {child}'s SEND Dashboard)");
    }
    println!(
        "Back office: {} (caseworker and administrator), same password; add the key {} to an \
         authenticator app for the second step",
        send_app::demo::DEMO_STAFF_EMAIL,
        send_app::demo::DEMO_AUTHENTICATOR_KEY
    );
    println!(
        "Sign-in codes and other emails are at {}demo/emails\n",
        config.base_url
    );
    tracing::info!(address = %address, "serving the SEND Portal demo");
    // A demonstration never emails anyone: its emails go to files, made afresh.
    let demo_mail = config.data_dir.join(DEMO_MAIL_FOLDER);
    if demo_mail.exists() {
        std::fs::remove_dir_all(&demo_mail).with_context(|| {
            format!("while removing the old demo emails {}", demo_mail.display())
        })?;
    }
    let mailer = worker::demo_mailer(demo_mail, application.app());
    let mail_worker =
        worker::MailWorker::start(application.app().clone(), mailer, worker::POLL_EVERY);
    let served = application.run_until_stopped().await;
    mail_worker.stop().await;
    served
}

/// `send-portal create-admin`: print a single-use link to set up the first
/// back-office administrator.
pub async fn create_admin(config: Config, email: &str, name: &str) -> anyhow::Result<()> {
    telemetry::init(
        config.log_format.unwrap_or(LogFormat::Pretty),
        &config.log_filter,
    );
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("--email: {e}"))?;
    let name = PersonName::parse(name).map_err(|e| anyhow::anyhow!("--name: {e}"))?;
    let council = config.require_council_name()?;
    let store = database::open(&config.database_url).await?;
    let app = send_app::App::new(
        store,
        std::sync::Arc::new(send_app::SystemClock),
        send_app::Settings {
            council_name: council,
            base_url: config.base_url.clone(),
            demo: false,
            password_policy: config.password_policy,
            session_timeouts: config.session_timeouts,
            trusted_proxies: config.trusted_proxies.clone(),
            invitation_lifetime: config.invitation_lifetime,
            send_team_contact: config.send_team_contact.clone(),
        },
    );
    let issued = app.issue_admin_setup_link(email, name).await?;
    println!(
        "A set-up link for {} ({}) has been made. Give it to them privately; it works once, until {}:\n\n{}\n",
        issued.link.name,
        issued.link.email,
        issued
            .link
            .expires_at
            .format(&time::format_description::well_known::Rfc2822)
            .unwrap_or_else(|_| issued.link.expires_at.to_string()),
        issued.url
    );
    Ok(())
}
