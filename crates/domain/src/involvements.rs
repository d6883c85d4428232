//! Involvements (DESIGN CASE-2): an EHC needs assessment, an EHC plan, or a
//! re-assessment, moved through its stages by explicit actions with a date and a
//! note, and kept in the shape the SEN2 return needs.
//!
//! Each stage change records what the statutory timeline counts from (the events)
//! and what it meets (the completions), so the key dates and their statuses come
//! straight from the timeline engine.

use time::{Date, OffsetDateTime};

use crate::audit::code_enum;
use crate::calendar::WorkingCalendar;
use crate::ids::{ChildId, InvolvementId, UserId};
use crate::timeline::{
    Completions, DeadlineRule, EventKind, Events, KeyDate, Process, RecordedException, key_dates,
};

code_enum!(
    /// What kind of involvement.
    InvolvementKind {
        Assessment => "assessment",
        Plan => "plan",
        Reassessment => "reassessment",
    }
);

impl InvolvementKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Assessment => "EHC needs assessment",
            Self::Plan => "EHC plan",
            Self::Reassessment => "Re-assessment",
        }
    }

    /// The stage a new involvement of this kind starts at.
    pub fn first_stage(self) -> Stage {
        match self {
            Self::Assessment => Stage::RequestReceived,
            Self::Plan => Stage::PlanInForce,
            Self::Reassessment => Stage::ReassessmentAgreed,
        }
    }

    /// What the involvement's start date is, and which event it records.
    pub fn start_event(self) -> EventKind {
        match self {
            Self::Assessment => EventKind::RequestReceived,
            Self::Plan => EventKind::PlanIssued,
            Self::Reassessment => EventKind::ReassessmentDecision,
        }
    }

    /// The statutory timelines that apply.
    pub fn processes(self) -> &'static [Process] {
        match self {
            Self::Assessment => &[Process::EhcNeedsAssessment, Process::DraftPlanResponse],
            Self::Plan => &[
                Process::AnnualReview,
                Process::ReviewMeeting,
                Process::Amendment,
            ],
            Self::Reassessment => &[Process::Reassessment, Process::DraftPlanResponse],
        }
    }

    /// Every statutory rule that applies, in order.
    pub fn rules(self) -> Vec<DeadlineRule> {
        self.processes().iter().flat_map(|p| p.rules()).collect()
    }
}

code_enum!(
    /// Where an involvement is. The order of an assessment's stages is the order
    /// families see on the SEND Dashboard.
    Stage {
        RequestReceived => "request_received",
        DecisionToAssess => "decision_to_assess",
        AssessmentAndAdvice => "assessment_and_advice",
        DraftPlan => "draft_plan",
        FinalPlan => "final_plan",
        /// The council decided not to assess (an outcome; the family may appeal).
        NotAssessed => "not_assessed",
        /// The council decided not to issue a plan after assessing.
        NotIssued => "not_issued",
        /// A plan is in force: reviews and amendments happen here.
        PlanInForce => "plan_in_force",
        /// The plan has ended.
        PlanCeased => "plan_ceased",
        /// The council agreed to re-assess.
        ReassessmentAgreed => "reassessment_agreed",
    }
);

