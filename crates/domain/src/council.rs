//! The council that runs this portal.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CouncilNameError {
    #[error("the council name is empty")]
    Empty,
    #[error("the council name must be 120 characters or fewer")]
    TooLong,
    #[error("the council name must not contain control characters")]
    ControlCharacters,
}

/// The council's name as shown in the header, in emails and on every page title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CouncilName(String);

impl CouncilName {
    pub fn parse(input: &str) -> Result<Self, CouncilNameError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(CouncilNameError::Empty);
        }
        if trimmed.chars().count() > 120 {
            return Err(CouncilNameError::TooLong);
        }
        if trimmed.chars().any(char::is_control) {
            return Err(CouncilNameError::ControlCharacters);
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CouncilName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CouncilName {
    type Error = CouncilNameError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CouncilName> for String {
    fn from(value: CouncilName) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_refuses_empty_or_control_characters() {
        assert_eq!(
            CouncilName::parse("  Exampleshire Council ")
                .unwrap()
                .as_str(),
            "Exampleshire Council"
        );
        assert_eq!(CouncilName::parse(""), Err(CouncilNameError::Empty));
        assert_eq!(
            CouncilName::parse("A\nB"),
            Err(CouncilNameError::ControlCharacters)
        );
    }
}
