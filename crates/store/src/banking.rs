//! Persistence of money out and money in: SEPA payout batches and their lines, imported bank
//! statements and their lines (one row per fingerprint), the money of a line given to
//! invoices (payments received) and the staff queue of unmatched lines.
//!
//! The rows are plain records; what they mean — which payslips are due, how a line is
//! matched — is decided in the application layer.

use async_trait::async_trait;
use ensemble_domain::expense::ExpenseClaim;
use ensemble_domain::{
    ActivityId, ClientId, DocumentNumber, EntityId, InvoiceId, MemberId, Money, PaymentReference,
    UserId,
};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::{Micros, PayslipRecord, Result};

/// A pain.001 file sent to the bank (its XML is read apart: [`BankingTx::payout_batch_xml`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PayoutBatchRecord {
    pub id: String,
    pub entity_id: EntityId,
    /// `GrpHdr/MsgId` of the file.
    pub message_id: String,
    #[cfg_attr(feature = "openapi", schema(value_type = ensemble_domain::openapi::IsoDate))]
    pub execution_date: Date,
    /// `pending` (sent, waiting for the bank), `confirmed` (every transfer seen on a
    /// statement) or `rejected`.
    pub status: String,
    pub total: Money,
    pub transfers: i64,
    pub rejection: Option<String>,
    pub created_by: UserId,
    /// In microseconds since the Unix epoch.
    pub created_at: Micros,
    pub settled_at: Option<Micros>,
}

/// One credit transfer of a payout batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PayoutLineRecord {
    pub id: String,
    pub batch_id: String,
    /// Position in the file, from 1.
    pub seq: i64,
    /// `PmtInfId` of the batch in the file that holds it.
    pub payment_information_id: String,
    pub end_to_end_id: String,
    /// `salary` (a payslip's net pay) or `expense` (an expense claim's total).
    pub kind: String,
    /// The payslip's or the expense claim's id.
    pub source_id: String,
    pub member_id: MemberId,
    pub activity_id: ActivityId,
    pub creditor_name: String,
    pub iban: String,
    pub amount: Money,
    pub remittance: String,
    /// `pending`, `paid` (seen on a statement) or `rejected`.
    pub status: String,
    /// The ledger's payout id (its pending transfer).
    pub ledger_payout: Option<String>,
    /// The fingerprint of the statement line that showed it paid.
    pub bank_line: Option<String>,
    pub settled_at: Option<Micros>,
}

/// A statement as imported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BankStatementRecord {
    pub id: String,
    pub entity_id: EntityId,
    pub account_iban: String,
    /// The bank's statement id (`Stmt/Id`).
    pub statement_id: String,
    pub message_id: String,
    /// `camt.053.001.08` or `camt.053.001.02`.
    pub version: String,
    pub currency: String,
    pub opening: Money,
    pub closing: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = ensemble_domain::openapi::IsoDate))]
    pub closing_date: Date,
    pub entries: i64,
    /// SHA-256 of the file it came in, hex.
    pub file_sha256: String,
    pub imported_by: UserId,
    pub imported_at: Micros,
}

/// A booked movement of an account, under its fingerprint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BankLineRecord {
    /// SHA-256 of the line's identity, hex (see `ensemble_banking::LineFingerprint`).
    pub fingerprint: String,
    pub entity_id: EntityId,
    /// The statement row it was first imported with.
    pub statement_id: String,
    /// `Ntry` position in its statement, from 1.
    pub entry: i64,
    /// `TxDtls` position in the entry, when the entry was split.
    pub transaction_no: Option<i64>,
    /// `credit` (money in) or `debit`.
    pub direction: String,
    /// Always positive.
    pub amount: Money,
    pub currency: String,
    #[cfg_attr(feature = "openapi", schema(value_type = ensemble_domain::openapi::IsoDate))]
    pub booking_date: Date,
    pub counterparty_name: Option<String>,
    pub counterparty_iban: Option<String>,
    /// Structured creditor references as written.
    pub creditor_references: Vec<String>,
    /// Free text.
    pub remittance: String,
    pub end_to_end_id: Option<String>,
    pub payment_information_id: Option<String>,
    /// `matched`, `unmatched`, `assigned`, `dismissed`, `payout` or `other`.
    pub status: String,
    /// How it was matched (`creditor_reference`, `amount_and_name`…, `manual`).
    pub method: Option<String>,
    pub confidence: Option<i64>,
    /// Paid beyond what its invoices owed.
    pub excess: Money,
    pub created_at: Micros,
}

