//! Requests for advice (DESIGN NTF-1): the SEND team records each request on an
//! involvement; the person asked sees it in the portal and answers it (by upload
//! here, or by the advice form); the family sees which advice is awaited and which
//! has arrived. Reminders and overdue alerts are jobs (`reminders`).
//!
//! Who may do what:
//! - staff: record, mark received, withdraw: "edit" on the child's case; list: "view";
//! - the person asked (a portal account): open and answer that one request while
//!   it is awaited, and nothing else of the child's case;
//! - the family (an active portal link): see each request's kind and status, never
//!   its content.

use send_domain::advice::{
    AdviceError, AdviceKind, AdviceRequest, AdviceStatus, AnswerBy, due_date,
};
use send_domain::dates::{long_date, uk_date};
use send_domain::staff::CaseAction;
use send_domain::{
    AccountKind, Actor, AdviceRequestId, AuditAction, AuditEvent, AuditOutcome, Child, Document,
    DocumentId, DocumentKind, Email, InvolvementId, Sharing, ShortText, StaffAccess, UserId,
};
use send_store::{Changes, Effects, Write};
use time::Date;

use crate::audit::Source;
use crate::files::UploadProblem;
use crate::ids::new_uuid;
use crate::messages::Upload;
use crate::{App, AppError, AppResult};

pub mod links;
pub mod reminders;

/// The built-in form professionals answer by.
pub const ADVICE_FORM: &str = "professional_advice";

/// What the SEND team records.
#[derive(Debug, Clone)]
pub struct NewAdviceRequest {
    pub kind: AdviceKind,
    pub recipient: ShortText,
    pub email: Option<Email>,
    pub answer_by: AnswerBy,
    pub sent_on: Date,
}

/// Why a request could not be recorded, for the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RecordProblem {
    #[error("The date the request was sent must be today or in the past")]
    SentInFuture,
    #[error("The date the request was sent must be on or after the involvement started")]
    BeforeInvolvement,
    #[error("This involvement is closed: advice can only be requested on an open one")]
    Closed,
}

/// A request with what a page needs beside it.
#[derive(Debug, Clone)]
pub struct AdviceLine {
    pub request: AdviceRequest,
    /// Days to the due date (negative once overdue).
    pub days_left: i64,
    pub overdue: bool,
}

/// A request addressed to a portal user, with the child it is about (their name
/// and date of birth, so the person knows whom it concerns; nothing else).
#[derive(Debug, Clone)]
pub struct AdviceForYou {
    pub line: AdviceLine,
    pub child_name: String,
    pub child_date_of_birth: Date,
}

impl App {
    pub(crate) fn advice_line(&self, request: AdviceRequest) -> AdviceLine {
        let today = uk_date(self.clock.now());
        AdviceLine {
            days_left: request.days_left(today),
            overdue: request.is_overdue(today),
            request,
        }
    }

    fn advice_event(
        &self,
        actor: Actor,
        action: AuditAction,
        outcome: AuditOutcome,
        request: &AdviceRequest,
        source: &Source,
    ) -> AuditEvent {
        let mut event = self.audit_event(actor, action, outcome, source);
        event.child_id = Some(request.child_id);
        event.subject = Some(format!("advice_request:{}", request.id));
        event
    }

