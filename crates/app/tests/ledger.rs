//! The books in the store, on SQLite and (with ENSEMBLE_TEST_DATABASE_URL) on PostgreSQL:
//! every event of the core chain posts its transfers in the event's transaction; payments
//! repay the fund's advances; payouts are pending until the bank answers; a failure in the
//! middle of a posting leaves nothing; `check` and `verify` find what was tampered with.

#[macro_use]
#[path = "common/stores.rs"]
mod stores;
use stores::{eur, finish, now, prepare};
#[path = "common/books.rs"]
mod books;
use books::{be_work, event, legs};

use ensemble_app::Idempotency;
use ensemble_app::inputs::NewShares;
use ensemble_app::ledger::PayoutInput;
use ensemble_app::payments::{NewPayment, PaymentMethod};
use ensemble_app::testing::{Fixture, fixture};
use ensemble_domain::Money;
use ensemble_ledger::rules::{EntityBooks, PayoutPurpose};
use ensemble_store::ledger::ReceivableStatus;
use ensemble_store::testing::TestStore;
use jiff::civil::date;

async fn count(f: &Fixture, table: &str) -> i64 {
    let mut tx = f.app.store.read().await.expect("read");
    tx.count_rows(table).await.expect("count")
}

async fn balance(f: &Fixture, id: ensemble_ledger::AccountId) -> ensemble_ledger::Balance {
    let mut tx = f.app.store.read().await.expect("read");
    tx.ledger_account(&id)
        .await
        .expect("account")
        .map(|a| a.1)
        .unwrap_or_default()
}

async fn receivable(
    f: &Fixture,
    invoice: ensemble_domain::InvoiceId,
) -> ensemble_store::ledger::Receivable {
    let mut tx = f.app.store.read().await.expect("read");
    tx.receivable(invoice).await.expect("receivable")
}

async fn assert_sound(f: &Fixture) {
    let report = f.app.ledger_check().await.expect("check");
    assert!(report.is_ok(), "{:?}", report.problems);
    for s in f.app.ledger_verify().await.expect("verify") {
        assert_eq!(s.problem, None);
    }
}

on_every_store!(declared_work_posts_invoice_fee_fund_share_and_salary, |f| {
    let r = f
        .app
        .declare_work(&f.alice.actor, &be_work(&f), None)
        .await
        .expect("declared");
    let b = r.declaration.breakdown;
    let invoice = r.invoice.expect("invoice");
    let payslip = r.payslip.expect("payslip");
    // The invoice, its fee and the fund's 10 % of the fee (6.952 → 6.95).
    assert_eq!(
        legs(&event(&f, &invoice.id.to_string()).await),
        vec![
            ("revenue".to_string(), eur("1069.52")),
            ("vat".to_string(), eur("224.60")),
            ("budget".to_string(), eur("1069.52")),
            ("fee".to_string(), eur("69.52")),
            ("fund".to_string(), eur("6.95")),
        ]
    );
    // The salary: the activity's budget awaits the client's payment, so the fund advances
    // the whole employer cost.
    let salary = event(&f, &payslip.id.to_string()).await;
    let salary_legs = legs(&salary);
    assert_eq!(salary_legs[0], ("advance".to_string(), b.employer_cost));
    assert_eq!(
        salary_legs.last().cloned(),
        Some(("salary-budget".to_string(), b.employer_cost))
    );
    let net: Money = salary
        .iter()
        .filter(|t| t.id.as_str().ends_with(":net"))
        .map(|t| t.amount)
        .sum();
    assert_eq!(net, b.net + b.withholding_tax - b.withholding_tax);
    let gross_legs: Money = salary
        .iter()
        .filter(|t| {
            ["net", "ee-social", "ee-other", "tax"]
                .iter()
                .any(|l| t.id.as_str().ends_with(&format!(":{l}")))
        })
        .map(|t| t.amount)
        .sum();
    assert_eq!(gross_legs, b.gross);
    let books = EntityBooks::new(f.be.id, f.be.country);
    let budget = balance(&f, books.budget(f.be_activity.id)).await;
    assert_eq!(budget.net_credit(), Money::ZERO);
    let owed = balance(&f, books.advances(f.be_activity.id)).await;
    assert_eq!(owed.net_debit(), b.employer_cost);
    // The receivable and the salary's guaranteed date: 7 Belgian working days after
    // Wednesday 14 January 2026 is Friday 23 January.
    let mut tx = f.app.store.read().await.expect("read");
    let receivable = tx.receivable(invoice.id).await.expect("receivable");
    assert_eq!(receivable.total, eur("1294.12"));
    assert_eq!(receivable.budget_share, eur("1000.00"));
    let dues = tx.salary_dues(f.be.id).await.expect("dues");
    assert_eq!(dues.len(), 1);
    assert_eq!(dues[0].due_on, date(2026, 1, 23));
    assert_eq!(dues[0].advanced, b.employer_cost);
    drop(tx);
    assert_sound(&f).await;
});

