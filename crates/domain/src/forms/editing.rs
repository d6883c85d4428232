//! The form builder's edits, as data: each page of the builder makes one
//! [`Edit`], and [`apply`] makes it to the working copy or refuses it with a
//! GOV.UK message (by field, for what was typed). An edit never leaves the
//! definition half changed: it is checked first, then made.
//!
//! What an edit cannot know about the rest of the form (a condition left testing
//! an option that was removed, a route left pointing backwards after a move) is
//! allowed here and listed by [`problems`](super::problems) until it is fixed:
//! publishing is refused while there are any. Removing a question (or a page) that
//! a condition or route tests is refused outright, naming where it is used, since
//! the builder could not show that condition any more.

use super::definition::{
    Audience, Branch, Condition, Destination, FormDefinition, Page, PageKey, Question, QuestionKey,
    QuestionKind, Test, UploadLimits,
};
use super::problems::quoted;
use super::reading::NONE_OF_THESE;

/// The longest form title, in characters.
pub const TITLE_MAX: usize = 120;
/// The longest question text, in characters.
pub const QUESTION_MAX: usize = 250;
/// The longest hint, in characters.
pub const HINT_MAX: usize = 500;
/// The longest option of a choice, in characters.
pub const OPTION_MAX: usize = 200;
/// The most options a choice may have.
pub const OPTIONS_MAX: usize = 30;
/// The most characters a long text question may allow.
pub const LONG_TEXT_MAX: u32 = 10_000;
/// The most files one upload question may take.
pub const FILES_MAX: u8 = 10;
/// The most items a repeating group may have.
pub const ITEMS_MAX: u8 = 50;
/// The largest upload a form may allow, in MiB.
pub const UPLOAD_MIB_MAX: u32 = 100;
/// The longest description, declaration or next steps, in characters.
pub const TEXT_MAX: usize = 2_000;

/// A form's details, as the builder's details page sets them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Details {
    pub title: String,
    pub description: String,
    pub declaration: String,
    pub next_steps: String,
    pub audiences: Vec<Audience>,
    pub about_a_child: bool,
    pub days_to_complete: u16,
    pub upload_max_mib: u32,
}

impl Details {
    /// The details a definition has now (to fill the page in).
    pub fn of(form: &FormDefinition) -> Self {
        Self {
            title: form.title.clone(),
            description: form.description.clone(),
            declaration: form.declaration.clone(),
            next_steps: form.next_steps.clone(),
            audiences: form.audiences.clone(),
            about_a_child: form.about_a_child,
            days_to_complete: form.days_to_complete,
            upload_max_mib: form.uploads.max_mib,
        }
    }
}

/// A question as the builder's question page sets it: everything but its key
/// and its condition (which have their own pages).
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionSettings {
    pub text: String,
    /// Empty for none.
    pub hint: String,
    pub required: bool,
    /// The type and its settings. For a repeating group being changed, the
    /// questions inside it are kept as they are (they have their own edits).
    pub kind: QuestionKind,
}

impl QuestionSettings {
    /// A question's settings now (to fill the page in).
    pub fn of(question: &Question) -> Self {
        Self {
            text: question.text.clone(),
            hint: question.hint.clone().unwrap_or_default(),
            required: question.required,
            kind: question.kind.clone(),
        }
    }
}

