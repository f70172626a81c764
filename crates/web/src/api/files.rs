//! Documents as files: an invoice as a Factur-X PDF, CII or UBL XML; a payslip and a contract
//! as PDFs. The access rules are those of the JSON reads (`GET /invoices/{id}`…).

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use ensemble_app::App;
use ensemble_app::exports::{ExportedFile, InvoiceFormat};
use ensemble_domain::{ContractId, InvoiceId, PayslipId};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::doc::{Conflict, Forbidden, NotFound, Unauthorized};
use super::{Result, id};
use crate::extract::Auth;

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(invoice_facturx))
        .routes(routes!(invoice_cii))
        .routes(routes!(invoice_ubl))
        .routes(routes!(payslip_pdf))
        .routes(routes!(contract_pdf))
}

/// The file as a download, named after the document.
fn download(file: ExportedFile) -> Response {
    let disposition = HeaderValue::from_str(&format!(
        "attachment; filename=\"{}\"",
        file.file_name.replace(['"', '\\'], "_")
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    let mut response = Response::new(Body::from(file.bytes));
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file.content_type),
    );
    h.insert(header::CONTENT_DISPOSITION, disposition);
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    response
}

async fn invoice_file(
    app: &App,
    a: &ensemble_app::Actor,
    p: &str,
    format: InvoiceFormat,
) -> Result<Response> {
    let file = app
        .export_invoice(a, id::<InvoiceId>(p, "invoice")?, format)
        .await?;
    Ok(download(file))
}

/// Downloads an invoice (or credit note) as a Factur-X PDF.
///
/// A PDF/A-3b in the invoice's language, with the UN/CEFACT CII XML (Factur-X EN 16931
/// profile) embedded as `factur-x.xml`, the entity's legal mentions and an EPC QR code for
/// the SEPA transfer.
#[utoipa::path(get, path = "/invoices/{id}/facturx.pdf", operation_id = "invoice_facturx_pdf", tag = "documents",
    params(("id" = InvoiceId, Path, description = "The invoice's id; a malformed id is a 404")),
    responses((status = 200, description = "The Factur-X PDF",
            content((super::doc::Binary = "application/pdf")),
            headers(("Content-Disposition" = String, description = "`attachment` with the invoice number as the file name"))),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict)))]
async fn invoice_facturx(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Response> {
    invoice_file(&app, &a, &p, InvoiceFormat::FacturX).await
}

/// Downloads an invoice (or credit note) as UN/CEFACT CII D16B XML.
///
/// The XML a Factur-X PDF embeds (EN 16931 profile; French invoices carry the reform's
/// fields).
#[utoipa::path(get, path = "/invoices/{id}/cii.xml", operation_id = "invoice_cii_xml", tag = "documents",
    params(("id" = InvoiceId, Path, description = "The invoice's id; a malformed id is a 404")),
    responses((status = 200, description = "The CII XML",
            content((super::doc::Binary = "application/xml")),
            headers(("Content-Disposition" = String, description = "`attachment` with the invoice number as the file name"))),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict)))]
async fn invoice_cii(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Response> {
    invoice_file(&app, &a, &p, InvoiceFormat::Cii).await
}

/// Downloads an invoice (or credit note) as UBL 2.1 XML.
///
/// Peppol BIS Billing 3.0 when seller and buyer have Peppol addresses, plain EN 16931 UBL
/// otherwise (a consumer).
#[utoipa::path(get, path = "/invoices/{id}/ubl.xml", operation_id = "invoice_ubl_xml", tag = "documents",
    params(("id" = InvoiceId, Path, description = "The invoice's id; a malformed id is a 404")),
    responses((status = 200, description = "The UBL XML",
            content((super::doc::Binary = "application/xml")),
            headers(("Content-Disposition" = String, description = "`attachment` with the invoice number as the file name"))),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict)))]
async fn invoice_ubl(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Response> {
    invoice_file(&app, &a, &p, InvoiceFormat::Ubl).await
}

/// Downloads a payslip as a PDF, in the member's language.
#[utoipa::path(get, path = "/payslips/{id}/payslip.pdf", operation_id = "payslip_pdf", tag = "documents",
    params(("id" = PayslipId, Path, description = "The payslip's id; a malformed id is a 404")),
    responses((status = 200, description = "The payslip PDF",
            content((super::doc::Binary = "application/pdf")),
            headers(("Content-Disposition" = String, description = "`attachment` with the month as the file name"))),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound)))]
async fn payslip_pdf(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Response> {
    let file = app
        .export_payslip(&a, id::<PayslipId>(&p, "payslip")?)
        .await?;
    Ok(download(file))
}

/// Downloads an employment contract as a PDF, in the member's language.
#[utoipa::path(get, path = "/contracts/{id}/contract.pdf", operation_id = "contract_pdf", tag = "documents",
    params(("id" = ContractId, Path, description = "The contract's id; a malformed id is a 404")),
    responses((status = 200, description = "The contract PDF",
            content((super::doc::Binary = "application/pdf")),
            headers(("Content-Disposition" = String, description = "`attachment` with the contract number as the file name"))),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound)))]
async fn contract_pdf(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Response> {
    let file = app
        .export_contract(&a, id::<ContractId>(&p, "contract")?)
        .await?;
    Ok(download(file))
}
