//! The JSON API under `/api/v1`. Every route but `/health`, `/openapi.json` and a client's
//! quote link (`/public/quotes/{token}`, whose token is the credential) needs a bearer token;
//! every POST that creates something honours `Idempotency-Key`.
//!
//! Each handler carries its OpenAPI operation (`#[utoipa::path]`), and [`routes`] registers
//! handlers and operations together: the router and the document at `/openapi.json` come from
//! the same list.

use axum::extract::{Path, State};
use axum::http::StatusCode;
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
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::ApiError;
use crate::extract::{Auth, Input, Query};
use doc::{Conflict, Forbidden, IdempotencyKey, Invalid, NotFound, Unauthorized};

mod backoffice;
pub(crate) mod banking;
mod books;
pub mod doc;
mod expenses;
mod files;
mod openapi;
pub mod queue;
mod quotes;

/// Where the API is mounted.
pub const PREFIX: &str = "/api/v1";

type Result<T> = std::result::Result<T, ApiError>;
type Created<T> = (StatusCode, Json<T>);

fn created<T>(value: T) -> Created<T> {
    (StatusCode::CREATED, Json(value))
}

/// Every route of the API with its OpenAPI operation, paths relative to [`PREFIX`].
pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(health))
        .routes(routes!(openapi::document))
        .routes(routes!(me))
        .routes(routes!(create_entity, entities))
        .routes(routes!(entity))
        .routes(routes!(share_register))
        .routes(routes!(create_user))
        .routes(routes!(admit_member, members))
        .routes(routes!(member))
        .routes(routes!(subscribe_shares))
        .routes(routes!(create_activity, activities))
        .routes(routes!(activity))
        .routes(routes!(put_activity_member))
        .routes(routes!(adjust_budget))
        .routes(routes!(salary_from_budget))
        .routes(routes!(create_client, clients))
        .routes(routes!(client))
        .routes(routes!(declare_work, declarations))
        .routes(routes!(preview_declaration))
        .routes(routes!(declaration))
        .routes(routes!(validate_declaration))
        .routes(routes!(reject_declaration))
        .routes(routes!(queue::queue))
        .routes(routes!(invoices))
        .routes(routes!(invoice))
        .routes(routes!(contracts))
        .routes(routes!(contract))
        .routes(routes!(payslips))
        .routes(routes!(payslip))
        .merge(quotes::routes())
        .merge(expenses::routes())
        .merge(files::routes())
        .merge(banking::routes())
        .merge(books::routes())
        .merge(backoffice::routes())
}

/// The API's router (mounted at [`PREFIX`] by [`crate::router`]).
pub fn router() -> Router<App> {
    let (router, _) = routes().split_for_parts();
    router
        // Last, so that they cover every route above: an unknown route or method answers in
        // the API's error shape too.
        .fallback(no_such_route)
        .method_not_allowed_fallback(method_not_allowed)
}

/// The OpenAPI 3.1 document of the API, its paths under [`PREFIX`].
pub fn openapi() -> utoipa::openapi::OpenApi {
    OpenApiRouter::<App>::with_openapi(doc::ApiDoc::openapi())
        .nest(PREFIX, routes())
        .into_openapi()
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

/// The server's health.
#[derive(Serialize, ToSchema)]
struct Health {
    /// `ok`.
    #[schema(value_type = String, examples("ok"))]
    status: &'static str,
    /// The database: `sqlite` or `postgres`.
    #[schema(value_type = String, examples("sqlite", "postgres"))]
    backend: &'static str,
}

/// Whether the server is up, and which database it runs on.
#[utoipa::path(get, path = "/health", tag = "system", security(),
    responses((status = 200, description = "The server answers", body = Health)))]
async fn health(State(app): State<App>) -> Json<Health> {
    Json(Health {
        status: "ok",
        backend: app.store.backend(),
    })
}

/// The user making the request.
#[derive(Serialize, ToSchema)]
struct Me {
    #[schema(value_type = ensemble_domain::UserId)]
    user: String,
    #[schema(value_type = ensemble_domain::people::Role)]
    role: String,
    /// The member the account belongs to; `null` for staff.
    #[schema(value_type = Option<MemberId>, required = true)]
    member: Option<String>,
    #[schema(value_type = ensemble_domain::Lang)]
    lang: String,
}

/// The user making the request.
#[utoipa::path(get, path = "/me", tag = "system",
    responses((status = 200, description = "The user, their role and member", body = Me),
        (status = 401, response = Unauthorized)))]
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

/// Creates a cooperative entity (administrators).
///
/// One legal employer in one country, with its registration, VAT id, IBAN, fee and share
/// policies; the fee and VAT rates default to the country's standard ones.
#[utoipa::path(post, path = "/entities", tag = "entities", params(IdempotencyKey),
    request_body = NewEntity,
    responses((status = 201, description = "The entity created", body = CooperativeEntity),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 409, response = Conflict), (status = 422, response = Invalid)))]
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

