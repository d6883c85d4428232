//! The citizen and professional portal's messages. Every page
//! about a child asks `App::authorise_portal` (through the use case) on every
//! request.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use send_app::App;

use crate::csrf::MULTIPART_BODY_LIMIT;

pub(crate) mod messages;

pub fn router() -> Router<App> {
    Router::new()
        .route("/children/{id}/messages", get(messages::mailbox))
        .route(
            "/children/{id}/messages/new",
            get(messages::show_new)
                .post(messages::submit_new)
                .layer(DefaultBodyLimit::max(MULTIPART_BODY_LIMIT)),
        )
        .route("/messages/{thread}", get(messages::thread))
        .route(
            "/messages/{thread}/reply",
            get(messages::show_reply)
                .post(messages::submit_reply)
                .layer(DefaultBodyLimit::max(MULTIPART_BODY_LIMIT)),
        )
}
