//! Incoming forms through the real pages: a parent's request for an assessment
//! arrives in the processing area matched to the child, a caseworker confirms
//! it, copies only the details they choose and imports it, which opens the
//! assessment from the day the request arrived; a request for an unknown child
//! waits in suspense until a new record is made from it; a rejection sends its
//! message; importing twice changes nothing; and a member of staff who does not
//! process forms is refused everything.

use http::StatusCode;
use send_domain::forms::{AddressAnswer, Answer, Answers, FormDraft, QuestionKey};
use send_domain::incoming_forms::ProcessingStatus;
use send_domain::involvements::InvolvementKind;
use send_domain::{
    AuditAction, ChildId, Clock, DEFAULT_TEAM, FileKind, Permission, PermissionGroupId, StaffRole,
    StoredFile, SubmissionId,
};
use send_store::{Changes, PermissionGroup, Write};
use time::Duration;
use time::macros::date;

use crate::accounts::{csrf_of, latest_email, register};
use crate::back_office::{audit, location, staff_client, staff_sign_in};
use crate::forms::builtin;
use crate::portal_access::{caseworker_and_child, stranger_id};
use crate::support::{TestApp, TestClient, on_both_databases};

const REQUEST: &str = "request_assessment_family";
const DAD: &str = "chris@example.com";
const CASEWORKER: &str = "case@testshire.example";

fn name(first: &str, last: &str) -> Answer {
    Answer::Name {
        first: first.to_owned(),
        last: last.to_owned(),
    }
}

fn text(value: &str) -> Answer {
    Answer::Text(value.to_owned())
}

/// A family's whole request, as a parent answers it: about `child` (first,
/// last), born `born`, living at `line_1` in WR1 2PG, from Chris Example.
fn request_answers(child: (&str, &str), born: time::Date, line_1: &str) -> Answers {
    let mut answers = Answers::default();
    let mut set = |key: &str, answer: Answer| answers.set(QuestionKey::new(key), Some(answer));
    set("relationship", Answer::Choice("Parent".to_owned()));
    set("child_name", name(child.0, child.1));
    set("child_date_of_birth", Answer::Date(born));
    set(
        "child_address",
        Answer::Address(AddressAnswer {
            line_1: line_1.to_owned(),
            line_2: String::new(),
            town: "Worcester".to_owned(),
            postcode: "WR1 2PG".to_owned(),
        }),
    );
    set("attends_setting", Answer::YesNo(true));
    set("setting_name", text("Oakfield Primary School"));
    set("your_name", name("Chris", "Example"));
    set("email", Answer::Email(DAD.to_owned()));
    set("phone", Answer::NotAnswered);
    set("parental_responsibility", Answer::YesNo(true));
    set("consent_to_share", Answer::YesNo(true));
    set(
        "areas_of_need",
        Answer::Choices(vec!["Communicating and getting on with others".to_owned()]),
    );
    set("finds_hard", text("Busy places and changes to routine."));
    set("what_helps", text("A visual timetable."));
    set("professionals_involved", Answer::YesNo(false));
    set(
        "reports",
        Answer::Files(vec![StoredFile {
            key: "2026/11/23/report".to_owned(),
            name: "Speech therapy report.pdf".to_owned(),
            kind: FileKind::Pdf,
            size: 1234,
            sha256: "a".repeat(64),
        }]),
    );
    set("anything_else", Answer::NotAnswered);
    answers
}

