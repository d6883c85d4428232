//! The portal's side of a child's case (LNK-5, CASE-4): which children a portal
//! user may see, the one check every portal request about a child goes through,
//! the SEND Dashboard, and the SEND team's Portal access page (revoke, grant
//! again).

use send_domain::forms::ActionStatus;
use send_domain::involvements::{Involvement, Stage};
use send_domain::timeline::Reader;
use send_domain::{
    Account, Actor, AuditAction, AuditOutcome, CaseAction, ChangeReason, Child, ChildId, Decision,
    LinkStatus, PortalAction, PortalLink, PortalLinkId, PortalRole, StaffAccess, UserId,
    portal_may,
};
use send_store::{
    Changes, ChronologyEntry, DashboardQuery, PortalCase, PortalDashboard, StoreError, Write,
};

use super::invitations::InvitationRow;
use crate::audit::{OPENINGS_LIMIT, Source, openings_days};
use crate::deadlines::{calendar_with, rules_for};
use crate::involvements::InvolvementView;
use crate::{App, AppError, AppResult};

/// A child on a portal user's home page.
#[derive(Debug, Clone)]
pub struct PortalChild {
    pub child_id: ChildId,
    pub name: String,
    pub role: PortalRole,
    /// Active (with a SEND Dashboard link) or pending (waiting for the SEND team).
    pub status: LinkStatus,
}

/// Everything the SEND Dashboard shows.
#[derive(Debug, Clone)]
pub struct Dashboard {
    pub child: Child,
    pub role: PortalRole,
    /// The open involvement the dashboard follows (the newest), if any.
    pub involvement: Option<InvolvementView>,
    pub caseworker: Option<String>,
    /// Counts for the panels: unread messages, documents shared.
    pub unread_messages: usize,
    pub documents: usize,
    /// Actions to Complete: forms sent to the person with a due date and not
    /// yet submitted, soonest due first.
    pub actions: Vec<crate::forms::assign::FormToDo>,
    /// "Who has looked at this record", for the child's family only (a parent
    /// or the young person; `None` for a professional).
    pub openings: Option<Vec<crate::audit::OpeningsDay>>,
}

/// How many of the child's latest chronology entries the Portal access page
/// reads for the reasons access was revoked.
const CHRONOLOGY_READ: u32 = 500;

/// One person linked to a child, for the Portal access page.
#[derive(Debug, Clone)]
pub struct LinkRow {
    pub link: PortalLink,
    pub account: Option<Account>,
    /// Who last changed the link (granted, revoked).
    pub changed_by: Option<String>,
    /// For a revoked link: the reason the SEND team gave.
    pub reason: Option<String>,
}

/// The reason kept on the chronology entry written when `link` was revoked.
fn revoke_reason(link: &PortalLink, chronology: &[ChronologyEntry]) -> Option<String> {
    if link.status != LinkStatus::Revoked {
        return None;
    }
    chronology
        .iter()
        .find(|e| e.kind == REVOKED_KIND && e.occurred_at == link.status_since)
        .and_then(|e| e.note.clone())
}

/// The chronology kind of a revocation.
const REVOKED_KIND: &str = "portal_access.revoked";

/// A child's Portal access page.
#[derive(Debug, Clone)]
pub struct PortalAccessView {
    pub child: Child,
    pub links: Vec<LinkRow>,
    pub invitations: Vec<InvitationRow>,
    pub contacts: Vec<send_domain::FamilyContact>,
}

/// Why revoking or granting again could not be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LinkProblem {
    #[error("This access has already been changed. Check the list and try again")]
    ChangedMeanwhile,
}

/// The involvement a family's dashboard follows: the newest open one, else the
/// newest.
fn followed(mut involvements: Vec<Involvement>) -> Option<Involvement> {
    involvements.sort_by_key(|i| std::cmp::Reverse(i.opened_at));
    let open = involvements.iter().position(|i| !i.stage.is_closed());
    match open {
        Some(index) => Some(involvements.swap_remove(index)),
        None => involvements.into_iter().next(),
    }
}

impl App {
    fn portal_event(
        &self,
        account: UserId,
        action: AuditAction,
        outcome: AuditOutcome,
        child: ChildId,
        source: &Source,
    ) -> send_domain::AuditEvent {
        let mut event = self.audit_event(Actor::User(account), action, outcome, source);
        event.child_id = Some(child);
        event.subject = Some(format!("child:{child}"));
        event
    }

