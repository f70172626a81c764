//! Rule packs: a country's payroll parameters for one year, as a TOML data file.
//!
//! A pack file has a `[pack]` header (country, validity, title) and a `[params]` table. Each
//! parameter is either one dated value or a list of dated versions, and every value carries the
//! official source it comes from:
//!
//! ```toml
//! [pack]
//! country = "fr"
//! valid_from = 2026-01-01
//! valid_until = 2026-12-31
//! title = "France, private-sector employees, 2026"
//!
//! [params.pss_monthly]
//! from = 2026-01-01
//! value = "4005.00"
//! source = "Arrêté du 22 décembre 2025 portant fixation du plafond de la sécurité sociale pour 2026"
//!
//! [params.smic_hourly]
//! source = "Décret n° 2025-1228 du 17 décembre 2025"
//! versions = [
//!   { from = 2026-01-01, value = "12.02" },
//!   { from = 2026-06-01, value = "12.31", source = "Arrêté du 22 mai 2026" },
//! ]
//! ```
//!
//! The loader refuses, with a message that names the file and the parameter: unknown or missing
//! parameters, values of the wrong kind, versions that overlap or leave a gap, versions that do
//! not start on the first day of a month (payroll periods are months), and packs of one country
//! that overlap or leave a gap between them.

use std::fmt;

use ensemble_domain::{Country, Money, Month, Rate};
use jiff::civil::Date;
use toml::{Table, Value as Toml};

/// A pack file: a name to report in errors and its text.
#[derive(Clone, Copy, Debug)]
pub struct PackFile<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

/// Why a pack or a set of packs cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct PackError {
    pub file: String,
    pub message: String,
}

impl PackError {
    pub(crate) fn new(file: &str, message: impl Into<String>) -> PackError {
        PackError {
            file: file.to_string(),
            message: message.into(),
        }
    }
}

/// The `[pack]` table: whose rules these are and when they apply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    pub country: Country,
    pub valid_from: Date,
    pub valid_until: Date,
    pub title: String,
}

/// A value a rule pack can hold. Each kind is written one way, so a mistake is caught at load.
pub trait PackValue: Sized + Clone {
    /// How the kind is written, for error messages.
    const EXPECTED: &'static str;
    fn parse(value: &Toml) -> Result<Self, String>;
    fn show(&self) -> String;
}

impl PackValue for Money {
    const EXPECTED: &'static str = "an amount as a string, like \"4005.00\"";
    fn parse(value: &Toml) -> Result<Self, String> {
        let s = value.as_str().ok_or("")?;
        s.parse()
            .map_err(|e: ensemble_domain::MoneyError| e.to_string())
    }
    fn show(&self) -> String {
        format!("{self} €")
    }
}

impl PackValue for Rate {
    const EXPECTED: &'static str = "a percentage as a string, like \"6.90%\"";
    fn parse(value: &Toml) -> Result<Self, String> {
        let s = value.as_str().ok_or("")?;
        Rate::parse_percent_strict(s).map_err(|e| e.to_string())
    }
    fn show(&self) -> String {
        format!("{self} %")
    }
}

/// A whole number: a headcount threshold, a number of days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Count(pub u32);

impl PackValue for Count {
    const EXPECTED: &'static str = "a whole number, like 50";
    fn parse(value: &Toml) -> Result<Self, String> {
        let n = value.as_integer().ok_or("")?;
        u32::try_from(n)
            .map(Count)
            .map_err(|_| format!("{n} is out of range"))
    }
    fn show(&self) -> String {
        self.0.to_string()
    }
}

/// A dimensionless multiplier in millionths: 2.25 (× SMIC), 1.75 (a power), 4 (× PSS).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Factor(pub i64);

impl Factor {
    pub const ONE: Factor = Factor(1_000_000);

    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 1_000_000.0
    }

    /// `money × factor`, rounded half away from zero to the cent.
    pub fn of(self, money: Money) -> Money {
        money.prorate(self.0, 1_000_000)
    }
}

