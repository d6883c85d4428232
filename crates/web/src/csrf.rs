//! Protection against forged form posts: every form carries a random token kept
//! in the visitor's session, and every form post must bring it back.

use axum::extract::{FromRequest, FromRequestParts, Request};
use send_app::App;
use send_app::tokens::{SecretToken, constant_time_eq};
use serde::de::DeserializeOwned;
use tower_sessions::Session;

use crate::errors::WebError;

/// The hidden field's name in every form.
pub const FIELD: &str = "csrf_token";
const SESSION_KEY: &str = "csrf_token";

/// The session's form token, made on first use.
pub async fn token(session: &Session) -> Result<String, WebError> {
    let existing: Option<String> = session
        .get(SESSION_KEY)
        .await
        .map_err(|e| WebError::Internal(Box::new(e)))?;
    if let Some(token) = existing {
        return Ok(token);
    }
    let token = SecretToken::generate().expose().to_owned();
    session
        .insert(SESSION_KEY, &token)
        .await
        .map_err(|e| WebError::Internal(Box::new(e)))?;
    Ok(token)
}

/// A URL-encoded form whose token matched the session's. Any other post is
/// refused with the 403 page before the handler runs, and nothing is written.
#[derive(Debug)]
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<App> for CsrfForm<T> {
    type Rejection = WebError;

    async fn from_request(request: Request, state: &App) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let session = Session::from_request_parts(&mut parts, state)
            .await
            .map_err(|_| WebError::Forbidden)?;
        let bytes = axum::body::Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|_| WebError::Forbidden)?;
        let sent = url::form_urlencoded::parse(&bytes)
            .find(|(k, _)| k == FIELD)
            .map(|(_, v)| v.into_owned());
        let expected: Option<String> = session
            .get(SESSION_KEY)
            .await
            .map_err(|e| WebError::Internal(Box::new(e)))?;
        match (sent, expected) {
            (Some(sent), Some(expected))
                if constant_time_eq(sent.as_bytes(), expected.as_bytes()) => {}
            _ => {
                tracing::warn!("form post refused: missing or wrong form token");
                return Err(WebError::Forbidden);
            }
        }
        let value = serde_urlencoded::from_bytes(&bytes).map_err(|_| WebError::Forbidden)?;
        Ok(Self(value))
    }
}
