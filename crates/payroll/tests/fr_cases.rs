//! French cases worked by hand from the rule packs, for what OpenFisca does not compute
//! (withholding tax, CDD d'usage) and for the errors a user can make.

use ensemble_domain::{Country, Money, Rate};
use ensemble_payroll::{
    Amount, Case, CaseInput, Contract, Engine, Hours, PayrollError, Payslip, Status,
};

fn eur(s: &str) -> Money {
    s.parse().expect("amount")
}

fn case(month: &str, gross: &str) -> Case {
    let mut c = Case::new(
        Country::Fr,
        month.parse().expect("month"),
        Amount::Gross(eur(gross)),
    );
    c.headcount = Some(5000);
    c
}

fn run(c: &Case) -> Payslip {
    Engine::embedded().compute(c).expect("computes")
}

fn err(c: &Case) -> PayrollError {
    Engine::embedded().compute(c).expect_err("refused")
}

fn employer(slip: &Payslip, code: &str) -> Money {
    slip.line(code).map_or(Money::ZERO, |l| l.employer_amount)
}

/// 2 500 € non-cadre, January 2026, 5 000 employees: net taxable 2 050.22 € (OpenFisca's
/// 2 050.23 rounds CSG déductible 167.025 down; a payslip rounds it half up to 167.03).
#[test]
fn neutral_rate_grid_until_april_2026() {
    let slip = run(&case("2026-01", "2500"));
    assert_eq!(slip.totals.net_taxable, eur("2050.22"));
    // 2025 grid (BOI-BAREME-000037-20250410), 2 042 ≤ 2 050.22 < 2 151: 3.5 %.
    let tax = slip.line("fr.withholding_tax").expect("tax line");
    assert_eq!(
        tax.employee_rate,
        Some(Rate::parse_percent("3.5").expect("rate"))
    );
    assert_eq!(slip.totals.withholding_tax, eur("71.76")); // 2 050.22 × 3.5 % = 71.7577
    assert_eq!(slip.totals.net_paid, eur("1907.23"));
}

#[test]
fn neutral_rate_grid_from_may_2026() {
    let slip = run(&case("2026-05", "2500"));
    // 2026 grid (BOI-BAREME-000037-20260407), 1 928 ≤ 2 050.22 < 2 060: 2.9 %.
    assert_eq!(slip.totals.withholding_tax, eur("59.46")); // 2 050.22 × 2.9 % = 59.456
}

#[test]
fn personal_rate_replaces_the_grid() {
    let mut c = case("2026-01", "2500");
    c.tax_rate = Some(Rate::parse_percent("7.5").expect("rate"));
    assert_eq!(run(&c).totals.withholding_tax, eur("153.77")); // 153.7665
}

#[test]
fn short_contract_allowance_lowers_the_base() {
    let mut c = case("2026-03", "2500");
    c.contract = Some(Contract::CddUsage);
    c.short_contract = true;
    let slip = run(&c);
    let tax = slip.line("fr.withholding_tax").expect("tax line");
    // 2 050.22 − 748 = 1 302.22, below the first threshold of 1 620: 0 %.
    assert_eq!(tax.base, eur("1302.22"));
    assert_eq!(slip.totals.withholding_tax, Money::ZERO);
    // From June 2026 the allowance is 766 €.
    let mut june = c.clone();
    june.month = "2026-06".parse().expect("month");
    june.amount = Amount::Gross(eur("2600"));
    let slip = run(&june);
    let tax = slip.line("fr.withholding_tax").expect("tax line");
    assert_eq!(tax.base, slip.totals.net_taxable - eur("766"));
}

#[test]
fn cdd_pays_the_indemnity_and_the_training_contribution() {
    let mut c = case("2026-01", "2500");
    c.contract = Some(Contract::Cdd);
    let slip = run(&c);
    assert_eq!(
        slip.line("fr.end_of_contract").map(|l| l.employee_amount),
        Some(eur("250"))
    );
    assert_eq!(slip.totals.gross, eur("2750"));
    assert_eq!(employer(&slip, "fr.fixed_term_training"), eur("27.50"));
}

#[test]
fn cdd_d_usage_has_no_indemnity_but_the_training_contribution() {
    let mut c = case("2026-01", "2500");
    c.contract = Some(Contract::CddUsage);
    let slip = run(&c);
    assert!(slip.line("fr.end_of_contract").is_none());
    assert_eq!(slip.totals.gross, eur("2500"));
    assert_eq!(employer(&slip, "fr.fixed_term_training"), eur("25"));
    // Apart from the 1 %, the same as a CDI.
    let cdi = run(&case("2026-01", "2500"));
    assert_eq!(slip.totals.net_paid, cdi.totals.net_paid);
    assert_eq!(
        slip.totals.employer_contributions,
        cdi.totals.employer_contributions + eur("25")
    );
}

/// 2025: reduced health (7 %) up to 2.25 SMIC and family (3.45 %) up to 3.3 SMIC, the SMIC of
/// 1 January 2025 (11.88 € × 151.67 h = 1 801.84 €): ceilings 4 054.14 € and 5 946.07 €.
#[test]
fn reduced_rates_in_2025() {
    let low = run(&case("2025-03", "2500"));
    assert_eq!(employer(&low, "fr.health"), eur("175"));
    assert_eq!(employer(&low, "fr.family"), eur("86.25"));
    let middle = run(&case("2025-03", "4100"));
    assert_eq!(employer(&middle, "fr.health"), eur("533"));
    assert_eq!(employer(&middle, "fr.family"), eur("141.45"));
    let high = run(&case("2025-03", "6000"));
    assert_eq!(employer(&high, "fr.family"), eur("315"));
    // Not in 2026: the RGDU took them over.
    let y2026 = run(&case("2026-03", "2500"));
    assert_eq!(employer(&y2026, "fr.health"), eur("325"));
}

