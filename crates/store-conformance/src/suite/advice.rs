//! Conformance cases for requests for advice: a request reads back exactly and
//! changes only from the version read; it is listed by involvement, child, the
//! professional asked (awaited only, soonest due first) and as overdue (by team);
//! its single-use link finds it; reminder schedules default until the council
//! sets one.

use std::sync::Arc;

use send_domain::advice::{
    AdviceKind, AdviceLink, AdviceRequest, AdviceStatus, AnswerBy, ReminderSchedule, due_date,
};
use send_domain::involvements::{Involvement, InvolvementKind};
use send_domain::{
    AdviceRequestId, AuditAction, ChildId, DEFAULT_TEAM, Email, InvolvementId, TeamId, TokenHash,
    UserId, WorkingCalendar,
};
use send_store::{ADVICE_REQUEST_CHANGED, Changes, Store, Write};
use time::macros::date;
use time::{Date, Duration};
use uuid::Uuid;

use super::documents::{START, child, effects, portal_account, short};
use super::support::{assert_conflict, assert_not_found, commit, first_wins, ok, race, written};

async fn assessment(store: &Arc<dyn Store>, child: ChildId) -> Involvement {
    let involvement = Involvement::open(
        InvolvementId::from_uuid(Uuid::new_v4()),
        child,
        InvolvementKind::Assessment,
        date!(2026 - 11 - 02),
        START,
    );
    commit(
        store,
        Changes::new().with(Write::InsertInvolvement(involvement.clone())),
    )
    .await;
    involvement
}

pub(super) fn request(
    involvement: &Involvement,
    kind: AdviceKind,
    professional: Option<UserId>,
    requested_by: UserId,
    sent_on: Date,
) -> AdviceRequest {
    AdviceRequest {
        id: AdviceRequestId::from_uuid(Uuid::new_v4()),
        child_id: involvement.child_id,
        involvement_id: involvement.id,
        kind,
        recipient: short("Oak Tree Primary School"),
        email: Some(Email::parse("senco@oaktree.example.sch.uk").unwrap_or_else(|e| panic!("{e}"))),
        professional,
        answer_by: AnswerBy::Upload,
        form: None,
        sent_on,
        due_on: due_date(sent_on, &WorkingCalendar::england()),
        status: AdviceStatus::Awaited,
        link: None,
        requested_by,
        created_at: START,
        updated_at: START,
        version: 1,
    }
}

async fn insert(store: &Arc<dyn Store>, request: &AdviceRequest) {
    commit(
        store,
        Changes::new().with(Write::InsertAdviceRequest(request.clone())),
    )
    .await;
}

fn ids(requests: &[AdviceRequest]) -> Vec<AdviceRequestId> {
    requests.iter().map(|r| r.id).collect()
}

