//! Storage errors. Callers match on `NotFound` and `Conflict`; everything else is
//! `Other`, logged by the layer that turns it into a 500 page.

/// What can go wrong in a store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A uniqueness rule refused the write; `constraint` names which.
    #[error("conflict on {constraint}")]
    Conflict { constraint: String },
    /// Stored data that this version cannot read (an unknown code, a bad value).
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
    /// Anything else: the database is down, a query failed.
    #[error("storage failure: {0}")]
    Other(#[source] Box<dyn std::error::Error + Send + Sync>),
}

pub type StoreResult<T> = Result<T, StoreError>;
