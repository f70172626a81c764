//! Belgian payslips of 2026, worked to the cent from the official rules.
//!
//! # Where the expected amounts come from
//! No official worked example with inputs and results for 2026 was found: the SPF Finances
//! key-formula document (ESS-SR/2025-0928) and the ONSS instructions were read through
//! transcriptions of their rules and parameters, and no published 2026 example payslip could be
//! retrieved. Every case below is therefore **worked by hand from the official formula**, its
//! steps written in the test, each parameter taken from the source
//! named in the rule pack (`rules/be/2026.toml`):
//!
//! - `[ONSS]` ONSS, Instructions administratives DmfA 2026: personal contribution 13.07 %,
//!   employer global rate 25.00 % (category 1), 108 % base of manual workers and artists,
//!   1.60 % unemployment contribution from 10 workers, holiday contributions 6.00 % + 10.27 %.
//! - `[WB]` ONSS, bonus à l'emploi (workbonus.html), amounts of 1 January, 1 March, 1 April,
//!   1 July and 1 September 2026 (Instructions 2026/1 and 2026/3).
//! - `[SR]` ONSS, réduction structurelle, category 1: α 0.14, γ 0.15 (Q1) / 0.16, S0 11 458.57
//!   / 11 687.74 (from Q3), S2 9 547.20 / 9 738.14 (from Q3); Ps = R × µ × β.
//! - `[CSSS]` ONSS, cotisation spéciale de sécurité sociale, individual taxation, monthly
//!   withholding = one third of the quarterly scale.
//! - `[FC]` SPF Finances, « Formule-clé … à partir du 1er janvier 2026 » (ESS-SR/2025-0928):
//!   expenses 30 % up to 6 070.00 (n° 8), scale 26.75 / 42.80 / 48.15 / 53.50 % at 16 710 /
//!   29 500 / 51 050 (annex 1), exempt 11 170.00 → 2 987.98 (n° 11), children 624 / 1 656 / … /
//!   21 996 + 3 864 (annex 3), ÷ 12 (n° 16), fiscal work bonus 33.14 % A + 52.54 % B (n° 20).
//! - `[P80]` AR/CIR 92 annex III point 80: 11.11 % flat for artists, without reduction.
//! - `[CCT43]` CNT collective agreement n° 43: RMMMG 2 154.11 (January), 2 189.81 (April),
//!   2 233.61 (July) for 38 h a week.
//! - `[FFE]` Company Closure Fund 0.37 % (20 workers or more) or 0.32 %, plus 0.09 % for
//!   temporary unemployment (low confidence, see the pack).
//!
//! Cases marked `cross-check` give the same withholding and net as the reference values of an
//! independent 2026 calculator generated from the same official texts (VicdSpt/Wage_Calculator,
//! `src/engine/__tests__/references.json`): a check of the arithmetic, not an authority.
//!
//! Every case also checks that its lines add up to its totals.

use ensemble_domain::{Country, Lang, Money, Rate};
use ensemble_payroll::{
    Amount, Case, Contract, Engine, Hours, LineKind, PayrollError, Payslip, Status, label,
};

fn eur(s: &str) -> Money {
    s.parse().expect("an amount")
}

/// A Belgian case with the defaults: employee, monthly contract, single, no child, 100 workers.
fn case(month: &str, amount: Amount) -> Case {
    Case::new(Country::Be, month.parse().expect("a month"), amount)
}

fn gross(month: &str, g: &str) -> Case {
    case(month, Amount::Gross(eur(g)))
}

fn compute(c: &Case) -> Payslip {
    match Engine::embedded().compute(c) {
        Ok(p) => p,
        Err(e) => panic!("{c:?}: {e}"),
    }
}

fn employee_amount(p: &Payslip, code: &str) -> Money {
    p.line(code).map_or(Money::ZERO, |l| l.employee_amount)
}

fn employer_amount(p: &Payslip, code: &str) -> Money {
    p.line(code).map_or(Money::ZERO, |l| l.employer_amount)
}

/// What a worked case must give, to the cent.
struct Expect {
    /// Personal contribution 13.07 % (line `be.social_security`).
    onss: &'static str,
    bonus_a: &'static str,
    bonus_b: &'static str,
    /// Special social security contribution.
    special: &'static str,
    /// Withholding before the fiscal work bonus (or the flat 11.11 %).
    tax: &'static str,
    fiscal_bonus: &'static str,
    /// Withholding due.
    withholding: &'static str,
    net: &'static str,
    structural: &'static str,
    employer_cost: &'static str,
}

fn check(p: &Payslip, e: &Expect) {
    let tax =
        employee_amount(p, "be.withholding_tax") + employee_amount(p, "be.withholding_tax_flat");
    let got = [
        ("onss", employee_amount(p, "be.social_security")),
        ("bonus_a", -employee_amount(p, "be.work_bonus_a")),
        ("bonus_b", -employee_amount(p, "be.work_bonus_b")),
        ("special", employee_amount(p, "be.special_contribution")),
        ("tax", tax),
        ("fiscal_bonus", -employee_amount(p, "be.fiscal_work_bonus")),
        ("withholding", p.totals.withholding_tax),
        ("net", p.totals.net_paid),
        ("structural", -employer_amount(p, "be.structural_reduction")),
        ("employer_cost", p.totals.employer_cost),
    ];
    let want = [
        e.onss,
        e.bonus_a,
        e.bonus_b,
        e.special,
        e.tax,
        e.fiscal_bonus,
        e.withholding,
        e.net,
        e.structural,
        e.employer_cost,
    ];
    for ((name, got), want) in got.iter().zip(want) {
        assert_eq!(*got, eur(want), "{name} of {:?}", p.totals);
    }
    check_sums(p);
}

/// The totals are the sums of the lines, and the net is gross − contributions − tax.
fn check_sums(p: &Payslip) {
    let sum = |kinds: &[LineKind], f: fn(&ensemble_payroll::Line) -> Money| -> Money {
        p.lines
            .iter()
            .filter(|l| kinds.contains(&l.kind))
            .map(f)
            .sum()
    };
    let t = &p.totals;
    assert_eq!(t.gross, sum(&[LineKind::Earning], |l| l.employee_amount));
    assert_eq!(
        t.employee_contributions,
        sum(&[LineKind::Contribution, LineKind::Relief], |l| l
            .employee_amount)
    );
    assert_eq!(
        t.withholding_tax,
        sum(&[LineKind::Tax], |l| l.employee_amount)
    );
    assert_eq!(
        t.employer_contributions,
        sum(&[LineKind::Contribution], |l| l.employer_amount)
    );
    assert_eq!(
        t.employer_reliefs,
        -sum(&[LineKind::Relief], |l| l.employer_amount)
    );
    assert_eq!(
        t.net_paid,
        t.gross - t.employee_contributions - t.withholding_tax
    );
    assert_eq!(
        t.employer_cost,
        t.gross + t.employer_contributions - t.employer_reliefs
    );
    // Taxable pay: gross − (ONSS − work bonus); the CSSS is not deductible.
    let onss = employee_amount(p, "be.social_security");
    let bonus = employee_amount(p, "be.work_bonus_a") + employee_amount(p, "be.work_bonus_b");
    assert_eq!(t.net_taxable, t.gross - onss - bonus);
    for l in &p.lines {
        assert!(l.code.starts_with("be."), "{}", l.code);
        for lang in [Lang::En, Lang::Fr, Lang::Nl] {
            assert_ne!(
                label(l.code, lang),
                l.code,
                "no {lang:?} label for {}",
                l.code
            );
        }
        // Every rated amount is its rate applied to its base, rounded half away from zero.
        if let Some(rate) = l.employee_rate {
            assert_eq!(rate.of(l.base), l.employee_amount, "{}", l.code);
        }
        if let Some(rate) = l.employer_rate {
            assert_eq!(rate.of(l.base), l.employer_amount, "{}", l.code);
        }
    }
}

