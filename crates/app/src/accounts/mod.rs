//! Accounts: registering, confirming the email address, the two-step sign-in,
//! forgotten passwords, My Account and authenticator apps (DESIGN ACC-1 to ACC-7).
//!
//! Every use case here writes its change, its audit event and its emails in one
//! store call. Responses never tell a stranger whether an email address has an
//! account: registering with a used address, asking for a reset link for an
//! unknown one, or signing in with either, look the same from outside. After
//! registering with a used address, wrong codes and "Please send me a new code"
//! are counted by a [`StandInCode`] to the same limits as a real code.

use rand::Rng;
use send_domain::{
    Account, Actor, AuditAction, AuditEvent, AuditOutcome, CodePurpose, CodeState, CodeText, Email,
    OneTimeCode, OneTimeCodeId, UserId,
};
use send_store::Effects;
use serde::{Deserialize, Serialize};

use crate::audit::Source;
use crate::ids::new_uuid;
use crate::tokens::{SecretToken, constant_time_eq, hash_token};
use crate::{App, AppError, AppResult};

mod authenticator;
mod profile;
mod register;
mod reset;
mod sign_in;

pub use authenticator::{AuthenticatorSetup, OtherSessions, RECOVERY_CODE_COUNT, SecondStepChange};
pub use profile::{ChangePassword, DetailsChange, EmailChangeOutcome, StartEmailChange};
pub use register::Registration;
pub use reset::ResetOutcome;
pub use sign_in::{PasswordStep, SecondStepOutcome};

/// A code that was sent and is awaited: kept in the visitor's session between the
/// page that sent it and the page where it is entered. `attempt` is the secret that
/// binds the code to this session; `account_id` is `None` when nothing was really
/// sent (a registration with an address that already has an account), and then no
/// code is ever accepted, and `stand_in` counts what a real code would have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingCode {
    pub account_id: Option<UserId>,
    pub purpose: CodePurpose,
    pub attempt: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stand_in: Option<StandInCode>,
}

/// What stands in for the code of a registration with an address that already
/// has an account. Nothing was sent, but wrong entries, the code's lifetime and
/// "Please send me a new code" are counted as for a real code (the same limits,
/// in the same order), so the answers cannot tell a stranger that the address
/// has an account. It lives in the visitor's session, as the attempt does.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandInCode {
    /// When each code was "sent" within the sending window, oldest first.
    pub sent_at: Vec<time::OffsetDateTime>,
    /// Wrong entries since the newest one.
    pub wrong_attempts: u32,
}

impl StandInCode {
    /// As [`App::check_code`] answers a wrong code: voided after too many wrong
    /// entries, expired after its lifetime, else one more wrong entry.
    fn enter_wrong_code(&mut self, now: time::OffsetDateTime) -> CodeOutcome {
        let Some(newest) = self.sent_at.last() else {
            return CodeOutcome::Expired;
        };
        if self.wrong_attempts >= OneTimeCode::MAX_WRONG_ATTEMPTS {
            return CodeOutcome::TooManyWrong;
        }
        if now >= *newest + OneTimeCode::LIFETIME {
            return CodeOutcome::Expired;
        }
        self.wrong_attempts += 1;
        if self.wrong_attempts >= OneTimeCode::MAX_WRONG_ATTEMPTS {
            CodeOutcome::TooManyWrong
        } else {
            CodeOutcome::Wrong
        }
    }

    /// As [`App::resend_code`] answers: refused once as many codes were sent in
    /// the window as a real account may have; else a new code, with no wrong
    /// entries yet.
    fn send_again(&mut self, now: time::OffsetDateTime) -> ResendOutcome {
        let since = now - OneTimeCode::SENDING_WINDOW;
        self.sent_at.retain(|at| *at >= since);
        if u32::try_from(self.sent_at.len()).unwrap_or(u32::MAX) >= OneTimeCode::MAX_SENT_IN_WINDOW
        {
            return ResendOutcome::TooMany;
        }
        self.sent_at.push(now);
        self.wrong_attempts = 0;
        ResendOutcome::Sent
    }
}

/// What entering a code came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeOutcome {
    Accepted(Box<Account>),
    Wrong,
    /// Expired, already used, or replaced by a newer code.
    Expired,
    /// Too many wrong codes: this code no longer works.
    TooManyWrong,
}

impl CodeOutcome {
    /// The error message for a refused code, as shown beside the code box.
    pub fn message(&self) -> &'static str {
        match self {
            Self::Accepted(_) => "",
            Self::Wrong => "The code is not correct. Check the email and try again",
            Self::Expired => {
                "The code has expired or has already been used. Select ‘Please send me a new code’"
            }
            Self::TooManyWrong => {
                "The code has been entered wrongly too many times. Select ‘Please send me a new code’"
            }
        }
    }
}

/// What asking for a new code came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResendOutcome {
    Sent,
    /// Too many codes were sent in the last hour.
    TooMany,
}

/// A code ready to store, and the digits to put in the email.
pub(crate) struct FreshCode {
    pub code: OneTimeCode,
    pub digits: String,
}

