//! Reports on a small known history: an invoice with its fee, a salary financed by a
//! guarantee advance, the client's payment, and the repayment of the advance.

use ensemble_domain::{ActivityId, ClientId, Country, EntityId, MemberId, Money};
use ensemble_ledger::chart::Chart;
use ensemble_ledger::export::{
    BudgetPosition, activity_statement, balance_sheet, general_ledger_csv, profit_and_loss,
    trial_balance,
};
use ensemble_ledger::rules::*;
use ensemble_ledger::{Account, Book, EventCode, EventId, Ledger};
use jiff::civil::Date;
use uuid::Uuid;

fn eur(text: &str) -> Money {
    text.parse().expect("amount")
}

fn ev(id: &str, day: i8, document: &str, label: &str) -> Event {
    Event::new(
        EventId::new(id).expect("id"),
        Date::constant(2026, 3, day),
        document,
        label,
    )
}

struct World {
    books: EntityBooks,
    ledger: Ledger,
    activity: Party<ActivityId>,
}

fn world() -> World {
    let books = EntityBooks::new(EntityId::from_uuid(Uuid::from_u128(1)), Country::Fr);
    let activity = Party::new(
        ActivityId::from_uuid(Uuid::from_u128(0xA1)),
        "Atelier Lumière",
    );
    let client = Party::new(ClientId::from_uuid(Uuid::from_u128(0xC1)), "ACME SARL");
    let member = Party::new(MemberId::from_uuid(Uuid::from_u128(0xB1)), "Camille Martin");
    let mut l = Ledger::new();
    let inv = ev(
        "inv-1",
        2,
        "INV-FR-2026-000001",
        "Facture INV-FR-2026-000001",
    );
    l.apply(
        &invoice_issued(
            &books,
            &InvoiceIssued {
                event: inv.clone(),
                activity: activity.clone(),
                client: client.clone(),
                excl_vat: eur("1000.00"),
                vat: eur("200.00"),
            },
        )
        .expect("invoice")
        .then(
            fee(
                &books,
                &FeeCharged {
                    event: inv,
                    activity: activity.clone(),
                    amount: eur("85.00"),
                },
            )
            .expect("fee"),
        ),
    )
    .expect("entry 1");
    let sal = ev("sal-1", 5, "CTR-FR-2026-000001", "Salaire Camille Martin");
    l.apply(
        &guarantee_advance(
            &books,
            &GuaranteeAdvance {
                event: sal.clone(),
                activity: activity.clone(),
                amount: eur("1425.00"),
            },
        )
        .expect("advance")
        .then(
            salary(
                &books,
                &SalaryPosted {
                    event: sal,
                    member,
                    activity: activity.clone(),
                    gross: eur("1000.00"),
                    employee_social_security: eur("150.00"),
                    employee_other_bodies: eur("70.00"),
                    withholding_tax: eur("40.00"),
                    net_payable: eur("740.00"),
                    employer_social_security: eur("350.00"),
                    employer_other_bodies: eur("75.00"),
                    employer_cost: eur("1425.00"),
                },
            )
            .expect("salary"),
        ),
    )
    .expect("entry 2");
    l.apply(
        &payment_received(
            &books,
            &PaymentReceived {
                event: ev("pay-1", 20, "VIR-0320", "Paiement ACME SARL"),
                activity: activity.clone(),
                client,
                invoice: InvoiceFigures {
                    total: eur("1200.00"),
                    vat: eur("200.00"),
                    budget_share: eur("915.00"),
                },
                paid_before: Money::ZERO,
                amount: eur("1200.00"),
            },
        )
        .expect("payment"),
    )
    .expect("entry 3");
    l.apply(
        &advance_repayment(
            &books,
            &GuaranteeAdvance {
                event: ev(
                    "rep-1",
                    21,
                    "INV-FR-2026-000001",
                    "Remboursement de l'avance",
                ),
                activity: activity.clone(),
                amount: eur("915.00"),
            },
        )
        .expect("repayment"),
    )
    .expect("entry 4");
    World {
        books,
        ledger: l,
        activity,
    }
}

fn accounts(w: &World) -> Vec<Account> {
    w.ledger
        .accounts()
        .into_iter()
        .map(|(a, _)| a.clone())
        .collect()
}

fn pos(available: &str, awaiting: &str, owed: &str) -> BudgetPosition {
    BudgetPosition {
        available: eur(available),
        awaiting_payment: eur(awaiting),
        owed_to_fund: eur(owed),
        reserved: Money::ZERO,
    }
}