// --- Employees, full month, single, September 2026 (work bonus of 1 September, Q3) -------

/// Gross = RMMMG 2 233.61 [CCT43], employee, single, September 2026. Cross-check.
/// - ONSS 13.07 % × 2 233.61 = 291.93 [ONSS].
/// - Work bonus [WB]: S = 2 233.61 ≤ 2 300.62 → B = 171.99; ≤ 2 937.93 → A = 127.54;
///   A + B = 299.53 > 291.93 → B cut first to 164.39.
/// - Taxable 2 233.61 − (291.93 − 291.93) = 2 233.61. [FC] × 12 = 26 803.32; expenses 6 070.00
///   (cap); net 20 733.32; scale 4 469.93 + 42.80 % × 4 023.32 (1 721.98) = 6 191.91;
///   − 2 987.98 = 3 203.93; ÷ 12 = 266.99. Fiscal bonus 33.14 % × 127.54 (42.27)
///   + 52.54 % × 164.39 (86.37) = 128.64 → withholding 138.35.
/// - CSSS [CSSS]: 10.33 + 1.10 % × (2 233.61 − 2 190.18) = 10.33 + 0.48 = 10.81.
/// - Net 2 233.61 − 0 − 10.81 − 138.35 = 2 084.45.
/// - Employer: 25 % 558.40 + 1.60 % 35.74 + FFE 0.46 % 10.27 = 604.41. [SR] S = 3 × 2 233.61
///   = 6 700.83; R = 0.14 × 4 986.91 + 0.16 × 3 037.31 = 698.1674 + 485.9696 = 1 184.14;
///   a third: 394.71. Cost 2 233.61 + 604.41 − 394.71 = 2 443.31.
#[test]
fn be01_employee_at_the_minimum_wage() {
    check(
        &compute(&gross("2026-09", "2233.61")),
        &Expect {
            onss: "291.93",
            bonus_a: "127.54",
            bonus_b: "164.39",
            special: "10.81",
            tax: "266.99",
            fiscal_bonus: "128.64",
            withholding: "138.35",
            net: "2084.45",
            structural: "394.71",
            employer_cost: "2443.31",
        },
    );
}

/// 2 300.62 (the part B floor), employee, September 2026. Cross-check.
/// - ONSS 300.69; A 127.54, B 171.99 (S at the floor); 299.53 ≤ 300.69, no cut.
/// - Taxable 2 300.62 − 300.69 + 299.53 = 2 299.46; × 12 = 27 593.52; − 6 070.00
///   = 21 523.52; scale 4 469.93 + 42.80 % × 4 813.52 (2 060.19) = 6 530.12; − 2 987.98
///   = 3 542.14; ÷ 12 = 295.18; bonus 42.27 + 52.54 % × 171.99 (90.36) = 132.63 → 162.55.
/// - CSSS 10.33 + 1.10 % × 110.44 (1.21) = 11.54. Net 2 300.62 − 1.16 − 11.54 − 162.55
///   = 2 125.37.
/// - Employer 575.16 + 36.81 + 10.58 = 622.55; S = 6 901.86, R = 0.14 × 4 785.88 + 0.16 ×
///   2 836.28 = 670.0232 + 453.8048 = 1 123.83 → 374.61. Cost 2 548.56.
#[test]
fn be02_employee_at_the_part_b_floor() {
    check(
        &compute(&gross("2026-09", "2300.62")),
        &Expect {
            onss: "300.69",
            bonus_a: "127.54",
            bonus_b: "171.99",
            special: "11.54",
            tax: "295.18",
            fiscal_bonus: "132.63",
            withholding: "162.55",
            net: "2125.37",
            structural: "374.61",
            employer_cost: "2548.56",
        },
    );
}

/// 2 937.93 (the part A floor, end of part B), employee, September 2026. Cross-check.
/// - ONSS 383.99; A 127.54 (S at the A floor), B 0 (S at the B ceiling: 171.99 − 0.2699 ×
///   637.31 = 171.99 − 172.01 < 0 → 0).
/// - Taxable 2 937.93 − 383.99 + 127.54 = 2 681.48; × 12 = 32 177.76; − 6 070.00 = 26 107.76;
///   scale 4 469.93 + 42.80 % × 9 397.76 (4 022.24) = 8 492.17; − 2 987.98 = 5 504.19; ÷ 12
///   = 458.68; bonus 42.27 → 416.41.
/// - CSSS 10.33 + 1.10 % × 747.75 (8.23) = 18.56. Net 2 937.93 − 256.45 − 18.56 − 416.41
///   = 2 246.51.
/// - Employer 734.48 + 47.01 + 13.51 = 795.00; S = 8 813.79, R = 0.14 × 2 873.95 + 0.16 ×
///   924.35 = 402.353 + 147.896 = 550.25 → 183.42. Cost 3 549.51.
#[test]
fn be03_employee_at_the_part_a_floor() {
    check(
        &compute(&gross("2026-09", "2937.93")),
        &Expect {
            onss: "383.99",
            bonus_a: "127.54",
            bonus_b: "0.00",
            special: "18.56",
            tax: "458.68",
            fiscal_bonus: "42.27",
            withholding: "416.41",
            net: "2246.51",
            structural: "183.42",
            employer_cost: "3549.51",
        },
    );
}

/// 3 000.00, employee, September 2026. Cross-check.
/// - ONSS 392.10; A = 127.54 − 0.2739 × 62.07 (17.0010) = 110.54 [WB]; B 0.
/// - Taxable 2 718.44; × 12 = 32 621.28; − 6 070.00 = 26 551.28; scale 4 469.93 + 42.80 %
///   × 9 841.28 (4 212.07) = 8 682.00; − 2 987.98 = 5 694.02; ÷ 12 = 474.50; bonus 33.14 %
///   × 110.54 = 36.63 → 437.87.
/// - CSSS 10.33 + 1.10 % × 809.82 (8.91) = 19.24. Net 3 000.00 − 281.56 − 19.24 − 437.87
///   = 2 261.33.
/// - Employer 750.00 + 48.00 + 13.80 = 811.80; S = 9 000.00, R = 0.14 × 2 687.74 + 0.16 ×
///   738.14 = 376.2836 + 118.1024 = 494.39 → 164.80. Cost 3 647.00.
#[test]
fn be04_employee_3000() {
    check(
        &compute(&gross("2026-09", "3000.00")),
        &Expect {
            onss: "392.10",
            bonus_a: "110.54",
            bonus_b: "0.00",
            special: "19.24",
            tax: "474.50",
            fiscal_bonus: "36.63",
            withholding: "437.87",
            net: "2261.33",
            structural: "164.80",
            employer_cost: "3647.00",
        },
    );
}

