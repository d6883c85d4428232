//! The compiled front-end assets.

use http::StatusCode;

use crate::support::TestApp;

#[tokio::test]
async fn the_stylesheet_and_scripts_are_served_from_the_binary() {
    let app = TestApp::new().await;
    let mut client = app.client();
    let page = client.get("/").await;
    for (name, content_type) in [
        ("app.css", "text/css"),
        ("app.mjs", "javascript"),
        ("govuk-frontend.min.js", "javascript"),
        ("moj-frontend.min.js", "javascript"),
    ] {
        let response = client.get(&format!("/assets/{name}")).await;
        assert_eq!(response.status, StatusCode::OK, "{name}");
        let served = response.header("content-type").unwrap_or_default();
        assert!(served.contains(content_type), "{name}: {served}");
        assert!(response.body.len() > 400, "{name} has content");
    }
    assert!(
        page.body.contains("/assets/app.css?v="),
        "the layout links the versioned stylesheet"
    );
    assert!(
        page.body
            .contains("<script type=\"module\" src=\"/assets/app.mjs?v=")
    );
    assert_eq!(
        client.get("/assets/../Cargo.toml").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        client.get("/assets/nothing.css").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_stylesheet_uses_the_arial_stack_not_the_gov_uk_font() {
    let app = TestApp::new().await;
    let css = app.client().get("/assets/app.css").await.body;
    assert!(
        css.contains(".govuk-generic-header"),
        "GOV.UK Frontend 6 is compiled in"
    );
    assert!(css.contains(".moj-"), "MOJ Frontend is compiled in");
    assert!(
        !css.contains("GDS Transport"),
        "GDS Transport is for GOV.UK services only"
    );
    assert!(!css.contains("@font-face"), "no font files are shipped");
    assert!(css.contains("arial"));
}

#[tokio::test]
async fn no_inline_script_is_written_into_any_page() {
    let app = TestApp::new().await;
    let mut client = app.client();
    for path in ["/", "/accessibility", "/privacy", "/cookies", "/missing"] {
        let page = client.get(path).await;
        let html = scraper::Html::parse_document(&page.body);
        let scripts = scraper::Selector::parse("script").unwrap_or_else(|e| panic!("{e}"));
        for script in html.select(&scripts) {
            assert!(
                script.value().attr("src").is_some(),
                "{path}: inline script"
            );
            assert!(
                script.text().collect::<String>().trim().is_empty(),
                "{path}: inline script"
            );
        }
    }
}
