//! Forms (FRM-1 to FRM-4): the council's forms and their published versions,
//! forms given to children's portal users, saved answers (save and return) and
//! submissions. Definitions and answers are stored as JSON; the store never
//! looks inside them.

use async_trait::async_trait;
use send_domain::forms::{Form, FormAssignment, FormDraft, FormVersion, Submission};
use send_domain::{ChildId, FormAssignmentId, FormId, SubmissionId, UserId};

use crate::StoreResult;

/// Which submissions to list.
#[derive(Debug, Clone, Default)]
pub struct SubmissionQuery {
    pub form: Option<FormId>,
    pub child: Option<ChildId>,
    pub submitted_by: Option<UserId>,
    /// At most this many (newest first).
    pub limit: u32,
}

#[async_trait]
pub trait FormStore: Send + Sync {
    /// Every form, by title.
    async fn forms(&self) -> StoreResult<Vec<Form>>;

    async fn form(&self, id: FormId) -> StoreResult<Option<Form>>;

    /// The form shipped as this built-in (`Form::builtin`).
    async fn form_by_builtin(&self, code: &str) -> StoreResult<Option<Form>>;

    /// A form's published versions, oldest first.
    async fn form_versions(&self, form: FormId) -> StoreResult<Vec<FormVersion>>;

    async fn form_version(&self, form: FormId, number: u32) -> StoreResult<Option<FormVersion>>;

    /// The live version of every form that has one and is not retired, by title.
    async fn live_form_versions(&self) -> StoreResult<Vec<FormVersion>>;

    async fn form_assignment(&self, id: FormAssignmentId) -> StoreResult<Option<FormAssignment>>;

    /// The forms given to these children (withdrawn ones too), newest first.
    async fn form_assignments_for_children(
        &self,
        children: &[ChildId],
    ) -> StoreResult<Vec<FormAssignment>>;

    /// One person's saved answers to a form (for a child, or for none).
    async fn form_draft(
        &self,
        form: FormId,
        child: Option<ChildId>,
        author: UserId,
    ) -> StoreResult<Option<FormDraft>>;

    /// Everything one person has saved and not submitted, latest saved first.
    async fn form_drafts_by(&self, author: UserId) -> StoreResult<Vec<FormDraft>>;

    /// Everyone's saved answers for a child's forms (for action statuses; the
    /// caller never shows their content to anyone but the author).
    async fn form_drafts_for_child(&self, child: ChildId) -> StoreResult<Vec<FormDraft>>;

    async fn submission(&self, id: SubmissionId) -> StoreResult<Option<Submission>>;

    /// Submissions matching the query, newest first.
    async fn submissions(&self, query: &SubmissionQuery) -> StoreResult<Vec<Submission>>;
}
