//! Ensemble over HTTP (axum): the JSON API under `/api/v1`, its OpenAPI document at
//! `/api/v1/openapi.json`, and, as they land, the server-rendered pages.
//!
//! Handlers only translate HTTP to the use cases of `ensemble_app` and back: authentication
//! (`Authorization: Bearer <token>`), the `Idempotency-Key` header of creating requests, and
//! one error shape for every failure, `{"error": {"code", "message", "field"}}`, with 422 for
//! invalid input, 409 for conflicts, 404, 403 and 401. No rule and no SQL lives here.
//!
//! This crate must never import the store's SQL or the payroll engine directly.

use std::net::SocketAddr;

use axum::Router;
use ensemble_app::App;

pub mod api;
mod error;
mod extract;

pub use error::ApiError;

/// The whole HTTP application.
pub fn router(app: App) -> Router {
    Router::new()
        .nest(api::PREFIX, api::router())
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(app)
}

/// Serves `router` on `addr` until Ctrl-C.
pub async fn serve(app: App, addr: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, router(app))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
