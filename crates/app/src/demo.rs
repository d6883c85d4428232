//! The demonstration data set loaded by `send-portal demo`, so a newcomer can click
//! through. It grows with each feature; every record in it is fictional.

use send_domain::{Actor, AuditAction, AuditOutcome};

use crate::audit::Source;
use crate::{App, AppResult};

impl App {
    /// Loads the demo data into an empty database.
    pub async fn load_demo_data(&self) -> AppResult<()> {
        let mut audit = self.audit_event(
            Actor::System,
            AuditAction::DemoDataLoaded,
            AuditOutcome::Succeeded,
            &Source::default(),
        );
        audit.detail = Some("demonstration data set loaded; all records are fictional".to_owned());
        self.store.record_audit_event(&audit).await?;
        Ok(())
    }
}
