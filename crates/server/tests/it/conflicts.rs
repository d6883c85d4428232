//! Two people change the same record at once: exactly one change is written, and
//! the other person is told so on the page they were using, with what they typed
//! kept, never a silent overwrite (the unit of work's version guards).

use http::StatusCode;
use send_domain::{ChildId, LinkStatus, PortalRole, StaffRole, ThreadId};

use crate::accounts::{csrf_of, register};
use crate::back_office::{CHILD, caseworkers, location, open_assessment, staff_client};
use crate::portal_access::{PARENT, caseworker_and_child, link, stranger_id};
use crate::support::{TestApp, TestClient, TestResponse, on_both_databases};

const CHANGED: &str = "Someone else changed";
const WROTE_MEANWHILE: &str = "Someone else wrote in this conversation while you were writing";

/// The value of the hidden `version` field of the (first) form on a page.
fn version_of(page: &TestResponse) -> String {
    let marker = r#"name="version" value=""#;
    let start = page
        .body
        .find(marker)
        .unwrap_or_else(|| panic!("no version field in {}", page.body))
        + marker.len();
    let end = start
        + page.body[start..]
            .find('"')
            .unwrap_or_else(|| panic!("unterminated version"));
    page.body[start..end].to_owned()
}

/// A second caseworker of the same team, signed in.
async fn colleague(app: &TestApp) -> TestClient {
    staff_client(
        app,
        "colleague@testshire.example",
        StaffRole::Caseworker,
        Some(send_domain::DEFAULT_TEAM.0),
        &[caseworkers()],
    )
    .await
}

async fn stage_entries(app: &TestApp, child: ChildId) -> usize {
    app.app
        .store
        .chronology(child, 100)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .filter(|e| e.kind == "involvement.stage_changed")
        .count()
}

async fn post_stage(
    client: &mut TestClient,
    page: &TestResponse,
    action: &str,
    to: &str,
    note: &str,
) -> TestResponse {
    let csrf = csrf_of(page);
    let version = version_of(page);
    client
        .post_form(
            action,
            &[
                ("csrf_token", &csrf),
                ("version", &version),
                ("to", to),
                ("on-day", "20"),
                ("on-month", "11"),
                ("on-year", "2026"),
                ("note", note),
            ],
        )
        .await
}

#[tokio::test]
async fn two_caseworkers_move_the_same_stage_and_the_second_is_told_with_their_answers_kept() {
    on_both_databases(async |app| {
        let (mut first, child) = caseworker_and_child(&app).await;
        let page = open_assessment(&mut first, child, ("5", "10", "2026")).await;
        let mut second = colleague(&app).await;
        let action = format!("{page}/stage");

        // Both open the page at the same version.
        let seen_by_first = first.get(&page).await;
        let seen_by_second = second.get(&page).await;
        assert_eq!(version_of(&seen_by_first), version_of(&seen_by_second));

        let moved = post_stage(
            &mut first,
            &seen_by_first,
            &action,
            "decision_to_assess",
            "Panel agreed",
        )
        .await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);

        let refused = post_stage(
            &mut second,
            &seen_by_second,
            &action,
            "decision_to_assess",
            "My own note from the panel",
        )
        .await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
        assert!(refused.body.contains("govuk-error-summary"));
        assert!(refused.body.contains(CHANGED), "says so: {}", refused.body);
        assert!(
            refused.body.contains("it is now at ‘Decision to assess"),
            "says what it is now: {}",
            refused.body
        );
        assert!(
            refused.body.contains("My own note from the panel"),
            "keeps what they typed"
        );
        assert_eq!(stage_entries(&app, child).await, 1, "one change written");

        // Knowing the other change, the second caseworker can go on from it.
        let again = post_stage(
            &mut second,
            &refused,
            &action,
            "assessment_and_advice",
            "Moving on",
        )
        .await;
        assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
        assert_eq!(stage_entries(&app, child).await, 2);
    })
    .await;
}

#[tokio::test]
async fn two_caseworkers_change_a_childs_details_and_the_second_is_told_with_their_answers_kept() {
    on_both_databases(async |app| {
        let (mut first, child) = caseworker_and_child(&app).await;
        let mut second = colleague(&app).await;
        let edit = format!("/back-office/children/{child}/edit");
        let seen_by_first = first.get(&edit).await;
        let seen_by_second = second.get(&edit).await;
        assert_eq!(version_of(&seen_by_first), "1");
        assert_eq!(version_of(&seen_by_second), "1");

        let with = |page: &TestResponse, setting: &'static str| {
            let mut fields: Vec<(&str, String)> = CHILD
                .iter()
                .filter(|(k, _)| *k != "setting" && !k.starts_with("contact_"))
                .map(|(k, v)| (*k, (*v).to_owned()))
                .collect();
            fields.push(("setting", setting.to_owned()));
            fields.push(("csrf_token", csrf_of(page)));
            fields.push(("version", version_of(page)));
            fields
        };
        let post = async |client: &mut TestClient, fields: Vec<(&str, String)>| {
            let borrowed: Vec<(&str, &str)> =
                fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            client.post_form(&edit, &borrowed).await
        };

        let saved = post(&mut first, with(&seen_by_first, "Riverside Academy")).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let refused = post(&mut second, with(&seen_by_second, "Hillside School")).await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
        assert!(refused.body.contains(CHANGED), "says so: {}", refused.body);
        assert!(
            refused.body.contains("Hillside School"),
            "keeps what they typed"
        );
        assert_eq!(
            version_of(&refused),
            "2",
            "the form now carries the stored version"
        );

        let stored = app
            .app
            .store
            .child(child)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("no child"));
        assert_eq!(
            stored.setting.map(|s| s.to_string()).as_deref(),
            Some("Riverside Academy"),
            "the first change stands"
        );
        assert_eq!(stored.version, 2);
        assert_eq!(location(&saved), format!("/back-office/children/{child}"));
    })
    .await;
}