impl PackValue for Factor {
    const EXPECTED: &'static str = "a decimal number as a string, like \"2.25\"";
    fn parse(value: &Toml) -> Result<Self, String> {
        let s = value.as_str().ok_or("")?;
        // A factor is written like a percentage without the sign, scaled by 100.
        let r = Rate::parse_percent(s).map_err(|_| format!("\"{s}\" is not a decimal number"))?;
        if s.trim().ends_with('%') {
            return Err(format!(
                "\"{s}\" is a percentage; a factor is a plain number"
            ));
        }
        Ok(Factor(r.ppm() * 100))
    }
    fn show(&self) -> String {
        let r = Rate::from_ppm(self.0 / 100);
        r.to_string()
    }
}

/// Hours as hundredths of an hour: 151.67 h is 15 167.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hours(pub i64);

impl PackValue for Hours {
    const EXPECTED: &'static str = "hours as a string, like \"151.67\"";
    fn parse(value: &Toml) -> Result<Self, String> {
        let s = value.as_str().ok_or("")?;
        let m: Money = s
            .parse()
            .map_err(|_| format!("\"{s}\" is not a number of hours"))?;
        if m.is_negative() {
            return Err(format!("\"{s}\" is negative"));
        }
        Ok(Hours(m.cents()))
    }
    fn show(&self) -> String {
        format!("{} h", Money::from_cents(self.0))
    }
}

/// A value that a law abolished or that does not apply in a period, written `"none"`.
impl<T: PackValue> PackValue for Option<T> {
    const EXPECTED: &'static str = "a value, or \"none\" where the rule does not apply";
    fn parse(value: &Toml) -> Result<Self, String> {
        if value.as_str() == Some("none") {
            return Ok(None);
        }
        T::parse(value).map(Some).map_err(|e| {
            if e.is_empty() {
                format!("expected {} or \"none\"", T::EXPECTED)
            } else {
                e
            }
        })
    }
    fn show(&self) -> String {
        match self {
            Some(v) => v.show(),
            None => "none".to_string(),
        }
    }
}

/// A grid of brackets: from each lower bound (inclusive) the rate applies, up to the next bound.
/// Written `[{ from = "0.00", rate = "0%" }, { from = "1620.00", rate = "0.5%" }, …]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scale {
    pub brackets: Vec<(Money, Rate)>,
}

impl Scale {
    /// The rate of the bracket `amount` falls in (lower bounds inclusive).
    pub fn rate_for(&self, amount: Money) -> Rate {
        let i = self.brackets.partition_point(|(from, _)| *from <= amount);
        // `brackets[0].0` is zero and amounts below zero fall in the first bracket.
        self.brackets[i.saturating_sub(1)].1
    }

    /// The tax of a progressive scale: each slice of `amount` taxed at its bracket's rate,
    /// each slice rounded to the cent.
    pub fn progressive(&self, amount: Money) -> Money {
        let mut tax = Money::ZERO;
        for (i, (from, rate)) in self.brackets.iter().enumerate() {
            if amount <= *from {
                break;
            }
            let to = self
                .brackets
                .get(i + 1)
                .map_or(amount, |(next, _)| amount.min(*next));
            tax += rate.of(to - *from);
        }
        tax
    }
}

