//! Forms pages: the builder in the back office (`builder`), giving a form to a
//! child's portal users (`assign`), filling one in from the portal (`filling`),
//! and reading submissions (`submissions`). `question` draws one question as
//! the person filling it in sees it (the builder's preview uses it).

use axum::Router;
use send_app::App;

mod builder;
pub mod question;

/// Every forms page.
pub fn router() -> Router<App> {
    Router::new().merge(builder::router())
}
