//! Posting rules: one function per business event, returning the accounts to open and the
//! balanced transfers to post, with ids derived from the event id (`<event>:<leg>`, leg
//! names unique across all rules, so two rules may share an event id).
//!
//! Inputs are plain values; nothing here reads a store. The application posts the returned
//! [`Posting`] in the same database transaction as the event itself.
//!
//! # What each event posts
//! The general book (G) follows the legal chart; the analytic book (A) follows activity
//! budgets and the guarantee fund. FR / BE account numbers:
//!
//! | event | book | debit | credit |
//! |---|---|---|---|
//! | invoice issued | G | client 411 / 400 | revenue 706 / 700 (excl. VAT) |
//! | | G | client | VAT 4458 (FR, due on receipt) or 44571 / 451 |
//! | | A | work invoiced 9400 | activity budget awaiting payment 9201 (excl. VAT) |
//! | fee | A | awaiting 9201 | cooperative fee 9410 |
//! | guarantee contribution | A | fee 9410 | guarantee fund 9300 |
//! | unidentified receipt (a credit nothing matched) | G | bank 512 / 550 | suspense 471 / 499 |
//! | payment received | G | bank 512 / 550, or suspense 471 / 499 for a credit identified later | client |
//! | | G (FR on receipts) | 4458 | 44571 (the payment's share of the VAT) |
//! | | A | awaiting 9201 | available 9200 (the payment's share of price − fee) |
//! | salary | G | salaries 641 / 620 | net payable 421 / 455 (member), employee contributions 431 / 454 and 437 / 459, withholding tax 4421 / 453 |
//! | | G | employer contributions 645 / 621 | 431 / 454, 437 / 459 |
//! | | A | available 9200 | salaries charged 9420 (employer cost) |
//! | expense approved (pending) | G | expense 625 / 610, deductible VAT 44566 / 411 | member current account 468 / 489 |
//! | | A | available 9200 | expenses charged 9430 (excl. VAT) |
//! | expense paid / rejected | | posts (up to the approved amounts) / voids the pendings | |
//! | payout (pending), confirmed / rejected | G | 421 / 455 or 468 / 489 (member) | bank |
//! | write-off | G | loss 654 / 642; VAT back 4458, 44571 / 411 | client |
//! | | A | awaiting 9201 | work invoiced 9400 (the unpaid share) |
//! | | A | guarantee fund 9300 | available 9200 (the fund pays the activity's share) |
//! | guarantee advance | A | fund advances 9310 (activity) | available 9200 |
//! | advance repayment | A | available 9200 | fund advances 9310 |
//! | share subscription | G | bank, or net payable (deducted from salary) | capital 1013 / apport 111 |
//!
//! **Budgets never go below zero.** 9200 and 9201 refuse any debit beyond their posted
//! credits (pending reservations count). A salary larger than the budget passes only when the
//! same batch first posts a guarantee advance: the advance *comes from the fund's account*
//! 9310 of that activity, which records what the activity owes the fund and cannot be repaid
//! beyond it. No transfer flag bypasses a budget's limit.

use ensemble_domain::{ActivityId, ClientId, Country, EntityId, MemberId, Money};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::chart::{Chart, ChartEntry, OwnerKind, Role, book_of};
use crate::ledger::Posting;
use crate::model::{
    Account, AccountId, EventCode, EventId, Journal, MAX_AMOUNT, Owner, Phase, Transfer,
};

/// Why a rule refuses its input: the field and the rule.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct RuleError {
    pub field: &'static str,
    pub message: String,
}

fn refuse(field: &'static str, message: impl Into<String>) -> RuleError {
    RuleError {
        field,
        message: message.into(),
    }
}

fn amount(field: &'static str, value: Money) -> Result<Money, RuleError> {
    if value.is_negative() {
        return Err(refuse(field, format!("{value} is negative")));
    }
    if value > MAX_AMOUNT {
        return Err(refuse(field, format!("{value} is out of range")));
    }
    Ok(value)
}

fn positive(field: &'static str, value: Money) -> Result<Money, RuleError> {
    amount(field, value)?;
    if !value.is_positive() {
        return Err(refuse(field, "must be more than zero"));
    }
    Ok(value)
}

