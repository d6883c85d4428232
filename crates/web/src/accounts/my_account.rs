//! My Account: details, password, email address, how to sign in, recent sign-ins
//! (and, in `devices`, where the account is signed in).
//!
//! Changing the email address or the second step needs the password (ASVS 7.5.1),
//! so a session left open is not enough to take the account over; after a change
//! of the second step the person may sign out every other device (ASVS 7.4.3), as
//! a password change always does.

use askama::Template;

use crate::chrome::Chrome;
use crate::routes::Routes;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use send_app::App;
use send_app::accounts::{
    ChangePassword, CodeOutcome, DetailsChange, EmailChangeOutcome, OtherSessions, PendingCode,
    SecondStepChange, StartEmailChange,
};
use send_domain::dates::uk_time;
use send_domain::notifications::{Audience, Choice};
use send_domain::{
    AccountKind, CodePurpose, CodeText, Email, PersonName, PhoneNumber, ProfessionalDetails,
    SecondFactor, ShortText,
};
use serde::Deserialize;

use super::register::code_input;
use super::{
    AnyForm, FLASH, Flash, NEW_AUTHENTICATOR, PENDING_CODE, RECOVERY_CODES, SignedIn,
    check_confirmation, keep, password_errors, password_policy_html, read, take,
};
use crate::client::ClientAddress;
use crate::components::{
    Checkboxes, ChoiceItem, Input, Legend, PasswordInput, Radios, SummaryList, SummaryListAction,
    SummaryListRow,
};
use crate::csrf::CsrfForm;
use crate::errors::WebError;
use crate::question_page::{FormErrors, FormPage, see_other};
use crate::sessions::session_id_hash;

