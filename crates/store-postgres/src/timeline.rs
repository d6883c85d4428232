//! The council's additions to the timeline on PostgreSQL: its own milestones
//! and one-off bank holidays. Every write is one transaction, with its effects.
//! A duplicate is reported by its primary key, which the migration names as the
//! trait promises (`local_milestones_code`, `extra_holidays_date`).

use async_trait::async_trait;
use send_domain::milestones::{LocalMilestone, MilestoneUnit};
use send_store::{Effects, ExtraHoliday, StoreError, StoreResult, TimelineStore};
use sqlx::Row;
use sqlx::postgres::PgRow;

use crate::PgStore;
use crate::convert::{corrupt, from_sqlx};
use crate::effects;

/// A stored code as its enum.
fn code<T>(text: &str) -> StoreResult<T>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    text.parse().map_err(corrupt)
}

/// The amount as stored (PostgreSQL `integer`).
fn amount_to_db(amount: u32) -> StoreResult<i32> {
    i32::try_from(amount).map_err(|_| corrupt(format_args!("amount {amount}")))
}

fn milestone_from_row(row: &PgRow) -> StoreResult<LocalMilestone> {
    let text = |name: &str| row.try_get::<String, _>(name).map_err(from_sqlx);
    let unit = text("unit")?;
    let amount: i32 = row.try_get("amount").map_err(from_sqlx)?;
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
impl TimelineStore for PgStore {
    async fn local_milestones(&self) -> StoreResult<Vec<LocalMilestone>> {
        let rows = sqlx::query("SELECT * FROM local_milestones ORDER BY kind, title, code")
            .fetch_all(&self.pool)
            .await
            .map_err(from_sqlx)?;
        rows.iter().map(milestone_from_row).collect()
    }

    async fn insert_local_milestone(
        &self,
        milestone: &LocalMilestone,
        effects: &Effects,
    ) -> StoreResult<()> {
        let amount = amount_to_db(milestone.amount)?;
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        sqlx::query(
            "INSERT INTO local_milestones \
             (code, kind, title, start_event, unit, amount, explanation) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(milestone.code.as_str())
        .bind(milestone.kind.code())
        .bind(milestone.title.as_str())
        .bind(milestone.start_event.code())
        .bind(milestone.unit.code())
        .bind(amount)
        .bind(milestone.explanation.as_str())
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    async fn delete_local_milestone(&self, code: &str, effects: &Effects) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        let done = sqlx::query("DELETE FROM local_milestones WHERE code = $1")
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
            .fetch_all(&self.pool)
            .await
            .map_err(from_sqlx)?;
        rows.iter()
            .map(|row| {
                Ok(ExtraHoliday {
                    date: row.try_get("date").map_err(from_sqlx)?,
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
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        sqlx::query("INSERT INTO extra_holidays (date, name) VALUES ($1, $2)")
            .bind(holiday.date)
            .bind(holiday.name.as_str())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }
}
