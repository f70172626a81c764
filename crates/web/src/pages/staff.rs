//! The back office: the advisors' validation queue (declarations, quotes, expense claims),
//! members (admission with the invitation link, a new link), entities and their fee settings,
//! staff accounts, the payroll month. Every handler calls the `App` use case the API calls;
//! who may do what is decided there (`require_staff`, `require_role`), never here: a member
//! who opens a back-office page gets the use case's refusal as a 403 page.
//!
//! The queue's decisions are forms that work without JavaScript (a 303 back to the queue);
//! with htmx they post in place, the item leaves the list and a status line says what was
//! done (`role="status"`), or what went wrong (`role="alert"`) with the item left in place.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use ensemble_app::inputs::{
    AddressInput, EntitySettings, NewEntity, NewMember, NewUser, Rejection,
};
use ensemble_app::payroll_month::PayrollMonth;
use ensemble_app::{Actor, App, AppError, AppResult};
use ensemble_domain::coop::{CooperativeEntity, LegalId};
use ensemble_domain::expense::{ExpenseClaim, ExpenseStatus};
use ensemble_domain::people::{Member, User};
use ensemble_domain::quote::Quote;
use ensemble_domain::work::Declaration;
use ensemble_domain::{
    DeclarationId, EntityId, ExpenseClaimId, Invalid, Lang, MemberId, Month, QuoteId, Rate, Status,
};
use serde::Deserialize;

use super::i18n::fill;
use super::{
    Chrome, Ctx, FormErrors, PageError, PageResult, Posted, answer, done_in_place,
    refused_in_place, render, render_status,
};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/staff", get(queue))
        .route(
            "/staff/declarations/{id}/validate",
            post(validate_declaration),
        )
        .route("/staff/declarations/{id}/reject", post(reject_declaration))
        .route("/staff/quotes/{id}/approve", post(approve_quote))
        .route("/staff/quotes/{id}/reject", post(reject_quote))
        .route("/staff/expenses/{id}/approve", post(approve_expense))
        .route("/staff/expenses/{id}/reject", post(reject_expense))
        .route("/staff/expenses/{id}/reimburse", post(reimburse_expense))
        .route("/staff/members", get(members).post(admit_member))
        .route("/staff/members/{id}/invite", post(invite_member))
        .route("/staff/entities", get(entities).post(create_entity))
        .route("/staff/entities/{id}", post(update_entity))
        .route("/staff/accounts", get(accounts).post(invite_staff))
        .route("/staff/payroll", get(payroll))
}

/// A path id; a malformed one is no such page.
fn id<T: std::str::FromStr>(ctx: &Ctx, text: &str, kind: &'static str) -> Result<T, PageError> {
    text.parse().map_err(|_| {
        ctx.error(AppError::NotFound {
            kind,
            id: text.to_string(),
        })
    })
}

/// Names by id, for the queue's lists.
struct Names {
    members: BTreeMap<MemberId, String>,
    activities: BTreeMap<ensemble_domain::ActivityId, String>,
}

impl Names {
    async fn load(app: &App, ctx: &Ctx, actor: &Actor) -> Result<Names, PageError> {
        let members = app.members(actor, None).await.map_err(|e| ctx.error(e))?;
        let activities = app
            .activities(actor, None)
            .await
            .map_err(|e| ctx.error(e))?;
        Ok(Names {
            members: members
                .into_iter()
                .map(|m| (m.id, format!("{} {}", m.first_name, m.last_name)))
                .collect(),
            activities: activities.into_iter().map(|a| (a.id, a.name)).collect(),
        })
    }

    fn member(&self, id: &MemberId) -> String {
        self.members.get(id).cloned().unwrap_or_default()
    }

    fn activity(&self, id: &ensemble_domain::ActivityId) -> String {
        self.activities.get(id).cloned().unwrap_or_default()
    }
}

// ---------------------------------------------------------------------------------------------
// The validation queue

