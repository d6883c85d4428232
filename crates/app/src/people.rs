//! People (issue 19): the administrator's lists of staff and of portal
//! accounts, and what may be changed about them.
//!
//! Who may do what:
//! - staff, their set-up links, teams and permission groups need "Manage
//!   staff";
//! - portal accounts (citizens' and professionals') need "Manage portal users"
//!   with "Work on every team's cases", the rule professionals' requests already
//!   follow (`deals_with_child_link_requests`): one account may be linked to
//!   children of every team, so disabling it is not a one-team decision, and
//!   caseworkers (who manage portal users of their own team's children) may not.
//!
//! Every change is one commit with its audit event; every refusal is audited
//! and answered `Forbidden`. No change may leave the portal without an active
//! member of staff who may manage staff: it is refused as
//! [`PeopleChange::LastAdministrator`].

use std::collections::{BTreeMap, BTreeSet};

use send_domain::involvements::Involvement;
use send_domain::{
    AccountKind, AccountStatus, Actor, AuditAction, AuditOutcome, Child, ChildId, Permission,
    PermissionGroupId, PortalLink, StaffAccess, StaffSetupLink, StaffSetupLinkId,
    StaffSetupLinkState, TeamId, Thread, UserId,
};
use send_store::{
    CaseloadQuery, Changes, LAST_ADMINISTRATOR, PermissionGroup, Person, StaffMembership,
    StoreError, Team, Write,
};
use time::OffsetDateTime;

use crate::audit::Source;
use crate::ids::new_uuid;
use crate::staff_setup::LINK_LIFETIME;
use crate::tokens::SecretToken;
use crate::{App, AppError, AppResult};

/// How many portal accounts one search lists at most.
pub const PORTAL_SEARCH_LIMIT: u32 = 100;

/// What a change to people, teams or groups came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeopleChange {
    Done,
    /// Refused: nobody active would be left who may manage staff.
    LastAdministrator,
    /// Refused: the name is taken by another team or group.
    NameTaken,
    /// Refused: a team or group still in use.
    InUse,
}

/// One member of staff as the list shows them.
#[derive(Debug, Clone)]
pub struct StaffLine {
    pub person: Person,
    pub team: Option<String>,
    pub groups: Vec<String>,
    pub last_sign_in: Option<OffsetDateTime>,
}

/// The staff list: everyone, and the set-up links not yet used.
#[derive(Debug, Clone)]
pub struct StaffList {
    pub staff: Vec<StaffLine>,
    pub links: Vec<PendingLink>,
}

/// A set-up link not yet used.
#[derive(Debug, Clone)]
pub struct PendingLink {
    pub link: StaffSetupLink,
    pub expired: bool,
    pub team: Option<String>,
}

/// One member of staff's page.
#[derive(Debug, Clone)]
pub struct StaffDetail {
    pub line: StaffLine,
    pub membership: StaffMembership,
    /// Their open cases, to hand over (each with its child).
    pub open_cases: Vec<(Involvement, Child)>,
    /// The conversations they hold, to hand over.
    pub held_threads: Vec<Thread>,
    pub teams: Vec<Team>,
    pub groups: Vec<PermissionGroup>,
}

/// One portal account's page: the account and its links to children.
#[derive(Debug, Clone)]
pub struct PortalDetail {
    pub person: Person,
    pub links: Vec<(PortalLink, Child)>,
}

/// Whether `access` may look after portal accounts (see the module's notes).
pub fn manages_portal_accounts(access: &StaffAccess) -> bool {
    access.has(Permission::ManagePortalUsers) && access.has(Permission::AllTeams)
}

/// How many active members of staff would hold "Manage staff" with these
/// memberships and groups.
fn administrators(
    people: &[Person],
    memberships: &BTreeMap<UserId, StaffMembership>,
    groups: &[PermissionGroup],
) -> usize {
    let grants: BTreeSet<PermissionGroupId> = groups
        .iter()
        .filter(|g| g.permissions.contains(&Permission::ManageStaff))
        .map(|g| g.id)
        .collect();
    people
        .iter()
        .filter(|p| p.status == AccountStatus::Active && p.account.kind == AccountKind::Staff)
        .filter(|p| {
            memberships
                .get(&p.account.id)
                .is_some_and(|m| m.groups.iter().any(|g| grants.contains(g)))
        })
        .count()
}

