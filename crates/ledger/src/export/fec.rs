//! The French FEC (fichier des écritures comptables), one file per entity and fiscal year.
//!
//! Format, from article A47 A-1 of the Livre des procédures fiscales (as amended by the
//! arrêté du 29 juillet 2013) and its commentary BOI-CF-IOR-60-40-20:
//! - a flat file, one record per line, records separated by carriage return + line feed,
//!   fields separated by one unambiguous character: tab (default) or `|`;
//! - characters from ISO 8859-15 (the file is written in that encoding; a character it lacks
//!   becomes `?`, and the separator or a line break inside a text becomes a space);
//! - amounts in decimal characters with a comma before the cents and no thousands separator;
//!   dates as `AAAAMMJJ`;
//! - a first line with the 18 field names, then one line per account line of each entry, in
//!   this order: JournalCode, JournalLib, EcritureNum, EcritureDate, CompteNum, CompteLib,
//!   CompAuxNum, CompAuxLib, PieceRef, PieceDate, EcritureLib, Debit, Credit, EcritureLet,
//!   DateLet, ValidDate, Montantdevise, Idevise;
//! - the file is named `<SIREN>FEC<AAAAMMJJ>.txt`, the date being the fiscal year's closing
//!   date.
//!
//! Ensemble's choices within those rules:
//! - entries are in chronological order (by accounting date, then posting order), numbered
//!   without gaps within each journal (`VT000001`, `VT000002`…, `BQ000001`…);
//! - the first entry carries the balances brought forward (`AN`, "À-nouveaux") of the
//!   balance-sheet accounts (classes 1 to 5) posted before the year, the earlier years'
//!   result going to 110 / 119 "Report à nouveau" until the general meeting appropriates it;
//! - one entry per journal, date, event and document of a batch, its lines grouped per
//!   account and side in the order they first appear;
//! - sub-accounts (`411` per client, `421` per member) are auxiliary accounts: `CompAuxNum`
//!   is the owner's id (32 hex digits), `CompAuxLib` its name;
//! - a transfer is validated when it is posted (the ledger has no draft state), so
//!   `ValidDate` equals `EcritureDate`; lettering (`EcritureLet`, `DateLet`) and foreign
//!   currency (`Montantdevise`, `Idevise`) are empty: every amount is in euros.

use std::collections::HashMap;

use ensemble_domain::identifiers::Siren;
use ensemble_domain::{EntityId, Money};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{ExportError, comma, lookup, posted};
use crate::chart::FR_PCG;
use crate::journal::JournalEntry;
use crate::model::{Account, AccountCode, AccountId, Book, Journal, Transfer};

/// The field separator.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FecSeparator {
    #[default]
    Tab,
    Pipe,
}

impl FecSeparator {
    const fn char(self) -> char {
        match self {
            FecSeparator::Tab => '\t',
            FecSeparator::Pipe => '|',
        }
    }
}

/// A fiscal year: first and last day, inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiscalYear {
    pub start: Date,
    pub end: Date,
}

impl FiscalYear {
    pub fn new(start: Date, end: Date) -> Result<FiscalYear, ExportError> {
        if end < start {
            return Err(ExportError::FiscalYear { start, end });
        }
        Ok(FiscalYear { start, end })
    }

    /// A calendar year.
    pub fn calendar(year: i16) -> FiscalYear {
        FiscalYear {
            start: Date::constant(year, 1, 1),
            end: Date::constant(year, 12, 31),
        }
    }
}

/// A written FEC: its name and its bytes (ISO 8859-15).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FecFile {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

const HEADER: [&str; 18] = [
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
];

/// What makes one entry of the file: batch, journal, date, event, document.
type GroupKey<'a> = (u64, Journal, Date, &'a str, &'a str);

/// One accounting entry of the file: its header and its lines.
struct Ecriture {
    journal: Journal,
    date: Date,
    document: String,
    document_date: Date,
    label: String,
    /// (account, is debit, amount), grouped per account and side.
    lines: Vec<(AccountId, bool, Money)>,
}

impl Ecriture {
    fn add(&mut self, account: AccountId, debit: bool, amount: Money) {
        match self
            .lines
            .iter_mut()
            .find(|(a, d, _)| *a == account && *d == debit)
        {
            Some(line) => line.2 += amount,
            None => self.lines.push((account, debit, amount)),
        }
    }
}

