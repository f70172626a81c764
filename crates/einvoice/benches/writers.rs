//! E-invoices written per second on one core:
//! `cargo bench -p ensemble-einvoice --bench writers`. Figures are recorded in BENCHMARKS.md.
//!
//! The 38 documents of the test matrix (French and Belgian sellers, one to three lines, VAT
//! categories S, AE, K, G, O, E, Z, credit notes, allowances and charges) per iteration.

use std::hint::black_box;

use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};
use ensemble_einvoice::{Document, UblCustomization, cii, ubl};

#[path = "../tests/common/matrix.rs"]
mod matrix;

fn main() {
    divan::main();
}

fn documents() -> Vec<(Document, UblCustomization)> {
    matrix::cases()
        .iter()
        .map(|c| {
            let d = c.document();
            let u = if ubl::peppol_ready(&d).is_ok() {
                UblCustomization::PeppolBis3
            } else {
                UblCustomization::En16931
            };
            (d, u)
        })
        .collect()
}

/// Building the EN 16931 model from the domain's invoice, entity and client.
#[divan::bench]
fn build_document(bencher: Bencher) {
    let cases = matrix::cases();
    bencher.counter(ItemsCount::new(cases.len())).bench(|| {
        for c in &cases {
            let _ = black_box(Document::from_invoice(
                black_box(&c.invoice),
                &c.seller,
                &c.buyer,
                c.activity,
                &c.extras,
            ));
        }
    });
}

/// CII (Factur-X EN 16931) XML of built documents.
#[divan::bench]
fn write_cii(bencher: Bencher) {
    let docs = documents();
    let bytes: usize = docs.iter().map(|(d, _)| cii::write(d).len()).sum();
    bencher
        .counter(ItemsCount::new(docs.len()))
        .counter(BytesCount::new(bytes))
        .bench(|| {
            for (d, _) in &docs {
                black_box(cii::write(black_box(d)));
            }
        });
}

/// UBL (Peppol BIS 3.0, or plain EN 16931 for consumers) XML of built documents.
#[divan::bench]
fn write_ubl(bencher: Bencher) {
    let docs = documents();
    let bytes: usize = docs
        .iter()
        .map(|(d, u)| ubl::write(d, *u).map(|x| x.len()).unwrap_or(0))
        .sum();
    bencher
        .counter(ItemsCount::new(docs.len()))
        .counter(BytesCount::new(bytes))
        .bench(|| {
            for (d, u) in &docs {
                let _ = black_box(ubl::write(black_box(d), *u));
            }
        });
}

/// From the domain's values to both XML files: what an export of one invoice costs.
#[divan::bench]
fn build_and_write_both(bencher: Bencher) {
    let cases = matrix::cases();
    bencher.counter(ItemsCount::new(cases.len())).bench(|| {
        for c in &cases {
            if let Ok(d) = Document::from_invoice(
                black_box(&c.invoice),
                &c.seller,
                &c.buyer,
                c.activity,
                &c.extras,
            ) {
                black_box(cii::write(&d));
                let _ = black_box(ubl::write(&d, UblCustomization::En16931));
            }
        }
    });
}
