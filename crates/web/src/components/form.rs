//! Form components: error message, hint, label, fieldset, error summary,
//! input, textarea, radios, checkboxes, date input, select.

use askama::Template;
use serde::Deserialize;

use super::{Attributes, Content, Present, TextOrHtml, de, html_safe};

/// GOV.UK error message (`govukErrorMessage`).
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/error-message.html")]
pub struct ErrorMessage {
    /// Message text.
    #[serde(default)]
    pub text: Option<String>,
    /// Message HTML; wins over `text`.
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
    /// Hidden prefix; defaults to "Error", `Some("")` for none.
    #[serde(default)]
    pub visually_hidden_text: Option<String>,
}

impl ErrorMessage {
    /// An error message.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            ..Self::default()
        }
    }

    fn hidden_prefix(&self) -> Option<&str> {
        match &self.visually_hidden_text {
            None => Some("Error"),
            Some(text) => Some(text.as_str()).filter(|t| !t.is_empty()),
        }
    }

    /// A copy with `id` set, as nested in a form control.
    pub(crate) fn with_id(&self, id: String) -> Self {
        Self {
            id: Some(id),
            ..self.clone()
        }
    }
}

/// GOV.UK hint (`govukHint`).
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/hint.html")]
pub struct Hint {
    /// Hint text.
    #[serde(default)]
    pub text: Option<String>,
    /// Hint HTML; wins over `text`.
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

impl Hint {
    /// A hint.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            ..Self::default()
        }
    }

    /// A copy with `id` set, as nested in a form control.
    pub(crate) fn with_id(&self, id: String) -> Self {
        Self {
            id: Some(id),
            ..self.clone()
        }
    }

    /// Whether it has text or HTML.
    pub(crate) fn is_set(&self) -> bool {
        Content::new(self.html.as_deref(), self.text.as_deref()).is_set()
    }
}

/// GOV.UK label (`govukLabel`). Renders nothing without text or HTML.
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/label.html")]
pub struct Label {
    /// Label text.
    #[serde(default)]
    pub text: Option<String>,
    /// Label HTML; wins over `text`.
    #[serde(default)]
    pub html: Option<String>,
    /// `for` attribute (set automatically when nested in a control).
    #[serde(default, rename = "for")]
    pub for_id: Option<String>,
    /// Wrap the label in an `<h1>`.
    #[serde(default)]
    pub is_page_heading: bool,
    /// Extra classes, for example `govuk-label--l`.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
}

impl Label {
    /// A label.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            ..Self::default()
        }
    }

    /// A large label that is also the page heading (`<h1>`).
    pub fn page_heading(text: impl Into<String>) -> Self {
        Self {
            is_page_heading: true,
            classes: Some("govuk-label--l".to_owned()),
            ..Self::new(text)
        }
    }

    /// A copy pointing at control `id`, as nested in a form control.
    pub(crate) fn for_control(&self, id: &str) -> Self {
        Self {
            for_id: Some(id.to_owned()),
            ..self.clone()
        }
    }

    fn content(&self) -> Content<'_> {
        Content::new(self.html.as_deref(), self.text.as_deref())
    }
}

/// GOV.UK fieldset (`govukFieldset`).
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/fieldset.html")]
pub struct Fieldset {
    /// `aria-describedby` of the fieldset.
    #[serde(default)]
    pub described_by: Option<String>,
    /// The legend.
    #[serde(default)]
    pub legend: Option<Legend>,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
    /// `role` of the fieldset.
    #[serde(default)]
    pub role: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
    /// Trusted HTML inside the fieldset.
    #[serde(default)]
    pub html: Option<String>,
}

/// The legend of a [`Fieldset`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Legend {
    /// Legend text.
    #[serde(default)]
    pub text: Option<String>,
    /// Legend HTML; wins over `text`.
    #[serde(default)]
    pub html: Option<String>,
    /// Extra classes, for example `govuk-fieldset__legend--l`.
    #[serde(default)]
    pub classes: Option<String>,
    /// Wrap the legend in an `<h1>`.
    #[serde(default)]
    pub is_page_heading: bool,
}

