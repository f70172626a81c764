//! The ledger's nouns: books, account codes and ids, accounts and their balances, transfers.
//!
//! Every type here is serialisable (serde) so that the store can persist exactly these
//! structures; ids print and parse as text (`Display`/`FromStr`) for database keys.

use std::fmt;
use std::str::FromStr;

use ensemble_domain::{ActivityId, ClientId, EntityId, MemberId, Money};
use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use uuid::Uuid;

/// The largest amount a single transfer may carry: 999 999 999 999.99 €, the domain's bound.
pub const MAX_AMOUNT: Money = Money::from_cents(99_999_999_999_999);

/// Which set of books an account belongs to. A transfer moves money within one book of one
/// entity (TigerBeetle's `ledger` field).
///
/// - `General`: the legal books in the entity's chart (French PCG, Belgian PCMN); the FEC,
///   the trial balance, the balance sheet and the P&L read only this book.
/// - `Analytic`: the management books of activity budgets and of the guarantee fund, in
///   class 9 codes that neither legal chart uses. They never appear in the legal statements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Book {
    General,
    Analytic,
}

impl Book {
    /// One letter, as account ids write it.
    pub const fn letter(self) -> &'static str {
        match self {
            Book::General => "G",
            Book::Analytic => "A",
        }
    }
}

/// The nature of an account, which decides its normal side and where reports put it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    Asset,
    Liability,
    Equity,
    Income,
    Expense,
}

impl AccountKind {
    /// Assets and expenses grow on the debit side; the others on the credit side.
    pub const fn debit_normal(self) -> bool {
        matches!(self, AccountKind::Asset | AccountKind::Expense)
    }

    pub const fn code(self) -> &'static str {
        match self {
            AccountKind::Asset => "asset",
            AccountKind::Liability => "liability",
            AccountKind::Equity => "equity",
            AccountKind::Income => "income",
            AccountKind::Expense => "expense",
        }
    }
}

/// Why a text is not a valid ledger value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ParseError {
    pub field: &'static str,
    pub message: String,
}

impl ParseError {
    pub(crate) fn new(field: &'static str, message: impl Into<String>) -> ParseError {
        ParseError {
            field,
            message: message.into(),
        }
    }
}

/// An account number in a chart: 1 to 10 ASCII digits ("411", "44571", "9200").
/// `Copy` and fixed-size, so account ids hash without allocating.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccountCode {
    // Digits first, zero-padded: the derived order is the order of the text ("411" <
    // "4111" < "412" < "512").
    digits: [u8; 10],
    len: u8,
}

impl AccountCode {
    /// A code from digits; refuses anything else.
    pub fn new(text: &str) -> Result<AccountCode, ParseError> {
        let bytes = text.as_bytes();
        if bytes.is_empty() || bytes.len() > 10 || !bytes.iter().all(u8::is_ascii_digit) {
            return Err(ParseError::new(
                "account_code",
                format!("\"{text}\" is not an account number (1 to 10 digits)"),
            ));
        }
        let mut digits = [0u8; 10];
        digits[..bytes.len()].copy_from_slice(bytes);
        Ok(AccountCode {
            digits,
            len: bytes.len() as u8,
        })
    }

    /// A code known at compile time (chart tables). Fails the build on a bad literal.
    pub const fn from_static(text: &'static str) -> AccountCode {
        let bytes = text.as_bytes();
        assert!(
            !bytes.is_empty() && bytes.len() <= 10,
            "account code length"
        );
        let mut digits = [0u8; 10];
        let mut i = 0;
        while i < bytes.len() {
            assert!(bytes[i].is_ascii_digit(), "account code digit");
            digits[i] = bytes[i];
            i += 1;
        }
        AccountCode {
            digits,
            len: bytes.len() as u8,
        }
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored.
        std::str::from_utf8(&self.digits[..usize::from(self.len)]).unwrap_or("")
    }

    /// The class: the first digit (1 to 7 in the legal charts, 9 in the analytic book).
    pub fn class(&self) -> u8 {
        self.digits[0] - b'0'
    }

    /// Whether `self` is `prefix` or one of its subdivisions ("44571" starts with "445").
    pub fn starts_with(&self, prefix: &str) -> bool {
        self.as_str().starts_with(prefix)
    }
}