/// One entity's books: its id, its chart (from its country) and how its VAT falls due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityBooks {
    pub entity: EntityId,
    pub country: Country,
    /// French services: VAT is due when the price is received (4458, then 44571).
    pub vat_on_receipts: bool,
}

impl EntityBooks {
    /// The books of an entity with its country's default: VAT on receipts for French
    /// services, on the invoice in Belgium.
    pub const fn new(entity: EntityId, country: Country) -> EntityBooks {
        EntityBooks {
            entity,
            country,
            vat_on_receipts: matches!(country, Country::Fr),
        }
    }

    /// A French entity that opted to pay VAT on debits (on the invoice).
    pub const fn with_vat_on_debits(mut self) -> EntityBooks {
        self.vat_on_receipts = false;
        self
    }

    pub const fn chart(&self) -> &'static Chart {
        Chart::for_country(self.country)
    }

    /// The chart entry playing `role` in this entity's books.
    pub fn entry(&self, role: Role) -> &'static ChartEntry {
        Chart::for_book(self.country, book_of(role))
            .role(role)
            .expect("every chart maps every role (chart tests prove it)")
    }

    /// The id of the account playing `role`, for `owner` when the role has sub-accounts.
    pub fn account_id(&self, role: Role, owner: Option<Owner>) -> AccountId {
        AccountId::new(self.entity, book_of(role), self.entry(role).code, owner)
    }

    /// An activity's available budget (9200).
    pub fn budget(&self, activity: ActivityId) -> AccountId {
        self.account_id(Role::BudgetAvailable, Some(Owner::Activity(activity)))
    }

    /// An activity's budget awaiting its clients' payments (9201).
    pub fn budget_awaiting(&self, activity: ActivityId) -> AccountId {
        self.account_id(Role::BudgetAwaitingPayment, Some(Owner::Activity(activity)))
    }

    /// What an activity owes the guarantee fund (9310).
    pub fn advances(&self, activity: ActivityId) -> AccountId {
        self.account_id(Role::FundAdvances, Some(Owner::Activity(activity)))
    }

    /// The guarantee fund (9300).
    pub fn fund(&self) -> AccountId {
        self.account_id(Role::GuaranteeFund, Some(Owner::Fund))
    }
}

/// A party and its name, for sub-account labels.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party<Id> {
    pub id: Id,
    pub name: String,
}

impl<Id> Party<Id> {
    pub fn new(id: Id, name: impl Into<String>) -> Party<Id> {
        Party {
            id,
            name: name.into(),
        }
    }
}

/// What every event carries: its id (transfer ids derive from it), its accounting date, the
/// supporting document and a label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub id: EventId,
    pub date: Date,
    /// The document's reference (an invoice or contract number) and date.
    pub document: String,
    pub document_date: Date,
    pub label: String,
}

impl Event {
    /// An event whose document is dated the same day.
    pub fn new(
        id: EventId,
        date: Date,
        document: impl Into<String>,
        label: impl Into<String>,
    ) -> Event {
        Event {
            id,
            date,
            document: document.into(),
            document_date: date,
            label: label.into(),
        }
    }
}

/// Builds a posting: opens the accounts it names and skips zero legs.
struct Builder<'a> {
    books: &'a EntityBooks,
    event: &'a Event,
    code: EventCode,
    posting: Posting,
}

impl<'a> Builder<'a> {
    fn new(books: &'a EntityBooks, event: &'a Event, code: EventCode) -> Builder<'a> {
        Builder {
            books,
            event,
            code,
            posting: Posting::default(),
        }
    }

    /// The account playing `role` (for `owner`, named `name`), opened by the posting.
    fn account(&mut self, role: Role, owner: Option<(Owner, &str)>) -> AccountId {
        let entry = self.books.entry(role);
        debug_assert_eq!(entry.owner == OwnerKind::None, owner.is_none(), "{role:?}");
        let id = self.books.account_id(role, owner.map(|o| o.0));
        if !self.posting.accounts.iter().any(|a| a.id == id) {
            self.posting.accounts.push(Account {
                id,
                kind: entry.kind,
                flags: entry.flags,
                label: owner.map_or(entry.label, |o| o.1).to_string(),
            });
        }
        id
    }

    fn leg(
        &mut self,
        leg: &'static str,
        journal: Journal,
        debit: AccountId,
        credit: AccountId,
        amount: Money,
        phase: Phase,
    ) {
        if !amount.is_positive() {
            return;
        }
        self.posting.transfers.push(Transfer {
            id: self.event.id.leg(leg),
            debit,
            credit,
            amount,
            phase,
            code: self.code,
            journal,
            event: self.event.id.clone(),
            date: self.event.date,
            document: self.event.document.clone(),
            document_date: self.event.document_date,
            label: self.event.label.clone(),
        });
    }

    fn done(self) -> Posting {
        self.posting
    }
}