/// Money of a line given to an invoice: a payment received.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineMatchRecord {
    pub id: String,
    pub line_fingerprint: String,
    pub invoice_id: InvoiceId,
    pub amount: Money,
    pub method: String,
    pub confidence: i64,
    /// Who assigned it; `null` when the matcher did.
    pub matched_by: Option<UserId>,
    pub created_at: Micros,
}

/// A line in the staff queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueRecord {
    pub line: BankLineRecord,
    /// Why the matcher left it (`no_candidate`, `low_confidence`, `ambiguous`…).
    pub reason: String,
    /// The matcher's best candidates: `[{"invoices": [...], "method", "confidence"}]`.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub suggestions: serde_json::Value,
    pub queued_at: Micros,
    /// `assigned` or `dismissed` once a person dealt with it.
    pub resolution: Option<String>,
    pub resolved_by: Option<UserId>,
    pub resolved_at: Option<Micros>,
}

/// A credit line for the staff queue, as an import writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewQueueItem {
    pub fingerprint: String,
    /// Why the matcher left it.
    pub reason: String,
    pub suggestions: serde_json::Value,
}

/// A payment recorded by hand: a cheque, cash, a transfer seen outside the statements.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ManualPaymentRecord {
    pub id: String,
    pub entity_id: EntityId,
    pub invoice_id: InvoiceId,
    /// What the invoice got: at most what it still owed.
    pub amount: Money,
    /// Paid beyond what the invoice owed (left on the client's account).
    pub excess: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = ensemble_domain::openapi::IsoDate))]
    pub paid_on: Date,
    /// `cheque`, `cash`, `transfer`, `card` or `other`.
    pub method: String,
    /// The cheque's number, the receipt's… unique per invoice.
    pub reference: String,
    pub recorded_by: UserId,
    pub created_at: Micros,
}

/// An invoice that waits for money, with what its client still owes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenInvoiceRow {
    pub id: InvoiceId,
    pub number: DocumentNumber,
    pub activity_id: ActivityId,
    pub payment_reference: PaymentReference,
    pub total: Money,
    pub outstanding: Money,
    pub client_id: ClientId,
    pub client_name: String,
    pub issue_date: Date,
    pub due_date: Date,
}

/// The banking operations.
#[async_trait]
pub trait BankingTx: Send {
    // Payouts
    async fn insert_payout_batch(&mut self, b: &PayoutBatchRecord, xml: &str) -> Result<()>;
    /// `Conflict` when the payslip or claim is already in a batch the bank has not rejected.
    async fn insert_payout_line(&mut self, l: &PayoutLineRecord) -> Result<()>;
    async fn payout_batch(&mut self, id: &str) -> Result<PayoutBatchRecord>;
    async fn payout_batch_xml(&mut self, id: &str) -> Result<String>;
    /// Newest first.
    async fn payout_batches(
        &mut self,
        entity: Option<EntityId>,
        limit: i64,
    ) -> Result<Vec<PayoutBatchRecord>>;
    async fn payout_lines(&mut self, batch: &str) -> Result<Vec<PayoutLineRecord>>;
    /// The pending lines of an entity's pending batches.
    async fn pending_payout_lines(&mut self, entity: EntityId) -> Result<Vec<PayoutLineRecord>>;
    /// Moves a pending line to `status` (`paid` or `rejected`); `false` when it was not
    /// pending any more.
    async fn settle_payout_line(
        &mut self,
        id: &str,
        status: &str,
        bank_line: Option<&str>,
        at: Micros,
    ) -> Result<bool>;
    /// Moves a pending batch to `status`; `Conflict` when it is not pending.
    async fn settle_payout_batch(
        &mut self,
        id: &str,
        status: &str,
        rejection: Option<&str>,
        by: Option<UserId>,
        at: Micros,
    ) -> Result<()>;
    /// An entity's payslips for months starting on or before `until`, with a positive net
    /// pay, in no batch the bank has not rejected; oldest first.
    async fn salaries_due(&mut self, entity: EntityId, until: Date) -> Result<Vec<PayslipRecord>>;
    /// An entity's approved or reimbursed expense claims in no batch the bank has not
    /// rejected; oldest first.
    async fn expenses_due(&mut self, entity: EntityId) -> Result<Vec<ExpenseClaim>>;

