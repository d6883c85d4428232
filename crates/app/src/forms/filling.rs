//! Filling in a form from the portal: open it (from Actions to Complete, the
//! child's forms or the portal home), answer page by page with every page saved
//! on the server (save and return), add files and items, check the answers and
//! submit. Each call checks, again, that the person may fill in this form (for
//! a child: an active link and the form given to them), so revoking access hides
//! the form and the saved answers at once. Every open, save and submit is audited.

use rand::RngCore;
use send_domain::forms::{
    Answer, Answers, AssignedTo, Audience, FieldError, Fields, FormAssignment, FormDraft,
    FormVersion, Next, PageKey, QuestionKey, QuestionKind, Submission, Walk, answers_before,
    carry_over, shown_questions, submission_reference, walk,
};
use send_domain::incoming_forms::Processing;
use send_domain::{
    Account, AccountKind, Actor, AuditAction, AuditEvent, AuditOutcome, Child, ChildId, FormId,
    PortalAction, PortalRole, SubmissionId, UserId,
};
use send_store::{Changes, Effects, Write};
use time::OffsetDateTime;

use crate::audit::Source;
use crate::files::UploadProblem;
use crate::ids::new_uuid;
use crate::messages::Upload;
use crate::{App, AppError, AppResult};

/// Which form, for which child (none for a form that stands alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub form: FormId,
    pub child: Option<ChildId>,
}

/// A form being filled in: the live version, the person's answers (moved to
/// that version if they were saved against an older one) and their route.
#[derive(Debug, Clone)]
pub struct Filling {
    pub target: Target,
    pub child: Option<Child>,
    pub version: FormVersion,
    pub answers: Answers,
    pub walk: Walk,
    /// When the answers were last saved (none before the first page).
    pub saved_at: Option<OffsetDateTime>,
    pub started_at: Option<OffsetDateTime>,
    /// The text of questions added since the person's answers were saved.
    pub new_questions: Vec<String>,
    pub assignment: Option<FormAssignment>,
    /// The request for advice this form answers, when the person fills it in
    /// because they were asked for advice (they need no link to the child).
    pub advice: Option<send_domain::AdviceRequestId>,
}

impl Filling {
    /// The page with this key, if it is one the person may open now.
    pub fn open_page(&self, key: &PageKey) -> Option<usize> {
        let (index, _) = self.version.definition.page(key)?;
        self.walk.may_open(index).then_some(index)
    }

    /// The answers before a page (what its conditions test).
    pub fn earlier(&self, index: usize) -> Answers {
        answers_before(&self.version.definition, &self.answers, index)
    }
}

/// A form that stands alone (not about one child), offered on the portal home.
#[derive(Debug, Clone)]
pub struct HomeForm {
    pub form_id: FormId,
    pub title: String,
    pub description: String,
    /// When the person last saved answers to it, if they have started.
    pub saved_at: Option<OffsetDateTime>,
}

/// Why a form could not be submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitProblem {
    /// A page on the route still needs answers: go there.
    NotFinished(PageKey),
}

/// The audience an account fills in forms as.
fn audience_of(account: &Account) -> Option<Audience> {
    match account.kind {
        AccountKind::Citizen => Some(Audience::Families),
        AccountKind::Professional => Some(Audience::Professionals),
        AccountKind::Staff => None,
    }
}

/// The assignment of this form to this child that includes the person, if any:
/// an outstanding action first.
pub(crate) fn assignment_for(
    assignments: &[FormAssignment],
    form: FormId,
    person: UserId,
    role: PortalRole,
) -> Option<FormAssignment> {
    let mut theirs: Vec<&FormAssignment> = assignments
        .iter()
        .filter(|a| a.form_id == form && a.withdrawn_at.is_none())
        .filter(|a| a.to.includes(person, role))
        .collect();
    theirs.sort_by_key(|a| (a.completed_by.is_some(), a.due.is_none(), a.due));
    theirs.first().map(|a| (*a).clone())
}

impl App {
    fn form_event(
        &self,
        account: &Account,
        action: AuditAction,
        outcome: AuditOutcome,
        target: Target,
        source: &Source,
    ) -> AuditEvent {
        let mut event = self.audit_event(Actor::User(account.id), action, outcome, source);
        event.child_id = target.child;
        event.subject = Some(format!("form:{}", target.form));
        event
    }

