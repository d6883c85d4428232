//! The one matcher for a child's details as they arrive (a form submission, a
//! professional's request to add a child they work with) against a child's record.
//!
//! [`compare`] gives a score from 0 to 100, a [`Verdict`] and the [`Reason`]s for
//! both, in plain English and free of personal data. It never links anyone itself: at
//! best it proposes a record for a person's one-click confirmation.
//!
//! The rules, in order:
//! - The same UPN, ULN or NHS number on both sides is a certain match, unless another
//!   detail contradicts it: a different date of birth (not day and month swapped) or a
//!   different first name. Then the details conflict, and the score is what the other
//!   details alone give. A first name alone contradicts (not only first name and
//!   surname together) because it is what tells siblings apart: a parent of twins who
//!   types the other twin's NHS number leaves only the first name different.
//! - The same kind of identifier on both sides but different: the identifiers are
//!   checked by their check digits, so a typing slip is rarely valid and a different
//!   one almost always means a different child. If everything else agrees (a score at or
//!   above `high`) the details conflict and a person decides; otherwise the score is
//!   capped below `low`.
//! - Otherwise each detail adds its weight (the consts below). A different date of
//!   birth, or a first name and surname that both differ, caps the score below `low`.
//! - Twins are never merged: the same date of birth and postcode with a different first
//!   name caps the score below `high`, so the record is shown as a possible match with
//!   the reason "could be a twin", for a person to look at, but never proposed. Capping
//!   below `high` rather than `low` keeps the score monotonic: the same postcode never
//!   lowers a score, and the twin is still shown, which helps a caseworker link siblings.
//!
//! The comparison is symmetric: which side is the record does not matter, so the
//! preferred name of either side counts as a first name.

use serde::{Deserialize, Serialize};
use time::{Date, Month};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::cases::{Child, FamilyContact, NhsNumber, Postcode, Uln, Upn};

#[cfg(test)]
mod tests;

// Weights: what each agreeing detail adds. The full name and date of birth, all exact,
// reach 80, the default `high`: the three details every form asks for are enough to
// propose a record. Any typo or nickname then needs a postcode, setting or parent.

/// The date of birth weighs most: forms get it right, and it sets apart children of one name.
const SAME_DATE_OF_BIRTH: u8 = 35;
/// 03/04 read as 04/03: most likely the same date, but not as sure as exact.
const DAY_AND_MONTH_SWAPPED: u8 = 20;
/// Fewer children share a surname than a first name, though siblings do.
const SAME_SURNAME: u8 = 25;
const SURNAME_ONE_LETTER: u8 = 18;
const SURNAME_TWO_LETTERS: u8 = 12;
/// "Smith" for "Smith-Jones": one family name of a double-barrelled surname.
const SURNAME_PART: u8 = 15;
const SAME_FIRST_NAME: u8 = 20;
/// Liz for Elizabeth: the same name, as the family says it.
const NICKNAME: u8 = 16;
const FIRST_NAME_ONE_LETTER: u8 = 14;
const FIRST_NAME_TWO_LETTERS: u8 = 9;
/// Both names, in the wrong boxes: a little less than both in the right ones.
const NAMES_SWAPPED: u8 = 38;
/// A postcode or parent agrees within a family: it corroborates, it does not identify.
const SAME_POSTCODE: u8 = 10;
const SAME_PARENT: u8 = 10;
/// Settings are typed loosely and shared by hundreds of children.
const SAME_SETTING: u8 = 5;

/// Details of a child as they arrive (a submission, a professional's request) or as recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChildDetails {
    pub first_name: Option<String>,
    /// The name the child likes to be called (records only; a submission leaves it None).
    pub preferred_name: Option<String>,
    pub last_name: Option<String>,
    pub date_of_birth: Option<Date>,
    pub postcode: Option<Postcode>,
    /// School or setting, as written.
    pub setting: Option<String>,
    pub upn: Option<Upn>,
    pub uln: Option<Uln>,
    pub nhs_number: Option<NhsNumber>,
    /// Full names of parents or carers ("Pat Parent").
    pub parents: Vec<String>,
}

