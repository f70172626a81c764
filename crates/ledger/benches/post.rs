//! Transfers posted per second in memory: `cargo bench -p ensemble-ledger --bench post`.
//! Figures are recorded in BENCHMARKS.md (the store-backed figures come with the store).
//!
//! Each iteration posts a realistic mix into a ledger that already holds 10 000 batches:
//! every posting opens or finds its accounts, validates each transfer against staged
//! balances and limits, and appends one SHA-256-chained journal entry.

use std::hint::black_box;

use divan::Bencher;
use divan::counter::ItemsCount;
use ensemble_domain::{ActivityId, ClientId, Country, EntityId, MemberId, Money};
use ensemble_ledger::rules::*;
use ensemble_ledger::{EventId, Ledger, Posting};
use jiff::civil::Date;
use uuid::Uuid;

fn main() {
    divan::main();
}

const ACTIVITIES: u128 = 1_000;
const BATCHES: usize = 1_024;

fn books() -> EntityBooks {
    EntityBooks::new(EntityId::from_uuid(Uuid::from_u128(1)), Country::Fr)
}

fn activity(i: u128) -> Party<ActivityId> {
    Party::new(
        ActivityId::from_uuid(Uuid::from_u128(0xA000_0000 + i % ACTIVITIES)),
        "Activity",
    )
}

fn event(prefix: &str, i: usize) -> Event {
    Event::new(
        EventId::new(format!("{prefix}-{i:08}")).expect("id"),
        Date::constant(2026, 3, 2),
        format!("INV-FR-2026-{i:06}"),
        "Benchmark event",
    )
}

fn euros_of(i: usize) -> i64 {
    500 + (i as i64 * 7919) % 5_000
}

/// An invoice with its fee and fund contribution (5 transfers), or a salary with an advance
/// (8 transfers), or a payment (3 transfers).
fn posting(prefix: &str, i: usize) -> Posting {
    let b = books();
    let a = activity(i as u128);
    let ev = event(prefix, i);
    let euros = euros_of(i);
    match i % 3 {
        0 => invoice_issued(
            &b,
            &InvoiceIssued {
                event: ev.clone(),
                activity: a.clone(),
                client: Party::new(
                    ClientId::from_uuid(Uuid::from_u128(i as u128 % 500)),
                    "Client",
                ),
                excl_vat: Money::from_euros(euros),
                vat: Money::from_euros(euros / 5),
            },
        )
        .expect("invoice")
        .then(
            fee(
                &b,
                &FeeCharged {
                    event: ev.clone(),
                    activity: a,
                    amount: Money::from_euros(euros / 20),
                },
            )
            .expect("fee"),
        )
        .then(
            guarantee_contribution(
                &b,
                &GuaranteeContribution {
                    event: ev,
                    amount: Money::from_euros(euros / 100),
                },
            )
            .expect("contribution"),
        ),
        1 => {
            let gross = Money::from_euros(euros);
            let pct = |p: i64| Money::from_cents(gross.cents() * p / 100);
            let (ss, other, tax, er) = (pct(15), pct(7), pct(4), pct(42));
            guarantee_advance(
                &b,
                &GuaranteeAdvance {
                    event: ev.clone(),
                    activity: a.clone(),
                    amount: gross + er,
                },
            )
            .expect("advance")
            .then(
                salary(
                    &b,
                    &SalaryPosted {
                        event: ev,
                        member: Party::new(
                            MemberId::from_uuid(Uuid::from_u128(i as u128 % 2_000)),
                            "Member",
                        ),
                        activity: a,
                        gross,
                        employee_social_security: ss,
                        employee_other_bodies: other,
                        withholding_tax: tax,
                        net_payable: gross - ss - other - tax,
                        employer_social_security: er,
                        employer_other_bodies: Money::ZERO,
                        employer_cost: gross + er,
                    },
                )
                .expect("salary"),
            )
        }
        _ => {
            // The client pays the invoice posted two batches earlier, in full.
            let j = i - 2;
            let euros = euros_of(j);
            let excl = Money::from_euros(euros);
            payment_received(
                &b,
                &PaymentReceived {
                    event: ev,
                    activity: activity(j as u128),
                    client: Party::new(
                        ClientId::from_uuid(Uuid::from_u128(j as u128 % 500)),
                        "Client",
                    ),
                    invoice: InvoiceFigures {
                        total: excl + Money::from_euros(euros / 5),
                        vat: Money::from_euros(euros / 5),
                        budget_share: excl - Money::from_euros(euros / 20),
                    },
                    paid_before: Money::ZERO,
                    amount: excl + Money::from_euros(euros / 5),
                },
            )
            .expect("payment")
        }
    }
}

fn warm_ledger() -> Ledger {
    let mut l = Ledger::new();
    for i in 0..10_000 {
        l.apply(&posting("warm", i)).expect("warm-up");
    }
    l
}

#[divan::bench(sample_count = 20)]
fn mixed_batches(bencher: Bencher) {
    let postings: Vec<Posting> = (0..BATCHES).map(|i| posting("bench", i)).collect();
    let transfers: usize = postings.iter().map(|p| p.transfers.len()).sum();
    let warm = warm_ledger();
    bencher
        .counter(ItemsCount::new(transfers))
        .with_inputs(|| warm.clone())
        .bench_local_values(|mut ledger| {
            for p in &postings {
                black_box(ledger.apply(p).expect("post"));
            }
            ledger
        });
}

#[divan::bench(sample_count = 20)]
fn replays(bencher: Bencher) {
    let postings: Vec<Posting> = (0..BATCHES).map(|i| posting("warm", i)).collect();
    let transfers: usize = postings.iter().map(|p| p.transfers.len()).sum();
    let mut ledger = warm_ledger();
    bencher.counter(ItemsCount::new(transfers)).bench_local(|| {
        for p in &postings {
            black_box(ledger.apply(p).expect("replay"));
        }
    });
}

#[divan::bench(sample_count = 20)]
fn single_transfer_batches(bencher: Bencher) {
    // One advance per batch: the smallest batch, so the per-batch cost (journal entry, hash)
    // dominates.
    let b = books();
    let postings: Vec<Posting> = (0..BATCHES)
        .map(|i| {
            guarantee_advance(
                &b,
                &GuaranteeAdvance {
                    event: event("single", i),
                    activity: activity(i as u128),
                    amount: Money::from_euros(100),
                },
            )
            .expect("advance")
        })
        .collect();
    let warm = warm_ledger();
    bencher
        .counter(ItemsCount::new(BATCHES))
        .with_inputs(|| warm.clone())
        .bench_local_values(|mut ledger| {
            for p in &postings {
                black_box(ledger.apply(p).expect("post"));
            }
            ledger
        });
}

#[divan::bench(sample_count = 20)]
fn check_and_verify(bencher: Bencher) {
    let ledger = warm_ledger();
    let transfers = ledger.transfer_count();
    bencher.counter(ItemsCount::new(transfers)).bench_local(|| {
        assert!(black_box(ledger.check()).is_ok());
        black_box(ledger.verify().expect("chain"));
    });
}
