//! Building documents from domain values: totals to the cent, the rules checked on the way,
//! the identifiers and notes each seller's country needs.

mod common;

use common::matrix::{self, Case, belgian_entity, clients, french_entity, invoice, line, vat};
use ensemble_domain::client::VatCategory;
use ensemble_domain::{DocumentKind, Money, Rate};
use ensemble_einvoice::{
    AllowanceCharge, BillingFramework, BuildError, Document, DocumentExtras, DocumentType,
    ElectronicAddress, Exemption, NoteSubject, PeppolError, PrecedingInvoice, UblCustomization,
    cii, facturx_xml, ubl,
};
use jiff::civil::date;

fn case(name: &str) -> Case {
    matrix::cases()
        .into_iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no case {name}"))
}

#[test]
fn every_matrix_document_adds_up_as_en_16931_requires() {
    for c in matrix::cases() {
        let d = c.document();
        let t = d.totals();
        let lines: Money = d.lines().iter().map(|l| l.net_amount()).sum();
        assert_eq!(t.lines, lines, "{} BR-CO-10", c.name);
        assert_eq!(
            t.without_vat,
            t.lines - t.allowances + t.charges,
            "{} BR-CO-13",
            c.name
        );
        let vat: Money = d.vat_breakdown().iter().map(|b| b.amount()).sum();
        assert_eq!(t.vat, vat, "{} BR-CO-14", c.name);
        assert_eq!(t.with_vat, t.without_vat + t.vat, "{} BR-CO-15", c.name);
        assert_eq!(t.payable, t.with_vat - t.prepaid, "{} BR-CO-16", c.name);
        for b in d.vat_breakdown() {
            let expected = if b.category() == VatCategory::Standard {
                b.rate().of(b.base())
            } else {
                Money::ZERO
            };
            assert_eq!(b.amount(), expected, "{} BR-CO-17", c.name);
        }
        if c.extras.allowances_charges.is_empty() {
            // Without allowances the document says what the domain computed.
            assert_eq!(t.without_vat, c.invoice.totals.net, "{}", c.name);
            assert_eq!(t.vat, c.invoice.totals.vat, "{}", c.name);
            assert_eq!(t.payable, c.invoice.totals.with_vat, "{}", c.name);
        }
    }
}

#[test]
fn discounts_and_charges_to_the_cent() {
    let d = case("fr-domestic-company-discount-and-charges").document();
    let t = d.totals();
    // Lines 2 080.00 + 180.00 at 20 %, 119.85 at 5.5 %; 10 % off 2 260.00; 35.00 travel at
    // 20 %; 6.90 postage at 5.5 %.
    assert_eq!(t.lines, Money::from_cents(237_985));
    assert_eq!(t.allowances, Money::from_cents(22_600));
    assert_eq!(t.charges, Money::from_cents(4_190));
    assert_eq!(t.without_vat, Money::from_cents(219_575));
    assert_eq!(t.vat, Money::from_cents(42_077));
    assert_eq!(t.payable, Money::from_cents(261_652));
    let b: Vec<(i64, i64, i64)> = d
        .vat_breakdown()
        .iter()
        .map(|b| (b.rate().ppm(), b.base().cents(), b.amount().cents()))
        .collect();
    assert_eq!(b, vec![(200_000, 206_900, 41_380), (55_000, 12_675, 697)]);

    // The Belgian one at 21 % and 6 %: 2 069.00 × 21 % = 434.49; 126.75 × 6 % = 7.605 → 7.61.
    let d = case("be-domestic-company-discount-and-charges").document();
    let b: Vec<(i64, i64, i64)> = d
        .vat_breakdown()
        .iter()
        .map(|b| (b.rate().ppm(), b.base().cents(), b.amount().cents()))
        .collect();
    assert_eq!(b, vec![(210_000, 206_900, 43_449), (60_000, 12_675, 761)]);
    assert_eq!(
        d.totals().payable,
        Money::from_cents(219_575 + 43_449 + 761)
    );
}

#[test]
fn three_rates_on_one_invoice() {
    // 2.5 days × 333.33 = 833.325 → 833.33 at 20 %: 166.666 → 166.67;
    // 12 × 15.50 = 186.00 at 10 %: 18.60; 7 × 18.99 = 132.93 at 5.5 %: 7.311 15 → 7.31.
    let d = case("fr-domestic-company-three-rates").document();
    let b: Vec<(i64, i64)> = d
        .vat_breakdown()
        .iter()
        .map(|b| (b.base().cents(), b.amount().cents()))
        .collect();
    assert_eq!(b, vec![(83_333, 16_667), (18_600, 1_860), (13_293, 731)]);
    assert_eq!(d.totals().payable, Money::from_cents(115_226 + 19_258));
    assert_eq!(d.billing_framework(), Some(BillingFramework::Mixed));
}