/// 3 403.62 (the part A ceiling), employee, September 2026. Cross-check.
/// - ONSS 444.85; A = 127.54 − 0.2739 × 465.69 (127.5525) < 0 → 0.
/// - Taxable 2 958.77; × 12 = 35 505.24; − 6 070.00 = 29 435.24; scale 4 469.93 + 42.80 %
///   × 12 725.24 (5 446.40) = 9 916.33; − 2 987.98 = 6 928.35; ÷ 12 = 577.36.
/// - CSSS 10.33 + 1.10 % × 1 213.44 (13.35) = 23.68. Net 3 403.62 − 444.85 − 23.68 − 577.36
///   = 2 357.73.
/// - Employer 850.91 + 54.46 + 15.66 = 921.03; S = 10 210.86, R = 0.14 × 1 476.88 = 206.76
///   (S above S2) → 68.92. Cost 4 255.73.
#[test]
fn be05_employee_at_the_part_a_ceiling() {
    check(
        &compute(&gross("2026-09", "3403.62")),
        &Expect {
            onss: "444.85",
            bonus_a: "0.00",
            bonus_b: "0.00",
            special: "23.68",
            tax: "577.36",
            fiscal_bonus: "0.00",
            withholding: "577.36",
            net: "2357.73",
            structural: "68.92",
            employer_cost: "4255.73",
        },
    );
}

/// 4 500.00, employee, September 2026. Cross-check.
/// - ONSS 588.15; no bonus. Taxable 3 911.85; × 12 = 46 942.20; − 6 070.00 = 40 872.20;
///   scale 9 944.05 + 48.15 % × 11 372.20 (5 475.71) = 15 419.76; − 2 987.98 = 12 431.78;
///   ÷ 12 = 1 035.98.
/// - CSSS 39.61 + 1.10 % × 400.00 (4.40) = 44.01. Net 4 500.00 − 588.15 − 44.01 − 1 035.98
///   = 2 831.86.
/// - Employer 1 125.00 + 72.00 + 20.70; S = 13 500.00 > S0: no reduction. Cost 5 717.70.
#[test]
fn be06_employee_4500() {
    check(
        &compute(&gross("2026-09", "4500.00")),
        &Expect {
            onss: "588.15",
            bonus_a: "0.00",
            bonus_b: "0.00",
            special: "44.01",
            tax: "1035.98",
            fiscal_bonus: "0.00",
            withholding: "1035.98",
            net: "2831.86",
            structural: "0.00",
            employer_cost: "5717.70",
        },
    );
}

/// 6 500.00, employee, September 2026. Cross-check.
/// - ONSS 849.55. Taxable 5 650.45; × 12 = 67 805.40; − 6 070.00 = 61 735.40; scale
///   20 320.38 + 53.50 % × 10 685.40 (5 716.69) = 26 037.07; − 2 987.98 = 23 049.09; ÷ 12
///   = 1 920.76.
/// - CSSS: above 6 038.82, 60.94. Net 6 500.00 − 849.55 − 60.94 − 1 920.76 = 3 668.75.
/// - Employer 1 625.00 + 104.00 + 29.90 = 1 758.90. Cost 8 258.90.
#[test]
fn be07_employee_6500() {
    check(
        &compute(&gross("2026-09", "6500.00")),
        &Expect {
            onss: "849.55",
            bonus_a: "0.00",
            bonus_b: "0.00",
            special: "60.94",
            tax: "1920.76",
            fiscal_bonus: "0.00",
            withholding: "1920.76",
            net: "3668.75",
            structural: "0.00",
            employer_cost: "8258.90",
        },
    );
}

/// 10 000.00, employee, September 2026. Cross-check.
/// - ONSS 1 307.00. Taxable 8 693.00; × 12 = 104 316.00; − 6 070.00 = 98 246.00; scale
///   20 320.38 + 53.50 % × 47 196.00 (25 249.86) = 45 570.24; − 2 987.98 = 42 582.26; ÷ 12
///   = 3 548.52.
/// - CSSS 60.94. Net 10 000.00 − 1 307.00 − 60.94 − 3 548.52 = 5 083.54.
/// - Employer 2 500.00 + 160.00 + 46.00. Cost 12 706.00.
#[test]
fn be08_employee_10000() {
    check(
        &compute(&gross("2026-09", "10000.00")),
        &Expect {
            onss: "1307.00",
            bonus_a: "0.00",
            bonus_b: "0.00",
            special: "60.94",
            tax: "3548.52",
            fiscal_bonus: "0.00",
            withholding: "3548.52",
            net: "5083.54",
            structural: "0.00",
            employer_cost: "12706.00",
        },
    );
}

// --- Dependent children ------------------------------------------------------------------

/// 2 233.61, two dependent children, September 2026. Cross-check.
/// As be01 up to 3 203.93, then − 1 656.00 [FC annex 3] = 1 547.93; ÷ 12 = 128.99; fiscal
/// bonus 128.64 → 0.35. Net 2 233.61 − 10.81 − 0.35 = 2 222.45.
#[test]
fn be09_two_children_at_the_minimum_wage() {
    let mut c = gross("2026-09", "2233.61");
    c.children = Some(2);
    check(
        &compute(&c),
        &Expect {
            onss: "291.93",
            bonus_a: "127.54",
            bonus_b: "164.39",
            special: "10.81",
            tax: "128.99",
            fiscal_bonus: "128.64",
            withholding: "0.35",
            net: "2222.45",
            structural: "394.71",
            employer_cost: "2443.31",
        },
    );
}

/// 3 000.00, two children, September 2026. Cross-check.
/// As be04 up to 5 694.02; − 1 656.00 = 4 038.02; ÷ 12 = 336.50; − 36.63 = 299.87.
/// Net 3 000.00 − 281.56 − 19.24 − 299.87 = 2 399.33.
#[test]
fn be10_two_children_3000() {
    let mut c = gross("2026-09", "3000.00");
    c.children = Some(2);
    check(
        &compute(&c),
        &Expect {
            onss: "392.10",
            bonus_a: "110.54",
            bonus_b: "0.00",
            special: "19.24",
            tax: "336.50",
            fiscal_bonus: "36.63",
            withholding: "299.87",
            net: "2399.33",
            structural: "164.80",
            employer_cost: "3647.00",
        },
    );
}

