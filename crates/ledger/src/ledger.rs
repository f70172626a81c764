//! The in-memory ledger: opens accounts, posts batches of transfers atomically, keeps
//! balances and the hash-chained journal, and checks itself.
//!
//! A batch is all or nothing: every transfer is validated against staged balances, and the
//! ledger changes only when the last one passed. A batch is what TigerBeetle calls a chain
//! of linked transfers (here every batch is one linked group, so a posting rule's transfers
//! and the accounts it opens land together or not at all). A batch belongs to one entity and
//! becomes one [`JournalEntry`]; a batch of replays only writes nothing.
//!
//! Two-phase transfers follow TigerBeetle: a pending transfer counts in `debits_pending` /
//! `credits_pending` (and against a `debits_must_not_exceed_credits` limit at once); a
//! `Post` moves up to its amount to the posted balances and releases the rest; a `Void`
//! releases it all; either happens once. Pending transfers do not expire: the application
//! voids what the bank never confirmed.
//!
//! Idempotency: a transfer whose id exists with the same fields is a no-op that returns the
//! journal entry where it was first recorded; with any field different it is refused, naming
//! the field.

use std::collections::{BTreeMap, HashMap};

use ensemble_domain::{ActivityId, EntityId, Money};
use serde::Serialize;

use crate::journal::{ChainError, Hash32, JournalEntry, verify_chain};
use crate::model::{Account, AccountId, Balance, Book, MAX_AMOUNT, Phase, Transfer, TransferId};

/// Why a batch was refused. Nothing of the batch was written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    #[error("account {account} exists with a different {field}")]
    AccountConflict {
        account: AccountId,
        field: &'static str,
    },
    #[error("transfer {index} ({id}): {field}: {rule}")]
    InvalidTransfer {
        index: usize,
        id: TransferId,
        field: &'static str,
        rule: String,
    },
    #[error("transfer {index} ({id}): account {account} does not exist")]
    UnknownAccount {
        index: usize,
        id: TransferId,
        account: AccountId,
    },
    #[error(
        "transfer {index} ({id}) exists with a different {field}: the same id must carry the same transfer"
    )]
    TransferConflict {
        index: usize,
        id: TransferId,
        field: &'static str,
    },
    #[error("transfer {index} ({id}) appears twice in the batch")]
    DuplicateInBatch { index: usize, id: TransferId },
    #[error("transfer {index} ({id}): a batch belongs to one entity ({expected}), not {found}")]
    MixedEntities {
        index: usize,
        id: TransferId,
        expected: EntityId,
        found: EntityId,
    },
    #[error(
        "transfer {index} ({id}): account {account} has {available} available, it cannot be debited {wanted}"
    )]
    ExceedsCredits {
        index: usize,
        id: TransferId,
        account: AccountId,
        available: Money,
        wanted: Money,
    },
    #[error(
        "transfer {index} ({id}): account {account} can take {available} more credit, not {wanted}"
    )]
    ExceedsDebits {
        index: usize,
        id: TransferId,
        account: AccountId,
        available: Money,
        wanted: Money,
    },
    #[error("transfer {index} ({id}): pending transfer {pending} does not exist")]
    PendingNotFound {
        index: usize,
        id: TransferId,
        pending: TransferId,
    },
    #[error("transfer {index} ({id}): transfer {pending} is not pending")]
    NotPending {
        index: usize,
        id: TransferId,
        pending: TransferId,
    },
    #[error(
        "transfer {index} ({id}): pending transfer {pending} was already posted or voided by {by}"
    )]
    PendingAlreadyResolved {
        index: usize,
        id: TransferId,
        pending: TransferId,
        by: TransferId,
    },
    #[error("transfer {index} ({id}): {field} differs from pending transfer {pending}")]
    PendingMismatch {
        index: usize,
        id: TransferId,
        pending: TransferId,
        field: &'static str,
    },
    #[error("transfer {index} ({id}): the balance of {account} would overflow")]
    Overflow {
        index: usize,
        id: TransferId,
        account: AccountId,
    },
}

