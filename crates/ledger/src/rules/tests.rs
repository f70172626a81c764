//! One test per posting rule: what each account holds afterwards, to the cent.

use super::*;
use crate::ledger::{Ledger, LedgerError, Outcome};
use crate::model::{Balance, TransferId};
use uuid::Uuid;

fn entity(n: u128) -> EntityId {
    EntityId::from_uuid(Uuid::from_u128(n))
}

fn activity() -> Party<ActivityId> {
    Party::new(
        ActivityId::from_uuid(Uuid::from_u128(0xA1)),
        "Atelier Lumière",
    )
}

fn client() -> Party<ClientId> {
    Party::new(ClientId::from_uuid(Uuid::from_u128(0xC1)), "ACME SARL")
}

fn member() -> Party<MemberId> {
    Party::new(MemberId::from_uuid(Uuid::from_u128(0xB1)), "Camille Martin")
}

fn eur(text: &str) -> Money {
    text.parse().expect("amount")
}

fn ev(id: &str) -> Event {
    Event::new(
        EventId::new(id).expect("event id"),
        Date::constant(2026, 3, 2),
        format!("DOC-{id}"),
        format!("Event {id}"),
    )
}

fn fr() -> EntityBooks {
    EntityBooks::new(entity(1), Country::Fr)
}

fn be() -> EntityBooks {
    EntityBooks::new(entity(2), Country::Be)
}

/// Posted net balance on the account's normal side is not assumed: (debits, credits) posted.
fn posted(l: &Ledger, id: AccountId) -> (Money, Money) {
    let b = l.balance(&id).unwrap_or_default();
    (b.debits_posted, b.credits_posted)
}

fn pending(l: &Ledger, id: AccountId) -> (Money, Money) {
    let b = l.balance(&id).unwrap_or_default();
    (b.debits_pending, b.credits_pending)
}

fn gl(books: &EntityBooks, role: Role) -> AccountId {
    books.account_id(role, None)
}

fn ok(l: &mut Ledger, p: Posting) {
    l.apply(&p).expect("posting");
    let report = l.check();
    assert!(report.is_ok(), "{:?}", report.problems);
}

fn invoice(books: &EntityBooks, id: &str, excl: &str, vat: &str, fee_: &str) -> Posting {
    let inv = invoice_issued(
        books,
        &InvoiceIssued {
            event: ev(id),
            activity: activity(),
            client: client(),
            excl_vat: eur(excl),
            vat: eur(vat),
        },
    )
    .expect("invoice");
    let fee_posting = fee(
        books,
        &FeeCharged {
            event: ev(id),
            activity: activity(),
            amount: eur(fee_),
        },
    )
    .expect("fee");
    inv.then(fee_posting)
}

fn figures(total: &str, vat: &str, share: &str) -> InvoiceFigures {
    InvoiceFigures {
        total: eur(total),
        vat: eur(vat),
        budget_share: eur(share),
    }
}

fn payment(
    books: &EntityBooks,
    id: &str,
    inv: InvoiceFigures,
    before: &str,
    amount: &str,
) -> Posting {
    payment_received(
        books,
        &PaymentReceived {
            event: ev(id),
            activity: activity(),
            client: client(),
            invoice: inv,
            paid_before: eur(before),
            amount: eur(amount),
        },
    )
    .expect("payment")
}

fn client_account(books: &EntityBooks) -> AccountId {
    books.account_id(Role::ClientReceivable, Some(Owner::Client(client().id)))
}