/// Every field reads back, in each status; a change is written from the
/// version read, and a stale or missing one writes nothing.
pub async fn an_advice_request_round_trips_and_changes_from_the_version_read(
    store: Arc<dyn Store>,
) {
    let caseworker = portal_account(&store, "casey@council.example").await;
    let amira = child(&store, "Amira", DEFAULT_TEAM.0).await;
    let involvement = assessment(&store, amira.id).await;
    let mut asked = request(
        &involvement,
        AdviceKind::Educational,
        None,
        caseworker,
        date!(2026 - 11 - 16),
    );
    let hash = TokenHash::from_hex(&"ab".repeat(32)).unwrap_or_else(|e| panic!("{e}"));
    asked.link = Some(AdviceLink {
        hash: hash.clone(),
        expires_at: START + Duration::weeks(10),
        used_at: None,
    });
    insert(&store, &asked).await;
    assert_eq!(ok(store.advice_request(asked.id).await), asked);
    assert_eq!(
        ok(store.advice_request_by_link(&hash).await).map(|r| r.id),
        Some(asked.id)
    );

    let senco = portal_account(&store, "senco@oaktree.example.sch.uk").await;
    let mut claimed = asked.clone();
    claimed.professional = Some(senco);
    if let Some(link) = claimed.link.as_mut() {
        link.used_at = Some(START + Duration::days(1));
    }
    claimed.version = 2;
    commit(
        &store,
        Changes::new().with(Write::UpdateAdviceRequest {
            request: claimed.clone(),
            expected_version: 1,
        }),
    )
    .await;
    assert_eq!(ok(store.advice_request(asked.id).await), claimed);

    let mut received = claimed.clone();
    received
        .receive(
            date!(2026 - 12 - 01),
            None,
            None,
            START + Duration::days(15),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let mut withdrawn = claimed.clone();
    withdrawn
        .withdraw(short("No longer needed"), START + Duration::days(15))
        .unwrap_or_else(|e| panic!("{e}"));
    let before = written(&store).await;
    assert_conflict(
        store
            .commit(
                &Changes::new()
                    .with(Write::UpdateAdviceRequest {
                        request: received.clone(),
                        expected_version: 1,
                    })
                    .with_effects(effects(START, AuditAction::AdviceReceived)),
            )
            .await,
        ADVICE_REQUEST_CHANGED,
    );
    assert_eq!(
        written(&store).await,
        before,
        "the stale change wrote nothing"
    );
    let won = first_wins(
        race(
            &store,
            &Changes::new().with(Write::UpdateAdviceRequest {
                request: received.clone(),
                expected_version: 2,
            }),
            &Changes::new().with(Write::UpdateAdviceRequest {
                request: withdrawn.clone(),
                expected_version: 2,
            }),
        )
        .await,
        ADVICE_REQUEST_CHANGED,
    );
    let expected = if won { &received } else { &withdrawn };
    assert_eq!(&ok(store.advice_request(asked.id).await), expected);

    let mut missing = received.clone();
    missing.id = AdviceRequestId::from_uuid(Uuid::new_v4());
    assert_not_found(
        store
            .commit(&Changes::new().with(Write::UpdateAdviceRequest {
                request: missing.clone(),
                expected_version: 1,
            }))
            .await,
    );
    assert_not_found(store.advice_request(missing.id).await);
}

/// Requests are listed by involvement and child in the order sent, to the
/// professional asked (awaited only, soonest due first), and as overdue (most
/// overdue first, by the child's team).
pub async fn advice_requests_are_listed_by_case_by_person_and_overdue(store: Arc<dyn Store>) {
    let caseworker = portal_account(&store, "casey@council.example").await;
    let senco = portal_account(&store, "senco@oaktree.example.sch.uk").await;
    let amira = child(&store, "Amira", DEFAULT_TEAM.0).await;
    let ben = child(&store, "Ben", DEFAULT_TEAM.0).await;
    let first = assessment(&store, amira.id).await;
    let mut second = Involvement::open(
        InvolvementId::from_uuid(Uuid::new_v4()),
        ben.id,
        InvolvementKind::Assessment,
        date!(2026 - 11 - 02),
        START,
    );
    second.caseworker_id = Some(caseworker);
    commit(
        &store,
        Changes::new().with(Write::InsertInvolvement(second.clone())),
    )
    .await;
    let early = request(
        &first,
        AdviceKind::Educational,
        Some(senco),
        caseworker,
        date!(2026 - 11 - 02),
    );
    let late = request(
        &first,
        AdviceKind::Medical,
        None,
        caseworker,
        date!(2026 - 11 - 20),
    );
    let bens = request(
        &second,
        AdviceKind::Educational,
        Some(senco),
        caseworker,
        date!(2026 - 11 - 09),
    );
    let mut answered = request(
        &second,
        AdviceKind::SocialCare,
        Some(senco),
        caseworker,
        date!(2026 - 10 - 01),
    );
    answered
        .receive(date!(2026 - 10 - 20), None, None, START)
        .unwrap_or_else(|e| panic!("{e}"));
    for r in [&late, &bens, &early, &answered] {
        insert(&store, r).await;
    }
    assert_eq!(
        ids(&ok(store.advice_requests_of_involvement(first.id).await)),
        vec![early.id, late.id]
    );
    assert_eq!(
        ids(&ok(store.advice_requests_of_child(ben.id).await)),
        vec![answered.id, bens.id]
    );
    assert_eq!(
        ids(&ok(store.advice_requests_to(senco).await)),
        vec![early.id, bens.id],
        "awaited only, soonest due first"
    );
    // early is due 14 December, bens 21 December, late 1 January.
    let today = date!(2026 - 12 - 22);
    assert_eq!(
        ids(&ok(store.overdue_advice(today, None, None, 10).await)),
        vec![early.id, bens.id]
    );
    assert_eq!(
        ids(&ok(store.overdue_advice(today, None, None, 1).await)),
        vec![early.id]
    );
    let elsewhere = TeamId::from_uuid(Uuid::new_v4());
    assert!(ok(store.overdue_advice(today, Some(elsewhere), None, 10).await).is_empty());
    assert_eq!(
        ids(&ok(store
            .overdue_advice(today, Some(DEFAULT_TEAM.0), None, 10)
            .await)),
        vec![early.id, bens.id]
    );
    assert_eq!(
        ids(&ok(store
            .overdue_advice(today, None, Some(caseworker), 10)
            .await)),
        vec![bens.id],
        "only on the involvements the caseworker holds"
    );
    assert!(ok(store.overdue_advice(today, None, Some(senco), 10).await).is_empty());
}

/// A kind of advice without a schedule of its own uses the default; the
/// council's schedule replaces it, and saving again replaces that.
pub async fn reminder_schedules_default_until_the_council_sets_one(store: Arc<dyn Store>) {
    assert_eq!(
        ok(store.reminder_schedule(AdviceKind::Medical).await),
        ReminderSchedule::default()
    );
    let first = ReminderSchedule {
        before: vec![7, 21],
        on_the_day: false,
        after: vec![],
    };
    let second = ReminderSchedule {
        before: vec![],
        on_the_day: true,
        after: vec![3, 10],
    };
    for schedule in [&first, &second] {
        commit(
            &store,
            Changes::new().with(Write::SaveReminderSchedule {
                kind: AdviceKind::Medical,
                schedule: schedule.clone(),
                at: START,
            }),
        )
        .await;
        assert_eq!(
            &ok(store.reminder_schedule(AdviceKind::Medical).await),
            schedule
        );
    }
    assert_eq!(
        ok(store.reminder_schedule(AdviceKind::Educational).await),
        ReminderSchedule::default(),
        "other kinds keep the default"
    );
}

/// A reminder renews an unused link without moving the request's version on
/// (so it never makes another change fail); a used link, or a request no longer
/// awaited, is left as it is.
pub async fn an_unused_link_is_renewed_without_a_new_version(store: Arc<dyn Store>) {
    let caseworker = portal_account(&store, "casey@council.example").await;
    let amira = child(&store, "Amira", DEFAULT_TEAM.0).await;
    let involvement = assessment(&store, amira.id).await;
    let mut asked = request(
        &involvement,
        AdviceKind::Medical,
        None,
        caseworker,
        date!(2026 - 11 - 16),
    );
    let link = |hex: &str| AdviceLink {
        hash: TokenHash::from_hex(&hex.repeat(32)).unwrap_or_else(|e| panic!("{e}")),
        expires_at: START + Duration::weeks(10),
        used_at: None,
    };
    asked.link = Some(link("a1"));
    insert(&store, &asked).await;
    let renewed = commit(
        &store,
        Changes::new().with(Write::RenewAdviceLink {
            id: asked.id,
            link: link("b2"),
        }),
    )
    .await;
    assert_eq!(renewed.rows, vec![1]);
    let read = ok(store.advice_request(asked.id).await);
    assert_eq!((read.link.clone(), read.version), (Some(link("b2")), 1));
    let old = TokenHash::from_hex(&"a1".repeat(32)).unwrap_or_else(|e| panic!("{e}"));
    assert!(ok(store.advice_request_by_link(&old).await).is_none());

    let mut used = read.clone();
    if let Some(l) = used.link.as_mut() {
        l.used_at = Some(START);
    }
    used.version = 2;
    commit(
        &store,
        Changes::new().with(Write::UpdateAdviceRequest {
            request: used.clone(),
            expected_version: 1,
        }),
    )
    .await;
    let untouched = commit(
        &store,
        Changes::new().with(Write::RenewAdviceLink {
            id: asked.id,
            link: link("c3"),
        }),
    )
    .await;
    assert_eq!(untouched.rows, vec![0], "a used link is never replaced");
    assert_eq!(ok(store.advice_request(asked.id).await), used);
}
