//! The books of the core chain, in the store, and the money-flow API other features call.
//!
//! Every event of the core chain posts its balanced transfers (the rules of
//! `ensemble_ledger::rules`) **in the same store transaction as the event**, so an event and
//! its transfers are written together or not at all:
//!
//! | event | where | posting (event id) |
//! |---|---|---|
//! | invoice issued (declaration validated, quote invoiced) | `declarations`, `quotes` | `invoice_issued` + `fee` + `guarantee_contribution` (the invoice id) and a receivable |
//! | salary, contributions and withholding tax due | `declarations`, `salary` | `salary` (the payslip id), preceded by a `guarantee_advance` when the activity's available budget (9200) is short |
//! | expense approved, then paid | `expenses` | `expense_approved` (pending, the claim id), `expense_paid` (`<claim id>-paid`) |
//! | share subscription | `members` | `share_subscription` (the subscription id) |
//! | payment received | [`record_payment_in`] (statement imports, [`App::assign_bank_line`], [`App::record_payment`]) | `payment_received` then `advance_repayment` (`pay-…`) |
//! | credit nothing matched | [`App::import_statement`] | `unidentified_receipt` (`unid-…`), bank → suspense 471 / 499 |
//! | payout | [`App::create_payout`], [`App::confirm_payout`], [`App::reject_payout`] (and the `_in` functions) | `payout_initiated` (pending), `payout_confirmed` (post), `payout_rejected` (void) |
//!
//! **Budgets.** An activity's available budget (analytic account 9200) never goes below zero:
//! when a salary or an approved expense needs more than it holds, the guarantee fund
//! advances the shortfall in the same batch (9310 of the activity → 9200). When the client
//! pays, the payment's budget share reaches 9200 and the activity repays its outstanding
//! advances first, as far as the budget allows.
//!
//! # For the banking features (payments in, payouts out)
//! - [`record_payment_in`]`(tx, clock_micros, &PaymentInput)` records a client payment on
//!   one invoice inside the caller's transaction (a statement import posts many in one).
//!   Partial payments, and overpayments (the surplus stays on the client's account 411/400),
//!   are accepted. The bank reference is the idempotency key: the same invoice and reference
//!   again is a replay (`Outcome::Replayed`), with another amount or date a conflict.
//!   [`App::record_payment`] records a payment made by hand (a cheque, cash…) through it,
//!   as a statement line's payment is ([`crate::payments`]).
//! - Payouts: [`create_payout_in`] holds the amount as a pending transfer (member's 421/455 or
//!   468/489 → bank) and returns the payout id (its ledger event id); on the bank's
//!   confirmation [`confirm_payout_in`] posts it, on a rejection [`reject_payout_in`] voids it.
//!   Each is also an `App` method for one payout in its own transaction.
//!
//! `ensemble ledger check` ([`App::ledger_check`]) recomputes every balance and Σ debits = Σ
//! credits per entity and book; `ensemble ledger verify` ([`App::ledger_verify`]) re-hashes
//! every entity's journal chain.

use ensemble_domain::coop::CooperativeEntity;
use ensemble_domain::{ActivityId, ClientId, EntityId, Invalid, InvoiceId, MemberId, Money};
use ensemble_ledger::rules::{
    self, EntityBooks, Event, ExpenseAmounts, GuaranteeAdvance, InvoiceFigures, Party,
    PaymentSource, PayoutPurpose, RuleError,
};
use ensemble_ledger::{
    AccountId, CheckProblem, CheckReport, EventId, Hash32, LedgerError, Outcome, Posted, Posting,
    check_books, verify_chain,
};
use ensemble_payroll::Payslip;
use ensemble_store::ledger::{
    FundPolicy, PaymentRecord, PayoutRecord, Receivable, ReceivableStatus,
};
use ensemble_store::{StoreError, Tx};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::access::require_staff;
use crate::{Actor, App, AppError, AppResult};

