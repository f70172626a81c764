//! A matrix of invoices and credit notes built from domain values: French and Belgian
//! sellers; French, Belgian, other-EU (DE, NL, LU) and non-EU (CH, US, GB) buyers; companies
//! and consumers; one and several VAT rates; reverse charge (AE), intra-Community supply of
//! goods (K), export (G), not subject to VAT (O), exempt (E), zero rated (Z); credit notes;
//! document-level allowances and charges. Shared by the tests and the benchmark.
//!
//! Every party is fictitious; identifiers have valid check digits (python-stdnum agrees).

#![allow(dead_code)]
#![allow(clippy::unwrap_used)] // test data: every identifier here is known valid

use ensemble_domain::client::{
    Client, ClientKind, CompanyId, VatCategory, VatTreatment, vat_for_services,
};
use ensemble_domain::coop::{CooperativeEntity, FeePolicy, LegalId, SharePolicy};
use ensemble_domain::identifiers::{
    BeEnterpriseNumber, Bic, CountryCode, Email, Iban, PeppolId, PostalAddress, Siren, Siret, VatId,
};
use ensemble_domain::invoice::{
    Invoice, InvoiceLine, InvoiceStatus, LineQuantity, due_date, totals,
};
use ensemble_domain::{
    ActivityId, ClientId, Country, DocumentKind, DocumentNumber, EntityId, InvoiceId, Lang, Money,
    PaymentReference, Rate,
};
use ensemble_einvoice::{
    AllowanceCharge, AllowanceChargeKind, Delivery, Document, DocumentExtras, Exemption, Period,
    PrecedingInvoice,
};
use jiff::civil::{Date, date};
use uuid::Uuid;

pub struct Case {
    pub name: String,
    pub invoice: Invoice,
    pub seller: CooperativeEntity,
    pub buyer: Client,
    pub activity: &'static str,
    pub extras: DocumentExtras,
}

impl Case {
    pub fn document(&self) -> Document {
        match Document::from_invoice(
            &self.invoice,
            &self.seller,
            &self.buyer,
            self.activity,
            &self.extras,
        ) {
            Ok(d) => d,
            Err(e) => panic!("case {}: {e}", self.name),
        }
    }
}

fn address(lines: &[&str], postcode: Option<&str>, city: &str, country: &str) -> PostalAddress {
    PostalAddress::new(lines, postcode, city, CountryCode::parse(country).unwrap()).unwrap()
}

pub fn french_entity() -> CooperativeEntity {
    CooperativeEntity {
        id: EntityId::from_uuid(Uuid::from_u128(1)),
        country: Country::Fr,
        name: "Ensemble CAE Paris SCOP".to_string(),
        legal_id: LegalId::Siret(Siret::parse("73282932000074").unwrap()),
        vat_id: VatId::parse("FR44732829320").unwrap(),
        iban: Iban::parse("FR7630006000011234567890189").unwrap(),
        bic: Some(Bic::parse("AGRIFRPP").unwrap()),
        address: address(&["12 rue des Artisans"], Some("75011"), "Paris", "FR"),
        fee: FeePolicy::standard(Country::Fr),
        shares: SharePolicy::standard(Country::Fr),
        vat_rate: CooperativeEntity::standard_vat_rate(Country::Fr),
        payment_term_days: 30,
        headcount: 120,
        auto_validate: true,
    }
}

pub fn belgian_entity() -> CooperativeEntity {
    CooperativeEntity {
        id: EntityId::from_uuid(Uuid::from_u128(2)),
        country: Country::Be,
        name: "Ensemble Coop Bruxelles SC".to_string(),
        legal_id: LegalId::BeEnterprise(BeEnterpriseNumber::parse("0403.170.701").unwrap()),
        vat_id: VatId::parse("BE0403170701").unwrap(),
        iban: Iban::parse("BE71096123456769").unwrap(),
        bic: Some(Bic::parse("GKCCBEBB").unwrap()),
        address: address(
            &["Rue Coenraets 72", "Bâtiment B"],
            Some("1060"),
            "Saint-Gilles",
            "BE",
        ),
        fee: FeePolicy::standard(Country::Be),
        shares: SharePolicy::standard(Country::Be),
        vat_rate: CooperativeEntity::standard_vat_rate(Country::Be),
        payment_term_days: 10,
        headcount: 800,
        auto_validate: true,
    }
}

/// The clients of both entities (the entity id is set per case).
pub struct Clients {
    pub fr_company: Client,
    pub fr_person: Client,
    pub be_company: Client,
    pub be_peppol_company: Client,
    pub be_person: Client,
    pub de_company: Client,
    pub de_person: Client,
    pub nl_company: Client,
    pub lu_company: Client,
    pub ch_company: Client,
    pub us_company: Client,
    pub gb_company: Client,
}