/// A people change's commit answered: done; the store's last-administrator
/// guard (two changes at once that each left someone) as
/// [`PeopleChange::LastAdministrator`]; another guard as `on_conflict` if the
/// change has one (a name taken, a team in use); a record gone as
/// `AppError::NotFound`.
fn people_outcome(
    committed: Result<(), StoreError>,
    on_conflict: Option<PeopleChange>,
) -> AppResult<PeopleChange> {
    match committed {
        Ok(()) => Ok(PeopleChange::Done),
        Err(StoreError::Conflict { constraint }) if constraint == LAST_ADMINISTRATOR => {
            Ok(PeopleChange::LastAdministrator)
        }
        Err(StoreError::Conflict { constraint }) => {
            on_conflict.ok_or_else(|| StoreError::Conflict { constraint }.into())
        }
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(err) => Err(err.into()),
    }
}

impl App {
    async fn refuse(
        &self,
        access: &StaffAccess,
        action: AuditAction,
        subject: Option<String>,
        source: &Source,
    ) -> AppResult<()> {
        let mut event = self.audit_event(
            Actor::User(access.account_id),
            action,
            AuditOutcome::Refused,
            source,
        );
        event.subject = subject;
        self.store.record_audit_event(&event).await?;
        Err(AppError::Forbidden)
    }

    async fn require_manage_staff(
        &self,
        access: &StaffAccess,
        action: AuditAction,
        subject: Option<String>,
        source: &Source,
    ) -> AppResult<()> {
        if access.has(Permission::ManageStaff) {
            Ok(())
        } else {
            self.refuse(access, action, subject, source).await
        }
    }

    fn people_event(
        &self,
        access: &StaffAccess,
        action: AuditAction,
        subject: String,
        detail: Option<String>,
        source: &Source,
    ) -> send_domain::AuditEvent {
        let mut event = self.audit_event(
            Actor::User(access.account_id),
            action,
            AuditOutcome::Succeeded,
            source,
        );
        event.subject = Some(subject);
        event.detail = detail;
        event
    }

    /// Whether, with `people`, `memberships` and `groups` as they would be
    /// after a change, someone active could still manage staff.
    async fn leaves_an_administrator(
        &self,
        change: impl FnOnce(
            &mut Vec<Person>,
            &mut BTreeMap<UserId, StaffMembership>,
            &mut Vec<PermissionGroup>,
        ),
    ) -> AppResult<bool> {
        let mut people = self.store.staff_people().await?;
        let mut memberships: BTreeMap<UserId, StaffMembership> = self
            .store
            .staff_memberships()
            .await?
            .into_iter()
            .map(|m| (m.account_id, m))
            .collect();
        let mut groups = self.store.permission_groups().await?;
        if administrators(&people, &memberships, &groups) == 0 {
            // Nobody could before either (a fresh installation): do not lock the
            // one change out that might mend it.
            return Ok(true);
        }
        change(&mut people, &mut memberships, &mut groups);
        Ok(administrators(&people, &memberships, &groups) > 0)
    }

    fn staff_line(
        person: Person,
        membership: Option<&StaffMembership>,
        teams: &[Team],
        groups: &[PermissionGroup],
        last_sign_in: Option<OffsetDateTime>,
    ) -> StaffLine {
        let team = membership
            .and_then(|m| m.team_id)
            .and_then(|id| teams.iter().find(|t| t.id == id))
            .map(|t| t.name.clone());
        let group_names = membership
            .map(|m| {
                groups
                    .iter()
                    .filter(|g| m.groups.contains(&g.id))
                    .map(|g| g.name.clone())
                    .collect()
            })
            .unwrap_or_default();
        StaffLine {
            person,
            team,
            groups: group_names,
            last_sign_in,
        }
    }

