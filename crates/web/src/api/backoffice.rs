//! The back office's settings and views through the API: an entity's settings (read by staff,
//! changed by administrators) and the payroll month (accountants and administrators) — the
//! same use cases as the pages `/staff/entities` and `/staff/payroll`.

use axum::Json;
use axum::extract::{Path, State};
use ensemble_app::App;
use ensemble_app::inputs::EntitySettings;
use ensemble_app::payroll_month::PayrollMonth;
use ensemble_domain::coop::CooperativeEntity;
use ensemble_domain::{EntityId, Month};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::doc::{Forbidden, Invalid, NotFound, Unauthorized};
use super::{Result, id};
use crate::ApiError;
use crate::extract::{Auth, Input, Query};

pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(entity_settings, update_entity_settings))
        .routes(routes!(payroll_month))
}

/// Reads an entity's settings (staff).
///
/// Its fee, payment term, headcount and whether declared work is validated at once, with its
/// legal details.
#[utoipa::path(get, path = "/entities/{id}/settings", tag = "entities",
    params(("id" = EntityId, Path, description = "The entity's id; a malformed id is a 404")),
    responses((status = 200, description = "The entity with its settings", body = CooperativeEntity),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound)))]
async fn entity_settings(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Json<CooperativeEntity>> {
    let entity = id::<EntityId>(&p, "entity")?;
    app.entity_settings(&a)
        .await?
        .into_iter()
        .find(|e| e.id == entity)
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no entity {entity}")))
}

/// Changes an entity's settings (administrators).
///
/// Documents already issued keep the figures they were issued with; the new fee applies to
/// work declared from now on. Sending the same settings twice changes nothing more.
#[utoipa::path(put, path = "/entities/{id}/settings", tag = "entities",
    params(("id" = EntityId, Path, description = "The entity's id; a malformed id is a 404")),
    request_body = EntitySettings,
    responses((status = 200, description = "The entity with its new settings", body = CooperativeEntity),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 422, response = Invalid)))]
async fn update_entity_settings(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
    input: Input<EntitySettings>,
) -> Result<Json<CooperativeEntity>> {
    let entity = id::<EntityId>(&p, "entity")?;
    Ok(Json(
        app.update_entity_settings(&a, entity, &input.value).await?,
    ))
}

/// `?month=YYYY-MM`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct MonthQuery {
    /// The month, YYYY-MM.
    #[param(example = "2026-01")]
    month: String,
}

/// The payroll month (accountants and administrators).
///
/// Per entity, the month's payslips (member, contract kind, totals) and the contracts whose
/// period overlaps the month, with the totals: sums of the stored payslips' own totals.
#[utoipa::path(get, path = "/payroll", tag = "payroll", params(MonthQuery),
    responses((status = 200, description = "The month, entity by entity", body = PayrollMonth),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 422, response = Invalid)))]
async fn payroll_month(
    State(app): State<App>,
    Auth(a): Auth,
    Query(q): Query<MonthQuery>,
) -> Result<Json<PayrollMonth>> {
    let month = ensemble_domain::parse_field::<Month>("month", &q.month)
        .map_err(ensemble_app::AppError::from)?;
    Ok(Json(app.payroll_month(&a, month).await?))
}
