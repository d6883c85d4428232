//! The email outbox cases: an email is never lost and never given to two workers.

use std::collections::BTreeSet;
use std::sync::Arc;

use send_domain::{
    DeliveryState, Email, EmailId, EmailSubject, OutboxEntry, OutgoingEmail, PersonName,
};
use send_store::{Store, StoreError};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

const LEASE: Duration = Duration::minutes(5);

fn email(created_at: OffsetDateTime) -> OutgoingEmail {
    OutgoingEmail {
        id: EmailId::from_uuid(Uuid::new_v4()),
        to: Email::parse("sian.oneill@example.org").unwrap_or_else(|e| panic!("{e}")),
        to_name: Some(PersonName::parse("Siân O'Neill-Jones").unwrap_or_else(|e| panic!("{e}"))),
        subject: EmailSubject::parse("Your code for the SEND Portal")
            .unwrap_or_else(|e| panic!("{e}")),
        text_body: "Dear Siân,\n\nYour code is 123456.\n".to_owned(),
        html_body: "<p>Dear Siân,</p>\n<p>Your code is <strong>123456</strong>.</p>".to_owned(),
        created_at,
    }
}

async fn enqueue(store: &Arc<dyn Store>, email: &OutgoingEmail) {
    store
        .enqueue_email(email)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

async fn claim(store: &Arc<dyn Store>, now: OffsetDateTime, limit: u32) -> Vec<EmailId> {
    store
        .claim_due_emails(now, limit, LEASE)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|claimed| claimed.email.id)
        .collect()
}

async fn entries(store: &Arc<dyn Store>) -> Vec<OutboxEntry> {
    store
        .outbox_emails(100)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// An email is stored with every field intact, claimed once due, and once marked
/// sent shows as sent, with the transport's reference for it when there is one;
/// the list is newest first.
pub async fn outbox_enqueue_claim_and_send_round_trip(store: Arc<dyn Store>) {
    let now = datetime!(2026-11-23 09:00:00.123456 UTC);
    let first = email(now);
    let mut second = email(now + Duration::seconds(1));
    second.to_name = None;
    enqueue(&store, &first).await;
    enqueue(&store, &second).await;
    assert!(
        matches!(
            store.enqueue_email(&first).await,
            Err(StoreError::Conflict { .. })
        ),
        "an email id is used once"
    );

    assert!(
        claim(&store, now - Duration::seconds(1), 10)
            .await
            .is_empty(),
        "nothing is due before it was written"
    );
    let claimed = store
        .claim_due_emails(now + Duration::seconds(1), 10, LEASE)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(claimed.len(), 2, "{claimed:?}");
    assert_eq!(claimed[0].email, first, "every field intact, oldest first");
    assert_eq!(claimed[1].email, second);
    assert_eq!((claimed[0].attempts, claimed[1].attempts), (0, 0));

    let sent_at = now + Duration::seconds(2);
    let reference = "740e5834-3a29-46b4-9a6f-16142fde533a";
    store
        .mark_email_sent(first.id, sent_at, Some(reference))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let listed = entries(&store).await;
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].email, second, "newest first");
    assert!(
        matches!(listed[0].state, DeliveryState::Pending { attempts: 0, .. }),
        "{:?}",
        listed[0].state
    );
    assert_eq!(listed[0].transport_reference, None, "none until sent");
    assert_eq!(listed[1].email, first);
    assert_eq!(
        listed[1].state,
        DeliveryState::Sent {
            at: sent_at,
            attempts: 1
        }
    );
    assert_eq!(listed[1].transport_reference.as_deref(), Some(reference));
    let limited = store
        .outbox_emails(1)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(limited.len(), 1);

    let unknown = EmailId::from_uuid(Uuid::new_v4());
    assert!(matches!(
        store.mark_email_sent(unknown, sent_at, None).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .mark_email_failed(unknown, 1, sent_at, "connection refused")
            .await,
        Err(StoreError::NotFound)
    ));
}

