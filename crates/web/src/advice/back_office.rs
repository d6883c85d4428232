//! The SEND team's advice pages: record a request on an involvement, mark one
//! received (advice that came by post or email), withdraw one, and the overdue
//! list. Each step ends on the involvement's page with a banner saying what
//! happened; a page posts the request's version, so a change made meanwhile is
//! not overwritten.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use send_app::App;
use send_app::advice::{NewAdviceRequest, RecordProblem};
use send_domain::advice::{AdviceError, AdviceKind, AdviceRequest, AnswerBy, ReminderSchedule};
use send_domain::dates::{long_date, parse_past_date, uk_date};
use send_domain::{AdviceRequestId, Child, Email, InvolvementId, ShortText};
use serde::Deserialize;

use super::advice_tag;
use crate::back_office::Staff;
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::components::{ChoiceItem, Input, Radios, Tag};
use crate::csrf::CsrfForm;
use crate::errors::WebError;
use crate::involvements::{date_box, legend};
use crate::paths::IdPath;
use crate::question_page::{FormErrors, FormPage, see_other, version_of};

fn involvement_page(id: InvolvementId, done: &str) -> String {
    format!("/back-office/involvements/{id}?done={done}")
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    recipient: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    answer_by: String,
    #[serde(default, rename = "sent-day")]
    sent_day: String,
    #[serde(default, rename = "sent-month")]
    sent_month: String,
    #[serde(default, rename = "sent-year")]
    sent_year: String,
}

fn new_page(
    app: &App,
    staff: &Staff,
    id: InvolvementId,
    child_name: &str,
    form: &NewForm,
    errors: &FormErrors,
) -> Response {
    let mut kinds = Radios::new("kind")
        .legend(legend("What kind of advice?"))
        .error_opt(errors.get("kind"));
    for kind in AdviceKind::ALL {
        kinds = kinds.item(
            ChoiceItem::new(kind.code(), kind.label())
                .hint(kind.hint())
                .checked(form.kind == kind.code()),
        );
    }
    let mut answer = Radios::new("answer_by")
        .legend(legend("How should they give it?"))
        .error_opt(errors.get("answer_by"));
    for by in AnswerBy::ALL {
        answer = answer
            .item(ChoiceItem::new(by.code(), by.label()).checked(form.answer_by == by.code()));
    }
    FormPage::new(
        staff.signed_in.chrome(app),
        &format!("Record a request for advice about {child_name}"),
        &format!("/back-office/involvements/{id}/advice/new"),
        staff.signed_in.csrf.clone(),
        "Record request",
    )
    .errors(errors)
    .back(&format!("/back-office/involvements/{id}"))
    .intro(
        "Advice is due 6 weeks after the request is sent (SEND Regulations 2014, \
         regulation 8). The portal reminds the person asked before and after the due date, \
         and tells the caseworker if it is overdue.",
    )
    .field(&kinds)
    .field(
        &Input::new("recipient", "Who was it sent to?")
            .hint("The person or organisation, for example Oak Tree Primary School")
            .value(&form.recipient)
            .error_opt(errors.get("recipient")),
    )
    .field(
        &Input::new("email", "Their email address (optional)")
            .hint(
                "If they have a portal account with this address, the request appears in \
                 their portal. Reminders go to this address.",
            )
            .value(&form.email)
            .error_opt(errors.get("email")),
    )
    .field(&answer)
    .field(&date_box(
        "sent",
        "Date the request was sent",
        (&form.sent_day, &form.sent_month, &form.sent_year),
        errors.get("sent"),
    ))
    .respond()
}

pub async fn show_new(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<InvolvementId>,
) -> Result<Response, WebError> {
    let (child, _) = app
        .authorise_involvement(&staff.access, send_domain::CaseAction::Edit, id, &source)
        .await?;
    let today = uk_date(app.clock.now());
    let form = NewForm {
        answer_by: AnswerBy::Upload.code().to_owned(),
        sent_day: today.day().to_string(),
        sent_month: u8::from(today.month()).to_string(),
        sent_year: today.year().to_string(),
        ..NewForm::default()
    };
    Ok(new_page(
        &app,
        &staff,
        id,
        &child.display_name(),
        &form,
        &FormErrors::default(),
    ))
}

