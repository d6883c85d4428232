//! What changed between a form's live version and its working copy, in plain
//! words, so the person approving it sees what they are publishing.
//!
//! Pages and questions are matched by their keys, which the builder never
//! reuses, so a question whose text changed is the same question changed, not
//! one removed and another added. Moves are the fewest that explain the new
//! order (a page moved up one place is one move, not two).

use std::collections::BTreeSet;
use std::fmt;

use super::definition::{
    Audience, FormDefinition, Page, PageKey, Question, QuestionKey, QuestionKind,
};
use super::words;

/// One change, shown as a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Title {
        from: String,
        to: String,
    },
    Description,
    Declaration,
    NextSteps,
    Audiences {
        from: Vec<Audience>,
        to: Vec<Audience>,
    },
    AboutAChild {
        now: bool,
    },
    DaysToComplete {
        from: u16,
        to: u16,
    },
    UploadLimit {
        from: u32,
        to: u32,
    },
    /// A new page (its number in the working copy) with its questions.
    PageAdded {
        number: usize,
        questions: Vec<String>,
    },
    /// A page no longer there (its number in the live version) with its questions.
    PageRemoved {
        number: usize,
        questions: Vec<String>,
    },
    PageMoved {
        label: String,
        from: usize,
        to: usize,
    },
    PageHeading {
        number: usize,
        to: Option<String>,
    },
    PageCondition {
        number: usize,
        from: Option<String>,
        to: Option<String>,
    },
    PageRoutes {
        number: usize,
        from: Vec<String>,
        to: Vec<String>,
    },
    QuestionAdded {
        page: usize,
        text: String,
    },
    QuestionRemoved {
        page: usize,
        text: String,
    },
    /// To another page (named by its number and label, since numbers shift),
    /// or `within` its page to another place.
    QuestionMoved {
        text: String,
        page: usize,
        label: String,
        within: bool,
    },
    QuestionText {
        from: String,
        to: String,
    },
    QuestionHint {
        text: String,
    },
    QuestionType {
        text: String,
        from: &'static str,
        to: &'static str,
    },
    QuestionRequired {
        text: String,
        now: bool,
    },
    QuestionOptions {
        text: String,
        added: Vec<String>,
        removed: Vec<String>,
        reordered: bool,
    },
    /// Another setting of its type: "now allows up to 1000 characters (was 500)".
    QuestionSetting {
        text: String,
        setting: String,
    },
    QuestionCondition {
        text: String,
        from: Option<String>,
        to: Option<String>,
    },
}

fn quoted_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("“{i}”")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn audiences(list: &[Audience]) -> String {
    list.iter()
        .map(|a| a.label())
        .collect::<Vec<_>>()
        .join(", ")
}

fn with_questions(questions: &[String]) -> String {
    match questions.len() {
        0 => String::new(),
        1 => format!(", with the question {}", quoted_list(questions)),
        _ => format!(", with the questions {}", quoted_list(questions)),
    }
}

