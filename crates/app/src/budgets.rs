//! An activity's two budgets, and the one story that ties them.
//!
//! Ensemble keeps an activity's budget twice, on purpose, under two names:
//!
//! * the **invoiced budget** (`activities.budget_cents`, with its movements): what the member
//!   may spend. It grows when an invoice is *issued* (its price excluding VAT less the fee) and
//!   shrinks with each salary (the employer cost) and each expense claim reimbursed (its
//!   total); staff adjust it (an opening balance, a correction). It never goes below zero.
//!   This is the promise of a shared-enterprise cooperative: the member spends what they
//!   invoiced without waiting for the client, because the guarantee fund covers what the
//!   clients have not paid yet.
//! * the **collected budget** (the books' analytic account 9200 of the activity): what the
//!   activity holds in money. It grows when a client *pays* (the payment's share of the
//!   invoice's budget share, moved from 9201 "awaiting payment") and when the guarantee fund
//!   advances a shortfall (from 9310, what the activity owes the fund); salaries and expenses
//!   draw on it; each payment repays the fund first. It never goes below zero either: the
//!   fund's advance comes first.
//!
//! Neither replaces the other: the first is the member's spending limit, the second the
//! accounting truth of where the money is. They differ by exactly what the books hold
//! elsewhere, and [`ActivityBudgets::holds`] checks it to the cent:
//!
//! ```text
//! invoiced = collected + awaiting payment (9201) − owed to the fund (9310)
//!          + staff adjustments − VAT of the expense claims reimbursed
//! ```
//!
//! The last two terms are the two places where the invoiced budget moves and the books do
//! not move the activity's budget alike: staff adjustments are not posted (an opening balance
//! carried over from another system is the previous system's books), and an expense claim is
//! charged to the books excluding its VAT (the cooperative deducts the VAT) while the member's
//! budget pays its total. Why it holds, event by event (each keeps both sides equal):
//! an invoice adds its budget share to the invoiced budget and to 9201; a salary or an
//! approved expense takes the same amount from both budgets, and a fund advance adds to 9200
//! and to 9310 alike; a payment moves its share from 9201 to 9200 and its repayment from 9200
//! to 9310; a write-off takes the unpaid share from 9201 and the fund pays it into 9200.
//!
//! `ensemble ledger check` ([`crate::App::ledger_check`]) verifies it for every activity of
//! every entity with books (`budgets_disagree` otherwise). An activity whose invoices were
//! issued before the books existed has no receivables in them, and fails it until its opening
//! position is posted. `GET /activities/{id}` shows both budgets and the terms between them.

use ensemble_domain::Money;
use ensemble_domain::activity::Activity;
use ensemble_domain::expense::ExpenseStatus;
use ensemble_ledger::Balance;
use ensemble_store::{Filter, Tx};
use serde::{Deserialize, Serialize};

use crate::AppResult;
use crate::ledger::books_of;

/// An activity's invoiced and collected budgets, and what lies between them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ActivityBudgets {
    /// What the member may spend: invoices issued less the fee, less salaries and expenses,
    /// plus staff adjustments (the activity's `budget`).
    pub invoiced: Money,
    /// What the activity holds in the books (9200, posted): clients' payments and fund
    /// advances, less salaries and expenses.
    pub collected: Money,
    /// Budget shares of invoices their clients have not paid yet (9201).
    pub awaiting_payment: Money,
    /// Guarantee-fund advances not repaid yet (9310).
    pub owed_to_fund: Money,
    /// Reserved in the books by approved expense claims not reimbursed yet (pending on 9200).
    pub reserved: Money,
    /// Staff adjustments of the invoiced budget (not posted to the books).
    pub adjustments: Money,
    /// VAT of the expense claims reimbursed: paid from the invoiced budget, deducted by the
    /// cooperative in the books.
    pub expense_vat: Money,
}

impl ActivityBudgets {
    /// The invoiced budget as the books explain it.
    pub fn explained(&self) -> Money {
        self.collected + self.awaiting_payment - self.owed_to_fund + self.adjustments
            - self.expense_vat
    }

    /// The invoiced budget is what the books explain, to the cent.
    pub fn holds(&self) -> bool {
        self.invoiced == self.explained()
    }
}

fn net_credit(b: Option<Balance>) -> Money {
    b.map_or(Money::ZERO, |b| b.credits_posted - b.debits_posted)
}

/// An activity's two budgets, read in the caller's transaction.
pub async fn activity_budgets(tx: &mut dyn Tx, activity: &Activity) -> AppResult<ActivityBudgets> {
    let books = books_of(&tx.entity(activity.entity_id).await?);
    let balance = |b: Option<(ensemble_ledger::Account, Balance)>| b.map(|(_, b)| b);
    let available = balance(tx.ledger_account(&books.budget(activity.id)).await?);
    let awaiting = balance(
        tx.ledger_account(&books.budget_awaiting(activity.id))
            .await?,
    );
    let advances = balance(tx.ledger_account(&books.advances(activity.id)).await?);
    let adjustments = tx
        .budget_movements(activity.id)
        .await?
        .iter()
        .filter(|m| m.kind == "adjustment")
        .map(|m| m.amount)
        .sum();
    let expense_vat = tx
        .expense_claims(&Filter {
            activity: Some(activity.id),
            status: Some("reimbursed".into()),
            limit: Some(10_000),
            ..Filter::default()
        })
        .await?
        .iter()
        .filter(|c| c.status == ExpenseStatus::Reimbursed)
        .map(|c| c.totals.vat)
        .sum();
    Ok(ActivityBudgets {
        invoiced: activity.budget,
        collected: net_credit(available),
        awaiting_payment: net_credit(awaiting),
        owed_to_fund: -net_credit(advances),
        reserved: available.map_or(Money::ZERO, |b| b.debits_pending),
        adjustments,
        expense_vat,
    })
}
