//! Portal users and a child's case (DESIGN LNK-1 to LNK-5): the invitation a
//! family contact receives, the reference code they quote, and the per-child link
//! the council confirms, revokes and grants again. One rule, [`portal_may`],
//! decides every portal request about a child.

use time::{Date, Duration, OffsetDateTime};

use crate::accounts::ShortText;
use crate::audit::code_enum;
use crate::cases::{ChangeReason, ChangeReasonError, NhsNumber, Postcode, Uln, Upn};
use crate::email::Email;
use crate::ids::{ChildId, ChildLinkRequestId, ContactId, InvitationId, PortalLinkId, UserId};
use crate::names::PersonName;
use crate::staff::Decision;
use crate::staff_setup::TokenHash;

code_enum!(
    /// How a portal user is linked to a child.
    PortalRole {
        Parent => "parent",
        YoungPerson => "young_person",
        Professional => "professional",
    }
);

impl PortalRole {
    pub fn label(self) -> &'static str {
        match self {
            Self::Parent => "Parent or carer",
            Self::YoungPerson => "Young person",
            Self::Professional => "Professional",
        }
    }

    /// A parent or carer, or the young person: the family, not a professional.
    pub fn is_family(self) -> bool {
        matches!(self, Self::Parent | Self::YoungPerson)
    }
}

code_enum!(
    /// Where a link between a portal user and a child stands.
    LinkStatus {
        /// Asked for (an accepted invitation, a professional's request), not yet confirmed.
        Pending => "pending",
        Active => "active",
        Revoked => "revoked",
        Declined => "declined",
    }
);

code_enum!(
    /// What a portal user is trying to do with a child's case.
    PortalAction {
        ViewDashboard => "view_dashboard",
        ReadMessages => "read_messages",
        SendMessage => "send_message",
        ViewDocuments => "view_documents",
        CompleteForm => "complete_form",
    }
);

/// The one access rule for portal users and a child (DESIGN §4.3): only an active
/// link lets anyone do anything; without one the child's case is hidden (404), so
/// case ids cannot be probed. Every portal handler asks this.
pub fn portal_may(link: Option<LinkStatus>, action: PortalAction) -> Decision {
    match (link, action) {
        (
            Some(LinkStatus::Active),
            PortalAction::ViewDashboard
            | PortalAction::ReadMessages
            | PortalAction::SendMessage
            | PortalAction::ViewDocuments
            | PortalAction::CompleteForm,
        ) => Decision::Allowed,
        (None | Some(LinkStatus::Pending | LinkStatus::Revoked | LinkStatus::Declined), _) => {
            Decision::Hidden
        }
    }
}

/// Characters of reference codes: no 0/O, 1/I/L, 5/S or 8/B, so a code read out
/// on the phone is not mistaken.
pub const REFERENCE_ALPHABET: &[u8] = b"ACDEFGHJKMNPQRTUVWXY234679";

/// How many characters a reference code has.
pub const REFERENCE_LENGTH: usize = 8;

/// Why a typed reference code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceCodeError {
    #[error("Enter the reference code")]
    Empty,
    /// Too few or too many letters and numbers.
    #[error("The reference code has 8 letters and numbers, like ACDE-F234")]
    Format,
    /// 8 letters and numbers, but with one no code is made of (0, O, 1, I,
    /// L, 5, S, 8 or B, or a symbol): it cannot be the code that was sent, so
    /// it is a wrong code like any other, not a mistake of format.
    #[error("This code does not match the reference code we sent")]
    NoMatch,
}

/// The code a family contact quotes to the SEND team to show who they are.
#[derive(Clone, PartialEq, Eq)]
pub struct ReferenceCode(String);

impl ReferenceCode {
    /// A code from random bytes (the application supplies them).
    pub fn from_random(bytes: [u8; REFERENCE_LENGTH]) -> Self {
        let n = REFERENCE_ALPHABET.len();
        Self(
            bytes
                .iter()
                .map(|b| char::from(REFERENCE_ALPHABET[usize::from(*b) % n]))
                .collect(),
        )
    }

