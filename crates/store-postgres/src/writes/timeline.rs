//! Writes of the council's additions to the timeline: its own milestones and
//! one-off bank holidays.

use send_domain::milestones::LocalMilestone;
use send_store::{ExtraHoliday, StoreResult};
use sqlx::PgConnection;

use super::{found, write_error};
use crate::convert::number_to_db;

pub(super) async fn insert_local_milestone(
    conn: &mut PgConnection,
    milestone: &LocalMilestone,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "INSERT INTO local_milestones \
         (code, kind, title, start_event, unit, amount, explanation) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(milestone.code.as_str())
    .bind(milestone.kind.code())
    .bind(milestone.title.as_str())
    .bind(milestone.start_event.code())
    .bind(milestone.unit.code())
    .bind(number_to_db(milestone.amount)?)
    .bind(milestone.explanation.as_str())
    .execute(conn)
    .await
    .map_err(write_error)?;
    Ok(done.rows_affected())
}

pub(super) async fn delete_local_milestone(
    conn: &mut PgConnection,
    code: &str,
) -> StoreResult<u64> {
    let done = sqlx::query("DELETE FROM local_milestones WHERE code = $1")
        .bind(code)
        .execute(conn)
        .await
        .map_err(write_error)?;
    found(done.rows_affected())
}

pub(super) async fn insert_extra_holiday(
    conn: &mut PgConnection,
    holiday: &ExtraHoliday,
) -> StoreResult<u64> {
    let done = sqlx::query("INSERT INTO extra_holidays (date, name) VALUES ($1, $2)")
        .bind(holiday.date)
        .bind(holiday.name.as_str())
        .execute(conn)
        .await
        .map_err(write_error)?;
    Ok(done.rows_affected())
}

pub(super) async fn delete_extra_holiday(
    conn: &mut PgConnection,
    date: time::Date,
) -> StoreResult<u64> {
    let done = sqlx::query("DELETE FROM extra_holidays WHERE date = $1")
        .bind(date)
        .execute(conn)
        .await
        .map_err(write_error)?;
    found(done.rows_affected())
}
