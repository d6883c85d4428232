//! Administration > Move configuration (ADM-2): download the council's
//! configuration as a TOML file; upload one, check the differences, confirm.
//!
//! The uploaded document waits in the portal's file storage between the check
//! and the confirmation (for a day at most), the session holding only its key;
//! the confirmation carries the plan's fingerprint, so what is applied is what
//! was shown (if the configuration changed meanwhile, the differences are shown
//! again). Every page needs "Manage staff".

use crate::routes::Routes;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use send_app::configuration::{ConfigurationUser, ImportPlan, read_document};
use send_app::{App, AppError};
use send_domain::Permission;
use send_domain::configuration::Change;
use serde::Deserialize;

use crate::accounts::{FLASH, Flash, keep, read, take};
use crate::back_office::Staff;
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::components::{ErrorSummary, FileUpload};
use crate::csrf::{CsrfForm, CsrfMultipart};
use crate::errors::WebError;
use crate::question_page::{FormErrors, FormPage, see_other};

/// The largest configuration file the page takes.
pub const MAX_CONFIGURATION_BYTES: usize = 2 * 1024 * 1024;

/// The session key of the storage key of the uploaded document waiting for
/// confirmation.
const UPLOADED: &str = "configuration_upload";

const PAGE: &str = "/back-office/admin/configuration";

pub fn router() -> Routes {
    Routes::new()
        .route(PAGE, get(show))
        .route("/back-office/admin/configuration/download", get(download))
        .route("/back-office/admin/configuration/check", post(check))
        .route("/back-office/admin/configuration/confirm", post(confirm))
}

fn require(staff: &Staff) -> Result<(), WebError> {
    if staff.access.has(Permission::ManageStaff) {
        Ok(())
    } else {
        Err(WebError::Forbidden)
    }
}

fn upload_page(
    app: &App,
    staff: &Staff,
    errors: &FormErrors,
    problems: &[String],
    flash: Option<&Flash>,
) -> Response {
    let mut upload = FileUpload::new("configuration", "Upload a configuration file")
        .hint("A .toml file downloaded from this page on another SEND Portal, smaller than 2MB");
    if let Some(error) = errors.get("configuration") {
        upload = upload.error(error);
    }
    let download = DownloadPart {}.render().unwrap_or_default();
    let problems = if problems.is_empty() {
        String::new()
    } else {
        ProblemList { problems }.render().unwrap_or_default()
    };
    FormPage::new(
        staff.signed_in.chrome(app),
        "Move configuration",
        "/back-office/admin/configuration/check",
        staff.signed_in.csrf.clone(),
        "Check the changes",
    )
    .errors(errors)
    .back("/back-office/admin")
    .intro(
        "Copy the portal's set-up from one SEND Portal to another, for example from a test \
         portal to the live one. The file holds teams, permission groups, message types, \
         the council's texts (email wording, contact details, stage information), local \
         milestones, one-off bank holidays, notification settings, advice reminders and the \
         council's own forms. It never holds children's records or anyone's account.",
    )
    .before_form(flash.map(Flash::banner).unwrap_or_default())
    .before_form(download)
    .before_form(problems)
    .multipart()
    .field(&upload)
    .respond()
}

#[derive(Template)]
#[template(
    source = r#"<h2 class="govuk-heading-m">Download</h2>
<p class="govuk-body"><a class="govuk-link" href="/back-office/admin/configuration/download" download>Download this portal's configuration (TOML file)</a></p>
<h2 class="govuk-heading-m">Import</h2>
<p class="govuk-body">You will see every change before anything is changed.</p>"#,
    ext = "html"
)]
struct DownloadPart {}

#[derive(Template)]
#[template(
    source = r#"<div class="govuk-inset-text"><p class="govuk-body">The file was not imported. Fix these problems and upload it again:</p><ul class="govuk-list govuk-list--bullet">{% for problem in problems %}<li>{{ problem }}</li>{% endfor %}</ul></div>"#,
    ext = "html"
)]
struct ProblemList<'a> {
    problems: &'a [String],
}

pub async fn show(State(app): State<App>, staff: Staff) -> Result<Response, WebError> {
    require(&staff)?;
    let flash = take::<Flash>(&staff.signed_in.session, FLASH).await?;
    Ok(upload_page(
        &app,
        &staff,
        &FormErrors::default(),
        &[],
        flash.as_ref(),
    ))
}

pub async fn download(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
) -> Result<Response, WebError> {
    let text = app
        .export_configuration(ConfigurationUser::Staff(&staff.access), &source)
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/toml; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"send-portal-configuration.toml\"",
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        text,
    )
        .into_response())
}

/// The uploaded file's text, or the message for the field.
fn uploaded_text(multipart: &CsrfMultipart) -> Result<String, &'static str> {
    let Some(file) = multipart
        .files
        .iter()
        .find(|f| f.field == "configuration" && !f.name.is_empty())
    else {
        return Err("Select a configuration file");
    };
    if !file.name.to_lowercase().ends_with(".toml") {
        return Err("The selected file must be a configuration file ending .toml");
    }
    if file.bytes.len() > MAX_CONFIGURATION_BYTES {
        return Err("The selected file must be smaller than 2MB");
    }
    match String::from_utf8(file.bytes.clone()) {
        Ok(text) if !text.contains('\0') && !text.trim().is_empty() => Ok(text),
        Ok(text) if text.trim().is_empty() => Err("The selected file is empty"),
        _ => Err("The selected file must be a configuration file ending .toml"),
    }
}

