//! The council's additions to the timeline on PostgreSQL: its own milestones
//! and one-off bank holidays (reads; the writes are in `writes::timeline`).

use async_trait::async_trait;
use send_domain::milestones::{LocalMilestone, MilestoneUnit};
use send_store::{ExtraHoliday, StoreResult, TimelineStore};
use sqlx::PgConnection;
use sqlx::postgres::PgRow;

use crate::PgStore;
use crate::convert::{corrupt, from_sqlx};
use crate::rows::{code, date, number, text};

fn milestone_from_row(row: &PgRow) -> StoreResult<LocalMilestone> {
    let unit = text(row, "unit")?;
    Ok(LocalMilestone {
        code: text(row, "code")?,
        kind: code(row, "kind")?,
        title: text(row, "title")?,
        start_event: code(row, "start_event")?,
        unit: MilestoneUnit::parse_code(&unit)
            .ok_or_else(|| corrupt(format_args!("milestone unit {unit}")))?,
        amount: number(row, "amount")?,
        explanation: text(row, "explanation")?,
    })
}

/// Every local milestone, on an open connection.
pub(crate) async fn local_milestones(conn: &mut PgConnection) -> StoreResult<Vec<LocalMilestone>> {
    let rows = sqlx::query("SELECT * FROM local_milestones ORDER BY kind, title, code")
        .fetch_all(conn)
        .await
        .map_err(from_sqlx)?;
    rows.iter().map(milestone_from_row).collect()
}

/// Every one-off bank holiday, on an open connection.
pub(crate) async fn extra_holidays(conn: &mut PgConnection) -> StoreResult<Vec<ExtraHoliday>> {
    let rows = sqlx::query("SELECT date, name FROM extra_holidays ORDER BY date")
        .fetch_all(conn)
        .await
        .map_err(from_sqlx)?;
    rows.iter()
        .map(|row| {
            Ok(ExtraHoliday {
                date: date(row, "date")?,
                name: text(row, "name")?,
            })
        })
        .collect()
}

#[async_trait]
impl TimelineStore for PgStore {
    #[tracing::instrument(level = "debug", name = "store.local_milestones", skip_all)]
    async fn local_milestones(&self) -> StoreResult<Vec<LocalMilestone>> {
        let mut conn = self.pool.acquire().await.map_err(from_sqlx)?;
        local_milestones(&mut conn).await
    }

    #[tracing::instrument(level = "debug", name = "store.extra_holidays", skip_all)]
    async fn extra_holidays(&self) -> StoreResult<Vec<ExtraHoliday>> {
        let mut conn = self.pool.acquire().await.map_err(from_sqlx)?;
        extra_holidays(&mut conn).await
    }
}