/// Which way a page or question moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// One change the builder makes to a form's working copy.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    SetDetails(Details),
    /// A new last page holding one new question.
    AddPage {
        question: QuestionSettings,
    },
    /// The page's heading (shown when it holds more than one question); empty for none.
    SetPageHeading {
        page: PageKey,
        heading: String,
    },
    /// A new question at the end of a page.
    AddQuestion {
        page: PageKey,
        question: QuestionSettings,
    },
    EditQuestion {
        question: QuestionKey,
        settings: QuestionSettings,
    },
    /// Shows the question only when the condition holds (`None`: always).
    SetQuestionCondition {
        question: QuestionKey,
        condition: Option<Condition>,
    },
    /// Shows the page only when the condition holds (`None`: always).
    SetPageCondition {
        page: PageKey,
        condition: Option<Condition>,
    },
    /// A new route after the page, tried after its existing ones.
    AddBranch {
        page: PageKey,
        branch: Branch,
    },
    /// The page's route at this position (0 is the first).
    RemoveBranch {
        page: PageKey,
        index: usize,
    },
    MovePage {
        page: PageKey,
        direction: Direction,
    },
    /// Within its page.
    MoveQuestion {
        question: QuestionKey,
        direction: Direction,
    },
    /// A copy of the page right after it, its questions under fresh keys.
    DuplicatePage {
        page: PageKey,
    },
    RemovePage {
        page: PageKey,
    },
    /// Removes the question (and its page, if it was the only one on it).
    RemoveQuestion {
        question: QuestionKey,
    },
    /// A new question at the end of a repeating group.
    AddGroupQuestion {
        group: QuestionKey,
        question: QuestionSettings,
    },
    EditGroupQuestion {
        group: QuestionKey,
        question: QuestionKey,
        settings: QuestionSettings,
    },
    RemoveGroupQuestion {
        group: QuestionKey,
        question: QuestionKey,
    },
    MoveGroupQuestion {
        group: QuestionKey,
        question: QuestionKey,
        direction: Direction,
    },
}

impl Edit {
    /// What was done, for the confirmation after it ("The question has been added").
    pub fn done(&self) -> &'static str {
        match self {
            Self::SetDetails(_) => "The form’s details have been saved",
            Self::AddPage { .. } | Self::AddQuestion { .. } | Self::AddGroupQuestion { .. } => {
                "The question has been added"
            }
            Self::SetPageHeading { .. } => "The page heading has been saved",
            Self::EditQuestion { .. } | Self::EditGroupQuestion { .. } => {
                "The question has been saved"
            }
            Self::SetQuestionCondition {
                condition: Some(_), ..
            }
            | Self::SetPageCondition {
                condition: Some(_), ..
            } => "The condition has been saved",
            Self::SetQuestionCondition {
                condition: None, ..
            }
            | Self::SetPageCondition {
                condition: None, ..
            } => "The condition has been removed",
            Self::AddBranch { .. } => "The route has been added",
            Self::RemoveBranch { .. } => "The route has been removed",
            Self::MovePage { .. } => "The page has been moved",
            Self::MoveQuestion { .. } | Self::MoveGroupQuestion { .. } => {
                "The question has been moved"
            }
            Self::DuplicatePage { .. } => "The page has been duplicated",
            Self::RemovePage { .. } => "The page has been removed",
            Self::RemoveQuestion { .. } | Self::RemoveGroupQuestion { .. } => {
                "The question has been removed"
            }
        }
    }

    /// A short code for the audit log ("question.added"): what kind of edit,
    /// never what was typed.
    pub fn code(&self) -> &'static str {
        match self {
            Self::SetDetails(_) => "details.set",
            Self::AddPage { .. } => "page.added",
            Self::SetPageHeading { .. } => "page.heading_set",
            Self::AddQuestion { .. } => "question.added",
            Self::EditQuestion { .. } => "question.changed",
            Self::SetQuestionCondition { .. } => "question.condition_set",
            Self::SetPageCondition { .. } => "page.condition_set",
            Self::AddBranch { .. } => "page.route_added",
            Self::RemoveBranch { .. } => "page.route_removed",
            Self::MovePage { .. } => "page.moved",
            Self::MoveQuestion { .. } => "question.moved",
            Self::DuplicatePage { .. } => "page.duplicated",
            Self::RemovePage { .. } => "page.removed",
            Self::RemoveQuestion { .. } => "question.removed",
            Self::AddGroupQuestion { .. } => "group_question.added",
            Self::EditGroupQuestion { .. } => "group_question.changed",
            Self::RemoveGroupQuestion { .. } => "group_question.removed",
            Self::MoveGroupQuestion { .. } => "group_question.moved",
        }
    }
}

