//! One question of a form as the person filling it in first sees it, for the
//! builder's preview. A question typed into fields is drawn by
//! `questions::question_html`, the renderer the filling pages use, so the
//! preview cannot drift from them. A file upload and a repeating group, which
//! the filling pages draw as blocks of their own around what was already added,
//! are drawn as they look before anything is: the upload box, or the group's
//! questions as they are asked for each item.
//!
//! [`QuestionField`] renders `templates/forms/question.html`. Its input is the
//! question; nothing is typed or wrong in a preview, and a question is never
//! the page's heading there (the preview shows every page on one page).

use askama::Template;
use send_domain::forms::{Question, QuestionKind};

use super::questions::{capitalise, question_html};
use crate::components::FileUpload;
use crate::question_page::FormErrors;

/// One question, ready to draw. See the module's documentation.
#[derive(Debug, Template)]
#[template(path = "forms/question.html")]
pub struct QuestionField<'a> {
    pub question: &'a Question,
}

impl askama::filters::HtmlSafe for QuestionField<'_> {}

impl<'a> QuestionField<'a> {
    pub fn new(question: &'a Question) -> Self {
        Self { question }
    }

    fn key(&self) -> &str {
        self.question.key.as_str()
    }

    fn text(&self) -> &str {
        self.question.text.trim()
    }

    fn hint(&self) -> Option<String> {
        self.question
            .hint
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .map(ToOwned::to_owned)
    }

    /// A question typed into fields, as the filling pages draw it.
    fn typed(&self) -> String {
        question_html(self.question, &[], &FormErrors::default(), false)
    }

    /// The upload box of a file upload question.
    fn file_upload(&self) -> FileUpload {
        let max_files = match &self.question.kind {
            QuestionKind::FileUpload { max_files, .. } => *max_files,
            _ => 1,
        };
        let mut upload = FileUpload::new(self.key(), "Upload a file");
        let limit = if max_files > 1 {
            format!("You can upload up to {max_files} files, one at a time")
        } else {
            "You can upload 1 file".to_owned()
        };
        upload = upload.hint(limit);
        upload
    }

    /// What a repeating group asks for ("You can add up to 5 professionals").
    fn group_hint(&self) -> String {
        let QuestionKind::Repeating {
            item,
            min_items,
            max_items,
            ..
        } = &self.question.kind
        else {
            return String::new();
        };
        let plural = |n: u8| if n == 1 { "" } else { "s" };
        let min = (*min_items).max(u8::from(self.question.required));
        if min == 0 {
            format!("You can add up to {max_items} {item}{}", plural(*max_items))
        } else {
            format!(
                "Add between {min} and {max_items} {item}{}",
                plural(*max_items)
            )
        }
    }

    /// A repeating group's item ("Professional 1") and its questions, as they
    /// are asked for each item.
    fn group_item(&self) -> (String, Vec<String>) {
        match &self.question.kind {
            QuestionKind::Repeating {
                item, questions, ..
            } => (
                format!("{} 1", capitalise(item)),
                questions
                    .iter()
                    .map(|q| question_html(q, &[], &FormErrors::default(), false))
                    .collect(),
            ),
            _ => (String::new(), Vec::new()),
        }
    }
}