/// A parent (registered as [`DAD`]) sends the request with these answers
/// through Check your answers; returns the submission.
async fn parent_sends_request(app: &TestApp, answers: Answers) -> SubmissionId {
    let form = builtin(app, REQUEST).await;
    let mut parent = app.client();
    register(app, &mut parent, DAD).await;
    let author = stranger_id(app, DAD).await;
    let version = app
        .app
        .store
        .form(form)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .and_then(|f| f.live_version)
        .unwrap_or_else(|| panic!("published"));
    let now = app.clock.now();
    app.app
        .store
        .commit(&Changes::new().with(Write::SaveFormDraft(FormDraft {
            form_id: form,
            child_id: None,
            author,
            version_number: version,
            answers,
            assignment_id: None,
            started_at: now,
            saved_at: now,
        })))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let check = parent.get(&format!("/forms/{form}/check")).await;
    assert_eq!(check.status, StatusCode::OK, "{}", check.body);
    let sent = parent
        .post_form(
            &format!("/forms/{form}/check"),
            &[("csrf_token", &csrf_of(&check))],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    location(&sent)
        .trim_start_matches("/submitted/")
        .parse()
        .unwrap_or_else(|e| panic!("{e:?}: {}", location(&sent)))
}

async fn submission(app: &TestApp, id: SubmissionId) -> send_domain::forms::Submission {
    app.app
        .store
        .submission(id)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("stored"))
}

