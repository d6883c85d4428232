//! Texts and settings (ADM-1), in Portal administration: every text the
//! council may change (the SEND team's contact details, emails, the
//! accessibility statement), one page per text with a preview on sample data,
//! and a button to restore the shipped default. Needs "Manage staff".

use std::fmt::Write as _;

use crate::routes::Routes;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use http::StatusCode;
use send_app::App;
use send_app::council_texts::TextLine;
use send_domain::AuditAction;
use send_domain::council_texts::{TextGroup, placeholder_meaning};

use crate::accounts::{FLASH, Flash, keep, take};
use crate::back_office::Staff;
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::components::{Button, ErrorSummary, Input, Textarea};
use crate::csrf::CsrfForm;
use crate::errors::WebError;
use crate::question_page::{FormErrors, see_other};

/// Where the list of texts is.
const LIST: &str = "/back-office/admin/texts";

pub fn router() -> Routes {
    Routes::new()
        .route(LIST, get(list))
        .route("/back-office/admin/texts/{key}", get(show).post(submit))
        .route("/back-office/admin/texts/{key}/restore", post(restore))
}

/// One group of texts on the list.
pub struct Group {
    heading: &'static str,
    rows: Vec<Row>,
}

/// One text on the list.
pub struct Row {
    key: &'static str,
    label: &'static str,
    value: String,
    changed: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "back_office/texts.html")]
pub struct ListPage {
    chrome: Chrome,
    flash: Option<String>,
    groups: Vec<Group>,
}

async fn list(State(app): State<App>, staff: Staff) -> Result<Response, WebError> {
    let lines = app.council_texts(&staff.access).await?;
    let flash = take::<Flash>(&staff.signed_in.session, FLASH).await?;
    let mut groups: Vec<Group> = Vec::new();
    for group in [
        TextGroup::Contact,
        TextGroup::Email,
        TextGroup::Stage,
        TextGroup::Accessibility,
    ] {
        let rows: Vec<Row> = lines
            .iter()
            .filter(|l| l.spec.group == group)
            .map(|l| Row {
                key: l.spec.key,
                label: l.spec.label,
                value: shortened(&l.value),
                changed: l.changed,
            })
            .collect();
        if !rows.is_empty() {
            groups.push(Group {
                heading: group.heading(),
                rows,
            });
        }
    }
    Ok(ListPage {
        chrome: staff.signed_in.chrome(&app),
        flash: flash.map(|f| f.banner()),
        groups,
    }
    .into_response())
}

/// The first words of a text, for the list.
fn shortened(value: &str) -> String {
    const MOST: usize = 120;
    let flat = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.is_empty() {
        return "Not set".to_owned();
    }
    if flat.chars().count() <= MOST {
        return flat;
    }
    let cut: String = flat.chars().take(MOST).collect();
    format!("{}…", cut.trim_end())
}

#[derive(Template, WebTemplate)]
#[template(path = "back_office/text.html")]
pub struct TextPage {
    chrome: Chrome,
    has_errors: bool,
    summary: ErrorSummary,
    label: &'static str,
    group: &'static str,
    action: String,
    restore_action: String,
    csrf: String,
    field: String,
    save: Button,
    preview_button: Button,
    restore_button: Option<Button>,
    /// The text as it reads, with sample data (`None` when it has problems).
    preview: Option<Vec<String>>,
    /// The preview fills in made-up values (a code, a link, a child's name).
    sample_values: bool,
}

