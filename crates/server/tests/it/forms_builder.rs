//! The form builder through the real pages: an author builds a form (questions
//! of several types, a condition, a route, a repeating group), publishing is
//! refused while it has problems, the author asks for approval, an approver
//! publishes version 1, later changes leave version 1 as it was, the comparison
//! lists them, and the form is retired. Building and publishing are separate
//! permissions; staff with neither and portal users never see the builder; a
//! change made on a stale page writes nothing.

use http::StatusCode;
use send_domain::forms::{Destination, Form, QuestionKey, QuestionKind, Test};
use send_domain::{
    AuditAction, AuditOutcome, DEFAULT_TEAM, FormId, Permission, PermissionGroupId, StaffRole,
    default_group,
};
use send_store::PermissionGroup;

use crate::accounts::{csrf_of, register};
use crate::back_office::{audit, caseworkers, insert_group, location, staff_client};
use crate::support::{TestApp, TestClient, TestResponse, on_both_databases};

/// A member of staff, signed in, with their session's form token.
pub struct Staffer {
    client: TestClient,
    csrf: String,
}

impl Staffer {
    pub async fn new(app: &TestApp, email: &str, groups: &[PermissionGroupId]) -> Self {
        let mut client = staff_client(
            app,
            email,
            StaffRole::Caseworker,
            Some(DEFAULT_TEAM.0),
            groups,
        )
        .await;
        let home = client.get("/back-office").await;
        let csrf = csrf_of(&home);
        Self { client, csrf }
    }

    async fn get(&mut self, path: &str) -> TestResponse {
        self.client.get(path).await
    }

    /// Posts `fields` with the form token.
    async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let mut all = vec![("csrf_token", self.csrf.as_str())];
        all.extend_from_slice(fields);
        self.client.post_form(path, &all).await
    }

    /// Opens `page`, then posts `fields` to `action` with the version the page
    /// was drawn from, as a browser would.
    async fn submit(&mut self, page: &str, action: &str, fields: &[(&str, &str)]) -> TestResponse {
        let shown = self.get(page).await;
        assert_eq!(shown.status, StatusCode::OK, "{page}: {}", shown.body);
        let version = version_of(&shown);
        let mut all = vec![("version", version.as_str())];
        all.extend_from_slice(fields);
        self.post(action, &all).await
    }
}

/// The value of the first hidden `version` field on a page.
fn version_of(page: &TestResponse) -> String {
    let marker = r#"name="version" value=""#;
    let start = page
        .body
        .find(marker)
        .unwrap_or_else(|| panic!("no version field in {}", page.body))
        + marker.len();
    let end = start + page.body[start..].find('"').unwrap_or(0);
    page.body[start..end].to_owned()
}

/// A permission group granting only `permission`.
async fn group_with(app: &TestApp, name: &str, permission: Permission) -> PermissionGroupId {
    let group = PermissionGroup {
        id: PermissionGroupId::from_uuid(crate::support::new_uuid()),
        name: name.to_owned(),
        permissions: [permission].into_iter().collect(),
    };
    insert_group(app, &group).await;
    group.id
}

/// A form author: may build forms, not publish them.
async fn author(app: &TestApp) -> Staffer {
    let authors = group_with(app, "Form authors", Permission::BuildForms).await;
    Staffer::new(app, "author@testshire.example", &[authors]).await
}

/// A portal administrator (the default group: builds and publishes).
async fn approver(app: &TestApp) -> Staffer {
    Staffer::new(
        app,
        "approver@testshire.example",
        &[default_group(StaffRole::Administrator)],
    )
    .await
}

async fn stored(app: &TestApp, id: FormId) -> Form {
    app.app
        .store
        .form(id)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .unwrap_or_else(|| panic!("no form {id}"))
}

fn base(id: FormId) -> String {
    format!("/back-office/forms/{id}")
}

fn assert_see_other(response: &TestResponse, to: &str) {
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert_eq!(location(response), to, "{}", response.body);
}

async fn create_form(staffer: &mut Staffer, title: &str) -> FormId {
    let created = staffer
        .post("/back-office/forms/new", &[("title", title)])
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    location(&created)
        .trim_start_matches("/back-office/forms/")
        .parse()
        .unwrap_or_else(|e| panic!("{e:?}"))
}

/// Chooses the type, then posts the question's settings; `place` is "",
/// "?page=p1" or "?group=q3".
async fn add_question(
    staffer: &mut Staffer,
    id: FormId,
    place: &str,
    kind: &str,
    fields: &[(&str, &str)],
) -> TestResponse {
    let chosen = staffer
        .post(
            &format!("{}/questions/new{place}", base(id)),
            &[("kind", kind)],
        )
        .await;
    let settings = format!("{}/questions/new/{kind}{place}", base(id));
    assert_see_other(&chosen, &settings);
    staffer.submit(&settings, &settings, fields).await
}

/// Chooses the question a condition (or route) tests, then posts the test.
async fn condition(
    staffer: &mut Staffer,
    first_step: &str,
    tested: &str,
    fields: &[(&str, &str)],
) -> TestResponse {
    let chosen = staffer.post(first_step, &[("question", tested)]).await;
    let second = format!("{first_step}/{tested}");
    assert_see_other(&chosen, &second);
    staffer.submit(&second, &second, fields).await
}

const SOCIAL_WORKER: &str = "Does your child have a social worker?";
const GROUP: &str = "Professionals who work with your child";

/// A sound form, built through the pages:
/// page 1: q1 yes/no; page 2: q2 short text shown when q1 is Yes;
/// page 3: q3 a repeating group of professionals holding q4 (their name);
/// a route from page 1: if q1 is No, go to page 3.
pub async fn build_sound_form(staffer: &mut Staffer, title: &str) -> FormId {
    let id = create_form(staffer, title).await;
    let form = base(id);
    for (kind, fields) in [
        ("yes_no", vec![("text", SOCIAL_WORKER), ("required", "yes")]),
        (
            "short_text",
            vec![
                ("text", "What is the social worker’s name?"),
                ("required", "yes"),
            ],
        ),
        (
            "repeating",
            vec![
                ("text", GROUP),
                ("required", "no"),
                ("item", "professional"),
                ("min_items", "0"),
                ("max_items", "5"),
            ],
        ),
    ] {
        let added = add_question(staffer, id, "", kind, &fields).await;
        assert_see_other(&added, &form);
    }
    let inner = add_question(
        staffer,
        id,
        "?group=q3",
        "short_text",
        &[("text", "Their name"), ("required", "yes")],
    )
    .await;
    assert_see_other(&inner, &form);
    let shown = condition(
        staffer,
        &format!("{form}/questions/q2/condition"),
        "q1",
        &[("test", "is"), ("value", "Yes")],
    )
    .await;
    assert_see_other(&shown, &form);
    let routed = condition(
        staffer,
        &format!("{form}/pages/p1/routes/new"),
        "q1",
        &[("test", "is"), ("value", "No"), ("to", "p3")],
    )
    .await;
    assert_see_other(&routed, &form);
    id
}

