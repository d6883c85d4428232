//! A council's own milestones, added to the statutory timeline of one kind of
//! involvement (for example "Panel date: 4 weeks after the request").

use std::borrow::Cow;

use crate::involvements::InvolvementKind;
use crate::timeline::{DeadlineRule, DeadlineUnit, EventKind};

/// What the council counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MilestoneUnit {
    Days,
    Weeks,
    WorkingDays,
    Months,
}

impl MilestoneUnit {
    pub const ALL: [Self; 4] = [Self::Days, Self::Weeks, Self::WorkingDays, Self::Months];

    pub fn code(self) -> &'static str {
        match self {
            Self::Days => "days",
            Self::Weeks => "weeks",
            Self::WorkingDays => "working_days",
            Self::Months => "months",
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Days => "days",
            Self::Weeks => "weeks",
            Self::WorkingDays => "working days",
            Self::Months => "calendar months",
        }
    }
}

/// Why a milestone was refused. Messages are shown as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MilestoneError {
    #[error("Enter the milestone's name")]
    NoTitle,
    #[error("The milestone's name must be 100 characters or fewer")]
    TitleTooLong,
    #[error("Enter how long after the start, as a whole number from 1 to 520")]
    Amount,
}

/// A council's own milestone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalMilestone {
    /// A stable code, `local_` and a slug of the title, unique per council.
    pub code: String,
    pub kind: InvolvementKind,
    pub title: String,
    pub start_event: EventKind,
    pub unit: MilestoneUnit,
    pub amount: u32,
    pub explanation: String,
}

impl LocalMilestone {
    /// A checked milestone; its code comes from its title.
    pub fn new(
        kind: InvolvementKind,
        title: &str,
        start_event: EventKind,
        unit: MilestoneUnit,
        amount: u32,
        explanation: &str,
    ) -> Result<Self, MilestoneError> {
        let title = title.trim();
        if title.is_empty() {
            return Err(MilestoneError::NoTitle);
        }
        if title.chars().count() > 100 {
            return Err(MilestoneError::TitleTooLong);
        }
        if !(1..=520).contains(&amount) {
            return Err(MilestoneError::Amount);
        }
        let slug: String = title
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect::<String>()
            .split('_')
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join("_");
        Ok(Self {
            code: format!("local_{kind}_{slug}"),
            kind,
            title: title.to_owned(),
            start_event,
            unit,
            amount,
            explanation: explanation.trim().to_owned(),
        })
    }

    /// The milestone as a rule of the timeline engine.
    pub fn rule(&self) -> DeadlineRule {
        let unit = match self.unit {
            MilestoneUnit::Days => DeadlineUnit::Days(self.amount),
            MilestoneUnit::Weeks => DeadlineUnit::Weeks(self.amount),
            MilestoneUnit::WorkingDays => DeadlineUnit::WorkingDays(self.amount),
            MilestoneUnit::Months => DeadlineUnit::CalendarMonths(self.amount),
        };
        DeadlineRule {
            code: Cow::Owned(self.code.clone()),
            title: Cow::Owned(self.title.clone()),
            start_event: self.start_event,
            unit,
            or_later: None,
            reference: Cow::Borrowed("A local milestone set by the council (not a legal deadline)"),
            explanation: Cow::Owned(if self.explanation.is_empty() {
                format!(
                    "The council aims for this {} {} after: {}.",
                    self.amount,
                    self.unit.label(),
                    self.start_event.label().to_lowercase()
                )
            } else {
                self.explanation.clone()
            }),
            tribunal_window: false,
            minimum: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};
    use uuid::Uuid;

    use super::*;
    use crate::calendar::WorkingCalendar;
    use crate::ids::{ChildId, InvolvementId};
    use crate::involvements::Involvement;
    use crate::timeline::KeyDateStatus;

    #[test]
    fn a_panel_date_four_weeks_after_the_request_joins_the_key_dates() {
        let panel = LocalMilestone::new(
            InvolvementKind::Assessment,
            "Panel date",
            EventKind::RequestReceived,
            MilestoneUnit::Weeks,
            4,
            "",
        )
        .unwrap();
        assert_eq!(panel.code, "local_assessment_panel_date");
        let inv = Involvement::open(
            InvolvementId::from_uuid(Uuid::nil()),
            ChildId::from_uuid(Uuid::nil()),
            InvolvementKind::Assessment,
            date!(2026 - 01 - 05),
            datetime!(2026-01-05 09:00 UTC),
        );
        let keys = inv.key_dates(
            &[panel.rule()],
            date!(2026 - 01 - 06),
            &WorkingCalendar::england(),
        );
        let key = keys
            .iter()
            .find(|k| k.rule.code == "local_assessment_panel_date")
            .unwrap();
        assert_eq!(key.due, Some(date!(2026 - 02 - 02)));
        assert_eq!(key.status, KeyDateStatus::Upcoming);
        assert!(key.rule.reference.contains("not a legal deadline"));
    }

    #[test]
    fn a_milestone_needs_a_name_and_a_sensible_length() {
        let make = |title: &str, amount| {
            LocalMilestone::new(
                InvolvementKind::Assessment,
                title,
                EventKind::RequestReceived,
                MilestoneUnit::Days,
                amount,
                "",
            )
        };
        assert_eq!(make(" ", 3), Err(MilestoneError::NoTitle));
        assert_eq!(make("Panel", 0), Err(MilestoneError::Amount));
        assert_eq!(make("Panel", 521), Err(MilestoneError::Amount));
        assert_eq!(
            make("Panel -- review!", 3).unwrap().code,
            "local_assessment_panel_review"
        );
    }
}
