//! Submissions in the back office: the newest that this member of staff may
//! read, and each one as a readable record (every question on the route the
//! person took, with its answer and its files), read against the version that
//! was answered. Processing and import come with the incoming forms work.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use send_app::App;
use send_domain::SubmissionId;
use send_domain::dates::uk_time;
use send_domain::forms::{answers_before, shown_questions, walk};

use super::questions::answer_html;
use crate::back_office::Staff;
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::documents::file_response;
use crate::errors::WebError;
use crate::paths::IdPath;

#[derive(Debug, Clone)]
struct Line {
    href: String,
    title: String,
    reference: String,
    child: String,
    by: String,
    when: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "forms/back_office/submissions.html")]
struct ListPage {
    chrome: Chrome,
    lines: Vec<Line>,
}

pub async fn list(State(app): State<App>, staff: Staff) -> Result<Response, WebError> {
    let rows = app.recent_submissions(&staff.access).await?;
    let lines = rows
        .into_iter()
        .map(|r| Line {
            href: format!("/back-office/submissions/{}", r.submission.id),
            title: r.submission.title.clone(),
            reference: r.submission.reference.clone(),
            child: r.child.as_ref().map_or_else(
                || "Not yet matched to a child".to_owned(),
                send_domain::Child::display_name,
            ),
            by: r.submitted_by,
            when: uk_time(r.submission.submitted_at),
        })
        .collect();
    Ok(ListPage {
        chrome: staff.signed_in.chrome(&app),
        lines,
    }
    .into_response())
}

#[derive(Debug, Clone)]
struct Row {
    question: String,
    answer: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "forms/back_office/submission.html")]
struct ReadPage {
    chrome: Chrome,
    title: String,
    reference: String,
    version: u32,
    by: String,
    when: String,
    child: Option<(String, String)>,
    rows: Vec<Row>,
}

pub async fn read(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<SubmissionId>,
) -> Result<Response, WebError> {
    let view = app.read_submission(&staff.access, id, &source).await?;
    let rows = answer_rows(&view.version.definition, &view.submission.answers, id)
        .into_iter()
        .map(|(question, answer)| Row { question, answer })
        .collect();
    Ok(ReadPage {
        chrome: staff.signed_in.chrome(&app),
        title: view.submission.title.clone(),
        reference: view.submission.reference.clone(),
        version: view.submission.version_number,
        by: view.submitted_by,
        when: uk_time(view.submission.submitted_at),
        child: view
            .child
            .as_ref()
            .map(|c| (format!("/back-office/children/{}", c.id), c.display_name())),
        rows,
    }
    .into_response())
}

/// Every question on the route the person took, with its answer as HTML (files
/// linked for download), read against the version answered.
pub(crate) fn answer_rows(
    definition: &send_domain::forms::FormDefinition,
    answers: &send_domain::forms::Answers,
    id: SubmissionId,
) -> Vec<(String, String)> {
    let files: Vec<String> = answers.files().iter().map(|f| f.key.clone()).collect();
    let link = |file: &send_domain::StoredFile| {
        files
            .iter()
            .position(|k| *k == file.key)
            .map(|n| format!("/back-office/submissions/{id}/files/{n}"))
    };
    let walked = walk(definition, answers);
    let mut rows = Vec::new();
    for &index in &walked.pages {
        let earlier = answers_before(definition, answers, index);
        for question in shown_questions(&definition.pages[index], &earlier) {
            rows.push((
                question.text.clone(),
                answer_html(question, answers.get(&question.key), &link),
            ));
        }
    }
    rows
}

pub async fn file(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, position)): IdPath<(SubmissionId, usize)>,
) -> Result<Response, WebError> {
    let found = app
        .submission_file(&staff.access, id, position, &source)
        .await?;
    Ok(file_response(&found.file, found.bytes))
}
