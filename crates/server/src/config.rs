//! Configuration, from (lowest to highest priority) built-in defaults, an optional
//! TOML file, and `SEND_PORTAL_*` environment variables. README.md lists them all.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use send_app::clamav::ClamAv;
use send_app::mail::NotifySettings;
use send_app::mail::notify::{NOTIFY_BASE_URL, NotifyApiKey, parse_hyphenated_uuid};
use send_domain::council_texts::SendTeamContact;
use send_domain::matching::Thresholds;
use send_domain::{CouncilName, PasswordPolicy, PasswordPolicyPreset, SessionTimeouts};
use serde::{Deserialize, Serialize};
use url::Url;

/// The only value of `SEND_PORTAL_UNSCANNED_UPLOADS` that lets `serve` run
/// without a virus scanner: a phrase nobody sets by accident.
pub const ACCEPT_UNSCANNED: &str = "accept-the-risk-of-unscanned-uploads";

/// Whether `SEND_PORTAL_UNSCANNED_UPLOADS` says, in exactly the words asked
/// for, to run without virus scanning; any other value is a mistake to stop on.
fn unscanned_accepted(value: Option<&str>) -> anyhow::Result<bool> {
    match value.map(str::trim) {
        None | Some("") => Ok(false),
        Some(ACCEPT_UNSCANNED) => Ok(true),
        Some(other) => bail!(
            "SEND_PORTAL_UNSCANNED_UPLOADS must be exactly {ACCEPT_UNSCANNED:?} (to run without \
             virus scanning) or unset, not {other:?}"
        ),
    }
}

/// The settings as read, before they are checked.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Raw {
    listen: String,
    database_url: Option<String>,
    data_dir: PathBuf,
    base_url: Option<String>,
    mail: String,
    notify_api_key: Option<SecretText>,
    notify_template_id: Option<String>,
    notify_base_url: Option<String>,
    council_name: Option<String>,
    log_format: Option<String>,
    log: String,
    log_span_times: bool,
    password_policy: String,
    session_idle_minutes: i64,
    session_absolute_hours: i64,
    trusted_proxies: String,
    invitation_days: i64,
    send_team_phone: Option<String>,
    send_team_email: Option<String>,
    send_team_address: Option<String>,
    send_team_hours: Option<String>,
    files: Option<String>,
    clamav: Option<String>,
    unscanned_uploads: Option<String>,
    max_upload_mb: i64,
    match_high: u8,
    match_low: u8,
    job_lease_seconds: i64,
    email_lease_seconds: i64,
}

impl Default for Raw {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".to_owned(),
            database_url: None,
            data_dir: PathBuf::from("./data"),
            base_url: None,
            mail: "file".to_owned(),
            notify_api_key: None,
            notify_template_id: None,
            notify_base_url: None,
            council_name: None,
            log_format: None,
            log: "info".to_owned(),
            log_span_times: false,
            password_policy: "seed".to_owned(),
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            trusted_proxies: String::new(),
            invitation_days: 14,
            send_team_phone: None,
            send_team_email: None,
            send_team_address: None,
            send_team_hours: None,
            files: None,
            clamav: None,
            unscanned_uploads: None,
            max_upload_mb: 20,
            match_high: Thresholds::default().high(),
            match_low: Thresholds::default().low(),
            job_lease_seconds: send_domain::jobs::DEFAULT_LEASE.whole_seconds(),
            email_lease_seconds: send_app::outbox::LEASE.whole_seconds(),
        }
    }
}

/// A setting that is a secret (the Notify API key): read like any text, never
/// shown by `Debug`.
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
struct SecretText(String);

impl fmt::Debug for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretText(***)")
    }
}

impl Raw {
    /// The `SEND_PORTAL_NOTIFY_*` settings.
    fn notify(&self) -> NotifyRaw<'_> {
        NotifyRaw {
            api_key: self.notify_api_key.as_ref().map(|key| key.0.as_str()),
            template_id: self.notify_template_id.as_deref(),
            base_url: self.notify_base_url.as_deref(),
        }
    }
}

/// Where the database is.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(String),
    Postgres(String),
}

impl DatabaseUrl {
    /// Accepts `sqlite:`… and `postgres://`/`postgresql://` URLs; anything else is
    /// an error that names the supported schemes, never a silently created database.
    pub fn parse(url: &str) -> anyhow::Result<Self> {
        let scheme = url.split_once(':').map_or("", |(scheme, _)| scheme);
        match scheme {
            "sqlite" => Ok(Self::Sqlite(url.to_owned())),
            "postgres" | "postgresql" => Ok(Self::Postgres(url.to_owned())),
            _ => bail!(
                "SEND_PORTAL_DATABASE_URL has an unsupported scheme {scheme:?}: \
                 the supported schemes are sqlite:// (for example sqlite://data/send-portal.db) \
                 and postgres:// (for example postgres://user:password@host:5432/send_portal)"
            ),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Sqlite(url) | Self::Postgres(url) => url,
        }
    }

