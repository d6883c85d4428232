//! Account pages: register, confirm the email address, sign in in two steps, sign
//! out, forgotten password, My Account, and the portal home a signed-in person
//! lands on. Wording follows the parent guide ("Register for new account", "Next",
//! "Please send me a new code", "Submit", "Finish", "Forgotten password", "Logout").
//!
//! What a visitor is in the middle of (a code awaited, an authenticator step, a
//! new app's secret) lives in their server-side session, never in the page.

use crate::routes::Routes;
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use http::request::Parts;
use send_app::App;
use send_app::audit::Source;
use send_domain::{Account, AccountKind, SignedInFrom, StaffAccess, UserId};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tower_sessions::Session;

use crate::chrome::{Chrome, PageAddress, Viewer};
use crate::client::ClientDevice;
use crate::errors::WebError;
use crate::paths::LinkToken;
use crate::sessions::{ACCOUNT_KEY, SIGNED_IN_FROM_KEY};

mod devices;
mod home;
mod my_account;
mod register;
mod reset;
mod sign_in;

/// The code being waited for (`send_app::accounts::PendingCode`).
pub(crate) const PENDING_CODE: &str = "pending_code";
/// The account whose password was right, waiting for its authenticator code.
const PENDING_AUTHENTICATOR: &str = "pending_authenticator";
/// A new authenticator app's secret, until a code from it confirms it.
pub(crate) const NEW_AUTHENTICATOR: &str = "new_authenticator";
/// Recovery codes to show once.
pub(crate) const RECOVERY_CODES: &str = "recovery_codes";
/// The page to return to after signing in or registering (an invitation link).
pub(crate) const RETURN_TO: &str = "return_to";
/// A one-off message for the next page ("Your password has been changed").
pub(crate) const FLASH: &str = "flash";
/// Where the awaited code went ([`CodeSentTo`]).
pub(crate) const CODE_SENT_TO: &str = "code_sent_to";

/// Where the awaited code went, for its page: "We have sent a code to …", and
/// where "Change email address" leads (the screen the address was typed on).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub(crate) struct CodeSentTo {
    pub address: String,
    pub change: String,
}

impl CodeSentTo {
    /// The "Change email address" link, to the screen the address was typed on.
    pub fn change_link(&self) -> String {
        format!(
            r#"<p class="govuk-body"><a class="govuk-link" href="{}">Change email address</a></p>"#,
            crate::components::escape(&self.change)
        )
    }
}

pub fn router() -> Routes {
    Routes::new()
        .route("/register", get(register::show).post(register::submit))
        .route(
            "/register/confirm",
            get(register::show_code).post(register::submit_code),
        )
        .route(
            register::EMAIL_AND_PASSWORD,
            get(register::show_email_and_password).post(register::submit_email_and_password),
        )
        .route("/register/new-code", post(register::new_code))
        .route("/sign-in", get(sign_in::show).post(sign_in::submit))
        .route(
            "/sign-in/code",
            get(sign_in::show_code).post(sign_in::submit_code),
        )
        .route("/sign-in/new-code", post(sign_in::new_code))
        .route(
            "/sign-in/authenticator",
            get(sign_in::show_authenticator).post(sign_in::submit_authenticator),
        )
        .route(
            "/sign-in/recovery-code",
            get(sign_in::show_recovery).post(sign_in::submit_recovery),
        )
        .route("/sign-out", post(sign_in::sign_out))
        .route("/signed-out", get(sign_in::signed_out))
        .route(
            "/forgotten-password",
            get(reset::show_request).post(reset::submit_request),
        )
        .route(
            "/reset-password/{token}",
            get(reset::show_reset).post(reset::submit_reset),
        )
        .route("/home", get(home::show))
        .merge(my_account::router())
        .merge(devices::router())
}

fn internal(err: impl std::error::Error + Send + Sync + 'static) -> WebError {
    WebError::Internal(Box::new(err))
}

pub(crate) async fn take<T: DeserializeOwned>(
    session: &Session,
    key: &str,
) -> Result<Option<T>, WebError> {
    // Removing marks the session changed, and so written back: remove only what
    // is there, so a page that finds nothing to take writes nothing.
    let value = session.get::<T>(key).await.map_err(internal)?;
    if value.is_some() {
        session.remove_value(key).await.map_err(internal)?;
    }
    Ok(value)
}

pub(crate) async fn read<T: DeserializeOwned>(
    session: &Session,
    key: &str,
) -> Result<Option<T>, WebError> {
    session.get(key).await.map_err(internal)
}

pub(crate) async fn keep<T: Serialize>(
    session: &Session,
    key: &str,
    value: &T,
) -> Result<(), WebError> {
    session.insert(key, value).await.map_err(internal)
}