/// 4 500.00, two children, September 2026. Cross-check.
/// As be06 up to 12 431.78; − 1 656.00 = 10 775.78; ÷ 12 = 897.98. Net 2 969.86.
#[test]
fn be11_two_children_4500() {
    let mut c = gross("2026-09", "4500.00");
    c.children = Some(2);
    check(
        &compute(&c),
        &Expect {
            onss: "588.15",
            bonus_a: "0.00",
            bonus_b: "0.00",
            special: "44.01",
            tax: "897.98",
            fiscal_bonus: "0.00",
            withholding: "897.98",
            net: "2969.86",
            structural: "0.00",
            employer_cost: "5717.70",
        },
    );
}

/// 5 000.00, nine dependent children, November 2026 (beyond the table of eight).
/// - ONSS 653.50; taxable 4 346.50; × 12 = 52 158.00; − 6 070.00 = 46 088.00; scale 9 944.05
///   + 48.15 % × 16 588.00 (7 987.12) = 17 931.17; − 2 987.98 = 14 943.19.
/// - Children [FC annex 3]: 21 996.00 + 3 864.00 = 25 860.00 ≥ 14 943.19 → no tax.
/// - CSSS 39.61 + 1.10 % × 900.00 = 49.51. Net 5 000.00 − 653.50 − 49.51 = 4 296.99.
/// - Employer 1 250.00 + 80.00 + 23.00. Cost 6 353.00.
#[test]
fn be12_nine_children() {
    let mut c = gross("2026-11", "5000.00");
    c.children = Some(9);
    check(
        &compute(&c),
        &Expect {
            onss: "653.50",
            bonus_a: "0.00",
            bonus_b: "0.00",
            special: "49.51",
            tax: "0.00",
            fiscal_bonus: "0.00",
            withholding: "0.00",
            net: "4296.99",
            structural: "0.00",
            employer_cost: "6353.00",
        },
    );
}

// --- Manual workers and artists (108 %) ----------------------------------------------------

/// Artist, 2 500.00 for the whole month, September 2026.
/// - Base 108 % = 2 700.00 [ONSS]; ONSS 352.89.
/// - Work bonus, workers' column [WB], S = 2 500.00 at 100 %: A = 137.74 (≤ 2 937.93);
///   B = 185.75 − 0.2915 × 199.38 (58.1193) = 127.63.
/// - Taxable 2 500.00 − 352.89 + 265.37 = 2 412.48; × 12 = 28 949.76; − 6 070.00 = 22 879.76;
///   scale 4 469.93 + 42.80 % × 6 169.76 (2 640.66) = 7 110.59; − 2 987.98 = 4 122.61; ÷ 12
///   = 343.55; bonus 33.14 % × 137.74 (45.65) + 52.54 % × 127.63 (67.06) = 112.71 → 230.84.
/// - CSSS on 2 700.00: 10.33 + 1.10 % × 509.82 (5.61) = 15.94.
/// - Net 2 500.00 − 87.52 − 15.94 − 230.84 = 2 165.70.
/// - Employer on 2 700.00: 675.00 + 43.20 + 12.42 + holidays 6 % 162.00 + 10.27 % 277.29
///   = 1 169.91; [SR] S = 3 × 2 700.00 = 8 100.00, R = 0.14 × 3 587.74 + 0.16 × 1 638.14
///   = 502.2836 + 262.1024 = 764.39 → 254.80. Cost 3 415.11.
#[test]
fn be13_artist_monthly() {
    let mut c = gross("2026-09", "2500.00");
    c.status = Some(Status::Artist);
    check(
        &compute(&c),
        &Expect {
            onss: "352.89",
            bonus_a: "137.74",
            bonus_b: "127.63",
            special: "15.94",
            tax: "343.55",
            fiscal_bonus: "112.71",
            withholding: "230.84",
            net: "2165.70",
            structural: "254.80",
            employer_cost: "3415.11",
        },
    );
}

/// Manual worker at the RMMMG 2 233.61, September 2026.
/// - Base 2 412.30; ONSS 315.29; A 137.74, B 185.75 → 323.49 > 315.29: B cut to 177.55.
/// - Taxable 2 233.61 (as be01): 266.99 before the bonus; bonus 45.65 + 52.54 % × 177.55
///   (93.28) = 138.93 → 128.06.
/// - CSSS on 2 412.30: 10.33 + 1.10 % × 222.12 (2.44) = 12.77. Net 2 233.61 − 12.77 − 128.06
///   = 2 092.78.
/// - Employer on 2 412.30: 603.08 + 38.60 + 11.10 + 144.74 + 247.74 = 1 045.26; S = 7 236.90,
///   R = 0.14 × 4 450.84 + 0.16 × 2 501.24 = 623.1176 + 400.1984 = 1 023.32 → 341.11.
///   Cost 2 937.76.
#[test]
fn be14_worker_at_the_minimum_wage() {
    let mut c = gross("2026-09", "2233.61");
    c.status = Some(Status::Worker);
    check(
        &compute(&c),
        &Expect {
            onss: "315.29",
            bonus_a: "137.74",
            bonus_b: "177.55",
            special: "12.77",
            tax: "266.99",
            fiscal_bonus: "138.93",
            withholding: "128.06",
            net: "2092.78",
            structural: "341.11",
            employer_cost: "2937.76",
        },
    );
}

/// Manual worker, 2 600.00, April 2026 (work bonus of 1 April, γ 0.16 from Q2).
/// - Base 2 808.00; ONSS 367.01. [WB] A = 135.04 (≤ 2 880.32); B = 182.11 − 0.2915 × 344.50
///   (100.4218) = 81.69.
/// - Taxable 2 600.00 − 367.01 + 216.73 = 2 449.72; × 12 = 29 396.64; − 6 070.00 = 23 326.64;
///   scale 4 469.93 + 42.80 % × 6 616.64 (2 831.92) = 7 301.85; − 2 987.98 = 4 313.87; ÷ 12
///   = 359.49; bonus 44.75 + 42.92 = 87.67 → 271.82.
/// - CSSS on 2 808.00: 10.33 + 1.10 % × 617.82 (6.80) = 17.13. Net 2 600.00 − 150.28 − 17.13
///   − 271.82 = 2 160.77.
/// - Employer on 2 808.00: 702.00 + 44.93 + 12.92 + 168.48 + 288.38 = 1 216.71; S = 8 424.00,
///   R = 0.14 × 3 034.57 + 0.16 × 1 123.20 = 424.8398 + 179.712 = 604.55 → 201.52.
///   Cost 3 615.19.
#[test]
fn be15_worker_in_april() {
    let mut c = gross("2026-04", "2600.00");
    c.status = Some(Status::Worker);
    check(
        &compute(&c),
        &Expect {
            onss: "367.01",
            bonus_a: "135.04",
            bonus_b: "81.69",
            special: "17.13",
            tax: "359.49",
            fiscal_bonus: "87.67",
            withholding: "271.82",
            net: "2160.77",
            structural: "201.52",
            employer_cost: "3615.19",
        },
    );
}

// --- The dated parameters of 2026 ----------------------------------------------------------

