//! Signing in: the password ("Submit"), then a second step ("Finish"): a code sent
//! by email, or a code from an authenticator app, or a recovery code.
//!
//! Failed passwords are counted per email address (whether or not it has an
//! account, so a locked-out address says nothing about who is registered) and per
//! source address; each count brings growing delays and then a lockout.

use send_domain::{
    Account, Actor, AuditAction, AuditOutcome, CodePurpose, CodeText, Email, SecondFactor,
    ThrottleDecision, ThrottlePolicy, UserId,
};
use send_store::Effects;
use time::OffsetDateTime;

use super::{CodeOutcome, PendingCode};
use crate::audit::Source;
use crate::tokens::hash_token;
use crate::{App, AppResult, passwords};

/// Where the password step leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordStep {
    /// Wrong email address or password (the same answer for both).
    Refused,
    /// Too many failures: no password is checked until `until`.
    Throttled { until: OffsetDateTime },
    /// The account's address was never confirmed: a verification code was sent.
    VerifyEmail(PendingCode),
    /// A sign-in code was sent by email.
    EmailCode(PendingCode),
    /// The account uses an authenticator app.
    Authenticator { account_id: UserId },
    /// A back-office account with no authenticator app: it cannot finish signing in.
    NoSecondStep,
    /// The right password, but an administrator has deactivated or disabled
    /// the account: it may not sign in.
    Disabled,
}

/// What the authenticator or recovery code step came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecondStepOutcome {
    Accepted(Box<Account>),
    Wrong,
    Throttled { until: OffsetDateTime },
}

fn email_key(typed: &str) -> String {
    // Keyed by what was typed (normalised), so unknown addresses lock out too.
    let normalised =
        Email::parse(typed).map_or_else(|_| typed.trim().to_lowercase(), |e| e.as_str().to_owned());
    format!("email:{}", hash_token(&normalised).as_hex())
}

fn address_key(source: &Source) -> Option<String> {
    source
        .0
        .as_ref()
        .map(|address| format!("address:{address}"))
}

fn second_step_key(account: UserId) -> String {
    format!("second-step:{account}")
}

impl App {
    async fn throttle_decision(
        &self,
        key: &str,
        policy: ThrottlePolicy,
    ) -> AppResult<ThrottleDecision> {
        let state = self.store.throttle(key).await?;
        Ok(policy.decide(state.as_ref(), self.clock.now()))
    }

    async fn count_failure(&self, key: &str, policy: ThrottlePolicy) -> AppResult<()> {
        let state = self.store.throttle(key).await?;
        let next = policy.after_failure(state.as_ref(), self.clock.now());
        self.store.set_throttle(key, &next).await?;
        Ok(())
    }

    /// The first step: email address and password.
    #[tracing::instrument(skip_all)]
    pub async fn sign_in_password(
        &self,
        typed_email: &str,
        typed_password: &str,
        source: &Source,
    ) -> AppResult<PasswordStep> {
        let email_key = email_key(typed_email);
        let address_key = address_key(source);
        let mut wait_until = None;
        let mut keys = vec![(email_key.clone(), ThrottlePolicy::PER_ACCOUNT)];
        if let Some(key) = &address_key {
            keys.push((key.clone(), ThrottlePolicy::PER_ADDRESS));
        }
        for (key, policy) in &keys {
            match self.throttle_decision(key, *policy).await? {
                ThrottleDecision::Allowed => {}
                ThrottleDecision::Wait { until } | ThrottleDecision::LockedOut { until } => {
                    wait_until = wait_until.max(Some(until));
                }
            }
        }
        let account = match Email::parse(typed_email) {
            Ok(email) => self.store.account_by_email(&email).await?,
            Err(_) => None,
        };
        let account_id = account.as_ref().map(|a| a.id);
        if let Some(until) = wait_until {
            let mut event = self.account_event(
                Actor::Anonymous,
                AuditAction::SignInPassword,
                AuditOutcome::Refused,
                account_id,
                source,
            );
            event.detail = Some("too many failed attempts".to_owned());
            self.store.record_audit_event(&event).await?;
            return Ok(PasswordStep::Throttled { until });
        }
        let right = passwords::verify(
            typed_password,
            account.as_ref().map(|a| a.password_hash.clone()),
        )
        .await?;
        let Some(account) = account.filter(|_| right) else {
            for (key, policy) in &keys {
                self.count_failure(key, *policy).await?;
            }
            let event = self.account_event(
                Actor::Anonymous,
                AuditAction::SignInPassword,
                AuditOutcome::Failed,
                account_id,
                source,
            );
            self.store.record_audit_event(&event).await?;
            return Ok(PasswordStep::Refused);
        };
        self.store.clear_throttle(&email_key).await?;
        if !self.may_sign_in(account.id).await? {
            self.refuse_disabled(account.id, AuditAction::SignInPassword, source)
                .await?;
            return Ok(PasswordStep::Disabled);
        }
        let event = self.account_event(
            Actor::Anonymous,
            AuditAction::SignInPassword,
            AuditOutcome::Succeeded,
            Some(account.id),
            source,
        );
        if account.email_verified_at.is_none() {
            let pending = self
                .send_code(&account, CodePurpose::VerifyEmail, event)
                .await?;
            return Ok(PasswordStep::VerifyEmail(pending));
        }
        match account.second_step() {
            Some(SecondFactor::EmailCode) => {
                let pending = self.send_code(&account, CodePurpose::SignIn, event).await?;
                Ok(PasswordStep::EmailCode(pending))
            }
            Some(SecondFactor::Authenticator) => {
                self.store.record_audit_event(&event).await?;
                Ok(PasswordStep::Authenticator {
                    account_id: account.id,
                })
            }
            None => {
                let mut refused = event;
                refused.outcome = AuditOutcome::Refused;
                refused.detail = Some("no authenticator app set up".to_owned());
                self.store.record_audit_event(&refused).await?;
                Ok(PasswordStep::NoSecondStep)
            }
        }
    }

