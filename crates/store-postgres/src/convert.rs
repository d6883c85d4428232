//! Conversions between PostgreSQL errors and store errors.

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
