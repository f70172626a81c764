//! Bank-to-customer statements: ISO 20022 camt.053.001.08 and camt.053.001.02.
//!
//! [`read`] takes the bytes of a file and returns every statement in it, or an error that
//! names the element and the rule (`Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/Amt: 12,50 is not an
//! amount`) and nothing else: no statement is returned from a file that has an error anywhere.
//!
//! Checks beyond the shape of each element:
//! * every balance and entry is in the statement's currency (`Acct/Ccy`, or the currency of
//!   the first balance when the account does not say);
//! * opening balance (`OPBD`, or `PRCD` when there is no `OPBD`) + booked credits − booked
//!   debits = closing balance (`CLBD`). Some banks compute `CLBD` on value date: when the
//!   equation only holds once the booked entries value-dated after the closing balance's date
//!   are left out, the statement is accepted and says so in [`BalanceCheck::ValueDated`] (the
//!   validators' README documents PostFinance's public sample doing this); any other mismatch
//!   is an error;
//! * `TxsSummry`: the number and sum of booked credit and debit entries;
//! * an entry with several transactions: their amounts add up to the entry's.
//!
//! The two versions differ where this reader looks: the status is `<Sts>BOOK</Sts>` in .02 and
//! `<Sts><Cd>BOOK</Cd></Sts>` in .08 (each refused in the other version's form), BICs are
//! `BIC` / `BICFI`, parties `Dbtr/Nm` / `Dbtr/Pty/Nm`, and a transaction's amount is
//! `AmtDtls/TxAmt/Amt` in .02 where .08 has `Amt` and `CdtDbtInd`.
//!
//! The file must be UTF-8 (the encoding of ISO 20022 XML messages); a statement split over
//! several pages must be joined before it is read.

mod tree;

use std::fmt;

use ensemble_domain::identifiers::{BeStructuredCommunication, Bic, Iban, RfCreditorReference};
use ensemble_domain::{Money, MoneyError, PaymentReference};
use jiff::civil::Date;
use serde::Serialize;

use tree::{Element, is_repeatable};

/// The camt.053 versions this reader knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum CamtVersion {
    /// `camt.053.001.02` (2009), still sent by many banks.
    V02,
    /// `camt.053.001.08` (2019).
    V08,
}

impl CamtVersion {
    pub fn namespace(self) -> &'static str {
        match self {
            CamtVersion::V02 => "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02",
            CamtVersion::V08 => "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08",
        }
    }

    fn from_namespace(namespace: &str) -> Option<CamtVersion> {
        [CamtVersion::V02, CamtVersion::V08]
            .into_iter()
            .find(|v| v.namespace() == namespace)
    }
}

/// Why a statement file is refused: the element (path with positions) and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct CamtError {
    /// `Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/Amt`
    pub path: String,
    pub message: String,
}

/// A three-letter ISO 4217 currency code.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    pub const EUR: Currency = Currency(*b"EUR");

    pub fn parse(code: &str) -> Option<Currency> {
        let bytes: [u8; 3] = code.as_bytes().try_into().ok()?;
        bytes
            .iter()
            .all(u8::is_ascii_uppercase)
            .then_some(Currency(bytes))
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII capitals are stored.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Currency({})", self.as_str())
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Credit (money in) or debit (money out), from the account owner's side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum CreditDebit {
    Credit,
    Debit,
}

impl CreditDebit {
    pub fn code(self) -> &'static str {
        match self {
            CreditDebit::Credit => "CRDT",
            CreditDebit::Debit => "DBIT",
        }
    }

    /// `amount` with the sign of its effect on the balance.
    pub fn signed(self, amount: Money) -> Money {
        match self {
            CreditDebit::Credit => amount,
            CreditDebit::Debit => -amount,
        }
    }
}

/// A file: one message with one or more statements.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BankToCustomerStatement {
    pub version: CamtVersion,
    pub message_id: String,
    /// `GrpHdr/CreDtTm` as written by the bank.
    pub created_at: String,
    pub statements: Vec<Statement>,
}

/// One account's statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Statement {
    pub id: String,
    pub electronic_sequence_number: Option<u64>,
    pub legal_sequence_number: Option<u64>,
    pub created_at: Option<String>,
    pub account: Account,
    pub opening_balance: Balance,
    pub closing_balance: Balance,
    /// Other balances (available, forward available, interim…).
    pub other_balances: Vec<Balance>,
    pub entries: Vec<Entry>,
    pub balance_check: BalanceCheck,
}

