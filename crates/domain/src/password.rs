//! The password policy (DESIGN.md ACC-2), and the new password it lets through.
//!
//! A council chooses one of two presets in its configuration:
//!
//! - **seed** (the default), the rules of the parent guide: at least 15 characters, at least one
//!   letter, at least one upper-case letter, at least one numerical digit, and only letters, digits
//!   and the [`SPECIAL_CHARACTERS`];
//! - **ncsc**, in the style of NCSC and NIST guidance: a minimum length (15 unless configured) and no
//!   composition rules at all.
//!
//! Both presets also refuse:
//!
//! - the current password and the previous 8 (configurable with
//!   [`PasswordPolicy::with_history_len`]);
//! - a commonly used password: one of the 30,000 in `data/common-passwords.txt` (see the README
//!   there for its source), compared after lower-casing and trimming;
//! - a password that contains the council's name or the user's email address (see
//!   [`PasswordContext`] for exactly what counts).
//!
//! Nothing is ever truncated, and there is no maximum below 256 characters: the only maximum,
//! [`PasswordPolicy::MAX_CHARS`], is there to protect the hashing step.
//!
//! Every broken rule is reported, each as its own [`PasswordFailure`], so the page can list each
//! by name. The one exception is cost: the history is only consulted when the length is within
//! bounds, because the application answers it by verifying Argon2id hashes, and a password that is
//! too short or too long could not be accepted anyway.
//!
//! Lengths are counted in Unicode scalar values (`chars()`). Letters are any Unicode letters, so
//! names like Zoë or Siân can be part of a password; digits are 0 to 9. This module compares the
//! password exactly as typed: if the application normalises Unicode (NFC) before hashing, it should
//! do so before calling [`NewPassword::parse`] too.

use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::council::CouncilName;
use crate::email::Email;

/// The special characters a seed-policy password may contain besides letters and digits, space
/// first. Show them to the user with [`special_characters_shown`], which names the space.
pub const SPECIAL_CHARACTERS: &str = " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

/// The special characters as they should be listed on the page, one entry each, with the space
/// written as the word "space" so that it can be seen.
pub fn special_characters_shown() -> Vec<&'static str> {
    SPECIAL_CHARACTERS
        .char_indices()
        .map(|(at, c)| {
            if c == ' ' {
                "space"
            } else {
                &SPECIAL_CHARACTERS[at..at + c.len_utf8()]
            }
        })
        .collect()
}

/// The shipped blocklist, one lower-case password a line, most common first.
const COMMON_PASSWORDS_TXT: &str = include_str!("../data/common-passwords.txt");

static COMMON_PASSWORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    COMMON_PASSWORDS_TXT
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect()
});

/// Whether `candidate` is on the shipped list of commonly used passwords, ignoring case and
/// surrounding spaces.
pub fn is_common_password(candidate: &str) -> bool {
    COMMON_PASSWORDS.contains(candidate.trim().to_lowercase().as_str())
}

/// How many passwords the shipped blocklist holds.
pub fn common_password_count() -> usize {
    COMMON_PASSWORDS.len()
}

/// Words in council names that say what kind of body it is rather than which one. A password may
/// contain these; it may not contain the other words of the council's name (see
/// [`PasswordContext`]).
const GENERIC_COUNCIL_WORDS: &[&str] = &[
    "council",
    "county",
    "borough",
    "city",
    "district",
    "metropolitan",
    "royal",
    "unitary",
    "authority",
    "children",
    "childrens",
    "first",
    "services",
    "trust",
    "partnership",
    "north",
    "south",
    "east",
    "west",
    "central",
    "upon",
    "with",
];

/// Names and email fragments shorter than this are only refused when the whole password equals
/// them, not when it merely contains them.
const MIN_CONTAINED_CHARS: usize = 4;

/// One broken rule. `Display` is the message shown to the user, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum PasswordFailure {
    /// Nothing was entered.
    #[error("Enter a password")]
    Missing,
    #[error("Password must be at least {min_chars} characters long")]
    TooShort { min_chars: usize },
    /// Longer than [`PasswordPolicy::MAX_CHARS`].
    #[error("Password must be 1,024 characters or fewer")]
    TooLong,
    #[error("Password must contain at least one letter")]
    NoLetter,
    #[error("Password must contain only letters, digits and the special characters listed")]
    DisallowedCharacters,
    #[error("Password must contain at least one upper-case letter")]
    NoUpperCase,
    #[error("Password must contain at least one numerical digit (0 to 9)")]
    NoDigit,
    #[error("Password must be different from your current password")]
    SameAsCurrent,
    #[error("{}", used_recently_message(*.count))]
    UsedRecently { count: usize },
    #[error("Password must not be a commonly used password")]
    CommonlyUsed,
    #[error("Password must not contain the council's name")]
    ContainsCouncilName,
    #[error("Password must not contain your email address or the part before the @")]
    ContainsEmail,
}

