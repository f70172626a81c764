//! A member's pages: dashboard, activities, clients, quotes, work declarations with the live
//! simulator, invoices, contracts, payslips, expense claims with autosaved drafts and receipts,
//! shares. Every handler calls the `App` use case the API calls, with the session's actor.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use ensemble_app::activities::ActivityDetail;
use ensemble_app::declarations::DeclarationResult;
use ensemble_app::documents::{ContractDetail, DocumentQuery};
use ensemble_app::expenses::{
    ExpenseClaimDetail, ExpenseDraft, ExpenseLineInput, NewExpenseClaim, ReceiptUpload,
};
use ensemble_app::inputs::{AddressInput, NewClient, NewDeclaration, PeriodInput};
use ensemble_app::portal::{Colleague, Dashboard};
use ensemble_app::quotes::{NewQuote, QuoteLineInput, QuoteQuery};
use ensemble_app::{Actor, App, AppError};
use ensemble_domain::activity::Activity;
use ensemble_domain::client::Client;
use ensemble_domain::contract::EmploymentContract;
use ensemble_domain::expense::{ExpenseClaim, MAX_RECEIPT_BYTES, ReceiptHash};
use ensemble_domain::invoice::Invoice;
use ensemble_domain::people::ShareSubscription;
use ensemble_domain::quote::{Quote, QuoteStatus};
use ensemble_domain::work::{Breakdown, Declaration};
use ensemble_domain::{
    ActivityId, ClientId, ContractId, DeclarationId, ExpenseClaimId, Invalid, InvoiceId, Lang,
    Money, PayslipId, QuoteId, Rate,
};
use ensemble_store::PayslipRecord;
use jiff::civil::Date;

use super::format::parse_amount;
use super::i18n::fill;
use super::{
    Chrome, Ctx, Fields, FormErrors, PageError, PageResult, Posted, PostedFiles, answer, on_form,
    render, render_status, see_other,
};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/dashboard", get(dashboard))
        .route("/activities", get(activities))
        .route("/activities/{id}", get(activity))
        .route("/clients", get(clients).post(create_client))
        .route("/clients/new", get(new_client))
        .route("/quotes", get(quotes).post(create_quote))
        .route("/quotes/new", get(new_quote))
        .route("/quotes/{id}", get(quote))
        .route("/quotes/{id}/submit", post(submit_quote))
        .route("/quotes/{id}/send", post(send_quote))
        .route("/declarations", get(declarations).post(declare))
        .route("/declarations/new", get(new_declaration))
        .route("/declarations/preview", post(preview))
        .route("/declarations/{id}", get(declaration))
        .route("/invoices", get(invoices))
        .route("/invoices/{id}", get(invoice))
        .route("/contracts", get(contracts))
        .route("/contracts/{id}", get(contract))
        .route("/payslips", get(payslips))
        .route("/payslips/{id}", get(payslip))
        .route("/expenses", get(expenses).post(new_expense))
        .route("/expenses/{id}", get(expense).post(save_expense))
        .route(
            "/expenses/{id}/receipts",
            post(upload_receipt).layer(DefaultBodyLimit::max(MAX_RECEIPT_BYTES + 64 * 1024)),
        )
        .route("/expenses/{id}/submit", post(submit_expense))
        .route("/receipts/{hash}", get(receipt))
        .route("/shares", get(shares))
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

/// Names by id, for lists.
struct Names {
    activities: BTreeMap<ActivityId, String>,
    clients: BTreeMap<ClientId, String>,
}

impl Names {
    async fn load(app: &App, ctx: &Ctx, actor: &Actor) -> Result<Names, PageError> {
        let activities = app
            .activities(actor, None)
            .await
            .map_err(|e| ctx.error(e))?;
        let clients = app.clients(actor, None).await.map_err(|e| ctx.error(e))?;
        Ok(Names {
            activities: activities.into_iter().map(|a| (a.id, a.name)).collect(),
            clients: clients.into_iter().map(|c| (c.id, c.name)).collect(),
        })
    }

    fn activity(&self, id: &ActivityId) -> String {
        self.activities.get(id).cloned().unwrap_or_default()
    }

    fn client(&self, id: &ClientId) -> String {
        self.clients.get(id).cloned().unwrap_or_default()
    }
}

// ---------------------------------------------------------------------------------------------
// Dashboard

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    c: Chrome,
    name: String,
    d: Dashboard,
}

