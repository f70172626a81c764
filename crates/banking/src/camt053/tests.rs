use super::*;

#[test]
fn dates_and_currencies() {
    assert_eq!(
        parse_iso_date("2026-10-30"),
        Some(jiff::civil::date(2026, 10, 30))
    );
    assert_eq!(
        parse_iso_date("2026-10-30+01:00"),
        Some(jiff::civil::date(2026, 10, 30))
    );
    assert_eq!(
        parse_iso_date("2026-10-30Z"),
        Some(jiff::civil::date(2026, 10, 30))
    );
    assert_eq!(parse_iso_date("2026-02-30"), None);
    assert_eq!(parse_iso_date("20261030"), None);
    assert_eq!(parse_iso_date("30/10/2026"), None);
    assert_eq!(Currency::parse("EUR"), Some(Currency::EUR));
    assert_eq!(Currency::parse("eur"), None);
    assert_eq!(Currency::parse("EURO"), None);
}

#[test]
fn creditor_references_are_read_by_issuer() {
    assert!(matches!(
        payment_reference(Some("BBA"), "202600004236"),
        Some(PaymentReference::Structured(_))
    ));
    assert!(matches!(
        payment_reference(Some("ISO"), "RF18539007547034"),
        Some(PaymentReference::Rf(_))
    ));
    // The issuer says BBA, the reference is an RF: not read (the matcher reads it as text).
    assert_eq!(payment_reference(Some("BBA"), "RF18539007547034"), None);
    assert!(matches!(
        payment_reference(None, "+++202/6000/04236+++"),
        Some(PaymentReference::Structured(_))
    ));
    assert_eq!(payment_reference(None, "202600004237"), None);
}

const V02: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
 <BkToCstmrStmt>
  <GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-10-30T22:00:00</CreDtTm></GrpHdr>
  <Stmt>
   <Id>S1</Id>
   <CreDtTm>2026-10-30T22:00:00</CreDtTm>
   <Acct><Id><IBAN>BE21 0012 3456 7803</IBAN></Id></Acct>
   <Bal><Tp><CdOrPrtry><Cd>PRCD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">100.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Dt><Dt>2026-10-29</Dt></Dt></Bal>
   <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">50.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-10-30</Dt></Dt></Bal>
   <Ntry>
    <Amt Ccy="EUR">150.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
    <BookgDt><DtTm>2026-10-30T10:15:00</DtTm></BookgDt>
    <BkTxCd><Prtry><Cd>05</Cd><Issr>BE</Issr></Prtry></BkTxCd>
    <NtryDtls><TxDtls>
     <RltdPties><Dbtr><Nm>Client Exemple SA</Nm></Dbtr><UltmtDbtr><Nm>Filiale SA</Nm></UltmtDbtr></RltdPties>
     <RltdAgts><DbtrAgt><FinInstnId><BIC>GKCCBEBB</BIC></FinInstnId></DbtrAgt></RltdAgts>
     <RmtInf><Ustrd>+++202/6000/04236+++</Ustrd></RmtInf>
    </TxDtls></NtryDtls>
   </Ntry>
   <Ntry>
    <Amt Ccy="EUR">999.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>PDNG</Sts>
    <BkTxCd><Prtry><Cd>05</Cd></Prtry></BkTxCd>
   </Ntry>
  </Stmt>
 </BkToCstmrStmt>
</Document>"#;

#[test]
fn version_02_with_a_previous_closing_balance_and_a_pending_entry() {
    let file = read(V02.as_bytes()).unwrap();
    assert_eq!(file.version, CamtVersion::V02);
    let s = &file.statements[0];
    assert_eq!(s.account.iban.as_str(), "BE21001234567803");
    assert_eq!(s.account.currency, Currency::EUR);
    assert_eq!(s.opening_balance.code, "PRCD");
    assert_eq!(s.opening_balance.amount, Money::from_cents(-10_000));
    assert_eq!(s.closing_balance.amount, Money::from_cents(5_000));
    assert_eq!(s.balance_check, BalanceCheck::Exact);
    let e = &s.entries[0];
    assert_eq!(e.booking_date, Some(jiff::civil::date(2026, 10, 30)));
    assert_eq!(
        e.bank_transaction_code
            .as_ref()
            .and_then(|c| c.proprietary.clone()),
        Some("05".to_string())
    );
    let tx = &e.transactions[0];
    assert_eq!(tx.amount, None);
    assert_eq!(tx.ultimate_debtor.as_deref(), Some("Filiale SA"));
    let debtor = tx.debtor.as_ref().unwrap();
    assert_eq!(debtor.name.as_deref(), Some("Client Exemple SA"));
    assert_eq!(debtor.bic.as_ref().map(Bic::as_str), Some("GKCCBEBB"));
    assert_eq!(s.entries[1].status, EntryStatus::Pending);
}

#[test]
fn what_a_statement_must_have() {
    let no_closing = V02.replace("<Cd>CLBD</Cd>", "<Cd>CLAV</Cd>");
    assert_eq!(
        read(no_closing.as_bytes()).unwrap_err().to_string(),
        "Document/BkToCstmrStmt/Stmt[1]: no closing balance (Bal with type CLBD): the statement cannot be checked"
    );
    let other_account = V02.replace(
        "<IBAN>BE21 0012 3456 7803</IBAN>",
        "<Othr><Id>12345</Id></Othr>",
    );
    assert_eq!(
        read(other_account.as_bytes()).unwrap_err().to_string(),
        "Document/BkToCstmrStmt/Stmt[1]/Acct/Id: the account is not identified by an IBAN: only IBAN accounts are supported"
    );
    let bad_status = V02.replace("<Sts>PDNG</Sts>", "<Sts>DONE</Sts>");
    assert_eq!(
        read(bad_status.as_bytes()).unwrap_err().to_string(),
        "Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/Sts: DONE is not an entry status (BOOK, PDNG, INFO)"
    );
    let no_ccy = V02.replace(r#"<Amt Ccy="EUR">999.00</Amt>"#, "<Amt>999.00</Amt>");
    assert_eq!(
        read(no_ccy.as_bytes()).unwrap_err().to_string(),
        "Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/Amt: the Ccy attribute (currency) is missing"
    );
    let precise = V02.replace("150.00", "150.005");
    assert_eq!(
        read(precise.as_bytes()).unwrap_err().to_string(),
        "Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/Amt: 150.005 has more than two decimals: amounts are kept to the cent"
    );
    let signed = V02.replace("150.00", "-150.00");
    assert!(read(signed.as_bytes()).is_err());
}
