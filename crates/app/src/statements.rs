//! Bank statements in: a camt.053 file (`.08` or `.02`) imported in one transaction.
//!
//! 1. The file is read whole (`ensemble_banking::camt053::read`); a malformed file is refused
//!    with the element and the rule (`Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/Amt: …`) and
//!    nothing is written.
//! 2. Each statement belongs to the entity whose IBAN is its account's.
//! 3. Every booked line (reversals excepted) has a fingerprint; a line whose fingerprint is
//!    recorded already is skipped, so importing the same statement twice — or two statements
//!    that overlap — changes nothing.
//! 4. Credit lines are matched against the entity's open invoices
//!    (`ensemble_banking::reconcile`): a match records payments (money given to invoices) and
//!    marks the invoices paid in full as `paid`; an unmatched line goes to the staff queue with
//!    the reason and the matcher's suggestions, where a person assigns it to invoices by hand
//!    ([`App::assign_bank_line`]) or dismisses it ([`App::dismiss_bank_line`]).
//!
//!    **In the books**, a matched line is a payment (bank → client, see [`crate::ledger`]).
//!    An unmatched line in euros is posted bank → suspense (PCG 471, PCMN 499 "comptes
//!    d'attente", event `unid-…`) in the import's transaction, so that the bank account in
//!    the books moves as the statement does. Assigning it later posts the normal payment
//!    postings from the suspense account instead of the bank (suspense → client, the VAT and
//!    budget shares, the fund's repayment). Dismissing it ("not a client's payment": a refund
//!    to make, a transfer between accounts, money for another entity) leaves it in suspense:
//!    the suspense balance is the list of such lines, and the accountant books each where it
//!    belongs with an adjustment (a refund paid out clears it against the bank). A line in
//!    another currency is not posted (the books are in euros) and, if assigned, pays from the
//!    bank as before; so do lines queued before the suspense account existed.
//! 5. Debit lines confirm the pending transfers of payout batches: by the batch's `PmtInfId`
//!    (or its message id) with the amount of its pending transfers, or by each transfer's
//!    `EndToEndId` with its amount. A batch whose every transfer is confirmed is `confirmed`.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::time::{Duration, Instant};

use ensemble_banking::camt053::{self, CreditDebit, Entry, EntryStatus, Statement, Transaction};
use ensemble_banking::reconcile::{FingerprintInput, LineFingerprint, Outcome};
use ensemble_banking::{MatcherConfig, OpenInvoice, StatementLine, reconcile, statement_lines};
use ensemble_domain::coop::CooperativeEntity;
use ensemble_domain::{EntityId, Invalid, InvoiceId, Money};
use ensemble_store::banking::{
    BankLineRecord, BankStatementRecord, LineMatchRecord, NewQueueItem, PayoutLineRecord,
    QueueRecord,
};
use ensemble_store::{StoreError, Tx};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::access::require_role;
use crate::auth::hex;
use crate::idempotency::{remember, replay};
use crate::payouts::TREASURY;
use crate::{Actor, App, AppError, AppResult, Idempotency, postings};

/// What an import did, statement by statement.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StatementImport {
    /// `camt.053.001.08` or `camt.053.001.02`.
    pub version: String,
    pub message_id: String,
    pub statements: Vec<ImportedStatement>,
}

/// One statement of an import.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImportedStatement {
    /// The statement's row (the first import's, when it was imported before).
    pub id: String,
    pub entity_id: Option<EntityId>,
    /// The bank's statement id.
    pub statement_id: String,
    /// The statement was imported before (its new lines, if any, are still added).
    pub already_imported: bool,
    /// Booked lines recorded by this import.
    pub new_lines: usize,
    /// Booked lines skipped: recorded already.
    pub known_lines: usize,
    /// Credit lines matched to invoices.
    pub matched: usize,
    /// Credit lines put in the staff queue.
    pub queued: usize,
    /// Debit lines that confirmed payout transfers.
    pub payout_lines: usize,
    /// Other lines (fees, other debits).
    pub other_lines: usize,
    /// The payments recorded.
    pub payments: Vec<LineMatchRecord>,
    /// Invoices now paid in full.
    pub invoices_paid: Vec<InvoiceId>,
    /// Payout transfers confirmed, by id.
    pub payouts_confirmed: Vec<String>,
    /// Payout batches now confirmed in full, by id.
    pub batches_confirmed: Vec<String>,
}