#[test]
fn the_activity_statement_follows_every_movement() {
    let w = world();
    let st = activity_statement(
        w.books.entity,
        w.activity.id,
        Date::constant(2026, 3, 1),
        Date::constant(2026, 3, 31),
        w.ledger.journal(w.books.entity),
    )
    .expect("statement");
    assert_eq!(st.opening, BudgetPosition::default());
    let got: Vec<_> = st
        .lines
        .iter()
        .map(|l| (l.entry, l.event, l.position))
        .collect();
    assert_eq!(
        got,
        vec![
            (1, EventCode::InvoiceIssued, pos("0", "1000.00", "0")),
            (1, EventCode::Fee, pos("0", "915.00", "0")),
            (
                2,
                EventCode::GuaranteeAdvance,
                pos("1425.00", "915.00", "1425.00")
            ),
            (2, EventCode::Salary, pos("0", "915.00", "1425.00")),
            (3, EventCode::PaymentReceived, pos("915.00", "0", "1425.00")),
            (4, EventCode::AdvanceRepayment, pos("0", "0", "510.00")),
        ]
    );
    assert_eq!(st.closing, pos("0", "0", "510.00"));
    let csv = st.to_csv();
    assert_eq!(csv.lines().count(), 1 + 1 + 6 + 1);
    assert!(csv.contains(
        "2026-03-05,2,guarantee_advance,CTR-FR-2026-000001,Salaire Camille Martin,1425.00,0.00,1425.00,0.00,1425.00,915.00,1425.00,0.00"
    ));
}

#[test]
fn profit_and_loss_and_balance_sheet() {
    let w = world();
    let chart = Chart::for_country(Country::Fr);
    let accounts = accounts(&w);
    let journal = w.ledger.journal(w.books.entity);
    let pl = profit_and_loss(
        w.books.entity,
        chart,
        Date::constant(2026, 1, 1),
        Date::constant(2026, 12, 31),
        &accounts,
        journal,
    )
    .expect("p&l");
    let lines = |v: &[ensemble_ledger::export::ReportLine]| {
        v.iter()
            .map(|l| (l.code.to_string(), l.amount.to_string()))
            .collect::<Vec<_>>()
    };
    assert_eq!(lines(&pl.income), [("706".into(), "1000.00".into())]);
    assert_eq!(
        lines(&pl.expenses),
        [
            ("641".to_string(), "1000.00".to_string()),
            ("645".into(), "425.00".into())
        ]
    );
    assert_eq!(pl.result, eur("-425.00"));

    let sheet = balance_sheet(
        w.books.entity,
        chart,
        Date::constant(2026, 3, 31),
        &accounts,
        journal,
    )
    .expect("sheet");
    assert_eq!(
        lines(&sheet.assets),
        [("512".to_string(), "1200.00".to_string())]
    );
    assert_eq!(
        lines(&sheet.liabilities),
        [
            ("421".to_string(), "740.00".to_string()),
            ("431".into(), "500.00".into()),
            ("437".into(), "145.00".into()),
            ("4421".into(), "40.00".into()),
            ("44571".into(), "200.00".into()),
        ]
    );
    assert_eq!(sheet.result, eur("-425.00"));
    assert_eq!(sheet.total_assets, eur("1200.00"));
    assert_eq!(sheet.total_liabilities_and_equity, eur("1200.00"));
    assert!(
        sheet
            .to_csv()
            .ends_with("total,,liabilities and equity,1200.00\r\n")
    );
    // At the end of February nothing had happened yet.
    let empty = balance_sheet(
        w.books.entity,
        chart,
        Date::constant(2026, 2, 28),
        &accounts,
        journal,
    )
    .expect("sheet");
    assert!(empty.assets.is_empty() && empty.result == Money::ZERO);
}

#[test]
fn trial_balance_and_general_ledger() {
    let w = world();
    let accounts = accounts(&w);
    let journal = w.ledger.journal(w.books.entity);
    let tb = trial_balance(
        w.books.entity,
        Book::General,
        Date::constant(2026, 12, 31),
        &accounts,
        journal,
    )
    .expect("tb");
    assert!(tb.is_balanced());
    assert_eq!(tb.total_debits, eur("4025.00"));
    let bank = tb
        .lines
        .iter()
        .find(|l| l.code.as_str() == "512")
        .expect("bank");
    assert_eq!(
        (bank.debits, bank.credits, bank.balance),
        (eur("1200.00"), Money::ZERO, eur("1200.00"))
    );
    let csv = tb.to_csv();
    assert!(csv.starts_with("account,auxiliary,label,debits,credits,balance\r\n"));
    assert!(csv.ends_with("total,,,4025.00,4025.00,0.00\r\n"));
    let analytic = trial_balance(
        w.books.entity,
        Book::Analytic,
        Date::constant(2026, 12, 31),
        &accounts,
        journal,
    )
    .expect("tb");
    assert!(analytic.is_balanced());

    let gl = general_ledger_csv(
        w.books.entity,
        Book::General,
        Date::constant(2026, 3, 1),
        Date::constant(2026, 3, 31),
        &accounts,
        journal,
    )
    .expect("gl");
    assert!(gl.starts_with(
        "account,account_label,auxiliary,date,journal,entry,transfer,document,label,debit,credit,balance\r\n"
    ));
    assert!(gl.contains("512,Banques,,2026-03-01,,,,,balance brought forward,,,0.00\r\n512,Banques,,2026-03-20,BQ,3,pay-1:bank,VIR-0320,Paiement ACME SARL,1200.00,,1200.00\r\n"));
    assert!(gl.contains(
        "411,ACME SARL,00000000-0000-0000-0000-0000000000c1,2026-03-20,BQ,3,pay-1:bank,VIR-0320,Paiement ACME SARL,,1200.00,0.00\r\n"
    ));
    assert!(
        !gl.contains("9200"),
        "the general ledger of the general book has no budgets"
    );
}
