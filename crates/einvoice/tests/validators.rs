//! The matrix of documents, written as CII and UBL, judged by the official validators
//! (`shared/validators/validate_einvoice.py`: XSD, EN 16931 schematron, Peppol BIS Billing
//! 3.0, Factur-X EN 16931 profile, French BR-FR rules).
//!
//! Runs when `ENSEMBLE_VALIDATORS_PYTHON` names the validators' Python; skips otherwise.
//! `ENSEMBLE_VALIDATORS_DIR` overrides where the validators are (default: `shared/validators`
//! beside the repository). The files are left in `target/tmp/einvoice-matrix/` for a look.
//!
//! ```sh
//! ENSEMBLE_VALIDATORS_PYTHON=/tmp/validators-venv/bin/python \
//!   cargo test -p ensemble-einvoice --test validators -- --nocapture
//! ```

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use ensemble_domain::Country;
use ensemble_einvoice::{UblCustomization, cii, ubl};

use common::matrix;

struct Written {
    path: PathBuf,
    french_cii: bool,
}

fn validators_dir() -> PathBuf {
    match std::env::var_os("ENSEMBLE_VALIDATORS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/validators"),
    }
}

/// Runs the validator once on `files` with `flags`; returns one JSON report per file.
fn validate(python: &Path, flags: &[&str], files: &[&Path]) -> Vec<serde_json::Value> {
    if files.is_empty() {
        return Vec::new();
    }
    let script = validators_dir().join("validate_einvoice.py");
    let output = Command::new(python)
        .arg(&script)
        .arg("--json")
        .args(flags)
        .args(files)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {} {}: {e}", python.display(), script.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let reports: Vec<serde_json::Value> = stdout
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(
        reports.len(),
        files.len(),
        "the validator reported on {} of {} files (exit {:?}); stderr:\n{}",
        reports.len(),
        files.len(),
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    reports
}

#[test]
fn every_matrix_document_passes_the_official_validators() {
    let Some(python) = std::env::var_os("ENSEMBLE_VALIDATORS_PYTHON") else {
        eprintln!(
            "SKIPPED: set ENSEMBLE_VALIDATORS_PYTHON to the Python of shared/validators (its venv) to run the e-invoice validators"
        );
        return;
    };
    let python = PathBuf::from(python);
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("einvoice-matrix");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).expect("create the output folder");

    let cases = matrix::cases();
    assert!(cases.len() >= 30, "{} cases", cases.len());
    let mut written = Vec::new();
    let mut plain_ubl = Vec::new();
    for case in &cases {
        let doc = case.document();
        let cii_path = out.join(format!("{}.cii.xml", case.name));
        std::fs::write(&cii_path, cii::write(&doc)).expect("write CII");
        written.push(Written {
            path: cii_path,
            french_cii: case.seller.country == Country::Fr,
        });
        let customization = match ubl::peppol_ready(&doc) {
            Ok(()) => UblCustomization::PeppolBis3,
            Err(_) => {
                plain_ubl.push(case.name.clone());
                UblCustomization::En16931
            }
        };
        let ubl_path = out.join(format!("{}.ubl.xml", case.name));
        std::fs::write(
            &ubl_path,
            ubl::write(&doc, customization).expect("write UBL"),
        )
        .expect("write UBL");
        written.push(Written {
            path: ubl_path,
            french_cii: false,
        });
    }
    eprintln!(
        "{} documents, {} files in {}; plain EN 16931 UBL (buyer without a Peppol address): {}",
        cases.len(),
        written.len(),
        out.display(),
        plain_ubl.join(", ")
    );

    // The validator's options hold for a whole run: one run for UBL and Belgian CII, one
    // for French CII with the BR-FR rules.
    let facturx = ["--facturx", "--facturx-level", "en16931"];
    let general: Vec<&Path> = written
        .iter()
        .filter(|w| !w.french_cii)
        .map(|w| w.path.as_path())
        .collect();
    let french: Vec<&Path> = written
        .iter()
        .filter(|w| w.french_cii)
        .map(|w| w.path.as_path())
        .collect();
    let mut reports = validate(&python, &facturx, &general);
    reports.extend(validate(
        &python,
        &[&facturx[..], &["--fr-ctc"]].concat(),
        &french,
    ));
    assert_eq!(reports.len(), written.len());

    let mut invalid = Vec::new();
    let mut warnings: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for r in &reports {
        let file = r["file"].as_str().unwrap_or("?");
        let name = Path::new(file)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let checks: Vec<String> = r["checks"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                format!(
                    "{} {}",
                    c[1].as_str().unwrap_or(""),
                    c[0].as_str().unwrap_or("")
                )
            })
            .collect();
        // The checks that must have run: XSD and EN 16931 always; Peppol for Peppol UBL;
        // the Factur-X profile for CII; BR-FR for French CII.
        let ran = |what: &str| {
            checks
                .iter()
                .any(|c| c.starts_with("OK") && c.contains(what))
        };
        assert!(ran("XSD") && ran("EN 16931"), "{name}: {checks:?}");
        if name.ends_with(".cii.xml") {
            assert!(ran("Factur-X profile en16931"), "{name}: {checks:?}");
            if name.starts_with("fr-") {
                assert!(ran("BR-FR"), "{name}: {checks:?}");
            }
        } else if !plain_ubl.iter().any(|p| name.starts_with(&format!("{p}."))) {
            assert!(ran("Peppol"), "{name}: {checks:?}");
        }
        for f in r["findings"].as_array().into_iter().flatten() {
            let flag = f["flag"].as_str().unwrap_or("");
            let line = format!(
                "{name}: {} {} {} @ {}",
                flag,
                f["rule"].as_str().unwrap_or(""),
                f["message"].as_str().unwrap_or(""),
                f["location"].as_str().unwrap_or("")
            );
            if flag == "warning" || flag == "information" {
                let e = warnings
                    .entry(format!(
                        "{} ({})",
                        f["rule"].as_str().unwrap_or(""),
                        f["check"].as_str().unwrap_or("")
                    ))
                    .or_insert((0, f["message"].as_str().unwrap_or("").to_string()));
                e.0 += 1;
            } else {
                invalid.push(line);
            }
        }
        if r["valid"] != serde_json::Value::Bool(true) && invalid.is_empty() {
            invalid.push(format!("{name}: reported invalid"));
        }
    }
    for (rule, (count, message)) in &warnings {
        eprintln!("warning {rule} ×{count}: {message}");
    }
    assert!(
        invalid.is_empty(),
        "{} error(s):\n{}",
        invalid.len(),
        invalid.join("\n")
    );
    eprintln!(
        "validators: {} files valid ({} CII, {} UBL), {} warning kind(s)",
        reports.len(),
        cases.len(),
        cases.len(),
        warnings.len()
    );
}
