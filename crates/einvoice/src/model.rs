//! The EN 16931 semantic model: a [`Document`] (invoice or credit note) and its parts, named
//! after the business terms (BT-…) and groups (BG-…) of EN 16931-1.
//!
//! A `Document` is only built by [`Document::from_invoice`](crate::Document::from_invoice),
//! which checks the rules a writer cannot fix afterwards; its parts are read through getters.

use ensemble_domain::client::VatCategory;
use ensemble_domain::identifiers::{Bic, CountryCode, Email, Iban, PeppolId, PostalAddress, VatId};
use ensemble_domain::invoice::{Invoice, LineQuantity};
use ensemble_domain::{Money, Rate};
use jiff::civil::Date;

use crate::codes;
use crate::error::BuildError;

/// Invoice (UNTDID 1001 code 380) or credit note (381), BT-3.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DocumentType {
    Invoice,
    CreditNote,
}

impl DocumentType {
    /// The UNTDID 1001 code (BT-3).
    pub const fn code(self) -> &'static str {
        match self {
            DocumentType::Invoice => "380",
            DocumentType::CreditNote => "381",
        }
    }
}

/// An identifier with its ISO 6523 ICD scheme: SIRET `0009`, SIREN `0002`, Belgian
/// enterprise number `0208` (BT-29, BT-30, BT-46, BT-47).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SchemedId {
    scheme: &'static str,
    value: String,
}

impl SchemedId {
    pub(crate) fn new(scheme: &'static str, value: &str) -> SchemedId {
        SchemedId {
            scheme,
            value: value.to_string(),
        }
    }

    pub fn scheme(&self) -> &'static str {
        self.scheme
    }

    pub fn value(&self) -> &str {
        &self.value
    }
}

/// Why a text is not an electronic address.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ElectronicAddressError {
    #[error(
        "electronic address scheme {0}: not in the CEF EAS code list (BR-CL-25), e.g. 0208, 0225, 9925, EM"
    )]
    Scheme(String),
    #[error(
        "electronic address {0}: must be 1 to 125 characters without spaces (BT-34/BT-49, BR-FR-25)"
    )]
    Value(String),
}

/// An electronic address (BT-34 seller, BT-49 buyer): a CEF EAS scheme and an identifier,
/// such as `0208:0403170701` (a Belgian enterprise on Peppol) or `EM:jane@example.org`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ElectronicAddress {
    scheme: &'static str,
    value: String,
}

impl ElectronicAddress {
    /// An address in any scheme of the CEF EAS code list.
    pub fn new(scheme: &str, value: &str) -> Result<ElectronicAddress, ElectronicAddressError> {
        let scheme = codes::EAS_EN16931
            .iter()
            .find(|s| **s == scheme.trim())
            .ok_or_else(|| ElectronicAddressError::Scheme(scheme.to_string()))?;
        let value = value.trim();
        if value.is_empty() || value.chars().count() > 125 || value.contains(char::is_whitespace) {
            return Err(ElectronicAddressError::Value(value.to_string()));
        }
        Ok(ElectronicAddress {
            scheme,
            value: value.to_string(),
        })
    }

    /// The address of a Peppol participant.
    pub fn peppol(id: &PeppolId) -> ElectronicAddress {
        ElectronicAddress {
            scheme: id.icd(),
            value: id.identifier().to_string(),
        }
    }

    /// An e-mail address (scheme `EM`): EN 16931 accepts it, Peppol does not.
    pub fn email(email: &Email) -> ElectronicAddress {
        ElectronicAddress {
            scheme: "EM",
            value: email.as_str().to_string(),
        }
    }

    /// The address of a VAT number in its country's EAS scheme (`9925:BE0403170701`,
    /// `9930:DE136695976`…); `None` where the list has no VAT scheme (DK, SE).
    pub fn vat(vat: &VatId) -> Option<ElectronicAddress> {
        codes::vat_eas(vat.prefix()).map(|scheme| ElectronicAddress {
            scheme,
            value: vat.as_str().to_string(),
        })
    }

    /// The French reform's address (scheme `0225`) of a SIREN, as the PPF directory assigns
    /// it by default.
    pub(crate) fn french_ctc(siren: &str) -> ElectronicAddress {
        ElectronicAddress {
            scheme: "0225",
            value: siren.to_string(),
        }
    }

