//! The operator commands. Each returns when its work is done (or, for `serve` and
//! `demo`, when the server is stopped).

use std::path::{Path, PathBuf};

use std::fmt::Write as _;

use anyhow::Context;
use send_app::audit::Source;
use send_app::configuration::ConfigurationUser;
use send_app::outbox::EmailDelivery;
use send_domain::council_texts::SendTeamContact;
use send_domain::{CouncilName, DeliveryState, Email, PersonName};
use time::OffsetDateTime;
use time::macros::format_description;

use crate::config::{Config, DatabaseUrl, FilesSetting, LogFormat, MailSetting};
use crate::startup::{self, Application, Overrides};
use crate::{backups, database, telemetry, worker};

/// The council name a demo shows when none is configured.
pub const DEMO_COUNCIL_NAME: &str = "Exampleshire Council";

/// The SEND team's sample contact details in a demonstration, unless
/// `SEND_PORTAL_SEND_TEAM_*` give others: a number Ofcom keeps for drama and
/// an address of the demo council.
pub const DEMO_SEND_TEAM_PHONE: &str = "01632 960 000";
pub const DEMO_SEND_TEAM_EMAIL: &str = "send@exampleshire.gov.uk";

/// The demo's contact details (see [`DEMO_SEND_TEAM_PHONE`]).
pub fn demo_send_team_contact() -> anyhow::Result<SendTeamContact> {
    SendTeamContact::parse(
        DEMO_SEND_TEAM_PHONE,
        DEMO_SEND_TEAM_EMAIL,
        Some("SEND team, County Hall, Exampleshire EX1 1AA"),
        Some("Monday to Friday, 9am to 5pm"),
    )
    .context("the demo's contact details")
}

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
    config.require_council_name()?;
    config.require_scanning()?;
    config.require_send_team_contact()?;
    telemetry::init(
        config.log_format.unwrap_or(LogFormat::Json),
        &config.log_filter,
        config.log_span_times,
    );
    let application = Application::build(&config, Overrides::default()).await?;
    let listener = startup::bind(config.listen).await?;
    tracing::info!(address = %listener.local_addr()?, "serving the SEND Portal");
    application.run_until_stopped(listener).await
}

/// `send-portal migrate`: bring the database schema up to date and stop.
pub async fn migrate(config: Config) -> anyhow::Result<()> {
    telemetry::init(
        config.log_format.unwrap_or(LogFormat::Pretty),
        &config.log_filter,
        config.log_span_times,
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
        config.log_span_times,
    );
    if config.council_name.is_none() {
        config.council_name = Some(CouncilName::parse(DEMO_COUNCIL_NAME)?);
    }
    if config.send_team_contact.is_none() {
        config.send_team_contact = Some(demo_send_team_contact()?);
    }
    config.demo = true;
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
    // A demonstration never touches real files and never emails anyone: its
    // uploads and its emails (as files) go to folders of its own, made afresh.
    let demo_files = config.data_dir.join(DEMO_FILES_FOLDER);
    let demo_mail = config.data_dir.join(DEMO_MAIL_FOLDER);
    for (folder, what) in [(&demo_files, "files"), (&demo_mail, "emails")] {
        if folder.exists() {
            std::fs::remove_dir_all(folder).with_context(|| {
                format!("while removing the old demo {what} {}", folder.display())
            })?;
        }
    }
    config.files = FilesSetting::Folder(demo_files);
    config.mail = MailSetting::File(demo_mail);
    let application = Application::build(
        &config,
        Overrides {
            store: Some(store),
            ..Overrides::default()
        },
    )
    .await?;
    let listener = startup::bind(config.listen).await?;
    application
        .app()
        .load_demo_data()
        .await
        .context("while loading the demo data")?;
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
    tracing::info!(address = %listener.local_addr()?, "serving the SEND Portal demo");
    application.run_until_stopped(listener).await
}

