//! Errors of the web layer and the pages that show them.
//!
//! Policy: a handler returns `WebError`. What becomes which status:
//! `AppError::NotFound` is the styled 404 page (so is what a person may not know
//! exists), `AppError::Forbidden` the 403 page, a path asked for with a method it
//! does not answer the 405 page; `AppError::Store`, `AppError::Internal` and any
//! other failure are `Internal`, the styled 500 page, and so is a panic. What is logged: each 500 once, at error
//! level, with its whole chain of causes joined by ": " ([`ErrorChain`]), inside the
//! request's span (so with its request id, method and route pattern, never its path
//! or query). What is shown: only the page for the status, never the cause. Errors
//! do not render pages themselves: they mark the response with an [`ErrorPage`], and
//! [`render_error_pages`] draws the page with the council's layout, so every error
//! looks the same wherever it came from; an error response nobody marked (a
//! framework's plain-text rejection) gets the page for its status too.

use askama::Template;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use http::StatusCode;
use send_app::error::ErrorChain;
use send_app::{App, AppError};

use tower_sessions::Session;

use crate::accounts::SignedIn;
use crate::chrome::{Chrome, PageAddress};

/// What went wrong, as far as the person using the portal needs to know.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("page not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// Someone else changed what the person was changing (a page without a form
    /// of its own to show it on).
    #[error("changed meanwhile")]
    Changed,
    #[error("internal error: {0}")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl From<AppError> for WebError {
    fn from(err: AppError) -> Self {
        match err {
            AppError::NotFound => Self::NotFound,
            AppError::Forbidden => Self::Forbidden,
            AppError::Changed => Self::Changed,
            other @ (AppError::Store(_) | AppError::Internal { .. }) => {
                Self::Internal(Box::new(other))
            }
        }
    }
}

/// Which error page a response should show. Put in the response's extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorPage {
    NotFound,
    Forbidden,
    /// Someone else changed the record first; nothing was written.
    Changed,
    /// A path that exists, asked for with a method it does not answer (a link to
    /// a page that only takes form posts, say).
    MethodNotAllowed,
    Internal,
}

impl ErrorPage {
    fn status(self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::Changed => StatusCode::CONFLICT,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// An empty response that the error layer will fill in.
    pub fn response(self) -> Response {
        let mut response = self.status().into_response();
        response.extensions_mut().insert(self);
        response
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            Self::NotFound => ErrorPage::NotFound.response(),
            Self::Forbidden => ErrorPage::Forbidden.response(),
            Self::Changed => ErrorPage::Changed.response(),
            Self::Internal(cause) => {
                tracing::error!(error = %ErrorChain(&*cause), "request failed");
                ErrorPage::Internal.response()
            }
        }
    }
}

/// The fallback for any path no route matches.
pub async fn not_found() -> Response {
    ErrorPage::NotFound.response()
}

/// The fallback for a path asked for with a method it does not answer.
pub async fn method_not_allowed() -> Response {
    ErrorPage::MethodNotAllowed.response()
}

#[derive(Template)]
#[template(path = "errors/not_found.html")]
struct NotFoundPage {
    chrome: Chrome,
    contact: Option<send_domain::council_texts::SendTeamContact>,
}

#[derive(Template)]
#[template(path = "errors/forbidden.html")]
struct ForbiddenPage {
    chrome: Chrome,
}

#[derive(Template)]
#[template(path = "errors/changed.html")]
struct ChangedPage {
    chrome: Chrome,
}

#[derive(Template)]
#[template(path = "errors/method_not_allowed.html")]
struct MethodNotAllowedPage {
    chrome: Chrome,
}

#[derive(Template)]
#[template(path = "errors/server_error.html")]
struct ServerErrorPage {
    chrome: Chrome,
}

/// Middleware inside the session layer: a response marked with an [`ErrorPage`]
/// for a signed-in person carries their [`Chrome`] (their home, sections and
/// account menu, no section marked), for [`render_error_pages`], which sits
/// outside the session layer, to draw the page with.
pub async fn note_who_is_signed_in(
    State(app): State<App>,
    request: Request,
    next: Next,
) -> Response {
    let session = request.extensions().get::<Session>().cloned();
    let mut response = next.run(request).await;
    if response.extensions().get::<ErrorPage>().is_some()
        && let Some(session) = session
        // A failure to read the session was logged; the page is drawn signed out.
        && let Ok(Some(signed_in)) =
            SignedIn::of_session(&app, session, PageAddress::nowhere()).await
    {
        response.extensions_mut().insert(signed_in.chrome(&app));
    }
    response
}

