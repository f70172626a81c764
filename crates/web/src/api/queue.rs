//! `GET /api/v1/queue`: the advisors' validation queue.

use axum::Json;
use axum::extract::State;
use ensemble_app::App;
use ensemble_app::queue::ValidationQueue;

use crate::ApiError;
use crate::extract::Auth;

pub(super) async fn queue(
    State(app): State<App>,
    Auth(a): Auth,
) -> Result<Json<ValidationQueue>, ApiError> {
    Ok(Json(app.validation_queue(&a).await?))
}