    /// A code as typed or read out: case, spaces and hyphens do not matter.
    pub fn parse(typed: &str) -> Result<Self, ReferenceCodeError> {
        let squashed: String = typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if squashed.is_empty() {
            return Err(ReferenceCodeError::Empty);
        }
        if squashed.chars().count() != REFERENCE_LENGTH {
            return Err(ReferenceCodeError::Format);
        }
        if !squashed.bytes().all(|b| REFERENCE_ALPHABET.contains(&b)) {
            return Err(ReferenceCodeError::NoMatch);
        }
        Ok(Self(squashed))
    }

    /// The code for hashing (no hyphen).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// As shown in the email: two groups of four, `ACDE-F234`.
    pub fn display(&self) -> String {
        format!("{}-{}", &self.0[..4], &self.0[4..])
    }
}

impl std::fmt::Debug for ReferenceCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReferenceCode([hidden])")
    }
}

/// How long an "Accept Portal Invitation" link works by default.
pub const DEFAULT_LINK_LIFETIME: Duration = Duration::days(14);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_portal_policy_table() {
        use Decision::{Allowed, Hidden};
        use LinkStatus::{Active, Declined, Pending, Revoked};
        for action in PortalAction::ALL {
            // (the link's status, the decision for every action)
            let table = [
                (Some(Active), Allowed),
                (Some(Pending), Hidden),
                (Some(Revoked), Hidden),
                (Some(Declined), Hidden),
                (None, Hidden),
            ];
            for (status, expected) in table {
                assert_eq!(
                    portal_may(status, *action),
                    expected,
                    "{status:?} {action:?}"
                );
            }
        }
    }

    #[test]
    fn reference_codes_are_unambiguous_and_typed_any_way() {
        let code = ReferenceCode::from_random([0, 1, 2, 3, 25, 26, 200, 255]);
        assert_eq!(code.as_str().len(), REFERENCE_LENGTH);
        assert!(
            !code
                .as_str()
                .contains(['0', 'O', '1', 'I', 'L', '5', 'S', '8', 'B'])
        );
        let shown = code.display();
        assert_eq!(shown.len(), 9);
        assert_eq!(
            ReferenceCode::parse(&shown.to_lowercase()),
            Ok(code.clone())
        );
        assert_eq!(
            ReferenceCode::parse(&format!(" {} ", code.as_str())),
            Ok(code)
        );
        assert_eq!(ReferenceCode::parse(""), Err(ReferenceCodeError::Empty));
        assert_eq!(
            ReferenceCode::parse("ACDE-F23"),
            Err(ReferenceCodeError::Format)
        );
        assert_eq!(
            ReferenceCode::parse("ACDE-F230"),
            Err(ReferenceCodeError::NoMatch),
            "8 characters with a 0: a wrong code, not a wrong format"
        );
        assert_eq!(
            ReferenceCode::parse("ACDE-F2345"),
            Err(ReferenceCodeError::Format)
        );
        assert_eq!(
            ReferenceCode::parse("ÅCDE-F234"),
            Err(ReferenceCodeError::NoMatch)
        );
    }
}

/// How many wrong reference codes an invitation takes before it is locked (the
/// SEND team then sends a new one).
pub const MAX_REFERENCE_CHECKS: u32 = 5;

code_enum!(
    /// How a caseworker checked who the person is when they quoted their code.
    VerifiedBy {
        Phone => "phone",
        InPerson => "in_person",
        Email => "email",
    }
);

impl VerifiedBy {
    pub fn label(self) -> &'static str {
        match self {
            Self::Phone => "By telephone",
            Self::InPerson => "In person",
            Self::Email => "By email from the invited address",
        }
    }
}

