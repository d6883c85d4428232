//! Moving the council's configuration between portals (ADM-2): an export from
//! one database imported into a fresh one of the other kind and exported again
//! is the same file; a second import changes nothing; a changed file reports
//! exactly its changes; a plan made before someone else's change is not applied.

use std::collections::BTreeSet;

use send_app::App;
use send_app::AppError;
use send_app::audit::Source;
use send_app::configuration::{ConfigurationUser, ImportPlan, read_document};
use send_domain::advice::{AdviceKind, ReminderSchedule};
use send_domain::configuration::TextItem;
use send_domain::involvements::InvolvementKind;
use send_domain::milestones::{LocalMilestone, MilestoneUnit};
use send_domain::notifications::{Audiences, NotificationEvent, NotificationSetting};
use send_domain::{EventKind, Permission, StaffAccess, StaffRole, UserId};
use time::macros::date;

use crate::support::{Engine, TestApp, new_uuid};

fn staff(permissions: &[Permission]) -> StaffAccess {
    StaffAccess {
        account_id: UserId::from_uuid(new_uuid()),
        role: StaffRole::Administrator,
        team_id: None,
        permissions: permissions.iter().copied().collect(),
    }
}

fn admin() -> StaffAccess {
    staff(Permission::ALL)
}

fn source() -> Source {
    Source::default()
}