/// How long each phase of an import took (for `ensemble bench reconcile`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportPhases {
    /// Reading the XML.
    pub parse: Duration,
    /// Loading the open invoices and the known fingerprints.
    pub load: Duration,
    /// The matcher itself.
    pub matching: Duration,
    /// Writing the lines, payments, queue and invoice statuses.
    pub write: Duration,
    pub commit: Duration,
}

/// A line assigned to invoices by hand: the line's money goes to them in this order, each
/// getting at most what it still owes; what is left is recorded as an overpayment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    pub invoice_ids: Vec<InvoiceId>,
}

/// A queued line dismissed: not a client's payment (a refund, a transfer between accounts…).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Dismissal {
    pub reason: String,
}

/// A queued line after a person dealt with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Resolution {
    pub item: QueueRecord,
    pub payments: Vec<LineMatchRecord>,
    pub invoices_paid: Vec<InvoiceId>,
}

/// The snake_case code serde gives a value (`creditor_reference`, `no_candidate`…).
fn code<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn direction_code(d: CreditDebit) -> &'static str {
    match d {
        CreditDebit::Credit => "credit",
        CreditDebit::Debit => "debit",
    }
}

impl App {
    /// Imports a camt.053 file (accountants and administrators); see the module documentation.
    pub async fn import_statement(
        &self,
        actor: &Actor,
        file: &[u8],
        idem: Option<&Idempotency>,
    ) -> AppResult<StatementImport> {
        self.import_statement_timed(actor, file, idem)
            .await
            .map(|(r, _)| r)
    }

    /// [`App::import_statement`], with the time each phase took.
    pub async fn import_statement_timed(
        &self,
        actor: &Actor,
        file: &[u8],
        idem: Option<&Idempotency>,
    ) -> AppResult<(StatementImport, ImportPhases)> {
        require_role(actor, TREASURY)?;
        let mut phases = ImportPhases::default();
        let started = Instant::now();
        let document = camt053::read(file)
            .map_err(|e| AppError::Invalid(Invalid::new("file", e.to_string())))?;
        phases.parse = started.elapsed();
        let file_sha256 = hex(&Sha256::digest(file));

        let mut tx = self.store.write().await?;
        if let Some(previous) = replay(&mut *tx, actor, "import_statement", idem).await? {
            return Ok((previous, phases));
        }
        let entities = tx.entities().await?;
        let at = self.clock.micros();
        let mut result = StatementImport {
            version: match document.version {
                camt053::CamtVersion::V02 => "camt.053.001.02".into(),
                camt053::CamtVersion::V08 => "camt.053.001.08".into(),
            },
            message_id: document.message_id.clone(),
            statements: Vec::new(),
        };
        for (k, statement) in document.statements.iter().enumerate() {
            let owners: Vec<&CooperativeEntity> = entities
                .iter()
                .filter(|e| e.iban == statement.account.iban)
                .collect();
            if owners.len() > 1 {
                let names: Vec<&str> = owners.iter().map(|e| e.name.as_str()).collect();
                return Err(AppError::Invalid(Invalid::new(
                    "file",
                    format!(
                        "Document/BkToCstmrStmt/Stmt[{}]/Acct/Id/IBAN: {} is the account of several entities ({}): give each entity its own account",
                        k + 1,
                        statement.account.iban,
                        names.join(", ")
                    ),
                )));
            }
            let entity = owners
                .first()
                .ok_or_else(|| {
                    AppError::Invalid(Invalid::new(
                        "file",
                        format!(
                            "Document/BkToCstmrStmt/Stmt[{}]/Acct/Id/IBAN: {} is the account of no cooperative entity",
                            k + 1,
                            statement.account.iban
                        ),
                    ))
                })?;
            let imported = self
                .import_one(
                    &mut *tx,
                    actor,
                    entity.id,
                    statement,
                    &document.message_id,
                    &result.version,
                    &file_sha256,
                    at,
                    &mut phases,
                )
                .await?;
            result.statements.push(imported);
        }
        let started = Instant::now();
        remember(&mut *tx, actor, "import_statement", idem, &result, at).await?;
        tx.commit().await?;
        phases.commit = started.elapsed();
        Ok((result, phases))
    }