    /// An account's name, for "who did it" columns.
    #[tracing::instrument(skip_all, fields(account_id = %id))]
    pub async fn account_name(&self, id: UserId) -> AppResult<Option<String>> {
        Ok(self
            .store
            .account_by_id(id)
            .await?
            .map(|a| a.name.to_string()))
    }

    /// The people with an active link to a child, by name (for choosing whom to
    /// share a document with; the caller has checked access to the child).
    #[tracing::instrument(skip_all, fields(child_id = %child))]
    pub async fn linked_people(&self, child: ChildId) -> AppResult<Vec<(UserId, String)>> {
        let mut people = Vec::new();
        for link in self.store.portal_links_for_child(child).await? {
            if link.status != LinkStatus::Active {
                continue;
            }
            if let Some(account) = self.store.account_by_id(link.account_id).await? {
                people.push((
                    account.id,
                    format!("{} ({})", account.name, link.role.label()),
                ));
            }
        }
        people.sort_by(|a, b| a.1.cmp(&b.1));
        Ok(people)
    }

    /// The children a portal user is linked to, active and pending, by name.
    #[tracing::instrument(skip_all, fields(account_id = %account))]
    pub async fn portal_children(&self, account: UserId) -> AppResult<Vec<PortalChild>> {
        let mut children = Vec::new();
        for link in self.store.portal_links_for_account(account).await? {
            if !matches!(link.status, LinkStatus::Active | LinkStatus::Pending) {
                continue;
            }
            if let Some(child) = self.store.child(link.child_id).await? {
                children.push(PortalChild {
                    child_id: child.id,
                    name: child.display_name(),
                    role: link.role,
                    status: link.status,
                });
            }
        }
        children.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(children)
    }

    /// The one check for a portal user and a child (`portal_may` on their link),
    /// asked on every request. A refusal is audited and is a 404, whatever the
    /// reason, so a child's case cannot be probed.
    #[tracing::instrument(skip_all, fields(account_id = %account, child_id = %child_id, action = ?action))]
    pub async fn authorise_portal(
        &self,
        account: UserId,
        action: PortalAction,
        child_id: ChildId,
        audit_as: AuditAction,
        source: &Source,
    ) -> AppResult<(Child, PortalLink)> {
        let case = self.store.portal_case(child_id, account).await?;
        self.decide_portal(account, action, child_id, audit_as, source, case)
            .await
    }

    /// `portal_may` on the link of `case` (a store read of the link and, while
    /// it is active, the child): the child and the link when allowed, else
    /// the refusal audited and a 404.
    async fn decide_portal(
        &self,
        account: UserId,
        action: PortalAction,
        child_id: ChildId,
        audit_as: AuditAction,
        source: &Source,
        case: PortalCase,
    ) -> AppResult<(Child, PortalLink)> {
        let PortalCase { link, child } = case;
        let decision = portal_may(link.as_ref().map(|l| l.status), action);
        if let (Decision::Allowed, Some(link), Some(child)) = (decision, link.clone(), child) {
            return Ok((child, link));
        }
        let mut event =
            self.portal_event(account, audit_as, AuditOutcome::Refused, child_id, source);
        event.detail = Some(format!(
            "{} refused ({})",
            action.code(),
            link.map_or("no link", |l| l.status.code())
        ));
        self.store.record_audit_event(&event).await?;
        Err(AppError::NotFound)
    }