/// Who recorded the person's identity as checked, when and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub by: UserId,
    pub at: OffsetDateTime,
    pub how: VerifiedBy,
}

/// The "Accept Portal Invitation" link: only its hash is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationLink {
    pub token_hash: TokenHash,
    pub sent_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

/// The account that used the link, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acceptance {
    pub account: UserId,
    pub at: OffsetDateTime,
}

code_enum!(
    /// How an invitation ended.
    InvitationOutcome {
        /// The SEND team confirmed: the person has access.
        Confirmed => "confirmed",
        /// The SEND team declined the acceptance, with a reason.
        Declined => "declined",
        /// The person answered No on the invitation page.
        Refused => "refused",
        /// The SEND team withdrew it before it was accepted.
        Withdrawn => "withdrawn",
    }
);

/// How and by whom an invitation ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationDecision {
    pub outcome: InvitationOutcome,
    pub by: UserId,
    pub at: OffsetDateTime,
    pub reason: Option<String>,
}

code_enum!(
    /// Where an invitation stands, in the parent guide's order.
    InvitationStage {
        CodeSent => "code_sent",
        IdentityVerified => "identity_verified",
        LinkSent => "link_sent",
        Accepted => "accepted",
        Confirmed => "confirmed",
        Declined => "declined",
        Refused => "refused",
        Withdrawn => "withdrawn",
        /// Too many wrong reference codes were entered.
        Locked => "locked",
    }
);

impl InvitationStage {
    /// For the Portal access page.
    pub fn label(self) -> &'static str {
        match self {
            Self::CodeSent => "Reference code sent",
            Self::IdentityVerified => "Identity checked",
            Self::LinkSent => "Invitation link sent",
            Self::Accepted => "Accepted, waiting for the SEND team",
            Self::Confirmed => "Confirmed",
            Self::Declined => "Declined by the SEND team",
            Self::Refused => "The person said no",
            Self::Withdrawn => "Withdrawn",
            Self::Locked => "Locked after wrong reference codes",
        }
    }

    /// Whether nothing more can happen to the invitation.
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            Self::Confirmed | Self::Declined | Self::Refused | Self::Withdrawn | Self::Locked
        )
    }
}

/// An invitation for a family contact (or the young person) to see a child's
/// case (LNK-1 to LNK-3). Each step returns the next state or says why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: InvitationId,
    pub child_id: ChildId,
    /// The family contact invited, if the invitation came from one.
    pub contact_id: Option<ContactId>,
    pub name: PersonName,
    pub email: Email,
    pub role: PortalRole,
    /// The reference code's hash; the code itself is only in the email.
    pub reference_hash: TokenHash,
    pub failed_checks: u32,
    pub created_by: UserId,
    pub created_at: OffsetDateTime,
    pub verification: Option<Verification>,
    pub link: Option<InvitationLink>,
    pub acceptance: Option<Acceptance>,
    pub decision: Option<InvitationDecision>,
}

/// Why an invitation step was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvitationError {
    #[error("This step cannot be taken at this point of the invitation")]
    OutOfOrder,
    #[error("The invitation link has expired. Ask the SEND team for a new one")]
    Expired,
    #[error("This invitation has already been used by another account")]
    OtherAccount,
    #[error("This invitation has already been used")]
    AlreadyUsed,
    /// The reason for declining is missing, too long or has invisible characters.
    #[error("{0}")]
    Reason(ChangeReasonError),
}

impl Invitation {
    /// Where the invitation stands.
    pub fn stage(&self) -> InvitationStage {
        if let Some(decision) = &self.decision {
            return match decision.outcome {
                InvitationOutcome::Confirmed => InvitationStage::Confirmed,
                InvitationOutcome::Declined => InvitationStage::Declined,
                InvitationOutcome::Refused => InvitationStage::Refused,
                InvitationOutcome::Withdrawn => InvitationStage::Withdrawn,
            };
        }
        if self.acceptance.is_some() {
            InvitationStage::Accepted
        } else if self.link.is_some() {
            InvitationStage::LinkSent
        } else if self.verification.is_some() {
            InvitationStage::IdentityVerified
        } else if self.failed_checks >= MAX_REFERENCE_CHECKS {
            InvitationStage::Locked
        } else {
            InvitationStage::CodeSent
        }
    }