impl Stage {
    pub fn label(self) -> &'static str {
        match self {
            Self::RequestReceived => "Request received",
            Self::DecisionToAssess => "Decision to assess",
            Self::AssessmentAndAdvice => "Assessment and advice",
            Self::DraftPlan => "Draft plan",
            Self::FinalPlan => "Final plan issued",
            Self::NotAssessed => "Decided not to assess",
            Self::NotIssued => "Decided not to issue a plan",
            Self::PlanInForce => "Plan in force",
            Self::PlanCeased => "Plan ceased",
            Self::ReassessmentAgreed => "Re-assessment agreed",
        }
    }

    /// Whether the involvement is finished at this stage.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            Self::FinalPlan | Self::NotAssessed | Self::NotIssued | Self::PlanCeased
        )
    }

    /// The stages an involvement of `kind` can move to from here.
    pub fn next(self, kind: InvolvementKind) -> &'static [Stage] {
        use InvolvementKind::{Assessment, Plan, Reassessment};
        match (kind, self) {
            (Assessment, Self::RequestReceived) => &[Self::DecisionToAssess, Self::NotAssessed],
            (Assessment, Self::DecisionToAssess) => &[Self::AssessmentAndAdvice, Self::NotIssued],
            (Assessment | Reassessment, Self::AssessmentAndAdvice) => {
                &[Self::DraftPlan, Self::NotIssued]
            }
            (Assessment | Reassessment, Self::DraftPlan) => &[Self::FinalPlan],
            (Reassessment, Self::ReassessmentAgreed) => &[Self::AssessmentAndAdvice],
            (Plan, Self::PlanInForce) => &[Self::PlanCeased],
            _ => &[],
        }
    }

    /// The stages an assessment goes through, in order, for the dashboard.
    pub const ASSESSMENT_PATH: [Stage; 5] = [
        Self::RequestReceived,
        Self::DecisionToAssess,
        Self::AssessmentAndAdvice,
        Self::DraftPlan,
        Self::FinalPlan,
    ];
}

code_enum!(
    /// Who asked for the assessment (SEN2).
    Requester {
        Parent => "parent",
        YoungPerson => "young_person",
        School => "school",
        Health => "health",
        SocialCare => "social_care",
        Other => "other",
    }
);

impl Requester {
    pub fn label(self) -> &'static str {
        match self {
            Self::Parent => "Parent or carer",
            Self::YoungPerson => "The young person",
            Self::School => "School, college or setting",
            Self::Health => "Health service",
            Self::SocialCare => "Social care",
            Self::Other => "Someone else",
        }
    }
}

code_enum!(
    /// What came of the request for an assessment (SEN2).
    RequestOutcome {
        Assess => "assess",
        NotAssess => "not_assess",
    }
);

code_enum!(
    /// What came of the assessment (SEN2).
    AssessmentOutcome {
        PlanIssued => "plan_issued",
        NoPlan => "no_plan",
    }
);

code_enum!(
    /// Why a plan ended (SEN2).
    CeaseReason {
        NoLongerNeeded => "no_longer_needed",
        MovedAway => "moved_away",
        FurtherEducationOrEmployment => "further_education_or_employment",
        OverAge => "over_age",
        Other => "other",
    }
);

impl CeaseReason {
    pub fn label(self) -> &'static str {
        match self {
            Self::NoLongerNeeded => "The plan is no longer needed",
            Self::MovedAway => "Moved to another council",
            Self::FurtherEducationOrEmployment => "Moved into higher education or employment",
            Self::OverAge => "Reached 25",
            Self::Other => "Another reason",
        }
    }
}

code_enum!(
    /// What the council decided after an annual review (reg 20(10)).
    ReviewDecision {
        Maintain => "maintain",
        Amend => "amend",
        Cease => "cease",
    }
);

impl ReviewDecision {
    pub fn label(self) -> &'static str {
        match self {
            Self::Maintain => "Keep the plan as it is",
            Self::Amend => "Change (amend) the plan",
            Self::Cease => "Stop (cease) the plan",
        }
    }
}

/// An annual review as a caseworker records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Review {
    /// When the invitations and advice went out, if at least 2 weeks before.
    pub notice_sent: Option<Date>,
    pub meeting: Date,
    /// When the review report was sent.
    pub report_sent: Date,
    pub decision: ReviewDecision,
    /// When the decision was sent to the family.
    pub decided_on: Date,
    /// Needed when the decision is to cease the plan.
    pub cease_reason: Option<CeaseReason>,
}

