//! Expense claims: saved drafts, lines with VAT, receipts stored under their content hash,
//! approval by an advisor, reimbursement from the activity's budget.
//!
//! - A draft belongs to its member; every save is a committed write, so a draft survives a
//!   closed tab, a lost connection or a restarted server. Another member sees none of it.
//! - A receipt file is written to `{data_dir}/receipts/{hash[0..2]}/{hash}` (temporary file,
//!   then rename) *before* its row is committed: a failed transaction leaves at most an
//!   orphan file, named by its content and so harmless, and the same content is stored once.
//! - Submitting numbers the claim (`EXP-BE-2026-000001`) and puts it in the advisors' queue;
//!   an advisor approves or rejects it; staff reimburse an approved claim, which debits the
//!   activity's budget by its total including VAT, or refuses when the budget is too small.

use std::io::Write;
use std::path::{Path, PathBuf};

use ensemble_domain::activity::{ActivityRole, ActivityStatus};
use ensemble_domain::expense::{
    ExpenseCategory, ExpenseClaim, ExpenseLine, ExpenseStatus, ExpenseTotals, ReceiptHash,
    ReceiptMediaType,
};
use ensemble_domain::{
    ActivityId, DocumentKind, DocumentNumber, ExpenseClaimId, Invalid, MemberId, Money, Rate,
    parse_field,
};
use ensemble_store::expenses::ReceiptRecord;
use ensemble_store::{BudgetMovement, Filter, StoreError};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::access::{activity_access, require_staff};
use crate::idempotency::{remember, replay};
use crate::inputs::{Rejection, text};
use crate::{Actor, App, AppError, AppResult, Idempotency};

/// One expense as the member types it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpenseLineInput {
    pub date: Date,
    pub description: String,
    /// travel, accommodation, meals, equipment, supplies, services or other (the default).
    pub category: Option<String>,
    /// What was paid, VAT included.
    pub amount: Money,
    /// The VAT rate in percent (21, "6", "5.5%"); 0 when there is no VAT.
    pub vat_rate: Rate,
    /// The VAT as the receipt prints it; computed from the rate (half up) when absent.
    pub vat: Option<Money>,
    /// The content hash of a receipt attached to this claim.
    pub receipt: Option<String>,
    /// Why there is no receipt.
    pub no_receipt_reason: Option<String>,
}

/// A new claim: a draft, empty or with its first lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewExpenseClaim {
    pub activity_id: ActivityId,
    /// Whose expenses; by default the actor (staff give it).
    pub member_id: Option<MemberId>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub lines: Vec<ExpenseLineInput>,
}

/// A draft's content, saved whole on every change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpenseDraft {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub lines: Vec<ExpenseLineInput>,
}

/// A receipt file sent for a claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiptUpload {
    /// The name the file had on the member's device.
    pub file_name: String,
    /// The media type the client declared, if any; the content decides.
    pub media_type: Option<String>,
    pub bytes: Vec<u8>,
    /// The line (from 0) the receipt is for, if any: it becomes that line's receipt.
    pub line: Option<usize>,
}

/// A claim with the receipts attached to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpenseClaimDetail {
    pub claim: ExpenseClaim,
    pub receipts: Vec<ReceiptRecord>,
}

/// What attaching a receipt did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachedReceipt {
    pub receipt: ReceiptRecord,
    /// Whether the same content had been stored before (it is not stored twice).
    pub duplicate: bool,
    pub claim: ExpenseClaim,
}

/// A reimbursed claim and the budget movement that paid it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reimbursement {
    pub claim: ExpenseClaim,
    pub movement: BudgetMovement,
    /// The activity's budget afterwards.
    pub budget: Money,
}

/// Names an error of line `i` (from 0) by its position.
fn on_line(i: usize, e: Invalid) -> Invalid {
    Invalid::new(e.field, format!("line {}: {}", i + 1, e.message))
}

/// Parses the lines of a draft; a receipt must be one of `attached`.
fn lines_of(
    inputs: &[ExpenseLineInput],
    today: Date,
    attached: &[ReceiptRecord],
) -> Result<Vec<ExpenseLine>, Invalid> {
    inputs
        .iter()
        .enumerate()
        .map(|(i, input)| line_of(input, today, attached).map_err(|e| on_line(i, e)))
        .collect()
}

