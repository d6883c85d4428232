//! Feedback and second thoughts: a success banner after every step that changes
//! something, the "Are you sure" page before revoking someone's access (with
//! its reason kept on the record), the confirmation before a stage move, and the
//! correction of a stage moved by mistake, with the refusals of each.

use http::StatusCode;
use send_domain::involvements::Stage;
use send_domain::{
    AuditAction, ChildId, DEFAULT_TEAM, InvolvementId, LinkStatus, Permission, PermissionGroupId,
    PortalRole, StaffRole,
};
use send_store::PermissionGroup;

use crate::accounts::{csrf_of, register, submit};
use crate::back_office::{audit, caseworkers, location, open_assessment, staff_client};
use crate::messages::{PDF, case_with_parent, new_message, upload};
use crate::portal_access::{
    PARENT, answer, caseworker_and_child, invite, link, post_button, stranger_id,
};
use crate::support::{TestApp, TestClient, TestResponse, on_both_databases};

const SUCCESS: &str = "govuk-notification-banner--success";

/// The success banner's text on `page` (panics if there is none).
fn banner(page: &TestResponse) -> String {
    let start = page
        .body
        .find(SUCCESS)
        .unwrap_or_else(|| panic!("no success banner in:\n{}", page.body));
    let rest = &page.body[start..];
    let heading = rest
        .find("govuk-notification-banner__heading\">")
        .unwrap_or_else(|| panic!("no banner heading in:\n{rest}"))
        + "govuk-notification-banner__heading\">".len();
    let end = rest[heading..].find('<').unwrap_or(0) + heading;
    rest[heading..end].trim().to_owned()
}

/// Follows a 303 and returns the page it leads to.
async fn follow(client: &mut TestClient, response: &TestResponse) -> TestResponse {
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    client.get(location(response)).await
}

/// A member of staff who may view cases but not change them.
async fn viewer(app: &TestApp) -> TestClient {
    let viewers = PermissionGroup {
        id: PermissionGroupId::from_uuid(crate::support::new_uuid()),
        name: "Viewers".to_owned(),
        permissions: [Permission::ViewCases].into_iter().collect(),
    };
    crate::back_office::insert_group(app, &viewers).await;
    staff_client(
        app,
        "viewer@testshire.example",
        StaffRole::Caseworker,
        Some(DEFAULT_TEAM.0),
        &[viewers.id],
    )
    .await
}

/// A caseworker in another team, who cannot see the child at all.
async fn other_team(app: &TestApp) -> TestClient {
    let north = send_store::Team {
        id: send_domain::TeamId::from_uuid(crate::support::new_uuid()),
        name: "North team".to_owned(),
    };
    crate::back_office::insert_team(app, &north).await;
    staff_client(
        app,
        "north@testshire.example",
        StaffRole::Caseworker,
        Some(north.id),
        &[caseworkers()],
    )
    .await
}

#[tokio::test]
async fn every_step_of_an_invitation_ends_with_a_banner_saying_what_happened() {
    on_both_databases(async |app| {
        let (mut caseworker, child) = caseworker_and_child(&app).await;
        let access_page = format!("/back-office/children/{child}/portal-access");
        let (invitation, code) = invite(&app, &mut caseworker, child).await;
        let page = caseworker.get(&access_page).await;
        assert!(
            banner(&page).starts_with("Invitation sent to Sam Example"),
            "{}",
            banner(&page)
        );
        assert!(
            !caseworker.get(&access_page).await.body.contains(SUCCESS),
            "shown once"
        );

        // The identity check names the person being checked.
        let verify = format!("/back-office/invitations/{invitation}/verify");
        let check_page = caseworker.get(&verify).await;
        assert_eq!(check_page.h1(), "Record identity check for Sam Example");
        assert!(check_page.body.contains("sam@example.com"));
        let verified = submit(
            &mut caseworker,
            &verify,
            &verify,
            &[("code", &code), ("how", "phone")],
        )
        .await;
        let page = follow(&mut caseworker, &verified).await;
        assert!(
            banner(&page).starts_with("Identity check recorded for Sam Example"),
            "{}",
            banner(&page)
        );
        let sent = post_button(
            &mut caseworker,
            &access_page,
            &format!("/back-office/invitations/{invitation}/send-link"),
        )
        .await;
        let page = follow(&mut caseworker, &sent).await;
        assert_eq!(
            banner(&page),
            "Accept Portal Invitation email sent to Sam Example"
        );
        let (_, text) = crate::accounts::latest_email(&app, PARENT).await;
        let start = text
            .find("/invitations/")
            .unwrap_or_else(|| panic!("{text}"));
        let link_path = text[start..]
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned();

        let mut parent = app.client();
        parent.get(&link_path).await;
        crate::accounts::register_with(
            &app,
            &mut parent,
            &[("name", "Sam Example"), ("email", PARENT)],
            &link_path,
        )
        .await;
        let answered = answer(&mut parent, &link_path, child, "yes").await;
        assert_eq!(location(&answered), "/home", "{}", answered.body);
        let confirmed = post_button(
            &mut caseworker,
            &access_page,
            &format!("/back-office/invitations/{invitation}/confirm"),
        )
        .await;
        let page = follow(&mut caseworker, &confirmed).await;
        assert_eq!(
            banner(&page),
            "Access confirmed. Sam Example can now see Lex Example’s SEND Dashboard"
        );
    })
    .await;
}

