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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpenseLineInput {
    #[schema(value_type = ensemble_domain::openapi::IsoDate)]
    pub date: Date,
    pub description: String,
    /// travel, accommodation, meals, equipment, supplies, services or other (the default).
    #[schema(value_type = Option<ensemble_domain::expense::ExpenseCategory>)]
    pub category: Option<String>,
    /// What was paid, VAT included.
    pub amount: Money,
    /// The VAT rate in percent (21, "6", "5.5%"); 0 when there is no VAT.
    pub vat_rate: Rate,
    /// The VAT as the receipt prints it; computed from the rate (half up) when absent.
    pub vat: Option<Money>,
    /// The content hash of a receipt attached to this claim.
    #[schema(value_type = Option<ensemble_domain::expense::ReceiptHash>)]
    pub receipt: Option<String>,
    /// Why there is no receipt.
    pub no_receipt_reason: Option<String>,
}

/// A new claim: a draft, empty or with its first lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ExpenseClaimDetail {
    pub claim: ExpenseClaim,
    pub receipts: Vec<ReceiptRecord>,
}

/// What attaching a receipt did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AttachedReceipt {
    pub receipt: ReceiptRecord,
    /// Whether the same content had been stored before (it is not stored twice).
    pub duplicate: bool,
    pub claim: ExpenseClaim,
}

/// A reimbursed claim and the budget movement that paid it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
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

