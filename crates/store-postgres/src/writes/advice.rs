//! Advice writes: record a request, change it (guarded by its version), and the
//! council's reminder schedules.

use send_domain::AdviceRequestId;
use send_domain::advice::{AdviceKind, AdviceLink, AdviceRequest, AdviceStatus, ReminderSchedule};
use send_store::{ADVICE_REQUEST_CHANGED, StoreResult};
use sqlx::PgConnection;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::{refused, write_error};
use crate::convert::number_to_db;

/// The status columns: `status`, `received_on`, `submission_id`,
/// `document_id`, `withdrawn_on` and `withdrawn_reason`.
type StatusColumns = (
    &'static str,
    Option<Date>,
    Option<Uuid>,
    Option<Uuid>,
    Option<Date>,
    Option<String>,
);

fn status_columns(status: &AdviceStatus) -> StatusColumns {
    match status {
        AdviceStatus::Awaited => ("awaited", None, None, None, None, None),
        AdviceStatus::Received {
            on,
            submission,
            document,
        } => (
            "received",
            Some(*on),
            submission.map(|id| id.as_uuid()),
            document.map(|id| id.as_uuid()),
            None,
            None,
        ),
        AdviceStatus::Withdrawn { on, reason } => (
            "withdrawn",
            None,
            None,
            None,
            Some(*on),
            Some(reason.as_str().to_owned()),
        ),
    }
}

pub(super) async fn insert_advice_request(
    conn: &mut PgConnection,
    r: &AdviceRequest,
) -> StoreResult<u64> {
    let (status, received_on, submission, document, withdrawn_on, reason) =
        status_columns(&r.status);
    let done = sqlx::query(
        "INSERT INTO advice_requests (id, child_id, involvement_id, kind, recipient, email, \
         professional_id, answer_by, form_id, sent_on, due_on, status, received_on, \
         submission_id, document_id, withdrawn_on, withdrawn_reason, link_hash, \
         link_expires_at, link_used_at, requested_by, created_at, updated_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
         $18, $19, $20, $21, $22, $23, $24)",
    )
    .bind(r.id.as_uuid())
    .bind(r.child_id.as_uuid())
    .bind(r.involvement_id.as_uuid())
    .bind(r.kind.code())
    .bind(r.recipient.as_str())
    .bind(r.email.as_ref().map(|email| email.as_str().to_owned()))
    .bind(r.professional.map(|id| id.as_uuid()))
    .bind(r.answer_by.code())
    .bind(r.form.map(|id| id.as_uuid()))
    .bind(r.sent_on)
    .bind(r.due_on)
    .bind(status)
    .bind(received_on)
    .bind(submission)
    .bind(document)
    .bind(withdrawn_on)
    .bind(reason)
    .bind(r.link.as_ref().map(|link| link.hash.as_hex().to_owned()))
    .bind(r.link.as_ref().map(|link| link.expires_at))
    .bind(r.link.as_ref().and_then(|link| link.used_at))
    .bind(r.requested_by.as_uuid())
    .bind(r.created_at)
    .bind(r.updated_at)
    .bind(number_to_db(r.version)?)
    .execute(conn)
    .await
    .map_err(write_error)?;
    Ok(done.rows_affected())
}

pub(super) async fn update_advice_request(
    conn: &mut PgConnection,
    r: &AdviceRequest,
    expected_version: u32,
) -> StoreResult<u64> {
    let (status, received_on, submission, document, withdrawn_on, reason) =
        status_columns(&r.status);
    let done = sqlx::query(
        "UPDATE advice_requests SET recipient = $2, email = $3, professional_id = $4, \
         status = $5, received_on = $6, submission_id = $7, document_id = $8, \
         withdrawn_on = $9, withdrawn_reason = $10, link_hash = $11, link_expires_at = $12, \
         link_used_at = $13, updated_at = $14, version = $15 + 1 \
         WHERE id = $1 AND version = $15",
    )
    .bind(r.id.as_uuid())
    .bind(r.recipient.as_str())
    .bind(r.email.as_ref().map(|email| email.as_str().to_owned()))
    .bind(r.professional.map(|id| id.as_uuid()))
    .bind(status)
    .bind(received_on)
    .bind(submission)
    .bind(document)
    .bind(withdrawn_on)
    .bind(reason)
    .bind(r.link.as_ref().map(|link| link.hash.as_hex().to_owned()))
    .bind(r.link.as_ref().map(|link| link.expires_at))
    .bind(r.link.as_ref().and_then(|link| link.used_at))
    .bind(r.updated_at)
    .bind(number_to_db(expected_version)?)
    .execute(&mut *conn)
    .await
    .map_err(write_error)?;
    if done.rows_affected() == 0 {
        return Err(refused(
            conn,
            "SELECT 1 FROM advice_requests WHERE id = $1",
            r.id.as_uuid(),
            ADVICE_REQUEST_CHANGED,
        )
        .await);
    }
    Ok(done.rows_affected())
}

pub(super) async fn save_reminder_schedule(
    conn: &mut PgConnection,
    kind: AdviceKind,
    schedule: &ReminderSchedule,
    at: OffsetDateTime,
) -> StoreResult<u64> {
    let days = |days: &[u8]| days.iter().map(u8::to_string).collect::<Vec<_>>().join(",");
    let done = sqlx::query(
        "INSERT INTO advice_reminder_schedules (kind, before_days, on_the_day, after_days, \
         updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (kind) DO UPDATE SET before_days = excluded.before_days, \
         on_the_day = excluded.on_the_day, after_days = excluded.after_days, \
         updated_at = excluded.updated_at",
    )
    .bind(kind.code())
    .bind(days(&schedule.before))
    .bind(schedule.on_the_day)
    .bind(days(&schedule.after))
    .bind(at)
    .execute(conn)
    .await
    .map_err(write_error)?;
    Ok(done.rows_affected())
}

pub(super) async fn renew_advice_link(
    conn: &mut PgConnection,
    id: AdviceRequestId,
    link: &AdviceLink,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "UPDATE advice_requests SET link_hash = $2, link_expires_at = $3 \
         WHERE id = $1 AND status = 'awaited' AND link_hash IS NOT NULL \
         AND link_used_at IS NULL",
    )
    .bind(id.as_uuid())
    .bind(link.hash.as_hex())
    .bind(link.expires_at)
    .execute(conn)
    .await
    .map_err(write_error)?;
    Ok(done.rows_affected())
}