/// The fund policy of an entity that has not set its own. Our defaults, not a legal rule:
/// 10 % of the fee feeds the fund; salaries within 7 working days of the work (Smart's
/// promise); a reminder 7 days after the due date, a second one after 21, a formal notice
/// after 35, a write-off to the fund after 90.
pub const DEFAULT_FUND_POLICY: FundPolicy = FundPolicy {
    fee_share_ppm: 100_000,
    salary_working_days: 7,
    reminder_days: 7,
    second_reminder_days: 21,
    formal_notice_days: 35,
    write_off_days: 90,
};

/// The books of an entity, from its country.
pub fn books_of(entity: &CooperativeEntity) -> EntityBooks {
    EntityBooks::new(entity.id, entity.country)
}

/// An entity's fund policy (its own, or the default).
pub async fn fund_policy(tx: &mut dyn Tx, entity: EntityId) -> AppResult<FundPolicy> {
    Ok(tx.fund_policy(entity).await?.unwrap_or(DEFAULT_FUND_POLICY))
}

pub(crate) fn event_id(text: impl Into<String>) -> AppResult<EventId> {
    EventId::new(text).map_err(|e| AppError::Internal(e.to_string()))
}

pub(crate) fn rule(e: RuleError) -> AppError {
    AppError::Invalid(Invalid::new(e.field, e.message))
}

/// Maps a refused ledger batch to the error a caller sees.
pub(crate) fn ledger_error(e: StoreError) -> AppError {
    match e {
        StoreError::Ledger(l) => match l {
            LedgerError::ExceedsCredits { .. } | LedgerError::ExceedsDebits { .. } => {
                AppError::conflict("insufficient_budget", l.to_string())
            }
            LedgerError::TransferConflict { .. } | LedgerError::AccountConflict { .. } => {
                AppError::conflict("transfer_conflict", l.to_string())
            }
            LedgerError::PendingAlreadyResolved { .. } => {
                AppError::conflict("already_settled", l.to_string())
            }
            other => AppError::conflict("ledger_refused", other.to_string()),
        },
        other => other.into(),
    }
}

/// Posts a batch in the caller's transaction.
pub(crate) async fn post(tx: &mut dyn Tx, posting: &Posting, at: i64) -> AppResult<Vec<Posted>> {
    tx.post_ledger(posting, at).await.map_err(ledger_error)
}

/// What a posting takes from an activity's available budget (9200), less what it brings.
fn budget_need(posting: &Posting, budget: &AccountId) -> Money {
    let mut need = Money::ZERO;
    for t in &posting.transfers {
        let counts = matches!(
            t.phase,
            ensemble_ledger::Phase::Single | ensemble_ledger::Phase::Pending
        );
        if t.debit == *budget && counts {
            need += t.amount;
        }
        if t.credit == *budget && matches!(t.phase, ensemble_ledger::Phase::Single) {
            need -= t.amount;
        }
    }
    need
}

/// Prepends a guarantee advance for what `posting` needs beyond the activity's available
/// budget. Returns the posting to post and the amount advanced.
pub(crate) async fn cover_budget(
    tx: &mut dyn Tx,
    books: &EntityBooks,
    activity: &Party<ActivityId>,
    event: &Event,
    posting: Posting,
) -> AppResult<(Posting, Money)> {
    let budget = books.budget(activity.id);
    let need = budget_need(&posting, &budget);
    // The posting's accounts, and those an advance moves, are read with the budget, for the
    // posting to find them.
    let mut ids: Vec<AccountId> = posting
        .transfers
        .iter()
        .flat_map(|t| [t.debit, t.credit])
        .chain(posting.accounts.iter().map(|a| a.id))
        .collect();
    if let Ok(probe) = rules::guarantee_advance(
        books,
        &GuaranteeAdvance {
            event: event.clone(),
            activity: activity.clone(),
            amount: Money::from_cents(1),
        },
    ) {
        ids.extend(probe.transfers.iter().flat_map(|t| [t.debit, t.credit]));
        ids.extend(probe.accounts.iter().map(|a| a.id));
    }
    ids.push(budget);
    ids.sort();
    ids.dedup();
    let available = tx
        .ledger_accounts_among(&ids)
        .await?
        .into_iter()
        .find(|(a, _)| a.id == budget)
        .map_or(Money::ZERO, |(_, b)| b.available_credit());
    let short = need - available;
    if !short.is_positive() {
        return Ok((posting, Money::ZERO));
    }
    let advance = rules::guarantee_advance(
        books,
        &GuaranteeAdvance {
            event: event.clone(),
            activity: activity.clone(),
            amount: short,
        },
    )
    .map_err(rule)?;
    Ok((advance.then(posting), short))
}

