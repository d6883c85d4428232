//! The audit log (ADM-3) through the real pages, on both databases: searching by
//! child, person, kind and dates, newest first and paged; the CSV download and
//! what it holds; every search and download audited, refusals too; who is
//! refused; and, on the SEND Dashboard, the family's "Who has looked at this
//! record" list, with staff roles and teams and never a name or email address.
//! In Chromium, with JavaScript on and off, axe checks the page.

use http::StatusCode;
use send_domain::{
    AuditAction, AuditEvent, AuditEventId, AuditOutcome, ChildId, DEFAULT_TEAM, LinkStatus,
    PortalRole, StaffRole, default_group,
};

use crate::accounts::{register, submit};
use crate::back_office::{audit, caseworkers, create_staff, location, staff_client};
use crate::portal_access::{PARENT, caseworker_and_child, link, professional, stranger_id};
use crate::support::{TestApp, TestClient, TestResponse, on_both_databases};

const PAGE: &str = "/back-office/admin/audit";
const CSV: &str = "/back-office/admin/audit/download";
const ADMIN: &str = "auditor@testshire.example";
const CASEWORKER: &str = "case@testshire.example";
const PROFESSIONAL: &str = "pat@oakfield.example";
const OTHER_PARENT: &str = "jo@example.com";

/// A query string of `fields`, the way a browser sends a GET form.
fn query(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(name, value)| {
            let value: String = value
                .chars()
                .map(|c| match c {
                    ' ' => "+".to_owned(),
                    'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '.' | '_' => c.to_string(),
                    other => format!("%{:02X}", u32::from(other)),
                })
                .collect();
            format!("{name}={value}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

async fn search(client: &mut TestClient, fields: &[(&str, &str)]) -> TestResponse {
    client.get(&format!("{PAGE}?{}", query(fields))).await
}

/// How many results of the kind `what` the page's table shows.
fn rows(page: &TestResponse, what: &str) -> usize {
    page.body
        .matches(&format!("<td class=\"govuk-table__cell\">{what}"))
        .count()
}

async fn auditor(app: &TestApp) -> TestClient {
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
async fn the_audit_log_is_refused_to_staff_without_the_permission_and_to_portal_users() {
    on_both_databases(async |app| {
        let mut parent = app.client();
        register(&app, &mut parent, PARENT).await;
        let mut pro = professional(&app, PROFESSIONAL).await;
        let mut caseworker = staff_client(
            &app,
            CASEWORKER,
            StaffRole::Caseworker,
            Some(DEFAULT_TEAM.0),
            &[caseworkers()],
        )
        .await;
        let people: [(&str, &mut TestClient, StatusCode); 3] = [
            ("parent", &mut parent, StatusCode::NOT_FOUND),
            ("professional", &mut pro, StatusCode::NOT_FOUND),
            ("caseworker", &mut caseworker, StatusCode::FORBIDDEN),
        ];
        for (who, client, expected) in people {
            for path in [PAGE, CSV, &format!("{CSV}?kind=sign_in.completed")] {
                let got = client.get(path).await;
                assert_eq!(got.status, expected, "{who} GET {path}");
                assert!(!got.body.contains("sign_in.completed"), "{who} {path}");
                assert!(got.header("content-disposition").is_none(), "{who} {path}");
            }
        }
        let mut visitor = app.client();
        for path in [PAGE, CSV] {
            assert_eq!(location(&visitor.get(path).await), "/sign-in", "{path}");
        }
        // The caseworker's refusals are in the log; the portal users never
        // reached the back office.
        for (action, times) in [
            (AuditAction::AuditLogSearched, 1),
            (AuditAction::AuditLogExported, 2),
        ] {
            let refused = audit(&app, action).await;
            assert_eq!(refused.len(), times, "{action}");
            assert!(refused.iter().all(|e| e.outcome == AuditOutcome::Refused));
        }
        // Nobody without the permission sees the way in.
        let home = caseworker.get("/back-office").await;
        assert!(!home.body.contains(PAGE));
    })
    .await;
}

/// By date: today finds the child's view, tomorrow on finds nothing.
async fn by_date(app: &TestApp, admin: &mut TestClient) {
    let today = send_domain::dates::uk_date(send_domain::Clock::now(&app.clock));
    let (d, m, y) = (
        today.day().to_string(),
        u8::from(today.month()).to_string(),
        today.year().to_string(),
    );
    let tomorrow = today.next_day().unwrap_or_else(|| panic!("a next day"));
    let (td, tm, ty) = (
        tomorrow.day().to_string(),
        u8::from(tomorrow.month()).to_string(),
        tomorrow.year().to_string(),
    );
    let on_the_day = search(
        admin,
        &[
            ("kind", "child.viewed"),
            ("from-day", &d),
            ("from-month", &m),
            ("from-year", &y),
            ("to-day", &d),
            ("to-month", &m),
            ("to-year", &y),
        ],
    )
    .await;
    assert_eq!(rows(&on_the_day, "Child: viewed"), 1);
    let later = search(
        admin,
        &[("from-day", &td), ("from-month", &tm), ("from-year", &ty)],
    )
    .await;
    assert!(later.body.contains("No events match this search"));
}

#[tokio::test]
async fn the_audit_log_is_searched_by_child_person_kind_and_date_and_each_search_is_audited() {
    on_both_databases(async |app| {
        let (mut caseworker, child) = caseworker_and_child(&app).await;
        assert_eq!(
            caseworker
                .get(&format!("/back-office/children/{child}"))
                .await
                .status,
            StatusCode::OK
        );
        app.clock.advance(time::Duration::minutes(1));
        let mut admin = auditor(&app).await;

        // The way in: Administration, and the page itself.
        let overview = admin.get("/back-office/admin").await;
        assert!(overview.body.contains("Search the audit log"));
        let everything = admin.get(PAGE).await;
        assert_eq!(everything.status, StatusCode::OK);
        assert_eq!(everything.h1(), "Audit log");
        assert!(rows(&everything, "Child: created") >= 1);
        // Newest first: the admin's own sign-in comes before the child's record.
        let first = |what: &str| {
            everything
                .body
                .find(&format!("<td class=\"govuk-table__cell\">{what}"))
                .unwrap_or_else(|| panic!("no {what}"))
        };
        assert!(
            first("Sign in: completed") < first("Child: created"),
            "newest first"
        );

        // By child: by name, by NHS number and by the record's id.
        for typed in ["Alex", "943 476 5919", &child.to_string()] {
            let found = search(&mut admin, &[("child", typed)]).await;
            assert_eq!(found.status, StatusCode::OK, "{typed}");
            assert_eq!(rows(&found, "Child: viewed"), 1, "{typed}");
            assert_eq!(rows(&found, "Sign in: completed"), 0, "{typed}");
            assert!(found.body.contains(&format!("value=\"{typed}\"")), "kept");
        }
        // By person: what the caseworker did, with who they are.
        let by_person = search(&mut admin, &[("person", CASEWORKER)]).await;
        assert_eq!(rows(&by_person, "Child: viewed"), 1);
        assert!(
            by_person
                .body
                .contains(&format!("Staff {CASEWORKER} ({CASEWORKER})"))
        );
        assert!(!by_person.body.contains(&format!("({ADMIN})")));
        // By kind.
        let by_kind = search(&mut admin, &[("kind", "child.created")]).await;
        assert_eq!(rows(&by_kind, "Child: created"), 1);
        assert_eq!(rows(&by_kind, "Child: viewed"), 0);
        assert!(
            by_kind
                .body
                .contains("<option value=\"child.created\" selected>")
        );
        by_date(&app, &mut admin).await;
        // By outcome.
        let refused = search(&mut admin, &[("outcome", "refused")]).await;
        assert_eq!(rows(&refused, "Child: viewed"), 0);

        // Every search that ran is in the log, with what it looked for (ids, not names).
        let searches = audit(&app, AuditAction::AuditLogSearched).await;
        assert_eq!(
            searches.len(),
            9,
            "the page, 3 by child, by person, by kind, 2 by date and by outcome; none with mistakes"
        );
        assert!(
            searches
                .iter()
                .all(|e| e.outcome == AuditOutcome::Succeeded)
        );
        let by_child: Vec<&AuditEvent> = searches
            .iter()
            .filter(|e| e.child_id == Some(child))
            .collect();
        assert_eq!(by_child.len(), 3);
        assert!(
            by_child
                .iter()
                .all(|e| e.detail.as_deref() == Some(&format!("child:{child}")[..]))
        );
        assert!(
            searches
                .iter()
                .all(|e| !e.detail.as_deref().unwrap_or_default().contains(CASEWORKER))
        );
    })
    .await;
}

#[tokio::test]
async fn mistakes_show_the_error_summary_keep_what_was_typed_and_search_nothing() {
    on_both_databases(async |app| {
        let mut admin = auditor(&app).await;
        // Mistakes: the error summary, a message by each field, what was typed kept.
        let wrong = search(
            &mut admin,
            &[
                ("child", "Nobody Atall"),
                ("person", "not an email"),
                ("from-day", "31"),
                ("from-month", "2"),
                ("from-year", "2026"),
                ("to-day", "1"),
                ("to-month", ""),
                ("to-year", "2026"),
                ("kind", "no.such"),
            ],
        )
        .await;
        assert_eq!(wrong.status, StatusCode::OK);
        assert!(wrong.title().starts_with("Error: Audit log"));
        for message in [
            "No child matches",
            "No name or email address matches",
            "From must be a real date",
            "To must include a month",
            "Choose a kind of event from the list",
        ] {
            assert!(wrong.body.contains(message), "{message}");
        }
        assert!(wrong.body.contains("value=\"Nobody Atall\""));
        assert!(wrong.body.contains("value=\"not an email\""));
        assert!(!wrong.body.contains("Download this search"));
        let backwards = search(
            &mut admin,
            &[
                ("from-day", "2"),
                ("from-month", "1"),
                ("from-year", "2026"),
                ("to-day", "1"),
                ("to-month", "1"),
                ("to-year", "2026"),
            ],
        )
        .await;
        assert!(
            backwards
                .body
                .contains("The date to must be the same as or after the date from")
        );
        let unknown = search(&mut admin, &[("person", "nobody@example.com")]).await;
        assert!(unknown.body.contains("No name or email address matches"));

        assert!(
            audit(&app, AuditAction::AuditLogSearched).await.is_empty(),
            "no search was made"
        );
    })
    .await;
}

/// The link on the page to the same search for `email`, as a browser follows it.
fn choice(page: &TestResponse, email: &str) -> String {
    let wanted = format!("person={}", email.replace('@', "%40"));
    let at = page
        .body
        .find(&wanted)
        .unwrap_or_else(|| panic!("no choice of {email}"));
    let start = page.body[..at]
        .rfind("href=\"")
        .unwrap_or_else(|| panic!("no link"))
        + 6;
    let end = start
        + page.body[start..]
            .find('"')
            .unwrap_or_else(|| panic!("no end"));
    page.body[start..end].replace("&#38;", "&")
}

#[tokio::test]
async fn a_person_is_found_by_name_with_what_they_did_and_what_was_done_about_them() {
    on_both_databases(async |app| {
        let (mut caseworker, child) = caseworker_and_child(&app).await;
        caseworker
            .get(&format!("/back-office/children/{child}"))
            .await;
        let mut admin = auditor(&app).await;
        // The administrator ends the caseworker's sessions: about the caseworker.
        let page = format!(
            "/back-office/admin/people/{}",
            stranger_id(&app, CASEWORKER).await
        );
        submit(&mut admin, &page, &format!("{page}/end-sessions"), &[]).await;

        // Part of a name, in any case, that only one person has.
        let by_name = search(&mut admin, &[("person", "STAFF CASE")]).await;
        assert_eq!(by_name.status, StatusCode::OK);
        assert_eq!(rows(&by_name, "Child: viewed"), 1, "what they did");
        assert_eq!(
            rows(&by_name, "Account: sessions ended"),
            1,
            "what was done about them"
        );
        assert!(by_name.body.contains("value=\"STAFF CASE\""), "kept");

        // Several people: nothing is searched, each is offered instead.
        let several = search(&mut admin, &[("person", "staff"), ("kind", "child.viewed")]).await;
        assert!(several.title().starts_with("Error: Audit log"));
        assert!(several.body.contains("More than one person matches"));
        assert!(several.body.contains("People who match"));
        assert_eq!(rows(&several, "Child: viewed"), 0);
        let chosen = admin.get(&choice(&several, CASEWORKER)).await;
        assert_eq!(chosen.status, StatusCode::OK);
        assert_eq!(rows(&chosen, "Child: viewed"), 1);
        assert_eq!(
            rows(&chosen, "Account: sessions ended"),
            0,
            "the kind is kept"
        );
        assert!(
            chosen
                .body
                .contains("<option value=\"child.viewed\" selected>")
        );
        let searches = audit(&app, AuditAction::AuditLogSearched).await;
        assert_eq!(searches.len(), 2, "by name and the choice");
    })
    .await;
}

#[tokio::test]
async fn the_audit_log_pages_newest_first_without_repeating_an_event() {
    on_both_databases(async |app| {
        let (mut caseworker, child) = caseworker_and_child(&app).await;
        for _ in 0..53 {
            app.clock.advance(time::Duration::seconds(1));
            caseworker
                .get(&format!("/back-office/children/{child}"))
                .await;
        }
        let mut admin = auditor(&app).await;
        let first = search(&mut admin, &[("kind", "child.viewed")]).await;
        assert_eq!(rows(&first, "Child: viewed"), 50);
        assert!(first.body.contains("govuk-pagination"));
        assert!(!first.body.contains("Newest events"));
        let older = scraper::Html::parse_document(&first.body);
        let next = older
            .select(&scraper::Selector::parse("a[rel=next]").unwrap_or_else(|e| panic!("{e}")))
            .next()
            .and_then(|a| a.value().attr("href"))
            .unwrap_or_else(|| panic!("no Older events link"))
            .replace("&amp;", "&");
        assert!(next.contains("kind=child.viewed"), "{next}");
        let second = admin.get(&next).await;
        assert_eq!(rows(&second, "Child: viewed"), 3);
        assert!(second.body.contains("Newest events"));
        assert!(!second.body.contains("rel=\"next\""));
    })
    .await;
}

#[tokio::test]
async fn the_csv_download_holds_the_search_with_formulas_made_harmless() {
    on_both_databases(async |app| {
        let (mut caseworker, child) = caseworker_and_child(&app).await;
        caseworker
            .get(&format!("/back-office/children/{child}"))
            .await;
        // An event whose note a spreadsheet would run as a formula.
        let mut planted = app.app.audit_event(
            send_domain::Actor::System,
            AuditAction::ChildViewed,
            AuditOutcome::Failed,
            &send_app::audit::Source(Some("=1+2".to_owned())),
        );
        planted.id = AuditEventId::from_uuid(crate::support::new_uuid());
        planted.child_id = Some(child);
        planted.detail = Some("=HYPERLINK(\"http://evil.example\",\"x\")".to_owned());
        app.app
            .store
            .record_audit_event(&planted)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let mut admin = auditor(&app).await;
        let page = search(&mut admin, &[("child", &child.to_string())]).await;
        assert!(page.body.contains("Download this search as CSV"));

        let csv = admin
            .get(&format!(
                "{CSV}?{}",
                query(&[("child", &child.to_string())])
            ))
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
        assert_eq!(
            csv.header("content-disposition"),
            Some("attachment; filename=\"audit-log.csv\"")
        );
        assert_eq!(csv.header("cache-control"), Some("no-store"));
        let lines: Vec<&str> = csv.body.lines().collect();
        assert!(lines[0].starts_with(
            "Time (UTC),Time (UK),Who,Email address,Account,Kind of event,Outcome,Child"
        ));
        let about_the_child = app
            .app
            .store
            .search_audit_events(&send_domain::AuditQuery {
                child_id: Some(child),
                ..send_domain::AuditQuery::default()
            })
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            lines.len(),
            1 + about_the_child.len() - 1,
            "a header, and every event about the child but the download itself"
        );
        assert!(lines.iter().skip(1).all(|l| l.contains(&child.to_string())));
        let viewed = lines
            .iter()
            .find(|l| l.contains("child.viewed,succeeded"))
            .unwrap_or_else(|| panic!("no view in {}", csv.body));
        assert!(viewed.contains(&format!("Staff {CASEWORKER} ({CASEWORKER}),{CASEWORKER}")));
        let harmless = lines
            .iter()
            .find(|l| l.contains("child.viewed,failed"))
            .unwrap_or_else(|| panic!("no planted event in {}", csv.body));
        assert!(
            harmless.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\""),
            "{harmless}"
        );
        assert!(harmless.ends_with(",'=1+2"), "{harmless}");

        let exports = audit(&app, AuditAction::AuditLogExported).await;
        assert_eq!(exports.len(), 1);
        assert_eq!(exports[0].outcome, AuditOutcome::Succeeded);
        assert_eq!(exports[0].child_id, Some(child));
    })
    .await;
}

/// A parent and another parent linked to the child, and a professional; the
/// caseworker and the professional open the record.
async fn record_opened(app: &TestApp) -> (ChildId, TestClient, TestClient) {
    let (mut caseworker, child) = caseworker_and_child(app).await;
    let mut parent = app.client();
    register(app, &mut parent, PARENT).await;
    let mut other = app.client();
    register(app, &mut other, OTHER_PARENT).await;
    let mut pro = professional(app, PROFESSIONAL).await;
    for (email, role) in [
        (PARENT, PortalRole::Parent),
        (OTHER_PARENT, PortalRole::Parent),
        (PROFESSIONAL, PortalRole::Professional),
    ] {
        link(
            app,
            child,
            stranger_id(app, email).await,
            role,
            LinkStatus::Active,
        )
        .await;
    }
    let dashboard = format!("/children/{child}/dashboard");
    app.clock.advance(time::Duration::minutes(1));
    assert_eq!(
        caseworker
            .get(&format!("/back-office/children/{child}"))
            .await
            .status,
        StatusCode::OK
    );
    app.clock.advance(time::Duration::minutes(1));
    assert_eq!(other.get(&dashboard).await.status, StatusCode::OK);
    app.clock.advance(time::Duration::minutes(1));
    assert_eq!(pro.get(&dashboard).await.status, StatusCode::OK);
    (child, parent, pro)
}

#[tokio::test]
async fn the_family_sees_who_opened_the_record_by_role_and_team_never_by_name() {
    on_both_databases(async |app| {
        let (child, mut parent, mut pro) = record_opened(&app).await;
        let dashboard = format!("/children/{child}/dashboard");
        let page = parent.get(&dashboard).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Who has looked at this record"));
        let section = &page.body[page
            .body
            .find("openings-heading")
            .unwrap_or_else(|| panic!("no list"))..];
        assert!(section.contains("Caseworker, SEND team at "), "{section}");
        assert!(
            section.contains("SENCO, Oakfield Primary School at "),
            "{section}"
        );
        for private in [
            CASEWORKER,
            "Staff case@",
            PROFESSIONAL,
            "Pat Senco",
            OTHER_PARENT,
        ] {
            assert!(
                !page.body.contains(private),
                "{private} shown to the family"
            );
        }
        // The other parent's and this parent's own views are not listed.
        assert_eq!(section.matches("<li>").count(), 2, "{section}");

        // A professional is not the family: no list for them.
        let theirs = pro.get(&dashboard).await;
        assert_eq!(theirs.status, StatusCode::OK);
        assert!(!theirs.body.contains("Who has looked at this record"));
        assert!(!theirs.body.contains("Caseworker, SEND team at"));
    })
    .await;
}

#[tokio::test]
async fn openings_older_than_90_days_are_not_listed() {
    on_both_databases(async |app| {
        let (child, _, _) = record_opened(&app).await;
        app.clock.advance(time::Duration::days(91));
        // Signed in afresh: the session has long ended.
        let mut parent = app.client();
        crate::accounts::sign_in(&app, &mut parent, PARENT, crate::accounts::PASSWORD).await;
        let page = parent.get(&format!("/children/{child}/dashboard")).await;
        assert!(page.body.contains(
            "No one at the council or any professional has opened the record in the last 90 days."
        ));
    })
    .await;
}

/// In Chromium, with axe on every page: an administrator opens the audit log
/// from Administration, makes a mistake in a date (the error summary), then
/// searches by kind and sees the table.
async fn search_in_a_browser(javascript: crate::support::browser::JavaScript) {
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
    let addr = app.serve().await;
    let Some(mut browser) = Browser::start(addr, javascript).await else {
        return;
    };
    crate::browser::staff_signs_in(&mut browser, &app, ADMIN).await;
    browser.visit("/back-office/admin").await;
    browser.click_link("Search the audit log").await;
    assert!(browser.title().await.starts_with("Audit log"));
    browser.fill("from-day", "32").await;
    browser.fill("from-month", "1").await;
    browser.fill("from-year", "2026").await;
    browser.press("Search").await;
    assert!(browser.title().await.starts_with("Error: Audit log"));
    assert!(
        browser
            .text_of(".govuk-error-summary")
            .await
            .contains("From must be a real date")
    );
    browser.fill("from-day", "").await;
    browser.fill("from-month", "").await;
    browser.fill("from-year", "").await;
    browser.choose("kind", "sign_in.completed").await;
    browser.press("Search").await;
    assert!(browser.title().await.starts_with("Audit log"));
    assert!(
        browser
            .text_of("table")
            .await
            .contains("Sign in: completed")
    );
    // Like every page a browser test opens, the results were also checked at
    // 320 pixels wide: no sideways scrolling (see `Browser::check_accessibility`).
    browser.close().await;
}

#[tokio::test]
async fn searching_the_audit_log_passes_axe_with_javascript_on() {
    search_in_a_browser(crate::support::browser::JavaScript::On).await;
}

#[tokio::test]
async fn searching_the_audit_log_passes_axe_with_javascript_off() {
    search_in_a_browser(crate::support::browser::JavaScript::Off).await;
}
