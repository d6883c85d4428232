//! Reminders of advice (DESIGN NTF-2): when a request is recorded, a job is
//! scheduled for each reminder of the council's schedule for its kind (by
//! default 2 weeks before the due date, on the day and 1 week after) and one for
//! the overdue alert to the caseworker the day after the due date. Receiving or
//! withdrawing the request cancels them in the same commit. Each job, when it
//! runs, writes its email, chronology entry and audit event with the job's own
//! finish, so a reminder is sent once.

use send_domain::advice::{AdviceKind, AdviceRequest, ReminderSchedule, overdue_alert_at};
use send_domain::dates::long_date;
use send_domain::jobs::{Job, JobPayload};
use send_domain::{Actor, AdviceRequestId, AuditAction, AuditOutcome, JobId, StaffAccess};
use send_store::{Changes, Write};

use crate::audit::Source;
use crate::ids::new_uuid;
use crate::{App, AppError, AppResult};

impl App {
    /// The jobs a new request gets: its reminders (if there is someone to
    /// remind) and its overdue alert.
    pub(crate) async fn advice_jobs(&self, request: &AdviceRequest) -> AppResult<Vec<Job>> {
        let now = self.clock.now();
        let mut jobs = Vec::new();
        if request.email.is_some() || request.professional.is_some() {
            let schedule = self.store.reminder_schedule(request.kind).await?;
            for (days_from_due, at) in schedule.reminders_for(request, now) {
                jobs.push(Job::new(
                    JobId::from_uuid(new_uuid(self.clock.as_ref())),
                    JobPayload::AdviceReminder {
                        request: request.id,
                        days_from_due,
                    },
                    at,
                    now,
                ));
            }
        }
        jobs.push(Job::new(
            JobId::from_uuid(new_uuid(self.clock.as_ref())),
            JobPayload::AdviceOverdue {
                request: request.id,
            },
            overdue_alert_at(request.due_on).max(now),
            now,
        ));
        Ok(jobs)
    }

    /// A reminder's work: the email to the person asked, a chronology entry and
    /// an audit event. Nothing if the request is no longer awaited or there is
    /// nobody to write to.
    pub(crate) async fn advice_reminder_changes(
        &self,
        id: AdviceRequestId,
        days_from_due: i32,
    ) -> AppResult<Changes> {
        let request = self.store.advice_request(id).await?;
        if !request.is_awaited() {
            return Ok(Changes::new());
        }
        let account = match request.professional {
            Some(id) => self.store.account_by_id(id).await?,
            None => None,
        };
        let (to, name) = match (&account, &request.email) {
            (Some(account), _) => (account.email.clone(), Some(account.name.clone())),
            (None, Some(email)) => (email.clone(), None),
            (None, None) => return Ok(Changes::new()),
        };
        // The email's wording is the council's; the chronology says when.
        let (kind, when) = match days_from_due {
            ..0 => (
                "advice_due_soon",
                format!(
                    "is due in {} days, by {}",
                    days_from_due.unsigned_abs(),
                    long_date(request.due_on)
                ),
            ),
            0 => (
                "advice_due_today",
                format!("is due today, {}", long_date(request.due_on)),
            ),
            _ => (
                "advice_overdue",
                format!(
                    "was due on {} and has not arrived yet",
                    long_date(request.due_on)
                ),
            ),
        };
        // Someone who has not used their link yet gets a new one, which
        // replaces the last.
        let mut changes = Changes::new();
        let token = match (&account, &request.link) {
            (None, Some(link)) if link.used_at.is_none() => {
                let (token, fresh) = super::links::new_advice_link(&request);
                changes.push(Write::RenewAdviceLink {
                    id: request.id,
                    link: fresh,
                });
                Some(token)
            }
            _ => None,
        };
        let mut with_link = request.clone();
        if account.is_some() {
            with_link.professional = account.as_ref().map(|a| a.id);
        }
        let how_to_answer = self
            .where_to_answer(&with_link, token.as_ref())
            .join("\n\n");
        let advice_kind = request.kind.label().to_lowercase();
        let sent_date = long_date(request.sent_on);
        let due_date = long_date(request.due_on);
        let days = days_from_due.unsigned_abs().to_string();
        let email = self.council_email(
            &*self.texts().await?,
            kind,
            to,
            name,
            &[
                ("advice_kind", advice_kind.as_str()),
                ("sent_date", sent_date.as_str()),
                ("due_date", due_date.as_str()),
                ("days", days.as_str()),
                ("how_to_answer", how_to_answer.as_str()),
            ],
        );
        let entry = send_store::ChronologyEntry {
            id: send_domain::ChronologyEntryId::from_uuid(new_uuid(self.clock.as_ref())),
            child_id: request.child_id,
            occurred_at: self.clock.now(),
            actor_id: None,
            kind: "advice.reminder_sent".to_owned(),
            summary: format!(
                "Reminder sent to {}: {} {when}",
                request.recipient,
                request.kind.label().to_lowercase()
            ),
            note: None,
        };
        Ok(changes
            .with(Write::AddChronologyEntry(entry))
            .with_audit(self.reminder_event(&request, "reminder"))
            .with_email(email))
    }