/// Reimburses an approved claim inside `tx`: the activity's budget pays its total including
/// VAT (`insufficient_budget` when it cannot) and the claim becomes reimbursed. Shared by the
/// reimbursement of one claim and the payout batches.
pub(crate) async fn reimburse(
    tx: &mut dyn ensemble_store::Tx,
    movement_id: uuid::Uuid,
    mut claim: ExpenseClaim,
    by: ensemble_domain::UserId,
    today: jiff::civil::Date,
    at: i64,
) -> AppResult<Reimbursement> {
    let member = tx.member(claim.member_id).await?;
    let number = claim_name(&claim);
    let movement = BudgetMovement {
        id: movement_id.to_string(),
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
    crate::ledger::post_expense(tx, &claim, today, true, at).await?;
    claim.status = ExpenseStatus::Reimbursed;
    tx.update_expense_claim(&claim, ExpenseStatus::Approved, by, at)
        .await
        .map_err(moved)?;
    Ok(Reimbursement {
        claim,
        movement,
        budget,
    })
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
    let cleaned: String = last.chars().filter(|c| !c.is_control()).take(200).collect();
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
                return Err(
                    Invalid::new("member_id", "that member does not work on the activity").into(),
                );
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
        let at = self.clock.micros();
        tx.update_expense_claim(&claim, ExpenseStatus::Submitted, actor.user, at)
            .await
            .map_err(moved)?;
        if claim.status == ExpenseStatus::Approved {
            crate::ledger::post_expense(&mut *tx, &claim, self.clock.today(), false, at).await?;
        }
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
        let claim = tx.expense_claim(id).await?;
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
        let at = self.clock.micros();
        let result = reimburse(
            &mut *tx,
            self.id(),
            claim,
            actor.user,
            self.clock.today(),
            at,
        )
        .await?;
        remember(
            &mut *tx,
            actor,
            "reimburse_expense_claim",
            idem,
            &result,
            at,
        )
        .await?;
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

/// A small but real one-page PDF receipt showing `lines` in Courier (WinAnsi text), built
/// byte by byte with a correct cross-reference table. Used by the demo.
pub(crate) fn receipt_pdf(lines: &[String]) -> Vec<u8> {
    let mut content = String::from("BT /F1 9 Tf 12 TL 16 270 Td\n");
    for line in lines {
        content.push('(');
        for c in line.chars() {
            match c {
                '(' | ')' | '\\' => {
                    content.push('\\');
                    content.push(c);
                }
                c if u32::from(c) < 0x20 => content.push(' '),
                c => content.push(c),
            }
        }
        content.push_str(") Tj T*\n");
    }
    content.push_str("ET\n");
    // WinAnsi: characters up to U+00FF are their Latin-1 byte; others become '?'.
    let stream: Vec<u8> = content
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect();
    let objects: [Vec<u8>; 5] = [
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 226 300] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
        {
            let mut s = format!("<< /Length {} >>\nstream\n", stream.len()).into_bytes();
            s.extend_from_slice(&stream);
            s.extend_from_slice(b"\nendstream");
            s
        },
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    ];
    let mut pdf = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(body);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// What a demo claim ends as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DemoEnd {
    Draft,
    Submitted,
    Approved,
    Reimbursed,
    Rejected,
}

/// An expense a demo member files.
struct DemoExpense {
    description: &'static str,
    category: ExpenseCategory,
    cents: i64,
    /// The VAT rate in Belgium and in France, in ppm.
    be_ppm: i64,
    fr_ppm: i64,
    /// Why there is no receipt, when there is none.
    missing: Option<&'static str>,
}

const fn demo(
    description: &'static str,
    category: ExpenseCategory,
    cents: i64,
    be_ppm: i64,
    fr_ppm: i64,
    missing: Option<&'static str>,
) -> DemoExpense {
    DemoExpense {
        description,
        category,
        cents,
        be_ppm,
        fr_ppm,
        missing,
    }
}

const DEMO_EXPENSES: [DemoExpense; 8] = [
    demo(
        "Train to the client's venue and back",
        ExpenseCategory::Travel,
        3_360,
        60_000,
        100_000,
        None,
    ),
    demo(
        "Taxi with the equipment",
        ExpenseCategory::Travel,
        1_840,
        60_000,
        100_000,
        None,
    ),
    demo(
        "Lunch with the client",
        ExpenseCategory::Meals,
        4_250,
        120_000,
        100_000,
        None,
    ),
    demo(
        "SD card 128 GB",
        ExpenseCategory::Equipment,
        3_499,
        210_000,
        200_000,
        None,
    ),
    demo(
        "Paper and ink for the proofs",
        ExpenseCategory::Supplies,
        2_390,
        210_000,
        200_000,
        None,
    ),
    demo(
        "Hotel night near the venue",
        ExpenseCategory::Accommodation,
        8_900,
        60_000,
        100_000,
        None,
    ),
    demo(
        "Parking at the venue",
        ExpenseCategory::Travel,
        600,
        210_000,
        200_000,
        Some("the parking meter gives no ticket"),
    ),
    demo(
        "Printing of the programme",
        ExpenseCategory::Services,
        12_705,
        210_000,
        200_000,
        None,
    ),
];

/// The application with its clock at 09:00 UTC on `date`.
fn app_on(app: &App, date: Date) -> AppResult<App> {
    let mut on = app.clone();
    let ts: jiff::Timestamp = format!("{date}T09:00:00Z")
        .parse()
        .map_err(|e| AppError::Internal(format!("demo date {date}: {e}")))?;
    on.clock = std::sync::Arc::new(crate::FixedClock(ts));
    Ok(on)
}

/// Seeds expense claims into the demo, September to November 2026: one claim a month on every
/// third activity (`k % 3 == 1`) and on those with an opening balance (`k % 10 == 3`), filed by the activity's manager with one to three
/// lines and generated PDF receipts, in every status — drafts and submitted claims in
/// November, rejected ones, approved ones, and reimbursed ones where the budget allows it
/// (one left approved otherwise). Call it after the budgets are funded, with the demo's
/// activities as `(activity, its manager, its entity, k)`. Returns how many claims it made.
pub async fn seed_demo_expenses(
    app: &App,
    advisor: &Actor,
    accountant: &Actor,
    activities: &[(
        ensemble_domain::activity::Activity,
        Actor,
        ensemble_domain::coop::CooperativeEntity,
        usize,
    )],
) -> AppResult<usize> {
    const SCHEDULE: [&[DemoEnd]; 3] = [
        &[DemoEnd::Reimbursed, DemoEnd::Approved, DemoEnd::Reimbursed],
        &[
            DemoEnd::Rejected,
            DemoEnd::Reimbursed,
            DemoEnd::Submitted,
            DemoEnd::Approved,
        ],
        &[
            DemoEnd::Draft,
            DemoEnd::Submitted,
            DemoEnd::Draft,
            DemoEnd::Submitted,
            DemoEnd::Rejected,
        ],
    ];
    let mut made = 0usize;
    for (month, mm) in [9i8, 10, 11].into_iter().enumerate() {
        // Every third activity, and those the demo gives an opening balance (k % 10 == 3),
        // so that some claims are reimbursed.
        let chosen = activities
            .iter()
            .filter(|(_, _, _, k)| k % 3 == 1 || k % 10 == 3);
        for (n, (activity, owner, entity, k)) in chosen.enumerate() {
            let end = SCHEDULE[month][n % SCHEDULE[month].len()];
            let belgian = entity.country == ensemble_domain::Country::Be;
            let day = 2 + ((k * 3 + month * 5) % 20) as i8;
            let count = 1 + (k + month) % 3;
            let mut lines = Vec::with_capacity(count);
            for j in 0..count {
                let e = &DEMO_EXPENSES[(k + month * 3 + j * 5) % DEMO_EXPENSES.len()];
                lines.push(ExpenseLineInput {
                    date: jiff::civil::date(2026, mm, day + j as i8),
                    description: e.description.to_string(),
                    category: Some(e.category.code().to_string()),
                    amount: Money::from_cents(e.cents + (*k as i64 % 7) * 110),
                    vat_rate: Rate::from_ppm(if belgian { e.be_ppm } else { e.fr_ppm }),
                    vat: None,
                    receipt: None,
                    no_receipt_reason: e.missing.map(str::to_string),
                });
            }
            let filed = jiff::civil::date(2026, mm, day + count as i8);
            let on = app_on(app, filed)?;
            let title = format!(
                "{} expenses, {}",
                activity.name,
                ["September", "October", "November"][month]
            );
            let claim = on
                .create_expense_claim(
                    owner,
                    &NewExpenseClaim {
                        activity_id: activity.id,
                        member_id: None,
                        title,
                        lines: lines.clone(),
                    },
                    None,
                )
                .await?;
            made += 1;
            for (i, line) in lines.iter().enumerate() {
                if line.no_receipt_reason.is_some() {
                    continue;
                }
                let vat = ensemble_domain::expense::vat_included(line.amount, line.vat_rate);
                let pdf = receipt_pdf(&[
                    "RECEIPT / TICKET / KASTICKET".to_string(),
                    String::new(),
                    line.description.clone(),
                    format!("Date: {}", line.date),
                    format!("For: {}", activity.name),
                    String::new(),
                    format!("Total incl. VAT   EUR {:>9}", line.amount.to_string()),
                    format!(
                        "VAT {:>5} %       EUR {:>9}",
                        line.vat_rate.to_string(),
                        vat.to_string()
                    ),
                    format!(
                        "Excl. VAT         EUR {:>9}",
                        (line.amount - vat).to_string()
                    ),
                    String::new(),
                    format!("Ref. {}-{}", claim.id.uuid().simple(), i + 1),
                ]);
                on.attach_receipt(
                    owner,
                    claim.id,
                    ReceiptUpload {
                        file_name: format!("receipt-{mm:02}-{}.pdf", i + 1),
                        media_type: Some("application/pdf".to_string()),
                        bytes: pdf,
                        line: Some(i),
                    },
                    None,
                )
                .await?;
            }
            if end == DemoEnd::Draft {
                continue;
            }
            let submit_on = app_on(app, filed)?;
            submit_on.submit_expense_claim(owner, claim.id).await?;
            let decide_on = app_on(app, filed.saturating_add(jiff::Span::new().days(3)))?;
            match end {
                DemoEnd::Draft | DemoEnd::Submitted => {}
                DemoEnd::Rejected => {
                    decide_on
                        .reject_expense_claim(
                            advisor,
                            claim.id,
                            &Rejection {
                                reason: "The lunch is not linked to a client of the activity; remove it or say which client it was for.".to_string(),
                            },
                        )
                        .await?;
                }
                DemoEnd::Approved | DemoEnd::Reimbursed => {
                    decide_on.approve_expense_claim(advisor, claim.id).await?;
                }
            }
            if end == DemoEnd::Reimbursed {
                let pay_on = app_on(app, filed.saturating_add(jiff::Span::new().days(6)))?;
                match pay_on
                    .reimburse_expense_claim(accountant, claim.id, None)
                    .await
                {
                    Ok(_) => {}
                    // Not enough in the budget yet: it waits, approved, as it would for real.
                    Err(AppError::Conflict {
                        code: "insufficient_budget",
                        ..
                    }) => {}
                    Err(other) => return Err(other),
                }
            }
        }
    }
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activities::BudgetAdjustment;
    use ensemble_store::testing::TestStore;

    #[test]
    fn generated_receipts_are_well_formed_pdfs() {
        let pdf = receipt_pdf(&[
            "Taxi (night)".to_string(),
            "Total EUR 18.40 – é".to_string(),
        ]);
        assert!(pdf.starts_with(b"%PDF-1.4\n"));
        assert_eq!(ReceiptMediaType::sniff(&pdf), Some(ReceiptMediaType::Pdf));
        let text = String::from_utf8_lossy(&pdf);
        // Every cross-reference entry points at its object.
        let xref_at: usize = text
            .rsplit("startxref\n")
            .next()
            .and_then(|t| t.lines().next())
            .and_then(|t| t.parse().ok())
            .expect("startxref");
        assert!(pdf[xref_at..].starts_with(b"xref\n0 6\n"));
        let table = String::from_utf8_lossy(&pdf[xref_at..]).into_owned();
        for (n, entry) in table.lines().skip(3).take(5).enumerate() {
            let offset: usize = entry[..10].parse().expect("offset");
            let head = format!("{} 0 obj\n", n + 1);
            assert!(
                pdf[offset..].starts_with(head.as_bytes()),
                "object {}",
                n + 1
            );
        }
        assert!(text.contains("(Taxi \\(night\\)) Tj"));
        // é is the WinAnsi byte E9; the dash, outside Latin-1, a question mark.
        assert!(pdf.windows(3).any(|w| w == b"? \xE9"));
    }

    #[test]
    fn file_names_keep_their_last_component() {
        let pdf = ReceiptMediaType::Pdf;
        assert_eq!(clean_file_name("C:\\scans\\ticket.pdf", pdf), "ticket.pdf");
        assert_eq!(clean_file_name("../../etc/passwd", pdf), "passwd");
        assert_eq!(clean_file_name("", ReceiptMediaType::Jpeg), "receipt.jpg");
        assert_eq!(clean_file_name("a/..", pdf), "receipt.pdf");
        assert_eq!(
            clean_file_name("bon\u{0}\nde caisse.pdf", pdf),
            "bonde caisse.pdf"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_demo_files_claims_in_every_status() {
        let store = TestStore::sqlite().await;
        let mut f = crate::testing::fixture(
            store.store.clone(),
            "2026-09-01T09:00:00Z".parse().expect("timestamp"),
        )
        .await;
        let dir =
            std::env::temp_dir().join(format!("ensemble-demo-expenses-{}", std::process::id()));
        f.app.data_dir = dir.clone();
        f.app
            .adjust_budget(
                &f.admin,
                f.be_activity.id,
                &BudgetAdjustment {
                    amount: Money::from_euros(1_000),
                    label: "Opening balance".into(),
                },
                None,
            )
            .await
            .expect("budget");
        let activities = vec![
            (
                f.be_activity.clone(),
                f.alice.actor.clone(),
                f.be.clone(),
                1,
            ),
            (
                f.fr_activity.clone(),
                f.claire.actor.clone(),
                f.fr.clone(),
                4,
            ),
        ];
        let made = seed_demo_expenses(&f.app, &f.advisor, &f.admin, &activities)
            .await
            .expect("seeded");
        assert_eq!(made, 6);
        let claims = f
            .app
            .expense_claims(&f.advisor, None)
            .await
            .expect("claims");
        assert_eq!(claims.len(), 6);
        for status in [
            ExpenseStatus::Draft,
            ExpenseStatus::Submitted,
            ExpenseStatus::Approved,
            ExpenseStatus::Reimbursed,
            ExpenseStatus::Rejected,
        ] {
            assert!(
                claims.iter().any(|c| c.status == status),
                "no {status} claim"
            );
        }
        // The French activity has no budget: its reimbursement waits, approved.
        let paid: Money = claims
            .iter()
            .filter(|c| c.status == ExpenseStatus::Reimbursed)
            .map(|c| c.totals.amount)
            .sum();
        let detail = f
            .app
            .activity(&f.advisor, f.be_activity.id)
            .await
            .expect("activity");
        assert_eq!(detail.activity.budget, Money::from_euros(1_000) - paid);
        // Every receipt is readable and is a PDF.
        for c in &claims {
            for r in f
                .app
                .expense_claim(&f.advisor, c.id)
                .await
                .expect("claim")
                .receipts
            {
                let (_, bytes) = f.app.receipt_file(&f.advisor, &r.hash).await.expect("file");
                assert_eq!(ReceiptMediaType::sniff(&bytes), Some(ReceiptMediaType::Pdf));
            }
        }
        let _ = std::fs::remove_dir_all(dir);
        store.finish().await;
    }

    /// The whole demo cooperative, then its expenses, as `ensemble demo` will make them.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_demo_cooperative_gets_its_expenses() {
        let store = TestStore::sqlite().await;
        let dir = std::env::temp_dir().join(format!("ensemble-demo-full-{}", std::process::id()));
        let app = App::new(
            store.store.clone(),
            std::sync::Arc::new(crate::SystemClock),
            dir.clone(),
        );
        let summary = app.seed_demo().await.expect("demo");
        let token = |role: &str| {
            summary
                .accounts
                .iter()
                .find(|a| a.role == role)
                .map(|a| a.token.clone())
                .expect("account")
        };
        let advisor = app.authenticate(&token("advisor")).await.expect("advisor");
        let accountant = app
            .authenticate(&token("accountant"))
            .await
            .expect("accountant");
        let mut tx = app.store.read().await.expect("read");
        let users = tx.users().await.expect("users");
        let mut activities = Vec::new();
        let mut all = tx
            .activities(&Filter {
                limit: Some(1000),
                ..Filter::default()
            })
            .await
            .expect("activities");
        // UUIDv7 ids are time-ordered: the demo's creation order, its `k`.
        all.sort_by_key(|a| a.id);
        for (k, a) in all.into_iter().enumerate() {
            let manager = tx
                .activity_members(a.id)
                .await
                .expect("members")
                .into_iter()
                .find(|m| m.role == ActivityRole::Manager)
                .expect("a manager");
            let user = users
                .iter()
                .find(|u| u.member_id == Some(manager.member_id))
                .expect("the manager's account");
            let actor = Actor {
                user: user.id,
                role: user.role,
                member: user.member_id,
                lang: user.lang,
            };
            let entity = tx.entity(a.entity_id).await.expect("entity");
            activities.push((a, actor, entity, k));
        }
        drop(tx);
        let made = seed_demo_expenses(&app, &advisor, &accountant, &activities)
            .await
            .expect("expenses");
        assert_eq!(made, 72);
        let claims = app.expense_claims(&advisor, None).await.expect("claims");
        let count = |s: ExpenseStatus| claims.iter().filter(|c| c.status == s).count();
        eprintln!(
            "draft {} submitted {} approved {} reimbursed {} rejected {}",
            count(ExpenseStatus::Draft),
            count(ExpenseStatus::Submitted),
            count(ExpenseStatus::Approved),
            count(ExpenseStatus::Reimbursed),
            count(ExpenseStatus::Rejected)
        );
        for s in [
            ExpenseStatus::Draft,
            ExpenseStatus::Submitted,
            ExpenseStatus::Approved,
            ExpenseStatus::Reimbursed,
            ExpenseStatus::Rejected,
        ] {
            assert!(count(s) > 0, "no {s} claim");
        }
        let _ = std::fs::remove_dir_all(dir);
        store.finish().await;
    }
}
