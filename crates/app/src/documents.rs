//! Invoices, contracts and payslips: what members see of their own, and staff of all.

use ensemble_domain::contract::EmploymentContract;
use ensemble_domain::invoice::Invoice;
use ensemble_domain::people::Member;
use ensemble_domain::{ActivityId, ContractId, InvoiceId, MemberId, PayslipId};
use ensemble_store::{Filter, PayslipRecord, SocialDeclarationRecord};
use serde::{Deserialize, Serialize};

use crate::access::{activity_access, member_access};
use crate::{Actor, App, AppError, AppResult};
use ensemble_domain::{DeclarationId, EntityId};
use ensemble_payroll::{Payslip, PayslipJson};

/// A contract with its social declaration(s).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ContractDetail {
    pub contract: EmploymentContract,
    pub social_declarations: Vec<SocialDeclarationRecord>,
}

/// What to list: by activity (its members, or staff), by member (themself, or staff), or all
/// (staff; a member gets their activities').
#[derive(Clone, Debug, Default)]
pub struct DocumentQuery {
    pub activity: Option<ActivityId>,
    pub member: Option<MemberId>,
    pub limit: Option<u32>,
}

impl App {
    async fn document_filter(&self, actor: &Actor, q: &DocumentQuery) -> AppResult<Filter> {
        let mut filter = Filter {
            activity: q.activity,
            limit: q.limit.or(Some(1_000)),
            ..Filter::default()
        };
        if let Some(a) = q.activity {
            let mut tx = self.store.read().await?;
            activity_access(&mut *tx, actor, a).await?;
        }
        match (q.member, actor.role.is_staff()) {
            (Some(m), _) => {
                member_access(actor, m)?;
                filter.member = Some(m);
            }
            (None, false) if q.activity.is_none() => {
                filter.member = Some(crate::access::own_member(actor)?);
            }
            _ => {}
        }
        Ok(filter)
    }

    pub async fn invoices(&self, actor: &Actor, q: &DocumentQuery) -> AppResult<Vec<Invoice>> {
        let filter = self.document_filter(actor, q).await?;
        let mut tx = self.store.read().await?;
        Ok(tx.invoices(&filter).await?)
    }

    pub async fn invoice(&self, actor: &Actor, id: InvoiceId) -> AppResult<Invoice> {
        let mut tx = self.store.read().await?;
        let invoice = tx.invoice(id).await?;
        activity_access(&mut *tx, actor, invoice.activity_id).await?;
        Ok(invoice)
    }

    pub async fn contracts(
        &self,
        actor: &Actor,
        q: &DocumentQuery,
    ) -> AppResult<Vec<EmploymentContract>> {
        let mut filter = self.document_filter(actor, q).await?;
        if !actor.role.is_staff() && q.activity.is_some() {
            // Within an activity, a member sees only their own contracts.
            filter.member = actor.member;
        }
        let mut tx = self.store.read().await?;
        Ok(tx.contracts(&filter).await?)
    }

    pub async fn contract(&self, actor: &Actor, id: ContractId) -> AppResult<ContractDetail> {
        let mut tx = self.store.read().await?;
        let contract = tx.contract(id).await?;
        member_access(actor, contract.member_id)?;
        Ok(ContractDetail {
            social_declarations: tx.social_declarations(id).await?,
            contract,
        })
    }

    pub async fn payslips(
        &self,
        actor: &Actor,
        q: &DocumentQuery,
    ) -> AppResult<Vec<PayslipRecord>> {
        let mut filter = self.document_filter(actor, q).await?;
        if !actor.role.is_staff() {
            filter.member = actor.member;
        }
        let mut tx = self.store.read().await?;
        Ok(tx.payslips(&filter).await?)
    }

    pub async fn payslip(&self, actor: &Actor, id: PayslipId) -> AppResult<PayslipRecord> {
        let mut tx = self.store.read().await?;
        let payslip = tx.payslip(id).await?;
        member_access(actor, payslip.member_id)?;
        Ok(payslip)
    }
}

/// The stored form of a payslip the engine computed: its totals and lines as the engine's JSON
/// gives them (labels in the member's language), the key figures as columns.
pub(crate) fn payslip_record(
    id: PayslipId,
    slip: &Payslip,
    entity: EntityId,
    member: &Member,
    activity: ActivityId,
    declaration: Option<DeclarationId>,
    at: i64,
) -> AppResult<PayslipRecord> {
    let json = PayslipJson {
        id: None,
        slip,
        lang: member.lang,
    }
    .to_json();
    let mut totals: serde_json::Value = serde_json::from_str(&json)
        .map_err(|e| AppError::Internal(format!("payslip JSON: {e}")))?;
    let lines = totals
        .as_object_mut()
        .and_then(|o| o.remove("lines"))
        .unwrap_or(serde_json::Value::Null);
    Ok(PayslipRecord {
        id,
        entity_id: entity,
        member_id: member.id,
        activity_id: activity,
        declaration_id: declaration,
        month: slip.month,
        country: slip.country.slug().to_string(),
        status: slip.status.code().to_string(),
        contract_kind: slip.contract.code().to_string(),
        gross: slip.totals.gross,
        net_paid: slip.totals.net_paid,
        employer_cost: slip.totals.employer_cost,
        totals,
        lines,
        created_at: at,
    })
}
