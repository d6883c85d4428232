//! Every write of a unit of work, as SQL. [`commit`] applies a [`Changes`] in one
//! transaction: each [`Write`] in order, by the function of its area named
//! after it, then the effects. Any error returns
//! before the commit, so nothing is written.
//!
//! Each function returns how many rows of its record it touched (a hand-over:
//! how many conversations moved). A guarded update that matches no row asks
//! [`refused`] whether the record is missing (`NotFound`) or changed (`Conflict`).

use async_trait::async_trait;
use send_store::{
    Changes, Committed, LAST_ADMINISTRATOR, StoreError, StoreResult, UnitOfWorkStore, Write,
};
use sqlx::PgConnection;
use sqlx::Row;
use uuid::Uuid;

use crate::PgStore;
use crate::convert::from_sqlx;
use crate::effects;

mod advice;
mod cases;
mod council_texts;
mod documents;
mod forms;
mod involvements;
mod jobs;
mod messages;
mod notifications;
mod people;
mod portal_access;
mod staff_setup;
mod timeline;

#[async_trait]
impl UnitOfWorkStore for PgStore {
    #[tracing::instrument(level = "debug", name = "store.commit", skip_all, fields(writes = changes.writes.len()))]
    async fn commit(&self, changes: &Changes) -> StoreResult<Committed> {
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        let committed = commit(&mut tx, changes).await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(committed)
    }
}

/// Applies every write of `changes` in order, then writes its effects, on
/// `conn` (inside the caller's transaction).
pub(crate) async fn commit(conn: &mut PgConnection, changes: &Changes) -> StoreResult<Committed> {
    let guarded = changes.writes.iter().any(Write::may_remove_administrators);
    let before = if guarded {
        administrators(conn, true).await?
    } else {
        0
    };
    let mut rows = Vec::with_capacity(changes.writes.len());
    for write in &changes.writes {
        rows.push(apply(conn, write).await?);
    }
    if guarded && before > 0 && administrators(conn, false).await? == 0 {
        return Err(StoreError::Conflict {
            constraint: LAST_ADMINISTRATOR.to_owned(),
        });
    }
    effects::write(conn, &changes.effects).await?;
    Ok(Committed { rows })
}

/// The advisory lock every unit of work that may remove administrators
/// takes first (held to the end of its transaction), so each one counts what
/// the one before it committed.
const ADMINISTRATORS_LOCK: i64 = 0x5345_4e44_4144_4d49;

