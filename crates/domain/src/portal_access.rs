//! Portal users and a child's case (DESIGN LNK-1 to LNK-5): the invitation a
//! family contact receives, the reference code they quote, and the per-child link
//! the council confirms, revokes and grants again. One rule, [`portal_may`],
//! decides every portal request about a child.

use time::{Duration, OffsetDateTime};

use crate::audit::code_enum;
use crate::staff::Decision;

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
    #[error("The reference code has 8 letters and numbers, like ACDE-F234")]
    Format,
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
        if squashed.len() != REFERENCE_LENGTH
            || !squashed.bytes().all(|b| REFERENCE_ALPHABET.contains(&b))
        {
            return Err(ReferenceCodeError::Format);
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
            Err(ReferenceCodeError::Format)
        );
    }
}

/// How a caseworker checked who the person is when they quoted their code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifiedBy {
    Phone,
    InPerson,
}

/// Where an invitation to a child's case stands (the parent guide's order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvitationState {
    /// The email with the reference code has been sent.
    CodeSent,
    /// The person quoted the code and a caseworker recorded it.
    IdentityVerified {
        by: crate::ids::UserId,
        at: OffsetDateTime,
        how: VerifiedBy,
    },
    /// The "Accept Portal Invitation" email has gone, with a link until `expires_at`.
    LinkSent { expires_at: OffsetDateTime },
    /// The person accepted, signed in as `account`; waiting for the SEND team.
    Accepted {
        account: crate::ids::UserId,
        at: OffsetDateTime,
    },
    /// The SEND team confirmed: the person has access.
    Confirmed {
        account: crate::ids::UserId,
        by: crate::ids::UserId,
        at: OffsetDateTime,
    },
    /// The SEND team declined, with a reason.
    Declined {
        by: crate::ids::UserId,
        at: OffsetDateTime,
        reason: String,
    },
}

/// Why an invitation step was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvitationError {
    #[error("This step cannot be taken at this point of the invitation")]
    OutOfOrder,
    #[error("The invitation link has expired. Ask the SEND team for a new one")]
    Expired,
    #[error("This invitation has already been accepted by another account")]
    OtherAccount,
    #[error("Enter the reason")]
    NoReason,
}

impl InvitationState {
    /// A caseworker records that the person quoted the right code.
    pub fn verify(
        &self,
        by: crate::ids::UserId,
        at: OffsetDateTime,
        how: VerifiedBy,
    ) -> Result<Self, InvitationError> {
        match self {
            Self::CodeSent => Ok(Self::IdentityVerified { by, at, how }),
            _ => Err(InvitationError::OutOfOrder),
        }
    }

    /// The "Accept Portal Invitation" email goes out (or again, with a new link).
    pub fn send_link(
        &self,
        at: OffsetDateTime,
        lifetime: Duration,
    ) -> Result<Self, InvitationError> {
        match self {
            Self::IdentityVerified { .. } | Self::LinkSent { .. } => Ok(Self::LinkSent {
                expires_at: at + lifetime,
            }),
            _ => Err(InvitationError::OutOfOrder),
        }
    }

    /// The person accepts through the link, signed in as `account`. The link works
    /// once, for one account, until it expires.
    pub fn accept(
        &self,
        account: crate::ids::UserId,
        at: OffsetDateTime,
    ) -> Result<Self, InvitationError> {
        match self {
            Self::LinkSent { expires_at } if at >= *expires_at => Err(InvitationError::Expired),
            Self::LinkSent { .. } => Ok(Self::Accepted { account, at }),
            Self::Accepted { account: first, .. } | Self::Confirmed { account: first, .. }
                if *first != account =>
            {
                Err(InvitationError::OtherAccount)
            }
            _ => Err(InvitationError::OutOfOrder),
        }
    }

    /// The SEND team confirms an accepted invitation.
    pub fn confirm(
        &self,
        by: crate::ids::UserId,
        at: OffsetDateTime,
    ) -> Result<Self, InvitationError> {
        match self {
            Self::Accepted { account, .. } => Ok(Self::Confirmed {
                account: *account,
                by,
                at,
            }),
            _ => Err(InvitationError::OutOfOrder),
        }
    }

    /// The SEND team declines an accepted invitation, with a reason.
    pub fn decline(
        &self,
        by: crate::ids::UserId,
        at: OffsetDateTime,
        reason: &str,
    ) -> Result<Self, InvitationError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(InvitationError::NoReason);
        }
        match self {
            Self::Accepted { .. } => Ok(Self::Declined {
                by,
                at,
                reason: reason.to_owned(),
            }),
            _ => Err(InvitationError::OutOfOrder),
        }
    }
}

#[cfg(test)]
mod invitation_tests {
    use time::macros::datetime;
    use uuid::Uuid;

    use super::*;
    use crate::ids::UserId;

    fn user(n: u128) -> UserId {
        UserId::from_uuid(Uuid::from_u128(n))
    }

    #[test]
    fn an_invitation_goes_code_verified_link_accepted_confirmed_in_that_order() {
        let now = datetime!(2026-11-23 10:00 UTC);
        let (caseworker, parent, stranger) = (user(1), user(2), user(3));
        let sent = InvitationState::CodeSent;
        assert_eq!(
            sent.send_link(now, DEFAULT_LINK_LIFETIME),
            Err(InvitationError::OutOfOrder)
        );
        assert_eq!(sent.accept(parent, now), Err(InvitationError::OutOfOrder));
        let verified = sent.verify(caseworker, now, VerifiedBy::Phone).unwrap();
        let linked = verified.send_link(now, DEFAULT_LINK_LIFETIME).unwrap();
        assert_eq!(
            linked,
            InvitationState::LinkSent {
                expires_at: datetime!(2026-12-07 10:00 UTC)
            }
        );
        assert_eq!(
            linked.accept(parent, datetime!(2026-12-07 10:00 UTC)),
            Err(InvitationError::Expired)
        );
        let accepted = linked.accept(parent, now).unwrap();
        assert_eq!(
            accepted.accept(stranger, now),
            Err(InvitationError::OtherAccount)
        );
        assert_eq!(
            accepted.accept(parent, now),
            Err(InvitationError::OutOfOrder),
            "once"
        );
        assert_eq!(
            accepted.decline(caseworker, now, " "),
            Err(InvitationError::NoReason)
        );
        let confirmed = accepted.confirm(caseworker, now).unwrap();
        assert!(
            matches!(confirmed, InvitationState::Confirmed { account, .. } if account == parent)
        );
        assert_eq!(
            confirmed.accept(stranger, now),
            Err(InvitationError::OtherAccount)
        );
        assert_eq!(
            confirmed.confirm(caseworker, now),
            Err(InvitationError::OutOfOrder)
        );
    }
}
