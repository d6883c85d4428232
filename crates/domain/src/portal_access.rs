//! Portal users and a child's case (DESIGN LNK-1 to LNK-5): the invitation a
//! family contact receives, the reference code they quote, and the per-child link
//! the council confirms, revokes and grants again. One rule, [`portal_may`],
//! decides every portal request about a child.

use time::Duration;

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
