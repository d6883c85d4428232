//! Conformance cases for jobs: a job is claimed only when due and by one worker at
//! a time; its work is written once, with `FinishJob`, only under the claim that
//! holds it; a lease that ends hands it to the next claim; cancelling a subject
//! stops its queued and running jobs; failures back off, then the job dies until
//! an operator queues it again.

use std::collections::BTreeSet;
use std::sync::Arc;

use send_domain::jobs::{AfterFailure, ClaimedJob, Job, JobClaim, JobPayload, JobStatus};
use send_domain::{AdviceRequestId, AuditAction, JobId};
use send_store::{Changes, JOB_CLAIM_LOST, JobCounts, Store, Write};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::documents::effects;
use super::support::{assert_conflict, assert_not_found, commit, ids_of, ok, written};

const DUE: OffsetDateTime = datetime!(2027-02-08 09:00:00.123456 UTC);
const LEASE: Duration = Duration::minutes(5);

fn reminder(request: AdviceRequestId, days_from_due: i32, run_at: OffsetDateTime) -> Job {
    Job::new(
        JobId::from_uuid(Uuid::new_v4()),
        JobPayload::AdviceReminder {
            request,
            days_from_due,
        },
        run_at,
        run_at - Duration::weeks(4),
    )
}

fn request() -> AdviceRequestId {
    AdviceRequestId::from_uuid(Uuid::new_v4())
}

fn claim() -> JobClaim {
    JobClaim::from_uuid(Uuid::new_v4())
}

async fn schedule(store: &Arc<dyn Store>, job: &Job) {
    commit(store, Changes::new().with(Write::InsertJob(job.clone()))).await;
}

async fn claimed(
    store: &Arc<dyn Store>,
    at: OffsetDateTime,
    limit: u32,
    claim: JobClaim,
) -> Vec<ClaimedJob> {
    ok(store.claim_due_jobs(at, limit, LEASE, claim).await)
}

fn finish(job: &ClaimedJob, at: OffsetDateTime) -> Changes {
    Changes::new().with(Write::FinishJob {
        id: job.job.id,
        claim: job.claim,
        at,
    })
}

/// A job is claimed once it is due, by one claim, and finished once with its
/// work; a second finish is refused and writes nothing.
pub async fn a_job_is_claimed_when_due_and_finished_once(store: Arc<dyn Store>) {
    let job = reminder(request(), -14, DUE);
    schedule(&store, &job).await;
    let read = ok(store.job(job.id).await);
    assert_eq!(read.job, job, "every field reads back");
    assert_eq!(read.status, JobStatus::Queued);
    assert!(
        claimed(&store, DUE - Duration::seconds(1), 10, claim())
            .await
            .is_empty(),
        "not due yet"
    );
    let first = claim();
    let got = claimed(&store, DUE, 10, first).await;
    assert_eq!(got.len(), 1);
    assert_eq!(
        (
            got[0].job.clone(),
            got[0].claim,
            got[0].attempts,
            got[0].lease_until
        ),
        (job.clone(), first, 1, DUE + LEASE)
    );
    assert!(
        claimed(&store, DUE + Duration::minutes(1), 10, claim())
            .await
            .is_empty(),
        "a claimed job is nobody else's while its lease lasts"
    );

    let work = effects(DUE, AuditAction::AdviceReminderSent);
    commit(&store, finish(&got[0], DUE).with_effects(work.clone())).await;
    let done = ok(store.job(job.id).await);
    assert_eq!(
        (done.status, done.finished_at, done.lease_until),
        (JobStatus::Done, Some(DUE), None)
    );
    let before = written(&store).await;
    let again = store
        .commit(&finish(&got[0], DUE).with_effects(effects(DUE, AuditAction::AdviceReminderSent)))
        .await;
    assert_conflict(again, JOB_CLAIM_LOST);
    assert_eq!(
        written(&store).await,
        before,
        "the refused finish wrote nothing"
    );
    assert!(
        claimed(&store, DUE + Duration::days(30), 10, claim())
            .await
            .is_empty(),
        "a finished job is never claimed again"
    );
    let (events, emails) = ids_of(&[&work]);
    assert!(before.0.is_superset(&events) && before.1.is_superset(&emails));
}