/// Sets up a council's configuration through the administration's own use
/// cases: a team, a group, a milestone, a holiday, a notification, a reminder
/// schedule and a form of its own, published.
async fn configure(app: &App) {
    let admin = admin();
    let s = source();
    ok(app.add_team(&admin, "North", &s).await);
    ok(app
        .add_permission_group(
            &admin,
            "Readers",
            BTreeSet::from([Permission::ViewCases]),
            &s,
        )
        .await);
    let milestone = LocalMilestone::new(
        InvolvementKind::Assessment,
        "Panel date",
        EventKind::RequestReceived,
        MilestoneUnit::Weeks,
        4,
        "The panel meets on Thursdays",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    ok(app.add_local_milestone(&admin, milestone, &s).await);
    ok(app
        .add_extra_holiday(
            &admin,
            send_store::ExtraHoliday {
                date: date!(2027 - 06 - 07),
                name: "A state occasion".to_owned(),
            },
            &s,
        )
        .await);
    let event = NotificationEvent::DocumentShared;
    ok(app
        .save_notification_setting(
            &admin,
            NotificationSetting {
                event,
                audiences: Audiences {
                    families: true,
                    professionals: false,
                },
                ..event.default_setting()
            },
            &s,
        )
        .await);
    ok(app
        .set_reminder_schedule(
            &admin,
            AdviceKind::Medical,
            ReminderSchedule {
                before: vec![7, 21],
                on_the_day: false,
                after: vec![3],
            },
            &s,
        )
        .await);
    // A message type renamed and a text reworded (their pages are another
    // piece of work; their writes are the store's).
    let (message_type, text) = renamed_type_and_text(app).await;
    ok(app
        .store
        .commit(
            &send_store::Changes::new()
                .with(send_store::Write::SaveMessageType(message_type))
                .with(send_store::Write::SaveCouncilText {
                    key: text.key.clone(),
                    value: text.value,
                    by: admin.account_id,
                    at: send_domain::Clock::now(app.clock.as_ref()),
                }),
        )
        .await);
    let builtin = app
        .store
        .form_by_builtin("request_assessment_family")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the built-in form is installed"));
    let copy = ok(app.copy_form(&admin, builtin.id, &s).await);
    let form = app
        .store
        .form(copy)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the copy is stored"));
    let published = ok(app.publish_form(&admin, copy, form.version, &s).await);
    assert!(
        matches!(published, send_app::forms::builder::Checked::Done(1)),
        "{published:?}"
    );
}

/// The first message type, renamed, and the first text with a default, with
/// a sentence added.
async fn renamed_type_and_text(app: &App) -> (send_domain::MessageType, TextItem) {
    let first = ok(app.store.message_types().await)
        .into_iter()
        .min_by_key(|t| t.id)
        .unwrap_or_else(|| panic!("message types are seeded"));
    let renamed = send_domain::MessageType {
        name: ok(send_domain::ShortText::parse(
            &format!("{} and travel", first.name),
            "the name",
        )),
        ..first
    };
    let spec = send_domain::council_texts::CATALOGUE
        .iter()
        .find(|spec| spec.default.is_some() && !spec.one_line)
        .unwrap_or_else(|| panic!("a text with a default"));
    let text = TextItem {
        key: spec.key.to_owned(),
        value: format!(
            "{}\n\nWe are here to help.",
            spec.default.unwrap_or_default()
        ),
    };
    (renamed, text)
}

fn ok<T, E: std::fmt::Debug>(result: Result<T, E>) -> T {
    result.unwrap_or_else(|e| panic!("{e:?}"))
}

async fn export(app: &App) -> String {
    ok(app
        .export_configuration(ConfigurationUser::Staff(&admin()), &source())
        .await)
}

async fn plan(app: &App, text: &str) -> ImportPlan {
    let document = read_document(text).unwrap_or_else(|problems| panic!("{problems:?}"));
    ok(app
        .plan_import(ConfigurationUser::Staff(&admin()), document)
        .await)
}

/// Plans the import and applies it as planned.
async fn import(app: &App, text: &str) -> ImportPlan {
    let planned = plan(app, text).await;
    let document = read_document(text).unwrap_or_else(|problems| panic!("{problems:?}"));
    ok(app
        .apply_import(
            ConfigurationUser::Staff(&admin()),
            document,
            &planned.fingerprint,
            &source(),
        )
        .await)
}

/// The document in `text` with one more one-off holiday, as TOML.
fn with_holiday(text: &str, date: &str, name: &str) -> String {
    let mut document = read_document(text).unwrap_or_else(|p| panic!("{p:?}"));
    document
        .one_off_holidays
        .push(send_domain::configuration::HolidayItem {
            date: date.to_owned(),
            name: name.to_owned(),
        });
    send_app::configuration::write_document(&document.sorted()).unwrap_or_else(|e| panic!("{e}"))
}

fn lines(plan: &ImportPlan) -> Vec<String> {
    plan.differences.iter().map(ToString::to_string).collect()
}

#[tokio::test]
async fn a_configuration_moves_from_sqlite_to_postgres_and_back_unchanged() {
    let first = TestApp::new().await;
    configure(&first.app).await;
    let exported = export(&first.app).await;
    for expected in [
        "format_version = 1",
        "name = \"North\"",
        "name = \"Readers\"",
        "code = \"local_assessment_panel_date\"",
        "date = \"2027-06-07\"",
        "event = \"document_shared\"",
        "advice_kind = \"medical\"",
        "days_before = [7, 21]",
        "[[forms.versions]]",
    ] {
        assert!(exported.contains(expected), "{expected} in\n{exported}");
    }
    assert_eq!(
        exported,
        export(&first.app).await,
        "two exports are the same"
    );

    let Some(postgres) = TestApp::builder().on(Engine::Postgres).build().await else {
        return;
    };
    let (message_type, text) = renamed_type_and_text(&postgres.app).await;
    let applied = import(&postgres.app, &exported).await;
    let spec = send_domain::council_texts::spec(&text.key).unwrap_or_else(|| panic!("a text"));
    let original = message_type
        .name
        .as_str()
        .trim_end_matches(" and travel")
        .to_owned();
    let type_line = format!(
        "Changed: Message type '{original}' renamed to '{}'",
        message_type.name
    );
    let text_line = format!(
        "Added: Text '{}' ({}) added",
        spec.label,
        spec.group.heading()
    );
    assert_eq!(
        lines(&applied),
        [
            "Added: Team 'North' added",
            "Added: Permission group 'Readers' added",
            type_line.as_str(),
            text_line.as_str(),
            "Added: Local milestone 'Panel date' added",
            "Added: One-off holiday 'A state occasion' on 2027-06-07 added",
            "Changed: Notification 'Document shared' professionals off",
            "Changed: Reminder schedule 'Medical advice' days before now 7, 21; on the day off; \
             days after now 3",
            "Added: Form 'Copy of Request an EHC needs assessment' added",
        ]
        .map(|line| line.replace("  ", "")),
        "{}",
        applied.describe()
    );
    let from_postgres = export(&postgres.app).await;
    assert_eq!(
        from_postgres, exported,
        "PostgreSQL's export is the same file"
    );
    assert!(plan(&postgres.app, &exported).await.changes_nothing());

    let back = TestApp::new().await;
    import(&back.app, &from_postgres).await;
    assert_eq!(export(&back.app).await, exported, "and back on SQLite");
    let again = import(&back.app, &from_postgres).await;
    assert!(again.changes_nothing(), "{}", again.describe());
    assert_eq!(
        again.describe(),
        "No changes: the configuration is already what the file says.\n"
    );
}

#[tokio::test]
async fn a_changed_file_reports_exactly_its_changes_and_applies_them_together() {
    let app = TestApp::new().await;
    configure(&app.app).await;
    let exported = export(&app.app).await;
    let edited = exported
        .replace("name = \"Readers\"", "name = \"Readers and writers\"")
        .replace(
            "permissions = [\"view_cases\"]",
            "permissions = [\"view_cases\", \"all_teams\"]",
        )
        .replace("name = \"A state occasion\"", "name = \"A state funeral\"")
        .replace("amount = 4", "amount = 6")
        .replace("name = \"North\"", "name = \"North and East\"")
        + "\n[[one_off_holidays]]\ndate = \"2027-09-20\"\nname = \"A coronation\"\n";
    let edited = edited.replace(
        "[[one_off_holidays]]\ndate = \"2027-06-07\"\nname = \"A state funeral\"\n",
        "",
    );
    let planned = plan(&app.app, &edited).await;
    assert_eq!(
        lines(&planned),
        [
            "Changed: Team 'North' renamed to 'North and East'",
            "Changed: Permission group 'Readers' renamed to 'Readers and writers'; now grants 'Work \
             on every team's cases'",
            "Changed: Local milestone 'Panel date' now 6 weeks after: date the council received the \
             request for an assessment",
            "Added: One-off holiday 'A coronation' on 2027-09-20 added",
            "Removed: One-off holiday 'A state occasion' on 2027-06-07 removed",
        ]
        .map(|line| line.replace("  ", "")),
        "{edited}"
    );
    assert!(!planned.changes_nothing());

    // Someone adds a holiday between the check and the confirmation: the plan
    // is not applied, and nothing of it is written.
    let before = export(&app.app).await;
    ok(app
        .app
        .add_extra_holiday(
            &admin(),
            send_store::ExtraHoliday {
                date: date!(2027 - 12 - 29),
                name: "An extra day".to_owned(),
            },
            &source(),
        )
        .await);
    let document = read_document(&edited).unwrap_or_else(|p| panic!("{p:?}"));
    let refused = app
        .app
        .apply_import(
            ConfigurationUser::Staff(&admin()),
            document.clone(),
            &planned.fingerprint,
            &source(),
        )
        .await;
    assert!(matches!(refused, Err(AppError::Changed)), "{refused:?}");
    let now = export(&app.app).await;
    assert_ne!(now, before, "the other change is there");
    assert!(now.contains("Readers\"") && !now.contains("A coronation"));

    // Planned again, it says so (the new holiday goes), and applies whole.
    let replanned = plan(&app.app, &edited).await;
    assert!(
        lines(&replanned)
            .contains(&"Removed: One-off holiday 'An extra day' on 2027-12-29 removed".to_owned())
    );
    import(&app.app, &edited).await;
    let after = export(&app.app).await;
    assert_eq!(
        read_document(&after),
        read_document(&edited),
        "the configuration is what the file says"
    );
    let again = plan(&app.app, &edited).await;
    assert!(again.changes_nothing(), "{}", again.describe());
    let imports =
        crate::back_office::audit(&app, send_domain::AuditAction::ConfigurationImported).await;
    assert_eq!(
        imports.len(),
        1,
        "the import applied is audited, the refused one is not"
    );
    assert_eq!(
        imports[0].detail.as_deref(),
        Some("added 1, changed 3, removed 2"),
        "{imports:?}"
    );
}

#[tokio::test]
async fn a_file_with_problems_names_where_and_changes_nothing() {
    for (text, expected) in [
        (
            "format_version = 1\ncolour = \"red\"\n",
            "line 2: unknown field `colour`",
        ),
        (
            "format_version = 2\n",
            "format_version: this portal reads format version 1, not 2",
        ),
        (
            "format_version = 1\n[[permission_groups]]\nid = \"00000000-0000-0000-0000-000000000009\"\n\
             name = \"Odd\"\npermissions = [\"fly\"]\n",
            "permission_groups[0] (Odd): \"fly\" is not a known permission",
        ),
        (
            "format_version = 1\n[[notifications]]\nevent = \"stage_changed\"\nfamilies = true\n\
             professionals = true\nsubject = \"Hello\"\nbody = \"No link here\"\n",
            "notifications[0] (stage_changed): ",
        ),
    ] {
        let problems = read_document(text).unwrap_err();
        let found: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(
            found.iter().any(|p| p.starts_with(expected)),
            "{expected:?} in {found:?}"
        );
    }
}

#[tokio::test]
async fn staff_without_manage_staff_are_refused_and_audited() {
    let app = TestApp::new().await;
    let caseworker = staff(&[Permission::ViewCases, Permission::EditCases]);
    let before = export(&app.app).await;
    let user = ConfigurationUser::Staff(&caseworker);
    assert!(matches!(
        app.app.export_configuration(user, &source()).await,
        Err(AppError::Forbidden)
    ));
    let document = read_document(&before).unwrap_or_else(|p| panic!("{p:?}"));
    assert!(matches!(
        app.app.plan_import(user, document.clone()).await,
        Err(AppError::Forbidden)
    ));
    let fingerprint = plan(&app.app, &before).await.fingerprint;
    assert!(matches!(
        app.app
            .apply_import(user, document, &fingerprint, &source())
            .await,
        Err(AppError::Forbidden)
    ));
    assert_eq!(export(&app.app).await, before);
    let mut outcomes = Vec::new();
    for action in [
        send_domain::AuditAction::ConfigurationExported,
        send_domain::AuditAction::ConfigurationImported,
    ] {
        outcomes.extend(
            crate::back_office::audit(&app, action)
                .await
                .into_iter()
                .filter(|e| e.actor == send_domain::Actor::User(caseworker.account_id))
                .map(|e| e.outcome),
        );
    }
    assert_eq!(
        outcomes,
        [
            send_domain::AuditOutcome::Refused,
            send_domain::AuditOutcome::Refused
        ]
    );
}

#[test]
fn the_config_commands_export_show_the_changes_and_apply_only_when_told() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let env = [
        (
            "SEND_PORTAL_DATA_DIR",
            data.path().to_string_lossy().into_owned(),
        ),
        (
            "SEND_PORTAL_COUNCIL_NAME",
            "Testshire County Council".to_owned(),
        ),
    ];
    let run = |args: &[&str]| {
        let output = crate::commands::send_portal()
            .args(args)
            .envs(env.clone())
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (ok, exported, err) = run(&["config", "export"]);
    assert!(ok, "{err}");
    assert!(exported.contains("format_version = 1"), "{exported}");
    let file = data.path().join("council.toml");
    let write = |text: &str| std::fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
    let path = file.to_string_lossy().into_owned();

    write(&exported);
    let (ok, out, err) = run(&["config", "import", &path]);
    assert!(ok, "{err}");
    assert_eq!(
        out,
        "No changes: the configuration is already what the file says.\n"
    );

    write(&with_holiday(&exported, "2027-06-07", "A state occasion"));
    let (ok, out, err) = run(&["config", "import", &path]);
    assert!(ok, "{err}");
    assert_eq!(
        out,
        "Added: One-off holiday 'A state occasion' on 2027-06-07 added\n\n\
         Nothing has been changed. Run again with --apply to make these changes.\n"
    );
    assert_eq!(run(&["config", "export"]).1, exported, "nothing changed");
    let (ok, out, err) = run(&["config", "import", &path, "--apply"]);
    assert!(ok, "{err}");
    assert!(out.ends_with("\nDone: 1 change made.\n"), "{out}");
    let (_, after, _) = run(&["config", "export"]);
    assert!(after.contains("A state occasion"), "{after}");
    let (ok, out, _) = run(&["config", "import", &path, "--apply"]);
    assert!(ok);
    assert_eq!(
        out,
        "No changes: the configuration is already what the file says.\n"
    );

    write("format_version = 1\n[[teams]]\nname = \"No id\"\n");
    let (ok, _, err) = run(&["config", "import", &path, "--apply"]);
    assert!(!ok, "a refused import exits with an error");
    assert!(
        err.contains("cannot be imported; nothing was changed") && err.contains("line 2"),
        "{err}"
    );
    assert_eq!(run(&["config", "export"]).1, after);
}

const PAGE: &str = "/back-office/admin/configuration";
const DOWNLOAD: &str = "/back-office/admin/configuration/download";
const CHECK: &str = "/back-office/admin/configuration/check";
const CONFIRM: &str = "/back-office/admin/configuration/confirm";
const ADMIN: &str = "admin@testshire.example";

async fn admin_client(app: &TestApp) -> crate::support::TestClient {
    crate::back_office::staff_client(
        app,
        ADMIN,
        StaffRole::Administrator,
        None,
        &[send_domain::default_group(StaffRole::Administrator)],
    )
    .await
}

/// The hidden fingerprint on the differences page.
fn fingerprint_of(page: &crate::support::TestResponse) -> String {
    let marker = "name=\"fingerprint\" value=\"";
    let start = page
        .body
        .find(marker)
        .unwrap_or_else(|| panic!("no fingerprint in {}", page.body))
        + marker.len();
    page.body[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn a_bad_upload_says_what_is_wrong_and_changes_nothing() {
    use crate::accounts::csrf_of;
    use http::StatusCode;

    let app = TestApp::new().await;
    let mut client = admin_client(&app).await;
    let token = csrf_of(&client.get(PAGE).await);
    let before = export(&app.app).await;
    // Bad uploads: none, not .toml, not readable; the page says which and
    // nothing is changed.
    let none = client
        .post_multipart(CHECK, &[("csrf_token", &token)], &[])
        .await;
    assert_eq!(none.status, StatusCode::BAD_REQUEST);
    assert!(
        none.body.contains("Select a configuration file"),
        "{}",
        none.body
    );
    let pdf = client
        .post_multipart(
            CHECK,
            &[("csrf_token", &token)],
            &[("configuration", "council.pdf", b"%PDF-1.7")],
        )
        .await;
    assert!(
        pdf.body
            .contains("must be a configuration file ending .toml")
    );
    let bad = client
        .post_multipart(
            CHECK,
            &[("csrf_token", &token)],
            &[(
                "configuration",
                "council.toml",
                b"format_version = 1\ncolour = 1\n",
            )],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.title().starts_with("Error: "));
    assert!(bad.body.contains("line 2: unknown field"), "{}", bad.body);

    assert_eq!(export(&app.app).await, before);
}

#[tokio::test]
async fn an_administrator_downloads_checks_and_confirms_an_import_over_the_pages() {
    use crate::accounts::csrf_of;
    use crate::back_office::location;
    use http::StatusCode;

    let app = TestApp::new().await;
    let mut client = admin_client(&app).await;
    let page = client.get(PAGE).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.h1(), "Move configuration");
    let token = csrf_of(&page);
    let downloaded = client.get(DOWNLOAD).await;
    assert_eq!(downloaded.status, StatusCode::OK);
    assert_eq!(
        downloaded.header("content-disposition"),
        Some("attachment; filename=\"send-portal-configuration.toml\"")
    );
    assert_eq!(downloaded.body, export(&app.app).await);

    // A good file: the differences, then the confirmation.
    let file = with_holiday(&downloaded.body, "2027-06-07", "A state occasion");
    let checked = client
        .post_multipart(
            CHECK,
            &[("csrf_token", &token)],
            &[("configuration", "council.toml", file.as_bytes())],
        )
        .await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    assert_eq!(checked.h1(), "Check the changes");
    assert!(
        checked
            .body
            .contains("One-off holiday &#39;A state occasion&#39; on 2027-06-07 added")
            || checked
                .body
                .contains("One-off holiday &#x27;A state occasion&#x27; on 2027-06-07 added"),
        "{}",
        checked.body
    );
    assert_eq!(
        export(&app.app).await,
        downloaded.body,
        "nothing changed yet"
    );

    // Someone else changes the configuration before the confirmation: the
    // changes are shown again, with what they are now.
    ok(app
        .app
        .add_extra_holiday(
            &admin(),
            send_store::ExtraHoliday {
                date: date!(2027 - 12 - 29),
                name: "An extra day".to_owned(),
            },
            &source(),
        )
        .await);
    let stale = client
        .post_form(
            CONFIRM,
            &[
                ("csrf_token", &token),
                ("fingerprint", &fingerprint_of(&checked)),
            ],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("Someone changed the configuration"));
    assert!(stale.body.contains("An extra day"), "{}", stale.body);

    let done = client
        .post_form(
            CONFIRM,
            &[
                ("csrf_token", &token),
                ("fingerprint", &fingerprint_of(&stale)),
            ],
        )
        .await;
    assert_eq!(location(&done), "/back-office/admin");
    let banner = client.get("/back-office/admin").await;
    assert!(
        banner
            .body
            .contains("The configuration has been imported: 2 changes made"),
        "{}",
        banner.body
    );
    let now = export(&app.app).await;
    assert!(now.contains("A state occasion") && !now.contains("An extra day"));
    // The upload is used once: confirming again starts over.
    let again = client
        .post_form(
            CONFIRM,
            &[
                ("csrf_token", &token),
                ("fingerprint", &fingerprint_of(&stale)),
            ],
        )
        .await;
    assert_eq!(location(&again), PAGE);
    assert_eq!(export(&app.app).await, now);
}

#[tokio::test]
async fn the_pages_refuse_portal_users_and_staff_without_the_permission() {
    use crate::accounts::{csrf_of, register};
    use crate::back_office::{caseworkers, location, staff_client};
    use crate::portal_access::{PARENT, professional};
    use crate::support::on_both_databases;
    use http::StatusCode;

    on_both_databases(async |app| {
        let before = export(&app.app).await;
        let mut admin = admin_client(&app).await;
        let admin_token = csrf_of(&admin.get(PAGE).await);
        let file = with_holiday(&before, "2027-06-07", "A state occasion");
        let checked = admin
            .post_multipart(
                CHECK,
                &[("csrf_token", &admin_token)],
                &[("configuration", "council.toml", file.as_bytes())],
            )
            .await;
        let fingerprint = fingerprint_of(&checked);

        let mut parent = app.client();
        register(&app, &mut parent, PARENT).await;
        let mut pro = professional(&app, "pat@oakfield.example").await;
        let mut caseworker = staff_client(
            &app,
            "case@testshire.example",
            StaffRole::Caseworker,
            Some(send_domain::DEFAULT_TEAM.0),
            &[caseworkers()],
        )
        .await;
        let people: [(&str, &mut crate::support::TestClient, StatusCode); 3] = [
            ("parent", &mut parent, StatusCode::NOT_FOUND),
            ("professional", &mut pro, StatusCode::NOT_FOUND),
            ("caseworker", &mut caseworker, StatusCode::FORBIDDEN),
        ];
        for (who, client, expected) in people {
            for path in [PAGE, DOWNLOAD] {
                let got = client.get(path).await;
                assert_eq!(got.status, expected, "{who} GET {path}");
                assert!(!got.body.contains("format_version"), "{who} {path}");
            }
            let token = csrf_of(&client.get("/account").await);
            let posted = client
                .post_multipart(
                    CHECK,
                    &[("csrf_token", &token)],
                    &[("configuration", "council.toml", file.as_bytes())],
                )
                .await;
            assert_eq!(posted.status, expected, "{who} POST check");
            let posted = client
                .post_form(
                    CONFIRM,
                    &[("csrf_token", &token), ("fingerprint", &fingerprint)],
                )
                .await;
            assert_eq!(posted.status, expected, "{who} POST confirm");
        }
        let mut visitor = app.client();
        let visitor_token = csrf_of(&visitor.get("/sign-in").await);
        for path in [PAGE, DOWNLOAD] {
            assert_eq!(location(&visitor.get(path).await), "/sign-in", "{path}");
        }
        let posted = visitor
            .post_form(
                CONFIRM,
                &[
                    ("csrf_token", &visitor_token),
                    ("fingerprint", &fingerprint),
                ],
            )
            .await;
        assert_eq!(location(&posted), "/sign-in");
        assert_eq!(
            export(&app.app).await,
            before,
            "nobody refused changed anything"
        );
    })
    .await;
}

/// In Chromium, with axe on every page: an administrator opens Move
/// configuration from Administration, uploads a file, checks the changes and
/// imports them.
async fn import_in_a_browser(javascript: crate::support::browser::JavaScript) {
    use crate::support::browser::Browser;

    let app = TestApp::new().await;
    crate::back_office::create_staff(
        &app,
        ADMIN,
        StaffRole::Administrator,
        None,
        &[send_domain::default_group(StaffRole::Administrator)],
    )
    .await;
    let file = tempfile::Builder::new()
        .suffix(".toml")
        .tempfile()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = with_holiday(&export(&app.app).await, "2027-06-07", "A state occasion");
    std::fs::write(file.path(), text).unwrap_or_else(|e| panic!("{e}"));
    let addr = app.serve().await;
    let Some(mut browser) = Browser::start(addr, javascript).await else {
        return;
    };
    crate::browser::staff_signs_in(&mut browser, &app, ADMIN).await;
    browser.visit("/back-office/admin").await;
    browser
        .click_link("Download or import the configuration")
        .await;
    assert!(browser.title().await.starts_with("Move configuration"));
    browser.press("Check the changes").await;
    assert!(browser.title().await.starts_with("Error: "));
    assert!(
        browser
            .text_of(".govuk-error-summary")
            .await
            .contains("Select a configuration file")
    );
    browser.attach("configuration", file.path()).await;
    browser.press("Check the changes").await;
    assert!(browser.title().await.starts_with("Check the changes"));
    assert!(
        browser
            .text_of("#changes")
            .await
            .contains("One-off holiday 'A state occasion' on 2027-06-07 added")
    );
    browser.press("Import these changes").await;
    assert_eq!(browser.path().await, "/back-office/admin");
    assert!(
        browser
            .text_of(".govuk-notification-banner")
            .await
            .contains("The configuration has been imported: 1 change made")
    );
    browser.close().await;
}

#[tokio::test]
async fn moving_configuration_passes_axe_with_javascript_on() {
    import_in_a_browser(crate::support::browser::JavaScript::On).await;
}

#[tokio::test]
async fn moving_configuration_passes_axe_with_javascript_off() {
    import_in_a_browser(crate::support::browser::JavaScript::Off).await;
}

#[tokio::test]
async fn removals_in_use_are_left_as_they_are_and_the_check_says_why() {
    let app = TestApp::new().await;
    configure(&app.app).await;
    let exported = export(&app.app).await;
    let document = read_document(&exported).unwrap_or_else(|p| panic!("{p:?}"));
    let north = document
        .teams
        .iter()
        .find(|t| t.name == "North")
        .map_or_else(
            || panic!("North is exported"),
            |t| send_domain::TeamId::from_uuid(t.id),
        );
    crate::back_office::create_staff(
        &app,
        "north@testshire.example",
        StaffRole::Caseworker,
        Some(north),
        &[crate::back_office::caseworkers()],
    )
    .await;
    let mut without = document.clone();
    without.teams.retain(|t| t.name != "North");
    without.permission_groups.retain(|g| g.name != "Readers");
    without.forms.clear();
    let text = send_app::configuration::write_document(&without).unwrap_or_else(|e| panic!("{e}"));
    let planned = plan(&app.app, &text).await;
    assert_eq!(
        lines(&planned),
        [
            "Removed: Team 'North' removed (not done: the team still has staff, children or a \
             set-up link waiting to be used)",
            "Removed: Permission group 'Readers' removed",
            "Removed: Form 'Copy of Request an EHC needs assessment' retired",
        ]
    );
    import(&app.app, &text).await;
    let after = read_document(&export(&app.app).await).unwrap_or_else(|p| panic!("{p:?}"));
    assert!(
        after.teams.iter().any(|t| t.name == "North"),
        "North is kept"
    );
    assert!(!after.permission_groups.iter().any(|g| g.name == "Readers"));
    assert!(
        after.forms.iter().all(|f| f.retired),
        "the form is retired, not deleted"
    );
    let again = plan(&app.app, &text).await;
    assert!(again.changes_nothing(), "{}", again.describe());
    assert_eq!(
        again.differences.len(),
        1,
        "only the kept team is still listed"
    );
}

/// The upload's queued "remove it" job: its key in file storage, and when it runs.
async fn kept_upload(app: &TestApp) -> Option<(String, time::OffsetDateTime)> {
    let overview = ok(app.app.jobs_overview(50).await);
    overview
        .queued
        .iter()
        .find_map(|entry| match &entry.job.payload {
            send_domain::jobs::JobPayload::DiscardUpload { key } => {
                Some((key.clone(), entry.job.run_at))
            }
            _ => None,
        })
}

#[tokio::test]
async fn an_upload_waits_in_file_storage_not_the_session_and_goes_once_used() {
    use crate::accounts::csrf_of;
    use crate::back_office::location;
    use send_domain::clock::Clock;
    use send_domain::jobs::JobPayload;

    let app = TestApp::new().await;
    let mut client = admin_client(&app).await;
    let token = csrf_of(&client.get(PAGE).await);
    let text = with_holiday(&export(&app.app).await, "2027-06-07", "A state occasion");
    let checked = client
        .post_multipart(
            CHECK,
            &[("csrf_token", &token)],
            &[("configuration", "council.toml", text.as_bytes())],
        )
        .await;
    assert_eq!(checked.h1(), "Check the changes");
    // The file is kept in file storage, with a job to remove it in a day.
    let (key, run_at) = kept_upload(&app).await.expect("a job removes the upload");
    assert_eq!(run_at, app.clock.now() + time::Duration::days(1));
    assert_eq!(ok(app.app.files.read(&key).await), text.as_bytes());

    // Checking another file replaces the first: the first is removed at once.
    let second = with_holiday(&text, "2027-06-08", "Another occasion");
    client
        .post_multipart(
            CHECK,
            &[("csrf_token", &token)],
            &[("configuration", "council.toml", second.as_bytes())],
        )
        .await;
    assert!(app.app.files.read(&key).await.is_err(), "the first is gone");
    let (key, _) = kept_upload(&app).await.expect("the second is kept");
    let confirmed = client
        .post_form(
            CONFIRM,
            &[
                ("csrf_token", &token),
                ("fingerprint", &fingerprint_of(&checked)),
            ],
        )
        .await;
    // The first file's fingerprint no longer matches the second: shown again.
    assert_eq!(confirmed.status, http::StatusCode::CONFLICT);
    let done = client
        .post_form(
            CONFIRM,
            &[
                ("csrf_token", &token),
                ("fingerprint", &fingerprint_of(&confirmed)),
            ],
        )
        .await;
    assert_eq!(location(&done), "/back-office/admin");
    assert!(export(&app.app).await.contains("Another occasion"));
    // Imported: the file is removed and its job cancelled.
    assert!(app.app.files.read(&key).await.is_err(), "removed once used");
    assert!(kept_upload(&app).await.is_none(), "nothing left to remove");
    let cancelled = ok(app
        .app
        .store
        .jobs_of_subject(&JobPayload::DiscardUpload { key }.subject())
        .await);
    assert_eq!(
        cancelled.iter().map(|e| e.status).collect::<Vec<_>>(),
        vec![send_domain::jobs::JobStatus::Cancelled]
    );
}

async fn check_file(
    client: &mut crate::support::TestClient,
    token: &str,
    file: &str,
) -> crate::support::TestResponse {
    client
        .post_multipart(
            CHECK,
            &[("csrf_token", token)],
            &[("configuration", "council.toml", file.as_bytes())],
        )
        .await
}

#[tokio::test]
async fn an_upload_not_confirmed_within_a_day_is_removed_and_must_be_uploaded_again() {
    use crate::accounts::csrf_of;
    use crate::back_office::location;

    let app = TestApp::new().await;
    let mut client = admin_client(&app).await;
    let token = csrf_of(&client.get(PAGE).await);
    let before = export(&app.app).await;
    let file = with_holiday(&before, "2027-06-07", "A state occasion");
    // The file has gone before the confirmation (its job ran on another
    // server, say): the page asks for it again and nothing is imported.
    let checked = check_file(&mut client, &token, &file).await;
    let (key, _) = kept_upload(&app).await.expect("a job removes the upload");
    ok(app.app.files.delete(&key).await);
    let late = client
        .post_form(
            CONFIRM,
            &[
                ("csrf_token", &token),
                ("fingerprint", &fingerprint_of(&checked)),
            ],
        )
        .await;
    assert_eq!(location(&late), PAGE);
    let page = client.get(PAGE).await;
    assert!(
        page.body
            .contains("kept for a day only and has been removed. Upload it again"),
        "{}",
        page.body
    );
    assert_eq!(export(&app.app).await, before, "nothing imported");

    // The job removes an upload nobody confirmed once a day has passed, not before.
    check_file(&mut client, &token, &file).await;
    let (key, run_at) = kept_upload(&app).await.expect("a job removes the upload");
    crate::advice::run_jobs_at(&app, run_at - time::Duration::minutes(1)).await;
    assert!(app.app.files.read(&key).await.is_ok(), "kept for a day");
    assert_eq!(crate::advice::run_jobs_at(&app, run_at).await, 1);
    assert!(
        app.app.files.read(&key).await.is_err(),
        "removed after a day"
    );
    assert!(kept_upload(&app).await.is_none());
}