impl Legend {
    /// A legend.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            ..Self::default()
        }
    }

    /// A large legend that is also the page heading (`<h1>`).
    pub fn page_heading(text: impl Into<String>) -> Self {
        Self {
            is_page_heading: true,
            classes: Some("govuk-fieldset__legend--l".to_owned()),
            ..Self::new(text)
        }
    }

    fn content(&self) -> Content<'_> {
        Content::new(self.html.as_deref(), self.text.as_deref())
    }
}

impl Fieldset {
    /// A fieldset with a legend around trusted HTML.
    pub fn new(legend: Legend, html: impl Into<String>) -> Self {
        Self {
            legend: Some(legend),
            html: Some(html.into()),
            ..Self::default()
        }
    }

    /// This fieldset (as given to a control) wrapped around `html`.
    pub(crate) fn wrapping(&self, html: String, described_by: &str, role: Option<&str>) -> Self {
        Self {
            described_by: Some(described_by.to_owned()),
            legend: self.legend.clone(),
            classes: self.classes.clone(),
            role: role.map(str::to_owned),
            attributes: self.attributes.clone(),
            html: Some(html),
        }
    }
}

/// GOV.UK error summary (`govukErrorSummary`).
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/error-summary.html")]
pub struct ErrorSummary {
    /// Title text, usually "There is a problem".
    #[serde(default)]
    pub title_text: Option<String>,
    /// Title HTML; wins over `title_text`.
    #[serde(default)]
    pub title_html: Option<String>,
    /// Description text.
    #[serde(default)]
    pub description_text: Option<String>,
    /// Description HTML; wins over `description_text`.
    #[serde(default)]
    pub description_html: Option<String>,
    /// The errors, each linking to its field.
    #[serde(default)]
    pub error_list: Vec<ErrorSummaryItem>,
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

/// One error in an [`ErrorSummary`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ErrorSummaryItem {
    /// Link to the field, for example `#email`.
    #[serde(default)]
    pub href: Option<String>,
    /// Error text.
    #[serde(default)]
    pub text: Option<String>,
    /// Error HTML; wins over `text`.
    #[serde(default)]
    pub html: Option<String>,
    /// Extra attributes on the link.
    #[serde(default)]
    pub attributes: Attributes,
}

impl ErrorSummary {
    /// A "There is a problem" summary with no errors yet.
    pub fn new() -> Self {
        Self {
            title_text: Some("There is a problem".to_owned()),
            ..Self::default()
        }
    }

    /// Add an error linking to `href` (for example `#email`).
    #[must_use]
    pub fn error(mut self, href: impl Into<String>, text: impl Into<String>) -> Self {
        self.error_list.push(ErrorSummaryItem {
            href: Some(href.into()),
            text: Some(text.into()),
            ..ErrorSummaryItem::default()
        });
        self
    }
}

impl ErrorSummaryItem {
    fn content(&self) -> Content<'_> {
        Content::new(self.html.as_deref(), self.text.as_deref())
    }
}

/// The `formGroup` option of single controls (input, textarea, select…).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FormGroup {
    /// Extra classes on the form group.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes on the form group.
    #[serde(default)]
    pub attributes: Attributes,
    /// Content before the control.
    #[serde(default)]
    pub before_input: Option<TextOrHtml>,
    /// Content after the control.
    #[serde(default)]
    pub after_input: Option<TextOrHtml>,
}

/// The `formGroup` option of grouped controls (radios, checkboxes, date).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GroupFormGroup {
    /// Extra classes on the form group.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes on the form group.
    #[serde(default)]
    pub attributes: Attributes,
    /// Content before the controls.
    #[serde(default)]
    pub before_inputs: Option<TextOrHtml>,
    /// Content after the controls.
    #[serde(default)]
    pub after_inputs: Option<TextOrHtml>,
}

