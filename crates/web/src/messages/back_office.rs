//! Messages in the back office (MSG-2): a child's threads, one conversation with
//! its reply box (the MOJ messages pattern), the team inbox of threads waiting
//! for an answer, holding a thread, and handing one's threads over.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use send_app::messages::ThreadSummary;
use send_app::{App, AppError};
use send_domain::dates::uk_time;
use send_domain::{ChildId, Email, ThreadId};
use serde::Deserialize;

use super::shared::{Bubble, CHANGED_MEANWHILE, add_problem, body_fields, bubbles, reply_draft};
use crate::accounts::{FLASH, Flash, keep, take};
use crate::back_office::Staff;
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::csrf::{CsrfForm, CsrfMultipart};
use crate::errors::WebError;
use crate::paths::IdPath;
use crate::question_page::{FormErrors, see_other};

/// A thread in a list.
#[derive(Debug, Clone)]
pub struct ThreadLine {
    pub id: ThreadId,
    pub subject: String,
    pub type_name: String,
    pub last: String,
    pub unread: usize,
    pub waiting: Option<String>,
    /// Of the built-in Complaint type: its type is shown as a red tag.
    pub complaint: bool,
}

fn waiting_for(app: &App, summary: &ThreadSummary) -> Option<String> {
    summary.thread.waiting_since.map(|since| {
        let days = (app.clock.now() - since).whole_days();
        match days {
            0 => "Less than a day".to_owned(),
            1 => "1 day".to_owned(),
            n => format!("{n} days"),
        }
    })
}

fn line(app: &App, summary: &ThreadSummary) -> ThreadLine {
    ThreadLine {
        id: summary.thread.id,
        subject: summary.thread.subject.to_string(),
        type_name: summary.type_name.clone(),
        last: uk_time(summary.thread.last_message_at),
        unread: summary.unread,
        waiting: waiting_for(app, summary),
        complaint: summary.thread.is_complaint(),
    }
}

/// "Less than a day" in a sentence: "has waited less than a day".
fn in_a_sentence(waited: &str) -> String {
    let mut chars = waited.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "back_office/child_messages.html")]
pub struct ChildMessagesPage {
    chrome: Chrome,
    id: ChildId,
    name: String,
    threads: Vec<ThreadLine>,
}

pub async fn child_messages(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ChildId>,
) -> Result<Response, WebError> {
    let (child, threads) = app.case_threads(&staff.access, id, &source).await?;
    Ok(ChildMessagesPage {
        chrome: staff.signed_in.chrome(&app),
        id,
        name: child.display_name(),
        threads: threads.iter().map(|s| line(&app, s)).collect(),
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "back_office/thread.html")]
pub struct ThreadPage {
    chrome: Chrome,
    id: ThreadId,
    /// The version shown, sent back with a reply.
    version: u32,
    child_id: ChildId,
    name: String,
    subject: String,
    type_name: String,
    assigned_to: Option<String>,
    mine: bool,
    messages: Vec<Bubble>,
    csrf: String,
    has_errors: bool,
    summary: String,
    fields: [String; 2],
    /// "Reply sent", after sending one.
    banner: Option<String>,
    give_to: String,
}

/// What a thread page's forms hold after a refused post.
#[derive(Debug, Clone, Copy, Default)]
struct Typed<'a> {
    message: &'a str,
    give_to: &'a str,
}

async fn thread_page(
    app: &App,
    staff: &Staff,
    source: &send_app::audit::Source,
    id: ThreadId,
    typed: Typed<'_>,
    errors: &FormErrors,
) -> Result<Response, WebError> {
    let view = app.staff_open_thread(&staff.access, id, source).await?;
    let banner = if errors.is_empty() {
        take::<Flash>(&staff.signed_in.session, FLASH)
            .await?
            .map(|f| f.banner())
    } else {
        None
    };
    let status = if errors.is_empty() {
        http::StatusCode::OK
    } else {
        http::StatusCode::BAD_REQUEST
    };
    Ok((
        status,
        ThreadPage {
            chrome: staff.signed_in.chrome(app),
            id,
            version: view.thread.version,
            child_id: view.child.id,
            name: view.child.display_name(),
            subject: view.thread.subject.to_string(),
            type_name: view.type_name.clone(),
            mine: view.thread.assigned_to == Some(staff.access.account_id),
            assigned_to: view.assigned_to.clone(),
            messages: bubbles(&view),
            csrf: staff.signed_in.csrf.clone(),
            has_errors: !errors.is_empty(),
            summary: errors.summary().to_string(),
            fields: body_fields(typed.message, errors),
            banner,
            give_to: crate::components::Input::new("to", "Colleague's email address")
                .kind("email")
                .autocomplete("off")
                .spellcheck(false)
                .value(typed.give_to)
                .error_opt(errors.get("to"))
                .to_string(),
        },
    )
        .into_response())
}

pub async fn thread(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ThreadId>,
) -> Result<Response, WebError> {
    thread_page(
        &app,
        &staff,
        &source,
        id,
        Typed::default(),
        &FormErrors::default(),
    )
    .await
}