/// Why an edit was not made. Nothing of it was made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// What was entered breaks a rule: a message for each field that does, by
    /// the field names of the builder's pages ("text", "options", "min", …).
    #[error("{}", join(.0))]
    Invalid(Vec<(&'static str, String)>),
    #[error("This page is no longer in the form")]
    NoSuchPage,
    #[error("This question is no longer in the form")]
    NoSuchQuestion,
    /// The edit cannot be made as the form is (a move past the end, a removal
    /// of something a condition tests): the message says why.
    #[error("{0}")]
    Refused(String),
}

fn join(errors: &[(&'static str, String)]) -> String {
    errors
        .iter()
        .map(|(_, m)| m.as_str())
        .collect::<Vec<_>>()
        .join(". ")
}

/// Collects the messages of one edit's fields.
#[derive(Default)]
struct Messages(Vec<(&'static str, String)>);

impl Messages {
    fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, message.into()));
    }

    fn done(self) -> Result<(), EditError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(EditError::Invalid(self.0))
        }
    }
}

/// Makes one edit to a working copy, or refuses it and changes nothing.
pub fn apply(form: &mut FormDefinition, edit: Edit) -> Result<(), EditError> {
    match edit {
        Edit::SetDetails(details) => set_details(form, details),
        Edit::AddPage { .. }
        | Edit::SetPageHeading { .. }
        | Edit::SetPageCondition { .. }
        | Edit::AddBranch { .. }
        | Edit::RemoveBranch { .. }
        | Edit::MovePage { .. }
        | Edit::DuplicatePage { .. }
        | Edit::RemovePage { .. } => page_edit(form, edit),
        Edit::AddQuestion { .. }
        | Edit::EditQuestion { .. }
        | Edit::SetQuestionCondition { .. }
        | Edit::MoveQuestion { .. }
        | Edit::RemoveQuestion { .. } => question_edit(form, edit),
        Edit::AddGroupQuestion { .. }
        | Edit::EditGroupQuestion { .. }
        | Edit::RemoveGroupQuestion { .. }
        | Edit::MoveGroupQuestion { .. } => group_edit(form, edit),
    }
}

/// The edits of pages: adding, heading, condition, routes, moving, duplicating, removing.
fn page_edit(form: &mut FormDefinition, edit: Edit) -> Result<(), EditError> {
    match edit {
        Edit::AddPage { question } => {
            let question = new_question(form, question, false)?;
            let key = form.fresh_page_key();
            form.pages.push(Page {
                key,
                heading: None,
                questions: vec![question],
                show_when: None,
                branches: Vec::new(),
            });
        }
        Edit::SetPageHeading { page, heading } => {
            let heading = heading.trim();
            let mut messages = Messages::default();
            if heading.chars().count() > QUESTION_MAX {
                messages.add(
                    "heading",
                    format!("The heading must be {QUESTION_MAX} characters or fewer"),
                );
            }
            messages.done()?;
            let index = page_index(form, &page)?;
            form.pages[index].heading = (!heading.is_empty()).then(|| heading.to_owned());
        }
        Edit::SetPageCondition { page, condition } => {
            let p = page_index(form, &page)?;
            if let Some(condition) = &condition {
                check_condition(form, condition, p, Before::EarlierPage)?;
            }
            form.pages[p].show_when = condition;
        }
        Edit::AddBranch { page, branch } => {
            let p = page_index(form, &page)?;
            let mut messages = Messages::default();
            if let Err(EditError::Invalid(found)) =
                check_condition(form, &branch.when, p, Before::ThisPageOrEarlier)
            {
                messages.0.extend(found);
            }
            if let Destination::Page(target) = &branch.to
                && form.page(target).is_none_or(|(t, _)| t <= p)
            {
                messages.add("to", "Choose a later page, or the end of the form");
            }
            messages.done()?;
            form.pages[p].branches.push(branch);
        }
        Edit::RemoveBranch { page, index } => {
            let p = page_index(form, &page)?;
            if index >= form.pages[p].branches.len() {
                return Err(EditError::Refused(
                    "This route is no longer in the form".to_owned(),
                ));
            }
            form.pages[p].branches.remove(index);
        }
        Edit::MovePage { page, direction } => {
            let p = page_index(form, &page)?;
            let to = moved(p, form.pages.len(), direction).ok_or_else(|| {
                EditError::Refused(match direction {
                    Direction::Up => format!("Page {} is already the first page", p + 1),
                    Direction::Down => format!("Page {} is already the last page", p + 1),
                })
            })?;
            form.pages.swap(p, to);
        }
        Edit::DuplicatePage { page } => duplicate_page(form, &page)?,
        Edit::RemovePage { page } => {
            let p = page_index(form, &page)?;
            check_page_unused(form, p)?;
            form.pages.remove(p);
        }
        _ => return Err(EditError::Refused("Not an edit of a page".to_owned())),
    }
    Ok(())
}