impl fmt::Display for AccountCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for AccountCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccountCode({})", self.as_str())
    }
}

impl FromStr for AccountCode {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<AccountCode, ParseError> {
        AccountCode::new(s)
    }
}

impl Serialize for AccountCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for AccountCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<AccountCode, D::Error> {
        let text = String::deserialize(d)?;
        AccountCode::new(&text).map_err(serde::de::Error::custom)
    }
}

/// Whose sub-account an account is: `411` of one client, `9200` of one activity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Owner {
    Activity(ActivityId),
    Member(MemberId),
    Client(ClientId),
    /// The entity's guarantee fund.
    Fund,
}

impl Owner {
    pub const fn kind(&self) -> &'static str {
        match self {
            Owner::Activity(_) => "activity",
            Owner::Member(_) => "member",
            Owner::Client(_) => "client",
            Owner::Fund => "fund",
        }
    }

    /// The owner's id, when it has one.
    pub fn uuid(&self) -> Option<Uuid> {
        match self {
            Owner::Activity(id) => Some(id.uuid()),
            Owner::Member(id) => Some(id.uuid()),
            Owner::Client(id) => Some(id.uuid()),
            Owner::Fund => None,
        }
    }
}

/// An account's identity: entity, book, code and optional owner. Deterministic, so posting
/// rules name accounts without a lookup.
///
/// Text form: `<entity uuid>:<G|A>:<code>[:<activity|member|client>:<uuid>|:fund]`, e.g.
/// `0190…:G:411:client:0190…`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccountId {
    pub entity: EntityId,
    pub book: Book,
    pub code: AccountCode,
    pub owner: Option<Owner>,
}

impl AccountId {
    pub const fn new(
        entity: EntityId,
        book: Book,
        code: AccountCode,
        owner: Option<Owner>,
    ) -> AccountId {
        AccountId {
            entity,
            book,
            code,
            owner,
        }
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.entity, self.book.letter(), self.code)?;
        match self.owner {
            None => Ok(()),
            Some(Owner::Fund) => f.write_str(":fund"),
            Some(owner) => {
                let uuid = owner.uuid().unwrap_or_default();
                write!(f, ":{}:{}", owner.kind(), uuid.hyphenated())
            }
        }
    }
}

impl FromStr for AccountId {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<AccountId, ParseError> {
        let bad = || ParseError::new("account_id", format!("\"{s}\" is not an account id"));
        let mut parts = s.split(':');
        let entity: EntityId = parts.next().ok_or_else(bad)?.parse().map_err(|_| bad())?;
        let book = match parts.next() {
            Some("G") => Book::General,
            Some("A") => Book::Analytic,
            _ => return Err(bad()),
        };
        let code = AccountCode::new(parts.next().ok_or_else(bad)?).map_err(|_| bad())?;
        let owner = match (parts.next(), parts.next()) {
            (None, _) => None,
            (Some("fund"), None) => Some(Owner::Fund),
            (Some(kind), Some(id)) => {
                let uuid = Uuid::parse_str(id).map_err(|_| bad())?;
                Some(match kind {
                    "activity" => Owner::Activity(ActivityId::from_uuid(uuid)),
                    "member" => Owner::Member(MemberId::from_uuid(uuid)),
                    "client" => Owner::Client(ClientId::from_uuid(uuid)),
                    _ => return Err(bad()),
                })
            }
            _ => return Err(bad()),
        };
        if parts.next().is_some() {
            return Err(bad());
        }
        Ok(AccountId {
            entity,
            book,
            code,
            owner,
        })
    }
}

impl Serialize for AccountId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for AccountId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<AccountId, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Limits an account enforces on every transfer (TigerBeetle's account flags).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AccountFlags {
    /// Debits (posted and pending) never exceed posted credits: an activity budget cannot
    /// go below zero, and a pending reservation already counts.
    pub debits_must_not_exceed_credits: bool,
    /// Credits (posted and pending) never exceed posted debits: an advance account cannot
    /// be repaid more than was advanced.
    pub credits_must_not_exceed_debits: bool,
}

