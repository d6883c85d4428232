//! Portal users and children's cases (LNK-1 to LNK-5): invitations, the per-child
//! links every portal request is checked against, and professionals' requests
//! waiting in the council's suspense list.
//!
//! Steps are guarded: a write names the state it expects to replace and gets
//! `Conflict` when someone else got there first, so a link is accepted once and a
//! request decided once, however many tabs race.

use async_trait::async_trait;
use send_domain::{
    ChildId, ChildLinkRequest, ChildLinkRequestId, Invitation, InvitationId, LinkStatus,
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
    /// `openings_limit` (`None`: not read, for a professional).
    pub openings_since: Option<OffsetDateTime>,
    pub openings_limit: u32,
}

/// Everything the SEND Dashboard shows of a child, read in one transaction so
/// that the page is one moment's state, whatever the number of messages.
#[derive(Debug, Clone, PartialEq)]
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

    /// Everything the SEND Dashboard shows of a child for one person, in one
    /// read transaction of a few queries (the caller has checked the person's
    /// link). Counts are counted, never loaded.
    async fn dashboard(&self, query: &DashboardQuery) -> StoreResult<DashboardRead>;
}
