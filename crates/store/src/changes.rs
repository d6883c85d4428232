//! The unit of work: what one use case writes, as data.
//!
//! A use case reads what it needs, decides, and hands the store one [`Changes`]:
//! an ordered list of [`Write`]s and the [`Effects`] they cause (audit events and
//! emails). [`UnitOfWorkStore::commit`] applies them all in one transaction, or
//! none of them. Each write carries its own guard:
//!
//! - an insert fails with `Conflict` on a taken unique value (the constraint's name);
//! - an update names what the caller read: the record's `version` (involvements,
//!   threads, children), the invitation's stage, the link's status, or "not yet
//!   decided" (professionals' requests). If the stored record no longer matches,
//!   the whole unit fails with `Conflict` on the guard's name (the constants
//!   below) and writes nothing; if there is no such record, `NotFound`;
//! - a delete fails with `NotFound` if there is nothing to delete.
//!
//! A new use case composes these instead of adding a store method.

use async_trait::async_trait;
use send_domain::advice::{AdviceKind, AdviceLink, AdviceRequest, ReminderSchedule};
use send_domain::forms::{Form, FormAssignment, FormDraft, FormVersion, Submission};
use send_domain::incoming_forms::Processing;
use send_domain::involvements::Involvement;
use send_domain::jobs::{Job, JobClaim};
use send_domain::milestones::LocalMilestone;
use send_domain::notifications::{NotificationEvent, NotificationSetting};
use send_domain::{
    AccountStatus, AdviceRequestId, AuditEvent, Child, ChildId, ChildLinkRequest, ContactId,
    Document, DocumentId, FamilyContact, FormAssignmentId, FormId, Invitation, InvitationStage,
    JobId, LinkStatus, Message, MessageType, OutgoingEmail, PermissionGroupId, PortalLink, Sharing,
    StaffSetupLink, StaffSetupLinkId, SubmissionId, TeamId, Thread, ThreadId, TokenHash, UserId,
};
use time::OffsetDateTime;

use crate::{ChronologyEntry, ExtraHoliday, PermissionGroup, StaffMembership, StoreResult, Team};

/// The guard of [`Write::UpdateInvolvement`]: someone else changed the involvement.
pub const INVOLVEMENT_CHANGED: &str = "involvement_version";
/// The guard of [`Write::UpdateThread`]: someone else changed the conversation.
pub const THREAD_CHANGED: &str = "thread_version";
/// The guard of [`Write::UpdateChild`]: someone else changed the child's record.
pub const CHILD_CHANGED: &str = "child_version";
/// The guard of [`Write::UpdateForm`]: someone else changed the form.
pub const FORM_CHANGED: &str = "form_version";

/// The guard of [`Write::DeleteTeam`]: a member of staff, a child or a set-up
/// link not yet used still names the team.
pub const TEAM_IN_USE: &str = "team_in_use";
/// The guard of [`Write::DeletePermissionGroup`]: a member of staff or a set-up
/// link not yet used is still in the group.
pub const PERMISSION_GROUP_IN_USE: &str = "permission_group_in_use";

/// The guard of [`Write::WithdrawStaffSetupLink`]: the link was used or
/// withdrawn first.
pub const STAFF_SETUP_LINK_CHANGED: &str = "staff_setup_link_changed";

/// The guard of a unit of work that changes memberships, account statuses or
/// groups ([`Write::may_remove_administrators`]): someone active could manage
/// staff before it and nobody could after. Both stores judge it inside the
/// transaction, one such unit at a time, so two administrators demoting each
/// other at once cannot both succeed.
pub const LAST_ADMINISTRATOR: &str = "last_administrator";

impl Write {
    /// Whether this write could leave nobody active with "Manage staff".
    #[must_use]
    pub fn may_remove_administrators(&self) -> bool {
        matches!(
            self,
            Self::SetStaffMembership { .. }
                | Self::SetAccountStatus { .. }
                | Self::UpdatePermissionGroup(_)
                | Self::DeletePermissionGroup { .. }
        )
    }
}

/// What a change causes, written in the same transaction as the change: its audit
/// events and the emails it sends (into the outbox).
#[derive(Debug, Clone, Default)]
pub struct Effects {
    pub audit: Vec<AuditEvent>,
    pub emails: Vec<OutgoingEmail>,
}

impl Effects {
    /// Just this audit event.
    pub fn audit(event: AuditEvent) -> Self {
        Self {
            audit: vec![event],
            emails: Vec::new(),
        }
    }

