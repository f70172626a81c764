//! The `ensemble` binary: the command line of the Ensemble cooperative platform.
//!
//! Each subcommand parses its arguments and calls a library crate; no rule and no computation
//! lives here. Exit codes: 0 success, 1 failure of the machine (I/O), 2 bad input.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod banking;
mod bench;
mod bench_reconcile;
mod ledger;
mod payroll;
mod server;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "ensemble",
    version,
    about = "Ensemble: the open-source platform of shared-enterprise cooperatives",
    long_about = None
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the platform: the API on --bind, the database in --data (created and migrated on
    /// first run). With --demo, an empty database gets the demo cooperative.
    Serve(server::ServeArgs),
    /// Create or migrate the database.
    Migrate(server::DataArgs),
    /// Seed the demo cooperative (two entities, 40 members, 60 activities, three months of
    /// work) into an empty database and list its accounts.
    Demo(server::DataArgs),
    /// Declare work from the shell.
    Declare(Box<server::DeclareArgs>),
    /// List invoices.
    Invoices(server::ListArgs),
    /// List employment contracts.
    Contracts(server::ListArgs),
    /// One invoice: export it as a Factur-X PDF, CII XML or UBL XML.
    Invoice {
        #[command(subcommand)]
        command: server::InvoiceCommand,
    },
    /// The books: check balances, verify the journal's hash chain.
    Ledger {
        #[command(subcommand)]
        command: ledger::LedgerCommand,
    },
    /// Accounting exports from the stored books: FEC, general ledger, trial balance, activity
    /// statement, balance sheet, P&L.
    Export {
        #[command(subcommand)]
        command: ledger::ExportCommand,
    },
    /// The guarantee fund: the daily dunning and write-off run, the fund's report.
    Fund {
        #[command(subcommand)]
        command: ledger::FundCommand,
    },
    /// Payroll: simulate payslips, list the rule packs.
    Payroll {
        #[command(subcommand)]
        command: payroll::PayrollCommand,
    },
    /// SEPA payouts: salaries and expenses paid by pain.001 files.
    Payouts {
        #[command(subcommand)]
        command: banking::PayoutCommand,
    },
    /// Bank statements (camt.053): import, the staff queue of unmatched lines.
    Statements {
        #[command(subcommand)]
        command: banking::StatementCommand,
    },
    /// Benchmarks that need the store: declarations per second through the use cases or the
    /// HTTP API, bank reconciliation, ledger transfers (figures in BENCHMARKS.md).
    Bench {
        #[command(subcommand)]
        command: bench::BenchCommand,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ENSEMBLE_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .try_init();
    let result = match cli.command {
        Command::Serve(args) => server::serve(args),
        Command::Migrate(args) => server::migrate(args),
        Command::Demo(args) => server::demo(args),
        Command::Declare(args) => server::declare(*args),
        Command::Invoices(args) => server::invoices(args),
        Command::Contracts(args) => server::contracts(args),
        Command::Invoice { command } => server::invoice(command),
        Command::Ledger { command } => ledger::run(command),
        Command::Fund { command } => ledger::fund(command),
        Command::Export { command } => ledger::export(command),
        Command::Payroll { command } => payroll::run(command),
        Command::Payouts { command } => banking::payouts(command),
        Command::Statements { command } => banking::statements(command),
        Command::Bench { command } => bench::run(command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", e.message);
            ExitCode::from(e.code)
        }
    }
}

/// An error to print on stderr with its exit code.
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    /// Bad input: exit code 2.
    pub fn input(message: impl Into<String>) -> Failure {
        Failure {
            code: 2,
            message: message.into(),
        }
    }

    /// The machine failed (I/O): exit code 1.
    pub fn io(message: impl Into<String>) -> Failure {
        Failure {
            code: 1,
            message: message.into(),
        }
    }
}
