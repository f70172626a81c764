//! Ensemble's persistence: SQLite (the embedded default, a file in the data folder) and
//! PostgreSQL (production), behind one interface.
//!
//! - [`open`] connects to `sqlite://…` or `postgres://…` and applies the embedded migrations
//!   (`migrations/sqlite`, `migrations/postgres`, the same versions).
//! - [`Store::write`] and [`Store::read`] open a transaction ([`Tx`]); everything a use case
//!   writes goes through one transaction, committed at the end or rolled back when dropped,
//!   so nothing is ever half-written.
//! - The queries are written once (`src/queries/*.rs`) and compiled for each database:
//!   with sqlx for PostgreSQL, with the sqlx-shaped calls of `lite` (rusqlite on the calling
//!   thread) for SQLite.
//!
//! This crate owns SQL and nothing else: no business rule lives here beyond the integrity the
//! schema enforces (foreign keys, unique numbers, budgets that cannot go below zero). It must
//! never import the web layer, the application layer or the payroll engine.

use std::sync::Arc;

use async_trait::async_trait;
use ensemble_domain::activity::{Activity, ActivityMember, ActivityRole, ActivityStatus};
use ensemble_domain::client::Client;
use ensemble_domain::contract::{EmploymentContract, SocialDeclaration};
use ensemble_domain::coop::CooperativeEntity;
use ensemble_domain::invoice::Invoice;
use ensemble_domain::people::{Member, ShareSubscription, User};
use ensemble_domain::work::{Breakdown, Declaration, DeclarationStatus};
use ensemble_domain::{
    ActivityId, ClientId, ContractId, DeclarationId, DocumentKind, EntityId, InvoiceId, MemberId,
    Money, Month, PayslipId, UserId,
};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub mod accounts;
pub mod banking;
pub mod expenses;
pub mod ledger;
mod lite;
#[cfg(feature = "openapi")]
pub mod openapi;
mod postgres;
pub mod quotes;
// The query files are shared with PostgreSQL, whose transaction needs the explicit `&mut *`.
#[allow(clippy::explicit_auto_deref)]
mod sqlite;
pub mod testing;

pub use accounts::AccountTx;
pub use banking::BankingTx;
pub use expenses::ExpenseTx;
pub use ledger::LedgerTx;
pub use postgres::PgStore;
pub use quotes::QuoteTx;
pub use sqlite::SqliteStore;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no {kind} {id}")]
    NotFound { kind: &'static str, id: String },
    /// A unique constraint: the same number, email or key exists already.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The activity's budget would go below zero.
    #[error("the budget of activity {activity} is {available}: it cannot pay {wanted}")]
    InsufficientBudget {
        activity: ActivityId,
        available: Money,
        wanted: Money,
    },
    /// A stored row that does not read back as a valid value: a defect or a hand edit.
    #[error("corrupt row in {table}: {message}")]
    Corrupt {
        table: &'static str,
        message: String,
    },
    /// A ledger batch refused (nothing of it was written): an id reused with other fields,
    /// an account past its limit, a pending transfer settled twice…
    #[error("{0}")]
    Ledger(#[from] ensemble_ledger::LedgerError),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// The SQLite file's schema cannot be brought to this version.
    #[error("migration: {0}")]
    Schema(String),
    #[error("{0}")]
    Config(String),
}

/// The integrity constraint a failed statement broke.
pub(crate) enum Violation {
    Unique,
    ForeignKey,
    Check,
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Prepared statements kept per connection: every statement of the store stays prepared
/// (sqlx keeps 100 by default, fewer than the store has).
pub(crate) const STATEMENT_CACHE: usize = 400;

/// A database holding Ensemble's data.
#[async_trait]
pub trait Store: Send + Sync {
    /// A transaction for writing: on SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so concurrent writers queue instead of failing.
    async fn write(&self) -> Result<Box<dyn Tx>>;
    /// A transaction for reading a consistent view.
    async fn read(&self) -> Result<Box<dyn Tx>>;
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;
    /// Closes the connections.
    async fn close(&self);
}

/// Opens the database at `url` (`sqlite:///path/ensemble.db`, `sqlite://DIR/file` or
/// `postgres://user@host/db`), creating the SQLite file if needed, and migrates it.
pub async fn open(url: &str) -> Result<Arc<dyn Store>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PgStore::connect(url, None).await?))
    } else if let Some(path) = url.strip_prefix("sqlite://") {
        Ok(Arc::new(
            SqliteStore::open(std::path::Path::new(path)).await?,
        ))
    } else {
        Err(StoreError::Config(format!(
            "unsupported database URL \"{url}\": use sqlite://PATH or postgres://…"
        )))
    }
}