/// 3 000.00, employee, February 2026 (work bonus of 1 January: A 123.00, 2 833.36 – 3 271.48,
/// 0.2807; structural Q1: γ 0.15, S0 11 458.57, S2 9 547.20).
/// - A = 123.00 − 0.2807 × 166.64 (46.7758) = 76.22. Taxable 2 684.12; × 12 = 32 209.44;
///   − 6 070.00 = 26 139.44; scale 4 469.93 + 42.80 % × 9 429.44 (4 035.80) = 8 505.73;
///   − 2 987.98 = 5 517.75; ÷ 12 = 459.81; bonus 33.14 % × 76.22 = 25.26 → 434.55.
/// - Net 3 000.00 − 315.88 − 19.24 − 434.55 = 2 230.33.
/// - [SR] R = 0.14 × 2 458.57 + 0.15 × 547.20 = 344.1998 + 82.08 = 426.28 → 142.09.
///   Cost 3 000.00 + 811.80 − 142.09 = 3 669.71.
#[test]
fn be16_january_work_bonus() {
    check(
        &compute(&gross("2026-02", "3000.00")),
        &Expect {
            onss: "392.10",
            bonus_a: "76.22",
            bonus_b: "0.00",
            special: "19.24",
            tax: "459.81",
            fiscal_bonus: "25.26",
            withholding: "434.55",
            net: "2230.33",
            structural: "142.09",
            employer_cost: "3669.71",
        },
    );
}

/// 3 000.00, employee, March 2026 (part A ceiling 3 336.98, coefficient 0.2442 from 1 March).
/// - A = 123.00 − 0.2442 × 166.64 (40.6935) = 82.31. Taxable 2 690.21; × 12 = 32 282.52;
///   − 6 070.00 = 26 212.52; scale 4 469.93 + 42.80 % × 9 502.52 (4 067.08) = 8 537.01;
///   − 2 987.98 = 5 549.03; ÷ 12 = 462.42; bonus 27.28 → 435.14.
/// - Net 3 000.00 − 309.79 − 19.24 − 435.14 = 2 235.83. Cost 3 669.71 (as be16).
#[test]
fn be17_march_work_bonus() {
    check(
        &compute(&gross("2026-03", "3000.00")),
        &Expect {
            onss: "392.10",
            bonus_a: "82.31",
            bonus_b: "0.00",
            special: "19.24",
            tax: "462.42",
            fiscal_bonus: "27.28",
            withholding: "435.14",
            net: "2235.83",
            structural: "142.09",
            employer_cost: "3669.71",
        },
    );
}

/// 4 000.00, employee, January 2026.
/// - ONSS 522.80; no bonus (above 3 271.48). Taxable 3 477.20; × 12 = 41 726.40; − 6 070.00
///   = 35 656.40; scale 9 944.05 + 48.15 % × 6 156.40 (2 964.31) = 12 908.36; − 2 987.98
///   = 9 920.38; ÷ 12 = 826.70.
/// - CSSS 27.35 + 3.38 % × 263.00 (8.89) = 36.24. Net 4 000.00 − 522.80 − 36.24 − 826.70
///   = 2 614.26. Employer 1 000.00 + 64.00 + 18.40; S = 12 000.00 > S0. Cost 5 082.40.
#[test]
fn be18_january_4000() {
    check(
        &compute(&gross("2026-01", "4000.00")),
        &Expect {
            onss: "522.80",
            bonus_a: "0.00",
            bonus_b: "0.00",
            special: "36.24",
            tax: "826.70",
            fiscal_bonus: "0.00",
            withholding: "826.70",
            net: "2614.26",
            structural: "0.00",
            employer_cost: "5082.40",
        },
    );
}

/// 3 200.00, employee, July 2026 (work bonus of 1 July: A 127.54, 2 937.93 – 3 336.98, 0.3196;
/// structural Q3: S0 11 687.74, S2 9 738.14).
/// - A = 127.54 − 0.3196 × 262.07 (83.7576) = 43.78. Taxable 2 825.54; × 12 = 33 906.48;
///   − 6 070.00 = 27 836.48; scale 4 469.93 + 42.80 % × 11 126.48 (4 762.13) = 9 232.06;
///   − 2 987.98 = 6 244.08; ÷ 12 = 520.34; bonus 33.14 % × 43.78 = 14.51 → 505.83.
/// - CSSS 10.33 + 1.10 % × 1 009.82 (11.11) = 21.44. Net 3 200.00 − 374.46 − 21.44 − 505.83
///   = 2 298.27.
/// - [SR] S = 9 600.00: R = 0.14 × 2 087.74 + 0.16 × 138.14 = 292.2836 + 22.1024 = 314.39
///   → 104.80. Cost 3 200.00 + 865.92 − 104.80 = 3 961.12.
#[test]
fn be19_july_work_bonus() {
    check(
        &compute(&gross("2026-07", "3200.00")),
        &Expect {
            onss: "418.24",
            bonus_a: "43.78",
            bonus_b: "0.00",
            special: "21.44",
            tax: "520.34",
            fiscal_bonus: "14.51",
            withholding: "505.83",
            net: "2298.27",
            structural: "104.80",
            employer_cost: "3961.12",
        },
    );
}

/// 3 350.00, employee, August then September 2026: the part A ceiling moves from 3 336.98 to
/// 3 403.62 on 1 September [WB].
/// - August: S above the ceiling, no bonus. Taxable 2 912.15; × 12 = 34 945.80; − 6 070.00
///   = 28 875.80; scale 4 469.93 + 42.80 % × 12 165.80 (5 206.96) = 9 676.89; − 2 987.98
///   = 6 688.91; ÷ 12 = 557.41. CSSS 10.33 + 1.10 % × 1 159.82 (12.76) = 23.09. Net 2 331.65.
/// - September: A = 127.54 − 0.2739 × 412.07 (112.8660) = 14.67; taxable 2 926.82; × 12
///   = 35 121.84; − 6 070.00 = 29 051.84; scale 4 469.93 + 42.80 % × 12 341.84 (5 282.31)
///   = 9 752.24; − 2 987.98 = 6 764.26; ÷ 12 = 563.69; bonus 4.86 → 558.83. Net 2 344.90.
/// - Both: S = 10 050.00, R = 0.14 × 1 637.74 = 229.28 → 76.43; cost 4 180.08.
#[test]
fn be20_part_a_ceiling_moves_on_1_september() {
    check(
        &compute(&gross("2026-08", "3350.00")),
        &Expect {
            onss: "437.85",
            bonus_a: "0.00",
            bonus_b: "0.00",
            special: "23.09",
            tax: "557.41",
            fiscal_bonus: "0.00",
            withholding: "557.41",
            net: "2331.65",
            structural: "76.43",
            employer_cost: "4180.08",
        },
    );
    check(
        &compute(&gross("2026-09", "3350.00")),
        &Expect {
            onss: "437.85",
            bonus_a: "14.67",
            bonus_b: "0.00",
            special: "23.09",
            tax: "563.69",
            fiscal_bonus: "4.86",
            withholding: "558.83",
            net: "2344.90",
            structural: "76.43",
            employer_cost: "4180.08",
        },
    );
}

// --- Headcount ---------------------------------------------------------------------------