pub fn router() -> Routes {
    Routes::new()
        .route("/account", get(overview))
        .route("/account/details", get(show_details).post(submit_details))
        .route(
            "/account/password",
            get(show_password).post(submit_password),
        )
        .route("/account/email", get(show_email).post(submit_email))
        .route(
            "/account/email/confirm",
            get(show_email_code).post(submit_email_code),
        )
        .route(
            "/account/sign-in-method",
            get(show_method).post(submit_method),
        )
        .route(
            "/account/email-codes",
            get(show_email_codes).post(submit_email_codes),
        )
        .route(
            "/account/authenticator",
            get(show_authenticator).post(submit_authenticator),
        )
        .route("/account/recovery-codes", get(show_recovery_codes))
        .route("/account/new-code", post(new_email_code))
        .route("/account/message-emails", post(submit_message_emails))
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/my_account.html")]
pub struct OverviewPage {
    chrome: Chrome,
    flash: Option<String>,
    details: SummaryList,
    sign_in: SummaryList,
    sign_ins: Vec<(String, String)>,
    devices: Vec<super::devices::Device>,
    message_emails: bool,
    /// For a portal user: how many of the optional notifications they turned
    /// off (`None` for staff, who have the message emails switch instead).
    notifications_off: Option<usize>,
    csrf: String,
}

fn change(href: &str, what: &str) -> SummaryListAction {
    SummaryListAction::new("Change", href, what)
}

pub async fn overview(State(app): State<App>, signed_in: SignedIn) -> Result<Response, WebError> {
    let account = &signed_in.account;
    let mut details = SummaryList::new()
        .row(
            SummaryListRow::new("Name", account.name.as_str())
                .action(change("/account/details", "name")),
        )
        .row(
            SummaryListRow::new(
                "Telephone number",
                account
                    .phone
                    .as_ref()
                    .map_or("Not given", PhoneNumber::as_str),
            )
            .action(change("/account/details", "telephone number")),
        );
    if let Some(work) = &account.professional {
        details = details
            .row(
                SummaryListRow::new("Organisation", work.organisation.as_str())
                    .action(change("/account/details", "organisation")),
            )
            .row(
                SummaryListRow::new("Role", work.role.as_str())
                    .action(change("/account/details", "role")),
            )
            .row(
                SummaryListRow::new("Work telephone number", work.work_phone.as_str())
                    .action(change("/account/details", "work telephone number")),
            );
    }
    let left = app.recovery_codes_left(account.id).await?;
    let method = match account.second_step() {
        Some(SecondFactor::Authenticator) => {
            format!("An authenticator app ({left} recovery codes left)")
        }
        Some(SecondFactor::EmailCode) => SecondFactor::EmailCode.label().to_owned(),
        None => "None set up".to_owned(),
    };
    let sign_in = SummaryList::new()
        .row(
            SummaryListRow::new("Email address", account.email.as_str())
                .action(change("/account/email", "email address")),
        )
        .row(
            SummaryListRow::new("Password", "Hidden")
                .action(change("/account/password", "password")),
        )
        .row(
            SummaryListRow::new("Second step when you sign in", method).action(change(
                "/account/sign-in-method",
                "second step when you sign in",
            )),
        );
    let sign_ins = app
        .recent_sign_ins(account.id, 10)
        .await?
        .into_iter()
        .map(|event| {
            (
                uk_time(event.occurred_at),
                event.source.unwrap_or_else(|| "Not known".to_owned()),
            )
        })
        .collect();
    let devices = super::devices::devices(&app, &signed_in).await?;
    let flash = take::<Flash>(&signed_in.session, FLASH).await?;
    let message_emails = app.wants_message_emails(account.id).await?;
    let audience = match account.kind {
        AccountKind::Citizen => Some(Audience::Families),
        AccountKind::Professional => Some(Audience::Professionals),
        AccountKind::Staff => None,
    };
    let notifications_off = match audience {
        Some(audience) => Some(
            app.my_notifications(account.id, audience)
                .await?
                .iter()
                .filter(|c| c.choice == Choice::Off)
                .count(),
        ),
        None => None,
    };
    Ok(OverviewPage {
        message_emails,
        notifications_off,
        csrf: signed_in.csrf.clone(),
        chrome: signed_in.chrome(&app),
        flash: flash.map(|f| f.banner()),
        details,
        sign_in,
        sign_ins,
        devices,
    }
    .into_response())
}

async fn done(signed_in: &SignedIn, message: &str) -> Result<Response, WebError> {
    keep(&signed_in.session, FLASH, &Flash::success(message)).await?;
    Ok(see_other("/account"))
}

#[derive(Debug, Default, Deserialize)]
pub struct DetailsForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    job_role: String,
    #[serde(default)]
    work_phone: String,
}

fn details_page(
    app: &App,
    signed_in: &SignedIn,
    form: &DetailsForm,
    errors: &FormErrors,
) -> Response {
    let mut page = FormPage::new(
        signed_in.chrome(app),
        "Change your details",
        "/account/details",
        signed_in.csrf.clone(),
        "Save changes",
    )
    .errors(errors)
    .back("/account")
    .field(
        &Input::new("name", "Full name")
            .autocomplete("name")
            .spellcheck(false)
            .value(&form.name)
            .error_opt(errors.get("name")),
    )
    .field(
        &Input::new("phone", "Telephone number (optional)")
            .kind("tel")
            .autocomplete("tel")
            .classes("govuk-input--width-20")
            .value(&form.phone)
            .error_opt(errors.get("phone")),
    );
    if signed_in.account.kind == AccountKind::Professional {
        page = page
            .field(
                &Input::new("organisation", "Organisation")
                    .autocomplete("organization")
                    .value(&form.organisation)
                    .error_opt(errors.get("organisation")),
            )
            .field(
                &Input::new("job_role", "Your role")
                    .autocomplete("organization-title")
                    .value(&form.job_role)
                    .error_opt(errors.get("job_role")),
            )
            .field(
                &Input::new("work_phone", "Work telephone number")
                    .kind("tel")
                    .autocomplete("work tel")
                    .classes("govuk-input--width-20")
                    .value(&form.work_phone)
                    .error_opt(errors.get("work_phone")),
            );
    }
    page.respond()
}