/// A claimed email is not claimed again while its lease lasts; when the lease ends
/// without a result (the worker stopped), it is claimed again: nothing is lost.
pub async fn outbox_lease_hides_an_email_until_it_ends(store: Arc<dyn Store>) {
    let now = datetime!(2026-11-23 09:00 UTC);
    let waiting = email(now);
    enqueue(&store, &waiting).await;

    assert_eq!(claim(&store, now, 10).await, vec![waiting.id]);
    assert!(claim(&store, now, 10).await.is_empty());
    assert!(
        claim(&store, now + LEASE - Duration::seconds(1), 10)
            .await
            .is_empty(),
        "still leased"
    );
    assert_eq!(
        claim(&store, now + LEASE, 10).await,
        vec![waiting.id],
        "a crashed worker's email is claimed again when its lease ends"
    );
}

/// A sent email is never claimed again, and a late failure report does not undo
/// its sending.
pub async fn outbox_sent_emails_are_never_claimed_again(store: Arc<dyn Store>) {
    let now = datetime!(2026-11-23 09:00 UTC);
    let sent = email(now);
    enqueue(&store, &sent).await;
    assert_eq!(claim(&store, now, 10).await, vec![sent.id]);
    store
        .mark_email_sent(sent.id, now, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // A second report of the same sending (even with a reference), or a stale
    // failure, changes nothing.
    store
        .mark_email_sent(
            sent.id,
            now + Duration::minutes(1),
            Some("bfb50d92-100d-4b8b-b559-14fa3b091cda"),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    store
        .mark_email_failed(sent.id, 3, now, "late report")
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    for later in [LEASE, Duration::days(1), Duration::days(400)] {
        assert!(claim(&store, now + later, 10).await.is_empty());
    }
    let entry = entries(&store).await.remove(0);
    assert_eq!(
        entry.state,
        DeliveryState::Sent {
            at: now,
            attempts: 1
        }
    );
    assert_eq!(entry.transport_reference, None);
}

/// A failure is recorded with its count and summary, and the email is due again at
/// the time given, not before.
pub async fn outbox_failure_schedules_the_next_attempt(store: Arc<dyn Store>) {
    let now = datetime!(2026-11-23 09:00 UTC);
    let failing = email(now);
    enqueue(&store, &failing).await;
    assert_eq!(claim(&store, now, 10).await, vec![failing.id]);
    let retry_at = now + Duration::seconds(30);
    store
        .mark_email_failed(failing.id, 1, retry_at, "connection refused")
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    assert_eq!(
        entries(&store).await[0].state,
        DeliveryState::Pending {
            attempts: 1,
            next_attempt_at: retry_at,
            last_error: Some("connection refused".to_owned()),
        }
    );
    assert!(
        claim(&store, retry_at - Duration::microseconds(1), 10)
            .await
            .is_empty()
    );
    let again = store
        .claim_due_emails(retry_at, 10, LEASE)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].email.id, failing.id);
    assert_eq!(
        again[0].attempts, 1,
        "the failures so far come with the claim"
    );

    store
        .mark_email_sent(failing.id, retry_at, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        entries(&store).await[0].state,
        DeliveryState::Sent {
            at: retry_at,
            attempts: 2
        }
    );
}

/// Several workers claiming at the same moment never get the same email, and
/// between them they get every one.
pub async fn outbox_concurrent_claimers_never_share_an_email(store: Arc<dyn Store>) {
    let now = datetime!(2026-11-23 09:00 UTC);
    let mut written = BTreeSet::new();
    for i in 0..40 {
        let e = email(now + Duration::milliseconds(i));
        enqueue(&store, &e).await;
        written.insert(e.id);
    }
    let at = now + Duration::seconds(1);
    let mut seen = BTreeSet::new();
    loop {
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move { claim(&store, at, 3).await })
            })
            .collect();
        let mut round = 0;
        for worker in workers {
            for id in worker.await.unwrap_or_else(|e| panic!("{e}")) {
                assert!(seen.insert(id), "email {id} was given to two workers");
                round += 1;
            }
        }
        if round == 0 {
            break;
        }
    }
    assert_eq!(seen, written, "every email was claimed exactly once");
}
