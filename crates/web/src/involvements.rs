//! Involvements in the back office: open one, see its timeline and key dates,
//! change its stage, record an exception; and the caseloads.

use crate::routes::Routes;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use http::StatusCode;
use send_app::involvements::{
    Caseload, CaseloadFilter, InvolvementView, NewInvolvement, Scope, StageMove, StagePreview,
};
use send_app::{App, AppError};
use send_domain::dates::{long_date, parse_past_date};
use send_domain::involvements::{CeaseReason, InvolvementKind, Requester, Stage};
use send_domain::involvements::{Review, ReviewDecision};
use send_domain::timeline::{Exception, KeyDate, KeyDateStatus, RecordedException};
use send_domain::{Child, ChildId, InvolvementId, Permission};
use serde::Deserialize;

use crate::accounts::{FLASH, Flash, keep, take};
use crate::back_office::Staff;
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::components::{
    CharacterCount, ChoiceItem, DateInput, Legend, NotificationBanner, Radios, Select, SelectItem,
    SummaryList, SummaryListRow, Tag, Textarea, escape,
};
use crate::csrf::CsrfForm;
use crate::errors::WebError;
use crate::paths::IdPath;
use crate::question_page::{FormErrors, FormPage, see_other};

pub fn router() -> Routes {
    Routes::new()
        .route(
            "/back-office/children/{id}/involvements/new",
            get(show_new).post(submit_new),
        )
        .route("/back-office/involvements/{id}", get(show))
        .route("/back-office/involvements/{id}/stage", post(submit_stage))
        .route(
            "/back-office/involvements/{id}/stage/check",
            post(submit_stage_check),
        )
        .route(
            "/back-office/involvements/{id}/correct-stage",
            get(show_correct).post(submit_correct),
        )
        .route(
            "/back-office/involvements/{id}/exceptions",
            post(submit_exception),
        )
        .route(
            "/back-office/involvements/{id}/reviews",
            post(submit_review),
        )
        .route(
            "/back-office/involvements/{id}/amended-plan",
            post(submit_amended),
        )
        .route("/back-office/caseload", get(caseload))
}

pub(crate) fn legend(text: &str) -> Legend {
    Legend {
        classes: Some("govuk-fieldset__legend--s".to_owned()),
        ..Legend::new(text)
    }
}

pub(crate) fn date_box(
    name: &str,
    label: &str,
    value: (&str, &str, &str),
    error: Option<String>,
) -> String {
    let mut input = DateInput::new(name, legend(label))
        .hint("For example, 27 3 2026")
        .date_values(value.0, value.1, value.2);
    if let Some(error) = error {
        input = input.error(error);
    }
    input.to_string()
}

