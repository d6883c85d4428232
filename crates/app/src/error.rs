//! Errors of the use cases.
//!
//! Policy: a use case returns `NotFound` or `Forbidden` for what the caller may show
//! as such; invalid input is refused before a use case is called (the domain's
//! parse functions); `Changed` when someone else changed a record between the
//! person reading it and their change (a guard of the unit of work refused it;
//! nothing was written), for the page to say so and keep what they typed;
//! everything else is `Store` and becomes a 500 page whose cause is logged,
//! never shown.

use send_store::{CHILD_CHANGED, INVOLVEMENT_CHANGED, StoreError, THREAD_CHANGED};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// Someone else changed the record since the person read it.
    #[error("changed by someone else meanwhile")]
    Changed,
    #[error(transparent)]
    Store(StoreError),
    /// A failure outside the store (a background task, a library): logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

/// The guards whose refusal means "someone else changed this meanwhile".
const CHANGED_GUARDS: [&str; 3] = [CHILD_CHANGED, INVOLVEMENT_CHANGED, THREAD_CHANGED];

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match &err {
            StoreError::Conflict { constraint }
                if CHANGED_GUARDS.contains(&constraint.as_str()) =>
            {
                Self::Changed
            }
            _ => Self::Store(err),
        }
    }
}