#[test]
fn french_invoice_fee_and_fund_contribution() {
    let b = fr();
    let mut l = Ledger::new();
    let contribution = guarantee_contribution(
        &b,
        &GuaranteeContribution {
            event: ev("inv-1"),
            amount: eur("17.00"),
        },
    )
    .expect("contribution");
    ok(
        &mut l,
        invoice(&b, "inv-1", "1000.00", "200.00", "85.00").then(contribution),
    );
    let z = Money::ZERO;
    assert_eq!(posted(&l, client_account(&b)), (eur("1200.00"), z));
    assert_eq!(
        posted(&l, gl(&b, Role::ServiceRevenue)),
        (z, eur("1000.00"))
    );
    // French services: the VAT waits in 4458 until the client pays.
    assert_eq!(
        posted(&l, gl(&b, Role::VatCollectedPending)),
        (z, eur("200.00"))
    );
    assert_eq!(l.balance(&gl(&b, Role::VatCollected)), None);
    let awaiting = l
        .balance(&b.budget_awaiting(activity().id))
        .unwrap_or_default();
    assert_eq!(awaiting.net_credit(), eur("915.00"));
    assert_eq!(l.balance(&b.budget(activity().id)), None);
    let fee_account = b.account_id(Role::CooperativeFee, None);
    assert_eq!(
        l.balance(&fee_account).unwrap_or_default().net_credit(),
        eur("68.00")
    );
    assert_eq!(
        l.balance(&b.fund()).unwrap_or_default().net_credit(),
        eur("17.00")
    );
    // The ids derive from the event id, one per leg.
    let ids: Vec<_> = l.journal(b.entity)[0]
        .transfers
        .iter()
        .map(|t| t.id.as_str().to_string())
        .collect();
    assert_eq!(
        ids,
        [
            "inv-1:revenue",
            "inv-1:vat",
            "inv-1:budget",
            "inv-1:fee",
            "inv-1:fund"
        ]
    );
}

#[test]
fn payments_move_vat_and_budget_pro_rata_to_the_cent() {
    let b = fr();
    let mut l = Ledger::new();
    ok(&mut l, invoice(&b, "inv-1", "1000.00", "200.00", "85.00"));
    let inv = figures("1200.00", "200.00", "915.00");
    ok(&mut l, payment(&b, "pay-1", inv, "0", "600.00"));
    let z = Money::ZERO;
    assert_eq!(posted(&l, gl(&b, Role::Bank)), (eur("600.00"), z));
    assert_eq!(
        l.balance(&client_account(&b))
            .unwrap_or_default()
            .net_debit(),
        eur("600.00")
    );
    assert_eq!(posted(&l, gl(&b, Role::VatCollected)), (z, eur("100.00")));
    assert_eq!(
        l.balance(&gl(&b, Role::VatCollectedPending))
            .unwrap_or_default()
            .net_credit(),
        eur("100.00")
    );
    let budget = |l: &Ledger| {
        l.balance(&b.budget(activity().id))
            .unwrap_or_default()
            .net_credit()
    };
    assert_eq!(budget(&l), eur("457.50"));
    ok(&mut l, payment(&b, "pay-2", inv, "600.00", "600.00"));
    assert_eq!(budget(&l), eur("915.00"));
    assert_eq!(
        l.balance(&b.budget_awaiting(activity().id))
            .unwrap_or_default()
            .net_credit(),
        z
    );
    assert_eq!(
        l.balance(&gl(&b, Role::VatCollectedPending))
            .unwrap_or_default()
            .net_credit(),
        z
    );
    assert_eq!(posted(&l, gl(&b, Role::VatCollected)), (z, eur("200.00")));
}

#[test]
fn belgian_invoice_paid_in_odd_instalments_shares_out_exactly() {
    // 1 000 € of cost grossed up at 6.5 %: 1 069.52 excl. VAT, fee 69.52, VAT 21 % 224.60.
    let b = be();
    let mut l = Ledger::new();
    ok(&mut l, invoice(&b, "inv-be", "1069.52", "224.60", "69.52"));
    let z = Money::ZERO;
    assert_eq!(posted(&l, gl(&b, Role::VatCollected)), (z, eur("224.60")));
    assert_eq!(gl(&b, Role::VatCollected).code.as_str(), "451");
    assert_eq!(client_account(&b).code.as_str(), "400");
    let inv = figures("1294.12", "224.60", "1000.00");
    let mut paid = Money::ZERO;
    for (i, part) in ["333.33", "333.33", "333.33", "294.13"].iter().enumerate() {
        let id = format!("pay-be-{i}");
        ok(&mut l, payment(&b, &id, inv, &paid.to_string(), part));
        paid += eur(part);
    }
    assert_eq!(paid, eur("1294.12"));
    let budget = l.balance(&b.budget(activity().id)).unwrap_or_default();
    assert_eq!(budget.net_credit(), eur("1000.00"));
    assert_eq!(
        l.balance(&b.budget_awaiting(activity().id))
            .unwrap_or_default()
            .net_credit(),
        z
    );
    // The first instalment's share: 1000.00 × 333.33 / 1294.12 = 257.5727… → 257.57.
    let first = l
        .transfer(&EventId::new("pay-be-0").unwrap().leg("budget-paid"))
        .unwrap();
    assert_eq!(first.amount, eur("257.57"));
    assert!(
        l.transfer(&EventId::new("pay-be-0").unwrap().leg("vat-due"))
            .is_none()
    );
}

