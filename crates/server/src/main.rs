//! `send-portal`: the SEND Portal server and its operator commands.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use send_portal::{Config, commands};

/// The SEND Portal: families, professionals and the council's SEND team working
/// together on a child's EHC needs assessment and plan.
///
/// Configuration comes from a TOML file and SEND_PORTAL_* environment variables;
/// README.md lists them.
#[derive(Debug, Parser)]
#[command(name = "send-portal", version)]
#[expect(
    clippy::doc_markdown,
    reason = "this text is the --help output, where backticks would show"
)]
struct Cli {
    /// A TOML configuration file (default: ./send-portal.toml if it exists).
    #[arg(long, global = true, env = "SEND_PORTAL_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Bring the database up to date, then serve the portal.
    Serve,
    /// Bring the database schema up to date and stop.
    Migrate,
    /// Serve the portal with a fresh demonstration data set (all of it made up).
    Demo,
    /// Print a single-use link to set up a back-office administrator account.
    CreateAdmin {
        /// The administrator's work email address.
        #[arg(long)]
        email: String,
        /// The administrator's name.
        #[arg(long)]
        name: String,
    },
    /// List the background jobs (reminders, alerts): how many are queued, failing
    /// or dead, and those that need attention; or queue a dead one again.
    Jobs {
        /// Queue this dead job again, due now (its id, from the list).
        #[arg(long, value_name = "JOB_ID")]
        retry: Option<String>,
    },
    /// List the latest emails' delivery (ids and times, never who they were to) and,
    /// when emails go through GOV.UK Notify, what Notify says became of each.
    EmailStatus {
        /// How many of the latest emails to list (at most 500).
        #[arg(long, default_value_t = 20)]
        last: u32,
    },
    /// Copy the database and every uploaded file into FOLDER (new or empty),
    /// with a manifest of their checksums, while the portal runs. The copy holds
    /// children's personal data: encrypt it.
    Backup {
        /// Where to write the backup.
        folder: PathBuf,
    },
    /// Restore a backup made by `send-portal backup` into the configured
    /// database and file store, after checking every checksum. They must be
    /// empty unless --replace is given.
    Restore {
        /// A folder written by `send-portal backup`.
        folder: PathBuf,
        /// Replace the database's tables and the files already there (stop the
        /// portal first).
        #[arg(long)]
        replace: bool,
    },
    /// Move the council's configuration (teams, permission groups, milestones,
    /// holidays, notifications, advice reminders, forms) between portals as a
    /// TOML file. Never case data or accounts.
    #[command(subcommand)]
    Config(ConfigCommand),
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Write the configuration to standard output as TOML.
    Export,
    /// Show what importing FILE would add, change and remove; with --apply,
    /// make those changes (all of them or none).
    Import {
        /// A file written by `send-portal config export`.
        file: PathBuf,
        /// Make the changes (without it nothing is changed).
        #[arg(long)]
        apply: bool,
    },
}

/// mimalloc rather than glibc's allocator: glibc kept the 19 MiB each password
/// hash takes in a per-thread arena after it was freed (about 20 MiB more memory
/// for each thread that had hashed), mimalloc gives it back (BENCHMARKS.md, "Load").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = async {
        let config = Config::load(cli.config.as_deref())?;
        match cli.command {
            Command::Serve => commands::serve(config).await,
            Command::Migrate => commands::migrate(config).await,
            Command::Demo => commands::demo(config).await,
            Command::CreateAdmin { email, name } => {
                commands::create_admin(config, &email, &name).await
            }
            Command::EmailStatus { last } => commands::email_status(config, last).await,
            Command::Jobs { retry } => commands::jobs(config, retry.as_deref()).await,
            Command::Backup { folder } => commands::backup(config, &folder).await,
            Command::Restore { folder, replace } => {
                commands::restore(config, &folder, replace).await
            }
            Command::Config(ConfigCommand::Export) => commands::config_export(config).await,
            Command::Config(ConfigCommand::Import { file, apply }) => {
                commands::config_import(config, &file, apply).await
            }
        }
    }
    .await;
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("send-portal: {err:#}");
            ExitCode::FAILURE
        }
    }
}