/// Lists the cooperative entities.
#[utoipa::path(get, path = "/entities", tag = "entities",
    responses((status = 200, description = "Every entity", body = Vec<CooperativeEntity>),
        (status = 401, response = Unauthorized)))]
async fn entities(State(app): State<App>, Auth(a): Auth) -> Result<Json<Vec<CooperativeEntity>>> {
    Ok(Json(app.entities(&a).await?))
}

/// Reads a cooperative entity.
#[utoipa::path(get, path = "/entities/{id}", tag = "entities", params(("id" = EntityId, Path, description = "The entity's id; a malformed id is a 404")),
    responses((status = 200, description = "The entity", body = CooperativeEntity),
        (status = 401, response = Unauthorized), (status = 404, response = NotFound)))]
async fn entity(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Json<CooperativeEntity>> {
    Ok(Json(app.entity(&a, id::<EntityId>(&p, "entity")?).await?))
}

/// The share register of an entity (staff): shares per member, one member one vote.
#[utoipa::path(get, path = "/entities/{id}/share-register", tag = "members",
    params(("id" = EntityId, Path, description = "The entity's id; a malformed id is a 404")),
    responses((status = 200, description = "The register", body = ShareRegister),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound)))]
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

/// Creates a staff account (administrators): advisor, accountant or administrator.
///
/// The account's API token is in this response only.
#[utoipa::path(post, path = "/users", tag = "users", params(IdempotencyKey),
    request_body = NewUser,
    responses((status = 201, description = "The account and its token", body = NewAccount),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 409, response = Conflict), (status = 422, response = Invalid)))]
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

/// Admits a member (staff): the member, their account and optionally their first shares.
///
/// The IBAN, the national number (NIR in France, NISS in Belgium) and the e-mail address are
/// checked; the account's API token is in this response only.
#[utoipa::path(post, path = "/members", tag = "members", params(IdempotencyKey),
    request_body = NewMember,
    responses((status = 201, description = "The member, their account and token", body = Admission),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        (status = 422, response = Invalid)))]
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
#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct EntityQuery {
    /// Only those of this entity.
    #[param(value_type = Option<EntityId>)]
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

/// Lists the members (staff), optionally of one entity.
#[utoipa::path(get, path = "/members", tag = "members", params(EntityQuery),
    responses((status = 200, description = "The members", body = Vec<Member>),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 422, response = Invalid)))]
async fn members(
    State(app): State<App>,
    Auth(a): Auth,
    Query(q): Query<EntityQuery>,
) -> Result<Json<Vec<Member>>> {
    Ok(Json(app.members(&a, entity_filter(&q)?).await?))
}

/// Reads a member (staff, or the member themself).
#[utoipa::path(get, path = "/members/{id}", tag = "members", params(("id" = MemberId, Path, description = "The member's id; a malformed id is a 404")),
    responses((status = 200, description = "The member", body = Member),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound)))]
async fn member(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Json<Member>> {
    Ok(Json(app.member(&a, id::<MemberId>(&p, "member")?).await?))
}

/// Subscribes shares for a member (staff, or the member themself).
///
/// Shares in France (30 € each), years of use in Belgium (30 € each).
#[utoipa::path(post, path = "/members/{id}/shares", tag = "members",
    params(("id" = MemberId, Path, description = "The member's id; a malformed id is a 404"), IdempotencyKey), request_body = NewShares,
    responses((status = 201, description = "The subscription", body = ShareSubscription),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        (status = 422, response = Invalid)))]
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

/// Opens an activity, with its manager (by default the member who opens it).
#[utoipa::path(post, path = "/activities", tag = "activities", params(IdempotencyKey),
    request_body = NewActivity,
    responses((status = 201, description = "The activity", body = Activity),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        (status = 422, response = Invalid)))]
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

/// Lists the activities the user sees (a member: theirs), optionally of one entity.
#[utoipa::path(get, path = "/activities", tag = "activities", params(EntityQuery),
    responses((status = 200, description = "The activities", body = Vec<Activity>),
        (status = 401, response = Unauthorized), (status = 422, response = Invalid)))]
async fn activities(
    State(app): State<App>,
    Auth(a): Auth,
    Query(q): Query<EntityQuery>,
) -> Result<Json<Vec<Activity>>> {
    Ok(Json(app.activities(&a, entity_filter(&q)?).await?))
}

/// Reads an activity with its people and the movements of its budget.
#[utoipa::path(get, path = "/activities/{id}", tag = "activities",
    params(("id" = ActivityId, Path, description = "The activity's id; a malformed id is a 404")),
    responses((status = 200, description = "The activity", body = ActivityDetail),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound)))]