#[derive(Template)]
#[template(path = "staff_queue.html")]
struct QueuePage {
    c: Chrome,
    declarations: Vec<Declaration>,
    quotes: Vec<Quote>,
    expenses: Vec<ExpenseClaim>,
    to_reimburse: Vec<ExpenseClaim>,
    names: Names,
}

async fn queue(State(app): State<App>, ctx: Ctx) -> PageResult {
    let actor = ctx.actor()?;
    let q = app
        .validation_queue(actor)
        .await
        .map_err(|e| ctx.error(e))?;
    let to_reimburse = app
        .expense_claims(actor, Some(ExpenseStatus::Approved))
        .await
        .map_err(|e| ctx.error(e))?;
    let names = Names::load(&app, &ctx, actor).await?;
    render(
        &ctx,
        &QueuePage {
            c: ctx.chrome("staff", ctx.t("queue.title")),
            declarations: q.declarations,
            quotes: q.quotes,
            expenses: q.expenses,
            to_reimburse,
            names,
        },
    )
}

/// What a decision in the queue answers. Done: back to the queue (a plain form), or for htmx
/// an empty item (it leaves the list) and the status line `key` naming the document's number,
/// out of band. Refused: for htmx the item stays and the status line says why; otherwise the
/// error page.
fn decision<T>(
    ctx: &Ctx,
    result: AppResult<T>,
    key: &'static str,
    number: impl FnOnce(&T) -> String,
) -> PageResult {
    match result {
        Ok(v) => {
            let message = fill(ctx.t(key), &[("number", &number(&v))]);
            Ok(done_in_place(ctx, "/staff", "queue-status", &message))
        }
        Err(e) => refused_in_place(ctx, "queue-status", e),
    }
}

async fn validate_declaration(
    State(app): State<App>,
    Path(p): Path<String>,
    Posted { ctx, .. }: Posted,
) -> PageResult {
    let actor = ctx.actor()?;
    let d = id::<DeclarationId>(&ctx, &p, "declaration")?;
    decision(
        &ctx,
        app.validate_declaration(actor, d, None).await,
        "queue.validated",
        |r| r.declaration.number.to_string(),
    )
}

async fn reject_declaration(
    State(app): State<App>,
    Path(p): Path<String>,
    Posted { ctx, fields }: Posted,
) -> PageResult {
    let actor = ctx.actor()?;
    let d = id::<DeclarationId>(&ctx, &p, "declaration")?;
    let input = Rejection {
        reason: fields.text("reason"),
    };
    decision(
        &ctx,
        app.reject_declaration(actor, d, &input).await,
        "queue.rejected",
        |d| d.number.to_string(),
    )
}

async fn approve_quote(
    State(app): State<App>,
    Path(p): Path<String>,
    Posted { ctx, .. }: Posted,
) -> PageResult {
    let actor = ctx.actor()?;
    let q = id::<QuoteId>(&ctx, &p, "quote")?;
    decision(
        &ctx,
        app.approve_quote(actor, q).await,
        "queue.approved",
        |q| q.number.to_string(),
    )
}

async fn reject_quote(
    State(app): State<App>,
    Path(p): Path<String>,
    Posted { ctx, fields }: Posted,
) -> PageResult {
    let actor = ctx.actor()?;
    let q = id::<QuoteId>(&ctx, &p, "quote")?;
    let input = Rejection {
        reason: fields.text("reason"),
    };
    decision(
        &ctx,
        app.reject_quote(actor, q, &input).await,
        "queue.rejected",
        |q| q.number.to_string(),
    )
}

fn claim_number(e: &ExpenseClaim) -> String {
    e.number.as_ref().map(|n| n.to_string()).unwrap_or_default()
}

async fn approve_expense(
    State(app): State<App>,
    Path(p): Path<String>,
    Posted { ctx, .. }: Posted,
) -> PageResult {
    let actor = ctx.actor()?;
    let e = id::<ExpenseClaimId>(&ctx, &p, "expense claim")?;
    decision(
        &ctx,
        app.approve_expense_claim(actor, e).await,
        "queue.approved",
        claim_number,
    )
}

