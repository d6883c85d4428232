//! Texts and settings (ADM-1) and the SEND team's contact details (issue 16),
//! through the real pages on both databases: the contact details from the
//! settings on the start page, the 404 page, the accessibility statement and
//! in every email; an administrator changes them and the texts, sees a
//! preview, is refused an unknown placeholder by name with what was typed
//! kept, and restores the default; a stage's Extra Information from the
//! council replaces the guide on the SEND Dashboard; message types are added,
//! renamed, retired and brought back; everyone else is refused and changes
//! nothing; and, in Chromium with JavaScript on and off, axe on every page.

use http::StatusCode;
use send_domain::{AuditAction, DEFAULT_TEAM, Email, EmailSubject, StaffRole, default_group};

use crate::accounts::{csrf_of, register, submit};
use crate::back_office::{audit, caseworkers, location, staff_client};
use crate::portal_access::PARENT;
use crate::support::{SEND_TEAM_EMAIL, SEND_TEAM_PHONE, TestApp, TestClient, on_both_databases};

const LIST: &str = "/back-office/admin/texts";
const PHONE: &str = "/back-office/admin/texts/contact.phone";
const BODY: &str = "/back-office/admin/texts/email.reference_code.body";
const RESTORE_PHONE: &str = "/back-office/admin/texts/contact.phone/restore";

async fn admin(app: &TestApp) -> TestClient {
    staff_client(
        app,
        "admin@testshire.example",
        StaffRole::Administrator,
        None,
        &[default_group(StaffRole::Administrator)],
    )
    .await
}

/// The plain text of an email the portal writes now.
fn an_email(app: &TestApp) -> String {
    app.app
        .compose_email(
            Email::parse("sam@example.com").unwrap_or_else(|e| panic!("{e}")),
            None,
            EmailSubject::parse("A test").unwrap_or_else(|e| panic!("{e}")),
            &["Hello.".to_owned()],
        )
        .text_body
}

#[tokio::test]
async fn the_send_teams_contact_details_are_shown_everywhere_and_can_be_changed() {
    on_both_databases(async |app| {
        let mut visitor = app.client();
        for path in ["/", "/accessibility", "/no-such-page"] {
            let page = visitor.get(path).await;
            assert!(page.body.contains(SEND_TEAM_PHONE), "{path}");
            assert!(
                page.body.contains(&format!("mailto:{SEND_TEAM_EMAIL}")),
                "{path}"
            );
        }
        let email = an_email(&app);
        assert!(email.contains(SEND_TEAM_PHONE), "{email}");
        assert!(!email.contains("council's website"), "{email}");

        let mut admin = admin(&app).await;
        let list = admin.get(LIST).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains(SEND_TEAM_PHONE));
        let saved = submit(
            &mut admin,
            PHONE,
            PHONE,
            &[("value", " 01632 960 999 "), ("action", "save")],
        )
        .await;
        assert_eq!(location(&saved), LIST);
        let list = admin.get(LIST).await;
        assert!(list.body.contains("has been saved"), "a success banner");
        assert!(list.body.contains("01632 960 999"));
        for path in ["/", "/accessibility", "/no-such-page"] {
            let page = visitor.get(path).await;
            assert!(page.body.contains("01632 960 999"), "{path}");
            assert!(!page.body.contains(SEND_TEAM_PHONE), "{path}");
        }
        assert!(an_email(&app).contains("01632 960 999"));
        assert_eq!(audit(&app, AuditAction::CouncilTextChanged).await.len(), 1);

        let page = admin.get(PHONE).await;
        assert!(page.body.contains("Restore the default"));
        let token = csrf_of(&page);
        let restored = admin
            .post_form(RESTORE_PHONE, &[("csrf_token", &token)])
            .await;
        assert_eq!(location(&restored), LIST);
        assert!(admin.get(LIST).await.body.contains("back to the portal"));
        assert!(visitor.get("/").await.body.contains(SEND_TEAM_PHONE));
        assert_eq!(audit(&app, AuditAction::CouncilTextRestored).await.len(), 1);
        assert!(
            app.app
                .store
                .council_texts()
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .is_empty()
        );
    })
    .await;
}

