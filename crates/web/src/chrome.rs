//! What every page shows around its content: the skip link, the council's name in
//! the header, the service navigation, the demo banner and the footer, all built
//! from the shared GOV.UK components.

use send_app::App;

use crate::components::{
    Footer, FooterLink, GenericHeader, PhaseBanner, ServiceNavigation, SkipLink,
};

/// The service's name, as families know it from the parent guide.
pub const SERVICE_NAME: &str = "SEND Portal";

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
    /// The account menu (name/person icon, top right) when someone is signed in.
    pub account_menu: Option<AccountMenu>,
}

/// The signed-in person's menu: My Account and Logout.
#[derive(Debug, Clone)]
pub struct AccountMenu {
    pub name: String,
    /// The form token for the Logout button.
    pub csrf: String,
}

impl Chrome {
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

    /// The chrome of a page for a signed-in person, with their account menu.
    pub fn signed_in(app: &App, name: &str, csrf: String) -> Self {
        Self {
            account_menu: Some(AccountMenu {
                name: name.to_owned(),
                csrf,
            }),
            ..Self::new(app)
        }
    }

    /// The address of a built asset, with its content hash so browsers may cache it.
    pub fn asset(path: &str) -> String {
        crate::assets::versioned_url(path)
    }
}
