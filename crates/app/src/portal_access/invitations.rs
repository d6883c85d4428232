//! Invitations to a child's case (LNK-1 to LNK-3), in the parent guide's order:
//! the caseworker invites a family contact (an email with a reference code), the
//! person phones and quotes it, the caseworker records the check and sends the
//! "Accept Portal Invitation" link, the person signs in and accepts, and the SEND
//! team confirms or declines. Every step is audited and written to the child's
//! chronology, with the emails it causes, in one transaction.

use rand::RngCore;
use send_domain::council_texts::Texts;
use send_domain::portal_access::REFERENCE_LENGTH;
use send_domain::{
    AccountKind, Actor, AuditAction, AuditOutcome, CaseAction, Child, ChildId, ContactId,
    EmailSubject, Invitation, InvitationError, InvitationId, InvitationStage, LinkStatus,
    PortalLink, PortalLinkId, PortalRole, ReferenceCode, ReferenceCodeError, StaffAccess, TeamId,
    TokenHash, UserId, VerifiedBy,
};
use send_store::{
    Changes, ChronologyEntry, Effects, INVITATION_STAGE_CONFLICT, LinkChange, StoreError, Write,
};

use crate::audit::Source;
use crate::ids::new_uuid;
use crate::tokens::{SecretToken, hash_token};
use crate::{App, AppError, AppResult};

/// How many accepted invitations the "waiting for you" list shows at most.
pub const AWAITING_LIMIT: u32 = 200;

/// Why an invitation step could not be taken, for the caseworker's page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvitationProblem {
    #[error("This contact has no email address. Add one before inviting them")]
    NoEmail,
    #[error("Select a family contact")]
    NoSuchContact,
    #[error("This person already has an invitation in progress for this child")]
    AlreadyInvited,
    #[error("{0}")]
    Code(ReferenceCodeError),
    #[error(
        "This code does not match the reference code we sent. Check it with the person and enter it again"
    )]
    WrongCode,
    #[error(
        "The reference code was entered wrongly too many times. Withdraw this invitation and send a new one"
    )]
    Locked,
    #[error("{0}")]
    Step(InvitationError),
    #[error("Someone else changed this invitation at the same time. Check it and try again")]
    ChangedMeanwhile,
}

/// An invitation with who is behind it, for the SEND team's pages.
#[derive(Debug, Clone)]
pub struct InvitationRow {
    pub invitation: Invitation,
    /// The account that used the link, if any: name and email, to compare with
    /// the person invited.
    pub accepted_by: Option<send_domain::Account>,
}

/// An accepted invitation waiting for the SEND team, with its child.
#[derive(Debug, Clone)]
pub struct AwaitingDecision {
    pub child: Child,
    pub row: InvitationRow,
}

/// What the person who opened an invitation link may do.
#[derive(Debug, Clone)]
pub enum LinkCheck {
    /// The link is good: show the child and the question.
    Usable(Box<Offer>),
    /// The link is not (or no longer) usable, and why.
    Refused(LinkRefusal),
}

/// A usable invitation and the child it is for.
#[derive(Debug, Clone)]
pub struct Offer {
    pub invitation: Invitation,
    pub child: Child,
}

/// Why an invitation link cannot be used: each has its own page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRefusal {
    /// No such link (mistyped, or replaced by a newer one).
    Unknown,
    Expired,
    /// Already used by this account.
    AlreadyUsed,
    /// Already used by another account.
    OtherAccount,
    /// Withdrawn or otherwise closed by the SEND team.
    Closed,
    /// Back-office accounts do not accept invitations.
    StaffAccount,
}

impl From<InvitationError> for LinkRefusal {
    fn from(err: InvitationError) -> Self {
        match err {
            InvitationError::Expired => Self::Expired,
            InvitationError::AlreadyUsed => Self::AlreadyUsed,
            InvitationError::OtherAccount => Self::OtherAccount,
            InvitationError::OutOfOrder | InvitationError::Reason(_) => Self::Closed,
        }
    }
}

