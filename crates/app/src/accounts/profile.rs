//! My Account: name and contact details, password, email address.

use send_domain::{
    Actor, AuditAction, AuditOutcome, CodePurpose, CodeText, Email, PasswordError, PersonName,
    PhoneNumber, ProfessionalDetails, TokenHash, UserId,
};
use send_store::{Effects, PasswordChange, StoreError};

use super::{CodeOutcome, PendingCode};
use crate::audit::Source;
use crate::passwords;
use crate::{App, AppResult};

/// New name and contact details, already checked.
#[derive(Debug, Clone)]
pub struct DetailsChange {
    pub name: PersonName,
    pub phone: Option<PhoneNumber>,
    /// For a professional account; ignored for others.
    pub professional: Option<ProfessionalDetails>,
}

/// What changing the password came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangePassword {
    Done,
    WrongCurrentPassword,
    Refused(PasswordError),
}

/// What asking to change the email address came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartEmailChange {
    /// A code was sent to the new address.
    CodeSent(PendingCode),
    WrongPassword,
    SameAddress,
    TooManyCodes,
}

/// What confirming a new email address came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmailChangeOutcome {
    Changed,
    Code(CodeOutcome),
    /// Another account has this address now.
    Taken,
}

impl App {
    #[tracing::instrument(skip_all, fields(account_id = %account_id))]
    pub async fn update_details(
        &self,
        account_id: UserId,
        change: DetailsChange,
        source: &Source,
    ) -> AppResult<()> {
        let mut account = self.account(account_id).await?;
        account.name = change.name;
        account.phone = change.phone;
        if let (Some(_), Some(details)) = (&account.professional, change.professional) {
            account.professional = Some(details);
        }
        account.updated_at = self.clock.now();
        let event = self.account_event(
            Actor::User(account.id),
            AuditAction::AccountDetailsChanged,
            AuditOutcome::Succeeded,
            Some(account.id),
            source,
        );
        self.store
            .update_account(&account, &Effects::audit(event))
            .await?;
        Ok(())
    }

    /// Changes the password (the current one is needed). Every other session of the
    /// account ends; `keep_session` is the one making the change.
    #[tracing::instrument(skip_all, fields(account_id = %account_id))]
    pub async fn change_password(
        &self,
        account_id: UserId,
        current: &str,
        new: &str,
        keep_session: Option<TokenHash>,
        source: &Source,
    ) -> AppResult<ChangePassword> {
        let account = self.account(account_id).await?;
        if !passwords::verify(current, Some(account.password_hash.clone())).await? {
            let event = self.account_event(
                Actor::User(account.id),
                AuditAction::PasswordChanged,
                AuditOutcome::Failed,
                Some(account.id),
                source,
            );
            self.store.record_audit_event(&event).await?;
            return Ok(ChangePassword::WrongCurrentPassword);
        }
        let password = match self.check_replacement_password(&account, new).await? {
            Ok(password) => password,
            Err(refused) => return Ok(ChangePassword::Refused(refused)),
        };
        let change = PasswordChange {
            account_id: account.id,
            new_hash: passwords::hash(password).await?,
            changed_at: self.clock.now(),
            reset_token: None,
            keep_session,
        };
        let event = self.account_event(
            Actor::User(account.id),
            AuditAction::PasswordChanged,
            AuditOutcome::Succeeded,
            Some(account.id),
            source,
        );
        let mail = self.password_changed_email(&account).await?;
        self.store
            .change_password(&change, &Effects::audit(event).with_email(mail))
            .await?;
        Ok(ChangePassword::Done)
    }

    /// Sends a code to a new email address; the address changes once it is entered.
    #[tracing::instrument(skip_all, fields(account_id = %account_id))]
    pub async fn start_email_change(
        &self,
        account_id: UserId,
        new_email: Email,
        current_password: &str,
        source: &Source,
    ) -> AppResult<StartEmailChange> {
        let account = self.account(account_id).await?;
        if !passwords::verify(current_password, Some(account.password_hash.clone())).await? {
            let mut event = self.account_event(
                Actor::User(account.id),
                AuditAction::EmailChanged,
                AuditOutcome::Failed,
                Some(account.id),
                source,
            );
            event.detail = Some("wrong password".to_owned());
            self.store.record_audit_event(&event).await?;
            return Ok(StartEmailChange::WrongPassword);
        }
        if new_email == account.email {
            return Ok(StartEmailChange::SameAddress);
        }
        let now = self.clock.now();
        let sent = self
            .store
            .codes_issued_since(
                account.id,
                CodePurpose::ChangeEmail,
                now - send_domain::OneTimeCode::SENDING_WINDOW,
            )
            .await?;
        if sent >= send_domain::OneTimeCode::MAX_SENT_IN_WINDOW {
            return Ok(StartEmailChange::TooManyCodes);
        }
        let pending = Self::new_pending(Some(account.id), CodePurpose::ChangeEmail);
        let fresh = self.fresh_code(
            account.id,
            CodePurpose::ChangeEmail,
            &pending.attempt,
            Some(new_email.clone()),
        );
        let mail = self
            .code_email_for(&account, CodePurpose::ChangeEmail, new_email, &fresh.digits)
            .await?;
        let mut event = self.account_event(
            Actor::User(account.id),
            AuditAction::EmailChanged,
            AuditOutcome::Succeeded,
            Some(account.id),
            source,
        );
        event.detail = Some("code sent to the new address".to_owned());
        self.store
            .issue_code(&fresh.code, &Effects::audit(event).with_email(mail))
            .await?;
        Ok(StartEmailChange::CodeSent(pending))
    }

    /// Confirms the new address with its code; the old address is told.
    #[tracing::instrument(skip_all, fields(account_id = %account_id))]
    pub async fn confirm_email_change(
        &self,
        account_id: UserId,
        pending: &PendingCode,
        typed: &CodeText,
        source: &Source,
    ) -> AppResult<EmailChangeOutcome> {
        if pending.purpose != CodePurpose::ChangeEmail || pending.account_id != Some(account_id) {
            return Ok(EmailChangeOutcome::Code(CodeOutcome::Expired));
        }
        let code = match self.check_code(pending, typed, source).await? {
            Ok(code) => code,
            Err(refused) => return Ok(EmailChangeOutcome::Code(refused)),
        };
        let Some(new_email) = code.new_email.clone() else {
            return Ok(EmailChangeOutcome::Code(CodeOutcome::Expired));
        };
        let mut account = self.account(account_id).await?;
        let old_email = account.email.clone();
        let notice = self
            .notice_email(&account, old_email, "email_changed", &[])
            .await?;
        let now = self.clock.now();
        account.email = new_email;
        account.email_verified_at = Some(now);
        account.updated_at = now;
        let event = self.account_event(
            Actor::User(account.id),
            AuditAction::EmailChanged,
            AuditOutcome::Succeeded,
            Some(account.id),
            source,
        );
        match self
            .store
            .use_code(
                code.id,
                now,
                Some(&account),
                &Effects::audit(event).with_email(notice),
            )
            .await
        {
            Ok(true) => Ok(EmailChangeOutcome::Changed),
            Ok(false) => Ok(EmailChangeOutcome::Code(CodeOutcome::Expired)),
            Err(StoreError::Conflict { .. }) => Ok(EmailChangeOutcome::Taken),
            Err(err) => Err(err.into()),
        }
    }
}
