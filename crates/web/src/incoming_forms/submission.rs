//! One submission in the processing area: the child's details as sent beside
//! the matched record, the proposal with its reasons, other candidates, a search
//! for another child, what differs, and the answers; with the step that fits
//! where it stands (confirm, choose, create, import, reject).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use send_app::App;
use send_app::incoming_forms::ProcessingView;
use send_domain::dates::{long_date, parse_date, uk_date, uk_time};
use send_domain::incoming_forms::ProcessingStatus;
use send_domain::{Child, ChildId, ChildSearch, ContactId, SubmissionId};
use serde::Deserialize;

use crate::back_office::Staff;
use crate::cases::date_input;
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::components::Input;
use crate::errors::WebError;
use crate::forms::submissions::answer_rows;
use crate::paths::IdPath;
use crate::question_page::FormErrors;

/// What the page was asked: a banner after a step, and a search for a child.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Asked {
    #[serde(default)]
    done: Option<String>,
    #[serde(default)]
    contact: Option<String>,
    #[serde(default)]
    find_name: Option<String>,
    #[serde(default, rename = "find_dob-day")]
    find_day: String,
    #[serde(default, rename = "find_dob-month")]
    find_month: String,
    #[serde(default, rename = "find_dob-year")]
    find_year: String,
}

/// A child the submission could be put on.
#[derive(Debug, Clone)]
struct ChildLine {
    id: ChildId,
    href: String,
    name: String,
    born: String,
    postcode: String,
    setting: String,
    /// "Likely match (score 83)", empty for a child found by search.
    verdict: String,
    reasons: String,
}

impl ChildLine {
    fn of(child: &Child, result: Option<&send_domain::MatchResult>) -> Self {
        let show = |v: Option<String>| v.unwrap_or_else(|| "not recorded".to_owned());
        Self {
            id: child.id,
            href: format!("/back-office/children/{}", child.id),
            name: child.display_name(),
            born: long_date(child.date_of_birth),
            postcode: show(child.address.postcode.as_ref().map(ToString::to_string)),
            setting: show(child.setting.as_ref().map(ToString::to_string)),
            verdict: result.map_or_else(String::new, |r| {
                format!("{} (score {} out of 100)", r.verdict.label(), r.score)
            }),
            reasons: result.map_or_else(String::new, send_domain::MatchResult::summary),
        }
    }
}

#[derive(Debug, Clone)]
struct Difference {
    code: &'static str,
    label: &'static str,
    recorded: String,
    submitted: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "incoming_forms/submission.html")]
struct Page {
    chrome: Chrome,
    csrf: String,
    id: SubmissionId,
    version: u32,
    title: String,
    reference: String,
    status: &'static str,
    colour: &'static str,
    flash: Option<String>,
    by: String,
    received: String,
    form_version: u32,
    open: bool,
    suspense_reason: Option<&'static str>,
    /// Proposed by the matcher, not yet confirmed.
    proposed: Option<ChildLine>,
    /// Confirmed, waiting to be imported.
    matched: Option<ChildLine>,
    /// Imported onto this child's record.
    imported: Option<ChildLine>,
    involvement: Option<String>,
    rejected: Option<String>,
    sent: Vec<(String, String)>,
    differences: Vec<Difference>,
    candidates: Vec<ChildLine>,
    search_fields: Vec<String>,
    searched: bool,
    found: Vec<ChildLine>,
    invite: Option<(String, String)>,
    may_create: bool,
    answers: Vec<(String, String)>,
}

fn sent_rows(view: &ProcessingView) -> Vec<(String, String)> {
    let d = &view.submitted.details;
    let mut rows = Vec::new();
    let mut add = |label: &str, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            rows.push((label.to_owned(), value));
        }
    };
    add(
        "Name",
        match (&d.first_name, &d.last_name) {
            (Some(first), Some(last)) => Some(format!("{first} {last}")),
            _ => None,
        },
    );
    add("Date of birth", d.date_of_birth.map(long_date));
    add(
        "Address",
        view.submitted.address.as_ref().map(|a| {
            [&a.line_1, &a.line_2, &a.town, &a.postcode]
                .into_iter()
                .filter(|s| !s.trim().is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        }),
    );
    add("School or setting", d.setting.clone());
    add("UPN", d.upn.as_ref().map(|x| x.as_str().to_owned()));
    add("ULN", d.uln.as_ref().map(|x| x.as_str().to_owned()));
    add(
        "NHS number",
        d.nhs_number.as_ref().map(send_domain::NhsNumber::spaced),
    );
    add(
        "Parent or carer",
        (!d.parents.is_empty()).then(|| d.parents.join(", ")),
    );
    rows
}

fn flash(done: Option<&str>) -> Option<String> {
    Some(
        match done? {
            "matched" => "Child confirmed. Check the details, then import the form.",
            "created" => "Child’s record added. Check the details, then import the form.",
            "rejected" => "Form rejected. We have emailed your message to the person who sent it.",
            "imported" => "Form imported onto the child’s record.",
            "already" => "This form was already imported. Nothing was changed.",
            _ => return None,
        }
        .to_owned(),
    )
}

