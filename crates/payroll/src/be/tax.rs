//! The withholding tax (précompte professionnel) on a month's regular pay: the key formula of
//! Annex III AR/CIR 92 as the SPF Finances publishes it for pay from 1 January 2026
//! (« Formule-clé », ESS-SR/2025-0928), for a resident employee taxed alone (barème I).
//!
//! Steps, with the paragraph of the key-formula document:
//! 1. annual taxable pay = monthly taxable pay × 12, not rounded (n° 7);
//! 2. flat professional expenses: 30 % of it, rounded to the cent, at most 6 070.00 (n° 8, 1°);
//! 3. tax of the scale on the net (annex 1): each slice rounded to the cent, which gives the
//!    precomputed amounts of the SPF table (4 469.93 at 16 710.00, 9 944.05 at 29 500.00, …);
//! 4. less the tax on the exempt amount, 11 170.00 at the first rate = 2 987.98 (n° 11), not
//!    below zero;
//! 5. less the reductions for dependent children (n° 13, annex 3), not below zero;
//! 6. divided by 12, rounded to the cent, at the end only (n° 16);
//! 7. less the fiscal work bonus, 33.14 % of the social part A and 52.54 % of part B actually
//!    granted, each rounded to the cent (n° 20), not below zero (n° 21).
//!
//! Rounding is half up to the cent at every step where a product or a quotient is formed
//! (n° 3: « au cent supérieur ou inférieur selon que le chiffre des millièmes atteint ou non
//! 5 »), which is [`Rate::of`](ensemble_domain::Rate::of) and [`Money::prorate`] on the
//! positive amounts here.

use ensemble_domain::Money;

use super::BeRates;

/// Every step of the key formula for one month, for tests and for explaining a payslip.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct KeyFormula {
    /// Step 1: monthly taxable pay × 12.
    pub annual_taxable: Money,
    /// Step 2: flat professional expenses.
    pub expenses: Money,
    /// Step 2: annual net taxable pay.
    pub annual_net: Money,
    /// Step 3: tax of the scale on the annual net.
    pub scale_tax: Money,
    /// Step 4: tax on the exempt amount, deducted.
    pub exempt_tax: Money,
    /// Step 5: annual reduction for dependent children, as far as the tax allows.
    pub children_reduction: Money,
    /// Steps 4 and 5: annual tax after the exempt amount and the reductions.
    pub annual_tax: Money,
    /// Step 6: monthly withholding before the fiscal work bonus.
    pub monthly_tax: Money,
    /// Step 7: fiscal work bonus, as far as the monthly tax allows.
    pub fiscal_bonus: Money,
    /// Step 7: the withholding due.
    pub withholding: Money,
}

/// The key formula on a month's taxable pay (gross less personal social security
/// contributions after the work bonus), for a single employee with `children` dependent
/// children who got the social work bonus parts `bonus_a` and `bonus_b`.
pub(crate) fn key_formula(
    r: &BeRates,
    monthly_taxable: Money,
    children: u32,
    bonus_a: Money,
    bonus_b: Money,
) -> KeyFormula {
    let annual_taxable = monthly_taxable.max(Money::ZERO).times(12);
    let expenses = r
        .professional_expenses_rate
        .of(annual_taxable)
        .min(r.professional_expenses_cap);
    let annual_net = annual_taxable - expenses;
    let scale_tax = r.tax_scale.progressive(annual_net);
    let exempt_tax = r.tax_scale.progressive(r.tax_exempt_amount);
    let after_exempt = scale_tax.excess_over(exempt_tax);
    let children_reduction = children_reduction(r, children).min(after_exempt);
    let annual_tax = after_exempt - children_reduction;
    let monthly_tax = annual_tax.prorate(1, 12);
    let bonus = r.fiscal_work_bonus_a.of(bonus_a) + r.fiscal_work_bonus_b.of(bonus_b);
    let fiscal_bonus = bonus.min(monthly_tax);
    KeyFormula {
        annual_taxable,
        expenses,
        annual_net,
        scale_tax,
        exempt_tax,
        children_reduction,
        annual_tax,
        monthly_tax,
        fiscal_bonus,
        withholding: monthly_tax - fiscal_bonus,
    }
}