/// 3 000.00, employee, September 2026, an employer of 5 workers: no 1.60 % unemployment
/// contribution (from 10 workers [ONSS]) and the small Company Closure Fund rate 0.32 % +
/// 0.09 % [FFE] = 12.30. Employer 750.00 + 12.30 = 762.30; cost 3 000.00 + 762.30 − 164.80
/// = 3 597.50. The employee side is be04's.
#[test]
fn be21_small_employer() {
    let mut c = gross("2026-09", "3000.00");
    c.headcount = Some(5);
    let p = compute(&c);
    check(
        &p,
        &Expect {
            onss: "392.10",
            bonus_a: "110.54",
            bonus_b: "0.00",
            special: "19.24",
            tax: "474.50",
            fiscal_bonus: "36.63",
            withholding: "437.87",
            net: "2261.33",
            structural: "164.80",
            employer_cost: "3597.50",
        },
    );
    assert!(p.line("be.unemployment_extra").is_none());
    assert_eq!(employer_amount(&p, "be.closure_fund"), eur("12.30"));
    // From 10 workers the 1.60 % line appears; from 20 the closure fund rate is 0.37 %.
    c.headcount = Some(10);
    let p = compute(&c);
    assert_eq!(employer_amount(&p, "be.unemployment_extra"), eur("48.00"));
    assert_eq!(employer_amount(&p, "be.closure_fund"), eur("12.30"));
    c.headcount = Some(20);
    assert_eq!(
        employer_amount(&compute(&c), "be.closure_fund"),
        eur("13.80")
    );
}

/// The structural-reduction example of the research notes: 2 233.61 in October (Q4) gives the
/// same R as in September (Q3 parameters all the second half-year): 1 184.14 a quarter,
/// 394.71 a month.
#[test]
fn be22_structural_reduction_in_the_fourth_quarter() {
    check(
        &compute(&gross("2026-10", "2233.61")),
        &Expect {
            onss: "291.93",
            bonus_a: "127.54",
            bonus_b: "164.39",
            special: "10.81",
            tax: "266.99",
            fiscal_bonus: "128.64",
            withholding: "138.35",
            net: "2084.45",
            structural: "394.71",
            employer_cost: "2443.31",
        },
    );
}

// --- Daily contracts and part time -------------------------------------------------------

fn daily(month: &str, status: Status, days: u32, g: &str) -> Case {
    let mut c = gross(month, g);
    c.status = Some(status);
    c.contract = Some(Contract::Daily);
    c.days = Some(days);
    c
}

/// Artist, one contract day paid 250.00, nothing else in the month, September 2026.
/// - Base 270.00; ONSS 35.29. Work bonus: 7.6 h, µ = 22.8 / 494; S = 250.00 × 494 / 22.8
///   = 5 416.67 above every ceiling → 0.
/// - Taxable 214.71; × 12 = 2 576.52; expenses 30 % = 772.96; net 1 803.56; scale 482.45
///   < 2 987.98 → no tax. CSSS: 270.00 below 1 945.38 → 0. Net 214.71.
/// - Employer on 270.00: 67.50 + 4.32 + 1.24 + 16.20 + 27.73 = 116.99; no structural
///   reduction (7.6 h < 27.5 % of a quarter). Cost 366.99.
#[test]
fn be23_artist_one_day_key_formula() {
    check(
        &compute(&daily("2026-09", Status::Artist, 1, "250.00")),
        &Expect {
            onss: "35.29",
            bonus_a: "0.00",
            bonus_b: "0.00",
            special: "0.00",
            tax: "0.00",
            fiscal_bonus: "0.00",
            withholding: "0.00",
            net: "214.71",
            structural: "0.00",
            employer_cost: "366.99",
        },
    );
}

/// The same day under Annex III point 80 [P80], chosen with tax_rate 11.11: 11.11 % × 214.71
/// = 23.85, no reduction, no fiscal bonus. Net 214.71 − 23.85 = 190.86.
#[test]
fn be24_artist_one_day_flat_rate() {
    let mut c = daily("2026-09", Status::Artist, 1, "250.00");
    c.tax_rate = Some(Rate::from_ppm(111_100));
    let p = compute(&c);
    check(
        &p,
        &Expect {
            onss: "35.29",
            bonus_a: "0.00",
            bonus_b: "0.00",
            special: "0.00",
            tax: "23.85",
            fiscal_bonus: "0.00",
            withholding: "23.85",
            net: "190.86",
            structural: "0.00",
            employer_cost: "366.99",
        },
    );
    let line = p.line("be.withholding_tax_flat").unwrap();
    assert_eq!(
        (line.base, line.employee_rate),
        (eur("214.71"), Some(Rate::from_ppm(111_100)))
    );
    assert!(p.line("be.withholding_tax").is_none());
}

/// Artist, four days paid 1 000.00 in June 2026, flat 11.11 % [P80].
/// - Base 1 080.00; ONSS 141.16; S = 1 000.00 × 494 / 91.2 = 5 416.67 → no bonus.
/// - Taxable 858.84; 11.11 % = 95.42. Net 858.84 − 95.42 = 763.42.
/// - Employer on 1 080.00: 270.00 + 17.28 + 4.97 + 64.80 + 110.92 = 467.97. Cost 1 467.97.
#[test]
fn be25_artist_four_days_flat_rate() {
    let mut c = daily("2026-06", Status::Artist, 4, "1000.00");
    c.tax_rate = Some(Rate::from_ppm(111_100));
    check(
        &compute(&c),
        &Expect {
            onss: "141.16",
            bonus_a: "0.00",
            bonus_b: "0.00",
            special: "0.00",
            tax: "95.42",
            fiscal_bonus: "0.00",
            withholding: "95.42",
            net: "763.42",
            structural: "0.00",
            employer_cost: "1467.97",
        },
    );
}

/// Employee, ten days of 7.6 h paid 1 050.00 (105.00 a day), September 2026.
/// - Floor: 2 233.61 × 3 × 76 / (13 × 38) = 1 030.90 [CCT43].
/// - ONSS 137.24. Work bonus on the full-time equivalent S = 1 050.00 × 494 / 228 = 2 275.00:
///   A 127.54, B 171.99; × 228 / 494: 58.86 and 79.38; 138.24 > 137.24 → B cut to 78.38.
/// - Taxable 1 050.00; × 12 = 12 600.00; expenses 3 780.00; net 8 820.00; scale 2 359.35
///   < 2 987.98 → no tax. CSSS 0. Net 1 050.00.
/// - Employer 262.50 + 16.80 + 4.83 = 284.13; 76 h < 135.85 h: no structural reduction.
///   Cost 1 334.13.
#[test]
fn be26_employee_ten_days() {
    check(
        &compute(&daily("2026-09", Status::Employee, 10, "1050.00")),
        &Expect {
            onss: "137.24",
            bonus_a: "58.86",
            bonus_b: "78.38",
            special: "0.00",
            tax: "0.00",
            fiscal_bonus: "0.00",
            withholding: "0.00",
            net: "1050.00",
            structural: "0.00",
            employer_cost: "1334.13",
        },
    );
}

