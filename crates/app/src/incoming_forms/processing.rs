//! The processing area: what waits, each submission with its candidates and
//! differences, and the steps before import (confirm or choose the child,
//! create one from the submitted details, reject with a message). Only those
//! who may process forms see it; a submission whose (proposed) child is on a
//! caseload they cannot see is left out of their lists and refused to them.

use send_domain::forms::{FormVersion, Submission};
use send_domain::incoming_forms::{
    Difference, Processing, ProcessingError, ProcessingStatus, SubmittedChild, differences,
    submitted_child,
};
use send_domain::{
    Account, AuditAction, AuditOutcome, CaseAction, Child, ChildId, Decision, FamilyContact,
    FormId, Permission, StaffAccess, SubmissionId, TeamId, staff_may,
};
use send_store::{Changes, ProcessingCounts, ProcessingQuery, Team, Write};
use time::Duration;

use super::Candidate;
use crate::audit::Source;
use crate::{App, AppError, AppResult};

/// How many candidates a submission shows at most.
const CANDIDATES: usize = 5;

/// Which submissions to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProcessingFilter {
    /// `None`: every open status (new, matched, in suspense).
    pub status: Option<ProcessingStatus>,
    pub form: Option<FormId>,
    pub team: Option<TeamId>,
    /// Only those waiting longer than this many days.
    pub older_than_days: Option<u32>,
}

/// One submission in the list.
#[derive(Debug, Clone)]
pub struct ProcessingRow {
    pub submission: Submission,
    /// The child proposed, chosen or imported to (when the person may see them).
    pub child: Option<Child>,
    pub submitted_by: String,
    /// The child's name as the form gives it.
    pub submitted_name: Option<String>,
    pub days_waiting: i64,
}

/// The processing area: the list, the counts, and the filters' choices.
#[derive(Debug, Clone)]
pub struct ProcessingArea {
    pub rows: Vec<ProcessingRow>,
    pub counts: ProcessingCounts,
    pub forms: Vec<(FormId, String)>,
    pub teams: Vec<Team>,
}

/// One submission as the processing page shows it.
#[derive(Debug, Clone)]
pub struct ProcessingView {
    pub submission: Submission,
    pub version: FormVersion,
    pub submitted: SubmittedChild,
    /// The child proposed, chosen or imported to.
    pub child: Option<Child>,
    pub candidates: Vec<Candidate>,
    /// Where the submitted details differ from the child's record.
    pub differences: Vec<Difference>,
    pub submitter: Option<Account>,
    /// The built-in form it answered, if any (`request_assessment_family`, …).
    pub builtin: Option<String>,
}

impl ProcessingView {
    /// A request for an assessment from the child's parent or carer, who could
    /// be invited to the portal for the child.
    pub fn from_family_request(&self) -> bool {
        super::import::is_family_request(&self.version, self.builtin.as_deref())
    }
}

impl App {
    /// Refuses (and audits) anyone who may not process forms.
    pub async fn require_processing(
        &self,
        access: &StaffAccess,
        submission: Option<SubmissionId>,
        source: &Source,
    ) -> AppResult<()> {
        if access.has(Permission::ProcessForms) {
            return Ok(());
        }
        let mut event = self.case_event(
            access,
            AuditAction::SubmissionRead,
            AuditOutcome::Refused,
            None,
            source,
        );
        event.subject = submission.map(|id| format!("submission:{id}"));
        event.detail = Some("needs the process forms permission".to_owned());
        self.store.record_audit_event(&event).await?;
        Err(AppError::Forbidden)
    }

