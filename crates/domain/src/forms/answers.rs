//! Answers: the typed value each question's input becomes, or the GOV.UK error
//! message written for that question. One reader per question type, used on
//! every path (a page, a change from Check your answers, carrying answers to a
//! new version), so an answer is checked the same way wherever it comes from.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::Date;

use super::definition::QuestionKey;
use crate::files::StoredFile;

/// A UK address as answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressAnswer {
    pub line_1: String,
    pub line_2: String,
    pub town: String,
    /// Checked and formatted ("SW1A 1AA").
    pub postcode: String,
}

/// One answer, typed by its question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Answer {
    /// Short or long text, trimmed.
    Text(String),
    Number(f64),
    Date(#[serde(with = "iso_date")] Date),
    YesNo(bool),
    /// The chosen option of a single choice.
    Choice(String),
    /// The chosen options of a multiple choice, in the form's order; empty means
    /// "None of these".
    Choices(Vec<String>),
    /// Lower-cased, checked.
    Email(String),
    Phone(String),
    Address(AddressAnswer),
    Postcode(String),
    Name {
        first: String,
        last: String,
    },
    Files(Vec<StoredFile>),
    /// One set of answers per item of a repeating group.
    Items(Vec<Answers>),
    /// A council record found by a lookup: its id and how it was shown.
    Lookup {
        id: String,
        label: String,
    },
    /// An optional question the person saw and left blank (so the page counts
    /// as answered when they come back).
    NotAnswered,
}

/// Answers by question key.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Answers(pub BTreeMap<QuestionKey, Answer>);

impl Answers {
    pub fn get(&self, key: &QuestionKey) -> Option<&Answer> {
        self.0.get(key)
    }

    pub fn set(&mut self, key: QuestionKey, answer: Option<Answer>) {
        match answer {
            Some(answer) => self.0.insert(key, answer),
            None => self.0.remove(&key),
        };
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&QuestionKey, &Answer)> {
        self.0.iter()
    }

    /// Every file in these answers (and in their items).
    pub fn files(&self) -> Vec<&StoredFile> {
        let mut files = Vec::new();
        for answer in self.0.values() {
            match answer {
                Answer::Files(list) => files.extend(list.iter()),
                Answer::Items(items) => items.iter().for_each(|i| files.extend(i.files())),
                _ => {}
            }
        }
        files
    }
}

/// Dates in answers are stored as `YYYY-MM-DD`.
mod iso_date {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;
    use time::macros::format_description;

    const FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
        format_description!("[year]-[month]-[day]");

    #[allow(clippy::trivially_copy_pass_by_ref)] // serde's `with` passes a reference
    pub fn serialize<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
        let text = date.format(FORMAT).map_err(serde::ser::Error::custom)?;
        s.serialize_str(&text)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = String::deserialize(d)?;
        Date::parse(&text, FORMAT).map_err(serde::de::Error::custom)
    }
}
