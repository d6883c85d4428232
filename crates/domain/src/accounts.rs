//! Accounts: who may sign in, how, and the rules that keep sign-in safe.
//!
//! An account is a parent or young person (citizen), a professional, or a member of
//! the council's staff. Every sign-in has two steps: the password, then either a
//! code sent by email or a code from an authenticator app (staff must use the app).
//! One-time codes, reset links and recovery codes are stored only as hashes.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::audit::code_enum;
use crate::email::Email;
use crate::ids::{OneTimeCodeId, UserId};
use crate::names::PersonName;
use crate::staff_setup::{StaffRole, TokenHash};

code_enum!(
    /// Which part of the portal an account belongs to.
    AccountKind {
        /// A parent, carer or young person.
        Citizen => "citizen",
        /// Someone from a school, health or social care, using the portal for work.
        Professional => "professional",
        /// A member of the council's SEND team (the back office).
        Staff => "staff",
    }
);

code_enum!(
    /// How the second step of signing in is done.
    SecondFactor {
        /// A 6-digit code sent by email each time.
        EmailCode => "email",
        /// A code from an authenticator app (TOTP). Required for staff.
        Authenticator => "authenticator",
    }
);

impl SecondFactor {
    /// As shown in My Account.
    pub fn label(self) -> &'static str {
        match self {
            Self::EmailCode => "A code sent by email",
            Self::Authenticator => "An authenticator app",
        }
    }
}

/// Why a short piece of text (a phone number, an organisation) was refused. The
/// messages name the field, so each form passes its own label in lower case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("Enter {0}")]
    Empty(&'static str),
    #[error("{0} must be {1} characters or fewer")]
    TooLong(&'static str, usize),
    #[error("{0} must not contain control characters")]
    ControlCharacters(&'static str),
    #[error("Enter a telephone number, like 01632 960 001 or 07700 900 982")]
    PhoneFormat,
}

/// A UK or international telephone number: digits with optional spaces, brackets,
/// hyphens and a leading `+`; between 10 and 15 digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(input: &str) -> Result<Self, TextError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(TextError::Empty("a telephone number"));
        }
        let digits = trimmed.chars().filter(char::is_ascii_digit).count();
        let allowed = trimmed
            .chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || " ()-".contains(c) || (c == '+' && i == 0));
        if !allowed || !(10..=15).contains(&digits) {
            return Err(TextError::PhoneFormat);
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = TextError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PhoneNumber> for String {
    fn from(value: PhoneNumber) -> Self {
        value.0
    }
}

/// A required line of text of at most 100 characters, such as an organisation's
/// name or a job title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShortText(String);

impl ShortText {
    pub const MAX_CHARS: usize = 100;

    /// `what` names the field in the error message ("your organisation").
    pub fn parse(input: &str, what: &'static str) -> Result<Self, TextError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(TextError::Empty(what));
        }
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(TextError::TooLong(capitalised(what), Self::MAX_CHARS));
        }
        if trimmed.chars().any(char::is_control) {
            return Err(TextError::ControlCharacters(capitalised(what)));
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// Rebuilds stored text without re-checking it.
    pub fn from_stored(text: String) -> Self {
        Self(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ShortText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The field names used in messages start lower case ("your organisation"); a
/// message that starts with one needs a capital. Only the fixed names of this
/// module come here.
fn capitalised(what: &'static str) -> &'static str {
    match what {
        "your organisation" => "Your organisation",
        "your role" => "Your role",
        _ => "This answer",
    }
}

/// What a professional account records about the person's work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfessionalDetails {
    pub organisation: ShortText,
    pub role: ShortText,
    pub work_phone: PhoneNumber,
}

/// An Argon2id hash in PHC string form. Its `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    pub fn from_phc(phc: String) -> Self {
        Self(phc)
    }

    pub fn as_phc(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash([hidden])")
    }
}

/// An authenticator app's shared secret (base32, as the app is given it) and the
/// last time step accepted, so a code cannot be used twice.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpEnrolment {
    pub secret_base32: String,
    pub last_used_step: Option<u64>,
}

impl fmt::Debug for TotpEnrolment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TotpEnrolment")
            .field("secret_base32", &"[hidden]")
            .field("last_used_step", &self.last_used_step)
            .finish()
    }
}

