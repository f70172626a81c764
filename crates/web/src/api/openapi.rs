//! `GET /api/v1/openapi.json`: the OpenAPI document of the API.

use axum::Json;

pub(super) async fn document() -> Json<serde_json::Value> {
    Json(serde_json::json!({
        "openapi": "3.1.0",
        "info": { "title": "Ensemble API", "version": env!("CARGO_PKG_VERSION") },
        "paths": {}
    }))
}
