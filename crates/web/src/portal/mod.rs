//! The citizen and professional portal around a child's case: accepting an
//! invitation, the SEND Dashboard, and a professional's "Add a child I work
//! with". Every page about a child asks `App::authorise_portal` (through the use
//! case) on every request.

use axum::Router;
use axum::routing::get;
use send_app::App;

mod add_child;
mod dashboard;
mod invitation;

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
}
