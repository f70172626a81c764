//! One error shape for the whole API: `{"error": {"code", "message", "field"}}`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ensemble_app::AppError;
use serde::Serialize;

/// An error as the API answers it.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    pub field: Option<String>,
}

impl ApiError {
    pub fn invalid(field: Option<&str>, message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid".into(),
            message: message.into(),
            field: field.map(str::to_string),
        }
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            code: "not_found".into(),
            message: message.into(),
            field: None,
        }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> ApiError {
        let status = match &e {
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::NotFound { .. } => StatusCode::NOT_FOUND,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError {
            status,
            code: e.code().to_string(),
            message: e.message(),
            field: e.field().map(str::to_string),
        }
    }
}

/// The body of every error reply: `{"error": {"code", "message", "field"}}`.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// A stable code for programs: `invalid` (422), `not_found` (404), `forbidden` (403),
    /// `unauthenticated` (401), `payload_too_large` (413), `method_not_allowed` (405), or a
    /// conflict's own code (409) such as `idempotency_key_reused`, `already_decided`,
    /// `quote_already_decided`, `quote_expired`, `status_changed`, `insufficient_budget`.
    pub code: String,
    /// A sentence for people that names the value and the rule.
    pub message: String,
    /// The input field at fault, as a path into the body (`period.end`, `lines.0.amount`) or a
    /// query parameter or header name; `null` when the error is not about one field.
    #[schema(required = true)]
    pub field: Option<String>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message,
                field: self.field,
            },
        };
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}