/// Join `aria-describedby` ids: the initial value, then `<base>-hint` and
/// `<base>-error` when present.
pub(crate) fn described_by(initial: Option<&str>, base: &str, hint: bool, error: bool) -> String {
    let mut ids: Vec<String> = initial
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .into_iter()
        .collect();
    if hint {
        ids.push(format!("{base}-hint"));
    }
    if error {
        ids.push(format!("{base}-error"));
    }
    ids.join(" ")
}

/// A prefix or suffix of an [`Input`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Affix {
    /// Text.
    #[serde(default)]
    pub text: Option<String>,
    /// HTML; wins over `text`.
    #[serde(default)]
    pub html: Option<String>,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
}

impl Affix {
    fn content(&self) -> Content<'_> {
        Content::new(self.html.as_deref(), self.text.as_deref())
    }
}

/// The `inputWrapper` option of an [`Input`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InputWrapper {
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
}

/// GOV.UK text input (`govukInput`).
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/input.html")]
pub struct Input {
    /// `id`; defaults to `name`.
    #[serde(default)]
    pub id: Option<String>,
    /// `name`.
    #[serde(default)]
    pub name: String,
    /// `type`; defaults to `text`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// `inputmode`.
    #[serde(default)]
    pub inputmode: Option<String>,
    /// Current value.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub value: Option<String>,
    /// Disable the input.
    #[serde(default)]
    pub disabled: bool,
    /// Extra `aria-describedby` ids.
    #[serde(default)]
    pub described_by: Option<String>,
    /// The label.
    #[serde(default)]
    pub label: Option<Label>,
    /// The hint.
    #[serde(default, deserialize_with = "de::opt_object")]
    pub hint: Option<Hint>,
    /// The error message.
    #[serde(default, deserialize_with = "de::opt_object")]
    pub error_message: Option<ErrorMessage>,
    /// Prefix, for example "£".
    #[serde(default)]
    pub prefix: Option<Affix>,
    /// Suffix, for example "per item".
    #[serde(default)]
    pub suffix: Option<Affix>,
    /// The form group.
    #[serde(default)]
    pub form_group: FormGroup,
    /// Extra classes, for example `govuk-input--width-10`.
    #[serde(default)]
    pub classes: Option<String>,
    /// `autocomplete`.
    #[serde(default)]
    pub autocomplete: Option<String>,
    /// `pattern`.
    #[serde(default)]
    pub pattern: Option<String>,
    /// `spellcheck`.
    #[serde(default)]
    pub spellcheck: Option<bool>,
    /// `autocapitalize`.
    #[serde(default)]
    pub autocapitalize: Option<String>,
    /// The wrapper used with a prefix or suffix.
    #[serde(default)]
    pub input_wrapper: InputWrapper,
    /// Extra attributes on the `<input>`.
    #[serde(default)]
    pub attributes: Attributes,
}

impl Input {
    /// A text input called `name` with a label.
    pub fn new(name: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            label: Some(Label::new(label)),
            ..Self::default()
        }
    }

    /// Set `type` (for example `email`, `tel`, `password`).
    #[must_use]
    pub fn kind(mut self, kind: impl Into<String>) -> Self {
        self.kind = Some(kind.into());
        self
    }

    /// Set `autocomplete`.
    #[must_use]
    pub fn autocomplete(mut self, autocomplete: impl Into<String>) -> Self {
        self.autocomplete = Some(autocomplete.into());
        self
    }

    /// Set `inputmode` (for example `numeric`).
    #[must_use]
    pub fn inputmode(mut self, inputmode: impl Into<String>) -> Self {
        self.inputmode = Some(inputmode.into());
        self
    }

    /// Set `spellcheck`.
    #[must_use]
    pub fn spellcheck(mut self, spellcheck: bool) -> Self {
        self.spellcheck = Some(spellcheck);
        self
    }

    fn control_id(&self) -> &str {
        self.id.present().unwrap_or(&self.name)
    }

    fn class_names(&self) -> String {
        let mut classes = super::classes("govuk-input", self.classes.as_deref());
        if self.error_message.is_some() {
            classes.push_str(" govuk-input--error");
        }
        classes
    }

    fn aria_described_by(&self) -> String {
        described_by(
            self.described_by.as_deref(),
            self.control_id(),
            self.hint.is_some(),
            self.error_message.is_some(),
        )
    }

    fn prefix(&self) -> Option<&Affix> {
        self.prefix.as_ref().filter(|a| a.content().is_set())
    }

    fn suffix(&self) -> Option<&Affix> {
        self.suffix.as_ref().filter(|a| a.content().is_set())
    }

    fn before_input(&self) -> Option<&TextOrHtml> {
        self.form_group.before_input.as_ref().filter(|c| c.is_set())
    }

    fn after_input(&self) -> Option<&TextOrHtml> {
        self.form_group.after_input.as_ref().filter(|c| c.is_set())
    }

    fn has_wrapper(&self) -> bool {
        self.prefix().is_some()
            || self.suffix().is_some()
            || self.before_input().is_some()
            || self.after_input().is_some()
    }
}

