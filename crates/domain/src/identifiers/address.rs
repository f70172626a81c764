//! Postal addresses ([`PostalAddress`]) of members, clients and cooperative entities.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::check;
use super::country_code::CountryCode;

/// A postal address: 1 to 3 address lines (the street line first; EN 16931 invoices carry
/// three), a postcode, a city and an ISO country.
///
/// The postcode is required and checked for the countries with a rule below (Belgium: 4
/// digits from 1000; France: 5 digits; Luxembourg, Austria, Switzerland: 4 digits; Germany,
/// Italy, Spain: 5 digits; the Netherlands: 4 digits and 2 letters, written `1234 AB`). An old
/// country prefix such as `B-1000` or `L-1234` is dropped. Elsewhere it is optional and kept
/// as written (trimmed, at most 16 characters).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "PostalAddressFields")]
pub struct PostalAddress {
    lines: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    postcode: Option<String>,
    city: String,
    country: CountryCode,
}

/// The unchecked fields, as they arrive from a form or a JSON body.
#[derive(Deserialize)]
struct PostalAddressFields {
    lines: Vec<String>,
    #[serde(default)]
    postcode: Option<String>,
    city: String,
    country: CountryCode,
}

/// Why fields do not make a postal address.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    #[error("address: the street line is empty")]
    NoStreetLine,
    #[error("address: at most 3 address lines, got {0}")]
    TooManyLines(usize),
    #[error("address: the city is empty")]
    EmptyCity,
    #[error("address: a postcode is required in {0}")]
    MissingPostcode(CountryCode),
    #[error("address: postcode {value}: {rule}")]
    Postcode { value: String, rule: &'static str },
}

impl TryFrom<PostalAddressFields> for PostalAddress {
    type Error = AddressError;
    fn try_from(f: PostalAddressFields) -> Result<PostalAddress, AddressError> {
        PostalAddress::new(&f.lines, f.postcode.as_deref(), &f.city, f.country)
    }
}

/// The postcode rule of a country: description, optional old prefixes, check.
struct PostcodeRule {
    rule: &'static str,
    prefixes: &'static [&'static str],
    check: fn(&str) -> Option<String>,
}

fn digits(len: usize, min: u64) -> impl Fn(&str) -> Option<String> {
    move |s: &str| {
        (s.len() == len && check::number(s).is_some_and(|n| n >= min)).then(|| s.to_string())
    }
}

fn four_digits(s: &str) -> Option<String> {
    digits(4, 0)(s)
}

fn four_digits_from_1000(s: &str) -> Option<String> {
    digits(4, 1000)(s)
}

fn five_digits(s: &str) -> Option<String> {
    digits(5, 0)(s)
}

/// Dutch postcode: 4 digits (not starting with 0) and 2 letters, other than SA, SD and SS.
fn dutch(s: &str) -> Option<String> {
    let compact = check::compact(s, &[]);
    let (num, letters) = (compact.get(..4)?, compact.get(4..)?);
    let ok = compact.len() == 6
        && four_digits_from_1000(num).is_some()
        && letters.bytes().all(|b| b.is_ascii_uppercase())
        && !matches!(letters, "SA" | "SD" | "SS");
    ok.then(|| format!("{num} {letters}"))
}

fn postcode_rule(country: CountryCode) -> Option<PostcodeRule> {
    let rule = |rule, prefixes, check| {
        Some(PostcodeRule {
            rule,
            prefixes,
            check,
        })
    };
    match country.as_str() {
        "BE" => rule(
            "a Belgian postcode is 4 digits, 1000 to 9999",
            &["B-", "BE-"],
            four_digits_from_1000,
        ),
        "FR" => rule("a French postcode is 5 digits", &["F-", "FR-"], five_digits),
        "LU" => rule(
            "a Luxembourg postcode is 4 digits",
            &["L-", "LU-"],
            four_digits,
        ),
        "DE" => rule("a German postcode is 5 digits", &["D-", "DE-"], five_digits),
        "AT" => rule(
            "an Austrian postcode is 4 digits",
            &["A-", "AT-"],
            four_digits,
        ),
        "CH" => rule("a Swiss postcode is 4 digits", &["CH-"], four_digits),
        "IT" => rule(
            "an Italian postcode is 5 digits",
            &["I-", "IT-"],
            five_digits,
        ),
        "ES" => rule(
            "a Spanish postcode is 5 digits",
            &["E-", "ES-"],
            five_digits,
        ),
        "NL" => rule(
            "a Dutch postcode is 4 digits and 2 letters, as in 1011 AB",
            &["NL-"],
            dutch,
        ),
        _ => None,
    }
}