/// Posts an invoice issued with its fee and the fund's share of the fee, and opens its
/// receivable. `event` carries the invoice's id, number and date.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn post_invoice(
    tx: &mut dyn Tx,
    books: &EntityBooks,
    invoice: &ensemble_domain::invoice::Invoice,
    activity: Party<ActivityId>,
    client: Party<ClientId>,
    fee: Money,
    at: i64,
) -> AppResult<()> {
    let policy = fund_policy(tx, books.entity).await?;
    let event = Event::new(
        event_id(invoice.id.to_string())?,
        invoice.issue_date,
        invoice.number.to_string(),
        format!("Facture {} {}", invoice.number, client.name),
    );
    let excl_vat = invoice.totals.net;
    let vat = invoice.totals.vat;
    let fee = fee.min(excl_vat);
    let contribution = fee.prorate(policy.fee_share_ppm, 1_000_000);
    let posting = rules::invoice_issued(
        books,
        &rules::InvoiceIssued {
            event: event.clone(),
            activity: activity.clone(),
            client: client.clone(),
            excl_vat,
            vat,
        },
    )
    .map_err(rule)?
    .then(
        rules::fee(
            books,
            &rules::FeeCharged {
                event: event.clone(),
                activity: activity.clone(),
                amount: fee,
            },
        )
        .map_err(rule)?,
    )
    .then(
        rules::guarantee_contribution(
            books,
            &rules::GuaranteeContribution {
                event,
                amount: contribution,
            },
        )
        .map_err(rule)?,
    );
    post(tx, &posting, at).await?;
    tx.insert_receivable(
        &Receivable {
            invoice_id: invoice.id,
            entity_id: invoice.entity_id,
            activity_id: activity.id,
            client_id: client.id,
            number: invoice.number.to_string(),
            issue_date: invoice.issue_date,
            due_date: invoice.due_date,
            total: invoice.totals.with_vat,
            vat,
            fee,
            budget_share: excl_vat - fee,
            paid: Money::ZERO,
            status: ReceivableStatus::Open,
            dunning: "none".to_string(),
        },
        at,
    )
    .await?;
    Ok(())
}

/// Whether a French contribution line is paid to a body other than the URSSAF (supplementary
/// pensions AGIRC-ARRCO with CEG and CET, APEC, unemployment insurance and AGS through
/// France Travail): account 437 rather than 431. Belgian contributions all go to the ONSS.
fn other_body(code: &str) -> bool {
    [
        "agirc",
        "arrco",
        "ceg",
        "cet",
        "apec",
        "unemployment",
        "ags",
    ]
    .iter()
    .any(|k| code.contains(k))
}

/// The salary event of a payslip: gross, contributions by body, withholding tax, net.
pub(crate) fn salary_event(
    event: Event,
    member: Party<MemberId>,
    activity: Party<ActivityId>,
    slip: &Payslip,
) -> rules::SalaryPosted {
    use ensemble_payroll::LineKind;
    let t = &slip.totals;
    let (mut ee_other, mut er_other) = (Money::ZERO, Money::ZERO);
    for l in &slip.lines {
        if l.kind == LineKind::Contribution && other_body(l.code) {
            ee_other += l.employee_amount;
            er_other += l.employer_amount;
        }
    }
    let ee_other = ee_other.min(t.employee_contributions).max(Money::ZERO);
    let ee_social = t.employee_contributions - ee_other;
    let er_total = t.employer_contributions - t.employer_reliefs;
    let er_other = er_other.min(er_total).max(Money::ZERO);
    let er_social = er_total - er_other;
    rules::SalaryPosted {
        event,
        member,
        activity,
        gross: t.gross,
        employee_social_security: ee_social,
        employee_other_bodies: ee_other,
        withholding_tax: t.withholding_tax,
        net_payable: t.gross - t.employee_contributions - t.withholding_tax,
        employer_social_security: er_social,
        employer_other_bodies: er_other,
        employer_cost: t.gross + er_total,
    }
}

