//! Incoming forms in the back office (FRM-5): the processing area (`list`),
//! one submission with its match, candidates and differences (`submission`),
//! and the steps that settle it (`steps`: confirm or choose a child, create
//! one from the submitted details, reject with a message, import).

mod list;
mod steps;
mod submission;

use crate::routes::Routes;
use axum::routing::{get, post};

/// Every incoming-forms page.
pub fn router() -> Routes {
    Routes::new()
        .route("/back-office/incoming-forms", get(list::show))
        .route("/back-office/incoming-forms/{id}", get(submission::show))
        .route(
            "/back-office/incoming-forms/{id}/match",
            post(steps::confirm),
        )
        .route(
            "/back-office/incoming-forms/{id}/reject",
            get(steps::show_reject).post(steps::reject),
        )
        .route(
            "/back-office/incoming-forms/{id}/new-child",
            get(steps::show_new_child).post(steps::new_child),
        )
        .route(
            "/back-office/incoming-forms/{id}/import",
            post(steps::import),
        )
}

/// The address of a submission's processing page.
pub(crate) fn page_of(id: send_domain::SubmissionId) -> String {
    format!("/back-office/incoming-forms/{id}")
}
