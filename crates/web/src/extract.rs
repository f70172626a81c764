//! Extractors: the acting user from the bearer token, and a JSON body with its idempotency key.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use ensemble_app::{Actor, App, AppError, Idempotency};
use serde::de::DeserializeOwned;

use crate::ApiError;

/// The user making the request (`Authorization: Bearer <token>`); 401 without a valid token.
/// A `GET` without the header may use the browser's session cookie instead, so that the pages
/// can link to documents of the API (the PDFs); no other method accepts the cookie, so a
/// cross-site form cannot act through the API.
pub struct Auth(pub Actor);

impl FromRequestParts<App> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Auth, ApiError> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        let safe =
            parts.method == axum::http::Method::GET || parts.method == axum::http::Method::HEAD;
        let cookie = crate::pages::cookie(&parts.headers, crate::pages::SESSION_COOKIE);
        if let (None, true, Some(token)) = (header, safe, cookie) {
            return match app.session(&token).await {
                Ok(session) => Ok(Auth(session.actor)),
                Err(e) => Err(e.into()),
            };
        }
        let header = header.ok_or_else(|| ApiError::from(AppError::Unauthenticated))?;
        let token = header
            .strip_prefix("Bearer ")
            .ok_or_else(|| ApiError::from(AppError::Unauthenticated))?;
        Ok(Auth(app.authenticate(token.trim()).await?))
    }
}

/// A JSON body, parsed, with the request's `Idempotency-Key` (if any) fingerprinted by the
/// method, the path and the body's bytes: the same key and body sent to another resource
/// (another member's shares, another declaration) is another request, not a replay.
pub struct Input<T> {
    pub value: T,
    pub idempotency: Option<Idempotency>,
}

impl<T: DeserializeOwned> FromRequest<App> for Input<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, app: &App) -> Result<Input<T>, ApiError> {
        let key = req
            .headers()
            .get("idempotency-key")
            .map(|v| v.to_str().map(str::to_string));
        let target = format!(
            "{} {}\n",
            req.method(),
            req.uri().path_and_query().map_or("/", |p| p.as_str())
        );
        let bytes = Bytes::from_request(req, app)
            .await
            .map_err(|e| ApiError::invalid(None, format!("cannot read the body: {e}")))?;
        let value = parse_json(&bytes)?;
        let idempotency = match key {
            None => None,
            Some(Err(_)) => {
                return Err(ApiError::invalid(
                    Some("Idempotency-Key"),
                    "the key must be visible ASCII",
                ));
            }
            Some(Ok(k)) => {
                let request = [target.as_bytes(), &bytes].concat();
                Some(Idempotency::new(&k, &request).map_err(AppError::from)?)
            }
        };
        Ok(Input { value, idempotency })
    }
}

/// Query parameters (`?entity=…&limit=…`); a bad or unknown one is a 422 naming it, like a
/// field of a body.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Query<T>, ApiError> {
        let query = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(Query)
            .map_err(invalid_field)
    }
}

/// Parses a JSON body; a bad field is a 422 naming it (its path, like `period.start`).
pub(crate) fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let text = if bytes.is_empty() {
        b"{}".as_slice()
    } else {
        bytes
    };
    let de = &mut serde_json::Deserializer::from_slice(text);
    serde_path_to_error::deserialize(de).map_err(invalid_field)
}

/// A deserialisation error as a 422 naming the field at fault by its path.
fn invalid_field<E: std::fmt::Display>(e: serde_path_to_error::Error<E>) -> ApiError {
    let path = e.path().to_string();
    let inner = e.into_inner();
    let message = inner.to_string();
    // serde names unknown and missing fields in backquotes: `field`.
    let named = message
        .split('`')
        .nth(1)
        .filter(|f| f.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .map(str::to_string);
    let top = path == "." || path.is_empty();
    // A missing field is reported at the object that lacks it: name the field inside it.
    let missing = message.starts_with("missing field");
    let field = match (top, missing, named) {
        (true, _, named) => named,
        (false, true, Some(name)) => Some(format!("{path}.{name}")),
        (false, _, _) => Some(path),
    };
    ApiError {
        status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        code: "invalid".into(),
        message,
        field,
    }
}