on_every_store!(payments_repay_the_fund_in_part_and_in_full, |f| {
    let r = f
        .app
        .declare_work(&f.alice.actor, &be_work(&f), None)
        .await
        .expect("declared");
    let b = r.declaration.breakdown;
    let invoice = r.invoice.expect("invoice");
    let books = EntityBooks::new(f.be.id, f.be.country);
    let pay = |amount: &str, reference: &str| NewPayment {
        amount: eur(amount),
        paid_on: date(2026, 1, 28),
        method: PaymentMethod::Transfer,
        reference: reference.into(),
    };
    // Half of 1 294.12: half of the 1 000.00 budget share reaches the budget and repays the
    // fund at once.
    let first = f
        .app
        .record_payment(&f.admin, invoice.id, &pay("647.06", "STMT-1"), None)
        .await
        .expect("paid");
    assert_eq!(first.outstanding, eur("647.06"));
    assert!(!first.invoice_paid);
    let r = receivable(&f, invoice.id).await;
    assert_eq!(r.paid, eur("647.06"));
    assert_eq!(r.status, ReceivableStatus::Open);
    let owed = balance(&f, books.advances(f.be_activity.id)).await;
    assert_eq!(owed.net_debit(), b.employer_cost - eur("500.00"));
    // The rest and 10 € too much: the invoice is paid, the fund repaid, what the salary did
    // not use stays in the budget, and the 10 € stay on the client's account.
    let key = Idempotency::for_input("pay-2", &pay("657.06", "STMT-2")).expect("key");
    let second = f
        .app
        .record_payment(&f.admin, invoice.id, &pay("657.06", "STMT-2"), Some(&key))
        .await
        .expect("paid");
    assert!(second.invoice_paid);
    assert_eq!(second.outstanding, Money::ZERO);
    assert_eq!(second.payment.amount, eur("647.06"));
    assert_eq!(second.payment.excess, eur("10.00"));
    let r = receivable(&f, invoice.id).await;
    assert_eq!(r.status, ReceivableStatus::Paid);
    assert_eq!(r.paid, eur("1304.12"));
    let owed = balance(&f, books.advances(f.be_activity.id)).await;
    assert_eq!(owed.net_debit(), Money::ZERO);
    let budget = balance(&f, books.budget(f.be_activity.id)).await;
    assert_eq!(budget.net_credit(), b.kept_in_budget);
    let client = balance(
        &f,
        books.account_id(
            ensemble_ledger::chart::Role::ClientReceivable,
            Some(ensemble_ledger::Owner::Client(f.be_client.id)),
        ),
    )
    .await;
    assert_eq!(client.net_credit(), eur("10.00"));
    // The same key again is a replay; the same reference without it, a conflict.
    let transfers = count(&f, "ledger_transfers").await;
    let again = f
        .app
        .record_payment(&f.admin, invoice.id, &pay("657.06", "STMT-2"), Some(&key))
        .await
        .expect("replay");
    assert_eq!(again, second);
    assert_eq!(count(&f, "ledger_transfers").await, transfers);
    let err = f
        .app
        .record_payment(&f.admin, invoice.id, &pay("1.00", "STMT-2"), None)
        .await
        .expect_err("paid in full");
    assert_eq!(err.code(), "invoice_not_open");
    // Members do not record payments.
    let err = f
        .app
        .record_payment(&f.alice.actor, invoice.id, &pay("1.00", "STMT-3"), None)
        .await
        .expect_err("staff only");
    assert_eq!(err.code(), "forbidden");
    assert_eq!(count(&f, "ledger_transfers").await, transfers);
    assert_sound(&f).await;
});

