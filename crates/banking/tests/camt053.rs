//! camt.053 reading: the validators' samples to the cent, the broken samples refused with the
//! element named, and generated statements (.08 and .02) read back exactly.

#![allow(clippy::unwrap_used)] // test data and test setup

mod common;

use common::{GenStatement, Version, generate_statement, sample};
use ensemble_banking::camt053::{
    self, BalanceCheck, CamtVersion, CreditDebit, EntryStatus, Statement,
};
use ensemble_banking::reconcile::statement_lines;
use ensemble_domain::{Money, PaymentReference};
use jiff::civil::date;

fn eur(text: &str) -> Money {
    text.parse().unwrap()
}

fn only_statement(bytes: &[u8]) -> Statement {
    let file = camt053::read(bytes).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(file.statements.len(), 1);
    file.statements.into_iter().next().unwrap()
}

#[test]
fn coop_sample_to_the_cent() {
    let bytes = sample("camt.053.001.08_coop-statement-sample.xml");
    let file = camt053::read(&bytes).unwrap();
    assert_eq!(file.version, CamtVersion::V08);
    assert_eq!(file.message_id, "STMT-20261030-BE21001234567803");
    let s = &file.statements[0];
    assert_eq!(s.id, "2026-211");
    assert_eq!(s.electronic_sequence_number, Some(211));
    assert_eq!(s.account.iban.as_str(), "BE21001234567803");
    assert_eq!(s.account.currency.as_str(), "EUR");
    assert_eq!(
        s.account.owner_name.as_deref(),
        Some("Cooperative Exemple SC")
    );
    assert_eq!(
        s.account.servicer_bic.as_ref().unwrap().as_str(),
        "GEBABEBB"
    );
    assert_eq!(s.opening_balance.code, "OPBD");
    assert_eq!(s.opening_balance.amount, eur("25000.00"));
    assert_eq!(s.opening_balance.date, date(2026, 10, 29));
    assert_eq!(s.closing_balance.amount, eur("22767.08"));
    assert_eq!(s.balance_check, BalanceCheck::Exact);

    let amounts: Vec<(Money, CreditDebit)> =
        s.entries.iter().map(|e| (e.amount, e.direction)).collect();
    assert_eq!(
        amounts,
        [
            (eur("1210.00"), CreditDebit::Credit),
            (eur("605.00"), CreditDebit::Credit),
            (eur("3870.17"), CreditDebit::Debit),
            (eur("165.25"), CreditDebit::Debit),
            (eur("12.50"), CreditDebit::Debit),
        ]
    );
    assert!(s.entries.iter().all(|e| e.status == EntryStatus::Booked));

    // The Belgian structured communication, issuer BBA.
    let first = &s.entries[0];
    assert_eq!(first.booking_date, Some(date(2026, 10, 30)));
    assert_eq!(first.servicer_reference.as_deref(), Some("2026103000001"));
    let code = first.bank_transaction_code.as_ref().unwrap();
    assert_eq!(
        (
            code.domain.as_deref(),
            code.family.as_deref(),
            code.sub_family.as_deref()
        ),
        (Some("PMNT"), Some("RCDT"), Some("ESCT"))
    );
    let tx = &first.transactions[0];
    assert_eq!(tx.amount.unwrap().0, eur("1210.00"));
    let debtor = tx.debtor.as_ref().unwrap();
    assert_eq!(debtor.name.as_deref(), Some("Client Exemple SA"));
    assert_eq!(debtor.iban.unwrap().as_str(), "BE98068999999093");
    assert_eq!(debtor.bic.as_ref().unwrap().as_str(), "GKCCBEBB");
    let r = &tx.remittance.creditor_references[0];
    assert_eq!(r.issuer.as_deref(), Some("BBA"));
    assert_eq!(r.code.as_deref(), Some("SCOR"));
    assert!(matches!(
        &r.payment_reference,
        Some(PaymentReference::Structured(s)) if s.to_string() == "+++202/6000/04236+++"
    ));

    // The RF reference, issuer ISO.
    let tx = &s.entries[1].transactions[0];
    assert_eq!(
        tx.references.end_to_end_id.as_deref(),
        Some("CLIENTFR-PAY-8841")
    );
    let r = &tx.remittance.creditor_references[0];
    assert_eq!(r.issuer.as_deref(), Some("ISO"));
    assert!(matches!(
        &r.payment_reference,
        Some(PaymentReference::Rf(rf)) if rf.as_str() == "RF18539007547034"
    ));

    // The salary batch of the pain.001 sample, with its two transfers.
    let batch = &s.entries[2];
    let b = batch.batch.as_ref().unwrap();
    assert_eq!(b.payment_information_id.as_deref(), Some("SAL-2026-10"));
    assert_eq!(b.message_id.as_deref(), Some("COOP-20261028-0001"));
    assert_eq!(b.number_of_transactions, Some(2));
    assert_eq!(b.total, Some(eur("3870.17")));
    let details: Vec<(Option<&str>, Money, Option<&str>)> = batch
        .transactions
        .iter()
        .map(|t| {
            (
                t.references.end_to_end_id.as_deref(),
                t.amount.unwrap().0,
                t.creditor.as_ref().and_then(|c| c.name.as_deref()),
            )
        })
        .collect();
    assert_eq!(
        details,
        [
            (
                Some("SAL-2026-10-M0042"),
                eur("2450.17"),
                Some("Jeanne Dupont")
            ),
            (
                Some("SAL-2026-10-M0107"),
                eur("1420.00"),
                Some("Pierre Martin")
            ),
        ]
    );
    assert_eq!(
        batch.transactions[1]
            .creditor
            .as_ref()
            .unwrap()
            .iban
            .unwrap()
            .as_str(),
        "FR7630004000010001234567830"
    );
    assert_eq!(
        batch.transactions[0].remittance.unstructured,
        ["Salaire octobre 2026 membre M0042"]
    );
    assert_eq!(
        s.entries[4].additional_info.as_deref(),
        Some("Frais de gestion de compte octobre 2026")
    );

    // The lines the matcher reads: the two client payments.
    let lines = statement_lines(s);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].amount, eur("1210.00"));
    assert_eq!(lines[0].creditor_references, ["202600004236"]);
    assert_eq!(
        lines[0].counterparty_name.as_deref(),
        Some("Client Exemple SA")
    );
    assert_eq!(lines[1].amount, eur("605.00"));
    assert_eq!(lines[1].creditor_references, ["RF18539007547034"]);
    assert_ne!(lines[0].fingerprint, lines[1].fingerprint);
    // Reading the file again gives the same fingerprints.
    let again = statement_lines(&only_statement(&bytes));
    assert_eq!(
        again.iter().map(|l| l.fingerprint).collect::<Vec<_>>(),
        lines.iter().map(|l| l.fingerprint).collect::<Vec<_>>()
    );
}

