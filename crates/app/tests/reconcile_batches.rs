//! A large statement (2 000 lines against 2 000 open invoices, the reconciliation benchmark's
//! generator) imported through the use case, on SQLite and (with ENSEMBLE_TEST_DATABASE_URL)
//! on PostgreSQL: the rows it writes — every line with its status, method, confidence and
//! excess, every payment, every queue item with its reason and suggestions, every invoice's
//! status — are exactly the rows the line-by-line write phase wrote before the write phase was
//! batched (their digest, taken from that code, is written below).

use std::collections::HashSet;
use std::fmt::Write as _;

use ensemble_app::testing::{Fixture, fixture};
use ensemble_banking::{camt053, statement_lines};
use ensemble_domain::activity::{Activity, ActivityStatus};
use ensemble_domain::client::Client;
use ensemble_domain::invoice::{Invoice, InvoiceStatus, InvoiceTotals};
use ensemble_domain::{ActivityId, ClientId, Lang, Money, PaymentReference};
use ensemble_store::testing::TestStore;
use sha2::{Digest, Sha256};

#[path = "../../banking/benches/support/synthetic.rs"]
mod synthetic;

fn now() -> jiff::Timestamp {
    "2026-12-31T10:00:00Z".parse().expect("timestamp")
}

/// The rows of the banking tables an import wrote, in a canonical text (no random ids).
async fn dump(f: &Fixture, data: &synthetic::Data, file: &[u8]) -> String {
    let parsed = camt053::read(file).expect("the generated file");
    let mut out = String::new();
    let mut tx = f.app.store.read().await.expect("read");
    for line in parsed.statements.iter().flat_map(statement_lines) {
        let fp = line.fingerprint.to_hex();
        let l = tx.bank_line(&fp).await.expect("line");
        let _ = writeln!(
            out,
            "line {fp} {} {} {} {} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {} {:?} {:?} {}",
            l.entry,
            l.direction,
            l.amount,
            l.booking_date,
            l.transaction_no,
            l.counterparty_name,
            l.counterparty_iban,
            l.creditor_references,
            l.remittance,
            l.end_to_end_id,
            l.payment_information_id,
            l.status,
            l.method,
            l.confidence,
            l.excess
        );
        let mut matches = tx.line_matches(&fp).await.expect("matches");
        matches.sort_by_key(|m| m.invoice_id);
        for m in matches {
            let _ = writeln!(
                out,
                "  paid {} {} {} {} {:?}",
                m.invoice_id, m.amount, m.method, m.confidence, m.matched_by
            );
        }
        if l.status == "unmatched" {
            let q = tx.queue_item(&fp).await.expect("queued");
            let _ = writeln!(
                out,
                "  queued {} {} {:?}",
                q.reason, q.suggestions, q.resolution
            );
        }
    }
    for i in &data.invoices {
        let invoice = tx.invoice(i.id).await.expect("invoice");
        let _ = writeln!(out, "invoice {} {}", i.id, invoice.status.code());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_import_writes_the_rows_the_line_by_line_import_wrote() {
    let data = synthetic::generate(2_000, 2026);
    for store in TestStore::all().await {
        let backend = store.store.backend();
        eprintln!("a large import on {backend}");
        let f = fixture(store.store.clone(), now()).await;
        let mut tx = f.app.store.write().await.expect("write");
        let activity = Activity {
            id: ActivityId::from_uuid(uuid::Uuid::now_v7()),
            entity_id: f.be.id,
            name: "Bench".into(),
            description: String::new(),
            status: ActivityStatus::Active,
            fee_override: None,
            budget: Money::ZERO,
        };
        tx.insert_activity(&activity, 0).await.expect("activity");
        let mut clients: HashSet<ClientId> = HashSet::new();
        for i in &data.invoices {
            if clients.insert(i.client) {
                tx.insert_client(
                    &Client {
                        id: i.client,
                        entity_id: f.be.id,
                        name: i.client_name.clone(),
                        ..f.be_client.clone()
                    },
                    0,
                )
                .await
                .expect("client");
            }
            tx.insert_invoice(
                &Invoice {
                    id: i.id,
                    number: i.number,
                    entity_id: f.be.id,
                    activity_id: activity.id,
                    client_id: i.client,
                    declaration_id: None,
                    issue_date: i.issue_date,
                    due_date: i.due_date,
                    payment_reference: i
                        .payment_reference
                        .clone()
                        .unwrap_or_else(|| PaymentReference::for_invoice(&i.number)),
                    lang: Lang::Fr,
                    lines: Vec::new(),
                    totals: InvoiceTotals {
                        net: i.outstanding,
                        vat: Money::ZERO,
                        with_vat: i.outstanding,
                        subtotals: Vec::new(),
                    },
                    status: InvoiceStatus::Issued,
                },
                0,
            )
            .await
            .expect("invoice");
        }
        tx.commit().await.expect("commit");

        let file = synthetic::camt_file(&data, &f.be.iban.to_string().replace(' ', ""));
        let first = f
            .app
            .import_statement(&f.admin, &file, None)
            .await
            .expect("imported");
        let s = &first.statements[0];
        assert_eq!(s.new_lines, 2_000);
        assert_eq!(s.matched + s.queued, 2_000);
        let rows = dump(&f, &data, &file).await;
        let digest: String = Sha256::digest(rows.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            (s.matched, s.queued, s.payments.len(), s.invoices_paid.len()),
            EXPECTED_COUNTS,
            "{backend}"
        );
        assert_eq!(digest, EXPECTED_DIGEST, "{backend}: the rows differ");
        // Again: nothing new.
        let again = f
            .app
            .import_statement(&f.admin, &file, None)
            .await
            .expect("again");
        assert_eq!(again.statements[0].new_lines, 0);
        assert_eq!(again.statements[0].known_lines, 2_000);
        assert_eq!(dump(&f, &data, &file).await, rows);
        store.finish().await;
    }
}

/// Matched, queued, payments, invoices paid in full, as the line-by-line import wrote them.
const EXPECTED_COUNTS: (usize, usize, usize, usize) = (1904, 96, 1904, 1856);
/// SHA-256 of [`dump`] after the line-by-line import (commit 4a47637, before the batches).
const EXPECTED_DIGEST: &str = "c67a4b77e9b6c25ce54e1ffa853cf807d2341212bfbbf1b3dc3f64611d6043b0";
