//! Forms through the real pages: the SEND team sends a published form to a
//! parent as an action; the parent finds it under Actions to Complete, answers
//! part of it, comes back in a new session to the saved answers, changes one
//! from Check your answers and submits; the receipt carries the reference and
//! never the answers; both sides see it submitted; the SEND team reads it. And
//! everyone who must be refused.

use http::StatusCode;
use send_app::audit::Source;
use send_app::forms::assign::NewAssignment;
use send_domain::Clock;
use send_domain::forms::{
    AssignedTo, Form, FormDefinition, FormVersion, Page, PageKey, Question, QuestionKey,
    QuestionKind,
};
use send_domain::{AuditAction, ChildId, FileKind, FormId, LinkStatus, PortalRole};
use send_store::{Changes, Write};

use crate::accounts::{PASSWORD, csrf_of, latest_email, register, sign_in};
use crate::back_office::{audit, location};
use crate::messages::case_with_parent;
use crate::portal_access::{PARENT, link, stranger_id};
use crate::support::{TestApp, TestClient, on_both_databases};

const PREFERENCE: &str = "parental_preference";

pub async fn builtin(app: &TestApp, code: &str) -> FormId {
    app.app
        .store
        .form_by_builtin(code)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("built-in {code} not installed"))
        .id
}

/// Posts a page's form with its token and these fields.
async fn answer(
    client: &mut TestClient,
    page: &str,
    fields: &[(&str, &str)],
) -> crate::support::client::TestResponse {
    let shown = client.get(page).await;
    assert_eq!(shown.status, StatusCode::OK, "{page}: {}", shown.body);
    let token = csrf_of(&shown);
    let mut all = vec![("csrf_token", token.as_str())];
    all.extend_from_slice(fields);
    client.post_form(page, &all).await
}

