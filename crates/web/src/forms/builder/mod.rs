//! The form builder's pages, in the back office under "Forms" (FRM-1, FRM-2):
//! the list of forms, a form's builder page, and the pages that change it. Every
//! page works without JavaScript: moves and removals are small posts, and each
//! change ends on the builder page with a confirmation banner.
//!
//! Every handler goes through the use cases of `send_app::forms::builder`, which
//! check the builder's access rule on every call; the pages that only show a
//! form to change ask it first too, so staff who may not build never see one.
//! Every post carries the form's `version` as the person saw it: if someone else
//! changed the form since, nothing is written and the page says so.
//!
//! - `mod.rs`: the list, creating a form, the builder page, asking for approval,
//!   publishing, retiring and copying;
//! - `details`: the form's details;
//! - `questions`: adding, changing, moving and removing questions (and the
//!   questions of a repeating group);
//! - `pages`: moving, duplicating and removing pages, and their headings;
//! - `conditions`: conditions on questions and pages, and routes after pages;
//! - `preview`: the preview and the comparison with the live version;
//! - `view`: the builder page's parts, in words.

use crate::routes::Routes;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use http::StatusCode;
use send_app::forms::builder::{BuilderForm, Checked};
use send_app::{App, AppError};
use send_domain::dates::uk_long_date;
use send_domain::forms::{BuilderAction, EditError, FormState, Problem, builder_may};
use send_domain::{Decision, FormId};
use serde::Deserialize;

use crate::accounts::{FLASH, Flash, keep, take};
use crate::back_office::Staff;
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::components::{ErrorSummary, Input};
use crate::csrf::CsrfForm;
use crate::errors::WebError;
use crate::paths::IdPath;
use crate::question_page::{FormErrors, FormPage, see_other};

mod conditions;
mod details;
mod pages;
mod preview;
mod questions;
mod view;

pub fn router() -> Routes {
    Routes::new()
        .route("/back-office/forms", get(list))
        .route("/back-office/forms/new", get(show_new).post(submit_new))
        .route("/back-office/forms/{id}", get(show))
        .route(
            "/back-office/forms/{id}/ask-for-approval",
            post(ask_for_approval),
        )
        .route("/back-office/forms/{id}/publish", post(publish))
        .route(
            "/back-office/forms/{id}/retire",
            get(show_retire).post(submit_retire),
        )
        .route("/back-office/forms/{id}/copy", post(copy))
        .merge(details::router())
        .merge(questions::router())
        .merge(pages::router())
        .merge(conditions::router())
        .merge(preview::router())
}

/// The builder page of a form.
pub(super) fn form_path(id: FormId) -> String {
    format!("/back-office/forms/{id}")
}

/// The builder's access rule for pages that only show a form to change: staff
/// who may not do it get the 404 page (neither forms permission) or the 403 page.
pub(super) fn may(staff: &Staff, action: BuilderAction) -> Result<(), WebError> {
    match builder_may(&staff.access, action) {
        Decision::Allowed => Ok(()),
        Decision::Refused => Err(WebError::Forbidden),
        Decision::Hidden => Err(WebError::NotFound),
    }
}

/// A post that carries only the version of the form the person saw.
#[derive(Debug, Default, Deserialize)]
pub(super) struct VersionForm {
    #[serde(default)]
    pub version: String,
}

/// The version of the form the page was drawn from. A post without one (a client
/// that never saw the page) is judged by the version read now, in this request.
pub(super) fn seen_version(typed: &str, current: u32) -> u32 {
    typed.trim().parse().unwrap_or(current)
}

