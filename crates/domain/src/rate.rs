//! Rates (contribution rates, tax rates, fees) as integer parts per million.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::money::{Money, div_round_half_away};

const PPM: i64 = 1_000_000;

/// A rate held as integer parts per million: 6.90 % is 69 000 ppm, 0.016 % is 160 ppm.
///
/// Written and read as a percentage (`"6.90%"`), applied to [`Money`] with half-away-from-zero
/// rounding to the cent, as a payslip line or an EN 16931 VAT line is rounded.
///
/// ```
/// use ensemble_domain::{Money, Rate};
/// let r: Rate = "6.90%".parse().unwrap();
/// assert_eq!(r.of(Money::from_cents(250_000)), Money::from_cents(17_250));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rate(i64);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RateError {
    #[error("\"{0}\" is not a percentage: expected a number like 6.90 or \"6.90%\"")]
    Syntax(String),
    #[error("\"{0}\" is too precise: a rate has at most four decimals in percent")]
    TooPrecise(String),
    #[error("\"{0}\" is out of range: a rate lies between -1000% and 1000%")]
    OutOfRange(String),
}

impl Rate {
    pub const ZERO: Rate = Rate(0);
    pub const ONE: Rate = Rate(PPM);

    pub const fn from_ppm(ppm: i64) -> Rate {
        Rate(ppm)
    }

    pub const fn ppm(self) -> i64 {
        self.0
    }

    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// `base × rate`, rounded half away from zero to the cent.
    #[inline]
    pub fn of(self, base: Money) -> Money {
        let b = base.cents();
        match b.checked_mul(self.0) {
            Some(p) => Money::from_cents(div_round_half_away_i64(p, PPM)),
            None => Money::from_cents(div_round_half_away(
                i128::from(b) * i128::from(self.0),
                i128::from(PPM),
            )),
        }
    }

    /// Parses a percentage: `"6.90%"`, `"6.90 %"` or `"6.9"` are all 6.90 %.
    pub fn parse_percent(text: &str) -> Result<Rate, RateError> {
        let s = text.trim();
        let s = s.strip_suffix('%').map(str::trim_end).unwrap_or(s);
        parse_scaled(s, text, 4).map(Rate)
    }

    /// Parses a percentage that must carry its `%` sign, as rule packs write them.
    pub fn parse_percent_strict(text: &str) -> Result<Rate, RateError> {
        if !text.trim_end().ends_with('%') {
            return Err(RateError::Syntax(text.to_string()));
        }
        Rate::parse_percent(text)
    }

    /// The sum of two rates.
    pub const fn plus(self, other: Rate) -> Rate {
        Rate(self.0 + other.0)
    }
}

/// Parses a decimal number of percent into ppm (percent with `decimals` ≤ 4 digits).
fn parse_scaled(s: &str, original: &str, decimals: usize) -> Result<i64, RateError> {
    let syntax = || RateError::Syntax(original.to_string());
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || (digits.contains('.') && frac.is_empty())
    {
        return Err(syntax());
    }
    let frac = frac.trim_end_matches('0');
    if frac.len() > decimals {
        return Err(RateError::TooPrecise(original.to_string()));
    }
    if whole.len() > 4 {
        return Err(RateError::OutOfRange(original.to_string()));
    }
    let whole: i64 = whole.parse().map_err(|_| syntax())?;
    let mut value = whole * 10_000;
    let mut scale = 1_000;
    for b in frac.bytes() {
        value += i64::from(b - b'0') * scale;
        scale /= 10;
    }
    // value is in 1/10 000 of a percent = ppm.
    if value > 1_000 * 10_000 {
        return Err(RateError::OutOfRange(original.to_string()));
    }
    Ok(if negative { -value } else { value })
}

#[inline]
fn div_round_half_away_i64(n: i64, d: i64) -> i64 {
    let q = n / d;
    let r = n % d;
    if 2 * r.abs() >= d { q + n.signum() } else { q }
}

impl FromStr for Rate {
    type Err = RateError;
    fn from_str(s: &str) -> Result<Rate, RateError> {
        Rate::parse_percent(s)
    }
}

