//! The pages anyone can read: the start page and the footer's pages, each with
//! the account menu for someone signed in.

use crate::routes::Routes;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::routing::get;
use std::sync::Arc;

use send_app::App;
use send_domain::council_texts::{SendTeamContact, Texts};

use crate::accounts::{SignedIn, chrome_for};
use crate::chrome::Chrome;
use crate::components::Button;
use crate::deadlines::PAGE as CALCULATOR;

pub fn router() -> Routes {
    Routes::new()
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

        async fn $handler(State(app): State<App>, signed_in: Option<SignedIn>) -> $page {
            $page {
                chrome: chrome_for(&app, signed_in.as_ref()),
            }
        }
    };
}

/// The start page: what the portal is for, and the way in (Sign in, or
/// Register for new account).
#[derive(Template, WebTemplate)]
#[template(path = "pages/start.html")]
struct StartPage {
    chrome: Chrome,
    contact: Option<SendTeamContact>,
    sign_in: Button,
    calculator: &'static str,
}

async fn start(State(app): State<App>, signed_in: Option<SignedIn>) -> StartPage {
    StartPage {
        contact: texts_in_force(&app).await.contact(),
        chrome: chrome_for(&app, signed_in.as_ref()),
        sign_in: Button::link("Sign in", "/sign-in").start(),
        calculator: CALCULATOR,
    }
}

/// The texts in force, from this server's copy (read again at most every
/// `send_app::council_texts::REFRESH_EVERY`, never on each request); if reading
/// fails, the copy held.
async fn texts_in_force(app: &App) -> Arc<Texts> {
    match app.texts().await {
        Ok(texts) => texts,
        Err(error) => {
            tracing::warn!(error = %send_app::error::ErrorChain(&error), "reading the council's texts failed");
            app.texts_now()
        }
    }
}

/// The accessibility statement, with the council's parts (Texts and settings).
#[derive(Template, WebTemplate)]
#[template(path = "pages/accessibility.html")]
struct AccessibilityPage {
    chrome: Chrome,
    contact: Option<SendTeamContact>,
    feedback: Vec<String>,
    compliance: Vec<String>,
}

async fn accessibility(State(app): State<App>, signed_in: Option<SignedIn>) -> AccessibilityPage {
    let texts = texts_in_force(&app).await;
    AccessibilityPage {
        chrome: chrome_for(&app, signed_in.as_ref()),
        contact: texts.contact(),
        feedback: app.render_council_text(&texts, "accessibility.contact"),
        compliance: app.render_council_text(&texts, "accessibility.compliance"),
    }
}

static_page!(privacy, PrivacyPage, "pages/privacy.html");
/// The cookies page names the session cookie as this portal sets it (with the
/// `__Host-` prefix over https).
#[derive(Template, WebTemplate)]
#[template(path = "pages/cookies.html")]
struct CookiesPage {
    chrome: Chrome,
    session_cookie: &'static str,
}

async fn cookies(State(app): State<App>, signed_in: Option<SignedIn>) -> CookiesPage {
    CookiesPage {
        chrome: chrome_for(&app, signed_in.as_ref()),
        session_cookie: crate::sessions::cookie_name(&app.settings.base_url),
    }
}
