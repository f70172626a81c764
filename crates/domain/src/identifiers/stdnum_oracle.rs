//! Replays `testdata/stdnum_cases.json` (python-stdnum's verdicts, see `testdata/generate.py`)
//! through Ensemble's parsers: same verdict on every value, and for valid values the same
//! compact form and, where stdnum has one, the same display form.

use std::collections::BTreeMap;
use std::fmt::Display;

use serde::Deserialize;

use super::*;

const CASES: &str = include_str!("testdata/stdnum_cases.json");

#[derive(Deserialize)]
struct Cases {
    stdnum_version: String,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    kind: String,
    value: String,
    valid: bool,
    compact: Option<String>,
    format: Option<String>,
}

/// What Ensemble made of a value: (compact, display) or the error message.
type Parsed = Result<(String, String), String>;

fn run<T: AsRef<str> + Display, E: Display>(parsed: Result<T, E>) -> Parsed {
    parsed
        .map(|v| (v.as_ref().to_string(), v.to_string()))
        .map_err(|e| e.to_string())
}

fn parse(kind: &str, value: &str) -> Option<Parsed> {
    Some(match kind {
        "iban" => run(Iban::parse(value)),
        "bic" => run(Bic::parse(value)),
        "vat" => run(VatId::parse(value)),
        "siren" => run(Siren::parse(value)),
        "siret" => run(Siret::parse(value)),
        "nir" => run(Nir::parse(value)),
        "be_enterprise_number" => run(BeEnterpriseNumber::parse(value)),
        "niss" => run(Niss::parse(value)),
        "be_structured_communication" => run(BeStructuredCommunication::parse(value)),
        "rf" => run(RfCreditorReference::parse(value)),
        _ => return None,
    })
}

#[test]
fn agrees_with_python_stdnum() {
    let cases: Cases = serde_json::from_str(CASES).expect("stdnum_cases.json is valid JSON");
    assert!(!cases.stdnum_version.is_empty());
    let mut disagreements = Vec::new();
    // kind → (compared, valid, invalid)
    let mut counts: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for case in &cases.cases {
        let Some(ours) = parse(&case.kind, &case.value) else {
            disagreements.push(format!("unknown kind {}", case.kind));
            continue;
        };
        let entry = counts.entry(case.kind.as_str()).or_default();
        entry.0 += 1;
        if case.valid {
            entry.1 += 1;
        } else {
            entry.2 += 1;
        }
        match (&ours, case.valid) {
            (Ok((compact, display)), true) => {
                if let Some(expected) = &case.compact
                    && expected != compact
                {
                    disagreements.push(format!(
                        "{} {:?}: compact form {compact:?}, stdnum {expected:?}",
                        case.kind, case.value
                    ));
                }
                if let Some(expected) = &case.format
                    && expected != display
                {
                    disagreements.push(format!(
                        "{} {:?}: display {display:?}, stdnum {expected:?}",
                        case.kind, case.value
                    ));
                }
            }
            (Err(message), false) => {
                // A rejection names the value as it was given.
                if !message.contains(case.value.trim()) {
                    disagreements.push(format!(
                        "{} {:?}: message does not name the value: {message}",
                        case.kind, case.value
                    ));
                }
            }
            (Ok(_), false) => disagreements.push(format!(
                "{} {:?}: Ensemble accepts, stdnum rejects",
                case.kind, case.value
            )),
            (Err(message), true) => disagreements.push(format!(
                "{} {:?}: Ensemble rejects ({message}), stdnum accepts",
                case.kind, case.value
            )),
        }
    }
    let total: usize = counts.values().map(|c| c.0).sum();
    for (kind, (n, valid, invalid)) in &counts {
        eprintln!("stdnum oracle: {kind:<28} {n:>4} compared ({valid} valid, {invalid} invalid)");
    }
    eprintln!(
        "stdnum oracle: {total} values compared against python-stdnum {}, {} disagreements",
        cases.stdnum_version,
        disagreements.len()
    );
    assert!(
        disagreements.is_empty(),
        "{} disagreements with python-stdnum:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
    // Guard against an accidentally emptied file.
    assert_eq!(counts.len(), 10, "every kind is present");
    assert!(
        counts.values().all(|c| c.1 >= 20 && c.2 >= 20),
        "{counts:?}"
    );
    assert!(total >= 1000, "{total}");
}