/// An instant in microseconds since the Unix epoch; the application's clock gives it.
pub type Micros = i64;

/// A transaction: every persistence operation. Dropping it without [`Tx::commit`] rolls back.
///
/// The operations are grouped by feature in supertraits so that each feature keeps its SQL in
/// its own file.
#[async_trait]
pub trait Tx: CoreTx + QuoteTx + ExpenseTx + AccountTx + LedgerTx + BankingTx + Send {
    async fn commit(self: Box<Self>) -> Result<()>;
}

/// Filters for listing documents; `None` means any.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub entity: Option<EntityId>,
    pub activity: Option<ActivityId>,
    pub member: Option<MemberId>,
    /// Only what these activities hold (a member's view).
    pub activities: Option<Vec<ActivityId>>,
    pub status: Option<String>,
    /// Payslips of this month; contracts whose period overlaps it.
    pub month: Option<Month>,
    /// Only the invoices, contracts and payslips of this declaration.
    pub declaration: Option<DeclarationId>,
    pub limit: Option<u32>,
}

impl Filter {
    pub fn limit(&self) -> i64 {
        i64::from(self.limit.unwrap_or(200).min(10_000))
    }
}

/// A movement of an activity's budget.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BudgetMovement {
    pub id: String,
    pub activity_id: ActivityId,
    /// `income` (invoiced work less the fee), `salary`, `expense`, `adjustment`.
    #[cfg_attr(feature = "openapi", schema(value_type = openapi::MovementKind))]
    pub kind: String,
    pub amount: Money,
    /// The document that caused it (an invoice or contract number).
    pub document: String,
    pub label: String,
    /// When it was recorded, in microseconds since the Unix epoch.
    pub created_at: Micros,
}

/// A stored payslip: the engine's lines and totals as JSON, with the key figures as columns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PayslipRecord {
    pub id: PayslipId,
    pub entity_id: EntityId,
    pub member_id: MemberId,
    pub activity_id: ActivityId,
    pub declaration_id: Option<DeclarationId>,
    pub month: Month,
    #[cfg_attr(feature = "openapi", schema(value_type = ensemble_domain::Country))]
    pub country: String,
    #[cfg_attr(feature = "openapi", schema(value_type = ensemble_domain::Status))]
    pub status: String,
    #[cfg_attr(feature = "openapi", schema(value_type = ensemble_domain::Contract))]
    pub contract_kind: String,
    pub gross: Money,
    pub net_paid: Money,
    pub employer_cost: Money,
    /// The totals object, as the payroll engine's JSON gives it.
    #[cfg_attr(feature = "openapi", schema(value_type = openapi::PayslipTotals))]
    pub totals: serde_json::Value,
    /// The lines, as the payroll engine's JSON gives them.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<openapi::PayslipLine>))]
    pub lines: serde_json::Value,
    /// When it was computed, in microseconds since the Unix epoch.
    pub created_at: Micros,
}

/// A social declaration prepared for a contract.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SocialDeclarationRecord {
    pub id: String,
    pub contract_id: ContractId,
    pub declaration: SocialDeclaration,
    /// `prepared` until a connector files it.
    pub status: String,
    /// When it was prepared, in microseconds since the Unix epoch.
    pub created_at: Micros,
}

