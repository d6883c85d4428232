//! Incoming forms (FRM-5): where each submission stands in the SEND team's
//! processing area, the child details a submission carries for the matcher, and
//! the details that differ from a child's record for a caseworker to decide on.
//!
//! A submission arrives `Matched` (filled in on a child's record by someone the
//! council linked, or proposed by the matcher at or above the high threshold) or
//! `Suspense` (no likely match, a possible one, or details that conflict). A
//! caseworker confirms the child (or chooses, or creates, another), then imports
//! it onto the child's record; or rejects it with a message the submitter
//! receives. Submissions from before processing existed are `New`.

use std::collections::BTreeSet;

use time::OffsetDateTime;

use crate::audit::code_enum;
use crate::cases::{Child, NhsNumber, Postcode, Uln, Upn};
use crate::dates::long_date;
use crate::forms::{Answer, Answers, QuestionKey};
use crate::ids::{ChildId, InvolvementId, UserId};
use crate::matching::{ChildDetails, MatchResult, Verdict};

code_enum!(
    /// Where a submission stands in the processing area.
    ProcessingStatus {
        New => "new",
        Matched => "matched",
        Suspense => "suspense",
        Imported => "imported",
        Rejected => "rejected",
    }
);

impl ProcessingStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::New => "New",
            Self::Matched => "Matched",
            Self::Suspense => "In suspense",
            Self::Imported => "Imported",
            Self::Rejected => "Rejected",
        }
    }

    /// The GOV.UK tag colour.
    pub fn tag_colour(self) -> &'static str {
        match self {
            Self::New => "blue",
            Self::Matched => "turquoise",
            Self::Suspense => "orange",
            Self::Imported => "green",
            Self::Rejected => "grey",
        }
    }

    /// Still waiting for someone in the SEND team.
    pub fn is_open(self) -> bool {
        matches!(self, Self::New | Self::Matched | Self::Suspense)
    }
}

/// A submission's place in the processing area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Processing {
    pub status: ProcessingStatus,
    /// The child proposed by the matcher, chosen by a caseworker, or (once
    /// imported) the child whose record the submission is on.
    pub child_id: Option<ChildId>,
    /// The matcher's result for the best candidate, kept from arrival.
    pub result: Option<MatchResult>,
    /// A person (or the child's record it was filled in on) settled the child.
    pub confirmed: bool,
    /// Who last moved it on, and when.
    pub decided_by: Option<UserId>,
    pub decided_at: Option<OffsetDateTime>,
    /// The message sent to the submitter when it was rejected.
    pub message: Option<String>,
    /// The involvement it was linked to on import.
    pub involvement_id: Option<InvolvementId>,
    /// Goes up by one on every change, so two caseworkers cannot both act on it.
    pub version: u32,
}

/// Why a processing step was refused. Messages are shown as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProcessingError {
    #[error("This form has already been imported")]
    AlreadyImported,
    #[error("This form has been rejected")]
    AlreadyRejected,
    #[error("Choose the child this form is about before importing it")]
    NoChild,
    #[error("Enter a message to the person who sent the form")]
    NoMessage,
    #[error("The message must be 2,000 characters or fewer")]
    MessageTooLong,
    #[error("The message must not include invisible characters")]
    MessageInvisible,
}

/// How long a rejection message may be.
pub const MESSAGE_MAX_CHARS: usize = 2000;

impl Processing {
    /// A submission filled in on a child's record: the child is known.
    pub fn on_record(child: ChildId) -> Self {
        Self {
            status: ProcessingStatus::Matched,
            child_id: Some(child),
            result: None,
            confirmed: true,
            decided_by: None,
            decided_at: None,
            message: None,
            involvement_id: None,
            version: 1,
        }
    }

    /// A submission that stands alone, with the matcher's best candidate: at or
    /// above the high threshold it is proposed, otherwise held in suspense.
    pub fn arrived(best: Option<(ChildId, MatchResult)>) -> Self {
        let proposed = best
            .as_ref()
            .is_some_and(|(_, r)| matches!(r.verdict, Verdict::Certain | Verdict::Likely));
        // Only a proposal names a child; the best result is kept either way,
        // for why it waits in suspense.
        let (child_id, result) = match best {
            Some((child, result)) => (proposed.then_some(child), Some(result)),
            None => (None, None),
        };
        Self {
            status: if proposed {
                ProcessingStatus::Matched
            } else {
                ProcessingStatus::Suspense
            },
            child_id,
            result,
            confirmed: false,
            decided_by: None,
            decided_at: None,
            message: None,
            involvement_id: None,
            version: 1,
        }
    }

