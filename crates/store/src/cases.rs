//! The back office: teams, permission groups, staff membership, children and
//! their family contacts, and each child's chronology.

use std::collections::BTreeSet;

use async_trait::async_trait;
use send_domain::{
    Child, ChildId, ChildSearch, ChronologyEntryId, ContactId, FamilyContact, Permission,
    PermissionGroupId, StaffAccess, TeamId, UserId,
};
use time::OffsetDateTime;

use crate::{Effects, StoreResult};

/// A team in the SEND service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    pub id: TeamId,
    pub name: String,
}

/// A permission group: a name and what it grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermissionGroup {
    pub id: PermissionGroupId,
    pub name: String,
    pub permissions: BTreeSet<Permission>,
}

/// A member of staff's place in the service: their team and groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMembership {
    pub account_id: UserId,
    pub team_id: Option<TeamId>,
    pub groups: BTreeSet<PermissionGroupId>,
}

/// One thing that happened on a child's case, for the chronology page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChronologyEntry {
    pub id: ChronologyEntryId,
    pub child_id: ChildId,
    pub occurred_at: OffsetDateTime,
    /// The member of staff (or portal user) who did it; `None` for the portal itself.
    pub actor_id: Option<UserId>,
    /// A stable code such as `child.created` or `involvement.stage_changed`.
    pub kind: String,
    /// One line, plain English, shown as written.
    pub summary: String,
    /// A longer note, if the person gave one.
    pub note: Option<String>,
}

#[async_trait]
pub trait CaseStore: Send + Sync {
    /// Adds a team. `Conflict { constraint: "teams_name" }` if the name is taken.
    async fn insert_team(&self, team: &Team, effects: &Effects) -> StoreResult<()>;

    /// Every team, by name.
    async fn teams(&self) -> StoreResult<Vec<Team>>;

    /// Adds a group. `Conflict { constraint: "permission_groups_name" }` if taken.
    async fn insert_permission_group(
        &self,
        group: &PermissionGroup,
        effects: &Effects,
    ) -> StoreResult<()>;

    /// Replaces a group's name and permissions. `NotFound` if it does not exist.
    async fn update_permission_group(
        &self,
        group: &PermissionGroup,
        effects: &Effects,
    ) -> StoreResult<()>;

    /// Every group, by name.
    async fn permission_groups(&self) -> StoreResult<Vec<PermissionGroup>>;

    /// Sets a member of staff's team and groups (replacing the old ones).
    async fn set_staff_membership(
        &self,
        membership: &StaffMembership,
        effects: &Effects,
    ) -> StoreResult<()>;

    async fn staff_membership(&self, account: UserId) -> StoreResult<Option<StaffMembership>>;

    /// What a staff account may do: its role (from the account), team and the union
    /// of its groups' permissions. `None` if the account is not a staff account.
    async fn staff_access(&self, account: UserId) -> StoreResult<Option<StaffAccess>>;

    /// Stores a new child with its contacts and its first chronology entry.
    async fn insert_child(
        &self,
        child: &Child,
        contacts: &[FamilyContact],
        entry: &ChronologyEntry,
        effects: &Effects,
    ) -> StoreResult<()>;

    /// Writes every field of `child` but its id and creation time, with a
    /// chronology entry. `NotFound` if it does not exist.
    async fn update_child(
        &self,
        child: &Child,
        entry: &ChronologyEntry,
        effects: &Effects,
    ) -> StoreResult<()>;

    async fn child(&self, id: ChildId) -> StoreResult<Option<Child>>;

    /// Children matching every given criterion, within `teams` (`None`: all teams),
    /// by last then first name, at most `limit`.
    async fn search_children(
        &self,
        search: &ChildSearch,
        teams: Option<&[TeamId]>,
        limit: u32,
    ) -> StoreResult<Vec<Child>>;

    async fn family_contacts(&self, child: ChildId) -> StoreResult<Vec<FamilyContact>>;

    /// Adds or replaces one contact (by id), with a chronology entry.
    async fn save_family_contact(
        &self,
        contact: &FamilyContact,
        entry: &ChronologyEntry,
        effects: &Effects,
    ) -> StoreResult<()>;

    /// Removes one contact, with a chronology entry.
    async fn delete_family_contact(
        &self,
        id: ContactId,
        entry: &ChronologyEntry,
        effects: &Effects,
    ) -> StoreResult<()>;

    /// The child's chronology, newest first, at most `limit`.
    async fn chronology(&self, child: ChildId, limit: u32) -> StoreResult<Vec<ChronologyEntry>>;
}