/// GOV.UK textarea (`govukTextarea`).
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/textarea.html")]
pub struct Textarea {
    /// `id`; defaults to `name`.
    #[serde(default)]
    pub id: Option<String>,
    /// `name`.
    #[serde(default)]
    pub name: String,
    /// `spellcheck`.
    #[serde(default)]
    pub spellcheck: Option<bool>,
    /// Number of rows; defaults to 5.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub rows: Option<String>,
    /// Current value.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub value: Option<String>,
    /// Disable the textarea.
    #[serde(default)]
    pub disabled: bool,
    /// Extra `aria-describedby` ids.
    #[serde(default)]
    pub described_by: Option<String>,
    /// The label.
    #[serde(default)]
    pub label: Option<Label>,
    /// The hint.
    #[serde(default, deserialize_with = "de::opt_object")]
    pub hint: Option<Hint>,
    /// The error message.
    #[serde(default, deserialize_with = "de::opt_object")]
    pub error_message: Option<ErrorMessage>,
    /// The form group.
    #[serde(default)]
    pub form_group: FormGroup,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
    /// `autocomplete`.
    #[serde(default)]
    pub autocomplete: Option<String>,
    /// Extra attributes on the `<textarea>`.
    #[serde(default)]
    pub attributes: Attributes,
}

impl Textarea {
    /// A textarea called `name` with a label.
    pub fn new(name: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            label: Some(Label::new(label)),
            ..Self::default()
        }
    }

    /// Set the number of rows.
    #[must_use]
    pub fn rows(mut self, rows: u32) -> Self {
        self.rows = Some(rows.to_string());
        self
    }

    fn control_id(&self) -> &str {
        self.id.present().unwrap_or(&self.name)
    }

    fn aria_described_by(&self) -> String {
        described_by(
            self.described_by.as_deref(),
            self.control_id(),
            self.hint.is_some(),
            self.error_message.is_some(),
        )
    }
}

/// One option of a [`Select`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SelectItem {
    /// `value`; without it the text is submitted.
    #[serde(default, deserialize_with = "de::opt_scalar")]
    pub value: Option<String>,
    /// Option text.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub text: Option<String>,
    /// Selected; defaults to matching the select's value.
    #[serde(default)]
    pub selected: Option<bool>,
    /// Disable the option.
    #[serde(default)]
    pub disabled: bool,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
}

impl SelectItem {
    /// An option with a value and text.
    pub fn new(value: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            value: Some(value.into()),
            text: Some(text.into()),
            ..Self::default()
        }
    }
}

