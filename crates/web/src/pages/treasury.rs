//! The treasury's back-office pages (accountants and administrators; the use cases decide):
//! payout batches and their pain.001 files, bank statements (camt.053) with the
//! reconciliation queue, and the guarantee fund's report with its policy. Every handler calls
//! the `App` use case the API calls (`create_payout_batch`, `import_statement`,
//! `assign_bank_line`, `fund_report`, `set_fund_policy`…), never the store.
//!
//! Money-moving forms (a payout batch, a statement upload) carry an idempotency key made when
//! the form is shown, so that a form sent twice (a double click, a reload) does it once and
//! shows the first result again. The reconciliation queue works like the validation queue:
//! plain forms answer 303 back to it; with htmx the line leaves the list and `#bank-status`
//! says what was done.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use ensemble_app::fund::{FundReport, FundRun};
use ensemble_app::payouts::{NewPayoutBatch, PayoutBatch};
use ensemble_app::statements::{Assignment, Dismissal, StatementImport};
use ensemble_app::treasury::find_open_invoice;
use ensemble_app::{Actor, App, AppError, Idempotency};
use ensemble_domain::coop::CooperativeEntity;
use ensemble_domain::people::Role;
use ensemble_domain::{EntityId, Invalid, InvoiceId, Money, Rate};
use ensemble_store::banking::{OpenInvoiceRow, PayoutBatchRecord, QueueRecord};
use ensemble_store::ledger::FundPolicy;
use jiff::civil::Date;
use serde::Deserialize;

use super::i18n::fill;
use super::{
    Chrome, Ctx, FormErrors, PageError, PageResult, Posted, PostedFiles, answer, done_in_place,
    random_hex, refused_in_place, render_status,
};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/staff/payouts", get(payouts).post(create_payout))
        .route("/staff/payouts/{id}/reject", post(reject_payout))
        .route("/staff/bank", get(bank))
        .route(
            "/staff/bank/statements",
            post(import_statement).layer(DefaultBodyLimit::max(
                crate::api::banking::STATEMENT_BODY_LIMIT,
            )),
        )
        .route("/staff/bank/lines/{line}/assign", post(assign_line))
        .route("/staff/bank/lines/{line}/dismiss", post(dismiss_line))
        .route("/staff/fund", get(fund).post(set_fund_policy))
        .route("/staff/fund/run", post(run_fund))
}