async fn reject_expense(
    State(app): State<App>,
    Path(p): Path<String>,
    Posted { ctx, fields }: Posted,
) -> PageResult {
    let actor = ctx.actor()?;
    let e = id::<ExpenseClaimId>(&ctx, &p, "expense claim")?;
    let input = Rejection {
        reason: fields.text("reason"),
    };
    decision(
        &ctx,
        app.reject_expense_claim(actor, e, &input).await,
        "queue.rejected",
        claim_number,
    )
}

async fn reimburse_expense(
    State(app): State<App>,
    Path(p): Path<String>,
    Posted { ctx, .. }: Posted,
) -> PageResult {
    let actor = ctx.actor()?;
    let e = id::<ExpenseClaimId>(&ctx, &p, "expense claim")?;
    decision(
        &ctx,
        app.reimburse_expense_claim(actor, e, None).await,
        "queue.reimbursed",
        |r| claim_number(&r.claim),
    )
}

// ---------------------------------------------------------------------------------------------
// Members

/// An invitation link to show once, with whom it is for.
struct Shown {
    email: String,
    link: String,
}

#[derive(Template)]
#[template(path = "staff_members.html")]
struct MembersPage {
    c: Chrome,
    members: Vec<Member>,
    entities: Vec<CooperativeEntity>,
    f: BTreeMap<String, String>,
    errors: FormErrors,
    invitation: Option<Shown>,
}

impl MembersPage {
    fn v(&self, name: &str) -> String {
        self.f.get(name).cloned().unwrap_or_default()
    }

    fn entity_name(&self, id: &EntityId) -> String {
        self.entities
            .iter()
            .find(|e| e.id == *id)
            .map(|e| e.name.clone())
            .unwrap_or_default()
    }

    fn statuses(&self) -> [&'static str; 5] {
        [
            Status::NonCadre.code(),
            Status::Cadre.code(),
            Status::Employee.code(),
            Status::Worker.code(),
            Status::Artist.code(),
        ]
    }
}

async fn members_page(
    app: &App,
    ctx: &Ctx,
    status: StatusCode,
    f: BTreeMap<String, String>,
    errors: FormErrors,
    invitation: Option<Shown>,
) -> PageResult {
    let actor = ctx.actor()?;
    let members = app.members(actor, None).await.map_err(|e| ctx.error(e))?;
    let entities = app.entities(actor).await.map_err(|e| ctx.error(e))?;
    render_status(
        ctx,
        status,
        &MembersPage {
            c: ctx.chrome("staff-members", ctx.t("members.title")),
            members,
            entities,
            f,
            errors,
            invitation,
        },
    )
}

async fn members(State(app): State<App>, ctx: Ctx) -> PageResult {
    let mut f = BTreeMap::new();
    f.insert("lang".to_string(), ctx.lang.code().to_string());
    f.insert("shares".to_string(), "1".to_string());
    members_page(&app, &ctx, StatusCode::OK, f, FormErrors::default(), None).await
}

fn address(fields: &super::Fields) -> AddressInput {
    AddressInput {
        lines: fields
            .text("street")
            .lines()
            .map(str::to_string)
            .filter(|l| !l.trim().is_empty())
            .collect(),
        postcode: fields.optional("postcode"),
        city: fields.text("city"),
        country: fields.text("country").to_uppercase(),
    }
}

fn shown(ctx: &Ctx, email: String, path: &str) -> Option<Shown> {
    Some(Shown {
        email,
        link: format!("{}{path}", ctx.base_url()),
    })
}