    /// The SEND Dashboard of a child the person is linked to (the view is
    /// audited). The access check's link and child and everything the page
    /// shows are one store read (one transaction, counts counted by the
    /// database), then the audit event.
    #[tracing::instrument(skip_all, fields(account_id = %account, child_id = %child_id))]
    pub async fn dashboard(
        &self,
        account: UserId,
        child_id: ChildId,
        source: &Source,
    ) -> AppResult<Dashboard> {
        let PortalDashboard { case, read } = self
            .store
            .dashboard(&DashboardQuery {
                child: child_id,
                account,
                openings_since: Some(self.openings_since()),
                openings_limit: OPENINGS_LIMIT,
            })
            .await?;
        let (child, link) = self
            .decide_portal(
                account,
                PortalAction::ViewDashboard,
                child_id,
                AuditAction::DashboardViewed,
                source,
                case,
            )
            .await?;
        let family = link.role.is_family();
        let read = read.ok_or_else(|| {
            AppError::unexpected("the SEND Dashboard was not read for a link that allows it")
        })?;
        let event = self.portal_event(
            account,
            AuditAction::DashboardViewed,
            AuditOutcome::Succeeded,
            child.id,
            source,
        );
        self.store.record_audit_event(&event).await?;
        let involvement = followed(read.involvements);
        let caseworker = involvement
            .as_ref()
            .and_then(|i| i.caseworker_id)
            .and_then(|id| read.caseworkers.iter().find(|(c, _)| *c == id))
            .map(|(_, name)| name.clone());
        let involvement = involvement.map(|i| {
            let advice = read
                .advice
                .iter()
                .filter(|a| a.involvement_id == i.id)
                .map(|a| self.advice_line(a.clone()))
                .collect();
            let local = rules_for(&read.local_milestones, i.kind);
            self.view_from(i, &local, &calendar_with(read.extra_holidays), advice)
        });
        let actions = self
            .to_do(
                &read.assignments,
                &read.drafts,
                &read.live_versions,
                account,
                child.id,
                link.role,
            )
            .into_iter()
            .filter(|a| a.status != ActionStatus::Submitted && a.due.is_some())
            .collect();
        let openings = if family {
            Some(openings_days(read.openings)?)
        } else {
            None
        };
        let unread_messages = usize::try_from(read.unread_messages).unwrap_or(usize::MAX);
        let documents = usize::try_from(read.shared_documents).unwrap_or(usize::MAX);
        Ok(Dashboard {
            openings,
            child,
            role: link.role,
            involvement,
            caseworker,
            unread_messages,
            documents,
            actions,
        })
    }

    /// A child's Portal access page: every linked person and every invitation.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, child_id = %child_id))]
    pub async fn portal_access_of(
        &self,
        access: &StaffAccess,
        child_id: ChildId,
        source: &Source,
    ) -> AppResult<PortalAccessView> {
        let child = self
            .authorise_child(access, CaseAction::ManageAccess, child_id, source)
            .await?;
        let chronology = self.store.chronology(child.id, CHRONOLOGY_READ).await?;
        let mut links = Vec::new();
        for link in self.store.portal_links_for_child(child.id).await? {
            let account = self.store.account_by_id(link.account_id).await?;
            let changed_by = match link.status_by {
                Some(id) => self
                    .store
                    .account_by_id(id)
                    .await?
                    .map(|a| a.name.to_string()),
                None => None,
            };
            links.push(LinkRow {
                reason: revoke_reason(&link, &chronology),
                link,
                account,
                changed_by,
            });
        }
        let invitations = self.invitation_rows(child.id).await?;
        let contacts = self.store.family_contacts(child.id).await?;
        let event = self.case_event(
            access,
            AuditAction::PortalAccessViewed,
            AuditOutcome::Succeeded,
            Some(child.id),
            source,
        );
        self.store.record_audit_event(&event).await?;
        Ok(PortalAccessView {
            child,
            links,
            invitations,
            contacts,
        })
    }

