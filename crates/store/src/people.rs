//! People: the accounts an administrator looks after (staff, and portal
//! accounts of citizens and professionals), with whether each may sign in.

use std::collections::BTreeMap;

use async_trait::async_trait;
use send_domain::{Account, AccountStatus, UserId};
use time::OffsetDateTime;

use crate::{StaffMembership, StoreResult};

/// An account as the people pages show it: the account, and whether it may
/// sign in (with the reason and time of the last change, if it was changed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub account: Account,
    pub status: AccountStatus,
    pub status_reason: Option<String>,
    pub status_changed_at: Option<OffsetDateTime>,
}

#[async_trait]
pub trait PeopleStore: Send + Sync {
    /// Every member of staff, by name.
    async fn staff_people(&self) -> StoreResult<Vec<Person>>;

    /// Portal accounts (citizens and professionals) whose name or email address
    /// contains `search` (any case; `%` and `_` taken literally; empty: all), by
    /// name, at most `limit`.
    async fn portal_people(&self, search: &str, limit: u32) -> StoreResult<Vec<Person>>;

    /// One account with its status.
    async fn person(&self, id: UserId) -> StoreResult<Option<Person>>;

    /// Every member of staff's team and groups.
    async fn staff_memberships(&self) -> StoreResult<Vec<StaffMembership>>;

    /// When each member of staff last signed in (their newest
    /// `sign_in.completed` that succeeded); those who never did are left out.
    /// One query for the whole staff list.
    async fn staff_last_sign_ins(&self) -> StoreResult<BTreeMap<UserId, OffsetDateTime>>;
}
