//! GOV.UK Notify as a mail transport: each email goes through Notify's "send an
//! email" API, and what became of it can be asked afterwards.
//!
//! The council makes one email template in Notify whose subject is `((subject))`
//! and whose body is `((body))`; [`NotifyMailer`] fills them with the email's
//! subject and plain-text body (our text, written once by `compose_email`), and
//! passes the email's id as Notify's `reference`. Notify then sends it with the
//! council's branding. The HTML part is not used: Notify lays out the text itself.
//!
//! Every request carries a fresh token (a JWT signed with HS256 by the API key's
//! secret, `iss` the service id, `iat` the [`Clock`]'s time in seconds; Notify
//! refuses one more than 30 seconds old). Errors name Notify's answer (its status
//! and error codes) but never the recipient or the text, so they are safe to log
//! and to store.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use send_domain::{Clock, OutgoingEmail};
use serde::{Deserialize, Serialize};
use url::Url;
use uuid::Uuid;

use super::{MailError, Mailer, TransportStatus, without_address};

/// Where Notify's API is.
pub const NOTIFY_BASE_URL: &str = "https://api.notifications.service.gov.uk";

/// How long one request to Notify may take before the attempt counts as failed.
/// Well under the outbox lease, like SMTP's.
pub const NOTIFY_TIMEOUT: Duration = Duration::from_secs(30);

/// The most of Notify's error text an error keeps.
const DETAIL_CHARS: usize = 300;

/// Why an API key was refused. The key itself is never part of the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotifyKeyError {
    #[error(
        "a GOV.UK Notify API key is the key's name, the service id and the secret key (both \
         UUIDs), joined by hyphens, as Notify's API integration page shows it; this one is too \
         short or has no name"
    )]
    Shape,
    #[error(
        "the service id in the GOV.UK Notify API key (the first of its two UUIDs) is not a UUID"
    )]
    ServiceId,
    #[error("the secret in the GOV.UK Notify API key (its last 36 characters) is not a UUID")]
    Secret,
}

/// A GOV.UK Notify API key: `{key name}-{service id}-{secret}`, the service id
/// and the secret being UUIDs (so the last 73 characters hold both). Its `Debug`
/// shows the name and the service id, never the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct NotifyApiKey {
    name: String,
    service_id: Uuid,
    secret: String,
}

impl NotifyApiKey {
    /// Both UUIDs and the hyphen between them.
    const IDS_CHARS: usize = 73;
    const UUID_CHARS: usize = 36;

    pub fn parse(raw: &str) -> Result<Self, NotifyKeyError> {
        let key = raw.trim();
        if !key.is_ascii() || key.len() < Self::IDS_CHARS + 2 {
            return Err(NotifyKeyError::Shape);
        }
        let (name, ids) = key.split_at(key.len() - Self::IDS_CHARS);
        let Some(name) = name.strip_suffix('-').filter(|name| !name.is_empty()) else {
            return Err(NotifyKeyError::Shape);
        };
        let (service_id, secret) = ids.split_at(Self::UUID_CHARS);
        let Some(secret) = secret.strip_prefix('-') else {
            return Err(NotifyKeyError::Shape);
        };
        let service_id = parse_hyphenated_uuid(service_id).ok_or(NotifyKeyError::ServiceId)?;
        parse_hyphenated_uuid(secret).ok_or(NotifyKeyError::Secret)?;
        Ok(Self {
            name: name.to_owned(),
            service_id,
            secret: secret.to_owned(),
        })
    }

    /// The name the key was given in Notify.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The Notify service the key belongs to (the token's `iss`).
    pub fn service_id(&self) -> Uuid {
        self.service_id
    }

    /// The token for a request made at `issued_at` (Unix seconds).
    fn token(&self, issued_at: i64) -> Result<String, MailError> {
        let claims = Claims {
            iss: self.service_id.to_string(),
            iat: issued_at,
        };
        let key = EncodingKey::from_secret(self.secret.as_bytes())
            .map_err(|err| NotifyError::token(&err))?;
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &key)
            .map_err(|err| NotifyError::token(&err).into())
    }
}

impl fmt::Debug for NotifyApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NotifyApiKey")
            .field("name", &self.name)
            .field("service_id", &self.service_id)
            .field("secret", &"***")
            .finish()
    }
}

