//! The statutory timeline: each deadline as data (what starts it, how it is
//! counted, the law it comes from, what it means for the family), and the key
//! dates of a case computed from the events recorded on it.
//!
//! Counting (DESIGN §3.1): "N weeks" after X is X + 7N days; "N days" is X + N
//! days; "N working days" skip weekends and bank holidays; "N months" is a
//! calendar month step that clamps to the end of a shorter month (29 February +
//! 12 months = 28 February). A council's deadline is never moved later because it
//! falls on a weekend or a bank holiday; only Tribunal appeal windows move (see
//! [`tribunal_window_end`]).
//!
//! Nothing here reads the clock: "today" is a parameter.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month};

use crate::audit::code_enum;
use crate::calendar::WorkingCalendar;

mod readers;
pub use readers::Reader;

code_enum!(
    /// Something that happens on a case and starts a deadline.
    EventKind {
        /// The council received a request for an EHC needs assessment.
        RequestReceived => "request_received",
        /// A person or body received the council's request for advice.
        AdviceRequested => "advice_requested",
        /// The draft EHC plan was sent to the family.
        DraftPlanSent => "draft_plan_sent",
        /// The final EHC plan was issued.
        PlanIssued => "plan_issued",
        /// The plan was last reviewed.
        PreviousReview => "previous_review",
        /// The annual review meeting.
        ReviewMeeting => "review_meeting",
        /// The council sent notice of the changes it proposes to the plan.
        AmendmentNotice => "amendment_notice",
        /// The start of the calendar year in which the child moves to a new phase.
        TransferYear => "transfer_year",
        /// The council decided to re-assess.
        ReassessmentDecision => "reassessment_decision",
        /// The council learned that the family is moving to another council's area.
        MoveKnown => "move_known",
        /// The date of the decision that can be appealed.
        DecisionMade => "decision_made",
        /// A mediation certificate was issued.
        MediationCertificate => "mediation_certificate",
    }
);

impl EventKind {
    /// The question asked for this date, in plain English.
    pub fn label(self) -> &'static str {
        match self {
            Self::RequestReceived => "Date the council received the request for an assessment",
            Self::AdviceRequested => "Date the request for advice was received",
            Self::DraftPlanSent => "Date the draft EHC plan was sent",
            Self::PlanIssued => "Date the EHC plan was issued",
            Self::PreviousReview => "Date the plan was last reviewed",
            Self::ReviewMeeting => "Date of the review meeting",
            Self::AmendmentNotice => "Date the proposed changes to the plan were sent",
            Self::TransferYear => {
                "1 January of the year the child moves to the new school or college"
            }
            Self::ReassessmentDecision => "Date the council decided to re-assess",
            Self::MoveKnown => "Date the council found out about the move",
            Self::DecisionMade => "Date of the decision letter",
            Self::MediationCertificate => "Date the mediation certificate was issued",
        }
    }
}

/// How a deadline is counted from its start event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeadlineUnit {
    /// The start + 7 × N days.
    Weeks(u32),
    /// The start + N days.
    Days(u32),
    /// N working days after the start (the start itself is day 0).
    WorkingDays(u32),
    /// N calendar months after the start, clamped to the end of a shorter month.
    CalendarMonths(u32),
    /// 7 × N days before the start (for example 2 weeks before a meeting).
    WeeksBefore(u32),
    /// The first such day of the year on or after the start (15 February of the
    /// year of transfer, when the start is 1 January of that year).
    FixedDate { month: Month, day: u8 },
}

impl DeadlineUnit {
    /// The date this unit lands on from `start`, before any Tribunal adjustment.
    pub fn from_start(self, start: Date, calendar: &WorkingCalendar) -> Date {
        match self {
            Self::Weeks(weeks) => start.saturating_add(Duration::weeks(i64::from(weeks))),
            Self::Days(days) => start.saturating_add(Duration::days(i64::from(days))),
            Self::WorkingDays(days) => calendar.add_working_days(start, days),
            Self::CalendarMonths(months) => add_calendar_months(start, months),
            Self::WeeksBefore(weeks) => start.saturating_sub(Duration::weeks(i64::from(weeks))),
            Self::FixedDate { month, day } => {
                let in_year = |year: i32| {
                    Date::from_calendar_date(year, month, day.clamp(1, month.length(year)))
                };
                match in_year(start.year()) {
                    Ok(date) if date >= start => date,
                    _ => start
                        .year()
                        .checked_add(1)
                        .and_then(|year| in_year(year).ok())
                        .unwrap_or(Date::MAX),
                }
            }
        }
    }
}

/// `date` plus `months` calendar months, clamped to the last day of a shorter
/// month: 29 February 2024 + 12 months is 28 February 2025, 31 December + 2 months
/// is the end of February.
pub fn add_calendar_months(date: Date, months: u32) -> Date {
    let index =
        i64::from(date.year()) * 12 + i64::from(u8::from(date.month())) - 1 + i64::from(months);
    let year = i32::try_from(index.div_euclid(12)).ok();
    let month = u8::try_from(index.rem_euclid(12) + 1)
        .ok()
        .and_then(|month| Month::try_from(month).ok());
    year.zip(month)
        .and_then(|(year, month)| {
            Date::from_calendar_date(year, month, date.day().min(month.length(year))).ok()
        })
        .unwrap_or(Date::MAX)
}

/// The last day to start a Tribunal appeal whose window ends on `end`: a window
/// ending between 25 December and 1 January runs to the first working day after
/// 1 January; one ending in August to the first working day after 31 August; one
/// ending on any other non-working day to the next working day.
pub fn tribunal_window_end(end: Date, calendar: &WorkingCalendar) -> Date {
    // Each rule can lead into another (a Saturday 23 December moves to the
    // 27th, which is in the Christmas period), so apply them until none applies.
    let mut current = end;
    loop {
        let year = current.year();
        let resume = match (current.month(), current.day()) {
            (Month::August, _) => Date::from_calendar_date(year, Month::September, 1).ok(),
            (Month::December, 25..) => year
                .checked_add(1)
                .and_then(|next| Date::from_calendar_date(next, Month::January, 2).ok()),
            (Month::January, 1) => Date::from_calendar_date(year, Month::January, 2).ok(),
            _ => Some(current),
        };
        let next = calendar.next_working_day_on_or_after(resume.unwrap_or(current));
        if next == current {
            return current;
        }
        current = next;
    }
}

