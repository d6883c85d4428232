//! The administration pages of automatic notifications: every event with who
//! gets it, and one page per event to turn audiences on or off and edit the
//! subject and body, with a preview on sample data. Needs "manage staff".

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use send_app::App;
use send_domain::notifications::{
    Audience, Audiences, NotificationEvent, NotificationSetting, NotificationText, Placeholder,
    Rendered,
};

use crate::accounts::{FLASH, Flash, keep, take};
use crate::back_office::Staff;
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::components::{Button, Checkboxes, ChoiceItem, ErrorSummary, Input, Legend, Textarea};
use crate::csrf::CsrfForm;
use crate::errors::WebError;
use crate::question_page::{FormErrors, see_other};

/// Where the table of events is.
const LIST: &str = "/back-office/admin/notifications";

/// One row of the table.
pub struct Row {
    code: &'static str,
    label: &'static str,
    description: &'static str,
    who: String,
    statutory: bool,
    changed: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "back_office/notifications.html")]
pub struct ListPage {
    chrome: Chrome,
    flash: Option<String>,
    rows: Vec<Row>,
}

pub async fn list(State(app): State<App>, staff: Staff) -> Result<Response, WebError> {
    let settings = app.notification_settings(&staff.access).await?;
    let flash = take::<Flash>(&staff.signed_in.session, FLASH).await?;
    Ok(ListPage {
        chrome: staff.signed_in.chrome(&app),
        flash: flash.map(|f| f.banner()),
        rows: settings
            .into_iter()
            .map(|s| Row {
                code: s.setting.event.code(),
                label: s.setting.event.label(),
                description: s.setting.event.description(),
                who: s.setting.audiences.describe(),
                statutory: s.setting.event.is_statutory(),
                changed: s.changed,
            })
            .collect(),
    }
    .into_response())
}

/// What the page's form sends.
#[derive(Debug, Default, Clone)]
pub struct SettingForm {
    audiences: Vec<String>,
    subject: String,
    body: String,
    /// `preview`, or anything else to save.
    action: String,
}

impl SettingForm {
    fn of(setting: &NotificationSetting) -> Self {
        Self {
            audiences: Audience::ALL
                .iter()
                .filter(|a| setting.audiences.includes(**a))
                .map(|a| a.code().to_owned())
                .collect(),
            subject: setting.text.subject().to_owned(),
            body: setting.text.body().to_owned(),
            action: String::new(),
        }
    }

    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut form = Self::default();
        for (key, value) in pairs {
            match key.as_str() {
                "audiences" => form.audiences.push(value),
                "subject" => form.subject = value,
                "body" => form.body = value,
                "action" => form.action = value,
                _ => {}
            }
        }
        form
    }

    fn audiences(&self) -> Audiences {
        let has = |a: Audience| self.audiences.iter().any(|c| c == a.code());
        Audiences {
            families: has(Audience::Families),
            professionals: has(Audience::Professionals),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "back_office/notification.html")]
pub struct SettingPage {
    chrome: Chrome,
    has_errors: bool,
    summary: ErrorSummary,
    label: &'static str,
    description: &'static str,
    statutory: bool,
    action: String,
    csrf: String,
    fields: Vec<String>,
    save: Button,
    preview_button: Button,
    /// The sample email: subject and paragraphs (`None` when the text has problems).
    preview: Option<Rendered>,
    council: String,
}

fn setting_page(
    app: &App,
    staff: &Staff,
    event: NotificationEvent,
    form: &SettingForm,
    errors: &FormErrors,
    preview: Option<Rendered>,
) -> Response {
    let mut audiences = Checkboxes::new("audiences")
        .legend(Legend {
            classes: Some("govuk-fieldset__legend--m".to_owned()),
            ..Legend::new("Who gets this email")
        })
        .hint("Only people with an active link to the child. Leave both unticked to send it to nobody.")
        .error_opt(errors.get("audiences"));
    for audience in Audience::ALL {
        audiences = audiences.item(
            ChoiceItem::new(audience.code(), audience.label())
                .checked(form.audiences.iter().any(|c| c == audience.code())),
        );
    }
    let placeholders: Vec<String> = Placeholder::all_in(event)
        .iter()
        .map(|p| format!("{} for {}", p.written(), p.description()))
        .collect();
    let fields = vec![
        audiences.to_string(),
        Input::new("subject", "Subject")
            .hint(format!(
                "Up to {} characters. Say what kind of thing happened, without personal details.",
                NotificationText::SUBJECT_MAX_CHARS
            ))
            .value(&form.subject)
            .error_opt(errors.get("subject"))
            .to_string(),
        Textarea::new("body", "Text of the email")
            .hint(format!(
                "Plain English, up to {} characters. Leave a blank line between paragraphs. You \
                 can use {}. The email must include ((link)). It starts with “Dear” and the \
                 person's name, and ends with the SEND team's sign-off.",
                NotificationText::BODY_MAX_CHARS,
                placeholders.join(", ")
            ))
            .value(&form.body)
            .rows(10)
            .error_opt(errors.get("body"))
            .to_string(),
    ];
    let page = SettingPage {
        chrome: staff.signed_in.chrome(app),
        has_errors: !errors.is_empty(),
        summary: errors.summary(),
        label: event.label(),
        description: event.description(),
        statutory: event.is_statutory(),
        action: format!("{LIST}/{}", event.code()),
        csrf: staff.signed_in.csrf.clone(),
        fields,
        save: Button::new("Save changes")
            .name_value("action", "save")
            .prevent_double_click(),
        preview_button: Button::new("Preview")
            .name_value("action", "preview")
            .classes("govuk-button--secondary"),
        preview,
        council: app.settings.council_name.as_str().to_owned(),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    (status, page).into_response()
}

fn event_of(code: &str) -> Result<NotificationEvent, WebError> {
    code.parse().map_err(|_| WebError::NotFound)
}

pub async fn show(
    State(app): State<App>,
    staff: Staff,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let event = event_of(&code)?;
    let current = app.notification_setting(&staff.access, event).await?;
    let preview = app.notification_preview(&current.setting);
    Ok(setting_page(
        &app,
        &staff,
        event,
        &SettingForm::of(&current.setting),
        &FormErrors::default(),
        Some(preview),
    ))
}

pub async fn submit(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    Path(code): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let event = event_of(&code)?;
    // Refused (403) before anything is read from the form, for staff
    // without "manage staff".
    app.notification_setting(&staff.access, event).await?;
    let form = SettingForm::from_pairs(pairs);
    let mut errors = FormErrors::default();
    if form
        .audiences
        .iter()
        .any(|c| c.parse::<Audience>().is_err())
    {
        errors.add("audiences", "Select who gets this email from the list");
    }
    let text = match NotificationText::parse(event, &form.subject, &form.body) {
        Ok(text) => Some(text),
        Err(problems) => {
            for problem in problems {
                errors.add(problem.field().name(), problem.to_string());
            }
            None
        }
    };
    let (Some(text), true) = (text, errors.is_empty()) else {
        return Ok(setting_page(&app, &staff, event, &form, &errors, None));
    };
    let setting = NotificationSetting {
        event,
        audiences: form.audiences(),
        text,
    };
    if form.action == "preview" {
        let preview = app.notification_preview(&setting);
        return Ok(setting_page(
            &app,
            &staff,
            event,
            &form,
            &errors,
            Some(preview),
        ));
    }
    app.save_notification_setting(&staff.access, setting, &source)
        .await?;
    keep(
        &staff.signed_in.session,
        FLASH,
        &Flash::success(&format!("The “{}” email has been saved", event.label())),
    )
    .await?;
    Ok(see_other(LIST))
}
