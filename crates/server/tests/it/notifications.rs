//! Automatic notifications (NTF-3) through the real pages, on both databases:
//! a case event emails the people linked to the child (never a pending or
//! revoked link) with the child's first name at most, and the chronology says
//! so; the council turns an audience off and edits the text; a person's
//! opt-out stops the optional emails but not the statutory ones; and the
//! administration pages refuse everyone but staff who manage the portal.

use http::StatusCode;
use send_domain::{
    AuditAction, ChildId, DEFAULT_TEAM, LinkStatus, PortalRole, StaffRole, default_group,
};

use crate::accounts::{csrf_of, register, submit};
use crate::back_office::{audit, caseworkers, location, open_assessment, staff_client};
use crate::portal_access::{PARENT, caseworker_and_child, link, professional, stranger_id};
use crate::support::{TestApp, TestClient, TestResponse, on_both_databases};

const PROFESSIONAL: &str = "pat@oakfield.example";
const PENDING: &str = "pending@example.com";
const REVOKED: &str = "revoked@example.com";
const ADMIN: &str = "admin@testshire.example";
const LIST: &str = "/back-office/admin/notifications";
const STAGE_CHANGED: &str = "/back-office/admin/notifications/stage_changed";

/// A caseworker, a child (Alex "Lex" Example) with an assessment received on 5
/// October, and four people: a parent and a professional with active links,
/// one whose link is pending and one whose link was revoked. Returns the
/// caseworker, the child, the involvement's page and the parent's client.
async fn case_with_people(app: &TestApp) -> (TestClient, ChildId, String, TestClient) {
    let (mut caseworker, child) = caseworker_and_child(app).await;
    let page = open_assessment(&mut caseworker, child, ("5", "10", "2026")).await;
    let mut parent = app.client();
    register(app, &mut parent, PARENT).await;
    professional(app, PROFESSIONAL).await;
    for email in [PENDING, REVOKED] {
        register(app, &mut app.client(), email).await;
    }
    for (email, role, status) in [
        (PARENT, PortalRole::Parent, LinkStatus::Active),
        (PROFESSIONAL, PortalRole::Professional, LinkStatus::Active),
        (PENDING, PortalRole::Parent, LinkStatus::Pending),
        (REVOKED, PortalRole::Parent, LinkStatus::Revoked),
    ] {
        link(app, child, stranger_id(app, email).await, role, status).await;
    }
    (caseworker, child, page, parent)
}

/// Moves the involvement on `page` to `to` on `day` November 2026, a minute
/// after whatever came before (so the chronology's order is the moves').
pub async fn move_stage(
    app: &TestApp,
    caseworker: &mut TestClient,
    page: &str,
    to: &str,
    day: &str,
) -> TestResponse {
    app.clock.advance(time::Duration::minutes(1));
    let moved = submit(
        caseworker,
        page,
        &format!("{page}/stage"),
        &[
            ("to", to),
            ("on-day", day),
            ("on-month", "11"),
            ("on-year", "2026"),
            ("note", "Panel agreed"),
        ],
    )
    .await;
    assert_eq!(location(&moved), page, "{}", moved.body);
    moved
}

/// Every email in the outbox with `subject`, by recipient, with its text.
async fn sent(app: &TestApp, subject_has: &str) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = app
        .app
        .store
        .outbox_emails(1000)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|e| e.email.subject.as_str().contains(subject_has))
        .map(|e| {
            (
                e.email.to.as_str().to_owned(),
                format!("{}\n{}", e.email.subject, e.email.text_body),
            )
        })
        .collect();
    found.sort();
    found
}

/// The chronology's notification entries, newest first.
async fn recorded(app: &TestApp, child: ChildId) -> Vec<String> {
    app.app
        .store
        .chronology(child, 100)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|e| e.kind == send_app::notifications::CHRONOLOGY_KIND)
        .map(|e| e.summary)
        .collect()
}

async fn admin(app: &TestApp) -> TestClient {
    staff_client(
        app,
        ADMIN,
        StaffRole::Administrator,
        None,
        &[default_group(StaffRole::Administrator)],
    )
    .await
}

