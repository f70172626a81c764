//! What a member's pages gather: the dashboard (budgets, what clients owe and when, the latest
//! salary) and the shares they subscribed. Built from the same use cases as the API, so a
//! member sees only their own.

use ensemble_domain::Money;
use ensemble_domain::activity::Activity;
use ensemble_domain::invoice::{Invoice, InvoiceStatus};
use ensemble_domain::people::ShareSubscription;
use ensemble_store::PayslipRecord;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::access::own_member;
use crate::documents::DocumentQuery;
use crate::{Actor, App, AppResult};

/// An invoice a client has not paid yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receivable {
    pub invoice: Invoice,
    pub client: String,
    /// Past its due date.
    pub overdue: bool,
}

/// A member's dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub activities: Vec<Activity>,
    /// The budgets added up.
    pub total_budget: Money,
    /// Open invoices, the earliest due first.
    pub receivables: Vec<Receivable>,
    /// What clients owe, VAT included.
    pub total_owed: Money,
    pub overdue: Money,
    /// The member's latest payslip: the latest salary.
    pub latest_payslip: Option<PayslipRecord>,
    /// Expense drafts not submitted yet.
    pub expense_drafts: usize,
    pub today: Date,
}

impl App {
    /// The dashboard of the member the actor is.
    pub async fn dashboard(&self, actor: &Actor) -> AppResult<Dashboard> {
        own_member(actor)?;
        let activities = self.activities(actor, None).await?;
        let all = DocumentQuery {
            limit: Some(10_000),
            ..DocumentQuery::default()
        };
        let today = self.clock.today();
        let open: Vec<Invoice> = self
            .invoices(actor, &all)
            .await?
            .into_iter()
            .filter(|i| i.status == InvoiceStatus::Issued)
            .collect();
        let mut receivables = Vec::with_capacity(open.len());
        for invoice in open {
            let client = self.client(actor, invoice.client_id).await?.name;
            receivables.push(Receivable {
                overdue: invoice.due_date < today,
                client,
                invoice,
            });
        }
        receivables.sort_by_key(|r| (r.invoice.due_date, r.invoice.number.to_string()));
        let latest_payslip = self
            .payslips(actor, &all)
            .await?
            .into_iter()
            .max_by_key(|p| (p.month, p.created_at));
        let expense_drafts = self
            .expense_claims(actor, Some(ensemble_domain::expense::ExpenseStatus::Draft))
            .await?
            .len();
        Ok(Dashboard {
            total_budget: activities.iter().map(|a| a.budget).sum(),
            total_owed: receivables.iter().map(|r| r.invoice.totals.with_vat).sum(),
            overdue: receivables
                .iter()
                .filter(|r| r.overdue)
                .map(|r| r.invoice.totals.with_vat)
                .sum(),
            activities,
            receivables,
            latest_payslip,
            expense_drafts,
            today,
        })
    }

    /// The shares the actor's member subscribed, oldest first.
    pub async fn my_shares(&self, actor: &Actor) -> AppResult<Vec<ShareSubscription>> {
        let me = own_member(actor)?;
        let mut tx = self.store.read().await?;
        let member = tx.member(me).await?;
        Ok(tx
            .share_subscriptions(member.entity_id)
            .await?
            .into_iter()
            .filter(|s| s.member_id == me)
            .collect())
    }
}

/// A person on an activity, as its other members see them: a name and a role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Colleague {
    pub member_id: ensemble_domain::MemberId,
    pub name: String,
    pub role: ensemble_domain::activity::ActivityRole,
}

impl App {
    /// The people on an activity, by name: for its members (who work together) and staff.
    pub async fn activity_people(
        &self,
        actor: &Actor,
        activity: ensemble_domain::ActivityId,
    ) -> AppResult<Vec<Colleague>> {
        let mut tx = self.store.read().await?;
        crate::access::activity_access(&mut *tx, actor, activity).await?;
        let mut people = Vec::new();
        for m in tx.activity_members(activity).await? {
            let member = tx.member(m.member_id).await?;
            people.push(Colleague {
                member_id: m.member_id,
                name: member.full_name(),
                role: m.role,
            });
        }
        Ok(people)
    }
}