    #[allow(clippy::too_many_arguments)]
    async fn import_one(
        &self,
        tx: &mut dyn Tx,
        actor: &Actor,
        entity: EntityId,
        statement: &Statement,
        message_id: &str,
        version: &str,
        file_sha256: &str,
        at: i64,
        phases: &mut ImportPhases,
    ) -> AppResult<ImportedStatement> {
        let started = Instant::now();
        let account = statement.account.iban.to_string();
        let mut out = ImportedStatement {
            entity_id: Some(entity),
            statement_id: statement.id.clone(),
            ..ImportedStatement::default()
        };
        match tx.bank_statement_id(&account, &statement.id).await? {
            Some(id) => {
                out.id = id;
                out.already_imported = true;
            }
            None => {
                out.id = self.id().to_string();
                tx.insert_bank_statement(&BankStatementRecord {
                    id: out.id.clone(),
                    entity_id: entity,
                    account_iban: account.clone(),
                    statement_id: statement.id.clone(),
                    message_id: message_id.to_string(),
                    version: version.to_string(),
                    currency: statement.account.currency.to_string(),
                    opening: statement.opening_balance.amount,
                    closing: statement.closing_balance.amount,
                    closing_date: statement.closing_balance.date,
                    entries: i64::try_from(statement.entries.len()).unwrap_or(i64::MAX),
                    file_sha256: file_sha256.to_string(),
                    imported_by: actor.user,
                    imported_at: at,
                })
                .await?;
            }
        }

        let credits = statement_lines(statement);
        let debits = debit_lines(statement);
        let mut fingerprints: Vec<String> = credits
            .iter()
            .map(|l| l.fingerprint.to_hex())
            .chain(debits.iter().map(|d| d.fingerprint.to_hex()))
            .collect();
        let known: HashSet<String> = tx
            .known_bank_lines(&fingerprints)
            .await?
            .into_iter()
            .collect();
        fingerprints.clear();
        out.known_lines = known.len();
        let credits: Vec<StatementLine> = credits
            .into_iter()
            .filter(|l| !known.contains(&l.fingerprint.to_hex()))
            .collect();
        let debits: Vec<DebitLine> = debits
            .into_iter()
            .filter(|d| !known.contains(&d.fingerprint.to_hex()))
            .collect();
        let euro = statement.account.currency == camt053::Currency::EUR;
        let open = if euro && !credits.is_empty() {
            tx.open_invoices(entity).await?
        } else {
            Vec::new()
        };
        phases.load += started.elapsed();

        let started = Instant::now();
        let invoices: Vec<OpenInvoice> = open
            .iter()
            .map(|i| OpenInvoice {
                id: i.id,
                number: i.number,
                payment_reference: Some(i.payment_reference.clone()),
                outstanding: i.outstanding,
                client: i.client_id,
                client_name: i.client_name.clone(),
                issue_date: i.issue_date,
                due_date: i.due_date,
            })
            .collect();
        let matched = if euro {
            Some(reconcile(&invoices, &credits, &MatcherConfig::default()))
        } else {
            None
        };
        phases.matching += started.elapsed();

        // The write phase collects every row first, then writes each table in multi-row
        // statements (see `ensemble_store::BankingTx::insert_bank_lines`), so that a
        // statement of 100 000 lines is a few hundred statements, not 400 000.
        let started = Instant::now();
        let mut lines: Vec<BankLineRecord> = Vec::with_capacity(credits.len() + debits.len());
        let mut matches: Vec<LineMatchRecord> = Vec::new();
        let mut queue: Vec<NewQueueItem> = Vec::new();
        let mut received: Vec<postings::Received> = Vec::new();
        let mut parked: Vec<postings::Parked> = Vec::new();
        for (l, line) in credits.iter().enumerate() {
            let fingerprint = line.fingerprint.to_hex();
            let transaction = line.origin.as_ref().and_then(|o| {
                let entry = statement.entries.get(o.entry.checked_sub(1)?)?;
                entry
                    .transactions
                    .get(o.transaction.map_or(0, |t| t.saturating_sub(1)))
            });
            let mut record = BankLineRecord {
                fingerprint: fingerprint.clone(),
                entity_id: entity,
                statement_id: out.id.clone(),
                entry: line
                    .origin
                    .as_ref()
                    .map_or(0, |o| i64::try_from(o.entry).unwrap_or(i64::MAX)),
                transaction_no: line
                    .origin
                    .as_ref()
                    .and_then(|o| o.transaction)
                    .map(|t| i64::try_from(t).unwrap_or(i64::MAX)),
                direction: "credit".into(),
                amount: line.amount,
                currency: statement.account.currency.to_string(),
                booking_date: line.booking_date,
                counterparty_name: line.counterparty_name.clone(),
                counterparty_iban: line.counterparty_iban.map(|i| i.to_string()),
                creditor_references: line.creditor_references.clone(),
                remittance: line.remittance.clone(),
                end_to_end_id: transaction.and_then(|t| t.references.end_to_end_id.clone()),
                payment_information_id: transaction
                    .and_then(|t| t.references.payment_information_id.clone()),
                status: "unmatched".into(),
                method: None,
                confidence: None,
                excess: Money::ZERO,
                created_at: at,
            };
            let outcome = matched
                .as_ref()
                .and_then(|m| m.lines.get(l))
                .map(|m| &m.outcome);
            match outcome {
                Some(Outcome::Matched {
                    method,
                    confidence,
                    allocations,
                    excess,
                }) => {
                    record.status = "matched".into();
                    record.method = Some(code(method));
                    record.confidence = Some(i64::from(confidence.value()));
                    record.excess = *excess;
                    for (k, a) in allocations.iter().enumerate() {
                        // The line's excess goes with its last payment: it stays on the
                        // client's account in the books.
                        let posted = if k + 1 == allocations.len() {
                            a.amount + *excess
                        } else {
                            a.amount
                        };
                        let payment = LineMatchRecord {
                            id: self.id().to_string(),
                            line_fingerprint: fingerprint.clone(),
                            invoice_id: a.invoice,
                            amount: a.amount,
                            method: code(method),
                            confidence: i64::from(confidence.value()),
                            matched_by: None,
                            created_at: at,
                        };
                        received.push(postings::Received {
                            invoice: a.invoice,
                            amount: posted,
                            paid_on: line.booking_date,
                            line: fingerprint.clone(),
                        });
                        if a.outstanding_after == Money::ZERO {
                            out.invoices_paid.push(a.invoice);
                        }
                        matches.push(payment.clone());
                        out.payments.push(payment);
                    }
                    out.matched += 1;
                }
                Some(Outcome::Unmatched {
                    reason,
                    suggestions,
                }) => {
                    let suggestions = serde_json::to_value(suggestions)
                        .map_err(|e| AppError::Internal(format!("suggestions: {e}")))?;
                    queue.push(NewQueueItem {
                        fingerprint: fingerprint.clone(),
                        reason: code(reason),
                        suggestions,
                    });
                    // The money is on the bank account: in the books it waits in the
                    // suspense account until a person assigns it.
                    parked.push(postings::Parked {
                        line: fingerprint.clone(),
                        amount: line.amount,
                        booked_on: line.booking_date,
                        document: format!("{}/{}", statement.id, record.entry),
                        payer: line.counterparty_name.clone().unwrap_or_default(),
                    });
                    out.queued += 1;
                }
                None => {
                    // Another currency: the books (in euros) do not take it as it is.
                    queue.push(NewQueueItem {
                        fingerprint: fingerprint.clone(),
                        reason: "foreign_currency".into(),
                        suggestions: serde_json::json!([]),
                    });
                    out.queued += 1;
                }
            }
            lines.push(record);
        }

        // Debits: the payout transfers they confirm.
        let mut pending = tx.pending_payout_lines(entity).await?;
        let mut taken: HashSet<usize> = HashSet::new();
        let mut touched: BTreeSet<String> = BTreeSet::new();
        for debit in &debits {
            let entry = &statement.entries[debit.entry - 1];
            let paid = payout_match(entry, &pending, &taken);
            let fingerprint = debit.fingerprint.to_hex();
            let first = entry.transactions.first();
            let record = BankLineRecord {
                fingerprint: fingerprint.clone(),
                entity_id: entity,
                statement_id: out.id.clone(),
                entry: i64::try_from(debit.entry).unwrap_or(i64::MAX),
                transaction_no: None,
                direction: direction_code(CreditDebit::Debit).into(),
                amount: entry.amount,
                currency: statement.account.currency.to_string(),
                booking_date: debit.booking_date,
                counterparty_name: first
                    .and_then(|t| t.creditor.as_ref())
                    .and_then(|p| p.name.clone()),
                counterparty_iban: first
                    .and_then(|t| t.creditor.as_ref())
                    .and_then(|p| p.iban)
                    .map(|i| i.to_string()),
                creditor_references: Vec::new(),
                remittance: entry_text(entry),
                end_to_end_id: first.and_then(|t| t.references.end_to_end_id.clone()),
                payment_information_id: entry
                    .batch
                    .as_ref()
                    .and_then(|b| b.payment_information_id.clone())
                    .or_else(|| first.and_then(|t| t.references.payment_information_id.clone())),
                status: if paid.is_empty() { "other" } else { "payout" }.into(),
                method: None,
                confidence: None,
                excess: Money::ZERO,
                created_at: at,
            };
            lines.push(record);
            if paid.is_empty() {
                out.other_lines += 1;
                continue;
            }
            out.payout_lines += 1;
            for k in paid {
                taken.insert(k);
                let line = &mut pending[k];
                if tx
                    .settle_payout_line(&line.id, "paid", Some(&fingerprint), at)
                    .await?
                {
                    line.status = "paid".into();
                    line.bank_line = Some(fingerprint.clone());
                    line.settled_at = Some(at);
                    postings::payout_posted(&mut *tx, at, line, debit.booking_date).await?;
                    out.payouts_confirmed.push(line.id.clone());
                    touched.insert(line.batch_id.clone());
                }
            }
        }
        tx.insert_bank_lines(&lines).await.map_err(line_conflict)?;
        tx.insert_line_matches(&matches).await?;
        tx.enqueue_bank_lines(entity, &queue, at).await?;
        tx.set_invoices_status(&out.invoices_paid, "paid").await?;
        postings::payments_received(&mut *tx, at, &received).await?;
        postings::credits_parked(&mut *tx, at, entity, &parked).await?;
        for batch in touched {
            let lines = tx.payout_lines(&batch).await?;
            if lines.iter().all(|l| l.status == "paid") {
                tx.settle_payout_batch(&batch, "confirmed", None, None, at)
                    .await?;
                out.batches_confirmed.push(batch);
            }
        }
        out.new_lines = credits.len() + debits.len();
        phases.write += started.elapsed();
        Ok(out)
    }

