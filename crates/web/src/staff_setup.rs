//! The page a set-up link leads to: a new member of staff chooses a password and
//! sets up the authenticator app every back-office account must use.

use crate::routes::Routes;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::StatusCode;
use send_app::App;
use send_app::staff_setup::{OpenedLink, StaffSetupOutcome};
use serde::Deserialize;
use tower_sessions::Session;

use crate::accounts::{
    NEW_AUTHENTICATOR, RECOVERY_CODES, authenticator_in_progress, check_confirmation,
    complete_sign_in, keep, password_errors, password_policy_html, read, signed_in_from, take,
};
use crate::chrome::Chrome;
use crate::client::{ClientAddress, ClientDevice};
use crate::components::{ErrorSummary, Input, PasswordInput};
use crate::csrf::CsrfForm;
use crate::errors::WebError;
use crate::paths::{IdPath, LinkToken};
use crate::question_page::{FormErrors, see_other};

pub fn router() -> Routes {
    Routes::new().route("/staff/setup/{token}", get(open_link).post(complete))
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/setup.html")]
struct SetupPage {
    chrome: Chrome,
    opened: OpenedLink,
    has_errors: bool,
    summary: ErrorSummary,
    csrf: String,
    fields: Vec<String>,
    policy: String,
    qr_svg: String,
    secret: String,
    action: String,
}

#[derive(Debug, Default, Deserialize)]
struct SetupForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm_password: String,
    #[serde(default)]
    code: String,
}

async fn page(
    app: &App,
    session: &Session,
    token: &str,
    opened: OpenedLink,
    errors: &FormErrors,
) -> Result<Response, WebError> {
    let status = match opened {
        OpenedLink::Usable { .. } if errors.is_empty() => StatusCode::OK,
        OpenedLink::Usable { .. } => StatusCode::BAD_REQUEST,
        OpenedLink::Unknown => StatusCode::NOT_FOUND,
        OpenedLink::Expired | OpenedLink::AlreadyUsed => StatusCode::GONE,
    };
    let (mut qr_svg, mut secret) = (String::new(), String::new());
    let usable = matches!(opened, OpenedLink::Usable { .. });
    if let Some(link) = app.usable_staff_setup_link(token).await?.filter(|_| usable) {
        let setup = authenticator_in_progress(app, session, &link.email).await?;
        qr_svg = setup.qr_svg;
        secret = setup.secret;
    }
    let fields = vec![
        PasswordInput::new("password", "Password")
            .new_password()
            .error_opt(errors.all("password"))
            .to_string(),
        PasswordInput::new("confirm_password", "Confirm password")
            .new_password()
            .error_opt(errors.get("confirm_password"))
            .to_string(),
    ];
    let code = Input::new("code", "Code from the app")
        .inputmode("numeric")
        .autocomplete("one-time-code")
        .spellcheck(false)
        .classes("govuk-input--width-10")
        .error_opt(errors.get("code"))
        .to_string();
    Ok((
        status,
        SetupPage {
            chrome: Chrome::new(app),
            opened,
            has_errors: !errors.is_empty(),
            summary: errors.summary(),
            csrf: crate::csrf::token(session).await?,
            fields: [fields, vec![code]].concat(),
            policy: password_policy_html(app),
            qr_svg,
            secret,
            action: format!("/staff/setup/{token}"),
        },
    )
        .into_response())
}

async fn open_link(
    State(app): State<App>,
    session: Session,
    ClientAddress(source): ClientAddress,
    IdPath(token): IdPath<LinkToken>,
) -> Result<Response, WebError> {
    let token = token.as_str();
    let opened = app.open_staff_setup_link(token, &source).await?;
    page(&app, &session, token, opened, &FormErrors::default()).await
}

async fn complete(
    State(app): State<App>,
    session: Session,
    ClientAddress(source): ClientAddress,
    device: ClientDevice,
    IdPath(token): IdPath<LinkToken>,
    CsrfForm(form): CsrfForm<SetupForm>,
) -> Result<Response, WebError> {
    let token = token.as_str();
    let Some(link) = app.usable_staff_setup_link(token).await? else {
        let opened = app.open_staff_setup_link(token, &source).await?;
        return page(&app, &session, token, opened, &FormErrors::default()).await;
    };
    let opened = OpenedLink::Usable {
        name: link.name.clone(),
        role: link.role,
    };
    let mut errors = FormErrors::default();
    if form.password.is_empty() {
        errors.add("password", "Enter a password");
    }
    check_confirmation(&mut errors, &form.password, &form.confirm_password);
    if form.code.trim().is_empty() {
        errors.add("code", "Enter the code from your authenticator app");
    }
    let Some(secret) = read::<String>(&session, NEW_AUTHENTICATOR).await? else {
        return Ok(see_other(&format!("/staff/setup/{token}")));
    };
    if errors.is_empty() {
        match app
            .complete_staff_setup(token, &form.password, &secret, &form.code, &source)
            .await?
        {
            StaffSetupOutcome::Created {
                account_id,
                recovery_codes,
            } => {
                take::<String>(&session, NEW_AUTHENTICATOR).await?;
                complete_sign_in(&session, account_id, &signed_in_from(&source, device))
                    .await?;
                keep(&session, RECOVERY_CODES, &recovery_codes).await?;
                return Ok(see_other("/account/recovery-codes"));
            }
            StaffSetupOutcome::PasswordRefused(refused) => {
                password_errors(&mut errors, "password", &refused);
            }
            StaffSetupOutcome::WrongAuthenticatorCode => {
                errors.add("code", "The code is not correct. Check the app and try again");
            }
            StaffSetupOutcome::EmailTaken => errors.add(
                "password",
                "An account already uses this link's email address. Ask your portal administrator for help",
            ),
            StaffSetupOutcome::LinkUnusable => {
                return page(&app, &session, token, OpenedLink::AlreadyUsed, &errors).await;
            }
        }
    }
    page(&app, &session, token, opened, &errors).await
}
