//! The council's additions to the timeline on SQLite: its own milestones and
//! one-off bank holidays. Every write is one transaction on the single writer
//! connection, with its effects.

use async_trait::async_trait;
use send_domain::milestones::{LocalMilestone, MilestoneUnit};
use send_store::{Effects, ExtraHoliday, StoreError, StoreResult, TimelineStore};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use crate::SqliteStore;
use crate::cases::{date_from_text, date_to_text};
use crate::convert::{corrupt, from_sqlx};
use crate::effects;

/// SQLite names a unique violation by its columns (`UNIQUE constraint failed:
/// local_milestones.code`); the trait promises the constraint's name, as
/// PostgreSQL gives it.
fn write_error(err: sqlx::Error) -> StoreError {
    match from_sqlx(err) {
        StoreError::Conflict { constraint } if constraint.ends_with(": local_milestones.code") => {
            StoreError::Conflict {
                constraint: "local_milestones_code".to_owned(),
            }
        }
        StoreError::Conflict { constraint } if constraint.ends_with(": extra_holidays.date") => {
            StoreError::Conflict {
                constraint: "extra_holidays_date".to_owned(),
            }
        }
        other => other,
    }
}

/// A stored code as its enum.
fn code<T>(text: &str) -> StoreResult<T>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    text.parse().map_err(corrupt)
}

fn milestone_from_row(row: &SqliteRow) -> StoreResult<LocalMilestone> {
    let text = |name: &str| row.try_get::<String, _>(name).map_err(from_sqlx);
    let unit = text("unit")?;
    let amount: i64 = row.try_get("amount").map_err(from_sqlx)?;
    Ok(LocalMilestone {
        code: text("code")?,
        kind: code(&text("kind")?)?,
        title: text("title")?,
        start_event: code(&text("start_event")?)?,
        unit: MilestoneUnit::parse_code(&unit)
            .ok_or_else(|| corrupt(format_args!("milestone unit {unit}")))?,
        amount: u32::try_from(amount).map_err(|_| corrupt(format_args!("amount {amount}")))?,
        explanation: text("explanation")?,
    })
}

#[async_trait]
impl TimelineStore for SqliteStore {
    async fn local_milestones(&self) -> StoreResult<Vec<LocalMilestone>> {
        let rows = sqlx::query("SELECT * FROM local_milestones ORDER BY kind, title, code")
            .fetch_all(&self.reader)
            .await
            .map_err(from_sqlx)?;
        rows.iter().map(milestone_from_row).collect()
    }

    async fn insert_local_milestone(
        &self,
        milestone: &LocalMilestone,
        effects: &Effects,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        sqlx::query(
            "INSERT INTO local_milestones \
             (code, kind, title, start_event, unit, amount, explanation) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(milestone.code.as_str())
        .bind(milestone.kind.code())
        .bind(milestone.title.as_str())
        .bind(milestone.start_event.code())
        .bind(milestone.unit.code())
        .bind(i64::from(milestone.amount))
        .bind(milestone.explanation.as_str())
        .execute(&mut *tx)
        .await
        .map_err(write_error)?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    async fn delete_local_milestone(&self, code: &str, effects: &Effects) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        let done = sqlx::query("DELETE FROM local_milestones WHERE code = ?")
            .bind(code)
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    async fn extra_holidays(&self) -> StoreResult<Vec<ExtraHoliday>> {
        let rows = sqlx::query("SELECT date, name FROM extra_holidays ORDER BY date")
            .fetch_all(&self.reader)
            .await
            .map_err(from_sqlx)?;
        rows.iter()
            .map(|row| {
                Ok(ExtraHoliday {
                    date: date_from_text(&row.try_get::<String, _>("date").map_err(from_sqlx)?)?,
                    name: row.try_get("name").map_err(from_sqlx)?,
                })
            })
            .collect()
    }

    async fn insert_extra_holiday(
        &self,
        holiday: &ExtraHoliday,
        effects: &Effects,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        sqlx::query("INSERT INTO extra_holidays (date, name) VALUES (?, ?)")
            .bind(date_to_text(holiday.date))
            .bind(holiday.name.as_str())
            .execute(&mut *tx)
            .await
            .map_err(write_error)?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }
}
