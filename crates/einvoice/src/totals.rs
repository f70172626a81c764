//! Totals and VAT breakdown as EN 16931 computes them: line nets summed (BR-CO-10), allowances
//! and charges summed (BR-CO-11, BR-CO-12), the base of each category and rate (BR-S-08,
//! BR-AE-08, BR-E-08, BR-Z-08, BR-IC-08, BR-G-08, BR-O-08), its VAT rounded once per group
//! half away from zero to the cent (BR-CO-17), then BT-109, BT-110, BT-112 and BT-115
//! (BR-CO-13, BR-CO-14, BR-CO-15, BR-CO-16). All in integer cents.

use ensemble_domain::client::VatCategory;
use ensemble_domain::{Money, Rate};

use crate::error::BuildError;
use crate::model::{AllowanceCharge, AllowanceChargeKind, Line, Totals, VatBreakdown};

/// The VAT breakdown (without exemption reasons) and the totals of lines and document-level
/// allowances and charges. Groups appear in the order their first line or allowance does.
pub(crate) fn compute(
    lines: &[Line],
    allowances_charges: &[AllowanceCharge],
) -> Result<(Vec<VatBreakdown>, Totals), BuildError> {
    let mut groups: Vec<VatBreakdown> = Vec::with_capacity(2);
    let mut add = |category: VatCategory, rate: Rate, amount: Money| match groups
        .iter_mut()
        .find(|g| g.category == category && g.rate == rate)
    {
        Some(g) => g.base += amount,
        None => groups.push(VatBreakdown {
            category,
            rate,
            base: amount,
            amount: Money::ZERO,
            exemption: None,
        }),
    };
    for l in lines {
        add(l.category, l.rate, l.net_amount);
    }
    for ac in allowances_charges {
        add(ac.category, ac.rate, ac.signed());
    }
    for g in &mut groups {
        if g.base.is_negative() {
            return Err(BuildError::NegativeBase {
                category: g.category.code(),
                rate: g.rate.to_string(),
                base: g.base.to_string(),
            });
        }
        g.amount = match g.category {
            VatCategory::Standard => g.rate.of(g.base),
            _ => Money::ZERO,
        };
    }
    let sum = |kind: AllowanceChargeKind| -> Money {
        allowances_charges
            .iter()
            .filter(|a| a.kind == kind)
            .map(|a| a.amount)
            .sum()
    };
    let line_total: Money = lines.iter().map(|l| l.net_amount).sum();
    let allowances = sum(AllowanceChargeKind::Allowance);
    let charges = sum(AllowanceChargeKind::Charge);
    let without_vat = line_total - allowances + charges;
    let vat: Money = groups.iter().map(|g| g.amount).sum();
    let with_vat = without_vat + vat;
    let totals = Totals {
        lines: line_total,
        allowances,
        charges,
        without_vat,
        vat,
        with_vat,
        prepaid: Money::ZERO,
        payable: with_vat,
    };
    Ok((groups, totals))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ensemble_domain::invoice::LineQuantity;

    fn line(net_cents: i64, category: VatCategory, ppm: i64) -> Line {
        Line {
            id: "1".into(),
            name: "x".into(),
            quantity: LineQuantity(1000),
            unit_code: "C62".into(),
            net_price: Money::from_cents(net_cents),
            net_amount: Money::from_cents(net_cents),
            category,
            rate: Rate::from_ppm(ppm),
            goods: false,
        }
    }

    fn s(cents: i64, ppm: i64) -> Line {
        line(cents, VatCategory::Standard, ppm)
    }

    fn cents(m: Money) -> i64 {
        m.cents()
    }

    #[test]
    fn vat_is_rounded_once_per_rate_not_per_line() {
        // Three lines of 0.10 at 5.5 %: 0.0055 each would round to 0.01 (0.03 in all); the
        // group of 0.30 gives 0.0165, rounded once: 0.02.
        let (groups, t) = compute(&[s(10, 55_000), s(10, 55_000), s(10, 55_000)], &[]).unwrap();
        assert_eq!(groups.len(), 1);
        assert_eq!(cents(groups[0].base), 30);
        assert_eq!(cents(groups[0].amount), 2);
        assert_eq!(
            (cents(t.without_vat), cents(t.vat), cents(t.with_vat)),
            (30, 2, 32)
        );
    }

    #[test]
    fn half_a_cent_rounds_away_from_zero() {
        // 5 % of 0.10 is 0.005: 0.01. 21 % of 0.50 is 0.105: 0.11. 20 % of 1.01 is 0.202: 0.20.
        for (base, ppm, vat) in [(10, 50_000, 1), (50, 210_000, 11), (101, 200_000, 20)] {
            let (groups, _) = compute(&[s(base, ppm)], &[]).unwrap();
            assert_eq!(cents(groups[0].amount), vat, "{base} at {ppm}");
        }
    }

    #[test]
    fn rates_are_grouped_by_category_and_rate_in_order_of_appearance() {
        let lines = [
            s(100_000, 200_000),
            s(33_333, 55_000),
            s(12_345, 200_000),
            line(5_000, VatCategory::Zero, 0),
            s(999, 100_000),
        ];
        let (groups, t) = compute(&lines, &[]).unwrap();
        let summary: Vec<(&str, i64, i64, i64)> = groups
            .iter()
            .map(|g| {
                (
                    g.category.code(),
                    g.rate.ppm(),
                    cents(g.base),
                    cents(g.amount),
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                // 1123.45 × 20 % = 224.69
                ("S", 200_000, 112_345, 22_469),
                // 333.33 × 5.5 % = 18.333 15 → 18.33
                ("S", 55_000, 33_333, 1_833),
                ("Z", 0, 5_000, 0),
                // 9.99 × 10 % = 0.999 → 1.00
                ("S", 100_000, 999, 100),
            ]
        );
        assert_eq!(cents(t.lines), 151_677);
        assert_eq!(cents(t.vat), 24_402);
        assert_eq!(cents(t.with_vat), 176_079);
        assert_eq!(cents(t.payable), 176_079);
    }

    #[test]
    fn allowances_and_charges_change_the_base_of_their_own_rate() {
        // Lines: 2 260.00 at 20 %, 119.85 at 5.5 %. Allowance 10 % of 2 260.00 = 226.00 at
        // 20 %; charges 35.00 at 20 % and 6.90 at 5.5 %.
        let lines = [s(208_000, 200_000), s(18_000, 200_000), s(11_985, 55_000)];
        let acs = [
            AllowanceCharge::percent(
                AllowanceChargeKind::Allowance,
                "loyalty",
                Money::from_cents(226_000),
                Rate::from_ppm(100_000),
                VatCategory::Standard,
                Rate::from_ppm(200_000),
            )
            .unwrap(),
            AllowanceCharge::charge(
                "travel",
                Money::from_cents(3_500),
                VatCategory::Standard,
                Rate::from_ppm(200_000),
            )
            .unwrap(),
            AllowanceCharge::charge(
                "postage",
                Money::from_cents(690),
                VatCategory::Standard,
                Rate::from_ppm(55_000),
            )
            .unwrap(),
        ];
        let (groups, t) = compute(&lines, &acs).unwrap();
        // BR-S-08: 2 260.00 − 226.00 + 35.00 = 2 069.00 → VAT 413.80;
        // 119.85 + 6.90 = 126.75 → 6.971 25 → 6.97.
        assert_eq!(
            (cents(groups[0].base), cents(groups[0].amount)),
            (206_900, 41_380)
        );
        assert_eq!(
            (cents(groups[1].base), cents(groups[1].amount)),
            (12_675, 697)
        );
        // BR-CO-10..16.
        assert_eq!(cents(t.lines), 237_985);
        assert_eq!(cents(t.allowances), 22_600);
        assert_eq!(cents(t.charges), 4_190);
        assert_eq!(cents(t.without_vat), 219_575);
        assert_eq!(cents(t.vat), 42_077);
        assert_eq!(cents(t.with_vat), 261_652);
        assert_eq!(cents(t.payable), 261_652);
        assert_eq!(
            groups.iter().map(|g| g.base).sum::<Money>(),
            t.without_vat,
            "the bases add up to BT-109"
        );
    }

    #[test]
    fn a_percentage_allowance_is_rounded_half_away_to_the_cent() {
        // 10 % of 333.35 = 33.335 → 33.34; 2.5 % of 0.20 = 0.005 → 0.01.
        for (base, ppm, amount) in [(33_335, 100_000, 3_334), (20, 25_000, 1)] {
            let a = AllowanceCharge::percent(
                AllowanceChargeKind::Allowance,
                "r",
                Money::from_cents(base),
                Rate::from_ppm(ppm),
                VatCategory::Standard,
                Rate::from_ppm(200_000),
            )
            .unwrap();
            assert_eq!(cents(a.amount()), amount);
        }
    }

    #[test]
    fn categories_without_vat_have_a_zero_amount() {
        let lines = [
            line(100_000, VatCategory::ReverseCharge, 0),
            line(50_000, VatCategory::Exempt, 0),
            line(25_000, VatCategory::IntraCommunity, 0),
        ];
        let (groups, t) = compute(&lines, &[]).unwrap();
        assert!(groups.iter().all(|g| g.amount == Money::ZERO));
        assert_eq!((cents(t.vat), cents(t.with_vat)), (0, 175_000));
    }

    #[test]
    fn an_allowance_larger_than_its_rate_group_is_refused() {
        let a = AllowanceCharge::allowance(
            "too much",
            Money::from_cents(10_001),
            VatCategory::Standard,
            Rate::from_ppm(60_000),
        )
        .unwrap();
        let err = compute(&[s(10_000, 60_000), s(50_000, 210_000)], &[a]).unwrap_err();
        assert!(matches!(err, BuildError::NegativeBase { .. }), "{err}");
    }
}