#[allow(clippy::too_many_arguments)]
fn client(
    n: u128,
    kind: ClientKind,
    name: &str,
    address: PostalAddress,
    vat: Option<&str>,
    company: Option<CompanyId>,
    peppol: Option<&str>,
    email: Option<&str>,
    lang: Lang,
) -> Client {
    Client {
        id: ClientId::from_uuid(Uuid::from_u128(100 + n)),
        entity_id: EntityId::from_uuid(Uuid::from_u128(0)),
        kind,
        name: name.to_string(),
        address,
        vat_id: vat.map(|v| VatId::parse(v).unwrap()),
        company_id: company,
        peppol_id: peppol.map(|p| PeppolId::parse(p).unwrap()),
        email: email.map(|e| Email::parse(e).unwrap()),
        lang,
    }
}

pub fn clients() -> Clients {
    use ClientKind::{Company, Person};
    Clients {
        fr_company: client(
            1,
            Company,
            "Atelier Lumière SARL",
            address(&["8 quai Saint-Antoine"], Some("69002"), "Lyon", "FR"),
            Some("FR40303265045"),
            Some(CompanyId::Siren(Siren::parse("303265045").unwrap())),
            None,
            Some("compta@atelier-lumiere.example"),
            Lang::Fr,
        ),
        fr_person: client(
            2,
            Person,
            "Camille Martin",
            address(
                &["3 rue Kervégan", "Appartement 12"],
                Some("44000"),
                "Nantes",
                "FR",
            ),
            None,
            None,
            None,
            Some("camille.martin@example.org"),
            Lang::Fr,
        ),
        be_company: client(
            3,
            Company,
            "Studio Noord BV",
            address(&["Korenmarkt 15"], Some("9000"), "Gent", "BE"),
            Some("BE0477472008"),
            Some(CompanyId::BeEnterprise(
                BeEnterpriseNumber::parse("0477472008").unwrap(),
            )),
            None,
            None,
            Lang::Nl,
        ),
        be_peppol_company: client(
            4,
            Company,
            "Théâtre de la Vallée ASBL",
            address(&["Place du Marché 4"], Some("4000"), "Liège", "BE"),
            Some("BE0877064003"),
            None,
            Some("0208:0877064003"),
            None,
            Lang::Fr,
        ),
        be_person: client(
            5,
            Person,
            "Jan Peeters",
            address(&["Meir 100"], Some("2000"), "Antwerpen", "BE"),
            None,
            None,
            None,
            Some("jan.peeters@example.be"),
            Lang::Nl,
        ),
        de_company: client(
            6,
            Company,
            "Klangwerk GmbH",
            address(&["Torstraße 25"], Some("10119"), "Berlin", "DE"),
            Some("DE136695976"),
            None,
            None,
            None,
            Lang::En,
        ),
        de_person: client(
            7,
            Person,
            "Anna Schmidt",
            address(&["Leopoldstraße 8"], Some("80802"), "München", "DE"),
            None,
            None,
            None,
            Some("anna.schmidt@example.de"),
            Lang::En,
        ),
        nl_company: client(
            8,
            Company,
            "Lichtbeeld BV",
            address(&["Prinsengracht 263"], Some("1016 GV"), "Amsterdam", "NL"),
            Some("NL004495445B01"),
            None,
            None,
            None,
            Lang::Nl,
        ),
        lu_company: client(
            9,
            Company,
            "Scène Lux Sàrl",
            address(&["12 rue de la Gare"], Some("L-1611"), "Luxembourg", "LU"),
            Some("LU15027442"),
            None,
            None,
            None,
            Lang::Fr,
        ),
        ch_company: client(
            10,
            Company,
            "Bergfilm AG",
            address(&["Bahnhofstrasse 10"], Some("8001"), "Zürich", "CH"),
            None,
            None,
            None,
            Some("billing@bergfilm.example"),
            Lang::En,
        ),
        us_company: client(
            11,
            Company,
            "Sunset Pictures LLC",
            address(
                &["6801 Hollywood Blvd"],
                Some("CA 90028"),
                "Los Angeles",
                "US",
            ),
            None,
            None,
            Some("0088:0012345000010"),
            Some("ap@sunset.example"),
            Lang::En,
        ),
        gb_company: client(
            12,
            Company,
            "Thames Audio Ltd",
            address(&["1 Clink Street"], Some("SE1 9DG"), "London", "GB"),
            None,
            None,
            Some("0088:5012345000015"),
            None,
            Lang::En,
        ),
    }
}

