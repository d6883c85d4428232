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

/// Replaces the session's form token with a new one (when the session becomes
/// signed in), so a token seen before signing in is worth nothing after.
pub async fn renew(session: &Session) -> Result<String, WebError> {
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

/// The most a form with files may send in all. Each file's own limit is the
/// file store's (`SEND_PORTAL_MAX_UPLOAD_MB`); bytes beyond it are read and
/// dropped, so the form can say so and keep what else was typed.
pub const MULTIPART_BODY_LIMIT: usize = 256 * 1024 * 1024;

/// A file as it arrived in a form.
#[derive(Debug, Clone)]
pub struct UploadedFile {
    /// The form field it came in.
    pub field: String,
    /// The name the person's computer gave it (never used to store it).
    pub name: String,
    /// Its bytes, up to one more than the limit.
    pub bytes: Vec<u8>,
}

/// A `multipart/form-data` form (one with files) whose token matched the
/// session's; refused like [`CsrfForm`] otherwise. Text fields are kept by name
/// (repeated fields in order); a file field left empty is left out.
#[derive(Debug, Default)]
pub struct CsrfMultipart {
    pub fields: std::collections::HashMap<String, Vec<String>>,
    pub files: Vec<UploadedFile>,
}

impl CsrfMultipart {
    /// The first value of a text field, or "".
    pub fn text(&self, name: &str) -> String {
        self.fields
            .get(name)
            .and_then(|v| v.first())
            .cloned()
            .unwrap_or_default()
    }

    /// Every value of a repeated field (checkboxes).
    pub fn all(&self, name: &str) -> Vec<String> {
        self.fields.get(name).cloned().unwrap_or_default()
    }
}

impl FromRequest<App> for CsrfMultipart {
    type Rejection = WebError;

    async fn from_request(request: Request, state: &App) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let session = Session::from_request_parts(&mut parts, state)
            .await
            .map_err(|_| WebError::Forbidden)?;
        let mut multipart =
            axum::extract::Multipart::from_request(Request::from_parts(parts, body), state)
                .await
                .map_err(|_| WebError::Forbidden)?;
        // One byte over the limit is enough to know a file is too large.
        let keep = usize::try_from(state.files.max_bytes())
            .unwrap_or(usize::MAX)
            .saturating_add(1);
        let mut form = Self::default();
        while let Some(mut field) = multipart
            .next_field()
            .await
            .map_err(|_| WebError::Forbidden)?
        {
            let name = field.name().unwrap_or_default().to_owned();
            if let Some(file_name) = field.file_name().map(ToOwned::to_owned) {
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(|_| WebError::Forbidden)? {
                    let room = keep.saturating_sub(bytes.len());
                    bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
                }
                if file_name.is_empty() && bytes.is_empty() {
                    continue;
                }
                form.files.push(UploadedFile {
                    field: name,
                    name: file_name,
                    bytes,
                });
            } else {
                let value = field.text().await.map_err(|_| WebError::Forbidden)?;
                form.fields.entry(name).or_default().push(value);
            }
        }
        let sent = form.text(FIELD);
        let expected: Option<String> = session
            .get(SESSION_KEY)
            .await
            .map_err(|e| WebError::Internal(Box::new(e)))?;
        match expected {
            Some(expected) if constant_time_eq(sent.as_bytes(), expected.as_bytes()) => Ok(form),
            _ => {
                tracing::warn!("form post refused: missing or wrong form token");
                Err(WebError::Forbidden)
            }
        }
    }
}