async fn activity(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Json<ActivityDetail>> {
    Ok(Json(
        app.activity(&a, id::<ActivityId>(&p, "activity")?).await?,
    ))
}

/// Gives a member a role on an activity (its manager, or staff).
#[utoipa::path(post, path = "/activities/{id}/members", tag = "activities",
    params(("id" = ActivityId, Path, description = "The activity's id; a malformed id is a 404"), IdempotencyKey), request_body = NewActivityMember,
    responses((status = 201, description = "The role", body = ActivityMember),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        (status = 422, response = Invalid)))]
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

/// Adjusts an activity's budget (staff): an opening balance or a correction.
///
/// The budget cannot go below zero.
#[utoipa::path(post, path = "/activities/{id}/budget-adjustments", tag = "activities",
    params(("id" = ActivityId, Path, description = "The activity's id; a malformed id is a 404"), IdempotencyKey), request_body = BudgetAdjustment,
    responses((status = 201, description = "The budget movement", body = BudgetMovement),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        (status = 422, response = Invalid)))]
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

/// Pays a month's salary from an activity's budget (its manager, or staff).
///
/// The largest gross whose employer cost fits the budget given (by default the whole
/// budget): a monthly fixed-term contract, its payslip, and the budget debited.
#[utoipa::path(post, path = "/activities/{id}/salaries", tag = "activities",
    params(("id" = ActivityId, Path, description = "The activity's id; a malformed id is a 404"), IdempotencyKey), request_body = SalaryRequest,
    responses((status = 201, description = "The contract, payslip and budget left", body = SalaryResult),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        (status = 422, response = Invalid)))]
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

/// Records a client: a company or a person, its VAT id checked by its check digits.
#[utoipa::path(post, path = "/clients", tag = "clients", params(IdempotencyKey),
    request_body = NewClient,
    responses((status = 201, description = "The client", body = Client),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        (status = 422, response = Invalid)))]
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

/// Lists the clients, optionally of one entity.
#[utoipa::path(get, path = "/clients", tag = "clients", params(EntityQuery),
    responses((status = 200, description = "The clients", body = Vec<Client>),
        (status = 401, response = Unauthorized), (status = 422, response = Invalid)))]
async fn clients(
    State(app): State<App>,
    Auth(a): Auth,
    Query(q): Query<EntityQuery>,
) -> Result<Json<Vec<Client>>> {
    Ok(Json(app.clients(&a, entity_filter(&q)?).await?))
}

/// Reads a client.
#[utoipa::path(get, path = "/clients/{id}", tag = "clients", params(("id" = ClientId, Path, description = "The client's id; a malformed id is a 404")),
    responses((status = 200, description = "The client", body = Client),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound)))]
async fn client(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Json<Client>> {
    Ok(Json(app.client(&a, id::<ClientId>(&p, "client")?).await?))
}

/// Declares work for an activity and a client.
///
/// Days, half-days, hours or a monthly subscription, with the price excl. VAT or the gross
/// salary wanted. Queued for an advisor, or (entities that validate at once) turned in the
/// same transaction into the invoice, the employment contract(s), the payslip and the budget
/// movements; the breakdown shows every euro.
#[utoipa::path(post, path = "/declarations", tag = "declarations", params(IdempotencyKey),
    request_body = NewDeclaration,
    responses((status = 201, description = "The declaration and what it produced", body = DeclarationResult),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        (status = 422, response = Invalid)))]
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

/// Computes what a declaration would come to, writing nothing.
#[utoipa::path(post, path = "/declarations/preview", tag = "declarations",
    request_body = NewDeclaration,
    responses((status = 200, description = "Every euro, from the invoice to the net salary", body = Breakdown),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 422, response = Invalid)))]
async fn preview_declaration(
    State(app): State<App>,
    Auth(a): Auth,
    input: Input<NewDeclaration>,
) -> Result<Json<Breakdown>> {
    Ok(Json(app.preview_declaration(&a, &input.value).await?))
}

/// `?status=submitted|validated|rejected`.
#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct StatusQuery {
    /// Only those in this status.
    #[param(value_type = Option<DeclarationStatus>)]
    status: Option<String>,
}

/// Lists the declarations the user sees, optionally by status.
#[utoipa::path(get, path = "/declarations", tag = "declarations", params(StatusQuery),
    responses((status = 200, description = "The declarations", body = Vec<Declaration>),
        (status = 401, response = Unauthorized), (status = 422, response = Invalid)))]
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

/// Reads a declaration and what it produced.
///
/// Another member of the activity sees the declaration and its invoice, not the worker's
/// contracts and payslip.
#[utoipa::path(get, path = "/declarations/{id}", tag = "declarations",
    params(("id" = DeclarationId, Path, description = "The declaration's id; a malformed id is a 404")),
    responses((status = 200, description = "The declaration", body = DeclarationResult),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound)))]
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

