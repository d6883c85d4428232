//! The public deadline calculator: the page (no account, no JavaScript needed) and
//! the JSON API.

use http::StatusCode;
use serde_json::Value;

use crate::support::TestApp;
use crate::support::browser::{Browser, JavaScript};

async fn api(query: &str) -> (StatusCode, Value) {
    let app = TestApp::new().await;
    let mut client = app.client();
    let response = client.get(&format!("/api/deadlines?{query}")).await;
    assert_eq!(
        response.header("content-type"),
        Some("application/json"),
        "{}",
        response.body
    );
    (
        response.status,
        serde_json::from_str(&response.body).unwrap_or_else(|e| panic!("{e}: {}", response.body)),
    )
}

fn due(body: &Value, code: &str) -> String {
    body["deadlines"]
        .as_array()
        .unwrap_or_else(|| panic!("no deadlines in {body}"))
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {body}"))["due"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn the_api_gives_every_date_of_an_assessment_from_the_request() {
    let (status, body) = api("process=ehc_needs_assessment&request_received=2026-01-05").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["label"], "EHC needs assessment");
    assert_eq!(due(&body, "decide_to_assess"), "2026-02-16", "6 weeks");
    assert_eq!(due(&body, "decide_not_to_issue"), "2026-04-27", "16 weeks");
    // 20 weeks is the Spring bank holiday: a council's deadline does not move.
    assert_eq!(due(&body, "final_plan"), "2026-05-25", "20 weeks");
    let first = &body["deadlines"][0];
    assert!(
        first["reference"]
            .as_str()
            .unwrap_or_default()
            .contains("regulation 5")
    );
    assert!(!first["explanation"].as_str().unwrap_or_default().is_empty());
}

#[tokio::test]
async fn an_appeal_window_ending_in_august_runs_to_the_first_working_day_of_september() {
    // 30 June + 2 months = 30 August; 31 August 2026 is a bank holiday.
    let (status, body) = api("process=appeal&decision_made=2026-06-30").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(due(&body, "appeal_deadline"), "2026-09-01");
    // With a later mediation certificate, whichever is later.
    let (_, body) =
        api("process=appeal&decision_made=2026-06-30&mediation_certificate=2026-09-20").await;
    assert_eq!(due(&body, "appeal_deadline"), "2026-10-20");
}

#[tokio::test]
async fn the_api_refuses_what_it_cannot_use_with_a_reason() {
    for (query, says) in [
        ("", "process"),
        ("process=nonsense", "unknown process"),
        ("process=ehc_needs_assessment", "request_received is needed"),
        (
            "process=ehc_needs_assessment&request_received=5/1/2026",
            "YYYY-MM-DD",
        ),
        (
            "process=ehc_needs_assessment&request_received=2026-02-30",
            "YYYY-MM-DD",
        ),
        (
            "process=ehc_needs_assessment&request_received=2026-01-05&colour=blue",
            "unknown parameter",
        ),
        (
            "process=ehc_needs_assessment&request_received=2026-01-05&decision_made=2026-01-06",
            "not used",
        ),
    ] {
        let (status, body) = api(query).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert!(
            body["error"].as_str().unwrap_or_default().contains(says),
            "{query}: {body}"
        );
    }
}

#[tokio::test]
async fn the_page_works_out_the_dates_and_explains_each_mistake() {
    let app = TestApp::new().await;
    let mut client = app.client();
    let page = client.get("/when-should-things-happen").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Annual review"));
    let done = client
        .get(
            "/when-should-things-happen?process=ehc_needs_assessment&calculate=yes\
             &request_received-day=5&request_received-month=1&request_received-year=2026",
        )
        .await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done.body.contains("Monday 25 May 2026"), "{}", done.body);
    assert!(done.body.contains("regulation 13"));
    let wrong = client
        .get(
            "/when-should-things-happen?process=ehc_needs_assessment&calculate=yes\
             &request_received-day=5&request_received-month=1&request_received-year=",
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.title().starts_with("Error:"));
    assert!(wrong.body.contains("must include a year"));
    assert!(wrong.body.contains("value=\"5\""), "what was typed is kept");
}

#[tokio::test]
async fn continuing_with_nothing_chosen_asks_to_choose() {
    let app = TestApp::new().await;
    let mut client = app.client();
    let first = client.get("/when-should-things-happen").await;
    assert_eq!(
        first.status,
        StatusCode::OK,
        "no error before anything is sent"
    );
    assert!(!first.title().starts_with("Error:"));
    assert!(first.body.contains("name=\"step\" value=\"choose\""));
    let nothing = client.get("/when-should-things-happen?step=choose").await;
    assert_eq!(nothing.status, StatusCode::BAD_REQUEST);
    assert!(nothing.title().starts_with("Error:"));
    assert!(nothing.body.contains("govuk-error-summary"));
    assert!(nothing.body.contains("Select what you want to work out"));
    let chosen = client
        .get("/when-should-things-happen?step=choose&process=ehc_needs_assessment")
        .await;
    assert_eq!(chosen.status, StatusCode::OK);
    assert!(!chosen.body.contains("Select what you want to work out"));
}

#[tokio::test]
async fn the_calculator_works_in_a_browser_with_javascript_off() {
    let app = TestApp::new().await;
    let addr = app.serve().await;
    let Some(mut browser) = Browser::start(addr, JavaScript::Off).await else {
        return;
    };
    browser.visit("/when-should-things-happen").await;
    browser.click("input[value='appeal']").await;
    browser.press("Continue").await;
    browser.fill("decision_made-day", "30").await;
    browser.fill("decision_made-month", "6").await;
    browser.fill("decision_made-year", "2026").await;
    browser.press("Work out the dates").await;
    assert!(
        browser
            .text_of(".app-deadline-date")
            .await
            .contains("1 September 2026")
    );
    browser.close().await;
}

#[test]
fn the_readme_documents_every_process_and_date_of_the_api() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"))
        .unwrap_or_else(|e| panic!("{e}"));
    for process in send_domain::timeline::Process::ALL {
        assert!(
            readme.contains(&format!("| `{}` |", process.code())),
            "{}",
            process.code()
        );
        for event in process
            .required_events()
            .into_iter()
            .chain(process.optional_events())
        {
            assert!(
                readme.contains(&format!("`{}`", event.code())),
                "{}",
                event.code()
            );
        }
    }
}
