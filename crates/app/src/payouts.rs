//! Payouts: the salaries and expense reimbursements an entity owes its members, paid in one
//! SEPA credit transfer file (pain.001.001.09) per run.
//!
//! A batch takes, for one entity and one execution date, every payslip of a month starting on
//! or before that date whose net pay is in no other batch, and every approved or reimbursed
//! expense claim in no other batch (an approved claim is reimbursed from its activity's budget
//! first; a claim its budget cannot pay is left out and listed as skipped). Salaries go in a
//! payment information block with category purpose `SALA`, expenses in another. The batch is
//! `pending` until the bank's statement shows its debits (see [`crate::statements`]), and each
//! transfer is held as a pending ledger transfer meanwhile; a batch the bank rejects voids
//! them and frees its payslips and claims for the next batch.

use std::collections::HashMap;

use ensemble_banking::pain001::{
    CreationDateTime, CreditTransfer, Creditor, Debtor, InitiatingParty, PaymentBatch, PurposeCode,
    Remittance, SepaAmount,
};
use ensemble_banking::text::{Name, RemittanceText, SepaId};
use ensemble_banking::{Pain001, Pain001Error};
use ensemble_domain::expense::ExpenseStatus;
use ensemble_domain::people::{Member, Role};
use ensemble_domain::{EntityId, Invalid, Lang, MemberId, Money};
use ensemble_store::banking::{PayoutBatchRecord, PayoutLineRecord};
use ensemble_store::{StoreError, Tx};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::access::require_role;
use crate::idempotency::{remember, replay};
use crate::{Actor, App, AppError, AppResult, Idempotency, postings};

/// Who may run payouts and reconciliation.
pub(crate) const TREASURY: &[Role] = &[Role::Accountant, Role::Admin];

/// A payout run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPayoutBatch {
    pub entity_id: EntityId,
    /// The day the bank is asked to execute the transfers (`ReqdExctnDt`); salaries of months
    /// starting on or before it are due.
    #[schema(value_type = ensemble_domain::openapi::IsoDate)]
    pub execution_date: Date,
}

/// What was due but left out of the batch, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SkippedPayout {
    /// `salary` or `expense`.
    pub kind: String,
    pub source_id: String,
    pub member_id: MemberId,
    pub reason: String,
}

/// A batch with its transfers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PayoutBatch {
    pub batch: PayoutBatchRecord,
    pub lines: Vec<PayoutLineRecord>,
    /// What was due and is not in the batch (only when it is created).
    #[serde(default)]
    pub skipped: Vec<SkippedPayout>,
}

/// A line before it has an id in a file.
struct Due {
    kind: &'static str,
    source_id: String,
    member: MemberId,
    activity: ensemble_domain::ActivityId,
    amount: Money,
    remittance: String,
}

/// The remittance text a member reads, in their language.
fn remittance(kind: &str, lang: Lang, what: &str) -> String {
    match (kind, lang) {
        ("salary", Lang::Fr) => format!("Salaire {what}"),
        ("salary", Lang::Nl) => format!("Loon {what}"),
        ("salary", Lang::En) => format!("Salary {what}"),
        (_, Lang::Fr) => format!("Note de frais {what}"),
        (_, Lang::Nl) => format!("Onkostennota {what}"),
        (_, Lang::En) => format!("Expense claim {what}"),
    }
}

fn sepa_error(e: Pain001Error) -> AppError {
    AppError::Invalid(Invalid::new("payout", e.to_string()))
}