/// A UUID written the one way Notify writes them: 36 characters with hyphens
/// (API keys' parts, template ids).
pub fn parse_hyphenated_uuid(text: &str) -> Option<Uuid> {
    let bytes = text.as_bytes();
    let hyphens_in_place = [8, 13, 18, 23]
        .iter()
        .all(|&at| bytes.get(at) == Some(&b'-'));
    (text.len() == 36 && hyphens_in_place)
        .then(|| Uuid::try_parse(text).ok())
        .flatten()
}

/// The claims Notify reads from the token.
#[derive(Debug, Serialize)]
struct Claims {
    iss: String,
    iat: i64,
}

/// How to reach Notify: the API key, the template (subject `((subject))`, body
/// `((body))`) and the API's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotifySettings {
    pub api_key: NotifyApiKey,
    pub template_id: Uuid,
    pub base_url: Url,
}

/// Notify's id for an email it accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NotificationId(Uuid);

impl NotificationId {
    pub fn parse(text: &str) -> Option<Self> {
        Uuid::try_parse(text.trim()).ok().map(Self)
    }
}

impl fmt::Display for NotificationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What went wrong with a request to Notify, by Notify's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotifyFailure {
    /// 400: the request was refused as it stands (a team or test key sending to
    /// someone outside the team, a template that does not exist or lacks a
    /// placeholder, a missing field).
    BadRequest,
    /// 403: the token was refused (a revoked key, a clock more than 30 seconds
    /// out, a wrong secret).
    Auth,
    /// 404: no such notification (asking for a status).
    NotFound,
    /// 429: too many requests, or the service's daily limit reached.
    RateLimited,
    /// 5xx: Notify failed on its side.
    Unavailable,
    /// Notify could not be reached, or did not answer in time.
    Unreachable,
    /// An answer we did not expect (another status, or a body we cannot read),
    /// or a token that could not be made.
    Unexpected,
}

impl NotifyFailure {
    fn from_status(status: StatusCode) -> Self {
        match status.as_u16() {
            400 => Self::BadRequest,
            401 | 403 => Self::Auth,
            404 => Self::NotFound,
            429 => Self::RateLimited,
            500..=599 => Self::Unavailable,
            _ => Self::Unexpected,
        }
    }

    /// A one-word kind, for logs.
    pub fn kind(self) -> &'static str {
        match self {
            Self::BadRequest => "notify_rejected",
            Self::Auth => "notify_auth",
            Self::NotFound => "notify_not_found",
            Self::RateLimited => "notify_rate_limited",
            Self::Unavailable => "notify_unavailable",
            Self::Unreachable => "notify_unreachable",
            Self::Unexpected => "notify_unexpected",
        }
    }

    /// Whether retrying alone is unlikely to help: someone must change the
    /// configuration or the template in Notify (the outbox still retries).
    pub fn needs_attention(self) -> bool {
        matches!(self, Self::BadRequest | Self::Auth)
    }

    fn describe(self) -> &'static str {
        match self {
            Self::BadRequest => "GOV.UK Notify refused the request",
            Self::Auth => {
                "GOV.UK Notify refused the API key (check SEND_PORTAL_NOTIFY_API_KEY and the \
                 server's clock)"
            }
            Self::NotFound => "GOV.UK Notify has no such notification",
            Self::RateLimited => "GOV.UK Notify asked us to slow down",
            Self::Unavailable => "GOV.UK Notify failed on its side",
            Self::Unreachable => "GOV.UK Notify could not be reached",
            Self::Unexpected => "GOV.UK Notify's answer was not understood",
        }
    }
}

/// A failed request to Notify: what failed, the HTTP status, and Notify's error
/// codes and messages (with the recipient's address taken out, should Notify
/// repeat it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}: {detail}", failure.describe(), status.map(|s| format!(" ({s})")).unwrap_or_default())]
pub struct NotifyError {
    pub failure: NotifyFailure,
    pub status: Option<u16>,
    /// Notify's error codes alone (`BadRequestError`, `RateLimitError`), which
    /// never hold personal data: what the logs show.
    pub codes: String,
    pub detail: String,
}

impl NotifyError {
    fn token(err: &jsonwebtoken::errors::Error) -> Self {
        Self {
            failure: NotifyFailure::Unexpected,
            status: None,
            codes: String::new(),
            detail: format!("the token could not be made: {err}"),
        }
    }

