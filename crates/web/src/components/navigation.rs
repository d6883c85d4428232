//! Page furniture and navigation: skip link, header, service navigation,
//! footer, back link, breadcrumbs, pagination.

use askama::Template;
use serde::Deserialize;

use super::{Attributes, Content, Present, TextOrHtml, de, html_safe};

/// GOV.UK skip link (`govukSkipLink`).
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/skip-link.html")]
pub struct SkipLink {
    /// Link text.
    #[serde(default)]
    pub text: Option<String>,
    /// Link HTML; wins over `text`.
    #[serde(default)]
    pub html: Option<String>,
    /// Target; defaults to `#content`.
    #[serde(default)]
    pub href: Option<String>,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
}

impl SkipLink {
    /// A skip link to `href` (for example `#main-content`).
    pub fn new(text: impl Into<String>, href: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            href: Some(href.into()),
            ..Self::default()
        }
    }
}

/// GOV.UK generic header (`govukGenericHeader`): a header with a text or HTML
/// logo, for services that are not on GOV.UK.
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/generic-header.html")]
pub struct GenericHeader {
    /// Homepage link; defaults to `/`.
    #[serde(default)]
    pub url: Option<String>,
    /// Logo text.
    #[serde(default)]
    pub logo_text: Option<String>,
    /// Logo HTML; wins over `logo_text`.
    #[serde(default)]
    pub logo_html: Option<String>,
    /// Classes for the container; defaults to `govuk-width-container`.
    #[serde(default)]
    pub container_classes: Option<String>,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
}

impl GenericHeader {
    /// A header whose logo is `logo_text`, linking to `url`.
    pub fn new(logo_text: impl Into<String>, url: impl Into<String>) -> Self {
        Self {
            logo_text: Some(logo_text.into()),
            url: Some(url.into()),
            ..Self::default()
        }
    }
}

/// GOV.UK service navigation (`govukServiceNavigation`).
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/service-navigation.html")]
pub struct ServiceNavigation {
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
    /// Label of the `<section>` landmark; defaults to "Service information".
    #[serde(default)]
    pub aria_label: Option<String>,
    /// Text of the mobile menu button; defaults to "Menu".
    #[serde(default)]
    pub menu_button_text: Option<String>,
    /// `aria-label` of the mobile menu button.
    #[serde(default)]
    pub menu_button_label: Option<String>,
    /// `aria-label` of the `<nav>`; defaults to the menu button text.
    #[serde(default)]
    pub navigation_label: Option<String>,
    /// `id` of the list; defaults to `navigation`.
    #[serde(default)]
    pub navigation_id: Option<String>,
    /// Extra classes on the `<nav>`.
    #[serde(default)]
    pub navigation_classes: Option<String>,
    /// Collapse into a menu on mobile; defaults to "more than one item".
    #[serde(default)]
    pub collapse_navigation_on_mobile: Option<bool>,
    /// Service name shown before the navigation.
    #[serde(default)]
    pub service_name: Option<String>,
    /// Link for the service name.
    #[serde(default)]
    pub service_url: Option<String>,
    /// Navigation links (falsy entries are dropped).
    #[serde(default, deserialize_with = "de::truthy_items")]
    pub navigation: Vec<ServiceNavigationItem>,
    /// Trusted HTML slots.
    #[serde(default)]
    pub slots: ServiceNavigationSlots,
}

/// One link in [`ServiceNavigation`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceNavigationItem {
    /// The current page (`aria-current="page"`).
    #[serde(default)]
    pub current: bool,
    /// In the current section (`aria-current="true"`).
    #[serde(default)]
    pub active: bool,
    /// Link text.
    #[serde(default)]
    pub text: Option<String>,
    /// Link HTML; wins over `text`.
    #[serde(default)]
    pub html: Option<String>,
    /// Link target; without it the item is plain text.
    #[serde(default)]
    pub href: Option<String>,
    /// Extra attributes on the link.
    #[serde(default)]
    pub attributes: Attributes,
}

impl ServiceNavigationItem {
    /// A link to `href`.
    pub fn new(text: impl Into<String>, href: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            href: Some(href.into()),
            ..Self::default()
        }
    }

    /// Mark as the current page.
    #[must_use]
    pub fn current(mut self, current: bool) -> Self {
        self.current = current;
        self
    }

    fn highlighted(&self) -> bool {
        self.active || self.current
    }

    fn aria_current(&self) -> &'static str {
        if self.current { "page" } else { "true" }
    }

    fn content(&self) -> Content<'_> {
        Content::new(self.html.as_deref(), self.text.as_deref())
    }
}

