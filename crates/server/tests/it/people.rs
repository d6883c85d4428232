//! People (issue 19) through the real pages, on both databases: an
//! administrator deactivates and reactivates a member of staff (their sessions
//! end at once, they cannot sign in meanwhile), ends someone's sessions (a
//! portal account's after "Are you sure"),
//! cannot remove the last administration permission, disables a portal
//! account with a reason, resends and withdraws set-up links, and renames and
//! removes teams and groups (refused while in use); and every page and action
//! is refused to portal users, to staff without the permission and to
//! visitors.

use http::StatusCode;
use send_domain::{AuditAction, DEFAULT_TEAM, StaffRole, UserId, default_group};

use crate::accounts::{PASSWORD, csrf_of, register, sign_in, submit};
use crate::back_office::{audit, caseworkers, location, staff_client, staff_sign_in};
use crate::portal_access::{PARENT, professional, stranger_id};
use crate::support::{TestApp, TestClient, TestResponse, on_both_databases};

const ADMIN: &str = "admin@testshire.example";
const CASEWORKER: &str = "case@testshire.example";
const PEOPLE: &str = "/back-office/admin/people";
const PORTAL: &str = "/back-office/admin/portal-accounts";

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

async fn caseworker(app: &TestApp) -> TestClient {
    staff_client(
        app,
        CASEWORKER,
        StaffRole::Caseworker,
        Some(DEFAULT_TEAM.0),
        &[caseworkers()],
    )
    .await
}

fn person(id: UserId) -> String {
    format!("{PEOPLE}/{id}")
}

/// Posts the button `action` on `page` (with the page's form token).
async fn press(client: &mut TestClient, page: &str, action: &str) -> TestResponse {
    submit(client, page, action, &[]).await
}

/// Whether `client`'s session still opens the back office.
async fn signed_in_to_back_office(client: &mut TestClient) -> bool {
    let got = client.get("/back-office").await;
    got.status == StatusCode::OK
}

/// The password step for `email`: where it leads, or the page it shows.
async fn password_step(app: &TestApp, email: &str) -> TestResponse {
    let mut client = app.client();
    submit(
        &mut client,
        "/sign-in",
        "/sign-in",
        &[("email", email), ("password", PASSWORD)],
    )
    .await
}

const CANNOT_SIGN_IN: &str = "This account cannot be used to sign in";

