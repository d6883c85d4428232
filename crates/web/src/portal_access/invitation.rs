//! "Accepting the Invitation" from the parent guide: the link from the "Accept
//! Portal Invitation" email leads to sign-in (or registration) and back, then to
//! the page where the person ticks the child, answers Yes, clicks Confirm, and
//! then Submit.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use send_app::App;
use send_app::portal_access::invitations::{LinkCheck, LinkRefusal};
use send_domain::{Child, Invitation};
use serde::Deserialize;

use crate::accounts::{FLASH, Flash, RETURN_TO, SignedIn, keep};
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::components::{
    Checkboxes, ChoiceItem, Legend, Radios, SummaryList, SummaryListAction, SummaryListRow,
};
use crate::csrf::CsrfForm;
use crate::errors::WebError;
use crate::paths::{IdPath, LinkToken};
use crate::question_page::{FormErrors, FormPage, see_other};

#[derive(Template, WebTemplate)]
#[template(path = "portal/invitation_start.html")]
pub struct StartPage {
    chrome: Chrome,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/invitation_unusable.html")]
pub struct UnusablePage {
    chrome: Chrome,
    title: String,
    paragraphs: Vec<String>,
}

fn unusable(chrome: Chrome, refusal: LinkRefusal) -> Response {
    let (status, title, paragraphs): (StatusCode, &str, &[&str]) = match refusal {
        LinkRefusal::Unknown => (
            StatusCode::NOT_FOUND,
            "This invitation link is not valid",
            &[
                "Check that you copied the whole link from the email.",
                "If the SEND team has sent you a newer Accept Portal Invitation email, use the link in that one.",
            ],
        ),
        LinkRefusal::Expired => (
            StatusCode::GONE,
            "This invitation link has expired",
            &["Contact the SEND team and ask them to send you a new one."],
        ),
        LinkRefusal::AlreadyUsed => (
            StatusCode::GONE,
            "You have already answered this invitation",
            &[
                "The link works once. If you accepted, the SEND team will email you when they have confirmed your account, and the child will then appear on your Portal home.",
            ],
        ),
        LinkRefusal::OtherAccount => (
            StatusCode::FORBIDDEN,
            "This invitation has already been used",
            &[
                "It was accepted by a different account. The link works for one account only.",
                "If this was not you, contact the SEND team.",
            ],
        ),
        LinkRefusal::Closed => (
            StatusCode::GONE,
            "This invitation is closed",
            &["Contact the SEND team if you still need to see the child's case."],
        ),
        LinkRefusal::StaffAccount => (
            StatusCode::FORBIDDEN,
            "Sign in with your own portal account",
            &[
                "Back-office accounts cannot accept invitations. Sign out, then sign in with the account of the person who was invited.",
            ],
        ),
    };
    (
        status,
        UnusablePage {
            chrome,
            title: title.to_owned(),
            paragraphs: paragraphs.iter().map(|p| (*p).to_owned()).collect(),
        },
    )
        .into_response()
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    child: String,
    #[serde(default)]
    answer: String,
}

/// The answer, if complete: `Some(true)` Yes with the child ticked, `Some(false)` No.
fn check_answer(form: &AnswerForm, child: &Child, errors: &mut FormErrors) -> Option<bool> {
    let ticked = form.child == child.id.to_string();
    match form.answer.as_str() {
        "yes" if ticked => Some(true),
        "yes" => {
            errors.add("child", "Select the child by ticking the box");
            None
        }
        "no" => Some(false),
        _ => {
            if !ticked {
                errors.add("child", "Select the child by ticking the box");
            }
            errors.add("answer", "Select yes if you wish to accept the invitation");
            None
        }
    }
}

fn question_page(
    signed_in: &SignedIn,
    app: &App,
    token: &str,
    child: &Child,
    form: &AnswerForm,
    errors: &FormErrors,
) -> Response {
    let children = Checkboxes::new("child")
        .legend(Legend {
            classes: Some("govuk-fieldset__legend--m".to_owned()),
            ..Legend::new("Select the child")
        })
        .error_opt(errors.get("child"))
        .item(
            ChoiceItem::new(child.id.to_string(), child.display_name())
                .checked(form.child == child.id.to_string()),
        );
    let answer = Radios::new("answer")
        .legend(Legend {
            classes: Some("govuk-fieldset__legend--m".to_owned()),
            ..Legend::new(
                "Do you wish to accept this invitation to see the child’s case in the SEND Portal?",
            )
        })
        .classes("govuk-radios--inline")
        .error_opt(errors.get("answer"))
        .item(ChoiceItem::new("yes", "Yes").checked(form.answer == "yes"))
        .item(ChoiceItem::new("no", "No").checked(form.answer == "no"));
    FormPage::new(
        signed_in.chrome(app),
        "Accept Portal Invitation",
        &format!("/invitations/{token}"),
        signed_in.csrf.clone(),
        "Confirm",
    )
    .errors(errors)
    .intro("The SEND team has invited you to see this child’s case in the SEND Portal.")
    .field(&children)
    .field(&answer)
    .respond()
}

/// The link, checked for this person; a refusal is its own page.
async fn usable(
    app: &App,
    signed_in: &SignedIn,
    token: &str,
    source: &send_app::audit::Source,
) -> Result<Result<(Invitation, Child), Response>, WebError> {
    match app
        .check_invitation_link(token, signed_in.account.id, source)
        .await?
    {
        LinkCheck::Usable(offer) => Ok(Ok((offer.invitation, offer.child))),
        LinkCheck::Refused(refusal) => Ok(Err(unusable(signed_in.chrome(app), refusal))),
    }
}

/// The link checked and the answer complete; otherwise the page to show (the
/// refusal, or the question again with its errors).
async fn answered(
    app: &App,
    signed_in: &SignedIn,
    token: &str,
    source: &send_app::audit::Source,
    form: &AnswerForm,
) -> Result<Result<(Child, bool), Response>, WebError> {
    let (_, child) = match usable(app, signed_in, token, source).await? {
        Ok(found) => found,
        Err(page) => return Ok(Err(page)),
    };
    let mut errors = FormErrors::default();
    Ok(match check_answer(form, &child, &mut errors) {
        Some(accept) => Ok((child, accept)),
        None => Err(question_page(signed_in, app, token, &child, form, &errors)),
    })
}

/// The question; `?child=…&answer=…` (from "Change" on the check page) shows
/// the answer given.
pub async fn show(
    State(app): State<App>,
    signed_in: Option<SignedIn>,
    session: tower_sessions::Session,
    ClientAddress(source): ClientAddress,
    IdPath(token): IdPath<LinkToken>,
    Query(given): Query<AnswerForm>,
) -> Result<Response, WebError> {
    let token = token.as_str();
    let Some(signed_in) = signed_in else {
        keep(&session, RETURN_TO, &format!("/invitations/{token}")).await?;
        return Ok(StartPage {
            chrome: Chrome::new(&app),
        }
        .into_response());
    };
    match usable(&app, &signed_in, token, &source).await? {
        Ok((_, child)) => Ok(question_page(
            &signed_in,
            &app,
            token,
            &child,
            &given,
            &FormErrors::default(),
        )),
        Err(page) => Ok(page),
    }
}

/// "Confirm": the answer is checked and shown back, with Submit.
pub async fn confirm(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    IdPath(token): IdPath<LinkToken>,
    CsrfForm(form): CsrfForm<AnswerForm>,
) -> Result<Response, WebError> {
    let token = token.as_str();
    let (child, accept) = match answered(&app, &signed_in, token, &source, &form).await? {
        Ok(answer) => answer,
        Err(page) => return Ok(page),
    };
    // "Change" goes back to the question with the answer given.
    let question = format!(
        "/invitations/{token}?child={}&answer={}",
        child.id,
        if accept { "yes" } else { "no" }
    );
    let summary = SummaryList::new()
        .row(
            SummaryListRow::new("Child", child.display_name()).action(SummaryListAction::new(
                "Change",
                format!("{question}#child"),
                "the child",
            )),
        )
        .row(
            SummaryListRow::new(
                "Do you wish to accept the invitation?",
                if accept { "Yes" } else { "No" },
            )
            .action(SummaryListAction::new(
                "Change",
                format!("{question}#answer"),
                "whether you accept the invitation",
            )),
        );
    let mut page = FormPage::new(
        signed_in.chrome(&app),
        "Check your answer",
        &format!("/invitations/{token}/submit"),
        signed_in.csrf.clone(),
        "Submit",
    )
    .back(&question)
    .before_form(summary.to_string());
    page = page.intro(if accept {
        "When you submit, the SEND team will be asked to confirm your account. We will email you when you can see the SEND Dashboard."
    } else {
        "When you submit, the invitation will be closed. Contact the SEND team if you change your mind."
    });
    let hidden = HiddenAnswer {
        child: &form.child,
        answer: &form.answer,
    }
    .render()
    .unwrap_or_default();
    Ok(page.field(&hidden).respond())
}

#[derive(Template)]
#[template(
    source = r#"<input type="hidden" name="child" value="{{ child }}"><input type="hidden" name="answer" value="{{ answer }}">"#,
    ext = "html"
)]
struct HiddenAnswer<'a> {
    child: &'a str,
    answer: &'a str,
}

/// "Submit": the answer is recorded, and an email confirms it.
pub async fn submit(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    IdPath(token): IdPath<LinkToken>,
    CsrfForm(form): CsrfForm<AnswerForm>,
) -> Result<Response, WebError> {
    let token = token.as_str();
    let (_, accept) = match answered(&app, &signed_in, token, &source, &form).await? {
        Ok(answer) => answer,
        Err(page) => return Ok(page),
    };
    match app
        .answer_invitation(token, signed_in.account.id, accept, &source)
        .await?
    {
        Ok(()) => {
            let message = if accept {
                "Thank you. Your request has been sent to the SEND team. We have emailed you to confirm it, and will email you again when you can see the SEND Dashboard."
            } else {
                "You did not accept the invitation, and it has been closed."
            };
            keep(&signed_in.session, FLASH, &Flash::success(message)).await?;
            Ok(see_other("/home"))
        }
        Err(refusal) => Ok(unusable(signed_in.chrome(&app), refusal)),
    }
}
