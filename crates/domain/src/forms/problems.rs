//! What stops a form being published: each problem names the page or question
//! it is about, so the builder can link to it.

use super::definition::{
    Audience, Condition, Destination, FormDefinition, PageKey, Question, QuestionKey, QuestionKind,
    Test,
};

/// One thing to fix before publishing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub page: Option<PageKey>,
    pub question: Option<QuestionKey>,
    pub message: String,
}

/// The message for a restricted lookup on a form for portal audiences.
pub const LOOKUP_IN_PORTAL: &str =
    "Lookups of council records cannot be published to parents, young people or professionals";

/// Every problem with a form, in the order of its pages; none means it may be
/// published.
pub fn problems(form: &FormDefinition) -> Vec<Problem> {
    let mut found = Found(Vec::new());
    if form.title.trim().is_empty() {
        found.add(None, None, "Enter a title for the form".to_owned());
    }
    if form.declaration.trim().is_empty() {
        found.add(
            None,
            None,
            "Enter the declaration people agree to when they submit".to_owned(),
        );
    }
    if form.audiences.is_empty() {
        found.add(None, None, "Choose who the form is for".to_owned());
    }
    if form.pages.is_empty() {
        found.add(None, None, "Add at least one question".to_owned());
    }
    let in_portal = for_portal(form);
    let mut seen_keys: Vec<&QuestionKey> = Vec::new();
    for (index, page) in form.pages.iter().enumerate() {
        page_problems(form, index, &mut found);
        for question in &page.questions {
            if seen_keys.contains(&&question.key) {
                found.add(
                    Some(&page.key),
                    Some(&question.key),
                    format!(
                        "{} has the same key as another question",
                        describe(question)
                    ),
                );
            }
            seen_keys.push(&question.key);
            question_in_page_problems(form, index, question, in_portal, &mut found);
        }
    }
    found.0
}

struct Found(Vec<Problem>);

impl Found {
    fn add(&mut self, page: Option<&PageKey>, question: Option<&QuestionKey>, message: String) {
        self.0.push(Problem {
            page: page.cloned(),
            question: question.cloned(),
            message,
        });
    }
}

/// The page's own problems: no questions, its condition, its routes.
fn page_problems(form: &FormDefinition, index: usize, found: &mut Found) {
    let page = &form.pages[index];
    let number = index + 1;
    let here = Some(&page.key);
    if page.questions.is_empty() {
        found.add(here, None, format!("Page {number} has no questions"));
    }
    if let Some(message) = page
        .show_when
        .as_ref()
        .and_then(|c| condition_problem(form, c, index))
    {
        found.add(
            here,
            None,
            format!("The condition on page {number} {message}"),
        );
    }
    for branch in &page.branches {
        if let Some(message) = condition_problem(form, &branch.when, index + 1) {
            found.add(here, None, format!("A route from page {number} {message}"));
        }
        if let Destination::Page(target) = &branch.to {
            match form.page(target) {
                None => found.add(
                    here,
                    None,
                    format!("A route from page {number} goes to a page that no longer exists"),
                ),
                Some((t, _)) if t <= index => found.add(
                    here,
                    None,
                    format!(
                        "A route from page {number} goes back to page {}: routes can only go forward",
                        t + 1
                    ),
                ),
                Some(_) => {}
            }
        }
    }
}

/// A question's problems: its condition, its settings, and those of the
/// questions in it (a repeating group).
fn question_in_page_problems(
    form: &FormDefinition,
    index: usize,
    question: &Question,
    in_portal: bool,
    found: &mut Found,
) {
    let page = Some(&form.pages[index].key);
    let here = Some(&question.key);
    let name = describe(question);
    if let Some(message) = question
        .show_when
        .as_ref()
        .and_then(|c| condition_problem(form, c, index))
    {
        found.add(page, here, format!("The condition on {name} {message}"));
    }
    for message in question_problems(question, in_portal) {
        found.add(page, here, format!("{name} {message}"));
    }
    if let QuestionKind::Repeating { questions, .. } = &question.kind {
        for inner in questions {
            let inner_name = describe(inner);
            if inner.show_when.is_some() {
                found.add(
                    page,
                    here,
                    format!("{inner_name} in {name} has a condition: questions in a repeating group cannot have one"),
                );
            }
            if matches!(inner.kind, QuestionKind::Repeating { .. }) {
                found.add(
                    page,
                    here,
                    format!(
                        "{inner_name} in {name} is a repeating group: groups cannot hold groups"
                    ),
                );
            }
            for message in question_problems(inner, in_portal) {
                found.add(page, here, format!("{inner_name} in {name} {message}"));
            }
        }
    }
}

