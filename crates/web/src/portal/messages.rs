//! Messages and Documents to View from the SEND Dashboard, in the parent guide's
//! words: New Message, Message Type, Subject, Send; Inbox and Sent Items; open a
//! message, Reply, close (the X), Return to Dashboard; and the documents shared
//! with the person, each downloaded as an attachment.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::header;
use send_app::messages::{Draft, MessageProblem, ThreadSummary, ThreadView, Upload};
use send_app::{App, AppError};
use send_domain::dates::{long_date, uk_time};
use send_domain::{ChildId, Document, DocumentId, MessageBody, ShortText, ThreadId};

use crate::accounts::SignedIn;
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::components::{FileUpload, Input, Select, SelectItem, Textarea, escape};
use crate::csrf::CsrfMultipart;
use crate::errors::WebError;
use crate::forms::{FormErrors, FormPage, see_other};
use crate::paths::IdPath;

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

/// One message as shown in a conversation.
#[derive(Debug, Clone)]
pub struct Bubble {
    /// `sent` (by the reader) or `received`, the MOJ message item's kinds.
    pub side: &'static str,
    pub author: String,
    pub when: String,
    pub text: String,
    pub attachments: Vec<(DocumentId, String)>,
}

/// The messages of a thread as the reader sees them.
pub fn bubbles(view: &ThreadView) -> Vec<Bubble> {
    view.messages
        .iter()
        .map(|m| Bubble {
            side: if m.author == "You" {
                "sent"
            } else {
                "received"
            },
            author: m.author.clone(),
            when: uk_time(m.message.sent_at),
            text: m.message.body.as_str().to_owned(),
            attachments: m
                .attachments
                .iter()
                .map(|d| (d.id, d.file.name.clone()))
                .collect(),
        })
        .collect()
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
}

pub async fn thread(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ThreadId>,
) -> Result<Response, WebError> {
    let view = app.open_thread(signed_in.account.id, id, &source).await?;
    Ok(ThreadPage {
        chrome: signed_in.chrome(&app),
        id,
        child_id: view.child.id,
        name: view.child.display_name(),
        subject: view.thread.subject.to_string(),
        type_name: view.type_name.clone(),
        messages: bubbles(&view),
    }
    .into_response())
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

/// The attachments of a form, as the use case takes them.
pub fn uploads(form: &CsrfMultipart) -> Vec<Upload> {
    form.files
        .iter()
        .filter(|f| f.field == "attachment")
        .map(|f| Upload {
            name: f.name.clone(),
            bytes: f.bytes.clone(),
        })
        .collect()
}

/// The message box and the attachment box, shared by every message form.
pub fn body_fields(message: &str, errors: &FormErrors) -> [String; 2] {
    [
        Textarea::new("message", "Message")
            .value(message)
            .rows(8)
            .error_opt(errors.get("message"))
            .to_string(),
        {
            let mut upload = FileUpload::new("attachment", "Attach a file (optional)").hint(
                "A PDF, Word document (DOCX), OpenDocument text (ODT), JPG, PNG, HEIC or TXT \
                 file, smaller than 20MB",
            );
            if let Some(error) = errors.get("attachment") {
                upload = upload.error(error);
            }
            upload.to_string()
        },
    ]
}

/// A reply as typed: its text checked (an error on the form otherwise) and its
/// attachments.
pub fn reply_draft(form: &CsrfMultipart, errors: &mut FormErrors) -> Option<Draft> {
    errors
        .check("message", MessageBody::parse(&form.text("message")))
        .map(|body| Draft {
            body,
            attachments: uploads(form),
        })
}

/// Puts a refused message's problem on the right field.
pub fn add_problem(errors: &mut FormErrors, problem: &MessageProblem) {
    match problem {
        MessageProblem::NoSuchType => errors.add("message_type", problem.to_string()),
        MessageProblem::Attachment { .. } => errors.add("attachment", problem.to_string()),
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
            Ok(thread) => return Ok(see_other(&format!("/messages/{thread}"))),
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

/// What a reply form says when someone else wrote in the conversation after
/// the page was shown: the reply is kept in the box, not sent.
pub const CHANGED_MEANWHILE: &str = "Someone else wrote in this conversation while you were \
     writing. Your reply has not been sent yet: read the latest message, then send your reply \
     again";

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
    if let Some(last) = view.messages.last() {
        page = page.before_form(format!(
            r#"<h2 class="govuk-heading-s">The latest message</h2><div class="govuk-inset-text"><p class="govuk-body-s">{} wrote on {}:</p><p class="govuk-body app-message-text">{}</p></div>"#,
            escape(&last.author),
            escape(&uk_time(last.message.sent_at)),
            escape(last.message.body.as_str())
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
        let seen = match seen {
            Some(seen) => seen,
            None => {
                app.open_thread(signed_in.account.id, id, &source)
                    .await?
                    .thread
                    .version
            }
        };
        match app
            .reply(signed_in.account.id, id, seen, draft, &source)
            .await
        {
            Ok(Ok(())) => return Ok(see_other(&format!("/messages/{id}"))),
            Ok(Err(problem)) => add_problem(&mut errors, &problem),
            Err(AppError::Changed) => errors.add("message", CHANGED_MEANWHILE),
            Err(other) => return Err(other.into()),
        }
    }
    let view = app.open_thread(signed_in.account.id, id, &source).await?;
    Ok(reply_page(&app, &signed_in, &view, &text, &errors))
}

/// A document in a list.
#[derive(Debug, Clone)]
pub struct DocumentLine {
    pub id: DocumentId,
    pub description: String,
    pub kind: String,
    pub date: String,
    pub file: String,
}

impl DocumentLine {
    pub fn of(document: &Document) -> Self {
        Self {
            id: document.id,
            description: document.description.to_string(),
            kind: document.kind.label().to_owned(),
            date: long_date(document.uploaded_at.date()),
            file: format!(
                "{} ({}, {})",
                document.file.name,
                document.file.kind.label(),
                size_text(document.file.size)
            ),
        }
    }
}

/// A file's size as people read it: "340 KB", "2.4 MB".
pub fn size_text(bytes: u64) -> String {
    const KB: u64 = 1024;
    if bytes < KB * KB {
        format!("{} KB", bytes.div_ceil(KB).max(1))
    } else {
        let tenths = bytes * 10 / (KB * KB);
        format!("{}.{} MB", tenths / 10, tenths % 10)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/documents.html")]
pub struct DocumentsPage {
    chrome: Chrome,
    child_id: ChildId,
    name: String,
    documents: Vec<DocumentLine>,
}

pub async fn documents(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ChildId>,
) -> Result<Response, WebError> {
    let (child, documents) = app
        .documents_to_view(signed_in.account.id, id, &source)
        .await?;
    Ok(DocumentsPage {
        chrome: signed_in.chrome(&app),
        child_id: id,
        name: child.display_name(),
        documents: documents.iter().map(DocumentLine::of).collect(),
    }
    .into_response())
}

/// A download: the file's own type, as an attachment, never sniffed by the
/// browser, never cached by anything between.
pub fn download_response(download: send_app::documents::Download) -> Response {
    let name = download.document.file.name.replace(['"', '\\'], "_");
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = url::form_urlencoded::byte_serialize(name.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    (
        [
            (
                header::CONTENT_TYPE,
                download.document.file.kind.content_type().to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        download.bytes,
    )
        .into_response()
}

pub async fn download(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<DocumentId>,
) -> Result<Response, WebError> {
    let download = app
        .portal_download(signed_in.account.id, id, &source)
        .await?;
    Ok(download_response(download))
}