    /// A wrong code was entered for this invitation.
    #[must_use]
    pub fn record_failed_check(&self) -> Self {
        Self {
            failed_checks: self.failed_checks.saturating_add(1),
            ..self.clone()
        }
    }

    /// A caseworker records that the person quoted the right code.
    pub fn verify(
        &self,
        by: UserId,
        at: OffsetDateTime,
        how: VerifiedBy,
    ) -> Result<Self, InvitationError> {
        match self.stage() {
            InvitationStage::CodeSent => Ok(Self {
                verification: Some(Verification { by, at, how }),
                ..self.clone()
            }),
            _ => Err(InvitationError::OutOfOrder),
        }
    }

    /// The "Accept Portal Invitation" email goes out (or again, with a new link
    /// that replaces the old one).
    pub fn send_link(
        &self,
        token_hash: TokenHash,
        at: OffsetDateTime,
        lifetime: Duration,
    ) -> Result<Self, InvitationError> {
        match self.stage() {
            InvitationStage::IdentityVerified | InvitationStage::LinkSent => Ok(Self {
                link: Some(InvitationLink {
                    token_hash,
                    sent_at: at,
                    expires_at: at + lifetime,
                }),
                ..self.clone()
            }),
            _ => Err(InvitationError::OutOfOrder),
        }
    }

    /// Whether `account`, at `at`, may use the link: it works once, for one
    /// account, until it expires.
    pub fn check_link(&self, account: UserId, at: OffsetDateTime) -> Result<(), InvitationError> {
        let used_by_other = self
            .acceptance
            .as_ref()
            .is_some_and(|a| a.account != account);
        match (self.stage(), &self.link) {
            (_, _) if used_by_other => Err(InvitationError::OtherAccount),
            (InvitationStage::LinkSent, Some(link)) if at >= link.expires_at => {
                Err(InvitationError::Expired)
            }
            (InvitationStage::LinkSent, Some(_)) => Ok(()),
            (
                InvitationStage::Accepted
                | InvitationStage::Confirmed
                | InvitationStage::Declined
                | InvitationStage::Refused,
                _,
            ) => Err(InvitationError::AlreadyUsed),
            _ => Err(InvitationError::OutOfOrder),
        }
    }

    /// The person accepts through the link, signed in as `account`.
    pub fn accept(&self, account: UserId, at: OffsetDateTime) -> Result<Self, InvitationError> {
        self.check_link(account, at)?;
        Ok(Self {
            acceptance: Some(Acceptance { account, at }),
            ..self.clone()
        })
    }

    /// The person answers No through the link: the invitation ends.
    pub fn refuse(&self, account: UserId, at: OffsetDateTime) -> Result<Self, InvitationError> {
        self.check_link(account, at)?;
        Ok(Self {
            acceptance: Some(Acceptance { account, at }),
            decision: Some(InvitationDecision {
                outcome: InvitationOutcome::Refused,
                by: account,
                at,
                reason: None,
            }),
            ..self.clone()
        })
    }

    /// The SEND team confirms an accepted invitation.
    pub fn confirm(&self, by: UserId, at: OffsetDateTime) -> Result<Self, InvitationError> {
        self.decide(InvitationOutcome::Confirmed, by, at, None)
    }

    /// The SEND team declines an accepted invitation, with a reason.
    pub fn decline(
        &self,
        by: UserId,
        at: OffsetDateTime,
        reason: &str,
    ) -> Result<Self, InvitationError> {
        let reason = ChangeReason::parse(reason).map_err(InvitationError::Reason)?;
        self.decide(
            InvitationOutcome::Declined,
            by,
            at,
            Some(reason.as_str().to_owned()),
        )
    }

