//! Conformance cases for server-side sessions.

use std::sync::Arc;

use send_domain::{ActiveSession, SessionRecord, SignedInFrom, TokenHash, UserId};
use send_store::{Changes, Store, StoreError, WhichSessions, Write};
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
        signed_in_from: SignedInFrom::default(),
    }
}

/// Where a session signed in from, as the web layer records it at sign-in.
fn from_firefox(address: &str) -> SignedInFrom {
    SignedInFrom {
        device: Some("Firefox on Windows".to_owned()),
        address: Some(address.to_owned()),
    }
}

fn user() -> UserId {
    UserId::from_uuid(Uuid::new_v4())
}

/// A session is stored and read back exactly; an update changes its account,
/// data, last activity and where it signed in from, but never when it began; a
/// second insert of the same id is a conflict.
pub async fn a_session_round_trips_and_is_updated_in_place(store: Arc<dyn Store>) {
    let mut record = session(1, None);
    record.signed_in_from = from_firefox("203.0.113.7");
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
    record.signed_in_from = from_firefox("2001:db8::7");
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
    assert_eq!(loaded.signed_in_from, record.signed_in_from);
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

/// Touching a session moves only its last activity: its account, data and start
/// stay; an ended session is not brought back by a touch.
pub async fn touching_a_session_moves_only_its_last_activity(store: Arc<dyn Store>) {
    let record = session(4, Some(user()));
    store
        .insert_session(&record)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let seen = record.last_seen_at + Duration::minutes(3);
    assert!(
        store
            .touch_session(&record.id_hash, seen)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    );
    let loaded = store
        .load_session(&record.id_hash)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("session gone"));
    assert_eq!(
        loaded,
        SessionRecord {
            last_seen_at: seen,
            ..record.clone()
        }
    );

    store
        .delete_session(&record.id_hash)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let touched = store
        .touch_session(&record.id_hash, seen + Duration::minutes(1))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!touched);
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

/// The account's sessions live at `now` by the default timeouts.
async fn live_sessions(
    store: &Arc<dyn Store>,
    account: UserId,
    now: time::OffsetDateTime,
) -> Vec<ActiveSession> {
    store
        .sessions_of_account(
            account,
            now - Duration::minutes(30),
            now - Duration::hours(12),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// An account's live sessions are listed most recently active first, without
/// other accounts' or ended ones; one of them, or all but one, can be ended, and
/// naming another account's session ends nothing.
pub async fn an_accounts_sessions_are_listed_and_ended_one_or_all_but_one(store: Arc<dyn Store>) {
    let alice = user();
    let bob = user();
    let start = datetime!(2026-11-23 09:00:00.25 UTC);
    let mut records = [
        session(30, Some(alice)),
        session(31, Some(alice)),
        session(32, Some(alice)),
        session(33, Some(bob)),
        session(34, Some(alice)),
    ];
    records[1].last_seen_at = start + Duration::minutes(5);
    records[1].signed_in_from = from_firefox("203.0.113.7");
    records[2].last_seen_at = start + Duration::minutes(2);
    // Idle since before the cut-off: no longer live.
    records[4].last_seen_at = start - Duration::hours(1);
    for record in &records {
        store
            .insert_session(record)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let listed = |store: Arc<dyn Store>| async move {
        live_sessions(&store, alice, start)
            .await
            .into_iter()
            .map(|s| s.id_hash)
            .collect::<Vec<_>>()
    };
    let live = live_sessions(&store, alice, start).await;
    assert_eq!(
        live.iter().map(|s| s.id_hash.clone()).collect::<Vec<_>>(),
        vec![
            records[1].id_hash.clone(),
            records[2].id_hash.clone(),
            records[0].id_hash.clone()
        ]
    );
    assert_eq!(
        live.first(),
        Some(&ActiveSession {
            id_hash: records[1].id_hash.clone(),
            created_at: records[1].created_at,
            last_seen_at: records[1].last_seen_at,
            signed_in_from: from_firefox("203.0.113.7"),
        })
    );

    // Bob's session, named with Alice's account: nothing ends.
    let end = |which: WhichSessions| {
        Changes::new().with(Write::EndSessionsOfAccount {
            account: alice,
            which,
        })
    };
    let none = store
        .commit(&end(WhichSessions::Only(records[3].id_hash.clone())))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(none.rows, vec![0]);
    assert!(
        store
            .load_session(&records[3].id_hash)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .is_some()
    );

    let one = store
        .commit(&end(WhichSessions::Only(records[2].id_hash.clone())))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(one.rows, vec![1]);
    assert_eq!(
        listed(store.clone()).await,
        vec![records[1].id_hash.clone(), records[0].id_hash.clone()]
    );

    let others = store
        .commit(&end(WhichSessions::AllBut(records[0].id_hash.clone())))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(others.rows, vec![2], "the other live one and the idle one");
    assert_eq!(
        listed(store.clone()).await,
        vec![records[0].id_hash.clone()]
    );
    assert!(
        store
            .load_session(&records[3].id_hash)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .is_some(),
        "another account's session stays"
    );
}
