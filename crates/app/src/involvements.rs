//! Involvements and caseloads: opening an assessment, plan or re-assessment,
//! moving it through its stages, recording exceptions, and the lists of open
//! cases with their next key date (DESIGN CASE-2, CASE-3, CASE-5).

use send_domain::dates::long_date;
use send_domain::involvements::{
    CeaseReason, Involvement, InvolvementKind, Requester, Review, Stage,
};
use send_domain::notifications::NotificationEvent;
use send_domain::timeline::{Exception, KeyDate, KeyDateStatus, RecordedException};
use send_domain::{
    Actor, AuditAction, AuditOutcome, CaseAction, Child, ChildId, InvolvementId, Permission,
    StaffAccess, TeamId, UserId,
};
use send_store::{CaseloadQuery, Changes, ChronologyEntry, Write};
use time::Date;

use crate::audit::Source;
use crate::ids::new_uuid;
use crate::notifications::Notice;
use crate::{App, AppError, AppResult};

/// An involvement with its key dates on today's date.
#[derive(Debug, Clone)]
pub struct InvolvementView {
    pub involvement: Involvement,
    pub key_dates: Vec<KeyDate>,
    /// Its requests for advice, in the order sent.
    pub advice: Vec<crate::advice::AdviceLine>,
}

/// What opening an involvement needs.
#[derive(Debug, Clone)]
pub struct NewInvolvement {
    pub child_id: ChildId,
    pub kind: InvolvementKind,
    /// The request received, the plan issued, or the decision to re-assess.
    pub start: Date,
    pub requested_by: Option<Requester>,
    pub caseworker: Option<UserId>,
}

/// A stage change as a caseworker records it.
#[derive(Debug, Clone)]
pub struct StageMove {
    pub to: Stage,
    pub on: Date,
    pub note: Option<String>,
    /// Needed when a plan ends.
    pub cease_reason: Option<CeaseReason>,
    /// The version of the involvement the person was shown: if someone else
    /// changed it since, nothing is written and the answer is `Changed`.
    pub seen_version: u32,
}

/// What a stage move would do, for the page that asks to confirm it.
#[derive(Debug, Clone)]
pub struct StagePreview {
    pub child: Child,
    /// The involvement as it is now.
    pub involvement: Involvement,
    pub to: Stage,
    pub on: Date,
    /// The key dates the move changes (met, started, no longer counted): as
    /// they are now and as they would be after it (`None`: the move's decision
    /// makes the deadline no longer apply).
    pub changed: Vec<(KeyDate, Option<KeyDate>)>,
}

/// Which caseload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Mine,
    Team,
}

/// Filters on a caseload (all of them must hold).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseloadFilter {
    pub stage: Option<Stage>,
    pub caseworker: Option<UserId>,
    pub due_within_7_days: bool,
    pub overdue: bool,
    pub with_exception: bool,
}

/// One open case in a caseload.
#[derive(Debug, Clone)]
pub struct CaseloadRow {
    pub child: Child,
    pub involvement: Involvement,
    /// The nearest key date not yet met or excused, if any.
    pub next: Option<KeyDate>,
    pub overdue: bool,
}

/// A caseload and its counts (before the filters, so the counts stay visible).
#[derive(Debug, Clone, Default)]
pub struct Caseload {
    pub rows: Vec<CaseloadRow>,
    /// Everyone with a case in the list before the filters (for the caseworker filter).
    pub caseworkers: Vec<UserId>,
    pub counts: CaseloadCounts,
}

/// How many open cases a caseload has, and how many of them need attention.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CaseloadCounts {
    pub total: usize,
    /// With their next key date in the next 7 days.
    pub due_soon: usize,
    /// With a missed deadline.
    pub overdue: usize,
    pub with_exception: usize,
}

impl CaseloadCounts {
    fn add(&mut self, case: &OpenCase) {
        self.total += 1;
        self.due_soon += usize::from(case.due_soon);
        self.overdue += usize::from(case.row.overdue);
        self.with_exception += usize::from(case.excepted);
    }
}

/// One open case, judged on today's date.
struct OpenCase {
    row: CaseloadRow,
    due_soon: bool,
    excepted: bool,
}