/// What a step writes besides the invitation: the audit action, the chronology
/// entry's kind and summary, and the email's subject and paragraphs.
type StepText = (AuditAction, &'static str, String, EmailSubject, Vec<String>);

/// A step on an invitation that emails the person who used its link.
struct PersonStep<'a> {
    actor: UserId,
    before: &'a Invitation,
    after: &'a Invitation,
    link: Option<LinkChange>,
    text: StepText,
    to: &'a send_domain::Account,
}

/// The child's first name as the family uses it.
fn first_name(child: &Child) -> String {
    child
        .preferred_name
        .as_ref()
        .unwrap_or(&child.legal_first_name)
        .to_string()
}

/// The stored hash of an invitation's reference code, bound to the invitation.
fn reference_hash(id: InvitationId, code: &ReferenceCode) -> TokenHash {
    hash_token(&format!("{id}:{}", code.as_str()))
}

/// One step of an invitation as a unit of work: the invitation, saved only if
/// its stored stage is still `expected`; the link it creates or changes; its
/// chronology entry; its effects.
fn step(
    invitation: &Invitation,
    expected: InvitationStage,
    link: Option<&LinkChange>,
    entry: Option<&ChronologyEntry>,
    effects: Effects,
) -> Changes {
    let mut changes = Changes::new().with(Write::UpdateInvitation {
        invitation: invitation.clone(),
        expected,
    });
    if let Some(link) = link {
        changes.push(Write::from(link.clone()));
    }
    if let Some(entry) = entry {
        changes.push(Write::AddChronologyEntry(entry.clone()));
    }
    changes.with_effects(effects)
}

fn store_problem(err: StoreError) -> AppResult<InvitationProblem> {
    match err {
        StoreError::Conflict { constraint } if constraint == INVITATION_STAGE_CONFLICT => {
            Ok(InvitationProblem::ChangedMeanwhile)
        }
        other => Err(other.into()),
    }
}

impl App {
    fn invitation_event(
        &self,
        actor: UserId,
        action: AuditAction,
        outcome: AuditOutcome,
        invitation: &Invitation,
        source: &Source,
    ) -> send_domain::AuditEvent {
        let mut event = self.audit_event(Actor::User(actor), action, outcome, source);
        event.child_id = Some(invitation.child_id);
        event.subject = Some(format!("invitation:{}", invitation.id));
        event
    }

    fn invitation_entry(
        &self,
        invitation: &Invitation,
        actor: UserId,
        kind: &str,
        summary: String,
    ) -> ChronologyEntry {
        self.chronology_entry(invitation.child_id, actor, kind, summary, None)
    }

    /// The invitation, checked against the caseworker's access to its child.
    async fn authorise_invitation(
        &self,
        access: &StaffAccess,
        id: InvitationId,
        source: &Source,
    ) -> AppResult<(Child, Invitation)> {
        let invitation = self.store.invitation(id).await?.ok_or(AppError::NotFound)?;
        let child = self
            .authorise_child(
                access,
                CaseAction::ManageAccess,
                invitation.child_id,
                source,
            )
            .await?;
        Ok((child, invitation))
    }

    /// A child's invitations, newest first, with the accounts that used them.
    #[tracing::instrument(skip_all, fields(child_id = %child))]
    pub async fn invitation_rows(&self, child: ChildId) -> AppResult<Vec<InvitationRow>> {
        let mut rows = Vec::new();
        for invitation in self.store.invitations_for_child(child).await? {
            let accepted_by = match &invitation.acceptance {
                Some(a) => self.store.account_by_id(a.account).await?,
                None => None,
            };
            rows.push(InvitationRow {
                invitation,
                accepted_by,
            });
        }
        Ok(rows)
    }

