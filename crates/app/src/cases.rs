//! The back office's children: adding, finding, opening and changing a child's
//! record, every step checked by `staff_may` and written to the audit log, every
//! change also to the child's chronology.

use send_domain::{
    Actor, AuditAction, AuditEvent, AuditOutcome, CaseAction, Child, ChildId, ChildSearch,
    ChronologyEntryId, ContactId, Decision, FamilyContact, Permission, StaffAccess, TeamId, UserId,
    staff_may,
};
use send_store::{Changes, ChronologyEntry, Write};

use crate::audit::Source;
use crate::ids::new_uuid;
use crate::{App, AppError, AppResult};

/// How many children a search shows at most.
pub const SEARCH_LIMIT: u32 = 50;

/// A child's record as a member of staff sees it.
#[derive(Debug, Clone)]
pub struct ChildRecord {
    pub child: Child,
    pub contacts: Vec<FamilyContact>,
}

impl App {
    /// What a staff account may do, or `None` for anyone else.
    #[tracing::instrument(skip_all, fields(account_id = %account))]
    pub async fn staff_access(&self, account: UserId) -> AppResult<Option<StaffAccess>> {
        Ok(self.store.staff_access(account).await?)
    }

    pub(crate) fn case_event(
        &self,
        access: &StaffAccess,
        action: AuditAction,
        outcome: AuditOutcome,
        child: Option<ChildId>,
        source: &Source,
    ) -> AuditEvent {
        let mut event = self.audit_event(Actor::User(access.account_id), action, outcome, source);
        event.child_id = child;
        event.subject = child.map(|id| format!("child:{id}"));
        event
    }

    pub(crate) fn chronology_entry(
        &self,
        child: ChildId,
        actor: UserId,
        kind: &str,
        summary: String,
        note: Option<String>,
    ) -> ChronologyEntry {
        ChronologyEntry {
            id: ChronologyEntryId::from_uuid(new_uuid(self.clock.as_ref())),
            child_id: child,
            occurred_at: self.clock.now(),
            actor_id: Some(actor),
            kind: kind.to_owned(),
            summary,
            note,
        }
    }

    /// Applies the access policy to one child, recording a refusal in the audit
    /// log. Returns the child when allowed; `NotFound` when the case is hidden from
    /// this person (or does not exist), `Forbidden` when it is visible but the
    /// action is not theirs.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, child_id = %child_id, action = ?action))]
    pub async fn authorise_child(
        &self,
        access: &StaffAccess,
        action: CaseAction,
        child_id: ChildId,
        source: &Source,
    ) -> AppResult<Child> {
        let child = self.store.child(child_id).await?;
        let decision = child
            .as_ref()
            .map_or(Decision::Hidden, |c| staff_may(access, action, c.team_id));
        if let (Decision::Allowed, Some(child)) = (decision, &child) {
            return Ok(child.clone());
        }
        let mut event = self.case_event(
            access,
            match action {
                CaseAction::View => AuditAction::ChildViewed,
                CaseAction::Edit | CaseAction::ManageAccess => AuditAction::ChildUpdated,
            },
            AuditOutcome::Refused,
            child.as_ref().map(|c| c.id),
            source,
        );
        event.subject = Some(format!("child:{child_id}"));
        event.detail = Some(format!("{action} refused"));
        self.store.record_audit_event(&event).await?;
        Err(if decision == Decision::Refused {
            AppError::Forbidden
        } else {
            AppError::NotFound
        })
    }

    /// The team a new child goes on: the member of staff's own, or the first team.
    async fn team_for_new_child(&self, access: &StaffAccess) -> AppResult<TeamId> {
        if let Some(team) = access.team_id {
            return Ok(team);
        }
        let teams = self.store.teams().await?;
        teams
            .first()
            .map(|t| t.id)
            .ok_or_else(|| AppError::unexpected("there are no teams"))
    }

