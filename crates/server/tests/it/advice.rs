//! Requests for advice through the real pages, with the injected clock: a
//! caseworker records a request to a professional, who sees it under "Advice
//! requested from you" and answers it by upload; the caseworker and the family see
//! it arrived; reminders go out on the right days and once each, and stop when the
//! advice arrives; an unanswered request alerts the caseworker the day after it
//! was due and shows on the overdue list; a withdrawn one sends nothing more.

use http::StatusCode;
use send_domain::jobs::JobStatus;
use send_domain::{
    AuditAction, ChildId, DEFAULT_TEAM, LinkStatus, PortalRole, StaffRole, default_group,
};
use time::OffsetDateTime;
use time::macros::datetime;

use crate::accounts::{csrf_of, submit};
use crate::back_office::{audit, location, open_assessment, staff_client, staff_sign_in};
use crate::portal_access::{caseworker_and_child, link, professional, stranger_id};
use crate::support::{TestApp, TestClient, on_both_databases};

const CASEWORKER: &str = "case@testshire.example";
const SENCO: &str = "senco@oakfield.example";

/// Every email sent so far to `to`, oldest first: (subject, text).
pub async fn emails_to(app: &TestApp, to: &str) -> Vec<(String, String)> {
    let mut emails: Vec<_> = app
        .app
        .store
        .outbox_emails(500)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|e| e.email.to.as_str() == to)
        .map(|e| {
            (
                e.email.created_at,
                e.email.subject.as_str().to_owned(),
                e.email.text_body,
            )
        })
        .collect();
    emails.sort_by_key(|(at, _, _)| *at);
    emails.into_iter().map(|(_, s, t)| (s, t)).collect()
}

/// Moves the clock to `at` and runs the due jobs, as the worker would.
pub async fn run_jobs_at(app: &TestApp, at: OffsetDateTime) -> usize {
    app.clock.set(at);
    send_app::jobs::run_due_jobs(&app.app)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
}

/// A caseworker, a child with an assessment opened on 2 November 2026, and the
/// involvement's page.
async fn assessment(app: &TestApp) -> (TestClient, ChildId, String) {
    let (mut caseworker, child) = caseworker_and_child(app).await;
    let page = open_assessment(&mut caseworker, child, ("2", "11", "2026")).await;
    (caseworker, child, page)
}

