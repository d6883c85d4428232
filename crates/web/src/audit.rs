//! The audit log (ADM-3): a search page for staff with "View the audit log", paged
//! newest first, and the same search as a CSV download. Both are themselves
//! audited (`audit.searched`, `audit.exported`), refusals too. Portal users get the
//! 404 page (the [`Staff`] extractor), staff without the permission the 403 page.

use crate::routes::Routes;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::header;
use send_app::App;
use send_app::audit::{AuditFilters, AuditLine, Found, PERSON_CHOICES};
use send_domain::dates::{parse_date, uk_time};
use send_domain::{
    Actor, AuditAction, AuditCursor, AuditEventId, AuditOutcome, Permission, StaffAccess,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::back_office::Staff;
use crate::cases::date_input;
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::components::{Input, Pagination, PaginationLink, Select, SelectItem};
use crate::errors::WebError;
use crate::question_page::FormErrors;

pub const AUDIT_PAGE: &str = "/back-office/admin/audit";
const AUDIT_CSV: &str = "/back-office/admin/audit/download";

pub fn router() -> Routes {
    Routes::new()
        .route(AUDIT_PAGE, get(show))
        .route(AUDIT_CSV, get(download))
}

/// The search as typed: every field kept, so the page shows it again and the
/// next page and the download repeat it.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct AuditForm {
    #[serde(default)]
    child: String,
    #[serde(default)]
    person: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    outcome: String,
    #[serde(default, rename = "from-day")]
    from_day: String,
    #[serde(default, rename = "from-month")]
    from_month: String,
    #[serde(default, rename = "from-year")]
    from_year: String,
    #[serde(default, rename = "to-day")]
    to_day: String,
    #[serde(default, rename = "to-month")]
    to_month: String,
    #[serde(default, rename = "to-year")]
    to_year: String,
    /// Where the page starts (keyset paging): `<unix nanoseconds>~<event id>`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    before: String,
}

fn typed(parts: [&str; 3]) -> bool {
    parts.iter().any(|p| !p.trim().is_empty())
}

impl AuditForm {
    /// The filters, each checked and found, or the page's errors (with the
    /// people to choose from when the person typed could be several).
    async fn filters(
        &self,
        app: &App,
        access: &StaffAccess,
    ) -> Result<Result<AuditFilters, (FormErrors, Vec<PersonLink>)>, WebError> {
        let mut errors = FormErrors::default();
        let mut choices = Vec::new();
        let mut filters = AuditFilters::default();
        if !self.child.trim().is_empty() {
            match app.find_audit_child(access, &self.child).await? {
                Found::One(id) => filters.child = Some(id),
                Found::None => errors.add(
                    "child",
                    "No child matches. Enter the child's name, UPN, ULN or NHS number",
                ),
                Found::Several => errors.add(
                    "child",
                    "More than one child matches. Enter the child's UPN, ULN or NHS number",
                ),
            }
        }
        if !self.person.trim().is_empty() {
            let found = app.find_audit_person(access, &self.person).await?;
            match found.as_slice() {
                [] => errors.add(
                    "person",
                    "No name or email address matches. Enter the name or email address of who did it, or of whom it was about",
                ),
                [one] => filters.person = Some(one.id),
                several if several.len() > PERSON_CHOICES as usize => errors.add(
                    "person",
                    "More than 10 people match. Enter more of their name, or their email address",
                ),
                several => {
                    errors.add(
                        "person",
                        "More than one person matches. Choose who you mean from the list, or enter their email address",
                    );
                    choices.extend(several.iter().map(|p| PersonLink {
                        href: format!("{AUDIT_PAGE}?{}", self.with_person(&p.email)),
                        name: p.name.clone(),
                        email: p.email.clone(),
                    }));
                }
            }
        }
        if !self.kind.is_empty() {
            match self.kind.parse::<AuditAction>() {
                Ok(action) => filters.action = Some(action),
                Err(_) => errors.add("kind", "Choose a kind of event from the list"),
            }
        }
        if !self.outcome.is_empty() {
            match self.outcome.parse::<AuditOutcome>() {
                Ok(outcome) => filters.outcome = Some(outcome),
                Err(_) => errors.add("outcome", "Choose an outcome from the list"),
            }
        }
        if typed([&self.from_day, &self.from_month, &self.from_year]) {
            filters.from = errors.check(
                "from",
                parse_date("From", &self.from_day, &self.from_month, &self.from_year),
            );
        }
        if typed([&self.to_day, &self.to_month, &self.to_year]) {
            filters.to = errors.check(
                "to",
                parse_date("To", &self.to_day, &self.to_month, &self.to_year),
            );
        }
        if let (Some(from), Some(to)) = (filters.from, filters.to)
            && to < from
        {
            errors.add(
                "to",
                "The date to must be the same as or after the date from",
            );
        }
        Ok(if errors.is_empty() {
            Ok(filters)
        } else {
            Err((errors, choices))
        })
    }

