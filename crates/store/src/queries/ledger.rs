// The ledger's queries, written once for both databases (see core.rs for the rules). The
// batch itself is validated by `ensemble_ledger::plan_batch`, against a view built from the
// rows the batch touches; the entity's journal head is locked first (`LOCK_ENTITY`, a
// PostgreSQL advisory lock; SQLite's writer already holds the database lock).

use std::collections::HashMap as LedgerMap;

use ensemble_ledger::{
    Account as LAccount, AccountFlags, AccountId as LAccountId, Balance as LBalance,
    EventId as LEventId, Hash32, JournalEntry, LedgerView, Phase, Posted, Posting,
    StoredTransfer, Transfer as LTransfer, TransferId,
};

use crate::ledger::{FundPolicy, PaymentRecord, PayoutRecord, Receivable, SalaryDue};

/// What a transaction knows of the ledger already, so that the postings of one use case (an
/// invoice, then its salary) read each account and the journal head once: the heads and
/// accounts it read or wrote while it held the entity's ledger (always on SQLite, whose writer
/// holds the database; after `LOCK_ENTITY` on PostgreSQL, which no other transaction's posting
/// passes until this one ends), and the fund policies it read. Only `post_ledger` writes
/// accounts and the journal; `raw_sql_for_tests` forgets everything.
///
/// On SQLite the writer also keeps a `LedgerShared` across its transactions: this cache is
/// what the transaction adds to it, merged in when the transaction commits.
#[derive(Default)]
pub struct LedgerCache {
    heads: LedgerMap<EntityId, Option<(u64, Hash32)>>,
    accounts: LedgerMap<LAccountId, (LAccount, LBalance)>,
    locked: Vec<EntityId>,
    policies: LedgerMap<EntityId, Option<FundPolicy>>,
    /// Accounts whose balance in `accounts` is not written yet (the SQLite writer writes them
    /// once per group commit: see `LedgerShared`).
    unwritten: Vec<LAccountId>,
    /// A ledger write failed part-way: the transaction must not commit.
    poisoned: bool,
    /// Entities whose fund policy this transaction changed.
    policies_changed: Vec<EntityId>,
}

impl LedgerCache {
    /// Whether what is read of `entity`'s ledger stays true until the transaction ends.
    fn holds(&self, entity: EntityId) -> bool {
        LOCK_ENTITY.is_none() || self.locked.contains(&entity)
    }

    fn forget(&mut self) {
        self.heads.clear();
        self.accounts.clear();
        self.policies.clear();
        self.unwritten.clear();
    }

    /// Refuses to commit a transaction whose ledger write failed part-way.
    fn check_whole(&self) -> crate::Result<()> {
        if self.poisoned {
            return Err(crate::StoreError::Conflict(
                "a ledger write failed in this transaction: it was rolled back".into(),
            ));
        }
        Ok(())
    }
}

/// What the SQLite writer knows of the ledger across its transactions (kept by
/// `lite::Writer`, which drops it whenever it could be untrue): the journal heads and
/// accounts its committed transactions read or wrote, and the accounts whose balances they
/// moved without writing them. Those are written once per database commit (`flush_ledger`)
/// instead of once per transaction: the entity's revenue, VAT and fund accounts move with
/// every declaration of a group. (PostgreSQL's transactions share nothing: there it is never
/// made.)
#[derive(Default)]
#[allow(dead_code)] // used by the SQLite backend only
pub struct LedgerShared {
    heads: LedgerMap<EntityId, Option<(u64, Hash32)>>,
    accounts: LedgerMap<LAccountId, (LAccount, LBalance)>,
    unwritten: std::collections::HashSet<LAccountId>,
    policies: LedgerMap<EntityId, Option<FundPolicy>>,
}

#[allow(dead_code)] // used by the SQLite backend only
impl LedgerShared {
    /// Takes in what a committed transaction read and wrote.
    fn merge(&mut self, cache: LedgerCache) {
        self.heads.extend(cache.heads);
        self.accounts.extend(cache.accounts);
        self.unwritten.extend(cache.unwritten);
        for entity in &cache.policies_changed {
            self.policies.remove(entity);
        }
        self.policies.extend(cache.policies);
    }
}

struct LedgerSnapshot {
    accounts: LedgerMap<LAccountId, (LAccount, LBalance)>,
    transfers: LedgerMap<TransferId, (LTransfer, u64, Option<TransferId>)>,
}

impl LedgerView for LedgerSnapshot {
    fn account(&self, id: &LAccountId) -> Option<(&LAccount, LBalance)> {
        self.accounts.get(id).map(|(a, b)| (a, *b))
    }

    fn transfer(&self, id: &TransferId) -> Option<StoredTransfer<'_>> {
        self.transfers.get(id).map(|(t, seq, by)| StoredTransfer {
            transfer: t,
            entry: *seq,
            resolved_by: by.as_ref(),
        })
    }
}

