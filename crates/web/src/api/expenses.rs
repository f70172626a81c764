//! The expenses routes: drafts saved with `PUT`, receipts uploaded as `multipart/form-data`
//! (field `file`, optional field `line`) and downloaded with their media type, submission,
//! approval, rejection and reimbursement.

use axum::body::Body;
use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};

use crate::extract::Query;
use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use ensemble_app::expenses::{
    AttachedReceipt, ExpenseClaimDetail, ExpenseDraft, NewExpenseClaim, ReceiptUpload,
    Reimbursement,
};
use ensemble_app::inputs::Rejection;
use ensemble_app::{App, AppError, Idempotency};
use ensemble_domain::ExpenseClaimId;
use ensemble_domain::expense::{ExpenseClaim, ExpenseStatus, MAX_RECEIPT_BYTES, ReceiptHash};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use super::doc::{
    Binary, Conflict, Forbidden, IdempotencyKey, Invalid, NotFound, TooLarge, Unauthorized,
};
use super::{Created, Result, created, id};
use crate::ApiError;
use crate::extract::{Auth, Input};

/// The largest upload body: a receipt of the largest size plus the multipart framing.
const UPLOAD_BODY_LIMIT: usize = MAX_RECEIPT_BYTES + 64 * 1024;

pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(one, save))
        .routes(routes!(upload).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)))
        .routes(routes!(submit))
        .routes(routes!(approve))
        .routes(routes!(reject))
        .routes(routes!(reimburse))
        .routes(routes!(download))
}

/// The form of a receipt upload (`multipart/form-data`).
#[derive(ToSchema)]
#[allow(dead_code)] // describes the form; `upload` reads its fields one by one
struct ReceiptForm {
    /// The file: a PDF, JPEG, PNG or HEIC of at most 10 MB (the content decides the type).
    file: Binary,
    /// The line (from 0) the receipt is for: it becomes that line's receipt.
    #[schema(nullable = false)]
    line: Option<u32>,
}

fn claim_id(p: &str) -> Result<ExpenseClaimId> {
    id::<ExpenseClaimId>(p, "expense claim")
}

/// Starts an expense claim: a draft, empty or with its first lines.
#[utoipa::path(post, path = "/expenses", operation_id = "create_expense_claim", tag = "expenses", params(IdempotencyKey),
    request_body = NewExpenseClaim,
    responses((status = 201, description = "The draft claim", body = ExpenseClaim),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        (status = 422, response = Invalid)))]
async fn create(
    State(app): State<App>,
    Auth(a): Auth,
    input: Input<NewExpenseClaim>,
) -> Result<Created<ExpenseClaim>> {
    Ok(created(
        app.create_expense_claim(&a, &input.value, input.idempotency.as_ref())
            .await?,
    ))
}

/// `?status=draft|submitted|approved|reimbursed|rejected`.
#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ExpenseQuery {
    /// Only those in this status.
    #[param(value_type = Option<ExpenseStatus>)]
    status: Option<String>,
}

/// Lists the expense claims the user sees (a member: their own), optionally by status.
#[utoipa::path(get, path = "/expenses", operation_id = "expense_claims", tag = "expenses", params(ExpenseQuery),
    responses((status = 200, description = "The claims", body = Vec<ExpenseClaim>),
        (status = 401, response = Unauthorized), (status = 422, response = Invalid)))]
async fn list(
    State(app): State<App>,
    Auth(a): Auth,
    Query(q): Query<ExpenseQuery>,
) -> Result<Json<Vec<ExpenseClaim>>> {
    let status = q
        .status
        .as_deref()
        .map(str::parse::<ExpenseStatus>)
        .transpose()
        .map_err(AppError::from)?;
    Ok(Json(app.expense_claims(&a, status).await?))
}

/// Reads an expense claim with its receipts.
#[utoipa::path(get, path = "/expenses/{id}", operation_id = "expense_claim", tag = "expenses", params(("id" = ExpenseClaimId, Path, description = "The claim's id; a malformed id is a 404")),
    responses((status = 200, description = "The claim", body = ExpenseClaimDetail),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound)))]
async fn one(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Json<ExpenseClaimDetail>> {
    Ok(Json(app.expense_claim(&a, claim_id(&p)?).await?))
}

/// Saves a draft claim whole: its title and lines (a rejected claim goes back to draft).
#[utoipa::path(put, path = "/expenses/{id}", operation_id = "save_expense_draft", tag = "expenses", params(("id" = ExpenseClaimId, Path, description = "The claim's id; a malformed id is a 404")),
    request_body = Option<ExpenseDraft>,
    responses((status = 200, description = "The claim with its totals", body = ExpenseClaim),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        (status = 422, response = Invalid)))]
