// The banking feature's queries, written once for both databases (see core.rs for the rules).
// Names already imported by core.rs are written in full here, since both files land in the
// same module.

use crate::banking::{
    BankLineRecord, BankStatementRecord, LineMatchRecord, ManualPaymentRecord, NewQueueItem,
    OpenInvoiceRow, PayoutBatchRecord, PayoutLineRecord, QueueRecord,
};

const PAYOUT_BATCH_COLUMNS: &str = "id, entity_id, message_id, execution_date, status, total_cents, transfers, rejection, created_by, created_at, settled_at";
const PAYOUT_LINE_COLUMNS: &str = "id, batch_id, seq, payment_information_id, end_to_end_id, kind, source_id, member_id, activity_id, creditor_name, iban, amount_cents, remittance, status, ledger_payout, bank_line, settled_at";
const BANK_LINE_COLUMNS: &str = "fingerprint, entity_id, statement_id, entry, transaction_no, direction, amount_cents, currency, booking_date, counterparty_name, counterparty_iban, creditor_references, remittance, end_to_end_id, payment_information_id, status, method, confidence, excess_cents, created_at";
const LINE_MATCH_COLUMNS: &str = "id, line_fingerprint, invoice_id, amount_cents, method, confidence, matched_by, created_at";
const MANUAL_PAYMENT_COLUMNS: &str = "id, entity_id, invoice_id, amount_cents, excess_cents, paid_on, method, reference, recorded_by, created_at";

fn manual_payment_of(r: &DbRow) -> crate::Result<ManualPaymentRecord> {
    const T: &str = "manual_payments";
    Ok(ManualPaymentRecord {
        id: col(r, T, "id")?,
        entity_id: parsed(r, T, "entity_id")?,
        invoice_id: parsed(r, T, "invoice_id")?,
        amount: money(r, T, "amount_cents")?,
        excess: money(r, T, "excess_cents")?,
        paid_on: parsed(r, T, "paid_on")?,
        method: col(r, T, "method")?,
        reference: col(r, T, "reference")?,
        recorded_by: parsed(r, T, "recorded_by")?,
        created_at: col(r, T, "created_at")?,
    })
}

fn payout_batch_of(r: &DbRow) -> crate::Result<PayoutBatchRecord> {
    const T: &str = "payout_batches";
    Ok(PayoutBatchRecord {
        id: col(r, T, "id")?,
        entity_id: parsed(r, T, "entity_id")?,
        message_id: col(r, T, "message_id")?,
        execution_date: parsed(r, T, "execution_date")?,
        status: col(r, T, "status")?,
        total: money(r, T, "total_cents")?,
        transfers: col(r, T, "transfers")?,
        rejection: col(r, T, "rejection")?,
        created_by: parsed(r, T, "created_by")?,
        created_at: col(r, T, "created_at")?,
        settled_at: col(r, T, "settled_at")?,
    })
}

fn payout_line_of(r: &DbRow) -> crate::Result<PayoutLineRecord> {
    const T: &str = "payout_lines";
    Ok(PayoutLineRecord {
        id: col(r, T, "id")?,
        batch_id: col(r, T, "batch_id")?,
        seq: col(r, T, "seq")?,
        payment_information_id: col(r, T, "payment_information_id")?,
        end_to_end_id: col(r, T, "end_to_end_id")?,
        kind: col(r, T, "kind")?,
        source_id: col(r, T, "source_id")?,
        member_id: parsed(r, T, "member_id")?,
        activity_id: parsed(r, T, "activity_id")?,
        creditor_name: col(r, T, "creditor_name")?,
        iban: col(r, T, "iban")?,
        amount: money(r, T, "amount_cents")?,
        remittance: col(r, T, "remittance")?,
        status: col(r, T, "status")?,
        ledger_payout: col(r, T, "ledger_payout")?,
        bank_line: col(r, T, "bank_line")?,
        settled_at: col(r, T, "settled_at")?,
    })
}

