//! Pages in a real headless Chromium, with axe-core on every page.

use axum::Router;
use axum::response::Html;
use axum::routing::get;

use crate::support::TestApp;
use crate::support::browser::{Browser, JavaScript};

async fn open_the_public_pages(javascript: JavaScript) {
    let app = TestApp::new().await;
    let addr = app.serve().await;
    let Some(mut browser) = Browser::start(addr, javascript).await else {
        return;
    };

    browser.visit("/").await;
    assert!(browser.title().await.starts_with("Use the SEND Portal"));
    assert_eq!(
        browser
            .text_of(".govuk-generic-header__homepage-link")
            .await,
        crate::support::COUNCIL
    );
    let body_class = browser.run("return document.body.className").await;
    let classes = body_class.as_str().unwrap_or_default().to_owned();
    match javascript {
        JavaScript::On => assert!(
            classes.contains("govuk-frontend-supported"),
            "GOV.UK Frontend started: {classes}"
        ),
        JavaScript::Off => assert!(
            !classes.contains("js-enabled"),
            "scripts did not run: {classes}"
        ),
    }

    browser.click_link("Accessibility statement").await;
    browser.click_link("Privacy notice").await;
    browser.click_link("Cookies").await;
    browser.visit("/no-such-page").await;
    assert!(browser.title().await.starts_with("Page not found"));
    browser
        .visit(&format!("/staff/setup/{}", "0".repeat(64)))
        .await;
    browser.visit("/sign-out").await;
    assert!(
        browser
            .title()
            .await
            .starts_with("This page cannot be opened that way")
    );

    assert_eq!(browser.checked.len(), 7);
    browser.close().await;
}

#[tokio::test]
async fn the_public_pages_pass_axe_with_javascript_on() {
    open_the_public_pages(JavaScript::On).await;
}

#[tokio::test]
async fn the_public_pages_pass_axe_with_javascript_off() {
    open_the_public_pages(JavaScript::Off).await;
}

/// The checker itself: a page that breaks WCAG rules is reported, and so is a
/// page wider than the viewport at 320 CSS pixels, with JavaScript on and off,
/// so a clean result elsewhere means something.
#[tokio::test]
async fn axe_reports_a_page_that_breaks_the_rules() {
    let routes = Router::new()
        .route(
            "/test/inaccessible",
            get(|| async {
                Html(
                    "<!DOCTYPE html><html><head><title>Bad page</title></head><body>\
                     <img src=\"/assets/images/icon-document.svg\">\
                     <p style=\"color:#aaa;background:#fff\">Faint text</p></body></html>",
                )
            }),
        )
        .route(
            "/test/too-wide",
            get(|| async {
                Html(
                    "<!DOCTYPE html><html lang=\"en\"><head><title>Wide page</title>\
                     <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
                     </head><body><main><table><tr><td>A_table_cell_too_long_to_wrap_at_320_pixels_wide</td>\
                     <td>and_another_one_beside_it</td></tr></table></main></body></html>",
                )
            }),
        );
    let app = TestApp::builder()
        .with_routes(routes)
        .build()
        .await
        .unwrap_or_else(|| unreachable!());
    let addr = app.serve().await;
    for javascript in [JavaScript::On, JavaScript::Off] {
        let Some(browser) = Browser::start(addr, javascript).await else {
            return;
        };
        browser.open_unchecked("/test/inaccessible").await;
        let violations = browser.accessibility_violations().await;
        let ids: Vec<&str> = violations.iter().filter_map(|v| v["id"].as_str()).collect();
        for expected in ["image-alt", "html-has-lang"] {
            assert!(
                ids.contains(&expected),
                "{javascript:?}: {expected} not found in {ids:?}"
            );
        }
        browser.open_unchecked("/test/too-wide").await;
        let (viewport, document) = browser.widths_at_320().await;
        assert!(
            document > viewport,
            "{javascript:?}: the wide table is found at 320 pixels: {document} > {viewport}"
        );
        browser.close().await;
    }
}

