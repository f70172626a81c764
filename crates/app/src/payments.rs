//! Payments recorded by hand: a cheque, cash, a transfer seen outside the imported statements.
//!
//! [`App::record_payment`] (accountants and administrators) gives the money to one invoice
//! exactly as a matched statement line does, in one transaction:
//!
//! * the invoice must be issued with something outstanding (else `409 invoice_not_open`);
//! * the invoice gets at most what it still owes; what is paid beyond it is the payment's
//!   excess, and it stays on the client's account in the books (as a statement line's excess);
//! * the books get the same postings as a statement line's payment
//!   ([`crate::postings::payment_received`], from the bank account: cash and cheques are
//!   counted as deposited): client → bank, the VAT falling due on receipts (France), the
//!   budget share reaching the activity's available budget, and the repayment of the
//!   activity's guarantee-fund advances first;
//! * an invoice paid in full is marked `paid`;
//! * the payment's reference is unique per invoice (`409 payment_exists` the second time), and
//!   an `Idempotency-Key` replays the first answer.
//!
//! [`App::invoice_payments`] lists an invoice's payments, from statements and by hand.

use ensemble_domain::{Invalid, InvoiceId, Money, UserId};
use ensemble_ledger::rules::PaymentSource;
use ensemble_store::StoreError;
use ensemble_store::banking::ManualPaymentRecord;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::access::{require_role, require_staff};
use crate::idempotency::{remember, replay};
use crate::payouts::TREASURY;
use crate::{Actor, App, AppError, AppResult, Idempotency, postings};

/// How a payment recorded by hand was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Cheque,
    Cash,
    /// A bank transfer seen outside the imported statements.
    Transfer,
    Card,
    Other,
}

impl PaymentMethod {
    pub const fn code(self) -> &'static str {
        match self {
            PaymentMethod::Cheque => "cheque",
            PaymentMethod::Cash => "cash",
            PaymentMethod::Transfer => "transfer",
            PaymentMethod::Card => "card",
            PaymentMethod::Other => "other",
        }
    }
}

/// A payment recorded by hand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPayment {
    /// More than zero; beyond what the invoice owes, the excess stays on the client's account.
    pub amount: Money,
    #[schema(value_type = ensemble_domain::openapi::IsoDate)]
    pub paid_on: Date,
    pub method: PaymentMethod,
    /// The cheque's number, the receipt's, the transfer's reference: 1 to 140 characters,
    /// unique per invoice.
    #[schema(min_length = 1, max_length = 140)]
    pub reference: String,
}

/// One payment of an invoice, from a statement line or recorded by hand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct InvoicePayment {
    pub id: String,
    /// `statement` (a statement line's money) or `manual` (recorded by hand).
    pub source: String,
    /// What the invoice got.
    pub amount: Money,
    /// Paid beyond what the invoice owed (left on the client's account). For a statement
    /// line, the line's excess (shown on the line's last payment).
    pub excess: Money,
    #[schema(value_type = ensemble_domain::openapi::IsoDate)]
    pub paid_on: Date,
    /// How it was matched (`creditor_reference`, `manual`…) or made (`cheque`, `cash`…).
    pub method: String,
    /// The statement line's fingerprint, or the reference given by hand.
    pub reference: String,
    /// Who recorded or assigned it; `null` when the matcher did.
    pub recorded_by: Option<UserId>,
    /// In microseconds since the Unix epoch.
    pub created_at: i64,
}

/// What recording a payment did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RecordedPayment {
    pub payment: InvoicePayment,
    /// What the invoice still owes.
    pub outstanding: Money,
    /// The invoice is now paid in full.
    pub invoice_paid: bool,
}

fn manual(p: &ManualPaymentRecord) -> InvoicePayment {
    InvoicePayment {
        id: p.id.clone(),
        source: "manual".into(),
        amount: p.amount,
        excess: p.excess,
        paid_on: p.paid_on,
        method: p.method.clone(),
        reference: p.reference.clone(),
        recorded_by: Some(p.recorded_by),
        created_at: p.created_at,
    }
}