impl App {
    /// Creates the payout batch of an entity for an execution date and writes its pain.001
    /// file (accountants and administrators). `nothing_due` (409) when nothing is due.
    pub async fn create_payout_batch(
        &self,
        actor: &Actor,
        input: &NewPayoutBatch,
        idem: Option<&Idempotency>,
    ) -> AppResult<PayoutBatch> {
        require_role(actor, TREASURY)?;
        let mut tx = self.store.write().await?;
        if let Some(previous) = replay(&mut *tx, actor, "create_payout_batch", idem).await? {
            return Ok(previous);
        }
        let entity = tx.entity(input.entity_id).await?;
        let at = self.clock.micros();
        let mut members: HashMap<MemberId, Member> = HashMap::new();
        let mut due: Vec<Due> = Vec::new();
        let mut skipped: Vec<SkippedPayout> = Vec::new();

        for slip in tx.salaries_due(entity.id, input.execution_date).await? {
            let member = member(&mut *tx, &mut members, slip.member_id).await?;
            due.push(Due {
                kind: "salary",
                source_id: slip.id.to_string(),
                member: slip.member_id,
                activity: slip.activity_id,
                amount: slip.net_paid,
                remittance: remittance("salary", member.lang, &slip.month.to_string()),
            });
        }
        for claim in tx.expenses_due(entity.id).await? {
            let claim = if claim.status == ExpenseStatus::Approved {
                match crate::expenses::reimburse(
                    &mut *tx,
                    self.id(),
                    claim.clone(),
                    actor.user,
                    self.clock.today(),
                    at,
                )
                .await
                {
                    Ok(r) => r.claim,
                    Err(AppError::Conflict { message, .. }) => {
                        skipped.push(SkippedPayout {
                            kind: "expense".into(),
                            source_id: claim.id.to_string(),
                            member_id: claim.member_id,
                            reason: message,
                        });
                        continue;
                    }
                    Err(e) => return Err(e),
                }
            } else {
                claim
            };
            let member = member(&mut *tx, &mut members, claim.member_id).await?;
            let what = claim
                .number
                .map_or_else(|| claim.title.clone(), |n| n.to_string());
            due.push(Due {
                kind: "expense",
                source_id: claim.id.to_string(),
                member: claim.member_id,
                activity: claim.activity_id,
                amount: claim.totals.amount,
                remittance: remittance("expense", member.lang, &what),
            });
        }
        if due.is_empty() {
            return Err(AppError::conflict(
                "nothing_due",
                format!(
                    "no salary or expense of {} is due for payment on {}",
                    entity.name, input.execution_date
                ),
            ));
        }

        let batch_id = self.id();
        let message_id = format!("E{}", &batch_id.simple().to_string()[..28]).to_uppercase();
        let debtor = Debtor::from_entity(&entity).map_err(sepa_error)?;
        let mut blocks: Vec<PaymentBatch> = Vec::new();
        let mut lines: Vec<PayoutLineRecord> = Vec::new();
        for (kind, suffix) in [("salary", "SAL"), ("expense", "EXP")] {
            let payment_information_id = format!("{message_id}-{suffix}");
            let mut transfers = Vec::new();
            for (k, d) in due.iter().filter(|d| d.kind == kind).enumerate() {
                let member = &members[&d.member];
                let field = format!("{kind}s[{}]", k + 1);
                let name = Name::new(format!("{field}.member name"), &member.full_name())
                    .map_err(|e| sepa_error(e.into()))?;
                let line_id = self.id();
                let end_to_end_id = line_id.simple().to_string().to_uppercase();
                transfers.push(CreditTransfer {
                    instruction_id: None,
                    end_to_end_id: SepaId::new(format!("{field}.end_to_end_id"), &end_to_end_id)
                        .map_err(|e| sepa_error(e.into()))?,
                    amount: SepaAmount::new(format!("{field}.amount"), d.amount)
                        .map_err(sepa_error)?,
                    creditor: Creditor {
                        name: name.clone(),
                        iban: member.iban,
                        bic: None,
                        address: None,
                    },
                    purpose: (kind == "salary").then(PurposeCode::salary),
                    remittance: Some(Remittance::Unstructured(
                        RemittanceText::new(format!("{field}.remittance"), &d.remittance)
                            .map_err(|e| sepa_error(e.into()))?,
                    )),
                });
                lines.push(PayoutLineRecord {
                    id: line_id.to_string(),
                    batch_id: batch_id.to_string(),
                    seq: i64::try_from(lines.len() + 1).unwrap_or(i64::MAX),
                    payment_information_id: payment_information_id.clone(),
                    end_to_end_id,
                    kind: kind.to_string(),
                    source_id: d.source_id.clone(),
                    member_id: d.member,
                    activity_id: d.activity,
                    creditor_name: name.to_string(),
                    iban: member.iban.to_string(),
                    amount: d.amount,
                    remittance: d.remittance.clone(),
                    status: "pending".to_string(),
                    ledger_payout: None,
                    bank_line: None,
                    settled_at: None,
                });
            }
            if transfers.is_empty() {
                continue;
            }
            blocks.push(PaymentBatch {
                id: SepaId::new("payment_information_id", &payment_information_id)
                    .map_err(|e| sepa_error(e.into()))?,
                requested_execution_date: input.execution_date,
                batch_booking: true,
                category_purpose: (kind == "salary").then(PurposeCode::salary),
                debtor: debtor.clone(),
                transfers,
            });
        }
        let pain = Pain001::new(
            SepaId::new("message_id", &message_id).map_err(|e| sepa_error(e.into()))?,
            CreationDateTime {
                at: self.clock.now(),
                offset: jiff::tz::Offset::UTC,
            },
            InitiatingParty::from_entity(&entity).map_err(sepa_error)?,
            blocks,
        )
        .map_err(sepa_error)?;
        let xml = String::from_utf8(pain.to_xml())
            .map_err(|e| AppError::Internal(format!("pain.001 is not UTF-8: {e}")))?;
        let batch = PayoutBatchRecord {
            id: batch_id.to_string(),
            entity_id: entity.id,
            message_id,
            execution_date: input.execution_date,
            status: "pending".to_string(),
            total: pain.control_sum(),
            transfers: i64::try_from(pain.number_of_transactions()).unwrap_or(i64::MAX),
            rejection: None,
            created_by: actor.user,
            created_at: at,
            settled_at: None,
        };
        tx.insert_payout_batch(&batch, &xml).await?;
        for line in &mut lines {
            line.ledger_payout = postings::payout_held(&mut *tx, at, &batch, line).await?;
            tx.insert_payout_line(line).await.map_err(|e| match e {
                StoreError::Conflict(m) => AppError::conflict("already_in_a_batch", m),
                other => other.into(),
            })?;
        }
        let result = PayoutBatch {
            batch,
            lines,
            skipped,
        };
        remember(&mut *tx, actor, "create_payout_batch", idem, &result, at).await?;
        tx.commit().await?;
        Ok(result)
    }