pub async fn check(
    State(app): State<App>,
    staff: Staff,
    multipart: CsrfMultipart,
) -> Result<Response, WebError> {
    require(&staff)?;
    let mut errors = FormErrors::default();
    let text = match uploaded_text(&multipart) {
        Ok(text) => text,
        Err(message) => {
            errors.add("configuration", message);
            return Ok(upload_page(&app, &staff, &errors, &[], None));
        }
    };
    let document = match read_document(&text) {
        Ok(document) => document,
        Err(problems) => {
            errors.add(
                "configuration",
                "The selected file cannot be imported: fix the problems listed and upload it again",
            );
            let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
            return Ok(upload_page(&app, &staff, &errors, &problems, None));
        }
    };
    let user = ConfigurationUser::Staff(&staff.access);
    let plan = app.plan_import(user, document).await?;
    let key = app.keep_configuration_upload(user, &text).await?;
    // A file checked before and never confirmed is replaced by this one.
    if let Some(earlier) = take::<String>(&staff.signed_in.session, UPLOADED).await? {
        app.discard_configuration_upload(&earlier).await?;
    }
    keep(&staff.signed_in.session, UPLOADED, &key).await?;
    Ok(differences_page(&app, &staff, &plan, false))
}

#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    fingerprint: String,
}

pub async fn confirm(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    CsrfForm(form): CsrfForm<ConfirmForm>,
) -> Result<Response, WebError> {
    let user = ConfigurationUser::Staff(&staff.access);
    let session = &staff.signed_in.session;
    require(&staff)?;
    let Some(key) = read::<String>(session, UPLOADED).await? else {
        // Nothing waiting (already imported, or the session is new): start again.
        return Ok(see_other(PAGE));
    };
    let Some(text) = app.configuration_upload(user, &key).await? else {
        // Kept for a day only: it has gone; the administrator uploads it again.
        take::<String>(session, UPLOADED).await?;
        app.discard_configuration_upload(&key).await?;
        keep(
            session,
            FLASH,
            &Flash::important(
                "The file you uploaded is kept for a day only and has been removed. \
                 Upload it again to import it",
            ),
        )
        .await?;
        return Ok(see_other(PAGE));
    };
    let document = read_document(&text).map_err(|_| WebError::NotFound)?;
    match app
        .apply_import(user, document.clone(), &form.fingerprint, &source)
        .await
    {
        Ok(plan) => {
            take::<String>(session, UPLOADED).await?;
            app.discard_configuration_upload(&key).await?;
            let count = plan.to_apply().count();
            let message = if count == 0 {
                "Nothing needed changing: the configuration is already what the file says"
                    .to_owned()
            } else {
                format!(
                    "The configuration has been imported: {count} {} made",
                    if count == 1 { "change" } else { "changes" }
                )
            };
            keep(session, FLASH, &Flash::success(&message)).await?;
            Ok(see_other("/back-office/admin"))
        }
        Err(AppError::Changed) => {
            let plan = app.plan_import(user, document).await?;
            Ok(differences_page(&app, &staff, &plan, true))
        }
        Err(err) => Err(err.into()),
    }
}

/// One difference as a row: what happens, to what, and whether it is done.
struct Row {
    change: &'static str,
    summary: String,
    kept: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "back_office/configuration_check.html")]
pub struct DifferencesPage {
    chrome: Chrome,
    csrf: String,
    fingerprint: String,
    rows: Vec<Row>,
    nothing: bool,
    changed_meanwhile: bool,
    summary: ErrorSummary,
    added: usize,
    changed: usize,
    removed: usize,
}

fn differences_page(
    app: &App,
    staff: &Staff,
    plan: &ImportPlan,
    changed_meanwhile: bool,
) -> Response {
    let count = |change: Change| plan.to_apply().filter(|d| d.change == change).count();
    let page = DifferencesPage {
        chrome: staff.signed_in.chrome(app),
        csrf: staff.signed_in.csrf.clone(),
        fingerprint: plan.fingerprint.clone(),
        rows: plan
            .differences
            .iter()
            .map(|d| Row {
                change: d.change.label(),
                summary: d.summary.clone(),
                kept: d.kept.clone(),
            })
            .collect(),
        nothing: plan.changes_nothing(),
        changed_meanwhile,
        summary: ErrorSummary::new().error(
            "#changes",
            "Someone changed the configuration after you uploaded the file. Check the \
             changes again before you import it",
        ),
        added: count(Change::Added),
        changed: count(Change::Changed),
        removed: count(Change::Removed),
    };
    let status = if changed_meanwhile {
        http::StatusCode::CONFLICT
    } else {
        http::StatusCode::OK
    };
    (status, page).into_response()
}
