//! The JSON API under `/api/v1`. Every route but `/health`, `/openapi.json` and a client's
//! quote link (`/public/quotes/{token}`, whose token is the credential) needs a bearer token;
//! every POST that creates something honours `Idempotency-Key`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use ensemble_app::App;
use ensemble_app::activities::{ActivityDetail, BudgetAdjustment};
use ensemble_app::declarations::DeclarationResult;
use ensemble_app::documents::{ContractDetail, DocumentQuery};
use ensemble_app::inputs::{
    NewActivity, NewActivityMember, NewClient, NewDeclaration, NewEntity, NewMember, NewShares,
    NewUser, Rejection, SalaryRequest,
};
use ensemble_app::members::{Admission, NewAccount, ShareRegister};
use ensemble_app::salary::SalaryResult;
use ensemble_domain::activity::{Activity, ActivityMember};
use ensemble_domain::client::Client;
use ensemble_domain::contract::EmploymentContract;
use ensemble_domain::coop::CooperativeEntity;
use ensemble_domain::invoice::Invoice;
use ensemble_domain::people::{Member, ShareSubscription};
use ensemble_domain::work::{Breakdown, Declaration, DeclarationStatus};
use ensemble_domain::{
    ActivityId, ClientId, ContractId, DeclarationId, EntityId, InvoiceId, MemberId, PayslipId,
};
use ensemble_store::{BudgetMovement, PayslipRecord};
use serde::{Deserialize, Serialize};

use crate::ApiError;
use crate::extract::{Auth, Input, Query};

mod expenses;
mod openapi;
pub mod queue;
mod quotes;

type Result<T> = std::result::Result<T, ApiError>;
type Created<T> = (StatusCode, Json<T>);

fn created<T>(value: T) -> Created<T> {
    (StatusCode::CREATED, Json(value))
}

pub fn router() -> Router<App> {
    Router::new()
        .route("/health", get(health))
        .route("/openapi.json", get(openapi::document))
        .route("/me", get(me))
        .route("/entities", post(create_entity).get(entities))
        .route("/entities/{id}", get(entity))
        .route("/entities/{id}/share-register", get(share_register))
        .route("/users", post(create_user))
        .route("/members", post(admit_member).get(members))
        .route("/members/{id}", get(member))
        .route("/members/{id}/shares", post(subscribe_shares))
        .route("/activities", post(create_activity).get(activities))
        .route("/activities/{id}", get(activity))
        .route("/activities/{id}/members", post(put_activity_member))
        .route("/activities/{id}/budget-adjustments", post(adjust_budget))
        .route("/activities/{id}/salaries", post(salary_from_budget))
        .route("/clients", post(create_client).get(clients))
        .route("/clients/{id}", get(client))
        .route("/declarations", post(declare_work).get(declarations))
        .route("/declarations/preview", post(preview_declaration))
        .route("/declarations/{id}", get(declaration))
        .route("/declarations/{id}/validate", post(validate_declaration))
        .route("/declarations/{id}/reject", post(reject_declaration))
        .route("/queue", get(queue::queue))
        .route("/invoices", get(invoices))
        .route("/invoices/{id}", get(invoice))
        .route("/contracts", get(contracts))
        .route("/contracts/{id}", get(contract))
        .route("/payslips", get(payslips))
        .route("/payslips/{id}", get(payslip))
        .merge(quotes::routes())
        .merge(expenses::routes())
        // Last, so that they cover every route above: an unknown route or method answers in
        // the API's error shape too.
        .fallback(no_such_route)
        .method_not_allowed_fallback(method_not_allowed)
}

async fn no_such_route(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(format!("no route {}", uri.path()))
}

async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> ApiError {
    ApiError {
        status: StatusCode::METHOD_NOT_ALLOWED,
        code: "method_not_allowed".into(),
        message: format!("{} does not answer {method}", uri.path()),
        field: None,
    }
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    backend: &'static str,
}

async fn health(State(app): State<App>) -> Json<Health> {
    Json(Health {
        status: "ok",
        backend: app.store.backend(),
    })
}

#[derive(Serialize)]
struct Me {
    user: String,
    role: String,
    member: Option<String>,
    lang: String,
}

async fn me(Auth(actor): Auth) -> Json<Me> {
    Json(Me {
        user: actor.user.to_string(),
        role: actor.role.to_string(),
        member: actor.member.map(|m| m.to_string()),
        lang: actor.lang.to_string(),
    })
}

