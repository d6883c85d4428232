//! A form's questions as GOV.UK components, and answers as readable text.
//! One renderer for every place a question is shown to the person filling it in,
//! and one for every place an answer is read back (Check your answers, the
//! SEND team's view of a submission).

use send_domain::dates::long_date;
use send_domain::forms::reading::{NONE_OF_THESE, field, format_number};
use send_domain::forms::{Answer, Answers, Question, QuestionKind};

use crate::components::{
    CharacterCount, Checkboxes, ChoiceItem, DateInput, Fieldset, Input, Label, Legend, Radios,
    escape,
};
use crate::question_page::FormErrors;

fn label(question: &Question, heading: bool) -> Label {
    if heading {
        Label::page_heading(&question.text)
    } else {
        Label {
            classes: Some("govuk-label--s".to_owned()),
            ..Label::new(&question.text)
        }
    }
}

fn legend(question: &Question, heading: bool) -> Legend {
    if heading {
        Legend::page_heading(&question.text)
    } else {
        Legend {
            classes: Some("govuk-fieldset__legend--s".to_owned()),
            ..Legend::new(&question.text)
        }
    }
}

fn hint(question: &Question) -> Option<String> {
    let optional = (!question.required).then_some("Optional.");
    match (
        question.hint.as_deref().filter(|h| !h.trim().is_empty()),
        optional,
    ) {
        (Some(h), Some(o)) => Some(format!("{o} {h}")),
        (Some(h), None) => Some(h.to_owned()),
        (None, Some(o)) => Some(o.to_owned()),
        (None, None) => None,
    }
}

fn text_input(
    question: &Question,
    values: &[(String, String)],
    errors: &FormErrors,
    heading: bool,
) -> Input {
    let key = question.key.as_str();
    let mut input = Input::new(key, "")
        .label(label(question, heading))
        .value(field(values, key))
        .error_opt(errors.get(key));
    if let Some(h) = hint(question) {
        input = input.hint(h);
    }
    input
}

/// A question typed into fields (every kind but file uploads and repeating
/// groups, which have pages of their own), with the values to show (as typed,
/// or the saved answer written back into fields) and its error.
pub fn question_html(
    question: &Question,
    values: &[(String, String)],
    errors: &FormErrors,
    heading: bool,
) -> String {
    let key = question.key.as_str();
    match &question.kind {
        QuestionKind::ShortText => text_input(question, values, errors, heading).to_string(),
        QuestionKind::LongText { max_chars } => {
            let mut count =
                CharacterCount::new(key, &question.text, *max_chars).value(field(values, key));
            count.label = Some(label(question, heading));
            if let Some(h) = hint(question) {
                count = count.hint(h);
            }
            if let Some(e) = errors.get(key) {
                count = count.error(e);
            }
            count.to_string()
        }
        QuestionKind::Number { whole, .. } => {
            let input = text_input(question, values, errors, heading)
                .classes("govuk-input--width-10")
                .spellcheck(false);
            if *whole {
                input.inputmode("numeric")
            } else {
                input.inputmode("decimal")
            }
            .to_string()
        }
        QuestionKind::Email => text_input(question, values, errors, heading)
            .kind("email")
            .autocomplete("email")
            .spellcheck(false)
            .to_string(),
        QuestionKind::Phone => text_input(question, values, errors, heading)
            .kind("tel")
            .autocomplete("tel")
            .classes("govuk-input--width-20")
            .to_string(),
        QuestionKind::Postcode => text_input(question, values, errors, heading)
            .autocomplete("postal-code")
            .classes("govuk-input--width-10")
            .to_string(),
        QuestionKind::Date { .. } => {
            let mut date = DateInput::new(key, legend(question, heading)).date_values(
                field(values, &format!("{key}-day")),
                field(values, &format!("{key}-month")),
                field(values, &format!("{key}-year")),
            );
            date = date.hint(hint(question).unwrap_or_else(|| "For example, 27 3 2019".to_owned()));
            let error = ["day", "month", "year"]
                .iter()
                .find_map(|p| errors.get(&format!("{key}-{p}")));
            if let Some(e) = error {
                date = date.error(e);
            }
            date.to_string()
        }
        QuestionKind::YesNo
        | QuestionKind::SingleChoice { .. }
        | QuestionKind::MultipleChoice { .. } => choice_html(question, values, errors, heading),
        QuestionKind::Address | QuestionKind::Name => parts_html(question, values, errors, heading),
        QuestionKind::Lookup { of } => format!(
            r#"<div class="govuk-inset-text">{} is answered by the SEND team: it searches for {}.</div>"#,
            escape(&question.text),
            escape(of.label())
        ),
        QuestionKind::FileUpload { .. } | QuestionKind::Repeating { .. } => String::new(),
    }
}

