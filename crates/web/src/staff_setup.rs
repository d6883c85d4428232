//! The page a set-up link leads to.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use http::StatusCode;
use send_app::App;
use send_app::staff_setup::OpenedLink;

use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::errors::WebError;

pub fn router() -> Router<App> {
    Router::new().route("/staff/setup/{token}", get(open_link))
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/setup.html")]
struct SetupPage {
    chrome: Chrome,
    opened: OpenedLink,
}

async fn open_link(
    State(app): State<App>,
    ClientAddress(source): ClientAddress,
    Path(token): Path<String>,
) -> Result<(StatusCode, SetupPage), WebError> {
    let opened = app.open_staff_setup_link(&token, &source).await?;
    let status = match opened {
        OpenedLink::Usable { .. } => StatusCode::OK,
        OpenedLink::Unknown => StatusCode::NOT_FOUND,
        OpenedLink::Expired | OpenedLink::AlreadyUsed => StatusCode::GONE,
    };
    Ok((
        status,
        SetupPage {
            chrome: Chrome::new(&app),
            opened,
        },
    ))
}