#[test]
fn postfinance_sample_balances_on_value_date() {
    let s = only_statement(&sample("camt.053.001.08_postfinance-converted.xml"));
    assert_eq!(s.account.iban.as_str(), "CH2909000000250094239");
    assert_eq!(s.account.currency.as_str(), "CHF");
    assert_eq!(s.opening_balance.amount, eur("211993.19"));
    assert_eq!(s.closing_balance.amount, eur("215112.21"));
    assert_eq!(s.closing_balance.date, date(2020, 11, 24));
    let other: Vec<(&str, Money)> = s
        .other_balances
        .iter()
        .map(|b| (b.code.as_str(), b.amount))
        .collect();
    assert_eq!(
        other,
        [("CLAV", eur("215112.21")), ("FWAV", eur("216649.21"))]
    );
    let amounts: Vec<(Money, CreditDebit)> =
        s.entries.iter().map(|e| (e.amount, e.direction)).collect();
    assert_eq!(
        amounts,
        [
            (eur("4.50"), CreditDebit::Credit),
            (eur("77.70"), CreditDebit::Debit),
            (eur("1500.00"), CreditDebit::Credit),
            (eur("1537.00"), CreditDebit::Credit),
            (eur("1692.22"), CreditDebit::Credit),
        ]
    );
    // 211 993.19 + 4 733.72 − 77.70 = 216 649.21 ≠ 215 112.21: the bank's closing balance
    // leaves out the 1 537.00 credit value-dated 2020-11-25.
    assert_eq!(
        s.balance_check,
        BalanceCheck::ValueDated {
            closing_date: date(2020, 11, 24),
            excluded_entries: vec![4],
        }
    );
    assert_eq!(s.entries[3].value_date, Some(date(2020, 11, 25)));
    assert!(
        s.entries[0]
            .additional_info
            .as_deref()
            .unwrap()
            .contains("ZAHLUNGSEMPFÄNGERS")
    );
    assert_eq!(statement_lines(&s).len(), 4);
}