/// When a lease ends the job is claimed again (the attempt counted); the first
/// claim can no longer finish it, so its work is written once, by the second.
pub async fn when_a_lease_ends_only_the_new_claim_finishes(store: Arc<dyn Store>) {
    let job = reminder(request(), 0, DUE);
    schedule(&store, &job).await;
    let first = claimed(&store, DUE, 10, claim()).await;
    let later = DUE + LEASE + Duration::seconds(1);
    let second = claimed(&store, later, 10, claim()).await;
    assert_eq!(
        second.len(),
        1,
        "the ended lease gives the job to a new claim"
    );
    assert_eq!(second[0].attempts, 2);
    let before = written(&store).await;
    assert_conflict(
        store
            .commit(
                &finish(&first[0], later)
                    .with_effects(effects(later, AuditAction::AdviceReminderSent)),
            )
            .await,
        JOB_CLAIM_LOST,
    );
    assert_eq!(
        written(&store).await,
        before,
        "the lost claim wrote nothing"
    );
    commit(&store, finish(&second[0], later)).await;
    assert_eq!(ok(store.job(job.id).await).status, JobStatus::Done);
    assert_not_found(
        store
            .commit(&Changes::new().with(Write::FinishJob {
                id: JobId::from_uuid(Uuid::new_v4()),
                claim: claim(),
                at: later,
            }))
            .await,
    );
}

/// The same job (by its key) is scheduled once.
pub async fn a_taken_job_key_is_a_conflict_and_writes_nothing(store: Arc<dyn Store>) {
    let asked = request();
    schedule(&store, &reminder(asked, 7, DUE)).await;
    let before = written(&store).await;
    let twin = reminder(asked, 7, DUE + Duration::hours(1));
    assert_conflict(
        store
            .commit(
                &Changes::new()
                    .with(Write::InsertJob(twin.clone()))
                    .with_effects(effects(DUE, AuditAction::AdviceReminderSent)),
            )
            .await,
        "jobs_key",
    );
    assert_eq!(written(&store).await, before);
    assert_not_found(store.job(twin.id).await);
}

/// Cancelling a subject stops its queued jobs and its running ones (whose finish
/// is then refused), and leaves other subjects' jobs alone.
pub async fn cancelling_a_subject_stops_its_queued_and_running_jobs(store: Arc<dyn Store>) {
    let (asked, other) = (request(), request());
    let running = reminder(asked, -14, DUE);
    let queued = reminder(asked, 0, DUE + Duration::weeks(2));
    let elsewhere = reminder(other, 0, DUE + Duration::weeks(2));
    for job in [&running, &queued, &elsewhere] {
        schedule(&store, job).await;
    }
    let holding = claimed(&store, DUE, 10, claim()).await;
    assert_eq!(holding.len(), 1);
    let cancelled = commit(
        &store,
        Changes::new().with(Write::CancelJobs {
            subject: send_domain::jobs::advice_subject(asked),
            at: DUE + Duration::minutes(1),
        }),
    )
    .await;
    assert_eq!(cancelled.rows, vec![2]);
    assert_conflict(
        store.commit(&finish(&holding[0], DUE)).await,
        JOB_CLAIM_LOST,
    );
    let left = claimed(&store, DUE + Duration::weeks(3), 10, claim()).await;
    let ids: Vec<JobId> = left.iter().map(|c| c.job.id).collect();
    assert_eq!(ids, vec![elsewhere.id], "only the other request's job runs");
    let statuses: Vec<JobStatus> = ok(store
        .jobs_of_subject(&send_domain::jobs::advice_subject(asked))
        .await)
    .iter()
    .map(|entry| entry.status)
    .collect();
    assert_eq!(statuses, vec![JobStatus::Cancelled, JobStatus::Cancelled]);
}

