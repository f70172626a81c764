//! The advisors' validation queue: what waits for a decision.

use ensemble_domain::expense::{ExpenseClaim, ExpenseStatus};
use ensemble_domain::quote::{Quote, QuoteStatus};
use ensemble_domain::work::{Declaration, DeclarationStatus};
use serde::{Deserialize, Serialize};

use crate::access::require_staff;
use crate::quotes::QuoteQuery;
use crate::{Actor, App, AppResult};

/// Everything waiting for an advisor, oldest first in each list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ValidationQueue {
    pub declarations: Vec<Declaration>,
    /// Quotes submitted for approval.
    pub quotes: Vec<Quote>,
    /// Submitted expense claims.
    pub expenses: Vec<ExpenseClaim>,
}

impl App {
    /// The validation queue (staff).
    pub async fn validation_queue(&self, actor: &Actor) -> AppResult<ValidationQueue> {
        require_staff(actor)?;
        Ok(ValidationQueue {
            declarations: self
                .declarations(actor, Some(DeclarationStatus::Submitted))
                .await?,
            quotes: self
                .quotes(
                    actor,
                    &QuoteQuery {
                        status: Some(QuoteStatus::Submitted),
                        ..QuoteQuery::default()
                    },
                )
                .await?,
            expenses: self
                .expense_claims(actor, Some(ExpenseStatus::Submitted))
                .await?,
        })
    }
}
