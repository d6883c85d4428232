//! The form builder (FRM-1, FRM-2): the council's staff create forms, change
//! their working copies, ask for approval, and publish them as numbered,
//! immutable versions; retire them; copy them (built-in forms are only ever
//! copied); preview them and compare the working copy with the live version.
//!
//! Every use case asks [`builder_may`] first, on every call: `BuildForms` to
//! create, change, copy and ask for approval; `PublishForms` to publish and to
//! retire; either to look. Staff with neither are answered `NotFound`, as if the
//! builder did not exist; a refused change is audited. Every change is one
//! [`Changes`] commit with its audit event. Changes to a form name the version
//! of it the person saw: if someone changed it since, nothing is written and
//! the answer is [`AppError::Changed`].

use send_domain::forms::{
    BuilderAction, Change, Details, Edit, EditError, Form, FormDefinition, FormVersion, Problem,
    apply, builder_may, compare, problems,
};
use send_domain::{Actor, AuditAction, AuditEvent, AuditOutcome, Decision, FormId, StaffAccess};
use send_store::{Changes, Write};

use crate::audit::Source;
use crate::ids::new_uuid;
use crate::{App, AppError, AppResult};

/// A form as the builder page shows it.
#[derive(Debug, Clone)]
pub struct BuilderForm {
    pub form: Form,
    /// What stops the working copy being published (none: it may be).
    pub problems: Vec<Problem>,
    /// The live version, if one is.
    pub live: Option<FormVersion>,
    /// Whether the working copy differs from the live version (or none is live).
    pub has_changes: bool,
}

/// The working copy beside the live version.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub form: Form,
    pub live: FormVersion,
    pub changes: Vec<Change>,
}

/// The answer to asking for approval or publishing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked<T> {
    Done(T),
    /// Refused: these must be fixed first. Nothing was written.
    Problems(Vec<Problem>),
    /// Refused: the working copy is the live version. Nothing was written.
    NoChanges,
}

/// The longest a copy's title may be ("Copy of " and the original's).
const TITLE_MAX: usize = send_domain::forms::editing::TITLE_MAX;

impl App {
    fn builder_event(
        &self,
        access: &StaffAccess,
        action: AuditAction,
        outcome: AuditOutcome,
        form: Option<FormId>,
        source: &Source,
    ) -> AuditEvent {
        let mut event = self.audit_event(Actor::User(access.account_id), action, outcome, source);
        event.subject = form.map(|id| format!("form:{id}"));
        event
    }

    /// The builder's access rule, applied. A refused change is audited as
    /// `attempted`; staff with neither forms permission get `NotFound`.
    async fn authorise_builder(
        &self,
        access: &StaffAccess,
        action: BuilderAction,
        attempted: Option<AuditAction>,
        form: Option<FormId>,
        source: &Source,
    ) -> AppResult<()> {
        let decision = builder_may(access, action);
        if decision == Decision::Allowed {
            return Ok(());
        }
        if let Some(attempted) = attempted {
            let mut event =
                self.builder_event(access, attempted, AuditOutcome::Refused, form, source);
            event.detail = Some(format!("{} refused", action.code()));
            self.store.record_audit_event(&event).await?;
        }
        Err(if decision == Decision::Refused {
            AppError::Forbidden
        } else {
            AppError::NotFound
        })
    }

    async fn builder_stored_form(&self, id: FormId) -> AppResult<Form> {
        self.store.form(id).await?.ok_or(AppError::NotFound)
    }

    /// The live version of a form, if it has one.
    async fn builder_live_version(&self, form: &Form) -> AppResult<Option<FormVersion>> {
        match form.live_version {
            Some(number) => Ok(self.store.form_version(form.id, number).await?),
            None => Ok(None),
        }
    }

    /// Reads the form for a change: allowed, still there, seen at its current
    /// version (`Changed` otherwise), not retired, and (for a change to the
    /// working copy) not built in.
    async fn builder_form_to_change(
        &self,
        access: &StaffAccess,
        id: FormId,
        seen_version: u32,
        (action, attempted): (BuilderAction, AuditAction),
        source: &Source,
    ) -> AppResult<Form> {
        self.authorise_builder(access, action, Some(attempted), Some(id), source)
            .await?;
        let form = self.builder_stored_form(id).await?;
        if form.version != seen_version {
            return Err(AppError::Changed);
        }
        if form.retired_at.is_some() || (form.builtin.is_some() && action == BuilderAction::Build) {
            // The pages never offer this: built-in forms are copied, retired ones left.
            let mut event =
                self.builder_event(access, attempted, AuditOutcome::Refused, Some(id), source);
            event.detail = Some("built-in or retired".to_owned());
            self.store.record_audit_event(&event).await?;
            return Err(AppError::Forbidden);
        }
        Ok(form)
    }

