//! OASIS UBL 2.1 Invoice and CreditNote, as Peppol BIS Billing 3.0 (or plain EN 16931 for a
//! buyer outside Peppol), elements in the order of the UBL 2.1 XSD.

use ensemble_domain::client::VatCategory;
use ensemble_domain::identifiers::PostalAddress;

use crate::error::PeppolError;
use crate::model::{AllowanceChargeKind, Document, DocumentType, Party};
use crate::xml::Xml;

/// Which specification the UBL document claims (BT-24) and follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UblCustomization {
    /// Peppol BIS Billing 3.0: both parties need a Peppol electronic address, one note at
    /// most (PEPPOL-EN16931-R002: the notes are joined).
    PeppolBis3,
    /// The core EN 16931, for a buyer that has no Peppol address (a consumer).
    En16931,
}

impl UblCustomization {
    /// BT-24.
    pub const fn id(self) -> &'static str {
        match self {
            UblCustomization::PeppolBis3 => {
                "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
            }
            UblCustomization::En16931 => "urn:cen.eu:en16931:2017",
        }
    }

    /// BT-23 of Peppol BIS Billing 3.0.
    pub const PEPPOL_PROFILE: &'static str = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";
}

/// Whether a document can travel on Peppol: both parties have an electronic address in a
/// Peppol scheme (PEPPOL-EN16931-R010, R020, CL008).
pub fn peppol_ready(doc: &Document) -> Result<(), PeppolError> {
    for (party, term, rule, p) in [
        ("the seller", "BT-34", "PEPPOL-EN16931-R020", &doc.seller),
        ("the buyer", "BT-49", "PEPPOL-EN16931-R010", &doc.buyer),
    ] {
        match &p.electronic_address {
            Some(e) if e.is_peppol() => {}
            found => {
                return Err(PeppolError::Endpoint {
                    term,
                    rule,
                    party,
                    found: match found {
                        Some(e) => format!("{}:{}, not a Peppol scheme", e.scheme(), e.value()),
                        None => "none".to_string(),
                    },
                });
            }
        }
    }
    Ok(())
}

