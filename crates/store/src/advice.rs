//! Requests for advice (DESIGN NTF-1) and the council's reminder schedules
//! (NTF-2). Writes are `Write::InsertAdviceRequest`, `UpdateAdviceRequest`
//! (guarded by [`ADVICE_REQUEST_CHANGED`]) and `SaveReminderSchedule`.

use async_trait::async_trait;
use send_domain::advice::{AdviceKind, AdviceRequest, ReminderSchedule};
use send_domain::{AdviceRequestId, ChildId, InvolvementId, TeamId, TokenHash, UserId};
use time::Date;

use crate::StoreResult;

/// The guard of [`crate::Write::UpdateAdviceRequest`]: someone else changed the
/// request first.
pub const ADVICE_REQUEST_CHANGED: &str = "advice_request_version";

#[async_trait]
pub trait AdviceStore: Send + Sync {
    /// One request. `NotFound` if there is none.
    async fn advice_request(&self, id: AdviceRequestId) -> StoreResult<AdviceRequest>;

    /// The request whose single-use link has this hash, if any.
    async fn advice_request_by_link(&self, hash: &TokenHash) -> StoreResult<Option<AdviceRequest>>;

    /// An involvement's requests, in the order they were sent.
    async fn advice_requests_of_involvement(
        &self,
        involvement: InvolvementId,
    ) -> StoreResult<Vec<AdviceRequest>>;

    /// A child's requests on every involvement, in the order they were sent.
    async fn advice_requests_of_child(&self, child: ChildId) -> StoreResult<Vec<AdviceRequest>>;

    /// The awaited requests addressed to a professional's account, soonest due
    /// first.
    async fn advice_requests_to(&self, professional: UserId) -> StoreResult<Vec<AdviceRequest>>;

    /// Awaited requests due before `today`, most overdue first, only of children on
    /// `team`'s caseload and only on involvements `caseworker` holds, if given, at
    /// most `limit`.
    async fn overdue_advice(
        &self,
        today: Date,
        team: Option<TeamId>,
        caseworker: Option<UserId>,
        limit: u32,
    ) -> StoreResult<Vec<AdviceRequest>>;

    /// The council's schedule for a kind of advice, or the default.
    async fn reminder_schedule(&self, kind: AdviceKind) -> StoreResult<ReminderSchedule>;
}
