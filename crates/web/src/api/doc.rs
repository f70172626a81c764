//! The shared parts of the OpenAPI document: its info and security scheme, the error
//! responses every operation refers to, and the `Idempotency-Key` header.
//!
//! The operations themselves are described on their handlers (`#[utoipa::path]`) and
//! registered with their routes (`utoipa_axum::routes!`), so the document and the router are
//! built from the same list and cannot drift.

use std::borrow::Cow;

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Schema};
use utoipa::{IntoParams, Modify, OpenApi, PartialSchema, ToResponse, ToSchema};

use crate::error::ErrorBody;

/// The name of the bearer security scheme.
pub const BEARER: &str = "bearer";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Ensemble API",
        description = "The JSON API of Ensemble, the platform of a shared-enterprise \
            cooperative: entities, members and their shares, activities and budgets, clients, \
            quotes, work declarations with the invoices, contracts and payslips they produce, \
            expense claims with their receipts, and the advisors' validation queue.\n\n\
            Every operation needs `Authorization: Bearer <token>` except `/health`, \
            `/openapi.json` and a client's quote link (`/public/quotes/{token}`, whose token \
            is the credential). Amounts are strings with two decimals (`\"1069.52\"`), rates \
            percentages (`\"6.90\"`), dates `YYYY-MM-DD`. Every failure answers \
            `{\"error\": {\"code\", \"message\", \"field\"}}`. A POST that creates something \
            honours an `Idempotency-Key` header: a replay returns the first response, the same \
            key with another request is a 409.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
    ),
    security(("bearer" = [])),
    modifiers(&BearerScheme),
    components(
        schemas(ErrorBody),
        responses(Unauthorized, Forbidden, NotFound, Conflict, Invalid, TooLarge),
    ),
    tags(
        (name = "system", description = "Health, this document, the user making the request"),
        (name = "entities", description = "Cooperative entities: one legal employer per country"),
        (name = "users", description = "Staff accounts"),
        (name = "members", description = "Members and their shares"),
        (name = "activities", description = "Activities, their people and budgets, salaries from budget"),
        (name = "clients", description = "The clients of the activities"),
        (name = "quotes", description = "Quotes (order forms), their approval and the client's link"),
        (name = "public", description = "A client's quote link, without an account"),
        (name = "declarations", description = "Work declarations: invoice, contract and payslip from declared work"),
        (name = "queue", description = "The advisors' validation queue"),
        (name = "documents", description = "Invoices, contracts and payslips"),
        (name = "expenses", description = "Expense claims and their receipts"),
        (name = "banking", description = "Payout batches (pain.001), bank statements (camt.053) and the reconciliation queue"),
        (name = "payroll", description = "The payroll month: payslips and contracts per entity, with their totals"),
        (name = "books", description = "The books of an entity as files: FEC, general ledger, trial balance, activity statement, balance sheet, P&L"),
    ),
)]
pub struct ApiDoc;

/// Declares the bearer scheme that `security(("bearer" = []))` refers to.
struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi
            .components
            .get_or_insert_with(utoipa::openapi::Components::new);
        components.add_security_scheme(
            BEARER,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The API token of a user account, shown once when the account is \
                         created (`POST /members`, `POST /users`).",
                    ))
                    .build(),
            ),
        );
    }
}

/// An error response whose body is the [`ErrorBody`] schema.
fn error_response(description: &str) -> ResponseBuilder {
    ResponseBuilder::new().description(description).content(
        "application/json",
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name(ErrorBody::name())))
            .build(),
    )
}

/// Error responses, named in `components.responses` and referred to by the operations.
macro_rules! error_responses {
    ($($(#[$doc:meta])* $name:ident => $description:expr;)*) => {$(
        $(#[$doc])*
        pub struct $name;

        impl<'r> ToResponse<'r> for $name {
            fn response() -> (&'r str, RefOr<Response>) {
                (stringify!($name), error_response($description).build().into())
            }
        }
    )*};
}

error_responses! {
    /// 403.
    Forbidden => "Forbidden (`forbidden`): the user's role or relation to the resource does \
        not allow it, e.g. a member acting on another member's activity.";
    /// 404.
    NotFound => "Not found (`not_found`): no such resource, or a malformed id in the path.";
    /// 409.
    Conflict => "Conflict: the resource is not in a state that allows this (a decided \
        declaration or quote, a claim moved by someone else, a budget too small), or the \
        `Idempotency-Key` was already used with another request (`idempotency_key_reused`). \
        The code says which.";
    /// 422.
    Invalid => "Invalid input (`invalid`): `field` names the field at fault (a body path such \
        as `period.end`, a query parameter or `Idempotency-Key`) and `message` the rule.";
    /// 413.
    TooLarge => "Payload too large (`payload_too_large`): a receipt is at most 10 MB.";
}

/// 401, with its `WWW-Authenticate` header.
pub struct Unauthorized;

impl<'r> ToResponse<'r> for Unauthorized {
    fn response() -> (&'r str, RefOr<Response>) {
        (
            "Unauthorized",
            error_response(
                "Unauthenticated (`unauthenticated`): no `Authorization: Bearer <token>` \
                 header, or a token that names no account.",
            )
            .header(
                "WWW-Authenticate",
                HeaderBuilder::new()
                    .schema(Some(String::schema()))
                    .description(Some("`Bearer`"))
                    .build(),
            )
            .build()
            .into(),
        )
    }
}

/// The `Idempotency-Key` header of a POST that creates something.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)] // describes a header; the extractor reads it
pub struct IdempotencyKey {
    /// A key the client chooses for this request (1 to 255 visible ASCII characters). A
    /// retry with the same key and the same request returns the first response and creates
    /// nothing more; the same key with another request is a 409 `idempotency_key_reused`.
    #[param(rename = "Idempotency-Key", max_length = 255, pattern = r"^[!-~]+$")]
    idempotency_key: Option<String>,
}

/// The bytes of a file, in a response or a multipart field.
pub struct Binary;

impl PartialSchema for Binary {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .description(Some("The bytes of a file."))
            .build()
            .into()
    }
}

impl ToSchema for Binary {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Binary")
    }
}
