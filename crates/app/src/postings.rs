//! What the bank flows post to the books, one function per posting, each called inside the
//! transaction of the event it records (so that a failure leaves neither the event nor its
//! transfers). They call the ledger's money-flow API ([`crate::ledger`]):
//!
//! * [`payment_received`]: a client's money given to an invoice, automatically or by hand
//!   ([`crate::ledger::record_payment_in`], the statement line's fingerprint as the bank
//!   reference, so that the same line and invoice never post twice), from the bank account —
//!   or from the suspense account for a line that waited there; [`payments_received`] for
//!   the many payments of an import;
//! * [`credits_parked`]: the credit lines of an import that nothing matched, bank → suspense
//!   (PCG 471, PCMN 499), so that the bank account in the books follows the statement; a
//!   line assigned later pays its invoices from the suspense account ([`parked`] tells);
//!   a dismissed line stays in suspense until the accountant books it elsewhere;
//! * [`payout_held`]: a transfer of a payout batch written to a pain.001 file — a pending
//!   transfer from the member's payable to the bank ([`crate::ledger::create_payout_in`], the
//!   transfer's end-to-end id as its reference);
//! * [`payout_posted`]: the bank's statement shows the transfer: the pending transfer posts;
//! * [`payout_voided`]: the bank rejected the batch: the pending transfer is voided.
//!
//! An invoice issued before the ledger existed has no receivable in the books: its payment is
//! recorded by the banking tables only, and a warning is logged.

use std::collections::HashSet;

use ensemble_domain::{EntityId, InvoiceId, Money};
use ensemble_ledger::rules::{self, Event, PaymentSource, PayoutPurpose, UnidentifiedReceipt};
use ensemble_ledger::{EventId, Posting};
use ensemble_store::banking::{PayoutBatchRecord, PayoutLineRecord};
use ensemble_store::{StoreError, Tx};
use jiff::civil::Date;

use crate::ledger::{
    PaymentInput, PayoutInput, books_of, confirm_payout_in, create_payout_in, event_id, post,
    record_payment_in, reject_payout_in, rule,
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
    source: PaymentSource,
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
            source,
        },
    )
    .await?;
    Ok(())
}

/// A payment of an import, from the bank account.
pub(crate) struct Received {
    pub invoice: InvoiceId,
    /// With the line's excess on its last payment.
    pub amount: Money,
    pub paid_on: Date,
    /// The statement line's fingerprint.
    pub line: String,
}

/// The payments of an import: one look-up for which invoices the books know, then each
/// payment posted; the others (invoices issued before the books) get one warning.
pub(crate) async fn payments_received(
    tx: &mut dyn Tx,
    at: i64,
    payments: &[Received],
) -> AppResult<()> {
    if payments.is_empty() {
        return Ok(());
    }
    let mut ids: Vec<InvoiceId> = payments.iter().map(|p| p.invoice).collect();
    ids.sort_unstable();
    ids.dedup();
    let known: HashSet<InvoiceId> = tx.receivable_ids(&ids).await?.into_iter().collect();
    let mut skipped = 0usize;
    for p in payments {
        if !known.contains(&p.invoice) {
            skipped += 1;
            continue;
        }
        record_payment_in(
            tx,
            at,
            &PaymentInput {
                invoice_id: p.invoice,
                amount: p.amount,
                paid_on: p.paid_on,
                bank_reference: p.line.clone(),
                source: PaymentSource::Bank,
            },
        )
        .await?;
    }
    if skipped > 0 {
        tracing::warn!(
            skipped,
            "payments of invoices without a receivable in the books: not posted"
        );
    }
    Ok(())
}

/// A credit line nothing matched, parked in the suspense account.
pub(crate) struct Parked {
    /// The statement line's fingerprint.
    pub line: String,
    pub amount: Money,
    pub booked_on: Date,
    /// The bank's statement id and the entry's position (`STMT-1/3`).
    pub document: String,
    /// Who paid, as the bank wrote it.
    pub payer: String,
}

/// The ledger event of a parked line: `unid-` and the first 32 hex digits of its fingerprint.
pub(crate) fn parked_event(line: &str) -> AppResult<EventId> {
    let short: String = line.chars().take(32).collect();
    event_id(format!("unid-{short}"))
}

/// Parks an import's unmatched credits (bank → suspense), all in one ledger batch.
pub(crate) async fn credits_parked(
    tx: &mut dyn Tx,
    at: i64,
    entity: EntityId,
    lines: &[Parked],
) -> AppResult<()> {
    if lines.is_empty() {
        return Ok(());
    }
    let books = books_of(&tx.entity(entity).await?);
    let mut posting = Posting::default();
    for l in lines {
        let label = if l.payer.is_empty() {
            "Encaissement non identifié".to_string()
        } else {
            format!("Encaissement non identifié {}", l.payer)
        };
        posting = posting.then(
            rules::unidentified_receipt(
                &books,
                &UnidentifiedReceipt {
                    event: Event::new(
                        parked_event(&l.line)?,
                        l.booked_on,
                        l.document.clone(),
                        label,
                    ),
                    amount: l.amount,
                },
            )
            .map_err(rule)?,
        );
    }
    post(tx, &posting, at).await?;
    Ok(())
}

/// Where a queued line's money is in the books: in the suspense account when the import
/// parked it there (lines imported before suspense accounts existed, and lines in another
/// currency, were not).
pub(crate) async fn parked(tx: &mut dyn Tx, line: &str) -> AppResult<PaymentSource> {
    let transfers = tx.ledger_event(&parked_event(line)?).await?;
    Ok(if transfers.is_empty() {
        PaymentSource::Bank
    } else {
        PaymentSource::Suspense
    })
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