    pub fn scheme(&self) -> &'static str {
        self.scheme
    }

    pub fn value(&self) -> &str {
        &self.value
    }

    /// Whether Peppol BIS Billing 3.0 accepts the scheme (rule PEPPOL-EN16931-CL008).
    pub fn is_peppol(&self) -> bool {
        codes::EAS_PEPPOL.contains(&self.scheme)
    }
}

/// The seller (BG-4) or the buyer (BG-7).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Party {
    pub(crate) name: String,
    pub(crate) address: PostalAddress,
    pub(crate) identifier: Option<SchemedId>,
    pub(crate) legal_id: Option<SchemedId>,
    pub(crate) vat_id: Option<VatId>,
    pub(crate) electronic_address: Option<ElectronicAddress>,
}

impl Party {
    /// BT-27 / BT-44.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// BG-5 / BG-8.
    pub fn address(&self) -> &PostalAddress {
        &self.address
    }

    /// BT-29 / BT-46: SIRET for a French seller.
    pub fn identifier(&self) -> Option<&SchemedId> {
        self.identifier.as_ref()
    }

    /// BT-30 / BT-47: SIREN (0002) or Belgian enterprise number (0208).
    pub fn legal_id(&self) -> Option<&SchemedId> {
        self.legal_id.as_ref()
    }

    /// BT-31 / BT-48. Absent on a document not subject to VAT (BR-O-02).
    pub fn vat_id(&self) -> Option<&VatId> {
        self.vat_id.as_ref()
    }

    /// BT-34 / BT-49.
    pub fn electronic_address(&self) -> Option<&ElectronicAddress> {
        self.electronic_address.as_ref()
    }
}

/// Subject codes (UNTDID 4451) of the notes French invoices must carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NoteSubject {
    /// PMD: late-payment penalties.
    LatePaymentPenalties,
    /// PMT: the fixed recovery indemnity.
    RecoveryIndemnity,
    /// AAB: discount for early payment (or its absence).
    EarlyPaymentDiscount,
}

impl NoteSubject {
    pub const fn code(self) -> &'static str {
        match self {
            NoteSubject::LatePaymentPenalties => "PMD",
            NoteSubject::RecoveryIndemnity => "PMT",
            NoteSubject::EarlyPaymentDiscount => "AAB",
        }
    }

    pub(crate) fn from_code(code: &str) -> Option<NoteSubject> {
        match code {
            "PMD" => Some(NoteSubject::LatePaymentPenalties),
            "PMT" => Some(NoteSubject::RecoveryIndemnity),
            "AAB" => Some(NoteSubject::EarlyPaymentDiscount),
            _ => None,
        }
    }
}

/// A document note (BG-1): its text (BT-22) and subject (BT-21).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub(crate) subject: Option<NoteSubject>,
    pub(crate) text: String,
}

impl Note {
    pub fn subject(&self) -> Option<NoteSubject> {
        self.subject
    }

    pub fn text(&self) -> &str {
        &self.text
    }
}

/// The French reform's billing framework (BT-23, "cadre de facturation"): an invoice of goods
/// (B1), of services (S1) or of both (M1), deposited for payment (not yet paid).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BillingFramework {
    Goods,
    Services,
    Mixed,
}

impl BillingFramework {
    pub const fn code(self) -> &'static str {
        match self {
            BillingFramework::Goods => "B1",
            BillingFramework::Services => "S1",
            BillingFramework::Mixed => "M1",
        }
    }
}

/// The invoice a credit note corrects (BG-3): its number (BT-25) and issue date (BT-26).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrecedingInvoice {
    pub number: String,
    pub issue_date: Date,
}

impl PrecedingInvoice {
    /// The reference of an issued invoice.
    pub fn of(invoice: &Invoice) -> PrecedingInvoice {
        PrecedingInvoice {
            number: invoice.number.to_string(),
            issue_date: invoice.issue_date,
        }
    }
}

/// An invoicing period (BG-14): first and last day, the last not before the first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    start: Date,
    end: Date,
}

impl Period {
    pub fn new(start: Date, end: Date) -> Result<Period, BuildError> {
        if end < start {
            return Err(BuildError::Period { start, end });
        }
        Ok(Period { start, end })
    }

    pub fn start(&self) -> Date {
        self.start
    }

    pub fn end(&self) -> Date {
        self.end
    }
}

/// Delivery information (BG-13): the actual delivery date (BT-72) and the country delivered
/// to (BT-80), which intra-Community supplies need (BR-IC-11, BR-IC-12).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Delivery {
    pub date: Option<Date>,
    pub country: CountryCode,
}

