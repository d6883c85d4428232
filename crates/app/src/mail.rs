//! Mail transports: how an email from the outbox leaves the portal.
//!
//! Three [`Mailer`]s. Two are built on `lettre`: [`FileMailer`] writes each email
//! as a `.eml` file (the embedded default, and the demo), [`SmtpMailer`] hands it
//! to an SMTP server. The third, [`NotifyMailer`] (in [`notify`]), sends it through
//! GOV.UK Notify's API, keeps Notify's id for it and can ask Notify what became of
//! it ([`Mailer::delivery_status`]). Every `lettre` message is built the same way by [`Letterhead::message`]:
//! from the council's name at a no-reply address on the portal's host, a stable
//! `Message-ID` made from the email's id (so a retry is recognisably the same
//! email), the date it was written, and a plain-text and an HTML part.
//!
//! Errors name what failed but never the recipient or the body, so they are safe to
//! log and to store.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use async_trait::async_trait;
use lettre::message::{Mailbox, Message, MultiPart};
use lettre::transport::smtp::extension::ClientId;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use send_domain::{CouncilName, OutgoingEmail};
use url::Url;

pub mod notify;

pub use notify::{NotifyMailer, NotifySettings};

/// How long an SMTP conversation may take before the attempt counts as failed.
/// Well under the outbox lease, so no other worker takes the email meanwhile.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// Why an email could not be delivered this time. The job retries every kind.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The message could not be put together (an address lettre refuses).
    #[error("the message could not be built: {0}")]
    Build(String),
    /// The SMTP server could not be reached, or refused the message.
    #[error("the mail server did not accept the message: {0}")]
    Smtp(#[source] lettre::transport::smtp::Error),
    /// The `.eml` file could not be written.
    #[error("the email file could not be written: {0}")]
    File(#[source] std::io::Error),
    /// The transport is not available (used by test transports and wrappers).
    #[error("the mail transport is unavailable: {0}")]
    Unavailable(String),
    /// GOV.UK Notify refused the request, failed, or could not be reached.
    #[error(transparent)]
    Notify(#[from] notify::NotifyError),
}

impl MailError {
    /// A one-word kind, for logs that must not carry the details.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Build(_) => "build",
            Self::Smtp(err) if err.is_permanent() => "smtp_rejected",
            Self::Smtp(_) => "smtp",
            Self::File(_) => "file",
            Self::Unavailable(_) => "unavailable",
            Self::Notify(err) => err.failure.kind(),
        }
    }

    /// The transport's own error codes, safe to log (GOV.UK Notify's, such as
    /// `BadRequestError`); `None` when it gave none. The rest of the message may
    /// quote a server's words, so logs carry only this and [`MailError::kind`].
    pub fn codes(&self) -> Option<&str> {
        match self {
            Self::Notify(err) if !err.codes.is_empty() => Some(&err.codes),
            _ => None,
        }
    }

    /// Whether retrying alone is unlikely to help (a refused address or API key,
    /// a template that does not fit): the outbox still retries, but logs the
    /// first failure as a warning, so someone looks.
    pub fn needs_attention(&self) -> bool {
        match self {
            Self::Build(_) => true,
            Self::Smtp(err) => err.is_permanent(),
            Self::Notify(err) => err.failure.needs_attention(),
            Self::File(_) | Self::Unavailable(_) => false,
        }
    }
}

/// What a transport that tracks its emails (GOV.UK Notify) knows of one's
/// delivery, in Notify's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportStatus {
    /// `created`: accepted and waiting to be sent.
    Accepted,
    /// `sending`: handed to the email provider, which has not said yet.
    Sending,
    /// `delivered`: the recipient's mail server took it.
    Delivered,
    /// `permanent-failure`: the address does not exist or refuses mail; sending
    /// again will not help.
    PermanentFailure,
    /// `temporary-failure`: the inbox was full or unavailable, and the provider
    /// has stopped trying.
    TemporaryFailure,
    /// `technical-failure`: it was never sent, because of a problem at Notify.
    TechnicalFailure,
    /// A status this version does not know (kept, cut to 40 characters).
    Other(String),
}