fn activity_owner(a: &Party<ActivityId>) -> Option<(Owner, &str)> {
    Some((Owner::Activity(a.id), a.name.as_str()))
}

fn member_owner(m: &Party<MemberId>) -> Option<(Owner, &str)> {
    Some((Owner::Member(m.id), m.name.as_str()))
}

fn client_owner(c: &Party<ClientId>) -> Option<(Owner, &str)> {
    Some((Owner::Client(c.id), c.name.as_str()))
}

const FUND: Option<(Owner, &str)> = Some((Owner::Fund, "Fonds de garantie"));

/// An invoice issued on behalf of an activity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceIssued {
    pub event: Event,
    pub activity: Party<ActivityId>,
    pub client: Party<ClientId>,
    /// The price excluding VAT.
    pub excl_vat: Money,
    /// The VAT invoiced (zero under reverse charge or exemption).
    pub vat: Money,
}

pub fn invoice_issued(books: &EntityBooks, e: &InvoiceIssued) -> Result<Posting, RuleError> {
    positive("excl_vat", e.excl_vat)?;
    amount("vat", e.vat)?;
    let mut b = Builder::new(books, &e.event, EventCode::InvoiceIssued);
    let client = b.account(Role::ClientReceivable, client_owner(&e.client));
    let revenue = b.account(Role::ServiceRevenue, None);
    let vat_role = if books.vat_on_receipts {
        Role::VatCollectedPending
    } else {
        Role::VatCollected
    };
    let vat = b.account(vat_role, None);
    let work = b.account(Role::WorkInvoiced, None);
    let awaiting = b.account(Role::BudgetAwaitingPayment, activity_owner(&e.activity));
    let one = Phase::Single;
    b.leg(
        "revenue",
        Journal::Sales,
        client,
        revenue,
        e.excl_vat,
        one.clone(),
    );
    b.leg("vat", Journal::Sales, client, vat, e.vat, one.clone());
    b.leg("budget", Journal::Budget, work, awaiting, e.excl_vat, one);
    Ok(b.done())
}

/// The cooperative's fee on an invoice, taken from the activity's awaiting budget.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeCharged {
    pub event: Event,
    pub activity: Party<ActivityId>,
    pub amount: Money,
}

pub fn fee(books: &EntityBooks, e: &FeeCharged) -> Result<Posting, RuleError> {
    amount("amount", e.amount)?;
    let mut b = Builder::new(books, &e.event, EventCode::Fee);
    let awaiting = b.account(Role::BudgetAwaitingPayment, activity_owner(&e.activity));
    let fee = b.account(Role::CooperativeFee, None);
    b.leg(
        "fee",
        Journal::Budget,
        awaiting,
        fee,
        e.amount,
        Phase::Single,
    );
    Ok(b.done())
}

/// The share of a fee that feeds the guarantee fund.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuaranteeContribution {
    pub event: Event,
    pub amount: Money,
}

pub fn guarantee_contribution(
    books: &EntityBooks,
    e: &GuaranteeContribution,
) -> Result<Posting, RuleError> {
    amount("amount", e.amount)?;
    let mut b = Builder::new(books, &e.event, EventCode::GuaranteeContribution);
    let fee = b.account(Role::CooperativeFee, None);
    let fund = b.account(Role::GuaranteeFund, FUND);
    b.leg("fund", Journal::Budget, fee, fund, e.amount, Phase::Single);
    Ok(b.done())
}

/// The figures of an invoice that payments and write-offs share out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceFigures {
    /// Including VAT.
    pub total: Money,
    pub vat: Money,
    /// What the activity's budget gets when the invoice is fully paid: the price excluding
    /// VAT less the fee.
    pub budget_share: Money,
}

