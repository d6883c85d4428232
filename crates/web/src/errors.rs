//! Errors of the web layer and the pages that show them.
//!
//! Policy: a handler returns `WebError`. `NotFound` and `Forbidden` show the styled
//! 404 and 403 pages; `Internal` logs its cause (with the request id, through the
//! request's tracing span) and shows the styled 500 page, never the cause. A panic
//! becomes the same 500 page. Errors do not render pages themselves: they mark the
//! response with an [`ErrorPage`], and [`render_error_pages`] draws the page with
//! the council's layout, so every error looks the same wherever it came from.

use askama::Template;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use http::StatusCode;
use send_app::{App, AppError};

use crate::chrome::Chrome;

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
            other @ (AppError::Store(_) | AppError::Internal(_)) => Self::Internal(Box::new(other)),
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
                tracing::error!(error = %cause, source = ?cause.source(), "request failed");
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

/// Middleware: draws the page for any response marked with an [`ErrorPage`].
pub async fn render_error_pages(State(app): State<App>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let Some(page) = response.extensions().get::<ErrorPage>().copied() else {
        return response;
    };
    let chrome = Chrome::new(&app);
    let rendered = match page {
        ErrorPage::NotFound => NotFoundPage { chrome }.render(),
        ErrorPage::Forbidden => ForbiddenPage { chrome }.render(),
        ErrorPage::Changed => ChangedPage { chrome }.render(),
        ErrorPage::MethodNotAllowed => MethodNotAllowedPage { chrome }.render(),
        ErrorPage::Internal => ServerErrorPage { chrome }.render(),
    };
    let (mut parts, _) = response.into_parts();
    match rendered {
        Ok(html) => {
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