    /// Records a request for advice on an involvement: the request, its reminder
    /// and overdue jobs, the chronology entry, the audit event and the email to the
    /// person asked, in one commit.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, involvement_id = %id))]
    pub async fn request_advice(
        &self,
        access: &StaffAccess,
        id: InvolvementId,
        new: NewAdviceRequest,
        source: &Source,
    ) -> AppResult<Result<AdviceRequest, RecordProblem>> {
        let (child, involvement) = self
            .authorise_involvement(access, CaseAction::Edit, id, source)
            .await?;
        let now = self.clock.now();
        if involvement.stage.is_closed() {
            return Ok(Err(RecordProblem::Closed));
        }
        if new.sent_on > uk_date(now) {
            return Ok(Err(RecordProblem::SentInFuture));
        }
        if new.sent_on < uk_date(involvement.opened_at).min(involvement.stage_since) {
            return Ok(Err(RecordProblem::BeforeInvolvement));
        }
        let calendar = self.working_calendar().await?;
        let answerer = match &new.email {
            Some(email) => self
                .store
                .account_by_email(email)
                .await?
                .filter(|account| account.kind != AccountKind::Staff)
                .map(|account| account.id),
            None => None,
        };
        let form = match new.answer_by {
            AnswerBy::Form => self
                .store
                .form_by_builtin(ADVICE_FORM)
                .await?
                .map(|form| form.id),
            AnswerBy::Upload => None,
        };
        let mut request = AdviceRequest {
            id: AdviceRequestId::from_uuid(new_uuid(self.clock.as_ref())),
            child_id: child.id,
            involvement_id: involvement.id,
            kind: new.kind,
            recipient: new.recipient,
            email: new.email,
            professional: answerer,
            answer_by: new.answer_by,
            form,
            sent_on: new.sent_on,
            due_on: due_date(new.sent_on, &calendar),
            status: AdviceStatus::Awaited,
            link: None,
            requested_by: access.account_id,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        // Someone without a portal account at that address gets a single-use link.
        let token = if request.email.is_some() && request.professional.is_none() {
            let (token, link) = links::new_advice_link(&request);
            request.link = Some(link);
            Some(token)
        } else {
            None
        };
        let entry = self.chronology_entry(
            child.id,
            access.account_id,
            "advice.requested",
            format!(
                "{} requested from {} on {}, due by {}",
                request.kind.label(),
                request.recipient,
                long_date(request.sent_on),
                long_date(request.due_on)
            ),
            None,
        );
        let mut changes = Changes::new()
            .with(Write::InsertAdviceRequest(request.clone()))
            .with(Write::AddChronologyEntry(entry))
            .with_audit(self.advice_event(
                Actor::User(access.account_id),
                AuditAction::AdviceRequested,
                AuditOutcome::Succeeded,
                &request,
                source,
            ));
        for job in self.advice_jobs(&request).await? {
            changes.push(Write::InsertJob(job));
        }
        if let Some(email) = self.advice_request_email(&request, token.as_ref()).await? {
            changes = changes.with_email(email);
        }
        self.store.commit(&changes).await?;
        Ok(Ok(request))
    }

    /// The email telling the person asked: what kind of advice, by when, and where
    /// to give it. Nothing about the child.
    async fn advice_request_email(
        &self,
        request: &AdviceRequest,
        token: Option<&crate::tokens::SecretToken>,
    ) -> AppResult<Option<send_domain::OutgoingEmail>> {
        let Some(to) = request.email.clone() else {
            return Ok(None);
        };
        let name = match request.professional {
            Some(id) => self.store.account_by_id(id).await?.map(|a| a.name),
            None => None,
        };
        let how_to_answer = self.where_to_answer(request, token).join("\n\n");
        let advice_kind = request.kind.label().to_lowercase();
        let due_date = long_date(request.due_on);
        Ok(Some(self.council_email(
            &*self.texts().await?,
            "advice_request",
            to,
            name,
            &[
                ("advice_kind", advice_kind.as_str()),
                ("due_date", due_date.as_str()),
                ("how_to_answer", how_to_answer.as_str()),
            ],
        )))
    }

    /// Where the person asked gives their advice: their portal, or a
    /// single-use link to sign in or register and answer.
    pub(crate) fn where_to_answer(
        &self,
        request: &AdviceRequest,
        token: Option<&crate::tokens::SecretToken>,
    ) -> Vec<String> {
        match (request.professional, token) {
            (Some(_), _) => vec![format!(
                "Sign in to the SEND portal to see the request and give your advice: {}",
                self.link(&format!("/advice/{}", request.id))
            )],
            (None, Some(token)) => {
                let expires = request
                    .link
                    .as_ref()
                    .map(|link| long_date(uk_date(link.expires_at)))
                    .unwrap_or_default();
                vec![
                    format!(
                        "Give your advice through the SEND portal with this link: {}",
                        self.link(&format!("/advice/link/{}", token.expose()))
                    ),
                    format!(
                        "You will be asked to sign in, or to create a professional account if \
                         you do not have one. The link works once, until {expires}, and shows \
                         you only this request."
                    ),
                ]
            }
            (None, None) => vec![
                "Please send your advice to the SEND team, or contact them if you cannot give \
                 it in time."
                    .to_owned(),
            ],
        }
    }

    /// An involvement's requests for its page (after the caller's access check).
    pub async fn advice_on_involvement(&self, id: InvolvementId) -> AppResult<Vec<AdviceLine>> {
        Ok(self
            .store
            .advice_requests_of_involvement(id)
            .await?
            .into_iter()
            .map(|request| self.advice_line(request))
            .collect())
    }

    /// A child's requests, for the family's SEND Dashboard (after the caller's
    /// access check): kinds and statuses only.
    pub async fn advice_of_child(&self, child: send_domain::ChildId) -> AppResult<Vec<AdviceLine>> {
        Ok(self
            .store
            .advice_requests_of_child(child)
            .await?
            .into_iter()
            .filter(|request| !matches!(request.status, AdviceStatus::Withdrawn { .. }))
            .map(|request| self.advice_line(request))
            .collect())
    }

    /// "Advice requested from you": the awaited requests addressed to this
    /// portal account, soonest due first, with whom each is about.
    #[tracing::instrument(skip_all, fields(account_id = %account))]
    pub async fn advice_requested_from(&self, account: UserId) -> AppResult<Vec<AdviceForYou>> {
        let requests = self.store.advice_requests_to(account).await?;
        let mut lines = Vec::with_capacity(requests.len());
        for request in requests {
            let Some(child) = self.store.child(request.child_id).await? else {
                continue;
            };
            lines.push(AdviceForYou {
                child_name: child_display_name(&child),
                child_date_of_birth: child.date_of_birth,
                line: self.advice_line(request),
            });
        }
        Ok(lines)
    }

    /// Opens one request as the person asked: refused (an audited 404) to anyone
    /// else, and once it is no longer awaited.
    #[tracing::instrument(skip_all, fields(account_id = %account, advice_request_id = %id))]
    pub async fn open_advice_request(
        &self,
        account: UserId,
        id: AdviceRequestId,
        source: &Source,
    ) -> AppResult<AdviceForYou> {
        let request = self.answerable(account, id, source).await?;
        let child = self
            .store
            .child(request.child_id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.store
            .record_audit_event(&self.advice_event(
                Actor::User(account),
                AuditAction::AdviceRequestViewed,
                AuditOutcome::Succeeded,
                &request,
                source,
            ))
            .await?;
        Ok(AdviceForYou {
            child_name: child_display_name(&child),
            child_date_of_birth: child.date_of_birth,
            line: self.advice_line(request),
        })
    }

    /// The awaited request for advice by `form` about `child` addressed to
    /// `account`, if there is one: it lets them fill in that form.
    pub(crate) async fn advice_to_answer(
        &self,
        account: UserId,
        child: send_domain::ChildId,
        form: send_domain::FormId,
    ) -> AppResult<Option<AdviceRequest>> {
        Ok(self
            .store
            .advice_requests_to(account)
            .await?
            .into_iter()
            .find(|request| {
                request.child_id == child
                    && request.answer_by == AnswerBy::Form
                    && request.form == Some(form)
                    && request.may_be_answered_by(account)
            }))
    }

    /// What answering a request for advice with a submitted form writes beside
    /// the submission: the request received, its reminders stopped (nothing if
    /// there is no such request awaited).
    pub(crate) async fn advice_answered_by(
        &self,
        account: UserId,
        child: send_domain::ChildId,
        submission: &send_domain::forms::Submission,
        source: &Source,
    ) -> AppResult<Changes> {
        let Some(request) = self
            .advice_to_answer(account, child, submission.form_id)
            .await?
        else {
            return Ok(Changes::new());
        };
        let now = self.clock.now();
        let mut received = request.clone();
        received
            .receive(uk_date(now), Some(submission.id), None, now)
            .map_err(|err| AppError::internal("receiving advice", err))?;
        self.received_changes(&request, received, Actor::User(account), source)
            .await
    }

    /// Whether a submission answered a request for advice (its sender then has
    /// no SEND Dashboard to go back to, only their home).
    pub async fn answered_advice(
        &self,
        submission: &send_domain::forms::Submission,
    ) -> AppResult<bool> {
        let Some(child) = submission.child_id else {
            return Ok(false);
        };
        Ok(self
            .store
            .advice_requests_of_child(child)
            .await?
            .iter()
            .any(|request| {
                matches!(
                    request.status,
                    AdviceStatus::Received {
                        submission: Some(id),
                        ..
                    } if id == submission.id
                )
            }))
    }

    /// The request, if `account` may answer it now; otherwise an audited 404.
    async fn answerable(
        &self,
        account: UserId,
        id: AdviceRequestId,
        source: &Source,
    ) -> AppResult<AdviceRequest> {
        let request = match self.store.advice_request(id).await {
            Ok(request) => Some(request),
            Err(send_store::StoreError::NotFound) => None,
            Err(err) => return Err(err.into()),
        };
        match request {
            Some(request) if request.may_be_answered_by(account) => Ok(request),
            other => {
                let mut event = self.audit_event(
                    Actor::User(account),
                    AuditAction::AdviceRequestViewed,
                    AuditOutcome::Refused,
                    source,
                );
                event.child_id = other.as_ref().map(|r| r.child_id);
                event.subject = Some(format!("advice_request:{id}"));
                self.store.record_audit_event(&event).await?;
                Err(AppError::NotFound)
            }
        }
    }

    /// The person asked answers by uploading a document: the document (not
    /// shared in the portal), the request received, its reminders cancelled, the
    /// chronology entry, the audit events and an email to the caseworker, in one
    /// commit.
    #[tracing::instrument(skip_all, fields(account_id = %account, advice_request_id = %id))]
    pub async fn answer_advice_by_upload(
        &self,
        account: UserId,
        id: AdviceRequestId,
        upload: Upload,
        source: &Source,
    ) -> AppResult<Result<DocumentId, UploadProblem>> {
        let request = self.answerable(account, id, source).await?;
        let stored = self
            .files
            .check_and_store(&upload.name, &upload.bytes, self.clock.now())
            .await
            .map_err(AppError::internal_with("storing advice"))?;
        let file = match stored {
            Ok(file) => file,
            Err(problem) => {
                let mut event = self.advice_event(
                    Actor::User(account),
                    AuditAction::UploadRefused,
                    AuditOutcome::Refused,
                    &request,
                    source,
                );
                event.detail = Some(format!("{problem:?}"));
                self.store.record_audit_event(&event).await?;
                return Ok(Err(problem));
            }
        };
        let now = self.clock.now();
        let description = ShortText::parse(request.kind.label(), "the description")
            .map_err(|err| AppError::internal("describing advice", err))?;
        let document = Document {
            id: DocumentId::from_uuid(new_uuid(self.clock.as_ref())),
            child_id: request.child_id,
            kind: DocumentKind::Advice,
            description,
            file,
            uploaded_by: account,
            uploaded_at: now,
            sharing: Sharing::NotShared,
            shared_at: None,
        };
        let mut received = request.clone();
        received
            .receive(uk_date(now), None, Some(document.id), now)
            .map_err(|err| AppError::internal("receiving advice", err))?;
        let mut changes = Changes::new()
            .with(Write::InsertDocument(document.clone()))
            .with_audit(self.advice_event(
                Actor::User(account),
                AuditAction::DocumentUploaded,
                AuditOutcome::Succeeded,
                &request,
                source,
            ));
        changes = changes.with_changes(
            self.received_changes(&request, received, Actor::User(account), source)
                .await?,
        );
        self.store.commit(&changes).await?;
        Ok(Ok(document.id))
    }

    /// What receiving a request writes: the request, its jobs cancelled, the
    /// chronology entry, the audit event and the caseworker's email.
    pub(crate) async fn received_changes(
        &self,
        before: &AdviceRequest,
        received: AdviceRequest,
        actor: Actor,
        source: &Source,
    ) -> AppResult<Changes> {
        let now = self.clock.now();
        let on = match received.status {
            AdviceStatus::Received { on, .. } => on,
            _ => uk_date(now),
        };
        let entry = send_store::ChronologyEntry {
            id: send_domain::ChronologyEntryId::from_uuid(new_uuid(self.clock.as_ref())),
            child_id: received.child_id,
            occurred_at: now,
            actor_id: match actor {
                Actor::User(id) => Some(id),
                _ => None,
            },
            kind: "advice.received".to_owned(),
            summary: format!(
                "{} received from {} on {}",
                received.kind.label(),
                received.recipient,
                long_date(on)
            ),
            note: None,
        };
        let mut changes = Changes::new()
            .with(Write::UpdateAdviceRequest {
                request: received.clone(),
                expected_version: before.version,
            })
            .with(Write::CancelJobs {
                subject: send_domain::jobs::advice_subject(received.id),
                at: now,
            })
            .with(Write::AddChronologyEntry(entry))
            .with_audit(self.advice_event(
                actor,
                AuditAction::AdviceReceived,
                AuditOutcome::Succeeded,
                &received,
                source,
            ));
        if let Some(email) = self.caseworker_email(&received, "advice_arrived").await? {
            changes = changes.with_email(email);
        }
        // The people linked to the child are told, as the council's
        // notification settings say, in the same commit.
        if let Some(child) = self.store.child(received.child_id).await? {
            let by = match actor {
                Actor::User(id) => Some(id),
                _ => None,
            };
            self.add_notifications(
                &mut changes,
                crate::notifications::Notice::new(
                    &child,
                    send_domain::notifications::NotificationEvent::AdviceReceived,
                    by,
                ),
            )
            .await?;
        }
        Ok(changes)
    }

    /// An email to the caseworker of the request's involvement, if it has one,
    /// linking to the involvement's page. No personal data.
    pub(crate) async fn caseworker_email(
        &self,
        request: &AdviceRequest,
        kind: &str,
    ) -> AppResult<Option<send_domain::OutgoingEmail>> {
        let Some(involvement) = self.store.involvement(request.involvement_id).await? else {
            return Ok(None);
        };
        let Some(caseworker) = involvement.caseworker_id else {
            return Ok(None);
        };
        let Some(account) = self.store.account_by_id(caseworker).await? else {
            return Ok(None);
        };
        let url = self.link(&format!(
            "/back-office/involvements/{}",
            request.involvement_id
        ));
        let due_date = long_date(request.due_on);
        Ok(Some(self.council_email(
            &*self.texts().await?,
            kind,
            account.email,
            Some(account.name),
            &[
                ("advice", request.kind.label()),
                ("due_date", due_date.as_str()),
                ("link", url.as_str()),
            ],
        )))
    }

    /// The SEND team records advice that arrived by post or email.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, advice_request_id = %id))]
    pub async fn record_advice_received(
        &self,
        access: &StaffAccess,
        id: AdviceRequestId,
        on: Date,
        seen_version: u32,
        source: &Source,
    ) -> AppResult<Result<(), AdviceError>> {
        let (_, request) = self.staff_request(access, id, source).await?;
        if request.version != seen_version {
            return Err(AppError::Changed);
        }
        if on > uk_date(self.clock.now()) {
            return Ok(Err(AdviceError::InFuture));
        }
        let mut received = request.clone();
        if let Err(refused) = received.receive(on, None, None, self.clock.now()) {
            return Ok(Err(refused));
        }
        let changes = self
            .received_changes(&request, received, Actor::User(access.account_id), source)
            .await?;
        self.store.commit(&changes).await?;
        Ok(Ok(()))
    }

    /// The SEND team withdraws a request: its reminders stop.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, advice_request_id = %id))]
    pub async fn withdraw_advice_request(
        &self,
        access: &StaffAccess,
        id: AdviceRequestId,
        reason: ShortText,
        seen_version: u32,
        source: &Source,
    ) -> AppResult<Result<(), AdviceError>> {
        let (_, request) = self.staff_request(access, id, source).await?;
        if request.version != seen_version {
            return Err(AppError::Changed);
        }
        let now = self.clock.now();
        let mut withdrawn = request.clone();
        if let Err(refused) = withdrawn.withdraw(reason.clone(), now) {
            return Ok(Err(refused));
        }
        let entry = self.chronology_entry(
            request.child_id,
            access.account_id,
            "advice.withdrawn",
            format!(
                "Request for {} from {} withdrawn",
                request.kind.label().to_lowercase(),
                request.recipient
            ),
            Some(reason.as_str().to_owned()),
        );
        let changes = Changes::new()
            .with(Write::UpdateAdviceRequest {
                request: withdrawn.clone(),
                expected_version: request.version,
            })
            .with(Write::CancelJobs {
                subject: send_domain::jobs::advice_subject(request.id),
                at: now,
            })
            .with(Write::AddChronologyEntry(entry))
            .with_effects(Effects::audit(self.advice_event(
                Actor::User(access.account_id),
                AuditAction::AdviceWithdrawn,
                AuditOutcome::Succeeded,
                &withdrawn,
                source,
            )));
        self.store.commit(&changes).await?;
        Ok(Ok(()))
    }

    /// A request, after checking the member of staff may change its child's case.
    pub async fn staff_request(
        &self,
        access: &StaffAccess,
        id: AdviceRequestId,
        source: &Source,
    ) -> AppResult<(Child, AdviceRequest)> {
        let request = match self.store.advice_request(id).await {
            Ok(request) => request,
            Err(send_store::StoreError::NotFound) => return Err(AppError::NotFound),
            Err(err) => return Err(err.into()),
        };
        let child = self
            .authorise_child(access, CaseAction::Edit, request.child_id, source)
            .await?;
        Ok((child, request))
    }

    /// How many requests are overdue on the children this member of staff may see,
    /// and how many of those on the involvements they hold, for the back office's
    /// home (counted from the indexed lookup, without reading each child). `None`
    /// for staff who may not view cases.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn overdue_advice_counts(
        &self,
        access: &StaffAccess,
    ) -> AppResult<Option<(usize, usize)>> {
        if !access.has(send_domain::Permission::ViewCases) {
            return Ok(None);
        }
        let team = match OverdueScope::of(access) {
            OverdueScope::Everyone => None,
            OverdueScope::Team(team) => Some(team),
            OverdueScope::Nobody => return Ok(Some((0, 0))),
        };
        let today = uk_date(self.clock.now());
        let all = self
            .store
            .overdue_advice(today, team, None, 200)
            .await?
            .len();
        let mine = self
            .store
            .overdue_advice(today, team, Some(access.account_id), 200)
            .await?
            .len();
        Ok(Some((all, mine)))
    }

    /// Overdue advice on the children this member of staff may see (only on the
    /// involvements they hold, if `mine`), most overdue first (not audited: it names no child's details beyond the list's own).
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn overdue_advice(
        &self,
        access: &StaffAccess,
        mine: bool,
    ) -> AppResult<Vec<(AdviceLine, Child)>> {
        let today = uk_date(self.clock.now());
        let team = match OverdueScope::of(access) {
            OverdueScope::Everyone => None,
            OverdueScope::Team(team) => Some(team),
            OverdueScope::Nobody => return Ok(Vec::new()),
        };
        let caseworker = mine.then_some(access.account_id);
        let requests = self
            .store
            .overdue_advice(today, team, caseworker, 200)
            .await?;
        let mut lines = Vec::with_capacity(requests.len());
        for request in requests {
            let Some(child) = self.store.child(request.child_id).await? else {
                continue;
            };
            if send_domain::staff::staff_may(access, CaseAction::View, child.team_id)
                != send_domain::staff::Decision::Allowed
            {
                continue;
            }
            lines.push((self.advice_line(request), child));
        }
        Ok(lines)
    }
}

/// Whose children's overdue advice a member of staff sees.
enum OverdueScope {
    /// Every team's.
    Everyone,
    /// Their own team's.
    Team(send_domain::TeamId),
    /// Nobody's: they have no team.
    Nobody,
}

impl OverdueScope {
    fn of(access: &StaffAccess) -> Self {
        match (
            access.has(send_domain::Permission::AllTeams),
            access.team_id,
        ) {
            (true, _) => Self::Everyone,
            (false, Some(team)) => Self::Team(team),
            (false, None) => Self::Nobody,
        }
    }
}

/// A child's name as the person asked for advice sees it.
fn child_display_name(child: &Child) -> String {
    child.display_name()
}