#[tokio::test]
async fn an_unknown_placeholder_is_refused_by_name_keeping_what_was_typed() {
    on_both_databases(async |app| {
        let mut admin = admin(&app).await;
        let shown = admin.get(BODY).await;
        assert_eq!(shown.status, StatusCode::OK);
        assert!(shown.body.contains("Preview with sample data"));
        assert!(shown.body.contains("ABCD-2345"), "the sample code");
        assert!(shown.body.contains(SEND_TEAM_PHONE), "the contact details");

        let typed = "Your code is ((code)) for ((child_name)).";
        let refused = submit(
            &mut admin,
            BODY,
            BODY,
            &[("value", typed), ("action", "save")],
        )
        .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(refused.title().starts_with("Error: "));
        assert!(refused.body.contains("govuk-error-summary"));
        assert!(
            refused
                .body
                .contains("href=\"#value\">The text uses ((child_name))"),
            "{}",
            refused.body
        );
        assert!(refused.body.contains("id=\"value-error\""));
        assert!(refused.body.contains(typed), "what was typed is kept");
        assert!(
            app.app
                .store
                .council_texts()
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .is_empty(),
            "nothing saved"
        );

        let stage = "/back-office/admin/texts/stage.draft_plan.extra_information";
        let shown = admin.get(stage).await;
        assert!(
            shown
                .body
                .contains("What happens: A draft EHC plan has been sent to you."),
            "a stage's default is its guide"
        );
        let saved = submit(
            &mut admin,
            stage,
            stage,
            &[
                ("value", "Call ((contact)) about the draft."),
                ("action", "save"),
            ],
        )
        .await;
        assert_eq!(location(&saved), LIST);
        let texts = app.app.texts().await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            texts.get("stage.draft_plan.extra_information"),
            "Call ((contact)) about the draft."
        );

        let previewed = submit(
            &mut admin,
            BODY,
            BODY,
            &[
                ("value", "Quote ((code)) to us: ((contact))."),
                ("action", "preview"),
            ],
        )
        .await;
        assert_eq!(previewed.status, StatusCode::OK);
        assert!(previewed.body.contains("Quote ABCD-2345 to us: telephone"));
        assert!(
            app.app
                .store
                .council_texts()
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .iter()
                .all(|t| t.key != "email.reference_code.body"),
            "a preview saves nothing"
        );
    })
    .await;
}