    /// The same search for one person (by email address), from its first page.
    fn with_person(&self, email: &str) -> String {
        let form = Self {
            person: email.to_owned(),
            ..self.clone()
        };
        form.query_string(None)
    }

    fn cursor(&self) -> Option<AuditCursor> {
        let (nanos, id) = self.before.split_once('~')?;
        let occurred_at =
            OffsetDateTime::from_unix_timestamp_nanos(nanos.parse::<i128>().ok()?).ok()?;
        let id = id.parse::<AuditEventId>().ok()?;
        Some(AuditCursor { occurred_at, id })
    }

    /// The search's query string, starting at `before` (none: the newest).
    fn query_string(&self, before: Option<AuditCursor>) -> String {
        let mut form = self.clone();
        form.before = before
            .map(|c| format!("{}~{}", c.occurred_at.unix_timestamp_nanos(), c.id))
            .unwrap_or_default();
        serde_urlencoded::to_string(&form).unwrap_or_default()
    }

    fn fields(&self, errors: &FormErrors) -> Vec<String> {
        let mut outcome = Select::new("outcome", "Outcome")
            .item(SelectItem::new("", "Any outcome"))
            .value(&self.outcome)
            .error_opt(errors.get("outcome"));
        for (code, label) in [
            (AuditOutcome::Succeeded, "Succeeded"),
            (AuditOutcome::Refused, "Refused"),
            (AuditOutcome::Failed, "Failed"),
        ] {
            outcome = outcome.item(SelectItem::new(code.code(), label));
        }
        vec![
            Input::new("child", "Child")
                .hint("Their name, UPN, ULN or NHS number, or the record's number")
                .value(&self.child)
                .spellcheck(false)
                .error_opt(errors.get("child"))
                .to_string(),
            Input::new("person", "Person")
                .hint("The name or email address of who did it, or of whom it was about")
                .value(&self.person)
                .spellcheck(false)
                .autocomplete("off")
                .error_opt(errors.get("person"))
                .to_string(),
            date_input(
                "from",
                "From",
                (&self.from_day, &self.from_month, &self.from_year),
                errors.get("from"),
            )
            .to_string(),
            date_input(
                "to",
                "To",
                (&self.to_day, &self.to_month, &self.to_year),
                errors.get("to"),
            )
            .to_string(),
            outcome.to_string(),
        ]
    }

