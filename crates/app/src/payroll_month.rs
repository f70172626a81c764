//! The payroll month (accountants and administrators): for each entity, the employment
//! contracts whose period overlaps the month and the month's payslips, with their totals —
//! gross, employee and employer contributions, withholding tax, net paid, employer cost.
//!
//! The totals are sums of the stored payslips' own totals (each already the sum of its lines),
//! never recomputed here.

use ensemble_domain::contract::EmploymentContract;
use ensemble_domain::people::Role;
use ensemble_domain::{Country, EntityId, MemberId, Money, Month, PayslipId};
use ensemble_store::{Filter, PayslipRecord};
use serde::{Deserialize, Serialize};

use crate::access::require_role;
use crate::{Actor, App, AppError, AppResult};

/// The most contracts or payslips of one entity a month's view holds; beyond it the view
/// says it is cut (`truncated`) rather than showing wrong totals silently.
pub const PAYROLL_MONTH_LIMIT: u32 = 10_000;

/// Sums over payslips.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PayrollTotals {
    pub gross: Money,
    pub employee_contributions: Money,
    pub employer_contributions: Money,
    pub withholding_tax: Money,
    pub net_paid: Money,
    pub employer_cost: Money,
}

impl PayrollTotals {
    /// The totals of one stored payslip, read from the engine's JSON.
    pub fn of(p: &PayslipRecord) -> AppResult<PayrollTotals> {
        let mut t: PayrollTotals = serde_json::from_value(p.totals.clone())
            .map_err(|e| AppError::Internal(format!("payslip {} totals: {e}", p.id)))?;
        // The columns are the reference for the three key figures.
        t.gross = p.gross;
        t.net_paid = p.net_paid;
        t.employer_cost = p.employer_cost;
        Ok(t)
    }

    fn add(&mut self, o: &PayrollTotals) {
        self.gross += o.gross;
        self.employee_contributions += o.employee_contributions;
        self.employer_contributions += o.employer_contributions;
        self.withholding_tax += o.withholding_tax;
        self.net_paid += o.net_paid;
        self.employer_cost += o.employer_cost;
    }
}

/// One payslip of the month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PayrollSlip {
    pub id: PayslipId,
    pub member_id: MemberId,
    pub member_name: String,
    pub contract_kind: String,
    pub totals: PayrollTotals,
}

/// One entity's month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EntityPayroll {
    pub entity_id: EntityId,
    pub entity_name: String,
    pub country: Country,
    pub contracts: Vec<EmploymentContract>,
    pub payslips: Vec<PayrollSlip>,
    pub totals: PayrollTotals,
    /// More than [`PAYROLL_MONTH_LIMIT`] contracts or payslips: the lists and totals are cut.
    pub truncated: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PayrollMonth {
    pub month: Month,
    pub entities: Vec<EntityPayroll>,
}

impl App {
    /// The month's contracts and payslips per entity, with totals (accountants and
    /// administrators).
    pub async fn payroll_month(&self, actor: &Actor, month: Month) -> AppResult<PayrollMonth> {
        require_role(actor, &[Role::Accountant, Role::Admin])?;
        let mut tx = self.store.read().await?;
        let mut entities = Vec::new();
        for entity in tx.entities().await? {
            let filter = Filter {
                entity: Some(entity.id),
                month: Some(month),
                limit: Some(PAYROLL_MONTH_LIMIT),
                ..Filter::default()
            };
            let contracts = tx.contracts(&filter).await?;
            let records = tx.payslips(&filter).await?;
            let names: std::collections::BTreeMap<MemberId, String> = tx
                .members(Some(entity.id), 1_000_000)
                .await?
                .into_iter()
                .map(|m| (m.id, format!("{} {}", m.first_name, m.last_name)))
                .collect();
            let mut totals = PayrollTotals::default();
            let mut payslips = Vec::with_capacity(records.len());
            for p in &records {
                let t = PayrollTotals::of(p)?;
                totals.add(&t);
                payslips.push(PayrollSlip {
                    id: p.id,
                    member_id: p.member_id,
                    member_name: names.get(&p.member_id).cloned().unwrap_or_default(),
                    contract_kind: p.contract_kind.clone(),
                    totals: t,
                });
            }
            let limit = PAYROLL_MONTH_LIMIT as usize;
            entities.push(EntityPayroll {
                entity_id: entity.id,
                entity_name: entity.name,
                country: entity.country,
                truncated: contracts.len() >= limit || records.len() >= limit,
                contracts,
                payslips,
                totals,
            });
        }
        Ok(PayrollMonth { month, entities })
    }
}
