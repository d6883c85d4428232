//! Secret tokens for single-use links: 32 random bytes, shown once as hex, stored
//! only as their SHA-256 hash.

use rand::RngCore;
use send_domain::TokenHash;
use sha2::{Digest, Sha256};

/// A token as given to a person. Its `Debug` hides the value.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretToken(String);

impl std::fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretToken(..)")
    }
}

impl SecretToken {
    pub fn generate() -> Self {
        let mut bytes = [0_u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        Self(hex::encode(bytes))
    }

    /// The token as it goes into a link.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> TokenHash {
        hash_token(&self.0)
    }
}

/// Whether `presented` has the shape [`SecretToken::generate`] makes: 64
/// lower-case hex characters. Anything else cannot be one of ours.
pub fn is_well_formed(presented: &str) -> bool {
    presented.len() == 64
        && presented
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The stored form of a token someone presents. Any text hashes: a wrong token
/// simply finds nothing.
pub fn hash_token(presented: &str) -> TokenHash {
    let digest = Sha256::digest(presented.as_bytes());
    // A SHA-256 digest is always 64 lowercase hex characters.
    TokenHash::from_hex(&hex::encode(digest)).unwrap_or_else(|_| unreachable!("sha-256 hex"))
}

/// Compares two secrets in time that depends only on their length.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0_u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hash_consistently() {
        let a = SecretToken::generate();
        let b = SecretToken::generate();
        assert_ne!(a, b);
        assert_eq!(a.expose().len(), 64);
        assert_eq!(a.hash(), hash_token(a.expose()));
        assert_ne!(a.hash(), b.hash());
        assert!(!format!("{a:?}").contains(a.expose()));
    }

    #[test]
    fn made_tokens_are_well_formed_and_nothing_else_is() {
        assert!(is_well_formed(SecretToken::generate().expose()));
        assert!(is_well_formed(&"0123456789abcdef".repeat(4)));
        for bad in [
            String::new(),
            "a".repeat(63),
            "a".repeat(65),
            "A".repeat(64),
            format!("{}g", "a".repeat(63)),
            format!("{}\r\n", "a".repeat(62)),
            format!("{}/", "a".repeat(63)),
        ] {
            assert!(!is_well_formed(&bad), "{bad:?}");
        }
    }
}