/// Posts a salary (with its contributions and withholding tax due), the fund advancing what
/// the activity's budget lacks. Returns the amount advanced.
pub(crate) async fn post_salary(
    tx: &mut dyn Tx,
    books: &EntityBooks,
    salary: &rules::SalaryPosted,
    at: i64,
) -> AppResult<Money> {
    let posting = rules::salary(books, salary).map_err(rule)?;
    let (posting, advanced) =
        cover_budget(tx, books, &salary.activity, &salary.event, posting).await?;
    post(tx, &posting, at).await?;
    Ok(advanced)
}

/// A client's payment on one invoice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PaymentInput {
    pub invoice_id: InvoiceId,
    /// The amount received (may be less or more than what is due).
    pub amount: Money,
    #[schema(value_type = ensemble_domain::openapi::IsoDate)]
    pub paid_on: Date,
    /// The bank's reference of the credit (a camt.053 entry reference): with the invoice, the
    /// payment's idempotency key.
    pub bank_reference: String,
    /// Where the money is: on the bank account (the default), or in the suspense account
    /// where an unmatched statement line waited.
    #[serde(default)]
    #[schema(value_type = String)]
    pub source: PaymentSource,
}

/// What a recorded payment did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PaymentOutcome {
    pub payment: PaymentRecord,
    /// The receivable after the payment.
    pub receivable: Receivable,
    /// What was paid beyond the invoice's total (left on the client's account).
    pub overpaid: Money,
    /// The guarantee-fund advances the activity repaid from this payment.
    pub advance_repaid: Money,
    /// `created`, or `replayed` when this bank reference was recorded already.
    #[schema(value_type = String)]
    pub outcome: Outcome,
}

fn payment_event_id(invoice: InvoiceId, bank_reference: &str) -> AppResult<EventId> {
    let digest = Sha256::digest(format!("{invoice}\n{bank_reference}").as_bytes());
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    event_id(format!("pay-{hex}"))
}