    /// These effects and one email more.
    #[must_use]
    pub fn with_email(mut self, email: OutgoingEmail) -> Self {
        self.emails.push(email);
        self
    }
}

/// Which of an account's sessions [`Write::EndSessionsOfAccount`] ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WhichSessions {
    /// Just this one.
    Only(TokenHash),
    /// Every one but this one (the session asking).
    AllBut(TokenHash),
}

/// One write of a unit of work, per kind of record, with its guard.
#[derive(Debug, Clone)]
pub enum Write {
    /// `Conflict { "teams_name" }` if the name is taken.
    InsertTeam {
        team: Team,
        at: OffsetDateTime,
    },
    /// `Conflict { "permission_groups_name" }` if the name is taken.
    InsertPermissionGroup {
        group: PermissionGroup,
        at: OffsetDateTime,
    },
    /// Renames a team. `NotFound` if there is no such team, `Conflict {
    /// "teams_name" }` if the name is taken.
    UpdateTeam {
        id: TeamId,
        name: String,
    },
    /// Removes a team nobody uses: `Conflict { TEAM_IN_USE }` while a member of
    /// staff, a child or a set-up link not yet used names it; `NotFound` if
    /// there is no such team. Used set-up links forget it (the account they
    /// made holds its own membership).
    DeleteTeam {
        id: TeamId,
    },
    /// Replaces the name and permissions. `NotFound` if there is no such group.
    UpdatePermissionGroup(PermissionGroup),
    /// Removes a group with nobody in it, and its permissions: `Conflict {
    /// PERMISSION_GROUP_IN_USE }` while a member of staff or a set-up link not
    /// yet used names it; `NotFound` if there is no such group. Used set-up
    /// links forget it.
    DeletePermissionGroup {
        id: PermissionGroupId,
    },
    /// Sets a member of staff's team and groups. `NotFound` unless the account is staff.
    SetStaffMembership {
        membership: StaffMembership,
        at: OffsetDateTime,
    },
    InsertChild(Child),
    /// Writes every field but the id and creation time, if the stored version is
    /// `expected_version` (then it becomes `expected_version + 1`); `Conflict {
    /// CHILD_CHANGED }` otherwise.
    UpdateChild {
        child: Child,
        expected_version: u32,
    },
    /// Adds the contact, or replaces the one with its id if that is the same
    /// child's. `NotFound` if the id is another child's contact.
    SaveContact(FamilyContact),
    /// `NotFound` if there is no such contact.
    DeleteContact(ContactId),
    /// An entry on a child's chronology (append only).
    AddChronologyEntry(ChronologyEntry),
    InsertInvolvement(Involvement),
    /// Replaces the fields, events, completions and exceptions, if the stored
    /// version is `expected_version`; `Conflict { INVOLVEMENT_CHANGED }` otherwise.
    UpdateInvolvement {
        involvement: Involvement,
        expected_version: u32,
    },
    /// `Conflict { "portal_invitations_link_hash" }` if its link hash is taken.
    InsertInvitation(Invitation),
    /// Saves a step, if the stored stage is `expected`; `Conflict {
    /// INVITATION_STAGE_CONFLICT }` otherwise.
    UpdateInvitation {
        invitation: Invitation,
        expected: InvitationStage,
    },
    /// `Conflict { PORTAL_LINK_CONFLICT }` if the person already has a link to the child.
    InsertPortalLink(PortalLink),
    /// Changes a link, if its stored status is `expected`; `Conflict {
    /// PORTAL_LINK_STATUS_CONFLICT }` otherwise.
    UpdatePortalLink {
        link: PortalLink,
        expected: LinkStatus,
    },
    InsertChildLinkRequest(ChildLinkRequest),
    /// Records the request's decision, if it was not decided yet; `Conflict {
    /// CHILD_LINK_REQUEST_CONFLICT }` otherwise.
    DecideChildLinkRequest(ChildLinkRequest),
    /// Adds or replaces a message type. `Conflict { "message_types_name" }` if
    /// the name is taken.
    SaveMessageType(MessageType),
    /// A new conversation with its participants (its first message is an
    /// [`Write::InsertMessage`] after it).
    InsertThread(Thread),
    /// Writes the holder, participants, last message time and waiting time, if
    /// the stored version is `expected_version`; `Conflict { THREAD_CHANGED }`
    /// otherwise.
    UpdateThread {
        thread: Thread,
        expected_version: u32,
    },
    /// A message with its attachment list; the attached documents are written
    /// before it with [`Write::InsertDocument`].
    InsertMessage(Message),
    /// Moves a person's read mark forward (never back).
    MarkRead {
        thread: ThreadId,
        account: UserId,
        at: OffsetDateTime,
    },
    /// Records that `account` was emailed at `at` that `thread` has new
    /// messages (replacing when they were last emailed about it).
    RecordMessageNotice {
        thread: ThreadId,
        account: UserId,
        at: OffsetDateTime,
    },
    /// Gives every conversation held by `from` to `to` (each one's version moves on).
    HandOverThreads {
        from: UserId,
        to: UserId,
    },
    /// Turns a person's notification emails on or off.
    SetMessageEmails {
        account: UserId,
        on: bool,
    },
    /// Saves the council's choice for one event (who gets it, its text),
    /// replacing what was saved before.
    SaveNotificationSetting {
        setting: NotificationSetting,
        by: UserId,
        at: OffsetDateTime,
    },
    /// Turns one notification off for a person (`off`), or back on. Doing
    /// either twice is the same as once.
    SetNotificationOptOut {
        account: UserId,
        event: NotificationEvent,
        off: bool,
    },
    /// Saves the council's own wording for one text (a key of
    /// `send_domain::council_texts`), replacing what was saved before.
    SaveCouncilText {
        key: String,
        value: String,
        by: UserId,
        at: OffsetDateTime,
    },
    /// Removes the council's wording for one text, so its shipped default
    /// applies again. Doing it twice is the same as once (the second touches
    /// no row).
    RestoreCouncilText {
        key: String,
    },
    /// `Conflict { "documents_file_key" }` if the file key is taken.
    InsertDocument(Document),
    /// Replaces whom a document is shared with. `NotFound` if there is no such document.
    SetSharing {
        document: DocumentId,
        sharing: Sharing,
        at: OffsetDateTime,
    },
    /// `Conflict { "local_milestones_code" }` if the code is taken.
    InsertLocalMilestone(LocalMilestone),
    /// `NotFound` if there is no milestone with this code.
    DeleteLocalMilestone {
        code: String,
    },
    /// `Conflict { "extra_holidays_date" }` if that date has one.
    InsertExtraHoliday(ExtraHoliday),
    /// Removes the one-off holiday on `date`. `NotFound` if there is none.
    DeleteExtraHoliday {
        date: time::Date,
    },
    InsertStaffSetupLink(StaffSetupLink),
    /// Withdraws a set-up link, if it is neither used nor withdrawn; `Conflict {
    /// STAFF_SETUP_LINK_CHANGED }` if it is, `NotFound` if there is no such link.
    WithdrawStaffSetupLink {
        id: StaffSetupLinkId,
        at: OffsetDateTime,
    },
    /// Sets whether an account may sign in, with the reason given, and ends
    /// every session of the account in the same transaction. `NotFound` if there
    /// is no such account.
    SetAccountStatus {
        account: UserId,
        status: AccountStatus,
        reason: Option<String>,
        at: OffsetDateTime,
    },
    /// Ends every session of an account (the count is the sessions ended).
    EndSessions {
        account: UserId,
    },
    /// Ends the account's sessions that `which` names (the count is the
    /// sessions ended: 0 for a session that is not the account's).
    EndSessionsOfAccount {
        account: UserId,
        which: WhichSessions,
    },
    /// `Conflict { "forms_builtin" }` if it is a built-in already stored.
    InsertForm(Form),
    /// Writes the working copy, live version, approval request, retirement and
    /// update time, if the stored version is `expected_version` (then it becomes
    /// `expected_version + 1`, which `form.version` must already say);
    /// `Conflict { FORM_CHANGED }` otherwise.
    UpdateForm {
        form: Form,
        expected_version: u32,
    },
    /// `Conflict { "form_versions_number" }` if the number is taken.
    InsertFormVersion(FormVersion),
    InsertFormAssignment(FormAssignment),
    /// `NotFound` if there is no such assignment (withdrawing twice keeps the first time).
    WithdrawFormAssignment {
        id: FormAssignmentId,
        at: OffsetDateTime,
    },
    /// Records the submission that completed an action, unless one already did
    /// (the first completes it). `NotFound` if there is no such assignment.
    CompleteFormAssignment {
        id: FormAssignmentId,
        submission: SubmissionId,
    },
    /// Adds a person's saved answers, or replaces their earlier ones for the
    /// same form and child.
    SaveFormDraft(FormDraft),
    /// `NotFound` if the person has nothing saved for the form and child.
    DeleteFormDraft {
        form: FormId,
        child: Option<ChildId>,
        author: UserId,
    },
    /// `Conflict { "submissions_reference" }` if the reference is taken.
    InsertSubmission(Submission),
    /// Writes the submission's processing (and its child, which import sets),
    /// if the stored processing version is `expected_version` (then it becomes
    /// `expected_version + 1`, which `processing.version` must already say);
    /// `Conflict { SUBMISSION_CHANGED }` otherwise, `NotFound` if there is no
    /// such submission.
    UpdateProcessing {
        id: SubmissionId,
        child_id: Option<ChildId>,
        processing: Processing,
        expected_version: u32,
    },
    /// Writes a child's folded surname for the matcher's index (children added
    /// before it existed). `NotFound` if there is no such child.
    IndexChildName {
        id: ChildId,
        surname: String,
    },
    /// Schedules a job. `Conflict { "jobs_key" }` if a job with its key exists
    /// (the same reminder is scheduled once).
    InsertJob(Job),
    /// Cancels every queued or running job about `subject` (a running one's
    /// [`Write::FinishJob`] is then refused, so its work is not written).
    CancelJobs {
        subject: String,
        at: OffsetDateTime,
    },
    /// Marks a job done, if it is still running under `claim`; `Conflict {
    /// JOB_CLAIM_LOST }` otherwise (the unit, the job's own work with it, is then
    /// not written).
    FinishJob {
        id: JobId,
        claim: JobClaim,
        at: OffsetDateTime,
    },
    /// Queues a dead job again, due at `at`, its attempts and error cleared.
    /// `NotFound` unless there is such a job and it is dead.
    RetryJob {
        id: JobId,
        at: OffsetDateTime,
    },
    InsertAdviceRequest(AdviceRequest),
    /// Writes the request's recipient, account, status, link and update time, if
    /// the stored version is `expected_version` (then it becomes one more, which
    /// `request.version` must already say); `Conflict { ADVICE_REQUEST_CHANGED }`
    /// otherwise.
    UpdateAdviceRequest {
        request: AdviceRequest,
        expected_version: u32,
    },
    /// Replaces a request's single-use link with a new one, if the request is
    /// awaited and its link unused; touches nothing otherwise (0 rows). Not guarded
    /// by the version: a reminder renewing the link never makes a caseworker's
    /// change, or another reminder, fail.
    RenewAdviceLink {
        id: AdviceRequestId,
        link: AdviceLink,
    },
    /// Sets the council's reminder schedule for a kind of advice.
    SaveReminderSchedule {
        kind: AdviceKind,
        schedule: ReminderSchedule,
        at: OffsetDateTime,
    },
}