/// The edits of top-level questions.
fn question_edit(form: &mut FormDefinition, edit: Edit) -> Result<(), EditError> {
    match edit {
        Edit::AddQuestion { page, question } => {
            let index = page_index(form, &page)?;
            let question = new_question(form, question, false)?;
            form.pages[index].questions.push(question);
        }
        Edit::EditQuestion { question, settings } => {
            let (p, q) = question_position(form, &question)?;
            check_settings(&settings, false)?;
            let existing = &mut form.pages[p].questions[q];
            let kind = keep_group_questions(&existing.kind, settings.kind);
            set(
                existing,
                &settings.text,
                &settings.hint,
                settings.required,
                kind,
            );
        }
        Edit::SetQuestionCondition {
            question,
            condition,
        } => {
            let (p, q) = question_position(form, &question)?;
            if let Some(condition) = &condition {
                check_condition(form, condition, p, Before::EarlierPage)?;
            }
            form.pages[p].questions[q].show_when = condition;
        }
        Edit::MoveQuestion {
            question,
            direction,
        } => {
            let (p, q) = question_position(form, &question)?;
            let questions = &mut form.pages[p].questions;
            let to = moved(q, questions.len(), direction).ok_or_else(|| edge(direction))?;
            questions.swap(q, to);
        }
        Edit::RemoveQuestion { question } => remove_question(form, &question)?,
        _ => return Err(EditError::Refused("Not an edit of a question".to_owned())),
    }
    Ok(())
}

/// The edits of the questions inside a repeating group.
fn group_edit(form: &mut FormDefinition, edit: Edit) -> Result<(), EditError> {
    match edit {
        Edit::AddGroupQuestion { group, question } => {
            let question = new_question(form, question, true)?;
            group_questions(form, &group)?.push(question);
        }
        Edit::EditGroupQuestion {
            group,
            question,
            settings,
        } => {
            check_settings(&settings, true)?;
            let existing = group_questions(form, &group)?
                .iter_mut()
                .find(|q| q.key == question)
                .ok_or(EditError::NoSuchQuestion)?;
            set(
                existing,
                &settings.text,
                &settings.hint,
                settings.required,
                settings.kind,
            );
        }
        Edit::RemoveGroupQuestion { group, question } => {
            let questions = group_questions(form, &group)?;
            let at = questions
                .iter()
                .position(|q| q.key == question)
                .ok_or(EditError::NoSuchQuestion)?;
            questions.remove(at);
        }
        Edit::MoveGroupQuestion {
            group,
            question,
            direction,
        } => {
            let questions = group_questions(form, &group)?;
            let at = questions
                .iter()
                .position(|q| q.key == question)
                .ok_or(EditError::NoSuchQuestion)?;
            let to = moved(at, questions.len(), direction).ok_or_else(|| edge(direction))?;
            questions.swap(at, to);
        }
        _ => {
            return Err(EditError::Refused(
                "Not an edit of a repeating group".to_owned(),
            ));
        }
    }
    Ok(())
}

fn edge(direction: Direction) -> EditError {
    EditError::Refused(match direction {
        Direction::Up => "This question is already the first on its page".to_owned(),
        Direction::Down => "This question is already the last on its page".to_owned(),
    })
}

/// The position `from` moves to among `len`, if it can move that way.
fn moved(from: usize, len: usize, direction: Direction) -> Option<usize> {
    match direction {
        Direction::Up => from.checked_sub(1),
        Direction::Down => (from + 1 < len).then_some(from + 1),
    }
}