/// Records a client's payment on one invoice inside the caller's transaction: the payment
/// received postings (bank, VAT falling due on receipts in France, the activity's budget
/// share), then the repayment of the activity's outstanding fund advances. See the module
/// documentation for idempotency and partial or over payments.
pub async fn record_payment_in(
    tx: &mut dyn Tx,
    at: i64,
    input: &PaymentInput,
) -> AppResult<PaymentOutcome> {
    let reference = input.bank_reference.trim();
    if reference.is_empty() || reference.chars().count() > 140 {
        return Err(Invalid::new("bank_reference", "1 to 140 characters").into());
    }
    if !input.amount.is_positive() {
        return Err(Invalid::new("amount", "a payment is more than zero").into());
    }
    let mut receivable = tx.receivable(input.invoice_id).await?;
    let id = payment_event_id(input.invoice_id, reference)?;
    if let Some(previous) = tx
        .payments(input.invoice_id)
        .await?
        .into_iter()
        .find(|p| p.id == id.as_str())
    {
        if previous.amount != input.amount || previous.paid_on != input.paid_on {
            return Err(AppError::conflict(
                "payment_conflict",
                format!(
                    "bank reference {reference} was recorded on invoice {} with {} on {}",
                    receivable.number, previous.amount, previous.paid_on
                ),
            ));
        }
        let overpaid = (receivable.paid - receivable.total).max(Money::ZERO);
        return Ok(PaymentOutcome {
            payment: previous,
            receivable,
            overpaid,
            advance_repaid: Money::ZERO,
            outcome: Outcome::Replayed,
        });
    }
    if receivable.status == ReceivableStatus::WrittenOff {
        return Err(AppError::conflict(
            "written_off",
            format!("invoice {} was written off", receivable.number),
        ));
    }
    let entity = tx.entity(receivable.entity_id).await?;
    let books = books_of(&entity);
    let activity = tx.activity(receivable.activity_id).await?;
    let client = tx.client(receivable.client_id).await?;
    let activity = Party::new(activity.id, activity.name);
    let event = Event::new(
        id.clone(),
        input.paid_on,
        receivable.number.clone(),
        format!("Paiement {} {}", receivable.number, client.name),
    );
    let figures = InvoiceFigures {
        total: receivable.total,
        vat: receivable.vat,
        budget_share: receivable.budget_share,
    };
    let payment = rules::payment_received_from(
        &books,
        &rules::PaymentReceived {
            event: event.clone(),
            activity: activity.clone(),
            client: Party::new(client.id, client.name.clone()),
            invoice: figures,
            paid_before: receivable.paid,
            amount: input.amount,
        },
        input.source,
    )
    .map_err(rule)?;
    // The budget share this payment brings, then the advances it can repay.
    let budget = books.budget(activity.id);
    let brought = -budget_need(&payment, &budget);
    let available = tx
        .ledger_account(&budget)
        .await?
        .map_or(Money::ZERO, |(_, b)| b.available_credit())
        + brought.max(Money::ZERO);
    let owed = tx
        .ledger_account(&books.advances(activity.id))
        .await?
        .map_or(Money::ZERO, |(_, b)| b.available_debit());
    let repay = owed.min(available).max(Money::ZERO);
    let posting = if repay.is_positive() {
        payment.then(
            rules::advance_repayment(
                &books,
                &GuaranteeAdvance {
                    event,
                    activity,
                    amount: repay,
                },
            )
            .map_err(rule)?,
        )
    } else {
        payment
    };
    post(tx, &posting, at).await?;
    receivable.paid += input.amount;
    if receivable.paid >= receivable.total {
        receivable.status = ReceivableStatus::Paid;
    }
    tx.update_receivable(&receivable).await?;
    let record = PaymentRecord {
        id: id.to_string(),
        invoice_id: input.invoice_id,
        bank_reference: reference.to_string(),
        amount: input.amount,
        paid_on: input.paid_on,
    };
    tx.insert_payment(&record, at).await?;
    Ok(PaymentOutcome {
        payment: record,
        overpaid: (receivable.paid - receivable.total).max(Money::ZERO),
        receivable,
        advance_repaid: repay,
        outcome: Outcome::Created,
    })
}

/// A payout to a member: a net salary or expense claims, by SEPA credit transfer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PayoutInput {
    pub member_id: MemberId,
    /// `salary` or `expense_claims`.
    #[schema(value_type = String)]
    pub purpose: PayoutPurpose,
    pub amount: Money,
    /// The payment's own reference (a SEPA end-to-end id): with the member, the payout's
    /// idempotency key.
    pub reference: String,
    #[schema(value_type = ensemble_domain::openapi::IsoDate)]
    pub date: Date,
}

fn purpose_code(p: PayoutPurpose) -> &'static str {
    match p {
        PayoutPurpose::Salary => "salary",
        PayoutPurpose::ExpenseClaims => "expense_claims",
    }
}

fn payout_event_id(member: MemberId, reference: &str) -> AppResult<EventId> {
    let digest = Sha256::digest(format!("{member}\n{reference}").as_bytes());
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    event_id(format!("payout-{hex}"))
}

