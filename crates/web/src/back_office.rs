//! What every page of the council's back office shares: the [`Staff`]
//! extractor. Every back-office page (in the area modules: `cases`,
//! `involvements`, `portal_access`, `messages`, `documents`, `admin`) takes it;
//! anyone who is not staff gets the 404 page, so the back office does not show
//! itself to portal users.

use axum::extract::FromRequestParts;
use axum::response::{IntoResponse, Response};
use http::request::Parts;
use send_app::App;
use send_domain::StaffAccess;

use crate::accounts::SignedIn;
use crate::errors::WebError;

/// A signed-in member of staff and what they may do.
#[derive(Debug)]
pub struct Staff {
    pub signed_in: SignedIn,
    pub access: StaffAccess,
}

impl FromRequestParts<App> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let signed_in = SignedIn::from_request_parts(parts, app).await?;
        match signed_in.staff.clone() {
            Some(access) => Ok(Self { signed_in, access }),
            None => Err(WebError::NotFound.into_response()),
        }
    }
}
