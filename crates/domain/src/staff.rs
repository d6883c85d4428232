//! The council's SEND team in the portal: teams, permission groups and what a
//! member of staff may do with a child's case (DESIGN ACC-8, §4.3).
//!
//! A member of staff belongs to one team and to permission groups; each group
//! grants named permissions. Cases belong to a team: a member of staff works on
//! their own team's cases, and only a permission to see every team's cases
//! reaches further. Every handler asks [`staff_may`]; nothing else decides.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::audit::code_enum;
use crate::ids::{PermissionGroupId, TeamId, UserId};
use crate::staff_setup::StaffRole;

code_enum!(
    /// What a permission group can grant. Stored by code; never renumbered.
    Permission {
        /// Open children's records, involvements and chronologies.
        ViewCases => "view_cases",
        /// Create children and involvements, change stages, record exceptions.
        EditCases => "edit_cases",
        /// Work through incoming forms and the suspense list.
        ProcessForms => "process_forms",
        /// Approve forms and publish them to portal users.
        PublishForms => "publish_forms",
        /// Build and change forms (publishing them needs `PublishForms`).
        BuildForms => "build_forms",
        /// Invite, grant and revoke portal users' access.
        ManagePortalUsers => "manage_portal_users",
        /// Create staff accounts and change their teams and groups.
        ManageStaff => "manage_staff",
        /// See caseload and statutory reports (and the SEN2 return).
        ViewReports => "view_reports",
        /// Search the audit log.
        ViewAudit => "view_audit",
        /// See and work on every team's cases, not only one's own team's.
        AllTeams => "all_teams",
    }
);

impl Permission {
    /// As shown on the permission group pages.
    pub fn label(self) -> &'static str {
        match self {
            Self::ViewCases => "View cases",
            Self::EditCases => "Edit cases",
            Self::ProcessForms => "Process forms",
            Self::PublishForms => "Approve and publish forms",
            Self::BuildForms => "Build forms",
            Self::ManagePortalUsers => "Manage portal users",
            Self::ManageStaff => "Manage staff",
            Self::ViewReports => "View reports",
            Self::ViewAudit => "View the audit log",
            Self::AllTeams => "Work on every team's cases",
        }
    }
}

/// The permission groups every installation starts with (the migrations create
/// them with these ids), one for each role, granting [`default_permissions`].
pub const DEFAULT_GROUPS: [(PermissionGroupId, &str, StaffRole); 3] = [
    (
        PermissionGroupId::from_uuid(uuid::Uuid::from_u128(
            0x0000_0000_0000_4000_8000_0000_0000_0001,
        )),
        "Caseworkers",
        StaffRole::Caseworker,
    ),
    (
        PermissionGroupId::from_uuid(uuid::Uuid::from_u128(
            0x0000_0000_0000_4000_8000_0000_0000_0002,
        )),
        "Team managers",
        StaffRole::TeamManager,
    ),
    (
        PermissionGroupId::from_uuid(uuid::Uuid::from_u128(
            0x0000_0000_0000_4000_8000_0000_0000_0003,
        )),
        "Portal administrators",
        StaffRole::Administrator,
    ),
];

/// The default group of a role.
pub fn default_group(role: StaffRole) -> PermissionGroupId {
    DEFAULT_GROUPS
        .iter()
        .find(|(_, _, r)| *r == role)
        .map_or(DEFAULT_GROUPS[0].0, |(id, _, _)| *id)
}

/// The team every installation starts with (the migrations create it).
pub const DEFAULT_TEAM: (TeamId, &str) = (
    TeamId::from_uuid(uuid::Uuid::from_u128(
        0x0000_0000_0000_4000_8000_0000_0000_0101,
    )),
    "SEND team",
);

/// The groups every installation starts with, by role. An administrator can add
/// groups and change what they grant.
pub fn default_permissions(role: StaffRole) -> BTreeSet<Permission> {
    use Permission::{
        AllTeams, BuildForms, EditCases, ManagePortalUsers, ManageStaff, ProcessForms,
        PublishForms, ViewAudit, ViewCases, ViewReports,
    };
    let list: &[Permission] = match role {
        StaffRole::Caseworker => &[ViewCases, EditCases, ProcessForms, ManagePortalUsers],
        StaffRole::TeamManager => &[
            ViewCases,
            EditCases,
            ProcessForms,
            ManagePortalUsers,
            ViewReports,
        ],
        StaffRole::Administrator => &[
            ViewCases,
            ManagePortalUsers,
            ManageStaff,
            BuildForms,
            PublishForms,
            ViewReports,
            ViewAudit,
            AllTeams,
        ],
    };
    list.iter().copied().collect()
}