    /// Sends a code of `purpose` to the account's address, with `event`, unless too
    /// many were sent in the last hour (then the earlier code is still the one to use).
    async fn send_code(
        &self,
        account: &Account,
        purpose: CodePurpose,
        event: send_domain::AuditEvent,
    ) -> AppResult<PendingCode> {
        let pending = Self::new_pending(Some(account.id), purpose);
        let now = self.clock.now();
        let sent = self
            .store
            .codes_issued_since(
                account.id,
                purpose,
                now - send_domain::OneTimeCode::SENDING_WINDOW,
            )
            .await?;
        if sent >= send_domain::OneTimeCode::MAX_SENT_IN_WINDOW {
            let mut refused = event;
            refused.detail = Some("code not sent: too many codes this hour".to_owned());
            self.store.record_audit_event(&refused).await?;
            return Ok(pending);
        }
        let fresh = self.fresh_code(account.id, purpose, &pending.attempt, None);
        let mail = self
            .code_email_for(account, purpose, account.email.clone(), &fresh.digits)
            .await?;
        self.store
            .issue_code(&fresh.code, &Effects::audit(event).with_email(mail))
            .await?;
        Ok(pending)
    }

    fn signed_in_effects(&self, account: &Account, how: &str, source: &Source) -> Effects {
        let mut event = self.account_event(
            Actor::User(account.id),
            AuditAction::SignedIn,
            AuditOutcome::Succeeded,
            Some(account.id),
            source,
        );
        event.detail = Some(how.to_owned());
        Effects::audit(event)
    }

    /// "Finish" with the code sent by email.
    #[tracing::instrument(skip_all, fields(account_id = pending.account_id.map(tracing::field::display)))]
    pub async fn finish_sign_in_with_code(
        &self,
        pending: &PendingCode,
        typed: &CodeText,
        source: &Source,
    ) -> AppResult<CodeOutcome> {
        if pending.purpose != CodePurpose::SignIn {
            return Ok(CodeOutcome::Expired);
        }
        let code = match self.check_code(pending, typed, source).await? {
            Ok(code) => code,
            Err(refused) => return Ok(refused),
        };
        let account = self.account(code.account_id).await?;
        if !self.may_sign_in(account.id).await? {
            self.refuse_disabled(account.id, AuditAction::SignInSecondStep, source)
                .await?;
            return Ok(CodeOutcome::Expired);
        }
        let effects = self.signed_in_effects(&account, "email code", source);
        if self
            .store
            .use_code(code.id, self.clock.now(), None, &effects)
            .await?
        {
            Ok(CodeOutcome::Accepted(Box::new(account)))
        } else {
            Ok(CodeOutcome::Expired)
        }
    }

