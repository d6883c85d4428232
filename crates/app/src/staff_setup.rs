//! Links that let a new member of the council's staff set up a back-office account.
//!
//! The first administrator's link is issued by the `create-admin` operator command.
//! Opening the link checks it; completing the set-up chooses a password and sets
//! up the authenticator app every back-office account must use, in one write that
//! also uses up the link.

use send_domain::{
    Account, AccountKind, Actor, AuditAction, AuditOutcome, Email, PasswordError, PersonName,
    SecondFactor, StaffRole, StaffSetupLink, StaffSetupLinkId, StaffSetupLinkState, TotpEnrolment,
    UserId,
};
use send_store::{Changes, Effects, NewAccount, StoreError, Write};
use time::Duration;

use crate::audit::Source;
use crate::ids::new_uuid;
use crate::passwords::{self, StoredHistory};
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

/// A new member of staff, as an administrator describes them.
#[derive(Debug, Clone)]
pub struct StaffInvite {
    pub email: Email,
    pub name: PersonName,
    pub role: StaffRole,
    pub team_id: Option<send_domain::TeamId>,
    pub groups: std::collections::BTreeSet<send_domain::PermissionGroupId>,
}

/// What completing a set-up link came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffSetupOutcome {
    /// The account exists; show these recovery codes once.
    Created {
        account_id: UserId,
        recovery_codes: Vec<String>,
    },
    PasswordRefused(PasswordError),
    WrongAuthenticatorCode,
    /// Unknown, expired or used (perhaps a moment ago, in another tab).
    LinkUnusable,
    /// An account with the link's email address exists already.
    EmailTaken,
}

impl App {
    /// The usable link behind `token`, if any, without recording a visit.
    #[tracing::instrument(skip_all)]
    pub async fn usable_staff_setup_link(&self, token: &str) -> AppResult<Option<StaffSetupLink>> {
        let found = self
            .store
            .staff_setup_link_by_token(&hash_token(token))
            .await?;
        Ok(found.filter(|link| link.state_at(self.clock.now()) == StaffSetupLinkState::Usable))
    }

    /// Creates the back-office account of a set-up link: its password and its
    /// authenticator app (confirmed by a code from it), and uses up the link.
    #[tracing::instrument(skip_all)]
    pub async fn complete_staff_setup(
        &self,
        token: &str,
        typed_password: &str,
        totp_secret: &str,
        totp_code: &str,
        source: &Source,
    ) -> AppResult<StaffSetupOutcome> {
        let Some(link) = self.usable_staff_setup_link(token).await? else {
            return Ok(StaffSetupOutcome::LinkUnusable);
        };
        let password = match passwords::check_new(
            typed_password,
            &self.settings.password_policy,
            &self.settings.council_name,
            &link.email,
            StoredHistory::default(),
        )
        .await?
        {
            Ok(password) => password,
            Err(refused) => return Ok(StaffSetupOutcome::PasswordRefused(refused)),
        };
        if !self.authenticator_code_matches(totp_secret, &link.email, totp_code) {
            return Ok(StaffSetupOutcome::WrongAuthenticatorCode);
        }
        if self.store.account_by_email(&link.email).await?.is_some() {
            return Ok(StaffSetupOutcome::EmailTaken);
        }
        let now = self.clock.now();
        let id = UserId::from_uuid(new_uuid(self.clock.as_ref()));
        let mut account = Account {
            id,
            kind: AccountKind::Staff,
            email: link.email.clone(),
            name: link.name.clone(),
            phone: None,
            professional: None,
            staff_role: Some(link.role),
            password_hash: passwords::hash(password).await?,
            second_factor: SecondFactor::Authenticator,
            totp: None,
            email_verified_at: Some(now),
            created_at: now,
            updated_at: now,
        };
        let step = self.totp_step(&account, totp_secret, totp_code);
        account.totp = Some(TotpEnrolment {
            secret_base32: totp_secret.to_owned(),
            last_used_step: step,
        });
        let (codes, hashes) = Self::new_recovery_codes();
        let mut event = self.account_event(
            Actor::User(id),
            AuditAction::StaffAccountCreated,
            AuditOutcome::Succeeded,
            Some(id),
            source,
        );
        event.detail = Some(format!("role {}; link {}", link.role.code(), link.id));
        let new = NewAccount {
            account,
            code: None,
            setup_link: Some(link.id),
            recovery_codes: hashes,
        };
        match self
            .store
            .insert_account(&new, &Effects::audit(event))
            .await
        {
            Ok(()) => Ok(StaffSetupOutcome::Created {
                account_id: id,
                recovery_codes: codes,
            }),
            Err(StoreError::Conflict { constraint }) if constraint == "accounts_email" => {
                Ok(StaffSetupOutcome::EmailTaken)
            }
            Err(StoreError::Conflict { .. }) => Ok(StaffSetupOutcome::LinkUnusable),
            Err(err) => Err(err.into()),
        }
    }