    /// Where it stands, for lists: a match the matcher proposed is not yet a
    /// match until someone confirms it.
    pub fn label(&self) -> &'static str {
        if self.status == ProcessingStatus::Matched && !self.confirmed {
            "Match proposed"
        } else {
            self.status.label()
        }
    }

    /// Where a form that stands alone arrives, from the matcher's best
    /// candidates, best first: the best is proposed only if no other is as
    /// likely. Two children scoring the same (twins whose names both fit a
    /// nickname, say) are for a person to tell apart.
    pub fn arrived_among(candidates: &[(ChildId, MatchResult)]) -> Self {
        let tied = matches!(
            candidates,
            [(_, first), (_, second), ..]
                if second.score == first.score
                    && matches!(second.verdict, Verdict::Certain | Verdict::Likely)
        );
        let best = candidates.first().cloned();
        if tied {
            // Held, naming no child, with the best result kept for the reason.
            return Self {
                result: best.map(|(_, result)| result),
                ..Self::arrived(None)
            };
        }
        Self::arrived(best)
    }

    /// Why it is in suspense, for lists.
    pub fn suspense_reason(&self) -> Option<&'static str> {
        if self.status != ProcessingStatus::Suspense {
            return None;
        }
        Some(match self.result.as_ref().map(|r| r.verdict) {
            Some(Verdict::Certain | Verdict::Likely) => "More than one likely match",
            Some(Verdict::Conflict) => "Details conflict",
            Some(Verdict::Possible) => "Possible match",
            _ => "No likely match",
        })
    }

    fn open(&self) -> Result<(), ProcessingError> {
        match self.status {
            ProcessingStatus::Imported => Err(ProcessingError::AlreadyImported),
            ProcessingStatus::Rejected => Err(ProcessingError::AlreadyRejected),
            _ => Ok(()),
        }
    }

    /// A caseworker settles the child (the proposal, one they found, or one
    /// they created from the submitted details).
    pub fn confirm(
        &self,
        child: ChildId,
        by: UserId,
        at: OffsetDateTime,
    ) -> Result<Self, ProcessingError> {
        self.open()?;
        let result = if self.child_id == Some(child) {
            self.result.clone()
        } else {
            None
        };
        Ok(Self {
            status: ProcessingStatus::Matched,
            child_id: Some(child),
            result,
            confirmed: true,
            decided_by: Some(by),
            decided_at: Some(at),
            version: self.version + 1,
            ..self.clone()
        })
    }

    /// Rejected, with a message the submitter receives.
    pub fn reject(
        &self,
        message: &str,
        by: UserId,
        at: OffsetDateTime,
    ) -> Result<Self, ProcessingError> {
        self.open()?;
        let message = message.trim();
        if message.is_empty() {
            return Err(ProcessingError::NoMessage);
        }
        if message.chars().count() > MESSAGE_MAX_CHARS {
            return Err(ProcessingError::MessageTooLong);
        }
        // Line breaks and tabs are typed; NUL and the like are not (and
        // PostgreSQL cannot store NUL).
        if message
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(ProcessingError::MessageInvisible);
        }
        Ok(Self {
            status: ProcessingStatus::Rejected,
            message: Some(message.to_owned()),
            decided_by: Some(by),
            decided_at: Some(at),
            version: self.version + 1,
            ..self.clone()
        })
    }

    /// Imported onto the confirmed child's record.
    pub fn import(
        &self,
        involvement: Option<InvolvementId>,
        by: UserId,
        at: OffsetDateTime,
    ) -> Result<Self, ProcessingError> {
        self.open()?;
        if !self.confirmed || self.child_id.is_none() {
            return Err(ProcessingError::NoChild);
        }
        Ok(Self {
            status: ProcessingStatus::Imported,
            involvement_id: involvement,
            decided_by: Some(by),
            decided_at: Some(at),
            version: self.version + 1,
            ..self.clone()
        })
    }
}

