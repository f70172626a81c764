//! Idempotency keys: a client retrying a creating request with the same key gets the first
//! result back instead of a second invoice; the same key with another request is refused.
//! The key is saved in the same transaction as what the request wrote.

use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use crate::auth::hex;
use crate::{Actor, AppError, AppResult};
use ensemble_domain::Invalid;
use ensemble_store::Tx;

/// An idempotency key and the fingerprint of the request it came with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Idempotency {
    key: String,
    fingerprint: String,
}

impl Idempotency {
    /// `key` as the client sent it (1 to 255 visible characters); `request` the bytes that
    /// identify the request (its body).
    pub fn new(key: &str, request: &[u8]) -> Result<Idempotency, Invalid> {
        let key = key.trim();
        if key.is_empty() || key.len() > 255 || !key.chars().all(|c| c.is_ascii_graphic()) {
            return Err(Invalid::new(
                "Idempotency-Key",
                "an idempotency key is 1 to 255 visible ASCII characters",
            ));
        }
        Ok(Idempotency {
            key: key.to_string(),
            fingerprint: hex(&Sha256::digest(request)),
        })
    }

    /// A key for a request identified by its serialised input (CLI, tests).
    pub fn for_input<T: Serialize>(key: &str, input: &T) -> Result<Idempotency, Invalid> {
        let bytes = serde_json::to_vec(input).unwrap_or_default();
        Idempotency::new(key, &bytes)
    }
}

fn scope(actor: &Actor, operation: &str) -> String {
    format!("{}:{operation}", actor.user)
}

/// The first result of this key, if the key was used before by this actor for this operation.
pub(crate) async fn replay<T: DeserializeOwned>(
    tx: &mut dyn Tx,
    actor: &Actor,
    operation: &str,
    idem: Option<&Idempotency>,
) -> AppResult<Option<T>> {
    let Some(i) = idem else { return Ok(None) };
    match tx.stored_response(&scope(actor, operation), &i.key).await? {
        None => Ok(None),
        Some(stored) if stored.fingerprint == i.fingerprint => {
            serde_json::from_str(&stored.response)
                .map(Some)
                .map_err(|e| AppError::Internal(format!("stored response: {e}")))
        }
        Some(_) => Err(AppError::conflict(
            "idempotency_key_reused",
            format!(
                "the idempotency key \"{}\" was used with another request",
                i.key
            ),
        )),
    }
}

/// Saves the result under the key, in the transaction that wrote it.
pub(crate) async fn remember<T: Serialize>(
    tx: &mut dyn Tx,
    actor: &Actor,
    operation: &str,
    idem: Option<&Idempotency>,
    result: &T,
    at: i64,
) -> AppResult<()> {
    let Some(i) = idem else { return Ok(()) };
    let response =
        serde_json::to_string(result).map_err(|e| AppError::Internal(format!("response: {e}")))?;
    tx.store_response(
        &scope(actor, operation),
        &i.key,
        &i.fingerprint,
        &response,
        at,
    )
    .await
    .map_err(|e| match e {
        ensemble_store::StoreError::Conflict(_) => AppError::conflict(
            "idempotency_key_in_use",
            format!(
                "a request with the idempotency key \"{}\" is being processed",
                i.key
            ),
        ),
        other => other.into(),
    })
}
