//! API tokens: a user signs requests with `Authorization: Bearer <token>`. Only a SHA-256 hash
//! of each token is stored; the token itself is shown once, when it is created.

use sha2::{Digest, Sha256};

use crate::{Actor, App, AppError, AppResult};

/// A new random token (`ens_` + 64 hex digits) and the hash to store.
pub fn new_token() -> AppResult<(String, String)> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    let token = format!("ens_{}", hex(&bytes));
    let hash = hash_token(&token);
    Ok((token, hash))
}

/// The stored form of a token.
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

impl App {
    /// The actor a token belongs to.
    pub async fn authenticate(&self, token: &str) -> AppResult<Actor> {
        if !token.starts_with("ens_") || token.len() != 68 {
            return Err(AppError::Unauthenticated);
        }
        let mut tx = self.store.read().await?;
        let user = tx
            .user_by_token(&hash_token(token))
            .await?
            .ok_or(AppError::Unauthenticated)?;
        Ok(Actor {
            user: user.id,
            role: user.role,
            member: user.member_id,
            lang: user.lang,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, ha) = new_token().unwrap();
        let (b, _) = new_token().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 68);
        assert_eq!(hash_token(&a), ha);
        assert_eq!(ha.len(), 64);
    }
}
