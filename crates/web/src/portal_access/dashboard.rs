//! The SEND Dashboard (CASE-4): for a child the person is linked to, the
//! statutory timescales with the current stage marked, key dates with their
//! status, the caseworker, Extra Information for each stage, what happens next,
//! and the Messages, Documents to View and Actions to Complete panels.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use send_app::App;
use send_app::portal_access::links::stage_guide_for;
use send_domain::dates::{clock_time, long_date};
use send_domain::timeline::{KeyDateStatus, Reader};
use send_domain::{ChildId, Opener};

use crate::accounts::SignedIn;
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::components::Tag;
use crate::errors::WebError;
use crate::involvements::status_tag;
use crate::paths::IdPath;

/// One stage of the timescales.
#[derive(Debug, Clone)]
pub struct StageLine {
    pub label: String,
    pub current: bool,
    pub what_happens: String,
    pub what_you_can_do: String,
    pub how_long: String,
    /// The council's own Extra Information (Texts and settings), shown
    /// instead of the portal's guide when it has one.
    pub council: Vec<String>,
}

/// One action under Actions to Complete.
#[derive(Debug, Clone)]
pub struct ActionLine {
    pub title: String,
    pub href: String,
    pub due: String,
    pub tag: Tag,
}

/// One day of "Who has looked at this record": the date, and each opener (a
/// role and team, or a job and organisation) with the time.
pub type OpeningsLine = (String, Vec<(String, String)>);

/// One key date.
#[derive(Debug, Clone)]
pub struct KeyDateLine {
    pub title: String,
    pub due: String,
    pub tag: Tag,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/dashboard.html")]
pub struct DashboardPage {
    chrome: Chrome,
    child_id: ChildId,
    name: String,
    council: String,
    involvement: Option<String>,
    stages: Vec<StageLine>,
    current: String,
    next: Option<String>,
    key_dates: Vec<KeyDateLine>,
    /// Each request for advice on the involvement: its kind and whether it arrived.
    advice: Vec<(String, crate::components::Tag)>,
    caseworker: Option<String>,
    unread_messages: usize,
    documents: usize,
    actions: Vec<ActionLine>,
    /// "Who has looked at this record", for the family only: each UK day and who
    /// (a role and team, or a job and organisation) at what time.
    openings: Option<Vec<OpeningsLine>>,
    /// The reader is the family ("you"), not a professional ("the family").
    family: bool,
}

pub async fn show(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ChildId>,
) -> Result<Response, WebError> {
    let dashboard = app.dashboard(signed_in.account.id, id, &source).await?;
    let texts = app.texts().await?;
    let reader = Reader::from(dashboard.role);
    let (involvement, stages, current, next, key_dates) = match &dashboard.involvement {
        None => (None, Vec::new(), String::new(), None, Vec::new()),
        Some(view) => {
            let inv = &view.involvement;
            let stages = inv
                .stage_path()
                .into_iter()
                .map(|(stage, current)| {
                    let guide = stage_guide_for(stage, reader);
                    StageLine {
                        label: stage.label().to_owned(),
                        current,
                        what_happens: guide.map(|g| g.what_happens.to_owned()).unwrap_or_default(),
                        what_you_can_do: guide
                            .map(|g| g.what_you_can_do.to_owned())
                            .unwrap_or_default(),
                        how_long: guide.map(|g| g.how_long.to_owned()).unwrap_or_default(),
                        council: {
                            let key = send_app::council_texts::stage_key(stage);
                            if texts.is_changed(&key) {
                                app.render_council_text(&texts, &key)
                            } else {
                                Vec::new()
                            }
                        },
                    }
                })
                .collect();
            let next = view
                .key_dates
                .iter()
                .filter(|k| {
                    matches!(
                        k.status,
                        KeyDateStatus::Upcoming
                            | KeyDateStatus::DueSoon
                            | KeyDateStatus::Missed { .. }
                    )
                })
                .min_by_key(|k| k.due)
                .and_then(|k| k.next_step(reader));
            let key_dates = view
                .key_dates
                .iter()
                .filter(|k| k.due.is_some())
                .map(|k| KeyDateLine {
                    title: k.rule.said_to(reader).into_owned(),
                    due: k.due.map(long_date).unwrap_or_default(),
                    tag: status_tag(k),
                })
                .collect();
            (
                Some(inv.kind.label().to_owned()),
                stages,
                inv.stage.label().to_owned(),
                next,
                key_dates,
            )
        }
    };
    let advice = advice_lines(dashboard.involvement.as_ref());
    let openings = dashboard.openings.as_deref().map(openings_lines);
    Ok(DashboardPage {
        family: reader == Reader::Family,
        openings,
        advice,
        chrome: signed_in.chrome(&app),
        child_id: id,
        name: dashboard.child.display_name(),
        council: app.settings.council_name.as_str().to_owned(),
        involvement,
        stages,
        current,
        next,
        key_dates,
        caseworker: dashboard.caseworker,
        unread_messages: dashboard.unread_messages,
        documents: dashboard.documents,
        actions: dashboard
            .actions
            .iter()
            .map(|a| ActionLine {
                title: a.title.clone(),
                href: format!("/children/{}/forms/{}", a.child_id, a.form_id),
                due: a.due.map(long_date).unwrap_or_default(),
                tag: Tag::colour(a.status.label(), a.status.tag_colour()),
            })
            .collect(),
    }
    .into_response())
}

/// "Who has looked at this record", a line per UK day.
fn openings_lines(days: &[send_app::audit::OpeningsDay]) -> Vec<OpeningsLine> {
    days.iter()
        .map(|day| {
            let openers = day
                .openers
                .iter()
                .map(|(opener, at)| (describe_opener(opener), clock_time(*at)))
                .collect();
            (long_date(day.date), openers)
        })
        .collect()
}

/// Someone who opened the record, as the family sees them: never a name.
fn describe_opener(opener: &Opener) -> String {
    match opener {
        Opener::Staff {
            role,
            team: Some(team),
        } => format!("{}, {team}", role.label()),
        Opener::Staff { role, team: None } => format!("{}, the council", role.label()),
        Opener::Professional {
            job_role: Some(job),
            organisation,
        } if !job.trim().is_empty() => format!("{job}, {organisation}"),
        Opener::Professional { organisation, .. } => {
            format!("A professional from {organisation}")
        }
    }
}

/// Each request for advice on the involvement, for the family: its kind and
/// whether it arrived (withdrawn ones left out).
fn advice_lines(
    involvement: Option<&send_app::involvements::InvolvementView>,
) -> Vec<(String, crate::components::Tag)> {
    involvement
        .map(|view| {
            view.advice
                .iter()
                .filter(|line| {
                    !matches!(
                        line.request.status,
                        send_domain::advice::AdviceStatus::Withdrawn { .. }
                    )
                })
                .map(|line| {
                    (
                        line.request.kind.label().to_owned(),
                        crate::advice::family_advice_tag(line),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}