    async fn refuse_form<T>(
        &self,
        account: &Account,
        target: Target,
        action: AuditAction,
        why: &str,
        source: &Source,
    ) -> AppResult<T> {
        let mut event = self.form_event(account, action, AuditOutcome::Refused, target, source);
        event.detail = Some(why.to_owned());
        self.store.record_audit_event(&event).await?;
        Err(AppError::NotFound)
    }

    /// The check every filling request makes: the form is live, for the
    /// person's audience, and (for a child's form) their link is active and the
    /// form was given to them. Anything else is an audited 404.
    async fn may_fill(
        &self,
        account: &Account,
        target: Target,
        action: AuditAction,
        source: &Source,
    ) -> AppResult<(
        FormVersion,
        Option<Child>,
        Option<FormAssignment>,
        Option<send_domain::AdviceRequestId>,
    )> {
        let form = self.store.form(target.form).await?;
        let live = match form.as_ref().filter(|f| f.retired_at.is_none()) {
            Some(form) => match form.live_version {
                Some(n) => self.store.form_version(form.id, n).await?,
                None => None,
            },
            None => None,
        };
        let Some(version) = live else {
            return self
                .refuse_form(account, target, action, "not a live form", source)
                .await;
        };
        let definition = &version.definition;
        if !audience_of(account).is_some_and(|a| definition.audiences.contains(&a)) {
            return self
                .refuse_form(
                    account,
                    target,
                    action,
                    "not for this person's audience",
                    source,
                )
                .await;
        }
        match (definition.about_a_child, target.child) {
            (false, None) => Ok((version, None, None, None)),
            (true, Some(child_id)) => {
                // Someone asked for advice by this form answers it without a
                // link to the child: the request is their access, to this form only.
                if let Some(request) = self
                    .advice_to_answer(account.id, child_id, target.form)
                    .await?
                {
                    let child = self
                        .store
                        .child(child_id)
                        .await?
                        .ok_or(AppError::NotFound)?;
                    return Ok((version, Some(child), None, Some(request.id)));
                }
                let (child, link) = self
                    .authorise_portal(
                        account.id,
                        PortalAction::CompleteForm,
                        child_id,
                        action,
                        source,
                    )
                    .await?;
                let assignments = self
                    .store
                    .form_assignments_for_children(&[child.id])
                    .await?;
                match assignment_for(&assignments, target.form, account.id, link.role) {
                    Some(assignment) => Ok((version, Some(child), Some(assignment), None)),
                    None => {
                        self.refuse_form(
                            account,
                            target,
                            action,
                            "not given to this person",
                            source,
                        )
                        .await
                    }
                }
            }
            _ => {
                self.refuse_form(
                    account,
                    target,
                    action,
                    "form and child do not go together",
                    source,
                )
                .await
            }
        }
    }

    /// The person's form as it stands, without auditing (the caller audits).
    async fn filling(
        &self,
        account: &Account,
        target: Target,
        action: AuditAction,
        source: &Source,
    ) -> AppResult<(Filling, Option<FormDraft>)> {
        let (version, child, assignment, advice) =
            self.may_fill(account, target, action, source).await?;
        let draft = self
            .store
            .form_draft(target.form, target.child, account.id)
            .await?;
        let today = self.today();
        let (answers, new_questions) = match &draft {
            None => (Answers::default(), Vec::new()),
            Some(d) if d.version_number == version.number => (d.answers.clone(), Vec::new()),
            Some(d) => {
                let old = self
                    .store
                    .form_version(target.form, d.version_number)
                    .await?;
                match old {
                    Some(old) => {
                        let carried =
                            carry_over(&d.answers, &old.definition, &version.definition, today);
                        let texts = carried
                            .new_questions
                            .iter()
                            .filter_map(|k| version.definition.question(k))
                            .map(|(_, q)| q.text.clone())
                            .collect();
                        (carried.answers, texts)
                    }
                    None => (Answers::default(), Vec::new()),
                }
            }
        };
        let walked = walk(&version.definition, &answers);
        Ok((
            Filling {
                target,
                child,
                walk: walked,
                answers,
                saved_at: draft.as_ref().map(|d| d.saved_at),
                started_at: draft.as_ref().map(|d| d.started_at),
                new_questions,
                version,
                assignment,
                advice,
            },
            draft,
        ))
    }

