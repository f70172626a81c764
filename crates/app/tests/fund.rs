//! The guarantee fund to the cent, on SQLite and (with ENSEMBLE_TEST_DATABASE_URL) on
//! PostgreSQL: its share of the fee, the dunning steps of the daily run, the write-off the
//! fund absorbs, and its report.

#[macro_use]
#[path = "common/stores.rs"]
mod stores;
use stores::{eur, finish, now, prepare};
#[path = "common/books.rs"]
mod books;
use books::{be_work, event, legs};

use ensemble_app::testing::{Fixture, fixture};
use ensemble_domain::Money;
use ensemble_ledger::rules::EntityBooks;
use ensemble_store::ledger::{FundPolicy, ReceivableStatus};
use ensemble_store::testing::TestStore;
use jiff::civil::date;

fn steps(run: &ensemble_app::fund::FundRun) -> Vec<&str> {
    run.actions.iter().map(|a| a.step.as_str()).collect()
}

/// Declares the Belgian work and returns the legs of its invoice's posting, the fund's last.
async fn declared_invoice_legs(f: &Fixture) -> Vec<(String, Money)> {
    let declared = f
        .app
        .declare_work(&f.alice.actor, &be_work(f), None)
        .await
        .expect("declared");
    let invoice = declared.invoice.expect("invoice");
    legs(&event(f, &invoice.id.to_string()).await)
}

on_every_store!(the_fee_share_is_configurable, |f| {
    // A declaration first, under the default policy (the SQLite writer then knows it).
    let fund_leg = declared_invoice_legs(&f).await.last().cloned();
    assert_eq!(
        fund_leg.as_ref().map(|l| l.0.as_str()),
        Some("fund"),
        "{fund_leg:?}"
    );
    assert_ne!(fund_leg.map(|l| l.1), Some(eur("34.76")));
    let policy = FundPolicy {
        fee_share_ppm: 500_000,
        ..ensemble_app::ledger::DEFAULT_FUND_POLICY
    };
    let err = f
        .app
        .set_fund_policy(&f.alice.actor, f.be.id, &policy)
        .await
        .expect_err("members do not");
    assert_eq!(err.code(), "forbidden");
    let bad = FundPolicy {
        second_reminder_days: 3,
        ..policy
    };
    let err = f
        .app
        .set_fund_policy(&f.admin, f.be.id, &bad)
        .await
        .expect_err("delays grow");
    assert_eq!(err.field(), Some("reminder_days"));
    f.app
        .set_fund_policy(&f.admin, f.be.id, &policy)
        .await
        .expect("policy");
    // Half of the 69.52 fee.
    assert_eq!(
        declared_invoice_legs(&f).await.last().cloned(),
        Some(("fund".to_string(), eur("34.76")))
    );
});

on_every_store!(dunning_then_write_off_to_the_fund, |f| {
    let r = f
        .app
        .declare_work(&f.alice.actor, &be_work(&f), None)
        .await
        .expect("declared");
    let b = r.declaration.breakdown;
    let invoice = r.invoice.expect("invoice");
    assert_eq!(invoice.due_date, date(2026, 1, 30));
    let books = EntityBooks::new(f.be.id, f.be.country);

    // Six days late: nothing yet. Seven: the reminder, once.
    let run = f
        .app
        .run_fund(&f.advisor, date(2026, 2, 5))
        .await
        .expect("run");
    assert!(run.actions.is_empty(), "{run:?}");
    let run = f
        .app
        .run_fund(&f.advisor, date(2026, 2, 6))
        .await
        .expect("run");
    assert_eq!(steps(&run), vec!["reminder"]);
    assert_eq!(run.actions[0].days_late, 7);
    assert_eq!(run.actions[0].outstanding, eur("1294.12"));
    let run = f
        .app
        .run_fund(&f.advisor, date(2026, 2, 6))
        .await
        .expect("run");
    assert!(run.actions.is_empty());
    // 35 days late: the second reminder and the formal notice.
    let run = f
        .app
        .run_fund(&f.advisor, date(2026, 3, 6))
        .await
        .expect("run");
    assert_eq!(steps(&run), vec!["second_reminder", "formal_notice"]);
    let err = f
        .app
        .run_fund(&f.alice.actor, date(2026, 3, 6))
        .await
        .expect_err("staff only");
    assert_eq!(err.code(), "forbidden");

    // The report: 6.95 in the fund, the salary advanced, 1 294.12 31 to 60 days late.
    let report = f
        .app
        .fund_report(&f.advisor, f.be.id, date(2026, 3, 6))
        .await
        .expect("report");
    assert_eq!(report.balance, eur("6.95"));
    assert_eq!(report.advances_outstanding, b.employer_cost);
    assert_eq!(report.past_due, eur("1294.12"));
    let bucket = |name: &str| {
        report
            .receivables_at_risk
            .iter()
            .find(|x| x.bucket == name)
            .map(|x| (x.invoices, x.outstanding))
    };
    assert_eq!(bucket("31-60"), Some((1, eur("1294.12"))));
    assert_eq!(bucket("1-30"), Some((0, Money::ZERO)));
    assert_eq!(
        report.coverage_permille,
        Some(695 * 1000 / (b.employer_cost.cents() + 129_412))
    );

    // 90 days late: written off. The legal books lose the price and get the VAT back; the
    // fund pays the activity its 1 000.00 share, which repays the advance.
    let run = f
        .app
        .run_fund(&f.advisor, date(2026, 4, 30))
        .await
        .expect("run");
    assert_eq!(steps(&run), vec!["write_off"]);
    assert_eq!(run.written_off, eur("1294.12"));
    let wo = event(&f, &format!("wo-{}", invoice.id)).await;
    assert_eq!(
        legs(&wo),
        vec![
            ("loss".to_string(), eur("1069.52")),
            ("vat-back".to_string(), eur("224.60")),
            ("unpaid".to_string(), eur("1000.00")),
            ("fund-cover".to_string(), eur("1000.00")),
            ("repay".to_string(), b.employer_cost),
        ]
    );
    let mut tx = f.app.store.read().await.expect("read");
    let receivable = tx.receivable(invoice.id).await.expect("receivable");
    assert_eq!(receivable.status, ReceivableStatus::WrittenOff);
    assert_eq!(receivable.dunning, "write_off");
    let budget = tx
        .ledger_account(&books.budget(f.be_activity.id))
        .await
        .expect("account")
        .expect("budget")
        .1;
    assert_eq!(budget.net_credit(), b.kept_in_budget);
    drop(tx);
    let report = f
        .app
        .fund_report(&f.advisor, f.be.id, date(2026, 4, 30))
        .await
        .expect("report");
    assert_eq!(report.balance, eur("-993.05"));
    assert_eq!(report.advances_outstanding, Money::ZERO);
    assert_eq!(report.past_due, Money::ZERO);
    assert_eq!(report.coverage_permille, None);
    // A written-off invoice takes no payment; the books stay sound.
    let err = f
        .app
        .record_payment(
            &f.admin,
            invoice.id,
            &ensemble_app::payments::NewPayment {
                amount: eur("10.00"),
                paid_on: date(2026, 5, 2),
                method: ensemble_app::payments::PaymentMethod::Cheque,
                reference: "LATE".into(),
            },
            None,
        )
        .await
        .expect_err("written off");
    assert_eq!(err.code(), "written_off");
    let check = f.app.ledger_check().await.expect("check");
    assert!(check.is_ok(), "{:?}", check.problems);
});