/// What happened to one transfer of a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Created,
    /// The same transfer existed: nothing changed.
    Replayed,
}

/// The result of one transfer: its outcome and the journal entry that holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Posted {
    pub id: TransferId,
    pub outcome: Outcome,
    /// The sequence number of the journal entry where the transfer was first recorded.
    pub entry: u64,
}

/// Accounts to open (if absent) and transfers to post, as one atomic batch. Posting rules
/// return this.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Posting {
    pub accounts: Vec<Account>,
    pub transfers: Vec<Transfer>,
}

impl Posting {
    /// Appends another posting (its transfers after these), skipping accounts already listed:
    /// an advance then the salary it finances, an invoice then its fee.
    pub fn then(mut self, other: Posting) -> Posting {
        for a in other.accounts {
            if !self.accounts.iter().any(|x| x.id == a.id) {
                self.accounts.push(a);
            }
        }
        self.transfers.extend(other.transfers);
        self
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct AccountState {
    account: Account,
    balance: Balance,
}

/// Where a transfer lives in the journal, and whether a pending one was settled.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Stored {
    entity: EntityId,
    seq: u64,
    index: u32,
    resolved_by: Option<TransferId>,
}

/// The in-memory ledger. `Clone` and `PartialEq` so tests can compare whole states.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ledger {
    accounts: HashMap<AccountId, AccountState>,
    transfers: HashMap<TransferId, Stored>,
    journals: HashMap<EntityId, Vec<JournalEntry>>,
}

fn checked(a: Money, b: Money) -> Option<Money> {
    a.cents().checked_add(b.cents()).map(Money::from_cents)
}

/// Checks what a transfer can check alone: amount, accounts, book.
fn check_shape(index: usize, t: &Transfer) -> Result<(), LedgerError> {
    let invalid = |field, rule: &str| LedgerError::InvalidTransfer {
        index,
        id: t.id.clone(),
        field,
        rule: rule.to_string(),
    };
    if !t.amount.is_positive() {
        return Err(invalid("amount", "an amount is strictly positive"));
    }
    if t.amount > MAX_AMOUNT {
        return Err(invalid("amount", "an amount is at most 999999999999.99"));
    }
    if t.debit == t.credit {
        return Err(invalid(
            "credit",
            "the debit and credit accounts must differ",
        ));
    }
    if t.debit.book != t.credit.book {
        return Err(invalid(
            "credit",
            "the debit and credit accounts must be in the same book",
        ));
    }
    for (field, text) in [("document", &t.document), ("label", &t.label)] {
        if text.chars().count() > 500 {
            return Err(invalid(field, "at most 500 characters"));
        }
        if text.chars().any(char::is_control) {
            return Err(invalid(field, "no control characters (tabs, line breaks)"));
        }
    }
    Ok(())
}

impl Ledger {
    pub fn new() -> Ledger {
        Ledger::default()
    }

    /// Opens an account; opening it again with the same fields is a no-op (returns `false`).
    pub fn open(&mut self, account: Account) -> Result<bool, LedgerError> {
        if let Some(existing) = self.accounts.get(&account.id) {
            return match account_difference(&existing.account, &account) {
                None => Ok(false),
                Some(field) => Err(LedgerError::AccountConflict {
                    account: account.id,
                    field,
                }),
            };
        }
        self.accounts.insert(
            account.id,
            AccountState {
                account,
                balance: Balance::default(),
            },
        );
        Ok(true)
    }

    /// Posts a batch of transfers between existing accounts, atomically.
    pub fn post(&mut self, transfers: &[Transfer]) -> Result<Vec<Posted>, LedgerError> {
        self.commit(&[], transfers)
    }

    /// Opens the posting's missing accounts and posts its transfers, atomically.
    pub fn apply(&mut self, posting: &Posting) -> Result<Vec<Posted>, LedgerError> {
        self.commit(&posting.accounts, &posting.transfers)
    }

