//! Bank accounts and banks: [`Iban`] (ISO 13616) and [`Bic`] (ISO 9362).

use std::fmt;

use super::check::{self, SEPARATORS, string_identifier};
use super::country_code::CountryCode;

/// An International Bank Account Number, checked.
///
/// Parsing strips spaces, dots and dashes and upper-cases; then it checks the ISO 7064
/// MOD 97-10 check digits and the country's length and BBAN structure (the IBAN registry as
/// shipped by the `iban_validate` crate), and the national check digits that Ensemble knows:
/// Belgium (the last two digits of the account number are its first ten mod 97, 97 for 0) and
/// France (the RIB key). It does not look up whether the bank exists.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Iban {
    inner: iban::Iban,
    country: CountryCode,
}

/// Why a string is not an IBAN. Each message names the value as it was given and the rule.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IbanError {
    #[error("IBAN is empty")]
    Empty,
    #[error(
        "IBAN {0}: expected a two-letter country code, two check digits and up to 30 letters or digits"
    )]
    Format(String),
    #[error("IBAN {0}: {1} is not a country of the IBAN registry")]
    UnknownCountry(String, String),
    #[error("IBAN {0}: length or characters do not match the {1} IBAN format")]
    CountryFormat(String, String),
    #[error("IBAN {0}: check digits do not match")]
    CheckDigits(String),
    #[error(
        "IBAN {0}: the Belgian account number's check digits do not match (its last two digits must be the first ten mod 97)"
    )]
    BeAccountCheck(String),
    #[error("IBAN {0}: the French RIB key does not match")]
    FrRibKey(String),
}

impl Iban {
    /// Parses an IBAN in electronic (`BE71096123456769`) or paper (`BE71 0961 2345 6769`) form;
    /// dots, dashes and lower case are accepted too.
    pub fn parse(input: &str) -> Result<Iban, IbanError> {
        let given = input.trim();
        let compact = check::compact(given, SEPARATORS);
        if compact.is_empty() {
            return Err(IbanError::Empty);
        }
        let shape_ok = compact.len() >= 5
            && compact.len() <= 34
            && compact.bytes().take(2).all(|b| b.is_ascii_uppercase())
            && compact.bytes().skip(2).take(2).all(|b| b.is_ascii_digit())
            && check::is_upper_alnum(&compact);
        if !shape_ok {
            return Err(IbanError::Format(given.to_string()));
        }
        let (cc, rest) = compact.split_at(2);
        let (digits, bban) = rest.split_at(2);
        let country = CountryCode::lookup(cc)
            .ok_or_else(|| IbanError::UnknownCountry(given.to_string(), cc.to_string()))?;

        // Check the structure with the right check digits first, so that a wrong length is
        // reported as such rather than as a check-digit mismatch.
        let expected =
            check_digits(cc, bban).ok_or_else(|| IbanError::Format(given.to_string()))?;
        let candidate = format!("{cc}{expected:02}{bban}");
        let inner = candidate.parse::<iban::Iban>().map_err(|e| match e {
            iban::ParseIbanError::UnknownCountry(_) => {
                IbanError::UnknownCountry(given.to_string(), cc.to_string())
            }
            iban::ParseIbanError::InvalidBban(_) => {
                IbanError::CountryFormat(given.to_string(), cc.to_string())
            }
            iban::ParseIbanError::InvalidBaseIban { .. } => IbanError::Format(given.to_string()),
        })?;
        if digits != format!("{expected:02}") {
            return Err(IbanError::CheckDigits(given.to_string()));
        }
        match cc {
            "BE" if !be_account_check(bban) => Err(IbanError::BeAccountCheck(given.to_string())),
            "FR" if !fr_rib_key_check(bban) => Err(IbanError::FrRibKey(given.to_string())),
            _ => Ok(Iban { inner, country }),
        }
    }

    /// The electronic form, without spaces: `BE71096123456769`.
    pub fn as_str(&self) -> &str {
        iban::IbanLike::electronic_str(&self.inner)
    }

    /// The electronic form (same as [`Iban::as_str`]), as SEPA files write it.
    pub fn electronic(&self) -> &str {
        self.as_str()
    }

    /// The paper form, in groups of four: `BE71 0961 2345 6769` (also what `Display` writes).
    pub fn grouped(&self) -> String {
        self.inner.to_string()
    }

    /// The country of the account (the first two letters).
    pub fn country_code(&self) -> CountryCode {
        self.country
    }

    /// The two check digits.
    pub fn check_digits(&self) -> &str {
        self.as_str().get(2..4).unwrap_or_default()
    }

    /// The national account number (Basic Bank Account Number).
    pub fn bban(&self) -> &str {
        self.inner.bban()
    }

    /// The bank identifier within the BBAN, where the registry defines one.
    pub fn bank_identifier(&self) -> Option<&str> {
        self.inner.bank_identifier()
    }
}

/// ISO 7064 MOD 97-10 check digits for a country code and a BBAN.
fn check_digits(cc: &str, bban: &str) -> Option<u32> {
    let mut rearranged = String::with_capacity(bban.len() + 4);
    rearranged.push_str(bban);
    rearranged.push_str(cc);
    rearranged.push_str("00");
    check::mod97(&rearranged).map(|r| 98 - r)
}

