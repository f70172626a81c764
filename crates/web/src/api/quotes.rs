//! The quotes routes.
//!
//! Members and staff (bearer token):
//! - `POST /quotes` drafts a quote (201; honours `Idempotency-Key`);
//! - `GET /quotes?status=&activity=` lists the quotes the user sees, `GET /quotes/{id}` one;
//! - `PUT /quotes/{id}/lines` replaces all the lines of a draft (`{"lines": [...]}`);
//! - `POST /quotes/{id}/submit`, `/approve` and `/reject` (`{"reason"}`) move it through the
//!   advisors' queue;
//! - `POST /quotes/{id}/send` issues the client's link: the token is in this response only;
//! - `POST /quotes/{id}/invoice` invoices an accepted quote (an order) once (201; honours
//!   `Idempotency-Key`).
//!
//! The client, without an account (the link's token is the credential):
//! - `GET /public/quotes/{token}` reads the quote;
//! - `POST /public/quotes/{token}/accept` and `/refuse` answer it once, with an optional
//!   `{"name", "comment"}`; a second answer is 409 `quote_already_decided`, an expired quote
//!   409 `quote_expired`, an unknown link 404.

use axum::extract::{Path, State};

use crate::extract::Query;
use axum::Json;
use ensemble_app::App;
use ensemble_app::inputs::Rejection;
use ensemble_app::quotes::{
    ClientAnswer, NewQuote, OrderInvoice, PublicQuote, QuoteLines, QuoteQuery, SentQuote,
};
use ensemble_domain::QuoteId;
use ensemble_domain::quote::{Quote, QuoteStatus};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::doc::{Conflict, Forbidden, IdempotencyKey, Invalid, NotFound, Unauthorized};
use super::{Created, Result, created, id};
use crate::ApiError;
use crate::extract::{Auth, Input};

pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(create_quote, quotes))
        .routes(routes!(quote))
        .routes(routes!(edit_lines))
        .routes(routes!(submit))
        .routes(routes!(approve))
        .routes(routes!(reject))
        .routes(routes!(send))
        .routes(routes!(invoice_order))
        .routes(routes!(public_quote))
        .routes(routes!(accept))
        .routes(routes!(refuse))
}

fn quote_id(text: &str) -> Result<QuoteId> {
    id::<QuoteId>(text, "quote")
}

/// Drafts a quote for an activity and a client; it may start without lines.
#[utoipa::path(post, path = "/quotes", tag = "quotes", params(IdempotencyKey),
    request_body = NewQuote,
    responses((status = 201, description = "The draft", body = Quote),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        (status = 422, response = Invalid)))]
async fn create_quote(
    State(app): State<App>,
    Auth(a): Auth,
    input: Input<NewQuote>,
) -> Result<Created<Quote>> {
    Ok(created(
        app.create_quote(&a, &input.value, input.idempotency.as_ref())
            .await?,
    ))
}

/// `?status=draft|submitted|approved|sent|accepted|refused|expired&activity=<id>`.
#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct QuoteParams {
    /// Only those in this status.
    #[param(value_type = Option<QuoteStatus>)]
    status: Option<String>,
    /// Only those of this activity.
    #[param(value_type = Option<ensemble_domain::ActivityId>)]
    activity: Option<String>,
}

/// Lists the quotes the user sees, by status and activity.
#[utoipa::path(get, path = "/quotes", tag = "quotes", params(QuoteParams),
    responses((status = 200, description = "The quotes", body = Vec<Quote>),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 422, response = Invalid)))]
async fn quotes(
    State(app): State<App>,
    Auth(a): Auth,
    Query(p): Query<QuoteParams>,
) -> Result<Json<Vec<Quote>>> {
    let status = p
        .status
        .as_deref()
        .map(str::parse::<QuoteStatus>)
        .transpose()
        .map_err(ensemble_app::AppError::from)?;
    let activity = p
        .activity
        .as_deref()
        .map(|v| {
            v.parse().map_err(|_| {
                ApiError::invalid(Some("activity"), format!("\"{v}\" is not an activity id"))
            })
        })
        .transpose()?;
    Ok(Json(
        app.quotes(&a, &QuoteQuery { activity, status }).await?,
    ))
}

/// Reads a quote.
#[utoipa::path(get, path = "/quotes/{id}", tag = "quotes", params(("id" = QuoteId, Path, description = "The quote's id; a malformed id is a 404")),
    responses((status = 200, description = "The quote", body = Quote),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound)))]
async fn quote(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Json<Quote>> {
    Ok(Json(app.quote(&a, quote_id(&p)?).await?))
}

/// Replaces all the lines of a draft quote.
#[utoipa::path(put, path = "/quotes/{id}/lines", operation_id = "edit_quote_lines", tag = "quotes", params(("id" = QuoteId, Path, description = "The quote's id; a malformed id is a 404")),
    request_body = QuoteLines,
    responses((status = 200, description = "The quote with its new lines and totals", body = Quote),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        (status = 422, response = Invalid)))]
async fn edit_lines(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
    input: Input<QuoteLines>,
) -> Result<Json<Quote>> {
    Ok(Json(
        app.edit_quote_lines(&a, quote_id(&p)?, &input.value)
            .await?,
    ))
}