fn page_index(form: &FormDefinition, page: &PageKey) -> Result<usize, EditError> {
    form.page(page).map(|(i, _)| i).ok_or(EditError::NoSuchPage)
}

/// The page and place on it of a top-level question.
fn question_position(
    form: &FormDefinition,
    question: &QuestionKey,
) -> Result<(usize, usize), EditError> {
    form.pages
        .iter()
        .enumerate()
        .find_map(|(p, page)| {
            page.questions
                .iter()
                .position(|q| &q.key == question)
                .map(|q| (p, q))
        })
        .ok_or(EditError::NoSuchQuestion)
}

/// The questions inside a repeating group.
fn group_questions<'a>(
    form: &'a mut FormDefinition,
    group: &QuestionKey,
) -> Result<&'a mut Vec<Question>, EditError> {
    let (p, q) = question_position(form, group)?;
    match &mut form.pages[p].questions[q].kind {
        QuestionKind::Repeating { questions, .. } => Ok(questions),
        _ => Err(EditError::Refused(
            "This question is not a repeating group".to_owned(),
        )),
    }
}

fn set(question: &mut Question, text: &str, hint: &str, required: bool, kind: QuestionKind) {
    let hint = hint.trim();
    text.trim().clone_into(&mut question.text);
    question.hint = (!hint.is_empty()).then(|| hint.to_owned());
    question.required = required;
    question.kind = tidy(kind);
}

/// Options trimmed, blank ones dropped.
fn tidy(kind: QuestionKind) -> QuestionKind {
    let clean = |options: Vec<String>| -> Vec<String> {
        options
            .into_iter()
            .map(|o| o.trim().to_owned())
            .filter(|o| !o.is_empty())
            .collect()
    };
    match kind {
        QuestionKind::SingleChoice { options } => QuestionKind::SingleChoice {
            options: clean(options),
        },
        QuestionKind::MultipleChoice {
            options,
            none_of_these,
        } => QuestionKind::MultipleChoice {
            options: clean(options),
            none_of_these,
        },
        QuestionKind::Repeating {
            item,
            questions,
            min_items,
            max_items,
        } => QuestionKind::Repeating {
            item: item.trim().to_owned(),
            questions,
            min_items,
            max_items,
        },
        other => other,
    }
}

/// A changed group keeps the questions inside it; they have their own edits.
fn keep_group_questions(old: &QuestionKind, new: QuestionKind) -> QuestionKind {
    match (old, new) {
        (
            QuestionKind::Repeating { questions, .. },
            QuestionKind::Repeating {
                item,
                min_items,
                max_items,
                ..
            },
        ) => QuestionKind::Repeating {
            item,
            questions: questions.clone(),
            min_items,
            max_items,
        },
        (_, new) => new,
    }
}

/// A new question under a fresh key, once its settings are checked.
fn new_question(
    form: &FormDefinition,
    settings: QuestionSettings,
    in_group: bool,
) -> Result<Question, EditError> {
    check_settings(&settings, in_group)?;
    let mut question = Question {
        key: form.fresh_question_key(),
        text: String::new(),
        hint: None,
        required: true,
        kind: QuestionKind::ShortText,
        show_when: None,
    };
    let kind = match settings.kind {
        // A new group starts empty: its questions are added to it one by one.
        QuestionKind::Repeating {
            item,
            min_items,
            max_items,
            ..
        } => QuestionKind::Repeating {
            item,
            questions: Vec::new(),
            min_items,
            max_items,
        },
        other => other,
    };
    set(
        &mut question,
        &settings.text,
        &settings.hint,
        settings.required,
        kind,
    );
    Ok(question)
}

/// Whether `text` holds a control character nobody types (NUL, escape, …),
/// line breaks and tabs aside where it may have several lines. PostgreSQL
/// cannot store NUL at all.
fn invisible_characters(text: &str, multiline: bool) -> bool {
    text.chars()
        .any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
}

