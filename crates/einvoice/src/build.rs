//! Building a [`Document`] from Ensemble's domain: an issued invoice (or credit note), the
//! cooperative entity that issues it, the client it is issued to, and what the domain does
//! not hold (allowances and charges, the invoice a credit note corrects, references).

use ensemble_domain::DocumentKind;
use ensemble_domain::client::{Client, ClientKind, CompanyId, VatCategory};
use ensemble_domain::coop::{CooperativeEntity, LegalId};
use ensemble_domain::identifiers::{PeppolId, Siren};
use ensemble_domain::invoice::{Invoice, totals as domain_totals};
use ensemble_domain::{Country, Rate};

use crate::codes;
use crate::error::BuildError;
use crate::model::{
    AllowanceCharge, BillingFramework, Delivery, Document, DocumentType, ElectronicAddress,
    Exemption, Line, Note, NoteSubject, Party, PaymentInstructions, Period, PrecedingInvoice,
    SchemedId,
};
use crate::totals;

/// What an EN 16931 document needs beyond the domain's invoice.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocumentExtras {
    /// BT-10: the buyer's reference (its routing or purchase reference). Without it and
    /// without an order reference the document number is used (Peppol requires one).
    pub buyer_reference: Option<String>,
    /// BT-13: the buyer's purchase order.
    pub order_reference: Option<String>,
    /// BG-20 / BG-21: document-level allowances and charges.
    pub allowances_charges: Vec<AllowanceCharge>,
    /// BG-3: the invoice a credit note corrects (required for credit notes).
    pub credit_note_of: Option<PrecedingInvoice>,
    /// BG-14: the period the work was done (the declaration's period).
    pub invoicing_period: Option<Period>,
    /// BG-13: delivery date and country (intra-Community supplies need one of date or
    /// period; the country defaults to the buyer's).
    pub delivery: Option<Delivery>,
    /// Indexes (from 0) of the lines that supply goods; lines in categories K and G are
    /// goods anyway, every other line is a service.
    pub goods_lines: Vec<usize>,
    /// BT-120/BT-121 for exempt (E) lines, which the domain does not qualify.
    pub exemption: Option<Exemption>,
    /// BT-34, when the seller's is not the default (Belgium: `0208:<enterprise number>`;
    /// France: `0225:<SIREN>`, the French reform's directory address).
    pub seller_electronic_address: Option<ElectronicAddress>,
    /// BT-49, when the client's Peppol id, company number, VAT number or e-mail address is
    /// not the one to use.
    pub buyer_electronic_address: Option<ElectronicAddress>,
}

