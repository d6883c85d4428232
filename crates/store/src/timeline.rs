//! What a council adds to the statutory timeline: its own milestones, and
//! one-off bank holidays (a state funeral, a coronation) announced after release.

use async_trait::async_trait;
use send_domain::milestones::LocalMilestone;
use time::Date;

use crate::{Effects, StoreResult};

/// A one-off bank holiday an administrator added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraHoliday {
    pub date: Date,
    pub name: String,
}

#[async_trait]
pub trait TimelineStore: Send + Sync {
    /// Every local milestone, by kind then title.
    async fn local_milestones(&self) -> StoreResult<Vec<LocalMilestone>>;

    /// Adds one. `Conflict { constraint: "local_milestones_code" }` if its code is taken.
    async fn insert_local_milestone(
        &self,
        milestone: &LocalMilestone,
        effects: &Effects,
    ) -> StoreResult<()>;

    /// Removes one by code. `NotFound` if there is none.
    async fn delete_local_milestone(&self, code: &str, effects: &Effects) -> StoreResult<()>;

    /// Every added holiday, by date.
    async fn extra_holidays(&self) -> StoreResult<Vec<ExtraHoliday>>;

    /// Adds one. `Conflict { constraint: "extra_holidays_date" }` if that date has one.
    async fn insert_extra_holiday(
        &self,
        holiday: &ExtraHoliday,
        effects: &Effects,
    ) -> StoreResult<()>;
}
