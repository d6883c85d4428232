//! Server-side sessions and the form token, through test routes that use the
//! same extractors the real pages use.

use axum::Router;
use axum::routing::get;
use http::StatusCode;
use send_app::App;
use send_app::tokens::hash_token;
use send_domain::{Clock, SessionRecord};
use send_web::WebError;
use send_web::csrf::{self, CsrfForm};
use send_web::sessions::{ACCOUNT_KEY, COOKIE_NAME, HOST_COOKIE_NAME};
use serde::Deserialize;
use time::Duration;
use tower_sessions::Session;

use crate::support::{TestApp, TestClient, on_both_databases};

#[derive(Deserialize)]
struct Echo {
    name: String,
}

async fn form_token(session: Session) -> Result<String, WebError> {
    csrf::token(&session).await
}

async fn post_form(CsrfForm(echo): CsrfForm<Echo>) -> String {
    format!("hello {}", echo.name)
}

async fn sign_in(session: Session) -> Result<&'static str, WebError> {
    session
        .cycle_id()
        .await
        .map_err(|e| WebError::Internal(Box::new(e)))?;
    session
        .insert(ACCOUNT_KEY, "0192b0a4-0000-7000-8000-000000000001")
        .await
        .map_err(|e| WebError::Internal(Box::new(e)))?;
    Ok("signed in")
}

async fn whoami(session: Session) -> Result<String, WebError> {
    let account: Option<String> = session
        .get(ACCOUNT_KEY)
        .await
        .map_err(|e| WebError::Internal(Box::new(e)))?;
    Ok(account.unwrap_or_else(|| "nobody".to_owned()))
}

fn routes() -> Router<App> {
    Router::new()
        .route("/test/form", get(form_token).post(post_form))
        .route("/test/sign-in", get(sign_in))
        .route("/test/whoami", get(whoami))
}

async fn app_on(builder: crate::support::TestAppBuilder) -> Option<TestApp> {
    builder.with_routes(routes()).build().await
}

fn session_cookie(response: &crate::support::TestResponse) -> Option<String> {
    named_cookie(response, COOKIE_NAME)
}

fn named_cookie(response: &crate::support::TestResponse, name: &str) -> Option<String> {
    response
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(ToOwned::to_owned)
}