/// Posts a step from the submission's page with its token, version and fields.
async fn step(
    client: &mut TestClient,
    id: SubmissionId,
    action: &str,
    fields: &[(&str, &str)],
) -> crate::support::TestResponse {
    let page = client
        .get(&format!("/back-office/incoming-forms/{id}"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let version = page
        .body
        .split("name=\"version\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("1")
        .to_owned();
    let mut all = vec![("csrf_token", csrf_of(&page)), ("version", version)];
    all.extend(fields.iter().map(|(k, v)| (*k, (*v).to_owned())));
    let borrowed: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
    client
        .post_form(
            &format!("/back-office/incoming-forms/{id}/{action}"),
            &borrowed,
        )
        .await
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "one request from arrival to import, in order"
)]
async fn a_parents_request_is_matched_confirmed_and_imported_opening_the_assessment() {
    on_both_databases(async |app| {
        let (_, child) = caseworker_and_child(&app).await;
        let arrived = app.clock.now();
        // The child on record is Alex Example, born 14 March 2016, at WR1 2PG.
        let id = parent_sends_request(
            &app,
            request_answers(("Alex", "Exampel"), date!(2016 - 03 - 14), "3 New Road"),
        )
        .await;
        let sent = submission(&app, id).await;
        assert_eq!(sent.processing.status, ProcessingStatus::Matched);
        assert_eq!(sent.processing.child_id, Some(child), "proposed");
        assert!(!sent.processing.confirmed);
        assert_eq!(sent.child_id, None, "not on the record until imported");

        // Three days later the caseworker finds it from the back-office home.
        app.clock.advance(Duration::days(3));
        let mut caseworker = staff_sign_in(&app, CASEWORKER).await;
        let home = caseworker.get("/back-office").await;
        assert!(
            home.body.contains("/back-office/incoming-forms") && home.body.contains("1 waiting"),
            "{}",
            home.body
        );
        let team = caseworker.get("/back-office/caseload?scope=team").await;
        assert!(
            team.body.contains(
                "<strong>1</strong> <a class=\"govuk-link\" href=\"/back-office/incoming-forms\">"
            ),
            "the team's caseload counts it: {}",
            team.body
        );
        let area = caseworker.get("/back-office/incoming-forms").await;
        assert!(area.body.contains("Request an EHC needs assessment"));
        assert!(area.body.contains("Proposed: Lex Example"), "{}", area.body);
        assert!(area.body.contains("Waiting: 3 days"));
        let page = caseworker
            .get(&format!("/back-office/incoming-forms/{id}"))
            .await;
        assert!(page.body.contains("Proposed match"), "{}", page.body);
        assert!(page.body.contains("Likely match"));
        assert!(page.body.contains("same date of birth"));
        assert!(page.body.contains("surname differs by one letter"));

        // Confirming moves it on; a second confirm from the old page is refused.
        let confirmed = step(
            &mut caseworker,
            id,
            "match",
            &[("child", &child.to_string())],
        )
        .await;
        assert_eq!(
            location(&confirmed),
            format!("/back-office/incoming-forms/{id}?done=matched")
        );
        let stale = caseworker
            .post_form(
                &format!("/back-office/incoming-forms/{id}/match"),
                &[
                    ("csrf_token", &csrf_of(&page)),
                    ("version", "1"),
                    ("child", &child.to_string()),
                ],
            )
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);

        // Both sides of each differing detail; only the address is chosen.
        let page = caseworker
            .get(&format!("/back-office/incoming-forms/{id}?done=matched"))
            .await;
        assert!(page.body.contains("Child confirmed"), "{}", page.body);
        assert!(page.body.contains("Details that differ from the record"));
        assert!(page.body.contains("value=\"last_name\""));
        assert!(page.body.contains("value=\"address\""));
        assert!(page.body.contains("3 New Road, Worcester, WR1 2PG"));
        let imported = step(&mut caseworker, id, "import", &[("update", "address")]).await;
        assert_eq!(imported.status, StatusCode::SEE_OTHER, "{}", imported.body);
        assert!(
            location(&imported).contains("done=imported&contact="),
            "the sender can be invited: {}",
            location(&imported)
        );
        let done = caseworker.get(location(&imported)).await;
        assert!(done.body.contains("Form imported"), "{}", done.body);
        assert!(
            done.body.contains("Invite Chris Example to the portal"),
            "{}",
            done.body
        );

        // Only the chosen detail changed; the change is on the chronology.
        let record = app
            .app
            .store
            .child(child)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("child"));
        assert_eq!(record.legal_last_name.as_str(), "Example", "not chosen");
        assert_eq!(
            record.address.line_1.as_ref().map(ToString::to_string),
            Some("3 New Road".to_owned())
        );
        let chronology = app
            .app
            .store
            .chronology(child, 50)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let summaries: Vec<&str> = chronology.iter().map(|e| e.summary.as_str()).collect();
        assert!(
            summaries
                .iter()
                .any(|s| s.starts_with("Child's details updated from form FRM-")
                    && s.ends_with(": Address")),
            "{summaries:?}"
        );
        assert!(
            summaries
                .iter()
                .any(|s| s.starts_with("Request an EHC needs assessment from Jo Bloggs added")),
            "{summaries:?}"
        );

        // The assessment counts from the day the request arrived, not the import.
        let involvements = app
            .app
            .store
            .involvements_of_child(child)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(involvements.len(), 1);
        let assessment = &involvements[0];
        assert_eq!(assessment.kind, InvolvementKind::Assessment);
        let view = app
            .app
            .view_of(assessment.clone())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let final_plan = view
            .key_dates
            .iter()
            .find(|k| k.rule.code == "final_plan")
            .and_then(|k| k.due)
            .unwrap_or_else(|| panic!("a final plan date"));
        assert_eq!(final_plan, arrived.date() + Duration::weeks(20));
        let stored = submission(&app, id).await;
        assert_eq!(stored.processing.status, ProcessingStatus::Imported);
        assert_eq!(
            stored.child_id,
            Some(child),
            "now under the child's access rules"
        );
        assert_eq!(stored.processing.involvement_id, Some(assessment.id));

        // Its file is a document on the record, shared with no one.
        let documents = app
            .app
            .store
            .documents_of_child(child)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            documents
                .iter()
                .any(|d| d.file.name == "Speech therapy report.pdf"
                    && d.sharing == send_domain::Sharing::NotShared),
            "{documents:?}"
        );

        // The sender is told it was received, and from which date it counts.
        let (subject, body) = latest_email(&app, DAD).await;
        assert_eq!(subject, "Your request for an EHC needs assessment");
        assert!(body.contains("23 November 2026"), "{body}");

        // Importing again changes nothing.
        let again = caseworker
            .post_form(
                &format!("/back-office/incoming-forms/{id}/import"),
                &[("csrf_token", &csrf_of(&done)), ("version", "3")],
            )
            .await;
        assert_eq!(
            location(&again),
            format!("/back-office/incoming-forms/{id}?done=already")
        );
        assert_eq!(
            app.app
                .store
                .involvements_of_child(child)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .len(),
            1
        );
        assert_eq!(audit(&app, AuditAction::SubmissionImported).await.len(), 1);
        // The decision on the differing details is audited with what was copied.
        assert!(
            audit(&app, AuditAction::ChildUpdated)
                .await
                .iter()
                .any(|e| e.detail.as_deref().is_some_and(|d| d
                    .starts_with("from submission FRM-")
                    && d.ends_with(": Address"))),
            "the conflict decision is audited"
        );
        assert_eq!(audit(&app, AuditAction::SubmissionMatched).await.len(), 1);
        assert_eq!(submission(&app, id).await.processing.version, 3);
    })
    .await;
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "one request from suspense to a new record, in order"
)]
async fn a_request_for_an_unknown_child_waits_in_suspense_until_a_record_is_made_from_it() {
    on_both_databases(async |app| {
        let (mut caseworker, known) = caseworker_and_child(&app).await;
        let id = parent_sends_request(
            &app,
            request_answers(("Maya", "Okonkwo"), date!(2019 - 07 - 02), "8 Mill Lane"),
        )
        .await;
        let sent = submission(&app, id).await;
        assert_eq!(sent.processing.status, ProcessingStatus::Suspense);
        let area = caseworker
            .get("/back-office/incoming-forms?status=suspense")
            .await;
        assert!(area.body.contains("Maya Okonkwo"), "{}", area.body);
        assert!(area.body.contains("No likely match") || area.body.contains("Possible match"));

        // The new child's form is filled from the request.
        let form = caseworker
            .get(&format!("/back-office/incoming-forms/{id}/new-child"))
            .await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        for value in [
            "Maya",
            "Okonkwo",
            "8 Mill Lane",
            "WR1 2PG",
            "Chris Example",
            DAD,
        ] {
            assert!(form.body.contains(&format!("value=\"{value}\"")), "{value}");
        }
        // Checked like any new child: a missing sex is an error, and what was typed stays.
        let fields = [
            ("first_name", "Maya"),
            ("last_name", "Okonkwo"),
            ("dob-day", "2"),
            ("dob-month", "7"),
            ("dob-year", "2019"),
            ("address_line_1", "8 Mill Lane"),
            ("town", "Worcester"),
            ("postcode", "WR1 2PG"),
            ("contact_name", "Chris Example"),
            ("contact_relationship", "Father"),
            ("contact_email", DAD),
            ("processing_version", "1"),
        ];
        let token = csrf_of(&form);
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend(fields);
        let refused = caseworker
            .post_form(&format!("/back-office/incoming-forms/{id}/new-child"), &all)
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
        assert!(refused.body.contains("govuk-error-summary"));
        assert!(refused.body.contains("value=\"Okonkwo\""));
        assert_eq!(
            submission(&app, id).await.processing.status,
            ProcessingStatus::Suspense,
            "nothing written"
        );
        all.push(("sex", "F"));
        let created = caseworker
            .post_form(&format!("/back-office/incoming-forms/{id}/new-child"), &all)
            .await;
        assert_eq!(
            location(&created),
            format!("/back-office/incoming-forms/{id}?done=created"),
            "{}",
            created.body
        );
        let settled = submission(&app, id).await;
        let new_child: ChildId = settled
            .processing
            .child_id
            .unwrap_or_else(|| panic!("child"));
        assert_ne!(new_child, known);
        assert!(
            audit(&app, AuditAction::ChildCreated)
                .await
                .iter()
                .any(|e| e.child_id == Some(new_child)),
            "the creation is audited"
        );
        assert!(
            audit(&app, AuditAction::SubmissionMatched)
                .await
                .iter()
                .any(|e| e
                    .detail
                    .as_deref()
                    .is_some_and(|d| d.contains("a new child's record"))),
            "and the match to it"
        );
        assert!(settled.processing.confirmed);
        let imported = step(&mut caseworker, id, "import", &[]).await;
        assert!(
            location(&imported).contains("done=imported"),
            "{}",
            imported.body
        );
        let record = app
            .app
            .store
            .child(new_child)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("child"));
        assert_eq!(record.display_name(), "Maya Okonkwo");
        assert_eq!(
            submission(&app, id).await.processing.status,
            ProcessingStatus::Imported
        );
    })
    .await;
}