/// Belgian BBAN: 3-digit bank code, 7-digit account, 2 check digits = first ten mod 97 (97 for 0).
fn be_account_check(bban: &str) -> bool {
    let (Some(body), Some(key)) = (bban.get(..10), bban.get(10..)) else {
        return false;
    };
    match (check::number(body), check::number(key)) {
        (Some(body), Some(key)) => {
            let expected = match body % 97 {
                0 => 97,
                r => r,
            };
            expected == key
        }
        _ => false,
    }
}

/// French BBAN: bank (5), branch (5), account (11, letters allowed), RIB key (2):
/// key = 97 − ((89 × bank + 15 × branch + 3 × account) mod 97), letters of the account
/// counting as A/J = 1, B/K/S = 2, … I/R/Z = 9.
fn fr_rib_key_check(bban: &str) -> bool {
    let (Some(bank), Some(branch), Some(account), Some(key)) = (
        bban.get(..5).and_then(check::number),
        bban.get(5..10).and_then(check::number),
        bban.get(10..21),
        bban.get(21..).and_then(check::number),
    ) else {
        return false;
    };
    let mut account_value = 0u64;
    for b in account.bytes() {
        let d = match b {
            b'0'..=b'9' => u64::from(b - b'0'),
            b'A'..=b'I' => u64::from(b - b'A') + 1,
            b'J'..=b'R' => u64::from(b - b'J') + 1,
            b'S'..=b'Z' => u64::from(b - b'S') + 2,
            _ => return false,
        };
        account_value = account_value * 10 + d;
    }
    let sum = (89 * bank + 15 * branch + 3 * account_value) % 97;
    97 - sum == key
}

string_identifier!(Iban, IbanError);

impl fmt::Display for Iban {
    /// The paper form, in groups of four.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.inner, f)
    }
}

impl fmt::Debug for Iban {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Iban({})", self.as_str())
    }
}

/// A Business Identifier Code (SWIFT/BIC, ISO 9362), checked for format.
///
/// 8 or 11 characters: 4 letters (bank), 2 letters (an ISO country code), 2 letters or digits
/// (location), and an optional 3 letters or digits (branch; `XXX` is the head office). There
/// is no check digit and no registry lookup.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bic {
    value: String,
    country: CountryCode,
}

/// Why a string is not a BIC.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BicError {
    #[error("BIC is empty")]
    Empty,
    #[error("BIC {0}: must have 8 or 11 characters")]
    Length(String),
    #[error(
        "BIC {0}: expected 4 letters (bank), 2 letters (country), 2 letters or digits (location) and optionally 3 letters or digits (branch)"
    )]
    Format(String),
    #[error("BIC {0}: {1} is not an ISO 3166-1 country code")]
    Country(String, String),
}

impl Bic {
    /// Parses a BIC, stripping spaces and dashes and upper-casing.
    pub fn parse(input: &str) -> Result<Bic, BicError> {
        let given = input.trim();
        let compact = check::compact(given, SEPARATORS);
        if compact.is_empty() {
            return Err(BicError::Empty);
        }
        if compact.len() != 8 && compact.len() != 11 {
            return Err(BicError::Length(given.to_string()));
        }
        let letters =
            |s: Option<&str>| s.is_some_and(|s| s.bytes().all(|b| b.is_ascii_uppercase()));
        let alnum = |s: Option<&str>| s.is_some_and(check::is_upper_alnum);
        let ok = letters(compact.get(..6))
            && alnum(compact.get(6..8))
            && (compact.len() == 8 || alnum(compact.get(8..)));
        if !ok {
            return Err(BicError::Format(given.to_string()));
        }
        let cc = compact.get(4..6).unwrap_or_default();
        let country = CountryCode::lookup(cc)
            .ok_or_else(|| BicError::Country(given.to_string(), cc.to_string()))?;
        Ok(Bic {
            value: compact,
            country,
        })
    }

    /// The 8 or 11 characters, without spaces.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The four-letter bank (institution) code.
    pub fn bank_code(&self) -> &str {
        self.value.get(..4).unwrap_or_default()
    }

    /// The country of the bank.
    pub fn country_code(&self) -> CountryCode {
        self.country
    }

    /// The two-character location code.
    pub fn location_code(&self) -> &str {
        self.value.get(6..8).unwrap_or_default()
    }

    /// The three-character branch code, when the BIC has 11 characters.
    pub fn branch_code(&self) -> Option<&str> {
        self.value.get(8..11)
    }
}

string_identifier!(Bic, BicError);