fn with_entity(c: &Client, e: &CooperativeEntity) -> Client {
    Client {
        entity_id: e.id,
        ..c.clone()
    }
}

/// A line: quantity in thousandths, price in cents.
pub fn line(
    description: &str,
    quantity: i64,
    unit: &str,
    cents: i64,
    vat: VatTreatment,
) -> InvoiceLine {
    InvoiceLine::new(
        description,
        LineQuantity(quantity),
        unit,
        Money::from_cents(cents),
        vat,
    )
    .unwrap()
}

pub fn vat(category: VatCategory, ppm: i64) -> VatTreatment {
    VatTreatment {
        category,
        rate: Rate::from_ppm(ppm),
    }
}

pub fn invoice(
    seller: &CooperativeEntity,
    buyer: &Client,
    kind: DocumentKind,
    sequence: u32,
    issue: Date,
    lines: Vec<InvoiceLine>,
) -> Invoice {
    let number = DocumentNumber::new(kind, seller.country, issue.year(), sequence);
    Invoice {
        id: InvoiceId::from_uuid(Uuid::from_u128(10_000 + u128::from(sequence))),
        number,
        entity_id: seller.id,
        activity_id: ActivityId::from_uuid(Uuid::from_u128(500)),
        client_id: buyer.id,
        declaration_id: None,
        issue_date: issue,
        due_date: due_date(issue, seller.payment_term_days),
        payment_reference: PaymentReference::for_invoice(&number),
        lang: buyer.lang,
        totals: totals(&lines),
        lines,
        status: InvoiceStatus::Issued,
    }
}

struct Builder {
    cases: Vec<Case>,
    sequence: u32,
}

impl Builder {
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        name: &str,
        seller: &CooperativeEntity,
        buyer: &Client,
        kind: DocumentKind,
        lines: Vec<InvoiceLine>,
        activity: &'static str,
        extras: DocumentExtras,
    ) -> Invoice {
        self.sequence += 1;
        let buyer = with_entity(buyer, seller);
        let issue = date(2026, 3, 2)
            .checked_add(jiff::Span::new().days(i64::from(self.sequence)))
            .unwrap();
        let invoice = invoice(seller, &buyer, kind, self.sequence, issue, lines);
        self.cases.push(Case {
            name: name.to_string(),
            invoice: invoice.clone(),
            seller: seller.clone(),
            buyer,
            activity,
            extras,
        });
        invoice
    }
}

/// The services VAT of a seller for a client, as the domain decides it.
fn services(seller: &CooperativeEntity, client: &Client) -> VatTreatment {
    vat_for_services(seller.address.country(), seller.vat_rate, client)
}