impl PostalAddress {
    /// Checks and normalises the fields: lines and city are trimmed and blank lines dropped;
    /// the postcode is checked by country.
    pub fn new<L: AsRef<str>>(
        lines: &[L],
        postcode: Option<&str>,
        city: &str,
        country: CountryCode,
    ) -> Result<PostalAddress, AddressError> {
        let lines: Vec<String> = lines
            .iter()
            .map(|l| l.as_ref().trim().to_string())
            .filter(|l| !l.is_empty())
            .collect();
        if lines.is_empty() {
            return Err(AddressError::NoStreetLine);
        }
        if lines.len() > 3 {
            return Err(AddressError::TooManyLines(lines.len()));
        }
        let city = city.trim().to_string();
        if city.is_empty() {
            return Err(AddressError::EmptyCity);
        }
        let postcode = postcode.map(str::trim).filter(|p| !p.is_empty());
        let postcode = match (postcode_rule(country), postcode) {
            (Some(_), None) => return Err(AddressError::MissingPostcode(country)),
            (Some(rule), Some(given)) => {
                let upper = given.to_ascii_uppercase();
                let bare = rule
                    .prefixes
                    .iter()
                    .find_map(|p| upper.strip_prefix(*p))
                    .unwrap_or(&upper)
                    .trim();
                let checked = (rule.check)(bare).ok_or_else(|| AddressError::Postcode {
                    value: given.to_string(),
                    rule: rule.rule,
                })?;
                Some(checked)
            }
            (None, Some(given)) if given.chars().count() > 16 => {
                return Err(AddressError::Postcode {
                    value: given.to_string(),
                    rule: "a postcode has at most 16 characters",
                });
            }
            (None, given) => given.map(str::to_string),
        };
        Ok(PostalAddress {
            lines,
            postcode,
            city,
            country,
        })
    }

    /// The address lines, street line first.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// The street line.
    pub fn street(&self) -> &str {
        self.lines.first().map(String::as_str).unwrap_or_default()
    }

    pub fn postcode(&self) -> Option<&str> {
        self.postcode.as_deref()
    }

    pub fn city(&self) -> &str {
        &self.city
    }

    pub fn country(&self) -> CountryCode {
        self.country
    }
}