/// GOV.UK select (`govukSelect`).
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/select.html")]
pub struct Select {
    /// `id`; defaults to `name`.
    #[serde(default)]
    pub id: Option<String>,
    /// `name`.
    #[serde(default)]
    pub name: String,
    /// The options (falsy entries are skipped).
    #[serde(default, deserialize_with = "de::items")]
    pub items: Vec<Option<SelectItem>>,
    /// The selected value.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub value: Option<String>,
    /// Disable the select.
    #[serde(default)]
    pub disabled: bool,
    /// Extra `aria-describedby` ids.
    #[serde(default)]
    pub described_by: Option<String>,
    /// The label.
    #[serde(default)]
    pub label: Option<Label>,
    /// The hint.
    #[serde(default, deserialize_with = "de::opt_object")]
    pub hint: Option<Hint>,
    /// The error message.
    #[serde(default, deserialize_with = "de::opt_object")]
    pub error_message: Option<ErrorMessage>,
    /// The form group.
    #[serde(default)]
    pub form_group: FormGroup,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes on the `<select>`.
    #[serde(default)]
    pub attributes: Attributes,
}

impl Select {
    /// A select called `name` with a label.
    pub fn new(name: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            label: Some(Label::new(label)),
            ..Self::default()
        }
    }

    /// Add an option.
    #[must_use]
    pub fn item(mut self, item: SelectItem) -> Self {
        self.items.push(Some(item));
        self
    }

    fn control_id(&self) -> &str {
        self.id.present().unwrap_or(&self.name)
    }

    fn aria_described_by(&self) -> String {
        described_by(
            self.described_by.as_deref(),
            self.control_id(),
            self.hint.is_some(),
            self.error_message.is_some(),
        )
    }

    fn is_selected(&self, item: &SelectItem) -> bool {
        if item.selected == Some(true) {
            return true;
        }
        let effective = item.value.as_deref().or(item.text.as_deref());
        self.value
            .present()
            .is_some_and(|v| effective == Some(v) && item.selected != Some(false))
    }
}

/// Builder methods shared by single form controls.
macro_rules! control_builders {
    ($($ty:ty),* $(,)?) => {$(
        impl $ty {
            /// Set the `id` (defaults to the name).
            #[must_use]
            pub fn id(mut self, id: impl Into<String>) -> Self {
                self.id = Some(id.into());
                self
            }

            /// Set the current value.
            #[must_use]
            pub fn value(mut self, value: impl Into<String>) -> Self {
                self.value = Some(value.into());
                self
            }

            /// Replace the label.
            #[must_use]
            pub fn label(mut self, label: Label) -> Self {
                self.label = Some(label);
                self
            }

            /// Add a hint.
            #[must_use]
            pub fn hint(mut self, text: impl Into<String>) -> Self {
                self.hint = Some(Hint::new(text));
                self
            }

            /// Show an error message.
            #[must_use]
            pub fn error(mut self, text: impl Into<String>) -> Self {
                self.error_message = Some(ErrorMessage::new(text));
                self
            }

            /// Show an error message if there is one.
            #[must_use]
            pub fn error_opt(mut self, text: Option<impl Into<String>>) -> Self {
                self.error_message = text.map(ErrorMessage::new);
                self
            }

            /// Add classes.
            #[must_use]
            pub fn classes(mut self, classes: impl Into<String>) -> Self {
                self.classes = Some(classes.into());
                self
            }

            /// Add an attribute to the control.
            #[must_use]
            pub fn attribute(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.attributes = self.attributes.with(name, value.into());
                self
            }

            fn nested_label(&self) -> Label {
                self.label
                    .as_ref()
                    .map(|l| l.for_control(self.control_id()))
                    .unwrap_or_default()
            }

            fn nested_hint(&self) -> Option<Hint> {
                self.hint
                    .as_ref()
                    .map(|h| h.with_id(format!("{}-hint", self.control_id())))
            }

            fn nested_error(&self) -> Option<ErrorMessage> {
                self.error_message
                    .as_ref()
                    .map(|e| e.with_id(format!("{}-error", self.control_id())))
            }
        }
    )*};
}

control_builders!(Input, Textarea, Select);

html_safe!(
    ErrorMessage,
    Hint,
    Label,
    Fieldset,
    ErrorSummary,
    Input,
    Textarea,
    Select
);
