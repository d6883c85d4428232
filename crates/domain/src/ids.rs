//! Typed identifiers. Every id is a UUID, so ids in URLs cannot be guessed, and a
//! child's id cannot be passed where a user's is expected.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            pub const fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }

            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// A child or young person's record.
    ChildId
);
id_type!(
    /// Any account: portal user or back-office staff.
    UserId
);
id_type!(
    /// One entry in the audit log.
    AuditEventId
);
id_type!(
    /// A single-use link to set up a back-office account.
    StaffSetupLinkId
);
id_type!(
    /// An email in the outbox.
    EmailId
);
id_type!(
    /// A team in the council's SEND service; cases and staff belong to one.
    TeamId
);
id_type!(
    /// A permission group.
    PermissionGroupId
);
id_type!(
    /// A family contact on a child's record.
    ContactId
);
id_type!(
    /// An involvement: an EHC needs assessment, a plan or a re-assessment.
    InvolvementId
);
id_type!(
    /// One entry in a child's chronology.
    ChronologyEntryId
);
id_type!(
    /// A one-time code sent by email (verification, sign-in, change of address).
    OneTimeCodeId
);
id_type!(
    /// An invitation for a family contact to see a child's case in the portal.
    InvitationId
);
id_type!(
    /// A portal user's link to one child's case.
    PortalLinkId
);
id_type!(
    /// A professional's request to be linked to a child they work with.
    ChildLinkRequestId
);
id_type!(
    /// A kind of message the council accepts ("General enquiry", "Complaint").
    MessageTypeId
);
id_type!(
    /// A conversation about a child's case.
    ThreadId
);
id_type!(
    /// One message in a thread.
    MessageId
);
id_type!(
    /// A document on a child's chronology (a letter, a plan, an attachment).
    DocumentId
);

id_type!(
    /// A piece of work the job runner does later (a reminder, a notification).
    JobId
);
id_type!(
    /// A request for advice recorded on an EHC needs assessment.
    AdviceRequestId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_text_and_reject_junk() {
        let id = ChildId::from_uuid(Uuid::nil());
        let parsed: ChildId = id.to_string().parse().unwrap();
        assert_eq!(parsed, id);
        assert!("../etc/passwd".parse::<ChildId>().is_err());
    }
}
id_type!(
    /// A form the council builds (its working draft and its published versions).
    FormId
);
id_type!(
    /// A form made available to a child's portal users, or sent to them as an action.
    FormAssignmentId
);
id_type!(
    /// A submitted form.
    SubmissionId
);