/// Manual worker, twenty days (152 h) paid 2 200.00, December 2026.
/// - Base 2 376.00; ONSS 310.54. µ = 456 / 494; S = 2 200.00 × 494 / 456 = 2 383.33:
///   A 137.74 → × µ = 127.14; B = 185.75 − 0.2915 × 82.71 (24.1100) = 161.64 → × µ = 149.21.
/// - Taxable 2 200.00 − 310.54 + 276.35 = 2 165.81; × 12 = 25 989.72; − 6 070.00 = 19 919.72;
///   scale 4 469.93 + 42.80 % × 3 209.72 (1 373.76) = 5 843.69; − 2 987.98 = 2 855.71; ÷ 12
///   = 237.98; bonus 42.13 + 78.39 = 120.52 → 117.46.
/// - CSSS on 2 376.00: 10.33 + 1.10 % × 185.82 (2.04) = 12.37. Net 2 200.00 − 34.19 − 12.37
///   − 117.46 = 2 035.98.
/// - Employer on 2 376.00: 594.00 + 38.02 + 10.93 + 142.56 + 244.02 = 1 029.53. [SR] 152 h
///   ≥ 135.85 h (27.5 % of 13 × 38 h): S = 3 × 2 376.00 × 494 / 456 = 7 722.00, R = 0.14 ×
///   3 965.74 + 0.16 × 2 016.14 = 555.2036 + 322.5824 = 877.79; share R × µ / 3 = 270.09.
///   Cost 2 200.00 + 1 029.53 − 270.09 = 2 959.44.
#[test]
fn be27_worker_twenty_days() {
    check(
        &compute(&daily("2026-12", Status::Worker, 20, "2200.00")),
        &Expect {
            onss: "310.54",
            bonus_a: "127.14",
            bonus_b: "149.21",
            special: "12.37",
            tax: "237.98",
            fiscal_bonus: "120.52",
            withholding: "117.46",
            net: "2035.98",
            structural: "270.09",
            employer_cost: "2959.44",
        },
    );
}

/// Artist, twelve days paid 2 500.00 in September 2026, key formula.
/// - Base 2 700.00; ONSS 352.89; S = 2 500.00 × 494 / 273.6 = 4 513.89 → no bonus.
/// - Taxable 2 147.11; × 12 = 25 765.32; − 6 070.00 = 19 695.32; scale 4 469.93 + 42.80 %
///   × 2 985.32 (1 277.72) = 5 747.65; − 2 987.98 = 2 759.67; ÷ 12 = 229.97.
/// - CSSS on 2 700.00 = 15.94. Net 2 500.00 − 352.89 − 15.94 − 229.97 = 1 901.20.
/// - Employer 1 169.91 (as be13); 91.2 h < 135.85 h: no structural reduction. Cost 3 669.91.
#[test]
fn be28_artist_twelve_days() {
    check(
        &compute(&daily("2026-09", Status::Artist, 12, "2500.00")),
        &Expect {
            onss: "352.89",
            bonus_a: "0.00",
            bonus_b: "0.00",
            special: "15.94",
            tax: "229.97",
            fiscal_bonus: "0.00",
            withholding: "229.97",
            net: "1901.20",
            structural: "0.00",
            employer_cost: "3669.91",
        },
    );
}

/// Employee, half time (82.33 h of 164.67), 1 200.00 in May 2026.
/// - Floor 2 189.81 × 3 × 82.33 / 494 = 1 094.86. ONSS 156.84.
/// - µ = 246.99 / 494; S = 1 200.00 × 494 / 246.99 = 2 400.10 [WB, April amounts]: A 125.04;
///   B = 168.62 − 0.2699 × 144.60 (39.0275) = 129.59; × µ: 62.52 and 64.79.
/// - Taxable 1 170.47 → no tax. CSSS: 1 200.00 ≤ 1 945.38 → 0. Net 1 170.47.
/// - Employer 300.00 + 19.20 + 5.52 = 324.72. [SR, Q2] S = 3 × 1 200.00 × 494 / 246.99
///   = 7 200.29; R = 0.14 × 4 258.28 + 0.16 × 2 346.91 = 596.1592 + 375.5056 = 971.66;
///   µ = 0.49998 < 0.55 → β = 1.18; R × µ × 1.18 / 3 = 191.09. Cost 1 333.63.
#[test]
fn be29_half_time_employee() {
    let mut c = gross("2026-05", "1200.00");
    c.hours = Some(Hours(8233));
    check(
        &compute(&c),
        &Expect {
            onss: "156.84",
            bonus_a: "62.52",
            bonus_b: "64.79",
            special: "0.00",
            tax: "0.00",
            fiscal_bonus: "0.00",
            withholding: "0.00",
            net: "1170.47",
            structural: "191.09",
            employer_cost: "1333.63",
        },
    );
}

// --- Minimum wage floors -------------------------------------------------------------------

fn error(c: &Case) -> PayrollError {
    match Engine::embedded().compute(c) {
        Ok(p) => panic!("expected an error, got {:?}", p.totals),
        Err(e) => e,
    }
}

#[test]
fn a_day_below_the_minimum_daily_wage_is_refused_with_the_floor_and_its_source() {
    // 2 233.61 × 3 / 13 / 38 × 7.6 = 103.089… → 103.09 for one day from July 2026.
    let e = error(&daily("2026-09", Status::Artist, 1, "103.08"));
    assert_eq!(e.field(), "gross");
    let m = e.to_string();
    assert!(m.contains("103.09"), "{m}");
    assert!(m.contains("2233.61"), "{m}");
    assert!(m.contains("CNT collective agreement n° 43"), "{m}");
    assert!(m.contains("1 contract day(s) (7.60 h)"), "{m}");
    compute(&daily("2026-09", Status::Artist, 1, "103.09"));
    // Before July the floor follows the April RMMMG 2 189.81: 101.07 a day.
    assert!(
        error(&daily("2026-06", Status::Employee, 1, "101.06"))
            .to_string()
            .contains("101.07")
    );
    compute(&daily("2026-06", Status::Employee, 1, "101.07"));
    // Given hours: 3 days of 9 h = 27 h → 2 233.61 × 3 × 27 / 494 = 366.24.
    let mut c = daily("2026-09", Status::Worker, 3, "366.23");
    c.hours = Some(Hours(2700));
    assert!(error(&c).to_string().contains("366.24"));
    c.amount = Amount::Gross(eur("366.24"));
    compute(&c);
}

#[test]
fn a_monthly_salary_below_the_rmmmg_is_refused() {
    let e = error(&gross("2026-09", "2233.60"));
    assert_eq!(e.field(), "gross");
    assert!(e.to_string().contains("RMMMG"), "{e}");
    assert!(e.to_string().contains("2233.61"), "{e}");
    compute(&gross("2026-01", "2154.11"));
    assert!(
        error(&gross("2026-04", "2154.11"))
            .to_string()
            .contains("2189.81")
    );
    // Part time: the RMMMG pro rata of the hours, 2 233.61 × 3 × 82.33 / 494 = 1 116.76.
    let mut c = gross("2026-09", "1116.75");
    c.hours = Some(Hours(8233));
    let e = error(&c).to_string();
    assert!(
        e.contains("1116.76") && e.contains("82.33 h a month"),
        "{e}"
    );
    c.amount = Amount::Gross(eur("1116.76"));
    compute(&c);
}