impl ChildDetails {
    /// A record's details: legal and preferred names, identifiers, postcode, setting, and
    /// the names of the family contacts (contacts of another child are left out).
    pub fn of_child(child: &Child, contacts: &[FamilyContact]) -> Self {
        Self {
            first_name: Some(child.legal_first_name.to_string()),
            preferred_name: child.preferred_name.as_ref().map(ToString::to_string),
            last_name: Some(child.legal_last_name.to_string()),
            date_of_birth: Some(child.date_of_birth),
            postcode: child.address.postcode.clone(),
            setting: child.setting.as_ref().map(ToString::to_string),
            upn: child.upn.clone(),
            uln: child.uln.clone(),
            nhs_number: child.nhs_number.clone(),
            parents: contacts
                .iter()
                .filter(|contact| contact.child_id == child.id)
                .map(|contact| contact.name.to_string())
                .collect(),
        }
    }
}

/// Why thresholds were refused. Messages are shown as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ThresholdsError {
    #[error("The score for a possible match must be at least 1")]
    LowIsZero,
    #[error("The score for a likely match must be 100 or less")]
    HighAbove100,
    #[error("The score for a possible match must be less than the score for a likely match")]
    LowNotBelowHigh,
}

/// Score thresholds (0–100). At or above `high`: proposed for one-click confirmation.
/// Below `low`: "no likely match".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ThresholdsFields")]
pub struct Thresholds {
    high: u8,
    low: u8,
}

#[derive(Debug, Deserialize)]
struct ThresholdsFields {
    high: u8,
    low: u8,
}

impl TryFrom<ThresholdsFields> for Thresholds {
    type Error = ThresholdsError;

    fn try_from(fields: ThresholdsFields) -> Result<Self, Self::Error> {
        Self::new(fields.high, fields.low)
    }
}

impl Thresholds {
    /// Thresholds with `0 < low < high <= 100`.
    pub fn new(high: u8, low: u8) -> Result<Self, ThresholdsError> {
        if low == 0 {
            Err(ThresholdsError::LowIsZero)
        } else if high > 100 {
            Err(ThresholdsError::HighAbove100)
        } else if low >= high {
            Err(ThresholdsError::LowNotBelowHigh)
        } else {
            Ok(Self { high, low })
        }
    }

    pub fn high(self) -> u8 {
        self.high
    }

    pub fn low(self) -> u8 {
        self.low
    }

    fn verdict(self, score: u8) -> Verdict {
        if score >= self.high {
            Verdict::Likely
        } else if score >= self.low {
            Verdict::Possible
        } else {
            Verdict::Unlikely
        }
    }
}

