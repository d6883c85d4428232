//! My Account's "Where you are signed in": the account's live sessions, each
//! device (browser and operating system) with its approximate place (the
//! network it signed in from), when it signed in and was last active, to sign
//! one out or all but this one (issue 18, finding 8). Only the account's own sessions can be
//! ended: the app refuses any other as not found.

use crate::routes::Routes;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use send_app::App;
use send_domain::TokenHash;
use send_domain::dates::uk_time;
use serde::Deserialize;

use super::{FLASH, Flash, SignedIn, keep};
use crate::client::ClientAddress;
use crate::csrf::CsrfForm;
use crate::errors::WebError;
use crate::question_page::see_other;
use crate::sessions::session_id_hash;

pub fn router() -> Routes {
    Routes::new()
        .route("/account/devices/sign-out", post(sign_out_device))
        .route("/account/devices/sign-out-others", post(sign_out_others))
}

/// One signed-in device, as the table shows it.
#[derive(Debug, Clone)]
pub struct Device {
    /// "Firefox on Windows", or "Unknown device".
    pub name: String,
    /// "Network 203.0.113.x", or "Unknown".
    pub place: String,
    pub signed_in: String,
    pub last_active: String,
    pub current: bool,
    /// What the device's "Sign out" button sends: the hash of its session id
    /// (never the id), which ends it only for this account.
    pub reference: String,
}

/// The account's signed-in devices, this one first, then the most recently
/// active.
pub async fn devices(app: &App, signed_in: &SignedIn) -> Result<Vec<Device>, WebError> {
    let this = session_id_hash(&signed_in.session);
    let mut devices: Vec<Device> = app
        .live_sessions(signed_in.account.id)
        .await?
        .into_iter()
        .map(|session| {
            let current = this.as_ref() == Some(&session.id_hash);
            Device {
                name: session
                    .signed_in_from
                    .device
                    .clone()
                    .unwrap_or_else(|| "Unknown device".to_owned()),
                place: session
                    .signed_in_from
                    .network()
                    .unwrap_or_else(|| "Unknown".to_owned()),
                signed_in: uk_time(session.created_at),
                last_active: if current {
                    "Now".to_owned()
                } else {
                    uk_time(session.last_seen_at)
                },
                current,
                reference: session.id_hash.as_hex().to_owned(),
            }
        })
        .collect();
    devices.sort_by_key(|d| !d.current);
    Ok(devices)
}

#[derive(Debug, Default, Deserialize)]
pub struct DeviceForm {
    #[serde(default)]
    device: String,
}

/// Signs one other device out.
async fn sign_out_device(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    CsrfForm(form): CsrfForm<DeviceForm>,
) -> Result<Response, WebError> {
    let device = TokenHash::from_hex(&form.device).map_err(|_| WebError::NotFound)?;
    let this = session_id_hash(&signed_in.session).ok_or(WebError::NotFound)?;
    app.end_own_session(signed_in.account.id, &device, &this, &source)
        .await?;
    keep(
        &signed_in.session,
        FLASH,
        &Flash::success("You have signed out of the other device"),
    )
    .await?;
    Ok(see_other("/account"))
}

#[derive(Debug, Default, Deserialize)]
pub struct NoFields {}

/// Signs every other device out.
async fn sign_out_others(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<Response, WebError> {
    let this = session_id_hash(&signed_in.session).ok_or(WebError::NotFound)?;
    app.end_own_other_sessions(signed_in.account.id, &this, &source)
        .await?;
    keep(
        &signed_in.session,
        FLASH,
        &Flash::success("You have signed out everywhere else"),
    )
    .await?;
    Ok(see_other("/account"))
}