impl fmt::Display for Change {
    #[expect(
        clippy::too_many_lines,
        reason = "one sentence per kind of change, in one place"
    )]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Title { from, to } => write!(f, "The title changed from “{from}” to “{to}”"),
            Self::Description => f.write_str("The description changed"),
            Self::Declaration => f.write_str("The declaration changed"),
            Self::NextSteps => f.write_str("What happens next changed"),
            Self::Audiences { from, to } => write!(
                f,
                "Who the form is for changed from {} to {}",
                audiences(from),
                audiences(to)
            ),
            Self::AboutAChild { now: true } => f.write_str("The form is now about one child"),
            Self::AboutAChild { now: false } => {
                f.write_str("The form is no longer about one child")
            }
            Self::DaysToComplete { from, to } => write!(
                f,
                "The days given to complete it changed from {from} to {to}"
            ),
            Self::UploadLimit { from, to } => write!(
                f,
                "The largest file allowed changed from {from} MB to {to} MB"
            ),
            Self::PageAdded { number, questions } => {
                write!(f, "Page {number} was added{}", with_questions(questions))
            }
            Self::PageRemoved { number, questions } => {
                write!(f, "Page {number} was removed{}", with_questions(questions))
            }
            Self::PageMoved { label, from, to } => {
                write!(f, "Page {from} (“{label}”) moved to be page {to}")
            }
            Self::PageHeading {
                number,
                to: Some(to),
            } => {
                write!(f, "The heading of page {number} is now “{to}”")
            }
            Self::PageHeading { number, to: None } => {
                write!(f, "The heading of page {number} was removed")
            }
            Self::PageCondition { number, from, to } => match (from, to) {
                (None, Some(to)) => write!(f, "Page {number} is now shown only when {to}"),
                (Some(_), None) => write!(f, "Page {number} is now always shown"),
                (_, to) => write!(
                    f,
                    "Page {number} is now shown only when {}",
                    to.as_deref().unwrap_or_default()
                ),
            },
            Self::PageRoutes { number, to, .. } if to.is_empty() => {
                write!(f, "The routes from page {number} were removed")
            }
            Self::PageRoutes { number, to, .. } => write!(
                f,
                "The routes from page {number} are now: {}",
                to.join("; ")
            ),
            Self::QuestionAdded { page, text } => {
                write!(f, "The question “{text}” was added to page {page}")
            }
            Self::QuestionRemoved { page, text } => {
                write!(f, "The question “{text}” was removed from page {page}")
            }
            Self::QuestionMoved {
                text,
                page,
                within: true,
                ..
            } => write!(f, "The question “{text}” moved within page {page}"),
            Self::QuestionMoved {
                text, page, label, ..
            } => write!(f, "The question “{text}” moved to page {page} (“{label}”)"),
            Self::QuestionText { from, to } => {
                write!(f, "The question “{from}” now reads “{to}”")
            }
            Self::QuestionHint { text } => write!(f, "The hint of “{text}” changed"),
            Self::QuestionType { text, from, to } => write!(
                f,
                "The question “{text}” changed type from {} to {}",
                from.to_lowercase(),
                to.to_lowercase()
            ),
            Self::QuestionRequired { text, now: true } => {
                write!(f, "The question “{text}” must now be answered")
            }
            Self::QuestionRequired { text, now: false } => {
                write!(f, "The question “{text}” is now optional")
            }
            Self::QuestionOptions {
                text,
                added,
                removed,
                reordered,
            } => {
                let mut parts = Vec::new();
                if !added.is_empty() {
                    parts.push(format!("{} added", quoted_list(added)));
                }
                if !removed.is_empty() {
                    parts.push(format!("{} removed", quoted_list(removed)));
                }
                if *reordered {
                    parts.push("their order changed".to_owned());
                }
                write!(f, "The options of “{text}” changed: {}", parts.join("; "))
            }
            Self::QuestionSetting { text, setting } => write!(f, "The question “{text}” {setting}"),
            Self::QuestionCondition { text, from, to } => match (from, to) {
                (Some(_), None) => write!(f, "The question “{text}” is now always shown"),
                (_, to) => write!(
                    f,
                    "The question “{text}” is now shown only when {}",
                    to.as_deref().unwrap_or_default()
                ),
            },
        }
    }
}

