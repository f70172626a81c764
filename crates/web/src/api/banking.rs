//! The treasury's routes (accountants and administrators): payout batches and their pain.001
//! files, bank statements imported as camt.053 (a `multipart/form-data` field `file`, or the
//! XML itself as the body), and the staff queue of statement lines nothing matched.

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::multipart::MultipartError;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use ensemble_app::payments::{InvoicePayment, NewPayment, RecordedPayment};
use ensemble_app::payouts::{NewPayoutBatch, PayoutBatch};
use ensemble_app::statements::{Assignment, Dismissal, Resolution, StatementImport};
use ensemble_app::{App, AppError, Idempotency};
use ensemble_domain::{EntityId, InvoiceId};
use ensemble_store::banking::{PayoutBatchRecord, QueueRecord};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use super::doc::{
    Binary, Conflict, Forbidden, IdempotencyKey, Invalid, NotFound, TooLarge, Unauthorized,
};
use super::{Created, Result, created, id};
use crate::ApiError;
use crate::extract::{Auth, Input, Query};

/// The largest statement accepted: a month of a busy account (100 000 lines is about 70 MB).
pub(crate) const STATEMENT_BODY_LIMIT: usize = 128 * 1024 * 1024;

pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(create_payout, payouts))
        .routes(routes!(payout))
        .routes(routes!(pain001))
        .routes(routes!(reject_payout))
        .routes(routes!(import_statement).layer(DefaultBodyLimit::max(STATEMENT_BODY_LIMIT)))
        .routes(routes!(queue))
        .routes(routes!(assign))
        .routes(routes!(dismiss))
        .routes(routes!(record_payment, invoice_payments))
}

/// Creates the payout batch of an entity: one pain.001 file of its salaries and expenses due.
///
/// Every payslip of a month starting on or before the execution date and every approved or
/// reimbursed expense claim that no other batch holds (the bank's rejection frees them); an
/// approved claim is reimbursed from its activity's budget first, or listed in `skipped`.
/// The transfers are held as pending transfers in the books until a statement shows them.
#[utoipa::path(post, path = "/payouts", tag = "banking", params(IdempotencyKey),
    request_body = NewPayoutBatch,
    responses((status = 201, description = "The batch and its transfers", body = PayoutBatch),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 422, response = Invalid)))]
async fn create_payout(
    State(app): State<App>,
    Auth(a): Auth,
    input: Input<NewPayoutBatch>,
) -> Result<Created<PayoutBatch>> {
    Ok(created(
        app.create_payout_batch(&a, &input.value, input.idempotency.as_ref())
            .await?,
    ))
}

/// `?entity=…`
#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct EntityQuery {
    /// Only this entity's.
    #[param(value_type = Option<EntityId>)]
    entity: Option<String>,
}

fn entity(q: Option<&str>) -> Result<Option<EntityId>> {
    q.map(|e| {
        e.parse::<EntityId>()
            .map_err(|err| ApiError::invalid(Some("entity"), err.to_string()))
    })
    .transpose()
}

/// Lists the payout batches, newest first.
#[utoipa::path(get, path = "/payouts", tag = "banking", params(EntityQuery),
    responses((status = 200, description = "The batches", body = Vec<PayoutBatchRecord>),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 422, response = Invalid)))]
async fn payouts(
    State(app): State<App>,
    Auth(a): Auth,
    Query(q): Query<EntityQuery>,
) -> Result<Json<Vec<PayoutBatchRecord>>> {
    Ok(Json(
        app.payout_batches(&a, entity(q.entity.as_deref())?).await?,
    ))
}

/// Reads a payout batch with its transfers.
#[utoipa::path(get, path = "/payouts/{id}", tag = "banking",
    params(("id" = String, Path, description = "The batch's id")),
    responses((status = 200, description = "The batch", body = PayoutBatch),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound)))]
async fn payout(
    State(app): State<App>,
    Auth(a): Auth,
    Path(id): Path<String>,
) -> Result<Json<PayoutBatch>> {
    Ok(Json(app.payout_batch(&a, &id).await?))
}

/// Downloads a batch's pain.001.001.09 file, to send to the bank.
#[utoipa::path(get, path = "/payouts/{id}/pain001", operation_id = "payout_file", tag = "banking",
    params(("id" = String, Path, description = "The batch's id")),
    responses((status = 200, description = "The ISO 20022 pain.001.001.09 file",
            content((Binary = "application/xml")),
            headers(("Content-Disposition" = String, description = "`attachment` named after the message id"))),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound)))]