async fn save(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
    input: Input<ExpenseDraft>,
) -> Result<Json<ExpenseClaim>> {
    Ok(Json(
        app.save_expense_draft(&a, claim_id(&p)?, &input.value)
            .await?,
    ))
}

/// A multipart failure in the error shape: 413 when the body is too large.
fn multipart_error(status: StatusCode, message: String) -> ApiError {
    let code = if status == StatusCode::PAYLOAD_TOO_LARGE {
        "payload_too_large"
    } else {
        "invalid"
    };
    ApiError {
        status,
        code: code.into(),
        message: if status == StatusCode::PAYLOAD_TOO_LARGE {
            format!("a receipt is at most 10 MB ({MAX_RECEIPT_BYTES} bytes): {message}")
        } else {
            message
        },
        field: Some("file".into()),
    }
}

/// A field that cannot be read: 413 when the body is too large, else 422 (a malformed form is
/// invalid input, like malformed JSON).
fn field_error(e: MultipartError) -> ApiError {
    let status = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        StatusCode::PAYLOAD_TOO_LARGE
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    multipart_error(status, e.body_text())
}

/// Attaches a receipt file to a claim, optionally to one of its lines.
///
/// Sent as `multipart/form-data` with a field `file` and an optional field `line`. The file
/// is stored once under its content hash however often it is attached.
#[utoipa::path(post, path = "/expenses/{id}/receipts", operation_id = "upload_receipt", tag = "expenses",
    params(("id" = ExpenseClaimId, Path, description = "The claim's id; a malformed id is a 404"), IdempotencyKey),
    request_body(content = ReceiptForm, content_type = "multipart/form-data"),
    responses((status = 201, description = "The receipt and the claim", body = AttachedReceipt),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        (status = 413, response = TooLarge), (status = 422, response = Invalid)))]
async fn upload(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
    headers: HeaderMap,
    multipart: std::result::Result<Multipart, MultipartRejection>,
) -> Result<Created<AttachedReceipt>> {
    let claim = claim_id(&p)?;
    let mut multipart = multipart.map_err(|e| {
        let status = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            e.status()
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        multipart_error(
            status,
            format!(
                "send the receipt as multipart/form-data with a field named file: {}",
                e.body_text()
            ),
        )
    })?;
    let mut file = None;
    let mut line = None;
    while let Some(field) = multipart.next_field().await.map_err(field_error)? {
        match field.name() {
            Some("file") => {
                if file.is_some() {
                    return Err(ApiError::invalid(
                        Some("file"),
                        "send one receipt file per request",
                    ));
                }
                let name = field.file_name().unwrap_or_default().to_string();
                let media_type = field.content_type().map(str::to_string);
                let bytes = field.bytes().await.map_err(field_error)?;
                file = Some((name, media_type, bytes));
            }
            Some("line") => {
                let text = field.text().await.map_err(field_error)?;
                let n = text.trim().parse::<usize>().map_err(|_| {
                    ApiError::invalid(
                        Some("line"),
                        format!("\"{text}\" is not a line number (from 0)"),
                    )
                })?;
                line = Some(n);
            }
            Some(other) => {
                return Err(ApiError::invalid(
                    Some(other),
                    format!("unknown field `{other}`: expected `file` and optionally `line`"),
                ));
            }
            None => {}
        }
    }
    let (file_name, media_type, bytes) = file.ok_or_else(|| {
        ApiError::invalid(
            Some("file"),
            "send the receipt in a multipart field named file",
        )
    })?;
    let idempotency = match headers.get("idempotency-key") {
        None => None,
        Some(v) => {
            let key = v.to_str().map_err(|_| {
                ApiError::invalid(Some("Idempotency-Key"), "the key must be visible ASCII")
            })?;
            // The request is identified by its file, its name, type and line.
            let mut request = format!(
                "{file_name}\n{}\n{line:?}\n",
                media_type.as_deref().unwrap_or("")
            )
            .into_bytes();
            request.extend_from_slice(&bytes);
            Some(Idempotency::new(key, &request).map_err(AppError::from)?)
        }
    };
    let upload = ReceiptUpload {
        file_name,
        media_type,
        bytes: bytes.into(),
        line,
    };
    Ok(created(
        app.attach_receipt(&a, claim, upload, idempotency.as_ref())
            .await?,
    ))
}

