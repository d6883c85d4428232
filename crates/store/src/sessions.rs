//! Server-side sessions.

use async_trait::async_trait;
use send_domain::{ActiveSession, SessionRecord, TokenHash, UserId};
use time::OffsetDateTime;

use crate::StoreResult;

#[async_trait]
pub trait SessionRecordStore: Send + Sync {
    /// Stores a new session; `Conflict` if its id is taken.
    async fn insert_session(&self, record: &SessionRecord) -> StoreResult<()>;

    /// Updates an existing session's account, data and last activity. Returns
    /// `false`, writing nothing, when the session no longer exists (it was ended
    /// meanwhile): an ended session is never brought back.
    async fn update_session(&self, record: &SessionRecord) -> StoreResult<bool>;

    /// Moves only a session's last activity to `seen_at` (its account and data
    /// stay as they are). Returns `false`, writing nothing, when the session no
    /// longer exists.
    async fn touch_session(
        &self,
        id_hash: &TokenHash,
        seen_at: OffsetDateTime,
    ) -> StoreResult<bool>;

    async fn load_session(&self, id_hash: &TokenHash) -> StoreResult<Option<SessionRecord>>;

    async fn delete_session(&self, id_hash: &TokenHash) -> StoreResult<()>;

    /// Ends every session of `account` but `keep` (the one making the change).
    /// Returns how many were ended.
    async fn delete_sessions_of_account(
        &self,
        account: UserId,
        keep: Option<&TokenHash>,
    ) -> StoreResult<u64>;

    /// The account's sessions last active at or after `seen_since` and begun at
    /// or after `created_since` (those still live), most recently active first.
    async fn sessions_of_account(
        &self,
        account: UserId,
        seen_since: OffsetDateTime,
        created_since: OffsetDateTime,
    ) -> StoreResult<Vec<ActiveSession>>;

    /// Removes sessions idle since before `seen_before` or begun before
    /// `created_before` (the periodic clean-up). Returns how many.
    async fn delete_expired_sessions(
        &self,
        seen_before: OffsetDateTime,
        created_before: OffsetDateTime,
    ) -> StoreResult<u64>;
}