/// Holds a payout as a pending transfer (member's payable → bank) in the caller's
/// transaction. The same member and reference again returns the first payout when the
/// amount and purpose match, else a conflict.
pub async fn create_payout_in(
    tx: &mut dyn Tx,
    at: i64,
    input: &PayoutInput,
) -> AppResult<PayoutRecord> {
    let reference = input.reference.trim();
    if reference.is_empty() || reference.chars().count() > 140 {
        return Err(Invalid::new("reference", "1 to 140 characters").into());
    }
    if !input.amount.is_positive() {
        return Err(Invalid::new("amount", "a payout is more than zero").into());
    }
    let id = payout_event_id(input.member_id, reference)?;
    match tx.payout(id.as_str()).await {
        Ok(previous) => {
            if previous.amount != input.amount || previous.purpose != purpose_code(input.purpose) {
                return Err(AppError::conflict(
                    "payout_conflict",
                    format!(
                        "payout {reference} exists with {} ({})",
                        previous.amount, previous.purpose
                    ),
                ));
            }
            return Ok(previous);
        }
        Err(StoreError::NotFound { .. }) => {}
        Err(e) => return Err(e.into()),
    }
    let member = tx.member(input.member_id).await?;
    let entity = tx.entity(member.entity_id).await?;
    let books = books_of(&entity);
    let event = Event::new(
        id.clone(),
        input.date,
        reference.to_string(),
        format!("Virement {} {}", reference, member.full_name()),
    );
    let posting = rules::payout_initiated(
        &books,
        &rules::PayoutInitiated {
            event,
            member: Party::new(member.id, member.full_name()),
            purpose: input.purpose,
            amount: input.amount,
        },
    )
    .map_err(rule)?;
    post(tx, &posting, at).await?;
    let record = PayoutRecord {
        id: id.to_string(),
        entity_id: entity.id,
        member_id: member.id,
        purpose: purpose_code(input.purpose).to_string(),
        amount: input.amount,
        reference: reference.to_string(),
        status: "pending".to_string(),
        created_on: input.date,
        settled_on: None,
    };
    tx.insert_payout(&record, at).await?;
    Ok(record)
}

async fn settle_payout_in(
    tx: &mut dyn Tx,
    at: i64,
    payout_id: &str,
    on: Date,
    confirmed: bool,
) -> AppResult<PayoutRecord> {
    let payout = tx.payout(payout_id).await?;
    let status = if confirmed { "confirmed" } else { "rejected" };
    if payout.status == status {
        return Ok(payout);
    }
    if payout.status != "pending" {
        return Err(AppError::conflict(
            "already_settled",
            format!("payout {} is {} already", payout.reference, payout.status),
        ));
    }
    let member = tx.member(payout.member_id).await?;
    let entity = tx.entity(payout.entity_id).await?;
    let books = books_of(&entity);
    let purpose = if payout.purpose == "salary" {
        PayoutPurpose::Salary
    } else {
        PayoutPurpose::ExpenseClaims
    };
    let settled = rules::PayoutSettled {
        event: Event {
            id: event_id(format!("{}-{status}", payout.id))?,
            date: on,
            document: payout.reference.clone(),
            document_date: payout.created_on,
            label: format!("Virement {} {}", payout.reference, member.full_name()),
        },
        payout: event_id(payout.id.clone())?,
        member: Party::new(member.id, member.full_name()),
        purpose,
        amount: payout.amount,
    };
    let posting = if confirmed {
        rules::payout_confirmed(&books, &settled)
    } else {
        rules::payout_rejected(&books, &settled)
    }
    .map_err(rule)?;
    post(tx, &posting, at).await?;
    tx.settle_payout(payout_id, status, on).await?;
    tx.payout(payout_id).await.map_err(Into::into)
}

/// Posts a pending payout on the bank's confirmation (again: nothing changes).
pub async fn confirm_payout_in(
    tx: &mut dyn Tx,
    at: i64,
    payout_id: &str,
    on: Date,
) -> AppResult<PayoutRecord> {
    settle_payout_in(tx, at, payout_id, on, true).await
}

/// Voids a pending payout the bank rejected (again: nothing changes).
pub async fn reject_payout_in(
    tx: &mut dyn Tx,
    at: i64,
    payout_id: &str,
    on: Date,
) -> AppResult<PayoutRecord> {
    settle_payout_in(tx, at, payout_id, on, false).await
}

