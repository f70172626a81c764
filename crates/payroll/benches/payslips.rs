//! Payslips per second on one core: `cargo bench -p ensemble-payroll --bench payslips`.
//! Figures are recorded in BENCHMARKS.md.

use std::hint::black_box;

use divan::Bencher;
use divan::counter::ItemsCount;
use ensemble_domain::{Country, Money, Month};
use ensemble_payroll::{Amount, Case, Contract, Engine, Hours, Status, Totals};

fn main() {
    divan::main();
}

/// 1 024 French cases spread like the golden fixtures: every month of 2025 and 2026, cadre and
/// non-cadre, CDI, CDD and CDD d'usage, full and part time, four headcounts, gross from the
/// SMIC to 5 PSS.
fn french_cases() -> Vec<Case> {
    let mut cases = Vec::with_capacity(1024);
    for i in 0..1024i64 {
        let month = Month::new(2025, 1)
            .and_then(|m| m.plus((i % 24) as i32))
            .expect("month");
        let full = 188_000 + (i * 7919 % 1000) * 18_000;
        let part_time = i % 5 == 0;
        let mut c = Case::new(
            Country::Fr,
            month,
            Amount::Gross(Money::from_cents(if part_time {
                full * 2 / 3
            } else {
                full
            })),
        );
        c.status = Some(if i % 2 == 0 {
            Status::NonCadre
        } else {
            Status::Cadre
        });
        c.contract = Some([Contract::Cdi, Contract::Cdd, Contract::CddUsage][(i % 3) as usize]);
        c.hours = part_time.then_some(Hours(10_112));
        c.headcount = Some([5, 20, 300, 5000][(i % 4) as usize]);
        cases.push(c);
    }
    cases
}

/// The same cases asking for the net or the budget their gross gives.
fn inverted(cases: &[Case], target: fn(&Totals) -> Amount) -> Vec<Case> {
    let engine = Engine::embedded();
    cases
        .iter()
        .map(|c| {
            let slip = engine.compute(c).expect("case computes");
            Case {
                amount: target(&slip.totals),
                ..c.clone()
            }
        })
        .collect()
}

#[divan::bench]
fn fr_gross_to_payslip(bencher: Bencher) {
    let engine = Engine::embedded();
    let cases = french_cases();
    bencher.counter(ItemsCount::new(cases.len())).bench(|| {
        for c in &cases {
            let _ = black_box(engine.compute(black_box(c)));
        }
    });
}

#[divan::bench]
fn fr_net_to_gross(bencher: Bencher) {
    let engine = Engine::embedded();
    let cases = inverted(&french_cases(), |t| Amount::Net(t.net_before_tax));
    bencher.counter(ItemsCount::new(cases.len())).bench(|| {
        for c in &cases {
            let _ = black_box(engine.compute(black_box(c)));
        }
    });
}

#[divan::bench]
fn fr_budget_to_gross(bencher: Bencher) {
    let engine = Engine::embedded();
    let cases = inverted(&french_cases(), |t| Amount::Budget(t.employer_cost));
    bencher.counter(ItemsCount::new(cases.len())).bench(|| {
        for c in &cases {
            let _ = black_box(engine.compute(black_box(c)));
        }
    });
}

#[divan::bench]
fn fr_payslip_to_json(bencher: Bencher) {
    let engine = Engine::embedded();
    let slips: Vec<_> = french_cases()
        .iter()
        .map(|c| engine.compute(c).expect("case computes"))
        .collect();
    let mut buf = Vec::with_capacity(8 << 20);
    bencher
        .counter(ItemsCount::new(slips.len()))
        .bench_local(|| {
            buf.clear();
            for slip in &slips {
                ensemble_payroll::PayslipJson {
                    id: None,
                    slip,
                    lang: ensemble_domain::Lang::En,
                }
                .write(&mut buf);
                buf.push(b'\n');
            }
            black_box(buf.len())
        });
}

/// 1 024 Belgian cases: every month of 2026, employees, workers and artists, monthly contracts
/// from 2 300 € to 9 000 € and daily contracts of 1 to 5 days.
fn belgian_cases() -> Vec<Case> {
    (0..1024i64)
        .map(|i| {
            let month = Month::new(2026, 1)
                .and_then(|m| m.plus((i % 12) as i32))
                .expect("month");
            let daily = i % 4 == 1;
            let days = 1 + (i % 5) as u32;
            let gross = if daily {
                Money::from_cents(i64::from(days) * (14_000 + (i % 300) * 100))
            } else {
                Money::from_cents(230_000 + (i * 7919 % 1000) * 670)
            };
            let mut c = Case::new(Country::Be, month, Amount::Gross(gross));
            c.status = Some([Status::Employee, Status::Worker, Status::Artist][(i % 3) as usize]);
            c.contract = Some(if daily {
                Contract::Daily
            } else {
                Contract::Cdi
            });
            c.days = daily.then_some(days);
            c.children = Some((i % 3) as u32);
            c
        })
        .collect()
}

#[divan::bench]
fn be_gross_to_payslip(bencher: Bencher) {
    let engine = Engine::embedded();
    let cases = belgian_cases();
    bencher.counter(ItemsCount::new(cases.len())).bench(|| {
        for c in &cases {
            let _ = black_box(engine.compute(black_box(c)));
        }
    });
}
