//! Readable document numbers (INV-BE-2026-000123) and the payment references of invoices.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::identifiers::{BeStructuredCommunication, RfCreditorReference};
use crate::{Country, Invalid};

/// The kinds of numbered documents, each with its own gapless sequence per entity and year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    Invoice,
    CreditNote,
    Contract,
    Quote,
    Declaration,
    Expense,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 6] = [
        DocumentKind::Invoice,
        DocumentKind::CreditNote,
        DocumentKind::Contract,
        DocumentKind::Quote,
        DocumentKind::Declaration,
        DocumentKind::Expense,
    ];

    pub const fn prefix(self) -> &'static str {
        match self {
            DocumentKind::Invoice => "INV",
            DocumentKind::CreditNote => "CRN",
            DocumentKind::Contract => "CTR",
            DocumentKind::Quote => "QUO",
            DocumentKind::Declaration => "DEC",
            DocumentKind::Expense => "EXP",
        }
    }

    pub fn from_prefix(prefix: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|k| k.prefix() == prefix)
    }
}

/// A document's number: kind, the entity's country, the year and a sequence number without
/// gaps, written `INV-BE-2026-000123`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentNumber {
    pub kind_prefix: &'static str,
    pub country: Country,
    pub year: i16,
    pub sequence: u32,
}

impl DocumentNumber {
    pub fn new(kind: DocumentKind, country: Country, year: i16, sequence: u32) -> DocumentNumber {
        DocumentNumber {
            kind_prefix: kind.prefix(),
            country,
            year,
            sequence,
        }
    }

    pub fn kind(&self) -> DocumentKind {
        DocumentKind::from_prefix(self.kind_prefix).unwrap_or(DocumentKind::Invoice)
    }
}

impl fmt::Display for DocumentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}-{:04}-{:06}",
            self.kind_prefix,
            self.country.code(),
            self.year,
            self.sequence
        )
    }
}

impl FromStr for DocumentNumber {
    type Err = Invalid;
    fn from_str(s: &str) -> Result<DocumentNumber, Invalid> {
        let bad = || {
            Invalid::new(
                "number",
                format!("\"{s}\" is not a document number like INV-BE-2026-000123"),
            )
        };
        let parts: Vec<&str> = s.trim().split('-').collect();
        let [prefix, country, year, sequence] = parts[..] else {
            return Err(bad());
        };
        let kind = DocumentKind::from_prefix(prefix).ok_or_else(bad)?;
        let country: Country = country.parse().map_err(|_| bad())?;
        if year.len() != 4 || sequence.len() < 6 {
            return Err(bad());
        }
        Ok(DocumentNumber::new(
            kind,
            country,
            year.parse().map_err(|_| bad())?,
            sequence.parse().map_err(|_| bad())?,
        ))
    }
}

impl Serialize for DocumentNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DocumentNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<DocumentNumber, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The reference a client quotes when paying, so the bank statement matches the invoice:
/// a Belgian structured communication, or an ISO 11649 RF creditor reference in France.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "scheme", content = "value", rename_all = "snake_case")]
pub enum PaymentReference {
    Structured(BeStructuredCommunication),
    Rf(RfCreditorReference),
}

impl PaymentReference {
    /// The reference of an invoice: built from its year and sequence, so it is unique per
    /// entity and stable.
    pub fn for_invoice(number: &DocumentNumber) -> PaymentReference {
        let base = u64::from(number.year.unsigned_abs()) * 1_000_000
            + u64::from(number.sequence % 1_000_000);
        match number.country {
            Country::Be => match BeStructuredCommunication::from_reference(base) {
                Ok(s) => PaymentReference::Structured(s),
                Err(_) => PaymentReference::rf(number),
            },
            Country::Fr => PaymentReference::rf(number),
        }
    }

    fn rf(number: &DocumentNumber) -> PaymentReference {
        let body = format!(
            "{}{:04}{:06}",
            number.kind_prefix, number.year, number.sequence
        );
        match RfCreditorReference::from_reference(&body) {
            Ok(r) => PaymentReference::Rf(r),
            // The body is at most 3 + 4 + 10 = 17 alphanumerics: always a valid reference.
            Err(_) => unreachable!("an RF body of at most 21 alphanumerics"),
        }
    }

    /// The compact text a bank file carries.
    pub fn as_str(&self) -> &str {
        match self {
            PaymentReference::Structured(s) => s.as_str(),
            PaymentReference::Rf(r) => r.as_str(),
        }
    }
}

impl fmt::Display for PaymentReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PaymentReference::Structured(s) => s.fmt(f),
            PaymentReference::Rf(r) => r.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_like_the_design_says() {
        let n = DocumentNumber::new(DocumentKind::Invoice, Country::Be, 2026, 123);
        assert_eq!(n.to_string(), "INV-BE-2026-000123");
        assert_eq!("INV-BE-2026-000123".parse::<DocumentNumber>().unwrap(), n);
        let c = DocumentNumber::new(DocumentKind::Contract, Country::Be, 2026, 4567);
        assert_eq!(c.to_string(), "CTR-BE-2026-004567");
        assert!("INV-XX-2026-000123".parse::<DocumentNumber>().is_err());
        assert!("nope".parse::<DocumentNumber>().is_err());
    }

    #[test]
    fn payment_references_check_out() {
        let be = DocumentNumber::new(DocumentKind::Invoice, Country::Be, 2026, 123);
        let reference = PaymentReference::for_invoice(&be);
        assert_eq!(reference.as_str().len(), 12);
        assert!(
            reference
                .as_str()
                .parse::<BeStructuredCommunication>()
                .is_ok()
        );
        assert!(reference.as_str().starts_with("2026000123"));
        let fr = DocumentNumber::new(DocumentKind::Invoice, Country::Fr, 2026, 123);
        let reference = PaymentReference::for_invoice(&fr);
        assert!(reference.as_str().starts_with("RF"));
        assert!(reference.as_str().parse::<RfCreditorReference>().is_ok());
    }
}