/// The annual reduction for `children` dependent children (annex 3): the table up to eight
/// children, then a fixed amount for each further child.
pub(crate) fn children_reduction(r: &BeRates, children: u32) -> Money {
    let table = &r.tax_reduction_children.0;
    let Some(n) = usize::try_from(children).ok().filter(|n| *n > 0) else {
        return Money::ZERO;
    };
    match table.get(n - 1) {
        Some(m) => *m,
        None => {
            let last = table.last().copied().unwrap_or(Money::ZERO);
            let extra = i64::try_from(n - table.len()).unwrap_or(0);
            last + r.tax_reduction_extra_child.times(extra)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Engine;

    fn rates(month: &str) -> BeRates {
        Engine::embedded()
            .be
            .at(month.parse().unwrap())
            .unwrap()
            .clone()
    }

    fn eur(s: &str) -> Money {
        s.parse().unwrap()
    }

    #[test]
    fn scale_reproduces_the_precomputed_amounts_of_annex_1() {
        let r = rates("2026-01");
        // SPF Finances, formule-clé 2026, annexe 1: tax at each bracket limit.
        assert_eq!(r.tax_scale.progressive(eur("16710.00")), eur("4469.93"));
        assert_eq!(r.tax_scale.progressive(eur("29500.00")), eur("9944.05"));
        assert_eq!(r.tax_scale.progressive(eur("51050.00")), eur("20320.38"));
        // n° 11: the exempt amount 11 170.00 taxed at 26.75 %.
        assert_eq!(r.tax_scale.progressive(r.tax_exempt_amount), eur("2987.98"));
    }

    #[test]
    fn expenses_are_30_percent_up_to_the_cap() {
        let r = rates("2026-01");
        // 20 233.33 × 30 % = 6 070.00 (the cap is reached there).
        let k = key_formula(&r, eur("1686.11"), 0, Money::ZERO, Money::ZERO);
        assert_eq!(k.annual_taxable, eur("20233.32"));
        assert_eq!(k.expenses, eur("6070.00"));
        let k = key_formula(&r, eur("1000.00"), 0, Money::ZERO, Money::ZERO);
        assert_eq!(k.expenses, eur("3600.00"));
        let k = key_formula(&r, eur("5000.00"), 0, Money::ZERO, Money::ZERO);
        assert_eq!(k.expenses, eur("6070.00"));
        assert_eq!(k.annual_net, eur("53930.00"));
    }

    #[test]
    fn every_step_for_3000_gross_employee_in_september() {
        // Gross 3 000.00 (September 2026): ONSS 392.10, work bonus A 110.54, B 0;
        // taxable = 3 000.00 − 392.10 + 110.54 = 2 718.44.
        let r = rates("2026-09");
        let k = key_formula(&r, eur("2718.44"), 0, eur("110.54"), Money::ZERO);
        assert_eq!(k.annual_taxable, eur("32621.28"));
        assert_eq!(k.expenses, eur("6070.00"));
        assert_eq!(k.annual_net, eur("26551.28"));
        // 4 469.93 + 42.80 % × (26 551.28 − 16 710.00) = 4 469.93 + 4 212.07
        assert_eq!(k.scale_tax, eur("8682.00"));
        assert_eq!(k.exempt_tax, eur("2987.98"));
        assert_eq!(k.annual_tax, eur("5694.02"));
        // 5 694.02 / 12 = 474.5016…
        assert_eq!(k.monthly_tax, eur("474.50"));
        // 33.14 % × 110.54 = 36.633…
        assert_eq!(k.fiscal_bonus, eur("36.63"));
        assert_eq!(k.withholding, eur("437.87"));
    }

    #[test]
    fn children_reductions_follow_annex_3() {
        let r = rates("2026-06");
        assert_eq!(children_reduction(&r, 0), Money::ZERO);
        assert_eq!(children_reduction(&r, 1), eur("624.00"));
        assert_eq!(children_reduction(&r, 2), eur("1656.00"));
        assert_eq!(children_reduction(&r, 8), eur("21996.00"));
        assert_eq!(children_reduction(&r, 10), eur("29724.00"));
        // The reduction never makes the tax negative.
        let k = key_formula(&r, eur("2233.61"), 4, Money::ZERO, Money::ZERO);
        assert_eq!(k.annual_tax, Money::ZERO);
        assert_eq!(k.children_reduction, k.scale_tax - k.exempt_tax);
    }

    #[test]
    fn fiscal_bonus_never_exceeds_the_tax() {
        let r = rates("2026-09");
        // Two children at the minimum wage: 128.99 before the bonus, bonus 128.64 → 0.35.
        let k = key_formula(&r, eur("2233.61"), 2, eur("127.54"), eur("164.39"));
        assert_eq!(k.monthly_tax, eur("128.99"));
        assert_eq!(k.fiscal_bonus, eur("128.64"));
        assert_eq!(k.withholding, eur("0.35"));
        let k = key_formula(&r, eur("2233.61"), 3, eur("127.54"), eur("164.39"));
        assert_eq!(k.withholding, Money::ZERO);
        assert_eq!(k.fiscal_bonus, k.monthly_tax);
    }

    #[test]
    fn nothing_is_withheld_below_the_exempt_amount() {
        let r = rates("2026-09");
        let k = key_formula(&r, eur("214.71"), 0, Money::ZERO, Money::ZERO);
        assert_eq!(k.withholding, Money::ZERO);
        let k = key_formula(&r, Money::ZERO, 0, Money::ZERO, Money::ZERO);
        assert_eq!(k.withholding, Money::ZERO);
    }
}