fn text_page(
    app: &App,
    staff: &Staff,
    line: &TextLine,
    typed: &str,
    errors: &FormErrors,
    preview: Option<Vec<String>>,
) -> Response {
    let spec = line.spec;
    let mut hint = spec.hint.to_owned();
    if !spec.placeholders.is_empty() {
        let written: Vec<String> = spec
            .placeholders
            .iter()
            .map(|p| format!("(({p})) for {}", placeholder_meaning(p)))
            .collect();
        let _ = write!(hint, ". You can use {}", written.join(", "));
    }
    if !spec.required.is_empty() {
        let written: Vec<String> = spec.required.iter().map(|p| format!("(({p}))")).collect();
        let _ = write!(
            hint,
            ". The text must use {}: the email is no use without it",
            written.join(" and ")
        );
    }
    if !line.default.is_empty() && line.changed {
        hint.push_str(". Restore the default to go back to the portal's own wording");
    }
    let field = if spec.one_line {
        Input::new("value", spec.label)
            .hint(hint)
            .value(typed)
            .error_opt(errors.get("value"))
            .to_string()
    } else {
        Textarea::new("value", spec.label)
            .hint(hint)
            .value(typed)
            .rows(10)
            .error_opt(errors.get("value"))
            .to_string()
    };
    let page = TextPage {
        chrome: staff.signed_in.chrome(app),
        has_errors: !errors.is_empty(),
        summary: errors.summary(),
        label: spec.label,
        group: spec.group.heading(),
        action: format!("{LIST}/{}", spec.key),
        restore_action: format!("{LIST}/{}/restore", spec.key),
        csrf: staff.signed_in.csrf.clone(),
        field,
        save: Button::new("Save changes")
            .name_value("action", "save")
            .prevent_double_click(),
        preview_button: Button::new("Preview")
            .name_value("action", "preview")
            .classes("govuk-button--secondary"),
        restore_button: line.changed.then(|| {
            Button::new("Restore the default")
                .classes("govuk-button--warning")
                .prevent_double_click()
        }),
        preview,
        sample_values: spec
            .placeholders
            .iter()
            .any(|p| !["council_name", "contact"].contains(p)),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    (status, page).into_response()
}

async fn show(
    State(app): State<App>,
    staff: Staff,
    Path(key): Path<String>,
) -> Result<Response, WebError> {
    let line = app.council_text(&staff.access, &key).await?;
    let preview = app.council_text_preview(&line.value);
    Ok(text_page(
        &app,
        &staff,
        &line,
        &line.value,
        &FormErrors::default(),
        Some(preview),
    ))
}

async fn submit(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    Path(key): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    // Refused (403, audited) or not found before anything is read from the form.
    app.may_change_council_text(
        &staff.access,
        AuditAction::CouncilTextChanged,
        &key,
        &source,
    )
    .await?;
    let line = app.council_text(&staff.access, &key).await?;
    let mut typed = String::new();
    let mut action = String::new();
    for (name, value) in pairs {
        match name.as_str() {
            "value" => typed = value,
            "action" => action = value,
            _ => {}
        }
    }
    let mut errors = FormErrors::default();
    let checked = match line.spec.parse(&typed) {
        Ok(value) => value,
        Err(problem) => {
            errors.add("value", problem.to_string());
            return Ok(text_page(&app, &staff, &line, &typed, &errors, None));
        }
    };
    if action == "preview" {
        let preview = app.council_text_preview(&checked);
        return Ok(text_page(
            &app,
            &staff,
            &line,
            &typed,
            &errors,
            Some(preview),
        ));
    }
    if let Err(problem) = app
        .save_council_text(&staff.access, line.spec.key, &typed, &source)
        .await?
    {
        errors.add("value", problem.to_string());
        return Ok(text_page(&app, &staff, &line, &typed, &errors, None));
    }
    keep(
        &staff.signed_in.session,
        FLASH,
        &Flash::success(&format!("“{}” has been saved", line.spec.label)),
    )
    .await?;
    Ok(see_other(LIST))
}

async fn restore(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    Path(key): Path<String>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    app.may_change_council_text(
        &staff.access,
        AuditAction::CouncilTextRestored,
        &key,
        &source,
    )
    .await?;
    let line = app.council_text(&staff.access, &key).await?;
    app.restore_council_text(&staff.access, line.spec.key, &source)
        .await?;
    keep(
        &staff.signed_in.session,
        FLASH,
        &Flash::success(&format!(
            "“{}” is back to the portal's default",
            line.spec.label
        )),
    )
    .await?;
    Ok(see_other(LIST))
}
