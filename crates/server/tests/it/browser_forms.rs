//! Forms in real Chromium, axe on every page, with JavaScript on and off: the
//! SEND team sends the Parental Preference Form to a parent as an action; the
//! parent opens it from Actions to Complete, answers half, signs out, comes back
//! to the saved answers, adds an item to a repeating group, changes an answer
//! from Check your answers and sends it; the action shows as submitted on both
//! sides. And a parent sends the built-in request for an assessment from the
//! portal home.

use send_domain::{DEFAULT_TEAM, LinkStatus, PortalRole, StaffRole};

use crate::accounts::{latest_email, register};
use crate::back_office::{add_child, caseworkers, open_assessment, staff_client};
use crate::browser::{logs_out, parent_signs_in, staff_signs_in};
use crate::forms::builtin;
use crate::portal_access::{PARENT, link, stranger_id};
use crate::support::TestApp;
use crate::support::browser::{Browser, JavaScript};

const CASEWORKER: &str = "case@testshire.example";

#[expect(clippy::too_many_lines, reason = "the family's journey, step by step")]
async fn action_journey(javascript: JavaScript) {
    let app = TestApp::new().await;
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
    let mut parent_setup = app.client();
    register(&app, &mut parent_setup, PARENT).await;
    let parent_id = stranger_id(&app, PARENT).await;
    link(
        &app,
        child,
        parent_id,
        PortalRole::Parent,
        LinkStatus::Active,
    )
    .await;
    let form = builtin(&app, "parental_preference").await;
    let addr = app.serve().await;
    let Some(mut browser) = Browser::start(addr, javascript).await else {
        return;
    };

    // The caseworker sends the form from the child's record.
    staff_signs_in(&mut browser, &app, CASEWORKER).await;
    browser
        .visit(&format!("/back-office/children/{child}"))
        .await;
    browser.click_link("Forms").await;
    browser.press("Send form").await;
    assert!(
        browser.title().await.starts_with("Error: "),
        "nothing chosen: the error summary"
    );
    browser.choose("form", &form.to_string()).await;
    browser
        .click(&format!("input[name='to'][value='{parent_id}']"))
        .await;
    browser.fill("due-day", "19").await;
    browser.fill("due-month", "12").await;
    browser.fill("due-year", "2026").await;
    browser.press("Send form").await;
    let main = browser.text_of("main").await;
    assert!(
        main.contains("Form sent") && main.contains("Not started"),
        "{main}"
    );
    logs_out(&mut browser).await;

    // The parent finds it under Actions to Complete and answers half.
    parent_signs_in(&mut browser, &app, PARENT).await;
    browser
        .click(&format!("a[href='/children/{child}/dashboard']"))
        .await;
    browser.check_accessibility().await;
    assert!(
        browser
            .text_of("main")
            .await
            .contains("Complete by 19 December 2026")
    );
    browser.click_link("Parental Preference Form").await;
    browser.click_link("Start now").await;
    browser.press("Continue").await;
    assert!(
        browser.title().await.starts_with("Error: "),
        "a required answer"
    );
    browser
        .fill("preferred_setting", "Oakfield Primary, Leeds")
        .await;
    browser.press("Continue").await;
    browser
        .click("input[name='setting_type'][value='Special school']")
        .await;
    browser.press("Continue").await;
    assert!(browser.path().await.ends_with("/pages/reasons"));
    logs_out(&mut browser).await;

    // Back later: the saved answers, and on from where they stopped.
    app.clock.advance(time::Duration::days(1));
    parent_signs_in(&mut browser, &app, PARENT).await;
    browser
        .click(&format!("a[href='/children/{child}/dashboard']"))
        .await;
    browser.check_accessibility().await;
    browser.click_link("Parental Preference Form").await;
    assert!(browser.text_of("main").await.contains("Saved on"));
    browser.click_link("Continue").await;
    assert!(browser.path().await.ends_with("/pages/reasons"));
    browser
        .fill("reasons", "It has a speech and language therapist.")
        .await;
    browser.press("Continue").await;
    browser
        .click("input[name='visited_settings'][value='yes']")
        .await;
    browser.press("Continue").await;
    browser.click_link("Add a setting").await;
    browser.fill("setting_name", "Beech Hill School").await;
    browser.click("input[name='visited'][value='yes']").await;
    browser.press("Save and continue").await;
    assert!(browser.text_of("main").await.contains("Beech Hill School"));
    browser.press("Continue").await;
    browser.press("Continue").await;
    assert!(browser.path().await.ends_with("/check"));

    // Change an answer from Check your answers, and come straight back.
    browser
        .click("a[href$='/pages/preferred_setting?change=check']")
        .await;
    browser.check_accessibility().await;
    browser
        .fill("preferred_setting", "Beech Hill School, Leeds")
        .await;
    browser.press("Continue").await;
    assert!(browser.path().await.ends_with("/check"));
    assert!(
        browser
            .text_of("main")
            .await
            .contains("Beech Hill School, Leeds")
    );
    browser.press("Accept and send").await;
    assert_eq!(browser.title().await.split(" – ").next(), Some("Form sent"));
    let main = browser.text_of("main").await;
    let start = main
        .find("FRM-")
        .unwrap_or_else(|| panic!("no reference in {main}"));
    let reference = main[start..start + 12].to_owned();
    let (subject, text) = latest_email(&app, PARENT).await;
    assert!(subject.contains("We have received your form") && text.contains(&reference));
    browser.click_link("Return to the SEND Dashboard").await;
    assert!(
        browser
            .text_of("main")
            .await
            .contains("There is nothing for you to do at the moment.")
    );
    logs_out(&mut browser).await;

    // The SEND team sees it submitted and reads it.
    staff_signs_in(&mut browser, &app, CASEWORKER).await;
    browser
        .visit(&format!("/back-office/children/{child}/forms"))
        .await;
    assert!(browser.text_of("main").await.contains("Submitted"));
    browser.click_link(&format!("Read {reference}")).await;
    assert!(
        browser
            .text_of("main")
            .await
            .contains("It has a speech and language therapist.")
    );
    browser.close().await;
}

