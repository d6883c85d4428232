//! Single-use links that let a new back-office member of staff set up their account.
//!
//! The first administrator's link comes from the `create-admin` command; later ones
//! from an administrator. Only a hash of the link's secret is ever stored.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::audit::UnknownCode;
use crate::email::Email;
use crate::ids::{PermissionGroupId, StaffSetupLinkId, TeamId};
use crate::names::PersonName;

/// The back-office roles (DESIGN §1). Permission groups refine what each may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StaffRole {
    Caseworker,
    TeamManager,
    Administrator,
}

impl StaffRole {
    pub fn code(self) -> &'static str {
        match self {
            Self::Caseworker => "caseworker",
            Self::TeamManager => "team_manager",
            Self::Administrator => "administrator",
        }
    }

    pub fn parse_code(code: &str) -> Result<Self, UnknownCode> {
        match code {
            "caseworker" => Ok(Self::Caseworker),
            "team_manager" => Ok(Self::TeamManager),
            "administrator" => Ok(Self::Administrator),
            other => Err(UnknownCode(other.to_owned())),
        }
    }

    /// The role's name as shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Caseworker => "Caseworker",
            Self::TeamManager => "Team manager",
            Self::Administrator => "Portal administrator",
        }
    }
}

/// The SHA-256 hash of a secret token, as lowercase hex. The token itself is shown
/// once (in an email or on the operator's terminal) and never stored.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct TokenHash(String);

impl TokenHash {
    /// Wraps a hash already computed from a token. Refuses anything that is not
    /// 64 lowercase hex characters, so a raw token can never be stored by mistake.
    pub fn from_hex(hex: &str) -> Result<Self, UnknownCode> {
        if hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            Ok(Self(hex.to_owned()))
        } else {
            Err(UnknownCode("token hash".to_owned()))
        }
    }

    pub fn as_hex(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenHash(..)")
    }
}

/// A link to set up a back-office account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffSetupLink {
    pub id: StaffSetupLinkId,
    pub email: Email,
    pub name: PersonName,
    pub role: StaffRole,
    /// The team the new member of staff joins (`None`: no team yet).
    pub team_id: Option<TeamId>,
    /// The permission groups they join.
    pub groups: BTreeSet<PermissionGroupId>,
    pub token_hash: TokenHash,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub used_at: Option<OffsetDateTime>,
    /// When an administrator withdrew it (it then works no more).
    pub withdrawn_at: Option<OffsetDateTime>,
}

/// Whether a link can still be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffSetupLinkState {
    Usable,
    Expired,
    AlreadyUsed,
    Withdrawn,
}

impl StaffSetupLink {
    pub fn state_at(&self, now: OffsetDateTime) -> StaffSetupLinkState {
        if self.used_at.is_some() {
            StaffSetupLinkState::AlreadyUsed
        } else if self.withdrawn_at.is_some() {
            StaffSetupLinkState::Withdrawn
        } else if now >= self.expires_at {
            StaffSetupLinkState::Expired
        } else {
            StaffSetupLinkState::Usable
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;
    use uuid::Uuid;

    fn link() -> StaffSetupLink {
        StaffSetupLink {
            id: StaffSetupLinkId::from_uuid(Uuid::nil()),
            email: Email::parse("admin@example.gov.uk").unwrap(),
            name: PersonName::parse("Ada Admin").unwrap(),
            role: StaffRole::Administrator,
            team_id: None,
            groups: BTreeSet::new(),
            token_hash: TokenHash::from_hex(&"a".repeat(64)).unwrap(),
            created_at: datetime!(2026-01-01 09:00 UTC),
            expires_at: datetime!(2026-01-02 09:00 UTC),
            used_at: None,
            withdrawn_at: None,
        }
    }

    #[test]
    fn a_withdrawn_link_works_no_more() {
        let mut link = link();
        link.withdrawn_at = Some(datetime!(2026-01-01 10:00 UTC));
        assert_eq!(
            link.state_at(datetime!(2026-01-01 11:00 UTC)),
            StaffSetupLinkState::Withdrawn
        );
    }

    #[test]
    fn a_link_is_usable_until_it_expires_or_is_used() {
        let mut link = link();
        assert_eq!(
            link.state_at(datetime!(2026-01-02 08:59:59 UTC)),
            StaffSetupLinkState::Usable
        );
        assert_eq!(
            link.state_at(datetime!(2026-01-02 09:00 UTC)),
            StaffSetupLinkState::Expired
        );
        link.used_at = Some(datetime!(2026-01-01 10:00 UTC));
        assert_eq!(
            link.state_at(datetime!(2026-01-01 11:00 UTC)),
            StaffSetupLinkState::AlreadyUsed
        );
    }

    #[test]
    fn a_token_hash_must_look_like_a_hash() {
        assert!(TokenHash::from_hex("secret-token").is_err());
        assert!(TokenHash::from_hex(&"A".repeat(64)).is_err());
        assert!(TokenHash::from_hex(&"0f".repeat(32)).is_ok());
    }

    #[test]
    fn roles_round_trip() {
        for role in [
            StaffRole::Caseworker,
            StaffRole::TeamManager,
            StaffRole::Administrator,
        ] {
            assert_eq!(StaffRole::parse_code(role.code()).unwrap(), role);
        }
    }
}
