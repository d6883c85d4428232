//! The council's additions to the timeline on SQLite: its own milestones and
//! one-off bank holidays (reads; the writes are in `writes::timeline`).

use async_trait::async_trait;
use rusqlite::Transaction;
use send_domain::milestones::{LocalMilestone, MilestoneUnit};
use send_store::{ExtraHoliday, StoreResult, TimelineStore};

use crate::SqliteStore;
use crate::columns::{Columns, query_rows};
use crate::convert::corrupt;
use crate::rows::{code, date, number, text};

fn milestone_from_row(row: &impl Columns) -> StoreResult<LocalMilestone> {
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

/// Every local milestone, in the caller's read.
pub(crate) fn local_milestones(tx: &Transaction<'_>) -> StoreResult<Vec<LocalMilestone>> {
    query_rows(
        tx,
        "SELECT * FROM local_milestones ORDER BY kind, title, code",
        [],
        |row| milestone_from_row(row),
    )
}

/// Every one-off bank holiday, in the caller's read.
pub(crate) fn extra_holidays(tx: &Transaction<'_>) -> StoreResult<Vec<ExtraHoliday>> {
    query_rows(
        tx,
        "SELECT date, name FROM extra_holidays ORDER BY date",
        [],
        |row| {
            Ok(ExtraHoliday {
                date: date(row, "date")?,
                name: text(row, "name")?,
            })
        },
    )
}

#[async_trait]
impl TimelineStore for SqliteStore {
    #[tracing::instrument(level = "debug", name = "store.local_milestones", skip_all)]
    async fn local_milestones(&self) -> StoreResult<Vec<LocalMilestone>> {
        self.blocking.read(local_milestones).await
    }

    #[tracing::instrument(level = "debug", name = "store.extra_holidays", skip_all)]
    async fn extra_holidays(&self) -> StoreResult<Vec<ExtraHoliday>> {
        self.blocking.read(extra_holidays).await
    }
}