    fn commit(
        &mut self,
        new_accounts: &[Account],
        transfers: &[Transfer],
    ) -> Result<Vec<Posted>, LedgerError> {
        let next_seq = transfers.first().map_or(1, |t| {
            self.journals
                .get(&t.debit.entity)
                .map_or(0, |j| j.len() as u64)
                + 1
        });
        let batch = plan_batch(&*self, new_accounts, transfers, next_seq)?;
        for account in batch.new_accounts {
            self.accounts.insert(
                account.id,
                AccountState {
                    account,
                    balance: Balance::default(),
                },
            );
        }
        for (id, balance) in batch.balances {
            if let Some(state) = self.accounts.get_mut(&id) {
                state.balance = balance;
            }
        }
        if let (Some(entity), false) = (batch.entity, batch.created.is_empty()) {
            let journal = self.journals.entry(entity).or_default();
            let entry = JournalEntry::chain(entity, journal.last(), batch.created);
            let seq = entry.seq;
            for (position, t) in entry.transfers.iter().enumerate() {
                self.transfers.insert(
                    t.id.clone(),
                    Stored {
                        entity,
                        seq,
                        index: position as u32,
                        resolved_by: None,
                    },
                );
            }
            journal.push(entry);
            for (pending, by) in batch.resolved {
                if let Some(stored) = self.transfers.get_mut(&pending) {
                    stored.resolved_by = Some(by);
                }
            }
        }
        Ok(batch.results)
    }

    fn stored_transfer(&self, stored: &Stored) -> &Transfer {
        // `Stored` is only created next to the journal entry it points to.
        &self.journals[&stored.entity][(stored.seq - 1) as usize].transfers[stored.index as usize]
    }

    pub fn account(&self, id: &AccountId) -> Option<&Account> {
        self.accounts.get(id).map(|s| &s.account)
    }

    pub fn balance(&self, id: &AccountId) -> Option<Balance> {
        self.accounts.get(id).map(|s| s.balance)
    }

    /// Every account with its balance, in account order.
    pub fn accounts(&self) -> Vec<(&Account, Balance)> {
        let mut all: Vec<_> = self
            .accounts
            .values()
            .map(|s| (&s.account, s.balance))
            .collect();
        all.sort_by_key(|a| a.0.id);
        all
    }

    /// The entities that have a journal, in order.
    pub fn entities(&self) -> Vec<EntityId> {
        let mut e: Vec<_> = self.journals.keys().copied().collect();
        e.sort();
        e
    }

    /// An entity's journal entries, oldest first.
    pub fn journal(&self, entity: EntityId) -> &[JournalEntry] {
        self.journals.get(&entity).map_or(&[], Vec::as_slice)
    }

    pub fn transfer(&self, id: &TransferId) -> Option<&Transfer> {
        self.transfers.get(id).map(|s| self.stored_transfer(s))
    }

    /// The transfer that posted or voided a pending transfer, if any.
    pub fn resolution(&self, pending: &TransferId) -> Option<&TransferId> {
        self.transfers.get(pending)?.resolved_by.as_ref()
    }

    pub fn transfer_count(&self) -> usize {
        self.transfers.len()
    }

    /// Verifies every entity's hash chain; returns each entity's last hash.
    pub fn verify(&self) -> Result<BTreeMap<EntityId, Hash32>, ChainError> {
        let mut heads = BTreeMap::new();
        for entity in self.entities() {
            heads.insert(entity, verify_chain(entity, self.journal(entity))?);
        }
        Ok(heads)
    }

    /// Σ debits = Σ credits per entity and book, and every cached balance equals the one
    /// recomputed from the journal.
    pub fn check(&self) -> CheckReport {
        let accounts: Vec<(Account, Balance)> = self
            .accounts()
            .into_iter()
            .map(|(a, b)| (a.clone(), b))
            .collect();
        let entries: Vec<&JournalEntry> = self
            .entities()
            .into_iter()
            .flat_map(|e| self.journal(e))
            .collect();
        check_books(&accounts, entries)
    }
}