/// The UBL XML of a document. Peppol BIS Billing 3.0 fails when a party has no Peppol
/// electronic address; plain EN 16931 never fails.
pub fn write(doc: &Document, customization: UblCustomization) -> Result<Vec<u8>, PeppolError> {
    if customization == UblCustomization::PeppolBis3 {
        peppol_ready(doc)?;
    }
    let credit = doc.kind == DocumentType::CreditNote;
    let (root, ns) = if credit {
        (
            "CreditNote",
            "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
        )
    } else {
        (
            "Invoice",
            "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
        )
    };
    let mut x = Xml::new(4096 + 1024 * doc.lines.len());
    x.open_with(
        root,
        &[
            ("xmlns", ns),
            (
                "xmlns:cac",
                "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
            ),
            (
                "xmlns:cbc",
                "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
            ),
        ],
    );
    x.text("cbc:CustomizationID", customization.id());
    if customization == UblCustomization::PeppolBis3 {
        x.text("cbc:ProfileID", UblCustomization::PEPPOL_PROFILE);
    }
    x.text("cbc:ID", &doc.number);
    x.iso_date("cbc:IssueDate", doc.issue_date);
    if !credit && let Some(due) = doc.due_date {
        x.iso_date("cbc:DueDate", due);
    }
    x.text(
        if credit {
            "cbc:CreditNoteTypeCode"
        } else {
            "cbc:InvoiceTypeCode"
        },
        doc.kind.code(),
    );
    notes(&mut x, doc, customization);
    x.text("cbc:DocumentCurrencyCode", Document::CURRENCY);
    x.text("cbc:BuyerReference", &doc.buyer_reference);
    if let Some(period) = doc.period {
        x.open("cac:InvoicePeriod");
        x.iso_date("cbc:StartDate", period.start());
        x.iso_date("cbc:EndDate", period.end());
        x.close("cac:InvoicePeriod");
    }
    if let Some(order) = &doc.order_reference {
        x.open("cac:OrderReference");
        x.text("cbc:ID", order);
        x.close("cac:OrderReference");
    }
    if let Some(of) = &doc.preceding {
        x.open("cac:BillingReference");
        x.open("cac:InvoiceDocumentReference");
        x.text("cbc:ID", &of.number);
        x.iso_date("cbc:IssueDate", of.issue_date);
        x.close("cac:InvoiceDocumentReference");
        x.close("cac:BillingReference");
    }
    x.open("cac:AccountingSupplierParty");
    party(&mut x, &doc.seller);
    x.close("cac:AccountingSupplierParty");
    x.open("cac:AccountingCustomerParty");
    party(&mut x, &doc.buyer);
    x.close("cac:AccountingCustomerParty");
    if let Some(delivery) = &doc.delivery {
        x.open("cac:Delivery");
        if let Some(date) = delivery.date {
            x.iso_date("cbc:ActualDeliveryDate", date);
        }
        x.open("cac:DeliveryLocation");
        x.open("cac:Address");
        x.open("cac:Country");
        x.text("cbc:IdentificationCode", delivery.country.as_str());
        x.close("cac:Country");
        x.close("cac:Address");
        x.close("cac:DeliveryLocation");
        x.close("cac:Delivery");
    }
    if let Some(payment) = &doc.payment {
        x.open("cac:PaymentMeans");
        x.text_with(
            "cbc:PaymentMeansCode",
            &[("name", "SEPA credit transfer")],
            crate::PaymentInstructions::MEANS_CODE,
        );
        x.text("cbc:PaymentID", &payment.remittance);
        x.open("cac:PayeeFinancialAccount");
        x.text("cbc:ID", payment.iban.electronic());
        x.text("cbc:Name", &payment.account_name);
        if let Some(bic) = &payment.bic {
            x.open("cac:FinancialInstitutionBranch");
            x.text("cbc:ID", bic.as_str());
            x.close("cac:FinancialInstitutionBranch");
        }
        x.close("cac:PayeeFinancialAccount");
        x.close("cac:PaymentMeans");
    }
    x.open("cac:PaymentTerms");
    x.text("cbc:Note", &doc.payment_terms);
    x.close("cac:PaymentTerms");
    for ac in &doc.allowances_charges {
        x.open("cac:AllowanceCharge");
        x.text(
            "cbc:ChargeIndicator",
            match ac.kind {
                AllowanceChargeKind::Allowance => "false",
                AllowanceChargeKind::Charge => "true",
            },
        );
        if let Some(code) = ac.reason_code {
            x.text("cbc:AllowanceChargeReasonCode", code);
        }
        x.text("cbc:AllowanceChargeReason", &ac.reason);
        if let Some((_, percentage)) = ac.percentage {
            x.rate("cbc:MultiplierFactorNumeric", percentage);
        }
        x.money_with("cbc:Amount", "currencyID", ac.amount);
        if let Some((base, _)) = ac.percentage {
            x.money_with("cbc:BaseAmount", "currencyID", base);
        }
        tax_category(&mut x, "cac:TaxCategory", ac.category, ac.rate, None);
        x.close("cac:AllowanceCharge");
    }

    let t = &doc.totals;
    x.open("cac:TaxTotal");
    x.money_with("cbc:TaxAmount", "currencyID", t.vat);
    for b in &doc.vat_breakdown {
        x.open("cac:TaxSubtotal");
        x.money_with("cbc:TaxableAmount", "currencyID", b.base);
        x.money_with("cbc:TaxAmount", "currencyID", b.amount);
        tax_category(
            &mut x,
            "cac:TaxCategory",
            b.category,
            b.rate,
            b.exemption.as_ref(),
        );
        x.close("cac:TaxSubtotal");
    }
    x.close("cac:TaxTotal");

    x.open("cac:LegalMonetaryTotal");
    x.money_with("cbc:LineExtensionAmount", "currencyID", t.lines);
    x.money_with("cbc:TaxExclusiveAmount", "currencyID", t.without_vat);
    x.money_with("cbc:TaxInclusiveAmount", "currencyID", t.with_vat);
    if !doc.allowances_charges.is_empty() {
        x.money_with("cbc:AllowanceTotalAmount", "currencyID", t.allowances);
        x.money_with("cbc:ChargeTotalAmount", "currencyID", t.charges);
    }
    if t.prepaid.cents() != 0 {
        x.money_with("cbc:PrepaidAmount", "currencyID", t.prepaid);
    }
    x.money_with("cbc:PayableAmount", "currencyID", t.payable);
    x.close("cac:LegalMonetaryTotal");

    let (line_tag, quantity_tag) = if credit {
        ("cac:CreditNoteLine", "cbc:CreditedQuantity")
    } else {
        ("cac:InvoiceLine", "cbc:InvoicedQuantity")
    };
    for line in &doc.lines {
        x.open(line_tag);
        x.text("cbc:ID", &line.id);
        x.quantity(quantity_tag, &line.unit_code, line.quantity);
        x.money_with("cbc:LineExtensionAmount", "currencyID", line.net_amount);
        x.open("cac:Item");
        x.text("cbc:Name", &line.name);
        tax_category(
            &mut x,
            "cac:ClassifiedTaxCategory",
            line.category,
            line.rate,
            None,
        );
        x.close("cac:Item");
        x.open("cac:Price");
        x.money_with("cbc:PriceAmount", "currencyID", line.net_price);
        x.close("cac:Price");
        x.close(line_tag);
    }
    x.close(root);
    Ok(x.finish())
}

