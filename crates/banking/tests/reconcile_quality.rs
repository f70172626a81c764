//! The matcher on generated data with realistic references and mistakes (the benchmark's
//! data, smaller): at least 99 % of the payments matched automatically, and matches right.

#![allow(clippy::unwrap_used)] // test data and test setup

#[path = "../benches/support/synthetic.rs"]
mod synthetic;

use ensemble_banking::reconcile::{MatcherConfig, reconcile};

#[test]
fn most_payments_match_and_matches_are_right() {
    let data = synthetic::generate(20_000, 42);
    let result = reconcile(&data.invoices, &data.lines, &MatcherConfig::default());
    let q = synthetic::Quality::of(&data, &result);
    eprintln!("{q:?}");
    assert!(
        q.matched_share() >= 0.99,
        "matched {:.4}",
        q.matched_share()
    );
    assert!(q.precision() >= 0.995, "precision {:.4}", q.precision());
    // Noise almost never takes an invoice.
    assert!(
        q.noise_matched * 1000 <= q.lines,
        "{} noise lines matched",
        q.noise_matched
    );
}