/// The caseworker sends the preference form to the parent, due on 19 12 2026.
pub async fn send_preference(app: &TestApp, caseworker: &mut TestClient, child: ChildId) -> FormId {
    let form = builtin(app, PREFERENCE).await;
    let parent = stranger_id(app, PARENT).await;
    let page = format!("/back-office/children/{child}/forms");
    let sent = answer(
        caseworker,
        &page,
        &[
            ("form", &form.to_string()),
            ("to", &parent.to_string()),
            ("action", "date"),
            ("due-day", "19"),
            ("due-month", "12"),
            ("due-year", "2026"),
        ],
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let listed = caseworker.get(&format!("{page}?sent=form")).await;
    assert!(listed.body.contains("Form sent"), "{}", listed.body);
    assert!(listed.body.contains("Parental Preference Form"));
    assert!(listed.body.contains("Not started"));
    form
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "one family's journey through a form, in order"
)]
async fn a_parent_completes_a_form_sent_as_an_action_with_save_and_return() {
    on_both_databases(async |app| {
        let (mut caseworker, child, mut parent) = case_with_parent(&app).await;
        let form = send_preference(&app, &mut caseworker, child).await;
        let (subject, text) = latest_email(&app, PARENT).await;
        assert!(subject.contains("sent you a form"), "{subject}");
        assert!(
            text.contains("Parental Preference Form") && text.contains("19 December 2026"),
            "{text}"
        );

        // The dashboard lists it under Actions to Complete, with its due date.
        let dashboard = parent.get(&format!("/children/{child}/dashboard")).await;
        assert!(
            dashboard.body.contains("Parental Preference Form"),
            "{}",
            dashboard.body
        );
        assert!(dashboard.body.contains("Complete by 19 December 2026"));
        let base = format!("/children/{child}/forms/{form}");
        assert!(dashboard.body.contains(&format!("href=\"{base}\"")));

        let start = parent.get(&base).await;
        assert!(start.body.contains("Start now"), "{}", start.body);
        // A page further on cannot be opened before the ones before it.
        let skipped = parent.get(&format!("{base}/pages/reasons")).await;
        assert_eq!(
            location(&skipped),
            format!("{base}/pages/preferred_setting")
        );

        // Bad input: the error summary, what was typed kept, nothing saved.
        let token = csrf_of(&start);
        let jumped = parent
            .post_form(
                &format!("{base}/pages/setting_type"),
                &[("csrf_token", &token), ("setting_type", "Special school")],
            )
            .await;
        assert_eq!(
            jumped.status,
            StatusCode::NOT_FOUND,
            "an answer to a page not reached yet is refused"
        );
        let empty = answer(
            &mut parent,
            &format!("{base}/pages/preferred_setting"),
            &[("preferred_setting", "  ")],
        )
        .await;
        assert_eq!(empty.status, StatusCode::BAD_REQUEST);
        assert!(
            empty.body.contains("govuk-error-summary") && empty.body.contains("Enter an answer")
        );
        assert!(
            app.app
                .store
                .form_draft(form, Some(child), stranger_id(&app, PARENT).await)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .is_none()
        );

        let first = answer(
            &mut parent,
            &format!("{base}/pages/preferred_setting"),
            &[("preferred_setting", "Oakfield Primary, Leeds")],
        )
        .await;
        assert_eq!(location(&first), format!("{base}/pages/setting_type"));
        let long = "x".repeat(201);
        let too_long = answer(
            &mut parent,
            &format!("{base}/pages/setting_type"),
            &[("setting_type", "Other")],
        )
        .await;
        assert_eq!(
            location(&too_long),
            format!("{base}/pages/setting_type_other"),
            "Other shows the page that asks what"
        );
        let kept = answer(
            &mut parent,
            &format!("{base}/pages/setting_type_other"),
            &[("setting_type_other", &long)],
        )
        .await;
        assert_eq!(kept.status, StatusCode::BAD_REQUEST);
        assert!(kept.body.contains(&long), "what was typed is kept");

        // Signed out and back days later: the answers are there, and the form
        // goes on from the first unanswered page.
        app.clock.advance(time::Duration::days(2));
        let mut again = app.client();
        sign_in(&app, &mut again, PARENT, PASSWORD).await;
        let back = again.get(&base).await;
        assert!(back.body.contains("Saved on"), "{}", back.body);
        assert!(
            back.body
                .contains(&format!("href=\"{base}/pages/setting_type_other\"")),
            "{}",
            back.body
        );
        let page = again.get(&format!("{base}/pages/preferred_setting")).await;
        assert!(
            page.body.contains("Oakfield Primary, Leeds"),
            "saved answer shown"
        );

        let changed = answer(
            &mut again,
            &format!("{base}/pages/setting_type"),
            &[("setting_type", "Special school")],
        )
        .await;
        assert_eq!(
            location(&changed),
            format!("{base}/pages/reasons"),
            "the Other page is no longer on the route"
        );
        answer(
            &mut again,
            &format!("{base}/pages/reasons"),
            &[("reasons", "It is close to home and has a speech therapist.")],
        )
        .await;
        let visited = answer(
            &mut again,
            &format!("{base}/pages/visited_settings"),
            &[("visited_settings", "yes")],
        )
        .await;
        assert_eq!(location(&visited), format!("{base}/pages/settings"));
        // The repeating group: at least one setting, added on its own page.
        let none = answer(&mut again, &format!("{base}/pages/settings"), &[]).await;
        assert_eq!(none.status, StatusCode::BAD_REQUEST);
        assert!(
            none.body.contains("Add at least 1 setting"),
            "{}",
            none.body
        );
        for name in ["Oakfield Primary", "Beech Hill School"] {
            let added = answer(
                &mut again,
                &format!("{base}/questions/settings/items/new"),
                &[("setting_name", name), ("visited", "yes")],
            )
            .await;
            assert_eq!(
                location(&added),
                format!("{base}/pages/settings"),
                "{}",
                added.body
            );
        }
        let listed = again.get(&format!("{base}/pages/settings")).await;
        assert!(listed.body.contains("Setting 2") && listed.body.contains("Beech Hill School"));
        let removed = crate::portal_access::post_button(
            &mut again,
            &format!("{base}/pages/settings"),
            &format!("{base}/questions/settings/items/1/remove"),
        )
        .await;
        assert_eq!(removed.status, StatusCode::SEE_OTHER);
        let next = answer(&mut again, &format!("{base}/pages/settings"), &[]).await;
        assert_eq!(location(&next), format!("{base}/pages/anything_else"));
        let last = answer(&mut again, &format!("{base}/pages/anything_else"), &[]).await;
        assert_eq!(location(&last), format!("{base}/check"));

        // Check your answers; change one and come straight back.
        let check = again.get(&format!("{base}/check")).await;
        assert!(check.body.contains("Special school") && check.body.contains("Oakfield Primary"));
        assert!(
            !check.body.contains("Beech Hill School"),
            "the removed item is gone"
        );
        assert!(
            !check.body.contains(&long),
            "an answer off the route is not shown"
        );
        let change = format!("{base}/pages/preferred_setting?change=check");
        assert!(
            check.body.contains(&change.replace('&', "&amp;")),
            "{}",
            check.body
        );
        let shown = again.get(&change).await;
        let token = csrf_of(&shown);
        let changed = again
            .post_form(
                &format!("{base}/pages/preferred_setting"),
                &[
                    ("csrf_token", &token),
                    ("return", "check"),
                    ("preferred_setting", "Beech Hill School, Leeds"),
                ],
            )
            .await;
        assert_eq!(location(&changed), format!("{base}/check"));

        let token = csrf_of(&again.get(&format!("{base}/check")).await);
        let sent = again
            .post_form(&format!("{base}/check"), &[("csrf_token", &token)])
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let confirmation = again.get(location(&sent)).await;
        assert!(
            confirmation.body.contains("Form sent"),
            "{}",
            confirmation.body
        );
        let reference_start = confirmation
            .body
            .find("FRM-")
            .unwrap_or_else(|| panic!("no reference"));
        let reference = &confirmation.body[reference_start..reference_start + 12];

        let (subject, text) = latest_email(&app, PARENT).await;
        assert!(subject.contains("We have received your form"), "{subject}");
        assert!(text.contains(reference), "{text}");
        assert!(!text.contains("Beech Hill"), "never the answers: {text}");

        // Both sides see it submitted; it leaves Actions to Complete.
        let dashboard = again.get(&format!("/children/{child}/dashboard")).await;
        assert!(
            dashboard
                .body
                .contains("There is nothing for you to do at the moment."),
            "{}",
            dashboard.body
        );
        let forms = again.get(&format!("/children/{child}/forms")).await;
        assert!(forms.body.contains("Submitted"));
        // Two days on, the caseworker signs in again too.
        let mut caseworker =
            crate::back_office::staff_sign_in(&app, "case@testshire.example").await;
        let council = caseworker
            .get(&format!("/back-office/children/{child}/forms"))
            .await;
        assert!(
            council.body.contains("Submitted") && council.body.contains(reference),
            "{}",
            council.body
        );
        let href_start = council
            .body
            .find("/back-office/submissions/")
            .unwrap_or_else(|| panic!("no link"));
        let href = &council.body[href_start..href_start + "/back-office/submissions/".len() + 36];
        let read = caseworker.get(href).await;
        assert_eq!(read.status, StatusCode::OK);
        assert!(
            read.body.contains("Beech Hill School, Leeds")
                && read.body.contains("It is close to home")
        );
        assert!(
            read.body.contains("Oakfield Primary"),
            "the group's item is in the record"
        );

        // A submitted form cannot be sent again from the same answers.
        let gone = again.get(&format!("{base}/check")).await;
        assert_ne!(gone.status, StatusCode::OK, "the action is done");

        for action in [
            AuditAction::FormOpened,
            AuditAction::FormAnswersSaved,
            AuditAction::FormSubmitted,
            AuditAction::SubmissionRead,
            AuditAction::FormAssigned,
        ] {
            assert!(!audit(&app, action).await.is_empty(), "{action:?} audited");
        }
    })
    .await;
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "each person who must be refused, in turn"
)]
async fn only_the_people_a_form_was_given_to_may_open_save_or_submit_it() {
    on_both_databases(async |app| {
        let (mut caseworker, child, mut parent) = case_with_parent(&app).await;
        let form = send_preference(&app, &mut caseworker, child).await;
        let base = format!("/children/{child}/forms/{form}");
        answer(
            &mut parent,
            &format!("{base}/pages/preferred_setting"),
            &[("preferred_setting", "Oakfield")],
        )
        .await;

        // Another parent, linked to the child, but the form was sent to the first one.
        let other = "other.parent@example.com";
        let mut second = app.client();
        register(&app, &mut second, other).await;
        link(
            &app,
            child,
            stranger_id(&app, other).await,
            PortalRole::Parent,
            LinkStatus::Active,
        )
        .await;
        assert_eq!(second.get(&base).await.status, StatusCode::NOT_FOUND);
        let token = csrf_of(&second.get(&format!("/children/{child}/dashboard")).await);
        let save = second
            .post_form(
                &format!("{base}/pages/preferred_setting"),
                &[("csrf_token", &token), ("preferred_setting", "Elsewhere")],
            )
            .await;
        assert_eq!(save.status, StatusCode::NOT_FOUND);
        let submit = second
            .post_form(&format!("{base}/check"), &[("csrf_token", &token)])
            .await;
        assert_eq!(submit.status, StatusCode::NOT_FOUND);

        // Sent to everyone linked, the second parent has their own answers, never the first's.
        let everyone = app
            .app
            .store
            .form_assignments_for_children(&[child])
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(everyone.len(), 1);
        let staff = app
            .app
            .staff_access(stranger_id(&app, "case@testshire.example").await)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("staff"));
        app.app
            .assign_form(
                &staff,
                child,
                send_app::forms::assign::NewAssignment {
                    form,
                    to: AssignedTo::EveryoneLinked,
                    due: None,
                },
                &send_app::audit::Source::default(),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|e| panic!("{e}"));
        let own = second.get(&format!("{base}/pages/preferred_setting")).await;
        assert_eq!(own.status, StatusCode::OK);
        assert!(
            !own.body.contains("Oakfield"),
            "another person's saved answers are never shown"
        );

        // A stranger, a pending link and a revoked link are all refused.
        let stranger = "stranger@example.com";
        let mut outsider = app.client();
        register(&app, &mut outsider, stranger).await;
        assert_eq!(outsider.get(&base).await.status, StatusCode::NOT_FOUND);
        let pending = "pending@example.com";
        let mut waiting = app.client();
        register(&app, &mut waiting, pending).await;
        link(
            &app,
            child,
            stranger_id(&app, pending).await,
            PortalRole::Parent,
            LinkStatus::Pending,
        )
        .await;
        assert_eq!(waiting.get(&base).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            waiting
                .get(&format!("/children/{child}/forms"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        // Revoking the first parent's access hides the form and their saved answers at once.
        let parent_id = stranger_id(&app, PARENT).await;
        let link_row = app
            .app
            .store
            .portal_link(child, parent_id)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("link"));
        let mut revoked = link_row.clone();
        revoked.status = LinkStatus::Revoked;
        app.app
            .store
            .commit(
                &send_store::Changes::new().with(send_store::Write::UpdatePortalLink {
                    link: revoked,
                    expected: LinkStatus::Active,
                }),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(parent.get(&base).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            parent
                .get(&format!("{base}/pages/preferred_setting"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        // Refusals are audited.
        let refused = audit(&app, AuditAction::FormOpened).await;
        assert!(
            refused
                .iter()
                .any(|e| e.outcome == send_domain::AuditOutcome::Refused)
        );
    })
    .await;
}

#[tokio::test]
async fn submissions_are_read_only_by_staff_who_may_see_the_child() {
    on_both_databases(async |app| {
        let (mut caseworker, child, mut parent) = case_with_parent(&app).await;
        let form = send_preference(&app, &mut caseworker, child).await;
        let base = format!("/children/{child}/forms/{form}");
        answer(
            &mut parent,
            &format!("{base}/pages/preferred_setting"),
            &[("preferred_setting", "Oakfield")],
        )
        .await;
        answer(
            &mut parent,
            &format!("{base}/pages/setting_type"),
            &[("setting_type", "Special school")],
        )
        .await;
        answer(
            &mut parent,
            &format!("{base}/pages/reasons"),
            &[("reasons", "Near")],
        )
        .await;
        answer(
            &mut parent,
            &format!("{base}/pages/visited_settings"),
            &[("visited_settings", "no")],
        )
        .await;
        let last = answer(&mut parent, &format!("{base}/pages/anything_else"), &[]).await;
        assert_eq!(
            location(&last),
            format!("{base}/check"),
            "No skips the settings list"
        );
        let token = csrf_of(&parent.get(&format!("{base}/check")).await);
        let sent = parent
            .post_form(&format!("{base}/check"), &[("csrf_token", &token)])
            .await;
        let id = location(&sent).trim_start_matches("/submitted/").to_owned();
        let path = format!("/back-office/submissions/{id}");
        assert_eq!(caseworker.get(&path).await.status, StatusCode::OK);
        assert!(
            caseworker
                .get("/back-office/submissions")
                .await
                .body
                .contains("Parental Preference Form")
        );

        // A portal user never reaches the back office's copy, not even the author.
        assert_eq!(parent.get(&path).await.status, StatusCode::NOT_FOUND);
        // Staff in another team cannot read it, nor see it listed.
        let team = send_store::Team {
            id: send_domain::TeamId::from_uuid(crate::support::new_uuid()),
            name: "North".to_owned(),
        };
        crate::back_office::insert_team(&app, &team).await;
        let mut north = crate::back_office::staff_client(
            &app,
            "north@testshire.example",
            send_domain::StaffRole::Caseworker,
            Some(team.id),
            &[crate::back_office::caseworkers()],
        )
        .await;
        assert_eq!(north.get(&path).await.status, StatusCode::NOT_FOUND);
        assert!(
            !north
                .get("/back-office/submissions")
                .await
                .body
                .contains("Parental Preference Form")
        );
        // Nor anyone's confirmation page but the author's.
        let mut stranger = app.client();
        register(&app, &mut stranger, "stranger@example.com").await;
        assert_eq!(
            stranger.get(&format!("/submitted/{id}")).await.status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}

#[tokio::test]
async fn the_request_for_an_assessment_is_offered_on_the_portal_home_to_its_audience() {
    on_both_databases(async |app| {
        let mut parent = app.client();
        register(&app, &mut parent, PARENT).await;
        let home = parent.get("/home").await;
        let family = builtin(&app, "request_assessment_family").await;
        let professional = builtin(&app, "request_assessment_professional").await;
        assert!(
            home.body.contains(&format!("href=\"/forms/{family}\"")),
            "{}",
            home.body
        );
        assert!(!home.body.contains(&format!("/forms/{professional}")));
        assert_eq!(
            parent.get(&format!("/forms/{family}")).await.status,
            StatusCode::OK
        );
        assert_eq!(
            parent.get(&format!("/forms/{professional}")).await.status,
            StatusCode::NOT_FOUND
        );
        // A form about a child cannot be opened without one.
        let preference = builtin(&app, PREFERENCE).await;
        assert_eq!(
            parent.get(&format!("/forms/{preference}")).await.status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}

/// A one-off form for families about a child, published straight into the
/// store as `number` (the builder has its own tests).
async fn publish(app: &TestApp, form: Option<FormId>, definition: FormDefinition) -> FormId {
    let now = app.clock.now();
    let staff = stranger_id(app, "case@testshire.example").await;
    let (id, number, mut changes) = match form {
        None => {
            let id = FormId::from_uuid(crate::support::new_uuid());
            let record = Form {
                id,
                draft: definition.clone(),
                version: 1,
                live_version: Some(1),
                approval_requested: None,
                retired_at: None,
                builtin: None,
                created_by: staff,
                created_at: now,
                updated_at: now,
            };
            (id, 1, Changes::new().with(Write::InsertForm(record)))
        }
        Some(id) => {
            let mut record = app
                .app
                .store
                .form(id)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .unwrap_or_else(|| panic!("form"));
            let expected_version = record.version;
            let number = record.live_version.unwrap_or(0) + 1;
            record.version += 1;
            record.live_version = Some(number);
            record.draft = definition.clone();
            (
                id,
                number,
                Changes::new().with(Write::UpdateForm {
                    form: record,
                    expected_version,
                }),
            )
        }
    };
    changes.push(Write::InsertFormVersion(FormVersion {
        form_id: id,
        number,
        definition,
        published_by: staff,
        published_at: now,
    }));
    app.app
        .store
        .commit(&changes)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    id
}

fn ask(key: &str, text: &str, kind: QuestionKind) -> Page {
    Page {
        key: PageKey::new(key),
        heading: None,
        questions: vec![Question {
            key: QuestionKey::new(key),
            text: text.to_owned(),
            hint: None,
            required: true,
            kind,
            show_when: None,
        }],
        show_when: None,
        branches: Vec::new(),
    }
}

/// Sends `form` to everyone linked to the child, with no due date.
async fn give(app: &TestApp, child: ChildId, form: FormId) {
    let staff = app
        .app
        .staff_access(stranger_id(app, "case@testshire.example").await)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("staff"));
    app.app
        .assign_form(
            &staff,
            child,
            NewAssignment {
                form,
                to: AssignedTo::EveryoneLinked,
                due: None,
            },
            &Source::default(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|e| panic!("{e}"));
}

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

#[tokio::test]
#[expect(clippy::too_many_lines, reason = "each check of an upload, in turn")]
async fn files_attach_to_their_answer_with_the_checks_of_every_upload() {
    on_both_databases(async |app| {
        let (mut caseworker, child, mut parent) = case_with_parent(&app).await;
        let mut definition = FormDefinition::new("Reports");
        definition.pages = vec![
            ask(
                "reports",
                "Upload the reports",
                QuestionKind::FileUpload {
                    max_files: 2,
                    kinds: vec![FileKind::Pdf],
                },
            ),
            ask("note", "Anything to add?", QuestionKind::ShortText),
        ];
        let form = publish(&app, None, definition).await;
        give(&app, child, form).await;
        let base = format!("/children/{child}/forms/{form}");
        let page = format!("{base}/pages/reports");
        let shown = parent.get(&page).await;
        assert!(
            shown.body.contains("No files uploaded yet"),
            "{}",
            shown.body
        );
        let token = csrf_of(&shown);

        // Continuing without a file: the question's message, nothing saved.
        let none = parent.post_form(&page, &[("csrf_token", &token)]).await;
        assert_eq!(none.status, StatusCode::BAD_REQUEST);
        assert!(none.body.contains("Select a file to upload"));

        let upload = format!("{base}/questions/reports/files");
        let png = parent
            .post_multipart(
                &upload,
                &[("csrf_token", &token)],
                &[("reports", "scan.png", b"\x89PNG\r\n\x1a\n0000")],
            )
            .await;
        assert_eq!(png.status, StatusCode::BAD_REQUEST, "{}", png.body);
        assert!(
            png.body.contains("The selected file must be a PDF"),
            "{}",
            png.body
        );
        let fake = parent
            .post_multipart(
                &upload,
                &[("csrf_token", &token)],
                &[("reports", "report.pdf", b"MZ\x90\x00 not a pdf")],
            )
            .await;
        assert_eq!(
            fake.status,
            StatusCode::BAD_REQUEST,
            "checked by content, not name"
        );
        for name in ["one.pdf", "two.pdf"] {
            let added = parent
                .post_multipart(
                    &upload,
                    &[("csrf_token", &token)],
                    &[("reports", name, PDF)],
                )
                .await;
            assert_eq!(location(&added), page, "{}", added.body);
        }
        let listed = parent.get(&page).await;
        assert!(listed.body.contains("one.pdf") && listed.body.contains("two.pdf"));
        assert!(
            listed
                .body
                .contains("You have uploaded the most files you can")
        );
        let third = parent
            .post_multipart(
                &upload,
                &[("csrf_token", &token)],
                &[("reports", "three.pdf", PDF)],
            )
            .await;
        assert_eq!(third.status, StatusCode::BAD_REQUEST);
        let removed = parent
            .post_form(
                &format!("{base}/questions/reports/files/1/remove"),
                &[("csrf_token", &token)],
            )
            .await;
        assert_eq!(location(&removed), page);
        let next = parent.post_form(&page, &[("csrf_token", &token)]).await;
        assert_eq!(location(&next), format!("{base}/pages/note"));
        answer(
            &mut parent,
            &format!("{base}/pages/note"),
            &[("note", "Latest first")],
        )
        .await;
        let token = csrf_of(&parent.get(&format!("{base}/check")).await);
        let sent = parent
            .post_form(&format!("{base}/check"), &[("csrf_token", &token)])
            .await;
        let id = location(&sent).trim_start_matches("/submitted/").to_owned();

        // The SEND team downloads the file from the submission; nobody else can.
        let read = caseworker
            .get(&format!("/back-office/submissions/{id}"))
            .await;
        assert!(
            read.body.contains("one.pdf") && !read.body.contains("two.pdf"),
            "{}",
            read.body
        );
        let file = caseworker
            .get(&format!("/back-office/submissions/{id}/files/0"))
            .await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(file.header("content-type"), Some("application/pdf"));
        assert_eq!(
            parent
                .get(&format!("/back-office/submissions/{id}/files/0"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            caseworker
                .get(&format!("/back-office/submissions/{id}/files/1"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "three versions of one form, in order"
)]
async fn saved_answers_carry_to_a_newer_version_and_a_submission_keeps_its_own() {
    on_both_databases(async |app| {
        let (_caseworker, child, mut parent) = case_with_parent(&app).await;
        let mut first = FormDefinition::new("Views");
        first.pages = vec![
            ask(
                "likes",
                "What does your child like?",
                QuestionKind::ShortText,
            ),
            ask(
                "school",
                "Which school?",
                choice(&["Oakfield", "Beech Hill"]),
            ),
        ];
        let form = publish(&app, None, first.clone()).await;
        give(&app, child, form).await;
        let base = format!("/children/{child}/forms/{form}");
        answer(
            &mut parent,
            &format!("{base}/pages/likes"),
            &[("likes", "Trains")],
        )
        .await;
        answer(
            &mut parent,
            &format!("{base}/pages/school"),
            &[("school", "Beech Hill")],
        )
        .await;

        // Version 2: "Beech Hill" is no longer an option, and a question is new.
        let mut second = first.clone();
        second.pages[1] = ask(
            "school",
            "Which school?",
            choice(&["Oakfield", "Ash Grove"]),
        );
        second.pages.push(ask(
            "dislikes",
            "What does your child dislike?",
            QuestionKind::ShortText,
        ));
        publish(&app, Some(form), second).await;
        let start = parent.get(&base).await;
        assert!(
            start.body.contains("These questions are new"),
            "{}",
            start.body
        );
        assert!(start.body.contains("What does your child dislike?"));
        assert!(
            start.body.contains(&format!("{base}/pages/school")),
            "the changed question is asked again: {}",
            start.body
        );
        let likes = parent.get(&format!("{base}/pages/likes")).await;
        assert!(
            likes.body.contains("Trains"),
            "the answer that still fits is kept"
        );
        answer(
            &mut parent,
            &format!("{base}/pages/school"),
            &[("school", "Ash Grove")],
        )
        .await;
        answer(
            &mut parent,
            &format!("{base}/pages/dislikes"),
            &[("dislikes", "Noise")],
        )
        .await;
        let token = csrf_of(&parent.get(&format!("{base}/check")).await);
        let sent = parent
            .post_form(&format!("{base}/check"), &[("csrf_token", &token)])
            .await;
        let id: send_domain::SubmissionId = location(&sent)
            .trim_start_matches("/submitted/")
            .parse()
            .unwrap_or_else(|e| panic!("{e:?}"));
        let submission = app
            .app
            .store
            .submission(id)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("saved"));
        assert_eq!(submission.version_number, 2);

        // A third version, then the form retired: the submission still reads
        // against version 2, with every answer.
        let mut third = first.clone();
        third.pages.truncate(1);
        publish(&app, Some(form), third).await;
        let mut record = app
            .app
            .store
            .form(form)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("form"));
        let expected_version = record.version;
        record.version += 1;
        record.retired_at = Some(app.clock.now());
        app.app
            .store
            .commit(&Changes::new().with(Write::UpdateForm {
                form: record,
                expected_version,
            }))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            parent.get(&base).await.status,
            StatusCode::NOT_FOUND,
            "a retired form is offered to nobody"
        );
        // The next day, the caseworker signs in again.
        app.clock.advance(time::Duration::days(1));
        let mut caseworker =
            crate::back_office::staff_sign_in(&app, "case@testshire.example").await;
        let read = caseworker
            .get(&format!("/back-office/submissions/{id}"))
            .await;
        assert_eq!(read.status, StatusCode::OK);
        for answer in ["Trains", "Ash Grove", "Noise"] {
            assert!(read.body.contains(answer), "{answer} in {}", read.body);
        }
    })
    .await;
}

fn choice(options: &[&str]) -> QuestionKind {
    QuestionKind::SingleChoice {
        options: options.iter().map(|o| (*o).to_owned()).collect(),
    }
}

#[tokio::test]
async fn professional_advice_goes_to_the_linked_professionals_and_not_to_the_family() {
    on_both_databases(async |app| {
        let (_caseworker, child, mut parent) = case_with_parent(&app).await;
        let mut pro = crate::portal_access::professional(&app, "senco@oakfield.example").await;
        link(
            &app,
            child,
            stranger_id(&app, "senco@oakfield.example").await,
            PortalRole::Professional,
            LinkStatus::Active,
        )
        .await;
        let advice = builtin(&app, "professional_advice").await;
        let staff = app
            .app
            .staff_access(stranger_id(&app, "case@testshire.example").await)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("staff"));
        let due = send_domain::Clock::now(&app.clock).date() + time::Duration::weeks(6);
        app.app
            .assign_form(
                &staff,
                child,
                NewAssignment {
                    form: advice,
                    to: AssignedTo::EveryoneLinked,
                    due: Some(due),
                },
                &Source::default(),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|e| panic!("{e}"));
        let base = format!("/children/{child}/forms/{advice}");
        let dashboard = pro.get(&format!("/children/{child}/dashboard")).await;
        assert!(
            dashboard
                .body
                .contains("Advice for an EHC needs assessment"),
            "{}",
            dashboard.body
        );
        assert_eq!(pro.get(&base).await.status, StatusCode::OK);
        // Sent to everyone linked, it still reaches only the audience it is for.
        let family = parent.get(&format!("/children/{child}/dashboard")).await;
        assert!(!family.body.contains("Advice for an EHC needs assessment"));
        assert_eq!(parent.get(&base).await.status, StatusCode::NOT_FOUND);
        // Sending it to the parent by name is refused with a reason.
        let refused = app
            .app
            .assign_form(
                &staff,
                child,
                NewAssignment {
                    form: advice,
                    to: AssignedTo::Person(stranger_id(&app, PARENT).await),
                    due: None,
                },
                &Source::default(),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            refused,
            Err(send_app::forms::assign::AssignProblem::WrongAudience)
        );
    })
    .await;
}

#[tokio::test]
async fn an_action_is_due_in_the_forms_own_number_of_days_unless_the_caseworker_chooses() {
    on_both_databases(async |app| {
        let (mut caseworker, child, _parent) = case_with_parent(&app).await;
        let form = builtin(&app, PREFERENCE).await;
        let page = format!("/back-office/children/{child}/forms");
        let missing = answer(
            &mut caseworker,
            &page,
            &[("form", &form.to_string()), ("to", "everyone")],
        )
        .await;
        assert_eq!(missing.status, StatusCode::BAD_REQUEST);
        assert!(
            missing
                .body
                .contains("Select whether it is an action to complete by a date")
        );
        let past = answer(
            &mut caseworker,
            &page,
            &[
                ("form", &form.to_string()),
                ("to", "everyone"),
                ("action", "date"),
                ("due-day", "1"),
                ("due-month", "1"),
                ("due-year", "2020"),
            ],
        )
        .await;
        assert_eq!(past.status, StatusCode::BAD_REQUEST);
        assert!(
            past.body
                .contains("The due date must be today or in the future"),
            "{}",
            past.body
        );
        assert!(
            past.body.contains("value=\"2020\""),
            "what was typed is kept"
        );
        assert!(
            app.app
                .store
                .form_assignments_for_children(&[child])
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .is_empty(),
            "nothing written"
        );

        let sent = answer(
            &mut caseworker,
            &page,
            &[
                ("form", &form.to_string()),
                ("to", "everyone"),
                ("action", "usual"),
            ],
        )
        .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let given = app
            .app
            .store
            .form_assignments_for_children(&[child])
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let today = send_domain::Clock::now(&app.clock).date();
        assert_eq!(given[0].due, Some(today + time::Duration::days(15)));
    })
    .await;
}

#[tokio::test]
async fn a_page_of_several_questions_has_a_heading_even_without_one_of_its_own() {
    on_both_databases(async |app| {
        let (_caseworker, child, mut parent) = case_with_parent(&app).await;
        let mut definition = FormDefinition::new("Contact details");
        let mut page = ask("phone", "Telephone number", QuestionKind::Phone);
        page.questions
            .extend(ask("email", "Email address", QuestionKind::Email).questions);
        definition.pages = vec![page];
        let form = publish(&app, None, definition).await;
        give(&app, child, form).await;
        let shown = parent
            .get(&format!("/children/{child}/forms/{form}/pages/phone"))
            .await;
        assert_eq!(shown.status, StatusCode::OK);
        assert_eq!(shown.h1(), "Contact details", "{}", shown.body);
    })
    .await;
}
