//! The books of an entity as files (accountants and administrators): the FEC, the general
//! ledger, the trial balance, an activity's budget statement, the balance sheet and the P&L,
//! written from the stored ledger by `ensemble_app::exports`.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use ensemble_app::App;
use ensemble_app::books::{ExportFile, ExportRequest};
use ensemble_app::fund::FundReport;
use ensemble_domain::{ActivityId, EntityId};
use jiff::civil::Date;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::doc::{Forbidden, Invalid, NotFound, Unauthorized};
use super::{Result, id};
use crate::ApiError;
use crate::extract::{Auth, Query};

pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(fec))
        .routes(routes!(general_ledger))
        .routes(routes!(trial_balance))
        .routes(routes!(activity_statement))
        .routes(routes!(balance_sheet))
        .routes(routes!(profit_and_loss))
        .routes(routes!(fund_report))
}

fn file(f: ExportFile) -> Response {
    let mut response = Response::new(Body::from(f.bytes));
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(f.content_type),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", f.file_name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

fn date(field: &'static str, text: &str) -> Result<Date> {
    text.parse().map_err(|_| {
        ApiError::invalid(
            Some(field),
            format!("\"{text}\" is not a date (YYYY-MM-DD)"),
        )
    })
}

fn analytic(field: &'static str, book: Option<&str>) -> Result<bool> {
    match book.unwrap_or("general") {
        "general" => Ok(false),
        "analytic" => Ok(true),
        other => Err(ApiError::invalid(
            Some(field),
            format!("\"{other}\" is not a book: general or analytic"),
        )),
    }
}

async fn export(app: &App, a: &ensemble_app::Actor, p: &str, r: ExportRequest) -> Result<Response> {
    Ok(file(app.export(a, id::<EntityId>(p, "entity")?, &r).await?))
}

/// `?year=`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct YearQuery {
    /// The calendar fiscal year.
    #[param(minimum = 2000, maximum = 2999)]
    year: i16,
}

/// `?from=&to=` and the book.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct PeriodQuery {
    /// First day, YYYY-MM-DD.
    #[param(value_type = ensemble_domain::openapi::IsoDate)]
    from: String,
    /// Last day (inclusive), YYYY-MM-DD.
    #[param(value_type = ensemble_domain::openapi::IsoDate)]
    to: String,
    /// `general` (the legal books, the default) or `analytic` (budgets and fund).
    book: Option<String>,
}

/// `?date=` and the book.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct DateQuery {
    /// The day, YYYY-MM-DD.
    #[param(value_type = ensemble_domain::openapi::IsoDate)]
    date: String,
    /// `general` (the default) or `analytic`; the balance sheet reads the general book.
    book: Option<String>,
}

/// `?activity=&from=&to=`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct StatementQuery {
    #[param(value_type = ActivityId)]
    activity: String,
    #[param(value_type = ensemble_domain::openapi::IsoDate)]
    from: String,
    #[param(value_type = ensemble_domain::openapi::IsoDate)]
    to: String,
}

/// The FEC of a French entity for a calendar year.
///
/// Article A47 A-1 of the LPF: 18 tab-separated columns, ISO 8859-15.
#[utoipa::path(get, path = "/entities/{id}/fec", tag = "books",
    params(("id" = EntityId, Path, description = "The entity's id; a malformed id is a 404"), YearQuery),
    responses((status = 200, description = "The FEC file",
            content((String = "text/plain; charset=iso-8859-15")),
            headers(("Content-Disposition" = String, description = "`attachment` with the legal file name"))),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 422, response = Invalid)))]
async fn fec(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<Response> {
    export(&app, &a, &p, ExportRequest::Fec { year: q.year }).await
}

/// The general ledger between two dates (CSV).
///
/// Per account, the balance brought forward and each posted movement with its running balance.
#[utoipa::path(get, path = "/entities/{id}/general-ledger", tag = "books",
    params(("id" = EntityId, Path, description = "The entity's id; a malformed id is a 404"), PeriodQuery),
    responses((status = 200, description = "The general ledger", content((String = "text/csv; charset=utf-8")),
            headers(("Content-Disposition" = String, description = "`attachment` with a file name"))),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 422, response = Invalid)))]
