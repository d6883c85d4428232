//! Snapshot tests (insta): a handful of representative pages and every email the
//! portal sends, each exactly as the application renders it, with what changes
//! from run to run (ids, tokens, codes, dates and times) replaced by a marker.
//!
//! The snapshots are in `snapshots/`. After an intended change, review the new
//! ones with `cargo insta review` (or write them with `INSTA_UPDATE=always` and
//! read `git diff`); in CI (`CI` set) a missing or different snapshot fails.
//! These run on SQLite only: the pages and emails are the same on PostgreSQL,
//! which the other tests cover.

use http::StatusCode;
use send_domain::{ChildId, Clock, OutgoingEmail, StaffRole};

use crate::accounts::{
    EMAIL_AND_PASSWORD, PASSWORD, app_code, csrf_of, register, register_with, sign_in, six_digits,
    submit, submit_registration,
};
use crate::back_office::{MY_CASES, caseworkers, location, open_assessment, staff_client};
use crate::messages::{PDF, new_message, upload};
use crate::portal_access::{
    PARENT, answer, caseworker_and_child, invite, post_button, professional, verify_and_send_link,
};
use crate::support::{TestApp, TestClient, TestResponse};

/// What changes from run to run, and what replaces it.
const FILTERS: &[(&str, &str)] = &[
    // Ids (UUIDs) in links, form values and text.
    (
        r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "[id]",
    ),
    // Form tokens and the secret tokens of single-use links (64 hex digits).
    (r"\b[0-9a-f]{64}\b", "[token]"),
    // The stylesheet's and script's versions (hashes of their content).
    (r"\?v=[0-9a-f]+", "?v=[asset version]"),
    // Invitation reference codes (`ABCD-EFGH`, from an unambiguous alphabet).
    (r"\b[A-Z2-9]{4}-[A-Z2-9]{4}\b", "[reference code]"),
    // Authenticator keys (base32, shown in groups or whole).
    (r"\b[A-Z2-7]{4}(?: [A-Z2-7]{4}){7}\b", "[authenticator key]"),
    (r"\b[A-Z2-7]{32}\b", "[authenticator key]"),
    // Dates and times as people read them, and as machines do.
    (
        r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b",
        "[date]",
    ),
    (
        r"\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b",
        "[date]",
    ),
    (r"\b\d{1,2}(?::\d{2})?(?:am|pm)\b", "[time]"),
    (
        r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b",
        "[date]",
    ),
];

/// The filters for emails: also one-time codes (6 digits).
const EMAIL_FILTERS: &[(&str, &str)] = &[(r"\b\d{6}\b", "[code]")];

fn settings(extra: &[(&str, &str)]) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    for (pattern, replacement) in FILTERS.iter().chain(extra) {
        settings.add_filter(pattern, *replacement);
    }
    settings
}

/// Snapshots a page (its status and HTML) as `page_<name>`.
fn assert_page(name: &str, page: &TestResponse) {
    assert_eq!(page.status, StatusCode::OK, "{name}: {}", page.body);
    settings(&[]).bind(|| {
        insta::assert_snapshot!(format!("page_{name}"), page.body);
    });
}

/// An email as a person would see it: who it is to, the subject, the plain text
/// and the HTML.
fn shown(email: &OutgoingEmail) -> String {
    let to = match &email.to_name {
        Some(name) => format!("{name} <{}>", email.to),
        None => email.to.to_string(),
    };
    format!(
        "To: {to}\nSubject: {}\n\n{}\n---------------- HTML ----------------\n{}",
        email.subject, email.text_body, email.html_body
    )
}

/// Delivers the outbox through the application's mailer (the tests' sink) and
/// snapshots the one email `to` received as `email_<name>`.
async fn assert_email(app: &TestApp, name: &str, to: &str) {
    let email = delivered_to(app, to).await;
    settings(EMAIL_FILTERS).bind(|| {
        insta::assert_snapshot!(format!("email_{name}"), shown(&email));
    });
}