/// What `ensemble ledger verify` found for one entity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChainStatus {
    pub entity: EntityId,
    pub entries: usize,
    /// The last hash, when the chain verifies.
    pub head: Option<String>,
    /// The first problem found, when it does not.
    pub problem: Option<String>,
}

impl App {
    /// Holds a payout as a pending transfer (staff). See [`create_payout_in`].
    pub async fn create_payout(
        &self,
        actor: &Actor,
        input: &PayoutInput,
    ) -> AppResult<PayoutRecord> {
        require_staff(actor)?;
        let mut tx = self.store.write().await?;
        let payout = create_payout_in(&mut *tx, self.clock.micros(), input).await?;
        tx.commit().await?;
        Ok(payout)
    }

    /// Posts a pending payout the bank confirmed (staff).
    pub async fn confirm_payout(
        &self,
        actor: &Actor,
        id: &str,
        on: Date,
    ) -> AppResult<PayoutRecord> {
        require_staff(actor)?;
        let mut tx = self.store.write().await?;
        let payout = confirm_payout_in(&mut *tx, self.clock.micros(), id, on).await?;
        tx.commit().await?;
        Ok(payout)
    }

    /// Voids a pending payout the bank rejected (staff).
    pub async fn reject_payout(
        &self,
        actor: &Actor,
        id: &str,
        on: Date,
    ) -> AppResult<PayoutRecord> {
        require_staff(actor)?;
        let mut tx = self.store.write().await?;
        let payout = reject_payout_in(&mut *tx, self.clock.micros(), id, on).await?;
        tx.commit().await?;
        Ok(payout)
    }

    /// Σ debits = Σ credits per entity and book, cached balances = recomputed ones, limits
    /// kept, and every activity's invoiced budget explained by its budget accounts
    /// ([`crate::budgets`]). Reads one consistent view; anyone with the database can run it.
    pub async fn ledger_check(&self) -> AppResult<CheckReport> {
        let mut tx = self.store.read().await?;
        let mut accounts = Vec::new();
        let mut entries = Vec::new();
        let entities = tx.ledger_entities().await?;
        for entity in &entities {
            accounts.extend(tx.ledger_accounts(*entity).await?);
            entries.extend(tx.ledger_journal(*entity).await?);
        }
        let mut report = check_books(&accounts, &entries);
        // Each activity's invoiced budget is what its budget accounts explain
        // (see [`crate::budgets`]).
        for entity in entities {
            let activities = tx
                .activities(&ensemble_store::Filter {
                    entity: Some(entity),
                    limit: Some(10_000),
                    ..ensemble_store::Filter::default()
                })
                .await?;
            for activity in activities {
                let budgets = crate::budgets::activity_budgets(&mut *tx, &activity).await?;
                if !budgets.holds() {
                    report.problems.push(CheckProblem::BudgetsDisagree {
                        activity: activity.id,
                        invoiced: budgets.invoiced,
                        explained: budgets.explained(),
                    });
                }
            }
        }
        Ok(report)
    }

    /// Re-hashes every entity's journal chain; one status per entity.
    pub async fn ledger_verify(&self) -> AppResult<Vec<ChainStatus>> {
        let mut tx = self.store.read().await?;
        let mut out = Vec::new();
        for entity in tx.ledger_entities().await? {
            let journal = tx.ledger_journal(entity).await?;
            let (head, problem) = match verify_chain(entity, &journal) {
                Ok(h) => (Some(Hash32::to_hex(&h)), None),
                Err(e) => (None, Some(e.to_string())),
            };
            out.push(ChainStatus {
                entity,
                entries: journal.len(),
                head,
                problem,
            });
        }
        Ok(out)
    }
}

/// The expense amounts of a claim: excluding VAT, and the VAT.
pub(crate) fn expense_amounts(totals: &ensemble_domain::expense::ExpenseTotals) -> ExpenseAmounts {
    ExpenseAmounts {
        excl_vat: totals.amount - totals.vat,
        vat: totals.vat,
    }
}

