//! The email outbox (DESIGN NTF-4).
//!
//! A use case that causes an email writes it in the same transaction as its change
//! (each store has an `insert` on an open connection for that); `enqueue_email`
//! is for an email on its own. Workers then lease due emails with
//! `claim_due_emails`, and report each one sent or failed.

use async_trait::async_trait;
use send_domain::{ClaimedEmail, EmailId, OutboxEntry, OutgoingEmail};
use time::{Duration, OffsetDateTime};

use crate::StoreResult;

#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// Stores a new email, due at once. `Conflict` if its id is taken.
    async fn enqueue_email(&self, email: &OutgoingEmail) -> StoreResult<()>;

    /// Leases up to `limit` unsent emails that are due at `now` (oldest due first)
    /// until `now + lease`, atomically: an email leased to one worker is given to no
    /// other until the lease ends. A worker that stops mid-way loses nothing: its
    /// emails are due again when their lease ends.
    async fn claim_due_emails(
        &self,
        now: OffsetDateTime,
        limit: u32,
        lease: Duration,
    ) -> StoreResult<Vec<ClaimedEmail>>;

    /// Records that the email was handed to the transport, with the transport's
    /// own reference for it if it gave one (GOV.UK Notify's notification id); it
    /// is never claimed again. Does nothing to an email already sent. `NotFound`
    /// if there is no such email.
    async fn mark_email_sent(
        &self,
        id: EmailId,
        at: OffsetDateTime,
        transport_reference: Option<&str>,
    ) -> StoreResult<()>;

    /// Records a failed attempt: `attempts` failures in all, the next attempt due at
    /// `next_attempt_at`. Does nothing to an email already sent. `NotFound` if there
    /// is no such email.
    async fn mark_email_failed(
        &self,
        id: EmailId,
        attempts: u32,
        next_attempt_at: OffsetDateTime,
        error_summary: &str,
    ) -> StoreResult<()>;

    /// The most recent emails, newest first, with their delivery state (the demo's
    /// email page).
    async fn outbox_emails(&self, limit: u32) -> StoreResult<Vec<OutboxEntry>>;
}
