//! Conversions between SQLite values and domain values.

use send_domain::forms::{Answers, FormDefinition};
use send_store::StoreError;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, UtcOffset};
use uuid::Uuid;

/// Any driver error as a store error; unique violations become conflicts.
pub(crate) fn from_sqlx(err: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &err
        && db.is_unique_violation()
    {
        return StoreError::Conflict {
            constraint: db.message().to_owned(),
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

/// UTC, fixed width, so stored times sort correctly as text.
pub(crate) fn time_to_text(at: OffsetDateTime) -> String {
    let format =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");
    at.to_offset(UtcOffset::UTC)
        .format(&format)
        .unwrap_or_else(|_| at.to_string())
}

pub(crate) fn time_from_text(text: &str) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::parse(text, &Rfc3339).map_err(|_| corrupt(format_args!("time {text}")))
}

pub(crate) fn uuid_from_text(text: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|_| corrupt(format_args!("uuid {text}")))
}

pub(crate) fn date_to_text(date: Date) -> String {
    let format = format_description!("[year]-[month]-[day]");
    date.format(&format).unwrap_or_else(|_| date.to_string())
}

pub(crate) fn date_from_text(text: &str) -> Result<Date, StoreError> {
    let format = format_description!("[year]-[month]-[day]");
    Date::parse(text, &format).map_err(|_| corrupt(format_args!("date {text}")))
}

/// A small count (a version, a number of failed checks, an amount) as stored
/// (SQLite `INTEGER`, signed 64 bits: every `u32` fits).
#[expect(
    clippy::unnecessary_wraps,
    reason = "the same signature as PostgreSQL's, whose `integer` is narrower"
)]
pub(crate) fn number_to_db(number: u32) -> Result<i64, StoreError> {
    Ok(i64::from(number))
}

/// A form definition as the JSON text stored (the store never looks inside it).
pub(crate) fn definition_to_db(definition: &FormDefinition) -> Result<String, StoreError> {
    serde_json::to_string(definition).map_err(other)
}

/// Answers as the JSON text stored (the store never looks inside them).
pub(crate) fn answers_to_db(answers: &Answers) -> Result<String, StoreError> {
    serde_json::to_string(answers).map_err(other)
}

/// A file size as stored (SQLite `INTEGER`, signed 64 bits).
pub(crate) fn size_to_db(size: u64) -> Result<i64, StoreError> {
    i64::try_from(size).map_err(|_| corrupt(format_args!("file size {size}")))
}

pub(crate) fn size_from_db(size: i64) -> Result<u64, StoreError> {
    u64::try_from(size).map_err(|_| corrupt(format_args!("file size {size}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn times_are_fixed_width_utc_and_read_back_exactly() {
        let at = datetime!(2026-03-29 01:30:00.5 +01:00);
        let text = time_to_text(at);
        assert_eq!(text, "2026-03-29T00:30:00.500000Z");
        assert_eq!(time_from_text(&text).unwrap(), at);
    }

    #[test]
    fn dates_are_iso_text() {
        let date = time::macros::date!(2012 - 02 - 29);
        assert_eq!(date_to_text(date), "2012-02-29");
        assert_eq!(date_from_text("2012-02-29").ok(), Some(date));
        assert!(date_from_text("2013-02-29").is_err());
    }

    /// The statements use PostgreSQL's numbered placeholders (`$1`, `$2`, …), which
    /// sqlx's SQLite driver binds by their number, not by their order in the text.
    #[test]
    fn numbered_placeholders_bind_by_number() {
        let joined: String = sqlx::test_block_on(async {
            let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect("sqlite::memory:")
                .await
                .unwrap();
            sqlx::query_scalar("SELECT $2 || $1 || $2")
                .bind("first")
                .bind("second")
                .fetch_one(&mut conn)
                .await
                .unwrap()
        });
        assert_eq!(joined, "secondfirstsecond");
    }
}
