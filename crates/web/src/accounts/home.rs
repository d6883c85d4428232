//! The portal home a signed-in parent, carer or professional lands on: their
//! children, each with a "SEND Dashboard" link once the SEND team has confirmed
//! their access. Staff land on the back office instead.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use send_app::App;
use send_domain::dates::uk_long_date;
use send_domain::{AccountKind, ChildId, LinkStatus};

use super::{FLASH, Flash, SignedIn, take};
use crate::chrome::Chrome;
use crate::errors::WebError;
use crate::question_page::see_other;

/// A child on the home page.
#[derive(Debug, Clone)]
pub struct ChildLine {
    pub id: ChildId,
    pub name: String,
    pub active: bool,
}

/// A form that stands alone (a request for an assessment) offered to the person.
#[derive(Debug, Clone)]
pub struct FormLine {
    pub href: String,
    pub title: String,
    pub description: String,
    pub saved: Option<String>,
}

/// A professional's request still waiting.
#[derive(Debug, Clone)]
pub struct RequestLine {
    pub child: String,
    pub sent: String,
    pub outcome: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/home.html")]
pub struct HomePage {
    chrome: Chrome,
    name: String,
    professional: bool,
    flash: Option<String>,
    children: Vec<ChildLine>,
    requests: Vec<RequestLine>,
    forms: Vec<FormLine>,
    advice: Vec<crate::advice::AdviceForYouLine>,
}

/// The portal home; a member of staff is sent to the back office's landing.
pub async fn show(State(app): State<App>, signed_in: SignedIn) -> Result<Response, WebError> {
    if signed_in.staff.is_some() {
        return Ok(see_other(signed_in.home()));
    }
    let flash = take::<Flash>(&signed_in.session, FLASH).await?;
    let professional = signed_in.account.kind == AccountKind::Professional;
    let children = app
        .portal_children(signed_in.account.id)
        .await?
        .into_iter()
        .map(|c| ChildLine {
            id: c.child_id,
            name: c.name,
            active: c.status == LinkStatus::Active,
        })
        .collect();
    let requests = if professional {
        app.my_child_link_requests(signed_in.account.id)
            .await?
            .into_iter()
            .map(|r| RequestLine {
                child: format!("{} {}", r.first_name, r.last_name),
                sent: uk_long_date(r.created_at),
                outcome: r.decision.map(|d| match d.matched_child {
                    Some(_) => "Accepted".to_owned(),
                    None => format!("Declined: {}", d.reason.unwrap_or_default()),
                }),
            })
            .collect()
    } else {
        Vec::new()
    };
    let forms = app
        .portal_home_forms(&signed_in.account)
        .await?
        .into_iter()
        .map(|f| FormLine {
            href: format!("/forms/{}", f.form_id),
            title: f.title,
            description: f.description,
            saved: f.saved_at.map(send_domain::dates::uk_time),
        })
        .collect();
    let advice = crate::advice::advice_for_you_lines(&app, &signed_in).await?;
    Ok(HomePage {
        advice,
        chrome: signed_in.chrome(&app),
        name: signed_in.account.name.to_string(),
        professional,
        flash: flash.map(|f| f.banner()),
        children,
        requests,
        forms,
    }
    .into_response())
}