fn code_hash(id: OneTimeCodeId, digits: &str) -> send_domain::TokenHash {
    hash_token(&format!("{id}:{digits}"))
}

impl App {
    /// The account, or `NotFound`.
    #[tracing::instrument(skip_all, fields(account_id = %id))]
    pub async fn account(&self, id: UserId) -> AppResult<Account> {
        self.store
            .account_by_id(id)
            .await?
            .ok_or(AppError::NotFound)
    }

    pub(crate) fn account_event(
        &self,
        actor: Actor,
        action: AuditAction,
        outcome: AuditOutcome,
        account: Option<UserId>,
        source: &Source,
    ) -> AuditEvent {
        let mut event = self.audit_event(actor, action, outcome, source);
        event.subject = account.map(|id| format!("account:{id}"));
        event
    }

    /// A new random 6-digit code for `account`, bound to the attempt.
    pub(crate) fn fresh_code(
        &self,
        account: UserId,
        purpose: CodePurpose,
        attempt: &str,
        new_email: Option<Email>,
    ) -> FreshCode {
        let digits = format!("{:06}", rand::rng().random_range(0..1_000_000_u32));
        let id = OneTimeCodeId::from_uuid(new_uuid(self.clock.as_ref()));
        let now = self.clock.now();
        FreshCode {
            code: OneTimeCode {
                id,
                account_id: account,
                purpose,
                code_hash: code_hash(id, &digits),
                attempt_hash: hash_token(attempt),
                new_email,
                created_at: now,
                expires_at: now + OneTimeCode::LIFETIME,
                wrong_attempts: 0,
                used_at: None,
            },
            digits,
        }
    }

    /// A new attempt secret and the pending code that carries it.
    pub(crate) fn new_pending(account: Option<UserId>, purpose: CodePurpose) -> PendingCode {
        PendingCode {
            account_id: account,
            purpose,
            attempt: SecretToken::generate().expose().to_owned(),
            stand_in: None,
        }
    }

    /// The pending code of a registration with an address that already has an
    /// account: nothing was sent, and a stand-in counts as if it had been.
    pub(crate) fn stand_in_pending(&self) -> PendingCode {
        PendingCode {
            stand_in: Some(StandInCode {
                sent_at: vec![self.clock.now()],
                wrong_attempts: 0,
            }),
            ..Self::new_pending(None, CodePurpose::VerifyEmail)
        }
    }

    /// A wrong code entered for a stand-in (every code is wrong for one).
    pub(crate) fn check_stand_in(&self, pending: &mut PendingCode) -> CodeOutcome {
        let now = self.clock.now();
        pending
            .stand_in
            .get_or_insert_default()
            .enter_wrong_code(now)
    }

    /// Checks a typed code against the newest code sent for this attempt. A wrong
    /// code is counted (and audited) at once; a right one is returned for the caller
    /// to use in the same store call as its effect.
    pub(crate) async fn check_code(
        &self,
        pending: &PendingCode,
        typed: &CodeText,
        source: &Source,
    ) -> AppResult<Result<OneTimeCode, CodeOutcome>> {
        let Some(account_id) = pending.account_id else {
            return Ok(Err(CodeOutcome::Wrong));
        };
        let Some(code) = self
            .store
            .current_code(account_id, pending.purpose, &hash_token(&pending.attempt))
            .await?
        else {
            return Ok(Err(CodeOutcome::Expired));
        };
        match code.state_at(self.clock.now()) {
            CodeState::Usable => {}
            CodeState::Expired | CodeState::Used => return Ok(Err(CodeOutcome::Expired)),
            CodeState::Voided => return Ok(Err(CodeOutcome::TooManyWrong)),
        }
        let presented = code_hash(code.id, typed.as_str());
        if constant_time_eq(
            presented.as_hex().as_bytes(),
            code.code_hash.as_hex().as_bytes(),
        ) {
            return Ok(Ok(code));
        }
        let mut event = self.account_event(
            Actor::Anonymous,
            action_for(pending.purpose),
            AuditOutcome::Failed,
            Some(account_id),
            source,
        );
        event.detail = Some("wrong code".to_owned());
        let wrong = self
            .store
            .record_wrong_code(code.id, &Effects::audit(event))
            .await?;
        Ok(Err(if wrong >= OneTimeCode::MAX_WRONG_ATTEMPTS {
            CodeOutcome::TooManyWrong
        } else {
            CodeOutcome::Wrong
        }))
    }