pub async fn show_details(State(app): State<App>, signed_in: SignedIn) -> Response {
    let account = &signed_in.account;
    let form = DetailsForm {
        name: account.name.to_string(),
        phone: account
            .phone
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        organisation: account
            .professional
            .as_ref()
            .map(|p| p.organisation.to_string())
            .unwrap_or_default(),
        job_role: account
            .professional
            .as_ref()
            .map(|p| p.role.to_string())
            .unwrap_or_default(),
        work_phone: account
            .professional
            .as_ref()
            .map(|p| p.work_phone.to_string())
            .unwrap_or_default(),
    };
    details_page(&app, &signed_in, &form, &FormErrors::default())
}

pub async fn submit_details(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    CsrfForm(form): CsrfForm<DetailsForm>,
) -> Result<Response, WebError> {
    let mut errors = FormErrors::default();
    let name = errors.check("name", PersonName::parse(&form.name));
    let phone = if form.phone.trim().is_empty() {
        Some(None)
    } else {
        errors
            .check("phone", PhoneNumber::parse(&form.phone))
            .map(Some)
    };
    let professional = if signed_in.account.kind == AccountKind::Professional {
        let organisation = errors.check(
            "organisation",
            ShortText::parse(&form.organisation, "your organisation"),
        );
        let role = errors.check("job_role", ShortText::parse(&form.job_role, "your role"));
        let work_phone = errors.check("work_phone", PhoneNumber::parse(&form.work_phone));
        match (organisation, role, work_phone) {
            (Some(organisation), Some(role), Some(work_phone)) => Some(ProfessionalDetails {
                organisation,
                role,
                work_phone,
            }),
            _ => None,
        }
    } else {
        None
    };
    let (Some(name), Some(phone), true) = (name, phone, errors.is_empty()) else {
        return Ok(details_page(&app, &signed_in, &form, &errors));
    };
    app.update_details(
        signed_in.account.id,
        DetailsChange {
            name,
            phone,
            professional,
        },
        &source,
    )
    .await?;
    done(&signed_in, "Your details have been changed").await
}

#[derive(Debug, Default, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm_password: String,
}

fn password_page(app: &App, signed_in: &SignedIn, errors: &FormErrors) -> Response {
    FormPage::new(
        signed_in.chrome(app),
        "Change your password",
        "/account/password",
        signed_in.csrf.clone(),
        "Save password",
    )
    .errors(errors)
    .back("/account")
    .intro("You will stay signed in here. You will be signed out on every other device.")
    .field(
        &PasswordInput::new("current_password", "Current password")
            .error_opt(errors.get("current_password")),
    )
    .field(&password_policy_html(app))
    .field(
        &PasswordInput::new("password", "New password")
            .new_password()
            .error_opt(errors.all("password")),
    )
    .field(
        &PasswordInput::new("confirm_password", "Confirm new password")
            .new_password()
            .error_opt(errors.get("confirm_password")),
    )
    .respond()
}

pub async fn show_password(State(app): State<App>, signed_in: SignedIn) -> Response {
    password_page(&app, &signed_in, &FormErrors::default())
}

pub async fn submit_password(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<Response, WebError> {
    let mut errors = FormErrors::default();
    if form.current_password.is_empty() {
        errors.add("current_password", "Enter your current password");
    }
    if form.password.is_empty() {
        errors.add("password", "Enter a new password");
    }
    check_confirmation(&mut errors, &form.password, &form.confirm_password);
    if errors.is_empty() {
        let keep_session = session_id_hash(&signed_in.session);
        match app
            .change_password(
                signed_in.account.id,
                &form.current_password,
                &form.password,
                keep_session,
                &source,
            )
            .await?
        {
            ChangePassword::Done => {
                return done(&signed_in, "Your password has been changed").await;
            }
            ChangePassword::WrongCurrentPassword => {
                errors.add("current_password", "Your current password is not correct");
            }
            ChangePassword::Refused(refused) => password_errors(&mut errors, "password", &refused),
        }
    }
    Ok(password_page(&app, &signed_in, &errors))
}

#[derive(Debug, Default, Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    current_password: String,
}

