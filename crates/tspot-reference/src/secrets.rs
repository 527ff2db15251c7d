//! Passwords, session ids and tokens: argon2id for passwords, 256-bit random tokens stored only
//! as SHA-256 digests, constant-time comparison for the trusted-authentication secret.

use std::sync::Mutex;

use argon2::password_hash::PasswordHasher;
use argon2::password_hash::phc::PasswordHash;
use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::Engine;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// What can fail in making a secret: the hasher, or the system's randomness.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("hashing a password: {0}")]
    Hash(argon2::password_hash::Error),
    #[error("no randomness: {0}")]
    Random(getrandom::Error),
}

/// Hashes a password with argon2id and a random salt (PHC string format).
pub fn hash_password(password: &str) -> Result<String, SecretError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(SecretError::Hash)
}

/// Checks a password against a stored PHC hash; a malformed hash never matches.
///
/// Verification reuses argon2's working memory (~19 MiB) from a small pool instead of
/// allocating it per call: the allocator keeps freed blocks of that size, so a storm of failed
/// sign-ins used to leave gigabytes behind. The pool holds at most one block set per
/// verification running at once, which the hashing pool bounds.
pub fn verify_password(password: &str, hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(parsed.algorithm.as_str()) else {
        return false;
    };
    let version = match parsed.version.map(Version::try_from) {
        None => Version::default(),
        Some(Ok(version)) => version,
        Some(Err(_)) => return false,
    };
    let blocks = params.block_count();
    let argon2 = Argon2::new(algorithm, version, params);
    let mut out = vec![0u8; expected.as_bytes().len()];
    let mut memory = take_memory(blocks);
    let hashed = argon2.hash_password_into_with_memory(
        password.as_bytes(),
        &salt,
        &mut out,
        &mut memory[..],
    );
    give_back_memory(memory);
    hashed.is_ok() && bool::from(out.as_slice().ct_eq(expected.as_bytes()))
}

static MEMORY: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());

fn take_memory(blocks: usize) -> Vec<Block> {
    let reused = MEMORY.lock().unwrap_or_else(|p| p.into_inner()).pop();
    let mut memory = reused.unwrap_or_default();
    memory.resize(blocks, Block::default());
    memory
}

fn give_back_memory(memory: Vec<Block>) {
    let mut kept = MEMORY.lock().unwrap_or_else(|p| p.into_inner());
    // One set per hash that runs at once by default (the cores but one): more are freed.
    if kept.len() < crate::hashing::default_concurrency() {
        kept.push(memory);
    }
}

/// Spends the time of one verification, so an unknown user name answers as slowly as a wrong
/// password and does not reveal that the user does not exist.
pub fn verify_against_nothing(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash_password("not a password").unwrap_or_default());
    let _ = verify_password(password, dummy);
}

/// A fresh 256-bit random token, URL- and cookie-safe.
pub fn random_token() -> Result<String, SecretError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(SecretError::Random)?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// What the store keeps of a token.
pub fn digest(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn constant_time_eq(a: &str, b: &str) -> bool {
    // Compare digests so the lengths are equal too and the secret's length does not leak.
    digest(a).as_bytes().ct_eq(digest(b).as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ_per_salt() {
        let a = hash_password("s3cret").unwrap();
        let b = hash_password("s3cret").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b);
        assert!(verify_password("s3cret", &a));
        assert!(!verify_password("S3cret", &a));
        assert!(!verify_password("s3cret", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_stored_as_digests() {
        let a = random_token().unwrap();
        assert_ne!(a, random_token().unwrap());
        assert_eq!(a.len(), 43);
        assert_eq!(digest(&a).len(), 64);
        assert!(constant_time_eq(&a, &a.clone()));
        assert!(!constant_time_eq(&a, "x"));
    }
}