    /// A batch and its transfers.
    pub async fn payout_batch(&self, actor: &Actor, id: &str) -> AppResult<PayoutBatch> {
        require_role(actor, TREASURY)?;
        let mut tx = self.store.read().await?;
        let batch = tx.payout_batch(id).await?;
        let lines = tx.payout_lines(id).await?;
        Ok(PayoutBatch {
            batch,
            lines,
            skipped: Vec::new(),
        })
    }

    /// The batches, newest first, of one entity or all.
    pub async fn payout_batches(
        &self,
        actor: &Actor,
        entity: Option<EntityId>,
    ) -> AppResult<Vec<PayoutBatchRecord>> {
        require_role(actor, TREASURY)?;
        let mut tx = self.store.read().await?;
        Ok(tx.payout_batches(entity, 1000).await?)
    }

    /// The pain.001 file of a batch: its message id (a file name) and its XML.
    pub async fn payout_file(&self, actor: &Actor, id: &str) -> AppResult<(String, String)> {
        require_role(actor, TREASURY)?;
        let mut tx = self.store.read().await?;
        let batch = tx.payout_batch(id).await?;
        Ok((batch.message_id, tx.payout_batch_xml(id).await?))
    }

    /// Records that the bank rejected a pending batch: its pending transfers are voided and
    /// its payslips and claims are free for another batch.
    pub async fn reject_payout_batch(
        &self,
        actor: &Actor,
        id: &str,
        reason: &str,
        idem: Option<&Idempotency>,
    ) -> AppResult<PayoutBatch> {
        require_role(actor, TREASURY)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Invalid::new("reason", "say why the bank rejected the batch").into());
        }
        let mut tx = self.store.write().await?;
        if let Some(previous) = replay(&mut *tx, actor, "reject_payout_batch", idem).await? {
            return Ok(previous);
        }
        let batch = tx.payout_batch(id).await?;
        if batch.status != "pending" {
            return Err(AppError::conflict(
                "not_pending",
                format!(
                    "payout batch {} is {}: only a pending batch can be rejected",
                    batch.message_id, batch.status
                ),
            ));
        }
        let at = self.clock.micros();
        for line in tx.payout_lines(id).await? {
            if tx
                .settle_payout_line(&line.id, "rejected", None, at)
                .await?
            {
                postings::payout_voided(&mut *tx, at, &line, self.clock.today()).await?;
            }
        }
        tx.settle_payout_batch(id, "rejected", Some(reason), Some(actor.user), at)
            .await
            .map_err(|e| match e {
                StoreError::Conflict(m) => AppError::conflict("not_pending", m),
                other => other.into(),
            })?;
        let result = PayoutBatch {
            batch: tx.payout_batch(id).await?,
            lines: tx.payout_lines(id).await?,
            skipped: Vec::new(),
        };
        remember(&mut *tx, actor, "reject_payout_batch", idem, &result, at).await?;
        tx.commit().await?;
        Ok(result)
    }
}

async fn member<'m>(
    tx: &mut dyn Tx,
    cache: &'m mut HashMap<MemberId, Member>,
    id: MemberId,
) -> AppResult<&'m Member> {
    if let std::collections::hash_map::Entry::Vacant(slot) = cache.entry(id) {
        slot.insert(tx.member(id).await?);
    }
    cache
        .get(&id)
        .ok_or_else(|| AppError::Internal(format!("member {id} vanished")))
}
