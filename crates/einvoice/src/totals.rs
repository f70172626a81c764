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
    let mut add = |category: VatCategory, rate: Rate, amount: Money| {
        match groups
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
        }
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
