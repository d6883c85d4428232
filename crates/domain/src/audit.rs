//! The audit log: who viewed or changed what, when, and from where.
//!
//! An audit event never carries a password, a one-time code, a token or the content
//! of a message: it names the action and the record it touched.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::ids::{AuditEventId, ChildId, UserId};

/// Who did it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Actor {
    /// The portal itself (a background job, a start-up step).
    System,
    /// Someone running an operator command on the server, such as `create-admin`.
    Operator,
    /// A request from someone not signed in.
    Anonymous,
    /// A signed-in account.
    User(UserId),
}

impl Actor {
    /// The stored kind, one word.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::System => "system",
            Self::Operator => "operator",
            Self::Anonymous => "anonymous",
            Self::User(_) => "user",
        }
    }

    pub fn user_id(&self) -> Option<UserId> {
        match self {
            Self::User(id) => Some(*id),
            _ => None,
        }
    }

    /// Rebuilds an actor from its stored kind and user id.
    pub fn from_parts(kind: &str, user: Option<UserId>) -> Result<Self, UnknownCode> {
        match (kind, user) {
            ("system", None) => Ok(Self::System),
            ("operator", None) => Ok(Self::Operator),
            ("anonymous", None) => Ok(Self::Anonymous),
            ("user", Some(id)) => Ok(Self::User(id)),
            _ => Err(UnknownCode(format!("actor {kind}"))),
        }
    }
}

/// A stored code that this version of the portal does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown code in stored data: {0}")]
pub struct UnknownCode(pub String);

macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            ::serde::Serialize, ::serde::Deserialize,
        )]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The stable code stored in the database. Never change one: add a new variant.
            pub fn code(self) -> &'static str {
                match self {
                    $(Self::$variant => $code),+
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::audit::UnknownCode;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($code => Ok(Self::$variant),)+
                    other => Err($crate::audit::UnknownCode(other.to_owned())),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

pub(crate) use code_enum;

code_enum!(
    /// What was done. Each later feature adds its actions here.
    AuditAction {
        /// An operator issued a link to set up a back-office administrator.
        StaffSetupLinkIssued => "staff_setup_link.issued",
        /// Someone opened a staff set-up link (valid or not).
        StaffSetupLinkOpened => "staff_setup_link.opened",
        /// A demo data set was loaded.
        DemoDataLoaded => "demo.loaded",
        /// Someone registered a portal account (not yet verified).
        AccountRegistered => "account.registered",
        /// A new account's email address was confirmed with its code.
        EmailVerified => "account.email_verified",
        /// An email address and password were checked at sign-in (the outcome says how it went).
        SignInPassword => "sign_in.password",
        /// A second-step code (email, authenticator or recovery code) was checked.
        SignInSecondStep => "sign_in.second_step",
        /// Someone finished signing in. My Account lists the last of these.
        SignedIn => "sign_in.completed",
        /// Someone signed out.
        SignedOut => "sign_out",
        /// Someone asked for a link to reset a forgotten password.
        PasswordResetRequested => "password.reset_requested",
        /// A password was set through a reset link.
        PasswordReset => "password.reset",
        /// A signed-in person changed their password.
        PasswordChanged => "password.changed",
        /// Someone changed their name or contact details.
        AccountDetailsChanged => "account.details_changed",
        /// Someone changed their email address (after confirming the new one).
        EmailChanged => "account.email_changed",
        /// Someone chose a different second step for signing in.
        SecondFactorChanged => "account.second_factor_changed",
        /// New recovery codes were made for an authenticator app.
        RecoveryCodesIssued => "account.recovery_codes_issued",
        /// A member of staff set up their back-office account through a set-up link.
        StaffAccountCreated => "staff_account.created",
        /// A member of staff's team or permission groups were changed.
        StaffMembershipChanged => "staff_account.membership_changed",
        /// A team was added.
        TeamCreated => "team.created",
        /// A permission group was added or changed.
        PermissionGroupSaved => "permission_group.saved",
        /// A team was renamed.
        TeamRenamed => "team.renamed",
        /// A team nobody used was removed.
        TeamRemoved => "team.removed",
        /// A permission group nobody was in was removed.
        PermissionGroupRemoved => "permission_group.removed",
        /// An administrator deactivated a member of staff or disabled a portal account.
        AccountDisabled => "account.disabled",
        /// An administrator reactivated a member of staff or re-enabled a portal account.
        AccountEnabled => "account.enabled",
        /// Sessions of an account were ended: every one, by an administrator, or by
        /// its owner in My Account (one other device, or every other device).
        SessionsEnded => "account.sessions_ended",
        /// An administrator opened a list of people or one person's page (recorded when refused).
        PeopleListed => "people.listed",
        /// An administrator withdrew a staff set-up link not yet used.
        StaffSetupLinkWithdrawn => "staff_setup_link.withdrawn",
        /// A child's record was added.
        ChildCreated => "child.created",
        /// A child's record was opened (every view is recorded; refusals too).
        ChildViewed => "child.viewed",
        /// A child's record was changed.
        ChildUpdated => "child.updated",
        /// Children were searched for (the search, not its results).
        ChildrenSearched => "child.searched",
        /// A family contact was added, changed or removed.
        FamilyContactChanged => "child.contact_changed",
        /// An involvement (assessment, plan, re-assessment) was opened.
        InvolvementOpened => "involvement.opened",
        /// An involvement moved to another stage.
        InvolvementStageChanged => "involvement.stage_changed",
        /// An exception was recorded against a deadline.
        ExceptionRecorded => "involvement.exception_recorded",
        /// A caseload list (children's names and dates) was viewed.
        CaseloadViewed => "caseload.viewed",
        /// A council milestone was added to or removed from the timeline.
        LocalMilestoneChanged => "timeline.milestone_changed",
        /// A one-off bank holiday was added to the calendar.
        ExtraHolidayAdded => "timeline.holiday_added",
        /// The council's configuration was exported (ADM-2).
        ConfigurationExported => "configuration.exported",
        /// A configuration file was imported (ADM-2); the detail counts what changed.
        ConfigurationImported => "configuration.imported",
        /// A family contact was invited to a child's case (the email with the reference code).
        InvitationSent => "invitation.sent",
        /// A reference code was checked and the person's identity recorded (or refused).
        IdentityVerified => "invitation.identity_verified",
        /// The "Accept Portal Invitation" email (with its link) was sent.
        InvitationLinkSent => "invitation.link_sent",
        /// Someone opened an invitation link (valid or not).
        InvitationOpened => "invitation.opened",
        /// The invited person accepted through the link.
        InvitationAccepted => "invitation.accepted",
        /// The invited person answered No.
        InvitationRefused => "invitation.refused",
        /// The SEND team confirmed an acceptance: access granted.
        InvitationConfirmed => "invitation.confirmed",
        /// The SEND team declined an acceptance.
        InvitationDeclined => "invitation.declined",
        /// The SEND team withdrew an invitation.
        InvitationWithdrawn => "invitation.withdrawn",
        /// A portal user's access to a child was revoked.
        PortalAccessRevoked => "portal_access.revoked",
        /// A portal user's access to a child was granted again.
        PortalAccessGranted => "portal_access.granted",
        /// A child's list of portal users was viewed.
        PortalAccessViewed => "portal_access.viewed",
        /// A portal user opened a child's SEND Dashboard (refusals too).
        DashboardViewed => "dashboard.viewed",
        /// A professional asked to be linked to a child they work with.
        ChildLinkRequested => "child_link.requested",
        /// The SEND team matched a professional's request to a child.
        ChildLinkMatched => "child_link.matched",
        /// The SEND team declined a professional's request.
        ChildLinkDeclined => "child_link.declined",
        /// A member of staff opened a professional's request (recorded when refused).
        ChildLinkViewed => "child_link.viewed",
        /// A message was sent (a new thread or a reply).
        MessageSent => "message.sent",
        /// A thread was opened and read (refusals too).
        ThreadRead => "message.thread_read",
        /// A list of threads (an inbox, sent items, the team inbox) was viewed.
        MessagesListed => "message.listed",
        /// A thread was given to a caseworker, or all of one's threads handed over.
        ThreadAssigned => "message.assigned",
        /// Someone turned message notification emails on or off.
        MessageEmailsChanged => "message.emails_changed",
        /// A document was added to a child's record.
        DocumentUploaded => "document.uploaded",
        /// A document was downloaded (refusals too).
        DocumentDownloaded => "document.downloaded",
        /// Who a document is shared with changed (shared or un-shared).
        DocumentSharingChanged => "document.sharing_changed",
        /// An upload was refused (wrong type, too large, a virus found).
        UploadRefused => "document.upload_refused",
        /// A form was created (from nothing, or as a copy).
        FormCreated => "form.created",
        /// A form's working copy was changed in the builder.
        FormChanged => "form.changed",
        /// A form author asked for the working copy to be approved.
        FormApprovalRequested => "form.approval_requested",
        /// A form's working copy was published as a new version.
        FormPublished => "form.published",
        /// A form was retired.
        FormRetired => "form.retired",
        /// A form was given to a child's portal users (as an action or not).
        FormAssigned => "form.assigned",
        /// A form given to a child was withdrawn.
        FormAssignmentWithdrawn => "form.assignment_withdrawn",
        /// Someone opened a form to fill it in.
        FormOpened => "form.opened",
        /// Someone's answers were saved (save and return).
        FormAnswersSaved => "form.answers_saved",
        /// A form was submitted.
        FormSubmitted => "form.submitted",
        /// A member of staff read a submission.
        SubmissionRead => "submission.read",
        /// A member of staff confirmed or chose the child a submission is about.
        SubmissionMatched => "submission.matched",
        /// A member of staff rejected a submission, with a message to its sender.
        SubmissionRejected => "submission.rejected",
        /// A member of staff imported a submission onto a child's record.
        SubmissionImported => "submission.imported",
        /// A caseworker recorded a request for advice.
        AdviceRequested => "advice.requested",
        /// Advice arrived (answered in the portal, or recorded by the council).
        AdviceReceived => "advice.received",
        /// A caseworker withdrew a request for advice.
        AdviceWithdrawn => "advice.withdrawn",
        /// Someone opened a request for advice (its page or its single-use link).
        AdviceRequestViewed => "advice.viewed",
        /// A reminder that advice is due, or an overdue alert, was sent.
        AdviceReminderSent => "advice.reminder_sent",
        /// The council changed when reminders of a kind of advice go out.
        AdviceRemindersChanged => "advice.reminders_changed",
        /// An operator queued a dead job again.
        JobRetried => "job.retried",
        /// An administrator changed who gets an automatic notification, or its text.
        NotificationSettingChanged => "notification.setting_changed",
        /// A portal user turned optional notifications on or off.
        NotificationChoicesChanged => "notification.choices_changed",
        /// An administrator saved the council's own wording for one of its texts.
        CouncilTextChanged => "council_text.changed",
        /// An administrator restored the shipped default of one of the council's texts.
        CouncilTextRestored => "council_text.restored",
        /// An administrator added, renamed, retired or brought back a message type.
        MessageTypeSaved => "message_type.saved",
        /// Someone searched the audit log (refusals too).
        AuditLogSearched => "audit.searched",
        /// Someone downloaded a search of the audit log as CSV (refusals too).
        AuditLogExported => "audit.exported",
    }
);

code_enum!(
    /// How it ended.
    AuditOutcome {
        Succeeded => "succeeded",
        /// The action was refused by an access rule.
        Refused => "refused",
        /// The action was attempted and failed (a wrong code, an expired link).
        Failed => "failed",
    }
);

/// One entry in the audit log. Entries are only ever added, never changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub id: AuditEventId,
    pub occurred_at: OffsetDateTime,
    pub actor: Actor,
    pub action: AuditAction,
    pub outcome: AuditOutcome,
    /// The child whose record was viewed or changed, if any.
    pub child_id: Option<ChildId>,
    /// What was touched, as `kind:id` (for example `staff_setup_link:…`).
    pub subject: Option<String>,
    /// A short note for people reading the log; never a secret.
    pub detail: Option<String>,
    /// The network address the request came from, if it came over the network.
    pub source: Option<String>,
}