fn used_recently_message(count: usize) -> String {
    if count == 1 {
        "Password must be different from your previous password".to_owned()
    } else {
        format!("Password must be different from your previous {count} passwords")
    }
}

/// Why a new password was refused: every rule it broke, in the order the rules are listed, never
/// empty. `Display` gives each message on its own line; pages list [`PasswordError::failures`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct PasswordError {
    failures: Vec<PasswordFailure>,
}

impl PasswordError {
    pub fn failures(&self) -> &[PasswordFailure] {
        &self.failures
    }

    pub fn into_failures(self) -> Vec<PasswordFailure> {
        self.failures
    }
}

impl fmt::Display for PasswordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, failure) in self.failures.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{failure}")?;
        }
        Ok(())
    }
}

/// Which set of rules a council uses, chosen in configuration as `"seed"` or `"ncsc"`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PasswordPolicyPreset {
    /// The parent guide's rules, with composition rules.
    #[default]
    Seed,
    /// NCSC/NIST style: length, blocklist and context only.
    Ncsc,
}

impl PasswordPolicyPreset {
    /// The configuration string for this preset.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Seed => "seed",
            Self::Ncsc => "ncsc",
        }
    }
}

impl fmt::Display for PasswordPolicyPreset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PasswordPolicyPreset {
    type Err = PasswordPolicyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "seed" => Ok(Self::Seed),
            "ncsc" => Ok(Self::Ncsc),
            _ => Err(PasswordPolicyError::UnknownPreset(s.to_owned())),
        }
    }
}

/// A mistake in the password policy configuration. These are for the operator, not the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordPolicyError {
    #[error("unknown password policy {0:?}: use \"seed\" or \"ncsc\"")]
    UnknownPreset(String),
    #[error(
        "the minimum password length must be between {low} and {high} characters, not {0}",
        low = PasswordPolicy::LOWEST_MIN_CHARS,
        high = PasswordPolicy::HIGHEST_MIN_CHARS
    )]
    MinCharsOutOfRange(usize),
}

/// The rules a new password must meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordPolicy {
    preset: PasswordPolicyPreset,
    min_chars: usize,
    history_len: usize,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self::seed()
    }
}

impl From<PasswordPolicyPreset> for PasswordPolicy {
    fn from(preset: PasswordPolicyPreset) -> Self {
        Self {
            preset,
            min_chars: Self::DEFAULT_MIN_CHARS,
            history_len: Self::DEFAULT_HISTORY_LEN,
        }
    }
}

impl PasswordPolicy {
    /// The default minimum length, for both presets.
    pub const DEFAULT_MIN_CHARS: usize = 15;
    /// The lowest minimum length a council may configure (every account also has a second factor).
    pub const LOWEST_MIN_CHARS: usize = 8;
    /// The highest minimum length a council may configure.
    pub const HIGHEST_MIN_CHARS: usize = 256;
    /// The longest password accepted, to protect the hashing step. Never lower this below 256.
    pub const MAX_CHARS: usize = 1024;
    /// How many previous passwords (besides the current one) a new password must differ from.
    pub const DEFAULT_HISTORY_LEN: usize = 8;

    /// The parent guide's rules.
    pub fn seed() -> Self {
        PasswordPolicyPreset::Seed.into()
    }

    /// NCSC/NIST-style rules: length, history, blocklist and context, no composition rules.
    pub fn ncsc() -> Self {
        PasswordPolicyPreset::Ncsc.into()
    }

    /// The same policy with another minimum length, between [`Self::LOWEST_MIN_CHARS`] and
    /// [`Self::HIGHEST_MIN_CHARS`].
    pub fn with_min_chars(self, min_chars: usize) -> Result<Self, PasswordPolicyError> {
        if (Self::LOWEST_MIN_CHARS..=Self::HIGHEST_MIN_CHARS).contains(&min_chars) {
            Ok(Self { min_chars, ..self })
        } else {
            Err(PasswordPolicyError::MinCharsOutOfRange(min_chars))
        }
    }

    /// The same policy remembering another number of previous passwords (0 checks only the
    /// current one).
    #[must_use]
    pub fn with_history_len(self, history_len: usize) -> Self {
        Self {
            history_len,
            ..self
        }
    }

    pub fn preset(&self) -> PasswordPolicyPreset {
        self.preset
    }

    pub fn min_chars(&self) -> usize {
        self.min_chars
    }

    pub fn history_len(&self) -> usize {
        self.history_len
    }

    /// Whether the composition rules (letter, upper case, digit, allowed characters) apply.
    pub fn has_composition_rules(&self) -> bool {
        self.preset == PasswordPolicyPreset::Seed
    }

