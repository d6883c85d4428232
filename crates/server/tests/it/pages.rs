//! The public pages.

use http::StatusCode;

use crate::support::{COUNCIL, TestApp};

#[tokio::test]
async fn the_start_page_names_the_council_in_the_header_and_explains_the_portal() {
    let app = TestApp::new().await;
    let page = app.client().get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.h1(), "Use the SEND Portal");
    assert_eq!(
        page.title(),
        format!("Use the SEND Portal – SEND Portal – {COUNCIL}")
    );
    let html = scraper::Html::parse_document(&page.body);
    let header = scraper::Selector::parse(".govuk-generic-header__homepage-link")
        .unwrap_or_else(|e| panic!("{e}"));
    let header_text: String = html.select(&header).flat_map(|e| e.text()).collect();
    assert_eq!(header_text.trim(), COUNCIL);
    assert!(
        page.body.contains("Accept Portal Invitation"),
        "the guide's words are used"
    );
    assert!(
        !page.body.contains("govuk-header__logotype"),
        "no GOV.UK crown or logotype"
    );
}

#[tokio::test]
async fn a_visitor_who_only_knows_the_address_finds_the_way_in_from_the_start_page() {
    let app = TestApp::new().await;
    let mut client = app.client();
    let page = client.get("/").await;
    let html = scraper::Html::parse_document(&page.body);
    let start = scraper::Selector::parse("a.govuk-button.govuk-button--start")
        .unwrap_or_else(|e| panic!("{e}"));
    let buttons: Vec<_> = html.select(&start).collect();
    assert_eq!(buttons.len(), 1, "one start button");
    assert_eq!(buttons[0].value().attr("href"), Some("/sign-in"));
    assert_eq!(
        buttons[0].text().collect::<String>().trim(),
        "Sign in",
        "the start button says Sign in"
    );
    let links = scraper::Selector::parse("a.govuk-link").unwrap_or_else(|e| panic!("{e}"));
    let link_to = |href: &str| {
        html.select(&links)
            .filter(|a| a.value().attr("href") == Some(href))
            .map(|a| a.text().collect::<String>())
            .collect::<Vec<_>>()
    };
    assert!(
        link_to("/register").contains(&"Register for new account".to_owned()),
        "the guide's words for registering"
    );
    assert!(
        link_to("/register").contains(&"register in your professional capacity".to_owned()),
        "professionals are shown where to register"
    );
    assert_eq!(
        link_to("/when-should-things-happen").len(),
        1,
        "the calculator"
    );
    for path in ["/sign-in", "/register", "/when-should-things-happen"] {
        assert_eq!(client.get(path).await.status, StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn the_footer_links_to_real_accessibility_privacy_and_cookie_pages() {
    let app = TestApp::new().await;
    let mut client = app.client();
    let start = client.get("/").await;
    for (path, heading, must_say) in [
        (
            "/accessibility",
            "Accessibility statement for the SEND Portal",
            "WCAG",
        ),
        (
            "/privacy",
            "Privacy notice",
            "Children and Families Act 2014",
        ),
        ("/cookies", "Cookies", "send_portal_session"),
    ] {
        assert!(
            start.body.contains(&format!("href=\"{path}\"")),
            "footer links to {path}"
        );
        let page = client.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_eq!(page.h1(), heading, "{path}");
        assert!(page.body.contains(must_say), "{path} says {must_say}");
        assert!(page.body.contains(COUNCIL), "{path} names the council");
    }
}