#[tokio::test]
async fn withdrawing_an_invitation_says_so() {
    on_both_databases(async |app| {
        let (mut caseworker, child) = caseworker_and_child(&app).await;
        let access_page = format!("/back-office/children/{child}/portal-access");
        let (invitation, _) = invite(&app, &mut caseworker, child).await;
        caseworker.get(&access_page).await;
        let withdrawn = post_button(
            &mut caseworker,
            &access_page,
            &format!("/back-office/invitations/{invitation}/withdraw"),
        )
        .await;
        let page = follow(&mut caseworker, &withdrawn).await;
        assert_eq!(banner(&page), "Invitation to Sam Example withdrawn");
    })
    .await;
}

/// A parent linked to the child directly; returns the link's page addresses.
async fn linked_parent(app: &TestApp, child: ChildId) -> (TestClient, String) {
    let mut parent = app.client();
    register(app, &mut parent, PARENT).await;
    let link_id = link(
        app,
        child,
        stranger_id(app, PARENT).await,
        PortalRole::Parent,
        LinkStatus::Active,
    )
    .await;
    (
        parent,
        format!("/back-office/children/{child}/portal-access/{link_id}"),
    )
}

#[tokio::test]
async fn revoking_asks_are_you_sure_and_keeps_the_reason_on_the_record() {
    on_both_databases(async |app| {
        let (mut caseworker, child) = caseworker_and_child(&app).await;
        let (mut parent, link_page) = linked_parent(&app, child).await;
        let revoke = format!("{link_page}/revoke");
        let access_page = format!("/back-office/children/{child}/portal-access");
        let dashboard = format!("/children/{child}/dashboard");

        // The access page links to the question; it does not revoke at once.
        let listed = caseworker.get(&access_page).await;
        assert!(listed.body.contains(&format!("href=\"{revoke}\"")));
        let page = caseworker.get(&revoke).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(
            page.h1(),
            "Jo Bloggs will no longer see Lex Example’s SEND Dashboard"
        );
        assert!(page.body.contains("Why are you revoking access?"));
        assert!(page.body.contains("govuk-button--warning"));
        assert!(page.body.contains("Revoke access"));
        assert!(
            page.body
                .contains(&format!("href=\"{access_page}\">Cancel"))
        );

        // No reason, or one too long: the error summary, what was typed, nothing changed.
        let empty = submit(&mut caseworker, &revoke, &revoke, &[("reason", "  ")]).await;
        assert_eq!(empty.status, StatusCode::BAD_REQUEST);
        assert!(empty.body.contains("govuk-error-summary"));
        assert!(empty.body.contains("Enter the reason"));
        assert!(empty.title().starts_with("Error: "));
        let long = "x".repeat(1001);
        let too_long = submit(&mut caseworker, &revoke, &revoke, &[("reason", &long)]).await;
        assert_eq!(too_long.status, StatusCode::BAD_REQUEST);
        assert!(
            too_long
                .body
                .contains("The reason must be 1,000 characters or fewer")
        );
        assert!(too_long.body.contains(&long), "what was typed is kept");
        assert_eq!(parent.get(&dashboard).await.status, StatusCode::OK);
        assert!(
            audit(&app, AuditAction::PortalAccessRevoked)
                .await
                .is_empty()
        );

        // With a reason: revoked, the reason on the chronology, the audit log and
        // the access page, and the banner says so.
        let reason = "Jo asked us to stop their access while they move house";
        let revoked = submit(&mut caseworker, &revoke, &revoke, &[("reason", reason)]).await;
        assert_eq!(location(&revoked), access_page, "{}", revoked.body);
        let page = caseworker.get(&access_page).await;
        assert_eq!(
            banner(&page),
            "Access revoked. Jo Bloggs can no longer see Lex Example’s SEND Dashboard"
        );
        assert!(page.body.contains(&format!("Reason: {reason}")));
        assert_eq!(parent.get(&dashboard).await.status, StatusCode::NOT_FOUND);
        let entries = app
            .app
            .store
            .chronology(child, 100)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let entry = entries
            .iter()
            .find(|e| e.kind == "portal_access.revoked")
            .unwrap_or_else(|| panic!("no chronology entry: {entries:?}"));
        assert_eq!(entry.note.as_deref(), Some(reason));
        let chronology = caseworker
            .get(&format!("/back-office/children/{child}/chronology"))
            .await;
        assert!(chronology.body.contains(reason));
        let events = audit(&app, AuditAction::PortalAccessRevoked).await;
        assert_eq!(events.len(), 1);
        assert!(
            events[0]
                .detail
                .as_deref()
                .is_some_and(|d| d.contains(reason)),
            "{:?}",
            events[0].detail
        );

        // Granting again says so too.
        let granted =
            post_button(&mut caseworker, &access_page, &format!("{link_page}/grant")).await;
        let page = follow(&mut caseworker, &granted).await;
        assert_eq!(
            banner(&page),
            "Jo Bloggs can see Lex Example’s SEND Dashboard again"
        );
        assert!(
            !page.body.contains("Reason: "),
            "active again: no reason shown"
        );
    })
    .await;
}