fn bank_line_of(r: &DbRow) -> crate::Result<BankLineRecord> {
    const T: &str = "bank_lines";
    Ok(BankLineRecord {
        fingerprint: col(r, T, "fingerprint")?,
        entity_id: parsed(r, T, "entity_id")?,
        statement_id: col(r, T, "statement_id")?,
        entry: col(r, T, "entry")?,
        transaction_no: col(r, T, "transaction_no")?,
        direction: col(r, T, "direction")?,
        amount: money(r, T, "amount_cents")?,
        currency: col(r, T, "currency")?,
        booking_date: parsed(r, T, "booking_date")?,
        counterparty_name: col(r, T, "counterparty_name")?,
        counterparty_iban: col(r, T, "counterparty_iban")?,
        creditor_references: json(r, T, "creditor_references")?,
        remittance: col(r, T, "remittance")?,
        end_to_end_id: col(r, T, "end_to_end_id")?,
        payment_information_id: col(r, T, "payment_information_id")?,
        status: col(r, T, "status")?,
        method: col(r, T, "method")?,
        confidence: col(r, T, "confidence")?,
        excess: money(r, T, "excess_cents")?,
        created_at: col(r, T, "created_at")?,
    })
}

fn line_match_of(r: &DbRow) -> crate::Result<LineMatchRecord> {
    const T: &str = "bank_line_matches";
    Ok(LineMatchRecord {
        id: col(r, T, "id")?,
        line_fingerprint: col(r, T, "line_fingerprint")?,
        invoice_id: parsed(r, T, "invoice_id")?,
        amount: money(r, T, "amount_cents")?,
        method: col(r, T, "method")?,
        confidence: col(r, T, "confidence")?,
        matched_by: parsed_opt(r, T, "matched_by")?,
        created_at: col(r, T, "created_at")?,
    })
}

fn queue_of(r: &DbRow) -> crate::Result<QueueRecord> {
    const T: &str = "reconciliation_queue";
    Ok(QueueRecord {
        line: bank_line_of(r)?,
        reason: col(r, T, "reason")?,
        suggestions: json(r, T, "suggestions")?,
        queued_at: col(r, T, "queued_at")?,
        resolution: col(r, T, "resolution")?,
        resolved_by: parsed_opt(r, T, "resolved_by")?,
        resolved_at: col(r, T, "resolved_at")?,
    })
}

fn open_invoice_of(r: &DbRow) -> crate::Result<OpenInvoiceRow> {
    const T: &str = "invoices";
    Ok(OpenInvoiceRow {
        id: parsed(r, T, "id")?,
        number: parsed(r, T, "number")?,
        activity_id: parsed(r, T, "activity_id")?,
        payment_reference: json(r, T, "payment_reference")?,
        total: money(r, T, "total_cents")?,
        outstanding: money(r, T, "outstanding_cents")?,
        client_id: parsed(r, T, "client_id")?,
        client_name: col(r, T, "client_name")?,
        issue_date: parsed(r, T, "issue_date")?,
        due_date: parsed(r, T, "due_date")?,
    })
}

const OPEN_INVOICE_SELECT: &str = "SELECT i.id, i.number, i.activity_id, i.payment_reference, i.total_cents,
        i.total_cents - COALESCE(p.paid, 0) AS outstanding_cents,
        i.client_id, c.name AS client_name, i.issue_date, i.due_date
     FROM invoices i
     JOIN clients c ON c.id = i.client_id
     LEFT JOIN (SELECT invoice_id, CAST(SUM(amount_cents) AS BIGINT) AS paid
                FROM (SELECT invoice_id, amount_cents FROM bank_line_matches
                      UNION ALL SELECT invoice_id, amount_cents FROM manual_payments) m
                GROUP BY invoice_id) p
       ON p.invoice_id = i.id";

