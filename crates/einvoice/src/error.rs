//! Why an invoice cannot become an EN 16931 document, or a document cannot be written in a
//! syntax: each error names the business term and the rule.

use ensemble_domain::Invalid;
use jiff::civil::Date;

/// Why [`Document::from_invoice`](crate::Document::from_invoice) refused an invoice.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    #[error("seller: {0}")]
    Seller(Invalid),
    #[error("buyer: {0}")]
    Buyer(Invalid),
    #[error("the invoice belongs to {field} {expected}, not to the {field} given ({given})")]
    Mismatch {
        field: &'static str,
        expected: String,
        given: String,
    },
    #[error("{0} is not an invoice or credit note number (BT-1)")]
    NotAnInvoice(String),
    #[error("BR-16: an invoice needs at least one line")]
    NoLines,
    #[error(
        "the invoice's stored totals ({stored}) differ from its lines ({computed}): recompute them before export"
    )]
    StaleTotals { stored: String, computed: String },
    #[error(
        "BG-3: credit note {0} must name the invoice it corrects (DocumentExtras::credit_note_of; BR-FR-CO-05)"
    )]
    CreditNoteWithoutInvoice(String),
    #[error("BG-3: invoice {0} is not a credit note: a preceding invoice belongs on a credit note")]
    PrecedingOnInvoice(String),
    #[error("{place}: {rate} % is not a standard VAT rate in {country} (allowed: {allowed})")]
    RateNotAllowed {
        place: String,
        rate: String,
        country: &'static str,
        allowed: &'static str,
    },
    #[error("{place}: category {category} charges no VAT, its rate must be 0 % (got {rate} %)")]
    NonZeroRate {
        place: String,
        category: &'static str,
        rate: String,
    },
    #[error(
        "BR-O-11..14: a document not subject to VAT (category O) cannot hold other categories ({0} found)"
    )]
    OutOfScopeMixed(&'static str),
    #[error("{rule}: category {category} needs the buyer's VAT number{or_legal}")]
    BuyerVatIdMissing {
        category: &'static str,
        rule: &'static str,
        or_legal: &'static str,
    },
    #[error(
        "BR-IC-11: an intra-Community supply (K) needs the delivery date or the invoicing period (DocumentExtras::delivery or ::invoicing_period)"
    )]
    DeliveryMissing,
    #[error(
        "BR-E-10: an exempt (E) supply needs its exemption reason (DocumentExtras::exemption, e.g. VATEX-EU-132-1I)"
    )]
    ExemptionMissing,
    #[error("BT-121: {0} is not a VATEX exemption code with a text")]
    Exemption(String),
    #[error("allowance or charge \"{reason}\": {rule}")]
    AllowanceCharge { reason: String, rule: &'static str },
    #[error(
        "BG-23: the VAT base of category {category} at {rate} % is negative ({base}): an allowance exceeds the lines it reduces"
    )]
    NegativeBase {
        category: &'static str,
        rate: String,
        base: String,
    },
    #[error(
        "BT-115: the amount due is negative ({0}): issue a credit note instead of a negative invoice"
    )]
    NegativeTotal(String),
    #[error("DocumentExtras::goods_lines names line {0}, which does not exist")]
    NoSuchLine(usize),
    #[error("BG-14: the invoicing period ends ({end}) before it starts ({start})")]
    Period { start: Date, end: Date },
    #[error("{field}: {reason}")]
    Text { field: &'static str, reason: String },
}

/// Why a document cannot be written as Peppol BIS Billing 3.0 UBL.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PeppolError {
    #[error(
        "{term}: Peppol needs an electronic address in a Peppol scheme ({rule}); {party} has {found}. Write plain EN 16931 UBL (UblCustomization::En16931) or give one in DocumentExtras"
    )]
    Endpoint {
        term: &'static str,
        rule: &'static str,
        party: &'static str,
        found: String,
    },
}