#[tokio::test]
async fn texts_and_settings_refuse_portal_users_and_staff_without_the_permission() {
    on_both_databases(async |app| {
        let mut parent = app.client();
        register(&app, &mut parent, PARENT).await;
        let mut caseworker = staff_client(
            &app,
            "case@testshire.example",
            StaffRole::Caseworker,
            Some(DEFAULT_TEAM.0),
            &[caseworkers()],
        )
        .await;
        let mut visitor = app.client();
        let visitor_token = csrf_of(&visitor.get("/sign-in").await);
        let people: [(&str, &mut TestClient, StatusCode); 2] = [
            ("parent", &mut parent, StatusCode::NOT_FOUND),
            ("caseworker", &mut caseworker, StatusCode::FORBIDDEN),
        ];
        for (who, client, expected) in people {
            for path in [LIST, PHONE, BODY] {
                let got = client.get(path).await;
                assert_eq!(got.status, expected, "{who} GET {path}");
                assert!(
                    !got.body.contains("Preview with sample data"),
                    "{who} {path}"
                );
            }
            let token = csrf_of(&client.get("/account").await);
            let posted = client
                .post_form(
                    PHONE,
                    &[("csrf_token", &token), ("value", "999"), ("action", "save")],
                )
                .await;
            assert_eq!(posted.status, expected, "{who} POST");
            let restored = client
                .post_form(RESTORE_PHONE, &[("csrf_token", &token)])
                .await;
            assert_eq!(restored.status, expected, "{who} restore");
        }
        for path in [LIST, PHONE] {
            assert_eq!(location(&visitor.get(path).await), "/sign-in", "{path}");
        }
        let posted = visitor
            .post_form(PHONE, &[("csrf_token", &visitor_token), ("value", "999")])
            .await;
        assert_eq!(location(&posted), "/sign-in");
        assert!(
            app.app
                .store
                .council_texts()
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .is_empty(),
            "nobody refused changed anything"
        );
        assert_eq!(
            audit(&app, AuditAction::CouncilTextChanged).await.len(),
            1,
            "the caseworker's refused save is audited"
        );
        assert_eq!(
            audit(&app, AuditAction::CouncilTextRestored).await.len(),
            1,
            "and the refused restore"
        );
        // An unknown text is not found, even for an administrator.
        let mut admin = admin(&app).await;
        assert_eq!(
            admin
                .get("/back-office/admin/texts/no.such.text")
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}

const TYPES: &str = "/back-office/admin/message-types";

/// The message types' names and whether each is offered, by name.
async fn types(app: &TestApp) -> Vec<(String, bool)> {
    app.app
        .store
        .message_types()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|t| (t.name.as_str().to_owned(), t.active))
        .collect()
}

#[tokio::test]
async fn message_types_are_added_renamed_retired_and_brought_back() {
    on_both_databases(async |app| {
        let mut admin = admin(&app).await;
        let new = format!("{TYPES}/new");
        let added = submit(&mut admin, &new, &new, &[("name", " Transport ")]).await;
        assert_eq!(location(&added), TYPES);
        let list = admin.get(TYPES).await;
        assert!(list.body.contains("“Transport” has been saved"));
        assert!(types(&app).await.contains(&("Transport".to_owned(), true)));

        let exact = submit(&mut admin, &new, &new, &[("name", "Transport")]).await;
        assert_eq!(exact.status, StatusCode::BAD_REQUEST);
        assert!(
            exact
                .body
                .contains("href=\"#name\">There is already a message type with this name")
        );
        assert!(
            exact.body.contains("value=\"Transport\""),
            "what was typed is kept"
        );
        let empty = submit(&mut admin, &new, &new, &[("name", "  ")]).await;
        assert_eq!(empty.status, StatusCode::BAD_REQUEST);
        assert!(empty.body.contains("Enter the name of the message type"));

        let id = app
            .app
            .store
            .message_types()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .find(|t| t.name.as_str() == "Transport")
            .map_or_else(|| panic!("added"), |t| t.id);
        let page = format!("{TYPES}/{id}");
        let renamed = submit(&mut admin, &page, &page, &[("name", "School transport")]).await;
        assert_eq!(location(&renamed), TYPES);
        let token = csrf_of(&admin.get(TYPES).await);
        let retired = admin
            .post_form(&format!("{page}/retire"), &[("csrf_token", &token)])
            .await;
        assert_eq!(location(&retired), TYPES);
        assert!(admin.get(TYPES).await.body.contains("is retired"));
        assert!(
            types(&app)
                .await
                .contains(&("School transport".to_owned(), false))
        );
        let offered: Vec<String> = app
            .app
            .active_message_types()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .map(|t| t.name.as_str().to_owned())
            .collect();
        assert!(
            !offered.contains(&"School transport".to_owned()),
            "not offered"
        );
        let back = admin
            .post_form(&format!("{page}/bring-back"), &[("csrf_token", &token)])
            .await;
        assert_eq!(location(&back), TYPES);
        assert!(
            types(&app)
                .await
                .contains(&("School transport".to_owned(), true))
        );
        assert_eq!(audit(&app, AuditAction::MessageTypeSaved).await.len(), 4);
    })
    .await;
}

#[tokio::test]
async fn message_types_refuse_portal_users_and_staff_without_the_permission() {
    on_both_databases(async |app| {
        let mut parent = app.client();
        register(&app, &mut parent, PARENT).await;
        let mut caseworker = staff_client(
            &app,
            "case@testshire.example",
            StaffRole::Caseworker,
            Some(DEFAULT_TEAM.0),
            &[caseworkers()],
        )
        .await;
        let before = types(&app).await;
        let first = app
            .app
            .store
            .message_types()
            .await
            .unwrap_or_else(|e| panic!("{e}"))[0]
            .id;
        let new = format!("{TYPES}/new");
        let one = format!("{TYPES}/{first}");
        let people: [(&str, &mut TestClient, StatusCode); 2] = [
            ("parent", &mut parent, StatusCode::NOT_FOUND),
            ("caseworker", &mut caseworker, StatusCode::FORBIDDEN),
        ];
        for (who, client, expected) in people {
            for path in [TYPES, new.as_str(), one.as_str()] {
                assert_eq!(client.get(path).await.status, expected, "{who} GET {path}");
            }
            let token = csrf_of(&client.get("/account").await);
            for path in [
                new.clone(),
                one.clone(),
                format!("{one}/retire"),
                format!("{one}/bring-back"),
            ] {
                let posted = client
                    .post_form(&path, &[("csrf_token", &token), ("name", "Changed")])
                    .await;
                assert_eq!(posted.status, expected, "{who} POST {path}");
            }
        }
        assert_eq!(types(&app).await, before, "nothing changed");
    })
    .await;
}

/// In Chromium, with axe on every page: an administrator opens Texts and
/// settings, is refused an unknown placeholder, previews, saves and restores
/// the default; then adds and retires a message type.
async fn texts_in_a_browser(javascript: crate::support::browser::JavaScript) {
    use crate::back_office::create_staff;
    use crate::support::browser::Browser;

    let app = TestApp::new().await;
    create_staff(
        &app,
        "admin@testshire.example",
        StaffRole::Administrator,
        None,
        &[default_group(StaffRole::Administrator)],
    )
    .await;
    let addr = app.serve().await;
    let Some(mut browser) = Browser::start(addr, javascript).await else {
        return;
    };
    crate::browser::staff_signs_in(&mut browser, &app, "admin@testshire.example").await;
    browser.visit("/back-office/admin").await;
    browser.click_link("Change texts and settings").await;
    assert!(browser.title().await.starts_with("Texts and settings"));
    browser.visit(BODY).await;
    browser
        .fill("value", "Your code is ((code)) for ((child_name)).")
        .await;
    browser.press("Save changes").await;
    assert!(browser.title().await.starts_with("Error: "));
    assert!(
        browser
            .text_of(".govuk-error-summary")
            .await
            .contains("((child_name))")
    );
    browser
        .fill("value", "Your code is ((code)). Call us: ((contact)).")
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
    browser.visit(BODY).await;
    browser.press("Restore the default").await;
    assert_eq!(browser.path().await, LIST);

    browser.visit("/back-office/admin").await;
    browser
        .click_link("Add, rename or retire message types")
        .await;
    browser.click_link("Add a message type").await;
    browser.fill("name", "Transport").await;
    browser.press("Save").await;
    assert_eq!(browser.path().await, TYPES);
    browser.press("Retire Transport").await;
    assert!(
        browser
            .text_of(".govuk-notification-banner")
            .await
            .contains("is retired")
    );
    browser.visit("/").await;
    browser.visit("/accessibility").await;
    browser.close().await;
}

#[tokio::test]
async fn texts_and_settings_pass_axe_with_javascript_on() {
    texts_in_a_browser(crate::support::browser::JavaScript::On).await;
}

#[tokio::test]
async fn texts_and_settings_pass_axe_with_javascript_off() {
    texts_in_a_browser(crate::support::browser::JavaScript::Off).await;
}

/// A stage's Extra Information the council saved (here written by another
/// server: this one reads it when it refreshes its copy) replaces the
/// portal's guide on the SEND Dashboard; the other stages keep the guide.
#[tokio::test]
async fn a_stages_extra_information_from_the_council_shows_on_the_send_dashboard() {
    use send_domain::Clock as _;

    let app = TestApp::new().await;
    app.app
        .load_demo_data()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut parent = app.client();
    crate::accounts::sign_in(
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
    let dashboard = format!("/children/{}/dashboard", &home.body[start..start + 36]);
    let before = parent.get(&dashboard).await;
    assert!(before.body.contains("<strong>What happens:</strong>"));
    assert!(!before.body.contains("Our own words"));

    let changes = send_store::Changes::new().with(send_store::Write::SaveCouncilText {
        key: "stage.request_received.extra_information".to_owned(),
        value: "Our own words for ((council_name)).\n\nCall ((contact)).".to_owned(),
        by: send_domain::UserId::from_uuid(crate::support::new_uuid()),
        at: app.clock.now(),
    });
    app.app
        .store
        .commit(&changes)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    app.app
        .reload_texts()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let after = parent.get(&dashboard).await;
    assert!(
        after
            .body
            .contains("Our own words for Testshire County Council."),
        "{}",
        after.body
    );
    assert!(
        after
            .body
            .contains(&format!("Call telephone {SEND_TEAM_PHONE}"))
    );
    assert!(
        after.body.contains("<strong>What happens:</strong>"),
        "the other stages keep the portal's guide"
    );
}

const SETUP_SUBJECT: &str = "/back-office/admin/texts/email.staff_setup.subject";
const SETUP_BODY: &str = "/back-office/admin/texts/email.staff_setup.body";

/// An administrator invites a caseworker: the set-up email put in the outbox,
/// as (subject, text, HTML).
async fn invite_staff(
    app: &TestApp,
    admin: &mut TestClient,
    name: &str,
    email: &str,
) -> (String, String, String) {
    let team = DEFAULT_TEAM.0.to_string();
    let group = caseworkers().to_string();
    let sent = submit(
        admin,
        "/back-office/admin/invite",
        "/back-office/admin/invite",
        &[
            ("name", name),
            ("email", email),
            ("role", "caseworker"),
            ("team", &team),
            ("groups", &group),
        ],
    )
    .await;
    assert_eq!(location(&sent), "/back-office/admin", "{}", sent.body);
    let mut sent: Vec<_> = app
        .app
        .store
        .outbox_emails(500)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|e| e.email.to.as_str() == email)
        .collect();
    assert_eq!(sent.len(), 1, "one set-up email to {email}");
    let email = sent.remove(0).email;
    (
        email.subject.as_str().to_owned(),
        email.text_body,
        email.html_body,
    )
}

#[tokio::test]
async fn every_email_is_listed_with_its_placeholders_and_one_without_its_link_is_refused() {
    on_both_databases(async |app| {
        let mut admin = admin(&app).await;
        let list = admin.get(LIST).await;
        for label in [
            "Staff set-up email: text",
            "New message email: text",
            "Advice overdue email: subject",
            "Sign-in code email: text",
            "Form receipt email: text",
        ] {
            assert!(list.body.contains(label), "{label}");
        }
        assert!(
            list.body
                .contains("href=\"/back-office/admin/notifications\">Notifications</a>"),
            "where the notification emails are changed"
        );
        let shown = admin.get(SETUP_BODY).await;
        assert!(
            shown.body.contains("((link)) for the link"),
            "{}",
            shown.body
        );
        assert!(shown.body.contains("The text must use ((link))"));
        assert!(
            shown
                .body
                .contains("https://send-portal.example.gov.uk/sign-in"),
            "the preview fills in a sample link"
        );

        // The set-up link cannot be left out.
        let typed = "Welcome to ((council_name)), as a ((role)).";
        let refused = submit(
            &mut admin,
            SETUP_BODY,
            SETUP_BODY,
            &[("value", typed), ("action", "save")],
        )
        .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(refused.body.contains("govuk-error-summary"));
        assert!(
            refused.body.contains(
                "href=\"#value\">The text must use ((link)): the email is no use without it"
            ),
            "{}",
            refused.body
        );
        assert!(refused.body.contains(typed), "what was typed is kept");

        assert!(
            app.app
                .store
                .council_texts()
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .is_empty(),
            "nothing saved"
        );
    })
    .await;
}

#[tokio::test]
async fn an_emails_wording_from_the_council_is_what_is_sent_until_the_default_is_restored() {
    on_both_databases(async |app| {
        let mut admin = admin(&app).await;
        let saved = submit(
            &mut admin,
            SETUP_SUBJECT,
            SETUP_SUBJECT,
            &[
                ("value", "Welcome to the ((council_name)) SEND Portal"),
                ("action", "save"),
            ],
        )
        .await;
        assert_eq!(location(&saved), LIST);
        let saved = submit(
            &mut admin,
            SETUP_BODY,
            SETUP_BODY,
            &[
                (
                    "value",
                    "Hello, new <b>((role))</b>. Set up your account: ((link))\r\n\r\nStuck? \
                     Contact ((contact)).",
                ),
                ("action", "save"),
            ],
        )
        .await;
        assert_eq!(location(&saved), LIST);
        let (subject, text, html) =
            invite_staff(&app, &mut admin, "Nia New", "nia@testshire.example").await;
        assert_eq!(
            subject,
            "Welcome to the Testshire County Council SEND Portal"
        );
        assert!(
            text.contains(
                "Hello, new <b>caseworker</b>. Set up your account: \
                 http://localhost:8080/staff/setup/"
            ),
            "{text}"
        );
        assert!(text.contains(&format!("Stuck? Contact telephone {SEND_TEAM_PHONE}")));
        assert!(!text.contains("The link works once"), "{text}");
        assert!(
            html.contains("Hello, new &#60;b&#62;caseworker&#60;/b&#62;"),
            "{html}"
        );
        assert!(
            !html.contains("<b>caseworker"),
            "the council's words are text"
        );

        for key in [SETUP_SUBJECT, SETUP_BODY] {
            let page = admin.get(key).await;
            let token = csrf_of(&page);
            let restored = admin
                .post_form(&format!("{key}/restore"), &[("csrf_token", &token)])
                .await;
            assert_eq!(location(&restored), LIST);
        }
        let (subject, text, _) =
            invite_staff(&app, &mut admin, "Ola Other", "ola@testshire.example").await;
        assert_eq!(subject, "Set up your SEND Portal back-office account");
        assert!(
            text.contains(
                "You have been given a back-office account for the Testshire County Council \
                 SEND Portal, as a caseworker."
            ),
            "{text}"
        );
        assert!(
            text.contains("The link works once, for 24 hours."),
            "{text}"
        );
        assert_eq!(audit(&app, AuditAction::CouncilTextRestored).await.len(), 2);
    })
    .await;
}