/// The statement's account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Account {
    pub iban: Iban,
    pub currency: Currency,
    pub owner_name: Option<String>,
    pub servicer_bic: Option<Bic>,
}

/// A balance: its type code (`OPBD`, `CLBD`, `PRCD`, `CLAV`…), signed amount (negative when
/// the account is overdrawn) and date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Balance {
    pub code: String,
    pub amount: Money,
    pub date: Date,
}

/// How the closing balance was checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum BalanceCheck {
    /// Opening + booked credits − booked debits = closing.
    Exact,
    /// The equation holds once the booked entries value-dated after the closing balance's
    /// date (their numbers are listed) are left out: the bank computes its closing balance on
    /// value date.
    ValueDated {
        closing_date: Date,
        excluded_entries: Vec<usize>,
    },
}

/// The status of an entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum EntryStatus {
    /// `BOOK`: on the account; only booked entries count in balances and reconciliation.
    Booked,
    /// `PDNG`
    Pending,
    /// `INFO`
    Information,
    /// `FUTR` (.08)
    Future,
    /// `Sts/Prtry` (.08)
    Proprietary(String),
}

/// An entry of the statement: one movement on the account, possibly a batch of transactions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Its position in the statement, from 1 (as in `Ntry[3]`).
    pub number: usize,
    /// `NtryRef`
    pub reference: Option<String>,
    /// Always positive; the direction says in or out.
    pub amount: Money,
    pub direction: CreditDebit,
    /// `RvslInd`: this entry reverses an earlier one.
    pub reversal: bool,
    pub status: EntryStatus,
    pub booking_date: Option<Date>,
    pub value_date: Option<Date>,
    /// `AcctSvcrRef`: the bank's own reference for the entry.
    pub servicer_reference: Option<String>,
    pub bank_transaction_code: Option<BankTransactionCode>,
    pub batch: Option<Batch>,
    pub transactions: Vec<Transaction>,
    /// `AddtlNtryInf`
    pub additional_info: Option<String>,
}

/// `BkTxCd`: ISO domain / family / sub-family (`PMNT` / `RCDT` / `ESCT`) or a bank's own code.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BankTransactionCode {
    pub domain: Option<String>,
    pub family: Option<String>,
    pub sub_family: Option<String>,
    pub proprietary: Option<String>,
}

/// `NtryDtls/Btch`: the payment batch an entry books (our own pain.001 batches come back so).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Batch {
    pub message_id: Option<String>,
    pub payment_information_id: Option<String>,
    pub number_of_transactions: Option<u64>,
    pub total: Option<Money>,
}

/// `TxDtls`: one transaction of an entry.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Transaction {
    pub references: TransactionReferences,
    /// The transaction's amount and currency, when the bank gives them.
    pub amount: Option<(Money, Currency)>,
    /// `.08` only; `.02` transactions take their entry's direction.
    pub direction: Option<CreditDebit>,
    pub debtor: Option<Party>,
    pub creditor: Option<Party>,
    pub ultimate_debtor: Option<String>,
    pub ultimate_creditor: Option<String>,
    pub remittance: RemittanceInformation,
    /// `AddtlTxInf`
    pub additional_info: Option<String>,
}

/// `TxDtls/Refs`
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TransactionReferences {
    pub message_id: Option<String>,
    pub servicer_reference: Option<String>,
    pub payment_information_id: Option<String>,
    pub instruction_id: Option<String>,
    pub end_to_end_id: Option<String>,
    pub transaction_id: Option<String>,
    pub mandate_id: Option<String>,
}

/// A party of a transaction: name, account and bank, whichever the bank gives.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Party {
    pub name: Option<String>,
    pub iban: Option<Iban>,
    /// A non-IBAN account id (`Acct/Id/Othr/Id`).
    pub other_account: Option<String>,
    pub bic: Option<Bic>,
}

/// `RmtInf`
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RemittanceInformation {
    /// `Ustrd` lines, and `Strd/AddtlRmtInf` lines.
    pub unstructured: Vec<String>,
    pub creditor_references: Vec<CreditorReference>,
}