impl TransportStatus {
    /// The status as Notify writes it.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Accepted => "created",
            Self::Sending => "sending",
            Self::Delivered => "delivered",
            Self::PermanentFailure => "permanent-failure",
            Self::TemporaryFailure => "temporary-failure",
            Self::TechnicalFailure => "technical-failure",
            Self::Other(other) => other,
        }
    }

    /// Whether the email will not arrive (someone may need to find another way
    /// to reach the person).
    pub fn is_failure(&self) -> bool {
        matches!(
            self,
            Self::PermanentFailure | Self::TemporaryFailure | Self::TechnicalFailure
        )
    }
}

impl fmt::Display for TransportStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `text` with every occurrence of the email address `address` (in any case)
/// replaced by "(the recipient)": for a server's error message that quotes it.
pub fn without_address(text: &str, address: &str) -> String {
    if address.is_empty() {
        return text.to_owned();
    }
    // ASCII lower-casing keeps every byte where it was, so the positions found
    // in the lower-cased copy are the original's.
    let lower = text.to_ascii_lowercase();
    let needle = address.to_ascii_lowercase();
    let mut shown = String::with_capacity(text.len());
    let mut from = 0;
    while let Some(at) = lower[from..].find(&needle) {
        shown.push_str(&text[from..from + at]);
        shown.push_str("(the recipient)");
        from += at + needle.len();
    }
    shown.push_str(&text[from..]);
    shown
}

/// Something that delivers an email. Delivering the same email twice (a retry
/// after an unclear failure) must be harmless: the message is the same, with the
/// same `Message-ID`.
#[async_trait]
pub trait Mailer: Send + Sync + fmt::Debug {
    async fn send(&self, email: &OutgoingEmail) -> Result<(), MailError>;

    /// Delivers the email like [`Mailer::send`], and returns the transport's own
    /// reference for it when the transport can later say what became of it
    /// (GOV.UK Notify's notification id). The outbox keeps it with the email.
    async fn send_tracked(&self, email: &OutgoingEmail) -> Result<Option<String>, MailError> {
        self.send(email).await.map(|()| None)
    }

    /// What became of an email since the transport accepted it, by the
    /// reference [`Mailer::send_tracked`] returned. `None` from a transport that
    /// cannot tell (files, SMTP).
    async fn delivery_status(&self, reference: &str) -> Result<Option<TransportStatus>, MailError> {
        let _ = reference;
        Ok(None)
    }
}

/// Who emails come from: the council's name at `no-reply@` the portal's host.
#[derive(Debug, Clone)]
pub struct Letterhead {
    from: Mailbox,
    domain: String,
}

impl Letterhead {
    /// The letterhead for a portal at `base_url` run by `council`. A host that is
    /// not a mail domain (such as `localhost`) gives `no-reply@localhost`.
    pub fn new(council: &CouncilName, base_url: &Url) -> Self {
        let domain = base_url
            .host_str()
            .map(|host| host.trim_start_matches('[').trim_end_matches(']'))
            .filter(|host| Address::new("no-reply", host).is_ok())
            .unwrap_or("localhost")
            .to_owned();
        let address = Address::new("no-reply", &domain)
            .unwrap_or_else(|_| unreachable!("checked just above"));
        Self {
            from: Mailbox::new(Some(council.as_str().to_owned()), address),
            domain,
        }
    }

    /// The address emails come from.
    pub fn from(&self) -> &Mailbox {
        &self.from
    }

    /// The domain the portal's mail comes from (for `Message-ID` and `EHLO`).
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The message's id, the same on every attempt: `<email id@domain>`.
    pub fn message_id(&self, email: &OutgoingEmail) -> String {
        format!("<{}@{}>", email.id, self.domain)
    }

