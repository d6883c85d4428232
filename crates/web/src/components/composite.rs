//! Controls built from other components: password input, character count,
//! and the file upload.

use std::collections::BTreeMap;

use askama::Template;
use serde::Deserialize;

use super::form::described_by;
use super::{
    AttributeValue, Attributes, Button, ErrorMessage, FormGroup, Hint, Input, InputWrapper, Label,
    Present, TextOrHtml, Textarea, de, html_safe,
};

/// The `button` option of a [`PasswordInput`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PasswordInputButton {
    /// Extra classes on the show/hide button.
    #[serde(default)]
    pub classes: Option<String>,
}

/// GOV.UK password input (`govukPasswordInput`): an input with a show/hide
/// button.
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/password-input.html")]
pub struct PasswordInput {
    /// `id`; defaults to `name`.
    #[serde(default)]
    pub id: Option<String>,
    /// `name`.
    #[serde(default)]
    pub name: String,
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
    /// The form group.
    #[serde(default)]
    pub form_group: FormGroup,
    /// Extra classes on the input.
    #[serde(default)]
    pub classes: Option<String>,
    /// `autocomplete`; defaults to `current-password`.
    #[serde(default)]
    pub autocomplete: Option<String>,
    /// Extra attributes on the input.
    #[serde(default)]
    pub attributes: Attributes,
    /// Button text when the password is hidden; defaults to "Show".
    #[serde(default)]
    pub show_password_text: Option<String>,
    /// Button text when the password is shown.
    #[serde(default)]
    pub hide_password_text: Option<String>,
    /// Button label when hidden; defaults to "Show password".
    #[serde(default)]
    pub show_password_aria_label_text: Option<String>,
    /// Button label when shown.
    #[serde(default)]
    pub hide_password_aria_label_text: Option<String>,
    /// Announcement when the password is shown.
    #[serde(default)]
    pub password_shown_announcement_text: Option<String>,
    /// Announcement when the password is hidden.
    #[serde(default)]
    pub password_hidden_announcement_text: Option<String>,
    /// The show/hide button.
    #[serde(default)]
    pub button: PasswordInputButton,
}

impl PasswordInput {
    /// A password input called `name` with a label.
    pub fn new(name: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            label: Some(Label::new(label)),
            ..Self::default()
        }
    }

    /// Show an error message if there is one.
    #[must_use]
    pub fn error_opt(mut self, text: Option<impl Into<String>>) -> Self {
        self.error_message = text.map(ErrorMessage::new);
        self
    }

    /// Use `autocomplete="new-password"` (for choosing a password).
    #[must_use]
    pub fn new_password(mut self) -> Self {
        self.autocomplete = Some("new-password".to_owned());
        self
    }

    fn control_id(&self) -> &str {
        self.id.present().unwrap_or(&self.name)
    }

    /// The input this component is made of.
    fn input(&self) -> askama::Result<Input> {
        let id = self.control_id().to_owned();
        let button = Button {
            kind: Some("button".to_owned()),
            classes: Some(super::classes(
                "govuk-button--secondary govuk-password-input__toggle govuk-js-password-input-toggle",
                self.button.classes.as_deref(),
            )),
            text: Some(
                self.show_password_text
                    .clone()
                    .unwrap_or_else(|| "Show".to_owned()),
            ),
            attributes: Attributes::new()
                .with("aria-controls", id.as_str())
                .with(
                    "aria-label",
                    self.show_password_aria_label_text
                        .as_deref()
                        .unwrap_or("Show password"),
                )
                .with_optional("hidden", true),
            ..Button::default()
        };
        let mut after = button.render()?;
        if let Some(extra) = &self.form_group.after_input {
            after.push_str(&extra.render().to_string());
        }
        let group_attributes = Attributes::new()
            .with("data-module", "govuk-password-input")
            .i18n("show-password", self.show_password_text.as_deref())
            .i18n("hide-password", self.hide_password_text.as_deref())
            .i18n(
                "show-password-aria-label",
                self.show_password_aria_label_text.as_deref(),
            )
            .i18n(
                "hide-password-aria-label",
                self.hide_password_aria_label_text.as_deref(),
            )
            .i18n(
                "password-shown-announcement",
                self.password_shown_announcement_text.as_deref(),
            )
            .i18n(
                "password-hidden-announcement",
                self.password_hidden_announcement_text.as_deref(),
            )
            .merged(&self.form_group.attributes);
        Ok(Input {
            form_group: FormGroup {
                classes: Some(super::classes(
                    "govuk-password-input",
                    self.form_group.classes.as_deref(),
                )),
                attributes: group_attributes,
                before_input: self.form_group.before_input.clone(),
                after_input: Some(TextOrHtml::html(after)),
            },
            input_wrapper: InputWrapper {
                classes: Some("govuk-password-input__wrapper".to_owned()),
                attributes: Attributes::new(),
            },
            label: self.label.clone(),
            hint: self.hint.clone(),
            classes: Some(super::classes(
                "govuk-password-input__input govuk-js-password-input-input",
                self.classes.as_deref(),
            )),
            error_message: self.error_message.clone(),
            id: Some(id),
            name: self.name.clone(),
            kind: Some("password".to_owned()),
            spellcheck: Some(false),
            autocapitalize: Some("none".to_owned()),
            autocomplete: Some(
                self.autocomplete
                    .present()
                    .unwrap_or("current-password")
                    .to_owned(),
            ),
            value: self.value.clone(),
            disabled: self.disabled,
            described_by: self.described_by.clone(),
            attributes: self.attributes.clone(),
            ..Input::default()
        })
    }
}