/// The hidden field that carries the version a page was drawn from.
pub(super) fn version_field(version: u32) -> String {
    format!(r#"<input type="hidden" name="version" value="{version}">"#)
}

/// The message a page shows when someone else changed the form first.
pub(super) const CHANGED: &str = "Someone else changed this form while you were working on it. \
     Your change has not been saved: check the form as it is now, then make your change again";

/// After a change: the builder page, with a banner saying what was done.
pub(super) async fn done(staff: &Staff, id: FormId, message: &str) -> Result<Response, WebError> {
    keep(&staff.signed_in.session, FLASH, &Flash::success(message)).await?;
    Ok(see_other(&form_path(id)))
}

/// A number that may be left blank (`None`); one that does not parse is a
/// message on its field (and `None`: the caller checks the errors).
pub(super) fn optional_number(
    errors: &mut FormErrors,
    field: &str,
    typed: &str,
    which: &str,
) -> Option<f64> {
    let typed = typed.trim();
    if typed.is_empty() {
        return None;
    }
    match typed.parse::<f64>() {
        Ok(n) if n.is_finite() => Some(n),
        _ => {
            errors.add(
                field,
                format!("Enter the {which} number as a number, like 10"),
            );
            None
        }
    }
}

/// Every mistake on a page at once: `errors` (what did not parse), with the
/// domain's messages for the other fields, checked by making the edit (with
/// stand-ins for what did not parse) to a copy of the working copy. In the
/// order of the page's `fields`.
pub(super) fn every_mistake(
    errors: &FormErrors,
    draft: &send_domain::forms::FormDefinition,
    edit: send_domain::forms::Edit,
    fields: &[&str],
) -> FormErrors {
    let mut scratch = draft.clone();
    let found = match send_domain::forms::apply(&mut scratch, edit) {
        Err(EditError::Invalid(found)) => found,
        _ => Vec::new(),
    };
    let mut all = FormErrors::default();
    for field in fields {
        if let Some(message) = errors.get(field) {
            all.add(field, message);
        } else if let Some((_, message)) = found.iter().find(|(f, _)| f == field) {
            all.add(field, message.clone());
        }
    }
    all
}

/// A refused edit's messages on the page's fields; a refusal that is about no
/// field goes on `first_field`.
pub(super) fn edit_errors(err: &EditError, first_field: &str) -> FormErrors {
    let mut errors = FormErrors::default();
    match err {
        EditError::Invalid(messages) => {
            for (field, message) in messages {
                errors.add(field, message.clone());
            }
        }
        other => errors.add(first_field, other.to_string()),
    }
    errors
}

/// Where a problem is fixed.
pub(super) fn problem_link(id: FormId, problem: &Problem) -> String {
    let base = form_path(id);
    match (&problem.question, &problem.page) {
        (Some(question), _) => format!("{base}/questions/{question}"),
        (None, Some(page)) => format!("{base}#page-{page}"),
        (None, None) if problem.message.contains("question") => format!("{base}/questions/new"),
        (None, None) => format!("{base}/details"),
    }
}

// ---- The list of forms ----

/// One form in the list.
#[derive(Debug)]
struct FormRow {
    id: FormId,
    title: String,
    state: FormState,
    tag: &'static str,
    live: Option<u32>,
    changed: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "forms/builder/list.html")]
struct ListPage {
    chrome: Chrome,
    flash: Option<String>,
    can_create: bool,
    forms: Vec<FormRow>,
}

pub(super) fn tag_class(state: FormState) -> &'static str {
    match state {
        FormState::Draft => "govuk-tag--grey",
        FormState::AwaitingApproval => "govuk-tag--yellow",
        FormState::Live => "govuk-tag--green",
        FormState::Retired => "govuk-tag--red",
    }
}

async fn list(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
) -> Result<Response, WebError> {
    let forms = app.forms_for_builder(&staff.access, &source).await?;
    let flash = take::<Flash>(&staff.signed_in.session, FLASH).await?;
    Ok(ListPage {
        chrome: staff.signed_in.chrome(&app),
        flash: flash.map(|f| f.banner()),
        can_create: builder_may(&staff.access, BuilderAction::Build) == Decision::Allowed,
        forms: forms
            .into_iter()
            .map(|form| FormRow {
                id: form.id,
                title: form.draft.title.clone(),
                state: form.state(),
                tag: tag_class(form.state()),
                live: form.live_version,
                changed: uk_long_date(form.updated_at),
            })
            .collect(),
    }
    .into_response())
}