    /// The staff queue: the credit lines nothing matched, oldest first (open ones only unless
    /// `all`).
    pub async fn reconciliation_queue(
        &self,
        actor: &Actor,
        entity: Option<EntityId>,
        all: bool,
    ) -> AppResult<Vec<QueueRecord>> {
        require_role(actor, TREASURY)?;
        let mut tx = self.store.read().await?;
        Ok(tx.reconciliation_queue(entity, !all, 1000).await?)
    }

    /// Assigns a queued line to invoices by hand (accountants and administrators).
    pub async fn assign_bank_line(
        &self,
        actor: &Actor,
        fingerprint: &str,
        input: &Assignment,
        idem: Option<&Idempotency>,
    ) -> AppResult<Resolution> {
        require_role(actor, TREASURY)?;
        if input.invoice_ids.is_empty() {
            return Err(Invalid::new("invoice_ids", "name at least one invoice").into());
        }
        let mut tx = self.store.write().await?;
        if let Some(previous) = replay(&mut *tx, actor, "assign_bank_line", idem).await? {
            return Ok(previous);
        }
        let item = open_item(&mut *tx, fingerprint).await?;
        // A line the import parked in the suspense account pays from there.
        let source = postings::parked(&mut *tx, fingerprint).await?;
        let at = self.clock.micros();
        let mut left = item.line.amount;
        let mut payments = Vec::new();
        let mut invoices_paid = Vec::new();
        let mut seen = HashSet::new();
        for (k, id) in input.invoice_ids.iter().enumerate() {
            if !seen.insert(*id) {
                return Err(
                    Invalid::new("invoice_ids", format!("invoice {id} is named twice")).into(),
                );
            }
            let invoice = tx.invoice_balance(*id).await.map_err(|e| match e {
                StoreError::NotFound { .. } => {
                    AppError::Invalid(Invalid::new("invoice_ids", format!("no invoice {id}")))
                }
                other => other.into(),
            })?;
            let issued = tx.invoice(*id).await?;
            if issued.entity_id != item.line.entity_id {
                return Err(Invalid::new(
                    "invoice_ids",
                    format!("invoice {} is another entity's", invoice.number),
                )
                .into());
            }
            if issued.status.code() != "issued" || !invoice.outstanding.is_positive() {
                return Err(AppError::conflict(
                    "invoice_not_open",
                    format!(
                        "invoice {} is {} with {} outstanding: nothing to pay",
                        invoice.number, issued.status, invoice.outstanding
                    ),
                ));
            }
            if !left.is_positive() {
                return Err(Invalid::new(
                    "invoice_ids",
                    format!(
                        "the line's {} is spent before invoice {}",
                        item.line.amount, invoice.number
                    ),
                )
                .into());
            }
            let amount = left.min(invoice.outstanding);
            left -= amount;
            let payment = LineMatchRecord {
                id: self.id().to_string(),
                line_fingerprint: fingerprint.to_string(),
                invoice_id: *id,
                amount,
                method: "manual".into(),
                confidence: 100,
                matched_by: Some(actor.user),
                created_at: at,
            };
            tx.insert_line_match(&payment).await?;
            // What is left after the last invoice stays on the client's account.
            let posted = if k + 1 == input.invoice_ids.len() {
                amount + left
            } else {
                amount
            };
            postings::payment_received(
                &mut *tx,
                at,
                *id,
                posted,
                item.line.booking_date,
                fingerprint,
                source,
            )
            .await?;
            if amount == invoice.outstanding {
                tx.set_invoice_status(*id, "paid").await?;
                invoices_paid.push(*id);
            }
            payments.push(payment);
        }
        let mut line = item.line.clone();
        line.status = "assigned".into();
        line.method = Some("manual".into());
        line.confidence = Some(100);
        line.excess = left;
        tx.update_bank_line(&line, "unmatched")
            .await
            .map_err(moved)?;
        tx.resolve_queue_item(fingerprint, "assigned", actor.user, at)
            .await
            .map_err(moved)?;
        let result = Resolution {
            item: tx.queue_item(fingerprint).await?,
            payments,
            invoices_paid,
        };
        remember(&mut *tx, actor, "assign_bank_line", idem, &result, at).await?;
        tx.commit().await?;
        Ok(result)
    }