#[tokio::test]
async fn a_rejection_needs_a_message_and_sends_it_to_the_sender() {
    on_both_databases(async |app| {
        let (mut caseworker, _) = caseworker_and_child(&app).await;
        let id = parent_sends_request(
            &app,
            request_answers(("Maya", "Okonkwo"), date!(2019 - 07 - 02), "8 Mill Lane"),
        )
        .await;
        app.clock.advance(Duration::minutes(1));
        let page = caseworker
            .get(&format!("/back-office/incoming-forms/{id}/reject"))
            .await;
        let token = csrf_of(&page);
        let empty = caseworker
            .post_form(
                &format!("/back-office/incoming-forms/{id}/reject"),
                &[("csrf_token", &token), ("version", "1"), ("message", " ")],
            )
            .await;
        assert_eq!(empty.status, StatusCode::BAD_REQUEST);
        assert!(
            empty
                .body
                .contains("Enter a message to the person who sent the form")
        );
        let message = "We already have a request for Maya from her school. We will contact you.";
        let rejected = caseworker
            .post_form(
                &format!("/back-office/incoming-forms/{id}/reject"),
                &[
                    ("csrf_token", &token),
                    ("version", "1"),
                    ("message", message),
                ],
            )
            .await;
        assert_eq!(
            location(&rejected),
            format!("/back-office/incoming-forms/{id}?done=rejected")
        );
        let (subject, body) = latest_email(&app, DAD).await;
        assert!(subject.contains("could not accept your form"), "{subject}");
        assert!(body.contains(message), "{body}");
        let stored = submission(&app, id).await;
        assert_eq!(stored.processing.status, ProcessingStatus::Rejected);
        assert_eq!(stored.processing.message.as_deref(), Some(message));
        assert_eq!(audit(&app, AuditAction::SubmissionRejected).await.len(), 1);
        // Rejected is final: it is no longer in the waiting list.
        let area = caseworker.get("/back-office/incoming-forms").await;
        assert!(area.body.contains("No forms are waiting"), "{}", area.body);
    })
    .await;
}

