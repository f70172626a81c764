//! What the bank flows post to the books, one function per posting, each called inside the
//! transaction of the event it records (so that a failure leaves neither the event nor its
//! transfers):
//!
//! * [`payment_received`]: a client's money given to an invoice (automatically or by hand);
//! * [`payout_held`]: a transfer of a payout batch written to a pain.001 file — a pending
//!   transfer from the member's payable to the bank until the bank confirms it;
//! * [`payout_posted`]: the bank's statement shows the transfer: the pending transfer posts;
//! * [`payout_voided`]: the bank rejected the batch: the pending transfer is voided.
//!
//! The ledger in the store is not on this branch yet: these are the seams where its postings
//! go, and they post nothing today.

use ensemble_store::Tx;
use ensemble_store::banking::{
    LineMatchRecord, OpenInvoiceRow, PayoutBatchRecord, PayoutLineRecord,
};

use crate::AppResult;

/// A payment received for `invoice` (its state before the payment).
pub(crate) async fn payment_received(
    _tx: &mut dyn Tx,
    _invoice: &OpenInvoiceRow,
    _payment: &LineMatchRecord,
) -> AppResult<()> {
    Ok(())
}

/// A payout transfer sent to the bank: held as pending.
pub(crate) async fn payout_held(
    _tx: &mut dyn Tx,
    _batch: &PayoutBatchRecord,
    _line: &PayoutLineRecord,
) -> AppResult<()> {
    Ok(())
}

/// A payout transfer the bank executed: the pending transfer posts.
pub(crate) async fn payout_posted(
    _tx: &mut dyn Tx,
    _batch: &PayoutBatchRecord,
    _line: &PayoutLineRecord,
) -> AppResult<()> {
    Ok(())
}

/// A payout transfer the bank rejected: the pending transfer is voided.
pub(crate) async fn payout_voided(
    _tx: &mut dyn Tx,
    _batch: &PayoutBatchRecord,
    _line: &PayoutLineRecord,
) -> AppResult<()> {
    Ok(())
}
