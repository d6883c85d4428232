//! The council's own texts (ADM-1): the wording of every email the portal
//! sends, each stage's "Extra Information", the accessibility statement's
//! council-specific parts and the SEND team's contact details. Each text has a
//! stable dotted key ("email.<kind>.subject", "stage.<code>.extra_information",
//! "accessibility.<part>", "contact.<field>"); the portal ships a default for
//! every key, and what the council saves replaces it until it is restored.

use std::collections::BTreeMap;
use std::fmt;

use crate::email::Email;

/// A text the council saved in place of the shipped default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouncilText {
    /// The text's dotted key.
    pub key: String,
    /// The council's wording, with its `((placeholders))`.
    pub value: String,
}

/// How families reach the SEND team: shown on the start page, in every email,
/// on the 404 page and in the accessibility statement. The settings
/// (`SEND_PORTAL_SEND_TEAM_PHONE`, `SEND_PORTAL_SEND_TEAM_EMAIL`, and the
/// optional address and opening hours) give it; an administrator may change
/// each part in Texts and settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendTeamContact {
    pub phone: String,
    pub email: String,
    /// A postal address, on one line or several.
    pub address: Option<String>,
    /// When the telephone line is open, such as "Monday to Friday, 9am to 5pm".
    pub hours: Option<String>,
}

/// Why contact details were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    #[error("the SEND team's telephone number is empty")]
    NoPhone,
    #[error("the SEND team's email address is not an email address")]
    BadEmail,
}

impl SendTeamContact {
    /// Checks the parts as given: a telephone number and an email address; an
    /// empty address or opening hours is none.
    pub fn parse(
        phone: &str,
        email: &str,
        address: Option<&str>,
        hours: Option<&str>,
    ) -> Result<Self, ContactError> {
        let phone = phone.trim();
        if phone.is_empty() {
            return Err(ContactError::NoPhone);
        }
        let email = Email::parse(email).map_err(|_| ContactError::BadEmail)?;
        let optional = |value: Option<&str>| {
            value
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        Ok(Self {
            phone: phone.to_owned(),
            email: email.as_str().to_owned(),
            address: optional(address),
            hours: optional(hours),
        })
    }

    /// One sentence for an email: "Telephone 0300 123 4567 (Monday to Friday,
    /// 9am to 5pm) or email send@example.gov.uk."
    pub fn sentence(&self) -> String {
        let hours = self
            .hours
            .as_ref()
            .map(|h| format!(" ({h})"))
            .unwrap_or_default();
        let mut out = format!("telephone {}{hours} or email {}", self.phone, self.email);
        if let Some(address) = &self.address {
            out.push_str(", or write to ");
            out.push_str(&address.split_whitespace().collect::<Vec<_>>().join(" "));
        }
        out
    }
}

/// Where a text is used, which the Texts and settings page groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TextGroup {
    Contact,
    Email,
    Stage,
    Accessibility,
}

impl TextGroup {
    pub fn heading(self) -> &'static str {
        match self {
            Self::Contact => "The SEND team's contact details",
            Self::Email => "Emails",
            Self::Stage => "Extra Information on the SEND Dashboard",
            Self::Accessibility => "Accessibility statement",
        }
    }
}

/// One text the council may change: its key, what it is, its shipped default
/// (`None` for the contact details, whose defaults are the settings) and the
/// placeholders it may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextSpec {
    pub key: &'static str,
    pub group: TextGroup,
    pub label: &'static str,
    pub hint: &'static str,
    pub default: Option<&'static str>,
    pub placeholders: &'static [&'static str],
    /// A subject or contact detail: one line.
    pub one_line: bool,
    /// The text may be left empty (an optional contact detail).
    pub optional: bool,
    pub max_chars: usize,
}

const REFERENCE_CODE_PLACEHOLDERS: &[&str] = &["council_name", "code", "contact"];

