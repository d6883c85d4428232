//! Helpers every part of the suite shares: committing a unit of work, what was
//! written, and the errors expected.

use std::collections::BTreeSet;
use std::sync::Arc;

use send_domain::{AuditEventId, AuditQuery, EmailId};
use send_store::{Changes, Committed, Effects, Store, StoreError, StoreResult};

/// Commits `changes`, failing the test if the store refuses them.
pub(crate) async fn commit(store: &Arc<dyn Store>, changes: Changes) -> Committed {
    store
        .commit(&changes)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// What a read returned, failing the test if it failed.
pub(crate) fn ok<T>(result: StoreResult<T>) -> T {
    result.unwrap_or_else(|e| panic!("{e}"))
}

/// Commits two units of work at the same time, as two people pressing their
/// buttons together would; their results in the order given.
pub(crate) async fn race(
    store: &Arc<dyn Store>,
    first: &Changes,
    second: &Changes,
) -> (StoreResult<Committed>, StoreResult<Committed>) {
    tokio::join!(store.commit(first), store.commit(second))
}

/// Of two writers, exactly one succeeded and the other was refused with a
/// conflict on `constraint`; whether the first won.
pub(crate) fn first_wins(
    results: (StoreResult<Committed>, StoreResult<Committed>),
    constraint: &str,
) -> bool {
    match results {
        (Ok(_), lost) => {
            assert_conflict(lost, constraint);
            true
        }
        (lost, Ok(_)) => {
            assert_conflict(lost, constraint);
            false
        }
        other => panic!("expected one writer to win, got {other:?}"),
    }
}

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
