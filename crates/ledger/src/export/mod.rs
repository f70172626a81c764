//! Pure writers from journal entries and accounts: the French FEC, a CSV general ledger, the
//! trial balance, an activity budget statement, and a simple balance sheet and P&L.
//!
//! Every export reads *posted* effects only (single transfers and the posting of pending
//! ones); reservations appear only in the activity statement, as such.

mod fec;
mod reports;

pub use fec::{FecFile, FecSeparator, FiscalYear, fec};
pub use reports::{
    ActivityStatement, ActivityStatementLine, BalanceSheet, BudgetPosition, ProfitAndLoss,
    ReportLine, TrialBalance, TrialBalanceLine, activity_statement, balance_sheet,
    general_ledger_csv, profit_and_loss, trial_balance,
};

use ensemble_domain::{EntityId, Money};
use jiff::civil::Date;

use crate::journal::JournalEntry;
use crate::model::{Account, AccountId, Book, Transfer};

/// Why an export cannot be written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    #[error("journal entry {seq} belongs to entity {found}, not {expected}")]
    WrongEntity {
        seq: u64,
        expected: EntityId,
        found: EntityId,
    },
    #[error("account {0} is not in the accounts given")]
    UnknownAccount(AccountId),
    #[error("account {account}: {code} is not an account of the French PCG")]
    NotFrench { account: AccountId, code: String },
    #[error("the fiscal year must end after it starts ({start} to {end})")]
    FiscalYear { start: Date, end: Date },
}

/// The transfers that changed posted balances, with their entry's sequence number, in
/// posting order.
pub(crate) fn posted(
    entity: EntityId,
    entries: &[JournalEntry],
    book: Book,
) -> Result<Vec<(u64, &Transfer)>, ExportError> {
    let mut out = Vec::new();
    for e in entries {
        if e.entity != entity {
            return Err(ExportError::WrongEntity {
                seq: e.seq,
                expected: entity,
                found: e.entity,
            });
        }
        for t in &e.transfers {
            if t.phase.is_posting() && t.debit.book == book {
                out.push((e.seq, t));
            }
        }
    }
    Ok(out)
}

pub(crate) fn lookup(accounts: &[Account]) -> std::collections::HashMap<AccountId, &Account> {
    accounts.iter().map(|a| (a.id, a)).collect()
}

/// `1234.56` → `1234,56` (the FEC's decimal comma).
pub(crate) fn comma(m: Money) -> String {
    m.to_string().replace('.', ",")
}

/// A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break.
pub(crate) fn csv_field(out: &mut String, text: &str) {
    if text.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

pub(crate) fn csv_row(out: &mut String, fields: &[&str]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(out, f);
    }
    out.push_str("\r\n");
}
