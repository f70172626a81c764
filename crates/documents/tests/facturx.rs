//! Every document of the e-invoice matrix (`crates/einvoice/tests/common/matrix.rs`: French
//! and Belgian sellers; French, Belgian, other-EU and non-EU buyers; companies and
//! consumers; one to three VAT rates; reverse charge, intra-Community supply, export, exempt,
//! not subject; credit notes; allowances and charges) as a Factur-X PDF, judged by the
//! official tools of `shared/validators`: `check_facturx_pdf.py` (PDF/A-3 identification,
//! the Factur-X XMP extension and its schema description, `factur-x.xml` with its
//! relationship and MIME type listed in the catalog's `/AF`, the sRGB output intent, every
//! font embedded) and `validate_einvoice.py` on the PDF (the embedded XML extracted by the
//! `factur-x` package: XSD, EN 16931, Factur-X EN 16931 profile and, for French sellers, the
//! French reform's BR-FR rules).
//!
//! Runs when `ENSEMBLE_VALIDATORS_PYTHON` names the validators' Python; the structural checks
//! below run always. The PDFs are left in `target/tmp/facturx-pdfs/` for a look.
//!
//! ```sh
//! ENSEMBLE_VALIDATORS_PYTHON=/tmp/validators-venv/bin/python \
//!   cargo test -p ensemble-documents --test facturx -- --nocapture
//! ```

#![allow(clippy::unwrap_used)]

#[path = "../../einvoice/tests/common/matrix.rs"]
mod matrix;

use std::path::{Path, PathBuf};
use std::process::Command;

use ensemble_documents::{InvoicePdf, facturx_pdf};
use ensemble_domain::Country;
use ensemble_einvoice::cii;

fn validators_dir() -> PathBuf {
    match std::env::var_os("ENSEMBLE_VALIDATORS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/validators"),
    }
}

fn find(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

struct Written {
    path: PathBuf,
    french: bool,
}

fn write_matrix() -> Vec<Written> {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("facturx-pdfs");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    let cases = matrix::cases();
    assert!(cases.len() >= 30, "{} cases", cases.len());
    let mut written = Vec::new();
    for case in &cases {
        let doc = case.document();
        let pdf = facturx_pdf(&InvoicePdf {
            document: &doc,
            lang: case.invoice.lang,
            activity: case.activity,
            payment_reference: &case.invoice.payment_reference,
        })
        .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let path = out.join(format!("{}.pdf", case.name));
        std::fs::write(&path, &pdf).unwrap();
        // What a reader without the tools can see: a PDF, the attachment, the XMP.
        assert!(pdf.starts_with(b"%PDF-1.7"), "{}", case.name);
        assert!(find(&pdf, b"(factur-x.xml)"), "{}", case.name);
        assert!(find(&pdf, b"/AFRelationship/Alternative"), "{}", case.name);
        assert!(
            find(&pdf, b"<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>"),
            "{}",
            case.name
        );
        assert!(find(&pdf, b"<pdfaid:part>3</pdfaid:part>") || find(&pdf, b"pdfaid:part=\"3\""));
        // The same input gives the same bytes (no clock inside).
        let again = facturx_pdf(&InvoicePdf {
            document: &doc,
            lang: case.invoice.lang,
            activity: case.activity,
            payment_reference: &case.invoice.payment_reference,
        })
        .unwrap();
        assert!(
            again == pdf,
            "{}: output differs between two runs",
            case.name
        );
        assert!(!cii::write(&doc).is_empty());
        written.push(Written {
            path,
            french: case.seller.country == Country::Fr,
        });
    }
    written
}

#[test]
fn every_matrix_invoice_is_a_factur_x_pdf_the_validators_accept() {
    let written = write_matrix();
    let Some(python) = std::env::var_os("ENSEMBLE_VALIDATORS_PYTHON") else {
        eprintln!(
            "SKIPPED the validators: set ENSEMBLE_VALIDATORS_PYTHON to the Python of shared/validators (its venv)"
        );
        return;
    };
    let python = PathBuf::from(python);
    let files: Vec<&Path> = written.iter().map(|w| w.path.as_path()).collect();

    // The PDF container.
    let script = validators_dir().join("check_facturx_pdf.py");
    let output = Command::new(&python)
        .arg(&script)
        .args(&files)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let ok = stdout.matches("RESULT: OK").count();
    let failures: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("[FAIL]") || l.starts_with("=="))
        .collect();
    assert!(
        output.status.success() && ok == files.len(),
        "check_facturx_pdf.py: {ok} of {} PDFs OK (exit {:?}):\n{}\n{}",
        files.len(),
        output.status.code(),
        failures.join("\n"),
        String::from_utf8_lossy(&output.stderr)
    );
    let warnings: Vec<&str> = stdout.lines().filter(|l| l.contains("[WARN]")).collect();
    assert!(warnings.is_empty(), "warnings:\n{}", warnings.join("\n"));

    // The embedded XML, extracted from each PDF.
    let script = validators_dir().join("validate_einvoice.py");
    let mut reports = Vec::new();
    for (french, flags) in [
        (false, vec!["--facturx", "--facturx-level", "en16931"]),
        (
            true,
            vec!["--facturx", "--facturx-level", "en16931", "--fr-ctc"],
        ),
    ] {
        let group: Vec<&Path> = written
            .iter()
            .filter(|w| w.french == french)
            .map(|w| w.path.as_path())
            .collect();
        let output = Command::new(&python)
            .arg(&script)
            .arg("--json")
            .args(&flags)
            .args(&group)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
        let stdout = String::from_utf8_lossy(&output.stdout);
        let these: Vec<serde_json::Value> = stdout
            .lines()
            .filter(|l| l.starts_with('{'))
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(
            these.len(),
            group.len(),
            "validate_einvoice.py reported on {} of {} PDFs; stderr:\n{}",
            these.len(),
            group.len(),
            String::from_utf8_lossy(&output.stderr)
        );
        reports.extend(these.into_iter().map(|r| (french, r)));
    }
    let mut invalid = Vec::new();
    for (french, r) in &reports {
        let file = r["file"].as_str().unwrap_or("?").to_string();
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
        let ran = |what: &str| {
            checks
                .iter()
                .any(|c| c.starts_with("OK") && c.contains(what))
        };
        assert!(
            ran("XSD") && ran("EN 16931") && ran("Factur-X profile en16931"),
            "{file}: {checks:?}"
        );
        if *french {
            assert!(ran("BR-FR"), "{file}: {checks:?}");
        }
        for f in r["findings"].as_array().into_iter().flatten() {
            let flag = f["flag"].as_str().unwrap_or("");
            if flag != "warning" && flag != "information" {
                invalid.push(format!(
                    "{file}: {flag} {} {}",
                    f["rule"].as_str().unwrap_or(""),
                    f["message"].as_str().unwrap_or("")
                ));
            }
        }
        if r["valid"] != serde_json::Value::Bool(true) && invalid.is_empty() {
            invalid.push(format!("{file}: reported invalid"));
        }
    }
    assert!(invalid.is_empty(), "{}", invalid.join("\n"));
    eprintln!(
        "{} Factur-X PDFs: container checks OK, embedded XML valid ({} French with BR-FR)",
        files.len(),
        written.iter().filter(|w| w.french).count()
    );
}