impl fmt::Display for Bic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl fmt::Debug for Bic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bic({})", self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(s: &str) -> String {
        Iban::parse(s).unwrap_err().to_string()
    }

    #[test]
    fn ecbs_example() {
        let iban = Iban::parse("BE71 0961 2345 6769").unwrap();
        assert_eq!(iban.as_str(), "BE71096123456769");
        assert_eq!(iban.electronic(), "BE71096123456769");
        assert_eq!(iban.to_string(), "BE71 0961 2345 6769");
        assert_eq!(iban.grouped(), "BE71 0961 2345 6769");
        assert_eq!(iban.country_code(), CountryCode::BE);
        assert_eq!(iban.check_digits(), "71");
        assert_eq!(iban.bban(), "096123456769");
        assert_eq!(iban.bank_identifier(), Some("096"));
    }

    #[test]
    fn french_example() {
        let iban = Iban::parse("FR7630006000011234567890189").unwrap();
        assert_eq!(iban.to_string(), "FR76 3000 6000 0112 3456 7890 189");
        assert_eq!(iban.country_code(), CountryCode::FR);
        // Letters in the account number count in the RIB key (A = 1 … I = 9, J = 1 …).
        assert!(fr_rib_key_check("3000600001ABCDEFGHI1256"));
    }

    #[test]
    fn other_countries() {
        for s in [
            "DE89 3704 0044 0532 0130 00",
            "NL91 ABNA 0417 1643 00",
            "LU28 0019 4006 4475 0000",
            "GB29 NWBK 6016 1331 9268 19",
            "CH93 0076 2011 6238 5295 7",
        ] {
            assert!(Iban::parse(s).is_ok(), "{s}");
        }
    }

    #[test]
    fn normalises() {
        let iban = Iban::parse("  be71-0961.2345 6769 ").unwrap();
        assert_eq!(iban.as_str(), "BE71096123456769");
        assert_eq!(Iban::parse("be71096123456769"), Ok(iban));
    }

    #[test]
    fn rejects_with_named_rule() {
        assert_eq!(
            err("BE71 0961 2345 6760"),
            "IBAN BE71 0961 2345 6760: check digits do not match"
        );
        assert_eq!(
            err("BE71 0961 2345 676"),
            "IBAN BE71 0961 2345 676: length or characters do not match the BE IBAN format"
        );
        assert_eq!(Iban::parse("  "), Err(IbanError::Empty));
        assert!(matches!(Iban::parse("71BE0961"), Err(IbanError::Format(_))));
        assert!(matches!(
            Iban::parse("BE71 0961 2345 67_9"),
            Err(IbanError::Format(_))
        ));
        assert!(matches!(
            Iban::parse("ZZ71 0961 2345 6769"),
            Err(IbanError::UnknownCountry(_, _))
        ));
        assert!(matches!(
            Iban::parse("US64 SVBK US6S 3300 9673 8637"),
            Err(IbanError::UnknownCountry(_, _))
        ));
    }

    #[test]
    fn national_checks() {
        // IBAN check digits recomputed, but the Belgian account check (last two) is wrong.
        let bban = "096123456768";
        let cd = check_digits("BE", bban).unwrap();
        let s = format!("BE{cd:02}{bban}");
        assert!(matches!(Iban::parse(&s), Err(IbanError::BeAccountCheck(_))));
        // Same for the French RIB key.
        let bban = "30006000011234567890188";
        let cd = check_digits("FR", bban).unwrap();
        let s = format!("FR{cd:02}{bban}");
        assert!(matches!(Iban::parse(&s), Err(IbanError::FrRibKey(_))));
    }

    #[test]
    fn serde_round_trip() {
        let iban = Iban::parse("BE71096123456769").unwrap();
        let json = serde_json::to_string(&iban).unwrap();
        assert_eq!(json, "\"BE71096123456769\"");
        assert_eq!(
            serde_json::from_str::<Iban>("\"BE71 0961 2345 6769\"").unwrap(),
            iban
        );
        assert!(serde_json::from_str::<Iban>("\"BE71096123456760\"").is_err());
    }

    #[test]
    fn bic() {
        let bic = Bic::parse("gkcc be bb").unwrap();
        assert_eq!(bic.as_str(), "GKCCBEBB");
        assert_eq!(bic.bank_code(), "GKCC");
        assert_eq!(bic.country_code(), CountryCode::BE);
        assert_eq!(bic.location_code(), "BB");
        assert_eq!(bic.branch_code(), None);
        let bic = Bic::parse("BNPAFRPPXXX").unwrap();
        assert_eq!(bic.branch_code(), Some("XXX"));
        assert_eq!(bic.to_string(), "BNPAFRPPXXX");
        assert_eq!(
            Bic::parse("GKCCBEB").unwrap_err().to_string(),
            "BIC GKCCBEB: must have 8 or 11 characters"
        );
        assert!(matches!(Bic::parse("GKC1BEBB"), Err(BicError::Format(_))));
        assert!(matches!(Bic::parse("GKCCBEB_"), Err(BicError::Format(_))));
        assert!(matches!(
            Bic::parse("GKCCZZBB"),
            Err(BicError::Country(_, _))
        ));
        assert_eq!(Bic::parse(""), Err(BicError::Empty));
        let json = serde_json::to_string(&Bic::parse("GEBABEBB").unwrap()).unwrap();
        assert_eq!(json, "\"GEBABEBB\"");
        assert!(serde_json::from_str::<Bic>("\"GEBABEB\"").is_err());
    }
}