/// The statement that writes an account's balance.
fn balance_update(a: &LAccount, b: &LBalance) -> DbQuery {
    query(
        "UPDATE ledger_accounts SET debits_posted = $1, credits_posted = $2, debits_pending = $3, credits_pending = $4 WHERE id = $5",
    )
    .bind(b.debits_posted.cents())
    .bind(b.credits_posted.cents())
    .bind(b.debits_pending.cents())
    .bind(b.credits_pending.cents())
    .bind(a.id.to_string())
}

/// A serde enum's text (`"invoice_issued"`, `"sales"`).
fn enum_text<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn enum_parse<T: serde::de::DeserializeOwned>(
    table: &'static str,
    name: &str,
    text: &str,
) -> crate::Result<T> {
    serde_json::from_value(serde_json::Value::String(text.to_string()))
        .map_err(|e| corrupt(table, format!("{name} \"{text}\": {e}")))
}

fn date_col(r: &DbRow, table: &'static str, name: &str) -> crate::Result<jiff::civil::Date> {
    parsed(r, table, name)
}

fn placeholders(from: usize, count: usize) -> String {
    (from..from + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

const LEDGER_ACCOUNT_COLUMNS: &str = "id, kind, no_overdraft, no_overpayment, label, debits_posted, credits_posted, debits_pending, credits_pending";

fn ledger_account_of(r: &DbRow) -> crate::Result<(LAccount, LBalance)> {
    const T: &str = "ledger_accounts";
    let kind: String = col(r, T, "kind")?;
    Ok((
        LAccount {
            id: parsed(r, T, "id")?,
            kind: enum_parse(T, "kind", &kind)?,
            flags: AccountFlags {
                debits_must_not_exceed_credits: col(r, T, "no_overdraft")?,
                credits_must_not_exceed_debits: col(r, T, "no_overpayment")?,
            },
            label: col(r, T, "label")?,
        },
        LBalance {
            debits_posted: money(r, T, "debits_posted")?,
            credits_posted: money(r, T, "credits_posted")?,
            debits_pending: money(r, T, "debits_pending")?,
            credits_pending: money(r, T, "credits_pending")?,
        },
    ))
}

const LEDGER_TRANSFER_COLUMNS: &str = "t.id, t.seq, t.debit_account, t.credit_account, t.amount_cents, t.phase, t.pending_id, t.code, t.journal, t.event_id, t.date, t.document, t.document_date, t.label";

fn ledger_transfer_of(r: &DbRow) -> crate::Result<(LTransfer, u64)> {
    const T: &str = "ledger_transfers";
    let phase: String = col(r, T, "phase")?;
    let pending: Option<TransferId> = parsed_opt(r, T, "pending_id")?;
    let phase = match (phase.as_str(), pending) {
        ("single", None) => Phase::Single,
        ("pending", None) => Phase::Pending,
        ("post", Some(p)) => Phase::Post(p),
        ("void", Some(p)) => Phase::Void(p),
        (other, _) => return Err(corrupt(T, format!("phase \"{other}\" and its pending id"))),
    };
    let code: String = col(r, T, "code")?;
    let journal: String = col(r, T, "journal")?;
    let seq: i64 = col(r, T, "seq")?;
    Ok((
        LTransfer {
            id: parsed(r, T, "id")?,
            debit: parsed(r, T, "debit_account")?,
            credit: parsed(r, T, "credit_account")?,
            amount: money(r, T, "amount_cents")?,
            phase,
            code: enum_parse(T, "code", &code)?,
            journal: enum_parse(T, "journal", &journal)?,
            event: parsed(r, T, "event_id")?,
            date: date_col(r, T, "date")?,
            document: col(r, T, "document")?,
            document_date: date_col(r, T, "document_date")?,
            label: col(r, T, "label")?,
        },
        u64::try_from(seq).unwrap_or(0),
    ))
}

const RECEIVABLE_COLUMNS: &str = "invoice_id, entity_id, activity_id, client_id, number, issue_date, due_date, total_cents, vat_cents, fee_cents, budget_share_cents, paid_cents, status, dunning";

fn receivable_of(r: &DbRow) -> crate::Result<Receivable> {
    const T: &str = "receivables";
    Ok(Receivable {
        invoice_id: parsed(r, T, "invoice_id")?,
        entity_id: parsed(r, T, "entity_id")?,
        activity_id: parsed(r, T, "activity_id")?,
        client_id: parsed(r, T, "client_id")?,
        number: col(r, T, "number")?,
        issue_date: date_col(r, T, "issue_date")?,
        due_date: date_col(r, T, "due_date")?,
        total: money(r, T, "total_cents")?,
        vat: money(r, T, "vat_cents")?,
        fee: money(r, T, "fee_cents")?,
        budget_share: money(r, T, "budget_share_cents")?,
        paid: money(r, T, "paid_cents")?,
        status: parsed(r, T, "status")?,
        dunning: col(r, T, "dunning")?,
    })
}

fn payment_of(r: &DbRow) -> crate::Result<PaymentRecord> {
    const T: &str = "payments_received";
    Ok(PaymentRecord {
        id: col(r, T, "id")?,
        invoice_id: parsed(r, T, "invoice_id")?,
        bank_reference: col(r, T, "bank_reference")?,
        amount: money(r, T, "amount_cents")?,
        paid_on: date_col(r, T, "paid_on")?,
    })
}

const PAYOUT_COLUMNS: &str =
    "id, entity_id, member_id, purpose, amount_cents, reference, status, created_on, settled_on";

fn payout_of(r: &DbRow) -> crate::Result<PayoutRecord> {
    const T: &str = "payouts";
    Ok(PayoutRecord {
        id: col(r, T, "id")?,
        entity_id: parsed(r, T, "entity_id")?,
        member_id: parsed(r, T, "member_id")?,
        purpose: col(r, T, "purpose")?,
        amount: money(r, T, "amount_cents")?,
        reference: col(r, T, "reference")?,
        status: col(r, T, "status")?,
        created_on: date_col(r, T, "created_on")?,
        settled_on: parsed_opt(r, T, "settled_on")?,
    })
}

fn salary_due_of(r: &DbRow) -> crate::Result<SalaryDue> {
    const T: &str = "salary_dues";
    Ok(SalaryDue {
        payslip_id: parsed(r, T, "payslip_id")?,
        entity_id: parsed(r, T, "entity_id")?,
        activity_id: parsed(r, T, "activity_id")?,
        member_id: parsed(r, T, "member_id")?,
        invoice_id: parsed_opt(r, T, "invoice_id")?,
        work_end: date_col(r, T, "work_end")?,
        due_on: date_col(r, T, "due_on")?,
        net: money(r, T, "net_cents")?,
        employer_cost: money(r, T, "employer_cost_cents")?,
        advanced: money(r, T, "advanced_cents")?,
    })
}

/// The account rows a batch writes (opened or moved), with their balances afterwards; the
/// new journal head; the batch's results.
type WrittenBatch = (Vec<Posted>, Vec<(LAccount, LBalance)>, Option<(u64, Hash32)>);

impl BackendTx {
    /// An account and its balance as this transaction or the writer's shared cache knows it.
    fn known_account(&mut self, id: &LAccountId) -> Option<(LAccount, LBalance)> {
        if let Some(known) = self.cache.accounts.get(id) {
            return Some(known.clone());
        }
        self.shared_ledger()
            .and_then(|shared| shared.accounts.get(id).cloned())
    }

    /// Writes a planned batch: the accounts it opens or moves in one upsert, its journal
    /// entry chained to `head`, and its transfers in one insert.
    /// With `defer`, only the new accounts are written; the others' balances are left to the
    /// caller (they come after the new ones in the rows returned).
    async fn write_batch(
        &mut self,
        head: Option<(u64, Hash32)>,
        batch: ensemble_ledger::Batch,
        snapshot: &LedgerSnapshot,
        defer: bool,
        at: crate::Micros,
    ) -> crate::Result<WrittenBatch> {
        let mut rows: Vec<(LAccount, LBalance)> = Vec::with_capacity(batch.balances.len() + batch.new_accounts.len());
        for a in &batch.new_accounts {
            let balance = batch
                .balances
                .iter()
                .find(|(id, _)| *id == a.id)
                .map_or_else(LBalance::default, |(_, b)| *b);
            rows.push((a.clone(), balance));
        }
        for (id, b) in &batch.balances {
            if rows.iter().any(|(a, _)| a.id == *id) {
                continue;
            }
            let account = snapshot
                .accounts
                .get(id)
                .map(|(a, _)| a.clone())
                .ok_or_else(|| corrupt("ledger_accounts", format!("{id} moved but not read")))?;
            rows.push((account, *b));
        }
        let written = if defer { batch.new_accounts.len() } else { rows.len() };
        for chunk in rows[..written].chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO ledger_accounts (id, entity_id, book, code, owner_kind, owner_id, kind, no_overdraft, no_overpayment, label, debits_posted, credits_posted, debits_pending, credits_pending)
                 VALUES {}
                 ON CONFLICT (id) DO UPDATE SET debits_posted = excluded.debits_posted, credits_posted = excluded.credits_posted, debits_pending = excluded.debits_pending, credits_pending = excluded.credits_pending",
                value_rows(chunk.len(), 14)
            );
            let mut q = query(AssertSqlSafe(sql));
            for (a, b) in chunk {
                q = q
                    .bind(a.id.to_string())
                    .bind(a.id.entity.to_string())
                    .bind(enum_text(&a.id.book))
                    .bind(a.id.code.to_string())
                    .bind(a.id.owner.map(|o| o.kind().to_string()))
                    .bind(a.id.owner.and_then(|o| o.uuid()).map(|u| u.to_string()))
                    .bind(a.kind.code())
                    .bind(a.flags.debits_must_not_exceed_credits)
                    .bind(a.flags.credits_must_not_exceed_debits)
                    .bind(&a.label)
                    .bind(b.debits_posted.cents())
                    .bind(b.credits_posted.cents())
                    .bind(b.debits_pending.cents())
                    .bind(b.credits_pending.cents());
            }
            q.execute(&mut *self.tx)
                .await
                .map_err(|e| db_err(e, "that ledger account"))?;
        }
        let mut new_head = None;
        if let (Some(batch_entity), false) = (batch.entity, batch.created.is_empty()) {
            let previous = head.map(|(seq, hash)| JournalEntry {
                entity: batch_entity,
                seq,
                transfers: Vec::new(),
                previous_hash: Hash32::ZERO,
                hash,
            });
            let entry = JournalEntry::chain(batch_entity, previous.as_ref(), batch.created);
            query(
                "INSERT INTO ledger_journal (entity_id, seq, transfer_count, previous_hash, hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(batch_entity.to_string())
            .bind(entry.seq as i64)
            .bind(entry.transfers.len() as i64)
            .bind(entry.previous_hash.to_hex())
            .bind(entry.hash.to_hex())
            .bind(at)
            .execute(&mut *self.tx)
            .await
            .map_err(|e| db_err(e, "that journal entry"))?;
            for (c, chunk) in entry.transfers.chunks(ROWS_PER_STATEMENT).enumerate() {
                let sql = format!(
                    "INSERT INTO ledger_transfers (id, entity_id, seq, position, debit_account, credit_account, amount_cents, phase, pending_id, code, journal, event_id, date, document, document_date, label) VALUES {}",
                    value_rows(chunk.len(), 16)
                );
                let mut q = query(AssertSqlSafe(sql));
                for (i, t) in chunk.iter().enumerate() {
                    let position = c * ROWS_PER_STATEMENT + i;
                    q = q
                        .bind(t.id.to_string())
                        .bind(batch_entity.to_string())
                        .bind(entry.seq as i64)
                        .bind(position as i64)
                        .bind(t.debit.to_string())
                        .bind(t.credit.to_string())
                        .bind(t.amount.cents())
                        .bind(t.phase.tag())
                        .bind(t.phase.pending_id().map(|p| p.to_string()))
                        .bind(t.code.code())
                        .bind(enum_text(&t.journal))
                        .bind(t.event.to_string())
                        .bind(crate::date_text(t.date))
                        .bind(&t.document)
                        .bind(crate::date_text(t.document_date))
                        .bind(&t.label);
                }
                q.execute(&mut *self.tx)
                    .await
                    .map_err(|e| db_err(e, "that transfer"))?;
            }
            new_head = Some((entry.seq, entry.hash));
        }
        Ok((batch.results, rows, new_head))
    }

    async fn read_fund_policy(&mut self, entity: EntityId) -> crate::Result<Option<FundPolicy>> {
        const T: &str = "fund_policies";
        let row = query(
            "SELECT fee_share_ppm, salary_working_days, reminder_days, second_reminder_days, formal_notice_days, write_off_days FROM fund_policies WHERE entity_id = $1",
        )
        .bind(entity.to_string())
        .fetch_optional(&mut *self.tx)
        .await?;
        row.map(|r| {
            Ok(FundPolicy {
                fee_share_ppm: col(&r, T, "fee_share_ppm")?,
                salary_working_days: col(&r, T, "salary_working_days")?,
                reminder_days: col(&r, T, "reminder_days")?,
                second_reminder_days: col(&r, T, "second_reminder_days")?,
                formal_notice_days: col(&r, T, "formal_notice_days")?,
                write_off_days: col(&r, T, "write_off_days")?,
            })
        })
        .transpose()
    }

    async fn ledger_accounts_by_id(
        &mut self,
        ids: &[String],
    ) -> crate::Result<LedgerMap<LAccountId, (LAccount, LBalance)>> {
        let mut out = LedgerMap::new();
        for chunk in ids.chunks(200) {
            let sql = format!(
                "SELECT {LEDGER_ACCOUNT_COLUMNS} FROM ledger_accounts WHERE id IN ({})",
                placeholders(1, chunk.len())
            );
            let mut q = query(AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(id.clone());
            }
            for r in q.fetch_all(&mut *self.tx).await? {
                let (a, b) = ledger_account_of(&r)?;
                out.insert(a.id, (a, b));
            }
        }
        Ok(out)
    }

    async fn ledger_transfers_by_id(
        &mut self,
        ids: &[String],
    ) -> crate::Result<LedgerMap<TransferId, (LTransfer, u64, Option<TransferId>)>> {
        let mut out = LedgerMap::new();
        for chunk in ids.chunks(200) {
            let sql = format!(
                "SELECT {LEDGER_TRANSFER_COLUMNS}, r.id AS resolved_by FROM ledger_transfers t LEFT JOIN ledger_transfers r ON r.pending_id = t.id WHERE t.id IN ({})",
                placeholders(1, chunk.len())
            );
            let mut q = query(AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(id.clone());
            }
            for r in q.fetch_all(&mut *self.tx).await? {
                let (t, seq) = ledger_transfer_of(&r)?;
                let by: Option<TransferId> = parsed_opt(&r, "ledger_transfers", "resolved_by")?;
                out.insert(t.id.clone(), (t, seq, by));
            }
        }
        Ok(out)
    }
}

#[async_trait::async_trait]
impl crate::LedgerTx for BackendTx {
    async fn post_ledger(&mut self, posting: &Posting, at: crate::Micros) -> crate::Result<Vec<Posted>> {
        let entity = posting
            .transfers
            .first()
            .map(|t| t.debit.entity)
            .or_else(|| posting.accounts.first().map(|a| a.id.entity));
        let Some(entity) = entity else {
            return Ok(Vec::new());
        };
        if let (Some(lock), false) = (LOCK_ENTITY, self.cache.locked.contains(&entity)) {
            query(lock)
                .bind(entity.to_string())
                .execute(&mut *self.tx)
                .await?;
            self.cache.locked.push(entity);
        }
        let shared_head = self
            .shared_ledger()
            .and_then(|shared| shared.heads.get(&entity).copied());
        let head = match self.cache.heads.get(&entity).copied().or(shared_head) {
            Some(head) => head,
            None => {
                let row = query(
                    "SELECT seq, hash FROM ledger_journal WHERE entity_id = $1 ORDER BY seq DESC LIMIT 1",
                )
                .bind(entity.to_string())
                .fetch_optional(&mut *self.tx)
                .await?;
                let head = match row {
                    Some(r) => {
                        let seq: i64 = col(&r, "ledger_journal", "seq")?;
                        let hash: String = col(&r, "ledger_journal", "hash")?;
                        let hash = Hash32::from_hex(&hash)
                            .ok_or_else(|| corrupt("ledger_journal", format!("hash \"{hash}\"")))?;
                        Some((u64::try_from(seq).unwrap_or(0), hash))
                    }
                    None => None,
                };
                self.cache.heads.insert(entity, head);
                head
            }
        };

        let mut account_ids: Vec<LAccountId> = posting.accounts.iter().map(|a| a.id).collect();
        for t in &posting.transfers {
            account_ids.push(t.debit);
            account_ids.push(t.credit);
        }
        account_ids.sort();
        account_ids.dedup();
        let mut accounts = LedgerMap::with_capacity(account_ids.len());
        let mut missing: Vec<String> = Vec::new();
        for id in &account_ids {
            match self.known_account(id) {
                Some(known) => {
                    accounts.insert(*id, known);
                }
                None => missing.push(id.to_string()),
            }
        }
        let read = self.ledger_accounts_by_id(&missing).await?;
        for (id, found) in read {
            self.cache.accounts.insert(id, found.clone());
            accounts.insert(id, found);
        }
        let mut transfer_ids: Vec<String> = Vec::with_capacity(posting.transfers.len() * 2);
        for t in &posting.transfers {
            transfer_ids.push(t.id.to_string());
            if let Some(p) = t.phase.pending_id() {
                transfer_ids.push(p.to_string());
            }
        }
        transfer_ids.sort();
        transfer_ids.dedup();
        let snapshot = LedgerSnapshot {
            accounts,
            transfers: self.ledger_transfers_by_id(&transfer_ids).await?,
        };
        let next_seq = head.map_or(1, |h| h.0 + 1);
        let batch = ensemble_ledger::plan_batch(&snapshot, &posting.accounts, &posting.transfers, next_seq)?;

        // The SQLite writer leaves the balances of accounts that exist already to its group
        // commit; new accounts are written now, for the transfers' foreign keys.
        let defer = self.shared_ledger().is_some();
        let new_accounts = batch.new_accounts.len();
        match self.write_batch(head, batch, &snapshot, defer, at).await {
            Ok((results, rows, new_head)) => {
                for (i, (account, balance)) in rows.into_iter().enumerate() {
                    if defer && i >= new_accounts {
                        self.cache.unwritten.push(account.id);
                    }
                    self.cache.accounts.insert(account.id, (account, balance));
                }
                if let Some(new_head) = new_head {
                    self.cache.heads.insert(entity, Some(new_head));
                }
                Ok(results)
            }
            Err(e) => {
                // Part of the batch may be written (SQLite keeps the statements before the
                // failed one): what the cache holds may be untrue, and the transaction must
                // not commit.
                self.cache.forget();
                self.cache.poisoned = true;
                Err(e)
            }
        }
    }

    async fn ledger_account(&mut self, id: &LAccountId) -> crate::Result<Option<(LAccount, LBalance)>> {
        Ok(self.ledger_accounts_among(std::slice::from_ref(id)).await?.pop())
    }

    async fn ledger_accounts_among(&mut self, ids: &[LAccountId]) -> crate::Result<Vec<(LAccount, LBalance)>> {
        let mut out = Vec::with_capacity(ids.len());
        let mut missing = Vec::new();
        for id in ids {
            match self.known_account(id) {
                Some(known) => out.push(known),
                None => missing.push(id.to_string()),
            }
        }
        for (id, found) in self.ledger_accounts_by_id(&missing).await? {
            if self.cache.holds(id.entity) {
                self.cache.accounts.insert(id, found.clone());
            }
            out.push(found);
        }
        Ok(out)
    }

    async fn ledger_accounts(&mut self, entity: EntityId) -> crate::Result<Vec<(LAccount, LBalance)>> {
        let rows = query(AssertSqlSafe(format!(
            "SELECT {LEDGER_ACCOUNT_COLUMNS} FROM ledger_accounts WHERE entity_id = $1"
        )))
        .bind(entity.to_string())
        .fetch_all(&mut *self.tx)
        .await?;
        let mut all = rows.iter().map(ledger_account_of).collect::<crate::Result<Vec<_>>>()?;
        // Balances this writer has not written yet.
        for (a, b) in &mut all {
            if let Some((_, known)) = self.known_account(&a.id) {
                *b = known;
            }
        }
        all.sort_by_key(|a| a.0.id);
        Ok(all)
    }

    async fn ledger_journal(&mut self, entity: EntityId) -> crate::Result<Vec<JournalEntry>> {
        const T: &str = "ledger_journal";
        let heads = query(
            "SELECT seq, previous_hash, hash FROM ledger_journal WHERE entity_id = $1 ORDER BY seq",
        )
        .bind(entity.to_string())
        .fetch_all(&mut *self.tx)
        .await?;
        let rows = query(AssertSqlSafe(format!(
            "SELECT {LEDGER_TRANSFER_COLUMNS} FROM ledger_transfers t WHERE t.entity_id = $1 ORDER BY t.seq, t.position"
        )))
        .bind(entity.to_string())
        .fetch_all(&mut *self.tx)
        .await?;
        let mut by_seq: LedgerMap<u64, Vec<LTransfer>> = LedgerMap::new();
        for r in &rows {
            let (t, seq) = ledger_transfer_of(r)?;
            by_seq.entry(seq).or_default().push(t);
        }
        let hash = |r: &DbRow, name: &str| -> crate::Result<Hash32> {
            let text: String = col(r, T, name)?;
            Hash32::from_hex(&text).ok_or_else(|| corrupt(T, format!("{name} \"{text}\"")))
        };
        heads
            .iter()
            .map(|r| {
                let seq: i64 = col(r, T, "seq")?;
                let seq = u64::try_from(seq).unwrap_or(0);
                Ok(JournalEntry {
                    entity,
                    seq,
                    transfers: by_seq.remove(&seq).unwrap_or_default(),
                    previous_hash: hash(r, "previous_hash")?,
                    hash: hash(r, "hash")?,
                })
            })
            .collect()
    }

    async fn ledger_entities(&mut self) -> crate::Result<Vec<EntityId>> {
        let rows = query("SELECT DISTINCT entity_id FROM ledger_accounts ORDER BY entity_id")
            .fetch_all(&mut *self.tx)
            .await?;
        rows.iter().map(|r| parsed(r, "ledger_accounts", "entity_id")).collect()
    }

    async fn ledger_event(&mut self, event: &LEventId) -> crate::Result<Vec<LTransfer>> {
        let rows = query(AssertSqlSafe(format!(
            "SELECT {LEDGER_TRANSFER_COLUMNS} FROM ledger_transfers t WHERE t.event_id = $1 ORDER BY t.seq, t.position"
        )))
        .bind(event.to_string())
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(|r| ledger_transfer_of(r).map(|x| x.0)).collect()
    }

    async fn ledger_resolution(&mut self, pending: &str) -> crate::Result<Option<String>> {
        let row = query("SELECT id FROM ledger_transfers WHERE pending_id = $1")
            .bind(pending)
            .fetch_optional(&mut *self.tx)
            .await?;
        row.map(|r| col(&r, "ledger_transfers", "id")).transpose()
    }

    async fn insert_receivable(&mut self, r: &Receivable, at: crate::Micros) -> crate::Result<()> {
        query(
            "INSERT INTO receivables (invoice_id, entity_id, activity_id, client_id, number, issue_date, due_date, total_cents, vat_cents, fee_cents, budget_share_cents, paid_cents, status, dunning, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(r.invoice_id.to_string())
        .bind(r.entity_id.to_string())
        .bind(r.activity_id.to_string())
        .bind(r.client_id.to_string())
        .bind(&r.number)
        .bind(crate::date_text(r.issue_date))
        .bind(crate::date_text(r.due_date))
        .bind(r.total.cents())
        .bind(r.vat.cents())
        .bind(r.fee.cents())
        .bind(r.budget_share.cents())
        .bind(r.paid.cents())
        .bind(r.status.code())
        .bind(&r.dunning)
        .bind(at)
        .execute(&mut *self.tx)
        .await
        .map_err(|e| db_err(e, "a receivable for that invoice"))?;
        Ok(())
    }

    async fn receivable(&mut self, invoice: InvoiceId) -> crate::Result<Receivable> {
        let row = query(AssertSqlSafe(format!(
            "SELECT {RECEIVABLE_COLUMNS} FROM receivables WHERE invoice_id = $1"
        )))
        .bind(invoice.to_string())
        .fetch_optional(&mut *self.tx)
        .await?;
        row.map(|r| receivable_of(&r))
            .transpose()?
            .ok_or_else(|| not_found("receivable", invoice))
    }

    async fn receivable_ids(&mut self, invoices: &[InvoiceId]) -> crate::Result<Vec<InvoiceId>> {
        let mut out = Vec::new();
        for chunk in invoices.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "SELECT invoice_id FROM receivables WHERE invoice_id IN ({})",
                placeholders(1, chunk.len())
            );
            let mut q = query(AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(id.to_string());
            }
            for r in q.fetch_all(&mut *self.tx).await? {
                out.push(parsed(&r, "receivables", "invoice_id")?);
            }
        }
        Ok(out)
    }

    async fn receivables(&mut self, entity: EntityId, open_only: bool) -> crate::Result<Vec<Receivable>> {
        let rows = query(AssertSqlSafe(format!(
            "SELECT {RECEIVABLE_COLUMNS} FROM receivables WHERE entity_id = $1 AND ($2 = 0 OR status = 'open') ORDER BY due_date, number"
        )))
        .bind(entity.to_string())
        .bind(i64::from(open_only))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(receivable_of).collect()
    }

    async fn update_receivable(&mut self, r: &Receivable) -> crate::Result<()> {
        let done = query(
            "UPDATE receivables SET paid_cents = $1, status = $2, dunning = $3 WHERE invoice_id = $4",
        )
        .bind(r.paid.cents())
        .bind(r.status.code())
        .bind(&r.dunning)
        .bind(r.invoice_id.to_string())
        .execute(&mut *self.tx)
        .await
        .map_err(|e| db_err(e, "that receivable"))?;
        if done.rows_affected() == 0 {
            return Err(not_found("receivable", r.invoice_id));
        }
        Ok(())
    }

    async fn insert_payment(&mut self, p: &PaymentRecord, at: crate::Micros) -> crate::Result<()> {
        query(
            "INSERT INTO payments_received (id, invoice_id, bank_reference, amount_cents, paid_on, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&p.id)
        .bind(p.invoice_id.to_string())
        .bind(&p.bank_reference)
        .bind(p.amount.cents())
        .bind(crate::date_text(p.paid_on))
        .bind(at)
        .execute(&mut *self.tx)
        .await
        .map_err(|e| db_err(e, "a payment with that bank reference on that invoice"))?;
        Ok(())
    }

    async fn payments(&mut self, invoice: InvoiceId) -> crate::Result<Vec<PaymentRecord>> {
        let rows = query(
            "SELECT id, invoice_id, bank_reference, amount_cents, paid_on FROM payments_received WHERE invoice_id = $1 ORDER BY created_at, id",
        )
        .bind(invoice.to_string())
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(payment_of).collect()
    }

    async fn insert_payout(&mut self, p: &PayoutRecord, at: crate::Micros) -> crate::Result<()> {
        query(
            "INSERT INTO payouts (id, entity_id, member_id, purpose, amount_cents, reference, status, created_on, settled_on, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&p.id)
        .bind(p.entity_id.to_string())
        .bind(p.member_id.to_string())
        .bind(&p.purpose)
        .bind(p.amount.cents())
        .bind(&p.reference)
        .bind(&p.status)
        .bind(crate::date_text(p.created_on))
        .bind(p.settled_on.map(crate::date_text))
        .bind(at)
        .execute(&mut *self.tx)
        .await
        .map_err(|e| db_err(e, "a payout with that id"))?;
        Ok(())
    }

    async fn payout(&mut self, id: &str) -> crate::Result<PayoutRecord> {
        let row = query(AssertSqlSafe(format!(
            "SELECT {PAYOUT_COLUMNS} FROM payouts WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&mut *self.tx)
        .await?;
        row.map(|r| payout_of(&r)).transpose()?.ok_or_else(|| not_found("payout", id))
    }

    async fn settle_payout(&mut self, id: &str, status: &str, on: jiff::civil::Date) -> crate::Result<()> {
        let done = query(
            "UPDATE payouts SET status = $1, settled_on = $2 WHERE id = $3 AND status = 'pending'",
        )
        .bind(status)
        .bind(crate::date_text(on))
        .bind(id)
        .execute(&mut *self.tx)
        .await
        .map_err(|e| db_err(e, "that payout"))?;
        if done.rows_affected() == 0 {
            let current = self.payout(id).await?;
            return Err(crate::StoreError::Conflict(format!(
                "payout {id} is {} already",
                current.status
            )));
        }
        Ok(())
    }

    async fn payouts(&mut self, entity: EntityId, status: Option<&str>) -> crate::Result<Vec<PayoutRecord>> {
        let rows = query(AssertSqlSafe(format!(
            "SELECT {PAYOUT_COLUMNS} FROM payouts WHERE entity_id = $1 AND ($2 = '' OR status = $2) ORDER BY created_at, id"
        )))
        .bind(entity.to_string())
        .bind(status.unwrap_or(""))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(payout_of).collect()
    }

    async fn insert_salary_due(&mut self, s: &SalaryDue, at: crate::Micros) -> crate::Result<()> {
        query(
            "INSERT INTO salary_dues (payslip_id, entity_id, activity_id, member_id, invoice_id, work_end, due_on, net_cents, employer_cost_cents, advanced_cents, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(s.payslip_id.to_string())
        .bind(s.entity_id.to_string())
        .bind(s.activity_id.to_string())
        .bind(s.member_id.to_string())
        .bind(s.invoice_id.map(|i| i.to_string()))
        .bind(crate::date_text(s.work_end))
        .bind(crate::date_text(s.due_on))
        .bind(s.net.cents())
        .bind(s.employer_cost.cents())
        .bind(s.advanced.cents())
        .bind(at)
        .execute(&mut *self.tx)
        .await
        .map_err(|e| db_err(e, "a salary due for that payslip"))?;
        Ok(())
    }

    async fn salary_dues(&mut self, entity: EntityId) -> crate::Result<Vec<SalaryDue>> {
        let rows = query(
            "SELECT payslip_id, entity_id, activity_id, member_id, invoice_id, work_end, due_on, net_cents, employer_cost_cents, advanced_cents FROM salary_dues WHERE entity_id = $1 ORDER BY due_on, payslip_id",
        )
        .bind(entity.to_string())
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(salary_due_of).collect()
    }

    async fn insert_dunning_step(
        &mut self,
        invoice: InvoiceId,
        step: &str,
        on: jiff::civil::Date,
        at: crate::Micros,
    ) -> crate::Result<bool> {
        let done = query(
            "INSERT INTO dunning_steps (invoice_id, step, taken_on, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (invoice_id, step) DO NOTHING",
        )
        .bind(invoice.to_string())
        .bind(step)
        .bind(crate::date_text(on))
        .bind(at)
        .execute(&mut *self.tx)
        .await
        .map_err(|e| db_err(e, "that dunning step"))?;
        Ok(done.rows_affected() > 0)
    }

    async fn dunning_steps(&mut self, invoice: InvoiceId) -> crate::Result<Vec<(String, jiff::civil::Date)>> {
        const T: &str = "dunning_steps";
        let rows = query(
            "SELECT step, taken_on FROM dunning_steps WHERE invoice_id = $1 ORDER BY taken_on, created_at",
        )
        .bind(invoice.to_string())
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter()
            .map(|r| Ok((col(r, T, "step")?, date_col(r, T, "taken_on")?)))
            .collect()
    }

    async fn fund_policy(&mut self, entity: EntityId) -> crate::Result<Option<FundPolicy>> {
        if let Some(known) = self.cache.policies.get(&entity) {
            return Ok(*known);
        }
        let shared = match self.cache.policies_changed.contains(&entity) {
            true => None,
            false => self
                .shared_ledger()
                .and_then(|shared| shared.policies.get(&entity).copied()),
        };
        let policy = match shared {
            Some(known) => known,
            None => self.read_fund_policy(entity).await?,
        };
        self.cache.policies.insert(entity, policy);
        Ok(policy)
    }

    async fn put_fund_policy(&mut self, entity: EntityId, p: &FundPolicy, at: crate::Micros) -> crate::Result<()> {
        self.cache.policies.remove(&entity);
        self.cache.policies_changed.push(entity);
        query(
            "INSERT INTO fund_policies (entity_id, fee_share_ppm, salary_working_days, reminder_days, second_reminder_days, formal_notice_days, write_off_days, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (entity_id) DO UPDATE SET fee_share_ppm = $2, salary_working_days = $3, reminder_days = $4, second_reminder_days = $5, formal_notice_days = $6, write_off_days = $7, updated_at = $8",
        )
        .bind(entity.to_string())
        .bind(p.fee_share_ppm)
        .bind(p.salary_working_days)
        .bind(p.reminder_days)
        .bind(p.second_reminder_days)
        .bind(p.formal_notice_days)
        .bind(p.write_off_days)
        .bind(at)
        .execute(&mut *self.tx)
        .await
        .map_err(|e| db_err(e, "that fund policy"))?;
        Ok(())
    }

    async fn raw_sql_for_tests(&mut self, sql: &str) -> crate::Result<u64> {
        // The statement may change what the caches hold: the balances they hold unwritten are
        // written first, then they are dropped.
        let unwritten: Vec<(LAccount, LBalance)> = std::mem::take(&mut self.cache.unwritten)
            .iter()
            .filter_map(|id| self.cache.accounts.get(id).cloned())
            .collect();
        for (a, b) in &unwritten {
            balance_update(a, b).execute(&mut *self.tx).await?;
        }
        self.drop_shared_ledger()?;
        self.cache.forget();
        let done = query(AssertSqlSafe(sql.to_string()))
            .execute(&mut *self.tx)
            .await?;
        Ok(done.rows_affected())
    }
}
