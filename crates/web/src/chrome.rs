//! What every page shows around its content: the council's name in the header, the
//! service name, the footer links, and the addresses of the stylesheet and script.

use send_app::App;

/// The service's name, as families know it from the parent guide.
pub const SERVICE_NAME: &str = "SEND Portal";

/// The parts of the page layout that come from configuration.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub council_name: String,
    pub service_name: &'static str,
    pub demo: bool,
}

impl Chrome {
    pub fn new(app: &App) -> Self {
        Self {
            council_name: app.settings.council_name.to_string(),
            service_name: SERVICE_NAME,
            demo: app.settings.demo,
        }
    }

    /// The address of a built asset, with its content hash so browsers may cache it.
    pub fn asset(&self, path: &str) -> String {
        crate::assets::versioned_url(path)
    }
}