impl InvoiceFigures {
    fn check(&self) -> Result<(), RuleError> {
        positive("invoice.total", self.total)?;
        amount("invoice.vat", self.vat)?;
        amount("invoice.budget_share", self.budget_share)?;
        if self.vat > self.total {
            return Err(refuse("invoice.vat", "the VAT exceeds the invoice's total"));
        }
        if self.budget_share > self.total - self.vat {
            return Err(refuse(
                "invoice.budget_share",
                "the budget share exceeds the price excluding VAT",
            ));
        }
        Ok(())
    }

    /// `part × paid / total`, rounded half away from zero, with `paid` capped at the total.
    /// Cumulative, so that the shares of successive payments add up to `part` exactly.
    pub fn share_paid(&self, part: Money, paid: Money) -> Money {
        let paid = paid.min(self.total).max(Money::ZERO);
        part.prorate(paid.cents(), self.total.cents())
    }
}

/// A client's payment allocated to one invoice (one call per invoice a payment settles).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentReceived {
    pub event: Event,
    pub activity: Party<ActivityId>,
    pub client: Party<ClientId>,
    pub invoice: InvoiceFigures,
    /// What the invoice had received before this payment.
    pub paid_before: Money,
    /// This payment (beyond the total, an overpayment stays on the client's account).
    pub amount: Money,
}

/// Where the money of a payment is when it is given to an invoice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentSource {
    /// On the bank account (a statement line matched at import, a payment recorded by hand).
    #[default]
    Bank,
    /// In the suspense account, where a credit nothing matched waited until a person
    /// assigned it ([`unidentified_receipt`]).
    Suspense,
}

/// A payment received from the bank account.
pub fn payment_received(books: &EntityBooks, e: &PaymentReceived) -> Result<Posting, RuleError> {
    payment_received_from(books, e, PaymentSource::Bank)
}

/// A payment received: the client's account is credited from the bank, or from the suspense
/// account for a credit identified after it was parked there.
pub fn payment_received_from(
    books: &EntityBooks,
    e: &PaymentReceived,
    source: PaymentSource,
) -> Result<Posting, RuleError> {
    e.invoice.check()?;
    amount("paid_before", e.paid_before)?;
    positive("amount", e.amount)?;
    let after = e.paid_before + e.amount;
    let inv = &e.invoice;
    let vat_due = inv.share_paid(inv.vat, after) - inv.share_paid(inv.vat, e.paid_before);
    let budget =
        inv.share_paid(inv.budget_share, after) - inv.share_paid(inv.budget_share, e.paid_before);
    let mut b = Builder::new(books, &e.event, EventCode::PaymentReceived);
    let client = b.account(Role::ClientReceivable, client_owner(&e.client));
    match source {
        PaymentSource::Bank => {
            let bank = b.account(Role::Bank, None);
            b.leg("bank", Journal::Bank, bank, client, e.amount, Phase::Single);
        }
        PaymentSource::Suspense => {
            let suspense = b.account(Role::Suspense, None);
            b.leg(
                "identified",
                Journal::Miscellaneous,
                suspense,
                client,
                e.amount,
                Phase::Single,
            );
        }
    }
    if books.vat_on_receipts {
        let pending = b.account(Role::VatCollectedPending, None);
        let collected = b.account(Role::VatCollected, None);
        b.leg(
            "vat-due",
            Journal::Bank,
            pending,
            collected,
            vat_due,
            Phase::Single,
        );
    }
    let awaiting = b.account(Role::BudgetAwaitingPayment, activity_owner(&e.activity));
    let available = b.account(Role::BudgetAvailable, activity_owner(&e.activity));
    b.leg(
        "budget-paid",
        Journal::Budget,
        awaiting,
        available,
        budget,
        Phase::Single,
    );
    Ok(b.done())
}

/// A credit on the bank account that no invoice claims yet (a statement line nothing
/// matched): parked in the suspense account until a person assigns it to invoices (then
/// [`payment_received_from`] with [`PaymentSource::Suspense`]) or books it otherwise.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnidentifiedReceipt {
    pub event: Event,
    pub amount: Money,
}