fn email_page(app: &App, signed_in: &SignedIn, form: &EmailForm, errors: &FormErrors) -> Response {
    FormPage::new(
        signed_in.chrome(app),
        "Change your email address",
        "/account/email",
        signed_in.csrf.clone(),
        "Continue",
    )
    .errors(errors)
    .back("/account")
    .intro("We will send a code to the new address. Your address changes when you enter the code, and we will tell your old address.")
    .field(&
        Input::new("email", "New email address")
            .kind("email")
            .autocomplete("email")
            .spellcheck(false)
            .value(&form.email)
            .error_opt(errors.get("email")),
    )
    .field(&
        PasswordInput::new("current_password", "Your password")
            .error_opt(errors.get("current_password")),
    )
    .respond()
}

pub async fn show_email(State(app): State<App>, signed_in: SignedIn) -> Response {
    email_page(
        &app,
        &signed_in,
        &EmailForm::default(),
        &FormErrors::default(),
    )
}

pub async fn submit_email(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    CsrfForm(form): CsrfForm<EmailForm>,
) -> Result<Response, WebError> {
    let mut errors = FormErrors::default();
    let email = errors.check("email", Email::parse(&form.email));
    if form.current_password.is_empty() {
        errors.add("current_password", "Enter your password");
    }
    let shown = EmailForm {
        email: form.email.clone(),
        current_password: String::new(),
    };
    let (Some(email), true) = (email, errors.is_empty()) else {
        return Ok(email_page(&app, &signed_in, &shown, &errors));
    };
    match app
        .start_email_change(signed_in.account.id, email, &form.current_password, &source)
        .await?
    {
        StartEmailChange::CodeSent(pending) => {
            keep(&signed_in.session, PENDING_CODE, &pending).await?;
            return Ok(see_other("/account/email/confirm"));
        }
        StartEmailChange::WrongPassword => {
            errors.add("current_password", "Your password is not correct");
        }
        StartEmailChange::SameAddress => {
            errors.add("email", "This is already your email address");
        }
        StartEmailChange::TooManyCodes => errors.add(
            "email",
            "You have asked for too many codes. Wait an hour, then try again",
        ),
    }
    Ok(email_page(&app, &signed_in, &shown, &errors))
}

#[derive(Debug, Default, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

fn email_code_page(
    app: &App,
    signed_in: &SignedIn,
    form: &CodeForm,
    errors: &FormErrors,
    flash: Option<Flash>,
) -> Response {
    let mut page = FormPage::new(
        signed_in.chrome(app),
        "Check your new email address",
        "/account/email/confirm",
        signed_in.csrf.clone(),
        "Confirm",
    )
    .errors(errors)
    .back("/account/email")
    .intro("We have sent a code to your new email address. Enter it here. The code works for 10 minutes.");
    if let Some(flash) = flash {
        page = page.before_form(flash.banner());
    }
    page.field(&code_input(&form.code, errors.get("code"), "Code"))
        .after_form(crate::question_page::link_button_form(
            "/account/new-code",
            &signed_in.csrf,
            "Please send me a new code",
        ))
        .respond()
}

async fn pending_email_change(signed_in: &SignedIn) -> Result<Option<PendingCode>, WebError> {
    Ok(read::<PendingCode>(&signed_in.session, PENDING_CODE)
        .await?
        .filter(|p| p.purpose == CodePurpose::ChangeEmail))
}

pub async fn show_email_code(
    State(app): State<App>,
    signed_in: SignedIn,
) -> Result<Response, WebError> {
    if pending_email_change(&signed_in).await?.is_none() {
        return Ok(see_other("/account/email"));
    }
    let flash = take::<Flash>(&signed_in.session, FLASH).await?;
    Ok(email_code_page(
        &app,
        &signed_in,
        &CodeForm::default(),
        &FormErrors::default(),
        flash,
    ))
}

