//! Giving a published form to a child's portal users (FRM-3, LNK-5): to
//! everyone linked, to those in a role, or to one person; with a due date it is
//! an action, listed under Actions to Complete on the SEND Dashboard. The SEND
//! team sees each action's status on the child's record; the family sees what
//! they have to do.

use send_domain::dates::long_date;
use send_domain::forms::{
    ActionStatus, AssignedTo, Audience, FormAssignment, FormDraft, FormVersion, Submission,
};
use send_domain::notifications::NotificationEvent;
use send_domain::{
    Account, AuditAction, AuditOutcome, CaseAction, Child, ChildId, FormAssignmentId, FormId,
    LinkStatus, PortalAction, PortalRole, StaffAccess, UserId,
};
use send_store::{Changes, Effects, StoreError, SubmissionQuery, Write};
use time::{Date, OffsetDateTime};

use super::filling::assignment_for;
use crate::audit::Source;
use crate::ids::new_uuid;
use crate::notifications::Notice;
use crate::{App, AppError, AppResult};

/// A form the SEND team may give to a child's portal users.
#[derive(Debug, Clone)]
pub struct Givable {
    pub form_id: FormId,
    pub title: String,
    pub audiences: Vec<Audience>,
    pub days_to_complete: u16,
}

/// What the SEND team is giving.
#[derive(Debug, Clone)]
pub struct NewAssignment {
    pub form: FormId,
    pub to: AssignedTo,
    /// Some: an action to complete by this date.
    pub due: Option<Date>,
}

/// Why a form could not be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AssignProblem {
    #[error("Select a published form")]
    NoSuchForm,
    #[error("This form is not for the people you chose: choose people it is for")]
    WrongAudience,
    #[error("Select someone who can see this child's case in the portal")]
    NotLinked,
    #[error("The due date must be today or in the future")]
    DueInThePast,
}

/// One form given to a child, with where it stands.
#[derive(Debug, Clone)]
pub struct ActionRow {
    pub assignment: FormAssignment,
    pub title: String,
    pub to: String,
    pub status: ActionStatus,
    /// The submission that completed it.
    pub submission: Option<Submission>,
}

/// The forms on a child's record, for the SEND team.
#[derive(Debug, Clone)]
pub struct ChildForms {
    pub child: Child,
    pub actions: Vec<ActionRow>,
    pub submissions: Vec<Submission>,
    pub givable: Vec<Givable>,
    pub linked: Vec<(UserId, String)>,
}

/// A form a portal user has to do (or may do) for a child.
#[derive(Debug, Clone)]
pub struct FormToDo {
    pub form_id: FormId,
    pub child_id: ChildId,
    pub title: String,
    pub due: Option<Date>,
    pub status: ActionStatus,
    pub saved_at: Option<OffsetDateTime>,
}

fn audience_of_role(role: PortalRole) -> Audience {
    match role {
        PortalRole::Parent | PortalRole::YoungPerson => Audience::Families,
        PortalRole::Professional => Audience::Professionals,
    }
}

fn to_label(to: &AssignedTo, people: &[(UserId, String)]) -> String {
    match to {
        AssignedTo::EveryoneLinked => "Everyone linked to the child".to_owned(),
        AssignedTo::Role(role) => format!("Everyone linked as {}", role.label().to_lowercase()),
        AssignedTo::Person(id) => people
            .iter()
            .find(|(p, _)| p == id)
            .map_or_else(|| "Someone no longer linked".to_owned(), |(_, n)| n.clone()),
    }
}

impl App {
    /// The live versions of forms that can be given for a child (about a child,
    /// for portal audiences).
    async fn givable_forms(&self) -> AppResult<Vec<(FormVersion, Givable)>> {
        Ok(self
            .store
            .live_form_versions()
            .await?
            .into_iter()
            .filter(|v| {
                v.definition.about_a_child && v.definition.audiences.iter().any(|a| a.in_portal())
            })
            .map(|v| {
                let givable = Givable {
                    form_id: v.form_id,
                    title: v.definition.title.clone(),
                    audiences: v.definition.audiences.clone(),
                    days_to_complete: v.definition.days_to_complete,
                };
                (v, givable)
            })
            .collect())
    }

