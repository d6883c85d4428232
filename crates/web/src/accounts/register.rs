//! "Register for new account" in the guide's two screens: your details
//! (**Next**), then the email address, password and Confirm Password (**Next**);
//! then the emailed verification code. The first screen's answers wait in the
//! session between the screens (never a password), and nothing is written until
//! the second screen is right: then the account, its code and its email in one
//! unit of work.

use axum::extract::State;
use axum::response::Response;
use send_app::App;
use send_app::accounts::{CodeOutcome, PendingCode, Registration, ResendOutcome};
use send_app::passwords::{self, StoredHistory};
use send_domain::{CodeText, Email, PersonName, PhoneNumber, ProfessionalDetails, ShortText};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use super::{
    CODE_SENT_TO, CodeSentTo, FLASH, Flash, PENDING_CODE, check_confirmation, complete_sign_in,
    csrf, keep, password_errors, password_policy_html, read, signed_in_from, take,
};
use crate::chrome::Chrome;
use crate::client::{ClientAddress, ClientDevice};
use crate::components::{Checkboxes, ChoiceItem, Input, Legend, PasswordInput};
use crate::csrf::CsrfForm;
use crate::errors::WebError;
use crate::question_page::{FormErrors, FormPage, link_button_form, see_other};

/// The first screen's answers, kept in the session until the account is made.
pub(super) const REGISTER_DETAILS: &str = "register_details";
/// The second screen: email address, password and Confirm Password.
pub(super) const EMAIL_AND_PASSWORD: &str = "/register/email-and-password";

/// The first screen: your details.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct DetailsForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    professional: Option<String>,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    job_role: String,
    #[serde(default)]
    work_phone: String,
}

/// The second screen: how the person will sign in.
#[derive(Debug, Default, Deserialize)]
pub struct EmailAndPasswordForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm_password: String,
}

/// The first screen's answers, checked.
struct Details {
    name: PersonName,
    phone: Option<PhoneNumber>,
    professional: Option<ProfessionalDetails>,
}