fn line_of(
    input: &ExpenseLineInput,
    today: Date,
    attached: &[ReceiptRecord],
) -> Result<ExpenseLine, Invalid> {
    if input.date > today {
        return Err(Invalid::new(
            "lines.date",
            format!(
                "{} is after today ({today}): claim an expense once it is paid",
                input.date
            ),
        ));
    }
    let category = match input
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        Some(c) => parse_field::<ExpenseCategory>("lines.category", c)?,
        None => ExpenseCategory::Other,
    };
    let mut line = ExpenseLine::new(
        input.date,
        &input.description,
        category,
        input.amount,
        input.vat_rate,
        input.vat,
    )?
    .with_reason(input.no_receipt_reason.as_deref())?;
    if let Some(text) = input
        .receipt
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let hash: ReceiptHash = parse_field("lines.receipt", text)?;
        if !attached.iter().any(|r| r.hash == hash) {
            return Err(Invalid::new(
                "lines.receipt",
                format!("receipt {hash} is not attached to this claim: upload it first"),
            ));
        }
        line = line.with_receipt(hash);
    }
    Ok(line)
}

/// Staff, or the claim's member.
fn claim_access(actor: &Actor, claim: &ExpenseClaim) -> AppResult<()> {
    if actor.role.is_staff() || actor.member == Some(claim.member_id) {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "this expense claim is another member's",
        ))
    }
}

fn require_editable(claim: &ExpenseClaim) -> AppResult<()> {
    if claim.status.is_editable() {
        Ok(())
    } else {
        Err(AppError::conflict(
            "not_editable",
            format!(
                "expense claim {} is {}: only a draft or a rejected claim can be changed",
                claim_name(claim),
                claim.status
            ),
        ))
    }
}

fn claim_name(claim: &ExpenseClaim) -> String {
    claim
        .number
        .map_or_else(|| format!("draft {}", claim.id), |n| n.to_string())
}

/// A store conflict on a status change: someone moved the claim first.
fn moved(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict(m) => AppError::conflict("status_changed", m),
        other => other.into(),
    }
}

/// The file name to keep: its last path component, without control characters, at most 200
/// characters; `receipt.pdf` (or .jpg…) when nothing is left.
fn clean_file_name(name: &str, kind: ReceiptMediaType) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() || cleaned == "." || cleaned == ".." {
        let ext = match kind {
            ReceiptMediaType::Pdf => "pdf",
            ReceiptMediaType::Jpeg => "jpg",
            ReceiptMediaType::Png => "png",
            ReceiptMediaType::Heic => "heic",
        };
        format!("receipt.{ext}")
    } else {
        cleaned.to_string()
    }
}

/// Where a receipt's file lives in the data folder.
pub fn receipt_path(data_dir: &Path, hash: &ReceiptHash) -> PathBuf {
    data_dir
        .join("receipts")
        .join(hash.shard())
        .join(hash.as_str())
}

/// Writes `bytes` at their content-addressed path, atomically: a temporary file in the same
/// folder, flushed to disk, then renamed. A file already there with the same length is the
/// same content and is kept.
fn store_file(data_dir: &Path, hash: &ReceiptHash, bytes: &[u8]) -> std::io::Result<()> {
    let path = receipt_path(data_dir, hash);
    if std::fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64) {
        return Ok(());
    }
    let folder = path
        .parent()
        .ok_or_else(|| std::io::Error::other("a receipt path has a folder"))?;
    std::fs::create_dir_all(folder)?;
    let tmp = folder.join(format!(".{hash}.{}.tmp", uuid::Uuid::now_v7().simple()));
    let written = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, &path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written?;
    // Make the rename itself durable.
    if let Ok(dir) = std::fs::File::open(folder) {
        let _ = dir.sync_all();
    }
    Ok(())
}