/// An involvement on a child's case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Involvement {
    pub id: InvolvementId,
    pub child_id: ChildId,
    pub kind: InvolvementKind,
    pub stage: Stage,
    /// When the current stage was reached.
    pub stage_since: Date,
    pub caseworker_id: Option<UserId>,
    pub requested_by: Option<Requester>,
    /// The dates the timeline counts from.
    pub events: Events,
    /// When each deadline was met.
    pub completions: Completions,
    pub exceptions: Vec<RecordedException>,
    pub request_outcome: Option<RequestOutcome>,
    pub assessment_outcome: Option<AssessmentOutcome>,
    pub plan_start: Option<Date>,
    pub cease_reason: Option<CeaseReason>,
    /// The stage before the last stage move, while that move can still be
    /// corrected (no review or amended plan recorded since).
    pub previous: Option<PreviousStage>,
    pub opened_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    /// How many times it has been written (1 when opened): an update names the
    /// version it read, so two people's changes never silently overwrite each other.
    pub version: u32,
}

/// Where an involvement was before its last stage move, kept so a move made by
/// mistake can be corrected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PreviousStage {
    pub stage: Stage,
    /// When that stage was reached.
    pub since: Date,
}

/// Why a stage change was refused. Messages are shown as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StageError {
    #[error("An involvement at ‘{from}’ cannot move to ‘{to}’")]
    NotAllowed {
        from: &'static str,
        to: &'static str,
    },
    #[error("The date must be on or after {0}, when the current stage was reached")]
    BeforeCurrentStage(String),
    #[error("Select why the plan ended")]
    NoCeaseReason,
    #[error("Reviews are recorded on an EHC plan that is in force")]
    NotAPlanInForce,
    #[error("The report and decision dates must be on or after the meeting")]
    DecisionBeforeMeeting,
    #[error("Record the amended plan on a plan whose review decided to amend it")]
    NoAmendmentPending,
    #[error(
        "There is no stage move to correct: only the last move can be, before anything else is recorded"
    )]
    NothingToCorrect,
}

impl Involvement {
    /// A new involvement starting on `start` (the request received, the plan
    /// issued, the decision to re-assess).
    pub fn open(
        id: InvolvementId,
        child_id: ChildId,
        kind: InvolvementKind,
        start: Date,
        at: OffsetDateTime,
    ) -> Self {
        let mut events = Events::new();
        events.insert(kind.start_event(), start);
        Self {
            id,
            child_id,
            kind,
            stage: kind.first_stage(),
            stage_since: start,
            caseworker_id: None,
            requested_by: None,
            events,
            completions: Completions::new(),
            exceptions: Vec::new(),
            request_outcome: None,
            assessment_outcome: if kind == InvolvementKind::Plan {
                Some(AssessmentOutcome::PlanIssued)
            } else {
                None
            },
            plan_start: (kind == InvolvementKind::Plan).then_some(start),
            cease_reason: None,
            previous: None,
            opened_at: at,
            updated_at: at,
            version: 1,
        }
    }

    /// Moves to `to` on `on`, recording what the timeline counts from and meets.
    pub fn move_to(
        &mut self,
        to: Stage,
        on: Date,
        cease_reason: Option<CeaseReason>,
    ) -> Result<(), StageError> {
        if !self.stage.next(self.kind).contains(&to) {
            return Err(StageError::NotAllowed {
                from: self.stage.label(),
                to: to.label(),
            });
        }
        if on < self.stage_since {
            return Err(StageError::BeforeCurrentStage(crate::dates::long_date(
                self.stage_since,
            )));
        }
        let mut complete = |code: &str| {
            self.completions.entry(code.to_owned()).or_insert(on);
        };
        match to {
            Stage::DecisionToAssess => {
                complete("decide_to_assess");
                self.request_outcome = Some(RequestOutcome::Assess);
            }
            Stage::NotAssessed => {
                complete("decide_to_assess");
                self.request_outcome = Some(RequestOutcome::NotAssess);
            }
            Stage::NotIssued => {
                complete("decide_not_to_issue");
                self.assessment_outcome = Some(AssessmentOutcome::NoPlan);
            }
            Stage::DraftPlan => {
                self.events.insert(EventKind::DraftPlanSent, on);
            }
            Stage::FinalPlan => {
                complete("final_plan");
                complete("reassessment_final_plan");
                complete("draft_plan_response");
                self.assessment_outcome = Some(AssessmentOutcome::PlanIssued);
                self.plan_start = Some(on);
                self.events.insert(EventKind::PlanIssued, on);
            }
            Stage::PlanCeased => {
                self.cease_reason = Some(cease_reason.ok_or(StageError::NoCeaseReason)?);
            }
            Stage::RequestReceived
            | Stage::AssessmentAndAdvice
            | Stage::PlanInForce
            | Stage::ReassessmentAgreed => {}
        }
        self.previous = Some(PreviousStage {
            stage: self.stage,
            since: self.stage_since,
        });
        self.stage = to;
        self.stage_since = on;
        Ok(())
    }