#[test]
fn broken_samples_are_refused_naming_the_element() {
    let e = camt053::read(&sample("broken/camt.053.001.08_coop_v04-style-Sts.xml")).unwrap_err();
    assert_eq!(e.path, "Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/Sts");
    assert_eq!(
        e.to_string(),
        "Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/Sts: camt.053.001.08 wants the status in Cd (<Sts><Cd>BOOK</Cd></Sts>), found the text BOOK (the camt.053.001.02-05 form)"
    );

    let e = camt053::read(&sample("broken/camt.053.001.08_coop_wrong-CLBD.xml")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Document/BkToCstmrStmt/Stmt[1]: opening balance 25000.00 (OPBD) + booked credits 1815.00 - booked debits 4047.92 = 22767.08, but the closing balance (CLBD) is 22777.08"
    );

    let e = camt053::read(&sample("pain.001.001.09_coop-salaries-sample.xml")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Document: namespace \"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09\" is not camt.053.001.08 or camt.053.001.02"
    );
}

/// Checks a parsed statement against the generated one, amount by amount.
fn assert_same(generated: &GenStatement, s: &Statement) {
    assert_eq!(s.id, generated.id);
    assert_eq!(s.account.iban.as_str(), generated.iban);
    assert_eq!(
        s.opening_balance.amount,
        Money::from_cents(generated.opening)
    );
    assert_eq!(
        s.closing_balance.amount,
        Money::from_cents(generated.closing())
    );
    assert_eq!(s.balance_check, BalanceCheck::Exact);
    assert_eq!(s.entries.len(), generated.entries.len());
    for (e, g) in s.entries.iter().zip(&generated.entries) {
        assert_eq!(e.amount, Money::from_cents(g.amount));
        assert_eq!(e.direction == CreditDebit::Credit, g.credit);
        assert_eq!(e.status == EntryStatus::Booked, g.booked);
        assert_eq!(e.reversal, g.reversal);
        assert_eq!(
            e.servicer_reference.as_deref(),
            Some(g.servicer_ref.as_str())
        );
        assert_eq!(
            e.batch
                .as_ref()
                .and_then(|b| b.payment_information_id.clone()),
            g.batch.as_ref().map(|b| b.1.clone())
        );
        assert_eq!(e.transactions.len(), g.txs.len());
        for (t, gt) in e.transactions.iter().zip(&g.txs) {
            assert_eq!(t.amount.unwrap().0, Money::from_cents(gt.amount));
            let party = t.counterparty(e.direction).unwrap();
            assert_eq!(party.name.as_deref(), Some(gt.name.as_str()));
            assert_eq!(party.iban.unwrap().as_str(), gt.iban);
            assert_eq!(party.bic.as_ref().map(|b| b.as_str()), gt.bic.as_deref());
            assert_eq!(
                t.references.end_to_end_id.as_deref(),
                Some(gt.end_to_end.as_str())
            );
            assert_eq!(t.remittance.unstructured.first(), gt.unstructured.as_ref());
            assert_eq!(
                t.remittance
                    .creditor_references
                    .first()
                    .map(|r| (r.issuer.clone().unwrap(), r.reference.clone())),
                gt.structured.clone()
            );
            if let Some((_, reference)) = &gt.structured {
                let parsed = t.remittance.creditor_references[0]
                    .payment_reference
                    .as_ref();
                assert_eq!(parsed.map(|p| p.as_str()), Some(reference.as_str()));
            }
        }
    }
}