#[tokio::test]
#[expect(clippy::too_many_lines, reason = "the author's journey, step by step")]
async fn an_author_builds_a_form_publishing_waits_for_its_problems_and_approval_is_asked() {
    on_both_databases(async |app| {
        let mut author = author(&app).await;
        // The built-in forms, installed on start.
        let installed = app.app.store.forms().await.unwrap().len();
        let list = author.get("/back-office/forms").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("Create a form"));
        assert!(
            author
                .get("/back-office")
                .await
                .body
                .contains(r#"href="/back-office/forms""#),
            "the back-office home links to Forms"
        );

        // A form without a title is refused on its field, nothing written.
        let untitled = author
            .post("/back-office/forms/new", &[("title", "  ")])
            .await;
        assert_eq!(untitled.status, StatusCode::BAD_REQUEST);
        assert!(untitled.body.contains("govuk-error-summary"));
        assert!(untitled.body.contains(r##"href="#title""##));
        assert!(untitled.body.contains("Enter a title for the form"));
        assert_eq!(
            app.app.store.forms().await.unwrap().len(),
            installed,
            "no form made"
        );

        let id = create_form(&mut author, "Tell us about your child").await;
        let form = base(id);
        let opened = author.get(&form).await;
        assert!(
            opened.body.contains("The form has been created"),
            "{}",
            opened.body
        );
        assert!(opened.body.contains("Draft"));

        // A yes/no question on page 1.
        let added = add_question(
            &mut author,
            id,
            "",
            "yes_no",
            &[("text", SOCIAL_WORKER), ("required", "yes")],
        )
        .await;
        assert_see_other(&added, &form);
        let page = author.get(&form).await;
        assert!(page.body.contains("The question has been added"));
        assert!(page.body.contains(SOCIAL_WORKER));

        // A single choice with one option is refused, and what was typed kept.
        let settings = format!("{form}/questions/new/single_choice");
        let one_option = author
            .submit(
                &settings,
                &settings,
                &[
                    ("text", "Which school does your child go to?"),
                    ("required", "yes"),
                    ("options", "Oak Primary"),
                ],
            )
            .await;
        assert_eq!(
            one_option.status,
            StatusCode::BAD_REQUEST,
            "{}",
            one_option.body
        );
        assert!(
            one_option
                .body
                .contains("Enter at least 2 options, one on each line")
        );
        assert!(one_option.body.contains(r##"href="#options""##));
        assert!(
            one_option
                .body
                .contains("Which school does your child go to?")
        );
        assert!(one_option.body.contains("Oak Primary</textarea>"));
        assert_eq!(stored(&app, id).await.draft.pages.len(), 1);
        let added = author
            .submit(
                &settings,
                &settings,
                &[
                    ("text", "Which school does your child go to?"),
                    ("required", "yes"),
                    (
                        "options",
                        "Oak Primary\r\nElm Academy\r\n\r\nAnother school",
                    ),
                ],
            )
            .await;
        assert_see_other(&added, &form);

        // A date on the same page as the school, a name on a new page.
        let added = add_question(
            &mut author,
            id,
            "?page=p2",
            "date",
            &[
                ("text", "When did they start there?"),
                ("required", "no"),
                ("date_limit", "past"),
            ],
        )
        .await;
        assert_see_other(&added, &form);
        let added = add_question(
            &mut author,
            id,
            "",
            "name",
            &[("text", "Social worker’s name"), ("required", "yes")],
        )
        .await;
        assert_see_other(&added, &form);

        // A repeating group on page 4, empty for now.
        let added = add_question(
            &mut author,
            id,
            "",
            "repeating",
            &[
                ("text", GROUP),
                ("required", "no"),
                ("item", "professional"),
                ("min_items", "0"),
                ("max_items", "5"),
            ],
        )
        .await;
        assert_see_other(&added, &form);

        // The name (q4, page 3) is asked only when there is a social worker.
        let set = condition(
            &mut author,
            &format!("{form}/questions/q4/condition"),
            "q1",
            &[("test", "is"), ("value", "Yes")],
        )
        .await;
        assert_see_other(&set, &form);
        // A route after page 1: no social worker, go straight to the group.
        let routed = condition(
            &mut author,
            &format!("{form}/pages/p1/routes/new"),
            "q1",
            &[("test", "is"), ("value", "No"), ("to", "p4")],
        )
        .await;
        assert_see_other(&routed, &form);
        let page = author.get(&form).await;
        assert!(
            page.body.contains(
                "Shown only when the answer to “Does your child have a social worker?” is “Yes”"
            ),
            "{}",
            page.body
        );
        assert!(
            page.body.contains(
                "If the answer to “Does your child have a social worker?” is “No”, go to page 4 \
                 (“Professionals who work with your child”)"
            ),
            "{}",
            page.body
        );
        let draft = stored(&app, id).await.draft;
        let kinds: Vec<&str> = draft.questions().map(|q| q.kind.label()).collect();
        assert_eq!(
            kinds,
            [
                "Yes or no",
                "Single choice",
                "Date",
                "Name",
                "Repeating group"
            ]
        );
        assert_eq!(
            draft.pages[0].branches[0].to,
            Destination::Page(send_domain::forms::PageKey::new("p4"))
        );

        // The group has no questions: a problem, listed with a link to it.
        let problem =
            "Question “Professionals who work with your child” has no questions to repeat";
        assert!(page.body.contains(problem));
        let asked = author
            .submit(&form, &format!("{form}/ask-for-approval"), &[])
            .await;
        assert_eq!(asked.status, StatusCode::BAD_REQUEST, "{}", asked.body);
        assert!(
            asked
                .body
                .contains("You cannot ask for approval until these problems are fixed")
        );
        assert!(
            asked
                .body
                .contains(&format!(r#"<a href="{form}/questions/q5">{problem}</a>"#)),
            "{}",
            asked.body
        );
        assert_eq!(stored(&app, id).await.approval_requested, None);

        // An approver is refused too, with the same problems listed.
        let mut approver = approver(&app).await;
        let published = approver
            .submit(&form, &format!("{form}/publish"), &[])
            .await;
        assert_eq!(
            published.status,
            StatusCode::BAD_REQUEST,
            "{}",
            published.body
        );
        assert!(
            published
                .body
                .contains("You cannot publish the form until these problems are fixed")
        );
        assert!(
            published
                .body
                .contains(&format!(r#"<a href="{form}/questions/q5">"#))
        );
        let unpublished = stored(&app, id).await;
        assert_eq!(unpublished.live_version, None);
        assert!(
            app.app.store.form_versions(id).await.unwrap().is_empty(),
            "no version written"
        );

        // Fixed: a question in the group, then approval asked for.
        let added = add_question(
            &mut author,
            id,
            "?group=q5",
            "email",
            &[("text", "Their email address"), ("required", "no")],
        )
        .await;
        assert_see_other(&added, &form);
        let page = author.get(&form).await;
        assert!(!page.body.contains("There is a problem"), "{}", page.body);
        assert!(page.body.contains("Their email address"));
        let asked = author
            .submit(&form, &format!("{form}/ask-for-approval"), &[])
            .await;
        assert_see_other(&asked, &form);
        let page = author.get(&form).await;
        assert!(
            page.body
                .contains("You have asked for the form to be approved")
        );
        assert!(page.body.contains("Waiting for approval since"));
        let waiting = stored(&app, id).await;
        assert!(waiting.approval_requested.is_some());
        assert_eq!(waiting.live_version, None);
        let events = audit(&app, AuditAction::FormApprovalRequested).await;
        assert!(events.iter().any(|e| e.outcome == AuditOutcome::Succeeded
            && e.subject.as_deref() == Some(&format!("form:{id}"))));
        assert!(
            audit(&app, AuditAction::FormChanged).await.len() >= 8,
            "every change audited"
        );
    })
    .await;
}

#[tokio::test]
async fn an_author_without_the_publish_permission_cannot_publish_and_the_refusal_is_audited() {
    on_both_databases(async |app| {
        let mut author = author(&app).await;
        let id = build_sound_form(&mut author, "Request for an assessment").await;
        let form = base(id);
        let page = author.get(&form).await;
        assert!(page.body.contains("Ask for approval"));
        assert!(
            !page.body.contains(&format!(r#"action="{form}/publish""#)),
            "no Publish button for an author"
        );
        assert!(!page.body.contains(&format!(r#"href="{form}/retire""#)));
        let before = stored(&app, id).await;

        let refused = author.submit(&form, &format!("{form}/publish"), &[]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
        let retire = author.submit(&form, &format!("{form}/retire"), &[]).await;
        assert_eq!(retire.status, StatusCode::FORBIDDEN);
        assert_eq!(stored(&app, id).await, before, "nothing changed");
        assert!(app.app.store.form_versions(id).await.unwrap().is_empty());
        let refusals: Vec<_> = audit(&app, AuditAction::FormPublished)
            .await
            .into_iter()
            .filter(|e| e.outcome == AuditOutcome::Refused)
            .collect();
        assert_eq!(refusals.len(), 1, "{refusals:?}");
        assert_eq!(refusals[0].subject.as_deref(), Some(&*format!("form:{id}")));
        assert_eq!(refusals[0].detail.as_deref(), Some("publish refused"));
    })
    .await;
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "publish, change, compare, retire, in order"
)]
async fn an_approver_publishes_version_1_which_later_changes_leave_as_it_was() {
    on_both_databases(async |app| {
        let mut author = author(&app).await;
        let id = build_sound_form(&mut author, "Request for an assessment").await;
        let form = base(id);
        let asked = author
            .submit(&form, &format!("{form}/ask-for-approval"), &[])
            .await;
        assert_see_other(&asked, &form);

        let mut approver = approver(&app).await;
        let published = approver
            .submit(&form, &format!("{form}/publish"), &[])
            .await;
        assert_see_other(&published, &form);
        let page = approver.get(&form).await;
        assert!(
            page.body
                .contains("Version 1 of the form has been published")
        );
        assert!(page.body.contains("Version 1 is live"));
        let live = stored(&app, id).await;
        assert_eq!(live.live_version, Some(1));
        assert_eq!(live.approval_requested, None);
        let version_1 = app
            .app
            .store
            .form_version(id, 1)
            .await
            .unwrap()
            .expect("version 1");
        assert_eq!(version_1.definition, live.draft);
        let events = audit(&app, AuditAction::FormPublished).await;
        assert!(
            events.iter().any(|e| e.outcome == AuditOutcome::Succeeded
                && e.detail.as_deref() == Some("version 1"))
        );

        // Publishing again with nothing changed is refused.
        let again = approver
            .submit(&form, &format!("{form}/publish"), &[])
            .await;
        assert_eq!(again.status, StatusCode::BAD_REQUEST);
        assert!(
            again
                .body
                .contains("it is the same as the published version")
        );

        // The author changes the working copy: a question's text and options.
        let edit = format!("{form}/questions/q2");
        let changed = author
            .submit(
                &edit,
                &edit,
                &[
                    ("text", "What is their social worker called?"),
                    ("required", "no"),
                ],
            )
            .await;
        assert_see_other(&changed, &form);
        let added = add_question(
            &mut author,
            id,
            "?page=p1",
            "single_choice",
            &[
                ("text", "How did you hear about us?"),
                ("required", "yes"),
                ("options", "School\nDoctor"),
            ],
        )
        .await;
        assert_see_other(&added, &form);

        // Version 1, read back, is as it was published.
        let still = app
            .app
            .store
            .form_version(id, 1)
            .await
            .unwrap()
            .expect("version 1");
        assert_eq!(still, version_1);
        let q2 = QuestionKey::new("q2");
        assert_eq!(
            still.definition.question(&q2).map(|(_, q)| q.text.as_str()),
            Some("What is the social worker’s name?")
        );
        let draft = stored(&app, id).await;
        assert_eq!(
            draft.draft.question(&q2).map(|(_, q)| q.text.as_str()),
            Some("What is their social worker called?")
        );
        assert_eq!(draft.live_version, Some(1));

        // The comparison lists the changes.
        let compared = approver.get(&format!("{form}/compare")).await;
        assert_eq!(compared.status, StatusCode::OK);
        assert_eq!(compared.h1(), "Changes since version 1");
        for said in [
            "The question “What is the social worker’s name?” now reads “What is their social \
             worker called?”",
            "The question “What is their social worker called?” is now optional",
            "The question “How did you hear about us?” was added to page 1",
        ] {
            assert!(compared.body.contains(said), "{said}: {}", compared.body);
        }

        // The preview draws every page with the GOV.UK components.
        let preview = approver.get(&format!("{form}/preview")).await;
        assert_eq!(preview.status, StatusCode::OK);
        assert!(
            preview
                .body
                .contains(r#"class="govuk-radios govuk-radios--inline""#)
        );
        assert!(preview.body.contains(r#"name="q2""#));
        assert!(preview.body.contains("You can add up to 5 professionals"));
        assert!(preview.body.contains("Asked only when"));

        // Version 2 goes live; version 1 stays.
        let published = approver
            .submit(&form, &format!("{form}/publish"), &[])
            .await;
        assert_see_other(&published, &form);
        assert_eq!(stored(&app, id).await.live_version, Some(2));
        assert_eq!(app.app.store.form_versions(id).await.unwrap().len(), 2);

        // Retired: no longer offered; its versions stay.
        let retire_page = approver.get(&format!("{form}/retire")).await;
        assert_eq!(retire_page.status, StatusCode::OK);
        let retired = approver
            .submit(&format!("{form}/retire"), &format!("{form}/retire"), &[])
            .await;
        assert_see_other(&retired, &form);
        let gone = stored(&app, id).await;
        assert!(gone.retired_at.is_some());
        assert_eq!(gone.state().label(), "Retired");
        assert_eq!(app.app.store.form_versions(id).await.unwrap().len(), 2);
        assert!(
            app.app
                .store
                .live_form_versions()
                .await
                .unwrap()
                .iter()
                .all(|v| v.form_id != id),
            "a retired form is not offered"
        );
        let list = approver.get("/back-office/forms").await;
        assert!(list.body.contains("Retired"));
        // A retired form is not changed any more.
        let edit = format!("{form}/questions/q1");
        assert_eq!(author.get(&edit).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            audit(&app, AuditAction::FormRetired)
                .await
                .iter()
                .filter(|e| e.outcome == AuditOutcome::Succeeded)
                .count(),
            1
        );
    })
    .await;
}

#[tokio::test]
async fn a_change_made_on_a_stale_page_is_refused_and_writes_nothing() {
    on_both_databases(async |app| {
        let mut author = author(&app).await;
        let id = build_sound_form(&mut author, "Request for an assessment").await;
        let form = base(id);
        let edit = format!("{form}/questions/q2");
        let stale_edit = author.get(&edit).await;
        let stale_builder = author.get(&form).await;
        let seen = version_of(&stale_edit);

        // Someone else changes the form meanwhile.
        let mut colleague = approver(&app).await;
        let moved = colleague
            .submit(&form, &format!("{form}/pages/p2/move-down"), &[])
            .await;
        assert_see_other(&moved, &form);
        let after_colleague = stored(&app, id).await;

        // The stale question page: shown again, saying so, keeping what was typed.
        let refused = author
            .post(
                &edit,
                &[
                    ("version", &seen),
                    ("text", "A change made on an old page"),
                    ("required", "yes"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
        assert!(refused.body.contains("govuk-error-summary"));
        assert!(refused.body.contains("Someone else changed this form"));
        assert!(refused.body.contains("A change made on an old page"));
        assert_eq!(
            version_of(&refused),
            after_colleague.version.to_string(),
            "the page now carries the version the form is at"
        );
        assert_eq!(stored(&app, id).await, after_colleague, "nothing written");

        // A stale button (a move): the conflict page, nothing written.
        let refused = author
            .post(
                &format!("{form}/questions/q1/move-down"),
                &[("version", &version_of(&stale_builder))],
            )
            .await;
        assert_eq!(refused.status, StatusCode::CONFLICT);
        assert!(refused.body.contains("Someone else changed this first"));
        let refused = author
            .post(
                &format!("{form}/ask-for-approval"),
                &[("version", &version_of(&stale_builder))],
            )
            .await;
        assert_eq!(refused.status, StatusCode::CONFLICT);
        assert_eq!(stored(&app, id).await, after_colleague, "nothing written");
    })
    .await;
}

#[tokio::test]
async fn a_built_in_form_is_never_changed_in_place_and_is_copied_instead() {
    on_both_databases(async |app| {
        let mut author = author(&app).await;
        // Installed and published on start.
        let builtin = app
            .app
            .store
            .form_by_builtin("all_about_me")
            .await
            .unwrap()
            .expect("the built-in form is installed");
        let live = app
            .app
            .store
            .form_version(builtin.id, builtin.live_version.expect("published"))
            .await
            .unwrap()
            .expect("its live version");
        let form = base(builtin.id);
        let page = author.get(&form).await;
        assert!(
            page.body
                .contains("This is one of the portal’s built-in forms")
        );
        let first = live.definition.pages[0].questions[0].key.clone();
        assert!(
            !page
                .body
                .contains(&format!(r#"href="{form}/questions/{first}""#))
        );
        assert!(!page.body.contains("Ask for approval"));
        assert!(page.body.contains("Make a copy"));
        let mut approver = approver(&app).await;
        let seen_by_approver = approver.get(&form).await;
        assert!(
            !seen_by_approver
                .body
                .contains(&format!(r#"action="{form}/publish""#))
        );
        assert!(
            seen_by_approver
                .body
                .contains(&format!(r#"href="{form}/retire""#))
        );
        assert_eq!(
            author
                .get(&format!("{form}/questions/{first}"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let refused = author
            .post(
                &format!("{form}/questions/{first}/remove"),
                &[("version", &builtin.version.to_string())],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(stored(&app, builtin.id).await, builtin, "nothing changed");
        assert!(
            audit(&app, AuditAction::FormChanged)
                .await
                .iter()
                .any(|e| e.outcome == AuditOutcome::Refused
                    && e.subject.as_deref() == Some(&*format!("form:{}", builtin.id))),
            "the refusal is audited"
        );

        let copied = author.post(&format!("{form}/copy"), &[]).await;
        assert_eq!(copied.status, StatusCode::SEE_OTHER);
        let copy: FormId = location(&copied)
            .trim_start_matches("/back-office/forms/")
            .parse()
            .unwrap();
        assert_ne!(copy, builtin.id);
        let made = stored(&app, copy).await;
        assert_eq!(
            made.draft.title,
            format!("Copy of {}", live.definition.title)
        );
        assert_eq!(made.draft.pages, live.definition.pages);
        assert_eq!(made.builtin, None);
        assert_eq!(made.live_version, None);
        let page = author.get(&base(copy)).await;
        assert!(page.body.contains("This is your copy of the form"));
        assert!(
            page.body
                .contains(&format!(r#"href="{}/questions/{first}""#, base(copy)))
        );
    })
    .await;
}

#[tokio::test]
#[expect(clippy::too_many_lines, reason = "each page and button in turn")]
async fn details_headings_and_pages_are_changed_through_their_pages_and_buttons() {
    let app = TestApp::new().await;
    let mut author = author(&app).await;
    let id = build_sound_form(&mut author, "Request for an assessment").await;
    let form = base(id);
    let details = format!("{form}/details");

    // Bad details: a message on each field, what was typed kept, nothing written.
    let before = stored(&app, id).await;
    let refused = author
        .submit(
            &details,
            &details,
            &[
                ("title", "Request for an EHC needs assessment"),
                ("about_a_child", "no"),
                ("days_to_complete", "soon"),
                ("upload_max_mib", "500"),
                ("declaration", ""),
                ("next_steps", "We will be in touch."),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    // Every mistake at once: what did not parse and what the rules refuse.
    for message in [
        "Enter the number of days as a whole number, like 15",
        r##"href="#days_to_complete""##,
        "Select who the form is for",
        "Enter a size between 1 and 100 MB",
        "Enter the declaration people agree to when they submit",
    ] {
        assert!(
            refused.body.contains(message),
            "{message}: {}",
            refused.body
        );
    }
    assert!(refused.body.contains("Request for an EHC needs assessment"));
    assert_eq!(stored(&app, id).await, before);
    let refused = author
        .submit(
            &details,
            &details,
            &[
                ("title", "Request for an EHC needs assessment"),
                ("about_a_child", "no"),
                ("days_to_complete", "20"),
                ("upload_max_mib", "500"),
                ("declaration", ""),
                ("next_steps", "We will be in touch."),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    for message in [
        "Select who the form is for",
        "Enter a size between 1 and 100 MB",
        "Enter the declaration people agree to when they submit",
    ] {
        assert!(
            refused.body.contains(message),
            "{message}: {}",
            refused.body
        );
    }
    assert_eq!(stored(&app, id).await, before);
    let saved = author
        .submit(
            &details,
            &details,
            &[
                ("title", "Request for an EHC needs assessment"),
                ("audiences", "families"),
                ("audiences", "professionals"),
                ("about_a_child", "no"),
                ("days_to_complete", "20"),
                ("upload_max_mib", "10"),
                ("declaration", "I confirm this is right."),
                ("next_steps", "We will be in touch."),
            ],
        )
        .await;
    assert_see_other(&saved, &form);
    assert!(
        author
            .get(&form)
            .await
            .body
            .contains("The form’s details have been saved")
    );
    let draft = stored(&app, id).await.draft;
    assert_eq!(draft.title, "Request for an EHC needs assessment");
    assert_eq!(draft.audiences.len(), 2);
    assert!(!draft.about_a_child);
    assert_eq!((draft.days_to_complete, draft.uploads.max_mib), (20, 10));

    // A question's page shows every mistake at once too.
    let before = stored(&app, id).await;
    let settings = format!("{form}/questions/new/long_text");
    let refused = author
        .submit(
            &settings,
            &settings,
            &[("text", " "), ("required", "yes"), ("max_chars", "lots")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let summary = refused
        .body
        .find("govuk-error-summary__list")
        .map(|at| &refused.body[at..])
        .unwrap_or_default();
    let first = summary.find("Enter the question").unwrap_or(usize::MAX);
    let second = summary
        .find("Enter a whole number, like 1000")
        .unwrap_or(usize::MAX);
    assert!(first < second && second < usize::MAX, "{}", refused.body);
    assert_eq!(stored(&app, id).await, before);

    // A heading for page 2, then page 2 duplicated, moved up and removed.
    let heading = format!("{form}/pages/p2/heading");
    let saved = author
        .submit(
            &heading,
            &heading,
            &[("heading", "About the social worker")],
        )
        .await;
    assert_see_other(&saved, &form);
    let duplicated = author
        .submit(&form, &format!("{form}/pages/p2/duplicate"), &[])
        .await;
    assert_see_other(&duplicated, &form);
    let keys = |form: &Form| -> Vec<String> {
        form.draft.pages.iter().map(|p| p.key.to_string()).collect()
    };
    let after = stored(&app, id).await;
    assert_eq!(keys(&after), ["p1", "p2", "p4", "p3"]);
    assert_eq!(
        after.draft.pages[2].heading.as_deref(),
        Some("About the social worker")
    );
    assert_eq!(
        after.draft.pages[2].questions[0].key,
        QuestionKey::new("q5")
    );
    let moved = author
        .submit(&form, &format!("{form}/pages/p4/move-up"), &[])
        .await;
    assert_see_other(&moved, &form);
    assert!(
        author
            .get(&form)
            .await
            .body
            .contains("The page has been moved")
    );
    assert_eq!(keys(&stored(&app, id).await), ["p1", "p4", "p2", "p3"]);
    // The first page cannot move up: the builder page says why, nothing written.
    let before = stored(&app, id).await;
    let refused = author
        .submit(&form, &format!("{form}/pages/p1/move-up"), &[])
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("Page 1 is already the first page"));
    assert_eq!(stored(&app, id).await, before);
    let remove = format!("{form}/pages/p4/remove");
    assert!(author.get(&remove).await.body.contains("Remove page 2?"));
    let removed = author.submit(&remove, &remove, &[]).await;
    assert_see_other(&removed, &form);
    assert_eq!(keys(&stored(&app, id).await), ["p1", "p2", "p3"]);
}

/// Every builder route, for a form `id` built by [`build_sound_form`]: the
/// method and the address.
fn builder_routes(id: FormId) -> Vec<(&'static str, String)> {
    let form = base(id);
    let mut routes = vec![
        ("GET", "/back-office/forms".to_owned()),
        ("GET", "/back-office/forms/new".to_owned()),
        ("POST", "/back-office/forms/new".to_owned()),
    ];
    for (method, path) in [
        ("GET", ""),
        ("POST", "/ask-for-approval"),
        ("POST", "/publish"),
        ("GET", "/retire"),
        ("POST", "/retire"),
        ("POST", "/copy"),
        ("GET", "/details"),
        ("POST", "/details"),
        ("GET", "/preview"),
        ("GET", "/compare"),
        ("GET", "/questions/new"),
        ("POST", "/questions/new"),
        ("GET", "/questions/new/short_text"),
        ("POST", "/questions/new/short_text"),
        ("GET", "/questions/q1"),
        ("POST", "/questions/q1"),
        ("POST", "/questions/q1/move-up"),
        ("POST", "/questions/q1/move-down"),
        ("GET", "/questions/q1/remove"),
        ("POST", "/questions/q1/remove"),
        ("GET", "/questions/q3/items/q4"),
        ("POST", "/questions/q3/items/q4"),
        ("POST", "/questions/q3/items/q4/move-up"),
        ("POST", "/questions/q3/items/q4/move-down"),
        ("GET", "/questions/q3/items/q4/remove"),
        ("POST", "/questions/q3/items/q4/remove"),
        ("GET", "/questions/q2/condition"),
        ("POST", "/questions/q2/condition"),
        ("POST", "/questions/q2/condition/remove"),
        ("GET", "/questions/q2/condition/q1"),
        ("POST", "/questions/q2/condition/q1"),
        ("GET", "/pages/p2/condition"),
        ("POST", "/pages/p2/condition"),
        ("POST", "/pages/p2/condition/remove"),
        ("GET", "/pages/p2/condition/q1"),
        ("POST", "/pages/p2/condition/q1"),
        ("GET", "/pages/p1/routes/new"),
        ("POST", "/pages/p1/routes/new"),
        ("GET", "/pages/p1/routes/new/q1"),
        ("POST", "/pages/p1/routes/new/q1"),
        ("POST", "/pages/p1/routes/0/remove"),
        ("POST", "/pages/p1/move-up"),
        ("POST", "/pages/p1/move-down"),
        ("POST", "/pages/p1/duplicate"),
        ("GET", "/pages/p1/remove"),
        ("POST", "/pages/p1/remove"),
        ("GET", "/pages/p1/heading"),
        ("POST", "/pages/p1/heading"),
    ] {
        routes.push((method, format!("{form}{path}")));
    }
    routes
}

#[tokio::test]
async fn portal_users_and_staff_without_a_forms_permission_get_404_on_every_builder_route() {
    on_both_databases(async |app| {
        let mut author = author(&app).await;
        let id = build_sound_form(&mut author, "Request for an assessment").await;
        let published = app.app.store.form(id).await.unwrap().unwrap();
        let forms_before = app.app.store.forms().await.unwrap().len();

        let mut parent = app.client();
        register(&app, &mut parent, "parent@example.com").await;
        let parent_csrf = csrf_of(&parent.get("/home").await);
        let caseworker = staff_client(
            &app,
            "case@testshire.example",
            StaffRole::Caseworker,
            Some(DEFAULT_TEAM.0),
            &[caseworkers()],
        )
        .await;
        let mut caseworker = caseworker;
        let caseworker_csrf = csrf_of(&caseworker.get("/back-office").await);
        let mut anonymous = app.client();

        let version = published.version.to_string();
        for (method, path) in builder_routes(id) {
            for (who, client, csrf, expected) in [
                (
                    "portal user",
                    &mut parent,
                    parent_csrf.as_str(),
                    StatusCode::NOT_FOUND,
                ),
                (
                    "caseworker",
                    &mut caseworker,
                    caseworker_csrf.as_str(),
                    StatusCode::NOT_FOUND,
                ),
                ("anonymous", &mut anonymous, "", StatusCode::SEE_OTHER),
            ] {
                let response = if method == "GET" {
                    client.get(&path).await
                } else {
                    client
                        .post_form(
                            &path,
                            &[
                                ("csrf_token", csrf),
                                ("version", &version),
                                ("title", "Taken over"),
                                ("text", "Taken over"),
                                ("required", "yes"),
                                ("kind", "short_text"),
                                ("question", "q1"),
                                ("test", "is"),
                                ("value", "Yes"),
                                ("to", ":end"),
                            ],
                        )
                        .await
                };
                assert_eq!(response.status, expected, "{who}: {method} {path}");
                if expected == StatusCode::SEE_OTHER {
                    assert!(
                        location(&response).starts_with("/sign-in"),
                        "{who}: {method} {path}: {}",
                        location(&response)
                    );
                } else {
                    assert!(
                        !response.body.contains(SOCIAL_WORKER),
                        "{who}: {method} {path} shows nothing of the form"
                    );
                }
            }
        }
        assert_eq!(
            app.app.store.form(id).await.unwrap().unwrap(),
            published,
            "nothing changed"
        );
        assert_eq!(
            app.app.store.forms().await.unwrap().len(),
            forms_before,
            "no form made"
        );
        // The back-office home offers no Forms link to them.
        assert!(
            !caseworker
                .get("/back-office")
                .await
                .body
                .contains(r#"href="/back-office/forms""#)
        );
    })
    .await;
}

#[tokio::test]
async fn keys_in_builder_addresses_that_are_not_keys_are_404() {
    let app = TestApp::new().await;
    let mut author = author(&app).await;
    let id = build_sound_form(&mut author, "Request for an assessment").await;
    let form = base(id);
    for path in [
        format!("{form}/questions/Q1"),
        format!("{form}/questions/q99"),
        format!("{form}/questions/1q/condition"),
        format!("{form}/pages/p9/heading"),
        format!("{form}/pages/P1/condition"),
        format!("{form}/questions/new/not_a_kind"),
        format!("{form}/questions/new?page=P%201"),
        format!("{form}/questions/new?group=q1"),
        format!("{form}/questions/q2/condition/q3"),
        "/back-office/forms/not-an-id".to_owned(),
    ] {
        assert_eq!(
            author.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

#[tokio::test]
async fn removing_a_question_a_condition_tests_is_refused_naming_where() {
    let app = TestApp::new().await;
    let mut author = author(&app).await;
    let id = build_sound_form(&mut author, "Request for an assessment").await;
    let form = base(id);
    let before = stored(&app, id).await;
    let remove = format!("{form}/questions/q1/remove");
    let refused = author.submit(&remove, &remove, &[]).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert!(
        refused.body.contains(
            "You cannot remove the question “Does your child have a social worker?” because a \
             route from page 1 and the condition on the question “What is the social worker’s \
             name?” (page 2) test it"
        ),
        "{}",
        refused.body
    );
    assert_eq!(stored(&app, id).await, before);
    // Once nothing tests it, it goes (and its page with it).
    let route_removed = author
        .submit(&form, &format!("{form}/pages/p1/routes/0/remove"), &[])
        .await;
    assert_see_other(&route_removed, &form);
    let condition_removed = author
        .submit(&form, &format!("{form}/questions/q2/condition/remove"), &[])
        .await;
    assert_see_other(&condition_removed, &form);
    let removed = author.submit(&remove, &remove, &[]).await;
    assert_see_other(&removed, &form);
    let after = stored(&app, id).await;
    assert!(after.draft.question(&QuestionKey::new("q1")).is_none());
    assert_eq!(after.draft.pages.len(), 2);
    let second = after.draft.question(&QuestionKey::new("q2")).unwrap().1;
    assert_eq!(second.show_when, None);
    let Some(QuestionKind::Repeating { questions, .. }) = after
        .draft
        .question(&QuestionKey::new("q3"))
        .map(|(_, q)| q.kind.clone())
    else {
        panic!("the group stays");
    };
    assert_eq!(questions.len(), 1);
    assert!(matches!(
        before.draft.pages[0].branches[0].when.test,
        Test::Is { .. }
    ));
}

/// The builder in a real browser, with axe on every page: an author builds a
/// small form with a condition, a route and a repeating group and asks for
/// approval; an approver publishes it.
#[expect(
    clippy::too_many_lines,
    reason = "the author's, the approver's, the caseworker's and the parent's journey, step by step"
)]
async fn build_and_publish_in_a_browser(javascript: crate::support::browser::JavaScript) {
    use crate::back_office::create_staff;
    use crate::support::browser::Browser;

    let app = TestApp::new().await;
    let authors = group_with(&app, "Form authors", Permission::BuildForms).await;
    create_staff(
        &app,
        "author@testshire.example",
        StaffRole::Caseworker,
        Some(DEFAULT_TEAM.0),
        &[authors],
    )
    .await;
    create_staff(
        &app,
        "approver@testshire.example",
        StaffRole::Administrator,
        Some(DEFAULT_TEAM.0),
        &[default_group(StaffRole::Administrator)],
    )
    .await;
    // A child with a linked parent, for the published form to be sent to.
    let mut caseworker = crate::back_office::staff_client(
        &app,
        "case@testshire.example",
        StaffRole::Caseworker,
        Some(DEFAULT_TEAM.0),
        &[crate::back_office::caseworkers()],
    )
    .await;
    let child = crate::back_office::add_child(&mut caseworker).await;
    let mut parent_setup = app.client();
    crate::accounts::register(&app, &mut parent_setup, crate::portal_access::PARENT).await;
    let parent = crate::portal_access::stranger_id(&app, crate::portal_access::PARENT).await;
    crate::portal_access::link(
        &app,
        child,
        parent,
        send_domain::PortalRole::Parent,
        send_domain::LinkStatus::Active,
    )
    .await;
    let addr = app.serve().await;
    let Some(mut browser) = Browser::start(addr, javascript).await else {
        return;
    };

    crate::browser::staff_signs_in(&mut browser, &app, "author@testshire.example").await;
    browser.visit("/back-office").await;
    browser.click_link("Forms").await;
    browser.click_link("Create a form").await;
    browser.fill("title", "Tell us about your child").await;
    browser.press("Create form").await;
    assert!(
        browser
            .title()
            .await
            .starts_with("Tell us about your child")
    );

    // Page 1: yes or no.
    when_i_add_a_question(&mut browser, "yes_no").await;
    browser.fill("text", SOCIAL_WORKER).await;
    browser.click("input[name='required'][value='yes']").await;
    browser.press("Save question").await;
    // A mistake first: a single choice with one option.
    when_i_add_a_question(&mut browser, "single_choice").await;
    browser
        .fill("text", "Which school does your child go to?")
        .await;
    browser.click("input[name='required'][value='yes']").await;
    browser.fill("options", "Oak Primary").await;
    browser.press("Save question").await;
    assert!(browser.title().await.starts_with("Error: Add a question"));
    browser.fill("options", "Oak Primary\nElm Academy").await;
    browser.press("Save question").await;
    // Page 3: the group, and a question in it.
    when_i_add_a_question(&mut browser, "repeating").await;
    browser.fill("text", GROUP).await;
    browser.click("input[name='required'][value='no']").await;
    browser.fill("item", "professional").await;
    browser.press("Save question").await;
    follow(&mut browser, "a[href$='/questions/new?group=q3']").await;
    browser
        .click("input[name='kind'][value='short_text']")
        .await;
    browser.press("Continue").await;
    browser.fill("text", "Their name").await;
    browser.click("input[name='required'][value='yes']").await;
    browser.press("Save question").await;
    // The school is asked only when there is no social worker.
    follow(&mut browser, "a[href$='/questions/q2/condition']").await;
    browser.click("input[name='question'][value='q1']").await;
    browser.press("Continue").await;
    browser.click("input[name='test'][value='is']").await;
    browser.click("input[name='value'][value='No']").await;
    browser.press("Save condition").await;
    // After page 1: a social worker means straight to the group.
    follow(&mut browser, "a[href$='/pages/p1/routes/new']").await;
    browser.click("input[name='question'][value='q1']").await;
    browser.press("Continue").await;
    browser.click("input[name='test'][value='is']").await;
    browser.click("input[name='value'][value='Yes']").await;
    browser.click("input[name='to'][value='p3']").await;
    browser.press("Add route").await;
    assert!(
        browser
            .text_of(".govuk-notification-banner")
            .await
            .contains("The route has been added")
    );
    browser.click_link("Preview the form").await;
    browser.click_link("Back to the form").await;
    browser.press("Ask for approval").await;
    assert!(
        browser
            .text_of(".govuk-inset-text")
            .await
            .contains("Waiting for approval")
    );
    let form_path = browser.path().await;
    crate::browser::logs_out(&mut browser).await;

    crate::browser::staff_signs_in(&mut browser, &app, "approver@testshire.example").await;
    browser.visit("/back-office/forms").await;
    browser.click_link("Tell us about your child").await;
    browser.press("Publish").await;
    assert!(
        browser
            .text_of(".govuk-notification-banner")
            .await
            .contains("Version 1 of the form has been published")
    );
    assert_eq!(browser.path().await, form_path);
    let id: FormId = form_path
        .trim_start_matches("/back-office/forms/")
        .parse()
        .unwrap_or_else(|e| panic!("{e:?}"));
    let live = stored(&app, id).await;
    assert_eq!(live.live_version, Some(1));
    assert_eq!(live.draft.pages.len(), 3);
    assert!(live.draft.pages[1].questions[0].show_when.is_some());
    assert_eq!(live.draft.pages[0].branches.len(), 1);
    crate::browser::logs_out(&mut browser).await;

    // The caseworker sends the new form to the child's parent as an action.
    crate::browser::staff_signs_in(&mut browser, &app, "case@testshire.example").await;
    browser
        .visit(&format!("/back-office/children/{child}"))
        .await;
    browser.click_link("Forms").await;
    browser.choose("form", &id.to_string()).await;
    browser
        .click(&format!("input[name='to'][value='{parent}']"))
        .await;
    browser.click("input[name='action'][value='date']").await;
    browser.fill("due-day", "19").await;
    browser.fill("due-month", "12").await;
    browser.fill("due-year", "2026").await;
    browser.press("Send form").await;
    assert!(browser.text_of("main").await.contains("Not started"));
    crate::browser::logs_out(&mut browser).await;

    // The parent answers half, signs out, and comes back to the saved answers.
    let base = format!("/children/{child}/forms/{id}");
    crate::browser::parent_signs_in(&mut browser, &app, crate::portal_access::PARENT).await;
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
    browser.click_link("Tell us about your child").await;
    browser.click_link("Start now").await;
    browser.click("input[name='q1'][value='no']").await;
    browser.press("Continue").await;
    assert_eq!(
        browser.path().await,
        format!("{base}/pages/p2"),
        "no social worker: the school is asked"
    );
    crate::browser::logs_out(&mut browser).await;
    app.clock.advance(time::Duration::days(1));
    crate::browser::parent_signs_in(&mut browser, &app, crate::portal_access::PARENT).await;
    browser.visit(&format!("/children/{child}/forms")).await;
    browser.click_link("Tell us about your child").await;
    assert!(browser.text_of("main").await.contains("Saved on"));
    browser.click_link("Continue").await;
    assert_eq!(browser.path().await, format!("{base}/pages/p2"));
    browser.click("input[name='q2'][value='Elm Academy']").await;
    browser.press("Continue").await;
    follow(
        &mut browser,
        &format!("a[href='{base}/questions/q3/items/new']"),
    )
    .await;
    browser.fill("q4", "Dr Amara Osei").await;
    browser.press("Save and continue").await;
    browser.press("Continue").await;
    assert_eq!(browser.path().await, format!("{base}/check"));
    // A change from Check your answers comes straight back.
    follow(
        &mut browser,
        &format!("a[href='{base}/pages/p2?change=check']"),
    )
    .await;
    browser.click("input[name='q2'][value='Oak Primary']").await;
    browser.press("Continue").await;
    assert_eq!(browser.path().await, format!("{base}/check"));
    let check = browser.text_of("main").await;
    assert!(
        check.contains("Oak Primary") && check.contains("Dr Amara Osei"),
        "{check}"
    );
    browser.press("Accept and send").await;
    let main = browser.text_of("main").await;
    let start = main
        .find("FRM-")
        .unwrap_or_else(|| panic!("no reference in {main}"));
    let reference = main[start..start + 12].to_owned();
    let (subject, text) = crate::accounts::latest_email(&app, crate::portal_access::PARENT).await;
    assert!(subject.contains("We have received your form") && text.contains(&reference));
    browser.visit(&format!("/children/{child}/forms")).await;
    assert!(browser.text_of("main").await.contains("Submitted"));
    crate::browser::logs_out(&mut browser).await;

    // Submitted on the council's side too.
    crate::browser::staff_signs_in(&mut browser, &app, "case@testshire.example").await;
    browser
        .visit(&format!("/back-office/children/{child}/forms"))
        .await;
    assert!(browser.text_of("main").await.contains("Submitted"));
    browser.click_link(&format!("Read {reference}")).await;
    assert!(browser.text_of("main").await.contains("Dr Amara Osei"));
    browser.close().await;
}

/// Follows the link that matches `css` and checks the page it leads to.
async fn follow(browser: &mut crate::support::browser::Browser, css: &str) {
    browser.click(css).await;
    browser.check_accessibility().await;
}

async fn when_i_add_a_question(browser: &mut crate::support::browser::Browser, kind: &str) {
    browser.click_link("Add a question").await;
    browser
        .click(&format!("input[name='kind'][value='{kind}']"))
        .await;
    browser.press("Continue").await;
}

#[tokio::test]
async fn a_form_is_built_approved_sent_and_completed_with_javascript_on() {
    build_and_publish_in_a_browser(crate::support::browser::JavaScript::On).await;
}

#[tokio::test]
async fn a_form_is_built_approved_sent_and_completed_with_javascript_off() {
    build_and_publish_in_a_browser(crate::support::browser::JavaScript::Off).await;
}