async fn pain001(
    State(app): State<App>,
    Auth(a): Auth,
    Path(id): Path<String>,
) -> Result<Response> {
    let (message_id, xml) = app.payout_file(&a, &id).await?;
    let mut response = Response::new(Body::from(xml));
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"{message_id}.xml\""))
            .unwrap_or_else(|_| HeaderValue::from_static("attachment")),
    );
    Ok(response)
}

/// Why the bank refused a batch.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct PayoutRejection {
    /// The bank's reason (a pain.002 status reason code and text, say).
    #[schema(min_length = 1)]
    reason: String,
}

/// Records that the bank rejected a pending batch.
///
/// Its transfers are voided in the books and its payslips and claims go in the next batch.
#[utoipa::path(post, path = "/payouts/{id}/reject", operation_id = "reject_payout", tag = "banking",
    params(("id" = String, Path, description = "The batch's id"), IdempotencyKey),
    request_body = PayoutRejection,
    responses((status = 200, description = "The rejected batch", body = PayoutBatch),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 422, response = Invalid)))]
async fn reject_payout(
    State(app): State<App>,
    Auth(a): Auth,
    Path(id): Path<String>,
    input: Input<PayoutRejection>,
) -> Result<Json<PayoutBatch>> {
    Ok(Json(
        app.reject_payout_batch(&a, &id, &input.value.reason, input.idempotency.as_ref())
            .await?,
    ))
}

/// The form of a statement upload (`multipart/form-data`).
#[derive(ToSchema)]
#[allow(dead_code)] // describes the form; `import_statement` reads it
struct StatementForm {
    /// A camt.053.001.08 or camt.053.001.02 file.
    file: Binary,
}

fn field_error(e: MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            code: "payload_too_large".into(),
            message: format!(
                "a statement is at most {STATEMENT_BODY_LIMIT} bytes: {}",
                e.body_text()
            ),
            field: Some("file".into()),
        }
    } else {
        ApiError::invalid(Some("file"), e.body_text())
    }
}

/// Imports a bank statement (camt.053.001.08 or .02).
///
/// Sent as `multipart/form-data` with a field `file`, or as the XML itself
/// (`application/xml`). Client payments are matched to open invoices (structured
/// communication, RF reference, then amount, name and date) and recorded; debits confirm
/// pending payout batches; unmatched credits go to the staff queue. A line already imported
/// (same fingerprint) is skipped, so the same statement twice changes nothing. A malformed
/// file is a 422 whose message names the element, and nothing is written.
#[utoipa::path(post, path = "/statements", operation_id = "import_statement", tag = "banking", params(IdempotencyKey),
    request_body(content((StatementForm = "multipart/form-data"), (Binary = "application/xml"))),
    responses((status = 201, description = "What the import did, statement by statement", body = StatementImport),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 409, response = Conflict), (status = 413, response = TooLarge),
        (status = 422, response = Invalid)))]
async fn import_statement(
    State(app): State<App>,
    Auth(a): Auth,
    headers: HeaderMap,
    request: Request,
) -> Result<Created<StatementImport>> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let bytes: Bytes = if content_type.starts_with("multipart/form-data") {
        let mut multipart = Multipart::from_request(request, &app)
            .await
            .map_err(|e| ApiError::invalid(Some("file"), e.body_text()))?;
        let mut file = None;
        while let Some(field) = multipart.next_field().await.map_err(field_error)? {
            match field.name() {
                Some("file") if file.is_none() => {
                    file = Some(field.bytes().await.map_err(field_error)?);
                }
                Some("file") => {
                    return Err(ApiError::invalid(
                        Some("file"),
                        "send one statement file per request",
                    ));
                }
                Some(other) => {
                    return Err(ApiError::invalid(
                        Some(other),
                        format!("unknown field `{other}`: expected `file`"),
                    ));
                }
                None => {}
            }
        }
        file.ok_or_else(|| {
            ApiError::invalid(
                Some("file"),
                "send the statement in a multipart field named file",
            )
        })?
    } else {
        Bytes::from_request(request, &app)
            .await
            .map_err(|e| ApiError {
                status: if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    StatusCode::PAYLOAD_TOO_LARGE
                } else {
                    StatusCode::UNPROCESSABLE_ENTITY
                },
                code: if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    "payload_too_large".into()
                } else {
                    "invalid".into()
                },
                message: format!("cannot read the statement: {}", e.body_text()),
                field: Some("file".into()),
            })?
    };
    if bytes.is_empty() {
        return Err(ApiError::invalid(Some("file"), "the statement is empty"));
    }
    let idempotency = match headers.get("idempotency-key") {
        None => None,
        Some(v) => {
            let key = v.to_str().map_err(|_| {
                ApiError::invalid(Some("Idempotency-Key"), "the key must be visible ASCII")
            })?;
            let mut request = b"POST /statements\n".to_vec();
            request.extend_from_slice(&bytes);
            Some(Idempotency::new(key, &request).map_err(AppError::from)?)
        }
    };
    Ok(created(
        app.import_statement(&a, &bytes, idempotency.as_ref())
            .await?,
    ))
}