/// The reference of a payment by hand in the books' register of payments (the key that makes
/// its posting idempotent): apart from statement lines' fingerprints.
fn ledger_reference(reference: &str) -> String {
    format!("manual:{reference}")
}

impl App {
    /// Records a payment made by hand on an invoice (accountants and administrators); see the
    /// module documentation.
    pub async fn record_payment(
        &self,
        actor: &Actor,
        invoice_id: InvoiceId,
        input: &NewPayment,
        idem: Option<&Idempotency>,
    ) -> AppResult<RecordedPayment> {
        require_role(actor, TREASURY)?;
        if !input.amount.is_positive() {
            return Err(Invalid::new("amount", "a payment is more than zero").into());
        }
        let reference = input.reference.trim();
        if reference.is_empty() || reference.chars().count() > 140 {
            return Err(Invalid::new("reference", "1 to 140 characters").into());
        }
        let mut tx = self.store.write().await?;
        if let Some(previous) = replay(&mut *tx, actor, "record_payment", idem).await? {
            return Ok(previous);
        }
        let invoice = tx.invoice(invoice_id).await?;
        let balance = tx.invoice_balance(invoice_id).await?;
        if invoice.status.code() != "issued" || !balance.outstanding.is_positive() {
            return Err(AppError::conflict(
                "invoice_not_open",
                format!(
                    "invoice {} is {} with {} outstanding: nothing to pay",
                    invoice.number, invoice.status, balance.outstanding
                ),
            ));
        }
        let at = self.clock.micros();
        let amount = input.amount.min(balance.outstanding);
        let record = ManualPaymentRecord {
            id: self.id().to_string(),
            entity_id: invoice.entity_id,
            invoice_id,
            amount,
            excess: input.amount - amount,
            paid_on: input.paid_on,
            method: input.method.code().to_string(),
            reference: reference.to_string(),
            recorded_by: actor.user,
            created_at: at,
        };
        tx.insert_manual_payment(&record)
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => AppError::conflict(
                    "payment_exists",
                    format!(
                        "a payment with the reference {reference} is recorded on invoice {} already",
                        invoice.number
                    ),
                ),
                other => other.into(),
            })?;
        // The whole amount in the books: the excess stays on the client's account.
        postings::payment_received(
            &mut *tx,
            at,
            invoice_id,
            input.amount,
            input.paid_on,
            &ledger_reference(reference),
            PaymentSource::Bank,
        )
        .await?;
        let invoice_paid = amount == balance.outstanding;
        if invoice_paid {
            tx.set_invoice_status(invoice_id, "paid").await?;
        }
        let result = RecordedPayment {
            payment: manual(&record),
            outstanding: balance.outstanding - amount,
            invoice_paid,
        };
        remember(&mut *tx, actor, "record_payment", idem, &result, at).await?;
        tx.commit().await?;
        Ok(result)
    }

    /// An invoice's payments, from statement lines and by hand, oldest first (staff).
    pub async fn invoice_payments(
        &self,
        actor: &Actor,
        invoice_id: InvoiceId,
    ) -> AppResult<Vec<InvoicePayment>> {
        require_staff(actor)?;
        let mut tx = self.store.read().await?;
        tx.invoice(invoice_id).await?;
        let mut out = Vec::new();
        for m in tx.invoice_payments(invoice_id).await? {
            let line = tx.bank_line(&m.line_fingerprint).await?;
            let last = tx
                .line_matches(&m.line_fingerprint)
                .await?
                .last()
                .is_some_and(|l| l.id == m.id);
            out.push(InvoicePayment {
                id: m.id,
                source: "statement".into(),
                amount: m.amount,
                excess: if last { line.excess } else { Money::ZERO },
                paid_on: line.booking_date,
                method: m.method,
                reference: m.line_fingerprint,
                recorded_by: m.matched_by,
                created_at: m.created_at,
            });
        }
        out.extend(tx.manual_payments(invoice_id).await?.iter().map(manual));
        out.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        Ok(out)
    }
}