fn cookie_value(set_cookie: &str) -> String {
    set_cookie
        .split(';')
        .next()
        .and_then(|pair| pair.split_once('='))
        .map(|(_, v)| v.to_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_session_cookie_is_http_only_same_site_lax_and_secure_over_https() {
    let app = app_on(TestApp::builder())
        .await
        .unwrap_or_else(|| unreachable!());
    let response = app.client().get("/test/form").await;
    let cookie = session_cookie(&response).unwrap_or_else(|| panic!("no session cookie"));
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "plain http on localhost: {cookie}"
    );

    let https = app_on(TestApp::builder().base_url("https://send.example.gov.uk"))
        .await
        .unwrap_or_else(|| unreachable!());
    let cookie = named_cookie(&https.client().get("/test/form").await, HOST_COOKIE_NAME)
        .unwrap_or_else(|| panic!("no session cookie"));
    assert!(
        cookie.contains("Secure") && cookie.contains("HttpOnly"),
        "{cookie}"
    );

    let plain_page = app.client().get("/").await;
    assert_eq!(
        session_cookie(&plain_page),
        None,
        "no session for a visitor who needs none"
    );
}

/// The attributes of a `Set-Cookie` value after its name and value, lower-cased.
fn attributes(set_cookie: &str) -> Vec<String> {
    set_cookie
        .split(';')
        .skip(1)
        .map(|a| a.trim().to_lowercase())
        .collect()
}

#[tokio::test]
async fn over_https_the_session_cookie_is_a_host_cookie_and_over_http_keeps_its_name() {
    let https = app_on(TestApp::builder().base_url("https://send.example.gov.uk"))
        .await
        .unwrap_or_else(|| unreachable!());
    let mut client = https.client();
    let first = client.get("/test/form").await;
    assert_eq!(HOST_COOKIE_NAME, "__Host-send_portal_session");
    assert_eq!(
        session_cookie(&first),
        None,
        "not the plain name over https"
    );
    let cookie = named_cookie(&first, HOST_COOKIE_NAME)
        .unwrap_or_else(|| panic!("no __Host- cookie: {:?}", first.headers));
    // What browsers demand of a __Host- cookie: Secure, Path=/ and no Domain.
    let attributes = attributes(&cookie);
    assert!(attributes.contains(&"secure".to_owned()), "{cookie}");
    assert!(attributes.contains(&"path=/".to_owned()), "{cookie}");
    assert!(
        !attributes.iter().any(|a| a.starts_with("domain")),
        "{cookie}"
    );
    assert!(attributes.contains(&"httponly".to_owned()), "{cookie}");
    // The session it names works as any other.
    let token = first.body.clone();
    let posted = client
        .post_form("/test/form", &[("csrf_token", &token), ("name", "Sam")])
        .await;
    assert_eq!(posted.status, StatusCode::OK);

    let http = app_on(TestApp::builder())
        .await
        .unwrap_or_else(|| unreachable!());
    let plain = http.client().get("/test/form").await;
    assert_eq!(COOKIE_NAME, "send_portal_session");
    assert!(session_cookie(&plain).is_some(), "{:?}", plain.headers);
    assert_eq!(named_cookie(&plain, HOST_COOKIE_NAME), None);
}

#[tokio::test]
async fn a_form_post_needs_the_sessions_token() {
    for engine in [
        crate::support::Engine::Sqlite,
        crate::support::Engine::Postgres,
    ] {
        let Some(app) = app_on(TestApp::builder().on(engine)).await else {
            continue;
        };
        let mut client = app.client();
        let token = client.get("/test/form").await.body;

        let good = client
            .post_form("/test/form", &[("csrf_token", &token), ("name", "Sam")])
            .await;
        assert_eq!(good.status, StatusCode::OK, "{engine:?}");
        assert_eq!(good.body, "hello Sam");

        let missing = client.post_form("/test/form", &[("name", "Sam")]).await;
        assert_eq!(missing.status, StatusCode::FORBIDDEN, "{engine:?}");
        assert!(!missing.body.contains("hello"));
        let wrong = client
            .post_form("/test/form", &[("csrf_token", "0000"), ("name", "Sam")])
            .await;
        assert_eq!(wrong.status, StatusCode::FORBIDDEN, "{engine:?}");

        // A token from another visitor's session is no good in this one.
        let mut other = app.client();
        let other_token = other.get("/test/form").await.body;
        let forged = client
            .post_form(
                "/test/form",
                &[("csrf_token", &other_token), ("name", "Sam")],
            )
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN, "{engine:?}");

        // No session at all.
        let mut stranger = TestClient::new(app.router.clone());
        let none = stranger
            .post_form("/test/form", &[("csrf_token", &token), ("name", "Sam")])
            .await;
        assert_eq!(none.status, StatusCode::FORBIDDEN, "{engine:?}");
    }
}

#[tokio::test]
async fn signing_in_gives_a_new_session_id_and_the_old_one_stops_working() {
    on_both_databases(async |app: TestApp| {
        let app = app_on(TestApp::builder().on(app.engine))
            .await
            .unwrap_or_else(|| unreachable!());
        let mut client = app.client();
        let before = session_cookie(&client.get("/test/form").await).unwrap_or_default();
        let signed_in = client.get("/test/sign-in").await;
        let after = session_cookie(&signed_in).unwrap_or_default();
        assert_ne!(
            cookie_value(&before),
            cookie_value(&after),
            "{:?}",
            app.engine
        );
        assert_eq!(
            client.get("/test/whoami").await.body,
            "0192b0a4-0000-7000-8000-000000000001"
        );

        // Only a hash of the id is stored, and the old id finds nothing.
        let store = &app.app.store;
        let stored = store
            .load_session(&hash_token(&cookie_value(&after)))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            stored.is_some_and(|s| s.account_id.is_some()),
            "{:?}",
            app.engine
        );
        let old = store
            .load_session(&hash_token(&cookie_value(&before)))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(old, None, "{:?}", app.engine);
    })
    .await;
}

#[tokio::test]
async fn a_session_ends_after_30_idle_minutes() {
    let app = app_on(TestApp::builder())
        .await
        .unwrap_or_else(|| unreachable!());
    let mut client = app.client();
    client.get("/test/sign-in").await;
    app.clock.advance(Duration::minutes(29));
    assert_ne!(
        client.get("/test/whoami").await.body,
        "nobody",
        "29 minutes idle: still signed in"
    );
    app.clock.advance(Duration::minutes(30));
    assert_eq!(
        client.get("/test/whoami").await.body,
        "nobody",
        "30 minutes idle: ended"
    );
}