#[tokio::test]
async fn a_stage_change_emails_the_linked_people_only_with_the_first_name_at_most() {
    on_both_databases(async |app| {
        let (mut caseworker, child, page, _) = case_with_people(&app).await;
        move_stage(&app, &mut caseworker, &page, "decision_to_assess", "10").await;

        let emails = sent(&app, "has moved to its next stage").await;
        let to: Vec<&str> = emails.iter().map(|(to, _)| to.as_str()).collect();
        assert_eq!(to, [PROFESSIONAL, PARENT], "active links only");
        for (_, text) in &emails {
            assert!(text.contains("Lex's EHC needs assessment"), "{text}");
            assert!(
                text.contains(&format!("http://localhost:8080/children/{child}/dashboard")),
                "the link to the dashboard: {text}"
            );
            // Nothing else of the child's: not the legal or last name, the
            // date of birth, the NHS number, the school or the note.
            for private in [
                "Alex",
                "Example",
                "2016",
                "943 476 5919",
                "Oakfield",
                "Panel agreed",
            ] {
                assert!(!text.contains(private), "{private:?} in {text}");
            }
        }
        assert_eq!(
            recorded(&app, child).await,
            ["Email “Stage changed” sent to 2 people"]
        );
    })
    .await;
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "the council's choice, then a person's, then a statutory decision"
)]
async fn the_council_turns_an_audience_off_and_a_person_turns_off_only_optional_emails() {
    on_both_databases(async |app| {
        let (mut caseworker, child, page, mut parent) = case_with_people(&app).await;

        // The council sends "stage changed" to families only, in its own words.
        let mut admin = admin(&app).await;
        let saved = submit(
            &mut admin,
            STAGE_CHANGED,
            STAGE_CHANGED,
            &[
                ("audiences", "families"),
                (
                    "subject",
                    "News about ((child_first_name)) from ((council_name))",
                ),
                (
                    "body",
                    "Something moved on for ((child_first_name)).\r\n\r\nSee: ((link))",
                ),
                ("action", "save"),
            ],
        )
        .await;
        assert_eq!(location(&saved), LIST, "{}", saved.body);
        let list = admin.get(LIST).await;
        assert!(
            list.body
                .contains("The “Stage changed” email has been saved")
        );
        assert!(list.body.contains("Changed"));
        let changed = audit(&app, AuditAction::NotificationSettingChanged).await;
        assert_eq!(changed.len(), 1);
        assert_eq!(
            changed[0].detail.as_deref(),
            Some("families on, professionals off")
        );

        move_stage(&app, &mut caseworker, &page, "decision_to_assess", "10").await;
        let emails = sent(&app, "News about Lex").await;
        assert_eq!(emails.len(), 1, "{emails:?}");
        assert_eq!(emails[0].0, PARENT, "no professional");
        assert!(
            emails[0]
                .1
                .contains("News about Lex from Testshire County Council")
        );
        assert!(emails[0].1.contains("Something moved on for Lex."));

        // The parent turns "stage changed" off: the next move sends nothing.
        let choices = parent.get("/account/notifications").await;
        assert_eq!(choices.status, StatusCode::OK);
        assert!(choices.body.contains("Always sent"));
        assert!(choices.body.contains("Decision recorded"));
        assert!(
            !choices.body.contains("value=\"decision_recorded\""),
            "a statutory email has no box to untick"
        );
        let wanted: Vec<(&str, &str)> = [
            "document_shared",
            "action_sent",
            "advice_received",
            "draft_plan_issued",
            "review_due",
            "message_received",
            // Posted by hand: a statutory email cannot be turned off anyway.
        ]
        .iter()
        .map(|code| ("on", *code))
        .collect();
        let off = submit(
            &mut parent,
            "/account/notifications",
            "/account/notifications",
            &wanted,
        )
        .await;
        assert_eq!(location(&off), "/account");
        let account = parent.get("/account").await;
        assert!(account.body.contains("Your email choices have been saved"));
        assert!(
            account
                .body
                .contains("You have turned off 1 kind of email.")
        );
        let choices = audit(&app, AuditAction::NotificationChoicesChanged).await;
        assert_eq!(choices[0].detail.as_deref(), Some("off: stage_changed"));

        move_stage(&app, &mut caseworker, &page, "assessment_and_advice", "11").await;
        assert_eq!(sent(&app, "News about Lex").await.len(), 1, "no second one");

        // Turning off everything optional, even with the statutory code
        // posted as unwanted, leaves the statutory decision switched on.
        let none = submit(
            &mut parent,
            "/account/notifications",
            "/account/notifications",
            &[],
        )
        .await;
        assert_eq!(location(&none), "/account");
        move_stage(&app, &mut caseworker, &page, "not_issued", "20").await;
        let decisions = sent(&app, "has made a decision about Lex").await;
        let to: Vec<&str> = decisions.iter().map(|(to, _)| to.as_str()).collect();
        assert_eq!(
            to,
            [PROFESSIONAL, PARENT],
            "statutory: sent despite opt-outs"
        );
        assert!(decisions[0].1.contains("right to appeal"));
        assert!(decisions[0].1.contains("We always send this email"));

        assert_eq!(
            recorded(&app, child).await,
            [
                "Email “Decision recorded” sent to 2 people",
                "Email “Stage changed” sent to 1 person",
            ],
            "newest first; the move nobody was emailed about records nothing"
        );
    })
    .await;
}

