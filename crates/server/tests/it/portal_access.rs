//! Invitations, per-child access and the SEND Dashboard through the real pages:
//! the guide's journey, the links that must be refused, revoking, professionals'
//! requests, and the access table every route about a child must keep.

use http::StatusCode;
use send_domain::{
    AuditAction, AuditOutcome, ChildId, Clock, DEFAULT_TEAM, InvitationId, LinkStatus, Permission,
    PermissionGroupId, PortalLink, PortalLinkId, PortalRole, StaffRole, UserId,
};
use send_store::{Changes, ChronologyEntry, PermissionGroup, Write};
use time::Duration;

use crate::accounts::{
    PASSWORD, csrf_of, latest_email, register, register_with, sign_in_to, submit,
};
use crate::back_office::{add_child, audit, caseworkers, location, open_assessment, staff_client};
use crate::support::{TestApp, TestClient, TestResponse, on_both_databases};

pub const PARENT: &str = "sam@example.com";

/// The text after `marker` up to the end of its line.
fn after<'a>(text: &'a str, marker: &str) -> &'a str {
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker:?} in:\n{text}"))
        + marker.len();
    text[start..].lines().next().unwrap_or_default().trim()
}

/// A caseworker (signed in) and a child with the family contact Sam Example.
pub async fn caseworker_and_child(app: &TestApp) -> (TestClient, ChildId) {
    let mut caseworker = staff_client(
        app,
        "case@testshire.example",
        StaffRole::Caseworker,
        Some(DEFAULT_TEAM.0),
        &[caseworkers()],
    )
    .await;
    let child = add_child(&mut caseworker).await;
    (caseworker, child)
}

/// Invites Sam Example: returns the invitation and the reference code emailed.
pub async fn invite(
    app: &TestApp,
    caseworker: &mut TestClient,
    child: ChildId,
) -> (InvitationId, String) {
    app.clock.advance(Duration::seconds(1));
    let contacts = app
        .app
        .store
        .family_contacts(child)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let path = format!("/back-office/children/{child}/invitations/new");
    let sent = submit(
        caseworker,
        &path,
        &path,
        &[("contact", &contacts[0].id.to_string()), ("role", "parent")],
    )
    .await;
    assert_eq!(
        location(&sent),
        format!("/back-office/children/{child}/portal-access"),
        "{}",
        sent.body
    );
    let (subject, text) = latest_email(app, PARENT).await;
    assert_eq!(
        subject,
        "Your reference code for the Testshire County Council SEND Portal"
    );
    assert!(text.contains("contact the SEND team"), "{text}");
    assert!(
        text.contains(&format!(
            "quote this code: telephone {} or email {}",
            crate::support::SEND_TEAM_PHONE,
            crate::support::SEND_TEAM_EMAIL
        )),
        "how to reach the SEND team to check the email: {text}"
    );
    let code = after(&text, "Your reference code is ").to_owned();
    let invitation = app
        .app
        .store
        .invitations_for_child(child)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))[0]
        .id;
    (invitation, code)
}

/// Records the identity check and sends the link: returns the link's path.
pub async fn verify_and_send_link(
    app: &TestApp,
    caseworker: &mut TestClient,
    invitation: InvitationId,
    code: &str,
) -> String {
    let path = format!("/back-office/invitations/{invitation}/verify");
    let verified = submit(
        caseworker,
        &path,
        &path,
        &[("code", code), ("how", "phone")],
    )
    .await;
    assert_eq!(verified.status, StatusCode::SEE_OTHER, "{}", verified.body);
    let child_page = location(&verified).to_owned();
    let page = caseworker.get(&child_page).await;
    let sent = caseworker
        .post_form(
            &format!("/back-office/invitations/{invitation}/send-link"),
            &[("csrf_token", &csrf_of(&page))],
        )
        .await;
    assert_eq!(location(&sent), child_page, "{}", sent.body);
    let (subject, text) = latest_email(app, PARENT).await;
    assert_eq!(subject, "Accept Portal Invitation");
    let link = after(&text, "Open this link to accept the invitation: ");
    link.trim_start_matches("http://localhost:8080").to_owned()
}

/// The `href` of each element `selector` finds.
fn hrefs(body: &str, selector: &str) -> Vec<String> {
    let html = scraper::Html::parse_document(body);
    let selector = scraper::Selector::parse(selector).unwrap_or_else(|e| panic!("{e}"));
    html.select(&selector)
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect()
}

/// Ticks the child, answers `answer`, Confirm, then Submit.
pub async fn answer(
    client: &mut TestClient,
    link: &str,
    child: ChildId,
    answer: &str,
) -> TestResponse {
    let id = child.to_string();
    let fields = [("child", id.as_str()), ("answer", answer)];
    let check = submit(client, link, link, &fields).await;
    assert_eq!(check.status, StatusCode::OK, "{}", check.body);
    assert_eq!(check.h1(), "Check your answer");
    // Each answer has a Change link back to the question, the answer kept.
    let changes = hrefs(&check.body, ".govuk-summary-list__actions a");
    let question = format!("{link}?child={id}&answer={answer}");
    assert_eq!(
        changes,
        [format!("{question}#child"), format!("{question}#answer")],
        "{}",
        check.body
    );
    let again = client.get(&question).await;
    assert_eq!(again.status, StatusCode::OK);
    let checked = |name: &str| {
        let html = scraper::Html::parse_document(&again.body);
        let selector = scraper::Selector::parse(&format!("input[name={name}][checked]"))
            .unwrap_or_else(|e| panic!("{e}"));
        html.select(&selector)
            .filter_map(|i| i.value().attr("value").map(str::to_owned))
            .collect::<Vec<_>>()
    };
    assert_eq!(checked("answer"), [answer.to_owned()]);
    assert_eq!(checked("child"), std::slice::from_ref(&id));
    let mut all = vec![("csrf_token", csrf_of(&check))];
    all.extend(fields.iter().map(|(k, v)| (*k, (*v).to_owned())));
    let all: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
    client.post_form(&format!("{link}/submit"), &all).await
}

pub async fn post_button(client: &mut TestClient, page: &str, action: &str) -> TestResponse {
    let shown = client.get(page).await;
    client
        .post_form(action, &[("csrf_token", &csrf_of(&shown))])
        .await
}