    /// Takes a queued line out of the queue without paying anything: it is no client's
    /// payment for an invoice (accountants and administrators). Its money stays in the
    /// suspense account of the books (see the module documentation).
    pub async fn dismiss_bank_line(
        &self,
        actor: &Actor,
        fingerprint: &str,
        input: &Dismissal,
    ) -> AppResult<Resolution> {
        require_role(actor, TREASURY)?;
        if input.reason.trim().is_empty() {
            return Err(Invalid::new("reason", "say why the line pays no invoice").into());
        }
        let mut tx = self.store.write().await?;
        let item = open_item(&mut *tx, fingerprint).await?;
        let at = self.clock.micros();
        let mut line = item.line.clone();
        line.status = "dismissed".into();
        line.method = Some(format!("dismissed: {}", input.reason.trim()));
        tx.update_bank_line(&line, "unmatched")
            .await
            .map_err(moved)?;
        tx.resolve_queue_item(fingerprint, "dismissed", actor.user, at)
            .await
            .map_err(moved)?;
        let result = Resolution {
            item: tx.queue_item(fingerprint).await?,
            payments: Vec::new(),
            invoices_paid: Vec::new(),
        };
        tx.commit().await?;
        Ok(result)
    }
}

/// An open queue item, or 404 / 409.
async fn open_item(tx: &mut dyn Tx, fingerprint: &str) -> AppResult<QueueRecord> {
    let item = tx.queue_item(fingerprint).await?;
    if let Some(resolution) = &item.resolution {
        return Err(AppError::conflict(
            "already_resolved",
            format!("statement line {fingerprint} was {resolution} already"),
        ));
    }
    Ok(item)
}