#[async_trait::async_trait]
impl crate::BankingTx for BackendTx {
    async fn insert_payout_batch(&mut self, b: &PayoutBatchRecord, xml: &str) -> crate::Result<()> {
        query(
            "INSERT INTO payout_batches (id, entity_id, message_id, execution_date, status, total_cents, transfers, xml, rejection, created_by, created_at, settled_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(&b.id)
        .bind(b.entity_id.to_string())
        .bind(&b.message_id)
        .bind(crate::date_text(b.execution_date))
        .bind(&b.status)
        .bind(b.total.cents())
        .bind(b.transfers)
        .bind(xml)
        .bind(b.rejection.clone())
        .bind(b.created_by.to_string())
        .bind(b.created_at)
        .bind(b.settled_at)
        .execute(&mut *self.tx)
        .await
        .map_err(|err| db_err(err, "a payout batch with that id or message id"))?;
        Ok(())
    }

    async fn insert_payout_line(&mut self, l: &PayoutLineRecord) -> crate::Result<()> {
        query(
            "INSERT INTO payout_lines (id, batch_id, seq, payment_information_id, end_to_end_id, kind, source_id, member_id, activity_id, creditor_name, iban, amount_cents, remittance, status, ledger_payout, bank_line, settled_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
        )
        .bind(&l.id)
        .bind(&l.batch_id)
        .bind(l.seq)
        .bind(&l.payment_information_id)
        .bind(&l.end_to_end_id)
        .bind(&l.kind)
        .bind(&l.source_id)
        .bind(l.member_id.to_string())
        .bind(l.activity_id.to_string())
        .bind(&l.creditor_name)
        .bind(&l.iban)
        .bind(l.amount.cents())
        .bind(&l.remittance)
        .bind(&l.status)
        .bind(l.ledger_payout.clone())
        .bind(l.bank_line.clone())
        .bind(l.settled_at)
        .execute(&mut *self.tx)
        .await
        .map_err(|err| db_err(err, format!("a payout of {} {}", l.kind, l.source_id).as_str()))?;
        Ok(())
    }

    async fn payout_batch(&mut self, id: &str) -> crate::Result<PayoutBatchRecord> {
        let row = query(select("SELECT {} FROM payout_batches WHERE id = $1", PAYOUT_BATCH_COLUMNS))
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?;
        row.as_ref()
            .map(payout_batch_of)
            .transpose()?
            .ok_or_else(|| not_found("payout batch", id))
    }

    async fn payout_batch_xml(&mut self, id: &str) -> crate::Result<String> {
        let row = query("SELECT xml FROM payout_batches WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?;
        match row {
            Some(r) => col(&r, "payout_batches", "xml"),
            None => Err(not_found("payout batch", id)),
        }
    }

    async fn payout_batches(
        &mut self,
        entity: Option<ensemble_domain::EntityId>,
        limit: i64,
    ) -> crate::Result<Vec<PayoutBatchRecord>> {
        let rows = query(select(
            "SELECT {} FROM payout_batches WHERE (CAST($1 AS TEXT) IS NULL OR entity_id = $1)
             ORDER BY created_at DESC, id DESC LIMIT $2",
            PAYOUT_BATCH_COLUMNS,
        ))
        .bind(id_text(entity))
        .bind(limit)
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(payout_batch_of).collect()
    }

    async fn payout_lines(&mut self, batch: &str) -> crate::Result<Vec<PayoutLineRecord>> {
        let rows = query(select(
            "SELECT {} FROM payout_lines WHERE batch_id = $1 ORDER BY seq",
            PAYOUT_LINE_COLUMNS,
        ))
        .bind(batch)
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(payout_line_of).collect()
    }

    async fn pending_payout_lines(
        &mut self,
        entity: ensemble_domain::EntityId,
    ) -> crate::Result<Vec<PayoutLineRecord>> {
        let rows = query(select(
            "SELECT {} FROM payout_lines
             WHERE status = 'pending'
               AND batch_id IN (SELECT id FROM payout_batches WHERE entity_id = $1 AND status = 'pending')
             ORDER BY batch_id, seq",
            PAYOUT_LINE_COLUMNS,
        ))
        .bind(entity.to_string())
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(payout_line_of).collect()
    }

    async fn settle_payout_line(
        &mut self,
        id: &str,
        status: &str,
        bank_line: Option<&str>,
        at: crate::Micros,
    ) -> crate::Result<bool> {
        let done = query(
            "UPDATE payout_lines SET status = $1, bank_line = $2, settled_at = $3
             WHERE id = $4 AND status = 'pending'",
        )
        .bind(status)
        .bind(bank_line)
        .bind(at)
        .bind(id)
        .execute(&mut *self.tx)
        .await
        .map_err(|err| db_err(err, "that payout line"))?;
        Ok(done.rows_affected() == 1)
    }

    async fn settle_payout_batch(
        &mut self,
        id: &str,
        status: &str,
        rejection: Option<&str>,
        by: Option<ensemble_domain::UserId>,
        at: crate::Micros,
    ) -> crate::Result<()> {
        let done = query(
            "UPDATE payout_batches SET status = $1, rejection = $2, settled_by = $3, settled_at = $4
             WHERE id = $5 AND status = 'pending'",
        )
        .bind(status)
        .bind(rejection)
        .bind(id_text(by))
        .bind(at)
        .bind(id)
        .execute(&mut *self.tx)
        .await
        .map_err(|err| db_err(err, "that payout batch"))?;
        if done.rows_affected() == 0 {
            let current = self.payout_batch(id).await?;
            return Err(crate::StoreError::Conflict(format!(
                "payout batch {} is {}, not pending",
                current.message_id, current.status
            )));
        }
        Ok(())
    }

    async fn salaries_due(
        &mut self,
        entity: ensemble_domain::EntityId,
        until: jiff::civil::Date,
    ) -> crate::Result<Vec<PayslipRecord>> {
        let month = format!("{:04}-{:02}", until.year(), until.month());
        let rows = query(select(
            "SELECT {} FROM payslips p
             WHERE p.entity_id = $1 AND p.month <= $2 AND p.net_paid_cents > 0
               AND NOT EXISTS (SELECT 1 FROM payout_lines l
                               WHERE l.kind = 'salary' AND l.source_id = p.id AND l.status <> 'rejected')
             ORDER BY p.month, p.created_at, p.id",
            PAYSLIP_COLUMNS,
        ))
        .bind(entity.to_string())
        .bind(month)
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(payslip_of).collect()
    }

    async fn expenses_due(
        &mut self,
        entity: ensemble_domain::EntityId,
    ) -> crate::Result<Vec<ensemble_domain::expense::ExpenseClaim>> {
        let rows = query(select(
            "SELECT {} FROM expense_claims c
             WHERE c.entity_id = $1 AND c.status IN ('approved', 'reimbursed') AND c.total_cents > 0
               AND NOT EXISTS (SELECT 1 FROM payout_lines l
                               WHERE l.kind = 'expense' AND l.source_id = c.id AND l.status <> 'rejected')
             ORDER BY COALESCE(c.decided_at, c.created_at), c.id",
            EXPENSE_COLUMNS,
        ))
        .bind(entity.to_string())
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(expense_claim_of).collect()
    }

    async fn bank_statement_id(
        &mut self,
        account_iban: &str,
        statement_id: &str,
    ) -> crate::Result<Option<String>> {
        let row = query(
            "SELECT id FROM bank_statements WHERE account_iban = $1 AND statement_id = $2",
        )
        .bind(account_iban)
        .bind(statement_id)
        .fetch_optional(&mut *self.tx)
        .await?;
        row.map(|r| col(&r, "bank_statements", "id")).transpose()
    }

    async fn insert_bank_statement(&mut self, s: &BankStatementRecord) -> crate::Result<()> {
        query(
            "INSERT INTO bank_statements (id, entity_id, account_iban, statement_id, message_id, version, currency, opening_cents, closing_cents, closing_date, entries, file_sha256, imported_by, imported_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(&s.id)
        .bind(s.entity_id.to_string())
        .bind(&s.account_iban)
        .bind(&s.statement_id)
        .bind(&s.message_id)
        .bind(&s.version)
        .bind(&s.currency)
        .bind(s.opening.cents())
        .bind(s.closing.cents())
        .bind(crate::date_text(s.closing_date))
        .bind(s.entries)
        .bind(&s.file_sha256)
        .bind(s.imported_by.to_string())
        .bind(s.imported_at)
        .execute(&mut *self.tx)
        .await
        .map_err(|err| db_err(err, "that statement"))?;
        Ok(())
    }

    async fn known_bank_lines(&mut self, fingerprints: &[String]) -> crate::Result<Vec<String>> {
        let mut known = Vec::new();
        for chunk in fingerprints.chunks(500) {
            let placeholders: Vec<String> = (1..=chunk.len()).map(|k| format!("${k}")).collect();
            // Only placeholders are spliced in: the statement holds no input.
            let sql = format!(
                "SELECT fingerprint FROM bank_lines WHERE fingerprint IN ({})",
                placeholders.join(", ")
            );
            let mut q = query(AssertSqlSafe(sql));
            for f in chunk {
                q = q.bind(f);
            }
            for r in q.fetch_all(&mut *self.tx).await? {
                known.push(col::<String>(&r, "bank_lines", "fingerprint")?);
            }
        }
        Ok(known)
    }

    async fn insert_bank_lines(&mut self, lines: &[BankLineRecord]) -> crate::Result<()> {
        for chunk in lines.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO bank_lines ({BANK_LINE_COLUMNS}) VALUES {}",
                value_rows(chunk.len(), 20)
            );
            let mut q = query(AssertSqlSafe(sql));
            for l in chunk {
                q = q
                    .bind(&l.fingerprint)
                    .bind(l.entity_id.to_string())
                    .bind(&l.statement_id)
                    .bind(l.entry)
                    .bind(l.transaction_no)
                    .bind(&l.direction)
                    .bind(l.amount.cents())
                    .bind(&l.currency)
                    .bind(crate::date_text(l.booking_date))
                    .bind(l.counterparty_name.clone())
                    .bind(l.counterparty_iban.clone())
                    .bind(to_json(&l.creditor_references))
                    .bind(&l.remittance)
                    .bind(l.end_to_end_id.clone())
                    .bind(l.payment_information_id.clone())
                    .bind(&l.status)
                    .bind(l.method.clone())
                    .bind(l.confidence)
                    .bind(l.excess.cents())
                    .bind(l.created_at);
            }
            q.execute(&mut *self.tx)
                .await
                .map_err(|err| db_err(err, "a statement line with one of those fingerprints"))?;
        }
        Ok(())
    }

    async fn bank_line(&mut self, fingerprint: &str) -> crate::Result<BankLineRecord> {
        let row = query(select("SELECT {} FROM bank_lines WHERE fingerprint = $1", BANK_LINE_COLUMNS))
            .bind(fingerprint)
            .fetch_optional(&mut *self.tx)
            .await?;
        row.as_ref()
            .map(bank_line_of)
            .transpose()?
            .ok_or_else(|| not_found("statement line", fingerprint))
    }

    async fn update_bank_line(&mut self, l: &BankLineRecord, expected: &str) -> crate::Result<()> {
        let done = query(
            "UPDATE bank_lines SET status = $1, method = $2, confidence = $3, excess_cents = $4
             WHERE fingerprint = $5 AND status = $6",
        )
        .bind(&l.status)
        .bind(l.method.clone())
        .bind(l.confidence)
        .bind(l.excess.cents())
        .bind(&l.fingerprint)
        .bind(expected)
        .execute(&mut *self.tx)
        .await
        .map_err(|err| db_err(err, "that statement line"))?;
        if done.rows_affected() == 0 {
            let current = self.bank_line(&l.fingerprint).await?;
            return Err(crate::StoreError::Conflict(format!(
                "statement line {} is {} now, not {expected}",
                l.fingerprint, current.status
            )));
        }
        Ok(())
    }

    async fn insert_line_match(&mut self, m: &LineMatchRecord) -> crate::Result<()> {
        query(
            "INSERT INTO bank_line_matches (id, line_fingerprint, invoice_id, amount_cents, method, confidence, matched_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&m.id)
        .bind(&m.line_fingerprint)
        .bind(m.invoice_id.to_string())
        .bind(m.amount.cents())
        .bind(&m.method)
        .bind(m.confidence)
        .bind(id_text(m.matched_by))
        .bind(m.created_at)
        .execute(&mut *self.tx)
        .await
        .map_err(|err| db_err(err, "a payment of that line to that invoice"))?;
        Ok(())
    }

    async fn insert_line_matches(&mut self, matches: &[LineMatchRecord]) -> crate::Result<()> {
        for chunk in matches.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO bank_line_matches ({LINE_MATCH_COLUMNS}) VALUES {}",
                value_rows(chunk.len(), 8)
            );
            let mut q = query(AssertSqlSafe(sql));
            for m in chunk {
                q = q
                    .bind(&m.id)
                    .bind(&m.line_fingerprint)
                    .bind(m.invoice_id.to_string())
                    .bind(m.amount.cents())
                    .bind(&m.method)
                    .bind(m.confidence)
                    .bind(id_text(m.matched_by))
                    .bind(m.created_at);
            }
            q.execute(&mut *self.tx)
                .await
                .map_err(|err| db_err(err, "a payment of one of those lines to that invoice"))?;
        }
        Ok(())
    }

