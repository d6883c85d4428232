//! "Forgotten password": ask for a link, then choose a new password through it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use send_app::App;
use send_app::accounts::ResetOutcome;
use serde::Deserialize;
use tower_sessions::Session;

use super::{FLASH, Flash, check_confirmation, csrf, keep, password_errors, password_policy_html};
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::components::{Input, PasswordInput};
use crate::csrf::CsrfForm;
use crate::errors::WebError;
use crate::forms::{FormErrors, FormPage, see_other};
use crate::paths::{IdPath, LinkToken};

#[derive(Debug, Default, Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    email: String,
}

fn request_page(app: &App, csrf: String, form: &RequestForm, errors: &FormErrors) -> Response {
    FormPage::new(
        Chrome::new(app),
        "Forgotten password",
        "/forgotten-password",
        csrf,
        "Send me a link",
    )
    .errors(errors)
    .back("/sign-in")
    .intro("Enter the email address you registered. We will email you a link to choose a new password.")
    .field(&
        Input::new("email", "Email address")
            .kind("email")
            .autocomplete("email")
            .spellcheck(false)
            .value(&form.email)
            .error_opt(errors.get("email")),
    )
    .respond()
}

pub async fn show_request(State(app): State<App>, session: Session) -> Result<Response, WebError> {
    Ok(request_page(
        &app,
        csrf(&session).await?,
        &RequestForm::default(),
        &FormErrors::default(),
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/reset_sent.html")]
struct ResetSentPage {
    chrome: Chrome,
}

pub async fn submit_request(
    State(app): State<App>,
    session: Session,
    ClientAddress(source): ClientAddress,
    CsrfForm(form): CsrfForm<RequestForm>,
) -> Result<Response, WebError> {
    let mut errors = FormErrors::default();
    errors.check("email", send_domain::Email::parse(&form.email));
    if !errors.is_empty() {
        return Ok(request_page(&app, csrf(&session).await?, &form, &errors));
    }
    app.request_password_reset(&form.email, &source).await?;
    Ok(ResetSentPage {
        chrome: Chrome::new(&app),
    }
    .into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm_password: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/reset_unusable.html")]
struct LinkUnusablePage {
    chrome: Chrome,
}

fn unusable(app: &App) -> Response {
    (
        StatusCode::GONE,
        LinkUnusablePage {
            chrome: Chrome::new(app),
        },
    )
        .into_response()
}

fn reset_page(app: &App, csrf: String, token: &str, errors: &FormErrors) -> Response {
    FormPage::new(
        Chrome::new(app),
        "Choose a new password",
        &format!("/reset-password/{token}"),
        csrf,
        "Save password",
    )
    .errors(errors)
    .intro("When you save your new password you will be signed out everywhere, and can then sign in with it.")
    .field(&password_policy_html(app))
    .field(&
        PasswordInput::new("password", "New password")
            .new_password()
            .error_opt(errors.all("password")),
    )
    .field(&
        PasswordInput::new("confirm_password", "Confirm password")
            .new_password()
            .error_opt(errors.get("confirm_password")),
    )
    .respond()
}

pub async fn show_reset(
    State(app): State<App>,
    session: Session,
    IdPath(token): IdPath<LinkToken>,
) -> Result<Response, WebError> {
    let token = token.as_str();
    if app.reset_link_account(token).await?.is_none() {
        return Ok(unusable(&app));
    }
    Ok(reset_page(
        &app,
        csrf(&session).await?,
        token,
        &FormErrors::default(),
    ))
}

pub async fn submit_reset(
    State(app): State<App>,
    session: Session,
    ClientAddress(source): ClientAddress,
    IdPath(token): IdPath<LinkToken>,
    CsrfForm(form): CsrfForm<ResetForm>,
) -> Result<Response, WebError> {
    let token = token.as_str();
    let mut errors = FormErrors::default();
    check_confirmation(&mut errors, &form.password, &form.confirm_password);
    if form.password.is_empty() {
        errors.add("password", "Enter a new password");
    }
    if errors.is_empty() {
        match app.reset_password(token, &form.password, &source).await? {
            ResetOutcome::Done => {
                session.flush().await.map_err(super::internal)?;
                keep(
                    &session,
                    FLASH,
                    &Flash::success(
                        "Your password has been changed. Sign in with your new password.",
                    ),
                )
                .await?;
                return Ok(see_other("/sign-in"));
            }
            ResetOutcome::LinkUnusable => return Ok(unusable(&app)),
            ResetOutcome::Refused(refused) => password_errors(&mut errors, "password", &refused),
        }
    }
    Ok(reset_page(&app, csrf(&session).await?, token, &errors))
}
