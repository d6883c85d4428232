//! Key dates said to the person reading them. A rule's title is the SEND team's
//! task ("Decide whether to carry out an assessment"); a family reads who does
//! what, to them ("The SEND team will tell you whether ..."), and a professional
//! reads it about the family and the child.

use std::borrow::Cow;

use super::{DeadlineRule, KeyDate};
use crate::dates::long_date;
use crate::portal_access::PortalRole;

/// Who is reading a key date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// A parent, carer or young person: the key dates speak to "you".
    Family,
    /// A professional who works with the child: "the family", "the child".
    Professional,
    /// The SEND team: each key date is one of its tasks.
    Staff,
}

impl From<PortalRole> for Reader {
    fn from(role: PortalRole) -> Self {
        match role {
            PortalRole::Parent | PortalRole::YoungPerson => Self::Family,
            PortalRole::Professional => Self::Professional,
        }
    }
}

/// A built-in rule's words for the family and for a professional.
#[derive(Debug)]
struct Wording {
    family: &'static str,
    professional: &'static str,
    /// The words hold a clause of their own ("..., or tell you if ..."), so a
    /// date follows a comma.
    comma_before_date: bool,
}

const fn said(family: &'static str, professional: &'static str) -> Wording {
    Wording {
        family,
        professional,
        comma_before_date: false,
    }
}

/// The words of each built-in rule, by its code. A council's own milestone has
/// none: its title is the council's own words, the same for everyone.
fn wording(code: &str) -> Option<Wording> {
    Some(match code {
        "decide_to_assess" => said(
            "The SEND team will tell you whether they will carry out an EHC needs assessment",
            "The SEND team will tell the family whether they will carry out an EHC needs \
             assessment",
        ),
        "decide_not_to_issue" => Wording {
            comma_before_date: true,
            ..said(
                "The SEND team will send you a draft EHC plan, or tell you if they decide not \
                 to issue one",
                "The SEND team will send the family a draft EHC plan, or tell them if they \
                 decide not to issue one",
            )
        },
        "final_plan" => said(
            "The SEND team will send you the final EHC plan",
            "The SEND team will send the family the final EHC plan",
        ),
        "advice_due" => said(
            "Everyone asked for advice will send it to the SEND team",
            "Everyone asked for advice will send it to the SEND team",
        ),
        "draft_plan_response" => said(
            "You can comment on the draft EHC plan",
            "The family can comment on the draft EHC plan",
        ),
        "annual_review" => said(
            "The SEND team will review the EHC plan with you",
            "The SEND team will review the EHC plan with the family",
        ),
        "review_meeting_notice" => said(
            "The SEND team will invite you to the review meeting",
            "The SEND team will invite everyone to the review meeting",
        ),
        "review_advice_circulated" => said(
            "The SEND team will send you the advice for the review meeting",
            "The SEND team will send everyone the advice for the review meeting",
        ),
        "review_report" => said(
            "The SEND team will send you the report of the review meeting",
            "The SEND team will send everyone the report of the review meeting",
        ),
        "review_decision" => said(
            "The SEND team will tell you whether they will keep, change or end the plan",
            "The SEND team will tell the family whether they will keep, change or end the plan",
        ),
        "amendment_comments" => said(
            "You can comment on the proposed changes to the EHC plan",
            "The family can comment on the proposed changes to the EHC plan",
        ),
        "final_amended_plan" => said(
            "The SEND team will send you the amended EHC plan",
            "The SEND team will send the family the amended EHC plan",
        ),
        "reassessment_final_plan" => said(
            "The SEND team will send you the final EHC plan after the re-assessment",
            "The SEND team will send the family the final EHC plan after the re-assessment",
        ),
        "phase_transfer_review" => said(
            "The SEND team will review the plan with you and name the new school",
            "The SEND team will review the plan and name the new school",
        ),
        "phase_transfer_post_16_review" => said(
            "The SEND team will review the plan with you and name the post-16 school or college",
            "The SEND team will review the plan and name the post-16 school or college",
        ),
        "plan_transfer" => said(
            "The SEND team will send the plan to your new council",
            "The SEND team will send the plan to the family's new council",
        ),
        "appeal_deadline" => said(
            "You can appeal to the Tribunal",
            "The family can appeal to the Tribunal",
        ),
        _ => return None,
    })
}

impl DeadlineRule {
    /// What has to happen, said to `reader`: who does what. The SEND team reads
    /// the title, its own task; so does everyone for a council's own milestone.
    pub fn said_to(&self, reader: Reader) -> Cow<'_, str> {
        let words = wording(&self.code).and_then(|w| match reader {
            Reader::Family => Some(w.family),
            Reader::Professional => Some(w.professional),
            Reader::Staff => None,
        });
        words.map_or(Cow::Borrowed(&*self.title), Cow::Borrowed)
    }
}

