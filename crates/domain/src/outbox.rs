//! The email outbox (DESIGN NTF-4): every email is stored in the same transaction
//! as the action that causes it, then a worker delivers it, retrying with backoff
//! until it is sent. Nothing is lost; each email has one id, so a retry never makes
//! a second email.
//!
//! Emails carry no personal data beyond the recipient's own name, and never a
//! password.

use std::fmt;

use time::{Duration, OffsetDateTime};

use crate::email::Email;
use crate::ids::EmailId;
use crate::names::PersonName;

/// Why a subject line was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubjectError {
    #[error("an email subject must not be empty")]
    Empty,
    #[error("an email subject must be 150 characters or fewer")]
    TooLong,
    #[error("an email subject must be one line without control characters")]
    ControlCharacters,
}

/// An email's subject: one line of 1 to 150 characters, so it can never smuggle in
/// another header.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailSubject(String);

impl EmailSubject {
    pub const MAX_CHARS: usize = 150;

    pub fn parse(input: &str) -> Result<Self, SubjectError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(SubjectError::Empty);
        }
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(SubjectError::TooLong);
        }
        if trimmed.chars().any(char::is_control) {
            return Err(SubjectError::ControlCharacters);
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailSubject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One email waiting in (or delivered from) the outbox: already rendered, as plain
/// text and simple HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingEmail {
    pub id: EmailId,
    pub to: Email,
    /// The recipient's own name, when known; the only personal data an email holds.
    pub to_name: Option<PersonName>,
    pub subject: EmailSubject,
    pub text_body: String,
    pub html_body: String,
    pub created_at: OffsetDateTime,
}

/// Where an email is in its delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryState {
    /// Not sent yet. `attempts` failed so far; the next is due at `next_attempt_at`
    /// (or, while a worker holds it, when that worker's lease ends).
    Pending {
        attempts: u32,
        next_attempt_at: OffsetDateTime,
        last_error: Option<String>,
    },
    /// Handed to the mail transport at `at`, after `attempts` attempts in all.
    Sent { at: OffsetDateTime, attempts: u32 },
}

/// An email and its delivery state, as the outbox holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub email: OutgoingEmail,
    pub state: DeliveryState,
    /// The transport's own reference for the sent email, when it keeps one to
    /// ask about later (GOV.UK Notify's notification id; migration 0016).
    pub transport_reference: Option<String>,
}

/// An email a worker has leased for delivery, with the attempts it has failed so
/// far. Until the lease ends no other worker is given it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedEmail {
    pub email: OutgoingEmail,
    pub attempts: u32,
}

/// The first retry waits this long; each later one twice as long as the one before.
pub const FIRST_RETRY_DELAY: Duration = Duration::seconds(30);

/// No retry waits longer than this: an email keeps being tried hourly until it goes.
pub const LONGEST_RETRY_DELAY: Duration = Duration::hours(1);

/// How long to wait after the `attempts`-th failed attempt (counting from 1) before
/// trying again: 30 s, 1 min, 2 min, 4 min, … capped at 1 hour.
pub fn retry_delay(attempts: u32) -> Duration {
    let doublings = attempts.saturating_sub(1).min(16);
    let delay = FIRST_RETRY_DELAY * (1_i32 << doublings);
    delay.min(LONGEST_RETRY_DELAY)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn retries_back_off_by_doubling_to_an_hour() {
        let delays: Vec<i64> = (1..=9).map(|n| retry_delay(n).whole_seconds()).collect();
        assert_eq!(delays, vec![30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(retry_delay(0), FIRST_RETRY_DELAY);
        assert_eq!(retry_delay(u32::MAX), LONGEST_RETRY_DELAY);
    }

    proptest! {
        #[test]
        fn retry_delays_never_shrink_and_stay_within_bounds(n in 1_u32..10_000) {
            let (this, next) = (retry_delay(n), retry_delay(n + 1));
            prop_assert!(this <= next);
            prop_assert!(this >= FIRST_RETRY_DELAY && this <= LONGEST_RETRY_DELAY);
        }
    }

    #[test]
    fn subjects_are_one_short_line() {
        assert_eq!(
            EmailSubject::parse("  Your sign-in code ")
                .unwrap()
                .as_str(),
            "Your sign-in code"
        );
        assert_eq!(EmailSubject::parse(" "), Err(SubjectError::Empty));
        assert_eq!(
            EmailSubject::parse("Hello\r\nBcc: someone@example.com"),
            Err(SubjectError::ControlCharacters)
        );
        assert_eq!(
            EmailSubject::parse(&"a".repeat(151)),
            Err(SubjectError::TooLong)
        );
    }
}
