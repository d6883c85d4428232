//! Use cases. Each takes the [`App`]: the store, the clock and the settings (and,
//! as features land, the mailer and the file store). One module per area.

use std::sync::Arc;

use send_domain::{Clock, CouncilName, PasswordPolicy, SessionTimeouts};
use send_store::Store;
use url::Url;

pub mod accounts;
pub mod advice;
pub mod audit;
pub mod cases;
pub mod clamav;
pub mod clock;
pub mod configuration;
pub mod council_texts;
pub mod deadlines;
pub mod demo;
pub mod documents;
pub mod error;
pub mod files;
pub mod forms;
pub mod health;
pub mod ids;
pub mod incoming_forms;
pub mod involvements;
pub mod jobs;
pub mod mail;
pub mod messages;
pub mod notifications;
pub mod outbox;
pub mod passwords;
pub mod pending_uploads;
pub mod people;
pub mod portal_access;
pub mod sessions;
pub mod staff_setup;
pub mod tokens;

pub use clock::SystemClock;
pub use error::{AppError, AppResult};

/// What the use cases need to know about this installation.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Shown in the header, in page titles and in emails.
    pub council_name: CouncilName,
    /// The public address of the portal, used in links in emails and printed links.
    pub base_url: Url,
    /// Whether this is a demonstration instance (`send-portal demo`).
    pub demo: bool,
    /// The rules new passwords must meet (`SEND_PORTAL_PASSWORD_POLICY`).
    pub password_policy: PasswordPolicy,
    /// When idle and old sessions end.
    pub session_timeouts: SessionTimeouts,
    /// Proxies (such as the council's load balancer) whose `X-Forwarded-For` header
    /// is believed; empty: the connection's own address is the client's.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// How long an "Accept Portal Invitation" link works
    /// (`SEND_PORTAL_INVITATION_DAYS`, default 14 days).
    pub invitation_lifetime: time::Duration,
    /// How families reach the SEND team (`SEND_PORTAL_SEND_TEAM_PHONE`,
    /// `_EMAIL`, `_ADDRESS`, `_HOURS`): the default of the contact details an
    /// administrator may change; shown on the start page, in every email, on
    /// the 404 page and in the accessibility statement.
    pub send_team_contact: Option<send_domain::council_texts::SendTeamContact>,
    /// Where the matcher proposes a child for one-click confirmation, and below
    /// which a submission is "no likely match" (`SEND_PORTAL_MATCH_HIGH`,
    /// `SEND_PORTAL_MATCH_LOW`).
    pub match_thresholds: send_domain::matching::Thresholds,
    /// How long a worker holds the jobs it claimed before another may take them
    /// (`SEND_PORTAL_JOB_LEASE_SECONDS`, default 5 minutes).
    pub job_lease: time::Duration,
    /// How long a worker holds the emails it leased before another may send
    /// them (`SEND_PORTAL_EMAIL_LEASE_SECONDS`, default [`outbox::LEASE`]).
    pub email_lease: time::Duration,
}

/// The application: everything a use case is handed. Cheap to clone.
#[derive(Debug, Clone)]
pub struct App {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub settings: Arc<Settings>,
    /// Where uploaded files are kept, and their checks (DOC-2).
    pub files: Arc<files::Files>,
    /// This server's copy of the council's texts (`council_texts`).
    text_cache: Arc<council_texts::TextCache>,
}

impl App {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, settings: Settings) -> Self {
        Self {
            store,
            clock,
            settings: Arc::new(settings),
            files: Arc::new(files::Files::in_memory(files::DEFAULT_MAX_UPLOAD_BYTES)),
            text_cache: Arc::default(),
        }
    }

    /// Keeps uploaded files in `files` instead of in memory (as [`App::new`] does,
    /// for tests).
    #[must_use]
    pub fn with_files(mut self, files: files::Files) -> Self {
        self.files = Arc::new(files);
        self
    }

    /// An absolute link to `path` on this portal.
    pub fn link(&self, path: &str) -> String {
        let base = self.settings.base_url.as_str().trim_end_matches('/');
        format!("{base}/{}", path.trim_start_matches('/'))
    }
}