/// The `countMessage` option of a [`CharacterCount`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CountMessage {
    /// Extra classes on the count message.
    #[serde(default)]
    pub classes: Option<String>,
}

/// GOV.UK character count (`govukCharacterCount`): a textarea with a
/// remaining-characters (or words) message.
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/character-count.html")]
pub struct CharacterCount {
    /// `id`; defaults to `name`.
    #[serde(default)]
    pub id: Option<String>,
    /// `name`.
    #[serde(default)]
    pub name: String,
    /// Number of rows.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub rows: Option<String>,
    /// Current value.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub value: Option<String>,
    /// Maximum number of characters.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub maxlength: Option<String>,
    /// Maximum number of words.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub maxwords: Option<String>,
    /// Percentage of the limit at which to show the count.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub threshold: Option<String>,
    /// `words` or `characters`; defaults from `maxwords`.
    #[serde(default)]
    pub count_type: Option<String>,
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
    /// Extra classes on the textarea.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes on the textarea.
    #[serde(default)]
    pub attributes: Attributes,
    /// `spellcheck`.
    #[serde(default)]
    pub spellcheck: Option<bool>,
    /// The count message.
    #[serde(default)]
    pub count_message: CountMessage,
    /// Description shown without JavaScript, with `%{count}`.
    #[serde(default)]
    pub textarea_description_text: Option<String>,
    /// Message under the limit, by plural rule.
    #[serde(default)]
    pub characters_under_limit_text: Option<BTreeMap<String, String>>,
    /// Message at the limit.
    #[serde(default)]
    pub characters_at_limit_text: Option<String>,
    /// Message over the limit, by plural rule.
    #[serde(default)]
    pub characters_over_limit_text: Option<BTreeMap<String, String>>,
    /// Message under the word limit, by plural rule.
    #[serde(default)]
    pub words_under_limit_text: Option<BTreeMap<String, String>>,
    /// Message at the word limit.
    #[serde(default)]
    pub words_at_limit_text: Option<String>,
    /// Message over the word limit, by plural rule.
    #[serde(default)]
    pub words_over_limit_text: Option<BTreeMap<String, String>>,
}

impl CharacterCount {
    /// A character count called `name` with a label and a character limit.
    pub fn new(name: impl Into<String>, label: impl Into<String>, maxlength: u32) -> Self {
        Self {
            name: name.into(),
            label: Some(Label::new(label)),
            maxlength: Some(maxlength.to_string()),
            ..Self::default()
        }
    }

    /// Set the current value.
    #[must_use]
    pub fn value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
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

    fn control_id(&self) -> &str {
        self.id.present().unwrap_or(&self.name)
    }