/// `?entity=…&all=true`
#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct QueueQuery {
    /// Only this entity's.
    #[param(value_type = Option<EntityId>)]
    entity: Option<String>,
    /// Resolved lines too (default: only those waiting).
    all: Option<bool>,
}

/// The statement lines waiting for a person.
///
/// Credits nothing matched, oldest first, with the reason and the matcher's suggestions.
#[utoipa::path(get, path = "/reconciliation/queue", operation_id = "reconciliation_queue", tag = "banking", params(QueueQuery),
    responses((status = 200, description = "The queue", body = Vec<QueueRecord>),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 422, response = Invalid)))]
async fn queue(
    State(app): State<App>,
    Auth(a): Auth,
    Query(q): Query<QueueQuery>,
) -> Result<Json<Vec<QueueRecord>>> {
    Ok(Json(
        app.reconciliation_queue(&a, entity(q.entity.as_deref())?, q.all.unwrap_or(false))
            .await?,
    ))
}

/// Assigns a queued line to invoices by hand.
///
/// Its money goes to them in the order given, each getting at most what it owes; the rest is
/// recorded as an overpayment.
#[utoipa::path(post, path = "/reconciliation/queue/{line}/assign", operation_id = "assign_bank_line", tag = "banking",
    params(("line" = String, Path, description = "The line's fingerprint"), IdempotencyKey),
    request_body = Assignment,
    responses((status = 200, description = "The line, resolved, and the payments recorded", body = Resolution),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 422, response = Invalid)))]
async fn assign(
    State(app): State<App>,
    Auth(a): Auth,
    Path(line): Path<String>,
    input: Input<Assignment>,
) -> Result<Json<Resolution>> {
    Ok(Json(
        app.assign_bank_line(&a, &line, &input.value, input.idempotency.as_ref())
            .await?,
    ))
}

/// Takes a queued line out of the queue without paying any invoice.
///
/// For a refund, a transfer between accounts, anything that is no client's payment.
#[utoipa::path(post, path = "/reconciliation/queue/{line}/dismiss", operation_id = "dismiss_bank_line", tag = "banking",
    params(("line" = String, Path, description = "The line's fingerprint")),
    request_body = Dismissal,
    responses((status = 200, description = "The line, resolved", body = Resolution),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        (status = 422, response = Invalid)))]
async fn dismiss(
    State(app): State<App>,
    Auth(a): Auth,
    Path(line): Path<String>,
    input: Input<Dismissal>,
) -> Result<Json<Resolution>> {
    Ok(Json(app.dismiss_bank_line(&a, &line, &input.value).await?))
}

/// Records a payment made by hand on an invoice (accountants and administrators).
///
/// A cheque, cash, a transfer seen outside the imported statements, recorded exactly as a matched statement line's payment: the same postings in the books
/// (the fund's advances repaid first), the invoice `paid` once paid in full, what is paid
/// beyond what it owes left on the client's account. A cancelled or fully paid invoice is a
/// 409 (`invoice_not_open`), as is a reference recorded on the invoice already
/// (`payment_exists`).
#[utoipa::path(post, path = "/invoices/{id}/payments", operation_id = "record_payment", tag = "banking",
    params(("id" = InvoiceId, Path, description = "The invoice's id; a malformed id is a 404"), IdempotencyKey),
    request_body = NewPayment,
    responses((status = 201, description = "The payment recorded", body = RecordedPayment),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 422, response = Invalid)))]
async fn record_payment(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
    input: Input<NewPayment>,
) -> Result<Created<RecordedPayment>> {
    Ok(created(
        app.record_payment(
            &a,
            id::<InvoiceId>(&p, "invoice")?,
            &input.value,
            input.idempotency.as_ref(),
        )
        .await?,
    ))
}

/// Lists an invoice's payments (staff).
///
/// Statement lines' money and payments made by hand, oldest first.
#[utoipa::path(get, path = "/invoices/{id}/payments", operation_id = "invoice_payments", tag = "banking",
    params(("id" = InvoiceId, Path, description = "The invoice's id; a malformed id is a 404")),
    responses((status = 200, description = "The payments", body = Vec<InvoicePayment>),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound)))]
async fn invoice_payments(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Json<Vec<InvoicePayment>>> {
    Ok(Json(
        app.invoice_payments(&a, id::<InvoiceId>(&p, "invoice")?)
            .await?,
    ))
}
