//! Reading what a person typed into a question: each field becomes a typed
//! [`Answer`], or a GOV.UK error message for that question, linked to the field.
//! [`Question::read`] is the one reader; [`Question::accepts`] checks an answer
//! already held (one carried to a new version) by writing it back into fields
//! and reading them again, so both paths check the same way.

use time::Date;

use super::answers::{AddressAnswer, Answer};
use super::definition::{DateLimit, Question, QuestionKind};
use crate::cases::Postcode;
use crate::dates::{DateError, parse_date};
use crate::email::Email;

/// The fields of a submitted page, as posted (a name may repeat).
pub type Fields = [(String, String)];

/// The value for "None of these" in a multiple choice.
pub const NONE_OF_THESE: &str = ":none";

/// The longest short text answer, in characters.
pub const SHORT_TEXT_MAX: usize = 200;

/// A message for one field of a question (the field's id is also the anchor the
/// error summary links to).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

fn error(field: String, message: impl Into<String>) -> FieldError {
    FieldError {
        field,
        message: message.into(),
    }
}

/// The first value of a field, trimmed ("" when absent).
pub fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map_or("", |(_, v)| v.trim())
}

fn values<'a>(fields: &'a Fields, name: &str) -> Vec<&'a str> {
    fields
        .iter()
        .filter(|(n, _)| n == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
        .collect()
}

/// The names of the fields a question is typed into, first the one an error on
/// the whole question links to.
pub fn field_names(question: &Question) -> Vec<String> {
    let key = question.key.as_str();
    match &question.kind {
        QuestionKind::Date { .. } => ["day", "month", "year"]
            .iter()
            .map(|p| format!("{key}-{p}"))
            .collect(),
        QuestionKind::Address => ["line1", "line2", "town", "postcode"]
            .iter()
            .map(|p| format!("{key}-{p}"))
            .collect(),
        QuestionKind::Name => ["first", "last"]
            .iter()
            .map(|p| format!("{key}-{p}"))
            .collect(),
        _ => vec![key.to_owned()],
    }
}

impl Question {
    /// Reads this question's fields. `Ok(None)`: an optional question left blank.
    /// File uploads and repeating groups are not typed into fields: see
    /// [`Question::check_held`].
    pub fn read(&self, fields: &Fields, today: Date) -> Result<Option<Answer>, FieldError> {
        let key = self.key.as_str();
        let names = field_names(self);
        let blank = names.iter().all(|n| field(fields, n).is_empty());
        if blank
            && !matches!(
                self.kind,
                QuestionKind::FileUpload { .. } | QuestionKind::Repeating { .. }
            )
        {
            return if self.required {
                Err(error(names[0].clone(), self.missing_message()))
            } else {
                Ok(None)
            };
        }
        let here = || key.to_owned();
        let answer = match &self.kind {
            QuestionKind::ShortText => Answer::Text(text(fields, key, SHORT_TEXT_MAX, false)?),
            QuestionKind::LongText { max_chars } => {
                Answer::Text(text(fields, key, *max_chars as usize, true)?)
            }
            QuestionKind::Number { whole, min, max } => Answer::Number(
                number(field(fields, key), *whole, *min, *max).map_err(|m| error(here(), m))?,
            ),
            QuestionKind::Date { limit } => Answer::Date(date(fields, key, *limit, today)?),
            QuestionKind::YesNo => match field(fields, key) {
                "yes" => Answer::YesNo(true),
                "no" => Answer::YesNo(false),
                _ => return Err(error(here(), "Select yes or no")),
            },
            QuestionKind::SingleChoice { options } => {
                let chosen = field(fields, key);
                if !options.iter().any(|o| o == chosen) {
                    return Err(error(here(), "Select an option"));
                }
                Answer::Choice(chosen.to_owned())
            }
            QuestionKind::MultipleChoice {
                options,
                none_of_these,
            } => Answer::Choices(
                choices(&values(fields, key), options, *none_of_these)
                    .map_err(|m| error(here(), m))?,
            ),
            QuestionKind::Email => Answer::Email(
                Email::parse(field(fields, key))
                    .map_err(|e| error(here(), e.to_string()))?
                    .as_str()
                    .to_owned(),
            ),
            QuestionKind::Phone => {
                Answer::Phone(uk_phone(field(fields, key)).map_err(|m| error(here(), m))?)
            }
            QuestionKind::Postcode => {
                Answer::Postcode(postcode(field(fields, key)).map_err(|m| error(here(), m))?)
            }
            QuestionKind::Address => Answer::Address(address(fields, key)?),
            QuestionKind::Name => {
                let first = text(fields, &format!("{key}-first"), 100, false)?;
                let last = text(fields, &format!("{key}-last"), 100, false)?;
                if first.is_empty() {
                    return Err(error(format!("{key}-first"), "Enter a first name"));
                }
                if last.is_empty() {
                    return Err(error(format!("{key}-last"), "Enter a last name"));
                }
                Answer::Name { first, last }
            }
            QuestionKind::Lookup { of } => {
                let id = field(fields, key);
                let label = field(fields, &format!("{key}-label"));
                if id.is_empty() || label.is_empty() {
                    return Err(error(
                        here(),
                        format!("Search for {} and choose one", of.label()),
                    ));
                }
                Answer::Lookup {
                    id: id.to_owned(),
                    label: label.to_owned(),
                }
            }
            QuestionKind::FileUpload { .. } | QuestionKind::Repeating { .. } => {
                return Err(error(here(), "This question is not typed in"));
            }
        };
        Ok(Some(answer))
    }

