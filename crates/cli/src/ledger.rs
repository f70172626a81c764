//! `ensemble ledger check|verify`: anyone with the database can prove the books balance and
//! the journal was not altered. Exit code 0 when sound, 1 when a problem is found (each
//! printed on stderr).

use clap::Subcommand;

use crate::Failure;
use crate::server::{DataArgs, app_failure, open, runtime};

#[derive(Subcommand)]
pub enum LedgerCommand {
    /// Σ debits = Σ credits per entity and book, and every cached balance equals the one
    /// recomputed from the journal.
    Check {
        #[command(flatten)]
        data: DataArgs,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Re-hash every entity's journal chain: any altered, removed or inserted row is found.
    Verify {
        #[command(flatten)]
        data: DataArgs,
    },
}

pub fn run(command: LedgerCommand) -> Result<(), Failure> {
    runtime()?.block_on(async {
        match command {
            LedgerCommand::Check { data, json } => {
                let app = open(&data).await?;
                let report = app.ledger_check().await.map_err(app_failure)?;
                app.store.close().await;
                if json {
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&report).unwrap_or_default()
                    );
                } else {
                    for b in &report.books {
                        println!(
                            "{} {:?}: debits {} = credits {} (pending {} / {})",
                            b.entity,
                            b.book,
                            cents(b.debits_posted),
                            cents(b.credits_posted),
                            cents(b.debits_pending),
                            cents(b.credits_pending)
                        );
                    }
                    println!(
                        "{} accounts, {} transfers checked",
                        report.accounts, report.transfers
                    );
                }
                if report.is_ok() {
                    println!("ledger check: OK");
                    Ok(())
                } else {
                    for p in &report.problems {
                        eprintln!("{}", serde_json::to_string(p).unwrap_or_default());
                    }
                    Err(Failure::io(format!(
                        "ledger check: {} problem(s)",
                        report.problems.len()
                    )))
                }
            }
            LedgerCommand::Verify { data } => {
                let app = open(&data).await?;
                let statuses = app.ledger_verify().await.map_err(app_failure)?;
                app.store.close().await;
                let mut bad = 0;
                for s in &statuses {
                    match (&s.head, &s.problem) {
                        (_, Some(problem)) => {
                            bad += 1;
                            eprintln!("{}: {problem}", s.entity);
                        }
                        (Some(head), None) => {
                            println!("{}: {} entries, head {head}", s.entity, s.entries);
                        }
                        (None, None) => {}
                    }
                }
                if bad == 0 {
                    println!("ledger verify: OK");
                    Ok(())
                } else {
                    Err(Failure::io(format!(
                        "ledger verify: {bad} chain(s) altered"
                    )))
                }
            }
        }
    })
}

/// Cents as euros with two decimals.
fn cents(c: i128) -> String {
    let sign = if c < 0 { "-" } else { "" };
    let c = c.abs();
    format!("{sign}{}.{:02}", c / 100, c % 100)
}

#[derive(Subcommand)]
pub enum FundCommand {
    /// The guarantee fund's daily job: dunning steps (reminder, second reminder, formal
    /// notice) and write-offs due on --date, as the entity's fund policy sets their delays.
    Run {
        #[command(flatten)]
        data: DataArgs,
        /// The day to run for, YYYY-MM-DD.
        #[arg(long)]
        date: String,
        #[arg(long)]
        json: bool,
    },
    /// The fund of an entity on --date: balance, advances outstanding, receivables at risk by
    /// age, coverage ratio (JSON).
    Report {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        entity: String,
        #[arg(long)]
        date: String,
    },
}

fn parse_date(text: &str) -> Result<jiff::civil::Date, Failure> {
    text.parse()
        .map_err(|_| Failure::input(format!("--date: \"{text}\" is not a date (YYYY-MM-DD)")))
}

