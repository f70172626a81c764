//! The `ensemble` binary: the command line of the Ensemble cooperative platform.
//!
//! Each subcommand parses its arguments and calls a library crate; no rule and no computation
//! lives here. Exit codes: 0 success, 1 failure of the machine (I/O), 2 bad input.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod payroll;

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
    /// Payroll: simulate payslips, list the rule packs.
    Payroll {
        #[command(subcommand)]
        command: payroll::PayrollCommand,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Payroll { command } => payroll::run(command),
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
