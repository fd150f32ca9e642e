//! Passwords hashed with argon2id (the `argon2` crate, RustCrypto: maintained, pure Rust, PHC
//! strings), off the async threads.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use async_trait::async_trait;
use rand::RngCore;
use scrm_domain::StoreError;
use scrm_domain::account::PasswordHasher;

/// The argon2id `PasswordHasher` with the crate's default (OWASP) parameters.
#[derive(Debug, Default, Clone, Copy)]
pub struct Argon2Hasher;

impl Argon2Hasher {
    /// Hashes on the calling thread (for the CLI).
    ///
    /// # Errors
    /// When argon2 fails.
    pub fn hash_now(plain: &str) -> Result<String, StoreError> {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        let salt = SaltString::encode_b64(&bytes)
            .map_err(|e| StoreError::Unexpected(format!("argon2 salt: {e}")))?;
        Argon2::default()
            .hash_password(plain.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| StoreError::Unexpected(format!("argon2: {e}")))
    }

    fn verify_now(plain: &str, hash: &str) -> bool {
        PasswordHash::new(hash).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(plain.as_bytes(), &parsed)
                .is_ok()
        })
    }
}

#[async_trait]
impl PasswordHasher for Argon2Hasher {
    async fn hash(&self, plain: &str) -> Result<String, StoreError> {
        let plain = plain.to_owned();
        tokio::task::spawn_blocking(move || Self::hash_now(&plain))
            .await
            .map_err(|e| StoreError::Unexpected(format!("argon2 task: {e}")))?
    }

    async fn verify(&self, plain: &str, hash: &str) -> bool {
        let (plain, hash) = (plain.to_owned(), hash.to_owned());
        tokio::task::spawn_blocking(move || Self::verify_now(&plain, &hash))
            .await
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_differ_by_salt() {
        let h = Argon2Hasher;
        let a = h.hash("密碼 pass").await.unwrap();
        let b = h.hash("密碼 pass").await.unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b);
        assert!(h.verify("密碼 pass", &a).await);
        assert!(!h.verify("wrong", &a).await);
        assert!(!h.verify("密碼 pass", "not a hash").await);
    }
}
