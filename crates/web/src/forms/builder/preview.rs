//! The preview (every page of the working copy drawn as the person filling it
//! in will see it, with its conditions and routes noted) and the comparison of
//! the working copy with the live version.

use crate::routes::Routes;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use send_app::App;
use send_domain::FormId;
use send_domain::forms::{FormDefinition, Page, words};

use super::form_path;
use crate::back_office::Staff;
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::errors::WebError;
use crate::forms::preview_question::QuestionField;
use crate::paths::IdPath;

pub(super) fn router() -> Routes {
    Routes::new()
        .route("/back-office/forms/{id}/preview", get(preview))
        .route("/back-office/forms/{id}/compare", get(compare))
}

/// One page of the preview.
#[derive(Debug)]
struct PreviewPage<'a> {
    number: usize,
    heading: Option<String>,
    condition: Option<String>,
    /// Each question with the condition that shows it, in words.
    questions: Vec<(QuestionField<'a>, Option<String>)>,
    routes: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "forms/builder/preview.html")]
struct PreviewPageTemplate<'a> {
    chrome: Chrome,
    back: String,
    form: &'a FormDefinition,
    pages: Vec<PreviewPage<'a>>,
}

fn preview_page<'a>(form: &'a FormDefinition, index: usize, page: &'a Page) -> PreviewPage<'a> {
    // A page with several questions has a heading of its own.
    let several = page.questions.len() > 1 || page.heading.is_some();
    PreviewPage {
        number: index + 1,
        heading: several.then(|| {
            page.heading
                .clone()
                .unwrap_or_else(|| format!("Page {}", index + 1))
        }),
        condition: page.show_when.as_ref().map(|c| words::condition(form, c)),
        questions: page
            .questions
            .iter()
            .map(|q| {
                (
                    QuestionField::new(q),
                    q.show_when.as_ref().map(|c| words::condition(form, c)),
                )
            })
            .collect(),
        routes: page
            .branches
            .iter()
            .map(|b| words::branch(form, b))
            .collect(),
    }
}

async fn preview(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<FormId>,
) -> Result<Response, WebError> {
    let form = app.preview_form(&staff.access, id, &source).await?;
    let draft = &form.draft;
    Ok(PreviewPageTemplate {
        chrome: staff.signed_in.chrome(&app),
        back: form_path(id),
        form: draft,
        pages: draft
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| preview_page(draft, i, p))
            .collect(),
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "forms/builder/compare.html")]
struct ComparePage {
    chrome: Chrome,
    back: String,
    title: String,
    live: u32,
    published: String,
    changes: Vec<String>,
}

async fn compare(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<FormId>,
) -> Result<Response, WebError> {
    let comparison = app.compare_form(&staff.access, id, &source).await?;
    Ok(ComparePage {
        chrome: staff.signed_in.chrome(&app),
        back: form_path(id),
        title: comparison.form.draft.title.clone(),
        live: comparison.live.number,
        published: send_domain::dates::uk_long_date(comparison.live.published_at),
        changes: comparison.changes.iter().map(ToString::to_string).collect(),
    }
    .into_response())
}
