//! Authenticator apps (TOTP, RFC 6238: 6 digits, 30-second steps, SHA-1, one step
//! of clock drift allowed) and the recovery codes that stand in for a lost phone.

use qrcode::QrCode;
use qrcode::render::svg;
use rand::Rng;
use send_domain::{
    Account, Actor, AuditAction, AuditOutcome, SecondFactor, TokenHash, TotpEnrolment, UserId,
};
use send_store::Effects;
use totp_rs::{Algorithm, Secret, Totp};

use crate::audit::Source;
use crate::tokens::hash_token;
use crate::{App, AppError, AppResult, passwords};

/// How many recovery codes are made at once.
pub const RECOVERY_CODE_COUNT: usize = 10;

/// Characters of recovery codes: no 0/O, 1/I/L, so they can be read out and typed.
const RECOVERY_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// Whether changing how one signs in also ends the account's other sessions
/// (offered after every change of the second step, ASVS 7.4.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OtherSessions {
    Keep,
    /// End every session of the account but `this_session` (the one making the
    /// change, when it has an id).
    End {
        this_session: Option<TokenHash>,
    },
}

/// What changing the second step came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecondStepChange {
    /// Changed. For a new authenticator app: the recovery codes to show once.
    Done { recovery_codes: Vec<String> },
    /// The password was wrong: nothing changed.
    WrongPassword,
    /// The code from the new app was wrong: nothing changed.
    WrongCode,
    /// Back-office accounts must use an authenticator app.
    NotAllowed,
}

/// What the set-up page shows: the secret as text and as a QR code.
#[derive(Debug, Clone)]
pub struct AuthenticatorSetup {
    /// Base32, for typing into the app; kept in the session until confirmed.
    pub secret: String,
    /// The `otpauth://` address the QR code holds.
    pub url: String,
    /// The QR code as an SVG image.
    pub qr_svg: String,
}

fn totp(secret_base32: &str, account_name: &str, issuer: &str) -> AppResult<Totp> {
    let secret = Secret::try_from_base32(secret_base32)
        .map_err(AppError::internal_with("authenticator secret"))?;
    let issuer = issuer.replace(':', " ");
    let account_name = account_name.replace(':', " ");
    totp_rs::Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret)
        .with_issuer(Some(issuer))
        .with_account_name(account_name)
        .build()
        .map_err(AppError::internal_with("authenticator"))
}

/// The stored form of a recovery code as typed: case, spaces and hyphens ignored.
pub fn recovery_code_hash(typed: &str) -> TokenHash {
    let squashed: String = typed
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    hash_token(&format!("recovery:{squashed}"))
}

/// Characters in a recovery code: 25 from an alphabet of 31 carry about 124
/// bits, above the 112 at which ASVS 6.5.2 lets a code be stored as a plain
/// SHA-256 hash rather than a slow, salted password hash. (Codes given before
/// they grew from 10 characters keep working until used or replaced.)
const RECOVERY_CODE_CHARS: usize = 25;