    /// The requirements in the parent guide's words, for the list shown above the password field.
    /// When [`Self::has_composition_rules`], show [`special_characters_shown`] with them.
    pub fn requirements(&self) -> Vec<String> {
        let mut list = vec![format!(
            "It must be at least {} characters long",
            self.min_chars
        )];
        if self.has_composition_rules() {
            list.extend(
                [
                    "It must contain at least one letter",
                    "It must contain only letters, digits and the special characters listed",
                    "It must contain at least one upper-case letter",
                    "It must contain at least one numerical digit (0 to 9)",
                ]
                .map(str::to_owned),
            );
        }
        list.push("It must be different from your current password".to_owned());
        match self.history_len {
            0 => {}
            1 => list.push("It must be different from your previous password".to_owned()),
            n => list.push(format!(
                "It must be different from your previous {n} passwords"
            )),
        }
        list.push("It must not be a commonly used password".to_owned());
        list.push("It must not contain the council's name or your email address".to_owned());
        list
    }

    /// Every rule `candidate` breaks, in the order the rules are listed; empty when it is
    /// acceptable.
    pub fn check(
        &self,
        candidate: &str,
        context: &PasswordContext<'_>,
        history: &dyn PasswordHistory,
    ) -> Vec<PasswordFailure> {
        if candidate.is_empty() {
            return vec![PasswordFailure::Missing];
        }
        let mut failures = Vec::new();

        let chars = candidate.chars().count();
        let length_ok = if chars < self.min_chars {
            failures.push(PasswordFailure::TooShort {
                min_chars: self.min_chars,
            });
            false
        } else if chars > Self::MAX_CHARS {
            failures.push(PasswordFailure::TooLong);
            false
        } else {
            true
        };

        if self.has_composition_rules() {
            if !candidate.chars().any(char::is_alphabetic) {
                failures.push(PasswordFailure::NoLetter);
            }
            if !candidate.chars().all(is_allowed_character) {
                failures.push(PasswordFailure::DisallowedCharacters);
            }
            if !candidate.chars().any(char::is_uppercase) {
                failures.push(PasswordFailure::NoUpperCase);
            }
            if !candidate.chars().any(|c| c.is_ascii_digit()) {
                failures.push(PasswordFailure::NoDigit);
            }
        }

        // Only hash-compare what could otherwise be accepted: see the module documentation.
        if length_ok {
            if history.is_current(candidate) {
                failures.push(PasswordFailure::SameAsCurrent);
            } else if self.history_len > 0 && history.is_among_previous(candidate, self.history_len)
            {
                failures.push(PasswordFailure::UsedRecently {
                    count: self.history_len,
                });
            }
        }

        if is_common_password(candidate) {
            failures.push(PasswordFailure::CommonlyUsed);
        }
        failures.extend(context.failures(candidate));
        failures
    }
}

fn is_allowed_character(c: char) -> bool {
    c.is_alphabetic() || c.is_ascii_digit() || SPECIAL_CHARACTERS.contains(c)
}

/// Lower case, with all white space removed, for the context comparisons.
fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `password` (squashed) contains `fragment` (squashed), or, for a fragment shorter than
/// [`MIN_CONTAINED_CHARS`], equals it.
fn mentions(password: &str, fragment: &str) -> bool {
    if fragment.is_empty() {
        false
    } else if fragment.chars().count() >= MIN_CONTAINED_CHARS {
        password.contains(fragment)
    } else {
        password == fragment
    }
}

/// What a password must not contain, for the person choosing it.
///
/// Both the password and these are compared in lower case with all white space removed. A
/// password is refused when it:
///
/// - contains the council's whole name (`Exampleshire Council` refuses `exampleshirecouncil1A`);
/// - contains any distinctive word of 4 or more characters from the council's name, that is any
///   word except the kind of body (`council`, `borough`, `county`, `city`, compass points and a
///   few more), so `Exampleshire Council` refuses `Exampleshire2024!`;
/// - contains the user's email address, or the part before the `@` when that part has 4 or more
///   characters (`jo.bloggs@example.com` refuses `Jo.Bloggs-2024-x`).
///
/// Names and parts shorter than 4 characters are refused only when the whole password equals
/// them, so that a short name such as `jo` does not rule out every password containing `jo`.
#[derive(Debug, Clone, Copy)]
pub struct PasswordContext<'a> {
    pub council: &'a CouncilName,
    pub email: &'a Email,
}

impl<'a> PasswordContext<'a> {
    pub fn new(council: &'a CouncilName, email: &'a Email) -> Self {
        Self { council, email }
    }