pub async fn submit_new(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<InvolvementId>,
    CsrfForm(form): CsrfForm<NewForm>,
) -> Result<Response, WebError> {
    let (child, _) = app
        .authorise_involvement(&staff.access, send_domain::CaseAction::Edit, id, &source)
        .await?;
    let mut errors = FormErrors::default();
    let kind = form.kind.parse::<AdviceKind>().ok();
    if kind.is_none() {
        errors.add("kind", "Select what kind of advice was asked for");
    }
    let recipient = errors.check(
        "recipient",
        ShortText::parse(&form.recipient, "who the request was sent to"),
    );
    let email = if form.email.trim().is_empty() {
        Some(None)
    } else {
        errors
            .check("email", Email::parse(form.email.trim()))
            .map(Some)
    };
    let answer_by = form.answer_by.parse::<AnswerBy>().ok();
    if answer_by.is_none() {
        errors.add("answer_by", "Select how they should give their advice");
    }
    let sent_on = errors.check(
        "sent",
        parse_past_date(
            "Date the request was sent",
            &form.sent_day,
            &form.sent_month,
            &form.sent_year,
            uk_date(app.clock.now()),
        ),
    );
    let (Some(kind), Some(recipient), Some(email), Some(answer_by), Some(sent_on), true) = (
        kind,
        recipient,
        email,
        answer_by,
        sent_on,
        errors.is_empty(),
    ) else {
        return Ok(new_page(
            &app,
            &staff,
            id,
            &child.display_name(),
            &form,
            &errors,
        ));
    };
    let new = NewAdviceRequest {
        kind,
        recipient,
        email,
        answer_by,
        sent_on,
    };
    match app.request_advice(&staff.access, id, new, &source).await? {
        Ok(_) => Ok(see_other(&involvement_page(id, "requested"))),
        Err(problem) => {
            let field = match problem {
                RecordProblem::SentInFuture | RecordProblem::BeforeInvolvement => "sent",
                RecordProblem::Closed => "kind",
            };
            errors.add(field, problem.to_string());
            Ok(new_page(
                &app,
                &staff,
                id,
                &child.display_name(),
                &form,
                &errors,
            ))
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReceivedForm {
    #[serde(default, rename = "on-day")]
    on_day: String,
    #[serde(default, rename = "on-month")]
    on_month: String,
    #[serde(default, rename = "on-year")]
    on_year: String,
    #[serde(default)]
    version: String,
}

fn received_page(
    app: &App,
    staff: &Staff,
    child: &Child,
    request: &AdviceRequest,
    form: &ReceivedForm,
    errors: &FormErrors,
) -> Response {
    FormPage::new(
        staff.signed_in.chrome(app),
        &format!(
            "Record that {} about {} arrived from {}",
            request.kind.label().to_lowercase(),
            child.display_name(),
            request.recipient
        ),
        &format!("/back-office/advice/{}/received", request.id),
        staff.signed_in.csrf.clone(),
        "Record as received",
    )
    .errors(errors)
    .back(&format!(
        "/back-office/involvements/{}",
        request.involvement_id
    ))
    .intro(
        "Use this for advice that came by post or email. Its reminders stop. Add the \
         document itself to the child's documents.",
    )
    .field(&date_box(
        "on",
        "Date it arrived",
        (&form.on_day, &form.on_month, &form.on_year),
        errors.get("on"),
    ))
    .field(&format!(
        "<input type=\"hidden\" name=\"version\" value=\"{}\">",
        request.version
    ))
    .respond()
}

pub async fn show_received(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<AdviceRequestId>,
) -> Result<Response, WebError> {
    let (child, request) = app.staff_request(&staff.access, id, &source).await?;
    if !request.is_awaited() {
        return Ok(see_other(&format!(
            "/back-office/involvements/{}",
            request.involvement_id
        )));
    }
    let today = uk_date(app.clock.now());
    let form = ReceivedForm {
        on_day: today.day().to_string(),
        on_month: u8::from(today.month()).to_string(),
        on_year: today.year().to_string(),
        version: request.version.to_string(),
    };
    Ok(received_page(
        &app,
        &staff,
        &child,
        &request,
        &form,
        &FormErrors::default(),
    ))
}

pub async fn submit_received(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<AdviceRequestId>,
    CsrfForm(form): CsrfForm<ReceivedForm>,
) -> Result<Response, WebError> {
    let (child, request) = app.staff_request(&staff.access, id, &source).await?;
    let mut errors = FormErrors::default();
    let on = errors.check(
        "on",
        parse_past_date(
            "Date it arrived",
            &form.on_day,
            &form.on_month,
            &form.on_year,
            uk_date(app.clock.now()),
        ),
    );
    let Some(on) = on else {
        return Ok(received_page(
            &app, &staff, &child, &request, &form, &errors,
        ));
    };
    match app
        .record_advice_received(&staff.access, id, on, version_of(&form.version), &source)
        .await?
    {
        Ok(()) => Ok(see_other(&involvement_page(
            request.involvement_id,
            "received",
        ))),
        Err(AdviceError::BeforeSent | AdviceError::InFuture) => {
            errors.add(
                "on",
                format!(
                    "The date it arrived must be between {} and today",
                    long_date(request.sent_on)
                ),
            );
            Ok(received_page(
                &app, &staff, &child, &request, &form, &errors,
            ))
        }
        Err(AdviceError::AlreadyReceived | AdviceError::Withdrawn) => Ok(see_other(&format!(
            "/back-office/involvements/{}",
            request.involvement_id
        ))),
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct WithdrawForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    version: String,
}

fn withdraw_page(
    app: &App,
    staff: &Staff,
    child: &Child,
    request: &AdviceRequest,
    form: &WithdrawForm,
    errors: &FormErrors,
) -> Response {
    FormPage::new(
        staff.signed_in.chrome(app),
        &format!(
            "Withdraw the request for {} about {} from {}",
            request.kind.label().to_lowercase(),
            child.display_name(),
            request.recipient
        ),
        &format!("/back-office/advice/{}/withdraw", request.id),
        staff.signed_in.csrf.clone(),
        "Withdraw request",
    )
    .errors(errors)
    .back(&format!(
        "/back-office/involvements/{}",
        request.involvement_id
    ))
    .intro("Its reminders stop. The person asked is not told: let them know yourself.")
    .field(
        &Input::new("reason", "Why is it no longer needed?")
            .value(&form.reason)
            .error_opt(errors.get("reason")),
    )
    .field(&format!(
        "<input type=\"hidden\" name=\"version\" value=\"{}\">",
        request.version
    ))
    .respond()
}

pub async fn show_withdraw(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<AdviceRequestId>,
) -> Result<Response, WebError> {
    let (child, request) = app.staff_request(&staff.access, id, &source).await?;
    if !request.is_awaited() {
        return Ok(see_other(&format!(
            "/back-office/involvements/{}",
            request.involvement_id
        )));
    }
    Ok(withdraw_page(
        &app,
        &staff,
        &child,
        &request,
        &WithdrawForm::default(),
        &FormErrors::default(),
    ))
}

pub async fn submit_withdraw(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<AdviceRequestId>,
    CsrfForm(form): CsrfForm<WithdrawForm>,
) -> Result<Response, WebError> {
    let (child, request) = app.staff_request(&staff.access, id, &source).await?;
    let mut errors = FormErrors::default();
    let Some(reason) = errors.check(
        "reason",
        ShortText::parse(&form.reason, "why it is no longer needed"),
    ) else {
        return Ok(withdraw_page(
            &app, &staff, &child, &request, &form, &errors,
        ));
    };
    match app
        .withdraw_advice_request(
            &staff.access,
            id,
            reason,
            version_of(&form.version),
            &source,
        )
        .await?
    {
        Ok(()) => Ok(see_other(&involvement_page(
            request.involvement_id,
            "withdrawn",
        ))),
        Err(_) => Ok(see_other(&format!(
            "/back-office/involvements/{}",
            request.involvement_id
        ))),
    }
}

/// One overdue request in the team's list.
#[derive(Debug)]
pub struct OverdueRow {
    pub child_name: String,
    pub involvement_id: String,
    pub kind: String,
    pub recipient: String,
    pub due: String,
    pub tag: Tag,
}

#[derive(Template, WebTemplate)]
#[template(path = "back_office/overdue_advice.html")]
pub struct OverduePage {
    chrome: Chrome,
    rows: Vec<OverdueRow>,
    /// Only on the involvements the member of staff holds.
    mine: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct Scope {
    #[serde(default)]
    scope: String,
}

pub async fn overdue(
    State(app): State<App>,
    staff: Staff,
    axum::extract::Query(scope): axum::extract::Query<Scope>,
) -> Result<Response, WebError> {
    let mine = scope.scope == "mine";
    let rows = app
        .overdue_advice(&staff.access, mine)
        .await?
        .into_iter()
        .map(|(line, child)| OverdueRow {
            child_name: child.display_name(),
            involvement_id: line.request.involvement_id.to_string(),
            kind: line.request.kind.label().to_owned(),
            recipient: line.request.recipient.as_str().to_owned(),
            due: long_date(line.request.due_on),
            tag: advice_tag(&line),
        })
        .collect();
    Ok(OverduePage {
        chrome: staff.signed_in.chrome(&app),
        rows,
        mine,
    }
    .into_response())
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ScheduleForm {
    #[serde(default)]
    before: String,
    #[serde(default)]
    on_the_day: Option<String>,
    #[serde(default)]
    after: String,
}

fn schedule_page(
    app: &App,
    staff: &Staff,
    kind: AdviceKind,
    form: &ScheduleForm,
    errors: &FormErrors,
) -> Response {
    let on_the_day = crate::components::Checkboxes::new("on_the_day").item(
        ChoiceItem::new("yes", "Remind them on the due date").checked(form.on_the_day.is_some()),
    );
    FormPage::new(
        staff.signed_in.chrome(app),
        &format!("Reminders of {}", kind.label().to_lowercase()),
        &format!("/back-office/admin/advice-reminders/{}", kind.code()),
        staff.signed_in.csrf.clone(),
        "Save reminders",
    )
    .errors(errors)
    .back("/back-office/admin")
    .intro(
        "Reminders go by email at 9am to whoever was asked. Requests recorded from now on \
         follow these settings; requests already recorded keep their reminders.",
    )
    .field(
        &Input::new("before", "Days before the due date")
            .hint("Up to 4 numbers from 1 to 42, separated by commas, for example 14, 7. Leave empty for none.")
            .value(&form.before)
            .error_opt(errors.get("before")),
    )
    .field(&on_the_day)
    .field(
        &Input::new("after", "Days after the due date")
            .hint("Up to 4 numbers from 1 to 42, for example 7. Leave empty for none.")
            .value(&form.after)
            .error_opt(errors.get("after")),
    )
    .respond()
}

fn kind_of(code: &str) -> Result<AdviceKind, WebError> {
    code.parse().map_err(|_| WebError::NotFound)
}

pub async fn show_schedule(
    State(app): State<App>,
    staff: Staff,
    axum::extract::Path(code): axum::extract::Path<String>,
) -> Result<Response, WebError> {
    let kind = kind_of(&code)?;
    if !staff.access.has(send_domain::Permission::ManageStaff) {
        return Err(WebError::Forbidden);
    }
    let schedule = app
        .reminder_schedules()
        .await?
        .into_iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, schedule)| schedule)
        .unwrap_or_default();
    let form = ScheduleForm {
        before: ReminderSchedule::days_text(&schedule.before),
        on_the_day: schedule.on_the_day.then(|| "yes".to_owned()),
        after: ReminderSchedule::days_text(&schedule.after),
    };
    Ok(schedule_page(
        &app,
        &staff,
        kind,
        &form,
        &FormErrors::default(),
    ))
}

pub async fn submit_schedule(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    axum::extract::Path(code): axum::extract::Path<String>,
    CsrfForm(form): CsrfForm<ScheduleForm>,
) -> Result<Response, WebError> {
    let kind = kind_of(&code)?;
    if !staff.access.has(send_domain::Permission::ManageStaff) {
        return Err(WebError::Forbidden);
    }
    let mut errors = FormErrors::default();
    let before = errors.check("before", ReminderSchedule::parse_days(&form.before));
    let after = errors.check("after", ReminderSchedule::parse_days(&form.after));
    let (Some(before), Some(after), true) = (before, after, errors.is_empty()) else {
        return Ok(schedule_page(&app, &staff, kind, &form, &errors));
    };
    let schedule = ReminderSchedule {
        before,
        on_the_day: form.on_the_day.is_some(),
        after,
    };
    let described = schedule.describe();
    app.set_reminder_schedule(&staff.access, kind, schedule, &source)
        .await?;
    crate::accounts::keep(
        &staff.signed_in.session,
        crate::accounts::FLASH,
        &crate::accounts::Flash::success(&format!(
            "Reminders of {} changed: {}",
            kind.label().to_lowercase(),
            described.to_lowercase()
        )),
    )
    .await?;
    Ok(see_other("/back-office/admin"))
}