/// Yes or no, a single choice or checkboxes.
fn choice_html(
    question: &Question,
    values: &[(String, String)],
    errors: &FormErrors,
    heading: bool,
) -> String {
    let key = question.key.as_str();
    match &question.kind {
        QuestionKind::YesNo => {
            let chosen = field(values, key);
            let mut radios = Radios::new(key)
                .legend(legend(question, heading))
                .classes("govuk-radios--inline")
                .error_opt(errors.get(key))
                .item(ChoiceItem::new("yes", "Yes").checked(chosen == "yes"))
                .item(ChoiceItem::new("no", "No").checked(chosen == "no"));
            if let Some(h) = hint(question) {
                radios = radios.hint(h);
            }
            radios.to_string()
        }
        QuestionKind::SingleChoice { options } => {
            let chosen = field(values, key);
            let mut radios = Radios::new(key)
                .legend(legend(question, heading))
                .error_opt(errors.get(key));
            for option in options {
                radios = radios.item(ChoiceItem::new(option, option).checked(chosen == option));
            }
            if let Some(h) = hint(question) {
                radios = radios.hint(h);
            }
            radios.to_string()
        }
        QuestionKind::MultipleChoice {
            options,
            none_of_these,
        } => {
            let chosen: Vec<&str> = values
                .iter()
                .filter(|(n, _)| n == key)
                .map(|(_, v)| v.as_str())
                .collect();
            let mut boxes = Checkboxes::new(key)
                .legend(legend(question, heading))
                .error_opt(errors.get(key))
                .hint(hint(question).unwrap_or_else(|| "Select all that apply.".to_owned()));
            for option in options {
                boxes = boxes.item(
                    ChoiceItem::new(option, option).checked(chosen.contains(&option.as_str())),
                );
            }
            if *none_of_these {
                let mut none = ChoiceItem::new(NONE_OF_THESE, "None of these")
                    .checked(chosen.contains(&NONE_OF_THESE));
                none.behaviour = Some("exclusive".to_owned());
                boxes = boxes.item(ChoiceItem::divider("or")).item(none);
            }
            boxes.to_string()
        }
        _ => String::new(),
    }
}

/// An address or a name: a fieldset of text inputs.
fn parts_html(
    question: &Question,
    values: &[(String, String)],
    errors: &FormErrors,
    heading: bool,
) -> String {
    let key = question.key.as_str();
    match &question.kind {
        QuestionKind::Address => {
            let part = |suffix: &str, text: &str, autocomplete: &str, classes: &str| {
                let name = format!("{key}-{suffix}");
                let mut input = Input::new(&name, text)
                    .value(field(values, &name))
                    .autocomplete(autocomplete)
                    .error_opt(errors.get(&name));
                if !classes.is_empty() {
                    input = input.classes(classes);
                }
                input.to_string()
            };
            let inner = [
                part("line1", "Address line 1", "address-line1", ""),
                part("line2", "Address line 2 (optional)", "address-line2", ""),
                part(
                    "town",
                    "Town or city",
                    "address-level2",
                    "govuk-!-width-two-thirds",
                ),
                part(
                    "postcode",
                    "Postcode",
                    "postal-code",
                    "govuk-input--width-10",
                ),
            ]
            .concat();
            Fieldset::new(legend(question, heading), inner).to_string()
        }
        QuestionKind::Name => {
            let part = |suffix: &str, text: &str, autocomplete: &str| {
                let name = format!("{key}-{suffix}");
                Input::new(&name, text)
                    .value(field(values, &name))
                    .autocomplete(autocomplete)
                    .spellcheck(false)
                    .error_opt(errors.get(&name))
                    .to_string()
            };
            let inner = [
                part("first", "First name", "given-name"),
                part("last", "Last name", "family-name"),
            ]
            .concat();
            Fieldset::new(legend(question, heading), inner).to_string()
        }
        _ => String::new(),
    }
}