#[tokio::test]
async fn staff_who_do_not_process_forms_cannot_see_the_area_or_act_on_a_submission() {
    on_both_databases(async |app| {
        let (_, child) = caseworker_and_child(&app).await;
        let id = parent_sends_request(
            &app,
            request_answers(("Alex", "Example"), date!(2016 - 03 - 14), "3 New Road"),
        )
        .await;
        let viewers = PermissionGroup {
            id: PermissionGroupId::from_uuid(crate::support::new_uuid()),
            name: "Case editors".to_owned(),
            permissions: [Permission::ViewCases, Permission::EditCases]
                .into_iter()
                .collect(),
        };
        crate::back_office::insert_group(&app, &viewers).await;
        let mut editor = staff_client(
            &app,
            "editor@testshire.example",
            StaffRole::Caseworker,
            Some(DEFAULT_TEAM.0),
            &[viewers.id],
        )
        .await;
        let home = editor.get("/back-office").await;
        assert!(!home.body.contains("/back-office/incoming-forms"));
        for page in [
            "/back-office/incoming-forms".to_owned(),
            format!("/back-office/incoming-forms/{id}"),
            format!("/back-office/incoming-forms/{id}/reject"),
            format!("/back-office/incoming-forms/{id}/new-child"),
        ] {
            assert_eq!(
                editor.get(&page).await.status,
                StatusCode::FORBIDDEN,
                "{page}"
            );
        }
        let token = csrf_of(&editor.get("/account").await);
        for (action, fields) in [
            ("match", vec![("child", child.to_string())]),
            ("reject", vec![("message", "No".to_owned())]),
            ("import", vec![]),
        ] {
            let mut all = vec![("csrf_token", token.clone()), ("version", "1".to_owned())];
            all.extend(fields);
            let borrowed: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let response = editor
                .post_form(
                    &format!("/back-office/incoming-forms/{id}/{action}"),
                    &borrowed,
                )
                .await;
            assert_eq!(response.status, StatusCode::FORBIDDEN, "{action}");
        }
        let stored = submission(&app, id).await;
        assert_eq!(stored.processing.version, 1, "nothing written");
        assert_eq!(stored.processing.status, ProcessingStatus::Matched);
        let refused = audit(&app, AuditAction::SubmissionRead).await;
        assert!(
            refused
                .iter()
                .any(|e| e.outcome == send_domain::AuditOutcome::Refused),
            "refusals are audited"
        );
        // The parent who sent it never sees the processing area either.
        let mut parent = app.client();
        crate::accounts::sign_in(&app, &mut parent, DAD, crate::accounts::PASSWORD).await;
        assert_ne!(
            parent.get("/back-office/incoming-forms").await.status,
            StatusCode::OK
        );
    })
    .await;
}