impl AccountFlags {
    pub const NONE: AccountFlags = AccountFlags {
        debits_must_not_exceed_credits: false,
        credits_must_not_exceed_debits: false,
    };
    pub const NO_OVERDRAFT: AccountFlags = AccountFlags {
        debits_must_not_exceed_credits: true,
        credits_must_not_exceed_debits: false,
    };
    pub const NO_OVERPAYMENT: AccountFlags = AccountFlags {
        debits_must_not_exceed_credits: false,
        credits_must_not_exceed_debits: true,
    };
}

/// An account: its id, nature, limits and label (the chart's label, or the owner's name for
/// a sub-account). Opening the same account twice with the same fields is a no-op.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Account {
    pub id: AccountId,
    pub kind: AccountKind,
    pub flags: AccountFlags,
    pub label: String,
}

/// An account's balance in cents, as TigerBeetle keeps it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Balance {
    pub debits_posted: Money,
    pub credits_posted: Money,
    pub debits_pending: Money,
    pub credits_pending: Money,
}

impl Balance {
    /// Posted debits less posted credits.
    pub fn net_debit(&self) -> Money {
        self.debits_posted - self.credits_posted
    }

    /// Posted credits less posted debits.
    pub fn net_credit(&self) -> Money {
        self.credits_posted - self.debits_posted
    }

    /// What may still be debited under `debits_must_not_exceed_credits`: posted credits less
    /// posted and pending debits.
    pub fn available_credit(&self) -> Money {
        self.credits_posted - self.debits_posted - self.debits_pending
    }

    /// What may still be credited under `credits_must_not_exceed_debits`.
    pub fn available_debit(&self) -> Money {
        self.debits_posted - self.credits_posted - self.credits_pending
    }
}

/// A client-chosen transfer id, which is also its idempotency key: 1 to 160 characters
/// among letters, digits and `- _ . : /`. Posting rules derive it from the event id
/// (`<event id>:<leg>`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TransferId(String);