/// A failure queues the job again at the time given with its error; a job that
/// dies waits until an operator queues it again; the counts follow.
pub async fn a_failed_job_backs_off_then_dies_until_retried(store: Arc<dyn Store>) {
    let job = reminder(request(), 7, DUE);
    schedule(&store, &job).await;
    let first = claimed(&store, DUE, 10, claim()).await;
    let retry_at = DUE + Duration::seconds(30);
    ok(store
        .record_job_failure(
            job.id,
            first[0].claim,
            AfterFailure::RetryAt(retry_at),
            "the outbox was unavailable",
            DUE,
        )
        .await);
    let failing = ok(store.job(job.id).await);
    assert_eq!(
        (
            failing.status,
            failing.job.run_at,
            failing.last_error.as_deref()
        ),
        (
            JobStatus::Queued,
            retry_at,
            Some("the outbox was unavailable")
        )
    );
    assert!(failing.is_failing());
    assert_eq!(
        ok(store.job_counts().await),
        JobCounts {
            failing: 1,
            ..JobCounts::default()
        }
    );
    assert_conflict(
        store
            .record_job_failure(job.id, first[0].claim, AfterFailure::Dead, "late", DUE)
            .await,
        JOB_CLAIM_LOST,
    );
    assert!(
        claimed(&store, DUE + Duration::seconds(29), 10, claim())
            .await
            .is_empty()
    );
    let second = claimed(&store, retry_at, 10, claim()).await;
    assert_eq!(second[0].attempts, 2);
    ok(store
        .record_job_failure(
            job.id,
            second[0].claim,
            AfterFailure::Dead,
            "again",
            retry_at,
        )
        .await);
    assert_eq!(ok(store.job(job.id).await).status, JobStatus::Dead);
    assert_eq!(ok(store.job_counts().await).dead, 1);
    let dead: Vec<JobId> = ok(store.jobs(&[JobStatus::Dead], 10).await)
        .iter()
        .map(|entry| entry.job.id)
        .collect();
    assert_eq!(dead, vec![job.id]);
    assert!(
        claimed(&store, DUE + Duration::days(9), 10, claim())
            .await
            .is_empty()
    );

    let now = DUE + Duration::days(10);
    commit(
        &store,
        Changes::new().with(Write::RetryJob {
            id: job.id,
            at: now,
        }),
    )
    .await;
    let queued = ok(store.job(job.id).await);
    assert_eq!(
        (
            queued.status,
            queued.attempts,
            queued.last_error,
            queued.job.run_at
        ),
        (JobStatus::Queued, 0, None, now),
        "queued afresh"
    );
    let again = claimed(&store, now, 10, claim()).await;
    assert_eq!((again.len(), again[0].attempts), (1, 1), "counted afresh");
    assert_not_found(
        store
            .commit(&Changes::new().with(Write::RetryJob {
                id: job.id,
                at: now,
            }))
            .await,
    );
}

/// Workers claiming together never share a job, and every due job is claimed.
pub async fn concurrent_job_claimers_never_share_a_job(store: Arc<dyn Store>) {
    let mut scheduled = BTreeSet::new();
    for i in 0..30 {
        let job = reminder(request(), i, DUE + Duration::milliseconds(i64::from(i)));
        schedule(&store, &job).await;
        scheduled.insert(job.id);
    }
    let at = DUE + Duration::seconds(1);
    let mut seen = BTreeSet::new();
    loop {
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move { claimed(&store, at, 3, claim()).await })
            })
            .collect();
        let mut round = 0;
        for worker in workers {
            for job in worker.await.unwrap_or_else(|e| panic!("{e}")) {
                assert!(
                    seen.insert(job.job.id),
                    "job {} was given to two workers",
                    job.job.id
                );
                round += 1;
            }
        }
        if round == 0 {
            break;
        }
    }
    assert_eq!(seen, scheduled, "every job was claimed exactly once");
}
