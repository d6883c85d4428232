//! Emails: writing them (plain, accessible, from the council) and the job that
//! delivers the outbox (DESIGN NTF-4).
//!
//! A use case builds its email with [`App::compose_email`] and stores it with its
//! change in one store call, so an email exists exactly when its cause does. The
//! server's worker then calls [`deliver_due_emails`] every few seconds: it leases
//! due emails, hands each to the [`Mailer`], and records it sent, or failed with
//! the next attempt backed off (30 s doubling to an hour). An email is retried
//! until it goes; after [`WARN_AFTER_ATTEMPTS`] failures each further failure is
//! logged as a warning, naming the email's id, never its recipient or content.
//!
//! "Never sent twice": an email is leased to one worker at a time and, once
//! recorded sent, never claimed again. If a worker stops between the transport
//! accepting a message and recording it, the email is sent again after its lease;
//! its `Message-ID` is the same, so mail systems can recognise the repeat.

use askama::Template;
use send_domain::{
    ClaimedEmail, DeliveryState, Email, EmailId, EmailSubject, OutboxEntry, OutgoingEmail,
    PersonName, retry_delay,
};
use time::{Duration, OffsetDateTime};

use crate::ids::new_uuid;
use crate::mail::{MailError, Mailer, TransportStatus, without_address};
use crate::{App, AppError, AppResult};

/// How many emails one run of the job leases at most.
pub const BATCH_SIZE: u32 = 20;

/// How long a worker holds the emails it leased, unless the settings say otherwise
/// ([`Settings::email_lease`](crate::Settings)). Far longer than one batch can take
/// (each SMTP attempt times out after 30 seconds), so no email is given to a second
/// worker while the first is still sending it.
pub const LEASE: Duration = Duration::minutes(15);

/// After this many failed attempts, each further failure is logged as a warning.
pub const WARN_AFTER_ATTEMPTS: u32 = 5;

/// The most emails [`App::email_deliveries`] lists.
pub const MOST_DELIVERIES_LISTED: u32 = 500;

/// One email's delivery, as an operator sees it: its id and times, never its
/// recipient, subject or text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailDelivery {
    pub email_id: EmailId,
    pub created_at: OffsetDateTime,
    pub state: DeliveryState,
    /// The transport's reference for the sent email (GOV.UK Notify's id).
    pub transport_reference: Option<String>,
    /// What the transport says of it now: `None` when it keeps no reference or
    /// cannot tell, `Err` with a summary when asking failed.
    pub transport_status: Option<Result<TransportStatus, String>>,
}

/// The email templates only write `&str`s into a `String`, which cannot fail.
const RENDERING_CANNOT_FAIL: &str = "email templates write only text into a String";

/// The most a stored error summary holds.
const ERROR_SUMMARY_CHARS: usize = 500;

#[derive(Template)]
#[template(path = "email/message.txt")]
struct TextEmail<'a> {
    council: &'a str,
    contact: &'a str,
    name: Option<&'a str>,
    paragraphs: &'a [String],
}

#[derive(Template)]
#[template(path = "email/message.html")]
struct HtmlEmail<'a> {
    council: &'a str,
    contact: &'a str,
    subject: &'a str,
    name: Option<&'a str>,
    paragraphs: &'a [String],
}

impl App {
    /// Writes an email from the council: a greeting with the recipient's name (the
    /// only personal data an email may carry), the paragraphs, and the council's
    /// sign-off, and a footer with the SEND team's contact details in force (so
    /// the family can check the email came from the council), as plain text and
    /// simple HTML without images or tracking.
    ///
    /// Paragraphs are plain text (they are escaped in the HTML). Never put a
    /// password, or anyone else's personal data, in one.
    pub fn compose_email(
        &self,
        to: Email,
        to_name: Option<PersonName>,
        subject: EmailSubject,
        paragraphs: &[String],
    ) -> OutgoingEmail {
        let council = self.settings.council_name.as_str();
        let name = to_name.as_ref().map(PersonName::as_str);
        let contact = self.contact_sentence();
        let contact = contact.as_str();
        let text_body = TextEmail {
            council,
            contact,
            name,
            paragraphs,
        }
        .render()
        .unwrap_or_else(|err| unreachable!("{err}: {RENDERING_CANNOT_FAIL}"));
        let html_body = HtmlEmail {
            council,
            contact,
            subject: subject.as_str(),
            name,
            paragraphs,
        }
        .render()
        .unwrap_or_else(|err| unreachable!("{err}: {RENDERING_CANNOT_FAIL}"));
        OutgoingEmail {
            id: EmailId::from_uuid(new_uuid(self.clock.as_ref())),
            to,
            to_name,
            subject,
            text_body,
            html_body,
            created_at: self.clock.now(),
        }
    }

