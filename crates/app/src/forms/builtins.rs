//! The built-in forms (FRM-4): each is stored and published as version 1 the
//! first time the portal starts with a database that lacks it, by the portal
//! itself. A council copies one to adapt it; the original is never edited.

use send_domain::forms::builtin::builtins;
use send_domain::forms::{Form, FormVersion, PORTAL};
use send_domain::{Actor, AuditAction, AuditOutcome, FormId};
use send_store::{Changes, Effects, StoreError, Write};

use crate::audit::Source;
use crate::ids::new_uuid;
use crate::{App, AppResult};

impl App {
    /// Stores and publishes every built-in form not stored yet; returns how
    /// many it added. Safe to run on every start, and from two processes at
    /// once (the second finds the code taken and leaves it).
    #[tracing::instrument(skip_all)]
    pub async fn install_builtin_forms(&self) -> AppResult<usize> {
        let mut added = 0;
        for builtin in builtins() {
            if self.store.form_by_builtin(builtin.code).await?.is_some() {
                continue;
            }
            let now = self.clock.now();
            let id = FormId::from_uuid(new_uuid(self.clock.as_ref()));
            let form = Form {
                id,
                draft: builtin.definition.clone(),
                version: 1,
                live_version: Some(1),
                approval_requested: None,
                retired_at: None,
                builtin: Some(builtin.code.to_owned()),
                created_by: PORTAL,
                created_at: now,
                updated_at: now,
            };
            let version = FormVersion {
                form_id: id,
                number: 1,
                definition: builtin.definition,
                published_by: PORTAL,
                published_at: now,
            };
            let mut event = self.audit_event(
                Actor::System,
                AuditAction::FormPublished,
                AuditOutcome::Succeeded,
                &Source::default(),
            );
            event.subject = Some(format!("form:{id}"));
            event.detail = Some(format!(
                "built-in form {} installed as version 1",
                builtin.code
            ));
            let changes = Changes::new()
                .with(Write::InsertForm(form))
                .with(Write::InsertFormVersion(version))
                .with_effects(Effects::audit(event));
            match self.store.commit(&changes).await {
                Ok(_) => added += 1,
                Err(StoreError::Conflict { .. }) => {}
                Err(err) => return Err(err.into()),
            }
        }
        Ok(added)
    }
}