/// A second start for a deadline that ends on whichever is later (an appeal may be
/// made within 2 months of the decision or 1 month of a mediation certificate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LaterStart {
    pub event: EventKind,
    pub unit: DeadlineUnit,
}

/// One deadline, as data. The statutory rules ship built in ([`Process::rules`]);
/// a council may add its own local milestones with owned text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineRule {
    /// A stable id, such as `decide_to_assess`. Never change one.
    pub code: Cow<'static, str>,
    /// What has to happen, in plain English.
    pub title: Cow<'static, str>,
    pub start_event: EventKind,
    pub unit: DeadlineUnit,
    /// If set and its event is recorded, the deadline is the later of the two.
    pub or_later: Option<LaterStart>,
    /// Where the rule comes from, such as "SEND Regulations 2014, regulation 5".
    pub reference: Cow<'static, str>,
    /// What happens and what it means, for families.
    pub explanation: Cow<'static, str>,
    /// A Tribunal appeal window: see [`tribunal_window_end`].
    pub tribunal_window: bool,
    /// The date is the earliest something may happen ("at least 15 days"), not a
    /// deadline to meet.
    pub minimum: bool,
}

impl DeadlineRule {
    /// The due date from the recorded events, or `None` if the start event is not
    /// recorded yet.
    pub fn due(&self, events: &Events, calendar: &WorkingCalendar) -> Option<Date> {
        let start = events.get(&self.start_event)?;
        let mut due = self.unit.from_start(*start, calendar);
        if let Some(later) = self.or_later
            && let Some(other) = events.get(&later.event)
        {
            due = due.max(later.unit.from_start(*other, calendar));
        }
        if self.tribunal_window {
            due = tribunal_window_end(due, calendar);
        }
        Some(due)
    }
}

/// A built-in rule with the usual flags (a deadline to meet, not a Tribunal window).
const fn statutory(
    code: &'static str,
    title: &'static str,
    start_event: EventKind,
    unit: DeadlineUnit,
    reference: &'static str,
    explanation: &'static str,
) -> DeadlineRule {
    DeadlineRule {
        code: Cow::Borrowed(code),
        title: Cow::Borrowed(title),
        start_event,
        unit,
        or_later: None,
        reference: Cow::Borrowed(reference),
        explanation: Cow::Borrowed(explanation),
        tribunal_window: false,
        minimum: false,
    }
}

code_enum!(
    /// A statutory timeline (DESIGN §3.1). A case may follow several.
    Process {
        EhcNeedsAssessment => "ehc_needs_assessment",
        AdviceRequest => "advice_request",
        DraftPlanResponse => "draft_plan_response",
        AnnualReview => "annual_review",
        ReviewMeeting => "review_meeting",
        Amendment => "amendment",
        Reassessment => "reassessment",
        /// A move between phases, such as primary to secondary school.
        PhaseTransfer => "phase_transfer",
        /// A move from secondary school to post-16 education.
        PhaseTransferPostSixteen => "phase_transfer_post_16",
        /// A move to another council's area.
        PlanTransfer => "plan_transfer",
        Appeal => "appeal",
    }
);

const REG_20_21: &str = "SEND Regulations 2014, regulations 20 and 21";