fn salary_event(id: &str) -> SalaryPosted {
    SalaryPosted {
        event: ev(id),
        member: member(),
        activity: activity(),
        gross: eur("2000.00"),
        employee_social_security: eur("300.00"),
        employee_other_bodies: eur("140.00"),
        withholding_tax: eur("90.00"),
        net_payable: eur("1470.00"),
        employer_social_security: eur("700.00"),
        employer_other_bodies: eur("150.00"),
        employer_cost: eur("2850.00"),
    }
}

fn advance(books: &EntityBooks, id: &str, amount: &str) -> Posting {
    guarantee_advance(
        books,
        &GuaranteeAdvance {
            event: ev(id),
            activity: activity(),
            amount: eur(amount),
        },
    )
    .expect("advance")
}

#[test]
fn a_salary_beyond_the_budget_needs_a_guarantee_advance() {
    let b = fr();
    let mut l = Ledger::new();
    ok(&mut l, invoice(&b, "inv-1", "1000.00", "200.00", "85.00"));
    ok(
        &mut l,
        payment(
            &b,
            "pay-1",
            figures("1200.00", "200.00", "915.00"),
            "0",
            "1200.00",
        ),
    );
    let before = l.clone();
    let slip = salary(&b, &salary_event("sal-1")).expect("salary");
    let err = l.apply(&slip).unwrap_err();
    assert!(
        matches!(
            &err,
            LedgerError::ExceedsCredits { account, available, wanted, .. }
                if *account == b.budget(activity().id)
                    && *available == eur("915.00")
                    && *wanted == eur("2850.00")
        ),
        "{err}"
    );
    assert_eq!(l, before, "a refused batch leaves nothing behind");

    ok(&mut l, advance(&b, "sal-1", "1935.00").then(slip));
    let z = Money::ZERO;
    assert_eq!(posted(&l, gl(&b, Role::Salaries)), (eur("2000.00"), z));
    assert_eq!(
        posted(&l, gl(&b, Role::EmployerContributions)),
        (eur("850.00"), z)
    );
    assert_eq!(
        posted(&l, gl(&b, Role::SocialSecurity)),
        (z, eur("1000.00"))
    );
    assert_eq!(
        posted(&l, gl(&b, Role::OtherSocialBodies)),
        (z, eur("290.00"))
    );
    assert_eq!(posted(&l, gl(&b, Role::WithholdingTax)), (z, eur("90.00")));
    assert_eq!(gl(&b, Role::WithholdingTax).code.as_str(), "4421");
    let payable = b.account_id(Role::SalariesPayable, Some(Owner::Member(member().id)));
    assert_eq!(posted(&l, payable), (z, eur("1470.00")));
    assert_eq!(
        l.balance(&b.budget(activity().id))
            .unwrap_or_default()
            .net_credit(),
        z
    );
    assert_eq!(
        l.balance(&b.advances(activity().id))
            .unwrap_or_default()
            .net_debit(),
        eur("1935.00")
    );

    // Repaying more than was advanced is refused; repaying what the budget holds passes.
    ok(&mut l, invoice(&b, "inv-2", "3000.00", "600.00", "255.00"));
    ok(
        &mut l,
        payment(
            &b,
            "pay-2",
            figures("3600.00", "600.00", "2745.00"),
            "0",
            "3600.00",
        ),
    );
    let too_much = advance_repayment(
        &b,
        &GuaranteeAdvance {
            event: ev("rep-0"),
            activity: activity(),
            amount: eur("1935.01"),
        },
    )
    .expect("repayment");
    assert!(matches!(
        l.apply(&too_much),
        Err(LedgerError::ExceedsDebits { .. })
    ));
    let repay = advance_repayment(
        &b,
        &GuaranteeAdvance {
            event: ev("rep-1"),
            activity: activity(),
            amount: eur("1935.00"),
        },
    )
    .expect("repayment");
    ok(&mut l, repay);
    assert_eq!(
        l.balance(&b.advances(activity().id))
            .unwrap_or_default()
            .net_debit(),
        z
    );
    assert_eq!(
        l.balance(&b.budget(activity().id))
            .unwrap_or_default()
            .net_credit(),
        eur("810.00")
    );
}