    /// Invites one of the child's family contacts (or the young person) to the
    /// portal: an email with a reference code they quote to the SEND team.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, child_id = %child_id, contact_id = %contact_id))]
    pub async fn invite_contact(
        &self,
        access: &StaffAccess,
        child_id: ChildId,
        contact_id: ContactId,
        role: PortalRole,
        source: &Source,
    ) -> AppResult<Result<InvitationId, InvitationProblem>> {
        let child = self
            .authorise_child(access, CaseAction::ManageAccess, child_id, source)
            .await?;
        let contacts = self.store.family_contacts(child.id).await?;
        let Some(contact) = contacts.into_iter().find(|c| c.id == contact_id) else {
            return Ok(Err(InvitationProblem::NoSuchContact));
        };
        let Some(email) = contact.email.clone() else {
            return Ok(Err(InvitationProblem::NoEmail));
        };
        let open = self.store.invitations_for_child(child.id).await?;
        if open
            .iter()
            .any(|i| i.email == email && !i.stage().is_finished())
        {
            return Ok(Err(InvitationProblem::AlreadyInvited));
        }
        let id = InvitationId::from_uuid(new_uuid(self.clock.as_ref()));
        let mut bytes = [0_u8; REFERENCE_LENGTH];
        rand::rng().fill_bytes(&mut bytes);
        let code = ReferenceCode::from_random(bytes);
        let invitation = Invitation {
            id,
            child_id: child.id,
            contact_id: Some(contact.id),
            name: contact.name.clone(),
            email,
            role,
            reference_hash: reference_hash(id, &code),
            failed_checks: 0,
            created_by: access.account_id,
            created_at: self.clock.now(),
            verification: None,
            link: None,
            acceptance: None,
            decision: None,
        };
        // The council's wording (Texts and settings), or the shipped default.
        let code_text = code.display();
        let email = self.council_email(
            &*self.texts().await?,
            "reference_code",
            invitation.email.clone(),
            Some(invitation.name.clone()),
            &[("code", code_text.as_str())],
        );
        let entry = self.invitation_entry(
            &invitation,
            access.account_id,
            "invitation.sent",
            format!(
                "Portal invitation sent to {} ({})",
                invitation.name,
                role.label()
            ),
        );
        let event = self.invitation_event(
            access.account_id,
            AuditAction::InvitationSent,
            AuditOutcome::Succeeded,
            &invitation,
            source,
        );
        self.store
            .commit(
                &Changes::new()
                    .with(Write::InsertInvitation(invitation))
                    .with(Write::AddChronologyEntry(entry))
                    .with_audit(event)
                    .with_email(email),
            )
            .await?;
        Ok(Ok(id))
    }

    /// Records that the person quoted their reference code: a wrong code counts
    /// towards locking the invitation.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, invitation_id = %id))]
    pub async fn verify_identity(
        &self,
        access: &StaffAccess,
        id: InvitationId,
        typed_code: &str,
        how: VerifiedBy,
        source: &Source,
    ) -> AppResult<Result<(), InvitationProblem>> {
        let (_, invitation) = self.authorise_invitation(access, id, source).await?;
        let stage = invitation.stage();
        if stage == InvitationStage::Locked {
            return Ok(Err(InvitationProblem::Locked));
        }
        // A code of the right length that no code is made of is wrong like any
        // other: counted and answered "does not match".
        let matches = match ReferenceCode::parse(typed_code) {
            Ok(code) => reference_hash(id, &code) == invitation.reference_hash,
            Err(ReferenceCodeError::NoMatch) => false,
            Err(err) => return Ok(Err(InvitationProblem::Code(err))),
        };
        let now = self.clock.now();
        if !matches {
            let counted = invitation.record_failed_check();
            let mut event = self.invitation_event(
                access.account_id,
                AuditAction::IdentityVerified,
                AuditOutcome::Refused,
                &invitation,
                source,
            );
            event.detail = Some(format!("wrong reference code {}", counted.failed_checks));
            if let Err(err) = self
                .store
                .commit(&step(&counted, stage, None, None, Effects::audit(event)))
                .await
            {
                return store_problem(err).map(Err);
            }
            return Ok(Err(if counted.stage() == InvitationStage::Locked {
                InvitationProblem::Locked
            } else {
                InvitationProblem::WrongCode
            }));
        }
        let verified = match invitation.verify(access.account_id, now, how) {
            Ok(v) => v,
            Err(err) => return Ok(Err(InvitationProblem::Step(err))),
        };
        let entry = self.invitation_entry(
            &invitation,
            access.account_id,
            "invitation.identity_verified",
            format!(
                "Identity of {} checked ({})",
                invitation.name,
                how.label().to_lowercase()
            ),
        );
        let mut event = self.invitation_event(
            access.account_id,
            AuditAction::IdentityVerified,
            AuditOutcome::Succeeded,
            &invitation,
            source,
        );
        event.detail = Some(how.code().to_owned());
        match self
            .store
            .commit(&step(
                &verified,
                stage,
                None,
                Some(&entry),
                Effects::audit(event),
            ))
            .await
        {
            Ok(_) => Ok(Ok(())),
            Err(err) => store_problem(err).map(Err),
        }
    }

