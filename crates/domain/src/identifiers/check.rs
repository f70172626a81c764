//! Normalisation and check-digit algorithms shared by the identifier types (private).
//!
//! Every function here works on ASCII digits and capital letters only and never panics: a
//! character it does not expect makes the check fail (or returns `None`).

/// Strips white space (any Unicode white space, including the no-break space that word
/// processors put in numbers), the given separators, and upper-cases ASCII letters.
pub(crate) fn compact(input: &str, separators: &[char]) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace() && !separators.contains(c))
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The separators people write in numbers: dots and dashes (spaces are always stripped).
pub(crate) const SEPARATORS: &[char] = &['.', '-'];

/// Non-empty and only ASCII digits.
pub(crate) fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Non-empty and only ASCII digits and capital letters.
pub(crate) fn is_upper_alnum(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
}

/// The value of an ASCII digit (0 for anything else: callers check `is_digits` first).
pub(crate) fn digit(b: u8) -> u32 {
    if b.is_ascii_digit() {
        u32::from(b - b'0')
    } else {
        0
    }
}

/// The digits of `s` as numbers.
pub(crate) fn digits(s: &str) -> impl DoubleEndedIterator<Item = u32> + '_ {
    s.bytes().map(digit)
}

/// A string of at most 19 digits as a number (`None` otherwise).
pub(crate) fn number(s: &str) -> Option<u64> {
    if !is_digits(s) || s.len() > 19 {
        return None;
    }
    Some(s.bytes().fold(0u64, |n, b| n * 10 + u64::from(digit(b))))
}

/// ISO 7064 MOD 97-10 remainder of digits and capital letters, letters counting as the two
/// digits A = 10 … Z = 35 (IBAN, RF creditor reference, Dutch VAT "B" numbers). `None` when
/// another character is present.
pub(crate) fn mod97(s: &str) -> Option<u32> {
    let mut r = 0u32;
    for b in s.bytes() {
        r = match b {
            b'0'..=b'9' => (r * 10 + u32::from(b - b'0')) % 97,
            b'A'..=b'Z' => (r * 100 + u32::from(b - b'A') + 10) % 97,
            _ => return None,
        };
    }
    Some(r)
}

/// Luhn checksum of a digit string: 0 for a valid number.
pub(crate) fn luhn_checksum(s: &str) -> u32 {
    s.bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = digit(b);
            if i % 2 == 1 {
                let d2 = d * 2;
                d2 / 10 + d2 % 10
            } else {
                d
            }
        })
        .sum::<u32>()
        % 10
}

/// True when `s` is digits only and passes the Luhn check.
pub(crate) fn luhn_valid(s: &str) -> bool {
    is_digits(s) && luhn_checksum(s) == 0
}

/// The Luhn check digit to append to `s`.
pub(crate) fn luhn_check_digit(s: &str) -> u32 {
    let mut with_zero = String::with_capacity(s.len() + 1);
    with_zero.push_str(s);
    with_zero.push('0');
    (10 - luhn_checksum(&with_zero)) % 10
}

/// ISO 7064 MOD 11,10 (hybrid system) validity of a digit string, check digit last
/// (German USt-IdNr., Croatian OIB).
pub(crate) fn mod11_10_valid(s: &str) -> bool {
    if !is_digits(s) {
        return false;
    }
    let mut check = 5u32;
    for d in digits(s) {
        let c = if check == 0 { 10 } else { check };
        check = ((c * 2) % 11 + d) % 10;
    }
    check == 1
}

/// Σ weight × digit over the first `weights.len()` digits of `s`.
pub(crate) fn weighted_sum(s: &str, weights: &[u32]) -> u32 {
    digits(s).zip(weights).map(|(d, w)| d * w).sum()
}

/// Inserts `sep` every `size` characters: "BE71096123456769" → "BE71 0961 2345 6769".
pub(crate) fn grouped(s: &str, size: usize, sep: char) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / size.max(1));
    for (i, c) in s.chars().enumerate() {
        if i > 0 && size > 0 && i % size == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// `FromStr`, `TryFrom<&str>`, `TryFrom<String>`, `AsRef<str>` and serde as the canonical
/// string for an identifier type with `parse(&str) -> Result<Self, Error>` and
/// `as_str(&self) -> &str`. Deserialising runs the same parse.
macro_rules! string_identifier {
    ($ty:ty, $err:ty) => {
        impl ::std::str::FromStr for $ty {
            type Err = $err;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <$ty>::parse(s)
            }
        }

        impl TryFrom<&str> for $ty {
            type Error = $err;
            fn try_from(s: &str) -> Result<Self, Self::Error> {
                <$ty>::parse(s)
            }
        }

        impl TryFrom<String> for $ty {
            type Error = $err;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                <$ty>::parse(&s)
            }
        }

        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                let s = <String as ::serde::Deserialize>::deserialize(deserializer)?;
                <$ty>::parse(&s).map_err(::serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use string_identifier;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn() {
        assert!(luhn_valid("732829320"));
        assert!(!luhn_valid("732829321"));
        assert_eq!(luhn_check_digit("73282932"), 0);
        assert_eq!(luhn_check_digit("7992739871"), 3);
        assert!(!luhn_valid(""));
        assert!(!luhn_valid("12a"));
    }

    #[test]
    fn mod97_letters() {
        // IBAN BE71 0961 2345 6769 rearranged: 096123456769 BE71.
        assert_eq!(mod97("096123456769BE71"), Some(1));
        assert_eq!(mod97("ab"), None);
    }

    #[test]
    fn mod11_10() {
        assert!(mod11_10_valid("136695976"));
        assert!(!mod11_10_valid("136695978"));
    }

    #[test]
    fn compact_and_group() {
        assert_eq!(
            compact(" be71\u{a0}0961.2345-6769 ", SEPARATORS),
            "BE71096123456769"
        );
        assert_eq!(grouped("BE71096123456769", 4, ' '), "BE71 0961 2345 6769");
        assert_eq!(grouped("RF18539007547034", 4, ' '), "RF18 5390 0754 7034");
        assert_eq!(number("0403170701"), Some(403_170_701));
        assert_eq!(number("12x"), None);
    }
}