/// `Strd/CdtrRefInf`: a creditor reference with its type and issuer — `BBA` for a Belgian
/// structured communication, `ISO` for an ISO 11649 RF reference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CreditorReference {
    /// `Tp/CdOrPrtry/Cd` (`SCOR`) or `Prtry`.
    pub code: Option<String>,
    pub issuer: Option<String>,
    /// As written.
    pub reference: String,
    /// The reference read as a structured communication or RF reference, when it is a valid
    /// one (wrong check digits leave it `None`: the matcher then treats it as text).
    pub payment_reference: Option<PaymentReference>,
}

impl Transaction {
    /// The other side of a movement: the debtor of a credit, the creditor of a debit.
    pub fn counterparty(&self, direction: CreditDebit) -> Option<&Party> {
        match direction {
            CreditDebit::Credit => self.debtor.as_ref(),
            CreditDebit::Debit => self.creditor.as_ref(),
        }
    }
}

/// Reads a camt.053.001.08 or camt.053.001.02 file: every statement, or the first error.
pub fn read(bytes: &[u8]) -> Result<BankToCustomerStatement, CamtError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| CamtError {
        path: "(document)".to_string(),
        message: format!(
            "not UTF-8 (invalid byte at offset {}): ISO 20022 messages are UTF-8",
            e.valid_up_to()
        ),
    })?;
    let document = tree::parse(text).map_err(|e| CamtError {
        path: e.path,
        message: format!("not well-formed XML (line {}): {}", e.line, e.message),
    })?;
    let root = Node::root(&document.root);
    if document.root.name != "Document" {
        return Err(root.error(format!(
            "the root element is {}, expected Document",
            document.root.name
        )));
    }
    let namespace = document.namespace.unwrap_or_default();
    let version = CamtVersion::from_namespace(&namespace).ok_or_else(|| {
        root.error(format!(
            "namespace \"{namespace}\" is not camt.053.001.08 or camt.053.001.02"
        ))
    })?;
    let message = root.required("BkToCstmrStmt")?;
    let header = message.required("GrpHdr")?;
    let reader = Reader { version };
    let statements = message
        .children("Stmt")
        .map(|s| reader.statement(&s))
        .collect::<Result<Vec<_>, _>>()?;
    if statements.is_empty() {
        return Err(message.error("no Stmt: a camt.053 message has at least one statement"));
    }
    Ok(BankToCustomerStatement {
        version,
        message_id: header.required_text("MsgId")?,
        created_at: header.required_text("CreDtTm")?,
        statements,
    })
}

/// An element with its path, for errors.
struct Node<'a> {
    element: &'a Element,
    path: String,
}