    /// An administrator invites a new member of staff: a set-up link for their
    /// role, team and groups, emailed to them, in one write. Needs "manage staff".
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn invite_staff(
        &self,
        access: &send_domain::StaffAccess,
        invite: StaffInvite,
        source: &Source,
    ) -> AppResult<StaffSetupLink> {
        if !access.has(send_domain::Permission::ManageStaff) {
            let event = self.audit_event(
                Actor::User(access.account_id),
                AuditAction::StaffSetupLinkIssued,
                AuditOutcome::Refused,
                source,
            );
            self.store.record_audit_event(&event).await?;
            return Err(crate::AppError::Forbidden);
        }
        let token = SecretToken::generate();
        let now = self.clock.now();
        let link = StaffSetupLink {
            id: StaffSetupLinkId::from_uuid(new_uuid(self.clock.as_ref())),
            email: invite.email,
            name: invite.name,
            role: invite.role,
            team_id: invite.team_id,
            groups: invite.groups,
            token_hash: token.hash(),
            created_at: now,
            expires_at: now + LINK_LIFETIME,
            used_at: None,
            withdrawn_at: None,
        };
        let mut audit = self.audit_event(
            Actor::User(access.account_id),
            AuditAction::StaffSetupLinkIssued,
            AuditOutcome::Succeeded,
            source,
        );
        audit.subject = Some(format!("staff_setup_link:{}", link.id));
        audit.detail = Some(format!("role {}", link.role.code()));
        let email = self.setup_link_email(&link, &token).await?;
        self.store
            .commit(
                &Changes::new()
                    .with(Write::InsertStaffSetupLink(link.clone()))
                    .with_audit(audit)
                    .with_email(email),
            )
            .await?;
        Ok(link)
    }

    /// Issues a single-use set-up link for a new administrator (the operator's
    /// `create-admin` command).
    #[tracing::instrument(skip_all)]
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
            team_id: None,
            groups: [send_domain::default_group(StaffRole::Administrator)].into(),
            token_hash: token.hash(),
            created_at: now,
            expires_at: now + LINK_LIFETIME,
            used_at: None,
            withdrawn_at: None,
        };
        let mut audit = self.audit_event(
            Actor::Operator,
            AuditAction::StaffSetupLinkIssued,
            AuditOutcome::Succeeded,
            &Source::default(),
        );
        audit.subject = Some(format!("staff_setup_link:{}", link.id));
        audit.detail = Some(format!("role {}", link.role.code()));
        self.store
            .commit(
                &Changes::new()
                    .with(Write::InsertStaffSetupLink(link.clone()))
                    .with_audit(audit),
            )
            .await?;
        Ok(IssuedLink {
            url: self.link(&format!("/staff/setup/{}", token.expose())),
            link,
        })
    }

    /// Checks a presented set-up link and records that it was opened.
    #[tracing::instrument(skip_all)]
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
                // A withdrawn link reads as one that no longer works.
                StaffSetupLinkState::Expired | StaffSetupLinkState::Withdrawn => {
                    OpenedLink::Expired
                }
                StaffSetupLinkState::AlreadyUsed => OpenedLink::AlreadyUsed,
            },
        };
        if opened == OpenedLink::Unknown && !self.count_setup_probe(source).await? {
            // This address has tried many unknown links lately: still a 404, but
            // no more audit rows, so a stranger cannot flood the audit log.
            return Ok(opened);
        }
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

/// Unknown set-up links one source address may try in 15 minutes before they stop
/// being audited one by one.
pub const SETUP_PROBES: send_domain::ThrottlePolicy = send_domain::ThrottlePolicy {
    free_failures: 20,
    lock_after: 20,
    lockout: Duration::minutes(15),
};