#[tokio::test]
async fn turning_an_event_off_for_everyone_sends_nothing_and_records_nothing() {
    on_both_databases(async |app| {
        let (mut caseworker, child, page, _) = case_with_people(&app).await;
        let mut admin = admin(&app).await;
        let text = admin.get(STAGE_CHANGED).await;
        assert!(
            text.body.contains("has moved to its next stage"),
            "the default"
        );
        let saved = submit(
            &mut admin,
            STAGE_CHANGED,
            STAGE_CHANGED,
            &[
                ("subject", "((child_first_name))'s assessment moved on"),
                ("body", "Sign in: ((link))"),
                ("action", "save"),
            ],
        )
        .await;
        assert_eq!(location(&saved), LIST);
        assert!(admin.get(LIST).await.body.contains("Nobody"));
        move_stage(&app, &mut caseworker, &page, "decision_to_assess", "10").await;
        assert!(sent(&app, "moved on").await.is_empty());
        assert!(recorded(&app, child).await.is_empty());
    })
    .await;
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "each kind of wrong text, then a preview"
)]
async fn the_edit_form_says_what_is_wrong_keeps_what_was_typed_and_previews() {
    on_both_databases(async |app| {
        let mut admin = admin(&app).await;
        let refused = submit(
            &mut admin,
            STAGE_CHANGED,
            STAGE_CHANGED,
            &[
                ("audiences", "families"),
                ("subject", "  "),
                ("body", "Dear ((child_surname)), see ((link))"),
                ("action", "save"),
            ],
        )
        .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(
            refused.title().starts_with("Error: "),
            "{}",
            refused.title()
        );
        assert!(refused.body.contains("govuk-error-summary"));
        assert!(refused.body.contains("href=\"#subject\">Enter the subject"));
        assert!(
            refused
                .body
                .contains("href=\"#body\">The email uses ((child_surname))")
        );
        assert!(refused.body.contains("id=\"subject-error\""));
        assert!(refused.body.contains("id=\"body-error\""));
        assert!(
            refused
                .body
                .contains("Dear ((child_surname)), see ((link))"),
            "what was typed is kept"
        );
        assert!(!refused.body.contains("Preview with sample data"));

        let no_link = submit(
            &mut admin,
            STAGE_CHANGED,
            STAGE_CHANGED,
            &[
                ("subject", "Hello"),
                ("body", "Sign in to see it."),
                ("action", "save"),
            ],
        )
        .await;
        assert_eq!(no_link.status, StatusCode::BAD_REQUEST);
        assert!(no_link.body.contains("The email must include ((link))"));

        let preview = submit(
            &mut admin,
            STAGE_CHANGED,
            STAGE_CHANGED,
            &[
                ("audiences", "professionals"),
                ("subject", "((child_first_name)) moved on"),
                ("body", "Hello from ((council_name)).\n\nSee ((link))"),
                ("action", "preview"),
            ],
        )
        .await;
        assert_eq!(preview.status, StatusCode::OK);
        assert!(preview.body.contains("Preview with sample data"));
        assert!(preview.body.contains("Sam moved on"));
        assert!(
            preview
                .body
                .contains("Hello from Testshire County Council.")
        );
        assert!(
            preview
                .body
                .contains("See http://localhost:8080/children/[child]/dashboard")
        );
        assert!(
            preview
                .body
                .contains("value=\"((child_first_name)) moved on\"")
        );
        assert!(
            app.app
                .store
                .notification_settings()
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .is_empty(),
            "a preview saves nothing"
        );
        assert!(
            audit(&app, AuditAction::NotificationSettingChanged)
                .await
                .is_empty()
        );
        assert_eq!(
            admin
                .get("/back-office/admin/notifications/no_such_event")
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}

#[tokio::test]
async fn the_administration_pages_refuse_portal_users_and_staff_without_the_permission() {
    on_both_databases(async |app| {
        let mut parent = app.client();
        register(&app, &mut parent, PARENT).await;
        let mut pro = professional(&app, PROFESSIONAL).await;
        let mut caseworker = staff_client(
            &app,
            "case@testshire.example",
            StaffRole::Caseworker,
            Some(DEFAULT_TEAM.0),
            &[caseworkers()],
        )
        .await;
        let mut admin = admin(&app).await;
        let mut visitor = app.client();
        // A token for the visitor's posts (any page with a form).
        let visitor_token = csrf_of(&visitor.get("/sign-in").await);

        // Who is refused, and how: portal users do not see the back office
        // (404), staff without "manage staff" are forbidden (403), visitors
        // are sent to sign in.
        let people: [(&str, &mut TestClient, StatusCode); 3] = [
            ("parent", &mut parent, StatusCode::NOT_FOUND),
            ("professional", &mut pro, StatusCode::NOT_FOUND),
            ("caseworker", &mut caseworker, StatusCode::FORBIDDEN),
        ];
        for (who, client, expected) in people {
            for path in [LIST, STAGE_CHANGED] {
                let got = client.get(path).await;
                assert_eq!(got.status, expected, "{who} GET {path}");
                assert!(!got.body.contains("Who gets this email"), "{who} {path}");
            }
            let token = csrf_of(&client.get("/account").await);
            let posted = client
                .post_form(
                    STAGE_CHANGED,
                    &[
                        ("csrf_token", &token),
                        ("subject", "Changed by ((child_first_name))"),
                        ("body", "((link))"),
                        ("action", "save"),
                    ],
                )
                .await;
            assert_eq!(posted.status, expected, "{who} POST");
        }
        for path in [LIST, STAGE_CHANGED] {
            assert_eq!(location(&visitor.get(path).await), "/sign-in", "{path}");
        }
        let posted = visitor
            .post_form(
                STAGE_CHANGED,
                &[
                    ("csrf_token", &visitor_token),
                    ("subject", "x"),
                    ("body", "((link))"),
                ],
            )
            .await;
        assert_eq!(location(&posted), "/sign-in");
        assert!(
            app.app
                .store
                .notification_settings()
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .is_empty(),
            "nobody refused changed anything"
        );

        // Staff have no notification choices of their own (their message
        // notices keep their switch on My Account).
        assert_eq!(
            admin.get("/account/notifications").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(admin.get(LIST).await.status, StatusCode::OK);
        assert!(
            audit(&app, AuditAction::NotificationSettingChanged)
                .await
                .is_empty(),
            "nothing was saved"
        );
    })
    .await;
}

#[tokio::test]
async fn the_send_teams_reply_is_notified_recorded_and_follows_the_old_switch() {
    on_both_databases(async |app| {
        let (mut caseworker, child, _, mut parent) = case_with_people(&app).await;
        let thread = crate::messages::new_message(&mut parent, child, "Transport").await;
        let conversation = format!("/back-office/messages/{thread}");
        let token = csrf_of(&caseworker.get(&conversation).await);
        let replied = caseworker
            .post_multipart(
                &format!("{conversation}/reply"),
                &[("csrf_token", &token), ("message", "We will call you")],
                &[],
            )
            .await;
        assert_eq!(replied.status, StatusCode::SEE_OTHER, "{}", replied.body);
        let emails = sent(&app, "You have a new message about Lex").await;
        let to: Vec<&str> = emails.iter().map(|(to, _)| to.as_str()).collect();
        // The caseworker's notice of the parent's message, then the parent's
        // of the reply; the professional is not in the conversation.
        assert_eq!(to, ["case@testshire.example", PARENT]);
        assert!(emails[1].1.contains(&format!("/messages/{thread}")));
        assert!(!emails[1].1.contains("We will call you"));
        assert_eq!(
            recorded(&app, child).await,
            ["Email “Message received” sent to 1 person"]
        );

        // The parent's old switch on My Account is the same choice.
        let account = parent.get("/account").await;
        assert!(account.body.contains("Choose which emails you get"));
        let choices = parent.get("/account/notifications").await;
        assert!(choices.body.contains("value=\"message_received\" checked"));
        let off = parent
            .post_form(
                "/account/message-emails",
                &[("csrf_token", &csrf_of(&account)), ("emails", "off")],
            )
            .await;
        assert_eq!(location(&off), "/account");
        let choices = parent.get("/account/notifications").await;
        assert!(!choices.body.contains("value=\"message_received\" checked"));
    })
    .await;
}

/// In Chromium, with axe on every page: an administrator opens Notifications,
/// makes a mistake (the error summary), previews and saves; a parent turns an
/// email off in My Account.
async fn configure_in_a_browser(javascript: crate::support::browser::JavaScript) {
    use crate::back_office::create_staff;
    use crate::support::browser::Browser;

    let app = TestApp::new().await;
    create_staff(
        &app,
        ADMIN,
        StaffRole::Administrator,
        None,
        &[default_group(StaffRole::Administrator)],
    )
    .await;
    register(&app, &mut app.client(), PARENT).await;
    let addr = app.serve().await;
    let Some(mut browser) = Browser::start(addr, javascript).await else {
        return;
    };

    crate::browser::staff_signs_in(&mut browser, &app, ADMIN).await;
    browser.visit("/back-office/admin").await;
    browser
        .click_link("Choose who gets each email and what it says")
        .await;
    assert!(browser.title().await.starts_with("Notifications"));
    browser.click_link("Stage changed").await;
    browser.fill("subject", "").await;
    browser.press("Save changes").await;
    assert!(browser.title().await.starts_with("Error: "));
    assert!(
        browser
            .text_of(".govuk-error-summary")
            .await
            .contains("Enter the subject")
    );
    browser
        .fill("subject", "((child_first_name)) moved on a stage")
        .await;
    browser.press("Preview").await;
    assert!(browser.text_of("#preview").await.contains("Preview"));
    browser.press("Save changes").await;
    assert_eq!(browser.path().await, LIST);
    assert!(
        browser
            .text_of(".govuk-notification-banner")
            .await
            .contains("has been saved")
    );
    crate::browser::logs_out(&mut browser).await;

    crate::browser::goes_to_sign_in_from_the_start_page(&mut browser).await;
    browser.fill("email", PARENT).await;
    browser.fill("password", crate::accounts::PASSWORD).await;
    browser.press("Submit").await;
    assert_eq!(browser.path().await, "/sign-in/code");
    let (_, text) = crate::accounts::latest_email(&app, PARENT).await;
    browser
        .fill("code", &crate::accounts::six_digits(&text))
        .await;
    browser.press("Finish").await;
    assert_eq!(browser.path().await, "/home");
    browser.visit("/account").await;
    browser.click_link("Choose which emails you get").await;
    browser.click("input[value='stage_changed']").await;
    browser.press("Save choices").await;
    assert_eq!(browser.path().await, "/account");
    assert!(
        browser
            .text_of(".govuk-notification-banner")
            .await
            .contains("Your email choices have been saved")
    );
    browser.close().await;
}

#[tokio::test]
async fn configuring_notifications_passes_axe_with_javascript_on() {
    configure_in_a_browser(crate::support::browser::JavaScript::On).await;
}

#[tokio::test]
async fn configuring_notifications_passes_axe_with_javascript_off() {
    configure_in_a_browser(crate::support::browser::JavaScript::Off).await;
}

#[tokio::test]
async fn the_family_is_told_once_when_the_annual_review_is_coming_up() {
    on_both_databases(async |app| {
        let (mut caseworker, child) = caseworker_and_child(&app).await;
        let mut parent = app.client();
        register(&app, &mut parent, PARENT).await;
        link(
            &app,
            child,
            stranger_id(&app, PARENT).await,
            PortalRole::Parent,
            LinkStatus::Active,
        )
        .await;
        // A plan issued on 1 February 2026: its review is due by 1 February 2027,
        // and the family hears 6 weeks before, on 21 December 2026 at 9am.
        let path = format!("/back-office/children/{child}/involvements/new");
        let opened = submit(
            &mut caseworker,
            &path,
            &path,
            &[
                ("kind", "plan"),
                ("start-day", "1"),
                ("start-month", "2"),
                ("start-year", "2026"),
            ],
        )
        .await;
        assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
        let run_at = |at| {
            app.clock.set(at);
            send_app::jobs::run_due_jobs(&app.app)
        };
        assert_eq!(
            run_at(time::macros::datetime!(2026-12-21 08:59 UTC))
                .await
                .unwrap_or_else(|e| panic!("{e:?}")),
            0
        );
        assert!(sent(&app, "annual review").await.is_empty());
        assert_eq!(
            run_at(time::macros::datetime!(2026-12-21 09:00 UTC))
                .await
                .unwrap_or_else(|e| panic!("{e:?}")),
            1
        );
        let emails = sent(&app, "annual review").await;
        assert_eq!(emails.len(), 1, "{emails:?}");
        assert_eq!(emails[0].0, PARENT);
        assert!(
            emails[0]
                .1
                .contains("Lex's EHC plan is due for its annual review")
        );
        assert!(
            recorded(&app, child)
                .await
                .iter()
                .any(|entry| entry.contains("Review due")),
            "the chronology records it"
        );
        // Never twice for the same review.
        assert_eq!(
            run_at(time::macros::datetime!(2027-01-20 09:00 UTC))
                .await
                .unwrap_or_else(|e| panic!("{e:?}")),
            0
        );
        assert_eq!(sent(&app, "annual review").await.len(), 1);
    })
    .await;
}