/// A new session id (after the password step, and again when signed in), so an id
/// seen before signing in is worth nothing after.
async fn new_session_id(session: &Session) -> Result<(), WebError> {
    session.cycle_id().await.map_err(internal)
}

/// Where a request signing in comes from: its device and the client's address.
pub(crate) fn signed_in_from(source: &Source, ClientDevice(device): ClientDevice) -> SignedInFrom {
    SignedInFrom {
        device,
        address: source.0.clone(),
    }
}

/// Finishes signing in: a new session id and a new form token, nothing pending,
/// the account recorded, and where it signed in from (My Account's devices).
pub(crate) async fn complete_sign_in(
    session: &Session,
    account: UserId,
    from: &SignedInFrom,
) -> Result<(), WebError> {
    new_session_id(session).await?;
    crate::csrf::renew(session).await?;
    take::<serde_json::Value>(session, PENDING_CODE).await?;
    take::<serde_json::Value>(session, PENDING_AUTHENTICATOR).await?;
    take::<serde_json::Value>(session, CODE_SENT_TO).await?;
    take::<serde_json::Value>(session, register::REGISTER_DETAILS).await?;
    keep(session, SIGNED_IN_FROM_KEY, from).await?;
    keep(session, ACCOUNT_KEY, &account.to_string()).await
}

/// A signed-in person: their account and session. Any page that needs one sends
/// everyone else to the sign-in page.
#[derive(Debug)]
pub struct SignedIn {
    pub account: Account,
    pub session: Session,
    pub csrf: String,
    /// What a member of staff may do in the back office (`None` for anyone else).
    pub staff: Option<StaffAccess>,
    /// The page asked for, to mark its section in the service navigation.
    pub page: PageAddress,
}

impl SignedIn {
    /// The page chrome with this person's home, sections and account menu.
    pub fn chrome(&self, app: &App) -> Chrome {
        Chrome::signed_in(
            app,
            Viewer {
                name: self.account.name.as_str(),
                csrf: &self.csrf,
                staff: self.staff.as_ref(),
                page: &self.page,
            },
        )
    }

    /// Where this person lands: the portal home, or the back office's landing.
    pub fn home(&self) -> &'static str {
        crate::chrome::home_of(self.staff.as_ref())
    }

    /// The signed-in person of this request, if there is one.
    async fn of(parts: &mut Parts, app: &App) -> Result<Option<Self>, Response> {
        let session = Session::from_request_parts(parts, app)
            .await
            .map_err(IntoResponse::into_response)?;
        Self::of_session(app, session, PageAddress::of(&parts.uri)).await
    }

    /// The person signed in to `session`, if any, looking at `page`.
    pub(crate) async fn of_session(
        app: &App,
        session: Session,
        page: PageAddress,
    ) -> Result<Option<Self>, Response> {
        let id: Option<String> = read(&session, ACCOUNT_KEY)
            .await
            .map_err(IntoResponse::into_response)?;
        let Some(id) = id.and_then(|id| id.parse::<UserId>().ok()) else {
            return Ok(None);
        };
        let Some(account) = app
            .store
            .account_by_id(id)
            .await
            .map_err(|err| WebError::Internal(Box::new(err)).into_response())?
        else {
            session
                .flush()
                .await
                .map_err(|e| internal(e).into_response())?;
            return Ok(None);
        };
        let staff = if account.kind == AccountKind::Staff {
            app.staff_access(account.id)
                .await
                .map_err(|err| WebError::from(err).into_response())?
        } else {
            None
        };
        let csrf = crate::csrf::token(&session)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Some(Self {
            account,
            session,
            csrf,
            staff,
            page,
        }))
    }
}

/// The chrome of a page anyone may read: with the account menu for someone
/// signed in, with Sign in for everyone else.
pub fn chrome_for(app: &App, signed_in: Option<&SignedIn>) -> Chrome {
    signed_in.map_or_else(|| Chrome::new(app), |signed_in| signed_in.chrome(app))
}

impl FromRequestParts<App> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        Self::of(parts, app)
            .await?
            .ok_or_else(|| Redirect::to("/sign-in").into_response())
    }
}

impl OptionalFromRequestParts<App> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &App,
    ) -> Result<Option<Self>, Self::Rejection> {
        Self::of(parts, app).await
    }
}

/// Where to go once signed in: back to the invitation that sent the person to
/// sign in or register, else their home (the portal home, or for a member of
/// staff the back office's landing, My cases).
pub(crate) async fn landing(
    app: &App,
    session: &Session,
    account: &Account,
) -> Result<String, WebError> {
    let back: Option<String> = take(session, RETURN_TO).await?;
    if let Some(back) = back.filter(|path| is_invitation_address(path)) {
        return Ok(back);
    }
    let staff = if account.kind == AccountKind::Staff {
        app.staff_access(account.id).await?
    } else {
        None
    };
    Ok(crate::chrome::home_of(staff.as_ref()).to_owned())
}