pub fn unidentified_receipt(
    books: &EntityBooks,
    e: &UnidentifiedReceipt,
) -> Result<Posting, RuleError> {
    positive("amount", e.amount)?;
    let mut b = Builder::new(books, &e.event, EventCode::UnidentifiedReceipt);
    let bank = b.account(Role::Bank, None);
    let suspense = b.account(Role::Suspense, None);
    b.leg(
        "suspense",
        Journal::Bank,
        bank,
        suspense,
        e.amount,
        Phase::Single,
    );
    Ok(b.done())
}

/// A payslip's figures, as the payroll engine gives them. The general book needs
/// `gross = employee contributions + withholding tax + net payable`, and the activity is
/// charged `employer cost = gross + employer contributions` (after reliefs).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalaryPosted {
    pub event: Event,
    pub member: Party<MemberId>,
    pub activity: Party<ActivityId>,
    pub gross: Money,
    /// URSSAF (FR) / ONSS (BE).
    pub employee_social_security: Money,
    /// Supplementary pension, provident, unemployment (FR 437); other social debts (BE 459).
    pub employee_other_bodies: Money,
    pub withholding_tax: Money,
    pub net_payable: Money,
    pub employer_social_security: Money,
    pub employer_other_bodies: Money,
    pub employer_cost: Money,
}

pub fn salary(books: &EntityBooks, e: &SalaryPosted) -> Result<Posting, RuleError> {
    positive("gross", e.gross)?;
    for (field, v) in [
        ("employee_social_security", e.employee_social_security),
        ("employee_other_bodies", e.employee_other_bodies),
        ("withholding_tax", e.withholding_tax),
        ("net_payable", e.net_payable),
        ("employer_social_security", e.employer_social_security),
        ("employer_other_bodies", e.employer_other_bodies),
        ("employer_cost", e.employer_cost),
    ] {
        amount(field, v)?;
    }
    let deductions =
        e.employee_social_security + e.employee_other_bodies + e.withholding_tax + e.net_payable;
    if deductions != e.gross {
        return Err(refuse(
            "net_payable",
            format!(
                "gross {} ≠ employee contributions {} + withholding tax {} + net payable {}",
                e.gross,
                e.employee_social_security + e.employee_other_bodies,
                e.withholding_tax,
                e.net_payable
            ),
        ));
    }
    let cost = e.gross + e.employer_social_security + e.employer_other_bodies;
    if cost != e.employer_cost {
        return Err(refuse(
            "employer_cost",
            format!(
                "employer cost {} ≠ gross {} + employer contributions {}",
                e.employer_cost,
                e.gross,
                e.employer_social_security + e.employer_other_bodies
            ),
        ));
    }
    let mut b = Builder::new(books, &e.event, EventCode::Salary);
    let salaries = b.account(Role::Salaries, None);
    let employer = b.account(Role::EmployerContributions, None);
    let payable = b.account(Role::SalariesPayable, member_owner(&e.member));
    let social = b.account(Role::SocialSecurity, None);
    let other = b.account(Role::OtherSocialBodies, None);
    let tax = b.account(Role::WithholdingTax, None);
    let available = b.account(Role::BudgetAvailable, activity_owner(&e.activity));
    let charged = b.account(Role::SalariesCharged, None);
    let (p, one) = (Journal::Payroll, Phase::Single);
    b.leg("net", p, salaries, payable, e.net_payable, one.clone());
    b.leg(
        "ee-social",
        p,
        salaries,
        social,
        e.employee_social_security,
        one.clone(),
    );
    b.leg(
        "ee-other",
        p,
        salaries,
        other,
        e.employee_other_bodies,
        one.clone(),
    );
    b.leg("tax", p, salaries, tax, e.withholding_tax, one.clone());
    b.leg(
        "er-social",
        p,
        employer,
        social,
        e.employer_social_security,
        one.clone(),
    );
    b.leg(
        "er-other",
        p,
        employer,
        other,
        e.employer_other_bodies,
        one.clone(),
    );
    b.leg(
        "salary-budget",
        Journal::Budget,
        available,
        charged,
        e.employer_cost,
        one,
    );
    Ok(b.done())
}

/// The amounts of an expense claim: excluding VAT, and the deductible VAT.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpenseAmounts {
    pub excl_vat: Money,
    pub vat: Money,
}

/// An expense claim approved: the expense, the VAT and the budget are reserved (pending).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpenseApproved {
    pub event: Event,
    pub member: Party<MemberId>,
    pub activity: Party<ActivityId>,
    pub amounts: ExpenseAmounts,
}

