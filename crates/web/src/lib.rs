//! The web layer: axum routes, extractors, askama templates. HTTP ends here.
//!
//! Each area has a module exposing `router()`; [`router`] merges them, adds the
//! fallback 404 page and wraps everything in the layers every response passes
//! through (request id, tracing, panic catching, security headers).

use axum::Router;
use send_app::App;

pub mod accounts;
mod admin;
mod advice;
mod assets;
mod audit;
mod back_office;
mod cases;
mod chrome;
mod client;
pub mod components;
mod configuration;
mod council_texts;
pub mod csrf;
mod deadlines;
mod demo_mail;
mod documents;
mod errors;
mod forms;
mod health;
mod incoming_forms;
mod involvements;
mod layers;
mod message_types;
mod messages;
mod notifications;
mod pages;
pub mod paths;
mod people;
mod portal_access;
pub mod question_page;
mod routes;
mod security;
pub mod sessions;
mod staff_setup;
mod user_agent;

pub use errors::WebError;

/// The whole portal as one axum router.
pub fn router(app: App) -> Router {
    router_with(app, Router::new())
}

/// The portal with extra routes merged in before the layers are applied; the tests
/// use this to add routes that fail on purpose.
pub fn router_with(app: App, extra: Router<App>) -> Router {
    let routes = session_routes()
        .into_router()
        .merge(extra)
        .fallback(errors::not_found)
        .method_not_allowed_fallback(errors::method_not_allowed);
    // Assets and health checks never touch a session: no session read or
    // write for them, and no session cookie on a publicly cacheable response.
    layers::apply(routes, sessionless_routes().into_router(), app)
}

/// Every path pattern the portal registers (`/back-office/children/{id}`, …),
/// from the same registration [`router_with`] builds the router from: the
/// authorization matrix test tries each of them.
pub fn route_paths() -> Vec<String> {
    let mut paths = session_routes().paths().to_vec();
    paths.extend_from_slice(sessionless_routes().paths());
    paths
}

/// Every area's routes, which run inside the sessions layer.
fn session_routes() -> routes::Routes {
    routes::Routes::new()
        .merge(pages::router())
        .merge(staff_setup::router())
        .merge(accounts::router())
        .merge(cases::router())
        .merge(involvements::router())
        .merge(portal_access::router())
        .merge(messages::router())
        .merge(documents::router())
        .merge(forms::router())
        .merge(incoming_forms::router())
        .merge(advice::router())
        .merge(admin::router())
        .merge(people::router())
        .merge(configuration::router())
        .merge(audit::router())
        .merge(notifications::router())
        .merge(council_texts::router())
        .merge(message_types::router())
        .merge(deadlines::router())
        .merge(demo_mail::router())
}

/// Assets and health checks, which read and write no session.
fn sessionless_routes() -> routes::Routes {
    routes::Routes::new()
        .merge(health::router())
        .merge(assets::router())
}