/// The status of a form that failed: 409 for a conflict (nothing due, already done), 422
/// for input to correct.
fn failed(e: &AppError) -> StatusCode {
    match e {
        AppError::Conflict { .. } => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// The idempotency of a money-moving form: its hidden `idempotency_key` (made when the form
/// was shown) and what it asks.
fn idempotency(fields: &super::Fields, request: &[u8]) -> Option<Idempotency> {
    fields
        .optional("idempotency_key")
        .and_then(|k| Idempotency::new(&k, request).ok())
}

fn entity_name(entities: &[CooperativeEntity], id: &EntityId) -> String {
    entities
        .iter()
        .find(|e| e.id == *id)
        .map(|e| e.name.clone())
        .unwrap_or_default()
}

/// A stored instant (microseconds since the epoch) as the day it fell on, in UTC.
fn day_of(micros: i64) -> Option<Date> {
    jiff::Timestamp::from_microsecond(micros)
        .ok()
        .map(|t| jiff::tz::Offset::UTC.to_datetime(t).date())
}

// ---------------------------------------------------------------------------------------------
// Payouts

#[derive(Template)]
#[template(path = "staff_payouts.html")]
struct PayoutsPage {
    c: Chrome,
    batches: Vec<PayoutBatchRecord>,
    entities: Vec<CooperativeEntity>,
    f: BTreeMap<String, String>,
    errors: FormErrors,
    /// The batch just made, with what was left out.
    created: Option<PayoutBatch>,
    /// What was just done (a batch rejected).
    saved: Option<String>,
}

impl PayoutsPage {
    fn v(&self, name: &str) -> String {
        self.f.get(name).cloned().unwrap_or_default()
    }

    fn entity(&self, id: &EntityId) -> String {
        entity_name(&self.entities, id)
    }

    fn created_on(&self, b: &PayoutBatchRecord) -> String {
        day_of(b.created_at).map_or_else(String::new, |d| self.c.date(d))
    }

    /// The rejection form's error for a batch.
    fn reject_error(&self, b: &PayoutBatchRecord) -> String {
        self.errors.msg(&format!("reason-{}", b.id))
    }

    fn pending(&self, b: &PayoutBatchRecord) -> bool {
        b.status == "pending"
    }

    /// The money of the pending batches: sent to the bank, not yet seen on a statement.
    fn pending_total(&self) -> Money {
        self.batches
            .iter()
            .filter(|b| b.status == "pending")
            .map(|b| b.total)
            .sum()
    }
}

/// A batch just rejected in place (htmx): the batch, the status line, the pending total.
#[derive(Template)]
#[template(path = "payout_rejected.html")]
struct PayoutRejected {
    c: Chrome,
    b: PayoutBatchRecord,
    entity_name: String,
    message: String,
    pending_total: Money,
}

/// The names `payout_item.html` uses, as `PayoutsPage` has them.
impl PayoutRejected {
    fn v(&self, _name: &str) -> String {
        String::new()
    }

    fn entity(&self, _id: &EntityId) -> String {
        self.entity_name.clone()
    }

    fn created_on(&self, b: &PayoutBatchRecord) -> String {
        day_of(b.created_at).map_or_else(String::new, |d| self.c.date(d))
    }

    fn reject_error(&self, _b: &PayoutBatchRecord) -> String {
        String::new()
    }

    fn pending(&self, b: &PayoutBatchRecord) -> bool {
        b.status == "pending"
    }
}

fn payout_defaults(app: &App) -> BTreeMap<String, String> {
    let mut f = BTreeMap::new();
    f.insert("execution_date".into(), app.clock.today().to_string());
    f.insert("idempotency_key".into(), random_hex());
    f
}

async fn payouts_page(
    app: &App,
    ctx: &Ctx,
    status: StatusCode,
    f: BTreeMap<String, String>,
    errors: FormErrors,
    created: Option<PayoutBatch>,
    saved: Option<String>,
) -> PageResult {
    let actor = ctx.actor()?;
    let batches = app
        .payout_batches(actor, None)
        .await
        .map_err(|e| ctx.error(e))?;
    let entities = app.entities(actor).await.map_err(|e| ctx.error(e))?;
    render_status(
        ctx,
        status,
        &PayoutsPage {
            c: ctx.chrome("staff-payouts", ctx.t("payouts.title")),
            batches,
            entities,
            f,
            errors,
            created,
            saved,
        },
    )
}

async fn payouts(State(app): State<App>, ctx: Ctx) -> PageResult {
    let f = payout_defaults(&app);
    payouts_page(
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

fn payout_input(ctx: &Ctx, fields: &super::Fields) -> Result<NewPayoutBatch, Invalid> {
    Ok(NewPayoutBatch {
        entity_id: fields
            .text("entity_id")
            .parse()
            .map_err(|_| Invalid::new("entity_id", ctx.t("members.choose_entity")))?,
        execution_date: fields
            .text("execution_date")
            .parse()
            .map_err(|_| Invalid::new("execution_date", ctx.t("form.date")))?,
    })
}

async fn create_payout(State(app): State<App>, Posted { ctx, fields }: Posted) -> PageResult {
    let actor = ctx.actor()?;
    let result = async {
        let input = payout_input(&ctx, &fields)?;
        let request = format!("payout {} {}", input.entity_id, input.execution_date);
        let idem = idempotency(&fields, request.as_bytes());
        app.create_payout_batch(actor, &input, idem.as_ref()).await
    }
    .await;
    answer(
        &ctx,
        result,
        async |batch| {
            let f = payout_defaults(&app);
            payouts_page(
                &app,
                &ctx,
                StatusCode::OK,
                f,
                FormErrors::default(),
                Some(batch),
                None,
            )
            .await
        },
        async |e| {
            payouts_page(
                &app,
                &ctx,
                failed(e),
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

async fn reject_payout(
    State(app): State<App>,
    Path(id): Path<String>,
    Posted { ctx, fields }: Posted,
) -> PageResult {
    let actor = ctx.actor()?;
    let result = app
        .reject_payout_batch(actor, &id, &fields.text("reason"), None)
        .await;
    if ctx.htmx {
        return match result {
            Ok(b) => {
                let message = fill(
                    ctx.t("payouts.rejected"),
                    &[("number", &b.batch.message_id)],
                );
                let batches = app
                    .payout_batches(actor, None)
                    .await
                    .map_err(|e| ctx.error(e))?;
                let entities = app.entities(actor).await.map_err(|e| ctx.error(e))?;
                let fragment = PayoutRejected {
                    c: ctx.chrome("staff-payouts", ctx.t("payouts.title")),
                    entity_name: entity_name(&entities, &b.batch.entity_id),
                    pending_total: batches
                        .iter()
                        .filter(|b| b.status == "pending")
                        .map(|b| b.total)
                        .sum(),
                    b: b.batch,
                    message,
                };
                render_status(&ctx, StatusCode::OK, &fragment)
            }
            Err(e) => refused_in_place(&ctx, "payouts-status", e),
        };
    }
    answer(
        &ctx,
        result,
        async |b| {
            let saved = fill(
                ctx.t("payouts.rejected"),
                &[("number", &b.batch.message_id)],
            );
            let f = payout_defaults(&app);
            payouts_page(
                &app,
                &ctx,
                StatusCode::OK,
                f,
                FormErrors::default(),
                None,
                Some(saved),
            )
            .await
        },
        async |e| {
            // The reason's field carries the batch's id: one form per pending batch.
            let errors = FormErrors::suffixed(e, "reason", &id);
            let mut f = payout_defaults(&app);
            f.insert("rejecting".into(), id.clone());
            payouts_page(&app, &ctx, failed(e), f, errors, None, None).await
        },
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Bank statements and the reconciliation queue

/// A candidate of the matcher, as the queue shows it.
struct Candidate {
    /// The invoices' ids, comma-separated: the value the form posts.
    value: String,
    /// Their numbers and clients.
    label: String,
    /// What they still owe together.
    outstanding: Money,
    method: String,
    confidence: i64,
}

/// A line of the queue with its candidates.
struct Waiting {
    item: QueueRecord,
    candidates: Vec<Candidate>,
}

#[derive(Template)]
#[template(path = "staff_bank.html")]
struct BankPage {
    c: Chrome,
    entities: Vec<CooperativeEntity>,
    queue: Vec<Waiting>,
    /// The open invoices of the queue's entities, for the "type a reference" field's list.
    open: Vec<OpenInvoiceRow>,
    errors: FormErrors,
    /// What the upload just did.
    imported: Option<StatementImport>,
    idempotency_key: String,
}

impl BankPage {
    fn entity(&self, id: &EntityId) -> String {
        entity_name(&self.entities, id)
    }

    /// The import's figures, summed over its statements.
    fn sum(&self, what: &str) -> usize {
        self.imported.as_ref().map_or(0, |i| {
            i.statements
                .iter()
                .map(|s| match what {
                    "new" => s.new_lines,
                    "known" => s.known_lines,
                    "matched" => s.matched,
                    "queued" => s.queued,
                    "payouts" => s.payout_lines,
                    "other" => s.other_lines,
                    "paid" => s.invoices_paid.len(),
                    _ => 0,
                })
                .sum()
        })
    }

    fn queued_total(&self) -> Money {
        self.queue.iter().map(|w| w.item.line.amount).sum()
    }

    fn reason(&self, code: &str) -> String {
        let key = format!("bank.reason_{code}");
        let text = self.c.tr.get(&key);
        if text == key {
            code.to_string()
        } else {
            text.to_string()
        }
    }

    fn method(&self, code: &str) -> String {
        let key = format!("bank.method_{code}");
        let text = self.c.tr.get(&key);
        if text == key {
            code.to_string()
        } else {
            text.to_string()
        }
    }
}

/// The suggestions a queue item carries: `[{"invoices": [...], "method", "confidence"}]`.
#[derive(Deserialize)]
struct StoredSuggestion {
    invoices: Vec<InvoiceId>,
    method: String,
    confidence: i64,
}

fn candidates(item: &QueueRecord, open: &[OpenInvoiceRow]) -> Vec<Candidate> {
    let stored: Vec<StoredSuggestion> =
        serde_json::from_value(item.suggestions.clone()).unwrap_or_default();
    stored
        .into_iter()
        .filter_map(|s| {
            let rows: Vec<&OpenInvoiceRow> = s
                .invoices
                .iter()
                .map(|id| open.iter().find(|o| o.id == *id))
                .collect::<Option<_>>()?;
            // A suggestion whose invoices were paid meanwhile is no longer one.
            if rows.is_empty() {
                return None;
            }
            Some(Candidate {
                value: s
                    .invoices
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(","),
                label: rows
                    .iter()
                    .map(|r| format!("{} · {}", r.number, r.client_name))
                    .collect::<Vec<_>>()
                    .join(" + "),
                outstanding: rows.iter().map(|r| r.outstanding).sum(),
                method: s.method,
                confidence: s.confidence,
            })
        })
        .collect()
}

async fn bank_page(
    app: &App,
    ctx: &Ctx,
    status: StatusCode,
    errors: FormErrors,
    imported: Option<StatementImport>,
) -> PageResult {
    let actor = ctx.actor()?;
    let items = app
        .reconciliation_queue(actor, None, false)
        .await
        .map_err(|e| ctx.error(e))?;
    let entities = app.entities(actor).await.map_err(|e| ctx.error(e))?;
    let mut open_by_entity: BTreeMap<EntityId, Vec<OpenInvoiceRow>> = BTreeMap::new();
    for item in &items {
        if let std::collections::btree_map::Entry::Vacant(slot) =
            open_by_entity.entry(item.line.entity_id)
        {
            slot.insert(
                app.open_invoices(actor, item.line.entity_id)
                    .await
                    .map_err(|e| ctx.error(e))?,
            );
        }
    }
    let queue = items
        .into_iter()
        .map(|item| {
            let open = open_by_entity
                .get(&item.line.entity_id)
                .map_or(&[][..], Vec::as_slice);
            Waiting {
                candidates: candidates(&item, open),
                item,
            }
        })
        .collect();
    render_status(
        ctx,
        status,
        &BankPage {
            c: ctx.chrome("staff-bank", ctx.t("bank.title")),
            entities,
            queue,
            open: open_by_entity.into_values().flatten().collect(),
            errors,
            imported,
            idempotency_key: random_hex(),
        },
    )
}

async fn bank(State(app): State<App>, ctx: Ctx) -> PageResult {
    bank_page(&app, &ctx, StatusCode::OK, FormErrors::default(), None).await
}

/// A camt.053 file sent with the page's upload form (multipart: `_csrf`, `idempotency_key`,
/// `file`). A malformed file shows the element and the rule on the field, and writes nothing.
async fn import_statement(State(app): State<App>, upload: PostedFiles) -> PageResult {
    let ctx = &upload.ctx;
    let actor = ctx.actor()?;
    let result = match upload.file("file") {
        Some(file) => {
            let mut request = b"POST /statements\n".to_vec();
            request.extend_from_slice(&file.bytes);
            let idem = idempotency(&upload.fields, &request);
            app.import_statement(actor, &file.bytes, idem.as_ref())
                .await
        }
        None => Err(AppError::Invalid(Invalid::new(
            "file",
            ctx.t("bank.choose_file"),
        ))),
    };
    answer(
        ctx,
        result,
        async |imported| {
            bank_page(
                &app,
                ctx,
                StatusCode::OK,
                FormErrors::default(),
                Some(imported),
            )
            .await
        },
        async |e| bank_page(&app, ctx, failed(e), FormErrors::from_app(e), None).await,
    )
    .await
}

/// The invoices a queue form names: the reference typed (a number or a payment reference,
/// among the entity's open invoices), else the suggestion chosen; none when neither (the use
/// case then refuses, or asks for one).
async fn named_invoices(
    app: &App,
    ctx: &Ctx,
    actor: &Actor,
    fields: &super::Fields,
) -> Result<Vec<InvoiceId>, AppError> {
    if let Some(reference) = fields.optional("reference") {
        let entity: EntityId = fields
            .text("entity")
            .parse()
            .map_err(|_| Invalid::new("entity", "no entity"))?;
        let open = app.open_invoices(actor, entity).await?;
        return Ok(vec![find_open_invoice(&open, &reference)?.id]);
    }
    let chosen = fields.text("invoices");
    if chosen.is_empty() {
        return Ok(Vec::new());
    }
    chosen
        .split(',')
        .map(|id| {
            id.trim()
                .parse::<InvoiceId>()
                .map_err(|_| Invalid::new("invoice_ids", ctx.t("bank.choose_invoice")).into())
        })
        .collect()
}

async fn assign_line(
    State(app): State<App>,
    Path(line): Path<String>,
    Posted { ctx, fields }: Posted,
) -> PageResult {
    let actor = ctx.actor()?;
    let result = async {
        let invoice_ids = named_invoices(&app, &ctx, actor, &fields).await?;
        app.assign_bank_line(actor, &line, &Assignment { invoice_ids }, None)
            .await
            .map_err(|e| match e {
                // Neither a suggestion chosen nor a reference typed: say how, in the
                // reader's language.
                AppError::Invalid(i)
                    if i.field == "invoice_ids"
                        && fields.optional("reference").is_none()
                        && fields.optional("invoices").is_none() =>
                {
                    Invalid::new("invoice_ids", ctx.t("bank.choose_invoice")).into()
                }
                other => other,
            })
    }
    .await;
    match result {
        Ok(r) => {
            let amount = super::format::money(ctx.lang, r.item.line.amount);
            let paid = r.invoices_paid.len().to_string();
            let message = fill(
                ctx.t("bank.assigned"),
                &[("amount", &amount), ("paid", &paid)],
            );
            Ok(done_in_place(&ctx, "/staff/bank", "bank-status", &message))
        }
        Err(e) => refused_in_place(&ctx, "bank-status", e),
    }
}

async fn dismiss_line(
    State(app): State<App>,
    Path(line): Path<String>,
    Posted { ctx, fields }: Posted,
) -> PageResult {
    let actor = ctx.actor()?;
    let input = Dismissal {
        reason: fields.text("reason"),
    };
    match app.dismiss_bank_line(actor, &line, &input).await {
        Ok(r) => {
            let amount = super::format::money(ctx.lang, r.item.line.amount);
            let message = fill(ctx.t("bank.dismissed"), &[("amount", &amount)]);
            Ok(done_in_place(&ctx, "/staff/bank", "bank-status", &message))
        }
        Err(e) => refused_in_place(&ctx, "bank-status", e),
    }
}

// ---------------------------------------------------------------------------------------------
// The guarantee fund

#[derive(Template)]
#[template(path = "staff_fund.html")]
struct FundPage {
    c: Chrome,
    entities: Vec<CooperativeEntity>,
    entity: EntityId,
    date: Date,
    r: FundReport,
    /// Accountants and administrators change the policy (`set_fund_policy` decides anyway).
    can_set: bool,
    f: BTreeMap<String, String>,
    errors: FormErrors,
    saved: Option<String>,
    /// What a dunning run just did.
    run: Option<FundRun>,
}

impl FundPage {
    fn step(&self, code: &str) -> String {
        self.c.tr.get(&format!("fund.step_{code}")).to_string()
    }

    fn v(&self, name: &str) -> String {
        self.f.get(name).cloned().unwrap_or_default()
    }

    fn bucket(&self, code: &str) -> String {
        let key = format!("fund.bucket_{}", code.replace('-', "_"));
        self.c.tr.get(&key).to_string()
    }

    /// The coverage ratio in percent, from parts per thousand.
    fn coverage(&self) -> Option<String> {
        self.r
            .coverage_permille
            .map(|p| self.c.rate(Rate::from_ppm(p.saturating_mul(1000))))
    }
}

/// The policy's fields as the form shows them.
fn policy_fields(ctx: &Ctx, p: &FundPolicy) -> BTreeMap<String, String> {
    let share = super::format::rate(ctx.lang, Rate::from_ppm(p.fee_share_ppm));
    BTreeMap::from([
        (
            "fee_share".to_string(),
            share.trim_end_matches('%').trim().to_string(),
        ),
        (
            "salary_working_days".to_string(),
            p.salary_working_days.to_string(),
        ),
        ("reminder_days".to_string(), p.reminder_days.to_string()),
        (
            "second_reminder_days".to_string(),
            p.second_reminder_days.to_string(),
        ),
        (
            "formal_notice_days".to_string(),
            p.formal_notice_days.to_string(),
        ),
        ("write_off_days".to_string(), p.write_off_days.to_string()),
    ])
}

#[derive(Deserialize, Default)]
struct FundQuery {
    entity: Option<String>,
    date: Option<String>,
}

/// The entity and day a fund page is about: the query's (or the form's), else the first
/// entity and today.
async fn fund_subject(
    app: &App,
    ctx: &Ctx,
    entity: Option<&str>,
    date: Option<&str>,
) -> Result<(Vec<CooperativeEntity>, EntityId, Date), PageError> {
    let actor = ctx.actor()?;
    let entities = app.entity_settings(actor).await.map_err(|e| ctx.error(e))?;
    let entity = match entity.map(str::trim).filter(|e| !e.is_empty()) {
        Some(e) => e.parse::<EntityId>().map_err(|_| {
            ctx.error(AppError::NotFound {
                kind: "entity",
                id: e.to_string(),
            })
        })?,
        None => match entities.first() {
            Some(e) => e.id,
            None => {
                return Err(ctx.error(AppError::NotFound {
                    kind: "entity",
                    id: String::new(),
                }));
            }
        },
    };
    let date = match date.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => ensemble_domain::parse_field::<Date>("date", d)
            .map_err(|_| ctx.error(Invalid::new("date", ctx.t("form.date")).into()))?,
        None => app.clock.today(),
    };
    Ok((entities, entity, date))
}

#[allow(clippy::too_many_arguments)]
async fn fund_page(
    app: &App,
    ctx: &Ctx,
    status: StatusCode,
    subject: (Vec<CooperativeEntity>, EntityId, Date),
    f: Option<BTreeMap<String, String>>,
    errors: FormErrors,
    saved: Option<String>,
    run: Option<FundRun>,
) -> PageResult {
    let actor = ctx.actor()?;
    let (entities, entity, date) = subject;
    let r = app
        .fund_report(actor, entity, date)
        .await
        .map_err(|e| ctx.error(e))?;
    let f = match f {
        Some(f) => f,
        None => {
            let policy = app
                .fund_policy(actor, entity)
                .await
                .map_err(|e| ctx.error(e))?;
            policy_fields(ctx, &policy)
        }
    };
    let name = entity_name(&entities, &entity);
    render_status(
        ctx,
        status,
        &FundPage {
            c: ctx.chrome(
                "staff-fund",
                fill(ctx.t("fund.title"), &[("entity", &name)]),
            ),
            can_set: matches!(actor.role, Role::Accountant | Role::Admin),
            entities,
            entity,
            date,
            r,
            f,
            errors,
            saved,
            run,
        },
    )
}

async fn fund(State(app): State<App>, ctx: Ctx, Query(q): Query<FundQuery>) -> PageResult {
    let subject = fund_subject(&app, &ctx, q.entity.as_deref(), q.date.as_deref()).await?;
    fund_page(
        &app,
        &ctx,
        StatusCode::OK,
        subject,
        None,
        FormErrors::default(),
        None,
        None,
    )
    .await
}

/// The guarantee fund's daily job on the page's date (staff): the dunning steps due on every
/// entity's receivables past due, and the write-offs; run again on the same day, it does
/// nothing more.
async fn run_fund(State(app): State<App>, Posted { ctx, fields }: Posted) -> PageResult {
    let actor = ctx.actor()?;
    let subject = fund_subject(&app, &ctx, fields.get("entity"), fields.get("date")).await?;
    let run = app
        .run_fund(actor, subject.2)
        .await
        .map_err(|e| ctx.error(e))?;
    fund_page(
        &app,
        &ctx,
        StatusCode::OK,
        subject,
        None,
        FormErrors::default(),
        None,
        Some(run),
    )
    .await
}

fn parse_days(ctx: &Ctx, field: &'static str, text: &str) -> Result<i64, Invalid> {
    text.trim().parse::<i64>().map_err(|_| {
        Invalid::new(
            field,
            fill(ctx.t("form.not_a_number"), &[("value", text.trim())]),
        )
    })
}

fn policy_input(ctx: &Ctx, fields: &super::Fields) -> Result<FundPolicy, Invalid> {
    let share = fields.text("fee_share");
    let share = share.trim_end_matches('%').trim().replace(',', ".");
    Ok(FundPolicy {
        fee_share_ppm: share
            .parse::<Rate>()
            .map_err(|e| Invalid::new("fee_share_ppm", e.to_string()))?
            .ppm(),
        salary_working_days: parse_days(
            ctx,
            "salary_working_days",
            &fields.text("salary_working_days"),
        )?,
        reminder_days: parse_days(ctx, "reminder_days", &fields.text("reminder_days"))?,
        second_reminder_days: parse_days(
            ctx,
            "second_reminder_days",
            &fields.text("second_reminder_days"),
        )?,
        formal_notice_days: parse_days(
            ctx,
            "formal_notice_days",
            &fields.text("formal_notice_days"),
        )?,
        write_off_days: parse_days(ctx, "write_off_days", &fields.text("write_off_days"))?,
    })
}

async fn set_fund_policy(State(app): State<App>, Posted { ctx, fields }: Posted) -> PageResult {
    let actor = ctx.actor()?;
    let entity = fields.get("entity");
    let date = fields.get("date");
    let subject = fund_subject(&app, &ctx, entity, date).await?;
    let entity = subject.1;
    let result = async {
        app.set_fund_policy(actor, entity, &policy_input(&ctx, &fields)?)
            .await
    }
    .await;
    answer(
        &ctx,
        result,
        async |_| {
            let name = entity_name(&subject.0, &entity);
            let saved = fill(ctx.t("fund.saved"), &[("entity", &name)]);
            fund_page(
                &app,
                &ctx,
                StatusCode::OK,
                subject.clone(),
                None,
                FormErrors::default(),
                Some(saved),
                None,
            )
            .await
        },
        async |e| {
            fund_page(
                &app,
                &ctx,
                failed(e),
                subject.clone(),
                Some(fields.map()),
                FormErrors::from_app(e),
                None,
                None,
            )
            .await
        },
    )
    .await
}
