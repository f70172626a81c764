//! Factur-X PDFs and UBL files written per second on one core:
//! `taskset -c 1 cargo bench -p ensemble-documents --bench pdfs`. Figures are recorded in
//! BENCHMARKS.md.
//!
//! The 38 documents of the e-invoice test matrix (French and Belgian sellers, one to three
//! lines, VAT categories S, AE, K, G, O, E, Z, credit notes, allowances and charges) per
//! iteration.

#![allow(clippy::unwrap_used)]

use std::hint::black_box;

use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};
use ensemble_documents::{InvoicePdf, facturx_pdf};
use ensemble_einvoice::{Document, UblCustomization, ubl};

#[path = "../../einvoice/tests/common/matrix.rs"]
mod matrix;

fn main() {
    divan::main();
}

fn customization(d: &Document) -> UblCustomization {
    if ubl::peppol_ready(d).is_ok() {
        UblCustomization::PeppolBis3
    } else {
        UblCustomization::En16931
    }
}

/// The Factur-X PDF of a built document: the CII XML, the pages (layout, text shaping, font
/// subsetting, compression), the PDF/A-3b checks, the EPC QR code and the XMP update.
#[divan::bench(sample_count = 20)]
fn facturx_pdf_from_document(bencher: Bencher) {
    let cases = matrix::cases();
    let docs: Vec<_> = cases.iter().map(|c| (c, c.document())).collect();
    let pdf = |c: &matrix::Case, d: &Document| {
        facturx_pdf(&InvoicePdf {
            document: d,
            lang: c.invoice.lang,
            activity: c.activity,
            payment_reference: &c.invoice.payment_reference,
        })
    };
    let bytes: usize = docs.iter().map(|(c, d)| pdf(c, d).unwrap().len()).sum();
    bencher
        .counter(ItemsCount::new(docs.len()))
        .counter(BytesCount::new(bytes))
        .bench(|| {
            for (c, d) in &docs {
                let _ = black_box(pdf(c, black_box(d)));
            }
        });
}

/// A UBL file (Peppol BIS 3.0, or plain EN 16931 for consumers) from the domain's invoice,
/// entity and client: the model built and written.
#[divan::bench]
fn ubl_from_invoice(bencher: Bencher) {
    let cases = matrix::cases();
    let bytes: usize = cases
        .iter()
        .map(|c| {
            let d = c.document();
            ubl::write(&d, customization(&d)).unwrap().len()
        })
        .sum();
    bencher
        .counter(ItemsCount::new(cases.len()))
        .counter(BytesCount::new(bytes))
        .bench(|| {
            for c in &cases {
                if let Ok(d) = Document::from_invoice(
                    black_box(&c.invoice),
                    &c.seller,
                    &c.buyer,
                    c.activity,
                    &c.extras,
                ) {
                    let _ = black_box(ubl::write(&d, customization(&d)));
                }
            }
        });
}
