//! Jobs (DESIGN NTF-4): work the portal does later, such as a reminder that advice
//! is due.
//!
//! A job is written in the same transaction as the change that causes it, so it
//! exists exactly when its cause does. A worker claims due jobs with a lease and a
//! fresh [`JobClaim`]; it then does the job's work and marks it done in one
//! transaction, which is refused if the claim was lost meanwhile (the lease ended
//! and another worker claimed it, or the job was cancelled). So a job's work is
//! written once even if two servers wake at once or a server dies between claiming
//! and finishing: the job is then claimed again when its lease ends.
//!
//! Each job has a `key`, unique among all jobs, so scheduling the same thing twice is
//! refused, and a `subject` (what it is about), so a change can cancel every job of
//! its subject at once (receiving advice stops its reminders).

use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::audit::code_enum;
use crate::ids::{AdviceRequestId, InvolvementId, JobId};
use crate::outbox::retry_delay;

/// After this many claims without finishing (failures or lost leases) a job is dead:
/// it waits for an operator to retry it.
pub const MAX_ATTEMPTS: u32 = 8;

code_enum!(
    /// What kind of work a job does.
    JobKind {
        /// Reminds whoever was asked for advice that it is due.
        AdviceReminder => "advice_reminder",
        /// Tells the caseworker that advice is overdue.
        AdviceOverdue => "advice_overdue",
        /// Tells the people linked to a child that the plan's annual review is coming up.
        ReviewDue => "review_due",
        /// Removes an uploaded file kept while someone decides (a configuration
        /// file between its check and its confirmation) once it is no longer wanted.
        DiscardUpload => "discard_upload",
    }
);

impl JobKind {
    /// What the job does, for operators.
    pub fn label(self) -> &'static str {
        match self {
            Self::AdviceReminder => "Advice reminder",
            Self::AdviceOverdue => "Overdue advice alert",
            Self::ReviewDue => "Annual review coming up",
            Self::DiscardUpload => "Remove an unconfirmed upload",
        }
    }
}

/// The work itself, with what it needs to find its records. Stored as JSON beside
/// its [`JobKind`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JobPayload {
    /// A reminder of a request for advice, `days_from_due` days from its due date
    /// (negative before it).
    AdviceReminder {
        request: AdviceRequestId,
        days_from_due: i32,
    },
    /// The request is overdue: its caseworker is told.
    AdviceOverdue { request: AdviceRequestId },
    /// The plan's annual review is due by `review_by`: the people linked to the
    /// child are told (if it is still the next review when the job runs).
    ReviewDue {
        involvement: InvolvementId,
        review_by: Date,
    },
    /// The uploaded file kept under `key` (in the portal's file storage) was
    /// never confirmed: it is removed (removing one already gone is fine).
    DiscardUpload { key: String },
}

impl JobPayload {
    pub fn kind(&self) -> JobKind {
        match self {
            Self::AdviceReminder { .. } => JobKind::AdviceReminder,
            Self::AdviceOverdue { .. } => JobKind::AdviceOverdue,
            Self::ReviewDue { .. } => JobKind::ReviewDue,
            Self::DiscardUpload { .. } => JobKind::DiscardUpload,
        }
    }

    /// The key that makes the job unique: the same reminder is scheduled once.
    pub fn key(&self) -> String {
        match self {
            Self::AdviceReminder {
                request,
                days_from_due,
            } => format!("advice_reminder:{request}:{days_from_due}"),
            Self::AdviceOverdue { request } => format!("advice_overdue:{request}"),
            Self::ReviewDue {
                involvement,
                review_by,
            } => format!("review_due:{involvement}:{review_by}"),
            Self::DiscardUpload { key } => format!("discard_upload:{key}"),
        }
    }

    /// What the job is about, so a change can cancel all its jobs.
    pub fn subject(&self) -> String {
        match self {
            Self::AdviceReminder { request, .. } | Self::AdviceOverdue { request } => {
                advice_subject(*request)
            }
            Self::ReviewDue { involvement, .. } => format!("involvement:{involvement}"),
            Self::DiscardUpload { key } => format!("upload:{key}"),
        }
    }
}

/// The subject of every job about one request for advice.
pub fn advice_subject(request: AdviceRequestId) -> String {
    format!("advice_request:{request}")
}

/// A job as scheduled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: JobId,
    pub payload: JobPayload,
    /// When it is due.
    pub run_at: OffsetDateTime,
    pub created_at: OffsetDateTime,
}