pub fn cases() -> Vec<Case> {
    let fr = french_entity();
    let be = belgian_entity();
    let c = clients();
    let mut b = Builder {
        cases: Vec::new(),
        sequence: 0,
    };
    let inv = DocumentKind::Invoice;
    let crn = DocumentKind::CreditNote;
    let none = DocumentExtras::default;
    let period = |start: Date, end: Date| Some(Period::new(start, end).unwrap());
    let credit_of = |i: &Invoice| DocumentExtras {
        credit_note_of: Some(PrecedingInvoice::of(i)),
        ..DocumentExtras::default()
    };
    use VatCategory::*;

    for (seller, rates) in [
        (&fr, [200_000, 100_000, 55_000]),
        (&be, [210_000, 120_000, 60_000]),
    ] {
        let s = seller.country.slug();
        let std = |r: i64| vat(Standard, r);
        let [high, mid, low] = rates;

        // Domestic company, one rate.
        let first = b.add(
            &format!("{s}-domestic-company-one-rate"),
            seller,
            if seller.country == Country::Fr {
                &c.fr_company
            } else {
                &c.be_company
            },
            inv,
            vec![line(
                "Création lumière — 3 jours (2026-02-09 – 2026-02-11)",
                3_000,
                "DAY",
                45_000,
                std(high),
            )],
            "Lumière & Scène",
            DocumentExtras {
                buyer_reference: Some("PO-2026-117".into()),
                invoicing_period: period(date(2026, 2, 9), date(2026, 2, 11)),
                ..none()
            },
        );
        let domestic = if seller.country == Country::Fr {
            &c.fr_company
        } else {
            &c.be_peppol_company
        };
        // Domestic company, three rates, goods and services.
        b.add(
            &format!("{s}-domestic-company-three-rates"),
            seller,
            domestic,
            inv,
            vec![
                line(
                    "Atelier d'écriture — 2,5 jours",
                    2_500,
                    "DAY",
                    33_333,
                    std(high),
                ),
                line("Places de spectacle", 12_000, "C62", 1_550, std(mid)),
                line("Recueils de poèmes", 7_000, "C62", 1_899, std(low)),
            ],
            "Compagnie des Mots",
            DocumentExtras {
                order_reference: Some("BC-4471".into()),
                goods_lines: vec![2],
                ..none()
            },
        );
        // Domestic consumer.
        let person = if seller.country == Country::Fr {
            &c.fr_person
        } else {
            &c.be_person
        };
        b.add(
            &format!("{s}-domestic-person"),
            seller,
            person,
            inv,
            vec![line(
                "Cours de piano — 7,5 heures",
                7_500,
                "HUR",
                4_500,
                services(seller, person),
            )],
            "Piano Pédagogie",
            none(),
        );
        // Domestic company: a percentage discount and two charges.
        b.add(
            &format!("{s}-domestic-company-discount-and-charges"),
            seller,
            domestic,
            inv,
            vec![
                line(
                    "Développement web — 4 jours",
                    4_000,
                    "DAY",
                    52_000,
                    std(high),
                ),
                line("Hébergement annuel", 1_000, "C62", 18_000, std(high)),
                line("Livres techniques", 3_000, "C62", 3_995, std(low)),
            ],
            "Studio Pixel",
            DocumentExtras {
                allowances_charges: vec![
                    AllowanceCharge::percent(
                        AllowanceChargeKind::Allowance,
                        "Remise fidélité 10 %",
                        Money::from_cents(226_000),
                        Rate::from_ppm(100_000),
                        Standard,
                        Rate::from_ppm(high),
                    )
                    .unwrap()
                    .with_reason_code("95")
                    .unwrap(),
                    AllowanceCharge::charge(
                        "Frais de déplacement",
                        Money::from_cents(3_500),
                        Standard,
                        Rate::from_ppm(high),
                    )
                    .unwrap()
                    .with_reason_code("ADR")
                    .unwrap(),
                    AllowanceCharge::charge(
                        "Frais d'envoi des livres",
                        Money::from_cents(690),
                        Standard,
                        Rate::from_ppm(low),
                    )
                    .unwrap()
                    .with_reason_code("FC")
                    .unwrap(),
                ],
                goods_lines: vec![2],
                ..none()
            },
        );
        // Exempt vocational training.
        b.add(
            &format!("{s}-domestic-company-exempt-training"),
            seller,
            domestic,
            inv,
            vec![line("Formation professionnelle — 2 jours", 2_000, "DAY", 70_000, vat(Exempt, 0))],
            "Formations Scène",
            DocumentExtras {
                exemption: Some(if seller.country == Country::Fr {
                    Exemption::new(
                        "VATEX-FR-CGI261-4",
                        "Exonération de TVA, article 261, 4, 4° du CGI (formation professionnelle continue)",
                    )
                    .unwrap()
                } else {
                    Exemption::new(
                        "VATEX-EU-132-1I",
                        "Exempt vocational training (Article 132(1)(i), Directive 2006/112/EC)",
                    )
                    .unwrap()
                }),
                ..none()
            },
        );
        // Zero rated next to a standard rate.
        b.add(
            &format!("{s}-domestic-company-zero-rated"),
            seller,
            domestic,
            inv,
            vec![
                line(
                    "Journal de la compagnie (abonnement)",
                    1_000,
                    "C62",
                    4_800,
                    vat(Zero, 0),
                ),
                line("Mise en page", 500, "DAY", 40_000, std(high)),
            ],
            "Éditions du Quai",
            DocumentExtras {
                goods_lines: vec![0],
                ..none()
            },
        );
        // Credit note of the first invoice: one day back.
        b.add(
            &format!("{s}-domestic-company-credit-note"),
            seller,
            if seller.country == Country::Fr {
                &c.fr_company
            } else {
                &c.be_company
            },
            crn,
            vec![line(
                "Création lumière — 1 jour annulé",
                1_000,
                "DAY",
                45_000,
                std(high),
            )],
            "Lumière & Scène",
            credit_of(&first),
        );

        // Other EU companies: reverse charge.
        let foreign_company = if seller.country == Country::Fr {
            &c.be_company
        } else {
            &c.fr_company
        };
        let mut reverse = Vec::new();
        for (tag, buyer) in [
            (
                if seller.country == Country::Fr {
                    "be"
                } else {
                    "fr"
                },
                foreign_company,
            ),
            ("de", &c.de_company),
            ("nl", &c.nl_company),
            ("lu", &c.lu_company),
        ] {
            let treatment = services(seller, buyer);
            assert_eq!(treatment.category, ReverseCharge, "{tag}");
            let extras = if tag == "lu" {
                DocumentExtras {
                    allowances_charges: vec![
                        AllowanceCharge::allowance(
                            "Remise partenaire",
                            Money::from_cents(15_000),
                            ReverseCharge,
                            Rate::ZERO,
                        )
                        .unwrap(),
                    ],
                    ..none()
                }
            } else {
                none()
            };
            let i = b.add(
                &format!("{s}-{tag}-company-reverse-charge"),
                seller,
                buyer,
                inv,
                vec![
                    line("Sound design — 5 days", 5_000, "DAY", 60_000, treatment),
                    line("Mixing — 6 hours", 6_000, "HUR", 8_500, treatment),
                ],
                "Klang & Co",
                extras,
            );
            reverse.push((i, buyer));
        }
        // Credit note on a reverse-charge invoice, with an allowance.
        let (de_invoice, de_buyer) = &reverse[1];
        b.add(
            &format!("{s}-de-company-reverse-charge-credit-note"),
            seller,
            de_buyer,
            crn,
            vec![line(
                "Mixing — 2 hours not done",
                2_000,
                "HUR",
                8_500,
                vat(ReverseCharge, 0),
            )],
            "Klang & Co",
            DocumentExtras {
                allowances_charges: vec![
                    AllowanceCharge::allowance(
                        "Goodwill",
                        Money::from_cents(1_000),
                        ReverseCharge,
                        Rate::ZERO,
                    )
                    .unwrap(),
                ],
                ..credit_of(de_invoice)
            },
        );
        // EU consumers abroad pay the seller's VAT.
        let abroad_person = if seller.country == Country::Fr {
            &c.be_person
        } else {
            &c.fr_person
        };
        for (tag, buyer) in [("eu", abroad_person), ("de", &c.de_person)] {
            let treatment = services(seller, buyer);
            assert_eq!(treatment.category, Standard);
            b.add(
                &format!("{s}-{tag}-person-seller-vat"),
                seller,
                buyer,
                inv,
                vec![line(
                    "Portrait photography session",
                    1_000,
                    "C62",
                    25_000,
                    treatment,
                )],
                "Photo Atelier",
                none(),
            );
        }
        // Non-EU companies: not subject to EU VAT.
        for (tag, buyer) in [
            ("ch", &c.ch_company),
            ("us", &c.us_company),
            ("gb", &c.gb_company),
        ] {
            let treatment = services(seller, buyer);
            assert_eq!(treatment.category, OutOfScope, "{tag}");
            let extras = if tag == "us" {
                DocumentExtras {
                    allowances_charges: vec![
                        AllowanceCharge::charge(
                            "Rush fee",
                            Money::from_cents(20_000),
                            OutOfScope,
                            Rate::ZERO,
                        )
                        .unwrap(),
                    ],
                    ..none()
                }
            } else {
                none()
            };
            b.add(
                &format!("{s}-{tag}-company-out-of-scope"),
                seller,
                buyer,
                inv,
                vec![line(
                    "Film score composition — 10 days",
                    10_000,
                    "DAY",
                    55_000,
                    treatment,
                )],
                "Score Lab",
                extras,
            );
        }
        // Intra-Community supply of goods (K) and export of goods (G).
        let k_buyer = if seller.country == Country::Fr {
            &c.de_company
        } else {
            &c.nl_company
        };
        b.add(
            &format!(
                "{s}-{}-company-intra-community-goods",
                k_buyer.country().as_str().to_lowercase()
            ),
            seller,
            k_buyer,
            inv,
            vec![
                line(
                    "Handmade ceramic vases",
                    24_000,
                    "C62",
                    3_900,
                    vat(IntraCommunity, 0),
                ),
                line(
                    "Ceramic plates",
                    40_000,
                    "C62",
                    1_250,
                    vat(IntraCommunity, 0),
                ),
            ],
            "Terre & Feu",
            DocumentExtras {
                delivery: Some(Delivery {
                    date: Some(date(2026, 3, 1)),
                    country: k_buyer.country(),
                }),
                ..none()
            },
        );
        b.add(
            &format!("{s}-us-company-export-goods"),
            seller,
            &c.us_company,
            inv,
            vec![line(
                "Limited-edition prints",
                15_000,
                "C62",
                12_000,
                vat(Export, 0),
            )],
            "Terre & Feu",
            DocumentExtras {
                invoicing_period: period(date(2026, 2, 1), date(2026, 2, 28)),
                ..none()
            },
        );
    }
    b.cases
}