async fn admit_member(State(app): State<App>, Posted { ctx, fields }: Posted) -> PageResult {
    let actor = ctx.actor()?;
    let parsed = (|| -> Result<NewMember, AppError> {
        let entity_id = fields
            .text("entity_id")
            .parse::<EntityId>()
            .map_err(|_| Invalid::new("entity_id", ctx.t("members.choose_entity")))?;
        let shares = match fields.optional("shares") {
            None => None,
            Some(s) => Some(s.parse::<u32>().map_err(|_| {
                Invalid::new("shares", fill(ctx.t("form.not_a_number"), &[("value", &s)]))
            })?),
        };
        Ok(NewMember {
            entity_id,
            first_name: fields.text("first_name"),
            last_name: fields.text("last_name"),
            email: fields.text("email"),
            iban: fields.text("iban"),
            national_id: fields.text("national_id"),
            address: address(&fields),
            lang: fields.text("lang").parse::<Lang>().ok(),
            status: match fields.optional("status") {
                Some(s) => Some(ensemble_domain::parse_field::<Status>("status", &s)?),
                None => None,
            },
            joined_on: None,
            shares,
        })
    })();
    let result = async { app.admit_member(actor, &parsed?, None).await }.await;
    answer(
        &ctx,
        result,
        async |a| {
            let invitation = shown(&ctx, a.member.email.to_string(), &a.invitation.path);
            let mut f = BTreeMap::new();
            f.insert("lang".to_string(), ctx.lang.code().to_string());
            f.insert("shares".to_string(), "1".to_string());
            members_page(
                &app,
                &ctx,
                StatusCode::OK,
                f,
                FormErrors::default(),
                invitation,
            )
            .await
        },
        async |e| {
            members_page(
                &app,
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                fields.map(),
                FormErrors::from_app(e),
                None,
            )
            .await
        },
    )
    .await
}

async fn invite_member(
    State(app): State<App>,
    Path(p): Path<String>,
    Posted { ctx, .. }: Posted,
) -> PageResult {
    let actor = ctx.actor()?;
    let m = id::<MemberId>(&ctx, &p, "member")?;
    let invitation = app
        .invite_member(actor, m)
        .await
        .map_err(|e| ctx.error(e))?;
    let shown = shown(&ctx, invitation.email, &invitation.path);
    let mut f = BTreeMap::new();
    f.insert("lang".to_string(), ctx.lang.code().to_string());
    members_page(&app, &ctx, StatusCode::OK, f, FormErrors::default(), shown).await
}

// ---------------------------------------------------------------------------------------------
// Entities and fee settings

#[derive(Template)]
#[template(path = "staff_entities.html")]
struct EntitiesPage {
    c: Chrome,
    entities: Vec<CooperativeEntity>,
    /// Administrators see the forms (the use cases refuse anyone else anyway).
    admin: bool,
    f: BTreeMap<String, String>,
    errors: FormErrors,
    /// The entity whose settings form the errors belong to; `None`: the new entity's form.
    editing: Option<EntityId>,
    saved: Option<String>,
}

impl EntitiesPage {
    fn v(&self, name: &str) -> String {
        self.f.get(name).cloned().unwrap_or_default()
    }

    /// The settings form's value: what was posted for this entity, else the stored one.
    fn setting(&self, e: &CooperativeEntity, name: &str) -> String {
        if self.editing == Some(e.id)
            && let Some(v) = self.f.get(name)
        {
            return v.clone();
        }
        match name {
            "fee_rate" => super::format::rate(self.c.lang, e.fee.rate),
            "payment_term_days" => e.payment_term_days.to_string(),
            "headcount" => e.headcount.to_string(),
            _ => String::new(),
        }
    }

    fn is_editing(&self, e: &CooperativeEntity) -> bool {
        self.editing == Some(e.id)
    }

    fn legal_id(&self, e: &CooperativeEntity) -> String {
        match &e.legal_id {
            LegalId::Siret(s) => s.to_string(),
            LegalId::BeEnterprise(n) => n.to_string(),
        }
    }

    /// The settings form's error for a field of this entity.
    fn err(&self, e: &CooperativeEntity, name: &str) -> String {
        if self.editing == Some(e.id) {
            self.errors.msg(&format!("{name}-{}", e.id))
        } else {
            String::new()
        }
    }
}

