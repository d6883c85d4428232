//! Signing in ("Submit", then "Finish") and signing out ("Logout").

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use send_app::App;
use send_app::accounts::{CodeOutcome, PasswordStep, PendingCode, SecondStepOutcome};
use send_domain::{CodePurpose, CodeText, Email, UserId};
use serde::Deserialize;
use tower_sessions::Session;

use super::register::{CodeForm, code_input, resend};
use super::{
    AnyForm, CODE_SENT_TO, CodeSentTo, FLASH, Flash, PENDING_AUTHENTICATOR, PENDING_CODE, SignedIn,
    complete_sign_in, csrf, internal, keep, new_session_id, read, signed_in_from, take,
    wait_message,
};
use crate::chrome::Chrome;
use crate::client::{ClientAddress, ClientDevice};
use crate::components::{Input, PasswordInput};
use crate::csrf::CsrfForm;
use crate::errors::WebError;
use crate::question_page::{FormErrors, FormPage, link_button_form, see_other};

#[derive(Debug, Default, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// The one message for a wrong email address or password: it never says which.
const REFUSED: &str = "Enter a correct email address and password";

fn page(
    app: &App,
    csrf: String,
    form: &SignInForm,
    errors: &FormErrors,
    flash: Option<Flash>,
) -> Response {
    let mut page = FormPage::new(Chrome::new(app), "Sign in", "/sign-in", csrf, "Submit")
        .errors(errors)
        .intro("Enter the email address you registered and your password.");
    if let Some(flash) = flash {
        page = page.before_form(flash.banner());
    }
    page.field(&
        Input::new("email", "Email address")
            .kind("email")
            .autocomplete("username")
            .spellcheck(false)
            .value(&form.email)
            .error_opt(errors.get("email")),
    )
    .field(&PasswordInput::new("password", "Password").error_opt(errors.get("password")))
    .after_form(
        r#"<p class="govuk-body"><a class="govuk-link" href="/forgotten-password">Forgotten password</a></p>
<h2 class="govuk-heading-m">If you do not have an account</h2>
<p class="govuk-body"><a class="govuk-link" href="/register">Register for new account</a></p>"#,
    )
    .respond()
}

pub async fn show(State(app): State<App>, session: Session) -> Result<Response, WebError> {
    let flash = take::<Flash>(&session, FLASH).await?;
    // "Change email address" from the code page comes back with the address.
    let email = read::<CodeSentTo>(&session, CODE_SENT_TO)
        .await?
        .filter(|sent| sent.change == "/sign-in")
        .map(|sent| sent.address)
        .unwrap_or_default();
    Ok(page(
        &app,
        csrf(&session).await?,
        &SignInForm {
            email,
            password: String::new(),
        },
        &FormErrors::default(),
        flash,
    ))
}

