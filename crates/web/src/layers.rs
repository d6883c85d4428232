//! The layers every request and response pass through, outermost first:
//! the client's request id dropped → the portal's request id → tracing span → security headers → error pages → panic catcher →
//! sessions → who is signed in (for the error pages' header). The sessionless
//! routes (assets, health checks) skip the last two: they read and write no
//! session and never set its cookie.

use axum::Router;
use axum::body::Body;
use axum::extract::MatchedPath;
use axum::middleware;
use http::{HeaderName, Request};
use send_app::App;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::{errors, security};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub fn apply(routes: Router<App>, sessionless: Router<App>, app: App) -> Router {
    routes
        .layer(middleware::from_fn_with_state(
            app.clone(),
            errors::note_who_is_signed_in,
        ))
        .layer(crate::sessions::layer(&app))
        .merge(sessionless)
        .layer(
            ServiceBuilder::new()
                .layer(middleware::map_request(forget_clients_request_id))
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(|request: &Request<_>| {
                            let request_id = request
                                .headers()
                                .get(REQUEST_ID)
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or("-");
                            // The route's pattern, not the path: paths and query strings
                            // may carry single-use tokens, which must never be logged.
                            let route = request
                                .extensions()
                                .get::<MatchedPath>()
                                .map_or("(no route)", MatchedPath::as_str);
                            tracing::info_span!(
                                "request",
                                request_id = %request_id,
                                method = %request.method(),
                                route = %route,
                            )
                        })
                        .on_response(DefaultOnResponse::new().level(Level::INFO)),
                )
                .layer(PropagateRequestIdLayer::new(REQUEST_ID))
                .layer(middleware::from_fn_with_state(
                    app.clone(),
                    security::headers,
                ))
                .layer(middleware::from_fn_with_state(
                    app.clone(),
                    errors::render_error_pages,
                ))
                .layer(CatchPanicLayer::custom(errors::panic_response)),
        )
        .with_state(app)
}

/// The request id is always the portal's own: one sent by the client would go
/// into the logs unchecked (forged or repeated ids), so it is dropped first.
async fn forget_clients_request_id(mut request: Request<Body>) -> Request<Body> {
    request.headers_mut().remove(REQUEST_ID);
    request
}