async fn entities_page(
    app: &App,
    ctx: &Ctx,
    status: StatusCode,
    f: BTreeMap<String, String>,
    errors: FormErrors,
    editing: Option<EntityId>,
    saved: Option<String>,
) -> PageResult {
    let actor = ctx.actor()?;
    let entities = app.entity_settings(actor).await.map_err(|e| ctx.error(e))?;
    render_status(
        ctx,
        status,
        &EntitiesPage {
            c: ctx.chrome("staff-entities", ctx.t("entities.title")),
            entities,
            admin: actor.role == ensemble_domain::people::Role::Admin,
            f,
            errors,
            editing,
            saved,
        },
    )
}

async fn entities(State(app): State<App>, ctx: Ctx) -> PageResult {
    let mut f = BTreeMap::new();
    f.insert("country".to_string(), "be".to_string());
    entities_page(
        &app,
        &ctx,
        StatusCode::OK,
        f,
        FormErrors::default(),
        None,
        None,
    )
    .await
}

/// A percentage typed in any of the three languages' ways (`6,5`, `6.5`, `6,5 %`).
fn parse_rate(field: &'static str, text: &str) -> Result<Rate, Invalid> {
    let t = text.trim().trim_end_matches('%').trim().replace(',', ".");
    t.parse::<Rate>()
        .map_err(|e| Invalid::new(field, e.to_string()))
}

fn parse_count(ctx: &Ctx, field: &'static str, text: &str) -> Result<u32, Invalid> {
    text.trim().parse::<u32>().map_err(|_| {
        Invalid::new(
            field,
            fill(ctx.t("form.not_a_number"), &[("value", text.trim())]),
        )
    })
}

async fn create_entity(State(app): State<App>, Posted { ctx, fields }: Posted) -> PageResult {
    let actor = ctx.actor()?;
    let parsed = (|| -> Result<NewEntity, Invalid> {
        Ok(NewEntity {
            country: fields.text("country"),
            name: fields.text("name"),
            legal_id: fields.text("legal_id"),
            vat_id: fields.text("vat_id"),
            iban: fields.text("iban"),
            bic: fields.optional("bic"),
            address: address(&fields),
            fee_rate: match fields.optional("fee_rate") {
                Some(r) => Some(parse_rate("fee_rate", &r)?),
                None => None,
            },
            vat_rate: None,
            payment_term_days: None,
            headcount: None,
            auto_validate: fields.get("auto_validate").is_some(),
        })
    })();
    let result = async { app.create_entity(actor, &parsed?, None).await }.await;
    answer(
        &ctx,
        result,
        async |e| {
            let saved = Some(fill(ctx.t("entities.created"), &[("name", &e.name)]));
            let mut f = BTreeMap::new();
            f.insert("country".to_string(), "be".to_string());
            entities_page(
                &app,
                &ctx,
                StatusCode::OK,
                f,
                FormErrors::default(),
                None,
                saved,
            )
            .await
        },
        async |e| {
            entities_page(
                &app,
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                fields.map(),
                FormErrors::from_app(e),
                None,
                None,
            )
            .await
        },
    )
    .await
}