/// A `Content-Disposition` that keeps the member's file name: an ASCII fallback and the
/// UTF-8 name (RFC 6266, RFC 8187).
fn disposition(name: &str) -> HeaderValue {
    let fallback: String = name
        .chars()
        .map(|c| {
            if (c.is_ascii_graphic() && c != '"' && c != '\\') || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    HeaderValue::from_str(&format!(
        "inline; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("inline"))
}

/// Downloads a receipt file, with its media type and the name it was sent with.
///
/// Its member and staff only. The content never changes under its hash.
#[utoipa::path(get, path = "/receipts/{hash}", operation_id = "download_receipt", tag = "expenses",
    params(("hash" = ReceiptHash, Path, description = "The file's SHA-256; a malformed hash is a 404")),
    responses((status = 200, description = "The file",
            content((Binary = "application/pdf"), (Binary = "image/jpeg"),
                (Binary = "image/png"), (Binary = "image/heic")),
            headers(
                ("Content-Disposition" = String, description = "`inline` with the file's name"),
                ("ETag" = String, description = "The hash, quoted"),
                ("Cache-Control" = String, description = "`private, max-age=31536000, immutable`"))),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound)))]
async fn download(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Response> {
    let hash: ReceiptHash = p
        .parse()
        .map_err(|_| ApiError::not_found(format!("no receipt {p}")))?;
    let (record, bytes) = app.receipt_file(&a, &hash).await?;
    let mut response = Response::new(Body::from(bytes));
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(record.media_type.mime()),
    );
    h.insert(header::CONTENT_DISPOSITION, disposition(&record.file_name));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // The content never changes under its hash; only the member and staff may see it.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=31536000, immutable"),
    );
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{hash}\"")) {
        h.insert(header::ETAG, etag);
    }
    Ok(response)
}

/// Submits a claim to the advisors' queue.
///
/// It needs a title, a line, and on every line a receipt or the reason there is none.
#[utoipa::path(post, path = "/expenses/{id}/submit", operation_id = "submit_expense_claim", tag = "expenses", params(("id" = ExpenseClaimId, Path, description = "The claim's id; a malformed id is a 404")),
    responses((status = 200, description = "The submitted claim and its number", body = ExpenseClaim),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        (status = 422, response = Invalid)))]
async fn submit(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Json<ExpenseClaim>> {
    Ok(Json(app.submit_expense_claim(&a, claim_id(&p)?).await?))
}

/// Approves a submitted claim (staff).
#[utoipa::path(post, path = "/expenses/{id}/approve", operation_id = "approve_expense_claim", tag = "expenses", params(("id" = ExpenseClaimId, Path, description = "The claim's id; a malformed id is a 404")),
    responses((status = 200, description = "The approved claim", body = ExpenseClaim),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict)))]
async fn approve(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Json<ExpenseClaim>> {
    Ok(Json(app.approve_expense_claim(&a, claim_id(&p)?).await?))
}

/// Rejects a submitted claim (staff), with a reason; its member may correct it.
#[utoipa::path(post, path = "/expenses/{id}/reject", operation_id = "reject_expense_claim", tag = "expenses", params(("id" = ExpenseClaimId, Path, description = "The claim's id; a malformed id is a 404")),
    request_body = Rejection,
    responses((status = 200, description = "The rejected claim", body = ExpenseClaim),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        (status = 422, response = Invalid)))]
async fn reject(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
    input: Input<Rejection>,
) -> Result<Json<ExpenseClaim>> {
    Ok(Json(
        app.reject_expense_claim(&a, claim_id(&p)?, &input.value)
            .await?,
    ))
}

/// Reimburses an approved claim from its activity's budget (staff).
///
/// A 409 `insufficient_budget` when the budget does not cover it. The body, if any, is
/// ignored.
#[utoipa::path(post, path = "/expenses/{id}/reimburse", operation_id = "reimburse_expense_claim", tag = "expenses",
    params(("id" = ExpenseClaimId, Path, description = "The claim's id; a malformed id is a 404"), IdempotencyKey),
    responses((status = 200, description = "The claim and the budget movement", body = Reimbursement),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        (status = 422, response = Invalid)))]
async fn reimburse(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
    input: Input<serde_json::Value>,
) -> Result<Json<Reimbursement>> {
    Ok(Json(
        app.reimburse_expense_claim(&a, claim_id(&p)?, input.idempotency.as_ref())
            .await?,
    ))
}