    /// Builds the message for `email`: text and HTML alternatives, a stable id and
    /// the date it was written (never the time of this attempt).
    pub fn message(&self, email: &OutgoingEmail) -> Result<Message, MailError> {
        let to_address: Address = email
            .to
            .as_str()
            .parse()
            .map_err(|_| MailError::Build("the recipient address was refused".to_owned()))?;
        let to = Mailbox::new(
            email.to_name.as_ref().map(|name| name.as_str().to_owned()),
            to_address,
        );
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject.as_str())
            .message_id(Some(self.message_id(email)))
            .date(email.created_at.into())
            .multipart(MultiPart::alternative_plain_html(
                email.text_body.clone(),
                email.html_body.clone(),
            ))
            .map_err(|err| MailError::Build(err.to_string()))
    }
}

/// Writes each email as `<email id>.eml` in a folder. Writing goes to a temporary
/// file that is then renamed, so a reader never sees half an email, and a retry
/// replaces the file rather than adding a second one.
#[derive(Debug, Clone)]
pub struct FileMailer {
    folder: PathBuf,
    letterhead: Letterhead,
}

impl FileMailer {
    pub fn new(folder: impl Into<PathBuf>, letterhead: Letterhead) -> Self {
        Self {
            folder: folder.into(),
            letterhead,
        }
    }

    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// The file an email is written to.
    pub fn path_for(&self, email: &OutgoingEmail) -> PathBuf {
        self.folder.join(format!("{}.eml", email.id))
    }
}

#[async_trait]
impl Mailer for FileMailer {
    async fn send(&self, email: &OutgoingEmail) -> Result<(), MailError> {
        let bytes = self.letterhead.message(email)?.formatted();
        tokio::fs::create_dir_all(&self.folder)
            .await
            .map_err(MailError::File)?;
        let temporary = self.folder.join(format!(".{}.eml.partial", email.id));
        tokio::fs::write(&temporary, &bytes)
            .await
            .map_err(MailError::File)?;
        tokio::fs::rename(&temporary, self.path_for(email))
            .await
            .map_err(MailError::File)
    }
}

/// Sends over SMTP to the server in an `smtp://` or `smtps://` URL, with the
/// user name and password (percent-encoded) in the URL when the server needs them.
///
/// - `smtps://host[:465]`: TLS from the start.
/// - `smtp://host[:587]`: STARTTLS, required: a server that does not offer it is
///   refused, so a password never crosses the network in the clear.
/// - `smtp://` to a loopback address (`127.0.0.1`, `::1`, `localhost`): STARTTLS
///   when the server offers it, plain otherwise (a local relay, and the tests).
/// - `?tls=opportunistic` or `?tls=required` in the URL chooses explicitly.
#[derive(Clone)]
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    letterhead: Letterhead,
    server: String,
}

impl fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpMailer")
            .field("server", &self.server)
            .finish_non_exhaustive()
    }
}