/// Posts a share subscription paid by bank transfer (event: the subscription id).
pub(crate) async fn post_shares(
    tx: &mut dyn Tx,
    entity: &CooperativeEntity,
    member: &ensemble_domain::people::Member,
    s: &ensemble_domain::people::ShareSubscription,
    at: i64,
) -> AppResult<()> {
    let posting = rules::share_subscription(
        &books_of(entity),
        &rules::ShareSubscription {
            event: Event::new(
                event_id(s.id.to_string())?,
                s.subscribed_on,
                format!("PARTS-{}", s.id),
                format!("Souscription de {} parts {}", s.count, member.full_name()),
            ),
            member: Party::new(member.id, member.full_name()),
            amount: s.amount,
            settlement: rules::ShareSettlement::Bank,
        },
    )
    .map_err(rule)?;
    post(tx, &posting, at).await?;
    Ok(())
}

/// Posts an expense claim approved (pending reservations, the fund advancing what the
/// activity's budget lacks) or paid (the reservations posted).
pub(crate) async fn post_expense(
    tx: &mut dyn Tx,
    claim: &ensemble_domain::expense::ExpenseClaim,
    date: Date,
    paid: bool,
    at: i64,
) -> AppResult<()> {
    let entity = tx.entity(claim.entity_id).await?;
    let books = books_of(&entity);
    let member = tx.member(claim.member_id).await?;
    let activity = tx.activity(claim.activity_id).await?;
    let member = Party::new(member.id, member.full_name());
    let activity = Party::new(activity.id, activity.name);
    let document = claim
        .number
        .map_or_else(|| claim.id.to_string(), |n| n.to_string());
    let amounts = expense_amounts(&claim.totals);
    if !amounts.excl_vat.is_positive() {
        return Ok(());
    }
    let approval = event_id(claim.id.to_string())?;
    if paid {
        let posting = rules::expense_paid(
            &books,
            &rules::ExpensePaid {
                event: Event::new(
                    event_id(format!("{}-paid", claim.id))?,
                    date,
                    document.clone(),
                    format!("Note de frais {document} {}", member.name),
                ),
                approval,
                member,
                activity,
                approved: amounts,
                accepted: amounts,
            },
        )
        .map_err(rule)?;
        post(tx, &posting, at).await?;
    } else {
        let event = Event::new(
            approval,
            date,
            document.clone(),
            format!("Note de frais {document} {}", member.name),
        );
        let posting = rules::expense_approved(
            &books,
            &rules::ExpenseApproved {
                event: event.clone(),
                member,
                activity: activity.clone(),
                amounts,
            },
        )
        .map_err(rule)?;
        let (posting, _) = cover_budget(tx, &books, &activity, &event, posting).await?;
        post(tx, &posting, at).await?;
    }
    Ok(())
}

/// Records when a salary of declared work is due: at most the policy's working days after
/// the work (see [`crate::fund`]).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn record_salary_due(
    tx: &mut dyn Tx,
    entity: &CooperativeEntity,
    payslip: &ensemble_store::PayslipRecord,
    invoice: Option<InvoiceId>,
    work_end: Date,
    net: Money,
    advanced: Money,
    at: i64,
) -> AppResult<()> {
    let policy = fund_policy(tx, entity.id).await?;
    let due_on = crate::fund::add_working_days(
        entity.country,
        work_end,
        u32::try_from(policy.salary_working_days).unwrap_or(7),
    );
    tx.insert_salary_due(
        &ensemble_store::ledger::SalaryDue {
            payslip_id: payslip.id,
            entity_id: entity.id,
            activity_id: payslip.activity_id,
            member_id: payslip.member_id,
            invoice_id: invoice,
            work_end,
            due_on,
            net,
            employer_cost: payslip.employer_cost,
            advanced,
        },
        at,
    )
    .await?;
    Ok(())
}