pub async fn reply(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ThreadId>,
    form: CsrfMultipart,
) -> Result<Response, WebError> {
    let text = form.text("message");
    let mut errors = FormErrors::default();
    let seen = form.text("version").parse().ok();
    if let Some(draft) = reply_draft(&form, &mut errors) {
        match app
            .staff_reply(&staff.access, id, seen, draft, &source)
            .await
        {
            Ok(Ok(())) => {
                keep(
                    &staff.signed_in.session,
                    FLASH,
                    &Flash::success("Your reply has been sent"),
                )
                .await?;
                return Ok(see_other(&format!("/back-office/messages/{id}")));
            }
            Ok(Err(problem)) => add_problem(&mut errors, &problem),
            Err(AppError::Changed) => errors.add("message", CHANGED_MEANWHILE),
            Err(other) => return Err(other.into()),
        }
    }
    let typed = Typed {
        message: &text,
        give_to: "",
    };
    thread_page(&app, &staff, &source, id, typed, &errors).await
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct HoldForm {
    /// "me" to hold the thread, anything else to let it go.
    #[serde(default)]
    hold: String,
}

pub async fn hold(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ThreadId>,
    CsrfForm(form): CsrfForm<HoldForm>,
) -> Result<Response, WebError> {
    let to = (form.hold == "me").then_some(staff.access.account_id);
    app.assign_thread(&staff.access, id, to, &source).await?;
    Ok(see_other(&format!("/back-office/messages/{id}")))
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct GiveForm {
    #[serde(default)]
    to: String,
}

/// Gives the thread to a colleague, found by their email address.
pub async fn give(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ThreadId>,
    CsrfForm(form): CsrfForm<GiveForm>,
) -> Result<Response, WebError> {
    let to = match Email::parse(&form.to) {
        Ok(email) => app.staff_by_email(&email).await?,
        Err(_) => None,
    };
    let mut errors = FormErrors::default();
    match to {
        Some(to)
            if app
                .assign_thread(&staff.access, id, Some(to), &source)
                .await? =>
        {
            return Ok(see_other(&format!("/back-office/messages/{id}")));
        }
        Some(_) => errors.add("to", "That colleague cannot see this child’s case"),
        None => errors.add(
            "to",
            "Enter the email address of a colleague in the SEND team",
        ),
    }
    let typed = Typed {
        message: "",
        give_to: &form.to,
    };
    thread_page(&app, &staff, &source, id, typed, &errors).await
}

/// A thread in the team inbox.
#[derive(Debug, Clone)]
pub struct InboxLine {
    pub child_id: ChildId,
    pub child: String,
    pub thread: ThreadLine,
    pub held_by: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "back_office/team_inbox.html")]
pub struct TeamInboxPage {
    chrome: Chrome,
    lines: Vec<InboxLine>,
    oldest: Option<String>,
    csrf: String,
    has_errors: bool,
    summary: String,
    hand_over: String,
    flash: Option<String>,
}

async fn inbox_page(
    app: &App,
    staff: &Staff,
    source: &send_app::audit::Source,
    typed: &str,
    errors: &FormErrors,
    flash: Option<String>,
) -> Result<Response, WebError> {
    let rows = app.team_inbox(&staff.access, source).await?;
    let lines: Vec<InboxLine> = rows
        .iter()
        .map(|r| InboxLine {
            child_id: r.child.id,
            child: r.child.display_name(),
            thread: line(app, &r.summary),
            held_by: r.assigned_to.clone().unwrap_or_else(|| "Nobody".to_owned()),
        })
        .collect();
    let oldest = lines
        .first()
        .and_then(|l| l.thread.waiting.as_deref())
        .map(in_a_sentence);
    let status = if errors.is_empty() {
        http::StatusCode::OK
    } else {
        http::StatusCode::BAD_REQUEST
    };
    Ok((
        status,
        TeamInboxPage {
            chrome: staff.signed_in.chrome(app),
            lines,
            oldest,
            csrf: staff.signed_in.csrf.clone(),
            has_errors: !errors.is_empty(),
            summary: errors.summary().to_string(),
            hand_over: crate::components::Input::new("to", "Colleague's email address")
                .kind("email")
                .autocomplete("off")
                .spellcheck(false)
                .value(typed)
                .error_opt(errors.get("to"))
                .to_string(),
            flash,
        },
    )
        .into_response())
}

pub async fn team_inbox(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
) -> Result<Response, WebError> {
    let flash = take::<Flash>(&staff.signed_in.session, FLASH).await?;
    let banner = flash.map(|f| f.banner());
    inbox_page(&app, &staff, &source, "", &FormErrors::default(), banner).await
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct HandOverForm {
    #[serde(default)]
    to: String,
}

pub async fn hand_over(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    CsrfForm(form): CsrfForm<HandOverForm>,
) -> Result<Response, WebError> {
    let mut errors = FormErrors::default();
    let to = match Email::parse(&form.to) {
        Ok(email) => app.staff_by_email(&email).await?,
        Err(_) => None,
    };
    match to {
        Some(to) if to != staff.access.account_id => {
            let Some(moved) = app
                .hand_over_threads(&staff.access, staff.access.account_id, to, &source)
                .await?
            else {
                errors.add("to", "That colleague cannot see your team’s cases");
                return inbox_page(&app, &staff, &source, &form.to, &errors, None).await;
            };
            let text = match moved {
                1 => "1 thread handed over".to_owned(),
                n => format!("{n} threads handed over"),
            };
            keep(&staff.signed_in.session, FLASH, &Flash::success(&text)).await?;
            return Ok(see_other("/back-office/messages"));
        }
        _ => errors.add(
            "to",
            "Enter the email address of a colleague in the SEND team",
        ),
    }
    inbox_page(&app, &staff, &source, &form.to, &errors, None).await
}