/// What to look for in the audit log. Results come newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditQuery {
    pub child_id: Option<ChildId>,
    /// Who did it.
    pub user_id: Option<UserId>,
    /// Who did it, or whom it was about (an event whose subject is `account:<id>`).
    pub person: Option<UserId>,
    pub action: Option<AuditAction>,
    pub outcome: Option<AuditOutcome>,
    /// Events at or after this time.
    pub from: Option<OffsetDateTime>,
    /// Events before this time.
    pub until: Option<OffsetDateTime>,
    /// Keyset paging: only events older than this one, in the log's order
    /// (by time, then id), so a page never repeats or skips an event.
    pub before: Option<AuditCursor>,
    pub limit: u32,
}

impl Default for AuditQuery {
    fn default() -> Self {
        Self {
            child_id: None,
            user_id: None,
            person: None,
            action: None,
            outcome: None,
            from: None,
            until: None,
            before: None,
            limit: 100,
        }
    }
}

/// Where a page of the audit log ends: the last event's time and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditCursor {
    pub occurred_at: OffsetDateTime,
    pub id: AuditEventId,
}

impl AuditCursor {
    pub fn of(event: &AuditEvent) -> Self {
        Self {
            occurred_at: event.occurred_at,
            id: event.id,
        }
    }
}

