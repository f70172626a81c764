//! Generated pain.001.001.09 files (and generated camt.053.001.08 statements) checked by the
//! official validators in one run:
//!
//! ```sh
//! ENSEMBLE_VALIDATORS_PYTHON=/tmp/validators-venv/bin/python \
//!   cargo test -p ensemble-banking --test validators -- --nocapture
//! ```
//!
//! `validate_sepa.py --epc` checks each file against the ISO 20022 XSD, NbOfTxs / CtrlSum,
//! IBAN and BIC check digits, the EPC SEPA Credit Transfer rules (pain.001) and the balances
//! (camt.053). Without `ENSEMBLE_VALIDATORS_PYTHON` the files are still generated and the test
//! says it skipped the validators.

#![allow(clippy::unwrap_used)] // test data and test setup

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{Rng, Version, generate_statement, output_dir, validators_dir, validators_python};
use ensemble_banking::camt053;
use ensemble_banking::pain001::{
    CreationDateTime, CreditTransfer, Creditor, Debtor, InitiatingParty, OrganisationId, Pain001,
    PaymentBatch, PurposeCode, Remittance, SepaAddress, SepaAmount,
};
use ensemble_banking::text::{Name, RemittanceText, SepaId, SepaText};
use ensemble_domain::coop::{CooperativeEntity, FeePolicy, LegalId, SharePolicy};
use ensemble_domain::identifiers::{
    BeEnterpriseNumber, BeStructuredCommunication, Bic, CountryCode, Iban, PostalAddress,
    RfCreditorReference, VatId,
};
use ensemble_domain::{Country, EntityId, Money, PaymentReference};
use jiff::civil::date;

const CREDITOR_IBANS: &[&str] = &[
    "BE56363123456788",
    "BE98068999999093",
    "FR7630004000010001234567830",
    "FR1420041010050500013M02606",
    "DE89370400440532013000",
    "NL91ABNA0417164300",
    "LU280019400644750000",
    "ES9121000418450200051332",
];
const BICS: &[&str] = &[
    "GEBABEBB", "GKCCBEBB", "KREDBEBB", "BNPAFRPP", "DEUTDEFF", "ABNANL2A",
];
const NAMES: &[&str] = &[
    "Jeanne Dupont",
    "Zoë Müller-Lefèvre",
    "Œuvres d’Ève & Fils",
    "Łukasz Wiśniewski",
    "Straßenbau Groß GmbH",
    "Ștefan Țurcanu",
    "Pierre-Ange O’Brien – photographe",
    "Ærøskøbing Æbler",
];

fn id(text: &str) -> SepaId {
    SepaId::new("id", text).unwrap()
}

fn name(text: &str) -> Name {
    Name::new("name", text).unwrap()
}

fn iban(text: &str) -> Iban {
    Iban::parse(text).unwrap()
}

fn created() -> CreationDateTime {
    CreationDateTime {
        at: "2026-10-28T08:30:00Z".parse().unwrap(),
        offset: jiff::tz::offset(1),
    }
}

fn entity() -> CooperativeEntity {
    CooperativeEntity {
        id: EntityId::from_uuid(uuid::Uuid::nil()),
        country: Country::Be,
        name: "Coopérative Exemple SC".into(),
        legal_id: LegalId::BeEnterprise(BeEnterpriseNumber::parse("0403.170.701").unwrap()),
        vat_id: VatId::parse("BE0403170701").unwrap(),
        iban: iban("BE21001234567803"),
        bic: Some(Bic::parse("GEBABEBB").unwrap()),
        address: PostalAddress::new(
            &["Rue de l'Exemple 12", "Bâtiment B", "3e étage"],
            Some("1000"),
            "Bruxelles",
            CountryCode::BE,
        )
        .unwrap(),
        fee: FeePolicy::standard(Country::Be),
        shares: SharePolicy::standard(Country::Be),
        vat_rate: CooperativeEntity::standard_vat_rate(Country::Be),
        payment_term_days: 10,
        headcount: 300,
        auto_validate: true,
    }
}

