//! From a statement to the lines the matcher reads: the money that came in.

use std::collections::HashMap;

use ensemble_domain::Money;
use ensemble_domain::identifiers::Iban;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::fingerprint::{FingerprintInput, LineFingerprint};
use crate::camt053::{CreditDebit, Entry, EntryStatus, Statement, Transaction};

/// A payment received, as the matcher reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLine {
    pub fingerprint: LineFingerprint,
    /// Positive: money in.
    pub amount: Money,
    /// The booking date (the value date when the bank gives no booking date).
    pub booking_date: Date,
    /// The payer (`Dbtr`).
    pub counterparty_name: Option<String>,
    /// Who the payment is for, when the payer pays on someone's behalf (`UltmtDbtr`).
    pub ultimate_party_name: Option<String>,
    pub counterparty_iban: Option<Iban>,
    /// Structured creditor references as written (`Strd/CdtrRefInf/Ref`).
    pub creditor_references: Vec<String>,
    /// Free text: unstructured remittance information, then the additional information of
    /// the transaction and of the entry.
    pub remittance: String,
    /// Where the line comes from, for the staff queue.
    pub origin: Option<LineOrigin>,
}

/// A line's place in its statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineOrigin {
    pub statement_id: String,
    /// `Ntry` position, from 1.
    pub entry: usize,
    /// `TxDtls` position in the entry, from 1, when the entry is split into its transactions.
    pub transaction: Option<usize>,
}

/// The booked credits of a statement, reversals excepted, one line per transaction when an
/// entry books several (a batch of incoming payments) and one line per entry otherwise.
pub fn statement_lines(statement: &Statement) -> Vec<StatementLine> {
    let mut lines = Vec::new();
    let mut occurrences: HashMap<LineFingerprint, u32> = HashMap::new();
    for entry in &statement.entries {
        if entry.status != EntryStatus::Booked
            || entry.direction != CreditDebit::Credit
            || entry.reversal
        {
            continue;
        }
        let split = entry.transactions.len() > 1
            && entry.transactions.iter().all(|t| {
                t.amount
                    .is_some_and(|(_, c)| c == statement.account.currency)
            });
        if split {
            for (k, tx) in entry.transactions.iter().enumerate() {
                let amount = tx.amount.map(|(m, _)| m).unwrap_or(entry.amount);
                lines.push(line(
                    statement,
                    entry,
                    Some(tx),
                    Some(k + 1),
                    amount,
                    &mut occurrences,
                ));
            }
        } else {
            lines.push(line(
                statement,
                entry,
                entry.transactions.first(),
                None,
                entry.amount,
                &mut occurrences,
            ));
        }
    }
    lines
}

fn line(
    statement: &Statement,
    entry: &Entry,
    transaction: Option<&Transaction>,
    position: Option<usize>,
    amount: Money,
    occurrences: &mut HashMap<LineFingerprint, u32>,
) -> StatementLine {
    let booking_date = entry
        .booking_date
        .or(entry.value_date)
        .unwrap_or(statement.closing_balance.date);
    let debtor = transaction.and_then(|t| t.debtor.as_ref());
    let counterparty_iban = debtor.and_then(|d| d.iban);
    let entry_reference = entry
        .servicer_reference
        .as_deref()
        .or(entry.reference.as_deref());
    let transaction_reference = transaction.and_then(|t| {
        let r = &t.references;
        r.servicer_reference
            .as_deref()
            .or(r.transaction_id.as_deref())
            .or(r.end_to_end_id.as_deref().filter(|e| *e != "NOTPROVIDED"))
    });
    let mut input = FingerprintInput {
        account: &statement.account.iban,
        direction: entry.direction,
        amount,
        booking_date,
        value_date: entry.value_date,
        entry_reference,
        transaction_reference,
        counterparty_iban: counterparty_iban.as_ref(),
        occurrence: 0,
    };
    let seen = occurrences.entry(LineFingerprint::of(&input)).or_insert(0);
    *seen += 1;
    input.occurrence = *seen;
    let fingerprint = LineFingerprint::of(&input);

    let mut remittance = String::new();
    let mut add = |s: &str| {
        if !s.is_empty() {
            if !remittance.is_empty() {
                remittance.push(' ');
            }
            remittance.push_str(s);
        }
    };
    if let Some(t) = transaction {
        for u in &t.remittance.unstructured {
            add(u);
        }
        if let Some(info) = &t.additional_info {
            add(info);
        }
    }
    if let Some(info) = &entry.additional_info {
        add(info);
    }
    StatementLine {
        fingerprint,
        amount,
        booking_date,
        counterparty_name: debtor.and_then(|d| d.name.clone()),
        ultimate_party_name: transaction.and_then(|t| t.ultimate_debtor.clone()),
        counterparty_iban,
        creditor_references: transaction
            .map(|t| {
                t.remittance
                    .creditor_references
                    .iter()
                    .map(|r| r.reference.clone())
                    .collect()
            })
            .unwrap_or_default(),
        remittance,
        origin: Some(LineOrigin {
            statement_id: statement.id.clone(),
            entry: entry.number,
            transaction: position,
        }),
    }
}
