//! The back office: teams, permission groups, staff membership, children and
//! their family contacts, and each child's chronology.

use std::collections::BTreeSet;

use async_trait::async_trait;
use send_domain::{
    Child, ChildId, ChildSearch, ChronologyEntryId, FamilyContact, Permission, PermissionGroupId,
    StaffAccess, TeamId, UserId,
};
use time::OffsetDateTime;

use crate::StoreResult;

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
    /// Every team, by name.
    async fn teams(&self) -> StoreResult<Vec<Team>>;

    /// Every group, by name.
    async fn permission_groups(&self) -> StoreResult<Vec<PermissionGroup>>;

    /// The teams a member of staff, a child or a set-up link not yet used
    /// names (those `Write::DeleteTeam` refuses), by id.
    async fn teams_in_use(&self) -> StoreResult<Vec<TeamId>>;

    /// The groups a member of staff or a set-up link not yet used is in
    /// (those `Write::DeletePermissionGroup` refuses), by id.
    async fn permission_groups_in_use(&self) -> StoreResult<Vec<PermissionGroupId>>;

    async fn staff_membership(&self, account: UserId) -> StoreResult<Option<StaffMembership>>;

    /// What a staff account may do: its role (from the account), team and the union
    /// of its groups' permissions. `None` if the account is not a staff account.
    async fn staff_access(&self, account: UserId) -> StoreResult<Option<StaffAccess>>;

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

    /// The child's chronology, newest first, at most `limit`.
    async fn chronology(&self, child: ChildId, limit: u32) -> StoreResult<Vec<ChronologyEntry>>;
}