    // Statements
    /// The id of the statement already imported for this account and statement id.
    async fn bank_statement_id(
        &mut self,
        account_iban: &str,
        statement_id: &str,
    ) -> Result<Option<String>>;
    async fn insert_bank_statement(&mut self, s: &BankStatementRecord) -> Result<()>;
    /// Which of these fingerprints are recorded already.
    async fn known_bank_lines(&mut self, fingerprints: &[String]) -> Result<Vec<String>>;
    /// Many lines, in multi-row statements (`Conflict` when one is recorded already: then
    /// none of its statement is written, and the caller's transaction must be dropped).
    async fn insert_bank_lines(&mut self, lines: &[BankLineRecord]) -> Result<()>;
    async fn bank_line(&mut self, fingerprint: &str) -> Result<BankLineRecord>;
    /// Sets a line's status, method, confidence and excess, provided its status is still
    /// `expected` (else `Conflict`).
    async fn update_bank_line(&mut self, l: &BankLineRecord, expected: &str) -> Result<()>;

    // Payments received
    async fn insert_line_match(&mut self, m: &LineMatchRecord) -> Result<()>;
    /// Many payments, in multi-row statements.
    async fn insert_line_matches(&mut self, matches: &[LineMatchRecord]) -> Result<()>;
    /// `Conflict` when that reference was recorded for the invoice already.
    async fn insert_manual_payment(&mut self, p: &ManualPaymentRecord) -> Result<()>;
    /// An invoice's payments recorded by hand, oldest first.
    async fn manual_payments(&mut self, invoice: InvoiceId) -> Result<Vec<ManualPaymentRecord>>;
    async fn line_matches(&mut self, fingerprint: &str) -> Result<Vec<LineMatchRecord>>;
    async fn invoice_payments(&mut self, invoice: InvoiceId) -> Result<Vec<LineMatchRecord>>;
    /// The issued invoices of an entity with something outstanding.
    async fn open_invoices(&mut self, entity: EntityId) -> Result<Vec<OpenInvoiceRow>>;
    /// One invoice's total and outstanding amount, whatever its status.
    async fn invoice_balance(&mut self, invoice: InvoiceId) -> Result<OpenInvoiceRow>;
    /// `issued` → `paid` (or back).
    async fn set_invoice_status(&mut self, invoice: InvoiceId, status: &str) -> Result<()>;
    /// The same for many invoices, one statement per chunk.
    async fn set_invoices_status(&mut self, invoices: &[InvoiceId], status: &str) -> Result<()>;

    // The staff queue
    /// Many lines in the queue, in multi-row statements.
    async fn enqueue_bank_lines(
        &mut self,
        entity: EntityId,
        items: &[NewQueueItem],
        at: Micros,
    ) -> Result<()>;
    /// Open items (`resolved = false`) or all, oldest first.
    async fn reconciliation_queue(
        &mut self,
        entity: Option<EntityId>,
        open_only: bool,
        limit: i64,
    ) -> Result<Vec<QueueRecord>>;
    async fn queue_item(&mut self, fingerprint: &str) -> Result<QueueRecord>;
    /// Closes an open item; `Conflict` when someone closed it first.
    async fn resolve_queue_item(
        &mut self,
        fingerprint: &str,
        resolution: &str,
        by: UserId,
        at: Micros,
    ) -> Result<()>;
}
