//! The general ledger (CSV), the trial balance, an activity's budget statement, and a simple
//! balance sheet and profit and loss account per entity.

use std::collections::BTreeMap;

use ensemble_domain::{ActivityId, EntityId, Money};
use jiff::civil::Date;
use serde::Serialize;

use super::{ExportError, csv_row, lookup, posted};
use crate::chart::Chart;
use crate::journal::JournalEntry;
use crate::model::{Account, AccountCode, AccountId, AccountKind, Book, EventCode, Owner, Phase};

fn money(cents: i128) -> Money {
    // Report sums stay far below i64::MAX cents: each amount is bounded by MAX_AMOUNT.
    Money::from_cents(cents.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64)
}

fn aux(id: &AccountId) -> String {
    match id.owner {
        Some(Owner::Fund) => "fund".to_string(),
        Some(o) => o.uuid().map(|u| u.to_string()).unwrap_or_default(),
        None => String::new(),
    }
}

/// The general ledger of one book between two dates (inclusive), as CSV (RFC 4180, `.`
/// decimals): per account, the balance brought forward, then each posted movement with the
/// running balance (debit − credit).
pub fn general_ledger_csv(
    entity: EntityId,
    book: Book,
    from: Date,
    to: Date,
    accounts: &[Account],
    entries: &[JournalEntry],
) -> Result<String, ExportError> {
    let known = lookup(accounts);
    let moves = posted(entity, entries, book)?;
    let mut per_account: BTreeMap<AccountId, Vec<(Date, u64, &crate::model::Transfer, bool)>> =
        BTreeMap::new();
    for (seq, t) in &moves {
        per_account
            .entry(t.debit)
            .or_default()
            .push((t.date, *seq, t, true));
        per_account
            .entry(t.credit)
            .or_default()
            .push((t.date, *seq, t, false));
    }
    let mut out = String::new();
    csv_row(
        &mut out,
        &[
            "account",
            "account_label",
            "auxiliary",
            "date",
            "journal",
            "entry",
            "transfer",
            "document",
            "label",
            "debit",
            "credit",
            "balance",
        ],
    );
    for (id, mut lines) in per_account {
        let account = known.get(&id).ok_or(ExportError::UnknownAccount(id))?;
        lines.sort_by_key(|(date, seq, _, _)| (*date, *seq));
        let signed = |t: &crate::model::Transfer, d: bool| {
            let c = i128::from(t.amount.cents());
            if d { c } else { -c }
        };
        let mut balance: i128 = lines
            .iter()
            .filter(|(date, ..)| *date < from)
            .map(|(_, _, t, d)| signed(t, *d))
            .sum();
        let code = id.code.to_string();
        let auxiliary = aux(&id);
        let in_period: Vec<_> = lines
            .iter()
            .filter(|(date, ..)| *date >= from && *date <= to)
            .collect();
        if balance == 0 && in_period.is_empty() {
            continue;
        }
        let opening = money(balance).to_string();
        let from_text = from.to_string();
        csv_row(
            &mut out,
            &[
                &code,
                &account.label,
                &auxiliary,
                &from_text,
                "",
                "",
                "",
                "",
                "balance brought forward",
                "",
                "",
                &opening,
            ],
        );
        for (date, seq, t, is_debit) in in_period {
            balance += signed(t, *is_debit);
            let amount = t.amount.to_string();
            let (debit, credit) = if *is_debit {
                (amount.as_str(), "")
            } else {
                ("", amount.as_str())
            };
            csv_row(
                &mut out,
                &[
                    &code,
                    &account.label,
                    &auxiliary,
                    &date.to_string(),
                    t.journal.code(),
                    &seq.to_string(),
                    t.id.as_str(),
                    &t.document,
                    &t.label,
                    debit,
                    credit,
                    &money(balance).to_string(),
                ],
            );
        }
    }
    Ok(out)
}

/// One account of the trial balance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TrialBalanceLine {
    pub account: AccountId,
    pub code: AccountCode,
    pub label: String,
    pub debits: Money,
    pub credits: Money,
    /// Debits − credits.
    pub balance: Money,
}

/// Posted debits and credits of every account up to a date (inclusive). Σ debits = Σ credits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TrialBalance {
    pub entity: EntityId,
    pub book: Book,
    pub date: Date,
    pub lines: Vec<TrialBalanceLine>,
    pub total_debits: Money,
    pub total_credits: Money,
}

