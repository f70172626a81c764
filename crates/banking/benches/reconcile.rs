//! Reconciliation of 100 000 statement lines against 100 000 open invoices:
//! `cargo bench -p ensemble-banking --bench reconcile`. Figures are recorded in BENCHMARKS.md.
//!
//! The data (see `support/synthetic.rs`): 90 % of the lines carry the right structured
//! communication or RF reference, 5 % a reference with one typo or none (amount and the
//! client's name as the bank writes it), 5 % are noise. Before timing, the bench prints the
//! matched share and the precision of one run.

use std::hint::black_box;
use std::sync::LazyLock;

use divan::Bencher;
use ensemble_banking::reconcile::{MatcherConfig, reconcile};

#[path = "support/synthetic.rs"]
mod synthetic;

static DATA: LazyLock<synthetic::Data> = LazyLock::new(|| synthetic::generate(100_000, 2026));

fn main() {
    let data = &*DATA;
    let result = reconcile(&data.invoices, &data.lines, &MatcherConfig::default());
    let q = synthetic::Quality::of(data, &result);
    let kinds = [
        "right reference",
        "reference with a typo",
        "no reference",
        "noise",
    ];
    println!(
        "{} lines, {} invoices: {} matched automatically ({:.2} % of the {} payments), precision {:.3} % ({} correct), {} noise lines matched",
        q.lines,
        data.invoices.len(),
        q.matched,
        100.0 * q.matched_share(),
        q.payments,
        100.0 * q.precision(),
        q.correct,
        q.noise_matched
    );
    for (k, (total, matched)) in q.by_kind.iter().enumerate() {
        println!("  {:<22} {matched:>6} / {total:<6} matched", kinds[k]);
    }
    divan::main();
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn reconcile_100k_lines_100k_invoices(bencher: Bencher) {
    let data = &*DATA;
    bencher.bench(|| {
        reconcile(
            black_box(&data.invoices),
            black_box(&data.lines),
            &MatcherConfig::default(),
        )
    });
}