async fn update_entity(
    State(app): State<App>,
    Path(p): Path<String>,
    Posted { ctx, fields }: Posted,
) -> PageResult {
    let actor = ctx.actor()?;
    let entity = id::<EntityId>(&ctx, &p, "entity")?;
    let parsed = (|| -> Result<EntitySettings, Invalid> {
        Ok(EntitySettings {
            fee_rate: parse_rate("fee_rate", &fields.text("fee_rate"))?,
            payment_term_days: parse_count(
                &ctx,
                "payment_term_days",
                &fields.text("payment_term_days"),
            )?,
            headcount: parse_count(&ctx, "headcount", &fields.text("headcount"))?,
            auto_validate: fields.get("auto_validate").is_some(),
        })
    })();
    let result = async { app.update_entity_settings(actor, entity, &parsed?).await }.await;
    answer(
        &ctx,
        result,
        async |e| {
            let saved = Some(fill(ctx.t("entities.saved"), &[("name", &e.name)]));
            entities_page(
                &app,
                &ctx,
                StatusCode::OK,
                BTreeMap::new(),
                FormErrors::default(),
                None,
                saved,
            )
            .await
        },
        async |e| {
            // The form's fields carry the entity's id, so several forms on a page stay apart.
            let errors = FormErrors::suffixed(e, "fee_rate", &entity.to_string());
            entities_page(
                &app,
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                fields.map(),
                errors,
                Some(entity),
                None,
            )
            .await
        },
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Staff accounts

#[derive(Template)]
#[template(path = "staff_accounts.html")]
struct AccountsPage {
    c: Chrome,
    users: Vec<User>,
    f: BTreeMap<String, String>,
    errors: FormErrors,
    invitation: Option<Shown>,
}

impl AccountsPage {
    fn v(&self, name: &str) -> String {
        self.f.get(name).cloned().unwrap_or_default()
    }
}

async fn accounts_page(
    app: &App,
    ctx: &Ctx,
    status: StatusCode,
    f: BTreeMap<String, String>,
    errors: FormErrors,
    invitation: Option<Shown>,
) -> PageResult {
    let actor = ctx.actor()?;
    let users = app.staff_accounts(actor).await.map_err(|e| ctx.error(e))?;
    render_status(
        ctx,
        status,
        &AccountsPage {
            c: ctx.chrome("staff-accounts", ctx.t("accounts.title")),
            users,
            f,
            errors,
            invitation,
        },
    )
}

fn account_defaults(ctx: &Ctx) -> BTreeMap<String, String> {
    let mut f = BTreeMap::new();
    f.insert("role".to_string(), "advisor".to_string());
    f.insert("lang".to_string(), ctx.lang.code().to_string());
    f
}

async fn accounts(State(app): State<App>, ctx: Ctx) -> PageResult {
    let f = account_defaults(&ctx);
    accounts_page(&app, &ctx, StatusCode::OK, f, FormErrors::default(), None).await
}

async fn invite_staff(State(app): State<App>, Posted { ctx, fields }: Posted) -> PageResult {
    let actor = ctx.actor()?;
    let input = NewUser {
        email: fields.text("email"),
        role: fields.text("role"),
        lang: fields.text("lang").parse::<Lang>().ok(),
    };
    answer(
        &ctx,
        app.invite_staff(actor, &input, None).await,
        async |i| {
            let invitation = shown(&ctx, i.email, &i.path);
            let f = account_defaults(&ctx);
            accounts_page(
                &app,
                &ctx,
                StatusCode::OK,
                f,
                FormErrors::default(),
                invitation,
            )
            .await
        },
        async |e| {
            accounts_page(
                &app,
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                fields.map(),
                FormErrors::from_app(e),
                None,
            )
            .await
        },
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// The payroll month

#[derive(Template)]
#[template(path = "staff_payroll.html")]
struct PayrollPage {
    c: Chrome,
    p: PayrollMonth,
    previous: Month,
    next: Month,
}

#[derive(Deserialize)]
struct MonthQuery {
    month: Option<String>,
}

async fn payroll(State(app): State<App>, ctx: Ctx, Query(q): Query<MonthQuery>) -> PageResult {
    let actor = ctx.actor()?;
    let month = match q.month.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => {
            ensemble_domain::parse_field::<Month>("month", m).map_err(|e| ctx.error(e.into()))?
        }
        None => Month::of(app.clock.today()),
    };
    let p = app
        .payroll_month(actor, month)
        .await
        .map_err(|e| ctx.error(e))?;
    let shift = |by: i32| month.plus(by).unwrap_or(month);
    render(
        &ctx,
        &PayrollPage {
            c: ctx.chrome(
                "staff-payroll",
                fill(
                    ctx.t("payroll.title"),
                    &[("month", &ctx_month(&ctx, month))],
                ),
            ),
            previous: shift(-1),
            next: shift(1),
            p,
        },
    )
}

fn ctx_month(ctx: &Ctx, m: Month) -> String {
    super::format::month(ctx.lang, m)
}
