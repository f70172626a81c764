//! Money as integer euro cents.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The largest absolute amount Ensemble accepts from outside: 999 999 999 999.99 €.
/// Keeping amounts far below `i64::MAX` lets every product with a [`crate::Rate`] stay exact.
const MAX_ABS_CENTS: i64 = 99_999_999_999_999;

/// An amount of euros held as integer cents. Never a float.
///
/// ```
/// use ensemble_domain::Money;
/// let m: Money = "1069.52".parse().unwrap();
/// assert_eq!(m.cents(), 106_952);
/// assert_eq!(m.to_string(), "1069.52");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

/// Why a text is not an amount of money.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("\"{0}\" is not an amount: expected digits with at most two decimals, like 1069.52")]
    Syntax(String),
    #[error("\"{0}\" has more than two decimals: amounts are exact to the cent")]
    TooPrecise(String),
    #[error("\"{0}\" is out of range (at most 999 999 999 999.99)")]
    OutOfRange(String),
}

impl Money {
    pub const ZERO: Money = Money(0);

    /// An amount from integer cents.
    pub const fn from_cents(cents: i64) -> Money {
        Money(cents)
    }

    /// An amount from whole euros.
    pub const fn from_euros(euros: i64) -> Money {
        Money(euros * 100)
    }

    pub const fn cents(self) -> i64 {
        self.0
    }

    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    pub const fn is_positive(self) -> bool {
        self.0 > 0
    }

    pub fn abs(self) -> Money {
        Money(self.0.abs())
    }

    pub fn min(self, other: Money) -> Money {
        Money(self.0.min(other.0))
    }

    pub fn max(self, other: Money) -> Money {
        Money(self.0.max(other.0))
    }

    /// `self` multiplied by an integer, e.g. a monthly ceiling times 4.
    pub const fn times(self, factor: i64) -> Money {
        Money(self.0 * factor)
    }

    /// The part of `self` above `floor`, never negative.
    pub fn excess_over(self, floor: Money) -> Money {
        Money((self.0 - floor.0).max(0))
    }

    /// `self × numerator / denominator`, rounded half away from zero to the cent.
    /// Used for prorations (a ceiling for part-time hours, a yearly figure per month).
    pub fn prorate(self, numerator: i64, denominator: i64) -> Money {
        assert!(denominator > 0, "prorate by a non-positive denominator");
        Money(div_round_half_away(
            i128::from(self.0) * i128::from(numerator),
            i128::from(denominator),
        ))
    }

    /// Parses an amount and refuses amounts below zero.
    pub fn parse_non_negative(text: &str) -> Result<Money, MoneyError> {
        let m: Money = text.parse()?;
        if m.is_negative() {
            return Err(MoneyError::OutOfRange(text.to_string()));
        }
        Ok(m)
    }
}

/// `n / d` rounded half away from zero, for `d > 0`.
pub(crate) fn div_round_half_away(n: i128, d: i128) -> i64 {
    let q = n / d;
    let r = n % d;
    let q = if 2 * r.abs() >= d { q + n.signum() } else { q };
    // The callers keep both operands within `MAX_ABS_CENTS × 10^7`, so the quotient fits.
    q as i64
}

impl FromStr for Money {
    type Err = MoneyError;

    fn from_str(text: &str) -> Result<Money, MoneyError> {
        let s = text.trim();
        let (negative, digits) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let (whole, frac) = match digits.split_once('.') {
            Some((w, f)) => (w, f),
            None => (digits, ""),
        };
        let syntax = || MoneyError::Syntax(text.to_string());
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(syntax());
        }
        if digits.contains('.') && frac.is_empty() {
            return Err(syntax());
        }
        if !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(syntax());
        }
        // Trailing zeros beyond the cent are harmless ("12.500"); other digits are not.
        let frac_trimmed = frac.trim_end_matches('0');
        if frac_trimmed.len() > 2 {
            return Err(MoneyError::TooPrecise(text.to_string()));
        }
        if whole.len() > 12 {
            return Err(MoneyError::OutOfRange(text.to_string()));
        }
        let whole: i64 = whole.parse().map_err(|_| syntax())?;
        let mut cents_part = 0i64;
        for (i, b) in frac_trimmed.bytes().enumerate() {
            let digit = i64::from(b - b'0');
            cents_part += digit * if i == 0 { 10 } else { 1 };
        }
        let cents = whole * 100 + cents_part;
        if cents > MAX_ABS_CENTS {
            return Err(MoneyError::OutOfRange(text.to_string()));
        }
        Ok(Money(if negative { -cents } else { cents }))
    }
}

impl Money {
    /// Writes the amount as `-1234.56` into `buf` and returns the text, without the formatting
    /// machinery: batch exports write millions of amounts.
    pub fn format_into(self, buf: &mut [u8; 24]) -> &str {
        let start = self.digits(buf);
        // Only ASCII digits, '.' and '-' were written.
        std::str::from_utf8(&buf[start..]).unwrap_or("")
    }