/// The one email delivered to `to` since the last delivery; any others are
/// dropped.
async fn delivered_to(app: &TestApp, to: &str) -> OutgoingEmail {
    app.deliver_emails().await;
    let mut emails: Vec<OutgoingEmail> = app
        .mail
        .take()
        .into_iter()
        .filter(|email| email.to.as_str() == to)
        .collect();
    assert_eq!(emails.len(), 1, "one email to {to}: {emails:#?}");
    emails.remove(0)
}

/// Delivers and forgets what the outbox holds (emails already snapshotted).
async fn drain(app: &TestApp) {
    app.deliver_emails().await;
    app.mail.take();
}

/// The demo's back-office account, signed in with its authenticator app.
pub async fn demo_caseworker(app: &TestApp) -> TestClient {
    let mut client = app.client();
    let step = submit(
        &mut client,
        "/sign-in",
        "/sign-in",
        &[
            ("email", send_app::demo::DEMO_STAFF_EMAIL),
            ("password", send_app::demo::DEMO_PASSWORD),
        ],
    )
    .await;
    assert_eq!(location(&step), "/sign-in/authenticator", "{}", step.body);
    let code = app_code(send_app::demo::DEMO_AUTHENTICATOR_KEY, app.clock.now());
    let done = submit(
        &mut client,
        "/sign-in/authenticator",
        "/sign-in/authenticator",
        &[("code", &code)],
    )
    .await;
    assert_eq!(location(&done), MY_CASES, "{}", done.body);
    client
}

