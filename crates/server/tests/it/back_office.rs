//! The back office: children's records, searched, opened and changed by staff
//! within their permissions and teams, every view and change audited.

use std::collections::BTreeSet;

use http::StatusCode;
use send_domain::{
    Account, AccountKind, AuditAction, AuditOutcome, AuditQuery, ChildId, Clock, DEFAULT_TEAM,
    Email, Permission, PermissionGroupId, PersonName, SecondFactor, StaffRole, TeamId,
    TotpEnrolment, UserId, default_group,
};
use send_store::{Changes, Effects, NewAccount, PermissionGroup, StaffMembership, Team, Write};
use time::Duration;

use crate::accounts::{PASSWORD, app_code, csrf_of, submit};
use crate::support::{TestApp, TestClient, TestResponse, on_both_databases};

pub const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// Where staff land after signing in: My cases.
pub const MY_CASES: &str = "/back-office/caseload?scope=mine";

pub fn location(response: &TestResponse) -> &str {
    response.header("location").unwrap_or_default()
}

/// A staff account in `team` with `groups`, signed in through the real pages
/// (password, then the authenticator app).
pub async fn staff_client(
    app: &TestApp,
    email: &str,
    role: StaffRole,
    team: Option<TeamId>,
    groups: &[PermissionGroupId],
) -> TestClient {
    create_staff(app, email, role, team, groups).await;
    staff_sign_in(app, email).await
}

