//! Security headers on every response.

use axum::Router;
use axum::response::IntoResponse;
use axum::routing::get;
use http::header;
use send_app::App;
use send_web::WebError;
use tower_sessions::Session;

use crate::support::{TestApp, TestResponse};

fn assert_security_headers(response: &TestResponse, what: &str) {
    let csp = response
        .header("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no CSP"));
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{what}: {csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert_eq!(
        response.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(
        response.header("referrer-policy"),
        Some("no-referrer"),
        "{what}"
    );
    assert_eq!(response.header("x-frame-options"), Some("DENY"), "{what}");
}

#[tokio::test]
async fn every_kind_of_response_carries_the_security_headers() {
    let app = TestApp::new().await;
    let mut client = app.client();
    for path in [
        "/",
        "/cookies",
        "/healthz",
        "/readyz",
        "/no-such-page",
        "/assets/app.css",
        "/staff/setup/0000000000000000000000000000000000000000000000000000000000000000",
    ] {
        let response = client.get(path).await;
        assert_security_headers(&response, path);
        assert_eq!(
            response.header("strict-transport-security"),
            None,
            "{path}: no HSTS over http"
        );
    }
}

#[tokio::test]
async fn pages_are_never_cached_but_assets_are() {
    let app = TestApp::new().await;
    let mut client = app.client();
    assert_eq!(
        client.get("/").await.header("cache-control"),
        Some("no-store")
    );
    let css = client.get("/assets/app.css").await;
    assert!(
        css.header("cache-control")
            .is_some_and(|c| c.contains("immutable"))
    );
}

#[tokio::test]
async fn hsts_is_sent_when_the_portal_is_served_over_https() {
    let app = TestApp::builder()
        .base_url("https://send.example.gov.uk")
        .build()
        .await
        .unwrap_or_else(|| unreachable!());
    let response = app.client().get("/").await;
    assert_security_headers(&response, "/");
    assert!(
        response
            .header("strict-transport-security")
            .is_some_and(|h| h.starts_with("max-age=31536000"))
    );
}

/// A page that says it may be cached publicly and also starts a session (a
/// mistake a future route could make).
async fn cacheable_with_a_session(session: Session) -> Result<impl IntoResponse, WebError> {
    session
        .insert("seen", true)
        .await
        .map_err(|e| WebError::Internal(Box::new(e)))?;
    Ok((
        [(header::CACHE_CONTROL, "public, max-age=3600")],
        "cacheable",
    ))
}

#[tokio::test]
async fn a_response_that_sets_a_cookie_is_never_publicly_cacheable() {
    let routes: Router<App> = Router::new().route("/test/cacheable", get(cacheable_with_a_session));
    let app = TestApp::builder()
        .with_routes(routes)
        .build()
        .await
        .unwrap_or_else(|| unreachable!());
    let response = app.client().get("/test/cacheable").await;
    assert!(
        response.header("set-cookie").is_some(),
        "the session cookie is set"
    );
    assert_eq!(response.header("cache-control"), Some("no-store"));
}
