//! Links that let a new member of the council's staff set up a back-office account.
//!
//! The first administrator's link is issued by the `create-admin` operator command.
//! Opening the link checks it; completing the set-up (password and authenticator
//! app) arrives with the accounts feature.

use send_domain::{
    Actor, AuditAction, AuditOutcome, Email, PersonName, StaffRole, StaffSetupLink,
    StaffSetupLinkId, StaffSetupLinkState,
};
use time::Duration;

use crate::audit::Source;
use crate::ids::new_uuid;
use crate::tokens::{SecretToken, hash_token};
use crate::{App, AppResult};

/// How long a set-up link works.
pub const LINK_LIFETIME: Duration = Duration::hours(24);

/// A freshly issued link: the address to give the person, and the stored record.
#[derive(Debug)]
pub struct IssuedLink {
    pub url: String,
    pub link: StaffSetupLink,
}

/// What opening a link found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenedLink {
    Usable { name: PersonName, role: StaffRole },
    Expired,
    AlreadyUsed,
    Unknown,
}

impl OpenedLink {
    /// A one-word description for the audit log.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Usable { .. } => "usable",
            Self::Expired => "expired",
            Self::AlreadyUsed => "already_used",
            Self::Unknown => "unknown",
        }
    }
}

impl App {
    /// Issues a single-use set-up link for a new administrator (the operator's
    /// `create-admin` command).
    pub async fn issue_admin_setup_link(
        &self,
        email: Email,
        name: PersonName,
    ) -> AppResult<IssuedLink> {
        let token = SecretToken::generate();
        let now = self.clock.now();
        let link = StaffSetupLink {
            id: StaffSetupLinkId::from_uuid(new_uuid(self.clock.as_ref())),
            email,
            name,
            role: StaffRole::Administrator,
            token_hash: token.hash(),
            created_at: now,
            expires_at: now + LINK_LIFETIME,
            used_at: None,
        };
        let mut audit = self.audit_event(
            Actor::Operator,
            AuditAction::StaffSetupLinkIssued,
            AuditOutcome::Succeeded,
            &Source::default(),
        );
        audit.subject = Some(format!("staff_setup_link:{}", link.id));
        audit.detail = Some(format!("role {}", link.role.code()));
        self.store.create_staff_setup_link(&link, &audit).await?;
        Ok(IssuedLink {
            url: self.link(&format!("/staff/setup/{}", token.expose())),
            link,
        })
    }

    /// Checks a presented set-up link and records that it was opened.
    pub async fn open_staff_setup_link(
        &self,
        token: &str,
        source: &Source,
    ) -> AppResult<OpenedLink> {
        let found = self
            .store
            .staff_setup_link_by_token(&hash_token(token))
            .await?;
        let opened = match &found {
            None => OpenedLink::Unknown,
            Some(link) => match link.state_at(self.clock.now()) {
                StaffSetupLinkState::Usable => OpenedLink::Usable {
                    name: link.name.clone(),
                    role: link.role,
                },
                StaffSetupLinkState::Expired => OpenedLink::Expired,
                StaffSetupLinkState::AlreadyUsed => OpenedLink::AlreadyUsed,
            },
        };
        let outcome = if matches!(opened, OpenedLink::Usable { .. }) {
            AuditOutcome::Succeeded
        } else {
            AuditOutcome::Failed
        };
        let mut audit = self.audit_event(
            Actor::Anonymous,
            AuditAction::StaffSetupLinkOpened,
            outcome,
            source,
        );
        audit.subject = found.map(|link| format!("staff_setup_link:{}", link.id));
        audit.detail = Some(opened.code().to_owned());
        self.store.record_audit_event(&audit).await?;
        Ok(opened)
    }
}
