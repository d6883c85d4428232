//! Job writes: schedule, cancel by subject, finish under a claim, retry a dead one.

use send_domain::JobId;
use send_domain::jobs::{Job, JobClaim};
use send_store::{JOB_CLAIM_LOST, StoreError, StoreResult};
use sqlx::PgConnection;
use time::OffsetDateTime;

use super::{found, refused, write_error};
use crate::convert::other;

pub(super) async fn insert_job(conn: &mut PgConnection, job: &Job) -> StoreResult<u64> {
    let payload = serde_json::to_string(&job.payload).map_err(other)?;
    let done = sqlx::query(
        "INSERT INTO jobs (id, kind, payload, job_key, subject, run_at, status, attempts, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, 'queued', 0, $7)",
    )
    .bind(job.id.as_uuid())
    .bind(job.payload.kind().code())
    .bind(payload)
    .bind(job.payload.key())
    .bind(job.payload.subject())
    .bind(job.run_at)
    .bind(job.created_at)
    .execute(conn)
    .await
    .map_err(write_error)?;
    Ok(done.rows_affected())
}

pub(super) async fn cancel_jobs(
    conn: &mut PgConnection,
    subject: &str,
    at: OffsetDateTime,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "UPDATE jobs SET status = 'cancelled', claim = NULL, lease_until = NULL, \
         finished_at = $2 WHERE subject = $1 AND status IN ('queued', 'running')",
    )
    .bind(subject)
    .bind(at)
    .execute(conn)
    .await
    .map_err(write_error)?;
    Ok(done.rows_affected())
}

pub(super) async fn finish_job(
    conn: &mut PgConnection,
    id: JobId,
    claim: JobClaim,
    at: OffsetDateTime,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "UPDATE jobs SET status = 'done', claim = NULL, lease_until = NULL, \
         last_error = NULL, finished_at = $3 \
         WHERE id = $1 AND claim = $2 AND status = 'running'",
    )
    .bind(id.as_uuid())
    .bind(claim.as_uuid())
    .bind(at)
    .execute(&mut *conn)
    .await
    .map_err(write_error)?;
    if done.rows_affected() == 0 {
        return Err(refused(
            conn,
            "SELECT 1 FROM jobs WHERE id = $1",
            id.as_uuid(),
            JOB_CLAIM_LOST,
        )
        .await);
    }
    Ok(done.rows_affected())
}

pub(super) async fn retry_job(
    conn: &mut PgConnection,
    id: JobId,
    at: OffsetDateTime,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "UPDATE jobs SET status = 'queued', run_at = $2, attempts = 0, finished_at = NULL, \
         last_error = NULL \
         WHERE id = $1 AND status = 'dead'",
    )
    .bind(id.as_uuid())
    .bind(at)
    .execute(conn)
    .await
    .map_err(write_error)?;
    found(done.rows_affected()).map_err(|_| StoreError::NotFound)
}