    fn unreachable(err: &reqwest::Error) -> Self {
        let failure = if err.is_decode() || err.is_body() {
            NotifyFailure::Unexpected
        } else {
            NotifyFailure::Unreachable
        };
        // reqwest's message names the URL (Notify's address and at most a
        // notification id), never the request's body.
        Self {
            failure,
            status: err.status().map(|s| s.as_u16()),
            codes: String::new(),
            detail: error_with_sources(err),
        }
    }

    /// Notify's error answer: `{"status_code": 400, "errors": [{"error":
    /// "BadRequestError", "message": "…"}]}`.
    fn from_answer(status: StatusCode, body: &str, recipient: Option<&str>) -> Self {
        let errors = serde_json::from_str::<ErrorAnswer>(body)
            .map(|answer| answer.errors)
            .unwrap_or_default();
        let detail = if errors.is_empty() {
            format!(
                "an answer without Notify's error list ({} bytes)",
                body.len()
            )
        } else {
            errors
                .iter()
                .map(|e| format!("{}: {}", e.error, e.message))
                .collect::<Vec<_>>()
                .join("; ")
        };
        // A code is a word such as `BadRequestError`; anything else is dropped.
        let codes = errors
            .iter()
            .map(|e| e.error.as_str())
            .filter(|code| {
                !code.is_empty()
                    && code.len() <= 40
                    && code.chars().all(|c| c.is_ascii_alphanumeric())
            })
            .collect::<Vec<_>>()
            .join(",");
        Self {
            failure: NotifyFailure::from_status(status),
            status: Some(status.as_u16()),
            codes,
            detail: scrub(&detail, recipient),
        }
    }
}

/// The error and its causes on one line (reqwest keeps the useful part, such as
/// "connection refused", in its sources).
fn error_with_sources(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let shown = cause.to_string();
        if !text.contains(&shown) {
            text.push_str(": ");
            text.push_str(&shown);
        }
        source = cause.source();
    }
    text
}

/// Takes the recipient's address out of `text` (Notify's messages do not
/// repeat it today, but an error is stored and logged) and keeps it short.
fn scrub(text: &str, recipient: Option<&str>) -> String {
    let text = match recipient {
        Some(address) => without_address(text, address),
        None => text.to_owned(),
    };
    text.chars().take(DETAIL_CHARS).collect()
}

#[derive(Debug, Deserialize)]
struct ErrorAnswer {
    #[serde(default)]
    errors: Vec<ErrorItem>,
}

#[derive(Debug, Deserialize)]
struct ErrorItem {
    #[serde(default)]
    error: String,
    #[serde(default)]
    message: String,
}

/// The body of "send an email".
#[derive(Debug, Serialize)]
struct SendEmail<'a> {
    email_address: &'a str,
    template_id: Uuid,
    personalisation: Personalisation<'a>,
    reference: String,
}

#[derive(Debug, Serialize)]
struct Personalisation<'a> {
    subject: &'a str,
    body: &'a str,
}

/// The part of Notify's answers we read: the notification's id, and its status
/// when asked for one.
#[derive(Debug, Deserialize)]
struct NotificationAnswer {
    id: Uuid,
    #[serde(default)]
    status: Option<String>,
}

/// Sends email through GOV.UK Notify (see the module's documentation).
#[derive(Clone)]
pub struct NotifyMailer {
    client: reqwest::Client,
    settings: NotifySettings,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for NotifyMailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NotifyMailer")
            .field("base_url", &self.settings.base_url.as_str())
            .field("template_id", &self.settings.template_id)
            .field("api_key", &self.settings.api_key)
            .finish_non_exhaustive()
    }
}

impl NotifyMailer {
    /// A mailer for `settings`, taking the tokens' time from `clock`.
    pub fn new(settings: NotifySettings, clock: Arc<dyn Clock>) -> Result<Self, MailError> {
        let client = reqwest::Client::builder()
            .timeout(NOTIFY_TIMEOUT)
            // Notify answers where it is asked; a redirect elsewhere would send the
            // API token and the email's content to another host.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("send-portal/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|err| MailError::Build(format!("the HTTP client could not be made: {err}")))?;
        Ok(Self {
            client,
            settings,
            clock,
        })
    }