on_every_store!(payouts_are_pending_until_the_bank_answers, |f| {
    let r = f
        .app
        .declare_work(&f.alice.actor, &be_work(&f), None)
        .await
        .expect("declared");
    let net = r.declaration.breakdown.net;
    let books = EntityBooks::new(f.be.id, f.be.country);
    let bank = books.account_id(ensemble_ledger::chart::Role::Bank, None);
    let input = |reference: &str, amount: Money| PayoutInput {
        member_id: f.alice.member.id,
        purpose: PayoutPurpose::Salary,
        amount,
        reference: reference.into(),
        date: date(2026, 1, 22),
    };
    let payout = f
        .app
        .create_payout(&f.advisor, &input("E2E-1", net))
        .await
        .expect("payout");
    assert_eq!(payout.status, "pending");
    assert_eq!(balance(&f, bank).await.credits_pending, net);
    assert_eq!(balance(&f, bank).await.credits_posted, Money::ZERO);
    // Creating it again returns it; another amount under the same reference is refused.
    let again = f
        .app
        .create_payout(&f.advisor, &input("E2E-1", net))
        .await
        .expect("replay");
    assert_eq!(again, payout);
    let err = f
        .app
        .create_payout(&f.advisor, &input("E2E-1", eur("1.00")))
        .await
        .expect_err("conflict");
    assert_eq!(err.code(), "payout_conflict");
    // The bank confirms: posted.
    let confirmed = f
        .app
        .confirm_payout(&f.advisor, &payout.id, date(2026, 1, 23))
        .await
        .expect("confirmed");
    assert_eq!(confirmed.status, "confirmed");
    assert_eq!(balance(&f, bank).await.credits_pending, Money::ZERO);
    assert_eq!(balance(&f, bank).await.credits_posted, net);
    let err = f
        .app
        .reject_payout(&f.advisor, &payout.id, date(2026, 1, 24))
        .await
        .expect_err("settled");
    assert_eq!(err.code(), "already_settled");
    // A rejected payout is voided: nothing left the bank.
    let other = f
        .app
        .create_payout(&f.advisor, &input("E2E-2", eur("12.34")))
        .await
        .expect("payout");
    let rejected = f
        .app
        .reject_payout(&f.advisor, &other.id, date(2026, 1, 23))
        .await
        .expect("rejected");
    assert_eq!(rejected.status, "rejected");
    assert_eq!(balance(&f, bank).await.credits_pending, Money::ZERO);
    assert_eq!(balance(&f, bank).await.credits_posted, net);
    assert_sound(&f).await;
});

on_every_store!(share_subscriptions_are_posted, |f| {
    let s = f
        .app
        .subscribe_shares(
            &f.admin,
            f.claire.member.id,
            &NewShares {
                count: 2,
                subscribed_on: Some(date(2026, 1, 20)),
            },
            None,
        )
        .await
        .expect("shares");
    let transfers = event(&f, &s.id.to_string()).await;
    assert_eq!(legs(&transfers), vec![("shares".to_string(), s.amount)]);
    assert_eq!(transfers[0].credit.code.as_str(), "1013");
    assert_sound(&f).await;
});

/// Makes every insert of a fee transfer fail, in the middle of the invoice's batch (after its
/// revenue, VAT and budget transfers were written).
async fn inject_failure(f: &Fixture) {
    inject_failure_when(f, "NEW.id LIKE '%:fee'").await;
}