    /// Puts one email in the outbox on its own. A use case whose change causes an
    /// email stores both in one store call instead.
    #[tracing::instrument(skip_all, fields(email_id = %email.id))]
    pub async fn queue_email(&self, email: &OutgoingEmail) -> AppResult<()> {
        self.store.enqueue_email(email).await?;
        Ok(())
    }

    /// The delivery of the most recent `limit` emails (at most
    /// [`MOST_DELIVERIES_LISTED`]), newest first, asking `mailer` what became of
    /// each sent one it tracks (GOV.UK Notify). For operators (`send-portal
    /// email-status`): ids, times and statuses, never who an email was to or what
    /// it said. A failure to ask about one email is kept with that email.
    #[tracing::instrument(skip_all, fields(limit))]
    pub async fn email_deliveries(
        &self,
        mailer: &dyn Mailer,
        limit: u32,
    ) -> AppResult<Vec<EmailDelivery>> {
        let entries = self
            .store
            .outbox_emails(limit.min(MOST_DELIVERIES_LISTED))
            .await?;
        let mut deliveries = Vec::with_capacity(entries.len());
        for entry in entries {
            let transport_status = match (&entry.state, &entry.transport_reference) {
                (DeliveryState::Sent { .. }, Some(reference)) => {
                    match mailer.delivery_status(reference).await {
                        Ok(status) => status.map(Ok),
                        Err(err) => {
                            tracing::info!(
                                email_id = %entry.email.id,
                                error_kind = err.kind(),
                                "the mail transport could not say what became of an email"
                            );
                            Some(Err(err.to_string()))
                        }
                    }
                }
                _ => None,
            };
            // A server's error may quote the address; the list never shows it.
            let state = match entry.state {
                DeliveryState::Pending {
                    attempts,
                    next_attempt_at,
                    last_error,
                } => DeliveryState::Pending {
                    attempts,
                    next_attempt_at,
                    last_error: last_error
                        .map(|error| without_address(&error, entry.email.to.as_str())),
                },
                sent @ DeliveryState::Sent { .. } => sent,
            };
            deliveries.push(EmailDelivery {
                email_id: entry.email.id,
                created_at: entry.email.created_at,
                state,
                transport_reference: entry.transport_reference,
                transport_status,
            });
        }
        Ok(deliveries)
    }

    /// The most recent emails, newest first, for the demo's email page. Refused
    /// (`NotFound`) unless this is a demonstration instance.
    #[tracing::instrument(skip_all)]
    pub async fn demo_outbox(&self, limit: u32) -> AppResult<Vec<OutboxEntry>> {
        if !self.settings.demo {
            return Err(AppError::NotFound);
        }
        Ok(self.store.outbox_emails(limit).await?)
    }
}

/// One run of the delivery job: leases the due emails and tries each once.
/// Returns how many were sent. A failed email is scheduled again with backoff; only
/// a storage failure ends the run early (its emails are due again when their lease
/// ends).
#[tracing::instrument(skip_all)]
pub async fn deliver_due_emails(app: &App, mailer: &dyn Mailer) -> AppResult<usize> {
    let claimed = app
        .store
        .claim_due_emails(app.clock.now(), BATCH_SIZE, app.settings.email_lease)
        .await?;
    let mut sent = 0;
    for ClaimedEmail { email, attempts } in claimed {
        match mailer.send_tracked(&email).await {
            Ok(reference) => {
                app.store
                    .mark_email_sent(email.id, app.clock.now(), reference.as_deref())
                    .await?;
                tracing::info!(
                    email_id = %email.id,
                    attempts = attempts + 1,
                    transport_reference = reference.as_deref(),
                    "email sent"
                );
                sent += 1;
            }
            Err(err) => record_failure(app, email.id, attempts, &err).await?,
        }
    }
    Ok(sent)
}

async fn record_failure(
    app: &App,
    id: EmailId,
    earlier_failures: u32,
    err: &MailError,
) -> AppResult<()> {
    let attempts = earlier_failures.saturating_add(1);
    let next_attempt_at = app.clock.now() + retry_delay(attempts);
    let summary: String = err.to_string().chars().take(ERROR_SUMMARY_CHARS).collect();
    app.store
        .mark_email_failed(id, attempts, next_attempt_at, &summary)
        .await?;
    if err.needs_attention() {
        tracing::warn!(
            email_id = %id,
            attempts,
            error_kind = err.kind(),
            error_codes = err.codes(),
            %next_attempt_at,
            "the mail transport refused an email; check the mail settings (it will be tried again)"
        );
    } else if attempts >= WARN_AFTER_ATTEMPTS {
        tracing::warn!(
            email_id = %id,
            attempts,
            error_kind = err.kind(),
            error_codes = err.codes(),
            %next_attempt_at,
            "an email has still not been delivered; it will be tried again"
        );
    } else {
        tracing::info!(
            email_id = %id,
            attempts,
            error_kind = err.kind(),
            error_codes = err.codes(),
            %next_attempt_at,
            "email delivery failed; it will be tried again"
        );
    }
    Ok(())
}
