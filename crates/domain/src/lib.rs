//! The SEND domain: the types and rules of the portal, with no I/O.
//!
//! Everything here is pure: no database, no network, no clock reads. Input from the
//! outside world becomes one of these validated types at the edge (`Email::parse`,
//! `PersonName::parse`), and everything inside takes the validated type.

pub mod accounts;
pub mod advice;
pub mod audit;
pub mod calendar;
pub mod cases;
pub mod clock;
pub mod configuration;
pub mod council;
pub mod council_texts;
pub mod dates;
pub mod documents;
pub mod email;
pub mod files;
pub mod forms;
pub mod ids;
pub mod incoming_forms;
pub mod involvements;
pub mod jobs;
pub mod matching;
pub mod messages;
pub mod milestones;
pub mod names;
pub mod notifications;
pub mod outbox;
pub mod password;
pub mod portal_access;
pub mod sessions;
pub mod staff;
pub mod staff_setup;
pub mod timeline;

pub use accounts::{
    Account, AccountKind, AccountStatus, CodePurpose, CodeState, CodeText, CodeTextError,
    OneTimeCode, PasswordHash, PasswordResetToken, PhoneNumber, ProfessionalDetails, SecondFactor,
    ShortText, TextError, ThrottleDecision, ThrottlePolicy, ThrottleState, TotpEnrolment,
};
pub use audit::{
    Actor, AuditAction, AuditCursor, AuditEvent, AuditOutcome, AuditQuery, Opener, RecordOpening,
    UnknownCode,
};
pub use calendar::{MovedHoliday, OneOffHoliday, WorkingCalendar};
pub use cases::{
    Address, ChangeReason, ChangeReasonError, Child, ChildSearch, FamilyContact, IdentifierError,
    NhsNumber, Postcode, SenNeed, Sex, Uln, Upn,
};
pub use clock::{Clock, FixedClock};
pub use council::CouncilName;
pub use documents::{Document, DocumentKind, Sharing};
pub use email::Email;
pub use files::{FileKind, StoredFile};
pub use ids::EmailId;
pub use ids::{
    AdviceRequestId, AuditEventId, ChildId, ChildLinkRequestId, ChronologyEntryId, ContactId,
    DocumentId, FormAssignmentId, FormId, InvitationId, InvolvementId, JobId, MessageId,
    MessageTypeId, OneTimeCodeId, PermissionGroupId, PortalLinkId, StaffSetupLinkId, SubmissionId,
    TeamId, ThreadId, UserId,
};
pub use matching::{ChildDetails, MatchResult, Reason, Thresholds, Verdict};
pub use messages::{Message, MessageBody, MessageBodyError, MessageType, Thread};
pub use names::PersonName;
pub use outbox::{
    ClaimedEmail, DeliveryState, EmailSubject, OutboxEntry, OutgoingEmail, retry_delay,
};
pub use password::{
    NewPassword, NoPasswordHistory, PasswordContext, PasswordError, PasswordFailure,
    PasswordHistory, PasswordPolicy, PasswordPolicyError, PasswordPolicyPreset, SPECIAL_CHARACTERS,
    special_characters_shown,
};
pub use portal_access::{
    Acceptance, ChildLinkDecision, ChildLinkRequest, Invitation, InvitationDecision,
    InvitationError, InvitationLink, InvitationOutcome, InvitationStage, LinkError, LinkStatus,
    PortalAction, PortalLink, PortalRole, ReferenceCode, ReferenceCodeError, Verification,
    VerifiedBy, portal_may,
};
pub use sessions::{ActiveSession, SessionRecord, SessionTimeouts, SignedInFrom};
pub use staff::{
    CaseAction, DEFAULT_GROUPS, DEFAULT_TEAM, Decision, Permission, StaffAccess, default_group,
    default_permissions, staff_may,
};
pub use staff_setup::{StaffRole, StaffSetupLink, StaffSetupLinkState, TokenHash};
pub use timeline::{
    Completions, DeadlineRule, DeadlineUnit, EventKind, Events, Exception, ExceptionError, KeyDate,
    KeyDateStatus, LaterStart, Process, RecordedException, key_dates, tribunal_window_end,
};