impl SmtpMailer {
    pub fn from_url(url: &Url, letterhead: Letterhead) -> Result<Self, MailError> {
        let host = url
            .host_str()
            .ok_or_else(|| MailError::Build("the SMTP URL names no server".to_owned()))?;
        let mut url = url.clone();
        let chose_tls = url.query_pairs().any(|(key, _)| key == "tls");
        if url.scheme() == "smtp" && !chose_tls {
            let tls = if is_loopback(host) {
                "opportunistic"
            } else {
                "required"
            };
            url.query_pairs_mut().append_pair("tls", tls);
        }
        let server = format!(
            "{}://{}:{}",
            url.scheme(),
            url.host_str().unwrap_or_default(),
            url.port()
                .map_or_else(|| "default".to_owned(), |p| p.to_string())
        );
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.as_str())
            .map_err(|err| MailError::Build(format!("the SMTP URL was refused: {err}")))?
            .hello_name(ClientId::Domain(letterhead.domain().to_owned()))
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(Self {
            transport,
            letterhead,
            server,
        })
    }
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, email: &OutgoingEmail) -> Result<(), MailError> {
        let message = self.letterhead.message(email)?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(MailError::Smtp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use send_domain::{Email, EmailId, EmailSubject, PersonName};
    use time::macros::datetime;
    use uuid::Uuid;

    fn letterhead(base: &str) -> Letterhead {
        Letterhead::new(
            &CouncilName::parse("Exampleshire Council").unwrap(),
            &Url::parse(base).unwrap(),
        )
    }

    fn email() -> OutgoingEmail {
        OutgoingEmail {
            id: EmailId::from_uuid(Uuid::nil()),
            to: Email::parse("jo@example.org").unwrap(),
            to_name: Some(PersonName::parse("Jo Bloggs").unwrap()),
            subject: EmailSubject::parse("Your code").unwrap(),
            text_body: "Dear Jo,\n\nYour code is 123456.\n".to_owned(),
            html_body: "<p>Dear Jo,</p><p>Your code is 123456.</p>".to_owned(),
            created_at: datetime!(2026-11-23 09:00 UTC),
        }
    }

    #[test]
    fn mail_comes_from_the_council_at_the_portals_host() {
        let head = letterhead("https://send.exampleshire.gov.uk/");
        assert_eq!(
            head.from().to_string(),
            "Exampleshire Council <no-reply@send.exampleshire.gov.uk>"
        );
        assert_eq!(letterhead("http://localhost:8080").domain(), "localhost");
        assert_eq!(letterhead("http://127.0.0.1:8080").domain(), "127.0.0.1");
    }

    #[test]
    fn a_message_is_the_same_on_every_attempt_with_text_and_html() {
        let head = letterhead("https://send.exampleshire.gov.uk/");
        let first = String::from_utf8(head.message(&email()).unwrap().formatted()).unwrap();
        let again = String::from_utf8(head.message(&email()).unwrap().formatted()).unwrap();
        assert!(
            first.contains(
                "Message-ID: <00000000-0000-0000-0000-000000000000@send.exampleshire.gov.uk>"
            ),
            "{first}"
        );
        assert!(
            first.contains("Date: Mon, 23 Nov 2026 09:00:00 +0000"),
            "{first}"
        );
        assert!(
            first.contains("To: \"Jo Bloggs\" <jo@example.org>"),
            "{first}"
        );
        assert!(
            first.contains("Content-Type: multipart/alternative"),
            "{first}"
        );
        assert!(first.contains("Content-Type: text/plain; charset=utf-8"));
        assert!(first.contains("Content-Type: text/html; charset=utf-8"));
        // The MIME boundaries are random; everything else is identical.
        let strip = |s: &str| {
            s.lines()
                .filter(|l| !l.contains("boundary") && !l.starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(strip(&first), strip(&again));
    }

    #[test]
    fn an_address_quoted_in_an_error_is_taken_out_in_any_case() {
        assert_eq!(
            without_address(
                "550 5.1.1 <Jo@Example.org>: rejected; jo@example.org unknown; Siân",
                "jo@example.org"
            ),
            "550 5.1.1 <(the recipient)>: rejected; (the recipient) unknown; Siân"
        );
        assert_eq!(without_address("no address here", ""), "no address here");
    }

    #[test]
    fn smtp_urls_choose_tls_safely() {
        let head = letterhead("https://send.exampleshire.gov.uk/");
        for url in [
            "smtp://user:p%40ss@mail.example.org:587",
            "smtps://mail.example.org",
            "smtp://127.0.0.1:2525",
            "smtp://relay.internal?tls=opportunistic",
        ] {
            let mailer = SmtpMailer::from_url(&Url::parse(url).unwrap(), head.clone()).unwrap();
            assert!(
                !format!("{mailer:?}").contains("p%40ss"),
                "the password is never shown"
            );
        }
        assert!(is_loopback("127.0.0.1") && is_loopback("[::1]") && is_loopback("localhost"));
        assert!(!is_loopback("mail.example.org") && !is_loopback("10.0.0.1"));
    }
}
