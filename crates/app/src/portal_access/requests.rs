//! Professionals' requests to see a child they work with (LNK-4): the request
//! waits in the council's suspense list until a caseworker matches it to a child
//! (the professional is then authenticated for that child) or declines it.
//!
//! Who may see and decide a request: a request names a child as the professional
//! typed it, and until it is matched nobody knows whose team's child that is. So
//! the suspense list, and opening, matching or declining a waiting request, are
//! for staff who manage portal users *and* may work on every team's cases
//! ([`Permission::AllTeams`]). Once matched, a request also belongs to the child's
//! team: staff who may manage access for that child may open it. Anyone else is
//! answered as if the request did not exist (404), the refusal audited, nothing
//! written.

use send_domain::staff::{Decision, staff_may};
use send_domain::{
    AccountKind, Actor, AuditAction, AuditOutcome, CaseAction, ChildId, ChildLinkRequest,
    ChildLinkRequestId, LinkStatus, Permission, PortalLink, PortalLinkId, PortalRole, StaffAccess,
    TeamId, UserId,
};
use send_store::{CHILD_LINK_REQUEST_CONFLICT, Changes, Effects, LinkChange, StoreError, Write};

use super::invitations::AWAITING_LIMIT;
use crate::audit::Source;
use crate::ids::new_uuid;
use crate::incoming_forms::Candidate;
use crate::{App, AppError, AppResult};

/// How many requests the suspense list shows at most.
pub const SUSPENSE_LIMIT: u32 = 200;

/// How many suggested children a request shows at most.
pub const SUGGESTION_LIMIT: usize = 10;

/// A request in the suspense list, with the professional who made it.
#[derive(Debug, Clone)]
pub struct WaitingRequest {
    pub request: ChildLinkRequest,
    pub professional: Option<send_domain::Account>,
}

/// Why a request could not be decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RequestProblem {
    #[error("Someone else has already dealt with this request")]
    AlreadyDecided,
    /// The reason is missing, too long or has invisible characters.
    #[error("{0}")]
    Reason(send_domain::ChangeReasonError),
    #[error(
        "You have {OPEN_REQUESTS_LIMIT} requests waiting for the SEND team. You can ask for more \
         children when they have dealt with some of them"
    )]
    TooManyOpen,
}

/// How many requests one professional may have waiting at once: enough for a
/// SENCO's week, few enough that one account cannot flood the SEND team.
pub const OPEN_REQUESTS_LIMIT: usize = 10;

impl App {
    fn request_event(
        &self,
        actor: UserId,
        action: AuditAction,
        request: &ChildLinkRequest,
        child: Option<ChildId>,
        source: &Source,
    ) -> send_domain::AuditEvent {
        let mut event =
            self.audit_event(Actor::User(actor), action, AuditOutcome::Succeeded, source);
        event.child_id = child;
        event.subject = Some(format!("child_link_request:{}", request.id));
        event
    }

    /// A professional asks to be linked to a child they work with. Only
    /// professional accounts may, and only [`OPEN_REQUESTS_LIMIT`] may wait at once.
    #[tracing::instrument(skip_all, fields(account_id = %account))]
    pub async fn request_child_link(
        &self,
        account: UserId,
        mut request: ChildLinkRequest,
        source: &Source,
    ) -> AppResult<Result<ChildLinkRequestId, RequestProblem>> {
        let found = self.store.account_by_id(account).await?;
        if found.is_none_or(|a| a.kind != AccountKind::Professional) {
            return Err(AppError::Forbidden);
        }
        let waiting = self
            .store
            .child_link_requests_for_account(account)
            .await?
            .iter()
            .filter(|r| r.decision.is_none())
            .count();
        if waiting >= OPEN_REQUESTS_LIMIT {
            let mut event = self.request_event(
                account,
                AuditAction::ChildLinkRequested,
                &request,
                None,
                source,
            );
            event.outcome = AuditOutcome::Refused;
            event.detail = Some(format!("{waiting} requests already waiting"));
            self.store.record_audit_event(&event).await?;
            return Ok(Err(RequestProblem::TooManyOpen));
        }
        request.id = ChildLinkRequestId::from_uuid(new_uuid(self.clock.as_ref()));
        request.account_id = account;
        request.created_at = self.clock.now();
        request.decision = None;
        let event = self.request_event(
            account,
            AuditAction::ChildLinkRequested,
            &request,
            None,
            source,
        );
        self.store
            .commit(
                &Changes::new()
                    .with(Write::InsertChildLinkRequest(request.clone()))
                    .with_audit(event),
            )
            .await?;
        Ok(Ok(request.id))
    }