#[tokio::test]
async fn a_session_ends_12_hours_after_it_began_however_active() {
    let app = app_on(TestApp::builder())
        .await
        .unwrap_or_else(|| unreachable!());
    let mut client = app.client();
    client.get("/test/sign-in").await;
    for _ in 0..35 {
        app.clock.advance(Duration::minutes(20));
        assert_ne!(client.get("/test/whoami").await.body, "nobody");
    }
    // 11 h 40 min so far; the next request, at 12 h, finds the session ended.
    app.clock.advance(Duration::minutes(20));
    assert_eq!(client.get("/test/whoami").await.body, "nobody");
}

/// Every `Set-Cookie` header of a response.
fn cookies_set(response: &crate::support::TestResponse) -> Vec<String> {
    response
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(ToOwned::to_owned)
        .collect()
}

#[tokio::test]
async fn assets_and_health_checks_never_carry_the_session_cookie() {
    let app = TestApp::new().await;
    let mut client = app.client();
    crate::accounts::register(&app, &mut client, "cached@example.com").await;
    // Signed in: a page carries the session as usual.
    assert_eq!(client.get("/home").await.status, StatusCode::OK);
    app.clock.advance(Duration::minutes(5));
    let page = client.get("/home").await;
    let start = page
        .body
        .find("/assets/app.css?v=")
        .unwrap_or_else(|| panic!("no stylesheet link"));
    let end = start
        + page.body[start..]
            .find('"')
            .unwrap_or_else(|| panic!("unterminated link"));
    let stylesheet = page.body[start..end].to_owned();
    for path in [stylesheet.as_str(), "/healthz", "/readyz"] {
        let response = client.get(path).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        assert!(
            cookies_set(&response).is_empty(),
            "{path} sets no cookie: {:?}",
            cookies_set(&response)
        );
    }
    let asset = client.get(&stylesheet).await;
    assert!(
        asset
            .header("cache-control")
            .is_some_and(|c| c.contains("public")),
        "the stylesheet is publicly cacheable"
    );
    // And the session still works on the next page.
    assert_eq!(client.get("/home").await.status, StatusCode::OK);
}

/// The stored record of the session `client` holds.
async fn stored_session(app: &TestApp, client: &TestClient) -> Option<SessionRecord> {
    let id = client.cookie(COOKIE_NAME)?;
    app.app
        .store
        .load_session(&hash_token(id))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn reading_a_signed_in_session_writes_nothing_until_its_activity_is_a_minute_old() {
    on_both_databases(async |app: TestApp| {
        let engine = app.engine;
        let mut client = app.client();
        crate::accounts::register(&app, &mut client, "quiet@example.com").await;
        assert_eq!(client.get("/home").await.status, StatusCode::OK);
        let before = stored_session(&app, &client)
            .await
            .unwrap_or_else(|| panic!("no session"));

        // Two pages in a row, seconds apart: the session row is not written.
        for _ in 0..2 {
            app.clock.advance(Duration::seconds(20));
            let page = client.get("/home").await;
            assert_eq!(page.status, StatusCode::OK, "{engine:?}");
            assert!(
                cookies_set(&page).is_empty(),
                "{engine:?}: the cookie is not sent again: {:?}",
                cookies_set(&page)
            );
        }
        assert_eq!(
            stored_session(&app, &client).await.as_ref(),
            Some(&before),
            "{engine:?}: nothing written for pages that change nothing"
        );

        // A minute after the last recorded activity, the next page records it.
        app.clock.advance(Duration::seconds(20));
        assert_eq!(client.get("/home").await.status, StatusCode::OK);
        let touched = stored_session(&app, &client)
            .await
            .unwrap_or_else(|| panic!("no session"));
        assert_eq!(touched.last_seen_at, app.clock.now(), "{engine:?}");
        assert_eq!(touched.data, before.data, "{engine:?}");

        // Ending the account's sessions elsewhere takes effect on the next request.
        let kept = client.clone();
        let account = before.account_id.unwrap_or_else(|| panic!("signed in"));
        app.app
            .store
            .delete_sessions_of_account(account, None)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let refused = client.get("/home").await;
        assert_eq!(refused.status, StatusCode::SEE_OTHER, "{engine:?}");
        assert_eq!(refused.header("location"), Some("/sign-in"), "{engine:?}");

        // Signing out, too: the old cookie finds nothing on the very next request.
        let mut again = kept;
        crate::accounts::sign_in(
            &app,
            &mut again,
            "quiet@example.com",
            crate::accounts::PASSWORD,
        )
        .await;
        let mut replay = again.clone();
        let out = crate::accounts::submit(&mut again, "/home", "/sign-out", &[]).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER, "{engine:?}");
        assert_eq!(
            replay.get("/home").await.header("location"),
            Some("/sign-in"),
            "{engine:?}"
        );
    })
    .await;
}
