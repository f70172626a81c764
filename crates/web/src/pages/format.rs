//! Amounts, dates and rates in the reader's language, without ICU: French `1 069,52 €` and
//! `27/11/2026`, Dutch `€ 1.069,52` and `27-11-2026`, English `€1,069.52` and `27 Nov 2026`.
//! Spaces inside an amount are no-break spaces (U+00A0), so an amount never wraps.

use ensemble_domain::{Lang, Money, Month, Rate};
use jiff::civil::Date;

const NBSP: char = '\u{a0}';

/// Groups the digits of a whole number by three with `sep`.
fn grouped(mut n: u64, sep: char) -> String {
    let mut groups = Vec::new();
    loop {
        groups.push(n % 1000);
        n /= 1000;
        if n == 0 {
            break;
        }
    }
    let mut out = String::new();
    for (i, g) in groups.iter().rev().enumerate() {
        if i == 0 {
            out.push_str(&g.to_string());
        } else {
            out.push(sep);
            out.push_str(&format!("{g:03}"));
        }
    }
    out
}

/// An amount in euros.
pub fn money(lang: Lang, m: Money) -> String {
    let cents = m.cents().unsigned_abs();
    let minus = if m.is_negative() { "-" } else { "" };
    let (whole, frac) = (cents / 100, cents % 100);
    match lang {
        Lang::Fr => format!("{minus}{},{frac:02}{NBSP}€", grouped(whole, NBSP)),
        Lang::Nl => format!("€{NBSP}{minus}{},{frac:02}", grouped(whole, '.')),
        Lang::En => format!("{minus}€{}.{frac:02}", grouped(whole, ',')),
    }
}

/// An amount as a form field shows it for editing: `1069,52` (French, Dutch) or `1069.52`.
pub fn money_input(lang: Lang, m: Money) -> String {
    let text = m.to_string();
    match lang {
        Lang::En => text,
        Lang::Fr | Lang::Nl => text.replace('.', ","),
    }
}

const EN_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const EN_MONTHS_LONG: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const FR_MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const NL_MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

fn month_index(m: i8) -> usize {
    usize::try_from(m.clamp(1, 12) - 1).unwrap_or(0)
}

/// A date.
pub fn date(lang: Lang, d: Date) -> String {
    match lang {
        Lang::Fr => format!("{:02}/{:02}/{}", d.day(), d.month(), d.year()),
        Lang::Nl => format!("{:02}-{:02}-{}", d.day(), d.month(), d.year()),
        Lang::En => format!(
            "{} {} {}",
            d.day(),
            EN_MONTHS[month_index(d.month())],
            d.year()
        ),
    }
}

/// A month of pay: `novembre 2026`, `november 2026`, `November 2026`.
pub fn month(lang: Lang, m: Month) -> String {
    let (year, number) = (m.year(), m.number());
    let i = usize::from(number.clamp(1, 12) - 1);
    let name = match lang {
        Lang::Fr => FR_MONTHS[i],
        Lang::Nl => NL_MONTHS[i],
        Lang::En => EN_MONTHS_LONG[i],
    };
    format!("{name} {year}")
}

/// A rate in percent without trailing zeros: `6,5 %` (French), `6,5%` (Dutch), `6.5%`.
pub fn rate(lang: Lang, r: Rate) -> String {
    let text = r.to_string();
    let trimmed = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    match lang {
        Lang::Fr => format!("{}{NBSP}%", trimmed.replace('.', ",")),
        Lang::Nl => format!("{}%", trimmed.replace('.', ",")),
        Lang::En => format!("{trimmed}%"),
    }
}

