//! Conversions between PostgreSQL errors and store errors, and between stored
//! values and domain values.

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

/// A stored code as its enum.
pub(crate) fn code<T>(text: &str) -> Result<T, StoreError>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    text.parse().map_err(corrupt)
}

/// A file size as stored (PostgreSQL `bigint`).
pub(crate) fn size_to_db(size: u64) -> Result<i64, StoreError> {
    i64::try_from(size).map_err(|_| corrupt(format_args!("file size {size}")))
}

pub(crate) fn size_from_db(size: i64) -> Result<u64, StoreError> {
    u64::try_from(size).map_err(|_| corrupt(format_args!("file size {size}")))
}
