//! EU VAT identification numbers ([`VatId`]), with the country prefix.
//!
//! Checked by their check digits (the national algorithms, as python-stdnum implements them):
//! AT, BE, DE, DK, EE, EL (Greece), ES, FI, FR, HR, IE, IT, LU, NL, PL, PT, SE, SI.
//! Checked by format only (length and characters): BG, CY, CZ, HU, LT, LV, MT, RO, SK. French
//! numbers with an old-style alphanumeric key are also checked by format only (their key
//! algorithm is not published); [`VatId::check_level`] says which applied. Whether a number is
//! actually registered is a VIES question, outside this crate.

use std::fmt;

use super::be::{self, BeEnterpriseNumber};
use super::check::{self, string_identifier};
use super::country_code::CountryCode;
use super::fr::Siren;

/// An EU VAT identification number such as `BE0403170701` or `FR44732829320`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VatId {
    value: String,
    country: CountryCode,
    level: VatCheck,
}

/// How thoroughly a VAT number was checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VatCheck {
    /// Format and the country's check digits.
    CheckDigits,
    /// Format only: no public check-digit algorithm is implemented for this number.
    FormatOnly,
}

/// Why a string is not a VAT number. The messages name the value and the rule.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VatError {
    #[error("VAT number is empty")]
    Empty,
    #[error(
        "VAT number {0}: must start with the prefix of an EU member state (AT, BE, BG, CY, CZ, DE, DK, EE, EL, ES, FI, FR, HR, HU, IE, IT, LT, LU, LV, MT, NL, PL, PT, RO, SE, SI, SK)"
    )]
    Prefix(String),
    #[error("VAT number {0}: Greek VAT numbers start with EL, not GR")]
    GreekPrefix(String),
    #[error("VAT number {value}: {rule}")]
    Format { value: String, rule: &'static str },
    #[error("VAT number {value}: check digits do not match ({rule})")]
    CheckDigits { value: String, rule: &'static str },
}

/// What went wrong in a country check, before the value is attached.
enum Failure {
    Format(&'static str),
    Check(&'static str),
}

type Outcome = Result<VatCheck, Failure>;

impl VatId {
    /// Prefixes whose numbers are checked by their check digits.
    pub const DIGIT_CHECKED: [&'static str; 18] = [
        "AT", "BE", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "IE", "IT", "LU", "NL", "PL",
        "PT", "SE", "SI",
    ];
    /// Prefixes whose numbers are checked by format only.
    pub const FORMAT_ONLY: [&'static str; 9] =
        ["BG", "CY", "CZ", "HU", "LT", "LV", "MT", "RO", "SK"];

    /// Parses a VAT number with its country prefix, stripping spaces, dots, dashes, slashes,
    /// colons and commas and upper-casing: `BE 0403.170.701`, `fr 44 732829320`. Leading
    /// zeros are put back where people drop them: Belgian numbers in the former 9-digit form,
    /// Greek ones in the former 8-digit form, Dutch ones with fewer than 9 digits before `B`.
    pub fn parse(input: &str) -> Result<VatId, VatError> {
        let given = input.trim();
        let compact = check::compact(given, &['.', '-', '/', ':', ',']);
        if compact.is_empty() {
            return Err(VatError::Empty);
        }
        let (prefix, number) = match (compact.get(..2), compact.get(2..)) {
            (Some(p), Some(n)) => (p, n),
            _ => return Err(VatError::Prefix(given.to_string())),
        };
        if prefix == "GR" {
            return Err(VatError::GreekPrefix(given.to_string()));
        }
        let country = match prefix {
            "EL" => CountryCode::lookup("GR"),
            p if Self::DIGIT_CHECKED.contains(&p) || Self::FORMAT_ONLY.contains(&p) => {
                CountryCode::lookup(p)
            }
            _ => None,
        }
        .ok_or_else(|| VatError::Prefix(given.to_string()))?;

        let number = restore_leading_zeros(prefix, number);
        let outcome = check_number(prefix, &number);
        match outcome {
            Ok(level) => Ok(VatId {
                value: format!("{prefix}{number}"),
                country,
                level,
            }),
            Err(Failure::Format(rule)) => Err(VatError::Format {
                value: given.to_string(),
                rule,
            }),
            Err(Failure::Check(rule)) => Err(VatError::CheckDigits {
                value: given.to_string(),
                rule,
            }),
        }
    }

    /// The compact form with its prefix: `BE0403170701`.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The VAT prefix: the ISO country code, except `EL` for Greece.
    pub fn prefix(&self) -> &str {
        self.value.get(..2).unwrap_or_default()
    }

    /// The number after the prefix.
    pub fn number(&self) -> &str {
        self.value.get(2..).unwrap_or_default()
    }

    /// The ISO 3166-1 country (`GR` for a Greek `EL` number).
    pub fn country(&self) -> CountryCode {
        self.country
    }

    /// Whether check digits or only the format were checked.
    pub fn check_level(&self) -> VatCheck {
        self.level
    }

    /// The Belgian enterprise number of a `BE` VAT number.
    pub fn be_enterprise_number(&self) -> Option<BeEnterpriseNumber> {
        BeEnterpriseNumber::from_vat_id(self)
    }

    /// The SIREN of a French VAT number; `None` for other countries and for Monaco's
    /// numbers (SIREN part starting with 000), which are not SIRENs.
    pub fn siren(&self) -> Option<Siren> {
        if self.prefix() != "FR" {
            return None;
        }
        let siren = self.number().get(2..)?;
        if siren.starts_with("000") {
            return None;
        }
        Siren::parse(siren).ok()
    }

    pub(crate) fn from_be_enterprise_number(number: &BeEnterpriseNumber) -> VatId {
        VatId {
            value: format!("BE{}", number.as_str()),
            country: CountryCode::BE,
            level: VatCheck::CheckDigits,
        }
    }

    pub(crate) fn from_siren(siren: &Siren) -> VatId {
        let n = check::number(siren.as_str()).unwrap_or_default();
        VatId {
            value: format!("FR{:02}{}", fr_key(n), siren.as_str()),
            country: CountryCode::FR,
            level: VatCheck::CheckDigits,
        }
    }
}

string_identifier!(VatId, VatError);

impl fmt::Display for VatId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl fmt::Debug for VatId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VatId({})", self.value)
    }
}

/// Puts back the leading zeros of the forms people write without them: Belgian numbers in
/// the former 9-digit form, Greek numbers in the former 8-digit form, Dutch numbers whose
/// 9 digits before the `B` lost their leading zeros.
fn restore_leading_zeros(prefix: &str, number: &str) -> String {
    match prefix {
        "BE" if number.len() == 9 && check::is_digits(number) => format!("0{number}"),
        "EL" if number.len() == 8 && check::is_digits(number) => format!("0{number}"),
        "NL" => match number.split_once('B') {
            Some((digits, suffix)) if digits.len() < 9 && check::is_digits(digits) => {
                format!("{digits:0>9}B{suffix}")
            }
            _ => number.to_string(),
        },
        _ => number.to_string(),
    }
}

/// The French numeric key: (12 + 3 × (SIREN mod 97)) mod 97.
fn fr_key(siren: u64) -> u64 {
    (12 + 3 * (siren % 97)) % 97
}

/// `len` digits (any of `lens`).
fn digits_of_len(number: &str, lens: &[usize]) -> bool {
    check::is_digits(number) && lens.contains(&number.len())
}

/// Digits, `len` long, first digit not 0.
fn digits_no_leading_zero(number: &str, len: usize) -> bool {
    digits_of_len(number, &[len]) && !number.starts_with('0')
}

fn verdict(ok: bool, rule: &'static str) -> Outcome {
    if ok {
        Ok(VatCheck::CheckDigits)
    } else {
        Err(Failure::Check(rule))
    }
}

fn format_only(ok: bool, rule: &'static str) -> Outcome {
    if ok {
        Ok(VatCheck::FormatOnly)
    } else {
        Err(Failure::Format(rule))
    }
}

fn check_number(prefix: &str, n: &str) -> Outcome {
    use Failure::Format;
    match prefix {
        "AT" => {
            let rule = "an Austrian VAT number is U followed by 8 digits";
            let digits = n.strip_prefix('U').ok_or(Format(rule))?;
            if !digits_of_len(digits, &[8]) {
                return Err(Format(rule));
            }
            let body = digits.get(..7).unwrap_or_default();
            let expected = (6 - check::luhn_checksum(body) as i32).rem_euclid(10) as u32;
            verdict(
                digits.bytes().last().map(check::digit) == Some(expected),
                "Luhn-based check digit",
            )
        }
        "BE" => {
            if !digits_of_len(n, &[10]) || !(n.starts_with('0') || n.starts_with('1')) {
                return Err(Format(
                    "a Belgian VAT number is 10 digits starting with 0 or 1",
                ));
            }
            verdict(
                be::enterprise_number_valid(n),
                "97 − first eight digits mod 97",
            )
        }
        "DE" => {
            if !digits_no_leading_zero(n, 9) {
                return Err(Format(
                    "a German VAT number is 9 digits not starting with 0",
                ));
            }
            verdict(check::mod11_10_valid(n), "ISO 7064 MOD 11,10")
        }
        "DK" => {
            if !digits_no_leading_zero(n, 8) {
                return Err(Format(
                    "a Danish VAT number is 8 digits not starting with 0",
                ));
            }
            verdict(
                check::weighted_sum(n, &[2, 7, 6, 5, 4, 3, 2, 1]).is_multiple_of(11),
                "weights 2, 7, 6, 5, 4, 3, 2, 1 mod 11",
            )
        }
        "EE" => {
            if !digits_of_len(n, &[9]) {
                return Err(Format("an Estonian VAT number is 9 digits"));
            }
            verdict(
                check::weighted_sum(n, &[3, 7, 1, 3, 7, 1, 3, 7, 1]).is_multiple_of(10),
                "weights 3, 7, 1 mod 10",
            )
        }
        "EL" => {
            if !digits_of_len(n, &[9]) {
                return Err(Format("a Greek VAT number is 9 digits"));
            }
            let sum = check::digits(n.get(..8).unwrap_or_default()).fold(0u32, |c, d| c * 2 + d);
            verdict(
                n.bytes().last().map(check::digit) == Some(sum * 2 % 11 % 10),
                "powers of 2 mod 11",
            )
        }
        "ES" => check_es(n),
        "FI" => {
            if !digits_of_len(n, &[8]) {
                return Err(Format("a Finnish VAT number is 8 digits"));
            }
            verdict(
                check::weighted_sum(n, &[7, 9, 10, 5, 8, 4, 2, 1]).is_multiple_of(11),
                "weights 7, 9, 10, 5, 8, 4, 2, 1 mod 11",
            )
        }
        "FR" => check_fr(n),
        "HR" => {
            if !digits_of_len(n, &[11]) {
                return Err(Format("a Croatian VAT number (OIB) is 11 digits"));
            }
            verdict(check::mod11_10_valid(n), "ISO 7064 MOD 11,10")
        }
        "IE" => check_ie(n),
        "IT" => {
            let rule = "an Italian VAT number is 11 digits, the 8th to 10th being a province office code (001–100, 120, 121, 888 or 999)";
            if !digits_of_len(n, &[11]) || n.get(..7) == Some("0000000") {
                return Err(Format(rule));
            }
            let office = n.get(7..10).and_then(check::number).unwrap_or_default();
            if !matches!(office, 1..=100 | 120 | 121 | 888 | 999) {
                return Err(Format(rule));
            }
            verdict(check::luhn_valid(n), "Luhn")
        }
        "LU" => {
            if !digits_of_len(n, &[8]) {
                return Err(Format("a Luxembourg VAT number is 8 digits"));
            }
            let body = n.get(..6).and_then(check::number).unwrap_or_default();
            let key = n.get(6..).and_then(check::number).unwrap_or_default();
            verdict(body % 89 == key, "first six digits mod 89")
        }
        "NL" => check_nl(n),
        "PL" => {
            if !digits_of_len(n, &[10]) {
                return Err(Format("a Polish VAT number (NIP) is 10 digits"));
            }
            let sum = check::weighted_sum(n, &[6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11;
            verdict(
                n.bytes().last().map(check::digit) == Some(sum),
                "weights 6, 5, 7, 2, 3, 4, 5, 6, 7 mod 11",
            )
        }
        "PT" => {
            if !digits_no_leading_zero(n, 9) {
                return Err(Format(
                    "a Portuguese VAT number (NIF) is 9 digits not starting with 0",
                ));
            }
            let s = check::weighted_sum(n, &[9, 8, 7, 6, 5, 4, 3, 2]) as i32;
            let expected = ((11 - s).rem_euclid(11) % 10) as u32;
            verdict(
                n.bytes().last().map(check::digit) == Some(expected),
                "weights 9 to 2 mod 11",
            )
        }
        "SE" => {
            if !digits_of_len(n, &[12]) || !n.ends_with("01") {
                return Err(Format("a Swedish VAT number is 12 digits ending in 01"));
            }
            verdict(
                n.get(..10).is_some_and(check::luhn_valid),
                "Luhn check of the organisation number",
            )
        }
        "SI" => {
            if !digits_no_leading_zero(n, 8) {
                return Err(Format(
                    "a Slovenian VAT number is 8 digits not starting with 0",
                ));
            }
            let check = 11 - check::weighted_sum(n, &[8, 7, 6, 5, 4, 3, 2]) % 11;
            let expected = if check == 10 { 0 } else { check };
            verdict(
                n.bytes().last().map(check::digit) == Some(expected),
                "weights 8 to 2 mod 11",
            )
        }
        "BG" => format_only(
            digits_of_len(n, &[9, 10]),
            "a Bulgarian VAT number is 9 or 10 digits",
        ),
        "CY" => format_only(
            n.len() == 9
                && n.get(..8).is_some_and(check::is_digits)
                && n.bytes().last().is_some_and(|b| b.is_ascii_uppercase()),
            "a Cypriot VAT number is 8 digits and a letter",
        ),
        "CZ" => format_only(
            digits_of_len(n, &[8, 9, 10]),
            "a Czech VAT number is 8, 9 or 10 digits",
        ),
        "HU" => format_only(digits_of_len(n, &[8]), "a Hungarian VAT number is 8 digits"),
        "LT" => format_only(
            digits_of_len(n, &[9, 12]),
            "a Lithuanian VAT number is 9 or 12 digits",
        ),
        "LV" => format_only(digits_of_len(n, &[11]), "a Latvian VAT number is 11 digits"),
        "MT" => format_only(digits_of_len(n, &[8]), "a Maltese VAT number is 8 digits"),
        "RO" => format_only(
            digits_of_len(n, &[2, 3, 4, 5, 6, 7, 8, 9, 10]) && !n.starts_with('0'),
            "a Romanian VAT number is 2 to 10 digits not starting with 0",
        ),
        "SK" => format_only(digits_of_len(n, &[10]), "a Slovak VAT number is 10 digits"),
        _ => Err(Format("unknown VAT prefix")),
    }
}

/// France: a key of two characters and a SIREN. A numeric key is
/// (12 + 3 × (SIREN mod 97)) mod 97; the old alphanumeric keys (letters except I and O) are
/// accepted by format only. The SIREN must pass the Luhn check, except Monaco's numbers
/// (SIREN part starting with 000).
fn check_fr(n: &str) -> Outcome {
    const KEY_ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let (Some(key), Some(siren)) = (n.get(..2), n.get(2..)) else {
        return Err(Failure::Format(
            "a French VAT number is a 2-character key and a 9-digit SIREN",
        ));
    };
    if n.len() != 11 || !check::is_digits(siren) || !key.bytes().all(|b| KEY_ALPHABET.contains(&b))
    {
        return Err(Failure::Format(
            "a French VAT number is a 2-character key and a 9-digit SIREN",
        ));
    }
    if !siren.starts_with("000") && !check::luhn_valid(siren) {
        return Err(Failure::Check("Luhn check of the SIREN"));
    }
    match (check::number(key), check::number(siren)) {
        (Some(key), Some(siren)) => verdict(
            key == fr_key(siren),
            "key = (12 + 3 × (SIREN mod 97)) mod 97",
        ),
        _ => Ok(VatCheck::FormatOnly),
    }
}

/// The Netherlands: 9 digits, `B`, 2 digits. The 9 digits pass the BSN eleven-test (the
/// historical rule), or the whole `NL` number passes ISO 7064 MOD 97-10 (numbers issued to
/// sole traders since 2020).
fn check_nl(n: &str) -> Outcome {
    let rule = "a Dutch VAT number is 9 digits, B and 2 digits (not 00)";
    let (Some(body), Some(b), Some(suffix)) = (n.get(..9), n.get(9..10), n.get(10..)) else {
        return Err(Failure::Format(rule));
    };
    if n.len() != 12
        || !check::is_digits(body)
        || b != "B"
        || !check::is_digits(suffix)
        || check::number(body) == Some(0)
        || check::number(suffix) == Some(0)
    {
        return Err(Failure::Format(rule));
    }
    let weighted: i32 = check::weighted_sum(body, &[9, 8, 7, 6, 5, 4, 3, 2]) as i32;
    let last = body.bytes().last().map(check::digit).unwrap_or_default() as i32;
    let bsn_ok = (weighted - last).rem_euclid(11) == 0;
    let mod97_ok = check::mod97(&format!("NL{n}")) == Some(1);
    verdict(bsn_ok || mod97_ok, "BSN eleven-test or ISO 7064 MOD 97-10")
}

/// Spanish control letter of a DNI number.
fn dni_letter(n: u64) -> u8 {
    const LETTERS: &[u8] = b"TRWAGMYFPDXBNJZSQVHLCKE";
    LETTERS.get((n % 23) as usize).copied().unwrap_or(b'?')
}

/// Spain: the NIF. Natural persons: 8 digits and a control letter (DNI); foreigners: X, Y or Z,
/// 7 digits and the letter (NIE, X/Y/Z counting as 0/1/2); K, L, M: 7 digits and the DNI
/// letter. Legal entities (CIF): an organisation letter, 7 digits and a control digit or letter
/// from the Luhn check digit of the 7 digits.
fn check_es(n: &str) -> Outcome {
    let rule = "a Spanish VAT number (NIF) is 9 characters: a letter or digit, 7 digits, a letter or digit";
    let (Some(first), Some(middle), Some(last)) =
        (n.bytes().next(), n.get(1..8), n.as_bytes().get(8).copied())
    else {
        return Err(Failure::Format(rule));
    };
    if n.len() != 9 || !check::is_digits(middle) {
        return Err(Failure::Format(rule));
    }
    let middle_value = check::number(middle).unwrap_or_default();
    match first {
        b'0'..=b'9' => {
            let all = u64::from(first - b'0') * 10_000_000 + middle_value;
            verdict(last == dni_letter(all), "DNI control letter")
        }
        b'X' | b'Y' | b'Z' => {
            let lead = u64::from(first - b'X');
            verdict(
                last == dni_letter(lead * 10_000_000 + middle_value),
                "NIE control letter",
            )
        }
        b'K' | b'L' | b'M' => verdict(last == dni_letter(middle_value), "DNI control letter"),
        b'A'..=b'H' | b'J' | b'N' | b'P' | b'Q' | b'R' | b'S' | b'U' | b'V' | b'W' => {
            let digit = check::luhn_check_digit(middle);
            let letter = b"JABCDEFGHI".get(digit as usize).copied();
            verdict(
                Some(last) == letter || u32::from(last) == u32::from(b'0') + digit,
                "CIF control character",
            )
        }
        _ => Err(Failure::Format(rule)),
    }
}

/// Ireland: 7 digits and a check letter, optionally followed by a second letter (new form),
/// or the old form digit, letter (or + or *), 5 digits, check letter. The check letter is
/// Σ weight × digit (+ 9 × the second letter's value) mod 23 over `WABCDEFGHIJKLMNOPQRSTUV`.
fn check_ie(n: &str) -> Outcome {
    const ALPHABET: &[u8] = b"WABCDEFGHIJKLMNOPQRSTUV";
    let rule = "an Irish VAT number is 7 digits and 1 or 2 letters (or the old form: digit, letter, 5 digits, letter)";
    let bytes = n.as_bytes();
    let format_ok = (bytes.len() == 8 || bytes.len() == 9)
        && bytes.first().is_some_and(u8::is_ascii_digit)
        && n.get(2..7).is_some_and(check::is_digits)
        && bytes
            .get(7..)
            .is_some_and(|t| t.iter().all(|b| ALPHABET.contains(b)));
    if !format_ok {
        return Err(Failure::Format(rule));
    }
    let letter_value = |b: Option<&u8>| -> u32 {
        b.and_then(|b| ALPHABET.iter().position(|a| a == b))
            .map_or(0, |p| p as u32)
    };
    // Σ (8 − i) × digit over seven digits, + 9 × value of an optional letter, mod 23.
    let check_letter = |seven: &str, extra: Option<&u8>| -> Option<u8> {
        let sum = check::weighted_sum(seven, &[8, 7, 6, 5, 4, 3, 2]) + 9 * letter_value(extra);
        ALPHABET.get((sum % 23) as usize).copied()
    };
    let given = bytes.get(7).copied();
    if n.get(..7).is_some_and(check::is_digits) {
        let seven = n.get(..7).unwrap_or_default();
        verdict(
            check_letter(seven, bytes.get(8)) == given,
            "mod 23 check letter",
        )
    } else if bytes
        .get(1)
        .is_some_and(|b| b.is_ascii_uppercase() || *b == b'+' || *b == b'*')
    {
        let seven = format!(
            "0{}{}",
            n.get(2..7).unwrap_or_default(),
            n.get(..1).unwrap_or_default()
        );
        verdict(check_letter(&seven, None) == given, "mod 23 check letter")
    } else {
        Err(Failure::Format(rule))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> VatId {
        VatId::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn belgium() {
        let v = ok("BE 0403.170.701");
        assert_eq!(v.as_str(), "BE0403170701");
        assert_eq!(v.to_string(), "BE0403170701");
        assert_eq!(v.prefix(), "BE");
        assert_eq!(v.number(), "0403170701");
        assert_eq!(v.country(), CountryCode::BE);
        assert_eq!(v.check_level(), VatCheck::CheckDigits);
        assert_eq!(
            v.be_enterprise_number().unwrap().to_string(),
            "0403.170.701"
        );
        assert_eq!(ok("be403170701"), v);
        assert_eq!(
            VatId::parse("BE0403170702").unwrap_err().to_string(),
            "VAT number BE0403170702: check digits do not match (97 − first eight digits mod 97)"
        );
        assert_eq!(
            VatId::parse("BE2403170701").unwrap_err().to_string(),
            "VAT number BE2403170701: a Belgian VAT number is 10 digits starting with 0 or 1"
        );
    }

    #[test]
    fn france() {
        let v = ok("FR 44 732 829 320");
        assert_eq!(v.as_str(), "FR44732829320");
        assert_eq!(v.siren().unwrap().as_str(), "732829320");
        assert_eq!(ok("FR40303265045").check_level(), VatCheck::CheckDigits);
        assert!(matches!(
            VatId::parse("FR45732829320"),
            Err(VatError::CheckDigits { .. })
        ));
        // SIREN failing Luhn.
        assert!(matches!(
            VatId::parse("FR44732829321"),
            Err(VatError::CheckDigits {
                rule: "Luhn check of the SIREN",
                ..
            })
        ));
        // Old alphanumeric key: format only.
        let old = ok("FRK7399859412");
        assert_eq!(old.check_level(), VatCheck::FormatOnly);
        assert!(matches!(
            VatId::parse("FRI7399859412"),
            Err(VatError::Format { .. })
        ));
        // Monaco: SIREN part starting with 000, no Luhn, no SIREN.
        let monaco = ok(&format!("FR{:02}000123456", fr_key(123_456)));
        assert_eq!(monaco.siren(), None);
        assert_eq!(monaco.check_level(), VatCheck::CheckDigits);
    }

    #[test]
    fn other_checked_countries() {
        // Examples from python-stdnum's documentation, or computed with its algorithms.
        for s in [
            "DE136695976",
            "NL004495445B01",
            "NL000099998B57",
            "LU15027442",
            "IT00743110157",
            "ESA13585625",
            "ESX2482300W",
            "ES54362315K",
            "ESM1234567L",
            "ATU13585627",
            "PT501964843",
            "IE6433435F",
            "IE6433435OA",
            "IE8D79739I",
            "DK13585628",
            "PL8567346215",
            "SE123456789701",
            "FI20774740",
            "EL094259216",
            "HR33392005961",
            "EE100931558",
            "SI50223054",
        ] {
            let v = ok(s);
            assert_eq!(v.check_level(), VatCheck::CheckDigits, "{s}");
            assert_eq!(v.as_str(), s);
        }
        assert_eq!(ok("EL094259216").country().as_str(), "GR");
        assert_eq!(ok("EL094259216").prefix(), "EL");
        assert_eq!(ok("EL94259216").as_str(), "EL094259216");
        assert_eq!(ok("NL4495445B01").as_str(), "NL004495445B01");
        for s in [
            "DE136695978",
            "NL004495446B01",
            "LU15027443",
            "IT00743110158",
            "ESA13585626",
            "ATU13585626",
            "PT501964842",
            "IE6433435E",
            "DK13585627",
            "PL8567346216",
            "SE123456789601",
            "FI20774741",
            "EL094259217",
            "HR33392005962",
            "EE100931559",
            "SI50223055",
        ] {
            assert!(
                matches!(VatId::parse(s), Err(VatError::CheckDigits { .. })),
                "{s}"
            );
        }
    }

    #[test]
    fn format_only_countries() {
        for s in [
            "BG175074752",
            "BG7523169263",
            "CY10259033P",
            "CZ25123891",
            "HU12892312",
            "LT119511515",
            "LV40003521600",
            "MT11679112",
            "RO18547290",
            "SK2022749619",
        ] {
            assert_eq!(ok(s).check_level(), VatCheck::FormatOnly, "{s}");
        }
        for s in [
            "BG17507475",
            "CY102590331",
            "HU1289231",
            "RO0123",
            "SK202274961",
        ] {
            assert!(
                matches!(VatId::parse(s), Err(VatError::Format { .. })),
                "{s}"
            );
        }
    }

    #[test]
    fn prefixes() {
        assert_eq!(VatId::parse(""), Err(VatError::Empty));
        assert!(matches!(
            VatId::parse("GR094259216"),
            Err(VatError::GreekPrefix(_))
        ));
        assert!(matches!(
            VatId::parse("0403170701"),
            Err(VatError::Prefix(_))
        ));
        assert!(matches!(
            VatId::parse("GB980780684"),
            Err(VatError::Prefix(_))
        ));
        assert!(matches!(VatId::parse("B"), Err(VatError::Prefix(_))));
        assert_eq!(VatId::DIGIT_CHECKED.len() + VatId::FORMAT_ONLY.len(), 27);
    }

    #[test]
    fn serde_round_trip() {
        let v = ok("BE0403170701");
        assert_eq!(serde_json::to_string(&v).unwrap(), "\"BE0403170701\"");
        assert_eq!(
            serde_json::from_str::<VatId>("\"be 0403.170.701\"").unwrap(),
            v
        );
        assert!(serde_json::from_str::<VatId>("\"BE0403170702\"").is_err());
    }
}