impl App {
    /// Counts an unknown set-up link from `source`; `false` once the source has
    /// tried too many lately (the first refusal is audited, then no more).
    async fn count_setup_probe(&self, source: &Source) -> AppResult<bool> {
        let key = format!("setup-probe:{}", source.0.as_deref().unwrap_or("unknown"));
        let now = self.clock.now();
        let state = self.store.throttle(&key).await?;
        let decision = SETUP_PROBES.decide(state.as_ref(), now);
        let next = SETUP_PROBES.after_failure(state.as_ref(), now);
        if matches!(decision, send_domain::ThrottleDecision::LockedOut { .. }) {
            return Ok(false);
        }
        self.store.set_throttle(&key, &next).await?;
        if next.failures == SETUP_PROBES.lock_after {
            let mut audit = self.audit_event(
                Actor::Anonymous,
                AuditAction::StaffSetupLinkOpened,
                AuditOutcome::Refused,
                source,
            );
            audit.detail = Some("too many unknown links from this address".to_owned());
            self.store.record_audit_event(&audit).await?;
            return Ok(false);
        }
        Ok(true)
    }
}

/// What adding a team or group came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    Added,
    NameTaken,
}

impl App {
    /// The email that gives a new member of staff their set-up link.
    pub(crate) async fn setup_link_email(
        &self,
        link: &StaffSetupLink,
        token: &SecretToken,
    ) -> AppResult<send_domain::OutgoingEmail> {
        let role = link.role.label().to_lowercase();
        let url = self.link(&format!("/staff/setup/{}", token.expose()));
        Ok(self.council_email(
            &*self.texts().await?,
            "staff_setup",
            link.email.clone(),
            Some(link.name.clone()),
            &[("role", role.as_str()), ("link", url.as_str())],
        ))
    }

    fn admin_effects(
        &self,
        access: &send_domain::StaffAccess,
        action: AuditAction,
        detail: String,
        source: &Source,
    ) -> Effects {
        let mut event = self.audit_event(
            Actor::User(access.account_id),
            action,
            AuditOutcome::Succeeded,
            source,
        );
        event.detail = Some(detail);
        Effects::audit(event)
    }

    /// Adds a team. Needs "manage staff".
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn add_team(
        &self,
        access: &send_domain::StaffAccess,
        name: &str,
        source: &Source,
    ) -> AppResult<Named> {
        if !access.has(send_domain::Permission::ManageStaff) {
            return Err(crate::AppError::Forbidden);
        }
        let team = send_store::Team {
            id: send_domain::TeamId::from_uuid(new_uuid(self.clock.as_ref())),
            name: name.to_owned(),
        };
        let effects = self.admin_effects(access, AuditAction::TeamCreated, name.to_owned(), source);
        let changes = Changes::new()
            .with(Write::InsertTeam {
                team,
                at: self.clock.now(),
            })
            .with_effects(effects);
        match self.store.commit(&changes).await {
            Ok(_) => Ok(Named::Added),
            Err(StoreError::Conflict { .. }) => Ok(Named::NameTaken),
            Err(err) => Err(err.into()),
        }
    }

    /// Adds a permission group granting `permissions`. Needs "manage staff".
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn add_permission_group(
        &self,
        access: &send_domain::StaffAccess,
        name: &str,
        permissions: std::collections::BTreeSet<send_domain::Permission>,
        source: &Source,
    ) -> AppResult<Named> {
        if !access.has(send_domain::Permission::ManageStaff) {
            return Err(crate::AppError::Forbidden);
        }
        let detail = format!(
            "{name}: {}",
            permissions
                .iter()
                .map(|p| p.code())
                .collect::<Vec<_>>()
                .join(", ")
        );
        let group = send_store::PermissionGroup {
            id: send_domain::PermissionGroupId::from_uuid(new_uuid(self.clock.as_ref())),
            name: name.to_owned(),
            permissions,
        };
        let effects = self.admin_effects(access, AuditAction::PermissionGroupSaved, detail, source);
        let changes = Changes::new()
            .with(Write::InsertPermissionGroup {
                group,
                at: self.clock.now(),
            })
            .with_effects(effects);
        match self.store.commit(&changes).await {
            Ok(_) => Ok(Named::Added),
            Err(StoreError::Conflict { .. }) => Ok(Named::NameTaken),
            Err(err) => Err(err.into()),
        }
    }
}