/// Makes the insert of a transfer fail when `condition` (SQL on `NEW`) holds.
async fn inject_failure_when(f: &Fixture, condition: &str) {
    let mut tx = f.app.store.write().await.expect("write");
    if f.app.store.backend() == "postgres" {
        tx.raw_sql_for_tests(&format!(
            "CREATE FUNCTION inject_failure() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF {condition} THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$"
        ))
        .await
        .expect("function");
        tx.raw_sql_for_tests(
            "CREATE TRIGGER inject_failure BEFORE INSERT ON ledger_transfers FOR EACH ROW EXECUTE FUNCTION inject_failure()",
        )
        .await
        .expect("trigger");
    } else {
        tx.raw_sql_for_tests(&format!(
            "CREATE TRIGGER inject_failure BEFORE INSERT ON ledger_transfers WHEN {condition} BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        ))
        .await
        .expect("trigger");
    }
    tx.commit().await.expect("commit");
}

on_every_store!(a_failure_in_the_middle_of_a_posting_leaves_nothing, |f| {
    inject_failure(&f).await;
    let tables = [
        "declarations",
        "invoices",
        "contracts",
        "payslips",
        "budget_movements",
        "ledger_accounts",
        "ledger_journal",
        "ledger_transfers",
        "receivables",
        "salary_dues",
    ];
    let mut before = Vec::new();
    for t in tables {
        before.push(count(&f, t).await);
    }
    let err = f
        .app
        .declare_work(&f.alice.actor, &be_work(&f), None)
        .await
        .expect_err("the injected failure");
    assert_eq!(err.code(), "internal", "{err}");
    for (t, n) in tables.iter().zip(before) {
        assert_eq!(count(&f, t).await, n, "{t}");
    }
    assert_eq!(count(&f, "declarations").await, 0);
    assert_sound(&f).await;
});

on_every_store!(
    concurrent_postings_that_fail_part_way_leave_the_books_sound,
    |f| {
        // On SQLite the writers of a group share one commit, and the balances they move are
        // written once, at that commit: a writer that fails after moving some must take its
        // moves with it and leave the others'.
        let price_that_fails = eur("500");
        inject_failure_when(&f, "NEW.id LIKE '%:fee' AND NEW.amount_cents = 3250").await;
        let inputs = (0..24i8)
            .map(|i| {
                let mut input = be_work(&f);
                input.period.start = jiff::civil::date(2026, 2, 1 + i);
                input.period.end = input.period.start;
                input.quantity = "1".into();
                input.price = Some(if i % 3 == 0 {
                    price_that_fails
                } else {
                    eur("400")
                });
                input
            })
            .collect();
        let (numbers, errors) = stores::declare_concurrently(&f, inputs).await;
        assert_eq!(numbers, (1..=16).collect::<Vec<u32>>());
        assert_eq!(errors, vec!["internal"; 8]);
        assert_eq!(count(&f, "declarations").await, 16);
        assert_sound(&f).await;
        // The balances the store holds are the journal's, also to the writer that goes on.
        let r = f
            .app
            .declare_work(&f.alice.actor, &be_work(&f), None)
            .await
            .expect("declared after");
        assert_eq!(r.invoice.expect("invoice").number.sequence, 17);
        assert_sound(&f).await;
    }
);

on_every_store!(check_and_verify_find_altered_rows, |f| {
    f.app
        .declare_work(&f.alice.actor, &be_work(&f), None)
        .await
        .expect("declared");
    assert_sound(&f).await;
    // One cent more on a revenue transfer, by hand.
    let mut tx = f.app.store.write().await.expect("write");
    let altered = tx
        .raw_sql_for_tests(
            "UPDATE ledger_transfers SET amount_cents = amount_cents + 1 WHERE id LIKE '%:revenue'",
        )
        .await
        .expect("update");
    assert_eq!(altered, 1);
    tx.commit().await.expect("commit");
    let statuses = f.app.ledger_verify().await.expect("verify");
    let problems: Vec<_> = statuses.iter().filter_map(|s| s.problem.clone()).collect();
    assert_eq!(problems.len(), 1, "{statuses:?}");
    assert!(problems[0].contains("altered"), "{}", problems[0]);
    // The cached balances no longer match the journal either.
    let report = f.app.ledger_check().await.expect("check");
    assert!(!report.is_ok());
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_books_are_posted_and_sound() {
    for store in TestStore::all().await {
        let app = ensemble_app::App::new(
            store.store.clone(),
            std::sync::Arc::new(ensemble_app::SystemClock),
            std::env::temp_dir().join(format!("ensemble-demo-ledger-{}", std::process::id())),
        );
        let summary = app.seed_demo().await.expect("demo");
        assert!(summary.payments > 50, "{}", summary.payments);
        let report = app.ledger_check().await.expect("check");
        assert!(report.is_ok(), "{:?}", report.problems);
        assert_eq!(report.books.len(), 4, "two entities, two books each");
        assert!(report.transfers > 1000, "{}", report.transfers);
        for s in app.ledger_verify().await.expect("verify") {
            assert_eq!(s.problem, None);
        }
        let mut tx = app.store.read().await.expect("read");
        assert_eq!(
            tx.count_rows("payments_received").await.expect("count"),
            summary.payments as i64
        );
        assert_eq!(
            tx.count_rows("receivables").await.expect("count"),
            summary.invoices as i64
        );
        drop(tx);
        store.finish().await;
    }
}

on_every_store!(the_invoiced_budget_is_what_the_books_explain, |f| {
    let budgets = |f: &Fixture| {
        let app = f.app.clone();
        let (admin, activity) = (f.admin.clone(), f.be_activity.id);
        async move {
            app.activity(&admin, activity)
                .await
                .expect("activity")
                .budgets
        }
    };
    // Work declared: the member may spend what was invoiced less the fee and the salary;
    // the books hold nothing collected, the invoice's budget share awaiting payment, and the
    // fund's advance of the whole salary.
    let r = f
        .app
        .declare_work(&f.alice.actor, &be_work(&f), None)
        .await
        .expect("declared");
    let b = r.declaration.breakdown;
    let invoice = r.invoice.expect("invoice");
    let s = budgets(&f).await;
    assert_eq!(s.invoiced, b.kept_in_budget);
    assert_eq!(s.collected, Money::ZERO);
    assert_eq!(s.awaiting_payment, eur("1000.00"));
    assert_eq!(s.owed_to_fund, b.employer_cost);
    assert!(s.holds(), "{s:?}");
    // A staff adjustment moves only the invoiced budget.
    f.app
        .adjust_budget(
            &f.admin,
            f.be_activity.id,
            &ensemble_app::activities::BudgetAdjustment {
                amount: eur("300.00"),
                label: "Opening balance".into(),
            },
            None,
        )
        .await
        .expect("adjusted");
    // An expense claim of 121.00 (21.00 of VAT), approved then reimbursed: the member's
    // budget pays 121.00, the books charge 100.00 (the fund advancing it: nothing collected).
    let claim = f
        .app
        .create_expense_claim(
            &f.alice.actor,
            &ensemble_app::expenses::NewExpenseClaim {
                activity_id: f.be_activity.id,
                member_id: None,
                title: "Lights".into(),
                lines: vec![ensemble_app::expenses::ExpenseLineInput {
                    date: date(2026, 1, 9),
                    description: "Spotlights".into(),
                    category: Some("equipment".into()),
                    amount: eur("121.00"),
                    vat_rate: "21".parse().expect("rate"),
                    vat: None,
                    receipt: None,
                    no_receipt_reason: Some("bought at a market".into()),
                }],
            },
            None,
        )
        .await
        .expect("claim");
    f.app
        .submit_expense_claim(&f.alice.actor, claim.id)
        .await
        .expect("submitted");
    f.app
        .approve_expense_claim(&f.advisor, claim.id)
        .await
        .expect("approved");
    let s = budgets(&f).await;
    assert_eq!(s.reserved, eur("100.00"));
    assert!(s.holds(), "{s:?}");
    f.app
        .reimburse_expense_claim(&f.admin, claim.id, None)
        .await
        .expect("reimbursed");
    let s = budgets(&f).await;
    assert_eq!(s.invoiced, b.kept_in_budget + eur("300.00") - eur("121.00"));
    assert_eq!(s.adjustments, eur("300.00"));
    assert_eq!(s.expense_vat, eur("21.00"));
    assert_eq!(s.owed_to_fund, b.employer_cost + eur("100.00"));
    assert!(s.holds(), "{s:?}");
    // The client pays half, then the rest: the budget share moves to the collected budget
    // and repays the fund first.
    for (amount, reference) in [("647.06", "P-1"), ("647.06", "P-2")] {
        f.app
            .record_payment(
                &f.admin,
                invoice.id,
                &NewPayment {
                    amount: eur(amount),
                    paid_on: date(2026, 1, 28),
                    method: PaymentMethod::Transfer,
                    reference: reference.into(),
                },
                None,
            )
            .await
            .expect("paid");
        let s = budgets(&f).await;
        assert!(s.holds(), "{s:?}");
    }
    // Paid in full: the whole budget share came in; it repaid the fund as far as it went
    // (the salary took the whole share, so the expense's 100.00 stays owed).
    let s = budgets(&f).await;
    assert_eq!(s.awaiting_payment, Money::ZERO);
    assert_eq!(
        s.collected - s.owed_to_fund,
        eur("1000.00") - b.employer_cost - eur("100.00")
    );
    assert!(s.collected == Money::ZERO || s.owed_to_fund == Money::ZERO);
    assert_eq!(s.invoiced, s.explained());
    assert_sound(&f).await;
    // The check finds an invoiced budget the books do not explain.
    {
        let mut tx = f.app.store.write().await.expect("write");
        tx.raw_sql_for_tests(&format!(
            "UPDATE activities SET budget_cents = budget_cents + 1 WHERE id = '{}'",
            f.be_activity.id
        ))
        .await
        .expect("tampered");
        tx.commit().await.expect("commit");
    }
    let report = f.app.ledger_check().await.expect("check");
    assert_eq!(
        report.problems,
        vec![ensemble_ledger::CheckProblem::BudgetsDisagree {
            activity: f.be_activity.id,
            invoiced: s.invoiced + Money::from_cents(1),
            explained: s.explained(),
        }]
    );
});
