//! Payouts and bank statements through the use cases, on SQLite and (with
//! ENSEMBLE_TEST_DATABASE_URL) on PostgreSQL: pain.001 files for the salaries and expenses due
//! (checked by `validate_sepa.py --epc` when ENSEMBLE_VALIDATORS_PYTHON is set), held until a
//! statement's debit confirms them or the bank rejects them; camt.053 imports that match
//! client payments to invoices (partial, multi-invoice), change nothing the second time,
//! write nothing from a malformed file, and leave the rest to a staff queue where a person
//! assigns a line by hand.

#[macro_use]
#[path = "common/stores.rs"]
mod stores;
use stores::{eur, finish, now, prepare};

use std::path::PathBuf;
use std::process::Command;

use ensemble_app::activities::BudgetAdjustment;
use ensemble_app::expenses::{ExpenseLineInput, NewExpenseClaim};
use ensemble_app::inputs::{NewDeclaration, PeriodInput};
use ensemble_app::payments::{NewPayment, PaymentMethod};
use ensemble_app::payouts::NewPayoutBatch;
use ensemble_app::statements::{Assignment, StatementImport};
use ensemble_app::testing::{Fixture, fixture};
use ensemble_app::{AppError, Idempotency};
use ensemble_domain::client::Client;
use ensemble_domain::coop::CooperativeEntity;
use ensemble_domain::identifiers::{BeStructuredCommunication, RfCreditorReference};
use ensemble_domain::invoice::{Invoice, InvoiceStatus, InvoiceTotals};
use ensemble_domain::{
    ClientId, DocumentKind, DocumentNumber, EntityId, InvoiceId, Money, PaymentReference,
};
use ensemble_ledger::Owner;
use ensemble_ledger::chart::Role;
use ensemble_ledger::rules::EntityBooks;
use ensemble_store::testing::TestStore;
use jiff::civil::{Date, date};

const BANK_TABLES: &[&str] = &[
    "bank_statements",
    "bank_lines",
    "bank_line_matches",
    "reconciliation_queue",
    "payout_batches",
    "payout_lines",
    "idempotency_keys",
];

async fn count(f: &Fixture, table: &str) -> i64 {
    let mut tx = f.app.store.read().await.expect("read");
    tx.count_rows(table).await.expect("count")
}

async fn snapshot(f: &Fixture) -> Vec<i64> {
    let mut out = Vec::new();
    for t in BANK_TABLES {
        out.push(count(f, t).await);
    }
    out
}

/// The SEPA samples of `../shared/validators` next to the repository, or of
/// `ENSEMBLE_VALIDATORS_DIR` (as the banking crate's tests).
fn examples() -> PathBuf {
    std::env::var_os("ENSEMBLE_VALIDATORS_DIR")
        .map_or_else(
            || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/validators"),
            PathBuf::from,
        )
        .join("artefacts/sepa/examples")
}

// ---------------------------------------------------------------------------------------------
// camt.053.001.08 written for the tests

/// One booked entry.
struct Ntry {
    credit: bool,
    cents: i64,
    reference: String,
    /// The inner XML of `NtryDtls` (a `Btch`, `TxDtls`…).
    details: String,
}

fn amount(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// A client's payment: the payer's name and the free text.
fn credit(reference: &str, cents: i64, payer: &str, text: &str) -> Ntry {
    Ntry {
        credit: true,
        cents,
        reference: reference.into(),
        details: format!(
            "<TxDtls><Refs><AcctSvcrRef>{reference}</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId></Refs>\
             <Amt Ccy=\"EUR\">{}</Amt><CdtDbtInd>CRDT</CdtDbtInd>\
             <RltdPties><Dbtr><Pty><Nm>{payer}</Nm></Pty></Dbtr></RltdPties>\
             <RmtInf><Ustrd>{text}</Ustrd></RmtInf></TxDtls>",
            amount(cents)
        ),
    }
}

/// The bank booking one of our payment information blocks as one debit.
fn batch_debit(
    reference: &str,
    cents: i64,
    message_id: &str,
    payment_information_id: &str,
) -> Ntry {
    Ntry {
        credit: false,
        cents,
        reference: reference.into(),
        details: format!(
            "<Btch><MsgId>{message_id}</MsgId><PmtInfId>{payment_information_id}</PmtInfId>\
             <TtlAmt Ccy=\"EUR\">{}</TtlAmt><CdtDbtInd>DBIT</CdtDbtInd></Btch>",
            amount(cents)
        ),
    }
}

fn camt(iban: &str, id: &str, day: Date, entries: &[Ntry]) -> Vec<u8> {
    let opening: i64 = 10_000_000;
    let closing = entries.iter().fold(
        opening,
        |b, e| if e.credit { b + e.cents } else { b - e.cents },
    );
    let mut x = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\"><BkToCstmrStmt>\
         <GrpHdr><MsgId>MSG-{id}</MsgId><CreDtTm>{day}T20:00:00+01:00</CreDtTm></GrpHdr>\
         <Stmt><Id>{id}</Id><CreDtTm>{day}T20:00:00+01:00</CreDtTm>\
         <Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>\
         <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">{}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>\
         <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">{}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>",
        amount(opening),
        amount(closing)
    );
    for e in entries {
        let (cd, family) = if e.credit {
            ("CRDT", "RCDT")
        } else {
            ("DBIT", "ICDT")
        };
        x.push_str(&format!(
            "<Ntry><Amt Ccy=\"EUR\">{}</Amt><CdtDbtInd>{cd}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>\
             <BookgDt><Dt>{day}</Dt></BookgDt><ValDt><Dt>{day}</Dt></ValDt><AcctSvcrRef>{}</AcctSvcrRef>\
             <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>{family}</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>\
             <NtryDtls>{}</NtryDtls></Ntry>",
            amount(e.cents),
            e.reference,
            e.details
        ));
    }
    x.push_str("</Stmt></BkToCstmrStmt></Document>");
    x.into_bytes()
}