/// A unit of work: writes applied in order, then their effects, all in one
/// transaction.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    pub writes: Vec<Write>,
    pub effects: Effects,
}

impl Changes {
    /// Nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only effects: an audit event or an email about something that changed
    /// nothing else.
    pub fn effects(effects: Effects) -> Self {
        Self {
            writes: Vec::new(),
            effects,
        }
    }

    /// These changes and one write more.
    #[must_use]
    pub fn with(mut self, write: Write) -> Self {
        self.writes.push(write);
        self
    }

    /// These changes with these effects added.
    #[must_use]
    pub fn with_effects(mut self, effects: Effects) -> Self {
        self.effects.audit.extend(effects.audit);
        self.effects.emails.extend(effects.emails);
        self
    }

    /// These changes and one audit event more.
    #[must_use]
    pub fn with_audit(mut self, event: AuditEvent) -> Self {
        self.effects.audit.push(event);
        self
    }

    /// These changes and one email more.
    #[must_use]
    pub fn with_email(mut self, email: OutgoingEmail) -> Self {
        self.effects.emails.push(email);
        self
    }

    /// These changes followed by `other`'s writes and effects.
    #[must_use]
    pub fn with_changes(mut self, other: Self) -> Self {
        self.writes.extend(other.writes);
        self.with_effects(other.effects)
    }

    /// Adds a write.
    pub fn push(&mut self, write: Write) {
        self.writes.push(write);
    }

    /// Whether there is nothing to write.
    pub fn is_empty(&self) -> bool {
        self.writes.is_empty() && self.effects.audit.is_empty() && self.effects.emails.is_empty()
    }
}

/// What a committed unit of work reports: how many rows each write touched, in
/// the order of the writes (a hand-over counts its conversations).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Committed {
    pub rows: Vec<u64>,
}

/// Applying a unit of work.
#[async_trait]
pub trait UnitOfWorkStore: Send + Sync {
    /// Applies every write of `changes` in order, then writes its effects, in one
    /// transaction: all of it, or (on any error) nothing.
    async fn commit(&self, changes: &Changes) -> StoreResult<Committed>;
}