impl TrialBalance {
    pub fn is_balanced(&self) -> bool {
        self.total_debits == self.total_credits
    }

    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        csv_row(
            &mut out,
            &[
                "account",
                "auxiliary",
                "label",
                "debits",
                "credits",
                "balance",
            ],
        );
        for l in &self.lines {
            csv_row(
                &mut out,
                &[
                    l.code.as_str(),
                    &aux(&l.account),
                    &l.label,
                    &l.debits.to_string(),
                    &l.credits.to_string(),
                    &l.balance.to_string(),
                ],
            );
        }
        csv_row(
            &mut out,
            &[
                "total",
                "",
                "",
                &self.total_debits.to_string(),
                &self.total_credits.to_string(),
                &(self.total_debits - self.total_credits).to_string(),
            ],
        );
        out
    }
}

fn sums(
    entity: EntityId,
    book: Book,
    entries: &[JournalEntry],
    keep: impl Fn(Date) -> bool,
) -> Result<BTreeMap<AccountId, (i128, i128)>, ExportError> {
    let mut sums: BTreeMap<AccountId, (i128, i128)> = BTreeMap::new();
    for (_, t) in posted(entity, entries, book)? {
        if keep(t.date) {
            let c = i128::from(t.amount.cents());
            sums.entry(t.debit).or_default().0 += c;
            sums.entry(t.credit).or_default().1 += c;
        }
    }
    Ok(sums)
}

pub fn trial_balance(
    entity: EntityId,
    book: Book,
    date: Date,
    accounts: &[Account],
    entries: &[JournalEntry],
) -> Result<TrialBalance, ExportError> {
    let known = lookup(accounts);
    let mut lines = Vec::new();
    let (mut td, mut tc) = (0i128, 0i128);
    for (id, (d, c)) in sums(entity, book, entries, |d| d <= date)? {
        let account = known.get(&id).ok_or(ExportError::UnknownAccount(id))?;
        td += d;
        tc += c;
        lines.push(TrialBalanceLine {
            account: id,
            code: id.code,
            label: account.label.clone(),
            debits: money(d),
            credits: money(c),
            balance: money(d - c),
        });
    }
    Ok(TrialBalance {
        entity,
        book,
        date,
        lines,
        total_debits: money(td),
        total_credits: money(tc),
    })
}

/// An activity's three budget figures: available (9200), awaiting its clients' payments
/// (9201), owed to the guarantee fund (9310); and what pending claims reserve.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BudgetPosition {
    pub available: Money,
    pub awaiting_payment: Money,
    pub owed_to_fund: Money,
    /// Reserved by approved claims not yet paid (pending debits on 9200).
    pub reserved: Money,
}

/// One movement of an activity's budget.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActivityStatementLine {
    pub date: Date,
    pub entry: u64,
    pub event: EventCode,
    pub document: String,
    pub label: String,
    /// Changes of each figure (positive = more available, more awaited, more owed, more
    /// reserved).
    pub change: BudgetPosition,
    /// The figures after the movement.
    pub position: BudgetPosition,
}

/// An activity's budget statement between two dates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActivityStatement {
    pub activity: ActivityId,
    pub from: Date,
    pub to: Date,
    pub opening: BudgetPosition,
    pub lines: Vec<ActivityStatementLine>,
    pub closing: BudgetPosition,
}

impl ActivityStatement {
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        csv_row(
            &mut out,
            &[
                "date",
                "entry",
                "event",
                "document",
                "label",
                "available_change",
                "awaiting_change",
                "owed_to_fund_change",
                "reserved_change",
                "available",
                "awaiting_payment",
                "owed_to_fund",
                "reserved",
            ],
        );
        let row = |out: &mut String,
                   date: &str,
                   entry: &str,
                   event: &str,
                   doc: &str,
                   label: &str,
                   c: Option<&BudgetPosition>,
                   p: &BudgetPosition| {
            let change = |m: Option<Money>| m.map(|m| m.to_string()).unwrap_or_default();
            csv_row(
                out,
                &[
                    date,
                    entry,
                    event,
                    doc,
                    label,
                    &change(c.map(|c| c.available)),
                    &change(c.map(|c| c.awaiting_payment)),
                    &change(c.map(|c| c.owed_to_fund)),
                    &change(c.map(|c| c.reserved)),
                    &p.available.to_string(),
                    &p.awaiting_payment.to_string(),
                    &p.owed_to_fund.to_string(),
                    &p.reserved.to_string(),
                ],
            );
        };
        row(
            &mut out,
            &self.from.to_string(),
            "",
            "",
            "",
            "opening",
            None,
            &self.opening,
        );
        for l in &self.lines {
            row(
                &mut out,
                &l.date.to_string(),
                &l.entry.to_string(),
                l.event.code(),
                &l.document,
                &l.label,
                Some(&l.change),
                &l.position,
            );
        }
        row(
            &mut out,
            &self.to.to_string(),
            "",
            "",
            "",
            "closing",
            None,
            &self.closing,
        );
        out
    }
}