    /// The overdue alert's work: the caseworker's email and a chronology entry,
    /// if the request is still awaited.
    pub(crate) async fn advice_overdue_changes(&self, id: AdviceRequestId) -> AppResult<Changes> {
        let request = self.store.advice_request(id).await?;
        if !request.is_awaited() {
            return Ok(Changes::new());
        }
        let entry = send_store::ChronologyEntry {
            id: send_domain::ChronologyEntryId::from_uuid(new_uuid(self.clock.as_ref())),
            child_id: request.child_id,
            occurred_at: self.clock.now(),
            actor_id: None,
            kind: "advice.overdue".to_owned(),
            summary: format!(
                "{} from {} is overdue: it was due on {}",
                request.kind.label(),
                request.recipient,
                long_date(request.due_on)
            ),
            note: None,
        };
        let mut changes = Changes::new()
            .with(Write::AddChronologyEntry(entry))
            .with_audit(self.reminder_event(&request, "overdue"));
        if let Some(email) = self
            .caseworker_email(&request, "advice_overdue_caseworker")
            .await?
        {
            changes = changes.with_email(email);
        }
        Ok(changes)
    }

    fn reminder_event(&self, request: &AdviceRequest, detail: &str) -> send_domain::AuditEvent {
        let mut event = self.audit_event(
            Actor::System,
            AuditAction::AdviceReminderSent,
            AuditOutcome::Succeeded,
            &Source::default(),
        );
        event.child_id = Some(request.child_id);
        event.subject = Some(format!("advice_request:{}", request.id));
        event.detail = Some(detail.to_owned());
        event
    }

    /// Each kind of advice with its reminder schedule (the council's or the
    /// default), for the administration page.
    pub async fn reminder_schedules(&self) -> AppResult<Vec<(AdviceKind, ReminderSchedule)>> {
        let mut all = Vec::with_capacity(AdviceKind::ALL.len());
        for kind in AdviceKind::ALL {
            all.push((*kind, self.store.reminder_schedule(*kind).await?));
        }
        Ok(all)
    }

    /// Sets when reminders of a kind of advice go out. Requests recorded from now
    /// on follow it; those already recorded keep the reminders they were given.
    /// Needs the permission to manage the portal's settings (`ManageStaff`).
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, kind = %kind))]
    pub async fn set_reminder_schedule(
        &self,
        access: &StaffAccess,
        kind: AdviceKind,
        schedule: ReminderSchedule,
        source: &Source,
    ) -> AppResult<()> {
        if !access.has(send_domain::Permission::ManageStaff) {
            return Err(AppError::Forbidden);
        }
        let mut event = self.audit_event(
            Actor::User(access.account_id),
            AuditAction::AdviceRemindersChanged,
            AuditOutcome::Succeeded,
            source,
        );
        event.detail = Some(format!("{kind}: {:?}", schedule.days_from_due()));
        self.store
            .commit(
                &Changes::new()
                    .with(Write::SaveReminderSchedule {
                        kind,
                        schedule,
                        at: self.clock.now(),
                    })
                    .with_audit(event),
            )
            .await?;
        Ok(())
    }
}