impl Process {
    pub fn label(self) -> &'static str {
        match self {
            Self::EhcNeedsAssessment => "EHC needs assessment",
            Self::AdviceRequest => "Advice for an assessment",
            Self::DraftPlanResponse => "Commenting on the draft EHC plan",
            Self::AnnualReview => "Annual review",
            Self::ReviewMeeting => "Review meeting",
            Self::Amendment => "Changing an EHC plan",
            Self::Reassessment => "Re-assessment",
            Self::PhaseTransfer => "Moving to a new school",
            Self::PhaseTransferPostSixteen => "Moving from secondary school to post-16",
            Self::PlanTransfer => "Moving to another council's area",
            Self::Appeal => "Appeal to the Tribunal",
        }
    }

    /// The built-in statutory rules of this timeline.
    #[expect(
        clippy::too_many_lines,
        reason = "the rules are data: one entry per deadline, with its text"
    )]
    pub fn rules(self) -> Vec<DeadlineRule> {
        use DeadlineUnit::{CalendarMonths, Days, FixedDate, Weeks, WeeksBefore, WorkingDays};
        use EventKind as E;
        match self {
            Self::EhcNeedsAssessment => vec![
                statutory(
                    "decide_to_assess",
                    "Decide whether to carry out an assessment",
                    E::RequestReceived,
                    Weeks(6),
                    "SEND Regulations 2014, regulation 5",
                    "The council must tell you whether it will carry out an EHC needs \
                     assessment within 6 weeks of receiving the request. If it decides not \
                     to, it must tell you why and that you can appeal.",
                ),
                statutory(
                    "decide_not_to_issue",
                    "Tell the family if the council decides not to issue a plan",
                    E::RequestReceived,
                    Weeks(16),
                    "SEND Regulations 2014, regulation 10",
                    "If, after the assessment, the council decides not to issue an EHC plan, \
                     it must tell you within 16 weeks of receiving the request, and tell you \
                     that you can appeal.",
                ),
                statutory(
                    "final_plan",
                    "Issue the final EHC plan",
                    E::RequestReceived,
                    Weeks(20),
                    "SEND Regulations 2014, regulation 13(2)",
                    "The whole process, from the request to the final EHC plan, must take no \
                     more than 20 weeks, unless one of the exceptions in the law applies.",
                ),
            ],
            Self::AdviceRequest => vec![statutory(
                "advice_due",
                "Give advice for the assessment",
                E::AdviceRequested,
                Weeks(6),
                "SEND Regulations 2014, regulation 8",
                "Everyone asked for advice for the assessment (such as the school, health \
                 services, an educational psychologist or social care) must give it within \
                 6 weeks of being asked.",
            )],
            Self::DraftPlanResponse => vec![DeadlineRule {
                minimum: true,
                ..statutory(
                    "draft_plan_response",
                    "Comment on the draft EHC plan",
                    E::DraftPlanSent,
                    Days(15),
                    "SEND Regulations 2014, regulation 13(1)",
                    "You have at least 15 days from when the draft plan is sent to comment \
                     on it, to ask for a particular school or college, and to ask for a \
                     meeting. The council cannot finalise the plan before then.",
                )
            }],
            Self::AnnualReview => vec![DeadlineRule {
                or_later: Some(LaterStart {
                    event: E::PreviousReview,
                    unit: CalendarMonths(12),
                }),
                ..statutory(
                    "annual_review",
                    "Review the EHC plan",
                    E::PlanIssued,
                    CalendarMonths(12),
                    "Children and Families Act 2014, section 44",
                    "The plan must be reviewed at least every 12 months: first within 12 \
                     months of the plan being issued, then within 12 months of the last \
                     review.",
                )
            }],
            Self::ReviewMeeting => vec![
                statutory(
                    "review_meeting_notice",
                    "Invite everyone to the review meeting",
                    E::ReviewMeeting,
                    WeeksBefore(2),
                    REG_20_21,
                    "Everyone invited to the review meeting, including you, must be given at \
                     least 2 weeks' notice of it.",
                ),
                statutory(
                    "review_advice_circulated",
                    "Send out advice before the review meeting",
                    E::ReviewMeeting,
                    WeeksBefore(2),
                    REG_20_21,
                    "The advice and information gathered for the review must be sent to \
                     everyone invited at least 2 weeks before the meeting.",
                ),
                statutory(
                    "review_report",
                    "Send the report of the review meeting",
                    E::ReviewMeeting,
                    Weeks(2),
                    "SEND Regulations 2014, regulation 20(7)",
                    "A report of the meeting, with any changes it recommends, must be sent to \
                     everyone invited within 2 weeks of the meeting.",
                ),
                statutory(
                    "review_decision",
                    "Decide whether to keep, change or end the plan",
                    E::ReviewMeeting,
                    Weeks(4),
                    "SEND Regulations 2014, regulations 20(10) and 22",
                    "Within 4 weeks of the meeting the council must tell you whether it will \
                     keep the plan as it is, change it or stop it. If it wants to change it, \
                     it sends you the changes it proposes.",
                ),
            ],
            Self::Amendment => vec![
                DeadlineRule {
                    minimum: true,
                    ..statutory(
                        "amendment_comments",
                        "Comment on the proposed changes to the EHC plan",
                        E::AmendmentNotice,
                        Days(15),
                        "SEND Regulations 2014, regulation 22(2)(c)",
                        "You have at least 15 days from when the council sends you the \
                         proposed changes to comment on them, to ask for a particular school \
                         or college, and to ask for a meeting. The council cannot finalise the \
                         amended plan before then.",
                    )
                },
                statutory(
                    "final_amended_plan",
                    "Issue the amended EHC plan",
                    E::AmendmentNotice,
                    Weeks(8),
                    "SEND Regulations 2014, regulation 22(3)",
                    "If the council proposes changes to the plan, it must issue the final \
                     amended plan within 8 weeks of sending you the proposed changes.",
                ),
            ],
            Self::Reassessment => vec![statutory(
                "reassessment_final_plan",
                "Issue the final plan after a re-assessment",
                E::ReassessmentDecision,
                Weeks(14),
                "SEND Regulations 2014, regulation 27",
                "After deciding to carry out a new assessment, the council must finish it \
                 and issue the final plan within 14 weeks.",
            )],
            Self::PhaseTransfer => vec![statutory(
                "phase_transfer_review",
                "Review the plan and name the new school",
                E::TransferYear,
                FixedDate {
                    month: Month::February,
                    day: 15,
                },
                "SEND Regulations 2014, regulation 18",
                "When a child moves to a new phase of education, such as from primary to \
                 secondary school, the plan must be reviewed and changed, naming the new \
                 school, by 15 February in the year of the move.",
            )],
            Self::PhaseTransferPostSixteen => vec![statutory(
                "phase_transfer_post_16_review",
                "Review the plan and name the post-16 school or college",
                E::TransferYear,
                FixedDate {
                    month: Month::March,
                    day: 31,
                },
                "SEND Regulations 2014, regulation 18",
                "When a young person moves from secondary school to post-16 education, the \
                 plan must be reviewed and changed, naming the school or college, by 31 \
                 March in the year of the move.",
            )],
            Self::PlanTransfer => vec![statutory(
                "plan_transfer",
                "Send the plan to the new council",
                E::MoveKnown,
                WorkingDays(15),
                "SEND Regulations 2014, regulation 15",
                "When a family with an EHC plan moves to another council's area, the old \
                 council must send the plan to the new council. If it finds out about the \
                 move less than 15 working days before it, it has 15 working days from \
                 finding out.",
            )],
            Self::Appeal => vec![DeadlineRule {
                or_later: Some(LaterStart {
                    event: E::MediationCertificate,
                    unit: CalendarMonths(1),
                }),
                tribunal_window: true,
                ..statutory(
                    "appeal_deadline",
                    "Last day to appeal to the Tribunal",
                    E::DecisionMade,
                    CalendarMonths(2),
                    "Tribunal Procedure (First-tier Tribunal) (Health, Education and Social \
                     Care Chamber) Rules 2008, rule 20",
                    "You can appeal to the SEND Tribunal within 2 months of the date of the \
                     council's decision letter, or within 1 month of getting a mediation \
                     certificate, whichever is later. If the last day is a weekend or bank \
                     holiday you have until the next working day; if it falls between 25 \
                     December and 1 January, or in August, you have until the first working \
                     day after 1 January or after 31 August.",
                )
            }],
        }
    }

    /// The dates someone must give to work out this timeline (the public calculator
    /// asks for these).
    pub fn required_events(self) -> Vec<EventKind> {
        let mut events = Vec::new();
        for rule in self.rules() {
            if !events.contains(&rule.start_event) {
                events.push(rule.start_event);
            }
        }
        events
    }

    /// Dates that may change the result if known (a later review, a mediation
    /// certificate), but need not be given.
    pub fn optional_events(self) -> Vec<EventKind> {
        let mut events = Vec::new();
        for later in self.rules().into_iter().filter_map(|rule| rule.or_later) {
            if !events.contains(&later.event) {
                events.push(later.event);
            }
        }
        events
    }
}

