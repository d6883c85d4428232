//! The job runner (DESIGN NTF-4): one place for everything the portal does later.
//!
//! [`run_due_jobs`] claims the due jobs under a fresh claim with a lease
//! ([`Settings::job_lease`](crate::Settings)), works out each job's changes (its
//! email, chronology entry, audit event) and commits them together with
//! `Write::FinishJob`, which the store refuses unless the claim still holds the
//! job. So if two servers wake at once, only one claims a job; if a server dies
//! between claiming and finishing, nothing of the job is written and it is claimed
//! again when its lease ends; if a job was cancelled meanwhile (the advice
//! arrived), its finish is refused and nothing is sent. A job whose work fails is
//! tried again later with backoff, and after `MAX_ATTEMPTS` claims it is dead
//! until an operator retries it (`send-portal jobs retry <id>`).

use send_domain::jobs::{
    AfterFailure, ClaimedJob, JobClaim, JobEntry, JobPayload, JobStatus, after_failure,
};
use send_domain::{Actor, AuditAction, AuditOutcome, JobId};
use send_store::{Changes, JOB_CLAIM_LOST, JobCounts, StoreError, Write};

use crate::audit::Source;
use crate::error::ErrorChain;
use crate::ids::new_uuid;
use crate::{App, AppError, AppResult};

/// How many jobs one run claims at most.
pub const BATCH_SIZE: u32 = 20;

/// The most a stored error summary holds.
const ERROR_SUMMARY_CHARS: usize = 500;

/// What operators see: the counts and the jobs that need attention.
#[derive(Debug, Clone)]
pub struct JobsOverview {
    pub counts: JobCounts,
    /// Failing (queued again after an error), running and dead jobs, most
    /// recently due first.
    pub attention: Vec<JobEntry>,
    /// The next queued jobs.
    pub queued: Vec<JobEntry>,
}

/// One run of the job runner: claims the due jobs and does each. Returns how many
/// finished. Only a storage failure while claiming ends the run early.
#[tracing::instrument(skip_all)]
pub async fn run_due_jobs(app: &App) -> AppResult<usize> {
    let claim = JobClaim::from_uuid(new_uuid(app.clock.as_ref()));
    let claimed = app
        .store
        .claim_due_jobs(app.clock.now(), BATCH_SIZE, app.settings.job_lease, claim)
        .await?;
    let mut finished = 0;
    for job in claimed {
        if run_one(app, &job).await {
            finished += 1;
        }
    }
    Ok(finished)
}

/// Does one claimed job; whether it finished.
#[tracing::instrument(skip_all, fields(job_id = %job.job.id, kind = %job.job.payload.kind(), attempts = job.attempts))]
async fn run_one(app: &App, job: &ClaimedJob) -> bool {
    let work = match work_of(app, &job.job.payload).await {
        Ok(changes) => changes.with(Write::FinishJob {
            id: job.job.id,
            claim: job.claim,
            at: app.clock.now(),
        }),
        Err(err) => {
            fail(app, job, &err).await;
            return false;
        }
    };
    match app.store.commit(&work).await {
        Ok(_) => {
            tracing::info!("job done");
            true
        }
        Err(StoreError::Conflict { constraint }) if constraint == JOB_CLAIM_LOST => {
            tracing::info!("job no longer held by this worker (finished elsewhere or cancelled)");
            false
        }
        Err(err) => {
            fail(app, job, &AppError::from(err)).await;
            false
        }
    }
}

/// The changes a job's work writes (without its finish).
async fn work_of(app: &App, payload: &JobPayload) -> AppResult<Changes> {
    match payload {
        JobPayload::AdviceReminder {
            request,
            days_from_due,
        } => app.advice_reminder_changes(*request, *days_from_due).await,
        JobPayload::AdviceOverdue { request } => app.advice_overdue_changes(*request).await,
        JobPayload::ReviewDue {
            involvement,
            review_by,
        } => app.review_due_changes(*involvement, *review_by).await,
        JobPayload::DiscardUpload { key } => {
            app.remove_pending_upload(key).await?;
            Ok(Changes::new())
        }
    }
}

async fn fail(app: &App, job: &ClaimedJob, err: &AppError) {
    let now = app.clock.now();
    let after = after_failure(job.attempts, now);
    let summary: String = ErrorChain(err)
        .to_string()
        .chars()
        .take(ERROR_SUMMARY_CHARS)
        .collect();
    match after {
        AfterFailure::Dead => tracing::warn!(
            error = %ErrorChain(err),
            "a job failed too often and is dead until an operator retries it"
        ),
        AfterFailure::RetryAt(at) => tracing::info!(
            error = %ErrorChain(err),
            next_attempt_at = %at,
            "a job failed; it will be tried again"
        ),
    }
    if let Err(store_err) = app
        .store
        .record_job_failure(job.job.id, job.claim, after, &summary, now)
        .await
    {
        tracing::warn!(
            error = %ErrorChain(&store_err),
            "a job's failure could not be recorded; it runs again when its lease ends"
        );
    }
}

impl App {
    /// The operators' view of the jobs.
    #[tracing::instrument(skip_all)]
    pub async fn jobs_overview(&self, limit: u32) -> AppResult<JobsOverview> {
        let counts = self.store.job_counts().await?;
        let attention = self
            .store
            .jobs(&[JobStatus::Running, JobStatus::Dead], limit)
            .await?
            .into_iter()
            .chain(
                self.store
                    .jobs(&[JobStatus::Queued], limit)
                    .await?
                    .into_iter()
                    .filter(JobEntry::is_failing),
            )
            .collect();
        let mut queued: Vec<JobEntry> = self
            .store
            .jobs(&[JobStatus::Queued], limit)
            .await?
            .into_iter()
            .filter(|entry| !entry.is_failing())
            .collect();
        queued.sort_by_key(|entry| (entry.job.run_at, entry.job.id));
        Ok(JobsOverview {
            counts,
            attention,
            queued,
        })
    }

    /// Queues a dead job again, due now (an operator's command). `NotFound` unless
    /// the job is dead.
    #[tracing::instrument(skip_all, fields(job_id = %id))]
    pub async fn retry_job(&self, id: JobId) -> AppResult<()> {
        let mut event = self.audit_event(
            Actor::System,
            AuditAction::JobRetried,
            AuditOutcome::Succeeded,
            &Source::default(),
        );
        event.subject = Some(format!("job:{id}"));
        self.store
            .commit(
                &Changes::new()
                    .with(Write::RetryJob {
                        id,
                        at: self.clock.now(),
                    })
                    .with_audit(event),
            )
            .await
            .map_err(|err| match err {
                StoreError::NotFound => AppError::NotFound,
                other => other.into(),
            })?;
        Ok(())
    }
}
