//! Grouped controls: radios, checkboxes and date input.

use std::collections::BTreeMap;

use askama::Template;
use serde::Deserialize;

use super::form::described_by;
use super::{
    Attributes, ErrorMessage, Fieldset, GroupFormGroup, Hint, Input, Label, Present, de, html_safe,
};

/// One radio or checkbox, or a divider ("or") between them.
///
/// `name` and `behaviour` apply to checkboxes only.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChoiceItem {
    /// Label text.
    #[serde(default)]
    pub text: Option<String>,
    /// Label HTML; wins over `text`.
    #[serde(default)]
    pub html: Option<String>,
    /// `id`; defaults to the id prefix plus `-<n>` for all but the first.
    #[serde(default)]
    pub id: Option<String>,
    /// Checkbox `name`; defaults to the group's name.
    #[serde(default)]
    pub name: Option<String>,
    /// Submitted value.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub value: Option<String>,
    /// Label classes and attributes.
    #[serde(default)]
    pub label: Option<Label>,
    /// Item hint.
    #[serde(default, deserialize_with = "de::opt_object")]
    pub hint: Option<Hint>,
    /// Render a divider with this text instead of a control.
    #[serde(default)]
    pub divider: Option<String>,
    /// Checked; defaults to matching the group's value(s).
    #[serde(default)]
    pub checked: Option<bool>,
    /// Content revealed when checked.
    #[serde(default, deserialize_with = "de::opt_object")]
    pub conditional: Option<Conditional>,
    /// Checkbox `data-behaviour`, for example `exclusive`.
    #[serde(default)]
    pub behaviour: Option<String>,
    /// Disable the control.
    #[serde(default)]
    pub disabled: bool,
    /// Extra attributes on the `<input>`.
    #[serde(default)]
    pub attributes: Attributes,
}

/// Conditionally revealed content of a [`ChoiceItem`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Conditional {
    /// Trusted HTML.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub html: Option<String>,
    /// Revealed by the stylesheet alone (`app-radios__reveal`), not by GOV.UK
    /// Frontend's script, which marks the radio `aria-expanded`: ARIA 1.2 does
    /// not allow that on a radio. Not a GOV.UK macro option.
    #[serde(skip)]
    pub by_stylesheet: bool,
}

impl ChoiceItem {
    /// A choice with a value and label text.
    pub fn new(value: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            value: Some(value.into()),
            text: Some(text.into()),
            ..Self::default()
        }
    }

    /// A divider, usually "or".
    pub fn divider(text: impl Into<String>) -> Self {
        Self {
            divider: Some(text.into()),
            ..Self::default()
        }
    }

    /// Add a hint.
    #[must_use]
    pub fn hint(mut self, text: impl Into<String>) -> Self {
        self.hint = Some(Hint::new(text));
        self
    }

    /// Set whether it is checked (otherwise it follows the group's value).
    #[must_use]
    pub fn checked(mut self, checked: bool) -> Self {
        self.checked = Some(checked);
        self
    }

    /// Reveal trusted HTML when checked.
    #[must_use]
    pub fn conditional(mut self, html: impl Into<String>) -> Self {
        self.conditional = Some(Conditional {
            html: Some(html.into()),
            by_stylesheet: false,
        });
        self
    }

    /// Reveal trusted HTML under a radio when it is chosen, by the stylesheet
    /// alone (see [`Conditional::by_stylesheet`]); shown all along by browsers
    /// without CSS `:has()`.
    #[must_use]
    pub fn reveal(mut self, html: impl Into<String>) -> Self {
        self.conditional = Some(Conditional {
            html: Some(html.into()),
            by_stylesheet: true,
        });
        self
    }
}

/// A [`ChoiceItem`] resolved for rendering.
#[derive(Debug)]
struct ChoiceView<'a> {
    id: String,
    name: &'a str,
    checked: bool,
    described_by: String,
    label: Label,
    hint: Option<Hint>,
    conditional: Option<&'a str>,
    by_stylesheet: bool,
}

/// Which group a choice belongs to.
#[derive(Clone, Copy)]
enum ChoiceKind {
    Radio,
    Checkbox,
}

impl ChoiceKind {
    fn prefix(self) -> &'static str {
        match self {
            Self::Radio => "govuk-radios",
            Self::Checkbox => "govuk-checkboxes",
        }
    }
}