/// What declaring work reads, in one statement: the activity with its entity, the roles two
/// members have on it (the actor and the worker), the worker and the client (`None` when
/// there is no such member or client).
#[derive(Clone, Debug)]
pub struct WorkContext {
    pub activity: Activity,
    pub entity: CooperativeEntity,
    pub actor_role: Option<ActivityRole>,
    pub member: Option<Member>,
    pub member_role: Option<ActivityRole>,
    pub client: Option<Client>,
}

/// The first response given for an idempotency key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredResponse {
    /// A hash of the request the key was first used with.
    pub fingerprint: String,
    pub response: String,
}

/// The operations of the core chain.
#[async_trait]
pub trait CoreTx: Send {
    // Entities
    async fn insert_entity(&mut self, e: &CooperativeEntity, at: Micros) -> Result<()>;
    async fn entity(&mut self, id: EntityId) -> Result<CooperativeEntity>;
    async fn entities(&mut self) -> Result<Vec<CooperativeEntity>>;
    /// Writes an entity's settings (fee rate, payment term, headcount, automatic validation);
    /// its identity (country, legal id, VAT id) never changes.
    async fn update_entity_settings(&mut self, e: &CooperativeEntity) -> Result<()>;

    // Members and the share register
    async fn insert_member(&mut self, m: &Member, at: Micros) -> Result<()>;
    async fn member(&mut self, id: MemberId) -> Result<Member>;
    async fn members(&mut self, entity: Option<EntityId>, limit: i64) -> Result<Vec<Member>>;
    async fn insert_share_subscription(&mut self, s: &ShareSubscription, at: Micros) -> Result<()>;
    async fn share_subscriptions(&mut self, entity: EntityId) -> Result<Vec<ShareSubscription>>;

    // Users
    async fn insert_user(&mut self, u: &User, token_hash: Option<&str>, at: Micros) -> Result<()>;
    async fn user(&mut self, id: UserId) -> Result<User>;
    async fn user_by_token(&mut self, token_hash: &str) -> Result<Option<User>>;
    async fn user_by_email(&mut self, email: &str) -> Result<Option<User>>;
    async fn users(&mut self) -> Result<Vec<User>>;

    // Activities and budgets
    async fn insert_activity(&mut self, a: &Activity, at: Micros) -> Result<()>;
    async fn activity(&mut self, id: ActivityId) -> Result<Activity>;
    async fn activities(&mut self, filter: &Filter) -> Result<Vec<Activity>>;
    async fn set_activity_status(&mut self, id: ActivityId, status: ActivityStatus) -> Result<()>;
    async fn put_activity_member(&mut self, m: &ActivityMember) -> Result<()>;
    async fn activity_members(&mut self, id: ActivityId) -> Result<Vec<ActivityMember>>;
    async fn activity_role(
        &mut self,
        activity: ActivityId,
        member: MemberId,
    ) -> Result<Option<ActivityRole>>;
    /// The activity (`NotFound` when there is none) with its entity, the roles of `actor` and
    /// `member` on it, `member` and `client`, in one statement.
    async fn work_context(
        &mut self,
        activity: ActivityId,
        actor: Option<MemberId>,
        member: Option<MemberId>,
        client: ClientId,
    ) -> Result<WorkContext>;
    /// The activities a member has a role on.
    async fn member_activities(&mut self, member: MemberId) -> Result<Vec<ActivityId>>;
    /// Moves the budget by `delta` and records the movement; refuses to go below zero.
    async fn move_budget(&mut self, movement: &BudgetMovement) -> Result<Money>;
    /// Moves budgets by several movements in their order, as many [`CoreTx::move_budget`]
    /// calls would (none may take a budget below zero at its turn), in one update per
    /// activity and one insert. Returns the last movement's activity budget afterwards.
    async fn move_budgets(&mut self, movements: &[BudgetMovement]) -> Result<Money>;
    async fn budget_movements(&mut self, activity: ActivityId) -> Result<Vec<BudgetMovement>>;