/// How many active members of staff may manage staff. With `first`, waits
/// for any other unit of work that may remove administrators to end before
/// counting (READ COMMITTED: then each statement sees what it committed).
async fn administrators(conn: &mut PgConnection, first: bool) -> StoreResult<i64> {
    if first {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(ADMINISTRATORS_LOCK)
            .execute(&mut *conn)
            .await
            .map_err(from_sqlx)?;
    }
    let row = sqlx::query(
        "SELECT COUNT(DISTINCT a.id) AS n FROM accounts a \
             JOIN staff_group_memberships g ON g.account_id = a.id \
             JOIN permission_group_permissions p ON p.group_id = g.group_id \
             WHERE a.kind = 'staff' AND a.status = 'active' AND p.permission = 'manage_staff'",
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(from_sqlx)?;
    row.try_get::<i64, _>("n").map_err(from_sqlx)
}

#[expect(
    clippy::too_many_lines,
    reason = "a dispatch table: one arm per kind of write, each one call"
)]
async fn apply(conn: &mut PgConnection, write: &Write) -> StoreResult<u64> {
    match write {
        Write::InsertTeam { team, at } => cases::insert_team(conn, team, *at).await,
        Write::InsertPermissionGroup { group, at } => {
            cases::insert_permission_group(conn, group, *at).await
        }
        Write::UpdatePermissionGroup(group) => cases::update_permission_group(conn, group).await,
        Write::UpdateTeam { id, name } => cases::update_team(conn, *id, name).await,
        Write::DeleteTeam { id } => cases::delete_team(conn, *id).await,
        Write::DeletePermissionGroup { id } => cases::delete_permission_group(conn, *id).await,
        Write::SetStaffMembership { membership, at } => {
            cases::set_staff_membership(conn, membership, *at).await
        }
        Write::InsertChild(child) => cases::insert_child(conn, child).await,
        Write::UpdateChild {
            child,
            expected_version,
        } => cases::update_child(conn, child, *expected_version).await,
        Write::SaveContact(contact) => cases::save_contact(conn, contact).await,
        Write::DeleteContact(id) => cases::delete_contact(conn, *id).await,
        Write::AddChronologyEntry(entry) => cases::add_chronology_entry(conn, entry).await,
        Write::InsertInvolvement(involvement) => {
            involvements::insert_involvement(conn, involvement).await
        }
        Write::UpdateInvolvement {
            involvement,
            expected_version,
        } => involvements::update_involvement(conn, involvement, *expected_version).await,
        Write::InsertInvitation(invitation) => {
            portal_access::insert_invitation(conn, invitation).await
        }
        Write::UpdateInvitation {
            invitation,
            expected,
        } => portal_access::update_invitation(conn, invitation, *expected).await,
        Write::InsertPortalLink(link) => portal_access::insert_portal_link(conn, link).await,
        Write::UpdatePortalLink { link, expected } => {
            portal_access::update_portal_link(conn, link, *expected).await
        }
        Write::InsertChildLinkRequest(request) => {
            portal_access::insert_child_link_request(conn, request).await
        }
        Write::DecideChildLinkRequest(request) => {
            portal_access::decide_child_link_request(conn, request).await
        }
        Write::SaveMessageType(message_type) => {
            messages::save_message_type(conn, message_type).await
        }
        Write::InsertThread(thread) => messages::insert_thread(conn, thread).await,
        Write::UpdateThread {
            thread,
            expected_version,
        } => messages::update_thread(conn, thread, *expected_version).await,
        Write::InsertMessage(message) => messages::insert_message(conn, message).await,
        Write::MarkRead {
            thread,
            account,
            at,
        } => messages::mark_read(conn, *thread, *account, *at).await,
        Write::RecordMessageNotice {
            thread,
            account,
            at,
        } => messages::record_message_notice(conn, *thread, *account, *at).await,
        Write::HandOverThreads { from, to } => messages::hand_over_threads(conn, *from, *to).await,
        Write::SetMessageEmails { account, on } => {
            messages::set_message_emails(conn, *account, *on).await
        }
        Write::SaveNotificationSetting { setting, by, at } => {
            notifications::save_notification_setting(conn, setting, *by, *at).await
        }
        Write::SetNotificationOptOut {
            account,
            event,
            off,
        } => notifications::set_notification_opt_out(conn, *account, *event, *off).await,
        Write::SaveCouncilText { key, value, by, at } => {
            council_texts::save_council_text(conn, key, value, *by, *at).await
        }
        Write::RestoreCouncilText { key } => council_texts::restore_council_text(conn, key).await,
        Write::InsertDocument(document) => documents::insert_document(conn, document).await,
        Write::SetSharing {
            document,
            sharing,
            at,
        } => documents::set_sharing(conn, *document, sharing, *at).await,
        Write::InsertLocalMilestone(milestone) => {
            timeline::insert_local_milestone(conn, milestone).await
        }
        Write::DeleteLocalMilestone { code } => timeline::delete_local_milestone(conn, code).await,
        Write::InsertExtraHoliday(holiday) => timeline::insert_extra_holiday(conn, holiday).await,
        Write::DeleteExtraHoliday { date } => timeline::delete_extra_holiday(conn, *date).await,
        Write::InsertStaffSetupLink(link) => staff_setup::insert_staff_setup_link(conn, link).await,
        Write::WithdrawStaffSetupLink { id, at } => {
            staff_setup::withdraw_staff_setup_link(conn, *id, *at).await
        }
        Write::SetAccountStatus {
            account,
            status,
            reason,
            at,
        } => people::set_account_status(conn, *account, *status, reason.as_deref(), *at).await,
        Write::EndSessions { account } => people::end_sessions(conn, *account).await,
        Write::EndSessionsOfAccount { account, which } => {
            people::end_sessions_of_account(conn, *account, which).await
        }
        Write::InsertForm(form) => forms::insert_form(conn, form).await,
        Write::UpdateForm {
            form,
            expected_version,
        } => forms::update_form(conn, form, *expected_version).await,
        Write::InsertFormVersion(version) => forms::insert_form_version(conn, version).await,
        Write::InsertFormAssignment(assignment) => {
            forms::insert_form_assignment(conn, assignment).await
        }
        Write::WithdrawFormAssignment { id, at } => {
            forms::withdraw_form_assignment(conn, *id, *at).await
        }
        Write::CompleteFormAssignment { id, submission } => {
            forms::complete_form_assignment(conn, *id, *submission).await
        }
        Write::SaveFormDraft(draft) => forms::save_form_draft(conn, draft).await,
        Write::DeleteFormDraft {
            form,
            child,
            author,
        } => forms::delete_form_draft(conn, *form, *child, *author).await,
        Write::InsertSubmission(submission) => forms::insert_submission(conn, submission).await,
        Write::UpdateProcessing {
            id,
            child_id,
            processing,
            expected_version,
        } => forms::update_processing(conn, *id, *child_id, processing, *expected_version).await,
        Write::IndexChildName { id, surname } => cases::index_child_name(conn, *id, surname).await,
        Write::InsertJob(job) => jobs::insert_job(conn, job).await,
        Write::CancelJobs { subject, at } => jobs::cancel_jobs(conn, subject, *at).await,
        Write::FinishJob { id, claim, at } => jobs::finish_job(conn, *id, *claim, *at).await,
        Write::RetryJob { id, at } => jobs::retry_job(conn, *id, *at).await,
        Write::InsertAdviceRequest(request) => advice::insert_advice_request(conn, request).await,
        Write::UpdateAdviceRequest {
            request,
            expected_version,
        } => advice::update_advice_request(conn, request, *expected_version).await,
        Write::RenewAdviceLink { id, link } => advice::renew_advice_link(conn, *id, link).await,
        Write::SaveReminderSchedule { kind, schedule, at } => {
            advice::save_reminder_schedule(conn, *kind, schedule, *at).await
        }
    }
}

/// A write's driver error as a store error: a unique violation is reported by
/// the constraint's name, which the migrations give as the store promises
/// (`teams_name`, `portal_links_child_account`, …).
pub(crate) fn write_error(err: sqlx::Error) -> StoreError {
    from_sqlx(err)
}

pub(crate) fn conflict(constraint: &str) -> StoreError {
    StoreError::Conflict {
        constraint: constraint.to_owned(),
    }
}

/// After a guarded update changed nothing: `NotFound` if `exists` (a query for
/// the row by its id, `$1`) finds nothing, else a conflict on `constraint`
/// (someone else changed it first).
async fn refused(
    conn: &mut PgConnection,
    exists: &'static str,
    id: Uuid,
    constraint: &str,
) -> StoreError {
    match sqlx::query(exists).bind(id).fetch_optional(conn).await {
        Ok(Some(_)) => conflict(constraint),
        Ok(None) => StoreError::NotFound,
        Err(err) => from_sqlx(err),
    }
}

/// `NotFound` unless a statement touched a row; else how many it touched.
fn found(rows: u64) -> StoreResult<u64> {
    if rows == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(rows)
    }
}