fn is_outstanding(key: &KeyDate) -> bool {
    matches!(
        key.status,
        KeyDateStatus::Upcoming | KeyDateStatus::DueSoon | KeyDateStatus::Missed { .. }
    )
}

impl App {
    pub(crate) fn today(&self) -> Date {
        self.clock.now().date()
    }

    fn involvement_event(
        &self,
        access: &StaffAccess,
        action: AuditAction,
        child: ChildId,
        involvement: InvolvementId,
        source: &Source,
    ) -> send_domain::AuditEvent {
        let mut event = self.audit_event(
            Actor::User(access.account_id),
            action,
            AuditOutcome::Succeeded,
            source,
        );
        event.child_id = Some(child);
        event.subject = Some(format!("involvement:{involvement}"));
        event
    }

    /// The involvement with its key dates today.
    #[tracing::instrument(skip_all, fields(involvement_id = %involvement.id))]
    pub async fn view_of(&self, involvement: Involvement) -> AppResult<InvolvementView> {
        let calendar = self.working_calendar().await?;
        let local = self.local_rules(involvement.kind).await?;
        let advice = self.advice_on_involvement(involvement.id).await?;
        Ok(self.view_from(involvement, &local, &calendar, advice))
    }

    /// The involvement with its key dates today, from what was read.
    pub(crate) fn view_from(
        &self,
        involvement: Involvement,
        local: &[send_domain::timeline::DeadlineRule],
        calendar: &send_domain::calendar::WorkingCalendar,
        advice: Vec<crate::advice::AdviceLine>,
    ) -> InvolvementView {
        let key_dates = involvement.key_dates(local, self.today(), calendar);
        InvolvementView {
            involvement,
            key_dates,
            advice,
        }
    }

    /// The child's involvements (a view of the child's record: the caller has
    /// opened it through `open_child`, which checks and audits).
    #[tracing::instrument(skip_all, fields(child_id = %child))]
    pub async fn involvements_of(&self, child: ChildId) -> AppResult<Vec<InvolvementView>> {
        let found = self.store.involvements_of_child(child).await?;
        let mut views = Vec::with_capacity(found.len());
        for involvement in found {
            views.push(self.view_of(involvement).await?);
        }
        Ok(views)
    }

    /// Opens an involvement on a child. Needs "edit cases" for the child.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, child_id = %new.child_id))]
    pub async fn open_involvement(
        &self,
        access: &StaffAccess,
        new: NewInvolvement,
        source: &Source,
    ) -> AppResult<InvolvementId> {
        self.authorise_child(access, CaseAction::Edit, new.child_id, source)
            .await?;
        let id = InvolvementId::from_uuid(new_uuid(self.clock.as_ref()));
        let mut involvement =
            Involvement::open(id, new.child_id, new.kind, new.start, self.clock.now());
        involvement.requested_by = new.requested_by;
        involvement.caseworker_id = new.caseworker;
        let entry = self.chronology_entry(
            new.child_id,
            access.account_id,
            "involvement.opened",
            format!(
                "{} opened ({} on {})",
                new.kind.label(),
                new.kind.start_event().label(),
                long_date(new.start)
            ),
            None,
        );
        let event = self.involvement_event(
            access,
            AuditAction::InvolvementOpened,
            new.child_id,
            id,
            source,
        );
        let review = self.review_due_job(&involvement).await?;
        let mut changes = Changes::new()
            .with(Write::InsertInvolvement(involvement))
            .with(Write::AddChronologyEntry(entry))
            .with_audit(event);
        if let Some(job) = review {
            changes.push(Write::InsertJob(job));
        }
        self.store.commit(&changes).await?;
        Ok(id)
    }

