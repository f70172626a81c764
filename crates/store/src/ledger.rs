//! Persistence of the ledger (`ensemble_ledger`): accounts with cached balances, immutable
//! transfers, the hash-chained journal, and the registers of the money flows (receivables,
//! payments received, payouts, guaranteed salaries, dunning steps, fund policies).
//!
//! [`LedgerTx::post_ledger`] posts a [`Posting`] inside the caller's transaction: it reads
//! the accounts and transfers the batch touches, validates the batch with the very code of
//! the in-memory ledger ([`ensemble_ledger::plan_batch`]), then writes the new accounts, the
//! balances, the transfers and one journal row chained to the entity's previous one. A
//! refused batch writes nothing; since it runs in the event's transaction, a failure anywhere
//! rolls back the event too.

use async_trait::async_trait;
use ensemble_domain::{ActivityId, ClientId, EntityId, InvoiceId, MemberId, Money, PayslipId};
use ensemble_ledger::{
    Account, AccountId, Balance, EventId, JournalEntry, Posted, Posting, Transfer,
};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::{Micros, Result};

/// Where an invoice's collection stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReceivableStatus {
    Open,
    Paid,
    WrittenOff,
}

impl ReceivableStatus {
    pub const fn code(self) -> &'static str {
        match self {
            ReceivableStatus::Open => "open",
            ReceivableStatus::Paid => "paid",
            ReceivableStatus::WrittenOff => "written_off",
        }
    }
}

impl std::str::FromStr for ReceivableStatus {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "open" => Ok(ReceivableStatus::Open),
            "paid" => Ok(ReceivableStatus::Paid),
            "written_off" => Ok(ReceivableStatus::WrittenOff),
            other => Err(format!("unknown receivable status {other}")),
        }
    }
}

/// What an invoice expects from its client and has received.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Receivable {
    pub invoice_id: InvoiceId,
    pub entity_id: EntityId,
    pub activity_id: ActivityId,
    pub client_id: ClientId,
    /// The invoice number.
    pub number: String,
    #[cfg_attr(feature = "openapi", schema(value_type = ensemble_domain::openapi::IsoDate))]
    pub issue_date: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = ensemble_domain::openapi::IsoDate))]
    pub due_date: Date,
    /// Including VAT.
    pub total: Money,
    pub vat: Money,
    pub fee: Money,
    /// What the activity's budget gets once the invoice is paid: price excl. VAT − fee.
    pub budget_share: Money,
    pub paid: Money,
    pub status: ReceivableStatus,
    /// The last dunning step taken: `none`, `reminder`, `second_reminder`, `formal_notice`.
    pub dunning: String,
}

/// A client's payment recorded against an invoice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentRecord {
    /// The ledger event id of the payment.
    pub id: String,
    pub invoice_id: InvoiceId,
    pub bank_reference: String,
    pub amount: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = ensemble_domain::openapi::IsoDate))]
    pub paid_on: Date,
}

/// A payout to a member, held as a pending transfer until the bank confirms it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PayoutRecord {
    /// The ledger event id of the pending transfer.
    pub id: String,
    pub entity_id: EntityId,
    pub member_id: MemberId,
    /// `salary` or `expense_claims`.
    pub purpose: String,
    pub amount: Money,
    /// The payment's reference (a SEPA end-to-end id, a batch id).
    pub reference: String,
    /// `pending`, `confirmed` or `rejected`.
    pub status: String,
    #[cfg_attr(feature = "openapi", schema(value_type = ensemble_domain::openapi::IsoDate))]
    pub created_on: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<ensemble_domain::openapi::IsoDate>))]
    pub settled_on: Option<Date>,
}

/// A salary of declared work and the date the guarantee promises it by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SalaryDue {
    pub payslip_id: PayslipId,
    pub entity_id: EntityId,
    pub activity_id: ActivityId,
    pub member_id: MemberId,
    pub invoice_id: Option<InvoiceId>,
    #[cfg_attr(feature = "openapi", schema(value_type = ensemble_domain::openapi::IsoDate))]
    pub work_end: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = ensemble_domain::openapi::IsoDate))]
    pub due_on: Date,
    pub net: Money,
    pub employer_cost: Money,
    /// What the guarantee fund advanced for it.
    pub advanced: Money,
}

