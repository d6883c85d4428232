//! The header on every page: who is signed in (the account menu, or Sign in), where
//! the council's and the service's names lead (the start page, the portal home, or
//! the back office's landing), the service navigation with the current section
//! marked; where staff land after signing in; and the back office's home counts.

use http::StatusCode;
use scraper::{Html, Selector};
use send_domain::{
    Clock, DEFAULT_TEAM, LinkStatus, Permission, PermissionGroupId, PortalRole, StaffRole,
    default_group,
};
use send_store::PermissionGroup;

use crate::accounts::{PASSWORD, app_code, register, submit};
use crate::back_office::{
    MY_CASES, SECRET, caseworkers, create_staff, insert_group, location, open_assessment,
    staff_client,
};
use crate::browser::staff_signs_in;
use crate::messages::new_message;
use crate::portal_access::{
    PARENT, answer, caseworker_and_child, invite, link, professional, stranger_id,
    verify_and_send_link,
};
use crate::support::browser::{Browser, JavaScript};
use crate::support::{TestApp, TestResponse, on_both_databases};

/// The pages anyone may open, and a page that does not exist.
const PUBLIC_PAGES: &[&str] = &[
    "/",
    "/accessibility",
    "/privacy",
    "/cookies",
    "/when-should-things-happen",
    "/no-such-page",
];

/// What a page's header shows.
#[derive(Debug)]
struct Header {
    council_href: String,
    service_href: String,
    /// Each section's text, address and `aria-current`.
    sections: Vec<(String, String, Option<String>)>,
    /// The name on the account menu.
    account_menu: Option<String>,
    offers_sign_in: bool,
}

impl Header {
    fn of(page: &TestResponse) -> Self {
        let html = Html::parse_document(&page.body);
        let select = |css: &str| Selector::parse(css).unwrap_or_else(|e| panic!("{e}"));
        let href = |css: &str| {
            html.select(&select(css))
                .next()
                .and_then(|a| a.value().attr("href"))
                .unwrap_or_else(|| panic!("no {css} in:\n{}", page.body))
                .to_owned()
        };
        let text = |e: scraper::ElementRef<'_>| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        Self {
            council_href: href("header .govuk-generic-header__homepage-link"),
            service_href: href("header .govuk-service-navigation__service-name a"),
            sections: html
                .select(&select(
                    "header nav .govuk-service-navigation__item a.govuk-service-navigation__link",
                ))
                .map(|a| {
                    (
                        text(a),
                        a.value().attr("href").unwrap_or_default().to_owned(),
                        a.value().attr("aria-current").map(ToOwned::to_owned),
                    )
                })
                .collect(),
            account_menu: html
                .select(&select("header .app-account-menu__summary"))
                .next()
                .map(|s| text(s).trim_start_matches("Account menu: ").to_owned()),
            offers_sign_in: html
                .select(&select("header a[href='/sign-in']"))
                .any(|a| text(a) == "Sign in"),
        }
    }

    fn labels(&self) -> Vec<&str> {
        self.sections.iter().map(|(t, _, _)| t.as_str()).collect()
    }

    /// The sections marked, with their `aria-current`.
    fn marked(&self) -> Vec<(&str, &str)> {
        self.sections
            .iter()
            .filter_map(|(t, _, current)| current.as_deref().map(|c| (t.as_str(), c)))
            .collect()
    }
}

const PORTAL_SECTIONS: &[&str] = &["Home", "My Account"];
const CASEWORKER_SECTIONS: &[&str] = &[
    "My cases",
    "Team inbox",
    "Incoming forms",
    "Portal requests",
    "Find a child",
];

/// Checks that `page` shows `name`'s account menu, names leading to `home` and
/// `sections`, and no Sign in.
fn assert_signed_in_header(
    path: &str,
    page: &TestResponse,
    name: &str,
    home: &str,
    sections: &[&str],
) {
    let header = Header::of(page);
    assert_eq!(
        header.account_menu.as_deref(),
        Some(name),
        "{path}: {header:?}"
    );
    assert!(!header.offers_sign_in, "{path}: no Sign in when signed in");
    assert_eq!(
        header.service_href, home,
        "{path}: the service name leads home"
    );
    assert_eq!(
        header.council_href, home,
        "{path}: the council's name leads home"
    );
    assert_eq!(header.labels(), sections, "{path}");
}