/// The guide's journey: Register for new account (your details, Next; email,
/// password and Confirm Password, Next) → the code from the email → Next → Logout
/// → sign in (Submit) → the code (Finish) → the portal home → Logout.
#[expect(clippy::too_many_lines, reason = "the guide's journey, step by step")]
async fn register_sign_in_and_log_out(javascript: JavaScript) {
    use crate::accounts::{PASSWORD, latest_email, six_digits};

    let app = TestApp::new().await;
    let addr = app.serve().await;
    let Some(mut browser) = Browser::start(addr, javascript).await else {
        return;
    };
    let email = "parent@example.com";

    browser.visit("/").await;
    browser.click_link("Register for new account").await;
    assert_eq!(browser.path().await, "/register");
    // The first screen: a mistake first, the error summary.
    browser.press("Next").await;
    assert!(
        browser
            .title()
            .await
            .starts_with("Error: Register for new account")
    );
    assert!(
        browser
            .text_of(".govuk-error-summary")
            .await
            .contains("Enter your full name")
    );
    browser.fill("name", "Pat Parent").await;
    browser.press("Next").await;
    // The second screen: a mistake; Back keeps the first screen's answers.
    assert_eq!(browser.path().await, "/register/email-and-password");
    browser.fill("email", "pat@exmaple.com").await;
    browser.fill("password", "short").await;
    browser.press("Next").await;
    assert!(
        browser
            .title()
            .await
            .starts_with("Error: Your email address and password")
    );
    assert!(
        browser
            .text_of(".govuk-error-summary")
            .await
            .contains("at least 15 characters")
    );
    browser.click_link("Back").await;
    assert_eq!(browser.path().await, "/register");
    assert_eq!(
        browser
            .run("return document.querySelector(\"[name='name']\").value;")
            .await,
        "Pat Parent"
    );
    browser.press("Next").await;
    browser.fill("email", "pat@exmaple.com").await;
    browser.fill("password", PASSWORD).await;
    browser.fill("confirm_password", PASSWORD).await;
    browser.press("Next").await;
    assert_eq!(browser.path().await, "/register/confirm");
    // The code went to a mistyped address: change it.
    assert!(browser.text_of("main").await.contains("pat@exmaple.com"));
    browser.click_link("Change email address").await;
    assert_eq!(browser.path().await, "/register/email-and-password");
    browser.fill("email", email).await;
    browser.fill("password", PASSWORD).await;
    browser.fill("confirm_password", PASSWORD).await;
    browser.press("Next").await;
    assert_eq!(browser.path().await, "/register/confirm");
    assert!(
        browser
            .text_of("main")
            .await
            .contains(&format!("We have sent a verification code to {email}."))
    );

    let code = six_digits(&latest_email(&app, email).await.1);
    browser.fill("code", &code).await;
    browser.press("Next").await;
    assert_eq!(browser.path().await, "/home");
    assert!(browser.text_of("h1").await.contains("Portal home"));
    assert!(
        browser
            .text_of(".govuk-notification-banner")
            .await
            .contains("Your account has been registered")
    );

    browser.click(".app-account-menu__summary").await;
    browser.press("Logout").await;
    assert_eq!(browser.path().await, "/signed-out");

    browser.click_link("Sign in again").await;
    browser.fill("email", email).await;
    browser.fill("password", PASSWORD).await;
    browser.press("Submit").await;
    assert_eq!(browser.path().await, "/sign-in/code");
    let code = six_digits(&latest_email(&app, email).await.1);
    browser.fill("code", &code).await;
    browser.press("Finish").await;
    assert_eq!(browser.path().await, "/home");
    assert!(
        browser
            .text_of(".app-account-menu__summary")
            .await
            .contains("Pat Parent")
    );

    browser.click(".app-account-menu__summary").await;
    browser.click_link("My Account").await;
    assert!(browser.text_of("h1").await.contains("My Account"));
    browser.click(".app-account-menu__summary").await;
    browser.press("Logout").await;
    assert_eq!(browser.path().await, "/signed-out");
    browser.visit("/home").await;
    assert_eq!(browser.path().await, "/sign-in", "signed out on the server");
    browser.close().await;
}

#[tokio::test]
async fn the_registration_and_sign_in_journey_passes_axe_with_javascript_on() {
    register_sign_in_and_log_out(JavaScript::On).await;
}

#[tokio::test]
async fn the_registration_and_sign_in_journey_passes_axe_with_javascript_off() {
    register_sign_in_and_log_out(JavaScript::Off).await;
}

