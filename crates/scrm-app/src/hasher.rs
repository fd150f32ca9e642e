//! Passwords hashed with argon2id (the `argon2` crate, RustCrypto: maintained, pure Rust, PHC
//! strings), off the async threads.
//!
//! Each hash or check fills 19 MiB of argon2 memory. Done naively (a fresh allocation on any
//! blocking thread, as many at once as logins arrive), a burst of logins made the allocator
//! keep gigabytes resident: `make load` measured 1.6 GiB of RSS after 40 s. So at most one
//! computation per CPU runs at a time (more would only queue for the CPU anyway), and each
//! reuses a memory buffer from a small pool instead of allocating.

use std::sync::{LazyLock, Mutex, PoisonError};

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use async_trait::async_trait;
use rand::RngCore;
use scrm_domain::StoreError;
use scrm_domain::account::PasswordHasher;
use tokio::sync::Semaphore;

/// Largest argon2 memory a stored hash may ask for (256 MiB); larger ones do not verify.
const MAX_BLOCKS: usize = 256 * 1024;

/// One permit per CPU: the argon2 computations that may run at once.
static PERMITS: LazyLock<Semaphore> = LazyLock::new(|| {
    Semaphore::new(std::thread::available_parallelism().map_or(1, std::num::NonZero::get))
});

/// Memory buffers of finished computations, reused by the next ones (at most one per permit
/// is ever in use, so the pool holds at most one per CPU).
static BUFFERS: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());

/// Runs `f` with a buffer of at least `blocks` argon2 blocks from the pool.
fn with_buffer<T>(blocks: usize, f: impl FnOnce(&mut [Block]) -> T) -> T {
    let mut buffer = BUFFERS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .pop()
        .unwrap_or_default();
    if buffer.len() < blocks {
        buffer.resize(blocks, Block::new());
    }
    let out = f(&mut buffer[..blocks]);
    BUFFERS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(buffer);
    out
}

/// The argon2id `PasswordHasher` with the crate's default (OWASP) parameters.
#[derive(Debug, Default, Clone, Copy)]
pub struct Argon2Hasher;

impl Argon2Hasher {
    /// Hashes on the calling thread (for the CLI).
    ///
    /// # Errors
    /// When argon2 fails.
    pub fn hash_now(plain: &str) -> Result<String, StoreError> {
        let fail = |e: &dyn std::fmt::Display| StoreError::Unexpected(format!("argon2: {e}"));
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        let salt = SaltString::encode_b64(&bytes).map_err(|e| fail(&e))?;
        let params = Params::default();
        let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
        with_buffer(params.block_count(), |memory| {
            argon.hash_password_into_with_memory(plain.as_bytes(), &bytes, &mut out, memory)
        })
        .map_err(|e| fail(&e))?;
        let phc = PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(&params).map_err(|e| fail(&e))?,
            salt: Some(salt.as_salt()),
            hash: Some(Output::new(&out).map_err(|e| fail(&e))?),
        };
        Ok(phc.to_string())
    }

    /// Whether `plain` matches the PHC string `hash` (any argon2 variant, version and
    /// parameters up to `MAX_BLOCKS` of memory); the comparison is constant-time.
    fn verify_now(plain: &str, hash: &str) -> bool {
        let Ok(parsed) = PasswordHash::new(hash) else {
            return false;
        };
        let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
            return false;
        };
        let (Ok(algorithm), Ok(params)) = (
            Algorithm::try_from(parsed.algorithm),
            Params::try_from(&parsed),
        ) else {
            return false;
        };
        let Ok(version) = parsed.version.map_or(Ok(Version::V0x13), Version::try_from) else {
            return false;
        };
        let mut salt_bytes = [0u8; 64];
        let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
            return false;
        };
        if params.block_count() > MAX_BLOCKS {
            return false;
        }
        let mut out = vec![0u8; expected.len()];
        let argon = Argon2::new(algorithm, version, params.clone());
        with_buffer(params.block_count(), |memory| {
            argon.hash_password_into_with_memory(plain.as_bytes(), salt, &mut out, memory)
        })
        .is_ok()
            && Output::new(&out).is_ok_and(|out| out == expected)
    }

    /// Runs an argon2 computation on a blocking thread once a permit is free.
    async fn run<T: Send + 'static>(
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, StoreError> {
        let _permit = PERMITS
            .acquire()
            .await
            .map_err(|e| StoreError::Unexpected(format!("argon2 permits: {e}")))?;
        tokio::task::spawn_blocking(f)
            .await
            .map_err(|e| StoreError::Unexpected(format!("argon2 task: {e}")))
    }
}

#[async_trait]
impl PasswordHasher for Argon2Hasher {
    async fn hash(&self, plain: &str) -> Result<String, StoreError> {
        let plain = plain.to_owned();
        Self::run(move || Self::hash_now(&plain)).await?
    }

    async fn verify(&self, plain: &str, hash: &str) -> bool {
        let (plain, hash) = (plain.to_owned(), hash.to_owned());
        Self::run(move || Self::verify_now(&plain, &hash))
            .await
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};

    #[tokio::test]
    async fn hashes_verify_and_differ_by_salt() {
        let h = Argon2Hasher;
        let a = h.hash("密碼 pass").await.unwrap();
        let b = h.hash("密碼 pass").await.unwrap();
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert_ne!(a, b);
        assert!(h.verify("密碼 pass", &a).await);
        assert!(!h.verify("wrong", &a).await);
        assert!(!h.verify("密碼 pass", "not a hash").await);
        assert!(
            !h.verify("密碼 pass", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA")
                .await
        );
    }

    #[test]
    fn hashes_are_those_of_the_argon2_crate_both_ways() {
        // Ours checked by the crate's own verifier.
        let ours = Argon2Hasher::hash_now("pw-1").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default().verify_password(b"pw-1", &parsed).is_ok());
        // The crate's, with other parameters and variants, checked by ours.
        for (algorithm, m) in [(Algorithm::Argon2id, 8192), (Algorithm::Argon2i, 4096)] {
            let params = Params::new(m, 3, 1, Some(24)).unwrap();
            let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
            let theirs = Argon2::new(algorithm, Version::V0x13, params)
                .hash_password(b"pw-2", &salt)
                .unwrap()
                .to_string();
            assert!(Argon2Hasher::verify_now("pw-2", &theirs), "{theirs}");
            assert!(!Argon2Hasher::verify_now("pw-3", &theirs), "{theirs}");
        }
        // A stored hash asking for more memory than allowed does not verify.
        let huge = "$argon2id$v=19$m=4194304,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        assert!(!Argon2Hasher::verify_now("pw", huge));
    }

    #[tokio::test]
    async fn concurrent_checks_share_the_pool_and_all_answer() {
        let hash = Argon2Hasher::hash_now("together").unwrap();
        let checks = (0..8).map(|i| {
            let hash = hash.clone();
            tokio::spawn(async move {
                let plain = if i % 2 == 0 { "together" } else { "apart" };
                (i % 2 == 0, Argon2Hasher.verify(plain, &hash).await)
            })
        });
        for check in checks {
            let (want, got) = check.await.unwrap();
            assert_eq!(want, got);
        }
        // One buffer per computation that ran at once, never more than one per CPU.
        let pooled = BUFFERS.lock().unwrap().len();
        let cpus = std::thread::available_parallelism().unwrap().get();
        assert!(
            (1..=cpus).contains(&pooled),
            "{pooled} buffers for {cpus} CPUs"
        );
    }
}
