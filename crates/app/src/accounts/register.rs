//! Registering a portal account, and confirming its email address with a code.

use send_domain::{
    Account, AccountKind, Actor, AuditAction, AuditOutcome, CodePurpose, CodeText, Email,
    NewPassword, PersonName, PhoneNumber, ProfessionalDetails, SecondFactor, UserId,
};
use send_store::{Changes, Effects, NewAccount, StoreError};

use super::{CodeOutcome, PendingCode};
use crate::audit::Source;
use crate::ids::new_uuid;
use crate::{App, AppResult, passwords};

/// "You already have an account" emails sent to one account within the window.
pub const MAX_NOTICES_IN_WINDOW: u32 = 3;
const NOTICE_WINDOW: time::Duration = time::Duration::hours(1);

/// What the registration form gathered, already checked.
#[derive(Debug)]
pub struct Registration {
    pub name: PersonName,
    pub phone: Option<PhoneNumber>,
    /// Present when "Is this account being used in a professional capacity" was ticked.
    pub professional: Option<ProfessionalDetails>,
    pub email: Email,
    pub password: NewPassword,
}

impl App {
    /// Registers an unverified account and emails it a verification code. If the
    /// address already has an account, that account is emailed instead and nothing
    /// is created; the caller cannot tell the two apart, so neither can a stranger.
    #[tracing::instrument(skip_all)]
    pub async fn register(
        &self,
        registration: Registration,
        source: &Source,
    ) -> AppResult<PendingCode> {
        let Registration {
            name,
            phone,
            professional,
            email,
            password,
        } = registration;
        // Hash first in every case, so both answers take as long.
        let password_hash = passwords::hash(password).await?;
        if let Some(existing) = self.store.account_by_email(&email).await? {
            return self.tell_existing_account(&existing, source).await;
        }
        let now = self.clock.now();
        let id = UserId::from_uuid(new_uuid(self.clock.as_ref()));
        let kind = if professional.is_some() {
            AccountKind::Professional
        } else {
            AccountKind::Citizen
        };
        let account = Account {
            id,
            kind,
            email: email.clone(),
            name,
            phone,
            professional,
            staff_role: None,
            password_hash,
            second_factor: SecondFactor::EmailCode,
            totp: None,
            email_verified_at: None,
            created_at: now,
            updated_at: now,
        };
        let pending = Self::new_pending(Some(id), CodePurpose::VerifyEmail);
        let fresh = self.fresh_code(id, CodePurpose::VerifyEmail, &pending.attempt, None);
        let mail = self
            .code_email_for(&account, CodePurpose::VerifyEmail, email, &fresh.digits)
            .await?;
        let mut event = self.account_event(
            Actor::Anonymous,
            AuditAction::AccountRegistered,
            AuditOutcome::Succeeded,
            Some(id),
            source,
        );
        event.detail = Some(format!("kind {}", kind.code()));
        let new = NewAccount {
            account,
            code: Some(fresh.code),
            setup_link: None,
            recovery_codes: Vec::new(),
        };
        match self
            .store
            .insert_account(&new, &Effects::audit(event).with_email(mail))
            .await
        {
            Ok(()) => Ok(pending),
            // Registered a moment ago by someone else: as for any used address.
            Err(StoreError::Conflict { .. }) => {
                match self.store.account_by_email(&new.account.email).await? {
                    Some(existing) => self.tell_existing_account(&existing, source).await,
                    None => Ok(self.stand_in_pending()),
                }
            }
            Err(err) => Err(err.into()),
        }
    }

    async fn tell_existing_account(
        &self,
        existing: &Account,
        source: &Source,
    ) -> AppResult<PendingCode> {
        // At most a few of these emails an hour, so registering with someone else's
        // address over and over cannot flood their inbox. The answer is the same.
        let key = format!("register-notice:{}", existing.id);
        let now = self.clock.now();
        let sent = self.store.throttle(&key).await?;
        let recent = sent.filter(|s| now - s.last_failure_at < NOTICE_WINDOW);
        if recent.is_some_and(|s| s.failures >= MAX_NOTICES_IN_WINDOW) {
            let mut event = self.account_event(
                Actor::Anonymous,
                AuditAction::AccountRegistered,
                AuditOutcome::Refused,
                Some(existing.id),
                source,
            );
            event.detail = Some("address already registered; notice not sent again".to_owned());
            self.store.record_audit_event(&event).await?;
            return Ok(self.stand_in_pending());
        }
        let count = recent.map_or(0, |s| s.failures);
        self.store
            .set_throttle(
                &key,
                &send_domain::ThrottleState {
                    failures: count + 1,
                    last_failure_at: recent.map_or(now, |s| s.last_failure_at),
                },
            )
            .await?;
        let sign_in = self.link("/sign-in");
        let mail = self
            .notice_email(
                existing,
                existing.email.clone(),
                "already_registered",
                &[("link", sign_in.as_str())],
            )
            .await?;
        let mut event = self.account_event(
            Actor::Anonymous,
            AuditAction::AccountRegistered,
            AuditOutcome::Refused,
            Some(existing.id),
            source,
        );
        event.detail = Some("address already registered".to_owned());
        self.store
            .commit(&Changes::effects(Effects::audit(event).with_email(mail)))
            .await?;
        Ok(self.stand_in_pending())
    }

    /// Checks the verification code. When it is right the address is confirmed and
    /// the person is signed in (they have shown their password and their email).
    /// For a registration with an address that already has an account, every code
    /// is wrong, counted in `pending` as a real one would be.
    #[tracing::instrument(skip_all, fields(account_id = pending.account_id.map(tracing::field::display)))]
    pub async fn verify_email(
        &self,
        pending: &mut PendingCode,
        typed: &CodeText,
        source: &Source,
    ) -> AppResult<CodeOutcome> {
        if pending.account_id.is_none() {
            return Ok(self.check_stand_in(pending));
        }
        let code = match self.check_code(pending, typed, source).await? {
            Ok(code) => code,
            Err(refused) => return Ok(refused),
        };
        let now = self.clock.now();
        let mut account = self.account(code.account_id).await?;
        account.email_verified_at = Some(now);
        account.updated_at = now;
        let actor = Actor::User(account.id);
        let verified = self.account_event(
            actor,
            AuditAction::EmailVerified,
            AuditOutcome::Succeeded,
            Some(account.id),
            source,
        );
        let signed_in = self.account_event(
            actor,
            AuditAction::SignedIn,
            AuditOutcome::Succeeded,
            Some(account.id),
            source,
        );
        let effects = Effects {
            audit: vec![verified, signed_in],
            emails: Vec::new(),
        };
        if self
            .store
            .use_code(code.id, now, Some(&account), &effects)
            .await?
        {
            Ok(CodeOutcome::Accepted(Box::new(account)))
        } else {
            Ok(CodeOutcome::Expired)
        }
    }
}