struct ExpenseAccounts {
    expense: AccountId,
    vat: AccountId,
    member: AccountId,
    available: AccountId,
    charged: AccountId,
}

fn expense_accounts(
    b: &mut Builder<'_>,
    member: &Party<MemberId>,
    activity: &Party<ActivityId>,
) -> ExpenseAccounts {
    ExpenseAccounts {
        expense: b.account(Role::MemberExpenses, None),
        vat: b.account(Role::VatDeductible, None),
        member: b.account(Role::MemberCurrentAccount, member_owner(member)),
        available: b.account(Role::BudgetAvailable, activity_owner(activity)),
        charged: b.account(Role::ExpensesCharged, None),
    }
}

pub fn expense_approved(books: &EntityBooks, e: &ExpenseApproved) -> Result<Posting, RuleError> {
    positive("amounts.excl_vat", e.amounts.excl_vat)?;
    amount("amounts.vat", e.amounts.vat)?;
    let mut b = Builder::new(books, &e.event, EventCode::ExpenseApproved);
    let a = expense_accounts(&mut b, &e.member, &e.activity);
    let (j, p) = (Journal::Expenses, Phase::Pending);
    b.leg(
        "expense",
        j,
        a.expense,
        a.member,
        e.amounts.excl_vat,
        p.clone(),
    );
    b.leg("expense-vat", j, a.vat, a.member, e.amounts.vat, p.clone());
    let budget = Journal::Budget;
    b.leg(
        "expense-budget",
        budget,
        a.available,
        a.charged,
        e.amounts.excl_vat,
        p,
    );
    Ok(b.done())
}

/// An approved claim accepted for payment, for at most the approved amounts (a leg accepted
/// at zero is voided). The money then leaves through a payout of the member's current
/// account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpensePaid {
    pub event: Event,
    /// The approval's event id.
    pub approval: EventId,
    pub member: Party<MemberId>,
    pub activity: Party<ActivityId>,
    pub approved: ExpenseAmounts,
    pub accepted: ExpenseAmounts,
}

fn settle(
    b: &mut Builder<'_>,
    approval: &EventId,
    legs: [(
        &'static str,
        &'static str,
        Journal,
        AccountId,
        AccountId,
        Money,
        Money,
    ); 3],
    void_all: bool,
) {
    for (pending_leg, leg, journal, debit, credit, approved, accepted) in legs {
        if !approved.is_positive() {
            continue;
        }
        let pending = approval.leg(pending_leg);
        if void_all || !accepted.is_positive() {
            b.leg(leg, journal, debit, credit, approved, Phase::Void(pending));
        } else {
            b.leg(leg, journal, debit, credit, accepted, Phase::Post(pending));
        }
    }
}

pub fn expense_paid(books: &EntityBooks, e: &ExpensePaid) -> Result<Posting, RuleError> {
    positive("approved.excl_vat", e.approved.excl_vat)?;
    amount("approved.vat", e.approved.vat)?;
    amount("accepted.excl_vat", e.accepted.excl_vat)?;
    amount("accepted.vat", e.accepted.vat)?;
    if e.accepted.excl_vat > e.approved.excl_vat || e.accepted.vat > e.approved.vat {
        return Err(refuse(
            "accepted",
            "an expense is paid for at most the approved amounts",
        ));
    }
    let mut b = Builder::new(books, &e.event, EventCode::ExpensePaid);
    let a = expense_accounts(&mut b, &e.member, &e.activity);
    let (j, budget) = (Journal::Expenses, Journal::Budget);
    let (ap, ac) = (e.approved, e.accepted);
    settle(
        &mut b,
        &e.approval,
        [
            (
                "expense",
                "expense-paid",
                j,
                a.expense,
                a.member,
                ap.excl_vat,
                ac.excl_vat,
            ),
            (
                "expense-vat",
                "expense-vat-paid",
                j,
                a.vat,
                a.member,
                ap.vat,
                ac.vat,
            ),
            (
                "expense-budget",
                "expense-budget-paid",
                budget,
                a.available,
                a.charged,
                ap.excl_vat,
                ac.excl_vat,
            ),
        ],
        false,
    );
    Ok(b.done())
}