    /// Checks the answer held for a file upload or repeating group when the
    /// person continues: present if required, and the number of items within
    /// the group's limits.
    pub fn check_held(&self, held: Option<&Answer>) -> Result<(), FieldError> {
        let key = self.key.as_str().to_owned();
        match (&self.kind, held) {
            (QuestionKind::FileUpload { .. }, Some(Answer::Files(files))) if !files.is_empty() => {
                Ok(())
            }
            (QuestionKind::FileUpload { .. }, _) if self.required => {
                Err(error(key, "Select a file to upload"))
            }
            (
                QuestionKind::Repeating {
                    item,
                    min_items,
                    max_items,
                    ..
                },
                held,
            ) => {
                let count = match held {
                    Some(Answer::Items(items)) => items.len(),
                    _ => 0,
                };
                let min = usize::from(*min_items).max(usize::from(self.required));
                if count < min {
                    let plural = if min == 1 { "" } else { "s" };
                    Err(error(key, format!("Add at least {min} {item}{plural}")))
                } else if count > usize::from(*max_items) {
                    Err(error(
                        key,
                        format!("You can add at most {max_items} – remove one"),
                    ))
                } else {
                    Ok(())
                }
            }
            _ => Ok(()),
        }
    }

    /// Whether an answer held (from an earlier version of the form) is still a
    /// valid answer to this question, checked by the same reader as typing it.
    pub fn accepts(&self, answer: &Answer, today: Date) -> bool {
        match (&self.kind, answer) {
            (QuestionKind::FileUpload { max_files, kinds }, Answer::Files(files)) => {
                files.len() <= usize::from(*max_files)
                    && (kinds.is_empty() || files.iter().all(|f| kinds.contains(&f.kind)))
            }
            (
                QuestionKind::Repeating {
                    questions,
                    max_items,
                    ..
                },
                Answer::Items(items),
            ) => {
                items.len() <= usize::from(*max_items)
                    && items.iter().all(|item| {
                        item.iter().all(|(k, a)| {
                            questions
                                .iter()
                                .find(|q| &q.key == k)
                                .is_some_and(|q| q.accepts(a, today))
                        })
                    })
            }
            (QuestionKind::FileUpload { .. } | QuestionKind::Repeating { .. }, _) => false,
            _ => {
                let fields = answer_fields(self, answer);
                matches!(self.read(&fields, today), Ok(Some(read)) if &read == answer)
            }
        }
    }

