//! What a form is: an ordered list of pages, each holding questions, with the
//! conditions that show them and the branches that route past them.
//!
//! A definition is plain data (serialised as JSON in the store). The council edits
//! a working copy; publishing freezes a copy as a numbered version.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::files::FileKind;

/// A question's key, unique within its form (within its group, for the questions
/// of a repeating group). Also the name of its field on the page.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct QuestionKey(String);

/// A page's key, unique within its form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PageKey(String);

macro_rules! key_type {
    ($name:ident) => {
        impl $name {
            /// A key is 1 to 40 lower-case letters, digits and `_`, starting with a letter,
            /// so it can be a field name, an HTML id and a path segment as it is.
            pub fn parse(input: &str) -> Option<Self> {
                let ok = (1..=40).contains(&input.len())
                    && input.starts_with(|c: char| c.is_ascii_lowercase())
                    && input
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                ok.then(|| Self(input.to_owned()))
            }

            /// For keys written in code (built-in forms, tests). Panics on a bad key.
            pub fn new(key: &str) -> Self {
                Self::parse(key).unwrap_or_else(|| panic!("not a key: {key:?}"))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value).ok_or_else(|| format!("not a key: {value:?}"))
            }
        }

        impl From<$name> for String {
            fn from(key: $name) -> Self {
                key.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}
key_type!(QuestionKey);
key_type!(PageKey);

/// Who may be given a published form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Parents, carers and young people in the portal.
    Families,
    /// Professionals in the portal (schools, health, social care).
    Professionals,
    /// The council's own staff, in the back office.
    Council,
}

impl Audience {
    pub const ALL: [Self; 3] = [Self::Families, Self::Professionals, Self::Council];

    pub fn code(self) -> &'static str {
        match self {
            Self::Families => "families",
            Self::Professionals => "professionals",
            Self::Council => "council",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Families => "Parents, carers and young people",
            Self::Professionals => "Professionals",
            Self::Council => "The council only",
        }
    }

    pub fn in_portal(self) -> bool {
        !matches!(self, Self::Council)
    }
}

/// Per-form limits on uploads, within the portal's own limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadLimits {
    /// The largest file, in MiB.
    pub max_mib: u32,
}

impl Default for UploadLimits {
    fn default() -> Self {
        Self { max_mib: 20 }
    }
}

/// Whether a date must be in the past or the future (relative to the day it is given).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateLimit {
    #[default]
    Any,
    /// Today or earlier (a date of birth, when something happened).
    PastOrToday,
    /// Today or later (a date something will happen).
    TodayOrFuture,
}

/// What kind of council record a restricted lookup searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LookupKind {
    Child,
    School,
    Staff,
}

impl LookupKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Child => "a child or young person",
            Self::School => "a school or setting",
            Self::Staff => "a member of staff",
        }
    }
}

/// A question's type, with the settings of that type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuestionKind {
    /// One line of text, up to 200 characters.
    ShortText,
    /// Several lines, shown with a character count.
    LongText {
        max_chars: u32,
    },
    /// A number, whole or with decimals, between optional limits.
    Number {
        whole: bool,
        min: Option<f64>,
        max: Option<f64>,
    },
    /// A date in three boxes (day, month, year).
    Date {
        limit: DateLimit,
    },
    YesNo,
    SingleChoice {
        options: Vec<String>,
    },
    /// Checkboxes; with `none_of_these`, an exclusive "None of these" as well.
    MultipleChoice {
        options: Vec<String>,
        none_of_these: bool,
    },
    Email,
    /// A UK telephone number.
    Phone,
    /// A UK address: two lines, town and postcode.
    Address,
    Postcode,
    /// A person's first and last name.
    Name,
    /// Files, checked like every upload, at most `max_files`, of these kinds
    /// (every accepted kind if empty).
    FileUpload {
        max_files: u8,
        kinds: Vec<FileKind>,
    },
    /// A set of questions answered once per item ("Add another"), between
    /// `min_items` and `max_items` items. `item` names one item ("professional").
    Repeating {
        item: String,
        questions: Vec<Question>,
        min_items: u8,
        max_items: u8,
    },
    /// A search of the council's records; only on forms the council fills in.
    Lookup {
        of: LookupKind,
    },
}

impl QuestionKind {
    /// For the builder: the name of the type.
    pub fn label(&self) -> &'static str {
        match self {
            Self::ShortText => "Short text",
            Self::LongText { .. } => "Long text",
            Self::Number { .. } => "Number",
            Self::Date { .. } => "Date",
            Self::YesNo => "Yes or no",
            Self::SingleChoice { .. } => "Single choice",
            Self::MultipleChoice { .. } => "Multiple choice",
            Self::Email => "Email address",
            Self::Phone => "UK telephone number",
            Self::Address => "UK address",
            Self::Postcode => "UK postcode",
            Self::Name => "Name",
            Self::FileUpload { .. } => "File upload",
            Self::Repeating { .. } => "Repeating group",
            Self::Lookup { .. } => "Lookup of council records",
        }
    }

    /// The choices a condition on this question can test, if it has a fixed set.
    pub fn choices(&self) -> Option<Vec<String>> {
        match self {
            Self::YesNo => Some(vec!["Yes".to_owned(), "No".to_owned()]),
            Self::SingleChoice { options } | Self::MultipleChoice { options, .. } => {
                Some(options.clone())
            }
            _ => None,
        }
    }
}

