//! A child's forms in the back office: what was sent to the family or the
//! professionals and where each stands (not started, in progress, submitted,
//! overdue), sending a published form (to everyone linked, or one person, with
//! a due date as an action), withdrawing one, and the submissions about the child.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use send_app::App;
use send_app::forms::assign::{ChildForms, NewAssignment};
use send_domain::dates::{long_date, parse_date, uk_time};
use send_domain::forms::AssignedTo;
use send_domain::{CaseAction, ChildId, FormAssignmentId, FormId, UserId};
use serde::Deserialize;

use crate::back_office::Staff;
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::components::{ChoiceItem, DateInput, Legend, Radios, Select, SelectItem, Tag};
use crate::csrf::CsrfForm;
use crate::errors::WebError;
use crate::paths::IdPath;
use crate::question_page::{FormErrors, link_button_form, see_other};

#[derive(Debug, Clone)]
struct ActionLine {
    title: String,
    to: String,
    due: String,
    tag: Tag,
    submission: Option<(String, String)>,
    withdraw: Option<String>,
}

#[derive(Debug, Clone)]
struct SubmissionLine {
    href: String,
    title: String,
    reference: String,
    when: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "forms/back_office/child_forms.html")]
struct ChildFormsPage {
    chrome: Chrome,
    child_id: ChildId,
    name: String,
    actions: Vec<ActionLine>,
    submissions: Vec<SubmissionLine>,
    has_errors: bool,
    summary: crate::components::ErrorSummary,
    fields: Vec<String>,
    csrf: String,
    can_send: bool,
    flash: Option<String>,
}

/// What the "Send a form" form sends.
#[derive(Debug, Default, Deserialize)]
pub struct SendForm {
    #[serde(default)]
    form: String,
    #[serde(default)]
    to: String,
    #[serde(default, rename = "due-day")]
    due_day: String,
    #[serde(default, rename = "due-month")]
    due_month: String,
    #[serde(default, rename = "due-year")]
    due_year: String,
    #[serde(default)]
    sent: Option<String>,
}

fn fields(view: &ChildForms, typed: &SendForm, errors: &FormErrors) -> Vec<String> {
    let mut select = Select::new("form", "Form").error_opt(errors.get("form"));
    select = select.item(SelectItem::new("", "Choose a form"));
    for form in &view.givable {
        let mut item = SelectItem::new(form.form_id.to_string(), &form.title);
        item.selected = Some(typed.form == form.form_id.to_string());
        select = select.item(item);
    }
    let mut to = Radios::new("to")
        .legend(Legend {
            classes: Some("govuk-fieldset__legend--s".to_owned()),
            ..Legend::new("Who should complete it?")
        })
        .error_opt(errors.get("to"))
        .item(
            ChoiceItem::new(
                "everyone",
                "Everyone linked to the child who the form is for",
            )
            .checked(typed.to == "everyone"),
        );
    for (id, name) in &view.linked {
        to = to.item(ChoiceItem::new(id.to_string(), name).checked(typed.to == id.to_string()));
    }
    let mut due = DateInput::new(
        "due",
        Legend {
            classes: Some("govuk-fieldset__legend--s".to_owned()),
            ..Legend::new("Complete by (optional)")
        },
    )
    .hint("With a date, the form is an action under Actions to Complete on their SEND Dashboard. For example, 19 12 2026")
    .date_values(&typed.due_day, &typed.due_month, &typed.due_year);
    if let Some(e) = errors.get("due-day") {
        due = due.error(e);
    }
    vec![select.to_string(), to.to_string(), due.to_string()]
}