/// What a batch planner sees of the books: accounts with their balances and the transfers
/// already recorded. The in-memory [`Ledger`] is one; the store builds one from the rows a
/// batch touches, so both validate a batch with the same code ([`plan_batch`]).
pub trait LedgerView {
    /// An account and its balance.
    fn account(&self, id: &AccountId) -> Option<(&Account, Balance)>;
    /// A recorded transfer.
    fn transfer(&self, id: &TransferId) -> Option<StoredTransfer<'_>>;
}

/// A recorded transfer, the journal entry holding it and what settled it (a pending one).
#[derive(Clone, Copy, Debug)]
pub struct StoredTransfer<'a> {
    pub transfer: &'a Transfer,
    pub entry: u64,
    pub resolved_by: Option<&'a TransferId>,
}

impl LedgerView for Ledger {
    fn account(&self, id: &AccountId) -> Option<(&Account, Balance)> {
        self.accounts.get(id).map(|s| (&s.account, s.balance))
    }

    fn transfer(&self, id: &TransferId) -> Option<StoredTransfer<'_>> {
        self.transfers.get(id).map(|s| StoredTransfer {
            transfer: self.stored_transfer(s),
            entry: s.seq,
            resolved_by: s.resolved_by.as_ref(),
        })
    }
}

/// What a valid batch changes, computed before anything is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Batch {
    /// The batch's entity (`None` for an empty batch).
    pub entity: Option<EntityId>,
    /// One result per transfer, in batch order.
    pub results: Vec<Posted>,
    /// Accounts to open.
    pub new_accounts: Vec<Account>,
    /// The new balance of every account the batch moves.
    pub balances: Vec<(AccountId, Balance)>,
    /// The transfers to record (replays excluded), in batch order: the journal entry's.
    pub created: Vec<Transfer>,
    /// Pending transfers settled by the batch: (pending, settled by).
    pub resolved: Vec<(TransferId, TransferId)>,
}

