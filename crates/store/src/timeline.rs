//! What a council adds to the statutory timeline: its own milestones, and
//! one-off bank holidays (a state funeral, a coronation) announced after release.

use async_trait::async_trait;
use send_domain::milestones::LocalMilestone;
use time::Date;

use crate::StoreResult;

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

    /// Every added holiday, by date.
    async fn extra_holidays(&self) -> StoreResult<Vec<ExtraHoliday>>;
}