#[tokio::test]
async fn representative_pages_match_their_snapshots() {
    let app = TestApp::new().await;
    app.app
        .load_demo_data()
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    let mut visitor = app.client();
    assert_page("start", &visitor.get("/").await);
    assert_page("sign_in", &visitor.get("/sign-in").await);
    // Registering: the guide's two screens, then the code page.
    assert_page("register_your_details", &visitor.get("/register").await);
    let next = submit(
        &mut visitor,
        "/register",
        "/register",
        &[("name", "Pat Parent")],
    )
    .await;
    assert_eq!(location(&next), EMAIL_AND_PASSWORD);
    assert_page(
        "register_email_and_password",
        &visitor.get(EMAIL_AND_PASSWORD).await,
    );
    let sent = submit(
        &mut visitor,
        EMAIL_AND_PASSWORD,
        EMAIL_AND_PASSWORD,
        &[
            ("email", "pat.parent@example.com"),
            ("password", PASSWORD),
            ("confirm_password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(location(&sent), "/register/confirm");
    assert_page("register_code", &visitor.get("/register/confirm").await);

    // Pat Parent's SEND Dashboard for Amira, the demo's child.
    let mut parent = app.client();
    sign_in(
        &app,
        &mut parent,
        "parent@example.com",
        send_app::demo::DEMO_PASSWORD,
    )
    .await;
    let home = parent.get("/home").await;
    let start = home
        .body
        .find("href=\"/children/")
        .unwrap_or_else(|| panic!("no child on the home page: {}", home.body))
        + "href=\"/children/".len();
    let child: ChildId = home.body[start..start + 36]
        .parse()
        .unwrap_or_else(|e| panic!("{e:?}"));
    let dashboard = parent.get(&format!("/children/{child}/dashboard")).await;
    assert_eq!(dashboard.h1(), "Amira Khan");
    assert_page("send_dashboard", &dashboard);

    // The SEND team's record of the same child, and its Portal access page.
    let mut caseworker = demo_caseworker(&app).await;
    let record = caseworker
        .get(&format!("/back-office/children/{child}"))
        .await;
    assert_page("back_office_child_record", &record);
    let access = caseworker
        .get(&format!("/back-office/children/{child}/portal-access"))
        .await;
    assert_page("portal_access", &access);
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "every email an account is sent, in the order a person meets them"
)]
async fn account_emails_match_their_snapshots() {
    let app = TestApp::new().await;
    let mut jo = app.client();
    register(&app, &mut jo, "jo@example.com").await;
    assert_email(&app, "verification_code", "jo@example.com").await;

    let mut stranger = app.client();
    submit_registration(
        &mut stranger,
        &[
            ("name", "Someone Else"),
            ("email", "jo@example.com"),
            ("password", "Another-Long-Passphrase-42"),
            ("confirm_password", "Another-Long-Passphrase-42"),
        ],
    )
    .await;
    assert_email(&app, "already_registered", "jo@example.com").await;

    let mut again = app.client();
    sign_in(&app, &mut again, "jo@example.com", PASSWORD).await;
    assert_email(&app, "sign_in_code", "jo@example.com").await;

    // A new email address: a code to the new one, then a notice to the old one.
    let asked = submit(
        &mut jo,
        "/account/email",
        "/account/email",
        &[
            ("email", "jo.new@example.com"),
            ("current_password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(location(&asked), "/account/email/confirm");
    let code_email = delivered_to(&app, "jo.new@example.com").await;
    settings(EMAIL_FILTERS).bind(|| {
        insta::assert_snapshot!("email_change_email_code", shown(&code_email));
    });
    let code = six_digits(&code_email.text_body);
    let done = submit(
        &mut jo,
        "/account/email/confirm",
        "/account/email/confirm",
        &[("code", &code)],
    )
    .await;
    assert_eq!(location(&done), "/account");
    assert_email(&app, "email_changed", "jo@example.com").await;

    // An authenticator app instead of emailed codes.
    let chosen = submit(
        &mut jo,
        "/account/sign-in-method",
        "/account/sign-in-method",
        &[("method", "authenticator")],
    )
    .await;
    assert_eq!(location(&chosen), "/account/authenticator");
    let page = jo.get("/account/authenticator").await;
    let marker = "id=\"authenticator-key\">";
    let at = page
        .body
        .find(marker)
        .unwrap_or_else(|| panic!("no key: {}", page.body))
        + marker.len();
    let secret: String = page.body[at..]
        .split('<')
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    let enabled = jo
        .post_form(
            "/account/authenticator",
            &[
                ("csrf_token", &csrf_of(&page)),
                ("code", &app_code(&secret, app.clock.now())),
                ("current_password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        location(&enabled),
        "/account/recovery-codes",
        "{}",
        enabled.body
    );
    assert_email(&app, "authenticator_enabled", "jo.new@example.com").await;

    // A forgotten password: the link, then the notice that it changed.
    let mut forgetful = app.client();
    submit(
        &mut forgetful,
        "/forgotten-password",
        "/forgotten-password",
        &[("email", "jo.new@example.com")],
    )
    .await;
    let reset = delivered_to(&app, "jo.new@example.com").await;
    settings(EMAIL_FILTERS).bind(|| {
        insta::assert_snapshot!("email_password_reset_link", shown(&reset));
    });
    let path = reset
        .text_body
        .split_whitespace()
        .find(|word| word.contains("/reset-password/"))
        .unwrap_or_else(|| panic!("no link: {}", reset.text_body))
        .trim_start_matches("http://localhost:8080")
        .to_owned();
    let new_password = "Another-Long-Passphrase-42";
    let changed = submit(
        &mut forgetful,
        &path,
        &path,
        &[
            ("password", new_password),
            ("confirm_password", new_password),
        ],
    )
    .await;
    assert_eq!(location(&changed), "/sign-in", "{}", changed.body);
    assert_email(&app, "password_changed", "jo.new@example.com").await;
}

#[tokio::test]
async fn back_office_emails_match_their_snapshots() {
    let app = TestApp::new().await;
    let mut admin = staff_client(
        &app,
        "admin@testshire.example",
        StaffRole::Administrator,
        None,
        &[send_domain::default_group(StaffRole::Administrator)],
    )
    .await;
    let team = send_domain::DEFAULT_TEAM.0.to_string();
    let group = caseworkers().to_string();
    let sent = submit(
        &mut admin,
        "/back-office/admin/invite",
        "/back-office/admin/invite",
        &[
            ("name", "Nia New"),
            ("email", "nia@testshire.example"),
            ("role", "caseworker"),
            ("team", &team),
            ("groups", &group),
        ],
    )
    .await;
    assert_eq!(location(&sent), "/back-office/admin", "{}", sent.body);
    assert_email(&app, "staff_setup_link", "nia@testshire.example").await;
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "every step of an invitation, a request, a message and a document"
)]
async fn portal_emails_match_their_snapshots() {
    let app = TestApp::new().await;
    let (mut caseworker, child) = caseworker_and_child(&app).await;
    open_assessment(&mut caseworker, child, ("2", "11", "2026")).await;

    // An invitation accepted by the parent and confirmed by the SEND team.
    let (invitation, code) = invite(&app, &mut caseworker, child).await;
    assert_email(&app, "invitation_reference_code", PARENT).await;
    let link = verify_and_send_link(&app, &mut caseworker, invitation, &code).await;
    assert_email(&app, "invitation_link", PARENT).await;
    let mut parent = app.client();
    // Opened before registering, the link is where registering comes back to.
    parent.get(&link).await;
    register_with(
        &app,
        &mut parent,
        &[("name", "Sam Example"), ("email", PARENT)],
        &link,
    )
    .await;
    drain(&app).await;
    let accepted = answer(&mut parent, &link, child, "yes").await;
    assert_eq!(location(&accepted), "/home", "{}", accepted.body);
    assert_email(&app, "invitation_accepted", PARENT).await;
    let access_page = format!("/back-office/children/{child}/portal-access");
    let confirmed = post_button(
        &mut caseworker,
        &access_page,
        &format!("/back-office/invitations/{invitation}/confirm"),
    )
    .await;
    assert_eq!(location(&confirmed), access_page);
    assert_email(&app, "invitation_confirmed", PARENT).await;

    // An invitation the parent says no to.
    let (second_child, declined_by_parent) = invited_child(&app, &mut caseworker).await;
    let declined = answer(&mut parent, &declined_by_parent, second_child, "no").await;
    assert_eq!(declined.status, StatusCode::SEE_OTHER, "{}", declined.body);
    assert_email(&app, "invitation_declined_by_person", PARENT).await;

    // An acceptance the SEND team cannot confirm.
    let (third_child, refused_link) = invited_child(&app, &mut caseworker).await;
    answer(&mut parent, &refused_link, third_child, "yes").await;
    drain(&app).await;
    let third_invitation = app
        .app
        .store
        .invitations_for_child(third_child)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))[0]
        .id;
    let page = caseworker
        .get(&format!(
            "/back-office/children/{third_child}/portal-access"
        ))
        .await;
    // A reason with a NUL (which PostgreSQL cannot store) gets the error summary.
    let nul = caseworker
        .post_form(
            &format!("/back-office/invitations/{third_invitation}/decline"),
            &[("csrf_token", &csrf_of(&page)), ("reason", "Not\0checked")],
        )
        .await;
    assert_eq!(nul.status, StatusCode::BAD_REQUEST, "{}", nul.body);
    assert!(
        nul.body
            .contains("The reason must not include invisible characters")
    );
    let refused = caseworker
        .post_form(
            &format!("/back-office/invitations/{third_invitation}/decline"),
            &[
                ("csrf_token", &csrf_of(&page)),
                ("reason", "We could not check who you are"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER, "{}", refused.body);
    assert_email(&app, "invitation_refused_by_council", PARENT).await;

    // A professional's requests: one matched, one declined.
    let mut pat = professional(&app, "pat@oakfield.example").await;
    drain(&app).await;
    for (first, last, nhs) in [("Alex", "Example", "943 476 5919"), ("Nobody", "Known", "")] {
        let asked = submit(
            &mut pat,
            "/children/add",
            "/children/add",
            &[
                ("first_name", first),
                ("last_name", last),
                ("dob-day", "14"),
                ("dob-month", "3"),
                ("dob-year", "2016"),
                ("nhs_number", nhs),
                ("relationship", "SENCO"),
            ],
        )
        .await;
        assert_eq!(location(&asked), "/home", "{}", asked.body);
    }
    let waiting = app
        .app
        .store
        .child_link_requests_waiting(10)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let request_for = |first: &str| {
        waiting
            .iter()
            .find(|request| request.first_name.as_str() == first)
            .unwrap_or_else(|| panic!("no request for {first}"))
            .id
    };
    let (alex, nobody) = (request_for("Alex"), request_for("Nobody"));
    // Requests are dealt with by staff who work on every team's cases.
    let every_team = crate::portal_access::every_team_group(&app).await;
    let mut intake = staff_client(
        &app,
        "intake@testshire.example",
        StaffRole::Caseworker,
        Some(send_domain::DEFAULT_TEAM.0),
        &[caseworkers(), every_team],
    )
    .await;
    let request_page = format!("/back-office/portal-requests/{alex}");
    let page = intake.get(&request_page).await;
    let matched = intake
        .post_form(
            &format!("{request_page}/match"),
            &[
                ("csrf_token", &csrf_of(&page)),
                ("child", &child.to_string()),
            ],
        )
        .await;
    assert_eq!(matched.status, StatusCode::SEE_OTHER, "{}", matched.body);
    assert_email(&app, "child_request_accepted", "pat@oakfield.example").await;
    let decline = format!("/back-office/portal-requests/{nobody}/decline");
    let declined = submit(
        &mut intake,
        &decline,
        &decline,
        &[("reason", "We could not find this child")],
    )
    .await;
    assert_eq!(location(&declined), "/back-office/portal-requests");
    assert_email(&app, "child_request_declined", "pat@oakfield.example").await;

    // A message from the parent: the caseworker is told, without the message.
    let thread = new_message(&mut parent, child, "Transport").await;
    assert_email(&app, "new_message", "case@testshire.example").await;
    // The caseworker holds it and replies: the parent is told, without the reply.
    let conversation = caseworker
        .get(&format!("/back-office/messages/{thread}"))
        .await;
    let csrf = csrf_of(&conversation);
    caseworker
        .post_form(
            &format!("/back-office/messages/{thread}/hold"),
            &[("csrf_token", &csrf), ("hold", "me")],
        )
        .await;
    let replied = caseworker
        .post_multipart(
            &format!("/back-office/messages/{thread}/reply"),
            &[
                ("csrf_token", &csrf),
                ("message", "We will call you tomorrow"),
            ],
            &[],
        )
        .await;
    assert_eq!(replied.status, StatusCode::SEE_OTHER, "{}", replied.body);
    assert_email(&app, "new_message_from_the_send_team", PARENT).await;

    // A document shared with everyone linked to the child.
    let added = upload(&mut caseworker, child, "letter.pdf", PDF, "all").await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    assert_email(&app, "document_shared", PARENT).await;
}

/// Another child with the same family contact, invited, checked and sent the
/// link: returns the child and the link's path.
async fn invited_child(app: &TestApp, caseworker: &mut TestClient) -> (ChildId, String) {
    let child = crate::back_office::add_child(caseworker).await;
    let (invitation, code) = invite(app, caseworker, child).await;
    let link = verify_and_send_link(app, caseworker, invitation, &code).await;
    drain(app).await;
    (child, link)
}

#[tokio::test]
async fn notification_emails_match_their_snapshots() {
    use crate::notifications::move_stage;

    let app = TestApp::new().await;
    let (mut caseworker, child, _) = crate::messages::case_with_parent(&app).await;
    let page = open_assessment(&mut caseworker, child, ("5", "10", "2026")).await;
    drain(&app).await;
    move_stage(&app, &mut caseworker, &page, "decision_to_assess", "10").await;
    assert_email(&app, "notification_stage_changed", PARENT).await;
    move_stage(&app, &mut caseworker, &page, "assessment_and_advice", "11").await;
    drain(&app).await;
    move_stage(&app, &mut caseworker, &page, "draft_plan", "12").await;
    assert_email(&app, "notification_draft_plan_issued", PARENT).await;
    move_stage(&app, &mut caseworker, &page, "final_plan", "13").await;
    assert_email(&app, "notification_final_plan_issued", PARENT).await;

    let second = open_assessment(&mut caseworker, child, ("1", "11", "2026")).await;
    move_stage(&app, &mut caseworker, &second, "not_assessed", "14").await;
    assert_email(&app, "notification_decision_recorded", PARENT).await;

    crate::forms::send_preference(&app, &mut caseworker, child).await;
    assert_email(&app, "notification_action_sent", PARENT).await;
}
