//! The public deadline calculator: every statutory date of a process, worked out
//! from the dates someone gives, with no case and no account.

use send_domain::calendar::WorkingCalendar;
use send_domain::timeline::{DeadlineRule, EventKind, Events, Process};
use time::Date;

use crate::App;

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

impl App {
    /// The calendar deadlines are counted on: England's bank holidays.
    pub fn working_calendar(&self) -> WorkingCalendar {
        WorkingCalendar::england()
    }

    /// Every deadline of `process` from `events`. Refused if a required date is
    /// missing or a date the process does not use is given.
    pub fn calculate_deadlines(
        &self,
        process: Process,
        events: &Events,
    ) -> Result<Vec<Deadline>, CalculationError> {
        let required = process.required_events();
        let optional = process.optional_events();
        if let Some(extra) = events
            .keys()
            .find(|e| !required.contains(e) && !optional.contains(e))
        {
            return Err(CalculationError::NotUsed(*extra));
        }
        if let Some(missing) = required.iter().find(|e| !events.contains_key(e)) {
            return Err(CalculationError::Missing(*missing));
        }
        let calendar = self.working_calendar();
        Ok(process
            .rules()
            .into_iter()
            .map(|rule| Deadline {
                due: rule.due(events, &calendar),
                rule,
            })
            .collect())
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
