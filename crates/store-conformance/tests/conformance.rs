//! The conformance suite, listed once and run on both databases (`sqlite::…`
//! and `postgres::…`), and the schema parity check.

use send_store_conformance::testdb::TestDb;

send_store_conformance::conformance_tests!(
    audit_event_round_trips_every_field,
    audit_search_filters_and_limits,
    staff_setup_link_is_found_by_token_only,
    a_failed_write_writes_nothing,
    ping_answers,
    outbox_enqueue_claim_and_send_round_trip,
    outbox_lease_hides_an_email_until_it_ends,
    outbox_sent_emails_are_never_claimed_again,
    outbox_failure_schedules_the_next_attempt,
    outbox_concurrent_claimers_never_share_an_email,
    a_session_round_trips_and_is_updated_in_place,
    an_ended_session_is_never_brought_back,
    ending_an_accounts_sessions_keeps_the_one_asked_and_others_accounts,
    expired_sessions_are_cleaned_up,
    an_account_round_trips_every_field,
    a_taken_email_is_a_conflict_and_writes_nothing,
    updating_an_account_writes_its_fields_and_effects,
    changing_a_password_keeps_history_and_ends_other_sessions,
    a_reset_link_changes_the_password_once_only,
    the_newest_code_counts_for_its_own_attempt,
    a_code_is_used_once_with_its_account_change,
    a_setup_link_is_used_by_the_account_it_creates,
    recovery_codes_are_replaced_and_each_used_once,
    an_authenticator_step_is_accepted_once,
    throttles_are_set_read_replaced_and_cleared,
    the_default_team_and_groups_are_seeded,
    a_taken_team_or_group_name_is_a_conflict_and_writes_nothing,
    updating_a_group_replaces_its_permissions,
    staff_access_is_the_role_team_and_union_of_group_permissions,
    a_setup_link_gives_its_team_and_groups_to_the_new_account,
    a_child_round_trips_every_field,
    updating_a_child_writes_its_fields_and_an_entry,
    children_are_found_by_each_criterion_in_order,
    children_are_found_by_combined_criteria_within_teams,
    a_search_text_with_wildcards_matches_literally,
    contacts_are_upserted_by_id_and_deleted,
    the_chronology_is_newest_first_within_the_limit,
    two_edits_of_one_child_version_write_one,
    a_team_and_group_added_in_a_unit_are_joined_in_it,
    an_involvement_round_trips_every_field,
    updating_an_involvement_replaces_its_fields_and_details,
    updating_a_missing_involvement_writes_nothing,
    a_childs_involvements_are_newest_opened_first,
    open_involvements_leave_out_closed_stages_and_filter,
    two_changes_of_one_involvement_version_write_one,
    local_milestones_round_trip_by_kind_then_title,
    a_taken_milestone_code_is_a_conflict_and_writes_nothing,
    a_local_milestone_is_deleted_and_a_missing_one_is_not_found,
    extra_holidays_round_trip_in_date_order,
    a_taken_holiday_date_is_a_conflict_and_writes_nothing,
    an_invitation_round_trips_through_every_step,
    saving_an_invitation_at_the_wrong_stage_is_a_conflict_and_writes_nothing,
    a_second_link_for_the_same_child_and_account_is_a_conflict,
    a_link_hash_already_sent_is_a_conflict_and_writes_nothing,
    a_link_changes_only_from_the_status_it_was_read_in,
    a_revoked_link_is_granted_again,
    invitations_awaiting_decision_are_filtered_by_team,
    a_child_link_request_is_decided_once,
    the_waiting_list_leaves_out_decided_requests,
    portal_links_are_listed_by_child_and_by_account,
    two_steps_from_one_invitation_stage_write_one,
    two_changes_from_one_link_status_write_one,
    two_decisions_on_one_request_write_one,
    a_document_round_trips_with_each_kind_of_sharing,
    documents_are_shared_with_everyone_linked_or_by_name,
    sharing_is_replaced_and_a_missing_document_writes_nothing,
    a_taken_file_key_is_a_conflict_and_writes_nothing,
    the_four_message_types_are_seeded,
    a_taken_message_type_name_is_a_conflict_and_writes_nothing,
    a_thread_round_trips_with_its_messages_and_attachments,
    a_message_to_a_missing_thread_is_not_found_and_writes_nothing,
    waiting_and_last_message_times_are_written_as_given,
    threads_are_listed_by_child_and_by_participant,
    a_read_mark_never_moves_back,
    the_team_inbox_is_filtered_by_team_and_longest_waiting_first,
    threads_are_assigned_and_handed_over,
    message_emails_are_on_until_turned_off,
    two_answers_to_one_thread_version_write_one,
    handing_over_moves_each_threads_version_on,
    effects_alone_are_written,
    writes_apply_in_order_within_a_unit,
    a_unit_refused_by_a_guard_writes_nothing,
    a_unit_refused_for_a_taken_value_writes_nothing,
    a_unit_refused_for_a_missing_record_writes_nothing,
    a_form_round_trips_with_its_working_copy,
    updating_a_form_moves_its_version_on_and_a_stale_one_writes_nothing,
    two_edits_of_one_form_version_write_one,
    a_builtin_form_is_stored_once,
    form_versions_are_listed_in_order_and_never_change,
    live_form_versions_leave_out_retired_and_unpublished_forms,
    forms_are_given_to_children_and_withdrawn_once,
    a_form_assignment_is_completed_by_the_first_submission,
    saved_form_answers_are_one_per_form_child_and_author,
    saved_form_answers_are_deleted_and_nothing_saved_is_not_found,
    form_submissions_are_found_by_filters_newest_first,
    a_taken_form_submission_reference_is_a_conflict_and_writes_nothing,
    a_submissions_processing_round_trips_and_moves_on_once,
    two_steps_on_one_submission_write_one,
    the_processing_area_filters_oldest_first_and_counts,
    match_candidates_come_from_each_lookup_once,
    a_common_surname_gives_the_births_nearest_the_date_first,
    family_contacts_of_several_children_are_read_together,
    children_are_indexed_for_matching,
    messages_sent_since_counts_one_authors_recent_messages,
    a_date_of_birth_gives_the_surnames_with_the_same_initial_first,
    notification_settings_are_saved_replaced_and_read_back,
    notification_opt_outs_are_per_person_and_event,
    a_refused_unit_saves_no_setting_and_no_opt_out,
);

/// Both migration histories, run from empty, give the same tables and columns.
#[tokio::test]
async fn both_databases_have_the_same_tables_and_columns() {
    let sqlite = TestDb::sqlite().await;
    let Some(postgres) = TestDb::postgres().await else {
        return;
    };
    let (TestDb::Sqlite { store: lite, .. }, TestDb::Postgres { store: pg, .. }) =
        (&sqlite, &postgres)
    else {
        unreachable!("constructors return their own engine")
    };
    let lite_schema = lite
        .describe_schema()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let pg_schema = pg.describe_schema().await.unwrap_or_else(|e| panic!("{e}"));
    assert!(!lite_schema.is_empty(), "migrations created no tables");
    assert_eq!(lite_schema, pg_schema);
}
