//! Building audit events. Every view of a child's record and every change is one.

use send_domain::{Actor, AuditAction, AuditEvent, AuditEventId, AuditOutcome};

use crate::App;
use crate::ids::new_uuid;

/// Where a request came from, for the audit log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Source(pub Option<String>);

impl App {
    /// A new audit event, stamped now by the app's clock.
    pub fn audit_event(
        &self,
        actor: Actor,
        action: AuditAction,
        outcome: AuditOutcome,
        source: &Source,
    ) -> AuditEvent {
        AuditEvent {
            id: AuditEventId::from_uuid(new_uuid(self.clock.as_ref())),
            occurred_at: self.clock.now(),
            actor,
            action,
            outcome,
            child_id: None,
            subject: None,
            detail: None,
            source: source.0.clone(),
        }
    }
}
