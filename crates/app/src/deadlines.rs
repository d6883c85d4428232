//! The public deadline calculator: every statutory date of a process, worked out
//! from the dates someone gives, with no case and no account.

use send_domain::calendar::WorkingCalendar;
use send_domain::involvements::InvolvementKind;
use send_domain::timeline::{DeadlineRule, EventKind, Events, Process};
use time::Date;

use send_domain::milestones::LocalMilestone;
use send_domain::{Actor, AuditAction, AuditOutcome, Permission, StaffAccess};
use send_store::{Changes, Effects, ExtraHoliday, StoreError, Write};

use crate::audit::Source;
use crate::{App, AppError, AppResult};

/// One line of the calculator's answer.
#[derive(Debug, Clone)]
pub struct Deadline {
    pub rule: DeadlineRule,
    /// `None` when the date it counts from was not given.
    pub due: Option<Date>,
}

/// Why a calculation could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalculationError {
    /// A date the process needs was not given.
    Missing(EventKind),
    /// A date was given that this process does not use.
    NotUsed(EventKind),
}

/// England's working calendar with the one-off holidays an administrator added.
pub(crate) fn calendar_with(extra: Vec<ExtraHoliday>) -> WorkingCalendar {
    extra
        .into_iter()
        .fold(WorkingCalendar::england(), |calendar, holiday| {
            calendar.with_one_off(holiday.date, holiday.name)
        })
}

/// The council's milestones for one kind of involvement, as rules.
pub(crate) fn rules_for(milestones: &[LocalMilestone], kind: InvolvementKind) -> Vec<DeadlineRule> {
    milestones
        .iter()
        .filter(|m| m.kind == kind)
        .map(LocalMilestone::rule)
        .collect()
}

impl App {
    /// The calendar deadlines are counted on: England's bank holidays, with the
    /// one-off holidays an administrator added.
    pub async fn working_calendar(&self) -> AppResult<WorkingCalendar> {
        Ok(calendar_with(self.store.extra_holidays().await?))
    }

    /// The council's own milestones for one kind of involvement, as rules.
    pub async fn local_rules(&self, kind: InvolvementKind) -> AppResult<Vec<DeadlineRule>> {
        Ok(rules_for(&self.store.local_milestones().await?, kind))
    }

    /// Every deadline of `process` from `events`. Refused if a required date is
    /// missing or a date the process does not use is given.
    pub async fn calculate_deadlines(
        &self,
        process: Process,
        events: &Events,
    ) -> AppResult<Result<Vec<Deadline>, CalculationError>> {
        let required = process.required_events();
        let optional = process.optional_events();
        if let Some(extra) = events
            .keys()
            .find(|e| !required.contains(e) && !optional.contains(e))
        {
            return Ok(Err(CalculationError::NotUsed(*extra)));
        }
        if let Some(missing) = required.iter().find(|e| !events.contains_key(e)) {
            return Ok(Err(CalculationError::Missing(*missing)));
        }
        let calendar = self.working_calendar().await?;
        Ok(Ok(process
            .rules()
            .into_iter()
            .map(|rule| Deadline {
                due: rule.due(events, &calendar),
                rule,
            })
            .collect()))
    }
}

/// What adding to the timeline came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    Done,
    /// A milestone with this name, or a holiday on this date, exists already.
    AlreadyThere,
}

impl App {
    fn require_admin(access: &StaffAccess) -> AppResult<()> {
        if access.has(Permission::ManageStaff) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    fn timeline_event(
        &self,
        access: &StaffAccess,
        action: AuditAction,
        detail: String,
        source: &Source,
    ) -> Effects {
        let mut event = self.audit_event(
            Actor::User(access.account_id),
            action,
            AuditOutcome::Succeeded,
            source,
        );
        event.detail = Some(detail);
        Effects::audit(event)
    }

    /// Adds a council milestone. Needs "manage staff" (portal administration).
    pub async fn add_local_milestone(
        &self,
        access: &StaffAccess,
        milestone: LocalMilestone,
        source: &Source,
    ) -> AppResult<Added> {
        Self::require_admin(access)?;
        let effects = self.timeline_event(
            access,
            AuditAction::LocalMilestoneChanged,
            format!("added {}", milestone.code),
            source,
        );
        let changes = Changes::new()
            .with(Write::InsertLocalMilestone(milestone))
            .with_effects(effects);
        match self.store.commit(&changes).await {
            Ok(_) => Ok(Added::Done),
            Err(StoreError::Conflict { .. }) => Ok(Added::AlreadyThere),
            Err(err) => Err(err.into()),
        }
    }

    /// Removes a council milestone by its code.
    pub async fn remove_local_milestone(
        &self,
        access: &StaffAccess,
        code: &str,
        source: &Source,
    ) -> AppResult<()> {
        Self::require_admin(access)?;
        let effects = self.timeline_event(
            access,
            AuditAction::LocalMilestoneChanged,
            format!("removed {code}"),
            source,
        );
        let changes = Changes::new()
            .with(Write::DeleteLocalMilestone {
                code: code.to_owned(),
            })
            .with_effects(effects);
        match self.store.commit(&changes).await {
            Ok(_) => Ok(()),
            Err(StoreError::NotFound) => Err(AppError::NotFound),
            Err(err) => Err(err.into()),
        }
    }

    /// Adds a one-off bank holiday to the calendar deadlines are counted on.
    pub async fn add_extra_holiday(
        &self,
        access: &StaffAccess,
        holiday: ExtraHoliday,
        source: &Source,
    ) -> AppResult<Added> {
        Self::require_admin(access)?;
        let effects = self.timeline_event(
            access,
            AuditAction::ExtraHolidayAdded,
            format!("{} {}", iso(holiday.date), holiday.name),
            source,
        );
        let changes = Changes::new()
            .with(Write::InsertExtraHoliday(holiday))
            .with_effects(effects);
        match self.store.commit(&changes).await {
            Ok(_) => Ok(Added::Done),
            Err(StoreError::Conflict { .. }) => Ok(Added::AlreadyThere),
            Err(err) => Err(err.into()),
        }
    }
}

/// A date as `YYYY-MM-DD`, for the JSON API.
pub fn iso(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}