/// Validates a batch against `view` and computes what it changes, all or nothing. `next_seq`
/// is the sequence number the batch's journal entry will get (reported in the results).
pub fn plan_batch<V: LedgerView + ?Sized>(
    view: &V,
    new_accounts: &[Account],
    transfers: &[Transfer],
    next_seq: u64,
) -> Result<Batch, LedgerError> {
    // Accounts: stage the missing ones, refuse conflicting ones.
    let mut staged: HashMap<AccountId, &Account> = HashMap::new();
    for a in new_accounts {
        let existing = view
            .account(&a.id)
            .map(|s| s.0)
            .or_else(|| staged.get(&a.id).copied());
        match existing {
            Some(e) => {
                if let Some(field) = account_difference(e, a) {
                    return Err(LedgerError::AccountConflict {
                        account: a.id,
                        field,
                    });
                }
            }
            None => {
                staged.insert(a.id, a);
            }
        }
    }

    // Transfers: validate and apply to staged balances.
    let entity = transfers.first().map(|t| t.debit.entity);
    let mut balances: HashMap<AccountId, Balance> = HashMap::new();
    let mut in_batch: HashMap<&TransferId, usize> = HashMap::new();
    let mut resolved: HashMap<&TransferId, &TransferId> = HashMap::new();
    let mut results = Vec::with_capacity(transfers.len());
    let mut created: Vec<usize> = Vec::with_capacity(transfers.len());

    for (index, t) in transfers.iter().enumerate() {
        let entity = entity.unwrap_or(t.debit.entity);
        for found in [t.debit.entity, t.credit.entity] {
            if found != entity {
                return Err(LedgerError::MixedEntities {
                    index,
                    id: t.id.clone(),
                    expected: entity,
                    found,
                });
            }
        }
        if let Some(stored) = view.transfer(&t.id) {
            if let Some(field) = stored.transfer.first_difference(t) {
                return Err(LedgerError::TransferConflict {
                    index,
                    id: t.id.clone(),
                    field,
                });
            }
            results.push(Posted {
                id: t.id.clone(),
                outcome: Outcome::Replayed,
                entry: stored.entry,
            });
            continue;
        }
        if in_batch.contains_key(&t.id) {
            return Err(LedgerError::DuplicateInBatch {
                index,
                id: t.id.clone(),
            });
        }
        check_shape(index, t)?;
        for account in [t.debit, t.credit] {
            if view.account(&account).is_none() && !staged.contains_key(&account) {
                return Err(LedgerError::UnknownAccount {
                    index,
                    id: t.id.clone(),
                    account,
                });
            }
        }

        let mut debit = staged_balance(view, &balances, &t.debit);
        let mut credit = staged_balance(view, &balances, &t.credit);
        let overflow = |account| LedgerError::Overflow {
            index,
            id: t.id.clone(),
            account,
        };
        match &t.phase {
            Phase::Single => {
                debit.debits_posted =
                    checked(debit.debits_posted, t.amount).ok_or_else(|| overflow(t.debit))?;
                credit.credits_posted =
                    checked(credit.credits_posted, t.amount).ok_or_else(|| overflow(t.credit))?;
            }
            Phase::Pending => {
                debit.debits_pending =
                    checked(debit.debits_pending, t.amount).ok_or_else(|| overflow(t.debit))?;
                credit.credits_pending =
                    checked(credit.credits_pending, t.amount).ok_or_else(|| overflow(t.credit))?;
            }
            Phase::Post(pending_id) | Phase::Void(pending_id) => {
                let pending =
                    find_pending(view, index, t, pending_id, transfers, &in_batch, &resolved)?;
                let mismatch = |field| LedgerError::PendingMismatch {
                    index,
                    id: t.id.clone(),
                    pending: pending_id.clone(),
                    field,
                };
                if pending.debit != t.debit {
                    return Err(mismatch("debit"));
                }
                if pending.credit != t.credit {
                    return Err(mismatch("credit"));
                }
                let is_post = matches!(t.phase, Phase::Post(_));
                if is_post && t.amount > pending.amount {
                    return Err(mismatch("amount (a post is at most the pending amount)"));
                }
                if !is_post && t.amount != pending.amount {
                    return Err(mismatch(
                        "amount (a void releases the whole pending amount)",
                    ));
                }
                debit.debits_pending -= pending.amount;
                credit.credits_pending -= pending.amount;
                if is_post {
                    debit.debits_posted =
                        checked(debit.debits_posted, t.amount).ok_or_else(|| overflow(t.debit))?;
                    credit.credits_posted = checked(credit.credits_posted, t.amount)
                        .ok_or_else(|| overflow(t.credit))?;
                }
                resolved.insert(pending_id, &t.id);
            }
        }
        check_limits(view, &staged, index, t, &debit, &credit)?;
        balances.insert(t.debit, debit);
        balances.insert(t.credit, credit);
        in_batch.insert(&t.id, index);
        created.push(index);
        results.push(Posted {
            id: t.id.clone(),
            outcome: Outcome::Created,
            entry: next_seq,
        });
    }

    let mut opened: Vec<Account> = Vec::new();
    for a in new_accounts {
        if staged.contains_key(&a.id) && !opened.iter().any(|o| o.id == a.id) {
            opened.push(a.clone());
        }
    }
    let mut balances: Vec<(AccountId, Balance)> = balances.into_iter().collect();
    balances.sort_by_key(|b| b.0);
    Ok(Batch {
        entity,
        results,
        new_accounts: opened,
        balances,
        created: created.iter().map(|&i| transfers[i].clone()).collect(),
        resolved: resolved
            .into_iter()
            .map(|(p, by)| (p.clone(), by.clone()))
            .collect(),
    })
}

fn staged_balance<V: LedgerView + ?Sized>(
    view: &V,
    staged: &HashMap<AccountId, Balance>,
    id: &AccountId,
) -> Balance {
    staged
        .get(id)
        .copied()
        .or_else(|| view.account(id).map(|s| s.1))
        .unwrap_or_default()
}