/// Whether `path` is an invitation link's or an advice link's own address, the
/// only places a return address may lead: nothing kept in a session can send anyone elsewhere, or
/// put a character in the redirect that a header cannot hold.
fn is_invitation_address(path: &str) -> bool {
    path.strip_prefix("/invitations/")
        .or_else(|| path.strip_prefix("/advice/link/"))
        .and_then(LinkToken::parse)
        .is_some()
}

#[derive(askama::Template)]
#[template(path = "accounts/password_policy.html")]
struct PasswordPolicyText {
    rules: Vec<String>,
    composition: bool,
    specials: Vec<&'static str>,
}

/// The password rules as listed beside a new-password box, with the special
/// characters behind "See the list of special characters".
pub(crate) fn password_policy_html(app: &App) -> String {
    use askama::Template;
    let policy = &app.settings.password_policy;
    PasswordPolicyText {
        rules: policy.requirements(),
        composition: policy.has_composition_rules(),
        specials: send_domain::special_characters_shown(),
    }
    .render()
    .unwrap_or_default()
}

/// Checks the confirmation box of a new password.
pub(crate) fn check_confirmation(
    errors: &mut crate::question_page::FormErrors,
    password: &str,
    confirm: &str,
) {
    if confirm.is_empty() {
        errors.add(
            "confirm_password",
            "Enter your password again in the Confirm password box",
        );
    } else if password != confirm {
        errors.add(
            "confirm_password",
            "The passwords do not match. Enter the same password in both boxes",
        );
    }
}

/// Adds each broken password rule as its own error on the password box.
pub(crate) fn password_errors(
    errors: &mut crate::question_page::FormErrors,
    field: &str,
    refused: &send_domain::PasswordError,
) {
    for failure in refused.failures() {
        errors.add(field, failure.to_string());
    }
}

/// The authenticator app being set up in this session: its secret is made once and
/// kept in the session until a code from the app confirms it.
pub(crate) async fn authenticator_in_progress(
    app: &App,
    session: &Session,
    email: &send_domain::Email,
) -> Result<send_app::accounts::AuthenticatorSetup, WebError> {
    if let Some(secret) = read::<String>(session, NEW_AUTHENTICATOR).await? {
        return Ok(app.authenticator_setup(&secret, email)?);
    }
    let setup = app.new_authenticator(email)?;
    keep(session, NEW_AUTHENTICATOR, &setup.secret).await?;
    Ok(setup)
}

/// A form with nothing but its token (a button that posts).
pub type AnyForm = std::collections::HashMap<String, String>;

/// A one-off message shown at the top of the next page.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Flash {
    success: bool,
    text: String,
}

impl Flash {
    pub fn success(text: &str) -> Self {
        Self {
            success: true,
            text: text.to_owned(),
        }
    }

    pub fn important(text: &str) -> Self {
        Self {
            success: false,
            text: text.to_owned(),
        }
    }

    /// The GOV.UK notification banner for it.
    pub fn banner(&self) -> String {
        if self.success {
            crate::components::NotificationBanner::success(&self.text).to_string()
        } else {
            crate::components::NotificationBanner::new(&self.text).to_string()
        }
    }
}

/// The visitor's form token, for pages anyone can see.
async fn csrf(session: &Session) -> Result<String, WebError> {
    crate::csrf::token(session).await
}

/// "Wait until 12:34" for a locked or slowed-down sign-in, in UK time words.
fn wait_message(until: time::OffsetDateTime, now: time::OffsetDateTime) -> String {
    let seconds = (until - now).whole_seconds().max(1);
    if seconds < 90 {
        format!(
            "There have been too many attempts to sign in. Wait {seconds} seconds, then try again"
        )
    } else {
        let minutes = (seconds + 59) / 60;
        format!(
            "There have been too many attempts to sign in. Wait {minutes} minutes, then try again, or reset your password with ‘Forgotten password’"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_invitation_address_is_a_return_address() {
        let token = "0123456789abcdef".repeat(4);
        assert!(is_invitation_address(&format!("/invitations/{token}")));
        for other in [
            "/invitations/\r\n".to_owned(),
            format!("/invitations/{token}\r\nSet-Cookie: x=y"),
            format!("/invitations/{token}/submit"),
            "/invitations/".to_owned(),
            "//evil.example/invitations/x".to_owned(),
            format!("https://evil.example/invitations/{token}"),
            "/back-office".to_owned(),
        ] {
            assert!(!is_invitation_address(&other), "{other:?}");
        }
    }
}