#[tokio::test]
async fn the_demo_has_a_request_proposed_for_a_child_and_one_in_suspense() {
    on_both_databases(async |app| {
        app.app
            .load_demo_data()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let waiting = app
            .app
            .store
            .processing_queue(&send_store::ProcessingQuery {
                statuses: vec![ProcessingStatus::Matched, ProcessingStatus::Suspense],
                limit: 10,
                ..send_store::ProcessingQuery::default()
            })
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let statuses: Vec<ProcessingStatus> = waiting.iter().map(|s| s.processing.status).collect();
        assert_eq!(
            statuses,
            [ProcessingStatus::Matched, ProcessingStatus::Suspense],
            "oldest first: Sam Senco's, then Pat Parent's"
        );
        let proposed = waiting[0]
            .processing
            .child_id
            .unwrap_or_else(|| panic!("a proposal"));
        let oliver = app
            .app
            .store
            .child(proposed)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("child"));
        assert_eq!(oliver.display_name(), "Oliver Brown");
    })
    .await;
}

/// The caseworker's processing journey in Chromium, axe on every page: from the
/// back-office home to the waiting request, confirm the proposed child, choose
/// the address to copy, import; and the request in suspense made into a new
/// child's record.
async fn processing_journey(javascript: crate::support::browser::JavaScript) {
    use crate::browser::staff_signs_in;
    use crate::support::browser::Browser;

    let app = TestApp::new().await;
    let (_, child) = caseworker_and_child(&app).await;
    let id = parent_sends_request(
        &app,
        request_answers(("Alex", "Exampel"), date!(2016 - 03 - 14), "3 New Road"),
    )
    .await;
    let addr = app.serve().await;
    let Some(mut browser) = Browser::start(addr, javascript).await else {
        return;
    };
    staff_signs_in(&mut browser, &app, CASEWORKER).await;
    browser.visit("/back-office").await;
    browser.click_link("Incoming forms").await;
    browser.click_link("Request an EHC needs assessment").await;
    assert_eq!(
        browser.path().await,
        format!("/back-office/incoming-forms/{id}")
    );
    let main = browser.text_of("main").await;
    assert!(main.contains("Proposed match"), "{main}");
    browser.press("Confirm this is Lex Example").await;
    let main = browser.text_of("main").await;
    assert!(main.contains("Child confirmed"), "{main}");
    browser.click("#update-address").await;
    browser.press("Import onto Lex Example’s record").await;
    let main = browser.text_of("main").await;
    assert!(main.contains("Form imported"), "{main}");
    browser.click_link("Lex Example’s record").await;
    assert_eq!(
        browser.path().await,
        format!("/back-office/children/{child}")
    );
    browser.close().await;
}

#[tokio::test]
async fn the_processing_journey_passes_axe_with_javascript_on() {
    processing_journey(crate::support::browser::JavaScript::On).await;
}

#[tokio::test]
async fn the_processing_journey_passes_axe_with_javascript_off() {
    processing_journey(crate::support::browser::JavaScript::Off).await;
}
