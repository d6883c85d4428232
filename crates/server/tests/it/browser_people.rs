//! The people pages in real Chromium, axe on every page, with JavaScript on
//! and off (issue 19): an administrator opens People from Administration,
//! opens a caseworker's page and deactivates them, then finds a parent's portal
//! account, is told to give a reason, and disables it with one. Each page is
//! also checked at 320 CSS pixels wide for sideways scrolling.

use send_domain::{DEFAULT_TEAM, StaffRole, default_group};

use crate::accounts::register;
use crate::back_office::{caseworkers, create_staff};
use crate::browser::staff_signs_in;
use crate::portal_access::PARENT;
use crate::support::TestApp;
use crate::support::browser::{Browser, JavaScript};

const ADMIN: &str = "admin@testshire.example";
const CASEWORKER: &str = "case@testshire.example";

async fn people_journey(javascript: JavaScript) {
    let app = TestApp::new().await;
    create_staff(
        &app,
        ADMIN,
        StaffRole::Administrator,
        None,
        &[default_group(StaffRole::Administrator)],
    )
    .await;
    create_staff(
        &app,
        CASEWORKER,
        StaffRole::Caseworker,
        Some(DEFAULT_TEAM.0),
        &[caseworkers()],
    )
    .await;
    register(&app, &mut app.client(), PARENT).await;
    let addr = app.serve().await;
    let Some(mut browser) = Browser::start(addr, javascript).await else {
        return;
    };

    // The administrator opens People and the caseworker's page.
    staff_signs_in(&mut browser, &app, ADMIN).await;
    browser.visit("/back-office/admin").await;
    browser.click_link("Staff and set-up links").await;
    assert_eq!(browser.text_of("h1").await, "People");
    browser.click_link("Staff case@testshire.example").await;

    // They deactivate the caseworker and are told so.
    browser.follow("form[action$='/deactivate'] button").await;
    assert!(
        browser
            .text_of("main")
            .await
            .contains("has been deactivated")
    );

    // The parent's portal account: found, a reason asked for, then disabled.
    browser.visit("/back-office/admin/portal-accounts").await;
    browser.fill("q", "sam@").await;
    browser.press("Search").await;
    browser.click_link("Jo Bloggs").await;
    browser.press("Disable the account").await;
    assert!(
        browser
            .text_of(".govuk-error-summary")
            .await
            .contains("Enter why you are disabling this account")
    );
    browser.fill("reason", "Asked us to close it").await;
    browser.press("Disable the account").await;
    let main = browser.text_of("main").await;
    assert!(main.contains("has been disabled"), "{main}");
    assert!(main.contains("Asked us to close it"), "{main}");
    browser.close().await;
}

#[tokio::test]
async fn the_people_pages_pass_axe_with_javascript_on() {
    people_journey(JavaScript::On).await;
}

#[tokio::test]
async fn the_people_pages_pass_axe_with_javascript_off() {
    people_journey(JavaScript::Off).await;
}