    /// A SQLite URL's file (`sqlite://data/portal.db?mode=rwc` is
    /// `data/portal.db`); `None` for PostgreSQL.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        match self {
            Self::Sqlite(raw) => Some(PathBuf::from(
                raw.trim_start_matches("sqlite:")
                    .trim_start_matches("//")
                    .split('?')
                    .next()
                    .unwrap_or_default(),
            )),
            Self::Postgres(_) => None,
        }
    }
}

/// Shows the URL with any password replaced, so it is safe to log.
impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact_url(self.as_str()))
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({self})")
    }
}

/// Replaces the password in a URL with `***`; a URL that does not parse is
/// replaced whole, since it might still hold a secret.
pub fn redact_url(raw: &str) -> String {
    match Url::parse(raw) {
        Ok(mut url) => {
            if url.password().is_some() {
                // Setting a password fails only on URLs that cannot have one.
                let _ = url.set_password(Some("***"));
            }
            url.to_string()
        }
        Err(_) => "(unparseable URL, hidden)".to_owned(),
    }
}

/// How long a worker holds the jobs it claimed: 1 second to an hour.
fn job_lease(seconds: i64) -> anyhow::Result<time::Duration> {
    if !(1..=3600).contains(&seconds) {
        bail!("SEND_PORTAL_JOB_LEASE_SECONDS must be between 1 and 3600");
    }
    Ok(time::Duration::seconds(seconds))
}

/// How long a worker holds the emails it leased: 1 second to an hour.
fn email_lease(seconds: i64) -> anyhow::Result<time::Duration> {
    if !(1..=3600).contains(&seconds) {
        bail!("SEND_PORTAL_EMAIL_LEASE_SECONDS must be between 1 and 3600");
    }
    Ok(time::Duration::seconds(seconds))
}

/// How outgoing email leaves the portal.
#[derive(Clone, PartialEq, Eq)]
pub enum MailSetting {
    /// Each email is written as a `.eml` file under this folder.
    File(PathBuf),
    /// Sent over SMTP to this server (`smtp://` or `smtps://`).
    Smtp(Url),
    /// Sent through GOV.UK Notify (`SEND_PORTAL_MAIL=notify`).
    Notify(NotifySettings),
}

impl fmt::Debug for MailSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::File(path) => write!(f, "File({})", path.display()),
            Self::Smtp(url) => write!(f, "Smtp({})", redact_url(url.as_str())),
            // The key's `Debug` shows its name and service id, never its secret.
            Self::Notify(settings) => write!(f, "Notify({settings:?})"),
        }
    }
}

/// The `SEND_PORTAL_NOTIFY_*` settings as read.
#[derive(Debug, Default)]
struct NotifyRaw<'a> {
    api_key: Option<&'a str>,
    template_id: Option<&'a str>,
    base_url: Option<&'a str>,
}

impl MailSetting {
    fn parse(raw: &str, data_dir: &Path, notify: &NotifyRaw<'_>) -> anyhow::Result<Self> {
        if raw == "file" {
            return Ok(Self::File(data_dir.join("mail")));
        }
        if raw == "notify" {
            return Ok(Self::Notify(notify_settings(notify)?));
        }
        let url = Url::parse(raw).map_err(|_| {
            anyhow::anyhow!("SEND_PORTAL_MAIL must be `file`, `notify` or an smtp:// URL such as smtp://user:password@mail.example.org:587")
        })?;
        match url.scheme() {
            "smtp" | "smtps" if url.host_str().is_some() => Ok(Self::Smtp(url)),
            other => bail!(
                "SEND_PORTAL_MAIL has an unsupported scheme {other:?}: use `file`, `notify` or smtp://user:password@host:port"
            ),
        }
    }
}