pub fn fund(command: FundCommand) -> Result<(), Failure> {
    runtime()?.block_on(async {
        match command {
            FundCommand::Run { data, date, json } => {
                let date = parse_date(&date)?;
                let app = open(&data).await?;
                let run = app.run_fund_job(date).await.map_err(app_failure)?;
                app.store.close().await;
                if json {
                    println!("{}", serde_json::to_string_pretty(&run).unwrap_or_default());
                } else {
                    for a in &run.actions {
                        println!(
                            "{} {:<16} {:>4} days late, {} due",
                            a.number, a.step, a.days_late, a.outstanding
                        );
                    }
                    println!(
                        "fund run {date}: {} step(s), {} written off",
                        run.actions.len(),
                        run.written_off
                    );
                }
                Ok(())
            }
            FundCommand::Report { data, entity, date } => {
                let date = parse_date(&date)?;
                let entity = entity
                    .parse()
                    .map_err(|_| Failure::input(format!("--entity: \"{entity}\" is not an id")))?;
                let app = open(&data).await?;
                let report = app
                    .fund_report_job(entity, date)
                    .await
                    .map_err(app_failure)?;
                app.store.close().await;
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report).unwrap_or_default()
                );
                Ok(())
            }
        }
    })
}

/// What every export takes: the database, the entity, where to write.
#[derive(clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    data: DataArgs,
    /// The entity's id.
    #[arg(long)]
    entity: String,
    /// The file to write (default: standard output).
    #[arg(long, value_name = "FILE")]
    output: Option<std::path::PathBuf>,
}

