//! Documents as files: an invoice as a Factur-X PDF, CII XML or UBL XML; a payslip and an
//! employment contract as PDFs. The same access rules as reading them: a member gets their
//! own (an invoice: of an activity they belong to), staff get every one.
//!
//! [`en16931_document`] is the one conversion from a stored invoice to the EN 16931 model;
//! the HTTP routes, the CLI and any batch export call it through these use cases.

use ensemble_documents::{
    ContractPdf, InvoicePdf, PayslipLine, PayslipPdf, PayslipTotals, contract_pdf, facturx_pdf,
    payslip_pdf,
};
use ensemble_domain::client::Client;
use ensemble_domain::contract::SocialDeclaration;
use ensemble_domain::coop::CooperativeEntity;
use ensemble_domain::invoice::Invoice;
use ensemble_domain::work::Declaration;
use ensemble_domain::{ContractId, InvoiceId, Money, PayslipId, Rate};
use ensemble_einvoice::{Document, DocumentExtras, Period, UblCustomization, cii, ubl};
use ensemble_store::PayslipRecord;

use crate::{Actor, App, AppError, AppResult};

/// The formats an invoice is exported in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvoiceFormat {
    /// PDF/A-3b with the CII XML embedded (Factur-X, EN 16931 profile).
    FacturX,
    /// UN/CEFACT CII D16B XML (the XML of Factur-X).
    Cii,
    /// UBL 2.1: Peppol BIS Billing 3.0 when both parties have a Peppol address, plain
    /// EN 16931 otherwise.
    Ubl,
}

impl std::str::FromStr for InvoiceFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<InvoiceFormat, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "facturx" | "factur-x" | "pdf" => Ok(InvoiceFormat::FacturX),
            "cii" => Ok(InvoiceFormat::Cii),
            "ubl" | "peppol" => Ok(InvoiceFormat::Ubl),
            other => Err(format!(
                "unknown invoice format \"{other}\": facturx, cii or ubl"
            )),
        }
    }
}

/// A file to hand out: its suggested name, MIME type and bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportedFile {
    pub file_name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// The EN 16931 document of a stored invoice, issued by `entity` to `client` for the activity
/// named `activity`; the declaration it came from, when there is one, gives the invoicing
/// period (BG-14).
pub fn en16931_document(
    invoice: &Invoice,
    entity: &CooperativeEntity,
    client: &Client,
    activity: &str,
    declaration: Option<&Declaration>,
) -> AppResult<Document> {
    let invoicing_period = declaration
        .map(|d| Period::new(d.work.period.start(), d.work.period.end()))
        .transpose()
        .map_err(|e| AppError::Internal(format!("invoice {}: {e}", invoice.number)))?;
    let extras = DocumentExtras {
        invoicing_period,
        ..DocumentExtras::default()
    };
    Document::from_invoice(invoice, entity, client, activity, &extras).map_err(|e| {
        AppError::conflict(
            "not_en16931",
            format!(
                "invoice {} cannot be written as an EN 16931 e-invoice: {e}",
                invoice.number
            ),
        )
    })
}

/// The UBL customization for a document: Peppol when it is ready for Peppol.
fn ubl_customization(doc: &Document) -> UblCustomization {
    if ubl::peppol_ready(doc).is_ok() {
        UblCustomization::PeppolBis3
    } else {
        UblCustomization::En16931
    }
}

fn money(v: Option<&serde_json::Value>) -> Money {
    v.and_then(|v| match v {
        serde_json::Value::String(s) => s.parse::<Money>().ok(),
        serde_json::Value::Number(n) => n.to_string().parse::<Money>().ok(),
        _ => None,
    })
    .unwrap_or(Money::ZERO)
}

fn rate(v: Option<&serde_json::Value>) -> Option<Rate> {
    v.and_then(|v| match v {
        serde_json::Value::String(s) => Rate::parse_percent(s).ok(),
        serde_json::Value::Number(n) => Rate::parse_percent(&n.to_string()).ok(),
        _ => None,
    })
}

/// The lines and totals of a stored payslip (the engine's JSON).
fn payslip_parts(p: &PayslipRecord) -> (Vec<PayslipLine>, PayslipTotals) {
    let lines = p
        .lines
        .as_array()
        .map(|lines| {
            lines
                .iter()
                .map(|l| PayslipLine {
                    label: l
                        .get("label")
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_string(),
                    base: money(l.get("base")),
                    employee_rate: rate(l.get("employee_rate")),
                    employee_amount: money(l.get("employee_amount")),
                    employer_rate: rate(l.get("employer_rate")),
                    employer_amount: money(l.get("employer_amount")),
                })
                .collect()
        })
        .unwrap_or_default();
    let t = |k: &str| money(p.totals.get(k));
    let totals = PayslipTotals {
        gross: t("gross"),
        employee_contributions: t("employee_contributions"),
        net_before_tax: t("net_before_tax"),
        withholding_tax: t("withholding_tax"),
        net_paid: t("net_paid"),
        employer_contributions: t("employer_contributions"),
        employer_reliefs: t("employer_reliefs"),
        employer_cost: t("employer_cost"),
    };
    (lines, totals)
}