/// The statement of one activity's budget between two dates (inclusive).
pub fn activity_statement(
    entity: EntityId,
    activity: ActivityId,
    from: Date,
    to: Date,
    entries: &[JournalEntry],
) -> Result<ActivityStatement, ExportError> {
    let owner = Some(Owner::Activity(activity));
    let code = |c: &'static str| {
        AccountId::new(entity, Book::Analytic, AccountCode::from_static(c), owner)
    };
    let (available, awaiting, advances) = (code("9200"), code("9201"), code("9310"));
    let mut position = BudgetPosition::default();
    let mut opening = None;
    let mut lines = Vec::new();
    let mut moves = Vec::new();
    for e in entries {
        if e.entity != entity {
            return Err(ExportError::WrongEntity {
                seq: e.seq,
                expected: entity,
                found: e.entity,
            });
        }
        for t in &e.transfers {
            moves.push((t.date, e.seq, t));
        }
    }
    moves.sort_by_key(|(date, seq, _)| (*date, *seq));
    let mut pending_amounts: BTreeMap<&str, Money> = BTreeMap::new();
    for (date, seq, t) in moves {
        if t.phase == Phase::Pending {
            pending_amounts.insert(t.id.as_str(), t.amount);
        }
        let mut change = BudgetPosition::default();
        let mut touched = false;
        for (id, is_debit) in [(t.debit, true), (t.credit, false)] {
            let sign = |m: Money| if is_debit { -m } else { m };
            let released = t
                .phase
                .pending_id()
                .and_then(|p| pending_amounts.get(p.as_str()).copied())
                .unwrap_or(Money::ZERO);
            if id == available {
                touched = true;
                match &t.phase {
                    Phase::Single => change.available += sign(t.amount),
                    Phase::Pending if is_debit => change.reserved += t.amount,
                    Phase::Pending => {}
                    Phase::Post(_) => {
                        change.available += sign(t.amount);
                        if is_debit {
                            change.reserved -= released;
                        }
                    }
                    Phase::Void(_) => {
                        if is_debit {
                            change.reserved -= released;
                        }
                    }
                }
            } else if id == awaiting && t.phase.is_posting() {
                touched = true;
                change.awaiting_payment += sign(t.amount);
            } else if id == advances && t.phase.is_posting() {
                touched = true;
                change.owed_to_fund -= sign(t.amount);
            }
        }
        if !touched {
            continue;
        }
        if date < from {
            position = add(position, change);
            continue;
        }
        if date > to {
            break;
        }
        if opening.is_none() {
            opening = Some(position);
        }
        position = add(position, change);
        lines.push(ActivityStatementLine {
            date,
            entry: seq,
            event: t.code,
            document: t.document.clone(),
            label: t.label.clone(),
            change,
            position,
        });
    }
    Ok(ActivityStatement {
        activity,
        from,
        to,
        opening: opening.unwrap_or(position),
        lines,
        closing: position,
    })
}

fn add(a: BudgetPosition, b: BudgetPosition) -> BudgetPosition {
    BudgetPosition {
        available: a.available + b.available,
        awaiting_payment: a.awaiting_payment + b.awaiting_payment,
        owed_to_fund: a.owed_to_fund + b.owed_to_fund,
        reserved: a.reserved + b.reserved,
    }
}

/// A line of a statement: an account number of the chart, its label, an amount.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReportLine {
    pub code: AccountCode,
    pub label: String,
    pub amount: Money,
}

/// A simple balance sheet at a date: balances per chart account (sub-accounts summed), on
/// their kind's side; the result of the period not yet appropriated closes the equity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BalanceSheet {
    pub entity: EntityId,
    pub date: Date,
    pub assets: Vec<ReportLine>,
    pub liabilities: Vec<ReportLine>,
    pub equity: Vec<ReportLine>,
    /// Income − expenses posted up to the date.
    pub result: Money,
    pub total_assets: Money,
    /// Liabilities + equity + result; equals `total_assets`.
    pub total_liabilities_and_equity: Money,
}

/// Income and expenses of a period, per chart account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProfitAndLoss {
    pub entity: EntityId,
    pub from: Date,
    pub to: Date,
    pub income: Vec<ReportLine>,
    pub expenses: Vec<ReportLine>,
    pub total_income: Money,
    pub total_expenses: Money,
    pub result: Money,
}