fn moved(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict(m) => AppError::conflict("already_resolved", m),
        other => other.into(),
    }
}

/// A line recorded by a concurrent import: retry.
fn line_conflict(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict(m) => AppError::conflict(
            "concurrent_import",
            format!("{m}: another import recorded it meanwhile; import the file again"),
        ),
        other => other.into(),
    }
}

/// A booked debit entry of a statement.
struct DebitLine {
    /// `Ntry` position, from 1.
    entry: usize,
    fingerprint: LineFingerprint,
    booking_date: jiff::civil::Date,
}

/// The booked debit entries (reversals excepted), one line per entry, with fingerprints laid
/// out as the credit lines' are (see `ensemble_banking::reconcile::fingerprint`).
fn debit_lines(statement: &Statement) -> Vec<DebitLine> {
    let mut occurrences: HashMap<LineFingerprint, u32> = HashMap::new();
    let mut lines = Vec::new();
    for (k, entry) in statement.entries.iter().enumerate() {
        if entry.status != EntryStatus::Booked
            || entry.direction != CreditDebit::Debit
            || entry.reversal
        {
            continue;
        }
        let booking_date = entry
            .booking_date
            .or(entry.value_date)
            .unwrap_or(statement.closing_balance.date);
        let first: Option<&Transaction> = entry.transactions.first();
        let transaction_reference = first.and_then(|t| {
            let r = &t.references;
            r.servicer_reference
                .as_deref()
                .or(r.transaction_id.as_deref())
                .or(r.end_to_end_id.as_deref().filter(|e| *e != "NOTPROVIDED"))
        });
        let counterparty = first.and_then(|t| t.creditor.as_ref()).and_then(|p| p.iban);
        let mut input = FingerprintInput {
            account: &statement.account.iban,
            direction: CreditDebit::Debit,
            amount: entry.amount,
            booking_date,
            value_date: entry.value_date,
            entry_reference: entry
                .servicer_reference
                .as_deref()
                .or(entry.reference.as_deref()),
            transaction_reference,
            counterparty_iban: counterparty.as_ref(),
            occurrence: 0,
        };
        let seen = occurrences.entry(LineFingerprint::of(&input)).or_insert(0);
        *seen += 1;
        input.occurrence = *seen;
        lines.push(DebitLine {
            entry: k + 1,
            fingerprint: LineFingerprint::of(&input),
            booking_date,
        });
    }
    lines
}