fn check_limits<V: LedgerView + ?Sized>(
    view: &V,
    staged: &HashMap<AccountId, &Account>,
    index: usize,
    t: &Transfer,
    debit: &Balance,
    credit: &Balance,
) -> Result<(), LedgerError> {
    let flags = |id: &AccountId| {
        view.account(id)
            .map(|s| s.0.flags)
            .or_else(|| staged.get(id).map(|a| a.flags))
            .unwrap_or_default()
    };
    for (account, balance) in [(t.debit, debit), (t.credit, credit)] {
        let f = flags(&account);
        if f.debits_must_not_exceed_credits && balance.available_credit().is_negative() {
            return Err(LedgerError::ExceedsCredits {
                index,
                id: t.id.clone(),
                account,
                available: balance.available_credit() + t.amount,
                wanted: t.amount,
            });
        }
        if f.credits_must_not_exceed_debits && balance.available_debit().is_negative() {
            return Err(LedgerError::ExceedsDebits {
                index,
                id: t.id.clone(),
                account,
                available: balance.available_debit() + t.amount,
                wanted: t.amount,
            });
        }
    }
    Ok(())
}

fn find_pending<'a, V: LedgerView + ?Sized>(
    view: &'a V,
    index: usize,
    t: &Transfer,
    pending_id: &TransferId,
    batch: &'a [Transfer],
    in_batch: &HashMap<&TransferId, usize>,
    resolved: &HashMap<&TransferId, &TransferId>,
) -> Result<&'a Transfer, LedgerError> {
    let (pending, resolved_before) = if let Some(stored) = view.transfer(pending_id) {
        (stored.transfer, stored.resolved_by)
    } else if let Some(&i) = in_batch.get(pending_id) {
        (&batch[i], None)
    } else {
        return Err(LedgerError::PendingNotFound {
            index,
            id: t.id.clone(),
            pending: pending_id.clone(),
        });
    };
    if pending.phase != Phase::Pending {
        return Err(LedgerError::NotPending {
            index,
            id: t.id.clone(),
            pending: pending_id.clone(),
        });
    }
    if let Some(by) = resolved_before.or_else(|| resolved.get(pending_id).copied()) {
        return Err(LedgerError::PendingAlreadyResolved {
            index,
            id: t.id.clone(),
            pending: pending_id.clone(),
            by: by.clone(),
        });
    }
    Ok(pending)
}

fn account_difference(a: &Account, b: &Account) -> Option<&'static str> {
    if a.kind != b.kind {
        Some("kind")
    } else if a.flags != b.flags {
        Some("flags")
    } else if a.label != b.label {
        Some("label")
    } else {
        None
    }
}

/// The totals of one book of one entity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BookTotals {
    pub entity: EntityId,
    pub book: Book,
    pub debits_posted: i128,
    pub credits_posted: i128,
    pub debits_pending: i128,
    pub credits_pending: i128,
}

/// Something `check` found wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum CheckProblem {
    /// Σ debits ≠ Σ credits in a book.
    Unbalanced { entity: EntityId, book: Book },
    /// A cached balance differs from the one the journal gives.
    BalanceMismatch {
        account: AccountId,
        cached: Balance,
        recomputed: Balance,
    },
    /// A balance breaks its account's limit.
    LimitBreached {
        account: AccountId,
        balance: Balance,
    },
    /// The journal moves an account that does not exist.
    UnknownAccount { account: AccountId },
    /// A post or void names a pending transfer the journal does not hold before it.
    DanglingSettlement { transfer: TransferId },
    /// An activity's invoiced budget (kept outside the books) is not what its budget accounts
    /// explain (see the application's `budgets` module); found by the application's check.
    BudgetsDisagree {
        activity: ActivityId,
        invoiced: Money,
        explained: Money,
    },
}

/// What `check` found: totals per book and the problems (none when the books are sound).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    pub books: Vec<BookTotals>,
    pub accounts: usize,
    pub transfers: usize,
    pub problems: Vec<CheckProblem>,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Recomputes every balance from journal entries (in posting order).