impl Document {
    /// The EN 16931 document of an invoice or credit note of `seller`, issued to `buyer` for
    /// the member's activity named `activity`.
    ///
    /// The kind follows the number (`INV-…` invoice 380, `CRN-…` credit note 381). Totals
    /// are recomputed from the lines and `extras.allowances_charges`; without allowances
    /// or charges they must equal the invoice's stored totals.
    pub fn from_invoice(
        invoice: &Invoice,
        seller: &CooperativeEntity,
        buyer: &Client,
        activity: &str,
        extras: &DocumentExtras,
    ) -> Result<Document, BuildError> {
        seller.check().map_err(BuildError::Seller)?;
        buyer.check().map_err(BuildError::Buyer)?;
        if invoice.entity_id != seller.id {
            return Err(BuildError::Mismatch {
                field: "entity",
                expected: invoice.entity_id.to_string(),
                given: seller.id.to_string(),
            });
        }
        if invoice.client_id != buyer.id {
            return Err(BuildError::Mismatch {
                field: "client",
                expected: invoice.client_id.to_string(),
                given: buyer.id.to_string(),
            });
        }
        let number = invoice.number.to_string();
        let kind = match invoice.number.kind() {
            DocumentKind::Invoice => DocumentType::Invoice,
            DocumentKind::CreditNote => DocumentType::CreditNote,
            _ => return Err(BuildError::NotAnInvoice(number)),
        };
        match (kind, &extras.credit_note_of) {
            (DocumentType::CreditNote, None) => {
                return Err(BuildError::CreditNoteWithoutInvoice(number));
            }
            (DocumentType::Invoice, Some(_)) => return Err(BuildError::PrecedingOnInvoice(number)),
            _ => {}
        }
        if let Some(of) = &extras.credit_note_of {
            let n = non_empty("credit_note_of.number (BT-25)", &of.number)?;
            if n.chars().count() > 35 || n.contains(char::is_whitespace) {
                return Err(BuildError::Text {
                    field: "credit_note_of.number (BT-25)",
                    reason: format!(
                        "\"{n}\" is not an invoice number (at most 35 characters, no spaces: BR-FR-01, BR-FR-02)"
                    ),
                });
            }
            if of.issue_date > invoice.issue_date {
                return Err(BuildError::Text {
                    field: "credit_note_of.issue_date (BT-26)",
                    reason: format!(
                        "the corrected invoice ({}) is dated after the credit note ({})",
                        of.issue_date, invoice.issue_date
                    ),
                });
            }
        }
        if invoice.lines.is_empty() {
            return Err(BuildError::NoLines);
        }
        let stored = domain_totals(&invoice.lines);
        if stored != invoice.totals {
            return Err(BuildError::StaleTotals {
                stored: format!(
                    "net {} VAT {} total {}",
                    invoice.totals.net, invoice.totals.vat, invoice.totals.with_vat
                ),
                computed: format!(
                    "net {} VAT {} total {}",
                    stored.net, stored.vat, stored.with_vat
                ),
            });
        }
        let activity = non_empty("activity", activity)?;
        let buyer_reference = match &extras.buyer_reference {
            Some(r) => non_empty("buyer_reference (BT-10)", r)?,
            None => number.clone(),
        };
        let order_reference = extras
            .order_reference
            .as_deref()
            .map(|r| non_empty("order_reference (BT-13)", r))
            .transpose()?;
        if let Some(&i) = extras
            .goods_lines
            .iter()
            .find(|&&i| i >= invoice.lines.len())
        {
            return Err(BuildError::NoSuchLine(i));
        }

        // Lines and the VAT of every line, allowance and charge.
        let country = seller.country.code();
        let mut lines = Vec::with_capacity(invoice.lines.len());
        for (i, l) in invoice.lines.iter().enumerate() {
            let id = (i + 1).to_string();
            check_vat(&format!("line {id}"), l.vat.category, l.vat.rate, country)?;
            lines.push(Line {
                name: non_empty("line description (BT-153)", &l.description)?,
                id,
                quantity: l.quantity,
                unit_code: l.unit_code.clone(),
                net_price: l.unit_price,
                net_amount: l.net,
                category: l.vat.category,
                rate: l.vat.rate,
                goods: extras.goods_lines.contains(&i)
                    || matches!(
                        l.vat.category,
                        VatCategory::IntraCommunity | VatCategory::Export
                    ),
            });
        }
        for ac in &extras.allowances_charges {
            check_vat(
                &format!("allowance or charge \"{}\"", ac.reason),
                ac.category,
                ac.rate,
                country,
            )?;
        }
        let categories: Vec<VatCategory> = lines
            .iter()
            .map(|l| l.category)
            .chain(extras.allowances_charges.iter().map(|a| a.category))
            .collect();
        let has = |c: VatCategory| categories.contains(&c);
        let out_of_scope = has(VatCategory::OutOfScope);
        if out_of_scope
            && let Some(other) = categories.iter().find(|c| **c != VatCategory::OutOfScope)
        {
            return Err(BuildError::OutOfScopeMixed(other.code()));
        }
        if has(VatCategory::ReverseCharge) && buyer.vat_id.is_none() && buyer.company_id.is_none() {
            return Err(BuildError::BuyerVatIdMissing {
                category: "AE",
                rule: "BR-AE-02",
                or_legal: " or its legal registration number",
            });
        }
        let mut delivery = extras.delivery;
        if has(VatCategory::IntraCommunity) {
            if buyer.vat_id.is_none() {
                return Err(BuildError::BuyerVatIdMissing {
                    category: "K",
                    rule: "BR-IC-02",
                    or_legal: "",
                });
            }
            if extras.delivery.and_then(|d| d.date).is_none() && extras.invoicing_period.is_none() {
                return Err(BuildError::DeliveryMissing);
            }
            delivery = Some(Delivery {
                date: extras.delivery.and_then(|d| d.date),
                country: extras
                    .delivery
                    .map(|d| d.country)
                    .unwrap_or(buyer.address.country()),
            });
        }
        if has(VatCategory::Exempt) && extras.exemption.is_none() {
            return Err(BuildError::ExemptionMissing);
        }

        // Totals and the VAT breakdown with the reason of every category without VAT.
        let (mut vat_breakdown, totals) = totals::compute(&lines, &extras.allowances_charges)?;
        if totals.payable.is_negative() {
            return Err(BuildError::NegativeTotal(totals.payable.to_string()));
        }
        for b in &mut vat_breakdown {
            b.exemption = match b.category {
                VatCategory::Exempt => extras.exemption.clone(),
                c => codes::default_exemption(c, invoice.lang)
                    .map(|(code, text)| Exemption::known(code, text)),
            };
        }

        // The parties.
        let seller_party = seller_party(seller, out_of_scope, extras);
        let buyer_party = buyer_party(buyer, out_of_scope, extras);

        // Notes: the activity, then the French mandatory mentions.
        let mut notes = vec![Note {
            subject: None,
            text: codes::activity_note(invoice.lang, &seller.name, &activity),
        }];
        let french = seller.country == Country::Fr;
        if french {
            for (code, text) in codes::french_notes(buyer.kind) {
                notes.push(Note {
                    subject: NoteSubject::from_code(code),
                    text: text.to_string(),
                });
            }
        }
        let billing_framework = french.then(|| {
            let goods = lines.iter().filter(|l| l.goods).count();
            if goods == lines.len() {
                BillingFramework::Goods
            } else if goods == 0 {
                BillingFramework::Services
            } else {
                BillingFramework::Mixed
            }
        });

        let reference = invoice.payment_reference.as_str().to_string();
        let (due_date, payment, payment_terms) = match (kind, &extras.credit_note_of) {
            (DocumentType::CreditNote, Some(of)) => {
                (None, None, codes::credit_terms(invoice.lang, &of.number))
            }
            _ => {
                let days = invoice
                    .due_date
                    .since(invoice.issue_date)
                    .map(|s| i64::from(s.get_days()))
                    .unwrap_or(0);
                (
                    Some(invoice.due_date),
                    Some(PaymentInstructions {
                        iban: seller.iban,
                        bic: seller.bic.clone(),
                        account_name: seller.name.clone(),
                        remittance: reference.clone(),
                    }),
                    codes::payment_terms(invoice.lang, days, &reference),
                )
            }
        };

        Ok(Document {
            kind,
            number,
            issue_date: invoice.issue_date,
            due_date,
            billing_framework,
            buyer_reference,
            order_reference,
            preceding: extras.credit_note_of.clone(),
            notes,
            seller: seller_party,
            buyer: buyer_party,
            delivery,
            period: extras.invoicing_period,
            payment,
            payment_terms,
            lines,
            allowances_charges: extras.allowances_charges.clone(),
            vat_breakdown,
            totals,
        })
    }
}