    /// One person's link to a child, for the page that asks the SEND team to
    /// confirm revoking it (needs "manage access" to the child).
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, child_id = %child_id, link_id = %link_id))]
    pub async fn link_of_child(
        &self,
        access: &StaffAccess,
        child_id: ChildId,
        link_id: PortalLinkId,
        source: &Source,
    ) -> AppResult<(Child, LinkRow)> {
        let child = self
            .authorise_child(access, CaseAction::ManageAccess, child_id, source)
            .await?;
        let link = self
            .store
            .portal_link_by_id(link_id)
            .await?
            .filter(|l| l.child_id == child.id)
            .ok_or(AppError::NotFound)?;
        let account = self.store.account_by_id(link.account_id).await?;
        let changed_by = match link.status_by {
            Some(id) => self.account_name(id).await?,
            None => None,
        };
        Ok((
            child,
            LinkRow {
                link,
                account,
                changed_by,
                reason: None,
            },
        ))
    }

    /// Revokes a portal user's access to a child: their next request is refused.
    /// The reason is kept on the child's chronology and in the audit log, in the
    /// same commit. Returns the person's name.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, child_id = %child_id, link_id = %link_id))]
    pub async fn revoke_link(
        &self,
        access: &StaffAccess,
        child_id: ChildId,
        link_id: PortalLinkId,
        reason: &ChangeReason,
        source: &Source,
    ) -> AppResult<Result<String, LinkProblem>> {
        self.change_link(
            access,
            (child_id, link_id),
            LinkStatus::Revoked,
            Some(reason),
            source,
        )
        .await
    }

    /// Grants a revoked portal user's access again. Returns the person's name.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, child_id = %child_id, link_id = %link_id))]
    pub async fn regrant_link(
        &self,
        access: &StaffAccess,
        child_id: ChildId,
        link_id: PortalLinkId,
        source: &Source,
    ) -> AppResult<Result<String, LinkProblem>> {
        self.change_link(
            access,
            (child_id, link_id),
            LinkStatus::Active,
            None,
            source,
        )
        .await
    }

    async fn change_link(
        &self,
        access: &StaffAccess,
        (child_id, link_id): (ChildId, PortalLinkId),
        to: LinkStatus,
        reason: Option<&ChangeReason>,
        source: &Source,
    ) -> AppResult<Result<String, LinkProblem>> {
        let child = self
            .authorise_child(access, CaseAction::ManageAccess, child_id, source)
            .await?;
        let link = self
            .store
            .portal_link_by_id(link_id)
            .await?
            .filter(|l| l.child_id == child.id)
            .ok_or(AppError::NotFound)?;
        let Ok(changed) = link.change(to, Some(access.account_id), self.clock.now()) else {
            return Ok(Err(LinkProblem::ChangedMeanwhile));
        };
        let name = self
            .store
            .account_by_id(link.account_id)
            .await?
            .map_or_else(|| "a portal user".to_owned(), |a| a.name.to_string());
        let (action, kind, summary) = if to == LinkStatus::Revoked {
            (
                AuditAction::PortalAccessRevoked,
                REVOKED_KIND,
                format!("Portal access revoked for {name}"),
            )
        } else {
            (
                AuditAction::PortalAccessGranted,
                "portal_access.granted",
                format!("Portal access granted again to {name}"),
            )
        };
        let note = reason.map(ToString::to_string);
        let mut entry = self.chronology_entry(child.id, access.account_id, kind, summary, note);
        // At the link's own time, so the access page finds the reason by it.
        entry.occurred_at = changed.status_since;
        let mut event = self.case_event(
            access,
            action,
            AuditOutcome::Succeeded,
            Some(child.id),
            source,
        );
        // About the person: the audit log's person filter finds it by them.
        event.subject = Some(format!("account:{}", link.account_id));
        event.detail = Some(match reason {
            Some(reason) => format!("link:{}; reason: {reason}", link.id),
            None => format!("link:{}", link.id),
        });
        let unit = Changes::new()
            .with(Write::UpdatePortalLink {
                link: changed,
                expected: link.status,
            })
            .with(Write::AddChronologyEntry(entry))
            .with_audit(event);
        match self.store.commit(&unit).await {
            Ok(_) => Ok(Ok(name)),
            Err(StoreError::Conflict { .. }) => Ok(Err(LinkProblem::ChangedMeanwhile)),
            Err(err) => Err(err.into()),
        }
    }
}

/// Plain-English "Extra Information" for a stage of the assessment path: what
/// happens, what the family can do, and how long it takes.
#[derive(Debug, Clone, Copy)]
pub struct StageGuide {
    pub what_happens: &'static str,
    pub what_you_can_do: &'static str,
    pub how_long: &'static str,
}