/// `send-portal create-admin`: print a single-use link to set up the first
/// back-office administrator.
pub async fn create_admin(config: Config, email: &str, name: &str) -> anyhow::Result<()> {
    telemetry::init(
        config.log_format.unwrap_or(LogFormat::Pretty),
        &config.log_filter,
        config.log_span_times,
    );
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("--email: {e}"))?;
    let name = PersonName::parse(name).map_err(|e| anyhow::anyhow!("--name: {e}"))?;
    // Only the database and the settings: no files, mail or routes are needed.
    let settings = startup::settings_for(&config)?;
    let store = database::open(&config.database_url).await?;
    let app = send_app::App::new(store, std::sync::Arc::new(send_app::SystemClock), settings);
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

/// `send-portal jobs`: the operators' view of the background jobs, or `--retry
/// <id>` to queue a dead job again.
pub async fn jobs(config: Config, retry: Option<&str>) -> anyhow::Result<()> {
    telemetry::init(
        config.log_format.unwrap_or(LogFormat::Pretty),
        &config.log_filter,
        config.log_span_times,
    );
    let settings = startup::settings_for(&config)?;
    let store = database::open(&config.database_url).await?;
    let app = send_app::App::new(store, std::sync::Arc::new(send_app::SystemClock), settings);
    if let Some(id) = retry {
        let id: send_domain::JobId = id
            .trim()
            .parse()
            .map_err(|_| anyhow::anyhow!("--retry: {id:?} is not a job id"))?;
        match app.retry_job(id).await {
            Ok(()) => {
                println!("Job {id} is queued again and will run within a few seconds.");
                return Ok(());
            }
            Err(send_app::AppError::NotFound) => {
                anyhow::bail!("there is no dead job {id}: only a dead job can be retried")
            }
            Err(err) => return Err(err.into()),
        }
    }
    let overview = app.jobs_overview(50).await?;
    let c = overview.counts;
    println!(
        "Jobs: {} queued, {} failing (will be retried), {} running, {} dead, {} done, {} cancelled.",
        c.queued, c.failing, c.running, c.dead, c.done, c.cancelled
    );
    let line = |entry: &send_domain::jobs::JobEntry| {
        format!(
            "{}  {:<9}  {:<22}  due {}  attempts {}{}",
            entry.job.id,
            entry.status.code(),
            entry.job.payload.kind().label(),
            entry
                .job
                .run_at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_else(|_| entry.job.run_at.to_string()),
            entry.attempts,
            entry
                .last_error
                .as_deref()
                .map(|error| format!("  last error: {error}"))
                .unwrap_or_default()
        )
    };
    if overview.attention.is_empty() {
        println!("\nNo job needs attention.");
    } else {
        println!("\nNeed attention (retry a dead one with `send-portal jobs --retry <id>`):");
        for entry in &overview.attention {
            println!("{}", line(entry));
        }
    }
    if !overview.queued.is_empty() {
        println!("\nNext queued:");
        for entry in overview.queued.iter().take(10) {
            println!("{}", line(entry));
        }
    }
    Ok(())
}

/// The application on the configured database, for a command that needs
/// only the store and the settings.
async fn command_app(config: &Config) -> anyhow::Result<send_app::App> {
    let settings = startup::settings_for(config)?;
    let store = database::open(&config.database_url).await?;
    Ok(send_app::App::new(
        store,
        std::sync::Arc::new(send_app::SystemClock),
        settings,
    ))
}

/// `send-portal config export`: the configuration as TOML on standard output.
pub async fn config_export(config: Config) -> anyhow::Result<()> {
    telemetry::init(
        config.log_format.unwrap_or(LogFormat::Pretty),
        &config.log_filter,
        config.log_span_times,
    );
    let app = command_app(&config).await?;
    let text = app
        .export_configuration(ConfigurationUser::CommandLine, &Source::default())
        .await
        .context("while exporting the configuration")?;
    print!("{text}");
    Ok(())
}