    fn failures(&self, candidate: &str) -> Vec<PasswordFailure> {
        let password = squash(candidate);
        let mut failures = Vec::new();

        let council = self.council.as_str();
        let mut distinctive_words = council
            .split(|c: char| !c.is_alphanumeric())
            .map(str::to_lowercase)
            .filter(|word| {
                word.chars().count() >= MIN_CONTAINED_CHARS
                    && !GENERIC_COUNCIL_WORDS.contains(&word.as_str())
            });
        if mentions(&password, &squash(council))
            || distinctive_words.any(|w| mentions(&password, &w))
        {
            failures.push(PasswordFailure::ContainsCouncilName);
        }

        let email = squash(self.email.as_str());
        let local_part = email.rsplit_once('@').map_or("", |(local, _)| local);
        if mentions(&password, &email) || mentions(&password, local_part) {
            failures.push(PasswordFailure::ContainsEmail);
        }
        failures
    }
}

/// The account's current and previous passwords, as the application knows them (as Argon2id
/// hashes). The domain only asks; it never sees a hash.
pub trait PasswordHistory {
    /// Whether `candidate` is the current password.
    fn is_current(&self, candidate: &str) -> bool;

    /// Whether `candidate` is any of the `count` most recent passwords before the current one.
    fn is_among_previous(&self, candidate: &str, count: usize) -> bool;
}

/// The history of an account that has no password yet (registration, staff set-up).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoPasswordHistory;

impl PasswordHistory for NoPasswordHistory {
    fn is_current(&self, _candidate: &str) -> bool {
        false
    }

    fn is_among_previous(&self, _candidate: &str, _count: usize) -> bool {
        false
    }
}

/// A password that meets the policy, ready to be hashed. Its `Debug` hides it and it has no
/// `Display`; only the hasher should call [`NewPassword::expose_secret`].
pub struct NewPassword(String);

impl NewPassword {
    /// Checks `candidate` exactly as typed (never trimmed, never truncated) against `policy`.
    pub fn parse(
        candidate: &str,
        policy: &PasswordPolicy,
        context: &PasswordContext<'_>,
        history: &dyn PasswordHistory,
    ) -> Result<Self, PasswordError> {
        let failures = policy.check(candidate, context, history);
        if failures.is_empty() {
            Ok(Self(candidate.to_owned()))
        } else {
            Err(PasswordError { failures })
        }
    }

    /// The password itself, for the hasher and nothing else.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword([hidden])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const COUNCIL: &str = "Exampleshire Council";
    const EMAIL: &str = "jo.bloggs@example.com";
    /// Meets every seed rule.
    const GOOD: &str = "Correct-Horse-7-Battery";

    /// The current password and the previous ones, most recent first.
    struct FakeHistory {
        current: String,
        previous: Vec<String>,
    }

    impl FakeHistory {
        fn new(current: &str, previous: &[String]) -> Self {
            Self {
                current: current.to_owned(),
                previous: previous.to_vec(),
            }
        }
    }

    impl PasswordHistory for FakeHistory {
        fn is_current(&self, candidate: &str) -> bool {
            self.current == candidate
        }

        fn is_among_previous(&self, candidate: &str, count: usize) -> bool {
            self.previous.iter().take(count).any(|p| p == candidate)
        }
    }

    fn check_with(
        policy: &PasswordPolicy,
        candidate: &str,
        history: &dyn PasswordHistory,
    ) -> Vec<PasswordFailure> {
        let council = CouncilName::parse(COUNCIL).unwrap();
        let email = Email::parse(EMAIL).unwrap();
        policy.check(candidate, &PasswordContext::new(&council, &email), history)
    }

    fn seed_check(candidate: &str) -> Vec<PasswordFailure> {
        check_with(&PasswordPolicy::seed(), candidate, &NoPasswordHistory)
    }

    fn ncsc_check(candidate: &str) -> Vec<PasswordFailure> {
        check_with(&PasswordPolicy::ncsc(), candidate, &NoPasswordHistory)
    }

    /// Asserts that `candidate` breaks exactly the rule `failure` and shows its message.
    fn assert_only(failures: &[PasswordFailure], failure: PasswordFailure, message: &str) {
        assert_eq!(failures, [failure]);
        assert_eq!(failure.to_string(), message);
    }

    #[test]
    fn a_good_password_is_accepted_as_typed() {
        assert_eq!(seed_check(GOOD), []);
        let council = CouncilName::parse(COUNCIL).unwrap();
        let email = Email::parse(EMAIL).unwrap();
        let context = PasswordContext::new(&council, &email);
        let typed = "  Correct Horse 7 Battery  ";
        let password =
            NewPassword::parse(typed, &PasswordPolicy::seed(), &context, &NoPasswordHistory)
                .unwrap();
        assert_eq!(password.expose_secret(), typed);
    }

    #[test]
    fn rule_empty_says_enter_a_password() {
        assert_only(
            &seed_check(""),
            PasswordFailure::Missing,
            "Enter a password",
        );
    }

