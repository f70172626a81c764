//! The payslip and contract PDFs in French, Dutch and English hold the expected text: the
//! text is extracted from the PDF itself (lopdf, through the ToUnicode maps of the embedded
//! font subsets), not from the layout, so a glyph missing from a font or a wrong map shows.
//! The invoice PDF is read the same way for its legal mentions and amounts.

#![allow(clippy::unwrap_used)]

#[path = "../../einvoice/tests/common/matrix.rs"]
mod matrix;

use ensemble_documents::{
    ContractPdf, InvoicePdf, PayslipLine, PayslipPdf, PayslipTotals, contract_pdf, facturx_pdf,
    payslip_pdf, text,
};
use ensemble_domain::contract::EmploymentContract;
use ensemble_domain::coop::CooperativeEntity;
use ensemble_domain::identifiers::{CountryCode, Email, Iban, PostalAddress};
use ensemble_domain::people::{Member, NationalId};
use ensemble_domain::work::Breakdown;
use ensemble_domain::{
    ActivityId, Contract, ContractId, Country, DocumentKind, DocumentNumber, Lang, MemberId, Money,
    Month, Rate, Status,
};
use jiff::civil::date;
use uuid::Uuid;

/// The text of every page, with all white space removed (amounts use no-break spaces, and
/// the extractor's spacing between runs is its own).
fn pdf_text(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).unwrap();
    squash(&text)
}

/// Leaves a PDF in `target/tmp/documents/` for a look.
fn keep(name: &str, pdf: &[u8]) {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("documents");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), pdf).unwrap();
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[track_caller]
fn assert_holds(text: &str, expected: &[&str]) {
    for e in expected {
        assert!(
            text.contains(&squash(e)),
            "\"{e}\" is not in the PDF's text:\n{text}"
        );
    }
}

fn member(entity: &CooperativeEntity, lang: Lang) -> Member {
    let (national, iban, address) = match entity.country {
        Country::Be => (
            "85.07.30-033.28",
            "BE71096123456769",
            PostalAddress::new(
                &["Rue Haute 10"],
                Some("1000"),
                "Bruxelles",
                CountryCode::parse("BE").unwrap(),
            )
            .unwrap(),
        ),
        Country::Fr => (
            "1 84 12 76 451 089 46",
            "FR7630006000011234567890189",
            PostalAddress::new(
                &["3 rue Esquermoise"],
                Some("59800"),
                "Lille",
                CountryCode::parse("FR").unwrap(),
            )
            .unwrap(),
        ),
    };
    Member {
        id: MemberId::from_uuid(Uuid::from_u128(7)),
        entity_id: entity.id,
        first_name: "Élodie".into(),
        last_name: "Van den Broeck".into(),
        email: Email::parse("elodie@example.org").unwrap(),
        iban: Iban::parse(iban).unwrap(),
        national_id: NationalId::parse(entity.country, national).unwrap(),
        address,
        lang,
        status: if entity.country == Country::Be {
            Status::Artist
        } else {
            Status::NonCadre
        },
        joined_on: date(2025, 9, 1),
    }
}