/// `send-portal config import FILE [--apply]`: what importing the file would
/// change, and with `--apply` the change, in one transaction. A file with
/// problems, or a configuration that changed between the plan and applying
/// it, is refused (a non-zero exit) and nothing is changed.
pub async fn config_import(config: Config, file: &Path, apply: bool) -> anyhow::Result<()> {
    telemetry::init(
        config.log_format.unwrap_or(LogFormat::Pretty),
        &config.log_filter,
        config.log_span_times,
    );
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("while reading {}", file.display()))?;
    let document = match send_app::configuration::read_document(&text) {
        Ok(document) => document,
        Err(problems) => {
            let mut message = format!(
                "{} cannot be imported; nothing was changed:",
                file.display()
            );
            for problem in problems {
                let _ = write!(message, "\n  {problem}");
            }
            anyhow::bail!(message);
        }
    };
    let app = command_app(&config).await?;
    let user = ConfigurationUser::CommandLine;
    let plan = app.plan_import(user, document.clone()).await?;
    print!("{}", plan.describe());
    if plan.changes_nothing() {
        return Ok(());
    }
    if !apply {
        println!("\nNothing has been changed. Run again with --apply to make these changes.");
        return Ok(());
    }
    match app
        .apply_import(user, document, &plan.fingerprint, &Source::default())
        .await
    {
        Ok(applied) => {
            println!(
                "\nDone: {} {} made.",
                applied.to_apply().count(),
                if applied.to_apply().count() == 1 {
                    "change"
                } else {
                    "changes"
                }
            );
            Ok(())
        }
        Err(send_app::AppError::Changed) => anyhow::bail!(
            "the configuration changed while the import was being worked out; nothing was \
             changed (run the import again to see the differences now)"
        ),
        Err(err) => Err(err.into()),
    }
}

/// `send-portal backup FOLDER`: the database and the uploaded files, with a
/// manifest of checksums, copied into a new folder while the portal runs.
pub async fn backup(config: Config, folder: &Path) -> anyhow::Result<()> {
    telemetry::init(
        config.log_format.unwrap_or(LogFormat::Pretty),
        &config.log_filter,
        config.log_span_times,
    );
    let manifest = backups::backup(&config, folder).await?;
    println!(
        "Backed up the {} database (migration {}) and {} {} to {}.
         It holds children's personal data: encrypt it, and keep it where only the people who          may restore it can reach it.",
        manifest.engine.name(),
        manifest.schema_version,
        manifest.file_count,
        if manifest.file_count == 1 { "file" } else { "files" },
        folder.display()
    );
    Ok(())
}

/// `send-portal restore FOLDER [--replace]`: a backup's database and files into
/// the configured (empty, unless `--replace`) ones, every checksum checked first.
pub async fn restore(config: Config, folder: &Path, replace: bool) -> anyhow::Result<()> {
    telemetry::init(
        config.log_format.unwrap_or(LogFormat::Pretty),
        &config.log_filter,
        config.log_span_times,
    );
    let restored = backups::restore(&config, folder, replace).await?;
    let manifest = &restored.manifest;
    println!(
        "Restored the database (migration {}, backed up at {}) into {} and {} {} into {}.
         `send-portal serve` brings the database up to date if this version is newer.",
        manifest.schema_version,
        manifest.created_at,
        config.database_url,
        manifest.file_count,
        if manifest.file_count == 1 {
            "file"
        } else {
            "files"
        },
        restored.files_place
    );
    Ok(())
}

/// `send-portal email-status`: the latest emails' delivery, asking the mail
/// transport what became of each sent one when it can tell (GOV.UK Notify).
pub async fn email_status(config: Config, last: u32) -> anyhow::Result<()> {
    telemetry::init(
        config.log_format.unwrap_or(LogFormat::Pretty),
        &config.log_filter,
        config.log_span_times,
    );
    // Only the database, the settings and the mail transport.
    let settings = startup::settings_for(&config)?;
    let store = database::open(&config.database_url).await?;
    let app = send_app::App::new(store, std::sync::Arc::new(send_app::SystemClock), settings);
    let mailer = worker::mailer_for(&config.mail, &app)?;
    let deliveries = app
        .email_deliveries(mailer.as_ref(), last)
        .await
        .context("while reading the outbox")?;
    print!("{}", delivery_table(&deliveries));
    Ok(())
}

