//! Unknown pages and internal errors get the styled pages, never internals.

use axum::Router;
use axum::extract::Query;
use axum::routing::get;
use http::StatusCode;
use send_app::App;
use send_web::WebError;

use crate::support::{COUNCIL, TestApp};

const SECRET_CAUSE: &str = "connection to db-secret-host refused with password hunter2";

async fn failing() -> Result<String, WebError> {
    Err(WebError::Internal(SECRET_CAUSE.into()))
}

async fn panicking() -> String {
    panic!("{SECRET_CAUSE}")
}

/// A bare 500 with no page, as the session layer answers when it cannot save.
async fn bare_server_error() -> StatusCode {
    StatusCode::INTERNAL_SERVER_ERROR
}

#[derive(serde::Deserialize)]
struct Numbered {
    #[expect(dead_code, reason = "only its parsing matters")]
    page: u32,
}

/// A query string axum parses itself: a malformed one is its plain-text 400.
async fn numbered(_: Query<Numbered>) -> &'static str {
    "numbered"
}

async fn app_with_failing_routes() -> TestApp {
    let routes: Router<App> = Router::new()
        .route("/test/fail", get(failing))
        .route("/test/panic", get(panicking))
        .route("/test/bare", get(bare_server_error))
        .route("/test/numbered", get(numbered));
    TestApp::builder()
        .with_routes(routes)
        .build()
        .await
        .unwrap_or_else(|| unreachable!())
}

#[tokio::test]
async fn an_unknown_path_gets_the_styled_404_page() {
    let app = TestApp::new().await;
    let page = app.client().get("/no/such/page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(page.h1(), "Page not found");
    assert!(
        page.body.contains("govuk-footer"),
        "inside the portal's layout"
    );
    assert!(page.body.contains(COUNCIL));
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
}

#[tokio::test]
async fn opening_a_form_only_address_gets_the_styled_405_page() {
    let app = TestApp::new().await;
    let page = app.client().get("/sign-out").await;
    assert_eq!(page.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(page.h1(), "This page cannot be opened that way");
    assert!(
        page.body.contains("govuk-footer"),
        "inside the portal's layout"
    );
    assert!(
        page.header("allow")
            .is_some_and(|allow| allow.contains("POST")),
        "the Allow header is kept"
    );
}

#[tokio::test]
async fn an_internal_error_gets_the_styled_500_page_with_no_internals() {
    let app = app_with_failing_routes().await;
    let page = app.client().get("/test/fail").await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(page.h1(), "Sorry, there is a problem with the service");
    assert!(page.body.contains("govuk-footer"));
    assert!(!page.body.contains("hunter2") && !page.body.contains("db-secret-host"));
}

#[tokio::test]
async fn a_panic_gets_the_same_styled_500_page() {
    let app = app_with_failing_routes().await;
    let page = app.client().get("/test/panic").await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(page.h1(), "Sorry, there is a problem with the service");
    assert!(!page.body.contains("hunter2"));
    // The server goes on serving after a panic.
    assert_eq!(app.client().get("/").await.status, StatusCode::OK);
}

#[tokio::test]
async fn an_error_response_nobody_marked_still_gets_a_styled_page() {
    let app = app_with_failing_routes().await;
    let mut client = app.client();
    let bare = client.get("/test/bare").await;
    assert_eq!(bare.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(bare.h1(), "Sorry, there is a problem with the service");
    assert!(bare.body.contains("govuk-footer"), "inside the layout");

    let malformed = client.get("/test/numbered?page=%0D%0A").await;
    assert_eq!(malformed.status, StatusCode::NOT_FOUND);
    assert_eq!(malformed.h1(), "Page not found");
    assert!(
        !malformed.body.contains("deserialize"),
        "no framework message: {}",
        malformed.body
    );
    assert_eq!(client.get("/test/numbered?page=2").await.body, "numbered");

    // A path asked for with a method it does not answer, outside the sessions.
    let posted = client.post_form("/healthz", &[]).await;
    assert_eq!(posted.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(posted.h1(), "This page cannot be opened that way");

    // The health check stays plain text for the load balancer.
    assert_eq!(client.get("/healthz").await.body, "ok\n");
}
