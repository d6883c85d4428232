//! The person asked for advice: "Advice requested from you" on the portal home,
//! and one request's page, where they upload their advice. They see the child's
//! name and date of birth (so they know whom it concerns), the kind of advice and
//! the due date: nothing else of the child's case. Anyone else, and anyone once
//! the request is answered or withdrawn, gets the audited 404.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use send_app::App;
use send_app::advice::AdviceForYou;
use send_app::messages::Upload;
use send_domain::AdviceRequestId;
use send_domain::dates::long_date;

use super::advice_tag;
use crate::accounts::{FLASH, Flash, SignedIn, keep};
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::components::{FileUpload, Tag};
use crate::csrf::CsrfMultipart;
use crate::errors::WebError;
use crate::paths::IdPath;
use crate::question_page::{FormErrors, see_other};

/// One request on the portal home.
#[derive(Debug, Clone)]
pub struct AdviceForYouLine {
    pub href: String,
    pub child: String,
    pub kind: String,
    pub due: String,
    pub tag: Tag,
}

/// "Advice requested from you", soonest due first.
pub async fn advice_for_you_lines(
    app: &App,
    signed_in: &SignedIn,
) -> Result<Vec<AdviceForYouLine>, WebError> {
    Ok(app
        .advice_requested_from(signed_in.account.id)
        .await?
        .into_iter()
        .map(|advice| AdviceForYouLine {
            href: format!("/advice/{}", advice.line.request.id),
            child: advice.child_name.clone(),
            kind: advice.line.request.kind.label().to_owned(),
            due: long_date(advice.line.request.due_on),
            tag: advice_tag(&advice.line),
        })
        .collect())
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/advice.html")]
pub struct AdvicePage {
    chrome: Chrome,
    id: AdviceRequestId,
    csrf: String,
    child: String,
    born: String,
    kind: String,
    kind_lower: String,
    council: String,
    sent: String,
    due: String,
    tag: Tag,
    has_errors: bool,
    summary: crate::components::ErrorSummary,
    upload: String,
    /// The advice form to fill in, when they were asked to answer by form.
    form_href: Option<String>,
}

fn page(app: &App, signed_in: &SignedIn, advice: &AdviceForYou, errors: &FormErrors) -> Response {
    let request = &advice.line.request;
    let mut upload = FileUpload::new("file", "Upload your advice").hint(
        "A PDF, Word document (DOCX), OpenDocument text (ODT), JPG, PNG, HEIC or TXT file, \
         smaller than 20MB",
    );
    if let Some(error) = errors.get("file") {
        upload = upload.error(error);
    }
    let status = if errors.is_empty() {
        http::StatusCode::OK
    } else {
        http::StatusCode::BAD_REQUEST
    };
    let page = AdvicePage {
        chrome: signed_in.chrome(app),
        id: request.id,
        csrf: signed_in.csrf.clone(),
        child: advice.child_name.clone(),
        born: long_date(advice.child_date_of_birth),
        kind: request.kind.label().to_owned(),
        kind_lower: request.kind.label().to_lowercase(),
        council: app.settings.council_name.to_string(),
        sent: long_date(request.sent_on),
        due: long_date(request.due_on),
        tag: advice_tag(&advice.line),
        has_errors: !errors.is_empty(),
        summary: errors.summary(),
        upload: upload.to_string(),
        form_href: match (request.answer_by, request.form) {
            (send_domain::advice::AnswerBy::Form, Some(form)) => {
                Some(format!("/children/{}/forms/{form}", request.child_id))
            }
            _ => None,
        },
    };
    (status, page).into_response()
}

pub async fn show(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<AdviceRequestId>,
) -> Result<Response, WebError> {
    let advice = app
        .open_advice_request(signed_in.account.id, id, &source)
        .await?;
    Ok(page(&app, &signed_in, &advice, &FormErrors::default()))
}

pub async fn submit(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<AdviceRequestId>,
    multipart: CsrfMultipart,
) -> Result<Response, WebError> {
    let advice = app
        .open_advice_request(signed_in.account.id, id, &source)
        .await?;
    let mut errors = FormErrors::default();
    let Some(file) = multipart
        .files
        .iter()
        .find(|f| f.field == "file" && !f.name.is_empty())
    else {
        errors.add("file", "Select a file with your advice");
        return Ok(page(&app, &signed_in, &advice, &errors));
    };
    let upload = Upload {
        name: file.name.clone(),
        bytes: file.bytes.clone(),
    };
    match app
        .answer_advice_by_upload(signed_in.account.id, id, upload, &source)
        .await?
    {
        Ok(_) => {
            keep(
                &signed_in.session,
                FLASH,
                &Flash::success(&format!(
                    "Your {} about {} has been sent to the SEND team",
                    advice.line.request.kind.label().to_lowercase(),
                    advice.child_name
                )),
            )
            .await?;
            Ok(see_other("/home"))
        }
        Err(problem) => {
            errors.add("file", problem.to_string());
            Ok(page(&app, &signed_in, &advice, &errors))
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/advice_link_start.html")]
pub struct LinkStartPage {
    chrome: Chrome,
    council: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/invitation_unusable.html")]
pub struct LinkUnusablePage {
    chrome: Chrome,
    title: String,
    paragraphs: Vec<String>,
}

/// The single-use link from the email: a visitor is asked to sign in or register
/// and comes back here; a signed-in person becomes the one who answers the
/// request and goes to its page.
pub async fn open_link(
    State(app): State<App>,
    signed_in: Option<SignedIn>,
    session: tower_sessions::Session,
    ClientAddress(source): ClientAddress,
    IdPath(token): IdPath<crate::paths::LinkToken>,
) -> Result<Response, WebError> {
    let Some(signed_in) = signed_in else {
        crate::accounts::keep(
            &session,
            crate::accounts::RETURN_TO,
            &format!("/advice/link/{}", token.as_str()),
        )
        .await?;
        return Ok(LinkStartPage {
            chrome: Chrome::new(&app),
            council: app.settings.council_name.to_string(),
        }
        .into_response());
    };
    match app
        .claim_advice_link(&signed_in.account, token.as_str(), &source)
        .await?
    {
        Ok(id) => Ok(see_other(&format!("/advice/{id}"))),
        Err(problem) => {
            use send_app::advice::links::LinkProblem;
            let (title, why) = match problem {
                LinkProblem::Used => (
                    "This link has already been used",
                    "Each link works once. If you used it yourself, sign in: the request is on your portal home.",
                ),
                LinkProblem::Expired => (
                    "This link has expired",
                    "Contact the SEND team if you still need to give your advice.",
                ),
                LinkProblem::NoLongerNeeded => (
                    "This advice is no longer needed",
                    "The advice has arrived or the SEND team has withdrawn the request.",
                ),
                LinkProblem::StaffAccount => (
                    "Sign in with a portal account to use this link",
                    "Members of the SEND team cannot answer requests for advice in the portal.",
                ),
                LinkProblem::Unknown => (
                    "This link does not work",
                    "Check you copied the whole link from the email. Each reminder email has a new link, which replaces the one before.",
                ),
            };
            Ok((
                http::StatusCode::GONE,
                LinkUnusablePage {
                    chrome: signed_in.chrome(&app),
                    title: title.to_owned(),
                    paragraphs: vec![why.to_owned()],
                },
            )
                .into_response())
        }
    }
}