    pub fn settings(&self) -> &NotifySettings {
        &self.settings
    }

    /// The address of one of Notify's API paths (`v2/notifications/email`).
    fn url(&self, path: &str) -> Result<Url, MailError> {
        let mut base = self.settings.base_url.clone();
        if !base.path().ends_with('/') {
            let with_slash = format!("{}/", base.path());
            base.set_path(&with_slash);
        }
        base.join(path)
            .map_err(|err| MailError::Build(format!("the Notify URL could not be made: {err}")))
    }

    fn token(&self) -> Result<String, MailError> {
        self.settings
            .api_key
            .token(self.clock.now().unix_timestamp())
    }

    /// Sends `email` with the council's template, returning Notify's id for it.
    pub async fn send_email(&self, email: &OutgoingEmail) -> Result<NotificationId, MailError> {
        let body = SendEmail {
            email_address: email.to.as_str(),
            template_id: self.settings.template_id,
            personalisation: Personalisation {
                subject: email.subject.as_str(),
                body: &email.text_body,
            },
            reference: email.id.to_string(),
        };
        let response = self
            .client
            .post(self.url("v2/notifications/email")?)
            .bearer_auth(self.token()?)
            .json(&body)
            .send()
            .await
            .map_err(|err| NotifyError::unreachable(&err))?;
        let answer = read_answer(response, StatusCode::CREATED, Some(email.to.as_str())).await?;
        Ok(NotificationId(answer.id))
    }

    /// What Notify knows of a notification's delivery.
    pub async fn status(&self, id: NotificationId) -> Result<TransportStatus, MailError> {
        let response = self
            .client
            .get(self.url(&format!("v2/notifications/{id}"))?)
            .bearer_auth(self.token()?)
            .send()
            .await
            .map_err(|err| NotifyError::unreachable(&err))?;
        let answer = read_answer(response, StatusCode::OK, None).await?;
        Ok(answer.status.as_deref().map_or(
            TransportStatus::Other(String::new()),
            TransportStatus::from_notify,
        ))
    }
}

#[async_trait]
impl Mailer for NotifyMailer {
    async fn send(&self, email: &OutgoingEmail) -> Result<(), MailError> {
        self.send_email(email).await.map(|_| ())
    }

    async fn send_tracked(&self, email: &OutgoingEmail) -> Result<Option<String>, MailError> {
        let id = self.send_email(email).await?;
        Ok(Some(id.to_string()))
    }

    async fn delivery_status(&self, reference: &str) -> Result<Option<TransportStatus>, MailError> {
        let id = NotificationId::parse(reference).ok_or_else(|| {
            MailError::Build("the reference kept with the email is not a Notify id".to_owned())
        })?;
        self.status(id).await.map(Some)
    }
}

/// Reads a notification from a successful answer, or Notify's error from any
/// other.
async fn read_answer(
    response: reqwest::Response,
    expected: StatusCode,
    recipient: Option<&str>,
) -> Result<NotificationAnswer, MailError> {
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|err| NotifyError::unreachable(&err))?;
    if status != expected {
        return Err(NotifyError::from_answer(status, &text, recipient).into());
    }
    serde_json::from_str(&text).map_err(|err| {
        NotifyError {
            failure: NotifyFailure::Unexpected,
            status: Some(status.as_u16()),
            codes: String::new(),
            detail: format!("the answer could not be read: {err}"),
        }
        .into()
    })
}

