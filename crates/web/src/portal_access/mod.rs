//! Portal access (LNK-1 to LNK-5, CASE-4): how a person comes to see a child's
//! case and what they see first. The portal's pages (accepting an invitation, the
//! SEND Dashboard, a professional's "Add a child I work with") ask
//! `App::authorise_portal` (through the use case) on every request; the back
//! office's pages (a child's Portal access page, the invitation steps, Portal
//! requests) need a staff account.

use crate::routes::Routes;
use axum::routing::{get, post};

mod add_child;
mod back_office;
mod dashboard;
mod invitation;
mod requests;

pub fn router() -> Routes {
    Routes::new()
        .route(
            "/invitations/{token}",
            get(invitation::show).post(invitation::confirm),
        )
        .route("/invitations/{token}/submit", post(invitation::submit))
        .route("/children/{id}/dashboard", get(dashboard::show))
        .route(
            "/children/add",
            get(add_child::show).post(add_child::submit),
        )
        .route(
            "/back-office/children/{id}/portal-access",
            get(back_office::show),
        )
        .route(
            "/back-office/children/{id}/portal-access/{link}/revoke",
            get(back_office::show_revoke).post(back_office::revoke),
        )
        .route(
            "/back-office/children/{id}/portal-access/{link}/grant",
            post(back_office::grant),
        )
        .route(
            "/back-office/children/{id}/invitations/new",
            get(back_office::show_invite).post(back_office::submit_invite),
        )
        .route(
            "/back-office/invitations/{id}/verify",
            get(back_office::show_verify).post(back_office::submit_verify),
        )
        .route(
            "/back-office/invitations/{id}/send-link",
            post(back_office::send_link),
        )
        .route(
            "/back-office/invitations/{id}/withdraw",
            post(back_office::withdraw),
        )
        .route(
            "/back-office/invitations/{id}/confirm",
            post(back_office::confirm),
        )
        .route(
            "/back-office/invitations/{id}/decline",
            get(back_office::show_decline).post(back_office::submit_decline),
        )
        .route("/back-office/portal-requests", get(requests::list))
        .route("/back-office/portal-requests/{id}", get(requests::show))
        .route(
            "/back-office/portal-requests/{id}/match",
            post(requests::submit_match),
        )
        .route(
            "/back-office/portal-requests/{id}/decline",
            get(requests::show_decline).post(requests::submit_decline),
        )
}