/// Payment instructions (BG-16): SEPA credit transfer (code 58) to the seller's account,
/// quoting the payment reference as remittance information (BT-83).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentInstructions {
    pub(crate) iban: Iban,
    pub(crate) bic: Option<Bic>,
    pub(crate) account_name: String,
    pub(crate) remittance: String,
}

impl PaymentInstructions {
    /// BT-81: SEPA credit transfer.
    pub const MEANS_CODE: &'static str = "58";

    /// BT-84.
    pub fn iban(&self) -> &Iban {
        &self.iban
    }

    /// BT-86.
    pub fn bic(&self) -> Option<&Bic> {
        self.bic.as_ref()
    }

    /// BT-85.
    pub fn account_name(&self) -> &str {
        &self.account_name
    }

    /// BT-83: the structured communication or RF reference.
    pub fn remittance(&self) -> &str {
        &self.remittance
    }
}

/// An invoice line (BG-25).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) quantity: LineQuantity,
    pub(crate) unit_code: String,
    pub(crate) net_price: Money,
    pub(crate) net_amount: Money,
    pub(crate) category: VatCategory,
    pub(crate) rate: Rate,
    pub(crate) goods: bool,
}

impl Line {
    /// BT-126.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// BT-153.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// BT-129, in thousandths.
    pub fn quantity(&self) -> LineQuantity {
        self.quantity
    }

    /// BT-130 (UN/ECE recommendation 20).
    pub fn unit_code(&self) -> &str {
        &self.unit_code
    }

    /// BT-146.
    pub fn net_price(&self) -> Money {
        self.net_price
    }

    /// BT-131: quantity × net price, rounded to the cent.
    pub fn net_amount(&self) -> Money {
        self.net_amount
    }

    /// BT-151.
    pub fn category(&self) -> VatCategory {
        self.category
    }

    /// BT-152 (0 for every category but S; not written for O).
    pub fn rate(&self) -> Rate {
        self.rate
    }

    /// Whether the line supplies goods (else services).
    pub fn is_goods(&self) -> bool {
        self.goods
    }
}

/// Whether a document-level amount lowers (allowance, BG-20) or raises (charge, BG-21) the
/// total.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AllowanceChargeKind {
    Allowance,
    Charge,
}

/// A document-level allowance (BG-20) or charge (BG-21) with its VAT.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowanceCharge {
    pub(crate) kind: AllowanceChargeKind,
    pub(crate) amount: Money,
    pub(crate) percentage: Option<(Money, Rate)>,
    pub(crate) category: VatCategory,
    pub(crate) rate: Rate,
    pub(crate) reason: String,
    pub(crate) reason_code: Option<&'static str>,
}

impl AllowanceCharge {
    /// An allowance of a fixed amount (BT-92), with its reason (BT-97) and VAT (BT-95,
    /// BT-96).
    pub fn allowance(
        reason: &str,
        amount: Money,
        category: VatCategory,
        rate: Rate,
    ) -> Result<AllowanceCharge, BuildError> {
        AllowanceCharge::fixed(
            AllowanceChargeKind::Allowance,
            reason,
            amount,
            category,
            rate,
        )
    }

    /// A charge of a fixed amount (BT-99), with its reason (BT-104) and VAT (BT-102,
    /// BT-103).
    pub fn charge(
        reason: &str,
        amount: Money,
        category: VatCategory,
        rate: Rate,
    ) -> Result<AllowanceCharge, BuildError> {
        AllowanceCharge::fixed(AllowanceChargeKind::Charge, reason, amount, category, rate)
    }

    /// An allowance or charge of `percentage` of `base` (BT-93/BT-94, BT-100/BT-101): the
    /// amount is `base × percentage` rounded half away from zero to the cent.
    pub fn percent(
        kind: AllowanceChargeKind,
        reason: &str,
        base: Money,
        percentage: Rate,
        category: VatCategory,
        rate: Rate,
    ) -> Result<AllowanceCharge, BuildError> {
        if percentage.ppm() <= 0 || percentage.ppm() > 1_000_000 {
            return Err(BuildError::AllowanceCharge {
                reason: reason.to_string(),
                rule: "BT-94/BT-101: the percentage lies above 0 % and at most 100 %",
            });
        }
        let mut ac = AllowanceCharge::fixed(kind, reason, percentage.of(base), category, rate)?;
        ac.percentage = Some((base, percentage));
        Ok(ac)
    }