fn payslip<'a>(entity: &'a CooperativeEntity, employee: &'a Member, lang: Lang) -> PayslipPdf<'a> {
    let line =
        |label: &str, base: i64, er: Option<i64>, ea: i64, rr: Option<i64>, ra: i64| PayslipLine {
            label: label.to_string(),
            base: Money::from_cents(base),
            employee_rate: er.map(Rate::from_ppm),
            employee_amount: Money::from_cents(ea),
            employer_rate: rr.map(Rate::from_ppm),
            employer_amount: Money::from_cents(ra),
        };
    PayslipPdf {
        lang,
        employer: entity,
        employee,
        activity: "Studio Pixel",
        month: Month::new(2026, 1).unwrap(),
        contract: text::contract_kind(lang, Contract::Daily).to_string(),
        status: text::status(lang, Status::Artist).to_string(),
        reference: "01a21ec6-6383-76e0-a802-fc4cd61c5b3c".into(),
        lines: vec![
            line("Salaire de base", 300_000, None, 0, None, 0),
            line(
                "Cotisation ONSS",
                324_000,
                Some(130_700),
                42_347,
                Some(250_000),
                81_000,
            ),
            line("Précompte professionnel", 257_653, None, 28_626, None, 0),
        ],
        totals: PayslipTotals {
            gross: Money::from_cents(300_000),
            employee_contributions: Money::from_cents(42_347),
            net_before_tax: Money::from_cents(257_653),
            withholding_tax: Money::from_cents(28_626),
            net_paid: Money::from_cents(229_027),
            employer_contributions: Money::from_cents(81_000),
            employer_reliefs: Money::ZERO,
            employer_cost: Money::from_cents(381_000),
        },
        breakdown: Some(Breakdown {
            invoiced: Money::from_cents(407_487),
            vat: Money::from_cents(85_572),
            invoiced_with_vat: Money::from_cents(493_059),
            fee_rate: Rate::from_ppm(65_000),
            fee: Money::from_cents(26_487),
            employer_cost: Money::from_cents(381_000),
            employer_contributions: Money::from_cents(81_000),
            employer_reliefs: Money::ZERO,
            gross: Money::from_cents(300_000),
            employee_contributions: Money::from_cents(42_347),
            withholding_tax: Money::from_cents(28_626),
            net: Money::from_cents(229_027),
            kept_in_budget: Money::ZERO,
        }),
    }
}

fn contract(entity: &CooperativeEntity, member: &Member, kind: Contract) -> EmploymentContract {
    EmploymentContract {
        id: ContractId::from_uuid(Uuid::from_u128(9)),
        number: DocumentNumber::new(DocumentKind::Contract, entity.country, 2026, 42),
        entity_id: entity.id,
        member_id: member.id,
        activity_id: ActivityId::from_uuid(Uuid::from_u128(5)),
        declaration_id: None,
        country: entity.country,
        kind,
        start: date(2026, 1, 12),
        end: date(2026, 1, 14),
        hours: None,
        days: Some(3),
        gross: Money::from_cents(300_000),
        title: "Photo shoot of the season's programme for Théâtre du Parc".into(),
    }
}

#[test]
fn payslips_read_in_the_members_language() {
    let be = matrix::belgian_entity();
    let words = [
        (
            Lang::Fr,
            [
                "BULLETIN DE PAIE",
                "janvier 2026",
                "Salaire brut",
                "Net payé",
                "2 290,27 €",
                "Contribution à la coopérative (6,5 %)",
                "Facturé HT",
                "4 074,87 €",
                "Contrat journalier à durée déterminée",
            ],
        ),
        (
            Lang::Nl,
            [
                "LOONBRIEF",
                "januari 2026",
                "Brutoloon",
                "Nettoloon",
                "€ 2.290,27",
                "Bijdrage aan de coöperatie (6,5 %)",
                "Gefactureerd excl. btw",
                "€ 4.074,87",
                "Dagcontract van bepaalde duur",
            ],
        ),
        (
            Lang::En,
            [
                "PAYSLIP",
                "January 2026",
                "Gross salary",
                "Net paid",
                "€2,290.27",
                "Cooperative fee (6.5%)",
                "Invoiced excl. VAT",
                "€4,074.87",
                "Daily fixed-term contract",
            ],
        ),
    ];
    for (lang, expected) in words {
        let employee = member(&be, lang);
        let pdf = payslip_pdf(&payslip(&be, &employee, lang)).unwrap();
        keep(&format!("payslip-{lang}.pdf"), &pdf);
        assert!(pdf.starts_with(b"%PDF-1.7"));
        let text = pdf_text(&pdf);
        assert_holds(&text, &expected);
        // The employer's legal mentions, the employee and the engine's lines, whatever the
        // language.
        assert_holds(
            &text,
            &[
                "Ensemble Coop Bruxelles SC",
                "0403170701",
                "BE0403170701",
                "Élodie Van den Broeck",
                "85073003328",
                "Cotisation ONSS",
                "Précompte professionnel",
                "Studio Pixel",
                "BE71 0961 2345 6769",
            ],
        );
    }
}