    /// A professional's own requests, newest first.
    #[tracing::instrument(skip_all, fields(account_id = %account))]
    pub async fn my_child_link_requests(
        &self,
        account: UserId,
    ) -> AppResult<Vec<ChildLinkRequest>> {
        Ok(self.store.child_link_requests_for_account(account).await?)
    }

    fn require_portal_admin(access: &StaffAccess) -> AppResult<()> {
        if access.has(Permission::ManagePortalUsers) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Whether this member of staff deals with professionals' waiting requests
    /// (the suspense list): those who manage portal users for every team.
    pub fn deals_with_child_link_requests(access: &StaffAccess) -> bool {
        access.has(Permission::ManagePortalUsers) && access.has(Permission::AllTeams)
    }

    /// The request, if this member of staff may see it (see the module's notes);
    /// otherwise the refusal is audited under `action` and the answer is
    /// `NotFound`, as for a request that does not exist.
    async fn authorise_request(
        &self,
        access: &StaffAccess,
        id: ChildLinkRequestId,
        action: AuditAction,
        source: &Source,
    ) -> AppResult<ChildLinkRequest> {
        Self::require_portal_admin(access)?;
        let request = self.store.child_link_request(id).await?;
        let allowed = match &request {
            None => false,
            Some(_) if Self::deals_with_child_link_requests(access) => true,
            Some(request) => match request.decision.as_ref().and_then(|d| d.matched_child) {
                Some(child) => self.store.child(child).await?.is_some_and(|child| {
                    staff_may(access, CaseAction::ManageAccess, child.team_id) == Decision::Allowed
                }),
                None => false,
            },
        };
        if let (true, Some(request)) = (allowed, request) {
            return Ok(request);
        }
        let mut event = self.audit_event(
            Actor::User(access.account_id),
            action,
            AuditOutcome::Refused,
            source,
        );
        event.subject = Some(format!("child_link_request:{id}"));
        event.detail = Some("not for this member of staff".to_owned());
        self.store.record_audit_event(&event).await?;
        Err(AppError::NotFound)
    }

    /// The suspense list: requests nobody has dealt with, oldest first. Empty for
    /// staff who do not deal with them.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn suspense_list(&self, access: &StaffAccess) -> AppResult<Vec<WaitingRequest>> {
        Self::require_portal_admin(access)?;
        if !Self::deals_with_child_link_requests(access) {
            return Ok(Vec::new());
        }
        let mut rows = Vec::new();
        for request in self
            .store
            .child_link_requests_waiting(SUSPENSE_LIMIT)
            .await?
        {
            let professional = self.store.account_by_id(request.account_id).await?;
            rows.push(WaitingRequest {
                request,
                professional,
            });
        }
        Ok(rows)
    }