/// The validators' sample message (2 salaries batch-booked, 1 expense refund), built here.
fn sample_message() -> Pain001 {
    let debtor = Debtor {
        name: name("Cooperative Exemple SC"),
        iban: iban("BE21001234567803"),
        bic: Some(Bic::parse("GEBABEBB").unwrap()),
        address: Some(
            SepaAddress::new(
                "debtor address",
                &["Rue de l'Exemple 12"],
                Some("1000"),
                "Bruxelles",
                CountryCode::BE,
            )
            .unwrap(),
        ),
    };
    let salary =
        |n: &str, e2e: &str, cents: i64, who: &str, town: &str, ctry, to: &str, m: &str| {
            CreditTransfer {
                instruction_id: Some(id(n)),
                end_to_end_id: id(e2e),
                amount: SepaAmount::new("amount", Money::from_cents(cents)).unwrap(),
                creditor: Creditor {
                    name: name(who),
                    iban: iban(to),
                    bic: None,
                    address: Some(SepaAddress::new("address", &[], None, town, ctry).unwrap()),
                },
                purpose: Some(PurposeCode::salary()),
                remittance: Some(Remittance::Unstructured(
                    RemittanceText::new("remittance", &format!("Salaire octobre 2026 membre {m}"))
                        .unwrap(),
                )),
            }
        };
    let mut refund = salary(
        "EXP-2026-10-0007",
        "EXP-2026-10-0007",
        16_525,
        "Pierre Martin",
        "Lille",
        CountryCode::FR,
        "FR7630004000010001234567830",
        "",
    );
    refund.purpose = None;
    refund.remittance = Some(Remittance::Unstructured(
        RemittanceText::new(
            "remittance",
            "Note de frais NDF-2026-0007 déplacement client",
        )
        .unwrap(),
    ));
    Pain001::new(
        id("COOP-20261028-0001"),
        created(),
        InitiatingParty {
            name: name("Cooperative Exemple SC"),
            organisation_id: Some(OrganisationId {
                id: id("0403170701"),
                issuer: Some(SepaText::new("issuer", "KBO-BCE").unwrap()),
            }),
        },
        vec![
            PaymentBatch {
                id: id("SAL-2026-10"),
                requested_execution_date: date(2026, 10, 30),
                batch_booking: true,
                category_purpose: Some(PurposeCode::salary()),
                debtor: debtor.clone(),
                transfers: vec![
                    salary(
                        "SAL-2026-10-0001",
                        "SAL-2026-10-M0042",
                        245_017,
                        "Jeanne Dupont",
                        "Liège",
                        CountryCode::BE,
                        "BE56363123456788",
                        "M0042",
                    ),
                    salary(
                        "SAL-2026-10-0002",
                        "SAL-2026-10-M0107",
                        142_000,
                        "Pierre Martin",
                        "Lille",
                        CountryCode::FR,
                        "FR7630004000010001234567830",
                        "M0107",
                    ),
                ],
            },
            PaymentBatch {
                id: id("EXP-2026-10"),
                requested_execution_date: date(2026, 10, 30),
                batch_booking: false,
                category_purpose: None,
                debtor,
                transfers: vec![refund],
            },
        ],
    )
    .unwrap()
}

/// A random but deterministic message: 1 to 3 batches from the entity, up to 60 transfers
/// each, amounts from 0.01 to 999 999 999.99, names with diacritics and ligatures, remittance
/// as text, structured communication or RF reference.
fn random_message(seed: u64) -> Pain001 {
    let mut rng = Rng::new(seed);
    let entity = entity();
    let batches = (0..1 + rng.below(3))
        .map(|b| {
            let transfers = (0..1 + rng.below(60))
                .map(|t| {
                    let cents = match rng.below(10) {
                        0 => 1,
                        1 => 99_999_999_999,
                        2 => 1 + rng.below(99_999_999_999) as i64,
                        _ => 1 + rng.below(1_000_000) as i64,
                    };
                    let remittance = match rng.below(4) {
                        0 => None,
                        1 => Some(Remittance::Unstructured(
                            RemittanceText::new(
                                "remittance",
                                &format!("Remboursement n°{t} – frais de déplacement {seed}/{b}"),
                            )
                            .unwrap(),
                        )),
                        2 => Some(Remittance::Structured(PaymentReference::Structured(
                            BeStructuredCommunication::from_reference(rng.below(10_000_000_000))
                                .unwrap(),
                        ))),
                        _ => Some(Remittance::Structured(PaymentReference::Rf(
                            RfCreditorReference::from_reference(&format!("INV{seed}X{b}Y{t}"))
                                .unwrap(),
                        ))),
                    };
                    CreditTransfer {
                        instruction_id: if rng.chance(50) {
                            Some(id(&format!("I-{seed}-{b}-{t}")))
                        } else {
                            None
                        },
                        end_to_end_id: id(&format!("E2E-{seed}-{b}-{t}")),
                        amount: SepaAmount::new("amount", Money::from_cents(cents)).unwrap(),
                        creditor: Creditor {
                            name: name(rng.pick(NAMES)),
                            iban: iban(rng.pick(CREDITOR_IBANS)),
                            bic: if rng.chance(50) {
                                Some(Bic::parse(rng.pick(BICS)).unwrap())
                            } else {
                                None
                            },
                            address: rng.chance(30).then(|| {
                                SepaAddress::new(
                                    "address",
                                    &["Chaussée de Wavre 1"],
                                    Some("1050"),
                                    "Ixelles",
                                    CountryCode::BE,
                                )
                                .unwrap()
                            }),
                        },
                        purpose: rng.chance(50).then(PurposeCode::salary),
                        remittance,
                    }
                })
                .collect();
            let mut debtor = Debtor::from_entity(&entity).unwrap();
            if rng.chance(30) {
                debtor.bic = None;
            }
            PaymentBatch {
                id: id(&format!("B-{seed}-{b}")),
                requested_execution_date: date(2026, 11, 2 + b as i8),
                batch_booking: rng.chance(50),
                category_purpose: rng.chance(50).then(PurposeCode::salary),
                debtor,
                transfers,
            }
        })
        .collect();
    Pain001::new(
        id(&format!("MSG-{seed}")),
        created(),
        InitiatingParty::from_entity(&entity).unwrap(),
        batches,
    )
    .unwrap()
}