/// The guide for a stage, where the dashboard explains it.
pub fn stage_guide(stage: Stage) -> Option<StageGuide> {
    let guide = match stage {
        Stage::RequestReceived => StageGuide {
            what_happens: "The SEND team has received the request for an Education, Health \
                and Care (EHC) needs assessment. They gather information from you, the \
                school or setting and others who know your child, to decide whether an \
                assessment is needed.",
            what_you_can_do: "Tell the SEND team anything you think they should know about \
                your child's needs, and send any reports you have. You can message your \
                caseworker from this dashboard.",
            how_long: "The council must tell you whether it will assess within 6 weeks of \
                receiving the request.",
        },
        Stage::DecisionToAssess => StageGuide {
            what_happens: "The council has decided to carry out an EHC needs assessment.",
            what_you_can_do: "Look out for requests for your views and those of your \
                child. These are an important part of the assessment.",
            how_long: "The assessment and advice take up to the 16th week from the request.",
        },
        Stage::NotAssessed => StageGuide {
            what_happens: "The council has decided not to carry out an EHC needs assessment. \
                It has written to you with its reasons.",
            what_you_can_do: "You can ask to meet the SEND team to discuss the decision, ask \
                for mediation, or appeal to the First-tier Tribunal (SEND).",
            how_long: "You have 2 months from the date of the decision letter (or 1 month \
                from a mediation certificate, if later) to appeal.",
        },
        Stage::AssessmentAndAdvice => StageGuide {
            what_happens: "Professionals such as educational psychologists, health and \
                social care are giving their advice about your child's needs.",
            what_you_can_do: "Give your own views and your child's views, and tell the SEND \
                team about anyone else who should be asked for advice.",
            how_long: "Those asked for advice have 6 weeks to reply. The draft plan, or a \
                decision not to issue one, follows by week 16.",
        },
        Stage::DraftPlan => StageGuide {
            what_happens: "A draft EHC plan has been sent to you.",
            what_you_can_do: "Read the draft carefully. You can comment on it, ask for a \
                meeting, and name the school or setting you would like your child to attend.",
            how_long: "You have at least 15 days to respond. The final plan must be issued \
                within 20 weeks of the request.",
        },
        Stage::FinalPlan => StageGuide {
            what_happens: "The final EHC plan has been issued.",
            what_you_can_do: "If you disagree with what the plan says, you can ask for \
                mediation or appeal to the First-tier Tribunal (SEND).",
            how_long: "The plan is reviewed at least every 12 months.",
        },
        Stage::NotIssued => StageGuide {
            what_happens: "After the assessment the council has decided not to issue an EHC \
                plan. It has written to you with its reasons.",
            what_you_can_do: "You can ask for mediation or appeal to the First-tier Tribunal \
                (SEND).",
            how_long: "You have 2 months from the date of the decision letter to appeal.",
        },
        Stage::PlanInForce => StageGuide {
            what_happens: "Your child has an EHC plan. The school or setting and the \
                council put in place the help it describes.",
            what_you_can_do: "Tell the SEND team if your child's needs change. You will be \
                invited to each annual review and asked for your views.",
            how_long: "The plan is reviewed at least every 12 months. After a review \
                meeting, the council has 4 weeks to decide whether to keep, change or end \
                the plan.",
        },
        Stage::PlanCeased => StageGuide {
            what_happens: "The EHC plan has ended. The council has written to you with the \
                reason.",
            what_you_can_do: "If you disagree with the decision to end the plan, you can \
                ask for mediation or appeal to the First-tier Tribunal (SEND).",
            how_long: "You have 2 months from the date of the decision letter to appeal.",
        },
        Stage::ReassessmentAgreed => StageGuide {
            what_happens: "The council has agreed to carry out a new EHC needs assessment.",
            what_you_can_do: "Give your views and your child's views, and send any new \
                reports.",
            how_long: "A re-assessment follows the same timescales as a first assessment: \
                a final plan within 14 weeks of the decision to re-assess.",
        },
    };
    Some(guide)
}

/// The guide for a stage as `reader` reads it: the family's ("your child"), or a
/// professional's, about the child and the family. The SEND team reads the
/// family's, which is what the family is shown.
pub fn stage_guide_for(stage: Stage, reader: Reader) -> Option<StageGuide> {
    match reader {
        Reader::Family | Reader::Staff => stage_guide(stage),
        Reader::Professional => Some(professional_stage_guide(stage)),
    }
}

