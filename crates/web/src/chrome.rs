//! What every page shows around its content: the skip link, the council's name in
//! the header, the service navigation, the account menu, the demo banner and the
//! footer, all built from the shared GOV.UK components.
//!
//! Signed out, the council's and the service's names lead to the start page and
//! the header offers Sign in. Signed in, they lead to the person's home (the
//! portal home, or the back office's landing for staff), the service navigation
//! lists the person's [`Section`]s with the one the page is in marked, and the
//! account menu sits top right.

use send_app::App;
use send_domain::{Permission, StaffAccess};

use crate::components::{
    Footer, FooterLink, GenericHeader, PhaseBanner, ServiceNavigation, ServiceNavigationItem,
    SkipLink,
};

/// The service's name, as families know it from the parent guide.
pub const SERVICE_NAME: &str = "SEND Portal";

/// The portal home of parents, carers and professionals.
pub const PORTAL_HOME: &str = "/home";

/// The parts of the page layout that every page shares.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub council_name: String,
    pub service_name: &'static str,
    pub skip_link: SkipLink,
    pub header: GenericHeader,
    pub service_navigation: ServiceNavigation,
    pub demo_banner: Option<PhaseBanner>,
    pub footer: Footer,
    /// The account menu (name/person icon, top right) when someone is signed in;
    /// without it the header offers Sign in.
    pub account_menu: Option<AccountMenu>,
}

/// The signed-in person's menu: My Account and Logout.
#[derive(Debug, Clone)]
pub struct AccountMenu {
    pub name: String,
    /// The form token for the Logout button.
    pub csrf: String,
}

/// What the header needs to know of a signed-in person.
#[derive(Debug, Clone, Copy)]
pub struct Viewer<'a> {
    pub name: &'a str,
    pub csrf: &'a str,
    /// What they may do in the back office, for a member of staff.
    pub staff: Option<&'a StaffAccess>,
    /// The page being drawn, to mark its section.
    pub page: &'a PageAddress,
}

/// The address of the page being drawn: its path and query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageAddress {
    path: String,
    query: String,
}

impl PageAddress {
    /// The address of a request.
    pub fn of(uri: &http::Uri) -> Self {
        Self {
            path: uri.path().to_owned(),
            query: uri.query().unwrap_or_default().to_owned(),
        }
    }

    /// No page of any section (an error page marks none).
    pub fn nowhere() -> Self {
        Self::default()
    }

    fn is_at_or_under(&self, prefix: &str) -> bool {
        self.path == prefix
            || self
                .path
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with('/'))
    }

    fn query_value(&self, name: &str) -> Option<String> {
        url::form_urlencoded::parse(self.query.as_bytes())
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    }
}

/// A part of the portal the service navigation leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The portal home; each child's pages (dashboard, messages, documents,
    /// forms) are reached from it.
    Home,
    MyAccount,
    /// The cases assigned to the member of staff (and, from there, the team's).
    MyCases,
    TeamInbox,
    IncomingForms,
    PortalRequests,
    /// The back office's home: counts of what waits, and the search for a child.
    FindAChild,
    /// Building, approving and publishing forms.
    Forms,
    Administration,
    /// The audit log, for those who may search it but not administer the portal
    /// (administrators reach it from Administration).
    AuditLog,
}

/// Where a page stands to a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The section's own page (`aria-current="page"`).
    Page,
    /// A page within the section (`aria-current="true"`).
    Within,
    Outside,
}