/// Resolve one item: ids, checked state, nested label and hint.
fn choice_view<'a>(
    kind: ChoiceKind,
    item: &'a ChoiceItem,
    index: usize,
    id_prefix: &str,
    group_name: &'a str,
    matches_value: bool,
    item_described_by: &str,
) -> ChoiceView<'a> {
    let id = match item.id.present() {
        Some(id) => id.to_owned(),
        None if index > 1 => format!("{id_prefix}-{index}"),
        None => id_prefix.to_owned(),
    };
    let checked = item.checked == Some(true) || (item.checked.is_none() && matches_value);
    let has_hint = item.hint.as_ref().is_some_and(Hint::is_set);
    let hint_id = format!("{id}-item-hint");
    let prefix = kind.prefix();
    let label = Label {
        text: item.text.clone(),
        html: item.html.clone(),
        for_id: Some(id.clone()),
        is_page_heading: false,
        classes: Some(super::classes(
            &format!("{prefix}__label"),
            item.label.as_ref().and_then(|l| l.classes.as_deref()),
        )),
        attributes: item
            .label
            .as_ref()
            .map(|l| l.attributes.clone())
            .unwrap_or_default(),
    };
    let hint = item.hint.as_ref().filter(|_| has_hint).map(|h| Hint {
        id: Some(hint_id.clone()),
        classes: Some(super::classes(
            &format!("{prefix}__hint"),
            h.classes.as_deref(),
        )),
        ..h.clone()
    });
    let described_by = [item_described_by, if has_hint { &hint_id } else { "" }]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    ChoiceView {
        name: item.name.present().unwrap_or(group_name),
        id,
        checked,
        described_by,
        label,
        hint,
        conditional: item.conditional.as_ref().and_then(|c| c.html.present()),
        by_stylesheet: item.conditional.as_ref().is_some_and(|c| c.by_stylesheet),
    }
}

/// Fields and behaviour shared by [`Radios`] and [`Checkboxes`].
macro_rules! choice_group {
    ($ty:ident) => {
        impl $ty {
            /// Add an item.
            #[must_use]
            pub fn item(mut self, item: ChoiceItem) -> Self {
                self.items.push(Some(item));
                self
            }

            /// Put the group in a fieldset with this legend.
            #[must_use]
            pub fn legend(mut self, legend: super::Legend) -> Self {
                self.fieldset = Some(Fieldset {
                    legend: Some(legend),
                    ..Fieldset::default()
                });
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

            /// Add classes, for example `govuk-radios--inline`.
            #[must_use]
            pub fn classes(mut self, classes: impl Into<String>) -> Self {
                self.classes = Some(classes.into());
                self
            }

            fn id_prefix(&self) -> &str {
                self.id_prefix.present().unwrap_or(&self.name)
            }

            fn group_described_by(&self) -> String {
                described_by(
                    Some(self.initial_described_by()),
                    self.id_prefix(),
                    self.hint.is_some(),
                    self.error_message.is_some(),
                )
            }

            fn nested_hint(&self) -> Option<Hint> {
                self.hint
                    .as_ref()
                    .map(|h| h.with_id(format!("{}-hint", self.id_prefix())))
            }

            fn nested_error(&self) -> Option<ErrorMessage> {
                self.error_message
                    .as_ref()
                    .map(|e| e.with_id(format!("{}-error", self.id_prefix())))
            }

            fn wrap_in_fieldset(&self, html: String) -> Option<Fieldset> {
                self.fieldset
                    .as_ref()
                    .map(|f| f.wrapping(html, &self.group_described_by(), None))
            }
        }
    };
}

/// GOV.UK radios (`govukRadios`).
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/radios.html")]
pub struct Radios {
    /// Wrap the radios in this fieldset (its legend, classes, attributes and
    /// `describedBy` are used).
    #[serde(default, deserialize_with = "de::opt_object")]
    pub fieldset: Option<Fieldset>,
    /// The hint.
    #[serde(default, deserialize_with = "de::opt_object")]
    pub hint: Option<Hint>,
    /// The error message.
    #[serde(default, deserialize_with = "de::opt_object")]
    pub error_message: Option<ErrorMessage>,
    /// The form group.
    #[serde(default)]
    pub form_group: GroupFormGroup,
    /// Prefix for ids; defaults to `name`.
    #[serde(default)]
    pub id_prefix: Option<String>,
    /// `name` of every radio.
    #[serde(default)]
    pub name: String,
    /// The radios (falsy entries are skipped).
    #[serde(default, deserialize_with = "de::items")]
    pub items: Vec<Option<ChoiceItem>>,
    /// The selected value.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub value: Option<String>,
    /// Extra classes, for example `govuk-radios--inline`.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
}

choice_group!(Radios);

impl Radios {
    /// Radios called `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }

    /// Select the radio with this value.
    #[must_use]
    pub fn value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }

    fn initial_described_by(&self) -> &str {
        self.fieldset
            .as_ref()
            .and_then(|f| f.described_by.present())
            .unwrap_or("")
    }

    fn view<'a>(&'a self, item: &'a ChoiceItem, index: usize) -> ChoiceView<'a> {
        let matches = self
            .value
            .present()
            .is_some_and(|v| item.value.as_deref() == Some(v));
        choice_view(
            ChoiceKind::Radio,
            item,
            index,
            self.id_prefix(),
            &self.name,
            matches,
            "",
        )
    }
}