    fn missing_message(&self) -> &'static str {
        match self.kind {
            QuestionKind::Number { .. } => "Enter a number",
            QuestionKind::Date { .. } => "Enter a date",
            QuestionKind::YesNo => "Select yes or no",
            QuestionKind::SingleChoice { .. } => "Select an option",
            QuestionKind::MultipleChoice {
                none_of_these: true,
                ..
            } => "Select at least one option, or ‘None of these’",
            QuestionKind::MultipleChoice { .. } => "Select at least one option",
            QuestionKind::Email => "Enter an email address",
            QuestionKind::Phone => "Enter a telephone number",
            QuestionKind::Postcode => "Enter a postcode",
            QuestionKind::Address => "Enter address line 1, typically the building and street",
            QuestionKind::Name => "Enter a first name",
            QuestionKind::Lookup { .. } => "Search for a record and choose one",
            _ => "Enter an answer",
        }
    }
}

/// An answer written back into the fields it is typed in (to show it in the
/// form again, and to check it again).
pub fn answer_fields(question: &Question, answer: &Answer) -> Vec<(String, String)> {
    let key = question.key.as_str();
    let one = |v: String| vec![(key.to_owned(), v)];
    match answer {
        Answer::Text(t)
        | Answer::Choice(t)
        | Answer::Email(t)
        | Answer::Phone(t)
        | Answer::Postcode(t) => one(t.clone()),
        Answer::Number(n) => one(format_number(*n)),
        Answer::Date(d) => vec![
            (format!("{key}-day"), d.day().to_string()),
            (format!("{key}-month"), u8::from(d.month()).to_string()),
            (format!("{key}-year"), d.year().to_string()),
        ],
        Answer::YesNo(b) => one(if *b { "yes" } else { "no" }.to_owned()),
        Answer::Choices(list) if list.is_empty() => one(NONE_OF_THESE.to_owned()),
        Answer::Choices(list) => list.iter().map(|c| (key.to_owned(), c.clone())).collect(),
        Answer::Address(a) => vec![
            (format!("{key}-line1"), a.line_1.clone()),
            (format!("{key}-line2"), a.line_2.clone()),
            (format!("{key}-town"), a.town.clone()),
            (format!("{key}-postcode"), a.postcode.clone()),
        ],
        Answer::Name { first, last } => vec![
            (format!("{key}-first"), first.clone()),
            (format!("{key}-last"), last.clone()),
        ],
        Answer::Lookup { id, label } => vec![
            (key.to_owned(), id.clone()),
            (format!("{key}-label"), label.clone()),
        ],
        Answer::Files(_) | Answer::Items(_) | Answer::NotAnswered => Vec::new(),
    }
}

/// A number as people write it: no trailing ".0", no exponent.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        let text = format!("{n}");
        text
    }
}

fn text(fields: &Fields, name: &str, max: usize, multiline: bool) -> Result<String, FieldError> {
    let value = field(fields, name).replace("\r\n", "\n");
    if value
        .chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t')))
    {
        return Err(error(
            name.to_owned(),
            "Your answer must not contain special characters such as tabs or line breaks",
        ));
    }
    if value.chars().count() > max {
        return Err(error(
            name.to_owned(),
            format!("Your answer must be {max} characters or fewer"),
        ));
    }
    Ok(value)
}

/// A number, whole or not, within the limits.
pub fn number(input: &str, whole: bool, min: Option<f64>, max: Option<f64>) -> Result<f64, String> {
    let cleaned: String = input
        .chars()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect();
    let looks_numeric = !cleaned.is_empty()
        && cleaned
            .chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || c == '.' || (c == '-' && i == 0))
        && cleaned.chars().filter(|c| *c == '.').count() <= 1
        && cleaned.chars().any(|c| c.is_ascii_digit());
    let value: f64 = if looks_numeric {
        cleaned.parse().map_err(|_| "Enter a number".to_owned())?
    } else {
        return Err(if whole {
            "Enter a whole number, like 3".to_owned()
        } else {
            "Enter a number, like 3 or 2.5".to_owned()
        });
    };
    if !value.is_finite() {
        return Err("Enter a number".to_owned());
    }
    if whole && (cleaned.contains('.') || value.fract() != 0.0) {
        return Err("Enter a whole number, like 3".to_owned());
    }
    match (min, max) {
        (Some(lo), Some(hi)) if value < lo || value > hi => Err(format!(
            "The number must be between {} and {}",
            format_number(lo),
            format_number(hi)
        )),
        (Some(lo), _) if value < lo => {
            Err(format!("The number must be {} or more", format_number(lo)))
        }
        (_, Some(hi)) if value > hi => {
            Err(format!("The number must be {} or less", format_number(hi)))
        }
        _ => Ok(value),
    }
}