/// Every text the council may change, in the order the page lists them.
pub const CATALOGUE: &[TextSpec] = &[
    TextSpec {
        key: "contact.phone",
        group: TextGroup::Contact,
        label: "Telephone number",
        hint: "Shown on the start page, in every email, on the page-not-found page and in the \
               accessibility statement",
        default: None,
        placeholders: &[],
        one_line: true,
        optional: false,
        max_chars: 40,
    },
    TextSpec {
        key: "contact.email",
        group: TextGroup::Contact,
        label: "Email address",
        hint: "Where families write to the SEND team",
        default: None,
        placeholders: &[],
        one_line: true,
        optional: false,
        max_chars: 254,
    },
    TextSpec {
        key: "contact.hours",
        group: TextGroup::Contact,
        label: "Opening hours",
        hint: "For example, Monday to Friday, 9am to 5pm",
        default: None,
        placeholders: &[],
        one_line: true,
        optional: true,
        max_chars: 100,
    },
    TextSpec {
        key: "contact.address",
        group: TextGroup::Contact,
        label: "Postal address",
        hint: "Optional",
        default: None,
        placeholders: &[],
        one_line: false,
        optional: true,
        max_chars: 300,
    },
    TextSpec {
        key: "email.reference_code.subject",
        group: TextGroup::Email,
        label: "Reference code email: subject",
        hint: "Sent when the SEND team invites someone to the portal",
        default: Some("Your reference code for the ((council_name)) SEND Portal"),
        placeholders: REFERENCE_CODE_PLACEHOLDERS,
        one_line: true,
        optional: false,
        max_chars: 100,
    },
    TextSpec {
        key: "email.reference_code.body",
        group: TextGroup::Email,
        label: "Reference code email: text",
        hint: "Sent when the SEND team invites someone to the portal. Leave a blank line \
               between paragraphs",
        default: Some(
            "The SEND team at ((council_name)) would like to invite you to the SEND Portal, \
             where you can follow the Education, Health and Care process, send and receive \
             messages, and see letters and plans.\n\n\
             Your reference code is ((code))\n\n\
             First we need to check who you are. Please contact the SEND team and quote this \
             code: ((contact)). They will ask you a few questions, then send you an email \
             called \u{2018}Accept Portal Invitation\u{2019} with a link to set up your \
             account.\n\n\
             Do not share this code with anyone else. If you were not expecting this email, \
             you can ignore it, or call the SEND team on the number above to check it came \
             from us.",
        ),
        placeholders: REFERENCE_CODE_PLACEHOLDERS,
        one_line: false,
        optional: false,
        max_chars: 2000,
    },
    TextSpec {
        key: "accessibility.contact",
        group: TextGroup::Accessibility,
        label: "Feedback and contact information",
        hint: "How to ask for another format or report a problem. Leave a blank line between \
               paragraphs",
        default: Some(
            "If you need information in this service in a different format, like large \
             print, easy read, audio recording or braille, or you find a problem with its \
             accessibility, contact the ((council_name)) SEND team: ((contact)). We will \
             consider your request and reply within 10 working days.",
        ),
        placeholders: &["council_name", "contact"],
        one_line: false,
        optional: false,
        max_chars: 2000,
    },
    TextSpec {
        key: "accessibility.compliance",
        group: TextGroup::Accessibility,
        label: "Compliance status",
        hint: "Say whether the service has had an independent audit, when and with what result",
        default: Some(
            "This service is designed to be fully compliant with the Web Content \
             Accessibility Guidelines version 2.2 AA standard. It has not yet had an \
             independent accessibility audit; ((council_name)) should arrange one before the \
             service goes live and publish the date and result here.",
        ),
        placeholders: &["council_name"],
        one_line: false,
        optional: false,
        max_chars: 2000,
    },
];

/// The text with `key`, if the council may change it.
pub fn spec(key: &str) -> Option<&'static TextSpec> {
    CATALOGUE.iter().find(|s| s.key == key)
}

/// Why a text was refused, with the message the page shows by its field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    Empty,
    TooLong(usize),
    NotOneLine,
    /// `((` without its `))`, or `))` without its `((`.
    Unclosed,
    /// Placeholders the text may not use, by name, in the order written.
    UnknownPlaceholders(Vec<String>),
    /// A contact email that is not an email address.
    NotAnEmail,
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("Enter the text"),
            Self::TooLong(max) => write!(f, "The text must be {max} characters or fewer"),
            Self::NotOneLine => f.write_str("The text must be on one line"),
            Self::Unclosed => f.write_str(
                "The text has a placeholder that is not closed: write it with two brackets on \
                 each side, like ((council_name))",
            ),
            Self::UnknownPlaceholders(names) => {
                let written: Vec<String> = names.iter().map(|n| format!("(({n}))")).collect();
                if names.len() == 1 {
                    write!(
                        f,
                        "The text uses {}, which the portal cannot fill in here",
                        written.join(", ")
                    )
                } else {
                    write!(
                        f,
                        "The text uses {}, which the portal cannot fill in here",
                        written.join(" and ")
                    )
                }
            }
            Self::NotAnEmail => f.write_str(
                "Enter an email address in the correct format, like send@example.gov.uk",
            ),
        }
    }
}