/// GOV.UK checkboxes (`govukCheckboxes`).
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/checkboxes.html")]
pub struct Checkboxes {
    /// Extra `aria-describedby` ids.
    #[serde(default)]
    pub described_by: Option<String>,
    /// Wrap the checkboxes in this fieldset (its legend, classes, attributes
    /// and `describedBy` are used).
    #[serde(default, deserialize_with = "de::opt_object")]
    pub fieldset: Option<Fieldset>,
    /// The hint.
    #[serde(default, deserialize_with = "de::opt_object")]
    pub hint: Option<Hint>,
    /// The error message.
    #[serde(default, deserialize_with = "de::opt_object")]
    pub error_message: Option<ErrorMessage>,
    /// The form group.
    #[serde(default)]
    pub form_group: GroupFormGroup,
    /// Prefix for ids; defaults to `name`.
    #[serde(default)]
    pub id_prefix: Option<String>,
    /// `name` of every checkbox (unless an item sets its own).
    #[serde(default)]
    pub name: String,
    /// The checkboxes (falsy entries are skipped).
    #[serde(default, deserialize_with = "de::items")]
    pub items: Vec<Option<ChoiceItem>>,
    /// The checked values.
    #[serde(default, deserialize_with = "de::opt_string_list")]
    pub values: Option<Vec<String>>,
    /// Extra classes, for example `govuk-checkboxes--small`.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
}

choice_group!(Checkboxes);

impl Checkboxes {
    /// Checkboxes called `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }

    /// Check the boxes with these values.
    #[must_use]
    pub fn values<I: IntoIterator<Item = S>, S: Into<String>>(mut self, values: I) -> Self {
        self.values = Some(values.into_iter().map(Into::into).collect());
        self
    }

    fn initial_described_by(&self) -> &str {
        self.fieldset
            .as_ref()
            .and_then(|f| f.described_by.present())
            .or(self.described_by.present())
            .unwrap_or("")
    }

    fn view<'a>(&'a self, item: &'a ChoiceItem, index: usize) -> ChoiceView<'a> {
        let matches = self.values.as_ref().is_some_and(|values| {
            item.value
                .as_ref()
                .is_some_and(|v| values.iter().any(|x| x == v))
        });
        let item_described_by = if self.fieldset.is_some() {
            String::new()
        } else {
            self.group_described_by()
        };
        choice_view(
            ChoiceKind::Checkbox,
            item,
            index,
            self.id_prefix(),
            &self.name,
            matches,
            &item_described_by,
        )
    }
}

/// One field (day, month, year) of a [`DateInput`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DateInputItem {
    /// `id`; defaults to the date input's id plus `-<name>`.
    #[serde(default)]
    pub id: Option<String>,
    /// `name` (prefixed by `namePrefix-`).
    #[serde(default)]
    pub name: Option<String>,
    /// Label text; defaults to the capitalised name.
    #[serde(default)]
    pub label: Option<String>,
    /// Current value.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub value: Option<String>,
    /// Highlight this field as being in error.
    #[serde(default)]
    pub error: Option<bool>,
    /// `autocomplete`, for example `bday-day`.
    #[serde(default)]
    pub autocomplete: Option<String>,
    /// `pattern`.
    #[serde(default)]
    pub pattern: Option<String>,
    /// `inputmode`; defaults to `numeric`.
    #[serde(default)]
    pub inputmode: Option<String>,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
}