impl Job {
    pub fn new(
        id: JobId,
        payload: JobPayload,
        run_at: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Self {
        Self {
            id,
            payload,
            run_at,
            created_at: now,
        }
    }
}

code_enum!(
    /// Where a job is.
    JobStatus {
        /// Waiting for its time (or for its next attempt after a failure).
        Queued => "queued",
        /// Claimed by a worker until its lease ends.
        Running => "running",
        /// Finished: its work is written.
        Done => "done",
        /// Failed too often; waits for an operator.
        Dead => "dead",
        /// No longer needed (the advice arrived); never runs.
        Cancelled => "cancelled",
    }
);

/// Proof of one claim: finishing or failing a job needs the claim that holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct JobClaim(Uuid);

impl JobClaim {
    pub const fn from_uuid(id: Uuid) -> Self {
        Self(id)
    }

    pub const fn as_uuid(&self) -> Uuid {
        self.0
    }
}

/// A job a worker claimed: its lease ends at `lease_until`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedJob {
    pub job: Job,
    pub claim: JobClaim,
    /// Claims so far, this one included.
    pub attempts: u32,
    pub lease_until: OffsetDateTime,
}

/// What happens to a job whose work failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Try again at this time.
    RetryAt(OffsetDateTime),
    /// Give up until an operator retries it.
    Dead,
}

/// What to do after the `attempts`-th claim failed at `now`: back off as emails
/// do, until [`MAX_ATTEMPTS`].
pub fn after_failure(attempts: u32, now: OffsetDateTime) -> AfterFailure {
    if attempts >= MAX_ATTEMPTS {
        AfterFailure::Dead
    } else {
        AfterFailure::RetryAt(now + retry_delay(attempts))
    }
}

/// A job with where it is, for operators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobEntry {
    pub job: Job,
    pub status: JobStatus,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub lease_until: Option<OffsetDateTime>,
    pub finished_at: Option<OffsetDateTime>,
}

impl JobEntry {
    /// Queued again after a failure.
    pub fn is_failing(&self) -> bool {
        self.status == JobStatus::Queued && self.last_error.is_some()
    }
}

/// How long before a plan's annual review is due the family is told it is
/// coming up.
pub const REVIEW_NOTICE: Duration = Duration::weeks(6);

/// How long a lease lasts by default: far longer than any job takes.
pub const DEFAULT_LEASE: Duration = Duration::minutes(5);

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn request() -> AdviceRequestId {
        AdviceRequestId::from_uuid(Uuid::from_u128(7))
    }

    #[test]
    fn each_reminder_has_its_own_key_and_shares_its_request_subject() {
        let before = JobPayload::AdviceReminder {
            request: request(),
            days_from_due: -14,
        };
        let on = JobPayload::AdviceReminder {
            request: request(),
            days_from_due: 0,
        };
        let overdue = JobPayload::AdviceOverdue { request: request() };
        assert_ne!(before.key(), on.key());
        assert_ne!(on.key(), overdue.key());
        assert_eq!(before.subject(), overdue.subject());
        assert_eq!(before.subject(), advice_subject(request()));
    }

    #[test]
    fn payloads_round_trip_through_json() {
        let payload = JobPayload::AdviceReminder {
            request: request(),
            days_from_due: 7,
        };
        let json = serde_json::to_string(&payload).unwrap();
        assert!(json.contains("\"kind\":\"advice_reminder\""), "{json}");
        assert_eq!(serde_json::from_str::<JobPayload>(&json).unwrap(), payload);
        assert_eq!(payload.kind().code(), "advice_reminder");
        let discard = JobPayload::DiscardUpload {
            key: "2026/12/0123456789abcdef0123456789abcdef".to_owned(),
        };
        let json = serde_json::to_string(&discard).unwrap();
        assert!(json.contains("\"kind\":\"discard_upload\""), "{json}");
        assert_eq!(serde_json::from_str::<JobPayload>(&json).unwrap(), discard);
        assert_eq!(
            discard.key(),
            "discard_upload:2026/12/0123456789abcdef0123456789abcdef"
        );
    }

    #[test]
    fn failures_back_off_then_the_job_dies() {
        let now = datetime!(2027-01-11 09:00 UTC);
        assert_eq!(
            after_failure(1, now),
            AfterFailure::RetryAt(now + Duration::seconds(30))
        );
        assert!(matches!(
            after_failure(MAX_ATTEMPTS - 1, now),
            AfterFailure::RetryAt(_)
        ));
        assert_eq!(after_failure(MAX_ATTEMPTS, now), AfterFailure::Dead);
    }
}
