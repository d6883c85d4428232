//! Storage traits: one per area, returning domain types, never rows.
//!
//! Each method is one transaction. A use case that writes several things (a change,
//! its audit event, the emails it causes) calls one method that takes them all, so a
//! failure writes nothing. SQL lives only in the implementations (`send-store-sqlite`,
//! `send-store-postgres`); one conformance suite (`send-store-conformance`) holds
//! both to the same behaviour.

use async_trait::async_trait;
use send_domain::{AuditEvent, AuditQuery, OutgoingEmail, StaffSetupLink, TokenHash};

mod accounts;
mod cases;
mod documents;
mod error;
mod involvements;
mod messages;
mod outbox;
mod portal_access;
mod sessions;
mod timeline;

pub use accounts::{AccountStore, NewAccount, PasswordChange};
pub use cases::{CaseStore, ChronologyEntry, PermissionGroup, StaffMembership, Team};
pub use documents::DocumentStore;
pub use error::{StoreError, StoreResult};
pub use involvements::{CaseloadQuery, InvolvementStore};
pub use messages::MessageStore;
pub use outbox::OutboxStore;
pub use portal_access::{
    CHILD_LINK_REQUEST_CONFLICT, INVITATION_STAGE_CONFLICT, LinkChange, PORTAL_LINK_CONFLICT,
    PORTAL_LINK_STATUS_CONFLICT, PortalAccessStore,
};
pub use sessions::SessionRecordStore;
pub use timeline::{ExtraHoliday, TimelineStore};

/// What a change causes, written in the same transaction as the change: its audit
/// events and the emails it sends (into the outbox).
#[derive(Debug, Clone, Default)]
pub struct Effects {
    pub audit: Vec<AuditEvent>,
    pub emails: Vec<OutgoingEmail>,
}

impl Effects {
    /// Just this audit event.
    pub fn audit(event: AuditEvent) -> Self {
        Self {
            audit: vec![event],
            emails: Vec::new(),
        }
    }

    /// These effects and one email more.
    #[must_use]
    pub fn with_email(mut self, email: OutgoingEmail) -> Self {
        self.emails.push(email);
        self
    }
}

/// Writing effects on their own, when a use case changes nothing else (an email
/// and an audit event about an attempt that created nothing).
#[async_trait]
pub trait EffectsStore: Send + Sync {
    /// Writes every audit event and email of `effects` in one transaction.
    async fn record_effects(&self, effects: &Effects) -> StoreResult<()>;
}

/// The audit log: append and search, never update or delete.
#[async_trait]
pub trait AuditStore: Send + Sync {
    async fn record_audit_event(&self, event: &AuditEvent) -> StoreResult<()>;

    /// Events matching the query, newest first, at most `query.limit`.
    async fn search_audit_events(&self, query: &AuditQuery) -> StoreResult<Vec<AuditEvent>>;
}

/// Links to set up back-office accounts.
#[async_trait]
pub trait StaffSetupStore: Send + Sync {
    /// Stores a new link together with its effects (the audit event that records
    /// it, and the email that sends it, if any).
    async fn create_staff_setup_link(
        &self,
        link: &StaffSetupLink,
        effects: &Effects,
    ) -> StoreResult<()>;

    async fn staff_setup_link_by_token(
        &self,
        hash: &TokenHash,
    ) -> StoreResult<Option<StaffSetupLink>>;
}

/// Operational checks.
#[async_trait]
pub trait HealthStore: Send + Sync {
    /// Succeeds when the database answers a trivial query.
    async fn ping(&self) -> StoreResult<()>;

    /// Which engine this is, for logs and the readiness page.
    fn engine(&self) -> &'static str;
}

/// Everything the application needs from storage. Implemented by each database.
pub trait Store:
    AuditStore
    + EffectsStore
    + AccountStore
    + CaseStore
    + InvolvementStore
    + TimelineStore
    + PortalAccessStore
    + MessageStore
    + DocumentStore
    + StaffSetupStore
    + SessionRecordStore
    + OutboxStore
    + HealthStore
    + std::fmt::Debug
    + 'static
{
}

impl<T> Store for T where
    T: AuditStore
        + EffectsStore
        + AccountStore
        + CaseStore
        + InvolvementStore
        + TimelineStore
        + PortalAccessStore
        + MessageStore
        + DocumentStore
        + StaffSetupStore
        + SessionRecordStore
        + OutboxStore
        + HealthStore
        + std::fmt::Debug
        + 'static
{
}
