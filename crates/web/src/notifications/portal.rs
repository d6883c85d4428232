//! My Account's "Emails we send you": a portal user turns the optional
//! notifications off or back on; the statutory ones are shown as always sent.
//! Staff have their own switch for message notices on My Account.

use axum::extract::State;
use axum::response::Response;
use send_app::App;
use send_app::notifications::PersonChoice;
use send_domain::notifications::{Audience, Choice, NotificationEvent};
use send_domain::{AccountKind, PortalRole};

use crate::accounts::{FLASH, Flash, SignedIn, keep};
use crate::client::ClientAddress;
use crate::components::{Checkboxes, ChoiceItem, Legend};
use crate::csrf::CsrfForm;
use crate::errors::WebError;
use crate::question_page::{FormErrors, FormPage, see_other};

/// The audience a portal account belongs to; `None` for staff.
fn audience_of(kind: AccountKind) -> Option<Audience> {
    match kind {
        AccountKind::Citizen => Some(Audience::of_role(PortalRole::Parent)),
        AccountKind::Professional => Some(Audience::of_role(PortalRole::Professional)),
        AccountKind::Staff => None,
    }
}

async fn choices(app: &App, signed_in: &SignedIn) -> Result<Vec<PersonChoice>, WebError> {
    let audience = audience_of(signed_in.account.kind).ok_or(WebError::NotFound)?;
    Ok(app.my_notifications(signed_in.account.id, audience).await?)
}

fn always_sent(choices: &[PersonChoice]) -> String {
    let always: Vec<String> = choices
        .iter()
        .filter(|c| c.choice == Choice::Always)
        .map(|c| {
            format!(
                "<li>{}: {}</li>",
                html_escape(c.event.label()),
                html_escape(&c.event.description().to_lowercase())
            )
        })
        .collect();
    if always.is_empty() {
        return String::new();
    }
    format!(
        "<h2 class=\"govuk-heading-m\">Always sent</h2><p class=\"govuk-body\">We always \
         email you about a decision that can be appealed, so you do not miss the time you have \
         to appeal:</p><ul class=\"govuk-list govuk-list--bullet\">{}</ul>",
        always.join("")
    )
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub async fn show(State(app): State<App>, signed_in: SignedIn) -> Result<Response, WebError> {
    let choices = choices(&app, &signed_in).await?;
    let mut boxes = Checkboxes::new("on")
        .legend(Legend {
            classes: Some("govuk-fieldset__legend--m".to_owned()),
            ..Legend::new("Emails you can choose")
        })
        .hint("Untick the emails you do not want. You will still see everything when you sign in.");
    let mut optional = 0;
    for choice in choices.iter().filter(|c| c.choice != Choice::Always) {
        optional += 1;
        boxes = boxes.item(
            ChoiceItem::new(choice.event.code(), choice.event.label())
                .hint(choice.event.description())
                .checked(choice.choice == Choice::On),
        );
    }
    let mut page = FormPage::new(
        signed_in.chrome(&app),
        "Emails we send you",
        "/account/notifications",
        signed_in.csrf.clone(),
        "Save choices",
    )
    .errors(&FormErrors::default())
    .back("/account")
    .intro(
        "We email you when something happens on the case of a child you are linked to. The \
         email says what kind of thing happened and links to the page. It never contains \
         the details.",
    )
    .before_form(always_sent(&choices));
    if optional > 0 {
        page = page.field(&boxes);
    }
    Ok(page.respond())
}

pub async fn submit(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let choices = choices(&app, &signed_in).await?;
    let shown: Vec<NotificationEvent> = choices
        .iter()
        .filter(|c| c.choice != Choice::Always)
        .map(|c| c.event)
        .collect();
    let on: Vec<NotificationEvent> = pairs
        .iter()
        .filter(|(key, _)| key == "on")
        .filter_map(|(_, value)| value.parse().ok())
        .collect();
    app.set_my_notifications(signed_in.account.id, &shown, &on, &source)
        .await?;
    keep(
        &signed_in.session,
        FLASH,
        &Flash::success("Your email choices have been saved"),
    )
    .await?;
    Ok(see_other("/account"))
}