fn page(
    staff: &Staff,
    app: &App,
    view: &ChildForms,
    typed: &SendForm,
    errors: &FormErrors,
) -> Response {
    let csrf = staff.signed_in.csrf.clone();
    let actions = view
        .actions
        .iter()
        .map(|row| ActionLine {
            title: row.title.clone(),
            to: row.to.clone(),
            due: row
                .assignment
                .due
                .map_or_else(|| "No due date".to_owned(), long_date),
            tag: if row.assignment.withdrawn_at.is_some() {
                Tag::colour("Withdrawn", "grey")
            } else {
                Tag::colour(row.status.label(), row.status.tag_colour())
            },
            submission: row.submission.as_ref().map(|s| {
                (
                    format!("/back-office/submissions/{}", s.id),
                    s.reference.clone(),
                )
            }),
            withdraw: (row.assignment.withdrawn_at.is_none()
                && row.assignment.completed_by.is_none())
            .then(|| {
                link_button_form(
                    &format!(
                        "/back-office/form-assignments/{}/withdraw",
                        row.assignment.id
                    ),
                    &csrf,
                    &format!("Withdraw {}", row.title),
                )
            }),
        })
        .collect();
    let submissions = view
        .submissions
        .iter()
        .map(|s| SubmissionLine {
            href: format!("/back-office/submissions/{}", s.id),
            title: s.title.clone(),
            reference: s.reference.clone(),
            when: uk_time(s.submitted_at),
        })
        .collect();
    let view_page = ChildFormsPage {
        chrome: staff.signed_in.chrome(app),
        child_id: view.child.id,
        name: view.child.display_name(),
        actions,
        submissions,
        has_errors: !errors.is_empty(),
        summary: errors.summary(),
        fields: fields(view, typed, errors),
        csrf,
        can_send: !view.givable.is_empty(),
        flash: typed.sent.clone(),
    };
    let status = if errors.is_empty() {
        http::StatusCode::OK
    } else {
        http::StatusCode::BAD_REQUEST
    };
    (status, view_page).into_response()
}

#[derive(Debug, Default, Deserialize)]
pub struct Sent {
    #[serde(default)]
    sent: Option<String>,
}

pub async fn show(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(child): IdPath<ChildId>,
    axum::extract::Query(sent): axum::extract::Query<Sent>,
) -> Result<Response, WebError> {
    let view = app.child_forms(&staff.access, child, &source).await?;
    let flash = match sent.sent.as_deref() {
        Some("form") => Some("Form sent. We have emailed the people it is for.".to_owned()),
        Some("withdrawn") => Some("Form withdrawn. It no longer shows in the portal.".to_owned()),
        _ => None,
    };
    let typed = SendForm {
        sent: flash,
        ..SendForm::default()
    };
    Ok(page(&staff, &app, &view, &typed, &FormErrors::default()))
}

pub async fn send(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(child): IdPath<ChildId>,
    CsrfForm(typed): CsrfForm<SendForm>,
) -> Result<Response, WebError> {
    // Whoever may not send forms for this child is refused before anything is read.
    app.authorise_child(&staff.access, CaseAction::ManageAccess, child, &source)
        .await?;
    let mut errors = FormErrors::default();
    let form: Option<FormId> = typed.form.parse().ok();
    if form.is_none() {
        errors.add("form", "Select a form");
    }
    let to = match typed.to.as_str() {
        "everyone" => Some(AssignedTo::EveryoneLinked),
        other => other.parse::<UserId>().ok().map(AssignedTo::Person),
    };
    if to.is_none() {
        errors.add("to", "Select who should complete the form");
    }
    let blank = [&typed.due_day, &typed.due_month, &typed.due_year]
        .iter()
        .all(|p| p.trim().is_empty());
    let due = if blank {
        None
    } else {
        errors.check(
            "due-day",
            parse_date(
                "The due date",
                &typed.due_day,
                &typed.due_month,
                &typed.due_year,
            ),
        )
    };
    if let (Some(form), Some(to), true) = (form, to, errors.is_empty()) {
        match app
            .assign_form(
                &staff.access,
                child,
                NewAssignment { form, to, due },
                &source,
            )
            .await?
        {
            Ok(_) => {
                return Ok(see_other(&format!(
                    "/back-office/children/{child}/forms?sent=form"
                )));
            }
            Err(problem) => {
                let field = match problem {
                    send_app::forms::assign::AssignProblem::NoSuchForm => "form",
                    send_app::forms::assign::AssignProblem::DueInThePast => "due-day",
                    _ => "to",
                };
                errors.add(field, problem.to_string());
            }
        }
    }
    let view = app.child_forms(&staff.access, child, &source).await?;
    Ok(page(&staff, &app, &view, &typed, &errors))
}

pub async fn withdraw(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<FormAssignmentId>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let child = app
        .withdraw_form_assignment(&staff.access, id, &source)
        .await?;
    Ok(see_other(&format!(
        "/back-office/children/{child}/forms?sent=withdrawn"
    )))
}