/// A stored account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: UserId,
    pub kind: AccountKind,
    /// Unique across all accounts, in lower case.
    pub email: Email,
    pub name: PersonName,
    pub phone: Option<PhoneNumber>,
    /// Present exactly when `kind` is `Professional`.
    pub professional: Option<ProfessionalDetails>,
    /// Present exactly when `kind` is `Staff`.
    pub staff_role: Option<StaffRole>,
    pub password_hash: PasswordHash,
    pub second_factor: SecondFactor,
    pub totp: Option<TotpEnrolment>,
    /// When the address was confirmed with a code; `None` until then.
    pub email_verified_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl Account {
    /// Whether this account may be signed in with a code sent by email. Staff may
    /// not: the back office needs an authenticator app.
    pub fn may_use_email_codes(&self) -> bool {
        self.kind != AccountKind::Staff
    }

    /// The second step this account must pass, or `None` when it has no usable
    /// one (a staff account without an authenticator app cannot finish signing in).
    pub fn second_step(&self) -> Option<SecondFactor> {
        match (self.second_factor, &self.totp) {
            (SecondFactor::Authenticator, Some(_)) => Some(SecondFactor::Authenticator),
            _ if self.may_use_email_codes() => Some(SecondFactor::EmailCode),
            _ => None,
        }
    }
}

code_enum!(
    /// What a one-time code is for. A code only works for its own purpose.
    CodePurpose {
        /// Confirming a new account's email address.
        VerifyEmail => "verify_email",
        /// The second step of signing in.
        SignIn => "sign_in",
        /// Confirming a new email address in My Account.
        ChangeEmail => "change_email",
    }
);

/// A 6-digit code sent by email. Bound to one account, one purpose and one attempt
/// (the browser session that asked for it); only its hash is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneTimeCode {
    pub id: OneTimeCodeId,
    pub account_id: UserId,
    pub purpose: CodePurpose,
    pub code_hash: TokenHash,
    /// Hash of the attempt's secret, kept in the session that asked for the code.
    pub attempt_hash: TokenHash,
    /// For `ChangeEmail`: the address being confirmed.
    pub new_email: Option<Email>,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub wrong_attempts: u32,
    pub used_at: Option<OffsetDateTime>,
}

/// Whether a stored code can still be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeState {
    Usable,
    Expired,
    Used,
    /// Too many wrong codes were entered for it.
    Voided,
}

impl OneTimeCode {
    /// How long a code works.
    pub const LIFETIME: Duration = Duration::minutes(10);
    /// Wrong entries after which the code no longer works.
    pub const MAX_WRONG_ATTEMPTS: u32 = 5;
    /// How many codes of one purpose may be sent to an account within
    /// [`OneTimeCode::SENDING_WINDOW`] (the first one and the resends).
    pub const MAX_SENT_IN_WINDOW: u32 = 5;
    pub const SENDING_WINDOW: Duration = Duration::hours(1);

    pub fn state_at(&self, now: OffsetDateTime) -> CodeState {
        if self.used_at.is_some() {
            CodeState::Used
        } else if self.wrong_attempts >= Self::MAX_WRONG_ATTEMPTS {
            CodeState::Voided
        } else if now >= self.expires_at {
            CodeState::Expired
        } else {
            CodeState::Usable
        }
    }
}

/// Why a typed code was refused before it was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CodeTextError {
    #[error("Enter the code")]
    Empty,
    #[error("The code must be 6 numbers")]
    Format,
}

/// A code as typed or pasted: spaces and hyphens are ignored, so `123 456` and
/// `123-456` are both `123456`.
#[derive(Clone, PartialEq, Eq)]
pub struct CodeText(String);

impl CodeText {
    pub const DIGITS: usize = 6;

    pub fn parse(input: &str) -> Result<Self, CodeTextError> {
        let squashed: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if squashed.is_empty() {
            return Err(CodeTextError::Empty);
        }
        if squashed.len() != Self::DIGITS || !squashed.chars().all(|c| c.is_ascii_digit()) {
            return Err(CodeTextError::Format);
        }
        Ok(Self(squashed))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for CodeText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CodeText([hidden])")
    }
}

/// A single-use link to set a new password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordResetToken {
    pub token_hash: TokenHash,
    pub account_id: UserId,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub used_at: Option<OffsetDateTime>,
}

impl PasswordResetToken {
    pub const LIFETIME: Duration = Duration::minutes(30);

    pub fn is_usable_at(&self, now: OffsetDateTime) -> bool {
        self.used_at.is_none() && now < self.expires_at
    }
}

/// Failed attempts counted against one key (an email address, a source address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleState {
    pub failures: u32,
    pub last_failure_at: OffsetDateTime,
}

/// What the throttle says about a new attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottleDecision {
    Allowed,
    /// Too soon after the last failure: try again at `until`.
    Wait {
        until: OffsetDateTime,
    },
    /// Too many failures: locked until `until`.
    LockedOut {
        until: OffsetDateTime,
    },
}