    /// The SEND team withdraws an invitation nobody has accepted yet.
    pub fn withdraw(&self, by: UserId, at: OffsetDateTime) -> Result<Self, InvitationError> {
        match self.stage() {
            InvitationStage::CodeSent
            | InvitationStage::IdentityVerified
            | InvitationStage::LinkSent
            | InvitationStage::Locked => Ok(Self {
                decision: Some(InvitationDecision {
                    outcome: InvitationOutcome::Withdrawn,
                    by,
                    at,
                    reason: None,
                }),
                ..self.clone()
            }),
            _ => Err(InvitationError::OutOfOrder),
        }
    }

    fn decide(
        &self,
        outcome: InvitationOutcome,
        by: UserId,
        at: OffsetDateTime,
        reason: Option<String>,
    ) -> Result<Self, InvitationError> {
        match self.stage() {
            InvitationStage::Accepted => Ok(Self {
                decision: Some(InvitationDecision {
                    outcome,
                    by,
                    at,
                    reason,
                }),
                ..self.clone()
            }),
            _ => Err(InvitationError::OutOfOrder),
        }
    }
}

/// A portal user's link to one child's case: what [`portal_may`] reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalLink {
    pub id: PortalLinkId,
    pub child_id: ChildId,
    pub account_id: UserId,
    pub role: PortalRole,
    pub status: LinkStatus,
    /// When the status last changed.
    pub status_since: OffsetDateTime,
    /// The member of staff who last changed it (`None` while the person's own
    /// request waits).
    pub status_by: Option<UserId>,
    /// The invitation or professional's request it came from.
    pub invitation_id: Option<InvitationId>,
    pub request_id: Option<ChildLinkRequestId>,
    pub created_at: OffsetDateTime,
}

/// Why a change to a link was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("This access has already been changed")]
    OutOfOrder,
}

impl PortalLink {
    /// Moves the link to `status`, by a member of staff (or, with `None`, the
    /// person's own request). The allowed moves: a request waits (pending), the
    /// SEND team confirms or declines it, revokes access and grants it again.
    pub fn change(
        &self,
        status: LinkStatus,
        by: Option<UserId>,
        at: OffsetDateTime,
    ) -> Result<Self, LinkError> {
        use LinkStatus::{Active, Declined, Pending, Revoked};
        let allowed = matches!(
            (self.status, status),
            (Pending, Active | Declined)
                | (Active, Revoked)
                | (Revoked, Active)
                | (Declined | Revoked, Pending)
        );
        if !allowed {
            return Err(LinkError::OutOfOrder);
        }
        Ok(Self {
            status,
            status_since: at,
            status_by: by,
            ..self.clone()
        })
    }
}

/// What a professional typed to find a child they work with (LNK-4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildLinkRequest {
    pub id: ChildLinkRequestId,
    pub account_id: UserId,
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub date_of_birth: Date,
    /// The school or setting, as the professional gave it.
    pub setting: Option<ShortText>,
    pub upn: Option<Upn>,
    pub uln: Option<Uln>,
    pub nhs_number: Option<NhsNumber>,
    pub postcode: Option<Postcode>,
    /// For example "SENCO", "Speech and language therapist".
    pub relationship: ShortText,
    pub created_at: OffsetDateTime,
    pub decision: Option<ChildLinkDecision>,
}

/// How the SEND team dealt with a professional's request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildLinkDecision {
    /// The child it was matched to; `None`: declined.
    pub matched_child: Option<ChildId>,
    pub by: UserId,
    pub at: OffsetDateTime,
    pub reason: Option<String>,
}

impl ChildLinkRequest {
    /// Matched to `child`: the professional is authenticated for that child.
    pub fn match_to(
        &self,
        child: ChildId,
        by: UserId,
        at: OffsetDateTime,
    ) -> Result<Self, InvitationError> {
        self.decide(Some(child), by, at, None)
    }