fn details_page(app: &App, csrf: String, form: &DetailsForm, errors: &FormErrors) -> Response {
    let professional_fields = [
        Input::new("organisation", "Organisation")
            .value(&form.organisation)
            .autocomplete("organization")
            .error_opt(errors.get("organisation"))
            .to_string(),
        Input::new("job_role", "Your role")
            .hint("For example, SENCo, educational psychologist or social worker")
            .value(&form.job_role)
            .autocomplete("organization-title")
            .error_opt(errors.get("job_role"))
            .to_string(),
        Input::new("work_phone", "Work telephone number")
            .kind("tel")
            .autocomplete("work tel")
            .value(&form.work_phone)
            .classes("govuk-input--width-20")
            .error_opt(errors.get("work_phone"))
            .to_string(),
    ]
    .concat();
    let professional = Checkboxes::new("professional")
        .legend(Legend {
            classes: Some("govuk-fieldset__legend--s".to_owned()),
            ..Legend::new("Professional account")
        })
        .item(
            ChoiceItem::new(
                "yes",
                "Is this account being used in a professional capacity",
            )
            .hint(
                "Tick this only if you work with children in a school, health service or \
                     social care. Parents, carers and young people should not tick it.",
            )
            .checked(form.professional.is_some())
            .conditional(professional_fields),
        );
    FormPage::new(
        Chrome::new(app),
        "Register for new account",
        "/register",
        csrf,
        "Next",
    )
    .errors(errors)
    .back("/sign-in")
    .intro("Complete all the details. All questions must be answered unless they are marked (optional).")
    .intro("On the next screen you will add your email address and a password.")
    .field(&r#"<h2 class="govuk-heading-m">Your details</h2>"#)
    .field(&
        Input::new("name", "Full name")
            .value(&form.name)
            .autocomplete("name")
            .spellcheck(false)
            .error_opt(errors.get("name")),
    )
    .field(&
        Input::new("phone", "Telephone number (optional)")
            .kind("tel")
            .autocomplete("tel")
            .value(&form.phone)
            .classes("govuk-input--width-20")
            .error_opt(errors.get("phone")),
    )
    .field(&professional)
    .respond()
}

fn email_and_password_page(app: &App, csrf: String, email: &str, errors: &FormErrors) -> Response {
    FormPage::new(
        Chrome::new(app),
        "Your email address and password",
        EMAIL_AND_PASSWORD,
        csrf,
        "Next",
    )
    .errors(errors)
    .back("/register")
    .intro("Add the email address and the password you will use to sign in.")
    .field(
        &Input::new("email", "Email address")
            .kind("email")
            .hint("Make sure it is spelt correctly: you will use it to sign in.")
            .autocomplete("email")
            .spellcheck(false)
            .value(email)
            .error_opt(errors.get("email")),
    )
    .field(&password_policy_html(app))
    .field(
        &PasswordInput::new("password", "Password")
            .new_password()
            .error_opt(errors.all("password")),
    )
    .field(
        &PasswordInput::new("confirm_password", "Confirm password")
            .new_password()
            .error_opt(errors.get("confirm_password")),
    )
    .respond()
}

/// Checks the first screen; each problem is added to `errors`.
fn check_details(form: &DetailsForm, errors: &mut FormErrors) -> Option<Details> {
    let name = match PersonName::parse(&form.name) {
        Ok(name) => Some(name),
        Err(send_domain::names::NameError::Empty) => {
            errors.add("name", "Enter your full name");
            None
        }
        Err(err) => errors.check("name", Err(err)),
    };
    let phone = if form.phone.trim().is_empty() {
        Some(None)
    } else {
        errors
            .check("phone", PhoneNumber::parse(&form.phone))
            .map(Some)
    };
    let professional = if form.professional.is_some() {
        let organisation = errors.check(
            "organisation",
            ShortText::parse(&form.organisation, "your organisation"),
        );
        let role = errors.check("job_role", ShortText::parse(&form.job_role, "your role"));
        let work_phone = if form.work_phone.trim().is_empty() {
            errors.add("work_phone", "Enter your work telephone number");
            None
        } else {
            errors.check("work_phone", PhoneNumber::parse(&form.work_phone))
        };
        match (organisation, role, work_phone) {
            (Some(organisation), Some(role), Some(work_phone)) => Some(Some(ProfessionalDetails {
                organisation,
                role,
                work_phone,
            })),
            _ => None,
        }
    } else {
        Some(None)
    };
    match (name, phone, professional) {
        (Some(name), Some(phone), Some(professional)) if errors.is_empty() => Some(Details {
            name,
            phone,
            professional,
        }),
        _ => None,
    }
}

/// The first screen, with the answers kept from before ("Back" keeps them).
pub async fn show(State(app): State<App>, session: Session) -> Result<Response, WebError> {
    let kept = read::<DetailsForm>(&session, REGISTER_DETAILS)
        .await?
        .unwrap_or_default();
    Ok(details_page(
        &app,
        csrf(&session).await?,
        &kept,
        &FormErrors::default(),
    ))
}

/// The first screen's **Next**: the answers are checked and kept for the second.
pub async fn submit(
    State(app): State<App>,
    session: Session,
    CsrfForm(form): CsrfForm<DetailsForm>,
) -> Result<Response, WebError> {
    let mut errors = FormErrors::default();
    if check_details(&form, &mut errors).is_none() {
        return Ok(details_page(&app, csrf(&session).await?, &form, &errors));
    }
    keep(&session, REGISTER_DETAILS, &form).await?;
    Ok(see_other(EMAIL_AND_PASSWORD))
}

/// The second screen; without the first screen's answers, the first screen.
pub async fn show_email_and_password(
    State(app): State<App>,
    session: Session,
) -> Result<Response, WebError> {
    if read::<DetailsForm>(&session, REGISTER_DETAILS)
        .await?
        .is_none()
    {
        return Ok(see_other("/register"));
    }
    // "Change email address" from the code page comes back here with the
    // address the code went to.
    let email = read::<CodeSentTo>(&session, CODE_SENT_TO)
        .await?
        .filter(|sent| sent.change == EMAIL_AND_PASSWORD)
        .map(|sent| sent.address)
        .unwrap_or_default();
    Ok(email_and_password_page(
        &app,
        csrf(&session).await?,
        &email,
        &FormErrors::default(),
    ))
}

/// The second screen's **Next**: both screens checked, then the account made in
/// one unit of work and the code sent.
pub async fn submit_email_and_password(
    State(app): State<App>,
    session: Session,
    ClientAddress(source): ClientAddress,
    CsrfForm(form): CsrfForm<EmailAndPasswordForm>,
) -> Result<Response, WebError> {
    let Some(kept) = read::<DetailsForm>(&session, REGISTER_DETAILS).await? else {
        return Ok(see_other("/register"));
    };
    let mut errors = FormErrors::default();
    let Some(details) = check_details(&kept, &mut errors) else {
        // Kept answers are checked when kept; should the rules have changed
        // meanwhile, the first screen says what to put right.
        return Ok(details_page(&app, csrf(&session).await?, &kept, &errors));
    };
    let email = errors.check("email", Email::parse(&form.email));
    let context_email = email
        .clone()
        .or_else(|| Email::parse("someone@example.invalid").ok());
    let mut password = None;
    if let Some(context_email) = context_email {
        match passwords::check_new(
            &form.password,
            &app.settings.password_policy,
            &app.settings.council_name,
            &context_email,
            StoredHistory::default(),
        )
        .await?
        {
            Ok(checked) => password = Some(checked),
            Err(refused) => password_errors(&mut errors, "password", &refused),
        }
    }
    check_confirmation(&mut errors, &form.password, &form.confirm_password);
    let (Some(email), Some(password), true) = (email, password, errors.is_empty()) else {
        return Ok(email_and_password_page(
            &app,
            csrf(&session).await?,
            &form.email,
            &errors,
        ));
    };
    let sent_to = CodeSentTo {
        address: email.as_str().to_owned(),
        change: EMAIL_AND_PASSWORD.to_owned(),
    };
    let pending = app
        .register(
            Registration {
                name: details.name,
                phone: details.phone,
                professional: details.professional,
                email,
                password,
            },
            &source,
        )
        .await?;
    keep(&session, PENDING_CODE, &pending).await?;
    keep(&session, CODE_SENT_TO, &sent_to).await?;
    Ok(see_other("/register/confirm"))
}

#[derive(Debug, Default, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    pub code: String,
}