/// High 80: the full name and date of birth, all exact, or a typo or nickname made up
/// by a postcode, setting or parent. Low 45: the least worth a person's look, such as
/// the full name alone, or the date of birth with a postcode or a parent.
impl Default for Thresholds {
    fn default() -> Self {
        Self { high: 80, low: 45 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Certain,
    Conflict,
    Likely,
    Possible,
    Unlikely,
}

impl Verdict {
    pub const ALL: [Self; 5] = [
        Self::Certain,
        Self::Conflict,
        Self::Likely,
        Self::Possible,
        Self::Unlikely,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Certain => "Certain match",
            Self::Conflict => "Details conflict",
            Self::Likely => "Likely match",
            Self::Possible => "Possible match",
            Self::Unlikely => "No likely match",
        }
    }

    /// The stable code stored and used in URLs (the same as in JSON).
    pub fn code(self) -> &'static str {
        match self {
            Self::Certain => "certain",
            Self::Conflict => "conflict",
            Self::Likely => "likely",
            Self::Possible => "possible",
            Self::Unlikely => "unlikely",
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|verdict| verdict.code() == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Identifier {
    Upn,
    Uln,
    NhsNumber,
}

impl Identifier {
    pub fn label(self) -> &'static str {
        match self {
            Self::Upn => "UPN",
            Self::Uln => "ULN",
            Self::NhsNumber => "NHS number",
        }
    }
}

/// Why a score is what it is: each agreeing or differing detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    SameIdentifier { identifier: Identifier },
    DifferentIdentifier { identifier: Identifier },
    SameDateOfBirth,
    DayAndMonthSwapped,
    DifferentDateOfBirth,
    SameSurname,
    SurnameTypo { letters: u8 },
    SurnamePart,
    DifferentSurname,
    SameFirstName,
    Nickname,
    FirstNameTypo { letters: u8 },
    DifferentFirstName,
    NamesSwapped,
    SamePostcode,
    DifferentPostcode,
    SameSetting,
    SameParent,
    Twin,
}

impl Reason {
    /// Plain English, lower case, without names: "surname differs by one letter".
    pub fn describe(&self) -> String {
        match self {
            Self::SameIdentifier { identifier } => format!("same {}", identifier.label()),
            Self::DifferentIdentifier { identifier } => {
                format!("different {}", identifier.label())
            }
            Self::SameDateOfBirth => "same date of birth".to_owned(),
            Self::DayAndMonthSwapped => "day and month of birth swapped".to_owned(),
            Self::DifferentDateOfBirth => "different date of birth".to_owned(),
            Self::SameSurname => "same surname".to_owned(),
            Self::SurnameTypo { letters } => {
                format!("surname differs by {}", letters_text(*letters))
            }
            Self::SurnamePart => "one surname is part of the other".to_owned(),
            Self::DifferentSurname => "different surname".to_owned(),
            Self::SameFirstName => "same first name".to_owned(),
            Self::Nickname => "first name is a short form of the other".to_owned(),
            Self::FirstNameTypo { letters } => {
                format!("first name differs by {}", letters_text(*letters))
            }
            Self::DifferentFirstName => "different first name".to_owned(),
            Self::NamesSwapped => "first name and surname swapped".to_owned(),
            Self::SamePostcode => "same postcode".to_owned(),
            Self::DifferentPostcode => "different postcode".to_owned(),
            Self::SameSetting => "same school or setting".to_owned(),
            Self::SameParent => "same parent or carer".to_owned(),
            Self::Twin => {
                "same date of birth and address but a different first name: could be a twin"
                    .to_owned()
            }
        }
    }

    /// Whether this detail agrees (shown as a reason for) or differs (shown as a difference).
    pub fn agrees(&self) -> bool {
        !matches!(
            self,
            Self::DifferentIdentifier { .. }
                | Self::DifferentDateOfBirth
                | Self::DifferentSurname
                | Self::DifferentFirstName
                | Self::DifferentPostcode
                | Self::Twin
        )
    }

