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

#[tokio::test]
async fn text_assets_are_compressed_for_browsers_that_accept_it() {
    use std::io::Read as _;

    let app = TestApp::new().await;
    let mut client = app.client();
    let (status, headers, plain) = client.get_bytes("/assets/app.css", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers.get("content-encoding").is_none(), "not asked for");
    assert!(plain.len() > 200_000, "the stylesheet as written");

    let (status, headers, gzipped) = client
        .get_bytes("/assets/app.css", &[("accept-encoding", "gzip")])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers
            .get("content-encoding")
            .and_then(|v| v.to_str().ok()),
        Some("gzip")
    );
    let vary = headers
        .get("vary")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        vary.to_ascii_lowercase().contains("accept-encoding"),
        "{vary}"
    );
    assert!(
        headers
            .get("cache-control")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("immutable"))
    );
    assert!(
        gzipped.len() * 5 < plain.len(),
        "{} bytes gzipped",
        gzipped.len()
    );
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(gzipped.as_slice())
        .read_to_end(&mut unzipped)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(unzipped, plain, "the same stylesheet");

    // Brotli when the browser prefers it; scripts too.
    for path in ["/assets/app.css", "/assets/govuk-frontend.min.js"] {
        let (_, headers, body) = client
            .get_bytes(path, &[("accept-encoding", "gzip, deflate, br")])
            .await;
        assert_eq!(
            headers
                .get("content-encoding")
                .and_then(|v| v.to_str().ok()),
            Some("br"),
            "{path}"
        );
        assert!(!body.is_empty());
    }
    // A page is not the asset routes' business: it stays as it was.
    let (_, headers, _) = client.get_bytes("/", &[("accept-encoding", "gzip")]).await;
    assert!(headers.get("content-encoding").is_none());
}

#[tokio::test]
async fn the_portal_has_its_own_icon() {
    let app = TestApp::new().await;
    let mut client = app.client();
    let page = client.get("/").await;
    assert!(
        page.body
            .contains("<link rel=\"icon\" sizes=\"48x48\" href=\"/assets/favicon.ico?v="),
        "{}",
        page.body
    );
    assert!(page.body.contains("href=\"/assets/favicon.svg?v="));
    for path in ["/favicon.ico", "/assets/favicon.ico"] {
        let (status, headers, bytes) = client.get_bytes(path, &[]).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let content_type = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(content_type.contains("icon"), "{path}: {content_type}");
        assert_eq!(&bytes[..4], &[0, 0, 1, 0], "{path}: an icon file");
    }
    let svg = client.get("/assets/favicon.svg").await;
    assert_eq!(svg.status, StatusCode::OK);
    assert!(svg.body.starts_with("<svg"));
    assert!(
        client
            .get("/favicon.ico")
            .await
            .header("set-cookie")
            .is_none(),
        "no session for the icon"
    );
}