impl App {
    /// Starts a claim as a draft (its member, or staff for a member on the activity).
    pub async fn create_expense_claim(
        &self,
        actor: &Actor,
        input: &NewExpenseClaim,
        idem: Option<&Idempotency>,
    ) -> AppResult<ExpenseClaim> {
        let member_id = match (input.member_id, actor.member) {
            (Some(m), _) if actor.role.is_staff() || actor.member == Some(m) => m,
            (Some(_), _) => {
                return Err(AppError::forbidden(
                    "a member files their own expense claims only",
                ));
            }
            (None, Some(me)) => me,
            (None, None) => {
                return Err(Invalid::new("member_id", "say whose expenses these are").into());
            }
        };
        // No receipt is attached to a claim that does not exist yet.
        let lines = lines_of(&input.lines, self.clock.today(), &[])?;
        let mut tx = self.store.write().await?;
        if let Some(previous) = replay(&mut *tx, actor, "create_expense_claim", idem).await? {
            return Ok(previous);
        }
        activity_access(&mut *tx, actor, input.activity_id).await?;
        let activity = tx.activity(input.activity_id).await?;
        if activity.status != ActivityStatus::Active {
            return Err(AppError::conflict(
                "activity_not_active",
                format!("activity {} is {}", activity.name, activity.status),
            ));
        }
        match tx.activity_role(activity.id, member_id).await? {
            Some(ActivityRole::Manager | ActivityRole::Participant) => {}
            _ => {
                return Err(Invalid::new(
                    "member_id",
                    "that member does not work on the activity",
                )
                .into());
            }
        }
        let mut claim = ExpenseClaim {
            id: ExpenseClaimId::from_uuid(self.id()),
            number: None,
            entity_id: activity.entity_id,
            activity_id: activity.id,
            member_id,
            title: String::new(),
            lines: Vec::new(),
            totals: ExpenseTotals::default(),
            status: ExpenseStatus::Draft,
            rejection: None,
        };
        claim.set_content(&input.title, lines)?;
        let at = self.clock.micros();
        tx.insert_expense_claim(&claim, actor.user, at).await?;
        remember(&mut *tx, actor, "create_expense_claim", idem, &claim, at).await?;
        tx.commit().await?;
        Ok(claim)
    }

    /// Saves a draft: its title and lines replace the stored ones, at once. Saving a rejected
    /// claim makes it a draft again (it keeps its number and the advisor's reason).
    pub async fn save_expense_draft(
        &self,
        actor: &Actor,
        id: ExpenseClaimId,
        input: &ExpenseDraft,
    ) -> AppResult<ExpenseClaim> {
        let mut tx = self.store.write().await?;
        let mut claim = tx.expense_claim(id).await?;
        claim_access(actor, &claim)?;
        require_editable(&claim)?;
        let attached = tx.claim_receipts(id).await?;
        let lines = lines_of(&input.lines, self.clock.today(), &attached)?;
        let before = claim.status;
        claim.set_content(&input.title, lines)?;
        claim.status = ExpenseStatus::Draft;
        tx.update_expense_claim(&claim, before, actor.user, self.clock.micros())
            .await
            .map_err(moved)?;
        tx.commit().await?;
        Ok(claim)
    }

    /// Stores a receipt file and attaches it to a claim that can still be changed (and to one
    /// of its lines when `line` says which). The file is written before its row: a failure
    /// leaves at most an unreferenced file named by its content.
    pub async fn attach_receipt(
        &self,
        actor: &Actor,
        id: ExpenseClaimId,
        upload: ReceiptUpload,
        idem: Option<&Idempotency>,
    ) -> AppResult<AttachedReceipt> {
        let kind = ReceiptMediaType::check(&upload.bytes, upload.media_type.as_deref())?;
        let file_name = clean_file_name(&upload.file_name, kind);
        // Check before writing anything to disk, then again in the write transaction.
        {
            let mut tx = self.store.read().await?;
            let claim = tx.expense_claim(id).await?;
            claim_access(actor, &claim)?;
            require_editable(&claim)?;
        }
        let size = i64::try_from(upload.bytes.len())
            .map_err(|_| Invalid::new("file", "the file is too large"))?;
        let data_dir = self.data_dir.clone();
        let hash = tokio::task::spawn_blocking(move || {
            let digest: [u8; 32] = Sha256::digest(&upload.bytes).into();
            let hash = ReceiptHash::from_digest(&digest);
            store_file(&data_dir, &hash, &upload.bytes).map(|()| hash)
        })
        .await
        .map_err(|e| AppError::Internal(format!("storing the receipt: {e}")))?
        .map_err(|e| AppError::Internal(format!("storing the receipt: {e}")))?;

        let mut tx = self.store.write().await?;
        if let Some(previous) = replay(&mut *tx, actor, "attach_receipt", idem).await? {
            return Ok(previous);
        }
        let mut claim = tx.expense_claim(id).await?;
        claim_access(actor, &claim)?;
        require_editable(&claim)?;
        let at = self.clock.micros();
        let record = ReceiptRecord {
            hash: hash.clone(),
            file_name: file_name.clone(),
            media_type: kind,
            size,
            uploaded_by: actor.user,
            uploaded_at: at,
        };
        let duplicate = !tx.insert_receipt(&record).await?;
        tx.attach_receipt(id, &hash, &file_name, actor.user, at)
            .await?;
        if let Some(i) = upload.line {
            let count = claim.lines.len();
            let line = claim.lines.get_mut(i).ok_or_else(|| {
                Invalid::new(
                    "line",
                    format!("the claim has {count} line(s): line {i} (from 0) does not exist"),
                )
            })?;
            line.receipt = Some(hash.clone());
            line.no_receipt_reason = None;
            let before = claim.status;
            claim.status = ExpenseStatus::Draft;
            tx.update_expense_claim(&claim, before, actor.user, at)
                .await
                .map_err(moved)?;
        }
        let stored = tx
            .claim_receipts(id)
            .await?
            .into_iter()
            .find(|r| r.hash == hash)
            .ok_or_else(|| AppError::Internal("the attached receipt is missing".into()))?;
        let result = AttachedReceipt {
            receipt: stored,
            duplicate,
            claim,
        };
        remember(&mut *tx, actor, "attach_receipt", idem, &result, at).await?;
        tx.commit().await?;
        Ok(result)
    }