/// Every change from the live version (`published`) to the working copy
/// (`draft`), in the order of the working copy's pages; empty when they are the
/// same.
pub fn compare(published: &FormDefinition, draft: &FormDefinition) -> Vec<Change> {
    let mut changes = detail_changes(published, draft);
    let new_pages: Vec<&PageKey> = draft.pages.iter().map(|p| &p.key).collect();
    let old_questions = question_places(published);
    let new_questions = question_places(draft);
    changes.extend(removed_pages(published, draft));

    // Pages in both, in the live version's order, by their new positions.
    let common: Vec<(usize, usize)> = published
        .pages
        .iter()
        .enumerate()
        .filter_map(|(old, p)| {
            new_pages
                .iter()
                .position(|k| *k == &p.key)
                .map(|new| (old, new))
        })
        .collect();
    let moved_pages = out_of_order(&common.iter().map(|(_, new)| *new).collect::<Vec<_>>());

    for (new_index, page) in draft.pages.iter().enumerate() {
        let number = new_index + 1;
        let Some(ci) = common.iter().position(|(_, n)| *n == new_index) else {
            changes.push(Change::PageAdded {
                number,
                questions: page
                    .questions
                    .iter()
                    .filter(|q| !old_questions.iter().any(|(k, _, _)| *k == &q.key))
                    .map(|q| q.text.trim().to_owned())
                    .collect(),
            });
            page_question_changes(published, draft, page, &old_questions, &mut changes);
            continue;
        };
        let old_page = &published.pages[common[ci].0];
        if moved_pages.contains(&ci) {
            changes.push(Change::PageMoved {
                label: words::page_label(page).unwrap_or_default(),
                from: common[ci].0 + 1,
                to: number,
            });
        }
        if old_page.heading != page.heading {
            changes.push(Change::PageHeading {
                number,
                to: page.heading.clone(),
            });
        }
        let old_condition = old_page
            .show_when
            .as_ref()
            .map(|c| words::condition(published, c));
        let new_condition = page.show_when.as_ref().map(|c| words::condition(draft, c));
        if old_condition != new_condition {
            changes.push(Change::PageCondition {
                number,
                from: old_condition,
                to: new_condition,
            });
        }
        let old_routes: Vec<String> = old_page
            .branches
            .iter()
            .map(|b| words::branch(published, b))
            .collect();
        let new_routes: Vec<String> = page
            .branches
            .iter()
            .map(|b| words::branch(draft, b))
            .collect();
        if old_routes != new_routes {
            changes.push(Change::PageRoutes {
                number,
                from: old_routes,
                to: new_routes,
            });
        }
        page_question_changes(published, draft, page, &old_questions, &mut changes);
        // Questions that left this page for one that is not new, or were removed.
        for question in &old_page.questions {
            if !new_questions.iter().any(|(k, _, _)| *k == &question.key) {
                changes.push(Change::QuestionRemoved {
                    page: common[ci].0 + 1,
                    text: question.text.trim().to_owned(),
                });
            }
        }
        // Questions that stayed on this page in another order.
        let stayed: Vec<usize> = old_page
            .questions
            .iter()
            .filter_map(|q| page.questions.iter().position(|n| n.key == q.key))
            .collect();
        for i in out_of_order(&stayed) {
            changes.push(Change::QuestionMoved {
                text: page.questions[stayed[i]].text.trim().to_owned(),
                page: number,
                label: words::page_label(page).unwrap_or_default(),
                within: true,
            });
        }
    }
    changes
}

/// The pages no longer there, with those of their questions that are nowhere
/// in the working copy.
fn removed_pages(published: &FormDefinition, draft: &FormDefinition) -> Vec<Change> {
    published
        .pages
        .iter()
        .enumerate()
        .filter(|(_, page)| draft.page(&page.key).is_none())
        .map(|(index, page)| Change::PageRemoved {
            number: index + 1,
            questions: page
                .questions
                .iter()
                .filter(|q| draft.question(&q.key).is_none())
                .map(|q| q.text.trim().to_owned())
                .collect(),
        })
        .collect()
}

/// The changes to the form's details.
fn detail_changes(published: &FormDefinition, draft: &FormDefinition) -> Vec<Change> {
    let mut changes = Vec::new();
    if published.title.trim() != draft.title.trim() {
        changes.push(Change::Title {
            from: published.title.trim().to_owned(),
            to: draft.title.trim().to_owned(),
        });
    }
    if published.description != draft.description {
        changes.push(Change::Description);
    }
    if published.declaration != draft.declaration {
        changes.push(Change::Declaration);
    }
    if published.next_steps != draft.next_steps {
        changes.push(Change::NextSteps);
    }
    if published.audiences != draft.audiences {
        changes.push(Change::Audiences {
            from: published.audiences.clone(),
            to: draft.audiences.clone(),
        });
    }
    if published.about_a_child != draft.about_a_child {
        changes.push(Change::AboutAChild {
            now: draft.about_a_child,
        });
    }
    if published.days_to_complete != draft.days_to_complete {
        changes.push(Change::DaysToComplete {
            from: published.days_to_complete,
            to: draft.days_to_complete,
        });
    }
    if published.uploads.max_mib != draft.uploads.max_mib {
        changes.push(Change::UploadLimit {
            from: published.uploads.max_mib,
            to: draft.uploads.max_mib,
        });
    }
    changes
}

/// Each top-level question's key, page position and the question.
fn question_places(form: &FormDefinition) -> Vec<(&QuestionKey, usize, &Question)> {
    form.pages
        .iter()
        .enumerate()
        .flat_map(|(p, page)| page.questions.iter().map(move |q| (&q.key, p, q)))
        .collect()
}