    /// Puts the involvement back at the stage before its last move, undoing
    /// what that move recorded for the deadlines (the deadline it met, the
    /// dates it started), as if it had not been made. Only the last move can be
    /// corrected, and only until something else is recorded on the timeline.
    /// Returns the stage corrected away from.
    pub fn correct_last_move(&mut self) -> Result<Stage, StageError> {
        let Some(previous) = self.previous else {
            return Err(StageError::NothingToCorrect);
        };
        let moved_to = self.stage;
        // Only `move_to` records these, once each (stages only go forward), so
        // taking them out leaves what was there before the move.
        match moved_to {
            Stage::DecisionToAssess | Stage::NotAssessed => {
                self.completions.remove("decide_to_assess");
                self.request_outcome = None;
            }
            Stage::NotIssued => {
                self.completions.remove("decide_not_to_issue");
                self.assessment_outcome = None;
            }
            Stage::DraftPlan => {
                self.events.remove(&EventKind::DraftPlanSent);
            }
            Stage::FinalPlan => {
                for code in [
                    "final_plan",
                    "reassessment_final_plan",
                    "draft_plan_response",
                ] {
                    self.completions.remove(code);
                }
                self.assessment_outcome = None;
                self.plan_start = None;
                self.events.remove(&EventKind::PlanIssued);
            }
            Stage::PlanCeased => self.cease_reason = None,
            Stage::RequestReceived
            | Stage::AssessmentAndAdvice
            | Stage::PlanInForce
            | Stage::ReassessmentAgreed => {}
        }
        self.stage = previous.stage;
        self.stage_since = previous.since;
        self.previous = None;
        Ok(moved_to)
    }

    /// Records an annual review: the meeting and the decision. The review
    /// deadlines count from this meeting, and the next annual review from it; a
    /// decision to amend starts the 8 weeks for the amended plan; a decision to
    /// cease ends the plan.
    pub fn record_review(&mut self, review: Review) -> Result<(), StageError> {
        if self.kind != InvolvementKind::Plan || self.stage != Stage::PlanInForce {
            return Err(StageError::NotAPlanInForce);
        }
        if review.meeting < self.stage_since {
            return Err(StageError::BeforeCurrentStage(crate::dates::long_date(
                self.stage_since,
            )));
        }
        if review.decided_on < review.meeting || review.report_sent < review.meeting {
            return Err(StageError::DecisionBeforeMeeting);
        }
        if review.decision == ReviewDecision::Cease && review.cease_reason.is_none() {
            return Err(StageError::NoCeaseReason);
        }
        // Recorded on top of the stage: the move before it can no longer be undone.
        self.previous = None;
        // This review's deadlines, counted from its meeting.
        self.events.insert(EventKind::ReviewMeeting, review.meeting);
        self.events
            .insert(EventKind::PreviousReview, review.meeting);
        for code in ["review_meeting_notice", "review_advice_circulated"] {
            match review.notice_sent {
                Some(sent) => self.completions.insert(code.to_owned(), sent),
                None => self.completions.remove(code),
            };
        }
        self.completions
            .insert("review_report".to_owned(), review.report_sent);
        self.completions
            .insert("review_decision".to_owned(), review.decided_on);
        // The next annual review is due from this one: not met yet.
        self.completions.remove("annual_review");
        match review.decision {
            ReviewDecision::Maintain => {}
            ReviewDecision::Amend => {
                self.events
                    .insert(EventKind::AmendmentNotice, review.decided_on);
                self.completions.remove("final_amended_plan");
            }
            ReviewDecision::Cease => {
                self.cease_reason = review.cease_reason;
                self.stage = Stage::PlanCeased;
                self.stage_since = review.decided_on;
            }
        }
        Ok(())
    }

