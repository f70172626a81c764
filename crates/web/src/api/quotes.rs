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
use axum::routing::{get, post, put};
use axum::{Json, Router};
use ensemble_app::App;
use ensemble_app::inputs::Rejection;
use ensemble_app::quotes::{
    ClientAnswer, NewQuote, OrderInvoice, PublicQuote, QuoteLines, QuoteQuery, SentQuote,
};
use ensemble_domain::QuoteId;
use ensemble_domain::quote::{Quote, QuoteStatus};
use serde::Deserialize;

use super::{Created, Result, created, id};
use crate::ApiError;
use crate::extract::{Auth, Input};

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/quotes", post(create_quote).get(quotes))
        .route("/quotes/{id}", get(quote))
        .route("/quotes/{id}/lines", put(edit_lines))
        .route("/quotes/{id}/submit", post(submit))
        .route("/quotes/{id}/approve", post(approve))
        .route("/quotes/{id}/reject", post(reject))
        .route("/quotes/{id}/send", post(send))
        .route("/quotes/{id}/invoice", post(invoice_order))
        .route("/public/quotes/{token}", get(public_quote))
        .route("/public/quotes/{token}/accept", post(accept))
        .route("/public/quotes/{token}/refuse", post(refuse))
}

fn quote_id(text: &str) -> Result<QuoteId> {
    id::<QuoteId>(text, "quote")
}

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
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct QuoteParams {
    status: Option<String>,
    activity: Option<String>,
}

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

async fn quote(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Json<Quote>> {
    Ok(Json(app.quote(&a, quote_id(&p)?).await?))
}

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

async fn submit(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Json<Quote>> {
    Ok(Json(app.submit_quote(&a, quote_id(&p)?).await?))
}

async fn approve(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Json<Quote>> {
    Ok(Json(app.approve_quote(&a, quote_id(&p)?).await?))
}

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

async fn send(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Json<SentQuote>> {
    Ok(Json(app.send_quote(&a, quote_id(&p)?).await?))
}

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

async fn public_quote(
    State(app): State<App>,
    Path(token): Path<String>,
) -> Result<Json<PublicQuote>> {
    Ok(Json(app.public_quote(&token).await?))
}

async fn accept(
    State(app): State<App>,
    Path(token): Path<String>,
    input: Input<ClientAnswer>,
) -> Result<Json<PublicQuote>> {
    Ok(Json(app.accept_quote(&token, &input.value).await?))
}

async fn refuse(
    State(app): State<App>,
    Path(token): Path<String>,
    input: Input<ClientAnswer>,
) -> Result<Json<PublicQuote>> {
    Ok(Json(app.refuse_quote(&token, &input.value).await?))
}
