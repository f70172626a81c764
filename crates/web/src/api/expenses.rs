//! The expenses routes.

use axum::Router;
use ensemble_app::App;

pub(super) fn routes() -> Router<App> {
    Router::new()
}