    /// Every member of staff and the set-up links not yet used. Needs "Manage staff".
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn staff_list(&self, access: &StaffAccess, source: &Source) -> AppResult<StaffList> {
        self.require_manage_staff(access, AuditAction::PeopleListed, None, source)
            .await?;
        let teams = self.store.teams().await?;
        let groups = self.store.permission_groups().await?;
        let memberships: BTreeMap<UserId, StaffMembership> = self
            .store
            .staff_memberships()
            .await?
            .into_iter()
            .map(|m| (m.account_id, m))
            .collect();
        let last_sign_ins = self.store.staff_last_sign_ins().await?;
        let staff = self
            .store
            .staff_people()
            .await?
            .into_iter()
            .map(|person| {
                let id = person.account.id;
                let membership = memberships.get(&id);
                let last = last_sign_ins.get(&id).copied();
                Self::staff_line(person, membership, &teams, &groups, last)
            })
            .collect();
        let now = self.clock.now();
        let links = self
            .store
            .pending_staff_setup_links()
            .await?
            .into_iter()
            .map(|link| PendingLink {
                expired: link.state_at(now) == StaffSetupLinkState::Expired,
                team: link
                    .team_id
                    .and_then(|id| teams.iter().find(|t| t.id == id))
                    .map(|t| t.name.clone()),
                link,
            })
            .collect();
        Ok(StaffList { staff, links })
    }

    /// One member of staff, with what to hand over. Needs "Manage staff";
    /// `NotFound` unless the account is staff.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, person_id = %id))]
    pub async fn staff_detail(
        &self,
        access: &StaffAccess,
        id: UserId,
        source: &Source,
    ) -> AppResult<StaffDetail> {
        self.require_manage_staff(
            access,
            AuditAction::PeopleListed,
            Some(format!("account:{id}")),
            source,
        )
        .await?;
        let person = self
            .store
            .person(id)
            .await?
            .filter(|p| p.account.kind == AccountKind::Staff)
            .ok_or(AppError::NotFound)?;
        let teams = self.store.teams().await?;
        let groups = self.store.permission_groups().await?;
        let membership = self
            .store
            .staff_membership(id)
            .await?
            .unwrap_or(StaffMembership {
                account_id: id,
                team_id: None,
                groups: BTreeSet::new(),
            });
        let last_sign_in = self
            .recent_sign_ins(id, 1)
            .await?
            .first()
            .map(|e| e.occurred_at);
        let line = Self::staff_line(person, Some(&membership), &teams, &groups, last_sign_in);
        let open_cases = self
            .store
            .open_involvements(&CaseloadQuery {
                caseworker: Some(id),
                teams: None,
            })
            .await?;
        let held_threads = self.store.threads_held_by(id).await?;
        Ok(StaffDetail {
            line,
            membership,
            open_cases,
            held_threads,
            teams,
            groups,
        })
    }

    /// Sets a member of staff's team and groups. Needs "Manage staff"; refused
    /// if nobody active would be left who may manage staff.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, person_id = %id))]
    pub async fn change_staff_membership(
        &self,
        access: &StaffAccess,
        id: UserId,
        team_id: Option<TeamId>,
        groups: BTreeSet<PermissionGroupId>,
        source: &Source,
    ) -> AppResult<PeopleChange> {
        let subject = format!("account:{id}");
        self.require_manage_staff(
            access,
            AuditAction::StaffMembershipChanged,
            Some(subject.clone()),
            source,
        )
        .await?;
        self.store
            .person(id)
            .await?
            .filter(|p| p.account.kind == AccountKind::Staff)
            .ok_or(AppError::NotFound)?;
        let membership = StaffMembership {
            account_id: id,
            team_id,
            groups,
        };
        let after = membership.clone();
        if !self
            .leaves_an_administrator(|_, memberships, _| {
                memberships.insert(id, after);
            })
            .await?
        {
            return Ok(PeopleChange::LastAdministrator);
        }
        let detail = format!(
            "team {}; groups {}",
            team_id.map_or_else(|| "none".to_owned(), |t| t.to_string()),
            membership
                .groups
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        );
        let event = self.people_event(
            access,
            AuditAction::StaffMembershipChanged,
            subject,
            Some(detail),
            source,
        );
        let committed = self
            .store
            .commit(
                &Changes::new()
                    .with(Write::SetStaffMembership {
                        membership,
                        at: self.clock.now(),
                    })
                    .with_audit(event),
            )
            .await
            .map(drop);
        people_outcome(committed, None)
    }

