//! Health and readiness endpoints.

use http::StatusCode;

use crate::support::{TestApp, on_both_databases};

#[tokio::test]
async fn healthz_and_readyz_answer_200_on_both_databases() {
    on_both_databases(async |app: TestApp| {
        let mut client = app.client();
        let health = client.get("/healthz").await;
        assert_eq!(health.status, StatusCode::OK, "{:?}", app.engine);
        let ready = client.get("/readyz").await;
        assert_eq!(ready.status, StatusCode::OK, "{:?}", app.engine);
        assert_eq!(ready.body.trim(), "ready");
    })
    .await;
}

#[tokio::test]
async fn readyz_answers_503_when_the_database_is_unreachable_but_healthz_stays_up() {
    on_both_databases(async |app: TestApp| {
        app.close_database().await;
        let mut client = app.client();
        let ready = client.get("/readyz").await;
        assert_eq!(
            ready.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{:?}",
            app.engine
        );
        assert_eq!(
            ready.body, "database unavailable\n",
            "plain text for the load balancer, not the styled page"
        );
        assert_eq!(client.get("/healthz").await.status, StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = TestApp::new().await;
    let mut client = app.client();
    let first = client.get("/").await;
    let second = client.get("/nope").await;
    let id = |r: &crate::support::TestResponse| r.header("x-request-id").map(ToOwned::to_owned);
    let (Some(a), Some(b)) = (id(&first), id(&second)) else {
        panic!("missing x-request-id")
    };
    assert_ne!(a, b);
    assert!(uuid::Uuid::parse_str(&a).is_ok(), "{a}");
}

/// The request id in the logs is the portal's own: one a client sends is
/// replaced, so nobody can forge or repeat log entries' ids.
#[tokio::test]
async fn a_request_id_sent_by_the_client_is_replaced_by_the_portals_own() {
    let app = TestApp::new().await;
    let mut client = app.client();
    for path in ["/", "/healthz"] {
        let (_, headers, _) = client
            .get_bytes(path, &[("x-request-id", "chosen-by-the-client")])
            .await;
        let id = headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("{path}: missing x-request-id"));
        assert!(uuid::Uuid::parse_str(id).is_ok(), "{path}: {id}");
    }
}