/// "Question “What is your child's name?”" (or "A question" when it has no text).
pub(crate) fn describe(question: &Question) -> String {
    let text = question.text.trim();
    if text.is_empty() {
        "A question".to_owned()
    } else {
        let short: String = text.chars().take(60).collect();
        let cut = if short.len() < text.len() { "…" } else { "" };
        format!("Question “{short}{cut}”")
    }
}

/// "the question “What is your child's name?”", to go inside a sentence.
pub(crate) fn quoted(question: &Question) -> String {
    let described = describe(question);
    match described.strip_prefix("Question ") {
        Some(rest) => format!("the question {rest}"),
        None => "a question with no text".to_owned(),
    }
}

fn question_problems(question: &Question, in_portal: bool) -> Vec<String> {
    let mut found = Vec::new();
    if question.text.trim().is_empty() {
        found.push("has no question text".to_owned());
    }
    match &question.kind {
        QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options, .. } => {
            if options.is_empty() {
                found.push("has no options to choose from".to_owned());
            } else if options.iter().any(|o| o.trim().is_empty()) {
                found.push("has an empty option".to_owned());
            } else if (1..options.len()).any(|i| options[..i].contains(&options[i])) {
                found.push("has the same option twice".to_owned());
            }
        }
        QuestionKind::Number {
            min: Some(lo),
            max: Some(hi),
            ..
        } if lo > hi => found.push("has a lowest number above its highest".to_owned()),
        QuestionKind::LongText { max_chars } if *max_chars == 0 => {
            found.push("allows no characters".to_owned());
        }
        QuestionKind::FileUpload { max_files, .. } if *max_files == 0 => {
            found.push("allows no files".to_owned());
        }
        QuestionKind::Repeating {
            questions,
            min_items,
            max_items,
            ..
        } => {
            if questions.is_empty() {
                found.push("has no questions to repeat".to_owned());
            }
            if *max_items == 0 || *max_items > 50 {
                found.push("must allow between 1 and 50 items".to_owned());
            }
            if min_items > max_items {
                found.push("needs more items than it allows".to_owned());
            }
        }
        QuestionKind::Lookup { .. } if in_portal => {
            found.push(format!("is a lookup. {LOOKUP_IN_PORTAL}"));
        }
        _ => {}
    }
    found
}

/// What is wrong with a condition on something at page `before` (it may only
/// test a question on a page before that one), if anything.
fn condition_problem(
    form: &FormDefinition,
    condition: &Condition,
    before: usize,
) -> Option<String> {
    let Some((at, tested)) = form.question(&condition.question) else {
        return Some("tests a question that no longer exists".to_owned());
    };
    if at >= before {
        return Some(format!(
            "tests {}, which is not on an earlier page",
            quoted(tested)
        ));
    }
    match (&condition.test, &tested.kind) {
        (
            Test::Is { value } | Test::IsNot { value },
            QuestionKind::SingleChoice { .. } | QuestionKind::YesNo,
        )
        | (
            Test::Includes { value } | Test::Excludes { value },
            QuestionKind::MultipleChoice { .. },
        ) => {
            if tested.kind.choices().is_some_and(|c| c.contains(value)) {
                None
            } else {
                Some(format!(
                    "tests for “{value}”, which is not one of the options"
                ))
            }
        }
        (Test::Between { .. }, QuestionKind::Number { .. }) => None,
        _ => Some(format!(
            "tests {} in a way its kind of answer cannot be tested",
            quoted(tested)
        )),
    }
}

/// Whether a form's audiences include the portal (families or professionals).
pub fn for_portal(form: &FormDefinition) -> bool {
    form.audiences.iter().any(|a| *a != Audience::Council)
}