#[tokio::test]
async fn the_revoke_page_is_refused_to_those_who_may_not_manage_access() {
    on_both_databases(async |app| {
        let (mut caseworker, child) = caseworker_and_child(&app).await;
        let (mut parent, link_page) = linked_parent(&app, child).await;
        let revoke = format!("{link_page}/revoke");
        let mut viewer = viewer(&app).await;
        let mut north = other_team(&app).await;
        assert_eq!(viewer.get(&revoke).await.status, StatusCode::FORBIDDEN);
        assert_eq!(north.get(&revoke).await.status, StatusCode::NOT_FOUND);
        assert_eq!(parent.get(&revoke).await.status, StatusCode::NOT_FOUND);
        for client in [&mut viewer, &mut north] {
            let token = csrf_of(&client.get("/account").await);
            let refused = client
                .post_form(&revoke, &[("csrf_token", &token), ("reason", "No")])
                .await;
            assert!(
                matches!(
                    refused.status,
                    StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
                ),
                "{}",
                refused.status
            );
        }
        assert!(
            audit(&app, AuditAction::PortalAccessRevoked)
                .await
                .is_empty()
        );
        let page = caseworker.get(&revoke).await;
        assert_eq!(page.status, StatusCode::OK);
    })
    .await;
}

/// The involvement's id from its page's address.
fn involvement_of(page: &str) -> InvolvementId {
    page.trim_start_matches("/back-office/involvements/")
        .parse()
        .unwrap_or_else(|e| panic!("{e:?}"))
}

async fn stage_of(app: &TestApp, id: InvolvementId) -> (Stage, u32) {
    let found = app
        .app
        .store
        .involvement(id)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .unwrap_or_else(|| panic!("involvement"));
    (found.stage, found.version)
}

