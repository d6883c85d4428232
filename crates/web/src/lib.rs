//! The web layer: axum routes, extractors, askama templates. HTTP ends here.
//!
//! Each area has a module exposing `router()`; [`router`] merges them, adds the
//! fallback 404 page and wraps everything in the layers every response passes
//! through (request id, tracing, panic catching, security headers).

use axum::Router;
use send_app::App;

pub mod accounts;
mod assets;
mod back_office;
mod chrome;
mod client;
pub mod components;
pub mod csrf;
mod deadlines;
mod demo_mail;
mod errors;
pub mod forms;
mod health;
mod layers;
mod pages;
pub mod paths;
mod portal;
mod security;
pub mod sessions;
mod staff_setup;

pub use errors::WebError;

/// The whole portal as one axum router.
pub fn router(app: App) -> Router {
    router_with(app, Router::new())
}

/// The portal with extra routes merged in before the layers are applied; the tests
/// use this to add routes that fail on purpose.
pub fn router_with(app: App, extra: Router<App>) -> Router {
    let routes = Router::new()
        .merge(pages::router())
        .merge(health::router())
        .merge(assets::router())
        .merge(staff_setup::router())
        .merge(accounts::router())
        .merge(back_office::router())
        .merge(portal::router())
        .merge(deadlines::router())
        .merge(demo_mail::router())
        .merge(extra)
        .fallback(errors::not_found)
        .method_not_allowed_fallback(errors::method_not_allowed);
    layers::apply(routes, app)
}
