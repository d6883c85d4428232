//! Storage traits: one per area, returning domain types, never rows.
//!
//! Each method is one transaction. A use case that writes several things (a change,
//! its audit event, the emails it causes) calls one method that takes them all, so a
//! failure writes nothing. SQL lives only in the implementations (`send-store-sqlite`,
//! `send-store-postgres`); one conformance suite (`send-store-conformance`) holds
//! both to the same behaviour.

use async_trait::async_trait;
use send_domain::{AuditEvent, AuditQuery, StaffSetupLink, TokenHash};

mod error;
mod outbox;
mod sessions;

pub use error::{StoreError, StoreResult};
pub use outbox::OutboxStore;
pub use sessions::SessionRecordStore;

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
    /// Stores a new link together with the audit event that records it.
    async fn create_staff_setup_link(
        &self,
        link: &StaffSetupLink,
        audit: &AuditEvent,
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
        + StaffSetupStore
        + SessionRecordStore
        + OutboxStore
        + HealthStore
        + std::fmt::Debug
        + 'static
{
}