const MOVE: [(&str, &str); 5] = [
    ("to", "decision_to_assess"),
    ("on-day", "10"),
    ("on-month", "11"),
    ("on-year", "2026"),
    ("note", "Panel agreed"),
];

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "the move, its correction, their records"
)]
async fn a_stage_move_is_confirmed_first_and_a_mistaken_one_can_be_corrected() {
    on_both_databases(async |app| {
        // The clock says 23 November 2026; the request came on 5 October.
        let (mut caseworker, child) = caseworker_and_child(&app).await;
        let page = open_assessment(&mut caseworker, child, ("5", "10", "2026")).await;
        let id = involvement_of(&page);
        let shown = caseworker.get(&page).await;
        assert!(
            shown
                .body
                .contains(&format!("action=\"{page}/stage/check\""))
        );
        assert!(!shown.body.contains("Correct a stage moved by mistake"));

        // A wrong answer is shown on the involvement page, nothing written.
        let check = format!("{page}/stage/check");
        let wrong = submit(
            &mut caseworker,
            &page,
            &check,
            &[("to", "decision_to_assess")],
        )
        .await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
        assert!(wrong.body.contains("govuk-error-summary"));

        // The confirmation says what follows; nothing is written yet.
        let confirm = submit(&mut caseworker, &page, &check, &MOVE).await;
        assert_eq!(confirm.status, StatusCode::OK, "{}", confirm.body);
        assert_eq!(
            confirm.h1(),
            "Move Lex Example’s EHC needs assessment to ‘Decision to assess’?"
        );
        assert!(confirm.body.contains("It is at ‘Request received’ now"));
        assert!(confirm.body.contains("from 10 November 2026"));
        assert!(confirm.body.contains("Key dates that change"));
        assert!(confirm.body.contains("Missed by 7 days"), "as it is now");
        assert!(confirm.body.contains("Met on 10 November 2026"), "after");
        assert!(confirm.body.contains(&format!("action=\"{page}/stage\"")));
        assert!(confirm.body.contains("value=\"Panel agreed\""));
        assert!(confirm.body.contains(&format!("href=\"{page}\">Cancel")));
        assert_eq!(stage_of(&app, id).await, (Stage::RequestReceived, 1));
        assert!(
            audit(&app, AuditAction::InvolvementStageChanged)
                .await
                .is_empty()
        );

        // "Move stage" posts the same answers: moved, and the banner says so.
        let mut fields = vec![
            ("csrf_token", csrf_of(&confirm)),
            ("version", "1".to_owned()),
        ];
        fields.extend(MOVE.iter().map(|(k, v)| (*k, (*v).to_owned())));
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let moved = caseworker
            .post_form(&format!("{page}/stage"), &fields)
            .await;
        let shown = follow(&mut caseworker, &moved).await;
        assert_eq!(
            banner(&shown),
            "Stage moved to ‘Decision to assess’ on 10 November 2026"
        );
        assert_eq!(stage_of(&app, id).await, (Stage::DecisionToAssess, 2));
        assert!(shown.body.contains("Correct a stage moved by mistake"));

        // The correction asks for a reason and says what goes back.
        let correct = format!("{page}/correct-stage");
        let asked = caseworker.get(&correct).await;
        assert_eq!(asked.status, StatusCode::OK);
        assert_eq!(
            asked.h1(),
            "Put Lex Example’s EHC needs assessment back to ‘Request received’?"
        );
        assert!(
            asked
                .body
                .contains("The move to ‘Decision to assess’ on 10 November 2026")
        );
        let empty = submit(&mut caseworker, &correct, &correct, &[("reason", "")]).await;
        assert_eq!(empty.status, StatusCode::BAD_REQUEST);
        assert!(empty.body.contains("govuk-error-summary"));
        assert!(empty.body.contains("Enter the reason"));
        assert_eq!(stage_of(&app, id).await, (Stage::DecisionToAssess, 2));

        let reason = "The panel has not met yet: this was the decision on another case";
        let corrected = submit(&mut caseworker, &correct, &correct, &[("reason", reason)]).await;
        let shown = follow(&mut caseworker, &corrected).await;
        assert_eq!(
            banner(&shown),
            "Stage corrected. It is back at ‘Request received’"
        );
        assert_eq!(stage_of(&app, id).await.0, Stage::RequestReceived);
        assert!(
            shown.body.contains("Missed by 7 days"),
            "the deadline it met is open again"
        );
        assert!(!shown.body.contains("Correct a stage moved by mistake"));

        // Both the move and its correction are on the chronology, and audited.
        let entries = app
            .app
            .store
            .chronology(child, 100)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert!(
            entries
                .iter()
                .any(|e| e.kind == "involvement.stage_changed")
        );
        let correction = entries
            .iter()
            .find(|e| e.kind == "involvement.stage_corrected")
            .unwrap_or_else(|| panic!("{entries:?}"));
        assert_eq!(correction.note.as_deref(), Some(reason));
        assert!(
            correction
                .summary
                .contains("move to Decision to assess corrected, back to Request received"),
            "{}",
            correction.summary
        );
        let chronology = caseworker
            .get(&format!("/back-office/children/{child}/chronology"))
            .await;
        assert!(chronology.body.contains(reason));
        let events = audit(&app, AuditAction::InvolvementStageChanged).await;
        assert_eq!(events.len(), 2, "the move and its correction");
        assert!(events.iter().any(|e| {
            e.detail
                .as_deref()
                .is_some_and(|d| d.starts_with("corrected:"))
        }));

        // Only once: the page then says there is nothing to correct.
        let again = caseworker.get(&correct).await;
        assert_eq!(location(&again), page);
        let shown = caseworker.get(&page).await;
        assert!(shown.body.contains("There is no stage move to correct"));
    })
    .await;
}

