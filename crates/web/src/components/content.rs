//! Content components: button, phase banner, inset text, warning text,
//! details, tag, panel, notification banner.

use askama::Template;
use serde::Deserialize;

use super::{Attributes, Content, Present, html_safe};

/// GOV.UK button (`govukButton`): a `<button>`, or a link styled as a button
/// when `href` is set.
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/button.html")]
pub struct Button {
    /// Button text.
    #[serde(default)]
    pub text: Option<String>,
    /// Button HTML; wins over `text`.
    #[serde(default)]
    pub html: Option<String>,
    /// `type` of the `<button>`; defaults to `submit`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// `name` of the `<button>`.
    #[serde(default)]
    pub name: Option<String>,
    /// `value` of the `<button>`.
    #[serde(default)]
    pub value: Option<String>,
    /// Disable the button.
    #[serde(default)]
    pub disabled: bool,
    /// Render a link to `href` instead of a `<button>`.
    #[serde(default)]
    pub href: Option<String>,
    /// Extra classes, for example `govuk-button--secondary`.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
    /// Set `data-prevent-double-click`.
    #[serde(default)]
    pub prevent_double_click: Option<bool>,
    /// A "start now" button with an arrow.
    #[serde(default)]
    pub is_start_button: bool,
    /// `id` of the element.
    #[serde(default)]
    pub id: Option<String>,
}

impl Button {
    /// A submit button.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            ..Self::default()
        }
    }

    /// A link styled as a button.
    pub fn link(text: impl Into<String>, href: impl Into<String>) -> Self {
        Self {
            href: Some(href.into()),
            ..Self::new(text)
        }
    }

    /// Add classes, for example `govuk-button--secondary`.
    #[must_use]
    pub fn classes(mut self, classes: impl Into<String>) -> Self {
        self.classes = Some(classes.into());
        self
    }

    /// Set the `name` and `value` submitted with the form.
    #[must_use]
    pub fn name_value(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self.value = Some(value.into());
        self
    }

    /// Set `data-prevent-double-click="true"`.
    #[must_use]
    pub fn prevent_double_click(mut self) -> Self {
        self.prevent_double_click = Some(true);
        self
    }

    /// Make this a start button.
    #[must_use]
    pub fn start(mut self) -> Self {
        self.is_start_button = true;
        self
    }

    fn class_names(&self) -> String {
        let mut classes = String::from("govuk-button");
        if let Some(extra) = self.classes.present() {
            classes.push(' ');
            classes.push_str(extra);
        }
        if self.is_start_button {
            classes.push_str(" govuk-button--start");
        }
        classes
    }

    fn content(&self) -> Content<'_> {
        Content::new(self.html.as_deref(), self.text.as_deref())
    }
}

/// The tag inside a [`PhaseBanner`].
pub type PhaseBannerTag = Tag;

/// GOV.UK phase banner (`govukPhaseBanner`).
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/phase-banner.html")]
pub struct PhaseBanner {
    /// Banner text.
    #[serde(default)]
    pub text: Option<String>,
    /// Banner HTML; wins over `text`.
    #[serde(default)]
    pub html: Option<String>,
    /// The phase tag (only its text, HTML and classes are used).
    #[serde(default)]
    pub tag: Option<PhaseBannerTag>,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
}

impl PhaseBanner {
    /// A banner with a phase tag (for example "Beta") and trusted HTML text
    /// (usually containing a feedback link).
    pub fn new(phase: impl Into<String>, html: impl Into<String>) -> Self {
        Self {
            tag: Some(Tag::new(phase)),
            html: Some(html.into()),
            ..Self::default()
        }
    }

    fn phase_tag(&self) -> Tag {
        let tag = self.tag.as_ref();
        Tag {
            text: tag.and_then(|t| t.text.clone()),
            html: tag.and_then(|t| t.html.clone()),
            classes: Some(super::classes(
                "govuk-phase-banner__content__tag",
                tag.and_then(|t| t.classes.as_deref()),
            )),
            attributes: Attributes::new(),
        }
    }
}

/// GOV.UK inset text (`govukInsetText`).
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/inset-text.html")]
pub struct InsetText {
    /// Text.
    #[serde(default)]
    pub text: Option<String>,
    /// HTML; wins over `text`.
    #[serde(default)]
    pub html: Option<String>,
    /// `id` of the element.
    #[serde(default)]
    pub id: Option<String>,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
}

impl InsetText {
    /// Inset text.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            ..Self::default()
        }
    }
}

/// GOV.UK warning text (`govukWarningText`).
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/warning-text.html")]
pub struct WarningText {
    /// Text.
    #[serde(default)]
    pub text: Option<String>,
    /// HTML; wins over `text`.
    #[serde(default)]
    pub html: Option<String>,
    /// Hidden text before the warning; defaults to "Warning".
    #[serde(default)]
    pub icon_fallback_text: Option<String>,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
}

impl WarningText {
    /// Warning text.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            ..Self::default()
        }
    }
}

/// GOV.UK details (`govukDetails`).
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/details.html")]
pub struct Details {
    /// Summary text.
    #[serde(default)]
    pub summary_text: Option<String>,
    /// Summary HTML; wins over `summary_text`.
    #[serde(default)]
    pub summary_html: Option<String>,
    /// Body text.
    #[serde(default)]
    pub text: Option<String>,
    /// Body HTML; wins over `text`.
    #[serde(default)]
    pub html: Option<String>,
    /// `id` of the element.
    #[serde(default)]
    pub id: Option<String>,
    /// Expanded on load.
    #[serde(default)]
    pub open: bool,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
}