fn date(fields: &Fields, key: &str, limit: DateLimit, today: Date) -> Result<Date, FieldError> {
    let day = field(fields, &format!("{key}-day"));
    let month = field(fields, &format!("{key}-month"));
    let year = field(fields, &format!("{key}-year"));
    let parsed = parse_date("The date", day, month, year).map_err(|e| {
        let part = match &e {
            DateError::MissingPart(_, part) => part,
            _ => "day",
        };
        error(format!("{key}-{part}"), e.to_string())
    })?;
    match limit {
        DateLimit::PastOrToday if parsed > today => Err(error(
            format!("{key}-day"),
            "The date must be today or in the past",
        )),
        DateLimit::TodayOrFuture if parsed < today => Err(error(
            format!("{key}-day"),
            "The date must be today or in the future",
        )),
        _ => Ok(parsed),
    }
}

fn choices(
    chosen: &[&str],
    options: &[String],
    none_of_these: bool,
) -> Result<Vec<String>, String> {
    let none = chosen.contains(&NONE_OF_THESE);
    if none && !none_of_these {
        return Err("Select at least one option".to_owned());
    }
    if none && chosen.len() > 1 {
        return Err("Select ‘None of these’ or the options that apply, not both".to_owned());
    }
    if none {
        return Ok(Vec::new());
    }
    if chosen.iter().any(|c| !options.iter().any(|o| o == c)) {
        return Err("Select the options that apply".to_owned());
    }
    // In the form's order, once each.
    Ok(options
        .iter()
        .filter(|o| chosen.contains(&o.as_str()))
        .cloned()
        .collect())
}

/// A UK telephone number: 10 or 11 digits starting 0, or the same after +44;
/// spaces, brackets and hyphens allowed. Kept as typed (trimmed).
pub fn uk_phone(input: &str) -> Result<String, String> {
    let trimmed = input.trim();
    let allowed = trimmed
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || " ()-".contains(c) || (c == '+' && i == 0));
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    let national = if trimmed.starts_with('+') {
        digits
            .strip_prefix("44")
            .map(|rest| format!("0{}", rest.trim_start_matches('0')))
    } else {
        Some(digits)
    };
    match national {
        Some(n) if allowed && n.starts_with('0') && (10..=11).contains(&n.len()) => {
            Ok(trimmed.to_owned())
        }
        _ => Err("Enter a UK telephone number, like 01632 960 001 or 07700 900 982".to_owned()),
    }
}

fn postcode(input: &str) -> Result<String, String> {
    Postcode::parse(input)
        .map(|p| p.as_str().to_owned())
        .map_err(|_| "Enter a real postcode, like SW1A 1AA".to_owned())
}

fn address(fields: &Fields, key: &str) -> Result<AddressAnswer, FieldError> {
    let line_1 = text(fields, &format!("{key}-line1"), 100, false)?;
    let line_2 = text(fields, &format!("{key}-line2"), 100, false)?;
    let town = text(fields, &format!("{key}-town"), 100, false)?;
    if line_1.is_empty() {
        return Err(error(
            format!("{key}-line1"),
            "Enter address line 1, typically the building and street",
        ));
    }
    if town.is_empty() {
        return Err(error(format!("{key}-town"), "Enter town or city"));
    }
    let code = field(fields, &format!("{key}-postcode"));
    if code.is_empty() {
        return Err(error(format!("{key}-postcode"), "Enter a postcode"));
    }
    let postcode = postcode(code).map_err(|m| error(format!("{key}-postcode"), m))?;
    Ok(AddressAnswer {
        line_1,
        line_2,
        town,
        postcode,
    })
}