impl TransferId {
    pub fn new(text: impl Into<String>) -> Result<TransferId, ParseError> {
        let text = text.into();
        check_key("transfer_id", &text, 160)?;
        Ok(TransferId(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn check_key(field: &'static str, text: &str, max: usize) -> Result<(), ParseError> {
    if text.is_empty() || text.len() > max {
        return Err(ParseError::new(
            field,
            format!("\"{text}\" must have 1 to {max} characters"),
        ));
    }
    if let Some(c) = text
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':' | '/')))
    {
        return Err(ParseError::new(
            field,
            format!("\"{text}\" contains {c:?}: only letters, digits and - _ . : / are allowed"),
        ));
    }
    Ok(())
}

impl TryFrom<String> for TransferId {
    type Error = ParseError;
    fn try_from(s: String) -> Result<TransferId, ParseError> {
        TransferId::new(s)
    }
}

impl From<TransferId> for String {
    fn from(id: TransferId) -> String {
        id.0
    }
}

impl fmt::Display for TransferId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for TransferId {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<TransferId, ParseError> {
        TransferId::new(s)
    }
}

/// The id of a business event (an invoice issued, a salary, a payment): 1 to 120 characters
/// among letters, digits and `- _ . : /`. Transfer ids are derived from it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EventId(String);

impl EventId {
    pub fn new(text: impl Into<String>) -> Result<EventId, ParseError> {
        let text = text.into();
        check_key("event_id", &text, 120)?;
        Ok(EventId(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id of one leg of the event: `<event>:<leg>`. Legs are short fixed words, so the
    /// result always fits the transfer id rules.
    pub fn leg(&self, leg: &'static str) -> TransferId {
        TransferId(format!("{}:{leg}", self.0))
    }
}

impl TryFrom<String> for EventId {
    type Error = ParseError;
    fn try_from(s: String) -> Result<EventId, ParseError> {
        EventId::new(s)
    }
}

impl From<EventId> for String {
    fn from(id: EventId) -> String {
        id.0
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for EventId {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<EventId, ParseError> {
        EventId::new(s)
    }
}

/// Whether a transfer moves money now, reserves it, or settles a reservation.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "phase", content = "pending", rename_all = "snake_case")]
pub enum Phase {
    /// Posted at once.
    Single,
    /// Reserved: counts in the pending balances until posted or voided.
    Pending,
    /// Posts a pending transfer, with an amount up to the pending one (the rest is released).
    Post(TransferId),
    /// Releases a pending transfer; its amount equals the pending one.
    Void(TransferId),
}

impl Phase {
    pub const fn tag(&self) -> &'static str {
        match self {
            Phase::Single => "single",
            Phase::Pending => "pending",
            Phase::Post(_) => "post",
            Phase::Void(_) => "void",
        }
    }

    pub fn pending_id(&self) -> Option<&TransferId> {
        match self {
            Phase::Post(id) | Phase::Void(id) => Some(id),
            Phase::Single | Phase::Pending => None,
        }
    }

    /// Whether the transfer changes posted balances (what the legal journal shows).
    pub const fn is_posting(&self) -> bool {
        matches!(self, Phase::Single | Phase::Post(_))
    }
}

/// The business event a transfer belongs to (TigerBeetle's `code`), for reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventCode {
    InvoiceIssued,
    Fee,
    GuaranteeContribution,
    PaymentReceived,
    Salary,
    ExpenseApproved,
    ExpensePaid,
    ExpenseRejected,
    PayoutInitiated,
    PayoutConfirmed,
    PayoutRejected,
    WriteOff,
    GuaranteeAdvance,
    AdvanceRepayment,
    ShareSubscription,
    /// A credit on the bank account nothing identified yet, parked in the suspense account.
    UnidentifiedReceipt,
    /// A correction or any other manual entry.
    Adjustment,
}

impl EventCode {
    pub const fn code(self) -> &'static str {
        match self {
            EventCode::InvoiceIssued => "invoice_issued",
            EventCode::Fee => "fee",
            EventCode::GuaranteeContribution => "guarantee_contribution",
            EventCode::PaymentReceived => "payment_received",
            EventCode::Salary => "salary",
            EventCode::ExpenseApproved => "expense_approved",
            EventCode::ExpensePaid => "expense_paid",
            EventCode::ExpenseRejected => "expense_rejected",
            EventCode::PayoutInitiated => "payout_initiated",
            EventCode::PayoutConfirmed => "payout_confirmed",
            EventCode::PayoutRejected => "payout_rejected",
            EventCode::WriteOff => "write_off",
            EventCode::GuaranteeAdvance => "guarantee_advance",
            EventCode::AdvanceRepayment => "advance_repayment",
            EventCode::ShareSubscription => "share_subscription",
            EventCode::UnidentifiedReceipt => "unidentified_receipt",
            EventCode::Adjustment => "adjustment",
        }
    }
}

/// The journal a transfer is recorded in: the FEC's `JournalCode` and `JournalLib`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Journal {
    /// VT — Ventes: invoices and credit notes.
    Sales,
    /// BQ — Banque: payments in and out.
    Bank,
    /// PA — Paie: salaries and contributions.
    Payroll,
    /// NF — Notes de frais: members' expense claims.
    Expenses,
    /// OD — Opérations diverses: write-offs, share subscriptions, corrections.
    Miscellaneous,
    /// AN — À-nouveaux: opening balances (written by the FEC export only).
    Opening,
    /// BU — Budgets: the analytic book (activity budgets, guarantee fund). Never in the FEC.
    Budget,
}

impl Journal {
    pub const fn code(self) -> &'static str {
        match self {
            Journal::Sales => "VT",
            Journal::Bank => "BQ",
            Journal::Payroll => "PA",
            Journal::Expenses => "NF",
            Journal::Miscellaneous => "OD",
            Journal::Opening => "AN",
            Journal::Budget => "BU",
        }
    }

    /// The French label, as the FEC writes it.
    pub const fn label(self) -> &'static str {
        match self {
            Journal::Sales => "Ventes",
            Journal::Bank => "Banque",
            Journal::Payroll => "Paie",
            Journal::Expenses => "Notes de frais",
            Journal::Miscellaneous => "Opérations diverses",
            Journal::Opening => "À-nouveaux",
            Journal::Budget => "Budgets des activités",
        }
    }
}

