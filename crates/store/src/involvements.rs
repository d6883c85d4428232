//! Involvements: assessments, plans and re-assessments, with their recorded
//! dates, deadlines met and exceptions.

use async_trait::async_trait;
use send_domain::involvements::Involvement;
use send_domain::{Child, ChildId, InvolvementId, TeamId, UserId};

use crate::StoreResult;

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