    /// "Please send me a new code": a new code for the same attempt, unless too many
    /// were sent in the last hour. With no account behind the attempt nothing is
    /// sent, and its stand-in counts the codes as if they had been, so the answer
    /// is the same.
    #[tracing::instrument(skip_all, fields(account_id = pending.account_id.map(tracing::field::display)))]
    pub async fn resend_code(
        &self,
        pending: &mut PendingCode,
        source: &Source,
    ) -> AppResult<ResendOutcome> {
        let Some(account_id) = pending.account_id else {
            let now = self.clock.now();
            return Ok(pending.stand_in.get_or_insert_default().send_again(now));
        };
        let now = self.clock.now();
        let sent = self
            .store
            .codes_issued_since(
                account_id,
                pending.purpose,
                now - OneTimeCode::SENDING_WINDOW,
            )
            .await?;
        if sent >= OneTimeCode::MAX_SENT_IN_WINDOW {
            return Ok(ResendOutcome::TooMany);
        }
        let account = self.account(account_id).await?;
        let new_email = if pending.purpose == CodePurpose::ChangeEmail {
            let current = self
                .store
                .current_code(account_id, pending.purpose, &hash_token(&pending.attempt))
                .await?;
            match current.and_then(|code| code.new_email) {
                Some(address) => Some(address),
                None => return Ok(ResendOutcome::TooMany),
            }
        } else {
            None
        };
        let to = new_email.clone().unwrap_or_else(|| account.email.clone());
        let fresh = self.fresh_code(account_id, pending.purpose, &pending.attempt, new_email);
        let email = self
            .code_email_for(&account, pending.purpose, to, &fresh.digits)
            .await?;
        let mut event = self.account_event(
            Actor::Anonymous,
            action_for(pending.purpose),
            AuditOutcome::Succeeded,
            Some(account_id),
            source,
        );
        event.detail = Some("new code sent".to_owned());
        self.store
            .issue_code(&fresh.code, &Effects::audit(event).with_email(email))
            .await?;
        Ok(ResendOutcome::Sent)
    }

    pub(crate) async fn code_email_for(
        &self,
        account: &Account,
        purpose: CodePurpose,
        to: Email,
        digits: &str,
    ) -> AppResult<send_domain::OutgoingEmail> {
        let kind = match purpose {
            CodePurpose::VerifyEmail => "verification_code",
            CodePurpose::SignIn => "sign_in_code",
            CodePurpose::ChangeEmail => "new_email_code",
        };
        Ok(self.council_email(
            &*self.texts().await?,
            kind,
            to,
            Some(account.name.clone()),
            &[("code", digits)],
        ))
    }

    /// An email about the account, in the council's wording of
    /// `email.<kind>`, to `to` (the account's address, or its old one).
    pub(crate) async fn notice_email(
        &self,
        account: &Account,
        to: Email,
        kind: &str,
        values: &[(&str, &str)],
    ) -> AppResult<send_domain::OutgoingEmail> {
        Ok(self.council_email(
            &*self.texts().await?,
            kind,
            to,
            Some(account.name.clone()),
            values,
        ))
    }
}

/// The audit action under which a code of this purpose is checked.
fn action_for(purpose: CodePurpose) -> AuditAction {
    match purpose {
        CodePurpose::VerifyEmail => AuditAction::EmailVerified,
        CodePurpose::SignIn => AuditAction::SignInSecondStep,
        CodePurpose::ChangeEmail => AuditAction::EmailChanged,
    }
}

#[cfg(test)]
mod tests {
    use time::Duration;
    use time::macros::datetime;

    use super::*;

    #[test]
    fn a_stand_in_code_is_voided_by_five_wrong_entries_and_expires_like_a_real_one() {
        let sent = datetime!(2026-01-05 09:00 UTC);
        let mut code = StandInCode {
            sent_at: vec![sent],
            wrong_attempts: 0,
        };
        for _ in 0..4 {
            assert_eq!(code.enter_wrong_code(sent), CodeOutcome::Wrong);
        }
        assert_eq!(code.enter_wrong_code(sent), CodeOutcome::TooManyWrong);
        let later = sent + OneTimeCode::LIFETIME;
        assert_eq!(
            code.enter_wrong_code(later),
            CodeOutcome::TooManyWrong,
            "voided before expired, as `OneTimeCode::state_at`"
        );
        assert_eq!(code.send_again(later), ResendOutcome::Sent);
        assert_eq!(code.enter_wrong_code(later), CodeOutcome::Wrong);
        assert_eq!(
            code.enter_wrong_code(later + OneTimeCode::LIFETIME),
            CodeOutcome::Expired
        );
    }

    #[test]
    fn a_stand_in_code_allows_five_codes_an_hour_counted_over_the_last_hour() {
        let first = datetime!(2026-01-05 09:00 UTC);
        let mut code = StandInCode {
            sent_at: vec![first],
            wrong_attempts: 0,
        };
        for minutes in 1..=4 {
            assert_eq!(
                code.send_again(first + Duration::minutes(minutes)),
                ResendOutcome::Sent
            );
        }
        assert_eq!(
            code.send_again(first + Duration::minutes(59)),
            ResendOutcome::TooMany
        );
        // An hour after the first, it no longer counts: one more may be sent.
        let hour = first + OneTimeCode::SENDING_WINDOW + Duration::seconds(1);
        assert_eq!(code.send_again(hour), ResendOutcome::Sent);
        assert_eq!(code.send_again(hour), ResendOutcome::TooMany);
    }
}