#[tokio::test]
async fn the_stage_confirmation_says_which_deadline_a_draft_plan_ends() {
    let app = TestApp::new().await;
    let (mut caseworker, child) = caseworker_and_child(&app).await;
    let page = open_assessment(&mut caseworker, child, ("5", "10", "2026")).await;
    let stage = format!("{page}/stage");
    for (version, to, day) in [
        ("1", "decision_to_assess", "10"),
        ("2", "assessment_and_advice", "11"),
    ] {
        let moved = submit(
            &mut caseworker,
            &page,
            &stage,
            &[
                ("version", version),
                ("to", to),
                ("on-day", day),
                ("on-month", "11"),
                ("on-year", "2026"),
            ],
        )
        .await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    }
    let confirm = submit(
        &mut caseworker,
        &page,
        &format!("{page}/stage/check"),
        &[
            ("to", "draft_plan"),
            ("on-day", "20"),
            ("on-month", "11"),
            ("on-year", "2026"),
        ],
    )
    .await;
    assert_eq!(confirm.status, StatusCode::OK, "{}", confirm.body);
    // Each row is the deadline it names: the draft plan is the decision to
    // issue one, so the 16-week deadline for a decision not to no longer applies,
    // and the final plan's date stays where it was.
    let row = |title: &str| {
        let start = confirm
            .body
            .find(title)
            .unwrap_or_else(|| panic!("no row {title:?} in {}", confirm.body));
        let rest = &confirm.body[start..];
        rest[..rest.find("</div>").unwrap_or(rest.len())].to_owned()
    };
    let body = confirm.body.replace("&#x27;", "'").replace("&#39;", "'");
    assert!(
        row("Tell the family if the council decides not to issue a plan")
            .contains("no longer applies"),
        "{body}"
    );
    assert!(
        !body.contains("Issue the final EHC plan"),
        "unchanged: {body}"
    );
}

#[tokio::test]
async fn checking_and_correcting_a_stage_are_refused_without_edit_access() {
    on_both_databases(async |app| {
        let (mut caseworker, child) = caseworker_and_child(&app).await;
        let page = open_assessment(&mut caseworker, child, ("5", "10", "2026")).await;
        let id = involvement_of(&page);
        let moved = submit(&mut caseworker, &page, &format!("{page}/stage"), &MOVE).await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
        let (mut parent, _) = linked_parent(&app, child).await;
        let mut viewer = viewer(&app).await;
        let mut north = other_team(&app).await;
        let correct = format!("{page}/correct-stage");
        assert_eq!(viewer.get(&correct).await.status, StatusCode::FORBIDDEN);
        assert_eq!(north.get(&correct).await.status, StatusCode::NOT_FOUND);
        assert_ne!(parent.get(&correct).await.status, StatusCode::OK);
        for (client, expected) in [
            (&mut viewer, StatusCode::FORBIDDEN),
            (&mut north, StatusCode::NOT_FOUND),
        ] {
            let token = csrf_of(&client.get("/account").await);
            let refused = client
                .post_form(&correct, &[("csrf_token", &token), ("reason", "Mistake")])
                .await;
            assert_eq!(refused.status, expected);
            let mut fields = vec![("csrf_token", token.as_str())];
            fields.extend(MOVE.iter().copied());
            let refused = client
                .post_form(&format!("{page}/stage/check"), &fields)
                .await;
            assert_eq!(refused.status, expected);
        }
        assert_eq!(stage_of(&app, id).await, (Stage::DecisionToAssess, 2));
    })
    .await;
}