pub fn recompute_balances<'a>(
    entries: impl IntoIterator<Item = &'a JournalEntry>,
) -> (HashMap<AccountId, Balance>, usize, Vec<CheckProblem>) {
    let mut balances: HashMap<AccountId, Balance> = HashMap::new();
    let mut pendings: HashMap<&TransferId, &Transfer> = HashMap::new();
    let mut problems = Vec::new();
    let mut count = 0;
    for entry in entries {
        for t in &entry.transfers {
            count += 1;
            let (d, c) = (t.debit, t.credit);
            match &t.phase {
                Phase::Single => {
                    balances.entry(d).or_default().debits_posted += t.amount;
                    balances.entry(c).or_default().credits_posted += t.amount;
                }
                Phase::Pending => {
                    balances.entry(d).or_default().debits_pending += t.amount;
                    balances.entry(c).or_default().credits_pending += t.amount;
                    pendings.insert(&t.id, t);
                }
                Phase::Post(p) | Phase::Void(p) => {
                    let Some(pending) = pendings.remove(p) else {
                        problems.push(CheckProblem::DanglingSettlement {
                            transfer: t.id.clone(),
                        });
                        continue;
                    };
                    balances.entry(d).or_default().debits_pending -= pending.amount;
                    balances.entry(c).or_default().credits_pending -= pending.amount;
                    if matches!(t.phase, Phase::Post(_)) {
                        balances.entry(d).or_default().debits_posted += t.amount;
                        balances.entry(c).or_default().credits_posted += t.amount;
                    }
                }
            }
        }
    }
    (balances, count, problems)
}

/// The check the `ensemble ledger check` command runs, on any store's accounts (with their
/// cached balances) and journal entries.
pub fn check_books<'a>(
    accounts: &[(Account, Balance)],
    entries: impl IntoIterator<Item = &'a JournalEntry>,
) -> CheckReport {
    let (recomputed, transfers, mut problems) = recompute_balances(entries);
    let known: HashMap<AccountId, &(Account, Balance)> =
        accounts.iter().map(|ab| (ab.0.id, ab)).collect();
    let mut orphans: Vec<&AccountId> = recomputed
        .keys()
        .filter(|id| !known.contains_key(id))
        .collect();
    orphans.sort();
    for id in orphans {
        problems.push(CheckProblem::UnknownAccount { account: *id });
    }
    let mut totals: BTreeMap<(EntityId, Book), BookTotals> = BTreeMap::new();
    for (account, cached) in accounts {
        let fresh = recomputed.get(&account.id).copied().unwrap_or_default();
        if fresh != *cached {
            problems.push(CheckProblem::BalanceMismatch {
                account: account.id,
                cached: *cached,
                recomputed: fresh,
            });
        }
        let f = account.flags;
        if (f.debits_must_not_exceed_credits && cached.available_credit().is_negative())
            || (f.credits_must_not_exceed_debits && cached.available_debit().is_negative())
        {
            problems.push(CheckProblem::LimitBreached {
                account: account.id,
                balance: *cached,
            });
        }
        let t = totals
            .entry((account.id.entity, account.id.book))
            .or_insert_with(|| BookTotals {
                entity: account.id.entity,
                book: account.id.book,
                debits_posted: 0,
                credits_posted: 0,
                debits_pending: 0,
                credits_pending: 0,
            });
        t.debits_posted += i128::from(cached.debits_posted.cents());
        t.credits_posted += i128::from(cached.credits_posted.cents());
        t.debits_pending += i128::from(cached.debits_pending.cents());
        t.credits_pending += i128::from(cached.credits_pending.cents());
    }
    let books: Vec<BookTotals> = totals.into_values().collect();
    for b in &books {
        if b.debits_posted != b.credits_posted || b.debits_pending != b.credits_pending {
            problems.push(CheckProblem::Unbalanced {
                entity: b.entity,
                book: b.book,
            });
        }
    }
    CheckReport {
        books,
        accounts: accounts.len(),
        transfers,
        problems,
    }
}