fn search_fields(asked: &Asked, errors: &FormErrors) -> Vec<String> {
    vec![
        Input::new("find_name", "Name")
            .value(asked.find_name.clone().unwrap_or_default())
            .classes("govuk-!-width-two-thirds")
            .error_opt(errors.get("find_name"))
            .to_string(),
        date_input(
            "find_dob",
            "Date of birth (optional)",
            (&asked.find_day, &asked.find_month, &asked.find_year),
            errors.get("find_dob"),
        )
        .to_string(),
    ]
}

/// A search for another child, by name and (if given) date of birth: the
/// problems with what was typed, or the children found.
async fn search(
    app: &App,
    staff: &Staff,
    asked: &Asked,
    source: &send_app::audit::Source,
) -> Result<(FormErrors, Vec<ChildLine>), WebError> {
    let mut errors = FormErrors::default();
    let name = asked.find_name.clone().unwrap_or_default();
    if name.trim().is_empty() {
        errors.add("find_name", "Enter a name to search for");
    }
    let typed = [&asked.find_day, &asked.find_month, &asked.find_year];
    let dob = if typed.iter().all(|s| s.trim().is_empty()) {
        None
    } else {
        match parse_date(
            "Date of birth",
            &asked.find_day,
            &asked.find_month,
            &asked.find_year,
        ) {
            Ok(date) => Some(date),
            Err(problem) => {
                errors.add("find_dob", problem.to_string());
                None
            }
        }
    };
    if !errors.is_empty() {
        return Ok((errors, Vec::new()));
    }
    let search = ChildSearch {
        name: Some(name.trim().to_owned()),
        date_of_birth: dob,
        ..ChildSearch::default()
    };
    let found = app
        .search_children(&staff.access, &search, source)
        .await?
        .iter()
        .map(|c| ChildLine::of(c, None))
        .collect();
    Ok((errors, found))
}

/// The link to invite the sender of a family's request, just imported.
fn invite(
    view: &ProcessingView,
    asked: &Asked,
    imported: Option<&ChildLine>,
) -> Option<(String, String)> {
    let contact: uuid::Uuid = asked.contact.as_deref()?.parse().ok()?;
    let child = imported?;
    if asked.done.as_deref() != Some("imported") || !view.from_family_request() {
        return None;
    }
    // The contact was made from the name the sender gave in the form.
    let name = view.submitted.details.parents.first()?.clone();
    Some((
        format!(
            "/back-office/children/{}/invitations/new?contact={}&role=parent",
            child.id,
            ContactId::from_uuid(contact)
        ),
        name,
    ))
}

pub async fn show(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<SubmissionId>,
    Query(asked): Query<Asked>,
) -> Result<Response, WebError> {
    let view = app.processing_view(&staff.access, id, &source).await?;
    let p = &view.submission.processing;
    let open = p.status.is_open();
    let searched = open && asked.find_name.is_some();
    let (errors, found) = if searched {
        search(&app, &staff, &asked, &source).await?
    } else {
        (FormErrors::default(), Vec::new())
    };
    let line = view
        .child
        .as_ref()
        .map(|c| ChildLine::of(c, p.result.as_ref()));
    let (proposed, matched, imported) = match p.status {
        ProcessingStatus::Imported => (None, None, line),
        _ if !open => (None, None, None),
        _ if p.confirmed => (None, line, None),
        _ => (line, None, None),
    };
    let invite = invite(&view, &asked, imported.as_ref());
    let involvement = p
        .involvement_id
        .filter(|_| p.status == ProcessingStatus::Imported)
        .map(|i| format!("/back-office/involvements/{i}"));
    Ok(Page {
        chrome: staff.signed_in.chrome(&app),
        csrf: staff.signed_in.csrf.clone(),
        id,
        version: p.version,
        title: view.submission.title.clone(),
        reference: view.submission.reference.clone(),
        status: p.label(),
        colour: p.status.tag_colour(),
        flash: flash(asked.done.as_deref()),
        by: view
            .submitter
            .as_ref()
            .map_or_else(String::new, |a| format!("{} ({})", a.name, a.email)),
        received: format!(
            "{} (counts as received on {})",
            uk_time(view.submission.submitted_at),
            long_date(uk_date(view.submission.submitted_at))
        ),
        form_version: view.submission.version_number,
        open,
        suspense_reason: p.suspense_reason(),
        proposed,
        matched,
        imported,
        involvement,
        rejected: p.message.clone(),
        sent: sent_rows(&view),
        differences: view
            .differences
            .iter()
            .map(|d| Difference {
                code: d.detail.code(),
                label: d.detail.label(),
                recorded: if d.recorded.is_empty() {
                    "Not recorded".to_owned()
                } else {
                    d.recorded.clone()
                },
                submitted: d.submitted.clone(),
            })
            .collect(),
        candidates: view
            .candidates
            .iter()
            .map(|c| ChildLine::of(&c.child, Some(&c.result)))
            .collect(),
        search_fields: search_fields(&asked, &errors),
        searched: searched && errors.is_empty(),
        found,
        invite,
        may_create: staff.access.has(send_domain::Permission::EditCases),
        answers: answer_rows(&view.version.definition, &view.submission.answers, id),
    }
    .into_response())
}