    /// Records that the amended plan was issued.
    pub fn record_amended_plan(&mut self, on: Date) -> Result<(), StageError> {
        let Some(notice) = self.events.get(&EventKind::AmendmentNotice).copied() else {
            return Err(StageError::NoAmendmentPending);
        };
        if self.completions.contains_key("final_amended_plan") {
            return Err(StageError::NoAmendmentPending);
        }
        if on < notice {
            return Err(StageError::BeforeCurrentStage(crate::dates::long_date(
                notice,
            )));
        }
        self.completions.insert("final_amended_plan".to_owned(), on);
        self.previous = None;
        Ok(())
    }

    /// The stages a family sees for this involvement, in order, each with whether
    /// it is the current one (exactly one is). A plan shows its current stage only;
    /// an outcome off the path (not assessed, not issued) is added at the end.
    pub fn stage_path(&self) -> Vec<(Stage, bool)> {
        if self.kind == InvolvementKind::Plan {
            return vec![(self.stage, true)];
        }
        let mut path: Vec<(Stage, bool)> = Stage::ASSESSMENT_PATH
            .iter()
            .filter(|s| {
                self.kind == InvolvementKind::Assessment
                    || **s != Stage::RequestReceived && **s != Stage::DecisionToAssess
            })
            .map(|s| (*s, *s == self.stage))
            .collect();
        if self.kind == InvolvementKind::Reassessment {
            path.insert(
                0,
                (
                    Stage::ReassessmentAgreed,
                    self.stage == Stage::ReassessmentAgreed,
                ),
            );
        }
        if !path.iter().any(|(_, current)| *current) {
            path.push((self.stage, true));
        }
        path
    }

    /// When the plan's next annual review is due (12 calendar months from the
    /// plan's issue or its last review), while a plan is in force.
    pub fn next_review_due(&self) -> Option<Date> {
        if self.stage.is_closed() {
            return None;
        }
        let from = self
            .events
            .get(&EventKind::PreviousReview)
            .or_else(|| self.events.get(&EventKind::PlanIssued))?;
        Some(crate::timeline::add_calendar_months(*from, 12))
    }

    /// The key dates of this involvement on `today`: the statutory rules of its
    /// kind, then the council's own milestones.
    /// Whether the deadline `code` still applies, given the decisions made: a
    /// council that decided not to assess owes no plan and no decision about
    /// one; one that sent a draft plan has decided to issue one, so "tell the
    /// family if the council decides not to issue a plan" no longer applies
    /// (however late the draft was); one that decided not to issue owes no
    /// final plan.
    fn applies(&self, code: &str) -> bool {
        let decided_to_issue = self.events.contains_key(&EventKind::DraftPlanSent)
            || self.assessment_outcome == Some(AssessmentOutcome::PlanIssued);
        match code {
            "decide_not_to_issue" => {
                self.request_outcome != Some(RequestOutcome::NotAssess) && !decided_to_issue
            }
            "final_plan" => {
                self.request_outcome != Some(RequestOutcome::NotAssess)
                    && self.assessment_outcome != Some(AssessmentOutcome::NoPlan)
            }
            _ => true,
        }
    }

    pub fn key_dates(
        &self,
        local_rules: &[DeadlineRule],
        today: Date,
        calendar: &WorkingCalendar,
    ) -> Vec<KeyDate> {
        let mut rules = self.kind.rules();
        rules.extend(local_rules.iter().cloned());
        rules.retain(|rule| self.applies(&rule.code));
        key_dates(
            &rules,
            &self.events,
            &self.exceptions,
            &self.completions,
            today,
            calendar,
        )
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};
    use uuid::Uuid;

    use super::*;
    use crate::timeline::{Exception, KeyDateStatus};

    fn assessment(start: Date) -> Involvement {
        Involvement::open(
            InvolvementId::from_uuid(Uuid::nil()),
            ChildId::from_uuid(Uuid::nil()),
            InvolvementKind::Assessment,
            start,
            datetime!(2026-01-05 09:00 UTC),
        )
    }

