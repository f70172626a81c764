//! Salary from budget: a member turns what their activity has earned into a salary, the gross
//! the budget can pay once the employer cost is counted.

use ensemble_domain::activity::ActivityStatus;
use ensemble_domain::contract::{EmploymentContract, contract_title};
use ensemble_domain::{
    ActivityId, Contract, ContractId, DocumentKind, DocumentNumber, Invalid, PayslipId,
};
use ensemble_payroll::{Amount, Case};
use ensemble_store::{BudgetMovement, PayslipRecord, SocialDeclarationRecord};
use serde::{Deserialize, Serialize};

use crate::access::{Access, activity_access};
use crate::declarations::social_declaration;
use crate::idempotency::{remember, replay};
use crate::inputs::SalaryRequest;
use crate::{Actor, App, AppError, AppResult, Idempotency};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SalaryResult {
    pub contract: EmploymentContract,
    pub payslip: PayslipRecord,
    /// What the budget holds afterwards.
    pub budget_left: ensemble_domain::Money,
}

impl App {
    /// Pays a month's salary from the activity's budget (its manager, or staff): the largest
    /// gross whose employer cost fits in `budget` (by default all the budget), a monthly
    /// fixed-term contract for the month, the payslip, and the budget debited.
    pub async fn salary_from_budget(
        &self,
        actor: &Actor,
        activity_id: ActivityId,
        input: &SalaryRequest,
        idem: Option<&Idempotency>,
    ) -> AppResult<SalaryResult> {
        let mut tx = self.store.write().await?;
        if let Some(previous) = replay(&mut *tx, actor, "salary_from_budget", idem).await? {
            return Ok(previous);
        }
        match activity_access(&mut *tx, actor, activity_id).await? {
            Access::Staff | Access::Manager => {}
            Access::Participant => {
                return Err(AppError::forbidden(
                    "only the activity's manager pays salaries from its budget",
                ));
            }
        }
        let activity = tx.activity(activity_id).await?;
        if activity.status != ActivityStatus::Active {
            return Err(AppError::conflict(
                "activity_not_active",
                format!("activity {} is {}", activity.name, activity.status),
            ));
        }
        let member_id = input
            .member_id
            .or(actor.member)
            .ok_or_else(|| Invalid::new("member_id", "say who is paid"))?;
        if tx.activity_role(activity_id, member_id).await?.is_none() {
            return Err(Invalid::new("member_id", "that member is not on the activity").into());
        }
        let member = tx.member(member_id).await?;
        let entity = tx.entity(activity.entity_id).await?;
        let budget = input.budget.unwrap_or(activity.budget);
        if !budget.is_positive() {
            return Err(Invalid::new(
                "budget",
                format!(
                    "the activity's budget is {}: nothing to pay",
                    activity.budget
                ),
            )
            .into());
        }
        if budget > activity.budget {
            return Err(AppError::conflict(
                "insufficient_budget",
                format!(
                    "the budget of {} is {}: it cannot pay {budget}",
                    activity.name, activity.budget
                ),
            ));
        }
        let mut case = Case::new(entity.country, input.month, Amount::Budget(budget));
        case.status = Some(member.status);
        case.headcount = Some(entity.headcount);
        case.contract = Some(Contract::Cdd);
        let slip = self.engine.compute(&case)?;
        let at = self.clock.micros();
        let start = input.month.first_day();
        let end = input.month.last_day();
        let number = DocumentNumber::new(
            DocumentKind::Contract,
            entity.country,
            start.year(),
            tx.next_number(entity.id, DocumentKind::Contract, start.year())
                .await?,
        );
        let description = input
            .description
            .clone()
            .unwrap_or_else(|| format!("Salary from the budget of {}", activity.name));
        let contract = EmploymentContract {
            id: ContractId::from_uuid(self.id()),
            number,
            entity_id: entity.id,
            member_id: member.id,
            activity_id: activity.id,
            declaration_id: None,
            country: entity.country,
            kind: Contract::Cdd,
            start,
            end,
            hours: None,
            days: None,
            gross: slip.totals.gross,
            title: contract_title(&description, &activity.name, start, end),
        };
        tx.insert_contract(&contract, at).await?;
        tx.insert_social_declaration(&SocialDeclarationRecord {
            id: self.id().to_string(),
            contract_id: contract.id,
            declaration: social_declaration(&entity, &member, None, &contract),
            status: "prepared".to_string(),
            created_at: at,
        })
        .await?;
        let payslip = crate::documents::payslip_record(
            PayslipId::from_uuid(self.id()),
            &slip,
            entity.id,
            &member,
            activity.id,
            None,
            at,
        )?;
        tx.insert_payslip(&payslip).await?;
        let books = crate::ledger::books_of(&entity);
        let salary = crate::ledger::salary_event(
            ensemble_ledger::rules::Event::new(
                crate::ledger::event_id(payslip.id.to_string())?,
                self.clock.today(),
                contract.number.to_string(),
                format!("Salaire {} {}", member.full_name(), contract.number),
            ),
            ensemble_ledger::rules::Party::new(member.id, member.full_name()),
            ensemble_ledger::rules::Party::new(activity.id, activity.name.clone()),
            &slip,
        );
        crate::ledger::post_salary(&mut *tx, &books, &salary, at).await?;
        let budget_left = tx
            .move_budget(&BudgetMovement {
                id: self.id().to_string(),
                activity_id: activity.id,
                kind: "salary".to_string(),
                amount: -slip.totals.employer_cost,
                document: contract.number.to_string(),
                label: format!(
                    "Salary of {} ({}): employer cost",
                    member.full_name(),
                    contract.number
                ),
                created_at: at,
            })
            .await?;
        let result = SalaryResult {
            contract,
            payslip,
            budget_left,
        };
        remember(&mut *tx, actor, "salary_from_budget", idem, &result, at).await?;
        tx.commit().await?;
        Ok(result)
    }
}
