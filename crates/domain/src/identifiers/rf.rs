//! The international structured creditor reference ([`RfCreditorReference`], ISO 11649).

use std::fmt;

use super::check::{self, string_identifier};

/// An ISO 11649 creditor reference: `RF`, two check digits and 1 to 21 letters or digits
/// chosen by the creditor. Valid when the reference followed by its first four characters,
/// letters read as A = 10 … Z = 35, is 1 mod 97.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RfCreditorReference(String);

/// Why a string is not an RF creditor reference.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RfCreditorReferenceError {
    #[error("RF creditor reference is empty")]
    Empty,
    #[error("RF creditor reference {0}: expected RF, 2 check digits and 1 to 21 letters or digits")]
    Format(String),
    #[error("RF creditor reference {0}: check digits do not match (ISO 11649 mod 97)")]
    CheckDigits(String),
    #[error("creditor reference {0}: must be 1 to 21 letters or digits")]
    Reference(String),
}

const SEPARATORS: &[char] = &['.', '-', '/', ':', ','];

impl RfCreditorReference {
    /// Parses `RF18 5390 0754 7034`, `rf18539007547034` and the like.
    pub fn parse(input: &str) -> Result<RfCreditorReference, RfCreditorReferenceError> {
        let given = input.trim();
        let compact = check::compact(given, SEPARATORS);
        if compact.is_empty() {
            return Err(RfCreditorReferenceError::Empty);
        }
        let shape_ok = (5..=25).contains(&compact.len())
            && compact.starts_with("RF")
            && compact.get(2..4).is_some_and(check::is_digits)
            && compact.get(4..).is_some_and(check::is_upper_alnum);
        if !shape_ok {
            return Err(RfCreditorReferenceError::Format(given.to_string()));
        }
        let (head, reference) = compact.split_at(4);
        if check::mod97(&format!("{reference}{head}")) != Some(1) {
            return Err(RfCreditorReferenceError::CheckDigits(given.to_string()));
        }
        Ok(RfCreditorReference(compact))
    }

    /// The creditor reference for `reference` (1 to 21 letters or digits; spaces, dots and
    /// dashes are dropped, letters upper-cased), with its computed check digits.
    pub fn from_reference(
        reference: &str,
    ) -> Result<RfCreditorReference, RfCreditorReferenceError> {
        let compact = check::compact(reference, SEPARATORS);
        if compact.len() > 21 || !check::is_upper_alnum(&compact) {
            return Err(RfCreditorReferenceError::Reference(
                reference.trim().to_string(),
            ));
        }
        let remainder = check::mod97(&format!("{compact}RF00"))
            .ok_or_else(|| RfCreditorReferenceError::Reference(reference.trim().to_string()))?;
        Ok(RfCreditorReference(format!(
            "RF{:02}{compact}",
            98 - remainder
        )))
    }

    /// The compact form: `RF18539007547034`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The two check digits.
    pub fn check_digits(&self) -> &str {
        self.0.get(2..4).unwrap_or_default()
    }

    /// The creditor's reference, after the check digits.
    pub fn reference(&self) -> &str {
        self.0.get(4..).unwrap_or_default()
    }
}

string_identifier!(RfCreditorReference, RfCreditorReferenceError);

impl fmt::Display for RfCreditorReference {
    /// In groups of four: `RF18 5390 0754 7034`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&check::grouped(&self.0, 4, ' '))
    }
}

impl fmt::Debug for RfCreditorReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RfCreditorReference({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_example() {
        // The example of ISO 11649 and of python-stdnum.
        let r = RfCreditorReference::parse("RF18 5390 0754 7034").unwrap();
        assert_eq!(r.as_str(), "RF18539007547034");
        assert_eq!(r.to_string(), "RF18 5390 0754 7034");
        assert_eq!(r.check_digits(), "18");
        assert_eq!(r.reference(), "539007547034");
        assert_eq!(
            RfCreditorReference::parse("rf18-5390.0754 7034"),
            Ok(r.clone())
        );
        assert_eq!(
            RfCreditorReference::from_reference("5390 0754 7034"),
            Ok(r.clone())
        );
    }

    #[test]
    fn letters_and_lengths() {
        let r = RfCreditorReference::from_reference("inv-2026-000123").unwrap();
        assert_eq!(r.reference(), "INV2026000123");
        assert!(RfCreditorReference::parse(r.as_str()).is_ok());
        let shortest = RfCreditorReference::from_reference("1").unwrap();
        assert_eq!(shortest.as_str().len(), 5);
        assert!(RfCreditorReference::parse(shortest.as_str()).is_ok());
        let longest = RfCreditorReference::from_reference(&"Z".repeat(21)).unwrap();
        assert_eq!(longest.as_str().len(), 25);
        assert!(RfCreditorReference::parse(longest.as_str()).is_ok());
        assert!(RfCreditorReference::from_reference(&"Z".repeat(22)).is_err());
        assert!(RfCreditorReference::from_reference("").is_err());
        assert!(RfCreditorReference::from_reference("ABC_1").is_err());
    }

    #[test]
    fn rejects() {
        assert_eq!(
            RfCreditorReference::parse("RF19 5390 0754 7034")
                .unwrap_err()
                .to_string(),
            "RF creditor reference RF19 5390 0754 7034: check digits do not match (ISO 11649 mod 97)"
        );
        assert!(matches!(
            RfCreditorReference::parse("RF18"),
            Err(RfCreditorReferenceError::Format(_))
        ));
        assert!(matches!(
            RfCreditorReference::parse("XX18539007547034"),
            Err(RfCreditorReferenceError::Format(_))
        ));
        assert!(matches!(
            RfCreditorReference::parse("RFAB539007547034"),
            Err(RfCreditorReferenceError::Format(_))
        ));
        assert!(matches!(
            RfCreditorReference::parse(&format!("RF18{}", "1".repeat(22))),
            Err(RfCreditorReferenceError::Format(_))
        ));
        assert_eq!(
            RfCreditorReference::parse(""),
            Err(RfCreditorReferenceError::Empty)
        );
    }

    #[test]
    fn serde_round_trip() {
        let r = RfCreditorReference::parse("RF18539007547034").unwrap();
        assert_eq!(serde_json::to_string(&r).unwrap(), "\"RF18539007547034\"");
        assert_eq!(
            serde_json::from_str::<RfCreditorReference>("\"RF18 5390 0754 7034\"").unwrap(),
            r
        );
        assert!(serde_json::from_str::<RfCreditorReference>("\"RF19539007547034\"").is_err());
    }
}