pub async fn submit_email_code(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<Response, WebError> {
    let Some(pending) = pending_email_change(&signed_in).await? else {
        return Ok(see_other("/account/email"));
    };
    let mut errors = FormErrors::default();
    if let Some(code) = errors.check("code", CodeText::parse(&form.code)) {
        match app
            .confirm_email_change(signed_in.account.id, &pending, &code, &source)
            .await?
        {
            EmailChangeOutcome::Changed => {
                take::<PendingCode>(&signed_in.session, PENDING_CODE).await?;
                return done(&signed_in, "Your email address has been changed").await;
            }
            EmailChangeOutcome::Taken => errors.add(
                "code",
                "This email address cannot be used for your account. Choose a different one",
            ),
            EmailChangeOutcome::Code(CodeOutcome::Accepted(_)) => {}
            EmailChangeOutcome::Code(refused) => errors.add("code", refused.message()),
        }
    }
    Ok(email_code_page(&app, &signed_in, &form, &errors, None))
}

pub async fn new_email_code(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    CsrfForm(_): CsrfForm<AnyForm>,
) -> Result<Response, WebError> {
    super::register::resend(&app, &signed_in.session, &source, "/account/email/confirm").await
}

#[derive(Debug, Default, Deserialize)]
pub struct MethodForm {
    #[serde(default)]
    method: String,
}

fn method_page(app: &App, signed_in: &SignedIn, errors: &FormErrors) -> Response {
    let current = signed_in.account.second_step();
    let staff = !signed_in.account.may_use_email_codes();
    let mut radios = Radios::new("method")
        .legend(Legend {
            classes: Some("govuk-fieldset__legend--m".to_owned()),
            ..Legend::new("How do you want to finish signing in?")
        })
        .hint("After your password, you need a second step each time you sign in.")
        .error_opt(errors.get("method"));
    if !staff {
        radios = radios.item(
            ChoiceItem::new("email", "A code sent by email")
                .hint("We email you a new 6-digit code each time.")
                .checked(current == Some(SecondFactor::EmailCode)),
        );
    }
    radios = radios.item(
        ChoiceItem::new("authenticator", "An authenticator app")
            .hint("An app on your phone, such as Google Authenticator or Microsoft Authenticator, shows a new code every 30 seconds. Choosing this sets up a new app.")
            .checked(current == Some(SecondFactor::Authenticator)),
    );
    let mut page = FormPage::new(
        signed_in.chrome(app),
        "How you finish signing in",
        "/account/sign-in-method",
        signed_in.csrf.clone(),
        "Continue",
    )
    .errors(errors)
    .back("/account");
    if staff {
        page = page.intro("Back-office accounts must use an authenticator app.");
    }
    page.field(&radios).respond()
}

pub async fn show_method(State(app): State<App>, signed_in: SignedIn) -> Response {
    method_page(&app, &signed_in, &FormErrors::default())
}

pub async fn submit_method(
    State(app): State<App>,
    signed_in: SignedIn,
    CsrfForm(form): CsrfForm<MethodForm>,
) -> Result<Response, WebError> {
    match form.method.as_str() {
        "authenticator" => Ok(see_other("/account/authenticator")),
        "email" if signed_in.account.may_use_email_codes() => {
            if signed_in.account.second_step() == Some(SecondFactor::EmailCode) {
                return done(&signed_in, "You will get a code by email when you sign in").await;
            }
            Ok(see_other("/account/email-codes"))
        }
        _ => {
            let mut errors = FormErrors::default();
            errors.add("method", "Select how you want to finish signing in");
            Ok(method_page(&app, &signed_in, &errors))
        }
    }
}

/// The password box for a change to the second step.
fn password_for_change(errors: &FormErrors) -> PasswordInput {
    PasswordInput::new("current_password", "Your password")
        .error_opt(errors.get("current_password"))
}

/// The offer to sign out every other device after a change to the second step.
fn sign_out_others(checked: bool) -> Checkboxes {
    Checkboxes::new("sign_out_others")
        .legend(Legend {
            classes: Some("govuk-fieldset__legend--s".to_owned()),
            ..Legend::new("Your other devices")
        })
        .item(
            ChoiceItem::new("yes", "Sign out of every other device")
                .hint("Do this if you think someone else may have used your account. You will stay signed in here.")
                .checked(checked),
        )
}

/// Which sessions a change to the second step leaves: all, or only this one.
fn other_sessions(signed_in: &SignedIn, sign_out_others: bool) -> OtherSessions {
    if sign_out_others {
        OtherSessions::End {
            this_session: session_id_hash(&signed_in.session),
        }
    } else {
        OtherSessions::Keep
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct SecondStepForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    sign_out_others: Option<String>,
}

fn email_codes_page(
    app: &App,
    signed_in: &SignedIn,
    form: &SecondStepForm,
    errors: &FormErrors,
) -> Response {
    FormPage::new(
        signed_in.chrome(app),
        "Get a code by email instead",
        "/account/email-codes",
        signed_in.csrf.clone(),
        "Confirm",
    )
    .errors(errors)
    .back("/account/sign-in-method")
    .intro("Each time you sign in, we will email you a 6-digit code. Your authenticator app and your recovery codes will stop working.")
    .field(&password_for_change(errors))
    .field(&sign_out_others(form.sign_out_others.is_some()))
    .respond()
}

/// Whether this account can switch to codes by email now; else where to go.
fn email_codes_elsewhere(signed_in: &SignedIn) -> Option<Response> {
    if !signed_in.account.may_use_email_codes() {
        return Some(see_other("/account/sign-in-method"));
    }
    (signed_in.account.second_step() == Some(SecondFactor::EmailCode))
        .then(|| see_other("/account"))
}

pub async fn show_email_codes(State(app): State<App>, signed_in: SignedIn) -> Response {
    if let Some(elsewhere) = email_codes_elsewhere(&signed_in) {
        return elsewhere;
    }
    email_codes_page(
        &app,
        &signed_in,
        &SecondStepForm::default(),
        &FormErrors::default(),
    )
}

pub async fn submit_email_codes(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    CsrfForm(form): CsrfForm<SecondStepForm>,
) -> Result<Response, WebError> {
    if let Some(elsewhere) = email_codes_elsewhere(&signed_in) {
        return Ok(elsewhere);
    }
    let mut errors = FormErrors::default();
    if form.current_password.is_empty() {
        errors.add("current_password", "Enter your password");
    } else {
        let sessions = other_sessions(&signed_in, form.sign_out_others.is_some());
        match app
            .use_email_codes(
                signed_in.account.id,
                &form.current_password,
                sessions,
                &source,
            )
            .await?
        {
            SecondStepChange::Done { .. } => {
                return done(&signed_in, "You will get a code by email when you sign in").await;
            }
            SecondStepChange::NotAllowed => return Ok(see_other("/account/sign-in-method")),
            SecondStepChange::WrongPassword | SecondStepChange::WrongCode => {
                errors.add("current_password", "Your password is not correct");
            }
        }
    }
    Ok(email_codes_page(&app, &signed_in, &form, &errors))
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/authenticator.html")]
pub struct AuthenticatorPage {
    chrome: Chrome,
    has_errors: bool,
    summary: crate::components::ErrorSummary,
    secret: String,
    qr_svg: String,
    code: Input,
    password: PasswordInput,
    sign_out_others: Checkboxes,
    csrf: String,
}

async fn authenticator_page(
    app: &App,
    signed_in: &SignedIn,
    errors: &FormErrors,
    sign_out_others_checked: bool,
) -> Result<Response, WebError> {
    let setup =
        super::authenticator_in_progress(app, &signed_in.session, &signed_in.account.email).await?;
    let status = if errors.is_empty() {
        http::StatusCode::OK
    } else {
        http::StatusCode::BAD_REQUEST
    };
    Ok((
        status,
        AuthenticatorPage {
            chrome: signed_in.chrome(app),
            has_errors: !errors.is_empty(),
            summary: errors.summary(),
            secret: spaced(&setup.secret),
            qr_svg: setup.qr_svg,
            code: code_input("", errors.get("code"), "Code from the app"),
            password: password_for_change(errors),
            sign_out_others: sign_out_others(sign_out_others_checked),
            csrf: signed_in.csrf.clone(),
        },
    )
        .into_response())
}

/// A base32 secret in groups of four, easier to type.
fn spaced(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

pub async fn show_authenticator(
    State(app): State<App>,
    signed_in: SignedIn,
) -> Result<Response, WebError> {
    authenticator_page(&app, &signed_in, &FormErrors::default(), false).await
}

#[derive(Debug, Default, Deserialize)]
pub struct AuthenticatorForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    sign_out_others: Option<String>,
}

pub async fn submit_authenticator(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    CsrfForm(form): CsrfForm<AuthenticatorForm>,
) -> Result<Response, WebError> {
    let mut errors = FormErrors::default();
    let Some(secret) = read::<String>(&signed_in.session, NEW_AUTHENTICATOR).await? else {
        return Ok(see_other("/account/authenticator"));
    };
    if form.code.trim().is_empty() {
        errors.add("code", "Enter the code from the app");
    }
    if form.current_password.is_empty() {
        errors.add("current_password", "Enter your password");
    }
    if errors.is_empty() {
        let sessions = other_sessions(&signed_in, form.sign_out_others.is_some());
        match app
            .enable_authenticator(
                signed_in.account.id,
                &secret,
                &form.code,
                &form.current_password,
                sessions,
                &source,
            )
            .await?
        {
            SecondStepChange::Done { recovery_codes } => {
                take::<String>(&signed_in.session, NEW_AUTHENTICATOR).await?;
                keep(&signed_in.session, RECOVERY_CODES, &recovery_codes).await?;
                return Ok(see_other("/account/recovery-codes"));
            }
            SecondStepChange::WrongPassword => {
                errors.add("current_password", "Your password is not correct");
            }
            SecondStepChange::WrongCode | SecondStepChange::NotAllowed => errors.add(
                "code",
                "The code is not correct. Check the app and try again",
            ),
        }
    }
    authenticator_page(&app, &signed_in, &errors, form.sign_out_others.is_some()).await
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/recovery_codes.html")]
pub struct RecoveryCodesPage {
    chrome: Chrome,
    codes: Vec<String>,
    continue_to: &'static str,
}

/// The recovery codes, shown once: they are gone from the session after this.
pub async fn show_recovery_codes(
    State(app): State<App>,
    signed_in: SignedIn,
) -> Result<Response, WebError> {
    let Some(codes) = take::<Vec<String>>(&signed_in.session, RECOVERY_CODES).await? else {
        return Ok(see_other("/account"));
    };
    Ok(RecoveryCodesPage {
        chrome: signed_in.chrome(&app),
        codes,
        continue_to: "/account",
    }
    .into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct MessageEmailsForm {
    #[serde(default)]
    emails: String,
}

/// Turns the "you have a new message" emails on or off.
pub async fn submit_message_emails(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    CsrfForm(form): CsrfForm<MessageEmailsForm>,
) -> Result<Response, WebError> {
    let on = form.emails != "off";
    app.set_message_emails(&signed_in.account, on, &source)
        .await?;
    let text = if on {
        "We will email you about new messages and documents"
    } else {
        "We will not email you about new messages or documents"
    };
    keep(&signed_in.session, FLASH, &Flash::success(text)).await?;
    Ok(see_other("/account"))
}
