//! The single-use link sent to someone asked for advice who has no portal account
//! (or none with that address): opening it signed in (after registering, if need
//! be) makes that account the one that answers this request, and nothing else of
//! the child's case. The link works once, until 4 weeks after the due date; each
//! reminder carries a new one, which replaces the last.

use send_domain::advice::{AdviceLink, AdviceRequest, LINK_LASTS_AFTER_DUE, uk_morning};
use send_domain::{Account, AccountKind, Actor, AdviceRequestId, AuditAction, AuditOutcome};
use send_store::{Changes, Write};

use crate::audit::Source;
use crate::tokens::{SecretToken, hash_token};
use crate::{App, AppResult};

/// Why a link cannot be used, for the page that says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkProblem {
    /// No request has this link (mistyped, or replaced by a newer one).
    Unknown,
    Used,
    Expired,
    /// The advice arrived or the request was withdrawn.
    NoLongerNeeded,
    /// Staff answer nothing in the portal.
    StaffAccount,
}

/// A new single-use link for `request` and the token to put in the email.
pub(crate) fn new_advice_link(request: &AdviceRequest) -> (SecretToken, AdviceLink) {
    let token = SecretToken::generate();
    let expires_on = request
        .due_on
        .checked_add(LINK_LASTS_AFTER_DUE)
        .unwrap_or(request.due_on);
    let link = AdviceLink {
        hash: token.hash(),
        expires_at: uk_morning(expires_on),
        used_at: None,
    };
    (token, link)
}

impl App {
    /// Opens a link as `account`: if it is usable, the account becomes the one
    /// that answers the request, the link is used up, and the request's id is
    /// returned for its page. Every opening is audited.
    #[tracing::instrument(skip_all, fields(account_id = %account.id))]
    pub async fn claim_advice_link(
        &self,
        account: &Account,
        token: &str,
        source: &Source,
    ) -> AppResult<Result<AdviceRequestId, LinkProblem>> {
        let now = self.clock.now();
        let found = self
            .store
            .advice_request_by_link(&hash_token(token))
            .await?;
        let problem = match &found {
            None => Some(LinkProblem::Unknown),
            Some(_) if account.kind == AccountKind::Staff => Some(LinkProblem::StaffAccount),
            Some(request) => match &request.link {
                _ if !request.is_awaited() => Some(LinkProblem::NoLongerNeeded),
                Some(link) if link.used_at.is_some() => Some(LinkProblem::Used),
                Some(link) if link.expires_at <= now => Some(LinkProblem::Expired),
                Some(_) => None,
                None => Some(LinkProblem::Unknown),
            },
        };
        let mut event = self.audit_event(
            Actor::User(account.id),
            AuditAction::AdviceRequestViewed,
            if problem.is_some() {
                AuditOutcome::Refused
            } else {
                AuditOutcome::Succeeded
            },
            source,
        );
        event.child_id = found.as_ref().map(|r| r.child_id);
        event.subject = found.as_ref().map(|r| format!("advice_request:{}", r.id));
        event.detail = Some(match problem {
            Some(problem) => format!("link refused: {problem:?}"),
            None => "link used".to_owned(),
        });
        let (Some(request), None) = (found, problem) else {
            self.store.record_audit_event(&event).await?;
            return Ok(Err(problem.unwrap_or(LinkProblem::Unknown)));
        };
        let mut claimed = request.clone();
        claimed.professional = Some(account.id);
        if let Some(link) = claimed.link.as_mut() {
            link.used_at = Some(now);
        }
        claimed.updated_at = now;
        claimed.version = request.version.saturating_add(1);
        self.store
            .commit(
                &Changes::new()
                    .with(Write::UpdateAdviceRequest {
                        request: claimed,
                        expected_version: request.version,
                    })
                    .with_audit(event),
            )
            .await?;
        Ok(Ok(request.id))
    }
}