    /// Opens a form to fill in or to continue (audited as an open).
    #[tracing::instrument(skip_all, fields(account_id = %account.id, form_id = %target.form))]
    pub async fn open_form(
        &self,
        account: &Account,
        target: Target,
        page: Option<&PageKey>,
        source: &Source,
    ) -> AppResult<Filling> {
        let (filling, _) = self
            .filling(account, target, AuditAction::FormOpened, source)
            .await?;
        let mut event = self.form_event(
            account,
            AuditAction::FormOpened,
            AuditOutcome::Succeeded,
            target,
            source,
        );
        event.detail = Some(format!(
            "version {}{}",
            filling.version.number,
            page.map(|p| format!(", page {p}")).unwrap_or_default()
        ));
        self.store.record_audit_event(&event).await?;
        Ok(filling)
    }

    /// Saves the person's answers (one commit with its audit event).
    async fn save_answers(
        &self,
        account: &Account,
        filling: &Filling,
        answers: Answers,
        detail: String,
        source: &Source,
    ) -> AppResult<Filling> {
        let now = self.clock.now();
        let draft = FormDraft {
            form_id: filling.target.form,
            child_id: filling.target.child,
            author: account.id,
            version_number: filling.version.number,
            answers: answers.clone(),
            assignment_id: filling.assignment.as_ref().map(|a| a.id),
            started_at: filling.started_at.unwrap_or(now),
            saved_at: now,
        };
        let mut event = self.form_event(
            account,
            AuditAction::FormAnswersSaved,
            AuditOutcome::Succeeded,
            filling.target,
            source,
        );
        event.detail = Some(detail);
        self.store
            .commit(
                &Changes::new()
                    .with(Write::SaveFormDraft(draft))
                    .with_audit(event),
            )
            .await?;
        let mut saved = filling.clone();
        saved.walk = walk(&saved.version.definition, &answers);
        saved.answers = answers;
        saved.saved_at = Some(now);
        saved.started_at = Some(filling.started_at.unwrap_or(now));
        saved.new_questions.clear();
        Ok(saved)
    }

    /// Answers one page: every question shown on it is read from the fields;
    /// any error and nothing is saved.
    #[tracing::instrument(skip_all, fields(account_id = %account.id, form_id = %target.form))]
    pub async fn save_form_page(
        &self,
        account: &Account,
        target: Target,
        page: &PageKey,
        fields: &Fields,
        source: &Source,
    ) -> AppResult<Result<Filling, Vec<FieldError>>> {
        let (filling, _) = self
            .filling(account, target, AuditAction::FormAnswersSaved, source)
            .await?;
        let Some(index) = filling.open_page(page) else {
            return Err(AppError::NotFound);
        };
        let earlier = filling.earlier(index);
        let today = self.today();
        let mut answers = filling.answers.clone();
        let mut errors = Vec::new();
        for question in shown_questions(&filling.version.definition.pages[index], &earlier) {
            match &question.kind {
                QuestionKind::FileUpload { .. } | QuestionKind::Repeating { .. } => {
                    let held = answers
                        .get(&question.key)
                        .filter(|a| **a != Answer::NotAnswered);
                    match question.check_held(held) {
                        Err(e) => errors.push(e),
                        Ok(()) if held.is_none() => {
                            let empty = match question.kind {
                                QuestionKind::Repeating { .. } => Answer::Items(Vec::new()),
                                _ => Answer::NotAnswered,
                            };
                            answers.set(question.key.clone(), Some(empty));
                        }
                        Ok(()) => {}
                    }
                }
                _ => match question.read(fields, today) {
                    Ok(answer) => {
                        answers.set(
                            question.key.clone(),
                            Some(answer.unwrap_or(Answer::NotAnswered)),
                        );
                    }
                    Err(e) => errors.push(e),
                },
            }
        }
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        if answers == filling.answers
            && filling.saved_at.is_some()
            && filling.new_questions.is_empty()
        {
            // Nothing changed: no write.
            return Ok(Ok(filling));
        }
        let saved = self
            .save_answers(account, &filling, answers, format!("page {page}"), source)
            .await?;
        Ok(Ok(saved))
    }

