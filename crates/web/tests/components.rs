//! Every implemented component is rendered with each of GOV.UK Frontend's own
//! fixtures (`fixtures.json`, installed by `npm ci` in `frontend/`) and the
//! output is compared with the fixture's HTML after normalising both.

use std::fmt::Write as _;
use std::path::PathBuf;

use askama::Template;
use scraper::{ElementRef, Html, Node};
use send_web::components as c;
use serde::de::DeserializeOwned;

/// One entry of a component's `fixtures.json`.
#[derive(serde::Deserialize)]
struct Fixture {
    name: String,
    options: serde_json::Value,
    html: String,
}

#[derive(serde::Deserialize)]
struct Fixtures {
    fixtures: Vec<Fixture>,
}

fn fixtures_path(component: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../frontend/node_modules/govuk-frontend/dist/govuk/components")
        .join(component)
        .join("fixtures.json")
}

fn load_fixtures(component: &str) -> Vec<Fixture> {
    let path = fixtures_path(component);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read GOV.UK Frontend fixtures for `{component}` at {}: {e}\n\
             Run `npm ci` in `frontend/` to install govuk-frontend.",
            path.display()
        )
    });
    let fixtures: Fixtures = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("cannot parse {}: {e}", path.display()));
    fixtures.fixtures
}

/// Normalise an HTML fragment to an indented tree: one element, text node or
/// comment per line; attributes sorted by name; `class` and text with
/// whitespace collapsed; empty text nodes dropped.
fn normalise(html: &str) -> String {
    let fragment = Html::parse_fragment(html);
    let mut out = String::new();
    // `parse_fragment` wraps the fragment in an `<html>` element.
    write_children(fragment.root_element(), 0, &mut out);
    out
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn write_children(parent: ElementRef<'_>, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    for child in parent.children() {
        if let Some(element) = ElementRef::wrap(child) {
            write_element(element, depth, out);
            continue;
        }
        match child.value() {
            Node::Text(text) => {
                let text = collapse(text);
                if !text.is_empty() {
                    writeln!(out, "{indent}{text:?}").unwrap();
                }
            }
            Node::Comment(comment) => {
                writeln!(out, "{indent}<!--{}-->", collapse(comment)).unwrap();
            }
            _ => {}
        }
    }
}

fn write_element(element: ElementRef<'_>, depth: usize, out: &mut String) {
    let value = element.value();
    let mut attributes: Vec<(String, String)> = value
        .attrs()
        .map(|(name, value)| {
            let value = if name == "class" {
                collapse(value)
            } else {
                value.to_owned()
            };
            (name.to_owned(), value)
        })
        .collect();
    attributes.sort();
    write!(out, "{}<{}", "  ".repeat(depth), value.name()).unwrap();
    for (name, value) in attributes {
        write!(out, " {name}={value:?}").unwrap();
    }
    out.push_str(">\n");
    write_children(element, depth + 1, out);
}

/// Render every fixture of `component` through `T` and compare.
fn check<T>(component: &str, unsupported: &[(&str, &str)])
where
    T: DeserializeOwned + Template,
{
    let fixtures = load_fixtures(component);
    for (name, reason) in unsupported {
        assert!(
            fixtures.iter().any(|f| f.name == *name),
            "{component}: UNSUPPORTED lists `{name}` ({reason}) but fixtures.json has no such fixture"
        );
    }

    let mut failures = Vec::new();
    let mut checked = 0;
    for fixture in &fixtures {
        if unsupported.iter().any(|(name, _)| *name == fixture.name) {
            continue;
        }
        checked += 1;
        let component_value: T = match serde_json::from_value(fixture.options.clone()) {
            Ok(value) => value,
            Err(e) => {
                failures.push(format!(
                    "--- {component} / {:?}: options do not deserialize: {e}\noptions: {}",
                    fixture.name, fixture.options
                ));
                continue;
            }
        };
        let rendered = match component_value.render() {
            Ok(html) => html,
            Err(e) => {
                failures.push(format!(
                    "--- {component} / {:?}: render failed: {e}",
                    fixture.name
                ));
                continue;
            }
        };
        let expected = normalise(&fixture.html);
        let actual = normalise(&rendered);
        if expected != actual {
            failures.push(format!(
                "--- {component} / {:?}: markup differs\noptions: {}\n\
                 expected (normalised):\n{expected}\nactual (normalised):\n{actual}\nactual (raw):\n{rendered}",
                fixture.name, fixture.options
            ));
        }
    }

    println!(
        "{component}: {checked} fixtures checked, {} unsupported",
        unsupported.len()
    );
    assert!(
        failures.is_empty(),
        "{component}: {} of {checked} fixtures failed\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

macro_rules! fixture_tests {
    ($($test:ident: $ty:ty = $component:literal $(, unsupported: $unsupported:expr)?;)*) => {
        $(
            #[test]
            fn $test() {
                #[allow(unused_variables)]
                let unsupported: &[(&str, &str)] = &[];
                $(let unsupported: &[(&str, &str)] = $unsupported;)?
                check::<$ty>($component, unsupported);
            }
        )*
    };
}

fixture_tests! {
    skip_link: c::SkipLink = "skip-link";
    generic_header: c::GenericHeader = "generic-header";
    service_navigation: c::ServiceNavigation = "service-navigation";
    footer: c::Footer = "footer";
    back_link: c::BackLink = "back-link";
    button: c::Button = "button";
    phase_banner: c::PhaseBanner = "phase-banner";
    inset_text: c::InsetText = "inset-text";
    warning_text: c::WarningText = "warning-text";
    details: c::Details = "details";
    tag: c::Tag = "tag";
    panel: c::Panel = "panel";
    notification_banner: c::NotificationBanner = "notification-banner";
    error_message: c::ErrorMessage = "error-message";
    hint: c::Hint = "hint";
    label: c::Label = "label";
    fieldset: c::Fieldset = "fieldset";
    error_summary: c::ErrorSummary = "error-summary";
    input: c::Input = "input";
    textarea: c::Textarea = "textarea";
    radios: c::Radios = "radios";
    checkboxes: c::Checkboxes = "checkboxes";
    date_input: c::DateInput = "date-input";
    summary_list: c::SummaryList = "summary-list";
    table: c::Table = "table";
    select: c::Select = "select";
}
