//! Signed-in (and signing-in) sessions, kept on the server so that any portal
//! instance can serve any request and signing out really ends the session.
//!
//! The session id lives only in the browser's cookie; the server keeps a hash of
//! it, so a copy of the database does not hand out live sessions.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::ids::UserId;
use crate::staff_setup::TokenHash;

/// A stored session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub id_hash: TokenHash,
    /// The account the session belongs to once the password step has passed.
    pub account_id: Option<UserId>,
    /// What the session carries (sign-in progress, the form token), as JSON.
    pub data: String,
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
    /// Where it signed in from (nothing before it signs in).
    pub signed_in_from: SignedInFrom,
}

/// One of an account's live sessions as My Account lists it: when it began and
/// was last active and where it signed in from, never what it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveSession {
    pub id_hash: TokenHash,
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
    pub signed_in_from: SignedInFrom,
}

/// Where a session signed in from, recorded at sign-in: the device (the
/// browser and operating system named from its User-Agent, "Firefox on
/// Windows") and the client's address. Either may be unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedInFrom {
    pub device: Option<String>,
    pub address: Option<String>,
}

impl SignedInFrom {
    /// The approximate place the address says, as the portal can tell it
    /// without a place lookup: its network (`Network 203.0.113.x`; for IPv6
    /// the /48, `Network 2001:db8:85a3::/48`). `None` if the address is
    /// unknown or not an address.
    pub fn network(&self) -> Option<String> {
        let address: IpAddr = self.address.as_deref()?.parse().ok()?;
        let address = match address {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
            v4 @ IpAddr::V4(_) => v4,
        };
        Some(match address {
            IpAddr::V4(v4) => {
                let [a, b, c, _] = v4.octets();
                format!("Network {a}.{b}.{c}.x")
            }
            IpAddr::V6(v6) => {
                let [a, b, c, ..] = v6.segments();
                format!("Network {a:x}:{b:x}:{c:x}::/48")
            }
        })
    }
}

/// How long a session lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionTimeouts {
    /// Ended after this long without a request.
    pub idle: Duration,
    /// Ended this long after it began, however active.
    pub absolute: Duration,
}

impl Default for SessionTimeouts {
    fn default() -> Self {
        Self {
            idle: Duration::minutes(30),
            absolute: Duration::hours(12),
        }
    }
}

impl SessionTimeouts {
    /// Whether `record` is still live at `now`.
    pub fn is_live(&self, record: &SessionRecord, now: OffsetDateTime) -> bool {
        now < record.last_seen_at + self.idle && now < record.created_at + self.absolute
    }

    /// How stale a session's recorded last activity may be before a request
    /// records it again: reading a session writes nothing unless it changed or
    /// its last activity is at least this old, so the idle timeout is extended
    /// lazily, at most once a minute (a session may end up to a minute early).
    pub const TOUCH_EVERY: Duration = Duration::minutes(1);

    /// Whether a request at `now` should record `record`'s activity.
    pub fn needs_touch(record: &SessionRecord, now: OffsetDateTime) -> bool {
        now - record.last_seen_at >= Self::TOUCH_EVERY
    }

    /// The last moment of activity a live session may have had at `now`.
    pub fn idle_cutoff(&self, now: OffsetDateTime) -> OffsetDateTime {
        now - self.idle
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn record(created: OffsetDateTime, seen: OffsetDateTime) -> SessionRecord {
        SessionRecord {
            id_hash: TokenHash::from_hex(&"0a".repeat(32)).unwrap(),
            account_id: None,
            data: "{}".to_owned(),
            created_at: created,
            last_seen_at: seen,
            signed_in_from: SignedInFrom::default(),
        }
    }

    fn from(address: &str) -> SignedInFrom {
        SignedInFrom {
            device: None,
            address: Some(address.to_owned()),
        }
    }

    #[test]
    fn the_place_shown_is_the_network_never_the_whole_address() {
        assert_eq!(
            from("203.0.113.77").network().as_deref(),
            Some("Network 203.0.113.x")
        );
        assert_eq!(
            from("::ffff:198.51.100.9").network().as_deref(),
            Some("Network 198.51.100.x")
        );
        assert_eq!(
            from("2001:db8:85a3:8d3:1319:8a2e:370:7348")
                .network()
                .as_deref(),
            Some("Network 2001:db8:85a3::/48")
        );
        assert_eq!(from("not an address").network(), None);
        assert_eq!(SignedInFrom::default().network(), None);
    }

    #[test]
    fn a_session_ends_after_30_idle_minutes_or_12_hours_in_all() {
        let timeouts = SessionTimeouts::default();
        let start = datetime!(2026-11-23 09:00 UTC);
        let fresh = record(start, start);
        assert!(timeouts.is_live(&fresh, start + Duration::minutes(29)));
        assert!(!timeouts.is_live(&fresh, start + Duration::minutes(30)));

        let busy = record(start, start + Duration::hours(11) + Duration::minutes(59));
        assert!(timeouts.is_live(&busy, start + Duration::hours(11) + Duration::minutes(59)));
        assert!(!timeouts.is_live(&busy, start + Duration::hours(12)));
    }

    #[test]
    fn activity_is_recorded_again_once_it_is_a_minute_old() {
        let start = datetime!(2026-11-23 09:00 UTC);
        let seen = record(start, start);
        assert!(!SessionTimeouts::needs_touch(&seen, start));
        assert!(!SessionTimeouts::needs_touch(
            &seen,
            start + Duration::seconds(59)
        ));
        assert!(SessionTimeouts::needs_touch(
            &seen,
            start + Duration::minutes(1)
        ));
    }
}
