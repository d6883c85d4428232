//! Ids and link tokens in addresses are parsed before any handler runs: anything
//! malformed gets the styled 404 page (the portal's layout, HTML), in the portal
//! and the back office alike, and nothing from such an address is kept.

use http::StatusCode;

use crate::accounts::{PASSWORD, csrf_of, register, register_with, sign_in_to};
use crate::portal_access::caseworker_and_child;
use crate::support::{TestApp, TestResponse, on_both_databases};

/// A line break, percent-encoded: not an id and not a token.
const LINE_BREAK: &str = "%0D%0A";

fn assert_styled_404(page: &TestResponse, what: &str) {
    assert_eq!(page.status, StatusCode::NOT_FOUND, "{what}: {}", page.body);
    assert_eq!(page.h1(), "Page not found", "{what}");
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8"),
        "{what}: the HTML page, not a plain-text rejection"
    );
    assert!(
        page.body.contains("govuk-footer"),
        "{what}: inside the portal's layout"
    );
}

#[tokio::test]
async fn a_malformed_id_in_the_back_office_gets_the_styled_404() {
    let app = TestApp::new().await;
    let (mut caseworker, child) = caseworker_and_child(&app).await;
    // The addresses are right apart from the id, as the child's own page shows.
    let shown = caseworker
        .get(&format!("/back-office/children/{child}"))
        .await;
    assert_eq!(shown.status, StatusCode::OK);
    for path in [
        "/back-office/children/not-an-id".to_owned(),
        format!("/back-office/children/{LINE_BREAK}/chronology"),
        "/back-office/involvements/42".to_owned(),
        "/back-office/messages/..%2F..%2Fetc%2Fpasswd".to_owned(),
        "/back-office/documents/%FF".to_owned(),
        "/back-office/portal-requests/nope".to_owned(),
    ] {
        assert_styled_404(&caseworker.get(&path).await, &path);
    }
    // Posts too, with a good form token: only the id is wrong.
    let csrf = csrf_of(&shown);
    for path in [
        format!("/back-office/children/{child}/contacts/not-a-contact/remove"),
        format!("/back-office/children/{child}/portal-access/not-a-link/revoke"),
        "/back-office/invitations/not-an-invitation/withdraw".to_owned(),
    ] {
        let posted = caseworker.post_form(&path, &[("csrf_token", &csrf)]).await;
        assert_styled_404(&posted, &path);
    }
}

#[tokio::test]
async fn a_malformed_id_in_the_portal_gets_the_styled_404() {
    let app = TestApp::new().await;
    let mut parent = app.client();
    register(&app, &mut parent, "jo@example.com").await;
    for path in [
        "/children/not-an-id/dashboard".to_owned(),
        format!("/children/{LINE_BREAK}/messages"),
        "/messages/12345".to_owned(),
        "/documents/not-a-document".to_owned(),
    ] {
        assert_styled_404(&parent.get(&path).await, &path);
    }
}

#[tokio::test]
async fn a_malformed_link_token_gets_the_styled_404() {
    let app = TestApp::new().await;
    let mut visitor = app.client();
    let too_short = "ab".repeat(31);
    for path in [
        format!("/invitations/{LINE_BREAK}"),
        format!("/invitations/{}", "A".repeat(64)),
        "/staff/setup/not-a-real-link".to_owned(),
        format!("/staff/setup/{too_short}"),
        format!("/reset-password/{LINE_BREAK}"),
        "/reset-password/..%2F..%2Fhome".to_owned(),
    ] {
        assert_styled_404(&visitor.get(&path).await, &path);
    }
    let page = visitor.get("/sign-in").await;
    let csrf = csrf_of(&page);
    for path in [
        format!("/staff/setup/{too_short}"),
        format!("/reset-password/{LINE_BREAK}"),
    ] {
        let posted = visitor
            .post_form(
                &path,
                &[
                    ("csrf_token", &csrf),
                    ("password", PASSWORD),
                    ("confirm_password", PASSWORD),
                ],
            )
            .await;
        assert_styled_404(&posted, &path);
    }
    // A well-formed token that matches nothing still gets the link's own page.
    let unknown = visitor
        .get(&format!("/invitations/{}", "a".repeat(64)))
        .await;
    assert_eq!(unknown.status, StatusCode::OK, "signed out: the start page");
}

#[tokio::test]
async fn an_invitation_address_with_a_line_break_never_breaks_signing_in() {
    on_both_databases(async |app| {
        // Signing in after opening it: the portal home, not a server error.
        let mut someone = app.client();
        register(&app, &mut someone, "jo@example.com").await;
        let mut visitor = app.client();
        let opened = visitor.get(&format!("/invitations/{LINE_BREAK}")).await;
        assert_styled_404(&opened, "a line break as the token, signed out");
        sign_in_to(&app, &mut visitor, "jo@example.com", PASSWORD, "/home").await;
        let home = visitor.get("/home").await;
        assert_eq!(home.status, StatusCode::OK);

        // Registering after opening it: the same.
        let mut newcomer = app.client();
        let opened = newcomer
            .get(&format!("/invitations/{LINE_BREAK}Set-Cookie:%20x=y"))
            .await;
        assert_styled_404(&opened, "a header injected through the token");
        register_with(
            &app,
            &mut newcomer,
            &[("name", "Sam Newcomer"), ("email", "sam@example.com")],
            "/home",
        )
        .await;
    })
    .await;
}