fn pdf_error(e: ensemble_documents::PdfError) -> AppError {
    AppError::Internal(e.to_string())
}

impl App {
    /// An invoice (or credit note) as a file in `format`.
    pub async fn export_invoice(
        &self,
        actor: &Actor,
        id: InvoiceId,
        format: InvoiceFormat,
    ) -> AppResult<ExportedFile> {
        let invoice = self.invoice(actor, id).await?;
        let mut tx = self.store.read().await?;
        let entity = tx.entity(invoice.entity_id).await?;
        let client = tx.client(invoice.client_id).await?;
        let activity = tx.activity(invoice.activity_id).await?;
        let declaration = match invoice.declaration_id {
            Some(d) => Some(tx.declaration(d).await?),
            None => None,
        };
        drop(tx);
        let doc = en16931_document(
            &invoice,
            &entity,
            &client,
            &activity.name,
            declaration.as_ref(),
        )?;
        let number = invoice.number.to_string();
        Ok(match format {
            InvoiceFormat::FacturX => ExportedFile {
                file_name: format!("{number}.pdf"),
                content_type: "application/pdf",
                bytes: facturx_pdf(&InvoicePdf {
                    document: &doc,
                    lang: invoice.lang,
                    activity: &activity.name,
                    payment_reference: &invoice.payment_reference,
                })
                .map_err(pdf_error)?,
            },
            InvoiceFormat::Cii => ExportedFile {
                file_name: format!("{number}.cii.xml"),
                content_type: "application/xml",
                bytes: cii::write(&doc),
            },
            InvoiceFormat::Ubl => ExportedFile {
                file_name: format!("{number}.ubl.xml"),
                content_type: "application/xml",
                bytes: ubl::write(&doc, ubl_customization(&doc)).map_err(|e| {
                    AppError::conflict(
                        "not_en16931",
                        format!("invoice {number} cannot be written as UBL: {e}"),
                    )
                })?,
            },
        })
    }

    /// A payslip as a PDF, in the member's language.
    pub async fn export_payslip(&self, actor: &Actor, id: PayslipId) -> AppResult<ExportedFile> {
        let record = self.payslip(actor, id).await?;
        let mut tx = self.store.read().await?;
        let entity = tx.entity(record.entity_id).await?;
        let member = tx.member(record.member_id).await?;
        let activity = tx.activity(record.activity_id).await?;
        let declaration = match record.declaration_id {
            Some(d) => Some(tx.declaration(d).await?),
            None => None,
        };
        drop(tx);
        let lang = member.lang;
        let (lines, totals) = payslip_parts(&record);
        let contract = record
            .contract_kind
            .parse::<ensemble_domain::Contract>()
            .map(|k| ensemble_documents::text::contract_kind(lang, k).to_string())
            .unwrap_or_else(|_| record.contract_kind.clone());
        let status = record
            .status
            .parse::<ensemble_domain::Status>()
            .map(|s| ensemble_documents::text::status(lang, s).to_string())
            .unwrap_or_else(|_| record.status.clone());
        let bytes = payslip_pdf(&PayslipPdf {
            lang,
            employer: &entity,
            employee: &member,
            activity: &activity.name,
            month: record.month,
            contract,
            status,
            reference: record.id.to_string(),
            lines,
            totals,
            breakdown: declaration.map(|d| d.breakdown),
        })
        .map_err(pdf_error)?;
        Ok(ExportedFile {
            file_name: format!(
                "payslip-{}-{:02}.pdf",
                record.month.year(),
                record.month.number()
            ),
            content_type: "application/pdf",
            bytes,
        })
    }

    /// An employment contract as a PDF, in the member's language.
    pub async fn export_contract(&self, actor: &Actor, id: ContractId) -> AppResult<ExportedFile> {
        let detail = self.contract(actor, id).await?;
        let c = &detail.contract;
        let mut tx = self.store.read().await?;
        let entity = tx.entity(c.entity_id).await?;
        let member = tx.member(c.member_id).await?;
        let activity = tx.activity(c.activity_id).await?;
        drop(tx);
        let declarations = detail
            .social_declarations
            .iter()
            .map(|s| {
                let what = match &s.declaration {
                    SocialDeclaration::DimonaIn { start, end, .. } => {
                        format!("Dimona IN {start} – {end}")
                    }
                    SocialDeclaration::Dpae { start, .. } => format!("DPAE {start}"),
                };
                format!("{what} ({})", s.status)
            })
            .collect();
        let bytes = contract_pdf(&ContractPdf {
            lang: member.lang,
            employer: &entity,
            employee: &member,
            contract: c,
            activity: &activity.name,
            declarations,
        })
        .map_err(pdf_error)?;
        Ok(ExportedFile {
            file_name: format!("{}.pdf", c.number),
            content_type: "application/pdf",
            bytes,
        })
    }
}