code_enum!(
    /// Why a deadline need not be met (SEND Regulations 2014, regulation 10(4)).
    Exception {
        SchoolClosed => "school_closed",
        ExceptionalPersonalCircumstances => "exceptional_personal_circumstances",
        AbsentFromArea => "absent_from_area",
    }
);

impl Exception {
    pub fn label(self) -> &'static str {
        match self {
            Self::SchoolClosed => {
                "The school or setting asked for advice was closed for 4 weeks or more"
            }
            Self::ExceptionalPersonalCircumstances => {
                "Exceptional personal circumstances affected the child or family"
            }
            Self::AbsentFromArea => {
                "The child or family was away from the area for 4 weeks or more"
            }
        }
    }

    pub fn reference(self) -> &'static str {
        match self {
            Self::SchoolClosed => "SEND Regulations 2014, regulation 10(4)(a)",
            Self::ExceptionalPersonalCircumstances => "SEND Regulations 2014, regulation 10(4)(b)",
            Self::AbsentFromArea => "SEND Regulations 2014, regulation 10(4)(c)",
        }
    }
}

/// Why an exception was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExceptionError {
    #[error("Enter the reason for the exception")]
    NoReason,
}

/// An exception recorded against one deadline (by its rule code), with a reason.
/// It excuses that deadline and no other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedException {
    pub kind: Exception,
    pub rule_code: String,
    pub reason: String,
    pub recorded_on: Date,
}

impl RecordedException {
    /// An exception with its reason trimmed; an empty reason is refused.
    pub fn new(
        kind: Exception,
        rule_code: impl Into<String>,
        reason: &str,
        recorded_on: Date,
    ) -> Result<Self, ExceptionError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(ExceptionError::NoReason);
        }
        Ok(Self {
            kind,
            rule_code: rule_code.into(),
            reason: reason.to_owned(),
            recorded_on,
        })
    }
}

/// The dates recorded on a case, by what happened.
pub type Events = BTreeMap<EventKind, Date>;

/// When each deadline was met, by rule code.
pub type Completions = BTreeMap<String, Date>;

/// A deadline is "due soon" from this many days before it, counting today.
pub const DUE_SOON_DAYS: i64 = 14;

/// Where a deadline stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyDateStatus {
    /// Its start event is not recorded yet.
    NotStarted,
    Upcoming,
    /// Due within [`DUE_SOON_DAYS`] days, counting today.
    DueSoon,
    /// Met on or before the due date (or, for a minimum period, closed on this date).
    MetOn(Date),
    /// Met, but after the due date.
    Late {
        met_on: Date,
        days_late: u32,
    },
    /// Not met, and the due date has passed.
    Missed {
        days_overdue: u32,
    },
    /// A minimum period ("at least 15 days") has run its course.
    Passed,
    /// An exception was recorded against this deadline.
    Excused {
        exception: RecordedException,
    },
}

/// One deadline of a case with its date and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyDate {
    pub rule: DeadlineRule,
    /// `None` until the start event is recorded. Tribunal windows are already adjusted.
    pub due: Option<Date>,
    pub status: KeyDateStatus,
}

/// The key dates of a case: one for each rule, in the order given.
pub fn key_dates(
    rules: &[DeadlineRule],
    events: &Events,
    exceptions: &[RecordedException],
    completions: &Completions,
    today: Date,
    calendar: &WorkingCalendar,
) -> Vec<KeyDate> {
    rules
        .iter()
        .map(|rule| {
            let due = rule.due(events, calendar);
            let status = due.map_or(KeyDateStatus::NotStarted, |due| {
                status(rule, due, exceptions, completions, today)
            });
            KeyDate {
                rule: rule.clone(),
                due,
                status,
            }
        })
        .collect()
}

