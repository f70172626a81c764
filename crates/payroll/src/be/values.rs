//! Value kinds of the Belgian rule pack that the shared kinds of [`crate::pack`] do not cover.

use ensemble_domain::{Money, Rate};
use toml::Value as Toml;

use crate::pack::PackValue;

/// A scale of bands, each with a fixed amount and a rate on the excess, as official Belgian
/// scales are written (the special social security contribution): for an amount `x`, the band
/// with the largest `over` strictly below `x` gives `fixed + rate × (x − over)`; nothing at or
/// below the first bound.
///
/// Written `[{ over = "0.00", fixed = "0.00", rate = "0%" }, { over = "1945.38", … }]`. The
/// fixed amounts are data, not sums of the lower bands: the law rounds them on their own, so a
/// progressive [`Scale`](crate::pack::Scale) would drift by a cent in the upper bands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bands {
    pub bands: Vec<Band>,
}

/// One band of [`Bands`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Band {
    pub over: Money,
    pub fixed: Money,
    pub rate: Rate,
}

impl Bands {
    /// The amount for `x`: the fixed amount of its band plus the rate on the excess, rounded
    /// half away from zero to the cent.
    pub fn amount(&self, x: Money) -> Money {
        match self.bands.iter().rev().find(|b| b.over < x) {
            Some(b) => b.fixed + b.rate.of(x - b.over),
            None => Money::ZERO,
        }
    }
}

impl PackValue for Bands {
    const EXPECTED: &'static str =
        "a list of bands, like [{ over = \"0.00\", fixed = \"0.00\", rate = \"0%\" }]";

    fn parse(value: &Toml) -> Result<Self, String> {
        let items = value.as_array().ok_or("")?;
        let mut bands = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let n = i + 1;
            let t = item
                .as_table()
                .ok_or_else(|| format!("band {n} is not a table"))?;
            for key in t.keys() {
                if !matches!(key.as_str(), "over" | "fixed" | "rate") {
                    return Err(format!("band {n}: unknown key `{key}`"));
                }
            }
            let money = |key: &str| -> Result<Money, String> {
                let v = t
                    .get(key)
                    .ok_or_else(|| format!("band {n}: missing `{key}`"))?;
                Money::parse(v)
                    .map_err(|e| format!("band {n}: `{key}`: {}", or(e, Money::EXPECTED)))
            };
            let over = money("over")?;
            let fixed = money("fixed")?;
            let rate = t
                .get("rate")
                .ok_or_else(|| format!("band {n}: missing `rate`"))
                .and_then(|v| {
                    Rate::parse(v)
                        .map_err(|e| format!("band {n}: `rate`: {}", or(e, Rate::EXPECTED)))
                })?;
            if fixed.is_negative() {
                return Err(format!("band {n}: `fixed` {fixed} is negative"));
            }
            bands.push(Band { over, fixed, rate });
        }
        match bands.first() {
            None => return Err("a scale needs at least one band".to_string()),
            Some(b) if b.over != Money::ZERO => {
                return Err(format!("the first band must be over 0.00, not {}", b.over));
            }
            _ => {}
        }
        for w in bands.windows(2) {
            if w[1].over <= w[0].over {
                return Err(format!(
                    "bands must rise: {} does not come after {}",
                    w[1].over, w[0].over
                ));
            }
        }
        Ok(Bands { bands })
    }

    fn show(&self) -> String {
        self.bands
            .iter()
            .map(|b| format!(">{}: {} + {}%", b.over, b.fixed, b.rate))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A list of amounts indexed from one, such as the tax reductions for 1, 2, … dependent
/// children. Written `["624.00", "1656.00", …]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Amounts(pub Vec<Money>);

impl PackValue for Amounts {
    const EXPECTED: &'static str = "a list of amounts as strings, like [\"624.00\", \"1656.00\"]";

    fn parse(value: &Toml) -> Result<Self, String> {
        let items = value.as_array().ok_or("")?;
        if items.is_empty() {
            return Err("the list needs at least one amount".to_string());
        }
        let mut amounts = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let m = Money::parse(item)
                .map_err(|e| format!("amount {}: {}", i + 1, or(e, Money::EXPECTED)))?;
            if m.is_negative() {
                return Err(format!("amount {}: {m} is negative", i + 1));
            }
            amounts.push(m);
        }
        Ok(Amounts(amounts))
    }

    fn show(&self) -> String {
        self.0
            .iter()
            .map(Money::to_string)
            .collect::<Vec<_>>()
            .join(" / ")
    }
}

fn or(message: String, expected: &str) -> String {
    if message.is_empty() {
        format!("expected {expected}")
    } else {
        message
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toml(text: &str) -> Toml {
        let t: toml::Table = format!("v = {text}").parse().unwrap();
        t["v"].clone()
    }

    #[test]
    fn bands_take_the_band_strictly_below_and_its_fixed_amount() {
        let b = Bands::parse(&toml(
            r#"[{ over = "0.00", fixed = "0.00", rate = "0%" },
                { over = "100.00", fixed = "0.00", rate = "10%" },
                { over = "200.00", fixed = "9.99", rate = "1%" }]"#,
        ))
        .unwrap();
        assert_eq!(b.amount(Money::from_euros(-5)), Money::ZERO);
        assert_eq!(b.amount(Money::from_euros(100)), Money::ZERO);
        assert_eq!(b.amount(Money::from_euros(200)), Money::from_euros(10));
        // Just over 200: the fixed amount of the upper band, not the lower band's sum.
        assert_eq!(b.amount(Money::from_cents(20_001)), Money::from_cents(999));
    }

    #[test]
    fn bands_refuse_bad_lists() {
        let err = |t: &str| Bands::parse(&toml(t)).unwrap_err();
        assert_eq!(err("[]"), "a scale needs at least one band");
        assert!(err(r#"[{ over = "1.00", fixed = "0.00", rate = "0%" }]"#).contains("over 0.00"));
        assert!(
            err(r#"[{ over = "0.00", fixed = "0.00", rate = "0%", x = 1 }]"#)
                .contains("unknown key")
        );
        assert!(
            err(r#"[{ over = "0.00", fixed = "0.00", rate = "0%" }, { over = "0.00", fixed = "0.00", rate = "1%" }]"#)
                .contains("must rise")
        );
        assert_eq!(Bands::parse(&toml("\"x\"")).unwrap_err(), "");
    }

    #[test]
    fn amounts_read_a_list_of_money() {
        let a = Amounts::parse(&toml(r#"["624.00", "1656.00"]"#)).unwrap();
        assert_eq!(a.0, vec![Money::from_euros(624), Money::from_euros(1656)]);
        assert!(
            Amounts::parse(&toml(r#"["-1.00"]"#))
                .unwrap_err()
                .contains("negative")
        );
        assert!(
            Amounts::parse(&toml("[]"))
                .unwrap_err()
                .contains("at least one")
        );
    }
}