impl<'a> Node<'a> {
    fn root(element: &'a Element) -> Node<'a> {
        Node {
            element,
            path: element.name.clone(),
        }
    }

    fn error(&self, message: impl Into<String>) -> CamtError {
        CamtError {
            path: self.path.clone(),
            message: message.into(),
        }
    }

    fn child_path(&self, name: &str, position: usize) -> String {
        if is_repeatable(name) {
            format!("{}/{name}[{position}]", self.path)
        } else {
            format!("{}/{name}", self.path)
        }
    }

    fn children(&self, name: &'a str) -> impl Iterator<Item = Node<'a>> + '_ {
        self.element
            .children
            .iter()
            .filter(move |c| c.name == name)
            .enumerate()
            .map(move |(i, c)| Node {
                element: c,
                path: self.child_path(name, i + 1),
            })
    }

    fn child(&self, name: &'a str) -> Option<Node<'a>> {
        self.children(name).next()
    }

    fn required(&self, name: &'a str) -> Result<Node<'a>, CamtError> {
        self.child(name).ok_or_else(|| CamtError {
            path: self.child_path(name, 1),
            message: format!("missing (required in {})", self.element.name),
        })
    }

    /// The element's text, trimmed; an error when empty.
    fn text(&self) -> Result<String, CamtError> {
        let t = self.element.text.trim();
        if t.is_empty() {
            return Err(self.error("is empty"));
        }
        Ok(t.to_string())
    }

    fn text_of(&self, name: &'a str) -> Result<Option<String>, CamtError> {
        self.child(name).map(|c| c.text()).transpose()
    }

    fn required_text(&self, name: &'a str) -> Result<String, CamtError> {
        self.required(name)?.text()
    }

    /// Text at a path of single children (`Tp/CdOrPrtry/Cd`), when every step is present.
    fn text_at(&self, steps: &[&'a str]) -> Result<Option<String>, CamtError> {
        match self.descend(steps) {
            Some(node) => node.text().map(Some),
            None => Ok(None),
        }
    }

    fn descend(&self, steps: &[&'a str]) -> Option<Node<'a>> {
        let (first, rest) = steps.split_first()?;
        let mut node = self.child(first)?;
        for step in rest {
            node = node.child(step)?;
        }
        Some(node)
    }

    fn attribute(&self, name: &str) -> Option<&'a str> {
        self.element
            .attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn amount(&self) -> Result<(Money, Currency), CamtError> {
        let text = self.text()?;
        let money = Money::parse_non_negative(&text).map_err(|e| {
            self.error(match e {
                MoneyError::Syntax(_) => format!("{text} is not an amount"),
                MoneyError::TooPrecise(_) => {
                    format!("{text} has more than two decimals: amounts are kept to the cent")
                }
                MoneyError::OutOfRange(_) => format!("{text} is not an amount in range"),
            })
        })?;
        if !text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return Err(self.error(format!("{text} is not an amount")));
        }
        let code = self
            .attribute("Ccy")
            .ok_or_else(|| self.error("the Ccy attribute (currency) is missing"))?;
        let currency = Currency::parse(code)
            .ok_or_else(|| self.error(format!("Ccy=\"{code}\" is not a currency code")))?;
        Ok((money, currency))
    }

    fn date(&self) -> Result<Date, CamtError> {
        let text = self.text()?;
        parse_iso_date(&text)
            .ok_or_else(|| self.error(format!("{text} is not a date (YYYY-MM-DD)")))
    }

    /// `Dt` or the date of `DtTm` inside a `DateAndDateTime(2)Choice`.
    fn date_choice(&self) -> Result<Date, CamtError> {
        if let Some(d) = self.child("Dt") {
            return d.date();
        }
        if let Some(dt) = self.child("DtTm") {
            let text = dt.text()?;
            return text
                .split_once('T')
                .and_then(|(d, time)| (time.len() >= 8).then_some(d))
                .and_then(parse_iso_date)
                .ok_or_else(|| dt.error(format!("{text} is not a date and time")));
        }
        Err(self.error("has neither Dt nor DtTm"))
    }

    fn credit_debit(&self) -> Result<CreditDebit, CamtError> {
        let node = self.required("CdtDbtInd")?;
        match node.text()?.as_str() {
            "CRDT" => Ok(CreditDebit::Credit),
            "DBIT" => Ok(CreditDebit::Debit),
            other => Err(node.error(format!("{other} is neither CRDT nor DBIT"))),
        }
    }

    fn iban(&self) -> Result<Iban, CamtError> {
        let text = self.text()?;
        Iban::parse(&text).map_err(|e| self.error(e.to_string()))
    }

    fn bic(&self) -> Result<Bic, CamtError> {
        let text = self.text()?;
        Bic::parse(&text).map_err(|e| self.error(e.to_string()))
    }

    fn number(&self) -> Result<u64, CamtError> {
        let text = self.text()?;
        text.parse()
            .map_err(|_| self.error(format!("{text} is not a whole number")))
    }

    fn boolean(&self) -> Result<bool, CamtError> {
        match self.text()?.as_str() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            other => Err(self.error(format!("{other} is not true or false"))),
        }
    }
}

/// `YYYY-MM-DD`, optionally followed by a time-zone designator (`xs:date`).
fn parse_iso_date(text: &str) -> Option<Date> {
    let (day, zone) = text.split_at_checked(10)?;
    let b = day.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    let zone_ok = zone.is_empty()
        || zone == "Z"
        || (zone.len() == 6
            && matches!(zone.as_bytes()[0], b'+' | b'-')
            && zone.as_bytes()[3] == b':');
    if !shape || !zone_ok {
        return None;
    }
    day.parse().ok()
}

struct Reader {
    version: CamtVersion,
}

impl Reader {
    fn bic_element(&self) -> &'static str {
        match self.version {
            CamtVersion::V02 => "BIC",
            CamtVersion::V08 => "BICFI",
        }
    }

    fn statement(&self, stmt: &Node<'_>) -> Result<Statement, CamtError> {
        let id = stmt.required_text("Id")?;
        let acct = stmt.required("Acct")?;
        let acct_id = acct.required("Id")?;
        let iban = match acct_id.child("IBAN") {
            Some(node) => node.iban()?,
            None => {
                return Err(acct_id.error(
                    "the account is not identified by an IBAN: only IBAN accounts are supported",
                ));
            }
        };
        let declared_currency = match acct.child("Ccy") {
            Some(node) => {
                let text = node.text()?;
                Some(
                    Currency::parse(&text)
                        .ok_or_else(|| node.error(format!("{text} is not a currency code")))?,
                )
            }
            None => None,
        };
        let servicer_bic = match acct.descend(&["Svcr", "FinInstnId", self.bic_element()]) {
            Some(node) => Some(node.bic()?),
            None => None,
        };
        let owner_name = match self.version {
            CamtVersion::V02 => acct.text_at(&["Ownr", "Nm"])?,
            CamtVersion::V08 => acct
                .text_at(&["Ownr", "Nm"])?
                .or(acct.text_at(&["Ownr", "Pty", "Nm"])?),
        };

        let mut currency = declared_currency;
        let mut balances = Vec::new();
        for bal in stmt.children("Bal") {
            let code_node = bal
                .descend(&["Tp", "CdOrPrtry", "Cd"])
                .or_else(|| bal.descend(&["Tp", "CdOrPrtry", "Prtry"]))
                .ok_or_else(|| bal.error("Tp/CdOrPrtry/Cd is missing"))?;
            let code = code_node.text()?;
            let amt = bal.required("Amt")?;
            let (amount, ccy) = amt.amount()?;
            let expected = *currency.get_or_insert(ccy);
            if ccy != expected {
                return Err(amt.error(format!("balance in {ccy}, the statement is in {expected}")));
            }
            let direction = bal.credit_debit()?;
            let date = bal.required("Dt")?.date_choice()?;
            balances.push((
                bal.path.clone(),
                Balance {
                    code,
                    amount: direction.signed(amount),
                    date,
                },
            ));
        }
        let take = |balances: &mut Vec<(String, Balance)>, code: &str| {
            balances
                .iter()
                .position(|(_, b)| b.code == code)
                .map(|i| balances.remove(i))
        };
        let opening = take(&mut balances, "OPBD")
            .or_else(|| take(&mut balances, "PRCD"))
            .ok_or_else(|| {
                stmt.error("no opening balance (Bal with type OPBD or PRCD): the statement cannot be checked")
            })?;
        let closing = take(&mut balances, "CLBD").ok_or_else(|| {
            stmt.error("no closing balance (Bal with type CLBD): the statement cannot be checked")
        })?;
        let currency = currency.ok_or_else(|| stmt.error("no currency"))?;

        let entries = stmt
            .children("Ntry")
            .enumerate()
            .map(|(i, n)| self.entry(&n, i + 1, currency))
            .collect::<Result<Vec<_>, _>>()?;

        let balance_check = check_balances(stmt, &opening.1, &closing.1, &entries)?;
        if let Some(summary) = stmt.child("TxsSummry") {
            check_summary(&summary, &entries)?;
        }
        Ok(Statement {
            id,
            electronic_sequence_number: stmt
                .child("ElctrncSeqNb")
                .map(|n| n.number())
                .transpose()?,
            legal_sequence_number: stmt.child("LglSeqNb").map(|n| n.number()).transpose()?,
            created_at: stmt.text_of("CreDtTm")?,
            account: Account {
                iban,
                currency,
                owner_name,
                servicer_bic,
            },
            opening_balance: opening.1,
            closing_balance: closing.1,
            other_balances: balances.into_iter().map(|(_, b)| b).collect(),
            entries,
            balance_check,
        })
    }

    fn status(&self, ntry: &Node<'_>) -> Result<EntryStatus, CamtError> {
        let sts = ntry.required("Sts")?;
        let code = match self.version {
            CamtVersion::V02 => {
                if !sts.element.children.is_empty() {
                    return Err(sts.error(
                        "camt.053.001.02 writes the status as text (<Sts>BOOK</Sts>), found child elements (the .06+ form)",
                    ));
                }
                sts.text()?
            }
            CamtVersion::V08 => {
                if let Some(prtry) = sts.child("Prtry") {
                    return Ok(EntryStatus::Proprietary(prtry.text()?));
                }
                match sts.child("Cd") {
                    Some(cd) => cd.text()?,
                    None => {
                        let found = sts.element.text.trim();
                        return Err(sts.error(if found.is_empty() {
                            "camt.053.001.08 wants the status in Cd or Prtry (<Sts><Cd>BOOK</Cd></Sts>)".to_string()
                        } else {
                            format!(
                                "camt.053.001.08 wants the status in Cd (<Sts><Cd>{found}</Cd></Sts>), found the text {found} (the camt.053.001.02-05 form)"
                            )
                        }));
                    }
                }
            }
        };
        match code.as_str() {
            "BOOK" => Ok(EntryStatus::Booked),
            "PDNG" => Ok(EntryStatus::Pending),
            "INFO" => Ok(EntryStatus::Information),
            "FUTR" if self.version == CamtVersion::V08 => Ok(EntryStatus::Future),
            other => Err(sts.error(format!(
                "{other} is not an entry status (BOOK, PDNG, INFO{})",
                if self.version == CamtVersion::V08 {
                    ", FUTR"
                } else {
                    ""
                }
            ))),
        }
    }

    fn entry(
        &self,
        ntry: &Node<'_>,
        number: usize,
        currency: Currency,
    ) -> Result<Entry, CamtError> {
        let amt = ntry.required("Amt")?;
        let (amount, ccy) = amt.amount()?;
        if ccy != currency {
            return Err(amt.error(format!("entry in {ccy}, the statement is in {currency}")));
        }
        let direction = ntry.credit_debit()?;
        let reversal = ntry
            .child("RvslInd")
            .map(|n| n.boolean())
            .transpose()?
            .unwrap_or(false);
        let status = self.status(ntry)?;
        let booking_date = ntry.child("BookgDt").map(|n| n.date_choice()).transpose()?;
        let value_date = ntry.child("ValDt").map(|n| n.date_choice()).transpose()?;
        let bank_transaction_code = match ntry.child("BkTxCd") {
            Some(code) => Some(BankTransactionCode {
                domain: code.text_at(&["Domn", "Cd"])?,
                family: code.text_at(&["Domn", "Fmly", "Cd"])?,
                sub_family: code.text_at(&["Domn", "Fmly", "SubFmlyCd"])?,
                proprietary: code.text_at(&["Prtry", "Cd"])?,
            }),
            None => None,
        };
        let mut batch = None;
        let mut transactions = Vec::new();
        for details in ntry.children("NtryDtls") {
            if let Some(btch) = details.child("Btch") {
                batch = Some(Batch {
                    message_id: btch.text_of("MsgId")?,
                    payment_information_id: btch.text_of("PmtInfId")?,
                    number_of_transactions: btch
                        .child("NbOfTxs")
                        .map(|n| n.number())
                        .transpose()?,
                    total: btch
                        .child("TtlAmt")
                        .map(|n| n.amount().map(|a| a.0))
                        .transpose()?,
                });
            }
            let mut in_details = Vec::new();
            for tx in details.children("TxDtls") {
                in_details.push(self.transaction(&tx)?);
            }
            // Several transactions in one entry: their amounts add up to the entry's.
            if in_details.len() > 1 {
                let amounts: Option<Vec<Money>> = in_details
                    .iter()
                    .map(|t| t.amount.filter(|(_, c)| *c == currency).map(|(m, _)| m))
                    .collect();
                if let Some(amounts) = amounts {
                    let total: Money = amounts.into_iter().sum();
                    if total != amount {
                        return Err(details.error(format!(
                            "its {} transactions add up to {total}, the entry's amount is {amount}",
                            in_details.len()
                        )));
                    }
                }
            }
            transactions.extend(in_details);
        }
        Ok(Entry {
            number,
            reference: ntry.text_of("NtryRef")?,
            amount,
            direction,
            reversal,
            status,
            booking_date,
            value_date,
            servicer_reference: ntry.text_of("AcctSvcrRef")?,
            bank_transaction_code,
            batch,
            transactions,
            additional_info: ntry.text_of("AddtlNtryInf")?,
        })
    }

    fn transaction(&self, tx: &Node<'_>) -> Result<Transaction, CamtError> {
        let references = match tx.child("Refs") {
            Some(refs) => TransactionReferences {
                message_id: refs.text_of("MsgId")?,
                servicer_reference: refs.text_of("AcctSvcrRef")?,
                payment_information_id: refs.text_of("PmtInfId")?,
                instruction_id: refs.text_of("InstrId")?,
                end_to_end_id: refs.text_of("EndToEndId")?,
                transaction_id: refs.text_of("TxId")?,
                mandate_id: refs.text_of("MndtId")?,
            },
            None => TransactionReferences::default(),
        };
        let (amount, direction) = match self.version {
            CamtVersion::V08 => {
                let amount = match tx.child("Amt") {
                    Some(a) => Some(a.amount()?),
                    None => self.amount_details(tx)?,
                };
                let direction = match tx.child("CdtDbtInd") {
                    Some(_) => Some(tx.credit_debit()?),
                    None => None,
                };
                (amount, direction)
            }
            CamtVersion::V02 => (self.amount_details(tx)?, None),
        };
        let (debtor, creditor, ultimate_debtor, ultimate_creditor) = match tx.child("RltdPties") {
            Some(parties) => (
                self.party(&parties, "Dbtr", "DbtrAcct")?,
                self.party(&parties, "Cdtr", "CdtrAcct")?,
                self.party_name(&parties, "UltmtDbtr")?,
                self.party_name(&parties, "UltmtCdtr")?,
            ),
            None => (None, None, None, None),
        };
        let (debtor, creditor) = match tx.child("RltdAgts") {
            Some(agents) => (
                self.with_agent(debtor, &agents, "DbtrAgt")?,
                self.with_agent(creditor, &agents, "CdtrAgt")?,
            ),
            None => (debtor, creditor),
        };
        let mut remittance = RemittanceInformation::default();
        if let Some(rmt) = tx.child("RmtInf") {
            for line in rmt.children("Ustrd") {
                remittance.unstructured.push(line.text()?);
            }
            for strd in rmt.children("Strd") {
                if let Some(cri) = strd.child("CdtrRefInf")
                    && let Some(reference) = cri.text_of("Ref")?
                {
                    let code = cri.text_at(&["Tp", "CdOrPrtry", "Cd"])?.or(cri.text_at(&[
                        "Tp",
                        "CdOrPrtry",
                        "Prtry",
                    ])?);
                    let issuer = cri.text_at(&["Tp", "Issr"])?;
                    let payment_reference = payment_reference(issuer.as_deref(), &reference);
                    remittance.creditor_references.push(CreditorReference {
                        code,
                        issuer,
                        reference,
                        payment_reference,
                    });
                }
                for line in strd.children("AddtlRmtInf") {
                    remittance.unstructured.push(line.text()?);
                }
            }
        }
        Ok(Transaction {
            references,
            amount,
            direction,
            debtor,
            creditor,
            ultimate_debtor,
            ultimate_creditor,
            remittance,
            additional_info: tx.text_of("AddtlTxInf")?,
        })
    }

    /// `AmtDtls/TxAmt/Amt`, else `AmtDtls/InstdAmt/Amt`.
    fn amount_details(&self, tx: &Node<'_>) -> Result<Option<(Money, Currency)>, CamtError> {
        for steps in [["AmtDtls", "TxAmt", "Amt"], ["AmtDtls", "InstdAmt", "Amt"]] {
            if let Some(node) = tx.descend(&steps) {
                return node.amount().map(Some);
            }
        }
        Ok(None)
    }

    /// The party's node holding `Nm`: `Dbtr` in .02, `Dbtr/Pty` in .08 (`Dbtr/Agt` for a bank).
    fn party_node<'a>(&self, parties: &Node<'a>, role: &'a str) -> Option<Node<'a>> {
        let node = parties.child(role)?;
        match self.version {
            CamtVersion::V02 => Some(node),
            CamtVersion::V08 => node.child("Pty").or(Some(node)),
        }
    }

    fn party_name(&self, parties: &Node<'_>, role: &str) -> Result<Option<String>, CamtError> {
        match self.party_node(parties, role) {
            Some(node) => node.text_of("Nm"),
            None => Ok(None),
        }
    }

    fn party(
        &self,
        parties: &Node<'_>,
        role: &str,
        account: &str,
    ) -> Result<Option<Party>, CamtError> {
        let name = self.party_name(parties, role)?;
        let (iban, other_account) = match parties.child(account) {
            Some(acct) => match acct.descend(&["Id", "IBAN"]) {
                Some(node) => (Some(node.iban()?), None),
                None => (None, acct.text_at(&["Id", "Othr", "Id"])?),
            },
            None => (None, None),
        };
        if name.is_none() && iban.is_none() && other_account.is_none() {
            return Ok(None);
        }
        Ok(Some(Party {
            name,
            iban,
            other_account,
            bic: None,
        }))
    }

    fn with_agent(
        &self,
        party: Option<Party>,
        agents: &Node<'_>,
        role: &str,
    ) -> Result<Option<Party>, CamtError> {
        let bic = match agents.descend(&[role, "FinInstnId", self.bic_element()]) {
            Some(node) => Some(node.bic()?),
            None => None,
        };
        Ok(match (party, bic) {
            (party, None) => party,
            (Some(p), Some(bic)) => Some(Party {
                bic: Some(bic),
                ..p
            }),
            (None, Some(bic)) => Some(Party {
                bic: Some(bic),
                ..Party::default()
            }),
        })
    }
}

/// A creditor reference read by its issuer: `BBA` a Belgian structured communication, `ISO`
/// an RF reference; without an issuer, whichever parses.
fn payment_reference(issuer: Option<&str>, reference: &str) -> Option<PaymentReference> {
    let be = || {
        BeStructuredCommunication::parse(reference)
            .ok()
            .map(PaymentReference::Structured)
    };
    let rf = || {
        RfCreditorReference::parse(reference)
            .ok()
            .map(PaymentReference::Rf)
    };
    match issuer.map(str::to_ascii_uppercase).as_deref() {
        Some("BBA") => be(),
        Some("ISO") => rf(),
        _ => rf().or_else(be),
    }
}

fn check_balances(
    stmt: &Node<'_>,
    opening: &Balance,
    closing: &Balance,
    entries: &[Entry],
) -> Result<BalanceCheck, CamtError> {
    let booked = || entries.iter().filter(|e| e.status == EntryStatus::Booked);
    let credits: Money = booked()
        .filter(|e| e.direction == CreditDebit::Credit)
        .map(|e| e.amount)
        .sum();
    let debits: Money = booked()
        .filter(|e| e.direction == CreditDebit::Debit)
        .map(|e| e.amount)
        .sum();
    let computed = opening.amount + credits - debits;
    if computed == closing.amount {
        return Ok(BalanceCheck::Exact);
    }
    let later: Vec<&Entry> = booked()
        .filter(|e| e.value_date.is_some_and(|d| d > closing.date))
        .collect();
    if !later.is_empty() {
        let on_value_date = opening.amount
            + booked()
                .filter(|e| e.value_date.is_none_or(|d| d <= closing.date))
                .map(|e| e.direction.signed(e.amount))
                .sum::<Money>();
        if on_value_date == closing.amount {
            return Ok(BalanceCheck::ValueDated {
                closing_date: closing.date,
                excluded_entries: later.iter().map(|e| e.number).collect(),
            });
        }
    }
    Err(stmt.error(format!(
        "opening balance {} ({}) + booked credits {credits} - booked debits {debits} = {computed}, but the closing balance (CLBD) is {}",
        opening.amount, opening.code, closing.amount
    )))
}

fn check_summary(summary: &Node<'_>, entries: &[Entry]) -> Result<(), CamtError> {
    for (element, direction) in [
        ("TtlCdtNtries", CreditDebit::Credit),
        ("TtlDbtNtries", CreditDebit::Debit),
    ] {
        let Some(totals) = summary.child(element) else {
            continue;
        };
        let booked: Vec<&Entry> = entries
            .iter()
            .filter(|e| e.status == EntryStatus::Booked && e.direction == direction)
            .collect();
        if let Some(count) = totals.child("NbOfNtries") {
            let n = count.number()?;
            if n != booked.len() as u64 {
                return Err(count.error(format!(
                    "{n}, but the statement has {} booked {} entries",
                    booked.len(),
                    direction.code()
                )));
            }
        }
        if let Some(sum) = totals.child("Sum") {
            let text = sum.text()?;
            let declared = Money::parse_non_negative(&text)
                .map_err(|_| sum.error(format!("{text} is not an amount")))?;
            let actual: Money = booked.iter().map(|e| e.amount).sum();
            if declared != actual {
                return Err(sum.error(format!(
                    "{declared}, but the booked {} entries add up to {actual}",
                    direction.code()
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