    fn status(inv: &Involvement, code: &str, today: Date) -> KeyDateStatus {
        inv.key_dates(&[], today, &WorkingCalendar::england())
            .into_iter()
            .find(|k| k.rule.code == code)
            .unwrap()
            .status
    }

    #[test]
    fn an_assessment_moves_through_its_stages_and_meets_its_deadlines() {
        let mut inv = assessment(date!(2026 - 01 - 05));
        assert_eq!(inv.stage, Stage::RequestReceived);
        assert_eq!(
            status(&inv, "decide_to_assess", date!(2026 - 01 - 06)),
            KeyDateStatus::Upcoming
        );
        inv.move_to(Stage::DecisionToAssess, date!(2026 - 02 - 10), None)
            .unwrap();
        assert_eq!(
            status(&inv, "decide_to_assess", date!(2026 - 03 - 01)),
            KeyDateStatus::MetOn(date!(2026 - 02 - 10))
        );
        assert_eq!(inv.request_outcome, Some(RequestOutcome::Assess));
        inv.move_to(Stage::AssessmentAndAdvice, date!(2026 - 02 - 11), None)
            .unwrap();
        inv.move_to(Stage::DraftPlan, date!(2026 - 04 - 20), None)
            .unwrap();
        assert_eq!(
            inv.events.get(&EventKind::DraftPlanSent),
            Some(&date!(2026 - 04 - 20))
        );
        // A draft plan is the decision to issue one: the 16-week deadline for
        // telling the family of a decision not to issue no longer applies.
        let codes = |inv: &Involvement, today: Date| -> Vec<String> {
            inv.key_dates(&[], today, &WorkingCalendar::england())
                .into_iter()
                .map(|k| k.rule.code.into_owned())
                .collect()
        };
        assert!(!codes(&inv, date!(2026 - 09 - 01)).contains(&"decide_not_to_issue".to_owned()));
        // Final plan due 25 May 2026 (20 weeks); issued on 1 June: late by 7 days.
        inv.move_to(Stage::FinalPlan, date!(2026 - 06 - 01), None)
            .unwrap();
        assert_eq!(
            status(&inv, "final_plan", date!(2026 - 06 - 02)),
            KeyDateStatus::Late {
                met_on: date!(2026 - 06 - 01),
                days_late: 7
            }
        );
        assert_eq!(inv.plan_start, Some(date!(2026 - 06 - 01)));
        assert!(inv.stage.is_closed());
    }

    #[test]
    fn correcting_a_stage_move_puts_back_exactly_what_was_there_before() {
        // Every move on the way, and each outcome off it, undone one at a time.
        let steps: &[(InvolvementKind, &[Stage])] = &[
            (
                InvolvementKind::Assessment,
                &[
                    Stage::DecisionToAssess,
                    Stage::AssessmentAndAdvice,
                    Stage::DraftPlan,
                    Stage::FinalPlan,
                ],
            ),
            (InvolvementKind::Assessment, &[Stage::NotAssessed]),
            (
                InvolvementKind::Assessment,
                &[Stage::DecisionToAssess, Stage::NotIssued],
            ),
            (InvolvementKind::Plan, &[Stage::PlanCeased]),
        ];
        for (kind, path) in steps {
            let mut inv = Involvement::open(
                InvolvementId::from_uuid(Uuid::nil()),
                ChildId::from_uuid(Uuid::nil()),
                *kind,
                date!(2026 - 01 - 05),
                datetime!(2026-01-05 09:00 UTC),
            );
            assert_eq!(
                inv.clone().correct_last_move(),
                Err(StageError::NothingToCorrect)
            );
            let mut on = date!(2026 - 02 - 01);
            for to in *path {
                let before = Involvement {
                    previous: None,
                    ..inv.clone()
                };
                inv.move_to(*to, on, Some(CeaseReason::MovedAway)).unwrap();
                let mut corrected = inv.clone();
                assert_eq!(corrected.correct_last_move(), Ok(*to));
                assert_eq!(corrected, before, "correcting the move to {to:?}");
                assert_eq!(
                    corrected.correct_last_move(),
                    Err(StageError::NothingToCorrect),
                    "only the last move"
                );
                on = on.saturating_add(time::Duration::weeks(3));
            }
        }
    }

