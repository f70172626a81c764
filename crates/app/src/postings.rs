//! What the bank flows post to the books, one function per posting, each called inside the
//! transaction of the event it records (so that a failure leaves neither the event nor its
//! transfers). They call the ledger's money-flow API ([`crate::ledger`]):
//!
//! * [`payment_received`]: a client's money given to an invoice, automatically or by hand
//!   ([`crate::ledger::record_payment_in`], the statement line's fingerprint as the bank
//!   reference, so that the same line and invoice never post twice);
//! * [`payout_held`]: a transfer of a payout batch written to a pain.001 file — a pending
//!   transfer from the member's payable to the bank ([`crate::ledger::create_payout_in`], the
//!   transfer's end-to-end id as its reference);
//! * [`payout_posted`]: the bank's statement shows the transfer: the pending transfer posts;
//! * [`payout_voided`]: the bank rejected the batch: the pending transfer is voided.
//!
//! An invoice issued before the ledger existed has no receivable in the books: its payment is
//! recorded by the banking tables only, and a warning is logged.

use ensemble_domain::{InvoiceId, Money};
use ensemble_ledger::rules::PayoutPurpose;
use ensemble_store::banking::{PayoutBatchRecord, PayoutLineRecord};
use ensemble_store::{StoreError, Tx};
use jiff::civil::Date;

use crate::ledger::{
    PaymentInput, PayoutInput, confirm_payout_in, create_payout_in, record_payment_in,
    reject_payout_in,
};
use crate::{AppError, AppResult};

/// A payment received: `amount` of the statement line `line` (its fingerprint) for `invoice`,
/// booked on `paid_on`. `amount` may exceed what the invoice owes (an overpayment stays on
/// the client's account).
pub(crate) async fn payment_received(
    tx: &mut dyn Tx,
    at: i64,
    invoice: InvoiceId,
    amount: Money,
    paid_on: Date,
    line: &str,
) -> AppResult<()> {
    match tx.receivable(invoice).await {
        Ok(_) => {}
        Err(StoreError::NotFound { .. }) => {
            tracing::warn!(%invoice, "invoice without a receivable in the books: payment not posted");
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    }
    record_payment_in(
        tx,
        at,
        &PaymentInput {
            invoice_id: invoice,
            amount,
            paid_on,
            bank_reference: line.to_string(),
        },
    )
    .await?;
    Ok(())
}

/// A payout transfer sent to the bank: held as a pending transfer. Returns the ledger's
/// payout id.
pub(crate) async fn payout_held(
    tx: &mut dyn Tx,
    at: i64,
    batch: &PayoutBatchRecord,
    line: &PayoutLineRecord,
) -> AppResult<Option<String>> {
    let purpose = match line.kind.as_str() {
        "salary" => PayoutPurpose::Salary,
        "expense" => PayoutPurpose::ExpenseClaims,
        other => return Err(AppError::Internal(format!("payout of kind {other}"))),
    };
    let payout = create_payout_in(
        tx,
        at,
        &PayoutInput {
            member_id: line.member_id,
            purpose,
            amount: line.amount,
            reference: line.end_to_end_id.clone(),
            date: batch.execution_date,
        },
    )
    .await?;
    Ok(Some(payout.id))
}

/// A payout transfer the bank executed on `on`: the pending transfer posts.
pub(crate) async fn payout_posted(
    tx: &mut dyn Tx,
    at: i64,
    line: &PayoutLineRecord,
    on: Date,
) -> AppResult<()> {
    if let Some(id) = &line.ledger_payout {
        confirm_payout_in(tx, at, id, on).await?;
    }
    Ok(())
}

/// A payout transfer the bank rejected: the pending transfer is voided.
pub(crate) async fn payout_voided(
    tx: &mut dyn Tx,
    at: i64,
    line: &PayoutLineRecord,
    on: Date,
) -> AppResult<()> {
    if let Some(id) = &line.ledger_payout {
        reject_payout_in(tx, at, id, on).await?;
    }
    Ok(())
}
