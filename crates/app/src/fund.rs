//! The guarantee fund's calendar: working days and the public holidays of France and
//! Belgium, Easter computed. Salaries of declared work are due at most N working days after
//! the work ([`add_working_days`]).
//!
//! Sources:
//! - France: Code du travail, article L3133-1 (fêtes légales): 1 January, Easter Monday,
//!   1 May, 8 May, Ascension Day, Whit Monday, 14 July, 15 August, 1 November, 11 November,
//!   25 December. (Alsace-Moselle adds Good Friday and 26 December, local law, not handled.)
//! - Belgium: loi du 4 janvier 1974 relative aux jours fériés and arrêté royal du 18 avril
//!   1974, article 1: 1 January, Easter Monday, 1 May, Ascension Day, Whit Monday, 21 July,
//!   15 August, 1 November, 11 November, 25 December.
//! - Easter Sunday: the Gregorian computus, in the "anonymous" algorithm published by
//!   Meeus (Astronomical Algorithms, 1991, chapter 8), valid for every Gregorian year.

use ensemble_domain::Country;
use jiff::civil::{Date, Weekday};

/// Easter Sunday of a Gregorian year.
pub fn easter(year: i16) -> Date {
    let y = i32::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    // month is 3 or 4 and day 1..=31 by construction.
    Date::new(year, month as i8, day as i8).unwrap_or(Date::constant(2000, 4, 23))
}

fn plus_days(d: Date, days: i64) -> Date {
    d.checked_add(jiff::Span::new().days(days)).unwrap_or(d)
}

/// The public holidays of `country` in `year`, in date order.
pub fn public_holidays(country: Country, year: i16) -> Vec<Date> {
    let fixed: &[(i8, i8)] = match country {
        Country::Fr => &[
            (1, 1),
            (5, 1),
            (5, 8),
            (7, 14),
            (8, 15),
            (11, 1),
            (11, 11),
            (12, 25),
        ],
        Country::Be => &[
            (1, 1),
            (5, 1),
            (7, 21),
            (8, 15),
            (11, 1),
            (11, 11),
            (12, 25),
        ],
    };
    let e = easter(year);
    let mut days: Vec<Date> = fixed
        .iter()
        .filter_map(|&(m, d)| Date::new(year, m, d).ok())
        .collect();
    // Easter Monday, Ascension Day (Easter + 39), Whit Monday (Easter + 50): both countries.
    days.extend([plus_days(e, 1), plus_days(e, 39), plus_days(e, 50)]);
    days.sort();
    days
}

/// Whether `d` is a working day: Monday to Friday and not a public holiday.
pub fn is_working_day(country: Country, d: Date) -> bool {
    !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
        && !public_holidays(country, d.year()).contains(&d)
}

/// The `n`-th working day after `from` (`from` itself when `n` is 0).
pub fn add_working_days(country: Country, from: Date, n: u32) -> Date {
    let mut d = from;
    let mut left = n;
    while left > 0 {
        d = plus_days(d, 1);
        if is_working_day(country, d) {
            left -= 1;
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i16, m: i8, d: i8) -> Date {
        Date::new(y, m, d).unwrap()
    }

    #[test]
    fn easter_matches_the_published_dates() {
        // Dates as published in the ecclesiastical calendars.
        for (y, m, d) in [
            (2000, 4, 23),
            (2008, 3, 23),
            (2011, 4, 24),
            (2019, 4, 21),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2038, 4, 25),
        ] {
            assert_eq!(easter(y), date(y, m, d), "{y}");
        }
    }

    #[test]
    fn holidays_of_2026() {
        let be = public_holidays(Country::Be, 2026);
        assert_eq!(be.len(), 10);
        assert!(be.contains(&date(2026, 4, 6))); // Easter Monday
        assert!(be.contains(&date(2026, 5, 14))); // Ascension
        assert!(be.contains(&date(2026, 5, 25))); // Whit Monday
        assert!(be.contains(&date(2026, 7, 21)));
        assert!(!be.contains(&date(2026, 7, 14)));
        let fr = public_holidays(Country::Fr, 2026);
        assert_eq!(fr.len(), 11);
        assert!(fr.contains(&date(2026, 5, 8)));
        assert!(fr.contains(&date(2026, 7, 14)));
    }

    #[test]
    fn seven_working_days_skip_weekends_and_holidays() {
        // Friday 24 April 2026 + 7 working days: 27, 28, 29, 30 April, (1 May holiday), 4, 5,
        // 6 May → Wednesday 6 May in both countries.
        assert_eq!(
            add_working_days(Country::Be, date(2026, 4, 24), 7),
            date(2026, 5, 6)
        );
        // France also rests on 8 May: Tuesday 5 May + 7 → 6, 7, (8), 11, 12, 13, (14
        // Ascension), 15, 18 → Monday 18 May.
        assert_eq!(
            add_working_days(Country::Fr, date(2026, 5, 5), 7),
            date(2026, 5, 18)
        );
        // Belgium works on 8 May: 6, 7, 8, 11, 12, 13, (14), 15 → Friday 15 May.
        assert_eq!(
            add_working_days(Country::Be, date(2026, 5, 5), 7),
            date(2026, 5, 15)
        );
        assert_eq!(
            add_working_days(Country::Fr, date(2026, 5, 5), 0),
            date(2026, 5, 5)
        );
    }
}