/// Middleware: draws the page for any response marked with an [`ErrorPage`],
/// with the chrome [`note_who_is_signed_in`] left on it, or the signed-out one.
pub async fn render_error_pages(State(app): State<App>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let Some(page) = response
        .extensions()
        .get::<ErrorPage>()
        .copied()
        .or_else(|| unmarked_error_page(&response))
    else {
        return response;
    };
    let chrome = response
        .extensions_mut()
        .remove::<Chrome>()
        .unwrap_or_else(|| Chrome::new(&app));
    let rendered = match page {
        ErrorPage::NotFound => NotFoundPage {
            chrome,
            contact: app.texts_now().contact(),
        }
        .render(),
        ErrorPage::Forbidden => ForbiddenPage { chrome }.render(),
        ErrorPage::Changed => ChangedPage { chrome }.render(),
        ErrorPage::MethodNotAllowed => MethodNotAllowedPage { chrome }.render(),
        ErrorPage::Internal => ServerErrorPage { chrome }.render(),
    };
    let (mut parts, _) = response.into_parts();
    match rendered {
        Ok(html) => {
            // The page's status (an unmarked 400 shows the 404 page, as a 404).
            parts.status = page.status();
            parts.headers.remove(http::header::CONTENT_LENGTH);
            let mut page_response = (page.status(), Html(html)).into_response();
            page_response.extensions_mut().insert(page);
            let (new_parts, body) = page_response.into_parts();
            parts.headers.extend(new_parts.headers);
            Response::from_parts(parts, body)
        }
        Err(err) => {
            tracing::error!(error = %err, "error page failed to render");
            (page.status(), "Sorry, there is a problem with the service.").into_response()
        }
    }
}

/// A response that is plain text on purpose (a health check for a load
/// balancer): [`render_error_pages`] leaves its error status alone.
#[derive(Debug, Clone, Copy)]
pub struct PlainText;

/// The page for an error response that nobody marked and that is not a page
/// itself or JSON: a framework's own answer (a malformed query string's plain-text 400,
/// the session layer's empty 500 when it cannot save), so that no error response
/// escapes the styled pages. `None` for anything else.
fn unmarked_error_page(response: &Response) -> Option<ErrorPage> {
    let status = response.status();
    // A page drawn by its handler (a form with its errors), or the deadlines
    // API's JSON answer, is what it should be.
    let drawn = response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html") || v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error())
        || drawn
        || response.extensions().get::<PlainText>().is_some()
    {
        return None;
    }
    Some(match status {
        StatusCode::FORBIDDEN => ErrorPage::Forbidden,
        StatusCode::METHOD_NOT_ALLOWED => ErrorPage::MethodNotAllowed,
        StatusCode::CONFLICT => ErrorPage::Changed,
        _ if status.is_server_error() => {
            tracing::error!(status = %status, "error response with no error page");
            ErrorPage::Internal
        }
        // An address or query the portal does not answer as it was written.
        _ => ErrorPage::NotFound,
    })
}

/// The response for a panic in a handler: the 500 page, drawn by the error layer.
#[expect(
    clippy::needless_pass_by_value,
    reason = "CatchPanicLayer hands the panic payload over by value"
)]
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .map(ToString::to_string)
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "non-text panic".to_owned());
    tracing::error!(panic = %message, "handler panicked");
    ErrorPage::Internal.response()
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use send_store::StoreError;
    use tracing_subscriber::fmt::MakeWriter;

    use super::*;

    /// Log output, kept for the test to read.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Captured {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Captured {
        type Writer = Self;

        fn make_writer(&'a self) -> Self::Writer {
            self.clone()
        }
    }

    /// The response to `err`, and what was logged while making it.
    fn respond_and_log(err: WebError) -> (Response, String) {
        let captured = Captured::default();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(captured.clone())
            .with_ansi(false)
            .finish();
        let response = tracing::subscriber::with_default(subscriber, || err.into_response());
        (response, captured.text())
    }

    #[test]
    fn a_500_logs_the_whole_chain_of_a_store_failure() {
        let cause = std::io::Error::new(
            std::io::ErrorKind::ConnectionRefused,
            "connection to db.internal:5432 refused",
        );
        let err = WebError::from(AppError::from(StoreError::Other(Box::new(cause))));
        let (response, log) = respond_and_log(err);
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            response.extensions().get::<ErrorPage>(),
            Some(&ErrorPage::Internal)
        );
        assert!(log.contains("request failed"), "{log}");
        assert!(
            log.contains("storage failure: connection to db.internal:5432 refused"),
            "{log}"
        );
        // The cause is printed once, not once by each layer that wraps it.
        assert_eq!(log.matches("db.internal:5432").count(), 1, "{log}");
    }

    #[test]
    fn a_500_logs_the_cause_of_an_internal_error() {
        let cause = std::io::Error::other("the disk is full");
        let err = WebError::from(AppError::internal("reading a document", cause));
        let (response, log) = respond_and_log(err);
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(
            log.contains("reading a document: the disk is full"),
            "{log}"
        );
    }

    #[test]
    fn a_404_or_403_logs_nothing() {
        for (err, status) in [
            (WebError::from(AppError::NotFound), StatusCode::NOT_FOUND),
            (WebError::from(AppError::Forbidden), StatusCode::FORBIDDEN),
        ] {
            let (response, log) = respond_and_log(err);
            assert_eq!(response.status(), status);
            assert!(log.is_empty(), "{log}");
        }
    }
}
