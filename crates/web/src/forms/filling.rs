//! Filling in a form from the portal, in GOV.UK's pattern: a start page, one
//! question page at a time (every Continue saves the answers on the server, so
//! people can leave and come back), pages of their own for files and for the
//! items of a repeating group, Check your answers with Change links, the
//! declaration, and a confirmation page with the reference. The same pages
//! serve a child's form (`/children/{child}/forms/{form}/…`) and a form that
//! stands alone (`/forms/{form}/…`).

use crate::routes::Routes;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::DefaultBodyLimit;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use send_app::App;
use send_app::forms::filling::{Filling, SubmitProblem, Target};
use send_domain::dates::{long_date, uk_time};
use send_domain::forms::{
    Answer, FieldError, Next, PageKey, Question, QuestionKey, QuestionKind, answer_fields,
    shown_questions,
};
use send_domain::{ChildId, FormId, SubmissionId};
use serde::Deserialize;

use super::questions::{answer_html, capitalise, item_lines, question_html};
use crate::accounts::SignedIn;
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::components::{Button, ErrorSummary, Panel, Tag, escape};
use crate::csrf::{CsrfForm, CsrfMultipart, MULTIPART_BODY_LIMIT};
use crate::errors::WebError;
use crate::paths::IdPath;
use crate::question_page::{FormErrors, FormPage, link_button_form, see_other};

/// Every filling page, for a child's form and for one that stands alone.
pub fn router() -> Routes {
    let mut router = Routes::new()
        .route("/children/{child}/forms", get(child_forms))
        .route("/submitted/{submission}", get(submitted));
    for base in ["/children/{child}/forms/{form}", "/forms/{form}"] {
        router = router
            .route(base, get(start))
            .route(
                &format!("{base}/pages/{{page}}"),
                get(show_page).post(save_page),
            )
            .route(
                &format!("{base}/questions/{{question}}/files"),
                post(add_file).layer(DefaultBodyLimit::max(MULTIPART_BODY_LIMIT)),
            )
            .route(
                &format!("{base}/questions/{{question}}/files/{{position}}/remove"),
                post(remove_file),
            )
            .route(
                &format!("{base}/questions/{{question}}/items/new"),
                get(show_item).post(save_item),
            )
            .route(
                &format!("{base}/questions/{{question}}/items/{{position}}"),
                get(show_item).post(save_item),
            )
            .route(
                &format!("{base}/questions/{{question}}/items/{{position}}/remove"),
                post(remove_item),
            )
            .route(&format!("{base}/check"), get(check).post(submit));
    }
    router
}

/// The parts of a filling address, each parsed (a 404 otherwise).
#[derive(Debug, Deserialize)]
struct At {
    #[serde(default)]
    child: Option<ChildId>,
    form: FormId,
    #[serde(default)]
    page: Option<PageKey>,
    #[serde(default)]
    question: Option<QuestionKey>,
    #[serde(default)]
    position: Option<usize>,
}

impl At {
    fn target(&self) -> Target {
        Target {
            form: self.form,
            child: self.child,
        }
    }
}

/// Where a form's pages live.
fn base(target: Target) -> String {
    match target.child {
        Some(child) => format!("/children/{child}/forms/{}", target.form),
        None => format!("/forms/{}", target.form),
    }
}

fn page_href(target: Target, page: &PageKey) -> String {
    format!("{}/pages/{page}", base(target))
}

/// Where the person goes next: the first unanswered page, or Check your answers.
fn next_href(filling: &Filling) -> String {
    match filling.walk.next {
        Next::Page(index) => {
            page_href(filling.target, &filling.version.definition.pages[index].key)
        }
        Next::CheckAnswers => format!("{}/check", base(filling.target)),
    }
}

/// The caption over every page: the form, and whom it is about.
fn caption(filling: &Filling) -> String {
    let title = &filling.version.definition.title;
    match &filling.child {
        Some(child) => format!("{title} – {}", child.display_name()),
        None => title.clone(),
    }
}

/// Where the person came from: the child's forms, or their home.
fn home_href(target: Target) -> String {
    match target.child {
        Some(child) => format!("/children/{child}/dashboard"),
        None => "/home".to_owned(),
    }
}