#[tokio::test]
async fn a_form_sent_as_an_action_is_completed_with_javascript_on() {
    action_journey(JavaScript::On).await;
}

#[tokio::test]
async fn a_form_sent_as_an_action_is_completed_with_javascript_off() {
    action_journey(JavaScript::Off).await;
}

/// A parent asks for an assessment with the built-in form, from the portal home.
#[expect(clippy::too_many_lines, reason = "every page of the request, in order")]
async fn request_journey(javascript: JavaScript) {
    let app = TestApp::new().await;
    let mut setup = app.client();
    register(&app, &mut setup, PARENT).await;
    let folder = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let report = folder.path().join("speech-therapy-report.pdf");
    std::fs::write(
        &report,
        b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let addr = app.serve().await;
    let Some(mut browser) = Browser::start(addr, javascript).await else {
        return;
    };
    parent_signs_in(&mut browser, &app, PARENT).await;
    browser.click_link("Request an EHC needs assessment").await;
    browser.click_link("Start now").await;
    browser
        .click("input[name='relationship'][value='Parent']")
        .await;
    browser.press("Continue").await;
    browser.fill("child_name-first", "Lex").await;
    browser.fill("child_name-last", "Example").await;
    browser.press("Continue").await;
    browser.fill("child_date_of_birth-day", "14").await;
    browser.fill("child_date_of_birth-month", "5").await;
    browser.fill("child_date_of_birth-year", "2017").await;
    browser.press("Continue").await;
    browser.fill("child_address-line1", "1 High Street").await;
    browser.fill("child_address-town", "Leeds").await;
    browser.fill("child_address-postcode", "LS1 4AP").await;
    browser.press("Continue").await;
    browser
        .click("input[name='attends_setting'][value='yes']")
        .await;
    browser.press("Continue").await;
    browser.fill("setting_name", "Oakfield Primary").await;
    browser.press("Continue").await;
    browser.fill("your_name-first", "Sam").await;
    browser.fill("your_name-last", "Example").await;
    browser.press("Continue").await;
    browser.fill("email", "not an email").await;
    browser.press("Continue").await;
    assert!(
        browser.title().await.starts_with("Error: "),
        "a wrong email address is refused"
    );
    browser.fill("email", PARENT).await;
    browser.press("Continue").await;
    browser
        .click("input[name='parental_responsibility'][value='yes']")
        .await;
    browser.press("Continue").await;
    browser
        .click("input[name='consent_to_share'][value='yes']")
        .await;
    browser.press("Continue").await;
    browser
        .click("input[name='areas_of_need'][value='Communicating and getting on with others']")
        .await;
    browser.press("Continue").await;
    browser
        .fill("finds_hard", "Talking to people he does not know.")
        .await;
    browser.press("Continue").await;
    browser
        .fill("what_helps", "Pictures and a quiet room.")
        .await;
    browser.press("Continue").await;
    browser
        .click("input[name='professionals_involved'][value='no']")
        .await;
    browser.press("Continue").await;
    assert!(
        browser.path().await.ends_with("/pages/reports"),
        "No skips the professionals"
    );
    browser.attach("reports", &report).await;
    browser.press("Upload file").await;
    assert!(
        browser
            .text_of("main")
            .await
            .contains("speech-therapy-report.pdf")
    );
    browser.press("Continue").await;
    browser.press("Continue").await;
    assert!(browser.path().await.ends_with("/check"));
    let check = browser.text_of("main").await;
    assert!(
        check.contains("Lex Example")
            && check.contains("LS1 4AP")
            && check.contains("speech-therapy-report.pdf"),
        "{check}"
    );
    browser.press("Accept and send").await;
    assert!(
        browser
            .text_of("main")
            .await
            .contains("Your reference number")
    );
    let (subject, _) = latest_email(&app, PARENT).await;
    assert!(
        subject.contains("Request an EHC needs assessment"),
        "{subject}"
    );
    browser.close().await;
}

#[tokio::test]
async fn a_parent_requests_an_assessment_from_the_portal_home_with_javascript_on() {
    request_journey(JavaScript::On).await;
}

#[tokio::test]
async fn a_parent_requests_an_assessment_from_the_portal_home_with_javascript_off() {
    request_journey(JavaScript::Off).await;
}
