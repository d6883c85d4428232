//! The `attributes` option shared by every component, rendered with GOV.UK
//! Frontend's `govukAttributes` rules.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};

use super::escape;

/// The value of one extra HTML attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttributeValue {
    /// No value (`null`): renders `name=""`, or nothing when optional.
    Null,
    /// A boolean: renders `name="true"` / `name="false"`, or for an optional
    /// attribute the bare `name` / nothing.
    Bool(bool),
    /// A string (numbers are kept as their decimal text).
    Text(String),
}

impl From<&str> for AttributeValue {
    fn from(value: &str) -> Self {
        Self::Text(value.to_owned())
    }
}

impl From<String> for AttributeValue {
    fn from(value: String) -> Self {
        Self::Text(value)
    }
}

impl From<bool> for AttributeValue {
    fn from(value: bool) -> Self {
        Self::Bool(value)
    }
}

/// One attribute: name, value and whether it is `optional` (see
/// `govukAttributes`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Attribute {
    name: String,
    value: AttributeValue,
    optional: bool,
}

/// Extra HTML attributes for a component, in insertion order.
///
/// Deserializes from the GOV.UK `attributes` option: a map from attribute
/// name to a string, number, boolean or `null`, or to `{ value, optional }`.
/// Renders as a string of ` name="value"` pairs (each with a leading space),
/// already escaped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attributes(Vec<Attribute>);

impl Attributes {
    /// No attributes.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add `name="value"` (a later value for the same name replaces it).
    #[must_use]
    pub fn with(mut self, name: impl Into<String>, value: impl Into<AttributeValue>) -> Self {
        self.insert(name.into(), value.into(), false);
        self
    }

    /// Add an optional attribute: `true` renders the bare name (a boolean
    /// HTML attribute), `false` or `Null` renders nothing.
    #[must_use]
    pub fn with_optional(
        mut self,
        name: impl Into<String>,
        value: impl Into<AttributeValue>,
    ) -> Self {
        self.insert(name.into(), value.into(), true);
        self
    }

    /// Add every attribute of `other`, after these.
    #[must_use]
    pub fn merged(mut self, other: &Attributes) -> Self {
        for attribute in &other.0 {
            self.insert(
                attribute.name.clone(),
                attribute.value.clone(),
                attribute.optional,
            );
        }
        self
    }

    /// Add GOV.UK's `data-i18n.<key>` attribute when `message` is set.
    #[must_use]
    pub(crate) fn i18n(self, key: &str, message: Option<&str>) -> Self {
        match message.filter(|m| !m.is_empty()) {
            Some(message) => self.with(format!("data-i18n.{key}"), message),
            None => self,
        }
    }

    /// Add GOV.UK's `data-i18n.<key>.<plural rule>` attributes.
    #[must_use]
    pub(crate) fn i18n_plural(
        mut self,
        key: &str,
        messages: Option<&std::collections::BTreeMap<String, String>>,
    ) -> Self {
        for (rule, message) in messages.into_iter().flatten() {
            self = self.with(format!("data-i18n.{key}.{rule}"), message.as_str());
        }
        self
    }

    /// Whether there are no attributes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn insert(&mut self, name: String, value: AttributeValue, optional: bool) {
        let attribute = Attribute {
            name,
            value,
            optional,
        };
        if let Some(existing) = self.0.iter_mut().find(|a| a.name == attribute.name) {
            *existing = attribute;
        } else {
            self.0.push(attribute);
        }
    }
}

impl fmt::Display for Attributes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for Attribute {
            name,
            value,
            optional,
        } in &self.0
        {
            let name = escape(name);
            match (value, optional) {
                (AttributeValue::Bool(true), true) => write!(f, " {name}")?,
                (AttributeValue::Null | AttributeValue::Bool(false), true) => {}
                (AttributeValue::Null, false) => write!(f, " {name}=\"\"")?,
                (AttributeValue::Bool(b), _) => write!(f, " {name}=\"{b}\"")?,
                (AttributeValue::Text(text), _) => write!(f, " {name}=\"{}\"", escape(text))?,
            }
        }
        Ok(())
    }
}

impl askama::filters::HtmlSafe for Attributes {}

impl<'de> serde::Deserialize<'de> for Attributes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(AttributesVisitor)
    }
}

struct AttributesVisitor;

impl<'de> Visitor<'de> for AttributesVisitor {
    type Value = Attributes;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map of attribute names to values")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut attributes = Attributes::new();
        while let Some((name, raw)) = map.next_entry::<String, RawAttribute>()? {
            attributes.insert(name, raw.value, raw.optional);
        }
        Ok(attributes)
    }
}

/// An attribute value as written in options: a scalar or `{ value, optional }`.
struct RawAttribute {
    value: AttributeValue,
    optional: bool,
}

impl<'de> serde::Deserialize<'de> for RawAttribute {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawAttributeVisitor)
    }
}

/// Visits a scalar attribute value (string, number, boolean, null).
struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = AttributeValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, number, boolean or null")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(AttributeValue::Text(v.to_owned()))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(AttributeValue::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(AttributeValue::Text(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(AttributeValue::Text(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(AttributeValue::Text(v.to_string()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(AttributeValue::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(AttributeValue::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::Deserialize<'de> for AttributeValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct RawAttributeVisitor;

impl<'de> Visitor<'de> for RawAttributeVisitor {
    type Value = RawAttribute;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an attribute value or { value, optional }")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        plain(ScalarVisitor.visit_str(v))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        plain(ScalarVisitor.visit_bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        plain(ScalarVisitor.visit_i64(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        plain(ScalarVisitor.visit_u64(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        plain(ScalarVisitor.visit_f64(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        plain(ScalarVisitor.visit_unit())
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        plain(ScalarVisitor.visit_none())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut value = AttributeValue::Null;
        let mut optional = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "value" => value = map.next_value()?,
                "optional" => optional = map.next_value::<Option<bool>>()?.unwrap_or(false),
                other => return Err(de::Error::unknown_field(other, &["value", "optional"])),
            }
        }
        Ok(RawAttribute { value, optional })
    }
}

fn plain<E>(value: Result<AttributeValue, E>) -> Result<RawAttribute, E> {
    value.map(|value| RawAttribute {
        value,
        optional: false,
    })
}