#[derive(Subcommand)]
pub enum ExportCommand {
    /// The French FEC (article A47 A-1 of the LPF) of a calendar fiscal year.
    Fec {
        #[command(flatten)]
        args: ExportArgs,
        #[arg(long)]
        year: i16,
    },
    /// The general ledger between two dates (inclusive), as CSV.
    GeneralLedger {
        #[command(flatten)]
        args: ExportArgs,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        /// The analytic book (activity budgets, fund) instead of the legal one.
        #[arg(long)]
        analytic: bool,
    },
    /// The trial balance on a date, as CSV.
    TrialBalance {
        #[command(flatten)]
        args: ExportArgs,
        #[arg(long)]
        date: String,
        #[arg(long)]
        analytic: bool,
    },
    /// An activity's budget statement between two dates, as CSV.
    ActivityStatement {
        #[command(flatten)]
        args: ExportArgs,
        #[arg(long)]
        activity: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
    /// The balance sheet on a date, as CSV.
    BalanceSheet {
        #[command(flatten)]
        args: ExportArgs,
        #[arg(long)]
        date: String,
    },
    /// The profit and loss account between two dates, as CSV.
    ProfitAndLoss {
        #[command(flatten)]
        args: ExportArgs,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
}

pub fn export(command: ExportCommand) -> Result<(), Failure> {
    use ensemble_app::books::ExportRequest as R;
    let d = |name: &'static str, text: &str| -> Result<jiff::civil::Date, Failure> {
        text.parse()
            .map_err(|_| Failure::input(format!("--{name}: \"{text}\" is not a date (YYYY-MM-DD)")))
    };
    let (args, request) = match command {
        ExportCommand::Fec { args, year } => (args, R::Fec { year }),
        ExportCommand::GeneralLedger {
            args,
            from,
            to,
            analytic,
        } => (
            args,
            R::GeneralLedger {
                from: d("from", &from)?,
                to: d("to", &to)?,
                analytic,
            },
        ),
        ExportCommand::TrialBalance {
            args,
            date,
            analytic,
        } => (
            args,
            R::TrialBalance {
                date: d("date", &date)?,
                analytic,
            },
        ),
        ExportCommand::ActivityStatement {
            args,
            activity,
            from,
            to,
        } => (
            args,
            R::ActivityStatement {
                activity: activity.parse().map_err(|_| {
                    Failure::input(format!("--activity: \"{activity}\" is not an id"))
                })?,
                from: d("from", &from)?,
                to: d("to", &to)?,
            },
        ),
        ExportCommand::BalanceSheet { args, date } => (
            args,
            R::BalanceSheet {
                date: d("date", &date)?,
            },
        ),
        ExportCommand::ProfitAndLoss { args, from, to } => (
            args,
            R::ProfitAndLoss {
                from: d("from", &from)?,
                to: d("to", &to)?,
            },
        ),
    };
    let entity = args
        .entity
        .parse()
        .map_err(|_| Failure::input(format!("--entity: \"{}\" is not an id", args.entity)))?;
    runtime()?.block_on(async {
        let app = open(&args.data).await?;
        let file = app
            .export_job(entity, &request)
            .await
            .map_err(app_failure)?;
        app.store.close().await;
        match &args.output {
            Some(path) => {
                std::fs::write(path, &file.bytes)
                    .map_err(|e| Failure::io(format!("{}: {e}", path.display())))?;
                eprintln!("{} written ({} bytes)", path.display(), file.bytes.len());
            }
            None => {
                use std::io::Write;
                std::io::stdout()
                    .write_all(&file.bytes)
                    .map_err(|e| Failure::io(e.to_string()))?;
            }
        }
        Ok(())
    })
}

/// `ensemble bench ledger`: transfers posted per second through the store.
#[derive(clap::Args)]
pub struct BenchArgs {
    /// Batches to post (each an invoice issued: 3 transfers, one transaction).
    #[arg(long, default_value_t = 2000)]
    batches: u32,
    /// postgres://… to measure PostgreSQL (in a scratch schema, dropped after); by default a
    /// scratch SQLite file.
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,
}

pub fn bench(args: BenchArgs) -> Result<(), Failure> {
    use ensemble_ledger::rules::{self, EntityBooks, Event, InvoiceIssued, Party};
    runtime()?.block_on(async {
        let io = |e: ensemble_store::StoreError| Failure::io(e.to_string());
        let scratch = std::env::temp_dir().join(format!("ensemble-bench-{}", std::process::id()));
        let schema = format!("bench_{}", std::process::id());
        let store: std::sync::Arc<dyn ensemble_store::Store> = match &args.database_url {
            Some(url) => std::sync::Arc::new(
                ensemble_store::PgStore::connect(url, Some(&schema))
                    .await
                    .map_err(io)?,
            ),
            None => std::sync::Arc::new(
                ensemble_store::SqliteStore::open(&scratch.join("bench.db"))
                    .await
                    .map_err(io)?,
            ),
        };
        let now: jiff::Timestamp = "2026-01-20T10:00:00Z"
            .parse()
            .map_err(|_| Failure::io("timestamp"))?;
        let f = ensemble_app::testing::fixture(store.clone(), now).await;
        let books = EntityBooks::new(f.be.id, f.be.country);
        let day = jiff::civil::date(2026, 1, 20);
        let started = std::time::Instant::now();
        let mut transfers = 0usize;
        for i in 0..args.batches {
            let event = Event::new(
                ensemble_ledger::EventId::new(format!("bench-{i}"))
                    .map_err(|e| Failure::io(e.to_string()))?,
                day,
                format!("INV-{i}"),
                "Bench invoice",
            );
            let posting = rules::invoice_issued(
                &books,
                &InvoiceIssued {
                    event,
                    activity: Party::new(f.be_activity.id, f.be_activity.name.clone()),
                    client: Party::new(f.be_client.id, f.be_client.name.clone()),
                    excl_vat: ensemble_domain::Money::from_cents(100_000 + i64::from(i)),
                    vat: ensemble_domain::Money::from_cents(21_000),
                },
            )
            .map_err(|e| Failure::io(e.to_string()))?;
            let mut tx = store.write().await.map_err(io)?;
            tx.post_ledger(&posting, 0).await.map_err(io)?;
            tx.commit().await.map_err(io)?;
            transfers += posting.transfers.len();
        }
        let secs = started.elapsed().as_secs_f64();
        println!(
            "{}: {transfers} transfers in {} batches, {secs:.2} s: {:.0} transfers/s ({:.0} batches/s)",
            store.backend(),
            args.batches,
            transfers as f64 / secs,
            f64::from(args.batches) / secs
        );
        store.close().await;
        match &args.database_url {
            Some(url) => ensemble_store::PgStore::drop_schema(url, &schema)
                .await
                .map_err(io)?,
            None => {
                let _ = std::fs::remove_dir_all(&scratch);
            }
        }
        Ok(())
    })
}
