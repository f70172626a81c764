//! French payslips against OpenFisca-France 176.1.8 (golden fixtures from
//! `tests/golden/generate_fr.py`): every line within 0.01 €, every total within 0.10 €, except
//! where the fixture documents that OpenFisca lags the law (its `divergences`, whose law amounts
//! the fixture then carries).

use ensemble_domain::{Country, Money};
use ensemble_payroll::{Amount, Case, Contract, Engine, Hours, LineKind, Payslip, Status};
use serde_json::Value;

const FIXTURE: &str = include_str!("golden/fr_openfisca.json");

/// OpenFisca's amounts in cents (float32 rounded to 4 decimals, times 100).
fn cents(v: &Value) -> f64 {
    v.as_f64().expect("a number") * 100.0
}

fn case_of(input: &Value) -> Case {
    let s = |k: &str| input[k].as_str().expect(k);
    let mut case = Case::new(
        Country::Fr,
        s("month").parse().expect("month"),
        Amount::Gross(s("gross").parse().expect("gross")),
    );
    case.status = Some(s("status").parse::<Status>().expect("status"));
    case.contract = Some(s("contract").parse::<Contract>().expect("contract"));
    case.hours = input["hours"]
        .as_str()
        .map(|h| Hours(h.parse::<Money>().expect("hours").cents()));
    case.headcount = Some(input["headcount"].as_u64().expect("headcount") as u32);
    case.alsace_moselle = input["alsace_moselle"].as_bool().expect("alsace_moselle");
    case
}

fn amounts(slip: &Payslip, code: &str) -> (i64, i64) {
    slip.lines
        .iter()
        .filter(|l| l.code == code)
        .fold((0, 0), |(e, r), l| {
            (e + l.employee_amount.cents(), r + l.employer_amount.cents())
        })
}

#[test]
fn french_payslips_match_openfisca() {
    let fixture: Value = serde_json::from_str(FIXTURE).expect("fixture is JSON");
    let cases = fixture["cases"].as_array().expect("cases");
    assert!(cases.len() >= 200, "at least 200 golden cases");
    let engine = Engine::embedded();
    let mut failures = Vec::new();
    let mut compared_lines = 0;
    let mut worst_line = 0.0f64;
    let mut worst_total = 0.0f64;
    let mut divergences = 0;
    for c in cases {
        let id = c["id"].as_str().expect("id");
        let slip = engine
            .compute(&case_of(&c["input"]))
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        divergences += c["divergences"].as_array().map_or(0, Vec::len);
        let expected = c["lines"].as_object().expect("lines");
        for (code, sides) in expected {
            let (employee, employer) = amounts(&slip, code);
            for (side, mine) in [("employee", employee), ("employer", employer)] {
                let theirs = cents(&sides[side]);
                let gap = (mine as f64 - theirs).abs();
                worst_line = worst_line.max(gap);
                compared_lines += 1;
                if gap > 1.0 + 1e-6 {
                    failures.push(format!(
                        "{id} {code} {side}: ensemble {} openfisca {:.4}",
                        Money::from_cents(mine),
                        theirs / 100.0
                    ));
                }
            }
        }
        // Every line Ensemble writes is one OpenFisca knows, except the base salary and the
        // withholding tax, which OpenFisca does not compute.
        for l in &slip.lines {
            let known = expected.contains_key(l.code)
                || l.code == "fr.base_salary"
                || l.kind == LineKind::Tax;
            if !known && (l.employee_amount != Money::ZERO || l.employer_amount != Money::ZERO) {
                failures.push(format!("{id} {}: a line OpenFisca does not have", l.code));
            }
        }
        let t = &slip.totals;
        let totals = &c["totals"];
        for (name, mine) in [
            ("gross", t.gross),
            ("employee_contributions", t.employee_contributions),
            ("net_before_tax", t.net_before_tax),
            ("net_taxable", t.net_taxable),
            ("employer_contributions", t.employer_contributions),
            ("employer_reliefs", t.employer_reliefs),
            ("employer_cost", t.employer_cost),
        ] {
            let theirs = cents(&totals[name]);
            let gap = (mine.cents() as f64 - theirs).abs();
            worst_total = worst_total.max(gap);
            if gap > 10.0 + 1e-6 {
                failures.push(format!(
                    "{id} total {name}: ensemble {mine} openfisca {:.4}",
                    theirs / 100.0
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches over {} cases:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert!(divergences > 0, "the fixture documents the AGS divergence");
    eprintln!(
        "{} cases, {compared_lines} line amounts: worst line gap {:.4} €, worst total gap {:.4} €, {divergences} documented divergences",
        cases.len(),
        worst_line / 100.0,
        worst_total / 100.0
    );
}
