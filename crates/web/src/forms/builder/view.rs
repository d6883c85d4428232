//! The builder page's parts, in words: each page with its questions, their
//! types and settings, conditions and routes; the form's details; what may be
//! done with it by whom.

use askama::Template;
use askama_web::WebTemplate;
use send_app::App;
use send_app::forms::builder::BuilderForm;
use send_domain::dates::uk_long_date;
use send_domain::forms::{
    BuilderAction, DateLimit, FormDefinition, FormState, Page, Question, QuestionKind, builder_may,
    words,
};
use send_domain::{Decision, FormId};

use super::{problem_link, tag_class};
use crate::back_office::Staff;
use crate::chrome::Chrome;
use crate::components::{ErrorSummary, SummaryList, SummaryListAction, SummaryListRow};

/// A question inside a repeating group.
#[derive(Debug)]
pub(super) struct InnerRow {
    /// The address of its change page (and, after it, its moves and removal).
    pub base: String,
    pub text: String,
    pub kind: &'static str,
    pub required: bool,
    pub details: Vec<String>,
    pub first: bool,
    pub last: bool,
}

/// A repeating group's questions.
#[derive(Debug)]
pub(super) struct GroupView {
    pub item: String,
    pub questions: Vec<InnerRow>,
}

/// One question on a page.
#[derive(Debug)]
pub(super) struct QuestionRow {
    /// The address of its change page (and, after it, its moves, condition and removal).
    pub base: String,
    pub key: String,
    pub text: String,
    pub kind: &'static str,
    pub required: bool,
    pub details: Vec<String>,
    pub condition: Option<String>,
    pub first: bool,
    pub last: bool,
    pub group: Option<GroupView>,
}

/// One page with its questions, condition and routes.
#[derive(Debug)]
pub(super) struct PageView {
    /// The address its moves, removal, heading, condition and routes go under.
    pub base: String,
    pub key: String,
    pub number: usize,
    pub heading: Option<String>,
    pub condition: Option<String>,
    pub routes: Vec<String>,
    pub questions: Vec<QuestionRow>,
    pub first: bool,
    pub last: bool,
}

/// A form's builder page.
#[derive(Template, WebTemplate)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "what this person may do with the form, one flag per button"
)]
#[template(path = "forms/builder/form.html")]
pub(super) struct BuilderPage {
    chrome: Chrome,
    flash: Option<String>,
    /// Why the last post was refused.
    refusal: Option<ErrorSummary>,
    csrf: String,
    /// The builder page's own address.
    base: String,
    version: u32,
    title: String,
    state: FormState,
    tag: &'static str,
    live: Option<(u32, String)>,
    waiting_since: Option<String>,
    builtin: bool,
    retired: Option<String>,
    /// The working copy may be changed by this person.
    can_edit: bool,
    can_copy: bool,
    can_publish: bool,
    can_retire: bool,
    has_changes: bool,
    details: SummaryList,
    problems: Vec<(String, String)>,
    pages: Vec<PageView>,
}

/// "Yes" or "No".
fn yes_no(b: bool) -> &'static str {
    if b { "Yes" } else { "No" }
}

fn allowed(staff: &Staff, action: BuilderAction) -> bool {
    builder_may(&staff.access, action) == Decision::Allowed
}

/// A form's builder page, with a banner after a change or the reasons a post
/// was refused.
pub(super) fn builder_page(
    app: &App,
    staff: &Staff,
    view: &BuilderForm,
    flash: Option<String>,
    refusal: Option<ErrorSummary>,
) -> BuilderPage {
    let form = &view.form;
    let editable = form.editable();
    let can_edit = editable && allowed(staff, BuilderAction::Build);
    BuilderPage {
        chrome: staff.signed_in.chrome(app),
        flash,
        refusal,
        csrf: staff.signed_in.csrf.clone(),
        base: super::form_path(form.id),
        version: form.version,
        title: form.draft.title.clone(),
        state: form.state(),
        tag: tag_class(form.state()),
        live: view
            .live
            .as_ref()
            .map(|v| (v.number, uk_long_date(v.published_at))),
        waiting_since: form.approval_requested.map(|(_, at)| uk_long_date(at)),
        builtin: form.builtin.is_some(),
        retired: form.retired_at.map(uk_long_date),
        can_edit,
        can_copy: allowed(staff, BuilderAction::Build),
        // A built-in form's working copy never changes, so there is never
        // anything new to publish.
        can_publish: editable && allowed(staff, BuilderAction::Publish),
        can_retire: form.retired_at.is_none() && allowed(staff, BuilderAction::Retire),
        has_changes: view.has_changes,
        details: details(form.id, &form.draft, can_edit),
        problems: view
            .problems
            .iter()
            .map(|p| (problem_link(form.id, p), p.message.clone()))
            .collect(),
        pages: pages(form.id, &form.draft),
    }
}