/// An immutable movement of `amount` from `credit` to `debit`, both in the same entity and
/// book. Once posted, a transfer never changes; a correction is a new transfer.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Transfer {
    /// Client-chosen; also the idempotency key.
    pub id: TransferId,
    pub debit: AccountId,
    pub credit: AccountId,
    /// Strictly positive.
    pub amount: Money,
    pub phase: Phase,
    pub code: EventCode,
    pub journal: Journal,
    /// The business event this transfer belongs to.
    pub event: EventId,
    /// Accounting date (the FEC's `EcritureDate`).
    pub date: Date,
    /// The supporting document's reference and date (`PieceRef`, `PieceDate`): an invoice or
    /// contract number, a payout batch.
    pub document: String,
    pub document_date: Date,
    /// What happened, in words (`EcritureLib`).
    pub label: String,
}

impl Transfer {
    /// Which transfer field differs from `other`, if any (for idempotency conflicts).
    pub fn first_difference(&self, other: &Transfer) -> Option<&'static str> {
        if self.id != other.id {
            Some("id")
        } else if self.debit != other.debit {
            Some("debit")
        } else if self.credit != other.credit {
            Some("credit")
        } else if self.amount != other.amount {
            Some("amount")
        } else if self.phase != other.phase {
            Some("phase")
        } else if self.code != other.code {
            Some("code")
        } else if self.journal != other.journal {
            Some("journal")
        } else if self.event != other.event {
            Some("event")
        } else if self.date != other.date {
            Some("date")
        } else if self.document != other.document {
            Some("document")
        } else if self.document_date != other.document_date {
            Some("document_date")
        } else if self.label != other.label {
            Some("label")
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uuid(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    #[test]
    fn account_ids_print_and_parse() {
        let entity = EntityId::from_uuid(uuid(1));
        let client = ClientId::from_uuid(uuid(2));
        let id = AccountId::new(
            entity,
            Book::General,
            AccountCode::from_static("411"),
            Some(Owner::Client(client)),
        );
        let text = id.to_string();
        assert_eq!(
            text,
            "00000000-0000-0000-0000-000000000001:G:411:client:00000000-0000-0000-0000-000000000002"
        );
        assert_eq!(text.parse::<AccountId>().unwrap(), id);
        let fund = AccountId::new(
            entity,
            Book::Analytic,
            AccountCode::from_static("9300"),
            Some(Owner::Fund),
        );
        assert_eq!(fund.to_string().parse::<AccountId>().unwrap(), fund);
        let plain = AccountId::new(entity, Book::General, AccountCode::from_static("512"), None);
        assert_eq!(plain.to_string().parse::<AccountId>().unwrap(), plain);
        assert_eq!(
            serde_json::from_str::<AccountId>(&serde_json::to_string(&id).unwrap()).unwrap(),
            id
        );
        for bad in [
            "",
            "x:G:411",
            "00000000-0000-0000-0000-000000000001:X:411",
            "00000000-0000-0000-0000-000000000001:G:4a1",
            "00000000-0000-0000-0000-000000000001:G:411:client",
            "00000000-0000-0000-0000-000000000001:G:411:boss:00000000-0000-0000-0000-000000000002",
            "00000000-0000-0000-0000-000000000001:G:411:fund:extra",
        ] {
            assert!(bad.parse::<AccountId>().is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn account_codes_are_digits() {
        assert_eq!(AccountCode::new("44571").unwrap().as_str(), "44571");
        assert_eq!(AccountCode::new("44571").unwrap().class(), 4);
        assert!(AccountCode::new("").is_err());
        assert!(AccountCode::new("41 1").is_err());
        assert!(AccountCode::new("12345678901").is_err());
        assert!(AccountCode::new("411").unwrap() < AccountCode::new("512").unwrap());
    }

    #[test]
    fn transfer_and_event_ids_are_keys() {
        assert!(TransferId::new("inv-1:revenue").is_ok());
        assert!(TransferId::new("").is_err());
        assert!(TransferId::new("a b").is_err());
        assert!(TransferId::new("é").is_err());
        assert!(TransferId::new("x".repeat(161)).is_err());
        let event = EventId::new("0190a6e4-6e2f-7b4a-9d41-3f2c1b0a9e8d").unwrap();
        assert_eq!(
            event.leg("net").as_str(),
            "0190a6e4-6e2f-7b4a-9d41-3f2c1b0a9e8d:net"
        );
        assert!(serde_json::from_str::<TransferId>("\"a b\"").is_err());
    }
}
