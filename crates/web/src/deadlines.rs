//! "When should things happen?": the public deadline calculator, as a page that
//! works without JavaScript (plain GET forms) and as JSON at `/api/deadlines`.

use std::collections::BTreeMap;

use crate::routes::Routes;
use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::StatusCode;
use send_app::App;
use send_app::deadlines::{CalculationError, Deadline, iso};
use send_domain::dates::{long_date, parse_date};
use send_domain::timeline::{EventKind, Events, Process};
use serde_json::json;
use time::Date;
use time::macros::format_description;

use crate::accounts::{SignedIn, chrome_for};
use crate::chrome::Chrome;
use crate::components::{ChoiceItem, DateInput, Legend, Radios};
use crate::errors::WebError;
use crate::question_page::FormErrors;

pub const PAGE: &str = "/when-should-things-happen";

pub fn router() -> Routes {
    Routes::new()
        .route(PAGE, get(page))
        .route("/api/deadlines", get(api))
}

/// One deadline as the page shows it.
#[derive(Debug, Clone)]
pub struct Row {
    pub title: String,
    pub due: String,
    pub explanation: String,
    pub reference: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/deadlines.html")]
pub struct DeadlinesPage {
    chrome: Chrome,
    errors: FormErrors,
    process: Option<Process>,
    choose: String,
    dates: Vec<String>,
    rows: Vec<Row>,
}

fn process_radios(chosen: Option<Process>, error: Option<String>) -> String {
    let mut radios = Radios::new("process")
        .legend(Legend {
            classes: Some("govuk-fieldset__legend--m".to_owned()),
            ..Legend::new("What do you want to work out?")
        })
        .error_opt(error);
    for process in Process::ALL {
        radios = radios.item(
            ChoiceItem::new(process.code(), process.label()).checked(chosen == Some(*process)),
        );
    }
    radios.to_string()
}

fn date_box(
    event: EventKind,
    value: &(String, String, String),
    optional: bool,
    error: Option<String>,
) -> String {
    let label = if optional {
        format!("{} (optional)", event.label())
    } else {
        event.label().to_owned()
    };
    let mut input = DateInput::new(
        event.code(),
        Legend {
            classes: Some("govuk-fieldset__legend--s".to_owned()),
            ..Legend::new(label)
        },
    )
    .hint("For example, 27 3 2026")
    .date_values(&value.0, &value.1, &value.2);
    if let Some(error) = error {
        input = input.error(error);
    }
    input.to_string()
}

fn typed(query: &BTreeMap<String, String>, event: EventKind) -> (String, String, String) {
    let part = |p: &str| {
        query
            .get(&format!("{}-{p}", event.code()))
            .cloned()
            .unwrap_or_default()
    };
    (part("day"), part("month"), part("year"))
}

fn rows(deadlines: Vec<Deadline>) -> Vec<Row> {
    deadlines
        .into_iter()
        .map(|d| Row {
            title: d.rule.title.into_owned(),
            due: d.due.map_or_else(
                || "Give the date it counts from".to_owned(),
                |due| {
                    let weekday = due.weekday().to_string();
                    format!("{weekday} {}", long_date(due))
                },
            ),
            explanation: d.rule.explanation.into_owned(),
            reference: d.rule.reference.into_owned(),
        })
        .collect()
}

/// The page: choose a process, give its dates, see every statutory date.
pub async fn page(
    State(app): State<App>,
    signed_in: Option<SignedIn>,
    Query(query): Query<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    let mut errors = FormErrors::default();
    let process = query.get("process").and_then(|p| p.parse::<Process>().ok());
    // The first form says it was sent (`step=choose`), so Continue with nothing
    // chosen is an error, not the page as first opened.
    let chose = query.contains_key("process") || query.get("step").is_some_and(|s| s == "choose");
    if chose && process.is_none() {
        errors.add("process", "Select what you want to work out");
    }
    let mut dates = Vec::new();
    let mut result = Vec::new();
    if let Some(process) = process {
        let calculate = query.contains_key("calculate");
        let mut events = Events::new();
        let required = process.required_events();
        let optional = process.optional_events();
        for (event, is_optional) in required
            .iter()
            .map(|e| (*e, false))
            .chain(optional.iter().map(|e| (*e, true)))
        {
            let value = typed(&query, event);
            let blank =
                value.0.trim().is_empty() && value.1.trim().is_empty() && value.2.trim().is_empty();
            let mut error = None;
            if calculate && !(is_optional && blank) {
                match parse_date(event.label(), &value.0, &value.1, &value.2) {
                    Ok(date) => {
                        events.insert(event, date);
                    }
                    Err(err) => {
                        error = Some(err.to_string());
                        errors.add(&format!("{}-day", event.code()), err.to_string());
                    }
                }
            }
            dates.push(date_box(event, &value, is_optional, error));
        }
        if calculate
            && errors.is_empty()
            && let Ok(deadlines) = app.calculate_deadlines(process, &events).await?
        {
            result = rows(deadlines);
        }
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok((
        status,
        DeadlinesPage {
            chrome: chrome_for(&app, signed_in.as_ref()),
            choose: process_radios(process, errors.get("process")),
            errors,
            process,
            dates,
            rows: result,
        },
    )
        .into_response())
}

fn bad_request(message: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": message }))).into_response()
}

fn parse_iso(text: &str) -> Option<Date> {
    Date::parse(text, format_description!("[year]-[month]-[day]")).ok()
}

/// `GET /api/deadlines?process=<name>&<event>=YYYY-MM-DD…`
pub async fn api(
    State(app): State<App>,
    Query(query): Query<BTreeMap<String, String>>,
) -> Response {
    let Some(name) = query.get("process") else {
        return bad_request(&format!(
            "give process=…, one of: {}",
            Process::ALL
                .iter()
                .map(|p| p.code())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    };
    let Ok(process) = name.parse::<Process>() else {
        return bad_request(&format!("unknown process {name:?}"));
    };
    let mut events = Events::new();
    for (key, value) in &query {
        if key == "process" {
            continue;
        }
        let Ok(event) = key.parse::<EventKind>() else {
            return bad_request(&format!("unknown parameter {key:?}"));
        };
        let Some(date) = parse_iso(value) else {
            return bad_request(&format!(
                "{key} must be a date as YYYY-MM-DD, not {value:?}"
            ));
        };
        events.insert(event, date);
    }
    let Ok(calculated) = app.calculate_deadlines(process, &events).await else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({ "error": "the calculation could not be made; try again later" })),
        )
            .into_response();
    };
    let deadlines = match calculated {
        Ok(deadlines) => deadlines,
        Err(CalculationError::Missing(event)) => {
            return bad_request(&format!("{} is needed ({})", event.code(), event.label()));
        }
        Err(CalculationError::NotUsed(event)) => {
            return bad_request(&format!(
                "{} is not used by {}",
                event.code(),
                process.code()
            ));
        }
    };
    let body = json!({
        "process": process.code(),
        "label": process.label(),
        "dates": events.iter().map(|(e, d)| (e.code(), iso(*d))).collect::<BTreeMap<_, _>>(),
        "deadlines": deadlines.iter().map(|d| json!({
            "code": d.rule.code,
            "title": d.rule.title,
            "due": d.due.map(iso),
            "counts_from": d.rule.start_event.code(),
            "reference": d.rule.reference,
            "explanation": d.rule.explanation,
            "earliest_date": d.rule.minimum,
            "tribunal_window": d.rule.tribunal_window,
        })).collect::<Vec<_>>(),
    });
    Json(body).into_response()
}