    #[test]
    fn rule_1_at_least_15_characters_has_its_own_message() {
        assert_only(
            &seed_check("Short-Pass-1"),
            PasswordFailure::TooShort { min_chars: 15 },
            "Password must be at least 15 characters long",
        );
        // Characters, not bytes: 14 two-byte letters plus a digit is 15 characters.
        assert_eq!(seed_check(&format!("É{}1", "é".repeat(13))), []);
        assert_eq!(
            seed_check(&format!("É{}1", "é".repeat(12))),
            [PasswordFailure::TooShort { min_chars: 15 }]
        );
    }

    #[test]
    fn rule_2_at_least_one_letter_has_its_own_message() {
        let failures = seed_check("1234-5678-9012-3456");
        assert_eq!(
            failures,
            [PasswordFailure::NoLetter, PasswordFailure::NoUpperCase]
        );
        assert_eq!(
            failures[0].to_string(),
            "Password must contain at least one letter"
        );
    }

    #[test]
    fn rule_3_only_allowed_characters_has_its_own_message() {
        for bad in [
            "Correct-Horse-7-Battery£",
            "Correct\tHorse-7-Battery",
            "Correct-Horse-7-Battery\u{1F600}",
            "Correct-Horse-7-Battery\n",
        ] {
            assert_only(
                &seed_check(bad),
                PasswordFailure::DisallowedCharacters,
                "Password must contain only letters, digits and the special characters listed",
            );
        }
    }

    #[test]
    fn rule_4_at_least_one_upper_case_letter_has_its_own_message() {
        assert_only(
            &seed_check("correct-horse-7-battery"),
            PasswordFailure::NoUpperCase,
            "Password must contain at least one upper-case letter",
        );
    }

    #[test]
    fn rule_5_at_least_one_digit_has_its_own_message() {
        assert_only(
            &seed_check("Correct-Horse-Battery"),
            PasswordFailure::NoDigit,
            "Password must contain at least one numerical digit (0 to 9)",
        );
    }

    #[test]
    fn rule_6_different_from_the_current_password_has_its_own_message() {
        let history = FakeHistory::new(GOOD, &[]);
        assert_only(
            &check_with(&PasswordPolicy::seed(), GOOD, &history),
            PasswordFailure::SameAsCurrent,
            "Password must be different from your current password",
        );
    }

    #[test]
    fn rule_7_different_from_the_previous_8_has_its_own_message() {
        let previous = vec![GOOD.to_owned()];
        let history = FakeHistory::new("Something-Else-99", &previous);
        assert_only(
            &check_with(&PasswordPolicy::seed(), GOOD, &history),
            PasswordFailure::UsedRecently { count: 8 },
            "Password must be different from your previous 8 passwords",
        );
        assert_eq!(
            PasswordFailure::UsedRecently { count: 1 }.to_string(),
            "Password must be different from your previous password"
        );
    }

    #[test]
    fn rule_8_not_commonly_used_has_its_own_message() {
        assert_only(
            &seed_check("Qwertyuiop12345"),
            PasswordFailure::CommonlyUsed,
            "Password must not be a commonly used password",
        );
    }

    #[test]
    fn rule_8_council_name_has_its_own_message() {
        assert_only(
            &seed_check("Exampleshire-2024-Z"),
            PasswordFailure::ContainsCouncilName,
            "Password must not contain the council's name",
        );
    }

    #[test]
    fn rule_8_email_address_has_its_own_message() {
        assert_only(
            &seed_check("Jo.Bloggs@Example.com1"),
            PasswordFailure::ContainsEmail,
            "Password must not contain your email address or the part before the @",
        );
    }

    #[test]
    fn the_maximum_has_its_own_message_and_is_never_below_256() {
        const { assert!(PasswordPolicy::MAX_CHARS >= 256) };
        let longest = format!("A1{}", "b".repeat(PasswordPolicy::MAX_CHARS - 2));
        assert_eq!(seed_check(&longest), []);
        let too_long = format!("{longest}c");
        assert_only(
            &seed_check(&too_long),
            PasswordFailure::TooLong,
            "Password must be 1,024 characters or fewer",
        );
        assert_eq!(
            PasswordFailure::TooLong.to_string(),
            format!(
                "Password must be {},{:03} characters or fewer",
                PasswordPolicy::MAX_CHARS / 1000,
                PasswordPolicy::MAX_CHARS % 1000
            )
        );
    }

    #[test]
    fn a_300_character_password_is_accepted_whole() {
        let council = CouncilName::parse(COUNCIL).unwrap();
        let email = Email::parse(EMAIL).unwrap();
        let context = PasswordContext::new(&council, &email);
        let long: String = "Xy7 zq!w".chars().cycle().take(300).collect();
        assert_eq!(long.chars().count(), 300);
        for policy in [PasswordPolicy::seed(), PasswordPolicy::ncsc()] {
            let password =
                NewPassword::parse(&long, &policy, &context, &NoPasswordHistory).unwrap();
            assert_eq!(password.expose_secret(), long);
        }
    }