pub async fn submit(
    State(app): State<App>,
    session: Session,
    ClientAddress(source): ClientAddress,
    CsrfForm(form): CsrfForm<SignInForm>,
) -> Result<Response, WebError> {
    let mut errors = FormErrors::default();
    if form.email.trim().is_empty() {
        errors.add("email", "Enter your email address");
    }
    if form.password.is_empty() {
        errors.add("password", "Enter your password");
    }
    if !errors.is_empty() {
        return Ok(page(&app, csrf(&session).await?, &form, &errors, None));
    }
    let step = app
        .sign_in_password(&form.email, &form.password, &source)
        .await?;
    let sent_to = CodeSentTo {
        address: Email::parse(&form.email)
            .map_or_else(|_| form.email.trim().to_owned(), |e| e.as_str().to_owned()),
        change: "/sign-in".to_owned(),
    };
    let shown = SignInForm {
        email: form.email,
        password: String::new(),
    };
    match step {
        PasswordStep::Refused => {
            errors.add("email", REFUSED);
            Ok(page(&app, csrf(&session).await?, &shown, &errors, None))
        }
        PasswordStep::Disabled => {
            errors.add(
                "email",
                "This account cannot be used to sign in. Contact the council's SEND team if you think this is wrong",
            );
            Ok(page(&app, csrf(&session).await?, &shown, &errors, None))
        }
        PasswordStep::Throttled { until } => {
            errors.add("email", wait_message(until, app.clock.now()));
            Ok(page(&app, csrf(&session).await?, &shown, &errors, None))
        }
        PasswordStep::VerifyEmail(pending) => {
            new_session_id(&session).await?;
            keep(&session, PENDING_CODE, &pending).await?;
            keep(&session, CODE_SENT_TO, &sent_to).await?;
            Ok(see_other("/register/confirm"))
        }
        PasswordStep::EmailCode(pending) => {
            new_session_id(&session).await?;
            keep(&session, PENDING_CODE, &pending).await?;
            keep(&session, CODE_SENT_TO, &sent_to).await?;
            Ok(see_other("/sign-in/code"))
        }
        PasswordStep::Authenticator { account_id } => {
            new_session_id(&session).await?;
            keep(&session, PENDING_AUTHENTICATOR, &account_id).await?;
            Ok(see_other("/sign-in/authenticator"))
        }
        PasswordStep::NoSecondStep => Ok(NoSecondStepPage {
            chrome: Chrome::new(&app),
        }
        .into_response_ok()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/no_second_step.html")]
struct NoSecondStepPage {
    chrome: Chrome,
}

impl NoSecondStepPage {
    fn into_response_ok(self) -> Response {
        use axum::response::IntoResponse;
        (http::StatusCode::FORBIDDEN, self).into_response()
    }
}

fn code_page(
    app: &App,
    csrf: &str,
    form: &CodeForm,
    errors: &FormErrors,
    (flash, sent_to): (Option<Flash>, Option<CodeSentTo>),
) -> Response {
    let mut page = FormPage::new(
        Chrome::new(app),
        "Enter the code we emailed you",
        "/sign-in/code",
        csrf.to_owned(),
        "Finish",
    )
    .errors(errors)
    .intro(format!(
        "We have sent a code to {}. The code is for one time use only: a new code is sent \
         each time you sign in.",
        sent_to
            .as_ref()
            .map_or("your registered email address", |sent| sent.address.as_str())
    ))
    .intro("If the email has not arrived, check your spam or junk mail folder. The code works for 10 minutes.");
    if let Some(sent) = &sent_to {
        page = page.before_form(sent.change_link());
    }
    if let Some(flash) = flash {
        page = page.before_form(flash.banner());
    }
    page.field(&code_input(&form.code, errors.get("code"), "Code"))
        .after_form(link_button_form(
            "/sign-in/new-code",
            csrf,
            "Please send me a new code",
        ))
        .respond()
}

async fn pending_sign_in(session: &Session) -> Result<Option<PendingCode>, WebError> {
    Ok(read::<PendingCode>(session, PENDING_CODE)
        .await?
        .filter(|p| p.purpose == CodePurpose::SignIn))
}

pub async fn show_code(State(app): State<App>, session: Session) -> Result<Response, WebError> {
    if pending_sign_in(&session).await?.is_none() {
        return Ok(see_other("/sign-in"));
    }
    let flash = take::<Flash>(&session, FLASH).await?;
    let sent_to = read::<CodeSentTo>(&session, CODE_SENT_TO).await?;
    Ok(code_page(
        &app,
        &csrf(&session).await?,
        &CodeForm::default(),
        &FormErrors::default(),
        (flash, sent_to),
    ))
}

pub async fn submit_code(
    State(app): State<App>,
    session: Session,
    ClientAddress(source): ClientAddress,
    device: ClientDevice,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<Response, WebError> {
    let Some(pending) = pending_sign_in(&session).await? else {
        return Ok(see_other("/sign-in"));
    };
    let mut errors = FormErrors::default();
    if let Some(code) = errors.check("code", CodeText::parse(&form.code)) {
        match app
            .finish_sign_in_with_code(&pending, &code, &source)
            .await?
        {
            CodeOutcome::Accepted(account) => {
                complete_sign_in(&session, account.id, &signed_in_from(&source, device)).await?;
                return Ok(see_other(&super::landing(&app, &session, &account).await?));
            }
            refused => errors.add("code", refused.message()),
        }
    }
    let sent_to = read::<CodeSentTo>(&session, CODE_SENT_TO).await?;
    Ok(code_page(
        &app,
        &csrf(&session).await?,
        &form,
        &errors,
        (None, sent_to),
    ))
}

pub async fn new_code(
    State(app): State<App>,
    session: Session,
    ClientAddress(source): ClientAddress,
    CsrfForm(_): CsrfForm<AnyForm>,
) -> Result<Response, WebError> {
    resend(&app, &session, &source, "/sign-in/code").await
}

#[derive(Debug, Default, Deserialize)]
pub struct AppCodeForm {
    #[serde(default)]
    code: String,
}

fn authenticator_page(app: &App, csrf: String, errors: &FormErrors, recovery: bool) -> Response {
    let (title, action, label, intro, other) = if recovery {
        (
            "Enter a recovery code",
            "/sign-in/recovery-code",
            "Recovery code",
            "Enter one of the recovery codes you were given when you set up your authenticator app. Each code works once.",
            r#"<p class="govuk-body"><a class="govuk-link" href="/sign-in/authenticator">Use your authenticator app instead</a></p>"#,
        )
    } else {
        (
            "Enter the code from your authenticator app",
            "/sign-in/authenticator",
            "Code from your authenticator app",
            "Open the authenticator app on your phone and enter the 6-digit code it shows for the SEND Portal.",
            r#"<p class="govuk-body"><a class="govuk-link" href="/sign-in/recovery-code">I cannot use my authenticator app</a></p>"#,
        )
    };
    let input = if recovery {
        Input::new("code", label)
            .autocomplete("off")
            .spellcheck(false)
            .classes("govuk-input--width-30")
            .error_opt(errors.get("code"))
    } else {
        code_input("", errors.get("code"), label)
    };
    FormPage::new(Chrome::new(app), title, action, csrf, "Finish")
        .errors(errors)
        .intro(intro)
        .field(&input)
        .after_form(other)
        .respond()
}

async fn pending_authenticator(session: &Session) -> Result<Option<UserId>, WebError> {
    read::<UserId>(session, PENDING_AUTHENTICATOR).await
}

pub async fn show_authenticator(
    State(app): State<App>,
    session: Session,
) -> Result<Response, WebError> {
    if pending_authenticator(&session).await?.is_none() {
        return Ok(see_other("/sign-in"));
    }
    Ok(authenticator_page(
        &app,
        csrf(&session).await?,
        &FormErrors::default(),
        false,
    ))
}

pub async fn show_recovery(State(app): State<App>, session: Session) -> Result<Response, WebError> {
    if pending_authenticator(&session).await?.is_none() {
        return Ok(see_other("/sign-in"));
    }
    Ok(authenticator_page(
        &app,
        csrf(&session).await?,
        &FormErrors::default(),
        true,
    ))
}

async fn second_step(
    app: &App,
    session: &Session,
    source: &send_app::audit::Source,
    device: ClientDevice,
    form: &AppCodeForm,
    recovery: bool,
) -> Result<Response, WebError> {
    let Some(account_id) = pending_authenticator(session).await? else {
        return Ok(see_other("/sign-in"));
    };
    let mut errors = FormErrors::default();
    if form.code.trim().is_empty() {
        errors.add("code", "Enter the code");
    } else {
        let outcome = if recovery {
            app.finish_sign_in_with_recovery_code(account_id, &form.code, source)
                .await?
        } else {
            app.finish_sign_in_with_authenticator(account_id, &form.code, source)
                .await?
        };
        match outcome {
            SecondStepOutcome::Accepted(account) => {
                complete_sign_in(session, account.id, &signed_in_from(source, device)).await?;
                return Ok(see_other(&super::landing(app, session, &account).await?));
            }
            SecondStepOutcome::Wrong => {
                errors.add("code", "The code is not correct. Check it and try again");
            }
            SecondStepOutcome::Throttled { until } => {
                errors.add("code", wait_message(until, app.clock.now()));
            }
        }
    }
    Ok(authenticator_page(
        app,
        csrf(session).await?,
        &errors,
        recovery,
    ))
}

pub async fn submit_authenticator(
    State(app): State<App>,
    session: Session,
    ClientAddress(source): ClientAddress,
    device: ClientDevice,
    CsrfForm(form): CsrfForm<AppCodeForm>,
) -> Result<Response, WebError> {
    second_step(&app, &session, &source, device, &form, false).await
}

pub async fn submit_recovery(
    State(app): State<App>,
    session: Session,
    ClientAddress(source): ClientAddress,
    device: ClientDevice,
    CsrfForm(form): CsrfForm<AppCodeForm>,
) -> Result<Response, WebError> {
    second_step(&app, &session, &source, device, &form, true).await
}

/// "Logout": the session ends on the server, not just in the browser.
pub async fn sign_out(
    State(app): State<App>,
    signed_in: Result<SignedIn, Response>,
    session: Session,
    ClientAddress(source): ClientAddress,
    CsrfForm(_): CsrfForm<AnyForm>,
) -> Result<Response, WebError> {
    if let Ok(signed_in) = signed_in {
        app.signed_out(signed_in.account.id, &source).await?;
    }
    session.flush().await.map_err(internal)?;
    // The browser forgets what it kept of the portal: on a shared computer the
    // next person finds no cached pages (ASVS 14.3.1).
    Ok((
        [(CLEAR_SITE_DATA, "\"cache\", \"cookies\", \"storage\"")],
        see_other("/signed-out"),
    )
        .into_response())
}

const CLEAR_SITE_DATA: http::HeaderName = http::HeaderName::from_static("clear-site-data");

#[derive(Template, WebTemplate)]
#[template(path = "accounts/signed_out.html")]
pub struct SignedOutPage {
    chrome: Chrome,
}

pub async fn signed_out(State(app): State<App>) -> SignedOutPage {
    SignedOutPage {
        chrome: Chrome::new(&app),
    }
}
