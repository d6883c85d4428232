//! Forms as stored: the council's working copy and published versions, forms
//! given to a child's portal users (as actions or not), saved answers, and
//! submissions.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::answers::Answers;
use super::definition::FormDefinition;
use crate::ids::{ChildId, FormAssignmentId, FormId, SubmissionId, UserId};
use crate::portal_access::PortalRole;

/// A form the council builds: its working copy (`draft`), and, once published,
/// the number of its live version.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub id: FormId,
    /// The working copy the builder edits. Never what a person fills in.
    pub draft: FormDefinition,
    /// Goes up by one on every change to the working copy (or its state), so two
    /// people editing at once cannot overwrite each other.
    pub version: u32,
    /// The live version's number; `None` until first published.
    pub live_version: Option<u32>,
    /// Someone asked for the working copy to be approved and published.
    pub approval_requested: Option<(UserId, OffsetDateTime)>,
    /// No longer offered to anyone; its submissions stay readable.
    pub retired_at: Option<OffsetDateTime>,
    /// The code of the built-in form this is (built-in forms are copied, never edited).
    pub builtin: Option<String>,
    pub created_by: UserId,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// Where a form stands, for lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormState {
    /// Never published.
    Draft,
    /// Waiting for someone who may approve it.
    AwaitingApproval,
    /// A version is live (the working copy may have changes not yet published).
    Live,
    Retired,
}

impl FormState {
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::AwaitingApproval => "Waiting for approval",
            Self::Live => "Published",
            Self::Retired => "Retired",
        }
    }
}

impl Form {
    pub fn state(&self) -> FormState {
        if self.retired_at.is_some() {
            FormState::Retired
        } else if self.approval_requested.is_some() {
            FormState::AwaitingApproval
        } else if self.live_version.is_some() {
            FormState::Live
        } else {
            FormState::Draft
        }
    }

    /// Built-in forms are copied and adapted, never edited in place.
    pub fn editable(&self) -> bool {
        self.builtin.is_none() && self.retired_at.is_none()
    }
}

/// A published version: an immutable, numbered snapshot of the working copy.
#[derive(Debug, Clone, PartialEq)]
pub struct FormVersion {
    pub form_id: FormId,
    /// 1, 2, 3, … per form.
    pub number: u32,
    pub definition: FormDefinition,
    pub published_by: UserId,
    pub published_at: OffsetDateTime,
}

/// Whom on a child's case a form is given to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "to", content = "who", rename_all = "snake_case")]
pub enum AssignedTo {
    /// Every portal user with an active link to the child, now and later.
    EveryoneLinked,
    /// Those linked in this role.
    Role(PortalRole),
    /// One person (who must be linked to the child to see it).
    Person(UserId),
}

impl AssignedTo {
    /// Whether a person linked to the child in `role` is given the form.
    pub fn includes(&self, person: UserId, role: PortalRole) -> bool {
        match self {
            Self::EveryoneLinked => true,
            Self::Role(r) => *r == role,
            Self::Person(p) => *p == person,
        }
    }
}

/// A published form given to a child's portal users: an **action** when it has
/// a due date (listed under Actions to Complete), otherwise just available.
#[derive(Debug, Clone, PartialEq)]
pub struct FormAssignment {
    pub id: FormAssignmentId,
    pub form_id: FormId,
    pub child_id: ChildId,
    pub to: AssignedTo,
    pub due: Option<Date>,
    pub assigned_by: UserId,
    pub assigned_at: OffsetDateTime,
    /// Set when a submission completes the action (the first one does).
    pub completed_by: Option<SubmissionId>,
    pub withdrawn_at: Option<OffsetDateTime>,
}

/// Where an action stands, as the council and the person see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionStatus {
    NotStarted,
    InProgress,
    Submitted,
    Overdue,
}

impl ActionStatus {
    /// `started`: someone it was sent to has saved answers.
    pub fn of(assignment: &FormAssignment, started: bool, today: Date) -> Self {
        if assignment.completed_by.is_some() {
            Self::Submitted
        } else if assignment.due.is_some_and(|due| due < today) {
            Self::Overdue
        } else if started {
            Self::InProgress
        } else {
            Self::NotStarted
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NotStarted => "Not started",
            Self::InProgress => "In progress",
            Self::Submitted => "Submitted",
            Self::Overdue => "Overdue",
        }
    }

    /// The GOV.UK tag colour.
    pub fn tag_colour(self) -> &'static str {
        match self {
            Self::NotStarted => "grey",
            Self::InProgress => "blue",
            Self::Submitted => "green",
            Self::Overdue => "red",
        }
    }
}

/// One person's saved answers to one form (for one child, or none): save and
/// return. Visible to its author only; removed when they submit.
#[derive(Debug, Clone, PartialEq)]
pub struct FormDraft {
    pub form_id: FormId,
    pub child_id: Option<ChildId>,
    pub author: UserId,
    /// The published version the answers were given to.
    pub version_number: u32,
    pub answers: Answers,
    pub assignment_id: Option<FormAssignmentId>,
    pub started_at: OffsetDateTime,
    pub saved_at: OffsetDateTime,
}

/// The portal itself, as the author and publisher of the built-in forms.
pub const PORTAL: UserId = UserId::from_uuid(uuid::Uuid::nil());

/// The letters and digits of a submission reference: no 0/O, 1/I/L, 5/S, 8/B.
const REFERENCE_ALPHABET: &[u8] = b"ACDEFGHJKMNPQRTUVWXY234679";

/// A submission's reference ("FRM-7K3M9QXD") from random bytes (the
/// application supplies them).
pub fn submission_reference(bytes: [u8; 8]) -> String {
    let n = REFERENCE_ALPHABET.len();
    let code: String = bytes
        .iter()
        .map(|b| char::from(REFERENCE_ALPHABET[usize::from(*b) % n]))
        .collect();
    format!("FRM-{code}")
}

/// A submitted form, pinned to the version that was answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub id: SubmissionId,
    /// Given to the person ("FRM-7K3M9QXD"); unique.
    pub reference: String,
    pub form_id: FormId,
    pub version_number: u32,
    /// The form's title in that version, for lists.
    pub title: String,
    pub child_id: Option<ChildId>,
    pub assignment_id: Option<FormAssignmentId>,
    pub submitted_by: UserId,
    /// Only the answers on the route the person took.
    pub answers: Answers,
    pub submitted_at: OffsetDateTime,
    /// Where it stands in the SEND team's processing area.
    pub processing: crate::incoming_forms::Processing,
}