    /// A child's forms for the SEND team: every form given (with its status),
    /// every submission, and the forms that could be given.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, child_id = %child))]
    pub async fn child_forms(
        &self,
        access: &StaffAccess,
        child: ChildId,
        source: &Source,
    ) -> AppResult<ChildForms> {
        let child = self
            .authorise_child(access, CaseAction::View, child, source)
            .await?;
        let assignments = self
            .store
            .form_assignments_for_children(&[child.id])
            .await?;
        let drafts = self.store.form_drafts_for_child(child.id).await?;
        let submissions = self
            .store
            .submissions(&SubmissionQuery {
                child: Some(child.id),
                limit: 500,
                ..SubmissionQuery::default()
            })
            .await?;
        let linked = self.linked_people(child.id).await?;
        let today = self.today();
        let mut actions = Vec::new();
        for assignment in assignments {
            let title = match self.store.form(assignment.form_id).await? {
                Some(form) => match form.live_version {
                    Some(n) => self
                        .store
                        .form_version(form.id, n)
                        .await?
                        .map_or(form.draft.title.clone(), |v| v.definition.title),
                    None => form.draft.title.clone(),
                },
                None => continue,
            };
            let started = drafts
                .iter()
                .any(|d| d.assignment_id == Some(assignment.id));
            let submission = assignment
                .completed_by
                .and_then(|id| submissions.iter().find(|s| s.id == id).cloned());
            actions.push(ActionRow {
                status: ActionStatus::of(&assignment, started, today),
                to: to_label(&assignment.to, &linked),
                title,
                submission,
                assignment,
            });
        }
        let mut event = self.case_event(
            access,
            AuditAction::ChildViewed,
            AuditOutcome::Succeeded,
            Some(child.id),
            source,
        );
        event.detail = Some("forms".to_owned());
        self.store.record_audit_event(&event).await?;
        Ok(ChildForms {
            child,
            actions,
            submissions,
            givable: self
                .givable_forms()
                .await?
                .into_iter()
                .map(|(_, g)| g)
                .collect(),
            linked,
        })
    }