/// A setting with something in it, trimmed.
fn present(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// Checks the settings `SEND_PORTAL_MAIL=notify` needs. An error never repeats
/// the API key.
fn notify_settings(raw: &NotifyRaw<'_>) -> anyhow::Result<NotifySettings> {
    let Some(key) = present(raw.api_key) else {
        bail!(
            "SEND_PORTAL_MAIL is notify, but SEND_PORTAL_NOTIFY_API_KEY is not set: set it to an \
             API key from GOV.UK Notify's API integration page (a live key, to email anyone)"
        );
    };
    let api_key = NotifyApiKey::parse(key)
        .map_err(|err| anyhow::anyhow!("SEND_PORTAL_NOTIFY_API_KEY is not usable: {err}"))?;
    let Some(template) = present(raw.template_id) else {
        bail!(
            "SEND_PORTAL_MAIL is notify, but SEND_PORTAL_NOTIFY_TEMPLATE_ID is not set: set it to \
             the id of the Notify email template whose subject is ((subject)) and whose body is \
             ((body))"
        );
    };
    let template_id = parse_hyphenated_uuid(template).ok_or_else(|| {
        anyhow::anyhow!(
            "SEND_PORTAL_NOTIFY_TEMPLATE_ID must be a template id as Notify shows it (a UUID \
                 such as 9d2e2b5c-52ab-4c1d-9c6a-0f7a3e8e1f42), not {template:?}"
        )
    })?;
    let base = present(raw.base_url).unwrap_or(NOTIFY_BASE_URL);
    let base_url = Url::parse(base)
        .ok()
        .filter(|url| match url.scheme() {
            "https" => url.host_str().is_some(),
            // Plain HTTP only to this machine (a local fake of Notify in tests).
            "http" => url.host_str().is_some_and(is_loopback_host),
            _ => false,
        })
        .ok_or_else(|| {
            anyhow::anyhow!(
                "SEND_PORTAL_NOTIFY_BASE_URL must be an https:// address (by default \
                 {NOTIFY_BASE_URL}), or http:// to this machine, not {:?}",
                redact_url(base)
            )
        })?;
    Ok(NotifySettings {
        api_key,
        template_id,
        base_url,
    })
}

fn is_loopback_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Where uploaded files are kept (`SEND_PORTAL_FILES`).
#[derive(Clone, PartialEq, Eq)]
pub enum FilesSetting {
    /// A folder on this machine (by default `DATA_DIR/files`).
    Folder(PathBuf),
    /// Object storage by URL: `s3://bucket/prefix`, `az://container/prefix`, or
    /// `file:///folder`; see `send_app::files`.
    Url(String),
}

impl fmt::Debug for FilesSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Folder(path) => write!(f, "Folder({})", path.display()),
            Self::Url(url) => write!(f, "Url({})", redact_url(url)),
        }
    }
}

/// Shows the folder or the URL (with any password hidden), for logs.
impl fmt::Display for FilesSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Folder(path) => write!(f, "{}", path.display()),
            Self::Url(url) => f.write_str(&redact_url(url)),
        }
    }
}

impl FilesSetting {
    fn parse(raw: Option<&str>, data_dir: &Path) -> anyhow::Result<Self> {
        let raw = raw.map(str::trim).unwrap_or_default();
        if raw.is_empty() {
            return Ok(Self::Folder(data_dir.join(send_app::files::DEFAULT_FOLDER)));
        }
        if !raw.contains("://") {
            return Ok(Self::Folder(PathBuf::from(raw)));
        }
        let url = Url::parse(raw).map_err(|_| {
            anyhow::anyhow!(
                "SEND_PORTAL_FILES must be a folder or a URL such as s3://bucket/prefix or \
                 az://container/prefix, not {:?}",
                redact_url(raw)
            )
        })?;
        match url.scheme() {
            "file" | "s3" | "s3a" | "az" | "azure" | "abfs" | "abfss" | "adl" | "https" => {
                Ok(Self::Url(raw.to_owned()))
            }
            other => bail!(
                "SEND_PORTAL_FILES has an unsupported scheme {other:?}: use a folder, \
                 s3://bucket/prefix (S3 or S3-compatible storage) or az://container/prefix \
                 (Azure Blob Storage)"
            ),
        }
    }
}

/// A comma-separated list of addresses (`10.0.0.5`) and networks (`10.0.0.0/8`).
fn parse_networks(raw: &str) -> anyhow::Result<Vec<ipnet::IpNet>> {
    raw.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse::<ipnet::IpNet>()
                .or_else(|_| item.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| {
                    anyhow::anyhow!(
                        "SEND_PORTAL_TRUSTED_PROXIES must list addresses or networks such as \
                         10.0.0.5, 10.1.0.0/16, separated by commas, not {item:?}"
                    )
                })
        })
        .collect()
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One JSON object a line, for log collectors (the default for `serve`).
    Json,
    /// Readable lines for a person at a terminal (the default for `demo`).
    Pretty,
}

/// The SEND team's contact details from `SEND_PORTAL_SEND_TEAM_*`: none if
/// neither the telephone number nor the email address is set, an error naming
/// the setting if only one is or either is malformed.
fn send_team_contact(raw: &Raw) -> anyhow::Result<Option<SendTeamContact>> {
    let set = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    match (set(&raw.send_team_phone), set(&raw.send_team_email)) {
        (None, None) => Ok(None),
        (None, Some(_)) => bail!(
            "SEND_PORTAL_SEND_TEAM_PHONE is not set: give the SEND team's telephone number \
             with its email address"
        ),
        (Some(_), None) => bail!(
            "SEND_PORTAL_SEND_TEAM_EMAIL is not set: give the SEND team's email address with \
             its telephone number"
        ),
        (Some(phone), Some(email)) => SendTeamContact::parse(
            &phone,
            &email,
            raw.send_team_address.as_deref(),
            raw.send_team_hours.as_deref(),
        )
        .map(Some)
        .map_err(|_| {
            anyhow::anyhow!(
                "SEND_PORTAL_SEND_TEAM_EMAIL must be an email address such as \
                 send@exampleshire.gov.uk, not {email:?}"
            )
        }),
    }
}