#[test]
fn belgian_salary_accounts() {
    let b = be();
    let mut l = Ledger::new();
    ok(
        &mut l,
        advance(&b, "sal-be", "2850.00").then(salary(&b, &salary_event("sal-be")).unwrap()),
    );
    let z = Money::ZERO;
    assert_eq!(posted(&l, gl(&b, Role::Salaries)), (eur("2000.00"), z));
    assert_eq!(gl(&b, Role::Salaries).code.as_str(), "620");
    assert_eq!(
        posted(&l, gl(&b, Role::SocialSecurity)),
        (z, eur("1000.00"))
    );
    assert_eq!(gl(&b, Role::SocialSecurity).code.as_str(), "454");
    assert_eq!(posted(&l, gl(&b, Role::WithholdingTax)), (z, eur("90.00")));
    assert_eq!(gl(&b, Role::WithholdingTax).code.as_str(), "453");
    let payable = b.account_id(Role::SalariesPayable, Some(Owner::Member(member().id)));
    assert_eq!(payable.code.as_str(), "455");
    assert_eq!(posted(&l, payable), (z, eur("1470.00")));
}

#[test]
fn salary_figures_must_add_up() {
    let mut e = salary_event("sal-x");
    e.net_payable = eur("1469.99");
    assert_eq!(salary(&fr(), &e).unwrap_err().field, "net_payable");
    let mut e = salary_event("sal-y");
    e.employer_cost = eur("2849.00");
    let err = salary(&fr(), &e).unwrap_err();
    assert_eq!(err.field, "employer_cost");
    assert_eq!(
        err.to_string(),
        "employer_cost: employer cost 2849.00 ≠ gross 2000.00 + employer contributions 850.00"
    );
}

fn expense(b: &EntityBooks, id: &str, excl: &str, vat: &str) -> Posting {
    expense_approved(
        b,
        &ExpenseApproved {
            event: ev(id),
            member: member(),
            activity: activity(),
            amounts: ExpenseAmounts {
                excl_vat: eur(excl),
                vat: eur(vat),
            },
        },
    )
    .expect("expense")
}