/// An approved claim rejected: every reservation is released.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpenseRejected {
    pub event: Event,
    pub approval: EventId,
    pub member: Party<MemberId>,
    pub activity: Party<ActivityId>,
    pub approved: ExpenseAmounts,
}

pub fn expense_rejected(books: &EntityBooks, e: &ExpenseRejected) -> Result<Posting, RuleError> {
    positive("approved.excl_vat", e.approved.excl_vat)?;
    amount("approved.vat", e.approved.vat)?;
    let mut b = Builder::new(books, &e.event, EventCode::ExpenseRejected);
    let a = expense_accounts(&mut b, &e.member, &e.activity);
    let (j, budget, ap) = (Journal::Expenses, Journal::Budget, e.approved);
    settle(
        &mut b,
        &e.approval,
        [
            (
                "expense",
                "expense-void",
                j,
                a.expense,
                a.member,
                ap.excl_vat,
                Money::ZERO,
            ),
            (
                "expense-vat",
                "expense-vat-void",
                j,
                a.vat,
                a.member,
                ap.vat,
                Money::ZERO,
            ),
            (
                "expense-budget",
                "expense-budget-void",
                budget,
                a.available,
                a.charged,
                ap.excl_vat,
                Money::ZERO,
            ),
        ],
        true,
    );
    Ok(b.done())
}

/// What a payout settles: a net salary, or expense claims.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayoutPurpose {
    Salary,
    ExpenseClaims,
}

/// One credit transfer of a SEPA batch to a member, held pending until the bank confirms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutInitiated {
    pub event: Event,
    pub member: Party<MemberId>,
    pub purpose: PayoutPurpose,
    pub amount: Money,
}

/// The bank's answer on a payout: confirmed (posted) or rejected (voided).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutSettled {
    pub event: Event,
    /// The initiating event's id.
    pub payout: EventId,
    pub member: Party<MemberId>,
    pub purpose: PayoutPurpose,
    pub amount: Money,
}

fn payout_accounts(
    b: &mut Builder<'_>,
    member: &Party<MemberId>,
    purpose: PayoutPurpose,
) -> (AccountId, AccountId) {
    let role = match purpose {
        PayoutPurpose::Salary => Role::SalariesPayable,
        PayoutPurpose::ExpenseClaims => Role::MemberCurrentAccount,
    };
    (
        b.account(role, member_owner(member)),
        b.account(Role::Bank, None),
    )
}

pub fn payout_initiated(books: &EntityBooks, e: &PayoutInitiated) -> Result<Posting, RuleError> {
    positive("amount", e.amount)?;
    let mut b = Builder::new(books, &e.event, EventCode::PayoutInitiated);
    let (member, bank) = payout_accounts(&mut b, &e.member, e.purpose);
    b.leg(
        "payout",
        Journal::Bank,
        member,
        bank,
        e.amount,
        Phase::Pending,
    );
    Ok(b.done())
}

pub fn payout_confirmed(books: &EntityBooks, e: &PayoutSettled) -> Result<Posting, RuleError> {
    positive("amount", e.amount)?;
    let mut b = Builder::new(books, &e.event, EventCode::PayoutConfirmed);
    let (member, bank) = payout_accounts(&mut b, &e.member, e.purpose);
    let pending = Phase::Post(e.payout.leg("payout"));
    b.leg(
        "payout-confirmed",
        Journal::Bank,
        member,
        bank,
        e.amount,
        pending,
    );
    Ok(b.done())
}

pub fn payout_rejected(books: &EntityBooks, e: &PayoutSettled) -> Result<Posting, RuleError> {
    positive("amount", e.amount)?;
    let mut b = Builder::new(books, &e.event, EventCode::PayoutRejected);
    let (member, bank) = payout_accounts(&mut b, &e.member, e.purpose);
    let pending = Phase::Void(e.payout.leg("payout"));
    b.leg(
        "payout-rejected",
        Journal::Bank,
        member,
        bank,
        e.amount,
        pending,
    );
    Ok(b.done())
}

/// An unpaid invoice written off after dunning: the legal books record the loss, and the
/// guarantee fund pays the activity the share it will never receive from the client.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteOff {
    pub event: Event,
    pub activity: Party<ActivityId>,
    pub client: Party<ClientId>,
    pub invoice: InvoiceFigures,
    pub paid_before: Money,
}