    /// Declined, with a reason the professional is told.
    pub fn decline(
        &self,
        by: UserId,
        at: OffsetDateTime,
        reason: &str,
    ) -> Result<Self, InvitationError> {
        let reason = ChangeReason::parse(reason).map_err(InvitationError::Reason)?;
        self.decide(None, by, at, Some(reason.as_str().to_owned()))
    }

    fn decide(
        &self,
        matched_child: Option<ChildId>,
        by: UserId,
        at: OffsetDateTime,
        reason: Option<String>,
    ) -> Result<Self, InvitationError> {
        if self.decision.is_some() {
            return Err(InvitationError::OutOfOrder);
        }
        Ok(Self {
            decision: Some(ChildLinkDecision {
                matched_child,
                by,
                at,
                reason,
            }),
            ..self.clone()
        })
    }

    /// The child's details as the professional gave them, for the matcher.
    pub fn details(&self) -> crate::matching::ChildDetails {
        crate::matching::ChildDetails {
            first_name: Some(self.first_name.to_string()),
            preferred_name: None,
            last_name: Some(self.last_name.to_string()),
            date_of_birth: Some(self.date_of_birth),
            postcode: self.postcode.clone(),
            setting: self.setting.as_ref().map(ToString::to_string),
            upn: self.upn.clone(),
            uln: self.uln.clone(),
            nhs_number: self.nhs_number.clone(),
            parents: Vec::new(),
        }
    }
}

#[cfg(test)]
mod invitation_tests {
    use time::macros::datetime;
    use uuid::Uuid;

    use super::*;

    fn user(n: u128) -> UserId {
        UserId::from_uuid(Uuid::from_u128(n))
    }

    fn hash(c: char) -> TokenHash {
        TokenHash::from_hex(&c.to_string().repeat(64)).unwrap()
    }

    fn invitation() -> Invitation {
        Invitation {
            id: InvitationId::from_uuid(Uuid::from_u128(9)),
            child_id: ChildId::from_uuid(Uuid::from_u128(8)),
            contact_id: None,
            name: PersonName::parse("Sam Parent").unwrap(),
            email: Email::parse("sam@example.com").unwrap(),
            role: PortalRole::Parent,
            reference_hash: hash('a'),
            failed_checks: 0,
            created_by: user(1),
            created_at: datetime!(2026-11-20 10:00 UTC),
            verification: None,
            link: None,
            acceptance: None,
            decision: None,
        }
    }