    /// Writes a changed form (its version moved on) with its audit event.
    async fn builder_save(
        &self,
        mut form: Form,
        before: &[Write],
        event: AuditEvent,
    ) -> AppResult<Form> {
        let expected_version = form.version;
        form.version = expected_version + 1;
        form.updated_at = self.clock.now();
        let mut changes = Changes::new();
        for write in before {
            changes = changes.with(write.clone());
        }
        let changes = changes
            .with(Write::UpdateForm {
                form: form.clone(),
                expected_version,
            })
            .with_audit(event);
        self.store.commit(&changes).await?;
        Ok(form)
    }

    /// Every form, by title, for anyone who may build or publish them.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn forms_for_builder(
        &self,
        access: &StaffAccess,
        source: &Source,
    ) -> AppResult<Vec<Form>> {
        self.authorise_builder(access, BuilderAction::View, None, None, source)
            .await?;
        Ok(self.store.forms().await?)
    }

    /// A new form with only a title (and the usual declaration and next steps),
    /// not yet published. `Err` with the message for the title if it breaks a rule.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn create_form(
        &self,
        access: &StaffAccess,
        title: &str,
        source: &Source,
    ) -> AppResult<Result<FormId, EditError>> {
        self.authorise_builder(
            access,
            BuilderAction::Build,
            Some(AuditAction::FormCreated),
            None,
            source,
        )
        .await?;
        let mut draft = FormDefinition::new("");
        let details = Details {
            title: title.to_owned(),
            ..Details::of(&draft)
        };
        if let Err(err) = apply(&mut draft, Edit::SetDetails(details)) {
            return Ok(Err(err));
        }
        let id = self
            .builder_insert_form(access, draft, "created", source)
            .await?;
        Ok(Ok(id))
    }

    async fn builder_insert_form(
        &self,
        access: &StaffAccess,
        draft: FormDefinition,
        detail: &str,
        source: &Source,
    ) -> AppResult<FormId> {
        let now = self.clock.now();
        let form = Form {
            id: FormId::from_uuid(new_uuid(self.clock.as_ref())),
            draft,
            version: 1,
            live_version: None,
            approval_requested: None,
            retired_at: None,
            builtin: None,
            created_by: access.account_id,
            created_at: now,
            updated_at: now,
        };
        let mut event = self.builder_event(
            access,
            AuditAction::FormCreated,
            AuditOutcome::Succeeded,
            Some(form.id),
            source,
        );
        event.detail = Some(detail.to_owned());
        self.store
            .commit(
                &Changes::new()
                    .with(Write::InsertForm(form.clone()))
                    .with_audit(event),
            )
            .await?;
        Ok(form.id)
    }

    /// A form for its builder page: the form, its problems and its live version.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, form_id = %id))]
    pub async fn builder_form(
        &self,
        access: &StaffAccess,
        id: FormId,
        source: &Source,
    ) -> AppResult<BuilderForm> {
        self.authorise_builder(access, BuilderAction::View, None, Some(id), source)
            .await?;
        let form = self.builder_stored_form(id).await?;
        let live = self.builder_live_version(&form).await?;
        let has_changes = live
            .as_ref()
            .is_none_or(|v| !compare(&v.definition, &form.draft).is_empty());
        Ok(BuilderForm {
            problems: problems(&form.draft),
            form,
            live,
            has_changes,
        })
    }

    /// The working copy, for the preview.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, form_id = %id))]
    pub async fn preview_form(
        &self,
        access: &StaffAccess,
        id: FormId,
        source: &Source,
    ) -> AppResult<Form> {
        self.authorise_builder(access, BuilderAction::View, None, Some(id), source)
            .await?;
        self.builder_stored_form(id).await
    }

    /// What changed from the live version to the working copy; `NotFound` if
    /// no version is live.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, form_id = %id))]
    pub async fn compare_form(
        &self,
        access: &StaffAccess,
        id: FormId,
        source: &Source,
    ) -> AppResult<Comparison> {
        self.authorise_builder(access, BuilderAction::View, None, Some(id), source)
            .await?;
        let form = self.builder_stored_form(id).await?;
        let live = self
            .builder_live_version(&form)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(Comparison {
            changes: compare(&live.definition, &form.draft),
            form,
            live,
        })
    }

    /// Makes one edit to the working copy the person saw (`seen_version`).
    /// `Ok(Err(_))` when the edit itself is refused (nothing is written). A change
    /// takes back any request for approval: what is approved must be what was
    /// asked for.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, form_id = %id, edit = edit.code()))]
    pub async fn edit_form(
        &self,
        access: &StaffAccess,
        id: FormId,
        seen_version: u32,
        edit: Edit,
        source: &Source,
    ) -> AppResult<Result<(), EditError>> {
        let mut form = self
            .builder_form_to_change(
                access,
                id,
                seen_version,
                (BuilderAction::Build, AuditAction::FormChanged),
                source,
            )
            .await?;
        let code = edit.code();
        if let Err(err) = apply(&mut form.draft, edit) {
            return Ok(Err(err));
        }
        form.approval_requested = None;
        let mut event = self.builder_event(
            access,
            AuditAction::FormChanged,
            AuditOutcome::Succeeded,
            Some(id),
            source,
        );
        event.detail = Some(code.to_owned());
        self.builder_save(form, &[], event).await?;
        Ok(Ok(()))
    }

    /// Asks for the working copy the person saw to be approved and published.
    /// Refused while it has problems, or when it is the live version already.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, form_id = %id))]
    pub async fn ask_for_approval(
        &self,
        access: &StaffAccess,
        id: FormId,
        seen_version: u32,
        source: &Source,
    ) -> AppResult<Checked<()>> {
        let mut form = self
            .builder_form_to_change(
                access,
                id,
                seen_version,
                (BuilderAction::Build, AuditAction::FormApprovalRequested),
                source,
            )
            .await?;
        if let Some(refusal) = self.builder_refusal(&form).await? {
            return Ok(refusal);
        }
        form.approval_requested = Some((access.account_id, self.clock.now()));
        let event = self.builder_event(
            access,
            AuditAction::FormApprovalRequested,
            AuditOutcome::Succeeded,
            Some(id),
            source,
        );
        self.builder_save(form, &[], event).await?;
        Ok(Checked::Done(()))
    }

    /// Why the working copy cannot go out as it is, if it cannot.
    async fn builder_refusal<T>(&self, form: &Form) -> AppResult<Option<Checked<T>>> {
        let found = problems(&form.draft);
        if !found.is_empty() {
            return Ok(Some(Checked::Problems(found)));
        }
        if let Some(live) = self.builder_live_version(form).await?
            && compare(&live.definition, &form.draft).is_empty()
        {
            return Ok(Some(Checked::NoChanges));
        }
        Ok(None)
    }

    /// Publishes the working copy the person saw as the next numbered version,
    /// in one commit with the form's new live version and its cleared approval
    /// request. Needs `PublishForms`; refused (and audited) while the working
    /// copy has problems or has not changed. Answers the new version's number.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, form_id = %id))]
    pub async fn publish_form(
        &self,
        access: &StaffAccess,
        id: FormId,
        seen_version: u32,
        source: &Source,
    ) -> AppResult<Checked<u32>> {
        let mut form = self
            .builder_form_to_change(
                access,
                id,
                seen_version,
                (BuilderAction::Publish, AuditAction::FormPublished),
                source,
            )
            .await?;
        if let Some(refusal) = self.builder_refusal(&form).await? {
            let mut event = self.builder_event(
                access,
                AuditAction::FormPublished,
                AuditOutcome::Refused,
                Some(id),
                source,
            );
            event.detail = Some(match &refusal {
                Checked::Problems(found) => format!("{} problems", found.len()),
                _ => "no changes".to_owned(),
            });
            self.store.record_audit_event(&event).await?;
            return Ok(refusal);
        }
        let number = form.live_version.map_or(1, |n| n + 1);
        let version = FormVersion {
            form_id: id,
            number,
            definition: form.draft.clone(),
            published_by: access.account_id,
            published_at: self.clock.now(),
        };
        form.live_version = Some(number);
        form.approval_requested = None;
        let mut event = self.builder_event(
            access,
            AuditAction::FormPublished,
            AuditOutcome::Succeeded,
            Some(id),
            source,
        );
        event.detail = Some(format!("version {number}"));
        self.builder_save(form, &[Write::InsertFormVersion(version)], event)
            .await?;
        Ok(Checked::Done(number))
    }

    /// Stops offering the form the person saw: it is no longer given to anyone
    /// or listed for filling in. Its versions and submissions stay. Needs
    /// `PublishForms`.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, form_id = %id))]
    pub async fn retire_form(
        &self,
        access: &StaffAccess,
        id: FormId,
        seen_version: u32,
        source: &Source,
    ) -> AppResult<()> {
        let mut form = self
            .builder_form_to_change(
                access,
                id,
                seen_version,
                (BuilderAction::Retire, AuditAction::FormRetired),
                source,
            )
            .await?;
        form.retired_at = Some(self.clock.now());
        form.approval_requested = None;
        let event = self.builder_event(
            access,
            AuditAction::FormRetired,
            AuditOutcome::Succeeded,
            Some(id),
            source,
        );
        self.builder_save(form, &[], event).await?;
        Ok(())
    }

    /// A new form from this one's live version (its working copy if it was
    /// never published), titled "Copy of …", not yet published. Any form may be
    /// copied: it is how a built-in form is adapted.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, form_id = %id))]
    pub async fn copy_form(
        &self,
        access: &StaffAccess,
        id: FormId,
        source: &Source,
    ) -> AppResult<FormId> {
        self.authorise_builder(
            access,
            BuilderAction::Build,
            Some(AuditAction::FormCreated),
            Some(id),
            source,
        )
        .await?;
        let original = self.builder_stored_form(id).await?;
        let mut draft = match self.builder_live_version(&original).await? {
            Some(live) => live.definition,
            None => original.draft,
        };
        let room = TITLE_MAX - "Copy of ".len();
        let title: String = draft.title.trim().chars().take(room).collect();
        draft.title = format!("Copy of {title}");
        self.builder_insert_form(access, draft, &format!("copy of form:{id}"), source)
            .await
    }
}
