//! What the portal's and the back office's message pages share: a conversation
//! drawn as MOJ message items, and the reply and attachment boxes with their
//! checks.

use send_app::messages::{Draft, MessageProblem, ThreadView, Upload};
use send_domain::dates::uk_time;
use send_domain::{DocumentId, MessageBody};

use crate::components::{FileUpload, Textarea};
use crate::csrf::CsrfMultipart;
use crate::question_page::FormErrors;

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
        MessageProblem::TooMany => errors.add("message", problem.to_string()),
    }
}

/// What a reply form says when someone else wrote in the conversation after
/// the page was shown: the reply is kept in the box, not sent.
pub const CHANGED_MEANWHILE: &str = "Someone else wrote in this conversation while you were \
     writing. Your reply has not been sent yet: read the latest message, then send your reply \
     again";