    /// A question of a page the person may open, by key.
    fn question_on_route<'a>(
        filling: &'a Filling,
        key: &QuestionKey,
    ) -> AppResult<&'a send_domain::forms::Question> {
        let (index, question) = filling
            .version
            .definition
            .question(key)
            .ok_or(AppError::NotFound)?;
        if !filling.walk.may_open(index) {
            return Err(AppError::NotFound);
        }
        Ok(question)
    }

    /// Adds a file to a file upload question: checked like every upload, of a
    /// kind the question allows, within the form's size and the question's count.
    #[tracing::instrument(skip_all, fields(account_id = %account.id, form_id = %target.form))]
    pub async fn add_form_file(
        &self,
        account: &Account,
        target: Target,
        question: &QuestionKey,
        upload: Upload,
        source: &Source,
    ) -> AppResult<Result<Filling, FieldError>> {
        let (filling, _) = self
            .filling(account, target, AuditAction::FormAnswersSaved, source)
            .await?;
        let asked = Self::question_on_route(&filling, question)?;
        let QuestionKind::FileUpload { max_files, kinds } = &asked.kind else {
            return Err(AppError::NotFound);
        };
        let refuse = |message: String| FieldError {
            field: question.as_str().to_owned(),
            message,
        };
        let mut files = match filling.answers.get(question) {
            Some(Answer::Files(files)) => files.clone(),
            _ => Vec::new(),
        };
        if files.len() >= usize::from(*max_files) {
            return Ok(Err(refuse(format!(
                "You can upload at most {max_files} {} – remove one first",
                if *max_files == 1 { "file" } else { "files" }
            ))));
        }
        let limit = u64::from(filling.version.definition.uploads.max_mib) * 1024 * 1024;
        if upload.bytes.len() as u64 > limit {
            return Ok(Err(refuse(format!(
                "The selected file must be smaller than {}MB",
                filling.version.definition.uploads.max_mib
            ))));
        }
        let stored = self
            .files
            .check_and_store(&upload.name, &upload.bytes, self.clock.now())
            .await
            .map_err(AppError::internal_with("storing a form upload"))?;
        let file = match stored {
            Ok(file) => file,
            Err(problem) => {
                let mut event = self.form_event(
                    account,
                    AuditAction::UploadRefused,
                    AuditOutcome::Refused,
                    target,
                    source,
                );
                event.detail = Some(format!("{problem:?}"));
                self.store.record_audit_event(&event).await?;
                return Ok(Err(refuse(upload_message(&problem))));
            }
        };
        if !kinds.is_empty() && !kinds.contains(&file.kind) {
            let _ = self.files.delete(&file.key).await;
            let allowed: Vec<&str> = kinds.iter().map(|k| k.label()).collect();
            return Ok(Err(refuse(format!(
                "The selected file must be a {}",
                allowed.join(" or ")
            ))));
        }
        files.push(file.clone());
        let mut answers = filling.answers.clone();
        answers.set(question.clone(), Some(Answer::Files(files)));
        match self
            .save_answers(
                account,
                &filling,
                answers,
                format!("file added to {question}"),
                source,
            )
            .await
        {
            Ok(saved) => Ok(Ok(saved)),
            Err(err) => {
                let _ = self.files.delete(&file.key).await;
                Err(err)
            }
        }
    }

    /// Removes a file (by position) from a file upload question.
    #[tracing::instrument(skip_all, fields(account_id = %account.id, form_id = %target.form))]
    pub async fn remove_form_file(
        &self,
        account: &Account,
        target: Target,
        question: &QuestionKey,
        position: usize,
        source: &Source,
    ) -> AppResult<Filling> {
        let (filling, _) = self
            .filling(account, target, AuditAction::FormAnswersSaved, source)
            .await?;
        Self::question_on_route(&filling, question)?;
        let Some(Answer::Files(mut files)) = filling.answers.get(question).cloned() else {
            return Err(AppError::NotFound);
        };
        if position >= files.len() {
            return Err(AppError::NotFound);
        }
        let removed = files.remove(position);
        let mut answers = filling.answers.clone();
        answers.set(
            question.clone(),
            (!files.is_empty()).then_some(Answer::Files(files)),
        );
        let saved = self
            .save_answers(
                account,
                &filling,
                answers,
                format!("file removed from {question}"),
                source,
            )
            .await?;
        let _ = self.files.delete(&removed.key).await;
        Ok(saved)
    }

    /// Adds an item to a repeating group (`item` none) or changes one: each
    /// question of the group is read from the fields.
    #[tracing::instrument(skip_all, fields(account_id = %account.id, form_id = %target.form))]
    pub async fn save_form_item(
        &self,
        account: &Account,
        target: Target,
        question: &QuestionKey,
        item: Option<usize>,
        fields: &Fields,
        source: &Source,
    ) -> AppResult<Result<Filling, Vec<FieldError>>> {
        let (filling, _) = self
            .filling(account, target, AuditAction::FormAnswersSaved, source)
            .await?;
        let asked = Self::question_on_route(&filling, question)?;
        let QuestionKind::Repeating {
            questions,
            max_items,
            item: item_name,
            ..
        } = &asked.kind
        else {
            return Err(AppError::NotFound);
        };
        let mut items = match filling.answers.get(question) {
            Some(Answer::Items(items)) => items.clone(),
            _ => Vec::new(),
        };
        if item.is_some_and(|i| i >= items.len()) {
            return Err(AppError::NotFound);
        }
        if item.is_none() && items.len() >= usize::from(*max_items) {
            return Ok(Err(vec![FieldError {
                field: questions
                    .first()
                    .map(|q| q.key.as_str().to_owned())
                    .unwrap_or_default(),
                message: format!(
                    "You can add at most {max_items} – you cannot add another {item_name}"
                ),
            }]));
        }
        let today = self.today();
        let mut answers = Answers::default();
        let mut errors = Vec::new();
        for inner in questions {
            match inner.read(fields, today) {
                Ok(answer) => answers.set(
                    inner.key.clone(),
                    Some(answer.unwrap_or(Answer::NotAnswered)),
                ),
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        match item {
            Some(i) => items[i] = answers,
            None => items.push(answers),
        }
        let mut all = filling.answers.clone();
        all.set(question.clone(), Some(Answer::Items(items)));
        let saved = self
            .save_answers(
                account,
                &filling,
                all,
                format!("item saved in {question}"),
                source,
            )
            .await?;
        Ok(Ok(saved))
    }

    /// Removes an item (by position) from a repeating group.
    #[tracing::instrument(skip_all, fields(account_id = %account.id, form_id = %target.form))]
    pub async fn remove_form_item(
        &self,
        account: &Account,
        target: Target,
        question: &QuestionKey,
        item: usize,
        source: &Source,
    ) -> AppResult<Filling> {
        let (filling, _) = self
            .filling(account, target, AuditAction::FormAnswersSaved, source)
            .await?;
        Self::question_on_route(&filling, question)?;
        let Some(Answer::Items(mut items)) = filling.answers.get(question).cloned() else {
            return Err(AppError::NotFound);
        };
        if item >= items.len() {
            return Err(AppError::NotFound);
        }
        items.remove(item);
        let mut answers = filling.answers.clone();
        answers.set(question.clone(), Some(Answer::Items(items)));
        self.save_answers(
            account,
            &filling,
            answers,
            format!("item removed from {question}"),
            source,
        )
        .await
    }

    /// Where a form that stands alone arrives in the processing area: matched
    /// to the best candidate for the child's details it gives (unless another
    /// is as likely), or in suspense.
    pub(crate) async fn arrival(
        &self,
        answers: &send_domain::forms::Answers,
    ) -> AppResult<Processing> {
        let submitted = send_domain::incoming_forms::submitted_child(answers);
        if !submitted.is_searchable() {
            return Ok(Processing::arrived(None));
        }
        let best: Vec<_> = self
            .match_candidates(&submitted.details, 2)
            .await?
            .into_iter()
            .map(|c| (c.child.id, c.result))
            .collect();
        Ok(Processing::arrived_among(&best))
    }

    /// Submits the answers on the route (only those), pinned to the version
    /// answered; completes the action it was sent as; sends a receipt with the
    /// reference (never the answers). One commit.
    #[tracing::instrument(skip_all, fields(account_id = %account.id, form_id = %target.form))]
    pub async fn submit_form(
        &self,
        account: &Account,
        target: Target,
        source: &Source,
    ) -> AppResult<Result<Submission, SubmitProblem>> {
        let (filling, draft) = self
            .filling(account, target, AuditAction::FormSubmitted, source)
            .await?;
        let definition = &filling.version.definition;
        if let Next::Page(index) = filling.walk.next {
            return Ok(Err(SubmitProblem::NotFinished(
                definition.pages[index].key.clone(),
            )));
        }
        if draft.is_none() {
            return Err(AppError::NotFound);
        }
        let processing = match target.child {
            Some(child) => Processing::on_record(child),
            None => self.arrival(&filling.walk.answers).await?,
        };
        let now = self.clock.now();
        let mut bytes = [0_u8; 8];
        rand::rng().fill_bytes(&mut bytes);
        let submission = Submission {
            id: SubmissionId::from_uuid(new_uuid(self.clock.as_ref())),
            reference: submission_reference(bytes),
            form_id: target.form,
            version_number: filling.version.number,
            title: definition.title.clone(),
            child_id: target.child,
            assignment_id: filling.assignment.as_ref().map(|a| a.id),
            submitted_by: account.id,
            answers: filling.walk.answers.clone(),
            submitted_at: now,
            processing,
        };
        let mut event = self.form_event(
            account,
            AuditAction::FormSubmitted,
            AuditOutcome::Succeeded,
            target,
            source,
        );
        event.detail = Some(format!(
            "{} version {}: {}",
            definition.title, filling.version.number, submission.reference
        ));
        let about = filling
            .child
            .as_ref()
            .map(|c| format!(" about {}", crate::messages::first_name(c)))
            .unwrap_or_default();
        let receipt = self.council_email(
            &*self.texts().await?,
            "form_receipt",
            account.email.clone(),
            Some(account.name.clone()),
            &[
                ("form_title", definition.title.as_str()),
                ("about_child", about.as_str()),
                ("reference", submission.reference.as_str()),
            ],
        );
        let mut changes = Changes::new()
            .with(Write::InsertSubmission(submission.clone()))
            .with(Write::DeleteFormDraft {
                form: target.form,
                child: target.child,
                author: account.id,
            })
            .with_effects(Effects::audit(event).with_email(receipt));
        if let Some(assignment) = &filling.assignment {
            changes.push(Write::CompleteFormAssignment {
                id: assignment.id,
                submission: submission.id,
            });
        }
        if let Some(child) = &filling.child {
            changes.push(Write::AddChronologyEntry(self.chronology_entry(
                child.id,
                account.id,
                "form.submitted",
                format!(
                    "{} submitted by {} (reference {})",
                    definition.title, account.name, submission.reference
                ),
                None,
            )));
        }
        if let (Some(child), Some(_)) = (&filling.child, filling.advice) {
            changes = changes.with_changes(
                self.advice_answered_by(account.id, child.id, &submission, source)
                    .await?,
            );
        }
        self.store.commit(&changes).await?;
        Ok(Ok(submission))
    }

    /// The forms that stand alone for the person's audience (a request for an
    /// assessment), with when they last saved answers to each.
    #[tracing::instrument(skip_all, fields(account_id = %account.id))]
    pub async fn portal_home_forms(&self, account: &Account) -> AppResult<Vec<HomeForm>> {
        let Some(audience) = audience_of(account) else {
            return Ok(Vec::new());
        };
        let drafts = self.store.form_drafts_by(account.id).await?;
        Ok(self
            .store
            .live_form_versions()
            .await?
            .into_iter()
            .filter(|v| !v.definition.about_a_child && v.definition.audiences.contains(&audience))
            .map(|v| HomeForm {
                saved_at: drafts
                    .iter()
                    .find(|d| d.form_id == v.form_id && d.child_id.is_none())
                    .map(|d| d.saved_at),
                form_id: v.form_id,
                title: v.definition.title,
                description: v.definition.description,
            })
            .collect())
    }

    /// "What happens next" of the version a submission answered.
    pub async fn submitted_form_next_steps(&self, submission: &Submission) -> AppResult<String> {
        Ok(self
            .store
            .form_version(submission.form_id, submission.version_number)
            .await?
            .map(|v| v.definition.next_steps)
            .unwrap_or_default())
    }

    /// A submission of the person's own, for its confirmation page.
    #[tracing::instrument(skip_all, fields(account_id = %account.id, submission_id = %id))]
    pub async fn own_submission(
        &self,
        account: &Account,
        id: SubmissionId,
    ) -> AppResult<Submission> {
        match self.store.submission(id).await? {
            Some(s) if s.submitted_by == account.id => Ok(s),
            _ => Err(AppError::NotFound),
        }
    }
}

/// The message for a refused upload, as the file upload pattern words it.
fn upload_message(problem: &UploadProblem) -> String {
    problem.to_string()
}

/// Whether an assignment is to this person in particular (for lists).
pub fn named(assignment: &FormAssignment, account: &Account) -> bool {
    matches!(assignment.to, AssignedTo::Person(p) if p == account.id)
}