fn yyyymmdd(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

/// Writes the FEC of one French entity for one fiscal year, from its journal (every entry,
/// including those before the year, whose balances are brought forward) and its accounts.
pub fn fec(
    siren: &Siren,
    entity: EntityId,
    year: FiscalYear,
    accounts: &[Account],
    entries: &[JournalEntry],
    separator: FecSeparator,
) -> Result<FecFile, ExportError> {
    let known = lookup(accounts);
    let transfers = posted(entity, entries, Book::General)?;
    for (_, t) in &transfers {
        for id in [t.debit, t.credit] {
            let Some(account) = known.get(&id) else {
                return Err(ExportError::UnknownAccount(id));
            };
            if FR_PCG.entry(&id.code).is_none() {
                return Err(ExportError::NotFrench {
                    account: account.id,
                    code: id.code.to_string(),
                });
            }
        }
    }

    let mut ecritures: Vec<Ecriture> = Vec::new();
    if let Some(opening) = opening_entry(year.start, &transfers) {
        ecritures.push(opening);
    }
    // Entries of the year, grouped per batch, journal, date, event and document.
    let mut in_year: Vec<(Date, u64, usize, &Transfer)> = transfers
        .iter()
        .enumerate()
        .filter(|(_, (_, t))| t.date >= year.start && t.date <= year.end)
        .map(|(i, (seq, t))| (t.date, *seq, i, *t))
        .collect();
    in_year.sort_by_key(|(date, seq, i, _)| (*date, *seq, *i));
    let mut groups: Vec<(GroupKey<'_>, Ecriture)> = Vec::new();
    for (date, seq, _, t) in in_year {
        let key = (seq, t.journal, date, t.event.as_str(), t.document.as_str());
        let index = match groups.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                groups.push((
                    key,
                    Ecriture {
                        journal: t.journal,
                        date,
                        document: if t.document.is_empty() {
                            t.event.to_string()
                        } else {
                            t.document.clone()
                        },
                        document_date: t.document_date,
                        label: if t.label.is_empty() {
                            t.code.code().to_string()
                        } else {
                            t.label.clone()
                        },
                        lines: Vec::new(),
                    },
                ));
                groups.len() - 1
            }
        };
        let e = &mut groups[index].1;
        e.add(t.debit, true, t.amount);
        e.add(t.credit, false, t.amount);
    }
    ecritures.extend(groups.into_iter().map(|(_, e)| e));

    let sep = separator.char();
    let mut text = String::with_capacity(256 * (ecritures.len() + 1));
    text.push_str(&HEADER.join(&sep.to_string()));
    text.push_str("\r\n");
    let mut numbers: HashMap<Journal, u32> = HashMap::new();
    for e in &ecritures {
        let n = numbers.entry(e.journal).or_insert(0);
        *n += 1;
        let number = format!("{}{:06}", e.journal.code(), n);
        let date = yyyymmdd(e.date);
        for (account, is_debit, amount) in &e.lines {
            let (aux_num, aux_lib) = match account.owner.and_then(|o| o.uuid()) {
                Some(uuid) => (
                    uuid.simple().to_string().to_uppercase(),
                    known.get(account).map_or("", |a| a.label.as_str()),
                ),
                None => (String::new(), ""),
            };
            let compte_lib = FR_PCG.entry(&account.code).map_or("", |c| c.label);
            let (debit, credit) = if *is_debit {
                (comma(*amount), comma(Money::ZERO))
            } else {
                (comma(Money::ZERO), comma(*amount))
            };
            let fields: [&str; 18] = [
                e.journal.code(),
                e.journal.label(),
                &number,
                &date,
                account.code.as_str(),
                compte_lib,
                &aux_num,
                aux_lib,
                &e.document,
                &yyyymmdd(e.document_date),
                &e.label,
                &debit,
                &credit,
                "",
                "",
                &date,
                "",
                "",
            ];
            for (i, f) in fields.iter().enumerate() {
                if i > 0 {
                    text.push(sep);
                }
                push_clean(&mut text, f, sep);
            }
            text.push_str("\r\n");
        }
    }
    Ok(FecFile {
        file_name: format!("{}FEC{}.txt", siren.as_str(), yyyymmdd(year.end)),
        bytes: latin9(&text),
    })
}

/// The balances brought forward: classes 1 to 5 as they stood, classes 6 and 7 summed into
/// 110 / 119.
fn opening_entry(start: Date, transfers: &[(u64, &Transfer)]) -> Option<Ecriture> {
    let mut net: Vec<(AccountId, i128)> = Vec::new();
    let mut add = |id: AccountId, cents: i128| match net.iter_mut().find(|(a, _)| *a == id) {
        Some(x) => x.1 += cents,
        None => net.push((id, cents)),
    };
    let mut result: i128 = 0;
    let mut entity = None;
    for (_, t) in transfers.iter().filter(|(_, t)| t.date < start) {
        entity = Some(t.debit.entity);
        let cents = i128::from(t.amount.cents());
        for (id, signed) in [(t.debit, cents), (t.credit, -cents)] {
            if id.code.class() >= 6 {
                result += signed;
            } else {
                add(id, signed);
            }
        }
    }
    let entity = entity?;
    if result != 0 {
        let code = if result < 0 { "110" } else { "119" };
        add(
            AccountId::new(entity, Book::General, AccountCode::from_static(code), None),
            result,
        );
    }
    net.sort_by_key(|(id, _)| *id);
    let mut e = Ecriture {
        journal: Journal::Opening,
        date: start,
        document: format!("AN{}", start.year()),
        document_date: start,
        label: format!("Reprise des soldes au {}", yyyymmdd(start)),
        lines: Vec::new(),
    };
    for (id, cents) in net {
        if cents != 0 {
            // Balances are sums of i64 amounts bounded by the ledger.
            let amount = Money::from_cents(cents.unsigned_abs().min(i64::MAX as u128) as i64);
            e.add(id, cents > 0, amount);
        }
    }
    (!e.lines.is_empty()).then_some(e)
}

fn push_clean(out: &mut String, text: &str, sep: char) {
    for c in text.chars() {
        out.push(if c == sep || c == '\t' || c == '\r' || c == '\n' {
            ' '
        } else {
            c
        });
    }
}

/// UTF-8 text to ISO 8859-15 bytes; a character outside the set becomes `?`, typographic
/// quotes and dashes their ASCII forms.
pub(crate) fn latin9(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '€' => 0xA4,
            'Š' => 0xA6,
            'š' => 0xA8,
            'Ž' => 0xB4,
            'ž' => 0xB8,
            'Œ' => 0xBC,
            'œ' => 0xBD,
            'Ÿ' => 0xBE,
            '‘' | '’' => b'\'',
            '“' | '”' => b'"',
            '–' | '—' => b'-',
            c => {
                let code = u32::from(c);
                let replaced = matches!(code, 0xA4 | 0xA6 | 0xA8 | 0xB4 | 0xB8 | 0xBC..=0xBE);
                if code < 0x80 || ((0xA0..=0xFF).contains(&code) && !replaced) {
                    code as u8
                } else {
                    b'?'
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