fn saved_line(filling: &Filling) -> Option<String> {
    filling
        .saved_at
        .map(|at| format!("Saved on {}", uk_time(at)))
}

/// `?change=check`: the person came from Check your answers and goes back there.
#[derive(Debug, Default, Deserialize)]
struct Change {
    #[serde(default)]
    change: Option<String>,
}

impl Change {
    fn back_to_check(&self) -> bool {
        self.change.as_deref() == Some("check")
    }
}

// ---- The child's forms: Actions to Complete ----

#[derive(Debug, Clone)]
struct ActionLine {
    title: String,
    href: String,
    due: Option<String>,
    saved: Option<String>,
    tag: Tag,
}

#[derive(Template, WebTemplate)]
#[template(path = "forms/child_forms.html")]
struct ChildFormsPage {
    chrome: Chrome,
    child_id: ChildId,
    name: String,
    actions: Vec<ActionLine>,
    other: Vec<ActionLine>,
}

async fn child_forms(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    IdPath(child): IdPath<ChildId>,
) -> Result<Response, WebError> {
    let (child, todo) = app
        .portal_actions(&signed_in.account, child, &source)
        .await?;
    let line = |a: &send_app::forms::assign::FormToDo| ActionLine {
        title: a.title.clone(),
        href: format!("/children/{}/forms/{}", a.child_id, a.form_id),
        due: a.due.map(long_date),
        saved: a.saved_at.map(uk_time),
        tag: Tag::colour(a.status.label(), a.status.tag_colour()),
    };
    Ok(ChildFormsPage {
        chrome: signed_in.chrome(&app),
        child_id: child.id,
        name: child.display_name(),
        actions: todo.iter().filter(|a| a.due.is_some()).map(line).collect(),
        other: todo.iter().filter(|a| a.due.is_none()).map(line).collect(),
    }
    .into_response())
}

// ---- Start ----

#[derive(Template, WebTemplate)]
#[template(path = "forms/start.html")]
struct StartPage {
    chrome: Chrome,
    title: String,
    description: String,
    about: Option<String>,
    due: Option<String>,
    saved: Option<String>,
    new_questions: Vec<String>,
    button: Button,
    back: String,
}

async fn start(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    IdPath(at): IdPath<At>,
) -> Result<Response, WebError> {
    let filling = app
        .open_form(&signed_in.account, at.target(), None, &source)
        .await?;
    let started = filling.saved_at.is_some();
    let button = if started {
        Button::link("Continue", next_href(&filling))
    } else {
        Button::link("Start now", next_href(&filling)).start()
    };
    Ok(StartPage {
        chrome: signed_in.chrome(&app),
        title: filling.version.definition.title.clone(),
        description: filling.version.definition.description.clone(),
        about: filling.child.as_ref().map(send_domain::Child::display_name),
        due: filling
            .assignment
            .as_ref()
            .and_then(|a| a.due)
            .map(long_date),
        saved: saved_line(&filling),
        new_questions: filling.new_questions.clone(),
        button,
        back: if filling.advice.is_some() {
            "/home".to_owned()
        } else {
            home_href(filling.target)
        },
    }
    .into_response())
}

// ---- A question page ----

#[derive(Template, WebTemplate)]
#[template(path = "forms/page.html")]
struct QuestionPage {
    chrome: Chrome,
    title: String,
    form_title: String,
    heading: Option<String>,
    has_errors: bool,
    summary: ErrorSummary,
    back: String,
    blocks: Vec<String>,
    action: String,
    csrf: String,
    fields: Vec<String>,
    back_to_check: bool,
    saved: Option<String>,
}

/// The values a page shows: as typed (after an error), or the saved answers.
fn saved_values(filling: &Filling, questions: &[&Question]) -> Vec<(String, String)> {
    questions
        .iter()
        .filter_map(|q| filling.answers.get(&q.key).map(|a| answer_fields(q, a)))
        .flatten()
        .collect()
}

fn errors_of(list: &[FieldError]) -> FormErrors {
    let mut errors = FormErrors::default();
    for e in list {
        errors.add(&e.field, &e.message);
    }
    errors
}

/// One file uploaded so far, with its Remove button.
#[derive(Debug, Clone)]
struct FileLine {
    name: String,
    remove: String,
}

