//! Exports from the stored books, on SQLite and (with ENSEMBLE_TEST_DATABASE_URL) on
//! PostgreSQL: the FEC the store gives equals the one the pure exporter writes for the same
//! transfers replayed into an in-memory ledger, whose journal hashes equal the stored ones.

#[macro_use]
#[path = "common/stores.rs"]
mod stores;
use stores::{eur, finish, now, prepare};

use ensemble_app::books::ExportRequest;
use ensemble_app::inputs::{NewDeclaration, PeriodInput};
use ensemble_app::payments::{NewPayment, PaymentMethod};
use ensemble_app::testing::{Fixture, fixture};
use ensemble_domain::coop::LegalId;
use ensemble_ledger::export::{self, FecSeparator, FiscalYear};
use ensemble_ledger::{Account, Ledger};
use ensemble_store::testing::TestStore;
use jiff::civil::date;

/// French work, validated, and half of its invoice paid.
async fn french_books(f: &Fixture) {
    let input = NewDeclaration {
        activity_id: f.fr_activity.id,
        client_id: f.fr_client.id,
        member_id: None,
        period: PeriodInput {
            start: date(2026, 1, 5),
            end: date(2026, 1, 16),
        },
        unit: "day".into(),
        quantity: "5".into(),
        price: Some(eur("2000")),
        gross: None,
        description: "Poster design".into(),
    };
    let r = f
        .app
        .declare_work(&f.claire.actor, &input, None)
        .await
        .expect("declared");
    let v = f
        .app
        .validate_declaration(&f.advisor, r.declaration.id, None)
        .await
        .expect("validated");
    let invoice = v.invoice.expect("invoice");
    f.app
        .record_payment(
            &f.admin,
            invoice.id,
            &NewPayment {
                amount: eur("1200.00"),
                paid_on: date(2026, 1, 27),
                method: PaymentMethod::Transfer,
                reference: "FR-STMT-1".into(),
            },
            None,
        )
        .await
        .expect("paid");
}

on_every_store!(the_stored_fec_is_the_pure_exporters, |f| {
    french_books(&f).await;
    let file = f
        .app
        .export(&f.admin, f.fr.id, &ExportRequest::Fec { year: 2026 })
        .await
        .expect("fec");
    let text = String::from_utf8_lossy(&file.bytes).into_owned();
    let LegalId::Siret(siret) = &f.fr.legal_id else {
        panic!("a French entity")
    };
    assert!(
        file.file_name.ends_with("FEC20261231.txt"),
        "{}",
        file.file_name
    );
    let header = text.lines().next().expect("header");
    assert_eq!(header.split('\t').count(), 18);
    assert!(text.contains("\nVT\t") && text.contains("\nBQ\t") && text.contains("\nPA\t"));

    // Replay the stored journal into the in-memory ledger: same hashes, same FEC.
    let mut tx = f.app.store.read().await.expect("read");
    let stored = tx.ledger_journal(f.fr.id).await.expect("journal");
    let accounts: Vec<Account> = tx
        .ledger_accounts(f.fr.id)
        .await
        .expect("accounts")
        .into_iter()
        .map(|a| a.0)
        .collect();
    drop(tx);
    let mut ledger = Ledger::new();
    for a in &accounts {
        ledger.open(a.clone()).expect("open");
    }
    for entry in &stored {
        ledger.post(&entry.transfers).expect("replayed");
    }
    assert_eq!(ledger.journal(f.fr.id), stored.as_slice());
    let pure = export::fec(
        &siret.siren(),
        f.fr.id,
        FiscalYear::calendar(2026),
        &accounts,
        ledger.journal(f.fr.id),
        FecSeparator::Tab,
    )
    .expect("pure fec");
    assert_eq!(pure.bytes, file.bytes);
    assert_eq!(pure.file_name, file.file_name);

    // The other exports come out too; a member may not export; Belgium has no FEC.
    for request in [
        ExportRequest::GeneralLedger {
            from: date(2026, 1, 1),
            to: date(2026, 12, 31),
            analytic: false,
        },
        ExportRequest::TrialBalance {
            date: date(2026, 12, 31),
            analytic: true,
        },
        ExportRequest::ActivityStatement {
            activity: f.fr_activity.id,
            from: date(2026, 1, 1),
            to: date(2026, 12, 31),
        },
        ExportRequest::BalanceSheet {
            date: date(2026, 12, 31),
        },
        ExportRequest::ProfitAndLoss {
            from: date(2026, 1, 1),
            to: date(2026, 12, 31),
        },
    ] {
        let file = f
            .app
            .export(&f.admin, f.fr.id, &request)
            .await
            .expect("export");
        assert!(file.file_name.ends_with(".csv"));
        assert!(file.bytes.len() > 40, "{request:?}");
    }
    let err = f
        .app
        .export(&f.claire.actor, f.fr.id, &ExportRequest::Fec { year: 2026 })
        .await
        .expect_err("members do not");
    assert_eq!(err.code(), "forbidden");
    let err = f
        .app
        .export(&f.admin, f.be.id, &ExportRequest::Fec { year: 2026 })
        .await
        .expect_err("no FEC in Belgium");
    assert_eq!(err.field(), Some("entity"));
});