/// Submits a draft quote to the advisors' queue.
#[utoipa::path(post, path = "/quotes/{id}/submit", operation_id = "submit_quote", tag = "quotes", params(("id" = QuoteId, Path, description = "The quote's id; a malformed id is a 404")),
    responses((status = 200, description = "The submitted quote", body = Quote),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        (status = 422, response = Invalid)))]
async fn submit(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Json<Quote>> {
    Ok(Json(app.submit_quote(&a, quote_id(&p)?).await?))
}

/// Approves a submitted quote (staff).
#[utoipa::path(post, path = "/quotes/{id}/approve", operation_id = "approve_quote", tag = "quotes", params(("id" = QuoteId, Path, description = "The quote's id; a malformed id is a 404")),
    responses((status = 200, description = "The approved quote", body = Quote),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict)))]
async fn approve(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Json<Quote>> {
    Ok(Json(app.approve_quote(&a, quote_id(&p)?).await?))
}

/// Sends a submitted quote back to draft (staff), with a reason.
#[utoipa::path(post, path = "/quotes/{id}/reject", operation_id = "reject_quote", tag = "quotes", params(("id" = QuoteId, Path, description = "The quote's id; a malformed id is a 404")),
    request_body = Rejection,
    responses((status = 200, description = "The quote, back to draft", body = Quote),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        (status = 422, response = Invalid)))]
async fn reject(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
    input: Input<Rejection>,
) -> Result<Json<Quote>> {
    Ok(Json(
        app.reject_quote(&a, quote_id(&p)?, &input.value).await?,
    ))
}

/// Sends an approved quote: issues the client's link.
///
/// The link's token is in this response only; the client reads and answers the quote at
/// `/public/quotes/{token}`.
#[utoipa::path(post, path = "/quotes/{id}/send", operation_id = "send_quote", tag = "quotes", params(("id" = QuoteId, Path, description = "The quote's id; a malformed id is a 404")),
    responses((status = 200, description = "The sent quote and its link", body = SentQuote),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict)))]
async fn send(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Json<SentQuote>> {
    Ok(Json(app.send_quote(&a, quote_id(&p)?).await?))
}

/// Invoices an accepted quote (an order), once.
///
/// The invoice, and the activity's budget credited with the price less the fee. The body,
/// if any, is ignored.
#[utoipa::path(post, path = "/quotes/{id}/invoice", tag = "quotes", params(("id" = QuoteId, Path, description = "The quote's id; a malformed id is a 404"), IdempotencyKey),
    responses((status = 201, description = "The invoice and the budget movement", body = OrderInvoice),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        (status = 422, response = Invalid)))]
async fn invoice_order(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
    input: Input<serde_json::Value>,
) -> Result<Created<OrderInvoice>> {
    let quote = quote_id(&p)?;
    Ok(created(
        app.invoice_order(&a, quote, input.idempotency.as_ref())
            .await?,
    ))
}

/// Reads a quote through the client's link (no account: the token is the credential).
#[utoipa::path(get, path = "/public/quotes/{token}", tag = "public", security(), params(("token" = String, Path, description = "The secret of the client's link (64 hexadecimal digits)")),
    responses((status = 200, description = "The quote as the client sees it", body = PublicQuote),
        (status = 404, response = NotFound)))]
async fn public_quote(
    State(app): State<App>,
    Path(token): Path<String>,
) -> Result<Json<PublicQuote>> {
    Ok(Json(app.public_quote(&token).await?))
}

/// Accepts a quote through the client's link: it becomes an order.
///
/// Once: a second answer is a 409 `quote_already_decided`, an expired quote a 409
/// `quote_expired`.
#[utoipa::path(post, path = "/public/quotes/{token}/accept", operation_id = "accept_quote", tag = "public", security(),
    params(("token" = String, Path, description = "The secret of the client's link (64 hexadecimal digits)")), request_body = Option<ClientAnswer>,
    responses((status = 200, description = "The accepted quote", body = PublicQuote),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        (status = 422, response = Invalid)))]
async fn accept(
    State(app): State<App>,
    Path(token): Path<String>,
    input: Input<ClientAnswer>,
) -> Result<Json<PublicQuote>> {
    Ok(Json(app.accept_quote(&token, &input.value).await?))
}

/// Refuses a quote through the client's link.
///
/// Once: a second answer is a 409 `quote_already_decided`, an expired quote a 409
/// `quote_expired`.
#[utoipa::path(post, path = "/public/quotes/{token}/refuse", operation_id = "refuse_quote", tag = "public", security(),
    params(("token" = String, Path, description = "The secret of the client's link (64 hexadecimal digits)")), request_body = Option<ClientAnswer>,
    responses((status = 200, description = "The refused quote", body = PublicQuote),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        (status = 422, response = Invalid)))]
async fn refuse(
    State(app): State<App>,
    Path(token): Path<String>,
    input: Input<ClientAnswer>,
) -> Result<Json<PublicQuote>> {
    Ok(Json(app.refuse_quote(&token, &input.value).await?))
}