fn status(
    rule: &DeadlineRule,
    due: Date,
    exceptions: &[RecordedException],
    completions: &Completions,
    today: Date,
) -> KeyDateStatus {
    let days = |from: Date, to: Date| u32::try_from((to - from).whole_days()).unwrap_or(u32::MAX);
    let completed = completions.get(&*rule.code).copied();
    if let Some(met_on) = completed
        && (met_on <= due || rule.minimum)
    {
        return KeyDateStatus::MetOn(met_on);
    }
    if let Some(exception) = exceptions
        .iter()
        .find(|exception| exception.rule_code == rule.code)
    {
        return KeyDateStatus::Excused {
            exception: exception.clone(),
        };
    }
    if let Some(met_on) = completed {
        return KeyDateStatus::Late {
            met_on,
            days_late: days(due, met_on),
        };
    }
    if today > due {
        if rule.minimum {
            return KeyDateStatus::Passed;
        }
        return KeyDateStatus::Missed {
            days_overdue: days(due, today),
        };
    }
    if (due - today).whole_days() < DUE_SOON_DAYS {
        KeyDateStatus::DueSoon
    } else {
        KeyDateStatus::Upcoming
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use time::macros::date;

    use super::*;

    fn england() -> WorkingCalendar {
        WorkingCalendar::england()
    }

    fn rule(process: Process, code: &str) -> DeadlineRule {
        process
            .rules()
            .into_iter()
            .find(|rule| rule.code == code)
            .unwrap()
    }

    fn due(process: Process, code: &str, events: &[(EventKind, Date)]) -> Date {
        rule(process, code)
            .due(&events.iter().copied().collect(), &england())
            .unwrap()
    }

    #[test]
    #[expect(clippy::too_many_lines, reason = "one row per rule of the table")]
    fn every_rule_of_section_3_1() {
        use EventKind as E;
        use Process as P;
        let start = date!(2026 - 03 - 02);
        for (process, code, event, expected) in [
            (
                P::EhcNeedsAssessment,
                "decide_to_assess",
                E::RequestReceived,
                date!(2026 - 04 - 13),
            ),
            (
                P::EhcNeedsAssessment,
                "decide_not_to_issue",
                E::RequestReceived,
                date!(2026 - 06 - 22),
            ),
            (
                P::EhcNeedsAssessment,
                "final_plan",
                E::RequestReceived,
                date!(2026 - 07 - 20),
            ),
            (
                P::AdviceRequest,
                "advice_due",
                E::AdviceRequested,
                date!(2026 - 04 - 13),
            ),
            (
                P::DraftPlanResponse,
                "draft_plan_response",
                E::DraftPlanSent,
                date!(2026 - 03 - 17),
            ),
            (
                P::AnnualReview,
                "annual_review",
                E::PlanIssued,
                date!(2027 - 03 - 02),
            ),
            (
                P::ReviewMeeting,
                "review_meeting_notice",
                E::ReviewMeeting,
                date!(2026 - 02 - 16),
            ),
            (
                P::ReviewMeeting,
                "review_advice_circulated",
                E::ReviewMeeting,
                date!(2026 - 02 - 16),
            ),
            (
                P::ReviewMeeting,
                "review_report",
                E::ReviewMeeting,
                date!(2026 - 03 - 16),
            ),
            (
                P::ReviewMeeting,
                "review_decision",
                E::ReviewMeeting,
                date!(2026 - 03 - 30),
            ),
            (
                P::Amendment,
                "amendment_comments",
                E::AmendmentNotice,
                date!(2026 - 03 - 17),
            ),
            (
                P::Amendment,
                "final_amended_plan",
                E::AmendmentNotice,
                date!(2026 - 04 - 27),
            ),
            (
                P::Reassessment,
                "reassessment_final_plan",
                E::ReassessmentDecision,
                date!(2026 - 06 - 08),
            ),
            (
                P::PhaseTransfer,
                "phase_transfer_review",
                E::TransferYear,
                date!(2027 - 02 - 15),
            ),
            (
                P::PhaseTransferPostSixteen,
                "phase_transfer_post_16_review",
                E::TransferYear,
                date!(2026 - 03 - 31),
            ),
            (
                P::PlanTransfer,
                "plan_transfer",
                E::MoveKnown,
                date!(2026 - 03 - 23),
            ),
            (
                P::Appeal,
                "appeal_deadline",
                E::DecisionMade,
                date!(2026 - 05 - 05),
            ),
        ] {
            assert_eq!(
                due(process, code, &[(event, start)]),
                expected,
                "{process} {code}"
            );
        }
        // 2 May 2026 is a Saturday and Monday 4 May a bank holiday: the appeal runs to Tuesday.
        assert_eq!(
            rule(P::Appeal, "appeal_deadline")
                .unit
                .from_start(start, &england()),
            date!(2026 - 05 - 02)
        );
    }

    #[test]
    fn the_built_in_rules_are_well_formed() {
        let mut codes = Vec::new();
        for process in Process::ALL {
            assert_eq!(process.code().parse::<Process>(), Ok(*process));
            assert!(!process.label().is_empty());
            let rules = process.rules();
            assert!(!rules.is_empty(), "{process}");
            assert!(!process.required_events().is_empty(), "{process}");
            for rule in rules {
                assert!(!rule.title.is_empty() && !rule.explanation.is_empty());
                assert!(!rule.reference.is_empty(), "{}", rule.code);
                assert!(!codes.contains(&rule.code), "duplicate {}", rule.code);
                codes.push(rule.code);
            }
        }
        assert_eq!(Process::Appeal.required_events(), [EventKind::DecisionMade]);
        assert_eq!(
            Process::Appeal.optional_events(),
            [EventKind::MediationCertificate]
        );
        assert_eq!(
            Process::ReviewMeeting.required_events(),
            [EventKind::ReviewMeeting]
        );
        for event in EventKind::ALL {
            assert_eq!(event.code().parse::<EventKind>(), Ok(*event));
            assert!(!event.label().is_empty());
        }
    }

    #[test]
    fn months_clamp_to_the_end_of_shorter_months() {
        assert_eq!(
            add_calendar_months(date!(2024 - 02 - 29), 12),
            date!(2025 - 02 - 28)
        );
        assert_eq!(
            add_calendar_months(date!(2027 - 02 - 28), 12),
            date!(2028 - 02 - 28)
        );
        assert_eq!(
            add_calendar_months(date!(2026 - 12 - 31), 2),
            date!(2027 - 02 - 28)
        );
        assert_eq!(
            add_calendar_months(date!(2027 - 12 - 31), 2),
            date!(2028 - 02 - 29)
        );
        assert_eq!(
            add_calendar_months(date!(2024 - 01 - 31), 1),
            date!(2024 - 02 - 29)
        );
        assert_eq!(
            add_calendar_months(date!(2026 - 08 - 31), 1),
            date!(2026 - 09 - 30)
        );
        assert_eq!(
            add_calendar_months(date!(2026 - 11 - 15), 0),
            date!(2026 - 11 - 15)
        );
        assert_eq!(
            due(
                Process::AnnualReview,
                "annual_review",
                &[(EventKind::PlanIssued, date!(2024 - 02 - 29))]
            ),
            date!(2025 - 02 - 28)
        );
    }

    #[test]
    fn the_annual_review_counts_from_the_later_of_issue_and_last_review() {
        let annual =
            |events: &[(EventKind, Date)]| due(Process::AnnualReview, "annual_review", events);
        assert_eq!(
            annual(&[
                (EventKind::PlanIssued, date!(2024 - 05 - 10)),
                (EventKind::PreviousReview, date!(2025 - 04 - 02)),
            ]),
            date!(2026 - 04 - 02)
        );
    }

    #[test]
    fn council_deadlines_are_not_moved_off_weekends_or_holidays() {
        let final_plan = |received| {
            due(
                Process::EhcNeedsAssessment,
                "final_plan",
                &[(EventKind::RequestReceived, received)],
            )
        };
        // Friday 7 August 2026 + 20 weeks is Christmas Day: it stays there.
        assert_eq!(final_plan(date!(2026 - 08 - 07)), date!(2026 - 12 - 25));
        // A request received on a Saturday: 20 weeks later is a Saturday too.
        assert_eq!(final_plan(date!(2026 - 01 - 03)), date!(2026 - 05 - 23));
        // A request received on a bank holiday (Spring bank holiday 2026).
        assert_eq!(final_plan(date!(2026 - 05 - 25)), date!(2026 - 10 - 12));
        // 15 February 2026 is a Sunday: the phase transfer deadline stays.
        assert_eq!(
            due(
                Process::PhaseTransfer,
                "phase_transfer_review",
                &[(EventKind::TransferYear, date!(2026 - 01 - 01))]
            ),
            date!(2026 - 02 - 15)
        );
    }

    #[test]
    fn fixed_dates_are_the_next_on_or_after_the_start() {
        let feb = |start| {
            due(
                Process::PhaseTransfer,
                "phase_transfer_review",
                &[(EventKind::TransferYear, start)],
            )
        };
        let march = |start| {
            due(
                Process::PhaseTransferPostSixteen,
                "phase_transfer_post_16_review",
                &[(EventKind::TransferYear, start)],
            )
        };
        assert_eq!(feb(date!(2026 - 12 - 01)), date!(2027 - 02 - 15));
        assert_eq!(feb(date!(2027 - 01 - 01)), date!(2027 - 02 - 15));
        assert_eq!(feb(date!(2027 - 02 - 15)), date!(2027 - 02 - 15));
        assert_eq!(feb(date!(2027 - 02 - 16)), date!(2028 - 02 - 15));
        assert_eq!(march(date!(2026 - 12 - 20)), date!(2027 - 03 - 31));
        assert_eq!(march(date!(2027 - 04 - 01)), date!(2028 - 03 - 31));
        let leap_day = DeadlineUnit::FixedDate {
            month: Month::February,
            day: 29,
        };
        assert_eq!(
            leap_day.from_start(date!(2027 - 01 - 01), &england()),
            date!(2027 - 02 - 28)
        );
        assert_eq!(
            leap_day.from_start(date!(2027 - 03 - 01), &england()),
            date!(2028 - 02 - 29)
        );
    }

    fn appeal(decision: Date, certificate: Option<Date>) -> Date {
        let mut events = vec![(EventKind::DecisionMade, decision)];
        events.extend(certificate.map(|day| (EventKind::MediationCertificate, day)));
        due(Process::Appeal, "appeal_deadline", &events)
    }

    #[test]
    fn appeal_windows_move_off_non_working_days() {
        // 31 December + 2 months is Sunday 28 February 2027: runs to Monday 1 March.
        assert_eq!(appeal(date!(2026 - 12 - 31), None), date!(2027 - 03 - 01));
        // In a leap year it ends on Tuesday 29 February 2028.
        assert_eq!(appeal(date!(2027 - 12 - 31), None), date!(2028 - 02 - 29));
        // Ends Saturday 13 June 2026: runs to Monday 15 June.
        assert_eq!(appeal(date!(2026 - 04 - 13), None), date!(2026 - 06 - 15));
        // A working day stays.
        assert_eq!(appeal(date!(2026 - 04 - 10), None), date!(2026 - 06 - 10));
    }

    #[test]
    fn appeal_windows_ending_in_august_run_to_september() {
        // Ends 10 August 2026: the first working day after 31 August is Tuesday 1 September
        // (31 August is a bank holiday anyway).
        assert_eq!(appeal(date!(2026 - 06 - 10), None), date!(2026 - 09 - 01));
        // Ends Friday 30 August 2024; 1 September 2024 is a Sunday.
        assert_eq!(appeal(date!(2024 - 06 - 30), None), date!(2024 - 09 - 02));
        // Ends 31 July: not moved.
        assert_eq!(appeal(date!(2026 - 05 - 31), None), date!(2026 - 07 - 31));
    }

    #[test]
    fn appeal_windows_ending_over_christmas_run_past_new_year() {
        // Ends Saturday 23 December 2028: the next working day, Wednesday 27th, is
        // in the Christmas period, so it runs on to Tuesday 2 January 2029.
        assert_eq!(
            tribunal_window_end(date!(2028 - 12 - 23), &WorkingCalendar::england()),
            date!(2029 - 01 - 02)
        );
        // Ends Saturday 26 December 2026: runs to Monday 4 January 2027.
        assert_eq!(appeal(date!(2026 - 10 - 26), None), date!(2027 - 01 - 04));
        // Ends on 1 January itself.
        assert_eq!(appeal(date!(2026 - 11 - 01), None), date!(2027 - 01 - 04));
        // Ends Wednesday 30 December 2026, a working day: still moved.
        assert_eq!(appeal(date!(2026 - 10 - 30), None), date!(2027 - 01 - 04));
        // Ends Thursday 24 December 2026: not moved.
        assert_eq!(appeal(date!(2026 - 10 - 24), None), date!(2026 - 12 - 24));
        // Ends 2 January 2027, a Saturday: the next working day.
        assert_eq!(appeal(date!(2026 - 11 - 02), None), date!(2027 - 01 - 04));
    }

    #[test]
    fn appeal_takes_the_later_of_decision_and_mediation_certificate() {
        // Decision window ends Friday 1 May 2026; certificate window Friday 15 May.
        assert_eq!(
            appeal(date!(2026 - 03 - 01), Some(date!(2026 - 04 - 15))),
            date!(2026 - 05 - 15)
        );
        // An early certificate does not shorten the decision window.
        assert_eq!(
            appeal(date!(2026 - 03 - 01), Some(date!(2026 - 03 - 10))),
            date!(2026 - 05 - 01)
        );
        // A certificate window ending in August moves too.
        assert_eq!(
            appeal(date!(2026 - 05 - 01), Some(date!(2026 - 07 - 20))),
            date!(2026 - 09 - 01)
        );
    }

    #[test]
    fn working_days_across_easter_and_christmas() {
        let transfer = |known| {
            due(
                Process::PlanTransfer,
                "plan_transfer",
                &[(EventKind::MoveKnown, known)],
            )
        };
        assert_eq!(transfer(date!(2026 - 04 - 01)), date!(2026 - 04 - 24));
        assert_eq!(transfer(date!(2026 - 12 - 21)), date!(2027 - 01 - 14));
        // Found out on a Saturday: counting starts on the Monday.
        assert_eq!(transfer(date!(2026 - 03 - 07)), date!(2026 - 03 - 27));
    }

    fn assessment_started(received: Date) -> Events {
        [(EventKind::RequestReceived, received)]
            .into_iter()
            .collect()
    }

    fn status_of(dates: &[KeyDate], code: &str) -> KeyDateStatus {
        dates
            .iter()
            .find(|date| date.rule.code == code)
            .unwrap()
            .status
            .clone()
    }

    #[test]
    fn an_exception_excuses_only_the_deadline_it_names() {
        let received = date!(2026 - 03 - 02);
        let exception = RecordedException::new(
            Exception::SchoolClosed,
            "final_plan",
            "  The school was closed for the summer holidays.  ",
            date!(2026 - 07 - 01),
        )
        .unwrap();
        assert_eq!(
            exception.reason,
            "The school was closed for the summer holidays."
        );
        let completions: Completions = [("decide_to_assess".to_owned(), date!(2026 - 04 - 10))]
            .into_iter()
            .collect();
        let dates = key_dates(
            &Process::EhcNeedsAssessment.rules(),
            &assessment_started(received),
            std::slice::from_ref(&exception),
            &completions,
            date!(2026 - 08 - 03),
            &england(),
        );
        assert_eq!(
            status_of(&dates, "decide_to_assess"),
            KeyDateStatus::MetOn(date!(2026 - 04 - 10))
        );
        assert_eq!(
            status_of(&dates, "decide_not_to_issue"),
            KeyDateStatus::Missed { days_overdue: 42 }
        );
        assert_eq!(
            status_of(&dates, "final_plan"),
            KeyDateStatus::Excused { exception }
        );
        assert_eq!(
            RecordedException::new(Exception::AbsentFromArea, "final_plan", " ", received),
            Err(ExceptionError::NoReason)
        );
        for exception in Exception::ALL {
            assert!(
                exception
                    .reference()
                    .starts_with("SEND Regulations 2014, regulation 10(4)")
            );
            assert!(!exception.label().is_empty());
        }
    }

    #[test]
    fn statuses_follow_today_and_completions() {
        // Due: decide 13 April, not-to-issue 22 June, final plan 20 July 2026.
        let received = date!(2026 - 03 - 02);
        let rules = Process::EhcNeedsAssessment.rules();
        let at = |today, completions: &[(&str, Date)]| {
            let completions = completions
                .iter()
                .map(|(code, day)| ((*code).to_owned(), *day))
                .collect();
            key_dates(
                &rules,
                &assessment_started(received),
                &[],
                &completions,
                today,
                &england(),
            )
        };
        let early = at(date!(2026 - 03 - 10), &[]);
        assert!(
            early
                .iter()
                .all(|date| date.status == KeyDateStatus::Upcoming)
        );
        assert_eq!(early[0].due, Some(date!(2026 - 04 - 13)));

        // 14 days before, counting today, is due soon; 15 days before is not.
        assert_eq!(
            status_of(&at(date!(2026 - 03 - 31), &[]), "decide_to_assess"),
            KeyDateStatus::DueSoon
        );
        assert_eq!(
            status_of(&at(date!(2026 - 03 - 30), &[]), "decide_to_assess"),
            KeyDateStatus::Upcoming
        );
        assert_eq!(
            status_of(&at(date!(2026 - 04 - 13), &[]), "decide_to_assess"),
            KeyDateStatus::DueSoon
        );
        assert_eq!(
            status_of(&at(date!(2026 - 04 - 14), &[]), "decide_to_assess"),
            KeyDateStatus::Missed { days_overdue: 1 }
        );
        assert_eq!(
            status_of(
                &at(
                    date!(2026 - 05 - 01),
                    &[("decide_to_assess", date!(2026 - 04 - 13))]
                ),
                "decide_to_assess"
            ),
            KeyDateStatus::MetOn(date!(2026 - 04 - 13))
        );
        assert_eq!(
            status_of(
                &at(
                    date!(2026 - 05 - 01),
                    &[("decide_to_assess", date!(2026 - 04 - 20))]
                ),
                "decide_to_assess"
            ),
            KeyDateStatus::Late {
                met_on: date!(2026 - 04 - 20),
                days_late: 7
            }
        );
    }

    #[test]
    fn a_minimum_period_passes_rather_than_being_missed() {
        let rules = Process::DraftPlanResponse.rules();
        let events: Events = [(EventKind::DraftPlanSent, date!(2026 - 03 - 02))]
            .into_iter()
            .collect();
        let at = |today| {
            key_dates(&rules, &events, &[], &Completions::new(), today, &england())[0]
                .status
                .clone()
        };
        assert_eq!(at(date!(2026 - 03 - 10)), KeyDateStatus::DueSoon);
        assert_eq!(at(date!(2026 - 03 - 18)), KeyDateStatus::Passed);
        let replied: Completions = [("draft_plan_response".to_owned(), date!(2026 - 03 - 20))]
            .into_iter()
            .collect();
        assert_eq!(
            key_dates(
                &rules,
                &events,
                &[],
                &replied,
                date!(2026 - 03 - 25),
                &england()
            )[0]
            .status,
            KeyDateStatus::MetOn(date!(2026 - 03 - 20))
        );
    }

    #[test]
    fn proposed_amendments_give_the_family_15_days_then_8_weeks_to_the_final_plan() {
        let rules = Process::Amendment.rules();
        let codes: Vec<&str> = rules.iter().map(|rule| &*rule.code).collect();
        assert_eq!(codes, ["amendment_comments", "final_amended_plan"]);
        assert!(rules[0].minimum, "at least 15 days: not a deadline to miss");
        assert!(!rules[1].minimum);
        assert_eq!(
            Process::Amendment.required_events(),
            [EventKind::AmendmentNotice]
        );

        let events: Events = [(EventKind::AmendmentNotice, date!(2027 - 01 - 04))]
            .into_iter()
            .collect();
        let at = |today| key_dates(&rules, &events, &[], &Completions::new(), today, &england());
        let dates = at(date!(2027 - 01 - 06));
        assert_eq!(dates[0].due, Some(date!(2027 - 01 - 19)));
        assert_eq!(dates[0].status, KeyDateStatus::DueSoon);
        // The final amended plan stays 8 weeks from the notice.
        assert_eq!(dates[1].due, Some(date!(2027 - 03 - 01)));
        assert_eq!(dates[1].status, KeyDateStatus::Upcoming);

        // Once the 15 days have run, the window has passed, not been missed.
        let later = at(date!(2027 - 01 - 20));
        assert_eq!(later[0].status, KeyDateStatus::Passed);
        assert_eq!(later[1].due, Some(date!(2027 - 03 - 01)));
    }

    #[test]
    fn a_council_can_add_its_own_milestones() {
        let panel = DeadlineRule {
            code: Cow::Owned("panel_meeting".to_owned()),
            title: Cow::Owned("Take the case to the SEND panel".to_owned()),
            start_event: EventKind::RequestReceived,
            unit: DeadlineUnit::WorkingDays(20),
            or_later: None,
            reference: Cow::Owned("Council practice".to_owned()),
            explanation: Cow::Owned("The SEND panel looks at every request.".to_owned()),
            tribunal_window: false,
            minimum: false,
        };
        let mut rules = Process::EhcNeedsAssessment.rules();
        rules.push(panel);
        let dates = key_dates(
            &rules,
            &assessment_started(date!(2026 - 03 - 02)),
            &[],
            &Completions::new(),
            date!(2026 - 03 - 02),
            &england(),
        );
        assert_eq!(dates.len(), 4);
        // 20 working days from Monday 2 March 2026 (Easter is later).
        assert_eq!(dates[3].due, Some(date!(2026 - 03 - 30)));
    }

    #[test]
    fn nothing_is_due_before_its_start_event() {
        let dates = key_dates(
            &Process::Appeal.rules(),
            &[(EventKind::MediationCertificate, date!(2026 - 03 - 01))]
                .into_iter()
                .collect(),
            &[],
            &Completions::new(),
            date!(2026 - 06 - 01),
            &england(),
        );
        assert_eq!(dates[0].due, None);
        assert_eq!(dates[0].status, KeyDateStatus::NotStarted);
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (2000i32..2060, 1u16..=365).prop_filter_map("a real date", |(year, ordinal)| {
            Date::from_ordinal_date(year, ordinal).ok()
        })
    }

    fn all_rules() -> Vec<DeadlineRule> {
        Process::ALL
            .iter()
            .flat_map(|process| process.rules())
            .collect()
    }

    fn any_events() -> impl Strategy<Value = Events> {
        proptest::collection::btree_map(
            proptest::sample::select(EventKind::ALL),
            any_date(),
            0..EventKind::ALL.len(),
        )
    }

    fn any_completions() -> impl Strategy<Value = Completions> {
        let codes: Vec<String> = all_rules()
            .into_iter()
            .map(|rule| rule.code.into_owned())
            .collect();
        proptest::collection::btree_map(proptest::sample::select(codes), any_date(), 0..6)
    }

    fn any_exceptions() -> impl Strategy<Value = Vec<RecordedException>> {
        let codes: Vec<String> = all_rules()
            .into_iter()
            .map(|rule| rule.code.into_owned())
            .collect();
        proptest::collection::vec(
            (
                proptest::sample::select(Exception::ALL),
                proptest::sample::select(codes),
                any_date(),
            )
                .prop_map(|(kind, rule_code, recorded_on)| RecordedException {
                    kind,
                    rule_code,
                    reason: "A reason".to_owned(),
                    recorded_on,
                }),
            0..3,
        )
    }

    proptest! {
        #[test]
        fn key_dates_are_deterministic_and_wait_for_their_start(
            events in any_events(),
            exceptions in any_exceptions(),
            completions in any_completions(),
            today in any_date(),
        ) {
            let calendar = england();
            let rules = all_rules();
            let first = key_dates(&rules, &events, &exceptions, &completions, today, &calendar);
            let second = key_dates(&rules, &events, &exceptions, &completions, today, &calendar);
            prop_assert_eq!(&first, &second);
            prop_assert_eq!(first.len(), rules.len());
            for date in &first {
                let started = events.contains_key(&date.rule.start_event);
                prop_assert_eq!(date.due.is_some(), started);
                if !started {
                    prop_assert_eq!(&date.status, &KeyDateStatus::NotStarted);
                }
                if let KeyDateStatus::Excused { exception } = &date.status {
                    prop_assert_eq!(&exception.rule_code, &date.rule.code);
                }
            }
        }

        #[test]
        fn tribunal_windows_end_on_a_working_day_outside_august_and_christmas(
            end in any_date(),
        ) {
            let calendar = england();
            let moved = tribunal_window_end(end, &calendar);
            prop_assert!(moved >= end);
            prop_assert!(calendar.is_working_day(moved));
            prop_assert!(moved.month() != Month::August);
            prop_assert!(!(moved.month() == Month::December && moved.day() >= 25));
            prop_assert!(!(moved.month() == Month::January && moved.day() == 1));
        }

        #[test]
        fn council_deadlines_count_exact_days(start in any_date(), weeks in 0u32..60) {
            let calendar = england();
            prop_assert_eq!(
                (DeadlineUnit::Weeks(weeks).from_start(start, &calendar) - start).whole_days(),
                i64::from(weeks) * 7
            );
            prop_assert_eq!(
                (start - DeadlineUnit::WeeksBefore(weeks).from_start(start, &calendar)).whole_days(),
                i64::from(weeks) * 7
            );
        }

        #[test]
        fn a_month_step_never_overshoots_the_month(start in any_date(), months in 0u32..40) {
            let end = add_calendar_months(start, months);
            prop_assert!(end >= start);
            prop_assert!(end.day() <= start.day());
            let month_index = |date: Date| i64::from(date.year()) * 12 + i64::from(u8::from(date.month()));
            prop_assert_eq!(month_index(end) - month_index(start), i64::from(months));
        }
    }
}