    fn fixed(
        kind: AllowanceChargeKind,
        reason: &str,
        amount: Money,
        category: VatCategory,
        rate: Rate,
    ) -> Result<AllowanceCharge, BuildError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(BuildError::AllowanceCharge {
                reason: String::new(),
                rule: "BR-33/BR-38: an allowance or charge needs a reason",
            });
        }
        if !amount.is_positive() {
            return Err(BuildError::AllowanceCharge {
                reason: reason.to_string(),
                rule: "BR-31/BR-36: the amount must be above zero",
            });
        }
        Ok(AllowanceCharge {
            kind,
            amount,
            percentage: None,
            category,
            rate,
            reason: reason.to_string(),
            reason_code: None,
        })
    }

    /// Adds the reason code: UNCL 5189 for an allowance (95 discount, 100 special rebate…),
    /// UNCL 7161 for a charge (FC freight, PC packing, SAA shipping and handling, ADR other
    /// services, ABK miscellaneous).
    pub fn with_reason_code(mut self, code: &str) -> Result<AllowanceCharge, BuildError> {
        let list: &[&'static str] = match self.kind {
            AllowanceChargeKind::Allowance => &codes::ALLOWANCE_REASON_CODES,
            AllowanceChargeKind::Charge => &codes::CHARGE_REASON_CODES,
        };
        let found = list.iter().find(|c| **c == code).ok_or_else(|| {
            BuildError::AllowanceCharge {
                reason: self.reason.clone(),
                rule: match self.kind {
                    AllowanceChargeKind::Allowance => {
                        "BR-CL-19: the reason code is not an UNCL 5189 allowance code"
                    }
                    AllowanceChargeKind::Charge => {
                        "BR-CL-20: the reason code is not one of the UNCL 7161 charge codes FC, PC, SAA, ADR, ABK"
                    }
                },
            }
        })?;
        self.reason_code = Some(found);
        Ok(self)
    }

    pub fn kind(&self) -> AllowanceChargeKind {
        self.kind
    }

    /// BT-92 / BT-99.
    pub fn amount(&self) -> Money {
        self.amount
    }

    /// BT-93 and BT-94 / BT-100 and BT-101.
    pub fn percentage(&self) -> Option<(Money, Rate)> {
        self.percentage
    }

    /// BT-95 / BT-102.
    pub fn category(&self) -> VatCategory {
        self.category
    }

    /// BT-96 / BT-103.
    pub fn rate(&self) -> Rate {
        self.rate
    }

    /// BT-97 / BT-104.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// BT-98 / BT-105.
    pub fn reason_code(&self) -> Option<&'static str> {
        self.reason_code
    }

    /// The signed effect on the total without VAT.
    pub(crate) fn signed(&self) -> Money {
        match self.kind {
            AllowanceChargeKind::Allowance => -self.amount,
            AllowanceChargeKind::Charge => self.amount,
        }
    }
}

/// Why no VAT is charged (BT-120 text, BT-121 VATEX code).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Exemption {
    code: &'static str,
    text: String,
}

impl Exemption {
    /// A reason with a code of the VATEX list, such as `VATEX-EU-132-1I` (education and
    /// vocational training) or `VATEX-FR-CGI261-4` (French CGI article 261, 4).
    pub fn new(code: &str, text: &str) -> Result<Exemption, BuildError> {
        let code = codes::VATEX
            .iter()
            .find(|c| **c == code.trim())
            .ok_or_else(|| BuildError::Exemption(code.to_string()))?;
        let text = text.trim();
        if text.is_empty() {
            return Err(BuildError::Exemption(format!("{code} without a text")));
        }
        Ok(Exemption {
            code,
            text: text.to_string(),
        })
    }

    pub(crate) fn known(code: &'static str, text: &str) -> Exemption {
        Exemption {
            code,
            text: text.to_string(),
        }
    }

    /// BT-121.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// BT-120.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// The VAT of one category and rate (BG-23): base (BT-116) and amount (BT-117), the amount
/// rounded once for the group (BR-CO-17).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VatBreakdown {
    pub(crate) category: VatCategory,
    pub(crate) rate: Rate,
    pub(crate) base: Money,
    pub(crate) amount: Money,
    pub(crate) exemption: Option<Exemption>,
}

impl VatBreakdown {
    /// BT-118.
    pub fn category(&self) -> VatCategory {
        self.category
    }

    /// BT-119.
    pub fn rate(&self) -> Rate {
        self.rate
    }

    /// BT-116.
    pub fn base(&self) -> Money {
        self.base
    }

    /// BT-117.
    pub fn amount(&self) -> Money {
        self.amount
    }

