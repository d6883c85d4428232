//! Accounts, one-time codes, password resets, recovery codes and sign-in throttles.

use async_trait::async_trait;
use send_domain::{
    Account, CodePurpose, Email, OneTimeCode, OneTimeCodeId, PasswordHash, PasswordResetToken,
    StaffSetupLinkId, ThrottleState, TokenHash, UserId,
};
use time::OffsetDateTime;

use crate::{Effects, StoreResult};

/// A new account and what is written with it.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub account: Account,
    /// A first code to send (email verification), if any.
    pub code: Option<OneTimeCode>,
    /// The staff set-up link this account completes; it is marked used in the same
    /// transaction, and the whole write is refused (`Conflict`) if it was used already.
    pub setup_link: Option<StaffSetupLinkId>,
    /// Hashes of recovery codes for the account's authenticator app.
    pub recovery_codes: Vec<TokenHash>,
}

/// A new password for an account.
#[derive(Debug, Clone)]
pub struct PasswordChange {
    pub account_id: UserId,
    pub new_hash: PasswordHash,
    pub changed_at: OffsetDateTime,
    /// The reset link being used, if any: marked used in the same transaction, and
    /// the change is refused (`Conflict`) if the link was used already.
    pub reset_token: Option<TokenHash>,
    /// Every session of the account is ended except this one (`None`: all of them).
    pub keep_session: Option<TokenHash>,
}

#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Stores a new account. `Conflict { constraint: "accounts_email" }` if the
    /// email address is taken.
    async fn insert_account(&self, new: &NewAccount, effects: &Effects) -> StoreResult<()>;

    async fn account_by_id(&self, id: UserId) -> StoreResult<Option<Account>>;

    async fn account_by_email(&self, email: &Email) -> StoreResult<Option<Account>>;

    /// Writes every field of `account` but its id, kind, password and creation time.
    /// `NotFound` if it does not exist; `Conflict { constraint: "accounts_email" }`
    /// if its new email address is taken.
    async fn update_account(&self, account: &Account, effects: &Effects) -> StoreResult<()>;

    /// Moves the current password into the history, sets the new one and ends the
    /// account's other sessions, in one transaction.
    async fn change_password(&self, change: &PasswordChange, effects: &Effects) -> StoreResult<()>;

    /// Previous passwords (not the current one), newest first, at most `limit`.
    async fn previous_passwords(&self, id: UserId, limit: u32) -> StoreResult<Vec<PasswordHash>>;

    /// Stores a new code. Earlier unused codes of the same account and purpose stop
    /// working (only the newest code counts).
    async fn issue_code(&self, code: &OneTimeCode, effects: &Effects) -> StoreResult<()>;

    /// The newest code of this account and purpose, if it belongs to this attempt.
    async fn current_code(
        &self,
        account: UserId,
        purpose: CodePurpose,
        attempt_hash: &TokenHash,
    ) -> StoreResult<Option<OneTimeCode>>;

    /// How many codes of this account and purpose were issued at or after `since`.
    async fn codes_issued_since(
        &self,
        account: UserId,
        purpose: CodePurpose,
        since: OffsetDateTime,
    ) -> StoreResult<u32>;

    /// Counts one wrong entry against a code, with its audit event; returns the new count.
    async fn record_wrong_code(&self, id: OneTimeCodeId, effects: &Effects) -> StoreResult<u32>;

    /// Marks a code used and, in the same transaction, applies `account` (for
    /// example the verified address) and the effects. Returns `false`, writing
    /// nothing, if the code was used meanwhile.
    async fn use_code(
        &self,
        id: OneTimeCodeId,
        used_at: OffsetDateTime,
        account: Option<&Account>,
        effects: &Effects,
    ) -> StoreResult<bool>;

    async fn insert_reset_token(
        &self,
        token: &PasswordResetToken,
        effects: &Effects,
    ) -> StoreResult<()>;

    async fn reset_token(&self, hash: &TokenHash) -> StoreResult<Option<PasswordResetToken>>;

    /// How many reset links were issued for the account at or after `since`.
    async fn reset_tokens_issued_since(
        &self,
        account: UserId,
        since: OffsetDateTime,
    ) -> StoreResult<u32>;

    /// Replaces the account's recovery codes with new ones and applies `account`
    /// (the authenticator app being set up) in one transaction.
    async fn replace_recovery_codes(
        &self,
        account: &Account,
        hashes: &[TokenHash],
        effects: &Effects,
    ) -> StoreResult<()>;

    /// Marks one unused recovery code used. `false` if no unused code has this hash.
    async fn use_recovery_code(
        &self,
        account: UserId,
        hash: &TokenHash,
        used_at: OffsetDateTime,
        effects: &Effects,
    ) -> StoreResult<bool>;

    async fn unused_recovery_codes(&self, account: UserId) -> StoreResult<u32>;

    /// Records the authenticator time step just accepted. Returns `false` if this
    /// step (or a later one) was already used: a code works only once.
    async fn record_totp_step(
        &self,
        account: UserId,
        step: u64,
        effects: &Effects,
    ) -> StoreResult<bool>;

    /// Failed attempts counted against `key` (such as `email:<hash>` or `address:<ip>`).
    async fn throttle(&self, key: &str) -> StoreResult<Option<ThrottleState>>;

    async fn set_throttle(&self, key: &str, state: &ThrottleState) -> StoreResult<()>;

    async fn clear_throttle(&self, key: &str) -> StoreResult<()>;
}
