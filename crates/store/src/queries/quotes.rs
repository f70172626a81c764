// The quotes feature's queries, written once for both databases (see core.rs for the rules).

const QUOTE_COLUMNS: &str = "id, number, entity_id, activity_id, client_id, member_id, title, issue_date, valid_until, lang, lines, subtotals, net_cents, vat_cents, total_cents, status, rejection, decided_on, client_name, client_comment, invoice_id";

fn quote_of(r: &DbRow) -> crate::Result<ensemble_domain::quote::Quote> {
    use ensemble_domain::quote::{ClientDecision, Quote, QuoteStatus};
    const T: &str = "quotes";
    let decided_on: Option<jiff::civil::Date> = parsed_opt(r, T, "decided_on")?;
    Ok(Quote {
        id: parsed(r, T, "id")?,
        number: parsed(r, T, "number")?,
        entity_id: parsed(r, T, "entity_id")?,
        activity_id: parsed(r, T, "activity_id")?,
        client_id: parsed(r, T, "client_id")?,
        member_id: parsed(r, T, "member_id")?,
        title: col(r, T, "title")?,
        issue_date: parsed(r, T, "issue_date")?,
        valid_until: parsed(r, T, "valid_until")?,
        lang: parsed(r, T, "lang")?,
        lines: json(r, T, "lines")?,
        totals: ensemble_domain::invoice::InvoiceTotals {
            net: money(r, T, "net_cents")?,
            vat: money(r, T, "vat_cents")?,
            with_vat: money(r, T, "total_cents")?,
            subtotals: json(r, T, "subtotals")?,
        },
        status: parsed::<QuoteStatus>(r, T, "status")?,
        rejection: col(r, T, "rejection")?,
        decision: decided_on
            .map(|on| {
                Ok::<_, crate::StoreError>(ClientDecision {
                    on,
                    name: col(r, T, "client_name")?,
                    comment: col(r, T, "client_comment")?,
                })
            })
            .transpose()?,
        invoice_id: parsed_opt(r, T, "invoice_id")?,
    })
}

#[async_trait::async_trait]
impl crate::QuoteTx for BackendTx {
    async fn insert_quote(
        &mut self,
        q: &ensemble_domain::quote::Quote,
        by: ensemble_domain::UserId,
        at: crate::Micros,
    ) -> crate::Result<()> {
        let decision = q.decision.as_ref();
        query(
            "INSERT INTO quotes (id, number, entity_id, activity_id, client_id, member_id, title, issue_date, valid_until, lang, lines, subtotals, net_cents, vat_cents, total_cents, status, rejection, decided_on, client_name, client_comment, invoice_id, token_hash, created_by, created_at, updated_by, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, NULL, $22, $23, $22, $23)",
        )
        .bind(q.id.to_string())
        .bind(q.number.to_string())
        .bind(q.entity_id.to_string())
        .bind(q.activity_id.to_string())
        .bind(q.client_id.to_string())
        .bind(q.member_id.to_string())
        .bind(&q.title)
        .bind(crate::date_text(q.issue_date))
        .bind(crate::date_text(q.valid_until))
        .bind(q.lang.code())
        .bind(to_json(&q.lines))
        .bind(to_json(&q.totals.subtotals))
        .bind(q.totals.net.cents())
        .bind(q.totals.vat.cents())
        .bind(q.totals.with_vat.cents())
        .bind(q.status.code())
        .bind(q.rejection.clone())
        .bind(decision.map(|d| crate::date_text(d.on)))
        .bind(decision.and_then(|d| d.name.clone()))
        .bind(decision.and_then(|d| d.comment.clone()))
        .bind(id_text(q.invoice_id))
        .bind(by.to_string())
        .bind(at)
        .execute(&mut *self.tx)
        .await
        .map_err(|err| db_err(err, "a quote with that number"))?;
        Ok(())
    }

    async fn quote(&mut self, id: ensemble_domain::QuoteId) -> crate::Result<ensemble_domain::quote::Quote> {
        let row = query(select("SELECT {} FROM quotes WHERE id = $1", QUOTE_COLUMNS))
            .bind(id.to_string())
            .fetch_optional(&mut *self.tx)
            .await?;
        row.as_ref().map(quote_of).transpose()?.ok_or_else(|| not_found("quote", id))
    }

    async fn quote_by_token(&mut self, token_hash: &str) -> crate::Result<Option<ensemble_domain::quote::Quote>> {
        let row = query(select("SELECT {} FROM quotes WHERE token_hash = $1", QUOTE_COLUMNS))
            .bind(token_hash)
            .fetch_optional(&mut *self.tx)
            .await?;
        row.as_ref().map(quote_of).transpose()
    }

    async fn quotes(&mut self, f: &Filter) -> crate::Result<Vec<ensemble_domain::quote::Quote>> {
        let rows = query(select(
            "SELECT {} FROM quotes
             WHERE (CAST($1 AS TEXT) IS NULL OR entity_id = $1)
               AND (CAST($2 AS TEXT) IS NULL OR activity_id = $2)
               AND (CAST($3 AS TEXT) IS NULL OR activity_id IN (SELECT activity_id FROM activity_members WHERE member_id = $3))
               AND (CAST($4 AS TEXT) IS NULL OR status = $4)
             ORDER BY created_at, number LIMIT $5",
            QUOTE_COLUMNS,
        ))
        .bind(id_text(f.entity))
        .bind(id_text(f.activity))
        .bind(id_text(f.member))
        .bind(f.status.clone())
        .bind(f.limit())
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(quote_of).collect()
    }

    async fn update_quote(
        &mut self,
        q: &ensemble_domain::quote::Quote,
        expected: ensemble_domain::quote::QuoteStatus,
        token_hash: Option<&str>,
        by: Option<ensemble_domain::UserId>,
        at: crate::Micros,
    ) -> crate::Result<()> {
        let decision = q.decision.as_ref();
        let done = query(
            "UPDATE quotes SET title = $1, issue_date = $2, valid_until = $3, lang = $4, lines = $5, subtotals = $6,
                net_cents = $7, vat_cents = $8, total_cents = $9, status = $10, rejection = $11, decided_on = $12,
                client_name = $13, client_comment = $14, invoice_id = $15,
                token_hash = COALESCE(CAST($16 AS TEXT), token_hash), updated_by = $17, updated_at = $18
             WHERE id = $19 AND status = $20 AND (invoice_id IS NULL OR invoice_id = $15)",
        )
        .bind(&q.title)
        .bind(crate::date_text(q.issue_date))
        .bind(crate::date_text(q.valid_until))
        .bind(q.lang.code())
        .bind(to_json(&q.lines))
        .bind(to_json(&q.totals.subtotals))
        .bind(q.totals.net.cents())
        .bind(q.totals.vat.cents())
        .bind(q.totals.with_vat.cents())
        .bind(q.status.code())
        .bind(q.rejection.clone())
        .bind(decision.map(|d| crate::date_text(d.on)))
        .bind(decision.and_then(|d| d.name.clone()))
        .bind(decision.and_then(|d| d.comment.clone()))
        .bind(id_text(q.invoice_id))
        .bind(token_hash)
        .bind(id_text(by))
        .bind(at)
        .bind(q.id.to_string())
        .bind(expected.code())
        .execute(&mut *self.tx)
        .await
        .map_err(|err| db_err(err, "that quote"))?;
        if done.rows_affected() == 0 {
            let current = self.quote(q.id).await?;
            return Err(crate::StoreError::Conflict(format!(
                "quote {} is {} now",
                current.number, current.status
            )));
        }
        Ok(())
    }
}