/// The deliveries as a table, one email a line, newest first: the email's id,
/// when it was written, where it is in the outbox, and the transport's status.
pub fn delivery_table(deliveries: &[EmailDelivery]) -> String {
    if deliveries.is_empty() {
        return "No emails yet.\n".to_owned();
    }
    let mut table = format!(
        "{:<36}  {:<16}  {:<34}  {}\n",
        "Email id", "Written (UTC)", "In the outbox", "Transport status"
    );
    for delivery in deliveries {
        let outbox = match &delivery.state {
            DeliveryState::Sent { at, attempts } => format!(
                "sent {} ({attempts} {})",
                minute(*at),
                if *attempts == 1 {
                    "attempt"
                } else {
                    "attempts"
                }
            ),
            DeliveryState::Pending { attempts: 0, .. } => "waiting".to_owned(),
            DeliveryState::Pending {
                attempts,
                next_attempt_at,
                ..
            } => format!("failed {attempts}, next {}", minute(*next_attempt_at)),
        };
        let transport = match &delivery.transport_status {
            Some(Ok(status)) => status.to_string(),
            Some(Err(error)) => format!("unknown: {error}"),
            None if delivery.transport_reference.is_some() => "not asked".to_owned(),
            None => "-".to_owned(),
        };
        let _ = writeln!(
            table,
            "{:<36}  {:<16}  {outbox:<34}  {transport}",
            delivery.email_id.to_string(),
            minute(delivery.created_at)
        );
        if let DeliveryState::Pending {
            last_error: Some(error),
            ..
        } = &delivery.state
        {
            let _ = writeln!(table, "{:<36}  last error: {error}", "");
        }
    }
    table
}

fn minute(at: OffsetDateTime) -> String {
    at.format(format_description!("[year]-[month]-[day] [hour]:[minute]"))
        .unwrap_or_else(|_| at.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use send_app::mail::TransportStatus;
    use send_domain::EmailId;
    use time::macros::datetime;

    fn delivery(n: u128, state: DeliveryState) -> EmailDelivery {
        EmailDelivery {
            email_id: EmailId::from_uuid(uuid::Uuid::from_u128(n)),
            created_at: datetime!(2026-11-23 09:00 UTC),
            state,
            transport_reference: None,
            transport_status: None,
        }
    }

    #[test]
    fn the_delivery_table_shows_ids_times_and_statuses() {
        let sent = DeliveryState::Sent {
            at: datetime!(2026-11-23 09:01 UTC),
            attempts: 1,
        };
        let mut delivered = delivery(1, sent.clone());
        delivered.transport_reference = Some("740e5834-3a29-46b4-9a6f-16142fde533a".to_owned());
        delivered.transport_status = Some(Ok(TransportStatus::PermanentFailure));
        let mut unknown = delivery(2, sent);
        unknown.transport_reference = Some("x".to_owned());
        unknown.transport_status = Some(Err("GOV.UK Notify could not be reached".to_owned()));
        let retrying = delivery(
            3,
            DeliveryState::Pending {
                attempts: 2,
                next_attempt_at: datetime!(2026-11-23 09:02 UTC),
                last_error: Some("GOV.UK Notify asked us to slow down (429)".to_owned()),
            },
        );
        let table = delivery_table(&[delivered, unknown, retrying]);
        let lines: Vec<&str> = table.lines().map(str::trim_end).collect();
        assert_eq!(
            lines,
            [
                "Email id                              Written (UTC)     In the outbox                       Transport status",
                "00000000-0000-0000-0000-000000000001  2026-11-23 09:00  sent 2026-11-23 09:01 (1 attempt)   permanent-failure",
                "00000000-0000-0000-0000-000000000002  2026-11-23 09:00  sent 2026-11-23 09:01 (1 attempt)   unknown: GOV.UK Notify could not be reached",
                "00000000-0000-0000-0000-000000000003  2026-11-23 09:00  failed 2, next 2026-11-23 09:02     -",
                "                                      last error: GOV.UK Notify asked us to slow down (429)",
            ]
        );
        assert_eq!(delivery_table(&[]), "No emails yet.\n");
    }
}