// --- Refused inputs --------------------------------------------------------------------------

#[test]
fn french_only_inputs_are_refused_naming_their_field() {
    let base = gross("2026-09", "3000.00");
    let refused = |f: &dyn Fn(&mut Case), field: &str| {
        let mut c = base.clone();
        f(&mut c);
        let e = error(&c);
        assert_eq!(e.field(), field, "{e}");
        assert!(e.to_string().starts_with(&format!("{field}: ")), "{e}");
    };
    refused(&|c| c.status = Some(Status::Cadre), "status");
    refused(&|c| c.status = Some(Status::NonCadre), "status");
    refused(&|c| c.contract = Some(Contract::CddUsage), "contract");
    refused(&|c| c.alsace_moselle = true, "alsace_moselle");
    refused(&|c| c.short_contract = true, "short_contract");
    refused(
        &|c| c.accident_rate = Some(Rate::from_ppm(22_000)),
        "accident_rate",
    );
    refused(
        &|c| c.mobility_rate = Some(Rate::from_ppm(20_000)),
        "mobility_rate",
    );
    // Belgium has no personal withholding rate; 11.11 % only for artists.
    refused(&|c| c.tax_rate = Some(Rate::from_ppm(100_000)), "tax_rate");
    refused(&|c| c.tax_rate = Some(Rate::from_ppm(111_100)), "tax_rate");
    // Days belong to daily contracts; a daily contract needs them, within the month.
    refused(&|c| c.days = Some(3), "days");
    refused(&|c| c.contract = Some(Contract::Daily), "days");
    refused(
        &|c| {
            c.contract = Some(Contract::Daily);
            c.month = "2026-02".parse().unwrap();
            c.days = Some(29);
        },
        "days",
    );
    // Hours: not above a full-time month, not above 11 h a day.
    refused(&|c| c.hours = Some(Hours(16_468)), "hours");
    refused(
        &|c| {
            c.contract = Some(Contract::Daily);
            c.days = Some(2);
            c.hours = Some(Hours(2_201));
        },
        "hours",
    );
    // 164.67 h is a full-time month, not part time.
    let mut c = base.clone();
    c.hours = Some(Hours(16_467));
    assert_eq!(compute(&c).totals, compute(&base).totals);
}

// --- Inverse computations -----------------------------------------------------------------

#[test]
fn net_to_gross_lands_on_the_net_to_the_cent() {
    for (month, status, net) in [
        ("2026-09", Status::Employee, "2261.33"),
        ("2026-09", Status::Employee, "2084.45"),
        ("2026-04", Status::Worker, "2160.77"),
        ("2026-01", Status::Artist, "3000.00"),
        ("2026-12", Status::Employee, "5083.54"),
    ] {
        let mut c = case(month, Amount::Net(eur(net)));
        c.status = Some(status);
        let p = compute(&c);
        assert_eq!(p.totals.net_paid, eur(net), "{month} {status}");
        assert_eq!(p.note, None);
        check_sums(&p);
        // The smallest such gross: one cent less does not reach the net, or is not lawful.
        let mut below = c.clone();
        below.amount = Amount::Gross(p.totals.gross - Money::from_cents(1));
        if let Ok(q) = Engine::embedded().compute(&below) {
            assert_ne!(q.totals.net_paid, eur(net));
        }
    }
    // be04's net comes from 2 999.96 already (the work bonus and the tax move on the same cent).
    let p = compute(&case("2026-09", Amount::Net(eur("2261.33"))));
    assert_eq!(p.totals.gross, eur("2999.96"));
    // A daily contract: net wanted for 3 days.
    let mut c = daily("2026-10", Status::Artist, 3, "1.00");
    c.amount = Amount::Net(eur("600.00"));
    let p = compute(&c);
    assert_eq!(p.totals.net_paid, eur("600.00"));
    // Below what the minimum gross pays, the net cannot be reached.
    c.amount = Amount::Net(eur("100.00"));
    assert_eq!(error(&c).field(), "net");
}

#[test]
fn budget_to_gross_stays_within_the_budget_to_the_cent() {
    // be04: a budget of 3 647.00 pays a gross of 3 000.00 exactly.
    let p = compute(&case("2026-09", Amount::Budget(eur("3647.00"))));
    assert_eq!(p.totals.gross, eur("3000.00"));
    assert_eq!(p.totals.employer_cost, eur("3647.00"));
    // be27: the worker's twenty days.
    let mut c = daily("2026-12", Status::Worker, 20, "1.00");
    c.amount = Amount::Budget(eur("2959.44"));
    let p = compute(&c);
    assert_eq!(p.totals.gross, eur("2200.00"));
    assert_eq!(p.totals.employer_cost, eur("2959.44"));
    // A budget between two costs: the largest gross within it, and a note.
    let p = compute(&case("2026-09", Amount::Budget(eur("4000.00"))));
    assert!(p.totals.employer_cost <= eur("4000.00"));
    let mut next = case(
        "2026-09",
        Amount::Gross(p.totals.gross + Money::from_cents(1)),
    );
    next.status = Some(Status::Employee);
    assert!(compute(&next).totals.employer_cost > eur("4000.00"));
    // Below the cost of the minimum wage: refused.
    assert_eq!(
        error(&case("2026-09", Amount::Budget(eur("2000.00")))).field(),
        "budget"
    );
}

/// Net paid and employer cost rise with the gross (net may wobble by a few cents where the
/// work bonus, the tax and its fiscal bonus round on the same cent), so the inverse searches
/// are sound.
#[test]
fn net_and_cost_rise_with_the_gross() {
    let configs: [(&str, Status, Option<u32>); 4] = [
        ("2026-09", Status::Employee, None),
        ("2026-04", Status::Worker, None),
        ("2026-01", Status::Artist, None),
        ("2026-10", Status::Employee, Some(18)),
    ];
    for (month, status, days) in configs {
        let mut previous: Option<(Money, Money)> = None;
        let mut g = Money::from_euros(1000);
        while g <= Money::from_euros(7000) {
            let mut c = gross(month, "1.00");
            c.amount = Amount::Gross(g);
            c.status = Some(status);
            if let Some(d) = days {
                c.contract = Some(Contract::Daily);
                c.days = Some(d);
            }
            if let Ok(p) = Engine::embedded().compute(&c) {
                let now = (p.totals.net_paid, p.totals.employer_cost);
                if let Some((net, cost)) = previous {
                    assert!(
                        now.0 >= net - Money::from_cents(3),
                        "{month} {status} {g}: net {} after {net}",
                        now.0
                    );
                    assert!(
                        now.1 > cost,
                        "{month} {status} {g}: cost {} after {cost}",
                        now.1
                    );
                }
                previous = Some(now);
            }
            g += Money::from_cents(1_003);
        }
    }
}
