//! Submissions as the SEND team reads them: a list of what has arrived (a
//! submission about a child only for those who may see the child; one with no
//! child, such as a request for an assessment, for those who process forms), and
//! each one as a readable record with its files, read against the exact version
//! that was answered. Every read is audited. Processing and importing them come
//! with the incoming forms work.

use send_domain::forms::{FormVersion, Submission};
use send_domain::{
    AuditAction, AuditOutcome, CaseAction, Child, Decision, Permission, StaffAccess, SubmissionId,
    staff_may,
};
use send_store::SubmissionQuery;

use crate::audit::Source;
use crate::{App, AppError, AppResult};

/// One submission in the list.
#[derive(Debug, Clone)]
pub struct SubmissionRow {
    pub submission: Submission,
    pub child: Option<Child>,
    pub submitted_by: String,
}

/// A submission to read, with the version it answered.
#[derive(Debug, Clone)]
pub struct SubmissionView {
    pub submission: Submission,
    pub version: FormVersion,
    pub child: Option<Child>,
    pub submitted_by: String,
}

/// A file of a submission, to download.
#[derive(Debug, Clone)]
pub struct SubmissionFile {
    pub file: send_domain::StoredFile,
    pub bytes: Vec<u8>,
}

impl App {
    /// Whether a member of staff may read a submission: one about a child if they
    /// may see the child, one without if they process forms.
    fn may_read(access: &StaffAccess, child: Option<&Child>) -> bool {
        match child {
            Some(child) => staff_may(access, CaseAction::View, child.team_id) == Decision::Allowed,
            None => access.has(Permission::ProcessForms),
        }
    }

    /// The newest submissions this member of staff may read (at most 200).
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn recent_submissions(&self, access: &StaffAccess) -> AppResult<Vec<SubmissionRow>> {
        let submissions = self
            .store
            .submissions(&SubmissionQuery {
                limit: 200,
                ..SubmissionQuery::default()
            })
            .await?;
        let mut rows = Vec::new();
        for submission in submissions {
            let child = match submission.child_id {
                Some(id) => self.store.child(id).await?,
                None => None,
            };
            if submission.child_id.is_some() && child.is_none() {
                continue;
            }
            if !Self::may_read(access, child.as_ref()) {
                continue;
            }
            let submitted_by = self
                .account_name(submission.submitted_by)
                .await?
                .unwrap_or_default();
            rows.push(SubmissionRow {
                submission,
                child,
                submitted_by,
            });
        }
        Ok(rows)
    }

    async fn readable_submission(
        &self,
        access: &StaffAccess,
        id: SubmissionId,
        source: &Source,
    ) -> AppResult<(Submission, Option<Child>)> {
        let submission = self.store.submission(id).await?.ok_or(AppError::NotFound)?;
        let child = match submission.child_id {
            // The one check for a child's record (audited when refused).
            Some(child) => Some(
                self.authorise_child(access, CaseAction::View, child, source)
                    .await?,
            ),
            None => None,
        };
        if child.is_none() && !access.has(Permission::ProcessForms) {
            let mut event = self.case_event(
                access,
                AuditAction::SubmissionRead,
                AuditOutcome::Refused,
                None,
                source,
            );
            event.subject = Some(format!("submission:{id}"));
            event.detail = Some("needs the process forms permission".to_owned());
            self.store.record_audit_event(&event).await?;
            return Err(AppError::NotFound);
        }
        Ok((submission, child))
    }

    /// A submission to read, with the version it answered (audited).
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, submission_id = %id))]
    pub async fn read_submission(
        &self,
        access: &StaffAccess,
        id: SubmissionId,
        source: &Source,
    ) -> AppResult<SubmissionView> {
        let (submission, child) = self.readable_submission(access, id, source).await?;
        let version = self
            .store
            .form_version(submission.form_id, submission.version_number)
            .await?
            .ok_or_else(|| AppError::unexpected("a submission's form version is missing"))?;
        let mut event = self.case_event(
            access,
            AuditAction::SubmissionRead,
            AuditOutcome::Succeeded,
            submission.child_id,
            source,
        );
        event.subject = Some(format!("submission:{id}"));
        self.store.record_audit_event(&event).await?;
        let submitted_by = self
            .account_name(submission.submitted_by)
            .await?
            .unwrap_or_default();
        Ok(SubmissionView {
            submission,
            version,
            child,
            submitted_by,
        })
    }

    /// A file uploaded with a submission (by its position among the
    /// submission's files), for the SEND team.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, submission_id = %id))]
    pub async fn submission_file(
        &self,
        access: &StaffAccess,
        id: SubmissionId,
        position: usize,
        source: &Source,
    ) -> AppResult<SubmissionFile> {
        let (submission, _) = self.readable_submission(access, id, source).await?;
        let file = submission
            .answers
            .files()
            .get(position)
            .copied()
            .cloned()
            .ok_or(AppError::NotFound)?;
        let bytes = self
            .files
            .read(&file.key)
            .await
            .map_err(AppError::internal_with("reading a form upload"))?;
        let mut event = self.case_event(
            access,
            AuditAction::DocumentDownloaded,
            AuditOutcome::Succeeded,
            submission.child_id,
            source,
        );
        event.subject = Some(format!("submission:{id}"));
        event.detail = Some(file.name.clone());
        self.store.record_audit_event(&event).await?;
        Ok(SubmissionFile { file, bytes })
    }
}
