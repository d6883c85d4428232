//! Errors of the use cases.
//!
//! Policy: a use case returns `NotFound` or `Forbidden` for what the caller may show
//! as such; invalid input is refused before a use case is called (the domain's
//! parse functions); everything else is `Store` and becomes a 500 page whose cause
//! is logged, never shown.

use send_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A failure outside the store (a background task, a library): logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;
