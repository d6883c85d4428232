//! Involvements: assessments, plans and re-assessments, with their recorded
//! dates, deadlines met and exceptions.

use async_trait::async_trait;
use send_domain::involvements::Involvement;
use send_domain::{Child, ChildId, InvolvementId, TeamId, UserId};

use crate::{ChronologyEntry, Effects, StoreResult};

/// Which open involvements a caseload lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseloadQuery {
    /// Only this caseworker's ("my cases").
    pub caseworker: Option<UserId>,
    /// Only children of these teams (`None`: every team).
    pub teams: Option<Vec<TeamId>>,
}

#[async_trait]
pub trait InvolvementStore: Send + Sync {
    /// Stores a new involvement (with its events, completions and exceptions), a
    /// chronology entry and the effects.
    async fn insert_involvement(
        &self,
        involvement: &Involvement,
        entry: &ChronologyEntry,
        effects: &Effects,
    ) -> StoreResult<()>;

    /// Writes every field of `involvement` but its id, child, kind and opening
    /// time, replacing its events, completions and exceptions, with a chronology
    /// entry. `NotFound` if it does not exist.
    async fn update_involvement(
        &self,
        involvement: &Involvement,
        entry: &ChronologyEntry,
        effects: &Effects,
    ) -> StoreResult<()>;

    async fn involvement(&self, id: InvolvementId) -> StoreResult<Option<Involvement>>;

    /// The child's involvements, newest opened first.
    async fn involvements_of_child(&self, child: ChildId) -> StoreResult<Vec<Involvement>>;

    /// Involvements not yet closed (see `Stage::is_closed`) matching the query,
    /// each with its child, oldest opened first.
    async fn open_involvements(
        &self,
        query: &CaseloadQuery,
    ) -> StoreResult<Vec<(Involvement, Child)>>;
}