/// The questions whose answers describe the child, by key. A form the council
/// builds carries a child's details to the matcher by using these keys, as the
/// built-in requests for an assessment do.
pub mod keys {
    pub const CHILD_NAME: &str = "child_name";
    pub const DATE_OF_BIRTH: &str = "child_date_of_birth";
    pub const ADDRESS: &str = "child_address";
    pub const SETTING: &str = "setting_name";
    pub const UPN: &str = "child_upn";
    pub const ULN: &str = "child_uln";
    pub const NHS_NUMBER: &str = "child_nhs_number";
    /// The parent or carer filling in the form (not a young person for themselves).
    pub const YOUR_NAME: &str = "your_name";
    /// The family contact a professional names.
    pub const FAMILY_NAME: &str = "family_name";
}

/// The child's details as the submitted answers give them, and the address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubmittedChild {
    pub details: ChildDetails,
    pub address: Option<crate::forms::AddressAnswer>,
}

fn text(answers: &Answers, key: &str) -> Option<String> {
    match answers.get(&QuestionKey::new(key))? {
        Answer::Text(text) if !text.trim().is_empty() => Some(text.trim().to_owned()),
        _ => None,
    }
}

fn name(answers: &Answers, key: &str) -> Option<(String, String)> {
    match answers.get(&QuestionKey::new(key))? {
        Answer::Name { first, last } => Some((first.clone(), last.clone())),
        _ => None,
    }
}

/// Reads the child's details from a submission's answers (`keys`).
pub fn submitted_child(answers: &Answers) -> SubmittedChild {
    let (first_name, last_name) = match name(answers, keys::CHILD_NAME) {
        Some((first, last)) => (Some(first), Some(last)),
        None => (None, None),
    };
    let date_of_birth = match answers.get(&QuestionKey::new(keys::DATE_OF_BIRTH)) {
        Some(Answer::Date(date)) => Some(*date),
        _ => None,
    };
    let address = match answers.get(&QuestionKey::new(keys::ADDRESS)) {
        Some(Answer::Address(address)) => Some(address.clone()),
        _ => None,
    };
    let postcode = address
        .as_ref()
        .and_then(|a| Postcode::parse(&a.postcode).ok());
    let parents = [keys::YOUR_NAME, keys::FAMILY_NAME]
        .into_iter()
        .filter_map(|key| name(answers, key))
        .map(|(first, last)| format!("{first} {last}"))
        .collect();
    SubmittedChild {
        details: ChildDetails {
            first_name,
            preferred_name: None,
            last_name,
            date_of_birth,
            postcode,
            setting: text(answers, keys::SETTING),
            upn: text(answers, keys::UPN).and_then(|t| Upn::parse(&t).ok()),
            uln: text(answers, keys::ULN).and_then(|t| Uln::parse(&t).ok()),
            nhs_number: text(answers, keys::NHS_NUMBER).and_then(|t| NhsNumber::parse(&t).ok()),
            parents,
        },
        address,
    }
}

impl SubmittedChild {
    /// Enough to look for the child: a name and a date of birth, or an identifier.
    pub fn is_searchable(&self) -> bool {
        let d = &self.details;
        (d.last_name.is_some() && d.date_of_birth.is_some())
            || d.upn.is_some()
            || d.uln.is_some()
            || d.nhs_number.is_some()
    }
}

/// A detail of the child's record a submission may update.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Detail {
    FirstName,
    LastName,
    DateOfBirth,
    Address,
    Setting,
    Upn,
    Uln,
    NhsNumber,
}

impl Detail {
    pub const ALL: [Self; 8] = [
        Self::FirstName,
        Self::LastName,
        Self::DateOfBirth,
        Self::Address,
        Self::Setting,
        Self::Upn,
        Self::Uln,
        Self::NhsNumber,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::FirstName => "First name",
            Self::LastName => "Last name",
            Self::DateOfBirth => "Date of birth",
            Self::Address => "Address",
            Self::Setting => "School or setting",
            Self::Upn => "UPN",
            Self::Uln => "ULN",
            Self::NhsNumber => "NHS number",
        }
    }

    /// For form fields.
    pub fn code(self) -> &'static str {
        match self {
            Self::FirstName => "first_name",
            Self::LastName => "last_name",
            Self::DateOfBirth => "date_of_birth",
            Self::Address => "address",
            Self::Setting => "setting",
            Self::Upn => "upn",
            Self::Uln => "uln",
            Self::NhsNumber => "nhs_number",
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.code() == code)
    }
}

/// One detail where the submission and the record differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub detail: Detail,
    /// As the record has it ("" when it has none).
    pub recorded: String,
    /// As the submission gives it.
    pub submitted: String,
}