/// One question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub key: QuestionKey,
    /// The question as asked ("What is your child's school?").
    pub text: String,
    #[serde(default)]
    pub hint: Option<String>,
    pub required: bool,
    pub kind: QuestionKind,
    /// Asked only when this holds (it tests an answer on an earlier page).
    #[serde(default)]
    pub show_when: Option<Condition>,
}

/// What a condition tests an earlier answer for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "test", rename_all = "snake_case")]
pub enum Test {
    /// A single choice (or yes/no: "Yes", "No") is this option.
    Is { value: String },
    /// A single choice (or yes/no) is answered and is not this option.
    IsNot { value: String },
    /// A multiple choice includes this option.
    Includes { value: String },
    /// A multiple choice is answered and does not include this option.
    Excludes { value: String },
    /// A number is within these limits (inclusive).
    Between { min: Option<f64>, max: Option<f64> },
}

/// "Show when QUESTION TEST". A test of an unanswered (or hidden) question is false.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    pub question: QuestionKey,
    #[serde(flatten)]
    pub test: Test,
}

/// Where a branch goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "to", content = "page", rename_all = "snake_case")]
pub enum Destination {
    /// A later page.
    Page(PageKey),
    /// Straight to "Check your answers".
    End,
}

/// After a page: when `when` holds, go to `to` instead of the next page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Branch {
    pub when: Condition,
    pub to: Destination,
}

/// One page: one question by default, as GOV.UK does; several if the council
/// groups them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    pub key: PageKey,
    /// The page heading when it holds more than one question (otherwise the
    /// question is the heading).
    #[serde(default)]
    pub heading: Option<String>,
    pub questions: Vec<Question>,
    #[serde(default)]
    pub show_when: Option<Condition>,
    /// Tried in order after the page is answered; the first that holds is taken.
    #[serde(default)]
    pub branches: Vec<Branch>,
}

/// A whole form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormDefinition {
    pub title: String,
    /// What the form is for, shown before the first question.
    #[serde(default)]
    pub description: String,
    /// What the person confirms when they submit.
    pub declaration: String,
    /// "What happens next", shown on the confirmation page.
    pub next_steps: String,
    pub audiences: Vec<Audience>,
    /// Days a person has to complete it when it is sent as an action.
    pub days_to_complete: u16,
    #[serde(default)]
    pub uploads: UploadLimits,
    /// Whether the form is about one child (sent or shown on a child's case) or
    /// stands alone (a request for an assessment, listed on the portal home).
    pub about_a_child: bool,
    /// What importing a submission does beyond filing it (`None`: nothing more).
    /// Copies of a form keep it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<FormPurpose>,
    pub pages: Vec<Page>,
}

/// What a form is for, when importing its submissions does more than file them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormPurpose {
    /// A request for an EHC needs assessment: importing one opens the
    /// assessment, received on the day the request arrived.
    AssessmentRequest,
    /// Advice for an assessment: its files are filed as advice.
    Advice,
}

impl FormDefinition {
    /// A new, empty form.
    pub fn new(title: &str) -> Self {
        Self {
            title: title.to_owned(),
            description: String::new(),
            declaration: "I confirm that the information I have given is correct to the best of my knowledge.".to_owned(),
            next_steps: "The SEND team will read your answers and contact you if they need to know more.".to_owned(),
            audiences: vec![Audience::Families],
            days_to_complete: 15,
            uploads: UploadLimits::default(),
            purpose: None,
            about_a_child: true,
            pages: Vec::new(),
        }
    }

    /// The page with this key, with its position.
    pub fn page(&self, key: &PageKey) -> Option<(usize, &Page)> {
        self.pages.iter().enumerate().find(|(_, p)| &p.key == key)
    }

    /// The top-level question with this key, with the position of its page.
    pub fn question(&self, key: &QuestionKey) -> Option<(usize, &Question)> {
        self.pages.iter().enumerate().find_map(|(index, page)| {
            page.questions
                .iter()
                .find(|q| &q.key == key)
                .map(|q| (index, q))
        })
    }

    /// Every top-level question, in order.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.pages.iter().flat_map(|p| p.questions.iter())
    }

    /// A question key not used yet ("q1", "q2", …), for the builder.
    pub fn fresh_question_key(&self) -> QuestionKey {
        let used: Vec<&str> = self
            .questions()
            .flat_map(|q| {
                let inner: Vec<&str> = match &q.kind {
                    QuestionKind::Repeating { questions, .. } => {
                        questions.iter().map(|q| q.key.as_str()).collect()
                    }
                    _ => Vec::new(),
                };
                std::iter::once(q.key.as_str()).chain(inner)
            })
            .collect();
        fresh("q", &used, QuestionKey::new)
    }

    /// A page key not used yet ("p1", "p2", …), for the builder.
    pub fn fresh_page_key(&self) -> PageKey {
        let used: Vec<&str> = self.pages.iter().map(|p| p.key.as_str()).collect();
        fresh("p", &used, PageKey::new)
    }
}

fn fresh<K>(prefix: &str, used: &[&str], make: fn(&str) -> K) -> K {
    // One more number than there are keys always includes a free one.
    let next = (1..=used.len() + 1)
        .find(|n| !used.contains(&format!("{prefix}{n}").as_str()))
        .unwrap_or(1);
    make(&format!("{prefix}{next}"))
}
