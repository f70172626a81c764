//! EN 16931 e-invoices from Ensemble's invoices and credit notes.
//!
//! This crate owns the EN 16931 semantic model ([`Document`], built by
//! [`Document::from_invoice`] from a domain [`Invoice`](ensemble_domain::invoice::Invoice),
//! the issuing [`CooperativeEntity`](ensemble_domain::coop::CooperativeEntity), the
//! [`Client`](ensemble_domain::client::Client) and [`DocumentExtras`]), its totals and
//! rounding (BR-CO-10…17, one rounding per VAT category and rate), and two writers:
//! UN/CEFACT CII D16B for Factur-X's EN 16931 profile ([`cii::write`], also
//! [`facturx_xml`], the bytes a Factur-X PDF embeds), with the French reform's fields
//! (SIREN in BT-30, billing framework BT-23, the PMD/PMT/AAB notes) for French sellers; and
//! UBL 2.1 Invoice/CreditNote for Peppol BIS Billing 3.0 ([`ubl::write`]).
//!
//! It must never import the store, the web layer, the application layer, a clock or the
//! file system: inputs are values, outputs are values and bytes. What the output must pass
//! is decided by the official validators (`shared/validators`), not by this crate: see the
//! `validators` integration test.

mod build;
pub mod cii;
mod codes;
mod error;
mod model;
mod totals;
pub mod ubl;
mod xml;

pub use build::DocumentExtras;
pub use error::{BuildError, PeppolError};
pub use model::{
    AllowanceCharge, AllowanceChargeKind, BillingFramework, Delivery, Document, DocumentType,
    ElectronicAddress, ElectronicAddressError, Exemption, Line, Note, NoteSubject, Party,
    PaymentInstructions, Period, PrecedingInvoice, SchemedId, Totals, VatBreakdown,
};
pub use ubl::UblCustomization;

/// The CII XML a Factur-X (EN 16931 profile) PDF embeds as `factur-x.xml`.
pub fn facturx_xml(doc: &Document) -> Vec<u8> {
    cii::write(doc)
}