/// GOV.UK date input (`govukDateInput`).
#[derive(Debug, Clone, Default, Deserialize, Template)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[template(path = "components/date-input.html")]
pub struct DateInput {
    /// `id` of the group, also the base of the field ids.
    #[serde(default)]
    pub id: String,
    /// Prefix for the field names, for example `dob` gives `dob-day`.
    #[serde(default)]
    pub name_prefix: Option<String>,
    /// Explicit fields; defaults to day, month and year.
    #[serde(default, deserialize_with = "de::items")]
    pub items: Vec<Option<DateInputItem>>,
    /// The hint.
    #[serde(default, deserialize_with = "de::opt_object")]
    pub hint: Option<Hint>,
    /// The error message.
    #[serde(default, deserialize_with = "de::opt_object")]
    pub error_message: Option<ErrorMessage>,
    /// The form group.
    #[serde(default)]
    pub form_group: GroupFormGroup,
    /// Wrap the fields in this fieldset.
    #[serde(default, deserialize_with = "de::opt_object")]
    pub fieldset: Option<Fieldset>,
    /// Override the day field (`false` removes it).
    #[serde(default, deserialize_with = "de::falsy_or_object")]
    pub day: Option<Option<DateInputItem>>,
    /// Override the month field (`false` removes it).
    #[serde(default, deserialize_with = "de::falsy_or_object")]
    pub month: Option<Option<DateInputItem>>,
    /// Override the year field (`false` removes it).
    #[serde(default, deserialize_with = "de::falsy_or_object")]
    pub year: Option<Option<DateInputItem>>,
    /// Field values by (prefixed) name, for example `dob-day`.
    #[serde(default, deserialize_with = "de::string_map")]
    pub values: BTreeMap<String, String>,
    /// Extra classes.
    #[serde(default)]
    pub classes: Option<String>,
    /// Extra attributes.
    #[serde(default)]
    pub attributes: Attributes,
}

/// Which date part a field is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DatePart {
    Day,
    Month,
    Year,
}

impl DatePart {
    fn name(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Month => "month",
            Self::Year => "year",
        }
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

impl DateInput {
    /// A day / month / year date input with a legend, named
    /// `<name>-day`, `<name>-month`, `<name>-year`.
    pub fn new(name: impl Into<String>, legend: super::Legend) -> Self {
        let name = name.into();
        Self {
            id: name.clone(),
            name_prefix: Some(name),
            fieldset: Some(Fieldset {
                legend: Some(legend),
                ..Fieldset::default()
            }),
            ..Self::default()
        }
    }

    /// Set the current day, month and year values.
    #[must_use]
    pub fn date_values(
        mut self,
        day: impl Into<String>,
        month: impl Into<String>,
        year: impl Into<String>,
    ) -> Self {
        let prefix = self.name_prefix();
        self.values.insert(format!("{prefix}day"), day.into());
        self.values.insert(format!("{prefix}month"), month.into());
        self.values.insert(format!("{prefix}year"), year.into());
        self
    }

    /// Add a hint.
    #[must_use]
    pub fn hint(mut self, text: impl Into<String>) -> Self {
        self.hint = Some(Hint::new(text));
        self
    }

    /// Show an error message (all fields are highlighted unless an item
    /// sets `error`).
    #[must_use]
    pub fn error(mut self, text: impl Into<String>) -> Self {
        self.error_message = Some(ErrorMessage::new(text));
        self
    }

    fn name_prefix(&self) -> String {
        self.name_prefix
            .present()
            .map(|p| format!("{p}-"))
            .unwrap_or_default()
    }

    /// The default item for a part, before `day` / `month` / `year` options.
    fn default_item(&self, part: DatePart) -> Option<DateInputItem> {
        let given = match part {
            DatePart::Day => &self.day,
            DatePart::Month => &self.month,
            DatePart::Year => &self.year,
        };
        match given {
            Some(item) => item.clone(),
            None => Some(DateInputItem {
                name: Some(part.name().to_owned()),
                value: self.values.get(part.name()).cloned(),
                classes: Some(
                    if part == DatePart::Year {
                        "govuk-input--width-4"
                    } else {
                        "govuk-input--width-2"
                    }
                    .to_owned(),
                ),
                ..DateInputItem::default()
            }),
        }
    }

