//! Conformance cases for involvements: assessments, plans and re-assessments,
//! with their events, completions and exceptions. Every write carries its
//! chronology entry and effects with it or, when refused, writes none of them.

use std::collections::BTreeSet;
use std::sync::Arc;

use send_domain::involvements::{
    AssessmentOutcome, CeaseReason, Involvement, InvolvementKind, RequestOutcome, Requester, Stage,
};
use send_domain::{
    Account, AccountKind, Address, AuditAction, Child, ChildId, ChronologyEntryId, Completions,
    DEFAULT_TEAM, Email, EmailId, EmailSubject, EventKind, Events, Exception, InvolvementId,
    OutgoingEmail, PasswordHash, PersonName, RecordedException, SecondFactor, Sex, StaffRole,
    TeamId, UserId,
};
use send_store::{
    CaseloadQuery, Changes, ChronologyEntry, Effects, INVOLVEMENT_CHANGED, NewAccount, Store,
    StoreError, Team, Write,
};
use time::macros::{date, datetime};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use super::event;

use super::support::{
    assert_conflict, assert_not_found, commit, first_wins, ids_of, race, written,
};

const START: OffsetDateTime = datetime!(2026-11-23 09:00:00.123456 UTC);

fn name(text: &str) -> PersonName {
    PersonName::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn outgoing(at: OffsetDateTime) -> OutgoingEmail {
    OutgoingEmail {
        id: EmailId::from_uuid(Uuid::new_v4()),
        to: Email::parse("caseworker@example.gov.uk").unwrap_or_else(|e| panic!("{e}")),
        to_name: None,
        subject: EmailSubject::parse("A change in the SEND Portal")
            .unwrap_or_else(|e| panic!("{e}")),
        text_body: "Something changed.\n".to_owned(),
        html_body: "<p>Something changed.</p>".to_owned(),
        created_at: at,
    }
}

/// One audit event and one email, as a use case would pass them.
fn effects(at: OffsetDateTime, action: AuditAction) -> Effects {
    Effects::audit(event(at, action)).with_email(outgoing(at))
}

/// A caseworker's account, stored, for involvements to point at.
async fn caseworker(store: &Arc<dyn Store>, address: &str) -> UserId {
    let account = Account {
        id: UserId::from_uuid(Uuid::new_v4()),
        kind: AccountKind::Staff,
        email: Email::parse(address).unwrap_or_else(|e| panic!("{e}")),
        name: name("Priya Caseworker"),
        phone: None,
        professional: None,
        staff_role: Some(StaffRole::Caseworker),
        password_hash: PasswordHash::from_phc(
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
        ),
        second_factor: SecondFactor::EmailCode,
        totp: None,
        email_verified_at: Some(START),
        created_at: START,
        updated_at: START,
    };
    let id = account.id;
    let new = NewAccount {
        account,
        code: None,
        setup_link: None,
        recovery_codes: Vec::new(),
    };
    store
        .insert_account(&new, &Effects::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    id
}

fn entry(child: ChildId, at: OffsetDateTime, kind: &str) -> ChronologyEntry {
    ChronologyEntry {
        id: ChronologyEntryId::from_uuid(Uuid::new_v4()),
        child_id: child,
        occurred_at: at,
        actor_id: Some(UserId::from_uuid(Uuid::new_v4())),
        kind: kind.to_owned(),
        summary: format!("{kind} at {at}"),
        note: Some("Agreed at the panel meeting.".to_owned()),
    }
}

/// A child of `team_id`, stored with its first chronology entry (returned).
async fn child(store: &Arc<dyn Store>, first: &str, team_id: TeamId) -> (Child, ChronologyEntry) {
    let child = Child {
        id: ChildId::from_uuid(Uuid::new_v4()),
        team_id,
        legal_first_name: name(first),
        legal_last_name: name("Okafor"),
        preferred_name: None,
        date_of_birth: date!(2015 - 03 - 02),
        sex: Sex::NotKnown,
        ethnicity: None,
        upn: None,
        uln: None,
        nhs_number: None,
        address: Address::default(),
        setting: None,
        primary_need: None,
        secondary_need: None,
        created_at: START - Duration::days(30),
        updated_at: START - Duration::days(30),
        version: 1,
    };
    let first = entry(child.id, child.created_at, "child.created");
    commit(
        store,
        Changes::new()
            .with(Write::InsertChild(child.clone()))
            .with(Write::AddChronologyEntry(first.clone())),
    )
    .await;
    (child, first)
}

fn open(child: ChildId, kind: InvolvementKind, start: Date, at: OffsetDateTime) -> Involvement {
    Involvement::open(
        InvolvementId::from_uuid(Uuid::new_v4()),
        child,
        kind,
        start,
        at,
    )
}

/// Moves `involvement` through `stages`, a week apart from its current stage.
fn moved(mut involvement: Involvement, stages: &[Stage]) -> Involvement {
    for &stage in stages {
        let on = involvement.stage_since + Duration::weeks(1);
        let reason = (stage == Stage::PlanCeased).then_some(CeaseReason::MovedAway);
        involvement
            .move_to(stage, on, reason)
            .unwrap_or_else(|e| panic!("{e}"));
        involvement.updated_at += Duration::hours(1);
    }
    involvement
}

fn exception(kind: Exception, rule_code: &str, reason: &str, on: Date) -> RecordedException {
    RecordedException::new(kind, rule_code, reason, on).unwrap_or_else(|e| panic!("{e}"))
}

/// Opening an involvement, with an entry and effects.
fn add_involvement(
    involvement: &Involvement,
    entry: &ChronologyEntry,
    effects: &Effects,
) -> Changes {
    Changes::new()
        .with(Write::InsertInvolvement(involvement.clone()))
        .with(Write::AddChronologyEntry(entry.clone()))
        .with_effects(effects.clone())
}

/// Writing `involvement` over the version it was read at (its `version`), with
/// an entry and effects.
fn change_involvement(
    involvement: &Involvement,
    entry: &ChronologyEntry,
    effects: &Effects,
) -> Changes {
    Changes::new()
        .with(Write::UpdateInvolvement {
            involvement: involvement.clone(),
            expected_version: involvement.version,
        })
        .with(Write::AddChronologyEntry(entry.clone()))
        .with_effects(effects.clone())
}

/// `involvement` as an update leaves it: its version moved on by one.
fn next_version(involvement: &Involvement) -> Involvement {
    Involvement {
        version: involvement.version + 1,
        ..involvement.clone()
    }
}

/// Stores a new involvement with an entry and effects, which it returns.
async fn insert(store: &Arc<dyn Store>, involvement: &Involvement) -> (ChronologyEntry, Effects) {
    let entry = entry(
        involvement.child_id,
        involvement.opened_at,
        "involvement.opened",
    );
    let effects = effects(involvement.opened_at, AuditAction::InvolvementOpened);
    commit(store, add_involvement(involvement, &entry, &effects)).await;
    (entry, effects)
}

async fn find(store: &Arc<dyn Store>, id: InvolvementId) -> Option<Involvement> {
    store
        .involvement(id)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn of_child(store: &Arc<dyn Store>, child: ChildId) -> Vec<Involvement> {
    store
        .involvements_of_child(child)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Each open case comes with its events, completions and exceptions, as
/// `involvements_of_child` gives them.
pub async fn open_involvements_come_with_their_details(store: Arc<dyn Store>) {
    let priya = caseworker(&store, "priya@example.gov.uk").await;
    let (cara, _) = child(&store, "Cara", DEFAULT_TEAM.0).await;
    let mut plan = assigned(
        open(cara.id, InvolvementKind::Plan, date!(2025 - 03 - 03), START),
        Some(priya),
    );
    give_details(&mut plan);
    insert(&store, &plan).await;
    assert_eq!(
        caseload(&store, Some(priya), None).await,
        vec![(plan.clone(), cara.clone())],
        "the case with its events, completions and exceptions in their order"
    );
    assert_eq!(
        store
            .involvements_of_child(cara.id)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        vec![plan],
        "as the child's involvements give it"
    );
}

async fn chronology(store: &Arc<dyn Store>, child: ChildId) -> Vec<ChronologyEntry> {
    store
        .chronology(child, 100)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn caseload(
    store: &Arc<dyn Store>,
    caseworker: Option<UserId>,
    teams: Option<Vec<TeamId>>,
) -> Vec<(Involvement, Child)> {
    store
        .open_involvements(&CaseloadQuery { caseworker, teams })
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Several events and completions, and two exceptions whose order is not the
/// order of their kinds or rule codes.
fn give_details(plan: &mut Involvement) {
    plan.events
        .insert(EventKind::PreviousReview, date!(2025 - 02 - 20));
    plan.events
        .insert(EventKind::ReviewMeeting, date!(2026 - 02 - 12));
    plan.events
        .insert(EventKind::AmendmentNotice, date!(2026 - 03 - 02));
    plan.completions
        .insert("annual_review".to_owned(), date!(2025 - 02 - 20));
    plan.completions
        .insert("review_meeting_papers".to_owned(), date!(2026 - 01 - 29));
    plan.exceptions = vec![
        exception(
            Exception::SchoolClosed,
            "review_meeting_papers",
            "The school was closed for the summer holidays",
            date!(2025 - 08 - 04),
        ),
        exception(
            Exception::AbsentFromArea,
            "amendment",
            "The family were abroad for 5 weeks — ‘visiting’ relatives",
            date!(2026 - 03 - 09),
        ),
    ];
}

/// A plan with every optional field given, its details by [`give_details`].
fn full_plan(child: ChildId, caseworker: UserId) -> Involvement {
    let mut plan = open(
        child,
        InvolvementKind::Plan,
        date!(2024 - 02 - 29),
        START - Duration::days(400),
    );
    plan.caseworker_id = Some(caseworker);
    plan.requested_by = Some(Requester::YoungPerson);
    plan.request_outcome = Some(RequestOutcome::Assess);
    give_details(&mut plan);
    plan.move_to(
        Stage::PlanCeased,
        date!(2026 - 03 - 31),
        Some(CeaseReason::MovedAway),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    plan
}

/// Every field of an involvement, its events, completions and exceptions (in
/// their order) is stored and read back exactly, with its chronology entry and
/// effects; so is one with nothing optional.
pub async fn an_involvement_round_trips_every_field(store: Arc<dyn Store>) {
    let worker = caseworker(&store, "priya@example.gov.uk").await;
    let (amelia, first) = child(&store, "Amelia", DEFAULT_TEAM.0).await;
    let full = full_plan(amelia.id, worker);
    assert!(
        full.caseworker_id.is_some()
            && full.requested_by.is_some()
            && full.request_outcome.is_some()
            && full.assessment_outcome == Some(AssessmentOutcome::PlanIssued)
            && full.plan_start.is_some()
            && full.cease_reason.is_some(),
        "every optional field is given"
    );
    let minimal = open(
        amelia.id,
        InvolvementKind::Assessment,
        date!(2026 - 11 - 20),
        START,
    );
    let (full_entry, full_effects) = insert(&store, &full).await;
    let (minimal_entry, minimal_effects) = insert(&store, &minimal).await;

    assert_eq!(find(&store, full.id).await.as_ref(), Some(&full));
    assert_eq!(find(&store, minimal.id).await.as_ref(), Some(&minimal));
    assert_eq!(
        find(&store, InvolvementId::from_uuid(Uuid::new_v4())).await,
        None
    );
    assert_eq!(
        of_child(&store, amelia.id).await,
        vec![minimal.clone(), full.clone()]
    );
    assert_eq!(
        chronology(&store, amelia.id).await,
        vec![minimal_entry, first, full_entry],
        "newest first: the plan was opened before the child was added"
    );
    assert_eq!(
        written(&store).await,
        ids_of(&[&full_effects, &minimal_effects])
    );
}

/// An update writes every field but the id, child, kind and opening time, and
/// replaces the events, completions and exceptions as a whole, with its
/// chronology entry and effects.
#[expect(
    clippy::too_many_lines,
    reason = "one involvement's changes, read from top to bottom"
)]
pub async fn updating_an_involvement_replaces_its_fields_and_details(store: Arc<dyn Store>) {
    let priya = caseworker(&store, "priya@example.gov.uk").await;
    let sam = caseworker(&store, "sam@example.gov.uk").await;
    let (amelia, first) = child(&store, "Amelia", DEFAULT_TEAM.0).await;
    let mut original = open(
        amelia.id,
        InvolvementKind::Assessment,
        date!(2026 - 01 - 05),
        START,
    );
    original.caseworker_id = Some(priya);
    original.requested_by = Some(Requester::Parent);
    original
        .events
        .insert(EventKind::AdviceRequested, date!(2026 - 01 - 06));
    original.exceptions = vec![
        exception(
            Exception::SchoolClosed,
            "final_plan",
            "Closed for the summer",
            date!(2026 - 01 - 07),
        ),
        exception(
            Exception::AbsentFromArea,
            "decide_to_assess",
            "Away for 5 weeks",
            date!(2026 - 01 - 08),
        ),
    ];
    let (open_entry, open_effects) = insert(&store, &original).await;

    let mut changed = moved(
        original.clone(),
        &[
            Stage::DecisionToAssess,
            Stage::AssessmentAndAdvice,
            Stage::DraftPlan,
        ],
    );
    changed.caseworker_id = Some(sam);
    changed.requested_by = Some(Requester::School);
    changed.events.remove(&EventKind::AdviceRequested);
    changed.exceptions = vec![
        original.exceptions[1].clone(),
        exception(
            Exception::ExceptionalPersonalCircumstances,
            "final_plan",
            "A bereavement in the family",
            date!(2026 - 02 - 01),
        ),
    ];
    let with_other_kind_and_opening = Involvement {
        kind: InvolvementKind::Reassessment,
        opened_at: START + Duration::days(3),
        ..changed.clone()
    };
    let update_at = START + Duration::days(30);
    let update_entry = entry(amelia.id, update_at, "involvement.stage_changed");
    let update_effects = effects(update_at, AuditAction::InvolvementStageChanged);
    assert_eq!(with_other_kind_and_opening.version, 1, "read as opened");
    commit(
        &store,
        change_involvement(&with_other_kind_and_opening, &update_entry, &update_effects),
    )
    .await;
    assert_eq!(
        find(&store, original.id).await,
        Some(next_version(&changed)),
        "kind and opening time kept, everything else replaced, version 2"
    );
    assert_eq!(
        changed.events.keys().copied().collect::<Vec<_>>(),
        vec![EventKind::RequestReceived, EventKind::DraftPlanSent]
    );
    assert_eq!(changed.completions.len(), 1);
    assert_eq!(
        changed.previous.map(|p| p.stage),
        Some(Stage::AssessmentAndAdvice),
        "the stage before the last move is kept, for a correction"
    );

    let emptied = Involvement {
        caseworker_id: None,
        requested_by: None,
        request_outcome: None,
        events: Events::new(),
        completions: Completions::new(),
        exceptions: Vec::new(),
        previous: None,
        updated_at: update_at + Duration::hours(1),
        version: 2,
        ..changed.clone()
    };
    let empty_at = update_at + Duration::hours(1);
    let empty_entry = entry(amelia.id, empty_at, "involvement.stage_changed");
    let empty_effects = effects(empty_at, AuditAction::InvolvementStageChanged);
    commit(
        &store,
        change_involvement(&emptied, &empty_entry, &empty_effects),
    )
    .await;
    assert_eq!(
        find(&store, original.id).await,
        Some(next_version(&emptied))
    );

    assert_eq!(
        chronology(&store, amelia.id).await,
        vec![empty_entry, update_entry, open_entry, first]
    );
    assert_eq!(
        written(&store).await,
        ids_of(&[&open_effects, &update_effects, &empty_effects])
    );
}

/// Updating an involvement that does not exist is `NotFound` and writes
/// nothing: no row, no details, no chronology entry, no effects.
pub async fn updating_a_missing_involvement_writes_nothing(store: Arc<dyn Store>) {
    let worker = caseworker(&store, "priya@example.gov.uk").await;
    let (amelia, first) = child(&store, "Amelia", DEFAULT_TEAM.0).await;
    let kept = open(
        amelia.id,
        InvolvementKind::Assessment,
        date!(2026 - 01 - 05),
        START,
    );
    let (kept_entry, kept_effects) = insert(&store, &kept).await;

    let missing = full_plan(amelia.id, worker);
    let at = START + Duration::days(1);
    let result = store
        .commit(&change_involvement(
            &missing,
            &entry(amelia.id, at, "involvement.stage_changed"),
            &effects(at, AuditAction::InvolvementStageChanged),
        ))
        .await;
    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");

    assert_eq!(find(&store, missing.id).await, None);
    assert_eq!(of_child(&store, amelia.id).await, vec![kept]);
    assert_eq!(chronology(&store, amelia.id).await, vec![kept_entry, first]);
    assert_eq!(written(&store).await, ids_of(&[&kept_effects]));
}

/// A child's involvements are newest opened first (the id decides between
/// involvements opened at the same moment), each with its details, and only
/// that child's.
pub async fn a_childs_involvements_are_newest_opened_first(store: Arc<dyn Store>) {
    let (amelia, _) = child(&store, "Amelia", DEFAULT_TEAM.0).await;
    let (ben, _) = child(&store, "Ben", DEFAULT_TEAM.0).await;
    let mut expected = Vec::new();
    for (hours, kind) in [
        (1, InvolvementKind::Assessment),
        (3, InvolvementKind::Plan),
        (2, InvolvementKind::Reassessment),
        (3, InvolvementKind::Assessment),
        (3, InvolvementKind::Reassessment),
    ] {
        let at = START + Duration::hours(hours);
        let mut involvement = open(amelia.id, kind, date!(2026 - 11 - 02), at);
        involvement
            .completions
            .insert(format!("opened_{hours}"), date!(2026 - 11 - 03));
        insert(&store, &involvement).await;
        expected.push(involvement);
    }
    let bens = open(ben.id, InvolvementKind::Plan, date!(2026 - 11 - 02), START);
    insert(&store, &bens).await;

    expected.sort_by(|a, b| {
        b.opened_at
            .cmp(&a.opened_at)
            .then_with(|| b.id.to_string().cmp(&a.id.to_string()))
    });
    assert_eq!(of_child(&store, amelia.id).await, expected);
    assert_eq!(of_child(&store, ben.id).await, vec![bens]);
    assert!(
        of_child(&store, ChildId::from_uuid(Uuid::new_v4()))
            .await
            .is_empty()
    );
}

fn assigned(mut involvement: Involvement, caseworker: Option<UserId>) -> Involvement {
    involvement.caseworker_id = caseworker;
    involvement
}

/// One involvement at each closed stage, opened before and after the open ones.
fn closed_involvements(
    amelia: ChildId,
    ben: ChildId,
    priya: UserId,
    sam: UserId,
) -> [Involvement; 4] {
    let start = date!(2026 - 01 - 05);
    let at = |hours: i64| START + Duration::hours(hours);
    [
        assigned(
            moved(
                open(amelia, InvolvementKind::Assessment, start, at(-1)),
                &[Stage::NotAssessed],
            ),
            Some(priya),
        ),
        assigned(
            moved(
                open(amelia, InvolvementKind::Assessment, start, at(4)),
                &[Stage::DecisionToAssess, Stage::NotIssued],
            ),
            Some(sam),
        ),
        assigned(
            moved(
                open(ben, InvolvementKind::Reassessment, start, at(5)),
                &[
                    Stage::AssessmentAndAdvice,
                    Stage::DraftPlan,
                    Stage::FinalPlan,
                ],
            ),
            Some(priya),
        ),
        assigned(
            moved(
                open(ben, InvolvementKind::Plan, start, at(-2)),
                &[Stage::PlanCeased],
            ),
            Some(sam),
        ),
    ]
}

/// The caseload lists involvements at every stage that is not closed, each
/// with its child, oldest opened first; by caseworker, by team (no teams:
/// nothing), or both.
pub async fn open_involvements_leave_out_closed_stages_and_filter(store: Arc<dyn Store>) {
    let priya = caseworker(&store, "priya@example.gov.uk").await;
    let sam = caseworker(&store, "sam@example.gov.uk").await;
    let north = Team {
        id: TeamId::from_uuid(Uuid::new_v4()),
        name: "North team".to_owned(),
    };
    commit(
        &store,
        Changes::new().with(Write::InsertTeam {
            team: north.clone(),
            at: START,
        }),
    )
    .await;
    let home = DEFAULT_TEAM.0;
    let (amelia, _) = child(&store, "Amelia", home).await;
    let (ben, _) = child(&store, "Ben", north.id).await;
    let start = date!(2026 - 01 - 05);
    let at = |hours: i64| START + Duration::hours(hours);

    let amelia_draft = assigned(
        moved(
            open(amelia.id, InvolvementKind::Assessment, start, at(0)),
            &[
                Stage::DecisionToAssess,
                Stage::AssessmentAndAdvice,
                Stage::DraftPlan,
            ],
        ),
        Some(sam),
    );
    let amelia_request = assigned(
        open(amelia.id, InvolvementKind::Assessment, start, at(1)),
        Some(priya),
    );
    let ben_plan = assigned(open(ben.id, InvolvementKind::Plan, start, at(2)), Some(sam));
    let ben_reassessment = open(ben.id, InvolvementKind::Reassessment, start, at(3));
    let closed = closed_involvements(amelia.id, ben.id, priya, sam);
    let closed_stages: BTreeSet<Stage> = closed.iter().map(|i| i.stage).collect();
    let every_closed: BTreeSet<Stage> = Stage::ALL
        .iter()
        .copied()
        .filter(|s| s.is_closed())
        .collect();
    assert_eq!(closed_stages, every_closed, "one at each closed stage");
    for involvement in
        closed
            .iter()
            .chain([&ben_reassessment, &amelia_request, &ben_plan, &amelia_draft])
    {
        insert(&store, involvement).await;
    }

    let of_amelia = |i: &Involvement| (i.clone(), amelia.clone());
    let of_ben = |i: &Involvement| (i.clone(), ben.clone());
    assert_eq!(
        caseload(&store, None, None).await,
        vec![
            of_amelia(&amelia_draft),
            of_amelia(&amelia_request),
            of_ben(&ben_plan),
            of_ben(&ben_reassessment),
        ],
        "every open one, oldest opened first"
    );
    assert_eq!(
        caseload(&store, Some(priya), None).await,
        vec![of_amelia(&amelia_request)]
    );
    assert_eq!(
        caseload(&store, Some(sam), None).await,
        vec![of_amelia(&amelia_draft), of_ben(&ben_plan)]
    );
    assert_eq!(
        caseload(&store, None, Some(vec![north.id])).await,
        vec![of_ben(&ben_plan), of_ben(&ben_reassessment)]
    );
    assert_eq!(
        caseload(&store, Some(sam), Some(vec![north.id])).await,
        vec![of_ben(&ben_plan)]
    );
    assert_eq!(
        caseload(&store, None, Some(vec![home, north.id])).await,
        caseload(&store, None, None).await
    );
    assert!(
        caseload(&store, None, Some(Vec::new())).await.is_empty(),
        "no teams: nothing"
    );
    assert!(
        caseload(&store, None, Some(vec![TeamId::from_uuid(Uuid::new_v4())]))
            .await
            .is_empty()
    );
    assert!(
        caseload(&store, Some(UserId::from_uuid(Uuid::new_v4())), None)
            .await
            .is_empty()
    );
}

/// Two people change the same involvement from the version they both read:
/// exactly one change is written, with its entry and effects, and the version
/// moves on by one; the other is a conflict on `INVOLVEMENT_CHANGED` and writes
/// nothing (no details, no entry, no effects). Changing an involvement that was
/// never opened is `NotFound`.
pub async fn two_changes_of_one_involvement_version_write_one(store: Arc<dyn Store>) {
    let priya = caseworker(&store, "priya@example.gov.uk").await;
    let sam = caseworker(&store, "sam@example.gov.uk").await;
    let (amelia, first) = child(&store, "Amelia", DEFAULT_TEAM.0).await;
    let original = open(
        amelia.id,
        InvolvementKind::Assessment,
        date!(2026 - 01 - 05),
        START,
    );
    let (open_entry, open_effects) = insert(&store, &original).await;
    let read = find(&store, original.id)
        .await
        .unwrap_or_else(|| panic!("the involvement was opened"));
    assert_eq!(read.version, 1, "a new record reads back 1");

    let at = START + Duration::days(1);
    let mut by_priya = moved(read.clone(), &[Stage::DecisionToAssess]);
    by_priya.caseworker_id = Some(priya);
    let mut by_sam = assigned(read.clone(), Some(sam));
    by_sam
        .completions
        .insert("decide_to_assess".to_owned(), date!(2026 - 01 - 20));
    let priya_writes = (
        entry(amelia.id, at, "involvement.stage_changed"),
        effects(at, AuditAction::InvolvementStageChanged),
    );
    let sam_writes = (
        entry(amelia.id, at, "involvement.assigned"),
        effects(at, AuditAction::InvolvementStageChanged),
    );
    let results = race(
        &store,
        &change_involvement(&by_priya, &priya_writes.0, &priya_writes.1),
        &change_involvement(&by_sam, &sam_writes.0, &sam_writes.1),
    )
    .await;
    let (winner, (winner_entry, winner_effects)) = if first_wins(results, INVOLVEMENT_CHANGED) {
        (by_priya, priya_writes)
    } else {
        (by_sam, sam_writes)
    };

    assert_eq!(
        find(&store, original.id).await,
        Some(next_version(&winner)),
        "the winner's, version 2"
    );
    assert_eq!(
        chronology(&store, amelia.id).await,
        vec![winner_entry, open_entry, first]
    );
    assert_eq!(
        written(&store).await,
        ids_of(&[&open_effects, &winner_effects])
    );

    assert_conflict(
        store
            .commit(&change_involvement(
                &read,
                &entry(amelia.id, at, "involvement.stage_changed"),
                &Effects::default(),
            ))
            .await,
        INVOLVEMENT_CHANGED,
    );
    let missing = open(
        amelia.id,
        InvolvementKind::Plan,
        date!(2026 - 01 - 05),
        START,
    );
    assert_not_found(
        store
            .commit(&change_involvement(
                &missing,
                &entry(amelia.id, at, "involvement.stage_changed"),
                &effects(at, AuditAction::InvolvementStageChanged),
            ))
            .await,
    );
    assert_eq!(find(&store, missing.id).await, None);
    assert_eq!(chronology(&store, amelia.id).await.len(), 3);
    assert_eq!(
        written(&store).await,
        ids_of(&[&open_effects, &winner_effects])
    );
}