/// Validates a submitted declaration (staff).
///
/// Produces, in one transaction, the invoice, the contract(s), the payslip and the budget
/// movements. The body, if any, is ignored.
#[utoipa::path(post, path = "/declarations/{id}/validate", tag = "declarations",
    params(("id" = DeclarationId, Path, description = "The declaration's id; a malformed id is a 404"), IdempotencyKey),
    responses((status = 200, description = "The declaration and what it produced", body = DeclarationResult),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        (status = 422, response = Invalid)))]
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

/// Rejects a submitted declaration (staff), with a reason.
#[utoipa::path(post, path = "/declarations/{id}/reject", tag = "declarations",
    params(("id" = DeclarationId, Path, description = "The declaration's id; a malformed id is a 404")), request_body = Rejection,
    responses((status = 200, description = "The declaration", body = Declaration),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        (status = 422, response = Invalid)))]
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
#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct DocumentParams {
    /// Only those of this activity (its members, or staff).
    #[param(value_type = Option<ActivityId>)]
    activity: Option<String>,
    /// Only those of this member (themself, or staff).
    #[param(value_type = Option<MemberId>)]
    member: Option<String>,
    /// At most this many (1 to 10000; default 1000).
    #[param(minimum = 1, maximum = 10000)]
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
        limit: match p.limit {
            Some(n) if !(1..=10_000).contains(&n) => {
                return Err(ApiError::invalid(
                    Some("limit"),
                    format!("{n} is not a limit: from 1 to 10000"),
                ));
            }
            limit => limit,
        },
    })
}

/// Lists invoices: of an activity, of a member, or all the user sees.
#[utoipa::path(get, path = "/invoices", tag = "documents", params(DocumentParams),
    responses((status = 200, description = "The invoices", body = Vec<Invoice>),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 422, response = Invalid)))]
async fn invoices(
    State(app): State<App>,
    Auth(a): Auth,
    Query(q): Query<DocumentParams>,
) -> Result<Json<Vec<Invoice>>> {
    Ok(Json(app.invoices(&a, &document_query(&q)?).await?))
}

/// Reads an invoice.
#[utoipa::path(get, path = "/invoices/{id}", tag = "documents", params(("id" = InvoiceId, Path, description = "The invoice's id; a malformed id is a 404")),
    responses((status = 200, description = "The invoice", body = Invoice),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound)))]
async fn invoice(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Json<Invoice>> {
    Ok(Json(
        app.invoice(&a, id::<InvoiceId>(&p, "invoice")?).await?,
    ))
}

/// Lists employment contracts: of an activity, of a member, or all the user sees.
#[utoipa::path(get, path = "/contracts", tag = "documents", params(DocumentParams),
    responses((status = 200, description = "The contracts", body = Vec<EmploymentContract>),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 422, response = Invalid)))]
async fn contracts(
    State(app): State<App>,
    Auth(a): Auth,
    Query(q): Query<DocumentParams>,
) -> Result<Json<Vec<EmploymentContract>>> {
    Ok(Json(app.contracts(&a, &document_query(&q)?).await?))
}

/// Reads a contract with its social declarations (Dimona, DPAE).
#[utoipa::path(get, path = "/contracts/{id}", tag = "documents", params(("id" = ContractId, Path, description = "The contract's id; a malformed id is a 404")),
    responses((status = 200, description = "The contract", body = ContractDetail),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound)))]
async fn contract(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Json<ContractDetail>> {
    Ok(Json(
        app.contract(&a, id::<ContractId>(&p, "contract")?).await?,
    ))
}

/// Lists payslips: of an activity, of a member, or all the user sees.
#[utoipa::path(get, path = "/payslips", tag = "documents", params(DocumentParams),
    responses((status = 200, description = "The payslips", body = Vec<PayslipRecord>),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 422, response = Invalid)))]
async fn payslips(
    State(app): State<App>,
    Auth(a): Auth,
    Query(q): Query<DocumentParams>,
) -> Result<Json<Vec<PayslipRecord>>> {
    Ok(Json(app.payslips(&a, &document_query(&q)?).await?))
}

/// Reads a payslip with its lines.
#[utoipa::path(get, path = "/payslips/{id}", tag = "documents", params(("id" = PayslipId, Path, description = "The payslip's id; a malformed id is a 404")),
    responses((status = 200, description = "The payslip", body = PayslipRecord),
        (status = 401, response = Unauthorized), (status = 403, response = Forbidden),
        (status = 404, response = NotFound)))]
async fn payslip(
    State(app): State<App>,
    Auth(a): Auth,
    Path(p): Path<String>,
) -> Result<Json<PayslipRecord>> {
    Ok(Json(
        app.payslip(&a, id::<PayslipId>(&p, "payslip")?).await?,
    ))
}
