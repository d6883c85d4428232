//! Automatic notifications (NTF-3): the council's administration pages, one
//! table of events and a page per event to choose who gets it and edit its
//! text, with a preview on sample data (`back_office`); and the portal user's
//! choice of the optional ones, from My Account (`portal`).

use axum::Router;
use axum::routing::get;
use send_app::App;

mod back_office;
mod portal;

pub fn router() -> Router<App> {
    Router::new()
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