    /// Appends the amount as `-1234.56` to a byte buffer (JSON and CSV writers).
    pub fn append_to(self, out: &mut Vec<u8>) {
        let mut buf = [0; 24];
        let start = self.digits(&mut buf);
        out.extend_from_slice(&buf[start..]);
    }

    /// Writes the digits at the end of `buf`; returns where they start.
    fn digits(self, buf: &mut [u8; 24]) -> usize {
        let mut i = buf.len();
        let mut abs = self.0.unsigned_abs();
        let cents = abs % 100;
        abs /= 100;
        i -= 1;
        buf[i] = b'0' + (cents % 10) as u8;
        i -= 1;
        buf[i] = b'0' + (cents / 10) as u8;
        i -= 1;
        buf[i] = b'.';
        loop {
            i -= 1;
            buf[i] = b'0' + (abs % 10) as u8;
            abs /= 10;
            if abs == 0 {
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

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.format_into(&mut [0; 24]))
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        self.0 -= rhs.0;
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.format_into(&mut [0; 24]))
    }
}

impl<'de> Deserialize<'de> for Money {
    /// Accepts `"1069.52"` or a JSON number. A number is read through its shortest decimal
    /// form (`1069.52`), never through float arithmetic, so `1069.52` is exactly 106 952 cents.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Money, D::Error> {
        deserialize_decimal(deserializer, "an amount such as \"1069.52\" or 1069.52")
    }
}

/// Deserialises a value written as a decimal string or a JSON number into a type parsed from
/// its text: numbers go through their shortest decimal form, never float arithmetic.
pub(crate) fn deserialize_decimal<'de, T, D>(
    deserializer: D,
    expecting: &'static str,
) -> Result<T, D::Error>
where
    T: FromStr,
    T::Err: fmt::Display,
    D: Deserializer<'de>,
{
    struct DecimalVisitor<T>(&'static str, std::marker::PhantomData<T>);
    impl<T> Visitor<'_> for DecimalVisitor<T>
    where
        T: FromStr,
        T::Err: fmt::Display,
    {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            v.parse().map_err(E::custom)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
            v.to_string().parse().map_err(E::custom)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
            v.to_string().parse().map_err(E::custom)
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
            if !v.is_finite() {
                return Err(E::custom("expected a finite number"));
            }
            // Rust prints the shortest text that reads back as the same f64.
            format!("{v}").parse().map_err(E::custom)
        }
    }
    deserializer.deserialize_any(DecimalVisitor(expecting, std::marker::PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_and_prints_to_the_cent() {
        assert_eq!("1069.52".parse::<Money>().unwrap().cents(), 106_952);
        assert_eq!("12".parse::<Money>().unwrap().cents(), 1_200);
        assert_eq!("12.5".parse::<Money>().unwrap().cents(), 1_250);
        assert_eq!("12.500".parse::<Money>().unwrap().cents(), 1_250);
        assert_eq!("-0.07".parse::<Money>().unwrap().cents(), -7);
        assert_eq!(Money::from_cents(-7).to_string(), "-0.07");
        assert_eq!(Money::from_cents(106_952).to_string(), "1069.52");
        assert_eq!(
            Money::from_cents(i64::MIN + 1).to_string(),
            "-92233720368547758.07"
        );
        assert_eq!(Money::ZERO.to_string(), "0.00");
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        for bad in [
            "", "abc", "1,5", "1.", ".5", "1.234", "1e3", "--1", "1 000", "NaN",
        ] {
            assert!(bad.parse::<Money>().is_err(), "{bad:?} parsed");
        }
        assert!(matches!(
            "1.234".parse::<Money>(),
            Err(MoneyError::TooPrecise(_))
        ));
        assert!(matches!(
            "1000000000000".parse::<Money>(),
            Err(MoneyError::OutOfRange(_))
        ));
        assert!(Money::parse_non_negative("-1").is_err());
    }

    #[test]
    fn json_numbers_are_read_through_their_decimal_text() {
        let m: Money = serde_json::from_str("1069.52").unwrap();
        assert_eq!(m.cents(), 106_952);
        let m: Money = serde_json::from_str("0.1").unwrap();
        assert_eq!(m.cents(), 10);
        let m: Money = serde_json::from_str("\"2500\"").unwrap();
        assert_eq!(m.cents(), 250_000);
        assert!(serde_json::from_str::<Money>("1.005").is_err());
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"2500.00\"");
    }

    #[test]
    fn prorates_half_away_from_zero() {
        // 4005.00 × 75.83 / 151.67 = 2002.37...
        assert_eq!(
            Money::from_cents(400_500).prorate(7_583, 15_167).cents(),
            200_237
        );
        assert_eq!(Money::from_cents(5).prorate(1, 2).cents(), 3);
        assert_eq!(Money::from_cents(-5).prorate(1, 2).cents(), -3);
    }

    proptest! {
        #[test]
        fn display_parse_round_trip(cents in -MAX_ABS_CENTS..=MAX_ABS_CENTS) {
            let m = Money::from_cents(cents);
            prop_assert_eq!(m.to_string().parse::<Money>().unwrap(), m);
        }
    }
}
