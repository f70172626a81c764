//! A calendar month, the period of a payslip.

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar month such as 2026-01. Years run from 1900 to 2999.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i16,
    month: u8,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a month: expected YYYY-MM, like 2026-01")]
pub struct MonthError(String);

impl Month {
    /// A month from its year and number (1–12), or `None` when out of range.
    pub fn new(year: i16, month: u8) -> Option<Month> {
        ((1900..=2999).contains(&year) && (1..=12).contains(&month))
            .then_some(Month { year, month })
    }

    /// The month a date falls in.
    pub fn of(date: Date) -> Month {
        Month {
            year: date.year(),
            month: date.month() as u8,
        }
    }

    pub const fn year(self) -> i16 {
        self.year
    }

    pub const fn number(self) -> u8 {
        self.month
    }

    /// The first day of the month.
    pub fn first_day(self) -> Date {
        Date::new(self.year, self.month as i8, 1).expect("a Month is always a valid date")
    }

    /// The last day of the month.
    pub fn last_day(self) -> Date {
        self.first_day().last_of_month()
    }

    /// Number of days in the month.
    pub fn days(self) -> u8 {
        self.first_day().days_in_month() as u8
    }

    /// Months since January of year 0, for indexing month tables.
    pub const fn ordinal(self) -> i32 {
        self.year as i32 * 12 + self.month as i32 - 1
    }

    /// The month `n` months after this one (or before, for negative `n`).
    pub fn plus(self, n: i32) -> Option<Month> {
        let o = self.ordinal() + n;
        let year = i16::try_from(o.div_euclid(12)).ok()?;
        Month::new(year, (o.rem_euclid(12) + 1) as u8)
    }
}

impl FromStr for Month {
    type Err = MonthError;
    fn from_str(text: &str) -> Result<Month, MonthError> {
        let err = || MonthError(text.to_string());
        let s = text.trim();
        let (y, m) = s.split_once('-').ok_or_else(err)?;
        if y.len() != 4
            || m.len() != 2
            || !s.bytes().filter(|b| *b != b'-').all(|b| b.is_ascii_digit())
        {
            return Err(err());
        }
        let year: i16 = y.parse().map_err(|_| err())?;
        let month: u8 = m.parse().map_err(|_| err())?;
        Month::new(year, month).ok_or_else(err)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Month, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_strictly() {
        let m: Month = "2026-01".parse().unwrap();
        assert_eq!((m.year(), m.number()), (2026, 1));
        assert_eq!(m.to_string(), "2026-01");
        for bad in [
            "2026", "2026-1", "2026-13", "2026-00", "26-01", "2026/01", "abcd-ef", "1899-12",
        ] {
            assert!(bad.parse::<Month>().is_err(), "{bad}");
        }
    }

    #[test]
    fn steps_across_years() {
        let m: Month = "2025-12".parse().unwrap();
        assert_eq!(m.plus(1).unwrap().to_string(), "2026-01");
        assert_eq!(m.plus(-12).unwrap().to_string(), "2024-12");
        assert_eq!(m.days(), 31);
        assert_eq!("2024-02".parse::<Month>().unwrap().days(), 29);
    }
}
