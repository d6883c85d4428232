//! Messages (MSG-1 to MSG-3): a portal user's conversations with the SEND team
//! about a child (`portal`), and the SEND team's side: a child's conversations,
//! the team inbox, holding, giving and handing over (`back_office`). Both draw a
//! conversation and take a reply alike (`shared`).

use crate::routes::Routes;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::csrf::MULTIPART_BODY_LIMIT;

mod back_office;
mod portal;
mod shared;

pub fn router() -> Routes {
    Routes::new()
        .route("/children/{id}/messages", get(portal::mailbox))
        .route(
            "/children/{id}/messages/new",
            get(portal::show_new)
                .post(portal::submit_new)
                .layer(DefaultBodyLimit::max(MULTIPART_BODY_LIMIT)),
        )
        .route("/messages/{thread}", get(portal::thread))
        .route(
            "/messages/{thread}/reply",
            get(portal::show_reply)
                .post(portal::submit_reply)
                .layer(DefaultBodyLimit::max(MULTIPART_BODY_LIMIT)),
        )
        .route("/back-office/messages", get(back_office::team_inbox))
        .route(
            "/back-office/messages/hand-over",
            post(back_office::hand_over),
        )
        .route("/back-office/messages/{id}", get(back_office::thread))
        .route(
            "/back-office/messages/{id}/reply",
            post(back_office::reply).layer(DefaultBodyLimit::max(MULTIPART_BODY_LIMIT)),
        )
        .route("/back-office/messages/{id}/hold", post(back_office::hold))
        .route("/back-office/messages/{id}/give", post(back_office::give))
        .route(
            "/back-office/children/{id}/messages",
            get(back_office::child_messages),
        )
}