    #[test]
    fn every_broken_rule_is_reported_in_order() {
        let history = FakeHistory::new("password", &[]);
        assert_eq!(
            check_with(&PasswordPolicy::seed(), "password", &history),
            [
                PasswordFailure::TooShort { min_chars: 15 },
                PasswordFailure::NoUpperCase,
                PasswordFailure::NoDigit,
                PasswordFailure::CommonlyUsed,
            ],
            "the history is not consulted for a password that is too short"
        );
        let history = FakeHistory::new("jo.bloggs@example.com", &[]);
        assert_eq!(
            check_with(&PasswordPolicy::seed(), "jo.bloggs@example.com", &history),
            [
                PasswordFailure::NoUpperCase,
                PasswordFailure::NoDigit,
                PasswordFailure::SameAsCurrent,
                PasswordFailure::ContainsEmail,
            ]
        );
        let err = NewPassword::parse(
            "short",
            &PasswordPolicy::seed(),
            &PasswordContext::new(
                &CouncilName::parse(COUNCIL).unwrap(),
                &Email::parse(EMAIL).unwrap(),
            ),
            &NoPasswordHistory,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Password must be at least 15 characters long\n\
             Password must contain at least one upper-case letter\n\
             Password must contain at least one numerical digit (0 to 9)"
        );
        assert_eq!(err.failures().len(), 3);
    }

    #[test]
    fn the_history_refuses_each_of_the_last_8_and_accepts_the_9th() {
        let previous: Vec<String> = (1..=9).map(|n| format!("Old-Password-No-{n}")).collect();
        let history = FakeHistory::new("Current-Password-0", &previous);
        let policy = PasswordPolicy::seed();
        assert_eq!(policy.history_len(), 8);
        for old in &previous[..8] {
            assert_eq!(
                check_with(&policy, old, &history),
                [PasswordFailure::UsedRecently { count: 8 }],
                "{old}"
            );
        }
        assert_eq!(check_with(&policy, &previous[8], &history), []);
        assert_eq!(
            check_with(&policy, "Current-Password-0", &history),
            [PasswordFailure::SameAsCurrent]
        );

        let shorter = policy.with_history_len(3);
        assert_eq!(check_with(&shorter, &previous[3], &history), []);
        let none = policy.with_history_len(0);
        assert_eq!(check_with(&none, &previous[0], &history), []);
        assert_eq!(
            check_with(&none, "Current-Password-0", &history),
            [PasswordFailure::SameAsCurrent]
        );
    }

    #[test]
    fn the_blocklist_has_at_least_10000_entries_checked_ignoring_case() {
        assert!(common_password_count() >= 10_000);
        assert_eq!(
            common_password_count(),
            COMMON_PASSWORDS_TXT.lines().count()
        );
        assert!(
            COMMON_PASSWORDS_TXT
                .lines()
                .all(|line| !line.is_empty() && line == line.trim() && line == line.to_lowercase())
        );
        for listed in [
            "password",
            "PASSWORD",
            "Password123",
            "pAsSwOrD123",
            " qwertyuiop12345 ",
            "QWERTYUIOP12345",
            "1qaz2wsx3edc4rfv",
        ] {
            assert!(is_common_password(listed), "{listed}");
        }
        assert!(!is_common_password("Correct-Horse-7-Battery"));
        assert_eq!(
            ncsc_check("1QAZ2WSX3EDC4RFV"),
            [PasswordFailure::CommonlyUsed]
        );
        assert_eq!(
            ncsc_check("PasswordStandard"),
            [PasswordFailure::CommonlyUsed]
        );
    }

    #[test]
    fn the_council_name_and_email_are_refused_in_any_case_and_spacing() {
        for refused in [
            "EXAMPLESHIRE COUNCIL",
            " exampleshire council ",
            "My-Exampleshire-Password-1",
            "Example Shire 12345 Aa",
        ] {
            assert!(
                ncsc_check(refused).contains(&PasswordFailure::ContainsCouncilName),
                "{refused}"
            );
        }
        for refused in [
            "JO.BLOGGS@EXAMPLE.COM",
            "  jo.bloggs@example.com  ",
            "Jo.Bloggs-Was-Here-1",
        ] {
            assert!(
                ncsc_check(refused).contains(&PasswordFailure::ContainsEmail),
                "{refused}"
            );
        }
        // Generic words of the council's name, and short email parts, are not refused inside a password.
        assert_eq!(seed_check("Council-Meeting-Notes-7"), []);
        let council = CouncilName::parse(COUNCIL).unwrap();
        let email = Email::parse("jo@example.org").unwrap();
        let context = PasswordContext::new(&council, &email);
        assert_eq!(
            PasswordPolicy::ncsc().check("Jolly-Rancher-Biscuits", &context, &NoPasswordHistory),
            []
        );
        assert_eq!(
            PasswordPolicy::ncsc().check("jo", &context, &NoPasswordHistory),
            [
                PasswordFailure::TooShort { min_chars: 15 },
                PasswordFailure::ContainsEmail
            ]
        );
    }

