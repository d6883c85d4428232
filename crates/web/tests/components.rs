//! Every implemented component is rendered with each of GOV.UK Frontend's own
//! fixtures (`fixtures.json`, installed by `npm ci` in `frontend/`) and the
//! output is compared with the fixture's HTML after normalising both.

use std::path::PathBuf;

use askama::Template;
use scraper::{ElementRef, Html, Node, Selector};
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
    let mut lines = Vec::new();
    // `parse_fragment` wraps the fragment in an `<html>` element.
    write_children(fragment.root_element(), 0, &mut lines);
    lines.join("\n")
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn write_children(parent: ElementRef<'_>, depth: usize, lines: &mut Vec<String>) {
    let indent = "  ".repeat(depth);
    for child in parent.children() {
        if let Some(element) = ElementRef::wrap(child) {
            write_element(element, depth, lines);
            continue;
        }
        match child.value() {
            Node::Text(text) => {
                let text = collapse(text);
                if !text.is_empty() {
                    lines.push(format!("{indent}{text:?}"));
                }
            }
            Node::Comment(comment) => {
                lines.push(format!("{indent}<!--{}-->", collapse(comment)));
            }
            _ => {}
        }
    }
}

fn write_element(element: ElementRef<'_>, depth: usize, lines: &mut Vec<String>) {
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
    let attributes = attributes
        .iter()
        .map(|(name, value)| format!(" {name}={value:?}"))
        .collect::<Vec<_>>()
        .concat();
    lines.push(format!(
        "{}<{}{attributes}>",
        "  ".repeat(depth),
        value.name()
    ));
    write_children(element, depth + 1, lines);
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

/// One `#[test]` per component. A component whose fixtures cannot all be
/// supported on purpose lists them, with the reason, after `unsupported:`;
/// `check` asserts that each listed fixture exists.
macro_rules! fixture_tests {
    ($(
        $test:ident: $ty:ty = $component:literal
        $(, unsupported: [$(($name:literal, $reason:literal)),* $(,)?])?;
    )*) => {
        $(
            #[test]
            fn $test() {
                const UNSUPPORTED: &[(&str, &str)] = &[$($(($name, $reason)),*)?];
                check::<$ty>($component, UNSUPPORTED);
            }
        )*
    };
}

fixture_tests! {
    skip_link: c::SkipLink = "skip-link";
    generic_header: c::GenericHeader = "generic-header";
    service_navigation: c::ServiceNavigation = "service-navigation";
    footer: c::Footer = "footer";
    button: c::Button = "button";
    back_link: c::BackLink = "back-link";
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
    password_input: c::PasswordInput = "password-input";
    breadcrumbs: c::Breadcrumbs = "breadcrumbs";
    character_count: c::CharacterCount = "character-count";
    file_upload: c::FileUpload = "file-upload";
    pagination: c::Pagination = "pagination";
    task_list: c::TaskList = "task-list";
}

/// Assert that `actual` is the same markup as `expected` after normalising.
fn assert_same_markup(actual: &str, expected: &str) {
    let (actual, expected) = (normalise(actual), normalise(expected));
    assert_eq!(
        actual, expected,
        "markup differs\nactual:\n{actual}\nexpected:\n{expected}"
    );
}

/// A page template embedding components with plain `{{ … }}`.
#[derive(Template)]
#[template(
    source = "<main>{{ button }}{{ input }}<p>{{ text }}</p></main>",
    ext = "html"
)]
struct Page {
    button: c::Button,
    input: c::Input,
    text: &'static str,
}

#[test]
fn components_embedded_in_templates_are_not_escaped_twice() {
    let page = Page {
        button: c::Button::new("Save & continue"),
        input: c::Input::new("name", "Full name").value("O'Brien <b>"),
        text: "<script>",
    };
    let html = page.render().unwrap();
    let doc = Html::parse_fragment(&html);
    let one = |selector: &str| {
        let selector = Selector::parse(selector).unwrap();
        doc.select(&selector)
            .next()
            .unwrap_or_else(|| panic!("no {selector:?} in {html}"))
    };
    // Double escaping would show up as literal `&amp;` / `&lt;` text.
    assert_eq!(
        one("button").text().collect::<String>().trim(),
        "Save & continue"
    );
    assert_eq!(one("input").value().attr("value"), Some("O'Brien <b>"));
    assert_eq!(one("label").value().attr("for"), Some("name"));
    assert_eq!(one("p").text().collect::<String>(), "<script>");
}

#[test]
fn input_builder() {
    let input = c::Input::new("email", "Email address")
        .kind("email")
        .autocomplete("email")
        .spellcheck(false)
        .hint("We only use this to send you updates")
        .error("Enter an email address");
    assert_same_markup(
        &input.render().unwrap(),
        r#"<div class="govuk-form-group govuk-form-group--error">
          <label class="govuk-label" for="email">Email address</label>
          <div id="email-hint" class="govuk-hint">We only use this to send you updates</div>
          <p id="email-error" class="govuk-error-message">
            <span class="govuk-visually-hidden">Error:</span> Enter an email address
          </p>
          <input class="govuk-input govuk-input--error" id="email" name="email" type="email"
            spellcheck="false" aria-describedby="email-hint email-error" autocomplete="email">
        </div>"#,
    );
}

#[test]
fn button_builders() {
    assert_same_markup(
        &c::Button::new("Continue")
            .prevent_double_click()
            .render()
            .unwrap(),
        r#"<button type="submit" class="govuk-button" data-module="govuk-button"
             data-prevent-double-click="true">Continue</button>"#,
    );
    assert_same_markup(
        &c::Button::link("Cancel", "/cases")
            .classes("govuk-button--secondary")
            .render()
            .unwrap(),
        r#"<a href="/cases" role="button" draggable="false"
             class="govuk-button govuk-button--secondary" data-module="govuk-button">Cancel</a>"#,
    );
}

#[test]
fn radios_builder_checks_the_current_value() {
    let radios = c::Radios::new("contact")
        .legend(c::Legend::page_heading("How should we contact you?"))
        .item(c::ChoiceItem::new("email", "Email"))
        .item(c::ChoiceItem::new("phone", "Phone"))
        .value("phone")
        .error_opt(None::<String>);
    let html = normalise(&radios.render().unwrap());
    assert!(html.contains(r#"<input class="govuk-radios__input" id="contact" name="contact" type="radio" value="email">"#), "{html}");
    assert!(html.contains(r#"<input checked="" class="govuk-radios__input" id="contact-2" name="contact" type="radio" value="phone">"#), "{html}");
    assert!(
        html.contains(r#"<h1 class="govuk-fieldset__heading">"#),
        "{html}"
    );
}
