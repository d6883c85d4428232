//! Password hashing: Argon2id with the crate's default (OWASP) parameters, run off
//! the async threads because it is deliberately slow. Each hash takes 19 MiB of
//! memory, so no more run at once than the machine has cores: a rush of sign-ins
//! waits its turn (the cores are busy anyway) rather than taking 19 MiB each.
//!
//! Passwords are normalised to Unicode NFC before they are checked and hashed, so
//! the same password typed on two keyboards that compose accents differently is
//! the same password.

use std::sync::{Arc, LazyLock};

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use send_domain::{
    CouncilName, Email, NewPassword, PasswordContext, PasswordError, PasswordHash, PasswordHistory,
    PasswordPolicy,
};
use unicode_normalization::UnicodeNormalization;

use crate::tokens::SecretToken;
use crate::{AppError, AppResult};

/// The password as it is checked and hashed.
pub fn normalise(typed: &str) -> String {
    typed.nfc().collect()
}

fn hash_now(password: &str) -> AppResult<PasswordHash> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| PasswordHash::from_phc(hash.to_string()))
        .map_err(AppError::internal_with("password hashing"))
}

fn verify_now(candidate: &str, hash: &PasswordHash) -> bool {
    Argon2::default()
        .verify_password(candidate.as_bytes(), hash.as_phc())
        .is_ok()
}

/// A hash of a random password, checked against when there is no account, so that
/// a wrong email address takes as long to refuse as a wrong password.
static DECOY: LazyLock<Option<PasswordHash>> =
    LazyLock::new(|| hash_now(SecretToken::generate().expose()).ok());

/// Turns to hash, one per core.
static TURNS: LazyLock<Arc<tokio::sync::Semaphore>> = LazyLock::new(|| {
    Arc::new(tokio::sync::Semaphore::new(
        std::thread::available_parallelism().map_or(2, usize::from),
    ))
});

/// Runs `work` on the blocking pool in its turn. The turn goes with the work,
/// so a request given up while hashing (the visitor left) still holds it
/// until the hash is done.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
    let turn = TURNS
        .clone()
        .acquire_owned()
        .await
        .map_err(AppError::internal_with("password turn"))?;
    tokio::task::spawn_blocking(move || {
        let done = work();
        drop(turn);
        done
    })
    .await
    .map_err(AppError::internal_with("password task"))
}

/// Hashes a password that met the policy.
pub async fn hash(password: NewPassword) -> AppResult<PasswordHash> {
    blocking(move || hash_now(password.expose_secret())).await?
}

/// Whether `typed` is the password behind `hash`. With no hash (no such account)
/// the same work is done against a decoy and the answer is `false`.
pub async fn verify(typed: &str, hash: Option<PasswordHash>) -> AppResult<bool> {
    let candidate = normalise(typed);
    blocking(move || {
        if let Some(hash) = hash {
            return verify_now(&candidate, &hash);
        }
        if let Some(decoy) = DECOY.as_ref() {
            verify_now(&candidate, decoy);
        }
        false
    })
    .await
}

/// An account's current and previous password hashes, as the policy's history rule
/// asks about them.
#[derive(Debug, Clone, Default)]
pub struct StoredHistory {
    pub current: Option<PasswordHash>,
    /// Newest first.
    pub previous: Vec<PasswordHash>,
}

impl PasswordHistory for StoredHistory {
    fn is_current(&self, candidate: &str) -> bool {
        self.current
            .as_ref()
            .is_some_and(|hash| verify_now(candidate, hash))
    }

    fn is_among_previous(&self, candidate: &str, count: usize) -> bool {
        self.previous
            .iter()
            .take(count)
            .any(|hash| verify_now(candidate, hash))
    }
}

/// Checks a typed password against the policy for this account (off the async
/// threads, since the history rule verifies hashes).
pub async fn check_new(
    typed: &str,
    policy: &PasswordPolicy,
    council: &CouncilName,
    email: &Email,
    history: StoredHistory,
) -> AppResult<Result<NewPassword, PasswordError>> {
    let candidate = normalise(typed);
    let (policy, council, email) = (*policy, council.clone(), email.clone());
    blocking(move || {
        NewPassword::parse(
            &candidate,
            &policy,
            &PasswordContext::new(&council, &email),
            &history,
        )
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only_and_is_argon2id() {
        let policy = PasswordPolicy::seed();
        let council = CouncilName::parse("Exampleshire Council").unwrap();
        let email = Email::parse("jo@example.com").unwrap();
        let password = check_new(
            "Correct-Horse-Battery-9",
            &policy,
            &council,
            &email,
            StoredHistory::default(),
        )
        .await
        .unwrap()
        .unwrap();
        let hash = hash(password).await.unwrap();
        assert!(hash.as_phc().starts_with("$argon2id$"));
        assert!(
            verify("Correct-Horse-Battery-9", Some(hash.clone()))
                .await
                .unwrap()
        );
        assert!(!verify("Correct-Horse-Battery-8", Some(hash)).await.unwrap());
        assert!(!verify("Correct-Horse-Battery-9", None).await.unwrap());
    }

    #[test]
    fn composed_and_decomposed_accents_are_the_same_password() {
        assert_eq!(normalise("Cafe\u{301}"), normalise("Caf\u{e9}"));
    }
}