/// A key date's status as a tag: words first, colour only as a help.
pub fn status_tag(key: &KeyDate) -> Tag {
    match &key.status {
        KeyDateStatus::NotStarted => Tag::colour("Not started", "grey"),
        KeyDateStatus::Upcoming => Tag::colour("Upcoming", "blue"),
        KeyDateStatus::DueSoon => Tag::colour("Due soon", "yellow"),
        KeyDateStatus::MetOn(on) => Tag::colour(format!("Met on {}", long_date(*on)), "green"),
        KeyDateStatus::Late { days_late, .. } => {
            Tag::colour(format!("Met {days_late} days late"), "orange")
        }
        KeyDateStatus::Missed { days_overdue } => {
            Tag::colour(format!("Missed by {days_overdue} days"), "red")
        }
        KeyDateStatus::Passed => Tag::colour("Passed", "grey"),
        KeyDateStatus::Excused { exception } => {
            Tag::colour(format!("Excused: {}", exception.kind.label()), "purple")
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct NewForm {
    #[serde(default)]
    kind: String,
    #[serde(default, rename = "start-day")]
    start_day: String,
    #[serde(default, rename = "start-month")]
    start_month: String,
    #[serde(default, rename = "start-year")]
    start_year: String,
    #[serde(default)]
    requested_by: String,
    #[serde(default)]
    assign_to_me: Option<String>,
}

fn new_page(
    app: &App,
    staff: &Staff,
    child: &Child,
    form: &NewForm,
    errors: &FormErrors,
) -> Response {
    let mut kinds = Radios::new("kind")
        .legend(legend("What is it?"))
        .error_opt(errors.get("kind"));
    for kind in InvolvementKind::ALL {
        kinds = kinds.item(
            ChoiceItem::new(kind.code(), kind.label())
                .hint(match kind {
                    InvolvementKind::Assessment => "Starts on the date the request was received",
                    InvolvementKind::Plan => "An existing plan: starts on the date it was issued",
                    InvolvementKind::Reassessment => {
                        "Starts on the date the council agreed to re-assess"
                    }
                })
                .checked(form.kind == kind.code()),
        );
    }
    let mut requested = Select::new("requested_by", "Who asked for it (optional)")
        .item(SelectItem::new("", "Not recorded"))
        .value(&form.requested_by);
    for requester in Requester::ALL {
        requested = requested.item(SelectItem::new(requester.code(), requester.label()));
    }
    let assign = crate::components::Checkboxes::new("assign_to_me").item(
        ChoiceItem::new("yes", "I am the caseworker for this").checked(form.assign_to_me.is_some()),
    );
    FormPage::new(
        staff.signed_in.chrome(app),
        &format!("Open an involvement for {}", child.display_name()),
        &format!("/back-office/children/{}/involvements/new", child.id),
        staff.signed_in.csrf.clone(),
        "Open",
    )
    .errors(errors)
    .back(&format!("/back-office/children/{}", child.id))
    .field(&kinds)
    .field(&date_box(
        "start",
        "Start date",
        (&form.start_day, &form.start_month, &form.start_year),
        errors.get("start"),
    ))
    .field(&requested)
    .field(&assign)
    .respond()
}

pub async fn show_new(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ChildId>,
) -> Result<Response, WebError> {
    let child = app
        .authorise_child(&staff.access, send_domain::CaseAction::Edit, id, &source)
        .await?;
    let form = NewForm {
        assign_to_me: Some("yes".to_owned()),
        ..NewForm::default()
    };
    Ok(new_page(
        &app,
        &staff,
        &child,
        &form,
        &FormErrors::default(),
    ))
}

pub async fn submit_new(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ChildId>,
    CsrfForm(form): CsrfForm<NewForm>,
) -> Result<Response, WebError> {
    let child = app
        .authorise_child(&staff.access, send_domain::CaseAction::Edit, id, &source)
        .await?;
    let mut errors = FormErrors::default();
    let kind = form.kind.parse::<InvolvementKind>().ok();
    if kind.is_none() {
        errors.add("kind", "Select what kind of involvement it is");
    }
    let start = errors.check(
        "start",
        parse_past_date(
            "Start date",
            &form.start_day,
            &form.start_month,
            &form.start_year,
            app.clock.now().date(),
        ),
    );
    let requested_by = form.requested_by.parse::<Requester>().ok();
    let (Some(kind), Some(start), true) = (kind, start, errors.is_empty()) else {
        return Ok(new_page(&app, &staff, &child, &form, &errors));
    };
    let involvement = app
        .open_involvement(
            &staff.access,
            NewInvolvement {
                child_id: id,
                kind,
                start,
                requested_by,
                caseworker: form
                    .assign_to_me
                    .is_some()
                    .then_some(staff.access.account_id),
            },
            &source,
        )
        .await?;
    Ok(see_other(&format!(
        "/back-office/involvements/{involvement}"
    )))
}

/// One key date as the involvement page shows it.
#[derive(Debug)]
pub struct KeyDateRow {
    pub title: String,
    pub due: String,
    pub tag: Tag,
    pub reference: String,
    pub exception: Option<String>,
}

fn key_date_rows(view: &InvolvementView) -> Vec<KeyDateRow> {
    view.key_dates
        .iter()
        .map(|key| KeyDateRow {
            title: key.rule.title.to_string(),
            due: key.due.map_or_else(|| "Not started".to_owned(), long_date),
            tag: status_tag(key),
            reference: key.rule.reference.to_string(),
            exception: match &key.status {
                KeyDateStatus::Excused { exception } => Some(format!(
                    "{} ({}): {}",
                    exception.kind.label(),
                    exception.kind.reference(),
                    exception.reason
                )),
                _ => None,
            },
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "back_office/involvement.html")]
pub struct InvolvementPage {
    chrome: Chrome,
    child_id: ChildId,
    child_name: String,
    id: InvolvementId,
    /// The version shown, sent back with the stage form.
    version: u32,
    kind: String,
    stage: String,
    stage_since: String,
    path: Vec<(String, bool)>,
    key_dates: Vec<KeyDateRow>,
    advice: Vec<AdviceRow>,
    /// Whether advice can still be requested (the involvement is open).
    open: bool,
    /// The success banner (HTML) after a step.
    banner: Option<String>,
    /// The stage before the last move, while that move can be corrected.
    previous_stage: Option<String>,
    can_edit: bool,
    has_errors: bool,
    summary: crate::components::ErrorSummary,
    csrf: String,
    stage_fields: Vec<String>,
    exception_fields: Vec<String>,
    /// For a plan in force: the annual review form.
    review_fields: Vec<String>,
    /// For a plan whose review decided to amend it: the amended plan form.
    amended_fields: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct StageForm {
    #[serde(default)]
    to: String,
    #[serde(default, rename = "on-day")]
    on_day: String,
    #[serde(default, rename = "on-month")]
    on_month: String,
    #[serde(default, rename = "on-year")]
    on_year: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    cease_reason: String,
    /// The version of the involvement the page showed (absent from a form
    /// posted without the page: the version read now is used).
    #[serde(default)]
    version: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct ExceptionForm {
    #[serde(default)]
    rule: String,
    #[serde(default)]
    exception: String,
    #[serde(default)]
    reason: String,
}

fn stage_fields(view: &InvolvementView, form: &StageForm, errors: &FormErrors) -> Vec<String> {
    let inv = &view.involvement;
    let next = inv.stage.next(inv.kind);
    if next.is_empty() {
        return Vec::new();
    }
    let mut radios = Radios::new("to")
        .legend(legend("Move to"))
        .error_opt(errors.get("to"));
    for stage in next {
        radios = radios
            .item(ChoiceItem::new(stage.code(), stage.label()).checked(form.to == stage.code()));
    }
    let mut fields = vec![
        radios.to_string(),
        date_box(
            "on",
            "Date",
            (&form.on_day, &form.on_month, &form.on_year),
            errors.get("on"),
        ),
    ];
    if next.contains(&Stage::PlanCeased) {
        let mut reasons = Select::new("cease_reason", "Why the plan ended")
            .item(SelectItem::new("", "Select a reason"))
            .value(&form.cease_reason)
            .error_opt(errors.get("cease_reason"));
        for reason in CeaseReason::ALL {
            reasons = reasons.item(SelectItem::new(reason.code(), reason.label()));
        }
        fields.push(reasons.to_string());
    }
    fields.push(
        Textarea::new("note", "Note (optional)")
            .value(&form.note)
            .rows(3)
            .to_string(),
    );
    fields
}

fn exception_fields(
    view: &InvolvementView,
    form: &ExceptionForm,
    errors: &FormErrors,
) -> Vec<String> {
    let mut rules = Select::new("rule", "Deadline")
        .item(SelectItem::new("", "Select a deadline"))
        .value(&form.rule)
        .error_opt(errors.get("rule"));
    for key in &view.key_dates {
        rules = rules.item(SelectItem::new(
            key.rule.code.to_string(),
            key.rule.title.to_string(),
        ));
    }
    let mut kinds = Radios::new("exception")
        .legend(legend("Exception"))
        .error_opt(errors.get("exception"));
    for kind in Exception::ALL {
        kinds = kinds.item(
            ChoiceItem::new(kind.code(), kind.label())
                .hint(kind.reference())
                .checked(form.exception == kind.code()),
        );
    }
    vec![
        rules.to_string(),
        kinds.to_string(),
        Textarea::new("reason", "Reason")
            .value(&form.reason)
            .rows(3)
            .error_opt(errors.get("reason"))
            .to_string(),
    ]
}

/// The forms of an involvement page, as typed (only the one posted has values).
#[derive(Debug, Default)]
pub struct Forms {
    stage: StageForm,
    exception: ExceptionForm,
    review: ReviewForm,
    /// The success banner (HTML) for what a step just did.
    banner: Option<String>,
}

/// A request for advice as the involvement page lists it.
#[derive(Debug)]
pub struct AdviceRow {
    pub id: String,
    pub kind: String,
    pub recipient: String,
    pub sent: String,
    pub due: String,
    pub tag: Tag,
    pub awaited: bool,
}

fn advice_rows(view: &InvolvementView) -> Vec<AdviceRow> {
    view.advice
        .iter()
        .map(|line| AdviceRow {
            id: line.request.id.to_string(),
            kind: line.request.kind.label().to_owned(),
            recipient: line.request.recipient.as_str().to_owned(),
            sent: long_date(line.request.sent_on),
            due: long_date(line.request.due_on),
            tag: crate::advice::advice_tag(line),
            awaited: line.request.is_awaited(),
        })
        .collect()
}

/// The banner after an advice step.
fn advice_banner(done: &str) -> Option<&'static str> {
    match done {
        "requested" => Some(
            "Request for advice recorded. Reminders will go out before and after the due date.",
        ),
        "received" => Some("Advice recorded as received. Its reminders have stopped."),
        "withdrawn" => Some("Request for advice withdrawn. Its reminders have stopped."),
        _ => None,
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct Done {
    #[serde(default)]
    done: String,
}

fn involvement_page(
    app: &App,
    staff: &Staff,
    child: &Child,
    view: &InvolvementView,
    forms: &Forms,
    errors: &FormErrors,
) -> Response {
    let (stage_form, exception_form, review_form) = (&forms.stage, &forms.exception, &forms.review);
    let inv = &view.involvement;
    let path: Vec<(String, bool)> = inv
        .stage_path()
        .into_iter()
        .map(|(stage, current)| (stage.label().to_owned(), current))
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    (
        status,
        InvolvementPage {
            chrome: staff.signed_in.chrome(app),
            child_id: child.id,
            child_name: child.display_name(),
            id: inv.id,
            version: inv.version,
            kind: inv.kind.label().to_owned(),
            stage: inv.stage.label().to_owned(),
            stage_since: long_date(inv.stage_since),
            path,
            key_dates: key_date_rows(view),
            advice: advice_rows(view),
            open: !inv.stage.is_closed(),
            banner: forms.banner.clone(),
            previous_stage: inv.previous.map(|p| p.stage.label().to_owned()),
            can_edit: staff.access.has(Permission::EditCases),
            has_errors: !errors.is_empty(),
            summary: errors.summary(),
            csrf: staff.signed_in.csrf.clone(),
            stage_fields: stage_fields(view, stage_form, errors),
            exception_fields: exception_fields(view, exception_form, errors),
            review_fields: review_fields(view, review_form, errors),
            amended_fields: amended_fields(view, review_form, errors),
        },
    )
        .into_response()
}

pub async fn show(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<InvolvementId>,
    Query(done): Query<Done>,
) -> Result<Response, WebError> {
    let (child, view) = app
        .open_involvement_page(&staff.access, id, &source)
        .await?;
    let flash = take::<Flash>(&staff.signed_in.session, FLASH).await?;
    let banner = flash.map(|f| f.banner()).or_else(|| {
        advice_banner(&done.done).map(|text| NotificationBanner::success(text).to_string())
    });
    Ok(involvement_page(
        &app,
        &staff,
        &child,
        &view,
        &Forms {
            banner,
            ..Forms::default()
        },
        &FormErrors::default(),
    ))
}

/// The stage form's answers as a move, or the errors to show. A form posted
/// without the page's version is guarded by the version read now (`seen`).
fn stage_move(app: &App, form: &StageForm, seen: u32) -> (FormErrors, Option<StageMove>) {
    let mut errors = FormErrors::default();
    let to = form.to.parse::<Stage>().ok();
    if to.is_none() {
        errors.add("to", "Select the stage to move to");
    }
    let on = errors.check(
        "on",
        parse_past_date(
            "Date",
            &form.on_day,
            &form.on_month,
            &form.on_year,
            app.clock.now().date(),
        ),
    );
    let change = match (to, on, errors.is_empty()) {
        (Some(to), Some(on), true) => Some(StageMove {
            to,
            on,
            note: Some(form.note.trim().to_owned()).filter(|n| !n.is_empty()),
            cease_reason: form.cease_reason.parse::<CeaseReason>().ok(),
            seen_version: form.version.parse().unwrap_or(seen),
        }),
        _ => None,
    };
    (errors, change)
}

/// The involvement page again, with the stage form as typed and its errors.
async fn stage_form_again(
    app: &App,
    staff: &Staff,
    (child, involvement): (&Child, send_domain::involvements::Involvement),
    form: StageForm,
    errors: &FormErrors,
) -> Result<Response, WebError> {
    let view = app.view_of(involvement).await?;
    let forms = Forms {
        stage: form,
        ..Forms::default()
    };
    Ok(involvement_page(app, staff, child, &view, &forms, errors))
}

/// Where a key date stands, in words, for the confirmation page.
fn key_date_words(key: &KeyDate) -> String {
    let due = key.due.map_or_else(|| "Not started".to_owned(), long_date);
    let status = status_tag(key).text.unwrap_or_default();
    if status.is_empty() || status == due {
        due
    } else {
        format!("{due} ({status})")
    }
}

/// What the move changes, for the confirmation page: the new stage, the
/// deadlines it changes and what the family sees.
fn stage_consequences(preview: &StagePreview) -> String {
    let child = preview.child.display_name();
    let mut html = format!(
        r#"<p class="govuk-body">The stage will be <strong>{}</strong> from {}. {}’s SEND Dashboard will show the new stage.</p>"#,
        escape(preview.to.label()),
        escape(&long_date(preview.on)),
        escape(&child),
    );
    html.push_str(r#"<h2 class="govuk-heading-m">Key dates that change</h2>"#);
    if preview.changed.is_empty() {
        html.push_str(r#"<p class="govuk-body">No key date changes.</p>"#);
    } else {
        let mut list = SummaryList::new();
        for (now, after) in &preview.changed {
            let after = after
                .as_ref()
                .map_or_else(|| "no longer applies".to_owned(), key_date_words);
            list = list.row(SummaryListRow::new(
                now.rule.title.to_string(),
                format!("Now: {}. After the move: {after}", key_date_words(now)),
            ));
        }
        html.push_str(&list.to_string());
    }
    html.push_str(
        r#"<p class="govuk-body">If you move the stage by mistake, you can correct it from the involvement page.</p>"#,
    );
    html
}

/// The hidden fields that carry the stage form's answers to the move.
fn stage_hidden_fields(form: &StageForm, version: u32) -> String {
    [
        ("to", form.to.as_str()),
        ("on-day", form.on_day.as_str()),
        ("on-month", form.on_month.as_str()),
        ("on-year", form.on_year.as_str()),
        ("note", form.note.as_str()),
        ("cease_reason", form.cease_reason.as_str()),
    ]
    .iter()
    .map(|(name, value)| {
        format!(
            r#"<input type="hidden" name="{name}" value="{}">"#,
            escape(value)
        )
    })
    .chain(std::iter::once(format!(
        r#"<input type="hidden" name="version" value="{version}">"#
    )))
    .collect()
}

/// The stage form's first step: checks the answers and shows what the move
/// would do, asking to confirm it (nothing is written yet).
pub async fn submit_stage_check(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<InvolvementId>,
    CsrfForm(form): CsrfForm<StageForm>,
) -> Result<Response, WebError> {
    let (child, involvement) = app
        .authorise_involvement(&staff.access, send_domain::CaseAction::Edit, id, &source)
        .await?;
    let (mut errors, change) = stage_move(&app, &form, involvement.version);
    if let Some(change) = change {
        match app
            .preview_stage_move(&staff.access, id, &change, &source)
            .await?
        {
            Ok(preview) => {
                let inv = &preview.involvement;
                let page = FormPage::new(
                    staff.signed_in.chrome(&app),
                    &format!(
                        "Move {}’s {} to ‘{}’?",
                        child.display_name(),
                        inv.kind.label(),
                        preview.to.label()
                    ),
                    &format!("/back-office/involvements/{id}/stage"),
                    staff.signed_in.csrf.clone(),
                    "Move stage",
                )
                .back(&format!("/back-office/involvements/{id}"))
                .intro(format!(
                    "It is at ‘{}’ now, since {}.",
                    inv.stage.label(),
                    long_date(inv.stage_since)
                ))
                .before_form(stage_consequences(&preview))
                .field(&stage_hidden_fields(&form, change.seen_version))
                .after_form(format!(
                    r#"<p class="govuk-body"><a class="govuk-link" href="/back-office/involvements/{id}">Cancel</a></p>"#
                ));
                return Ok(page.respond());
            }
            Err(refused @ send_domain::involvements::StageError::BeforeCurrentStage(_)) => {
                stage_error(&mut errors, "on", &refused);
            }
            Err(refused) => stage_error(&mut errors, "to", &refused),
        }
    }
    stage_form_again(&app, &staff, (&child, involvement), form, &errors).await
}

/// Moves the stage (the confirmation page's button, or a client that skips it).
pub async fn submit_stage(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<InvolvementId>,
    CsrfForm(form): CsrfForm<StageForm>,
) -> Result<Response, WebError> {
    let (child, involvement) = app
        .authorise_involvement(&staff.access, send_domain::CaseAction::Edit, id, &source)
        .await?;
    let (mut errors, change) = stage_move(&app, &form, involvement.version);
    if let Some(change) = change {
        let (to, on) = (change.to, change.on);
        match app.change_stage(&staff.access, id, change, &source).await {
            Err(AppError::Changed) => {
                // Show the involvement as it is now, with what the person typed.
                let (_, now) = app
                    .authorise_involvement(
                        &staff.access,
                        send_domain::CaseAction::Edit,
                        id,
                        &source,
                    )
                    .await?;
                errors.add(
                    "to",
                    format!(
                        "Someone else changed this {} while you were working on it: it is now at \
                         ‘{}’. Check the stage and date below, then save again",
                        now.kind.label(),
                        now.stage.label()
                    ),
                );
                let mut page = stage_form_again(&app, &staff, (&child, now), form, &errors).await?;
                *page.status_mut() = StatusCode::CONFLICT;
                return Ok(page);
            }
            Err(other) => return Err(other.into()),
            Ok(Ok(())) => {
                let text = format!("Stage moved to ‘{}’ on {}", to.label(), long_date(on));
                keep(&staff.signed_in.session, FLASH, &Flash::success(&text)).await?;
                return Ok(see_other(&format!("/back-office/involvements/{id}")));
            }
            Ok(Err(refused @ send_domain::involvements::StageError::BeforeCurrentStage(_))) => {
                stage_error(&mut errors, "on", &refused);
            }
            Ok(Err(refused)) => stage_error(&mut errors, "to", &refused),
        }
    }
    stage_form_again(&app, &staff, (&child, involvement), form, &errors).await
}

#[derive(Debug, Default, Deserialize)]
pub struct CorrectForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    version: String,
}

/// "Correct a stage moved by mistake": what goes back, and the reason.
fn correct_page(
    app: &App,
    staff: &Staff,
    (child, involvement): (&Child, &send_domain::involvements::Involvement),
    form: &CorrectForm,
    errors: &FormErrors,
) -> Result<Response, WebError> {
    let Some(previous) = involvement.previous else {
        return Err(WebError::NotFound);
    };
    let id = involvement.id;
    let mut reason = CharacterCount::new(
        "reason",
        "Why are you correcting the stage?",
        u32::try_from(send_domain::ChangeReason::MAX_CHARS).unwrap_or(u32::MAX),
    )
    .hint("For example, the wrong stage or date was chosen. This is kept on the chronology.")
    .value(&form.reason);
    if let Some(error) = errors.get("reason") {
        reason = reason.error(error);
    }
    let version = if form.version.is_empty() {
        involvement.version.to_string()
    } else {
        form.version.clone()
    };
    Ok(FormPage::new(
        staff.signed_in.chrome(app),
        &format!(
            "Put {}’s {} back to ‘{}’?",
            child.display_name(),
            involvement.kind.label(),
            previous.stage.label()
        ),
        &format!("/back-office/involvements/{id}/correct-stage"),
        staff.signed_in.csrf.clone(),
        "Correct the stage",
    )
    .errors(errors)
    .back(&format!("/back-office/involvements/{id}"))
    .intro(format!(
        "The move to ‘{}’ on {} is undone: the stage goes back to ‘{}’, as it was from {}, \
         and the key dates are worked out again without that move.",
        involvement.stage.label(),
        long_date(involvement.stage_since),
        previous.stage.label(),
        long_date(previous.since)
    ))
    .intro(
        "The move stays on the chronology, with this correction and its reason after it. \
         Only the last move can be corrected.",
    )
    .field(&format!(
        r#"<input type="hidden" name="version" value="{}">"#,
        escape(&version)
    ))
    .field(&reason)
    .after_form(format!(
        r#"<p class="govuk-body"><a class="govuk-link" href="/back-office/involvements/{id}">Cancel</a></p>"#
    ))
    .respond())
}

/// Back to the involvement page, which says there is no move to correct (it
/// was corrected meanwhile, or something else was recorded since).
async fn nothing_to_correct(staff: &Staff, id: InvolvementId) -> Result<Response, WebError> {
    let text = send_domain::involvements::StageError::NothingToCorrect.to_string();
    keep(&staff.signed_in.session, FLASH, &Flash::important(&text)).await?;
    Ok(see_other(&format!("/back-office/involvements/{id}")))
}

pub async fn show_correct(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<InvolvementId>,
) -> Result<Response, WebError> {
    let (child, involvement) = app
        .authorise_involvement(&staff.access, send_domain::CaseAction::Edit, id, &source)
        .await?;
    if involvement.previous.is_none() {
        return nothing_to_correct(&staff, id).await;
    }
    correct_page(
        &app,
        &staff,
        (&child, &involvement),
        &CorrectForm::default(),
        &FormErrors::default(),
    )
}

pub async fn submit_correct(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<InvolvementId>,
    CsrfForm(form): CsrfForm<CorrectForm>,
) -> Result<Response, WebError> {
    let (child, involvement) = app
        .authorise_involvement(&staff.access, send_domain::CaseAction::Edit, id, &source)
        .await?;
    let mut errors = FormErrors::default();
    match send_domain::ChangeReason::parse(&form.reason) {
        Ok(reason) => {
            let seen = form.version.parse().unwrap_or(involvement.version);
            match app
                .correct_stage(&staff.access, id, &reason, seen, &source)
                .await
            {
                Ok(Ok(back_to)) => {
                    let text = format!("Stage corrected. It is back at ‘{}’", back_to.label());
                    keep(&staff.signed_in.session, FLASH, &Flash::success(&text)).await?;
                    return Ok(see_other(&format!("/back-office/involvements/{id}")));
                }
                Ok(Err(_)) => return nothing_to_correct(&staff, id).await,
                Err(AppError::Changed) => errors.add(
                    "reason",
                    "Someone else changed this involvement while you were working on it. \
                     Check the involvement page before you correct the stage",
                ),
                Err(other) => return Err(other.into()),
            }
        }
        Err(problem) => errors.add("reason", problem.to_string()),
    }
    if involvement.previous.is_none() {
        return nothing_to_correct(&staff, id).await;
    }
    correct_page(
        &app,
        &staff,
        (&child, &involvement),
        &CorrectForm {
            version: involvement.version.to_string(),
            ..form
        },
        &errors,
    )
}

pub async fn submit_exception(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<InvolvementId>,
    CsrfForm(form): CsrfForm<ExceptionForm>,
) -> Result<Response, WebError> {
    let (child, involvement) = app
        .authorise_involvement(&staff.access, send_domain::CaseAction::Edit, id, &source)
        .await?;
    let mut errors = FormErrors::default();
    let known = involvement.kind.rules().iter().any(|r| r.code == form.rule);
    if !known {
        errors.add("rule", "Select the deadline the exception applies to");
    }
    let kind = form.exception.parse::<Exception>().ok();
    if kind.is_none() {
        errors.add("exception", "Select the exception");
    }
    if let Some(kind) = kind.filter(|_| known) {
        match RecordedException::new(
            kind,
            form.rule.clone(),
            &form.reason,
            app.clock.now().date(),
        ) {
            Ok(exception) if errors.is_empty() => {
                app.record_exception(&staff.access, id, exception, &source)
                    .await?;
                return Ok(see_other(&format!("/back-office/involvements/{id}")));
            }
            Ok(_) => {}
            Err(err) => errors.add("reason", err.to_string()),
        }
    } else if form.reason.trim().is_empty() {
        errors.add("reason", "Enter the reason for the exception");
    }
    let view = app.view_of(involvement).await?;
    let forms = Forms {
        exception: form,
        ..Forms::default()
    };
    Ok(involvement_page(
        &app, &staff, &child, &view, &forms, &errors,
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct ReviewForm {
    #[serde(default, rename = "notice-day")]
    notice_day: String,
    #[serde(default, rename = "notice-month")]
    notice_month: String,
    #[serde(default, rename = "notice-year")]
    notice_year: String,
    #[serde(default, rename = "report-day")]
    report_day: String,
    #[serde(default, rename = "report-month")]
    report_month: String,
    #[serde(default, rename = "report-year")]
    report_year: String,
    #[serde(default, rename = "meeting-day")]
    meeting_day: String,
    #[serde(default, rename = "meeting-month")]
    meeting_month: String,
    #[serde(default, rename = "meeting-year")]
    meeting_year: String,
    #[serde(default)]
    decision: String,
    #[serde(default, rename = "decided-day")]
    decided_day: String,
    #[serde(default, rename = "decided-month")]
    decided_month: String,
    #[serde(default, rename = "decided-year")]
    decided_year: String,
    #[serde(default)]
    cease_reason: String,
    #[serde(default, rename = "amended-day")]
    amended_day: String,
    #[serde(default, rename = "amended-month")]
    amended_month: String,
    #[serde(default, rename = "amended-year")]
    amended_year: String,
}

fn review_fields(view: &InvolvementView, form: &ReviewForm, errors: &FormErrors) -> Vec<String> {
    let inv = &view.involvement;
    if inv.kind != InvolvementKind::Plan || inv.stage != Stage::PlanInForce {
        return Vec::new();
    }
    let mut decisions = Radios::new("decision")
        .legend(legend("Decision"))
        .error_opt(errors.get("decision"));
    for decision in ReviewDecision::ALL {
        decisions = decisions.item(
            ChoiceItem::new(decision.code(), decision.label())
                .checked(form.decision == decision.code()),
        );
    }
    let mut reasons = Select::new("cease_reason", "If the plan stops: why")
        .item(SelectItem::new("", "Select a reason"))
        .value(&form.cease_reason)
        .error_opt(errors.get("cease_reason"));
    for reason in CeaseReason::ALL {
        reasons = reasons.item(SelectItem::new(reason.code(), reason.label()));
    }
    vec![
        date_box(
            "notice",
            "Date the invitations and advice were sent (optional)",
            (&form.notice_day, &form.notice_month, &form.notice_year),
            errors.get("notice"),
        ),
        date_box(
            "meeting",
            "Date of the review meeting",
            (&form.meeting_day, &form.meeting_month, &form.meeting_year),
            errors.get("meeting"),
        ),
        date_box(
            "report",
            "Date the review report was sent",
            (&form.report_day, &form.report_month, &form.report_year),
            errors.get("report"),
        ),
        decisions.to_string(),
        date_box(
            "decided",
            "Date the decision was sent",
            (&form.decided_day, &form.decided_month, &form.decided_year),
            errors.get("decided"),
        ),
        reasons.to_string(),
    ]
}

fn amended_fields(view: &InvolvementView, form: &ReviewForm, errors: &FormErrors) -> Vec<String> {
    let inv = &view.involvement;
    let pending = inv
        .events
        .contains_key(&send_domain::timeline::EventKind::AmendmentNotice)
        && !inv.completions.contains_key("final_amended_plan");
    if inv.kind != InvolvementKind::Plan || !pending {
        return Vec::new();
    }
    vec![date_box(
        "amended",
        "Date the amended plan was issued",
        (&form.amended_day, &form.amended_month, &form.amended_year),
        errors.get("amended"),
    )]
}

fn stage_error(
    errors: &mut FormErrors,
    field: &str,
    refused: &send_domain::involvements::StageError,
) {
    use send_domain::involvements::StageError;
    match refused {
        StageError::NoCeaseReason => errors.add("cease_reason", refused.to_string()),
        StageError::DecisionBeforeMeeting => errors.add("decided", refused.to_string()),
        _ => errors.add(field, refused.to_string()),
    }
}

pub async fn submit_review(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<InvolvementId>,
    CsrfForm(form): CsrfForm<ReviewForm>,
) -> Result<Response, WebError> {
    let (child, involvement) = app
        .authorise_involvement(&staff.access, send_domain::CaseAction::Edit, id, &source)
        .await?;
    let today = app.clock.now().date();
    let mut errors = FormErrors::default();
    let meeting = errors.check(
        "meeting",
        parse_past_date(
            "Date of the review meeting",
            &form.meeting_day,
            &form.meeting_month,
            &form.meeting_year,
            today,
        ),
    );
    let notice_typed = [&form.notice_day, &form.notice_month, &form.notice_year]
        .iter()
        .any(|v| !v.trim().is_empty());
    let notice_sent = if notice_typed {
        errors.check(
            "notice",
            parse_past_date(
                "Date the invitations and advice were sent",
                &form.notice_day,
                &form.notice_month,
                &form.notice_year,
                today,
            ),
        )
    } else {
        None
    };
    let report_sent = errors.check(
        "report",
        parse_past_date(
            "Date the review report was sent",
            &form.report_day,
            &form.report_month,
            &form.report_year,
            today,
        ),
    );
    let decision = form.decision.parse::<ReviewDecision>().ok();
    if decision.is_none() {
        errors.add("decision", "Select the decision");
    }
    let decided_on = errors.check(
        "decided",
        parse_past_date(
            "Date the decision was sent",
            &form.decided_day,
            &form.decided_month,
            &form.decided_year,
            today,
        ),
    );
    if let (Some(meeting), Some(report_sent), Some(decision), Some(decided_on), true) = (
        meeting,
        report_sent,
        decision,
        decided_on,
        errors.is_empty(),
    ) {
        let review = Review {
            notice_sent,
            meeting,
            report_sent,
            decision,
            decided_on,
            cease_reason: form.cease_reason.parse().ok(),
        };
        match app
            .record_review(&staff.access, id, review, &source)
            .await?
        {
            Ok(()) => return Ok(see_other(&format!("/back-office/involvements/{id}"))),
            Err(refused) => stage_error(&mut errors, "meeting", &refused),
        }
    }
    let view = app.view_of(involvement).await?;
    let forms = Forms {
        review: form,
        ..Forms::default()
    };
    Ok(involvement_page(
        &app, &staff, &child, &view, &forms, &errors,
    ))
}

pub async fn submit_amended(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<InvolvementId>,
    CsrfForm(form): CsrfForm<ReviewForm>,
) -> Result<Response, WebError> {
    let (child, involvement) = app
        .authorise_involvement(&staff.access, send_domain::CaseAction::Edit, id, &source)
        .await?;
    let mut errors = FormErrors::default();
    let on = errors.check(
        "amended",
        parse_past_date(
            "Date the amended plan was issued",
            &form.amended_day,
            &form.amended_month,
            &form.amended_year,
            app.clock.now().date(),
        ),
    );
    if let Some(on) = on {
        match app
            .record_amended_plan(&staff.access, id, on, &source)
            .await?
        {
            Ok(()) => return Ok(see_other(&format!("/back-office/involvements/{id}"))),
            Err(refused) => stage_error(&mut errors, "amended", &refused),
        }
    }
    let view = app.view_of(involvement).await?;
    let forms = Forms {
        review: form,
        ..Forms::default()
    };
    Ok(involvement_page(
        &app, &staff, &child, &view, &forms, &errors,
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct CaseloadForm {
    #[serde(default)]
    scope: String,
    #[serde(default)]
    caseworker: String,
    #[serde(default)]
    stage: String,
    #[serde(default)]
    due_soon: Option<String>,
    #[serde(default)]
    overdue: Option<String>,
    #[serde(default)]
    exception: Option<String>,
}

/// One open case as the caseload lists it.
#[derive(Debug)]
pub struct CaseloadLine {
    pub involvement_id: InvolvementId,
    pub child: String,
    pub kind: String,
    pub stage: String,
    pub next: String,
    pub tag: Option<Tag>,
}

#[derive(Template, WebTemplate)]
#[template(path = "back_office/caseload.html")]
pub struct CaseloadPage {
    chrome: Chrome,
    mine: bool,
    caseload_counts: (usize, usize, usize, usize),
    lines: Vec<CaseloadLine>,
    filters: Vec<String>,
    /// Incoming forms waiting, on the team's caseload for those who process them.
    incoming: Option<u64>,
}

fn lines(caseload: &Caseload) -> Vec<CaseloadLine> {
    caseload
        .rows
        .iter()
        .map(|row| CaseloadLine {
            involvement_id: row.involvement.id,
            child: row.child.display_name(),
            kind: row.involvement.kind.label().to_owned(),
            stage: row.involvement.stage.label().to_owned(),
            next: row.next.as_ref().map_or_else(String::new, |k| {
                format!(
                    "{}: {}",
                    k.rule.title,
                    k.due.map_or_else(String::new, long_date)
                )
            }),
            tag: row.next.as_ref().map(status_tag),
        })
        .collect()
}

pub async fn caseload(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    Query(form): Query<CaseloadForm>,
) -> Result<Response, WebError> {
    let scope = if form.scope == "team" {
        Scope::Team
    } else {
        Scope::Mine
    };
    let filter = CaseloadFilter {
        stage: form.stage.parse().ok(),
        caseworker: if scope == Scope::Team {
            form.caseworker.parse().ok()
        } else {
            None
        },
        due_within_7_days: form.due_soon.is_some(),
        overdue: form.overdue.is_some(),
        with_exception: form.exception.is_some(),
    };
    let caseload = app.caseload(&staff.access, scope, &filter, &source).await?;
    let mut stages = Select::new("stage", "Stage")
        .item(SelectItem::new("", "Any stage"))
        .value(&form.stage);
    for stage in Stage::ALL.iter().filter(|s| !s.is_closed()) {
        stages = stages.item(SelectItem::new(stage.code(), stage.label()));
    }
    let mut workers = Select::new("caseworker", "Caseworker")
        .item(SelectItem::new("", "Anyone"))
        .value(&form.caseworker);
    for id in &caseload.caseworkers {
        let name = app
            .store
            .account_by_id(*id)
            .await
            .map_err(|e| WebError::Internal(Box::new(e)))?
            .map_or_else(
                || "A former member of staff".to_owned(),
                |a| a.name.to_string(),
            );
        workers = workers.item(SelectItem::new(id.to_string(), name));
    }
    let check = |name: &str, label: &str, on: bool| {
        crate::components::Checkboxes::new(name)
            .classes("govuk-checkboxes--small")
            .item(ChoiceItem::new("yes", label).checked(on))
            .to_string()
    };
    let mut filters = vec![stages.to_string()];
    if scope == Scope::Team {
        filters.push(workers.to_string());
    }
    filters.extend([
        r#"<p class="govuk-body govuk-!-margin-bottom-1">Show only cases</p>"#.to_owned(),
        check(
            "due_soon",
            "with a key date in the next 7 days",
            form.due_soon.is_some(),
        ),
        check("overdue", "with a missed deadline", form.overdue.is_some()),
        check(
            "exception",
            "with an exception recorded",
            form.exception.is_some(),
        ),
    ]);
    let incoming = if scope == Scope::Team {
        app.processing_counts(&staff.access)
            .await?
            .map(send_store::ProcessingCounts::waiting)
    } else {
        None
    };
    Ok(CaseloadPage {
        incoming,
        chrome: staff.signed_in.chrome(&app),
        mine: scope == Scope::Mine,
        caseload_counts: (
            caseload.counts.total,
            caseload.counts.due_soon,
            caseload.counts.overdue,
            caseload.counts.with_exception,
        ),
        lines: lines(&caseload),
        filters,
    }
    .into_response())
}
