//! Conversions between PostgreSQL errors and store errors, and between stored
//! values and domain values.

use send_domain::forms::{Answers, FormDefinition};
use send_store::StoreError;

/// Any driver error as a store error; unique violations become conflicts.
pub(crate) fn from_sqlx(err: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &err
        && db.is_unique_violation()
    {
        return StoreError::Conflict {
            constraint: db.constraint().unwrap_or("unique").to_owned(),
        };
    }
    other(err)
}

pub(crate) fn other<E>(err: E) -> StoreError
where
    E: std::error::Error + Send + Sync + 'static,
{
    StoreError::Other(Box::new(err))
}

pub(crate) fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

/// A small count (a version, a number of failed checks, an amount) as stored
/// (PostgreSQL `integer`, signed 32 bits).
pub(crate) fn number_to_db(number: u32) -> Result<i32, StoreError> {
    i32::try_from(number).map_err(|_| corrupt(format_args!("number {number}")))
}

/// A form definition as the JSON text stored (the store never looks inside it).
pub(crate) fn definition_to_db(definition: &FormDefinition) -> Result<String, StoreError> {
    serde_json::to_string(definition).map_err(other)
}

/// Answers as the JSON text stored (the store never looks inside them).
pub(crate) fn answers_to_db(answers: &Answers) -> Result<String, StoreError> {
    serde_json::to_string(answers).map_err(other)
}

/// A file size as stored (PostgreSQL `bigint`).
pub(crate) fn size_to_db(size: u64) -> Result<i64, StoreError> {
    i64::try_from(size).map_err(|_| corrupt(format_args!("file size {size}")))
}

pub(crate) fn size_from_db(size: i64) -> Result<u64, StoreError> {
    u64::try_from(size).map_err(|_| corrupt(format_args!("file size {size}")))
}
