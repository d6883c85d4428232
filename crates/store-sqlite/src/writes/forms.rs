//! Writes of forms: forms and their published versions, forms given to a
//! child's portal users, saved answers and submissions.

use send_domain::forms::{AssignedTo, Form, FormAssignment, FormDraft, FormVersion, Submission};
use send_domain::incoming_forms::Processing;
use send_domain::{ChildId, FormAssignmentId, FormId, SubmissionId, UserId};
use send_store::{FORM_CHANGED, SUBMISSION_CHANGED, StoreError, StoreResult};
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use super::{found, refused, write_error};
use crate::convert::{answers_to_db, date_to_text, definition_to_db, number_to_db, time_to_text};

pub(super) async fn insert_form(conn: &mut SqliteConnection, form: &Form) -> StoreResult<u64> {
    let (requested_by, requested_at) = form.approval_requested.unzip();
    let done = sqlx::query(
        "INSERT INTO forms \
         (id, title, draft, version, live_version, approval_requested_by, \
          approval_requested_at, retired_at, builtin, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(form.id.to_string())
    .bind(form.draft.title.as_str())
    .bind(definition_to_db(&form.draft)?)
    .bind(number_to_db(form.version)?)
    .bind(form.live_version.map(number_to_db).transpose()?)
    .bind(requested_by.map(|id| id.to_string()))
    .bind(requested_at.map(time_to_text))
    .bind(form.retired_at.map(time_to_text))
    .bind(form.builtin.as_deref())
    .bind(form.created_by.to_string())
    .bind(time_to_text(form.created_at))
    .bind(time_to_text(form.updated_at))
    .execute(conn)
    .await
    .map_err(write_error)?;
    Ok(done.rows_affected())
}

/// Writes the working copy, live version, approval request, retirement and
/// update time if the stored version is `expected_version`, and moves the
/// version on.
pub(super) async fn update_form(
    conn: &mut SqliteConnection,
    form: &Form,
    expected_version: u32,
) -> StoreResult<u64> {
    let (requested_by, requested_at) = form.approval_requested.unzip();
    let done = sqlx::query(
        "UPDATE forms SET title = $2, draft = $3, live_version = $4, \
         approval_requested_by = $5, approval_requested_at = $6, retired_at = $7, \
         updated_at = $8, version = $9 + 1 \
         WHERE id = $1 AND version = $9",
    )
    .bind(form.id.to_string())
    .bind(form.draft.title.as_str())
    .bind(definition_to_db(&form.draft)?)
    .bind(form.live_version.map(number_to_db).transpose()?)
    .bind(requested_by.map(|id| id.to_string()))
    .bind(requested_at.map(time_to_text))
    .bind(form.retired_at.map(time_to_text))
    .bind(time_to_text(form.updated_at))
    .bind(number_to_db(expected_version)?)
    .execute(&mut *conn)
    .await
    .map_err(write_error)?;
    if done.rows_affected() == 0 {
        return Err(refused(
            conn,
            "SELECT 1 FROM forms WHERE id = $1",
            form.id.to_string(),
            FORM_CHANGED,
        )
        .await);
    }
    Ok(done.rows_affected())
}

pub(super) async fn insert_form_version(
    conn: &mut SqliteConnection,
    version: &FormVersion,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "INSERT INTO form_versions (form_id, number, definition, published_by, published_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(version.form_id.to_string())
    .bind(number_to_db(version.number)?)
    .bind(definition_to_db(&version.definition)?)
    .bind(version.published_by.to_string())
    .bind(time_to_text(version.published_at))
    .execute(conn)
    .await
    .map_err(write_error)?;
    Ok(done.rows_affected())
}

/// Whom an assignment is to, as its columns: the kind (`AssignedTo`'s serde
/// tag), the role and the person.
fn to_columns(to: &AssignedTo) -> (&'static str, Option<&'static str>, Option<UserId>) {
    match to {
        AssignedTo::EveryoneLinked => ("everyone_linked", None, None),
        AssignedTo::Role(role) => ("role", Some(role.code()), None),
        AssignedTo::Person(person) => ("person", None, Some(*person)),
    }
}

pub(super) async fn insert_form_assignment(
    conn: &mut SqliteConnection,
    assignment: &FormAssignment,
) -> StoreResult<u64> {
    let (kind, role, person) = to_columns(&assignment.to);
    let done = sqlx::query(
        "INSERT INTO form_assignments \
         (id, form_id, child_id, to_kind, to_role, to_user, due, assigned_by, assigned_at, \
          completed_by, withdrawn_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(assignment.id.to_string())
    .bind(assignment.form_id.to_string())
    .bind(assignment.child_id.to_string())
    .bind(kind)
    .bind(role)
    .bind(person.map(|id| id.to_string()))
    .bind(assignment.due.map(date_to_text))
    .bind(assignment.assigned_by.to_string())
    .bind(time_to_text(assignment.assigned_at))
    .bind(assignment.completed_by.map(|id| id.to_string()))
    .bind(assignment.withdrawn_at.map(time_to_text))
    .execute(conn)
    .await
    .map_err(write_error)?;
    Ok(done.rows_affected())
}

/// Withdraws an assignment at `at`; one withdrawn already keeps its first time.
pub(super) async fn withdraw_form_assignment(
    conn: &mut SqliteConnection,
    id: FormAssignmentId,
    at: OffsetDateTime,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "UPDATE form_assignments SET withdrawn_at = COALESCE(withdrawn_at, $2) WHERE id = $1",
    )
    .bind(id.to_string())
    .bind(time_to_text(at))
    .execute(conn)
    .await
    .map_err(write_error)?;
    found(done.rows_affected())
}

/// Records the submission that completed an assignment, unless one did
/// already: then it touches nothing (0 rows).
pub(super) async fn complete_form_assignment(
    conn: &mut SqliteConnection,
    id: FormAssignmentId,
    submission: SubmissionId,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "UPDATE form_assignments SET completed_by = $2 WHERE id = $1 AND completed_by IS NULL",
    )
    .bind(id.to_string())
    .bind(submission.to_string())
    .execute(&mut *conn)
    .await
    .map_err(write_error)?;
    if done.rows_affected() == 0 {
        let exists = sqlx::query("SELECT 1 FROM form_assignments WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(conn)
            .await
            .map_err(write_error)?;
        if exists.is_none() {
            return Err(StoreError::NotFound);
        }
    }
    Ok(done.rows_affected())
}

/// Adds a person's saved answers, or replaces the ones they saved for the same
/// form and child (or none).
pub(super) async fn save_form_draft(
    conn: &mut SqliteConnection,
    draft: &FormDraft,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "INSERT INTO form_drafts \
         (form_id, child_id, author, version_number, answers, assignment_id, started_at, \
          saved_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (form_id, COALESCE(child_id, ''), author) DO UPDATE SET \
         version_number = excluded.version_number, answers = excluded.answers, \
         assignment_id = excluded.assignment_id, started_at = excluded.started_at, \
         saved_at = excluded.saved_at",
    )
    .bind(draft.form_id.to_string())
    .bind(draft.child_id.map(|id| id.to_string()))
    .bind(draft.author.to_string())
    .bind(number_to_db(draft.version_number)?)
    .bind(answers_to_db(&draft.answers)?)
    .bind(draft.assignment_id.map(|id| id.to_string()))
    .bind(time_to_text(draft.started_at))
    .bind(time_to_text(draft.saved_at))
    .execute(conn)
    .await
    .map_err(write_error)?;
    Ok(done.rows_affected())
}