    #[test]
    fn a_review_recorded_after_a_move_keeps_the_move() {
        let mut plan = Involvement::open(
            InvolvementId::from_uuid(Uuid::nil()),
            ChildId::from_uuid(Uuid::nil()),
            InvolvementKind::Plan,
            date!(2025 - 03 - 01),
            datetime!(2026-01-05 09:00 UTC),
        );
        plan.record_review(Review {
            notice_sent: None,
            meeting: date!(2026 - 02 - 01),
            report_sent: date!(2026 - 02 - 02),
            decision: ReviewDecision::Maintain,
            decided_on: date!(2026 - 02 - 03),
            cease_reason: None,
        })
        .unwrap();
        assert_eq!(plan.correct_last_move(), Err(StageError::NothingToCorrect));
    }

    #[test]
    fn stages_only_move_forward_along_the_allowed_paths_and_dates() {
        let mut inv = assessment(date!(2026 - 01 - 05));
        assert!(matches!(
            inv.move_to(Stage::FinalPlan, date!(2026 - 02 - 01), None),
            Err(StageError::NotAllowed { .. })
        ));
        assert!(matches!(
            inv.move_to(Stage::DecisionToAssess, date!(2026 - 01 - 04), None),
            Err(StageError::BeforeCurrentStage(_))
        ));
        assert!(matches!(
            status(&inv, "decide_not_to_issue", date!(2026 - 09 - 01)),
            KeyDateStatus::Missed { .. }
        ));
        inv.move_to(Stage::NotAssessed, date!(2026 - 02 - 01), None)
            .unwrap();
        assert_eq!(inv.request_outcome, Some(RequestOutcome::NotAssess));
        // Not assessed: no plan is owed, nor a decision about one.
        let codes: Vec<String> = inv
            .key_dates(&[], date!(2026 - 09 - 01), &WorkingCalendar::england())
            .into_iter()
            .map(|k| k.rule.code.into_owned())
            .collect();
        assert!(codes.contains(&"decide_to_assess".to_owned()), "{codes:?}");
        assert!(
            !codes
                .iter()
                .any(|c| c == "decide_not_to_issue" || c == "final_plan"),
            "{codes:?}"
        );
        assert!(inv.stage.next(inv.kind).is_empty());
        let mut plan = Involvement::open(
            InvolvementId::from_uuid(Uuid::nil()),
            ChildId::from_uuid(Uuid::nil()),
            InvolvementKind::Plan,
            date!(2025 - 03 - 01),
            datetime!(2026-01-05 09:00 UTC),
        );
        assert_eq!(
            plan.move_to(Stage::PlanCeased, date!(2026 - 03 - 01), None),
            Err(StageError::NoCeaseReason)
        );
        plan.move_to(
            Stage::PlanCeased,
            date!(2026 - 03 - 01),
            Some(CeaseReason::MovedAway),
        )
        .unwrap();
    }

    #[test]
    fn a_missed_deadline_with_an_exception_is_excused_and_only_that_one() {
        let mut inv = assessment(date!(2026 - 01 - 05));
        inv.exceptions.push(
            RecordedException::new(
                Exception::SchoolClosed,
                "final_plan",
                "School closed for the summer holidays when advice was asked",
                date!(2026 - 07 - 01),
            )
            .unwrap(),
        );
        let today = date!(2026 - 08 - 01);
        assert!(matches!(
            status(&inv, "final_plan", today),
            KeyDateStatus::Excused { .. }
        ));
        assert!(matches!(
            status(&inv, "decide_to_assess", today),
            KeyDateStatus::Missed { .. }
        ));
    }

