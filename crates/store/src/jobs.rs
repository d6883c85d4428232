//! Jobs (DESIGN NTF-4): work done later, written with the change that causes it.
//!
//! A job is scheduled with [`crate::Write::InsertJob`] in the unit of work of its
//! cause. Workers claim due jobs with [`JobStore::claim_due_jobs`] (PostgreSQL:
//! `FOR UPDATE SKIP LOCKED`; SQLite: one `UPDATE … RETURNING` on the single
//! writer), do the work, and commit it with [`crate::Write::FinishJob`], which is
//! refused with `Conflict { JOB_CLAIM_LOST }` unless the job is still running
//! under that claim: so a job's work is written once, however many workers woke.

use async_trait::async_trait;
use send_domain::JobId;
use send_domain::jobs::{AfterFailure, ClaimedJob, JobClaim, JobEntry, JobStatus};
use time::{Duration, OffsetDateTime};

use crate::StoreResult;

/// The guard of [`crate::Write::FinishJob`] and [`JobStore::record_job_failure`]:
/// the job is no longer running under this claim (its lease ended and another
/// worker claimed it, or it was cancelled).
pub const JOB_CLAIM_LOST: &str = "job_claim";

/// How many jobs are in each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JobCounts {
    pub queued: u64,
    /// Queued again after a failure.
    pub failing: u64,
    pub running: u64,
    pub done: u64,
    pub dead: u64,
    pub cancelled: u64,
}

#[async_trait]
pub trait JobStore: Send + Sync {
    /// Claims up to `limit` jobs due at `now` (queued with `run_at <= now`, or
    /// running with an ended lease), earliest first, under `claim` (new for each
    /// call) until `now + lease`, counting the attempt. A job claimed by one
    /// worker is given to no other until its lease ends.
    async fn claim_due_jobs(
        &self,
        now: OffsetDateTime,
        limit: u32,
        lease: Duration,
        claim: JobClaim,
    ) -> StoreResult<Vec<ClaimedJob>>;

    /// Records that the claimed job's work failed: queued again at the time
    /// given, or dead. `Conflict { JOB_CLAIM_LOST }` if the claim no longer holds
    /// it; `NotFound` if there is no such job.
    async fn record_job_failure(
        &self,
        id: JobId,
        claim: JobClaim,
        after: AfterFailure,
        error_summary: &str,
        now: OffsetDateTime,
    ) -> StoreResult<()>;

    /// How many jobs are in each status.
    async fn job_counts(&self) -> StoreResult<JobCounts>;

    /// Jobs in any of `statuses` (all if empty), most recently due first.
    async fn jobs(&self, statuses: &[JobStatus], limit: u32) -> StoreResult<Vec<JobEntry>>;

    /// One job. `NotFound` if there is none.
    async fn job(&self, id: JobId) -> StoreResult<JobEntry>;

    /// Every job about `subject`, earliest due first.
    async fn jobs_of_subject(&self, subject: &str) -> StoreResult<Vec<JobEntry>>;
}