impl Rate {
    /// Writes the percentage with at least two decimals (`6.90`, `0.016`, `13.07`) into `buf`.
    pub fn format_into(self, buf: &mut [u8; 24]) -> &str {
        let start = self.digits(buf);
        std::str::from_utf8(&buf[start..]).unwrap_or("")
    }

    /// Appends the percentage to a byte buffer (JSON and CSV writers).
    pub fn append_to(self, out: &mut Vec<u8>) {
        let mut buf = [0; 24];
        let start = self.digits(&mut buf);
        out.extend_from_slice(&buf[start..]);
    }

    /// Writes the digits at the end of `buf`; returns where they start.
    fn digits(self, buf: &mut [u8; 24]) -> usize {
        let abs = self.0.unsigned_abs();
        let mut frac = abs % 10_000;
        let mut whole = abs / 10_000;
        // Four decimal digits, trailing zeros dropped down to two.
        let mut digits = 4;
        while digits > 2 && frac.is_multiple_of(10) {
            frac /= 10;
            digits -= 1;
        }
        let mut i = buf.len();
        for _ in 0..digits {
            i -= 1;
            buf[i] = b'0' + (frac % 10) as u8;
            frac /= 10;
        }
        i -= 1;
        buf[i] = b'.';
        loop {
            i -= 1;
            buf[i] = b'0' + (whole % 10) as u8;
            whole /= 10;
            if whole == 0 {
                break;
            }
        }
        if self.0 < 0 {
            i -= 1;
            buf[i] = b'-';
        }
        i
    }
}

impl fmt::Display for Rate {
    /// The percentage with at least two decimals: `6.90`, `0.016`, `13.07`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.format_into(&mut [0; 24]))
    }
}

impl Serialize for Rate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.format_into(&mut [0; 24]))
    }
}

impl<'de> Deserialize<'de> for Rate {
    /// Accepts `"6.90%"`, `"6.90"` or the number `6.9` (read through its decimal text).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Rate, D::Error> {
        crate::money::deserialize_decimal(deserializer, "a percentage such as \"6.90%\" or 6.9")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_percentages() {
        assert_eq!(Rate::parse_percent("6.90%").unwrap().ppm(), 69_000);
        assert_eq!(Rate::parse_percent("6.9 %").unwrap().ppm(), 69_000);
        assert_eq!(Rate::parse_percent("0.016").unwrap().ppm(), 160);
        assert_eq!(Rate::parse_percent("98.25%").unwrap().ppm(), 982_500);
        assert_eq!(Rate::parse_percent("13.07").unwrap().ppm(), 130_700);
        assert!(Rate::parse_percent_strict("6.90").is_err());
        assert!(Rate::parse_percent("6.12345").is_err());
        assert!(Rate::parse_percent("abc").is_err());
        assert!(Rate::parse_percent("1001").is_err());
    }

    #[test]
    fn prints_at_least_two_decimals() {
        assert_eq!(Rate::from_ppm(69_000).to_string(), "6.90");
        assert_eq!(Rate::from_ppm(160).to_string(), "0.016");
        assert_eq!(Rate::from_ppm(130_700).to_string(), "13.07");
        assert_eq!(Rate::from_ppm(1_000_000).to_string(), "100.00");
        assert_eq!(Rate::from_ppm(-402_100).to_string(), "-40.21");
        assert_eq!(Rate::from_ppm(5_000).to_string(), "0.50");
    }

    #[test]
    fn applies_with_half_away_from_zero_rounding() {
        // 1823.03 × 6.90 % = 125.789 07 → 125.79
        assert_eq!(
            Rate::from_ppm(69_000).of(Money::from_cents(182_303)),
            Money::from_cents(12_579)
        );
        // 0.50 × 1 % = 0.005 → 0.01, and -0.005 → -0.01
        assert_eq!(
            Rate::from_ppm(10_000).of(Money::from_cents(50)),
            Money::from_cents(1)
        );
        assert_eq!(
            Rate::from_ppm(10_000).of(Money::from_cents(-50)),
            Money::from_cents(-1)
        );
        // Products beyond i64 take the wide path and stay exact.
        let big = Money::from_cents(99_999_999_999_999);
        assert_eq!(
            Rate::from_ppm(10_000_000).of(big),
            Money::from_cents(999_999_999_999_990)
        );
    }
}