pub fn write_off(books: &EntityBooks, e: &WriteOff) -> Result<Posting, RuleError> {
    e.invoice.check()?;
    amount("paid_before", e.paid_before)?;
    let inv = &e.invoice;
    if e.paid_before >= inv.total {
        return Err(refuse(
            "paid_before",
            "the invoice is paid: nothing to write off",
        ));
    }
    let remaining = inv.total - e.paid_before;
    let vat_left = inv.vat - inv.share_paid(inv.vat, e.paid_before);
    let price_left = remaining - vat_left;
    let budget_left = inv.budget_share - inv.share_paid(inv.budget_share, e.paid_before);
    let mut b = Builder::new(books, &e.event, EventCode::WriteOff);
    let client = b.account(Role::ClientReceivable, client_owner(&e.client));
    let loss = b.account(Role::BadDebtLoss, None);
    let vat_role = if books.vat_on_receipts {
        Role::VatCollectedPending
    } else {
        Role::VatRecoverableOnBadDebt
    };
    let vat = b.account(vat_role, None);
    let awaiting = b.account(Role::BudgetAwaitingPayment, activity_owner(&e.activity));
    let work = b.account(Role::WorkInvoiced, None);
    let fund = b.account(Role::GuaranteeFund, FUND);
    let available = b.account(Role::BudgetAvailable, activity_owner(&e.activity));
    let (m, bu, one) = (Journal::Miscellaneous, Journal::Budget, Phase::Single);
    b.leg("loss", m, loss, client, price_left, one.clone());
    b.leg("vat-back", m, vat, client, vat_left, one.clone());
    b.leg("unpaid", bu, awaiting, work, budget_left, one.clone());
    b.leg("fund-cover", bu, fund, available, budget_left, one);
    Ok(b.done())
}

/// The guarantee fund advances money to an activity whose budget cannot pay a salary yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuaranteeAdvance {
    pub event: Event,
    pub activity: Party<ActivityId>,
    pub amount: Money,
}

pub fn guarantee_advance(books: &EntityBooks, e: &GuaranteeAdvance) -> Result<Posting, RuleError> {
    positive("amount", e.amount)?;
    let mut b = Builder::new(books, &e.event, EventCode::GuaranteeAdvance);
    let advances = b.account(Role::FundAdvances, activity_owner(&e.activity));
    let available = b.account(Role::BudgetAvailable, activity_owner(&e.activity));
    b.leg(
        "advance",
        Journal::Budget,
        advances,
        available,
        e.amount,
        Phase::Single,
    );
    Ok(b.done())
}

/// An activity repays the fund once its client has paid.
pub fn advance_repayment(books: &EntityBooks, e: &GuaranteeAdvance) -> Result<Posting, RuleError> {
    positive("amount", e.amount)?;
    let mut b = Builder::new(books, &e.event, EventCode::AdvanceRepayment);
    let advances = b.account(Role::FundAdvances, activity_owner(&e.activity));
    let available = b.account(Role::BudgetAvailable, activity_owner(&e.activity));
    b.leg(
        "repay",
        Journal::Budget,
        available,
        advances,
        e.amount,
        Phase::Single,
    );
    Ok(b.done())
}

/// How a member pays for shares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareSettlement {
    /// A bank transfer received.
    Bank,
    /// Deducted from the member's net salary payable.
    SalaryDeduction,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareSubscription {
    pub event: Event,
    pub member: Party<MemberId>,
    pub amount: Money,
    pub settlement: ShareSettlement,
}

pub fn share_subscription(
    books: &EntityBooks,
    e: &ShareSubscription,
) -> Result<Posting, RuleError> {
    positive("amount", e.amount)?;
    let mut b = Builder::new(books, &e.event, EventCode::ShareSubscription);
    let (from, journal) = match e.settlement {
        ShareSettlement::Bank => (b.account(Role::Bank, None), Journal::Bank),
        ShareSettlement::SalaryDeduction => (
            b.account(Role::SalariesPayable, member_owner(&e.member)),
            Journal::Miscellaneous,
        ),
    };
    let capital = b.account(Role::ShareCapital, None);
    b.leg("shares", journal, from, capital, e.amount, Phase::Single);
    Ok(b.done())
}

#[cfg(test)]
mod tests;
