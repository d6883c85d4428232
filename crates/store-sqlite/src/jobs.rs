//! Jobs on SQLite: a claim is one `UPDATE … RETURNING` on the single writer, so two
//! workers (even in two processes on one file) never claim the same job.

use async_trait::async_trait;
use send_domain::JobId;
use send_domain::jobs::{AfterFailure, ClaimedJob, JobClaim, JobEntry, JobStatus};
use send_store::{JOB_CLAIM_LOST, JobCounts, JobStore, StoreError, StoreResult};
use sqlx::{QueryBuilder, Row, Sqlite};
use time::{Duration, OffsetDateTime};

use crate::SqliteStore;
use crate::convert::{from_sqlx, time_to_text};
use crate::rows::{job_entry_from_row, text, time};

#[async_trait]
impl JobStore for SqliteStore {
    #[tracing::instrument(level = "debug", name = "store.claim_due_jobs", skip_all)]
    async fn claim_due_jobs(
        &self,
        now: OffsetDateTime,
        limit: u32,
        lease: Duration,
        claim: JobClaim,
    ) -> StoreResult<Vec<ClaimedJob>> {
        let rows = sqlx::query(
            "UPDATE jobs SET status = 'running', claim = $1, lease_until = $2, \
             attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM jobs \
                          WHERE (status = 'queued' AND run_at <= $3) \
                             OR (status = 'running' AND lease_until <= $3) \
                          ORDER BY run_at, id LIMIT $4) \
             RETURNING *",
        )
        .bind(claim.as_uuid().to_string())
        .bind(time_to_text(now + lease))
        .bind(time_to_text(now))
        .bind(i64::from(limit))
        .fetch_all(&self.writer)
        .await
        .map_err(from_sqlx)?;
        let mut claimed = rows
            .iter()
            .map(|row| {
                let entry = job_entry_from_row(row)?;
                Ok(ClaimedJob {
                    job: entry.job,
                    claim,
                    attempts: entry.attempts,
                    lease_until: time(row, "lease_until")?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        // RETURNING gives no order; hand the earliest due out first.
        claimed.sort_by_key(|c| (c.job.run_at, c.job.id));
        Ok(claimed)
    }

    #[tracing::instrument(level = "debug", name = "store.record_job_failure", skip_all)]
    async fn record_job_failure(
        &self,
        id: JobId,
        claim: JobClaim,
        after: AfterFailure,
        error_summary: &str,
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        let (status, run_at, finished_at) = match after {
            AfterFailure::RetryAt(at) => ("queued", Some(at), None),
            AfterFailure::Dead => ("dead", None, Some(now)),
        };
        let done = sqlx::query(
            "UPDATE jobs SET status = $3, run_at = coalesce($4, run_at), claim = NULL, \
             lease_until = NULL, last_error = $5, finished_at = $6 \
             WHERE id = $1 AND claim = $2 AND status = 'running'",
        )
        .bind(id.to_string())
        .bind(claim.as_uuid().to_string())
        .bind(status)
        .bind(run_at.map(time_to_text))
        .bind(error_summary)
        .bind(finished_at.map(time_to_text))
        .execute(&self.writer)
        .await
        .map_err(from_sqlx)?;
        if done.rows_affected() == 0 {
            let exists = sqlx::query("SELECT 1 FROM jobs WHERE id = $1")
                .bind(id.to_string())
                .fetch_optional(&self.writer)
                .await
                .map_err(from_sqlx)?;
            return Err(if exists.is_some() {
                StoreError::Conflict {
                    constraint: JOB_CLAIM_LOST.to_owned(),
                }
            } else {
                StoreError::NotFound
            });
        }
        Ok(())
    }

    #[tracing::instrument(level = "debug", name = "store.job_counts", skip_all)]
    async fn job_counts(&self) -> StoreResult<JobCounts> {
        let rows = sqlx::query(
            "SELECT status, last_error IS NOT NULL AS failing, count(*) AS n FROM jobs \
             GROUP BY status, last_error IS NOT NULL",
        )
        .fetch_all(&self.reader)
        .await
        .map_err(from_sqlx)?;
        let mut counts = JobCounts::default();
        for row in rows {
            let n: i64 = row.try_get("n").map_err(from_sqlx)?;
            let n = u64::try_from(n).unwrap_or_default();
            let failing: bool = row.try_get("failing").map_err(from_sqlx)?;
            let slot = match text(&row, "status")?.as_str() {
                "queued" if failing => &mut counts.failing,
                "queued" => &mut counts.queued,
                "running" => &mut counts.running,
                "done" => &mut counts.done,
                "dead" => &mut counts.dead,
                _ => &mut counts.cancelled,
            };
            *slot += n;
        }
        Ok(counts)
    }

    #[tracing::instrument(level = "debug", name = "store.jobs", skip_all)]
    async fn jobs(&self, statuses: &[JobStatus], limit: u32) -> StoreResult<Vec<JobEntry>> {
        let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new("SELECT * FROM jobs");
        if !statuses.is_empty() {
            sql.push(" WHERE status IN (");
            let mut list = sql.separated(", ");
            for status in statuses {
                list.push_bind(status.code());
            }
            sql.push(")");
        }
        sql.push(" ORDER BY run_at DESC, id LIMIT ")
            .push_bind(i64::from(limit));
        let rows = sql
            .build()
            .fetch_all(&self.reader)
            .await
            .map_err(from_sqlx)?;
        rows.iter().map(job_entry_from_row).collect()
    }

    #[tracing::instrument(level = "debug", name = "store.job", skip_all)]
    async fn job(&self, id: JobId) -> StoreResult<JobEntry> {
        let row = sqlx::query("SELECT * FROM jobs WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.reader)
            .await
            .map_err(from_sqlx)?
            .ok_or(StoreError::NotFound)?;
        job_entry_from_row(&row)
    }

    #[tracing::instrument(level = "debug", name = "store.jobs_of_subject", skip_all)]
    async fn jobs_of_subject(&self, subject: &str) -> StoreResult<Vec<JobEntry>> {
        let rows = sqlx::query("SELECT * FROM jobs WHERE subject = $1 ORDER BY run_at, id")
            .bind(subject)
            .fetch_all(&self.reader)
            .await
            .map_err(from_sqlx)?;
        rows.iter().map(job_entry_from_row).collect()
    }
}
