//! The demo cooperative's invoices before the official validators: every invoice the demo
//! issues is exported as the API serves it (Factur-X CII for the French entity, with the
//! French reform's BR-FR rules; UBL for the Belgian one) and must pass
//! `../shared/validators/validate_einvoice.py`. A newcomer's first look at Ensemble is the
//! demo, so its documents are held to the same rules as the test matrix's.
//!
//! Runs when `ENSEMBLE_VALIDATORS_PYTHON` names the validators' venv Python (`.ci/run` sets
//! it); otherwise prints SKIPPED.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use ensemble_app::documents::DocumentQuery;
use ensemble_app::exports::InvoiceFormat;
use ensemble_app::{App, SystemClock};
use ensemble_domain::Country;
use ensemble_store::testing::TestStore;

fn validators_dir() -> PathBuf {
    match std::env::var_os("ENSEMBLE_VALIDATORS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/validators"),
    }
}

fn validate(python: &Path, flags: &[&str], files: &[PathBuf]) {
    assert!(!files.is_empty(), "no file to validate for {flags:?}");
    let script = validators_dir().join("validate_einvoice.py");
    let out = Command::new(python)
        .arg(&script)
        .args(flags)
        .args(files)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
    assert!(
        out.status.success(),
        "validate_einvoice.py {flags:?} refused demo invoices:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_demo_invoice_passes_the_official_validators() {
    let Some(python) = std::env::var_os("ENSEMBLE_VALIDATORS_PYTHON").map(PathBuf::from) else {
        eprintln!("SKIPPED: set ENSEMBLE_VALIDATORS_PYTHON to run the validators");
        return;
    };
    let db = TestStore::sqlite().await;
    let dir = std::env::temp_dir().join(format!("ensemble-demo-docs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let app = App::new(db.store.clone(), Arc::new(SystemClock), dir.clone());
    let summary = app.seed_demo().await.expect("the demo seeds");
    let admin = summary
        .accounts
        .iter()
        .find(|a| a.role == "admin")
        .expect("a demo administrator");
    let admin = app.authenticate(&admin.token).await.expect("admin token");

    let entities = app.entities(&admin).await.expect("entities");
    let invoices = app
        .invoices(
            &admin,
            &DocumentQuery {
                limit: Some(10_000),
                ..DocumentQuery::default()
            },
        )
        .await
        .expect("invoices");
    assert_eq!(
        invoices.len(),
        summary.invoices,
        "every demo invoice listed"
    );

    let (mut french, mut belgian) = (Vec::new(), Vec::new());
    for invoice in &invoices {
        let entity = entities
            .iter()
            .find(|e| e.id == invoice.entity_id)
            .expect("the invoice's entity");
        let (format, list) = match entity.country {
            Country::Fr => (InvoiceFormat::Cii, &mut french),
            Country::Be => (InvoiceFormat::Ubl, &mut belgian),
        };
        let file = app
            .export_invoice(&admin, invoice.id, format)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", invoice.number));
        let path = dir.join(&file.file_name);
        std::fs::write(&path, &file.bytes).expect("write the export");
        list.push(path);
    }
    validate(
        &python,
        &["--facturx", "--facturx-level", "en16931", "--fr-ctc"],
        &french,
    );
    validate(&python, &[], &belgian);
    eprintln!(
        "validators: {} French and {} Belgian demo invoices pass",
        french.len(),
        belgian.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
