//! A stable fingerprint of a statement line, for the store to make imports idempotent.
//!
//! The fingerprint is the SHA-256 of the line's identity: the account, the direction, the
//! amount, the booking and value dates, the bank's references (entry `AcctSvcrRef` or
//! `NtryRef`; transaction `AcctSvcrRef`, `TxId` or `EndToEndId`), the counterparty's IBAN and
//! an occurrence number. It leaves out what a bank may change when it sends the same movement
//! again (statement id, position in the file, free text), so the same movement in a re-sent
//! or overlapping statement has the same fingerprint. The occurrence number tells apart lines
//! whose other fields are all equal (two identical transfers the same day, from a bank that
//! gives no references): the first is 1, the next 2, in file order.

use std::fmt;

use ensemble_domain::Money;
use ensemble_domain::identifiers::Iban;
use jiff::civil::Date;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::camt053::CreditDebit;

/// SHA-256 of a statement line's identity, written in lower-case hex.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LineFingerprint([u8; 32]);

/// What identifies a line; see the module documentation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FingerprintInput<'a> {
    pub account: &'a Iban,
    pub direction: CreditDebit,
    pub amount: Money,
    pub booking_date: Date,
    pub value_date: Option<Date>,
    pub entry_reference: Option<&'a str>,
    pub transaction_reference: Option<&'a str>,
    pub counterparty_iban: Option<&'a Iban>,
    pub occurrence: u32,
}

impl LineFingerprint {
    /// Version 1 of the layout: fields separated by line feeds, absent ones empty.
    pub fn of(input: &FingerprintInput<'_>) -> LineFingerprint {
        let mut h = Sha256::new();
        let mut field = |s: &str| {
            h.update(s.as_bytes());
            h.update(b"\n");
        };
        field("ensemble-banking statement line v1");
        field(input.account.as_str());
        field(input.direction.code());
        field(&input.amount.to_string());
        field(&input.booking_date.to_string());
        field(&input.value_date.map(|d| d.to_string()).unwrap_or_default());
        field(input.entry_reference.unwrap_or_default());
        field(input.transaction_reference.unwrap_or_default());
        field(
            input
                .counterparty_iban
                .map(Iban::as_str)
                .unwrap_or_default(),
        );
        field(&input.occurrence.to_string());
        LineFingerprint(h.finalize().into())
    }

    /// A fingerprint from raw bytes (for tests and synthetic lines).
    pub const fn from_bytes(bytes: [u8; 32]) -> LineFingerprint {
        LineFingerprint(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    pub fn to_hex(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for LineFingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for LineFingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LineFingerprint({self})")
    }
}

impl Serialize for LineFingerprint {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Why a text is not a line fingerprint.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a line fingerprint (64 hexadecimal digits)")]
pub struct FingerprintError(String);

impl std::str::FromStr for LineFingerprint {
    type Err = FingerprintError;

    fn from_str(text: &str) -> Result<LineFingerprint, FingerprintError> {
        let bad = || FingerprintError(text.to_string());
        let hex = text.as_bytes();
        if hex.len() != 64 {
            return Err(bad());
        }
        let mut bytes = [0u8; 32];
        for (i, pair) in hex.chunks_exact(2).enumerate() {
            let digit = |b: u8| (b as char).to_digit(16).ok_or_else(bad);
            bytes[i] = u8::try_from(digit(pair[0])? * 16 + digit(pair[1])?).map_err(|_| bad())?;
        }
        Ok(LineFingerprint(bytes))
    }
}

impl<'de> serde::Deserialize<'de> for LineFingerprint {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<LineFingerprint, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip() {
        let f = LineFingerprint::from_bytes([0xab; 32]);
        assert_eq!(f.to_hex().parse::<LineFingerprint>(), Ok(f));
        assert!("abc".parse::<LineFingerprint>().is_err());
        assert!("zz".repeat(32).parse::<LineFingerprint>().is_err());
    }
}