    /// Deactivates or reactivates a member of staff: their sessions end at
    /// once, their cases and conversations stay. Needs "Manage staff"; refused
    /// if nobody active would be left who may manage staff.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, person_id = %id))]
    pub async fn set_staff_status(
        &self,
        access: &StaffAccess,
        id: UserId,
        status: AccountStatus,
        source: &Source,
    ) -> AppResult<PeopleChange> {
        let action = match status {
            AccountStatus::Active => AuditAction::AccountEnabled,
            AccountStatus::Disabled => AuditAction::AccountDisabled,
        };
        let subject = format!("account:{id}");
        self.require_manage_staff(access, action, Some(subject.clone()), source)
            .await?;
        self.store
            .person(id)
            .await?
            .filter(|p| p.account.kind == AccountKind::Staff)
            .ok_or(AppError::NotFound)?;
        if status == AccountStatus::Disabled
            && !self
                .leaves_an_administrator(|people, _, _| {
                    for person in people.iter_mut().filter(|p| p.account.id == id) {
                        person.status = AccountStatus::Disabled;
                    }
                })
                .await?
        {
            return Ok(PeopleChange::LastAdministrator);
        }
        match self
            .commit_status(access, id, status, None, subject, source)
            .await
        {
            Ok(()) => Ok(PeopleChange::Done),
            Err(AppError::Store(StoreError::Conflict { constraint }))
                if constraint == LAST_ADMINISTRATOR =>
            {
                Ok(PeopleChange::LastAdministrator)
            }
            Err(err) => Err(err),
        }
    }

    async fn commit_status(
        &self,
        access: &StaffAccess,
        id: UserId,
        status: AccountStatus,
        reason: Option<String>,
        subject: String,
        source: &Source,
    ) -> AppResult<()> {
        let action = match status {
            AccountStatus::Active => AuditAction::AccountEnabled,
            AccountStatus::Disabled => AuditAction::AccountDisabled,
        };
        let event = self.people_event(access, action, subject, reason.clone(), source);
        self.store
            .commit(
                &Changes::new()
                    .with(Write::SetAccountStatus {
                        account: id,
                        status,
                        reason,
                        at: self.clock.now(),
                    })
                    .with_audit(event),
            )
            .await?;
        Ok(())
    }

    /// Ends every session of an account (staff: "Manage staff"; a portal
    /// account: as for disabling it). Returns how many ended.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, person_id = %id))]
    pub async fn end_sessions_of(
        &self,
        access: &StaffAccess,
        id: UserId,
        source: &Source,
    ) -> AppResult<u64> {
        let subject = format!("account:{id}");
        let person = self.store.person(id).await?;
        let allowed = match person.as_ref().map(|p| p.account.kind) {
            Some(AccountKind::Staff) => access.has(Permission::ManageStaff),
            Some(_) => manages_portal_accounts(access),
            None => access.has(Permission::ManageStaff) || manages_portal_accounts(access),
        };
        if !allowed {
            self.refuse(
                access,
                AuditAction::SessionsEnded,
                Some(subject.clone()),
                source,
            )
            .await?;
        }
        if person.is_none() {
            return Err(AppError::NotFound);
        }
        let event = self.people_event(access, AuditAction::SessionsEnded, subject, None, source);
        let committed = self
            .store
            .commit(
                &Changes::new()
                    .with(Write::EndSessions { account: id })
                    .with_audit(event),
            )
            .await?;
        Ok(committed.rows.first().copied().unwrap_or(0))
    }

    /// Withdraws a set-up link not yet used. Needs "Manage staff". `Done`, or
    /// `InUse` if it was used (or withdrawn) first.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, link_id = %id))]
    pub async fn withdraw_setup_link(
        &self,
        access: &StaffAccess,
        id: StaffSetupLinkId,
        source: &Source,
    ) -> AppResult<PeopleChange> {
        let subject = format!("staff_setup_link:{id}");
        self.require_manage_staff(
            access,
            AuditAction::StaffSetupLinkWithdrawn,
            Some(subject.clone()),
            source,
        )
        .await?;
        let event = self.people_event(
            access,
            AuditAction::StaffSetupLinkWithdrawn,
            subject,
            None,
            source,
        );
        let changes = Changes::new()
            .with(Write::WithdrawStaffSetupLink {
                id,
                at: self.clock.now(),
            })
            .with_audit(event);
        people_outcome(
            self.store.commit(&changes).await.map(drop),
            Some(PeopleChange::InUse),
        )
    }

