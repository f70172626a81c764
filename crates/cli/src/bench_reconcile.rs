//! `ensemble bench reconcile`: the store-backed bank reconciliation, timed phase by phase.
//!
//! A fresh SQLite database gets one Belgian entity, the generated clients and N open invoices
//! (the generator of the pure matcher's benchmark, `crates/banking/benches/support/
//! synthetic.rs`, included here as is: same seed, same data). The generated statement lines
//! are written as one camt.053.001.08 file, then imported through the application's use case
//! exactly as `ensemble statements import` does: XML read, open invoices and known
//! fingerprints loaded, matcher run, lines, payments, queue and invoice statuses written, one
//! commit. The same file is then imported again (it must change nothing). Figures go in
//! BENCHMARKS.md.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;
use ensemble_app::inputs::{NewClient, NewEntity};
use ensemble_app::testing::address;
use ensemble_app::{App, SystemClock};
use ensemble_banking::camt053;
use ensemble_banking::statement_lines;
use ensemble_domain::activity::{Activity, ActivityStatus};
use ensemble_domain::client::Client;
use ensemble_domain::invoice::{Invoice, InvoiceStatus, InvoiceTotals};
use ensemble_domain::{ActivityId, ClientId, InvoiceId, Lang, Money, PaymentReference};

use crate::Failure;
use crate::server::{app_failure, runtime};

#[path = "../../banking/benches/support/synthetic.rs"]
mod synthetic;

#[derive(Args)]
pub struct ReconcileArgs {
    /// Statement lines and open invoices.
    #[arg(long, default_value_t = 100_000)]
    pub lines: usize,
    /// The generator's seed (the pure matcher's benchmark uses 2026).
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Keep the database and the statement in this (new) folder instead of a temporary one.
    #[arg(long, value_name = "DIR")]
    pub keep: Option<PathBuf>,
}

fn io(e: impl std::fmt::Display) -> Failure {
    Failure::io(e.to_string())
}

fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

pub fn reconcile(args: ReconcileArgs) -> Result<(), Failure> {
    let dir = match &args.keep {
        Some(d) => d.clone(),
        None => {
            std::env::temp_dir().join(format!("ensemble-bench-reconcile-{}", std::process::id()))
        }
    };
    if dir.exists() {
        return Err(Failure::input(format!(
            "{} exists: the benchmark needs a new folder",
            dir.display()
        )));
    }
    let result = runtime()?.block_on(run_reconcile(&args, &dir));
    if args.keep.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    result
}