    async fn insert_manual_payment(&mut self, p: &ManualPaymentRecord) -> crate::Result<()> {
        let sql = format!(
            "INSERT INTO manual_payments ({MANUAL_PAYMENT_COLUMNS}) VALUES {}",
            value_rows(1, 10)
        );
        query(AssertSqlSafe(sql))
            .bind(&p.id)
            .bind(p.entity_id.to_string())
            .bind(p.invoice_id.to_string())
            .bind(p.amount.cents())
            .bind(p.excess.cents())
            .bind(crate::date_text(p.paid_on))
            .bind(&p.method)
            .bind(&p.reference)
            .bind(p.recorded_by.to_string())
            .bind(p.created_at)
            .execute(&mut *self.tx)
            .await
            .map_err(|err| db_err(err, &format!("a payment with the reference {}", p.reference)))?;
        Ok(())
    }

    async fn manual_payments(
        &mut self,
        invoice: ensemble_domain::InvoiceId,
    ) -> crate::Result<Vec<ManualPaymentRecord>> {
        let rows = query(select(
            "SELECT {} FROM manual_payments WHERE invoice_id = $1 ORDER BY created_at, id",
            MANUAL_PAYMENT_COLUMNS,
        ))
        .bind(invoice.to_string())
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(manual_payment_of).collect()
    }

