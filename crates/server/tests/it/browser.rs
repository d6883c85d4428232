//! Pages in a real headless Chromium, with axe-core on every page.

use axum::Router;
use axum::response::Html;
use axum::routing::get;

use crate::support::TestApp;
use crate::support::browser::{Browser, JavaScript};

async fn open_the_public_pages(javascript: JavaScript) {
    let app = TestApp::new().await;
    let addr = app.serve().await;
    let Some(mut browser) = Browser::start(addr, javascript).await else {
        return;
    };

    browser.visit("/").await;
    assert!(browser.title().await.starts_with("Use the SEND Portal"));
    assert_eq!(
        browser
            .text_of(".govuk-generic-header__homepage-link")
            .await,
        crate::support::COUNCIL
    );
    let body_class = browser.run("return document.body.className").await;
    let classes = body_class.as_str().unwrap_or_default().to_owned();
    match javascript {
        JavaScript::On => assert!(
            classes.contains("govuk-frontend-supported"),
            "GOV.UK Frontend started: {classes}"
        ),
        JavaScript::Off => assert!(
            !classes.contains("js-enabled"),
            "scripts did not run: {classes}"
        ),
    }

    browser.click_link("Accessibility statement").await;
    browser.click_link("Privacy notice").await;
    browser.click_link("Cookies").await;
    browser.visit("/no-such-page").await;
    assert!(browser.title().await.starts_with("Page not found"));
    browser.visit("/staff/setup/not-a-real-link").await;

    assert_eq!(browser.checked.len(), 6);
    browser.close().await;
}

#[tokio::test]
async fn the_public_pages_pass_axe_with_javascript_on() {
    open_the_public_pages(JavaScript::On).await;
}

#[tokio::test]
async fn the_public_pages_pass_axe_with_javascript_off() {
    open_the_public_pages(JavaScript::Off).await;
}

/// The checker itself: a page that breaks WCAG rules is reported, with JavaScript
/// on and off, so a clean result elsewhere means something.
#[tokio::test]
async fn axe_reports_a_page_that_breaks_the_rules() {
    let routes = Router::new().route(
        "/test/inaccessible",
        get(|| async {
            Html(
                "<!DOCTYPE html><html><head><title>Bad page</title></head><body>\
                 <img src=\"/assets/images/icon-document.svg\">\
                 <p style=\"color:#aaa;background:#fff\">Faint text</p></body></html>",
            )
        }),
    );
    let app = TestApp::builder()
        .with_routes(routes)
        .build()
        .await
        .unwrap_or_else(|| unreachable!());
    let addr = app.serve().await;
    for javascript in [JavaScript::On, JavaScript::Off] {
        let Some(browser) = Browser::start(addr, javascript).await else {
            return;
        };
        browser.open_unchecked("/test/inaccessible").await;
        let violations = browser.accessibility_violations().await;
        let ids: Vec<&str> = violations.iter().filter_map(|v| v["id"].as_str()).collect();
        for expected in ["image-alt", "html-has-lang"] {
            assert!(
                ids.contains(&expected),
                "{javascript:?}: {expected} not found in {ids:?}"
            );
        }
        browser.close().await;
    }
}
