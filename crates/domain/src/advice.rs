//! Requests for advice on an EHC needs assessment (DESIGN NTF-1, NTF-2; SEND
//! Regulations 2014 regs 6 and 8).
//!
//! The council records each request: the kind of advice (reg 6), whom it went to,
//! the date it was sent and the date it is due (6 weeks later: reg 8), and how it
//! is to be answered (the advice form or an upload). The request is then awaited
//! until it is received or withdrawn. While awaited, reminders go out on the days
//! of the council's [`ReminderSchedule`] for its kind, and the day after the due
//! date the caseworker is told it is overdue.
//!
//! Nothing here reads the clock: "today" is a parameter.

use time::{Date, Duration, OffsetDateTime};

use crate::accounts::ShortText;
use crate::audit::code_enum;
use crate::calendar::WorkingCalendar;
use crate::dates::uk_date;
use crate::email::Email;
use crate::ids::{
    AdviceRequestId, ChildId, DocumentId, FormId, InvolvementId, SubmissionId, UserId,
};
use crate::staff_setup::TokenHash;
use crate::timeline::DeadlineUnit;

/// Advice is due 6 weeks after the request (reg 8).
pub const ADVICE_DUE: DeadlineUnit = DeadlineUnit::Weeks(6);

code_enum!(
    /// The advice sought in an assessment (reg 6; DESIGN §3.2).
    AdviceKind {
        ParentOrYoungPerson => "parent_or_young_person",
        Educational => "educational",
        Medical => "medical",
        Psychological => "psychological",
        SocialCare => "social_care",
        /// From year 9: preparing for adulthood and independent living.
        PreparationForAdulthood => "preparation_for_adulthood",
        Other => "other",
    }
);

impl AdviceKind {
    /// As a caseworker or family reads it: "Educational advice".
    pub fn label(self) -> &'static str {
        match self {
            Self::ParentOrYoungPerson => "Advice from the parent or young person",
            Self::Educational => "Educational advice",
            Self::Medical => "Medical advice",
            Self::Psychological => "Psychological advice",
            Self::SocialCare => "Social care advice",
            Self::PreparationForAdulthood => "Preparing for adulthood advice",
            Self::Other => "Other advice",
        }
    }

    /// Who usually gives it, as a hint beside the choice.
    pub fn hint(self) -> &'static str {
        match self {
            Self::ParentOrYoungPerson => "Their views, interests and what they hope for",
            Self::Educational => "From the head teacher, SENCO or early years setting",
            Self::Medical => "From health services, through the integrated care board",
            Self::Psychological => "From an educational psychologist",
            Self::SocialCare => "From children's or adult social care",
            Self::PreparationForAdulthood => {
                "From year 9: work, independent living, friendships and health"
            }
            Self::Other => "From anyone else the council or family thinks should be asked",
        }
    }
}

code_enum!(
    /// How the advice is to be given.
    AnswerBy {
        /// The council's advice form, in the portal.
        Form => "form",
        /// A document uploaded in the portal (or sent to the council).
        Upload => "upload",
    }
);

impl AnswerBy {
    pub fn label(self) -> &'static str {
        match self {
            Self::Form => "By filling in the advice form",
            Self::Upload => "By uploading a document",
        }
    }
}

/// Where a request is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdviceStatus {
    Awaited,
    /// The advice arrived on `on`, as a submitted form, an uploaded document, or
    /// (neither) by post or email, recorded by the council.
    Received {
        on: Date,
        submission: Option<SubmissionId>,
        document: Option<DocumentId>,
    },
    /// The council no longer needs it.
    Withdrawn {
        on: Date,
        reason: ShortText,
    },
}

impl AdviceStatus {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Awaited => "awaited",
            Self::Received { .. } => "received",
            Self::Withdrawn { .. } => "withdrawn",
        }
    }
}

/// A request for advice about a child, on one involvement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdviceRequest {
    pub id: AdviceRequestId,
    pub child_id: ChildId,
    pub involvement_id: InvolvementId,
    pub kind: AdviceKind,
    /// The person or organisation asked.
    pub recipient: ShortText,
    /// Where reminders go, if the council has an address.
    pub email: Option<Email>,
    /// The portal account that answers it, if the person has one.
    pub professional: Option<UserId>,
    pub answer_by: AnswerBy,
    /// The form to fill in, when answered by form.
    pub form: Option<FormId>,
    pub sent_on: Date,
    pub due_on: Date,
    pub status: AdviceStatus,
    /// The single-use link sent to someone without a portal account.
    pub link: Option<AdviceLink>,
    pub requested_by: UserId,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    /// Moves on with every change; a change names the version it read.
    pub version: u32,
}

