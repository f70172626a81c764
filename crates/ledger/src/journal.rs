//! The journal: every batch of new transfers becomes one entry, chained to the previous
//! entry of the same entity by a SHA-256 hash, so that any altered, removed or inserted
//! entry is found by [`verify_chain`].
//!
//! # Canonical bytes (version 1)
//! The hash of an entry is `SHA-256(previous_hash ‖ canonical_bytes(entry))`, where the
//! previous hash of an entity's first entry is 32 zero bytes and `canonical_bytes` is:
//!
//! ```text
//! "ensemble-ledger-entry-v1"          24 ASCII bytes
//! entity                              16 bytes, the UUID's big-endian bytes
//! seq                                 8 bytes, unsigned big-endian
//! transfer count                      4 bytes, unsigned big-endian
//! each transfer, in batch order: 13 fields, each as a 4-byte big-endian length followed by
//! that many UTF-8 bytes:
//!     id, debit account id, credit account id (their text form, see `AccountId`),
//!     amount in cents as a decimal integer ("106952"),
//!     phase ("single", "pending", "post", "void"), pending transfer id (empty unless post
//!     or void), event code ("invoice_issued"…), journal code ("VT"…), event id,
//!     date (YYYY-MM-DD), document, document date (YYYY-MM-DD), label
//! ```
//!
//! Every field of every transfer is covered, so changing any one of them changes the hash.
//! The chain proves integrity relative to its last hash: the application should publish or
//! store that hash apart (an auditor re-hashing the whole chain can always forge a new one).

use std::fmt;

use ensemble_domain::EntityId;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

use crate::model::Transfer;

/// A SHA-256 hash, written as 64 lower-case hex digits.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Hash32(pub [u8; 32]);

impl Hash32 {
    pub const ZERO: Hash32 = Hash32([0; 32]);

    pub fn to_hex(&self) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut s = String::with_capacity(64);
        for b in self.0 {
            s.push(char::from(HEX[usize::from(b >> 4)]));
            s.push(char::from(HEX[usize::from(b & 15)]));
        }
        s
    }

    pub fn from_hex(text: &str) -> Option<Hash32> {
        let bytes = text.as_bytes();
        if bytes.len() != 64 {
            return None;
        }
        let nibble = |c: u8| match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        };
        let mut out = [0u8; 32];
        for (i, pair) in bytes.chunks(2).enumerate() {
            out[i] = (nibble(pair[0])? << 4) | nibble(pair[1])?;
        }
        Some(Hash32(out))
    }
}

impl fmt::Debug for Hash32 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash32({})", self.to_hex())
    }
}

impl fmt::Display for Hash32 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl Serialize for Hash32 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Hash32 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Hash32, D::Error> {
        let text = String::deserialize(d)?;
        Hash32::from_hex(&text)
            .ok_or_else(|| serde::de::Error::custom("a hash is 64 lower-case hex digits"))
    }
}

/// One batch of transfers of one entity, as posted, chained to the previous entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    pub entity: EntityId,
    /// 1, 2, 3… per entity, without gaps.
    pub seq: u64,
    /// The transfers the batch created (replays of existing transfers are not repeated).
    pub transfers: Vec<Transfer>,
    pub previous_hash: Hash32,
    pub hash: Hash32,
}

impl JournalEntry {
    /// Builds the entry that follows `previous` (or starts the chain) and computes its hash.
    pub fn chain(
        entity: EntityId,
        previous: Option<&JournalEntry>,
        transfers: Vec<Transfer>,
    ) -> JournalEntry {
        let (seq, previous_hash) = match previous {
            Some(p) => (p.seq + 1, p.hash),
            None => (1, Hash32::ZERO),
        };
        let mut entry = JournalEntry {
            entity,
            seq,
            transfers,
            previous_hash,
            hash: Hash32::ZERO,
        };
        entry.hash = entry.compute_hash();
        entry
    }