/// Signs an existing member of staff (password [`PASSWORD`], authenticator
/// [`SECRET`]) in, in a new session.
pub async fn staff_sign_in(app: &TestApp, email: &str) -> TestClient {
    let mut client = app.client();
    let step = submit(
        &mut client,
        "/sign-in",
        "/sign-in",
        &[("email", email), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(location(&step), "/sign-in/authenticator", "{}", step.body);
    let code = app_code(SECRET, app.clock.now());
    let done = submit(
        &mut client,
        "/sign-in/authenticator",
        "/sign-in/authenticator",
        &[("code", &code)],
    )
    .await;
    assert!(
        [MY_CASES, "/back-office"].contains(&location(&done)),
        "staff land on My cases, or Find a child without the view cases permission: {}",
        done.body
    );
    client
}

/// A staff account with the password [`PASSWORD`] and the authenticator secret
/// [`SECRET`], in `team` with `groups`.
pub async fn create_staff(
    app: &TestApp,
    email: &str,
    role: StaffRole,
    team: Option<TeamId>,
    groups: &[PermissionGroupId],
) {
    create_staff_in(&app.app, email, role, team, groups).await;
}

/// As [`create_staff`], in any application (one a test built itself); returns
/// the account's id.
pub async fn create_staff_in(
    app: &send_app::App,
    email: &str,
    role: StaffRole,
    team: Option<TeamId>,
    groups: &[PermissionGroupId],
) -> UserId {
    let now = app.clock.now();
    let id = UserId::from_uuid(crate::support::new_uuid());
    let policy = send_domain::PasswordPolicy::seed();
    let council = send_domain::CouncilName::parse(crate::support::COUNCIL)
        .unwrap_or_else(|e| panic!("{e:?}"));
    let email_address = Email::parse(email).unwrap_or_else(|e| panic!("{e:?}"));
    let password = send_app::passwords::check_new(
        PASSWORD,
        &policy,
        &council,
        &email_address,
        send_app::passwords::StoredHistory::default(),
    )
    .await
    .unwrap_or_else(|e| panic!("{e:?}"))
    .unwrap_or_else(|e| panic!("{e:?}"));
    let account = Account {
        id,
        kind: AccountKind::Staff,
        email: email_address,
        name: PersonName::parse(&format!("Staff {email}")).unwrap_or_else(|e| panic!("{e:?}")),
        phone: None,
        professional: None,
        staff_role: Some(role),
        password_hash: send_app::passwords::hash(password)
            .await
            .unwrap_or_else(|e| panic!("{e:?}")),
        second_factor: SecondFactor::Authenticator,
        totp: Some(TotpEnrolment {
            secret_base32: SECRET.to_owned(),
            last_used_step: None,
        }),
        email_verified_at: Some(now),
        created_at: now,
        updated_at: now,
    };
    let store = &app.store;
    store
        .insert_account(
            &NewAccount {
                account,
                code: None,
                setup_link: None,
                recovery_codes: Vec::new(),
            },
            &Effects::default(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    store
        .commit(&Changes::new().with(Write::SetStaffMembership {
            membership: StaffMembership {
                account_id: id,
                team_id: team,
                groups: groups.iter().copied().collect(),
            },
            at: time::OffsetDateTime::UNIX_EPOCH,
        }))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    id
}

/// Adds a permission group straight to the store.
pub async fn insert_group(app: &TestApp, group: &PermissionGroup) {
    app.app
        .store
        .commit(&Changes::new().with(Write::InsertPermissionGroup {
            group: group.clone(),
            at: app.clock.now(),
        }))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
}

/// Adds a team straight to the store.
pub async fn insert_team(app: &TestApp, team: &Team) {
    app.app
        .store
        .commit(&Changes::new().with(Write::InsertTeam {
            team: team.clone(),
            at: app.clock.now(),
        }))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
}

pub fn caseworkers() -> PermissionGroupId {
    default_group(StaffRole::Caseworker)
}

pub const CHILD: &[(&str, &str)] = &[
    ("first_name", "Alex"),
    ("last_name", "Example"),
    ("preferred_name", "Lex"),
    ("dob-day", "14"),
    ("dob-month", "3"),
    ("dob-year", "2016"),
    ("sex", "M"),
    ("nhs_number", "943 476 5919"),
    ("uln", "1234567899"),
    ("postcode", "wr1 2pg"),
    ("setting", "Oakfield Primary School"),
    ("primary_need", "ASD"),
    ("contact_name", "Sam Example"),
    ("contact_relationship", "Mother"),
    ("contact_email", "sam@example.com"),
    ("contact_parental_responsibility", "yes"),
];

pub async fn add_child(client: &mut TestClient) -> ChildId {
    let added = submit(
        client,
        "/back-office/children/new",
        "/back-office/children/new",
        CHILD,
    )
    .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    location(&added)
        .trim_start_matches("/back-office/children/")
        .parse()
        .unwrap_or_else(|e| panic!("{e:?}"))
}

pub async fn audit(app: &TestApp, action: AuditAction) -> Vec<send_domain::AuditEvent> {
    app.app
        .store
        .search_audit_events(&AuditQuery {
            child_id: None,
            user_id: None,
            action: Some(action),
            limit: 100,
            ..AuditQuery::default()
        })
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
}

#[tokio::test]
async fn a_caseworker_adds_finds_opens_and_changes_a_child_and_the_chronology_shows_it() {
    on_both_databases(async |app| {
        let mut caseworker = staff_client(
            &app,
            "case@testshire.example",
            StaffRole::Caseworker,
            Some(DEFAULT_TEAM.0),
            &[caseworkers()],
        )
        .await;
        assert_eq!(caseworker.get("/back-office").await.status, StatusCode::OK);

        // Mistakes: each field's message, answers kept, nothing written.
        let refused = submit(
            &mut caseworker,
            "/back-office/children/new",
            "/back-office/children/new",
            &[
                ("first_name", "Alex"),
                ("dob-day", "31"),
                ("dob-month", "2"),
                ("dob-year", "2016"),
                ("nhs_number", "943 476 5918"),
                ("postcode", "nowhere"),
            ],
        )
        .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        for message in [
            "There is a problem",
            "Enter the child&#39;s legal last name",
            "Date of birth must be a real date",
            "Select the child&#39;s sex",
            "The NHS number is not valid",
            "Enter a real postcode",
        ] {
            assert!(refused.body.contains(message), "missing {message:?}");
        }
        assert!(refused.body.contains("value=\"Alex\""));
        assert!(audit(&app, AuditAction::ChildCreated).await.is_empty());

        let id = add_child(&mut caseworker).await;
        let page = caseworker.get(&format!("/back-office/children/{id}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Lex Example"));
        assert!(page.body.contains("943 476 5919"));
        assert!(page.body.contains("WR1 2PG"));
        assert!(page.body.contains("Autistic spectrum disorder"));
        assert!(page.body.contains("Sam Example"));

        for query in [
            "name=lex",
            "identifier=9434765919",
            "dob-day=14&dob-month=3&dob-year=2016",
            "postcode=WR1+2PG",
            "name=alex&postcode=wr12pg",
        ] {
            let found = caseworker
                .get(&format!("/back-office/children?{query}"))
                .await;
            assert!(found.body.contains("1 child found"), "{query}");
            assert!(
                found.body.contains(&format!("/back-office/children/{id}")),
                "{query}"
            );
        }
        let none = caseworker.get("/back-office/children?name=nobody").await;
        assert!(none.body.contains("0 children found"));

        let mut changed: Vec<(&str, &str)> = CHILD.to_vec();
        changed.retain(|(k, _)| *k != "setting");
        changed.push(("setting", "Riverside Academy"));
        app.clock.advance(Duration::minutes(5));
        let saved = submit(
            &mut caseworker,
            &format!("/back-office/children/{id}/edit"),
            &format!("/back-office/children/{id}/edit"),
            &changed,
        )
        .await;
        assert_eq!(location(&saved), format!("/back-office/children/{id}"));
        let page = caseworker.get(&format!("/back-office/children/{id}")).await;
        assert!(page.body.contains("Riverside Academy"));

        let chronology = caseworker
            .get(&format!("/back-office/children/{id}/chronology"))
            .await;
        let changed_at = chronology.body.find("Child&#39;s details changed").unwrap();
        let added_at = chronology.body.find("Child&#39;s record added").unwrap();
        assert!(changed_at < added_at, "newest first");
        assert!(chronology.body.contains("by Staff case@testshire.example"));

        let views = audit(&app, AuditAction::ChildViewed).await;
        assert!(views.iter().all(|e| e.child_id == Some(id)));
        assert!(views.len() >= 3, "every view is audited");
        assert_eq!(audit(&app, AuditAction::ChildCreated).await.len(), 1);
        assert_eq!(audit(&app, AuditAction::ChildUpdated).await.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn access_is_refused_outside_permissions_and_teams_and_refusals_are_audited() {
    on_both_databases(async |app| {
        let mut caseworker = staff_client(
            &app,
            "case@testshire.example",
            StaffRole::Caseworker,
            Some(DEFAULT_TEAM.0),
            &[caseworkers()],
        )
        .await;
        let id = add_child(&mut caseworker).await;

        // A member of the same team who may only view.
        let viewers = PermissionGroup {
            id: PermissionGroupId::from_uuid(crate::support::new_uuid()),
            name: "Viewers".to_owned(),
            permissions: BTreeSet::from([Permission::ViewCases]),
        };
        insert_group(&app, &viewers).await;
        let mut viewer = staff_client(
            &app,
            "viewer@testshire.example",
            StaffRole::Caseworker,
            Some(DEFAULT_TEAM.0),
            &[viewers.id],
        )
        .await;
        assert_eq!(
            viewer
                .get(&format!("/back-office/children/{id}"))
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            viewer.get("/back-office/children/new").await.status,
            StatusCode::FORBIDDEN
        );
        let page = viewer.get(&format!("/back-office/children/{id}")).await;
        let token = csrf_of(&page);
        let mut fields = vec![("csrf_token", token.as_str())];
        fields.extend_from_slice(CHILD);
        fields.retain(|(k, _)| *k != "first_name");
        fields.push(("first_name", "Changed"));
        let refused = viewer
            .post_form(&format!("/back-office/children/{id}/edit"), &fields)
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let record = app.app.store.child(id).await.unwrap().unwrap();
        assert_eq!(record.legal_first_name.as_str(), "Alex", "nothing written");

        // A caseworker of another team cannot open or find the child.
        let north = Team {
            id: TeamId::from_uuid(crate::support::new_uuid()),
            name: "North team".to_owned(),
        };
        insert_team(&app, &north).await;
        let mut other = staff_client(
            &app,
            "north@testshire.example",
            StaffRole::Caseworker,
            Some(north.id),
            &[caseworkers()],
        )
        .await;
        let hidden = other.get(&format!("/back-office/children/{id}")).await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND);
        assert!(!hidden.body.contains("Alex"));
        let search = other.get("/back-office/children?name=alex").await;
        assert!(search.body.contains("0 children found"));
        let refusals: Vec<_> = audit(&app, AuditAction::ChildViewed)
            .await
            .into_iter()
            .filter(|e| e.outcome == AuditOutcome::Refused)
            .collect();
        assert_eq!(refusals.len(), 1);
        assert_eq!(
            refusals[0].subject.as_deref(),
            Some(format!("child:{id}").as_str())
        );

        // Portal users do not see the back office at all; visitors must sign in.
        let mut parent = app.client();
        crate::accounts::register(&app, &mut parent, "parent@example.com").await;
        assert_eq!(
            parent.get("/back-office").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            parent
                .get(&format!("/back-office/children/{id}"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let mut visitor = app.client();
        assert_eq!(location(&visitor.get("/back-office").await), "/sign-in");
    })
    .await;
}

pub async fn open_assessment(
    client: &mut TestClient,
    child: ChildId,
    start: (&str, &str, &str),
) -> String {
    let path = format!("/back-office/children/{child}/involvements/new");
    let opened = submit(
        client,
        &path,
        &path,
        &[
            ("kind", "assessment"),
            ("start-day", start.0),
            ("start-month", start.1),
            ("start-year", start.2),
            ("requested_by", "parent"),
            ("assign_to_me", "yes"),
        ],
    )
    .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    location(&opened).to_owned()
}

async fn move_stage(
    client: &mut TestClient,
    page: &str,
    to: &str,
    on: (&str, &str, &str),
) -> TestResponse {
    submit(
        client,
        page,
        &format!("{page}/stage"),
        &[
            ("to", to),
            ("on-day", on.0),
            ("on-month", on.1),
            ("on-year", on.2),
            ("note", "Panel agreed"),
        ],
    )
    .await
}

#[tokio::test]
async fn an_assessment_moves_through_its_stages_and_its_key_dates_follow() {
    on_both_databases(async |app| {
        // The test clock says 23 November 2026; the request came on 5 October.
        let mut caseworker = staff_client(
            &app,
            "case@testshire.example",
            StaffRole::Caseworker,
            Some(DEFAULT_TEAM.0),
            &[caseworkers()],
        )
        .await;
        let child = add_child(&mut caseworker).await;
        let page = open_assessment(&mut caseworker, child, ("5", "10", "2026")).await;
        let shown = caseworker.get(&page).await;
        assert_eq!(shown.status, StatusCode::OK);
        // 6 weeks from 5 October: 16 November, already passed: missed by 7 days.
        assert!(shown.body.contains("16 November 2026"));
        assert!(shown.body.contains("Missed by 7 days"), "{}", shown.body);
        // 20 weeks: 22 February 2027, upcoming.
        assert!(shown.body.contains("22 February 2027"));
        assert!(
            shown
                .body
                .contains("aria-current=\"step\">Request received")
        );

        // A stage it cannot reach yet is refused with a message, nothing written.
        let refused = move_stage(&mut caseworker, &page, "final_plan", ("20", "11", "2026")).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(
            refused.body.contains("Select the stage to move to")
                || refused.body.contains("cannot move")
        );
        let moved = move_stage(
            &mut caseworker,
            &page,
            "decision_to_assess",
            ("10", "11", "2026"),
        )
        .await;
        assert_eq!(location(&moved), page, "{}", moved.body);
        let shown = caseworker.get(&page).await;
        assert!(shown.body.contains("Met on 10 November 2026"));
        assert!(
            shown
                .body
                .contains("aria-current=\"step\">Decision to assess")
        );

        // An exception excuses exactly the deadline it names.
        let excused = submit(
            &mut caseworker,
            &page,
            &format!("{page}/exceptions"),
            &[
                ("rule", "final_plan"),
                ("exception", "school_closed"),
                (
                    "reason",
                    "The school was closed for the summer when advice was asked",
                ),
            ],
        )
        .await;
        assert_eq!(location(&excused), page, "{}", excused.body);
        let shown = caseworker.get(&page).await;
        assert!(
            shown
                .body
                .contains("Excused: The school or setting asked for advice was closed")
        );

        // The caseload shows it, with counts and filters.
        let mine = caseworker.get("/back-office/caseload?scope=mine").await;
        assert!(mine.body.contains("Lex Example"));
        assert!(mine.body.contains("<strong>1</strong> open"));
        assert!(
            mine.body
                .contains("<strong>1</strong> with an exception recorded")
        );
        let overdue = caseworker
            .get("/back-office/caseload?scope=team&overdue=yes")
            .await;
        assert!(
            !overdue.body.contains("Lex Example"),
            "nothing is overdue now"
        );

        let chronology = caseworker
            .get(&format!("/back-office/children/{child}/chronology"))
            .await;
        assert!(
            chronology
                .body
                .contains("Request received → Decision to assess on 10 November 2026")
        );
        assert!(chronology.body.contains("Panel agreed"));
        assert!(chronology.body.contains("Exception recorded"));
        assert_eq!(
            audit(&app, AuditAction::InvolvementStageChanged)
                .await
                .len(),
            1
        );
    })
    .await;
}

#[tokio::test]
async fn a_caseworker_without_edit_cases_cannot_change_a_stage() {
    on_both_databases(async |app| {
        let mut caseworker = staff_client(
            &app,
            "case@testshire.example",
            StaffRole::Caseworker,
            Some(DEFAULT_TEAM.0),
            &[caseworkers()],
        )
        .await;
        let child = add_child(&mut caseworker).await;
        let page = open_assessment(&mut caseworker, child, ("5", "10", "2026")).await;
        let viewers = PermissionGroup {
            id: PermissionGroupId::from_uuid(crate::support::new_uuid()),
            name: "Viewers".to_owned(),
            permissions: BTreeSet::from([Permission::ViewCases]),
        };
        insert_group(&app, &viewers).await;
        let mut viewer = staff_client(
            &app,
            "viewer@testshire.example",
            StaffRole::Caseworker,
            Some(DEFAULT_TEAM.0),
            &[viewers.id],
        )
        .await;
        let shown = viewer.get(&page).await;
        assert_eq!(shown.status, StatusCode::OK);
        assert!(!shown.body.contains("Change the stage"), "no form offered");
        let token = csrf_of(&shown);
        let refused = viewer
            .post_form(
                &format!("{page}/stage"),
                &[
                    ("csrf_token", &token),
                    ("to", "decision_to_assess"),
                    ("on-day", "10"),
                    ("on-month", "11"),
                    ("on-year", "2026"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let shown = caseworker.get(&page).await;
        assert!(
            shown
                .body
                .contains("aria-current=\"step\">Request received"),
            "nothing written"
        );
        assert!(
            audit(&app, AuditAction::InvolvementStageChanged)
                .await
                .is_empty()
        );
        let refusals = audit(&app, AuditAction::ChildUpdated).await;
        assert!(refusals.iter().any(|e| e.outcome == AuditOutcome::Refused));
    })
    .await;
}

#[tokio::test]
async fn an_administrator_invites_a_caseworker_who_sets_up_their_account_and_joins_the_team() {
    on_both_databases(async |app| {
        let mut admin = staff_client(
            &app,
            "admin@testshire.example",
            StaffRole::Administrator,
            None,
            &[default_group(StaffRole::Administrator)],
        )
        .await;
        // Someone without "manage staff" is refused.
        let mut caseworker = staff_client(
            &app,
            "case@testshire.example",
            StaffRole::Caseworker,
            Some(DEFAULT_TEAM.0),
            &[caseworkers()],
        )
        .await;
        assert_eq!(
            caseworker.get("/back-office/admin").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            caseworker.get("/back-office/admin/invite").await.status,
            StatusCode::FORBIDDEN
        );

        let refused = submit(
            &mut admin,
            "/back-office/admin/invite",
            "/back-office/admin/invite",
            &[("name", "Nia New")],
        )
        .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(
            refused
                .body
                .contains("Select at least one permission group")
        );
        assert!(refused.body.contains("value=\"Nia New\""));

        let team = DEFAULT_TEAM.0.to_string();
        let group = caseworkers().to_string();
        let sent = submit(
            &mut admin,
            "/back-office/admin/invite",
            "/back-office/admin/invite",
            &[
                ("name", "Nia New"),
                ("email", "nia@testshire.example"),
                ("role", "caseworker"),
                ("team", &team),
                ("groups", &group),
            ],
        )
        .await;
        assert_eq!(location(&sent), "/back-office/admin", "{}", sent.body);
        let (subject, text) = crate::accounts::latest_email(&app, "nia@testshire.example").await;
        assert_eq!(subject, "Set up your SEND Portal back-office account");
        let link = text
            .split_whitespace()
            .find(|w| w.contains("/staff/setup/"))
            .unwrap()
            .trim_start_matches("http://localhost:8080")
            .to_owned();

        let mut nia = app.client();
        let page = nia.get(&link).await;
        let marker = "id=\"authenticator-key\">";
        let at = page.body.find(marker).unwrap() + marker.len();
        let secret: String = page.body[at..].split('<').next().unwrap().to_owned();
        let created = nia
            .post_form(
                &link,
                &[
                    ("csrf_token", &csrf_of(&page)),
                    ("password", PASSWORD),
                    ("confirm_password", PASSWORD),
                    ("code", &app_code(&secret, app.clock.now())),
                ],
            )
            .await;
        assert_eq!(
            location(&created),
            "/account/recovery-codes",
            "{}",
            created.body
        );
        assert_eq!(nia.get("/back-office").await.status, StatusCode::OK);
        let account = app
            .app
            .store
            .account_by_email(&Email::parse("nia@testshire.example").unwrap())
            .await
            .unwrap()
            .unwrap();
        let access = app.app.staff_access(account.id).await.unwrap().unwrap();
        assert_eq!(access.team_id, Some(DEFAULT_TEAM.0));
        assert!(access.has(Permission::EditCases));
        assert!(!access.has(Permission::ManageStaff));
    })
    .await;
}

#[tokio::test]
async fn an_annual_review_is_recorded_on_a_plan_and_an_amendment_is_followed() {
    on_both_databases(async |app| {
        let mut caseworker = staff_client(
            &app,
            "case@testshire.example",
            StaffRole::Caseworker,
            Some(DEFAULT_TEAM.0),
            &[caseworkers()],
        )
        .await;
        let child = add_child(&mut caseworker).await;
        let path = format!("/back-office/children/{child}/involvements/new");
        let opened = submit(
            &mut caseworker,
            &path,
            &path,
            &[
                ("kind", "plan"),
                ("start-day", "1"),
                ("start-month", "12"),
                ("start-year", "2025"),
            ],
        )
        .await;
        let page = location(&opened).to_owned();
        let shown = caseworker.get(&page).await;
        // 12 months from 1 December 2025.
        assert!(shown.body.contains("1 December 2026"), "{}", shown.body);
        assert!(shown.body.contains("Record an annual review"));

        let review = |decision: &'static str, reason: &'static str| {
            vec![
                ("meeting-day", "2"),
                ("meeting-month", "11"),
                ("meeting-year", "2026"),
                ("report-day", "6"),
                ("report-month", "11"),
                ("report-year", "2026"),
                ("decision", decision),
                ("decided-day", "9"),
                ("decided-month", "11"),
                ("decided-year", "2026"),
                ("cease_reason", reason),
            ]
        };
        let refused = submit(
            &mut caseworker,
            &page,
            &format!("{page}/reviews"),
            &review("cease", ""),
        )
        .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(refused.body.contains("Select why the plan ended"));
        let saved = submit(
            &mut caseworker,
            &page,
            &format!("{page}/reviews"),
            &review("amend", ""),
        )
        .await;
        assert_eq!(location(&saved), page, "{}", saved.body);
        let shown = caseworker.get(&page).await;
        // Next review 12 months from this meeting; the family's comments at least 15
        // days and the amended plan 8 weeks from the notice.
        assert!(shown.body.contains("2 November 2027"));
        assert!(shown.body.contains("24 November 2026"), "{}", shown.body);
        assert!(shown.body.contains("4 January 2027"));
        assert!(shown.body.contains("Record the amended plan"));
        let amended = submit(
            &mut caseworker,
            &page,
            &format!("{page}/amended-plan"),
            &[
                ("amended-day", "20"),
                ("amended-month", "11"),
                ("amended-year", "2026"),
            ],
        )
        .await;
        assert_eq!(location(&amended), page, "{}", amended.body);
        let shown = caseworker.get(&page).await;
        assert!(shown.body.contains("Met on 20 November 2026"));
        assert!(!shown.body.contains("Record the amended plan"));
        let chronology = caseworker
            .get(&format!("/back-office/children/{child}/chronology"))
            .await;
        assert!(
            chronology
                .body
                .contains("Annual review meeting on 2 November 2026")
        );
        assert!(
            chronology
                .body
                .contains("Amended EHC plan issued on 20 November 2026")
        );
    })
    .await;
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "one journey, read from top to bottom"
)]
async fn a_council_adds_its_own_milestone_and_a_one_off_bank_holiday() {
    on_both_databases(async |app| {
        let mut admin = staff_client(
            &app,
            "admin@testshire.example",
            StaffRole::Administrator,
            None,
            &[default_group(StaffRole::Administrator)],
        )
        .await;
        let mut caseworker = staff_client(
            &app,
            "case@testshire.example",
            StaffRole::Caseworker,
            Some(DEFAULT_TEAM.0),
            &[caseworkers()],
        )
        .await;
        assert_eq!(
            caseworker
                .get("/back-office/admin/milestones/new")
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let refused = submit(
            &mut admin,
            "/back-office/admin/milestones/new",
            "/back-office/admin/milestones/new",
            &[
                ("kind", "assessment"),
                ("title", "Panel date"),
                ("amount", "0"),
                ("unit", "weeks"),
                ("start_event", "request_received"),
            ],
        )
        .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(refused.body.contains("Enter how long after the start"));
        let added = submit(
            &mut admin,
            "/back-office/admin/milestones/new",
            "/back-office/admin/milestones/new",
            &[
                ("kind", "assessment"),
                ("title", "Panel date"),
                ("amount", "4"),
                ("unit", "weeks"),
                ("start_event", "request_received"),
            ],
        )
        .await;
        assert_eq!(location(&added), "/back-office/admin", "{}", added.body);

        let child = add_child(&mut caseworker).await;
        let page = open_assessment(&mut caseworker, child, ("5", "10", "2026")).await;
        let shown = caseworker.get(&page).await;
        // 4 weeks from 5 October 2026.
        assert!(shown.body.contains("Panel date"));
        assert!(shown.body.contains("2 November 2026"));
        assert!(shown.body.contains("not a legal deadline"));

        // A one-off holiday moves a working-day deadline.
        let api = |client: &mut TestClient| {
            let mut client = client.clone();
            async move {
                client
                    .get("/api/deadlines?process=plan_transfer&move_known=2026-11-02")
                    .await
                    .body
            }
        };
        let before = api(&mut caseworker).await;
        let added = submit(
            &mut admin,
            "/back-office/admin/holidays/new",
            "/back-office/admin/holidays/new",
            &[
                ("date-day", "10"),
                ("date-month", "11"),
                ("date-year", "2026"),
                ("name", "A one-off holiday"),
            ],
        )
        .await;
        assert_eq!(location(&added), "/back-office/admin", "{}", added.body);
        let after = api(&mut caseworker).await;
        assert!(before.contains("\"due\":\"2026-11-23\""), "{before}");
        assert!(after.contains("\"due\":\"2026-11-24\""), "{after}");
        let again = submit(
            &mut admin,
            "/back-office/admin/holidays/new",
            "/back-office/admin/holidays/new",
            &[
                ("date-day", "10"),
                ("date-month", "11"),
                ("date-year", "2026"),
                ("name", "Again"),
            ],
        )
        .await;
        assert!(
            again
                .body
                .contains("There is already a holiday on this date")
        );
    })
    .await;
}

#[tokio::test]
async fn an_administrator_adds_teams_and_permission_groups() {
    on_both_databases(async |app| {
        let mut admin = staff_client(
            &app,
            "admin@testshire.example",
            StaffRole::Administrator,
            None,
            &[default_group(StaffRole::Administrator)],
        )
        .await;
        let team = submit(
            &mut admin,
            "/back-office/admin/teams/new",
            "/back-office/admin/teams/new",
            &[("name", "North team")],
        )
        .await;
        assert_eq!(location(&team), "/back-office/admin", "{}", team.body);
        let again = submit(
            &mut admin,
            "/back-office/admin/teams/new",
            "/back-office/admin/teams/new",
            &[("name", "North team")],
        )
        .await;
        assert!(
            again
                .body
                .contains("There is already a team with this name")
        );
        let empty = submit(
            &mut admin,
            "/back-office/admin/groups/new",
            "/back-office/admin/groups/new",
            &[("name", "Readers")],
        )
        .await;
        assert_eq!(empty.status, StatusCode::BAD_REQUEST);
        assert!(
            empty
                .body
                .contains("Select at least one thing members may do")
        );
        let group = submit(
            &mut admin,
            "/back-office/admin/groups/new",
            "/back-office/admin/groups/new",
            &[
                ("name", "Readers"),
                ("permissions", "view_cases"),
                ("permissions", "view_reports"),
            ],
        )
        .await;
        assert_eq!(location(&group), "/back-office/admin", "{}", group.body);
        let page = admin.get("/back-office/admin").await;
        assert!(page.body.contains("North team"));
        assert!(page.body.contains("Readers"));
        let groups = app.app.store.permission_groups().await.unwrap();
        let readers = groups.iter().find(|g| g.name == "Readers").unwrap();
        assert_eq!(
            readers.permissions,
            BTreeSet::from([Permission::ViewCases, Permission::ViewReports])
        );
        assert!(
            app.app
                .store
                .teams()
                .await
                .unwrap()
                .iter()
                .any(|t| t.name == "North team")
        );
    })
    .await;
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "one journey, read from top to bottom"
)]
async fn family_contacts_are_added_and_removed_and_team_cases_filter_by_caseworker() {
    on_both_databases(async |app| {
        let mut caseworker = staff_client(
            &app,
            "case@testshire.example",
            StaffRole::Caseworker,
            Some(DEFAULT_TEAM.0),
            &[caseworkers()],
        )
        .await;
        let child = add_child(&mut caseworker).await;
        let page = format!("/back-office/children/{child}");
        let new = format!("{page}/contacts/new");
        let refused = submit(
            &mut caseworker,
            &new,
            &new,
            &[("contact_email", "not-an-email")],
        )
        .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(refused.body.contains("Enter the contact&#39;s name"));
        let added = submit(
            &mut caseworker,
            &new,
            &new,
            &[
                ("contact_name", "Jo Example"),
                ("contact_relationship", "Father"),
                ("contact_phone", "01632 960 001"),
            ],
        )
        .await;
        assert_eq!(location(&added), page, "{}", added.body);
        let shown = caseworker.get(&page).await;
        assert!(shown.body.contains("Jo Example"));
        let contact = app
            .app
            .store
            .family_contacts(child)
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.name.as_str() == "Jo Example")
            .unwrap();
        let removed = submit(
            &mut caseworker,
            &page,
            &format!("{page}/contacts/{}/remove", contact.id),
            &[],
        )
        .await;
        assert_eq!(location(&removed), page);
        assert!(!caseworker.get(&page).await.body.contains("Jo Example"));
        let chronology = caseworker.get(&format!("{page}/chronology")).await;
        assert!(
            chronology
                .body
                .contains("Family contact added: Jo Example (Father)")
        );
        assert!(
            chronology
                .body
                .contains("Family contact removed: Jo Example (Father)")
        );

        // Team cases: one assigned to this caseworker, one to nobody.
        open_assessment(&mut caseworker, child, ("5", "10", "2026")).await;
        let other = add_child(&mut caseworker).await;
        let path = format!("/back-office/children/{other}/involvements/new");
        submit(
            &mut caseworker,
            &path,
            &path,
            &[
                ("kind", "assessment"),
                ("start-day", "1"),
                ("start-month", "11"),
                ("start-year", "2026"),
            ],
        )
        .await;
        let team = caseworker.get("/back-office/caseload?scope=team").await;
        assert!(team.body.contains("<strong>2</strong> open"));
        let me = app
            .app
            .store
            .account_by_email(&Email::parse("case@testshire.example").unwrap())
            .await
            .unwrap()
            .unwrap();
        let mine = caseworker
            .get(&format!(
                "/back-office/caseload?scope=team&caseworker={}",
                me.id
            ))
            .await;
        assert_eq!(mine.body.matches("/back-office/involvements/").count(), 1);
        assert!(
            mine.body.contains("<strong>2</strong> open"),
            "counts are before the filters"
        );
    })
    .await;
}

#[tokio::test]
async fn the_demo_caseworker_signs_in_and_finds_the_demo_cases() {
    on_both_databases(async |app| {
        app.app.load_demo_data().await.unwrap();
        let mut client = app.client();
        let step = submit(
            &mut client,
            "/sign-in",
            "/sign-in",
            &[
                ("email", send_app::demo::DEMO_STAFF_EMAIL),
                ("password", send_app::demo::DEMO_PASSWORD),
            ],
        )
        .await;
        assert_eq!(location(&step), "/sign-in/authenticator", "{}", step.body);
        let code = app_code(send_app::demo::DEMO_AUTHENTICATOR_KEY, app.clock.now());
        let done = submit(
            &mut client,
            "/sign-in/authenticator",
            "/sign-in/authenticator",
            &[("code", &code)],
        )
        .await;
        assert_eq!(location(&done), MY_CASES);
        let mine = client.get(MY_CASES).await;
        assert!(mine.body.contains("Amira Khan"));
        assert!(mine.body.contains("Oliver Brown"));
        assert!(mine.body.contains("<strong>2</strong> open"));
        assert_eq!(
            client.get("/back-office/admin").await.status,
            StatusCode::OK
        );
    })
    .await;
}