/// Trusted HTML injected into [`ServiceNavigation`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceNavigationSlots {
    /// Before the service name.
    #[serde(default)]
    pub start: Option<String>,
    /// After the navigation.
    #[serde(default)]
    pub end: Option<EndSlot>,
    /// At the start of the list.
    #[serde(default)]
    pub navigation_start: Option<String>,
    /// At the end of the list.
    #[serde(default)]
    pub navigation_end: Option<String>,
}

/// The `end` slot of [`ServiceNavigation`]: HTML, optionally aligned inline.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(from = "RawEndSlot")]
pub struct EndSlot {
    /// Trusted HTML.
    pub html: Option<String>,
    /// `inline` to place the slot beside the navigation.
    pub align: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawEndSlot {
    Html(String),
    Object {
        #[serde(default)]
        html: Option<String>,
        #[serde(default)]
        align: Option<String>,
    },
}

impl From<RawEndSlot> for EndSlot {
    fn from(raw: RawEndSlot) -> Self {
        match raw {
            RawEndSlot::Html(html) => Self {
                html: Some(html),
                align: None,
            },
            RawEndSlot::Object { html, align } => Self { html, align },
        }
    }
}

impl ServiceNavigation {
    /// Service navigation with a service name linking to `service_url`.
    pub fn new(service_name: impl Into<String>, service_url: impl Into<String>) -> Self {
        Self {
            service_name: Some(service_name.into()),
            service_url: Some(service_url.into()),
            ..Self::default()
        }
    }

    /// Add a navigation link.
    #[must_use]
    pub fn item(mut self, item: ServiceNavigationItem) -> Self {
        self.navigation.push(item);
        self
    }

    fn menu_button_text(&self) -> &str {
        self.menu_button_text.present().unwrap_or("Menu")
    }

    fn navigation_id(&self) -> &str {
        self.navigation_id.present().unwrap_or("navigation")
    }

    fn end_html(&self) -> Option<&str> {
        self.slots.end.as_ref().and_then(|end| end.html.present())
    }

    fn end_inline(&self) -> bool {
        self.slots
            .end
            .as_ref()
            .is_some_and(|end| end.align.as_deref() == Some("inline"))
    }

    fn collapse_on_mobile(&self) -> bool {
        self.collapse_navigation_on_mobile
            .unwrap_or(self.navigation.len() > 1)
    }

    fn has_navigation(&self) -> bool {
        !self.navigation.is_empty()
            || self.slots.navigation_start.present().is_some()
            || self.slots.navigation_end.present().is_some()
    }

    fn is_section(&self) -> bool {
        self.service_name.present().is_some()
            || self.slots.start.present().is_some()
            || self.end_html().is_some()
    }

    fn menu_button_label(&self) -> Option<&str> {
        self.menu_button_label
            .present()
            .filter(|label| *label != self.menu_button_text())
    }
}

/// GOV.UK footer (`govukFooter`).
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/footer.html")]
pub struct Footer {
    /// Meta links and text.
    #[serde(default)]
    pub meta: Option<FooterMeta>,
    /// Navigation sections.
    #[serde(default)]
    pub navigation: Vec<FooterNavigation>,
    /// Content licence: `None` for the Open Government Licence,
    /// `Some(None)` to hide it, `Some(Some(..))` for custom text.
    #[serde(default, deserialize_with = "de::explicit_null")]
    pub content_licence: Option<Option<TextOrHtml>>,
    /// Copyright text; defaults to "© Crown copyright".
    #[serde(default)]
    pub copyright: Option<TextOrHtml>,
    /// Extra classes on the container.
    #[serde(default)]
    pub container_classes: Option<String>,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
    /// Not a GOV.UK option: leaves out the crown and the Crown copyright link,
    /// which belong to GOV.UK services only. A council's portal sets this and
    /// gives its own `copyright` text, shown unlinked.
    #[serde(skip)]
    pub without_crown: bool,
}

/// The meta section of [`Footer`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FooterMeta {
    /// Hidden heading; defaults to "Support links".
    #[serde(default)]
    pub visually_hidden_title: Option<String>,
    /// Custom text.
    #[serde(default)]
    pub text: Option<String>,
    /// Custom HTML; wins over `text`.
    #[serde(default)]
    pub html: Option<String>,
    /// Inline links.
    #[serde(default)]
    pub items: Vec<FooterLink>,
}

