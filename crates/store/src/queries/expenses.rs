// The expenses feature's queries, written once for both databases (see core.rs for the rules).
// Names already imported by core.rs (Filter, Micros, MemberId, UserId…) are written in full
// here, since both files land in the same module.

use ensemble_domain::expense::{ExpenseClaim, ExpenseStatus, ExpenseTotals, ReceiptHash};
use ensemble_domain::ExpenseClaimId;

use crate::expenses::ReceiptRecord;

const EXPENSE_COLUMNS: &str = "id, number, entity_id, activity_id, member_id, title, lines, vat_subtotals, total_cents, vat_cents, net_cents, status, rejection";

fn expense_claim_of(r: &DbRow) -> crate::Result<ExpenseClaim> {
    const T: &str = "expense_claims";
    Ok(ExpenseClaim {
        id: parsed(r, T, "id")?,
        number: parsed_opt(r, T, "number")?,
        entity_id: parsed(r, T, "entity_id")?,
        activity_id: parsed(r, T, "activity_id")?,
        member_id: parsed(r, T, "member_id")?,
        title: col(r, T, "title")?,
        lines: json(r, T, "lines")?,
        totals: ExpenseTotals {
            amount: money(r, T, "total_cents")?,
            vat: money(r, T, "vat_cents")?,
            net: money(r, T, "net_cents")?,
            by_rate: json(r, T, "vat_subtotals")?,
        },
        status: parsed::<ExpenseStatus>(r, T, "status")?,
        rejection: col(r, T, "rejection")?,
    })
}

fn receipt_of(r: &DbRow) -> crate::Result<ReceiptRecord> {
    const T: &str = "receipts";
    Ok(ReceiptRecord {
        hash: parsed(r, T, "hash")?,
        file_name: col(r, T, "file_name")?,
        media_type: parsed(r, T, "media_type")?,
        size: col(r, T, "size")?,
        uploaded_by: parsed(r, T, "uploaded_by")?,
        uploaded_at: col(r, T, "uploaded_at")?,
    })
}

#[async_trait::async_trait]
impl crate::ExpenseTx for BackendTx {
    async fn insert_expense_claim(
        &mut self,
        c: &ExpenseClaim,
        by: ensemble_domain::UserId,
        at: crate::Micros,
    ) -> crate::Result<()> {
        query(
            "INSERT INTO expense_claims (id, number, entity_id, activity_id, member_id, title, lines, vat_subtotals, total_cents, vat_cents, net_cents, status, rejection, created_by, created_at, updated_by, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $14, $15)",
        )
        .bind(c.id.to_string())
        .bind(c.number.map(|n| n.to_string()))
        .bind(c.entity_id.to_string())
        .bind(c.activity_id.to_string())
        .bind(c.member_id.to_string())
        .bind(&c.title)
        .bind(to_json(&c.lines))
        .bind(to_json(&c.totals.by_rate))
        .bind(c.totals.amount.cents())
        .bind(c.totals.vat.cents())
        .bind(c.totals.net.cents())
        .bind(c.status.code())
        .bind(c.rejection.clone())
        .bind(by.to_string())
        .bind(at)
        .execute(&mut *self.tx)
        .await
        .map_err(|err| db_err(err, "an expense claim with that id or number"))?;
        Ok(())
    }

    async fn update_expense_claim(
        &mut self,
        c: &ExpenseClaim,
        expected: ExpenseStatus,
        by: ensemble_domain::UserId,
        at: crate::Micros,
    ) -> crate::Result<()> {
        let done = query(
            "UPDATE expense_claims SET number = $1, title = $2, lines = $3, vat_subtotals = $4,
                 total_cents = $5, vat_cents = $6, net_cents = $7, status = $8, rejection = $9,
                 updated_by = $10, updated_at = $11,
                 submitted_at = CASE WHEN $8 = 'submitted' THEN $11 ELSE submitted_at END,
                 decided_by = CASE WHEN $8 IN ('approved', 'rejected') THEN $10 ELSE decided_by END,
                 decided_at = CASE WHEN $8 IN ('approved', 'rejected') THEN $11 ELSE decided_at END,
                 reimbursed_by = CASE WHEN $8 = 'reimbursed' THEN $10 ELSE reimbursed_by END,
                 reimbursed_at = CASE WHEN $8 = 'reimbursed' THEN $11 ELSE reimbursed_at END
             WHERE id = $12 AND status = $13",
        )
        .bind(c.number.map(|n| n.to_string()))
        .bind(&c.title)
        .bind(to_json(&c.lines))
        .bind(to_json(&c.totals.by_rate))
        .bind(c.totals.amount.cents())
        .bind(c.totals.vat.cents())
        .bind(c.totals.net.cents())
        .bind(c.status.code())
        .bind(c.rejection.clone())
        .bind(by.to_string())
        .bind(at)
        .bind(c.id.to_string())
        .bind(expected.code())
        .execute(&mut *self.tx)
        .await
        .map_err(|err| db_err(err, "an expense claim with that number"))?;
        if done.rows_affected() == 0 {
            let current = self.expense_claim(c.id).await?;
            let name = current
                .number
                .map_or_else(|| "this draft".to_string(), |n| n.to_string());
            return Err(crate::StoreError::Conflict(format!(
                "expense claim {name} is {} now, not {expected}",
                current.status
            )));
        }
        Ok(())
    }