    /// Gives a published form to a child's portal users; with a due date, as an
    /// action (they are emailed a link to it, never its content).
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, child_id = %child))]
    pub async fn assign_form(
        &self,
        access: &StaffAccess,
        child: ChildId,
        new: NewAssignment,
        source: &Source,
    ) -> AppResult<Result<FormAssignmentId, AssignProblem>> {
        let child = self
            .authorise_child(access, CaseAction::ManageAccess, child, source)
            .await?;
        let Some((version, _)) = self
            .givable_forms()
            .await?
            .into_iter()
            .find(|(v, _)| v.form_id == new.form)
        else {
            return Ok(Err(AssignProblem::NoSuchForm));
        };
        if new.due.is_some_and(|due| due < self.today()) {
            return Ok(Err(AssignProblem::DueInThePast));
        }
        let links: Vec<_> = self
            .store
            .portal_links_for_child(child.id)
            .await?
            .into_iter()
            .filter(|l| l.status == LinkStatus::Active)
            .collect();
        let audiences = &version.definition.audiences;
        let fits = |role: PortalRole| audiences.contains(&audience_of_role(role));
        match &new.to {
            AssignedTo::Person(person) => match links.iter().find(|l| l.account_id == *person) {
                None => return Ok(Err(AssignProblem::NotLinked)),
                Some(link) if !fits(link.role) => return Ok(Err(AssignProblem::WrongAudience)),
                Some(_) => {}
            },
            AssignedTo::Role(role) if !fits(*role) => {
                return Ok(Err(AssignProblem::WrongAudience));
            }
            _ => {}
        }
        let recipients: Vec<UserId> = links
            .iter()
            .filter(|l| fits(l.role) && new.to.includes(l.account_id, l.role))
            .map(|l| l.account_id)
            .collect();
        let assignment = FormAssignment {
            id: FormAssignmentId::from_uuid(new_uuid(self.clock.as_ref())),
            form_id: new.form,
            child_id: child.id,
            to: new.to,
            due: new.due,
            assigned_by: access.account_id,
            assigned_at: self.clock.now(),
            completed_by: None,
            withdrawn_at: None,
        };
        let title = &version.definition.title;
        let mut event = self.case_event(
            access,
            AuditAction::FormAssigned,
            AuditOutcome::Succeeded,
            Some(child.id),
            source,
        );
        event.subject = Some(format!("form:{}", new.form));
        event.detail = Some(format!(
            "{title}{}",
            new.due
                .map(|d| format!(", due {}", long_date(d)))
                .unwrap_or_default()
        ));
        let entry = self.chronology_entry(
            child.id,
            access.account_id,
            "form.assigned",
            format!(
                "Form “{title}” sent to {}{}",
                to_label(&assignment.to, &self.linked_people(child.id).await?),
                new.due
                    .map(|d| format!(", due {}", long_date(d)))
                    .unwrap_or_default()
            ),
            None,
        );
        let id = assignment.id;
        let mut changes = Changes::new()
            .with(Write::InsertFormAssignment(assignment))
            .with(Write::AddChronologyEntry(entry))
            .with_effects(Effects::audit(event));
        let notice = Notice::new(
            &child,
            NotificationEvent::ActionSent,
            Some(access.account_id),
        );
        let notice = notice.only(&recipients).form(title, new.due);
        self.add_notifications(&mut changes, notice).await?;
        self.store.commit(&changes).await?;
        Ok(Ok(id))
    }

    /// The date a form sent today is due by, from the days its live version
    /// allows; `None` if it is not a live form.
    #[tracing::instrument(skip_all, fields(form_id = %form))]
    pub async fn usual_due_date(&self, form: FormId) -> AppResult<Option<Date>> {
        Ok(self
            .givable_forms()
            .await?
            .into_iter()
            .find(|(v, _)| v.form_id == form)
            .map(|(_, g)| self.today() + time::Duration::days(i64::from(g.days_to_complete))))
    }

    /// Withdraws a form given to a child: it leaves the portal at once.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, assignment_id = %id))]
    pub async fn withdraw_form_assignment(
        &self,
        access: &StaffAccess,
        id: FormAssignmentId,
        source: &Source,
    ) -> AppResult<ChildId> {
        let assignment = self
            .store
            .form_assignment(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let child = self
            .authorise_child(
                access,
                CaseAction::ManageAccess,
                assignment.child_id,
                source,
            )
            .await?;
        let mut event = self.case_event(
            access,
            AuditAction::FormAssignmentWithdrawn,
            AuditOutcome::Succeeded,
            Some(child.id),
            source,
        );
        event.subject = Some(format!("form:{}", assignment.form_id));
        let entry = self.chronology_entry(
            child.id,
            access.account_id,
            "form.withdrawn",
            "A form sent to the family was withdrawn".to_owned(),
            None,
        );
        match self
            .store
            .commit(
                &Changes::new()
                    .with(Write::WithdrawFormAssignment {
                        id,
                        at: self.clock.now(),
                    })
                    .with(Write::AddChronologyEntry(entry))
                    .with_audit(event),
            )
            .await
        {
            Ok(_) => Ok(child.id),
            Err(StoreError::NotFound) => Err(AppError::NotFound),
            Err(err) => Err(err.into()),
        }
    }

    /// The forms given to a person for a child (no access check: the caller has
    /// made it), outstanding actions first.
    pub(crate) async fn actions_for(
        &self,
        account: UserId,
        child: ChildId,
        role: PortalRole,
    ) -> AppResult<Vec<FormToDo>> {
        let assignments = self.store.form_assignments_for_children(&[child]).await?;
        let drafts: Vec<FormDraft> = self
            .store
            .form_drafts_by(account)
            .await?
            .into_iter()
            .filter(|d| d.child_id == Some(child))
            .collect();
        let live = self.store.live_form_versions().await?;
        Ok(self.to_do(&assignments, &drafts, &live, account, child, role))
    }

    /// The forms given to a person for a child, outstanding actions first,
    /// from what was read: the child's assignments, the person's drafts about
    /// the child and the live versions of (at least) the forms assigned.
    pub(crate) fn to_do(
        &self,
        assignments: &[FormAssignment],
        drafts: &[FormDraft],
        live: &[FormVersion],
        account: UserId,
        child: ChildId,
        role: PortalRole,
    ) -> Vec<FormToDo> {
        let today = self.today();
        let mut forms: Vec<FormId> = assignments.iter().map(|a| a.form_id).collect();
        forms.sort();
        forms.dedup();
        let mut rows = Vec::new();
        for form in forms {
            let Some(version) = live.iter().find(|v| v.form_id == form) else {
                continue;
            };
            if !version
                .definition
                .audiences
                .contains(&audience_of_role(role))
            {
                continue;
            }
            let Some(assignment) = assignment_for(assignments, form, account, role) else {
                continue;
            };
            let draft = drafts
                .iter()
                .find(|d| d.form_id == form && d.child_id == Some(child));
            rows.push(FormToDo {
                form_id: form,
                child_id: child,
                title: version.definition.title.clone(),
                due: assignment.due,
                status: ActionStatus::of(&assignment, draft.is_some(), today),
                saved_at: draft.map(|d| d.saved_at),
            });
        }
        rows.sort_by_key(|r| (r.status == ActionStatus::Submitted, r.due.is_none(), r.due));
        rows
    }

    /// Actions to Complete for a child the person is linked to.
    #[tracing::instrument(skip_all, fields(account_id = %account.id, child_id = %child))]
    pub async fn portal_actions(
        &self,
        account: &Account,
        child: ChildId,
        source: &Source,
    ) -> AppResult<(Child, Vec<FormToDo>)> {
        let (child, link) = self
            .authorise_portal(
                account.id,
                PortalAction::CompleteForm,
                child,
                AuditAction::FormOpened,
                source,
            )
            .await?;
        let actions = self.actions_for(account.id, child.id, link.role).await?;
        Ok((child, actions))
    }
}