    /// The kinds of event, in their groups, for the select with `<optgroup>`s.
    fn kinds(&self) -> Vec<(&'static str, Vec<KindOption>)> {
        let mut groups: Vec<(&'static str, Vec<KindOption>)> = Vec::new();
        let mut actions = AuditAction::ALL.to_vec();
        actions.sort_by_key(|a| (a.group(), a.describe()));
        for action in actions {
            let option = KindOption {
                code: action.code(),
                label: action.describe(),
                selected: self.kind == action.code(),
            };
            match groups.last_mut() {
                Some((group, options)) if *group == action.group() => options.push(option),
                _ => groups.push((action.group(), vec![option])),
            }
        }
        groups
    }
}

/// Someone the person typed may be: a link to the same search for them.
pub struct PersonLink {
    href: String,
    name: String,
    email: String,
}

pub struct KindOption {
    code: &'static str,
    label: String,
    selected: bool,
}

/// One row of the results table.
pub struct EventRow {
    when: String,
    who: String,
    what: String,
    subject: Option<String>,
    detail: Option<String>,
    child: Option<String>,
    source: String,
    outcome: (&'static str, &'static str),
}

fn who(line: &AuditLine) -> String {
    match (line.event.actor, &line.actor_name, &line.actor_email) {
        (Actor::User(_), Some(name), Some(email)) => format!("{name} ({email})"),
        (Actor::User(id), _, _) => format!("Account {id}"),
        (Actor::System, _, _) => "The portal".to_owned(),
        (Actor::Operator, _, _) => "An operator on the server".to_owned(),
        (Actor::Anonymous, _, _) => "Someone not signed in".to_owned(),
    }
}

fn outcome_tag(outcome: AuditOutcome) -> (&'static str, &'static str) {
    match outcome {
        AuditOutcome::Succeeded => ("Succeeded", "govuk-tag--green"),
        AuditOutcome::Refused => ("Refused", "govuk-tag--red"),
        AuditOutcome::Failed => ("Failed", "govuk-tag--orange"),
    }
}

impl EventRow {
    fn of(line: &AuditLine) -> Self {
        let event = &line.event;
        Self {
            when: uk_time(event.occurred_at),
            who: who(line),
            what: event.action.describe(),
            subject: event.subject.clone(),
            detail: event.detail.clone(),
            child: event.child_id.map(|id| id.to_string()),
            source: event
                .source
                .clone()
                .unwrap_or_else(|| "Not known".to_owned()),
            outcome: outcome_tag(event.outcome),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "back_office/audit_log.html")]
pub struct AuditLogPage {
    chrome: Chrome,
    errors: FormErrors,
    fields: Vec<String>,
    kinds: Vec<(&'static str, Vec<KindOption>)>,
    kind_error: Option<String>,
    /// The people the person filter may mean, when it could be several.
    choices: Vec<PersonLink>,
    /// `None` when the search could not be made (errors).
    rows: Option<Vec<EventRow>>,
    /// The GOV.UK pagination: back to the newest events, on to older ones.
    pagination: Option<String>,
    download: String,
}

fn pagination(newest: Option<String>, older: Option<String>) -> Option<String> {
    if newest.is_none() && older.is_none() {
        return None;
    }
    let mut pagination = Pagination::new(Vec::new());
    pagination.landmark_label = Some("Pages of the audit log".to_owned());
    pagination.previous = newest.map(|href| PaginationLink {
        text: Some("Newest events".to_owned()),
        ..PaginationLink::new(href)
    });
    pagination.next = older.map(|href| PaginationLink {
        text: Some("Older events".to_owned()),
        ..PaginationLink::new(href)
    });
    Some(pagination.to_string())
}

pub async fn show(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    Query(form): Query<AuditForm>,
) -> Result<Response, WebError> {
    let access = &staff.access;
    if !access.has(Permission::ViewAudit) {
        // Audits the refusal, then answers 403.
        app.search_audit_log(access, &AuditFilters::default(), None, &source)
            .await?;
        return Err(WebError::Forbidden);
    }
    let (errors, choices, rows, newest, next) = match form.filters(&app, access).await? {
        Ok(filters) => {
            let before = form.cursor();
            let page = app
                .search_audit_log(access, &filters, before, &source)
                .await?;
            let next = page
                .next
                .map(|cursor| format!("{AUDIT_PAGE}?{}", form.query_string(Some(cursor))));
            let newest = before.map(|_| format!("{AUDIT_PAGE}?{}", form.query_string(None)));
            let rows = page.lines.iter().map(EventRow::of).collect();
            (FormErrors::default(), Vec::new(), Some(rows), newest, next)
        }
        Err((errors, choices)) => (errors, choices, None, None, None),
    };
    Ok(AuditLogPage {
        chrome: staff.signed_in.chrome(&app),
        fields: form.fields(&errors),
        kinds: form.kinds(),
        kind_error: errors.get("kind"),
        choices,
        errors,
        rows,
        pagination: pagination(newest, next),
        download: format!("{AUDIT_CSV}?{}", form.query_string(None)),
    }
    .into_response())
}

/// A cell of the CSV: a value a spreadsheet would run as a formula (starting
/// with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, and
/// any value with a comma, quote or line break is quoted.
fn csv_cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

fn csv(lines: &[AuditLine]) -> String {
    let mut out = String::from(
        "Time (UTC),Time (UK),Who,Email address,Account,Kind of event,Outcome,Child,Subject,Detail,From\r\n",
    );
    for line in lines {
        let event = &line.event;
        let cells = [
            event.occurred_at.format(&Rfc3339).unwrap_or_default(),
            uk_time(event.occurred_at),
            who(line),
            line.actor_email.clone().unwrap_or_default(),
            event
                .actor
                .user_id()
                .map(|id| id.to_string())
                .unwrap_or_default(),
            event.action.code().to_owned(),
            event.outcome.code().to_owned(),
            event.child_id.map(|id| id.to_string()).unwrap_or_default(),
            event.subject.clone().unwrap_or_default(),
            event.detail.clone().unwrap_or_default(),
            event.source.clone().unwrap_or_default(),
        ];
        let row: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

pub async fn download(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    Query(form): Query<AuditForm>,
) -> Result<Response, WebError> {
    let access = &staff.access;
    if !access.has(Permission::ViewAudit) {
        app.export_audit_log(access, &AuditFilters::default(), &source)
            .await?;
        return Err(WebError::Forbidden);
    }
    // A download link is made from a search that worked; anything else is
    // shown as the page with its errors.
    let Ok(filters) = form.filters(&app, access).await? else {
        return show(State(app), staff, ClientAddress(source), Query(form)).await;
    };
    let lines = app.export_audit_log(access, &filters, &source).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"audit-log.csv\"",
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        csv(&lines),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_a_spreadsheet_would_run_are_quoted_out() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-2"), "'-2");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("a, b"), "\"a, b\"");
        assert_eq!(csv_cell("child.viewed"), "child.viewed");
    }

    #[test]
    fn the_next_page_keeps_the_search_and_reads_its_cursor_back() {
        let form = AuditForm {
            child: "Alex Smith".to_owned(),
            kind: "child.viewed".to_owned(),
            ..AuditForm::default()
        };
        let cursor = AuditCursor {
            occurred_at: time::macros::datetime!(2026-03-01 10:00:00.123456 UTC),
            id: AuditEventId::from_uuid(uuid::Uuid::nil()),
        };
        let query = form.query_string(Some(cursor));
        let back: AuditForm = serde_urlencoded::from_str(&query).unwrap();
        assert_eq!(back.child, "Alex Smith");
        assert_eq!(back.kind, "child.viewed");
        assert_eq!(back.cursor(), Some(cursor));
        assert!(!form.query_string(None).contains("before"));
    }
}