#[test]
fn generated_statements_read_back_exactly_in_both_versions() {
    for (version, expected) in [
        (Version::V08, CamtVersion::V08),
        (Version::V02, CamtVersion::V02),
    ] {
        for seed in 0..20 {
            let generated = generate_statement(version, seed, 40);
            let xml = generated.to_xml();
            let file = camt053::read(xml.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{xml}"));
            assert_eq!(file.version, expected);
            assert_eq!(
                file.statements[0].account.owner_name.as_deref(),
                Some("Coopérative Exemple SC")
            );
            assert_same(&generated, &file.statements[0]);
            // Booked credits that are not reversals become matcher lines.
            let credits = generated
                .entries
                .iter()
                .filter(|e| e.booked && e.credit && !e.reversal)
                .count();
            let lines = statement_lines(&file.statements[0]);
            assert_eq!(lines.len(), credits);
            let mut fingerprints: Vec<_> = lines.iter().map(|l| l.fingerprint).collect();
            fingerprints.sort();
            fingerprints.dedup();
            assert_eq!(fingerprints.len(), credits, "fingerprints are unique");
        }
    }
}

/// A generated statement with one change, and the error it must give.
fn refused(version: Version, edit: impl Fn(String) -> String) -> String {
    let xml = edit(generate_statement(version, 7, 12).to_xml());
    match camt053::read(xml.as_bytes()) {
        Ok(_) => panic!("accepted:\n{xml}"),
        Err(e) => e.to_string(),
    }
}

fn replace_nth(xml: &str, from: &str, to: &str, n: usize) -> String {
    let at = xml
        .match_indices(from)
        .nth(n)
        .unwrap_or_else(|| panic!("no {n}th {from}"))
        .0;
    format!("{}{}{}", &xml[..at], to, &xml[at + from.len()..])
}

#[test]
fn malformed_statements_are_refused_naming_the_element() {
    let g = generate_statement(Version::V08, 7, 12);
    let third = Money::from_cents(g.entries[2].amount).to_string();
    let e = refused(Version::V08, |x| {
        replace_nth(
            &x,
            &format!(">{third}</Amt>\n        <CdtDbtInd>"),
            &format!(">{}</Amt>\n        <CdtDbtInd>", third.replace('.', ",")),
            0,
        )
    });
    assert_eq!(
        e,
        format!(
            "Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/Amt: {} is not an amount",
            third.replace('.', ",")
        )
    );
    let first_credit = g.entries.iter().position(|e| e.credit).unwrap() + 1;
    assert_eq!(
        refused(Version::V08, |x| x.replacen(
            "<CdtDbtInd>CRDT</CdtDbtInd>\n        <RvslInd>",
            "<CdtDbtInd>CRED</CdtDbtInd>\n        <RvslInd>",
            1
        )),
        format!(
            "Document/BkToCstmrStmt/Stmt[1]/Ntry[{first_credit}]/CdtDbtInd: CRED is neither CRDT nor DBIT"
        )
    );
    assert_eq!(
        refused(Version::V08, |x| replace_nth(
            &x,
            "<Dt>2026-10-30</Dt></BookgDt>",
            "<Dt>30/10/2026</Dt></BookgDt>",
            1
        )),
        "Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/BookgDt/Dt: 30/10/2026 is not a date (YYYY-MM-DD)"
    );
    assert_eq!(
        refused(Version::V08, |x| x.replacen(
            "<IBAN>BE21001234567803</IBAN>",
            "<IBAN>BE21001234567804</IBAN>",
            1
        )),
        "Document/BkToCstmrStmt/Stmt[1]/Acct/Id/IBAN: IBAN BE21001234567804: check digits do not match"
    );
    assert_eq!(
        refused(Version::V08, |x| {
            let second = Money::from_cents(g.entries[1].amount);
            x.replacen(
                &format!("<Amt Ccy=\"EUR\">{second}</Amt>\n        <CdtDbtInd>"),
                &format!("<Amt Ccy=\"USD\">{second}</Amt>\n        <CdtDbtInd>"),
                1,
            )
        }),
        "Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/Amt: entry in USD, the statement is in EUR"
    );
    assert_eq!(
        refused(Version::V08, |x| x.replacen(
            "<NbOfNtries>",
            "<NbOfNtries>9",
            1
        )),
        format!(
            "Document/BkToCstmrStmt/Stmt[1]/TxsSummry/TtlCdtNtries/NbOfNtries: 9{}, but the statement has {} booked CRDT entries",
            g.booked(true).0,
            g.booked(true).0
        )
    );
    assert!(
        refused(Version::V08, |x| x.replacen(
            "</Ntry>\n    </Stmt>",
            "</Ntry>\n    ",
            1
        ))
        .starts_with("Document/BkToCstmrStmt/Stmt[1]: not well-formed XML (line ")
    );
    assert_eq!(
        refused(Version::V08, |x| x.replacen("<Id>STMT-7</Id>", "", 1)),
        "Document/BkToCstmrStmt/Stmt[1]/Id: missing (required in Stmt)"
    );
    assert!(
        refused(Version::V02, |x| x.replacen(
            "<Sts>BOOK</Sts>",
            "<Sts><Cd>BOOK</Cd></Sts>",
            1
        ))
        .starts_with("Document/BkToCstmrStmt/Stmt[1]/Ntry[")
    );
    assert_eq!(
        refused(Version::V08, |x| x.replacen(
            "encoding=\"UTF-8\"",
            "encoding=\"ISO-8859-1\"",
            1
        )),
        "(document): not well-formed XML (line 1): encoding ISO-8859-1 is not supported: ISO 20022 messages are UTF-8"
    );
    let e = camt053::read(
        b"<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">\xff</Document>",
    )
    .unwrap_err();
    assert!(e.to_string().starts_with("(document): not UTF-8"), "{e}");
}

#[test]
fn batch_sums_are_checked() {
    let mut g = generate_statement(Version::V08, 3, 30);
    let k = g.entries.iter().position(|e| e.txs.len() > 1).unwrap();
    g.entries[k].txs[0].amount += 1;
    let e = camt053::read(g.to_xml().as_bytes()).unwrap_err();
    assert_eq!(
        e.path,
        format!("Document/BkToCstmrStmt/Stmt[1]/Ntry[{}]/NtryDtls[1]", k + 1)
    );
    assert!(e.message.contains("transactions add up to"), "{e}");
}

#[test]
fn fingerprints_identify_movements_not_files() {
    let entry = |reference: &str| {
        format!(
            r#"<Ntry><Amt Ccy="EUR">50.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-10-30</Dt></BookgDt><BkTxCd/><NtryDtls><TxDtls><RltdPties><Dbtr><Pty><Nm>Client</Nm></Pty></Dbtr></RltdPties><RmtInf><Ustrd>{reference}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"#
        )
    };
    let statement = |id: &str, entries: &[String]| {
        let credits = 50 * entries.len();
        format!(
            r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>{id}</MsgId><CreDtTm>2026-10-30T22:00:00</CreDtTm></GrpHdr><Stmt><Id>{id}</Id><Acct><Id><IBAN>BE21001234567803</IBAN></Id></Acct><Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">0</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-10-29</Dt></Dt></Bal><Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{credits}.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-10-30</Dt></Dt></Bal>{}</Stmt></BkToCstmrStmt></Document>"#,
            entries.concat()
        )
    };
    // A bank without references: two identical transfers the same day are two lines.
    let first = statement("A", &[entry("merci"), entry("merci")]);
    let lines = statement_lines(&only_statement(first.as_bytes()));
    assert_eq!(lines.len(), 2);
    assert_ne!(lines[0].fingerprint, lines[1].fingerprint);
    // The same movements re-sent under another statement id, with other free text: same
    // fingerprints; a third identical transfer gets a new one.
    let again = statement("B", &[entry("thanks"), entry("thanks"), entry("thanks")]);
    let again = statement_lines(&only_statement(again.as_bytes()));
    assert_eq!(again[0].fingerprint, lines[0].fingerprint);
    assert_eq!(again[1].fingerprint, lines[1].fingerprint);
    assert!(!lines.iter().any(|l| l.fingerprint == again[2].fingerprint));
    assert_eq!(lines[0].fingerprint.to_hex().len(), 64);
}
