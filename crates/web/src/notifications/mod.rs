//! Automatic notifications (NTF-3): the council's administration pages, one
//! table of events and a page per event to choose who gets it and edit its
//! text, with a preview on sample data (`back_office`); and the portal user's
//! choice of the optional ones, from My Account (`portal`).

use crate::routes::Routes;
use axum::routing::get;

mod back_office;
mod portal;

pub fn router() -> Routes {
    Routes::new()
        .route("/back-office/admin/notifications", get(back_office::list))
        .route(
            "/back-office/admin/notifications/{event}",
            get(back_office::show).post(back_office::submit),
        )
        .route(
            "/account/notifications",
            get(portal::show).post(portal::submit),
        )
}