/// An entity's guarantee-fund policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FundPolicy {
    /// The share of the fee that feeds the fund, in parts per million.
    pub fee_share_ppm: i64,
    /// Salaries of declared work are paid at most this many working days after the work.
    pub salary_working_days: i64,
    /// Days after the due date for each dunning step, and for the write-off.
    pub reminder_days: i64,
    pub second_reminder_days: i64,
    pub formal_notice_days: i64,
    pub write_off_days: i64,
}

/// The ledger's operations.
#[async_trait]
pub trait LedgerTx: Send {
    /// Opens the posting's missing accounts and posts its transfers, all or nothing, in this
    /// transaction. Replays (same id, same fields) are no-ops; the same id with another field
    /// is refused (`StoreError::Ledger`), as is a batch that would take an account past its
    /// limit (a budget below zero).
    async fn post_ledger(&mut self, posting: &Posting, at: Micros) -> Result<Vec<Posted>>;
    async fn ledger_account(&mut self, id: &AccountId) -> Result<Option<(Account, Balance)>>;
    /// Those of `ids` that exist, read in one statement (and kept for a posting of the same
    /// transaction that touches them).
    async fn ledger_accounts_among(&mut self, ids: &[AccountId])
    -> Result<Vec<(Account, Balance)>>;
    /// An entity's accounts with their cached balances, in account order.
    async fn ledger_accounts(&mut self, entity: EntityId) -> Result<Vec<(Account, Balance)>>;
    /// An entity's journal entries with their transfers, oldest first.
    async fn ledger_journal(&mut self, entity: EntityId) -> Result<Vec<JournalEntry>>;
    /// The entities that have accounts.
    async fn ledger_entities(&mut self) -> Result<Vec<EntityId>>;
    /// The transfers of one business event, in posting order.
    async fn ledger_event(&mut self, event: &EventId) -> Result<Vec<Transfer>>;
    /// The transfer that posted or voided a pending one.
    async fn ledger_resolution(&mut self, pending: &str) -> Result<Option<String>>;

    async fn insert_receivable(&mut self, r: &Receivable, at: Micros) -> Result<()>;
    async fn receivable(&mut self, invoice: InvoiceId) -> Result<Receivable>;
    /// Which of these invoices have a receivable in the books.
    async fn receivable_ids(&mut self, invoices: &[InvoiceId]) -> Result<Vec<InvoiceId>>;
    /// An entity's receivables (open only when asked), by due date.
    async fn receivables(&mut self, entity: EntityId, open_only: bool) -> Result<Vec<Receivable>>;
    /// Writes what was paid, the status and the dunning step.
    async fn update_receivable(&mut self, r: &Receivable) -> Result<()>;
    /// `Conflict` when that bank reference was recorded for the invoice already.
    async fn insert_payment(&mut self, p: &PaymentRecord, at: Micros) -> Result<()>;
    async fn payments(&mut self, invoice: InvoiceId) -> Result<Vec<PaymentRecord>>;

    async fn insert_payout(&mut self, p: &PayoutRecord, at: Micros) -> Result<()>;
    async fn payout(&mut self, id: &str) -> Result<PayoutRecord>;
    /// Confirms or rejects a pending payout (`Conflict` when it is not pending any more).
    async fn settle_payout(&mut self, id: &str, status: &str, on: Date) -> Result<()>;
    async fn payouts(
        &mut self,
        entity: EntityId,
        status: Option<&str>,
    ) -> Result<Vec<PayoutRecord>>;

    async fn insert_salary_due(&mut self, s: &SalaryDue, at: Micros) -> Result<()>;
    async fn salary_dues(&mut self, entity: EntityId) -> Result<Vec<SalaryDue>>;

    /// Records a dunning step; `false` when it was taken already.
    async fn insert_dunning_step(
        &mut self,
        invoice: InvoiceId,
        step: &str,
        on: Date,
        at: Micros,
    ) -> Result<bool>;
    async fn dunning_steps(&mut self, invoice: InvoiceId) -> Result<Vec<(String, Date)>>;

    async fn fund_policy(&mut self, entity: EntityId) -> Result<Option<FundPolicy>>;
    async fn put_fund_policy(&mut self, entity: EntityId, p: &FundPolicy, at: Micros)
    -> Result<()>;

    /// Runs one raw SQL statement. Only for tests that prove tampering and injected failures
    /// are caught, and for benchmarks' set-up; never called by the application.
    async fn raw_sql_for_tests(&mut self, sql: &str) -> Result<u64>;
}
