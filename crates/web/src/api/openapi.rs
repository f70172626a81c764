//! `GET /api/v1/openapi.json`: the OpenAPI document of the API, built once from the same
//! registrations as the router ([`super::routes`]).

use std::sync::LazyLock;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The document, serialised once.
static DOCUMENT: LazyLock<Result<String, String>> =
    LazyLock::new(|| serde_json::to_string(&super::openapi()).map_err(|e| e.to_string()));

/// This document: the OpenAPI 3.1 description of the API.
#[utoipa::path(get, path = "/openapi.json", operation_id = "openapi_document", tag = "system", security(),
    responses((status = 200, description = "The OpenAPI 3.1 document",
        content_type = "application/json", body = Object)))]
pub(super) async fn document() -> Response {
    match &*DOCUMENT {
        Ok(json) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            json.as_str(),
        )
            .into_response(),
        Err(e) => crate::ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal".into(),
            message: format!("the OpenAPI document cannot be written: {e}"),
            field: None,
        }
        .into_response(),
    }
}
