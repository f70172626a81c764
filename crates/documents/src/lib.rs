//! Ensemble's PDFs: invoices and credit notes as Factur-X PDF/A-3b (the CII XML of
//! `ensemble-einvoice` embedded as `factur-x.xml`, the Factur-X XMP properties added), payslips
//! and employment contracts; in French, Dutch or English, the recipient's language.
//!
//! This crate is separate from `ensemble-einvoice` so that the e-invoice model and its XML
//! writers stay free of the PDF stack (krilla, fonts), which only the documents people read
//! need. It owns the layout ([`layout`]), the wording in three languages ([`text`]), the EPC QR
//! code of a SEPA transfer ([`epc`]) and the Factur-X XMP extension ([`xmp`]). The fonts are
//! Liberation Sans (SIL OFL 1.1), bundled in `fonts/` and embedded (subset) in every PDF.
//!
//! It must never import the store, the web layer, the application layer, a clock or the file
//! system: inputs are values (domain types and the EN 16931 [`Document`]), outputs are bytes.
//! Dates in the files (creation, attachment) come from the documents themselves, so the same
//! input always gives the same bytes. Whether the output is right is decided by the official
//! validators (`shared/validators`): see the `facturx` integration test.
//!
//! [`Document`]: ensemble_einvoice::Document

pub mod contract;
pub mod epc;
pub mod invoice;
pub mod layout;
pub mod payslip;
pub mod text;
pub mod xmp;

pub use contract::{ContractPdf, contract_pdf};
pub use invoice::{InvoicePdf, facturx_pdf};
pub use payslip::{PayslipLine, PayslipPdf, PayslipTotals, payslip_pdf};

/// Why a PDF could not be written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    /// krilla refused the document (a PDF/A rule) or the file could not be finished.
    #[error("PDF: {0}")]
    Pdf(String),
}
