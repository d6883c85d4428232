//! Forms on PostgreSQL: forms and their published versions, forms given to
//! children's portal users, saved answers and submissions (reads; the writes
//! are in `writes::forms`). Each read is one statement.
//!
//! Saved answers for no child have `child_id` NULL, which `IS NOT DISTINCT FROM`
//! matches.

use async_trait::async_trait;
use send_domain::forms::{Form, FormAssignment, FormDraft, FormVersion, Submission};
use send_domain::{ChildId, FormAssignmentId, FormId, SubmissionId, UserId};
use send_store::{FormStore, StoreResult, SubmissionQuery};
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

use crate::PgStore;
use crate::convert::{from_sqlx, number_to_db};
use crate::rows::{
    form_assignment_from_row, form_draft_from_row, form_from_row, form_version_from_row,
    submission_from_row,
};

#[async_trait]
impl FormStore for PgStore {
    #[tracing::instrument(level = "debug", name = "store.forms", skip_all)]
    async fn forms(&self) -> StoreResult<Vec<Form>> {
        let rows = sqlx::query("SELECT * FROM forms ORDER BY title, id")
            .fetch_all(&self.pool)
            .await
            .map_err(from_sqlx)?;
        rows.iter().map(form_from_row).collect()
    }

    #[tracing::instrument(level = "debug", name = "store.form", skip_all)]
    async fn form(&self, id: FormId) -> StoreResult<Option<Form>> {
        let row = sqlx::query("SELECT * FROM forms WHERE id = $1")
            .bind(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(from_sqlx)?;
        row.as_ref().map(form_from_row).transpose()
    }

    #[tracing::instrument(level = "debug", name = "store.form_by_builtin", skip_all)]
    async fn form_by_builtin(&self, code: &str) -> StoreResult<Option<Form>> {
        let row = sqlx::query("SELECT * FROM forms WHERE builtin = $1")
            .bind(code)
            .fetch_optional(&self.pool)
            .await
            .map_err(from_sqlx)?;
        row.as_ref().map(form_from_row).transpose()
    }

    #[tracing::instrument(level = "debug", name = "store.form_versions", skip_all)]
    async fn form_versions(&self, form: FormId) -> StoreResult<Vec<FormVersion>> {
        let rows = sqlx::query("SELECT * FROM form_versions WHERE form_id = $1 ORDER BY number")
            .bind(form.as_uuid())
            .fetch_all(&self.pool)
            .await
            .map_err(from_sqlx)?;
        rows.iter().map(form_version_from_row).collect()
    }

    #[tracing::instrument(level = "debug", name = "store.form_version", skip_all)]
    async fn form_version(&self, form: FormId, number: u32) -> StoreResult<Option<FormVersion>> {
        let row = sqlx::query("SELECT * FROM form_versions WHERE form_id = $1 AND number = $2")
            .bind(form.as_uuid())
            .bind(number_to_db(number)?)
            .fetch_optional(&self.pool)
            .await
            .map_err(from_sqlx)?;
        row.as_ref().map(form_version_from_row).transpose()
    }

    #[tracing::instrument(level = "debug", name = "store.live_form_versions", skip_all)]
    async fn live_form_versions(&self) -> StoreResult<Vec<FormVersion>> {
        let rows = sqlx::query(
            "SELECT v.* FROM form_versions v \
             JOIN forms f ON f.id = v.form_id AND f.live_version = v.number \
             WHERE f.retired_at IS NULL ORDER BY f.title, f.id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(from_sqlx)?;
        rows.iter().map(form_version_from_row).collect()
    }

    #[tracing::instrument(level = "debug", name = "store.form_assignment", skip_all)]
    async fn form_assignment(&self, id: FormAssignmentId) -> StoreResult<Option<FormAssignment>> {
        let row = sqlx::query("SELECT * FROM form_assignments WHERE id = $1")
            .bind(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(from_sqlx)?;
        row.as_ref().map(form_assignment_from_row).transpose()
    }

    #[tracing::instrument(
        level = "debug",
        name = "store.form_assignments_for_children",
        skip_all
    )]
    async fn form_assignments_for_children(
        &self,
        children: &[ChildId],
    ) -> StoreResult<Vec<FormAssignment>> {
        if children.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<Uuid> = children.iter().map(ChildId::as_uuid).collect();
        let rows = sqlx::query(
            "SELECT * FROM form_assignments WHERE child_id = ANY($1) \
             ORDER BY assigned_at DESC, id DESC",
        )
        .bind(ids)
        .fetch_all(&self.pool)
        .await
        .map_err(from_sqlx)?;
        rows.iter().map(form_assignment_from_row).collect()
    }

    #[tracing::instrument(level = "debug", name = "store.form_draft", skip_all)]
    async fn form_draft(
        &self,
        form: FormId,
        child: Option<ChildId>,
        author: UserId,
    ) -> StoreResult<Option<FormDraft>> {
        let row = sqlx::query(
            "SELECT * FROM form_drafts \
             WHERE form_id = $1 AND child_id IS NOT DISTINCT FROM $2 AND author = $3",
        )
        .bind(form.as_uuid())
        .bind(child.map(|id| id.as_uuid()))
        .bind(author.as_uuid())
        .fetch_optional(&self.pool)
        .await
        .map_err(from_sqlx)?;
        row.as_ref().map(form_draft_from_row).transpose()
    }

    #[tracing::instrument(level = "debug", name = "store.form_drafts_by", skip_all)]
    async fn form_drafts_by(&self, author: UserId) -> StoreResult<Vec<FormDraft>> {
        let rows = sqlx::query(
            "SELECT * FROM form_drafts WHERE author = $1 \
             ORDER BY saved_at DESC, form_id, child_id NULLS FIRST",
        )
        .bind(author.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(from_sqlx)?;
        rows.iter().map(form_draft_from_row).collect()
    }

    #[tracing::instrument(level = "debug", name = "store.form_drafts_for_child", skip_all)]
    async fn form_drafts_for_child(&self, child: ChildId) -> StoreResult<Vec<FormDraft>> {
        let rows = sqlx::query(
            "SELECT * FROM form_drafts WHERE child_id = $1 \
             ORDER BY saved_at DESC, form_id, author",
        )
        .bind(child.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(from_sqlx)?;
        rows.iter().map(form_draft_from_row).collect()
    }

    #[tracing::instrument(level = "debug", name = "store.submission", skip_all)]
    async fn submission(&self, id: SubmissionId) -> StoreResult<Option<Submission>> {
        let row = sqlx::query("SELECT * FROM submissions WHERE id = $1")
            .bind(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(from_sqlx)?;
        row.as_ref().map(submission_from_row).transpose()
    }

    /// Every filter given must hold; at most `query.limit`, as given (0 finds none).
    #[tracing::instrument(level = "debug", name = "store.submissions", skip_all)]
    async fn submissions(&self, query: &SubmissionQuery) -> StoreResult<Vec<Submission>> {
        let mut sql: QueryBuilder<Postgres> =
            QueryBuilder::new("SELECT * FROM submissions WHERE 1 = 1");
        if let Some(form) = query.form {
            sql.push(" AND form_id = ").push_bind(form.as_uuid());
        }
        if let Some(child) = query.child {
            sql.push(" AND child_id = ").push_bind(child.as_uuid());
        }
        if let Some(person) = query.submitted_by {
            sql.push(" AND submitted_by = ").push_bind(person.as_uuid());
        }
        sql.push(" ORDER BY submitted_at DESC, id DESC LIMIT ")
            .push_bind(i64::from(query.limit));
        let rows = sql.build().fetch_all(&self.pool).await.map_err(from_sqlx)?;
        rows.iter().map(submission_from_row).collect()
    }
}