#[test]
fn an_approved_expense_reserves_the_budget_then_is_paid_in_part() {
    let b = fr();
    let mut l = Ledger::new();
    ok(&mut l, advance(&b, "adv", "150.00"));
    ok(&mut l, expense(&b, "exp-1", "100.00", "20.00"));
    let budget = b.budget(activity().id);
    let z = Money::ZERO;
    assert_eq!(pending(&l, budget), (eur("100.00"), z));
    assert_eq!(
        l.balance(&budget).unwrap_or_default().available_credit(),
        eur("50.00")
    );
    // The reservation counts: a second claim of 50.01 does not fit.
    assert!(matches!(
        l.apply(&expense(&b, "exp-2", "50.01", "0")),
        Err(LedgerError::ExceedsCredits { .. })
    ));
    let member_account = b.account_id(Role::MemberCurrentAccount, Some(Owner::Member(member().id)));
    assert_eq!(member_account.code.as_str(), "468");
    assert_eq!(pending(&l, member_account), (z, eur("120.00")));

    let paid = expense_paid(
        &b,
        &ExpensePaid {
            event: ev("exp-1-paid"),
            approval: EventId::new("exp-1").unwrap(),
            member: member(),
            activity: activity(),
            approved: ExpenseAmounts {
                excl_vat: eur("100.00"),
                vat: eur("20.00"),
            },
            accepted: ExpenseAmounts {
                excl_vat: eur("80.00"),
                vat: eur("16.00"),
            },
        },
    )
    .expect("paid");
    ok(&mut l, paid.clone());
    assert_eq!(pending(&l, budget), (z, z));
    assert_eq!(posted(&l, budget), (eur("80.00"), eur("150.00")));
    assert_eq!(posted(&l, gl(&b, Role::MemberExpenses)), (eur("80.00"), z));
    assert_eq!(posted(&l, gl(&b, Role::VatDeductible)), (eur("16.00"), z));
    assert_eq!(posted(&l, member_account), (z, eur("96.00")));
    assert_eq!(pending(&l, member_account), (z, z));
    // A pending transfer settles once.
    let mut again = paid;
    for t in &mut again.transfers {
        t.id = TransferId::new(format!("{}-again", t.id)).unwrap();
    }
    assert!(matches!(
        l.apply(&again),
        Err(LedgerError::PendingAlreadyResolved { .. })
    ));
}

#[test]
fn a_rejected_expense_releases_every_reservation() {
    let b = be();
    let mut l = Ledger::new();
    ok(&mut l, advance(&b, "adv", "150.00"));
    ok(&mut l, expense(&b, "exp-1", "100.00", "21.00"));
    let rejected = expense_rejected(
        &b,
        &ExpenseRejected {
            event: ev("exp-1-rejected"),
            approval: EventId::new("exp-1").unwrap(),
            member: member(),
            activity: activity(),
            approved: ExpenseAmounts {
                excl_vat: eur("100.00"),
                vat: eur("21.00"),
            },
        },
    )
    .expect("rejected");
    ok(&mut l, rejected);
    for (account, _) in l.accounts() {
        let bal = l.balance(&account.id).unwrap_or_default();
        assert_eq!(
            (bal.debits_pending, bal.credits_pending),
            (Money::ZERO, Money::ZERO)
        );
    }
    assert_eq!(
        l.balance(&b.budget(activity().id))
            .unwrap_or_default()
            .available_credit(),
        eur("150.00")
    );
    assert_eq!(
        l.balance(&gl(&b, Role::MemberExpenses)).unwrap_or_default(),
        Balance::default()
    );
}

#[test]
fn payouts_wait_for_the_bank() {
    let b = fr();
    let mut l = Ledger::new();
    ok(
        &mut l,
        advance(&b, "sal", "2850.00").then(salary(&b, &salary_event("sal")).unwrap()),
    );
    let member_ = member();
    let initiated = |id: &str| {
        payout_initiated(
            &b,
            &PayoutInitiated {
                event: ev(id),
                member: member_.clone(),
                purpose: PayoutPurpose::Salary,
                amount: eur("1470.00"),
            },
        )
        .expect("payout")
    };
    let settled = |id: &str, payout: &str| PayoutSettled {
        event: ev(id),
        payout: EventId::new(payout).unwrap(),
        member: member_.clone(),
        purpose: PayoutPurpose::Salary,
        amount: eur("1470.00"),
    };
    let payable = b.account_id(Role::SalariesPayable, Some(Owner::Member(member().id)));
    let bank = gl(&b, Role::Bank);
    let z = Money::ZERO;

    ok(&mut l, initiated("po-1"));
    assert_eq!(pending(&l, bank), (z, eur("1470.00")));
    ok(
        &mut l,
        payout_rejected(&b, &settled("po-1-rj", "po-1")).unwrap(),
    );
    assert_eq!(pending(&l, bank), (z, z));
    assert_eq!(
        l.balance(&payable).unwrap_or_default().net_credit(),
        eur("1470.00")
    );

    ok(&mut l, initiated("po-2"));
    ok(
        &mut l,
        payout_confirmed(&b, &settled("po-2-ok", "po-2")).unwrap(),
    );
    assert_eq!(l.balance(&payable).unwrap_or_default().net_credit(), z);
    assert_eq!(posted(&l, bank), (z, eur("1470.00")));
    // The bank cannot confirm a rejected payout.
    assert!(matches!(
        l.apply(&payout_confirmed(&b, &settled("po-1-ok", "po-1")).unwrap()),
        Err(LedgerError::PendingAlreadyResolved { .. })
    ));
}

