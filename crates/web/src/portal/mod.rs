//! The citizen and professional portal around a child's case: accepting an
//! invitation, the SEND Dashboard, and a professional's "Add a child I work
//! with". Every page about a child asks `App::authorise_portal` (through the use
//! case) on every request.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use send_app::App;

use crate::csrf::MULTIPART_BODY_LIMIT;

mod add_child;
mod dashboard;
mod invitation;
pub(crate) mod messages;

pub fn router() -> Router<App> {
    Router::new()
        .route(
            "/invitations/{token}",
            get(invitation::show).post(invitation::confirm),
        )
        .route(
            "/invitations/{token}/submit",
            axum::routing::post(invitation::submit),
        )
        .route("/children/{id}/dashboard", get(dashboard::show))
        .route(
            "/children/add",
            get(add_child::show).post(add_child::submit),
        )
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
        .route("/children/{id}/documents", get(messages::documents))
        .route("/documents/{id}", get(messages::download))
}