impl KeyDate {
    /// "What happens next" as a sentence for `reader`: who does what, by when
    /// ("The SEND team will send you the final EHC plan by 25 May 2026").
    /// `None` until the start event is recorded.
    pub fn next_step(&self, reader: Reader) -> Option<String> {
        let due = self.due?;
        let comma = reader != Reader::Staff
            && wording(&self.rule.code).is_some_and(|w| w.comma_before_date);
        let by = if comma { ", by" } else { " by" };
        Some(format!(
            "{}{by} {}",
            self.rule.said_to(reader),
            long_date(due)
        ))
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::calendar::WorkingCalendar;
    use crate::involvements::InvolvementKind;
    use crate::milestones::{LocalMilestone, MilestoneUnit};
    use crate::timeline::{Completions, EventKind, Events, Process, key_dates};

    fn every_rule() -> Vec<DeadlineRule> {
        Process::ALL.iter().flat_map(|p| p.rules()).collect()
    }

    fn words(text: &str) -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric() && c != '\'')
            .map(str::to_lowercase)
            .collect()
    }

    #[test]
    fn every_built_in_rule_says_who_does_what_to_the_family() {
        for rule in every_rule() {
            let family = rule.said_to(Reader::Family);
            assert!(
                wording(&rule.code).is_some(),
                "{} has no words for its readers",
                rule.code
            );
            assert!(
                [
                    "The SEND team will ",
                    "You can ",
                    "Everyone asked for advice "
                ]
                .iter()
                .any(|start| family.starts_with(start)),
                "{}: {family:?} does not say who does it",
                rule.code
            );
            assert!(!family.contains("the family"), "{}: {family:?}", rule.code);
            assert!(!family.starts_with("Tell "), "{}: {family:?}", rule.code);
        }
    }

    #[test]
    fn a_professional_reads_about_the_family_never_your_child() {
        for rule in every_rule() {
            let professional = rule.said_to(Reader::Professional);
            let words = words(&professional);
            assert!(
                !words.iter().any(|w| w == "your" || w == "you"),
                "{}: {professional:?}",
                rule.code
            );
            assert!(!professional.starts_with("Tell "), "{}", rule.code);
        }
    }

    #[test]
    fn the_send_team_reads_its_own_task() {
        for rule in every_rule() {
            assert_eq!(rule.said_to(Reader::Staff), rule.title, "{}", rule.code);
        }
    }

    #[test]
    fn what_happens_next_after_a_request_is_said_to_each_reader() {
        let mut events = Events::new();
        events.insert(EventKind::RequestReceived, date!(2026 - 01 - 05));
        let keys = key_dates(
            &Process::EhcNeedsAssessment.rules(),
            &events,
            &[],
            &Completions::new(),
            date!(2026 - 01 - 06),
            &WorkingCalendar::england(),
        );
        let sixteen_weeks = keys
            .iter()
            .find(|k| k.rule.code == "decide_not_to_issue")
            .unwrap();
        assert_eq!(
            sixteen_weeks.next_step(Reader::Family).unwrap(),
            "The SEND team will send you a draft EHC plan, or tell you if they decide not to \
             issue one, by 27 April 2026"
        );
        assert_eq!(
            sixteen_weeks.next_step(Reader::Professional).unwrap(),
            "The SEND team will send the family a draft EHC plan, or tell them if they decide \
             not to issue one, by 27 April 2026"
        );
        assert_eq!(
            sixteen_weeks.next_step(Reader::Staff).unwrap(),
            "Tell the family if the council decides not to issue a plan by 27 April 2026"
        );
        let six_weeks = &keys[0];
        assert_eq!(
            six_weeks.next_step(Reader::Family).unwrap(),
            "The SEND team will tell you whether they will carry out an EHC needs assessment \
             by 16 February 2026"
        );
    }

    #[test]
    fn a_key_date_not_started_has_no_next_step() {
        let keys = key_dates(
            &Process::Appeal.rules(),
            &Events::new(),
            &[],
            &Completions::new(),
            date!(2026 - 01 - 06),
            &WorkingCalendar::england(),
        );
        assert_eq!(keys[0].next_step(Reader::Family), None);
    }

    #[test]
    fn a_councils_own_milestone_reads_the_same_for_everyone() {
        let panel = LocalMilestone::new(
            InvolvementKind::Assessment,
            "Panel date",
            EventKind::RequestReceived,
            MilestoneUnit::Weeks,
            4,
            "",
        )
        .unwrap()
        .rule();
        for reader in [Reader::Family, Reader::Professional, Reader::Staff] {
            assert_eq!(panel.said_to(reader), "Panel date");
        }
    }

    #[test]
    fn a_portal_role_reads_as_family_or_professional() {
        assert_eq!(Reader::from(PortalRole::Parent), Reader::Family);
        assert_eq!(Reader::from(PortalRole::YoungPerson), Reader::Family);
        assert_eq!(Reader::from(PortalRole::Professional), Reader::Professional);
    }
}