    async fn line_matches(&mut self, fingerprint: &str) -> crate::Result<Vec<LineMatchRecord>> {
        let rows = query(select(
            "SELECT {} FROM bank_line_matches WHERE line_fingerprint = $1 ORDER BY created_at, id",
            LINE_MATCH_COLUMNS,
        ))
        .bind(fingerprint)
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(line_match_of).collect()
    }

    async fn invoice_payments(
        &mut self,
        invoice: ensemble_domain::InvoiceId,
    ) -> crate::Result<Vec<LineMatchRecord>> {
        let rows = query(select(
            "SELECT {} FROM bank_line_matches WHERE invoice_id = $1 ORDER BY created_at, id",
            LINE_MATCH_COLUMNS,
        ))
        .bind(invoice.to_string())
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(line_match_of).collect()
    }

    async fn open_invoices(
        &mut self,
        entity: ensemble_domain::EntityId,
    ) -> crate::Result<Vec<OpenInvoiceRow>> {
        let sql = format!(
            "{OPEN_INVOICE_SELECT}
             WHERE i.entity_id = $1 AND i.status = 'issued'
               AND i.total_cents - COALESCE(p.paid, 0) > 0
             ORDER BY i.due_date, i.number"
        );
        let rows = query(AssertSqlSafe(sql))
            .bind(entity.to_string())
            .fetch_all(&mut *self.tx)
            .await?;
        rows.iter().map(open_invoice_of).collect()
    }