/// The changes to the questions now on `page`: added to it, moved to it from
/// another page, or changed.
fn page_question_changes(
    published: &FormDefinition,
    draft: &FormDefinition,
    page: &Page,
    old_questions: &[(&QuestionKey, usize, &Question)],
    changes: &mut Vec<Change>,
) {
    let number = draft.page(&page.key).map_or(0, |(i, _)| i + 1);
    let page_is_new = published.page(&page.key).is_none();
    for question in &page.questions {
        let Some((_, old_page, old)) = old_questions.iter().find(|(k, _, _)| *k == &question.key)
        else {
            if !page_is_new {
                changes.push(Change::QuestionAdded {
                    page: number,
                    text: question.text.trim().to_owned(),
                });
            }
            continue;
        };
        if published.pages[*old_page].key != page.key {
            changes.push(Change::QuestionMoved {
                text: question.text.trim().to_owned(),
                page: number,
                label: words::page_label(page).unwrap_or_default(),
                within: false,
            });
        }
        question_changes(published, draft, old, question, changes);
    }
}

/// The changes to one question kept under the same key.
fn question_changes(
    published: &FormDefinition,
    draft: &FormDefinition,
    old: &Question,
    new: &Question,
    changes: &mut Vec<Change>,
) {
    let text = new.text.trim().to_owned();
    if old.text.trim() != new.text.trim() {
        changes.push(Change::QuestionText {
            from: old.text.trim().to_owned(),
            to: text.clone(),
        });
    }
    if old.hint != new.hint {
        changes.push(Change::QuestionHint { text: text.clone() });
    }
    if old.required != new.required {
        changes.push(Change::QuestionRequired {
            text: text.clone(),
            now: new.required,
        });
    }
    if old.kind.label() == new.kind.label() {
        kind_changes(&text, &old.kind, &new.kind, changes);
    } else {
        changes.push(Change::QuestionType {
            text: text.clone(),
            from: old.kind.label(),
            to: new.kind.label(),
        });
    }
    let old_condition = old
        .show_when
        .as_ref()
        .map(|c| words::condition(published, c));
    let new_condition = new.show_when.as_ref().map(|c| words::condition(draft, c));
    if old_condition != new_condition {
        changes.push(Change::QuestionCondition {
            text,
            from: old_condition,
            to: new_condition,
        });
    }
}

fn limit(n: Option<f64>) -> String {
    n.map_or_else(|| "none".to_owned(), words::number)
}

