//! The portal home a signed-in person lands on.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use send_app::App;
use send_domain::AccountKind;

use super::{FLASH, Flash, SignedIn, take};
use crate::chrome::Chrome;
use crate::errors::WebError;

#[derive(Template, WebTemplate)]
#[template(path = "accounts/home.html")]
pub struct HomePage {
    chrome: Chrome,
    name: String,
    staff: bool,
    professional: bool,
    flash: Option<String>,
}

pub async fn show(State(app): State<App>, signed_in: SignedIn) -> Result<HomePage, WebError> {
    let flash = take::<Flash>(&signed_in.session, FLASH).await?;
    Ok(HomePage {
        chrome: signed_in.chrome(&app),
        name: signed_in.account.name.to_string(),
        staff: signed_in.account.kind == AccountKind::Staff,
        professional: signed_in.account.kind == AccountKind::Professional,
        flash: flash.map(|f| f.banner()),
    })
}