/// The block for a file upload question: the files so far (each with Remove),
/// and a form to upload another.
#[derive(Template)]
#[template(path = "forms/files_block.html")]
struct FilesBlock {
    text: String,
    hint: Option<String>,
    heading: bool,
    files: Vec<FileLine>,
    action: String,
    csrf: String,
    upload: Option<crate::components::FileUpload>,
}

fn files_block(
    filling: &Filling,
    question: &Question,
    errors: &FormErrors,
    csrf: &str,
    heading: bool,
) -> String {
    let QuestionKind::FileUpload { max_files, kinds } = &question.kind else {
        return String::new();
    };
    let key = question.key.as_str();
    let files = match filling.answers.get(&question.key) {
        Some(Answer::Files(files)) => files.clone(),
        _ => Vec::new(),
    };
    let base = base(filling.target);
    let upload = (files.len() < usize::from(*max_files)).then(|| {
        let accepted = if kinds.is_empty() {
            "A PDF, Word document (DOCX), OpenDocument text (ODT), JPG, PNG, HEIC or TXT file"
                .to_owned()
        } else {
            kinds
                .iter()
                .map(|k| k.label())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let label = if files.is_empty() {
            "Upload a file"
        } else {
            "Upload another file"
        };
        let mut upload = crate::components::FileUpload::new(key, label).hint(format!(
            "{accepted}, smaller than {}MB. You can upload up to {max_files}.",
            filling.version.definition.uploads.max_mib
        ));
        if let Some(e) = errors.get(key) {
            upload = upload.error(e);
        }
        upload
    });
    FilesBlock {
        text: question.text.clone(),
        hint: question.hint.clone().filter(|h| !h.is_empty()),
        heading,
        files: files
            .iter()
            .enumerate()
            .map(|(position, file)| FileLine {
                name: file.name.clone(),
                remove: link_button_form(
                    &format!("{base}/questions/{key}/files/{position}/remove"),
                    csrf,
                    &format!("Remove {}", file.name),
                ),
            })
            .collect(),
        action: format!("{base}/questions/{key}/files"),
        csrf: csrf.to_owned(),
        upload,
    }
    .render()
    .unwrap_or_default()
}

/// One item of a repeating group so far.
#[derive(Debug, Clone)]
struct ItemLine {
    title: String,
    change: String,
    remove: String,
    lines: String,
}

/// The block for a repeating group: the items so far (each with Change and
/// Remove) and a button to add one.
#[derive(Template)]
#[template(path = "forms/items_block.html")]
struct ItemsBlock {
    key: String,
    text: String,
    hint: Option<String>,
    heading: bool,
    error: Option<String>,
    items: Vec<ItemLine>,
    add: Option<(String, String)>,
    max_items: u8,
}

fn items_block(
    filling: &Filling,
    question: &Question,
    errors: &FormErrors,
    csrf: &str,
    heading: bool,
) -> String {
    let QuestionKind::Repeating {
        item,
        questions,
        max_items,
        ..
    } = &question.kind
    else {
        return String::new();
    };
    let key = question.key.as_str();
    let items = match filling.answers.get(&question.key) {
        Some(Answer::Items(items)) => items.clone(),
        _ => Vec::new(),
    };
    let base = base(filling.target);
    let add = (items.len() < usize::from(*max_items)).then(|| {
        let text = if items.is_empty() {
            format!("Add a {item}")
        } else {
            format!("Add another {item}")
        };
        (format!("{base}/questions/{key}/items/new"), text)
    });
    ItemsBlock {
        key: key.to_owned(),
        text: question.text.clone(),
        hint: question.hint.clone().filter(|h| !h.is_empty()),
        heading,
        error: errors.get(key),
        items: items
            .iter()
            .enumerate()
            .map(|(position, answers)| ItemLine {
                title: format!("{} {}", capitalise(item), position + 1),
                change: format!("{base}/questions/{key}/items/{position}"),
                remove: link_button_form(
                    &format!("{base}/questions/{key}/items/{position}/remove"),
                    csrf,
                    &format!("Remove {item} {}", position + 1),
                ),
                lines: item_lines(questions, answers, &|_| None),
            })
            .collect(),
        add,
        max_items: *max_items,
    }
    .render()
    .unwrap_or_default()
}

fn question_page(
    app: &App,
    signed_in: &SignedIn,
    filling: &Filling,
    index: usize,
    typed: Option<&[(String, String)]>,
    errors: &FormErrors,
    back_to_check: bool,
) -> Response {
    let definition = &filling.version.definition;
    let page = &definition.pages[index];
    let earlier = filling.earlier(index);
    let questions = shown_questions(page, &earlier);
    let single = questions.len() == 1;
    let values = typed.map_or_else(|| saved_values(filling, &questions), <[_]>::to_vec);
    let mut blocks = Vec::new();
    let mut fields = Vec::new();
    for question in &questions {
        match question.kind {
            QuestionKind::FileUpload { .. } => {
                blocks.push(files_block(
                    filling,
                    question,
                    errors,
                    &signed_in.csrf,
                    single,
                ));
            }
            QuestionKind::Repeating { .. } => {
                blocks.push(items_block(
                    filling,
                    question,
                    errors,
                    &signed_in.csrf,
                    single,
                ));
            }
            _ => fields.push(question_html(question, &values, errors, single)),
        }
    }
    let title = page
        .heading
        .clone()
        .filter(|_| !single)
        .or_else(|| questions.first().map(|q| q.text.clone()))
        .unwrap_or_else(|| definition.title.clone());
    let back = if back_to_check {
        format!("{}/check", base(filling.target))
    } else {
        filling
            .walk
            .pages
            .iter()
            .rev()
            .find(|&&p| p < index)
            .map_or_else(
                || base(filling.target),
                |&p| page_href(filling.target, &definition.pages[p].key),
            )
    };
    let page_view = QuestionPage {
        chrome: signed_in.chrome(app),
        title: format!("{title} – {}", definition.title),
        form_title: caption(filling),
        // A page of several questions always has a heading: its own, or the form's title.
        heading: (!single).then(|| {
            page.heading
                .clone()
                .unwrap_or_else(|| definition.title.clone())
        }),
        has_errors: !errors.is_empty(),
        summary: errors.summary(),
        back,
        blocks,
        action: page_href(filling.target, &page.key),
        csrf: signed_in.csrf.clone(),
        fields,
        back_to_check,
        saved: saved_line(filling),
    };
    let status = if errors.is_empty() {
        http::StatusCode::OK
    } else {
        http::StatusCode::BAD_REQUEST
    };
    (status, page_view).into_response()
}

async fn show_page(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    IdPath(at): IdPath<At>,
    Query(change): Query<Change>,
) -> Result<Response, WebError> {
    let page = at.page.clone().ok_or(WebError::NotFound)?;
    let filling = app
        .open_form(&signed_in.account, at.target(), Some(&page), &source)
        .await?;
    let Some(index) = filling.open_page(&page) else {
        // Not on the route, or not reached yet: where the person should be.
        return Ok(see_other(&next_href(&filling)));
    };
    Ok(question_page(
        &app,
        &signed_in,
        &filling,
        index,
        None,
        &FormErrors::default(),
        change.back_to_check(),
    ))
}

async fn save_page(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    IdPath(at): IdPath<At>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let page = at.page.clone().ok_or(WebError::NotFound)?;
    let back_to_check = fields.iter().any(|(k, v)| k == "return" && v == "check");
    match app
        .save_form_page(&signed_in.account, at.target(), &page, &fields, &source)
        .await?
    {
        Ok(filling) => {
            let href = if back_to_check && filling.walk.complete() {
                format!("{}/check", base(filling.target))
            } else {
                next_href(&filling)
            };
            Ok(see_other(&href))
        }
        Err(problems) => {
            let filling = app
                .open_form(&signed_in.account, at.target(), Some(&page), &source)
                .await?;
            let index = filling.open_page(&page).ok_or(WebError::NotFound)?;
            Ok(question_page(
                &app,
                &signed_in,
                &filling,
                index,
                Some(&fields),
                &errors_of(&problems),
                back_to_check,
            ))
        }
    }
}

/// The page a question is on (to go back to after a file or an item).
fn page_of(filling: &Filling, question: &QuestionKey) -> Result<(usize, String), WebError> {
    let (index, _) = filling
        .version
        .definition
        .question(question)
        .ok_or(WebError::NotFound)?;
    Ok((
        index,
        page_href(filling.target, &filling.version.definition.pages[index].key),
    ))
}

async fn add_file(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    IdPath(at): IdPath<At>,
    form: CsrfMultipart,
) -> Result<Response, WebError> {
    let question = at.question.clone().ok_or(WebError::NotFound)?;
    let Some(file) = form.files.iter().find(|f| f.field == question.as_str()) else {
        let filling = app
            .open_form(&signed_in.account, at.target(), None, &source)
            .await?;
        let (index, _) = page_of(&filling, &question)?;
        let mut errors = FormErrors::default();
        errors.add(question.as_str(), "Select a file to upload");
        return Ok(question_page(
            &app, &signed_in, &filling, index, None, &errors, false,
        ));
    };
    let upload = send_app::messages::Upload {
        name: file.name.clone(),
        bytes: file.bytes.clone(),
    };
    match app
        .add_form_file(&signed_in.account, at.target(), &question, upload, &source)
        .await?
    {
        Ok(filling) => Ok(see_other(&page_of(&filling, &question)?.1)),
        Err(problem) => {
            let filling = app
                .open_form(&signed_in.account, at.target(), None, &source)
                .await?;
            let (index, _) = page_of(&filling, &question)?;
            Ok(question_page(
                &app,
                &signed_in,
                &filling,
                index,
                None,
                &errors_of(&[problem]),
                false,
            ))
        }
    }
}

async fn remove_file(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    IdPath(at): IdPath<At>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let question = at.question.clone().ok_or(WebError::NotFound)?;
    let position = at.position.ok_or(WebError::NotFound)?;
    let filling = app
        .remove_form_file(
            &signed_in.account,
            at.target(),
            &question,
            position,
            &source,
        )
        .await?;
    Ok(see_other(&page_of(&filling, &question)?.1))
}

// ---- Items of a repeating group ----

fn item_page(
    app: &App,
    signed_in: &SignedIn,
    filling: &Filling,
    at: &At,
    typed: Option<&[(String, String)]>,
    errors: &FormErrors,
) -> Result<Response, WebError> {
    let question = at.question.clone().ok_or(WebError::NotFound)?;
    let (_, asked) = filling
        .version
        .definition
        .question(&question)
        .ok_or(WebError::NotFound)?;
    let QuestionKind::Repeating {
        item, questions, ..
    } = &asked.kind
    else {
        return Err(WebError::NotFound);
    };
    let (_, back) = page_of(filling, &question)?;
    let held = match (filling.answers.get(&question), at.position) {
        (Some(Answer::Items(items)), Some(p)) => {
            Some(items.get(p).cloned().ok_or(WebError::NotFound)?)
        }
        (_, Some(_)) => return Err(WebError::NotFound),
        _ => None,
    };
    let values: Vec<(String, String)> = match (typed, &held) {
        (Some(t), _) => t.to_vec(),
        (None, Some(answers)) => questions
            .iter()
            .filter_map(|q| answers.get(&q.key).map(|a| answer_fields(q, a)))
            .flatten()
            .collect(),
        (None, None) => Vec::new(),
    };
    let action = match at.position {
        Some(p) => format!("{}/questions/{question}/items/{p}", base(filling.target)),
        None => format!("{}/questions/{question}/items/new", base(filling.target)),
    };
    let title = match at.position {
        Some(p) => format!("{} {}", capitalise(item), p + 1),
        None => format!("Add a {item}"),
    };
    let mut page = FormPage::new(
        signed_in.chrome(app),
        &title,
        &action,
        signed_in.csrf.clone(),
        "Save and continue",
    )
    .errors(errors)
    .back(&back);
    for inner in questions {
        page = page.field(&question_html(inner, &values, errors, false));
    }
    Ok(page.respond())
}

async fn show_item(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    IdPath(at): IdPath<At>,
) -> Result<Response, WebError> {
    let filling = app
        .open_form(&signed_in.account, at.target(), None, &source)
        .await?;
    let question = at.question.clone().ok_or(WebError::NotFound)?;
    let (index, _) = page_of(&filling, &question)?;
    if !filling.walk.may_open(index) {
        return Ok(see_other(&next_href(&filling)));
    }
    item_page(
        &app,
        &signed_in,
        &filling,
        &at,
        None,
        &FormErrors::default(),
    )
}

async fn save_item(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    IdPath(at): IdPath<At>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let question = at.question.clone().ok_or(WebError::NotFound)?;
    match app
        .save_form_item(
            &signed_in.account,
            at.target(),
            &question,
            at.position,
            &fields,
            &source,
        )
        .await?
    {
        Ok(filling) => Ok(see_other(&page_of(&filling, &question)?.1)),
        Err(problems) => {
            let filling = app
                .open_form(&signed_in.account, at.target(), None, &source)
                .await?;
            item_page(
                &app,
                &signed_in,
                &filling,
                &at,
                Some(&fields),
                &errors_of(&problems),
            )
        }
    }
}

async fn remove_item(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    IdPath(at): IdPath<At>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let question = at.question.clone().ok_or(WebError::NotFound)?;
    let position = at.position.ok_or(WebError::NotFound)?;
    let filling = app
        .remove_form_item(
            &signed_in.account,
            at.target(),
            &question,
            position,
            &source,
        )
        .await?;
    Ok(see_other(&page_of(&filling, &question)?.1))
}

// ---- Check your answers, submit, confirmation ----

#[derive(Debug, Clone)]
struct CheckRow {
    question: String,
    answer: String,
    change: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "forms/check.html")]