/// What one member of staff may do: their role, team and the union of their
/// groups' permissions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffAccess {
    pub account_id: UserId,
    pub role: StaffRole,
    pub team_id: Option<TeamId>,
    pub permissions: BTreeSet<Permission>,
}

impl StaffAccess {
    pub fn has(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }

    /// Whether this member of staff works on cases of `team`.
    pub fn covers_team(&self, team: TeamId) -> bool {
        self.has(Permission::AllTeams) || self.team_id == Some(team)
    }
}

code_enum!(
    /// What a member of staff is trying to do with a child's case.
    CaseAction {
        /// Open the child's record, involvements, timeline or chronology.
        View => "view",
        /// Change the child's record or an involvement.
        Edit => "edit",
        /// Invite, grant or revoke portal access for the child.
        ManageAccess => "manage_access",
    }
);

/// The answer of the access policy. `Hidden` means the case is outside the
/// person's teams: pages answer as if it did not exist (404), so case ids cannot
/// be probed; `Refused` means they can see the case but not do this (403).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    Refused,
    Hidden,
}

/// The one access rule for staff and a child's case (DESIGN §4.3), written as a
/// table: outside one's teams a case is hidden; inside, each action needs its
/// permission (and changing anything needs to be able to see it).
pub fn staff_may(access: &StaffAccess, action: CaseAction, case_team: TeamId) -> Decision {
    if !access.covers_team(case_team) || !access.has(Permission::ViewCases) {
        return Decision::Hidden;
    }
    let needed = match action {
        CaseAction::View => Permission::ViewCases,
        CaseAction::Edit => Permission::EditCases,
        CaseAction::ManageAccess => Permission::ManagePortalUsers,
    };
    if access.has(needed) {
        Decision::Allowed
    } else {
        Decision::Refused
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    fn team(n: u128) -> TeamId {
        TeamId::from_uuid(Uuid::from_u128(n))
    }

    fn access(team_id: Option<TeamId>, permissions: &[Permission]) -> StaffAccess {
        StaffAccess {
            account_id: UserId::from_uuid(Uuid::nil()),
            role: StaffRole::Caseworker,
            team_id,
            permissions: permissions.iter().copied().collect(),
        }
    }

    /// (team of the person, their permissions, the action, the case's team, the decision)
    type Row = (
        Option<TeamId>,
        &'static [Permission],
        CaseAction,
        TeamId,
        Decision,
    );

    #[test]
    fn the_policy_table() {
        use CaseAction::{Edit, ManageAccess, View};
        use Decision::{Allowed, Hidden, Refused};
        use Permission::{AllTeams, EditCases, ManagePortalUsers, ViewCases};
        let (own, other) = (team(1), team(2));
        let table: &[Row] = &[
            (Some(own), &[ViewCases], View, own, Allowed),
            (Some(own), &[ViewCases], Edit, own, Refused),
            (Some(own), &[ViewCases], ManageAccess, own, Refused),
            (Some(own), &[ViewCases, EditCases], Edit, own, Allowed),
            (
                Some(own),
                &[ViewCases, ManagePortalUsers],
                ManageAccess,
                own,
                Allowed,
            ),
            (Some(own), &[ViewCases, EditCases], View, other, Hidden),
            (Some(own), &[ViewCases, EditCases], Edit, other, Hidden),
            (None, &[ViewCases, EditCases], View, own, Hidden),
            (Some(own), &[EditCases], Edit, own, Hidden),
            (Some(own), &[], View, own, Hidden),
            (None, &[ViewCases, AllTeams], View, other, Allowed),
            (None, &[ViewCases, AllTeams], Edit, other, Refused),
            (
                Some(own),
                &[ViewCases, EditCases, AllTeams],
                Edit,
                other,
                Allowed,
            ),
        ];
        for (i, (team_id, permissions, action, case_team, expected)) in table.iter().enumerate() {
            assert_eq!(
                staff_may(&access(*team_id, permissions), *action, *case_team),
                *expected,
                "row {i}"
            );
        }
    }

    #[test]
    fn default_groups_follow_the_roles() {
        let caseworker = default_permissions(StaffRole::Caseworker);
        assert!(caseworker.contains(&Permission::EditCases));
        assert!(!caseworker.contains(&Permission::ManageStaff));
        assert!(!caseworker.contains(&Permission::AllTeams));
        let manager = default_permissions(StaffRole::TeamManager);
        assert!(manager.contains(&Permission::ViewReports));
        let admin = default_permissions(StaffRole::Administrator);
        assert!(admin.contains(&Permission::ManageStaff));
        assert!(!admin.contains(&Permission::EditCases));
    }
}