/// A professional starts where anyone does, at `/`, follows the line for
/// professionals to Register, ticks the professional capacity (its questions
/// shown at once without JavaScript, revealed by the tick with it), confirms the
/// emailed code and lands on a home that offers "Add a child I work with".
async fn professional_registers_from_the_start_page(javascript: JavaScript) {
    use crate::accounts::{PASSWORD, latest_email, six_digits};

    let app = TestApp::new().await;
    let addr = app.serve().await;
    let Some(mut browser) = Browser::start(addr, javascript).await else {
        return;
    };
    let email = "senco@oakfield.example";

    browser.visit("/").await;
    browser
        .click_link("register in your professional capacity")
        .await;
    assert_eq!(browser.path().await, "/register");
    browser.fill("name", "Sam Senco").await;
    browser
        .click("input[name='professional'][value='yes']")
        .await;
    browser
        .fill("organisation", "Oakfield Primary School")
        .await;
    browser.fill("job_role", "SENCo").await;
    browser.fill("work_phone", "01905 123456").await;
    browser.press("Next").await;
    // The second screen: email address, password and Confirm Password.
    assert_eq!(browser.path().await, "/register/email-and-password");
    browser.fill("email", email).await;
    browser.fill("password", PASSWORD).await;
    browser.fill("confirm_password", PASSWORD).await;
    browser.press("Next").await;
    assert_eq!(browser.path().await, "/register/confirm");
    let code = six_digits(&latest_email(&app, email).await.1);
    browser.fill("code", &code).await;
    browser.press("Next").await;
    assert_eq!(browser.path().await, "/home");
    assert!(
        browser
            .text_of("main")
            .await
            .contains("Add a child I work with")
    );
    browser.close().await;
}

#[tokio::test]
async fn a_professional_registers_from_the_start_page_with_javascript_on() {
    professional_registers_from_the_start_page(JavaScript::On).await;
}

#[tokio::test]
async fn a_professional_registers_from_the_start_page_with_javascript_off() {
    professional_registers_from_the_start_page(JavaScript::Off).await;
}

/// The caseworker's journey: sign in with the authenticator app, add a child,
/// open an assessment, move it on, read the chronology and the caseload, Logout.
async fn caseworker_journey(javascript: JavaScript) {
    use send_domain::{DEFAULT_TEAM, StaffRole, default_group};

    use crate::accounts::{PASSWORD, app_code};
    use crate::back_office::{SECRET, create_staff};

    let app = TestApp::new().await;
    create_staff(
        &app,
        "case@testshire.example",
        StaffRole::Caseworker,
        Some(DEFAULT_TEAM.0),
        &[default_group(StaffRole::Caseworker)],
    )
    .await;
    let addr = app.serve().await;
    let Some(mut browser) = Browser::start(addr, javascript).await else {
        return;
    };
    goes_to_sign_in_from_the_start_page(&mut browser).await;
    browser.fill("email", "case@testshire.example").await;
    browser.fill("password", PASSWORD).await;
    browser.press("Submit").await;
    assert_eq!(browser.path().await, "/sign-in/authenticator");
    let now = send_domain::Clock::now(&app.clock);
    browser.fill("code", &app_code(SECRET, now)).await;
    browser.press("Finish").await;
    assert_eq!(browser.path().await, "/back-office/caseload");
    browser.click_link("Find a child").await;

    browser.click_link("Add a child").await;
    browser.fill("first_name", "Alex").await;
    browser.fill("last_name", "Example").await;
    browser.fill("dob-day", "14").await;
    browser.fill("dob-month", "3").await;
    browser.fill("dob-year", "2016").await;
    browser.click("input[name='sex'][value='F']").await;
    browser.fill("postcode", "WR1 2PG").await;
    browser.press("Add child").await;
    assert!(browser.text_of("h1").await.contains("Alex Example"));

    browser.click_link("Open an involvement").await;
    browser
        .click("input[name='kind'][value='assessment']")
        .await;
    browser.fill("start-day", "5").await;
    browser.fill("start-month", "10").await;
    browser.fill("start-year", "2026").await;
    browser.press("Open").await;
    assert!(browser.text_of("h1").await.contains("EHC needs assessment"));
    assert!(browser.text_of("table").await.contains("Missed by 7 days"));

    browser
        .click("input[name='to'][value='decision_to_assess']")
        .await;
    browser.fill("on-day", "10").await;
    browser.fill("on-month", "11").await;
    browser.fill("on-year", "2026").await;
    browser.press("Continue").await;
    assert!(browser.text_of("h1").await.contains("Decision to assess"));
    browser.press("Move stage").await;
    assert!(
        browser
            .text_of(".app-stages__stage--current")
            .await
            .contains("Decision to assess")
    );
    assert!(
        browser
            .text_of("table")
            .await
            .contains("Met on 10 November 2026")
    );

    browser.click_link("Back to Alex Example").await;
    browser.click_link("Chronology").await;
    assert!(
        browser
            .text_of("main")
            .await
            .contains("Decision to assess on 10 November 2026")
    );
    browser.visit("/back-office/caseload?scope=mine").await;
    assert!(browser.text_of("table").await.contains("Alex Example"));

    browser.click(".app-account-menu__summary").await;
    browser.press("Logout").await;
    assert_eq!(browser.path().await, "/signed-out");
    browser.close().await;
}