async fn run_reconcile(args: &ReconcileArgs, dir: &std::path::Path) -> Result<(), Failure> {
    let store = ensemble_store::open(&format!("sqlite://{}", dir.join("ensemble.db").display()))
        .await
        .map_err(io)?;
    let app = App::new(store, Arc::new(SystemClock), dir.to_path_buf());
    let admin = app
        .bootstrap_admin("bench@example.coop")
        .await
        .map_err(app_failure)?;
    let actor = app.authenticate(&admin.token).await.map_err(app_failure)?;
    let entity = app
        .create_entity(
            &actor,
            &NewEntity {
                country: "be".into(),
                name: "Ensemble Bruxelles".into(),
                legal_id: "0403.170.701".into(),
                vat_id: "BE0403170701".into(),
                iban: "BE71 0961 2345 6769".into(),
                bic: Some("GEBABEBB".into()),
                address: address("Rue Royale 1", "1000", "Bruxelles", "BE"),
                fee_rate: None,
                vat_rate: None,
                payment_term_days: None,
                headcount: Some(250),
                auto_validate: true,
            },
            None,
        )
        .await
        .map_err(app_failure)?;
    let template = app
        .create_client(
            &actor,
            &NewClient {
                entity_id: entity.id,
                kind: "company".into(),
                name: "Template".into(),
                address: address("Rue Neuve 1", "1000", "Bruxelles", "BE"),
                vat_id: None,
                company_id: None,
                peppol_id: None,
                email: None,
                lang: Some(Lang::Fr),
            },
            None,
        )
        .await
        .map_err(app_failure)?;

    let started = Instant::now();
    let data = synthetic::generate(args.lines, args.seed);
    let generated = started.elapsed();

    let started = Instant::now();
    let mut tx = app.store.write().await.map_err(io)?;
    let activity = Activity {
        id: ActivityId::from_uuid(uuid::Uuid::now_v7()),
        entity_id: entity.id,
        name: "Bench".into(),
        description: String::new(),
        status: ActivityStatus::Active,
        fee_override: None,
        budget: Money::ZERO,
    };
    tx.insert_activity(&activity, 0).await.map_err(io)?;
    let mut clients: HashSet<ClientId> = HashSet::new();
    for i in &data.invoices {
        if clients.insert(i.client) {
            tx.insert_client(
                &Client {
                    id: i.client,
                    entity_id: entity.id,
                    name: i.client_name.clone(),
                    ..template.clone()
                },
                0,
            )
            .await
            .map_err(io)?;
        }
        let reference = i
            .payment_reference
            .clone()
            .unwrap_or_else(|| PaymentReference::for_invoice(&i.number));
        tx.insert_invoice(
            &Invoice {
                id: i.id,
                number: i.number,
                entity_id: entity.id,
                activity_id: activity.id,
                client_id: i.client,
                declaration_id: None,
                issue_date: i.issue_date,
                due_date: i.due_date,
                payment_reference: reference,
                lang: Lang::Fr,
                lines: Vec::new(),
                totals: InvoiceTotals {
                    net: i.outstanding,
                    vat: Money::ZERO,
                    with_vat: i.outstanding,
                    subtotals: Vec::new(),
                },
                status: InvoiceStatus::Issued,
            },
            0,
        )
        .await
        .map_err(io)?;
    }
    tx.commit().await.map_err(io)?;
    let seeded = started.elapsed();

    let file = synthetic::camt_file(&data, &entity.iban.to_string().replace(' ', ""));
    let path = dir.join("statement.xml");
    std::fs::write(&path, &file).map_err(io)?;
    // The fingerprint of each line, to compare the outcome with the generator's truth.
    let parsed =
        camt053::read(&file).map_err(|e| Failure::io(format!("the generated file: {e}")))?;
    let index: HashMap<String, usize> = parsed
        .statements
        .iter()
        .flat_map(statement_lines)
        .enumerate()
        .map(|(k, l)| (l.fingerprint.to_hex(), k))
        .collect();

    let started = Instant::now();
    let (first, phases) = app
        .import_statement_timed(&actor, &file, None)
        .await
        .map_err(app_failure)?;
    let total = started.elapsed();
    let s = &first.statements[0];

    // First invoice paid by each matched line, against the generator's truth.
    let mut first_invoice: HashMap<&str, InvoiceId> = HashMap::new();
    for p in &s.payments {
        first_invoice
            .entry(p.line_fingerprint.as_str())
            .or_insert(p.invoice_id);
    }
    let payments = data.truth.iter().filter(|t| t.is_some()).count();
    let (mut payments_matched, mut correct, mut noise_matched) = (0, 0, 0);
    for (fingerprint, invoice) in &first_invoice {
        let Some(&k) = index.get(*fingerprint) else {
            continue;
        };
        match data.truth[k] {
            Some(truth) => {
                payments_matched += 1;
                if truth == *invoice {
                    correct += 1;
                }
            }
            None => noise_matched += 1,
        }
    }

    let started = Instant::now();
    let (again, again_phases) = app
        .import_statement_timed(&actor, &file, None)
        .await
        .map_err(app_failure)?;
    let again_total = started.elapsed();

    println!(
        "store-backed reconciliation on SQLite: {} statement lines against {} open invoices ({} clients), seed {}",
        args.lines,
        data.invoices.len(),
        clients.len(),
        args.seed
    );
    println!(
        "  setup: generated in {}, invoices written in {}, statement {} bytes",
        secs(generated),
        secs(seeded),
        file.len()
    );
    println!(
        "  import: parse {}, load {}, matching {}, write {}, commit {}; total {}",
        secs(phases.parse),
        secs(phases.load),
        secs(phases.matching),
        secs(phases.write),
        secs(phases.commit),
        secs(total)
    );
    println!(
        "  outcome: {} matched, {} queued; payments matched automatically {} / {} = {:.2} %, precision {:.3} %, noise matched {}",
        s.matched,
        s.queued,
        payments_matched,
        payments,
        100.0 * payments_matched as f64 / payments.max(1) as f64,
        100.0 * correct as f64 / first_invoice.len().max(1) as f64,
        noise_matched
    );
    let a = &again.statements[0];
    println!(
        "  second import of the same file: {} new lines, {} known; parse {}, load {}, write {}; total {}",
        a.new_lines,
        a.known_lines,
        secs(again_phases.parse),
        secs(again_phases.load),
        secs(again_phases.write),
        secs(again_total)
    );
    app.store.close().await;
    Ok(())
}
