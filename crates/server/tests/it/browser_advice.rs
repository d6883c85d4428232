//! A request for advice in real Chromium, axe on every page, with JavaScript on
//! and off (issue 15): the caseworker records a request for educational advice to
//! a professional from the back office's pages; on the due date (the test clock)
//! the job runner emails the professional a reminder; the professional signs in,
//! finds it under "Advice requested from you", uploads their advice and sends it;
//! the caseworker sees it received on the involvement's page and the family sees
//! it arrived on the SEND Dashboard. Anyone else opening the request, and the
//! professional once it is answered, gets "Page not found". Like every browser
//! journey, each page is also checked at 320 CSS pixels wide.

use send_domain::{DEFAULT_TEAM, LinkStatus, PortalRole, StaffRole};
use time::macros::datetime;

use crate::accounts::register;
use crate::advice::{emails_to, run_jobs_at};
use crate::back_office::{add_child, caseworkers, open_assessment, staff_client};
use crate::browser::{logs_out, parent_signs_in, staff_signs_in};
use crate::portal_access::{PARENT, link, professional, stranger_id};
use crate::support::TestApp;
use crate::support::browser::{Browser, JavaScript};

const CASEWORKER: &str = "case@testshire.example";
const SENCO: &str = "senco@oakfield.example";

/// The caseworker opens the assessment from My cases, where they land.
async fn when_the_caseworker_opens_the_assessment(browser: &mut Browser) {
    browser.click_link("Lex Example").await;
    assert!(browser.text_of("h1").await.contains("EHC needs assessment"));
}