impl Section {
    /// The link's text.
    pub fn label(self) -> &'static str {
        match self {
            Self::Home => "Home",
            Self::MyAccount => "My Account",
            Self::MyCases => "My cases",
            Self::TeamInbox => "Team inbox",
            Self::IncomingForms => "Incoming forms",
            Self::PortalRequests => "Portal requests",
            Self::FindAChild => "Find a child",
            Self::Forms => "Forms",
            Self::Administration => "Administration",
            Self::AuditLog => "Audit log",
        }
    }

    /// The section's own page.
    pub fn href(self) -> &'static str {
        match self {
            Self::Home => PORTAL_HOME,
            Self::MyAccount => "/account",
            Self::MyCases => "/back-office/caseload?scope=mine",
            Self::TeamInbox => "/back-office/messages",
            Self::IncomingForms => "/back-office/incoming-forms",
            Self::PortalRequests => "/back-office/portal-requests",
            Self::FindAChild => "/back-office",
            Self::Forms => "/back-office/forms",
            Self::Administration => "/back-office/admin",
            Self::AuditLog => "/back-office/admin/audit",
        }
    }

    /// The addresses under which a page is within the section.
    fn folders(self) -> &'static [&'static str] {
        match self {
            Self::Home => &[
                "/children",
                "/messages",
                "/documents",
                "/forms",
                "/submitted",
            ],
            Self::MyAccount => &["/account"],
            Self::MyCases => &["/back-office/caseload"],
            Self::TeamInbox => &["/back-office/messages"],
            Self::IncomingForms => &["/back-office/incoming-forms"],
            Self::PortalRequests => &["/back-office/portal-requests"],
            // Every back-office page is under `/back-office`, Find a child's own
            // page: a child's record pages are the section's.
            Self::FindAChild => &[
                "/back-office/children",
                "/back-office/involvements",
                "/back-office/documents",
            ],
            Self::Forms => &["/back-office/forms"],
            Self::Administration => &["/back-office/admin"],
            Self::AuditLog => &["/back-office/admin/audit"],
        }
    }

    /// Where `page` stands to this section.
    pub fn place(self, page: &PageAddress) -> Place {
        let own = self.href().split('?').next().unwrap_or_default();
        // My cases and Team cases are one page; Team cases is within My cases.
        let team_cases =
            self == Self::MyCases && page.query_value("scope").as_deref() == Some("team");
        if page.path == own && !team_cases {
            Place::Page
        } else if self.folders().iter().any(|f| page.is_at_or_under(f)) {
            Place::Within
        } else {
            Place::Outside
        }
    }

    /// The sections of a portal user (Messages and Documents are each child's,
    /// reached from the home), or of a member of staff by their permissions.
    pub fn all_for(staff: Option<&StaffAccess>) -> Vec<Self> {
        let Some(access) = staff else {
            return vec![Self::Home, Self::MyAccount];
        };
        let may = |permission| access.has(permission);
        [
            (Self::MyCases, may(Permission::ViewCases)),
            (Self::TeamInbox, may(Permission::ViewCases)),
            (Self::IncomingForms, may(Permission::ProcessForms)),
            (Self::PortalRequests, may(Permission::ManagePortalUsers)),
            (Self::FindAChild, true),
            (
                Self::Forms,
                may(Permission::BuildForms) || may(Permission::PublishForms),
            ),
            (Self::Administration, may(Permission::ManageStaff)),
            (
                Self::AuditLog,
                may(Permission::ViewAudit) && !may(Permission::ManageStaff),
            ),
        ]
        .into_iter()
        .filter_map(|(section, shown)| shown.then_some(section))
        .collect()
    }
}

/// A signed-in person's home: the portal home, or for a member of staff My
/// cases (Find a child for those who may not view cases).
pub fn home_of(staff: Option<&StaffAccess>) -> &'static str {
    match staff {
        None => PORTAL_HOME,
        Some(access) if access.has(Permission::ViewCases) => Section::MyCases.href(),
        Some(_) => Section::FindAChild.href(),
    }
}

impl Chrome {
    /// The chrome of a page for someone not signed in.
    pub fn new(app: &App) -> Self {
        let council_name = app.settings.council_name.to_string();
        let demo_banner = app.settings.demo.then(|| {
            let mut banner = PhaseBanner::new("Demo", "");
            banner.html = None;
            banner.text = Some(
                "This is a demonstration. Every person and child in it is made up. \
                 Do not enter real information."
                    .to_owned(),
            );
            banner
        });
        let footer = Footer::for_organisation(format!("© {council_name}"))
            .meta_link(FooterLink::new("Accessibility statement", "/accessibility"))
            .meta_link(FooterLink::new("Privacy notice", "/privacy"))
            .meta_link(FooterLink::new("Cookies", "/cookies"));
        Self {
            skip_link: SkipLink::new("Skip to main content", "#main-content"),
            header: GenericHeader::new(council_name.clone(), "/"),
            service_navigation: ServiceNavigation::new(SERVICE_NAME, "/"),
            demo_banner,
            footer,
            council_name,
            service_name: SERVICE_NAME,
            account_menu: None,
        }
    }

    /// The chrome of a page for a signed-in person: their home behind the names,
    /// their sections (the page's marked) and their account menu.
    pub fn signed_in(app: &App, viewer: Viewer<'_>) -> Self {
        let home = home_of(viewer.staff);
        let mut chrome = Self::new(app);
        chrome.header.url = Some(home.to_owned());
        chrome.service_navigation.service_url = Some(home.to_owned());
        for section in Section::all_for(viewer.staff) {
            let mut item = ServiceNavigationItem::new(section.label(), section.href());
            match section.place(viewer.page) {
                Place::Page => item.current = true,
                Place::Within => item.active = true,
                Place::Outside => {}
            }
            chrome.service_navigation.navigation.push(item);
        }
        chrome.account_menu = Some(AccountMenu {
            name: viewer.name.to_owned(),
            csrf: viewer.csrf.to_owned(),
        });
        chrome
    }