/// Checked configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub database_url: DatabaseUrl,
    pub data_dir: PathBuf,
    pub base_url: Url,
    pub mail: MailSetting,
    pub council_name: Option<CouncilName>,
    pub log_format: Option<LogFormat>,
    pub log_filter: String,
    /// Log a line with its duration when each use case and store call ends.
    pub log_span_times: bool,
    pub password_policy: PasswordPolicy,
    pub session_timeouts: SessionTimeouts,
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// How long an "Accept Portal Invitation" link works.
    pub invitation_lifetime: time::Duration,
    /// How families reach the SEND team (`SEND_PORTAL_SEND_TEAM_PHONE`,
    /// `_EMAIL`, `_ADDRESS`, `_HOURS`): shown on the start page, in every
    /// email, on the 404 page and in the accessibility statement. `serve`
    /// refuses to start without it.
    pub send_team_contact: Option<SendTeamContact>,
    /// The matcher's thresholds (`SEND_PORTAL_MATCH_HIGH`, `SEND_PORTAL_MATCH_LOW`).
    pub match_thresholds: Thresholds,
    /// How long a worker holds the jobs it claimed (`SEND_PORTAL_JOB_LEASE_SECONDS`).
    pub job_lease: time::Duration,
    /// How long a worker holds the emails it leased (`SEND_PORTAL_EMAIL_LEASE_SECONDS`).
    pub email_lease: time::Duration,
    /// Where uploaded files are kept.
    pub files: FilesSetting,
    /// The clamd that scans uploads; `None`: they are not scanned.
    pub clamav: Option<ClamAv>,
    /// The operator chose to run without scanning uploads
    /// (`SEND_PORTAL_UNSCANNED_UPLOADS` set to [`ACCEPT_UNSCANNED`]).
    pub unscanned_uploads_accepted: bool,
    /// The largest upload accepted, in bytes.
    pub max_upload_bytes: u64,
    /// Whether this is a demonstration (`send-portal demo`), which shows its
    /// emails at `/demo/emails`. Set by that command, never by configuration.
    pub demo: bool,
}

impl Config {
    /// The built-in defaults alone, without a file or the environment (the
    /// tests start from these).
    pub fn defaults() -> Self {
        Self::check(Raw::default())
            .unwrap_or_else(|err| unreachable!("the built-in defaults are valid: {err:#}"))
    }

