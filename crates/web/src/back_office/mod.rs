//! The council's back office: children's records, their chronology and (as they
//! land) involvements, caseloads and administration. Every page needs a staff
//! account; everyone else gets the 404 page, so the back office does not show
//! itself to portal users.

use axum::Router;
use axum::extract::FromRequestParts;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use http::request::Parts;
use send_app::App;
use send_domain::StaffAccess;

use crate::accounts::SignedIn;
use crate::cases;
use crate::errors::WebError;
use crate::involvements;

mod admin;

pub fn router() -> Router<App> {
    Router::new()
        .route("/back-office", get(cases::home))
        .route("/back-office/children", get(cases::search))
        .route(
            "/back-office/children/new",
            get(cases::show_new).post(cases::submit_new),
        )
        .route("/back-office/children/{id}", get(cases::show))
        .route(
            "/back-office/children/{id}/edit",
            get(cases::show_edit).post(cases::submit_edit),
        )
        .route(
            "/back-office/children/{id}/chronology",
            get(cases::chronology),
        )
        .route(
            "/back-office/children/{id}/contacts/new",
            get(cases::show_new_contact).post(cases::submit_new_contact),
        )
        .route(
            "/back-office/children/{id}/contacts/{contact}/remove",
            post(cases::remove_contact),
        )
        .route(
            "/back-office/children/{id}/involvements/new",
            get(involvements::show_new).post(involvements::submit_new),
        )
        .route("/back-office/involvements/{id}", get(involvements::show))
        .route(
            "/back-office/involvements/{id}/stage",
            post(involvements::submit_stage),
        )
        .route(
            "/back-office/involvements/{id}/exceptions",
            post(involvements::submit_exception),
        )
        .route(
            "/back-office/involvements/{id}/reviews",
            post(involvements::submit_review),
        )
        .route(
            "/back-office/involvements/{id}/amended-plan",
            post(involvements::submit_amended),
        )
        .route("/back-office/caseload", get(involvements::caseload))
        .route("/back-office/admin", get(admin::overview))
        .route(
            "/back-office/admin/invite",
            get(admin::show_invite).post(admin::submit_invite),
        )
        .route(
            "/back-office/admin/milestones/new",
            get(admin::show_milestone).post(admin::submit_milestone),
        )
        .route(
            "/back-office/admin/milestones/{code}/remove",
            post(admin::remove_milestone),
        )
        .route(
            "/back-office/admin/teams/new",
            get(admin::show_team).post(admin::submit_team),
        )
        .route(
            "/back-office/admin/groups/new",
            get(admin::show_group).post(admin::submit_group),
        )
        .route(
            "/back-office/admin/holidays/new",
            get(admin::show_holiday).post(admin::submit_holiday),
        )
}

/// A signed-in member of staff and what they may do.
#[derive(Debug)]
pub struct Staff {
    pub signed_in: SignedIn,
    pub access: StaffAccess,
}

impl FromRequestParts<App> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let signed_in = SignedIn::from_request_parts(parts, app).await?;
        let access = app
            .staff_access(signed_in.account.id)
            .await
            .map_err(|err| WebError::from(err).into_response())?;
        match access {
            Some(access) => Ok(Self { signed_in, access }),
            None => Err(WebError::NotFound.into_response()),
        }
    }
}