impl Details {
    /// Details with a summary and trusted HTML body.
    pub fn new(summary: impl Into<String>, html: impl Into<String>) -> Self {
        Self {
            summary_text: Some(summary.into()),
            html: Some(html.into()),
            ..Self::default()
        }
    }
}

/// GOV.UK tag (`govukTag`).
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/tag.html")]
pub struct Tag {
    /// Text.
    #[serde(default)]
    pub text: Option<String>,
    /// HTML; wins over `text`.
    #[serde(default)]
    pub html: Option<String>,
    /// Extra classes, for example `govuk-tag--green`.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
}

impl Tag {
    /// A tag.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            ..Self::default()
        }
    }

    /// A coloured tag, for example `Tag::colour("Done", "green")`.
    pub fn colour(text: impl Into<String>, colour: &str) -> Self {
        Self {
            classes: Some(format!("govuk-tag--{colour}")),
            ..Self::new(text)
        }
    }
}

/// GOV.UK panel (`govukPanel`).
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/panel.html")]
pub struct Panel {
    /// Title text.
    #[serde(default)]
    pub title_text: Option<String>,
    /// Title HTML; wins over `title_text`.
    #[serde(default)]
    pub title_html: Option<String>,
    /// Heading level of the title; defaults to 1.
    #[serde(default)]
    pub heading_level: Option<u8>,
    /// Body text.
    #[serde(default)]
    pub text: Option<String>,
    /// Body HTML; wins over `text`.
    #[serde(default)]
    pub html: Option<String>,
    /// Extra classes (`govuk-panel--interruption` for an interruption card).
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
    /// Actions of an interruption card.
    #[serde(default)]
    pub actions: Option<PanelActions>,
}

/// The actions of an interruption [`Panel`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PanelActions {
    /// Buttons and links.
    #[serde(default)]
    pub items: Vec<PanelAction>,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
}

/// One action of an interruption [`Panel`]: a button, or a link when it has
/// an `href` and is not of type `button`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PanelAction {
    /// Text.
    #[serde(default)]
    pub text: Option<String>,
    /// Button `type`; defaults to `button`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// Link target.
    #[serde(default)]
    pub href: Option<String>,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
}

impl PanelAction {
    /// The button for this action, when it is rendered as one.
    fn button(&self) -> Option<Button> {
        let is_button = self.href.present().is_none() || self.kind.as_deref() == Some("button");
        is_button.then(|| Button {
            text: self.text.clone(),
            kind: Some(self.kind.present().unwrap_or("button").to_owned()),
            classes: Some(super::classes(
                "govuk-button--inverse",
                self.classes.as_deref(),
            )),
            href: self.href.clone(),
            attributes: self.attributes.clone(),
            ..Button::default()
        })
    }
}

impl Panel {
    /// A confirmation panel.
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title_text: Some(title.into()),
            ..Self::default()
        }
    }

    /// Set the trusted HTML body.
    #[must_use]
    pub fn html(mut self, html: impl Into<String>) -> Self {
        self.html = Some(html.into());
        self
    }

    fn is_interruption(&self) -> bool {
        self.classes
            .as_deref()
            .is_some_and(|c| c.contains("govuk-panel--interruption"))
    }

    fn level(&self) -> u8 {
        self.heading_level.filter(|l| *l != 0).unwrap_or(1)
    }

    fn interruption_actions(&self) -> Option<&PanelActions> {
        self.actions.as_ref().filter(|_| self.is_interruption())
    }
}

/// GOV.UK notification banner (`govukNotificationBanner`).
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/notification-banner.html")]
pub struct NotificationBanner {
    /// Text, shown as a heading.
    #[serde(default)]
    pub text: Option<String>,
    /// HTML; wins over `text`.
    #[serde(default)]
    pub html: Option<String>,
    /// Title text; defaults to "Important" (or "Success").
    #[serde(default)]
    pub title_text: Option<String>,
    /// Title HTML; wins over `title_text`.
    #[serde(default)]
    pub title_html: Option<String>,
    /// Heading level of the title; defaults to 2.
    #[serde(default)]
    pub title_heading_level: Option<u8>,
    /// `success` for a success banner.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// Override the `role`.
    #[serde(default)]
    pub role: Option<String>,
    /// `id` of the title; defaults to `govuk-notification-banner-title`.
    #[serde(default)]
    pub title_id: Option<String>,
    /// Set `data-disable-auto-focus`.
    #[serde(default)]
    pub disable_auto_focus: Option<bool>,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
}

impl NotificationBanner {
    /// An "Important" banner with a text heading.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            ..Self::default()
        }
    }

    /// A "Success" banner with a text heading.
    pub fn success(text: impl Into<String>) -> Self {
        Self {
            kind: Some("success".to_owned()),
            ..Self::new(text)
        }
    }

    fn is_success(&self) -> bool {
        self.kind.as_deref() == Some("success")
    }

    fn role(&self) -> &str {
        match self.role.present() {
            Some(role) => role,
            None if self.is_success() => "alert",
            None => "region",
        }
    }

    fn title_id(&self) -> &str {
        self.title_id
            .present()
            .unwrap_or("govuk-notification-banner-title")
    }

    fn level(&self) -> u8 {
        self.title_heading_level.filter(|l| *l != 0).unwrap_or(2)
    }

    fn title(&self) -> Content<'_> {
        let fallback = if self.is_success() {
            "Success"
        } else {
            "Important"
        };
        Content::new(
            self.title_html.as_deref(),
            Some(self.title_text.present().unwrap_or(fallback)),
        )
    }
}

html_safe!(
    Button,
    PhaseBanner,
    InsetText,
    WarningText,
    Details,
    Tag,
    Panel,
    NotificationBanner
);