    /// A receipt's record and bytes: staff, or a member with a claim it is attached to. To
    /// anyone else it does not exist (a 404 tells nobody whether a file was ever sent).
    pub async fn receipt_file(
        &self,
        actor: &Actor,
        hash: &ReceiptHash,
    ) -> AppResult<(ReceiptRecord, Vec<u8>)> {
        let record = {
            let mut tx = self.store.read().await?;
            let found = if actor.role.is_staff() {
                Some(tx.receipt(hash).await?)
            } else if let Some(member) = actor.member {
                tx.member_receipt(hash, member).await?
            } else {
                None
            };
            found.ok_or_else(|| AppError::NotFound {
                kind: "receipt",
                id: hash.to_string(),
            })?
        };
        let path = receipt_path(&self.data_dir, hash);
        let expected = hash.clone();
        let bytes = tokio::task::spawn_blocking(move || std::fs::read(&path))
            .await
            .map_err(|e| AppError::Internal(format!("reading the receipt: {e}")))?
            .map_err(|e| AppError::Internal(format!("receipt file {expected}: {e}")))?;
        let digest: [u8; 32] = Sha256::digest(&bytes).into();
        if ReceiptHash::from_digest(&digest) != *hash {
            return Err(AppError::Internal(format!(
                "receipt file {hash} does not match its hash"
            )));
        }
        Ok((record, bytes))
    }

    /// Submits a claim for approval: it needs a title, a line, and on every line a receipt or
    /// the reason there is none. The first submission numbers it.
    pub async fn submit_expense_claim(
        &self,
        actor: &Actor,
        id: ExpenseClaimId,
    ) -> AppResult<ExpenseClaim> {
        let mut tx = self.store.write().await?;
        let mut claim = tx.expense_claim(id).await?;
        claim_access(actor, &claim)?;
        require_editable(&claim)?;
        claim.check_complete()?;
        if claim.number.is_none() {
            let entity = tx.entity(claim.entity_id).await?;
            let year = self.clock.today().year();
            let sequence = tx
                .next_number(entity.id, DocumentKind::Expense, year)
                .await?;
            claim.number = Some(DocumentNumber::new(
                DocumentKind::Expense,
                entity.country,
                year,
                sequence,
            ));
        }
        let before = claim.status;
        claim.status = ExpenseStatus::Submitted;
        claim.rejection = None;
        tx.update_expense_claim(&claim, before, actor.user, self.clock.micros())
            .await
            .map_err(moved)?;
        tx.commit().await?;
        Ok(claim)
    }

    /// Approves a submitted claim (staff).
    pub async fn approve_expense_claim(
        &self,
        actor: &Actor,
        id: ExpenseClaimId,
    ) -> AppResult<ExpenseClaim> {
        self.decide_expense_claim(actor, id, None).await
    }