    /// Adds a child's record. Needs "edit cases" and, for the chosen team, the team.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn create_child(
        &self,
        access: &StaffAccess,
        child: Child,
        contacts: Vec<FamilyContact>,
        source: &Source,
    ) -> AppResult<ChildId> {
        let (id, changes) = self
            .new_child_changes(access, child, contacts, source)
            .await?;
        self.store.commit(&changes).await?;
        Ok(id)
    }

    /// What adding a child's record writes (the access check done, a refusal
    /// audited), for a use case that adds a child as part of its change.
    pub(crate) async fn new_child_changes(
        &self,
        access: &StaffAccess,
        mut child: Child,
        contacts: Vec<FamilyContact>,
        source: &Source,
    ) -> AppResult<(ChildId, Changes)> {
        if child.team_id == TeamId::from_uuid(uuid::Uuid::nil()) {
            child.team_id = self.team_for_new_child(access).await?;
        }
        if staff_may(access, CaseAction::Edit, child.team_id) != Decision::Allowed {
            let event = self.case_event(
                access,
                AuditAction::ChildCreated,
                AuditOutcome::Refused,
                None,
                source,
            );
            self.store.record_audit_event(&event).await?;
            return Err(AppError::Forbidden);
        }
        let now = self.clock.now();
        child.id = ChildId::from_uuid(new_uuid(self.clock.as_ref()));
        child.created_at = now;
        child.updated_at = now;
        child.version = 1;
        let contacts: Vec<FamilyContact> = contacts
            .into_iter()
            .map(|mut c| {
                c.id = ContactId::from_uuid(new_uuid(self.clock.as_ref()));
                c.child_id = child.id;
                c
            })
            .collect();
        let entry = self.chronology_entry(
            child.id,
            access.account_id,
            "child.created",
            "Child's record added".to_owned(),
            None,
        );
        let event = self.case_event(
            access,
            AuditAction::ChildCreated,
            AuditOutcome::Succeeded,
            Some(child.id),
            source,
        );
        let mut changes = Changes::new().with(Write::InsertChild(child.clone()));
        for contact in contacts {
            changes.push(Write::SaveContact(contact));
        }
        Ok((
            child.id,
            changes
                .with(Write::AddChronologyEntry(entry))
                .with_audit(event),
        ))
    }

    /// Opens a child's record (the view is audited).
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, child_id = %child_id))]
    pub async fn open_child(
        &self,
        access: &StaffAccess,
        child_id: ChildId,
        source: &Source,
    ) -> AppResult<ChildRecord> {
        let child = self
            .authorise_child(access, CaseAction::View, child_id, source)
            .await?;
        let contacts = self.store.family_contacts(child.id).await?;
        let event = self.case_event(
            access,
            AuditAction::ChildViewed,
            AuditOutcome::Succeeded,
            Some(child.id),
            source,
        );
        self.store.record_audit_event(&event).await?;
        Ok(ChildRecord { child, contacts })
    }

    /// Changes a child's record: every field but its id, team and creation time.
    /// `changed.version` is the version the person read: if someone else changed
    /// the record since, nothing is written and the answer is `Changed`.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, child_id = %changed.id))]
    pub async fn update_child(
        &self,
        access: &StaffAccess,
        mut changed: Child,
        note: Option<String>,
        source: &Source,
    ) -> AppResult<()> {
        let current = self
            .authorise_child(access, CaseAction::Edit, changed.id, source)
            .await?;
        changed.team_id = current.team_id;
        changed.created_at = current.created_at;
        changed.updated_at = self.clock.now();
        let entry = self.chronology_entry(
            changed.id,
            access.account_id,
            "child.updated",
            "Child's details changed".to_owned(),
            note,
        );
        let event = self.case_event(
            access,
            AuditAction::ChildUpdated,
            AuditOutcome::Succeeded,
            Some(changed.id),
            source,
        );
        let expected_version = changed.version;
        if expected_version != current.version {
            return Err(AppError::Changed);
        }
        self.store
            .commit(
                &Changes::new()
                    .with(Write::UpdateChild {
                        child: changed,
                        expected_version,
                    })
                    .with(Write::AddChronologyEntry(entry))
                    .with_audit(event),
            )
            .await?;
        Ok(())
    }

    /// Finds children within the person's teams (every team with "all teams").
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn search_children(
        &self,
        access: &StaffAccess,
        search: &ChildSearch,
        source: &Source,
    ) -> AppResult<Vec<Child>> {
        if !access.has(Permission::ViewCases) {
            return Err(AppError::Forbidden);
        }
        let own: Vec<TeamId> = access.team_id.into_iter().collect();
        let teams = if access.has(Permission::AllTeams) {
            None
        } else {
            Some(own.as_slice())
        };
        let found = self
            .store
            .search_children(search, teams, SEARCH_LIMIT)
            .await?;
        let mut event = self.case_event(
            access,
            AuditAction::ChildrenSearched,
            AuditOutcome::Succeeded,
            None,
            source,
        );
        event.detail = Some(format!("{} found", found.len()));
        self.store.record_audit_event(&event).await?;
        Ok(found)
    }

    /// The child's chronology, newest first (a view of the record: audited).
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, child_id = %child_id))]
    pub async fn chronology(
        &self,
        access: &StaffAccess,
        child_id: ChildId,
        source: &Source,
    ) -> AppResult<(Child, Vec<ChronologyEntry>)> {
        let record = self.open_child(access, child_id, source).await?;
        let entries = self.store.chronology(child_id, 500).await?;
        Ok((record.child, entries))
    }
}