    /// How many portal requests wait for this member of staff: accepted
    /// invitations to confirm (their teams' children) and, for those who deal
    /// with them, professionals' requests in the suspense list. `None` for staff
    /// who do not manage portal users.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn portal_requests_waiting(&self, access: &StaffAccess) -> AppResult<Option<usize>> {
        if !access.has(Permission::ManagePortalUsers) {
            return Ok(None);
        }
        let own: Vec<TeamId> = access.team_id.into_iter().collect();
        let teams = (!access.has(Permission::AllTeams)).then_some(own.as_slice());
        let invitations = self
            .store
            .invitations_awaiting_decision(teams, AWAITING_LIMIT)
            .await?
            .len();
        let requests = if Self::deals_with_child_link_requests(access) {
            self.store
                .child_link_requests_waiting(SUSPENSE_LIMIT)
                .await?
                .len()
        } else {
            0
        };
        Ok(Some(invitations + requests))
    }

    /// One request with the children it may be about, best first: the one
    /// matcher's candidates (found by identifier, date of birth, surname and
    /// postcode) among the children the caseworker may see, each with its reasons.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, child_link_request_id = %id))]
    pub async fn child_link_request(
        &self,
        access: &StaffAccess,
        id: ChildLinkRequestId,
        source: &Source,
    ) -> AppResult<(WaitingRequest, Vec<Candidate>)> {
        let request = self
            .authorise_request(access, id, AuditAction::ChildLinkViewed, source)
            .await?;
        let suggestions = self
            .visible_candidates(access, &request.details(), SUGGESTION_LIMIT)
            .await?;
        let professional = self.store.account_by_id(request.account_id).await?;
        Ok((
            WaitingRequest {
                request,
                professional,
            },
            suggestions,
        ))
    }

    /// Matches a request to a child: the professional is authenticated for it.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, child_link_request_id = %id, child_id = %child_id))]
    pub async fn match_child_link_request(
        &self,
        access: &StaffAccess,
        id: ChildLinkRequestId,
        child_id: ChildId,
        source: &Source,
    ) -> AppResult<Result<(), RequestProblem>> {
        let request = self
            .authorise_request(access, id, AuditAction::ChildLinkMatched, source)
            .await?;
        let child = self
            .authorise_child(access, CaseAction::ManageAccess, child_id, source)
            .await?;
        let now = self.clock.now();
        let Ok(decided) = request.match_to(child.id, access.account_id, now) else {
            return Ok(Err(RequestProblem::AlreadyDecided));
        };
        let professional = self
            .store
            .account_by_id(request.account_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let existing = self.store.portal_link(child.id, professional.id).await?;
        let link = match existing {
            Some(link) if link.status == LinkStatus::Active => None,
            Some(link) => Some(LinkChange {
                link: PortalLink {
                    status: LinkStatus::Active,
                    status_since: now,
                    status_by: Some(access.account_id),
                    request_id: Some(request.id),
                    role: PortalRole::Professional,
                    ..link.clone()
                },
                expected: Some(link.status),
            }),
            None => Some(LinkChange {
                link: PortalLink {
                    id: PortalLinkId::from_uuid(new_uuid(self.clock.as_ref())),
                    child_id: child.id,
                    account_id: professional.id,
                    role: PortalRole::Professional,
                    status: LinkStatus::Active,
                    status_since: now,
                    status_by: Some(access.account_id),
                    invitation_id: None,
                    request_id: Some(request.id),
                    created_at: now,
                },
                expected: None,
            }),
        };
        let entry = self.chronology_entry(
            child.id,
            access.account_id,
            "child_link.matched",
            format!(
                "{} ({}) linked to this child as a professional",
                professional.name, request.relationship
            ),
            None,
        );
        let event = self.request_event(
            access.account_id,
            AuditAction::ChildLinkMatched,
            &request,
            Some(child.id),
            source,
        );
        let child_full_name = format!("{} {}", request.first_name, request.last_name);
        let url = self.link("/sign-in");
        let email = self.council_email(
            &*self.texts().await?,
            "child_link_accepted",
            professional.email.clone(),
            Some(professional.name.clone()),
            &[
                ("child_full_name", child_full_name.as_str()),
                ("link", url.as_str()),
            ],
        );
        self.finish_request(
            &decided,
            link.as_ref(),
            Some(&entry),
            Effects::audit(event).with_email(email),
        )
        .await
    }

    /// Declines a request, with a reason the professional is told.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, child_link_request_id = %id))]
    pub async fn decline_child_link_request(
        &self,
        access: &StaffAccess,
        id: ChildLinkRequestId,
        reason: &str,
        source: &Source,
    ) -> AppResult<Result<(), RequestProblem>> {
        let request = self
            .authorise_request(access, id, AuditAction::ChildLinkDeclined, source)
            .await?;
        let decided = match request.decline(access.account_id, self.clock.now(), reason) {
            Ok(d) => d,
            Err(send_domain::InvitationError::Reason(problem)) => {
                return Ok(Err(RequestProblem::Reason(problem)));
            }
            Err(_) => return Ok(Err(RequestProblem::AlreadyDecided)),
        };
        let professional = self
            .store
            .account_by_id(request.account_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let event = self.request_event(
            access.account_id,
            AuditAction::ChildLinkDeclined,
            &request,
            None,
            source,
        );
        let child_full_name = format!("{} {}", request.first_name, request.last_name);
        let email = self.council_email(
            &*self.texts().await?,
            "child_link_declined",
            professional.email.clone(),
            Some(professional.name.clone()),
            &[
                ("child_full_name", child_full_name.as_str()),
                ("reason", reason.trim()),
            ],
        );
        self.finish_request(
            &decided,
            None,
            None,
            Effects::audit(event).with_email(email),
        )
        .await
    }

    async fn finish_request(
        &self,
        decided: &ChildLinkRequest,
        link: Option<&LinkChange>,
        entry: Option<&send_store::ChronologyEntry>,
        effects: Effects,
    ) -> AppResult<Result<(), RequestProblem>> {
        let mut changes = Changes::new().with(Write::DecideChildLinkRequest(decided.clone()));
        if let Some(link) = link {
            changes.push(Write::from(link.clone()));
        }
        if let Some(entry) = entry {
            changes.push(Write::AddChronologyEntry(entry.clone()));
        }
        match self.store.commit(&changes.with_effects(effects)).await {
            Ok(_) => Ok(Ok(())),
            Err(StoreError::Conflict { constraint })
                if constraint == CHILD_LINK_REQUEST_CONFLICT =>
            {
                Ok(Err(RequestProblem::AlreadyDecided))
            }
            Err(err) => Err(err.into()),
        }
    }
}