    /// The fields with the part each one is, if known.
    fn resolved_items(&self) -> Vec<(DateInputItem, Option<DatePart>)> {
        let parts = [DatePart::Day, DatePart::Month, DatePart::Year];
        if self.items.is_empty() {
            return parts
                .into_iter()
                .filter_map(|part| self.default_item(part).map(|item| (item, Some(part))))
                .collect();
        }
        self.items
            .iter()
            .flatten()
            .map(|item| {
                let part = item.name.present().and_then(|name| {
                    parts.into_iter().find(|part| {
                        let custom = self
                            .default_item(*part)
                            .and_then(|d| d.name)
                            .unwrap_or_default();
                        name == part.name() || name == custom
                    })
                });
                (item.clone(), part)
            })
            .collect()
    }

    fn has_error_class(item: &DateInputItem) -> bool {
        item.classes
            .as_deref()
            .is_some_and(|c| c.contains("govuk-input--error"))
    }

    /// The inputs to render, one per field.
    fn inputs(&self) -> Vec<Input> {
        let items = self.resolved_items();
        let any_item_has_error = items
            .iter()
            .any(|(item, _)| item.error == Some(true) || Self::has_error_class(item));
        let prefix = self.name_prefix();
        items
            .into_iter()
            .map(|(item, part)| {
                let (name, value, width) = match part {
                    Some(part) => {
                        let default = self.default_item(part).unwrap_or_default();
                        (
                            item.name.clone().unwrap_or_else(|| part.name().to_owned()),
                            item.value.clone().or(default.value),
                            if part == DatePart::Year { 4 } else { 2 },
                        )
                    }
                    None => (item.name.clone().unwrap_or_default(), item.value.clone(), 2),
                };
                let has_error = item.error == Some(true) || Self::has_error_class(&item);
                let mut classes: Vec<String> = Vec::new();
                if !Self::has_error_class(&item)
                    && (has_error
                        || (item.error != Some(false)
                            && self.error_message.is_some()
                            && !any_item_has_error))
                {
                    classes.push("govuk-input--error".to_owned());
                }
                if !item
                    .classes
                    .as_deref()
                    .is_some_and(|c| c.contains("govuk-input--width-"))
                {
                    classes.push(format!("govuk-input--width-{width}"));
                }
                if let Some(extra) = item.classes.present() {
                    classes.push(extra.to_owned());
                }
                let full_name = format!("{prefix}{name}");
                Input {
                    label: Some(Label {
                        text: Some(
                            item.label
                                .present()
                                .map_or_else(|| capitalize(&name), str::to_owned),
                        ),
                        classes: Some("govuk-date-input__label".to_owned()),
                        ..Label::default()
                    }),
                    id: Some(
                        item.id
                            .present()
                            .map_or_else(|| format!("{}-{name}", self.id), str::to_owned),
                    ),
                    classes: Some(super::classes(
                        "govuk-date-input__input",
                        Some(&classes.join(" ")),
                    )),
                    value: value.or_else(|| self.values.get(&full_name).cloned()),
                    name: full_name,
                    kind: Some("text".to_owned()),
                    inputmode: Some(item.inputmode.present().unwrap_or("numeric").to_owned()),
                    autocomplete: item.autocomplete.clone(),
                    pattern: item.pattern.clone(),
                    attributes: item.attributes.clone(),
                    ..Input::default()
                }
            })
            .collect()
    }

    fn group_described_by(&self) -> String {
        described_by(
            self.fieldset
                .as_ref()
                .and_then(|f| f.described_by.as_deref()),
            &self.id,
            self.hint.is_some(),
            self.error_message.is_some(),
        )
    }

    fn nested_hint(&self) -> Option<Hint> {
        self.hint
            .as_ref()
            .map(|h| h.with_id(format!("{}-hint", self.id)))
    }

    fn nested_error(&self) -> Option<ErrorMessage> {
        self.error_message
            .as_ref()
            .map(|e| e.with_id(format!("{}-error", self.id)))
    }

    fn wrap_in_fieldset(&self, html: String) -> Option<Fieldset> {
        self.fieldset
            .as_ref()
            .map(|f| f.wrapping(html, &self.group_described_by(), Some("group")))
    }
}

html_safe!(Radios, Checkboxes, DateInput);