impl PackValue for Scale {
    const EXPECTED: &'static str = "a list of brackets, like [{ from = \"0.00\", rate = \"0%\" }]";
    fn parse(value: &Toml) -> Result<Self, String> {
        let items = value.as_array().ok_or("")?;
        let mut brackets = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let t = item
                .as_table()
                .ok_or_else(|| format!("bracket {} is not a table", i + 1))?;
            for key in t.keys() {
                if key != "from" && key != "rate" {
                    return Err(format!("bracket {}: unknown key `{key}`", i + 1));
                }
            }
            let from = t
                .get("from")
                .ok_or_else(|| format!("bracket {}: missing `from`", i + 1))
                .and_then(|v| {
                    Money::parse(v).map_err(|e| {
                        format!("bracket {}: `from`: {}", i + 1, or(e, Money::EXPECTED))
                    })
                })?;
            let rate = t
                .get("rate")
                .ok_or_else(|| format!("bracket {}: missing `rate`", i + 1))
                .and_then(|v| {
                    Rate::parse(v).map_err(|e| {
                        format!("bracket {}: `rate`: {}", i + 1, or(e, Rate::EXPECTED))
                    })
                })?;
            brackets.push((from, rate));
        }
        match brackets.first() {
            None => return Err("a scale needs at least one bracket".to_string()),
            Some((from, _)) if *from != Money::ZERO => {
                return Err(format!("the first bracket must start at 0.00, not {from}"));
            }
            _ => {}
        }
        for w in brackets.windows(2) {
            if w[1].0 <= w[0].0 {
                return Err(format!(
                    "brackets must rise: {} does not come after {}",
                    w[1].0, w[0].0
                ));
            }
        }
        Ok(Scale { brackets })
    }
    fn show(&self) -> String {
        self.brackets
            .iter()
            .map(|(from, rate)| format!("≥{from}: {rate}%"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A short code among a fixed set, such as the name of a formula.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Code(pub String);

impl PackValue for Code {
    const EXPECTED: &'static str = "a code as a string";
    fn parse(value: &Toml) -> Result<Self, String> {
        value
            .as_str()
            .map(|s| Code(s.to_string()))
            .ok_or_else(String::new)
    }
    fn show(&self) -> String {
        self.0.clone()
    }
}

fn or(message: String, expected: &str) -> String {
    if message.is_empty() {
        format!("expected {expected}")
    } else {
        message
    }
}

/// One dated value of a parameter.
#[derive(Clone, Debug)]
pub struct Version<T> {
    pub from: Date,
    pub value: T,
    pub source: String,
}

/// A parameter: its versions in date order, the first starting when the pack starts.
#[derive(Clone, Debug)]
pub struct Param<T> {
    pub versions: Vec<Version<T>>,
}

impl<T: PackValue> Param<T> {
    /// Reads parameter `name` from its table and checks its dates against the pack's.
    pub fn parse(name: &str, value: &Toml, header: &Header) -> Result<Param<T>, String> {
        let table = value.as_table().ok_or_else(|| {
            format!("parameter `{name}` must be a table with `value`, `from` and `source`, or `versions`")
        })?;
        for key in table.keys() {
            if !matches!(key.as_str(), "from" | "value" | "source" | "versions") {
                return Err(format!("parameter `{name}`: unknown key `{key}`"));
            }
        }
        let default_source = match table.get("source") {
            Some(s) => Some(
                s.as_str()
                    .ok_or_else(|| format!("parameter `{name}`: `source` must be a string"))?,
            ),
            None => None,
        };
        let mut versions = Vec::new();
        match table.get("versions") {
            Some(list) => {
                if table.contains_key("value") || table.contains_key("from") {
                    return Err(format!(
                        "parameter `{name}`: give either `value` and `from`, or `versions`, not both"
                    ));
                }
                let list = list
                    .as_array()
                    .ok_or_else(|| format!("parameter `{name}`: `versions` must be a list"))?;
                for (i, v) in list.iter().enumerate() {
                    let t = v.as_table().ok_or_else(|| {
                        format!("parameter `{name}`: version {} must be a table", i + 1)
                    })?;
                    for key in t.keys() {
                        if !matches!(key.as_str(), "from" | "value" | "source") {
                            return Err(format!(
                                "parameter `{name}`, version {}: unknown key `{key}`",
                                i + 1
                            ));
                        }
                    }
                    versions.push(read_version(name, t, default_source)?);
                }
            }
            None => versions.push(read_version(name, table, default_source)?),
        }
        check_versions(name, &versions, header)?;
        Ok(Param { versions })
    }

    /// The version in force on `day`.
    pub fn version_at(&self, day: Date) -> &Version<T> {
        let i = self.versions.partition_point(|v| v.from <= day);
        &self.versions[i.saturating_sub(1)]
    }

    /// The value in force on `day`.
    pub fn at(&self, day: Date) -> &T {
        &self.version_at(day).value
    }
}

fn read_version<T: PackValue>(
    name: &str,
    table: &Table,
    default_source: Option<&str>,
) -> Result<Version<T>, String> {
    let from = table
        .get("from")
        .ok_or_else(|| {
            format!("parameter `{name}`: missing `from` (the date the value applies from)")
        })
        .and_then(|v| read_date(v).map_err(|e| format!("parameter `{name}`: `from`: {e}")))?;
    let raw = table
        .get("value")
        .ok_or_else(|| format!("parameter `{name}`: missing `value`"))?;
    let value = T::parse(raw).map_err(|e| format!("parameter `{name}`: {}", or(e, T::EXPECTED)))?;
    let source = match table.get("source") {
        Some(s) => s
            .as_str()
            .ok_or_else(|| format!("parameter `{name}`: `source` must be a string"))?,
        None => default_source.ok_or_else(|| {
            format!("parameter `{name}`: every value needs its official `source`")
        })?,
    };
    if source.trim().is_empty() {
        return Err(format!("parameter `{name}`: `source` is empty"));
    }
    Ok(Version {
        from,
        value,
        source: source.to_string(),
    })
}

fn check_versions<T>(name: &str, versions: &[Version<T>], header: &Header) -> Result<(), String> {
    let Some(first) = versions.first() else {
        return Err(format!("parameter `{name}`: `versions` is empty"));
    };
    for v in versions {
        if v.from.day() != 1 {
            return Err(format!(
                "parameter `{name}`: a value must apply from the first day of a month, not {}",
                v.from
            ));
        }
        if v.from < header.valid_from || v.from > header.valid_until {
            return Err(format!(
                "parameter `{name}`: {} lies outside the pack ({} to {})",
                v.from, header.valid_from, header.valid_until
            ));
        }
    }
    if first.from > header.valid_from {
        let until = first.from.yesterday().unwrap_or(first.from);
        return Err(format!(
            "parameter `{name}`: gap, no value from {} to {until}",
            header.valid_from
        ));
    }
    for w in versions.windows(2) {
        if w[1].from <= w[0].from {
            return Err(format!(
                "parameter `{name}`: overlap, a value from {} follows one from {}",
                w[1].from, w[0].from
            ));
        }
    }
    Ok(())
}

fn read_date(value: &Toml) -> Result<Date, String> {
    match value {
        Toml::Datetime(dt) => match (dt.date, dt.time) {
            (Some(d), None) if dt.offset.is_none() => {
                Date::new(d.year as i16, d.month as i8, d.day as i8).map_err(|e| e.to_string())
            }
            _ => Err(format!("{dt} is not a plain date like 2026-01-01")),
        },
        Toml::String(s) => s
            .parse::<Date>()
            .map_err(|_| format!("\"{s}\" is not a date like 2026-01-01")),
        other => Err(format!("{other} is not a date like 2026-01-01")),
    }
}

/// A set of parameters a country's engine needs, read from a pack's `[params]` table.
/// Implemented by [`rule_params!`](crate::rule_params).
pub trait ParamSet: Sized {
    /// The plain values in force on one day, which the engine computes with.
    type Resolved: Clone + fmt::Debug;
    fn from_table(params: &Table, header: &Header) -> Result<Self, String>;
    fn resolve(&self, day: Date) -> Self::Resolved;
    /// Every parameter on `day`: name, value, the date it applies from, its source.
    fn describe(&self, day: Date) -> Vec<ParamInfo>;
}

/// One parameter as documented by `ensemble payroll rules`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ParamInfo {
    pub name: &'static str,
    pub value: String,
    pub from: String,
    pub source: String,
}

/// Declares a country's parameters: the pack struct (each field a [`Param`]), the resolved
/// struct (each field a plain value) and the [`ParamSet`] impl that reads, checks and resolves.
#[macro_export]
macro_rules! rule_params {
    ($params:ident => $resolved:ident { $( $(#[doc = $doc:literal])* $field:ident : $ty:ty ),* $(,)? }) => {
        /// Parameters as read from the rule packs, every value dated and sourced.
        #[derive(Clone, Debug)]
        pub struct $params {
            $( pub $field: $crate::pack::Param<$ty>, )*
        }

        /// The values in force on one day.
        #[derive(Clone, Debug)]
        pub struct $resolved {
            $( $(#[doc = $doc])* pub $field: $ty, )*
        }

        impl $crate::pack::ParamSet for $params {
            type Resolved = $resolved;

            fn from_table(params: &toml::Table, header: &$crate::pack::Header) -> Result<Self, String> {
                const NAMES: &[&str] = &[$( stringify!($field) ),*];
                for key in params.keys() {
                    if !NAMES.contains(&key.as_str()) {
                        return Err(format!("unknown parameter `{key}`"));
                    }
                }
                Ok($params {
                    $( $field: $crate::pack::Param::parse(
                        stringify!($field),
                        params.get(stringify!($field)).ok_or_else(|| {
                            format!("missing parameter `{}`", stringify!($field))
                        })?,
                        header,
                    )?, )*
                })
            }

            fn resolve(&self, day: jiff::civil::Date) -> $resolved {
                $resolved { $( $field: self.$field.at(day).clone(), )* }
            }

            fn describe(&self, day: jiff::civil::Date) -> Vec<$crate::pack::ParamInfo> {
                use $crate::pack::PackValue;
                vec![$( {
                    let v = self.$field.version_at(day);
                    $crate::pack::ParamInfo {
                        name: stringify!($field),
                        value: v.value.show(),
                        from: v.from.to_string(),
                        source: v.source.clone(),
                    }
                } ),*]
            }
        }
    };
}

/// A parsed pack: its header and its parameters.
#[derive(Clone, Debug)]
pub struct Pack<P> {
    pub name: String,
    pub header: Header,
    pub params: P,
}

/// Reads one pack file.
pub fn parse_pack<P: ParamSet>(file: PackFile<'_>) -> Result<Pack<P>, PackError> {
    let err = |m: String| PackError::new(file.name, m);
    let table: Table = file
        .text
        .parse()
        .map_err(|e: toml::de::Error| err(format!("not valid TOML: {}", e.message())))?;
    for key in table.keys() {
        if key != "pack" && key != "params" {
            return Err(err(format!(
                "unknown table `{key}`: a pack has only [pack] and [params]"
            )));
        }
    }
    let head = table
        .get("pack")
        .and_then(Toml::as_table)
        .ok_or_else(|| err("missing [pack] table".to_string()))?;
    let header = read_header(head).map_err(err)?;
    let params = table
        .get("params")
        .and_then(Toml::as_table)
        .ok_or_else(|| err("missing [params] table".to_string()))?;
    let params = P::from_table(params, &header).map_err(err)?;
    Ok(Pack {
        name: file.name.to_string(),
        header,
        params,
    })
}

fn read_header(head: &Table) -> Result<Header, String> {
    for key in head.keys() {
        if !matches!(
            key.as_str(),
            "country" | "valid_from" | "valid_until" | "title"
        ) {
            return Err(format!("[pack]: unknown key `{key}`"));
        }
    }
    let country = head
        .get("country")
        .and_then(Toml::as_str)
        .ok_or("[pack]: missing `country`")?
        .parse::<Country>()
        .map_err(|e| format!("[pack]: {e}"))?;
    let valid_from = read_date(
        head.get("valid_from")
            .ok_or("[pack]: missing `valid_from`")?,
    )
    .map_err(|e| format!("[pack]: `valid_from`: {e}"))?;
    let valid_until = read_date(
        head.get("valid_until")
            .ok_or("[pack]: missing `valid_until`")?,
    )
    .map_err(|e| format!("[pack]: `valid_until`: {e}"))?;
    let title = head
        .get("title")
        .and_then(Toml::as_str)
        .ok_or("[pack]: missing `title`")?
        .to_string();
    if valid_from.day() != 1 {
        return Err(format!(
            "[pack]: `valid_from` must be the first day of a month, not {valid_from}"
        ));
    }
    if valid_until != valid_until.last_of_month() {
        return Err(format!(
            "[pack]: `valid_until` must be the last day of a month, not {valid_until}"
        ));
    }
    if valid_until < valid_from {
        return Err(format!(
            "[pack]: `valid_until` {valid_until} comes before `valid_from` {valid_from}"
        ));
    }
    Ok(Header {
        country,
        valid_from,
        valid_until,
        title,
    })
}

/// What `ensemble payroll rules` shows of a loaded pack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackSummary {
    pub name: String,
    pub title: String,
    pub valid_from: Date,
    pub valid_until: Date,
}

/// A country's rules: the resolved values for every month its packs cover, without gaps.
#[derive(Clone, Debug)]
pub struct CountryRules<P: ParamSet> {
    pub country: Country,
    first: Month,
    months: Vec<P::Resolved>,
    packs: Vec<Pack<P>>,
}

impl<P: ParamSet> CountryRules<P> {
    /// Reads the packs of `country`, checks that they are contiguous, and resolves every month.
    pub fn load(country: Country, files: &[PackFile<'_>]) -> Result<CountryRules<P>, PackError> {
        let mut packs = files
            .iter()
            .map(|f| parse_pack::<P>(*f))
            .collect::<Result<Vec<_>, _>>()?;
        for p in &packs {
            if p.header.country != country {
                return Err(PackError::new(
                    &p.name,
                    format!(
                        "[pack]: this pack is for {}, expected {}",
                        p.header.country.slug(),
                        country.slug()
                    ),
                ));
            }
        }
        packs.sort_by_key(|p| p.header.valid_from);
        let (first_pack, _) = packs.split_first().ok_or_else(|| {
            PackError::new(
                country.slug(),
                format!("no rule pack for {}", country.name()),
            )
        })?;
        for w in packs.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            let next = a
                .header
                .valid_until
                .tomorrow()
                .unwrap_or(a.header.valid_until);
            if b.header.valid_from < next {
                return Err(PackError::new(
                    &b.name,
                    format!(
                        "overlaps {} ({} to {})",
                        a.name, a.header.valid_from, a.header.valid_until
                    ),
                ));
            }
            if b.header.valid_from > next {
                return Err(PackError::new(
                    &b.name,
                    format!(
                        "gap after {}: no {} rules from {} to {}",
                        a.name,
                        country.slug(),
                        next,
                        b.header.valid_from.yesterday().unwrap_or(next)
                    ),
                ));
            }
        }
        let first = Month::of(first_pack.header.valid_from);
        let mut months = Vec::new();
        for p in &packs {
            let mut m = Month::of(p.header.valid_from);
            let last = Month::of(p.header.valid_until);
            while m <= last {
                months.push(p.params.resolve(m.first_day()));
                m = match m.plus(1) {
                    Some(next) => next,
                    None => break,
                };
            }
        }
        Ok(CountryRules {
            country,
            first,
            months,
            packs,
        })
    }

    /// The values in force in `month`, or `None` when no pack covers it.
    pub fn at(&self, month: Month) -> Option<&P::Resolved> {
        let i = usize::try_from(month.ordinal() - self.first.ordinal()).ok()?;
        self.months.get(i)
    }

    /// The first and last months covered.
    pub fn coverage(&self) -> (Month, Month) {
        let last = self
            .first
            .plus(self.months.len() as i32 - 1)
            .unwrap_or(self.first);
        (self.first, last)
    }

    /// The packs, oldest first.
    pub fn packs(&self) -> Vec<PackSummary> {
        self.packs
            .iter()
            .map(|p| PackSummary {
                name: p.name.clone(),
                title: p.header.title.clone(),
                valid_from: p.header.valid_from,
                valid_until: p.header.valid_until,
            })
            .collect()
    }

    /// Every parameter in force in `month`, with its source.
    pub fn describe(&self, month: Month) -> Option<Vec<ParamInfo>> {
        let day = month.first_day();
        self.packs
            .iter()
            .find(|p| p.header.valid_from <= day && day <= p.header.valid_until)
            .map(|p| p.params.describe(day))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::rule_params! {
        TestParams => TestRates {
            /// A ceiling.
            ceiling: Money,
            rate: Rate,
            reduced: Option<Rate>,
            grid: Scale,
        }
    }

    fn pack(from: &str, until: &str, params: &str) -> String {
        format!(
            "[pack]\ncountry = \"fr\"\nvalid_from = {from}\nvalid_until = {until}\ntitle = \"test\"\n\n{params}"
        )
    }

    const GOOD: &str = r#"
[params.ceiling]
from = 2026-01-01
value = "4005.00"
source = "Arrêté du 22 décembre 2025"

[params.rate]
source = "a decree"
versions = [
  { from = 2026-01-01, value = "4.05%" },
  { from = 2026-05-01, value = "4.00%", source = "another decree" },
]

[params.reduced]
from = 2026-01-01
value = "none"
source = "abolished"

[params.grid]
from = 2026-01-01
value = [{ from = "0.00", rate = "0%" }, { from = "1620.00", rate = "0.5%" }]
source = "CGI art. 204 H"
"#;

    fn load(files: &[(&str, String)]) -> Result<CountryRules<TestParams>, PackError> {
        let files: Vec<PackFile<'_>> = files
            .iter()
            .map(|(n, t)| PackFile { name: n, text: t })
            .collect();
        CountryRules::<TestParams>::load(Country::Fr, &files)
    }

    #[test]
    fn resolves_dated_versions_per_month() {
        let rules = load(&[("2026.toml", pack("2026-01-01", "2026-12-31", GOOD))]).unwrap();
        let april = rules.at("2026-04".parse().unwrap()).unwrap();
        let may = rules.at("2026-05".parse().unwrap()).unwrap();
        assert_eq!(april.rate, Rate::from_ppm(40_500));
        assert_eq!(may.rate, Rate::from_ppm(40_000));
        assert_eq!(may.reduced, None);
        assert_eq!(may.ceiling, Money::from_cents(400_500));
        assert_eq!(may.grid.rate_for(Money::from_cents(161_999)), Rate::ZERO);
        assert_eq!(
            may.grid.rate_for(Money::from_cents(162_000)),
            Rate::from_ppm(5_000)
        );
        assert!(rules.at("2027-01".parse().unwrap()).is_none());
        assert!(rules.at("2025-12".parse().unwrap()).is_none());
        let info = rules.describe("2026-06".parse().unwrap()).unwrap();
        let rate = info.iter().find(|p| p.name == "rate").unwrap();
        assert_eq!(rate.from, "2026-05-01");
        assert_eq!(rate.source, "another decree");
    }

    fn error_of(text: String) -> String {
        load(&[("x.toml", text)]).unwrap_err().to_string()
    }

    #[test]
    fn refuses_unknown_and_missing_parameters() {
        let unknown = GOOD.to_string()
            + "\n[params.typo]\nfrom = 2026-01-01\nvalue = \"1%\"\nsource = \"s\"\n";
        assert_eq!(
            error_of(pack("2026-01-01", "2026-12-31", &unknown)),
            "x.toml: unknown parameter `typo`"
        );
        let missing = GOOD.replace("[params.reduced]", "[params.ignored]");
        assert!(
            error_of(pack("2026-01-01", "2026-12-31", &missing))
                .contains("unknown parameter `ignored`")
        );
        let no_grid: String = GOOD.split("[params.grid]").next().unwrap().to_string();
        assert_eq!(
            error_of(pack("2026-01-01", "2026-12-31", &no_grid)),
            "x.toml: missing parameter `grid`"
        );
    }

    #[test]
    fn refuses_gaps_and_overlaps_inside_a_parameter() {
        let gap = GOOD.replace(
            "{ from = 2026-01-01, value = \"4.05%\" }",
            "{ from = 2026-02-01, value = \"4.05%\" }",
        );
        assert_eq!(
            error_of(pack("2026-01-01", "2026-12-31", &gap)),
            "x.toml: parameter `rate`: gap, no value from 2026-01-01 to 2026-01-31"
        );
        let overlap = GOOD.replace("{ from = 2026-05-01", "{ from = 2026-01-01");
        assert_eq!(
            error_of(pack("2026-01-01", "2026-12-31", &overlap)),
            "x.toml: parameter `rate`: overlap, a value from 2026-01-01 follows one from 2026-01-01"
        );
        let mid_month = GOOD.replace("{ from = 2026-05-01", "{ from = 2026-05-15");
        assert!(
            error_of(pack("2026-01-01", "2026-12-31", &mid_month)).contains("first day of a month")
        );
    }

    #[test]
    fn refuses_values_of_the_wrong_kind_and_missing_sources() {
        let no_percent = GOOD.replace("\"4.05%\"", "\"4.05\"");
        assert!(
            error_of(pack("2026-01-01", "2026-12-31", &no_percent)).contains("parameter `rate`")
        );
        let number = GOOD.replace("\"4005.00\"", "4005.0");
        assert_eq!(
            error_of(pack("2026-01-01", "2026-12-31", &number)),
            "x.toml: parameter `ceiling`: expected an amount as a string, like \"4005.00\""
        );
        let unsourced = GOOD.replace("source = \"a decree\"\n", "");
        assert_eq!(
            error_of(pack("2026-01-01", "2026-12-31", &unsourced)),
            "x.toml: parameter `rate`: every value needs its official `source`"
        );
    }

    #[test]
    fn refuses_gaps_and_overlaps_between_packs() {
        let a = (
            "2025.toml",
            pack("2025-01-01", "2025-12-31", &GOOD.replace("2026-", "2025-")),
        );
        let b = ("2026.toml", pack("2026-01-01", "2026-12-31", GOOD));
        let rules = load(&[b.clone(), a.clone()]).unwrap();
        assert_eq!(
            rules.coverage(),
            ("2025-01".parse().unwrap(), "2026-12".parse().unwrap())
        );
        let late = (
            "2026.toml",
            pack(
                "2026-02-01",
                "2026-12-31",
                &GOOD.replace("2026-01-01", "2026-02-01"),
            ),
        );
        assert_eq!(
            load(&[a.clone(), late]).unwrap_err().to_string(),
            "2026.toml: gap after 2025.toml: no fr rules from 2026-01-01 to 2026-01-31"
        );
        let early = (
            "2026.toml",
            pack(
                "2025-12-01",
                "2026-12-31",
                &GOOD.replace("2026-01-01", "2025-12-01"),
            ),
        );
        assert_eq!(
            load(&[a, early]).unwrap_err().to_string(),
            "2026.toml: overlaps 2025.toml (2025-01-01 to 2025-12-31)"
        );
    }

    #[test]
    fn scales_compute_flat_and_progressive_amounts() {
        let scale = Scale {
            brackets: vec![
                (Money::ZERO, Rate::from_ppm(250_000)),
                (Money::from_euros(10_000), Rate::from_ppm(400_000)),
            ],
        };
        assert_eq!(
            scale.progressive(Money::from_euros(12_000)),
            Money::from_euros(3_300)
        );
        assert_eq!(
            scale.progressive(Money::from_euros(5_000)),
            Money::from_euros(1_250)
        );
        assert_eq!(
            scale.rate_for(Money::from_euros(10_000)),
            Rate::from_ppm(400_000)
        );
    }
}