#[tokio::test]
async fn signed_out_every_page_offers_sign_in_and_the_names_lead_to_the_start_page() {
    let app = TestApp::new().await;
    let mut visitor = app.client();
    for path in PUBLIC_PAGES
        .iter()
        .chain(&["/sign-in", "/register", "/signed-out"])
    {
        let page = visitor.get(path).await;
        let header = Header::of(&page);
        assert_eq!(header.account_menu, None, "{path}");
        assert!(header.offers_sign_in, "{path}: Sign in in the header");
        assert_eq!(header.service_href, "/", "{path}");
        assert_eq!(header.council_href, "/", "{path}");
        assert!(header.sections.is_empty(), "{path}: {header:?}");
    }
    assert_eq!(
        visitor.get("/no-such-page").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn signed_in_every_page_shows_the_account_menu_and_the_names_lead_home() {
    on_both_databases(async |app| {
        let mut parent = app.client();
        register(&app, &mut parent, PARENT).await;
        let mut pat = professional(&app, "pat@school.example").await;
        let mut caseworker = staff_client(
            &app,
            "case@testshire.example",
            StaffRole::Caseworker,
            Some(DEFAULT_TEAM.0),
            &[caseworkers()],
        )
        .await;
        let portal_pages: Vec<&str> = PUBLIC_PAGES
            .iter()
            .copied()
            .chain(["/account", "/home", "/back-office", "/sign-out"])
            .collect();
        for (client, name) in [(&mut parent, "Jo Bloggs"), (&mut pat, "Pat Senco")] {
            for path in &portal_pages {
                let page = client.get(path).await;
                assert_signed_in_header(path, &page, name, "/home", PORTAL_SECTIONS);
            }
        }
        // A portal user is refused the back office with the 404 page (and the
        // sign-out address, which takes only posts, with the 405), both signed in.
        assert_eq!(
            parent.get("/back-office").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            parent.get("/sign-out").await.status,
            StatusCode::METHOD_NOT_ALLOWED
        );

        let unknown_child = format!("/back-office/children/{}", crate::support::new_uuid());
        let staff_pages: Vec<&str> = PUBLIC_PAGES
            .iter()
            .copied()
            .chain(["/account", "/back-office", MY_CASES, "/back-office/admin"])
            .chain([unknown_child.as_str()])
            .collect();
        for path in &staff_pages {
            let page = caseworker.get(path).await;
            assert_signed_in_header(
                path,
                &page,
                "Staff case@testshire.example",
                MY_CASES,
                CASEWORKER_SECTIONS,
            );
        }
        assert_eq!(
            caseworker.get(&unknown_child).await.status,
            StatusCode::NOT_FOUND
        );
        // Administration is not a caseworker's: refused, still signed in.
        assert!(
            caseworker
                .get("/back-office/admin")
                .await
                .status
                .is_client_error()
        );
    })
    .await;
}

#[tokio::test]
async fn the_section_a_page_is_in_is_marked() {
    let app = TestApp::new().await;
    let (mut caseworker, child) = caseworker_and_child(&app).await;
    let record = format!("/back-office/children/{child}");
    for (path, marked) in [
        (MY_CASES, vec![("My cases", "page")]),
        (
            "/back-office/caseload?scope=team",
            vec![("My cases", "true")],
        ),
        ("/back-office/messages", vec![("Team inbox", "page")]),
        (
            "/back-office/portal-requests",
            vec![("Portal requests", "page")],
        ),
        (
            "/back-office/incoming-forms",
            vec![("Incoming forms", "page")],
        ),
        ("/back-office", vec![("Find a child", "page")]),
        (record.as_str(), vec![("Find a child", "true")]),
        ("/account", vec![]),
        ("/accessibility", vec![]),
        ("/no-such-page", vec![]),
    ] {
        let page = caseworker.get(path).await;
        assert_eq!(Header::of(&page).marked(), marked, "{path}");
    }
    // The marked section is a link with the current page's text in bold, as GOV.UK
    // Frontend draws it for browsers without its styles.
    let page = caseworker.get("/back-office").await;
    assert!(page.body.contains(
        r#"<a class="govuk-service-navigation__link" href="/back-office" aria-current="page">"#
    ));

    let mut parent = app.client();
    register(&app, &mut parent, PARENT).await;
    link(
        &app,
        child,
        stranger_id(&app, PARENT).await,
        PortalRole::Parent,
        LinkStatus::Active,
    )
    .await;
    for (path, marked) in [
        ("/home", vec![("Home", "page")]),
        (
            format!("/children/{child}/dashboard").as_str(),
            vec![("Home", "true")],
        ),
        (
            format!("/children/{child}/messages").as_str(),
            vec![("Home", "true")],
        ),
        ("/account", vec![("My Account", "page")]),
        ("/account/details", vec![("My Account", "true")]),
        ("/privacy", vec![]),
    ] {
        let page = parent.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_eq!(Header::of(&page).marked(), marked, "{path}");
    }
}

#[tokio::test]
async fn staff_see_the_sections_their_permissions_allow_and_land_on_my_cases() {
    let app = TestApp::new().await;
    let mut administrator = staff_client(
        &app,
        "admin@testshire.example",
        StaffRole::Administrator,
        Some(DEFAULT_TEAM.0),
        &[default_group(StaffRole::Administrator)],
    )
    .await;
    let header = Header::of(&administrator.get(MY_CASES).await);
    assert_eq!(
        header.labels(),
        [
            "My cases",
            "Team inbox",
            "Portal requests",
            "Find a child",
            "Forms",
            "Administration"
        ]
    );
    for (text, href, _) in &header.sections {
        let status = administrator.get(href).await.status;
        assert_eq!(status, StatusCode::OK, "{text} at {href}");
    }
    // The portal home is not staff's: they are sent to My cases.
    assert_eq!(location(&administrator.get("/home").await), MY_CASES);

    let mut caseworker = staff_client(
        &app,
        "case@testshire.example",
        StaffRole::Caseworker,
        Some(DEFAULT_TEAM.0),
        &[caseworkers()],
    )
    .await;
    let header = Header::of(&caseworker.get("/back-office").await);
    assert_eq!(header.labels(), CASEWORKER_SECTIONS);
    for (text, href, _) in &header.sections {
        let status = caseworker.get(href).await.status;
        assert_eq!(status, StatusCode::OK, "{text} at {href}");
    }

    // Without the permission to view cases there is no My cases: Find a child is
    // where they land and where the service name leads.
    let authors = PermissionGroup {
        id: PermissionGroupId::from_uuid(crate::support::new_uuid()),
        name: "Form authors".to_owned(),
        permissions: [Permission::BuildForms].into_iter().collect(),
    };
    insert_group(&app, &authors).await;
    create_staff(
        &app,
        "author@testshire.example",
        StaffRole::Caseworker,
        Some(DEFAULT_TEAM.0),
        &[authors.id],
    )
    .await;
    let mut author = app.client();
    let step = submit(
        &mut author,
        "/sign-in",
        "/sign-in",
        &[
            ("email", "author@testshire.example"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(location(&step), "/sign-in/authenticator");
    let code = app_code(SECRET, app.clock.now());
    let done = submit(
        &mut author,
        "/sign-in/authenticator",
        "/sign-in/authenticator",
        &[("code", &code)],
    )
    .await;
    assert_eq!(location(&done), "/back-office");
    let header = Header::of(&author.get("/back-office").await);
    assert_eq!(header.labels(), ["Find a child", "Forms"]);
    assert_eq!(header.service_href, "/back-office");
}

#[tokio::test]
async fn the_back_office_home_counts_what_waits() {
    on_both_databases(async |app| {
        let (mut caseworker, child) = caseworker_and_child(&app).await;
        let home = caseworker.get("/back-office").await;
        for line in [
            "Team inbox</a>: 0 conversations waiting for an answer",
            "Portal requests</a>: 0 waiting",
            "Incoming forms</a>: 0 waiting to be matched or imported",
            "With a key date in the next 7 days</a>: 0",
            "With a missed deadline</a>: 0",
        ] {
            assert!(home.body.contains(line), "{line} in:\n{}", home.body);
        }

        // An assessment requested on 5 October has missed its six weeks by the
        // 23 November; one requested on 16 October is due within the week.
        open_assessment(&mut caseworker, child, ("5", "10", "2026")).await;
        let other = submit(
            &mut caseworker,
            "/back-office/children/new",
            "/back-office/children/new",
            &[
                ("first_name", "Bea"),
                ("last_name", "Other"),
                ("dob-day", "2"),
                ("dob-month", "5"),
                ("dob-year", "2017"),
                ("sex", "F"),
                ("postcode", "WR2 4AA"),
                ("contact_name", "Sam Example"),
                ("contact_relationship", "Mother"),
                ("contact_email", PARENT),
                ("contact_parental_responsibility", "yes"),
            ],
        )
        .await;
        assert_eq!(other.status, StatusCode::SEE_OTHER, "{}", other.body);
        let other: send_domain::ChildId = location(&other)
            .trim_start_matches("/back-office/children/")
            .parse()
            .unwrap_or_else(|e| panic!("{e:?}"));
        open_assessment(&mut caseworker, other, ("16", "10", "2026")).await;

        // A parent of the first child writes; the second child's parent accepts
        // an invitation, which waits for the SEND team to confirm.
        let mut parent = app.client();
        register(&app, &mut parent, PARENT).await;
        link(
            &app,
            child,
            stranger_id(&app, PARENT).await,
            PortalRole::Parent,
            LinkStatus::Active,
        )
        .await;
        new_message(&mut parent, child, "School transport").await;
        let (invitation, code) = invite(&app, &mut caseworker, other).await;
        let invitation_link = verify_and_send_link(&app, &mut caseworker, invitation, &code).await;
        let accepted = answer(&mut parent, &invitation_link, other, "yes").await;
        assert_eq!(location(&accepted), "/home", "{}", accepted.body);

        let home = caseworker.get("/back-office").await;
        for line in [
            "Team inbox</a>: 1 conversation waiting for an answer",
            "Portal requests</a>: 1 waiting",
            "With a key date in the next 7 days</a>: 1",
            "With a missed deadline</a>: 1",
        ] {
            assert!(home.body.contains(line), "{line} in:\n{}", home.body);
        }
        // Each count leads to what it counts.
        let due = caseworker
            .get("/back-office/caseload?scope=mine&due_soon=yes")
            .await;
        assert!(due.body.contains("Bea Other") && !due.body.contains("Lex Example"));
        let overdue = caseworker
            .get("/back-office/caseload?scope=mine&overdue=yes")
            .await;
        assert!(overdue.body.contains("Lex Example") && !overdue.body.contains("Bea Other"));

        // Staff who may not manage portal users or process forms see neither count.
        let viewers = PermissionGroup {
            id: PermissionGroupId::from_uuid(crate::support::new_uuid()),
            name: "Case viewers".to_owned(),
            permissions: [Permission::ViewCases].into_iter().collect(),
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
        let home = viewer.get("/back-office").await;
        assert!(home.body.contains("Team inbox</a>: 1"));
        assert!(!home.body.contains("Portal requests</a>:"));
        assert!(!home.body.contains("Incoming forms</a>:"));
    })
    .await;
}

/// At 320 CSS pixels wide a member of staff's sections fit without scrolling
/// sideways: without JavaScript as a list, with it behind GOV.UK Frontend's Menu
/// button, which opens the same list.
async fn the_navigation_reflows_at_320_pixels(javascript: JavaScript) {
    let app = TestApp::new().await;
    create_staff(
        &app,
        "admin@testshire.example",
        StaffRole::Administrator,
        Some(DEFAULT_TEAM.0),
        &[default_group(StaffRole::Administrator)],
    )
    .await;
    let addr = app.serve().await;
    let Some(mut browser) = Browser::start(addr, javascript).await else {
        return;
    };
    staff_signs_in(&mut browser, &app, "admin@testshire.example").await;
    browser.resize(320, 900).await;
    // Opening a page checks it fits the viewport (see `check_accessibility`).
    browser.visit("/back-office").await;
    let list_shown =
        "return document.getElementById('navigation').getBoundingClientRect().height > 0";
    let toggle_shown = "var t = document.querySelector('.govuk-service-navigation__toggle'); \
         return !t.hidden && t.getBoundingClientRect().height > 0";
    match javascript {
        JavaScript::Off => {
            assert_eq!(browser.run(list_shown).await, true, "the list is shown");
            assert_eq!(browser.run(toggle_shown).await, false, "no Menu button");
        }
        JavaScript::On => {
            assert_eq!(browser.run(toggle_shown).await, true, "the Menu button");
            assert_eq!(browser.run(list_shown).await, false, "the list is closed");
            browser.click(".govuk-service-navigation__toggle").await;
            assert_eq!(browser.run(list_shown).await, true, "the Menu opens it");
            browser.check_accessibility().await;
        }
    }
    browser.click_link("Administration").await;
    assert_eq!(browser.path().await, "/back-office/admin");
    browser.close().await;
}

#[tokio::test]
async fn browser_the_navigation_reflows_at_320_pixels_with_javascript_off() {
    the_navigation_reflows_at_320_pixels(JavaScript::Off).await;
}

#[tokio::test]
async fn browser_the_navigation_reflows_at_320_pixels_with_javascript_on() {
    the_navigation_reflows_at_320_pixels(JavaScript::On).await;
}
