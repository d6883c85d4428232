//! Question pages: the errors of a submitted form and a page that shows a form
//! built from the GOV.UK components, with the error summary, "Error: " in the
//! title, and the form token.

use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Redirect, Response};
use http::StatusCode;

use crate::chrome::Chrome;
use crate::components::{Button, ErrorSummary};
use crate::errors::WebError;

/// The errors of one submitted form, in the order of its fields: each is the id
/// of the field it belongs to and the message shown there and in the summary.
#[derive(Debug, Clone, Default)]
pub struct FormErrors(Vec<(String, String)>);

impl FormErrors {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push((field.to_owned(), message.into()));
    }

    /// Adds the error of a parse result, if it failed, and passes the value on.
    pub fn check<T, E: std::fmt::Display>(
        &mut self,
        field: &str,
        result: Result<T, E>,
    ) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(err) => {
                self.add(field, err.to_string());
                None
            }
        }
    }

    /// The first message for a field (shown beside it).
    pub fn get(&self, field: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, message)| message.clone())
    }

    /// Every message for a field, one per line (a password can break several rules).
    pub fn all(&self, field: &str) -> Option<String> {
        let messages: Vec<&str> = self
            .0
            .iter()
            .filter(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
            .collect();
        (!messages.is_empty()).then(|| messages.join(". "))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The error summary: one link per message.
    pub fn summary(&self) -> ErrorSummary {
        self.0
            .iter()
            .fold(ErrorSummary::new(), |summary, (field, message)| {
                summary.error(format!("#{field}"), message)
            })
    }
}

/// An optional answer: nothing typed is `None`, anything typed must parse (its
/// error goes on `field`).
pub fn optional<T, E: std::fmt::Display>(
    errors: &mut FormErrors,
    field: &str,
    typed: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Option<T> {
    if typed.trim().is_empty() {
        None
    } else {
        errors.check(field, parse(typed))
    }
}

/// A page with one form. Fields and extra parts are rendered components (their
/// own templates escape what they show).
#[derive(Debug, Template, WebTemplate)]
#[template(path = "accounts/form.html")]
pub struct FormPage {
    pub chrome: Chrome,
    pub title: String,
    pub has_errors: bool,
    pub summary: ErrorSummary,
    pub back: Option<String>,
    pub intro: Vec<String>,
    pub before_form: String,
    pub action: String,
    pub csrf: String,
    pub fields: Vec<String>,
    pub button: Button,
    pub after_form: String,
    /// Whether the form sends files (`multipart/form-data`).
    pub multipart: bool,
}

impl FormPage {
    pub fn new(chrome: Chrome, title: &str, action: &str, csrf: String, button: &str) -> Self {
        Self {
            chrome,
            title: title.to_owned(),
            has_errors: false,
            summary: ErrorSummary::new(),
            back: None,
            intro: Vec::new(),
            before_form: String::new(),
            action: action.to_owned(),
            csrf,
            fields: Vec::new(),
            button: Button::new(button).prevent_double_click(),
            after_form: String::new(),
            multipart: false,
        }
    }

    #[must_use]
    pub fn errors(mut self, errors: &FormErrors) -> Self {
        self.has_errors = !errors.is_empty();
        self.summary = errors.summary();
        self
    }

    /// The form sends files.
    #[must_use]
    pub fn multipart(mut self) -> Self {
        self.multipart = true;
        self
    }

    #[must_use]
    pub fn back(mut self, href: &str) -> Self {
        self.back = Some(href.to_owned());
        self
    }

    #[must_use]
    pub fn intro(mut self, paragraph: impl Into<String>) -> Self {
        self.intro.push(paragraph.into());
        self
    }

    #[must_use]
    pub fn before_form(mut self, html: impl Into<String>) -> Self {
        self.before_form.push_str(&html.into());
        self
    }

    #[must_use]
    pub fn field(mut self, component: &impl ToString) -> Self {
        self.fields.push(component.to_string());
        self
    }

    #[must_use]
    pub fn after_form(mut self, html: impl Into<String>) -> Self {
        self.after_form.push_str(&html.into());
        self
    }

    /// The page as a response: 200, or 400 when it shows errors.
    pub fn respond(self) -> Response {
        let status = if self.has_errors {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        };
        (status, self).into_response()
    }
}

#[derive(Template)]
#[template(
    source = r#"<form method="post" action="{{ action }}" class="app-inline-form" novalidate><input type="hidden" name="csrf_token" value="{{ csrf }}"><button type="submit" class="app-link-button">{{ text }}</button></form>"#,
    ext = "html"
)]
struct LinkButtonForm<'a> {
    action: &'a str,
    csrf: &'a str,
    text: &'a str,
}

/// A small form with one link-styled button, for actions such as "Please send me a
/// new code" that must be posts (they send an email) but read as links.
pub fn link_button_form(action: &str, csrf: &str, text: &str) -> String {
    LinkButtonForm { action, csrf, text }
        .render()
        .unwrap_or_default()
}

/// The record version a page posted back (a hidden `version` field). One that
/// is missing or unreadable is no version the record ever had, so the step is
/// refused as changed meanwhile.
pub fn version_of(text: &str) -> u32 {
    text.trim().parse().unwrap_or(0)
}

/// After a successful post: see the next page (303, so a refresh does not post again).
///
/// An address a header cannot hold is a mistake in the code: it gets the styled
/// 500 page, never a plain-text error.
pub fn see_other(path: &str) -> Response {
    if http::HeaderValue::from_str(path).is_err() {
        return WebError::Internal("a redirect to an address a header cannot hold".into())
            .into_response();
    }
    Redirect::to(path).into_response()
}