// ---- Creating a form ----

#[derive(Debug, Default, Deserialize)]
struct NewForm {
    #[serde(default)]
    title: String,
}

fn new_page(app: &App, staff: &Staff, form: &NewForm, errors: &FormErrors) -> Response {
    FormPage::new(
        staff.signed_in.chrome(app),
        "Create a form",
        "/back-office/forms/new",
        staff.signed_in.csrf.clone(),
        "Create form",
    )
    .errors(errors)
    .back("/back-office/forms")
    .intro("Give the form a title. You add its questions next. Nobody sees it until it is approved and published.")
    .field(
        &Input::new("title", "Title")
            .hint("What people will see, for example Request for an EHC needs assessment")
            .value(&form.title)
            .error_opt(errors.get("title")),
    )
    .respond()
}

async fn show_new(State(app): State<App>, staff: Staff) -> Result<Response, WebError> {
    may(&staff, BuilderAction::Build)?;
    Ok(new_page(
        &app,
        &staff,
        &NewForm::default(),
        &FormErrors::default(),
    ))
}

async fn submit_new(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    CsrfForm(form): CsrfForm<NewForm>,
) -> Result<Response, WebError> {
    match app.create_form(&staff.access, &form.title, &source).await? {
        Ok(id) => done(&staff, id, "The form has been created. Add its questions").await,
        Err(err) => Ok(new_page(&app, &staff, &form, &edit_errors(&err, "title"))),
    }
}

// ---- The builder page ----

async fn show(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<FormId>,
) -> Result<Response, WebError> {
    let form = app.builder_form(&staff.access, id, &source).await?;
    let flash = take::<Flash>(&staff.signed_in.session, FLASH).await?;
    Ok(view::builder_page(&app, &staff, &form, flash.map(|f| f.banner()), None).into_response())
}

/// The builder page again, with an error summary saying why it was refused.
fn refused_page(app: &App, staff: &Staff, form: &BuilderForm, summary: ErrorSummary) -> Response {
    let page = view::builder_page(app, staff, form, None, Some(summary));
    (StatusCode::BAD_REQUEST, page).into_response()
}

/// Why the working copy cannot go out, as an error summary: each problem linked
/// to where it is fixed.
fn refusal_summary(id: FormId, refusal: &Checked<impl Sized>, doing: &str) -> ErrorSummary {
    match refusal {
        Checked::Problems(problems) => {
            let mut summary = ErrorSummary::new();
            summary.description_text = Some(format!(
                "You cannot {doing} until these problems are fixed."
            ));
            for problem in problems {
                summary = summary.error(problem_link(id, problem), problem.message.clone());
            }
            summary
        }
        _ => ErrorSummary::new().error(
            "#actions",
            format!("You cannot {doing}: it is the same as the published version"),
        ),
    }
}

async fn ask_for_approval(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<FormId>,
    CsrfForm(posted): CsrfForm<VersionForm>,
) -> Result<Response, WebError> {
    let current = app.builder_form(&staff.access, id, &source).await?;
    let seen = seen_version(&posted.version, current.form.version);
    match app.ask_for_approval(&staff.access, id, seen, &source).await? {
        Checked::Done(()) => {
            done(
                &staff,
                id,
                "You have asked for the form to be approved. Someone who may publish forms will check it",
            )
            .await
        }
        refusal => Ok(refused_page(
            &app,
            &staff,
            &current,
            refusal_summary(id, &refusal, "ask for approval"),
        )),
    }
}

async fn publish(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<FormId>,
    CsrfForm(posted): CsrfForm<VersionForm>,
) -> Result<Response, WebError> {
    let current = app.builder_form(&staff.access, id, &source).await?;
    let seen = seen_version(&posted.version, current.form.version);
    match app.publish_form(&staff.access, id, seen, &source).await? {
        Checked::Done(number) => {
            done(
                &staff,
                id,
                &format!("Version {number} of the form has been published"),
            )
            .await
        }
        refusal => Ok(refused_page(
            &app,
            &staff,
            &current,
            refusal_summary(id, &refusal, "publish the form"),
        )),
    }
}