/// The changes to the settings of a question that kept its type.
#[expect(
    clippy::too_many_lines,
    reason = "one arm per question type, each short; splitting them would scatter one table"
)]
fn kind_changes(text: &str, old: &QuestionKind, new: &QuestionKind, changes: &mut Vec<Change>) {
    let mut setting = |setting: String| {
        changes.push(Change::QuestionSetting {
            text: text.to_owned(),
            setting,
        });
    };
    match (old, new) {
        (
            QuestionKind::SingleChoice { options: before },
            QuestionKind::SingleChoice { options: after },
        ) => options_change(text, before, after, changes),
        (
            QuestionKind::MultipleChoice {
                options: before,
                none_of_these: none_before,
            },
            QuestionKind::MultipleChoice {
                options: after,
                none_of_these: none_after,
            },
        ) => {
            options_change(text, before, after, changes);
            if none_before != none_after {
                changes.push(Change::QuestionSetting {
                    text: text.to_owned(),
                    setting: if *none_after {
                        "now offers “None of these”".to_owned()
                    } else {
                        "no longer offers “None of these”".to_owned()
                    },
                });
            }
        }
        (QuestionKind::LongText { max_chars: a }, QuestionKind::LongText { max_chars: b })
            if a != b =>
        {
            setting(format!("now allows up to {b} characters (was {a})"));
        }
        (
            QuestionKind::Number {
                whole: w1,
                min: lo1,
                max: hi1,
            },
            QuestionKind::Number {
                whole: w2,
                min: lo2,
                max: hi2,
            },
        ) => {
            if w1 != w2 {
                setting(if *w2 {
                    "now takes whole numbers only".to_owned()
                } else {
                    "now takes decimals as well as whole numbers".to_owned()
                });
            }
            if lo1 != lo2 || hi1 != hi2 {
                setting(format!(
                    "now has the lowest number {} and the highest {} (was {} and {})",
                    limit(*lo2),
                    limit(*hi2),
                    limit(*lo1),
                    limit(*hi1)
                ));
            }
        }
        (QuestionKind::Date { limit: a }, QuestionKind::Date { limit: b }) if a != b => {
            setting(format!(
                "now accepts {} (was {})",
                date_limit(*b),
                date_limit(*a)
            ));
        }
        (
            QuestionKind::FileUpload {
                max_files: a,
                kinds: ka,
            },
            QuestionKind::FileUpload {
                max_files: b,
                kinds: kb,
            },
        ) => {
            if a != b {
                setting(format!("now takes up to {b} files (was {a})"));
            }
            let set_a: BTreeSet<_> = ka.iter().collect();
            let set_b: BTreeSet<_> = kb.iter().collect();
            if set_a != set_b {
                setting("now accepts other kinds of file".to_owned());
            }
        }
        (
            QuestionKind::Repeating {
                item: i1,
                questions: q1,
                min_items: lo1,
                max_items: hi1,
            },
            QuestionKind::Repeating {
                item: i2,
                questions: q2,
                min_items: lo2,
                max_items: hi2,
            },
        ) => {
            if i1 != i2 {
                setting(format!("now calls each item “{i2}” (was “{i1}”)"));
            }
            if lo1 != lo2 || hi1 != hi2 {
                setting(format!(
                    "now takes between {lo2} and {hi2} items (was {lo1} and {hi1})"
                ));
            }
            for inner in q2 {
                match q1.iter().find(|q| q.key == inner.key) {
                    None => setting(format!("now asks “{}” for each item", inner.text.trim())),
                    Some(before) if before != inner => setting(format!(
                        "changed how it asks “{}” for each item",
                        inner.text.trim()
                    )),
                    Some(_) => {}
                }
            }
            for gone in q1.iter().filter(|q| !q2.iter().any(|n| n.key == q.key)) {
                setting(format!(
                    "no longer asks “{}” for each item",
                    gone.text.trim()
                ));
            }
            let order_before: Vec<&QuestionKey> = q1
                .iter()
                .filter(|q| q2.iter().any(|n| n.key == q.key))
                .map(|q| &q.key)
                .collect();
            let order_after: Vec<&QuestionKey> = q2
                .iter()
                .filter(|q| q1.iter().any(|o| o.key == q.key))
                .map(|q| &q.key)
                .collect();
            if order_before != order_after {
                setting("asks the questions for each item in another order".to_owned());
            }
        }
        (QuestionKind::Lookup { of: a }, QuestionKind::Lookup { of: b }) if a != b => {
            setting(format!("now looks up {} (was {})", b.label(), a.label()));
        }
        _ => {}
    }
}

fn date_limit(limit: super::definition::DateLimit) -> &'static str {
    match limit {
        super::definition::DateLimit::Any => "any date",
        super::definition::DateLimit::PastOrToday => "today or earlier",
        super::definition::DateLimit::TodayOrFuture => "today or later",
    }
}

fn options_change(text: &str, before: &[String], after: &[String], changes: &mut Vec<Change>) {
    let added: Vec<String> = after
        .iter()
        .filter(|o| !before.contains(o))
        .cloned()
        .collect();
    let removed: Vec<String> = before
        .iter()
        .filter(|o| !after.contains(o))
        .cloned()
        .collect();
    let kept_before: Vec<&String> = before.iter().filter(|o| after.contains(o)).collect();
    let kept_after: Vec<&String> = after.iter().filter(|o| before.contains(o)).collect();
    let reordered = kept_before != kept_after;
    if !added.is_empty() || !removed.is_empty() || reordered {
        changes.push(Change::QuestionOptions {
            text: text.to_owned(),
            added,
            removed,
            reordered,
        });
    }
}

/// The positions in `sequence` outside one longest increasing run: the fewest
/// items that moved to give the new order.
fn out_of_order(sequence: &[usize]) -> BTreeSet<usize> {
    let n = sequence.len();
    if n == 0 {
        return BTreeSet::new();
    }
    // length[i]: the longest increasing run ending at i; previous[i]: the item before.
    let mut length = vec![1usize; n];
    let mut previous: Vec<Option<usize>> = vec![None; n];
    for i in 0..n {
        for j in 0..i {
            if sequence[j] < sequence[i] && length[j] + 1 > length[i] {
                length[i] = length[j] + 1;
                previous[i] = Some(j);
            }
        }
    }
    let mut end = (0..n)
        .max_by_key(|&i| (length[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    let mut kept = BTreeSet::new();
    loop {
        kept.insert(end);
        match previous[end] {
            Some(before) => end = before,
            None => break,
        }
    }
    (0..n).filter(|i| !kept.contains(i)).collect()
}