    /// Sends a set-up link again: the old one is withdrawn and a new one, for
    /// the same person, role, team and groups, is emailed, in one commit.
    /// Needs "Manage staff". `InUse` if the old link was used or withdrawn first.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, link_id = %id))]
    pub async fn resend_setup_link(
        &self,
        access: &StaffAccess,
        id: StaffSetupLinkId,
        source: &Source,
    ) -> AppResult<PeopleChange> {
        let subject = format!("staff_setup_link:{id}");
        self.require_manage_staff(
            access,
            AuditAction::StaffSetupLinkIssued,
            Some(subject.clone()),
            source,
        )
        .await?;
        let old = self
            .store
            .staff_setup_link(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let token = SecretToken::generate();
        let now = self.clock.now();
        let link = StaffSetupLink {
            id: StaffSetupLinkId::from_uuid(new_uuid(self.clock.as_ref())),
            token_hash: token.hash(),
            created_at: now,
            expires_at: now + LINK_LIFETIME,
            used_at: None,
            withdrawn_at: None,
            ..old
        };
        let withdrawn = self.people_event(
            access,
            AuditAction::StaffSetupLinkWithdrawn,
            subject,
            Some("sent again".to_owned()),
            source,
        );
        let issued = self.people_event(
            access,
            AuditAction::StaffSetupLinkIssued,
            format!("staff_setup_link:{}", link.id),
            Some(format!("role {}; sent again", link.role.code())),
            source,
        );
        let email = self.setup_link_email(&link, &token).await?;
        let changes = Changes::new()
            .with(Write::WithdrawStaffSetupLink { id, at: now })
            .with(Write::InsertStaffSetupLink(link))
            .with_audit(withdrawn)
            .with_audit(issued)
            .with_email(email);
        people_outcome(
            self.store.commit(&changes).await.map(drop),
            Some(PeopleChange::InUse),
        )
    }

    /// Renames a team. Needs "Manage staff".
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, team_id = %id))]
    pub async fn rename_team(
        &self,
        access: &StaffAccess,
        id: TeamId,
        name: &str,
        source: &Source,
    ) -> AppResult<PeopleChange> {
        let subject = format!("team:{id}");
        self.require_manage_staff(
            access,
            AuditAction::TeamRenamed,
            Some(subject.clone()),
            source,
        )
        .await?;
        let event = self.people_event(
            access,
            AuditAction::TeamRenamed,
            subject,
            Some(name.to_owned()),
            source,
        );
        let changes = Changes::new()
            .with(Write::UpdateTeam {
                id,
                name: name.to_owned(),
            })
            .with_audit(event);
        people_outcome(
            self.store.commit(&changes).await.map(drop),
            Some(PeopleChange::NameTaken),
        )
    }

    /// Removes a team nobody uses. Needs "Manage staff". `InUse` while staff,
    /// children or a set-up link waiting to be used name it.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, team_id = %id))]
    pub async fn remove_team(
        &self,
        access: &StaffAccess,
        id: TeamId,
        source: &Source,
    ) -> AppResult<PeopleChange> {
        let subject = format!("team:{id}");
        self.require_manage_staff(
            access,
            AuditAction::TeamRemoved,
            Some(subject.clone()),
            source,
        )
        .await?;
        let event = self.people_event(access, AuditAction::TeamRemoved, subject, None, source);
        let changes = Changes::new()
            .with(Write::DeleteTeam { id })
            .with_audit(event);
        people_outcome(
            self.store.commit(&changes).await.map(drop),
            Some(PeopleChange::InUse),
        )
    }

    /// Renames a permission group and replaces what it grants. Needs "Manage
    /// staff"; refused if nobody active would be left who may manage staff.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, group_id = %group.id))]
    pub async fn change_permission_group(
        &self,
        access: &StaffAccess,
        group: PermissionGroup,
        source: &Source,
    ) -> AppResult<PeopleChange> {
        let subject = format!("permission_group:{}", group.id);
        self.require_manage_staff(
            access,
            AuditAction::PermissionGroupSaved,
            Some(subject.clone()),
            source,
        )
        .await?;
        let after = group.clone();
        if !self
            .leaves_an_administrator(|_, _, groups| {
                for g in groups.iter_mut().filter(|g| g.id == after.id) {
                    *g = after.clone();
                }
            })
            .await?
        {
            return Ok(PeopleChange::LastAdministrator);
        }
        let detail = format!(
            "{}: {}",
            group.name,
            group
                .permissions
                .iter()
                .map(|p| p.code())
                .collect::<Vec<_>>()
                .join(", ")
        );
        let event = self.people_event(
            access,
            AuditAction::PermissionGroupSaved,
            subject,
            Some(detail),
            source,
        );
        let changes = Changes::new()
            .with(Write::UpdatePermissionGroup(group))
            .with_audit(event);
        people_outcome(
            self.store.commit(&changes).await.map(drop),
            Some(PeopleChange::NameTaken),
        )
    }

    /// Removes a permission group nobody is in. Needs "Manage staff". `InUse`
    /// while a member of staff or a set-up link waiting to be used is in it.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, group_id = %id))]
    pub async fn remove_permission_group(
        &self,
        access: &StaffAccess,
        id: PermissionGroupId,
        source: &Source,
    ) -> AppResult<PeopleChange> {
        let subject = format!("permission_group:{id}");
        self.require_manage_staff(
            access,
            AuditAction::PermissionGroupRemoved,
            Some(subject.clone()),
            source,
        )
        .await?;
        let event = self.people_event(
            access,
            AuditAction::PermissionGroupRemoved,
            subject,
            None,
            source,
        );
        let changes = Changes::new()
            .with(Write::DeletePermissionGroup { id })
            .with_audit(event);
        people_outcome(
            self.store.commit(&changes).await.map(drop),
            Some(PeopleChange::InUse),
        )
    }

    /// Portal accounts whose name or email address contains `search`. Needs
    /// "Manage portal users" with "Work on every team's cases".
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn portal_people(
        &self,
        access: &StaffAccess,
        search: &str,
        source: &Source,
    ) -> AppResult<Vec<Person>> {
        if !manages_portal_accounts(access) {
            self.refuse(access, AuditAction::PeopleListed, None, source)
                .await?;
        }
        Ok(self
            .store
            .portal_people(search, PORTAL_SEARCH_LIMIT)
            .await?)
    }

    /// One portal account with its links to children (each child's name shown
    /// is audited as a view of that child's portal access). Needs what
    /// [`App::portal_people`] needs; `NotFound` for staff.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, person_id = %id))]
    pub async fn portal_detail(
        &self,
        access: &StaffAccess,
        id: UserId,
        source: &Source,
    ) -> AppResult<PortalDetail> {
        if !manages_portal_accounts(access) {
            self.refuse(
                access,
                AuditAction::PeopleListed,
                Some(format!("account:{id}")),
                source,
            )
            .await?;
        }
        let person = self
            .store
            .person(id)
            .await?
            .filter(|p| p.account.kind != AccountKind::Staff)
            .ok_or(AppError::NotFound)?;
        let mut links = Vec::new();
        for link in self.store.portal_links_for_account(id).await? {
            if let Some(child) = self.store.child(link.child_id).await? {
                links.push((link, child));
            }
        }
        let children: BTreeSet<ChildId> = links.iter().map(|(l, _)| l.child_id).collect();
        for child in children {
            let mut event = self.people_event(
                access,
                AuditAction::PortalAccessViewed,
                format!("account:{id}"),
                Some("portal account page".to_owned()),
                source,
            );
            event.child_id = Some(child);
            self.store.record_audit_event(&event).await?;
        }
        Ok(PortalDetail { person, links })
    }

    /// Disables a portal account (with the reason, which is required) or
    /// enables it again; its sessions end at once. Needs what
    /// [`App::portal_people`] needs; `NotFound` for staff.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, person_id = %id))]
    pub async fn set_portal_status(
        &self,
        access: &StaffAccess,
        id: UserId,
        status: AccountStatus,
        reason: Option<String>,
        source: &Source,
    ) -> AppResult<()> {
        let subject = format!("account:{id}");
        if !manages_portal_accounts(access) {
            let action = match status {
                AccountStatus::Active => AuditAction::AccountEnabled,
                AccountStatus::Disabled => AuditAction::AccountDisabled,
            };
            self.refuse(access, action, Some(subject.clone()), source)
                .await?;
        }
        self.store
            .person(id)
            .await?
            .filter(|p| p.account.kind != AccountKind::Staff)
            .ok_or(AppError::NotFound)?;
        self.commit_status(access, id, status, reason, subject, source)
            .await
    }
}