    /// How many submissions wait, for the back-office home; `None` for those who
    /// do not process forms.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn processing_counts(
        &self,
        access: &StaffAccess,
    ) -> AppResult<Option<ProcessingCounts>> {
        if !access.has(Permission::ProcessForms) {
            return Ok(None);
        }
        Ok(Some(self.store.processing_counts().await?))
    }

    /// The processing area, oldest first (at most 200 rows).
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn processing_area(
        &self,
        access: &StaffAccess,
        filter: &ProcessingFilter,
        source: &Source,
    ) -> AppResult<ProcessingArea> {
        self.require_processing(access, None, source).await?;
        let now = self.clock.now();
        let query = ProcessingQuery {
            statuses: match filter.status {
                Some(status) => vec![status],
                None => vec![
                    ProcessingStatus::New,
                    ProcessingStatus::Matched,
                    ProcessingStatus::Suspense,
                ],
            },
            form: filter.form,
            team: filter.team,
            submitted_before: filter
                .older_than_days
                .map(|days| now - Duration::days(i64::from(days))),
            limit: 200,
        };
        let mut rows = Vec::new();
        for submission in self.store.processing_queue(&query).await? {
            let child_id = submission.child_id.or(submission.processing.child_id);
            let child = match child_id {
                Some(id) => self.store.child(id).await?,
                None => None,
            };
            if let Some(child) = &child
                && staff_may(access, CaseAction::View, child.team_id) != Decision::Allowed
            {
                continue;
            }
            let submitted_by = self
                .account_name(submission.submitted_by)
                .await?
                .unwrap_or_default();
            let details = submitted_child(&submission.answers).details;
            let submitted_name = match (&details.first_name, &details.last_name) {
                (Some(first), Some(last)) => Some(format!("{first} {last}")),
                _ => None,
            };
            rows.push(ProcessingRow {
                days_waiting: (now - submission.submitted_at).whole_days(),
                submission,
                child,
                submitted_by,
                submitted_name,
            });
        }
        let mut forms: Vec<(FormId, String)> = self
            .store
            .forms()
            .await?
            .into_iter()
            .filter(|f| f.live_version.is_some())
            .map(|f| (f.id, f.draft.title))
            .collect();
        forms.sort_by(|a, b| a.1.cmp(&b.1));
        Ok(ProcessingArea {
            rows,
            counts: self.store.processing_counts().await?,
            forms,
            teams: self.store.teams().await?,
        })
    }

    /// The submission, if this member of staff may process it: they process
    /// forms, and may see its (proposed) child if it has one. Refusals are audited.
    pub(crate) async fn processable(
        &self,
        access: &StaffAccess,
        id: SubmissionId,
        source: &Source,
    ) -> AppResult<(Submission, Option<Child>)> {
        self.require_processing(access, Some(id), source).await?;
        let submission = self.store.submission(id).await?.ok_or(AppError::NotFound)?;
        let child = match submission.child_id.or(submission.processing.child_id) {
            Some(child) => {
                let found = self.store.child(child).await?;
                match found {
                    Some(c)
                        if staff_may(access, CaseAction::View, c.team_id) == Decision::Allowed =>
                    {
                        Some(c)
                    }
                    // A proposal the person may not see is no proposal to them;
                    // a form on a child's record they may not see is refused.
                    _ if submission.child_id.is_some() => {
                        self.authorise_child(access, CaseAction::View, child, source)
                            .await?;
                        return Err(AppError::NotFound);
                    }
                    _ => None,
                }
            }
            None => None,
        };
        Ok((submission, child))
    }

    /// One submission in the processing area, with the child it is matched to,
    /// other candidates and what differs (the read is audited).
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, submission_id = %id))]
    pub async fn processing_view(
        &self,
        access: &StaffAccess,
        id: SubmissionId,
        source: &Source,
    ) -> AppResult<ProcessingView> {
        let (submission, child) = self.processable(access, id, source).await?;
        let version = self
            .store
            .form_version(submission.form_id, submission.version_number)
            .await?
            .ok_or_else(|| AppError::unexpected("a submission's form version is missing"))?;
        let builtin = self
            .store
            .form(submission.form_id)
            .await?
            .and_then(|f| f.builtin);
        let submitted = submitted_child(&submission.answers);
        let candidates = if submission.processing.status.is_open() {
            let mut found = self
                .visible_candidates(access, &submitted.details, CANDIDATES + 1)
                .await?;
            found.retain(|c| Some(c.child.id) != child.as_ref().map(|c| c.id));
            found.truncate(CANDIDATES);
            found
        } else {
            Vec::new()
        };
        let differences = child
            .as_ref()
            .map(|c| differences(&submitted, c))
            .unwrap_or_default();
        let sender = self.store.account_by_id(submission.submitted_by).await?;
        let mut event = self.case_event(
            access,
            AuditAction::SubmissionRead,
            AuditOutcome::Succeeded,
            child.as_ref().map(|c| c.id),
            source,
        );
        event.subject = Some(format!("submission:{id}"));
        self.store.record_audit_event(&event).await?;
        Ok(ProcessingView {
            submission,
            version,
            submitted,
            child,
            candidates,
            differences,
            submitter: sender,
            builtin,
        })
    }

    fn processing_event(
        &self,
        access: &StaffAccess,
        action: AuditAction,
        submission: &Submission,
        child: Option<ChildId>,
        source: &Source,
    ) -> send_domain::AuditEvent {
        let mut event = self.case_event(access, action, AuditOutcome::Succeeded, child, source);
        event.subject = Some(format!("submission:{}", submission.id));
        event.detail = Some(format!("{} ({})", submission.title, submission.reference));
        event
    }

    /// Settles the child a submission is about: the proposal, or one the person
    /// found. `seen_version` is the processing version they were shown.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, submission_id = %id))]
    pub async fn confirm_match(
        &self,
        access: &StaffAccess,
        id: SubmissionId,
        child: ChildId,
        seen_version: u32,
        source: &Source,
    ) -> AppResult<Result<(), ProcessingError>> {
        let (submission, _) = self.processable(access, id, source).await?;
        let chosen = self
            .authorise_child(access, CaseAction::Edit, child, source)
            .await?;
        if submission.processing.version != seen_version {
            return Err(AppError::Changed);
        }
        let next =
            match submission
                .processing
                .confirm(chosen.id, access.account_id, self.clock.now())
            {
                Ok(next) => next,
                Err(problem) => return Ok(Err(problem)),
            };
        let mut event = self.processing_event(
            access,
            AuditAction::SubmissionMatched,
            &submission,
            Some(chosen.id),
            source,
        );
        if let Some(result) = next.result.as_ref() {
            event.detail = Some(format!(
                "{} ({}): {} ({})",
                submission.title,
                submission.reference,
                result.verdict.label(),
                result.summary()
            ));
        }
        self.store
            .commit(
                &Changes::new()
                    .with(update(&submission, submission.child_id, next))
                    .with_audit(event),
            )
            .await?;
        Ok(Ok(()))
    }

    /// Rejects a submission; its sender receives the message by email.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, submission_id = %id))]
    pub async fn reject_submission(
        &self,
        access: &StaffAccess,
        id: SubmissionId,
        message: &str,
        seen_version: u32,
        source: &Source,
    ) -> AppResult<Result<(), ProcessingError>> {
        let (submission, child) = self.processable(access, id, source).await?;
        if submission.processing.version != seen_version {
            return Err(AppError::Changed);
        }
        let next = match submission
            .processing
            .reject(message, access.account_id, self.clock.now())
        {
            Ok(next) => next,
            Err(problem) => return Ok(Err(problem)),
        };
        let mut changes = Changes::new()
            .with(update(&submission, submission.child_id, next.clone()))
            .with_audit(self.processing_event(
                access,
                AuditAction::SubmissionRejected,
                &submission,
                child.as_ref().map(|c| c.id),
                source,
            ));
        if let Some(sender) = self.store.account_by_id(submission.submitted_by).await? {
            let reason = next.message.clone().unwrap_or_default();
            changes = changes.with_email(self.council_email(
                &*self.texts().await?,
                "form_rejected",
                sender.email.clone(),
                Some(sender.name.clone()),
                &[
                    ("form_title", submission.title.as_str()),
                    ("reference", submission.reference.as_str()),
                    ("reason", reason.as_str()),
                ],
            ));
        }
        self.store.commit(&changes).await?;
        Ok(Ok(()))
    }

    /// Adds a child's record made from a submission's details (checked like any
    /// new child by the page) and settles the submission on it, in one change.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, submission_id = %id))]
    pub async fn create_child_from_submission(
        &self,
        access: &StaffAccess,
        id: SubmissionId,
        child: Child,
        contacts: Vec<FamilyContact>,
        seen_version: u32,
        source: &Source,
    ) -> AppResult<Result<ChildId, ProcessingError>> {
        let (submission, _) = self.processable(access, id, source).await?;
        if submission.processing.version != seen_version {
            return Err(AppError::Changed);
        }
        let (child_id, mut changes) = self
            .new_child_changes(access, child, contacts, source)
            .await?;
        let next =
            match submission
                .processing
                .confirm(child_id, access.account_id, self.clock.now())
            {
                Ok(next) => next,
                Err(problem) => return Ok(Err(problem)),
            };
        let mut event = self.processing_event(
            access,
            AuditAction::SubmissionMatched,
            &submission,
            Some(child_id),
            source,
        );
        event.detail = Some(format!(
            "{} ({}): a new child's record made from it",
            submission.title, submission.reference
        ));
        changes.push(update(&submission, submission.child_id, next));
        self.store.commit(&changes.with_audit(event)).await?;
        Ok(Ok(child_id))
    }
}

/// The write that moves a submission's processing on from what was read.
pub(super) fn update(
    submission: &Submission,
    child_id: Option<ChildId>,
    next: Processing,
) -> Write {
    Write::UpdateProcessing {
        id: submission.id,
        child_id,
        expected_version: submission.processing.version,
        processing: next,
    }
}