impl fmt::Display for PostalAddress {
    /// One line per address line, then `postcode city`, then the country code.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for line in &self.lines {
            writeln!(f, "{line}")?;
        }
        match &self.postcode {
            Some(p) => writeln!(f, "{p} {}", self.city)?,
            None => writeln!(f, "{}", self.city)?,
        }
        write!(f, "{}", self.country)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn be(
        lines: &[&str],
        postcode: Option<&str>,
        city: &str,
    ) -> Result<PostalAddress, AddressError> {
        PostalAddress::new(lines, postcode, city, CountryCode::BE)
    }

    #[test]
    fn belgian_address() {
        let a = be(
            &[" Rue Coenraets 72 ", ""],
            Some(" B-1060 "),
            " Saint-Gilles ",
        )
        .unwrap();
        assert_eq!(a.lines(), ["Rue Coenraets 72"]);
        assert_eq!(a.street(), "Rue Coenraets 72");
        assert_eq!(a.postcode(), Some("1060"));
        assert_eq!(a.city(), "Saint-Gilles");
        assert_eq!(a.country(), CountryCode::BE);
        assert_eq!(a.to_string(), "Rue Coenraets 72\n1060 Saint-Gilles\nBE");
    }

    #[test]
    fn postcodes() {
        assert_eq!(
            be(&["Rue X 1"], Some("106"), "Bruxelles")
                .unwrap_err()
                .to_string(),
            "address: postcode 106: a Belgian postcode is 4 digits, 1000 to 9999"
        );
        assert!(be(&["Rue X 1"], Some("0999"), "Bruxelles").is_err());
        assert_eq!(
            be(&["Rue X 1"], None, "Bruxelles"),
            Err(AddressError::MissingPostcode(CountryCode::BE))
        );
        let fr = |p| PostalAddress::new(&["1 rue de Rivoli"], Some(p), "Paris", CountryCode::FR);
        assert_eq!(fr("75001").unwrap().postcode(), Some("75001"));
        assert_eq!(fr("F-75001").unwrap().postcode(), Some("75001"));
        assert!(fr("7500").is_err());
        assert!(fr("75 001x").is_err());
        let nl = PostalAddress::new(&["Dam 1"], Some("1012jS"), "Amsterdam", CountryCode::NL);
        assert_eq!(nl.unwrap().postcode(), Some("1012 JS"));
        assert!(
            PostalAddress::new(&["Dam 1"], Some("1012 SS"), "Amsterdam", CountryCode::NL).is_err()
        );
        let lu = PostalAddress::new(&["2 rue X"], Some("L-1234"), "Luxembourg", CountryCode::LU);
        assert_eq!(lu.unwrap().postcode(), Some("1234"));
        // Elsewhere: optional, kept as written.
        let gb = PostalAddress::new(
            &["10 Downing St"],
            Some("SW1A 2AA"),
            "London",
            CountryCode::GB,
        );
        assert_eq!(gb.unwrap().postcode(), Some("SW1A 2AA"));
        let hk = CountryCode::parse("HK").unwrap();
        assert!(PostalAddress::new(&["1 Queen's Rd"], None, "Hong Kong", hk).is_ok());
    }

    #[test]
    fn lines_and_city() {
        assert_eq!(
            be(&[" ", ""], Some("1000"), "Bruxelles"),
            Err(AddressError::NoStreetLine)
        );
        let empty: [&str; 0] = [];
        assert_eq!(
            be(&empty, Some("1000"), "Bruxelles"),
            Err(AddressError::NoStreetLine)
        );
        assert_eq!(
            be(&["a", "b", "c", "d"], Some("1000"), "X"),
            Err(AddressError::TooManyLines(4))
        );
        assert_eq!(
            be(&["Rue X 1"], Some("1000"), "  "),
            Err(AddressError::EmptyCity)
        );
        let a = be(
            &["Rue X 1", "Boîte 3", "Bâtiment B"],
            Some("1000"),
            "Bruxelles",
        )
        .unwrap();
        assert_eq!(a.lines().len(), 3);
    }

    #[test]
    fn serde_round_trip() {
        let a = be(&["Rue Coenraets 72"], Some("1060"), "Saint-Gilles").unwrap();
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(
            json,
            r#"{"lines":["Rue Coenraets 72"],"postcode":"1060","city":"Saint-Gilles","country":"BE"}"#
        );
        assert_eq!(serde_json::from_str::<PostalAddress>(&json).unwrap(), a);
        let bad = r#"{"lines":["Rue Coenraets 72"],"postcode":"106","city":"Saint-Gilles","country":"BE"}"#;
        assert!(serde_json::from_str::<PostalAddress>(bad).is_err());
        let bad_country = r#"{"lines":["x"],"city":"y","country":"QQ"}"#;
        assert!(serde_json::from_str::<PostalAddress>(bad_country).is_err());
        let no_postcode = r#"{"lines":["1 Queen's Rd"],"city":"Hong Kong","country":"HK"}"#;
        assert!(serde_json::from_str::<PostalAddress>(no_postcode).is_ok());
    }
}
