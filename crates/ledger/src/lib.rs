//! Ensemble's double-entry ledger, after TigerBeetle and Formance.
//!
//! This crate owns the books of a cooperative entity: accounts with balances posted and
//! pending in integer cents; immutable transfers whose client-chosen id is also their
//! idempotency key; two-phase transfers (pending, then posted — possibly in part — or
//! voided); atomic batches; the French (PCG) and Belgian (PCMN) charts with sub-accounts per
//! activity, member, client and guarantee fund, plus an analytic book of activity budgets;
//! one posting rule per business event; an in-memory [`Ledger`] with `check()`; a journal
//! chained by SHA-256; and pure exports (FEC, general ledger, trial balance, activity budget
//! statement, balance sheet and P&L).
//!
//! It must never import the store, the web layer, the application layer, the clock or the
//! file system: inputs are values, outputs are values and bytes. The store persists the same
//! structures (they are all `serde`), and calls [`check_books`] and [`verify_chain`] on what
//! it reads back.

pub mod chart;
pub mod export;
mod journal;
mod ledger;
mod model;
pub mod rules;

pub use journal::{ChainError, ChainProblem, Hash32, JournalEntry, verify_chain};
pub use ledger::{
    Batch, BookTotals, CheckProblem, CheckReport, Ledger, LedgerError, LedgerView, Outcome, Posted,
    Posting, StoredTransfer, check_books, plan_batch, recompute_balances,
};
pub use model::{
    Account, AccountCode, AccountFlags, AccountId, AccountKind, Balance, Book, EventCode, EventId,
    Journal, MAX_AMOUNT, Owner, ParseError, Phase, Transfer, TransferId,
};
