//! Operational endpoints for load balancers and monitoring.

use axum::Router;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::routing::get;
use http::StatusCode;
use send_app::App;
use send_app::error::ErrorChain;

pub fn router() -> Router<App> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// The process is up and answering.
async fn healthz() -> impl IntoResponse {
    (StatusCode::OK, "ok\n")
}

/// The portal can reach its database.
async fn readyz(State(app): State<App>) -> impl IntoResponse {
    match app.check_ready().await {
        Ok(()) => (StatusCode::OK, "ready\n"),
        Err(err) => {
            tracing::error!(error = %ErrorChain(&err), "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")
        }
    }
}
