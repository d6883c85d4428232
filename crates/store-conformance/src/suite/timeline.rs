//! Conformance cases for what a council adds to the timeline: its own
//! milestones and one-off bank holidays. Every write carries its effects with it
//! or, when refused, writes none of them.

use std::sync::Arc;

use send_domain::involvements::InvolvementKind;
use send_domain::milestones::{LocalMilestone, MilestoneUnit};
use send_domain::{AuditAction, Email, EmailId, EmailSubject, EventKind, OutgoingEmail};
use send_store::{Changes, Effects, ExtraHoliday, Store, StoreError, Write};
use time::macros::{date, datetime};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use super::event;

use super::support::{commit, ids_of, written};

const START: OffsetDateTime = datetime!(2026-11-23 09:00:00.123456 UTC);

/// One audit event and one email, as a use case would pass them.
fn effects(at: OffsetDateTime, action: AuditAction) -> Effects {
    Effects::audit(event(at, action)).with_email(OutgoingEmail {
        id: EmailId::from_uuid(Uuid::new_v4()),
        to: Email::parse("admin@example.gov.uk").unwrap_or_else(|e| panic!("{e}")),
        to_name: None,
        subject: EmailSubject::parse("The timeline changed").unwrap_or_else(|e| panic!("{e}")),
        text_body: "The timeline changed.\n".to_owned(),
        html_body: "<p>The timeline changed.</p>".to_owned(),
        created_at: at,
    })
}

