//! A form's pages: moving them, duplicating them, removing them, and their
//! headings (shown when a page holds more than one question).

use crate::routes::Routes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use send_app::App;
use send_domain::FormId;
use send_domain::forms::{BuilderAction, Direction, Edit, Form, PageKey};
use serde::Deserialize;

use super::{
    Saved, VersionForm, button_edit, conflict, done, form_path, may, save, seen_version,
    version_field, view,
};
use crate::back_office::Staff;
use crate::client::ClientAddress;
use crate::components::Input;
use crate::csrf::CsrfForm;
use crate::errors::WebError;
use crate::paths::{IdPath, Key};
use crate::question_page::{FormErrors, FormPage};

pub(super) fn router() -> Routes {
    Routes::new()
        .route(
            "/back-office/forms/{id}/pages/{page}/move-up",
            post(move_up),
        )
        .route(
            "/back-office/forms/{id}/pages/{page}/move-down",
            post(move_down),
        )
        .route(
            "/back-office/forms/{id}/pages/{page}/duplicate",
            post(duplicate),
        )
        .route(
            "/back-office/forms/{id}/pages/{page}/remove",
            get(show_remove).post(submit_remove),
        )
        .route(
            "/back-office/forms/{id}/pages/{page}/heading",
            get(show_heading).post(submit_heading),
        )
}

/// The working copy with this page, for a page that changes it.
pub(super) async fn editable_page(
    app: &App,
    staff: &Staff,
    id: FormId,
    page: &PageKey,
    source: &send_app::audit::Source,
) -> Result<(Form, usize), WebError> {
    may(staff, BuilderAction::Build)?;
    let current = app.builder_form(&staff.access, id, source).await?;
    if !current.form.editable() {
        return Err(WebError::NotFound);
    }
    let index = current
        .form
        .draft
        .page(page)
        .map(|(i, _)| i)
        .ok_or(WebError::NotFound)?;
    Ok((current.form, index))
}

async fn move_page(
    app: &App,
    staff: &Staff,
    source: &send_app::audit::Source,
    id: FormId,
    page: PageKey,
    direction: Direction,
    posted: &VersionForm,
) -> Result<Response, WebError> {
    let anchor = format!("#page-{page}");
    let edit = Edit::MovePage { page, direction };
    button_edit(app, staff, source, id, posted, edit, &anchor).await
}

async fn move_up(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(page))): IdPath<(FormId, Key<PageKey>)>,
    CsrfForm(posted): CsrfForm<VersionForm>,
) -> Result<Response, WebError> {
    move_page(&app, &staff, &source, id, page, Direction::Up, &posted).await
}

async fn move_down(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(page))): IdPath<(FormId, Key<PageKey>)>,
    CsrfForm(posted): CsrfForm<VersionForm>,
) -> Result<Response, WebError> {
    move_page(&app, &staff, &source, id, page, Direction::Down, &posted).await
}

async fn duplicate(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(page))): IdPath<(FormId, Key<PageKey>)>,
    CsrfForm(posted): CsrfForm<VersionForm>,
) -> Result<Response, WebError> {
    let anchor = format!("#page-{page}");
    button_edit(
        &app,
        &staff,
        &source,
        id,
        &posted,
        Edit::DuplicatePage { page },
        &anchor,
    )
    .await
}

async fn show_remove(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(page))): IdPath<(FormId, Key<PageKey>)>,
) -> Result<Response, WebError> {
    let (form, index) = editable_page(&app, &staff, id, &page, &source).await?;
    let count = form.draft.pages[index].questions.len();
    Ok(view::Confirm {
        chrome: staff.signed_in.chrome(&app),
        title: format!("Remove page {}?", index + 1),
        paragraphs: vec![if count == 1 {
            "Its question is removed with it.".to_owned()
        } else {
            format!("Its {count} questions are removed with it.")
        }],
        action: format!("{}/pages/{page}/remove", form_path(id)),
        button: "Remove page".to_owned(),
        csrf: staff.signed_in.csrf.clone(),
        version: form.version,
        back: form_path(id),
    }
    .into_response())
}

async fn submit_remove(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(page))): IdPath<(FormId, Key<PageKey>)>,
    CsrfForm(posted): CsrfForm<VersionForm>,
) -> Result<Response, WebError> {
    let anchor = format!("#page-{page}");
    button_edit(
        &app,
        &staff,
        &source,
        id,
        &posted,
        Edit::RemovePage { page },
        &anchor,
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
struct HeadingForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    heading: String,
}

fn heading_page(
    app: &App,
    staff: &Staff,
    (id, page, number): (FormId, &PageKey, usize),
    form: &HeadingForm,
    errors: &FormErrors,
) -> Response {
    FormPage::new(
        staff.signed_in.chrome(app),
        &format!("Heading of page {number}"),
        &format!("{}/pages/{page}/heading", form_path(id)),
        staff.signed_in.csrf.clone(),
        "Save heading",
    )
    .errors(errors)
    .back(&form_path(id))
    .intro("A page with more than one question needs a heading of its own. Leave it empty to remove it.")
    .field(&version_field(form.version.parse().unwrap_or(0)))
    .field(
        &Input::new("heading", "Heading (optional)")
            .value(&form.heading)
            .error_opt(errors.get("heading")),
    )
    .respond()
}

async fn show_heading(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(page))): IdPath<(FormId, Key<PageKey>)>,
) -> Result<Response, WebError> {
    let (form, index) = editable_page(&app, &staff, id, &page, &source).await?;
    let typed = HeadingForm {
        version: form.version.to_string(),
        heading: form.draft.pages[index].heading.clone().unwrap_or_default(),
    };
    Ok(heading_page(
        &app,
        &staff,
        (id, &page, index + 1),
        &typed,
        &FormErrors::default(),
    ))
}

async fn submit_heading(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(page))): IdPath<(FormId, Key<PageKey>)>,
    CsrfForm(mut typed): CsrfForm<HeadingForm>,
) -> Result<Response, WebError> {
    let (form, index) = editable_page(&app, &staff, id, &page, &source).await?;
    let seen = seen_version(&typed.version, form.version);
    let edit = Edit::SetPageHeading {
        page: page.clone(),
        heading: typed.heading.clone(),
    };
    let here = (id, &page, index + 1);
    match save(&app, &staff, id, seen, edit, "heading", &source).await? {
        Saved::Done(message) => done(&staff, id, message).await,
        Saved::Refused(errors) => Ok(heading_page(&app, &staff, here, &typed, &errors)),
        Saved::Changed(errors, version) => {
            typed.version = version.to_string();
            Ok(conflict(heading_page(&app, &staff, here, &typed, &errors)))
        }
    }
}
