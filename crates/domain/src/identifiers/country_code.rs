//! ISO 3166-1 alpha-2 country codes, for addresses, IBANs, BICs and VAT prefixes.
//!
//! Not to be confused with [`crate::Country`], the countries Ensemble has payroll and tax
//! rules for: a client, a bank or a supplier can be anywhere.

use std::fmt;

use super::check::string_identifier;
use crate::Country;

/// An ISO 3166-1 alpha-2 country code in capitals, such as `BE` or `FR`.
///
/// The list is the full set of 249 officially assigned codes, plus `XK` (Kosovo), a
/// user-assigned code that the European Commission, SWIFT (BIC) and the IBAN registry use.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CountryCode(&'static str);

/// Why a string is not a country code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CountryCodeError {
    #[error("country code is empty")]
    Empty,
    #[error("country code {0}: not an ISO 3166-1 alpha-2 code")]
    Unknown(String),
    #[error("country code {0}: ISO 3166-1 writes {1} ({2})")]
    Alias(String, &'static str, &'static str),
}

/// ISO 3166-1 alpha-2, officially assigned codes (sorted), plus XK.
static CODES: [&str; 250] = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "XK", "YE", "YT", "ZA", "ZM", "ZW",
];

/// The 27 member states of the European Union (ISO codes: Greece is GR here, EL in VAT ids).
static EU: [&str; 27] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// EEA members outside the EU.
static EEA_NON_EU: [&str; 3] = ["IS", "LI", "NO"];

impl CountryCode {
    pub const BE: CountryCode = CountryCode("BE");
    pub const FR: CountryCode = CountryCode("FR");
    pub const LU: CountryCode = CountryCode("LU");
    pub const NL: CountryCode = CountryCode("NL");
    pub const DE: CountryCode = CountryCode("DE");
    pub const CH: CountryCode = CountryCode("CH");
    pub const GB: CountryCode = CountryCode("GB");
    pub const US: CountryCode = CountryCode("US");

    /// Parses a two-letter code, trimming white space and upper-casing.
    pub fn parse(input: &str) -> Result<CountryCode, CountryCodeError> {
        let code = input.trim().to_ascii_uppercase();
        if code.is_empty() {
            return Err(CountryCodeError::Empty);
        }
        match code.as_str() {
            "UK" => return Err(CountryCodeError::Alias(code, "GB", "United Kingdom")),
            "EL" => {
                return Err(CountryCodeError::Alias(
                    code,
                    "GR",
                    "Greece; EL is its VAT prefix",
                ));
            }
            _ => {}
        }
        CountryCode::lookup(&code).ok_or(CountryCodeError::Unknown(code))
    }

    /// The code if it is in the list; `code` must already be in capitals.
    pub(crate) fn lookup(code: &str) -> Option<CountryCode> {
        CODES
            .binary_search(&code)
            .ok()
            .and_then(|i| CODES.get(i))
            .copied()
            .map(CountryCode)
    }

    /// The two capital letters.
    pub const fn as_str(&self) -> &'static str {
        self.0
    }

    /// Member of the European Union.
    pub fn is_eu_member(self) -> bool {
        EU.contains(&self.0)
    }

    /// Member of the European Economic Area (the EU plus Iceland, Liechtenstein, Norway).
    pub fn is_eea_member(self) -> bool {
        self.is_eu_member() || EEA_NON_EU.contains(&self.0)
    }

    /// Every known code, in alphabetical order.
    pub fn all() -> impl Iterator<Item = CountryCode> {
        CODES.iter().copied().map(CountryCode)
    }
}

string_identifier!(CountryCode, CountryCodeError);

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CountryCode({})", self.0)
    }
}

impl From<Country> for CountryCode {
    fn from(country: Country) -> CountryCode {
        match country {
            Country::Fr => CountryCode::FR,
            Country::Be => CountryCode::BE,
        }
    }
}

impl TryFrom<CountryCode> for Country {
    type Error = CountryCode;
    /// The Ensemble country with this code, or the code back when Ensemble has no rules for it.
    fn try_from(code: CountryCode) -> Result<Country, CountryCode> {
        Country::ALL
            .into_iter()
            .find(|c| c.code() == code.as_str())
            .ok_or(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_and_unique() {
        assert!(CODES.windows(2).all(|w| w[0] < w[1]));
        assert!(CODES.iter().all(|c| c.len() == 2));
        assert!(EU.iter().all(|c| CODES.contains(c)));
        assert_eq!(CountryCode::all().count(), 250);
    }

    #[test]
    fn parses_and_normalises() {
        assert_eq!(CountryCode::parse(" be "), Ok(CountryCode::BE));
        assert_eq!("fr".parse::<CountryCode>(), Ok(CountryCode::FR));
        assert_eq!(CountryCode::parse("XK").map(|c| c.as_str()), Ok("XK"));
        assert_eq!(CountryCode::BE.to_string(), "BE");
    }

    #[test]
    fn rejects() {
        assert_eq!(CountryCode::parse(""), Err(CountryCodeError::Empty));
        assert_eq!(
            CountryCode::parse("ZZ").map_err(|e| e.to_string()),
            Err("country code ZZ: not an ISO 3166-1 alpha-2 code".to_string())
        );
        assert!(CountryCode::parse("BEL").is_err());
        assert!(CountryCode::parse("uk").is_err());
        assert!(
            CountryCode::parse("EL")
                .map_err(|e| e.to_string())
                .unwrap_err()
                .contains("GR")
        );
    }

    #[test]
    fn membership() {
        assert!(CountryCode::BE.is_eu_member());
        assert!(!CountryCode::CH.is_eu_member());
        assert!(CountryCode::parse("NO").unwrap().is_eea_member());
        assert!(!CountryCode::GB.is_eea_member());
    }

    #[test]
    fn ensemble_countries() {
        assert_eq!(CountryCode::from(Country::Be), CountryCode::BE);
        assert_eq!(Country::try_from(CountryCode::FR), Ok(Country::Fr));
        assert_eq!(Country::try_from(CountryCode::DE), Err(CountryCode::DE));
    }

    #[test]
    fn serde_round_trip() {
        let json = serde_json::to_string(&CountryCode::LU).unwrap();
        assert_eq!(json, "\"LU\"");
        assert_eq!(
            serde_json::from_str::<CountryCode>("\"lu\"").unwrap(),
            CountryCode::LU
        );
        assert!(serde_json::from_str::<CountryCode>("\"QQ\"").is_err());
    }
}