pub(super) fn milestone(
    kind: InvolvementKind,
    title: &str,
    start_event: EventKind,
    unit: MilestoneUnit,
    amount: u32,
    explanation: &str,
) -> LocalMilestone {
    LocalMilestone::new(kind, title, start_event, unit, amount, explanation)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Adding a milestone, with its effects.
fn add_milestone(milestone: &LocalMilestone, effects: &Effects) -> Changes {
    Changes::new()
        .with(Write::InsertLocalMilestone(milestone.clone()))
        .with_effects(effects.clone())
}

/// Removing the milestone with this code, with its effects.
fn delete_milestone(code: &str, effects: &Effects) -> Changes {
    Changes::new()
        .with(Write::DeleteLocalMilestone {
            code: code.to_owned(),
        })
        .with_effects(effects.clone())
}

/// Adding a holiday, with its effects.
fn add_holiday(holiday: &ExtraHoliday, effects: &Effects) -> Changes {
    Changes::new()
        .with(Write::InsertExtraHoliday(holiday.clone()))
        .with_effects(effects.clone())
}

/// Stores a milestone with effects, which it returns.
async fn insert_milestone(
    store: &Arc<dyn Store>,
    milestone: &LocalMilestone,
    at: OffsetDateTime,
) -> Effects {
    let effects = effects(at, AuditAction::LocalMilestoneChanged);
    commit(store, add_milestone(milestone, &effects)).await;
    effects
}

async fn milestones(store: &Arc<dyn Store>) -> Vec<LocalMilestone> {
    store
        .local_milestones()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

fn holiday(date: Date, name: &str) -> ExtraHoliday {
    ExtraHoliday {
        date,
        name: name.to_owned(),
    }
}

/// Stores a holiday with effects, which it returns.
async fn insert_holiday(
    store: &Arc<dyn Store>,
    holiday: &ExtraHoliday,
    at: OffsetDateTime,
) -> Effects {
    let effects = effects(at, AuditAction::ExtraHolidayAdded);
    commit(store, add_holiday(holiday, &effects)).await;
    effects
}

async fn holidays(store: &Arc<dyn Store>) -> Vec<ExtraHoliday> {
    store
        .extra_holidays()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Every field of a local milestone is stored and read back exactly, with its
/// effects; milestones come by kind, then title, whatever order they were
/// added in.
pub async fn local_milestones_round_trip_by_kind_then_title(store: Arc<dyn Store>) {
    assert!(milestones(&store).await.is_empty());
    let review_panel = milestone(
        InvolvementKind::Plan,
        "Review panel",
        EventKind::ReviewMeeting,
        MilestoneUnit::WorkingDays,
        10,
        "",
    );
    let panel = milestone(
        InvolvementKind::Assessment,
        "Panel date",
        EventKind::RequestReceived,
        MilestoneUnit::Weeks,
        4,
        "",
    );
    let chase = milestone(
        InvolvementKind::Assessment,
        "Chase advice",
        EventKind::AdviceRequested,
        MilestoneUnit::Days,
        520,
        "Ring the school — ‘politely’ — if nothing has come",
    );
    let quality = milestone(
        InvolvementKind::Plan,
        "Quality check",
        EventKind::PlanIssued,
        MilestoneUnit::Months,
        1,
        "The team manager reads the plan again.",
    );
    let mut all_effects = Vec::new();
    for (minutes, m) in (0..).zip([&review_panel, &panel, &quality, &chase]) {
        all_effects.push(insert_milestone(&store, m, START + Duration::minutes(minutes)).await);
    }

    assert_eq!(
        milestones(&store).await,
        vec![chase, panel, quality, review_panel],
        "assessment before plan, each by title, every field intact"
    );
    assert_eq!(
        written(&store).await,
        ids_of(&all_effects.iter().collect::<Vec<_>>())
    );
}

/// A second milestone with a code already taken is a conflict named
/// `local_milestones_code`, and nothing of that call is written: not the
/// milestone, not its effects.
pub async fn a_taken_milestone_code_is_a_conflict_and_writes_nothing(store: Arc<dyn Store>) {
    let first = milestone(
        InvolvementKind::Assessment,
        "Panel date",
        EventKind::RequestReceived,
        MilestoneUnit::Weeks,
        4,
        "",
    );
    let first_effects = insert_milestone(&store, &first, START).await;

    let same_code = milestone(
        InvolvementKind::Assessment,
        "Panel -- date!",
        EventKind::AdviceRequested,
        MilestoneUnit::Days,
        3,
        "Another panel",
    );
    assert_eq!(same_code.code, first.code);
    let refused = effects(
        START + Duration::minutes(1),
        AuditAction::LocalMilestoneChanged,
    );
    let result = store.commit(&add_milestone(&same_code, &refused)).await;
    assert!(
        matches!(
            &result,
            Err(StoreError::Conflict { constraint }) if constraint == "local_milestones_code"
        ),
        "{result:?}"
    );

    assert_eq!(milestones(&store).await, vec![first]);
    assert_eq!(
        written(&store).await,
        ids_of(&[&first_effects]),
        "the refused call's effects were not written"
    );
}

/// A milestone is deleted by its code, with its effects, leaving the others;
/// deleting one that is not there is `NotFound` and writes nothing.
pub async fn a_local_milestone_is_deleted_and_a_missing_one_is_not_found(store: Arc<dyn Store>) {
    let panel = milestone(
        InvolvementKind::Assessment,
        "Panel date",
        EventKind::RequestReceived,
        MilestoneUnit::Weeks,
        4,
        "",
    );
    let review = milestone(
        InvolvementKind::Plan,
        "Panel date",
        EventKind::ReviewMeeting,
        MilestoneUnit::Days,
        7,
        "",
    );
    assert_ne!(panel.code, review.code, "the kind is part of the code");
    let panel_effects = insert_milestone(&store, &panel, START).await;
    let review_effects = insert_milestone(&store, &review, START + Duration::minutes(1)).await;

    let delete_effects = effects(
        START + Duration::minutes(2),
        AuditAction::LocalMilestoneChanged,
    );
    commit(&store, delete_milestone(&panel.code, &delete_effects)).await;
    assert_eq!(milestones(&store).await, vec![review.clone()]);

    let again = effects(
        START + Duration::minutes(3),
        AuditAction::LocalMilestoneChanged,
    );
    let result = store.commit(&delete_milestone(&panel.code, &again)).await;
    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
    let result = store
        .commit(&delete_milestone("local_plan_nothing", &again))
        .await;
    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");

    assert_eq!(milestones(&store).await, vec![review]);
    assert_eq!(
        written(&store).await,
        ids_of(&[&panel_effects, &review_effects, &delete_effects]),
        "the refused calls' effects were not written"
    );
}

/// Added bank holidays are stored and read back exactly, by date whatever
/// order they were added in, each with its effects.
pub async fn extra_holidays_round_trip_in_date_order(store: Arc<dyn Store>) {
    assert!(holidays(&store).await.is_empty());
    let coronation = holiday(date!(2023 - 05 - 08), "Bank holiday for the coronation");
    let leap_day = holiday(date!(2028 - 02 - 29), "A leap-day holiday — ‘test’");
    let funeral = holiday(date!(2022 - 09 - 19), "State funeral");
    let new_year = holiday(date!(2028 - 01 - 04), "New Year extra day");
    let mut all_effects = Vec::new();
    for (minutes, h) in (0..).zip([&coronation, &leap_day, &funeral, &new_year]) {
        all_effects.push(insert_holiday(&store, h, START + Duration::minutes(minutes)).await);
    }

    assert_eq!(
        holidays(&store).await,
        vec![funeral, coronation, new_year, leap_day]
    );
    assert_eq!(
        written(&store).await,
        ids_of(&all_effects.iter().collect::<Vec<_>>())
    );
}

/// A second holiday on a date already taken is a conflict named
/// `extra_holidays_date`, and nothing of that call is written.
pub async fn a_taken_holiday_date_is_a_conflict_and_writes_nothing(store: Arc<dyn Store>) {
    let first = holiday(date!(2023 - 05 - 08), "Bank holiday for the coronation");
    let first_effects = insert_holiday(&store, &first, START).await;

    let refused = effects(START + Duration::minutes(1), AuditAction::ExtraHolidayAdded);
    let result = store
        .commit(&add_holiday(&holiday(first.date, "Another name"), &refused))
        .await;
    assert!(
        matches!(
            &result,
            Err(StoreError::Conflict { constraint }) if constraint == "extra_holidays_date"
        ),
        "{result:?}"
    );

    assert_eq!(holidays(&store).await, vec![first]);
    assert_eq!(
        written(&store).await,
        ids_of(&[&first_effects]),
        "the refused call's effects were not written"
    );
}

/// A one-off holiday is removed by its date, with its effects, leaving the
/// others; removing one that is not there is `NotFound` and writes nothing.
pub async fn a_holiday_is_deleted_by_date_and_a_missing_one_is_not_found(store: Arc<dyn Store>) {
    let funeral = holiday(date!(2022 - 09 - 19), "State funeral");
    let coronation = holiday(date!(2023 - 05 - 08), "Bank holiday for the coronation");
    let first = insert_holiday(&store, &funeral, START).await;
    let second = insert_holiday(&store, &coronation, START + Duration::minutes(1)).await;

    let removed = effects(START + Duration::minutes(2), AuditAction::ExtraHolidayAdded);
    commit(
        &store,
        Changes::new()
            .with(Write::DeleteExtraHoliday { date: funeral.date })
            .with_effects(removed.clone()),
    )
    .await;
    assert_eq!(holidays(&store).await, vec![coronation.clone()]);

    let again = effects(START + Duration::minutes(3), AuditAction::ExtraHolidayAdded);
    let result = store
        .commit(
            &Changes::new()
                .with(Write::DeleteExtraHoliday { date: funeral.date })
                .with_effects(again),
        )
        .await;
    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
    assert_eq!(holidays(&store).await, vec![coronation]);
    assert_eq!(
        written(&store).await,
        ids_of(&[&first, &second, &removed]),
        "the refused call's effects were not written"
    );
}