    async fn expense_claim(&mut self, id: ExpenseClaimId) -> crate::Result<ExpenseClaim> {
        let row = query(select("SELECT {} FROM expense_claims WHERE id = $1", EXPENSE_COLUMNS))
            .bind(id.to_string())
            .fetch_optional(&mut *self.tx)
            .await?;
        row.as_ref()
            .map(expense_claim_of)
            .transpose()?
            .ok_or_else(|| not_found("expense claim", id))
    }

    async fn expense_claims(&mut self, f: &crate::Filter) -> crate::Result<Vec<ExpenseClaim>> {
        let rows = query(select(
            "SELECT {} FROM expense_claims
             WHERE (CAST($1 AS TEXT) IS NULL OR entity_id = $1)
               AND (CAST($2 AS TEXT) IS NULL OR activity_id = $2)
               AND (CAST($3 AS TEXT) IS NULL OR member_id = $3)
               AND (CAST($4 AS TEXT) IS NULL OR status = $4)
             ORDER BY COALESCE(submitted_at, created_at), id LIMIT $5",
            EXPENSE_COLUMNS,
        ))
        .bind(id_text(f.entity))
        .bind(id_text(f.activity))
        .bind(id_text(f.member))
        .bind(f.status.clone())
        .bind(f.limit())
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(expense_claim_of).collect()
    }

    async fn insert_receipt(&mut self, r: &ReceiptRecord) -> crate::Result<bool> {
        let done = query(
            "INSERT INTO receipts (hash, file_name, media_type, size, uploaded_by, uploaded_at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (hash) DO NOTHING",
        )
        .bind(r.hash.as_str())
        .bind(&r.file_name)
        .bind(r.media_type.mime())
        .bind(r.size)
        .bind(r.uploaded_by.to_string())
        .bind(r.uploaded_at)
        .execute(&mut *self.tx)
        .await
        .map_err(|err| db_err(err, "that receipt"))?;
        Ok(done.rows_affected() == 1)
    }

    async fn receipt(&mut self, hash: &ReceiptHash) -> crate::Result<ReceiptRecord> {
        let row = query(
            "SELECT hash, file_name, media_type, size, uploaded_by, uploaded_at FROM receipts WHERE hash = $1",
        )
        .bind(hash.as_str())
        .fetch_optional(&mut *self.tx)
        .await?;
        row.as_ref()
            .map(receipt_of)
            .transpose()?
            .ok_or_else(|| not_found("receipt", hash))
    }

    async fn attach_receipt(
        &mut self,
        claim: ExpenseClaimId,
        hash: &ReceiptHash,
        file_name: &str,
        by: ensemble_domain::UserId,
        at: crate::Micros,
    ) -> crate::Result<()> {
        query(
            "INSERT INTO expense_receipts (claim_id, hash, file_name, attached_by, attached_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (claim_id, hash) DO NOTHING",
        )
        .bind(claim.to_string())
        .bind(hash.as_str())
        .bind(file_name)
        .bind(by.to_string())
        .bind(at)
        .execute(&mut *self.tx)
        .await
        .map_err(|err| db_err(err, "that receipt on that claim"))?;
        Ok(())
    }

    async fn claim_receipts(&mut self, claim: ExpenseClaimId) -> crate::Result<Vec<ReceiptRecord>> {
        let rows = query(
            "SELECT r.hash, l.file_name, r.media_type, r.size, r.uploaded_by, r.uploaded_at
             FROM expense_receipts l JOIN receipts r ON r.hash = l.hash
             WHERE l.claim_id = $1 ORDER BY l.attached_at, l.hash",
        )
        .bind(claim.to_string())
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(receipt_of).collect()
    }

    async fn member_receipt(
        &mut self,
        hash: &ReceiptHash,
        member: ensemble_domain::MemberId,
    ) -> crate::Result<Option<ReceiptRecord>> {
        let row = query(
            "SELECT r.hash, l.file_name, r.media_type, r.size, r.uploaded_by, r.uploaded_at
             FROM expense_receipts l
             JOIN expense_claims c ON c.id = l.claim_id
             JOIN receipts r ON r.hash = l.hash
             WHERE l.hash = $1 AND c.member_id = $2
             ORDER BY l.attached_at LIMIT 1",
        )
        .bind(hash.as_str())
        .bind(member.to_string())
        .fetch_optional(&mut *self.tx)
        .await?;
        row.as_ref().map(receipt_of).transpose()
    }
}