#[tokio::test]
async fn the_caseworker_journey_passes_axe_with_javascript_on() {
    caseworker_journey(JavaScript::On).await;
}

#[tokio::test]
async fn the_caseworker_journey_passes_axe_with_javascript_off() {
    caseworker_journey(JavaScript::Off).await;
}

/// Opens the start page, `/`, and presses its "Sign in" start button, as anyone
/// coming to the portal would: parents, professionals and staff share one
/// sign-in page.
pub async fn goes_to_sign_in_from_the_start_page(browser: &mut Browser) {
    browser.visit("/").await;
    browser.follow("main a.govuk-button--start").await;
    assert_eq!(browser.path().await, "/sign-in");
}

/// Signs a member of staff in through the real pages (password, then the app).
pub async fn staff_signs_in(browser: &mut Browser, app: &TestApp, email: &str) {
    use crate::accounts::{PASSWORD, app_code};
    use crate::back_office::SECRET;

    // A new 30-second step, so the app's code has not been used before.
    app.clock.advance(time::Duration::seconds(31));
    goes_to_sign_in_from_the_start_page(browser).await;
    browser.fill("email", email).await;
    browser.fill("password", PASSWORD).await;
    browser.press("Submit").await;
    let now = send_domain::Clock::now(&app.clock);
    browser.fill("code", &app_code(SECRET, now)).await;
    browser.press("Finish").await;
    let landing = browser.path().await;
    assert!(
        ["/back-office/caseload", "/back-office"].contains(&landing.as_str()),
        "staff land on My cases, or Find a child without the view cases permission: {landing}"
    );
}

pub async fn logs_out(browser: &mut Browser) {
    browser.click(".app-account-menu__summary").await;
    browser.press("Logout").await;
    assert_eq!(browser.path().await, "/signed-out");
}