#[tokio::test]
#[expect(clippy::too_many_lines, reason = "the guide's journey, step by step")]
async fn the_parent_journey_from_invitation_to_the_send_dashboard() {
    on_both_databases(async |app| {
        let (mut caseworker, child) = caseworker_and_child(&app).await;
        open_assessment(&mut caseworker, child, ("2", "11", "2026")).await;
        let (invitation, code) = invite(&app, &mut caseworker, child).await;

        // A wrong code is refused, counted and audited; the right one is recorded.
        let verify = format!("/back-office/invitations/{invitation}/verify");
        let wrong = submit(
            &mut caseworker,
            &verify,
            &verify,
            &[("code", "ACDE-F234"), ("how", "phone")],
        )
        .await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
        assert!(
            wrong
                .body
                .contains("This code does not match the reference code we sent")
        );
        assert!(wrong.body.contains("value=\"ACDE-F234\""), "answers kept");
        // 8 characters with some no code is made of: a wrong code, counted
        // like one, not a message about the code's format.
        let unused = submit(
            &mut caseworker,
            &verify,
            &verify,
            &[("code", "BOSS-1080"), ("how", "phone")],
        )
        .await;
        assert_eq!(unused.status, StatusCode::BAD_REQUEST);
        assert!(
            unused
                .body
                .contains("This code does not match the reference code we sent")
        );
        assert!(!unused.body.contains("8 letters and numbers, like"));
        let counted = app.app.store.invitation(invitation).await.unwrap().unwrap();
        assert_eq!(counted.failed_checks, 2, "both wrong codes counted");
        let link = verify_and_send_link(&app, &mut caseworker, invitation, &code).await;

        // A visitor is asked to sign in or register, and comes back afterwards.
        let mut parent = app.client();
        let start = parent.get(&link).await;
        assert_eq!(start.status, StatusCode::OK);
        assert_eq!(start.h1(), "Accept Portal Invitation");
        assert!(start.body.contains("Register for new account"));
        assert!(
            !start.body.contains("Lex"),
            "no child's name before signing in"
        );
        register_with(
            &app,
            &mut parent,
            &[("name", "Sam Example"), ("email", PARENT)],
            &link,
        )
        .await;

        // The invitation page: nothing chosen is refused with a message per field.
        let page = parent.get(&link).await;
        assert!(page.body.contains("Lex Example"));
        assert!(page.body.contains("Confirm"));
        let empty = submit(&mut parent, &link, &link, &[]).await;
        assert_eq!(empty.status, StatusCode::BAD_REQUEST);
        assert!(empty.body.contains("Select the child by ticking the box"));
        assert!(
            empty
                .body
                .contains("Select yes if you wish to accept the invitation")
        );
        let yes_unticked = submit(&mut parent, &link, &link, &[("answer", "yes")]).await;
        assert_eq!(yes_unticked.status, StatusCode::BAD_REQUEST);

        let submitted = answer(&mut parent, &link, child, "yes").await;
        assert_eq!(location(&submitted), "/home", "{}", submitted.body);
        let (subject, text) = latest_email(&app, PARENT).await;
        assert_eq!(subject, "Your SEND Portal request has been received");
        assert!(text.contains("/sign-in"));
        let home = parent.get("/home").await;
        assert!(
            home.body
                .contains("Your request has been sent to the SEND team")
        );
        assert!(home.body.contains("Waiting for the SEND team"));
        let dashboard = format!("/children/{child}/dashboard");
        assert_eq!(
            parent.get(&dashboard).await.status,
            StatusCode::NOT_FOUND,
            "pending"
        );

        // The caseworker sees it waiting, and confirms.
        let waiting = caseworker.get("/back-office/portal-requests").await;
        assert!(waiting.body.contains("Lex Example"));
        assert!(waiting.body.contains(PARENT));
        let access_page = format!("/back-office/children/{child}/portal-access");
        let confirmed = post_button(
            &mut caseworker,
            &access_page,
            &format!("/back-office/invitations/{invitation}/confirm"),
        )
        .await;
        assert_eq!(location(&confirmed), access_page);
        let (subject, text) = latest_email(&app, PARENT).await;
        assert_eq!(subject, "You can now see the SEND Dashboard");
        assert!(text.contains("http://localhost:8080/sign-in"));
        let listed = caseworker.get(&access_page).await;
        assert!(listed.body.contains("Active"));
        assert!(listed.body.contains("Revoke access"));

        // The SEND Dashboard: the stage, key dates, caseworker, honest panels.
        let home = parent.get("/home").await;
        assert!(home.body.contains(&format!("href=\"{dashboard}\"")));
        let shown = parent.get(&dashboard).await;
        assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
        assert_eq!(shown.h1(), "Lex Example");
        assert!(shown.title().starts_with("SEND Dashboard: Lex Example"));
        assert!(shown.body.contains("aria-current=\"step\""));
        assert!(shown.body.contains("Current stage"));
        assert!(shown.body.contains("Request received"));
        assert!(shown.body.contains("Extra Information"));
        assert!(shown.body.contains(
            "The SEND team will tell you whether they will carry out an EHC needs assessment"
        ));
        assert!(
            shown.body.contains("14 December 2026"),
            "6 weeks from 2 November"
        );
        assert!(
            shown.body.contains("Staff case@testshire.example"),
            "caseworker"
        );
        assert!(
            shown
                .body
                .contains("No documents have been shared with you yet")
        );

        // Every step was audited.
        for action in [
            AuditAction::InvitationSent,
            AuditAction::InvitationLinkSent,
            AuditAction::InvitationAccepted,
            AuditAction::InvitationConfirmed,
            AuditAction::DashboardViewed,
        ] {
            assert!(
                audit(&app, action)
                    .await
                    .iter()
                    .any(|e| e.outcome == AuditOutcome::Succeeded && e.child_id == Some(child)),
                "{action:?}"
            );
        }
        let checks = audit(&app, AuditAction::IdentityVerified).await;
        assert!(checks.iter().any(|e| e.outcome == AuditOutcome::Refused));
        assert!(checks.iter().any(|e| e.outcome == AuditOutcome::Succeeded));
        let chronology = caseworker
            .get(&format!("/back-office/children/{child}/chronology"))
            .await;
        assert!(
            chronology
                .body
                .contains("Portal access confirmed for Sam Example")
        );
    })
    .await;
}

