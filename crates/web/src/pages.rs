//! The pages anyone can read: the start page and the footer's pages.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use send_app::App;

use crate::chrome::Chrome;

pub fn router() -> Router<App> {
    Router::new()
        .route("/", get(start))
        .route("/accessibility", get(accessibility))
        .route("/privacy", get(privacy))
        .route("/cookies", get(cookies))
}

macro_rules! static_page {
    ($handler:ident, $page:ident, $path:literal) => {
        #[derive(Template, WebTemplate)]
        #[template(path = $path)]
        struct $page {
            chrome: Chrome,
        }

        async fn $handler(State(app): State<App>) -> $page {
            $page {
                chrome: Chrome::new(&app),
            }
        }
    };
}

static_page!(start, StartPage, "pages/start.html");
static_page!(accessibility, AccessibilityPage, "pages/accessibility.html");
static_page!(privacy, PrivacyPage, "pages/privacy.html");
static_page!(cookies, CookiesPage, "pages/cookies.html");