fn details(id: FormId, form: &FormDefinition, can_edit: bool) -> SummaryList {
    let audiences = form
        .audiences
        .iter()
        .map(|a| a.label())
        .collect::<Vec<_>>()
        .join(", ");
    let rows = [
        ("title", "Title", form.title.clone()),
        (
            "description",
            "Description",
            if form.description.is_empty() {
                "None".to_owned()
            } else {
                form.description.clone()
            },
        ),
        ("audiences", "Who it is for", audiences),
        (
            "about_a_child",
            "About one child",
            yes_no(form.about_a_child).to_owned(),
        ),
        (
            "days_to_complete",
            "Days to complete it, when sent as an action",
            form.days_to_complete.to_string(),
        ),
        (
            "upload_max_mib",
            "Largest file people may upload",
            format!("{} MB", form.uploads.max_mib),
        ),
        ("declaration", "Declaration", form.declaration.clone()),
        ("next_steps", "What happens next", form.next_steps.clone()),
    ];
    let mut list = SummaryList::new();
    for (field, key, value) in rows {
        let mut row = SummaryListRow::new(key, value);
        if can_edit {
            row = row.action(SummaryListAction::new(
                "Change",
                format!("/back-office/forms/{id}/details#{field}"),
                key.to_lowercase(),
            ));
        }
        list = list.row(row);
    }
    list
}

fn pages(id: FormId, form: &FormDefinition) -> Vec<PageView> {
    let count = form.pages.len();
    form.pages
        .iter()
        .enumerate()
        .map(|(index, page)| PageView {
            base: format!("{}/pages/{}", super::form_path(id), page.key),
            key: page.key.to_string(),
            number: index + 1,
            heading: page.heading.clone(),
            condition: page.show_when.as_ref().map(|c| words::condition(form, c)),
            routes: page
                .branches
                .iter()
                .map(|b| words::branch(form, b))
                .collect(),
            questions: questions(id, form, page),
            first: index == 0,
            last: index + 1 == count,
        })
        .collect()
}

fn questions(id: FormId, form: &FormDefinition, page: &Page) -> Vec<QuestionRow> {
    let count = page.questions.len();
    let base = |key: &str| format!("{}/questions/{key}", super::form_path(id));
    page.questions
        .iter()
        .enumerate()
        .map(|(index, question)| QuestionRow {
            base: base(question.key.as_str()),
            key: question.key.to_string(),
            text: question.text.clone(),
            kind: question.kind.label(),
            required: question.required,
            details: settings(question),
            condition: question
                .show_when
                .as_ref()
                .map(|c| words::condition(form, c)),
            first: index == 0,
            last: index + 1 == count,
            group: match &question.kind {
                QuestionKind::Repeating {
                    item, questions, ..
                } => Some(GroupView {
                    item: item.clone(),
                    questions: questions
                        .iter()
                        .enumerate()
                        .map(|(i, inner)| InnerRow {
                            base: format!("{}/items/{}", base(question.key.as_str()), inner.key),
                            text: inner.text.clone(),
                            kind: inner.kind.label(),
                            required: inner.required,
                            details: settings(inner),
                            first: i == 0,
                            last: i + 1 == questions.len(),
                        })
                        .collect(),
                }),
                _ => None,
            },
        })
        .collect()
}

/// A question's settings in words ("Options: Oak, Elm").
pub(super) fn settings(question: &Question) -> Vec<String> {
    let mut said = Vec::new();
    if let Some(hint) = question.hint.as_ref().filter(|h| !h.is_empty()) {
        said.push(format!("Hint: {hint}"));
    }
    match &question.kind {
        QuestionKind::LongText { max_chars } => {
            said.push(format!("Up to {max_chars} characters"));
        }
        QuestionKind::Number { whole, min, max } => {
            let numbers = if *whole {
                "Whole numbers"
            } else {
                "Numbers, with decimals"
            };
            said.push(match (min, max) {
                (Some(lo), Some(hi)) => format!(
                    "{numbers} from {} to {}",
                    words::number(*lo),
                    words::number(*hi)
                ),
                (Some(lo), None) => format!("{numbers} of {} or more", words::number(*lo)),
                (None, Some(hi)) => format!("{numbers} up to {}", words::number(*hi)),
                (None, None) => numbers.to_owned(),
            });
        }
        QuestionKind::Date { limit } => match limit {
            DateLimit::Any => {}
            DateLimit::PastOrToday => said.push("Today or earlier".to_owned()),
            DateLimit::TodayOrFuture => said.push("Today or later".to_owned()),
        },
        QuestionKind::SingleChoice { options } => {
            said.push(format!("Options: {}", options.join(", ")));
        }
        QuestionKind::MultipleChoice {
            options,
            none_of_these,
        } => {
            said.push(format!("Options: {}", options.join(", ")));
            if *none_of_these {
                said.push("Offers “None of these”".to_owned());
            }
        }
        QuestionKind::FileUpload { max_files, kinds } => {
            let kinds = if kinds.is_empty() {
                "any kind the portal accepts".to_owned()
            } else {
                kinds
                    .iter()
                    .map(|k| k.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            said.push(format!("Up to {max_files} files: {kinds}"));
        }
        QuestionKind::Repeating {
            item,
            min_items,
            max_items,
            ..
        } => said.push(format!(
            "Between {min_items} and {max_items} items, each called “{item}”"
        )),
        QuestionKind::Lookup { of } => said.push(format!("Looks up {}", of.label())),
        _ => {}
    }
    said
}

/// "Are you sure?" before removing or retiring something.
#[derive(Template, WebTemplate)]
#[template(path = "forms/builder/confirm.html")]
pub(super) struct Confirm {
    pub chrome: Chrome,
    pub title: String,
    pub paragraphs: Vec<String>,
    pub action: String,
    pub button: String,
    pub csrf: String,
    pub version: u32,
    pub back: String,
}