#[tokio::test]
async fn an_invitation_link_works_once_for_one_account_until_it_expires() {
    on_both_databases(async |app| {
        let (mut caseworker, child) = caseworker_and_child(&app).await;
        let (invitation, code) = invite(&app, &mut caseworker, child).await;
        let link = verify_and_send_link(&app, &mut caseworker, invitation, &code).await;

        let mut parent = app.client();
        register(&app, &mut parent, PARENT).await;
        let mut stranger = app.client();
        register(&app, &mut stranger, "stranger@example.com").await;

        // An unknown link.
        let unknown = parent
            .get(&format!("/invitations/{}", "a".repeat(64)))
            .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        assert_eq!(unknown.h1(), "This invitation link is not valid");

        assert_eq!(
            location(&answer(&mut parent, &link, child, "yes").await),
            "/home"
        );
        // Used twice.
        let again = parent.get(&link).await;
        assert_eq!(again.status, StatusCode::GONE);
        assert_eq!(again.h1(), "You have already answered this invitation");
        // By a second account.
        let other = stranger.get(&link).await;
        assert_eq!(other.status, StatusCode::FORBIDDEN);
        assert_eq!(other.h1(), "This invitation has already been used");
        assert!(
            !other.body.contains("Lex"),
            "no child's name for a stranger"
        );
        let page = stranger.get("/home").await;
        let forced = stranger
            .post_form(
                &format!("{link}/submit"),
                &[
                    ("csrf_token", &csrf_of(&page)),
                    ("child", &child.to_string()),
                    ("answer", "yes"),
                ],
            )
            .await;
        assert_eq!(forced.status, StatusCode::FORBIDDEN);
        assert!(
            app.app
                .store
                .portal_links_for_account(stranger_id(&app, "stranger@example.com").await)
                .await
                .unwrap_or_else(|e| panic!("{e:?}"))
                .is_empty(),
            "nothing written for the stranger"
        );

        // After expiry: a second invitation, its link 14 days and a second later.
        let second_child = add_child(&mut caseworker).await;
        let (second, code) = invite(&app, &mut caseworker, second_child).await;
        let late = verify_and_send_link(&app, &mut caseworker, second, &code).await;
        app.clock.advance(Duration::days(14) + Duration::seconds(1));
        sign_in_to(&app, &mut parent, PARENT, PASSWORD, "/home").await;
        let expired = parent.get(&late).await;
        assert_eq!(expired.status, StatusCode::GONE);
        assert_eq!(expired.h1(), "This invitation link has expired");
        assert!(
            app.app
                .store
                .portal_link(second_child, stranger_id(&app, PARENT).await)
                .await
                .unwrap_or_else(|e| panic!("{e:?}"))
                .is_none()
        );
        let refused = audit(&app, AuditAction::InvitationOpened).await;
        assert!(
            refused
                .iter()
                .filter(|e| e.outcome == AuditOutcome::Refused)
                .count()
                >= 3
        );
    })
    .await;
}

pub async fn stranger_id(app: &TestApp, email: &str) -> UserId {
    app.app
        .store
        .account_by_email(&send_domain::Email::parse(email).unwrap_or_else(|e| panic!("{e:?}")))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .unwrap_or_else(|| panic!("no account {email}"))
        .id
}

/// Links `account` to `child` directly in the store with `status`.
pub async fn link(
    app: &TestApp,
    child: ChildId,
    account: UserId,
    role: PortalRole,
    status: LinkStatus,
) -> PortalLinkId {
    let now = app.clock.now();
    let id = PortalLinkId::from_uuid(crate::support::new_uuid());
    let entry = ChronologyEntry {
        id: send_domain::ChronologyEntryId::from_uuid(crate::support::new_uuid()),
        child_id: child,
        occurred_at: now,
        actor_id: None,
        kind: "test.link".to_owned(),
        summary: "Linked for the test".to_owned(),
        note: None,
    };
    app.app
        .store
        .commit(
            &Changes::new()
                .with(Write::InsertPortalLink(PortalLink {
                    id,
                    child_id: child,
                    account_id: account,
                    role,
                    status,
                    status_since: now,
                    status_by: None,
                    invitation_id: None,
                    request_id: None,
                    created_at: now,
                }))
                .with(Write::AddChronologyEntry(entry)),
        )
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    id
}

#[tokio::test]
async fn revoking_takes_effect_on_the_very_next_request_and_can_be_granted_again() {
    on_both_databases(async |app| {
        let (mut caseworker, child) = caseworker_and_child(&app).await;
        let mut parent = app.client();
        register(&app, &mut parent, PARENT).await;
        let link_id = link(
            &app,
            child,
            stranger_id(&app, PARENT).await,
            PortalRole::Parent,
            LinkStatus::Active,
        )
        .await;
        let dashboard = format!("/children/{child}/dashboard");
        assert_eq!(parent.get(&dashboard).await.status, StatusCode::OK);

        let access_page = format!("/back-office/children/{child}/portal-access");
        let revoke = format!("{access_page}/{link_id}/revoke");
        let revoked = submit(
            &mut caseworker,
            &revoke,
            &revoke,
            &[("reason", "The family asked us to")],
        )
        .await;
        assert_eq!(location(&revoked), access_page, "{}", revoked.body);
        let refused = parent.get(&dashboard).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
        assert!(!refused.body.contains("Lex"));
        assert!(!parent.get("/home").await.body.contains("Lex Example"));
        let page = caseworker.get(&access_page).await;
        assert!(page.body.contains("Revoked"));
        assert!(
            page.body.contains("Staff case@testshire.example"),
            "who revoked it"
        );

        // Revoking twice is refused with a clear page; granting again works.
        let twice = submit(
            &mut caseworker,
            &access_page,
            &revoke,
            &[("reason", "The family asked us to")],
        )
        .await;
        assert_eq!(twice.status, StatusCode::CONFLICT);
        let granted = post_button(
            &mut caseworker,
            &access_page,
            &format!("{access_page}/{link_id}/grant"),
        )
        .await;
        assert_eq!(location(&granted), access_page);
        assert_eq!(parent.get(&dashboard).await.status, StatusCode::OK);
        for action in [
            AuditAction::PortalAccessRevoked,
            AuditAction::PortalAccessGranted,
        ] {
            let events = audit(&app, action).await;
            assert_eq!(events.len(), 1, "{action:?}");
            assert_eq!(
                events[0].subject,
                Some(format!("account:{}", stranger_id(&app, PARENT).await)),
                "about the parent, so a search for them finds it"
            );
        }
        assert!(
            audit(&app, AuditAction::DashboardViewed)
                .await
                .iter()
                .any(|e| e.outcome == AuditOutcome::Refused)
        );
    })
    .await;
}