fn squashed(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn address_text(line_1: &str, line_2: &str, town: &str, postcode: &str) -> String {
    [line_1, line_2, town, postcode]
        .into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where the submitted details differ from the child's record: each one a
/// caseworker may choose to copy onto the record. Details the submission does
/// not give are not differences; case and spacing alone are not either.
pub fn differences(submitted: &SubmittedChild, child: &Child) -> Vec<Difference> {
    let d = &submitted.details;
    let mut found = Vec::new();
    let mut differs = |detail: Detail, recorded: String, given: Option<String>| {
        if let Some(given) = given
            && squashed(&given) != squashed(&recorded)
        {
            found.push(Difference {
                detail,
                recorded,
                submitted: given,
            });
        }
    };
    differs(
        Detail::FirstName,
        child.legal_first_name.to_string(),
        d.first_name.clone(),
    );
    differs(
        Detail::LastName,
        child.legal_last_name.to_string(),
        d.last_name.clone(),
    );
    differs(
        Detail::DateOfBirth,
        long_date(child.date_of_birth),
        d.date_of_birth.map(long_date),
    );
    let recorded_address = {
        let a = &child.address;
        let line = |t: &Option<crate::accounts::ShortText>| {
            t.as_ref().map(ToString::to_string).unwrap_or_default()
        };
        address_text(
            &line(&a.line_1),
            &line(&a.line_2),
            &line(&a.town),
            a.postcode
                .as_ref()
                .map(Postcode::as_str)
                .unwrap_or_default(),
        )
    };
    differs(
        Detail::Address,
        recorded_address,
        submitted
            .address
            .as_ref()
            .map(|a| address_text(&a.line_1, &a.line_2, &a.town, &a.postcode)),
    );
    differs(
        Detail::Setting,
        child
            .setting
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        d.setting.clone(),
    );
    differs(
        Detail::Upn,
        child
            .upn
            .as_ref()
            .map(|x| x.as_str().to_owned())
            .unwrap_or_default(),
        d.upn.as_ref().map(|x| x.as_str().to_owned()),
    );
    differs(
        Detail::Uln,
        child
            .uln
            .as_ref()
            .map(|x| x.as_str().to_owned())
            .unwrap_or_default(),
        d.uln.as_ref().map(|x| x.as_str().to_owned()),
    );
    differs(
        Detail::NhsNumber,
        child
            .nhs_number
            .as_ref()
            .map(NhsNumber::spaced)
            .unwrap_or_default(),
        d.nhs_number.as_ref().map(NhsNumber::spaced),
    );
    found
}

/// The child's record with the chosen details copied from the submission.
/// A detail that would not be valid on the record (a name of over 100
/// characters, say) is left as it was and named in the second value.
pub fn updated(
    child: &Child,
    submitted: &SubmittedChild,
    chosen: &BTreeSet<Detail>,
) -> (Child, Vec<Detail>) {
    use crate::accounts::ShortText;
    use crate::names::PersonName;
    let d = &submitted.details;
    let mut next = child.clone();
    let mut refused = Vec::new();
    for detail in chosen {
        let done = match detail {
            Detail::FirstName => d
                .first_name
                .as_deref()
                .and_then(|n| PersonName::parse(n).ok())
                .map(|n| next.legal_first_name = n),
            Detail::LastName => d
                .last_name
                .as_deref()
                .and_then(|n| PersonName::parse(n).ok())
                .map(|n| next.legal_last_name = n),
            Detail::DateOfBirth => d.date_of_birth.map(|date| next.date_of_birth = date),
            Detail::Address => submitted.address.as_ref().map(|a| {
                let line = |t: &str| ShortText::parse(t, "address").ok();
                next.address = crate::cases::Address {
                    line_1: line(&a.line_1),
                    line_2: line(&a.line_2),
                    town: line(&a.town),
                    postcode: Postcode::parse(&a.postcode).ok(),
                };
            }),
            Detail::Setting => d
                .setting
                .as_deref()
                .and_then(|s| ShortText::parse(s, "school or setting").ok())
                .map(|s| next.setting = Some(s)),
            Detail::Upn => d.upn.clone().map(|x| next.upn = Some(x)),
            Detail::Uln => d.uln.clone().map(|x| next.uln = Some(x)),
            Detail::NhsNumber => d.nhs_number.clone().map(|x| next.nhs_number = Some(x)),
        };
        if done.is_none() {
            refused.push(*detail);
        }
    }
    (next, refused)
}

#[cfg(test)]
mod tests;
