//! One question of a form drawn with the GOV.UK components, as the person
//! filling it in sees it: the builder's preview draws every page with it, and
//! the pages that fill a form in can draw their questions with it too.
//!
//! [`QuestionField`] renders `templates/forms/question.html`. Its inputs:
//! - `question`: the question (its key names its fields, as
//!   [`send_domain::forms::field_names`] lists them: `key`, or `key-day` /
//!   `key-month` / `key-year` for a date, `key-line1` / `key-line2` / `key-town` /
//!   `key-postcode` for an address, `key-first` / `key-last` for a name);
//! - `values`: what was typed, as posted (name, value) pairs, so a page shown
//!   again keeps it (empty for a fresh page);
//! - `error`: the message for this question, if its answer was refused; it is
//!   shown by the field it names (the id the error summary links to);
//! - `size`: whether the question is the page's heading (`PageHeading`, an `<h1>`
//!   label or legend, for a page with one question), a question under a heading
//!   of its own (`Medium`), or one of several on a page (`Small`).
//!
//! A repeating group is drawn as a fieldset holding its questions once, for one
//! item, with what the group asks for; adding and listing items is the filling
//! pages' own work.

use askama::Template;
use send_domain::forms::{DateLimit, FieldError, NONE_OF_THESE, Question, QuestionKind};

use crate::components::{
    CharacterCount, Checkboxes, ChoiceItem, DateInput, FileUpload, Input, Label, Legend, Radios,
};

/// How a question's label or legend is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// The page's `<h1>` (a page with one question).
    PageHeading,
    /// A medium label, under a heading of the page's own.
    Medium,
    /// A small label, one of several questions.
    Small,
}

/// One question, ready to draw. See the module's documentation for its inputs.
#[derive(Debug, Template)]
#[template(path = "forms/question.html")]
pub struct QuestionField<'a> {
    pub question: &'a Question,
    pub values: &'a [(String, String)],
    pub error: Option<&'a FieldError>,
    pub size: Size,
}

impl askama::filters::HtmlSafe for QuestionField<'_> {}

impl<'a> QuestionField<'a> {
    /// A question with nothing typed and no error.
    pub fn new(question: &'a Question, size: Size) -> Self {
        Self {
            question,
            values: &[],
            error: None,
            size,
        }
    }

    fn key(&self) -> &str {
        self.question.key.as_str()
    }