    async fn invoice_balance(
        &mut self,
        invoice: ensemble_domain::InvoiceId,
    ) -> crate::Result<OpenInvoiceRow> {
        let sql = format!("{OPEN_INVOICE_SELECT} WHERE i.id = $1");
        let row = query(AssertSqlSafe(sql))
            .bind(invoice.to_string())
            .fetch_optional(&mut *self.tx)
            .await?;
        row.as_ref()
            .map(open_invoice_of)
            .transpose()?
            .ok_or_else(|| not_found("invoice", invoice))
    }

    async fn set_invoice_status(
        &mut self,
        invoice: ensemble_domain::InvoiceId,
        status: &str,
    ) -> crate::Result<()> {
        query("UPDATE invoices SET status = $1 WHERE id = $2")
            .bind(status)
            .bind(invoice.to_string())
            .execute(&mut *self.tx)
            .await
            .map_err(|err| db_err(err, "that invoice"))?;
        Ok(())
    }

    async fn set_invoices_status(
        &mut self,
        invoices: &[ensemble_domain::InvoiceId],
        status: &str,
    ) -> crate::Result<()> {
        for chunk in invoices.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "UPDATE invoices SET status = $1 WHERE id IN ({})",
                placeholders(2, chunk.len())
            );
            let mut q = query(AssertSqlSafe(sql)).bind(status);
            for id in chunk {
                q = q.bind(id.to_string());
            }
            q.execute(&mut *self.tx)
                .await
                .map_err(|err| db_err(err, "those invoices"))?;
        }
        Ok(())
    }

    async fn enqueue_bank_lines(
        &mut self,
        entity: ensemble_domain::EntityId,
        items: &[NewQueueItem],
        at: crate::Micros,
    ) -> crate::Result<()> {
        for chunk in items.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO reconciliation_queue (line_fingerprint, entity_id, reason, suggestions, queued_at) VALUES {}",
                value_rows(chunk.len(), 5)
            );
            let mut q = query(AssertSqlSafe(sql));
            for item in chunk {
                q = q
                    .bind(&item.fingerprint)
                    .bind(entity.to_string())
                    .bind(&item.reason)
                    .bind(to_json(&item.suggestions))
                    .bind(at);
            }
            q.execute(&mut *self.tx)
                .await
                .map_err(|err| db_err(err, "one of those lines in the queue"))?;
        }
        Ok(())
    }

    async fn reconciliation_queue(
        &mut self,
        entity: Option<ensemble_domain::EntityId>,
        open_only: bool,
        limit: i64,
    ) -> crate::Result<Vec<QueueRecord>> {
        let sql = format!(
            "SELECT {BANK_LINE_COLUMNS}, q.reason, q.suggestions, q.queued_at, q.resolution, q.resolved_by, q.resolved_at
             FROM reconciliation_queue q JOIN bank_lines l ON l.fingerprint = q.line_fingerprint
             WHERE (CAST($1 AS TEXT) IS NULL OR q.entity_id = $1)
               AND ($2 = 0 OR q.resolved_at IS NULL)
             ORDER BY q.queued_at, l.booking_date, q.line_fingerprint LIMIT $3"
        )
        .replace("fingerprint, entity_id,", "l.fingerprint, l.entity_id,");
        let rows = query(AssertSqlSafe(sql))
            .bind(id_text(entity))
            .bind(i64::from(open_only))
            .bind(limit)
            .fetch_all(&mut *self.tx)
            .await?;
        rows.iter().map(queue_of).collect()
    }

    async fn queue_item(&mut self, fingerprint: &str) -> crate::Result<QueueRecord> {
        let sql = format!(
            "SELECT {BANK_LINE_COLUMNS}, q.reason, q.suggestions, q.queued_at, q.resolution, q.resolved_by, q.resolved_at
             FROM reconciliation_queue q JOIN bank_lines l ON l.fingerprint = q.line_fingerprint
             WHERE q.line_fingerprint = $1"
        )
        .replace("fingerprint, entity_id,", "l.fingerprint, l.entity_id,");
        let row = query(AssertSqlSafe(sql))
            .bind(fingerprint)
            .fetch_optional(&mut *self.tx)
            .await?;
        row.as_ref()
            .map(queue_of)
            .transpose()?
            .ok_or_else(|| not_found("queued statement line", fingerprint))
    }

    async fn resolve_queue_item(
        &mut self,
        fingerprint: &str,
        resolution: &str,
        by: ensemble_domain::UserId,
        at: crate::Micros,
    ) -> crate::Result<()> {
        let done = query(
            "UPDATE reconciliation_queue SET resolution = $1, resolved_by = $2, resolved_at = $3
             WHERE line_fingerprint = $4 AND resolved_at IS NULL",
        )
        .bind(resolution)
        .bind(by.to_string())
        .bind(at)
        .bind(fingerprint)
        .execute(&mut *self.tx)
        .await
        .map_err(|err| db_err(err, "that queued line"))?;
        if done.rows_affected() == 0 {
            let item = self.queue_item(fingerprint).await?;
            return Err(crate::StoreError::Conflict(format!(
                "statement line {fingerprint} was {} already",
                item.resolution.unwrap_or_default()
            )));
        }
        Ok(())
    }
}