#[test]
fn a_write_off_is_a_loss_in_the_books_and_the_fund_pays_the_activity() {
    let b = fr();
    let mut l = Ledger::new();
    ok(&mut l, invoice(&b, "inv-1", "1000.00", "200.00", "85.00"));
    let inv = figures("1200.00", "200.00", "915.00");
    ok(&mut l, payment(&b, "pay-1", inv, "0", "600.00"));
    let w = write_off(
        &b,
        &WriteOff {
            event: ev("wo-1"),
            activity: activity(),
            client: client(),
            invoice: inv,
            paid_before: eur("600.00"),
        },
    )
    .expect("write-off");
    ok(&mut l, w);
    let z = Money::ZERO;
    assert_eq!(posted(&l, gl(&b, Role::BadDebtLoss)), (eur("500.00"), z));
    assert_eq!(
        l.balance(&client_account(&b))
            .unwrap_or_default()
            .net_debit(),
        z
    );
    assert_eq!(
        l.balance(&gl(&b, Role::VatCollectedPending))
            .unwrap_or_default()
            .net_credit(),
        z
    );
    assert_eq!(posted(&l, gl(&b, Role::VatCollected)), (z, eur("100.00")));
    assert_eq!(
        l.balance(&b.budget_awaiting(activity().id))
            .unwrap_or_default()
            .net_credit(),
        z
    );
    assert_eq!(
        l.balance(&b.budget(activity().id))
            .unwrap_or_default()
            .net_credit(),
        eur("915.00")
    );
    assert_eq!(
        l.balance(&b.fund()).unwrap_or_default().net_debit(),
        eur("457.50")
    );
    assert_eq!(
        write_off(
            &b,
            &WriteOff {
                event: ev("wo-2"),
                activity: activity(),
                client: client(),
                invoice: inv,
                paid_before: eur("1200.00"),
            },
        )
        .unwrap_err()
        .field,
        "paid_before"
    );
}

#[test]
fn belgian_write_off_claims_the_vat_back_in_411() {
    let b = be();
    let mut l = Ledger::new();
    ok(&mut l, invoice(&b, "inv-1", "1000.00", "210.00", "65.00"));
    let inv = figures("1210.00", "210.00", "935.00");
    let w = write_off(
        &b,
        &WriteOff {
            event: ev("wo-1"),
            activity: activity(),
            client: client(),
            invoice: inv,
            paid_before: Money::ZERO,
        },
    )
    .unwrap();
    ok(&mut l, w);
    let z = Money::ZERO;
    let recoverable = gl(&b, Role::VatRecoverableOnBadDebt);
    assert_eq!(recoverable.code.as_str(), "411");
    assert_eq!(posted(&l, recoverable), (eur("210.00"), z));
    assert_eq!(posted(&l, gl(&b, Role::BadDebtLoss)), (eur("1000.00"), z));
    assert_eq!(gl(&b, Role::BadDebtLoss).code.as_str(), "642");
}