/// A new recovery code, in groups of five: `ABCDE-FGHJK-MNPQR-STUVW-XYZ23`.
fn new_recovery_code() -> String {
    let mut rng = rand::rng();
    let chars: Vec<char> = (0..RECOVERY_CODE_CHARS)
        .map(|_| char::from(RECOVERY_ALPHABET[rng.random_range(0..RECOVERY_ALPHABET.len())]))
        .collect();
    chars
        .chunks(5)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

impl App {
    fn issuer(&self) -> String {
        format!("{} SEND Portal", self.settings.council_name)
    }

    /// A new secret for `email`'s authenticator app, with its QR code.
    pub fn new_authenticator(&self, email: &send_domain::Email) -> AppResult<AuthenticatorSetup> {
        let mut bytes = [0_u8; 20];
        rand::rng().fill(&mut bytes);
        let secret = Secret::from(bytes.to_vec()).to_base32();
        self.authenticator_setup(&secret, email)
    }

    /// The set-up page's content for an existing secret (the page shown again).
    pub fn authenticator_setup(
        &self,
        secret: &str,
        email: &send_domain::Email,
    ) -> AppResult<AuthenticatorSetup> {
        let url = totp(secret, email.as_str(), &self.issuer())?
            .to_url()
            .map_err(AppError::internal_with("authenticator url"))?;
        let qr_svg = QrCode::new(url.as_bytes())
            .map_err(AppError::internal_with("qr code"))?
            .render::<svg::Color<'_>>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build();
        Ok(AuthenticatorSetup {
            secret: secret.to_owned(),
            url,
            qr_svg,
        })
    }

    /// The time step a typed code matches now, if any.
    pub(crate) fn totp_step(&self, account: &Account, secret: &str, typed: &str) -> Option<u64> {
        let typed: String = typed.chars().filter(char::is_ascii_digit).collect();
        let now = u64::try_from(self.clock.now().unix_timestamp()).ok()?;
        let totp = totp(secret, account.email.as_str(), &self.issuer()).ok()?;
        totp.check(&typed, now)
    }

    /// Whether `typed` is the current code for `secret` (checking a new app before it
    /// is saved).
    pub fn authenticator_code_matches(
        &self,
        secret: &str,
        email: &send_domain::Email,
        typed: &str,
    ) -> bool {
        let typed: String = typed.chars().filter(char::is_ascii_digit).collect();
        let Ok(now) = u64::try_from(self.clock.now().unix_timestamp()) else {
            return false;
        };
        totp(secret, email.as_str(), &self.issuer())
            .ok()
            .and_then(|t| t.check(&typed, now))
            .is_some()
    }

    /// New recovery codes: the codes to show once, and their hashes to store.
    pub(crate) fn new_recovery_codes() -> (Vec<String>, Vec<TokenHash>) {
        let codes: Vec<String> = (0..RECOVERY_CODE_COUNT)
            .map(|_| new_recovery_code())
            .collect();
        let hashes = codes.iter().map(|c| recovery_code_hash(c)).collect();
        (codes, hashes)
    }

    /// Checks the account's password before a change to its second step; a wrong
    /// one is audited (as for changing the email address) and `false`.
    async fn second_step_password(
        &self,
        account: &Account,
        password: &str,
        source: &Source,
    ) -> AppResult<bool> {
        if passwords::verify(password, Some(account.password_hash.clone())).await? {
            return Ok(true);
        }
        let mut event = self.account_event(
            Actor::User(account.id),
            AuditAction::SecondFactorChanged,
            AuditOutcome::Failed,
            Some(account.id),
            source,
        );
        event.detail = Some("wrong password".to_owned());
        self.store.record_audit_event(&event).await?;
        Ok(false)
    }

    /// Ends the account's other sessions if asked to, after a change.
    async fn end_other_sessions(&self, account: UserId, sessions: &OtherSessions) -> AppResult<()> {
        if let OtherSessions::End { this_session } = sessions {
            self.store
                .delete_sessions_of_account(account, this_session.as_ref())
                .await?;
        }
        Ok(())
    }

    /// Switches an account to its authenticator app once the account's password
    /// is right and a code from the app matches; the account's other sessions end
    /// if asked. Returns the new recovery codes to show once.
    #[tracing::instrument(skip_all, fields(account_id = %account_id))]
    pub async fn enable_authenticator(
        &self,
        account_id: UserId,
        secret: &str,
        typed: &str,
        password: &str,
        sessions: OtherSessions,
        source: &Source,
    ) -> AppResult<SecondStepChange> {
        let mut account = self.account(account_id).await?;
        if !self
            .second_step_password(&account, password, source)
            .await?
        {
            return Ok(SecondStepChange::WrongPassword);
        }
        if !self.authenticator_code_matches(secret, &account.email, typed) {
            return Ok(SecondStepChange::WrongCode);
        }
        let step = self.totp_step(&account, secret, typed);
        let now = self.clock.now();
        account.totp = Some(TotpEnrolment {
            secret_base32: secret.to_owned(),
            last_used_step: step,
        });
        account.second_factor = SecondFactor::Authenticator;
        account.updated_at = now;
        let (codes, hashes) = Self::new_recovery_codes();
        let actor = Actor::User(account.id);
        let mut changed = self.account_event(
            actor,
            AuditAction::SecondFactorChanged,
            AuditOutcome::Succeeded,
            Some(account.id),
            source,
        );
        changed.detail = Some(SecondFactor::Authenticator.code().to_owned());
        let issued = self.account_event(
            actor,
            AuditAction::RecoveryCodesIssued,
            AuditOutcome::Succeeded,
            Some(account.id),
            source,
        );
        let mail = self
            .notice_email(&account, account.email.clone(), "authenticator_set_up", &[])
            .await?;
        let effects = Effects {
            audit: vec![changed, issued],
            emails: vec![mail],
        };
        self.store
            .replace_recovery_codes(&account, &hashes, &effects)
            .await?;
        self.end_other_sessions(account.id, &sessions).await?;
        Ok(SecondStepChange::Done {
            recovery_codes: codes,
        })
    }

    /// Switches back to codes by email once the account's password is right; the
    /// account's other sessions end if asked. Refused for staff accounts, which
    /// must use an authenticator app.
    #[tracing::instrument(skip_all, fields(account_id = %account_id))]
    pub async fn use_email_codes(
        &self,
        account_id: UserId,
        password: &str,
        sessions: OtherSessions,
        source: &Source,
    ) -> AppResult<SecondStepChange> {
        let mut account = self.account(account_id).await?;
        if !account.may_use_email_codes() {
            return Ok(SecondStepChange::NotAllowed);
        }
        if !self
            .second_step_password(&account, password, source)
            .await?
        {
            return Ok(SecondStepChange::WrongPassword);
        }
        account.second_factor = SecondFactor::EmailCode;
        account.totp = None;
        account.updated_at = self.clock.now();
        let mut event = self.account_event(
            Actor::User(account.id),
            AuditAction::SecondFactorChanged,
            AuditOutcome::Succeeded,
            Some(account.id),
            source,
        );
        event.detail = Some(SecondFactor::EmailCode.code().to_owned());
        self.store
            .replace_recovery_codes(&account, &[], &Effects::audit(event))
            .await?;
        self.end_other_sessions(account.id, &sessions).await?;
        Ok(SecondStepChange::Done {
            recovery_codes: Vec::new(),
        })
    }

    /// How many recovery codes the account has left.
    #[tracing::instrument(skip_all, fields(account_id = %account_id))]
    pub async fn recovery_codes_left(&self, account_id: UserId) -> AppResult<u32> {
        Ok(self.store.unused_recovery_codes(account_id).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_codes_are_readable_and_match_however_typed() {
        let code = new_recovery_code();
        assert_eq!(code.len(), 29, "{code}");
        assert_eq!(code.split('-').map(str::len).collect::<Vec<_>>(), [5; 5]);
        // At least 2^112 codes: 31^25 is about 2^124.
        let alphabet = u128::try_from(RECOVERY_ALPHABET.len()).unwrap_or(0);
        let length = u32::try_from(RECOVERY_CODE_CHARS).unwrap_or(0);
        assert!(
            alphabet.checked_pow(length).is_some_and(|n| n >= 1 << 112),
            "at least 112 bits"
        );
        assert!(!code.contains(['0', 'O', '1', 'I', 'L']));
        let typed = code.to_lowercase().replace('-', " ");
        assert_eq!(recovery_code_hash(&typed), recovery_code_hash(&code));
        assert_ne!(recovery_code_hash("AAAAA-AAAAA"), recovery_code_hash(&code));
    }
}
