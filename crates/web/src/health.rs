//! Operational endpoints for load balancers and monitoring.

use crate::routes::Routes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::StatusCode;
use send_app::App;
use send_app::error::ErrorChain;

use crate::errors::PlainText;

pub fn router() -> Routes {
    Routes::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// The process is up and answering.
async fn healthz() -> impl IntoResponse {
    (StatusCode::OK, "ok\n")
}

/// The portal can reach its database.
async fn readyz(State(app): State<App>) -> Response {
    match app.check_ready().await {
        Ok(()) => (StatusCode::OK, "ready\n").into_response(),
        Err(err) => {
            tracing::error!(error = %ErrorChain(&err), "readiness check failed");
            // For the load balancer, not a person: plain text, not the styled page.
            let mut response =
                (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response();
            response.extensions_mut().insert(PlainText);
            response
        }
    }
}