    /// Reads the configuration file (if any) and the environment.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Self> {
        let mut figment = Figment::from(Serialized::defaults(Raw::default()));
        match file {
            Some(path) => {
                if !path.exists() {
                    bail!("the configuration file {} does not exist", path.display());
                }
                figment = figment.merge(Toml::file(path));
            }
            None => figment = figment.merge(Toml::file("send-portal.toml")),
        }
        let raw: Raw = figment
            .merge(Env::prefixed("SEND_PORTAL_").ignore(&["config"]))
            .extract()
            .context("while reading the configuration")?;
        Self::check(raw)
    }

    fn check(raw: Raw) -> anyhow::Result<Self> {
        let send_team_contact = send_team_contact(&raw)?;
        let listen: SocketAddr = raw.listen.parse().with_context(|| {
            format!(
                "SEND_PORTAL_LISTEN must be an address and port such as 127.0.0.1:8080, not {:?}",
                raw.listen
            )
        })?;
        let mail = MailSetting::parse(raw.mail.trim(), &raw.data_dir, &raw.notify())?;
        let database_url = match raw.database_url.filter(|u| !u.trim().is_empty()) {
            Some(url) => DatabaseUrl::parse(url.trim())?,
            None => DatabaseUrl::Sqlite(format!(
                "sqlite://{}",
                raw.data_dir.join("send-portal.db").display()
            )),
        };
        let base_url = match raw.base_url.filter(|u| !u.trim().is_empty()) {
            Some(url) => Url::parse(url.trim()).with_context(|| {
                format!("SEND_PORTAL_BASE_URL must be an address such as https://send.example.gov.uk, not {url:?}")
            })?,
            None => Url::parse(&format!("http://{listen}"))
                .context("while making the default base URL")?,
        };
        if !matches!(base_url.scheme(), "http" | "https") {
            bail!("SEND_PORTAL_BASE_URL must start with https:// (or http:// for local use)");
        }
        let council_name = raw
            .council_name
            .filter(|n| !n.trim().is_empty())
            .map(|n| CouncilName::parse(&n))
            .transpose()
            .context("SEND_PORTAL_COUNCIL_NAME")?;
        let log_format = match raw.log_format.as_deref().map(str::trim) {
            None | Some("") => None,
            Some("json") => Some(LogFormat::Json),
            Some("pretty") => Some(LogFormat::Pretty),
            Some(other) => bail!("SEND_PORTAL_LOG_FORMAT must be json or pretty, not {other:?}"),
        };
        let preset: PasswordPolicyPreset = raw.password_policy.trim().parse().map_err(|_| {
            anyhow::anyhow!(
                "SEND_PORTAL_PASSWORD_POLICY must be seed or ncsc, not {:?}",
                raw.password_policy
            )
        })?;
        if !(5..=24 * 60).contains(&raw.session_idle_minutes) {
            bail!("SEND_PORTAL_SESSION_IDLE_MINUTES must be between 5 and 1440");
        }
        if !(1..=24 * 7).contains(&raw.session_absolute_hours) {
            bail!("SEND_PORTAL_SESSION_ABSOLUTE_HOURS must be between 1 and 168");
        }
        let session_timeouts = SessionTimeouts {
            idle: time::Duration::minutes(raw.session_idle_minutes),
            absolute: time::Duration::hours(raw.session_absolute_hours),
        };
        let trusted_proxies = parse_networks(&raw.trusted_proxies)?;
        if !(1..=90).contains(&raw.invitation_days) {
            bail!("SEND_PORTAL_INVITATION_DAYS must be between 1 and 90");
        }
        let files = FilesSetting::parse(raw.files.as_deref(), &raw.data_dir)?;
        let clamav = raw
            .clamav
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(ClamAv::parse)
            .transpose()?;
        let max_upload_mb = u64::try_from(raw.max_upload_mb)
            .ok()
            .filter(|mb| (1..=200).contains(mb))
            .context("SEND_PORTAL_MAX_UPLOAD_MB must be between 1 and 200")?;
        let match_thresholds = Thresholds::new(raw.match_high, raw.match_low).map_err(|e| {
            anyhow::anyhow!("SEND_PORTAL_MATCH_HIGH and SEND_PORTAL_MATCH_LOW: {e}")
        })?;
        let unscanned_uploads_accepted = unscanned_accepted(raw.unscanned_uploads.as_deref())?;
        Ok(Self {
            job_lease: job_lease(raw.job_lease_seconds)?,
            email_lease: email_lease(raw.email_lease_seconds)?,
            unscanned_uploads_accepted,
            match_thresholds,
            files,
            clamav,
            max_upload_bytes: max_upload_mb * 1024 * 1024,
            invitation_lifetime: time::Duration::days(raw.invitation_days),
            send_team_contact,
            trusted_proxies,
            password_policy: PasswordPolicy::from(preset),
            session_timeouts,
            listen,
            database_url,
            data_dir: raw.data_dir,
            base_url,
            mail,
            council_name,
            log_format,
            log_filter: raw.log,
            log_span_times: raw.log_span_times,
            demo: false,
        })
    }

    /// `serve` scans every upload for viruses, unless the operator has said in
    /// so many words that it need not.
    pub fn require_scanning(&self) -> anyhow::Result<()> {
        if self.clamav.is_none() && !self.unscanned_uploads_accepted {
            bail!(
                "SEND_PORTAL_CLAMAV is not set: uploads would not be scanned for viruses. Set it \
                 to clamd's address (for example tcp://127.0.0.1:3310), or, to run without \
                 scanning and accept the risk, set SEND_PORTAL_UNSCANNED_UPLOADS={ACCEPT_UNSCANNED}"
            );
        }
        Ok(())
    }

    /// The SEND team's contact details, which a real installation must set:
    /// an email from the council with no way to check who sent it looks like
    /// phishing.
    pub fn require_send_team_contact(&self) -> anyhow::Result<SendTeamContact> {
        self.send_team_contact.clone().context(
            "SEND_PORTAL_SEND_TEAM_PHONE and SEND_PORTAL_SEND_TEAM_EMAIL are not set: set them \
             to the SEND team's telephone number and email address, which the portal shows on \
             the start page and in every email (SEND_PORTAL_SEND_TEAM_ADDRESS and \
             SEND_PORTAL_SEND_TEAM_HOURS may add a postal address and opening hours)",
        )
    }

    /// The council's name, which a real installation must set.
    pub fn require_council_name(&self) -> anyhow::Result<CouncilName> {
        self.council_name.clone().context(
            "SEND_PORTAL_COUNCIL_NAME is not set: set it to the council's name as it should \
             appear in the header and in emails (for example \"Exampleshire County Council\")",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> Raw {
        Raw::default()
    }

    #[test]
    fn defaults_are_a_local_sqlite_portal_writing_mail_to_files() {
        let config = Config::check(raw()).unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(
            config.database_url,
            DatabaseUrl::Sqlite("sqlite://./data/send-portal.db".to_owned())
        );
        assert_eq!(config.base_url.as_str(), "http://127.0.0.1:8080/");
        assert_eq!(config.mail, MailSetting::File(PathBuf::from("./data/mail")));
    }

    #[test]
    fn the_built_in_defaults_are_the_application_defaults() {
        let config = Config::defaults();
        assert_eq!(config.session_timeouts, SessionTimeouts::default());
        assert_eq!(
            config.invitation_lifetime,
            send_domain::portal_access::DEFAULT_LINK_LIFETIME
        );
        assert_eq!(
            config.max_upload_bytes,
            send_app::files::DEFAULT_MAX_UPLOAD_BYTES
        );
        assert!(!config.demo);
    }

    #[test]
    fn the_password_policy_and_session_timeouts_are_configurable() {
        let config = Config::check(raw()).unwrap();
        assert_eq!(config.password_policy.preset(), PasswordPolicyPreset::Seed);
        assert_eq!(config.session_timeouts, SessionTimeouts::default());
        let config = Config::check(Raw {
            password_policy: "ncsc".to_owned(),
            session_idle_minutes: 15,
            session_absolute_hours: 8,
            ..raw()
        })
        .unwrap();
        assert_eq!(config.password_policy.preset(), PasswordPolicyPreset::Ncsc);
        assert_eq!(config.session_timeouts.idle, time::Duration::minutes(15));
        assert_eq!(config.session_timeouts.absolute, time::Duration::hours(8));
        let err = Config::check(Raw {
            password_policy: "weak".to_owned(),
            ..raw()
        })
        .unwrap_err();
        assert!(err.to_string().contains("seed or ncsc"));
        assert!(
            Config::check(Raw {
                session_idle_minutes: 0,
                ..raw()
            })
            .is_err()
        );
    }

    #[test]
    fn serving_needs_a_virus_scanner_or_the_exact_opt_out() {
        let config = Config::check(raw()).unwrap();
        let err = config.require_scanning().unwrap_err().to_string();
        assert!(
            err.contains("SEND_PORTAL_CLAMAV") && err.contains(ACCEPT_UNSCANNED),
            "{err}"
        );
        let scanned = Config::check(Raw {
            clamav: Some("tcp://127.0.0.1:3310".to_owned()),
            ..raw()
        })
        .unwrap();
        assert!(scanned.require_scanning().is_ok());
        let accepted = Config::check(Raw {
            unscanned_uploads: Some(ACCEPT_UNSCANNED.to_owned()),
            ..raw()
        })
        .unwrap();
        assert!(accepted.require_scanning().is_ok());
        let careless = Config::check(Raw {
            unscanned_uploads: Some("true".to_owned()),
            ..raw()
        })
        .unwrap_err()
        .to_string();
        assert!(
            careless.contains("SEND_PORTAL_UNSCANNED_UPLOADS"),
            "{careless}"
        );
    }

    #[test]
    fn the_matching_thresholds_are_configurable_and_checked() {
        let config = Config::check(Raw {
            match_high: 90,
            match_low: 50,
            ..raw()
        })
        .unwrap();
        assert_eq!(
            (
                config.match_thresholds.high(),
                config.match_thresholds.low()
            ),
            (90, 50)
        );
        for (high, low) in [(50, 60), (101, 40), (80, 0)] {
            let err = Config::check(Raw {
                match_high: high,
                match_low: low,
                ..raw()
            })
            .unwrap_err()
            .to_string();
            assert!(
                err.contains("SEND_PORTAL_MATCH_HIGH"),
                "{high}/{low}: {err}"
            );
        }
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        let config = Config::check(Raw {
            trusted_proxies: "10.0.0.5, 192.168.0.0/16,::1".to_owned(),
            ..raw()
        })
        .unwrap();
        let shown: Vec<String> = config
            .trusted_proxies
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(shown, ["10.0.0.5/32", "192.168.0.0/16", "::1/128"]);
        assert!(Config::check(raw()).unwrap().trusted_proxies.is_empty());
        let err = Config::check(Raw {
            trusted_proxies: "proxy.internal".to_owned(),
            ..raw()
        })
        .unwrap_err();
        assert!(err.to_string().contains("SEND_PORTAL_TRUSTED_PROXIES"));
    }

    #[test]
    fn unsupported_database_schemes_are_refused_by_name() {
        let err = Config::check(Raw {
            database_url: Some("mysql://x".to_owned()),
            ..raw()
        })
        .unwrap_err()
        .to_string();
        assert!(err.contains("\"mysql\""), "{err}");
        assert!(
            err.contains("sqlite://") && err.contains("postgres://"),
            "{err}"
        );
        assert!(DatabaseUrl::parse("data/portal.db").is_err());
    }

    #[test]
    fn postgres_urls_select_postgres_and_never_show_their_password() {
        let url = DatabaseUrl::parse("postgres://portal:s3cret@db.internal:5432/send").unwrap();
        assert!(matches!(url, DatabaseUrl::Postgres(_)));
        let shown = format!("{url} {url:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("portal:***@db.internal"), "{shown}");
    }

    #[test]
    fn a_sqlite_url_names_its_file() {
        for (raw, file) in [
            ("sqlite://data/send-portal.db", "data/send-portal.db"),
            (
                "sqlite:///var/lib/send/portal.db?mode=rwc",
                "/var/lib/send/portal.db",
            ),
            ("sqlite:portal.db", "portal.db"),
        ] {
            let url = DatabaseUrl::parse(raw).unwrap();
            assert_eq!(url.sqlite_path(), Some(PathBuf::from(file)), "{raw}");
        }
        let postgres = DatabaseUrl::parse("postgres://db.internal/send").unwrap();
        assert_eq!(postgres.sqlite_path(), None);
    }

    #[test]
    fn smtp_mail_is_checked_and_its_password_hidden() {
        let none = NotifyRaw::default();
        let mail = MailSetting::parse("smtp://user:pw@mail.example.org:587", Path::new("d"), &none)
            .unwrap();
        assert!(!format!("{mail:?}").contains("pw@"));
        assert!(MailSetting::parse("carrier-pigeon", Path::new("d"), &none).is_err());
        assert!(MailSetting::parse("http://mail.example.org", Path::new("d"), &none).is_err());
    }

    const SERVICE: &str = "26785a09-ab16-4eb0-8407-a37497a57506";
    const SECRET: &str = "3d844edf-8d35-48ac-975b-e847b4f122b0";
    const TEMPLATE: &str = "f33517ff-2a88-4f6e-b855-c550268ce08a";

    fn notify(key: &str, template: &str, base: Option<&str>) -> anyhow::Result<Config> {
        Config::check(Raw {
            mail: "notify".to_owned(),
            notify_api_key: Some(SecretText(key.to_owned())),
            notify_template_id: Some(template.to_owned()),
            notify_base_url: base.map(str::to_owned),
            ..raw()
        })
    }

    #[test]
    fn notify_mail_needs_a_whole_api_key_and_a_template_id() {
        let key = format!("send-portal-live-{SERVICE}-{SECRET}");
        let config = notify(&key, TEMPLATE, None).unwrap();
        let MailSetting::Notify(settings) = &config.mail else {
            panic!("{:?}", config.mail)
        };
        assert_eq!(settings.api_key.name(), "send-portal-live");
        assert_eq!(settings.api_key.service_id().to_string(), SERVICE);
        assert_eq!(settings.template_id.to_string(), TEMPLATE);
        assert_eq!(
            settings.base_url.as_str(),
            "https://api.notifications.service.gov.uk/"
        );
        let local = notify(&key, TEMPLATE, Some("http://127.0.0.1:4010")).unwrap();
        assert!(matches!(local.mail, MailSetting::Notify(s) if s.base_url.port() == Some(4010)));

        let shown = format!("{config:?}");
        assert!(
            !shown.contains(SECRET),
            "the secret is never shown: {shown}"
        );
        let raw_shown = format!(
            "{:?}",
            Raw {
                notify_api_key: Some(SecretText(key.clone())),
                ..raw()
            }
        );
        assert!(!raw_shown.contains(SECRET), "{raw_shown}");

        for (key, template, base, names) in [
            ("", TEMPLATE, None, "SEND_PORTAL_NOTIFY_API_KEY is not set"),
            (SECRET, TEMPLATE, None, "SEND_PORTAL_NOTIFY_API_KEY"),
            (
                &format!("live-{SERVICE}-{SECRET}x"),
                TEMPLATE,
                None,
                "SEND_PORTAL_NOTIFY_API_KEY",
            ),
            (&key, "", None, "SEND_PORTAL_NOTIFY_TEMPLATE_ID is not set"),
            (
                &key,
                "welcome-email",
                None,
                "SEND_PORTAL_NOTIFY_TEMPLATE_ID",
            ),
            (
                &key,
                &TEMPLATE.replace('-', ""),
                None,
                "SEND_PORTAL_NOTIFY_TEMPLATE_ID",
            ),
            (
                &key,
                TEMPLATE,
                Some("http://api.notifications.service.gov.uk"),
                "SEND_PORTAL_NOTIFY_BASE_URL",
            ),
            (
                &key,
                TEMPLATE,
                Some("notify"),
                "SEND_PORTAL_NOTIFY_BASE_URL",
            ),
        ] {
            let err = format!("{:#}", notify(key, template, base).unwrap_err());
            assert!(err.contains(names), "{key:?} {template:?} {base:?}: {err}");
            assert!(
                !err.contains(SECRET),
                "an error never repeats the key: {err}"
            );
        }
    }

    #[test]
    fn a_bad_listen_address_or_log_format_is_a_clear_error() {
        let err = Config::check(Raw {
            listen: "8080".to_owned(),
            ..raw()
        })
        .unwrap_err();
        assert!(err.to_string().contains("SEND_PORTAL_LISTEN"));
        let err = Config::check(Raw {
            log_format: Some("xml".to_owned()),
            ..raw()
        })
        .unwrap_err();
        assert!(err.to_string().contains("SEND_PORTAL_LOG_FORMAT"));
    }

    #[test]
    fn the_example_configuration_file_is_valid() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../send-portal.example.toml");
        let text = std::fs::read_to_string(path).unwrap();
        let raw: Raw = Figment::from(Serialized::defaults(Raw::default()))
            .merge(Toml::string(&text))
            .extract()
            .unwrap();
        let config = Config::check(raw).unwrap();
        assert_eq!(
            config.require_council_name().unwrap().as_str(),
            "Exampleshire County Council"
        );
        assert!(matches!(config.mail, MailSetting::Smtp(_)));
        assert_eq!(config.base_url.scheme(), "https");
    }

    #[test]
    fn uploads_are_kept_in_the_data_folder_unscanned_up_to_20_mb_by_default() {
        let config = Config::check(raw()).unwrap();
        assert_eq!(
            config.files,
            FilesSetting::Folder(PathBuf::from("./data/files"))
        );
        assert_eq!(config.clamav, None);
        assert_eq!(config.max_upload_bytes, 20 * 1024 * 1024);
    }

    #[test]
    fn upload_storage_scanning_and_size_are_configurable_and_checked() {
        let config = Config::check(Raw {
            files: Some("s3://council-uploads/send".to_owned()),
            clamav: Some("tcp://127.0.0.1:3310".to_owned()),
            max_upload_mb: 50,
            ..raw()
        })
        .unwrap();
        assert_eq!(
            config.files,
            FilesSetting::Url("s3://council-uploads/send".to_owned())
        );
        assert_eq!(
            config.clamav.unwrap().address().to_string(),
            "tcp://127.0.0.1:3310"
        );
        assert_eq!(config.max_upload_bytes, 50 * 1024 * 1024);
        let config = Config::check(Raw {
            files: Some("/srv/send-portal/files".to_owned()),
            clamav: Some("/run/clamav/clamd.ctl".to_owned()),
            ..raw()
        })
        .unwrap();
        assert_eq!(
            config.files,
            FilesSetting::Folder(PathBuf::from("/srv/send-portal/files"))
        );
        assert!(config.clamav.is_some());
        let config = Config::check(Raw {
            files: Some("az://documents/send".to_owned()),
            clamav: Some("  ".to_owned()),
            ..raw()
        })
        .unwrap();
        assert!(matches!(config.files, FilesSetting::Url(_)));
        assert_eq!(config.clamav, None);
        let shown = format!(
            "{:?}",
            FilesSetting::parse(
                Some("https://user:s3cret@files.example.org/x"),
                Path::new("d")
            )
            .unwrap()
        );
        assert!(!shown.contains("s3cret"), "{shown}");

        for (files, clamav, mb, named) in [
            (
                Some("ftp://files.example.org/x"),
                None,
                20,
                "SEND_PORTAL_FILES",
            ),
            (None, Some("clamd:3310"), 20, "SEND_PORTAL_CLAMAV"),
            (None, None, 0, "SEND_PORTAL_MAX_UPLOAD_MB"),
            (None, None, 201, "SEND_PORTAL_MAX_UPLOAD_MB"),
            (None, None, -5, "SEND_PORTAL_MAX_UPLOAD_MB"),
        ] {
            let err = Config::check(Raw {
                files: files.map(str::to_owned),
                clamav: clamav.map(str::to_owned),
                max_upload_mb: mb,
                ..raw()
            })
            .unwrap_err();
            assert!(format!("{err:#}").contains(named), "{err:#}");
        }
    }

    #[test]
    fn the_send_team_contact_is_required_where_it_matters() {
        let config = Config::check(raw()).unwrap();
        let err = config.require_send_team_contact().unwrap_err();
        assert!(format!("{err:#}").contains("SEND_PORTAL_SEND_TEAM_PHONE"));
        let config = Config::check(Raw {
            send_team_phone: Some(" 0300 123 4567 ".to_owned()),
            send_team_email: Some("send@exampleshire.gov.uk".to_owned()),
            send_team_hours: Some("Monday to Friday, 9am to 5pm".to_owned()),
            send_team_address: Some("  ".to_owned()),
            ..raw()
        })
        .unwrap();
        let contact = config.require_send_team_contact().unwrap();
        assert_eq!(contact.phone, "0300 123 4567");
        assert_eq!(contact.email, "send@exampleshire.gov.uk");
        assert_eq!(
            contact.hours.as_deref(),
            Some("Monday to Friday, 9am to 5pm")
        );
        assert_eq!(contact.address, None);
        for (phone, email, named) in [
            (Some("0300 123 4567"), None, "SEND_PORTAL_SEND_TEAM_EMAIL"),
            (
                None,
                Some("send@exampleshire.gov.uk"),
                "SEND_PORTAL_SEND_TEAM_PHONE",
            ),
            (
                Some("0300 123 4567"),
                Some("not an address"),
                "SEND_PORTAL_SEND_TEAM_EMAIL",
            ),
        ] {
            let err = Config::check(Raw {
                send_team_phone: phone.map(str::to_owned),
                send_team_email: email.map(str::to_owned),
                ..raw()
            })
            .unwrap_err();
            assert!(format!("{err:#}").contains(named), "{err:#}");
        }
    }

    #[test]
    fn the_council_name_is_required_where_it_matters() {
        let config = Config::check(raw()).unwrap();
        assert!(config.require_council_name().is_err());
        let config = Config::check(Raw {
            council_name: Some(" Exampleshire Council ".to_owned()),
            ..raw()
        })
        .unwrap();
        assert_eq!(
            config.require_council_name().unwrap().as_str(),
            "Exampleshire Council"
        );
    }
}