    /// The canonical bytes of the entry (see the module documentation).
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + self.transfers.len() * 320);
        out.extend_from_slice(b"ensemble-ledger-entry-v1");
        out.extend_from_slice(self.entity.uuid().as_bytes());
        out.extend_from_slice(&self.seq.to_be_bytes());
        out.extend_from_slice(&(self.transfers.len() as u32).to_be_bytes());
        let mut text = String::with_capacity(128);
        for t in &self.transfers {
            field(&mut out, t.id.as_str());
            text.clear();
            push_display(&mut text, &t.debit);
            field(&mut out, &text);
            text.clear();
            push_display(&mut text, &t.credit);
            field(&mut out, &text);
            text.clear();
            push_display(&mut text, &t.amount.cents());
            field(&mut out, &text);
            field(&mut out, t.phase.tag());
            field(&mut out, t.phase.pending_id().map_or("", |p| p.as_str()));
            field(&mut out, t.code.code());
            field(&mut out, t.journal.code());
            field(&mut out, t.event.as_str());
            text.clear();
            push_display(&mut text, &t.date);
            field(&mut out, &text);
            field(&mut out, &t.document);
            text.clear();
            push_display(&mut text, &t.document_date);
            field(&mut out, &text);
            field(&mut out, &t.label);
        }
        out
    }

    /// `SHA-256(previous_hash ‖ canonical_bytes)`.
    pub fn compute_hash(&self) -> Hash32 {
        let mut hasher = Sha256::new();
        hasher.update(self.previous_hash.0);
        hasher.update(self.canonical_bytes());
        Hash32(hasher.finalize().into())
    }
}

fn field(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(&(text.len() as u32).to_be_bytes());
    out.extend_from_slice(text.as_bytes());
}

fn push_display(out: &mut String, value: &dyn fmt::Display) {
    use fmt::Write;
    // Writing into a String cannot fail.
    let _ = write!(out, "{value}");
}

/// Why a journal does not verify: the first entry found wrong, and how.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("journal entry {seq} of entity {entity}: {problem}")]
pub struct ChainError {
    pub entity: EntityId,
    /// The sequence number the entry holds (or should hold, for a gap).
    pub seq: u64,
    /// Its position in the list checked, from 0.
    pub position: usize,
    pub problem: ChainProblem,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChainProblem {
    #[error("its hash does not match its content: the entry was altered")]
    HashMismatch,
    #[error(
        "it does not point to the previous entry's hash: an entry was removed, inserted or altered before it"
    )]
    BrokenLink,
    #[error("its sequence number is {found}, expected {expected}")]
    SequenceGap { expected: u64, found: u64 },
    #[error("it belongs to entity {found}")]
    WrongEntity { found: EntityId },
}

/// Checks one entity's entries in order: sequence, links and hashes. Returns the first entry
/// found wrong.
pub fn verify_chain(entity: EntityId, entries: &[JournalEntry]) -> Result<Hash32, ChainError> {
    let mut previous = Hash32::ZERO;
    for (position, entry) in entries.iter().enumerate() {
        let expected = position as u64 + 1;
        let err = |problem| ChainError {
            entity,
            seq: entry.seq,
            position,
            problem,
        };
        if entry.entity != entity {
            return Err(err(ChainProblem::WrongEntity {
                found: entry.entity,
            }));
        }
        if entry.seq != expected {
            return Err(err(ChainProblem::SequenceGap {
                expected,
                found: entry.seq,
            }));
        }
        if entry.previous_hash != previous {
            return Err(err(ChainProblem::BrokenLink));
        }
        if entry.compute_hash() != entry.hash {
            return Err(err(ChainProblem::HashMismatch));
        }
        previous = entry.hash;
    }
    Ok(previous)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip() {
        let mut h = [0u8; 32];
        for (i, b) in h.iter_mut().enumerate() {
            *b = (i * 37) as u8;
        }
        let h = Hash32(h);
        assert_eq!(Hash32::from_hex(&h.to_hex()), Some(h));
        assert_eq!(Hash32::from_hex("zz"), None);
        assert_eq!(Hash32::ZERO.to_hex(), "0".repeat(64));
    }

    #[test]
    fn an_empty_entry_has_a_known_hash() {
        // SHA-256 of 32 zero bytes, the tag, a zero UUID, seq 1 and a zero count, computed
        // independently with Python's hashlib.
        let e = JournalEntry::chain(EntityId::from_uuid(uuid::Uuid::nil()), None, vec![]);
        assert_eq!(e.canonical_bytes().len(), 24 + 16 + 8 + 4);
        assert_eq!(e.hash.to_hex(), EMPTY_ENTRY_HASH);
        assert!(verify_chain(e.entity, &[e]).is_ok());
    }

    const EMPTY_ENTRY_HASH: &str =
        "5b702337043578423079fe0f4a0a178d9af91e695591cc6b66241f3a2f92e432";
}