/// A stage explained to a professional who works with the child.
fn professional_stage_guide(stage: Stage) -> StageGuide {
    match stage {
        Stage::RequestReceived => StageGuide {
            what_happens: "The SEND team has received the request for an Education, Health \
                and Care (EHC) needs assessment. They gather information from the family, the \
                school or setting and others who know the child, to decide whether an \
                assessment is needed.",
            what_you_can_do: "Send the SEND team any reports or information you have about \
                the child's needs. You can message the caseworker from this dashboard.",
            how_long: "The council must tell the family whether it will assess within 6 \
                weeks of receiving the request.",
        },
        Stage::DecisionToAssess => StageGuide {
            what_happens: "The council has decided to carry out an EHC needs assessment.",
            what_you_can_do: "If the SEND team asks you for advice, send it within 6 weeks \
                of being asked.",
            how_long: "The assessment and advice take up to the 16th week from the request.",
        },
        Stage::NotAssessed => StageGuide {
            what_happens: "The council has decided not to carry out an EHC needs assessment. \
                It has written to the family with its reasons.",
            what_you_can_do: "The family can ask to meet the SEND team, ask for mediation or \
                appeal to the First-tier Tribunal (SEND). You can keep supporting the child \
                from the school's or service's own resources.",
            how_long: "The family has 2 months from the date of the decision letter (or 1 \
                month from a mediation certificate, if later) to appeal.",
        },
        Stage::AssessmentAndAdvice => StageGuide {
            what_happens: "Professionals such as educational psychologists, health and \
                social care are giving their advice about the child's needs.",
            what_you_can_do: "If you have been asked for advice, send it to the SEND team. \
                Tell them about anyone else who should be asked.",
            how_long: "Those asked for advice have 6 weeks to reply. The draft plan, or a \
                decision not to issue one, follows by week 16.",
        },
        Stage::DraftPlan => StageGuide {
            what_happens: "A draft EHC plan has been sent to the family.",
            what_you_can_do: "The family may ask you to help them read the draft or comment \
                on it.",
            how_long: "The family has at least 15 days to respond. The final plan must be \
                issued within 20 weeks of the request.",
        },
        Stage::FinalPlan => StageGuide {
            what_happens: "The final EHC plan has been issued.",
            what_you_can_do: "Read the plan to see the help it describes for the child and \
                who is to give it.",
            how_long: "The plan is reviewed at least every 12 months.",
        },
        Stage::NotIssued => StageGuide {
            what_happens: "After the assessment the council has decided not to issue an EHC \
                plan. It has written to the family with its reasons.",
            what_you_can_do: "The family can ask for mediation or appeal to the First-tier \
                Tribunal (SEND).",
            how_long: "The family has 2 months from the date of the decision letter to appeal.",
        },
        Stage::PlanInForce => StageGuide {
            what_happens: "The child has an EHC plan. The school or setting and the council \
                put in place the help it describes.",
            what_you_can_do: "Tell the SEND team if the child's needs change. You may be \
                invited to the annual review and asked for advice.",
            how_long: "The plan is reviewed at least every 12 months. After a review \
                meeting, the council has 4 weeks to decide whether to keep, change or end \
                the plan.",
        },
        Stage::PlanCeased => StageGuide {
            what_happens: "The EHC plan has ended. The council has written to the family \
                with the reason.",
            what_you_can_do: "The family can ask for mediation or appeal to the First-tier \
                Tribunal (SEND) if they disagree.",
            how_long: "The family has 2 months from the date of the decision letter to appeal.",
        },
        Stage::ReassessmentAgreed => StageGuide {
            what_happens: "The council has agreed to carry out a new EHC needs assessment.",
            what_you_can_do: "Send the SEND team any new reports about the child, and send \
                advice if you are asked for it.",
            how_long: "A re-assessment follows the same timescales as a first assessment: \
                a final plan within 14 weeks of the decision to re-assess.",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_professional_reads_each_stage_about_the_child_never_your_child() {
        for stage in Stage::ALL {
            let guide = stage_guide_for(*stage, Reader::Professional).unwrap();
            for text in [guide.what_happens, guide.what_you_can_do, guide.how_long] {
                assert!(!text.contains("your child"), "{stage}: {text}");
                assert!(!text.contains("Your child"), "{stage}: {text}");
                assert!(!text.contains("to you"), "{stage}: {text}");
            }
            let family = stage_guide_for(*stage, Reader::Family).unwrap();
            assert_eq!(
                family.what_happens,
                stage_guide(*stage).unwrap().what_happens
            );
        }
    }
}
