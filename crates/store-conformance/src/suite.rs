//! The cases every store must pass. Each takes a fresh, migrated store.

use std::collections::BTreeSet;
use std::sync::Arc;

use send_domain::{
    Actor, AuditAction, AuditCursor, AuditEvent, AuditEventId, AuditOutcome, AuditQuery, ChildId,
    Email, PersonName, StaffRole, StaffSetupLink, StaffSetupLinkId, TokenHash, UserId,
};
use send_store::{Changes, Effects, Store, StoreError, Write};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

fn event(at: OffsetDateTime, action: AuditAction) -> AuditEvent {
    AuditEvent {
        id: AuditEventId::from_uuid(Uuid::new_v4()),
        occurred_at: at,
        actor: Actor::System,
        action,
        outcome: AuditOutcome::Succeeded,
        child_id: None,
        subject: None,
        detail: None,
        source: None,
    }
}

fn link(token: &str) -> StaffSetupLink {
    StaffSetupLink {
        id: StaffSetupLinkId::from_uuid(Uuid::new_v4()),
        email: Email::parse("ada.admin@example.gov.uk").unwrap_or_else(|e| panic!("{e}")),
        name: PersonName::parse("Ada Admin").unwrap_or_else(|e| panic!("{e}")),
        role: StaffRole::Administrator,
        team_id: None,
        groups: BTreeSet::new(),
        token_hash: TokenHash::from_hex(token).unwrap_or_else(|e| panic!("{e}")),
        created_at: datetime!(2026-11-23 09:00:00.123456 UTC),
        expires_at: datetime!(2026-11-24 09:00:00.123456 UTC),
        used_at: None,
        withdrawn_at: None,
    }
}

/// Issuing a staff set-up link: the link and what it causes, in one unit.
fn issue(link: &StaffSetupLink, effects: Effects) -> Changes {
    Changes::new()
        .with(Write::InsertStaffSetupLink(link.clone()))
        .with_effects(effects)
}

