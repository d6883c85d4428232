//! Storage traits: one per area, returning domain types, never rows.
//!
//! Reads are one method each, named for what the caller wants. Writes are data:
//! a use case builds one [`Changes`] (its writes, each with its guard, and their
//! effects) and [`UnitOfWorkStore::commit`]s it in one transaction, so a failure
//! writes nothing. A few writes stay methods of their own because they claim
//! something and report what they claimed (one-time codes, recovery codes,
//! authenticator steps, outbox leases, sessions): see ARCHITECTURE.md. SQL lives only in the implementations (`send-store-sqlite`,
//! `send-store-postgres`); one conformance suite (`send-store-conformance`) holds
//! both to the same behaviour.

use async_trait::async_trait;
use send_domain::{
    AuditEvent, AuditQuery, ChildId, RecordOpening, StaffSetupLink, StaffSetupLinkId, TokenHash,
};
use time::OffsetDateTime;

mod accounts;
mod advice;
mod cases;
mod changes;
mod council_texts;
mod documents;
mod error;
mod forms;
mod incoming_forms;
mod involvements;
mod jobs;
mod messages;
mod notifications;
mod outbox;
mod people;
mod portal_access;
mod sessions;
mod timeline;

pub use accounts::{AccountStore, NewAccount, PasswordChange};
pub use advice::{ADVICE_REQUEST_CHANGED, AdviceStore};
pub use cases::{CaseStore, ChronologyEntry, PermissionGroup, StaffMembership, Team};
pub use changes::{
    CHILD_CHANGED, Changes, Committed, Effects, FORM_CHANGED, INVOLVEMENT_CHANGED,
    LAST_ADMINISTRATOR, PERMISSION_GROUP_IN_USE, STAFF_SETUP_LINK_CHANGED, TEAM_IN_USE,
    THREAD_CHANGED, UnitOfWorkStore, WhichSessions, Write,
};
pub use council_texts::CouncilTextStore;
pub use documents::DocumentStore;
pub use error::{StoreError, StoreResult};
pub use forms::{FormStore, SubmissionQuery};
pub use incoming_forms::{
    CandidateQuery, IncomingFormStore, ProcessingCounts, ProcessingQuery, SUBMISSION_CHANGED,
};
pub use involvements::{CaseloadQuery, InvolvementStore};
pub use jobs::{JOB_CLAIM_LOST, JobCounts, JobStore};
pub use messages::{MessageStore, ThreadActivity};
pub use notifications::NotificationStore;
pub use outbox::OutboxStore;
pub use people::{PeopleStore, Person};
pub use portal_access::{
    CHILD_LINK_REQUEST_CONFLICT, DashboardQuery, DashboardRead, INVITATION_STAGE_CONFLICT,
    LinkChange, PORTAL_LINK_CONFLICT, PORTAL_LINK_STATUS_CONFLICT, PortalAccessStore, PortalCase,
    PortalDashboard,
};
pub use sessions::SessionRecordStore;
pub use timeline::{ExtraHoliday, TimelineStore};

/// The audit log: append and search, never update or delete.
#[async_trait]
pub trait AuditStore: Send + Sync {
    async fn record_audit_event(&self, event: &AuditEvent) -> StoreResult<()>;

    /// Events matching the query, newest first, at most `query.limit`.
    async fn search_audit_events(&self, query: &AuditQuery) -> StoreResult<Vec<AuditEvent>>;

    /// Who outside the family opened a child's record since `since`, newest
    /// first, at most `limit`: a member of staff's opening of the record
    /// (`child.viewed`) and a professional's of the SEND Dashboard
    /// (`dashboard.viewed`), each that succeeded, with the staff member's role and
    /// team or the professional's job and organisation. One query.
    async fn record_openings(
        &self,
        child: ChildId,
        since: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<RecordOpening>>;
}

/// Links to set up back-office accounts.
#[async_trait]
pub trait StaffSetupStore: Send + Sync {
    async fn staff_setup_link_by_token(
        &self,
        hash: &TokenHash,
    ) -> StoreResult<Option<StaffSetupLink>>;

    async fn staff_setup_link(&self, id: StaffSetupLinkId) -> StoreResult<Option<StaffSetupLink>>;

    /// Links neither used nor withdrawn (expired ones too), newest first.
    async fn pending_staff_setup_links(&self) -> StoreResult<Vec<StaffSetupLink>>;
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
    + UnitOfWorkStore
    + AccountStore
    + CaseStore
    + InvolvementStore
    + TimelineStore
    + FormStore
    + IncomingFormStore
    + AdviceStore
    + JobStore
    + PortalAccessStore
    + MessageStore
    + NotificationStore
    + CouncilTextStore
    + DocumentStore
    + StaffSetupStore
    + PeopleStore
    + SessionRecordStore
    + OutboxStore
    + HealthStore
    + std::fmt::Debug
    + 'static
{
}

impl<T> Store for T where
    T: AuditStore
        + UnitOfWorkStore
        + AccountStore
        + CaseStore
        + InvolvementStore
        + TimelineStore
        + FormStore
        + IncomingFormStore
        + AdviceStore
        + JobStore
        + AdviceStore
        + JobStore
        + PortalAccessStore
        + MessageStore
        + NotificationStore
        + CouncilTextStore
        + DocumentStore
        + StaffSetupStore
        + PeopleStore
        + SessionRecordStore
        + OutboxStore
        + HealthStore
        + std::fmt::Debug
        + 'static
{
}