/// Growing delays, then a temporary lockout, after repeated failures. Failures are
/// forgotten once `lockout` has passed since the last one, and on success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures allowed with no delay.
    pub free_failures: u32,
    /// Failures after which the key is locked out.
    pub lock_after: u32,
    /// How long a lockout lasts (and how long failures are remembered).
    pub lockout: Duration,
}

impl ThrottlePolicy {
    /// For one email address: 3 free tries, then 2, 4, 8… seconds between tries,
    /// locked for 15 minutes after 10 failures.
    pub const PER_ACCOUNT: Self = Self {
        free_failures: 3,
        lock_after: 10,
        lockout: Duration::minutes(15),
    };

    /// For one source address, across all accounts: generous, since a school or
    /// council office shares one address, but it stops one machine guessing many
    /// accounts' passwords.
    pub const PER_ADDRESS: Self = Self {
        free_failures: 30,
        lock_after: 100,
        lockout: Duration::minutes(15),
    };

    /// The longest wait between tries before the lockout.
    const MAX_DELAY: Duration = Duration::minutes(2);

    /// Failures that still count at `now`.
    pub fn live_failures(&self, state: Option<&ThrottleState>, now: OffsetDateTime) -> u32 {
        match state {
            Some(state) if now - state.last_failure_at < self.lockout => state.failures,
            _ => 0,
        }
    }

    pub fn decide(&self, state: Option<&ThrottleState>, now: OffsetDateTime) -> ThrottleDecision {
        let failures = self.live_failures(state, now);
        let Some(state) = state.filter(|_| failures > 0) else {
            return ThrottleDecision::Allowed;
        };
        if failures >= self.lock_after {
            return ThrottleDecision::LockedOut {
                until: state.last_failure_at + self.lockout,
            };
        }
        if failures < self.free_failures {
            return ThrottleDecision::Allowed;
        }
        let doublings = (failures - self.free_failures).min(16);
        let delay = (Duration::seconds(2) * 2_i32.pow(doublings)).min(Self::MAX_DELAY);
        let until = state.last_failure_at + delay;
        if now < until {
            ThrottleDecision::Wait { until }
        } else {
            ThrottleDecision::Allowed
        }
    }