fn set_details(form: &mut FormDefinition, details: Details) -> Result<(), EditError> {
    let mut messages = Messages::default();
    let title = details.title.trim();
    if title.is_empty() {
        messages.add("title", "Enter a title for the form");
    } else if title.chars().count() > TITLE_MAX {
        messages.add(
            "title",
            format!("The title must be {TITLE_MAX} characters or fewer"),
        );
    } else if invisible_characters(title, false) {
        messages.add(
            "title",
            "The title must be one line, without invisible characters",
        );
    }
    for (field, text, name, needed) in [
        (
            "description",
            &details.description,
            "The description",
            false,
        ),
        ("declaration", &details.declaration, "The declaration", true),
        ("next_steps", &details.next_steps, "What happens next", true),
    ] {
        let text = text.trim();
        if needed && text.is_empty() {
            messages.add(
                field,
                match field {
                    "declaration" => "Enter the declaration people agree to when they submit",
                    _ => "Enter what happens after someone submits the form",
                },
            );
        } else if text.chars().count() > TEXT_MAX {
            messages.add(
                field,
                format!("{name} must be {TEXT_MAX} characters or fewer"),
            );
        } else if invisible_characters(text, true) {
            messages.add(
                field,
                format!("{name} must not include invisible characters"),
            );
        }
    }
    if details.audiences.is_empty() {
        messages.add("audiences", "Select who the form is for");
    }
    if !(1..=365).contains(&details.days_to_complete) {
        messages.add(
            "days_to_complete",
            "Enter a number of days between 1 and 365",
        );
    }
    if !(1..=UPLOAD_MIB_MAX).contains(&details.upload_max_mib) {
        messages.add(
            "upload_max_mib",
            format!("Enter a size between 1 and {UPLOAD_MIB_MAX} MB"),
        );
    }
    messages.done()?;
    let mut audiences = details.audiences;
    audiences.sort();
    audiences.dedup();
    title.clone_into(&mut form.title);
    details.description.trim().clone_into(&mut form.description);
    details.declaration.trim().clone_into(&mut form.declaration);
    details.next_steps.trim().clone_into(&mut form.next_steps);
    form.audiences = audiences;
    form.about_a_child = details.about_a_child;
    form.days_to_complete = details.days_to_complete;
    form.uploads = UploadLimits {
        max_mib: details.upload_max_mib,
    };
    Ok(())
}

/// The rules for a question's settings, each broken one a message on its field.
fn check_settings(settings: &QuestionSettings, in_group: bool) -> Result<(), EditError> {
    let mut messages = Messages::default();
    let text = settings.text.trim();
    if text.is_empty() {
        messages.add("text", "Enter the question");
    } else if text.chars().count() > QUESTION_MAX {
        messages.add(
            "text",
            format!("The question must be {QUESTION_MAX} characters or fewer"),
        );
    }
    if settings.hint.trim().chars().count() > HINT_MAX {
        messages.add(
            "hint",
            format!("The hint must be {HINT_MAX} characters or fewer"),
        );
    }
    match &settings.kind {
        QuestionKind::LongText { max_chars } if !(1..=LONG_TEXT_MAX).contains(max_chars) => {
            messages.add(
                "max_chars",
                "Enter a number of characters between 1 and 10,000",
            );
        }
        QuestionKind::Number {
            min: Some(lo),
            max: Some(hi),
            ..
        } if lo > hi => messages.add(
            "max",
            "The highest number must be the same as or more than the lowest",
        ),
        QuestionKind::SingleChoice { options } => check_options(options, 2, &mut messages),
        QuestionKind::MultipleChoice { options, .. } => check_options(options, 1, &mut messages),
        QuestionKind::FileUpload { max_files, .. } if !(1..=FILES_MAX).contains(max_files) => {
            messages.add(
                "max_files",
                format!("Enter a number of files between 1 and {FILES_MAX}"),
            );
        }
        QuestionKind::Repeating {
            item,
            min_items,
            max_items,
            ..
        } => {
            if in_group {
                return Err(EditError::Refused(
                    "A repeating group cannot hold another repeating group".to_owned(),
                ));
            }
            let item = item.trim();
            if item.is_empty() {
                messages.add(
                    "item",
                    "Enter what one item is called, for example professional",
                );
            } else if item.chars().count() > 60 {
                messages.add("item", "The name of an item must be 60 characters or fewer");
            }
            if !(1..=ITEMS_MAX).contains(max_items) {
                messages.add(
                    "max_items",
                    format!("Enter a number of items between 1 and {ITEMS_MAX}"),
                );
            } else if min_items > max_items {
                messages.add(
                    "min_items",
                    "The fewest items must be no more than the most items",
                );
            }
        }
        _ => {}
    }
    messages.done()
}