    /// What was typed into a field ("" if nothing).
    fn value(&self, name: &str) -> String {
        self.values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// Every value typed into a field (checkboxes).
    fn all(&self, name: &str) -> Vec<String> {
        self.values
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The message for this field, if the error is about it.
    fn message(&self, field: &str) -> Option<String> {
        self.error
            .filter(|e| e.field == field)
            .map(|e| e.message.clone())
    }

    /// The message for the question's group of fields (a date's, radios'),
    /// whichever field it names.
    fn group_message(&self) -> Option<String> {
        self.error.map(|e| e.message.clone())
    }

    fn text(&self) -> String {
        self.question.text.trim().to_owned()
    }

    fn label(&self) -> Label {
        match self.size {
            Size::PageHeading => Label::page_heading(self.text()),
            Size::Medium => Label {
                classes: Some("govuk-label--m".to_owned()),
                ..Label::new(self.text())
            },
            Size::Small => Label {
                classes: Some("govuk-label--s".to_owned()),
                ..Label::new(self.text())
            },
        }
    }

    fn legend(&self) -> Legend {
        match self.size {
            Size::PageHeading => Legend::page_heading(self.text()),
            Size::Medium => Legend {
                classes: Some("govuk-fieldset__legend--m".to_owned()),
                ..Legend::new(self.text())
            },
            Size::Small => Legend {
                classes: Some("govuk-fieldset__legend--s".to_owned()),
                ..Legend::new(self.text())
            },
        }
    }

    fn hint_text(&self) -> Option<String> {
        self.question
            .hint
            .as_ref()
            .map(|h| h.trim().to_owned())
            .filter(|h| !h.is_empty())
    }

    fn with_hint(&self, input: Input) -> Input {
        match self.hint_text() {
            Some(hint) => input.hint(hint),
            None => input,
        }
    }

    /// One line of text, a number, an email address, a telephone number, a
    /// postcode or a lookup's search: a text input of the right type.
    fn input(&self) -> Input {
        let key = self.key();
        let mut input = Input::new(key, self.text())
            .label(self.label())
            .value(self.value(key))
            .error_opt(self.message(key));
        input = match &self.question.kind {
            QuestionKind::Number { whole, .. } => input
                .inputmode(if *whole { "numeric" } else { "decimal" })
                .classes("govuk-input--width-10")
                .spellcheck(false),
            QuestionKind::Email => input.kind("email").autocomplete("email").spellcheck(false),
            QuestionKind::Phone => input
                .kind("tel")
                .autocomplete("tel")
                .classes("govuk-input--width-20"),
            QuestionKind::Postcode => input
                .autocomplete("postal-code")
                .classes("govuk-input--width-10")
                .spellcheck(false),
            QuestionKind::Lookup { of } => input
                .hint(format!("Search for {}", of.label()))
                .spellcheck(false),
            _ => input,
        };
        self.with_hint(input)
    }

    fn long_text(&self) -> CharacterCount {
        let key = self.key();
        let max_chars = match &self.question.kind {
            QuestionKind::LongText { max_chars } => *max_chars,
            _ => 0,
        };
        let mut count = CharacterCount::new(key, self.text(), max_chars).value(self.value(key));
        count.label = Some(self.label());
        if let Some(hint) = self.hint_text() {
            count = count.hint(hint);
        }
        if let Some(message) = self.message(key) {
            count = count.error(message);
        }
        count
    }

    fn date(&self) -> DateInput {
        let key = self.key();
        let limit = match &self.question.kind {
            QuestionKind::Date { limit } => *limit,
            _ => DateLimit::Any,
        };
        let example = match limit {
            DateLimit::PastOrToday | DateLimit::Any => "For example, 27 3 2015",
            DateLimit::TodayOrFuture => "For example, 27 3 2027",
        };
        let hint = self
            .hint_text()
            .map_or_else(|| example.to_owned(), |h| format!("{h}. {example}"));
        let mut date = DateInput::new(key, self.legend()).hint(hint).date_values(
            self.value(&format!("{key}-day")),
            self.value(&format!("{key}-month")),
            self.value(&format!("{key}-year")),
        );
        if let Some(message) = self.group_message() {
            date = date.error(message);
        }
        date
    }

    fn radios(&self, choices: &[(String, String)], inline: bool) -> Radios {
        let key = self.key();
        let mut radios = Radios::new(key)
            .legend(self.legend())
            .value(self.value(key))
            .error_opt(self.group_message());
        if inline {
            radios = radios.classes("govuk-radios--inline");
        }
        if let Some(hint) = self.hint_text() {
            radios = radios.hint(hint);
        }
        for (value, text) in choices {
            radios = radios.item(ChoiceItem::new(value.clone(), text.clone()));
        }
        radios
    }

    fn yes_no(&self) -> Radios {
        self.radios(
            &[
                ("yes".to_owned(), "Yes".to_owned()),
                ("no".to_owned(), "No".to_owned()),
            ],
            true,
        )
    }

    fn single_choice(&self) -> Radios {
        let choices: Vec<(String, String)> = self
            .question
            .kind
            .choices()
            .unwrap_or_default()
            .into_iter()
            .map(|o| (o.clone(), o))
            .collect();
        self.radios(&choices, false)
    }

    fn multiple_choice(&self) -> Checkboxes {
        let key = self.key();
        let (options, none_of_these) = match &self.question.kind {
            QuestionKind::MultipleChoice {
                options,
                none_of_these,
            } => (options.as_slice(), *none_of_these),
            _ => (&[][..], false),
        };
        let mut boxes = Checkboxes::new(key)
            .legend(self.legend())
            .hint(
                self.hint_text()
                    .unwrap_or_else(|| "Select all that apply".to_owned()),
            )
            .values(self.all(key))
            .error_opt(self.group_message());
        for option in options {
            boxes = boxes.item(ChoiceItem::new(option.clone(), option.clone()));
        }
        if none_of_these {
            boxes = boxes.item(ChoiceItem::divider("or"));
            let mut none = ChoiceItem::new(NONE_OF_THESE, "None of these");
            none.behaviour = Some("exclusive".to_owned());
            boxes = boxes.item(none);
        }
        boxes
    }

    /// A part of an address or a name: its own input, named `key-part`.
    fn part(&self, part: &str, label: &str, autocomplete: &str, classes: &str) -> Input {
        let name = format!("{}-{part}", self.key());
        let mut input = Input::new(name.clone(), label)
            .value(self.value(&name))
            .autocomplete(autocomplete)
            .error_opt(self.message(&name));
        if !classes.is_empty() {
            input = input.classes(classes);
        }
        input
    }

    fn address_parts(&self) -> Vec<Input> {
        vec![
            self.part("line1", "Address line 1", "address-line1", ""),
            self.part("line2", "Address line 2 (optional)", "address-line2", ""),
            self.part(
                "town",
                "Town or city",
                "address-level2",
                "govuk-!-width-two-thirds",
            ),
            self.part(
                "postcode",
                "Postcode",
                "postal-code",
                "govuk-input--width-10",
            ),
        ]
    }

    fn name_parts(&self) -> Vec<Input> {
        vec![
            self.part("first", "First name", "given-name", ""),
            self.part("last", "Last name", "family-name", ""),
        ]
    }

    fn file_upload(&self) -> FileUpload {
        let key = self.key();
        let max_files = match &self.question.kind {
            QuestionKind::FileUpload { max_files, .. } => *max_files,
            _ => 1,
        };
        let mut upload = FileUpload::new(key, self.text());
        upload.label = Some(self.label());
        upload.multiple = max_files > 1;
        let limit = if max_files > 1 {
            format!("You can upload up to {max_files} files")
        } else {
            "You can upload 1 file".to_owned()
        };
        upload = upload.hint(
            self.hint_text()
                .map_or_else(|| limit.clone(), |h| format!("{h}. {limit}")),
        );
        if let Some(message) = self.message(key) {
            upload = upload.error(message);
        }
        upload
    }

    /// What a repeating group asks for ("Add between 1 and 5 professionals").
    fn group_hint(&self) -> String {
        let QuestionKind::Repeating {
            item,
            min_items,
            max_items,
            ..
        } = &self.question.kind
        else {
            return String::new();
        };
        let plural = |n: u8| if n == 1 { "" } else { "s" };
        let min = (*min_items).max(u8::from(self.question.required));
        let asks = if min == 0 {
            format!("You can add up to {max_items} {item}{}", plural(*max_items))
        } else {
            format!(
                "Add between {min} and {max_items} {item}{}",
                plural(*max_items)
            )
        };
        match self.hint_text() {
            Some(hint) => format!("{hint}. {asks}"),
            None => asks,
        }
    }

    /// A repeating group's questions, drawn for one item.
    fn group_fields(&self) -> Vec<QuestionField<'a>> {
        match &self.question.kind {
            QuestionKind::Repeating { questions, .. } => questions
                .iter()
                .map(|q| QuestionField {
                    question: q,
                    values: self.values,
                    error: self.error,
                    size: Size::Small,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    fn group_item(&self) -> String {
        match &self.question.kind {
            QuestionKind::Repeating { item, .. } => {
                let mut chars = item.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_uppercase().chain(chars).collect()
                })
            }
            _ => String::new(),
        }
    }

    fn heading_tag(&self) -> &'static str {
        match self.size {
            Size::PageHeading => "h1",
            Size::Medium | Size::Small => "h2",
        }
    }

    fn legend_class(&self) -> &'static str {
        match self.size {
            Size::PageHeading => "govuk-fieldset__legend--l",
            Size::Medium => "govuk-fieldset__legend--m",
            Size::Small => "govuk-fieldset__legend--s",
        }
    }
}
