//! Messages from the SEND Dashboard, in the parent guide's words: New Message,
//! Message Type, Subject, Send; Inbox and Sent Items; open a message, Reply,
//! close (the X), Return to Dashboard.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use send_app::messages::{Draft, ShownMessage, ThreadSummary, ThreadView};
use send_app::{App, AppError};
use send_domain::dates::uk_time;
use send_domain::{ChildId, MessageBody, ShortText, ThreadId, UserId};

use super::shared::{
    Bubble, CHANGED_MEANWHILE, add_problem, body_fields, bubbles, reply_draft, uploads,
};
use crate::accounts::{FLASH, Flash, SignedIn, keep, take};
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::components::{Input, Select, SelectItem, escape};
use crate::csrf::CsrfMultipart;
use crate::errors::WebError;
use crate::paths::IdPath;
use crate::question_page::{FormErrors, FormPage, see_other};

/// A thread in the Inbox or Sent Items.
#[derive(Debug, Clone)]
pub struct Line {
    pub id: ThreadId,
    pub subject: String,
    pub type_name: String,
    pub when: String,
    pub unread: usize,
}

impl Line {
    fn of(summary: &ThreadSummary) -> Self {
        Self {
            id: summary.thread.id,
            subject: summary.thread.subject.to_string(),
            type_name: summary.type_name.clone(),
            when: uk_time(summary.at),
            unread: summary.unread,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/mailbox.html")]
pub struct MailboxPage {
    chrome: Chrome,
    child_id: ChildId,
    name: String,
    inbox: Vec<Line>,
    sent: Vec<Line>,
}

pub async fn mailbox(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ChildId>,
) -> Result<Response, WebError> {
    let mailbox = app.mailbox(signed_in.account.id, id, &source).await?;
    Ok(MailboxPage {
        chrome: signed_in.chrome(&app),
        child_id: id,
        name: mailbox.child.display_name(),
        inbox: mailbox.inbox.iter().map(Line::of).collect(),
        sent: mailbox.sent.iter().map(Line::of).collect(),
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/thread.html")]
pub struct ThreadPage {
    chrome: Chrome,
    id: ThreadId,
    child_id: ChildId,
    name: String,
    subject: String,
    type_name: String,
    messages: Vec<Bubble>,
    /// "Your message has been sent", after sending.
    flash: Option<String>,
}

pub async fn thread(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ThreadId>,
) -> Result<Response, WebError> {
    let view = app.open_thread(signed_in.account.id, id, &source).await?;
    let flash = take::<Flash>(&signed_in.session, FLASH).await?;
    Ok(ThreadPage {
        chrome: signed_in.chrome(&app),
        id,
        child_id: view.child.id,
        name: view.child.display_name(),
        subject: view.thread.subject.to_string(),
        type_name: view.type_name.clone(),
        messages: bubbles(&view),
        flash: flash.map(|f| f.banner()),
    }
    .into_response())
}

/// The banner after a message or reply is sent: it has gone, and when the
/// SEND team aims to answer (the council's `contact.reply_time` text).
async fn confirm_sent(app: &App, signed_in: &SignedIn, what: &str) -> Result<(), WebError> {
    let reply_time = app.texts().await?.get("contact.reply_time");
    let reply_time = reply_time.trim_end_matches('.');
    let text = format!("{what} has been sent. The SEND team aims to reply {reply_time}.");
    keep(&signed_in.session, FLASH, &Flash::success(&text)).await?;
    Ok(())
}

/// What a message form sends.
#[derive(Debug, Clone, Default)]
struct MessageForm {
    message_type: String,
    subject: String,
    message: String,
}

impl MessageForm {
    fn of(form: &CsrfMultipart) -> Self {
        Self {
            message_type: form.text("message_type"),
            subject: form.text("subject"),
            message: form.text("message"),
        }
    }
}

async fn new_page(
    app: &App,
    signed_in: &SignedIn,
    (child, child_name): (ChildId, &str),
    form: &MessageForm,
    errors: &FormErrors,
) -> Result<Response, WebError> {
    let mut types = Select::new("message_type", "Message Type")
        .item(SelectItem::new("", "Choose a message type"))
        .value(&form.message_type)
        .error_opt(errors.get("message_type"));
    for t in app.active_message_types().await? {
        types = types.item(SelectItem::new(t.id.to_string(), t.name.to_string()));
    }
    let [message, attachment] = body_fields(&form.message, errors);
    Ok(FormPage::new(
        signed_in.chrome(app),
        "New Message",
        &format!("/children/{child}/messages/new"),
        signed_in.csrf.clone(),
        "Send",
    )
    .multipart()
    .errors(errors)
    .back(&format!("/children/{child}/messages"))
    .intro(format!(
        "Your message about {child_name} goes to the SEND team. We will not put it in any email."
    ))
    .field(&types)
    .field(
        &Input::new("subject", "Subject")
            .value(&form.subject)
            .error_opt(errors.get("subject")),
    )
    .field(&message)
    .field(&attachment)
    .respond())
}

pub async fn show_new(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ChildId>,
) -> Result<Response, WebError> {
    // The form is only for those who may send (the check is audited if refused).
    let mailbox = app.mailbox(signed_in.account.id, id, &source).await?;
    new_page(
        &app,
        &signed_in,
        (id, &mailbox.child.display_name()),
        &MessageForm::default(),
        &FormErrors::default(),
    )
    .await
}

pub async fn submit_new(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ChildId>,
    form: CsrfMultipart,
) -> Result<Response, WebError> {
    let typed = MessageForm::of(&form);
    let mut errors = FormErrors::default();
    let message_type = typed.message_type.parse().ok();
    if message_type.is_none() {
        errors.add("message_type", "Select a message type");
    }
    let subject = errors.check("subject", ShortText::parse(&typed.subject, "a subject"));
    let body = errors.check("message", MessageBody::parse(&typed.message));
    if let (Some(message_type), Some(subject), Some(body), true) =
        (message_type, subject, body, errors.is_empty())
    {
        let draft = Draft {
            body,
            attachments: uploads(&form),
        };
        match app
            .start_thread(
                signed_in.account.id,
                id,
                message_type,
                subject,
                draft,
                &source,
            )
            .await?
        {
            Ok(thread) => {
                confirm_sent(&app, &signed_in, "Your message").await?;
                return Ok(see_other(&format!("/messages/{thread}")));
            }
            Err(problem) => add_problem(&mut errors, &problem),
        }
    }
    let mailbox = app.mailbox(signed_in.account.id, id, &source).await?;
    new_page(
        &app,
        &signed_in,
        (id, &mailbox.child.display_name()),
        &typed,
        &errors,
    )
    .await
}

/// The message a reply answers: the latest one the reader received, or, if
/// nobody has answered yet, the reader's own latest; with its heading.
fn answered(view: &ThreadView, reader: UserId) -> Option<(&'static str, &ShownMessage)> {
    match view
        .messages
        .iter()
        .rev()
        .find(|m| m.message.author != reader)
    {
        Some(received) => Some(("The message you are replying to", received)),
        None => view
            .messages
            .last()
            .map(|own| ("Your message, not answered yet", own)),
    }
}

fn reply_page(
    app: &App,
    signed_in: &SignedIn,
    view: &ThreadView,
    message: &str,
    errors: &FormErrors,
) -> Response {
    let [text, attachment] = body_fields(message, errors);
    // The version of the conversation this page shows: a reply is sent only if
    // nobody has written in it since.
    let version = format!(
        r#"<input type="hidden" name="version" value="{}">"#,
        view.thread.version
    );
    let mut page = FormPage::new(
        signed_in.chrome(app),
        &format!("Reply: {}", view.thread.subject),
        &format!("/messages/{}/reply", view.thread.id),
        signed_in.csrf.clone(),
        "Send",
    )
    .multipart()
    .errors(errors)
    .back(&format!("/messages/{}", view.thread.id));
    if let Some((heading, answered)) = answered(view, signed_in.account.id) {
        page = page.before_form(format!(
            r#"<h2 class="govuk-heading-s">{heading}</h2><div class="govuk-inset-text"><p class="govuk-body-s">{} wrote on {}:</p><p class="govuk-body app-message-text">{}</p></div>"#,
            escape(&answered.author),
            escape(&uk_time(answered.message.sent_at)),
            escape(answered.message.body.as_str())
        ));
    }
    page.field(&version)
        .field(&text)
        .field(&attachment)
        .respond()
}

pub async fn show_reply(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ThreadId>,
) -> Result<Response, WebError> {
    let view = app.open_thread(signed_in.account.id, id, &source).await?;
    Ok(reply_page(
        &app,
        &signed_in,
        &view,
        "",
        &FormErrors::default(),
    ))
}

pub async fn submit_reply(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ThreadId>,
    form: CsrfMultipart,
) -> Result<Response, WebError> {
    let text = form.text("message");
    let mut errors = FormErrors::default();
    let seen = form.text("version").parse().ok();
    if let Some(draft) = reply_draft(&form, &mut errors) {
        match app
            .reply(signed_in.account.id, id, seen, draft, &source)
            .await
        {
            Ok(Ok(())) => {
                confirm_sent(&app, &signed_in, "Your reply").await?;
                return Ok(see_other(&format!("/messages/{id}")));
            }
            Ok(Err(problem)) => add_problem(&mut errors, &problem),
            Err(AppError::Changed) => errors.add("message", CHANGED_MEANWHILE),
            Err(other) => return Err(other.into()),
        }
    }
    let view = app.open_thread(signed_in.account.id, id, &source).await?;
    Ok(reply_page(&app, &signed_in, &view, &text, &errors))
}