/// RGDU in 2026 on the SMIC of 1 January (12.02 €) all year, although the SMIC rose to
/// 12.31 € in June (décret 2026-509): a gross of 1 867.02 € (the June SMIC) gets
/// C = 0.02 + round(0.3821 × (½ × (3 × 1 823.07 / 1 867.02 − 1))^1.75, 4) = 0.3788.
#[test]
fn rgdu_uses_the_january_smic_all_year() {
    let slip = run(&case("2026-06", "1867.02"));
    let line = slip.line("fr.general_reduction").expect("reduction");
    assert_eq!(line.employer_rate, Some(Rate::from_ppm(-378_800)));
    assert_eq!(line.employer_amount, -eur("707.23")); // 1 867.02 × 0.3788 = 707.227
    // Nothing from 3 SMIC.
    let above = run(&case("2026-06", "5470"));
    assert!(above.line("fr.general_reduction").is_none());
}

#[test]
fn part_time_prorates_the_ceiling_and_the_smic() {
    let mut c = case("2026-01", "1500");
    c.hours = Some(Hours(10_400)); // 104 h
    let slip = run(&c);
    // PSS 4 005 × 104 / 151.67 = 2 746.2254; the gross stays below it.
    let capped = slip.line("fr.old_age_capped").expect("line");
    assert_eq!(capped.base, eur("1500"));
    let mut high = c.clone();
    high.amount = Amount::Gross(eur("3000"));
    let slip = run(&high);
    assert_eq!(
        slip.line("fr.old_age_capped").expect("line").base,
        eur("2746.23")
    );
    // Below the SMIC for 104 h (12.02 × 104 = 1 250.08): refused.
    let mut low = c.clone();
    low.amount = Amount::Gross(eur("1250.07"));
    assert_eq!(err(&low).field(), "gross");
}

#[test]
fn bad_input_is_refused_with_the_field_named() {
    let mut negative = case("2026-01", "1");
    negative.amount = Amount::Gross(Money::from_cents(-100));
    assert_eq!(
        err(&negative).to_string(),
        "gross: -1.00 must be more than 0"
    );

    let absurd = case("2026-01", "2000000");
    assert_eq!(
        err(&absurd).to_string(),
        "gross: 2000000.00 is not a plausible monthly amount (at most 1000000.00)"
    );

    let below = case("2026-01", "1500");
    assert_eq!(
        err(&below).to_string(),
        "gross: 1500.00 is below the SMIC for 151.67 h (1823.03); a French salary cannot be lower"
    );

    let no_pack = case("2027-01", "2500");
    assert_eq!(
        err(&no_pack).to_string(),
        "month: no fr rule pack covers 2027-01 (the fr packs cover 2025-01 to 2026-12)"
    );

    let mut too_long = case("2026-01", "2500");
    too_long.hours = Some(Hours(25_000));
    assert_eq!(
        err(&too_long).to_string(),
        "hours: 250.00 h a month exceeds the legal maximum of 48.00 h a week (208.00 h a month, Code du travail L3121-20)"
    );

    let mut overtime = case("2026-01", "2500");
    overtime.hours = Some(Hours(16_000));
    assert_eq!(err(&overtime).field(), "hours");

    let mut belgian_status = case("2026-01", "2500");
    belgian_status.status = Some(Status::Artist);
    assert_eq!(err(&belgian_status).field(), "status");

    let mut days = case("2026-01", "2500");
    days.days = Some(3);
    assert_eq!(err(&days).field(), "days");

    let mut daily = case("2026-01", "2500");
    daily.contract = Some(Contract::Daily);
    assert_eq!(err(&daily).field(), "contract");
}

#[test]
fn json_input_is_parsed_field_by_field() {
    let parse = |json: &str| {
        serde_json::from_str::<CaseInput>(json)
            .map_err(|e| e.to_string())
            .and_then(|i| i.into_case().map_err(|e| e.to_string()))
    };
    assert!(parse(r#"{"country":"fr","month":"2026-01","gross":2500}"#).is_ok());
    assert_eq!(
        parse(r#"{"country":"xx","month":"2026-01","gross":2500}"#).unwrap_err(),
        "country: unknown country \"xx\": Ensemble knows fr (France) and be (Belgium)"
    );
    assert_eq!(
        parse(r#"{"country":"fr","month":"2026-01","gross":2500,"net":2000}"#).unwrap_err(),
        "gross: give exactly one of gross, net or budget"
    );
    assert!(parse(r#"{"country":"fr","month":"2026-01","gross":"12.345"}"#).is_err());
    assert!(
        parse(r#"{"country":"fr","month":"2026-01","gross":2500,"colour":"red"}"#)
            .unwrap_err()
            .contains("unknown field `colour`")
    );
}

#[test]
fn net_and_budget_find_the_gross() {
    let mut c = case("2026-01", "1");
    c.amount = Amount::Net(eur("1978.99"));
    let slip = run(&c);
    assert_eq!(slip.totals.net_before_tax, eur("1978.99"));
    // The smallest gross with that net: 2 499.99 € gives it as well as 2 500 €.
    assert_eq!(slip.totals.gross, eur("2499.99"));
    assert!(slip.note.is_none());

    c.amount = Amount::Budget(eur("3151.65"));
    let slip = run(&c);
    assert_eq!(slip.totals.employer_cost, eur("3151.65"));
    assert_eq!(slip.totals.gross, eur("2500"));

    // A budget too small for a SMIC salary.
    c.amount = Amount::Budget(eur("1000"));
    assert_eq!(err(&c).field(), "budget");
}