    #[test]
    fn an_annual_review_moves_the_next_review_on_and_an_amendment_starts_its_weeks() {
        let mut plan = Involvement::open(
            InvolvementId::from_uuid(Uuid::nil()),
            ChildId::from_uuid(Uuid::nil()),
            InvolvementKind::Plan,
            date!(2025 - 03 - 01),
            datetime!(2026-01-05 09:00 UTC),
        );
        let cal = WorkingCalendar::england();
        let due = |plan: &Involvement, code: &str, today: Date| {
            plan.key_dates(&[], today, &cal)
                .into_iter()
                .find(|k| k.rule.code == code)
                .unwrap()
        };
        assert_eq!(
            plan.record_review(Review {
                notice_sent: None,
                meeting: date!(2026 - 02 - 20),
                report_sent: date!(2026 - 02 - 25),
                decision: ReviewDecision::Amend,
                decided_on: date!(2026 - 02 - 19),
                cease_reason: None,
            }),
            Err(StageError::DecisionBeforeMeeting)
        );
        plan.record_review(Review {
            notice_sent: Some(date!(2026 - 02 - 02)),
            meeting: date!(2026 - 02 - 20),
            report_sent: date!(2026 - 02 - 27),
            decision: ReviewDecision::Amend,
            decided_on: date!(2026 - 03 - 10),
            cease_reason: None,
        })
        .unwrap();
        let today = date!(2026 - 03 - 11);
        assert_eq!(
            due(&plan, "annual_review", today).due,
            Some(date!(2027 - 02 - 20))
        );
        assert_eq!(
            due(&plan, "review_decision", today).status,
            KeyDateStatus::MetOn(date!(2026 - 03 - 10))
        );
        assert_eq!(
            due(&plan, "review_report", today).status,
            KeyDateStatus::MetOn(date!(2026 - 02 - 27))
        );
        assert_eq!(
            due(&plan, "review_meeting_notice", today).status,
            KeyDateStatus::MetOn(date!(2026 - 02 - 02))
        );
        // The family's 15 days to comment on the proposed changes: 25 March.
        assert_eq!(
            due(&plan, "amendment_comments", today).due,
            Some(date!(2026 - 03 - 25))
        );
        // 8 weeks from the amendment notice of 10 March: 5 May.
        assert_eq!(
            due(&plan, "final_amended_plan", today).due,
            Some(date!(2026 - 05 - 05))
        );
        plan.record_amended_plan(date!(2026 - 04 - 30)).unwrap();
        assert_eq!(
            due(&plan, "final_amended_plan", today).status,
            KeyDateStatus::MetOn(date!(2026 - 04 - 30))
        );
        assert_eq!(
            plan.record_amended_plan(date!(2026 - 05 - 01)),
            Err(StageError::NoAmendmentPending)
        );
        assert_eq!(
            plan.record_review(Review {
                notice_sent: None,
                meeting: date!(2027 - 02 - 01),
                report_sent: date!(2027 - 02 - 05),
                decision: ReviewDecision::Cease,
                decided_on: date!(2027 - 02 - 20),
                cease_reason: None,
            }),
            Err(StageError::NoCeaseReason)
        );
        plan.record_review(Review {
            notice_sent: None,
            meeting: date!(2027 - 02 - 01),
            report_sent: date!(2027 - 02 - 05),
            decision: ReviewDecision::Cease,
            decided_on: date!(2027 - 02 - 20),
            cease_reason: Some(CeaseReason::NoLongerNeeded),
        })
        .unwrap();
        assert_eq!(plan.stage, Stage::PlanCeased);
        assert_eq!(plan.cease_reason, Some(CeaseReason::NoLongerNeeded));
    }

    #[test]
    fn a_plan_counts_its_annual_review_from_the_issue_date() {
        let plan = Involvement::open(
            InvolvementId::from_uuid(Uuid::nil()),
            ChildId::from_uuid(Uuid::nil()),
            InvolvementKind::Plan,
            date!(2025 - 03 - 01),
            datetime!(2026-01-05 09:00 UTC),
        );
        let review = plan
            .key_dates(&[], date!(2026 - 01 - 05), &WorkingCalendar::england())
            .into_iter()
            .find(|k| k.rule.code == "annual_review")
            .unwrap();
        assert_eq!(review.due, Some(date!(2026 - 03 - 01)));
    }
}