struct CheckPage {
    chrome: Chrome,
    form_title: String,
    rows: Vec<CheckRow>,
    declaration: String,
    action: String,
    csrf: String,
    back: String,
    saved: Option<String>,
}

async fn check(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    IdPath(at): IdPath<At>,
) -> Result<Response, WebError> {
    let filling = app
        .open_form(&signed_in.account, at.target(), None, &source)
        .await?;
    if !filling.walk.complete() {
        return Ok(see_other(&next_href(&filling)));
    }
    let definition = &filling.version.definition;
    let mut rows = Vec::new();
    for &index in &filling.walk.pages {
        let page = &definition.pages[index];
        let earlier = filling.earlier(index);
        for question in shown_questions(page, &earlier) {
            rows.push(CheckRow {
                question: question.text.clone(),
                answer: answer_html(question, filling.walk.answers.get(&question.key), &|_| None),
                change: format!("{}?change=check", page_href(filling.target, &page.key)),
            });
        }
    }
    let back = filling.walk.pages.last().map_or_else(
        || base(filling.target),
        |&p| page_href(filling.target, &definition.pages[p].key),
    );
    Ok(CheckPage {
        chrome: signed_in.chrome(&app),
        form_title: caption(&filling),
        rows,
        declaration: definition.declaration.clone(),
        action: format!("{}/check", base(filling.target)),
        csrf: signed_in.csrf.clone(),
        back,
        saved: saved_line(&filling),
    }
    .into_response())
}