#[test]
fn french_invoices_carry_the_reform_fields() {
    let d = case("fr-domestic-company-one-rate").document();
    let seller = d.seller();
    assert_eq!(
        seller.legal_id().map(|i| (i.scheme(), i.value())),
        Some(("0002", "732829320"))
    );
    assert_eq!(
        seller.identifier().map(|i| (i.scheme(), i.value())),
        Some(("0009", "73282932000074"))
    );
    assert_eq!(
        seller.electronic_address().map(|e| (e.scheme(), e.value())),
        Some(("0225", "732829320"))
    );
    assert_eq!(d.billing_framework(), Some(BillingFramework::Services));
    let subjects: Vec<NoteSubject> = d.notes().iter().filter_map(|n| n.subject()).collect();
    assert_eq!(
        subjects,
        vec![
            NoteSubject::LatePaymentPenalties,
            NoteSubject::RecoveryIndemnity,
            NoteSubject::EarlyPaymentDiscount
        ]
    );
    assert!(d.notes()[2].text().contains("40 €"));
    let xml = String::from_utf8(cii::write(&d)).unwrap();
    assert!(
        xml.contains("<ram:BusinessProcessSpecifiedDocumentContextParameter><ram:ID>S1</ram:ID>")
    );
    assert!(xml.contains(r#"<ram:ID schemeID="0002">732829320</ram:ID>"#));
    assert_eq!(facturx_xml(&d), cii::write(&d));

    // A consumer is not owed the 40 € indemnity.
    let d = case("fr-domestic-person").document();
    assert!(
        d.notes()
            .iter()
            .any(|n| n.subject() == Some(NoteSubject::RecoveryIndemnity)
                && n.text().contains("non applicable"))
    );
    // Goods only.
    let d = case("fr-de-company-intra-community-goods").document();
    assert_eq!(d.billing_framework(), Some(BillingFramework::Goods));
}

#[test]
fn belgian_invoices_are_peppol_ready() {
    let d = case("be-domestic-company-one-rate").document();
    assert_eq!(d.billing_framework(), None);
    assert!(d.notes().iter().all(|n| n.subject().is_none()));
    let s = d.seller();
    assert_eq!(
        s.electronic_address().map(|e| (e.scheme(), e.value())),
        Some(("0208", "0403170701"))
    );
    assert_eq!(
        s.legal_id().map(|i| (i.scheme(), i.value())),
        Some(("0208", "0403170701"))
    );
    assert_eq!(s.vat_id().map(|v| v.as_str()), Some("BE0403170701"));
    let b = d.buyer();
    assert_eq!(
        b.electronic_address().map(|e| (e.scheme(), e.value())),
        Some(("0208", "0477472008"))
    );
    assert!(ubl::peppol_ready(&d).is_ok());
    let xml = String::from_utf8(ubl::write(&d, UblCustomization::PeppolBis3).unwrap()).unwrap();
    assert!(xml.contains(r#"<cbc:EndpointID schemeID="0208">0403170701</cbc:EndpointID>"#));
    assert!(
        xml.contains("<cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>")
    );
    let terms = xml.matches("<cac:PaymentTerms><cbc:Note>").count();
    assert_eq!(
        xml.matches("<cbc:Note>").count() - terms,
        1,
        "PEPPOL-EN16931-R002"
    );
    assert!(
        xml.contains(
            "<cbc:PaymentMeansCode name=\"SEPA credit transfer\">58</cbc:PaymentMeansCode>"
        )
    );
    assert!(
        xml.contains("<cbc:PaymentID>2026"),
        "structured communication as BT-83"
    );

    // Other EU buyers are reached through their VAT number; a GLN works worldwide.
    let d = case("be-de-company-reverse-charge").document();
    assert_eq!(
        d.buyer()
            .electronic_address()
            .map(|e| (e.scheme(), e.value())),
        Some(("9930", "DE136695976"))
    );
    let d = case("be-gb-company-out-of-scope").document();
    assert_eq!(
        d.buyer()
            .electronic_address()
            .map(|e| (e.scheme(), e.value())),
        Some(("0088", "5012345000015"))
    );
}

#[test]
fn consumers_have_no_peppol_address() {
    let d = case("be-domestic-person").document();
    assert_eq!(
        d.buyer().electronic_address().map(|e| e.scheme()),
        Some("EM")
    );
    let err = ubl::write(&d, UblCustomization::PeppolBis3).unwrap_err();
    assert!(
        matches!(err, PeppolError::Endpoint { term: "BT-49", .. }),
        "{err}"
    );
    let xml = String::from_utf8(ubl::write(&d, UblCustomization::En16931).unwrap()).unwrap();
    assert!(xml.contains("<cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID>"));
    assert!(!xml.contains("ProfileID"));
}

#[test]
fn out_of_scope_documents_carry_no_vat_number() {
    let d = case("fr-us-company-out-of-scope").document();
    assert!(d.is_out_of_scope());
    assert!(d.seller().vat_id().is_none(), "BR-O-02");
    let b = &d.vat_breakdown()[0];
    assert_eq!(b.exemption().map(|e| e.code()), Some("VATEX-EU-O"));
    let xml = String::from_utf8(cii::write(&d)).unwrap();
    assert!(!xml.contains("FR44732829320"));
}

#[test]
fn credit_notes_name_their_invoice() {
    let c = case("be-domestic-company-credit-note");
    let d = c.document();
    assert_eq!(d.kind(), DocumentType::CreditNote);
    let of = d.preceding_invoice().unwrap();
    assert_eq!(of.number, "INV-BE-2026-000020");
    assert!(d.payment().is_none() && d.due_date().is_none());
    assert!(d.payment_terms().contains("INV-BE-2026-000020"));
    let xml = String::from_utf8(ubl::write(&d, UblCustomization::PeppolBis3).unwrap()).unwrap();
    assert!(xml.contains(
        "<CreditNote xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2\""
    ));
    assert!(xml.contains("<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>"));
    assert!(xml.contains("<cac:InvoiceDocumentReference><cbc:ID>INV-BE-2026-000020</cbc:ID>"));
    assert!(xml.contains("<cac:CreditNoteLine>"));

    // Without the invoice it corrects, a credit note is refused; an invoice cannot name one.
    let mut extras = c.extras.clone();
    extras.credit_note_of = None;
    let err =
        Document::from_invoice(&c.invoice, &c.seller, &c.buyer, c.activity, &extras).unwrap_err();
    assert!(
        matches!(err, BuildError::CreditNoteWithoutInvoice(_)),
        "{err}"
    );
    let mut later = c.extras.clone();
    if let Some(of) = &mut later.credit_note_of {
        of.issue_date = date(2027, 1, 1);
    }
    let err =
        Document::from_invoice(&c.invoice, &c.seller, &c.buyer, c.activity, &later).unwrap_err();
    assert!(
        matches!(
            err,
            BuildError::Text {
                field: "credit_note_of.issue_date (BT-26)",
                ..
            }
        ),
        "{err}"
    );
    let first = case("be-domestic-company-one-rate");
    let extras = DocumentExtras {
        credit_note_of: Some(PrecedingInvoice::of(&first.invoice)),
        ..DocumentExtras::default()
    };
    let err = Document::from_invoice(&first.invoice, &first.seller, &first.buyer, "x", &extras)
        .unwrap_err();
    assert!(matches!(err, BuildError::PrecedingOnInvoice(_)), "{err}");
}

fn build(c: &Case, extras: &DocumentExtras) -> Result<Document, BuildError> {
    Document::from_invoice(&c.invoice, &c.seller, &c.buyer, c.activity, extras)
}

#[test]
fn rules_are_checked_while_building() {
    let be = belgian_entity();
    let fr = french_entity();
    let mut cl = clients().be_company;
    cl.entity_id = be.id;
    let new = |seller: &ensemble_domain::coop::CooperativeEntity,
               lines: Vec<ensemble_domain::invoice::InvoiceLine>| Case {
        name: "t".into(),
        invoice: invoice(
            seller,
            &cl,
            DocumentKind::Invoice,
            1,
            date(2026, 4, 1),
            lines,
        ),
        seller: seller.clone(),
        buyer: cl.clone(),
        activity: "Test",
        extras: DocumentExtras::default(),
    };
    let none = DocumentExtras::default();

    // A French rate on a Belgian invoice.
    let c = new(
        &be,
        vec![line(
            "a",
            1000,
            "C62",
            100,
            vat(VatCategory::Standard, 200_000),
        )],
    );
    assert!(matches!(
        build(&c, &none),
        Err(BuildError::RateNotAllowed { country: "BE", .. })
    ));
    // 5.5 % is French, 6 % is not.
    let c = new(
        &fr,
        vec![line(
            "a",
            1000,
            "C62",
            100,
            vat(VatCategory::Standard, 60_000),
        )],
    );
    let mut c = c;
    c.buyer.entity_id = fr.id;
    assert!(matches!(
        build(&c, &none),
        Err(BuildError::RateNotAllowed { country: "FR", .. })
    ));
    // Reverse charge at a non-zero rate.
    let c = new(
        &be,
        vec![line(
            "a",
            1000,
            "C62",
            100,
            vat(VatCategory::ReverseCharge, 210_000),
        )],
    );
    assert!(matches!(
        build(&c, &none),
        Err(BuildError::NonZeroRate { category: "AE", .. })
    ));
    // O cannot sit beside S (BR-O-11).
    let c = new(
        &be,
        vec![
            line("a", 1000, "C62", 100, vat(VatCategory::OutOfScope, 0)),
            line("b", 1000, "C62", 100, vat(VatCategory::Standard, 210_000)),
        ],
    );
    assert!(matches!(
        build(&c, &none),
        Err(BuildError::OutOfScopeMixed("S"))
    ));
    // E needs its exemption reason; K its delivery.
    let c = new(
        &be,
        vec![line("a", 1000, "C62", 100, vat(VatCategory::Exempt, 0))],
    );
    assert!(matches!(
        build(&c, &none),
        Err(BuildError::ExemptionMissing)
    ));
    let with_reason = DocumentExtras {
        exemption: Some(Exemption::new("VATEX-EU-132-1I", "Exempt training").unwrap()),
        ..DocumentExtras::default()
    };
    assert!(build(&c, &with_reason).is_ok());
    let c = new(
        &be,
        vec![line(
            "a",
            1000,
            "C62",
            100,
            vat(VatCategory::IntraCommunity, 0),
        )],
    );
    assert!(matches!(build(&c, &none), Err(BuildError::DeliveryMissing)));
    // Stale stored totals.
    let mut c = new(
        &be,
        vec![line(
            "a",
            1000,
            "C62",
            100,
            vat(VatCategory::Standard, 210_000),
        )],
    );
    c.invoice.totals.vat = Money::from_cents(22);
    assert!(matches!(
        build(&c, &none),
        Err(BuildError::StaleTotals { .. })
    ));
    // The wrong client.
    let mut c = new(
        &be,
        vec![line(
            "a",
            1000,
            "C62",
            100,
            vat(VatCategory::Standard, 210_000),
        )],
    );
    c.buyer.id = clients().de_company.id;
    assert!(matches!(
        build(&c, &none),
        Err(BuildError::Mismatch {
            field: "client",
            ..
        })
    ));
    // An allowance larger than the invoice.
    let c = new(
        &be,
        vec![line(
            "a",
            1000,
            "C62",
            100,
            vat(VatCategory::Standard, 210_000),
        )],
    );
    let too_much = DocumentExtras {
        allowances_charges: vec![
            AllowanceCharge::allowance(
                "x",
                Money::from_cents(101),
                VatCategory::Standard,
                Rate::from_ppm(210_000),
            )
            .unwrap(),
        ],
        ..DocumentExtras::default()
    };
    assert!(matches!(
        build(&c, &too_much),
        Err(BuildError::NegativeBase { .. })
    ));
    // A goods line that does not exist.
    let goods = DocumentExtras {
        goods_lines: vec![3],
        ..DocumentExtras::default()
    };
    assert!(matches!(build(&c, &goods), Err(BuildError::NoSuchLine(3))));
}

#[test]
fn codes_are_checked_against_their_lists() {
    assert!(Exemption::new("VATEX-EU-999", "nope").is_err());
    assert!(Exemption::new("VATEX-EU-AE", " ").is_err());
    assert!(ElectronicAddress::new("1234", "x").is_err());
    assert!(ElectronicAddress::new("0208", "has space").is_err());
    let e = ElectronicAddress::new("EM", "a@b.example").unwrap();
    assert!(!e.is_peppol());
    assert!(
        ElectronicAddress::new("9930", "DE136695976")
            .unwrap()
            .is_peppol()
    );
    let a = AllowanceCharge::allowance(
        "r",
        Money::from_cents(1),
        VatCategory::Standard,
        Rate::from_ppm(210_000),
    )
    .unwrap();
    assert!(a.clone().with_reason_code("95").is_ok());
    assert!(a.with_reason_code("FC").is_err());
    assert!(
        AllowanceCharge::charge("", Money::from_cents(1), VatCategory::Standard, Rate::ZERO)
            .is_err()
    );
    assert!(AllowanceCharge::charge("r", Money::ZERO, VatCategory::Standard, Rate::ZERO).is_err());
}