/// The placeholder names a text uses, in the order written; `Err` if a
/// `((` or `))` is unmatched.
fn placeholders_in(text: &str) -> Result<Vec<String>, TextError> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("((") {
        if rest[..open].contains("))") {
            return Err(TextError::Unclosed);
        }
        let after = &rest[open + 2..];
        let close = after.find("))").ok_or(TextError::Unclosed)?;
        let name = &after[..close];
        if name.contains("((") {
            return Err(TextError::Unclosed);
        }
        names.push(name.trim().to_owned());
        rest = &after[close + 2..];
    }
    if rest.contains("))") {
        return Err(TextError::Unclosed);
    }
    Ok(names)
}

/// Checks that `text` uses only `allowed` placeholders: `Err` with the unknown
/// names (each once, in the order written) otherwise.
pub fn check(text: &str, allowed: &[&str]) -> Result<(), TextError> {
    let mut unknown: Vec<String> = Vec::new();
    for name in placeholders_in(text)? {
        if !allowed.contains(&name.as_str()) && !unknown.contains(&name) {
            unknown.push(name);
        }
    }
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(TextError::UnknownPlaceholders(unknown))
    }
}

/// Fills in each `((name))` from `values`; a name without a value becomes
/// nothing (a stored text was checked when it was saved).
pub fn render(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("((") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("))") else {
            break;
        };
        out.push_str(&rest[..open]);
        let name = after[..close].trim();
        if let Some((_, value)) = values.iter().find(|(n, _)| *n == name) {
            out.push_str(value);
        }
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    out
}

/// Splits a text into paragraphs at blank lines, each on one line.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

impl TextSpec {
    /// Checks `input` for this text, as typed: the text to keep (trimmed, with
    /// Unix line ends), or what is wrong with it. An optional text may be
    /// empty.
    pub fn parse(&self, input: &str) -> Result<String, TextError> {
        let value = input.replace("\r\n", "\n");
        let value = value.trim();
        if value.is_empty() {
            return if self.optional {
                Ok(String::new())
            } else {
                Err(TextError::Empty)
            };
        }
        if value.chars().count() > self.max_chars {
            return Err(TextError::TooLong(self.max_chars));
        }
        if self.one_line && value.chars().any(char::is_control) {
            return Err(TextError::NotOneLine);
        }
        if self.key == "contact.email" && Email::parse(value).is_err() {
            return Err(TextError::NotAnEmail);
        }
        check(value, self.placeholders)?;
        Ok(value.to_owned())
    }
}

/// The texts in force: the council's saved wording over the shipped defaults,
/// and the contact details over the settings'.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Texts {
    saved: BTreeMap<String, String>,
    contact: Option<SendTeamContact>,
}

impl Texts {
    pub fn new(saved: Vec<CouncilText>, contact: Option<SendTeamContact>) -> Self {
        Self {
            saved: saved.into_iter().map(|t| (t.key, t.value)).collect(),
            contact,
        }
    }

    /// The default `key` has before the council changes it.
    pub fn default_of(&self, key: &str) -> String {
        let from_settings = |contact: &SendTeamContact| match key {
            "contact.phone" => contact.phone.clone(),
            "contact.email" => contact.email.clone(),
            "contact.hours" => contact.hours.clone().unwrap_or_default(),
            "contact.address" => contact.address.clone().unwrap_or_default(),
            _ => String::new(),
        };
        match spec(key).and_then(|s| s.default) {
            Some(default) => default.to_owned(),
            None => self.contact.as_ref().map(from_settings).unwrap_or_default(),
        }
    }

    /// Whether the council saved its own wording for `key`.
    pub fn is_changed(&self, key: &str) -> bool {
        self.saved.contains_key(key)
    }

    /// The text of `key` in force.
    pub fn get(&self, key: &str) -> String {
        self.saved
            .get(key)
            .cloned()
            .unwrap_or_else(|| self.default_of(key))
    }

    /// The SEND team's contact details in force, if there are any (a real
    /// installation always has them: `serve` refuses to start without).
    pub fn contact(&self) -> Option<SendTeamContact> {
        let phone = self.get("contact.phone");
        let email = self.get("contact.email");
        if phone.is_empty() || email.is_empty() {
            return None;
        }
        let optional = |v: String| Some(v).filter(|v| !v.is_empty());
        Some(SendTeamContact {
            phone,
            email,
            address: optional(self.get("contact.address")),
            hours: optional(self.get("contact.hours")),
        })
    }