/// The text after `marker` in an email, to the end of its line.
fn email_line(text: &str, marker: &str) -> String {
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker:?} in:\n{text}"))
        + marker.len();
    text[start..]
        .lines()
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// The parent guide's whole journey: the caseworker invites → the email with the
/// code → the caseworker records the check and sends the link → the parent
/// registers from the link → ticks the child, Yes, Confirm, Submit → the
/// confirmation email → the caseworker confirms → the access email → the parent
/// signs in → the SEND Dashboard shows the stage and key dates → Logout.
#[expect(clippy::too_many_lines, reason = "the guide's journey, step by step")]
async fn parent_invitation_journey(javascript: JavaScript) {
    use send_domain::{DEFAULT_TEAM, StaffRole};

    use crate::accounts::{PASSWORD, latest_email, six_digits};
    use crate::back_office::{add_child, caseworkers, open_assessment, staff_client};

    let app = TestApp::new().await;
    let caseworker = "case@testshire.example";
    let parent = "sam@example.com";
    // The child's record and assessment, as the caseworker journey makes them.
    let mut setup = staff_client(
        &app,
        caseworker,
        StaffRole::Caseworker,
        Some(DEFAULT_TEAM.0),
        &[caseworkers()],
    )
    .await;
    let child = add_child(&mut setup).await;
    open_assessment(&mut setup, child, ("2", "11", "2026")).await;
    let addr = app.serve().await;
    let Some(mut browser) = Browser::start(addr, javascript).await else {
        return;
    };

    // The caseworker invites Sam, and records the check when Sam phones.
    staff_signs_in(&mut browser, &app, caseworker).await;
    browser
        .visit(&format!("/back-office/children/{child}"))
        .await;
    browser.click_link("Portal access").await;
    browser.click_link("Invite a family contact").await;
    browser.click("input[name='contact']").await;
    browser.click("input[name='role'][value='parent']").await;
    browser.press("Send invitation").await;
    let (subject, text) = latest_email(&app, parent).await;
    assert_eq!(
        subject,
        "Your reference code for the Testshire County Council SEND Portal"
    );
    let code = email_line(&text, "Your reference code is ");
    browser.click_link("Record identity check").await;
    browser.fill("code", &code).await;
    browser.click("input[name='how'][value='phone']").await;
    browser.press("Record check").await;
    browser.press("Send Accept Portal Invitation email").await;
    assert!(
        browser
            .text_of("main")
            .await
            .contains("Invitation link sent")
    );
    let (subject, text) = latest_email(&app, parent).await;
    assert_eq!(subject, "Accept Portal Invitation");
    let link = email_line(&text, "Open this link to accept the invitation: ")
        .trim_start_matches("http://localhost:8080")
        .to_owned();
    logs_out(&mut browser).await;

    // Sam opens the link, registers, and comes back to the invitation.
    browser.visit(&link).await;
    browser.click_link("Register for new account").await;
    browser.fill("name", "Sam Example").await;
    browser.press("Next").await;
    browser.fill("email", parent).await;
    browser.fill("password", PASSWORD).await;
    browser.fill("confirm_password", PASSWORD).await;
    browser.press("Next").await;
    let code = six_digits(&latest_email(&app, parent).await.1);
    browser.fill("code", &code).await;
    browser.press("Next").await;
    assert_eq!(browser.path().await, link);
    // Confirm with nothing chosen: the error summary.
    browser.press("Confirm").await;
    assert!(
        browser
            .title()
            .await
            .starts_with("Error: Accept Portal Invitation")
    );
    browser.click("input[name='child']").await;
    browser.click("input[name='answer'][value='yes']").await;
    browser.press("Confirm").await;
    assert!(browser.text_of("h1").await.contains("Check your answer"));
    browser.press("Submit").await;
    assert_eq!(browser.path().await, "/home");
    assert!(
        browser
            .text_of(".govuk-notification-banner")
            .await
            .contains("Your request has been sent to the SEND team")
    );
    let (subject, _) = latest_email(&app, parent).await;
    assert_eq!(subject, "Your SEND Portal request has been received");
    logs_out(&mut browser).await;

    // The caseworker confirms.
    staff_signs_in(&mut browser, &app, caseworker).await;
    browser.visit("/back-office").await;
    browser.click_link("Portal requests").await;
    browser.click_link("Lex Example").await;
    browser.press("Confirm access").await;
    assert!(browser.text_of("table").await.contains("Active"));
    let (subject, _) = latest_email(&app, parent).await;
    assert_eq!(subject, "You can now see the SEND Dashboard");
    logs_out(&mut browser).await;

    // Sam signs in and opens the SEND Dashboard.
    parent_signs_in(&mut browser, &app, parent).await;
    browser
        .click(&format!("a[href='/children/{child}/dashboard']"))
        .await;
    browser.check_accessibility().await;
    assert!(browser.text_of("h1").await.contains("Lex Example"));
    assert!(
        browser
            .text_of(".app-dashboard-stages__stage--current")
            .await
            .contains("Request received")
    );
    let key_dates = browser.text_of("table").await;
    assert!(key_dates.contains(
        "The SEND team will tell you whether they will carry out an EHC needs assessment"
    ));
    assert!(!key_dates.contains("Tell the family"));
    assert!(key_dates.contains("14 December 2026"));
    assert!(
        browser
            .text_of("main")
            .await
            .contains("Staff case@testshire.example")
    );
    logs_out(&mut browser).await;
    browser.close().await;
}

#[tokio::test]
async fn the_parent_invitation_journey_passes_axe_with_javascript_on() {
    parent_invitation_journey(JavaScript::On).await;
}

#[tokio::test]
async fn the_parent_invitation_journey_passes_axe_with_javascript_off() {
    parent_invitation_journey(JavaScript::Off).await;
}