#[expect(
    clippy::too_many_lines,
    reason = "the journey across three people, step by step"
)]
async fn advice_journey(javascript: JavaScript) {
    let app = TestApp::new().await;
    // The child's record and assessment (opened on 2 November 2026; the clock
    // says 23 November), a professional's account, and the child's parent.
    let mut setup = staff_client(
        &app,
        CASEWORKER,
        StaffRole::Caseworker,
        Some(DEFAULT_TEAM.0),
        &[caseworkers()],
    )
    .await;
    let child = add_child(&mut setup).await;
    open_assessment(&mut setup, child, ("2", "11", "2026")).await;
    let _senco = professional(&app, SENCO).await;
    let mut parent_setup = app.client();
    register(&app, &mut parent_setup, PARENT).await;
    link(
        &app,
        child,
        stranger_id(&app, PARENT).await,
        PortalRole::Parent,
        LinkStatus::Active,
    )
    .await;
    let folder = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let advice_file = folder.path().join("educational-advice.txt");
    std::fs::write(
        &advice_file,
        b"Lex learns best in a quiet room with visual timetables.",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let addr = app.serve().await;
    let Some(mut browser) = Browser::start(addr, javascript).await else {
        return;
    };

    // The caseworker records the request, from the back office's own links.
    staff_signs_in(&mut browser, &app, CASEWORKER).await;
    when_the_caseworker_opens_the_assessment(&mut browser).await;
    assert!(
        browser
            .text_of("main")
            .await
            .contains("No advice has been requested on this involvement")
    );
    browser.click_link("Record a request for advice").await;
    // Nothing chosen: the error summary, the page again.
    browser.press("Record request").await;
    assert!(browser.title().await.starts_with("Error: "));
    assert!(
        browser
            .text_of(".govuk-error-summary")
            .await
            .contains("Select what kind of advice was asked for")
    );
    browser
        .click("input[name='kind'][value='educational']")
        .await;
    browser.fill("recipient", "Oakfield Primary School").await;
    browser.fill("email", SENCO).await;
    browser
        .click("input[name='answer_by'][value='upload']")
        .await;
    // The date sent is today's, as the form fills it in.
    browser.press("Record request").await;
    assert!(
        browser
            .path()
            .await
            .starts_with("/back-office/involvements/")
    );
    assert!(
        browser
            .text_of(".govuk-notification-banner")
            .await
            .contains("Request for advice recorded")
    );
    let main = browser.text_of("main").await;
    assert!(
        main.contains("Educational advice") && main.contains("Oakfield Primary School"),
        "{main}"
    );
    assert!(
        main.contains("4 January 2027"),
        "due 6 weeks after 23 November: {main}"
    );
    assert!(main.contains("Due in 42 days"), "{main}");
    logs_out(&mut browser).await;

    // On the due date at 9am the job runner reminds the professional.
    assert_eq!(
        run_jobs_at(&app, datetime!(2027-01-04 09:00 UTC)).await,
        2,
        "the reminder 2 weeks before and the one on the day"
    );
    // Both reminders were written at the same instant of the test clock: find
    // the day's one by its subject.
    let emails = emails_to(&app, SENCO).await;
    let (_, reminder) = emails
        .iter()
        .find(|(subject, _)| subject == "Reminder: advice is due today")
        .unwrap_or_else(|| panic!("no reminder on the day in {emails:?}"));
    assert!(
        reminder.contains("is due today, 4 January 2027") && reminder.contains("/advice/"),
        "{reminder}"
    );

    // The professional signs in afresh, finds the request and sends the advice.
    parent_signs_in(&mut browser, &app, SENCO).await;
    let home = browser.text_of("main").await;
    assert!(home.contains("Advice requested from you"), "{home}");
    assert!(
        home.contains("Lex Example") && home.contains("Due today"),
        "{home}"
    );
    browser.follow("a[href^='/advice/']").await;
    let advice_page = browser.path().await;
    assert!(
        browser
            .text_of("h1")
            .await
            .contains("Educational advice for Lex Example")
    );
    browser.attach("file", &advice_file).await;
    browser.press("Send your educational advice").await;
    assert_eq!(browser.path().await, "/home");
    assert!(
        browser
            .text_of(".govuk-notification-banner")
            .await
            .contains("Your educational advice about Lex Example has been sent to the SEND team")
    );
    assert!(
        !browser
            .text_of("main")
            .await
            .contains("Advice requested from you")
    );
    // Answered: the request no longer opens.
    browser.visit(&advice_page).await;
    assert!(browser.title().await.starts_with("Page not found"));
    logs_out(&mut browser).await;

    // The caseworker sees it received.
    staff_signs_in(&mut browser, &app, CASEWORKER).await;
    when_the_caseworker_opens_the_assessment(&mut browser).await;
    let main = browser.text_of("main").await;
    assert!(main.contains("Received 4 January 2027"), "{main}");
    assert!(
        !main.contains("Mark received"),
        "nothing left to do: {main}"
    );
    logs_out(&mut browser).await;

    // The family sees it arrived, never what it says, and cannot open the request.
    parent_signs_in(&mut browser, &app, PARENT).await;
    assert!(
        !browser
            .text_of("main")
            .await
            .contains("Advice requested from you")
    );
    browser
        .follow(&format!("a[href='/children/{child}/dashboard']"))
        .await;
    let dashboard = browser.text_of("main").await;
    assert!(
        dashboard.contains("Advice for the assessment"),
        "{dashboard}"
    );
    assert!(dashboard.contains("Educational advice"), "{dashboard}");
    assert!(dashboard.contains("Arrived 4 January 2027"), "{dashboard}");
    assert!(!dashboard.contains("quiet room"), "never the advice itself");
    browser.visit(&advice_page).await;
    assert!(browser.title().await.starts_with("Page not found"));
    logs_out(&mut browser).await;
    browser.close().await;
}

#[tokio::test]
async fn the_advice_journey_passes_axe_with_javascript_on() {
    advice_journey(JavaScript::On).await;
}

#[tokio::test]
async fn the_advice_journey_passes_axe_with_javascript_off() {
    advice_journey(JavaScript::Off).await;
}