    /// The involvement, after the access check for `action` on its child.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, involvement_id = %id, action = ?action))]
    pub async fn authorise_involvement(
        &self,
        access: &StaffAccess,
        action: CaseAction,
        id: InvolvementId,
        source: &Source,
    ) -> AppResult<(Child, Involvement)> {
        let involvement = self
            .store
            .involvement(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let child = self
            .authorise_child(access, action, involvement.child_id, source)
            .await?;
        Ok((child, involvement))
    }

    /// Opens one involvement's page (audited as a view of the child's record).
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, involvement_id = %id))]
    pub async fn open_involvement_page(
        &self,
        access: &StaffAccess,
        id: InvolvementId,
        source: &Source,
    ) -> AppResult<(Child, InvolvementView)> {
        let (child, involvement) = self
            .authorise_involvement(access, CaseAction::View, id, source)
            .await?;
        let mut event =
            self.involvement_event(access, AuditAction::ChildViewed, child.id, id, source);
        event.detail = Some("involvement".to_owned());
        self.store.record_audit_event(&event).await?;
        Ok((child, self.view_of(involvement).await?))
    }

    /// Moves an involvement to another stage on a date, with an optional note.
    /// Returns the domain's refusal (a stage it cannot reach, a date too early)
    /// for the page to show; nothing is written then.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, involvement_id = %id))]
    pub async fn change_stage(
        &self,
        access: &StaffAccess,
        id: InvolvementId,
        change: StageMove,
        source: &Source,
    ) -> AppResult<Result<(), send_domain::involvements::StageError>> {
        let StageMove {
            to,
            on,
            note,
            cease_reason,
            seen_version,
        } = change;
        let (child, mut involvement) = self
            .authorise_involvement(access, CaseAction::Edit, id, source)
            .await?;
        if involvement.version != seen_version {
            return Err(AppError::Changed);
        }
        let from = involvement.stage;
        if let Err(refused) = involvement.move_to(to, on, cease_reason) {
            return Ok(Err(refused));
        }
        involvement.updated_at = self.clock.now();
        let entry = self.chronology_entry(
            child.id,
            access.account_id,
            "involvement.stage_changed",
            format!(
                "{}: {} → {} on {}",
                involvement.kind.label(),
                from.label(),
                to.label(),
                long_date(on)
            ),
            note,
        );
        let mut event = self.involvement_event(
            access,
            AuditAction::InvolvementStageChanged,
            child.id,
            id,
            source,
        );
        event.detail = Some(format!("{} -> {}", from.code(), to.code()));
        let notify = NotificationEvent::of_stage(to);
        self.save_involvement(&child, involvement, entry, event, Some(notify))
            .await?;
        Ok(Ok(()))
    }

    /// What moving the involvement would do, without doing it: the page asks
    /// the caseworker to confirm. The domain's refusal is returned as for the move.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, involvement_id = %id))]
    pub async fn preview_stage_move(
        &self,
        access: &StaffAccess,
        id: InvolvementId,
        change: &StageMove,
        source: &Source,
    ) -> AppResult<Result<StagePreview, send_domain::involvements::StageError>> {
        let (child, involvement) = self
            .authorise_involvement(access, CaseAction::Edit, id, source)
            .await?;
        let mut after = involvement.clone();
        if let Err(refused) = after.move_to(change.to, change.on, change.cease_reason) {
            return Ok(Err(refused));
        }
        let calendar = self.working_calendar().await?;
        let local = self.local_rules(involvement.kind).await?;
        let today = self.today();
        let now = involvement.key_dates(&local, today, &calendar);
        let then = after.key_dates(&local, today, &calendar);
        // Matched by rule: a move can take a deadline away (a draft plan ends
        // "decide not to issue"), so the lists need not line up.
        let changed = now
            .into_iter()
            .map(|before| {
                let after = then
                    .iter()
                    .find(|k| k.rule.code == before.rule.code)
                    .cloned();
                (before, after)
            })
            .filter(|(before, after)| after.as_ref() != Some(before))
            .collect();
        Ok(Ok(StagePreview {
            child,
            involvement,
            to: change.to,
            on: change.on,
            changed,
        }))
    }

    /// Corrects a stage moved by mistake: the involvement goes back to the
    /// stage before its last move, and what that move recorded for the
    /// deadlines is taken out (`Involvement::correct_last_move`). The move stays
    /// on the chronology; the correction is added to it with the reason, and
    /// audited, in the same commit. `seen_version` guards as for a move.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, involvement_id = %id))]
    pub async fn correct_stage(
        &self,
        access: &StaffAccess,
        id: InvolvementId,
        reason: &send_domain::ChangeReason,
        seen_version: u32,
        source: &Source,
    ) -> AppResult<Result<Stage, send_domain::involvements::StageError>> {
        let (child, mut involvement) = self
            .authorise_involvement(access, CaseAction::Edit, id, source)
            .await?;
        if involvement.version != seen_version {
            return Err(AppError::Changed);
        }
        let moved_to = match involvement.correct_last_move() {
            Ok(stage) => stage,
            Err(refused) => return Ok(Err(refused)),
        };
        involvement.updated_at = self.clock.now();
        let back_to = involvement.stage;
        let entry = self.chronology_entry(
            child.id,
            access.account_id,
            "involvement.stage_corrected",
            format!(
                "{}: move to {} corrected, back to {} (since {})",
                involvement.kind.label(),
                moved_to.label(),
                back_to.label(),
                long_date(involvement.stage_since)
            ),
            Some(reason.to_string()),
        );
        let mut event = self.involvement_event(
            access,
            AuditAction::InvolvementStageChanged,
            child.id,
            id,
            source,
        );
        event.detail = Some(format!(
            "corrected: {} -> {}; reason: {reason}",
            moved_to.code(),
            back_to.code()
        ));
        self.save_involvement(&child, involvement, entry, event, None)
            .await?;
        Ok(Ok(back_to))
    }

    /// Records an annual review on a plan (its meeting and decision).
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, involvement_id = %id))]
    pub async fn record_review(
        &self,
        access: &StaffAccess,
        id: InvolvementId,
        review: Review,
        source: &Source,
    ) -> AppResult<Result<(), send_domain::involvements::StageError>> {
        let (child, mut involvement) = self
            .authorise_involvement(access, CaseAction::Edit, id, source)
            .await?;
        if let Err(refused) = involvement.record_review(review) {
            return Ok(Err(refused));
        }
        involvement.updated_at = self.clock.now();
        let entry = self.chronology_entry(
            child.id,
            access.account_id,
            "involvement.review_recorded",
            format!(
                "Annual review meeting on {}; report sent on {}; decision sent on {}: {}",
                long_date(review.meeting),
                long_date(review.report_sent),
                long_date(review.decided_on),
                review.decision.label()
            ),
            None,
        );
        let mut event = self.involvement_event(
            access,
            AuditAction::InvolvementStageChanged,
            child.id,
            id,
            source,
        );
        event.detail = Some(format!("review: {}", review.decision.code()));
        let notify = NotificationEvent::DecisionRecorded;
        self.save_involvement(&child, involvement, entry, event, Some(notify))
            .await?;
        Ok(Ok(()))
    }

    /// Records that an amended plan was issued.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, involvement_id = %id))]
    pub async fn record_amended_plan(
        &self,
        access: &StaffAccess,
        id: InvolvementId,
        on: Date,
        source: &Source,
    ) -> AppResult<Result<(), send_domain::involvements::StageError>> {
        let (child, mut involvement) = self
            .authorise_involvement(access, CaseAction::Edit, id, source)
            .await?;
        if let Err(refused) = involvement.record_amended_plan(on) {
            return Ok(Err(refused));
        }
        involvement.updated_at = self.clock.now();
        let entry = self.chronology_entry(
            child.id,
            access.account_id,
            "involvement.plan_amended",
            format!("Amended EHC plan issued on {}", long_date(on)),
            None,
        );
        let mut event = self.involvement_event(
            access,
            AuditAction::InvolvementStageChanged,
            child.id,
            id,
            source,
        );
        event.detail = Some("amended plan issued".to_owned());
        let notify = NotificationEvent::FinalPlanIssued;
        self.save_involvement(&child, involvement, entry, event, Some(notify))
            .await?;
        Ok(Ok(()))
    }

    /// Records an exception against one deadline of an involvement.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, involvement_id = %id))]
    pub async fn record_exception(
        &self,
        access: &StaffAccess,
        id: InvolvementId,
        exception: RecordedException,
        source: &Source,
    ) -> AppResult<()> {
        let (child, mut involvement) = self
            .authorise_involvement(access, CaseAction::Edit, id, source)
            .await?;
        if !involvement
            .kind
            .rules()
            .iter()
            .any(|rule| rule.code == exception.rule_code)
        {
            return Err(AppError::NotFound);
        }
        let title = involvement
            .kind
            .rules()
            .into_iter()
            .find(|rule| rule.code == exception.rule_code)
            .map(|rule| rule.title.into_owned())
            .unwrap_or_default();
        let kind: Exception = exception.kind;
        let entry = self.chronology_entry(
            child.id,
            access.account_id,
            "involvement.exception_recorded",
            format!("Exception recorded for “{title}”: {}", kind.label()),
            Some(exception.reason.clone()),
        );
        let mut event =
            self.involvement_event(access, AuditAction::ExceptionRecorded, child.id, id, source);
        event.detail = Some(format!("{} on {}", kind.code(), exception.rule_code));
        involvement.exceptions.push(exception);
        involvement.updated_at = self.clock.now();
        self.save_involvement(&child, involvement, entry, event, None)
            .await?;
        Ok(())
    }

    /// Writes a changed involvement, if nobody changed it since it was read
    /// (its `version` is the one read), with its chronology entry and audit event.
    /// With `notify`, the people linked to the child are told in the same
    /// commit (`send_app::notifications`).
    async fn save_involvement(
        &self,
        child: &Child,
        involvement: Involvement,
        entry: ChronologyEntry,
        event: send_domain::AuditEvent,
        notify: Option<NotificationEvent>,
    ) -> AppResult<()> {
        let expected_version = involvement.version;
        let by = entry.actor_id;
        let review = self.review_due_job(&involvement).await?;
        let mut changes = Changes::new()
            .with(Write::UpdateInvolvement {
                involvement,
                expected_version,
            })
            .with(Write::AddChronologyEntry(entry))
            .with_audit(event);
        if let Some(job) = review {
            changes.push(Write::InsertJob(job));
        }
        if let Some(notify) = notify {
            self.add_notifications(&mut changes, Notice::new(child, notify, by))
                .await?;
        }
        self.store.commit(&changes).await?;
        Ok(())
    }

    /// The job that tells the people linked to the child that the plan's next
    /// annual review is coming up (`REVIEW_NOTICE` before it is due, at 9am), unless
    /// it is scheduled already, there is no plan in force, or the review is overdue.
    pub(crate) async fn review_due_job(
        &self,
        involvement: &Involvement,
    ) -> AppResult<Option<send_domain::jobs::Job>> {
        use send_domain::jobs::{Job, JobPayload, REVIEW_NOTICE};
        let Some(review_by) = involvement.next_review_due() else {
            return Ok(None);
        };
        let now = self.clock.now();
        if review_by < send_domain::dates::uk_date(now) {
            return Ok(None);
        }
        let payload = JobPayload::ReviewDue {
            involvement: involvement.id,
            review_by,
        };
        let key = payload.key();
        if self
            .store
            .jobs_of_subject(&payload.subject())
            .await?
            .iter()
            .any(|entry| entry.job.payload.key() == key)
        {
            return Ok(None);
        }
        let at = send_domain::advice::uk_morning(review_by.saturating_sub(REVIEW_NOTICE)).max(now);
        Ok(Some(Job::new(
            send_domain::JobId::from_uuid(new_uuid(self.clock.as_ref())),
            payload,
            at,
            now,
        )))
    }

    /// The "Review due" job's work: the council's notification to the people
    /// linked to the child, if that review is still the plan's next one.
    pub(crate) async fn review_due_changes(
        &self,
        id: InvolvementId,
        review_by: Date,
    ) -> AppResult<Changes> {
        let mut changes = Changes::new();
        let Some(involvement) = self.store.involvement(id).await? else {
            return Ok(changes);
        };
        if involvement.next_review_due() != Some(review_by) {
            return Ok(changes);
        }
        let Some(child) = self.store.child(involvement.child_id).await? else {
            return Ok(changes);
        };
        self.add_notifications(
            &mut changes,
            Notice::new(&child, NotificationEvent::ReviewDue, None),
        )
        .await?;
        Ok(changes)
    }

    /// A caseload: "my cases" (assigned to me) or "team cases" (my team's, or every
    /// team's with "all teams"), with its counts and the filters applied.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn caseload(
        &self,
        access: &StaffAccess,
        scope: Scope,
        filter: &CaseloadFilter,
        source: &Source,
    ) -> AppResult<Caseload> {
        if !access.has(Permission::ViewCases) {
            return Err(AppError::Forbidden);
        }
        let mut caseload = Caseload::default();
        for case in self.open_cases(access, scope).await? {
            let involvement = &case.row.involvement;
            if let Some(worker) = involvement.caseworker_id
                && !caseload.caseworkers.contains(&worker)
            {
                caseload.caseworkers.push(worker);
            }
            caseload.counts.add(&case);
            let keep = filter.stage.is_none_or(|s| s == involvement.stage)
                && filter
                    .caseworker
                    .is_none_or(|c| involvement.caseworker_id == Some(c))
                && (!filter.due_within_7_days || case.due_soon)
                && (!filter.overdue || case.row.overdue)
                && (!filter.with_exception || case.excepted);
            if keep {
                caseload.rows.push(case.row);
            }
        }
        let mut event = self.audit_event(
            Actor::User(access.account_id),
            AuditAction::CaseloadViewed,
            AuditOutcome::Succeeded,
            source,
        );
        event.detail = Some(format!(
            "{} cases: {} shown",
            match scope {
                Scope::Mine => "my",
                Scope::Team => "team",
            },
            caseload.rows.len()
        ));
        self.store.record_audit_event(&event).await?;
        Ok(caseload)
    }

    /// A caseload's counts alone (no child named, so nothing audited); `None`
    /// for staff who may not view cases.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn caseload_counts(
        &self,
        access: &StaffAccess,
        scope: Scope,
    ) -> AppResult<Option<CaseloadCounts>> {
        if !access.has(Permission::ViewCases) {
            return Ok(None);
        }
        let mut counts = CaseloadCounts::default();
        for case in self.open_cases(access, scope).await? {
            counts.add(&case);
        }
        Ok(Some(counts))
    }

    /// The open cases of a caseload, each with its next key date on today's date.
    async fn open_cases(&self, access: &StaffAccess, scope: Scope) -> AppResult<Vec<OpenCase>> {
        let teams: Option<Vec<TeamId>> = if access.has(Permission::AllTeams) {
            None
        } else {
            Some(access.team_id.into_iter().collect())
        };
        let query = CaseloadQuery {
            caseworker: match scope {
                Scope::Mine => Some(access.account_id),
                Scope::Team => None,
            },
            teams,
        };
        let today = self.today();
        let calendar = self.working_calendar().await?;
        // One read of the council's milestones for every kind of involvement.
        let milestones = self.store.local_milestones().await?;
        let mut local_rules = std::collections::BTreeMap::new();
        for kind in InvolvementKind::ALL {
            local_rules.insert(*kind, crate::deadlines::rules_for(&milestones, *kind));
        }
        let mut cases = Vec::new();
        for (involvement, child) in self.store.open_involvements(&query).await? {
            let local = local_rules
                .get(&involvement.kind)
                .map_or(&[][..], Vec::as_slice);
            let key_dates = involvement.key_dates(local, today, &calendar);
            let next = key_dates
                .iter()
                .filter(|k| is_outstanding(k))
                .min_by_key(|k| k.due)
                .cloned();
            let overdue = key_dates
                .iter()
                .any(|k| matches!(k.status, KeyDateStatus::Missed { .. }));
            let due_soon = next
                .as_ref()
                .and_then(|k| k.due)
                .is_some_and(|due| due >= today && (due - today).whole_days() < 7);
            let excepted = !involvement.exceptions.is_empty();
            cases.push(OpenCase {
                row: CaseloadRow {
                    child,
                    involvement,
                    next,
                    overdue,
                },
                due_soon,
                excepted,
            });
        }
        Ok(cases)
    }
}