/// Records a request for educational advice sent on 16 November 2026 (due 28
/// December) to `email`, through the page.
async fn request(caseworker: &mut TestClient, page: &str, email: &str) {
    let form = format!("{page}/advice/new");
    let done = submit(
        caseworker,
        &form,
        &form,
        &[
            ("kind", "educational"),
            ("recipient", "Oakfield Primary School"),
            ("email", email),
            ("answer_by", "upload"),
            ("sent-day", "16"),
            ("sent-month", "11"),
            ("sent-year", "2026"),
        ],
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(location(&done), format!("{page}?done=requested"));
}

fn advice_link(body: &str) -> String {
    let start = body
        .find("href=\"/advice/")
        .unwrap_or_else(|| panic!("no advice link in:\n{body}"))
        + "href=\"".len();
    body[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "one journey across three people, each step checked"
)]
async fn a_professional_answers_a_request_and_the_caseworker_and_family_see_it_arrived() {
    on_both_databases(async |app| {
        let (mut caseworker, child, page) = assessment(&app).await;
        let mut senco = professional(&app, SENCO).await;
        let parent = {
            let mut client = app.client();
            crate::accounts::register(&app, &mut client, "sam@example.com").await;
            link(
                &app,
                child,
                stranger_id(&app, "sam@example.com").await,
                PortalRole::Parent,
                LinkStatus::Active,
            )
            .await;
            client
        };

        // The form refuses what is missing or wrong, keeping what was typed.
        let form = format!("{page}/advice/new");
        let refused = submit(
            &mut caseworker,
            &form,
            &form,
            &[
                ("recipient", "Oakfield Primary School"),
                ("email", "not an address"),
                ("sent-day", "16"),
                ("sent-month", "11"),
                ("sent-year", "2027"),
            ],
        )
        .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        for message in [
            "Select what kind of advice was asked for",
            "Select how they should give their advice",
            "today or in the past",
        ] {
            assert!(
                refused.body.contains(message),
                "{message}: {}",
                refused.body
            );
        }
        assert!(refused.body.contains("value=\"Oakfield Primary School\""));

        request(&mut caseworker, &page, SENCO).await;
        let shown = caseworker.get(&format!("{page}?done=requested")).await;
        assert!(
            shown.body.contains("Request for advice recorded"),
            "{}",
            shown.body
        );
        assert!(
            shown.body.contains("28 December 2026"),
            "due 6 weeks after 16 November"
        );
        assert!(shown.body.contains("Due in 35 days"), "{}", shown.body);
        let (subject, text) = emails_to(&app, SENCO).await.pop().unwrap_or_default();
        assert_eq!(subject, "You have been asked for advice");
        assert!(
            text.contains("28 December 2026") && text.contains("/advice/"),
            "{text}"
        );
        assert!(
            !text.contains("Alex") && !text.contains("Lex"),
            "no child's name in the email: {text}"
        );

        let home = senco.get("/home").await;
        assert!(
            home.body.contains("Advice requested from you"),
            "{}",
            home.body
        );
        let answer = advice_link(&home.body);
        let opened = senco.get(&answer).await;
        assert_eq!(opened.status, StatusCode::OK);
        assert!(opened.body.contains("Educational advice"));
        // Answering one request opens nothing else of the child's case, nor the
        // back office's advice pages.
        for refused in [
            format!("/children/{child}/dashboard"),
            format!("/children/{child}/documents"),
            format!("{page}/advice/new"),
            "/back-office/advice/overdue".to_owned(),
        ] {
            assert_eq!(
                senco.get(&refused).await.status,
                StatusCode::NOT_FOUND,
                "{refused}"
            );
        }

        // No file: the error summary, nothing written.
        let token = csrf_of(&opened);
        let empty = senco
            .post_multipart(&answer, &[("csrf_token", &token)], &[])
            .await;
        assert_eq!(empty.status, StatusCode::BAD_REQUEST);
        assert!(empty.body.contains("Select a file with your advice"));
        let sent = senco
            .post_multipart(
                &answer,
                &[("csrf_token", &token)],
                &[("file", "advice.txt", b"Alex needs a quiet space to learn.")],
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let home = senco.get("/home").await;
        assert!(
            home.body.contains("has been sent to the SEND team"),
            "{}",
            home.body
        );
        assert!(!home.body.contains("Advice requested from you"));
        assert_eq!(senco.get(&answer).await.status, StatusCode::NOT_FOUND);

        let after = caseworker.get(&page).await;
        assert!(
            after.body.contains("Received 23 November 2026"),
            "{}",
            after.body
        );
        let (subject, _) = emails_to(&app, CASEWORKER).await.pop().unwrap_or_default();
        assert_eq!(subject, "Advice has arrived");
        let documents = caseworker
            .get(&format!("/back-office/children/{child}/documents"))
            .await;
        assert!(
            documents.body.contains("Educational advice"),
            "{}",
            documents.body
        );

        let mut parent = parent;
        let dashboard = parent.get(&format!("/children/{child}/dashboard")).await;
        assert!(
            dashboard.body.contains("Advice for the assessment"),
            "{}",
            dashboard.body
        );
        assert!(dashboard.body.contains("Arrived 23 November 2026"));
        assert!(
            !dashboard.body.contains("quiet space"),
            "never the advice itself"
        );
        // The family is told by the council's "Advice received" notification.
        let (subject, text) = emails_to(&app, "sam@example.com")
            .await
            .pop()
            .unwrap_or_default();
        assert_eq!(subject, "Advice for Lex's EHC needs assessment has arrived");
        assert!(!text.contains("quiet space"), "{text}");

        let events = audit(&app, AuditAction::AdviceReceived).await;
        assert_eq!(events.len(), 1);
        // Its reminders were cancelled with it: none runs, ever.
        assert_eq!(run_jobs_at(&app, datetime!(2027-02-01 09:00 UTC)).await, 0);
        assert!(
            emails_to(&app, SENCO)
                .await
                .iter()
                .all(|(subject, _)| !subject.contains("Reminder")),
        );
    })
    .await;
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "a request's whole life on the test clock, each day checked"
)]
async fn reminders_go_out_on_their_days_once_each_and_an_overdue_request_escalates() {
    on_both_databases(async |app| {
        let (mut caseworker, _child, page) = assessment(&app).await;
        let _senco = professional(&app, SENCO).await;
        request(&mut caseworker, &page, SENCO).await;
        let reminders = |emails: Vec<(String, String)>| {
            emails
                .into_iter()
                .filter(|(subject, _)| {
                    subject.contains("dvice") && subject != "You have been asked for advice"
                })
                .map(|(subject, _)| subject)
                .collect::<Vec<_>>()
        };

        // Due 28 December 2026: reminders on 14 December, 28 December and 4
        // January at 9am; the caseworker is told on 29 December.
        assert_eq!(run_jobs_at(&app, datetime!(2026-12-14 08:59 UTC)).await, 0);
        assert!(reminders(emails_to(&app, SENCO).await).is_empty());
        assert_eq!(run_jobs_at(&app, datetime!(2026-12-14 09:00 UTC)).await, 1);
        assert_eq!(run_jobs_at(&app, datetime!(2026-12-14 09:30 UTC)).await, 0);
        assert_eq!(
            reminders(emails_to(&app, SENCO).await),
            vec!["Reminder: advice is due soon"]
        );
        let (_, text) = emails_to(&app, SENCO).await.pop().unwrap_or_default();
        assert!(
            text.contains("is due in 14 days, by 28 December 2026"),
            "{text}"
        );

        assert_eq!(run_jobs_at(&app, datetime!(2026-12-28 09:00 UTC)).await, 1);
        assert_eq!(run_jobs_at(&app, datetime!(2026-12-29 09:00 UTC)).await, 1);
        let (subject, text) = emails_to(&app, CASEWORKER).await.pop().unwrap_or_default();
        assert_eq!(subject, "Advice is overdue on one of your cases");
        assert!(text.contains("/back-office/involvements/"), "{text}");
        // A month on, the caseworker signs in again.
        let mut caseworker = staff_sign_in(&app, CASEWORKER).await;
        let overdue = caseworker.get("/back-office/advice/overdue").await;
        assert!(
            overdue.body.contains("Overdue by 1 day"),
            "{}",
            overdue.body
        );
        let home = caseworker.get("/back-office").await;
        assert!(
            home.body.contains("Overdue advice</a>: 1 request"),
            "{}",
            home.body
        );
        assert!(
            home.body.contains("With overdue advice</a>: 1"),
            "{}",
            home.body
        );
        let mine = caseworker
            .get("/back-office/advice/overdue?scope=mine")
            .await;
        assert!(mine.body.contains("Overdue advice on my cases"));
        assert!(mine.body.contains("Overdue by 1 day"), "{}", mine.body);

        // Withdrawn: the last reminder never goes, and it leaves the overdue list.
        let involvement = caseworker.get(&page).await;
        let withdraw = involvement
            .body
            .split("href=\"")
            .find_map(|part| {
                let href = part.split('"').next()?;
                href.ends_with("/withdraw").then(|| href.to_owned())
            })
            .unwrap_or_else(|| panic!("no withdraw link"));
        let done = submit(
            &mut caseworker,
            &withdraw,
            &withdraw,
            &[("reason", "The school has closed"), ("version", "1")],
        )
        .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        assert_eq!(run_jobs_at(&app, datetime!(2027-01-04 09:00 UTC)).await, 0);
        assert_eq!(
            reminders(emails_to(&app, SENCO).await),
            vec![
                "Reminder: advice is due soon",
                "Reminder: advice is due today"
            ]
        );
        assert!(
            !caseworker
                .get("/back-office/advice/overdue")
                .await
                .body
                .contains("Overdue by"),
        );
        let jobs = app
            .app
            .store
            .jobs(&[], 50)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let mut statuses: Vec<JobStatus> = jobs.iter().map(|entry| entry.status).collect();
        statuses.sort();
        assert_eq!(
            statuses,
            vec![
                JobStatus::Done,
                JobStatus::Done,
                JobStatus::Done,
                JobStatus::Cancelled
            ]
        );
        assert_eq!(audit(&app, AuditAction::AdviceReminderSent).await.len(), 3);
    })
    .await;
}

#[tokio::test]
async fn the_council_sets_when_reminders_go_and_new_requests_follow_it() {
    on_both_databases(async |app| {
        let mut admin = staff_client(
            &app,
            "admin@testshire.example",
            StaffRole::Administrator,
            Some(DEFAULT_TEAM.0),
            &[default_group(StaffRole::Administrator)],
        )
        .await;
        let overview = admin.get("/back-office/admin").await;
        assert!(
            overview
                .body
                .contains("14 days before the due date, on the due date and 7 days after it"),
            "{}",
            overview.body
        );
        let page = "/back-office/admin/advice-reminders/educational";
        let refused = submit(
            &mut admin,
            page,
            page,
            &[("before", "three weeks"), ("after", "50")],
        )
        .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(
            refused.body.contains("Enter days as whole numbers"),
            "{}",
            refused.body
        );
        assert!(refused.body.contains("between 1 and 42"));
        assert!(
            refused.body.contains("value=\"three weeks\""),
            "keeps what was typed"
        );
        let saved = submit(&mut admin, page, page, &[("before", "21"), ("after", "")]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let overview = admin.get("/back-office/admin").await;
        assert!(
            overview
                .body
                .contains("Reminders of educational advice changed"),
            "{}",
            overview.body
        );
        assert!(overview.body.contains("21 days before the due date"));
        assert_eq!(
            audit(&app, AuditAction::AdviceRemindersChanged).await.len(),
            1
        );

        let (mut caseworker, _child, involvement) = assessment(&app).await;
        assert_eq!(
            caseworker.get(page).await.status,
            StatusCode::FORBIDDEN,
            "a caseworker cannot change reminders"
        );
        assert_eq!(
            app.client().get(page).await.status,
            StatusCode::SEE_OTHER,
            "signed out: sign in first"
        );
        request(&mut caseworker, &involvement, SENCO).await;
        let jobs = app
            .app
            .store
            .jobs(&[JobStatus::Queued], 50)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let mut due: Vec<OffsetDateTime> = jobs.iter().map(|entry| entry.job.run_at).collect();
        due.sort();
        assert_eq!(
            due,
            vec![
                datetime!(2026-12-07 09:00 UTC),
                datetime!(2026-12-29 09:00 UTC)
            ],
            "21 days before the due date, and the overdue alert"
        );
    })
    .await;
}

/// The professional advice form's answers, complete.
fn advice_answers() -> send_domain::forms::Answers {
    use send_domain::forms::{Answer, QuestionKey};
    let mut answers = send_domain::forms::Answers::default();
    let mut set = |key: &str, answer: Answer| answers.set(QuestionKey::new(key), Some(answer));
    set("advice_type", Answer::Choice("Educational".to_owned()));
    set(
        "your_name",
        Answer::Name {
            first: "Pat".to_owned(),
            last: "Senco".to_owned(),
        },
    );
    set("your_role", Answer::Text("SENCO".to_owned()));
    set(
        "your_organisation",
        Answer::Text("Oakfield Primary School".to_owned()),
    );
    set("seen_on", Answer::Date(time::macros::date!(2026 - 11 - 20)));
    for key in ["special_educational_needs", "outcomes", "provision"] {
        set(
            key,
            Answer::Text("Needs a quiet space to learn.".to_owned()),
        );
    }
    // The optional pages, passed without an answer.
    answers.set(
        QuestionKey::new("health_social_care"),
        Some(Answer::NotAnswered),
    );
    answers.set(QuestionKey::new("reports"), Some(Answer::NotAnswered));
    answers
}

#[tokio::test]
async fn a_request_answered_by_the_advice_form_is_received_with_the_submission() {
    use send_store::{Changes, Write};
    on_both_databases(async |app| {
        let (mut caseworker, child, page) = assessment(&app).await;
        let mut senco = professional(&app, SENCO).await;
        let form = format!("{page}/advice/new");
        let done = submit(
            &mut caseworker,
            &form,
            &form,
            &[
                ("kind", "educational"),
                ("recipient", "Oakfield Primary School"),
                ("email", SENCO),
                ("answer_by", "form"),
                ("sent-day", "16"),
                ("sent-month", "11"),
                ("sent-year", "2026"),
            ],
        )
        .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let home = senco.get("/home").await;
        let opened = senco.get(&advice_link(&home.body)).await;
        assert!(
            opened.body.contains("Give your advice using the form"),
            "{}",
            opened.body
        );
        let advice_form = crate::forms::builtin(&app, "professional_advice").await;
        let start = format!("/children/{child}/forms/{advice_form}");
        assert!(opened.body.contains(&start), "{}", opened.body);
        let started = senco.get(&start).await;
        assert_eq!(started.status, StatusCode::OK, "{}", started.body);
        assert!(
            started.body.contains("href=\"/home\""),
            "back goes home, not to a dashboard"
        );

        // Their answers, saved as the pages would, then sent from Check your answers.
        let version = app
            .app
            .store
            .form(advice_form)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .and_then(|f| f.live_version)
            .unwrap_or_else(|| panic!("published"));
        let now = send_domain::Clock::now(&app.clock);
        app.app
            .store
            .commit(
                &Changes::new().with(Write::SaveFormDraft(send_domain::forms::FormDraft {
                    form_id: advice_form,
                    child_id: Some(child),
                    author: stranger_id(&app, SENCO).await,
                    version_number: version,
                    answers: advice_answers(),
                    assignment_id: None,
                    started_at: now,
                    saved_at: now,
                })),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let check = senco.get(&format!("{start}/check")).await;
        assert_eq!(check.status, StatusCode::OK, "{}", location(&check));
        let sent = senco
            .post_form(
                &format!("{start}/check"),
                &[("csrf_token", &csrf_of(&check))],
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let submitted = senco.get(location(&sent)).await;
        assert!(
            submitted.body.contains("Return to your home page"),
            "{}",
            submitted.body
        );

        let after = caseworker.get(&page).await;
        assert!(
            after.body.contains("Received 23 November 2026"),
            "{}",
            after.body
        );
        // The request was their access to this form: it ends with the answer.
        assert_eq!(senco.get(&start).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            senco
                .get(&format!("/children/{child}/dashboard"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        // Another professional never had it.
        let mut other = professional(&app, "other@school.example").await;
        assert_eq!(other.get(&start).await.status, StatusCode::NOT_FOUND);
    })
    .await;
}

/// The single-use link in an email: its path.
fn link_in(text: &str) -> String {
    let start = text
        .find("/advice/link/")
        .unwrap_or_else(|| panic!("no link in:\n{text}"));
    text[start..]
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn someone_without_an_account_answers_through_a_single_use_link() {
    on_both_databases(async |app| {
        let (mut caseworker, child, page) = assessment(&app).await;
        let asked = "ot@therapy.example";
        request(&mut caseworker, &page, asked).await;
        let (subject, text) = emails_to(&app, asked).await.pop().unwrap_or_default();
        assert_eq!(subject, "You have been asked for advice");
        assert!(
            text.contains("The link works once, until 25 January 2027"),
            "{text}"
        );
        let first_link = link_in(&text);

        // Each reminder carries a new link, which replaces the last.
        assert_eq!(run_jobs_at(&app, datetime!(2026-12-14 09:00 UTC)).await, 1);
        let (_, reminder) = emails_to(&app, asked).await.pop().unwrap_or_default();
        let link = link_in(&reminder);
        assert_ne!(link, first_link);
        let mut visitor = app.client();
        let replaced = visitor.get(&first_link).await;
        assert_eq!(
            replaced.status,
            StatusCode::OK,
            "a visitor is asked to sign in first"
        );
        assert!(
            replaced
                .body
                .contains("Give advice through the SEND Portal")
        );

        // A visitor registers, comes back to the link, and is given the request.
        let mut visitor = app.client();
        let start = visitor.get(&link).await;
        assert!(
            start.body.contains("Register for a new account"),
            "{}",
            start.body
        );
        crate::accounts::register_with(
            &app,
            &mut visitor,
            &[
                ("name", "Olu Therapist"),
                ("email", asked),
                ("professional", "yes"),
                ("organisation", "Therapy Partners"),
                ("job_role", "Occupational therapist"),
                ("work_phone", "01905 123457"),
            ],
            &link,
        )
        .await;
        let claimed = visitor.get(&link).await;
        assert_eq!(claimed.status, StatusCode::SEE_OTHER, "{}", claimed.body);
        let request_page = location(&claimed).to_owned();
        assert!(request_page.starts_with("/advice/"), "{request_page}");
        let opened = visitor.get(&request_page).await;
        assert!(
            opened.body.contains("Educational advice for Lex Example"),
            "{}",
            opened.body
        );
        assert!(
            visitor
                .get("/home")
                .await
                .body
                .contains("Advice requested from you")
        );
        // The request alone: nothing else of the child's case.
        assert_eq!(
            visitor
                .get(&format!("/children/{child}/dashboard"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        // The link works once; an older one never again.
        let mut someone = crate::portal_access::professional(&app, "someone@else.example").await;
        let again = someone.get(&link).await;
        assert_eq!(again.status, StatusCode::GONE);
        assert!(again.body.contains("already been used"), "{}", again.body);
        let old = someone.get(&first_link).await;
        assert_eq!(old.status, StatusCode::GONE);
        assert_eq!(
            someone.get(&request_page).await.status,
            StatusCode::NOT_FOUND
        );
        let refusals = audit(&app, AuditAction::AdviceRequestViewed)
            .await
            .into_iter()
            .filter(|e| e.outcome == send_domain::AuditOutcome::Refused)
            .count();
        assert!(refusals >= 3, "each refused opening is audited");
    })
    .await;
}

/// The `href` of the first link whose text starts with `text`.
fn href_of(body: &str, text: &str) -> String {
    body.split("href=\"")
        .skip(1)
        .find(|part| part.contains(&format!(">{text}")))
        .and_then(|part| part.split('"').next())
        .unwrap_or_else(|| panic!("no link {text:?} in:\n{body}"))
        .to_owned()
}

/// The demo (loaded on 23 November 2026 by the test clock) has three requests
/// for advice on Oliver's assessment: Sam Senco's educational advice awaited, due
/// in 15 days; psychological advice received on 17 November; medical advice
/// overdue by 8 days. Each side sees them where the feature shows them, and Pat
/// Parent, who is not linked to Oliver, cannot open Sam's request.
#[tokio::test]
async fn the_demo_has_advice_awaited_received_and_overdue() {
    use crate::accounts::sign_in;
    use crate::back_office::MY_CASES;
    use crate::snapshots::demo_caseworker;
    use send_app::demo::{DEMO_ACCOUNTS, DEMO_PASSWORD};

    on_both_databases(async |app| {
        app.app
            .load_demo_data()
            .await
            .unwrap_or_else(|e| panic!("{e}"));

        let mut caseworker = demo_caseworker(&app).await;
        let mine = caseworker.get(MY_CASES).await;
        let involvement = caseworker.get(&href_of(&mine.body, "Oliver Brown")).await;
        for shown in [
            "Educational advice",
            "Sam Senco, Oakfield Primary School",
            "8 December 2026",
            "Due in 15 days",
            "Psychological advice",
            "Received 17 November 2026",
            "Medical advice",
            "Overdue by 8 days",
        ] {
            assert!(
                involvement.body.contains(shown),
                "{shown}: {}",
                involvement.body
            );
        }
        let home = caseworker.get("/back-office").await;
        assert!(
            home.body.contains("Overdue advice</a>: 1 request"),
            "{}",
            home.body
        );
        let overdue = caseworker.get("/back-office/advice/overdue").await;
        assert!(overdue.body.contains("Oliver Brown"), "{}", overdue.body);
        assert!(overdue.body.contains("Exampleshire Community Paediatrics"));

        let mut senco = app.client();
        sign_in(&app, &mut senco, DEMO_ACCOUNTS[1].0, DEMO_PASSWORD).await;
        let home = senco.get("/home").await;
        assert!(
            home.body.contains("Advice requested from you"),
            "{}",
            home.body
        );
        let answer = advice_link(&home.body);
        let opened = senco.get(&answer).await;
        assert_eq!(opened.status, StatusCode::OK);
        assert!(opened.body.contains("Educational advice for Oliver Brown"));
        let dashboard = senco.get(&href_of(&home.body, "SEND Dashboard")).await;
        assert!(
            dashboard.body.contains("Advice for the assessment"),
            "{}",
            dashboard.body
        );
        assert!(dashboard.body.contains("Arrived 17 November 2026"));
        assert!(
            dashboard
                .body
                .contains("Waiting for it (due by 8 December 2026)")
        );

        let mut parent = app.client();
        sign_in(&app, &mut parent, DEMO_ACCOUNTS[0].0, DEMO_PASSWORD).await;
        assert!(
            !parent
                .get("/home")
                .await
                .body
                .contains("Advice requested from you")
        );
        assert_eq!(parent.get(&answer).await.status, StatusCode::NOT_FOUND);
    })
    .await;
}
