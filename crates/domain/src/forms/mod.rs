//! Forms (FRM-1 to FRM-4): the council builds them, publishes them as numbered
//! versions, and gives them to a child's portal users, who fill them in with save
//! and return and submit them. Everything here is pure: definitions, answers and
//! their checks, conditions and routes, the problems that stop a publish, and
//! carrying answers to a newer version; and the builder's edits, who may make
//! them, and what changed since the live version.

pub mod access;
pub mod answers;
pub mod builtin;
pub mod carry;
pub mod compare;
pub mod definition;
pub mod editing;
pub mod problems;
pub mod reading;
pub mod records;
pub mod route;
pub mod words;

pub use access::{BuilderAction, builder_may};
pub use answers::{AddressAnswer, Answer, Answers};
pub use carry::{Carried, carry_over};
pub use compare::{Change, compare};
pub use definition::{
    Audience, Branch, Condition, DateLimit, Destination, FormDefinition, FormPurpose, LookupKind,
    Page, PageKey, Question, QuestionKey, QuestionKind, Test, UploadLimits,
};
pub use editing::{Details, Direction, Edit, EditError, QuestionSettings, apply};
pub use problems::{LOOKUP_IN_PORTAL, Problem, problems};
pub use reading::{FieldError, Fields, NONE_OF_THESE, answer_fields, field_names};
pub use records::{
    ActionStatus, AssignedTo, Form, FormAssignment, FormDraft, FormState, FormVersion, PORTAL,
    Submission, submission_reference,
};
pub use route::{Next, Walk, answers_before, holds, shown_questions, walk};

#[cfg(test)]
mod builder_tests;
#[cfg(test)]
mod tests;