// ---------------------------------------------------------------------------------------------
// Invoices

/// Work declared by Alice for the Belgian client: an invoice (and a payslip).
async fn declared_invoice(f: &Fixture, day: i8, price: &str) -> Invoice {
    let r = f
        .app
        .declare_work(
            &f.alice.actor,
            &NewDeclaration {
                activity_id: f.be_activity.id,
                client_id: f.be_client.id,
                member_id: None,
                period: PeriodInput {
                    start: date(2026, 1, day),
                    end: date(2026, 1, day),
                },
                unit: "day".into(),
                quantity: "1".into(),
                price: Some(eur(price)),
                gross: None,
                description: format!("Concert on January {day}"),
            },
            None,
        )
        .await
        .expect("declared");
    r.invoice.expect("an invoice")
}

async fn invoice(f: &Fixture, id: InvoiceId) -> Invoice {
    let mut tx = f.app.store.read().await.expect("read");
    tx.invoice(id).await.expect("invoice")
}

async fn outstanding(f: &Fixture, id: InvoiceId) -> Money {
    let mut tx = f.app.store.read().await.expect("read");
    tx.invoice_balance(id).await.expect("balance").outstanding
}

fn be_iban(f: &Fixture) -> String {
    f.be.iban.to_string().replace(' ', "")
}

// ---------------------------------------------------------------------------------------------
// Statements

/// The entity whose account the validators' sample statement is about, with the two invoices
/// its client payments pay (a Belgian structured communication and an RF reference).
async fn sample_entity(f: &Fixture) -> (CooperativeEntity, InvoiceId, InvoiceId) {
    let mut entity = f.be.clone();
    entity.id = EntityId::from_uuid(uuid::Uuid::now_v7());
    entity.name = "Cooperative Exemple SC".into();
    entity.iban = "BE21001234567803".parse().expect("iban");
    let mut tx = f.app.store.write().await.expect("write");
    tx.insert_entity(&entity, 0).await.expect("entity");
    let mut ids = Vec::new();
    for (k, (client_name, reference, total)) in [
        ("Client Exemple SA", "+++202/6000/04236+++", "1210.00"),
        ("Client France SARL", "RF18539007547034", "605.00"),
    ]
    .into_iter()
    .enumerate()
    {
        let client = Client {
            id: ClientId::from_uuid(uuid::Uuid::now_v7()),
            entity_id: entity.id,
            name: client_name.into(),
            ..f.be_client.clone()
        };
        tx.insert_client(&client, 0).await.expect("client");
        let invoice = Invoice {
            id: InvoiceId::from_uuid(uuid::Uuid::now_v7()),
            number: DocumentNumber::new(
                DocumentKind::Invoice,
                entity.country,
                2026,
                900 + u32::try_from(k).expect("k"),
            ),
            entity_id: entity.id,
            activity_id: f.be_activity.id,
            client_id: client.id,
            declaration_id: None,
            issue_date: date(2026, 10, 10),
            due_date: date(2026, 10, 20),
            payment_reference: if reference.starts_with("RF") {
                PaymentReference::Rf(RfCreditorReference::parse(reference).expect("RF"))
            } else {
                PaymentReference::Structured(
                    BeStructuredCommunication::parse(reference).expect("structured"),
                )
            },
            lang: ensemble_domain::Lang::Fr,
            lines: Vec::new(),
            totals: InvoiceTotals {
                net: eur(total),
                vat: Money::ZERO,
                with_vat: eur(total),
                subtotals: Vec::new(),
            },
            status: InvoiceStatus::Issued,
        };
        tx.insert_invoice(&invoice, 0).await.expect("invoice");
        ids.push(invoice.id);
    }
    tx.commit().await.expect("commit");
    (entity, ids[0], ids[1])
}

