//! UN/CEFACT Cross Industry Invoice D16B, Factur-X 1.0x profile EN 16931 (guideline
//! `urn:cen.eu:en16931:2017`), elements in the order of the Factur-X EN16931 XSD. French
//! sellers also carry the billing framework (BT-23) the reform's BR-FR rules require.

use ensemble_domain::client::VatCategory;
use ensemble_domain::identifiers::PostalAddress;

use crate::model::{AllowanceChargeKind, Document, DocumentType, Party};
use crate::xml::Xml;

/// The guideline (BT-24) of the Factur-X EN 16931 profile: the core EN 16931 itself.
pub const GUIDELINE: &str = "urn:cen.eu:en16931:2017";

const NS: [(&str, &str); 4] = [
    (
        "xmlns:rsm",
        "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    ),
    (
        "xmlns:ram",
        "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    ),
    (
        "xmlns:qdt",
        "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
    ),
    (
        "xmlns:udt",
        "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    ),
];

/// The CII XML of a document, as Factur-X embeds it (`factur-x.xml`).
pub fn write(doc: &Document) -> Vec<u8> {
    let mut x = Xml::new(4096 + 1024 * doc.lines.len());
    x.open_with("rsm:CrossIndustryInvoice", &NS);

    x.open("rsm:ExchangedDocumentContext");
    if let Some(framework) = doc.billing_framework {
        x.open("ram:BusinessProcessSpecifiedDocumentContextParameter");
        x.text("ram:ID", framework.code());
        x.close("ram:BusinessProcessSpecifiedDocumentContextParameter");
    }
    x.open("ram:GuidelineSpecifiedDocumentContextParameter");
    x.text("ram:ID", GUIDELINE);
    x.close("ram:GuidelineSpecifiedDocumentContextParameter");
    x.close("rsm:ExchangedDocumentContext");

    x.open("rsm:ExchangedDocument");
    x.text("ram:ID", &doc.number);
    x.text("ram:TypeCode", doc.kind.code());
    x.cii_date("ram:IssueDateTime", "udt:DateTimeString", doc.issue_date);
    for note in &doc.notes {
        x.open("ram:IncludedNote");
        x.text("ram:Content", &note.text);
        if let Some(subject) = note.subject {
            x.text("ram:SubjectCode", subject.code());
        }
        x.close("ram:IncludedNote");
    }
    x.close("rsm:ExchangedDocument");

    x.open("rsm:SupplyChainTradeTransaction");
    for line in &doc.lines {
        x.open("ram:IncludedSupplyChainTradeLineItem");
        x.open("ram:AssociatedDocumentLineDocument");
        x.text("ram:LineID", &line.id);
        x.close("ram:AssociatedDocumentLineDocument");
        x.open("ram:SpecifiedTradeProduct");
        x.text("ram:Name", &line.name);
        x.close("ram:SpecifiedTradeProduct");
        x.open("ram:SpecifiedLineTradeAgreement");
        x.open("ram:NetPriceProductTradePrice");
        x.money("ram:ChargeAmount", line.net_price);
        x.close("ram:NetPriceProductTradePrice");
        x.close("ram:SpecifiedLineTradeAgreement");
        x.open("ram:SpecifiedLineTradeDelivery");
        x.quantity("ram:BilledQuantity", &line.unit_code, line.quantity);
        x.close("ram:SpecifiedLineTradeDelivery");
        x.open("ram:SpecifiedLineTradeSettlement");
        category_tax(&mut x, "ram:ApplicableTradeTax", line.category, line.rate);
        x.open("ram:SpecifiedTradeSettlementLineMonetarySummation");
        x.money("ram:LineTotalAmount", line.net_amount);
        x.close("ram:SpecifiedTradeSettlementLineMonetarySummation");
        x.close("ram:SpecifiedLineTradeSettlement");
        x.close("ram:IncludedSupplyChainTradeLineItem");
    }

    x.open("ram:ApplicableHeaderTradeAgreement");
    x.text("ram:BuyerReference", &doc.buyer_reference);
    party(&mut x, "ram:SellerTradeParty", &doc.seller);
    party(&mut x, "ram:BuyerTradeParty", &doc.buyer);
    if let Some(order) = &doc.order_reference {
        x.open("ram:BuyerOrderReferencedDocument");
        x.text("ram:IssuerAssignedID", order);
        x.close("ram:BuyerOrderReferencedDocument");
    }
    x.close("ram:ApplicableHeaderTradeAgreement");

    x.open("ram:ApplicableHeaderTradeDelivery");
    if let Some(delivery) = &doc.delivery {
        x.open("ram:ShipToTradeParty");
        x.open("ram:PostalTradeAddress");
        x.text("ram:CountryID", delivery.country.as_str());
        x.close("ram:PostalTradeAddress");
        x.close("ram:ShipToTradeParty");
        if let Some(date) = delivery.date {
            x.open("ram:ActualDeliverySupplyChainEvent");
            x.cii_date("ram:OccurrenceDateTime", "udt:DateTimeString", date);
            x.close("ram:ActualDeliverySupplyChainEvent");
        }
    }
    x.close("ram:ApplicableHeaderTradeDelivery");

    x.open("ram:ApplicableHeaderTradeSettlement");
    if let Some(payment) = &doc.payment {
        x.text("ram:PaymentReference", &payment.remittance);
    }
    x.text("ram:InvoiceCurrencyCode", Document::CURRENCY);
    if let Some(payment) = &doc.payment {
        x.open("ram:SpecifiedTradeSettlementPaymentMeans");
        x.text("ram:TypeCode", crate::PaymentInstructions::MEANS_CODE);
        x.open("ram:PayeePartyCreditorFinancialAccount");
        x.text("ram:IBANID", payment.iban.electronic());
        x.text("ram:AccountName", &payment.account_name);
        x.close("ram:PayeePartyCreditorFinancialAccount");
        if let Some(bic) = &payment.bic {
            x.open("ram:PayeeSpecifiedCreditorFinancialInstitution");
            x.text("ram:BICID", bic.as_str());
            x.close("ram:PayeeSpecifiedCreditorFinancialInstitution");
        }
        x.close("ram:SpecifiedTradeSettlementPaymentMeans");
    }
    for b in &doc.vat_breakdown {
        x.open("ram:ApplicableTradeTax");
        x.money("ram:CalculatedAmount", b.amount);
        x.text("ram:TypeCode", "VAT");
        if let Some(e) = &b.exemption {
            x.text("ram:ExemptionReason", e.text());
        }
        x.money("ram:BasisAmount", b.base);
        x.text("ram:CategoryCode", b.category.code());
        if let Some(e) = &b.exemption {
            x.text("ram:ExemptionReasonCode", e.code());
        }
        if b.category != VatCategory::OutOfScope {
            x.rate("ram:RateApplicablePercent", b.rate);
        }
        x.close("ram:ApplicableTradeTax");
    }
    if let Some(period) = doc.period {
        x.open("ram:BillingSpecifiedPeriod");
        x.cii_date("ram:StartDateTime", "udt:DateTimeString", period.start());
        x.cii_date("ram:EndDateTime", "udt:DateTimeString", period.end());
        x.close("ram:BillingSpecifiedPeriod");
    }
    for ac in &doc.allowances_charges {
        x.open("ram:SpecifiedTradeAllowanceCharge");
        x.open("ram:ChargeIndicator");
        x.text(
            "udt:Indicator",
            match ac.kind {
                AllowanceChargeKind::Allowance => "false",
                AllowanceChargeKind::Charge => "true",
            },
        );
        x.close("ram:ChargeIndicator");
        if let Some((base, percentage)) = ac.percentage {
            x.rate("ram:CalculationPercent", percentage);
            x.money("ram:BasisAmount", base);
        }
        x.money("ram:ActualAmount", ac.amount);
        if let Some(code) = ac.reason_code {
            x.text("ram:ReasonCode", code);
        }
        x.text("ram:Reason", &ac.reason);
        category_tax(&mut x, "ram:CategoryTradeTax", ac.category, ac.rate);
        x.close("ram:SpecifiedTradeAllowanceCharge");
    }
    x.open("ram:SpecifiedTradePaymentTerms");
    x.text("ram:Description", &doc.payment_terms);
    if let Some(due) = doc.due_date {
        x.cii_date("ram:DueDateDateTime", "udt:DateTimeString", due);
    }
    x.close("ram:SpecifiedTradePaymentTerms");

    let t = &doc.totals;
    x.open("ram:SpecifiedTradeSettlementHeaderMonetarySummation");
    x.money("ram:LineTotalAmount", t.lines);
    if !doc.allowances_charges.is_empty() {
        x.money("ram:ChargeTotalAmount", t.charges);
        x.money("ram:AllowanceTotalAmount", t.allowances);
    }
    x.money("ram:TaxBasisTotalAmount", t.without_vat);
    x.money_with("ram:TaxTotalAmount", "currencyID", t.vat);
    x.money("ram:GrandTotalAmount", t.with_vat);
    if t.prepaid.cents() != 0 {
        x.money("ram:TotalPrepaidAmount", t.prepaid);
    }
    x.money("ram:DuePayableAmount", t.payable);
    x.close("ram:SpecifiedTradeSettlementHeaderMonetarySummation");
    if let (DocumentType::CreditNote, Some(of)) = (doc.kind, &doc.preceding) {
        x.open("ram:InvoiceReferencedDocument");
        x.text("ram:IssuerAssignedID", &of.number);
        x.cii_date(
            "ram:FormattedIssueDateTime",
            "qdt:DateTimeString",
            of.issue_date,
        );
        x.close("ram:InvoiceReferencedDocument");
    }
    x.close("ram:ApplicableHeaderTradeSettlement");
    x.close("rsm:SupplyChainTradeTransaction");
    x.close("rsm:CrossIndustryInvoice");
    x.finish()
}

/// `ram:ApplicableTradeTax` of a line or `ram:CategoryTradeTax` of an allowance: type,
/// category and rate (no rate for O, BR-O-05..07).
fn category_tax(x: &mut Xml, name: &str, category: VatCategory, rate: ensemble_domain::Rate) {
    x.open(name);
    x.text("ram:TypeCode", "VAT");
    x.text("ram:CategoryCode", category.code());
    if category != VatCategory::OutOfScope {
        x.rate("ram:RateApplicablePercent", rate);
    }
    x.close(name);
}

fn party(x: &mut Xml, name: &str, p: &Party) {
    x.open(name);
    if let Some(id) = &p.identifier {
        x.text_with("ram:GlobalID", &[("schemeID", id.scheme())], id.value());
    }
    x.text("ram:Name", &p.name);
    if let Some(legal) = &p.legal_id {
        x.open("ram:SpecifiedLegalOrganization");
        x.text_with("ram:ID", &[("schemeID", legal.scheme())], legal.value());
        x.close("ram:SpecifiedLegalOrganization");
    }
    address(x, &p.address);
    if let Some(e) = &p.electronic_address {
        x.open("ram:URIUniversalCommunication");
        x.text_with("ram:URIID", &[("schemeID", e.scheme())], e.value());
        x.close("ram:URIUniversalCommunication");
    }
    if let Some(vat) = &p.vat_id {
        x.open("ram:SpecifiedTaxRegistration");
        x.text_with("ram:ID", &[("schemeID", "VA")], vat.as_str());
        x.close("ram:SpecifiedTaxRegistration");
    }
    x.close(name);
}

fn address(x: &mut Xml, a: &PostalAddress) {
    x.open("ram:PostalTradeAddress");
    if let Some(postcode) = a.postcode() {
        x.text("ram:PostcodeCode", postcode);
    }
    for (line, name) in a
        .lines()
        .iter()
        .zip(["ram:LineOne", "ram:LineTwo", "ram:LineThree"])
    {
        x.text(name, line);
    }
    x.text("ram:CityName", a.city());
    x.text("ram:CountryID", a.country().as_str());
    x.close("ram:PostalTradeAddress");
}
