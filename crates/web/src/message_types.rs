//! Message types (ADM-1), in Portal administration: the kinds of message
//! families and professionals choose from when they write to the SEND team.
//! An administrator adds, renames, retires and brings back types; a retired
//! type is not offered for new messages but stays on old conversations. Needs
//! "Manage staff".

use crate::routes::Routes;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use http::StatusCode;
use send_app::App;
use send_domain::{MessageType, MessageTypeId, ShortText};

use crate::accounts::{FLASH, Flash, keep, take};
use crate::back_office::Staff;
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::components::{Button, ErrorSummary, Input};
use crate::csrf::CsrfForm;
use crate::errors::WebError;
use crate::paths::IdPath;
use crate::question_page::{FormErrors, see_other};

/// Where the list of types is.
const LIST: &str = "/back-office/admin/message-types";

pub fn router() -> Routes {
    Routes::new()
        .route(LIST, get(list))
        .route("/back-office/admin/message-types/new", get(new).post(add))
        .route(
            "/back-office/admin/message-types/{id}",
            get(edit).post(rename),
        )
        .route("/back-office/admin/message-types/{id}/retire", post(retire))
        .route(
            "/back-office/admin/message-types/{id}/bring-back",
            post(bring_back),
        )
}

#[derive(Template, WebTemplate)]
#[template(path = "back_office/message_types.html")]
pub struct ListPage {
    chrome: Chrome,
    flash: Option<String>,
    csrf: String,
    types: Vec<MessageType>,
}

async fn list(State(app): State<App>, staff: Staff) -> Result<Response, WebError> {
    let types = app.all_message_types(&staff.access).await?;
    let flash = take::<Flash>(&staff.signed_in.session, FLASH).await?;
    Ok(ListPage {
        chrome: staff.signed_in.chrome(&app),
        flash: flash.map(|f| f.banner()),
        csrf: staff.signed_in.csrf.clone(),
        types,
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "back_office/message_type.html")]
pub struct NamePage {
    chrome: Chrome,
    has_errors: bool,
    summary: ErrorSummary,
    heading: &'static str,
    action: String,
    csrf: String,
    field: Input,
    save: Button,
}

fn name_page(
    app: &App,
    staff: &Staff,
    id: Option<MessageTypeId>,
    typed: &str,
    errors: &FormErrors,
) -> Response {
    let page = NamePage {
        chrome: staff.signed_in.chrome(app),
        has_errors: !errors.is_empty(),
        summary: errors.summary(),
        heading: if id.is_some() {
            "Rename a message type"
        } else {
            "Add a message type"
        },
        action: id.map_or_else(|| format!("{LIST}/new"), |id| format!("{LIST}/{id}")),
        csrf: staff.signed_in.csrf.clone(),
        field: Input::new("name", "Name")
            .hint("What people choose when they write to the SEND team, such as Transport")
            .value(typed)
            .error_opt(errors.get("name")),
        save: Button::new("Save").prevent_double_click(),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    (status, page).into_response()
}

async fn find(app: &App, staff: &Staff, id: MessageTypeId) -> Result<MessageType, WebError> {
    app.all_message_types(&staff.access)
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or(WebError::NotFound)
}

async fn new(State(app): State<App>, staff: Staff) -> Result<Response, WebError> {
    app.all_message_types(&staff.access).await?;
    Ok(name_page(&app, &staff, None, "", &FormErrors::default()))
}

async fn edit(
    State(app): State<App>,
    staff: Staff,
    IdPath(id): IdPath<MessageTypeId>,
) -> Result<Response, WebError> {
    let found = find(&app, &staff, id).await?;
    Ok(name_page(
        &app,
        &staff,
        Some(id),
        found.name.as_str(),
        &FormErrors::default(),
    ))
}

fn name_of(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == "name")
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// Saves a new name (for `existing`, keeping whether it is retired), or
/// shows the page again with the problem.
async fn save_name(
    app: &App,
    staff: &Staff,
    source: &send_app::audit::Source,
    existing: Option<&MessageType>,
    typed: &str,
) -> Result<Response, WebError> {
    let id = existing.map(|t| t.id);
    let mut errors = FormErrors::default();
    let name = match ShortText::parse(typed, "the name of the message type") {
        Ok(name) => name,
        Err(problem) => {
            errors.add("name", problem.to_string());
            return Ok(name_page(app, staff, id, typed, &errors));
        }
    };
    let active = existing.is_none_or(|t| t.active);
    if let Ok(saved) = app
        .save_message_type(&staff.access, id, name, active, source)
        .await?
    {
        keep(
            &staff.signed_in.session,
            FLASH,
            &Flash::success(&format!(
                "The message type “{}” has been saved",
                saved.name.as_str()
            )),
        )
        .await?;
        Ok(see_other(LIST))
    } else {
        errors.add("name", "There is already a message type with this name");
        Ok(name_page(app, staff, id, typed, &errors))
    }
}

async fn add(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    app.all_message_types(&staff.access).await?;
    save_name(&app, &staff, &source, None, &name_of(&pairs)).await
}

async fn rename(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<MessageTypeId>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let found = find(&app, &staff, id).await?;
    save_name(&app, &staff, &source, Some(&found), &name_of(&pairs)).await
}

async fn set_active(
    app: &App,
    staff: &Staff,
    source: &send_app::audit::Source,
    id: MessageTypeId,
    active: bool,
) -> Result<Response, WebError> {
    let found = find(app, staff, id).await?;
    let name = found.name.as_str().to_owned();
    // The name is the one it has, so it cannot be taken.
    let _ = app
        .save_message_type(&staff.access, Some(id), found.name, active, source)
        .await?;
    let said = if active {
        format!("The message type “{name}” is offered again")
    } else {
        format!("The message type “{name}” is retired: it stays on old conversations")
    };
    keep(&staff.signed_in.session, FLASH, &Flash::success(&said)).await?;
    Ok(see_other(LIST))
}

async fn retire(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<MessageTypeId>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    set_active(&app, &staff, &source, id, false).await
}

async fn bring_back(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<MessageTypeId>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    set_active(&app, &staff, &source, id, true).await
}
