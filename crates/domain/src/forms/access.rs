//! Who may do what in the form builder: the one rule every builder use case
//! asks, written as a table.
//!
//! Building and approving are separate permissions, so the person who writes a
//! form is not the only one who decides it goes out: `BuildForms` creates,
//! changes, copies and asks for approval; `PublishForms` publishes and retires
//! (retiring takes a form away from families and professionals, a decision as
//! public as publishing it). Either may open the list, a form, its preview and
//! its comparison. Staff with neither do not see that the builder exists
//! (`Hidden`: the 404 page).

use crate::staff::{Decision, Permission, StaffAccess};

/// What a member of staff is trying to do in the form builder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuilderAction {
    /// The list of forms, a form's builder page, its preview and comparison.
    View,
    /// Create a form, change its working copy, make a copy, ask for approval.
    Build,
    /// Publish the working copy as a new version.
    Publish,
    /// Stop offering the form.
    Retire,
}

impl BuilderAction {
    /// For the audit log.
    pub fn code(self) -> &'static str {
        match self {
            Self::View => "view",
            Self::Build => "build",
            Self::Publish => "publish",
            Self::Retire => "retire",
        }
    }
}

/// The builder's access rule.
pub fn builder_may(access: &StaffAccess, action: BuilderAction) -> Decision {
    let build = access.has(Permission::BuildForms);
    let publish = access.has(Permission::PublishForms);
    if !build && !publish {
        return Decision::Hidden;
    }
    let allowed = match action {
        BuilderAction::View => true,
        BuilderAction::Build => build,
        BuilderAction::Publish | BuilderAction::Retire => publish,
    };
    if allowed {
        Decision::Allowed
    } else {
        Decision::Refused
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::ids::UserId;
    use crate::staff_setup::StaffRole;

    fn staff(permissions: &[Permission]) -> StaffAccess {
        StaffAccess {
            account_id: UserId::from_uuid(uuid::Uuid::from_u128(1)),
            role: StaffRole::Caseworker,
            team_id: None,
            permissions: permissions.iter().copied().collect::<BTreeSet<_>>(),
        }
    }

    #[test]
    fn the_builder_rule_as_a_table() {
        use BuilderAction::{Build, Publish, Retire, View};
        use Decision::{Allowed, Hidden, Refused};
        use Permission::{BuildForms, ManageStaff, PublishForms, ViewCases};
        let table: &[(&[Permission], [Decision; 4])] = &[
            (&[], [Hidden, Hidden, Hidden, Hidden]),
            (&[ViewCases, ManageStaff], [Hidden, Hidden, Hidden, Hidden]),
            (&[BuildForms], [Allowed, Allowed, Refused, Refused]),
            (&[PublishForms], [Allowed, Refused, Allowed, Allowed]),
            (&[BuildForms, PublishForms], [Allowed; 4]),
        ];
        for (permissions, expected) in table {
            let access = staff(permissions);
            for (action, want) in [View, Build, Publish, Retire].into_iter().zip(expected) {
                assert_eq!(
                    builder_may(&access, action),
                    *want,
                    "{permissions:?} {action:?}"
                );
            }
        }
    }
}