/// A thread started by the linked parent about the child; returns the caseworker,
/// the parent and the thread.
async fn conversation(app: &TestApp) -> (TestClient, TestClient, ThreadId) {
    let (mut caseworker, child) = caseworker_and_child(app).await;
    open_assessment(&mut caseworker, child, ("2", "11", "2026")).await;
    let mut parent = app.client();
    register(app, &mut parent, PARENT).await;
    link(
        app,
        child,
        stranger_id(app, PARENT).await,
        PortalRole::Parent,
        LinkStatus::Active,
    )
    .await;
    let path = format!("/children/{child}/messages/new");
    let csrf = csrf_of(&parent.get(&path).await);
    let sent = parent
        .post_multipart(
            &path,
            &[
                ("csrf_token", &csrf),
                ("message_type", "00000000-0000-4000-8000-000000000201"),
                ("subject", "School transport"),
                ("message", "Is there a place on the bus?"),
            ],
            &[],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let thread = location(&sent)
        .trim_start_matches("/messages/")
        .parse()
        .unwrap_or_else(|e| panic!("{e:?}"));
    (caseworker, parent, thread)
}

async fn message_count(app: &TestApp, thread: ThreadId) -> usize {
    app.app
        .store
        .messages(thread)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .len()
}

#[tokio::test]
async fn a_reply_written_while_someone_else_replied_is_kept_and_not_sent() {
    on_both_databases(async |app| {
        let (mut caseworker, mut parent, thread) = conversation(&app).await;
        let staff_page = format!("/back-office/messages/{thread}");
        let reply_page = format!("/messages/{thread}/reply");

        // The parent opens the reply page; meanwhile the SEND team answers.
        let parent_form = parent.get(&reply_page).await;
        let staff_form = caseworker.get(&staff_page).await;
        assert_eq!(version_of(&parent_form), version_of(&staff_form));
        app.clock.advance(time::Duration::minutes(5));
        let answered = caseworker
            .post_multipart(
                &format!("{staff_page}/reply"),
                &[
                    ("csrf_token", &csrf_of(&staff_form)),
                    ("version", &version_of(&staff_form)),
                    ("message", "Yes, from Monday"),
                ],
                &[],
            )
            .await;
        assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
        assert_eq!(message_count(&app, thread).await, 2);

        let refused = parent
            .post_multipart(
                &reply_page,
                &[
                    ("csrf_token", &csrf_of(&parent_form)),
                    ("version", &version_of(&parent_form)),
                    ("message", "Please could someone call me about it"),
                ],
                &[],
            )
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
        assert!(refused.body.contains(WROTE_MEANWHILE), "{}", refused.body);
        assert!(
            refused
                .body
                .contains("Please could someone call me about it"),
            "keeps what they typed"
        );
        assert!(
            refused.body.contains("Yes, from Monday"),
            "shows the message they had not seen"
        );
        assert_eq!(message_count(&app, thread).await, 2, "nothing sent");

        // Having read it, the parent sends their reply.
        let sent = parent
            .post_multipart(
                &reply_page,
                &[
                    ("csrf_token", &csrf_of(&refused)),
                    ("version", &version_of(&refused)),
                    ("message", "Please could someone call me about it"),
                ],
                &[],
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        assert_eq!(message_count(&app, thread).await, 3);

        // The same guard holds for the SEND team: their page is now stale.
        let stale = caseworker
            .post_multipart(
                &format!("{staff_page}/reply"),
                &[
                    ("csrf_token", &csrf_of(&staff_form)),
                    ("version", &version_of(&staff_form)),
                    ("message", "A second answer from an old page"),
                ],
                &[],
            )
            .await;
        assert_eq!(stale.status, StatusCode::BAD_REQUEST, "{}", stale.body);
        assert!(stale.body.contains(WROTE_MEANWHILE));
        assert!(stale.body.contains("A second answer from an old page"));
        assert_eq!(message_count(&app, thread).await, 3, "nothing sent");
    })
    .await;
}