fn non_empty(field: &'static str, text: &str) -> Result<String, BuildError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(BuildError::Text {
            field,
            reason: "must not be empty".to_string(),
        });
    }
    Ok(t.to_string())
}

/// The rate of a category: an allowed standard rate for S, 0 % for every other category.
fn check_vat(
    place: &str,
    category: VatCategory,
    rate: Rate,
    country: &'static str,
) -> Result<(), BuildError> {
    match category {
        VatCategory::Standard => {
            if !codes::standard_rate_allowed(country, rate) {
                return Err(BuildError::RateNotAllowed {
                    place: place.to_string(),
                    rate: rate.to_string(),
                    country,
                    allowed: if country == "FR" {
                        "20, 10, 5.5, 2.1 (and the Corsican and overseas rates of BR-FR-16)"
                    } else {
                        "21, 12, 6"
                    },
                });
            }
        }
        other => {
            if !rate.is_zero() {
                return Err(BuildError::NonZeroRate {
                    place: place.to_string(),
                    category: other.code(),
                    rate: rate.to_string(),
                });
            }
        }
    }
    Ok(())
}

fn seller_party(seller: &CooperativeEntity, out_of_scope: bool, extras: &DocumentExtras) -> Party {
    let (identifier, legal_id, default_address) = match &seller.legal_id {
        LegalId::Siret(siret) => {
            let siren = Siren::of(siret);
            (
                Some(SchemedId::new("0009", siret.as_str())),
                SchemedId::new("0002", siren.as_str()),
                ElectronicAddress::french_ctc(siren.as_str()),
            )
        }
        LegalId::BeEnterprise(number) => (
            None,
            SchemedId::new("0208", number.as_str()),
            ElectronicAddress::peppol(&PeppolId::from(number)),
        ),
    };
    Party {
        name: seller.name.clone(),
        address: seller.address.clone(),
        identifier,
        legal_id: Some(legal_id),
        vat_id: (!out_of_scope).then(|| seller.vat_id.clone()),
        electronic_address: Some(
            extras
                .seller_electronic_address
                .clone()
                .unwrap_or(default_address),
        ),
    }
}

fn buyer_party(buyer: &Client, out_of_scope: bool, extras: &DocumentExtras) -> Party {
    let legal_id = match &buyer.company_id {
        Some(CompanyId::Siren(s)) => Some(SchemedId::new("0002", s.as_str())),
        Some(CompanyId::BeEnterprise(n)) => Some(SchemedId::new("0208", n.as_str())),
        None => None,
    };
    let electronic_address = extras
        .buyer_electronic_address
        .clone()
        .or_else(|| buyer.peppol_id.as_ref().map(ElectronicAddress::peppol))
        .or_else(|| match &buyer.company_id {
            Some(CompanyId::BeEnterprise(n)) => Some(ElectronicAddress::peppol(&PeppolId::from(n))),
            Some(CompanyId::Siren(s)) => Some(ElectronicAddress::french_ctc(s.as_str())),
            None => None,
        })
        .or_else(|| buyer.vat_id.as_ref().and_then(ElectronicAddress::vat))
        .or_else(|| buyer.email.as_ref().map(ElectronicAddress::email));
    Party {
        name: buyer.name.clone(),
        address: buyer.address.clone(),
        identifier: None,
        legal_id,
        vat_id: if out_of_scope || buyer.kind == ClientKind::Person {
            None
        } else {
            buyer.vat_id.clone()
        },
        electronic_address,
    }
}