    /// The address of a built asset, with its content hash so browsers may cache it.
    pub fn asset(path: &str) -> String {
        crate::assets::versioned_url(path)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use send_domain::{DEFAULT_TEAM, StaffRole, UserId, default_permissions};

    use super::*;

    fn at(address: &str) -> PageAddress {
        let uri: http::Uri = address.parse().unwrap();
        PageAddress::of(&uri)
    }

    fn staff(permissions: &[Permission]) -> StaffAccess {
        StaffAccess {
            account_id: UserId::from_uuid(uuid::Uuid::nil()),
            role: StaffRole::Caseworker,
            team_id: Some(DEFAULT_TEAM.0),
            permissions: permissions.iter().copied().collect::<BTreeSet<_>>(),
        }
    }

    #[test]
    fn a_page_is_its_sections_own_page_within_it_or_outside() {
        use Place::{Outside, Page, Within};
        use Section::{
            Administration, FindAChild, Forms, Home, IncomingForms, MyAccount, MyCases,
            PortalRequests, TeamInbox,
        };
        for (address, section, place) in [
            ("/home", Home, Page),
            ("/children/1/dashboard", Home, Within),
            ("/messages/1", Home, Within),
            ("/forms/1/pages/start", Home, Within),
            ("/childrens-page", Home, Outside),
            ("/account", MyAccount, Page),
            ("/account/details", MyAccount, Within),
            ("/home", MyAccount, Outside),
            ("/back-office/caseload?scope=mine", MyCases, Page),
            ("/back-office/caseload", MyCases, Page),
            (
                "/back-office/caseload?scope=mine&overdue=yes",
                MyCases,
                Page,
            ),
            ("/back-office/caseload?scope=team", MyCases, Within),
            ("/back-office/messages", TeamInbox, Page),
            ("/back-office/messages/1", TeamInbox, Within),
            ("/back-office/incoming-forms/1", IncomingForms, Within),
            ("/back-office/portal-requests", PortalRequests, Page),
            ("/back-office", FindAChild, Page),
            ("/back-office/children?name=Alex", FindAChild, Within),
            ("/back-office/children/1/chronology", FindAChild, Within),
            ("/back-office/involvements/1", FindAChild, Within),
            ("/back-office/messages", FindAChild, Outside),
            ("/back-office/admin", FindAChild, Outside),
            ("/back-office/forms/1/preview", Forms, Within),
            ("/back-office/formsx", Forms, Outside),
            ("/back-office/submissions", Forms, Outside),
            ("/back-office/admin/teams", Administration, Within),
        ] {
            assert_eq!(section.place(&at(address)), place, "{address} {section:?}");
        }
        for section in Section::all_for(Some(&staff(&[Permission::ViewCases]))) {
            assert_eq!(section.place(&PageAddress::nowhere()), Outside);
        }
    }

    #[test]
    fn portal_users_have_home_and_my_account_and_staff_the_sections_they_may_use() {
        assert_eq!(
            Section::all_for(None),
            vec![Section::Home, Section::MyAccount]
        );
        let caseworker = staff(
            &default_permissions(StaffRole::Caseworker)
                .into_iter()
                .collect::<Vec<_>>(),
        );
        assert_eq!(
            Section::all_for(Some(&caseworker)),
            vec![
                Section::MyCases,
                Section::TeamInbox,
                Section::IncomingForms,
                Section::PortalRequests,
                Section::FindAChild,
            ]
        );
        let administrator = staff(
            &default_permissions(StaffRole::Administrator)
                .into_iter()
                .collect::<Vec<_>>(),
        );
        assert_eq!(
            Section::all_for(Some(&administrator)),
            vec![
                Section::MyCases,
                Section::TeamInbox,
                Section::PortalRequests,
                Section::FindAChild,
                Section::Forms,
                Section::Administration,
            ]
        );
        assert_eq!(
            Section::all_for(Some(&staff(&[Permission::PublishForms]))),
            vec![Section::FindAChild, Section::Forms]
        );
        assert_eq!(
            Section::all_for(Some(&staff(&[Permission::ViewAudit]))),
            vec![Section::FindAChild, Section::AuditLog]
        );
    }

    #[test]
    fn home_is_the_portal_home_my_cases_or_find_a_child() {
        assert_eq!(home_of(None), "/home");
        assert_eq!(
            home_of(Some(&staff(&[Permission::ViewCases]))),
            "/back-office/caseload?scope=mine"
        );
        assert_eq!(
            home_of(Some(&staff(&[Permission::ManageStaff]))),
            "/back-office"
        );
    }
}