/// The free text of an entry: its transactions' remittance and additional information.
fn entry_text(entry: &Entry) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for t in &entry.transactions {
        parts.extend(t.remittance.unstructured.iter().map(String::as_str));
    }
    if let Some(info) = &entry.additional_info {
        parts.push(info);
    }
    parts.join(" ")
}

/// Which pending payout transfers a debit entry pays: the pending transfers of a payment
/// information block (`PmtInfId`, or every block of a message id) when their sum is the
/// entry's amount; else the transfers named by the entry's `EndToEndId`s, each with its
/// amount, when they add up to the entry's amount. Nothing otherwise.
fn payout_match(entry: &Entry, pending: &[PayoutLineRecord], taken: &HashSet<usize>) -> Vec<usize> {
    let free = |k: &usize| !taken.contains(k);
    let sum = |ks: &[usize]| -> i64 { ks.iter().map(|&k| pending[k].amount.cents()).sum() };
    let amount = entry.amount.cents();

    let mut block_ids: Vec<&str> = Vec::new();
    if let Some(b) = &entry.batch {
        block_ids.extend(b.payment_information_id.as_deref());
    }
    block_ids.extend(
        entry
            .transactions
            .iter()
            .filter_map(|t| t.references.payment_information_id.as_deref()),
    );
    block_ids.sort_unstable();
    block_ids.dedup();
    if !block_ids.is_empty() {
        let ks: Vec<usize> = (0..pending.len())
            .filter(free)
            .filter(|&k| block_ids.contains(&pending[k].payment_information_id.as_str()))
            .collect();
        if !ks.is_empty() && sum(&ks) == amount {
            return ks;
        }
    }
    let mut message_ids: Vec<&str> = Vec::new();
    if let Some(b) = &entry.batch {
        message_ids.extend(b.message_id.as_deref());
    }
    message_ids.extend(
        entry
            .transactions
            .iter()
            .filter_map(|t| t.references.message_id.as_deref()),
    );
    message_ids.sort_unstable();
    message_ids.dedup();
    if !message_ids.is_empty() {
        let ks: Vec<usize> = (0..pending.len())
            .filter(free)
            .filter(|&k| {
                let p = &pending[k].payment_information_id;
                message_ids
                    .iter()
                    .any(|m| p.strip_prefix(m).is_some_and(|rest| rest.starts_with('-')))
            })
            .collect();
        if !ks.is_empty() && sum(&ks) == amount {
            return ks;
        }
    }
    let single = entry.transactions.len() == 1;
    let mut ks = Vec::new();
    for t in &entry.transactions {
        let Some(e2e) = t.references.end_to_end_id.as_deref() else {
            continue;
        };
        let tx_amount = t.amount.map(|(m, _)| m).or(single.then_some(entry.amount));
        if let Some(k) = (0..pending.len())
            .filter(free)
            .find(|&k| pending[k].end_to_end_id == e2e && Some(pending[k].amount) == tx_amount)
        {
            ks.push(k);
        }
    }
    if !ks.is_empty() && sum(&ks) == amount {
        return ks;
    }
    Vec::new()
}
