//! The processing area: what waits, oldest first, with filters by status,
//! form, team and how long it has waited, and the counts.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use send_app::App;
use send_app::incoming_forms::{ProcessingArea, ProcessingFilter};
use send_domain::dates::long_date;
use send_domain::incoming_forms::ProcessingStatus;
use send_domain::{FormId, TeamId};
use serde::Deserialize;

use super::page_of;
use crate::back_office::Staff;
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::components::{Select, SelectItem};
use crate::errors::WebError;

/// The filters, as chosen.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Filters {
    #[serde(default)]
    status: String,
    #[serde(default)]
    form: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    waiting: String,
}

const STATUSES: [ProcessingStatus; 5] = [
    ProcessingStatus::New,
    ProcessingStatus::Matched,
    ProcessingStatus::Suspense,
    ProcessingStatus::Imported,
    ProcessingStatus::Rejected,
];

const WAITING: [(u32, &str); 3] = [
    (5, "More than 5 days"),
    (10, "More than 10 days"),
    (20, "More than 20 days"),
];

impl Filters {
    fn filter(&self) -> ProcessingFilter {
        ProcessingFilter {
            status: STATUSES.into_iter().find(|s| s.code() == self.status),
            form: self.form.parse().ok().map(FormId::from_uuid),
            team: self.team.parse().ok().map(TeamId::from_uuid),
            older_than_days: WAITING
                .iter()
                .map(|(days, _)| *days)
                .find(|days| days.to_string() == self.waiting),
        }
    }

    fn fields(&self, area: &ProcessingArea) -> Vec<String> {
        let select =
            |name: &str, label: &str, any: &str, value: &str, items: Vec<(String, String)>| {
                let mut select = Select::new(name, label).value(value);
                select = select.item(SelectItem::new("", any));
                for (v, text) in items {
                    select = select.item(SelectItem::new(v, text));
                }
                select.to_string()
            };
        vec![
            select(
                "status",
                "Status",
                "Waiting (new, matched or in suspense)",
                &self.status,
                STATUSES
                    .iter()
                    .map(|s| (s.code().to_owned(), s.label().to_owned()))
                    .collect(),
            ),
            select(
                "form",
                "Form",
                "Any form",
                &self.form,
                area.forms
                    .iter()
                    .map(|(id, title)| (id.to_string(), title.clone()))
                    .collect(),
            ),
            select(
                "team",
                "Team",
                "Any team",
                &self.team,
                area.teams
                    .iter()
                    .map(|t| (t.id.to_string(), t.name.clone()))
                    .collect(),
            ),
            select(
                "waiting",
                "Waiting",
                "Any time",
                &self.waiting,
                WAITING
                    .iter()
                    .map(|(days, text)| (days.to_string(), (*text).to_owned()))
                    .collect(),
            ),
        ]
    }
}

#[derive(Debug, Clone)]
struct Line {
    href: String,
    title: String,
    reference: String,
    received: String,
    waiting: String,
    child: String,
    status: &'static str,
    colour: &'static str,
    detail: String,
    by: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "incoming_forms/list.html")]
struct ListPage {
    chrome: Chrome,
    lines: Vec<Line>,
    fields: Vec<String>,
    new: u64,
    matched: u64,
    suspense: u64,
    filtered: bool,
}

fn waited(days: i64) -> String {
    match days {
        ..=0 => "Less than a day".to_owned(),
        1 => "1 day".to_owned(),
        n => format!("{n} days"),
    }
}

pub async fn show(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    Query(filters): Query<Filters>,
) -> Result<Response, WebError> {
    let area = app
        .processing_area(&staff.access, &filters.filter(), &source)
        .await?;
    let lines = area
        .rows
        .iter()
        .map(|row| {
            let p = &row.submission.processing;
            let detail = match (&row.child, p.status) {
                (Some(child), ProcessingStatus::Matched) if !p.confirmed => {
                    format!("Proposed: {}", child.display_name())
                }
                (Some(child), _) => child.display_name(),
                (None, _) => p.suspense_reason().unwrap_or_default().to_owned(),
            };
            Line {
                href: page_of(row.submission.id),
                title: row.submission.title.clone(),
                reference: row.submission.reference.clone(),
                received: long_date(send_domain::dates::uk_date(row.submission.submitted_at)),
                waiting: waited(row.days_waiting),
                child: row
                    .submitted_name
                    .clone()
                    .unwrap_or_else(|| "Not given".to_owned()),
                status: p.label(),
                colour: p.status.tag_colour(),
                detail,
                by: row.submitted_by.clone(),
            }
        })
        .collect();
    Ok(ListPage {
        chrome: staff.signed_in.chrome(&app),
        fields: filters.fields(&area),
        lines,
        new: area.counts.new,
        matched: area.counts.matched,
        suspense: area.counts.suspense,
        filtered: filters.filter() != ProcessingFilter::default(),
    }
    .into_response())
}