/// Every field of an audit event is stored and read back exactly.
pub async fn audit_event_round_trips_every_field(store: Arc<dyn Store>) {
    let full = AuditEvent {
        actor: Actor::User(UserId::from_uuid(Uuid::new_v4())),
        outcome: AuditOutcome::Refused,
        child_id: Some(ChildId::from_uuid(Uuid::new_v4())),
        subject: Some("staff_setup_link:1".to_owned()),
        detail: Some("détail with ünïcode and 'quotes'".to_owned()),
        source: Some("2001:db8::1".to_owned()),
        ..event(
            datetime!(2026-03-29 00:59:59.999999 UTC),
            AuditAction::StaffSetupLinkOpened,
        )
    };
    let bare = event(datetime!(2026-03-29 01:00 UTC), AuditAction::DemoDataLoaded);
    store
        .record_audit_event(&full)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    store
        .record_audit_event(&bare)
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    let all = store
        .search_audit_events(&AuditQuery::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(all, vec![bare, full], "newest first, every field intact");
}

/// Audit events recorded at the same time (as by many page views at once,
/// which SQLite writes together) are each written once, and each request
/// returns only when its own is; one that cannot be written (its id is taken)
/// fails its own request and no other.
pub async fn audit_events_recorded_together_are_each_written(store: Arc<dyn Store>) {
    let at = datetime!(2026-11-23 09:00:00.123456 UTC);
    let first = event(at, AuditAction::ChildViewed);
    store
        .record_audit_event(&first)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let events: Vec<AuditEvent> = (1..=24)
        .map(|n| event(at + Duration::seconds(n), AuditAction::DashboardViewed))
        .collect();
    let again = AuditEvent {
        detail: Some("the same id again".to_owned()),
        ..first.clone()
    };
    let mut tasks = tokio::task::JoinSet::new();
    for (n, event) in events.iter().enumerate() {
        let mine = store.clone();
        let event = event.clone();
        tasks.spawn(async move { (event.id, mine.record_audit_event(&event).await.is_ok()) });
        if n == 12 {
            let store = store.clone();
            let again = again.clone();
            tasks.spawn(async move { (again.id, store.record_audit_event(&again).await.is_ok()) });
        }
    }
    let mut answers = Vec::new();
    while let Some(answer) = tasks.join_next().await {
        answers.push(answer.unwrap_or_else(|e| panic!("{e}")));
    }
    let refused: Vec<_> = answers.iter().filter(|(_, ok)| !ok).collect();
    assert_eq!(refused, vec![&(first.id, false)], "only the taken id fails");
    assert_eq!(answers.len(), events.len() + 1);

    let stored = store
        .search_audit_events(&AuditQuery {
            limit: 1000,
            ..AuditQuery::default()
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut expected: Vec<AuditEvent> = events.into_iter().rev().collect();
    expected.push(first);
    assert_eq!(
        stored, expected,
        "each once, newest first, the first unchanged"
    );
}

/// Searches filter by child, by user and by action, and by an action with
/// either, newest first, within the limit.
pub async fn audit_search_filters_and_limits(store: Arc<dyn Store>) {
    let child = ChildId::from_uuid(Uuid::new_v4());
    let other_child = ChildId::from_uuid(Uuid::new_v4());
    let user = UserId::from_uuid(Uuid::new_v4());
    let start = datetime!(2028-02-28 23:00 UTC);
    let mut written = Vec::new();
    for i in 0..6_i64 {
        let mut e = event(
            start + Duration::minutes(i),
            AuditAction::StaffSetupLinkOpened,
        );
        e.child_id = Some(if i % 2 == 0 { child } else { other_child });
        if i >= 3 {
            e.actor = Actor::User(user);
            e.action = AuditAction::StaffSetupLinkIssued;
        }
        store
            .record_audit_event(&e)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        written.push(e);
    }
    let search = |query: AuditQuery| {
        let store = store.clone();
        async move {
            store
                .search_audit_events(&query)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .into_iter()
                .map(|e| e.occurred_at)
                .collect::<Vec<_>>()
        }
    };
    let at = |i: usize| written[i].occurred_at;

    let for_child = search(AuditQuery {
        child_id: Some(child),
        ..AuditQuery::default()
    })
    .await;
    assert_eq!(for_child, vec![at(4), at(2), at(0)]);
    let by_user = search(AuditQuery {
        user_id: Some(user),
        ..AuditQuery::default()
    })
    .await;
    assert_eq!(by_user, vec![at(5), at(4), at(3)]);
    let by_action = search(AuditQuery {
        action: Some(AuditAction::StaffSetupLinkOpened),
        ..AuditQuery::default()
    })
    .await;
    assert_eq!(by_action, vec![at(2), at(1), at(0)]);
    let limited = search(AuditQuery {
        limit: 2,
        ..AuditQuery::default()
    })
    .await;
    assert_eq!(limited, vec![at(5), at(4)]);
    let both = search(AuditQuery {
        child_id: Some(other_child),
        user_id: Some(user),
        ..AuditQuery::default()
    })
    .await;
    assert_eq!(both, vec![at(5), at(3)]);
    // An action with an account or a child: that account's or child's events
    // of the action (SQLite checks the action row by row, migration 0024).
    let user_and_action = search(AuditQuery {
        user_id: Some(user),
        action: Some(AuditAction::StaffSetupLinkIssued),
        ..AuditQuery::default()
    })
    .await;
    assert_eq!(user_and_action, vec![at(5), at(4), at(3)]);
    let user_not_of_action = search(AuditQuery {
        user_id: Some(user),
        action: Some(AuditAction::StaffSetupLinkOpened),
        ..AuditQuery::default()
    })
    .await;
    assert!(user_not_of_action.is_empty(), "{user_not_of_action:?}");
    let child_and_action = search(AuditQuery {
        child_id: Some(child),
        action: Some(AuditAction::StaffSetupLinkOpened),
        ..AuditQuery::default()
    })
    .await;
    assert_eq!(child_and_action, vec![at(2), at(0)]);
}

/// The audit page's search: by person (who did it, or whom it was about), by
/// outcome and by a range of time (from included, until not), and keyset pages
/// on (time, id) that neither repeat nor skip an event, even between two events
/// at the same moment.
pub async fn audit_search_by_person_outcome_time_and_pages(store: Arc<dyn Store>) {
    let person = UserId::from_uuid(Uuid::new_v4());
    let start = datetime!(2027-06-01 08:00:00.5 UTC);
    let mut written = Vec::new();
    for i in 0..7_i64 {
        // Events 2 and 3 happen at the same moment.
        let minutes = if i == 3 { 2 } else { i };
        let mut e = event(start + Duration::minutes(minutes), AuditAction::ChildViewed);
        match i {
            1 => e.actor = Actor::User(person),
            4 => e.subject = Some(format!("account:{person}")),
            5 => e.outcome = AuditOutcome::Refused,
            _ => {}
        }
        store
            .record_audit_event(&e)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        written.push(e);
    }
    let search = |query: AuditQuery| {
        let store = store.clone();
        async move {
            store
                .search_audit_events(&query)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        }
    };
    let ids = |events: &[AuditEvent]| events.iter().map(|e| e.id).collect::<Vec<_>>();
    let newest_first = {
        let mut all = written.clone();
        all.sort_by_key(|e| std::cmp::Reverse((e.occurred_at, e.id.to_string())));
        all
    };

    let about = search(AuditQuery {
        person: Some(person),
        ..AuditQuery::default()
    })
    .await;
    assert_eq!(
        ids(&about),
        vec![written[4].id, written[1].id],
        "who did it or whom it was about"
    );
    let refused = search(AuditQuery {
        outcome: Some(AuditOutcome::Refused),
        ..AuditQuery::default()
    })
    .await;
    assert_eq!(ids(&refused), vec![written[5].id]);
    let between = search(AuditQuery {
        from: Some(start + Duration::minutes(1)),
        until: Some(start + Duration::minutes(4)),
        ..AuditQuery::default()
    })
    .await;
    assert_eq!(
        between.len(),
        3,
        "minutes 1, 2 and 2 again; minute 4 is not before the end"
    );
    assert!(
        between
            .iter()
            .all(|e| e.occurred_at >= start + Duration::minutes(1)
                && e.occurred_at < start + Duration::minutes(4))
    );

    let mut pages = Vec::new();
    let mut before = None;
    loop {
        let page = search(AuditQuery {
            before,
            limit: 2,
            ..AuditQuery::default()
        })
        .await;
        if page.is_empty() {
            break;
        }
        before = page.last().map(AuditCursor::of);
        pages.extend(page);
    }
    assert_eq!(
        ids(&pages),
        ids(&newest_first),
        "every event once, in order"
    );
}

/// A staff set-up link is stored with its audit event and found only by its token.
pub async fn staff_setup_link_is_found_by_token_only(store: Arc<dyn Store>) {
    let link = link(&"ab".repeat(32));
    let audit = event(link.created_at, AuditAction::StaffSetupLinkIssued);
    support::commit(&store, issue(&link, Effects::audit(audit.clone()))).await;

    let found = store
        .staff_setup_link_by_token(&link.token_hash)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(found.as_ref(), Some(&link));
    let missing = store
        .staff_setup_link_by_token(
            &TokenHash::from_hex(&"cd".repeat(32)).unwrap_or_else(|e| panic!("{e}")),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(missing, None);

    let log = store
        .search_audit_events(&AuditQuery::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(log, vec![audit]);
}

/// A second link with the same token is a conflict, and nothing of that call is
/// written: not the link, not its audit event.
pub async fn a_failed_write_writes_nothing(store: Arc<dyn Store>) {
    let token = "ef".repeat(32);
    let first = link(&token);
    let first_audit = event(first.created_at, AuditAction::StaffSetupLinkIssued);
    support::commit(&store, issue(&first, Effects::audit(first_audit.clone()))).await;

    let mut second = link(&token);
    second.email = Email::parse("someone.else@example.gov.uk").unwrap_or_else(|e| panic!("{e}"));
    let second_audit = event(
        first.created_at + Duration::seconds(1),
        AuditAction::StaffSetupLinkIssued,
    );
    let result = store
        .commit(&issue(&second, Effects::audit(second_audit.clone())))
        .await;
    assert!(
        matches!(result, Err(StoreError::Conflict { .. })),
        "{result:?}"
    );

    let found = store
        .staff_setup_link_by_token(&first.token_hash)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(found, Some(first));
    let log = store
        .search_audit_events(&AuditQuery::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        log,
        vec![first_audit],
        "the refused call's audit event was not written"
    );
}

/// The store answers a health check and names its engine.
pub async fn ping_answers(store: Arc<dyn Store>) {
    store.ping().await.unwrap_or_else(|e| panic!("{e}"));
    assert!(["sqlite", "postgres"].contains(&store.engine()));
}

// The email outbox (DESIGN NTF-4): its cases are in `suite/outbox.rs`.
mod support;

mod outbox;
pub use outbox::{
    outbox_concurrent_claimers_never_share_an_email, outbox_enqueue_claim_and_send_round_trip,
    outbox_failure_schedules_the_next_attempt, outbox_lease_hides_an_email_until_it_ends,
    outbox_sent_emails_are_never_claimed_again,
};

// Server-side sessions: their cases are in `suite/sessions.rs`.
mod sessions;
pub use sessions::{
    a_session_round_trips_and_is_updated_in_place,
    an_accounts_sessions_are_listed_and_ended_one_or_all_but_one,
    an_ended_session_is_never_brought_back,
    ending_an_accounts_sessions_keeps_the_one_asked_and_others_accounts,
    expired_sessions_are_cleaned_up, touching_a_session_moves_only_its_last_activity,
};

// Accounts, codes, resets, recovery codes and throttles: their cases are in
// `suite/accounts.rs`.
mod accounts;
pub use accounts::{
    a_code_is_used_once_with_its_account_change, a_reset_link_changes_the_password_once_only,
    a_setup_link_is_used_by_the_account_it_creates, a_taken_email_is_a_conflict_and_writes_nothing,
    an_account_round_trips_every_field, an_authenticator_step_is_accepted_once,
    changing_a_password_keeps_history_and_ends_other_sessions,
    recovery_codes_are_replaced_and_each_used_once, the_newest_code_counts_for_its_own_attempt,
    throttles_are_set_read_replaced_and_cleared, updating_an_account_writes_its_fields_and_effects,
};

// The back office: teams, permission groups, staff membership, children, family
// contacts and chronologies. Their cases are in `suite/cases.rs`.
mod cases;
pub use cases::{
    a_child_round_trips_every_field, a_group_is_removed_only_when_nobody_is_in_it,
    a_search_text_with_wildcards_matches_literally,
    a_setup_link_gives_its_team_and_groups_to_the_new_account,
    a_taken_team_or_group_name_is_a_conflict_and_writes_nothing,
    a_team_and_group_added_in_a_unit_are_joined_in_it,
    a_team_is_renamed_and_removed_only_when_nobody_uses_it,
    children_are_found_by_combined_criteria_within_teams,
    children_are_found_by_each_criterion_in_order, contacts_are_upserted_by_id_and_deleted,
    record_openings_are_staff_and_professionals_by_role_and_team,
    staff_access_is_the_role_team_and_union_of_group_permissions,
    teams_and_groups_in_use_are_those_a_removal_refuses,
    the_chronology_is_newest_first_within_the_limit, the_default_team_and_groups_are_seeded,
    two_edits_of_one_child_version_write_one, updating_a_child_writes_its_fields_and_an_entry,
    updating_a_group_replaces_its_permissions,
};

// Involvements: assessments, plans and re-assessments. Their cases are in
// `suite/involvements.rs`.
mod involvements;
pub use involvements::{
    a_childs_involvements_are_newest_opened_first, an_involvement_round_trips_every_field,
    open_involvements_come_with_their_details,
    open_involvements_leave_out_closed_stages_and_filter,
    two_changes_of_one_involvement_version_write_one,
    updating_a_missing_involvement_writes_nothing,
    updating_an_involvement_replaces_its_fields_and_details,
};

// What a council adds to the timeline: its own milestones and one-off bank
// holidays. Their cases are in `suite/timeline.rs`.
mod timeline;
pub use timeline::{
    a_holiday_is_deleted_by_date_and_a_missing_one_is_not_found,
    a_local_milestone_is_deleted_and_a_missing_one_is_not_found,
    a_taken_holiday_date_is_a_conflict_and_writes_nothing,
    a_taken_milestone_code_is_a_conflict_and_writes_nothing,
    extra_holidays_round_trip_in_date_order, local_milestones_round_trip_by_kind_then_title,
};

// Portal users and children's cases: invitations, portal links and
// professionals' requests. Their cases are in `suite/portal_access.rs`.
mod portal_access;
pub use portal_access::{
    a_child_link_request_is_decided_once, a_link_changes_only_from_the_status_it_was_read_in,
    a_link_hash_already_sent_is_a_conflict_and_writes_nothing, a_revoked_link_is_granted_again,
    a_second_link_for_the_same_child_and_account_is_a_conflict,
    an_invitation_round_trips_through_every_step,
    invitations_awaiting_decision_are_filtered_by_team,
    portal_links_are_listed_by_child_and_by_account,
    saving_an_invitation_at_the_wrong_stage_is_a_conflict_and_writes_nothing,
    the_waiting_list_leaves_out_decided_requests, two_changes_from_one_link_status_write_one,
    two_decisions_on_one_request_write_one, two_steps_from_one_invitation_stage_write_one,
};

// The SEND Dashboard's one read. Its case is in `suite/dashboard.rs`.
mod dashboard;
pub use dashboard::{
    the_dashboard_is_read_only_for_an_active_link,
    the_dashboard_read_holds_what_the_single_reads_give,
};

// Documents of a child and whom each is shared with. Their cases are in
// `suite/documents.rs`.
mod documents;
pub use documents::{
    a_document_round_trips_with_each_kind_of_sharing,
    a_taken_file_key_is_a_conflict_and_writes_nothing,
    documents_are_shared_with_everyone_linked_or_by_name,
    sharing_is_replaced_and_a_missing_document_writes_nothing,
};

// Messages: types, threads, read marks, notices sent, the SEND team's inbox,
// assignment and email preferences. Their cases are in `suite/messages.rs`.
mod messages;
pub use messages::{
    a_message_to_a_missing_thread_is_not_found_and_writes_nothing, a_read_mark_never_moves_back,
    a_taken_message_type_name_is_a_conflict_and_writes_nothing,
    a_thread_round_trips_with_its_messages_and_attachments,
    handing_over_moves_each_threads_version_on, message_emails_are_on_until_turned_off,
    messages_sent_since_counts_one_authors_recent_messages, the_four_message_types_are_seeded,
    the_last_message_notice_is_kept_per_person_and_thread,
    the_team_inbox_is_filtered_by_team_and_longest_waiting_first,
    threads_are_assigned_and_handed_over, threads_are_listed_by_child_and_by_participant,
    two_answers_to_one_thread_version_write_one, unread_messages_are_counted_after_the_read_mark,
    waiting_and_last_message_times_are_written_as_given,
};

// Automatic notifications: the council's settings and people's opt-outs.
// Their cases are in `suite/notifications.rs`.
mod notifications;
pub use notifications::{
    a_refused_unit_saves_no_setting_and_no_opt_out, notification_opt_outs_are_per_person_and_event,
    notification_settings_are_saved_replaced_and_read_back,
};

// The council's own texts. Their cases are in `suite/council_texts.rs`.
mod council_texts;
pub use council_texts::{
    a_refused_unit_saves_and_restores_no_council_text,
    council_texts_are_saved_replaced_restored_and_read_back,
};

// The unit of work itself: order, all or nothing. Its cases are in
// `suite/unit_of_work.rs`.
mod unit_of_work;
pub use unit_of_work::{
    a_unit_refused_by_a_guard_writes_nothing, a_unit_refused_for_a_missing_record_writes_nothing,
    a_unit_refused_for_a_taken_value_writes_nothing, effects_alone_are_written,
    writes_apply_in_order_within_a_unit,
};

// Forms: working copies and published versions, forms given to children, saved
// answers and submissions. Their cases are in `suite/forms.rs`.
mod forms;
pub use forms::{
    a_builtin_form_is_stored_once, a_form_assignment_is_completed_by_the_first_submission,
    a_form_round_trips_with_its_working_copy,
    a_taken_form_submission_reference_is_a_conflict_and_writes_nothing,
    form_submissions_are_found_by_filters_newest_first,
    form_versions_are_listed_in_order_and_never_change,
    forms_are_given_to_children_and_withdrawn_once,
    live_form_versions_leave_out_retired_and_unpublished_forms,
    saved_form_answers_are_deleted_and_nothing_saved_is_not_found,
    saved_form_answers_are_one_per_form_child_and_author, two_edits_of_one_form_version_write_one,
    updating_a_form_moves_its_version_on_and_a_stale_one_writes_nothing,
};

// Incoming forms: processing, the area's lists and counts, the matcher's
// candidate lookups. Their cases are in `suite/incoming_forms.rs`.
mod incoming_forms;
pub use incoming_forms::{
    a_common_surname_gives_the_births_nearest_the_date_first,
    a_date_of_birth_gives_the_surnames_with_the_same_initial_first,
    a_submissions_processing_round_trips_and_moves_on_once, children_are_indexed_for_matching,
    family_contacts_of_several_children_are_read_together,
    match_candidates_come_from_each_lookup_once,
    the_processing_area_filters_oldest_first_and_counts, two_steps_on_one_submission_write_one,
};

// Jobs: claims, leases, finishing once, cancelling, failures. Their cases are
// in `suite/jobs.rs`.
mod jobs;
pub use jobs::{
    a_failed_job_backs_off_then_dies_until_retried, a_job_is_claimed_when_due_and_finished_once,
    a_taken_job_key_is_a_conflict_and_writes_nothing,
    cancelling_a_subject_stops_its_queued_and_running_jobs,
    concurrent_job_claimers_never_share_a_job, when_a_lease_ends_only_the_new_claim_finishes,
};

// Requests for advice and reminder schedules. Their cases are in
// `suite/advice.rs`.
mod advice;
pub use advice::{
    advice_requests_are_listed_by_case_by_person_and_overdue,
    an_advice_request_round_trips_and_changes_from_the_version_read,
    an_unused_link_is_renewed_without_a_new_version,
    reminder_schedules_default_until_the_council_sets_one,
};

// People: account status, ending sessions, withdrawing set-up links, the lists.
// Their cases are in `suite/people.rs`.
mod people;
pub use people::{
    a_setup_link_is_withdrawn_once, disabling_an_account_ends_its_sessions_and_none_loads,
    ending_sessions_ends_every_session_of_the_account, people_are_listed_and_portal_accounts_found,
    staff_last_sign_ins_are_read_for_everyone_at_once,
    two_administrators_demoting_each_other_write_one,
};