async fn dashboard(State(app): State<App>, ctx: Ctx) -> PageResult {
    let actor = ctx.actor()?;
    if actor.role.is_staff() {
        return Ok(see_other(&ctx, "/staff"));
    }
    let d = app.dashboard(actor).await.map_err(|e| ctx.error(e))?;
    let name = match actor.member {
        Some(m) => {
            app.member(actor, m)
                .await
                .map_err(|e| ctx.error(e))?
                .first_name
        }
        None => String::new(),
    };
    render(
        &ctx,
        &DashboardPage {
            c: ctx.chrome("dashboard", ctx.t("nav.dashboard")),
            name,
            d,
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Activities

#[derive(Template)]
#[template(path = "activities.html")]
struct ActivitiesPage {
    c: Chrome,
    activities: Vec<Activity>,
}

async fn activities(State(app): State<App>, ctx: Ctx) -> PageResult {
    let actor = ctx.actor()?;
    let activities = app
        .activities(actor, None)
        .await
        .map_err(|e| ctx.error(e))?;
    render(
        &ctx,
        &ActivitiesPage {
            c: ctx.chrome("activities", ctx.t("nav.activities")),
            activities,
        },
    )
}

#[derive(Template)]
#[template(path = "activity.html")]
struct ActivityPage {
    c: Chrome,
    a: ActivityDetail,
    people: Vec<Colleague>,
}

async fn activity(State(app): State<App>, ctx: Ctx, Path(p): Path<String>) -> PageResult {
    let actor = ctx.actor()?;
    let activity_id = id::<ActivityId>(&ctx, &p, "activity")?;
    let a = app
        .activity(actor, activity_id)
        .await
        .map_err(|e| ctx.error(e))?;
    let people = app
        .activity_people(actor, activity_id)
        .await
        .map_err(|e| ctx.error(e))?;
    render(
        &ctx,
        &ActivityPage {
            c: ctx.chrome("activities", a.activity.name.clone()),
            a,
            people,
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Clients

#[derive(Template)]
#[template(path = "clients.html")]
struct ClientsPage {
    c: Chrome,
    clients: Vec<Client>,
}

async fn clients(State(app): State<App>, ctx: Ctx) -> PageResult {
    let actor = ctx.actor()?;
    let clients = app.clients(actor, None).await.map_err(|e| ctx.error(e))?;
    render(
        &ctx,
        &ClientsPage {
            c: ctx.chrome("clients", ctx.t("nav.clients")),
            clients,
        },
    )
}

#[derive(Template)]
#[template(path = "client_new.html")]
struct ClientForm {
    c: Chrome,
    f: BTreeMap<String, String>,
    errors: FormErrors,
}

impl ClientForm {
    fn v(&self, name: &str) -> String {
        self.f.get(name).cloned().unwrap_or_default()
    }
}

async fn new_client(ctx: Ctx) -> PageResult {
    ctx.actor()?;
    let mut f = BTreeMap::new();
    f.insert("kind".to_string(), "company".to_string());
    f.insert("lang".to_string(), ctx.lang.code().to_string());
    render(
        &ctx,
        &ClientForm {
            c: ctx.chrome("clients", ctx.t("client.new")),
            f,
            errors: FormErrors::default(),
        },
    )
}

async fn create_client(State(app): State<App>, Posted { ctx, fields }: Posted) -> PageResult {
    let actor = ctx.actor()?;
    let member = actor
        .member
        .ok_or_else(|| ctx.error(AppError::forbidden("members record clients here")))?;
    let entity_id = app
        .member(actor, member)
        .await
        .map_err(|e| ctx.error(e))?
        .entity_id;
    let input = NewClient {
        entity_id,
        kind: fields.text("kind"),
        name: fields.text("name"),
        address: AddressInput {
            lines: fields
                .text("street")
                .lines()
                .map(str::to_string)
                .filter(|l| !l.trim().is_empty())
                .collect(),
            postcode: fields.optional("postcode"),
            city: fields.text("city"),
            country: fields.text("country").to_uppercase(),
        },
        vat_id: fields.optional("vat_id"),
        company_id: fields.optional("company_id"),
        peppol_id: None,
        email: fields.optional("email"),
        lang: fields.text("lang").parse::<Lang>().ok(),
    };
    answer(
        &ctx,
        app.create_client(actor, &input, None).await,
        async |_| Ok(see_other(&ctx, "/clients")),
        async |e| {
            render_status(
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                &ClientForm {
                    c: ctx.chrome("clients", ctx.t("client.new")),
                    f: fields.map(),
                    errors: FormErrors::from_app(e),
                },
            )
        },
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Quotes

#[derive(Template)]
#[template(path = "quotes.html")]
struct QuotesPage {
    c: Chrome,
    quotes: Vec<(Quote, String)>,
}

async fn quotes(State(app): State<App>, ctx: Ctx) -> PageResult {
    let actor = ctx.actor()?;
    let names = Names::load(&app, &ctx, actor).await?;
    let list = app
        .quotes(actor, &QuoteQuery::default())
        .await
        .map_err(|e| ctx.error(e))?;
    render(
        &ctx,
        &QuotesPage {
            c: ctx.chrome("quotes", ctx.t("nav.quotes")),
            quotes: list
                .into_iter()
                .rev()
                .map(|q| {
                    let client = names.client(&q.client_id);
                    (q, client)
                })
                .collect(),
        },
    )
}

/// One line of the quote form, as typed.
#[derive(Clone, Debug, Default)]
struct LineRow {
    description: String,
    quantity: String,
    unit: String,
    unit_price: String,
    vat_rate: String,
}

#[derive(Template)]
#[template(path = "quote_new.html")]
struct QuoteForm {
    c: Chrome,
    activities: Vec<Activity>,
    clients: Vec<Client>,
    f: BTreeMap<String, String>,
    rows: Vec<LineRow>,
    errors: FormErrors,
}

impl QuoteForm {
    fn v(&self, name: &str) -> String {
        self.f.get(name).cloned().unwrap_or_default()
    }
}

async fn quote_form(
    app: &App,
    ctx: &Ctx,
    f: BTreeMap<String, String>,
    rows: Vec<LineRow>,
    errors: FormErrors,
) -> Result<QuoteForm, PageError> {
    let actor = ctx.actor()?;
    Ok(QuoteForm {
        c: ctx.chrome("quotes", ctx.t("quote.new")),
        activities: app
            .activities(actor, None)
            .await
            .map_err(|e| ctx.error(e))?,
        clients: app.clients(actor, None).await.map_err(|e| ctx.error(e))?,
        f,
        rows,
        errors,
    })
}

async fn new_quote(State(app): State<App>, ctx: Ctx) -> PageResult {
    let rows = vec![
        LineRow {
            unit: "day".into(),
            quantity: "1".into(),
            ..LineRow::default()
        };
        3
    ];
    let page = quote_form(&app, &ctx, BTreeMap::new(), rows, FormErrors::default()).await?;
    render(&ctx, &page)
}

fn rows_of(fields: &Fields) -> Vec<LineRow> {
    let d = fields.all("line_description");
    let q = fields.all("line_quantity");
    let u = fields.all("line_unit");
    let p = fields.all("line_unit_price");
    let v = fields.all("line_vat_rate");
    (0..d.len())
        .map(|i| LineRow {
            description: d[i].clone(),
            quantity: q.get(i).cloned().unwrap_or_default(),
            unit: u.get(i).cloned().unwrap_or_default(),
            unit_price: p.get(i).cloned().unwrap_or_default(),
            vat_rate: v.get(i).cloned().unwrap_or_default(),
        })
        .collect()
}

fn invalid(field: &'static str, message: impl Into<String>) -> AppError {
    AppError::Invalid(Invalid::new(field, message))
}

fn quote_input(ctx: &Ctx, fields: &Fields, rows: &[LineRow]) -> Result<NewQuote, AppError> {
    let mut lines = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if r.description.is_empty() && r.unit_price.is_empty() {
            continue;
        }
        let unit_price = parse_amount(ctx.lang, &r.unit_price)
            .map_err(|e| invalid("lines", format!("{} {}: {e}", ctx.t("quote.line"), i + 1)))?;
        let vat_rate =
            if r.vat_rate.is_empty() {
                None
            } else {
                Some(r.vat_rate.replace(',', ".").parse::<Rate>().map_err(|e| {
                    invalid("lines", format!("{} {}: {e}", ctx.t("quote.line"), i + 1))
                })?)
            };
        lines.push(QuoteLineInput {
            description: r.description.clone(),
            quantity: r.quantity.replace(',', "."),
            unit: r.unit.clone(),
            unit_price,
            vat_rate,
        });
    }
    Ok(NewQuote {
        activity_id: fields
            .text("activity_id")
            .parse()
            .map_err(|_| invalid("activity_id", ctx.t("form.choose")))?,
        client_id: fields
            .text("client_id")
            .parse()
            .map_err(|_| invalid("client_id", ctx.t("form.choose")))?,
        member_id: None,
        title: fields.text("title"),
        lines,
        validity_days: fields.text("validity_days").parse().ok(),
        lang: None,
    })
}

async fn create_quote(State(app): State<App>, Posted { ctx, fields }: Posted) -> PageResult {
    let actor = ctx.actor()?;
    let rows = rows_of(&fields);
    let result = async {
        app.create_quote(actor, &quote_input(&ctx, &fields, &rows)?, None)
            .await
    }
    .await;
    answer(
        &ctx,
        result,
        async |q| Ok(see_other(&ctx, &format!("/quotes/{}", q.id))),
        async |e| {
            let page = quote_form(&app, &ctx, fields.map(), rows, FormErrors::from_app(e)).await?;
            render_status(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &page)
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "quote.html")]
struct QuotePage {
    c: Chrome,
    q: Quote,
    client: String,
    activity: String,
    /// The client's link, right after sending.
    link: Option<String>,
    errors: FormErrors,
}

impl QuotePage {
    fn can_submit(&self) -> bool {
        self.q.status == QuoteStatus::Draft
    }

    fn can_send(&self) -> bool {
        matches!(self.q.status, QuoteStatus::Approved | QuoteStatus::Sent)
    }
}

async fn quote_page(
    app: &App,
    ctx: &Ctx,
    q: Quote,
    link: Option<String>,
    errors: FormErrors,
) -> Result<QuotePage, PageError> {
    let actor = ctx.actor()?;
    let names = Names::load(app, ctx, actor).await?;
    Ok(QuotePage {
        c: ctx.chrome("quotes", format!("{} {}", ctx.t("quote.title"), q.number)),
        client: names.client(&q.client_id),
        activity: names.activity(&q.activity_id),
        q,
        link,
        errors,
    })
}

async fn quote(State(app): State<App>, ctx: Ctx, Path(p): Path<String>) -> PageResult {
    let actor = ctx.actor()?;
    let q = app
        .quote(actor, id::<QuoteId>(&ctx, &p, "quote")?)
        .await
        .map_err(|e| ctx.error(e))?;
    let page = quote_page(&app, &ctx, q, None, FormErrors::default()).await?;
    render(&ctx, &page)
}

async fn submit_quote(
    State(app): State<App>,
    Path(p): Path<String>,
    Posted { ctx, .. }: Posted,
) -> PageResult {
    let actor = ctx.actor()?;
    let quote_id = id::<QuoteId>(&ctx, &p, "quote")?;
    answer(
        &ctx,
        app.submit_quote(actor, quote_id).await,
        async |q| Ok(see_other(&ctx, &format!("/quotes/{}", q.id))),
        async |e| quote_again(&app, &ctx, quote_id, e).await,
    )
    .await
}

/// The quote's page again with the error of an action on it (409).
async fn quote_again(app: &App, ctx: &Ctx, quote_id: QuoteId, e: &AppError) -> PageResult {
    let actor = ctx.actor()?;
    let q = app.quote(actor, quote_id).await.map_err(|e| ctx.error(e))?;
    let page = quote_page(app, ctx, q, None, FormErrors::from_app(e)).await?;
    render_status(ctx, StatusCode::CONFLICT, &page)
}

async fn send_quote(
    State(app): State<App>,
    Path(p): Path<String>,
    Posted { ctx, .. }: Posted,
) -> PageResult {
    let actor = ctx.actor()?;
    let quote_id = id::<QuoteId>(&ctx, &p, "quote")?;
    answer(
        &ctx,
        app.send_quote(actor, quote_id).await,
        async |sent| {
            let link = format!("{}{}", ctx.base_url(), sent.path);
            let page =
                quote_page(&app, &ctx, sent.quote, Some(link), FormErrors::default()).await?;
            render(&ctx, &page)
        },
        async |e| quote_again(&app, &ctx, quote_id, e).await,
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Work declarations and the simulator

#[derive(Template)]
#[template(path = "declarations.html")]
struct DeclarationsPage {
    c: Chrome,
    declarations: Vec<(Declaration, String, String)>,
}

async fn declarations(State(app): State<App>, ctx: Ctx) -> PageResult {
    let actor = ctx.actor()?;
    let names = Names::load(&app, &ctx, actor).await?;
    let list = app
        .declarations(actor, None)
        .await
        .map_err(|e| ctx.error(e))?;
    render(
        &ctx,
        &DeclarationsPage {
            c: ctx.chrome("declarations", ctx.t("nav.declarations")),
            declarations: list
                .into_iter()
                .rev()
                .map(|d| {
                    let (a, c) = (names.activity(&d.activity_id), names.client(&d.client_id));
                    (d, a, c)
                })
                .collect(),
        },
    )
}

#[derive(Template)]
#[template(path = "declaration_new.html")]
struct DeclarationForm {
    c: Chrome,
    activities: Vec<Activity>,
    clients: Vec<Client>,
    f: BTreeMap<String, String>,
    errors: FormErrors,
    /// The simulator's panel, rendered.
    simulator: String,
}

impl DeclarationForm {
    fn v(&self, name: &str) -> String {
        self.f.get(name).cloned().unwrap_or_default()
    }
}

/// The live simulator's panel.
#[derive(Template)]
#[template(path = "simulator.html")]
struct Simulator {
    c: Chrome,
    breakdown: Option<Breakdown>,
    sentence: String,
    /// Why there is no breakdown yet.
    hint: String,
}

async fn declaration_form(
    app: &App,
    ctx: &Ctx,
    f: BTreeMap<String, String>,
    errors: FormErrors,
    simulator: Simulator,
) -> Result<DeclarationForm, PageError> {
    let actor = ctx.actor()?;
    Ok(DeclarationForm {
        c: ctx.chrome("declarations", ctx.t("declaration.new")),
        activities: app
            .activities(actor, None)
            .await
            .map_err(|e| ctx.error(e))?,
        clients: app.clients(actor, None).await.map_err(|e| ctx.error(e))?,
        f,
        errors,
        simulator: simulator
            .render()
            .map_err(|e| ctx.error(AppError::Internal(format!("template: {e}"))))?,
    })
}

#[derive(serde::Deserialize, Default)]
struct NewDeclarationQuery {
    activity: Option<String>,
}

async fn new_declaration(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<NewDeclarationQuery>,
) -> PageResult {
    ctx.actor()?;
    let today = app.clock.today().to_string();
    let mut f = BTreeMap::new();
    f.insert("start".to_string(), today.clone());
    f.insert("end".to_string(), today);
    f.insert("unit".to_string(), "day".to_string());
    f.insert("quantity".to_string(), "1".to_string());
    f.insert("amount_kind".to_string(), "price".to_string());
    if let Some(a) = q.activity {
        f.insert("activity_id".to_string(), a);
    }
    let simulator = Simulator {
        c: ctx.chrome("declarations", ""),
        breakdown: None,
        sentence: String::new(),
        hint: ctx.t("simulator.start").to_string(),
    };
    let page = declaration_form(&app, &ctx, f, FormErrors::default(), simulator).await?;
    render(&ctx, &page)
}

fn declaration_input(ctx: &Ctx, fields: &Fields) -> Result<NewDeclaration, AppError> {
    let date = |name: &'static str, field: &'static str| -> Result<Date, AppError> {
        fields
            .text(name)
            .parse::<Date>()
            .map_err(|_| invalid(field, ctx.t("form.date")))
    };
    let amount_text = fields.text("amount");
    if amount_text.is_empty() {
        return Err(invalid("amount", ctx.t("simulator.need_amount")));
    }
    let amount =
        parse_amount(ctx.lang, &amount_text).map_err(|e| invalid("amount", e.to_string()))?;
    let by_gross = fields.text("amount_kind") == "gross";
    Ok(NewDeclaration {
        activity_id: fields
            .text("activity_id")
            .parse()
            .map_err(|_| invalid("activity_id", ctx.t("form.choose")))?,
        client_id: fields
            .text("client_id")
            .parse()
            .map_err(|_| invalid("client_id", ctx.t("form.choose")))?,
        member_id: None,
        period: PeriodInput {
            start: date("start", "period.start")?,
            end: date("end", "period.end")?,
        },
        unit: fields.text("unit"),
        quantity: fields.text("quantity").replace(',', "."),
        price: (!by_gross).then_some(amount),
        gross: by_gross.then_some(amount),
        description: fields.text("description"),
    })
}

/// The sentence of the simulator: "You invoice …, the fee is …, your net is …".
fn sentence(ctx: &Ctx, b: &Breakdown) -> String {
    let m = |v: Money| super::format::money(ctx.lang, v);
    fill(
        ctx.t("simulator.sentence"),
        &[
            ("invoiced", &m(b.invoiced)),
            ("fee", &m(b.fee)),
            ("net", &m(b.net)),
        ],
    )
}

async fn preview(State(app): State<App>, Posted { ctx, fields }: Posted) -> PageResult {
    let actor = ctx.actor()?;
    let chrome = ctx.chrome("declarations", "");
    let simulator = match declaration_input(&ctx, &fields) {
        Err(e) => Simulator {
            c: chrome,
            breakdown: None,
            sentence: String::new(),
            hint: e.message(),
        },
        Ok(input) => match app.preview_declaration(actor, &input).await {
            Ok(b) => Simulator {
                c: chrome,
                sentence: sentence(&ctx, &b),
                breakdown: Some(b),
                hint: String::new(),
            },
            Err(e) if on_form(&e) || matches!(e, AppError::NotFound { .. }) => Simulator {
                c: chrome,
                breakdown: None,
                sentence: String::new(),
                hint: e.message(),
            },
            Err(e) => return Err(ctx.error(e)),
        },
    };
    render(&ctx, &simulator)
}

async fn declare(State(app): State<App>, Posted { ctx, fields }: Posted) -> PageResult {
    let actor = ctx.actor()?;
    let result = async {
        app.declare_work(actor, &declaration_input(&ctx, &fields)?, None)
            .await
    }
    .await;
    answer(
        &ctx,
        result,
        async |r| {
            Ok(see_other(
                &ctx,
                &format!("/declarations/{}", r.declaration.id),
            ))
        },
        async |e| {
            let simulator = Simulator {
                c: ctx.chrome("declarations", ""),
                breakdown: None,
                sentence: String::new(),
                hint: e.message(),
            };
            let page =
                declaration_form(&app, &ctx, fields.map(), FormErrors::from_app(e), simulator)
                    .await?;
            render_status(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &page)
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "declaration.html")]
struct DeclarationPage {
    c: Chrome,
    r: DeclarationResult,
    activity: String,
    client: String,
    sentence: String,
}

async fn declaration(State(app): State<App>, ctx: Ctx, Path(p): Path<String>) -> PageResult {
    let actor = ctx.actor()?;
    let r = app
        .declaration(actor, id::<DeclarationId>(&ctx, &p, "declaration")?)
        .await
        .map_err(|e| ctx.error(e))?;
    let names = Names::load(&app, &ctx, actor).await?;
    render(
        &ctx,
        &DeclarationPage {
            c: ctx.chrome(
                "declarations",
                format!("{} {}", ctx.t("declaration.title"), r.declaration.number),
            ),
            activity: names.activity(&r.declaration.activity_id),
            client: names.client(&r.declaration.client_id),
            sentence: sentence(&ctx, &r.declaration.breakdown),
            r,
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Invoices, contracts, payslips

fn all_documents() -> DocumentQuery {
    DocumentQuery {
        limit: Some(10_000),
        ..DocumentQuery::default()
    }
}

#[derive(Template)]
#[template(path = "invoices.html")]
struct InvoicesPage {
    c: Chrome,
    invoices: Vec<(Invoice, String)>,
    today: Date,
}

async fn invoices(State(app): State<App>, ctx: Ctx) -> PageResult {
    let actor = ctx.actor()?;
    let names = Names::load(&app, &ctx, actor).await?;
    let list = app
        .invoices(actor, &all_documents())
        .await
        .map_err(|e| ctx.error(e))?;
    render(
        &ctx,
        &InvoicesPage {
            c: ctx.chrome("invoices", ctx.t("nav.invoices")),
            invoices: list
                .into_iter()
                .rev()
                .map(|i| {
                    let c = names.client(&i.client_id);
                    (i, c)
                })
                .collect(),
            today: app.clock.today(),
        },
    )
}

#[derive(Template)]
#[template(path = "invoice.html")]
struct InvoicePage {
    c: Chrome,
    i: Invoice,
    client: String,
    activity: String,
    today: Date,
}

impl InvoicePage {
    fn quantity(&self, thousandths: &i64) -> String {
        let text = Money::from_cents(*thousandths / 10).to_string();
        let text = text.trim_end_matches('0').trim_end_matches('.');
        match self.c.lang {
            Lang::En => text.to_string(),
            _ => text.replace('.', ","),
        }
    }
}

async fn invoice(State(app): State<App>, ctx: Ctx, Path(p): Path<String>) -> PageResult {
    let actor = ctx.actor()?;
    let i = app
        .invoice(actor, id::<InvoiceId>(&ctx, &p, "invoice")?)
        .await
        .map_err(|e| ctx.error(e))?;
    let names = Names::load(&app, &ctx, actor).await?;
    render(
        &ctx,
        &InvoicePage {
            c: ctx.chrome(
                "invoices",
                format!("{} {}", ctx.t("invoice.title"), i.number),
            ),
            client: names.client(&i.client_id),
            activity: names.activity(&i.activity_id),
            i,
            today: app.clock.today(),
        },
    )
}

#[derive(Template)]
#[template(path = "contracts.html")]
struct ContractsPage {
    c: Chrome,
    contracts: Vec<EmploymentContract>,
}

async fn contracts(State(app): State<App>, ctx: Ctx) -> PageResult {
    let actor = ctx.actor()?;
    let mut list = app
        .contracts(actor, &all_documents())
        .await
        .map_err(|e| ctx.error(e))?;
    list.reverse();
    render(
        &ctx,
        &ContractsPage {
            c: ctx.chrome("contracts", ctx.t("nav.contracts")),
            contracts: list,
        },
    )
}

#[derive(Template)]
#[template(path = "contract.html")]
struct ContractPage {
    c: Chrome,
    d: ContractDetail,
    activity: String,
}

async fn contract(State(app): State<App>, ctx: Ctx, Path(p): Path<String>) -> PageResult {
    let actor = ctx.actor()?;
    let d = app
        .contract(actor, id::<ContractId>(&ctx, &p, "contract")?)
        .await
        .map_err(|e| ctx.error(e))?;
    let names = Names::load(&app, &ctx, actor).await?;
    render(
        &ctx,
        &ContractPage {
            c: ctx.chrome(
                "contracts",
                format!("{} {}", ctx.t("contract.title"), d.contract.number),
            ),
            activity: names.activity(&d.contract.activity_id),
            d,
        },
    )
}

#[derive(Template)]
#[template(path = "payslips.html")]
struct PayslipsPage {
    c: Chrome,
    payslips: Vec<(PayslipRecord, String)>,
}

async fn payslips(State(app): State<App>, ctx: Ctx) -> PageResult {
    let actor = ctx.actor()?;
    let names = Names::load(&app, &ctx, actor).await?;
    let list = app
        .payslips(actor, &all_documents())
        .await
        .map_err(|e| ctx.error(e))?;
    render(
        &ctx,
        &PayslipsPage {
            c: ctx.chrome("payslips", ctx.t("nav.payslips")),
            payslips: list
                .into_iter()
                .rev()
                .map(|p| {
                    let a = names.activity(&p.activity_id);
                    (p, a)
                })
                .collect(),
        },
    )
}

/// A payslip line as the page shows it.
struct SlipLine {
    label: String,
    base: String,
    employee: String,
    employer: String,
}

#[derive(Template)]
#[template(path = "payslip.html")]
struct PayslipPage {
    c: Chrome,
    p: PayslipRecord,
    activity: String,
    lines: Vec<SlipLine>,
}

/// A money value of the engine's JSON (a string like "123.45"), formatted.
fn json_money(lang: Lang, v: Option<&serde_json::Value>) -> String {
    v.and_then(|v| match v {
        serde_json::Value::String(s) => s.parse::<Money>().ok(),
        serde_json::Value::Number(n) => n.to_string().parse::<Money>().ok(),
        _ => None,
    })
    .map(|m| super::format::money(lang, m))
    .unwrap_or_default()
}

async fn payslip(State(app): State<App>, ctx: Ctx, Path(p): Path<String>) -> PageResult {
    let actor = ctx.actor()?;
    let p = app
        .payslip(actor, id::<PayslipId>(&ctx, &p, "payslip")?)
        .await
        .map_err(|e| ctx.error(e))?;
    let names = Names::load(&app, &ctx, actor).await?;
    let lines = p
        .lines
        .as_array()
        .map(|lines| {
            lines
                .iter()
                .map(|l| SlipLine {
                    label: l
                        .get("label")
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_string(),
                    base: json_money(ctx.lang, l.get("base")),
                    employee: json_money(ctx.lang, l.get("employee_amount").or(l.get("employee"))),
                    employer: json_money(ctx.lang, l.get("employer_amount").or(l.get("employer"))),
                })
                .collect()
        })
        .unwrap_or_default();
    render(
        &ctx,
        &PayslipPage {
            c: ctx.chrome(
                "payslips",
                format!(
                    "{} {}",
                    ctx.t("payslip.title"),
                    super::format::month(ctx.lang, p.month)
                ),
            ),
            activity: names.activity(&p.activity_id),
            lines,
            p,
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Expense claims

#[derive(Template)]
#[template(path = "expenses.html")]
struct ExpensesPage {
    c: Chrome,
    claims: Vec<(ExpenseClaim, String)>,
    activities: Vec<Activity>,
    errors: FormErrors,
}

async fn expenses_page(app: &App, ctx: &Ctx, errors: FormErrors) -> PageResult {
    let actor = ctx.actor()?;
    let names = Names::load(app, ctx, actor).await?;
    let claims = app
        .expense_claims(actor, None)
        .await
        .map_err(|e| ctx.error(e))?;
    let activities = app
        .activities(actor, None)
        .await
        .map_err(|e| ctx.error(e))?;
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(
        ctx,
        status,
        &ExpensesPage {
            c: ctx.chrome("expenses", ctx.t("nav.expenses")),
            claims: claims
                .into_iter()
                .rev()
                .map(|c| {
                    let a = names.activity(&c.activity_id);
                    (c, a)
                })
                .collect(),
            activities,
            errors,
        },
    )
}

async fn expenses(State(app): State<App>, ctx: Ctx) -> PageResult {
    expenses_page(&app, &ctx, FormErrors::default()).await
}

async fn new_expense(State(app): State<App>, Posted { ctx, fields }: Posted) -> PageResult {
    let actor = ctx.actor()?;
    let activity_id = match fields.text("activity_id").parse::<ActivityId>() {
        Ok(a) => a,
        Err(_) => {
            return expenses_page(
                &app,
                &ctx,
                FormErrors::one("activity_id", ctx.t("form.choose")),
            )
            .await;
        }
    };
    let input = NewExpenseClaim {
        activity_id,
        member_id: None,
        title: fields.text("title"),
        lines: Vec::new(),
    };
    answer(
        &ctx,
        app.create_expense_claim(actor, &input, None).await,
        async |claim| Ok(see_other(&ctx, &format!("/expenses/{}", claim.id))),
        async |e| expenses_page(&app, &ctx, FormErrors::from_app(e)).await,
    )
    .await
}

/// One line of the expense form, as typed or stored.
#[derive(Clone, Debug, Default)]
struct ExpenseRow {
    date: String,
    description: String,
    category: String,
    amount: String,
    vat_rate: String,
    receipt: String,
    receipt_name: String,
    no_receipt_reason: String,
}

#[derive(Template)]
#[template(path = "expense.html")]
struct ExpensePage {
    c: Chrome,
    d: ExpenseClaimDetail,
    activity: String,
    title: String,
    rows: Vec<ExpenseRow>,
    editable: bool,
    errors: FormErrors,
    categories: Vec<&'static str>,
}

const CATEGORIES: [&str; 7] = [
    "travel",
    "accommodation",
    "meals",
    "equipment",
    "supplies",
    "services",
    "other",
];

fn rate_input(lang: Lang, r: Rate) -> String {
    let text = r.to_string();
    let trimmed = text.trim_end_matches('0').trim_end_matches('.');
    match lang {
        Lang::En => trimmed.to_string(),
        _ => trimmed.replace('.', ","),
    }
}

fn stored_rows(ctx: &Ctx, d: &ExpenseClaimDetail) -> Vec<ExpenseRow> {
    d.claim
        .lines
        .iter()
        .map(|l| {
            let receipt = l
                .receipt
                .as_ref()
                .map(|h| h.to_string())
                .unwrap_or_default();
            ExpenseRow {
                date: l.date.to_string(),
                description: l.description.clone(),
                category: l.category.code().to_string(),
                amount: super::format::money_input(ctx.lang, l.amount),
                vat_rate: rate_input(ctx.lang, l.vat_rate),
                receipt_name: d
                    .receipts
                    .iter()
                    .find(|r| r.hash.to_string() == receipt)
                    .map(|r| r.file_name.clone())
                    .unwrap_or_default(),
                receipt,
                no_receipt_reason: l.no_receipt_reason.clone().unwrap_or_default(),
            }
        })
        .collect()
}

fn blank_row(today: Date) -> ExpenseRow {
    ExpenseRow {
        date: today.to_string(),
        category: "other".into(),
        ..ExpenseRow::default()
    }
}

async fn expense_page(
    app: &App,
    ctx: &Ctx,
    d: ExpenseClaimDetail,
    typed: Option<(String, Vec<ExpenseRow>)>,
    errors: FormErrors,
) -> Result<ExpensePage, PageError> {
    let actor = ctx.actor()?;
    let names = Names::load(app, ctx, actor).await?;
    let editable = d.claim.status.is_editable() && actor.member == Some(d.claim.member_id);
    let (title, mut rows) = match typed {
        Some(t) => t,
        None => (d.claim.title.clone(), stored_rows(ctx, &d)),
    };
    if editable
        && rows
            .iter()
            .all(|r| !r.description.is_empty() || !r.amount.is_empty())
    {
        rows.push(blank_row(app.clock.today()));
    }
    let heading = d
        .claim
        .number
        .map_or_else(|| ctx.t("expense.draft").to_string(), |n| n.to_string());
    Ok(ExpensePage {
        c: ctx.chrome(
            "expenses",
            format!("{} — {heading}", ctx.t("expense.title")),
        ),
        activity: names.activity(&d.claim.activity_id),
        title,
        rows,
        editable,
        errors,
        categories: CATEGORIES.to_vec(),
        d,
    })
}

async fn expense(State(app): State<App>, ctx: Ctx, Path(p): Path<String>) -> PageResult {
    let actor = ctx.actor()?;
    let d = app
        .expense_claim(actor, id::<ExpenseClaimId>(&ctx, &p, "expense claim")?)
        .await
        .map_err(|e| ctx.error(e))?;
    let page = expense_page(&app, &ctx, d, None, FormErrors::default()).await?;
    render(&ctx, &page)
}

fn expense_rows(fields: &Fields) -> Vec<ExpenseRow> {
    let get = |name: &str| fields.all(name);
    let (dates, descriptions, categories, amounts, rates, receipts, reasons) = (
        get("line_date"),
        get("line_description"),
        get("line_category"),
        get("line_amount"),
        get("line_vat_rate"),
        get("line_receipt"),
        get("line_no_receipt_reason"),
    );
    let at = |v: &Vec<String>, i: usize| v.get(i).cloned().unwrap_or_default();
    (0..descriptions.len())
        .map(|i| ExpenseRow {
            date: at(&dates, i),
            description: at(&descriptions, i),
            category: at(&categories, i),
            amount: at(&amounts, i),
            vat_rate: at(&rates, i),
            receipt: at(&receipts, i),
            receipt_name: String::new(),
            no_receipt_reason: at(&reasons, i),
        })
        .collect()
}

/// The draft the form describes; rows with neither description nor amount are left out.
fn draft_of(ctx: &Ctx, title: &str, rows: &[ExpenseRow]) -> Result<ExpenseDraft, AppError> {
    let mut lines = Vec::new();
    for (i, r) in rows
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.description.is_empty() || !r.amount.is_empty())
    {
        let n = i + 1;
        let on_line = |field: &'static str, message: String| {
            invalid(field, format!("{} {n}: {message}", ctx.t("expense.line")))
        };
        let date = r
            .date
            .parse::<Date>()
            .map_err(|_| on_line("lines.date", ctx.t("form.date").to_string()))?;
        let amount = parse_amount(ctx.lang, &r.amount)
            .map_err(|e| on_line("lines.amount", e.to_string()))?;
        let vat_rate = if r.vat_rate.is_empty() {
            Rate::ZERO
        } else {
            r.vat_rate
                .replace(',', ".")
                .parse::<Rate>()
                .map_err(|e| on_line("lines.vat_rate", e.to_string()))?
        };
        lines.push(ExpenseLineInput {
            date,
            description: r.description.clone(),
            category: Some(r.category.clone()).filter(|c| !c.is_empty()),
            amount,
            vat_rate,
            vat: None,
            receipt: Some(r.receipt.clone()).filter(|c| !c.is_empty()),
            no_receipt_reason: Some(r.no_receipt_reason.clone()).filter(|c| !c.is_empty()),
        });
    }
    Ok(ExpenseDraft {
        title: title.to_string(),
        lines,
    })
}

#[derive(Template)]
#[template(path = "autosave.html")]
struct AutosaveStatus {
    saved: bool,
    message: String,
    /// The claim's new total, swapped in out of band.
    total: Option<String>,
}

/// Saves the draft: every change through htmx (answering with the autosave status), or the
/// whole form (then back to the page).
async fn save_expense(
    State(app): State<App>,
    Path(p): Path<String>,
    Posted { ctx, fields }: Posted,
) -> PageResult {
    let actor = ctx.actor()?;
    let claim_id = id::<ExpenseClaimId>(&ctx, &p, "expense claim")?;
    let title = fields.text("title");
    let rows = expense_rows(&fields);
    let result = match draft_of(&ctx, &title, &rows) {
        Ok(draft) => app.save_expense_draft(actor, claim_id, &draft).await,
        Err(e) => Err(e),
    };
    if ctx.htmx {
        let status = match &result {
            Ok(claim) => AutosaveStatus {
                saved: true,
                message: ctx.t("expense.saved").to_string(),
                total: Some(super::format::money(ctx.lang, claim.totals.amount)),
            },
            Err(e) if on_form(e) => AutosaveStatus {
                saved: false,
                message: format!("{} {}", ctx.t("expense.not_saved"), e.message()),
                total: None,
            },
            Err(e) => return Err(ctx.error(AppError::Internal(e.to_string()))),
        };
        return render(&ctx, &status);
    }
    answer(
        &ctx,
        result,
        async |_| Ok(see_other(&ctx, &format!("/expenses/{claim_id}"))),
        async |e| expense_again(&app, &ctx, claim_id, Some((title, rows)), e).await,
    )
    .await
}

/// The claim's page again with the error of an action on it and, for the form's fields,
/// what was typed (else what is stored).
async fn expense_again(
    app: &App,
    ctx: &Ctx,
    claim_id: ExpenseClaimId,
    typed: Option<(String, Vec<ExpenseRow>)>,
    e: &AppError,
) -> PageResult {
    let actor = ctx.actor()?;
    let d = app
        .expense_claim(actor, claim_id)
        .await
        .map_err(|e| ctx.error(e))?;
    let page = expense_page(app, ctx, d, typed, FormErrors::from_app(e)).await?;
    render_status(ctx, StatusCode::UNPROCESSABLE_ENTITY, &page)
}

async fn submit_expense(
    State(app): State<App>,
    Path(p): Path<String>,
    Posted { ctx, .. }: Posted,
) -> PageResult {
    let actor = ctx.actor()?;
    let claim_id = id::<ExpenseClaimId>(&ctx, &p, "expense claim")?;
    answer(
        &ctx,
        app.submit_expense_claim(actor, claim_id).await,
        async |_| Ok(see_other(&ctx, &format!("/expenses/{claim_id}"))),
        async |e| expense_again(&app, &ctx, claim_id, None, e).await,
    )
    .await
}

/// A receipt sent with the page's upload form (multipart: `_csrf`, `file`, `line`).
async fn upload_receipt(
    State(app): State<App>,
    Path(p): Path<String>,
    PostedFiles { ctx, fields, files }: PostedFiles,
) -> PageResult {
    let actor = ctx.actor()?;
    let claim_id = id::<ExpenseClaimId>(&ctx, &p, "expense claim")?;
    let line = fields.text("line").parse::<usize>().ok();
    let file = files
        .into_iter()
        .find(|f| f.field == "file" && !f.bytes.is_empty());
    let result = match file {
        Some(f) => app
            .attach_receipt(
                actor,
                claim_id,
                ReceiptUpload {
                    file_name: f.file_name,
                    media_type: f.media_type,
                    bytes: f.bytes.into(),
                    line,
                },
                None,
            )
            .await
            .map(|_| ()),
        None => Err(invalid("file", ctx.t("expense.choose_file"))),
    };
    answer(
        &ctx,
        result,
        async |()| Ok(see_other(&ctx, &format!("/expenses/{claim_id}"))),
        async |e| expense_again(&app, &ctx, claim_id, None, e).await,
    )
    .await
}

async fn receipt(State(app): State<App>, ctx: Ctx, Path(p): Path<String>) -> PageResult {
    let actor = ctx.actor()?;
    let hash: ReceiptHash = id(&ctx, &p, "receipt")?;
    let (record, bytes) = app
        .receipt_file(actor, &hash)
        .await
        .map_err(|e| ctx.error(e))?;
    let mut response = Response::new(Body::from(bytes));
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(record.media_type.mime()),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    Ok(response.into_response())
}

// ---------------------------------------------------------------------------------------------
// Shares

#[derive(Template)]
#[template(path = "shares.html")]
struct SharesPage {
    c: Chrome,
    shares: Vec<ShareSubscription>,
    count: u32,
    total: Money,
}

async fn shares(State(app): State<App>, ctx: Ctx) -> PageResult {
    let actor = ctx.actor()?;
    let shares = app.my_shares(actor).await.map_err(|e| ctx.error(e))?;
    render(
        &ctx,
        &SharesPage {
            c: ctx.chrome("shares", ctx.t("nav.shares")),
            count: shares.iter().map(|s| s.count).sum(),
            total: shares.iter().map(|s| s.amount).sum(),
            shares,
        },
    )
}