impl App {
    /// Adds a family contact to a child's record. Needs "edit cases".
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, child_id = %contact.child_id))]
    pub async fn add_family_contact(
        &self,
        access: &StaffAccess,
        mut contact: FamilyContact,
        source: &Source,
    ) -> AppResult<()> {
        let child = self
            .authorise_child(access, CaseAction::Edit, contact.child_id, source)
            .await?;
        contact.id = ContactId::from_uuid(new_uuid(self.clock.as_ref()));
        let entry = self.chronology_entry(
            child.id,
            access.account_id,
            "child.contact_added",
            format!(
                "Family contact added: {} ({})",
                contact.name, contact.relationship
            ),
            None,
        );
        let event = self.case_event(
            access,
            AuditAction::FamilyContactChanged,
            AuditOutcome::Succeeded,
            Some(child.id),
            source,
        );
        self.store
            .commit(
                &Changes::new()
                    .with(Write::SaveContact(contact))
                    .with(Write::AddChronologyEntry(entry))
                    .with_audit(event),
            )
            .await?;
        Ok(())
    }

    /// Removes a family contact from a child's record. Needs "edit cases".
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, child_id = %child_id, contact_id = %contact_id))]
    pub async fn remove_family_contact(
        &self,
        access: &StaffAccess,
        child_id: ChildId,
        contact_id: ContactId,
        source: &Source,
    ) -> AppResult<()> {
        let child = self
            .authorise_child(access, CaseAction::Edit, child_id, source)
            .await?;
        let contacts = self.store.family_contacts(child.id).await?;
        let Some(contact) = contacts.into_iter().find(|c| c.id == contact_id) else {
            return Err(AppError::NotFound);
        };
        let entry = self.chronology_entry(
            child.id,
            access.account_id,
            "child.contact_removed",
            format!(
                "Family contact removed: {} ({})",
                contact.name, contact.relationship
            ),
            None,
        );
        let mut event = self.case_event(
            access,
            AuditAction::FamilyContactChanged,
            AuditOutcome::Succeeded,
            Some(child.id),
            source,
        );
        event.detail = Some("removed".to_owned());
        self.store
            .commit(
                &Changes::new()
                    .with(Write::DeleteContact(contact.id))
                    .with(Write::AddChronologyEntry(entry))
                    .with_audit(event),
            )
            .await?;
        Ok(())
    }
}
