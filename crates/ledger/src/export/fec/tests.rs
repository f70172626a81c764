//! A known small journal written to the exact expected FEC.

use super::*;
use crate::ledger::{Ledger, Posting};
use crate::model::EventId;
use crate::rules::{
    EntityBooks, Event, FeeCharged, InvoiceFigures, InvoiceIssued, Party, PaymentReceived, fee,
    invoice_issued, payment_received,
};
use ensemble_domain::{ActivityId, ClientId, Country};
use uuid::Uuid;

fn eur(text: &str) -> Money {
    text.parse().expect("amount")
}

fn event(id: &str, date: Date, document: &str, label: &str) -> Event {
    Event::new(EventId::new(id).expect("id"), date, document, label)
}

fn books() -> EntityBooks {
    EntityBooks::new(EntityId::from_uuid(Uuid::from_u128(1)), Country::Fr)
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

fn invoice(id: &str, date: Date, number: &str, excl: &str, vat: &str) -> Posting {
    let b = books();
    let label = format!("Facture {number} {}", activity().name);
    invoice_issued(
        &b,
        &InvoiceIssued {
            event: event(id, date, number, &label),
            activity: activity(),
            client: client(),
            excl_vat: eur(excl),
            vat: eur(vat),
        },
    )
    .expect("invoice")
    .then(
        fee(
            &b,
            &FeeCharged {
                event: event(id, date, number, &label),
                activity: activity(),
                amount: eur("10.00"),
            },
        )
        .expect("fee"),
    )
}

fn decode(bytes: &[u8]) -> String {
    // The test text avoids the eight code points where ISO 8859-15 differs from Latin-1.
    bytes.iter().map(|&b| char::from(b)).collect()
}

fn journal() -> Ledger {
    let b = books();
    let mut l = Ledger::new();
    l.apply(&invoice(
        "inv-9",
        Date::constant(2025, 12, 15),
        "INV-FR-2025-000009",
        "500.00",
        "100.00",
    ))
    .expect("2025 invoice");
    l.apply(&invoice(
        "inv-1",
        Date::constant(2026, 3, 2),
        "INV-FR-2026-000001",
        "1000.00",
        "200.00",
    ))
    .expect("2026 invoice");
    let pay = payment_received(
        &b,
        &PaymentReceived {
            event: event(
                "pay-1",
                Date::constant(2026, 3, 20),
                "VIR-0320",
                "Paiement ACME SARL",
            ),
            activity: activity(),
            client: client(),
            invoice: InvoiceFigures {
                total: eur("1200.00"),
                vat: eur("200.00"),
                budget_share: eur("990.00"),
            },
            paid_before: Money::ZERO,
            amount: eur("1200.00"),
        },
    )
    .expect("payment");
    l.apply(&pay).expect("payment");
    l.apply(&invoice(
        "inv-27",
        Date::constant(2027, 1, 4),
        "INV-FR-2027-000001",
        "50.00",
        "10.00",
    ))
    .expect("2027 invoice");
    l
}

const EXPECTED: &str = "\
JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise\r
AN\tÀ-nouveaux\tAN000001\t20260101\t110\tReport à nouveau - solde créditeur\t\t\tAN2026\t20260101\tReprise des soldes au 20260101\t0,00\t500,00\t\t\t20260101\t\t\r
AN\tÀ-nouveaux\tAN000001\t20260101\t411\tClients\t000000000000000000000000000000C1\tACME SARL\tAN2026\t20260101\tReprise des soldes au 20260101\t600,00\t0,00\t\t\t20260101\t\t\r
AN\tÀ-nouveaux\tAN000001\t20260101\t4458\tTaxes sur le chiffre d'affaires à régulariser ou en attente\t\t\tAN2026\t20260101\tReprise des soldes au 20260101\t0,00\t100,00\t\t\t20260101\t\t\r
VT\tVentes\tVT000001\t20260302\t411\tClients\t000000000000000000000000000000C1\tACME SARL\tINV-FR-2026-000001\t20260302\tFacture INV-FR-2026-000001 Atelier Lumière\t1200,00\t0,00\t\t\t20260302\t\t\r
VT\tVentes\tVT000001\t20260302\t706\tPrestations de services\t\t\tINV-FR-2026-000001\t20260302\tFacture INV-FR-2026-000001 Atelier Lumière\t0,00\t1000,00\t\t\t20260302\t\t\r
VT\tVentes\tVT000001\t20260302\t4458\tTaxes sur le chiffre d'affaires à régulariser ou en attente\t\t\tINV-FR-2026-000001\t20260302\tFacture INV-FR-2026-000001 Atelier Lumière\t0,00\t200,00\t\t\t20260302\t\t\r
BQ\tBanque\tBQ000001\t20260320\t512\tBanques\t\t\tVIR-0320\t20260320\tPaiement ACME SARL\t1200,00\t0,00\t\t\t20260320\t\t\r
BQ\tBanque\tBQ000001\t20260320\t411\tClients\t000000000000000000000000000000C1\tACME SARL\tVIR-0320\t20260320\tPaiement ACME SARL\t0,00\t1200,00\t\t\t20260320\t\t\r
BQ\tBanque\tBQ000001\t20260320\t4458\tTaxes sur le chiffre d'affaires à régulariser ou en attente\t\t\tVIR-0320\t20260320\tPaiement ACME SARL\t200,00\t0,00\t\t\t20260320\t\t\r
BQ\tBanque\tBQ000001\t20260320\t44571\tTVA collectée\t\t\tVIR-0320\t20260320\tPaiement ACME SARL\t0,00\t200,00\t\t\t20260320\t\t\r
";

#[test]
fn a_small_journal_gives_the_expected_fec() {
    let l = journal();
    let b = books();
    let accounts: Vec<Account> = l.accounts().into_iter().map(|(a, _)| a.clone()).collect();
    let siren = Siren::parse("732 829 320").expect("siren");
    let file = fec(
        &siren,
        b.entity,
        FiscalYear::calendar(2026),
        &accounts,
        l.journal(b.entity),
        FecSeparator::Tab,
    )
    .expect("fec");
    assert_eq!(file.file_name, "732829320FEC20261231.txt");
    assert_eq!(decode(&file.bytes), EXPECTED);
    // ISO 8859-15: "à" is one byte, 0xE0; "À" is 0xC0.
    assert!(file.bytes.contains(&0xE0) && file.bytes.contains(&0xC0));
    assert!(
        !file.bytes.windows(2).any(|w| w == [0xC3, 0xA0]),
        "no UTF-8"
    );

    let piped = fec(
        &siren,
        b.entity,
        FiscalYear::calendar(2026),
        &accounts,
        l.journal(b.entity),
        FecSeparator::Pipe,
    )
    .expect("fec");
    assert_eq!(decode(&piped.bytes), EXPECTED.replace('\t', "|"));
}

#[test]
fn text_is_cleaned_and_encoded() {
    assert_eq!(latin9("é€œ’–漢"), vec![0xE9, 0xA4, 0xBD, b'\'', b'-', b'?']);
    assert_eq!(latin9("¤"), vec![b'?']);
    let mut s = String::new();
    push_clean(&mut s, "a|b\tc", '|');
    assert_eq!(s, "a b c");
}

#[test]
fn a_belgian_account_is_refused() {
    let be = EntityBooks::new(EntityId::from_uuid(Uuid::from_u128(2)), Country::Be);
    let mut l = Ledger::new();
    let p = invoice_issued(
        &be,
        &InvoiceIssued {
            event: event(
                "inv-be",
                Date::constant(2026, 2, 1),
                "INV-BE-2026-000001",
                "x",
            ),
            activity: activity(),
            client: client(),
            excl_vat: eur("100.00"),
            vat: eur("21.00"),
        },
    )
    .expect("invoice");
    l.apply(&p).expect("post");
    let accounts: Vec<Account> = l.accounts().into_iter().map(|(a, _)| a.clone()).collect();
    let err = fec(
        &Siren::parse("732829320").expect("siren"),
        be.entity,
        FiscalYear::calendar(2026),
        &accounts,
        l.journal(be.entity),
        FecSeparator::Tab,
    )
    .unwrap_err();
    assert!(matches!(err, ExportError::NotFrench { .. }), "{err}");
}