impl AuditAction {
    /// The group a kind of event belongs to, for choosing one from a list.
    pub fn group(self) -> &'static str {
        let prefix = self.code().split('.').next().unwrap_or_default();
        match prefix {
            "sign_in" | "sign_out" | "password" | "account" => "Signing in and accounts",
            "staff_setup_link" | "staff_account" | "team" | "permission_group" | "people" => {
                "Staff and people"
            }
            "child" | "caseload" => "Children's records",
            "involvement" | "timeline" => "Involvements and timelines",
            "invitation" | "portal_access" | "dashboard" | "child_link" => "Portal access",
            "message" => "Messages",
            "document" => "Documents",
            "form" | "submission" => "Forms",
            "advice" => "Advice",
            "notification" => "Notifications",
            "audit" => "The audit log",
            "council_text" | "message_type" | "configuration" => "Texts and configuration",
            "demo" | "job" => "The portal's own work",
            _ => "Other",
        }
    }

    /// The kind of event in words: its code made readable ("child.viewed" is
    /// "Child: viewed").
    pub fn describe(self) -> String {
        let words = self.code().replace(['_', '.'], " ");
        let (thing, done) = match self.code().split_once('.') {
            Some((thing, done)) => (thing.replace('_', " "), done.replace('_', " ")),
            None => (words, String::new()),
        };
        let mut thing_chars = thing.chars();
        let thing = match thing_chars.next() {
            Some(first) => first.to_uppercase().chain(thing_chars).collect(),
            None => thing,
        };
        if done.is_empty() {
            thing
        } else {
            format!("{thing}: {done}")
        }
    }
}

/// Someone who opened a child's record, as the child's family may see them:
/// a role and team or organisation, never a name or an email address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opener {
    /// A member of the council's staff.
    Staff {
        role: crate::StaffRole,
        team: Option<String>,
    },
    /// A professional linked to the child.
    Professional {
        job_role: Option<String>,
        organisation: String,
    },
}

/// One opening of a child's record by someone outside the family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordOpening {
    pub occurred_at: OffsetDateTime,
    pub opener: Opener,
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn every_code_reads_back_as_itself() {
        for action in AuditAction::ALL {
            assert_eq!(action.code().parse::<AuditAction>().unwrap(), *action);
        }
        for outcome in AuditOutcome::ALL {
            assert_eq!(outcome.code().parse::<AuditOutcome>().unwrap(), *outcome);
        }
        assert!("no.such".parse::<AuditAction>().is_err());
    }

    #[test]
    fn kinds_of_event_read_as_words_and_every_one_has_a_group() {
        assert_eq!(AuditAction::ChildViewed.describe(), "Child: viewed");
        assert_eq!(
            AuditAction::StaffSetupLinkIssued.describe(),
            "Staff setup link: issued"
        );
        assert_eq!(AuditAction::SignedOut.describe(), "Sign out");
        for action in AuditAction::ALL {
            assert_ne!(action.group(), "Other", "{action}");
        }
    }

    #[test]
    fn actors_round_trip_and_inconsistent_parts_are_refused() {
        let user = UserId::from_uuid(Uuid::nil());
        for actor in [
            Actor::System,
            Actor::Operator,
            Actor::Anonymous,
            Actor::User(user),
        ] {
            assert_eq!(
                Actor::from_parts(actor.kind(), actor.user_id()).unwrap(),
                actor
            );
        }
        assert!(Actor::from_parts("user", None).is_err());
        assert!(Actor::from_parts("system", Some(user)).is_err());
    }
}