async fn general_ledger(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response> {
    let r = ExportRequest::GeneralLedger {
        from: date("from", &q.from)?,
        to: date("to", &q.to)?,
        analytic: analytic("book", q.book.as_deref())?,
    };
    export(&app, &a, &p, r).await
}

/// The trial balance on a date (CSV).
///
/// Per account, the debits and credits posted up to the date and the balance.
#[utoipa::path(get, path = "/entities/{id}/trial-balance", tag = "books",
    params(("id" = EntityId, Path, description = "The entity's id; a malformed id is a 404"), DateQuery),
    responses((status = 200, description = "The trial balance", content((String = "text/csv; charset=utf-8")),
            headers(("Content-Disposition" = String, description = "`attachment` with a file name"))),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 422, response = Invalid)))]
async fn trial_balance(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
    Query(q): Query<DateQuery>,
) -> Result<Response> {
    let r = ExportRequest::TrialBalance {
        date: date("date", &q.date)?,
        analytic: analytic("book", q.book.as_deref())?,
    };
    export(&app, &a, &p, r).await
}

/// An activity's budget statement between two dates (CSV).
///
/// Opening and closing positions (available, awaiting payment, owed to the fund) and each
/// movement.
#[utoipa::path(get, path = "/entities/{id}/activity-statement", tag = "books",
    params(("id" = EntityId, Path, description = "The entity's id; a malformed id is a 404"), StatementQuery),
    responses((status = 200, description = "The statement", content((String = "text/csv; charset=utf-8")),
            headers(("Content-Disposition" = String, description = "`attachment` with a file name"))),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 422, response = Invalid)))]
async fn activity_statement(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
    Query(q): Query<StatementQuery>,
) -> Result<Response> {
    let activity: ActivityId = q.activity.parse().map_err(|_| {
        ApiError::invalid(
            Some("activity"),
            format!("\"{}\" is not an activity id", q.activity),
        )
    })?;
    let r = ExportRequest::ActivityStatement {
        activity,
        from: date("from", &q.from)?,
        to: date("to", &q.to)?,
    };
    export(&app, &a, &p, r).await
}

/// The balance sheet on a date (CSV).
///
/// Assets, liabilities, equity and the year's result from the legal book.
#[utoipa::path(get, path = "/entities/{id}/balance-sheet", tag = "books",
    params(("id" = EntityId, Path, description = "The entity's id; a malformed id is a 404"), DateQuery),
    responses((status = 200, description = "The balance sheet", content((String = "text/csv; charset=utf-8")),
            headers(("Content-Disposition" = String, description = "`attachment` with a file name"))),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 422, response = Invalid)))]
async fn balance_sheet(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
    Query(q): Query<DateQuery>,
) -> Result<Response> {
    let r = ExportRequest::BalanceSheet {
        date: date("date", &q.date)?,
    };
    export(&app, &a, &p, r).await
}

/// The profit and loss account between two dates (CSV).
///
/// Income and expenses per account of the legal chart.
#[utoipa::path(get, path = "/entities/{id}/profit-and-loss", tag = "books",
    params(("id" = EntityId, Path, description = "The entity's id; a malformed id is a 404"), PeriodQuery),
    responses((status = 200, description = "The P&L", content((String = "text/csv; charset=utf-8")),
            headers(("Content-Disposition" = String, description = "`attachment` with a file name"))),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 422, response = Invalid)))]
async fn profit_and_loss(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response> {
    let r = ExportRequest::ProfitAndLoss {
        from: date("from", &q.from)?,
        to: date("to", &q.to)?,
    };
    export(&app, &a, &p, r).await
}

/// `?date=`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct OnQuery {
    /// The day, YYYY-MM-DD.
    #[param(value_type = ensemble_domain::openapi::IsoDate)]
    date: String,
}

/// The guarantee fund's report on a date (staff).
///
/// What the fund holds, the advances activities owe it, the receivables at risk by age past
/// their due date and the coverage ratio (in parts per thousand).
#[utoipa::path(get, path = "/entities/{id}/fund-report", tag = "books",
    params(("id" = EntityId, Path, description = "The entity's id; a malformed id is a 404"), OnQuery),
    responses((status = 200, description = "The fund report", body = FundReport),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 422, response = Invalid)))]
async fn fund_report(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
    Query(q): Query<OnQuery>,
) -> Result<Json<FundReport>> {
    let entity = id::<EntityId>(&p, "entity")?;
    let on = date("date", &q.date)?;
    Ok(Json(app.fund_report(&a, entity, on).await?))
}
