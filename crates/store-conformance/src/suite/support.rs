//! Helpers every part of the suite shares: what was written, and the errors expected.

use std::collections::BTreeSet;
use std::sync::Arc;

use send_domain::{AuditEventId, AuditQuery, EmailId};
use send_store::{Effects, Store, StoreError};

/// The ids of every audit event and every email written so far.
pub(crate) async fn written(store: &Arc<dyn Store>) -> (BTreeSet<AuditEventId>, BTreeSet<EmailId>) {
    let events = store
        .search_audit_events(&AuditQuery {
            limit: 1000,
            ..AuditQuery::default()
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let emails = store
        .outbox_emails(1000)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    (
        events.into_iter().map(|e| e.id).collect(),
        emails.into_iter().map(|e| e.email.id).collect(),
    )
}

/// The ids of these effects' audit events and emails.
pub(crate) fn ids_of(all: &[&Effects]) -> (BTreeSet<AuditEventId>, BTreeSet<EmailId>) {
    (
        all.iter()
            .flat_map(|e| e.audit.iter().map(|a| a.id))
            .collect(),
        all.iter()
            .flat_map(|e| e.emails.iter().map(|m| m.id))
            .collect(),
    )
}

pub(crate) fn assert_conflict<T: std::fmt::Debug>(result: Result<T, StoreError>, expected: &str) {
    match result {
        Err(StoreError::Conflict { constraint }) => assert_eq!(constraint, expected),
        other => panic!("expected a conflict on {expected}, got {other:?}"),
    }
}

pub(crate) fn assert_not_found<T: std::fmt::Debug>(result: Result<T, StoreError>) {
    match result {
        Err(StoreError::NotFound) => {}
        other => panic!("expected NotFound, got {other:?}"),
    }
}
