//! Persistence of expense claims (their lines as JSON), receipts and the links between them.
//! The receipt files themselves live in the data folder; the application writes them.

use async_trait::async_trait;
use ensemble_domain::expense::{ExpenseClaim, ExpenseStatus, ReceiptHash, ReceiptMediaType};
use ensemble_domain::{ExpenseClaimId, MemberId, UserId};
use serde::{Deserialize, Serialize};

use crate::{Filter, Micros, Result};

/// A stored receipt file: what it is, as its sender named it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReceiptRecord {
    pub hash: ReceiptHash,
    /// The name the file was sent with (per claim: each member sees their own name).
    pub file_name: String,
    pub media_type: ReceiptMediaType,
    /// In bytes.
    pub size: i64,
    pub uploaded_by: UserId,
    /// When it was uploaded, in microseconds since the Unix epoch.
    pub uploaded_at: Micros,
}

/// The expense claims' operations.
#[async_trait]
pub trait ExpenseTx: Send {
    async fn insert_expense_claim(
        &mut self,
        c: &ExpenseClaim,
        by: UserId,
        at: Micros,
    ) -> Result<()>;
    /// Writes the claim's number, title, lines, totals, status and rejection, provided its
    /// stored status is still `expected` (else `Conflict`: someone else moved it first). The
    /// instant of a submission, decision or reimbursement is recorded with its author.
    async fn update_expense_claim(
        &mut self,
        c: &ExpenseClaim,
        expected: ExpenseStatus,
        by: UserId,
        at: Micros,
    ) -> Result<()>;
    async fn expense_claim(&mut self, id: ExpenseClaimId) -> Result<ExpenseClaim>;
    /// Claims by entity, activity, owner (`filter.member`: the claim's member) and status,
    /// oldest first.
    async fn expense_claims(&mut self, filter: &Filter) -> Result<Vec<ExpenseClaim>>;

    /// Records a receipt file; `false` when that content was recorded already (the first
    /// record stays).
    async fn insert_receipt(&mut self, r: &ReceiptRecord) -> Result<bool>;
    async fn receipt(&mut self, hash: &ReceiptHash) -> Result<ReceiptRecord>;
    /// Attaches a recorded receipt to a claim under `file_name` (again: nothing changes).
    async fn attach_receipt(
        &mut self,
        claim: ExpenseClaimId,
        hash: &ReceiptHash,
        file_name: &str,
        by: UserId,
        at: Micros,
    ) -> Result<()>;
    /// The receipts attached to a claim, under the names given there, in attachment order.
    async fn claim_receipts(&mut self, claim: ExpenseClaimId) -> Result<Vec<ReceiptRecord>>;
    /// The receipt as `member` attached it to one of their claims, or `None` when none of
    /// their claims holds it.
    async fn member_receipt(
        &mut self,
        hash: &ReceiptHash,
        member: MemberId,
    ) -> Result<Option<ReceiptRecord>>;
}
