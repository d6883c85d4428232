//! Forgotten password: an emailed single-use link (30 minutes) to set a new one.
//! Setting it ends every session of the account.

use send_domain::{
    Account, Actor, AuditAction, AuditOutcome, Email, NewPassword, PasswordError,
    PasswordResetToken,
};
use send_store::{Effects, PasswordChange, StoreError};

use crate::audit::Source;
use crate::passwords::{self, StoredHistory};
use crate::tokens::{SecretToken, hash_token};
use crate::{App, AppResult};

/// Reset links sent to one account within an hour, at most.
pub const MAX_RESET_LINKS_PER_HOUR: u32 = 3;

/// What setting a password through a link came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResetOutcome {
    Done,
    /// The link is unknown, expired or used.
    LinkUnusable,
    /// The new password breaks the policy.
    Refused(PasswordError),
}

impl App {
    /// Emails a reset link if the address has an account (and not too many were sent
    /// this hour). The caller shows the same page whatever happened.
    #[tracing::instrument(skip_all)]
    pub async fn request_password_reset(
        &self,
        typed_email: &str,
        source: &Source,
    ) -> AppResult<()> {
        let Ok(email) = Email::parse(typed_email) else {
            return Ok(());
        };
        let Some(account) = self.store.account_by_email(&email).await? else {
            let mut event = self.audit_event(
                Actor::Anonymous,
                AuditAction::PasswordResetRequested,
                AuditOutcome::Failed,
                source,
            );
            event.detail = Some("no account".to_owned());
            self.store.record_audit_event(&event).await?;
            return Ok(());
        };
        let now = self.clock.now();
        let recent = self
            .store
            .reset_tokens_issued_since(account.id, now - time::Duration::hours(1))
            .await?;
        let mut event = self.account_event(
            Actor::Anonymous,
            AuditAction::PasswordResetRequested,
            AuditOutcome::Succeeded,
            Some(account.id),
            source,
        );
        if recent >= MAX_RESET_LINKS_PER_HOUR {
            event.outcome = AuditOutcome::Refused;
            event.detail = Some("too many links this hour".to_owned());
            self.store.record_audit_event(&event).await?;
            return Ok(());
        }
        let token = SecretToken::generate();
        let record = PasswordResetToken {
            token_hash: token.hash(),
            account_id: account.id,
            created_at: now,
            expires_at: now + PasswordResetToken::LIFETIME,
            used_at: None,
        };
        let url = self.link(&format!("/reset-password/{}", token.expose()));
        let mail = self
            .notice_email(
                &account,
                account.email.clone(),
                "password_reset",
                &[("link", url.as_str())],
            )
            .await?;
        self.store
            .insert_reset_token(&record, &Effects::audit(event).with_email(mail))
            .await?;
        Ok(())
    }

    /// The account a reset link is for, if the link can still be used.
    #[tracing::instrument(skip_all)]
    pub async fn reset_link_account(&self, token: &str) -> AppResult<Option<Account>> {
        let Some(record) = self.store.reset_token(&hash_token(token)).await? else {
            return Ok(None);
        };
        if !record.is_usable_at(self.clock.now()) {
            return Ok(None);
        }
        Ok(self.store.account_by_id(record.account_id).await?)
    }

    /// Sets a new password through a reset link. Every session of the account ends.
    #[tracing::instrument(skip_all)]
    pub async fn reset_password(
        &self,
        token: &str,
        typed_password: &str,
        source: &Source,
    ) -> AppResult<ResetOutcome> {
        let Some(account) = self.reset_link_account(token).await? else {
            return Ok(ResetOutcome::LinkUnusable);
        };
        let password = match self
            .check_replacement_password(&account, typed_password)
            .await?
        {
            Ok(password) => password,
            Err(refused) => return Ok(ResetOutcome::Refused(refused)),
        };
        let new_hash = passwords::hash(password).await?;
        let event = self.account_event(
            Actor::Anonymous,
            AuditAction::PasswordReset,
            AuditOutcome::Succeeded,
            Some(account.id),
            source,
        );
        let mail = self.password_changed_email(&account).await?;
        let change = PasswordChange {
            account_id: account.id,
            new_hash,
            changed_at: self.clock.now(),
            reset_token: Some(hash_token(token)),
            keep_session: None,
        };
        match self
            .store
            .change_password(&change, &Effects::audit(event).with_email(mail))
            .await
        {
            Ok(()) => Ok(ResetOutcome::Done),
            Err(StoreError::Conflict { .. }) => Ok(ResetOutcome::LinkUnusable),
            Err(err) => Err(err.into()),
        }
    }

    /// Checks a new password for an existing account: the policy, and its current
    /// and previous passwords.
    pub(crate) async fn check_replacement_password(
        &self,
        account: &Account,
        typed: &str,
    ) -> AppResult<Result<NewPassword, PasswordError>> {
        let policy = &self.settings.password_policy;
        let history = StoredHistory {
            current: Some(account.password_hash.clone()),
            previous: self
                .store
                .previous_passwords(
                    account.id,
                    u32::try_from(policy.history_len()).unwrap_or(u32::MAX),
                )
                .await?,
        };
        passwords::check_new(
            typed,
            policy,
            &self.settings.council_name,
            &account.email,
            history,
        )
        .await
    }

    pub(crate) async fn password_changed_email(
        &self,
        account: &Account,
    ) -> AppResult<send_domain::OutgoingEmail> {
        self.notice_email(account, account.email.clone(), "password_changed", &[])
            .await
    }
}
