//! GOV.UK Frontend and MOJ Frontend components as typed Rust values.
//!
//! Every component is a plain struct whose fields mirror the options of the
//! GOV.UK Frontend Nunjucks macro (so `fixtures.json` options deserialize
//! straight into it) and which renders itself through an askama template in
//! `templates/components/`. The markup is checked against GOV.UK Frontend's
//! own fixtures by `tests/components.rs`.
//!
//! # Rendering inside page templates
//!
//! Every component type implements [`askama::filters::HtmlSafe`], so inside
//! another askama template write `{{ button }}`: the component's own output is
//! already escaped where it must be and is not escaped a second time. Do not
//! add `|safe`. Outside templates, call [`askama::Template::render`] or use
//! `to_string()`.
//!
//! # Text and HTML
//!
//! Options come in `text` / `html` pairs. `text` is escaped; `html` is
//! inserted as-is and wins over `text` when both are set, as in the Nunjucks
//! macros. Only put trusted, already-escaped markup in `html` options.

mod attributes;
mod choice;
mod composite;
mod content;
mod data;
mod de;
mod form;
mod navigation;

pub use attributes::{AttributeValue, Attributes};
pub use choice::{Checkboxes, ChoiceItem, Conditional, DateInput, DateInputItem, Radios};
pub use composite::{CharacterCount, CountMessage, FileUpload, PasswordInput, PasswordInputButton};
pub use content::{
    Button, Details, InsetText, NotificationBanner, Panel, PanelAction, PanelActions, PhaseBanner,
    PhaseBannerTag, Tag, WarningText,
};
pub use navigation::{
    BackLink, BreadcrumbItem, Breadcrumbs, EndSlot, Footer, FooterLink, FooterMeta,
    FooterNavigation, GenericHeader, Pagination, PaginationItem, PaginationLink, ServiceNavigation,
    ServiceNavigationItem, ServiceNavigationSlots, SkipLink,
};

pub use data::{
    SummaryCard, SummaryCardTitle, SummaryList, SummaryListAction, SummaryListActions,
    SummaryListCell, SummaryListRow, Table, TableCell, TaskList, TaskListItem, TaskListStatus,
    TaskListText,
};
pub use form::{
    Affix, ErrorMessage, ErrorSummary, ErrorSummaryItem, Fieldset, FormGroup, GroupFormGroup, Hint,
    Input, InputWrapper, Label, Legend, Select, SelectItem, Textarea,
};

use std::fmt;

/// A `text` / `html` pair used by nested options (for example a footer's
/// `contentLicence` or a phase banner's tag). `html` wins over `text`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TextOrHtml {
    /// Plain text, escaped when rendered.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub text: Option<String>,
    /// Trusted HTML, inserted as-is.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub html: Option<String>,
}

impl TextOrHtml {
    /// Plain text content.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            html: None,
        }
    }

    /// Trusted HTML content.
    pub fn html(html: impl Into<String>) -> Self {
        Self {
            text: None,
            html: Some(html.into()),
        }
    }

    /// Whether either `html` or `text` is non-empty.
    pub fn is_set(&self) -> bool {
        self.html.present().is_some() || self.text.present().is_some()
    }

    /// The content as HTML: `html` as-is if set, otherwise `text` escaped.
    pub fn render(&self) -> Content<'_> {
        Content::new(self.html.as_deref(), self.text.as_deref())
    }
}

/// Content chosen from an `html` / `text` pair, ready to write into a
/// template: non-empty `html` is written as-is, otherwise `text` is escaped.
#[derive(Debug, Clone, Copy)]
pub struct Content<'a> {
    html: Option<&'a str>,
    text: Option<&'a str>,
}

impl<'a> Content<'a> {
    /// Pick `html` when it is non-empty, otherwise `text`.
    pub fn new(html: Option<&'a str>, text: Option<&'a str>) -> Self {
        Self {
            html: html.filter(|h| !h.is_empty()),
            text,
        }
    }

    /// Whether there is anything to write (Nunjucks truthiness).
    pub fn is_set(&self) -> bool {
        self.html.is_some() || self.text.is_some_and(|t| !t.is_empty())
    }
}

impl fmt::Display for Content<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.html, self.text) {
            (Some(html), _) => f.write_str(html),
            (None, Some(text)) => f.write_str(&escape(text)),
            (None, None) => Ok(()),
        }
    }
}

impl askama::filters::HtmlSafe for Content<'_> {}

/// HTML-escape text for element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Nunjucks-style truthiness for optional strings, used by the templates.
trait Present {
    /// `Some` only for a non-empty string.
    fn present(&self) -> Option<&str>;
}

impl Present for Option<String> {
    fn present(&self) -> Option<&str> {
        self.as_deref().filter(|s| !s.is_empty())
    }
}

/// Marks component types as producing HTML that must not be escaped again
/// when embedded in another askama template.
macro_rules! html_safe {
    ($($ty:ty),* $(,)?) => {
        $(impl askama::filters::HtmlSafe for $ty {})*
    };
}
use html_safe;

/// Join a base class with optional extra classes, GOV.UK style.
fn classes(base: &str, extra: Option<&str>) -> String {
    match extra.filter(|e| !e.is_empty()) {
        Some(extra) => format!("{base} {extra}"),
        None => base.to_owned(),
    }
}