async fn show_retire(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<FormId>,
) -> Result<Response, WebError> {
    may(&staff, BuilderAction::Retire)?;
    let form = app.builder_form(&staff.access, id, &source).await?;
    if form.form.retired_at.is_some() {
        return Err(WebError::NotFound);
    }
    Ok(view::Confirm {
        chrome: staff.signed_in.chrome(&app),
        title: format!("Retire “{}”?", form.form.draft.title),
        paragraphs: vec![
            "A retired form is no longer offered to families or professionals, and cannot be \
             given to anyone again."
                .to_owned(),
            "Its published versions and everything already submitted are kept.".to_owned(),
        ],
        action: format!("{}/retire", form_path(id)),
        button: "Retire form".to_owned(),
        csrf: staff.signed_in.csrf.clone(),
        version: form.form.version,
        back: form_path(id),
    }
    .into_response())
}

async fn submit_retire(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<FormId>,
    CsrfForm(posted): CsrfForm<VersionForm>,
) -> Result<Response, WebError> {
    let current = app.builder_form(&staff.access, id, &source).await?;
    let seen = seen_version(&posted.version, current.form.version);
    app.retire_form(&staff.access, id, seen, &source).await?;
    done(&staff, id, "The form has been retired").await
}

async fn copy(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<FormId>,
    CsrfForm(_): CsrfForm<VersionForm>,
) -> Result<Response, WebError> {
    let copy = app.copy_form(&staff.access, id, &source).await?;
    done(
        &staff,
        copy,
        "This is your copy of the form. Change it, then ask for it to be approved",
    )
    .await
}

/// What became of an edit posted from a page with its own form.
pub(super) enum Saved {
    /// Made: the builder page with this confirmation is next.
    Done(&'static str),
    /// Refused: the page again with these messages by its fields.
    Refused(FormErrors),
    /// Someone else changed the form first: the page again, saying so on
    /// `first_field`, with the version the form is at now.
    Changed(FormErrors, u32),
}

/// Makes an edit to the version of the form the person saw.
pub(super) async fn save(
    app: &App,
    staff: &Staff,
    id: FormId,
    seen: u32,
    edit: send_domain::forms::Edit,
    first_field: &str,
    source: &send_app::audit::Source,
) -> Result<Saved, WebError> {
    let message = edit.done();
    match app.edit_form(&staff.access, id, seen, edit, source).await {
        Ok(Ok(())) => Ok(Saved::Done(message)),
        Ok(Err(err)) => Ok(Saved::Refused(edit_errors(&err, first_field))),
        Err(AppError::Changed) => {
            let now = app.builder_form(&staff.access, id, source).await?;
            let mut errors = FormErrors::default();
            errors.add(first_field, CHANGED);
            Ok(Saved::Changed(errors, now.form.version))
        }
        Err(err) => Err(err.into()),
    }
}

/// An edit made by a button on the builder page (a move, a removal, a
/// duplicate): the builder page with its banner, or again with the reason it
/// was refused, linked to `anchor`. A stale version is the 409 page.
pub(super) async fn button_edit(
    app: &App,
    staff: &Staff,
    source: &send_app::audit::Source,
    id: FormId,
    posted: &VersionForm,
    edit: send_domain::forms::Edit,
    anchor: &str,
) -> Result<Response, WebError> {
    let current = app.builder_form(&staff.access, id, source).await?;
    let seen = seen_version(&posted.version, current.form.version);
    let message = edit.done();
    match app.edit_form(&staff.access, id, seen, edit, source).await? {
        Ok(()) => done(staff, id, message).await,
        Err(err) => Ok(refused_page(
            app,
            staff,
            &current,
            ErrorSummary::new().error(anchor, err.to_string()),
        )),
    }
}

/// A page shown again because someone else changed the form first.
pub(super) fn conflict(mut page: Response) -> Response {
    *page.status_mut() = StatusCode::CONFLICT;
    page
}