    #[test]
    fn the_ncsc_preset_has_no_composition_rules() {
        assert_eq!(ncsc_check("all lower case and long"), []);
        assert_eq!(ncsc_check("£€ emoji \u{1F600} tabs\tare fine"), []);
        assert_eq!(
            ncsc_check("short"),
            [PasswordFailure::TooShort { min_chars: 15 }]
        );
        let twelve = PasswordPolicy::ncsc().with_min_chars(12).unwrap();
        assert_eq!(check_with(&twelve, "twelve chars", &NoPasswordHistory), []);
        assert_eq!(
            PasswordPolicy::ncsc().with_min_chars(7),
            Err(PasswordPolicyError::MinCharsOutOfRange(7))
        );
        assert_eq!(
            PasswordPolicy::ncsc().with_min_chars(257),
            Err(PasswordPolicyError::MinCharsOutOfRange(257))
        );
    }

    #[test]
    fn presets_come_from_configuration_strings() {
        assert_eq!("seed".parse(), Ok(PasswordPolicyPreset::Seed));
        assert_eq!(" NCSC ".parse(), Ok(PasswordPolicyPreset::Ncsc));
        assert_eq!(
            "nist".parse::<PasswordPolicyPreset>(),
            Err(PasswordPolicyError::UnknownPreset("nist".to_owned()))
        );
        assert_eq!(PasswordPolicyPreset::default(), PasswordPolicyPreset::Seed);
        assert_eq!(PasswordPolicy::default(), PasswordPolicy::seed());
        for preset in [PasswordPolicyPreset::Seed, PasswordPolicyPreset::Ncsc] {
            assert_eq!(preset.to_string().parse(), Ok(preset));
            assert_eq!(PasswordPolicy::from(preset).preset(), preset);
        }
        assert!(PasswordPolicy::seed().has_composition_rules());
        assert!(!PasswordPolicy::ncsc().has_composition_rules());
    }

    #[test]
    fn the_requirements_list_follows_the_preset() {
        assert_eq!(
            PasswordPolicy::seed().requirements(),
            [
                "It must be at least 15 characters long",
                "It must contain at least one letter",
                "It must contain only letters, digits and the special characters listed",
                "It must contain at least one upper-case letter",
                "It must contain at least one numerical digit (0 to 9)",
                "It must be different from your current password",
                "It must be different from your previous 8 passwords",
                "It must not be a commonly used password",
                "It must not contain the council's name or your email address",
            ]
        );
        assert_eq!(PasswordPolicy::ncsc().requirements().len(), 5);
    }

    #[test]
    fn the_special_characters_are_shown_with_the_space_named() {
        let shown = special_characters_shown();
        assert_eq!(shown.len(), 33);
        assert_eq!(shown[0], "space");
        assert_eq!(shown[1..].concat(), "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~");
        assert!(
            SPECIAL_CHARACTERS
                .chars()
                .all(|c| c.is_ascii_punctuation() || c == ' ')
        );
        assert_eq!(
            SPECIAL_CHARACTERS
                .chars()
                .filter(char::is_ascii_punctuation)
                .count(),
            32,
            "every ASCII punctuation character is listed"
        );
    }

    #[test]
    fn a_new_password_never_shows_itself() {
        let council = CouncilName::parse(COUNCIL).unwrap();
        let email = Email::parse(EMAIL).unwrap();
        let password = NewPassword::parse(
            GOOD,
            &PasswordPolicy::seed(),
            &PasswordContext::new(&council, &email),
            &NoPasswordHistory,
        )
        .unwrap();
        let debug = format!("{password:?}");
        assert!(!debug.contains("Horse"), "{debug}");
        assert_eq!(debug, "NewPassword([hidden])");
    }

    // The property tests classify characters with their own lists, not the module's functions.
    const LOWER: &str = "abcdefghijklmnopqrstuvwxyzéßø";
    const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZÉŽØ";
    const DIGITS: &str = "0123456789";
    const SPECIALS: &str = " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    const DISALLOWED: &str = "\t\n£€¬٣\u{1F600}\u{0301}";

    static TEST_BLOCKLIST: LazyLock<HashSet<String>> = LazyLock::new(|| {
        include_str!("../data/common-passwords.txt")
            .lines()
            .map(str::to_owned)
            .collect()
    });

    fn pick(set: &'static str) -> impl Strategy<Value = char> {
        let chars: Vec<char> = set.chars().collect();
        proptest::sample::select(chars)
    }