    #[test]
    fn an_invitation_goes_code_verified_link_accepted_confirmed_in_that_order() {
        let now = datetime!(2026-11-23 10:00 UTC);
        let (caseworker, parent, stranger) = (user(1), user(2), user(3));
        let sent = invitation();
        assert_eq!(sent.stage(), InvitationStage::CodeSent);
        assert_eq!(
            sent.send_link(hash('b'), now, DEFAULT_LINK_LIFETIME),
            Err(InvitationError::OutOfOrder)
        );
        assert_eq!(sent.accept(parent, now), Err(InvitationError::OutOfOrder));
        let verified = sent.verify(caseworker, now, VerifiedBy::Phone).unwrap();
        assert_eq!(verified.stage(), InvitationStage::IdentityVerified);
        let linked = verified
            .send_link(hash('b'), now, DEFAULT_LINK_LIFETIME)
            .unwrap();
        assert_eq!(
            linked.link.as_ref().unwrap().expires_at,
            datetime!(2026-12-07 10:00 UTC)
        );
        assert_eq!(
            linked.accept(parent, datetime!(2026-12-07 10:00 UTC)),
            Err(InvitationError::Expired)
        );
        let accepted = linked.accept(parent, now).unwrap();
        assert_eq!(accepted.stage(), InvitationStage::Accepted);
        assert_eq!(
            accepted.accept(stranger, now),
            Err(InvitationError::OtherAccount)
        );
        assert_eq!(
            accepted.accept(parent, now),
            Err(InvitationError::AlreadyUsed),
            "once"
        );
        assert_eq!(
            accepted.send_link(hash('c'), now, DEFAULT_LINK_LIFETIME),
            Err(InvitationError::OutOfOrder),
            "no new link once accepted"
        );
        assert_eq!(
            accepted.decline(caseworker, now, " "),
            Err(InvitationError::Reason(ChangeReasonError::Empty))
        );
        assert_eq!(
            accepted.decline(caseworker, now, "Not\0known"),
            Err(InvitationError::Reason(ChangeReasonError::Invisible)),
            "a NUL, which PostgreSQL cannot store, is refused"
        );
        let confirmed = accepted.confirm(caseworker, now).unwrap();
        assert_eq!(confirmed.stage(), InvitationStage::Confirmed);
        assert_eq!(
            confirmed.accept(stranger, now),
            Err(InvitationError::OtherAccount)
        );
        assert_eq!(
            confirmed.confirm(caseworker, now),
            Err(InvitationError::OutOfOrder)
        );
        assert_eq!(
            confirmed.withdraw(caseworker, now),
            Err(InvitationError::OutOfOrder)
        );
    }

    #[test]
    fn wrong_codes_lock_an_invitation_and_no_means_no() {
        let now = datetime!(2026-11-23 10:00 UTC);
        let mut locked = invitation();
        for _ in 0..MAX_REFERENCE_CHECKS {
            assert_eq!(locked.stage(), InvitationStage::CodeSent);
            locked = locked.record_failed_check();
        }
        assert_eq!(locked.stage(), InvitationStage::Locked);
        assert!(locked.stage().is_finished());
        assert_eq!(
            locked.verify(user(1), now, VerifiedBy::Phone),
            Err(InvitationError::OutOfOrder)
        );
        let linked = invitation()
            .verify(user(1), now, VerifiedBy::InPerson)
            .unwrap()
            .send_link(hash('b'), now, DEFAULT_LINK_LIFETIME)
            .unwrap();
        let refused = linked.refuse(user(2), now).unwrap();
        assert_eq!(refused.stage(), InvitationStage::Refused);
        assert_eq!(
            refused.accept(user(2), now),
            Err(InvitationError::AlreadyUsed)
        );
        assert_eq!(
            linked.withdraw(user(1), now).unwrap().stage(),
            InvitationStage::Withdrawn
        );
    }

    #[test]
    fn links_move_only_as_the_council_decides() {
        use LinkStatus::{Active, Declined, Pending, Revoked};
        let now = datetime!(2026-11-23 10:00 UTC);
        let link = PortalLink {
            id: PortalLinkId::from_uuid(Uuid::from_u128(4)),
            child_id: ChildId::from_uuid(Uuid::from_u128(8)),
            account_id: user(2),
            role: PortalRole::Parent,
            status: Pending,
            status_since: now,
            status_by: None,
            invitation_id: None,
            request_id: None,
            created_at: now,
        };
        // (from, to, allowed)
        let table = [
            (Pending, Active, true),
            (Pending, Declined, true),
            (Pending, Revoked, false),
            (Active, Revoked, true),
            (Active, Pending, false),
            (Active, Active, false),
            (Revoked, Active, true),
            (Revoked, Pending, true),
            (Declined, Pending, true),
            (Declined, Active, false),
        ];
        for (from, to, allowed) in table {
            let start = PortalLink {
                status: from,
                ..link.clone()
            };
            let moved = start.change(to, Some(user(1)), now);
            assert_eq!(moved.is_ok(), allowed, "{from:?} -> {to:?}");
            if let Ok(moved) = moved {
                assert_eq!((moved.status, moved.status_by), (to, Some(user(1))));
            }
        }
    }
}