on_every_store!(
    the_validators_sample_statement_pays_its_invoices_once,
    |f| {
        let (entity, structured, rf) = sample_entity(&f).await;
        let file = std::fs::read(examples().join("camt.053.001.08_coop-statement-sample.xml"))
            .expect("the sample statement");
        let r = f
            .app
            .import_statement(&f.admin, &file, None)
            .await
            .expect("imported");
        assert_eq!(r.version, "camt.053.001.08");
        let s = &r.statements[0];
        assert_eq!(s.entity_id, Some(entity.id));
        assert_eq!(s.statement_id, "2026-211");
        assert!(!s.already_imported);
        // Two client payments, three debits (a salary batch of another system, an expense
        // reimbursement, a bank fee): five lines.
        assert_eq!(
            (
                s.new_lines,
                s.matched,
                s.queued,
                s.payout_lines,
                s.other_lines
            ),
            (5, 2, 0, 0, 3)
        );
        let mut paid: Vec<(InvoiceId, Money, String)> = s
            .payments
            .iter()
            .map(|p| (p.invoice_id, p.amount, p.method.clone()))
            .collect();
        paid.sort_by_key(|p| p.1);
        assert_eq!(
            paid,
            vec![
                (rf, eur("605.00"), "creditor_reference".to_string()),
                (structured, eur("1210.00"), "creditor_reference".to_string()),
            ]
        );
        assert_eq!(invoice(&f, structured).await.status, InvoiceStatus::Paid);
        assert_eq!(invoice(&f, rf).await.status, InvoiceStatus::Paid);
        assert_eq!(outstanding(&f, rf).await, Money::ZERO);

        // The same file again: nothing changes.
        let before = snapshot(&f).await;
        let again = f
            .app
            .import_statement(&f.admin, &file, None)
            .await
            .expect("imported again");
        let s = &again.statements[0];
        assert!(s.already_imported);
        assert_eq!((s.new_lines, s.known_lines, s.matched), (0, 5, 0));
        assert!(s.payments.is_empty());
        assert_eq!(snapshot(&f).await, before);
    }
);

on_every_store!(a_statement_of_no_entity_s_account_writes_nothing, |f| {
    let file = std::fs::read(examples().join("camt.053.001.08_postfinance-converted.xml"))
        .expect("the PostFinance sample");
    let before = snapshot(&f).await;
    let err = f
        .app
        .import_statement(&f.admin, &file, None)
        .await
        .expect_err("no entity has that account");
    assert_eq!(err.field(), Some("file"));
    assert!(
        err.message()
            .starts_with("Document/BkToCstmrStmt/Stmt[1]/Acct/Id/IBAN: CH"),
        "{}",
        err.message()
    );
    assert_eq!(snapshot(&f).await, before);
});

on_every_store!(
    a_malformed_statement_names_the_element_and_writes_nothing,
    |f| {
        sample_entity(&f).await;
        let before = snapshot(&f).await;
        for (file, element) in [
            (
                "broken/camt.053.001.08_coop_wrong-CLBD.xml",
                "Document/BkToCstmrStmt/Stmt[1]",
            ),
            (
                "broken/camt.053.001.08_coop_v04-style-Sts.xml",
                "Document/BkToCstmrStmt/Stmt[1]/Ntry[",
            ),
        ] {
            let bytes = std::fs::read(examples().join(file)).expect("broken sample");
            let err = f
                .app
                .import_statement(&f.admin, &bytes, None)
                .await
                .expect_err(file);
            assert!(matches!(err, AppError::Invalid(_)), "{file}: {err:?}");
            assert_eq!(err.field(), Some("file"));
            assert!(
                err.message().starts_with(element),
                "{file}: {}",
                err.message()
            );
        }
        // A good file cut in the middle of an entry.
        let good = std::fs::read(examples().join("camt.053.001.08_coop-statement-sample.xml"))
            .expect("sample");
        let cut = &good[..good.len() / 2];
        let err = f
            .app
            .import_statement(&f.admin, cut, None)
            .await
            .expect_err("cut");
        assert!(
            err.message().contains("not well-formed"),
            "{}",
            err.message()
        );
        assert_eq!(snapshot(&f).await, before, "nothing written");
        // Not staff: refused before anything.
        let err = f
            .app
            .import_statement(&f.advisor, &good, None)
            .await
            .expect_err("advisor");
        assert!(matches!(err, AppError::Forbidden(_)));
        assert_eq!(snapshot(&f).await, before);
    }
);