async fn submit(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    IdPath(at): IdPath<At>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    match app
        .submit_form(&signed_in.account, at.target(), &source)
        .await?
    {
        Ok(submission) => Ok(see_other(&format!("/submitted/{}", submission.id))),
        Err(SubmitProblem::NotFinished(page)) => Ok(see_other(&page_href(at.target(), &page))),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "forms/submitted.html")]
struct SubmittedPage {
    chrome: Chrome,
    panel: Panel,
    next_steps: String,
    back: String,
    back_text: String,
}

async fn submitted(
    State(app): State<App>,
    signed_in: SignedIn,
    IdPath(id): IdPath<SubmissionId>,
) -> Result<Response, WebError> {
    let submission = app.own_submission(&signed_in.account, id).await?;
    let next_steps = app.submitted_form_next_steps(&submission).await?;
    let answered_advice = app.answered_advice(&submission).await?;
    let target = Target {
        form: submission.form_id,
        child: submission.child_id,
    };
    Ok(SubmittedPage {
        chrome: signed_in.chrome(&app),
        panel: Panel::new("Form sent").html(format!(
            "Your reference number<br><strong>{}</strong>",
            escape(&submission.reference)
        )),
        next_steps,
        back: if answered_advice {
            "/home".to_owned()
        } else {
            home_href(target)
        },
        back_text: if submission.child_id.is_some() && !answered_advice {
            "Return to the SEND Dashboard".to_owned()
        } else {
            "Return to your home page".to_owned()
        },
    }
    .into_response())
}