pub(super) async fn delete_form_draft(
    conn: &mut SqliteConnection,
    form: FormId,
    child: Option<ChildId>,
    author: UserId,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "DELETE FROM form_drafts WHERE form_id = $1 AND child_id IS $2 AND author = $3",
    )
    .bind(form.to_string())
    .bind(child.map(|id| id.to_string()))
    .bind(author.to_string())
    .execute(conn)
    .await
    .map_err(write_error)?;
    found(done.rows_affected())
}

pub(super) async fn insert_submission(
    conn: &mut SqliteConnection,
    submission: &Submission,
) -> StoreResult<u64> {
    let p = &submission.processing;
    let done = sqlx::query(
        "INSERT INTO submissions \
         (id, reference, form_id, version_number, title, child_id, assignment_id, \
          submitted_by, answers, submitted_at, processing_status, processing_child_id, \
          match_result, processing_confirmed, processing_decided_by, processing_decided_at, \
          rejection_message, involvement_id, processing_version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
          $18, $19)",
    )
    .bind(submission.id.to_string())
    .bind(submission.reference.as_str())
    .bind(submission.form_id.to_string())
    .bind(number_to_db(submission.version_number)?)
    .bind(submission.title.as_str())
    .bind(submission.child_id.map(|id| id.to_string()))
    .bind(submission.assignment_id.map(|id| id.to_string()))
    .bind(submission.submitted_by.to_string())
    .bind(answers_to_db(&submission.answers)?)
    .bind(time_to_text(submission.submitted_at))
    .bind(p.status.code())
    .bind(p.child_id.map(|id| id.to_string()))
    .bind(match_result_to_db(p)?)
    .bind(i64::from(p.confirmed))
    .bind(p.decided_by.map(|id| id.to_string()))
    .bind(p.decided_at.map(time_to_text))
    .bind(p.message.as_deref())
    .bind(p.involvement_id.map(|id| id.to_string()))
    .bind(number_to_db(p.version)?)
    .execute(conn)
    .await
    .map_err(write_error)?;
    Ok(done.rows_affected())
}

fn match_result_to_db(p: &Processing) -> StoreResult<Option<String>> {
    p.result
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(crate::convert::other)
}

/// Writes the submission's processing and child if the stored processing
/// version is `expected_version`, and moves it on.
pub(super) async fn update_processing(
    conn: &mut SqliteConnection,
    id: SubmissionId,
    child_id: Option<ChildId>,
    p: &Processing,
    expected_version: u32,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "UPDATE submissions SET child_id = $2, processing_status = $3, \
         processing_child_id = $4, match_result = $5, processing_confirmed = $6, \
         processing_decided_by = $7, processing_decided_at = $8, rejection_message = $9, \
         involvement_id = $10, processing_version = $11 + 1 \
         WHERE id = $1 AND processing_version = $11",
    )
    .bind(id.to_string())
    .bind(child_id.map(|id| id.to_string()))
    .bind(p.status.code())
    .bind(p.child_id.map(|id| id.to_string()))
    .bind(match_result_to_db(p)?)
    .bind(i64::from(p.confirmed))
    .bind(p.decided_by.map(|id| id.to_string()))
    .bind(p.decided_at.map(time_to_text))
    .bind(p.message.as_deref())
    .bind(p.involvement_id.map(|id| id.to_string()))
    .bind(number_to_db(expected_version)?)
    .execute(&mut *conn)
    .await
    .map_err(write_error)?;
    if done.rows_affected() == 0 {
        return Err(refused(
            conn,
            "SELECT 1 FROM submissions WHERE id = $1",
            id.to_string(),
            SUBMISSION_CHANGED,
        )
        .await);
    }
    Ok(done.rows_affected())
}