    /// BT-120 and BT-121.
    pub fn exemption(&self) -> Option<&Exemption> {
        self.exemption.as_ref()
    }
}

/// Document totals (BG-22).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// BT-106: sum of the line net amounts.
    pub lines: Money,
    /// BT-107: sum of the allowances.
    pub allowances: Money,
    /// BT-108: sum of the charges.
    pub charges: Money,
    /// BT-109 = BT-106 − BT-107 + BT-108.
    pub without_vat: Money,
    /// BT-110: sum of the VAT breakdown amounts.
    pub vat: Money,
    /// BT-112 = BT-109 + BT-110.
    pub with_vat: Money,
    /// BT-113: amount already paid.
    pub prepaid: Money,
    /// BT-115 = BT-112 − BT-113.
    pub payable: Money,
}

/// An EN 16931 invoice or credit note, ready to be written as CII or UBL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    pub(crate) kind: DocumentType,
    pub(crate) number: String,
    pub(crate) issue_date: Date,
    pub(crate) due_date: Option<Date>,
    pub(crate) billing_framework: Option<BillingFramework>,
    pub(crate) buyer_reference: String,
    pub(crate) order_reference: Option<String>,
    pub(crate) preceding: Option<PrecedingInvoice>,
    pub(crate) notes: Vec<Note>,
    pub(crate) seller: Party,
    pub(crate) buyer: Party,
    pub(crate) delivery: Option<Delivery>,
    pub(crate) period: Option<Period>,
    pub(crate) payment: Option<PaymentInstructions>,
    pub(crate) payment_terms: String,
    pub(crate) lines: Vec<Line>,
    pub(crate) allowances_charges: Vec<AllowanceCharge>,
    pub(crate) vat_breakdown: Vec<VatBreakdown>,
    pub(crate) totals: Totals,
}

impl Document {
    /// The currency of every amount (BT-5): Ensemble's [`Money`] is euros.
    pub const CURRENCY: &'static str = "EUR";

    /// BT-3.
    pub fn kind(&self) -> DocumentType {
        self.kind
    }

    /// BT-1.
    pub fn number(&self) -> &str {
        &self.number
    }

    /// BT-2.
    pub fn issue_date(&self) -> Date {
        self.issue_date
    }

    /// BT-9 (invoices only).
    pub fn due_date(&self) -> Option<Date> {
        self.due_date
    }

    /// BT-23 for French sellers.
    pub fn billing_framework(&self) -> Option<BillingFramework> {
        self.billing_framework
    }

    /// BT-10: the buyer's reference, or the document number when the buyer gave none
    /// (Peppol requires BT-10 or BT-13, PEPPOL-EN16931-R003).
    pub fn buyer_reference(&self) -> &str {
        &self.buyer_reference
    }

    /// BT-13.
    pub fn order_reference(&self) -> Option<&str> {
        self.order_reference.as_deref()
    }

    /// BG-3.
    pub fn preceding_invoice(&self) -> Option<&PrecedingInvoice> {
        self.preceding.as_ref()
    }

    /// BG-1.
    pub fn notes(&self) -> &[Note] {
        &self.notes
    }

    /// BG-4.
    pub fn seller(&self) -> &Party {
        &self.seller
    }

    /// BG-7.
    pub fn buyer(&self) -> &Party {
        &self.buyer
    }

    /// BG-13.
    pub fn delivery(&self) -> Option<&Delivery> {
        self.delivery.as_ref()
    }

    /// BG-14.
    pub fn period(&self) -> Option<Period> {
        self.period
    }

    /// BG-16 (invoices only: a credit note is refunded or set off).
    pub fn payment(&self) -> Option<&PaymentInstructions> {
        self.payment.as_ref()
    }

    /// BT-20.
    pub fn payment_terms(&self) -> &str {
        &self.payment_terms
    }

    /// BG-25.
    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    /// BG-20 and BG-21.
    pub fn allowances_charges(&self) -> &[AllowanceCharge] {
        &self.allowances_charges
    }

    /// BG-23.
    pub fn vat_breakdown(&self) -> &[VatBreakdown] {
        &self.vat_breakdown
    }

    /// BG-22.
    pub fn totals(&self) -> &Totals {
        &self.totals
    }

    /// Whether the document is not subject to VAT (category O): then it carries no VAT
    /// number (BR-O-02).
    pub fn is_out_of_scope(&self) -> bool {
        self.vat_breakdown
            .iter()
            .any(|b| b.category == VatCategory::OutOfScope)
    }
}