/// A path id; a malformed one is a 404 (no such thing), not a 400.
fn id<T: std::str::FromStr>(text: &str, kind: &str) -> Result<T> {
    text.parse()
        .map_err(|_| ApiError::not_found(format!("no {kind} {text}")))
}

async fn create_entity(
    State(app): State<App>,
    Auth(a): Auth,
    input: Input<NewEntity>,
) -> Result<Created<CooperativeEntity>> {
    Ok(created(
        app.create_entity(&a, &input.value, input.idempotency.as_ref())
            .await?,
    ))
}

async fn entities(State(app): State<App>, Auth(a): Auth) -> Result<Json<Vec<CooperativeEntity>>> {
    Ok(Json(app.entities(&a).await?))
}

async fn entity(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Json<CooperativeEntity>> {
    Ok(Json(app.entity(&a, id::<EntityId>(&p, "entity")?).await?))
}

async fn share_register(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Json<ShareRegister>> {
    Ok(Json(
        app.share_register(&a, id::<EntityId>(&p, "entity")?)
            .await?,
    ))
}

async fn create_user(
    State(app): State<App>,
    Auth(a): Auth,
    input: Input<NewUser>,
) -> Result<Created<NewAccount>> {
    Ok(created(
        app.create_user(&a, &input.value, input.idempotency.as_ref())
            .await?,
    ))
}

async fn admit_member(
    State(app): State<App>,
    Auth(a): Auth,
    input: Input<NewMember>,
) -> Result<Created<Admission>> {
    Ok(created(
        app.admit_member(&a, &input.value, input.idempotency.as_ref())
            .await?,
    ))
}

/// `?entity=<id>` filter.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct EntityQuery {
    entity: Option<String>,
}

fn entity_filter(q: &EntityQuery) -> Result<Option<EntityId>> {
    q.entity
        .as_deref()
        .map(|e| {
            e.parse().map_err(|_| {
                ApiError::invalid(Some("entity"), format!("\"{e}\" is not an entity id"))
            })
        })
        .transpose()
}

async fn members(
    State(app): State<App>,
    Auth(a): Auth,
    Query(q): Query<EntityQuery>,
) -> Result<Json<Vec<Member>>> {
    Ok(Json(app.members(&a, entity_filter(&q)?).await?))
}

async fn member(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Json<Member>> {
    Ok(Json(app.member(&a, id::<MemberId>(&p, "member")?).await?))
}

async fn subscribe_shares(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
    input: Input<NewShares>,
) -> Result<Created<ShareSubscription>> {
    let member = id::<MemberId>(&p, "member")?;
    Ok(created(
        app.subscribe_shares(&a, member, &input.value, input.idempotency.as_ref())
            .await?,
    ))
}

async fn create_activity(
    State(app): State<App>,
    Auth(a): Auth,
    input: Input<NewActivity>,
) -> Result<Created<Activity>> {
    Ok(created(
        app.create_activity(&a, &input.value, input.idempotency.as_ref())
            .await?,
    ))
}

async fn activities(
    State(app): State<App>,
    Auth(a): Auth,
    Query(q): Query<EntityQuery>,
) -> Result<Json<Vec<Activity>>> {
    Ok(Json(app.activities(&a, entity_filter(&q)?).await?))
}

async fn activity(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Json<ActivityDetail>> {
    Ok(Json(
        app.activity(&a, id::<ActivityId>(&p, "activity")?).await?,
    ))
}

async fn put_activity_member(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
    input: Input<NewActivityMember>,
) -> Result<Created<ActivityMember>> {
    let activity = id::<ActivityId>(&p, "activity")?;
    Ok(created(
        app.put_activity_member(&a, activity, &input.value, input.idempotency.as_ref())
            .await?,
    ))
}

async fn adjust_budget(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
    input: Input<BudgetAdjustment>,
) -> Result<Created<BudgetMovement>> {
    let activity = id::<ActivityId>(&p, "activity")?;
    Ok(created(
        app.adjust_budget(&a, activity, &input.value, input.idempotency.as_ref())
            .await?,
    ))
}

async fn salary_from_budget(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
    input: Input<SalaryRequest>,
) -> Result<Created<SalaryResult>> {
    let activity = id::<ActivityId>(&p, "activity")?;
    Ok(created(
        app.salary_from_budget(&a, activity, &input.value, input.idempotency.as_ref())
            .await?,
    ))
}

async fn create_client(
    State(app): State<App>,
    Auth(a): Auth,
    input: Input<NewClient>,
) -> Result<Created<Client>> {
    Ok(created(
        app.create_client(&a, &input.value, input.idempotency.as_ref())
            .await?,
    ))
}

async fn clients(
    State(app): State<App>,
    Auth(a): Auth,
    Query(q): Query<EntityQuery>,
) -> Result<Json<Vec<Client>>> {
    Ok(Json(app.clients(&a, entity_filter(&q)?).await?))
}

async fn client(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Json<Client>> {
    Ok(Json(app.client(&a, id::<ClientId>(&p, "client")?).await?))
}

async fn declare_work(
    State(app): State<App>,
    Auth(a): Auth,
    input: Input<NewDeclaration>,
) -> Result<Created<DeclarationResult>> {
    Ok(created(
        app.declare_work(&a, &input.value, input.idempotency.as_ref())
            .await?,
    ))
}

async fn preview_declaration(
    State(app): State<App>,
    Auth(a): Auth,
    input: Input<NewDeclaration>,
) -> Result<Json<Breakdown>> {
    Ok(Json(app.preview_declaration(&a, &input.value).await?))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct StatusQuery {
    status: Option<String>,
}

async fn declarations(
    State(app): State<App>,
    Auth(a): Auth,
    Query(q): Query<StatusQuery>,
) -> Result<Json<Vec<Declaration>>> {
    let status = q
        .status
        .as_deref()
        .map(|s| s.parse::<DeclarationStatus>())
        .transpose()
        .map_err(ensemble_app::AppError::from)?;
    Ok(Json(app.declarations(&a, status).await?))
}

async fn declaration(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Json<DeclarationResult>> {
    Ok(Json(
        app.declaration(&a, id::<DeclarationId>(&p, "declaration")?)
            .await?,
    ))
}

async fn validate_declaration(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
    input: Input<serde_json::Value>,
) -> Result<Json<DeclarationResult>> {
    let declaration = id::<DeclarationId>(&p, "declaration")?;
    Ok(Json(
        app.validate_declaration(&a, declaration, input.idempotency.as_ref())
            .await?,
    ))
}

async fn reject_declaration(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
    input: Input<Rejection>,
) -> Result<Json<Declaration>> {
    Ok(Json(
        app.reject_declaration(&a, id::<DeclarationId>(&p, "declaration")?, &input.value)
            .await?,
    ))
}

/// `?activity=<id>&member=<id>&limit=N`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct DocumentParams {
    activity: Option<String>,
    member: Option<String>,
    limit: Option<u32>,
}

fn document_query(p: &DocumentParams) -> Result<DocumentQuery> {
    Ok(DocumentQuery {
        activity: p
            .activity
            .as_deref()
            .map(|v| {
                v.parse().map_err(|_| {
                    ApiError::invalid(Some("activity"), format!("\"{v}\" is not an activity id"))
                })
            })
            .transpose()?,
        member: p
            .member
            .as_deref()
            .map(|v| {
                v.parse().map_err(|_| {
                    ApiError::invalid(Some("member"), format!("\"{v}\" is not a member id"))
                })
            })
            .transpose()?,
        limit: p.limit,
    })
}

async fn invoices(
    State(app): State<App>,
    Auth(a): Auth,
    Query(q): Query<DocumentParams>,
) -> Result<Json<Vec<Invoice>>> {
    Ok(Json(app.invoices(&a, &document_query(&q)?).await?))
}

async fn invoice(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Json<Invoice>> {
    Ok(Json(
        app.invoice(&a, id::<InvoiceId>(&p, "invoice")?).await?,
    ))
}

async fn contracts(
    State(app): State<App>,
    Auth(a): Auth,
    Query(q): Query<DocumentParams>,
) -> Result<Json<Vec<EmploymentContract>>> {
    Ok(Json(app.contracts(&a, &document_query(&q)?).await?))
}

async fn contract(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Json<ContractDetail>> {
    Ok(Json(
        app.contract(&a, id::<ContractId>(&p, "contract")?).await?,
    ))
}

async fn payslips(
    State(app): State<App>,
    Auth(a): Auth,
    Query(q): Query<DocumentParams>,
) -> Result<Json<Vec<PayslipRecord>>> {
    Ok(Json(app.payslips(&a, &document_query(&q)?).await?))
}

async fn payslip(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Json<PayslipRecord>> {
    Ok(Json(
        app.payslip(&a, id::<PayslipId>(&p, "payslip")?).await?,
    ))
}