#[test]
fn share_subscriptions() {
    let fr_books = fr();
    let mut l = Ledger::new();
    let s = share_subscription(
        &fr_books,
        &ShareSubscription {
            event: ev("sh-1"),
            member: member(),
            amount: eur("30.00"),
            settlement: ShareSettlement::Bank,
        },
    )
    .unwrap();
    ok(&mut l, s);
    let z = Money::ZERO;
    assert_eq!(posted(&l, gl(&fr_books, Role::Bank)), (eur("30.00"), z));
    assert_eq!(
        posted(&l, gl(&fr_books, Role::ShareCapital)),
        (z, eur("30.00"))
    );
    assert_eq!(gl(&fr_books, Role::ShareCapital).code.as_str(), "1013");

    let be_books = be();
    let s = share_subscription(
        &be_books,
        &ShareSubscription {
            event: ev("sh-2"),
            member: member(),
            amount: eur("30.00"),
            settlement: ShareSettlement::SalaryDeduction,
        },
    )
    .unwrap();
    ok(&mut l, s);
    let payable = be_books.account_id(Role::SalariesPayable, Some(Owner::Member(member().id)));
    assert_eq!(posted(&l, payable), (eur("30.00"), z));
    assert_eq!(
        posted(&l, gl(&be_books, Role::ShareCapital)),
        (z, eur("30.00"))
    );
    assert_eq!(gl(&be_books, Role::ShareCapital).code.as_str(), "111");
}

#[test]
fn replays_are_no_ops_and_conflicts_name_the_field() {
    let b = fr();
    let mut l = Ledger::new();
    let p = invoice(&b, "inv-1", "1000.00", "200.00", "85.00");
    assert_eq!(
        p,
        invoice(&b, "inv-1", "1000.00", "200.00", "85.00"),
        "deterministic"
    );
    let first = l.apply(&p).unwrap();
    assert!(
        first
            .iter()
            .all(|r| r.outcome == Outcome::Created && r.entry == 1)
    );
    let before = l.clone();
    let again = l.apply(&p).unwrap();
    assert!(
        again
            .iter()
            .all(|r| r.outcome == Outcome::Replayed && r.entry == 1)
    );
    assert_eq!(l, before);
    let changed = invoice(&b, "inv-1", "1000.01", "200.00", "85.00");
    let err = l.apply(&changed).unwrap_err();
    assert!(
        matches!(&err, LedgerError::TransferConflict { field: "amount", id, .. }
            if id.as_str() == "inv-1:revenue"),
        "{err}"
    );
    assert_eq!(l, before);
}

#[test]
fn an_unidentified_credit_waits_in_suspense_then_pays_the_invoice() {
    for b in [fr(), be()] {
        let mut l = Ledger::new();
        ok(&mut l, invoice(&b, "inv-1", "1000.00", "200.00", "85.00"));
        let z = Money::ZERO;
        // 700 € arrive that nothing identifies: the bank holds them, the suspense account owes
        // them to someone.
        ok(
            &mut l,
            unidentified_receipt(
                &b,
                &UnidentifiedReceipt {
                    event: ev("unid-1"),
                    amount: eur("700.00"),
                },
            )
            .expect("receipt"),
        );
        assert_eq!(posted(&l, gl(&b, Role::Bank)), (eur("700.00"), z));
        assert_eq!(posted(&l, gl(&b, Role::Suspense)), (z, eur("700.00")));
        // A person assigns them to the invoice: suspense → client, the bank untouched, the
        // VAT and budget shares moved exactly as for a payment straight from the bank.
        let inv = figures("1200.00", "200.00", "915.00");
        let from_suspense = payment_received_from(
            &b,
            &PaymentReceived {
                event: ev("pay-1"),
                activity: activity(),
                client: client(),
                invoice: inv,
                paid_before: z,
                amount: eur("700.00"),
            },
            PaymentSource::Suspense,
        )
        .expect("payment");
        let from_bank = payment(&b, "pay-1", inv, "0", "700.00");
        assert_eq!(from_suspense.transfers.len(), from_bank.transfers.len());
        for (s, k) in from_suspense.transfers.iter().zip(&from_bank.transfers) {
            assert_eq!((s.credit, s.amount), (k.credit, k.amount));
        }
        ok(&mut l, from_suspense);
        assert_eq!(posted(&l, gl(&b, Role::Bank)), (eur("700.00"), z));
        assert_eq!(
            posted(&l, gl(&b, Role::Suspense)),
            (eur("700.00"), eur("700.00"))
        );
        assert_eq!(
            l.balance(&client_account(&b))
                .unwrap_or_default()
                .net_debit(),
            eur("500.00")
        );
    }
}