    /// Strings around the minimum length drawn from chosen character classes, so that every
    /// combination of present and missing classes turns up.
    fn seed_candidates() -> impl Strategy<Value = String> {
        // Each class is present more often than not, so that accepted strings are common too.
        let classes = (
            proptest::bool::weighted(0.8),
            proptest::bool::weighted(0.8),
            proptest::bool::weighted(0.8),
            any::<bool>(),
            proptest::bool::weighted(0.2),
        );
        let random = (classes, 12usize..=18).prop_flat_map(
            |((lower, upper, digit, special, disallowed), len)| {
                let mut strategies: Vec<BoxedStrategy<char>> = Vec::new();
                if lower {
                    strategies.push(pick(LOWER).boxed());
                }
                if upper {
                    strategies.push(pick(UPPER).boxed());
                }
                if digit {
                    strategies.push(pick(DIGITS).boxed());
                }
                if special || strategies.is_empty() {
                    strategies.push(pick(SPECIALS).boxed());
                }
                if disallowed {
                    strategies.push(pick(DISALLOWED).boxed());
                }
                proptest::collection::vec(proptest::strategy::Union::new(strategies), len)
                    .prop_map(|chars| chars.into_iter().collect::<String>())
            },
        );
        prop_oneof![
            6 => random,
            2 => blocklisted_with_case_changes(),
            1 => (pick(UPPER), "[a-z0-9]{0,6}", 0usize..=1).prop_map(|(a, b, which)| {
                let name = ["Exampleshire", "Jo.Bloggs"][which];
                format!("{a}{b}{name}9")
            }),
        ]
    }

    /// An entry of the blocklist with some letters upper-cased and maybe spaces around it.
    fn blocklisted_with_case_changes() -> impl Strategy<Value = String> {
        let entries: Vec<&'static str> = include_str!("../data/common-passwords.txt")
            .lines()
            .filter(|line| line.chars().count() >= 12)
            .collect();
        (
            proptest::sample::select(entries),
            proptest::collection::vec(any::<bool>(), 40),
            any::<bool>(),
        )
            .prop_map(|(entry, upper, padded)| {
                let changed: String = entry
                    .chars()
                    .zip(upper)
                    .map(|(c, up)| if up { c.to_ascii_uppercase() } else { c })
                    .collect();
                if padded {
                    format!(" {changed} ")
                } else {
                    changed
                }
            })
    }

    fn blocklisted(s: &str) -> bool {
        TEST_BLOCKLIST.contains(&s.trim().to_lowercase())
    }

    fn mentions_context(s: &str) -> bool {
        let squashed: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_lowercase();
        squashed.contains("exampleshire") || squashed.contains("jo.bloggs")
    }

    proptest! {
        #[test]
        fn the_seed_policy_accepts_exactly_what_it_should(candidate in seed_candidates()) {
            let len = candidate.chars().count();
            let has = |set: &str| candidate.chars().any(|c| set.contains(c));
            let only_allowed = candidate.chars().all(|c| {
                LOWER.contains(c) || UPPER.contains(c) || DIGITS.contains(c) || SPECIALS.contains(c)
            });
            let expected = (15..=1024).contains(&len)
                && (has(LOWER) || has(UPPER))
                && has(UPPER)
                && has(DIGITS)
                && only_allowed
                && !blocklisted(&candidate)
                && !mentions_context(&candidate);
            let failures = seed_check(&candidate);
            prop_assert_eq!(failures.is_empty(), expected, "{:?} {:?}", candidate, failures);
            let unique: HashSet<_> = failures.iter().collect();
            prop_assert_eq!(unique.len(), failures.len());
        }

        #[test]
        fn the_ncsc_policy_accepts_exactly_what_it_should(
            candidate in prop_oneof![
                3 => "\\PC{10,20}",
                1 => "[ -~]{10,20}",
                1 => blocklisted_with_case_changes(),
            ],
            min in 8usize..=20,
        ) {
            let policy = PasswordPolicy::ncsc().with_min_chars(min).unwrap();
            let len = candidate.chars().count();
            let expected = len >= min && !blocklisted(&candidate) && !mentions_context(&candidate);
            let failures = check_with(&policy, &candidate, &NoPasswordHistory);
            prop_assert_eq!(failures.is_empty(), expected, "{:?} {:?}", candidate, failures);
        }

        #[test]
        fn nothing_is_ever_truncated(extra in 0usize..=700) {
            let candidate = format!("Aa1-{}", "xyz ".repeat(extra / 4 + 3));
            let council = CouncilName::parse(COUNCIL).unwrap();
            let email = Email::parse(EMAIL).unwrap();
            let context = PasswordContext::new(&council, &email);
            let password =
                NewPassword::parse(&candidate, &PasswordPolicy::seed(), &context, &NoPasswordHistory)
                    .unwrap();
            prop_assert_eq!(password.expose_secret(), candidate.as_str());
        }
    }
}