#[test]
fn contracts_read_in_the_members_language() {
    let cases = [
        (
            matrix::french_entity(),
            Contract::CddUsage,
            Lang::Fr,
            vec![
                "CONTRAT DE TRAVAIL",
                "Contrat à durée déterminée d'usage",
                "du 12 janvier 2026 au 14 janvier 2026",
                "3 jours travaillés",
                "Salaire brut: 3 000,00 €",
                "L1242-2 3°",
                "SIRET 73282932000074",
                "Pour l'employeur",
            ],
        ),
        (
            matrix::belgian_entity(),
            Contract::Daily,
            Lang::Nl,
            vec![
                "ARBEIDSOVEREENKOMST",
                "Dagcontract van bepaalde duur",
                "van 12 januari 2026 tot 14 januari 2026",
                "3 arbeidsdagen",
                "Brutoloon: € 3.000,00",
                "wet van 3 juli 1978",
                "KBO 0403170701",
                "Voor de werkgever",
            ],
        ),
        (
            matrix::belgian_entity(),
            Contract::Daily,
            Lang::Fr,
            vec![
                "CONTRAT DE TRAVAIL",
                "Contrat journalier à durée déterminée",
                "loi du 3 juillet 1978",
                "BCE 0403170701",
            ],
        ),
        (
            matrix::belgian_entity(),
            Contract::Daily,
            Lang::En,
            vec![
                "EMPLOYMENT CONTRACT",
                "Daily fixed-term contract",
                "from 12 January 2026 to 14 January 2026",
                "Gross salary: €3,000.00",
                "Act of 3 July 1978",
                "For the employer",
            ],
        ),
    ];
    for (entity, kind, lang, expected) in cases {
        let employee = member(&entity, lang);
        let c = contract(&entity, &employee, kind);
        let pdf = contract_pdf(&ContractPdf {
            lang,
            employer: &entity,
            employee: &employee,
            contract: &c,
            activity: "Studio Pixel",
            declarations: vec!["Dimona IN 2026-01-12 – 2026-01-14 (prepared)".into()],
        })
        .unwrap();
        keep(
            &format!("contract-{}-{lang}.pdf", entity.country.code()),
            &pdf,
        );
        let text = pdf_text(&pdf);
        assert_holds(&text, &expected);
        assert_holds(
            &text,
            &[
                &entity.name,
                "Élodie Van den Broeck",
                &c.number.to_string(),
                "Photo shoot of the season's programme for Théâtre du Parc",
                "Studio Pixel",
            ],
        );
    }
}

#[test]
fn an_invoice_pdf_shows_its_legal_mentions_and_amounts() {
    let cases = matrix::cases();
    let case = cases
        .iter()
        .find(|c| c.name == "be-domestic-company-discount-and-charges")
        .unwrap();
    let doc = case.document();
    let pdf = facturx_pdf(&InvoicePdf {
        document: &doc,
        lang: case.invoice.lang,
        activity: case.activity,
        payment_reference: &case.invoice.payment_reference,
    })
    .unwrap();
    let text = pdf_text(&pdf);
    assert_holds(
        &text,
        &[
            "FACTURE",
            "Ensemble Coop Bruxelles SC",
            "BCE 0403170701",
            "TVA BE0403170701",
            "BE71 0961 2345 6769",
            "GKCCBEBB",
            &case.invoice.payment_reference.to_string(),
            &case.invoice.number.to_string(),
            case.activity,
            "Total TTC",
            &text::money(Lang::Fr, doc.totals().with_vat),
            "Scannez avec votre application bancaire pour payer",
        ],
    );
}
