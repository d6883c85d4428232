//! Forms pages: the builder in the back office (`builder`), giving a form to a
//! child's portal users (`assign`), filling one in from the portal (`filling`),
//! and reading submissions (`submissions`). `questions` draws questions and
//! answers for every page that shows them; `question` draws one question for
//! the builder's preview with it.

mod assign;
mod builder;
mod filling;
pub mod preview_question;
mod questions;
pub(crate) mod submissions;

use crate::routes::Routes;
use axum::routing::{get, post};

/// Every forms page.
pub fn router() -> Routes {
    Routes::new()
        .merge(filling::router())
        .merge(builder::router())
        .route(
            "/back-office/children/{id}/forms",
            get(assign::show).post(assign::send),
        )
        .route(
            "/back-office/form-assignments/{id}/withdraw",
            post(assign::withdraw),
        )
        .route("/back-office/submissions", get(submissions::list))
        .route("/back-office/submissions/{id}", get(submissions::read))
        .route(
            "/back-office/submissions/{id}/files/{position}",
            get(submissions::file),
        )
}
