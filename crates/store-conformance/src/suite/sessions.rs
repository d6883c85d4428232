//! Conformance cases for server-side sessions.

use std::sync::Arc;

use send_domain::{SessionRecord, TokenHash, UserId};
use send_store::{Store, StoreError};
use time::Duration;
use time::macros::datetime;
use uuid::Uuid;

fn session(byte: u8, account: Option<UserId>) -> SessionRecord {
    let start = datetime!(2026-11-23 09:00:00.25 UTC);
    SessionRecord {
        id_hash: TokenHash::from_hex(&format!("{byte:02x}").repeat(32))
            .unwrap_or_else(|e| panic!("{e}")),
        account_id: account,
        data: r#"{"csrf":"abc","stage":"password"}"#.to_owned(),
        created_at: start,
        last_seen_at: start,
    }
}

fn user() -> UserId {
    UserId::from_uuid(Uuid::new_v4())
}

/// A session is stored and read back exactly; an update changes its account,
/// data and last activity but never when it began; a second insert of the same
/// id is a conflict.
pub async fn a_session_round_trips_and_is_updated_in_place(store: Arc<dyn Store>) {
    let mut record = session(1, None);
    store
        .insert_session(&record)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let loaded = store
        .load_session(&record.id_hash)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.as_ref(), Some(&record));

    let original_start = record.created_at;
    record.account_id = Some(user());
    r#"{"stage":"complete"}"#.clone_into(&mut record.data);
    record.last_seen_at += Duration::minutes(10);
    record.created_at += Duration::hours(1);
    assert!(
        store
            .update_session(&record)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    );
    let loaded = store
        .load_session(&record.id_hash)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("session gone"));
    assert_eq!(loaded.account_id, record.account_id);
    assert_eq!(loaded.data, record.data);
    assert_eq!(loaded.last_seen_at, record.last_seen_at);
    assert_eq!(
        loaded.created_at, original_start,
        "an update never moves the start"
    );

    let again = store.insert_session(&session(1, None)).await;
    assert!(
        matches!(again, Err(StoreError::Conflict { .. })),
        "{again:?}"
    );
    let unknown = store
        .load_session(&session(2, None).id_hash)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(unknown, None);
}

/// Once deleted, updating a session writes nothing (a request in flight cannot
/// bring back a session that was signed out).
pub async fn an_ended_session_is_never_brought_back(store: Arc<dyn Store>) {
    let record = session(3, Some(user()));
    store
        .insert_session(&record)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    store
        .delete_session(&record.id_hash)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let updated = store
        .update_session(&record)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!updated);
    let loaded = store
        .load_session(&record.id_hash)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded, None);
}

/// Ending an account's sessions ends all of them but the one asked to keep, and
/// leaves other accounts' and anonymous sessions alone.
pub async fn ending_an_accounts_sessions_keeps_the_one_asked_and_others_accounts(
    store: Arc<dyn Store>,
) {
    let alice = user();
    let bob = user();
    let records = [
        session(10, Some(alice)),
        session(11, Some(alice)),
        session(12, Some(alice)),
        session(13, Some(bob)),
        session(14, None),
    ];
    for record in &records {
        store
            .insert_session(record)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let ended = store
        .delete_sessions_of_account(alice, Some(&records[0].id_hash))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ended, 2);
    for (record, alive) in records.iter().zip([true, false, false, true, true]) {
        let loaded = store
            .load_session(&record.id_hash)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(loaded.is_some(), alive, "{:?}", record.id_hash);
    }
    let ended = store
        .delete_sessions_of_account(alice, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ended, 1);
}

/// The clean-up removes sessions idle too long or begun too long ago, only.
pub async fn expired_sessions_are_cleaned_up(store: Arc<dyn Store>) {
    let mut idle = session(20, None);
    idle.last_seen_at = datetime!(2026-11-23 09:00 UTC);
    let mut old = session(21, None);
    old.created_at = datetime!(2026-11-22 20:00 UTC);
    old.last_seen_at = datetime!(2026-11-23 09:50 UTC);
    let mut live = session(22, None);
    live.last_seen_at = datetime!(2026-11-23 09:50 UTC);
    for record in [&idle, &old, &live] {
        store
            .insert_session(record)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let removed = store
        .delete_expired_sessions(
            datetime!(2026-11-23 09:30 UTC),
            datetime!(2026-11-22 22:00 UTC),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(removed, 2);
    let kept = store
        .load_session(&live.id_hash)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(kept, Some(live));
}
