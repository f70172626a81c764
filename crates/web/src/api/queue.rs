//! `GET /api/v1/queue`: the advisors' validation queue.

use axum::Json;
use axum::extract::State;
use ensemble_app::App;
use ensemble_app::queue::ValidationQueue;

use super::doc::{Forbidden, Unauthorized};
use crate::ApiError;
use crate::extract::Auth;

/// Everything waiting for an advisor (staff): declarations, quotes and expense claims.
#[utoipa::path(get, path = "/queue", tag = "queue",
    responses((status = 200, description = "The queue, oldest first in each list", body = ValidationQueue),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden)))]
pub(super) async fn queue(
    State(app): State<App>,
    Auth(a): Auth,
) -> Result<Json<ValidationQueue>, ApiError> {
    Ok(Json(app.validation_queue(&a).await?))
}