/// A section of footer navigation.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FooterNavigation {
    /// Section heading.
    #[serde(default)]
    pub title: String,
    /// Number of columns for the list.
    #[serde(default)]
    pub columns: Option<u32>,
    /// Grid width, for example `one-half`; defaults to `full`.
    #[serde(default)]
    pub width: Option<String>,
    /// Links.
    #[serde(default)]
    pub items: Vec<FooterLink>,
}

/// A footer link.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FooterLink {
    /// Link text.
    #[serde(default)]
    pub text: Option<String>,
    /// Link target.
    #[serde(default)]
    pub href: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
}

impl FooterLink {
    /// A link to `href`.
    pub fn new(text: impl Into<String>, href: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            href: Some(href.into()),
            attributes: Attributes::new(),
        }
    }
}

impl Footer {
    /// The standard footer (Open Government Licence, Crown copyright).
    pub fn new() -> Self {
        Self::default()
    }

    /// A footer for a service that is not on GOV.UK: no crown, no Open Government
    /// Licence, and the organisation's own copyright line.
    pub fn for_organisation(copyright: impl Into<String>) -> Self {
        Self {
            content_licence: Some(None),
            copyright: Some(TextOrHtml::text(copyright)),
            without_crown: true,
            ..Self::default()
        }
    }

    /// Add a support link to the meta section.
    #[must_use]
    pub fn meta_link(mut self, link: FooterLink) -> Self {
        self.meta
            .get_or_insert_with(FooterMeta::default)
            .items
            .push(link);
        self
    }

    fn shows_licence(&self) -> bool {
        !matches!(self.content_licence, Some(None))
    }

    fn columns_class(nav: &FooterNavigation) -> Option<String> {
        nav.columns
            .filter(|c| *c != 0)
            .map(|c| format!("govuk-footer__list--columns-{c}"))
    }
}

/// GOV.UK back link (`govukBackLink`).
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/back-link.html")]
pub struct BackLink {
    /// Link text; defaults to "Back".
    #[serde(default)]
    pub text: Option<String>,
    /// Link HTML; wins over `text`.
    #[serde(default)]
    pub html: Option<String>,
    /// Link target; defaults to `#`.
    #[serde(default)]
    pub href: Option<String>,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
}

impl BackLink {
    /// A "Back" link to `href`.
    pub fn new(href: impl Into<String>) -> Self {
        Self {
            href: Some(href.into()),
            ..Self::default()
        }
    }

    /// Replace the "Back" text.
    #[must_use]
    pub fn text(mut self, text: impl Into<String>) -> Self {
        self.text = Some(text.into());
        self
    }
}

/// One link of [`Breadcrumbs`]; without `href` it is the current page.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BreadcrumbItem {
    /// Text.
    #[serde(default)]
    pub text: Option<String>,
    /// HTML; wins over `text`.
    #[serde(default)]
    pub html: Option<String>,
    /// Link target.
    #[serde(default)]
    pub href: Option<String>,
    /// Extra attributes on the link.
    #[serde(default)]
    pub attributes: Attributes,
}

impl BreadcrumbItem {
    fn content(&self) -> Content<'_> {
        Content::new(self.html.as_deref(), self.text.as_deref())
    }
}

/// GOV.UK breadcrumbs (`govukBreadcrumbs`).
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/breadcrumbs.html")]
pub struct Breadcrumbs {
    /// The links.
    #[serde(default)]
    pub items: Vec<BreadcrumbItem>,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
    /// Show only the first and last items on mobile.
    #[serde(default)]
    pub collapse_on_mobile: bool,
    /// `aria-label`; defaults to "Breadcrumb".
    #[serde(default)]
    pub label_text: Option<String>,
}

impl Breadcrumbs {
    /// Empty breadcrumbs.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a link.
    #[must_use]
    pub fn link(mut self, text: impl Into<String>, href: impl Into<String>) -> Self {
        self.items.push(BreadcrumbItem {
            text: Some(text.into()),
            href: Some(href.into()),
            ..BreadcrumbItem::default()
        });
        self
    }