/// A single-use link to answer a request, for someone without a portal account:
/// opening it signed in as a professional makes that account the one that answers
/// this request (and nothing else of the child's case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdviceLink {
    pub hash: TokenHash,
    pub expires_at: OffsetDateTime,
    pub used_at: Option<OffsetDateTime>,
}

/// How long a link to answer a request lasts: until 4 weeks after the due date.
pub const LINK_LASTS_AFTER_DUE: Duration = Duration::weeks(4);

/// Why a step was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AdviceError {
    #[error("this advice has already been received")]
    AlreadyReceived,
    #[error("this request for advice has been withdrawn")]
    Withdrawn,
    #[error("the date cannot be before the request was sent")]
    BeforeSent,
    #[error("the date cannot be in the future")]
    InFuture,
}

/// The due date of advice requested on `sent_on`: 6 weeks later, never moved for a
/// weekend or bank holiday (a statutory deadline is never moved later).
pub fn due_date(sent_on: Date, calendar: &WorkingCalendar) -> Date {
    ADVICE_DUE.from_start(sent_on, calendar)
}

impl AdviceRequest {
    pub fn is_awaited(&self) -> bool {
        self.status == AdviceStatus::Awaited
    }

    /// Days from `today` to the due date: negative once it has passed.
    pub fn days_left(&self, today: Date) -> i64 {
        (self.due_on - today).whole_days()
    }

    /// Awaited after its due date.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.is_awaited() && today > self.due_on
    }

    /// Whether `account` may answer it: the account it is addressed to, while
    /// awaited.
    pub fn may_be_answered_by(&self, account: UserId) -> bool {
        self.is_awaited() && self.professional == Some(account)
    }

    fn check_awaited(&self) -> Result<(), AdviceError> {
        match self.status {
            AdviceStatus::Awaited => Ok(()),
            AdviceStatus::Received { .. } => Err(AdviceError::AlreadyReceived),
            AdviceStatus::Withdrawn { .. } => Err(AdviceError::Withdrawn),
        }
    }

    /// The advice arrived on `on`.
    pub fn receive(
        &mut self,
        on: Date,
        submission: Option<SubmissionId>,
        document: Option<DocumentId>,
        now: OffsetDateTime,
    ) -> Result<(), AdviceError> {
        self.check_awaited()?;
        if on < self.sent_on {
            return Err(AdviceError::BeforeSent);
        }
        self.status = AdviceStatus::Received {
            on,
            submission,
            document,
        };
        self.touch(now);
        Ok(())
    }

    /// The council no longer needs it.
    pub fn withdraw(&mut self, reason: ShortText, now: OffsetDateTime) -> Result<(), AdviceError> {
        self.check_awaited()?;
        self.status = AdviceStatus::Withdrawn {
            on: uk_date(now),
            reason,
        };
        self.touch(now);
        Ok(())
    }

    fn touch(&mut self, now: OffsetDateTime) {
        self.updated_at = now;
        self.version = self.version.saturating_add(1);
    }
}

/// When reminders of advice of one kind go out, in days from the due date. The
/// council sets one per kind; [`ReminderSchedule::default`] is 2 weeks before,
/// on the day, and 1 week after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderSchedule {
    /// Days before the due date, each 1 to 42.
    pub before: Vec<u8>,
    pub on_the_day: bool,
    /// Days after the due date, each 1 to 42.
    pub after: Vec<u8>,
}

impl Default for ReminderSchedule {
    fn default() -> Self {
        Self {
            before: vec![14],
            on_the_day: true,
            after: vec![7],
        }
    }
}

/// Why a schedule was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("Enter days as whole numbers separated by commas, like 14, 7")]
    NotNumbers,
    #[error("Each number of days must be between 1 and 42")]
    OutOfRange,
    #[error("Enter no more than 4 reminders")]
    TooMany,
}

impl ReminderSchedule {
    /// The most reminders on each side of the due date.
    pub const MAX_EACH_SIDE: usize = 4;
    /// The furthest a reminder may be from the due date.
    pub const MAX_DAYS: u8 = 42;

    /// Reads a list of days as typed: "14, 7" (empty for none). Sorted, without
    /// repeats.
    pub fn parse_days(input: &str) -> Result<Vec<u8>, ScheduleError> {
        let mut days = Vec::new();
        for part in input
            .split([',', ' ', ';'])
            .map(str::trim)
            .filter(|part| !part.is_empty())
        {
            let day: u32 = part.parse().map_err(|_| ScheduleError::NotNumbers)?;
            let day = u8::try_from(day).map_err(|_| ScheduleError::OutOfRange)?;
            if day == 0 || day > Self::MAX_DAYS {
                return Err(ScheduleError::OutOfRange);
            }
            days.push(day);
        }
        days.sort_unstable();
        days.dedup();
        if days.len() > Self::MAX_EACH_SIDE {
            return Err(ScheduleError::TooMany);
        }
        Ok(days)
    }