    /// What the detail adds to the score (identifiers decide the verdict instead).
    fn points(&self) -> u8 {
        match self {
            Self::SameDateOfBirth => SAME_DATE_OF_BIRTH,
            Self::DayAndMonthSwapped => DAY_AND_MONTH_SWAPPED,
            Self::SameSurname => SAME_SURNAME,
            Self::SurnameTypo { letters: 1 } => SURNAME_ONE_LETTER,
            Self::SurnameTypo { .. } => SURNAME_TWO_LETTERS,
            Self::SurnamePart => SURNAME_PART,
            Self::SameFirstName => SAME_FIRST_NAME,
            Self::Nickname => NICKNAME,
            Self::FirstNameTypo { letters: 1 } => FIRST_NAME_ONE_LETTER,
            Self::FirstNameTypo { .. } => FIRST_NAME_TWO_LETTERS,
            Self::NamesSwapped => NAMES_SWAPPED,
            Self::SamePostcode => SAME_POSTCODE,
            Self::SameSetting => SAME_SETTING,
            Self::SameParent => SAME_PARENT,
            _ => 0,
        }
    }
}

fn letters_text(letters: u8) -> String {
    match letters {
        1 => "one letter".to_owned(),
        2 => "two letters".to_owned(),
        n => format!("{n} letters"),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchResult {
    pub score: u8,
    pub verdict: Verdict,
    pub reasons: Vec<Reason>,
}

impl MatchResult {
    /// The reasons joined for a list: "same date of birth; surname differs by one letter".
    pub fn summary(&self) -> String {
        let described: Vec<String> = self.reasons.iter().map(Reason::describe).collect();
        described.join("; ")
    }
}

/// Compares details that arrived with a child's record. Symmetric: swapping the two
/// gives the same result.
pub fn compare(
    submitted: &ChildDetails,
    record: &ChildDetails,
    thresholds: Thresholds,
) -> MatchResult {
    let (a, b) = (submitted, record);
    let mut reasons = identifiers(a, b);
    let same_identifier = reasons
        .iter()
        .any(|r| matches!(r, Reason::SameIdentifier { .. }));
    let different_identifier = reasons
        .iter()
        .any(|r| matches!(r, Reason::DifferentIdentifier { .. }));

    let details: Vec<Reason> = date_of_birth(a, b)
        .into_iter()
        .chain(names(a, b))
        .chain(postcode(a, b))
        .chain(setting(a, b))
        .chain(parent(a, b))
        .collect();
    let has = |reason: Reason| details.contains(&reason);
    let total: u32 = details.iter().map(|r| u32::from(r.points())).sum();
    let mut rest = u8::try_from(total.min(100)).unwrap_or(100);
    let date_differs = has(Reason::DifferentDateOfBirth);
    let first_name_differs = has(Reason::DifferentFirstName);
    if date_differs || (first_name_differs && has(Reason::DifferentSurname)) {
        rest = rest.min(thresholds.low - 1);
    }
    let twin = first_name_differs && has(Reason::SameDateOfBirth) && has(Reason::SamePostcode);
    if twin {
        rest = rest.min(thresholds.high - 1);
    }
    reasons.extend(details);
    if twin {
        reasons.push(Reason::Twin);
    }

    let contradicted = date_differs || first_name_differs;
    let (score, verdict) = if same_identifier && !different_identifier && !contradicted {
        (100, Verdict::Certain)
    } else if same_identifier || (different_identifier && rest >= thresholds.high) {
        (rest, Verdict::Conflict)
    } else if different_identifier {
        (rest.min(thresholds.low - 1), Verdict::Unlikely)
    } else {
        (rest, thresholds.verdict(rest))
    };
    MatchResult {
        score,
        verdict,
        reasons,
    }
}

/// A name folded for comparing and for the store's index: lower case, accents removed,
/// and everything but letters and digits (hyphens, apostrophes, spaces, full stops)
/// removed. "O’Brien-Smith" → "obriensmith"; "Zoë" → "zoe".
pub fn normalise_name(name: &str) -> String {
    fold(name).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Lower case without accents; letters that do not decompose (ł, ø, ß) are spelt out.
fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
    {
        match c {
            'ł' => folded.push('l'),
            'ø' => folded.push('o'),
            'đ' | 'ð' => folded.push('d'),
            'ħ' => folded.push('h'),
            'ı' => folded.push('i'),
            'ß' => folded.push_str("ss"),
            'æ' => folded.push_str("ae"),
            'œ' => folded.push_str("oe"),
            'þ' => folded.push_str("th"),
            other => folded.push(other),
        }
    }
    folded
}

fn both<T>(a: Option<T>, b: Option<T>) -> Option<(T, T)> {
    a.zip(b)
}

fn identifiers(a: &ChildDetails, b: &ChildDetails) -> Vec<Reason> {
    [
        (
            Identifier::Upn,
            both(a.upn.as_ref(), b.upn.as_ref()).map(|(x, y)| x == y),
        ),
        (
            Identifier::Uln,
            both(a.uln.as_ref(), b.uln.as_ref()).map(|(x, y)| x == y),
        ),
        (
            Identifier::NhsNumber,
            both(a.nhs_number.as_ref(), b.nhs_number.as_ref()).map(|(x, y)| x == y),
        ),
    ]
    .into_iter()
    .filter_map(|(identifier, same)| {
        same.map(|same| {
            if same {
                Reason::SameIdentifier { identifier }
            } else {
                Reason::DifferentIdentifier { identifier }
            }
        })
    })
    .collect()
}

fn date_of_birth(a: &ChildDetails, b: &ChildDetails) -> Option<Reason> {
    let (x, y) = both(a.date_of_birth, b.date_of_birth)?;
    Some(if x == y {
        Reason::SameDateOfBirth
    } else if day_and_month_swapped(x, y) {
        Reason::DayAndMonthSwapped
    } else {
        Reason::DifferentDateOfBirth
    })
}

fn day_and_month_swapped(x: Date, y: Date) -> bool {
    Month::try_from(x.day())
        .ok()
        .and_then(|month| Date::from_calendar_date(x.year(), month, u8::from(x.month())).ok())
        == Some(y)
}

/// A name normalised, or None if nothing is left of it.
fn name(raw: Option<&String>) -> Option<String> {
    raw.map(|raw| normalise_name(raw))
        .filter(|name| !name.is_empty())
}

/// The names a child may go by first: the first name and the preferred name.
fn first_names(details: &ChildDetails) -> Vec<String> {
    [details.first_name.as_ref(), details.preferred_name.as_ref()]
        .into_iter()
        .filter_map(name)
        .collect()
}

/// Surname and first name, or the two swapped when that agrees more.
fn names(a: &ChildDetails, b: &ChildDetails) -> Vec<Reason> {
    let direct: Vec<Reason> = both(a.last_name.as_ref(), b.last_name.as_ref())
        .and_then(|(x, y)| surname(x, y))
        .into_iter()
        .chain(first_name(&first_names(a), &first_names(b)))
        .collect();
    let direct_points: u32 = direct.iter().map(|r| u32::from(r.points())).sum();
    if names_swapped(a, b) && direct_points < u32::from(NAMES_SWAPPED) {
        vec![Reason::NamesSwapped]
    } else {
        direct
    }
}

fn surname(x: &str, y: &str) -> Option<Reason> {
    let (folded_x, folded_y) = (normalise_name(x), normalise_name(y));
    if folded_x.is_empty() || folded_y.is_empty() {
        return None;
    }
    Some(if folded_x == folded_y {
        Reason::SameSurname
    } else if let Some(letters) = typo(&folded_x, &folded_y) {
        Reason::SurnameTypo { letters }
    } else if surname_parts(x).contains(&folded_y) || surname_parts(y).contains(&folded_x) {
        Reason::SurnamePart
    } else {
        Reason::DifferentSurname
    })
}

/// The family names of a double-barrelled surname ("Smith-Jones": smith, jones); none for one name.
fn surname_parts(surname: &str) -> Vec<String> {
    let parts: Vec<String> = surname
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '‐' | '‑' | '–' | '—'))
        .map(normalise_name)
        .filter(|part| !part.is_empty())
        .collect();
    if parts.len() > 1 { parts } else { Vec::new() }
}

/// The closest of any first or preferred name on one side to any on the other.
fn first_name(xs: &[String], ys: &[String]) -> Option<Reason> {
    xs.iter()
        .flat_map(|x| {
            ys.iter().map(move |y| {
                if x == y {
                    Reason::SameFirstName
                } else if nicknames(x, y) {
                    Reason::Nickname
                } else if let Some(letters) =
                    typo(x, y).filter(|_| !in_one_group(LOOK_ALIKES, x, y))
                {
                    Reason::FirstNameTypo { letters }
                } else {
                    Reason::DifferentFirstName
                }
            })
        })
        .max_by_key(Reason::points)
}

fn names_swapped(a: &ChildDetails, b: &ChildDetails) -> bool {
    let (Some(a_last), Some(b_last)) = (name(a.last_name.as_ref()), name(b.last_name.as_ref()))
    else {
        return false;
    };
    first_names(b).contains(&a_last) && first_names(a).contains(&b_last)
}

/// How many letters two different folded names differ by, if it looks like a slip:
/// transposed letters count as one (optimal string alignment distance). The first
/// letters must agree (slips there are rare, while rhyming names like Mason and Jason
/// are common among siblings), names under 4 letters must be exact (Tom, Tim), and
/// two letters may differ only in names of 7 or more.
fn typo(x: &str, y: &str) -> Option<u8> {
    let shorter = x.chars().count().min(y.chars().count());
    let allowed = match shorter {
        0..4 => 0,
        4..7 => 1,
        _ => 2,
    };
    let distance = strsim::osa_distance(x, y);
    let same_first_letter = x.chars().next() == y.chars().next();
    (same_first_letter && (1..=allowed).contains(&distance))
        .then(|| u8::try_from(distance).ok())
        .flatten()
}

/// Common English given names and their short forms. Names in one group are the same
/// name; a short form may belong to several groups (Alex), but Alexander and Alexandra
/// never share one.
const NICKNAMES: &[&str] = &[
    "william will bill billy liam willy",
    "robert rob robbie bob bobby bert",
    "elizabeth liz lizzie lizzy beth betty eliza libby",
    "katherine catherine kathryn kate katie kat cathy kathy kitty",
    "alexander alex alec xander sandy",
    "alexandra alex lexi lexie sandra",
    "samuel sam sammy",
    "samantha sam sammy",
    "thomas tom tommy",
    "james jim jimmy jamie",
    "michael mike mikey mick mickey",
    "daniel dan danny",
    "benjamin ben benny benji",
    "joshua josh",
    "matthew matt matty",
    "christopher chris kit",
    "christina christine chris tina",
    "nicholas nick nicky",
    "john jack johnny jon",
    "jonathan jon jonny",
    "henry harry hal",
    "eleanor ellie nell nellie",
    "abigail abby abbie abi",
    "madison maddie maddy",
    "madeleine madeline maddie maddy",
    "isabella isabel isabelle izzy izzie bella",
    "frederick freddie freddy fred",
    "alfred alfie alf fred",
    "charles charlie chas",
    "charlotte charlie lottie",
    "oliver ollie olly",
    "olivia liv livvy",
    "edward ed eddie ted teddy ned",
    "theodore theo ted teddy",
    "anthony tony",
    "andrew andy drew",
    "richard rich richie rick ricky",
    "joseph joe joey",
    "jessica jess jessie",
    "jennifer jen jenny",
    "margaret maggie meg peggy",
    "rebecca becky becca",
    "victoria vicky tori",
    "stephen steven steve stevie",
    "patrick pat paddy",
    "peter pete",
    "david dave davy",
    "zachary zach zack zak",
    "nathaniel nathan nate",
    "amelia millie milly",
    "sophia sophie",
    "archibald archie",
    "penelope penny",
    "leonard leo lenny",
    "maximilian max",
];

/// Different names a letter or two apart, often given to twins of different sexes:
/// never a typo of one another.
const LOOK_ALIKES: &[&str] = &[
    "alexander alexandra",
    "louis louie louise",
    "francis frances",
    "gabriel gabriela gabriella",
    "nicolas nicola",
    "daniel daniela daniella",
    "julia julian juliana",
    "paul paula",
    "eric erica",
    "jesse jessie",
    "martin martina",
    "christian christina christine",
];

fn nicknames(x: &str, y: &str) -> bool {
    in_one_group(NICKNAMES, x, y)
}

/// Whether one group (names separated by spaces) holds both names.
fn in_one_group(groups: &[&str], x: &str, y: &str) -> bool {
    groups.iter().any(|group| {
        let has = |name: &str| group.split(' ').any(|member| member == name);
        has(x) && has(y)
    })
}

fn postcode(a: &ChildDetails, b: &ChildDetails) -> Option<Reason> {
    let (x, y) = both(a.postcode.as_ref(), b.postcode.as_ref())?;
    Some(if x == y {
        Reason::SamePostcode
    } else {
        Reason::DifferentPostcode
    })
}

/// Words that say what kind of setting it is, not which.
const SETTING_WORDS: &str = "the and community school college academy \
    nursery infant infants junior juniors primary secondary";

/// A setting as compared: folded, apostrophes dropped, "saint" as "st", kind-words out.
fn setting_key(setting: &str) -> String {
    let folded: String = fold(setting)
        .chars()
        .filter(|c| !matches!(c, '\'' | '’' | '‘' | 'ʼ' | '`'))
        .collect();
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| {
            !word.is_empty() && !SETTING_WORDS.split_whitespace().any(|kind| kind == *word)
        })
        .map(|word| if word == "saint" { "st" } else { word })
        .collect()
}

/// Only agreement counts: settings are written too loosely for a difference to mean much.
fn setting(a: &ChildDetails, b: &ChildDetails) -> Option<Reason> {
    let (x, y) = both(a.setting.as_deref(), b.setting.as_deref())?;
    let key = setting_key(x);
    (!key.is_empty() && key == setting_key(y)).then_some(Reason::SameSetting)
}

/// Only agreement counts: one side may name a parent, the other a carer.
fn parent(a: &ChildDetails, b: &ChildDetails) -> Option<Reason> {
    let ys: Vec<String> = b.parents.iter().map(|p| normalise_name(p)).collect();
    a.parents
        .iter()
        .map(|p| normalise_name(p))
        .any(|x| !x.is_empty() && ys.contains(&x))
        .then_some(Reason::SameParent)
}