impl TransportStatus {
    /// Notify's status words for an email.
    pub fn from_notify(status: &str) -> Self {
        match status {
            "created" => Self::Accepted,
            "sending" | "pending" => Self::Sending,
            "delivered" => Self::Delivered,
            "permanent-failure" => Self::PermanentFailure,
            "temporary-failure" => Self::TemporaryFailure,
            "technical-failure" => Self::TechnicalFailure,
            other => Self::Other(other.chars().take(40).collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVICE: &str = "26785a09-ab16-4eb0-8407-a37497a57506";
    const SECRET: &str = "3d844edf-8d35-48ac-975b-e847b4f122b0";

    fn key() -> String {
        format!("portal-live-{SERVICE}-{SECRET}")
    }

    #[test]
    fn a_key_is_its_name_then_the_service_id_and_the_secret() {
        let key = NotifyApiKey::parse(&format!("  {}\n", key())).unwrap();
        assert_eq!(key.name(), "portal-live");
        assert_eq!(key.service_id().to_string(), SERVICE);
        assert_eq!(key.secret, SECRET);
        let shown = format!("{key:?}");
        assert!(!shown.contains(SECRET), "{shown}");
        assert!(
            shown.contains(SERVICE) && shown.contains("portal-live"),
            "{shown}"
        );
    }

    #[test]
    fn a_key_of_the_wrong_shape_is_refused_without_repeating_it() {
        let cases = [
            (String::new(), NotifyKeyError::Shape),
            (format!("{SERVICE}-{SECRET}"), NotifyKeyError::Shape),
            (format!("-{SERVICE}-{SECRET}"), NotifyKeyError::Shape),
            (format!("name{SERVICE}-{SECRET}"), NotifyKeyError::Shape),
            (format!("name-{SERVICE}_{SECRET}"), NotifyKeyError::Shape),
            (
                format!("name-{}-{SECRET}", SERVICE.replace('-', "x")),
                NotifyKeyError::ServiceId,
            ),
            (
                format!("name-{SERVICE}-{}", SECRET.replace('d', "z")),
                NotifyKeyError::Secret,
            ),
            (
                format!("name-{SERVICE}-{}", SECRET.replace('-', "0")),
                NotifyKeyError::Secret,
            ),
            (format!("näme-{SERVICE}-{SECRET}"), NotifyKeyError::Shape),
        ];
        for (raw, expected) in cases {
            let err = NotifyApiKey::parse(&raw).unwrap_err();
            assert_eq!(err, expected, "{raw}");
            assert!(!err.to_string().contains(SECRET), "{err}");
        }
    }

    /// The token for a fixed time, checked against one made independently
    /// (Python's `hmac` and `base64` over the same header and claims), so the
    /// secret is used as Notify uses it: its text's bytes as the HMAC key.
    #[test]
    fn the_token_is_an_hs256_jwt_of_the_service_id_and_the_time() {
        let key = NotifyApiKey::parse(&key()).unwrap();
        let token = key.token(1_795_424_400).unwrap();
        assert_eq!(
            token,
            "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.\
             eyJpc3MiOiIyNjc4NWEwOS1hYjE2LTRlYjAtODQwNy1hMzc0OTdhNTc1MDYiLCJpYXQiOjE3OTU0MjQ0MDB9.\
             RlqnDo9RUAdnuGRWmvQ94MiOGRZfnwzstAOrg3edg1M"
        );
    }

    #[test]
    fn notify_errors_keep_its_codes_and_lose_the_recipient() {
        let err = NotifyError::from_answer(
            StatusCode::BAD_REQUEST,
            r#"{"status_code": 400, "errors": [{"error": "BadRequestError",
                "message": "Can't send to Jo.Bloggs@Example.org using a team-only API key"}]}"#,
            Some("jo.bloggs@example.org"),
        );
        assert_eq!(err.failure, NotifyFailure::BadRequest);
        assert_eq!(err.codes, "BadRequestError");
        let shown = err.to_string();
        assert_eq!(
            shown,
            "GOV.UK Notify refused the request (400): BadRequestError: Can't send to \
             (the recipient) using a team-only API key"
        );
        let err = NotifyError::from_answer(StatusCode::BAD_GATEWAY, "<html>…</html>", None);
        assert_eq!(err.failure, NotifyFailure::Unavailable);
        assert!(err.to_string().contains("without Notify's error list"));
    }

    #[test]
    fn notify_statuses_are_read_into_ours() {
        for (word, status) in [
            ("created", TransportStatus::Accepted),
            ("sending", TransportStatus::Sending),
            ("delivered", TransportStatus::Delivered),
            ("permanent-failure", TransportStatus::PermanentFailure),
            ("temporary-failure", TransportStatus::TemporaryFailure),
            ("technical-failure", TransportStatus::TechnicalFailure),
        ] {
            assert_eq!(TransportStatus::from_notify(word), status);
            assert_eq!(status.as_str(), word);
        }
        assert_eq!(
            TransportStatus::from_notify("virus-scan-failed"),
            TransportStatus::Other("virus-scan-failed".to_owned())
        );
    }
}