/// A parent signs in through the real pages with the emailed code.
pub async fn parent_signs_in(browser: &mut Browser, app: &TestApp, email: &str) {
    use crate::accounts::{PASSWORD, latest_email, six_digits};

    // A new second, so the sign-in code is the newest email to this address.
    app.clock.advance(time::Duration::seconds(1));
    goes_to_sign_in_from_the_start_page(browser).await;
    browser.fill("email", email).await;
    browser.fill("password", PASSWORD).await;
    browser.press("Submit").await;
    let code = six_digits(&latest_email(app, email).await.1);
    browser.fill("code", &code).await;
    browser.press("Finish").await;
    assert_eq!(browser.path().await, "/home");
}

/// The parent guide's "Messages" and "Documents to View": the parent opens the
/// message box → New Message → type, subject, text → Send → Sent Items; the
/// caseworker replies and shares a letter; the parent is emailed (without the
/// message), sees the reply unread in the Inbox, opens it, Reply, Send, Return
/// to Dashboard; then Documents to View, and the download is the same bytes.
#[expect(clippy::too_many_lines, reason = "the guide's journey, step by step")]
async fn messages_and_documents_journey(javascript: JavaScript) {
    use send_domain::{DEFAULT_TEAM, LinkStatus, PortalRole, StaffRole};

    use crate::accounts::register;
    use crate::back_office::{add_child, caseworkers, open_assessment, staff_client};
    use crate::portal_access::{PARENT, link, stranger_id};

    const LETTER: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
    let app = TestApp::new().await;
    let caseworker = "case@testshire.example";
    let mut setup = staff_client(
        &app,
        caseworker,
        StaffRole::Caseworker,
        Some(DEFAULT_TEAM.0),
        &[caseworkers()],
    )
    .await;
    let child = add_child(&mut setup).await;
    open_assessment(&mut setup, child, ("2", "11", "2026")).await;
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
    let letter = folder.path().join("decision-letter.pdf");
    std::fs::write(&letter, LETTER).unwrap_or_else(|e| panic!("{e}"));
    let addr = app.serve().await;
    let Some(mut browser) = Browser::start(addr, javascript).await else {
        return;
    };

    // The parent writes to the SEND team.
    parent_signs_in(&mut browser, &app, PARENT).await;
    browser
        .click(&format!("a[href='/children/{child}/dashboard']"))
        .await;
    browser.check_accessibility().await;
    browser.click_link("Messages").await;
    browser.click_link("New Message").await;
    browser.press("Send").await;
    assert!(browser.title().await.starts_with("Error: New Message"));
    browser
        .choose("message_type", "00000000-0000-4000-8000-000000000201")
        .await;
    browser.fill("subject", "School transport").await;
    browser
        .fill("message", "Lex has found the bus hard this week.")
        .await;
    browser.press("Send").await;
    assert!(
        browser
            .text_of("main")
            .await
            .contains("Lex has found the bus hard")
    );
    browser.click("a.app-message-close").await;
    browser.check_accessibility().await;
    assert!(browser.text_of("main").await.contains("School transport"));
    logs_out(&mut browser).await;

    // The caseworker replies from the team inbox and shares a letter.
    staff_signs_in(&mut browser, &app, caseworker).await;
    browser.visit("/back-office").await;
    browser.click_link("Team inbox").await;
    browser.click_link("School transport").await;
    browser
        .fill("message", "We will call you tomorrow morning.")
        .await;
    browser.press("Send").await;
    browser
        .click_link("Back to messages about Lex Example")
        .await;
    browser.click_link("Back to Lex Example").await;
    browser.click_link("Documents").await;
    browser.click_link("Add a document").await;
    browser.click("input[name='kind'][value='letter']").await;
    browser
        .fill("description", "Decision to assess letter")
        .await;
    browser.attach("file", &letter).await;
    // The people to tick show only once "Only these people" is chosen, with
    // JavaScript on or off (the stylesheet reveals them).
    let people_shown =
        "return document.querySelector(\"input[name='people']\").offsetParent !== null;";
    assert_eq!(browser.run(people_shown).await, false, "hidden at first");
    browser.click("input[name='share'][value='named']").await;
    assert_eq!(
        browser.run(people_shown).await,
        true,
        "revealed when chosen"
    );
    browser.click("input[name='share'][value='all']").await;
    assert_eq!(browser.run(people_shown).await, false, "hidden again");
    browser.press("Add document").await;
    assert!(
        browser
            .text_of("table")
            .await
            .contains("Everyone linked to the child")
    );
    logs_out(&mut browser).await;

    // The parent is told of both (sent at the same instant of the test clock, so
    // in no set order), without the message or the letter, and reads the reply.
    let outbox = app
        .app
        .store
        .outbox_emails(100)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let notice = |subject: &str| {
        outbox
            .iter()
            .find(|e| e.email.to.as_str() == PARENT && e.email.subject.as_str() == subject)
            .unwrap_or_else(|| panic!("no email {subject:?}"))
            .email
            .text_body
            .clone()
    };
    let message_notice = notice("You have a new message about Lex in the SEND Portal");
    assert!(!message_notice.contains("call you tomorrow"));
    let document_notice =
        notice("A document about Lex has been shared with you in the SEND Portal");
    assert!(!document_notice.contains("Decision to assess letter"));
    parent_signs_in(&mut browser, &app, PARENT).await;
    browser
        .click(&format!("a[href='/children/{child}/dashboard']"))
        .await;
    browser.check_accessibility().await;
    assert!(browser.text_of("main").await.contains("1 unread message"));
    dashboard_on_a_phone_and_its_panels(&mut browser, child).await;
    browser.click_link("Messages").await;
    assert!(browser.text_of("table").await.contains("Unread"));
    browser.click_link("School transport").await;
    assert!(
        browser
            .text_of("main")
            .await
            .contains("We will call you tomorrow")
    );
    browser.click_link("Reply").await;
    browser
        .fill("message", "Thank you, after 3pm please.")
        .await;
    browser.press("Send").await;
    assert!(browser.text_of("main").await.contains("after 3pm please"));
    browser.click_link("Return to Dashboard").await;

    // Documents to View: the letter, downloaded byte for byte.
    browser.click_link("Documents to View").await;
    assert!(
        browser
            .text_of("table")
            .await
            .contains("Decision to assess letter")
    );
    let bytes = browser
        .run_async(
            "const done = arguments[arguments.length - 1];\
             const link = document.querySelector('table a[download]');\
             fetch(link.href).then(r => r.arrayBuffer())\
               .then(b => done(Array.from(new Uint8Array(b))));",
        )
        .await;
    let bytes: Vec<u8> = bytes
        .as_array()
        .unwrap_or_else(|| panic!("no bytes: {bytes}"))
        .iter()
        .filter_map(|b| b.as_u64().and_then(|b| u8::try_from(b).ok()))
        .collect();
    assert_eq!(bytes, LETTER);
    logs_out(&mut browser).await;
    browser.close().await;
}