    fn class_names(&self) -> String {
        let mut classes = super::classes("govuk-breadcrumbs", self.classes.as_deref());
        if self.collapse_on_mobile {
            classes.push_str(" govuk-breadcrumbs--collapse-on-mobile");
        }
        classes
    }
}

/// The previous or next link of [`Pagination`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PaginationLink {
    /// Link text; defaults to "Previous" / "Next" (with hidden " page").
    #[serde(default)]
    pub text: Option<String>,
    /// Link HTML; wins over `text`.
    #[serde(default)]
    pub html: Option<String>,
    /// Label under the text (block style only), for example a page title.
    #[serde(default)]
    pub label_text: Option<String>,
    /// Link target.
    #[serde(default)]
    pub href: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
}

impl PaginationLink {
    /// A link to `href`.
    pub fn new(href: impl Into<String>) -> Self {
        Self {
            href: Some(href.into()),
            ..Self::default()
        }
    }

    fn content(&self) -> Content<'_> {
        Content::new(self.html.as_deref(), self.text.as_deref())
    }
}

/// One page number (or ellipsis) of [`Pagination`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PaginationItem {
    /// Page number (or other label).
    #[serde(default, deserialize_with = "de::opt_string")]
    pub number: Option<String>,
    /// `aria-label`; defaults to "Page <number>".
    #[serde(default)]
    pub visually_hidden_text: Option<String>,
    /// Link target.
    #[serde(default)]
    pub href: Option<String>,
    /// The current page.
    #[serde(default)]
    pub current: bool,
    /// An ellipsis instead of a link.
    #[serde(default)]
    pub ellipsis: bool,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
}

impl PaginationItem {
    /// Page `number` at `href`.
    pub fn page(number: u32, href: impl Into<String>) -> Self {
        Self {
            number: Some(number.to_string()),
            href: Some(href.into()),
            ..Self::default()
        }
    }

    /// An ellipsis between page numbers.
    pub fn ellipsis() -> Self {
        Self {
            ellipsis: true,
            ..Self::default()
        }
    }

    /// Mark as the current page.
    #[must_use]
    pub fn current(mut self, current: bool) -> Self {
        self.current = current;
        self
    }

    fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    fn aria_label(&self) -> String {
        self.visually_hidden_text
            .clone()
            .unwrap_or_else(|| format!("Page {}", self.number.as_deref().unwrap_or("undefined")))
    }
}

/// GOV.UK pagination (`govukPagination`).
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/pagination.html")]
pub struct Pagination {
    /// Page numbers; without them the block style is used.
    #[serde(default)]
    pub items: Option<Vec<Option<PaginationItem>>>,
    /// Previous page link.
    #[serde(default)]
    pub previous: Option<PaginationLink>,
    /// Next page link.
    #[serde(default)]
    pub next: Option<PaginationLink>,
    /// `aria-label`; defaults to "Pagination".
    #[serde(default)]
    pub landmark_label: Option<String>,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
}

impl Pagination {
    /// Numbered pagination.
    pub fn new(items: Vec<PaginationItem>) -> Self {
        Self {
            items: Some(items.into_iter().map(Some).collect()),
            ..Self::default()
        }
    }

    /// Set the previous link.
    #[must_use]
    pub fn previous(mut self, href: impl Into<String>) -> Self {
        self.previous = Some(PaginationLink::new(href));
        self
    }

    /// Set the next link.
    #[must_use]
    pub fn next(mut self, href: impl Into<String>) -> Self {
        self.next = Some(PaginationLink::new(href));
        self
    }

    fn previous_link(&self) -> Option<&PaginationLink> {
        self.previous
            .as_ref()
            .filter(|l| l.href.present().is_some())
    }

    fn next_link(&self) -> Option<&PaginationLink> {
        self.next.as_ref().filter(|l| l.href.present().is_some())
    }

    fn block_level(&self) -> bool {
        self.items.is_none() && (self.next.is_some() || self.previous.is_some())
    }

    fn pages(&self) -> impl Iterator<Item = &PaginationItem> {
        self.items
            .iter()
            .flatten()
            .flatten()
            .filter(|item| !item.is_empty())
    }
}

html_safe!(
    SkipLink,
    GenericHeader,
    ServiceNavigation,
    Footer,
    BackLink,
    Breadcrumbs,
    Pagination
);