/// The longest values EPC allows: 35-character ids, 70-character names, 140 characters of
/// remittance, and 1 000 transfers in one batch.
fn limits_message() -> Pain001 {
    let long = |c: char, n: usize| std::iter::repeat_n(c, n).collect::<String>();
    let entity = entity();
    let transfers = (0..1000)
        .map(|t| CreditTransfer {
            instruction_id: Some(id(&format!("{}{t:05}", long('I', 30)))),
            end_to_end_id: id(&format!("{}{t:05}", long('E', 30))),
            amount: SepaAmount::new("amount", Money::from_cents(1 + t)).unwrap(),
            creditor: Creditor {
                name: name(&format!("{}{t:04}", long('é', 66))),
                iban: iban(CREDITOR_IBANS[t as usize % CREDITOR_IBANS.len()]),
                bic: None,
                address: None,
            },
            purpose: None,
            remittance: Some(Remittance::Unstructured(
                RemittanceText::new("remittance", &long('x', 140)).unwrap(),
            )),
        })
        .collect();
    Pain001::new(
        id(&long('M', 35)),
        created(),
        InitiatingParty::from_entity(&entity).unwrap(),
        vec![PaymentBatch {
            id: id(&long('P', 35)),
            requested_execution_date: date(2026, 12, 31),
            batch_booking: true,
            category_purpose: None,
            debtor: Debtor::from_entity(&entity).unwrap(),
            transfers,
        }],
    )
    .unwrap()
}

#[test]
fn generated_files_pass_the_official_validators() {
    let dir = output_dir("validators");
    let mut files: Vec<PathBuf> = Vec::new();
    let mut write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        files.push(path);
    };
    let sample = sample_message();
    assert_eq!(sample.number_of_transactions(), 3);
    assert_eq!(sample.control_sum(), "4035.42".parse().unwrap());
    write("pain.001-sample.xml", &sample.to_xml());
    let limits = limits_message();
    assert_eq!(limits.control_sum(), Money::from_cents((1..=1000).sum()));
    write("pain.001-limits.xml", &limits.to_xml());
    for seed in 0..40 {
        let message = random_message(seed);
        let expected: Money = message
            .batches()
            .iter()
            .flat_map(|b| &b.transfers)
            .map(|t| t.amount.money())
            .sum();
        assert_eq!(message.control_sum(), expected);
        write(&format!("pain.001-random-{seed:02}.xml"), &message.to_xml());
    }
    for seed in 0..10 {
        let statement = generate_statement(Version::V08, seed, 60).to_xml();
        camt053::read(statement.as_bytes()).unwrap();
        write(
            &format!("camt.053-generated-{seed:02}.xml"),
            statement.as_bytes(),
        );
    }
    // A negative control: the validators must catch a wrong control sum.
    let control = String::from_utf8(sample.to_xml())
        .unwrap()
        .replace("<CtrlSum>4035.42</CtrlSum>", "<CtrlSum>4035.43</CtrlSum>");
    let control_path = dir.join("negative-control_wrong-CtrlSum.xml");
    std::fs::write(&control_path, control).unwrap();

    let Some(python) = validators_python() else {
        eprintln!(
            "SKIPPED the validators: set ENSEMBLE_VALIDATORS_PYTHON (e.g. /tmp/validators-venv/bin/python) to run validate_sepa.py --epc on the {} files in {}",
            files.len(),
            dir.display()
        );
        return;
    };
    let script = validators_dir().join("validate_sepa.py");
    let output = Command::new(&python)
        .arg(&script)
        .arg("--epc")
        .args(&files)
        .arg(&control_path)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {} {}: {e}", python.display(), script.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // One block per file: "== path  [message]", findings, "RESULT: VALID|INVALID".
    let mut verdicts: Vec<(String, Vec<String>, bool)> = Vec::new();
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("== ") {
            verdicts.push((rest.to_string(), Vec::new(), false));
        } else if let Some(last) = verdicts.last_mut() {
            let line = line.trim();
            if line.starts_with("ERROR") || line.starts_with("WARNING") {
                last.1.push(line.to_string());
            } else if line == "RESULT: VALID" {
                last.2 = true;
            }
        }
    }
    assert_eq!(verdicts.len(), files.len() + 1, "{stdout}\n{stderr}");
    let control_name = control_path.display().to_string();
    for (file, findings, valid) in &verdicts {
        if file.starts_with(&control_name) {
            assert!(!valid, "the negative control passed: {stdout}");
            assert!(
                findings.iter().any(|f| f.contains("CtrlSum=4035.43")),
                "{findings:?}"
            );
        } else {
            assert!(*valid && findings.is_empty(), "{file}: {findings:#?}");
        }
    }
    eprintln!(
        "validate_sepa.py --epc: {} generated files VALID with no warning ({} pain.001, 10 camt.053), negative control INVALID",
        files.len(),
        files.len() - 10
    );
}
