//! A child or young person's record (DESIGN CASE-1), with the identifiers schools
//! and the NHS use, checked as those systems check them, and the SEN2 need codes.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::accounts::{PhoneNumber, ShortText};
use crate::audit::code_enum;
use crate::email::Email;
use crate::ids::{ChildId, ContactId, TeamId};
use crate::names::PersonName;

/// Why an identifier was refused. Messages are shown as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdentifierError {
    #[error(
        "Enter a UPN of 13 characters: a letter, 11 numbers, then a number or letter, like A123456789012"
    )]
    UpnFormat,
    #[error("The UPN's check letter is not right. Check the UPN and try again")]
    UpnCheck,
    #[error("Enter a ULN of 10 numbers, like 1234567890")]
    UlnFormat,
    #[error("The ULN is not a valid number. Check it and try again")]
    UlnCheck,
    #[error("Enter an NHS number of 10 numbers, like 943 476 5919")]
    NhsFormat,
    #[error("The NHS number is not valid. Check it and try again")]
    NhsCheck,
    #[error("Enter a real postcode, like SW1A 1AA")]
    Postcode,
}

const UPN_CHECK_LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPQRTUVWXYZ";

fn squash(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A Unique Pupil Number: a check letter, a 3-digit local authority number, a
/// 4-digit establishment number, a 2-digit year and a 3-character serial (the
/// last may be a letter in a temporary UPN). The check letter is the Department's: the
/// sum of characters 2 to 13 weighted 2 to 13, modulo 23, as a letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Upn(String);

impl Upn {
    pub fn parse(input: &str) -> Result<Self, IdentifierError> {
        let upn = squash(input);
        let bytes = upn.as_bytes();
        let shape_ok = bytes.len() == 13
            && bytes[0].is_ascii_uppercase()
            && bytes[1..12].iter().all(u8::is_ascii_digit)
            && (bytes[12].is_ascii_digit() || UPN_CHECK_LETTERS.contains(&bytes[12]));
        if !shape_ok {
            return Err(IdentifierError::UpnFormat);
        }
        let value = |b: u8| -> u32 {
            if b.is_ascii_digit() {
                u32::from(b - b'0')
            } else {
                // A letter in the last place stands for its position in the check alphabet.
                UPN_CHECK_LETTERS
                    .iter()
                    .position(|&l| l == b)
                    .and_then(|p| u32::try_from(p).ok())
                    .unwrap_or(0)
            }
        };
        let sum: u32 = bytes[1..]
            .iter()
            .zip(2_u32..)
            .map(|(&b, weight)| value(b) * weight)
            .sum();
        let expected = UPN_CHECK_LETTERS[(sum % 23) as usize];
        if bytes[0] != expected {
            return Err(IdentifierError::UpnCheck);
        }
        Ok(Self(upn))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A Unique Learner Number: 10 digits, the last a check digit (digits 1 to 9
/// weighted 10 down to 2; the check digit is 10 minus the sum modulo 11).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Uln(String);

impl Uln {
    pub fn parse(input: &str) -> Result<Self, IdentifierError> {
        let uln = squash(input);
        if uln.len() != 10 || !uln.bytes().all(|b| b.is_ascii_digit()) || uln.starts_with('0') {
            return Err(IdentifierError::UlnFormat);
        }
        let digits: Vec<u32> = uln.bytes().map(|b| u32::from(b - b'0')).collect();
        let sum: u32 = digits[..9]
            .iter()
            .zip((2..=10).rev())
            .map(|(d, w)| d * w)
            .sum();
        let remainder = sum % 11;
        if remainder == 0 || 10 - remainder != digits[9] {
            return Err(IdentifierError::UlnCheck);
        }
        Ok(Self(uln))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An NHS number: 10 digits, the last a modulus 11 check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NhsNumber(String);

impl NhsNumber {
    pub fn parse(input: &str) -> Result<Self, IdentifierError> {
        let number = squash(input);
        if number.len() != 10 || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdentifierError::NhsFormat);
        }
        let digits: Vec<u32> = number.bytes().map(|b| u32::from(b - b'0')).collect();
        let sum: u32 = digits[..9]
            .iter()
            .zip((2..=10).rev())
            .map(|(d, w)| d * w)
            .sum();
        let check = match 11 - sum % 11 {
            11 => 0,
            10 => return Err(IdentifierError::NhsCheck),
            n => n,
        };
        if check != digits[9] {
            return Err(IdentifierError::NhsCheck);
        }
        Ok(Self(number))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// As people write it: 943 476 5919.
    pub fn spaced(&self) -> String {
        format!("{} {} {}", &self.0[..3], &self.0[3..6], &self.0[6..])
    }
}

/// A UK postcode, in capitals with one space before the inward code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Postcode(String);

impl Postcode {
    pub fn parse(input: &str) -> Result<Self, IdentifierError> {
        let squashed = squash(input);
        let len = squashed.len();
        if !(5..=7).contains(&len) || !squashed.is_ascii() {
            return Err(IdentifierError::Postcode);
        }
        let (outward, inward) = squashed.split_at(len - 3);
        let inward_ok = {
            let b = inward.as_bytes();
            b[0].is_ascii_digit() && b[1].is_ascii_uppercase() && b[2].is_ascii_uppercase()
        };
        let outward_ok = {
            let b = outward.as_bytes();
            b[0].is_ascii_uppercase()
                && b.iter().all(u8::is_ascii_alphanumeric)
                && b.iter().any(u8::is_ascii_digit)
        };
        if !(inward_ok && outward_ok) {
            return Err(IdentifierError::Postcode);
        }
        Ok(Self(format!("{outward} {inward}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

code_enum!(
    /// Primary and secondary types of need, as coded in the SEN2 return.
    SenNeed {
        Spld => "SPLD",
        Mld => "MLD",
        Sld => "SLD",
        Pmld => "PMLD",
        Semh => "SEMH",
        Slcn => "SLCN",
        Hi => "HI",
        Vi => "VI",
        Msi => "MSI",
        Pd => "PD",
        Asd => "ASD",
        Oth => "OTH",
    }
);

impl SenNeed {
    pub fn label(self) -> &'static str {
        match self {
            Self::Spld => "Specific learning difficulty",
            Self::Mld => "Moderate learning difficulty",
            Self::Sld => "Severe learning difficulty",
            Self::Pmld => "Profound and multiple learning difficulty",
            Self::Semh => "Social, emotional and mental health",
            Self::Slcn => "Speech, language and communication needs",
            Self::Hi => "Hearing impairment",
            Self::Vi => "Vision impairment",
            Self::Msi => "Multi-sensory impairment",
            Self::Pd => "Physical disability",
            Self::Asd => "Autistic spectrum disorder",
            Self::Oth => "Other difficulty or disability",
        }
    }
}

code_enum!(
    /// Sex as recorded in the school census and SEN2.
    Sex {
        Female => "F",
        Male => "M",
        NotKnown => "U",
    }
);

impl Sex {
    pub fn label(self) -> &'static str {
        match self {
            Self::Female => "Female",
            Self::Male => "Male",
            Self::NotKnown => "Not known",
        }
    }
}

/// A postal address: lines as given and a checked postcode.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Address {
    pub line_1: Option<ShortText>,
    pub line_2: Option<ShortText>,
    pub town: Option<ShortText>,
    pub postcode: Option<Postcode>,
}

/// A child or young person known to the SEND service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Child {
    pub id: ChildId,
    /// The team whose caseload the child is on.
    pub team_id: TeamId,
    pub legal_first_name: PersonName,
    pub legal_last_name: PersonName,
    /// The name the child likes to be called, if different.
    pub preferred_name: Option<PersonName>,
    pub date_of_birth: Date,
    pub sex: Sex,
    /// The school census ethnicity code (for example `WBRI`), as recorded.
    pub ethnicity: Option<ShortText>,
    pub upn: Option<Upn>,
    pub uln: Option<Uln>,
    pub nhs_number: Option<NhsNumber>,
    pub address: Address,
    /// The current school or setting.
    pub setting: Option<ShortText>,
    pub primary_need: Option<SenNeed>,
    pub secondary_need: Option<SenNeed>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    /// How many times the record has been written (1 when added): an update names
    /// the version it read, so two people's edits never silently overwrite each other.
    pub version: u32,
}

impl Child {
    /// The name to use in pages and letters: preferred first name, legal last name.
    pub fn display_name(&self) -> String {
        let first = self
            .preferred_name
            .as_ref()
            .unwrap_or(&self.legal_first_name);
        format!("{first} {}", self.legal_last_name)
    }
}

/// Someone in the child's family, or who cares for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyContact {
    pub id: ContactId,
    pub child_id: ChildId,
    pub name: PersonName,
    /// For example "Mother", "Foster carer", "Young person".
    pub relationship: ShortText,
    pub email: Option<Email>,
    pub phone: Option<PhoneNumber>,
    pub parental_responsibility: bool,
}

/// How to find children. Every field given must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChildSearch {
    /// Part of a first, last or preferred name (case-insensitive).
    pub name: Option<String>,
    pub date_of_birth: Option<Date>,
    /// A UPN, ULN or NHS number, exactly.
    pub identifier: Option<String>,
    pub postcode: Option<Postcode>,
}

/// Why a caseworker made a change the record keeps (revoking someone's portal
/// access, correcting a stage moved by mistake): required, at most
/// [`ChangeReason::MAX_CHARS`] characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeReason(String);

/// Why a reason was refused. Messages are shown as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ChangeReasonError {
    #[error("Enter the reason")]
    Empty,
    #[error("The reason must be 1,000 characters or fewer")]
    TooLong,
    #[error("The reason must not include invisible characters")]
    Invisible,
}

impl ChangeReason {
    pub const MAX_CHARS: usize = 1000;

    pub fn parse(input: &str) -> Result<Self, ChangeReasonError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(ChangeReasonError::Empty);
        }
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(ChangeReasonError::TooLong);
        }
        // Line breaks and tabs are typed; NUL and the like are not (and
        // PostgreSQL cannot store NUL).
        if trimmed
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(ChangeReasonError::Invisible);
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ChangeReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_reason_is_required_and_has_a_limit() {
        assert_eq!(ChangeReason::parse("  \n "), Err(ChangeReasonError::Empty));
        let longest = "a".repeat(ChangeReason::MAX_CHARS);
        assert_eq!(
            ChangeReason::parse(&longest).map(|r| r.as_str().len()),
            Ok(1000)
        );
        assert_eq!(
            ChangeReason::parse(&format!("{longest}a")),
            Err(ChangeReasonError::TooLong)
        );
        assert_eq!(
            ChangeReason::parse(" Moved to the wrong child \n").map(|r| r.to_string()),
            Ok("Moved to the wrong child".to_owned())
        );
        assert_eq!(
            ChangeReason::parse("before\0after"),
            Err(ChangeReasonError::Invisible)
        );
        assert_eq!(
            ChangeReason::parse("Two\r\n\tlines").map(|r| r.to_string()),
            Ok("Two\r\n\tlines".to_owned())
        );
    }

    #[test]
    fn upns_are_checked_by_their_check_letter() {
        // Built with the DfE algorithm: 201 local authority, 3456 school, 12 year, 345 serial.
        let body = "201345612345";
        let sum: u32 = body
            .bytes()
            .zip(2_u32..)
            .map(|(b, w)| u32::from(b - b'0') * w)
            .sum();
        let letter = char::from(UPN_CHECK_LETTERS[(sum % 23) as usize]);
        let upn = format!("{letter}{body}");
        assert_eq!(Upn::parse(&upn).unwrap().as_str(), upn);
        assert_eq!(Upn::parse(&upn.to_lowercase()).unwrap().as_str(), upn);
        let wrong = if letter == 'A' { 'B' } else { 'A' };
        assert_eq!(
            Upn::parse(&format!("{wrong}{body}")),
            Err(IdentifierError::UpnCheck)
        );
        assert_eq!(Upn::parse("A12345"), Err(IdentifierError::UpnFormat));
        assert_eq!(Upn::parse("1234567890123"), Err(IdentifierError::UpnFormat));
    }

    #[test]
    fn nhs_numbers_are_checked_by_modulus_eleven() {
        // 9 4 3 4 7 6 5 9 1 weighted 10..2 = 299; 11 - 299 mod 11 = 9.
        assert_eq!(
            NhsNumber::parse("943 476 5919").unwrap().spaced(),
            "943 476 5919"
        );
        assert_eq!(
            NhsNumber::parse("9434765919").unwrap().as_str(),
            "9434765919"
        );
        assert_eq!(
            NhsNumber::parse("943 476 5918"),
            Err(IdentifierError::NhsCheck)
        );
        assert_eq!(
            NhsNumber::parse("48577734"),
            Err(IdentifierError::NhsFormat)
        );
    }

    #[test]
    fn ulns_are_checked_by_their_check_digit() {
        // 1 2 3 4 5 6 7 8 9 weighted 10..2 = 210; 210 mod 11 = 1; check digit 9.
        assert_eq!(Uln::parse("1234567899").unwrap().as_str(), "1234567899");
        assert_eq!(Uln::parse("1234567890"), Err(IdentifierError::UlnCheck));
        assert_eq!(Uln::parse("12345"), Err(IdentifierError::UlnFormat));
    }

    #[test]
    fn postcodes_are_normalised_and_checked() {
        assert_eq!(Postcode::parse("sw1a1aa").unwrap().as_str(), "SW1A 1AA");
        assert_eq!(Postcode::parse(" WR1  2PG ").unwrap().as_str(), "WR1 2PG");
        assert_eq!(Postcode::parse("M1 1AE").unwrap().as_str(), "M1 1AE");
        assert_eq!(Postcode::parse("123 456"), Err(IdentifierError::Postcode));
        assert_eq!(Postcode::parse("SW1A"), Err(IdentifierError::Postcode));
    }

    #[test]
    fn sen_needs_use_the_sen2_codes() {
        assert_eq!(SenNeed::ALL.len(), 12);
        assert_eq!("ASD".parse::<SenNeed>().unwrap(), SenNeed::Asd);
        assert_eq!(SenNeed::Semh.code(), "SEMH");
    }
}