on_every_store!(partial_and_multi_invoice_payments, |f| {
    let a = declared_invoice(&f, 5, "1000.00").await;
    let b = declared_invoice(&f, 6, "200.00").await;
    let c = declared_invoice(&f, 7, "300.00").await;
    let total_a = a.totals.with_vat;
    let part = eur("500.00");
    let iban = be_iban(&f);
    let statement = camt(
        &iban,
        "2026-001",
        date(2026, 1, 25),
        &[
            // Half of A by its reference.
            credit(
                "R1",
                part.cents(),
                "Theatre Royal",
                &format!("{}", a.payment_reference),
            ),
            // B and C in one payment, both references in the text.
            credit(
                "R2",
                (b.totals.with_vat + c.totals.with_vat).cents(),
                "Theatre Royal",
                &format!("{} {}", b.payment_reference, c.payment_reference),
            ),
        ],
    );
    let r: StatementImport = f
        .app
        .import_statement(&f.admin, &statement, None)
        .await
        .expect("imported");
    let s = &r.statements[0];
    assert_eq!((s.matched, s.queued), (2, 0), "{s:#?}");
    assert_eq!(outstanding(&f, a.id).await, total_a - part);
    assert_eq!(invoice(&f, a.id).await.status, InvoiceStatus::Issued);
    assert_eq!(outstanding(&f, b.id).await, Money::ZERO);
    assert_eq!(outstanding(&f, c.id).await, Money::ZERO);
    assert_eq!(invoice(&f, c.id).await.status, InvoiceStatus::Paid);
    let mut paid = s.invoices_paid.clone();
    paid.sort();
    let mut want = vec![b.id, c.id];
    want.sort();
    assert_eq!(paid, want);

    // The rest of A, with 10.00 too much, the next day.
    let rest = total_a - part + eur("10.00");
    let statement = camt(
        &iban,
        "2026-002",
        date(2026, 1, 26),
        &[credit(
            "R3",
            rest.cents(),
            "Theatre Royal",
            &format!("Solde {}", a.payment_reference),
        )],
    );
    let r = f
        .app
        .import_statement(&f.admin, &statement, None)
        .await
        .expect("imported");
    let s = &r.statements[0];
    assert_eq!(s.matched, 1);
    assert_eq!(s.payments[0].amount, total_a - part);
    assert_eq!(invoice(&f, a.id).await.status, InvoiceStatus::Paid);
    let mut tx = f.app.store.read().await.expect("read");
    let line = tx
        .bank_line(&s.payments[0].line_fingerprint)
        .await
        .expect("line");
    assert_eq!(line.excess, eur("10.00"), "the overpayment is recorded");
    let payments = tx.invoice_payments(a.id).await.expect("payments");
    assert_eq!(
        payments.iter().map(|p| p.amount).sum::<Money>(),
        total_a,
        "two payments make the invoice's total"
    );
    // The books: the receivables hold every cent received, the overpayment included.
    let receivable = tx.receivable(a.id).await.expect("receivable");
    assert_eq!(receivable.paid, total_a + eur("10.00"));
    assert_eq!(
        receivable.status,
        ensemble_store::ledger::ReceivableStatus::Paid
    );
    assert_eq!(
        tx.receivable(b.id).await.expect("receivable").paid,
        b.totals.with_vat
    );
    assert_eq!(
        tx.receivable(c.id).await.expect("receivable").paid,
        c.totals.with_vat
    );
    drop(tx);
    let check = f.app.ledger_check().await.expect("ledger check");
    assert!(check.is_ok(), "{check:?}");
});

on_every_store!(an_unmatched_line_waits_in_the_queue_until_assigned, |f| {
    let a = declared_invoice(&f, 8, "750.00").await;
    let statement = camt(
        &be_iban(&f),
        "2026-003",
        date(2026, 1, 27),
        &[credit("R9", 12_345, "Somebody Else", "merci")],
    );
    let r = f
        .app
        .import_statement(&f.admin, &statement, None)
        .await
        .expect("imported");
    assert_eq!((r.statements[0].matched, r.statements[0].queued), (0, 1));
    let queue = f
        .app
        .reconciliation_queue(&f.admin, Some(f.be.id), false)
        .await
        .expect("queue");
    assert_eq!(queue.len(), 1);
    let item = &queue[0];
    assert_eq!(item.line.amount, eur("123.45"));
    assert_eq!(item.line.status, "unmatched");
    assert_eq!(item.reason, "no_candidate");
    let err = f
        .app
        .reconciliation_queue(&f.alice.actor, None, false)
        .await
        .expect_err("members do not see the queue");
    assert!(matches!(err, AppError::Forbidden(_)));

    let input = Assignment {
        invoice_ids: vec![a.id],
    };
    let idem = Idempotency::for_input("assign-r9", &input).expect("key");
    let done = f
        .app
        .assign_bank_line(&f.admin, &item.line.fingerprint, &input, Some(&idem))
        .await
        .expect("assigned");
    assert_eq!(done.payments.len(), 1);
    assert_eq!(done.payments[0].amount, eur("123.45"));
    assert_eq!(done.payments[0].method, "manual");
    assert_eq!(done.payments[0].matched_by, Some(f.admin.user));
    assert_eq!(done.item.resolution.as_deref(), Some("assigned"));
    assert_eq!(done.item.line.status, "assigned");
    assert_eq!(
        outstanding(&f, a.id).await,
        a.totals.with_vat - eur("123.45")
    );
    {
        let mut tx = f.app.store.read().await.expect("read");
        assert_eq!(
            tx.receivable(a.id).await.expect("receivable").paid,
            eur("123.45"),
            "the books have the payment"
        );
    }
    // A replay gives the same answer; a second assignment is refused.
    let replay = f
        .app
        .assign_bank_line(&f.admin, &item.line.fingerprint, &input, Some(&idem))
        .await
        .expect("replayed");
    assert_eq!(replay, done);
    let err = f
        .app
        .assign_bank_line(&f.admin, &item.line.fingerprint, &input, None)
        .await
        .expect_err("resolved already");
    assert_eq!(err.code(), "already_resolved");
    assert!(
        f.app
            .reconciliation_queue(&f.admin, Some(f.be.id), false)
            .await
            .expect("queue")
            .is_empty()
    );
    assert_eq!(
        f.app
            .reconciliation_queue(&f.admin, Some(f.be.id), true)
            .await
            .expect("queue")
            .len(),
        1
    );
});

// ---------------------------------------------------------------------------------------------
// Payouts