    /// How to reach the SEND team in one phrase, or a fallback that sends
    /// people to the council.
    pub fn contact_sentence(&self, council_name: &str) -> String {
        match self.contact() {
            Some(contact) => contact.sentence(),
            None => format!("through {council_name}'s website"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_placeholder_is_refused_by_name() {
        assert_eq!(check("Hello ((council_name))", &["council_name"]), Ok(()));
        assert_eq!(
            check(
                "((child)) and ((code)) and (( child ))",
                &["council_name", "code"]
            ),
            Err(TextError::UnknownPlaceholders(vec!["child".to_owned()]))
        );
        let err = check("((a)) ((b))", &[]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "The text uses ((a)) and ((b)), which the portal cannot fill in here"
        );
        assert_eq!(check("((code", &["code"]), Err(TextError::Unclosed));
        assert_eq!(check("code))", &["code"]), Err(TextError::Unclosed));
    }

    #[test]
    fn rendering_fills_known_values_and_drops_others() {
        assert_eq!(
            render(
                "Code ((code)) from (( council_name )), ((other)).",
                &[("code", "ABCD2345"), ("council_name", "Exampleshire")]
            ),
            "Code ABCD2345 from Exampleshire, ."
        );
        assert_eq!(
            paragraphs("One\r\ntwo\r\n\r\n\n\nThree  "),
            vec!["One two", "Three"]
        );
    }

    #[test]
    fn every_default_uses_only_its_own_placeholders() {
        for spec in CATALOGUE {
            if let Some(default) = spec.default {
                assert_eq!(spec.parse(default).as_deref(), Ok(default), "{}", spec.key);
            }
        }
        let keys: std::collections::BTreeSet<&str> = CATALOGUE.iter().map(|s| s.key).collect();
        assert_eq!(keys.len(), CATALOGUE.len(), "each key once");
    }

    #[test]
    fn parsing_trims_and_checks_each_kind_of_text() {
        let phone = spec("contact.phone").unwrap();
        assert_eq!(
            phone.parse(" 0300 123 4567 "),
            Ok("0300 123 4567".to_owned())
        );
        assert_eq!(phone.parse("  "), Err(TextError::Empty));
        assert_eq!(phone.parse("01\n02"), Err(TextError::NotOneLine));
        let hours = spec("contact.hours").unwrap();
        assert_eq!(hours.parse(""), Ok(String::new()));
        let email = spec("contact.email").unwrap();
        assert_eq!(email.parse("not an email"), Err(TextError::NotAnEmail));
        let body = spec("email.reference_code.body").unwrap();
        assert_eq!(
            body.parse("Your code: ((code))\r\n\r\nFrom ((child_name))"),
            Err(TextError::UnknownPlaceholders(vec![
                "child_name".to_owned()
            ]))
        );
        assert_eq!(body.parse(&"x".repeat(2001)), Err(TextError::TooLong(2000)));
    }

    #[test]
    fn saved_texts_and_contact_details_override_the_defaults() {
        let settings = SendTeamContact::parse(
            "0300 123 4567",
            "send@example.gov.uk",
            None,
            Some("Monday to Friday, 9am to 5pm"),
        )
        .unwrap();
        let texts = Texts::new(Vec::new(), Some(settings.clone()));
        assert_eq!(texts.contact(), Some(settings));
        assert_eq!(
            texts.contact_sentence("Exampleshire"),
            "telephone 0300 123 4567 (Monday to Friday, 9am to 5pm) or email send@example.gov.uk"
        );
        let texts = Texts::new(
            vec![
                CouncilText {
                    key: "contact.phone".to_owned(),
                    value: "01632 960 000".to_owned(),
                },
                CouncilText {
                    key: "contact.hours".to_owned(),
                    value: String::new(),
                },
            ],
            texts.contact,
        );
        assert!(texts.is_changed("contact.phone"));
        assert_eq!(texts.default_of("contact.phone"), "0300 123 4567");
        let contact = texts.contact().unwrap();
        assert_eq!(contact.phone, "01632 960 000");
        assert_eq!(contact.hours, None, "cleared by the council");
        assert_eq!(
            Texts::default().contact_sentence("Exampleshire"),
            "through Exampleshire's website"
        );
        assert!(SendTeamContact::parse(" ", "a@b.example", None, None).is_err());
        assert!(SendTeamContact::parse("1", "nope", None, None).is_err());
    }
}