#[tokio::test]
async fn the_send_dashboard_speaks_to_its_reader() {
    on_both_databases(async |app| {
        let (mut caseworker, child) = caseworker_and_child(&app).await;
        open_assessment(&mut caseworker, child, ("2", "11", "2026")).await;
        let mut parent = app.client();
        register(&app, &mut parent, "reader@example.com").await;
        let parent_id = stranger_id(&app, "reader@example.com").await;
        link(&app, child, parent_id, PortalRole::Parent, LinkStatus::Active).await;
        let mut pat = professional(&app, "pat@oakfield.example").await;
        let pat_id = stranger_id(&app, "pat@oakfield.example").await;
        link(&app, child, pat_id, PortalRole::Professional, LinkStatus::Active).await;
        let dashboard = format!("/children/{child}/dashboard");

        // The parent: what the SEND team will do for them, by when.
        let family = parent.get(&dashboard).await;
        assert_eq!(family.status, StatusCode::OK);
        assert!(
            family.body.contains(
                "The SEND team will tell you whether they will carry out an EHC needs \
                 assessment by 14 December 2026"
            ),
            "What happens next: {}",
            family.body
        );
        assert!(family.body.contains(
            "The SEND team will send you a draft EHC plan, or tell you if they decide not to \
             issue one"
        ));
        assert!(family.body.contains("22 February 2027"), "16 weeks");
        assert!(family.body.contains("Who does what"));
        assert!(!family.body.contains("Tell the family"));
        assert!(!family.body.contains("Decide whether to carry out"));
        assert!(family.body.contains("others who know your child"));
        let home = parent.get("/home").await;
        assert!(home.body.contains("Your children"));
        assert!(!home.body.contains("Children you work with"));

        // The professional: the same dates, about the family and the child.
        let pro = pat.get(&dashboard).await;
        assert_eq!(pro.status, StatusCode::OK);
        assert!(pro.body.contains(
            "The SEND team will tell the family whether they will carry out an EHC needs \
             assessment by 14 December 2026"
        ));
        assert!(pro.body.contains(
            "The SEND team will send the family a draft EHC plan, or tell them if they decide \
             not to issue one"
        ));
        assert!(pro.body.contains("others who know the child"));
        assert!(!pro.body.contains("your child") && !pro.body.contains("Your child"));
        assert!(!pro.body.contains("Tell the family"));
        assert!(
            !pro.body.contains("Who has looked at this record"),
            "for the family only"
        );
        let home = pat.get("/home").await;
        assert!(home.body.contains("Children you work with"));
        assert!(!home.body.contains("Your children"));

        // The panels are links as a whole, each with its own.
        for (href, panel) in [
            ("messages", "Messages"),
            ("documents", "Documents to View"),
            ("forms", "Actions to Complete"),
        ] {
            assert!(
                family.body.contains(&format!(
                    "class=\"govuk-link app-dashboard-panel__link\" href=\"/children/{child}/{href}\">{panel}</a>"
                )),
                "{panel}"
            );
        }
        assert!(
            !family.body.contains("app-phone-only"),
            "no new messages, no notice"
        );
    })
    .await;
}

/// Registers a professional account.
pub async fn professional(app: &TestApp, email: &str) -> TestClient {
    let mut client = app.client();
    register_with(
        app,
        &mut client,
        &[
            ("name", "Pat Senco"),
            ("email", email),
            ("professional", "yes"),
            ("organisation", "Oakfield Primary School"),
            ("job_role", "SENCO"),
            ("work_phone", "01905 123456"),
        ],
        "/home",
    )
    .await;
    client
}

#[tokio::test]
#[expect(clippy::too_many_lines, reason = "one request matched, one declined")]
async fn a_professional_asks_for_a_child_and_the_send_team_matches_or_declines() {
    on_both_databases(async |app| {
        // Requests are dealt with by staff who work on every team's cases.
        let every_team = every_team_group(&app).await;
        let mut caseworker = staff_client(
            &app,
            "case@testshire.example",
            StaffRole::Caseworker,
            Some(DEFAULT_TEAM.0),
            &[caseworkers(), every_team],
        )
        .await;
        let child = add_child(&mut caseworker).await;
        let mut pat = professional(&app, "pat@oakfield.example").await;
        let home = pat.get("/home").await;
        assert!(home.body.contains("Add a child I work with"));

        // Mistakes: a message per field, answers kept, nothing written.
        let refused = submit(
            &mut pat,
            "/children/add",
            "/children/add",
            &[("first_name", "Alex"), ("nhs_number", "943 476 5918")],
        )
        .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        for message in [
            "Enter the child&#39;s last name",
            "The NHS number is not valid",
            "Enter your relationship to the child",
        ] {
            assert!(refused.body.contains(message), "missing {message:?}");
        }
        assert!(refused.body.contains("value=\"Alex\""));
        assert!(
            audit(&app, AuditAction::ChildLinkRequested)
                .await
                .is_empty()
        );

        let sent = submit(
            &mut pat,
            "/children/add",
            "/children/add",
            &[
                ("first_name", "Alex"),
                ("last_name", "Example"),
                ("dob-day", "14"),
                ("dob-month", "3"),
                ("dob-year", "2016"),
                ("nhs_number", "943 476 5919"),
                ("relationship", "SENCO"),
            ],
        )
        .await;
        assert_eq!(location(&sent), "/home", "{}", sent.body);
        assert!(
            pat.get("/home")
                .await
                .body
                .contains("Waiting for the SEND team")
        );

        // A parent cannot use the professionals' page.
        let mut parent = app.client();
        register(&app, &mut parent, PARENT).await;
        assert_eq!(
            parent.get("/children/add").await.status,
            StatusCode::NOT_FOUND
        );

        // The suspense list suggests the child through the one matcher: the NHS
        // number is certain, and the page says why.
        let list = caseworker.get("/back-office/portal-requests").await;
        assert!(list.body.contains("Pat Senco, Oakfield Primary School"));
        let request = app
            .app
            .store
            .child_link_requests_waiting(10)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"))[0]
            .id;
        let page_path = format!("/back-office/portal-requests/{request}");
        let page = caseworker.get(&page_path).await;
        assert!(
            page.body.contains(&format!("value=\"{child}\"")),
            "{}",
            page.body
        );
        assert!(page.body.contains("Certain match"), "{}", page.body);
        assert!(page.body.contains("same NHS number"));
        assert!(page.body.contains("same date of birth"));
        let matched = caseworker
            .post_form(
                &format!("{page_path}/match"),
                &[
                    ("csrf_token", &csrf_of(&page)),
                    ("child", &child.to_string()),
                ],
            )
            .await;
        assert_eq!(
            location(&matched),
            format!("/back-office/children/{child}/portal-access")
        );
        let (subject, _) = latest_email(&app, "pat@oakfield.example").await;
        assert_eq!(subject, "Your SEND Portal request has been accepted");
        assert_eq!(
            pat.get(&format!("/children/{child}/dashboard"))
                .await
                .status,
            StatusCode::OK
        );
        // Deciding twice is refused; nothing changes.
        let again = caseworker
            .post_form(
                &format!("{page_path}/match"),
                &[
                    ("csrf_token", &csrf_of(&page)),
                    ("child", &child.to_string()),
                ],
            )
            .await;
        assert_eq!(location(&again), page_path);
        assert_eq!(audit(&app, AuditAction::ChildLinkMatched).await.len(), 1);

        // A second request, declined with a reason the professional is told.
        submit(
            &mut pat,
            "/children/add",
            "/children/add",
            &[
                ("first_name", "Nobody"),
                ("last_name", "Known"),
                ("dob-day", "1"),
                ("dob-month", "1"),
                ("dob-year", "2015"),
                ("relationship", "Class teacher"),
            ],
        )
        .await;
        let second = app
            .app
            .store
            .child_link_requests_waiting(10)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"))[0]
            .id;
        let decline = format!("/back-office/portal-requests/{second}/decline");
        let blank = submit(&mut caseworker, &decline, &decline, &[("reason", " ")]).await;
        assert_eq!(blank.status, StatusCode::BAD_REQUEST);
        assert!(blank.body.contains("Enter the reason"));
        // A NUL (which PostgreSQL cannot store) is refused with the error summary.
        let nul = submit(
            &mut caseworker,
            &decline,
            &decline,
            &[("reason", "Not\0known")],
        )
        .await;
        assert_eq!(nul.status, StatusCode::BAD_REQUEST);
        assert!(nul.body.contains("govuk-error-summary"));
        assert!(
            nul.body
                .contains("The reason must not include invisible characters")
        );
        let declined = submit(
            &mut caseworker,
            &decline,
            &decline,
            &[("reason", "We could not find this child")],
        )
        .await;
        assert_eq!(location(&declined), "/back-office/portal-requests");
        let (_, text) = latest_email(&app, "pat@oakfield.example").await;
        assert!(text.contains("We could not find this child"));
        assert!(
            pat.get("/home")
                .await
                .body
                .contains("Declined: We could not find this child")
        );
    })
    .await;
}

