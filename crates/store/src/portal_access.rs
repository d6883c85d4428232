//! Portal users and children's cases (LNK-1 to LNK-5): invitations, the per-child
//! links every portal request is checked against, and professionals' requests
//! waiting in the council's suspense list.
//!
//! Steps are guarded: a write names the state it expects to replace and gets
//! `Conflict` when someone else got there first, so a link is accepted once and a
//! request decided once, however many tabs race.

use async_trait::async_trait;
use send_domain::{
    Child, ChildId, ChildLinkRequest, ChildLinkRequestId, Invitation, InvitationId, LinkStatus,
    PortalLink, PortalLinkId, TeamId, TokenHash, UserId,
};

use send_domain::RecordOpening;
use send_domain::advice::AdviceRequest;
use send_domain::forms::{FormAssignment, FormDraft, FormVersion};
use send_domain::involvements::Involvement;
use send_domain::milestones::LocalMilestone;
use time::OffsetDateTime;

use crate::{ExtraHoliday, StoreResult, Write};

/// What the SEND Dashboard reads about a child for one linked person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DashboardQuery {
    pub child: ChildId,
    pub account: UserId,
    /// "Who has looked at this record" since then, newest first, at most
    /// `openings_limit`: read only for the family (a parent or the young
    /// person, by their link's role), never for a professional; `None`: not
    /// read.
    pub openings_since: Option<OffsetDateTime>,
    pub openings_limit: u32,
}

/// Everything the SEND Dashboard shows of a child, read in one transaction so
/// that the page is one moment's state, whatever the number of messages.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DashboardRead {
    /// The child's involvements, newest opened first (as
    /// `involvements_of_child`).
    pub involvements: Vec<Involvement>,
    /// The name of each of those involvements' caseworkers, by account.
    pub caseworkers: Vec<(UserId, String)>,
    /// The child's requests for advice, on every involvement (as
    /// `advice_requests_of_child`).
    pub advice: Vec<AdviceRequest>,
    pub local_milestones: Vec<LocalMilestone>,
    pub extra_holidays: Vec<ExtraHoliday>,
    /// Messages about the child the person has not read (as `unread_messages`).
    pub unread_messages: u64,
    /// Documents about the child shared with the person, message attachments
    /// left out.
    pub shared_documents: u64,
    /// The forms given about the child, newest first (as
    /// `form_assignments_for_children`).
    pub assignments: Vec<FormAssignment>,
    /// The person's saved drafts about the child, newest first.
    pub drafts: Vec<FormDraft>,
    /// The live version of each form in `assignments` that is not retired.
    pub live_versions: Vec<FormVersion>,
    /// As `record_openings`, when asked.
    pub openings: Vec<RecordOpening>,
}

/// A person's link to a child and the child, read together in one snapshot:
/// the portal's access check of every page of a child.
#[derive(Debug, Clone, PartialEq)]
pub struct PortalCase {
    /// The link between the person and the child, whatever its status.
    pub link: Option<PortalLink>,
    /// The child, read only while the link is active: no other status lets a
    /// portal user see anything of a child (`portal_may`).
    pub child: Option<Child>,
}

/// The SEND Dashboard's one read: the access check's link and child, and,
/// only while the link is active, everything the page shows, all of one
/// moment.
#[derive(Debug, Clone, PartialEq)]
pub struct PortalDashboard {
    pub case: PortalCase,
    /// `None` unless the link is active (as `case.child`).
    pub read: Option<DashboardRead>,
}

/// Conflict constraint names, for callers that match on them.
pub const INVITATION_STAGE_CONFLICT: &str = "invitation_stage";
pub const PORTAL_LINK_CONFLICT: &str = "portal_links_child_account";
pub const PORTAL_LINK_STATUS_CONFLICT: &str = "portal_link_status";
pub const CHILD_LINK_REQUEST_CONFLICT: &str = "child_link_request_decided";

/// A link to write with another change: created when `expected` is `None` (a
/// `Conflict { constraint: PORTAL_LINK_CONFLICT }` if the person already has a
/// link to the child), otherwise updated only if its stored status is still
/// `expected` (else `Conflict { constraint: PORTAL_LINK_STATUS_CONFLICT }`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkChange {
    pub link: PortalLink,
    pub expected: Option<LinkStatus>,
}

impl From<LinkChange> for Write {
    fn from(change: LinkChange) -> Self {
        match change.expected {
            None => Write::InsertPortalLink(change.link),
            Some(expected) => Write::UpdatePortalLink {
                link: change.link,
                expected,
            },
        }
    }
}

#[async_trait]
pub trait PortalAccessStore: Send + Sync {
    async fn invitation(&self, id: InvitationId) -> StoreResult<Option<Invitation>>;

    /// The invitation whose current "Accept Portal Invitation" link has this hash.
    async fn invitation_by_link(&self, hash: &TokenHash) -> StoreResult<Option<Invitation>>;

    /// A child's invitations, newest first.
    async fn invitations_for_child(&self, child: ChildId) -> StoreResult<Vec<Invitation>>;

    /// Accepted invitations waiting for the SEND team, for children of `teams`
    /// (`None`: every team), oldest acceptance first, at most `limit`.
    async fn invitations_awaiting_decision(
        &self,
        teams: Option<&[TeamId]>,
        limit: u32,
    ) -> StoreResult<Vec<Invitation>>;

    /// The link between this person and this child, whatever its status.
    async fn portal_link(&self, child: ChildId, account: UserId)
    -> StoreResult<Option<PortalLink>>;

    /// The link between this person and this child and, while it is active,
    /// the child: the portal's access check, in one store call (on SQLite one
    /// read transaction on one reader; on PostgreSQL two statements on one
    /// connection, the child read only once the link was found active).
    async fn portal_case(&self, child: ChildId, account: UserId) -> StoreResult<PortalCase>;

    async fn portal_link_by_id(&self, id: PortalLinkId) -> StoreResult<Option<PortalLink>>;

    /// Every link to a child, oldest first.
    async fn portal_links_for_child(&self, child: ChildId) -> StoreResult<Vec<PortalLink>>;

    /// Every link a person has, oldest first.
    async fn portal_links_for_account(&self, account: UserId) -> StoreResult<Vec<PortalLink>>;

    async fn child_link_request(
        &self,
        id: ChildLinkRequestId,
    ) -> StoreResult<Option<ChildLinkRequest>>;

    /// Requests nobody has decided yet (the suspense list), oldest first, at most
    /// `limit`.
    async fn child_link_requests_waiting(&self, limit: u32) -> StoreResult<Vec<ChildLinkRequest>>;

    /// A professional's own requests, newest first.
    async fn child_link_requests_for_account(
        &self,
        account: UserId,
    ) -> StoreResult<Vec<ChildLinkRequest>>;

    /// The person's link to the child (as `portal_case`) and, while it is
    /// active, everything the SEND Dashboard shows of the child for them, in
    /// one read transaction of a few queries: the access check and the page
    /// are of one moment. Counts are counted, never loaded.
    async fn dashboard(&self, query: &DashboardQuery) -> StoreResult<PortalDashboard>;
}