#[tokio::test]
async fn adding_a_contact_returns_where_you_came_from_and_offers_an_invitation() {
    on_both_databases(async |app| {
        let (mut caseworker, child) = caseworker_and_child(&app).await;
        let child_page = format!("/back-office/children/{child}");
        let access_page = format!("{child_page}/portal-access");
        let new = format!("{child_page}/contacts/new");

        // From the Portal access page: back there, with the banner.
        let from_access = format!("{new}?from=portal-access");
        let form = caseworker.get(&from_access).await;
        assert!(
            form.body.contains(&format!("href=\"{access_page}\"")),
            "back link"
        );
        let added = submit(
            &mut caseworker,
            &from_access,
            &new,
            &[
                ("from", "portal-access"),
                ("contact_name", "Kim Example"),
                ("contact_relationship", "Grandparent"),
                ("contact_email", "kim@example.com"),
            ],
        )
        .await;
        assert_eq!(location(&added), access_page, "{}", added.body);
        let page = caseworker.get(&access_page).await;
        assert_eq!(
            banner(&page),
            "Kim Example added as a family contact. You can now invite them to the portal"
        );

        // From the child's record: back there, with the banner and an invitation link.
        let added = submit(
            &mut caseworker,
            &new,
            &new,
            &[
                ("contact_name", "Jo Example"),
                ("contact_relationship", "Aunt"),
                ("contact_email", "jo@example.com"),
            ],
        )
        .await;
        assert_eq!(location(&added), child_page, "{}", added.body);
        let page = caseworker.get(&child_page).await;
        assert!(banner(&page).starts_with("Jo Example added as a family contact"));
        let jo = app
            .app
            .store
            .family_contacts(child)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"))
            .into_iter()
            .find(|c| c.name.as_str() == "Jo Example")
            .unwrap_or_else(|| panic!("Jo"));
        let invite = format!("{child_page}/invitations/new?contact={}", jo.id);
        assert!(page.body.contains(&format!("href=\"{invite}\"")));
        let chosen = caseworker.get(&invite).await;
        assert!(
            chosen
                .body
                .contains(&format!("value=\"{}\" checked", jo.id)),
            "the contact is chosen"
        );

        // An address of its own is never followed: only the two known places.
        let odd = submit(
            &mut caseworker,
            &new,
            &new,
            &[
                ("from", "https://example.net/"),
                ("contact_name", "Lee Example"),
                ("contact_relationship", "Uncle"),
            ],
        )
        .await;
        assert_eq!(location(&odd), child_page);
    })
    .await;
}

#[tokio::test]
async fn sharing_a_document_and_sending_a_message_say_so() {
    on_both_databases(async |app| {
        let (mut caseworker, child, mut parent) = case_with_parent(&app).await;
        let added = upload(&mut caseworker, child, "letter.pdf", PDF, "all").await;
        let page = follow(&mut caseworker, &added).await;
        assert_eq!(
            banner(&page),
            "“Decision to assess letter” added. Everyone linked to the child can see it in the portal"
        );
        let document = app
            .app
            .store
            .documents_of_child(child)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"))[0]
            .id;
        let sharing = format!("/back-office/documents/{document}/sharing");
        let changed = submit(&mut caseworker, &sharing, &sharing, &[("share", "nobody")]).await;
        let page = follow(&mut caseworker, &changed).await;
        assert_eq!(
            banner(&page),
            "Sharing of “Decision to assess letter” saved. It is not shared in the portal"
        );

        // A message sent from the portal, and the SEND team's reply.
        let thread = new_message(&mut parent, child, "Transport").await;
        let shown = parent.get(&format!("/messages/{thread}")).await;
        assert_eq!(
            banner(&shown),
            "Your message has been sent. The SEND team aims to reply within 5 working days."
        );
        let conversation = format!("/back-office/messages/{thread}");
        let page = caseworker.get(&conversation).await;
        let replied = caseworker
            .post_multipart(
                &format!("{conversation}/reply"),
                &[
                    ("csrf_token", &csrf_of(&page)),
                    ("message", "We will call you tomorrow"),
                ],
                &[],
            )
            .await;
        let page = follow(&mut caseworker, &replied).await;
        assert_eq!(banner(&page), "Your reply has been sent");
    })
    .await;
}