/// A group that grants "Work on every team's cases", for staff who deal with
/// professionals' requests.
pub async fn every_team_group(app: &TestApp) -> PermissionGroupId {
    let group = PermissionGroup {
        id: PermissionGroupId::from_uuid(crate::support::new_uuid()),
        name: "Every team".to_owned(),
        permissions: [Permission::AllTeams].into_iter().collect(),
    };
    crate::back_office::insert_group(app, &group).await;
    group.id
}

/// Pat Senco asks for Alex Example (born 14 March 2016); returns the request.
async fn request_alex(app: &TestApp, pat: &mut TestClient) -> send_domain::ChildLinkRequestId {
    let sent = submit(
        pat,
        "/children/add",
        "/children/add",
        &[
            ("first_name", "Alex"),
            ("last_name", "Example"),
            ("dob-day", "14"),
            ("dob-month", "3"),
            ("dob-year", "2016"),
            ("nhs_number", "943 476 5919"),
            ("relationship", "SENCO"),
        ],
    )
    .await;
    assert_eq!(location(&sent), "/home", "{}", sent.body);
    app.app
        .store
        .child_link_requests_waiting(10)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))[0]
        .id
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "three members of staff, each trying every page"
)]
async fn a_professionals_request_is_seen_and_decided_only_by_staff_who_may_see_its_childs_team() {
    on_both_databases(async |app| {
        let (mut own_team, child) = caseworker_and_child(&app).await;
        let north = send_store::Team {
            id: send_domain::TeamId::from_uuid(crate::support::new_uuid()),
            name: "North team".to_owned(),
        };
        crate::back_office::insert_team(&app, &north).await;
        let mut other_team = staff_client(
            &app,
            "north@testshire.example",
            StaffRole::Caseworker,
            Some(north.id),
            &[caseworkers()],
        )
        .await;
        let every_team = every_team_group(&app).await;
        let mut intake = staff_client(
            &app,
            "intake@testshire.example",
            StaffRole::Caseworker,
            Some(north.id),
            &[caseworkers(), every_team],
        )
        .await;
        let mut pat = professional(&app, "pat@oakfield.example").await;
        let request = request_alex(&app, &mut pat).await;
        let page_path = format!("/back-office/portal-requests/{request}");
        let decline_path = format!("{page_path}/decline");
        let emails_before = app.app.store.outbox_emails(100).await.unwrap().len();

        // Caseworkers without "Work on every team's cases", of the child's team or
        // another, neither see the request nor can open or decide it.
        for (who, client) in [("own team", &mut own_team), ("other team", &mut other_team)] {
            let list = client.get("/back-office/portal-requests").await;
            assert_eq!(list.status, StatusCode::OK, "{who}");
            assert!(!list.body.contains("Pat Senco"), "{who}: {}", list.body);
            assert!(!list.body.contains(&request.to_string()), "{who}");
            let token = csrf_of(&list);
            assert_eq!(
                client.get(&page_path).await.status,
                StatusCode::NOT_FOUND,
                "{who}"
            );
            assert_eq!(
                client.get(&decline_path).await.status,
                StatusCode::NOT_FOUND,
                "{who}"
            );
            let declined = client
                .post_form(
                    &decline_path,
                    &[("csrf_token", &token), ("reason", "Not known here")],
                )
                .await;
            assert_eq!(declined.status, StatusCode::NOT_FOUND, "{who}");
            let matched = client
                .post_form(
                    &format!("{page_path}/match"),
                    &[("csrf_token", &token), ("child", &child.to_string())],
                )
                .await;
            assert_eq!(matched.status, StatusCode::NOT_FOUND, "{who}");
        }
        // Nothing written: the request still waits, nobody was emailed or linked,
        // and each refusal is in the audit log.
        let waiting = app.app.store.child_link_requests_waiting(10).await.unwrap();
        assert_eq!(waiting.len(), 1);
        assert_eq!(waiting[0].decision, None);
        assert_eq!(
            app.app.store.outbox_emails(100).await.unwrap().len(),
            emails_before
        );
        assert_eq!(
            pat.get(&format!("/children/{child}/dashboard"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let subject = format!("child_link_request:{request}");
        let refused = |events: Vec<send_domain::AuditEvent>| {
            events
                .iter()
                .filter(|e| {
                    e.outcome == AuditOutcome::Refused && e.subject.as_deref() == Some(&subject)
                })
                .count()
        };
        assert_eq!(refused(audit(&app, AuditAction::ChildLinkViewed).await), 4);
        assert_eq!(
            refused(audit(&app, AuditAction::ChildLinkDeclined).await),
            2
        );
        assert_eq!(refused(audit(&app, AuditAction::ChildLinkMatched).await), 2);
        assert!(
            audit(&app, AuditAction::ChildLinkMatched)
                .await
                .iter()
                .chain(audit(&app, AuditAction::ChildLinkDeclined).await.iter())
                .all(|e| e.outcome != AuditOutcome::Succeeded)
        );

        // Staff who work on every team's cases see it, open it and match it.
        let list = intake.get("/back-office/portal-requests").await;
        assert!(list.body.contains("Pat Senco, Oakfield Primary School"));
        let page = intake.get(&page_path).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains(&format!("value=\"{child}\"")),
            "{}",
            page.body
        );
        assert_eq!(intake.get(&decline_path).await.status, StatusCode::OK);
        let matched = intake
            .post_form(
                &format!("{page_path}/match"),
                &[
                    ("csrf_token", &csrf_of(&page)),
                    ("child", &child.to_string()),
                ],
            )
            .await;
        assert_eq!(
            location(&matched),
            format!("/back-office/children/{child}/portal-access")
        );
        assert_eq!(
            pat.get(&format!("/children/{child}/dashboard"))
                .await
                .status,
            StatusCode::OK
        );

        // Once matched, the request is the child's team's to see too; still no one else's.
        assert_eq!(own_team.get(&page_path).await.status, StatusCode::OK);
        assert_eq!(
            other_team.get(&page_path).await.status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}

/// A family's request for an assessment, arrived and proposed for `child`.
pub async fn incoming_request(app: &TestApp, child: ChildId) -> send_domain::SubmissionId {
    let form = crate::forms::builtin(app, "request_assessment_family").await;
    let id = send_domain::SubmissionId::from_uuid(crate::support::new_uuid());
    let submission = send_domain::forms::Submission {
        id,
        reference: "FRM-ACCESS22".to_owned(),
        form_id: form,
        version_number: 1,
        title: "Request an EHC needs assessment".to_owned(),
        child_id: None,
        assignment_id: None,
        submitted_by: stranger_id(app, "linked@example.com").await,
        answers: send_domain::forms::Answers::default(),
        submitted_at: app.clock.now(),
        processing: send_domain::incoming_forms::Processing::arrived(Some((
            child,
            send_domain::MatchResult {
                score: 90,
                verdict: send_domain::Verdict::Likely,
                reasons: Vec::new(),
            },
        ))),
    };
    app.app
        .store
        .commit(&send_store::Changes::new().with(send_store::Write::InsertSubmission(submission)))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    id
}

/// Who asks, in the access table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Actor {
    Anonymous,
    LinkedParent,
    OtherChildsParent,
    PendingParent,
    RevokedParent,
    LinkedProfessional,
    UnlinkedProfessional,
    Caseworker,
    /// Can view cases, but not change them or manage portal users.
    StaffWithoutPermission,
}

/// What a back-office route needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Needs {
    View,
    Change,
}

/// What the policy says an actor gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// The page (or, for a post of an empty form, its 400 with the error summary).
    Allowed,
    SignIn,
    NotFound,
    Forbidden,
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "every actor is set up before the table runs"
)]
async fn every_route_about_a_child_allows_and_refuses_as_the_policy_says() {
    use Actor::{
        Anonymous, Caseworker, LinkedParent, LinkedProfessional, OtherChildsParent, PendingParent,
        RevokedParent, StaffWithoutPermission, UnlinkedProfessional,
    };
    use Expect::{Allowed, Forbidden, NotFound, SignIn};
    on_both_databases(async |app| {
        let (mut caseworker, child) = caseworker_and_child(&app).await;
        let other_child = add_child(&mut caseworker).await;
        open_assessment(&mut caseworker, child, ("2", "11", "2026")).await;
        let (invitation, _) = invite(&app, &mut caseworker, child).await;

        let mut clients: Vec<(Actor, TestClient)> = vec![(Anonymous, app.client())];
        let mut link_of = std::collections::BTreeMap::new();
        for (actor, email, target, status) in [
            (
                LinkedParent,
                "linked@example.com",
                child,
                LinkStatus::Active,
            ),
            (
                OtherChildsParent,
                "other@example.com",
                other_child,
                LinkStatus::Active,
            ),
            (
                PendingParent,
                "pending@example.com",
                child,
                LinkStatus::Pending,
            ),
            (
                RevokedParent,
                "revoked@example.com",
                child,
                LinkStatus::Revoked,
            ),
        ] {
            let mut client = app.client();
            register(&app, &mut client, email).await;
            let id = link(
                &app,
                target,
                stranger_id(&app, email).await,
                PortalRole::Parent,
                status,
            )
            .await;
            link_of.insert(format!("{actor:?}"), id);
            clients.push((actor, client));
        }
        let linked_pro = professional(&app, "pro@example.com").await;
        link(
            &app,
            child,
            stranger_id(&app, "pro@example.com").await,
            PortalRole::Professional,
            LinkStatus::Active,
        )
        .await;
        clients.push((LinkedProfessional, linked_pro));
        clients.push((
            UnlinkedProfessional,
            professional(&app, "unlinked@example.com").await,
        ));
        let viewers = PermissionGroup {
            id: PermissionGroupId::from_uuid(crate::support::new_uuid()),
            name: "Viewers".to_owned(),
            permissions: [Permission::ViewCases].into_iter().collect(),
        };
        crate::back_office::insert_group(&app, &viewers).await;
        let viewer = staff_client(
            &app,
            "viewer@testshire.example",
            StaffRole::Caseworker,
            Some(DEFAULT_TEAM.0),
            &[viewers.id],
        )
        .await;
        clients.push((StaffWithoutPermission, viewer));
        clients.push((Caseworker, caseworker));

        let involvement = app
            .app
            .store
            .involvements_of_child(child)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"))[0]
            .id;
        let portal_pages = [
            format!("/children/{child}/dashboard"),
            format!("/children/{child}/messages"),
            format!("/children/{child}/messages/new"),
            format!("/children/{child}/documents"),
            format!("/children/{child}/forms"),
        ];
        // A form for families, sent to everyone linked: parents may open it,
        // professionals may not (it is not for them).
        let preference = crate::forms::builtin(&app, "parental_preference").await;
        let staff_access = app
            .app
            .staff_access(stranger_id(&app, "case@testshire.example").await)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"))
            .unwrap_or_else(|| panic!("staff"));
        let assignment = app
            .app
            .assign_form(
                &staff_access,
                child,
                send_app::forms::assign::NewAssignment {
                    form: preference,
                    to: send_domain::forms::AssignedTo::EveryoneLinked,
                    due: None,
                },
                &send_app::audit::Source::default(),
            )
            .await
            .unwrap_or_else(|e| panic!("{e:?}"))
            .unwrap_or_else(|e| panic!("{e:?}"));
        let incoming = incoming_request(&app, child).await;
        // A request for advice addressed to the unlinked professional: they may
        // open it and nothing else of the child's case.
        let advice = app
            .app
            .request_advice(
                &staff_access,
                involvement,
                send_app::advice::NewAdviceRequest {
                    kind: send_domain::advice::AdviceKind::Educational,
                    recipient: send_domain::ShortText::parse("Unlinked School", "who")
                        .unwrap_or_else(|e| panic!("{e:?}")),
                    email: Some(
                        send_domain::Email::parse("unlinked@example.com")
                            .unwrap_or_else(|e| panic!("{e:?}")),
                    ),
                    answer_by: send_domain::advice::AnswerBy::Upload,
                    sent_on: time::macros::date!(2026 - 11 - 16),
                },
                &send_app::audit::Source::default(),
            )
            .await
            .unwrap_or_else(|e| panic!("{e:?}"))
            .unwrap_or_else(|e| panic!("{e:?}"))
            .id;
        let family_form_pages = [
            format!("/children/{child}/forms/{preference}"),
            format!("/children/{child}/forms/{preference}/pages/preferred_setting"),
        ];
        let back_office_pages = [
            (format!("/back-office/children/{child}"), Needs::View),
            (
                format!("/back-office/children/{child}/messages"),
                Needs::View,
            ),
            (
                format!("/back-office/children/{child}/documents"),
                Needs::View,
            ),
            (format!("/back-office/children/{child}/forms"), Needs::View),
            (
                format!("/back-office/children/{child}/documents/new"),
                Needs::Change,
            ),
            (
                format!("/back-office/children/{child}/chronology"),
                Needs::View,
            ),
            (
                format!("/back-office/involvements/{involvement}"),
                Needs::View,
            ),
            (format!("/back-office/children/{child}/edit"), Needs::Change),
            (
                format!("/back-office/children/{child}/portal-access"),
                Needs::Change,
            ),
            (
                format!("/back-office/children/{child}/invitations/new"),
                Needs::Change,
            ),
            (
                format!("/back-office/invitations/{invitation}/verify"),
                Needs::Change,
            ),
            (
                format!(
                    "/back-office/children/{child}/portal-access/{}/revoke",
                    link_of["LinkedParent"]
                ),
                Needs::Change,
            ),
            (
                format!("/back-office/involvements/{involvement}/advice/new"),
                Needs::Change,
            ),
            (
                format!("/back-office/advice/{advice}/received"),
                Needs::Change,
            ),
            (
                format!("/back-office/advice/{advice}/withdraw"),
                Needs::Change,
            ),
            // The processing area needs "process forms" (viewers lack it).
            ("/back-office/incoming-forms".to_owned(), Needs::Change),
            (
                format!("/back-office/incoming-forms/{incoming}"),
                Needs::Change,
            ),
        ];
        // Posts of an empty form: allowed ones show the form's errors, write nothing.
        let back_office_posts = [
            format!("/back-office/children/{child}/forms"),
            format!("/back-office/children/{child}/invitations/new"),
            format!("/back-office/invitations/{invitation}/verify"),
            format!("/back-office/involvements/{involvement}/advice/new"),
            // Revoking without a reason, checking a stage move without a stage.
            format!(
                "/back-office/children/{child}/portal-access/{}/revoke",
                link_of["LinkedParent"]
            ),
            format!("/back-office/involvements/{involvement}/stage/check"),
        ];

        // Changes only the caseworker may make, posted as a browser would; every
        // one must be refused for everyone else, and change nothing.
        let contact = app
            .app
            .store
            .family_contacts(child)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"))[0]
            .id;
        let access = format!("/back-office/children/{child}/portal-access");
        let refused_posts: Vec<(String, Vec<(&str, &str)>)> = vec![
            (
                format!("{access}/{}/revoke", link_of["LinkedParent"]),
                vec![("reason", "Asked to by the family")],
            ),
            (
                format!("{access}/{}/grant", link_of["RevokedParent"]),
                vec![],
            ),
            (
                format!("/back-office/invitations/{invitation}/send-link"),
                vec![],
            ),
            (
                format!("/back-office/form-assignments/{assignment}/withdraw"),
                vec![],
            ),
            (
                format!("/back-office/invitations/{invitation}/withdraw"),
                vec![],
            ),
            (
                format!("/back-office/invitations/{invitation}/confirm"),
                vec![],
            ),
            (
                format!("/back-office/invitations/{invitation}/decline"),
                vec![("reason", "Not known to us")],
            ),
            (
                format!("/back-office/children/{child}/contacts/{contact}/remove"),
                vec![],
            ),
            (
                format!("/back-office/involvements/{involvement}/stage"),
                vec![
                    ("to", "decision_to_assess"),
                    ("on-day", "10"),
                    ("on-month", "11"),
                    ("on-year", "2026"),
                ],
            ),
            (
                format!("/back-office/involvements/{involvement}/stage/check"),
                vec![
                    ("to", "decision_to_assess"),
                    ("on-day", "10"),
                    ("on-month", "11"),
                    ("on-year", "2026"),
                ],
            ),
            (
                format!("/back-office/involvements/{involvement}/correct-stage"),
                vec![("reason", "Moved by mistake")],
            ),
        ];
        let child_text = child.to_string();
        let incoming_steps: Vec<(String, Vec<(&str, &str)>)> = vec![
            (
                format!("/back-office/incoming-forms/{incoming}/match"),
                vec![("version", "1"), ("child", child_text.as_str())],
            ),
            (
                format!("/back-office/incoming-forms/{incoming}/reject"),
                vec![("version", "1"), ("message", "Not ours")],
            ),
            (
                format!("/back-office/incoming-forms/{incoming}/import"),
                vec![("version", "1")],
            ),
        ];
        let mut refused_posts = refused_posts;
        refused_posts.extend(incoming_steps);
        refused_posts.push((
            format!("/back-office/advice/{advice}/withdraw"),
            vec![("version", "1"), ("reason", "Not needed")],
        ));
        refused_posts.push((
            format!("/back-office/advice/{advice}/received"),
            vec![
                ("version", "1"),
                ("on-day", "20"),
                ("on-month", "11"),
                ("on-year", "2026"),
            ],
        ));
        let before = snapshot(&app, child).await;
        for (actor, client) in &mut clients {
            let portal_expect = match actor {
                LinkedParent | LinkedProfessional => Allowed,
                Anonymous => SignIn,
                _ => NotFound,
            };
            let who = *actor;
            let office_expect = move |needs: Needs| match (who, needs) {
                (Caseworker, _) | (StaffWithoutPermission, Needs::View) => Allowed,
                (Anonymous, _) => SignIn,
                (StaffWithoutPermission, Needs::Change) => Forbidden,
                _ => NotFound,
            };
            for page in &portal_pages {
                check(client, *actor, "GET", page, portal_expect).await;
            }
            let family_expect = match actor {
                LinkedParent => Allowed,
                Anonymous => SignIn,
                _ => NotFound,
            };
            for page in &family_form_pages {
                check(client, *actor, "GET", page, family_expect).await;
            }
            for (page, needs) in &back_office_pages {
                check(client, *actor, "GET", page, office_expect(*needs)).await;
            }
            let advice_expect = match actor {
                UnlinkedProfessional => Allowed,
                Anonymous => SignIn,
                _ => NotFound,
            };
            check(
                client,
                *actor,
                "GET",
                &format!("/advice/{advice}"),
                advice_expect,
            )
            .await;
            // A post needs a form token: take one from a page this actor can open.
            let token_page = if *actor == Anonymous {
                "/sign-in"
            } else {
                "/account"
            };
            let token = csrf_of(&client.get(token_page).await);
            for action in &back_office_posts {
                let response = client.post_form(action, &[("csrf_token", &token)]).await;
                assert_outcome(
                    &response,
                    *actor,
                    "POST",
                    action,
                    office_expect(Needs::Change),
                );
            }
            if *actor != Caseworker {
                for (action, fields) in &refused_posts {
                    let mut all = vec![("csrf_token", token.as_str())];
                    all.extend(fields.iter().copied());
                    let response = client.post_form(action, &all).await;
                    assert_outcome(
                        &response,
                        *actor,
                        "POST",
                        action,
                        office_expect(Needs::Change),
                    );
                }
            }
        }
        assert_eq!(
            snapshot(&app, child).await,
            before,
            "refused requests wrote nothing"
        );
        let processing = app
            .app
            .store
            .submission(incoming)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"))
            .unwrap_or_else(|| panic!("submission"))
            .processing;
        assert_eq!(
            processing.version, 1,
            "refused processing steps wrote nothing"
        );
        let asked = app
            .app
            .store
            .advice_request(advice)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert!(
            asked.is_awaited() && asked.version == 1,
            "refused advice steps wrote nothing"
        );
        let refused = audit(&app, AuditAction::DashboardViewed).await;
        assert!(
            refused
                .iter()
                .filter(|e| e.outcome == AuditOutcome::Refused)
                .count()
                >= 5,
            "each refused dashboard is audited"
        );
    })
    .await;
}

/// What a child's case holds that a request could change.
async fn snapshot(
    app: &TestApp,
    child: ChildId,
) -> (usize, usize, Vec<LinkStatus>, usize, Vec<String>) {
    let store = &app.app.store;
    let chronology = store
        .chronology(child, 1000)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let invitations = store
        .invitations_for_child(child)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let links = store
        .portal_links_for_child(child)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let contacts = store
        .family_contacts(child)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let involvements = store
        .involvements_of_child(child)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    (
        chronology.len(),
        invitations
            .iter()
            .map(|i| i.failed_checks as usize)
            .sum::<usize>()
            + invitations.len(),
        links.iter().map(|l| l.status).collect(),
        contacts.len(),
        invitations
            .iter()
            .map(|i| i.stage().code().to_owned())
            .chain(involvements.iter().map(|i| i.stage.code().to_owned()))
            .collect(),
    )
}

async fn check(client: &mut TestClient, actor: Actor, method: &str, path: &str, expect: Expect) {
    let response = client.get(path).await;
    assert_outcome(&response, actor, method, path, expect);
}

fn assert_outcome(response: &TestResponse, actor: Actor, method: &str, path: &str, expect: Expect) {
    let what = format!("{actor:?} {method} {path}");
    match expect {
        Expect::Allowed => {
            let ok = response.status == StatusCode::OK
                || (method == "POST" && response.status == StatusCode::BAD_REQUEST);
            assert!(ok, "{what}: {}", response.status);
            assert!(
                response.body.contains("Lex"),
                "{what}: the child's name is shown"
            );
            return;
        }
        Expect::SignIn => {
            assert_eq!(response.status, StatusCode::SEE_OTHER, "{what}");
            assert_eq!(location(response), "/sign-in", "{what}");
        }
        Expect::NotFound => assert_eq!(response.status, StatusCode::NOT_FOUND, "{what}"),
        Expect::Forbidden => assert_eq!(response.status, StatusCode::FORBIDDEN, "{what}"),
    }
    for name in ["Lex", "Alex", "Example", "943 476 5919"] {
        assert!(
            !response.body.contains(name),
            "{what}: {name} in a refused page"
        );
    }
}

#[tokio::test]
async fn a_professional_may_have_only_so_many_requests_waiting_at_once() {
    on_both_databases(async |app| {
        let mut pat = professional(&app, "pat@oakfield.example").await;
        let limit = send_app::portal_access::requests::OPEN_REQUESTS_LIMIT;
        let ask = |n: usize| {
            vec![
                ("first_name", "Child".to_owned()),
                ("last_name", format!("Number{n}")),
                ("dob-day", "14".to_owned()),
                ("dob-month", "3".to_owned()),
                ("dob-year", "2016".to_owned()),
                ("relationship", "SENCO".to_owned()),
            ]
        };
        for n in 0..limit {
            let fields = ask(n);
            let borrowed: Vec<(&str, &str)> =
                fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let sent = submit(&mut pat, "/children/add", "/children/add", &borrowed).await;
            assert_eq!(location(&sent), "/home", "request {n}: {}", sent.body);
        }
        let fields = ask(limit);
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let refused = submit(&mut pat, "/children/add", "/children/add", &borrowed).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
        assert!(refused.body.contains("govuk-error-summary"));
        assert!(
            refused.body.contains(&format!(
                "You have {limit} requests waiting for the SEND team"
            )),
            "{}",
            refused.body
        );
        assert!(
            refused.body.contains(&format!("value=\"Number{limit}\"")),
            "kept"
        );
        let mine = app
            .app
            .store
            .child_link_requests_for_account(stranger_id(&app, "pat@oakfield.example").await)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(mine.len(), limit, "the refused one was not written");
    })
    .await;
}