    // Clients
    async fn insert_client(&mut self, c: &Client, at: Micros) -> Result<()>;
    async fn client(&mut self, id: ClientId) -> Result<Client>;
    async fn clients(&mut self, entity: Option<EntityId>, limit: i64) -> Result<Vec<Client>>;

    /// The next number of a gapless sequence per entity, document kind and year. The
    /// increment belongs to the transaction: a rollback gives the number back.
    async fn next_number(&mut self, entity: EntityId, kind: DocumentKind, year: i16)
    -> Result<u32>;
    /// Several numbers at once, in one statement: for each `(kind, year, count)` asked, the
    /// first of `count` consecutive numbers of that sequence (the same sequence asked twice
    /// gets two consecutive ranges, in the order asked). Gapless like [`CoreTx::next_number`].
    async fn next_numbers(
        &mut self,
        entity: EntityId,
        wanted: &[(DocumentKind, i16, u32)],
    ) -> Result<Vec<u32>>;

    // Work declarations
    /// Inserts a declaration created by `by` at `at`; one inserted already decided (not
    /// `submitted`) records `by` and `at` as its decision too.
    async fn insert_declaration(&mut self, d: &Declaration, by: UserId, at: Micros) -> Result<()>;
    async fn declaration(&mut self, id: DeclarationId) -> Result<Declaration>;
    async fn declarations(&mut self, filter: &Filter) -> Result<Vec<Declaration>>;
    /// Records a decision; only a submitted declaration can be decided (else `Conflict`).
    async fn decide_declaration(
        &mut self,
        id: DeclarationId,
        status: DeclarationStatus,
        breakdown: &Breakdown,
        rejection: Option<&str>,
        by: UserId,
        at: Micros,
    ) -> Result<()>;

    // Invoices, contracts, payslips
    async fn insert_invoice(&mut self, i: &Invoice, at: Micros) -> Result<()>;
    async fn invoice(&mut self, id: InvoiceId) -> Result<Invoice>;
    async fn invoices(&mut self, filter: &Filter) -> Result<Vec<Invoice>>;
    async fn insert_contract(&mut self, c: &EmploymentContract, at: Micros) -> Result<()>;
    /// Several contracts in one statement.
    async fn insert_contracts(&mut self, c: &[EmploymentContract], at: Micros) -> Result<()>;
    async fn contract(&mut self, id: ContractId) -> Result<EmploymentContract>;
    async fn contracts(&mut self, filter: &Filter) -> Result<Vec<EmploymentContract>>;
    async fn insert_social_declaration(&mut self, s: &SocialDeclarationRecord) -> Result<()>;
    /// Several social declarations in one statement.
    async fn insert_social_declarations(&mut self, s: &[SocialDeclarationRecord]) -> Result<()>;
    async fn social_declarations(
        &mut self,
        contract: ContractId,
    ) -> Result<Vec<SocialDeclarationRecord>>;
    async fn insert_payslip(&mut self, p: &PayslipRecord) -> Result<()>;
    async fn payslip(&mut self, id: PayslipId) -> Result<PayslipRecord>;
    async fn payslips(&mut self, filter: &Filter) -> Result<Vec<PayslipRecord>>;

    // Idempotency keys
    async fn stored_response(&mut self, scope: &str, key: &str) -> Result<Option<StoredResponse>>;
    /// Saves the first response of a key; `Conflict` when the key is taken.
    async fn store_response(
        &mut self,
        scope: &str,
        key: &str,
        fingerprint: &str,
        response: &str,
        at: Micros,
    ) -> Result<()>;

    /// Counts the rows of a table, for tests that assert what was (not) written.
    async fn count_rows(&mut self, table: &str) -> Result<i64>;
}

/// Dates are stored as ISO text.
pub(crate) fn date_text(d: Date) -> String {
    d.to_string()
}
