//! `/demo/emails`: in a demonstration only (`send-portal demo`), the emails the
//! portal has written, newest first, so a newcomer can read codes and links in the
//! browser without an inbox. Anywhere else the page does not exist (404).

use crate::routes::Routes;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::routing::get;
use send_app::App;
use send_domain::{DeliveryState, OutboxEntry};
use time::OffsetDateTime;

use crate::accounts::{SignedIn, chrome_for};
use crate::chrome::Chrome;
use crate::components::{SummaryList, SummaryListCell, SummaryListRow, Tag, WarningText, escape};
use crate::errors::WebError;

/// How many emails the page lists.
const SHOWN: u32 = 50;

pub fn router() -> Routes {
    Routes::new().route("/demo/emails", get(list))
}

#[derive(Template, WebTemplate)]
#[template(path = "demo/emails.html")]
struct EmailsPage {
    chrome: Chrome,
    warning: WarningText,
    emails: Vec<SummaryList>,
}

async fn list(State(app): State<App>, signed_in: Option<SignedIn>) -> Result<EmailsPage, WebError> {
    let entries = app.demo_outbox(SHOWN).await?;
    Ok(EmailsPage {
        chrome: chrome_for(&app, signed_in.as_ref()),
        warning: WarningText::new(
            "Demo only. A real portal has no such page: it sends these emails to people's inboxes.",
        ),
        emails: entries.iter().map(card).collect(),
    })
}

/// One email as a summary card: who it is to, when it was written, whether it has
/// gone, and its plain-text body.
fn card(entry: &OutboxEntry) -> SummaryList {
    let email = &entry.email;
    let to = match &email.to_name {
        Some(name) => format!("{name} <{}>", email.to),
        None => email.to.to_string(),
    };
    let (tag, detail) = match &entry.state {
        DeliveryState::Sent { at, .. } => {
            (Tag::colour("Sent", "green"), format!("at {}", when(*at)))
        }
        DeliveryState::Pending {
            attempts: 0,
            next_attempt_at,
            ..
        } => (
            Tag::colour("Waiting", "grey"),
            format!("to be sent at {}", when(*next_attempt_at)),
        ),
        DeliveryState::Pending {
            attempts,
            next_attempt_at,
            ..
        } => (
            Tag::colour("Retrying", "yellow"),
            format!(
                "failed {attempts} {}; next try at {}",
                if *attempts == 1 { "time" } else { "times" },
                when(*next_attempt_at)
            ),
        ),
    };
    let mut status = SummaryListRow::new("Status", "");
    status.value = SummaryListCell::html(format!("{tag} {}", escape(&detail)));
    let mut message = SummaryListRow::new("Message", "");
    message.value = SummaryListCell::html(paragraphs(&email.text_body));
    SummaryList::new()
        .card(email.subject.as_str())
        .row(SummaryListRow::new("To", to))
        .row(SummaryListRow::new("Written", when(email.created_at)))
        .row(status)
        .row(message)
}

/// Plain text as escaped paragraphs, keeping its line breaks.
fn paragraphs(text: &str) -> String {
    let mut html = String::new();
    for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        let lines: Vec<String> = paragraph.lines().map(escape).collect();
        html.push_str("<p class=\"govuk-body\">");
        html.push_str(&lines.join("<br>"));
        html.push_str("</p>");
    }
    html
}

/// In UK time, as every other page writes it.
fn when(at: OffsetDateTime) -> String {
    send_domain::dates::uk_time(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn times_read_as_people_write_them() {
        assert_eq!(
            when(datetime!(2026-11-23 14:05 UTC)),
            "23 November 2026 at 2:05pm"
        );
    }

    #[test]
    fn bodies_become_escaped_paragraphs() {
        assert_eq!(
            paragraphs("Dear <Jo>,\n\nLine one\nline two\n\n"),
            "<p class=\"govuk-body\">Dear &lt;Jo&gt;,</p><p class=\"govuk-body\">Line one<br>line two</p>"
        );
    }
}