/// The box for a 6-digit code: numeric keyboard, one-time-code autofill, pasting
/// allowed (WCAG 2.2 accessible authentication).
pub(super) fn code_input(value: &str, error: Option<String>, label: &str) -> Input {
    Input::new("code", label)
        .inputmode("numeric")
        .autocomplete("one-time-code")
        .spellcheck(false)
        .classes("govuk-input--width-10")
        .value(value)
        .error_opt(error)
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
        "Check your email",
        "/register/confirm",
        csrf.to_owned(),
        "Next",
    )
    .errors(errors)
    .intro(format!(
        "We have sent a verification code to {}. Enter the code in the box. The easiest way \
         is to copy and paste it, but you can type it.",
        sent_to
            .as_ref()
            .map_or("the email address you registered", |sent| sent.address.as_str())
    ))
    .intro("If the email has not arrived, check your spam or junk mail folder. The code works for 10 minutes.");
    if let Some(sent) = &sent_to {
        page = page.before_form(sent.change_link());
    }
    if let Some(flash) = flash {
        page = page.before_form(flash.banner());
    }
    page.field(&code_input(
        &form.code,
        errors.get("code"),
        "Verification code",
    ))
    .after_form(link_button_form(
        "/register/new-code",
        csrf,
        "Please send me a new code",
    ))
    .respond()
}

pub async fn show_code(State(app): State<App>, session: Session) -> Result<Response, WebError> {
    if read::<PendingCode>(&session, PENDING_CODE).await?.is_none() {
        return Ok(see_other("/register"));
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
    let Some(mut pending) = read::<PendingCode>(&session, PENDING_CODE).await? else {
        return Ok(see_other("/register"));
    };
    let mut errors = FormErrors::default();
    if let Some(code) = errors.check("code", CodeText::parse(&form.code)) {
        let outcome = app.verify_email(&mut pending, &code, &source).await?;
        // A stand-in code counts wrong entries in the pending code itself.
        keep(&session, PENDING_CODE, &pending).await?;
        match outcome {
            CodeOutcome::Accepted(account) => {
                complete_sign_in(&session, account.id, &signed_in_from(&source, device)).await?;
                keep(
                    &session,
                    FLASH,
                    &Flash::success("Your account has been registered"),
                )
                .await?;
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
    CsrfForm(_): CsrfForm<super::AnyForm>,
) -> Result<Response, WebError> {
    resend(&app, &session, &source, "/register/confirm").await
}

/// "Please send me a new code", for either page that waits for a code.
pub(super) async fn resend(
    app: &App,
    session: &Session,
    source: &send_app::audit::Source,
    back_to: &str,
) -> Result<Response, WebError> {
    let Some(mut pending) = read::<PendingCode>(session, PENDING_CODE).await? else {
        return Ok(see_other("/sign-in"));
    };
    let outcome = app.resend_code(&mut pending, source).await?;
    // A stand-in code counts the codes "sent" in the pending code itself.
    keep(session, PENDING_CODE, &pending).await?;
    let flash = match outcome {
        ResendOutcome::Sent => Flash::success("We have sent you a new code"),
        ResendOutcome::TooMany => Flash::important(
            "You have asked for too many codes. Use the last code we sent, or wait an hour and ask again.",
        ),
    };
    keep(session, FLASH, &flash).await?;
    Ok(see_other(back_to))
}