    /// "Finish" with a code from the authenticator app.
    #[tracing::instrument(skip_all, fields(account_id = %account_id))]
    pub async fn finish_sign_in_with_authenticator(
        &self,
        account_id: UserId,
        typed: &str,
        source: &Source,
    ) -> AppResult<SecondStepOutcome> {
        let key = second_step_key(account_id);
        if let ThrottleDecision::Wait { until } | ThrottleDecision::LockedOut { until } = self
            .throttle_decision(&key, ThrottlePolicy::PER_ACCOUNT)
            .await?
        {
            return Ok(SecondStepOutcome::Throttled { until });
        }
        let account = self.account(account_id).await?;
        if !self.may_sign_in(account.id).await? {
            self.refuse_disabled(account.id, AuditAction::SignInSecondStep, source)
                .await?;
            return Ok(SecondStepOutcome::Wrong);
        }
        let step = account
            .totp
            .as_ref()
            .and_then(|totp| self.totp_step(&account, &totp.secret_base32, typed));
        if let Some(step) = step {
            let effects = self.signed_in_effects(&account, "authenticator app", source);
            if self
                .store
                .record_totp_step(account.id, step, &effects)
                .await?
            {
                self.store.clear_throttle(&key).await?;
                return Ok(SecondStepOutcome::Accepted(Box::new(account)));
            }
        }
        self.second_step_failed(&account, &key, "wrong authenticator code", source)
            .await
    }

    /// "Finish" with one of the recovery codes shown when the app was set up.
    #[tracing::instrument(skip_all, fields(account_id = %account_id))]
    pub async fn finish_sign_in_with_recovery_code(
        &self,
        account_id: UserId,
        typed: &str,
        source: &Source,
    ) -> AppResult<SecondStepOutcome> {
        let key = second_step_key(account_id);
        if let ThrottleDecision::Wait { until } | ThrottleDecision::LockedOut { until } = self
            .throttle_decision(&key, ThrottlePolicy::PER_ACCOUNT)
            .await?
        {
            return Ok(SecondStepOutcome::Throttled { until });
        }
        let account = self.account(account_id).await?;
        if !self.may_sign_in(account.id).await? {
            self.refuse_disabled(account.id, AuditAction::SignInSecondStep, source)
                .await?;
            return Ok(SecondStepOutcome::Wrong);
        }
        let hash = super::authenticator::recovery_code_hash(typed);
        let effects = self.signed_in_effects(&account, "recovery code", source);
        if self
            .store
            .use_recovery_code(account.id, &hash, self.clock.now(), &effects)
            .await?
        {
            self.store.clear_throttle(&key).await?;
            return Ok(SecondStepOutcome::Accepted(Box::new(account)));
        }
        self.second_step_failed(&account, &key, "wrong recovery code", source)
            .await
    }

    async fn second_step_failed(
        &self,
        account: &Account,
        key: &str,
        detail: &str,
        source: &Source,
    ) -> AppResult<SecondStepOutcome> {
        self.count_failure(key, ThrottlePolicy::PER_ACCOUNT).await?;
        let mut event = self.account_event(
            Actor::Anonymous,
            AuditAction::SignInSecondStep,
            AuditOutcome::Failed,
            Some(account.id),
            source,
        );
        event.detail = Some(detail.to_owned());
        self.store.record_audit_event(&event).await?;
        Ok(SecondStepOutcome::Wrong)
    }

    /// Whether the account may sign in (an administrator has not deactivated or
    /// disabled it).
    pub async fn may_sign_in(&self, account: UserId) -> AppResult<bool> {
        Ok(self
            .store
            .person(account)
            .await?
            .is_some_and(|p| p.status == send_domain::AccountStatus::Active))
    }

    async fn refuse_disabled(
        &self,
        account: UserId,
        action: AuditAction,
        source: &Source,
    ) -> AppResult<()> {
        let mut event = self.account_event(
            Actor::Anonymous,
            action,
            AuditOutcome::Refused,
            Some(account),
            source,
        );
        event.detail = Some("account disabled".to_owned());
        self.store.record_audit_event(&event).await?;
        Ok(())
    }

    /// Records a sign-out (the web layer ends the session).
    #[tracing::instrument(skip_all, fields(account_id = %account_id))]
    pub async fn signed_out(&self, account_id: UserId, source: &Source) -> AppResult<()> {
        let event = self.account_event(
            Actor::User(account_id),
            AuditAction::SignedOut,
            AuditOutcome::Succeeded,
            Some(account_id),
            source,
        );
        self.store.record_audit_event(&event).await?;
        Ok(())
    }

    /// The account's last sign-ins, newest first (My Account).
    #[tracing::instrument(skip_all, fields(account_id = %account_id))]
    pub async fn recent_sign_ins(
        &self,
        account_id: UserId,
        limit: u32,
    ) -> AppResult<Vec<send_domain::AuditEvent>> {
        let query = send_domain::AuditQuery {
            child_id: None,
            user_id: Some(account_id),
            action: Some(AuditAction::SignedIn),
            limit,
            ..send_domain::AuditQuery::default()
        };
        Ok(self.store.search_audit_events(&query).await?)
    }
}