fn check_options(options: &[String], fewest: usize, messages: &mut Messages) {
    let options: Vec<&str> = options
        .iter()
        .map(|o| o.trim())
        .filter(|o| !o.is_empty())
        .collect();
    if options.len() < fewest {
        messages.add(
            "options",
            if fewest == 1 {
                "Enter at least 1 option".to_owned()
            } else {
                format!("Enter at least {fewest} options, one on each line")
            },
        );
    } else if options.len() > OPTIONS_MAX {
        messages.add(
            "options",
            format!("Enter no more than {OPTIONS_MAX} options"),
        );
    } else if let Some(long) = options.iter().find(|o| o.chars().count() > OPTION_MAX) {
        let start: String = long.chars().take(20).collect();
        messages.add(
            "options",
            format!("Each option must be {OPTION_MAX} characters or fewer: “{start}…” is longer"),
        );
    } else if let Some(twice) = (1..options.len())
        .find(|&i| options[..i].contains(&options[i]))
        .map(|i| options[i])
    {
        messages.add(
            "options",
            format!("Each option must be different: “{twice}” is there twice"),
        );
    } else if options.contains(&NONE_OF_THESE) {
        messages.add("options", format!("An option cannot be “{NONE_OF_THESE}”"));
    }
}

/// Which questions a condition may test, relative to the page it is on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Before {
    /// A condition on a page or a question: questions on earlier pages.
    EarlierPage,
    /// A route after a page: questions on that page or earlier ones.
    ThisPageOrEarlier,
}

/// The rules for a condition on something on page `at`.
fn check_condition(
    form: &FormDefinition,
    condition: &Condition,
    at: usize,
    before: Before,
) -> Result<(), EditError> {
    let mut messages = Messages::default();
    let limit = match before {
        Before::EarlierPage => at,
        Before::ThisPageOrEarlier => at + 1,
    };
    match form.question(&condition.question) {
        None => messages.add("question", "Choose a question from the list"),
        Some((page, _)) if page >= limit => messages.add(
            "question",
            match before {
                Before::EarlierPage => "Choose a question on an earlier page",
                Before::ThisPageOrEarlier => "Choose a question on this page or an earlier one",
            },
        ),
        Some((_, tested)) => check_test(&condition.test, &tested.kind, &mut messages),
    }
    messages.done()
}

fn check_test(test: &Test, kind: &QuestionKind, messages: &mut Messages) {
    match (test, kind) {
        (
            Test::Is { value } | Test::IsNot { value },
            QuestionKind::YesNo | QuestionKind::SingleChoice { .. },
        )
        | (
            Test::Includes { value } | Test::Excludes { value },
            QuestionKind::MultipleChoice { .. },
        ) => {
            if !kind.choices().is_some_and(|c| c.contains(value)) {
                messages.add("value", "Choose an answer from the list");
            }
        }
        (Test::Between { min, max }, QuestionKind::Number { .. }) => match (min, max) {
            (None, None) => {
                messages.add("min", "Enter the lowest number, the highest number or both");
            }
            (Some(lo), Some(hi)) if lo > hi => messages.add(
                "max",
                "The highest number must be the same as or more than the lowest",
            ),
            _ => {}
        },
        _ => messages.add("test", "Choose how the answer is tested"),
    }
}

/// Where something tests a question: the page it is on, and the place in words
/// ("the condition on page 3").
fn uses_of(form: &FormDefinition, key: &QuestionKey) -> Vec<(usize, String)> {
    let mut uses = Vec::new();
    for (index, page) in form.pages.iter().enumerate() {
        let number = index + 1;
        if page.show_when.as_ref().is_some_and(|c| &c.question == key) {
            uses.push((index, format!("the condition on page {number}")));
        }
        for question in &page.questions {
            if question
                .show_when
                .as_ref()
                .is_some_and(|c| &c.question == key)
            {
                uses.push((
                    index,
                    format!("the condition on {} (page {number})", quoted(question)),
                ));
            }
        }
        if page.branches.iter().any(|b| &b.when.question == key) {
            uses.push((index, format!("a route from page {number}")));
        }
    }
    uses
}

fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// "… because the condition on page 3 tests it. Change or remove that first".
fn in_use(what: &str, uses: &[String]) -> EditError {
    let one = uses.len() == 1;
    EditError::Refused(format!(
        "You cannot remove {what} because {} {} it. Change or remove {} first",
        and_list(uses),
        if one { "tests" } else { "test" },
        if one { "that" } else { "those" }
    ))
}

/// Refuses removing page `p` if a route goes to it, or a condition or route on
/// another page tests one of its questions. Its own questions' conditions and
/// its own routes go with it.
fn check_page_unused(form: &FormDefinition, p: usize) -> Result<(), EditError> {
    let page = &form.pages[p];
    let number = p + 1;
    let routes: Vec<String> = form
        .pages
        .iter()
        .enumerate()
        .filter(|(i, other)| {
            *i != p
                && other
                    .branches
                    .iter()
                    .any(|b| b.to == Destination::Page(page.key.clone()))
        })
        .map(|(i, _)| format!("a route from page {}", i + 1))
        .collect();
    if !routes.is_empty() {
        let one = routes.len() == 1;
        return Err(EditError::Refused(format!(
            "You cannot remove page {number} because {} {} to it. Change or remove {} first",
            and_list(&routes),
            if one { "goes" } else { "go" },
            if one { "that route" } else { "those routes" }
        )));
    }
    for question in &page.questions {
        let uses: Vec<String> = uses_of(form, &question.key)
            .into_iter()
            .filter(|(at, _)| *at != p)
            .map(|(_, place)| place)
            .collect();
        if !uses.is_empty() {
            return Err(in_use(
                &format!("page {number}, with {} on it,", quoted(question)),
                &uses,
            ));
        }
    }
    Ok(())
}

fn remove_question(form: &mut FormDefinition, key: &QuestionKey) -> Result<(), EditError> {
    let (p, q) = question_position(form, key)?;
    let question = &form.pages[p].questions[q];
    let uses: Vec<String> = uses_of(form, key)
        .into_iter()
        .map(|(_, place)| place)
        .collect();
    if !uses.is_empty() {
        return Err(in_use(&quoted(question), &uses));
    }
    if form.pages[p].questions.len() == 1 {
        check_page_unused(form, p)?;
        form.pages.remove(p);
    } else {
        form.pages[p].questions.remove(q);
    }
    Ok(())
}

/// A copy of the page right after it. Its questions (and those in its groups)
/// get fresh keys; a route of the copy that tested one of the page's own
/// questions tests the copy's.
fn duplicate_page(form: &mut FormDefinition, key: &PageKey) -> Result<(), EditError> {
    let p = page_index(form, key)?;
    let mut copy = form.pages[p].clone();
    copy.key = form.fresh_page_key();
    form.pages.insert(p + 1, copy);
    let mut renamed: Vec<(QuestionKey, QuestionKey)> = Vec::new();
    for q in 0..form.pages[p + 1].questions.len() {
        let fresh = form.fresh_question_key();
        let question = &mut form.pages[p + 1].questions[q];
        renamed.push((question.key.clone(), fresh.clone()));
        question.key = fresh;
        let inner_count = match &question.kind {
            QuestionKind::Repeating { questions, .. } => questions.len(),
            _ => 0,
        };
        for i in 0..inner_count {
            let fresh = form.fresh_question_key();
            if let QuestionKind::Repeating { questions, .. } =
                &mut form.pages[p + 1].questions[q].kind
            {
                questions[i].key = fresh;
            }
        }
    }
    for branch in &mut form.pages[p + 1].branches {
        if let Some((_, new)) = renamed.iter().find(|(old, _)| *old == branch.when.question) {
            branch.when.question = new.clone();
        }
    }
    Ok(())
}