    /// Rejects a submitted claim (staff), with the reason its member will read.
    pub async fn reject_expense_claim(
        &self,
        actor: &Actor,
        id: ExpenseClaimId,
        input: &Rejection,
    ) -> AppResult<ExpenseClaim> {
        let reason = text("reason", &input.reason, 1000)?;
        self.decide_expense_claim(actor, id, Some(reason)).await
    }

    async fn decide_expense_claim(
        &self,
        actor: &Actor,
        id: ExpenseClaimId,
        rejection: Option<String>,
    ) -> AppResult<ExpenseClaim> {
        require_staff(actor)?;
        let mut tx = self.store.write().await?;
        let mut claim = tx.expense_claim(id).await?;
        if claim.status != ExpenseStatus::Submitted {
            return Err(AppError::conflict(
                "not_submitted",
                format!(
                    "expense claim {} is {}: only a submitted claim is approved or rejected",
                    claim_name(&claim),
                    claim.status
                ),
            ));
        }
        claim.status = if rejection.is_some() {
            ExpenseStatus::Rejected
        } else {
            ExpenseStatus::Approved
        };
        claim.rejection = rejection;
        tx.update_expense_claim(
            &claim,
            ExpenseStatus::Submitted,
            actor.user,
            self.clock.micros(),
        )
        .await
        .map_err(moved)?;
        tx.commit().await?;
        Ok(claim)
    }

    /// Reimburses an approved claim (staff): the activity's budget pays its total including
    /// VAT. Refused with `insufficient_budget`, writing nothing, when the budget is too small.
    pub async fn reimburse_expense_claim(
        &self,
        actor: &Actor,
        id: ExpenseClaimId,
        idem: Option<&Idempotency>,
    ) -> AppResult<Reimbursement> {
        require_staff(actor)?;
        let mut tx = self.store.write().await?;
        if let Some(previous) = replay(&mut *tx, actor, "reimburse_expense_claim", idem).await? {
            return Ok(previous);
        }
        let mut claim = tx.expense_claim(id).await?;
        if claim.status != ExpenseStatus::Approved {
            return Err(AppError::conflict(
                "not_approved",
                format!(
                    "expense claim {} is {}: only an approved claim is reimbursed",
                    claim_name(&claim),
                    claim.status
                ),
            ));
        }
        let member = tx.member(claim.member_id).await?;
        let number = claim_name(&claim);
        let at = self.clock.micros();
        let movement = BudgetMovement {
            id: self.id().to_string(),
            activity_id: claim.activity_id,
            kind: "expense".to_string(),
            amount: -claim.totals.amount,
            document: number.clone(),
            label: format!(
                "Expenses of {} ({number}): {}",
                member.full_name(),
                claim.title
            ),
            created_at: at,
        };
        let budget = tx.move_budget(&movement).await?;
        claim.status = ExpenseStatus::Reimbursed;
        tx.update_expense_claim(&claim, ExpenseStatus::Approved, actor.user, at)
            .await
            .map_err(moved)?;
        let result = Reimbursement {
            claim,
            movement,
            budget,
        };
        remember(&mut *tx, actor, "reimburse_expense_claim", idem, &result, at).await?;
        tx.commit().await?;
        Ok(result)
    }

    /// A claim and its receipts (its member, or staff).
    pub async fn expense_claim(
        &self,
        actor: &Actor,
        id: ExpenseClaimId,
    ) -> AppResult<ExpenseClaimDetail> {
        let mut tx = self.store.read().await?;
        let claim = tx.expense_claim(id).await?;
        claim_access(actor, &claim)?;
        let receipts = tx.claim_receipts(id).await?;
        Ok(ExpenseClaimDetail { claim, receipts })
    }

    /// The claims the actor sees, by status: staff all, a member their own (drafts included).
    pub async fn expense_claims(
        &self,
        actor: &Actor,
        status: Option<ExpenseStatus>,
    ) -> AppResult<Vec<ExpenseClaim>> {
        let mut filter = Filter {
            status: status.map(|s| s.code().to_string()),
            limit: Some(10_000),
            ..Filter::default()
        };
        if !actor.role.is_staff() {
            filter.member = Some(
                actor
                    .member
                    .ok_or_else(|| AppError::forbidden("this account is not a member's"))?,
            );
        }
        let mut tx = self.store.read().await?;
        Ok(tx.expense_claims(&filter).await?)
    }
}