/// Runs `validate_sepa.py --epc` on `xml` when ENSEMBLE_VALIDATORS_PYTHON is set.
fn validate_pain001(name: &str, xml: &str) {
    let dir = std::env::temp_dir().join(format!("ensemble-payouts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join(format!("{name}.xml"));
    std::fs::write(&path, xml).expect("write");
    let Some(python) = std::env::var_os("ENSEMBLE_VALIDATORS_PYTHON") else {
        eprintln!(
            "SKIPPED validate_sepa.py --epc on {}: set ENSEMBLE_VALIDATORS_PYTHON",
            path.display()
        );
        return;
    };
    let script = std::env::var_os("ENSEMBLE_VALIDATORS_DIR")
        .map_or_else(
            || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/validators"),
            PathBuf::from,
        )
        .join("validate_sepa.py");
    let out = Command::new(python)
        .arg(&script)
        .arg("--epc")
        .arg(&path)
        .output()
        .expect("run validate_sepa.py");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("RESULT: VALID")
            && !stdout.contains("ERROR")
            && !stdout.contains("WARNING"),
        "{}: {stdout}{}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// An approved expense claim of Alice's, 80.00 without a receipt; the activity's budget
/// topped up so that it can be reimbursed.
async fn approved_claim(f: &Fixture) -> ensemble_domain::ExpenseClaimId {
    f.app
        .adjust_budget(
            &f.admin,
            f.be_activity.id,
            &BudgetAdjustment {
                amount: eur("500.00"),
                label: "Opening balance".into(),
            },
            None,
        )
        .await
        .expect("budget");
    let claim = f
        .app
        .create_expense_claim(
            &f.alice.actor,
            &NewExpenseClaim {
                activity_id: f.be_activity.id,
                member_id: None,
                title: "Train to Liège".into(),
                lines: vec![ExpenseLineInput {
                    date: date(2026, 1, 9),
                    description: "Train".into(),
                    category: Some("travel".into()),
                    amount: eur("80.00"),
                    vat_rate: "6".parse().expect("rate"),
                    vat: None,
                    receipt: None,
                    no_receipt_reason: Some("an e-ticket lost with the phone".into()),
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
    claim.id
}

on_every_store!(a_payout_batch_is_confirmed_by_the_statement, |f| {
    declared_invoice(&f, 12, "1069.52").await;
    let claim = approved_claim(&f).await;
    let input = NewPayoutBatch {
        entity_id: f.be.id,
        execution_date: date(2026, 1, 28),
    };
    let err = f
        .app
        .create_payout_batch(&f.advisor, &input, None)
        .await
        .expect_err("advisors do not pay out");
    assert!(matches!(err, AppError::Forbidden(_)));

    let idem = Idempotency::for_input("payout-jan", &input).expect("key");
    let p = f
        .app
        .create_payout_batch(&f.admin, &input, Some(&idem))
        .await
        .expect("batch");
    assert_eq!(p.batch.status, "pending");
    assert_eq!(p.lines.len(), 2, "{:#?}", p.lines);
    let salary = p.lines.iter().find(|l| l.kind == "salary").expect("salary");
    let expense = p
        .lines
        .iter()
        .find(|l| l.kind == "expense")
        .expect("expense");
    let mut tx = f.app.store.read().await.expect("read");
    let slips = tx
        .payslips(&ensemble_store::Filter {
            member: Some(f.alice.member.id),
            ..Default::default()
        })
        .await
        .expect("payslips");
    assert_eq!(salary.amount, slips[0].net_paid);
    assert_eq!(expense.amount, eur("80.00"));
    assert_eq!(expense.source_id, claim.to_string());
    let reimbursed = tx.expense_claim(claim).await.expect("claim");
    assert_eq!(
        reimbursed.status,
        ensemble_domain::expense::ExpenseStatus::Reimbursed,
        "the budget paid the claim when it went in the batch"
    );
    drop(tx);
    assert_eq!(p.batch.total, salary.amount + eur("80.00"));
    let (name, xml) = f
        .app
        .payout_file(&f.admin, &p.batch.id)
        .await
        .expect("file");
    assert_eq!(name, p.batch.message_id);
    assert!(xml.contains(&format!("<CtrlSum>{}</CtrlSum>", p.batch.total)));
    assert!(xml.contains("<Cd>SALA</Cd>"));
    assert!(xml.contains("<Dt>2026-01-28</Dt>"));
    validate_pain001("payout-confirmed", &xml);

    // A replay answers the same batch; nothing else is due.
    let replay = f
        .app
        .create_payout_batch(&f.admin, &input, Some(&idem))
        .await
        .expect("replay");
    assert_eq!(replay, p);
    let err = f
        .app
        .create_payout_batch(&f.admin, &input, None)
        .await
        .expect_err("nothing due");
    assert_eq!(err.code(), "nothing_due");

    // The bank books the salary block and the expense block as two debits.
    let statement = camt(
        &be_iban(&f),
        "2026-010",
        date(2026, 1, 28),
        &[
            batch_debit(
                "D1",
                salary.amount.cents(),
                &p.batch.message_id,
                &salary.payment_information_id,
            ),
            batch_debit(
                "D2",
                expense.amount.cents(),
                &p.batch.message_id,
                &expense.payment_information_id,
            ),
        ],
    );
    let r = f
        .app
        .import_statement(&f.admin, &statement, None)
        .await
        .expect("imported");
    let s = &r.statements[0];
    assert_eq!((s.payout_lines, s.other_lines), (2, 0));
    assert_eq!(s.batches_confirmed, vec![p.batch.id.clone()]);
    let after = f
        .app
        .payout_batch(&f.admin, &p.batch.id)
        .await
        .expect("batch");
    assert_eq!(after.batch.status, "confirmed");
    assert!(
        after
            .lines
            .iter()
            .all(|l| l.status == "paid" && l.bank_line.is_some())
    );
    {
        let mut tx = f.app.store.read().await.expect("read");
        for l in &after.lines {
            let payout = tx
                .payout(l.ledger_payout.as_deref().expect("held in the books"))
                .await
                .expect("ledger payout");
            assert_eq!(
                (payout.status.as_str(), payout.amount),
                ("confirmed", l.amount)
            );
        }
    }
    let check = f.app.ledger_check().await.expect("ledger check");
    assert!(check.is_ok(), "{check:?}");
    // The same statement again changes nothing.
    let before = snapshot(&f).await;
    f.app
        .import_statement(&f.admin, &statement, None)
        .await
        .expect("again");
    assert_eq!(snapshot(&f).await, before);
    let err = f
        .app
        .reject_payout_batch(&f.admin, &p.batch.id, "too late", None)
        .await
        .expect_err("confirmed");
    assert_eq!(err.code(), "not_pending");
});

on_every_store!(a_rejected_batch_frees_its_salaries_for_the_next, |f| {
    declared_invoice(&f, 13, "800.00").await;
    let input = NewPayoutBatch {
        entity_id: f.be.id,
        execution_date: date(2026, 1, 29),
    };
    let first = f
        .app
        .create_payout_batch(&f.admin, &input, None)
        .await
        .expect("batch");
    assert_eq!(first.lines.len(), 1);
    validate_pain001(
        "payout-rejected",
        &f.app
            .payout_file(&f.admin, &first.batch.id)
            .await
            .expect("file")
            .1,
    );
    // A debit of another amount confirms nothing.
    let line = &first.lines[0];
    let statement = camt(
        &be_iban(&f),
        "2026-011",
        date(2026, 1, 29),
        &[batch_debit(
            "D9",
            line.amount.cents() - 1,
            &first.batch.message_id,
            &line.payment_information_id,
        )],
    );
    let r = f
        .app
        .import_statement(&f.admin, &statement, None)
        .await
        .expect("imported");
    assert_eq!(
        (r.statements[0].payout_lines, r.statements[0].other_lines),
        (0, 1)
    );
    let rejected = f
        .app
        .reject_payout_batch(&f.admin, &first.batch.id, "AC04 closed account", None)
        .await
        .expect("rejected");
    assert_eq!(rejected.batch.status, "rejected");
    assert_eq!(
        rejected.batch.rejection.as_deref(),
        Some("AC04 closed account")
    );
    assert!(rejected.lines.iter().all(|l| l.status == "rejected"));
    {
        let mut tx = f.app.store.read().await.expect("read");
        let payout = tx
            .payout(rejected.lines[0].ledger_payout.as_deref().expect("held"))
            .await
            .expect("ledger payout");
        assert_eq!(payout.status, "rejected", "the pending transfer is voided");
    }
    let second = f
        .app
        .create_payout_batch(&f.admin, &input, None)
        .await
        .expect("the salary is due again");
    assert_eq!(second.lines.len(), 1);
    assert_eq!(second.lines[0].source_id, line.source_id);
    assert_ne!(second.batch.message_id, first.batch.message_id);
    assert_eq!(count(&f, "payout_lines").await, 2);
});

// ---------------------------------------------------------------------------------------------
// The suspense account and payments recorded by hand

/// The posted (debits, credits) of a general-book account of the Belgian entity.
async fn posted(f: &Fixture, role: Role, owner: Option<Owner>) -> (Money, Money) {
    let books = EntityBooks::new(f.be.id, f.be.country);
    let mut tx = f.app.store.read().await.expect("read");
    tx.ledger_account(&books.account_id(role, owner))
        .await
        .expect("account")
        .map_or((Money::ZERO, Money::ZERO), |(_, b)| {
            (b.debits_posted, b.credits_posted)
        })
}

async fn analytic(f: &Fixture, id: ensemble_ledger::AccountId) -> ensemble_ledger::Balance {
    let mut tx = f.app.store.read().await.expect("read");
    tx.ledger_account(&id)
        .await
        .expect("account")
        .map(|a| a.1)
        .unwrap_or_default()
}

async fn assert_books_sound(f: &Fixture) {
    let report = f.app.ledger_check().await.expect("check");
    assert!(report.is_ok(), "{:?}", report.problems);
    for s in f.app.ledger_verify().await.expect("verify") {
        assert_eq!(s.problem, None);
    }
}

on_every_store!(
    unmatched_credits_wait_in_suspense_until_assigned_or_dismissed,
    |f| {
        let a = declared_invoice(&f, 9, "750.00").await;
        let z = Money::ZERO;
        // The members' shares were paid to the bank already.
        let shares = posted(&f, Role::Bank, None).await.0;
        let statement = camt(
            &be_iban(&f),
            "2026-010",
            date(2026, 1, 27),
            &[
                credit(
                    "S1",
                    a.totals.with_vat.cents(),
                    "Theatre Royal",
                    &a.payment_reference.to_string(),
                ),
                credit("S2", 12_345, "Somebody Else", "merci"),
                credit("S3", 5_000, "A refund", "retour"),
            ],
        );
        let r = f
            .app
            .import_statement(&f.admin, &statement, None)
            .await
            .expect("imported");
        assert_eq!((r.statements[0].matched, r.statements[0].queued), (1, 2));
        // The bank account in the books moved as the statement did (closing − opening); what
        // nothing matched waits in the suspense account (PCMN 499).
        let received = shares + a.totals.with_vat + eur("123.45") + eur("50.00");
        assert_eq!(posted(&f, Role::Bank, None).await, (received, z));
        assert_eq!(posted(&f, Role::Suspense, None).await, (z, eur("173.45")));
        assert_books_sound(&f).await;

        let queue = f
            .app
            .reconciliation_queue(&f.admin, Some(f.be.id), false)
            .await
            .expect("queue");
        let line = |amount: &str| {
            queue
                .iter()
                .find(|q| q.line.amount == eur(amount))
                .map(|q| q.line.fingerprint.clone())
                .expect("queued")
        };
        // Assigned to an invoice: suspense → client, the bank untouched.
        let b = declared_invoice(&f, 10, "200.00").await;
        f.app
            .assign_bank_line(
                &f.admin,
                &line("123.45"),
                &Assignment {
                    invoice_ids: vec![b.id],
                },
                None,
            )
            .await
            .expect("assigned");
        assert_eq!(posted(&f, Role::Bank, None).await, (received, z));
        assert_eq!(
            posted(&f, Role::Suspense, None).await,
            (eur("123.45"), eur("173.45"))
        );
        {
            let mut tx = f.app.store.read().await.expect("read");
            assert_eq!(
                tx.receivable(b.id).await.expect("receivable").paid,
                eur("123.45")
            );
        }
        // The client's account owes both invoices less what was paid.
        let client = posted(
            &f,
            Role::ClientReceivable,
            Some(Owner::Client(f.be_client.id)),
        )
        .await;
        assert_eq!(
            client.0 - client.1,
            b.totals.with_vat - eur("123.45"),
            "a is paid, b in part"
        );
        // Dismissed: not a client's payment; the money stays in suspense for the accountant.
        f.app
            .dismiss_bank_line(
                &f.admin,
                &line("50.00"),
                &ensemble_app::statements::Dismissal {
                    reason: "A refund of a supplier".into(),
                },
            )
            .await
            .expect("dismissed");
        assert_eq!(
            posted(&f, Role::Suspense, None).await,
            (eur("123.45"), eur("173.45"))
        );
        assert_eq!(posted(&f, Role::Bank, None).await, (received, z));
        assert_books_sound(&f).await;
        // The same statement again changes nothing in the books either.
        let transfers = count(&f, "ledger_transfers").await;
        f.app
            .import_statement(&f.admin, &statement, None)
            .await
            .expect("again");
        assert_eq!(count(&f, "ledger_transfers").await, transfers);
    }
);

const PAYMENT_TABLES: &[&str] = &[
    "manual_payments",
    "bank_line_matches",
    "ledger_transfers",
    "ledger_journal",
    "payments_received",
    "idempotency_keys",
];

async fn payment_rows(f: &Fixture) -> Vec<i64> {
    let mut out = Vec::new();
    for t in PAYMENT_TABLES {
        out.push(count(f, t).await);
    }
    out
}

on_every_store!(a_payment_recorded_by_hand_is_a_statement_payment, |f| {
    // 1 000.00 of work: 65.00 of fee, a budget share of 935.00, 210.00 of VAT; the salary
    // was advanced by the fund since the client had not paid.
    let declared = f
        .app
        .declare_work(
            &f.alice.actor,
            &NewDeclaration {
                activity_id: f.be_activity.id,
                client_id: f.be_client.id,
                member_id: None,
                period: PeriodInput {
                    start: date(2026, 1, 13),
                    end: date(2026, 1, 13),
                },
                unit: "day".into(),
                quantity: "1".into(),
                price: Some(eur("1000.00")),
                gross: None,
                description: "Concert on January 13".into(),
            },
            None,
        )
        .await
        .expect("declared");
    let b = declared.declaration.breakdown;
    let inv = declared.invoice.expect("an invoice");
    assert_eq!(inv.totals.with_vat, eur("1210.00"));
    assert_eq!(b.invoiced - b.fee, eur("935.00"));
    let books = EntityBooks::new(f.be.id, f.be.country);
    let client = Some(Owner::Client(f.be_client.id));
    let pay = |amount: &str, method: PaymentMethod, reference: &str| NewPayment {
        amount: eur(amount),
        paid_on: date(2026, 1, 29),
        method,
        reference: reference.into(),
    };

    // The members' shares were paid to the bank already.
    let shares = posted(&f, Role::Bank, None).await.0;
    // Refused, and nothing written: zero, negative, a member, an advisor.
    let before = payment_rows(&f).await;
    for amount in ["0.00", "-10.00"] {
        let err = f
            .app
            .record_payment(
                &f.admin,
                inv.id,
                &pay(amount, PaymentMethod::Cash, "R"),
                None,
            )
            .await
            .expect_err("not a payment");
        assert_eq!((err.code(), err.field()), ("invalid", Some("amount")));
    }
    for who in [&f.alice.actor, &f.advisor] {
        let err = f
            .app
            .record_payment(who, inv.id, &pay("10.00", PaymentMethod::Cash, "R"), None)
            .await
            .expect_err("treasury only");
        assert_eq!(err.code(), "forbidden");
    }
    assert_eq!(payment_rows(&f).await, before);

    // A cheque of 600.00: 600/1210 of the budget share (463.64) reaches the budget and
    // repays the fund at once.
    let first = f
        .app
        .record_payment(
            &f.admin,
            inv.id,
            &pay("600.00", PaymentMethod::Cheque, "CHQ 1234567"),
            None,
        )
        .await
        .expect("recorded");
    assert_eq!(first.payment.amount, eur("600.00"));
    assert_eq!(first.payment.excess, Money::ZERO);
    assert_eq!(first.outstanding, eur("610.00"));
    assert!(!first.invoice_paid);
    assert_eq!(outstanding(&f, inv.id).await, eur("610.00"));
    assert_eq!(invoice(&f, inv.id).await.status, InvoiceStatus::Issued);
    let (d, c) = posted(&f, Role::ClientReceivable, client).await;
    assert_eq!(d - c, eur("610.00"));
    assert_eq!(
        analytic(&f, books.advances(f.be_activity.id))
            .await
            .net_debit(),
        b.employer_cost - eur("463.64")
    );
    assert_eq!(
        analytic(&f, books.budget_awaiting(f.be_activity.id))
            .await
            .net_credit(),
        eur("471.36")
    );

    // A transfer of 700.00 with an idempotency key: 610.00 for the invoice, 90.00 left on
    // the client's account; the fund repaid in full, the rest of the budget share available.
    let second_input = pay("700.00", PaymentMethod::Transfer, "VIR 2026-01-29");
    let key = Idempotency::for_input("pay-2", &second_input).expect("key");
    let second = f
        .app
        .record_payment(&f.admin, inv.id, &second_input, Some(&key))
        .await
        .expect("recorded");
    assert_eq!(second.payment.amount, eur("610.00"));
    assert_eq!(second.payment.excess, eur("90.00"));
    assert_eq!(second.outstanding, Money::ZERO);
    assert!(second.invoice_paid);
    assert_eq!(invoice(&f, inv.id).await.status, InvoiceStatus::Paid);
    let (d, c) = posted(&f, Role::ClientReceivable, client).await;
    assert_eq!(
        c - d,
        eur("90.00"),
        "the overpayment stays on the client's account"
    );
    assert_eq!(
        posted(&f, Role::Bank, None).await,
        (shares + eur("1300.00"), Money::ZERO)
    );
    assert_eq!(
        analytic(&f, books.advances(f.be_activity.id))
            .await
            .net_debit(),
        Money::ZERO
    );
    assert_eq!(
        analytic(&f, books.budget(f.be_activity.id))
            .await
            .net_credit(),
        b.kept_in_budget
    );
    {
        let mut tx = f.app.store.read().await.expect("read");
        let r = tx.receivable(inv.id).await.expect("receivable");
        assert_eq!(r.paid, eur("1300.00"));
        assert_eq!(r.status, ensemble_store::ledger::ReceivableStatus::Paid);
    }
    // The key again replays; the invoice paid in full takes nothing more.
    let rows = payment_rows(&f).await;
    let again = f
        .app
        .record_payment(&f.admin, inv.id, &second_input, Some(&key))
        .await
        .expect("replayed");
    assert_eq!(again, second);
    let err = f
        .app
        .record_payment(
            &f.admin,
            inv.id,
            &pay("1.00", PaymentMethod::Cash, "LATE"),
            None,
        )
        .await
        .expect_err("paid in full");
    assert_eq!(err.code(), "invoice_not_open");
    assert_eq!(payment_rows(&f).await, rows);

    // A cancelled invoice takes no payment; the same reference twice is refused.
    let other = declared_invoice(&f, 14, "300.00").await;
    f.app
        .record_payment(
            &f.admin,
            other.id,
            &pay("10.00", PaymentMethod::Cash, "RECU 7"),
            None,
        )
        .await
        .expect("recorded");
    let rows = payment_rows(&f).await;
    let err = f
        .app
        .record_payment(
            &f.admin,
            other.id,
            &pay("10.00", PaymentMethod::Cash, "RECU 7"),
            None,
        )
        .await
        .expect_err("the same receipt");
    assert_eq!(err.code(), "payment_exists");
    {
        let mut tx = f.app.store.write().await.expect("write");
        tx.set_invoice_status(other.id, "cancelled")
            .await
            .expect("cancelled");
        tx.commit().await.expect("commit");
    }
    let err = f
        .app
        .record_payment(
            &f.admin,
            other.id,
            &pay("10.00", PaymentMethod::Cash, "RECU 8"),
            None,
        )
        .await
        .expect_err("cancelled");
    assert_eq!(err.code(), "invoice_not_open");
    assert_eq!(payment_rows(&f).await, rows);

    // The invoice's payments, oldest first.
    let listed = f
        .app
        .invoice_payments(&f.admin, inv.id)
        .await
        .expect("payments");
    assert_eq!(
        listed
            .iter()
            .map(|p| (p.method.as_str(), p.amount, p.excess))
            .collect::<Vec<_>>(),
        vec![
            ("cheque", eur("600.00"), Money::ZERO),
            ("transfer", eur("610.00"), eur("90.00"))
        ]
    );
    assert_books_sound(&f).await;
});