    /// The state after one more failure at `now`.
    pub fn after_failure(
        &self,
        state: Option<&ThrottleState>,
        now: OffsetDateTime,
    ) -> ThrottleState {
        ThrottleState {
            failures: self.live_failures(state, now).saturating_add(1),
            last_failure_at: now,
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    const NOW: OffsetDateTime = datetime!(2026-11-23 12:00 UTC);

    #[test]
    fn codes_may_be_pasted_with_spaces_or_hyphens() {
        assert_eq!(CodeText::parse(" 123 456 ").unwrap().as_str(), "123456");
        assert_eq!(CodeText::parse("123-456").unwrap().as_str(), "123456");
        assert_eq!(CodeText::parse(""), Err(CodeTextError::Empty));
        assert_eq!(CodeText::parse("12345"), Err(CodeTextError::Format));
        assert_eq!(CodeText::parse("12345a"), Err(CodeTextError::Format));
        assert_eq!(CodeText::parse("１２３４５６"), Err(CodeTextError::Format));
    }

    fn code(created: OffsetDateTime) -> OneTimeCode {
        let hash = TokenHash::from_hex(&"a".repeat(64)).unwrap();
        OneTimeCode {
            id: OneTimeCodeId::from_uuid(uuid::Uuid::nil()),
            account_id: UserId::from_uuid(uuid::Uuid::nil()),
            purpose: CodePurpose::SignIn,
            code_hash: hash.clone(),
            attempt_hash: hash,
            new_email: None,
            created_at: created,
            expires_at: created + OneTimeCode::LIFETIME,
            wrong_attempts: 0,
            used_at: None,
        }
    }

    #[test]
    fn a_code_expires_after_ten_minutes_is_single_use_and_voided_by_five_wrong_tries() {
        let mut c = code(NOW);
        assert_eq!(c.state_at(NOW + Duration::minutes(9)), CodeState::Usable);
        assert_eq!(c.state_at(NOW + Duration::minutes(10)), CodeState::Expired);
        c.wrong_attempts = 4;
        assert_eq!(c.state_at(NOW), CodeState::Usable);
        c.wrong_attempts = 5;
        assert_eq!(c.state_at(NOW), CodeState::Voided);
        c.wrong_attempts = 0;
        c.used_at = Some(NOW);
        assert_eq!(c.state_at(NOW), CodeState::Used);
    }

    #[test]
    fn the_throttle_grows_delays_then_locks_out_and_forgets_after_the_lockout() {
        let policy = ThrottlePolicy::PER_ACCOUNT;
        let mut state: Option<ThrottleState> = None;
        let mut now = NOW;
        for _ in 0..3 {
            assert_eq!(
                policy.decide(state.as_ref(), now),
                ThrottleDecision::Allowed
            );
            state = Some(policy.after_failure(state.as_ref(), now));
        }
        // The 4th try must wait 2 seconds, the 5th 4 seconds.
        assert_eq!(
            policy.decide(state.as_ref(), now),
            ThrottleDecision::Wait {
                until: now + Duration::seconds(2)
            }
        );
        now += Duration::seconds(2);
        assert_eq!(
            policy.decide(state.as_ref(), now),
            ThrottleDecision::Allowed
        );
        state = Some(policy.after_failure(state.as_ref(), now));
        assert_eq!(
            policy.decide(state.as_ref(), now + Duration::seconds(3)),
            ThrottleDecision::Wait {
                until: now + Duration::seconds(4)
            }
        );
        while state.unwrap().failures < policy.lock_after {
            now += Duration::minutes(3);
            assert_eq!(
                policy.decide(state.as_ref(), now),
                ThrottleDecision::Allowed
            );
            state = Some(policy.after_failure(state.as_ref(), now));
        }
        let locked_until = now + Duration::minutes(15);
        assert_eq!(
            policy.decide(state.as_ref(), now + Duration::minutes(14)),
            ThrottleDecision::LockedOut {
                until: locked_until
            }
        );
        assert_eq!(
            policy.decide(state.as_ref(), locked_until),
            ThrottleDecision::Allowed
        );
        assert_eq!(
            policy.after_failure(state.as_ref(), locked_until).failures,
            1
        );
    }

    #[test]
    fn staff_need_an_authenticator_app_to_finish_signing_in() {
        let mut account = Account {
            id: UserId::from_uuid(uuid::Uuid::nil()),
            kind: AccountKind::Staff,
            email: Email::parse("a@example.com").unwrap(),
            name: PersonName::parse("A").unwrap(),
            phone: None,
            professional: None,
            staff_role: Some(StaffRole::Caseworker),
            password_hash: PasswordHash::from_phc(String::new()),
            second_factor: SecondFactor::EmailCode,
            totp: None,
            email_verified_at: Some(NOW),
            created_at: NOW,
            updated_at: NOW,
        };
        assert_eq!(account.second_step(), None);
        account.kind = AccountKind::Citizen;
        assert_eq!(account.second_step(), Some(SecondFactor::EmailCode));
        account.kind = AccountKind::Staff;
        account.second_factor = SecondFactor::Authenticator;
        account.totp = Some(TotpEnrolment {
            secret_base32: "X".into(),
            last_used_step: None,
        });
        assert_eq!(account.second_step(), Some(SecondFactor::Authenticator));
    }

    #[test]
    fn phone_numbers_need_ten_to_fifteen_digits() {
        assert!(PhoneNumber::parse("01632 960 001").is_ok());
        assert!(PhoneNumber::parse("+44 (0)7700 900982").is_ok());
        assert_eq!(PhoneNumber::parse("123"), Err(TextError::PhoneFormat));
        assert_eq!(
            PhoneNumber::parse("0163296000a"),
            Err(TextError::PhoneFormat)
        );
        assert_eq!(
            PhoneNumber::parse(" "),
            Err(TextError::Empty("a telephone number"))
        );
    }
}

/// Whether an account may sign in. An administrator deactivates a member of
/// staff or disables a portal account (`Disabled`); it cannot sign in, and its
/// sessions end, until it is made `Active` again. Nothing else of it changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountStatus {
    Active,
    Disabled,
}

impl AccountStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Disabled => "disabled",
        }
    }

    pub fn parse_code(code: &str) -> Result<Self, crate::audit::UnknownCode> {
        match code {
            "active" => Ok(Self::Active),
            "disabled" => Ok(Self::Disabled),
            other => Err(crate::audit::UnknownCode(other.to_owned())),
        }
    }

    /// The word for it on an account of this kind: staff are deactivated,
    /// portal accounts disabled.
    pub fn label(self, kind: AccountKind) -> &'static str {
        match (self, kind) {
            (Self::Active, _) => "Active",
            (Self::Disabled, AccountKind::Staff) => "Deactivated",
            (Self::Disabled, _) => "Disabled",
        }
    }
}