/// Reads an amount typed in a form, in any of the three ways of writing it: `1 069,52`,
/// `1.069,52`, `1,069.52`, `1069.52`, with or without `€`. A lone separator followed by one or
/// two digits is the decimal one; otherwise the language decides.
pub fn parse_amount(lang: Lang, text: &str) -> Result<Money, ensemble_domain::MoneyError> {
    let cleaned: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '€' && *c != NBSP && *c != '\u{202f}')
        .collect();
    let last_dot = cleaned.rfind('.');
    let last_comma = cleaned.rfind(',');
    let decimal = match (last_dot, last_comma) {
        (Some(d), Some(c)) => Some(d.max(c)),
        (Some(p), None) | (None, Some(p)) => {
            let sep = cleaned[p..].chars().next().unwrap_or('.');
            let after = cleaned.len() - p - 1;
            let single = cleaned.matches(sep).count() == 1;
            let lang_decimal = match lang {
                Lang::En => sep == '.',
                Lang::Fr | Lang::Nl => sep == ',',
            };
            (single && (after <= 2 || lang_decimal)).then_some(p)
        }
        (None, None) => None,
    };
    let mut normal = String::with_capacity(cleaned.len());
    for (i, c) in cleaned.char_indices() {
        match c {
            '.' | ',' if Some(i) == decimal => normal.push('.'),
            '.' | ',' => {}
            other => normal.push(other),
        }
    }
    normal.parse()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(cents: i64) -> Money {
        Money::from_cents(cents)
    }

    #[test]
    fn amounts_in_each_language() {
        assert_eq!(money(Lang::Fr, m(106_952)), "1\u{a0}069,52\u{a0}€");
        assert_eq!(money(Lang::Nl, m(106_952)), "€\u{a0}1.069,52");
        assert_eq!(money(Lang::En, m(106_952)), "€1,069.52");
        assert_eq!(money(Lang::En, m(5)), "€0.05");
        assert_eq!(money(Lang::Fr, m(0)), "0,00\u{a0}€");
        assert_eq!(money(Lang::En, m(12_345_678_900)), "€123,456,789.00");
        assert_eq!(money(Lang::Fr, m(-6_952)), "-69,52\u{a0}€");
        assert_eq!(money(Lang::Nl, m(-100_000)), "€\u{a0}-1.000,00");
        assert_eq!(money(Lang::En, m(-100_000)), "-€1,000.00");
    }

    #[test]
    fn dates_and_months_in_each_language() {
        let d = jiff::civil::date(2026, 11, 27);
        assert_eq!(date(Lang::Fr, d), "27/11/2026");
        assert_eq!(date(Lang::Nl, d), "27-11-2026");
        assert_eq!(date(Lang::En, d), "27 Nov 2026");
        assert_eq!(date(Lang::Fr, jiff::civil::date(2027, 1, 5)), "05/01/2027");
        assert_eq!(date(Lang::En, jiff::civil::date(2027, 1, 5)), "5 Jan 2027");
        let nov: Month = "2026-11".parse().unwrap();
        assert_eq!(month(Lang::Fr, nov), "novembre 2026");
        assert_eq!(month(Lang::Nl, nov), "november 2026");
        assert_eq!(month(Lang::En, nov), "November 2026");
    }

    #[test]
    fn rates_in_each_language() {
        let r: Rate = "6.5".parse().unwrap();
        assert_eq!(rate(Lang::Fr, r), "6,5\u{a0}%");
        assert_eq!(rate(Lang::Nl, r), "6,5%");
        assert_eq!(rate(Lang::En, r), "6.5%");
        assert_eq!(rate(Lang::En, "21".parse().unwrap()), "21%");
    }

    #[test]
    fn typed_amounts_read_in_every_form() {
        for (lang, text, cents) in [
            (Lang::Fr, "1 069,52", 106_952),
            (Lang::Fr, "1069,52 €", 106_952),
            (Lang::Nl, "1.069,52", 106_952),
            (Lang::Nl, "€ 1.069", 106_900),
            (Lang::En, "1,069.52", 106_952),
            (Lang::En, "1069.52", 106_952),
            (Lang::En, "1,069", 106_900),
            (Lang::Fr, "1069.52", 106_952),
            (Lang::Nl, "1069,5", 106_950),
            (Lang::En, "1000", 100_000),
            (Lang::Fr, "1\u{a0}069,52", 106_952),
        ] {
            assert_eq!(parse_amount(lang, text), Ok(m(cents)), "{lang:?} {text}");
        }
        assert!(parse_amount(Lang::En, "twelve").is_err());
        assert!(parse_amount(Lang::En, "").is_err());
        // Three decimals in French: 1,234 € is not an amount to the cent.
        assert!(parse_amount(Lang::Fr, "1,234").is_err());
    }

    #[test]
    fn edited_amounts_use_the_decimal_comma() {
        assert_eq!(money_input(Lang::Fr, m(106_952)), "1069,52");
        assert_eq!(money_input(Lang::En, m(106_952)), "1069.52");
    }
}