#[tokio::test]
async fn a_deactivated_member_of_staff_is_signed_out_at_once_and_cannot_sign_in_until_reactivated()
{
    on_both_databases(async |app| {
        let mut admin = admin(&app).await;
        let mut worker = caseworker(&app).await;
        let id = stranger_id(&app, CASEWORKER).await;
        assert!(signed_in_to_back_office(&mut worker).await);

        let list = admin.get(PEOPLE).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert!(list.body.contains(CASEWORKER), "{}", list.body);
        assert!(list.body.contains("SEND team"));
        assert!(list.body.contains("Caseworkers"));
        assert!(
            !list
                .body
                .contains("<td class=\"govuk-table__cell\">Never</td>"),
            "both have signed in, and the list says when"
        );
        assert!(
            !says_the_day_twice(&list.body),
            "a sign-in time says its day once: {}",
            list.body
        );

        let page = person(id);
        let done = press(&mut admin, &page, &format!("{page}/deactivate")).await;
        assert_eq!(location(&done), page, "{}", done.body);
        let shown = admin.get(&page).await;
        assert!(
            shown.body.contains("has been deactivated"),
            "{}",
            shown.body
        );
        assert!(shown.body.contains("Deactivated"));

        assert!(
            !signed_in_to_back_office(&mut worker).await,
            "the session ended with the change"
        );
        let refused = password_step(&app, CASEWORKER).await;
        assert!(refused.body.contains(CANNOT_SIGN_IN), "{}", refused.body);
        assert_eq!(audit(&app, AuditAction::AccountDisabled).await.len(), 1);

        let done = press(&mut admin, &page, &format!("{page}/reactivate")).await;
        assert_eq!(location(&done), page);
        // A new authenticator code (each is accepted once).
        app.clock.advance(time::Duration::seconds(31));
        let mut again = staff_sign_in(&app, CASEWORKER).await;
        assert!(signed_in_to_back_office(&mut again).await);
        assert_eq!(audit(&app, AuditAction::AccountEnabled).await.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn an_administrator_ends_all_of_a_persons_sessions() {
    on_both_databases(async |app| {
        let mut admin = admin(&app).await;
        let mut first = caseworker(&app).await;
        app.clock.advance(time::Duration::seconds(31));
        let mut second = staff_sign_in(&app, CASEWORKER).await;
        let page = person(stranger_id(&app, CASEWORKER).await);
        let done = press(&mut admin, &page, &format!("{page}/end-sessions")).await;
        assert_eq!(location(&done), page);
        assert!(admin.get(&page).await.body.contains("Sessions ended: 2"));
        assert!(!signed_in_to_back_office(&mut first).await);
        assert!(!signed_in_to_back_office(&mut second).await);
        assert!(signed_in_to_back_office(&mut admin).await, "not theirs");
        // A new authenticator code (each is accepted once).
        app.clock.advance(time::Duration::seconds(31));
        let mut again = staff_sign_in(&app, CASEWORKER).await;
        assert!(
            signed_in_to_back_office(&mut again).await,
            "they may sign in"
        );
        assert_eq!(audit(&app, AuditAction::SessionsEnded).await.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn nothing_may_leave_the_portal_without_someone_who_can_manage_staff() {
    on_both_databases(async |app| {
        let mut admin = admin(&app).await;
        let me = stranger_id(&app, ADMIN).await;
        let page = person(me);

        let refused = press(&mut admin, &page, &format!("{page}/deactivate")).await;
        assert!(
            refused.body.contains("govuk-error-summary"),
            "{}",
            refused.body
        );
        assert!(refused.body.contains("leave nobody who can manage staff"));
        assert!(signed_in_to_back_office(&mut admin).await, "still active");

        let membership = format!("{page}/membership");
        let refused = submit(
            &mut admin,
            &membership,
            &membership,
            &[("team", ""), ("groups", &caseworkers().to_string())],
        )
        .await;
        assert!(
            refused.body.contains("govuk-error-summary"),
            "{}",
            refused.body
        );
        assert!(refused.body.contains("leave nobody who can manage staff"));

        let group = format!(
            "/back-office/admin/groups/{}",
            default_group(StaffRole::Administrator)
        );
        let refused = submit(
            &mut admin,
            &group,
            &group,
            &[
                ("name", "Portal administrators"),
                ("permissions", "view_cases"),
            ],
        )
        .await;
        assert!(
            refused.body.contains("leave nobody who can manage staff"),
            "{}",
            refused.body
        );
        assert!(
            admin.get(PEOPLE).await.status == StatusCode::OK,
            "nothing changed"
        );

        // With a second administrator, the first may step down.
        let _other = staff_client(
            &app,
            "second.admin@testshire.example",
            StaffRole::Administrator,
            None,
            &[default_group(StaffRole::Administrator)],
        )
        .await;
        let done = submit(
            &mut admin,
            &membership,
            &membership,
            &[("team", ""), ("groups", &caseworkers().to_string())],
        )
        .await;
        assert_eq!(location(&done), page, "{}", done.body);
        assert_eq!(admin.get(PEOPLE).await.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn a_portal_account_is_found_and_disabled_with_a_reason_then_enabled() {
    on_both_databases(async |app| {
        let mut admin = admin(&app).await;
        let mut parent = app.client();
        register(&app, &mut parent, PARENT).await;
        let _pro = professional(&app, "pat@oakfield.example").await;
        let id = stranger_id(&app, PARENT).await;

        let found = admin.get(&format!("{PORTAL}?q=SAM@")).await;
        assert_eq!(found.status, StatusCode::OK);
        assert!(found.body.contains(PARENT), "{}", found.body);
        assert!(!found.body.contains("pat@oakfield.example"));

        let page = format!("{PORTAL}/{id}");
        let disable = format!("{page}/disable");
        let refused = submit(&mut admin, &page, &disable, &[("reason", "  ")]).await;
        assert!(
            refused.body.contains("govuk-error-summary"),
            "{}",
            refused.body
        );
        assert!(
            refused
                .body
                .contains("Enter why you are disabling this account")
        );
        assert_eq!(
            parent.get("/home").await.status,
            StatusCode::OK,
            "nothing changed"
        );

        let done = submit(
            &mut admin,
            &page,
            &disable,
            &[("reason", "Duplicate account")],
        )
        .await;
        assert_eq!(location(&done), page, "{}", done.body);
        let shown = admin.get(&page).await;
        assert!(shown.body.contains("Duplicate account"), "{}", shown.body);
        assert!(shown.body.contains("Disabled"));
        assert_eq!(location(&parent.get("/home").await), "/sign-in");
        let refused = password_step(&app, PARENT).await;
        assert!(refused.body.contains(CANNOT_SIGN_IN), "{}", refused.body);
        let events = audit(&app, AuditAction::AccountDisabled).await;
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].detail.as_deref(), Some("Duplicate account"));

        press(&mut admin, &page, &format!("{page}/enable")).await;
        let mut back = app.client();
        sign_in(&app, &mut back, PARENT, PASSWORD).await;
    })
    .await;
}

#[tokio::test]
async fn an_administrator_signs_a_portal_account_out_of_every_device_after_confirming() {
    on_both_databases(async |app| {
        let mut admin = admin(&app).await;
        let mut laptop = app.client();
        register(&app, &mut laptop, PARENT).await;
        let mut phone = app.client();
        sign_in(&app, &mut phone, PARENT, PASSWORD).await;
        let page = format!("{PORTAL}/{}", stranger_id(&app, PARENT).await);
        let confirm = format!("{page}/end-sessions");

        // The account's page leads to "Are you sure", which changes nothing.
        let shown = admin.get(&page).await;
        assert!(
            shown.body.contains(&format!("href=\"{confirm}\"")),
            "{}",
            shown.body
        );
        let asked = admin.get(&confirm).await;
        assert_eq!(asked.status, StatusCode::OK);
        assert!(
            asked
                .body
                .contains("Are you sure you want to sign Jo Bloggs out of every device?"),
            "{}",
            asked.body
        );
        assert!(asked.body.contains(&format!("href=\"{page}\">Cancel</a>")));
        assert_eq!(laptop.get("/home").await.status, StatusCode::OK);
        assert!(audit(&app, AuditAction::SessionsEnded).await.is_empty());

        // Confirmed: both devices are signed out, with a success banner.
        let done = press(&mut admin, &confirm, &confirm).await;
        assert_eq!(location(&done), page, "{}", done.body);
        let after = admin.get(&page).await;
        assert!(after.body.contains("govuk-notification-banner--success"));
        assert!(
            after
                .body
                .contains("They have been signed out of every device (2 sessions ended)"),
            "{}",
            after.body
        );
        assert_eq!(location(&laptop.get("/home").await), "/sign-in");
        assert_eq!(location(&phone.get("/home").await), "/sign-in");
        assert!(signed_in_to_back_office(&mut admin).await, "not theirs");
        let events = audit(&app, AuditAction::SessionsEnded).await;
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].outcome, send_domain::AuditOutcome::Succeeded);
        // They may sign in again.
        let mut again = app.client();
        sign_in(&app, &mut again, PARENT, PASSWORD).await;
    })
    .await;
}

#[tokio::test]
async fn staff_without_the_permission_cannot_sign_a_portal_account_out() {
    on_both_databases(async |app| {
        let _admin = admin(&app).await;
        let mut worker = caseworker(&app).await;
        let mut parent = app.client();
        register(&app, &mut parent, PARENT).await;
        let confirm = format!("{PORTAL}/{}/end-sessions", stranger_id(&app, PARENT).await);

        assert_eq!(worker.get(&confirm).await.status, StatusCode::FORBIDDEN);
        let token = csrf_of(&worker.get("/account").await);
        let refused = worker.post_form(&confirm, &[("csrf_token", &token)]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
        assert_eq!(
            parent.get("/home").await.status,
            StatusCode::OK,
            "still signed in"
        );
        let events = audit(&app, AuditAction::SessionsEnded).await;
        assert_eq!(events.len(), 1, "the refusal is audited");
        assert_eq!(events[0].outcome, send_domain::AuditOutcome::Refused);
    })
    .await;
}

/// Found by the web scan: a team or group id that is well formed but not the
/// council's (removed since the page was drawn) was a foreign-key failure, a
/// 500; it is the form's error, with nothing written.
#[tokio::test]
async fn inviting_staff_to_a_team_or_group_that_is_not_there_is_the_forms_error() {
    on_both_databases(async |app| {
        let mut admin = admin(&app).await;
        let missing = uuid::Uuid::new_v4().to_string();
        for (team, group, message) in [
            (
                missing.as_str(),
                caseworkers().to_string(),
                "Select a team from the list",
            ),
            ("", missing.clone(), "Select at least one permission group"),
        ] {
            let links = async || app.table_rows().await.get("staff_setup_links").cloned();
            let before = links().await;
            let page = admin.get("/back-office/admin/invite").await;
            let refused = admin
                .post_form(
                    "/back-office/admin/invite",
                    &[
                        ("csrf_token", &csrf_of(&page)),
                        ("name", "Nia New"),
                        ("email", "nia@testshire.example"),
                        ("role", "caseworker"),
                        ("team", team),
                        ("groups", &group),
                    ],
                )
                .await;
            assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
            assert!(
                refused.body.contains("govuk-error-summary"),
                "{}",
                refused.body
            );
            assert!(refused.body.contains(message), "{}", refused.body);
            assert!(
                refused.body.contains("nia@testshire.example"),
                "what was typed is kept"
            );
            assert_eq!(links().await, before, "nothing written");
        }
    })
    .await;
}

#[tokio::test]
async fn set_up_links_are_listed_sent_again_and_withdrawn() {
    on_both_databases(async |app| {
        let mut admin = admin(&app).await;
        let invited = submit(
            &mut admin,
            "/back-office/admin/invite",
            "/back-office/admin/invite",
            &[
                ("name", "Nia New"),
                ("email", "nia@testshire.example"),
                ("role", "caseworker"),
                ("team", ""),
                ("groups", &caseworkers().to_string()),
            ],
        )
        .await;
        assert_eq!(location(&invited), "/back-office/admin");
        let pending = || async {
            app.app
                .store
                .pending_staff_setup_links()
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        };
        let first = pending().await;
        assert_eq!(first.len(), 1);
        let list = admin.get(PEOPLE).await;
        assert!(list.body.contains("nia@testshire.example"), "{}", list.body);

        let resend = format!("/back-office/admin/setup-links/{}/resend", first[0].id);
        let done = press(&mut admin, PEOPLE, &resend).await;
        assert_eq!(location(&done), PEOPLE);
        let second = pending().await;
        assert_eq!(second.len(), 1);
        assert_ne!(second[0].id, first[0].id, "a new link");
        let emails = app
            .app
            .store
            .outbox_emails(100)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .filter(|e| e.email.to.as_str() == "nia@testshire.example")
            .count();
        assert_eq!(emails, 2);

        let withdraw = format!("/back-office/admin/setup-links/{}/withdraw", second[0].id);
        let done = press(&mut admin, PEOPLE, &withdraw).await;
        assert_eq!(location(&done), PEOPLE);
        assert!(pending().await.is_empty());
        let again = press(&mut admin, PEOPLE, &withdraw).await;
        assert_eq!(location(&again), PEOPLE);
        assert!(
            admin
                .get(PEOPLE)
                .await
                .body
                .contains("already been used or withdrawn")
        );
        assert_eq!(
            audit(&app, AuditAction::StaffSetupLinkWithdrawn)
                .await
                .len(),
            2
        );
    })
    .await;
}

#[tokio::test]
async fn teams_and_groups_are_renamed_and_removed_only_when_nobody_uses_them() {
    on_both_databases(async |app| {
        let mut admin = admin(&app).await;
        let _worker = caseworker(&app).await;
        let team = format!("/back-office/admin/teams/{}", DEFAULT_TEAM.0);
        let done = submit(&mut admin, &team, &team, &[("name", "Childrens SEND team")]).await;
        assert_eq!(location(&done), "/back-office/admin", "{}", done.body);
        assert!(
            admin
                .get("/back-office/admin")
                .await
                .body
                .contains("Childrens SEND team")
        );

        let refused = press(&mut admin, &team, &format!("{team}/remove")).await;
        assert!(
            refused.body.contains("govuk-error-summary"),
            "{}",
            refused.body
        );
        assert!(refused.body.contains("cannot be removed while staff"));

        let added = submit(
            &mut admin,
            "/back-office/admin/teams/new",
            "/back-office/admin/teams/new",
            &[("name", "Spare team")],
        )
        .await;
        assert_eq!(location(&added), "/back-office/admin");
        let spare = app
            .app
            .store
            .teams()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .find(|t| t.name == "Spare team")
            .unwrap_or_else(|| panic!("the team was added"));
        let spare_page = format!("/back-office/admin/teams/{}", spare.id);
        let done = press(&mut admin, &spare_page, &format!("{spare_page}/remove")).await;
        assert_eq!(location(&done), "/back-office/admin");
        assert!(
            !admin
                .get("/back-office/admin")
                .await
                .body
                .contains("Spare team")
        );
        assert_eq!(admin.get(&spare_page).await.status, StatusCode::NOT_FOUND);

        let group = format!("/back-office/admin/groups/{}", caseworkers());
        let refused = press(&mut admin, &group, &format!("{group}/remove")).await;
        assert!(
            refused
                .body
                .contains("cannot be removed while anyone is in it"),
            "{}",
            refused.body
        );
        assert_eq!(audit(&app, AuditAction::TeamRenamed).await.len(), 1);
        assert_eq!(audit(&app, AuditAction::TeamRemoved).await.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn an_administrator_hands_over_the_conversations_a_leaver_holds() {
    on_both_databases(async |app| {
        let (mut worker, child, mut parent) = crate::messages::case_with_parent(&app).await;
        let thread = crate::messages::new_message(&mut parent, child, "School place").await;
        let conversation = format!("/back-office/messages/{thread}");
        let csrf = csrf_of(&worker.get(&conversation).await);
        worker
            .post_form(
                &format!("{conversation}/hold"),
                &[("csrf_token", &csrf), ("hold", "me")],
            )
            .await;
        crate::back_office::create_staff(
            &app,
            "colleague@testshire.example",
            StaffRole::Caseworker,
            Some(DEFAULT_TEAM.0),
            &[caseworkers()],
        )
        .await;
        let mut admin = admin(&app).await;
        let leaver = stranger_id(&app, CASEWORKER).await;
        let page = person(leaver);
        let shown = admin.get(&page).await;
        assert!(
            shown.body.contains("They hold 1 conversation."),
            "{}",
            shown.body
        );

        // Not a colleague: the error summary, what was typed kept, nothing moved.
        let action = format!("{page}/hand-over-conversations");
        let wrong = submit(&mut admin, &page, &action, &[("to", "nobody@example.com")]).await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
        assert!(wrong.body.contains("govuk-error-summary"));
        assert!(
            wrong
                .body
                .contains("Enter the email address of a colleague")
        );
        assert!(wrong.body.contains("value=\"nobody@example.com\""));
        assert!(
            audit(&app, AuditAction::ThreadAssigned).await.len() == 1,
            "only the hold"
        );

        let done = submit(
            &mut admin,
            &page,
            &action,
            &[("to", "colleague@testshire.example")],
        )
        .await;
        assert_eq!(location(&done), page);
        let after = admin.get(&page).await;
        assert!(after.body.contains("Conversations handed over: 1"));
        assert!(after.body.contains("They do not hold any conversations."));
        assert!(
            worker
                .get(&conversation)
                .await
                .body
                .contains("Held by: Staff colleague@testshire.example")
        );
        let events = audit(&app, AuditAction::ThreadAssigned).await;
        assert!(
            events
                .iter()
                .any(|e| e.subject == Some(format!("account:{leaver}"))),
            "about the leaver"
        );
    })
    .await;
}

#[tokio::test]
async fn the_people_pages_refuse_portal_users_staff_without_the_permission_and_visitors() {
    on_both_databases(async |app| {
        let mut parent = app.client();
        register(&app, &mut parent, PARENT).await;
        let mut pro = professional(&app, "pat@oakfield.example").await;
        let mut worker = caseworker(&app).await;
        let _admin = admin(&app).await;
        let mut visitor = app.client();
        let staff_id = stranger_id(&app, ADMIN).await;
        let parent_id = stranger_id(&app, PARENT).await;
        let team = format!("/back-office/admin/teams/{}", DEFAULT_TEAM.0);
        let group = format!("/back-office/admin/groups/{}", caseworkers());
        let link = format!(
            "/back-office/admin/setup-links/{}",
            send_domain::StaffSetupLinkId::from_uuid(crate::support::new_uuid())
        );
        let gets = [
            PEOPLE.to_owned(),
            person(staff_id),
            format!("{}/membership", person(staff_id)),
            PORTAL.to_owned(),
            format!("{PORTAL}/{parent_id}"),
            format!("{PORTAL}/{parent_id}/end-sessions"),
            team.clone(),
            group.clone(),
        ];
        let posts = [
            format!("{}/deactivate", person(staff_id)),
            format!("{}/reactivate", person(staff_id)),
            format!("{}/end-sessions", person(staff_id)),
            format!("{}/hand-over-conversations", person(staff_id)),
            format!("{}/membership", person(staff_id)),
            format!("{link}/withdraw"),
            format!("{link}/resend"),
            format!("{PORTAL}/{parent_id}/disable"),
            format!("{PORTAL}/{parent_id}/enable"),
            format!("{PORTAL}/{parent_id}/end-sessions"),
            team.clone(),
            format!("{team}/remove"),
            group.clone(),
            format!("{group}/remove"),
        ];
        let people: [(&str, &mut TestClient, StatusCode); 3] = [
            ("parent", &mut parent, StatusCode::NOT_FOUND),
            ("professional", &mut pro, StatusCode::NOT_FOUND),
            ("caseworker", &mut worker, StatusCode::FORBIDDEN),
        ];
        for (who, client, expected) in people {
            for path in &gets {
                let got = client.get(path).await;
                assert_eq!(got.status, expected, "{who} GET {path}");
                assert!(!got.body.contains(ADMIN), "{who} {path}");
            }
            let token = csrf_of(&client.get("/account").await);
            for path in &posts {
                let posted = client
                    .post_form(
                        path,
                        &[
                            ("csrf_token", &token),
                            ("name", "Taken over"),
                            ("reason", "Because"),
                            ("permissions", "manage_staff"),
                            (
                                "groups",
                                &default_group(StaffRole::Administrator).to_string(),
                            ),
                        ],
                    )
                    .await;
                assert_eq!(
                    posted.status, expected,
                    "{who} POST {path}: {}",
                    posted.body
                );
            }
        }
        for path in &gets {
            assert_eq!(location(&visitor.get(path).await), "/sign-in", "{path}");
        }
        // Nothing changed: everyone may still sign in, the names are the same.
        assert_eq!(parent.get("/home").await.status, StatusCode::OK);
        assert!(signed_in_to_back_office(&mut worker).await);
        let teams = app
            .app
            .store
            .teams()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(teams.len(), 1);
        assert_eq!(teams[0].name, DEFAULT_TEAM.1);
        let refusals = audit(&app, AuditAction::AccountDisabled).await;
        assert!(!refusals.is_empty(), "refusals are audited");
        assert!(
            refusals
                .iter()
                .all(|e| e.outcome == send_domain::AuditOutcome::Refused)
        );
    })
    .await;
}

/// Whether a page says a day twice in one time ("6 December 2026 at 6 December
/// 2026 at 4:54am").
fn says_the_day_twice(body: &str) -> bool {
    let months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    months
        .iter()
        .any(|m| (1..=31).any(|d| body.contains(&format!(" at {d} {m} "))))
}