/// On a phone, "1 new message" sits under the child's name (not on a wide
/// screen); and each panel is clickable as a whole: a point on the panel's text
/// lands on the panel's link.
async fn dashboard_on_a_phone_and_its_panels(browser: &mut Browser, child: send_domain::ChildId) {
    let display = "return getComputedStyle(document.querySelector('.app-phone-only')).display;";
    assert_eq!(browser.run(display).await, "none", "not on a wide screen");
    browser.resize(320, 900).await;
    assert_ne!(browser.run(display).await, "none", "on a phone");
    assert_eq!(browser.text_of(".app-phone-only").await, "1 new message");
    browser.check_accessibility().await;
    browser.resize(1280, 1024).await;
    let landed_on = browser
        .run(
            "return [...document.querySelectorAll('.app-dashboard-panel')].map(panel => {
               const text = panel.querySelector('p');
               text.scrollIntoView({block: 'center'});
               const box = text.getBoundingClientRect();
               const hit = document.elementFromPoint(box.left + 2, box.top + box.height / 2);
               const link = hit && hit.closest('a');
               return link ? link.getAttribute('href') : null;
             });",
        )
        .await;
    assert_eq!(
        landed_on,
        serde_json::json!([
            format!("/children/{child}/messages"),
            format!("/children/{child}/documents"),
            format!("/children/{child}/forms"),
        ])
    );
}

#[tokio::test]
async fn the_messages_and_documents_journey_passes_axe_with_javascript_on() {
    messages_and_documents_journey(JavaScript::On).await;
}

#[tokio::test]
async fn the_messages_and_documents_journey_passes_axe_with_javascript_off() {
    messages_and_documents_journey(JavaScript::Off).await;
}