/// BG-1: Peppol allows one note (R002), so the notes are joined, one per line; plain
/// EN 16931 keeps each note with its subject code as `#CODE#text`.
fn notes(x: &mut Xml, doc: &Document, customization: UblCustomization) {
    match customization {
        UblCustomization::PeppolBis3 => {
            let mut joined = String::new();
            for (i, note) in doc.notes.iter().enumerate() {
                if i > 0 {
                    joined.push('\n');
                }
                joined.push_str(&note.text);
            }
            if !joined.is_empty() {
                x.text("cbc:Note", &joined);
            }
        }
        UblCustomization::En16931 => {
            for note in &doc.notes {
                match note.subject {
                    Some(s) => x.text("cbc:Note", &format!("#{}#{}", s.code(), note.text)),
                    None => x.text("cbc:Note", &note.text),
                }
            }
        }
    }
}

fn tax_category(
    x: &mut Xml,
    name: &str,
    category: VatCategory,
    rate: ensemble_domain::Rate,
    exemption: Option<&crate::Exemption>,
) {
    x.open(name);
    x.text("cbc:ID", category.code());
    if category != VatCategory::OutOfScope {
        x.rate("cbc:Percent", rate);
    }
    if let Some(e) = exemption {
        x.text("cbc:TaxExemptionReasonCode", e.code());
        x.text("cbc:TaxExemptionReason", e.text());
    }
    x.open("cac:TaxScheme");
    x.text("cbc:ID", "VAT");
    x.close("cac:TaxScheme");
    x.close(name);
}

fn party(x: &mut Xml, p: &Party) {
    x.open("cac:Party");
    if let Some(e) = &p.electronic_address {
        x.text_with("cbc:EndpointID", &[("schemeID", e.scheme())], e.value());
    }
    if let Some(id) = &p.identifier {
        x.open("cac:PartyIdentification");
        x.text_with("cbc:ID", &[("schemeID", id.scheme())], id.value());
        x.close("cac:PartyIdentification");
    }
    address(x, &p.address);
    if let Some(vat) = &p.vat_id {
        x.open("cac:PartyTaxScheme");
        x.text("cbc:CompanyID", vat.as_str());
        x.open("cac:TaxScheme");
        x.text("cbc:ID", "VAT");
        x.close("cac:TaxScheme");
        x.close("cac:PartyTaxScheme");
    }
    x.open("cac:PartyLegalEntity");
    x.text("cbc:RegistrationName", &p.name);
    if let Some(legal) = &p.legal_id {
        x.text_with(
            "cbc:CompanyID",
            &[("schemeID", legal.scheme())],
            legal.value(),
        );
    }
    x.close("cac:PartyLegalEntity");
    x.close("cac:Party");
}

fn address(x: &mut Xml, a: &PostalAddress) {
    x.open("cac:PostalAddress");
    let lines = a.lines();
    if let Some(street) = lines.first() {
        x.text("cbc:StreetName", street);
    }
    if let Some(second) = lines.get(1) {
        x.text("cbc:AdditionalStreetName", second);
    }
    x.text("cbc:CityName", a.city());
    if let Some(postcode) = a.postcode() {
        x.text("cbc:PostalZone", postcode);
    }
    if let Some(third) = lines.get(2) {
        x.open("cac:AddressLine");
        x.text("cbc:Line", third);
        x.close("cac:AddressLine");
    }
    x.open("cac:Country");
    x.text("cbc:IdentificationCode", a.country().as_str());
    x.close("cac:Country");
    x.close("cac:PostalAddress");
}