    /// Sends the "Accept Portal Invitation" email with a new single-use link (a
    /// new one replaces any earlier link).
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, invitation_id = %id))]
    pub async fn send_invitation_link(
        &self,
        access: &StaffAccess,
        id: InvitationId,
        source: &Source,
    ) -> AppResult<Result<(), InvitationProblem>> {
        let (_, invitation) = self.authorise_invitation(access, id, source).await?;
        let stage = invitation.stage();
        let token = SecretToken::generate();
        let now = self.clock.now();
        let sent = match invitation.send_link(token.hash(), now, self.settings.invitation_lifetime)
        {
            Ok(s) => s,
            Err(err) => return Ok(Err(InvitationProblem::Step(err))),
        };
        let expires = sent
            .link
            .as_ref()
            .map(|l| send_domain::dates::uk_long_date(l.expires_at))
            .unwrap_or_default();
        let url = self.link(&format!("/invitations/{}", token.expose()));
        let email = self.council_email(
            &*self.texts().await?,
            "invitation_link",
            invitation.email.clone(),
            Some(invitation.name.clone()),
            &[("link", url.as_str()), ("expiry_date", expires.as_str())],
        );
        let entry = self.invitation_entry(
            &invitation,
            access.account_id,
            "invitation.link_sent",
            format!("Accept Portal Invitation email sent to {}", invitation.name),
        );
        let event = self.invitation_event(
            access.account_id,
            AuditAction::InvitationLinkSent,
            AuditOutcome::Succeeded,
            &invitation,
            source,
        );
        match self
            .store
            .commit(&step(
                &sent,
                stage,
                None,
                Some(&entry),
                Effects::audit(event).with_email(email),
            ))
            .await
        {
            Ok(_) => Ok(Ok(())),
            Err(err) => store_problem(err).map(Err),
        }
    }

    /// Withdraws an invitation nobody has accepted.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, invitation_id = %id))]
    pub async fn withdraw_invitation(
        &self,
        access: &StaffAccess,
        id: InvitationId,
        source: &Source,
    ) -> AppResult<Result<(), InvitationProblem>> {
        let (_, invitation) = self.authorise_invitation(access, id, source).await?;
        let stage = invitation.stage();
        let withdrawn = match invitation.withdraw(access.account_id, self.clock.now()) {
            Ok(w) => w,
            Err(err) => return Ok(Err(InvitationProblem::Step(err))),
        };
        let entry = self.invitation_entry(
            &invitation,
            access.account_id,
            "invitation.withdrawn",
            format!("Portal invitation to {} withdrawn", invitation.name),
        );
        let event = self.invitation_event(
            access.account_id,
            AuditAction::InvitationWithdrawn,
            AuditOutcome::Succeeded,
            &invitation,
            source,
        );
        match self
            .store
            .commit(&step(
                &withdrawn,
                stage,
                None,
                Some(&entry),
                Effects::audit(event),
            ))
            .await
        {
            Ok(_) => Ok(Ok(())),
            Err(err) => store_problem(err).map(Err),
        }
    }

    /// Checks an invitation link for the signed-in `account` (every opening is
    /// audited, refused ones too).
    #[tracing::instrument(skip_all, fields(account_id = %account))]
    pub async fn check_invitation_link(
        &self,
        token: &str,
        account: UserId,
        source: &Source,
    ) -> AppResult<LinkCheck> {
        let found = self.store.invitation_by_link(&hash_token(token)).await?;
        let Some(invitation) = found else {
            let mut event = self.audit_event(
                Actor::User(account),
                AuditAction::InvitationOpened,
                AuditOutcome::Refused,
                source,
            );
            event.detail = Some("unknown link".to_owned());
            self.store.record_audit_event(&event).await?;
            return Ok(LinkCheck::Refused(LinkRefusal::Unknown));
        };
        let is_staff = self
            .store
            .account_by_id(account)
            .await?
            .is_none_or(|a| a.kind == AccountKind::Staff);
        let checked = if is_staff {
            Err(InvitationError::OutOfOrder)
        } else {
            invitation.check_link(account, self.clock.now())
        };
        let mut event = self.invitation_event(
            account,
            AuditAction::InvitationOpened,
            if checked.is_ok() {
                AuditOutcome::Succeeded
            } else {
                AuditOutcome::Refused
            },
            &invitation,
            source,
        );
        if let Err(err) = &checked {
            event.detail = Some(if is_staff {
                "staff account".to_owned()
            } else {
                format!("{err:?}")
            });
        }
        self.store.record_audit_event(&event).await?;
        if let Err(err) = checked {
            return Ok(LinkCheck::Refused(if is_staff {
                LinkRefusal::StaffAccount
            } else {
                err.into()
            }));
        }
        let child = self
            .store
            .child(invitation.child_id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(LinkCheck::Usable(Box::new(Offer { invitation, child })))
    }

    /// The person's answer on the invitation page: Yes accepts (the link waits
    /// for the SEND team), No ends the invitation. Either way an email confirms it.
    #[tracing::instrument(skip_all, fields(account_id = %account_id, accept = accept))]
    pub async fn answer_invitation(
        &self,
        token: &str,
        account_id: UserId,
        accept: bool,
        source: &Source,
    ) -> AppResult<Result<(), LinkRefusal>> {
        let Some(invitation) = self.store.invitation_by_link(&hash_token(token)).await? else {
            return Ok(Err(LinkRefusal::Unknown));
        };
        let account = self
            .store
            .account_by_id(account_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if account.kind == AccountKind::Staff {
            return Ok(Err(LinkRefusal::StaffAccount));
        }
        let child = self
            .store
            .child(invitation.child_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let now = self.clock.now();
        let answered = if accept {
            invitation.accept(account_id, now)
        } else {
            invitation.refuse(account_id, now)
        };
        let answered = match answered {
            Ok(a) => a,
            Err(err) => return Ok(Err(err.into())),
        };
        let (action, kind, summary, subject, paragraphs) = self.answer_text(
            &*self.texts().await?,
            accept,
            &account.name,
            &first_name(&child),
        );
        let link = if accept {
            self.pending_link(&invitation, account_id, now).await?
        } else {
            None
        };
        let written = self
            .write_person_step(
                PersonStep {
                    actor: account_id,
                    before: &invitation,
                    after: &answered,
                    link,
                    text: (action, kind, summary, subject, paragraphs),
                    to: &account,
                },
                source,
            )
            .await?;
        Ok(if written {
            Ok(())
        } else {
            Err(LinkRefusal::AlreadyUsed)
        })
    }

    /// Writes a step taken on an invitation, with its link change, chronology
    /// entry, audit event and the email to the person who used the link. `false`
    /// when someone else changed the invitation (or the link) first.
    async fn write_person_step(&self, step: PersonStep<'_>, source: &Source) -> AppResult<bool> {
        let (action, kind, summary, subject, paragraphs) = step.text;
        let entry = self.chronology_entry(step.before.child_id, step.actor, kind, summary, None);
        let event = self.invitation_event(
            step.actor,
            action,
            AuditOutcome::Succeeded,
            step.before,
            source,
        );
        let email = self.compose_email(
            step.to.email.clone(),
            Some(step.to.name.clone()),
            subject,
            &paragraphs,
        );
        match self
            .store
            .commit(&self::step(
                step.after,
                step.before.stage(),
                step.link.as_ref(),
                Some(&entry),
                Effects::audit(event).with_email(email),
            ))
            .await
        {
            Ok(_) => Ok(true),
            Err(StoreError::Conflict { .. }) => Ok(false),
            Err(err) => Err(err.into()),
        }
    }

    /// What an answer to an invitation writes: the audit action, the chronology
    /// entry's kind and summary, and the email's subject and paragraphs.
    fn answer_text(
        &self,
        texts: &Texts,
        accept: bool,
        name: &send_domain::PersonName,
        first_name: &str,
    ) -> StepText {
        let sign_in = self.link("/sign-in");
        let values = [("child_name", first_name), ("link", sign_in.as_str())];
        if accept {
            let (subject, paragraphs) =
                self.council_email_text(texts, "invitation_accepted", &values);
            (
                AuditAction::InvitationAccepted,
                "invitation.accepted",
                format!("{name} accepted the portal invitation"),
                subject,
                paragraphs,
            )
        } else {
            let (subject, paragraphs) =
                self.council_email_text(texts, "invitation_refused", &values);
            (
                AuditAction::InvitationRefused,
                "invitation.refused",
                format!("{name} said no to the portal invitation"),
                subject,
                paragraphs,
            )
        }
    }

    /// The link an acceptance creates: a new pending one, or an old declined or
    /// revoked one waiting again. An active or pending link stays as it is.
    async fn pending_link(
        &self,
        invitation: &Invitation,
        account: UserId,
        now: time::OffsetDateTime,
    ) -> AppResult<Option<LinkChange>> {
        let existing = self.store.portal_link(invitation.child_id, account).await?;
        Ok(match existing {
            None => Some(LinkChange {
                link: PortalLink {
                    id: PortalLinkId::from_uuid(new_uuid(self.clock.as_ref())),
                    child_id: invitation.child_id,
                    account_id: account,
                    role: invitation.role,
                    status: LinkStatus::Pending,
                    status_since: now,
                    status_by: None,
                    invitation_id: Some(invitation.id),
                    request_id: None,
                    created_at: now,
                },
                expected: None,
            }),
            Some(link) => link
                .change(LinkStatus::Pending, None, now)
                .ok()
                .map(|changed| LinkChange {
                    link: PortalLink {
                        role: invitation.role,
                        invitation_id: Some(invitation.id),
                        ..changed
                    },
                    expected: Some(link.status),
                }),
        })
    }

    /// Accepted invitations waiting for the SEND team, in the caseworker's teams.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn invitations_awaiting(
        &self,
        access: &StaffAccess,
    ) -> AppResult<Vec<AwaitingDecision>> {
        let own: Vec<TeamId> = access.team_id.into_iter().collect();
        let teams = if access.has(send_domain::Permission::AllTeams) {
            None
        } else {
            Some(own.as_slice())
        };
        if !access.has(send_domain::Permission::ManagePortalUsers) {
            return Err(AppError::Forbidden);
        }
        let mut rows = Vec::new();
        for invitation in self
            .store
            .invitations_awaiting_decision(teams, AWAITING_LIMIT)
            .await?
        {
            let Some(child) = self.store.child(invitation.child_id).await? else {
                continue;
            };
            let accepted_by = match &invitation.acceptance {
                Some(a) => self.store.account_by_id(a.account).await?,
                None => None,
            };
            rows.push(AwaitingDecision {
                child,
                row: InvitationRow {
                    invitation,
                    accepted_by,
                },
            });
        }
        Ok(rows)
    }

    /// The SEND team confirms an acceptance: the link becomes active and the
    /// person is told they can see the SEND Dashboard.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, invitation_id = %id))]
    pub async fn confirm_invitation(
        &self,
        access: &StaffAccess,
        id: InvitationId,
        source: &Source,
    ) -> AppResult<Result<(), InvitationProblem>> {
        self.decide_invitation(access, id, None, source).await
    }

    /// The SEND team declines an acceptance, with a reason kept on the case.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, invitation_id = %id))]
    pub async fn decline_invitation(
        &self,
        access: &StaffAccess,
        id: InvitationId,
        reason: &str,
        source: &Source,
    ) -> AppResult<Result<(), InvitationProblem>> {
        self.decide_invitation(access, id, Some(reason), source)
            .await
    }

    /// The link a decision changes: a pending link becomes active (or declined);
    /// a confirmation with no link at all makes an active one.
    async fn decided_link(
        &self,
        invitation: &Invitation,
        account: UserId,
        confirm: bool,
        by: UserId,
    ) -> AppResult<Option<LinkChange>> {
        let now = self.clock.now();
        let target = if confirm {
            LinkStatus::Active
        } else {
            LinkStatus::Declined
        };
        Ok(
            match self.store.portal_link(invitation.child_id, account).await? {
                Some(link) if link.status == LinkStatus::Pending => Some(LinkChange {
                    link: link
                        .change(target, Some(by), now)
                        .map_err(AppError::internal_with("portal link change"))?,
                    expected: Some(LinkStatus::Pending),
                }),
                None if confirm => Some(LinkChange {
                    link: PortalLink {
                        id: PortalLinkId::from_uuid(new_uuid(self.clock.as_ref())),
                        child_id: invitation.child_id,
                        account_id: account,
                        role: invitation.role,
                        status: LinkStatus::Active,
                        status_since: now,
                        status_by: Some(by),
                        invitation_id: Some(invitation.id),
                        request_id: None,
                        created_at: now,
                    },
                    expected: None,
                }),
                _ => None,
            },
        )
    }

    /// What a decision writes: the audit action, the chronology entry's kind and
    /// summary, and the email's subject and paragraphs.
    fn decision_text(
        &self,
        texts: &Texts,
        decline_reason: Option<&str>,
        name: &send_domain::PersonName,
        first_name: &str,
    ) -> StepText {
        let sign_in = self.link("/sign-in");
        let values = [("child_name", first_name), ("link", sign_in.as_str())];
        match decline_reason {
            None => {
                let (subject, paragraphs) =
                    self.council_email_text(texts, "invitation_confirmed", &values);
                (
                    AuditAction::InvitationConfirmed,
                    "invitation.confirmed",
                    format!("Portal access confirmed for {name}"),
                    subject,
                    paragraphs,
                )
            }
            Some(reason) => {
                let (subject, paragraphs) =
                    self.council_email_text(texts, "invitation_declined", &values);
                (
                    AuditAction::InvitationDeclined,
                    "invitation.declined",
                    format!("Portal access for {name} declined: {}", reason.trim()),
                    subject,
                    paragraphs,
                )
            }
        }
    }

    async fn decide_invitation(
        &self,
        access: &StaffAccess,
        id: InvitationId,
        decline_reason: Option<&str>,
        source: &Source,
    ) -> AppResult<Result<(), InvitationProblem>> {
        let (child, invitation) = self.authorise_invitation(access, id, source).await?;
        let now = self.clock.now();
        let decided = match decline_reason {
            None => invitation.confirm(access.account_id, now),
            Some(reason) => invitation.decline(access.account_id, now, reason),
        };
        let decided = match decided {
            Ok(d) => d,
            Err(err) => return Ok(Err(InvitationProblem::Step(err))),
        };
        let Some(acceptance) = invitation.acceptance.clone() else {
            return Ok(Err(InvitationProblem::Step(InvitationError::OutOfOrder)));
        };
        let account = self
            .store
            .account_by_id(acceptance.account)
            .await?
            .ok_or(AppError::NotFound)?;
        let link = self
            .decided_link(
                &invitation,
                account.id,
                decline_reason.is_none(),
                access.account_id,
            )
            .await?;
        let (action, kind, summary, subject, paragraphs) = self.decision_text(
            &*self.texts().await?,
            decline_reason,
            &account.name,
            &first_name(&child),
        );
        let written = self
            .write_person_step(
                PersonStep {
                    actor: access.account_id,
                    before: &invitation,
                    after: &decided,
                    link,
                    text: (action, kind, summary, subject, paragraphs),
                    to: &account,
                },
                source,
            )
            .await?;
        Ok(if written {
            Ok(())
        } else {
            Err(InvitationProblem::ChangedMeanwhile)
        })
    }
}
