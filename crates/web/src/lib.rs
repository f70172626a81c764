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
pub mod pages;

pub use error::ApiError;
pub use pages::{DemoLogin, DemoUser, Site};

/// The whole HTTP application, as a plain site (no demo accounts on the login page).
pub fn router(app: App) -> Router {
    router_with(app, Site::default())
}

/// The whole HTTP application: the API under `/api/v1`, the pages under `/`.
pub fn router_with(app: App, site: Site) -> Router {
    Router::new()
        .nest(api::PREFIX, api::router())
        .merge(pages::router(site))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(app)
}

/// Serves `router` on `addr` until Ctrl-C.
pub async fn serve(app: App, addr: SocketAddr) -> std::io::Result<()> {
    serve_with(app, addr, Site::default()).await
}

/// Serves the site on `addr` until Ctrl-C; the client's address reaches the login rate limit.
pub async fn serve_with(app: App, addr: SocketAddr, site: Site) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    axum::serve(
        listener,
        router_with(app, site).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}
