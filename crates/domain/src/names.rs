//! People's names as typed by them or by the council.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("Enter a name")]
    Empty,
    #[error("Name must be 100 characters or fewer")]
    TooLong,
    #[error("Name must not contain control characters")]
    ControlCharacters,
}

/// A person's name: any letters and punctuation people use, trimmed, 1 to 100
/// characters. No assumptions about first and last names are made here.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(input: &str) -> Result<Self, NameError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(NameError::Empty);
        }
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(NameError::TooLong);
        }
        if trimmed.chars().any(char::is_control) {
            return Err(NameError::ControlCharacters);
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for PersonName {
    type Error = NameError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PersonName> for String {
    fn from(value: PersonName) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_real_names_as_written() {
        for name in [
            "Siân O'Neill-Jones",
            "李小龍",
            "Ng",
            "María José de la Cruz",
        ] {
            assert_eq!(PersonName::parse(name).unwrap().as_str(), name);
        }
    }

    #[test]
    fn refuses_empty_long_and_control_characters() {
        assert_eq!(PersonName::parse("  "), Err(NameError::Empty));
        assert_eq!(PersonName::parse(&"a".repeat(101)), Err(NameError::TooLong));
        assert_eq!(
            PersonName::parse("Jo\u{0}Bloggs"),
            Err(NameError::ControlCharacters)
        );
    }
}