fn per_code(
    sums: &BTreeMap<AccountId, (i128, i128)>,
    chart: &Chart,
    accounts: &[Account],
    kinds: &[AccountKind],
) -> Vec<ReportLine> {
    let known = lookup(accounts);
    let mut by_code: BTreeMap<AccountCode, (String, i128)> = BTreeMap::new();
    for (id, (d, c)) in sums {
        let kind = known
            .get(id)
            .map(|a| a.kind)
            .or_else(|| chart.entry(&id.code).map(|e| e.kind));
        let Some(kind) = kind.filter(|k| kinds.contains(k)) else {
            continue;
        };
        let amount = if kind.debit_normal() { d - c } else { c - d };
        let label = chart
            .entry(&id.code)
            .map(|e| e.label.to_string())
            .or_else(|| known.get(id).map(|a| a.label.clone()))
            .unwrap_or_default();
        by_code.entry(id.code).or_insert((label, 0)).1 += amount;
    }
    by_code
        .into_iter()
        .filter(|(_, (_, a))| *a != 0)
        .map(|(code, (label, amount))| ReportLine {
            code,
            label,
            amount: money(amount),
        })
        .collect()
}

fn total(lines: &[ReportLine]) -> Money {
    lines.iter().map(|l| l.amount).sum()
}

pub fn balance_sheet(
    entity: EntityId,
    chart: &Chart,
    date: Date,
    accounts: &[Account],
    entries: &[JournalEntry],
) -> Result<BalanceSheet, ExportError> {
    let s = sums(entity, Book::General, entries, |d| d <= date)?;
    let assets = per_code(&s, chart, accounts, &[AccountKind::Asset]);
    let liabilities = per_code(&s, chart, accounts, &[AccountKind::Liability]);
    let equity = per_code(&s, chart, accounts, &[AccountKind::Equity]);
    let result = total(&per_code(&s, chart, accounts, &[AccountKind::Income]))
        - total(&per_code(&s, chart, accounts, &[AccountKind::Expense]));
    let total_assets = total(&assets);
    let total_liabilities_and_equity = total(&liabilities) + total(&equity) + result;
    Ok(BalanceSheet {
        entity,
        date,
        assets,
        liabilities,
        equity,
        result,
        total_assets,
        total_liabilities_and_equity,
    })
}

pub fn profit_and_loss(
    entity: EntityId,
    chart: &Chart,
    from: Date,
    to: Date,
    accounts: &[Account],
    entries: &[JournalEntry],
) -> Result<ProfitAndLoss, ExportError> {
    let s = sums(entity, Book::General, entries, |d| d >= from && d <= to)?;
    let income = per_code(&s, chart, accounts, &[AccountKind::Income]);
    let expenses = per_code(&s, chart, accounts, &[AccountKind::Expense]);
    let (total_income, total_expenses) = (total(&income), total(&expenses));
    Ok(ProfitAndLoss {
        entity,
        from,
        to,
        income,
        expenses,
        total_income,
        total_expenses,
        result: total_income - total_expenses,
    })
}

impl BalanceSheet {
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        csv_row(&mut out, &["section", "account", "label", "amount"]);
        for (section, lines) in [
            ("assets", &self.assets),
            ("liabilities", &self.liabilities),
            ("equity", &self.equity),
        ] {
            for l in lines {
                csv_row(
                    &mut out,
                    &[section, l.code.as_str(), &l.label, &l.amount.to_string()],
                );
            }
        }
        csv_row(
            &mut out,
            &["equity", "", "result", &self.result.to_string()],
        );
        csv_row(
            &mut out,
            &["total", "", "assets", &self.total_assets.to_string()],
        );
        csv_row(
            &mut out,
            &[
                "total",
                "",
                "liabilities and equity",
                &self.total_liabilities_and_equity.to_string(),
            ],
        );
        out
    }
}

impl ProfitAndLoss {
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        csv_row(&mut out, &["section", "account", "label", "amount"]);
        for (section, lines) in [("income", &self.income), ("expenses", &self.expenses)] {
            for l in lines {
                csv_row(
                    &mut out,
                    &[section, l.code.as_str(), &l.label, &l.amount.to_string()],
                );
            }
        }
        csv_row(
            &mut out,
            &["total", "", "income", &self.total_income.to_string()],
        );
        csv_row(
            &mut out,
            &["total", "", "expenses", &self.total_expenses.to_string()],
        );
        csv_row(&mut out, &["total", "", "result", &self.result.to_string()]);
        out
    }
}