    /// The textarea this component is made of.
    fn textarea(&self) -> askama::Result<Textarea> {
        let id = self.control_id().to_owned();
        let count_type = self
            .count_type
            .present()
            .map(str::to_owned)
            .or_else(|| self.maxwords.present().map(|_| "words".to_owned()));
        let limit = self.maxwords.present().or(self.maxlength.present());
        let description = self.textarea_description_text.present().map_or_else(
            || {
                let unit = if count_type.as_deref() == Some("words") {
                    "words"
                } else {
                    "characters"
                };
                format!("You can enter up to %{{count}} {unit}")
            },
            str::to_owned,
        );
        let message = Hint {
            text: limit.map(|limit| description.replace("%{count}", limit)),
            id: Some(format!("{id}-info")),
            classes: Some(super::classes(
                "govuk-character-count__message",
                self.count_message.classes.as_deref(),
            )),
            ..Hint::default()
        };
        let mut after = message.render()?;
        if let Some(extra) = &self.form_group.after_input {
            after.push_str(&extra.render().to_string());
        }
        let mut group_attributes = Attributes::new()
            .with("data-module", "govuk-character-count")
            .with_optional("data-maxlength", text_or_false(self.maxlength.clone()))
            .with_optional("data-maxwords", text_or_false(self.maxwords.clone()))
            .with_optional("data-threshold", text_or_false(self.threshold.clone()))
            .with_optional("data-count-type", text_or_false(count_type));
        if limit.is_none()
            && let Some(text) = self.textarea_description_text.present()
        {
            group_attributes = group_attributes.with("data-i18n.textarea-description.other", text);
        }
        let group_attributes = group_attributes
            .i18n_plural(
                "characters-under-limit",
                self.characters_under_limit_text.as_ref(),
            )
            .i18n(
                "characters-at-limit",
                self.characters_at_limit_text.as_deref(),
            )
            .i18n_plural(
                "characters-over-limit",
                self.characters_over_limit_text.as_ref(),
            )
            .i18n_plural("words-under-limit", self.words_under_limit_text.as_ref())
            .i18n("words-at-limit", self.words_at_limit_text.as_deref())
            .i18n_plural("words-over-limit", self.words_over_limit_text.as_ref())
            .merged(&self.form_group.attributes);
        Ok(Textarea {
            described_by: Some(format!("{id}-info")),
            rows: self.rows.clone(),
            spellcheck: self.spellcheck,
            value: self.value.clone(),
            form_group: FormGroup {
                classes: Some(super::classes(
                    "govuk-character-count",
                    self.form_group.classes.as_deref(),
                )),
                attributes: group_attributes,
                before_input: self.form_group.before_input.clone(),
                after_input: Some(TextOrHtml::html(after)),
            },
            classes: Some(super::classes(
                "govuk-js-character-count",
                self.classes.as_deref(),
            )),
            label: Some(
                self.label
                    .as_ref()
                    .map(|l| l.for_control(&id))
                    .unwrap_or_default(),
            ),
            hint: self.hint.clone(),
            error_message: self.error_message.clone(),
            attributes: self.attributes.clone(),
            name: self.name.clone(),
            id: Some(id),
            ..Textarea::default()
        })
    }
}

/// GOV.UK file upload (`govukFileUpload`).
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/file-upload.html")]
pub struct FileUpload {
    /// `id`; defaults to `name`.
    #[serde(default)]
    pub id: Option<String>,
    /// `name`.
    #[serde(default)]
    pub name: String,
    /// Accepted for compatibility with the Nunjucks macro; a file input
    /// cannot be pre-filled, so it is not rendered.
    #[serde(default)]
    pub value: Option<String>,
    /// Disable the input.
    #[serde(default)]
    pub disabled: bool,
    /// Allow several files.
    #[serde(default)]
    pub multiple: bool,
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
    /// Extra classes on the input.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes on the input.
    #[serde(default)]
    pub attributes: Attributes,
    /// Use the enhanced JavaScript drop zone.
    #[serde(default)]
    pub javascript: bool,
    /// Button text of the enhanced version.
    #[serde(default)]
    pub choose_files_button_text: Option<String>,
    /// Status text when no file is chosen.
    #[serde(default)]
    pub no_file_chosen_text: Option<String>,
    /// Status text for several files, by plural rule.
    #[serde(default)]
    pub multiple_files_chosen_text: Option<BTreeMap<String, String>>,
    /// Drop instruction text.
    #[serde(default)]
    pub drop_instruction_text: Option<String>,
    /// Announcement on entering the drop zone.
    #[serde(default)]
    pub entered_drop_zone_text: Option<String>,
    /// Announcement on leaving the drop zone.
    #[serde(default)]
    pub left_drop_zone_text: Option<String>,
    /// Extra classes on the JavaScript wrapper.
    #[serde(default)]
    pub wrapper_classes: Option<String>,
    /// Extra attributes on the JavaScript wrapper.
    #[serde(default)]
    pub wrapper_attributes: Attributes,
}

impl FileUpload {
    /// A file upload called `name` with a label.
    pub fn new(name: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            label: Some(Label::new(label)),
            ..Self::default()
        }
    }

    /// Use the enhanced drop-zone version.
    #[must_use]
    pub fn javascript(mut self) -> Self {
        self.javascript = true;
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

    fn wrapper_attributes(&self) -> Attributes {
        Attributes::new()
            .i18n(
                "choose-files-button",
                self.choose_files_button_text.as_deref(),
            )
            .i18n("no-file-chosen", self.no_file_chosen_text.as_deref())
            .i18n_plural(
                "multiple-files-chosen",
                self.multiple_files_chosen_text.as_ref(),
            )
            .i18n("drop-instruction", self.drop_instruction_text.as_deref())
            .i18n("entered-drop-zone", self.entered_drop_zone_text.as_deref())
            .i18n("left-drop-zone", self.left_drop_zone_text.as_deref())
            .merged(&self.wrapper_attributes)
    }
}

/// An optional attribute value: the text, or `false` (omitted) when unset.
fn text_or_false(value: Option<String>) -> AttributeValue {
    value.map_or(AttributeValue::Bool(false), AttributeValue::Text)
}

html_safe!(PasswordInput, CharacterCount, FileUpload);