/// An answer as readable HTML (escaped), for Check your answers and the SEND
/// team's record. `file_link` makes a file's name a link where files can be
/// downloaded.
pub fn answer_html(
    question: &Question,
    answer: Option<&Answer>,
    file_link: &dyn Fn(&send_domain::StoredFile) -> Option<String>,
) -> String {
    let Some(answer) = answer else {
        return "Not answered".to_owned();
    };
    match answer {
        Answer::Text(t) => escape(t).replace('\n', "<br>"),
        Answer::Number(n) => escape(&format_number(*n)),
        Answer::Date(d) => escape(&long_date(*d)),
        Answer::YesNo(b) => if *b { "Yes" } else { "No" }.to_owned(),
        Answer::Choice(c) | Answer::Email(c) | Answer::Phone(c) | Answer::Postcode(c) => escape(c),
        Answer::Choices(list) if list.is_empty() => "None of these".to_owned(),
        Answer::Choices(list) => list
            .iter()
            .map(|c| escape(c))
            .collect::<Vec<_>>()
            .join("<br>"),
        Answer::Address(a) => [&a.line_1, &a.line_2, &a.town, &a.postcode]
            .into_iter()
            .filter(|l| !l.is_empty())
            .map(|l| escape(l))
            .collect::<Vec<_>>()
            .join("<br>"),
        Answer::Name { first, last } => escape(&format!("{first} {last}")),
        Answer::Files(files) => files
            .iter()
            .map(|f| match file_link(f) {
                Some(href) => format!(
                    r#"<a class="govuk-link" href="{}">{}</a>"#,
                    escape(&href),
                    escape(&f.name)
                ),
                None => escape(&f.name),
            })
            .collect::<Vec<_>>()
            .join("<br>"),
        Answer::Items(items) => {
            let QuestionKind::Repeating {
                questions, item, ..
            } = &question.kind
            else {
                return String::new();
            };
            if items.is_empty() {
                return "None added".to_owned();
            }
            items
                .iter()
                .enumerate()
                .map(|(i, answers)| {
                    format!(
                        r#"<p class="govuk-body govuk-!-margin-bottom-1"><strong>{} {}</strong></p><p class="govuk-body">{}</p>"#,
                        escape(&capitalise(item)),
                        i + 1,
                        item_lines(questions, answers, file_link)
                    )
                })
                .collect::<Vec<_>>()
                .concat()
        }
        Answer::Lookup { label, .. } => escape(label),
        Answer::NotAnswered => "Not answered".to_owned(),
    }
}

/// One item of a repeating group: "Question: answer" lines.
pub fn item_lines(
    questions: &[Question],
    answers: &Answers,
    file_link: &dyn Fn(&send_domain::StoredFile) -> Option<String>,
) -> String {
    questions
        .iter()
        .map(|q| {
            // "Name of the setting: Oakfield", but "Have you visited it? Yes".
            let text = q.text.trim_end();
            let separator = if text.ends_with(['?', ':']) {
                " "
            } else {
                ": "
            };
            format!(
                "{}{separator}{}",
                escape(text),
                answer_html(q, answers.get(&q.key), file_link)
            )
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
