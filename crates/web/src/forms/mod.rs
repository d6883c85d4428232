//! Forms pages: the builder in the back office (`builder`), giving a form to a
//! child's portal users (`assign`), filling one in from the portal (`filling`),
//! and reading submissions (`submissions`).

mod filling;
mod questions;

use axum::Router;
use send_app::App;

/// Every forms page.
pub fn router() -> Router<App> {
    Router::new().merge(filling::router())
}