    /// The days as typed back into the form: "14, 7".
    pub fn days_text(days: &[u8]) -> String {
        days.iter()
            .rev()
            .map(u8::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// In words, for the council's settings: "14 days before the due date, on
    /// the due date and 7 days after it".
    pub fn describe(&self) -> String {
        let days = |days: &[u8]| {
            let mut numbers: Vec<String> = days.iter().rev().map(u8::to_string).collect();
            let final_one = numbers.pop();
            match (numbers.is_empty(), final_one) {
                (_, None) => String::new(),
                (true, Some(only)) => only,
                (false, Some(end)) => format!("{} and {end}", numbers.join(", ")),
            }
        };
        let plural = |days: &[u8]| if days == [1] { "day" } else { "days" };
        let mut parts = Vec::new();
        if !self.before.is_empty() {
            parts.push(format!(
                "{} {} before the due date",
                days(&self.before),
                plural(&self.before)
            ));
        }
        if self.on_the_day {
            parts.push("on the due date".to_owned());
        }
        if !self.after.is_empty() {
            let mut after = self.after.clone();
            after.reverse();
            parts.push(format!("{} {} after it", days(&after), plural(&self.after)));
        }
        match parts.len() {
            0 => "No reminders".to_owned(),
            1 => parts.remove(0),
            _ => {
                let last = parts.pop().unwrap_or_default();
                format!("{} and {last}", parts.join(", "))
            }
        }
    }

    /// Every reminder as days from the due date, earliest first.
    pub fn days_from_due(&self) -> Vec<i32> {
        let mut days: Vec<i32> = self.before.iter().map(|day| -i32::from(*day)).collect();
        if self.on_the_day {
            days.push(0);
        }
        days.extend(self.after.iter().map(|day| i32::from(*day)));
        days.sort_unstable();
        days.dedup();
        days
    }

    /// Which reminders a request gets when recorded at `now`: those whose day is
    /// after the day it was sent and not already past, each with its time (9am in
    /// the UK on that day).
    pub fn reminders_for(
        &self,
        request: &AdviceRequest,
        now: OffsetDateTime,
    ) -> Vec<(i32, OffsetDateTime)> {
        let today = uk_date(now);
        self.days_from_due()
            .into_iter()
            .filter_map(|offset| {
                let day = request
                    .due_on
                    .checked_add(Duration::days(i64::from(offset)))?;
                (day > request.sent_on && day >= today).then(|| (offset, uk_morning(day)))
            })
            .collect()
    }
}

/// When the caseworker is told advice is overdue: 9am in the UK the day after the
/// due date.
pub fn overdue_alert_at(due_on: Date) -> OffsetDateTime {
    uk_morning(due_on.next_day().unwrap_or(due_on))
}

/// 9am in the UK (GMT or BST) on `day`.
pub fn uk_morning(day: Date) -> OffsetDateTime {
    let summer = day.midnight().assume_utc() + Duration::hours(8);
    if uk_date(summer) == day && crate::dates::uk_hour(summer) == 9 {
        summer
    } else {
        day.midnight().assume_utc() + Duration::hours(9)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};
    use uuid::Uuid;

    use super::*;

    fn request(sent_on: Date) -> AdviceRequest {
        let at = sent_on.midnight().assume_utc();
        AdviceRequest {
            id: AdviceRequestId::from_uuid(Uuid::from_u128(1)),
            child_id: ChildId::from_uuid(Uuid::from_u128(2)),
            involvement_id: InvolvementId::from_uuid(Uuid::from_u128(3)),
            kind: AdviceKind::Educational,
            recipient: ShortText::parse("Oak Tree Primary School", "who").unwrap(),
            email: None,
            professional: Some(UserId::from_uuid(Uuid::from_u128(4))),
            answer_by: AnswerBy::Form,
            form: None,
            sent_on,
            due_on: due_date(sent_on, &WorkingCalendar::england()),
            status: AdviceStatus::Awaited,
            link: None,
            requested_by: UserId::from_uuid(Uuid::from_u128(5)),
            created_at: at,
            updated_at: at,
            version: 1,
        }
    }

    #[test]
    fn advice_is_due_six_weeks_after_the_request_even_over_a_bank_holiday() {
        let calendar = WorkingCalendar::england();
        assert_eq!(
            due_date(date!(2027 - 01 - 11), &calendar),
            date!(2027 - 02 - 22)
        );
        // 6 weeks after 16 November 2026 is 28 December 2026, the substitute
        // Boxing Day bank holiday: the date does not move.
        assert_eq!(
            due_date(date!(2026 - 11 - 16), &calendar),
            date!(2026 - 12 - 28)
        );
        assert!(!calendar.is_working_day(date!(2026 - 12 - 28)));
    }

    #[test]
    fn the_default_schedule_is_two_weeks_before_the_day_and_a_week_after() {
        assert_eq!(ReminderSchedule::default().days_from_due(), vec![-14, 0, 7]);
    }

    #[test]
    fn reminders_go_out_at_nine_in_the_morning_uk_time() {
        let request = request(date!(2027 - 01 - 11));
        let reminders =
            ReminderSchedule::default().reminders_for(&request, datetime!(2027-01-11 10:00 UTC));
        assert_eq!(
            reminders,
            vec![
                (-14, datetime!(2027-02-08 09:00 UTC)),
                (0, datetime!(2027-02-22 09:00 UTC)),
                (7, datetime!(2027-03-01 09:00 UTC)),
            ]
        );
        // In British Summer Time, 9am is 8am UTC.
        assert_eq!(
            uk_morning(date!(2027 - 06 - 01)),
            datetime!(2027-06-01 08:00 UTC)
        );
        assert_eq!(
            overdue_alert_at(date!(2027 - 02 - 22)),
            datetime!(2027-02-23 09:00 UTC)
        );
    }

    #[test]
    fn a_request_recorded_late_gets_only_the_reminders_still_to_come() {
        let request = request(date!(2027 - 01 - 11));
        let reminders =
            ReminderSchedule::default().reminders_for(&request, datetime!(2027-02-20 10:00 UTC));
        let days: Vec<i32> = reminders.iter().map(|(day, _)| *day).collect();
        assert_eq!(days, vec![0, 7]);
    }

    #[test]
    fn schedules_are_described_in_words() {
        assert_eq!(
            ReminderSchedule::default().describe(),
            "14 days before the due date, on the due date and 7 days after it"
        );
        let schedule = ReminderSchedule {
            before: vec![7, 21],
            on_the_day: false,
            after: vec![1],
        };
        assert_eq!(
            schedule.describe(),
            "21 and 7 days before the due date and 1 day after it"
        );
        let none = ReminderSchedule {
            before: vec![],
            on_the_day: false,
            after: vec![],
        };
        assert_eq!(none.describe(), "No reminders");
    }

    #[test]
    fn schedules_are_typed_as_lists_of_days() {
        assert_eq!(ReminderSchedule::parse_days("14, 7"), Ok(vec![7, 14]));
        assert_eq!(ReminderSchedule::parse_days(" "), Ok(vec![]));
        assert_eq!(ReminderSchedule::parse_days("7,7"), Ok(vec![7]));
        assert_eq!(
            ReminderSchedule::parse_days("a week"),
            Err(ScheduleError::NotNumbers)
        );
        assert_eq!(
            ReminderSchedule::parse_days("0"),
            Err(ScheduleError::OutOfRange)
        );
        assert_eq!(
            ReminderSchedule::parse_days("43"),
            Err(ScheduleError::OutOfRange)
        );
        assert_eq!(
            ReminderSchedule::parse_days("1,2,3,4,5"),
            Err(ScheduleError::TooMany)
        );
        assert_eq!(ReminderSchedule::days_text(&[7, 14]), "14, 7");
    }

    #[test]
    fn received_or_withdrawn_advice_cannot_change_again() {
        let mut advice = request(date!(2027 - 01 - 11));
        let now = datetime!(2027-02-01 10:00 UTC);
        assert_eq!(
            advice.receive(date!(2027 - 01 - 10), None, None, now),
            Err(AdviceError::BeforeSent)
        );
        advice
            .receive(date!(2027 - 02 - 01), None, None, now)
            .unwrap();
        assert_eq!(advice.version, 2);
        assert!(!advice.is_awaited());
        assert_eq!(
            advice.receive(date!(2027 - 02 - 01), None, None, now),
            Err(AdviceError::AlreadyReceived)
        );
        let reason = ShortText::parse("No longer needed", "reason").unwrap();
        assert_eq!(
            advice.withdraw(reason, now),
            Err(AdviceError::AlreadyReceived)
        );
    }

    #[test]
    fn only_the_person_asked_may_answer_while_it_is_awaited() {
        let mut advice = request(date!(2027 - 01 - 11));
        let asked = UserId::from_uuid(Uuid::from_u128(4));
        let other = UserId::from_uuid(Uuid::from_u128(9));
        assert!(advice.may_be_answered_by(asked));
        assert!(!advice.may_be_answered_by(other));
        assert_eq!(advice.days_left(date!(2027 - 02 - 20)), 2);
        assert!(!advice.is_overdue(date!(2027 - 02 - 22)));
        assert!(advice.is_overdue(date!(2027 - 02 - 23)));
        let reason = ShortText::parse("No longer needed", "reason").unwrap();
        advice
            .withdraw(reason, datetime!(2027-02-01 10:00 UTC))
            .unwrap();
        assert!(!advice.may_be_answered_by(asked));
        assert!(!advice.is_overdue(date!(2027 - 02 - 23)));
    }
}
